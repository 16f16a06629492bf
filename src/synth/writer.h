// Streams one dataset to disk in the contract's format: a UTF-8 CSV with the
// English header (most datasets), a GB18030 CSV with the Chinese header
// (aliases[0]), or an XLSX sheet written by libxlsxwriter in constant-memory
// mode. Rows are built by column name from the dataset's declaration.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/dataset.h"

struct lxw_workbook;
struct lxw_worksheet;
struct UConverter;

namespace qf::synth {

enum class FileFormat { kCsvUtf8, kCsvGb18030, kXlsx };

// One row of a dataset; cells addressed by the declared column name.
class Row {
 public:
  explicit Row(const DatasetDef& def) : def_(&def), cells_(def.columns.size()) {}
  Row& Set(std::string_view column, std::string value);
  const std::string& Get(std::string_view column) const;
  const std::vector<std::string>& cells() const { return cells_; }
  const DatasetDef& def() const { return *def_; }

 private:
  const DatasetDef* def_;
  std::vector<std::string> cells_;
};

class DatasetWriter {
 public:
  static Result<std::unique_ptr<DatasetWriter>> Open(const DatasetDef& def, const std::string& dir,
                                                     FileFormat format);
  ~DatasetWriter();
  DatasetWriter(const DatasetWriter&) = delete;
  DatasetWriter& operator=(const DatasetWriter&) = delete;

  void Write(const Row& row);
  // Writes raw cells as given (used for the deliberately invalid --bad-rows);
  // returns the 1-based line number (CSV) of the row.
  int64_t WriteRaw(const std::vector<std::string>& cells);
  Status Close();

  const DatasetDef& def() const { return def_; }
  const std::string& file_name() const { return file_name_; }
  FileFormat format() const { return format_; }
  int64_t rows() const { return lines_ > 0 ? lines_ - 1 : 0; }

 private:
  DatasetWriter(const DatasetDef& def, FileFormat format) : def_(def), format_(format) {}
  void AppendCsvField(std::string_view v);
  void FlushLine();
  Status Flush();

  const DatasetDef& def_;
  FileFormat format_;
  std::string path_;
  std::string file_name_;
  FILE* file_ = nullptr;
  std::string buf_;   // pending UTF-8 (or converted) bytes
  std::string line_;  // current CSV line, UTF-8
  UConverter* gb_ = nullptr;
  lxw_workbook* wb_ = nullptr;
  lxw_worksheet* ws_ = nullptr;
  int64_t lines_ = 0;  // header included
  Status error_;
};

}  // namespace qf::synth
