// Terminal output for the CLI: aligned tables that count CJK characters as two
// columns, JSON Lines and CSV renderings of the same rows, and a progress bar.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace qf::cli {

enum class Format { kTable, kJsonl, kCsv };
// Parses "table" / "jsonl" / "csv"; false if unknown.
bool ParseFormat(const std::string& s, Format* out);
// --format's value (CLI11 has checked it) as a Format; anything else is the table.
Format FormatOf(const std::string& s);

struct Table {
  std::vector<std::string> keys;     // field names for jsonl/csv
  std::vector<std::string> headers;  // column titles for the table
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;  // per column: right-align, and a JSON number
};

void Print(const Table& t, Format f);

// Display width of UTF-8 text in a terminal (East Asian wide characters = 2).
size_t DisplayWidth(const std::string& s);

// Draws "name [####....] 45% 123,456 行 500,000 行/秒 剩余 3 秒" on stderr when it
// is a terminal; silent otherwise.
class Progress {
 public:
  Progress(std::string label, bool chinese);
  void Update(int64_t rows, double fraction);
  void Finish();

 private:
  std::string label_;
  bool chinese_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
  bool drawn_ = false;
};

std::string GroupThousands(int64_t v);

// One CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
std::string CsvField(const std::string& s);

}  // namespace qf::cli
