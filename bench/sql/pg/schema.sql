-- The four datasets the SQL comparison reads, as a DBA would declare them in
-- PostgreSQL 15: every column of the data contract with its natural type
-- (dates DATE, datetimes TIMESTAMP, money BIGINT fen, periods text 'YYYY-MM').
-- bench/scan.sh COPYs the current rows of the qingfeng store into them, then
-- runs indexes.sql and VACUUM ANALYZE. UNLOGGED only skips the write-ahead
-- log while loading; reading the tables is the same as for logged ones.
CREATE UNLOGGED TABLE welfare (
  payment_id            text NOT NULL,
  program               text,
  beneficiary_id_number text,
  beneficiary_name      text,
  household_id          text,
  region_code           text,
  period                text,
  pay_date              date,
  amount                bigint,
  bank_account          text,
  handler_id_number     text
);
CREATE UNLOGGED TABLE deaths (
  id_number  text NOT NULL,
  name       text,
  death_date date,
  source     text
);
CREATE UNLOGGED TABLE payments (
  payment_id     text NOT NULL,
  pay_date       date,
  org            text,
  budget_id      text,
  payee_name     text,
  payee_party    text,
  payee_account  text,
  payee_bank     text,
  amount         bigint,
  purpose        text,
  invoice_no     text,
  economic_class text
);
CREATE UNLOGGED TABLE bids (
  tender_id                 text NOT NULL,
  bidder_credit_code        text NOT NULL,
  bidder_name               text,
  bid_amount                bigint,
  submit_time               timestamp,
  ip_address                text,
  mac_address               text,
  machine_code              text,
  contact_phone             text,
  contact_person            text,
  project_manager_id_number text,
  deposit_account           text,
  qualified                 boolean,
  rank                      integer
);
