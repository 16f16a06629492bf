#include "ingest/encoding.h"

#include <uchardet/uchardet.h>
#include <unicode/ucnv.h>

#include <vector>

#include "common/text.h"

namespace qf {

std::string DetectEncoding(std::string_view sample, bool whole_file) {
  if (sample.substr(0, 3) == "\xEF\xBB\xBF") return "UTF-8-BOM";
  if (sample.substr(0, 2) == "\xFF\xFE") return "UTF-16LE";
  if (sample.substr(0, 2) == "\xFE\xFF") return "UTF-16BE";
  // Valid UTF-8 (allowing a character cut at the sample's end) is UTF-8: GBK
  // text of any length is almost never valid UTF-8.
  std::string_view s = whole_file ? sample : sample.substr(0, Utf8CompletePrefix(sample));
  if (IsValidUtf8(s)) return "UTF-8";
  uchardet_t ud = uchardet_new();
  uchardet_handle_data(ud, sample.data(), sample.size());
  uchardet_data_end(ud);
  std::string guess = uchardet_get_charset(ud);
  uchardet_delete(ud);
  // Files from Chinese government systems that are not UTF-8 are GBK or GB18030;
  // GB18030 is the superset. uchardet confuses short GBK text with other CJK sets.
  if (guess.empty() || guess == "GB18030" || guess == "GBK" || guess == "GB2312" ||
      guess == "EUC-KR" || guess == "EUC-JP" || guess == "SHIFT_JIS" || guess == "BIG5" ||
      guess == "EUC-TW" || guess == "ASCII") {
    return "GB18030";
  }
  return guess;
}

Result<std::unique_ptr<Utf8FileReader>> Utf8FileReader::Open(const std::string& path) {
  std::unique_ptr<Utf8FileReader> r(new Utf8FileReader());
  r->file_ = std::fopen(path.c_str(), "rb");
  if (!r->file_) return Status::InvalidInput("cannot open " + path, "无法打开文件：" + path);
  std::fseek(r->file_, 0, SEEK_END);
  r->size_ = std::ftell(r->file_);
  std::fseek(r->file_, 0, SEEK_SET);
  std::string sample(1 << 16, '\0');
  size_t n = std::fread(sample.data(), 1, sample.size(), r->file_);
  sample.resize(n);
  r->encoding_ = DetectEncoding(sample, static_cast<int64_t>(n) == r->size_);
  r->pending_ = std::move(sample);
  r->consumed_ = static_cast<int64_t>(n);
  if (r->encoding_ == "UTF-8-BOM") {
    r->pending_.erase(0, 3);
  } else if (r->encoding_ != "UTF-8") {
    UErrorCode err = U_ZERO_ERROR;
    UConverter* conv = ucnv_open(r->encoding_.c_str(), &err);
    if (U_FAILURE(err)) {
      return Status::InvalidInput("unsupported text encoding " + r->encoding_ + " in " + path,
                                  "不支持的文件编码" + r->encoding_ + "：" + path);
    }
    r->converter_ = conv;
    r->utf8_converter_ = ucnv_open("UTF-8", &err);
    if (U_FAILURE(err)) return Status::Internal("ICU has no UTF-8 converter");
    r->utf8_ = false;
  }
  return r;
}

Utf8FileReader::~Utf8FileReader() {
  if (file_) std::fclose(file_);
  if (converter_) ucnv_close(static_cast<UConverter*>(converter_));
  if (utf8_converter_) ucnv_close(static_cast<UConverter*>(utf8_converter_));
}

double Utf8FileReader::Progress() const {
  return size_ > 0 ? static_cast<double>(consumed_) / static_cast<double>(size_) : 1.0;
}

Result<bool> Utf8FileReader::Read(std::string* out, size_t max_bytes) {
  if (!eof_ && pending_.size() < max_bytes) {
    size_t old = pending_.size();
    pending_.resize(old + max_bytes);
    size_t n = std::fread(pending_.data() + old, 1, max_bytes, file_);
    pending_.resize(old + n);
    consumed_ += static_cast<int64_t>(n);
    if (n < max_bytes) {
      if (std::ferror(file_)) return Status::IOError("read error");
      eof_ = true;
    }
  }
  if (pending_.empty()) return false;
  if (utf8_) {
    // Hand over whole characters only; the rest waits for the next chunk.
    size_t take = eof_ ? pending_.size() : Utf8CompletePrefix(pending_);
    out->append(pending_, 0, take);
    pending_.erase(0, take);
    return true;
  }
  auto* conv = static_cast<UConverter*>(converter_);
  std::vector<char> target(pending_.size() * 3 + 16);
  char* t = target.data();
  const char* s = pending_.data();
  UErrorCode err = U_ZERO_ERROR;
  // Convert through UTF-16, ICU's pivot. The target is large enough that the
  // whole source is consumed; an unfinished character stays inside `conv`.
  auto* utf8 = static_cast<UConverter*>(utf8_converter_);
  UChar pivot[4096];
  UChar* ps = pivot;
  UChar* pt = pivot;
  ucnv_convertEx(utf8, conv, &t, target.data() + target.size(), &s,
                 pending_.data() + pending_.size(), pivot, &ps, &pt, pivot + 4096, false, eof_,
                 &err);
  if (U_FAILURE(err))
    return Status::IOError(std::string("encoding conversion failed: ") + u_errorName(err));
  out->append(target.data(), static_cast<size_t>(t - target.data()));
  pending_.erase(0, static_cast<size_t>(s - pending_.data()));
  if (eof_) pending_.clear();
  return true;
}

}  // namespace qf
