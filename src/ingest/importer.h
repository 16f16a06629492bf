// Imports files into the store: picks the reader by file type, maps headers to
// the dataset's columns, validates every value, writes valid rows as versions
// and puts invalid ones in quarantine. One file is one transaction: it is
// imported whole or not at all.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "ingest/dataset.h"
#include "ingest/source.h"
#include "store/store.h"

namespace qf {

struct ImportOptions {
  std::string sheet;  // XLSX: sheet name or 1-based number; empty = first sheet
  // Called now and then with rows read so far and the fraction of the file done.
  std::function<void(int64_t rows, double fraction)> progress;
};

struct ImportReport {
  std::string file;
  std::string dataset;
  std::string format;
  std::string encoding;
  int64_t import_id = 0;
  int64_t rows = 0;  // records read (valid or not)
  int64_t accepted = 0;
  int64_t new_rows = 0;
  int64_t changed = 0;
  int64_t unchanged = 0;
  int64_t quarantined = 0;
};

// Normalized form used to match a file's header to a column name or alias:
// trimmed, width-folded, lower-case, simplified, without a trailing "(元)".
std::string NormalizeHeader(std::string_view header);

class Importer {
 public:
  explicit Importer(Store* store) : store_(store) {}

  // Imports `path` into `dataset`. An OCDS file fills tenders, bids and
  // contracts whichever of them is named (or "ocds"): one report per dataset.
  // Fails (changing nothing) when the file cannot be read as a whole: unknown
  // dataset, unreadable file, unsupported type, a required column missing.
  Result<std::vector<ImportReport>> ImportFile(const std::string& dataset, const std::string& path,
                                               const ImportOptions& options);

  // The dataset a file name stands for ("payments.csv", "payments_2024.xlsx",
  // "户籍人口.csv"), or nullptr.
  static const DatasetDef* DatasetForFileName(const std::string& file_name);

 private:
  Store* store_;
};

}  // namespace qf
