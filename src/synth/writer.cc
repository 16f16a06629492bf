#include "synth/writer.h"

#include <unicode/ucnv.h>
#include <xlsxwriter.h>

#include <filesystem>

namespace qf::synth {

namespace {
constexpr size_t kFlushBytes = 1 << 20;
}

Row& Row::Set(std::string_view column, std::string value) {
  int i = def_->ColumnIndex(column);
  assert(i >= 0 && "column not declared");
  if (i >= 0) cells_[static_cast<size_t>(i)] = std::move(value);
  return *this;
}

const std::string& Row::Get(std::string_view column) const {
  static const std::string kEmpty;
  int i = def_->ColumnIndex(column);
  return i >= 0 ? cells_[static_cast<size_t>(i)] : kEmpty;
}

Result<std::unique_ptr<DatasetWriter>> DatasetWriter::Open(const DatasetDef& def,
                                                           const std::string& dir,
                                                           FileFormat format) {
  std::unique_ptr<DatasetWriter> w(new DatasetWriter(def, format));
  w->file_name_ = def.name + (format == FileFormat::kXlsx ? ".xlsx" : ".csv");
  w->path_ = (std::filesystem::path(dir) / w->file_name_).string();
  std::vector<std::string> header;
  for (const ColumnDef& c : def.columns) {
    header.push_back(format == FileFormat::kCsvGb18030 ? c.DisplayName() : c.name);
  }
  if (format == FileFormat::kXlsx) {
    lxw_workbook_options opts = {};
    opts.constant_memory = LXW_TRUE;
    std::string tmp = dir;
    opts.tmpdir = tmp.data();
    w->wb_ = workbook_new_opt(w->path_.c_str(), &opts);
    if (!w->wb_) return Status::IOError("cannot create " + w->path_);
    // A fixed creation time keeps the file byte-identical for a seed.
    static lxw_doc_properties props = {};
    props.created = 1735689600;  // 2025-01-01T00:00:00Z
    props.author = const_cast<char*>("qingfeng synth");
    workbook_set_properties(w->wb_, &props);
    w->ws_ = workbook_add_worksheet(w->wb_, def.zh.c_str());
    if (!w->ws_) return Status::IOError("cannot add a worksheet to " + w->path_);
    w->WriteRaw(header);
    return w;
  }
  w->file_ = std::fopen(w->path_.c_str(), "wb");
  if (!w->file_) return Status::IOError("cannot create " + w->path_);
  if (format == FileFormat::kCsvGb18030) {
    UErrorCode ec = U_ZERO_ERROR;
    w->gb_ = ucnv_open("GB18030", &ec);
    if (U_FAILURE(ec)) return Status::Internal("ICU has no GB18030 converter");
  }
  w->WriteRaw(header);
  return w;
}

DatasetWriter::~DatasetWriter() {
  if (file_) std::fclose(file_);
  if (gb_) ucnv_close(gb_);
  if (wb_) workbook_close(wb_);
}

void DatasetWriter::AppendCsvField(std::string_view v) {
  bool quote = v.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!v.empty() && (v.front() == ' ' || v.back() == ' '));
  if (!quote) {
    line_.append(v);
    return;
  }
  line_.push_back('"');
  for (char c : v) {
    if (c == '"') line_.push_back('"');
    line_.push_back(c);
  }
  line_.push_back('"');
}

void DatasetWriter::FlushLine() {
  line_ += "\r\n";
  if (gb_) {
    // UTF-8 → GB18030 through ICU (every Unicode character has a GB18030 form).
    UErrorCode ec = U_ZERO_ERROR;
    std::string out(line_.size() * 2 + 16, '\0');
    int32_t n = ucnv_convert("GB18030", "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                             line_.data(), static_cast<int32_t>(line_.size()), &ec);
    if (U_FAILURE(ec) && error_.ok()) error_ = Status::Internal("GB18030 conversion failed");
    buf_.append(out.data(), static_cast<size_t>(n > 0 ? n : 0));
  } else {
    buf_ += line_;
  }
  line_.clear();
  if (buf_.size() >= kFlushBytes) {
    Status s = Flush();
    if (!s.ok() && error_.ok()) error_ = s;
  }
}

Status DatasetWriter::Flush() {
  if (!file_ || buf_.empty()) return Status::OK();
  size_t n = std::fwrite(buf_.data(), 1, buf_.size(), file_);
  bool ok = n == buf_.size();
  buf_.clear();
  return ok ? Status::OK() : Status::IOError("cannot write " + path_ + " (disk full?)");
}

int64_t DatasetWriter::WriteRaw(const std::vector<std::string>& cells) {
  int64_t line = ++lines_;  // the header is line 1
  if (ws_) {
    lxw_row_t r = static_cast<lxw_row_t>(line - 1);
    for (size_t c = 0; c < cells.size(); ++c) {
      if (cells[c].empty()) continue;
      worksheet_write_string(ws_, r, static_cast<lxw_col_t>(c), cells[c].c_str(), nullptr);
    }
  } else {
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c) line_.push_back(',');
      AppendCsvField(cells[c]);
    }
    FlushLine();
  }
  return line;
}

void DatasetWriter::Write(const Row& row) { WriteRaw(row.cells()); }

Status DatasetWriter::Close() {
  Status s = error_;
  if (file_) {
    Status f = Flush();
    if (s.ok()) s = f;
    if (std::fclose(file_) != 0 && s.ok()) s = Status::IOError("cannot close " + path_);
    file_ = nullptr;
  }
  if (gb_) {
    ucnv_close(gb_);
    gb_ = nullptr;
  }
  if (wb_) {
    lxw_error e = workbook_close(wb_);
    wb_ = nullptr;
    if (e != LXW_NO_ERROR && s.ok()) {
      s = Status::IOError("cannot write " + path_ + ": " + lxw_strerror(e));
    }
  }
  return s;
}

}  // namespace qf::synth
