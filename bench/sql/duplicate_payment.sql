-- duplicate_payment (重复支付) as plain SQL; the same text runs in SQLite and
-- PostgreSQL 15. Same rule as src/models/funds.cc with the default
-- max_days_apart = 0: one invoice_no on two or more vouchers, or the same org,
-- payee (payee_party, else payee_name), amount (> 0) and pay_date on two or
-- more vouchers. The engine joins linked payments into one finding (a payment
-- can be in an invoice group and a same-day group); the recursive part does
-- the same, labelling each finding by its smallest payment_id:
--   finding = smallest payment_id of the linked set, record = payment_id.
-- Difference: the engine compares org names after normalisation (full-width,
-- traditional characters); plain SQL compares them as stored.
WITH RECURSIVE
  dup_invoice AS (
    SELECT invoice_no FROM payments
    WHERE invoice_no IS NOT NULL
    GROUP BY invoice_no HAVING COUNT(*) > 1),
  dup_day AS (
    SELECT org, COALESCE(payee_party, payee_name) AS payee, amount, pay_date,
           MIN(payment_id) AS grp
    FROM payments
    WHERE amount > 0 AND pay_date IS NOT NULL
    GROUP BY org, COALESCE(payee_party, payee_name), amount, pay_date
    HAVING COUNT(*) > 1),
  -- each flagged payment with the group(s) it is in
  member(grp, payment_id) AS (
    SELECT 'i' || p.invoice_no, p.payment_id
    FROM payments AS p JOIN dup_invoice AS i ON i.invoice_no = p.invoice_no
    UNION ALL
    SELECT 'd' || g.grp, p.payment_id
    FROM payments AS p
    JOIN dup_day AS g
      ON g.org = p.org AND g.payee = COALESCE(p.payee_party, p.payee_name)
     AND g.amount = p.amount AND g.pay_date = p.pay_date),
  link(a, b) AS (
    SELECT m1.payment_id, m2.payment_id
    FROM member AS m1 JOIN member AS m2 ON m2.grp = m1.grp),
  reach(a, b) AS (
    SELECT a, b FROM link
    UNION
    SELECT r.a, l.b FROM reach AS r JOIN link AS l ON l.a = r.b)
SELECT MIN(b) AS finding, a AS record
FROM reach
GROUP BY a
