// Writes validated rows of one dataset, keeping every version: a key seen for
// the first time is new; the same values again are unchanged; different values
// become a new current version and the old one stays in history.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/hash.h"
#include "common/status.h"
#include "ingest/dataset.h"
#include "ingest/value.h"
#include "store/db.h"

namespace qf {

// The canonical bytes of a row version, whose SHA-256 identifies it (and is
// what the ledger commits to): dataset, key, every declared column with its
// type's stored form, and the extra attributes.
std::string CanonicalRow(const DatasetDef& def, const std::string& key,
                         const std::vector<Value>& values, const std::string& extra_json);
// The same bytes into `out` (cleared first): the import's hot path reuses one buffer.
void CanonicalRowInto(std::string* out, const DatasetDef& def, const std::string& key,
                      const std::vector<Value>& values, const std::string& extra_json);

// Appends "<length>:<bytes>": the framing of CanonicalRow and of ledger leaves,
// in which no value can forge a separator.
void AppendLengthPrefixed(std::string* out, std::string_view s);

// The key of a row: key column values joined with '|'.
std::string RowKey(const DatasetDef& def, const std::vector<Value>& values);

enum class WriteOutcome { kNew, kChanged, kUnchanged, kDuplicateInImport };

class DatasetWriter {
 public:
  // `import_id` identifies the file being imported; the caller owns the transaction.
  static Result<std::unique_ptr<DatasetWriter>> Create(Db* db, const DatasetDef& def,
                                                       int64_t import_id);

  // Reads the current version of `key` into `values` (declared order) and
  // `extra_json`; false when the key has no current version.
  Result<bool> GetCurrent(const std::string& key, std::vector<Value>* values,
                          std::string* extra_json);

  // Writes one row. For kDuplicateInImport, `*first_line` is the line where
  // this import already wrote the key.
  Result<WriteOutcome> Write(const std::string& key, const std::vector<Value>& values,
                             const std::string& extra_json, int64_t line, const Digest& row_hash,
                             int64_t* first_line);

  // The _row_id and _version of the row the last kNew/kChanged Write inserted.
  int64_t last_row_id() const { return last_row_id_; }
  int64_t last_version() const { return last_version_; }

 private:
  DatasetWriter(Db* db, const DatasetDef& def, int64_t import_id)
      : db_(db), def_(def), import_id_(import_id) {}
  Status Insert(const std::string& key, const std::vector<Value>& values,
                const std::string& extra_json, int64_t line, const Digest& row_hash,
                int64_t version);

  Db* db_;
  const DatasetDef& def_;
  int64_t import_id_;
  bool table_was_empty_ = false;
  int64_t last_row_id_ = 0;
  int64_t last_version_ = 0;
  Stmt insert_, lookup_, retire_, seen_, current_;
};

}  // namespace qf
