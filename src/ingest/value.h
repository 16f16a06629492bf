// Turning one raw cell into a typed, validated value, as the contract says.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"
#include "ingest/dataset.h"

namespace qf {

// A cell as a reader delivers it. `numeric` marks a spreadsheet number cell,
// whose text is the number in decimal (dates are then Excel serial numbers in
// the 1900 date system).
struct Cell {
  std::string_view text;
  bool numeric = false;
};

struct Value {
  enum class Kind : uint8_t { kNull, kInt, kReal, kText };
  Kind kind = Kind::kNull;
  int64_t i = 0;
  double d = 0;
  std::string s;

  static Value Null() { return Value{}; }
  static Value Int(int64_t v) { return Value{Kind::kInt, v, 0, {}}; }
  static Value Real(double v) { return Value{Kind::kReal, 0, v, {}}; }
  static Value Text(std::string v) { return Value{Kind::kText, 0, 0, std::move(v)}; }
  bool is_null() const { return kind == Kind::kNull; }
  // The value as text, as it is stored ("2024-01-02", "123450" fen, "0.35").
  std::string ToString() const;
};

// Parses `cell` for `col`. An empty cell gives a null Value (the caller checks
// `required`). A bad value gives InvalidInput with a reason a clerk understands.
Result<Value> ParseValue(const ColumnDef& col, Cell cell);

// Building blocks, exposed for the readers and for tests.
std::optional<CivilDate> ParseDate(std::string_view s);
// Seconds since local 1970-01-01 00:00; a date alone means midnight.
std::optional<int64_t> ParseDateTime(std::string_view s);
std::optional<CivilDate> ParsePeriod(std::string_view s);  // day is 1
// Yuan text ("1,234.50", "¥12", "-3.5元") to fen. Fails on > 2 decimals or junk.
Result<int64_t> ParseMoneyFen(std::string_view s);
std::optional<bool> ParseBool(std::string_view s);
std::optional<double> ParseRatio(std::string_view s);
// Excel 1900-system serial (possibly fractional) to local seconds.
std::optional<int64_t> ExcelSerialToLocalSeconds(double serial);

}  // namespace qf
