#include "common/xlsx_writer.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace qf {

XlsxWriter::XlsxWriter(bool wrap_header) {
  char tmpl[] = "/tmp/qingfeng-xlsx-XXXXXX";
  int fd = mkstemp(tmpl);
  if (fd >= 0) {
    close(fd);
    path_ = tmpl;
    wb_ = workbook_new(path_.c_str());
  }
  if (wb_ != nullptr) {
    header_ = workbook_add_format(wb_);
    format_set_bold(header_);
    format_set_bg_color(header_, 0xDDE6F0);
    format_set_border(header_, LXW_BORDER_THIN);
    if (wrap_header) {
      format_set_text_wrap(header_);
      format_set_align(header_, LXW_ALIGN_VERTICAL_CENTER);
    }
    wrap_ = workbook_add_format(wb_);
    format_set_text_wrap(wrap_);
    format_set_align(wrap_, LXW_ALIGN_VERTICAL_TOP);
  }
}

XlsxWriter::~XlsxWriter() {
  if (wb_ != nullptr) workbook_close(wb_);
  if (!path_.empty()) std::remove(path_.c_str());
}

lxw_format* XlsxWriter::NumberFormat(const char* num_format) {
  lxw_format* f = workbook_add_format(wb_);
  format_set_num_format(f, num_format);
  return f;
}

lxw_worksheet* XlsxWriter::Sheet(const char* name,
                                 const std::vector<std::pair<std::string, double>>& cols) {
  lxw_worksheet* ws = workbook_add_worksheet(wb_, name);
  for (size_t i = 0; i < cols.size(); ++i) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(i), cols[i].first.c_str(), header_);
    worksheet_set_column(ws, static_cast<lxw_col_t>(i), static_cast<lxw_col_t>(i), cols[i].second,
                         wrap_);
  }
  worksheet_freeze_panes(ws, 1, 0);
  return ws;
}

void XlsxWriter::Text(lxw_worksheet* ws, size_t row, size_t col, const std::string& v) {
  std::string s = v.size() > 32000 ? v.substr(0, 32000) + "…" : v;
  worksheet_write_string(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), s.c_str(),
                         nullptr);
}

void XlsxWriter::Number(lxw_worksheet* ws, size_t row, size_t col, double v, lxw_format* f) {
  worksheet_write_number(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), v, f);
}

Result<std::string> XlsxWriter::Finish() {
  lxw_error e = workbook_close(wb_);
  wb_ = nullptr;
  if (e != LXW_NO_ERROR) return Status::IOError(std::string("xlsx: ") + lxw_strerror(e));
  std::ifstream in(path_, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace qf
