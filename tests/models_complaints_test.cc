// Complaints models (12345): quality on the synthetic city, and hand-built
// cases for the time limits on the official calendar, extensions (延期),
// redos (重办), the 60-day repeat window and the organisation ranking.
#include <gtest/gtest.h>

#include <map>

#include "ingest/importer.h"
#include "model_test_util.h"
#include "models/common.h"

namespace qf {
namespace {

using qf::testing::ExpectQuality;
using qf::testing::RunOnCity;
using qf::testing::ScratchDir;

// A tiny database built from CSV text, and a runner for one model on it.
class TinyDb {
 public:
  TinyDb() {
    auto s = Store::Open(dir_.File("t.db"));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  void Import(const std::string& dataset, const std::string& csv) {
    std::string path = dir_.Write(dataset + ".csv", csv);
    Importer imp(store_.get());
    auto r = imp.ImportFile(dataset, path, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    for (const ImportReport& rep : r.value()) EXPECT_EQ(rep.quarantined, 0) << dataset;
  }
  std::map<std::string, std::string> Defaults(const engine::Model& m) {
    std::map<std::string, std::string> values;
    for (const engine::ParamDef& p : m.info().params) values[p.name] = p.default_value;
    return values;
  }
  std::unique_ptr<engine::Snapshot> Load(const std::vector<engine::Input>& inputs) {
    auto snap = engine::Snapshot::Load(store_->db(), inputs);
    EXPECT_TRUE(snap.ok()) << snap.status().ToString();
    return snap.ok() ? std::move(snap).value() : nullptr;
  }
  std::vector<engine::Finding> Run(const std::string& id,
                                   const std::map<std::string, std::string>& overrides = {}) {
    std::vector<engine::Finding> out;
    const engine::Model* m = engine::FindBuiltinModel(id);
    if (!m) {
      ADD_FAILURE() << "no model " << id;
      return out;
    }
    auto snap = Load(m->info().inputs);
    if (!snap) return out;
    auto values = Defaults(*m);
    for (const auto& [k, v] : overrides) values[k] = v;
    engine::Params params(values);
    engine::RunContext ctx{*snap, params};
    Status st = m->Run(ctx, &out);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

 private:
  ScratchDir dir_;
  std::unique_ptr<Store> store_;
};

constexpr const char* kComplaintHeader =
    "complaint_id,received_at,channel,category,region_code,caller_hash,assigned_org,closed_at,"
    "satisfaction\n";
constexpr const char* kEventHeader = "complaint_id,at,action,from_org,to_org,note\n";

std::string Order(const std::string& id, const std::string& received, const std::string& category,
                  const std::string& closed, const std::string& satisfaction = "满意",
                  const std::string& caller = "", const std::string& region = "210902",
                  const std::string& org = "阜新市司法局") {
  return id + "," + received + ",电话," + category + "," + region + "," + caller + "," + org + "," +
         closed + "," + satisfaction + "\n";
}

std::string Event(const std::string& id, const std::string& at, const std::string& action,
                  const std::string& note = "", const std::string& from = "",
                  const std::string& to = "") {
  return id + "," + at + "," + action + "," + from + "," + to + "," + note + "\n";
}

bool Flags(const std::vector<engine::Finding>& fs, const std::string& key) {
  for (const auto& f : fs) {
    for (const auto& e : f.evidence) {
      if (e.dataset == "complaints" && e.key == key) return true;
    }
  }
  return false;
}

const engine::Finding* Find(const std::vector<engine::Finding>& fs, const std::string& identity) {
  for (const auto& f : fs) {
    if (f.identity == identity) return &f;
  }
  return nullptr;
}

TEST(ComplaintsModels, Overdue) {
  auto r = RunOnCity("complaint_overdue");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("工作日"), std::string::npos);
}

TEST(ComplaintsModels, PassedAround) { ExpectQuality(RunOnCity("complaint_passed_around")); }

TEST(ComplaintsModels, Repeated) { ExpectQuality(RunOnCity("complaint_repeated")); }

TEST(ComplaintsModels, ClosedUnsatisfied) { ExpectQuality(RunOnCity("closed_unsatisfied")); }

TEST(ComplaintsModels, OrgRankingRunsOnTheCity) {
  auto r = RunOnCity("complaint_org_ranking");
  for (const auto& f : r.findings) {
    ASSERT_FALSE(f.evidence.empty());
    EXPECT_EQ(f.evidence[0].dataset, "complaint_org_ranking");
    EXPECT_FALSE(f.summary.empty());
  }
}

// 咨询 received Wed 2024-02-07: 3 working days are 02-08, 02-09 and the swapped
// working Sunday 02-18 (the Spring Festival holiday is 02-10..17).
TEST(ComplaintsModels, OverdueOnTheOfficialCalendarWithExtensions) {
  TinyDb db;
  const std::string recv = "2024-02-07 10:00";
  std::string orders = kComplaintHeader;
  orders += Order("O1", recv, "咨询", "2024-02-18 17:30");  // the last allowed day
  orders += Order("O2", recv, "咨询", "2024-02-19 09:00");
  orders += Order("O3", recv, "咨询", "2024-02-21 16:00");    // extended by 3 to 02-21
  orders += Order("O4", recv, "咨询", "2024-02-22 09:00");    // late even after it
  orders += Order("O5", recv, "咨询", "2024-02-20 09:00");    // granted after the deadline
  orders += Order("O6", recv, "咨询", "2024-02-20 09:00");    // refused
  orders += Order("O7", recv, "咨询", "2024-02-21 09:00");    // 2 days granted
  orders += Order("O8", recv, "咨询", "", "");                // never closed
  orders += Order("O9", "2024-03-27 09:00", "咨询", "", "");  // open, not yet due
  // 投诉 with a redo: the answer was on time, the redo has its own limit.
  orders += Order("O10", "2024-03-01 09:00", "投诉", "2024-03-28 10:00");
  orders += Order("O11", recv, "咨询", "2024-02-20 09:00");  // asked, never approved
  orders += Order("O12", recv, "咨询", "2024-02-21 09:00");  // the trail states the extension
  db.Import("complaints", orders);
  std::string events = kEventHeader;
  for (const char* id : {"O3", "O4"}) {
    events += Event(id, "2024-02-08 10:00:00", "延期", "申请延期办理");
    events += Event(id, "2024-02-09 10:00:00", "延期", "同意延期");
  }
  events += Event("O5", "2024-02-08 10:00:00", "延期", "申请延期办理");
  events += Event("O5", "2024-02-19 08:00:00", "延期", "同意延期");
  events += Event("O6", "2024-02-08 10:00:00", "延期", "不同意延期");
  events += Event("O7", "2024-02-08 10:00:00", "延期", "同意延期2个工作日");
  events +=
      Event("O10", "2024-03-05 10:00:00", "办结") + Event("O10", "2024-03-05 12:00:00", "回访");
  events +=
      Event("O10", "2024-03-20 10:00:00", "重办") + Event("O10", "2024-03-28 10:00:00", "办结");
  events += Event("O11", "2024-02-08 10:00:00", "延期", "申请延期办理");
  events += Event("O12", "2024-02-08 10:00:00", "延期", "延期3个工作日");
  db.Import("complaint_events", events);
  auto fs = db.Run("complaint_overdue");
  EXPECT_FALSE(Flags(fs, "O1"));
  EXPECT_TRUE(Flags(fs, "O2"));
  EXPECT_FALSE(Flags(fs, "O3"));
  EXPECT_TRUE(Flags(fs, "O4"));
  EXPECT_TRUE(Flags(fs, "O5"));
  EXPECT_TRUE(Flags(fs, "O6"));
  EXPECT_TRUE(Flags(fs, "O7"));
  EXPECT_TRUE(Flags(fs, "O8"));
  EXPECT_FALSE(Flags(fs, "O9"));
  EXPECT_FALSE(Flags(fs, "O10"));
  EXPECT_TRUE(Flags(fs, "O11"));
  EXPECT_FALSE(Flags(fs, "O12"));
  const engine::Finding* o2 = Find(fs, "O2");
  ASSERT_NE(o2, nullptr);
  EXPECT_NE(o2->summary.find("应于2024-02-18前办结"), std::string::npos) << o2->summary;
  EXPECT_NE(o2->summary.find("超期1个工作日"), std::string::npos) << o2->summary;
  const engine::Finding* o4 = Find(fs, "O4");
  ASSERT_NE(o4, nullptr);
  EXPECT_NE(o4->summary.find("经批准延期3个工作日"), std::string::npos) << o4->summary;
  EXPECT_EQ(o4->evidence.size(), 2u);  // the order and the approval
  const engine::Finding* o11 = Find(fs, "O11");
  ASSERT_NE(o11, nullptr);
  EXPECT_NE(o11->summary.find("未见批准"), std::string::npos) << o11->summary;
  EXPECT_EQ(o11->evidence.size(), 2u);  // the order and the request
  const engine::Finding* o8 = Find(fs, "O8");
  ASSERT_NE(o8, nullptr);
  EXPECT_NE(o8->summary.find("仍未办结"), std::string::npos) << o8->summary;
  // Limits are settings.
  auto loose = db.Run("complaint_overdue", {{"limit_consult_days", "10"}});
  EXPECT_FALSE(Flags(loose, "O2"));
}

TEST(ComplaintsModels, PassedAroundCountsTransfersAndReturns) {
  TinyDb db;
  db.Import("complaints", std::string(kComplaintHeader) +
                              Order("M1", "2024-03-04 09:00", "投诉", "2024-03-08 10:00") +
                              Order("M2", "2024-03-04 09:00", "投诉", "2024-03-08 10:00"));
  db.Import("complaint_events", std::string(kEventHeader) +
                                    Event("M1", "2024-03-04 10:00:00", "转派", "", "甲局", "乙局") +
                                    Event("M1", "2024-03-04 11:00:00", "退单", "", "乙局", "热线") +
                                    Event("M2", "2024-03-04 10:00:00", "转派", "", "甲局", "乙局") +
                                    Event("M2", "2024-03-04 11:00:00", "退单", "", "乙局", "热线") +
                                    Event("M2", "2024-03-04 12:00:00", "转派", "", "热线", "丙局") +
                                    Event("M2", "2024-03-04 13:00:00", "签收", "", "", "丙局"));
  auto fs = db.Run("complaint_passed_around");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].identity, "M2");
  EXPECT_EQ(fs[0].evidence.size(), 4u);
  EXPECT_NE(fs[0].summary.find("转派2次、退单1次"), std::string::npos) << fs[0].summary;
}

TEST(ComplaintsModels, RepeatedWithinSixtyDaysAfterClosure) {
  TinyDb db;
  db.Import(
      "complaints",
      std::string(kComplaintHeader) +
          // 2024-01-10 + 60 days = 2024-03-10.
          Order("R1", "2024-01-02 09:00", "投诉", "2024-01-10 10:00", "满意", "h1") +
          Order("R2", "2024-03-10 20:00", "投诉", "2024-03-12 10:00", "满意", "h1") +
          Order("R3", "2024-01-02 09:00", "投诉", "2024-01-10 10:00", "满意", "h2") +
          Order("R4", "2024-03-11 08:00", "投诉", "2024-03-12 10:00", "满意", "h2") +
          // Called again while the first order was still open.
          Order("R5", "2024-01-02 09:00", "投诉", "2024-01-20 10:00", "满意", "h3") +
          Order("R6", "2024-01-05 09:00", "投诉", "2024-01-12 10:00", "满意", "h3") +
          // Another region; another category.
          Order("R7", "2024-01-02 09:00", "投诉", "2024-01-10 10:00", "满意", "h4") +
          Order("R8", "2024-01-15 09:00", "投诉", "2024-01-18 10:00", "满意", "h4", "210903") +
          Order("R9", "2024-01-02 09:00", "投诉", "2024-01-10 10:00", "满意", "h5") +
          Order("R10", "2024-01-15 09:00", "咨询", "2024-01-16 10:00", "满意", "h5"));
  auto fs = db.Run("complaint_repeated");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_TRUE(Flags(fs, "R1"));
  EXPECT_TRUE(Flags(fs, "R2"));
  EXPECT_EQ(fs[0].identity, "h1|投诉|210902");
  EXPECT_NE(fs[0].summary.find("60天又经电话反映"), std::string::npos) << fs[0].summary;
  EXPECT_EQ(db.Run("complaint_repeated", {{"window_days", "61"}}).size(), 2u);
}

TEST(ComplaintsModels, UnsatisfiedNeedsARedo) {
  TinyDb db;
  std::string orders = kComplaintHeader;
  std::string events = kEventHeader;
  for (const char* id : {"U1", "U2", "U3", "U4", "U5"}) {
    orders += Order(id, "2024-03-04 09:00", "投诉", "2024-03-08 10:00",
                    std::string(id) == "U4" ? "满意" : "不满意");
    events += Event(id, "2024-03-06 10:00:00", "办结") + Event(id, "2024-03-06 15:00:00", "回访");
  }
  events += Event("U2", "2024-03-07 09:00:00", "重办") + Event("U2", "2024-03-08 10:00:00", "办结");
  // Redone once, revisited, still dissatisfied, not redone again.
  events += Event("U3", "2024-03-07 09:00:00", "重办") +
            Event("U3", "2024-03-08 10:00:00", "办结") + Event("U3", "2024-03-08 15:00:00", "回访");
  events += Event("U5", "2024-03-07 09:00:00", "催办");
  db.Import("complaints", orders);
  db.Import("complaint_events", events);
  auto fs = db.Run("closed_unsatisfied");
  EXPECT_TRUE(Flags(fs, "U1"));
  EXPECT_FALSE(Flags(fs, "U2"));
  EXPECT_FALSE(Flags(fs, "U3"));  // redone once; still unhappy is not "never redone"
  EXPECT_FALSE(Flags(fs, "U4"));
  EXPECT_TRUE(Flags(fs, "U5"));
  const engine::Finding* u5 = Find(fs, "U5");
  ASSERT_NE(u5, nullptr);
  EXPECT_NE(u5->summary.find("催办1次"), std::string::npos) << u5->summary;
  // The strict reading: every dissatisfied visit needs its own redo.
  auto strict = db.Run("closed_unsatisfied", {{"redo_after_last_visit", "1"}});
  EXPECT_TRUE(Flags(strict, "U3"));
  EXPECT_FALSE(Flags(strict, "U2"));
}

// Six bodies with 25 orders each: 己局 is late on 10, 戊局 leaves 8 callers
// dissatisfied; 小局 is bad at everything but has too few orders to judge.
TEST(ComplaintsModels, OrgRankingHandBuilt) {
  TinyDb db;
  std::string orders = kComplaintHeader;
  int n = 0;
  for (const std::string org : {"甲局", "乙局", "丙局", "丁局", "戊局", "己局"}) {
    for (int i = 0; i < 25; ++i) {
      bool late = org == "己局" && i < 10;
      bool unhappy = org == "戊局" && i < 8;
      orders += Order("K" + std::to_string(++n), "2024-03-04 09:00", "咨询",
                      late ? "2024-03-15 10:00" : "2024-03-05 10:00", unhappy ? "不满意" : "满意",
                      "", "210902", org);
    }
  }
  for (int i = 0; i < 5; ++i) {
    orders += Order("S" + std::to_string(i), "2024-03-04 09:00", "咨询", "2024-03-20 10:00",
                    "不满意", "", "210902", "小局");
  }
  db.Import("complaints", orders);
  db.Import("complaint_events", kEventHeader);

  const engine::Model* m = engine::FindBuiltinModel("complaint_org_ranking");
  ASSERT_NE(m, nullptr);
  auto snap = db.Load(models::ComplaintRankingInputs());
  ASSERT_TRUE(snap);
  std::map<std::string, std::string> values;
  for (const engine::ParamDef& p : models::ComplaintRankingParams())
    values[p.name] = p.default_value;
  auto ranking = models::RankComplaintOrgs(*snap, engine::Params(values));
  ASSERT_EQ(ranking.size(), 7u);
  EXPECT_EQ(ranking[4].org, "戊局");
  EXPECT_EQ(ranking[4].rank, 5);
  EXPECT_TRUE(ranking[4].low_satisfaction);
  EXPECT_FALSE(ranking[4].low_on_time);
  EXPECT_EQ(ranking[5].org, "己局");
  EXPECT_EQ(ranking[5].rank, 6);
  EXPECT_EQ(ranking[5].on_time, 15);
  EXPECT_EQ(ranking[5].overdue, 10);
  EXPECT_DOUBLE_EQ(ranking[5].on_time_rate, 0.6);
  EXPECT_EQ(ranking[5].on_time_rank, 6);
  EXPECT_TRUE(ranking[5].low_on_time);
  EXPECT_EQ(ranking[6].org, "小局");
  EXPECT_FALSE(ranking[6].eligible);
  EXPECT_EQ(ranking[6].rank, 0);
  EXPECT_FALSE(ranking[6].low_on_time);
  for (int i = 0; i < 4; ++i) {
    EXPECT_FALSE(ranking[i].low_on_time || ranking[i].low_satisfaction) << ranking[i].org;
  }
  // All others at 100 %: the IQR is floored at 5 points, the fence is 1 − 1.5 × 0.05.
  EXPECT_NEAR(ranking[0].on_time_fence, 0.925, 1e-9);

  auto fs = db.Run("complaint_org_ranking");
  ASSERT_EQ(fs.size(), 2u);
  const engine::Finding* ji = Find(fs, "己局");
  ASSERT_NE(ji, nullptr);
  ASSERT_FALSE(ji->evidence.empty());
  EXPECT_EQ(ji->evidence[0].dataset, "complaint_org_ranking");
  std::map<std::string, std::string> fields(ji->evidence[0].fields.begin(),
                                            ji->evidence[0].fields.end());
  EXPECT_EQ(fields["rank"], "6/6");
  EXPECT_EQ(fields["on_time_rate"], "60.0%");
  EXPECT_EQ(ji->evidence.size(), 11u);  // the ranking and the 10 late orders
  EXPECT_NE(ji->summary.find("按时办结率60.0%"), std::string::npos) << ji->summary;
  EXPECT_NE(ji->summary.find("低于各单位下围栏92.5%"), std::string::npos) << ji->summary;
  // The fence alone still catches 己局 when the fixed floors are off.
  auto fence_only =
      db.Run("complaint_org_ranking", {{"on_time_floor", "0"}, {"satisfaction_floor", "0"}});
  EXPECT_NE(Find(fence_only, "己局"), nullptr);
  // Smaller bodies are judged once the minimum allows them.
  EXPECT_NE(Find(db.Run("complaint_org_ranking", {{"min_orders", "5"}}), "小局"), nullptr);
}

// Two late orders are two cases, not an organisation's pattern.
TEST(ComplaintsModels, OrgRankingNeedsSeveralBadOrders) {
  TinyDb db;
  std::string orders = kComplaintHeader;
  int n = 0;
  for (const std::string org : {"甲局", "乙局", "丙局", "丁局"}) {
    for (int i = 0; i < 25; ++i) {
      bool late = org == "丁局" && i < 2;
      orders += Order("K" + std::to_string(++n), "2024-03-04 09:00", "咨询",
                      late ? "2024-03-15 10:00" : "2024-03-05 10:00", "满意", "", "210902", org);
    }
  }
  db.Import("complaints", orders);
  db.Import("complaint_events", kEventHeader);
  // 23/25 = 92 % is under a 95 % floor, but only two orders were late.
  EXPECT_TRUE(db.Run("complaint_org_ranking", {{"on_time_floor", "0.95"}}).empty());
  auto fs = db.Run("complaint_org_ranking", {{"on_time_floor", "0.95"}, {"min_bad_orders", "2"}});
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].identity, "丁局");
  EXPECT_NE(fs[0].summary.find("低于下限95.0%"), std::string::npos) << fs[0].summary;
}

}  // namespace
}  // namespace qf
