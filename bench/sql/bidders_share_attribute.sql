-- bidders_share_attribute (投标人信息雷同) as plain SQL; the same text runs in
-- SQLite and PostgreSQL 15. Same rule as src/models/procurement.cc: two or
-- more distinct bidders of one tender with the same IP address, MAC address,
-- machine code, contact phone, contact person, project manager ID number or
-- deposit account. One finding per tender:
--   finding = tender_id, record = tender_id|bidder_credit_code.
-- Values are compared in the engine's normal form: MAC and machine code
-- without separators and upper-cased, phone and account without separators,
-- the others without spaces. SQLite has no regular expressions, so the
-- separators removed are the usual ones (space - : .); the engine removes
-- every non-alphanumeric character.
WITH attr(tender_id, bidder, name, v) AS (
  SELECT tender_id, bidder_credit_code, 'ip_address', replace(ip_address, ' ', '')
    FROM bids WHERE ip_address IS NOT NULL
  UNION ALL
  SELECT tender_id, bidder_credit_code, 'mac_address',
         upper(replace(replace(replace(replace(mac_address, ' ', ''), '-', ''), ':', ''), '.', ''))
    FROM bids WHERE mac_address IS NOT NULL
  UNION ALL
  SELECT tender_id, bidder_credit_code, 'machine_code',
         upper(replace(replace(replace(replace(machine_code, ' ', ''), '-', ''), ':', ''), '.', ''))
    FROM bids WHERE machine_code IS NOT NULL
  UNION ALL
  SELECT tender_id, bidder_credit_code, 'contact_phone',
         replace(replace(replace(replace(contact_phone, ' ', ''), '-', ''), '(', ''), ')', '')
    FROM bids WHERE contact_phone IS NOT NULL
  UNION ALL
  SELECT tender_id, bidder_credit_code, 'contact_person', replace(contact_person, ' ', '')
    FROM bids WHERE contact_person IS NOT NULL
  UNION ALL
  SELECT tender_id, bidder_credit_code, 'project_manager_id_number',
         replace(project_manager_id_number, ' ', '')
    FROM bids WHERE project_manager_id_number IS NOT NULL
  UNION ALL
  SELECT tender_id, bidder_credit_code, 'deposit_account',
         replace(replace(deposit_account, ' ', ''), '-', '')
    FROM bids WHERE deposit_account IS NOT NULL),
shared AS (
  SELECT tender_id, name, v FROM attr
  WHERE v <> ''
  GROUP BY tender_id, name, v
  HAVING COUNT(DISTINCT bidder) > 1)
SELECT s.tender_id AS finding, a.tender_id || '|' || a.bidder AS record, s.name, s.v
FROM shared AS s
JOIN attr AS a ON a.tender_id = s.tender_id AND a.name = s.name AND a.v = s.v
