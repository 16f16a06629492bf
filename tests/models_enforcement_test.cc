// Enforcement models (行政执法): quality on the synthetic city, and edge cases
// on small hand-built data.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "ingest/identifiers.h"
#include "model_test_util.h"

namespace qf {
namespace {

using qf::testing::ExpectQuality;
using qf::testing::RunOnCity;
using qf::testing::ScratchDir;

TEST(EnforcementModels, PenaltyWithoutAv) {
  auto r = RunOnCity("penalty_without_av");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("全过程"), std::string::npos);
}

// The quality bar, except that a lead on a record planted for ANOTHER kind
// that really breaks this model's rule too counts as correct: the generator
// sometimes breaks one rule while planting another (seed 7 plants
// penalty_without_av case FXZF2024-012-02316 with its publication 13 working
// days after closure, a genuine late publication). Leads on records no
// planted anomaly names still count as false.
void ExpectQualityCountingCrossKind(qf::testing::ModelOnCity r) {
  const auto& truth = qf::testing::SharedCity().truth;
  std::set<std::pair<std::string, std::string>> other_kind;
  for (const auto& t : truth) {
    if (t.kind == r.quality.model) continue;
    for (const auto& k : t.keys) other_kind.insert(k);
  }
  std::vector<std::string> still_false;
  for (const std::string& lead : r.quality.false_leads) {
    int n = std::stoi(lead.substr(lead.rfind('#') + 1));
    const auto& f = r.findings[static_cast<size_t>(n)];
    bool cross = std::any_of(f.evidence.begin(), f.evidence.end(), [&](const auto& e) {
      return other_kind.count({e.dataset, e.key}) != 0;
    });
    if (cross) {
      ++r.quality.correct;
      std::printf("  note: %s flags %s, planted for another kind: %s\n", r.quality.model.c_str(),
                  f.identity.c_str(), f.summary.c_str());
    } else {
      still_false.push_back(lead);
    }
  }
  r.quality.false_leads = still_false;
  ExpectQuality(r);
}

TEST(EnforcementModels, LatePublication) {
  auto r = RunOnCity("late_publication");
  ExpectQualityCountingCrossKind(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("工作日"), std::string::npos);
}

TEST(EnforcementModels, InspectorConflict) {
  auto r = RunOnCity("inspector_conflict");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("回避"), std::string::npos);
}

TEST(EnforcementModels, InspectionImbalance) {
  auto r = RunOnCity("inspection_imbalance");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("双随机"), std::string::npos);
}

// A valid ID number for a person born on 1980-01-01 with sequence `n`.
std::string Id(int n) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "21090219800101%03d", n);
  return std::string(first17) + IdNumberCheckChar(first17);
}

// A valid credit code with serial `n`.
std::string Credit(int n) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "91210902MA%07d", n);
  return std::string(first17) + CreditCodeCheckChar(first17);
}

class EnforcementSmall : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Open(dir_.File("t.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  // One enforcement case; empty strings leave a column blank.
  void Case(const std::string& id, const std::string& kind, const std::string& target,
            const std::string& inspectors, const std::string& started,
            const std::string& closed = "", const std::string& av = "",
            const std::string& published = "", const std::string& source = "",
            const std::string& org = "市场监督管理局", const std::string& penalty = "") {
    cases_ += id + "," + org + "," + target + "," + inspectors + "," + kind + "," + started + "," +
              closed + ",," + penalty + "," + av + "," + published + "," + source + "\n";
  }

  void Import(const std::string& dataset, const std::string& csv) {
    std::string path = dir_.Write(dataset + ".csv", csv);
    Importer imp(store_.get());
    auto rep = imp.ImportFile(dataset, path, {});
    ASSERT_TRUE(rep.ok()) << rep.status().ToString();
    EXPECT_EQ(rep.value()[0].quarantined, 0) << dataset;
  }

  std::vector<engine::Finding> Run(const std::string& model) {
    Import("enforcement",
           "case_id,org,target_party,inspector_id_numbers,kind,started_at,closed_at,result,"
           "penalty_amount,has_av_record,published_at,source\n" +
               cases_);
    const engine::Model* m = engine::FindBuiltinModel(model);
    EXPECT_NE(m, nullptr);
    if (!m) return {};
    auto snap = engine::Snapshot::Load(store_->db(), m->info().inputs);
    EXPECT_TRUE(snap.ok());
    if (!snap.ok()) return {};
    auto runs = engine::RunModels(*snap.value(), {m}, engine::Settings());
    EXPECT_TRUE(runs[0].status.ok()) << runs[0].status.ToString();
    auto out = std::move(runs[0].findings);
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.identity < b.identity; });
    return out;
  }

  static std::vector<std::string> Ids(const std::vector<engine::Finding>& f) {
    std::vector<std::string> out;
    for (const auto& x : f) out.push_back(x.identity);
    return out;
  }

  ScratchDir dir_;
  std::unique_ptr<Store> store_;
  std::string cases_;
};

TEST_F(EnforcementSmall, PenaltyWithoutAv) {
  std::string insp = Id(1) + ";" + Id(2);
  Case("C1", "处罚", Credit(1), insp, "2024-03-01 09:00", "2024-03-05 10:00", "否", "", "", "局",
       "\"150,000.00\"");
  Case("C2", "强制", Credit(2), insp, "2024-03-01 09:00", "2024-03-05 10:00", "");
  Case("C3", "处罚", Credit(3), insp, "2024-03-01 09:00", "2024-03-05 10:00", "是");
  Case("C4", "检查", Credit(4), insp, "2024-03-01 09:00", "2024-03-05 10:00", "否");
  Case("C5", "强制", Credit(5), insp, "2024-03-01 09:00", "2024-03-05 10:00", "1");
  auto f = Run("penalty_without_av");
  EXPECT_EQ(Ids(f), (std::vector<std::string>{"C1", "C2"}));
  ASSERT_FALSE(f.empty());
  EXPECT_EQ(f[0].amount_fen, 15000000);
  EXPECT_EQ(f[0].score, 100);
}

TEST_F(EnforcementSmall, LatePublicationCountsWorkingDaysAcrossNationalDay) {
  // Closed Friday 2024-09-27. Working days after it: 09-29 (a swapped working
  // Sunday), 09-30, then 10-08 … 10-11 and 10-12 (a swapped working Saturday)
  // is the 7th.
  std::string insp = Id(1) + ";" + Id(2);
  std::string t = Credit(1);
  Case("P1", "处罚", t, insp, "2024-09-20 09:00", "2024-09-27 16:00", "是", "2024-10-12 17:00");
  Case("P2", "处罚", t, insp, "2024-09-20 09:00", "2024-09-27 16:00", "是", "2024-10-14 09:00");
  Case("L1", "许可", t, insp, "2024-09-20 09:00", "2024-09-27 16:00", "", "2024-10-13 09:00");
  Case("K1", "检查", t, insp, "2024-09-20 09:00", "2024-09-27 16:00", "", "2024-12-01 09:00");
  // Never published: late by the data's latest date (2024-12-20) …
  Case("L2", "许可", t, insp, "2024-11-01 09:00", "2024-11-04 16:00");
  // … unless its deadline has not passed yet.
  Case("L3", "许可", t, insp, "2024-12-16 09:00", "2024-12-18 16:00");
  Case("K2", "检查", t, insp, "2024-12-20 09:00", "2024-12-20 16:00", "", "2024-12-20 17:00");
  auto f = Run("late_publication");
  EXPECT_EQ(Ids(f), (std::vector<std::string>{"L1", "L2", "P2"}));
  for (const auto& x : f) {
    if (x.identity == "L2") {
      EXPECT_NE(x.summary.find("仍未公示"), std::string::npos) << x.summary;
    }
  }
}

TEST_F(EnforcementSmall, InspectorConflict) {
  // Household H1: inspector Id(1) and his wife Id(2). Inspector Id(3) declares
  // Id(4) (another household) as a relative. Id(5), Id(6) are unrelated.
  Import("persons", "id_number,name,household_id,relation_to_head\n" + Id(1) + ",王大明,H1,户主\n" +
                        Id(2) + ",李小红,H1,配偶\n" + Id(3) + ",张三,H2,户主\n" + Id(4) +
                        ",张四,H3,户主\n" + Id(5) + ",赵五,H4,户主\n" + Id(6) + ",钱六,H5,户主\n");
  Import("relatives",
         "official_id_number,relative_id_number,relation\n" + Id(3) + "," + Id(4) + ",兄弟姐妹\n");
  Import("companies", "credit_code,name,legal_rep_id_number\n" + Credit(1) + ",甲公司," + Id(2) +
                          "\n" + Credit(2) + ",乙公司," + Id(5) + "\n" + Credit(3) + ",丙公司," +
                          Id(6) + "\n");
  // Id(4) held 乙公司 until 2023; Id(1) holds 丙公司 since 2024-06-01.
  Import("shareholders", "credit_code,holder_party,share_ratio,start_date,end_date\n" + Credit(2) +
                             "," + Id(4) + ",30%,2020-01-01,2023-12-31\n" + Credit(3) + "," +
                             Id(1) + ",0.5,2024-06-01,\n");
  Case("E1", "检查", Credit(1), Id(1) + ";" + Id(5), "2024-03-01 09:00");  // wife's company
  Case("E2", "检查", Credit(2), Id(3) + ";" + Id(6), "2024-03-01 09:00");  // brother left in 2023
  Case("E3", "检查", Credit(2), Id(3) + ";" + Id(6), "2023-03-01 09:00");  // … but held it then
  Case("E4", "检查", Id(4), Id(3) + ";" + Id(6), "2024-03-01 09:00");      // target is a relative
  Case("E5", "检查", Credit(3), Id(1) + ";" + Id(5), "2024-03-01 09:00");  // before he held it
  Case("E6", "检查", Credit(3), Id(1) + ";" + Id(5), "2024-07-01 09:00");  // holds it himself
  Case("E7", "检查", Credit(3), Id(5) + ";" + Id(4), "2024-07-01 09:00");  // unrelated
  auto f = Run("inspector_conflict");
  EXPECT_EQ(Ids(f), (std::vector<std::string>{"E1", "E3", "E4", "E6"}));
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].subject.key, Id(1));
  EXPECT_NE(f[0].summary.find("同户家庭成员"), std::string::npos) << f[0].summary;
  auto has = [](const engine::Finding& x, const std::string& ds, const std::string& key) {
    return std::any_of(x.evidence.begin(), x.evidence.end(),
                       [&](const auto& e) { return e.dataset == ds && e.key == key; });
  };
  EXPECT_TRUE(has(f[0], "companies", Credit(1)));
  EXPECT_TRUE(has(f[0], "persons", Id(2)));
  EXPECT_TRUE(has(f[1], "shareholders", Credit(2) + "|" + Id(4)));
  EXPECT_TRUE(has(f[1], "relatives", Id(3) + "|" + Id(4)));
  EXPECT_NE(f[2].summary.find("被检查人是"), std::string::npos) << f[2].summary;
  EXPECT_NE(f[3].summary.find("本人"), std::string::npos) << f[3].summary;
}

TEST_F(EnforcementSmall, InspectorConflictNamesEachPersonOnce) {
  // The wife is both in the inspector's household and declared as 配偶: one fact.
  Import("persons", "id_number,name,household_id,relation_to_head\n" + Id(1) + ",王大明,H1,户主\n" +
                        Id(2) + ",李小红,H1,配偶\n");
  Import("relatives",
         "official_id_number,relative_id_number,relation\n" + Id(1) + "," + Id(2) + ",配偶\n");
  Import("companies",
         "credit_code,name,legal_rep_id_number\n" + Credit(1) + ",甲公司," + Id(2) + "\n");
  Import("shareholders",
         "credit_code,holder_party,share_ratio\n" + Credit(1) + "," + Id(2) + ",1\n");
  Case("E1", "处罚", Credit(1), Id(1) + ";" + Id(9), "2024-03-01 09:00");
  auto f = Run("inspector_conflict");
  ASSERT_EQ(f.size(), 1u);
  const std::string& sum = f[0].summary;
  EXPECT_NE(sum.find("申报亲属（配偶）李某某系被检查企业甲公司的法定代表人、股东"),
            std::string::npos)
      << sum;
  EXPECT_EQ(sum.find("同户家庭成员"), std::string::npos) << sum;
}

TEST_F(EnforcementSmall, InspectionImbalance) {
  // Org A, 2024: ten random draws by six inspectors; Id(1) is on five (50 %),
  // Id(2) on four; target T1 drawn three times, T2 twice. A 投诉举报 case on
  // T2 does not count as a draw.
  std::vector<std::string> others = {Id(3), Id(4), Id(5), Id(6)};
  for (int i = 0; i < 10; ++i) {
    std::string a = i < 5 ? Id(1) : others[i % 4];
    std::string b = i < 4 ? others[(i + 1) % 4] : (i < 8 ? Id(2) : others[(i + 2) % 4]);
    std::string target = i < 3 ? Credit(1) : i < 5 ? Credit(2) : Credit(10 + i);
    char when[32];
    std::snprintf(when, sizeof when, "2024-%02d-10 09:00", i + 1);
    Case("A" + std::to_string(i), "检查", target, a + ";" + b, when, "", "", "", "双随机", "甲局");
  }
  Case("A99", "检查", Credit(2), Id(3) + ";" + Id(4), "2024-12-01 09:00", "", "", "", "投诉举报",
       "甲局");
  // Org B, 2024: eight draws by two inspectors: too few inspectors and cases
  // for the share rule.
  for (int i = 0; i < 8; ++i) {
    char when[32];
    std::snprintf(when, sizeof when, "2024-%02d-10 09:00", i + 1);
    Case("B" + std::to_string(i), "检查", Credit(30 + i), Id(7) + ";" + Id(8), when, "", "", "",
         "双随机", "乙局");
  }
  auto f = Run("inspection_imbalance");
  EXPECT_EQ(Ids(f), (std::vector<std::string>{"inspector|甲局|2024|" + Id(1),
                                              "target|甲局|2024|" + Credit(1)}));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].evidence.size(), 5u);
  EXPECT_EQ(f[1].evidence.size(), 3u);
}

}  // namespace
}  // namespace qf
