// What the store holds per dataset, and the quarantine: rows that failed
// validation, listed with the reason, exported as received for correction,
// and re-imported one record at a time. Shared by the CLI (datasets,
// quarantine) and the server's data management API.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/dataset.h"
#include "ingest/importer.h"
#include "store/db.h"
#include "store/store.h"

namespace qf {

// One dataset in the store.
struct DatasetStatus {
  const DatasetDef* def = nullptr;
  int64_t rows = 0;         // current rows
  int64_t versions = 0;     // every version kept
  int64_t quarantined = 0;  // records still in quarantine (a record with two problems counts once)
  int64_t imports = 0;
  int64_t last_import_id = 0;  // 0 when never imported
  std::string last_import_at, last_file;
};
// Every declared dataset, in the declarations' order.
Result<std::vector<DatasetStatus>> DatasetStatuses(Db* db);

// One problem of a quarantined record (a record with several problems has
// several entries, sharing file, line and location).
struct QuarantineEntry {
  int64_t id = 0;
  int64_t import_id = 0;
  int64_t resolved_import_id = 0;  // 0 while open
  std::string dataset, file_name, file_sha256;
  int64_t line = 0;
  std::string location;  // where inside the file, when a line is not enough (OCDS)
  std::string column, value, reason_zh, reason_en;
  std::string raw_row;  // the record as received: a JSON object, header → text
};

struct QuarantineFilter {
  std::string dataset;    // "" = every dataset
  int64_t import_id = 0;  // 0 = any import
  bool include_resolved = false;
  // "" = anyone's; else only imports this ledger actor started ("data_import"
  // actions, e.g. "user:zhang"), so a user limited to a scope sees only the
  // rows they sent themselves.
  std::string uploaded_by;
  int64_t limit = 0;  // 0 = no limit
  int64_t offset = 0;
};

// Oldest first. `total` (optional) gets the count without limit and offset.
Result<std::vector<QuarantineEntry>> ListQuarantine(Db* db, const QuarantineFilter& filter,
                                                    int64_t* total = nullptr);
// NotFound when there is no such entry.
Result<QuarantineEntry> GetQuarantineEntry(Db* db, int64_t id);

// Writes the open records matching `filter` (whose dataset must be set) as
// they were received, to correct and import again: a UTF-8 BOM (for Excel),
// the union of their headers, one CSV line per record. Returns the count.
Result<int64_t> ExportQuarantinedRows(Db* db, const QuarantineFilter& filter, std::ostream& out);

struct ReimportResult {
  bool accepted = false;  // the corrected record is in the store now
  ImportReport report;
  // Still invalid: the corrected record's problems, now the open entries.
  std::vector<QuarantineEntry> problems;
  int64_t resolved = 0;  // entries of the original record closed by this import
};

// Corrects one quarantined record and imports it through the importer, as a
// one-record CSV written under `work_dir` (removed afterwards). `corrections`
// maps a header of the record as received — or a column name or alias of the
// dataset — to the new text. Whether accepted or still invalid, the original
// record's entries are closed by the new import (when still invalid, its new
// entries replace them). Errors: the entry is unknown (NotFound) or already
// resolved, a correction names no column, nothing changes (InvalidInput).
Result<ReimportResult> ReimportQuarantined(Store* store, int64_t entry_id,
                                           const std::map<std::string, std::string>& corrections,
                                           const std::string& work_dir);

// Records entered by hand (a console form, a CLI command) take the importer's
// path like any file, so they are versioned, kept and committed by the ledger
// the same way: written as a CSV named `<dataset>-<label>.csv` under `work_dir`
// (removed afterwards), one row per record, the dataset's column names as the
// header. Every value is checked first: a missing required column or a bad
// value refuses the whole entry with InvalidInput naming the record, the
// column and the reason, and nothing is imported. A row rule the importer
// applies later (e.g. the ID number against sex and birth date) still sends a
// record to quarantine; `problems` then lists it.
struct EntryResult {
  ImportReport report;
  std::vector<QuarantineEntry> problems;
};
Result<EntryResult> EnterRecords(Store* store, const std::string& dataset,
                                 const std::vector<std::map<std::string, std::string>>& records,
                                 const std::string& work_dir, const std::string& label);

// A CSV field, quoted when it must be (RFC 4180).
std::string CsvQuote(const std::string& s);

}  // namespace qf
