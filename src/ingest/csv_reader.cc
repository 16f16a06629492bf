#include "ingest/csv_reader.h"

#include <array>

#include "common/text.h"

namespace qf {

namespace {
// The bytes that end an unquoted field: one table lookup per byte.
constexpr auto kEndsField = [] {
  std::array<bool, 256> t{};
  t[','] = t['\n'] = t['\r'] = true;
  return t;
}();
}  // namespace

Result<std::unique_ptr<CsvReader>> CsvReader::Open(const std::string& path,
                                                   const std::string& dataset) {
  std::unique_ptr<CsvReader> r(new CsvReader());
  QF_ASSIGN_OR_RETURN(r->input_, Utf8FileReader::Open(path));
  StreamInfo info;
  info.dataset = dataset;
  int64_t line = 0;
  Status problem;
  // Blank lines before the header are skipped.
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool got, r->ParseRecord(&info.header, &line, &problem));
    if (!got) {
      return Status::InvalidInput("file " + path + " is empty: it has no header line",
                                  "文件" + path + "是空的：没有表头行");
    }
    if (!problem.ok()) {
      return problem.WithContext("the header line of " + path + " cannot be read",
                                 "文件" + path + "的表头行无法读取");
    }
    bool blank = true;
    for (const std::string& h : info.header) blank = blank && Trim(h).empty();
    if (!blank) break;
  }
  r->streams_.push_back(std::move(info));
  return r;
}

Result<bool> CsvReader::Fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  QF_ASSIGN_OR_RETURN(bool more, input_->Read(&buf_));
  if (!more) eof_ = true;
  return more;
}

Result<bool> CsvReader::ParseRecord(std::vector<std::string>* fields, int64_t* start_line,
                                    Status* problem) {
  *problem = Status::OK();
  for (;;) {
    // Parse from pos_; on running out of buffered text before the record ends,
    // read more and parse the record again from its start.
    size_t p = pos_;
    int64_t line = line_;
    size_t nfields = 0;
    bool complete = false;
    bool quote_error = false;
    if (p >= buf_.size() && eof_) return false;
    auto field = [&]() -> std::string& {
      if (fields->size() <= nfields) fields->emplace_back();
      std::string& f = (*fields)[nfields++];
      f.clear();
      return f;
    };
    while (p < buf_.size() || eof_) {
      std::string& f = field();
      if (p < buf_.size() && buf_[p] == '"') {
        ++p;
        bool closed = false;
        while (p < buf_.size()) {
          char c = buf_[p];
          if (c == '"') {
            if (p + 1 < buf_.size() && buf_[p + 1] == '"') {
              f.push_back('"');
              p += 2;
              continue;
            }
            if (p + 1 >= buf_.size() && !eof_) break;  // need to see the next byte
            ++p;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          f.push_back(c);
          ++p;
        }
        if (!closed) {
          if (!eof_) break;  // read more
          quote_error = true;
          complete = true;
          p = buf_.size();
          break;
        }
        // Text after a closing quote (`"ab"c`) is kept, as spreadsheets do.
        while (p < buf_.size() && buf_[p] != ',' && buf_[p] != '\n' && buf_[p] != '\r') {
          f.push_back(buf_[p++]);
        }
      } else {
        size_t start = p;
        const size_t end = buf_.size();
        const char* data = buf_.data();
        while (p < end && !kEndsField[static_cast<unsigned char>(data[p])]) ++p;
        f.append(buf_, start, p - start);
      }
      if (p >= buf_.size()) {
        if (!eof_) break;  // read more
        complete = true;
        break;
      }
      char c = buf_[p];
      if (c == ',') {
        ++p;
        continue;
      }
      if (c == '\r') {
        if (p + 1 >= buf_.size() && !eof_) break;
        ++p;
        if (p < buf_.size() && buf_[p] == '\n') ++p;
      } else {
        ++p;
      }
      ++line;
      complete = true;
      break;
    }
    if (!complete) {
      QF_ASSIGN_OR_RETURN(bool more, Fill());
      (void)more;
      continue;
    }
    fields->resize(nfields);
    *start_line = line_;
    line_ = line;
    pos_ = p;
    if (quote_error) {
      *problem =
          Status::InvalidInput("a quoted field starting on this line is never closed (missing \")",
                               "从本行开始的带引号字段没有结束引号（缺少\"）");
    }
    return true;
  }
}

Result<bool> CsvReader::Next(Record* rec) {
  const size_t width = streams_[0].header.size();
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool got, ParseRecord(&rec->fields, &rec->line, &rec->problem));
    if (!got) return false;
    rec->stream = 0;
    rec->numeric.clear();
    rec->location.clear();
    if (rec->fields.size() == 1 && Trim(rec->fields[0]).empty()) continue;  // blank line
    if (!rec->problem.ok()) return true;
    for (const std::string& f : rec->fields) {
      if (!IsValidUtf8(f)) {
        rec->problem = Status::InvalidInput(
            "the line holds bytes that are not valid " + input_->encoding() + " text",
            "该行含有无法按" + input_->encoding() + "编码识别的字符");
        return true;
      }
    }
    if (rec->fields.size() != width) {
      // Spreadsheets drop trailing empty cells; extra empty cells are harmless too.
      bool only_empty_extra = true;
      for (size_t i = width; i < rec->fields.size(); ++i) {
        only_empty_extra = only_empty_extra && Trim(rec->fields[i]).empty();
      }
      if (rec->fields.size() > width && only_empty_extra) {
        rec->fields.resize(width);
      } else {
        rec->problem = Status::InvalidInput(
            "the line has " + std::to_string(rec->fields.size()) + " fields but the header has " +
                std::to_string(width) + " (a comma inside a value needs double quotes)",
            "该行有" + std::to_string(rec->fields.size()) + "个字段，表头有" +
                std::to_string(width) + "个（值中含逗号时须用英文双引号括起）");
      }
    }
    return true;
  }
}

}  // namespace qf
