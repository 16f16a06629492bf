// Family: welfare (民生资金). Relief paid to the dead, to officials and their
// relatives, to the wealthy, twice, or into shared accounts.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "common/text.h"
#include "common/time.h"
#include "models/common.h"
#include "models/families.h"

namespace qf::models {

namespace {

using namespace engine;

// 死亡后仍发放: a payment for a month after the month of death, or paid after
// the death date. Paying the month of death before the date is normal.
std::unique_ptr<Model> WelfareAfterDeath() {
  ModelInfo info;
  info.id = "welfare_after_death";
  info.name_zh = "死亡后仍发放民生资金";
  info.name_en = "Welfare paid after death";
  info.family = "welfare";
  info.detects = "发放月份晚于死亡月份，或发放日期晚于死亡日期的民生资金。";
  info.basis =
      "救助发放 × 死亡/火化登记比对（民政部《社会救助暂行办法》：保障对象死亡的应停发）；"
      "各地纪委公开通报的典型问题。";
  info.severity = Severity::kHigh;
  info.inputs = {
      {"welfare",
       {"program", "beneficiary_id_number", "beneficiary_name", "period", "pay_date", "amount"}},
      {"deaths", {"id_number", "name", "death_date", "source"}},
      {"persons", {"id_number", "name"}}};
  info.params = {
      {"grace_months", "0", "死亡当月之后的宽限月数", "months of grace after the month of death"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& w = s.at("welfare");
    const Table& d = s.at("deaths");
    const Table& p = s.at("persons");
    const int64_t grace = ctx.params.Int("grace_months");
    const Column& ben = w.col("beneficiary_id_number");
    const Column& period = w.col("period");
    const Column& pay_date = w.col("pay_date");
    const Column& amount = w.col("amount");
    const Column& program = w.col("program");
    const Column& death_date = d.col("death_date");
    // The first death record of each ID number, with the month of death
    // computed once per death rather than once per payment.
    CodeTable death_by_id(d.size());
    const auto& dead_id = d.col("id_number").codes;
    for (size_t r = 0; r < d.size(); ++r) death_by_id.Insert(dead_id[r], static_cast<uint32_t>(r));
    std::vector<int64_t> death_month(d.size(), kNull);
    for (size_t r = 0; r < d.size(); ++r) {
      if (death_date.ints[r] == kNull) continue;
      CivilDate dc = CivilFromDays(death_date.ints[r]);
      death_month[r] = int64_t{dc.year} * 12 + (dc.month - 1);
    }
    // One pass over the payments on every core, one probe of the table of the
    // dead per payment (mostly a bit test); the hits are put back in row order.
    tbb::enumerable_thread_specific<std::vector<uint32_t>> found;
    tbb::parallel_for(tbb::blocked_range<size_t>(0, w.size(), 1 << 16),
                      [&](const tbb::blocked_range<size_t>& range) {
                        auto& local = found.local();
                        for (size_t r = range.begin(); r < range.end(); ++r) {
                          uint32_t drow = death_by_id.Find(ben.codes[r]);
                          if (drow == CodeTable::kAbsent) continue;
                          int64_t died = death_date.ints[drow];
                          if (died == kNull) continue;
                          bool late_period =
                              period.ints[r] != kNull && period.ints[r] > death_month[drow] + grace;
                          bool late_pay =
                              grace == 0 && pay_date.ints[r] != kNull && pay_date.ints[r] > died;
                          if (late_period || late_pay) local.push_back(static_cast<uint32_t>(r));
                        }
                      });
    std::vector<uint32_t> late;
    for (const auto& local : found) late.insert(late.end(), local.begin(), local.end());
    std::sort(late.begin(), late.end());
    // (beneficiary, programme) → payments after death, in row order
    std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>> hits;
    for (uint32_t r : late) hits[{ben.codes[r], program.codes[r]}].push_back(r);
    // Registered names of the few persons found, without indexing persons.
    std::vector<uint32_t> ids;
    for (const auto& kv : hits) ids.push_back(kv.first.first);
    const auto person_rows = PersonRowsOf(s, ids);
    // The findings are built on every core, in the order of `hits`.
    static const std::vector<std::string> kDeathCols = {"id_number", "name", "death_date",
                                                        "source"};
    static const std::vector<std::string> kPaymentCols = {"program", "beneficiary_id_number",
                                                          "period", "pay_date", "amount"};
    std::vector<decltype(hits)::value_type*> entries;
    for (auto& e : hits) entries.push_back(&e);
    std::vector<Finding> findings(entries.size());
    tbb::parallel_for(size_t{0}, entries.size(), [&](size_t i) {
      auto& [k, rows] = *entries[i];
      uint32_t drow = death_by_id.Find(k.first);
      std::sort(rows.begin(), rows.end(),
                [&](uint32_t a, uint32_t b) { return period.ints[a] < period.ints[b]; });
      int64_t total = 0;
      for (uint32_t r : rows) total += amount.ints[r] == kNull ? 0 : amount.ints[r];
      std::string name(s.str(w.col("beneficiary_name").codes[rows[0]]));
      if (auto pr = person_rows.find(k.first); pr != person_rows.end()) {
        name = std::string(s.str(p.col("name").codes[pr->second]));
      }
      Finding f;
      f.identity = std::string(s.str(k.first)) + "|" + std::string(s.str(k.second));
      f.subject = {"persons", std::string(s.str(k.first)), name};
      f.amount_fen = total;
      const int64_t months_after =
          std::max<int64_t>(0, period.ints[rows.back()] - death_month[drow]);
      f.score = ScaleScore(70, static_cast<double>(months_after) + rows.size(), 12);
      f.evidence.push_back(MakeEvidence(s, d, drow, kDeathCols));
      for (uint32_t r : rows) f.evidence.push_back(MakeEvidence(s, w, r, kPaymentCols));
      std::string first = PeriodText(period.ints[rows.front()]);
      std::string last = PeriodText(period.ints[rows.back()]);
      f.summary = MaskedName(name) + "已于" + DayText(death_date.ints[drow]) + "死亡，" +
                  (first == last ? first : first + "至" + last) + "仍领取" +
                  std::string(s.str(k.second)) + std::to_string(rows.size()) + "笔共" +
                  Yuan(total) + "元";
      findings[i] = std::move(f);
    });
    for (Finding& f : findings) out->push_back(std::move(f));
    return Status::OK();
  });
}

// The means-tested programmes (docs/synth.md "Defaults the models share").
constexpr const char* kMeansTested = "城乡居民最低生活保障,特困人员救助供养,临时救助";

ParamDef MeansTestedParam() {
  return {"programs", kMeansTested, "适用的救助项目（经济状况核查类）",
          "means-tested programmes the rule applies to"};
}

// Which welfare.program codes are in a list of programme names (compared in
// normalised form, so 全角/繁体 variants of a name still match). Few distinct
// programmes, so a linear cache beats hashing on millions of rows.
class ProgramSet {
 public:
  ProgramSet(const Snapshot& s, std::vector<std::string> names) : snap_(&s) {
    for (std::string& n : names) wanted_.insert(NormalizeForCompare(n));
  }
  // An empty list means every programme.
  bool Contains(uint32_t code) {
    if (wanted_.empty()) return code != kNoString;
    for (const auto& [c, in] : cache_) {
      if (c == code) return in;
    }
    bool in = code != kNoString && wanted_.count(NormalizeForCompare(snap_->str(code))) != 0;
    cache_.emplace_back(code, in);
    return in;
  }

 private:
  const Snapshot* snap_;
  std::set<std::string> wanted_;
  std::vector<std::pair<uint32_t, bool>> cache_;
};

// The day a payment is for: its pay date, else the first day of its period.
int64_t PaymentDay(const Table& w, size_t r) {
  int64_t d = w.col("pay_date").ints[r];
  if (d != kNull) return d;
  int64_t p = w.col("period").ints[r];
  return p == kNull ? kNull : FirstDayOfPeriod(p);
}

// "2023-01" or "2023-01至2024-12" over the rows' periods.
std::string PeriodRangeText(const Table& w, const std::vector<uint32_t>& rows) {
  int64_t lo = kNull, hi = kNull;
  for (uint32_t r : rows) {
    int64_t p = w.col("period").ints[r];
    if (p == kNull) continue;
    if (lo == kNull || p < lo) lo = p;
    if (hi == kNull || p > hi) hi = p;
  }
  if (lo == kNull) return "";
  return lo == hi ? PeriodText(lo) : PeriodText(lo) + "至" + PeriodText(hi);
}

int64_t SumAmount(const Table& w, const std::vector<uint32_t>& rows) {
  int64_t total = 0;
  for (uint32_t r : rows) {
    int64_t a = w.col("amount").ints[r];
    if (a != kNull) total += a;
  }
  return total;
}

// Distinct programme names of the rows, joined with 、.
std::string ProgramsText(const Snapshot& s, const Table& w, const std::vector<uint32_t>& rows) {
  std::vector<uint32_t> codes;
  for (uint32_t r : rows) {
    uint32_t c = w.col("program").codes[r];
    if (std::find(codes.begin(), codes.end(), c) == codes.end()) codes.push_back(c);
  }
  std::string out;
  for (uint32_t c : codes) {
    if (!out.empty()) out += "、";
    out += s.str(c);
  }
  return out;
}

// Registered names of some beneficiaries (one pass over persons, so no full
// index is built for the few persons a model reports); the name on the
// payment when the person is not registered.
class NameBook {
 public:
  NameBook(const Snapshot& s, const std::vector<uint32_t>& ids)
      : s_(&s), rows_(PersonRowsOf(s, ids)) {}
  std::string Of(const Table& w, size_t r) const {
    auto it = rows_.find(w.col("beneficiary_id_number").codes[r]);
    if (it != rows_.end()) {
      std::string_view n = s_->str(s_->at("persons").col("name").codes[it->second]);
      if (!n.empty()) return std::string(n);
    }
    return std::string(s_->str(w.col("beneficiary_name").codes[r]));
  }

 private:
  const Snapshot* s_;
  std::unordered_map<uint32_t, uint32_t> rows_;
};

template <typename Map>
std::vector<uint32_t> KeysOf(const Map& m) {
  std::vector<uint32_t> out;
  for (const auto& kv : m) out.push_back(kv.first);
  return out;
}

void SortByPeriod(const Table& w, std::vector<uint32_t>* rows) {
  const auto& period = w.col("period").ints;
  std::sort(rows->begin(), rows->end(), [&](uint32_t a, uint32_t b) {
    if (period[a] != period[b]) return period[a] < period[b];
    return a < b;
  });
}

const std::vector<std::string> kPaymentEvidence = {
    "program", "beneficiary_id_number", "beneficiary_name", "period", "pay_date",
    "amount",  "bank_account",          "handler_id_number"};

const std::vector<std::string> kWelfareColumns = {
    "program", "beneficiary_id_number", "beneficiary_name", "household_id", "period", "pay_date",
    "amount",  "bank_account",          "handler_id_number"};

// 公职人员领取低保等: a means-tested payment whose beneficiary was in post as an
// official on the pay date (or, without a pay date, during the period paid).
std::unique_ptr<Model> WelfareToOfficial() {
  ModelInfo info;
  info.id = "welfare_to_official";
  info.name_zh = "公职人员领取低保等救助资金";
  info.name_en = "Means-tested welfare paid to officials";
  info.family = "welfare";
  info.detects =
      "领取城乡低保、特困供养、临时救助等经济状况核查类救助资金时，本人正在公职人员岗位任职。";
  info.basis =
      "救助发放 × 公职人员信息比对：公职人员有稳定工资收入，不符合最低生活保障等救助条件"
      "（《社会救助暂行办法》《最低生活保障审核确认办法》），各地纪委通报的“公职人员违规领取低保”"
      "典型问题。";
  info.severity = Severity::kHigh;
  info.inputs = {{"welfare", kWelfareColumns}};
  AddInputs(&info.inputs, Officials::Inputs());
  AddInputs(&info.inputs, Households::Inputs());
  info.params = {MeansTestedParam()};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& w = s.at("welfare");
    Officials officials(s);
    ProgramSet programs(s, ctx.params.List("programs"));
    const auto& ben = w.col("beneficiary_id_number").codes;
    const auto& program = w.col("program").codes;
    const auto& pay_date = w.col("pay_date").ints;
    const auto& period = w.col("period").ints;
    // beneficiary → (payments, official rows proving the post)
    struct Hit {
      std::vector<uint32_t> rows;
      std::vector<uint32_t> posts;
    };
    std::map<uint32_t, Hit> hits;  // ordered by code for a stable output order
    for (size_t r = 0; r < w.size(); ++r) {
      if (!officials.IsOfficial(ben[r]) || !programs.Contains(program[r])) continue;
      int64_t post = kNoRow;
      if (pay_date[r] != kNull) {
        post = officials.PostOn(ben[r], pay_date[r]);
      } else if (period[r] != kNull) {
        post =
            officials.PostDuring(ben[r], FirstDayOfPeriod(period[r]), LastDayOfPeriod(period[r]));
      }
      if (post == kNoRow) continue;
      Hit& h = hits[ben[r]];
      h.rows.push_back(static_cast<uint32_t>(r));
      if (std::find(h.posts.begin(), h.posts.end(), post) == h.posts.end()) {
        h.posts.push_back(static_cast<uint32_t>(post));
      }
    }
    NameBook names(s, KeysOf(hits));
    for (auto& [id, h] : hits) {
      SortByPeriod(w, &h.rows);
      std::string name = names.Of(w, h.rows[0]);
      int64_t total = SumAmount(w, h.rows);
      Finding f;
      f.identity = std::string(s.str(id));
      f.subject = {"persons", std::string(s.str(id)), name};
      f.amount_fen = total;
      f.score = ScaleScore(75, static_cast<double>(h.rows.size()), 12);
      for (uint32_t o : h.posts) {
        f.evidence.push_back(MakeEvidence(s, officials.table(), o, Officials::EvidenceColumns()));
      }
      for (uint32_t r : h.rows) f.evidence.push_back(MakeEvidence(s, w, r, kPaymentEvidence));
      uint32_t o = h.posts[0];
      std::string post_text = std::string(officials.Org(o));
      std::string_view position = s.str(officials.table().col("position").codes[o]);
      if (!position.empty()) post_text += std::string(position);
      int64_t start = officials.table().col("start_date").ints[o];
      f.summary = MaskedName(name) + "系" + post_text + "在职人员" +
                  (start != kNull ? "（" + DayText(start) + "起任职）" : std::string()) + "，" +
                  PeriodRangeText(w, h.rows) + "仍领取" + ProgramsText(s, w, h.rows) +
                  std::to_string(h.rows.size()) + "笔共" + Yuan(total) + "元";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 经办人优亲厚友: the clerk or cadre who approved a payment is the beneficiary's
// household member or declared relative (a conflict that requires 回避).
std::unique_ptr<Model> WelfareRelatedToHandler() {
  ModelInfo info;
  info.id = "welfare_related_to_handler";
  info.name_zh = "经办人为亲属审批发放民生资金";
  info.name_en = "Welfare approved by the beneficiary's relative";
  info.family = "welfare";
  info.detects = "民生资金的经办人与领取人同属一户（户籍户号相同），或领取人是经办人申报的亲属。";
  info.basis =
      "《最低生活保障审核确认办法》要求经办人员和村（居）委会干部近亲属申请救助须备案、"
      "经办人应回避；“优亲厚友”、为亲属违规审批救助是各地纪委通报的典型问题。";
  info.severity = Severity::kHigh;
  info.inputs = {{"welfare", kWelfareColumns}};
  AddInputs(&info.inputs, Households::Inputs());
  AddInputs(&info.inputs, Relatives::Inputs());
  AddInputs(&info.inputs, Officials::Inputs());
  info.params = {{"programs", "", "适用的救助项目（留空为全部项目）",
                  "programmes the rule applies to (empty: all)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& w = s.at("welfare");
    Households hh(s);
    Relatives rel(s);
    Officials officials(s);
    ProgramSet programs(s, ctx.params.List("programs"));
    const auto& ben = w.col("beneficiary_id_number").codes;
    const auto& handler = w.col("handler_id_number").codes;
    const auto& program = w.col("program").codes;
    struct Hit {
      std::vector<uint32_t> rows;
      int64_t declared = kNoRow;  // relatives row
      bool household = false;
    };
    // (handler, beneficiary) → hit; the relation is cached per pair, so each
    // pair is looked up once however many months it was paid.
    std::map<std::pair<uint32_t, uint32_t>, Hit> hits;
    std::unordered_map<uint64_t, bool> related;
    for (size_t r = 0; r < w.size(); ++r) {
      uint32_t h = handler[r], b = ben[r];
      if (h == kNoString || b == kNoString || h == b) continue;
      uint64_t pair = (uint64_t{h} << 32) | b;
      auto it = related.find(pair);
      if (it == related.end()) {
        int64_t decl = rel.Declared(h, b);
        if (decl == kNoRow) decl = rel.Declared(b, h);
        bool same = hh.SameHousehold(h, b);
        bool any = decl != kNoRow || same;
        it = related.emplace(pair, any).first;
        if (any) {
          Hit& x = hits[{h, b}];
          x.declared = decl;
          x.household = same;
        }
      }
      if (!it->second || !programs.Contains(program[r])) continue;
      hits[{h, b}].rows.push_back(static_cast<uint32_t>(r));
    }
    for (auto& [k, x] : hits) {
      if (x.rows.empty()) continue;
      auto [h, b] = k;
      SortByPeriod(w, &x.rows);
      std::string name(hh.Name(b));
      if (name.empty()) name = std::string(s.str(w.col("beneficiary_name").codes[x.rows[0]]));
      std::string handler_name(hh.Name(h));
      if (handler_name.empty()) {
        if (const auto& orows = officials.RowsOf(h); !orows.empty()) {
          handler_name = std::string(officials.Name(orows[0]));
        }
      }
      int64_t total = SumAmount(w, x.rows);
      Finding f;
      f.identity = std::string(s.str(h)) + "|" + std::string(s.str(b));
      f.subject = {"persons", std::string(s.str(b)), name};
      f.amount_fen = total;
      f.score = ScaleScore(x.declared != kNoRow && x.household ? 80 : 70,
                           static_cast<double>(x.rows.size()), 12);
      std::string relation;
      if (x.declared != kNoRow) {
        f.evidence.push_back(MakeEvidence(s, rel.table(), static_cast<size_t>(x.declared),
                                          Relatives::EvidenceColumns()));
        relation =
            "申报的亲属（" + std::string(rel.Relation(static_cast<uint32_t>(x.declared))) + "）";
      }
      if (x.household) {
        for (uint32_t id : {h, b}) {
          f.evidence.push_back(MakeEvidence(s, hh.table(), static_cast<size_t>(hh.PersonRow(id)),
                                            Households::EvidenceColumns()));
        }
        if (relation.empty()) relation = "同户家庭成员";
      }
      for (uint32_t r : x.rows) f.evidence.push_back(MakeEvidence(s, w, r, kPaymentEvidence));
      f.summary = "经办人" + MaskedName(handler_name) + "为其" + relation + MaskedName(name) +
                  "经办发放" + ProgramsText(s, w, x.rows) + "，" + PeriodRangeText(w, x.rows) +
                  "共" + std::to_string(x.rows.size()) + "笔" + Yuan(total) + "元";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 低保对象经济状况不符: a beneficiary of a means-tested programme who, when
// paid, held a live company, owned a car, or owned several homes.
std::unique_ptr<Model> WelfareWealthyBeneficiary() {
  ModelInfo info;
  info.id = "welfare_wealthy_beneficiary";
  info.name_zh = "救助对象有企业、车辆或多套房产";
  info.name_en = "Means-tested welfare paid to owners of companies, cars or several homes";
  info.family = "welfare";
  info.detects =
      "领取低保、特困供养或临时救助期间，本人是存续/在业企业的法定代表人或股东，"
      "或名下登记有机动车，或名下不动产达到设定套数。";
  info.basis =
      "《最低生活保障审核确认办法》：拥有机动车辆、经营企业、多套住房等财产状况的家庭原则上"
      "不认定为低保家庭；救助发放 × 市场主体、车辆、不动产登记比对是大数据监督的典型做法。";
  info.severity = Severity::kMedium;
  info.inputs = {
      {"welfare", kWelfareColumns},
      {"vehicles",
       {"plate", "owner_party", "owner_name", "vehicle_type", "register_date", "status"}},
      {"real_estate",
       {"property_id", "owner_id_number", "owner_name", "address", "area_m2", "register_date"}}};
  AddInputs(&info.inputs, CompanyHolders::Inputs());
  AddInputs(&info.inputs, Households::Inputs());
  info.params = {MeansTestedParam(),
                 {"min_properties", "3", "名下不动产套数下限", "homes owned, at least"},
                 {"inactive_vehicle_status", "注销,报废,灭失,被盗抢", "不计入的车辆状态",
                  "vehicle statuses that do not count as owning a car"},
                 {"exempt_vehicle_types", "残疾人,摩托,拖拉机,农用,三轮",
                  "不计入的车辆类型（包含任一词即不计，如残疾人功能性补偿代步机动车）",
                  "vehicle types that do not count (any of these words in the type)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& w = s.at("welfare");
    const Table& veh = s.at("vehicles");
    const Table& re = s.at("real_estate");
    CompanyHolders holders(s);
    ProgramSet programs(s, ctx.params.List("programs"));
    const int64_t min_props = std::max<int64_t>(1, ctx.params.Int("min_properties"));
    std::set<std::string> inactive;
    for (const std::string& v : ctx.params.List("inactive_vehicle_status")) {
      inactive.insert(NormalizeForCompare(v));
    }
    const std::vector<std::string> exempt_types = ctx.params.List("exempt_vehicle_types");
    const auto& ben = w.col("beneficiary_id_number").codes;
    const auto& program = w.col("program").codes;
    // Means-tested beneficiaries, then only their cars and homes: the asset
    // registers are large and mostly about other people.
    std::vector<uint32_t> bens;
    for (size_t r = 0; r < w.size(); ++r) {
      if (ben[r] != kNoString && programs.Contains(program[r])) bens.push_back(ben[r]);
    }
    std::sort(bens.begin(), bens.end());
    bens.erase(std::unique(bens.begin(), bens.end()), bens.end());
    auto owned_by_bens = [&](const Table& t, const char* owner_col) {
      std::unordered_map<uint32_t, std::vector<uint32_t>> out;
      const auto& owner = t.col(owner_col).codes;
      for (size_t r = 0; r < t.size(); ++r) {
        if (std::binary_search(bens.begin(), bens.end(), owner[r])) {
          out[owner[r]].push_back(static_cast<uint32_t>(r));
        }
      }
      return out;
    };
    const auto veh_by_owner = owned_by_bens(veh, "owner_party");
    const auto re_by_owner = owned_by_bens(re, "owner_id_number");
    auto rows_of = [](const std::unordered_map<uint32_t, std::vector<uint32_t>>& m,
                      uint32_t b) -> const std::vector<uint32_t>& {
      static const std::vector<uint32_t> kEmpty;
      auto it = m.find(b);
      return it == m.end() ? kEmpty : it->second;
    };
    const auto& veh_date = veh.col("register_date").ints;
    const auto& veh_status = veh.col("status").codes;
    const auto& veh_type = veh.col("vehicle_type").codes;
    // Whether a vehicle counts: not deregistered/scrapped, not an exempt type
    // (the 审核确认办法 exempts disabled people's mobility vehicles; localities
    // commonly exempt motorcycles and farm vehicles).
    auto counts = [&](uint32_t v) {
      if (veh_status[v] != kNoString && inactive.count(NormalizeForCompare(s.str(veh_status[v])))) {
        return false;
      }
      std::string type = NormalizeForCompare(s.str(veh_type[v]));
      for (const std::string& x : exempt_types) {
        if (type.find(x) != std::string::npos) return false;
      }
      return true;
    };
    const auto& re_date = re.col("register_date").ints;
    const auto& re_prop = re.col("property_id").codes;
    // Rows of means-tested payments per beneficiary who has any asset at all.
    std::map<uint32_t, std::vector<uint32_t>> by_ben;
    for (size_t r = 0; r < w.size(); ++r) {
      uint32_t b = ben[r];
      if (b == kNoString) continue;
      if (!programs.Contains(program[r])) continue;
      if (!veh_by_owner.count(b) && holders.ByHolder(b).empty() &&
          rows_of(re_by_owner, b).size() < static_cast<size_t>(min_props)) {
        continue;
      }
      by_ben[b].push_back(static_cast<uint32_t>(r));
    }
    NameBook names(s, KeysOf(by_ben));
    for (auto& [b, rows] : by_ben) {
      SortByPeriod(w, &rows);
      std::vector<uint32_t> paid;       // payments made while wealthy
      std::set<size_t> companies_used;  // indexes into holders.ByHolder(b)
      std::set<uint32_t> cars_used, homes_used;
      const auto& holds = holders.ByHolder(b);
      for (uint32_t r : rows) {
        int64_t day = PaymentDay(w, r);
        if (day == kNull) continue;
        bool wealthy = false;
        for (size_t i = 0; i < holds.size(); ++i) {
          const Holding& h = holds[i];
          if (holders.LiveOn(h.company_row, day) && CompanyHolders::ActiveOn(h, day)) {
            companies_used.insert(i);
            wealthy = true;
          }
        }
        for (uint32_t v : rows_of(veh_by_owner, b)) {
          if (veh_date[v] != kNull && veh_date[v] > day) continue;
          if (!counts(v)) continue;
          cars_used.insert(v);
          wealthy = true;
        }
        // Distinct properties registered by the day (a unit may be listed twice).
        std::vector<uint32_t> props, prop_rows;
        for (uint32_t h : rows_of(re_by_owner, b)) {
          if (re_date[h] != kNull && re_date[h] > day) continue;
          if (std::find(props.begin(), props.end(), re_prop[h]) != props.end()) continue;
          props.push_back(re_prop[h]);
          prop_rows.push_back(h);
        }
        if (static_cast<int64_t>(props.size()) >= min_props) {
          homes_used.insert(prop_rows.begin(), prop_rows.end());
          wealthy = true;
        }
        if (wealthy) paid.push_back(r);
      }
      if (paid.empty()) continue;
      std::string name = names.Of(w, paid[0]);
      int64_t total = SumAmount(w, paid);
      Finding f;
      f.identity = std::string(s.str(b));
      f.subject = {"persons", std::string(s.str(b)), name};
      f.amount_fen = total;
      int reasons = (companies_used.empty() ? 0 : 1) + (cars_used.empty() ? 0 : 1) +
                    (homes_used.empty() ? 0 : 1);
      f.score = ScaleScore(55 + 10 * (reasons - 1), static_cast<double>(paid.size()), 24);
      std::vector<std::string> facts;
      for (size_t i : companies_used) {
        const Holding& h = holds[i];
        holders.AppendEvidence(h, &f.evidence);
        facts.push_back("是" + std::string(holders.CompanyName(h.company_row)) +
                        CompanyHolders::RoleText(h));
      }
      if (!cars_used.empty()) {
        std::string plates;
        for (uint32_t v : cars_used) {
          f.evidence.push_back(MakeEvidence(
              s, veh, v,
              {"plate", "owner_party", "owner_name", "vehicle_type", "register_date", "status"}));
          if (!plates.empty()) plates += "、";
          plates += s.str(veh.key_code(v));
        }
        facts.push_back("名下有机动车" + std::to_string(cars_used.size()) + "辆（" + plates + "）");
      }
      if (!homes_used.empty()) {
        std::set<uint32_t> distinct;
        for (uint32_t h : homes_used) {
          distinct.insert(re_prop[h]);
          f.evidence.push_back(MakeEvidence(s, re, h,
                                            {"property_id", "owner_id_number", "owner_name",
                                             "address", "area_m2", "register_date"}));
        }
        facts.push_back("名下有不动产" + std::to_string(distinct.size()) + "处");
      }
      for (uint32_t r : paid) f.evidence.push_back(MakeEvidence(s, w, r, kPaymentEvidence));
      std::string joined;
      for (const std::string& x : facts) joined += (joined.empty() ? "" : "，") + x;
      f.summary = MaskedName(name) + joined + "，" + PeriodRangeText(w, paid) + "仍领取" +
                  ProgramsText(s, w, paid) + std::to_string(paid.size()) + "笔共" + Yuan(total) +
                  "元";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 重复发放: one beneficiary paid more than once by one programme for one period.
std::unique_ptr<Model> WelfareDuplicatePayment() {
  ModelInfo info;
  info.id = "welfare_duplicate_payment";
  info.name_zh = "民生资金重复发放";
  info.name_en = "Welfare paid twice for one period";
  info.family = "welfare";
  info.detects = "同一领取人、同一救助项目、同一发放月份发放两笔及以上。";
  info.basis =
      "民生资金按月（期）核定发放，同一期重复发放即多付；“重复领取”是各地民生资金专项整治"
      "和审计通报的典型问题。";
  info.severity = Severity::kMedium;
  info.inputs = {{"welfare", kWelfareColumns}};
  AddInputs(&info.inputs, Households::Inputs());
  info.params = {{"programs", "", "适用的救助项目（留空为全部项目）",
                  "programmes the rule applies to (empty: all)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& w = s.at("welfare");
    ProgramSet programs(s, ctx.params.List("programs"));
    const auto& ben = w.col("beneficiary_id_number").codes;
    const auto& program = w.col("program").codes;
    const auto& period = w.col("period").ints;
    const auto& amount = w.col("amount").ints;
    // Sort packed keys rather than row numbers through an indirect
    // comparator: millions of rows at prefecture scale.
    struct Key {
      uint64_t ben_period;
      uint32_t program;
      uint32_t row;
      bool operator<(const Key& o) const {
        if (ben_period != o.ben_period) return ben_period < o.ben_period;
        if (program != o.program) return program < o.program;
        return row < o.row;
      }
      bool SameGroup(const Key& o) const {
        return ben_period == o.ben_period && program == o.program;
      }
    };
    std::vector<Key> keys;
    keys.reserve(w.size());
    for (size_t r = 0; r < w.size(); ++r) {
      if (ben[r] == kNoString || period[r] == kNull || period[r] < 0) continue;
      keys.push_back({(uint64_t{ben[r]} << 32) | static_cast<uint32_t>(period[r]), program[r],
                      static_cast<uint32_t>(r)});
    }
    std::sort(keys.begin(), keys.end());
    struct Group {
      std::vector<uint32_t> rows;
      int64_t total, extra_amount, extra;
    };
    std::vector<Group> groups;
    for (size_t i = 0; i < keys.size();) {
      size_t j = i + 1;
      while (j < keys.size() && keys[j].SameGroup(keys[i])) ++j;
      if (j - i < 2 || !programs.Contains(keys[i].program)) {
        i = j;
        continue;
      }
      Group g;
      for (size_t k = i; k < j; ++k) g.rows.push_back(keys[k].row);
      i = j;
      // A negative row is a reversal of an earlier payment: it cancels one.
      int64_t positives = 0, reversals = 0, largest = 0;
      g.total = 0;
      for (uint32_t r : g.rows) {
        int64_t a = amount[r] == kNull ? 0 : amount[r];
        g.total += a;
        if (a > 0) {
          ++positives;
          largest = std::max(largest, a);
        } else if (a < 0) {
          ++reversals;
        }
      }
      g.extra = positives - reversals - 1;
      if (g.extra < 1) continue;
      g.extra_amount = std::max<int64_t>(0, g.total - largest);
      groups.push_back(std::move(g));
    }
    std::vector<uint32_t> ids;
    for (const Group& g : groups) ids.push_back(ben[g.rows[0]]);
    NameBook names(s, ids);
    for (const Group& g : groups) {
      uint32_t r0 = g.rows[0];
      uint32_t b = ben[r0];
      std::string name = names.Of(w, r0);
      Finding f;
      f.identity = std::string(s.str(b)) + "|" + std::string(s.str(program[r0])) + "|" +
                   PeriodText(period[r0]);
      f.subject = {"persons", std::string(s.str(b)), name};
      f.amount_fen = g.extra_amount;
      f.score = ScaleScore(65, static_cast<double>(g.extra), 3);
      std::set<uint32_t> accounts;
      for (uint32_t r : g.rows) {
        f.evidence.push_back(MakeEvidence(s, w, r, kPaymentEvidence));
        accounts.insert(w.col("bank_account").codes[r]);
      }
      f.summary = MaskedName(name) + PeriodText(period[r0]) + "的" +
                  std::string(s.str(program[r0])) + "发放了" + std::to_string(g.rows.size()) +
                  "笔共" + Yuan(g.total) + "元" +
                  (accounts.size() > 1 ? "（转入" + std::to_string(accounts.size()) + "个账户）"
                                       : std::string()) +
                  "，多发" + Yuan(f.amount_fen) + "元";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 冒领/代领: one bank account receiving the welfare of several beneficiaries
// from different households.
std::unique_ptr<Model> WelfareSharedAccount() {
  ModelInfo info;
  info.id = "welfare_shared_account";
  info.name_zh = "多户救助资金发放至同一账户";
  info.name_en = "Welfare of several households paid into one account";
  info.family = "welfare";
  info.detects = "同一银行账号（社保卡号）接收了多名、分属不同户的领取人的民生资金。";
  info.basis =
      "民生资金应直接发放至领取人本人账户（“一卡通”）；多户资金汇入同一账户提示冒领、截留或"
      "代管挪用，是惠民惠农财政补贴资金“一卡通”专项治理的重点。";
  info.severity = Severity::kHigh;
  info.inputs = {{"welfare", kWelfareColumns}};
  AddInputs(&info.inputs, Households::Inputs());
  info.params = {
      {"min_beneficiaries", "3", "同一账户的领取人数下限", "beneficiaries per account, at least"},
      {"min_households", "2", "这些领取人分属的户数下限",
       "distinct households among them, at least"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& w = s.at("welfare");
    const size_t min_ben =
        static_cast<size_t>(std::max<int64_t>(2, ctx.params.Int("min_beneficiaries")));
    const size_t min_hh =
        static_cast<size_t>(std::max<int64_t>(1, ctx.params.Int("min_households")));
    const auto& account = w.col("bank_account").codes;
    const auto& ben = w.col("beneficiary_id_number").codes;
    const auto& wh = w.col("household_id").codes;
    // Distinct (account, beneficiary) pairs by sorting packed keys; accounts
    // with enough beneficiaries are the candidates.
    std::vector<uint64_t> pairs;
    pairs.reserve(w.size());
    for (size_t r = 0; r < w.size(); ++r) {
      if (account[r] == kNoString || ben[r] == kNoString) continue;
      pairs.push_back((uint64_t{account[r]} << 32) | ben[r]);
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    std::map<uint32_t, std::vector<uint32_t>> rows_by_account;
    std::vector<uint32_t> candidates;  // beneficiaries of candidate accounts
    for (size_t i = 0; i < pairs.size();) {
      size_t j = i + 1;
      while (j < pairs.size() && (pairs[j] >> 32) == (pairs[i] >> 32)) ++j;
      if (j - i >= min_ben) {
        rows_by_account[static_cast<uint32_t>(pairs[i] >> 32)];
        for (size_t k = i; k < j; ++k) candidates.push_back(static_cast<uint32_t>(pairs[k]));
      }
      i = j;
    }
    if (rows_by_account.empty()) return Status::OK();
    for (size_t r = 0; r < w.size(); ++r) {
      if (account[r] == kNoString || ben[r] == kNoString) continue;
      auto it = rows_by_account.find(account[r]);
      if (it != rows_by_account.end()) it->second.push_back(static_cast<uint32_t>(r));
    }
    NameBook names_book(s, candidates);
    std::unordered_map<uint32_t, uint32_t> person_rows = PersonRowsOf(s, candidates);
    const auto& person_household = s.at("persons").col("household_id").codes;
    for (auto& [a, rows] : rows_by_account) {
      // Household of each beneficiary: the registry's, else the one on the
      // payment, else the person alone (unknown households cannot be merged).
      std::map<uint32_t, uint64_t> household_of;
      for (uint32_t r : rows) {
        if (household_of.count(ben[r])) continue;
        auto pr = person_rows.find(ben[r]);
        uint32_t h = pr != person_rows.end() ? person_household[pr->second] : kNoString;
        if (h == kNoString) h = wh[r];
        household_of[ben[r]] = h != kNoString ? h : (uint64_t{1} << 32) | ben[r];
      }
      std::set<uint64_t> households;
      for (const auto& [b, h] : household_of) households.insert(h);
      if (household_of.size() < min_ben || households.size() < min_hh) continue;
      SortByPeriod(w, &rows);
      int64_t total = SumAmount(w, rows);
      std::string acct(s.str(a));
      std::string tail = acct.size() > 4 ? acct.substr(acct.size() - 4) : acct;
      Finding f;
      f.identity = acct;
      f.subject = {"bank_accounts", acct, "尾号" + tail + "的账户"};
      f.amount_fen = total;
      f.score = ScaleScore(65, static_cast<double>(household_of.size() - min_ben + 1), 4);
      for (uint32_t r : rows) f.evidence.push_back(MakeEvidence(s, w, r, kPaymentEvidence));
      std::string names;
      int shown = 0;
      for (const auto& [b, h] : household_of) {
        if (shown++ == 3) {
          names += "等";
          break;
        }
        if (!names.empty()) names += "、";
        for (uint32_t r : rows) {
          if (ben[r] == b) {
            names += MaskedName(names_book.Of(w, r));
            break;
          }
        }
      }
      f.summary = "尾号" + tail + "的账户接收了" + names + std::to_string(household_of.size()) +
                  "名领取人（分属" + std::to_string(households.size()) + "户）的" +
                  ProgramsText(s, w, rows) + "，" + PeriodRangeText(w, rows) + "共" +
                  std::to_string(rows.size()) + "笔" + Yuan(total) + "元";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

}  // namespace

void RegisterWelfareModels(ModelList* out) {
  out->push_back(WelfareAfterDeath());
  out->push_back(WelfareToOfficial());
  out->push_back(WelfareRelatedToHandler());
  out->push_back(WelfareWealthyBeneficiary());
  out->push_back(WelfareDuplicatePayment());
  out->push_back(WelfareSharedAccount());
}

}  // namespace qf::models
