// XLSX (Office Open XML spreadsheet), read as a stream: minizip opens the
// package, expat parses the worksheet XML as it is inflated, so memory holds
// the shared-string table but never the whole sheet. The sheet's first
// non-empty row is the header.
#pragma once

#include <memory>
#include <string>

#include "ingest/source.h"

namespace qf {

class XlsxReader : public RecordSource {
 public:
  // `sheet`: a sheet name or a 1-based sheet number; empty = the first sheet.
  // Fails with a clerk-readable reason when the file is not an XLSX package,
  // the sheet does not exist (naming the sheets there are), or it has no header.
  static Result<std::unique_ptr<XlsxReader>> Open(const std::string& path,
                                                  const std::string& dataset,
                                                  const std::string& sheet);
  ~XlsxReader() override;

  const std::vector<StreamInfo>& streams() const override;
  // Cells: shared strings and inline strings as text, numbers as their decimal
  // text with Record::numeric set (dates are serials; the column type decides),
  // booleans as "1"/"0", errors (#N/A) as their text; empty cells as "".
  // `line` is the sheet's row number.
  Result<bool> Next(Record* rec) override;
  double Progress() const override;
  std::string Format() const override { return "xlsx"; }

  struct Impl;

 private:
  explicit XlsxReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace qf
