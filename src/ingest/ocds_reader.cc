// OCDS 1.0 / 1.1 reader: turns releases and records into rows of the tenders, bids and
// contracts datasets.
//
// INPUT FORMS (detected from the content)
//   * release package {"releases": [...]} and record package {"records": [...]};
//   * a single release (an object with "ocid") or a single record ("ocid" with
//     "compiledRelease", "releases" or "versionedRelease");
//   * a top-level JSON array of releases, records or packages;
//   * JSON Lines: .jsonl/.ndjson files, or a .json file whose first value ends on line 1 and
//     is followed by more values. Each line is a release, record or package. A broken line
//     becomes one quarantined record and the other lines are read on; in any other JSON a
//     syntax error rejects the whole file (Open reports line and column).
//   Records: compiledRelease when present. Otherwise the embedded releases are compiled with
//   the OCDS merge rules: ordered by date (a missing date sorts first, ties keep file order),
//   objects merged recursively, arrays whose elements all are objects with an "id" merged by
//   id, other arrays and values replaced, null removes a field. Linked releases (only url,
//   date, tag) cannot be compiled: such a record is quarantined with that reason. Versioned
//   releases (also a record's versionedRelease when nothing better is there) are used by
//   taking the latest value of every versioned field - what the compiled release would hold.
//   Releases of one ocid anywhere in the file (package, array, JSON Lines) are merged the
//   same way into one compiled release before mapping: the importer rejects a key that
//   appears twice in one file.
//
// STREAMING
//   A byte-level scanner walks the outer structure (packages, arrays, lines) and cuts out one
//   release or record at a time; only that text becomes a DOM (nlohmann::json::sax_parse with
//   a small DOM builder that caps nesting at 100 levels). Open() makes a first, DOM-free pass
//   that checks the syntax of the whole file, rejects what is not OCDS and counts the units
//   per ocid (64-bit hash -> count: the compact per-ocid state). The second pass emits an
//   ocid as soon as its last release has been read, so when a publisher keeps the releases
//   of a process together only one process is in memory at a time. Text encodings are
//   detected and converted by Utf8FileReader; ill-formed UTF-8 is replaced by U+FFFD.
//
// MAPPING (streams in this order: 0 tenders, 1 bids, 2 contracts; every record has
// external_identifiers set; tenders and contracts rows have merge_with_current set and leave
// absent values empty so that the stored version keeps them)
//   tenders, one row per ocid; tender_id = ocid
//     title          tender.title, else planning.budget.project, else the first contract's or
//                    award's title, else tender.description (ocds_title_source names it)
//     buyer_org      buyer.name (or its party's name), else tender.procuringEntity (1.0),
//                    else the party with role buyer, else the party with role procuringEntity
//     method         procurementMethod open->公开招标, selective->邀请招标, limited->竞争性谈判,
//                    direct->单一来源; a value that already is one of the allowed Chinese
//                    terms (also in traditional characters) is kept; anything else is passed
//                    on raw so that the importer's quarantine names it
//     category       mainProcurementCategory goods->货物, works->工程, services and
//                    consultingServices->服务; other values stay only in an extra
//     item_code      the first tender.items[].classification.id
//     budget_amount  tender.value.amount, else planning.budget.amount.amount
//     publish_date   tender.tenderPeriod.startDate, else tender.datePublished, else the date of
//                    the earliest release that holds the tender (ocds_publish_date_source)
//     bid_deadline   tender.tenderPeriod.endDate
//     award_*        the first award with status "active", else the first without a status:
//                    award_date = its date, winner_credit_code = its first supplier,
//                    award_amount = its value.amount
//     status         such an award -> 中标; else tender.status unsuccessful->流标,
//                    cancelled->废标, active/planning/planned->进行中; else empty
//     agency         the procuring entity (tender.procuringEntity or the party with that role)
//                    when a buyer is named and it is another organisation (by id, else name)
//   bids, one row per bids.details[] entry and tenderer; key ocid + bidder
//     bidder_credit_code / bidder_name  the tenderer (names looked up in parties)
//     bid_amount     details.value.amount (missing -> empty, the importer quarantines)
//     submit_time    details.date
//     qualified      status disqualified/invalid/withdrawn/not-qualified/rejected/unsuccessful
//                    -> 否; valid/qualified/active -> 是; pending, invited and others -> empty
//                    (not decided yet); raw status in ocds_bid_status
//     A second bid of the same tenderer in one process (another lot) is quarantined with that
//     reason: the dataset keeps one bid per tenderer and tender.
//   contracts, one row per contracts[]; contract_id = ocid + "/" + contract.id
//     supplier_credit_code  first supplier of the award named by awardID (else the contract's
//                    own suppliers[], an extension)
//     amount         value.amount
//     sign_date      dateSigned, else period.startDate (ocds_sign_date_source says so)
//     final_amount   sum of implementation.transactions[].value.amount (1.0: amount.amount),
//                    each rounded to fen; empty when there are none or one is unreadable
//     change_count   size of amendments[], else 1 for a 1.0 "amendment" object, else empty
//   Identifiers: a party whose identifier.scheme is CN-USCC gives its bare identifier.id; an
//     organisation id "CN-USCC-<code>" gives <code>; those are validated as credit codes. Any
//     other organisation id (MX-RFC-..., UA-EDR-..., "12345") is passed on unchanged - for 1.0
//     organisations without an id, identifier "<scheme>-<id>" - and the importer keeps it as
//     text because the record has external_identifiers set.
//   Amounts: JSON numbers (read through the shortest decimal that round-trips the double,
//     i.e. as written) or numeric strings, written as plain yuan with at most 2 decimals,
//     rounded half away from zero (the unrounded text goes to an *_raw extra). Negative
//     amounts and text that is not a plain number pass unchanged for the importer to judge.
//     Amounts are in the release's currency (see ocds_currency); nothing is converted.
//   Dates: ISO 8601 with Z or an offset are converted to Asia/Shanghai; a time without zone
//     is taken as UTC; a date without time is kept as that calendar date. Date columns get
//     "YYYY-MM-DD", datetime columns "YYYY-MM-DD HH:MM:SS" (fractions of seconds dropped).
//     Unreadable dates pass unchanged (the importer quarantines them).
//   Structure: a release whose parts have the wrong JSON type (tender as a string, value as a
//     number, ...) gives rows with Record::problem naming the paths, where the part feeds a
//     column of that row. A lone object where a list is expected (Taiwan's awards, Paraguay's
//     suppliers) is read as a list of one; planning is only looked at for a fallback.
//   Positions: Record::line is the physical line for JSON Lines (or several top-level values),
//     else the 1-based ordinal of the release/record in the file (= index + 1 in a package);
//     Record::location is the path, e.g. "releases[12]", "[0].releases[3]",
//     "records[3].compiledRelease.bids.details[0]"; merged releases show "(a+b)".
#include "ingest/ocds_reader.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <exception>
#include <filesystem>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/text.h"
#include "common/time.h"
#include "ingest/dataset.h"
#include "ingest/encoding.h"

namespace qf {

namespace {

using json = nlohmann::json;

constexpr size_t kChunkBytes = 1 << 16;
constexpr size_t kMaxDepth = 100;     // nesting beyond this is refused (stack safety)
constexpr size_t kMaxCapture = 1024;  // longest key or ocid the scanner keeps
constexpr size_t kKeysKept = 8;       // keys remembered per object for messages

// ---------------------------------------------------------------------------
// Stream headers: the contract's columns first, then extra attributes.

// clang-format off

enum TenderField {
  kTTenderId, kTTitle, kTBuyerOrg, kTMethod, kTCategory, kTItemCode, kTBudgetAmount,
  kTPublishDate, kTBidDeadline, kTAwardDate, kTWinner, kTAwardAmount, kTStatus, kTAgency,
  kTOcid, kTCurrency, kTTenderStatus, kTNumberOfTenderers, kTAwardCriteria, kTSubmissionMethod,
  kTDate, kTPeriodStart, kTPeriodEnd, kTBuyerId, kTProcuringEntityId, kTProcurementMethod,
  kTProcurementMethodDetails, kTAwardStatus, kTAwardDateRaw, kTTenderValueCurrency,
  kTItemsScheme, kTMainCategory, kTTenderIdRaw, kTAwardId, kTWinnerName, kTAwardCurrency,
  kTBudgetRaw, kTAwardAmountRaw, kTTitleSource, kTPublishDateSource, kTCount
};
constexpr const char* kTenderHeader[] = {
    "tender_id", "title", "buyer_org", "method", "category", "item_code", "budget_amount",
    "publish_date", "bid_deadline", "award_date", "winner_credit_code", "award_amount", "status",
    "agency", "ocds_ocid", "ocds_currency", "ocds_tender_status", "ocds_number_of_tenderers",
    "ocds_award_criteria", "ocds_submission_method", "ocds_date", "ocds_tender_period_start",
    "ocds_tender_period_end", "ocds_buyer_id", "ocds_procuring_entity_id",
    "ocds_procurement_method", "ocds_procurement_method_details", "ocds_award_status",
    "ocds_award_date", "ocds_tender_value_currency", "ocds_items_classification_scheme",
    "ocds_main_procurement_category", "ocds_tender_id", "ocds_award_id", "ocds_winner_name",
    "ocds_award_currency", "ocds_budget_amount_raw", "ocds_award_amount_raw", "ocds_title_source",
    "ocds_publish_date_source"};
static_assert(std::size(kTenderHeader) == kTCount);

enum BidField {
  kBTenderId, kBBidder, kBBidderName, kBAmount, kBSubmitTime, kBQualified, kBBidId, kBStatus,
  kBCurrency, kBAmountRaw, kBRelatedLots, kBDateRaw, kBCount
};
constexpr const char* kBidHeader[] = {
    "tender_id", "bidder_credit_code", "bidder_name", "bid_amount", "submit_time", "qualified",
    "ocds_bid_id", "ocds_bid_status", "ocds_currency", "ocds_bid_amount_raw", "ocds_related_lots",
    "ocds_bid_date"};
static_assert(std::size(kBidHeader) == kBCount);

enum ContractField {
  kCContractId, kCTenderId, kCBuyerOrg, kCSupplier, kCAmount, kCSignDate, kCFinalAmount,
  kCChangeCount, kCAwardId, kCStatus, kCCurrency, kCAmountRaw, kCTitle, kCSupplierName,
  kCSignDateSource, kCContractIdRaw, kCCount
};
constexpr const char* kContractHeader[] = {
    "contract_id", "tender_id", "buyer_org", "supplier_credit_code", "amount", "sign_date",
    "final_amount", "change_count", "ocds_award_id", "ocds_contract_status", "ocds_currency",
    "ocds_amount_raw", "ocds_contract_title", "ocds_supplier_name", "ocds_sign_date_source",
    "ocds_contract_id"};
static_assert(std::size(kContractHeader) == kCCount);

// clang-format on

constexpr size_t kFieldCount[] = {kTCount, kBCount, kCCount};

// ---------------------------------------------------------------------------
// Small text helpers.

std::string Sub(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  std::string out(path);
  out += '.';
  out += key;
  return out;
}

std::string At(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && AsciiLower(s.substr(0, prefix.size())) == AsciiLower(prefix);
}

std::string JoinKeys(const std::vector<std::string>& keys, bool more) {
  std::string out;
  for (const std::string& k : keys) {
    if (!out.empty()) out += ", ";
    out += ClipForMessage(k, 40);
  }
  if (more) out += ", …";
  return out;
}

// Replaces ill-formed UTF-8 by U+FFFD so that the JSON parser accepts the text.
std::string SanitizeUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    size_t len = 0;
    uint32_t cp = 0;
    uint32_t min = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    }
    bool ok = len > 0 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      ok = (d & 0xC0) == 0x80;
      cp = (cp << 6) | (d & 0x3F);
    }
    ok = ok && cp >= min && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

uint64_t HashOcid(std::string_view s) {  // FNV-1a
  uint64_t h = 1469598103934665603ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

// ---------------------------------------------------------------------------
// JSON access with notes on wrong structure.

std::string KindName(const json& v, bool zh) {
  switch (v.type()) {
    case json::value_t::object:
      return zh ? "对象" : "an object";
    case json::value_t::array:
      return zh ? "数组" : "a list";
    case json::value_t::string:
      return zh ? "字符串" : "a string";
    case json::value_t::boolean:
      return zh ? "布尔值" : "a boolean";
    case json::value_t::null:
      return zh ? "空值" : "null";
    default:
      return zh ? "数字" : "a number";
  }
}

// Structural problems found while mapping one row.
struct Issues {
  std::string en;
  std::string zh;
  bool empty() const { return en.empty(); }
  void Add(const std::string& e, const std::string& z) {
    if (!en.empty()) {
      en += "; ";
      zh += "；";
    }
    en += e;
    zh += z;
  }
  void Wrong(const std::string& path, const json& v, const char* want_en, const char* want_zh) {
    Add(path + " is " + KindName(v, false) + ", expected " + want_en,
        path + "应为" + want_zh + "，实际为" + KindName(v, true));
  }
  Status ToStatus() const {
    return Status::InvalidInput("the OCDS data has the wrong structure: " + en,
                                "OCDS数据结构不符：" + zh);
  }
};

std::string FloatText(double d) {
  if (!std::isfinite(d)) return "";
  return json(d).dump();  // shortest text that reads back as the same double
}

std::string ScalarText(const json& v) {
  switch (v.type()) {
    case json::value_t::string:
      return std::string(Trim(v.get_ref<const std::string&>()));
    case json::value_t::number_integer:
      return std::to_string(v.get<int64_t>());
    case json::value_t::number_unsigned:
      return std::to_string(v.get<uint64_t>());
    case json::value_t::number_float:
      return FloatText(v.get<double>());
    case json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    default:
      return "";
  }
}

// obj[key], or nullptr when obj is not an object or the member is absent or null.
const json* Get(const json* obj, std::string_view key) {
  if (!obj || !obj->is_object()) return nullptr;
  auto it = obj->find(key);
  if (it == obj->end() || it->is_null()) return nullptr;
  return &*it;
}

const json* GetObject(const json* obj, std::string_view key, std::string_view path, Issues* is) {
  const json* v = Get(obj, key);
  if (!v || v->is_object()) return v;
  if (is) is->Wrong(Sub(path, key), *v, "an object", "对象");
  return nullptr;
}

// The elements of a list. A lone object where a list is expected counts as a list of one:
// publishers write awards (Taiwan) or suppliers (Paraguay) that way, and nothing is guessed.
std::vector<const json*> GetList(const json* obj, std::string_view key, std::string_view path,
                                 Issues* is) {
  std::vector<const json*> out;
  const json* v = Get(obj, key);
  if (!v) return out;
  if (v->is_object()) {
    out.push_back(v);
  } else if (v->is_array()) {
    for (const json& e : *v) out.push_back(&e);
  } else if (is) {
    is->Wrong(Sub(path, key), *v, "a list", "数组");
  }
  return out;
}

std::string GetText(const json* obj, std::string_view key, std::string_view path, Issues* is) {
  const json* v = Get(obj, key);
  if (!v) return "";
  if (v->is_object() || v->is_array()) {
    if (is) is->Wrong(Sub(path, key), *v, "a text or a number", "文本或数字");
    return "";
  }
  return ScalarText(*v);
}

// A scalar or a list of scalars as "a;b;c".
std::string ListText(const json* v) {
  if (!v) return "";
  if (!v->is_array()) return ScalarText(*v);
  std::string out;
  for (const json& e : *v) {
    std::string t = ScalarText(e);
    if (t.empty()) continue;
    if (!out.empty()) out += ';';
    out += t;
  }
  return out;
}

bool ListHas(const json* v, std::string_view wanted) {
  if (!v) return false;
  if (!v->is_array()) return AsciiLower(ScalarText(*v)) == wanted;
  for (const json& e : *v) {
    if (AsciiLower(ScalarText(e)) == wanted) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Amounts.

// "[-+]digits[.digits][e[-+]digits]" as a plain decimal without exponent or redundant
// zeros ("-1234.5"), or nullopt when the text is not such a number.
std::optional<std::string> PlainDecimal(std::string_view s) {
  size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  std::string digits;
  int64_t int_digits = 0;
  bool dot = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      if (!dot) ++int_digits;
    } else if (c == '.' && !dot) {
      dot = true;
    } else {
      break;
    }
  }
  if (digits.empty()) return std::nullopt;
  int64_t exp = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      exp = exp * 10 + (s[i] - '0');
      if (exp > 1000) return std::nullopt;
      ++i;
    }
    if (i == start) return std::nullopt;
    if (eneg) exp = -exp;
  }
  // Beyond that no one writes an amount; the importer will reject the raw text.
  if (i != s.size() || exp > 40 || exp < -40) return std::nullopt;
  const int64_t point = int_digits + exp;
  const auto n = static_cast<int64_t>(digits.size());
  std::string ip;
  std::string fp;
  if (point <= 0) {
    ip = "0";
    fp = std::string(static_cast<size_t>(-point), '0') + digits;
  } else if (point >= n) {
    ip = digits + std::string(static_cast<size_t>(point - n), '0');
  } else {
    ip = digits.substr(0, static_cast<size_t>(point));
    fp = digits.substr(static_cast<size_t>(point));
  }
  size_t nz = ip.find_first_not_of('0');
  ip = nz == std::string::npos ? "0" : ip.substr(nz);
  while (!fp.empty() && fp.back() == '0') fp.pop_back();
  bool zero = ip == "0" && fp.empty();
  return std::string(neg && !zero ? "-" : "") + ip + (fp.empty() ? "" : "." + fp);
}

// Rounds a plain decimal to 2 decimals, half away from zero.
std::string RoundTo2(const std::string& plain, bool* rounded) {
  *rounded = false;
  size_t dot = plain.find('.');
  if (dot == std::string::npos || plain.size() - dot - 1 <= 2) return plain;
  *rounded = true;
  bool neg = plain[0] == '-';
  std::string ip = plain.substr(neg ? 1 : 0, dot - (neg ? 1 : 0));
  std::string digits = ip + plain.substr(dot + 1, 2);
  if (plain[dot + 3] >= '5') {
    size_t k = digits.size();
    while (k > 0) {
      --k;
      if (digits[k] == '9') {
        digits[k] = '0';
      } else {
        ++digits[k];
        break;
      }
      if (k == 0) digits.insert(digits.begin(), '1');
    }
  }
  std::string whole = digits.substr(0, digits.size() - 2);
  std::string frac = digits.substr(digits.size() - 2);
  while (!frac.empty() && frac.back() == '0') frac.pop_back();
  size_t nz = whole.find_first_not_of('0');
  whole = nz == std::string::npos ? "0" : whole.substr(nz);
  bool zero = whole == "0" && frac.empty();
  return std::string(neg && !zero ? "-" : "") + whole + (frac.empty() ? "" : "." + frac);
}

// An amount as text for the importer, plus the unrounded text when rounding changed it.
struct Amount {
  std::string value;
  std::string raw;
};

// Reads value_obj.amount (an OCDS Value object).
Amount ReadAmount(const json* value_obj, std::string_view path, Issues* is) {
  const json* a = Get(value_obj, "amount");
  if (!a) return {};
  if (a->is_object() || a->is_array() || a->is_boolean()) {
    if (is) is->Wrong(Sub(path, "amount"), *a, "a number", "数字");
    return {};
  }
  std::string text = ScalarText(*a);
  if (text.empty()) return {};
  std::optional<std::string> plain = PlainDecimal(text);
  if (!plain) return {text, ""};
  if ((*plain)[0] == '-') return {*plain, ""};  // the importer judges negative amounts
  bool rounded = false;
  std::string r = RoundTo2(*plain, &rounded);
  return {r, rounded ? text : ""};
}

// Amount text to integer fen (rounded half away from zero), if it is a plain number.
std::optional<int64_t> FenOf(const std::string& text) {
  std::optional<std::string> plain = PlainDecimal(text);
  if (!plain) return std::nullopt;
  bool rounded = false;
  std::string r = RoundTo2(*plain, &rounded);
  bool neg = r[0] == '-';
  std::string_view v(r);
  if (neg) v.remove_prefix(1);
  size_t dot = v.find('.');
  std::string_view whole = v.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : v.substr(dot + 1);
  if (whole.size() > 15) return std::nullopt;
  int64_t fen = 0;
  for (char c : whole) fen = fen * 10 + (c - '0');
  fen *= 100;
  if (!frac.empty()) fen += (frac[0] - '0') * 10;
  if (frac.size() > 1) fen += frac[1] - '0';
  return neg ? -fen : fen;
}

std::string FenText(int64_t fen) {
  bool neg = fen < 0;
  uint64_t a = neg ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
  std::string out = (neg ? "-" : "") + std::to_string(a / 100);
  uint64_t rem = a % 100;
  if (rem != 0) {
    out += '.';
    out += static_cast<char>('0' + rem / 10);
    if (rem % 10 != 0) out += static_cast<char>('0' + rem % 10);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Dates.

struct OcdsTime {
  bool has_time = false;
  CivilDate date;   // as written
  int64_t utc = 0;  // seconds since 1970-01-01T00:00Z; a date alone counts as local midnight
};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::optional<OcdsTime> ParseOcdsTime(std::string_view s) {
  s = Trim(s);
  auto num = [&](size_t pos, size_t n, int* out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t k = pos; k < pos + n; ++k) {
      if (s[k] < '0' || s[k] > '9') return false;
      v = v * 10 + (s[k] - '0');
    }
    *out = v;
    return true;
  };
  int y = 0, mo = 0, d = 0;
  if (!num(0, 4, &y) || s.size() < 10 || s[4] != '-' || !num(5, 2, &mo) || s[7] != '-' ||
      !num(8, 2, &d) || !IsValidDate(y, mo, d)) {
    return std::nullopt;
  }
  OcdsTime t;
  t.date = CivilDate{y, mo, d};
  const int64_t days = DaysFromCivil(y, mo, d);
  if (s.size() == 10) {
    t.utc = days * 86400 - kShanghaiOffsetSeconds;
    return t;
  }
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  int h = 0, mi = 0, sec = 0;
  size_t p = 11;
  if (!num(p, 2, &h) || p + 2 >= s.size() || s[p + 2] != ':' || !num(p + 3, 2, &mi)) {
    return std::nullopt;
  }
  p += 5;
  if (p < s.size() && s[p] == ':') {
    if (!num(p + 1, 2, &sec)) return std::nullopt;
    p += 3;
    if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
      size_t start = ++p;
      while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
      if (p == start) return std::nullopt;
    }
  }
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  if (sec == 60) sec = 59;  // a leap second: close enough
  int64_t offset = 0;
  if (p < s.size()) {
    char c = s[p];
    if (c == 'Z' || c == 'z') {
      ++p;
    } else if (c == '+' || c == '-') {
      int oh = 0, om = 0;
      if (!num(p + 1, 2, &oh)) return std::nullopt;
      size_t q = p + 3;
      if (q < s.size()) {
        if (s[q] == ':') ++q;
        if (!num(q, 2, &om)) return std::nullopt;
        q += 2;
      }
      if (oh > 23 || om > 59) return std::nullopt;
      offset = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
      p = q;
    } else {
      return std::nullopt;
    }
  }
  if (p != s.size()) return std::nullopt;
  t.has_time = true;
  t.utc = days * 86400 + h * 3600 + mi * 60 + sec - offset;
  return t;
}

// An OCDS date for a date column: "YYYY-MM-DD" in Shanghai; unreadable text passes as is.
std::string DateText(const std::string& raw) {
  if (raw.empty()) return "";
  std::optional<OcdsTime> t = ParseOcdsTime(raw);
  if (!t) return raw;
  if (!t->has_time) return FormatDate(t->date);
  CivilDate d = CivilFromDays(FloorDiv(t->utc + kShanghaiOffsetSeconds, 86400));
  if (d.year < 1 || d.year > 9999) return raw;
  return FormatDate(d);
}

// For a datetime column: "YYYY-MM-DD HH:MM:SS" in Shanghai (a date alone stays a date).
std::string DateTimeText(const std::string& raw) {
  if (raw.empty()) return "";
  std::optional<OcdsTime> t = ParseOcdsTime(raw);
  if (!t) return raw;
  if (!t->has_time) return FormatDate(t->date);
  int64_t local = t->utc + kShanghaiOffsetSeconds;
  CivilDate d = CivilFromDays(FloorDiv(local, 86400));
  if (d.year < 1 || d.year > 9999) return raw;
  return FormatLocalDateTime(local);
}

std::optional<int64_t> InstantOf(const std::string& raw) {
  std::optional<OcdsTime> t = ParseOcdsTime(raw);
  if (!t) return std::nullopt;
  return t->utc;
}

// ---------------------------------------------------------------------------
// Organisations.

class Parties {
 public:
  explicit Parties(const std::vector<const json*>& list) {
    for (const json* p : list) {
      if (!p->is_object()) continue;
      all_.push_back(p);
      std::string id = GetText(p, "id", "", nullptr);
      if (!id.empty()) by_id_.emplace(std::move(id), p);  // the first party with an id wins
    }
  }
  const json* Find(const std::string& id) const {
    if (id.empty()) return nullptr;
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
  }
  const json* WithRole(std::string_view role) const {
    for (const json* p : all_) {
      if (ListHas(Get(p, "roles"), role)) return p;
    }
    return nullptr;
  }

 private:
  std::unordered_map<std::string, const json*> by_id_;
  std::vector<const json*> all_;
};

struct Org {
  bool found = false;
  std::string id;
  std::string name;
  std::string code;  // for credit-code columns, see the rule at the top
};

std::string OrgCode(const std::string& id, const std::string& scheme, const std::string& iid) {
  static constexpr std::string_view kPrefix = "CN-USCC-";
  if (AsciiLower(scheme) == "cn-uscc" && !iid.empty()) {
    return StartsWithNoCase(iid, kPrefix) ? iid.substr(kPrefix.size()) : iid;
  }
  if (StartsWithNoCase(id, kPrefix) && id.size() > kPrefix.size()) {
    return id.substr(kPrefix.size());
  }
  if (!id.empty()) return id;
  if (iid.empty()) return "";
  if (scheme.empty() || StartsWithNoCase(iid, scheme + "-")) return iid;
  return scheme + "-" + iid;
}

// An OrganizationReference (1.1) or Organization (1.0), completed from parties[].
Org ResolveOrg(const json* ref, const Parties& parties) {
  Org o;
  if (!ref || !ref->is_object()) return o;
  o.found = true;
  o.id = GetText(ref, "id", "", nullptr);
  const json* party = parties.Find(o.id);
  o.name = GetText(ref, "name", "", nullptr);
  if (o.name.empty() && party) o.name = GetText(party, "name", "", nullptr);
  const json* ident = party ? GetObject(party, "identifier", "", nullptr) : nullptr;
  if (!ident) ident = GetObject(ref, "identifier", "", nullptr);
  if (o.name.empty()) o.name = GetText(ident, "legalName", "", nullptr);
  o.code = OrgCode(o.id, GetText(ident, "scheme", "", nullptr), GetText(ident, "id", "", nullptr));
  return o;
}

bool SameOrg(const Org& a, const Org& b) {
  if (!a.id.empty() && !b.id.empty()) return a.id == b.id;
  return NormalizeForCompare(a.name) == NormalizeForCompare(b.name);
}

// ---------------------------------------------------------------------------
// Parsing one release or record into a DOM.

// A DOM builder for json::sax_parse that refuses nesting deeper than kMaxDepth, so that the
// recursive walks below stay within the stack, and keeps the parse error.
class DomBuilder {
 public:
  explicit DomBuilder(json* root) : root_(root) {}
  bool null() { return Put(json(nullptr)); }
  bool boolean(bool v) { return Put(json(v)); }
  bool number_integer(json::number_integer_t v) { return Put(json(v)); }
  bool number_unsigned(json::number_unsigned_t v) { return Put(json(v)); }
  bool number_float(json::number_float_t v, const std::string& /*text*/) { return Put(json(v)); }
  bool string(std::string& v) { return Put(json(std::move(v))); }
  bool binary(json::binary_t& /*v*/) { return false; }
  bool start_object(std::size_t /*n*/) { return Open(json::value_t::object); }
  bool key(std::string& k) {
    member_ = &(*stack_.back())[std::move(k)];
    return true;
  }
  bool end_object() {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t /*n*/) { return Open(json::value_t::array); }
  bool end_array() {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t /*pos*/, const std::string& /*token*/,
                   const nlohmann::detail::exception& ex) {
    error_ = ex.what();
    return false;
  }

  bool too_deep() const { return too_deep_; }
  // nlohmann's message without its "[json.exception...] parse error at line 1, column 5: ".
  std::string error() const {
    size_t p = error_.find("column ");
    if (p != std::string::npos) {
      size_t colon = error_.find(": ", p);
      if (colon != std::string::npos) return error_.substr(colon + 2);
    }
    return error_;
  }

 private:
  bool Open(json::value_t t) {
    if (stack_.size() >= kMaxDepth) {
      too_deep_ = true;
      return false;
    }
    stack_.push_back(Place(json(t)));
    return true;
  }
  bool Put(json&& v) {
    Place(std::move(v));
    return true;
  }
  json* Place(json&& v) {
    if (stack_.empty()) {
      *root_ = std::move(v);
      return root_;
    }
    json* top = stack_.back();
    if (top->is_array()) {
      top->push_back(std::move(v));
      return &top->back();
    }
    *member_ = std::move(v);
    return member_;
  }

  json* root_;
  json* member_ = nullptr;
  std::vector<json*> stack_;
  bool too_deep_ = false;
  std::string error_;
};

bool ParseJson(std::string_view text, json* out, std::string* error) {
  std::string clean;
  if (!IsValidUtf8(text)) {
    clean = SanitizeUtf8(text);
    text = clean;
  }
  DomBuilder builder(out);
  bool ok = false;
  try {
    ok = json::sax_parse(text.data(), text.data() + text.size(), &builder);
  } catch (const std::exception& e) {
    *error = e.what();
    return false;
  }
  if (!ok) {
    *error = builder.too_deep() ? "it is nested deeper than 100 levels" : builder.error();
  }
  return ok;
}

// ---------------------------------------------------------------------------
// OCDS merging and versioned releases.

bool IsIdArray(const json& a) {
  if (!a.is_array() || a.empty()) return false;
  for (const json& e : a) {
    if (!e.is_object()) return false;
    auto it = e.find("id");
    if (it == e.end() || it->is_null() || it->is_object() || it->is_array()) return false;
  }
  return true;
}

// OCDS merge of `src` (a later release) into `target`.
void Merge(json& target, const json& src, size_t depth) {
  if (!target.is_object()) target = json::object();
  for (auto it = src.begin(); it != src.end(); ++it) {
    const std::string& k = it.key();
    const json& v = it.value();
    if (v.is_null()) {
      target.erase(k);
    } else if (v.is_object() && depth < kMaxDepth) {
      Merge(target[k], v, depth + 1);
    } else if (IsIdArray(v) && depth < kMaxDepth) {
      json& t = target[k];
      if (!IsIdArray(t)) t = json::array();
      std::unordered_map<std::string, size_t> index;
      for (size_t i = 0; i < t.size(); ++i) index.emplace(ScalarText(t[i]["id"]), i);
      for (const json& e : v) {
        std::string id = ScalarText(e.at("id"));
        auto found = index.find(id);
        if (found != index.end()) {
          Merge(t[found->second], e, depth + 1);
        } else {
          index.emplace(id, t.size());
          t.push_back(json::object());
          Merge(t.back(), e, depth + 1);
        }
      }
    } else {
      target[k] = v;
    }
  }
}

bool IsVersionedValue(const json& a) {
  if (!a.is_array() || a.empty()) return false;
  for (const json& e : a) {
    if (!e.is_object() || !e.contains("value")) return false;
    if (!e.contains("releaseDate") && !e.contains("releaseID")) return false;
    for (auto it = e.begin(); it != e.end(); ++it) {
      const std::string& k = it.key();
      if (k != "releaseID" && k != "releaseDate" && k != "releaseTag" && k != "value") return false;
    }
  }
  return true;
}

// Replaces every versioned field by its latest value (history arrays are in date order).
void Flatten(json& v, size_t depth) {
  if (depth > kMaxDepth) return;
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      json& m = it.value();
      if (IsVersionedValue(m)) {
        json latest = std::move(m.back()["value"]);
        m = std::move(latest);
      }
      Flatten(m, depth + 1);
    }
  } else if (v.is_array()) {
    for (json& e : v) Flatten(e, depth + 1);
  }
}

bool IsLinkedRelease(const json& r) {
  return r.is_object() && r.contains("url") && !r.contains("ocid");
}

// ---------------------------------------------------------------------------
// The outer scanner.

struct UnitInfo {
  char kind = 'o';  // o(bject) a(rray) s(tring) n(umber) b(oolean) z (null)
  std::string_view location;
  int64_t top_line = 0;     // line where the top-level value holding it starts
  bool item = false;        // a top-level value or element of a top-level array
  bool in_records = false;  // an element of a "records" array
  bool compiled = false;    // a package-level "compiledRelease" (record whose releases came first)
  std::string_view ocid;    // its "ocid" when that is a string
  bool ocdsish = false;     // has ocid, compiledRelease, versionedRelease, releases or records
  const std::vector<std::string>* keys = nullptr;
  bool more_keys = false;
};

struct PackageInfo {
  std::string_view location;
  int64_t top_line = 0;
  std::string_view ocid;
  int64_t linked = 0;  // linked releases met in its arrays
  bool saw_compiled = false;
};

class ScanSink {
 public:
  virtual ~ScanSink() = default;
  // A release or record, or a value where one was expected. `text` is its JSON when the
  // scanner retains text. Returns true when it was a linked release inside a package.
  virtual bool OnUnit(const UnitInfo& unit, std::string_view text) = 0;
  virtual void OnPackageEnd(const PackageInfo& package) = 0;
  // JSON Lines: a line that is not valid JSON (the scanner goes on with the next line).
  virtual void OnLineError(int64_t line, const Status& why) = 0;
};

// Walks the JSON byte by byte, validating its syntax, and cuts out the units: the values
// that are releases or records. Knows just enough OCDS to tell packages from units.
class Scanner {
 public:
  Scanner(ScanSink* sink, bool retain, bool line_mode, bool detect_lines)
      : sink_(sink), retain_(retain), line_mode_(line_mode), detect_lines_(detect_lines) {}

  Status Feed(std::string_view data);
  Status Finish();

  int64_t top_values() const { return top_values_; }
  int64_t complete_values() const { return complete_values_; }
  int64_t packages() const { return packages_; }
  bool line_mode() const { return line_mode_; }
  // The first top-level value, for "found ..." in messages: {English, Chinese}.
  std::pair<std::string, std::string> DescribeFirst() const;

 private:
  enum class St : uint8_t {
    kTop,
    kValue,
    kArrayFirst,
    kObjectFirst,
    kKey,
    kColon,
    kAfterValue,
    kString,
    kEscape,
    kHex,
    kNumSign,
    kNumZero,
    kNumInt,
    kNumDot,
    kNumFrac,
    kNumE,
    kNumESign,
    kNumExp,
    kLiteral,
    kSkipLine
  };
  enum class Role : uint8_t { kPlain, kItemArray, kUnitArray, kProbe, kPackage };
  enum class Slot : uint8_t { kPlain, kItem, kUnit, kCompiled, kPackageArray };

  struct Frame {
    bool object = false;
    Role role = Role::kPlain;
    bool unit_root = false;  // the unit ends when this container closes
    bool want_keys = false;  // member keys are decoded (units, probes, packages)
    bool item = false;
    bool in_records = false;
    bool compiled = false;
    bool records = false;         // a package's "records" array
    bool first_top = false;       // the first top-level value (described in messages)
    bool first_elem = false;      // element 0 of the first top-level array
    bool blocks_package = false;  // saw ocid/compiledRelease/versionedRelease
    bool ocdsish = false;
    bool more_keys = false;
    bool saw_compiled = false;
    int64_t index = 0;
    int64_t linked = 0;
    int64_t top_line = 0;
    std::string key;
    std::string ocid;
    std::string location;
    std::vector<std::string> keys;
  };

  static bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  bool InNumber() const { return state_ >= St::kNumSign && state_ <= St::kNumExp; }

  void Advance(unsigned char c) {
    if (c == '\n') {
      ++line_;
      col_ = 0;
    } else if ((c & 0xC0) != 0x80) {
      ++col_;
    }
  }
  static std::string Found(unsigned char c) {
    if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
    if (c >= 0x80) return "a non-ASCII character";
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
    return buf;
  }
  Status Fail(const std::string& en, const std::string& zh);
  Status BeginValue(unsigned char c);
  void EndContainer();
  void EndScalar();
  void StartTopValue();
  void TopValueDone();
  std::string DecodeCapture() const;
  void EmitNonObject(char kind, Slot slot, std::string location, const Frame* parent);

  ScanSink* sink_;
  const bool retain_;
  bool line_mode_;
  const bool detect_lines_;

  St state_ = St::kTop;
  std::vector<Frame> stack_;
  int64_t line_ = 1;
  int64_t col_ = 0;
  int64_t top_line_ = 1;
  int64_t top_values_ = 0;
  int64_t complete_values_ = 0;
  int64_t packages_ = 0;
  int64_t first_start_line_ = 0;
  int64_t first_end_line_ = 0;

  // The string being read.
  bool string_is_key_ = false;
  bool capturing_ = false;
  bool capture_escaped_ = false;
  std::string capture_;
  int hex_left_ = 0;
  const char* literal_ = "";
  size_t literal_pos_ = 0;

  // Retained text of the unit being read (pass 2).
  std::string_view data_;
  size_t pos_ = 0;  // index of the byte being processed in data_
  bool retaining_ = false;
  size_t retain_from_ = 0;
  std::string unit_text_;

  // The first top-level value, for messages.
  char first_kind_ = 0;
  int64_t described_top_ = 0;
  char first_elem_kind_ = 0;
  std::vector<std::string> first_keys_;
  bool first_more_ = false;
  std::vector<std::string> first_elem_keys_;
  bool first_elem_more_ = false;
};

Status Scanner::Fail(const std::string& en, const std::string& zh) {
  std::string pos_en = "line " + std::to_string(line_) + ", column " + std::to_string(col_ + 1);
  std::string pos_zh = "第" + std::to_string(line_) + "行第" + std::to_string(col_ + 1) + "列";
  if (!line_mode_) return Status::InvalidInput(pos_en + ": " + en, pos_zh + "：" + zh);
  // JSON Lines: report the line and go on with the next one.
  sink_->OnLineError(line_, Status::InvalidInput("column " + std::to_string(col_ + 1) + ": " + en,
                                                 "第" + std::to_string(col_ + 1) + "列：" + zh));
  stack_.clear();
  retaining_ = false;
  unit_text_.clear();
  capturing_ = false;
  if (complete_values_ == 0) {  // describe the first good value instead
    first_kind_ = 0;
    first_elem_kind_ = 0;
    first_keys_.clear();
    first_elem_keys_.clear();
  }
  const bool at_newline = pos_ < data_.size() && data_[pos_] == '\n';
  state_ = at_newline ? St::kTop : St::kSkipLine;
  return Status::OK();
}

std::string Scanner::DecodeCapture() const {
  if (!capture_escaped_) return capture_;
  try {
    json j = json::parse("\"" + capture_ + "\"");
    if (j.is_string()) return j.get<std::string>();
  } catch (const std::exception&) {
  }
  return capture_;
}

void Scanner::StartTopValue() {
  ++top_values_;
  top_line_ = line_;
  if (top_values_ == 1) first_start_line_ = line_;
  // A first value on one line followed by more values on later lines: JSON Lines.
  if (top_values_ == 2 && detect_lines_ && !line_mode_ && first_end_line_ == first_start_line_ &&
      line_ > first_end_line_) {
    line_mode_ = true;
  }
}

void Scanner::TopValueDone() {
  ++complete_values_;
  if (top_values_ == 1) first_end_line_ = line_;
}

void Scanner::EmitNonObject(char kind, Slot slot, std::string location, const Frame* parent) {
  UnitInfo u;
  u.kind = kind;
  u.location = location;
  u.top_line = top_line_;
  u.item = slot == Slot::kItem;
  u.in_records = parent && parent->records;
  u.compiled = slot == Slot::kCompiled;
  sink_->OnUnit(u, std::string_view());
}

Status Scanner::BeginValue(unsigned char c) {
  char kind = 0;
  if (c == '{') {
    kind = 'o';
  } else if (c == '[') {
    kind = 'a';
  } else if (c == '"') {
    kind = 's';
  } else if (c == '-' || (c >= '0' && c <= '9')) {
    kind = 'n';
  } else if (c == 't' || c == 'f') {
    kind = 'b';
  } else if (c == 'n') {
    kind = 'z';
  } else {
    return Fail(
        "expected a value (object, array, string, number, true, false or null), found " + Found(c),
        "此处应为一个值（对象、数组、字符串、数字、true、false或null），实际为" + Found(c));
  }
  if (kind == 'o' || kind == 'a') {
    if (stack_.size() >= kMaxDepth) {
      return Fail("the JSON is nested deeper than 100 levels", "JSON嵌套超过100层");
    }
  }

  // Where does this value sit?
  Frame* parent = stack_.empty() ? nullptr : &stack_.back();
  Slot slot = Slot::kPlain;
  int64_t index = 0;
  if (!parent) {
    slot = Slot::kItem;
    if (first_kind_ == 0) {
      first_kind_ = kind;
      described_top_ = top_values_;
    }
  } else if (!parent->object) {
    index = parent->index++;
    if (parent->role == Role::kItemArray) {
      slot = Slot::kItem;
      if (index == 0 && stack_.size() == 1 && described_top_ == top_values_) {
        first_elem_kind_ = kind;
      }
    } else if (parent->role == Role::kUnitArray) {
      slot = Slot::kUnit;
    }
  } else if (parent->role == Role::kProbe || parent->role == Role::kPackage) {
    const std::string& key = parent->key;
    bool list_key = key == "releases" || key == "records";
    if (kind == 'a' && list_key && (parent->role == Role::kPackage || !parent->blocks_package)) {
      if (parent->role == Role::kProbe) {  // it is a package: stop holding its text
        parent->role = Role::kPackage;
        parent->unit_root = false;
        retaining_ = false;
        unit_text_.clear();
        ++packages_;
        if (parent->first_top) {
          first_keys_ = parent->keys;
          first_more_ = parent->more_keys;
        }
      }
      slot = Slot::kPackageArray;
    } else if (kind == 'o' && key == "compiledRelease" && parent->role == Role::kPackage) {
      slot = Slot::kCompiled;
      parent->saw_compiled = true;
    }
  }

  std::string location;
  if (slot == Slot::kItem || slot == Slot::kUnit) {
    location = parent ? At(parent->location, static_cast<size_t>(index)) : "";
  } else if (slot == Slot::kCompiled) {
    location = Sub(parent->location, "compiledRelease");
  }
  const bool unit_slot = slot == Slot::kItem || slot == Slot::kUnit || slot == Slot::kCompiled;
  // Only an array at the very top holds items; anything else not an object is no unit.
  if (unit_slot && kind != 'o' && !(kind == 'a' && !parent)) {
    EmitNonObject(kind, slot, location, parent);
  }

  switch (kind) {
    case 'o':
    case 'a': {
      Frame f;
      f.object = kind == 'o';
      f.top_line = top_line_;
      if (kind == 'a' && slot == Slot::kItem && !parent) {
        f.role = Role::kItemArray;
      } else if (slot == Slot::kPackageArray) {
        f.role = Role::kUnitArray;
        f.records = parent->key == "records";
        f.location = Sub(parent->location, parent->key);
      } else if (kind == 'o' && unit_slot) {
        f.role = slot == Slot::kItem ? Role::kProbe : Role::kPlain;
        f.unit_root = true;
        f.want_keys = true;
        f.item = slot == Slot::kItem;
        f.in_records = slot == Slot::kUnit && parent->records;
        f.compiled = slot == Slot::kCompiled;
        f.location = std::move(location);
        f.first_top = !parent && described_top_ == top_values_;
        f.first_elem = parent && parent->role == Role::kItemArray && index == 0 &&
                       stack_.size() == 1 && described_top_ == top_values_;
        if (retain_) {
          retaining_ = true;
          retain_from_ = pos_;
          unit_text_.clear();
        }
      }
      stack_.push_back(std::move(f));
      state_ = kind == 'o' ? St::kObjectFirst : St::kArrayFirst;
      break;
    }
    case 's': {
      string_is_key_ = false;
      // Only the "ocid" of a unit, probe or package is kept.
      capturing_ = parent && parent->want_keys && parent->object && parent->key == "ocid";
      capture_.clear();
      capture_escaped_ = false;
      state_ = St::kString;
      break;
    }
    case 'n':
      state_ = c == '-' ? St::kNumSign : c == '0' ? St::kNumZero : St::kNumInt;
      break;
    default:
      literal_ = c == 't' ? "true" : c == 'f' ? "false" : "null";
      literal_pos_ = 1;
      state_ = St::kLiteral;
      break;
  }
  return Status::OK();
}

void Scanner::EndScalar() {
  if (stack_.empty()) {
    state_ = St::kTop;
    TopValueDone();
  } else {
    state_ = St::kAfterValue;
  }
}

void Scanner::EndContainer() {
  Frame f = std::move(stack_.back());
  stack_.pop_back();
  if (f.first_top) {
    first_keys_ = f.keys;
    first_more_ = f.more_keys;
  }
  if (f.first_elem) {
    first_elem_keys_ = f.keys;
    first_elem_more_ = f.more_keys;
  }
  if (f.unit_root) {
    if (retaining_) {
      unit_text_.append(data_.substr(retain_from_, pos_ + 1 - retain_from_));
      retaining_ = false;
    }
    UnitInfo u;
    u.kind = 'o';
    u.location = f.location;
    u.top_line = f.top_line;
    u.item = f.item;
    u.in_records = f.in_records;
    u.compiled = f.compiled;
    u.ocid = f.ocid;
    u.ocdsish = f.ocdsish;
    u.keys = &f.keys;
    u.more_keys = f.more_keys;
    bool linked = sink_->OnUnit(u, unit_text_);
    unit_text_.clear();
    if (linked) {
      for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
        if (it->role == Role::kPackage) {
          ++it->linked;
          break;
        }
      }
    }
  } else if (f.role == Role::kPackage) {
    PackageInfo p;
    p.location = f.location;
    p.top_line = f.top_line;
    p.ocid = f.ocid;
    p.linked = f.linked;
    p.saw_compiled = f.saw_compiled;
    sink_->OnPackageEnd(p);
  }
  if (stack_.empty()) {
    state_ = St::kTop;
    TopValueDone();
  } else {
    state_ = St::kAfterValue;
  }
}

Status Scanner::Feed(std::string_view data) {
  data_ = data;
  retain_from_ = 0;
  size_t i = 0;
  const size_t n = data.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(data[i]);
    pos_ = i;
    if (c == '\n' && line_mode_ && state_ != St::kTop && state_ != St::kSkipLine && !InNumber()) {
      QF_RETURN_IF_ERROR(
          Fail("the line ends inside a JSON value (JSON Lines need one complete value per line)",
               "该行在JSON值的中间结束（JSON Lines要求每行是一个完整的值）"));
      continue;
    }
    switch (state_) {
      case St::kSkipLine:
        Advance(c);
        ++i;
        if (c == '\n') state_ = St::kTop;
        break;
      case St::kTop:
        if (IsSpace(c)) {
          Advance(c);
          ++i;
        } else {
          StartTopValue();
          state_ = St::kValue;
        }
        break;
      case St::kValue:
        if (IsSpace(c)) {
          Advance(c);
          ++i;
        } else {
          St before = state_;
          QF_RETURN_IF_ERROR(BeginValue(c));
          if (state_ != before && state_ != St::kSkipLine && state_ != St::kTop) {
            Advance(c);
            ++i;
          }
        }
        break;
      case St::kArrayFirst:
        if (IsSpace(c)) {
          Advance(c);
          ++i;
        } else if (c == ']') {
          Advance(c);
          EndContainer();
          ++i;
        } else {
          state_ = St::kValue;
        }
        break;
      case St::kObjectFirst:
      case St::kKey:
        if (IsSpace(c)) {
          Advance(c);
          ++i;
        } else if (c == '"') {
          Advance(c);
          ++i;
          string_is_key_ = true;
          capturing_ = stack_.back().want_keys;
          capture_.clear();
          capture_escaped_ = false;
          state_ = St::kString;
        } else if (c == '}' && state_ == St::kObjectFirst) {
          Advance(c);
          EndContainer();
          ++i;
        } else {
          QF_RETURN_IF_ERROR(Fail(std::string("expected a member name in double quotes") +
                                      (state_ == St::kObjectFirst ? " or '}'" : "") + ", found " +
                                      Found(c),
                                  "此处应为带双引号的成员名，实际为" + Found(c)));
        }
        break;
      case St::kColon:
        if (IsSpace(c)) {
          Advance(c);
          ++i;
        } else if (c == ':') {
          Advance(c);
          ++i;
          state_ = St::kValue;
        } else {
          QF_RETURN_IF_ERROR(Fail("expected ':' after a member name, found " + Found(c),
                                  "成员名后应为“:”，实际为" + Found(c)));
        }
        break;
      case St::kAfterValue: {
        if (IsSpace(c)) {
          Advance(c);
          ++i;
          break;
        }
        const bool object = stack_.back().object;
        if (c == ',') {
          Advance(c);
          ++i;
          state_ = object ? St::kKey : St::kValue;
        } else if ((object && c == '}') || (!object && c == ']')) {
          Advance(c);
          EndContainer();
          ++i;
        } else {
          QF_RETURN_IF_ERROR(
              Fail(std::string("expected ',' or '") + (object ? '}' : ']') + "', found " + Found(c),
                   std::string("此处应为“,”或“") + (object ? '}' : ']') + "”，实际为" + Found(c)));
        }
        break;
      }
      case St::kString: {
        size_t j = i;
        while (j < n) {
          const auto d = static_cast<unsigned char>(data[j]);
          if (d == '"' || d == '\\' || d < 0x20) break;
          if ((d & 0xC0) != 0x80) ++col_;
          ++j;
        }
        if (j > i) {
          if (capturing_ && capture_.size() < kMaxCapture) {
            capture_.append(data.substr(i, std::min(j - i, kMaxCapture - capture_.size())));
          }
          i = j;
          break;
        }
        if (c == '"') {
          Advance(c);
          ++i;
          if (string_is_key_) {
            Frame& f = stack_.back();
            if (f.want_keys) {
              f.key = DecodeCapture();
              if (f.keys.size() < kKeysKept) {
                f.keys.push_back(f.key);
              } else {
                f.more_keys = true;
              }
              if (f.key == "ocid" || f.key == "compiledRelease" || f.key == "versionedRelease") {
                f.blocks_package = true;
                f.ocdsish = true;
              }
              if (f.key == "releases" || f.key == "records") f.ocdsish = true;
            }
            capturing_ = false;
            state_ = St::kColon;
          } else {
            if (capturing_) stack_.back().ocid = DecodeCapture();
            capturing_ = false;
            EndScalar();
          }
        } else if (c == '\\') {
          if (capturing_ && capture_.size() < kMaxCapture) capture_ += '\\';
          capture_escaped_ = true;
          Advance(c);
          ++i;
          state_ = St::kEscape;
        } else {
          QF_RETURN_IF_ERROR(Fail(c == '\n'
                                      ? "a line break inside a string (write it as \\n)"
                                      : "a control character inside a string (" + Found(c) + ")",
                                  c == '\n' ? "字符串中有换行（应写作\\n）"
                                            : "字符串中有控制字符（" + Found(c) + "）"));
        }
        break;
      }
      case St::kEscape:
        if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' ||
            c == 't' || c == 'u') {
          if (capturing_ && capture_.size() < kMaxCapture) capture_ += static_cast<char>(c);
          Advance(c);
          ++i;
          hex_left_ = 4;
          state_ = c == 'u' ? St::kHex : St::kString;
        } else {
          QF_RETURN_IF_ERROR(Fail("invalid escape sequence in a string: \\" + Found(c),
                                  "字符串中有无效的转义序列：\\" + Found(c)));
        }
        break;
      case St::kHex:
        if (std::isxdigit(c)) {
          if (capturing_ && capture_.size() < kMaxCapture) capture_ += static_cast<char>(c);
          Advance(c);
          ++i;
          if (--hex_left_ == 0) state_ = St::kString;
        } else {
          QF_RETURN_IF_ERROR(
              Fail("\\u must be followed by four hexadecimal digits", "\\u后应为四位十六进制数字"));
        }
        break;
      case St::kNumSign:
        if (c >= '0' && c <= '9') {
          state_ = c == '0' ? St::kNumZero : St::kNumInt;
          Advance(c);
          ++i;
        } else {
          QF_RETURN_IF_ERROR(Fail("'-' must be followed by digits", "“-”后应为数字"));
        }
        break;
      case St::kNumZero:
      case St::kNumInt:
      case St::kNumFrac:
      case St::kNumExp:
        if (c >= '0' && c <= '9') {
          if (state_ == St::kNumZero) {
            QF_RETURN_IF_ERROR(Fail("a number must not start with 0 followed by digits",
                                    "数字不能以0开头后接其他数字"));
            break;
          }
          Advance(c);
          ++i;
        } else if (c == '.' && (state_ == St::kNumZero || state_ == St::kNumInt)) {
          state_ = St::kNumDot;
          Advance(c);
          ++i;
        } else if ((c == 'e' || c == 'E') && state_ != St::kNumExp) {
          state_ = St::kNumE;
          Advance(c);
          ++i;
        } else {
          EndScalar();  // the delimiter is read again in the new state
        }
        break;
      case St::kNumDot:
        if (c >= '0' && c <= '9') {
          state_ = St::kNumFrac;
          Advance(c);
          ++i;
        } else {
          QF_RETURN_IF_ERROR(
              Fail("a decimal point must be followed by digits", "小数点后应为数字"));
        }
        break;
      case St::kNumE:
      case St::kNumESign:
        if (c >= '0' && c <= '9') {
          state_ = St::kNumExp;
          Advance(c);
          ++i;
        } else if ((c == '+' || c == '-') && state_ == St::kNumE) {
          state_ = St::kNumESign;
          Advance(c);
          ++i;
        } else {
          QF_RETURN_IF_ERROR(Fail("an exponent must have digits", "指数部分应为数字"));
        }
        break;
      case St::kLiteral:
        if (c == static_cast<unsigned char>(literal_[literal_pos_])) {
          Advance(c);
          ++i;
          if (literal_[++literal_pos_] == '\0') EndScalar();
        } else {
          QF_RETURN_IF_ERROR(Fail("invalid word; expected true, false or null, found " + Found(c),
                                  "无效的词，应为true、false或null，实际为" + Found(c)));
        }
        break;
    }
  }
  if (retaining_ && retain_from_ < n) unit_text_.append(data.substr(retain_from_));
  retain_from_ = 0;
  data_ = std::string_view();
  return Status::OK();
}

Status Scanner::Finish() {
  data_ = std::string_view();
  pos_ = 0;
  if (InNumber()) {
    if (state_ == St::kNumZero || state_ == St::kNumInt || state_ == St::kNumFrac ||
        state_ == St::kNumExp) {
      EndScalar();
    } else {
      return Fail("the file ends inside a number", "文件在数字中间结束");
    }
  }
  if (state_ != St::kTop && state_ != St::kSkipLine) {
    return Fail("the file ends inside a JSON value (is it cut short?)",
                "文件在JSON值的中间结束（文件是否不完整？）");
  }
  return Status::OK();
}

std::pair<std::string, std::string> Scanner::DescribeFirst() const {
  auto phrase = [](char kind) -> std::pair<std::string, std::string> {
    switch (kind) {
      case 'a':
        return {"an array", "一个数组"};
      case 's':
        return {"a string", "一个字符串"};
      case 'n':
        return {"a number", "一个数字"};
      case 'b':
        return {"true or false", "一个布尔值"};
      case 'z':
        return {"null", "null"};
      default:
        return {"an object", "一个对象"};
    }
  };
  if (first_kind_ == 'o') {
    if (first_keys_.empty()) return {"an empty object", "一个空对象"};
    std::string keys = JoinKeys(first_keys_, first_more_);
    return {"an object with keys " + keys, "一个对象，其键为" + keys};
  }
  if (first_kind_ == 'a') {
    if (first_elem_kind_ == 0) return {"an empty array", "一个空数组"};
    if (first_elem_kind_ == 'o') {
      if (first_elem_keys_.empty()) {
        return {"an array whose first element is an empty object", "一个数组，其首个元素是空对象"};
      }
      std::string keys = JoinKeys(first_elem_keys_, first_elem_more_);
      return {"an array whose first element is an object with keys " + keys,
              "一个数组，其首个元素是键为" + keys + "的对象"};
    }
    auto [en, zh] = phrase(first_elem_kind_);
    return {"an array whose first element is " + en, "一个数组，其首个元素是" + zh};
  }
  return phrase(first_kind_);
}

// ---------------------------------------------------------------------------
// Pass 1: counts per ocid.

class CountSink : public ScanSink {
 public:
  bool OnUnit(const UnitInfo& u, std::string_view /*text*/) override {
    if (u.kind != 'o') return false;
    if (u.ocdsish) ++ocds_units;
    if (!u.ocid.empty()) {
      uint32_t& n = totals[HashOcid(u.ocid)];
      if (n < UINT32_MAX) ++n;
    }
    return false;
  }
  void OnPackageEnd(const PackageInfo& /*p*/) override {}
  void OnLineError(int64_t line, const Status& why) override {
    if (first_error.ok()) {
      first_error = why;
      first_error_line = line;
    }
  }

  std::unordered_map<uint64_t, uint32_t> totals;
  int64_t ocds_units = 0;
  Status first_error;
  int64_t first_error_line = 0;
};

// ---------------------------------------------------------------------------
// Pass 2: units → compiled releases → records.

// A release ready for merging, with where it came from.
struct Unit {
  json release;
  int64_t order = INT64_MIN;  // release date (UTC seconds); a missing date sorts first
  std::optional<int64_t> tender_time;
  std::string tender_date;  // date of the earliest release holding the tender
  std::string location;     // of the release or record
  std::string base;         // prefix for paths inside the release
  int64_t line = 0;
};

void NoteTenderDate(Unit* u, const std::string& raw) {
  std::optional<int64_t> t = InstantOf(raw);
  if (!t) return;
  if (!u->tender_time || *t < *u->tender_time) {
    u->tender_time = t;
    u->tender_date = raw;
  }
}

// What a compiled release is mapped with.
struct Meta {
  std::string ocid;
  int64_t line = 0;
  std::string location;
  std::string base;
  std::string tender_date;
};

Record NewRecord(int stream, int64_t line, const std::string& location) {
  Record r;
  r.stream = stream;
  r.line = line;
  r.location = location;
  r.fields.assign(kFieldCount[stream], "");
  r.external_identifiers = true;
  return r;
}

class Mapper {
 public:
  explicit Mapper(std::deque<Record>* out) : out_(out) {
    const DatasetDef* tenders = FindDataset("tenders");
    if (tenders) {
      int c = tenders->ColumnIndex("method");
      if (c >= 0) methods_ = tenders->columns[static_cast<size_t>(c)].allowed;
    }
  }

  void Map(const json& r, const Meta& m);

  // A record that could not be read as a release at all (goes to `stream`).
  void Problem(int stream, int64_t line, const std::string& location, const std::string& ocid,
               Status why) {
    Record rec = NewRecord(stream, line, location);
    size_t key = stream == 0   ? static_cast<size_t>(kTTenderId)
                 : stream == 1 ? static_cast<size_t>(kBTenderId)
                               : static_cast<size_t>(kCTenderId);
    rec.fields[key] = ocid;
    if (stream == 0) rec.fields[kTOcid] = ocid;
    rec.problem = std::move(why);
    out_->push_back(std::move(rec));
  }

 private:
  std::string MapMethod(const std::string& raw) const;
  void MapBids(const json& r, const Meta& m, const std::string& ocid, const Parties& parties);
  void MapContracts(const json& r, const Meta& m, const std::string& ocid,
                    const std::string& buyer_org, const std::vector<const json*>& awards,
                    const Parties& parties);

  std::deque<Record>* out_;
  std::vector<std::string> methods_;
};

std::string Mapper::MapMethod(const std::string& raw) const {
  std::string l = AsciiLower(raw);
  if (l == "open") return "公开招标";
  if (l == "selective") return "邀请招标";
  if (l == "limited") return "竞争性谈判";
  if (l == "direct") return "单一来源";
  if (raw.empty()) return "";
  std::string s = NormalizeForCompare(raw);
  for (const std::string& a : methods_) {
    if (a == s) return a;
  }
  return raw;  // the importer's quarantine will name the unknown value
}

void Mapper::Map(const json& r, const Meta& m) {
  Record t = NewRecord(0, m.line, m.location);
  t.merge_with_current = true;
  std::vector<std::string>& f = t.fields;
  Issues is;

  std::string ocid = GetText(&r, "ocid", "", &is);
  if (ocid.empty()) ocid = m.ocid;
  f[kTTenderId] = ocid;
  f[kTOcid] = ocid;
  f[kTDate] = GetText(&r, "date", "", nullptr);

  const json* tender = GetObject(&r, "tender", "", &is);
  const Parties parties(GetList(&r, "parties", "", &is));
  const std::vector<const json*> awards = GetList(&r, "awards", "", &is);
  const std::vector<const json*> contracts = GetList(&r, "contracts", "", nullptr);
  // Planning is read only for a fallback (Armenia publishes it as a list).
  auto budget = [&]() {
    return GetObject(GetObject(&r, "planning", "", &is), "budget", "planning", &is);
  };

  // Title, with fallbacks taken only from the data.
  std::string title = GetText(tender, "title", "tender", &is);
  if (title.empty()) {
    title = GetText(budget(), "project", "planning.budget", nullptr);
    if (!title.empty()) f[kTTitleSource] = "planning.budget.project";
  }
  for (const auto* list : {&contracts, &awards}) {
    for (size_t i = 0; i < list->size() && title.empty(); ++i) {
      title = GetText((*list)[i], "title", "", nullptr);
      if (!title.empty()) {
        f[kTTitleSource] = At(list == &contracts ? "contracts" : "awards", i) + ".title";
      }
    }
  }
  if (title.empty()) {
    title = GetText(tender, "description", "tender", nullptr);
    if (!title.empty()) f[kTTitleSource] = "tender.description";
  }
  f[kTTitle] = title;

  // Buyer and procuring entity.
  const Org buyer = ResolveOrg(GetObject(&r, "buyer", "", &is), parties);
  const Org pe = ResolveOrg(GetObject(tender, "procuringEntity", "tender", &is), parties);
  const Org buyer_party = ResolveOrg(parties.WithRole("buyer"), parties);
  const Org pe_party = ResolveOrg(parties.WithRole("procuringentity"), parties);
  std::string buyer_org;
  for (const Org* o : {&buyer, &pe, &buyer_party, &pe_party}) {
    if (buyer_org.empty()) buyer_org = o->name;
  }
  f[kTBuyerOrg] = buyer_org;
  f[kTBuyerId] = !buyer.id.empty() ? buyer.id : buyer_party.id;
  f[kTProcuringEntityId] = !pe.id.empty() ? pe.id : pe_party.id;
  const Org& named_buyer =
      (buyer.found && (!buyer.id.empty() || !buyer.name.empty())) ? buyer : buyer_party;
  const Org& entity = pe.found ? pe : pe_party;
  if ((!named_buyer.id.empty() || !named_buyer.name.empty()) && !entity.name.empty() &&
      !SameOrg(named_buyer, entity)) {
    f[kTAgency] = entity.name;
  }

  // Method and category.
  std::string pm = GetText(tender, "procurementMethod", "tender", &is);
  f[kTProcurementMethod] = pm;
  f[kTProcurementMethodDetails] = GetText(tender, "procurementMethodDetails", "", nullptr);
  f[kTMethod] = MapMethod(pm);
  std::string mpc = GetText(tender, "mainProcurementCategory", "tender", &is);
  f[kTMainCategory] = mpc;
  std::string mpcl = AsciiLower(mpc);
  if (mpcl == "goods") {
    f[kTCategory] = "货物";
  } else if (mpcl == "works") {
    f[kTCategory] = "工程";
  } else if (mpcl == "services" || mpcl == "consultingservices") {
    f[kTCategory] = "服务";
  } else if (std::string s = NormalizeForCompare(mpc); s == "货物" || s == "工程" || s == "服务") {
    f[kTCategory] = s;
  }

  // First classified item.
  const std::vector<const json*> items = GetList(tender, "items", "tender", &is);
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string path = At("tender.items", i);
    if (!items[i]->is_object()) {
      is.Wrong(path, *items[i], "an object", "对象");
      break;
    }
    const json* cls = GetObject(items[i], "classification", path, &is);
    std::string id = GetText(cls, "id", path + ".classification", &is);
    if (!id.empty()) {
      f[kTItemCode] = id;
      f[kTItemsScheme] = GetText(cls, "scheme", "", nullptr);
      break;
    }
  }

  // Budget.
  const json* tvalue = GetObject(tender, "value", "tender", &is);
  Amount budget_amount = ReadAmount(tvalue, "tender.value", &is);
  std::string tcurrency = GetText(tvalue, "currency", "", nullptr);
  std::string currency = tcurrency;
  if (budget_amount.value.empty()) {
    const json* bamount = GetObject(budget(), "amount", "planning.budget", &is);
    budget_amount = ReadAmount(bamount, "planning.budget.amount", &is);
    if (currency.empty()) currency = GetText(bamount, "currency", "", nullptr);
  }
  f[kTBudgetAmount] = budget_amount.value;
  f[kTBudgetRaw] = budget_amount.raw;
  f[kTCurrency] = currency;
  f[kTTenderValueCurrency] = tcurrency;

  // Dates.
  const json* period = GetObject(tender, "tenderPeriod", "tender", &is);
  std::string start = GetText(period, "startDate", "tender.tenderPeriod", &is);
  std::string end = GetText(period, "endDate", "tender.tenderPeriod", &is);
  f[kTPeriodStart] = start;
  f[kTPeriodEnd] = end;
  std::string published = start;
  if (published.empty()) {
    published = GetText(tender, "datePublished", "tender", &is);
    if (!published.empty()) f[kTPublishDateSource] = "tender.datePublished";
  }
  if (published.empty() && !m.tender_date.empty()) {
    published = m.tender_date;
    f[kTPublishDateSource] = "release date";
  }
  f[kTPublishDate] = DateText(published);
  f[kTBidDeadline] = DateTimeText(end);

  // The award: the first active one, else the first without a status.
  const json* chosen = nullptr;
  size_t chosen_index = 0;
  for (int pass = 0; pass < 2 && !chosen; ++pass) {
    for (size_t i = 0; i < awards.size(); ++i) {
      const json& a = *awards[i];
      if (!a.is_object()) {
        if (pass == 0) is.Wrong(At("awards", i), a, "an object", "对象");
        continue;
      }
      std::string status = AsciiLower(GetText(&a, "status", "", nullptr));
      if ((pass == 0 && status == "active") || (pass == 1 && status.empty())) {
        chosen = &a;
        chosen_index = i;
        break;
      }
    }
  }
  if (chosen) {
    std::string ap = At("awards", chosen_index);
    f[kTAwardId] = GetText(chosen, "id", ap, nullptr);
    f[kTAwardStatus] = GetText(chosen, "status", ap, &is);
    std::string date = GetText(chosen, "date", ap, &is);
    f[kTAwardDateRaw] = date;
    f[kTAwardDate] = DateText(date);
    if (auto sups = GetList(chosen, "suppliers", ap, &is); !sups.empty()) {
      if (sups[0]->is_object()) {
        Org w = ResolveOrg(sups[0], parties);
        f[kTWinner] = w.code;
        f[kTWinnerName] = w.name;
      } else {
        is.Wrong(ap + ".suppliers[0]", *sups[0], "an object", "对象");
      }
    }
    const json* av = GetObject(chosen, "value", ap, &is);
    Amount award_amount = ReadAmount(av, ap + ".value", &is);
    f[kTAwardAmount] = award_amount.value;
    f[kTAwardAmountRaw] = award_amount.raw;
    f[kTAwardCurrency] = GetText(av, "currency", "", nullptr);
  }

  // Status.
  std::string ts = GetText(tender, "status", "tender", &is);
  f[kTTenderStatus] = ts;
  std::string tsl = AsciiLower(ts);
  if (chosen) {
    f[kTStatus] = "中标";
  } else if (tsl == "unsuccessful") {
    f[kTStatus] = "流标";
  } else if (tsl == "cancelled") {
    f[kTStatus] = "废标";
  } else if (tsl == "active" || tsl == "planning" || tsl == "planned") {
    f[kTStatus] = "进行中";
  }

  f[kTTenderIdRaw] = GetText(tender, "id", "", nullptr);
  f[kTNumberOfTenderers] = GetText(tender, "numberOfTenderers", "", nullptr);
  f[kTAwardCriteria] = GetText(tender, "awardCriteria", "", nullptr);
  f[kTSubmissionMethod] = ListText(Get(tender, "submissionMethod"));

  if (!is.empty()) t.problem = is.ToStatus();
  out_->push_back(std::move(t));

  MapBids(r, m, ocid, parties);
  MapContracts(r, m, ocid, buyer_org, awards, parties);
}

void Mapper::MapBids(const json& r, const Meta& m, const std::string& ocid,
                     const Parties& parties) {
  Issues top;
  const json* bids = GetObject(&r, "bids", "", &top);
  const std::vector<const json*> details = GetList(bids, "details", "bids", &top);
  if (!top.empty()) {
    Problem(1, m.line, Sub(m.base, "bids"), ocid, top.ToStatus());
    return;
  }
  std::unordered_map<std::string, std::string> seen;  // bidder → location of its first bid
  for (size_t k = 0; k < details.size(); ++k) {
    const json& d = *details[k];
    const std::string dp = At("bids.details", k);
    const std::string loc = Sub(m.base, dp);
    if (!d.is_object()) {
      Issues is;
      is.Wrong(dp, d, "an object", "对象");
      Problem(1, m.line, loc, ocid, is.ToStatus());
      continue;
    }
    Issues is;
    const std::string status = GetText(&d, "status", dp, &is);
    const json* value = GetObject(&d, "value", dp, &is);
    const Amount amount = ReadAmount(value, dp + ".value", &is);
    const std::string currency = GetText(value, "currency", "", nullptr);
    const std::string date = GetText(&d, "date", dp, &is);
    std::string lots = ListText(Get(&d, "relatedLots"));
    if (std::string one = ListText(Get(&d, "relatedLot")); !one.empty()) {
      lots += (lots.empty() ? "" : ";") + one;
    }
    std::string qualified;
    const std::string sl = AsciiLower(status);
    if (sl == "disqualified" || sl == "invalid" || sl == "withdrawn" || sl == "not-qualified" ||
        sl == "notqualified" || sl == "rejected" || sl == "unsuccessful") {
      qualified = "否";
    } else if (sl == "valid" || sl == "qualified" || sl == "active") {
      qualified = "是";
    }
    const std::vector<const json*> tenderers = GetList(&d, "tenderers", dp, &is);
    const size_t count = tenderers.size();
    for (size_t j = 0; j < std::max<size_t>(count, 1); ++j) {
      Record b = NewRecord(1, m.line, count > 1 ? At(loc + ".tenderers", j) : loc);
      std::vector<std::string>& f = b.fields;
      f[kBTenderId] = ocid;
      f[kBAmount] = amount.value;
      f[kBAmountRaw] = amount.raw;
      f[kBCurrency] = currency;
      f[kBSubmitTime] = DateTimeText(date);
      f[kBDateRaw] = date;
      f[kBQualified] = qualified;
      f[kBStatus] = status;
      f[kBBidId] = GetText(&d, "id", "", nullptr);
      f[kBRelatedLots] = lots;
      Issues row = is;
      if (count == 0) {
        row.Add(dp + " names no tenderer", dp + "没有投标人（tenderers）");
      } else if (!tenderers[j]->is_object()) {
        row.Wrong(At(dp + ".tenderers", j), *tenderers[j], "an object", "对象");
      } else {
        Org o = ResolveOrg(tenderers[j], parties);
        f[kBBidder] = o.code;
        f[kBBidderName] = o.name;
        if (!o.code.empty()) {
          auto [it, fresh] = seen.emplace(o.code, b.location);
          if (!fresh && row.empty()) {
            b.problem = Status::InvalidInput(
                "tenderer " + o.code + " already has a bid in this tender (" + it->second +
                    "); the bids dataset keeps one bid per tenderer and tender",
                "投标人" + o.code + "在本项目中已有一条投标（" + it->second +
                    "）；投标记录每个项目每个投标人只保留一条");
          }
        }
      }
      if (!row.empty()) b.problem = row.ToStatus();
      out_->push_back(std::move(b));
    }
  }
}

void Mapper::MapContracts(const json& r, const Meta& m, const std::string& ocid,
                          const std::string& buyer_org, const std::vector<const json*>& awards,
                          const Parties& parties) {
  Issues top;
  const std::vector<const json*> contracts = GetList(&r, "contracts", "", &top);
  if (!top.empty()) {
    Problem(2, m.line, Sub(m.base, "contracts"), ocid, top.ToStatus());
    return;
  }
  std::unordered_map<std::string, const json*> award_by_id;
  for (const json* a : awards) {
    std::string id = GetText(a, "id", "", nullptr);
    if (!id.empty()) award_by_id.emplace(std::move(id), a);
  }
  for (size_t k = 0; k < contracts.size(); ++k) {
    const json& c = *contracts[k];
    const std::string cp = At("contracts", k);
    const std::string loc = Sub(m.base, cp);
    Issues is;
    if (!c.is_object()) {
      is.Wrong(cp, c, "an object", "对象");
      Problem(2, m.line, loc, ocid, is.ToStatus());
      continue;
    }
    Record rec = NewRecord(2, m.line, loc);
    rec.merge_with_current = true;
    std::vector<std::string>& f = rec.fields;
    const std::string id = GetText(&c, "id", cp, &is);
    f[kCContractIdRaw] = id;
    if (!id.empty()) f[kCContractId] = ocid + "/" + id;
    f[kCTenderId] = ocid;
    f[kCBuyerOrg] = buyer_org;
    f[kCStatus] = GetText(&c, "status", "", nullptr);
    f[kCTitle] = GetText(&c, "title", "", nullptr);
    const std::string award_id = GetText(&c, "awardID", cp, &is);
    f[kCAwardId] = award_id;

    // Supplier: the award's first, else the contract's own (an extension).
    const json* supplier = nullptr;
    auto award = award_by_id.find(award_id);
    if (!award_id.empty() && award != award_by_id.end()) {
      auto sups = GetList(award->second, "suppliers", "", nullptr);
      if (!sups.empty()) supplier = sups[0];
    }
    if (!supplier) {
      auto sups = GetList(&c, "suppliers", cp, &is);
      if (!sups.empty()) supplier = sups[0];
    }
    if (supplier && supplier->is_object()) {
      Org o = ResolveOrg(supplier, parties);
      f[kCSupplier] = o.code;
      f[kCSupplierName] = o.name;
    }

    const json* value = GetObject(&c, "value", cp, &is);
    const Amount amount = ReadAmount(value, cp + ".value", &is);
    f[kCAmount] = amount.value;
    f[kCAmountRaw] = amount.raw;
    f[kCCurrency] = GetText(value, "currency", "", nullptr);

    std::string signed_on = GetText(&c, "dateSigned", cp, &is);
    if (signed_on.empty()) {
      const json* period = GetObject(&c, "period", cp, &is);
      signed_on = GetText(period, "startDate", cp + ".period", &is);
      if (!signed_on.empty()) f[kCSignDateSource] = "period.startDate";
    }
    f[kCSignDate] = DateText(signed_on);

    // Settled amount: the sum of the payments made.
    const json* impl = GetObject(&c, "implementation", cp, &is);
    const std::vector<const json*> txs = GetList(impl, "transactions", cp + ".implementation", &is);
    if (!txs.empty()) {
      int64_t sum = 0;
      bool ok = true;
      for (const json* tx : txs) {
        const json* v = GetObject(tx, "value", "", nullptr);
        if (!v) v = GetObject(tx, "amount", "", nullptr);  // OCDS 1.0
        std::optional<int64_t> fen = FenOf(ReadAmount(v, "", nullptr).value);
        if (!fen || std::llabs(sum) > (INT64_MAX / 4) || std::llabs(*fen) > (INT64_MAX / 4)) {
          ok = false;
          break;
        }
        sum += *fen;
      }
      if (ok) f[kCFinalAmount] = FenText(sum);
    }

    if (Get(&c, "amendments")) {
      f[kCChangeCount] = std::to_string(GetList(&c, "amendments", cp, &is).size());
    } else if (const json* one = Get(&c, "amendment"); one && one->is_object()) {
      f[kCChangeCount] = "1";
    }

    if (!is.empty()) rec.problem = is.ToStatus();
    out_->push_back(std::move(rec));
  }
}

// A group of units of one ocid waiting for the rest of its releases.
struct Group {
  uint64_t seq = 0;
  std::vector<Unit> units;
};

class ReadSink : public ScanSink {
 public:
  ReadSink(std::unordered_map<uint64_t, uint32_t> totals, bool multi_value, std::deque<Record>* out,
           std::deque<OcdsReader::Compiled>* compiled)
      : totals_(std::move(totals)), multi_(multi_value), mapper_(out), compiled_(compiled) {}

  bool OnUnit(const UnitInfo& u, std::string_view text) override;
  void OnPackageEnd(const PackageInfo& p) override;
  void OnLineError(int64_t line, const Status& why) override {
    mapper_.Problem(0, line, "", "",
                    Status::InvalidInput("the line is not valid JSON: " + why.message(),
                                         "该行不是有效的JSON：" + why.message_zh()));
  }
  void set_keep_compiled(bool on) { keep_compiled_ = on; }
  // At the end of the file: whatever is still waiting.
  void FlushAll() {
    for (auto& [seq, ocid] : order_) {
      auto it = pending_.find(ocid);
      if (it == pending_.end()) continue;
      Emit(ocid, it->second.units);
      pending_.erase(it);
    }
    order_.clear();
  }

 private:
  Status BuildUnit(json&& obj, const UnitInfo& u, Unit* unit) const;
  void Add(const std::string& ocid, Unit&& unit);
  void Emit(const std::string& ocid, std::vector<Unit>& units);
  void KeepCompiled(const std::string& ocid, const json& release);

  std::unordered_map<uint64_t, uint32_t> totals_;
  bool multi_;
  Mapper mapper_;
  std::deque<OcdsReader::Compiled>* compiled_;
  bool keep_compiled_ = false;
  int64_t ordinal_ = 0;
  uint64_t seq_ = 0;
  std::unordered_map<std::string, Group> pending_;
  std::map<uint64_t, std::string> order_;  // pending ocids in order of appearance
};

bool ReadSink::OnUnit(const UnitInfo& u, std::string_view text) {
  const int64_t line = multi_ ? u.top_line : ++ordinal_;
  const std::string location(u.location);
  const std::string ocid(u.ocid);
  const char* what_en = u.in_records ? "a record"
                        : u.item     ? "an OCDS release, record or package"
                                     : "a release";
  const char* what_zh = u.in_records ? "记录" : u.item ? "OCDS发布、记录或数据包" : "发布";
  if (u.kind != 'o') {
    json probe = u.kind == 'a'   ? json::array()
                 : u.kind == 's' ? json("")
                 : u.kind == 'n' ? json(0)
                 : u.kind == 'b' ? json(true)
                                 : json(nullptr);
    mapper_.Problem(0, line, location, "",
                    Status::InvalidInput(std::string("this is ") + KindName(probe, false) +
                                             ", expected " + what_en + " (an object)",
                                         std::string("此处应为") + what_zh + "（对象），实际为" +
                                             KindName(probe, true)));
    return false;
  }
  json obj;
  std::string error;
  if (!ParseJson(text, &obj, &error)) {
    mapper_.Problem(0, line, location, ocid,
                    Status::InvalidInput("this release or record cannot be read as JSON: " + error,
                                         "该发布或记录无法按JSON读取：" + error));
    return false;
  }
  // Linked releases inside a package are judged with the whole package.
  if (!u.item && !u.in_records && !u.compiled && IsLinkedRelease(obj)) return true;
  Unit unit;
  unit.location = location;
  unit.line = line;
  Status st = BuildUnit(std::move(obj), u, &unit);
  if (!st.ok()) {
    mapper_.Problem(0, line, location, ocid, st);
    return false;
  }
  Add(ocid, std::move(unit));
  return false;
}

Status ReadSink::BuildUnit(json&& obj, const UnitInfo& u, Unit* unit) const {
  const json* releases = Get(&obj, "releases");
  const bool has_compiled = Get(&obj, "compiledRelease") != nullptr;
  const bool has_versioned = Get(&obj, "versionedRelease") != nullptr;
  const std::string ocid = GetText(&obj, "ocid", "", nullptr);
  const std::string who = ocid.empty() ? "this record" : "record " + ocid;
  const std::string who_zh = ocid.empty() ? "该记录" : "记录" + ocid;
  if (u.in_records || has_compiled || has_versioned || releases) {
    // A record. The dates of its releases that carry the tender, linked or embedded.
    if (releases && releases->is_array()) {
      for (const json& rr : *releases) {
        if (rr.is_object() &&
            (GetObject(&rr, "tender", "", nullptr) || ListHas(Get(&rr, "tag"), "tender"))) {
          NoteTenderDate(unit, GetText(&rr, "date", "", nullptr));
        }
      }
    }
    size_t embedded = 0;
    size_t linked = 0;
    size_t others = 0;
    if (releases && releases->is_array()) {
      for (const json& rr : *releases) {
        if (IsLinkedRelease(rr)) {
          ++linked;
        } else if (rr.is_object()) {
          ++embedded;
        } else {
          ++others;
        }
      }
    }
    if (has_compiled) {
      json& cr = obj["compiledRelease"];
      if (!cr.is_object()) {
        Issues is;
        is.Wrong("compiledRelease", cr, "an object", "对象");
        return is.ToStatus();
      }
      unit->release = std::move(cr);
      unit->base = Sub(u.location, "compiledRelease");
    } else if (embedded > 0 && linked == 0 && others == 0) {
      std::vector<std::pair<int64_t, const json*>> order;
      for (const json& rr : *releases) {
        order.emplace_back(InstantOf(GetText(&rr, "date", "", nullptr)).value_or(INT64_MIN), &rr);
      }
      std::stable_sort(order.begin(), order.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      json compiled = json::object();
      for (const auto& [when, rr] : order) Merge(compiled, *rr, 0);
      unit->release = std::move(compiled);
      unit->base = std::string(u.location);
    } else if (has_versioned) {
      json& vr = obj["versionedRelease"];
      if (!vr.is_object()) {
        Issues is;
        is.Wrong("versionedRelease", vr, "an object", "对象");
        return is.ToStatus();
      }
      Flatten(vr, 0);
      unit->release = std::move(vr);
      unit->base = Sub(u.location, "versionedRelease");
    } else if (linked > 0) {
      return Status::InvalidInput(
          who + " has no compiledRelease and " + std::to_string(linked) + " of its " +
              std::to_string(releases->size()) +
              " releases are linked releases (only url, date and tag): linked releases cannot "
              "be compiled; publish the record with its compiledRelease or with embedded "
              "releases",
          who_zh + "没有compiledRelease，且其" + std::to_string(releases->size()) +
              "个release中有" + std::to_string(linked) +
              "个只是链接（仅有url、date、tag），无法合并编译；请提供含compiledRelease或完整release"
              "的记录");
    } else if (releases && !releases->is_array()) {
      Issues is;
      is.Wrong("releases", *releases, "a list", "数组");
      return is.ToStatus();
    } else if (others > 0) {
      return Status::InvalidInput(who + ": releases must be objects",
                                  who_zh + "：releases中的元素应为对象");
    } else {
      return Status::InvalidInput(who + " has neither a compiledRelease nor releases to compile",
                                  who_zh + "既没有compiledRelease，也没有可合并编译的release");
    }
    if (!unit->release.contains("ocid") && !ocid.empty()) unit->release["ocid"] = ocid;
    if (!unit->tender_time && GetObject(&unit->release, "tender", "", nullptr)) {
      // Nothing better known: the compiled release's own date.
      NoteTenderDate(unit, GetText(&unit->release, "date", "", nullptr));
    }
  } else {
    if (IsLinkedRelease(obj)) {
      return Status::InvalidInput(
          "this is a linked release (only url, date and tag): it carries no data; give the full "
          "release or a record with its compiledRelease",
          "这是一个链接型release（仅有url、date、tag），不含数据；请提供完整的release或含compiledRe"
          "lease的记录");
    }
    if (!Get(&obj, "ocid")) {
      std::vector<std::string> keys;
      for (auto it = obj.begin(); it != obj.end() && keys.size() < kKeysKept; ++it) {
        keys.push_back(it.key());
      }
      std::string list = JoinKeys(keys, obj.size() > keys.size());
      return Status::InvalidInput(
          "this is not an OCDS release: it has no ocid; found an object with keys " + list,
          "这不是OCDS发布：没有ocid；该对象的键为" + list);
    }
    Flatten(obj, 0);  // a versioned release becomes its latest values
    if (GetObject(&obj, "tender", "", nullptr)) {
      NoteTenderDate(unit, GetText(&obj, "date", "", nullptr));
    }
    unit->release = std::move(obj);
    unit->base = std::string(u.location);
  }
  unit->order = InstantOf(GetText(&unit->release, "date", "", nullptr)).value_or(INT64_MIN);
  return Status::OK();
}

void ReadSink::Add(const std::string& ocid, Unit&& unit) {
  uint32_t total = 1;
  if (!ocid.empty()) {
    auto t = totals_.find(HashOcid(ocid));
    if (t != totals_.end()) total = t->second;
  }
  auto it = ocid.empty() ? pending_.end() : pending_.find(ocid);
  if (it == pending_.end()) {
    if (ocid.empty() || total <= 1) {
      std::vector<Unit> one;
      one.push_back(std::move(unit));
      Emit(ocid, one);
      return;
    }
    it = pending_.emplace(ocid, Group{}).first;
    it->second.seq = ++seq_;
    order_.emplace(it->second.seq, ocid);
  }
  it->second.units.push_back(std::move(unit));
  if (it->second.units.size() >= total) {
    std::vector<Unit> units = std::move(it->second.units);
    order_.erase(it->second.seq);
    pending_.erase(it);
    Emit(ocid, units);
  }
}

void ReadSink::Emit(const std::string& ocid, std::vector<Unit>& units) {
  Meta meta;
  meta.ocid = ocid;
  meta.line = units.front().line;
  if (units.size() == 1) {
    meta.location = units.front().location;
    meta.base = units.front().base;
  } else {
    std::string joined;
    for (size_t i = 0; i < units.size() && i < 3; ++i) {
      joined += (i ? "+" : "") + (units[i].location.empty() ? "(top)" : units[i].location);
    }
    if (units.size() > 3) joined += "+…";
    meta.location = "(" + joined + ")";
    meta.base = meta.location;
  }
  for (const Unit& u : units) {
    if (u.tender_time && (meta.tender_date.empty() ||
                          *u.tender_time < InstantOf(meta.tender_date).value_or(INT64_MAX))) {
      meta.tender_date = u.tender_date;
    }
  }
  if (units.size() == 1) {
    mapper_.Map(units.front().release, meta);
    KeepCompiled(ocid, units.front().release);
    return;
  }
  std::stable_sort(units.begin(), units.end(),
                   [](const Unit& a, const Unit& b) { return a.order < b.order; });
  json compiled = json::object();
  for (const Unit& u : units) Merge(compiled, u.release, 0);
  mapper_.Map(compiled, meta);
  KeepCompiled(ocid, compiled);
}

// By the ocid the units were grouped by, else the release's own (a record without a
// top-level ocid). Releases without a string ocid cannot be stored by ocid.
void ReadSink::KeepCompiled(const std::string& ocid, const json& release) {
  if (!keep_compiled_ || !release.is_object()) return;
  std::string key = ocid;
  if (key.empty()) {
    const json* own = Get(&release, "ocid");
    if (own && own->is_string()) key = own->get<std::string>();
  }
  if (key.empty()) return;
  compiled_->push_back(
      {std::move(key), release.dump(-1, ' ', false, json::error_handler_t::replace)});
}

void ReadSink::OnPackageEnd(const PackageInfo& p) {
  if (p.linked == 0 || p.saw_compiled) return;
  const int64_t line = multi_ ? p.top_line : ordinal_;
  const std::string n = std::to_string(p.linked);
  mapper_.Problem(
      0, line, std::string(p.location), std::string(p.ocid),
      Status::InvalidInput(
          n + " release(s) here are linked releases (only url, date and tag) and there is no "
              "compiledRelease: linked releases cannot be compiled",
          "此处有" + n +
              "个链接型release（仅有url、date、tag）且没有compiledRelease，无法合并编译"));
}

Status ReadError(const std::string& path, const Status& s) {
  return s.WithContext("file " + path + " is not valid JSON", "文件" + path + "不是有效的JSON");
}

}  // namespace

struct OcdsReader::Impl {
  std::string path;
  std::vector<StreamInfo> streams;
  std::string encoding;
  std::unique_ptr<Utf8FileReader> file;
  std::deque<Record> ready;
  std::deque<Compiled> compiled;
  std::unique_ptr<ReadSink> sink;
  std::unique_ptr<Scanner> scanner;
  std::string chunk;
  bool done = false;
};

OcdsReader::OcdsReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OcdsReader::~OcdsReader() = default;

Result<std::unique_ptr<OcdsReader>> OcdsReader::Open(const std::string& path) {
  try {
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    std::string ext = AsciiLower(std::filesystem::path(path).extension().string());
    const bool jsonl = ext == ".jsonl" || ext == ".ndjson";

    // Pass 1: syntax, what the file is, releases per ocid.
    CountSink counts;
    Scanner first(&counts, /*retain=*/false, jsonl, /*detect_lines=*/!jsonl);
    {
      QF_ASSIGN_OR_RETURN(std::unique_ptr<Utf8FileReader> in, Utf8FileReader::Open(path));
      std::string chunk;
      for (;;) {
        chunk.clear();
        QF_ASSIGN_OR_RETURN(bool more, in->Read(&chunk, kChunkBytes));
        if (!more) break;
        Status s = first.Feed(chunk);
        if (!s.ok()) return ReadError(path, s);
      }
      Status s = first.Finish();
      if (!s.ok()) return ReadError(path, s);
    }
    if (first.top_values() == 0) {
      return Status::InvalidInput("file " + path + " is empty: it holds no OCDS data",
                                  "文件" + path + "是空的：没有OCDS数据");
    }
    if (first.packages() == 0 && counts.ocds_units == 0) {
      if (first.complete_values() == 0 && !counts.first_error.ok()) {
        return counts.first_error.WithContext("file " + path + " is not valid JSON Lines: line " +
                                                  std::to_string(counts.first_error_line),
                                              "文件" + path + "不是有效的JSON Lines：第" +
                                                  std::to_string(counts.first_error_line) + "行");
      }
      auto [found_en, found_zh] = first.DescribeFirst();
      return Status::InvalidInput(
          "file " + path +
              " is JSON but not OCDS: expected a release package (releases), a record package "
              "(records), a release (ocid) or JSON Lines of them; found " +
              found_en,
          "文件" + path +
              "是JSON但不是OCDS数据：应为发布包（releases）、记录包（records）、单个发布（含ocid）"
              "或它们组成的JSON Lines；实际为" +
              found_zh);
    }

    // Pass 2 is driven by Next().
    QF_ASSIGN_OR_RETURN(impl->file, Utf8FileReader::Open(path));
    impl->encoding = impl->file->encoding();
    impl->sink = std::make_unique<ReadSink>(std::move(counts.totals), first.top_values() > 1,
                                            &impl->ready, &impl->compiled);
    impl->scanner = std::make_unique<Scanner>(impl->sink.get(), /*retain=*/true, first.line_mode(),
                                              /*detect_lines=*/false);
    const char* const* headers[] = {kTenderHeader, kBidHeader, kContractHeader};
    const char* datasets[] = {"tenders", "bids", "contracts"};
    for (int s = 0; s < 3; ++s) {
      StreamInfo info;
      info.dataset = datasets[s];
      info.header.assign(headers[s], headers[s] + kFieldCount[s]);
      impl->streams.push_back(std::move(info));
    }
    return std::unique_ptr<OcdsReader>(new OcdsReader(std::move(impl)));
  } catch (const std::exception& e) {
    return Status::Internal("reading OCDS file " + path + ": " + e.what());
  }
}

const std::vector<StreamInfo>& OcdsReader::streams() const { return impl_->streams; }

Result<bool> OcdsReader::Next(Record* rec) {
  try {
    Impl& m = *impl_;
    while (m.ready.empty()) {
      if (m.done) return false;
      m.chunk.clear();
      QF_ASSIGN_OR_RETURN(bool more, m.file->Read(&m.chunk, kChunkBytes));
      if (more) {
        Status s = m.scanner->Feed(m.chunk);
        if (!s.ok()) return ReadError(m.path, s);
      } else {
        Status s = m.scanner->Finish();
        if (!s.ok()) return ReadError(m.path, s);
        m.sink->FlushAll();
        m.done = true;
      }
    }
    *rec = std::move(m.ready.front());
    m.ready.pop_front();
    return true;
  } catch (const std::exception& e) {
    return Status::Internal("reading OCDS file " + impl_->path + ": " + e.what());
  }
}

double OcdsReader::Progress() const {
  if (impl_->done) return 1.0;
  return impl_->file ? impl_->file->Progress() : 0.0;
}

std::string OcdsReader::Encoding() const { return impl_->encoding; }

void OcdsReader::KeepCompiledReleases(bool on) { impl_->sink->set_keep_compiled(on); }

void OcdsReader::TakeCompiled(std::vector<Compiled>* out) {
  for (Compiled& c : impl_->compiled) out->push_back(std::move(c));
  impl_->compiled.clear();
}

}  // namespace qf
