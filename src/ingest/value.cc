#include "ingest/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "common/text.h"
#include "ingest/identifiers.h"

namespace qf {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads 1..max_digits digits at s[*pos]; returns -1 when none.
int ReadNumber(std::string_view s, size_t* pos, size_t max_digits) {
  size_t start = *pos;
  int v = 0;
  while (*pos < s.size() && IsDigit(s[*pos]) && *pos - start < max_digits) {
    v = v * 10 + (s[*pos] - '0');
    ++*pos;
  }
  return *pos == start ? -1 : v;
}

bool Consume(std::string_view s, size_t* pos, std::string_view token) {
  if (s.substr(*pos, token.size()) == token) {
    *pos += token.size();
    return true;
  }
  return false;
}

// Parses a date at the start of `s`; sets *end to the first unread byte.
std::optional<CivilDate> ParseDatePrefix(std::string_view s, size_t* end) {
  size_t pos = 0;
  size_t start = pos;
  int y = ReadNumber(s, &pos, 4);
  if (y < 0) return std::nullopt;
  int m = -1;
  int d = -1;
  if (pos - start == 4 && pos < s.size() && (s[pos] == '-' || s[pos] == '/' || s[pos] == '.')) {
    char sep = s[pos++];
    m = ReadNumber(s, &pos, 2);
    if (m < 0 || pos >= s.size() || s[pos] != sep) return std::nullopt;
    ++pos;
    d = ReadNumber(s, &pos, 2);
  } else if (pos - start == 4 && Consume(s, &pos, "年")) {
    m = ReadNumber(s, &pos, 2);
    if (m < 0 || !Consume(s, &pos, "月")) return std::nullopt;
    d = ReadNumber(s, &pos, 2);
    if (d < 0 || !Consume(s, &pos, "日")) return std::nullopt;
  } else if (pos - start == 4) {
    // YYYYMMDD: the first ReadNumber stopped after four digits.
    size_t p2 = pos;
    int md = ReadNumber(s, &p2, 4);
    if (md < 0 || p2 - pos != 4) return std::nullopt;
    m = md / 100;
    d = md % 100;
    pos = p2;
  } else {
    return std::nullopt;
  }
  if (d < 0 || !IsValidDate(y, m, d) || y < 1870) return std::nullopt;
  *end = pos;
  return CivilDate{y, m, d};
}

// "HH:MM[:SS]" → seconds in the day.
std::optional<int64_t> ParseTimeOfDay(std::string_view s) {
  size_t pos = 0;
  int h = ReadNumber(s, &pos, 2);
  if (h < 0 || !Consume(s, &pos, ":")) return std::nullopt;
  size_t mstart = pos;
  int mi = ReadNumber(s, &pos, 2);
  if (mi < 0 || pos - mstart != 2) return std::nullopt;
  int sec = 0;
  if (Consume(s, &pos, ":")) {
    size_t sstart = pos;
    sec = ReadNumber(s, &pos, 2);
    if (sec < 0 || pos - sstart != 2) return std::nullopt;
    if (Consume(s, &pos, ".")) {  // fractional seconds are dropped
      while (pos < s.size() && IsDigit(s[pos])) ++pos;
    }
  }
  if (pos != s.size() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  return int64_t{h} * 3600 + mi * 60 + sec;
}

std::string Clean(std::string_view raw) { return std::string(Trim(FoldWidth(Trim(raw)))); }

Status Bad(const ColumnDef& col, std::string_view raw, const std::string& en_expect,
           const std::string& zh_expect) {
  return Status::InvalidInput("'" + ClipForMessage(raw) + "' is not " + en_expect,
                              "“" + ClipForMessage(raw) + "”不是" + zh_expect);
  (void)col;
}

std::string FormatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

// Folds full-width digits and letters only (names keep their Chinese punctuation).
std::string FoldAlnum(std::string_view s) {
  // Full-width letters and digits all start with 0xEF: most values have none.
  if (s.empty() || std::memchr(s.data(), 0xEF, s.size()) == nullptr) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c0 = static_cast<unsigned char>(s[i]);
    if (c0 == 0xEF && i + 2 < s.size()) {
      unsigned cp = ((c0 & 0x0F) << 12) | ((static_cast<unsigned char>(s[i + 1]) & 0x3F) << 6) |
                    (static_cast<unsigned char>(s[i + 2]) & 0x3F);
      bool alnum = (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
                   (cp >= 0xFF41 && cp <= 0xFF5A);
      if (alnum) {
        out.push_back(static_cast<char>(cp - 0xFEE0));
        i += 3;
        continue;
      }
    }
    out.push_back(static_cast<char>(c0));
    ++i;
  }
  return out;
}

}  // namespace

std::string Value::ToString() const {
  switch (kind) {
    case Kind::kNull:
      return "";
    case Kind::kInt:
      return std::to_string(i);
    case Kind::kReal:
      return FormatNumber(d);
    case Kind::kText:
      return s;
  }
  return "";
}

std::optional<CivilDate> ParseDate(std::string_view raw) {
  std::string s = Clean(raw);
  size_t end = 0;
  auto d = ParseDatePrefix(s, &end);
  if (!d) return std::nullopt;
  std::string_view rest = Trim(std::string_view(s).substr(end));
  // A spreadsheet export may append a midnight time to a date.
  if (!rest.empty()) {
    auto t = ParseTimeOfDay(rest);
    if (!t || *t != 0) return std::nullopt;
  }
  return d;
}

std::optional<int64_t> ParseDateTime(std::string_view raw) {
  std::string s = Clean(raw);
  size_t end = 0;
  auto d = ParseDatePrefix(s, &end);
  if (!d) return std::nullopt;
  int64_t base = DaysFromCivil(d->year, d->month, d->day) * 86400;
  std::string_view rest = std::string_view(s).substr(end);
  if (Trim(rest).empty()) return base;
  if (rest[0] != ' ' && rest[0] != 'T') return std::nullopt;
  auto t = ParseTimeOfDay(Trim(rest.substr(1)));
  if (!t) return std::nullopt;
  return base + *t;
}

std::optional<CivilDate> ParsePeriod(std::string_view raw) {
  std::string s = Clean(raw);
  size_t pos = 0;
  int y = ReadNumber(s, &pos, 4);
  if (y < 0 || pos != 4) return std::nullopt;
  int m = -1;
  if (pos < s.size() && (s[pos] == '-' || s[pos] == '/' || s[pos] == '.')) {
    ++pos;
    m = ReadNumber(s, &pos, 2);
  } else if (Consume(s, &pos, "年")) {
    m = ReadNumber(s, &pos, 2);
    if (!Consume(s, &pos, "月")) return std::nullopt;
  } else {
    size_t p = pos;
    m = ReadNumber(s, &p, 2);
    if (p - pos != 2) return std::nullopt;
    pos = p;
  }
  if (pos != s.size() || m < 1 || m > 12 || y < 1900) return std::nullopt;
  return CivilDate{y, m, 1};
}

Result<int64_t> ParseMoneyFen(std::string_view raw) {
  std::string s = Clean(raw);
  std::string_view v = s;
  auto bad = [&](const std::string& en, const std::string& zh) {
    return Status::InvalidInput("'" + ClipForMessage(raw) + "' is not an amount in yuan: " + en,
                                "“" + ClipForMessage(raw) + "”不是有效金额：" + zh);
  };
  bool neg = false;
  if (!v.empty() && (v[0] == '-' || v[0] == '+')) {
    neg = v[0] == '-';
    v.remove_prefix(1);
  }
  if (v.substr(0, 2) == "\xC2\xA5") v.remove_prefix(2);      // ¥
  if (v.substr(0, 3) == "\xEF\xBF\xA5") v.remove_prefix(3);  // ￥
  if (v.size() >= 3 && v.substr(v.size() - 3) == "元") v.remove_suffix(3);
  v = Trim(v);
  if (!v.empty() && v[0] == '-' && !neg) {  // "¥-12"
    neg = true;
    v.remove_prefix(1);
  }
  if (v.empty()) return bad("no digits", "没有数字");
  size_t dot = v.find('.');
  std::string_view whole = v.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
  if (whole.empty() && frac.empty()) return bad("no digits", "没有数字");
  // Thousands separators must group by three.
  std::string digits;
  size_t group = 0;
  bool seen_comma = false;
  for (size_t i = 0; i < whole.size(); ++i) {
    char c = whole[i];
    if (IsDigit(c)) {
      digits.push_back(c);
      ++group;
    } else if (c == ',') {
      if ((seen_comma && group != 3) || (!seen_comma && (group == 0 || group > 3))) {
        return bad("misplaced thousands separator", "千分位逗号位置不对");
      }
      seen_comma = true;
      group = 0;
    } else {
      return bad("unexpected character", std::string("含有非法字符“") + c + "”");
    }
  }
  if (seen_comma && group != 3) return bad("misplaced thousands separator", "千分位逗号位置不对");
  for (char c : frac) {
    if (!IsDigit(c)) return bad("unexpected character", "小数部分含有非法字符");
  }
  // Trailing zeros beyond two decimals carry no value ("1.500").
  while (frac.size() > 2 && frac.back() == '0') frac.remove_suffix(1);
  if (frac.size() > 2) return bad("more than two decimals", "小数超过两位（金额精确到分）");
  if (digits.empty()) digits = "0";
  if (digits.size() > 15) return bad("too large", "数额过大");
  int64_t fen = 0;
  for (char c : digits) fen = fen * 10 + (c - '0');
  fen *= 100;
  if (!frac.empty()) fen += (frac[0] - '0') * 10;
  if (frac.size() > 1) fen += frac[1] - '0';
  return neg ? -fen : fen;
}

std::optional<bool> ParseBool(std::string_view raw) {
  std::string s = AsciiLower(Clean(raw));
  if (s == "是" || s == "y" || s == "yes" || s == "true" || s == "1" || s == "t") return true;
  if (s == "否" || s == "n" || s == "no" || s == "false" || s == "0" || s == "f") return false;
  return std::nullopt;
}

std::optional<double> ParseRatio(std::string_view raw) {
  std::string s = Clean(raw);
  bool percent = false;
  if (!s.empty() && s.back() == '%') {
    percent = true;
    s.pop_back();
    s = std::string(Trim(s));
  }
  if (s.empty()) return std::nullopt;
  for (char c : s) {
    if (!IsDigit(c) && c != '.') return std::nullopt;
  }
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  if (percent) v /= 100.0;
  if (v < 0 || v > 1.0 + 1e-9) return std::nullopt;
  return v;
}

std::optional<int64_t> ExcelSerialToLocalSeconds(double serial) {
  if (!(serial >= 1 && serial < 2958466)) return std::nullopt;  // up to 9999-12-31
  double whole = std::floor(serial);
  // Excel counts 1900-02-29, which never existed: serials before it start one day later.
  int64_t base = whole < 61 ? DaysFromCivil(1899, 12, 31) : DaysFromCivil(1899, 12, 30);
  int64_t seconds = std::llround((serial - whole) * 86400.0);
  return (base + static_cast<int64_t>(whole)) * 86400 + seconds;
}

Result<Value> ParseValue(const ColumnDef& col, Cell cell) {
  std::string_view raw = Trim(cell.text);
  if (raw.empty()) return Value::Null();
  switch (col.type) {
    case ColumnType::kText:
      return Value::Text(FoldAlnum(raw));
    case ColumnType::kIdNumber: {
      QF_ASSIGN_OR_RETURN(std::string id, NormalizeIdNumber(raw));
      return Value::Text(std::move(id));
    }
    case ColumnType::kCreditCode: {
      QF_ASSIGN_OR_RETURN(std::string cc, NormalizeCreditCode(raw));
      return Value::Text(std::move(cc));
    }
    case ColumnType::kParty: {
      QF_ASSIGN_OR_RETURN(Party p, NormalizeParty(raw));
      return Value::Text(std::move(p.code));
    }
    case ColumnType::kIdList: {
      std::string folded = FoldWidth(raw);
      std::string out;
      size_t start = 0;
      while (start <= folded.size()) {
        size_t end = folded.find(';', start);
        if (end == std::string::npos) end = folded.size();
        std::string_view item = Trim(std::string_view(folded).substr(start, end - start));
        if (!item.empty()) {
          QF_ASSIGN_OR_RETURN(std::string id, NormalizeIdNumber(item));
          if (!out.empty()) out += ';';
          out += id;
        }
        start = end + 1;
      }
      return out.empty() ? Value::Null() : Value::Text(std::move(out));
    }
    case ColumnType::kDate: {
      if (cell.numeric) {
        auto secs = ExcelSerialToLocalSeconds(std::strtod(std::string(raw).c_str(), nullptr));
        if (secs) return Value::Text(FormatDate(CivilFromDays(*secs / 86400)));
      }
      auto d = ParseDate(raw);
      if (!d)
        return Bad(col, raw, "a date (YYYY-MM-DD, YYYY/M/D, YYYYMMDD or YYYY年M月D日)",
                   "有效日期（应为YYYY-MM-DD、YYYY/M/D、YYYYMMDD或YYYY年M月D日）");
      return Value::Text(FormatDate(*d));
    }
    case ColumnType::kDateTime: {
      std::optional<int64_t> secs;
      if (cell.numeric)
        secs = ExcelSerialToLocalSeconds(std::strtod(std::string(raw).c_str(), nullptr));
      if (!secs) secs = ParseDateTime(raw);
      if (!secs)
        return Bad(col, raw, "a date and time (YYYY-MM-DD HH:MM[:SS])",
                   "有效时间（应为YYYY-MM-DD HH:MM[:SS]）");
      return Value::Text(FormatLocalDateTime(*secs));
    }
    case ColumnType::kPeriod: {
      auto p = ParsePeriod(raw);
      if (!p && cell.numeric) {
        auto secs = ExcelSerialToLocalSeconds(std::strtod(std::string(raw).c_str(), nullptr));
        if (secs) {
          CivilDate d = CivilFromDays(*secs / 86400);
          p = CivilDate{d.year, d.month, 1};
        }
      }
      if (!p) return Bad(col, raw, "a month (YYYY-MM)", "有效月份（应为YYYY-MM）");
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d", p->year, p->month);
      return Value::Text(buf);
    }
    case ColumnType::kYear: {
      std::string s = Clean(raw);
      if (s.size() == 7 && s.substr(4) == "年") s.resize(4);
      if (cell.numeric && s.size() == 6 && s.substr(4) == ".0") s.resize(4);
      int y = 0;
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), y);
      if (ec != std::errc() || p != s.data() + s.size() || s.size() != 4 || y < 1900 || y > 2100) {
        return Bad(col, raw, "a four-digit year", "有效年度（四位数字）");
      }
      return Value::Int(y);
    }
    case ColumnType::kMoney: {
      if (cell.numeric) {
        double v = std::strtod(std::string(raw).c_str(), nullptr);
        // A spreadsheet number is binary floating point; the nearest fen is what was typed.
        if (std::isfinite(v) && std::fabs(v) < 1e15) return Value::Int(std::llround(v * 100.0));
      }
      QF_ASSIGN_OR_RETURN(int64_t fen, ParseMoneyFen(raw));
      return Value::Int(fen);
    }
    case ColumnType::kBool: {
      auto b = ParseBool(raw);
      if (!b)
        return Bad(col, raw, "yes or no (是/否, Y/N, true/false, 1/0)",
                   "是/否（可写是/否、Y/N、true/false、1/0）");
      return Value::Int(*b ? 1 : 0);
    }
    case ColumnType::kRatio: {
      auto r = ParseRatio(raw);
      if (!r)
        return Bad(col, raw, "a ratio between 0 and 1 (0.35 or 35%)",
                   "0到1之间的比例（如0.35或35%）");
      return Value::Real(*r);
    }
    case ColumnType::kInteger: {
      std::string s = Clean(raw);
      std::string digits;
      for (char c : s) {
        if (c != ',') digits.push_back(c);
      }
      // "12.0" from a spreadsheet is still the integer 12.
      size_t dot = digits.find('.');
      if (dot != std::string::npos && digits.find_first_not_of('0', dot + 1) == std::string::npos) {
        digits.resize(dot);
      }
      int64_t v = 0;
      auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
      if (ec != std::errc() || p != digits.data() + digits.size() || digits.empty()) {
        return Bad(col, raw, "a whole number", "整数");
      }
      return Value::Int(v);
    }
    case ColumnType::kDecimal: {
      std::string s = Clean(raw);
      std::string digits;
      for (char c : s) {
        if (c != ',') digits.push_back(c);
      }
      char* end = nullptr;
      double v = std::strtod(digits.c_str(), &end);
      bool plain =
          !digits.empty() && digits.find_first_not_of("+-.0123456789") == std::string::npos;
      if (!plain || end != digits.c_str() + digits.size() || !std::isfinite(v)) {
        return Bad(col, raw, "a number", "数值");
      }
      return Value::Real(v);
    }
    case ColumnType::kRegionCode: {
      std::string s = Clean(raw);
      if (cell.numeric && s.size() == 8 && s.substr(6) == ".0") s.resize(6);
      bool ok = s.size() == 6 && s[0] != '0';
      for (char c : s) ok = ok && IsDigit(c);
      if (!ok) return Bad(col, raw, "a 6-digit region code", "6位行政区划代码");
      return Value::Text(std::move(s));
    }
    case ColumnType::kEnum: {
      std::string s = NormalizeForCompare(raw);
      std::string lower = AsciiLower(s);
      for (const std::string& a : col.allowed) {
        if (a == s || AsciiLower(a) == lower) return Value::Text(a);
      }
      std::string list;
      for (const std::string& a : col.allowed) list += (list.empty() ? "" : "、") + a;
      return Status::InvalidInput(
          "'" + ClipForMessage(raw) + "' is not one of the allowed values: " + list,
          "“" + ClipForMessage(raw) + "”不是允许的取值（应为" + list + "之一）");
    }
  }
  return Status::Internal("unhandled column type");
}

}  // namespace qf
