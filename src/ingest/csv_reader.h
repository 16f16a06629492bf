// RFC 4180 CSV (comma, double-quote quoting, embedded newlines), in any
// encoding Utf8FileReader detects. The first record is the header.
#pragma once

#include <memory>
#include <string>

#include "ingest/encoding.h"
#include "ingest/source.h"

namespace qf {

class CsvReader : public RecordSource {
 public:
  // Opens `path` for `dataset` and reads the header. Fails when the file is
  // unreadable or has no header line.
  static Result<std::unique_ptr<CsvReader>> Open(const std::string& path,
                                                 const std::string& dataset);

  const std::vector<StreamInfo>& streams() const override { return streams_; }
  Result<bool> Next(Record* rec) override;
  double Progress() const override { return input_->Progress(); }
  std::string Encoding() const override { return input_->encoding(); }
  std::string Format() const override { return "csv"; }

 private:
  CsvReader() = default;
  // Parses one record at pos_ into `fields`; false when the file has ended.
  Result<bool> ParseRecord(std::vector<std::string>* fields, int64_t* start_line, Status* problem);
  Result<bool> Fill();  // reads another chunk; false at end of file

  std::unique_ptr<Utf8FileReader> input_;
  std::vector<StreamInfo> streams_;
  std::string buf_;
  size_t pos_ = 0;
  bool eof_ = false;
  int64_t line_ = 1;  // physical line at pos_
};

}  // namespace qf
