// One XLSX writer for every spreadsheet export (the lead exports, the duties
// assessment): libxlsxwriter writes only to files, so the workbook is built in
// a private temporary file and read back.
#pragma once

#include <xlsxwriter.h>

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace qf {

class XlsxWriter {
 public:
  // `wrap_header`: header cells wrap and centre vertically (long column titles).
  explicit XlsxWriter(bool wrap_header = false);
  ~XlsxWriter();
  XlsxWriter(const XlsxWriter&) = delete;
  XlsxWriter& operator=(const XlsxWriter&) = delete;
  bool ok() const { return wb_ != nullptr; }

  // A cell format with an Excel number format ("0.0", "#,##0.00").
  lxw_format* NumberFormat(const char* num_format);
  // A sheet with a bold header row (frozen) and the columns' widths; returns it.
  lxw_worksheet* Sheet(const char* name, const std::vector<std::pair<std::string, double>>& cols);
  // Text, cut with a mark at Excel's cell limit.
  void Text(lxw_worksheet* ws, size_t row, size_t col, const std::string& v);
  void Number(lxw_worksheet* ws, size_t row, size_t col, double v, lxw_format* f = nullptr);
  // The workbook's bytes; the writer is done after this.
  Result<std::string> Finish();

 private:
  std::string path_;
  lxw_workbook* wb_ = nullptr;
  lxw_format* header_ = nullptr;
  lxw_format* wrap_ = nullptr;
};

}  // namespace qf
