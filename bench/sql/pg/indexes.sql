-- Keys, and the indexes a DBA would create for the join and grouping columns
-- of the three rules (created after the COPY, as a bulk load is done).
ALTER TABLE welfare  ADD PRIMARY KEY (payment_id);
ALTER TABLE deaths   ADD PRIMARY KEY (id_number);
ALTER TABLE payments ADD PRIMARY KEY (payment_id);
ALTER TABLE bids     ADD PRIMARY KEY (tender_id, bidder_credit_code);
CREATE INDEX welfare_beneficiary ON welfare (beneficiary_id_number);
-- The payments indexes cover payment_id, so duplicate_payment reads them
-- without visiting the table (index-only scans for the invoice groups).
CREATE INDEX payments_invoice ON payments (invoice_no) INCLUDE (payment_id);
CREATE INDEX payments_org_payee_amount_day
  ON payments (org, (COALESCE(payee_party, payee_name)), amount, pay_date) INCLUDE (payment_id);
