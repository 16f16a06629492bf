// Family: ocds (国际开放合同数据标准红旗). The Open Contracting Partnership's red
// flags, computed exactly as its tool Cardinal does (see ocds.h), on the
// compiled releases that OCDS imports keep in the table ocds_releases.
//
// Each Cardinal rule below mirrors cardinal-rs src/lib.rs (prepare, the global
// filters, the bid helpers) and src/indicators/*.rs line by line: the same
// fields, the same skips, the same order of evaluation (it matters for the
// "first currency seen"), the same floating-point operations (fences use a
// fused multiply-add, as Rust's mul_add does).
#include "models/ocds.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "common/text.h"
#include "common/time.h"
#include "models/families.h"
#include "store/db.h"

namespace qf::models {

using json = nlohmann::json;

const char* CardinalGroupName(CardinalGroup g) {
  switch (g) {
    case CardinalGroup::kOcid:
      return "OCID";
    case CardinalGroup::kBuyer:
      return "Buyer";
    case CardinalGroup::kProcuringEntity:
      return "ProcuringEntity";
    case CardinalGroup::kTenderer:
      return "Tenderer";
  }
  return "";
}

// statrs 0.16 OrderStatistics::quantile on Data. Its select_inplace returns the
// k-th smallest value, so sorting gives the same numbers. (With NaN in the data
// statrs' answer depends on the order of a Rust HashMap; NaN is put last here.)
double CardinalQuantile(std::vector<double> data, double tau) {
  if (!(tau >= 0.0 && tau <= 1.0) || data.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(data.begin(), data.end(), [](double a, double b) {
    if (std::isnan(a)) return false;
    if (std::isnan(b)) return true;
    return a < b;
  });
  const double n = static_cast<double>(data.size());
  // No -march, hence no FMA contraction: the same roundings as Rust.
  const double h = (n + 1.0 / 3.0) * tau + 1.0 / 3.0;
  const auto hf = static_cast<int64_t>(h);
  if (hf <= 0 || tau == 0.0) return data.front();
  if (hf >= static_cast<int64_t>(data.size()) || tau == 1.0) return data.back();
  const double a = data[static_cast<size_t>(hf - 1)];
  const double b = data[static_cast<size_t>(hf)];
  return a + (h - static_cast<double>(hf)) * (b - a);
}

namespace {

// ---------------------------------------------------------------------------
// RFC 3339 as chrono (>= 0.4.35) parses it for DateTime::parse_from_rfc3339.

struct ChronoUtc {
  int64_t days = 0;  // since 1970-01-01
  int64_t secs = 0;  // of the day, 0..86399
  int64_t frac = 0;  // nanoseconds, 1e9.. for a leap second
};

bool Digits(std::string_view s, size_t pos, size_t n, int64_t* out) {
  if (pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

bool ChronoDateValid(int64_t y, int64_t m, int64_t d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;  // year 0 is a leap year
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::optional<ChronoUtc> ParseRfc3339(std::string_view s) {
  int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, nano = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 5 || s[4] != '-') return std::nullopt;
  if (!Digits(s, 5, 2, &mo) || s.size() < 8 || s[7] != '-') return std::nullopt;
  if (!Digits(s, 8, 2, &d) || s.size() < 11) return std::nullopt;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  if (!Digits(s, 11, 2, &h) || s.size() < 14 || s[13] != ':') return std::nullopt;
  if (!Digits(s, 14, 2, &mi) || s.size() < 17 || s[16] != ':') return std::nullopt;
  if (!Digits(s, 17, 2, &sec)) return std::nullopt;
  if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
  size_t p = 19;
  if (p < s.size() && s[p] == '.') {
    ++p;
    size_t start = p;
    while (p < s.size() && p - start < 9 && s[p] >= '0' && s[p] <= '9') {
      nano = nano * 10 + (s[p] - '0');
      ++p;
    }
    if (p == start) return std::nullopt;
    for (size_t k = p - start; k < 9; ++k) nano *= 10;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;  // digits past 9 are skipped
  }
  int64_t offset = 0;
  if (p >= s.size()) return std::nullopt;
  if (s[p] == 'Z' || s[p] == 'z') {
    ++p;
  } else {
    bool negative = false;
    if (s[p] == '+') {
      ++p;
    } else if (s[p] == '-') {
      negative = true;
      ++p;
    } else if (s.substr(p, 3) == "\xE2\x88\x92") {  // U+2212 MINUS SIGN
      negative = true;
      p += 3;
    } else {
      return std::nullopt;
    }
    int64_t oh = 0, om = 0;
    if (!Digits(s, p, 2, &oh) || p + 2 >= s.size() || s[p + 2] != ':') return std::nullopt;
    if (!Digits(s, p + 3, 2, &om) || om > 59) return std::nullopt;
    p += 5;
    offset = (oh * 3600 + om * 60) * (negative ? -1 : 1);
    if (offset > (23 * 60 + 59) * 60 || offset < -(23 * 60 + 59) * 60) return std::nullopt;
  }
  if (p != s.size()) return std::nullopt;
  if (!ChronoDateValid(y, mo, d)) return std::nullopt;
  if (sec == 60) {  // a leap second: 59 plus a second of fraction
    sec = 59;
    nano += 1'000'000'000;
  }
  // NaiveTime::overflowing_sub_offset: the fraction (and a leap second) is kept.
  int64_t secs = h * 3600 + mi * 60 + sec - offset;
  int64_t days = DaysFromCivil(static_cast<int>(y), static_cast<int>(mo), static_cast<int>(d));
  if (secs < 0) {
    secs += 86400;
    --days;
  } else if (secs >= 86400) {
    secs -= 86400;
    ++days;
  }
  return ChronoUtc{days, secs, nano};
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::optional<int64_t> CardinalDaysBetween(const std::string& start, const std::string& end) {
  std::optional<ChronoUtc> a = ParseRfc3339(start);
  std::optional<ChronoUtc> b = ParseRfc3339(end);
  if (!a || !b) return std::nullopt;
  // NaiveDateTime::signed_duration_since (b - a), leap seconds as chrono counts them.
  int64_t secs = b->secs - a->secs;
  const int64_t frac = b->frac - a->frac;
  if (b->secs > a->secs && a->frac >= 1'000'000'000) {
    secs += 1;
  } else if (b->secs < a->secs && b->frac >= 1'000'000'000) {
    secs -= 1;
  }
  secs += (b->days - a->days) * 86400 + FloorDiv(frac, 1'000'000'000);
  const int64_t nanos = frac - FloorDiv(frac, 1'000'000'000) * 1'000'000'000;
  // TimeDelta::num_days: whole seconds toward zero, then days toward zero.
  const int64_t whole = secs < 0 && nanos > 0 ? secs + 1 : secs;
  return whole / 86400;
}

namespace {

// ---------------------------------------------------------------------------
// JSON access with serde_json's meaning: `get` on a non-object is None, and a
// pattern like Some(Value::String(s)) does not match null or another type.

const json* Get(const json* obj, std::string_view key) {
  if (!obj || !obj->is_object()) return nullptr;
  auto it = obj->find(key);
  return it == obj->end() ? nullptr : &*it;
}
const json* Get(const json& obj, std::string_view key) { return Get(&obj, key); }
const std::string* Str(const json* v) {
  return v && v->is_string() ? &v->get_ref<const std::string&>() : nullptr;
}
const json* Obj(const json* v) { return v && v->is_object() ? v : nullptr; }
const json* Arr(const json* v) { return v && v->is_array() ? v : nullptr; }
bool IsStatus(const json& o, std::string_view status) {
  const std::string* s = Str(Get(o, "status"));
  return s && *s == status;
}
// Number::as_f64 (arbitrary_precision: the text read as f64, finite only).
std::optional<double> AsF64(const json* v) {
  if (!v || !v->is_number()) return std::nullopt;
  double d = v->is_number_unsigned()  ? static_cast<double>(v->get<uint64_t>())
             : v->is_number_integer() ? static_cast<double>(v->get<int64_t>())
                                      : v->get<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

// Number::to_string: the number as written.
std::string NumberText(const json& v) {
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  return v.dump();
}

// str::split_terminator('|').
std::vector<std::string> SplitPipes(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (;;) {
    size_t bar = s.find('|', start);
    if (bar == std::string_view::npos) {
      if (start < s.size()) out.emplace_back(s.substr(start));
      break;
    }
    out.emplace_back(s.substr(start, bar - start));
    start = bar + 1;
  }
  return out;
}

// ---------------------------------------------------------------------------
// `prepare` with default settings.

void Stringify(json& obj, const char* key) {
  if (!obj.is_object()) return;
  auto it = obj.find(key);
  if (it != obj.end() && it->is_number()) *it = NumberText(*it);
}

void PrepareIdObject(json& field, const char* key) {
  if (!field.is_object()) return;
  auto it = field.find(key);
  if (it != field.end() && it->is_object()) Stringify(*it, "id");
}

void PrepareIdArray(json& field, const char* key) {
  if (!field.is_object()) return;
  auto it = field.find(key);
  if (it == field.end()) return;
  if (it->is_object()) {  // a lone object becomes a list of one
    json one = std::move(*it);
    *it = json::array();
    it->push_back(std::move(one));
  }
  if (it->is_array()) {
    for (json& e : *it) Stringify(e, "id");
  }
}

void Prepare(json& r) {
  if (!r.is_object()) return;
  PrepareIdArray(r, "parties");
  PrepareIdObject(r, "buyer");
  if (auto t = r.find("tender"); t != r.end() && t->is_object()) {
    PrepareIdObject(*t, "procuringEntity");
  }
  if (auto b = r.find("bids"); b != r.end() && b->is_object()) {
    if (auto d = b->find("details"); d != b->end() && d->is_array()) {
      for (json& bid : *d) PrepareIdArray(bid, "tenderers");
    }
  }
  if (auto a = r.find("awards"); a != r.end() && a->is_array()) {
    for (json& award : *a) {
      Stringify(award, "id");
      if (award.is_object()) {
        if (auto items = award.find("items"); items != award.end() && items->is_array()) {
          for (json& item : *items) PrepareIdObject(item, "classification");
        }
      }
      PrepareIdArray(award, "suppliers");
    }
  }
}

// ---------------------------------------------------------------------------
// Cardinal's helpers on a release.

using StrSet = std::unordered_set<std::string>;

bool MatchesProcurementMethod(const json& tender, const StrSet& set) {
  if (set.empty()) return true;
  const std::string* m = Str(Get(tender, "procurementMethod"));
  return m && set.count(*m) > 0;
}

bool MatchesProcurementMethodDetails(const json& release, const StrSet& include,
                                     const StrSet& exclude) {
  const std::string* d = Str(Get(Obj(Get(release, "tender")), "procurementMethodDetails"));
  if (!d) return include.empty();
  return include.empty() ? exclude.count(*d) == 0 : include.count(*d) > 0;
}

// Some((complete awards, bids.details)) when every award with a status is final.
struct CompleteAwards {
  std::vector<const json*> awards;
  const json* details = nullptr;
};
std::optional<CompleteAwards> CompleteAwardsAndBids(const json& release) {
  const json* awards = Arr(Get(release, "awards"));
  const json* details = Arr(Get(Obj(Get(release, "bids")), "details"));
  if (!awards || !details) return std::nullopt;
  CompleteAwards out;
  out.details = details;
  for (const json& award : *awards) {
    const std::string* status = Str(Get(award, "status"));
    if (!status) continue;
    if (*status == "active") {
      out.awards.push_back(&award);
    } else if (*status != "cancelled" && *status != "unsuccessful") {
      return std::nullopt;
    }
  }
  return out;
}

// Pending, valid and disqualified bids (a status, not invited or withdrawn).
std::vector<const json*> SubmittedBids(const json& release) {
  std::vector<const json*> out;
  const json* details = Arr(Get(Obj(Get(release, "bids")), "details"));
  if (!details) return out;
  for (const json& bid : *details) {
    const std::string* status = Str(Get(bid, "status"));
    if (status && *status != "invited" && *status != "withdrawn") out.push_back(&bid);
  }
  return out;
}

struct ValidBid {
  const std::string* tenderer;
  double amount;
  const std::string* currency;
};
std::vector<ValidBid> ValidBidsWithValue(const json& details) {
  std::vector<ValidBid> out;
  for (const json& bid : details) {
    const std::string* status = Str(Get(bid, "status"));
    const json* value = Obj(Get(bid, "value"));
    const json* amount = Get(value, "amount");
    const std::string* currency = Str(Get(value, "currency"));
    const json* tenderers = Arr(Get(bid, "tenderers"));
    if (!status || !value || !amount || !amount->is_number() || !currency || !tenderers ||
        tenderers->size() != 1) {
      continue;
    }
    const std::string* id = Str(Get((*tenderers)[0], "id"));
    std::optional<double> a = AsF64(amount);
    if (!id || !a || *status != "valid") continue;
    out.push_back({id, *a, currency});
  }
  return out;
}

// The one supplier id of the only complete award, as R024/R025/R058 require.
const std::string* SoleSupplier(const CompleteAwards& ca) {
  if (ca.awards.size() != 1) return nullptr;
  const json* suppliers = Arr(Get(*ca.awards[0], "suppliers"));
  if (!suppliers || suppliers->size() != 1) return nullptr;
  return Str(Get((*suppliers)[0], "id"));
}

// ---------------------------------------------------------------------------
// Text for people.

std::string Amount(double a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", a);
  std::string s = buf;
  if (s.size() > 3 && s.compare(s.size() - 3, 3, ".00") == 0) s.resize(s.size() - 3);
  size_t dot = s.find('.');
  size_t end = dot == std::string::npos ? s.size() : dot;
  size_t begin = s[0] == '-' ? 1 : 0;
  for (size_t i = end; i > begin + 3; i -= 3) s.insert(i - 3, ",");
  return s;
}

std::string Percent(double ratio) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f%%", ratio * 100.0);
  return buf;
}

std::string Decimal(double v) {
  if (std::isnan(v)) return "NaN";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  std::string s = buf;
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

// The first `n` Unicode scalar values of UTF-8 text (Rust's chars().take(n)).
std::string FirstChars(const std::string& s, int64_t n) {
  size_t i = 0;
  for (int64_t k = 0; k < n && i < s.size(); ++k) {
    auto c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  }
  return s.substr(0, std::min(i, s.size()));
}

std::string TitleOf(const json& r) {
  const json* tender = Obj(Get(r, "tender"));
  if (const std::string* t = Str(Get(tender, "title")); t && !t->empty()) return *t;
  const json* budget = Obj(Get(Obj(Get(r, "planning")), "budget"));
  if (const std::string* t = Str(Get(budget, "project")); t && !t->empty()) return *t;
  for (const char* list : {"awards", "contracts"}) {
    if (const json* a = Arr(Get(r, list)); a && !a->empty()) {
      if (const std::string* t = Str(Get((*a)[0], "title")); t && !t->empty()) return *t;
    }
  }
  if (const std::string* t = Str(Get(tender, "description")); t && !t->empty()) return *t;
  return "";
}

constexpr size_t kMaxOcids = 20;

}  // namespace

// ---------------------------------------------------------------------------
// The computation.

struct CardinalIndicators::State {
  struct Fraction {
    uint64_t num = 0;
    uint64_t den = 0;
  };
  struct OrgTally {
    Fraction f;
    std::vector<uint32_t> ocids;  // interned, first kMaxOcids
    void Note(uint32_t ocid) {
      if (ocids.size() < kMaxOcids && (ocids.empty() || ocids.back() != ocid)) {
        ocids.push_back(ocid);
      }
    }
  };
  struct Classifications {
    uint64_t count = 0;
    std::set<std::string> codes;
    std::vector<uint32_t> ocids;
  };
  struct SecondLowest {
    double ratio = 0;
    std::string winner, loser;
    double winner_amount = 0, loser_amount = 0;
    std::string currency, title;
    double award_amount = 0;
  };
  using Key = std::tuple<std::string, int, std::string>;  // indicator, group, id

  CardinalSettings s;
  StrSet price_include, price_exclude, exclusions, r003_methods, r018_methods;
  std::optional<std::string> currency;  // Indicators::currency
  std::map<Key, OcdsFlag> results;
  std::vector<std::string> ocid_names;  // interned ocids
  std::unordered_map<std::string, std::string> org_names;
  std::map<std::string, SecondLowest> second_lowest;
  std::unordered_map<std::string, OrgTally> r025, r038_buyer, r038_pe, r038_tenderer;
  std::unordered_map<std::string, Classifications> r048;
  // Per release being folded.
  const json* release = nullptr;
  std::string ocid;
  uint32_t ocid_index = 0;
  std::string title;
  std::unordered_map<std::string, std::string> party_names;

  explicit State(CardinalSettings settings) : s(std::move(settings)) {
    auto set = [](const std::vector<std::string>& v) { return StrSet(v.begin(), v.end()); };
    price_include = set(s.price_comparison_procurement_methods);
    price_exclude = set(s.no_price_comparison_procurement_methods);
    exclusions = set(s.exclude_procurement_method_details);
    r003_methods = set(s.r003_procurement_methods);
    r018_methods = set(s.r018_procurement_methods);
  }

  const std::string& Currency(const std::string& seen) {
    if (!currency) currency = s.currency.empty() ? seen : s.currency;
    return *currency;
  }

  // An organisation's name, as this release gives it (parties, or the reference).
  std::string NameOf(const std::string& id) const {
    auto p = party_names.find(id);
    if (p != party_names.end()) return p->second;
    auto o = org_names.find(id);
    return o == org_names.end() ? "" : o->second;
  }
  std::string Who(const std::string& id) const {
    std::string n = NameOf(id);
    return n.empty() ? id : n + "（" + id + "）";
  }
  void NoteOrg(const json* ref) {
    const std::string* id = Str(Get(ref, "id"));
    if (!id) return;
    std::string name;
    if (auto p = party_names.find(*id); p != party_names.end()) name = p->second;
    if (name.empty()) {
      if (const std::string* n = Str(Get(ref, "name"))) name = *n;
    }
    if (name.empty()) return;
    auto [it, fresh] = org_names.emplace(*id, name);
    if (!fresh && it->second.empty()) it->second = name;
  }

  OcdsFlag& Set(const char* indicator, CardinalGroup g, const std::string& id, double value) {
    OcdsFlag& f = results[Key(indicator, static_cast<int>(g), id)];
    f.indicator = indicator;
    f.group = g;
    f.id = id;
    f.value = value;
    return f;
  }
  // A process flag with its context.
  OcdsFlag& SetOcid(const char* indicator, double value) {
    OcdsFlag& f = Set(indicator, CardinalGroup::kOcid, ocid, value);
    f.name = title;
    f.title = title;
    f.facts.clear();
    f.facts.emplace_back("ocid", ocid);
    if (!title.empty()) f.facts.emplace_back("项目名称", title);
    AwardValue(&f.amount, &f.currency);
    return f;
  }
  void SetTenderer(const char* indicator, const std::string& id, double value) {
    OcdsFlag& f = Set(indicator, CardinalGroup::kTenderer, id, value);
    if (f.name.empty()) f.name = NameOf(id);
    if (f.ocids.size() < kMaxOcids &&
        std::find(f.ocids.begin(), f.ocids.end(), ocid) == f.ocids.end()) {
      f.ocids.push_back(ocid);
    }
  }
  // What the active awards are worth, when they agree on a currency.
  void AwardValue(double* amount, std::string* cur) const {
    *amount = 0;
    cur->clear();
    const json* awards = Arr(Get(*release, "awards"));
    if (!awards) return;
    for (const json& a : *awards) {
      if (!IsStatus(a, "active")) continue;
      const json* v = Obj(Get(a, "value"));
      std::optional<double> x = AsF64(Get(v, "amount"));
      const std::string* c = Str(Get(v, "currency"));
      if (!x) continue;
      std::string cc = c ? *c : "";
      if (!cur->empty() && cc != *cur) {
        *amount = 0;
        cur->clear();
        return;
      }
      *cur = cc;
      *amount += *x;
    }
  }
  std::string Tender() const {
    return (title.empty() ? "" : "「" + title + "」") + "（" + ocid + "）";
  }

  void Add(json& r);
  void FoldSecondLowest(const json& r);
  void FoldR003(const json& r);
  void FoldR018(const json& r);
  void FoldR025(const json& r);
  void FoldR028(const json& r);
  void FoldR030(const json& r);
  void FoldR035(const json& r);
  void FoldR036(const json& r);
  void FoldR038(const json& r);
  void FoldR048(const json& r);
  std::vector<OcdsFlag> Finish(CardinalMeta* meta);
};

void CardinalIndicators::State::Add(json& r) {
  if (s.prepare) Prepare(r);
  // Indicators::run: an object with a string ocid, not cancelled, not excluded.
  if (!r.is_object()) return;
  const std::string* id = Str(Get(r, "ocid"));
  if (!id) return;
  if (const std::string* st = Str(Get(Obj(Get(r, "tender")), "status")); st && *st == "cancelled") {
    return;
  }
  if (!MatchesProcurementMethodDetails(r, {}, exclusions)) return;
  release = &r;
  ocid = *id;
  ocid_index = static_cast<uint32_t>(ocid_names.size());
  ocid_names.push_back(ocid);
  title = TitleOf(r);
  party_names.clear();
  if (const json* parties = Arr(Get(r, "parties"))) {
    for (const json& p : *parties) {
      const std::string* pid = Str(Get(p, "id"));
      const std::string* name = Str(Get(p, "name"));
      if (pid && name && !name->empty()) party_names.emplace(*pid, *name);
    }
  }
  NoteOrg(Get(r, "buyer"));
  NoteOrg(Get(Obj(Get(r, "tender")), "procuringEntity"));
  for (const json* bid : SubmittedBids(r)) {
    if (const json* ts = Arr(Get(*bid, "tenderers"))) {
      for (const json& t : *ts) NoteOrg(&t);
    }
  }
  if (const json* awards = Arr(Get(r, "awards"))) {
    for (const json& a : *awards) {
      if (const json* ss = Arr(Get(a, "suppliers"))) {
        for (const json& sup : *ss) NoteOrg(&sup);
      }
    }
  }
  // Cardinal's order: SecondLowestBidRatio, then R003 … R058 (R024/R058 only finalize).
  FoldSecondLowest(r);
  FoldR003(r);
  FoldR018(r);
  FoldR025(r);
  FoldR028(r);
  FoldR030(r);
  FoldR035(r);
  FoldR036(r);
  FoldR038(r);
  FoldR048(r);
  release = nullptr;
}

// util.rs SecondLowestBidRatio: the winner's lowest valid bid and the lowest valid bid of
// anyone else, when a single active award goes to a single supplier.
void CardinalIndicators::State::FoldSecondLowest(const json& r) {
  if (!MatchesProcurementMethodDetails(r, price_include, price_exclude)) return;
  std::optional<CompleteAwards> ca = CompleteAwardsAndBids(r);
  if (!ca) return;
  const std::string* supplier = SoleSupplier(*ca);
  if (!supplier) return;
  const std::string* winner = nullptr;
  const std::string* loser = nullptr;
  double w = 0, l = 0;
  std::string cur;
  for (const ValidBid& b : ValidBidsWithValue(*ca->details)) {
    if (*b.currency != Currency(*b.currency)) continue;  // not the main currency
    cur = *b.currency;
    if (*supplier == *b.tenderer) {
      if (!winner || b.amount < w) {
        winner = b.tenderer;
        w = b.amount;
      }
    } else if (!loser || b.amount < l) {
      loser = b.tenderer;
      l = b.amount;
    }
  }
  // If the lowest bid did not win, the award criteria are not price only.
  if (winner && loser && l >= w) {
    SecondLowest& sl = second_lowest[ocid];
    sl.ratio = (l - w) / w;
    sl.winner = *winner;
    sl.loser = *loser;
    sl.winner_amount = w;
    sl.loser_amount = l;
    sl.currency = cur;
    sl.title = title;
    std::string award_cur;
    AwardValue(&sl.award_amount, &award_cur);
    if (award_cur != cur) sl.award_amount = 0;
    // Names now, while the release's parties are at hand.
    std::string wn = NameOf(*winner), ln = NameOf(*loser);
    if (!wn.empty()) org_names.emplace(*winner, wn);
    if (!ln.empty()) org_names.emplace(*loser, ln);
  }
}

// r003.rs: tenderPeriod shorter than the threshold (by procurementMethodDetails).
void CardinalIndicators::State::FoldR003(const json& r) {
  const json* tender = Obj(Get(r, "tender"));
  if (!tender || !MatchesProcurementMethod(*tender, r003_methods)) return;
  const json* period = Obj(Get(*tender, "tenderPeriod"));
  const std::string* start = Str(Get(period, "startDate"));
  const std::string* end = Str(Get(period, "endDate"));
  if (!start || !end) return;
  std::optional<int64_t> days = CardinalDaysBetween(*start, *end);
  if (!days) return;
  int64_t threshold = s.r003_threshold;
  const std::string* details = Str(Get(*tender, "procurementMethodDetails"));
  if (details) {
    auto it = s.r003_procurement_method_details.find(*details);
    if (it != s.r003_procurement_method_details.end()) threshold = it->second;
  }
  if (*days >= threshold) return;
  OcdsFlag& f = SetOcid("R003", 1.0);
  f.facts.emplace_back("tender.tenderPeriod.startDate", *start);
  f.facts.emplace_back("tender.tenderPeriod.endDate", *end);
  f.facts.emplace_back("投标期（整天）", std::to_string(*days));
  f.facts.emplace_back("阈值（天）", std::to_string(threshold));
  const std::string* method = Str(Get(*tender, "procurementMethod"));
  if (method) f.facts.emplace_back("tender.procurementMethod", *method);
  if (details) f.facts.emplace_back("tender.procurementMethodDetails", *details);
  f.summary = "招标项目" + Tender() + "投标期自" + *start + "至" + *end + "，仅" +
              std::to_string(*days) + "个整天，短于" + std::to_string(threshold) + "天";
}

// r018.rs: numberOfTenderers is 1 in an open or selective procedure.
void CardinalIndicators::State::FoldR018(const json& r) {
  const json* tender = Obj(Get(r, "tender"));
  if (!tender || !MatchesProcurementMethod(*tender, r018_methods)) return;
  const json* n = Get(*tender, "numberOfTenderers");
  // Number::as_u64().unwrap_or_default() == 1: an unsigned integer, not 1.0.
  if (!n || !n->is_number_unsigned() || n->get<uint64_t>() != 1) return;
  OcdsFlag& f = SetOcid("R018", 1.0);
  f.facts.emplace_back("tender.numberOfTenderers", "1");
  const std::string* method = Str(Get(*tender, "procurementMethod"));
  if (method) f.facts.emplace_back("tender.procurementMethod", *method);
  f.summary = "招标项目" + Tender() + "采用" + (method ? *method : std::string("公开")) +
              "方式招标，只有1家投标人投标";
}

// r025.rs: per tenderer, processes won / processes with a valid bid.
void CardinalIndicators::State::FoldR025(const json& r) {
  std::optional<CompleteAwards> ca = CompleteAwardsAndBids(r);
  if (!ca) return;
  const std::string* supplier = SoleSupplier(*ca);
  if (!supplier) return;
  std::set<std::string> valid;
  for (const json& bid : *ca->details) {
    const std::string* status = Str(Get(bid, "status"));
    const json* tenderers = Arr(Get(bid, "tenderers"));
    if (!status || !tenderers || tenderers->size() != 1) continue;
    const std::string* id = Str(Get((*tenderers)[0], "id"));
    if (id && *status == "valid") valid.insert(*id);
  }
  for (const std::string& id : valid) {
    OrgTally& t = r025[id];
    t.f.num += *supplier == id ? 1 : 0;
    t.f.den += 1;
    t.Note(ocid_index);
  }
}

// r028.rs: two bids with the same amount and currency from different tenderer sets.
void CardinalIndicators::State::FoldR028(const json& r) {
  if (!MatchesProcurementMethodDetails(r, price_include, price_exclude)) return;
  std::map<std::pair<double, std::string>, std::set<std::string>> prices;
  std::vector<std::pair<std::pair<double, std::string>, std::set<std::string>>> hits;
  for (const json* bid : SubmittedBids(r)) {
    const json* tenderers = Arr(Get(*bid, "tenderers"));
    const json* value = Obj(Get(*bid, "value"));
    const json* amount = Get(value, "amount");
    const std::string* currency = Str(Get(value, "currency"));
    if (!tenderers || !value || !amount || !amount->is_number() || !currency) continue;
    std::optional<double> a = AsF64(amount);
    if (!a) continue;
    std::set<std::string> ids;
    for (const json& t : *tenderers) {
      if (const std::string* id = Str(Get(t, "id"))) ids.insert(*id);
    }
    if (ids.empty()) continue;
    // OrderedFloat: -0.0 equals 0.0, as in the map's ordering.
    std::pair<double, std::string> price(*a == 0 ? 0.0 : *a, *currency);
    auto it = prices.find(price);
    if (it != prices.end() && ids != it->second) {
      std::set<std::string> both = ids;
      both.insert(it->second.begin(), it->second.end());
      hits.emplace_back(price, both);
    }
    prices[price] = std::move(ids);
  }
  if (hits.empty()) return;
  OcdsFlag& f = SetOcid("R028", 1.0);
  std::string what;
  std::set<std::string> all;
  for (const auto& [price, ids] : hits) {
    std::string names;
    for (const std::string& id : ids) {
      names += (names.empty() ? "" : "、") + Who(id);
      all.insert(id);
    }
    f.facts.emplace_back("相同报价 " + Amount(price.first) + " " + price.second, names);
    if (what.empty()) what = Amount(price.first) + " " + price.second + "（" + names + "）";
  }
  f.summary = "招标项目" + Tender() + "中不同投标人报出完全相同的价格：" + what;
  for (const std::string& id : all) SetTenderer("R028", id, 1.0);
}

// r030.rs: a valid bid dated after tenderPeriod.endDate from an active award's supplier.
void CardinalIndicators::State::FoldR030(const json& r) {
  const json* period = Obj(Get(Obj(Get(r, "tender")), "tenderPeriod"));
  const std::string* end = Str(Get(period, "endDate"));
  const json* awards = Arr(Get(r, "awards"));
  const json* details = Arr(Get(Obj(Get(r, "bids")), "details"));
  if (!end || !awards || !details) return;
  std::set<std::string> suppliers;
  for (const json& a : *awards) {
    const std::string* status = Str(Get(a, "status"));
    const json* ss = Arr(Get(a, "suppliers"));
    if (!status || !ss || *status != "active") continue;
    for (const json& sup : *ss) {
      if (const std::string* id = Str(Get(sup, "id"))) suppliers.insert(*id);
    }
  }
  std::vector<std::pair<std::string, std::string>> late;  // tenderer, date
  for (const json& bid : *details) {
    const std::string* status = Str(Get(bid, "status"));
    const std::string* date = Str(Get(bid, "date"));
    const json* tenderers = Arr(Get(bid, "tenderers"));
    // Rust compares the two strings byte by byte, as std::string does.
    if (!status || !date || !tenderers || *status != "valid" || !(*date > *end)) continue;
    for (const json& t : *tenderers) {
      const std::string* id = Str(Get(t, "id"));
      if (id && suppliers.count(*id)) late.emplace_back(*id, *date);
    }
  }
  if (late.empty()) return;
  OcdsFlag& f = SetOcid("R030", 1.0);
  f.facts.emplace_back("tender.tenderPeriod.endDate", *end);
  for (const auto& [id, date] : late) f.facts.emplace_back("中标人投标时间 " + Who(id), date);
  f.summary = "招标项目" + Tender() + "投标截止时间为" + *end + "，中标人" +
              Who(late.front().first) + "的有效投标提交于" + late.front().second + "，晚于截止时间";
  for (const auto& [id, date] : late) SetTenderer("R030", id, 1.0);
}

// r035.rs: the single valid tenderer won, and at least `threshold` others were disqualified.
void CardinalIndicators::State::FoldR035(const json& r) {
  std::set<std::string> awarded, valid, disqualified;
  if (std::optional<CompleteAwards> ca = CompleteAwardsAndBids(r)) {
    for (const json* a : ca->awards) {
      if (const json* ss = Arr(Get(*a, "suppliers"))) {
        for (const json& sup : *ss) {
          if (const std::string* id = Str(Get(sup, "id"))) awarded.insert(*id);
        }
      }
    }
    for (const json& bid : *ca->details) {
      const std::string* status = Str(Get(bid, "status"));
      const json* tenderers = Arr(Get(bid, "tenderers"));
      if (!status || !tenderers) continue;
      std::set<std::string>* set = *status == "valid"          ? &valid
                                   : *status == "disqualified" ? &disqualified
                                                               : nullptr;
      if (!set) continue;
      for (const json& t : *tenderers) {
        if (const std::string* id = Str(Get(t, "id"))) set->insert(*id);
      }
    }
  }
  if (valid.size() != 1 || valid != awarded) return;
  std::vector<std::string> others;
  for (const std::string& id : disqualified) {
    if (!valid.count(id)) others.push_back(id);
  }
  const int64_t threshold = std::max<int64_t>(s.r035_threshold, 1);
  if (static_cast<int64_t>(others.size()) < threshold) return;
  const std::string& winner = *valid.begin();
  OcdsFlag& f = SetOcid("R035", static_cast<double>(others.size()));
  f.facts.emplace_back("中标人", Who(winner));
  std::string names;
  for (const std::string& id : others) names += (names.empty() ? "" : "、") + Who(id);
  f.facts.emplace_back("被取消资格的其他投标人", names);
  f.summary = "招标项目" + Tender() + "中唯一有效的投标人" + Who(winner) + "中标，其余" +
              std::to_string(others.size()) + "家投标人均被取消资格";
  SetTenderer("R035", winner, 0.0);
}

// r036.rs: the lowest submitted bid (main currency) is disqualified while a valid bid has an
// amount, in a process with an active award.
void CardinalIndicators::State::FoldR036(const json& r) {
  if (!MatchesProcurementMethodDetails(r, price_include, price_exclude)) return;
  const json* awards = Arr(Get(r, "awards"));
  if (!awards) return;
  bool any_active = false;
  for (const json& a : *awards) any_active = any_active || IsStatus(a, "active");
  if (!any_active) return;
  std::optional<double> lowest;
  bool lowest_disqualified = false;
  bool valid_with_amount = false;
  const json* lowest_bid = nullptr;
  std::string cur;
  for (const json* bid : SubmittedBids(r)) {
    const std::string* status = Str(Get(*bid, "status"));
    const json* value = Obj(Get(*bid, "value"));
    const json* amount = Get(value, "amount");
    const std::string* currency = Str(Get(value, "currency"));
    if (!status || !value || !amount || !amount->is_number() || !currency) continue;
    std::optional<double> a = AsF64(amount);
    if (!a) continue;
    if (*currency != Currency(*currency)) continue;
    cur = *currency;
    if (!lowest || *a < *lowest) {
      lowest = *a;
      lowest_disqualified = *status == "disqualified";
      lowest_bid = bid;
    }
    if (*status == "valid") valid_with_amount = true;
  }
  if (!valid_with_amount || !lowest_disqualified) return;
  OcdsFlag& f = SetOcid("R036", 1.0);
  std::string who;
  if (const json* ts = Arr(Get(*lowest_bid, "tenderers"))) {
    for (const json& t : *ts) {
      if (const std::string* id = Str(Get(t, "id"))) who += (who.empty() ? "" : "、") + Who(*id);
    }
  }
  f.facts.emplace_back("最低报价", Amount(*lowest) + " " + cur);
  if (!who.empty()) f.facts.emplace_back("最低报价投标人", who);
  f.facts.emplace_back("最低报价状态", "disqualified");
  f.summary = "招标项目" + Tender() + "的最低报价" + Amount(*lowest) + " " + cur +
              (who.empty() ? "" : "（" + who + "）") + "被取消资格，项目仍已授标";
}

// r038.rs: disqualified / submitted bids per buyer, procuring entity and tenderer.
void CardinalIndicators::State::FoldR038(const json& r) {
  std::vector<const json*> bids = SubmittedBids(r);
  if (bids.empty()) return;
  uint64_t disqualified = 0;
  for (const json* bid : bids) {
    const uint64_t inc = IsStatus(*bid, "disqualified") ? 1 : 0;
    disqualified += inc;
    if (const json* ts = Arr(Get(*bid, "tenderers"))) {
      for (const json& t : *ts) {
        if (const std::string* id = Str(Get(t, "id"))) {
          OrgTally& tally = r038_tenderer[*id];
          tally.f.num += inc;
          tally.f.den += 1;
          if (inc) tally.Note(ocid_index);
        }
      }
    }
  }
  auto add = [&](std::unordered_map<std::string, OrgTally>& m, const std::string* id) {
    if (!id) return;
    OrgTally& t = m[*id];
    t.f.num += disqualified;
    t.f.den += bids.size();
    if (disqualified > 0) t.Note(ocid_index);
  };
  add(r038_buyer, Str(Get(Obj(Get(r, "buyer")), "id")));
  add(r038_pe, Str(Get(Obj(Get(Obj(Get(r, "tender")), "procuringEntity")), "id")));
}

// r048.rs: distinct classification prefixes of the items each sole supplier of an active
// award delivered.
void CardinalIndicators::State::FoldR048(const json& r) {
  const json* awards = Arr(Get(r, "awards"));
  if (!awards) return;
  std::set<std::string> observed;
  for (const json& a : *awards) {
    const std::string* status = Str(Get(a, "status"));
    const json* items = Arr(Get(a, "items"));
    const json* suppliers = Arr(Get(a, "suppliers"));
    if (!status || !items || !suppliers || suppliers->size() != 1) continue;
    const std::string* id = Str(Get((*suppliers)[0], "id"));
    if (!id || *status != "active") continue;
    for (const json& item : *items) {
      const std::string* code = Str(Get(Obj(Get(item, "classification")), "id"));
      if (!code) continue;
      Classifications& c = r048[*id];
      if (observed.insert(*id).second) {
        ++c.count;
        if (c.ocids.size() < kMaxOcids) c.ocids.push_back(ocid_index);
      }
      c.codes.insert(FirstChars(*code, std::max<int64_t>(s.r048_digits, 0)));
    }
  }
}

std::vector<OcdsFlag> CardinalIndicators::State::Finish(CardinalMeta* meta) {
  CardinalMeta m;
  auto quartiles = [](const std::vector<double>& v) {
    return std::make_pair(CardinalQuantile(v, 0.25), CardinalQuantile(v, 0.75));
  };
  auto ocid_list = [&](const std::vector<uint32_t>& idx) {
    std::vector<std::string> out;
    for (uint32_t i : idx) out.push_back(ocid_names[i]);
    return out;
  };
  auto org_name = [&](const std::string& id) {
    auto it = org_names.find(id);
    return it == org_names.end() ? std::string() : it->second;
  };
  auto org_who = [&](const std::string& id) {
    std::string n = org_name(id);
    return n.empty() ? id : n + "（" + id + "）";
  };

  std::vector<double> ratios;
  for (const auto& [o, sl] : second_lowest) ratios.push_back(sl.ratio);
  auto process_flag = [&](const char* ind, const std::string& o, const SecondLowest& sl) {
    OcdsFlag& f = Set(ind, CardinalGroup::kOcid, o, sl.ratio);
    f.name = f.title = sl.title;
    f.amount = sl.award_amount;
    f.currency = sl.currency;
    f.facts.clear();
    f.facts.emplace_back("ocid", o);
    if (!sl.title.empty()) f.facts.emplace_back("项目名称", sl.title);
    f.facts.emplace_back("中标人", org_who(sl.winner));
    f.facts.emplace_back("中标人最低有效报价", Amount(sl.winner_amount) + " " + sl.currency);
    f.facts.emplace_back("次低有效报价人", org_who(sl.loser));
    f.facts.emplace_back("次低有效报价", Amount(sl.loser_amount) + " " + sl.currency);
    f.facts.emplace_back("差价比例", Percent(sl.ratio));
    return &f;
  };
  auto tenderer_flag = [&](const char* ind, const std::string& id, const std::string& o) {
    OcdsFlag& f = Set(ind, CardinalGroup::kTenderer, id, 0.0);
    f.name = org_name(id);
    if (f.ocids.size() < kMaxOcids) f.ocids.push_back(o);
  };
  auto tender = [](const std::string& o, const std::string& t) {
    return (t.empty() ? "" : "「" + t + "」") + "（" + o + "）";
  };

  // r024.rs
  {
    double lower = 0, q1 = 0;
    if (s.r024_threshold) {
      lower = *s.r024_threshold;
      q1 = 1.0;
    } else {
      auto [a, b] = quartiles(ratios);
      m["R024"]["q1"] = a;
      m["R024"]["q3"] = b;
      lower = std::fma(b - a, -1.5, a);
      q1 = a;
    }
    m["R024"]["lower_fence"] = lower;
    if (q1 > 0.0 && lower > 0.0) {
      for (const auto& [o, sl] : second_lowest) {
        if (!(sl.ratio <= lower)) continue;
        OcdsFlag* f = process_flag("R024", o, sl);
        f->facts.emplace_back("下围栏", Percent(lower));
        f->summary = "招标项目" + tender(o, sl.title) + "中标人" + org_who(sl.winner) + "报价" +
                     Amount(sl.winner_amount) + " " + sl.currency + "，次低有效报价" +
                     org_who(sl.loser) + "为" + Amount(sl.loser_amount) + " " + sl.currency +
                     "，仅高出" + Percent(sl.ratio) + "，不高于所有项目差价比例的下围栏" +
                     Percent(lower) + "，报价过于接近";
        tenderer_flag("R024", sl.winner, o);
        tenderer_flag("R024", sl.loser, o);
      }
    }
  }

  // r025.rs
  {
    std::vector<double> dens, rs;
    for (const auto& [id, t] : r025) {
      dens.push_back(static_cast<double>(t.f.den));
      rs.push_back(static_cast<double>(t.f.num) / static_cast<double>(t.f.den));
    }
    const double upper = CardinalQuantile(dens, static_cast<double>(s.r025_percentile) / 100.0);
    double lower = 0, q1 = 0;
    if (s.r025_threshold) {
      lower = *s.r025_threshold;
      q1 = 1.0;
    } else {
      auto [a, b] = quartiles(rs);
      m["R025"]["q1"] = a;
      m["R025"]["q3"] = b;
      lower = std::fma(b - a, -1.5, a);
      q1 = a;
    }
    m["R025"]["upper_fence"] = upper;
    m["R025"]["lower_fence"] = lower;
    if (q1 > 0.0 && lower > 0.0) {
      for (const auto& [id, t] : r025) {
        const double ratio = static_cast<double>(t.f.num) / static_cast<double>(t.f.den);
        if (!(static_cast<double>(t.f.den) >= upper && ratio <= lower)) continue;
        OcdsFlag& f = Set("R025", CardinalGroup::kTenderer, id, ratio);
        f.name = org_name(id);
        f.ocids = ocid_list(t.ocids);
        f.facts = {
            {"投标人", org_who(id)},
            {"有效投标的已决标项目数", std::to_string(t.f.den)},
            {"中标项目数", std::to_string(t.f.num)},
            {"中标率", Percent(ratio)},
            {"投标次数门槛（第" + std::to_string(s.r025_percentile) + "百分位）", Decimal(upper)},
            {"中标率下围栏", Percent(lower)}};
        f.summary = "投标人" + org_who(id) + "在" + std::to_string(t.f.den) +
                    "个已决标项目中提交有效投标，仅中标" + std::to_string(t.f.num) + "个（中标率" +
                    Percent(ratio) + "）；其投标次数居前（不少于" + Decimal(upper) +
                    "次），中标率却不高于下围栏" + Percent(lower) + "，疑似陪标";
      }
    }
  }

  // r038.rs, per group in Cardinal's order.
  auto r038 = [&](std::unordered_map<std::string, OrgTally>& tally, int64_t minimum,
                  CardinalGroup g, const char* who_zh) {
    std::vector<std::pair<std::string, const OrgTally*>> kept;
    for (const auto& [id, t] : tally) {
      if (static_cast<int64_t>(t.f.den) >= minimum) kept.emplace_back(id, &t);
    }
    if (kept.empty()) return;
    const std::string group = CardinalGroupName(g);
    double upper = 0;
    if (s.r038_threshold) {
      upper = *s.r038_threshold;
    } else {
      std::vector<double> rs;
      for (const auto& [id, t] : kept) {
        rs.push_back(static_cast<double>(t->f.num) / static_cast<double>(t->f.den));
      }
      auto [a, b] = quartiles(rs);
      m["R038"][group + "_q1"] = a;
      m["R038"][group + "_q3"] = b;
      upper = std::fma(b - a, 1.5, b);
    }
    m["R038"][group + "_upper_fence"] = upper;
    if (!(upper > 0.0)) return;
    for (const auto& [id, t] : kept) {
      const double ratio = static_cast<double>(t->f.num) / static_cast<double>(t->f.den);
      if (!(ratio >= upper)) continue;
      OcdsFlag& f = Set("R038", g, id, ratio);
      f.name = org_name(id);
      f.ocids = ocid_list(t->ocids);
      f.facts = {{who_zh, org_who(id)},
                 {"提交的投标数", std::to_string(t->f.den)},
                 {"被取消资格的投标数", std::to_string(t->f.num)},
                 {"取消资格比例", Percent(ratio)},
                 {"上围栏", Percent(upper)}};
      f.summary = std::string(who_zh) + org_who(id) + "涉及的" + std::to_string(t->f.den) +
                  "个投标中有" + std::to_string(t->f.num) + "个被取消资格（" + Percent(ratio) +
                  "），不低于上围栏" + Percent(upper);
    }
  };
  r038(r038_buyer, s.r038_minimum_contracting_processes, CardinalGroup::kBuyer, "采购人");
  r038(r038_pe, s.r038_minimum_contracting_processes, CardinalGroup::kProcuringEntity,
       "采购代理（采购实施机构）");
  r038(r038_tenderer, s.r038_minimum_submitted_bids, CardinalGroup::kTenderer, "投标人");

  // r048.rs
  {
    std::vector<std::pair<std::string, const Classifications*>> kept;
    for (const auto& [id, c] : r048) {
      if (static_cast<int64_t>(c.count) >= s.r048_minimum_contracting_processes) {
        kept.emplace_back(id, &c);
      }
    }
    double upper = 0;
    if (s.r048_threshold) {
      upper = static_cast<double>(*s.r048_threshold);
    } else {
      std::vector<double> lengths;
      for (const auto& [id, c] : kept) lengths.push_back(static_cast<double>(c->codes.size()));
      auto [a, b] = quartiles(lengths);
      m["R048"]["q1"] = a;
      m["R048"]["q3"] = b;
      upper = std::fma(b - a, 1.5, b);
    }
    m["R048"]["upper_fence"] = upper;
    for (const auto& [id, c] : kept) {
      const auto length = static_cast<double>(c->codes.size());
      if (!(length >= upper)) continue;
      OcdsFlag& f = Set("R048", CardinalGroup::kTenderer, id, length);
      f.name = org_name(id);
      f.ocids = ocid_list(c->ocids);
      std::string codes;
      for (const std::string& code : c->codes) codes += (codes.empty() ? "" : "、") + code;
      f.facts = {{"供应商", org_who(id)},
                 {"中标项目数", std::to_string(c->count)},
                 {"物品分类数（前" + std::to_string(s.r048_digits) + "位）",
                  std::to_string(c->codes.size())},
                 {"物品分类", codes},
                 {"上围栏", Decimal(upper)}};
      f.summary = "供应商" + org_who(id) + "在" + std::to_string(c->count) +
                  "个项目中中标，所供物品分属" + std::to_string(c->codes.size()) +
                  "个不同的分类大类，不少于上围栏" + Decimal(upper) + "，经营范围异常宽泛";
    }
  }

  // r058.rs
  {
    double upper = 0;
    if (s.r058_threshold) {
      upper = *s.r058_threshold;
    } else {
      auto [a, b] = quartiles(ratios);
      m["R058"]["q1"] = a;
      m["R058"]["q3"] = b;
      upper = std::fma(b - a, 1.5, b);
    }
    m["R058"]["upper_fence"] = upper;
    if (upper > 0.0) {
      for (const auto& [o, sl] : second_lowest) {
        if (!(sl.ratio >= upper)) continue;
        OcdsFlag* f = process_flag("R058", o, sl);
        f->facts.emplace_back("上围栏", Percent(upper));
        f->summary = "招标项目" + tender(o, sl.title) + "中标人" + org_who(sl.winner) + "报价" +
                     Amount(sl.winner_amount) + " " + sl.currency + "，比次低有效报价" +
                     org_who(sl.loser) + "的" + Amount(sl.loser_amount) + " " + sl.currency + "低" +
                     Percent(sl.ratio) + "（相对中标价），不低于上围栏" + Percent(upper) +
                     "，中标价异常低";
        tenderer_flag("R058", sl.winner, o);
      }
    }
  }

  if (meta) *meta = std::move(m);
  std::vector<OcdsFlag> out;
  out.reserve(results.size());
  for (auto& [k, f] : results) out.push_back(std::move(f));
  return out;
}

CardinalIndicators::CardinalIndicators(CardinalSettings settings)
    : state_(std::make_unique<State>(std::move(settings))) {}
CardinalIndicators::~CardinalIndicators() = default;

void CardinalIndicators::Add(json release) { state_->Add(release); }

std::vector<OcdsFlag> CardinalIndicators::Finish(CardinalMeta* meta) {
  return state_->Finish(meta);
}

std::vector<OcdsFlag> ComputeCardinalIndicators(const std::vector<json>& compiled_releases,
                                                const CardinalSettings& settings,
                                                CardinalMeta* meta) {
  CardinalIndicators c(settings);
  for (const json& r : compiled_releases) c.Add(r);
  return c.Finish(meta);
}

// ---------------------------------------------------------------------------
// The models: one per indicator, each reading the store's ocds_releases.

namespace {

using namespace engine;

struct Spec {
  const char* code;
  const char* name_zh;
  const char* name_en;
  const char* detects;
  const char* basis;
  Severity severity;
  int base_score;
  std::vector<ParamDef> params;
};

const ParamDef kExclusions{
    "exclude_procurement_method_details", "",
    "不参与任何指标的采购方式细节（tender.procurementMethodDetails，以|分隔）",
    "procurementMethodDetails excluded from all indicators (|-separated)"};
const ParamDef kCurrency{"currency", "", "比较价格所用的主币种（空＝最先出现的币种）",
                         "main currency for price comparisons (empty: the first one seen)"};
const ParamDef kPriceYes{"price_comparison_procurement_methods", "",
                         "仅对这些采购方式细节比较报价（以|分隔；设置后忽略下一项）",
                         "compare prices only for these procurementMethodDetails (|-separated)"};
const ParamDef kPriceNo{"no_price_comparison_procurement_methods", "",
                        "不比较报价的采购方式细节（以|分隔）",
                        "procurementMethodDetails whose prices are not compared (|-separated)"};
const ParamDef kFenceLow{"threshold", "", "下围栏（小数；空＝按数据计算 Q1−1.5×IQR）",
                         "lower fence (decimal; empty: Q1 - 1.5 IQR of the data)"};
const ParamDef kFenceHigh{"threshold", "", "上围栏（小数；空＝按数据计算 Q3+1.5×IQR）",
                          "upper fence (decimal; empty: Q3 + 1.5 IQR of the data)"};

const char* kBasis =
    "开放合同伙伴关系（Open Contracting Partnership）依据开放合同数据标准（OCDS）列出的"
    "采购红旗指标，按其工具Cardinal的定义和默认设置计算（与Cardinal对同一数据的结果逐项一致）。";

std::vector<Spec> Specs() {
  return {
      {"R003",
       "投标期过短",
       "Short submission period",
       "招标公告发布（tenderPeriod.startDate）至投标截止（endDate）不足规定天数。",
       "投标期过短使潜在投标人来不及准备，常用于排斥竞争、照顾内定供应商。",
       Severity::kMedium,
       55,
       {{"threshold", "15", "投标期少于多少天即提示",
         "flag a submission period shorter than (days)"},
        {"procurement_methods", "",
         "仅检查这些采购方式（tender.procurementMethod，以|分隔；空＝全部）",
         "procurement methods checked (|-separated; empty: all)"},
        {"procurement_method_details", "",
         "按采购方式细节另设天数，如 emergency=10|international=25",
         "days per procurementMethodDetails, e.g. emergency=10|international=25"},
        kExclusions}},
      {"R018",
       "仅一家投标",
       "Single bid received",
       "公开或邀请招标只收到一家投标（tender.numberOfTenderers = 1）。",
       "竞争性程序只有一家投标，说明竞争缺失，可能因条件设置排他或围标串标。",
       Severity::kMedium,
       50,
       {{"procurement_methods", "open|selective", "检查的采购方式（以|分隔）",
         "procurement methods checked (|-separated)"},
        kExclusions}},
      {"R024",
       "中标价与次低价过于接近",
       "Price close to winning bid",
       "中标价与次低有效报价的差价比例为低离群值（不高于 Q1−1.5×IQR）。",
       "陪标者常报出略高于中标者的价格以制造竞争假象。",
       Severity::kMedium,
       60,
       {kFenceLow, kCurrency, kPriceYes, kPriceNo, kExclusions}},
      {"R025",
       "屡投不中",
       "Excessive unsuccessful bids",
       "投标次数居前的投标人中标率为低离群值。",
       "频繁投标却极少中标的企业可能是轮流陪标的“专业陪标户”。",
       Severity::kLow,
       45,
       {{"percentile", "75", "投标次数达到第几百分位才检查", "percentile of bids counted"},
        kFenceLow,
        kExclusions}},
      {"R028",
       "报价完全相同",
       "Identical bid prices",
       "同一项目中不同投标人报出完全相同的价格。",
       "不同企业报价完全一致，通常意味着报价由同一人编制或事先串通。",
       Severity::kHigh,
       75,
       {kPriceYes, kPriceNo, kExclusions}},
      {"R030",
       "截止后投标仍中标",
       "Late bid won",
       "中标人的有效投标提交时间晚于投标截止时间。",
       "截止后接收投标违反招标程序，且可让内定者在知悉他人报价后再投标。",
       Severity::kHigh,
       80,
       {kExclusions}},
      {"R035",
       "除中标人外全部被取消资格",
       "All except winning bid disqualified",
       "唯一有效投标人中标，其余投标人均被取消资格。",
       "以资格审查排除全部竞争者，是操纵评标、照顾内定供应商的常见手段。",
       Severity::kHigh,
       70,
       {{"threshold", "1", "被取消资格的其他投标人至少几家",
         "at least this many other tenderers disqualified"},
        kExclusions}},
      {"R036",
       "最低价被取消资格",
       "Lowest bid disqualified",
       "最低报价被取消资格而项目仍然授标（假定价格为唯一评标标准）。",
       "取消最低报价者资格可能是为了让内定的高价投标人中标。",
       Severity::kMedium,
       60,
       {kCurrency, kPriceYes, kPriceNo, kExclusions}},
      {"R038",
       "取消资格比例过高",
       "Excessive disqualified bids",
       "采购人、采购代理或投标人被取消资格的投标比例为高离群值（不低于 Q3+1.5×IQR）。",
       "频繁取消投标资格的采购人可能借资格审查操纵结果。",
       Severity::kMedium,
       55,
       {kFenceHigh,
        {"minimum_submitted_bids", "2", "投标人至少提交几份投标才检查",
         "minimum submitted bids of a tenderer"},
        {"minimum_contracting_processes", "2",
         "采购人/代理至少几份投标才检查（Cardinal按投标数计）",
         "minimum for buyers and procuring entities (Cardinal counts bids)"},
        kExclusions}},
      {"R048",
       "供应商经营范围异常宽泛",
       "Heterogeneous supplier",
       "供应商中标物品的分类大类数为高离群值。",
       "什么都能供的企业可能是挂靠、转包或专门承接利益输送的空壳公司。",
       Severity::kLow,
       45,
       {{"digits", "2", "物品分类代码取前几位", "leading digits of the classification"},
        {"threshold", "", "分类数上围栏（空＝按数据计算 Q3+1.5×IQR）",
         "upper fence (empty: Q3 + 1.5 IQR of the data)"},
        {"minimum_contracting_processes", "20", "供应商至少中标几个项目才检查",
         "minimum processes won"},
        kExclusions}},
      {"R058",
       "中标价异常低",
       "Heavily discounted bid",
       "次低有效报价比中标价高出的比例为高离群值（不低于 Q3+1.5×IQR）。",
       "异常低价中标常伴随事后变更追加或降低质量，也可能是知悉底价。",
       Severity::kMedium,
       55,
       {kFenceHigh, kCurrency, kPriceYes, kPriceNo, kExclusions}},
  };
}

// An optional number: empty means "computed from the data".
Result<std::optional<double>> OptionalNumber(const Params& p, const char* name) {
  const std::string v(Trim(p.Text(name)));
  if (v.empty()) return std::optional<double>();
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  if (end != v.c_str() + v.size() || !std::isfinite(d)) {
    return Status::InvalidInput(std::string(name) + " must be a number or empty, not \"" + v + "\"",
                                std::string(name) + "应为数字或留空，而不是“" + v + "”");
  }
  return std::optional<double>(d);
}

// Cardinal's defaults, with this model's own settings.
Result<CardinalSettings> SettingsFor(const Spec& spec, const Params& p) {
  CardinalSettings s;
  auto has = [&](const char* name) { return p.values().count(name) > 0; };
  const std::string code = spec.code;
  s.exclude_procurement_method_details = SplitPipes(p.Text("exclude_procurement_method_details"));
  if (has("currency")) s.currency = std::string(Trim(p.Text("currency")));
  if (has("price_comparison_procurement_methods")) {
    s.price_comparison_procurement_methods =
        SplitPipes(p.Text("price_comparison_procurement_methods"));
    s.no_price_comparison_procurement_methods =
        SplitPipes(p.Text("no_price_comparison_procurement_methods"));
  }
  if (code == "R003") {
    s.r003_threshold = p.Int("threshold");
    s.r003_procurement_methods = SplitPipes(p.Text("procurement_methods"));
    for (const std::string& kv : SplitPipes(p.Text("procurement_method_details"))) {
      size_t eq = kv.rfind('=');
      if (eq == std::string::npos) continue;
      s.r003_procurement_method_details[kv.substr(0, eq)] =
          std::strtoll(kv.c_str() + eq + 1, nullptr, 10);
    }
  } else if (code == "R018") {
    s.r018_procurement_methods = SplitPipes(p.Text("procurement_methods"));
  } else if (code == "R024") {
    QF_ASSIGN_OR_RETURN(s.r024_threshold, OptionalNumber(p, "threshold"));
  } else if (code == "R025") {
    s.r025_percentile = p.Int("percentile");
    QF_ASSIGN_OR_RETURN(s.r025_threshold, OptionalNumber(p, "threshold"));
  } else if (code == "R035") {
    s.r035_threshold = p.Int("threshold");
  } else if (code == "R038") {
    QF_ASSIGN_OR_RETURN(s.r038_threshold, OptionalNumber(p, "threshold"));
    s.r038_minimum_submitted_bids = p.Int("minimum_submitted_bids");
    s.r038_minimum_contracting_processes = p.Int("minimum_contracting_processes");
  } else if (code == "R048") {
    s.r048_digits = p.Int("digits");
    QF_ASSIGN_OR_RETURN(std::optional<double> t, OptionalNumber(p, "threshold"));
    if (t) s.r048_threshold = static_cast<int64_t>(*t);
    s.r048_minimum_contracting_processes = p.Int("minimum_contracting_processes");
  } else if (code == "R058") {
    QF_ASSIGN_OR_RETURN(s.r058_threshold, OptionalNumber(p, "threshold"));
  }
  return s;
}

std::string SettingsKey(const CardinalSettings& s) {
  json j;
  j["prepare"] = s.prepare;
  j["currency"] = s.currency;
  j["no"] = s.no_price_comparison_procurement_methods;
  j["yes"] = s.price_comparison_procurement_methods;
  j["ex"] = s.exclude_procurement_method_details;
  j["r003"] = {s.r003_threshold, s.r003_procurement_methods, s.r003_procurement_method_details};
  j["r018"] = s.r018_procurement_methods;
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  j["fences"] = {opt(s.r024_threshold), opt(s.r025_threshold), opt(s.r038_threshold),
                 opt(s.r058_threshold)};
  j["n"] = {s.r025_percentile,
            s.r035_threshold,
            s.r038_minimum_submitted_bids,
            s.r038_minimum_contracting_processes,
            s.r048_digits,
            s.r048_threshold ? json(*s.r048_threshold) : json(nullptr),
            s.r048_minimum_contracting_processes};
  return j.dump();
}

// The eleven models of a scan ask for the same computation: the first one computes every
// indicator over the releases (as Cardinal does in one run), the others wait and reuse it.
struct SharedRun {
  std::mutex mu;
  bool done = false;
  Status status;
  std::vector<OcdsFlag> flags;
};

std::shared_ptr<SharedRun> RunSlot(const std::string& key) {
  static std::mutex mu;
  static std::deque<std::pair<std::string, std::shared_ptr<SharedRun>>> slots;
  std::lock_guard<std::mutex> lock(mu);
  for (auto& [k, run] : slots) {
    if (k == key) return run;
  }
  slots.emplace_back(key, std::make_shared<SharedRun>());
  if (slots.size() > 4) slots.pop_front();  // a few settings at once, no more
  return slots.back().second;
}

Status ComputeFromStore(Db* db, const CardinalSettings& settings, std::vector<OcdsFlag>* out) {
  CardinalIndicators c(settings);
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT compiled FROM ocds_releases ORDER BY rowid"));
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    std::string_view text = st.TextView(0);
    // Cardinal skips a line that is not JSON; the importer only stores JSON.
    json r = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (r.is_discarded()) continue;
    c.Add(std::move(r));
  }
  *out = c.Finish();
  return Status::OK();
}

Result<std::vector<OcdsFlag>> FlagsFor(const std::string& db_path,
                                       const CardinalSettings& settings) {
  QF_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(db_path, /*read_only=*/true));
  // Any import that changes the table writes rows with a new, higher import id.
  QF_ASSIGN_OR_RETURN(int64_t count, db->QueryInt("SELECT COUNT(*) FROM ocds_releases"));
  QF_ASSIGN_OR_RETURN(int64_t last, db->QueryInt("SELECT MAX(import_id) FROM ocds_releases"));
  const std::string key = db_path + "|" + std::to_string(count) + "|" + std::to_string(last) + "|" +
                          SettingsKey(settings);
  std::shared_ptr<SharedRun> run = RunSlot(key);
  std::lock_guard<std::mutex> lock(run->mu);
  if (!run->done) {
    run->status = ComputeFromStore(db.get(), settings, &run->flags);
    run->done = true;
  }
  if (!run->status.ok()) return run->status;
  return run->flags;
}

int64_t FenOf(double amount, const std::string& currency) {
  if (currency != "CNY" || !(amount > 0) || amount > 1e15) return 0;
  return std::llround(amount * 100.0);
}

Finding ToFinding(const Spec& spec, const OcdsFlag& f) {
  Finding out;
  out.summary = f.summary;
  if (f.group == CardinalGroup::kOcid) {
    out.identity = f.id;
    out.subject = {"tenders", f.id, f.title.empty() ? f.id : f.title};
    out.amount_fen = FenOf(f.amount, f.currency);
    std::vector<std::pair<std::string, std::string>> fields = f.facts;
    fields.emplace_back("Cardinal " + f.indicator, Decimal(f.value));
    out.evidence.push_back({"ocds_releases", f.id, std::move(fields)});
    double excess = 0;
    if (spec.code == std::string("R035")) excess = f.value;  // tenderers disqualified
    out.score = ScaleScore(spec.base_score, excess, 5);
  } else {
    out.identity = std::string(CardinalGroupName(f.group)) + "|" + f.id;
    out.subject = {"ocds_parties", f.id, f.name.empty() ? f.id : f.name};
    std::vector<std::pair<std::string, std::string>> fields = f.facts;
    fields.emplace_back("Cardinal " + f.indicator + "（" + CardinalGroupName(f.group) + "）",
                        Decimal(f.value));
    out.evidence.push_back({"ocds_parties", f.id, std::move(fields)});
    for (const std::string& o : f.ocids) {
      out.evidence.push_back({"ocds_releases", o, {{"ocid", o}}});
    }
    out.score = spec.base_score;
  }
  return out;
}

std::unique_ptr<Model> CardinalModel(const Spec& spec) {
  ModelInfo info;
  info.id = std::string("ocds_") + spec.code;
  info.name_zh = std::string(spec.name_zh) + "（OCDS " + spec.code + "）";
  info.name_en = std::string(spec.name_en) + " (OCDS " + spec.code + ")";
  info.family = "ocds";
  info.detects = spec.detects;
  info.basis = std::string(spec.basis) + kBasis;
  info.severity = spec.severity;
  info.params = spec.params;
  // No snapshot input: the compiled releases are read from the store (RunContext::db_path).
  return MakeModel(std::move(info), [spec](const RunContext& ctx, std::vector<Finding>* out) {
    if (ctx.db_path.empty()) return Status::OK();  // no store, no OCDS data
    QF_ASSIGN_OR_RETURN(CardinalSettings settings, SettingsFor(spec, ctx.params));
    QF_ASSIGN_OR_RETURN(std::vector<OcdsFlag> flags, FlagsFor(ctx.db_path, settings));
    for (const OcdsFlag& f : flags) {
      if (f.indicator != spec.code) continue;
      // A tenderer named in a flagged process is shown in that process's finding; the
      // organisation-level results are those of R025, R038 and R048.
      if (f.group == CardinalGroup::kTenderer &&
          (f.indicator == "R024" || f.indicator == "R028" || f.indicator == "R030" ||
           f.indicator == "R035" || f.indicator == "R058")) {
        continue;
      }
      out->push_back(ToFinding(spec, f));
    }
    return Status::OK();
  });
}

}  // namespace

void RegisterOcdsModels(ModelList* out) {
  for (const Spec& spec : Specs()) out->push_back(CardinalModel(spec));
}

}  // namespace qf::models
