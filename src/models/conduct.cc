// Family: conduct (八项规定与公务行为). Receptions over the standard or at luxury
// venues, scenic spots on days off, overlapping travel claims, invoices split
// across one vendor and day, official cars at resorts on days off, and one car
// on two trips at once. "Day off" always comes from the official calendar
// (common/calendar.h, 调休 included), never from the weekday alone.
#include <algorithm>
#include <tuple>
#include <unordered_map>

#include "common/calendar.h"
#include "common/text.h"
#include "common/time.h"
#include "models/common.h"
#include "models/families.h"

namespace qf::models {

namespace {

using namespace engine;

// A trip or claim longer than this is a data error; its days are not walked.
constexpr int64_t kMaxSpanDays = 62;

const std::vector<std::string>& ClaimColumns() {
  static const std::vector<std::string> kCols = {
      "org",         "claimant_id_number", "claim_date", "kind",       "amount",
      "vendor_name", "vendor_category",    "location",   "start_date", "end_date",
      "persons",     "description",        "invoice_no"};
  return kCols;
}

const std::vector<std::string>& TripColumns() {
  static const std::vector<std::string> kCols = {"plate",      "org",       "driver_id_number",
                                                 "start_time", "end_time",  "destination",
                                                 "purpose",    "mileage_km"};
  return kCols;
}

std::vector<Input> ClaimInputs() {
  std::vector<Input> in = {{"reimbursements", ClaimColumns()}};
  AddInputs(&in, Officials::Inputs());
  return in;
}

// Pool codes of the listed values (values the data never holds are dropped).
std::vector<uint32_t> CodesOf(const Snapshot& s, const std::vector<std::string>& values) {
  std::vector<uint32_t> out;
  for (const std::string& v : values) {
    uint32_t c = s.find(v);
    if (c != kNoString) out.push_back(c);
  }
  return out;
}

bool Contains(const std::vector<uint32_t>& codes, uint32_t c) {
  return c != kNoString && std::find(codes.begin(), codes.end(), c) != codes.end();
}

// Substring match of normalised text against normalised keywords, cached per
// pool code (destinations and vendor names repeat).
class KeywordMatcher {
 public:
  KeywordMatcher(const Snapshot& s, const std::vector<std::string>& keywords) : s_(&s) {
    for (const std::string& k : keywords) {
      std::string n = NormalizeForCompare(k);
      if (!n.empty()) keywords_.push_back(AsciiLower(n));
    }
  }
  // The first keyword the text contains, or "" when none.
  const std::string& Match(uint32_t code) {
    static const std::string kNone;
    if (code == kNoString || keywords_.empty()) return kNone;
    auto it = cache_.find(code);
    if (it == cache_.end()) {
      std::string text = AsciiLower(NormalizeForCompare(s_->str(code)));
      int hit = -1;
      for (size_t i = 0; i < keywords_.size() && hit < 0; ++i) {
        if (text.find(keywords_[i]) != std::string::npos) hit = static_cast<int>(i);
      }
      it = cache_.emplace(code, hit).first;
    }
    return it->second < 0 ? kNone : keywords_[it->second];
  }

 private:
  const Snapshot* s_;
  std::vector<std::string> keywords_;
  std::unordered_map<uint32_t, int> cache_;
};

// The claimant's name from the officials register ("" when not registered).
std::string ClaimantName(const Officials& off, uint32_t id_number) {
  const auto& rows = off.RowsOf(id_number);
  return rows.empty() ? std::string() : std::string(off.Name(rows[0]));
}

// "阜新市财政局张某某" — who made the claim, for summaries.
std::string Claimant(const Snapshot& s, const Table& t, size_t r, const Officials& off) {
  std::string name = ClaimantName(off, t.col("claimant_id_number").codes[r]);
  return std::string(s.str(t.col("org").codes[r])) +
         (name.empty() ? std::string("报销人") : MaskedName(name));
}

// The day a claim's expense happened: start_date, else the claim date.
int64_t ExpenseDay(const Table& t, size_t r) {
  int64_t d = t.col("start_date").ints[r];
  return d != kNull ? d : t.col("claim_date").ints[r];
}

// Inclusive day range of a claim: start..end (end missing or before start → start).
std::pair<int64_t, int64_t> ClaimSpan(const Table& t, size_t r) {
  int64_t a = t.col("start_date").ints[r];
  int64_t b = t.col("end_date").ints[r];
  if (b == kNull || b < a) b = a;
  return {a, b};
}

std::string SpanText(int64_t a, int64_t b) {
  return a == b ? DayText(a) : DayText(a) + "至" + DayText(b);
}

const char* WeekdayName(int64_t day) {
  static const char* const kNames[] = {"",       "星期一", "星期二", "星期三",
                                       "星期四", "星期五", "星期六", "星期日"};
  return kNames[WeekdayFromDays(day)];
}

// "2024-10-05（国庆节）" or "2024-03-30（星期六）": why the day is a day off.
std::string DayOffText(int64_t day) {
  std::string_view holiday = HolidayName(CivilFromDays(day));
  return DayText(day) + "（" +
         (holiday.empty() ? std::string(WeekdayName(day)) : std::string(holiday)) + "）";
}

// Non-working days in [a, b] (b clipped to a span a real trip can have).
std::vector<int64_t> DaysOff(int64_t a, int64_t b) {
  std::vector<int64_t> out;
  for (int64_t d = a; d <= std::min(b, a + kMaxSpanDays); ++d) {
    if (!IsWorkingDayDays(d)) out.push_back(d);
  }
  return out;
}

std::string JoinDaysOff(const std::vector<int64_t>& days) {
  std::string out;
  for (size_t i = 0; i < days.size(); ++i) {
    if (i == 3) return out + "等" + std::to_string(days.size()) + "天";
    if (i) out += "、";
    out += DayOffText(days[i]);
  }
  return out;
}

bool AnyHoliday(const std::vector<int64_t>& days) {
  return std::any_of(days.begin(), days.end(), [](int64_t d) { return IsHolidayDays(d); });
}

// 超标准接待: amount / persons strictly above the per-person standard.
std::unique_ptr<Model> ReceptionOverStandard() {
  ModelInfo info;
  info.id = "reception_over_standard";
  info.name_zh = "公务接待超标准";
  info.name_en = "Reception over the per-person standard";
  info.family = "conduct";
  info.detects = "接待类报销金额除以人数（宾主合计）超过人均接待标准的报销单。";
  info.basis =
      "《党政机关国内公务接待管理规定》：接待用餐按标准安排，不得超标准接待；人均标准由"
      "各地规定（默认150元/人，可设置）。超标准接待是违反中央八项规定精神的典型问题。";
  info.severity = Severity::kMedium;
  info.inputs = ClaimInputs();
  info.params = {
      {"standard_yuan", "150", "人均接待标准（元/人，超过即预警）",
       "per-person standard (yuan; above it is flagged)"},
      {"kinds", "接待", "适用的报销类别", "claim kinds the standard applies to"},
      {"exclude_categories", "娱乐,高档消费",
       "不在此比对的商户类别（在这些场所接待本身即违规，由“在娱乐或高档消费场所报销”模型预警，"
       "不重复立线索）",
       "vendor categories left to luxury_venue (a reception there is wrong as a whole; one lead, "
       "not two)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("reimbursements");
    Officials off(s);
    const int64_t standard = ctx.params.Fen("standard_yuan");
    const std::vector<uint32_t> kinds = CodesOf(s, ctx.params.List("kinds"));
    const std::vector<uint32_t> excluded = CodesOf(s, ctx.params.List("exclude_categories"));
    const Column& kind = t.col("kind");
    const Column& amount = t.col("amount");
    const Column& persons = t.col("persons");
    const Column& cat = t.col("vendor_category");
    for (size_t r = 0; r < t.size(); ++r) {
      if (!Contains(kinds, kind.codes[r]) || Contains(excluded, cat.codes[r])) continue;
      int64_t n = persons.ints[r];
      int64_t a = amount.ints[r];
      if (n == kNull || n <= 0 || a == kNull) continue;
      // Integer compare: exactly at the standard is allowed.
      if (a <= standard * n) continue;
      int64_t excess = a - standard * n;
      int64_t per_person = (a + n / 2) / n;
      Finding f;
      f.identity = std::string(s.key(t, r));
      // The body answers for the claim; the claimant's name stays in the masked summary.
      f.subject = {"reimbursements", f.identity, std::string(s.str(t.col("org").codes[r]))};
      f.amount_fen = excess;
      f.score = ScaleScore(50, standard > 0 ? double(a) / double(standard * n) - 1.0 : 1.0, 2.0);
      f.evidence.push_back(MakeEvidence(s, t, r, ClaimColumns()));
      std::string vendor(s.str(t.col("vendor_name").codes[r]));
      f.summary = Claimant(s, t, r, off) + "于" + DayText(ExpenseDay(t, r)) +
                  (vendor.empty() ? std::string() : "在" + vendor) + "报销" +
                  std::string(s.str(kind.codes[r])) + "费用" + Yuan(a) + "元，共" +
                  std::to_string(n) + "人，人均" + Yuan(per_person) + "元，超过" + Yuan(standard) +
                  "元/人的标准，超标" + Yuan(excess) + "元";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 高档场所消费: a claim at a vendor of a luxury or entertainment category (or
// whose name says it is a private club, karaoke …).
std::unique_ptr<Model> LuxuryVenue() {
  ModelInfo info;
  info.id = "luxury_venue";
  info.name_zh = "在娱乐或高档消费场所报销";
  info.name_en = "Claims at entertainment or luxury venues";
  info.family = "conduct";
  info.detects = "商户类别为娱乐、高档消费（或商户名称含会所、KTV等字样）的公务支出报销。";
  info.basis =
      "《党政机关国内公务接待管理规定》：不得在私人会所、高消费餐饮场所安排接待，不得安排"
      "娱乐活动；中央八项规定实施细则严禁公款出入私人会所、公款娱乐。";
  info.severity = Severity::kHigh;
  info.inputs = ClaimInputs();
  info.params = {{"categories", "娱乐,高档消费", "视为高档或娱乐场所的商户类别",
                  "vendor categories that are luxury or entertainment venues"},
                 {"vendor_keywords", "会所,夜总会,KTV,歌舞厅,高尔夫球会,高尔夫俱乐部",
                  "商户名称含这些词也视为高档或娱乐场所（留空则只看类别）",
                  "vendor-name words that also mark such a venue (empty: category only)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("reimbursements");
    Officials off(s);
    const std::vector<uint32_t> cats = CodesOf(s, ctx.params.List("categories"));
    KeywordMatcher names(s, ctx.params.List("vendor_keywords"));
    const Column& cat = t.col("vendor_category");
    const Column& vendor = t.col("vendor_name");
    const Column& amount = t.col("amount");
    for (size_t r = 0; r < t.size(); ++r) {
      bool by_cat = Contains(cats, cat.codes[r]);
      std::string word = by_cat ? std::string() : names.Match(vendor.codes[r]);
      if (!by_cat && word.empty()) continue;
      Finding f;
      f.identity = std::string(s.key(t, r));
      // The body answers for the claim; the claimant's name stays in the masked summary.
      f.subject = {"reimbursements", f.identity, std::string(s.str(t.col("org").codes[r]))};
      int64_t a = amount.ints[r] == kNull ? 0 : amount.ints[r];
      f.amount_fen = a;
      bool reception = s.str(t.col("kind").codes[r]) == "接待";
      f.score = ScaleScore(reception ? 75 : 65, double(a) / 100.0, 5000.0);
      f.evidence.push_back(MakeEvidence(s, t, r, ClaimColumns()));
      std::string why = by_cat ? "商户类别为“" + std::string(s.str(cat.codes[r])) + "”"
                               : "商户名称含“" + word + "”";
      int64_t n = t.col("persons").ints[r];
      std::string per_person =
          reception && n != kNull && n > 0
              ? "，" + std::to_string(n) + "人，人均" + Yuan((a + n / 2) / n) + "元"
              : std::string();
      f.summary = Claimant(s, t, r, off) + "于" + DayText(ExpenseDay(t, r)) + "在" +
                  std::string(s.str(vendor.codes[r])) + "（" + why + "）报销" +
                  std::string(s.str(t.col("kind").codes[r])) + "费用" + Yuan(a) + "元" + per_person;
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 节假日景区消费: a claim at a scenic spot whose dates include a day off.
std::unique_ptr<Model> ScenicWeekend() {
  ModelInfo info;
  info.id = "scenic_weekend";
  info.name_zh = "节假日景区消费报销";
  info.name_en = "Scenic-spot claims on weekends and holidays";
  info.family = "conduct";
  info.detects =
      "商户类别为景区、且开始至结束日期含非工作日（按国务院节假日安排，含调休）的报销单。";
  info.basis =
      "中央八项规定精神：严禁借培训、考察、会议等名义公款旅游；在周末和法定节假日到景区"
      "消费并公款报销是各地通报的典型问题。调休上班日为工作日，不预警。";
  info.severity = Severity::kMedium;
  info.inputs = ClaimInputs();
  info.params = {
      {"categories", "景区", "视为景区的商户类别", "vendor categories that are scenic spots"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("reimbursements");
    Officials off(s);
    const std::vector<uint32_t> cats = CodesOf(s, ctx.params.List("categories"));
    const Column& cat = t.col("vendor_category");
    const Column& amount = t.col("amount");
    const Column& start = t.col("start_date");
    for (size_t r = 0; r < t.size(); ++r) {
      if (!Contains(cats, cat.codes[r]) || start.ints[r] == kNull) continue;
      auto [a, b] = ClaimSpan(t, r);
      std::vector<int64_t> off_days = DaysOff(a, b);
      if (off_days.empty()) continue;
      Finding f;
      f.identity = std::string(s.key(t, r));
      // The body answers for the claim; the claimant's name stays in the masked summary.
      f.subject = {"reimbursements", f.identity, std::string(s.str(t.col("org").codes[r]))};
      int64_t amt = amount.ints[r] == kNull ? 0 : amount.ints[r];
      f.amount_fen = amt;
      f.score = ScaleScore(AnyHoliday(off_days) ? 70 : 60, double(off_days.size()), 4.0);
      f.evidence.push_back(MakeEvidence(s, t, r, ClaimColumns()));
      f.summary = Claimant(s, t, r, off) + "在" +
                  std::string(s.str(t.col("vendor_name").codes[r])) + "（景区）报销" +
                  std::string(s.str(t.col("kind").codes[r])) + "费用" + Yuan(amt) + "元，日期" +
                  SpanText(a, b) + "，含非工作日" + JoinDaysOff(off_days);
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// Groups of row indices: rows sorted by `key`, then runs of equal keys.
template <typename Key, typename KeyFn>
std::vector<std::vector<uint32_t>> GroupRows(const std::vector<uint32_t>& rows, KeyFn key_of) {
  std::vector<std::pair<Key, uint32_t>> keyed;
  keyed.reserve(rows.size());
  for (uint32_t r : rows) keyed.emplace_back(key_of(r), r);
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::vector<uint32_t>> out;
  for (size_t i = 0; i < keyed.size();) {
    size_t j = i;
    std::vector<uint32_t> g;
    while (j < keyed.size() && keyed[j].first == keyed[i].first) g.push_back(keyed[j++].second);
    out.push_back(std::move(g));
    i = j;
  }
  return out;
}

// 差旅重复报销: two travel claims of one claimant whose dates overlap.
std::unique_ptr<Model> OverlappingTravel() {
  ModelInfo info;
  info.id = "overlapping_travel";
  info.name_zh = "差旅报销时间重叠";
  info.name_en = "Overlapping travel claims";
  info.family = "conduct";
  info.detects =
      "同一报销人两笔及以上差旅报销的出差日期相互重叠（一人不能同时在两地出差）。前一趟的"
      "返回日恰为后一趟的出发日属正常衔接（当天返回再出发或直接转赴下一地），不算重叠。";
  info.basis =
      "《中央和国家机关差旅费管理办法》：差旅费按实际出差天数据实报销；同一时段重复报销"
      "差旅费、虚报出差属于违规报销、套取公款。";
  info.severity = Severity::kHigh;
  info.inputs = ClaimInputs();
  info.params = {
      {"kinds", "差旅", "参与比对的报销类别", "claim kinds compared"},
      {"allow_handover_day", "1", "前一趟返回日与后一趟出发日为同一天时不算重叠（1是，0否）",
       "a return day that is the next trip's departure day is not an overlap (1/0)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("reimbursements");
    Officials off(s);
    const std::vector<uint32_t> kinds = CodesOf(s, ctx.params.List("kinds"));
    const bool handover = ctx.params.Int("allow_handover_day") != 0;
    const Column& kind = t.col("kind");
    const Column& claimant = t.col("claimant_id_number");
    const Column& start = t.col("start_date");
    const Column& amount = t.col("amount");
    std::vector<uint32_t> rows;
    for (size_t r = 0; r < t.size(); ++r) {
      if (Contains(kinds, kind.codes[r]) && claimant.codes[r] != kNoString &&
          start.ints[r] != kNull) {
        rows.push_back(static_cast<uint32_t>(r));
      }
    }
    // By claimant, then start day, then claim id for a stable order.
    std::sort(rows.begin(), rows.end(), [&](uint32_t x, uint32_t y) {
      return std::make_tuple(claimant.codes[x], start.ints[x], s.key(t, x)) <
             std::make_tuple(claimant.codes[y], start.ints[y], s.key(t, y));
    });
    // Shared days of two claims; 0 when they only hand over on one day (the
    // shared day is the last of one and the first of the other, and is not
    // strictly inside either) or do not meet at all.
    auto shared_days = [&](uint32_t x, uint32_t y) -> int64_t {
      auto [a0, a1] = ClaimSpan(t, x);
      auto [b0, b1] = ClaimSpan(t, y);
      int64_t lo = std::max(a0, b0), hi = std::min(a1, b1);
      if (hi < lo) return 0;
      if (handover && lo == hi) {
        bool inside_a = a0 < lo && lo < a1, inside_b = b0 < lo && lo < b1;
        bool same_single_day = a0 == a1 && b0 == b1;
        if (!inside_a && !inside_b && !same_single_day) return 0;
      }
      return hi - lo + 1;
    };
    for (size_t i = 0; i < rows.size();) {
      size_t j = i;
      while (j < rows.size() && claimant.codes[rows[j]] == claimant.codes[rows[i]]) ++j;
      // One claimant's claims (a handful): pairwise, joined into clusters.
      const size_t n = j - i;
      std::vector<size_t> parent(n);
      for (size_t k = 0; k < n; ++k) parent[k] = k;
      auto root = [&](size_t k) {
        while (parent[k] != k) k = parent[k] = parent[parent[k]];
        return k;
      };
      std::vector<int64_t> best(n, 0);
      for (size_t x = 0; x < n; ++x) {
        for (size_t y = x + 1; y < n; ++y) {
          if (start.ints[rows[i + y]] > ClaimSpan(t, rows[i + x]).second) break;
          int64_t d = shared_days(rows[i + x], rows[i + y]);
          if (d == 0) continue;
          size_t rx = root(x), ry = root(y);
          int64_t m = std::max({best[rx], best[ry], d});
          parent[ry] = rx;
          best[rx] = m;
        }
      }
      std::vector<std::vector<uint32_t>> clusters(n);
      for (size_t k = 0; k < n; ++k) clusters[root(k)].push_back(rows[i + k]);
      for (size_t k = 0; k < n; ++k) {
        const std::vector<uint32_t>& cl = clusters[k];
        if (cl.size() < 2) continue;
        const int64_t max_overlap = best[k];
        Finding f;
        uint32_t who = claimant.codes[cl[0]];
        std::string name = ClaimantName(off, who);
        f.identity = std::string(s.str(who)) + "|" + std::string(s.key(t, cl[0]));
        f.subject = {"persons", std::string(s.str(who)), name};
        int64_t total = 0, largest = 0;
        std::string parts;
        for (uint32_t r : cl) {
          int64_t a = amount.ints[r] == kNull ? 0 : amount.ints[r];
          total += a;
          largest = std::max(largest, a);
          auto [d0, d1] = ClaimSpan(t, r);
          std::string where(s.str(t.col("location").codes[r]));
          if (!parts.empty()) parts += "；";
          parts += std::string(s.key(t, r)) + "（" + SpanText(d0, d1) +
                   (where.empty() ? std::string() : "，" + where) + "，" + Yuan(a) + "元）";
          f.evidence.push_back(MakeEvidence(s, t, r, ClaimColumns()));
        }
        // The claims beyond the largest one are the doubtful money.
        f.amount_fen = total - largest;
        f.score = ScaleScore(65, double(max_overlap) + double(cl.size() - 2), 5.0);
        f.summary = Claimant(s, t, cl[0], off) + "有" + std::to_string(cl.size()) +
                    "笔差旅报销出差日期重叠（最多重叠" + std::to_string(max_overlap) + "天）：" +
                    parts + "，合计" + Yuan(total) + "元";
        out->push_back(std::move(f));
      }
      i = j;
    }
    return Status::OK();
  });
}

// 拆分发票: several claims of one body at one vendor for the same day.
std::unique_ptr<Model> SplitInvoices() {
  ModelInfo info;
  info.id = "split_invoices";
  info.name_zh = "同一商户同日拆分报销";
  info.name_en = "Invoices split across one vendor and day";
  info.family = "conduct";
  info.detects =
      "同一单位在同一商户、同一消费日期有两笔及以上报销（可能由不同人分别报销），"
      "疑似拆分发票规避接待标准或审批。差旅住宿按人计，不同出差人各自报销不算拆分。";
  info.basis =
      "《党政机关国内公务接待管理规定》《党政机关厉行节约反对浪费条例》：接待费用应凭"
      "发票、接待清单一次据实结算，不得化整为零、拆分报销规避标准和审批。";
  info.severity = Severity::kMedium;
  info.inputs = ClaimInputs();
  info.params = {{"min_claims", "2", "同单位同商户同日的最少报销笔数",
                  "minimum claims of one body at one vendor on one day"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("reimbursements");
    Officials off(s);
    OrgNames orgs(s);
    const size_t min_claims =
        static_cast<size_t>(std::max<int64_t>(2, ctx.params.Int("min_claims")));
    const uint32_t travel = s.find("差旅");
    const Column& org = t.col("org");
    const Column& vendor = t.col("vendor_name");
    const Column& start = t.col("start_date");
    const Column& kind = t.col("kind");
    const Column& claimant = t.col("claimant_id_number");
    const Column& amount = t.col("amount");
    std::vector<uint32_t> rows;
    for (size_t r = 0; r < t.size(); ++r) {
      if (vendor.codes[r] != kNoString && start.ints[r] != kNull) {
        rows.push_back(static_cast<uint32_t>(r));
      }
    }
    using Key = std::tuple<uint32_t, uint32_t, int64_t, uint32_t>;
    auto groups = GroupRows<Key>(rows, [&](uint32_t r) {
      // Each traveller pays his own room: travel claims only group per person.
      uint32_t person = travel != kNoString && kind.codes[r] == travel ? claimant.codes[r] : 0;
      return Key{orgs.Key(org.codes[r]), vendor.codes[r], start.ints[r], person};
    });
    for (auto& g : groups) {
      if (g.size() < min_claims) continue;
      std::sort(g.begin(), g.end(),
                [&](uint32_t x, uint32_t y) { return s.key(t, x) < s.key(t, y); });
      Finding f;
      const uint32_t r0 = g[0];
      f.identity = std::string(s.str(org.codes[r0])) + "|" + std::string(s.str(vendor.codes[r0])) +
                   "|" + DayText(start.ints[r0]);
      f.subject = {"reimbursements", std::string(s.key(t, r0)), std::string(s.str(org.codes[r0]))};
      int64_t total = 0;
      std::vector<uint32_t> people;
      std::string parts;
      for (uint32_t r : g) {
        int64_t a = amount.ints[r] == kNull ? 0 : amount.ints[r];
        total += a;
        if (std::find(people.begin(), people.end(), claimant.codes[r]) == people.end()) {
          people.push_back(claimant.codes[r]);
        }
        std::string name = ClaimantName(off, claimant.codes[r]);
        if (!parts.empty()) parts += "、";
        parts += std::string(s.key(t, r)) + "（" + (name.empty() ? "报销人" : MaskedName(name)) +
                 "，" + std::string(s.str(kind.codes[r])) + Yuan(a) + "元）";
        f.evidence.push_back(MakeEvidence(s, t, r, ClaimColumns()));
      }
      f.amount_fen = total;
      f.score = ScaleScore(55, double(g.size() - 2) + (people.size() > 1 ? 1.0 : 0.0), 3.0);
      f.summary = std::string(s.str(org.codes[r0])) + "在" + std::string(s.str(vendor.codes[r0])) +
                  "同日（" + DayText(start.ints[r0]) + "）的消费分" + std::to_string(g.size()) +
                  "笔报销" +
                  (people.size() > 1 ? "，由" + std::to_string(people.size()) + "人分别报销"
                                     : std::string()) +
                  "：" + parts + "，合计" + Yuan(total) + "元";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

std::vector<Input> TripInputs() { return {{"car_trips", TripColumns()}}; }

// Days of a trip: date(start)..date(end) (end missing or before start → start).
std::pair<int64_t, int64_t> TripDays(const Table& t, size_t r) {
  int64_t a = DayOf(t.col("start_time").ints[r]);
  int64_t e = t.col("end_time").ints[r];
  int64_t b = e == kNull ? a : std::max(a, DayOf(e));
  return {a, b};
}

// 节假日公车去度假地: an official car on the road on a day off, bound for a resort.
std::unique_ptr<Model> CarHolidayResort() {
  ModelInfo info;
  info.id = "car_holiday_resort";
  info.name_zh = "节假日公车前往度假休闲场所";
  info.name_en = "Official cars to resorts on weekends and holidays";
  info.family = "conduct";
  info.detects =
      "公务用车在非工作日（按国务院节假日安排，含调休）出车，目的地含度假村、温泉、山庄、"
      "风景区、滑雪场、高尔夫等字样。出车至收车期间任一天为非工作日即算。";
  info.basis =
      "《党政机关公务用车管理办法》：严禁公车私用；节假日公车私用、公车进出度假休闲场所是"
      "中央八项规定精神明令禁止、各地重点检查的问题。调休上班日为工作日，不预警。";
  info.severity = Severity::kHigh;
  info.inputs = TripInputs();
  info.params = {{"resort_keywords", "度假村,温泉,山庄,风景区,滑雪场,高尔夫",
                  "目的地含这些词视为度假休闲场所", "destination words that mark a resort"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("car_trips");
    KeywordMatcher resort(s, ctx.params.List("resort_keywords"));
    const Column& start = t.col("start_time");
    const Column& dest = t.col("destination");
    for (size_t r = 0; r < t.size(); ++r) {
      if (start.ints[r] == kNull || dest.codes[r] == kNoString) continue;
      auto [a, b] = TripDays(t, r);
      std::vector<int64_t> off_days = DaysOff(a, b);
      if (off_days.empty()) continue;
      const std::string& word = resort.Match(dest.codes[r]);
      if (word.empty()) continue;
      Finding f;
      f.identity = std::string(s.key(t, r));
      std::string plate(s.str(t.col("plate").codes[r]));
      std::string org(s.str(t.col("org").codes[r]));
      f.subject = {"car_trips", f.identity, org + " " + plate};
      f.score = ScaleScore(AnyHoliday(off_days) ? 75 : 65, double(off_days.size()), 3.0);
      f.evidence.push_back(MakeEvidence(s, t, r, TripColumns()));
      std::string purpose(s.str(t.col("purpose").codes[r]));
      int64_t e = t.col("end_time").ints[r];
      f.summary = org + "公务用车" + plate + "于" + DateTimeText(start.ints[r]) +
                  (e == kNull ? std::string() : "至" + DateTimeText(e)) + "出车前往" +
                  std::string(s.str(dest.codes[r])) + "（含“" + word + "”），期间" +
                  JoinDaysOff(off_days) + "为非工作日" +
                  (purpose.empty() ? std::string() : "，事由“" + purpose + "”");
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 一车同时多趟: two trips of one plate whose times overlap.
std::unique_ptr<Model> CarOverlappingTrips() {
  ModelInfo info;
  info.id = "car_overlapping_trips";
  info.name_zh = "同一公车出车时间重叠";
  info.name_en = "One official car on overlapping trips";
  info.family = "conduct";
  info.detects = "同一号牌的两条及以上派车记录出车至收车时间相互重叠（一辆车不能同时出两趟车）。";
  info.basis =
      "《党政机关公务用车管理办法》：公务用车实行派车单制度、据实登记；同一车辆时间重叠的"
      "派车记录说明登记不实，可能掩盖公车私用或虚报里程、油费。";
  info.severity = Severity::kMedium;
  info.inputs = TripInputs();
  info.params = {{"min_overlap_minutes", "0", "重叠超过该分钟数才预警（0：任何重叠）",
                  "flag overlaps longer than this many minutes (0: any overlap)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("car_trips");
    const int64_t min_overlap = std::max<int64_t>(0, ctx.params.Int("min_overlap_minutes")) * 60;
    const Column& plate = t.col("plate");
    const Column& start = t.col("start_time");
    const Column& end = t.col("end_time");
    std::vector<uint32_t> rows;
    for (size_t r = 0; r < t.size(); ++r) {
      // A trip without a return time has no interval to overlap.
      if (plate.codes[r] != kNoString && start.ints[r] != kNull && end.ints[r] != kNull &&
          end.ints[r] > start.ints[r]) {
        rows.push_back(static_cast<uint32_t>(r));
      }
    }
    std::sort(rows.begin(), rows.end(), [&](uint32_t x, uint32_t y) {
      return std::make_tuple(plate.codes[x], start.ints[x], s.key(t, x)) <
             std::make_tuple(plate.codes[y], start.ints[y], s.key(t, y));
    });
    auto emit = [&](const std::vector<uint32_t>& cl, int64_t max_overlap) {
      Finding f;
      uint32_t p = plate.codes[cl[0]];
      std::string org(s.str(t.col("org").codes[cl[0]]));
      f.identity = std::string(s.str(p)) + "|" + std::string(s.key(t, cl[0]));
      f.subject = {"vehicles", std::string(s.str(p)), org + " " + std::string(s.str(p))};
      std::string parts;
      for (uint32_t r : cl) {
        std::string d(s.str(t.col("destination").codes[r]));
        if (!parts.empty()) parts += "；";
        parts += std::string(s.key(t, r)) + "（" + DateTimeText(start.ints[r]) + "至" +
                 DateTimeText(end.ints[r]) + (d.empty() ? std::string() : "，前往" + d) + "）";
        f.evidence.push_back(MakeEvidence(s, t, r, TripColumns()));
      }
      int64_t minutes = max_overlap / 60;
      f.score = ScaleScore(55, double(minutes) / 60.0 + double(cl.size() - 2), 4.0);
      f.summary = org + "公务用车" + std::string(s.str(p)) + "有" + std::to_string(cl.size()) +
                  "条派车记录时间重叠（最长重叠" + std::to_string(minutes) + "分钟）：" + parts;
      out->push_back(std::move(f));
    };
    for (size_t i = 0; i < rows.size();) {
      std::vector<uint32_t> cl = {rows[i]};
      int64_t cl_end = end.ints[rows[i]];
      int64_t max_overlap = 0;
      size_t j = i + 1;
      for (; j <= rows.size(); ++j) {
        bool same = j < rows.size() && plate.codes[rows[j]] == plate.codes[rows[i]];
        int64_t overlap = same ? std::min(cl_end, end.ints[rows[j]]) - start.ints[rows[j]] : 0;
        if (same && overlap > min_overlap) {
          cl.push_back(rows[j]);
          cl_end = std::max(cl_end, end.ints[rows[j]]);
          max_overlap = std::max(max_overlap, overlap);
          continue;
        }
        if (cl.size() >= 2) emit(cl, max_overlap);
        if (!same) break;
        cl = {rows[j]};
        cl_end = end.ints[rows[j]];
        max_overlap = 0;
      }
      i = j;
    }
    return Status::OK();
  });
}

}  // namespace

void RegisterConductModels(ModelList* out) {
  out->push_back(ReceptionOverStandard());
  out->push_back(LuxuryVenue());
  out->push_back(ScenicWeekend());
  out->push_back(OverlappingTravel());
  out->push_back(SplitInvoices());
  out->push_back(CarHolidayResort());
  out->push_back(CarOverlappingTrips());
}

}  // namespace qf::models
