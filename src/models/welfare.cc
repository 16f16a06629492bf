// Family: welfare (民生资金). Relief paid to the dead, to officials and their
// relatives, to the wealthy, twice, or into shared accounts.
#include <algorithm>
#include <map>

#include "common/time.h"
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
  info.inputs = {{"welfare",
                  {"program", "beneficiary_id_number", "beneficiary_name", "period", "pay_date",
                   "amount"}},
                 {"deaths", {"id_number", "name", "death_date", "source"}},
                 {"persons", {"id_number", "name"}}};
  info.params = {{"grace_months", "0", "死亡当月之后的宽限月数", "months of grace after the month of death"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& w = s.at("welfare");
    const Table& d = s.at("deaths");
    const Table& p = s.at("persons");
    const int64_t grace = ctx.params.Int("grace_months");
    RowIndex death_by_id(d, "id_number");
    RowIndex person_by_id(p, "id_number");
    const Column& ben = w.col("beneficiary_id_number");
    const Column& period = w.col("period");
    const Column& pay_date = w.col("pay_date");
    const Column& amount = w.col("amount");
    const Column& program = w.col("program");
    const Column& death_date = d.col("death_date");
    // (beneficiary, programme) → payments after death
    std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>> hits;
    for (size_t r = 0; r < w.size(); ++r) {
      const auto& drows = death_by_id.rows(ben.codes[r]);
      if (drows.empty()) continue;
      int64_t died = death_date.ints[drows[0]];
      if (died == kNull) continue;
      CivilDate dc = CivilFromDays(died);
      int64_t death_month = int64_t{dc.year} * 12 + (dc.month - 1);
      bool late_period = period.ints[r] != kNull && period.ints[r] > death_month + grace;
      bool late_pay = grace == 0 && pay_date.ints[r] != kNull && pay_date.ints[r] > died;
      if (late_period || late_pay) {
        hits[{ben.codes[r], program.codes[r]}].push_back(static_cast<uint32_t>(r));
      }
    }
    for (auto& [k, rows] : hits) {
      uint32_t drow = death_by_id.rows(k.first)[0];
      std::sort(rows.begin(), rows.end(),
                [&](uint32_t a, uint32_t b) { return period.ints[a] < period.ints[b]; });
      int64_t total = 0;
      for (uint32_t r : rows) total += amount.ints[r] == kNull ? 0 : amount.ints[r];
      std::string name(s.str(w.col("beneficiary_name").codes[rows[0]]));
      if (const auto& pr = person_by_id.rows(k.first); !pr.empty()) {
        name = std::string(s.str(p.col("name").codes[pr[0]]));
      }
      Finding f;
      f.identity = std::string(s.str(k.first)) + "|" + std::string(s.str(k.second));
      f.subject = {"persons", std::string(s.str(k.first)), name};
      f.amount_fen = total;
      int64_t months_after = 0;
      {
        CivilDate dc = CivilFromDays(death_date.ints[drow]);
        int64_t dm = int64_t{dc.year} * 12 + (dc.month - 1);
        months_after = std::max<int64_t>(0, period.ints[rows.back()] - dm);
      }
      f.score = ScaleScore(70, static_cast<double>(months_after) + rows.size(), 12);
      f.evidence.push_back(MakeEvidence(s, d, drow, {"id_number", "name", "death_date", "source"}));
      for (uint32_t r : rows) {
        f.evidence.push_back(MakeEvidence(
            s, w, r, {"program", "beneficiary_id_number", "period", "pay_date", "amount"}));
      }
      std::string first = PeriodText(period.ints[rows.front()]);
      std::string last = PeriodText(period.ints[rows.back()]);
      f.summary = MaskedName(name) + "已于" + DayText(death_date.ints[drow]) + "死亡，" +
                  (first == last ? first : first + "至" + last) + "仍领取" +
                  std::string(s.str(k.second)) + std::to_string(rows.size()) + "笔共" +
                  Yuan(total) + "元";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

}  // namespace

void RegisterWelfareModels(ModelList* out) { out->push_back(WelfareAfterDeath()); }

}  // namespace qf::models
