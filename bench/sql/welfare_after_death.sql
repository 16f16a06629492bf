-- welfare_after_death (死亡后仍发放) as plain SQL, SQLite dialect, over the
-- store's views of current rows (dates TEXT 'YYYY-MM-DD', periods 'YYYY-MM',
-- money INTEGER fen). Same rule as src/models/welfare.cc with the default
-- grace_months = 0: a payment for a period after the month of death, or paid
-- after the death date. The engine makes one finding per (beneficiary,
-- programme); this query lists the records of each finding:
--   finding = beneficiary|programme, record = the welfare payment_id.
-- bench/scan.sh counts COUNT(DISTINCT finding) and COUNT(DISTINCT record).
SELECT w.beneficiary_id_number || '|' || w.program AS finding,
       w.payment_id AS record,
       w.period, w.pay_date, w.amount, d.death_date
FROM welfare AS w
JOIN deaths AS d ON d.id_number = w.beneficiary_id_number
WHERE w.period > substr(d.death_date, 1, 7)
   OR w.pay_date > d.death_date
