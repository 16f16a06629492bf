-- welfare_after_death, PostgreSQL 15 dialect: the same query as
-- ../welfare_after_death.sql; only the month of a DATE is written differently
-- (dates are loaded as DATE, periods as text 'YYYY-MM').
SELECT w.beneficiary_id_number || '|' || w.program AS finding,
       w.payment_id AS record,
       w.period, w.pay_date, w.amount, d.death_date
FROM welfare AS w
JOIN deaths AS d ON d.id_number = w.beneficiary_id_number
WHERE w.period > to_char(d.death_date, 'YYYY-MM')
   OR w.pay_date > d.death_date
