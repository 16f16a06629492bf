// What every reader (CSV, XLSX, OCDS) delivers to the importer: one or more
// streams of records, each stream with a header and a target dataset.
// Readers stream: memory does not grow with the file's size.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace qf {

struct Record {
  int stream = 0;                   // index into RecordSource::streams()
  int64_t line = 0;                 // 1-based line (CSV), row (XLSX) or line/position (JSON)
  std::string location;             // finer position where useful, e.g. "releases[3].bids"
  std::vector<std::string> fields;  // aligned with the stream's header
  std::vector<uint8_t> numeric;     // empty, or per field: 1 = spreadsheet number cell
  // Set when the reader could not make a proper record of this part of the file
  // (broken quoting, wrong field count, bad encoding): it is quarantined whole.
  Status problem;
  // OCDS releases update a tender piecemeal: absent fields keep their stored values.
  bool merge_with_current = false;
  // Codes come from a foreign scheme (OCDS organisation ids): credit-code
  // columns then accept any non-empty identifier as it is.
  bool external_identifiers = false;
};

struct StreamInfo {
  std::string dataset;              // target dataset name
  std::vector<std::string> header;  // the file's own header names
};

class RecordSource {
 public:
  virtual ~RecordSource() = default;
  // Known once the source is opened.
  virtual const std::vector<StreamInfo>& streams() const = 0;
  // Next record; false at the end. A non-OK status means the file cannot be read on.
  virtual Result<bool> Next(Record* rec) = 0;
  // Fraction of the input consumed, 0..1, for progress display.
  virtual double Progress() const = 0;
  // "UTF-8", "GB18030", … ; empty where not applicable.
  virtual std::string Encoding() const { return ""; }
  virtual std::string Format() const = 0;  // "csv", "xlsx", "ocds"
};

}  // namespace qf
