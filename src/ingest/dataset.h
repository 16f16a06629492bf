// The datasets qingfeng imports, declared once (../shared/data-contract.md).
// Import, store, documentation and the API all read these declarations; no
// dataset has parser code of its own.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qf {

enum class ColumnType {
  kText,        // trimmed, full-width letters/digits folded
  kIdNumber,    // 公民身份号码, stored as the canonical 18 characters
  kCreditCode,  // 统一社会信用代码
  kParty,       // an ID number or a credit code; the format decides
  kIdList,      // ';'-separated ID numbers
  kDate,        // stored "YYYY-MM-DD"
  kDateTime,    // stored "YYYY-MM-DD HH:MM:SS", Asia/Shanghai
  kPeriod,      // stored "YYYY-MM"
  kYear,        // four-digit year, stored as an integer
  kMoney,       // yuan in, integer fen stored
  kBool,        // stored 0/1
  kRatio,       // "0.35" or "35%", stored as a fraction
  kInteger,
  kDecimal,     // a measurement (area, mileage), stored as REAL
  kRegionCode,  // 6-digit 行政区划代码
  kEnum,        // one of `allowed`, stored in its canonical (simplified) form
};

// SQLite storage class for a column type: "TEXT", "INTEGER" or "REAL".
const char* SqlType(ColumnType t);
// How the type is described in docs and messages ("date YYYY-MM-DD", "金额（元）" …).
const char* TypeDescription(ColumnType t, bool chinese);

struct ColumnDef {
  std::string name;  // canonical English name, also the SQL column name
  ColumnType type = ColumnType::kText;
  bool required = false;
  std::vector<std::string> aliases;  // Chinese header names; aliases[0] is the display name
  std::vector<std::string> allowed;  // for kEnum
  std::string note;                  // one line for the docs

  const std::string& DisplayName() const { return aliases.empty() ? name : aliases[0]; }
};

// A rule that relates several columns of one row.
enum class RowCheck {
  kIdAgreesWithSexAndBirth,  // persons: sex and birth_date must match the ID number
};

struct DatasetDef {
  std::string name;  // "payments"; also the file name stem and the SQL view name
  std::string zh;    // "国库集中支付"
  std::string en;    // "Treasury payments"
  std::vector<ColumnDef> columns;
  std::vector<int> key;  // indexes into columns
  std::vector<RowCheck> checks;
  bool ocds = false;  // may also arrive as OCDS JSON

  int ColumnIndex(std::string_view column_name) const;  // -1 when absent
  std::string KeyDescription() const;                   // "tender_id + bidder_credit_code"
};

// Every dataset, in a sensible import order (registries before the records that cite them).
const std::vector<DatasetDef>& AllDatasets();
// nullptr when unknown. Accepts the English name or the Chinese name.
const DatasetDef* FindDataset(std::string_view name);
// "persons, deaths, …" for error messages.
std::string KnownDatasetNames();

}  // namespace qf
