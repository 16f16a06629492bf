// Detects a text file's encoding (UTF-8 with or without BOM, UTF-16 with BOM,
// GB18030/GBK, …) and converts it to UTF-8 as a stream.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace qf {

// Guesses the encoding of `sample` (the start of a file): "UTF-8", "UTF-8-BOM",
// "UTF-16LE", "UTF-16BE", "GB18030", or another name uchardet reports.
std::string DetectEncoding(std::string_view sample, bool sample_is_whole_file);

// Reads a file as UTF-8 in chunks, whatever its encoding. Never splits a
// character across chunks.
class Utf8FileReader {
 public:
  static Result<std::unique_ptr<Utf8FileReader>> Open(const std::string& path);
  ~Utf8FileReader();

  // Appends up to about `max_bytes` of UTF-8 text to `out`; false at end of file.
  Result<bool> Read(std::string* out, size_t max_bytes = 1 << 20);
  const std::string& encoding() const { return encoding_; }
  double Progress() const;

 private:
  Utf8FileReader() = default;
  FILE* file_ = nullptr;
  std::string encoding_;
  int64_t size_ = 0;
  int64_t consumed_ = 0;
  bool utf8_ = true;
  bool eof_ = false;
  std::string pending_;             // raw bytes not yet converted (an unfinished character)
  void* converter_ = nullptr;       // UConverter* from the file's encoding
  void* utf8_converter_ = nullptr;  // UConverter* to UTF-8
};

}  // namespace qf
