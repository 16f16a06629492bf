// Welfare models: quality on the synthetic city, and small hand-built cases at
// the edges of each rule (tenure boundaries, thresholds, the exceptions).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "engine/model.h"
#include "engine/runner.h"
#include "engine/snapshot.h"
#include "ingest/identifiers.h"
#include "ingest/importer.h"
#include "model_test_util.h"
#include "store/store.h"
#include "test_util.h"

namespace qf {
namespace {

using qf::testing::ExpectQuality;
using qf::testing::RunOnCity;
using qf::testing::ScratchDir;

TEST(WelfareModels, AfterDeath) {
  auto r = RunOnCity("welfare_after_death");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("死亡"), std::string::npos);
}

TEST(WelfareModels, ToOfficial) {
  auto r = RunOnCity("welfare_to_official");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("在职"), std::string::npos);
}

TEST(WelfareModels, RelatedToHandler) {
  auto r = RunOnCity("welfare_related_to_handler");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("经办人"), std::string::npos);
}

TEST(WelfareModels, WealthyBeneficiary) {
  auto r = RunOnCity("welfare_wealthy_beneficiary");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("仍领取"), std::string::npos);
}

TEST(WelfareModels, DuplicatePayment) {
  auto r = RunOnCity("welfare_duplicate_payment");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("多发"), std::string::npos);
}

TEST(WelfareModels, SharedAccount) {
  auto r = RunOnCity("welfare_shared_account");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("账户"), std::string::npos);
}

// ---------------------------------------------------------------------------
// Hand-built cases.

// A valid ID number: the n-th person born 1980-01-01 in 210902.
std::string P(int n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "21090219800101%03d", n);
  return std::string(buf) + IdNumberCheckChar(buf);
}
std::string Code(const std::string& first17) { return first17 + CreditCodeCheckChar(first17); }

const char kWelfareHeader[] =
    "payment_id,program,beneficiary_id_number,beneficiary_name,household_id,period,pay_date,"
    "amount,bank_account,handler_id_number\n";
const char kDibao[] = "城乡居民最低生活保障";

class WelfareUnit : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Open(dir_.File("t.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  void Import(const std::string& dataset, const std::string& csv) {
    std::string path = dir_.Write(dataset + ".csv", csv);
    Importer imp(store_.get());
    auto r = imp.ImportFile(dataset, path, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    for (const ImportReport& rep : r.value()) EXPECT_EQ(rep.quarantined, 0) << dataset;
  }

  // One welfare row.
  void Pay(const std::string& id, const std::string& program, const std::string& ben,
           const std::string& period, const std::string& day, const std::string& amount = "500.00",
           const std::string& account = "", const std::string& handler = "",
           const std::string& household = "") {
    welfare_ << id << "," << program << "," << ben << ",某人," << household << "," << period << ","
             << day << "," << amount << "," << account << "," << handler << "\n";
  }
  void ImportWelfare() { Import("welfare", kWelfareHeader + welfare_.str()); }

  std::vector<engine::Finding> Run(const std::string& id, const std::string& settings = "{}") {
    const engine::Model* m = engine::FindBuiltinModel(id);
    EXPECT_NE(m, nullptr) << id;
    if (!m) return {};
    auto snap = engine::Snapshot::Load(store_->db(), m->info().inputs);
    EXPECT_TRUE(snap.ok()) << snap.status().ToString();
    if (!snap.ok()) return {};
    auto st = engine::Settings::Parse(settings, "test");
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    auto runs = engine::RunModels(*snap.value(), {m}, st.value());
    EXPECT_TRUE(runs[0].status.ok()) << runs[0].status.ToString();
    auto out = std::move(runs[0].findings);
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.identity < b.identity; });
    return out;
  }

  // identity → the welfare keys the finding cites, sorted.
  static std::map<std::string, std::vector<std::string>> Cited(
      const std::vector<engine::Finding>& fs) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& f : fs) {
      auto& v = out[f.identity];
      for (const auto& e : f.evidence) {
        if (e.dataset == "welfare") v.push_back(e.key);
      }
      std::sort(v.begin(), v.end());
    }
    return out;
  }

  ScratchDir dir_;
  std::unique_ptr<Store> store_;
  std::ostringstream welfare_;
};

TEST_F(WelfareUnit, ToOfficialFollowsTenure) {
  Import("officials", "id_number,name,org,position,is_leader,start_date,end_date\n" + P(1) +
                          ",甲,阜新市民政局,科员,否,2024-03-10,\n" + P(2) +
                          ",乙,阜新市民政局,科员,否,2010-01-01,2024-02-29\n" + P(3) +
                          ",丙,阜新市统计局,科员,否,2024-03-20,\n");
  Pay("W1", kDibao, P(1), "2024-03", "2024-03-09");  // the day before the post began
  Pay("W2", kDibao, P(1), "2024-04", "2024-04-08");
  Pay("W3", kDibao, P(2), "2024-02", "2024-02-29");      // the last day in post
  Pay("W4", kDibao, P(2), "2024-03", "2024-03-08");      // after leaving
  Pay("W5", "高龄津贴", P(1), "2024-05", "2024-05-08");  // not means-tested
  Pay("W6", "临时救助", P(3), "2024-03", "");            // no pay date: the period counts
  ImportWelfare();
  auto f = Run("welfare_to_official");
  auto cited = Cited(f);
  EXPECT_EQ(cited, (std::map<std::string, std::vector<std::string>>{
                       {P(1), {"W2"}}, {P(2), {"W3"}}, {P(3), {"W6"}}}));
  for (const auto& x : f) {
    EXPECT_EQ(x.evidence[0].dataset, "officials");
    EXPECT_EQ(x.amount_fen, 50000);
  }
  // The programme list is a setting.
  auto all = Cited(
      Run("welfare_to_official",
          R"({"models":{"welfare_to_official":{"programs":"城乡居民最低生活保障,高龄津贴"}}})"));
  EXPECT_EQ(all[P(1)], (std::vector<std::string>{"W2", "W5"}));
  EXPECT_EQ(all.count(P(3)), 0u);
}

TEST_F(WelfareUnit, RelatedToHandler) {
  Import("persons", "id_number,name,household_id\n" + P(10) + ",经办人,HH1\n" + P(11) +
                        ",同户,HH1\n" + P(12) + ",外人,HH2\n" + P(13) + ",子女,HH3\n");
  Import("relatives", "official_id_number,relative_id_number,relative_name,relation\n" + P(10) +
                          "," + P(13) + ",子女,子女\n");
  Pay("W1", kDibao, P(11), "2024-01", "2024-01-08", "500.00", "1", P(10));
  Pay("W2", kDibao, P(11), "2024-02", "2024-02-08", "500.00", "1", P(10));
  Pay("W3", "临时救助", P(13), "2024-01", "2024-01-20", "800.00", "2", P(10));
  Pay("W4", kDibao, P(12), "2024-01", "2024-01-08", "500.00", "3", P(10));  // unrelated
  Pay("W5", kDibao, P(10), "2024-01", "2024-01-08", "500.00", "4", P(10));  // himself
  Pay("W6", kDibao, P(12), "2024-01", "2024-01-08", "500.00", "3", "");     // no handler
  ImportWelfare();
  auto f = Run("welfare_related_to_handler");
  auto cited = Cited(f);
  EXPECT_EQ(cited, (std::map<std::string, std::vector<std::string>>{
                       {P(10) + "|" + P(11), {"W1", "W2"}}, {P(10) + "|" + P(13), {"W3"}}}));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].amount_fen, 100000);
  EXPECT_NE(f[0].summary.find("同户"), std::string::npos);
  EXPECT_NE(f[1].summary.find("子女"), std::string::npos);
  EXPECT_EQ(f[1].evidence[0].dataset, "relatives");
}

TEST_F(WelfareUnit, WealthyBeneficiary) {
  std::ostringstream homes;
  homes << "property_id,owner_id_number,register_date\n";
  for (int i = 0; i < 3; ++i) homes << "H1-" << i << "," << P(1) << ",2015-05-01\n";
  for (int i = 0; i < 2; ++i) homes << "H2-" << i << "," << P(2) << ",2015-05-01\n";
  Import("real_estate", homes.str());
  Import("vehicles",
         "plate,owner_party,vehicle_type,register_date,status\n"
         "辽J00003," +
             P(3) +
             ",小型轿车,2024-06-01,正常\n"  // bought later
             "辽J00004," +
             P(4) +
             ",小型轿车,2015-06-01,注销\n"
             "辽J00005," +
             P(5) +
             ",普通二轮摩托车,2015-06-01,正常\n"
             "辽J00006," +
             P(6) +
             ",小型轿车,2020-06-01,正常\n"
             "辽J00011," +
             P(11) + ",小型轿车,2020-06-01,正常\n");
  std::string c1 = Code("91210902MA0AAAA01"), c2 = Code("91210902MA0AAAA02"),
              c3 = Code("91210902MA0AAAA03"), c4 = Code("91210902MA0AAAA04");
  Import("companies", "credit_code,name,legal_rep_id_number,established_date,status,status_date\n" +
                          c1 + ",甲公司," + P(7) + ",2010-01-01,注销,2022-05-01\n" + c2 +
                          ",乙公司," + P(40) + ",2010-01-01,存续,\n" + c3 + ",丙公司," + P(9) +
                          ",2010-01-01,在业,\n" + c4 + ",丁公司," + P(40) +
                          ",2010-01-01,吊销,2024-02-15\n");
  Import("shareholders", "credit_code,holder_party,share_ratio,start_date,end_date\n" + c2 + "," +
                             P(8) + ",0.2,2010-01-01,2023-01-01\n" + c4 + "," + P(10) +
                             ",0.3,2010-01-01,\n");
  for (int n : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}) {
    Pay("A" + std::to_string(n), kDibao, P(n), "2024-01", "2024-01-08");
    Pay("B" + std::to_string(n), kDibao, P(n), "2024-03", "2024-03-08");
  }
  Pay("A11", "高龄津贴", P(11), "2024-01", "2024-01-08");  // not means-tested
  ImportWelfare();
  auto cited = Cited(Run("welfare_wealthy_beneficiary"));
  EXPECT_EQ(
      cited,
      (std::map<std::string, std::vector<std::string>>{
          {P(1), {"A1", "B1"}}, {P(6), {"A6", "B6"}}, {P(9), {"A9", "B9"}}, {P(10), {"A10"}}}));
  // Two homes count when the setting says so.
  auto two = Cited(Run("welfare_wealthy_beneficiary",
                       R"({"models":{"welfare_wealthy_beneficiary":{"min_properties":2}}})"));
  EXPECT_EQ(two.count(P(2)), 1u);
}

TEST_F(WelfareUnit, DuplicatePayment) {
  Pay("D1", kDibao, P(1), "2024-01", "2024-01-08", "500.00");
  Pay("D2", kDibao, P(1), "2024-01", "2024-01-20", "500.00");
  Pay("E1", kDibao, P(2), "2024-01", "2024-01-08");  // consecutive months
  Pay("E2", kDibao, P(2), "2024-02", "2024-02-08");
  Pay("F1", kDibao, P(3), "2024-01", "2024-01-08");  // two programmes
  Pay("F2", "特困人员救助供养", P(3), "2024-01", "2024-01-08");
  Pay("G1", kDibao, P(4), "2024-01", "2024-01-08", "500.00");  // paid, reversed, paid again
  Pay("G2", kDibao, P(4), "2024-01", "2024-01-09", "-500.00");
  Pay("G3", kDibao, P(4), "2024-01", "2024-01-10", "500.00");
  Pay("H1", kDibao, P(5), "2024-01", "2024-01-08", "400.00");  // three times
  Pay("H2", kDibao, P(5), "2024-01", "2024-01-08", "400.00");
  Pay("H3", kDibao, P(5), "2024-01", "2024-01-18", "400.00");
  ImportWelfare();
  auto f = Run("welfare_duplicate_payment");
  auto cited = Cited(f);
  std::string k1 = P(1) + "|" + kDibao + "|2024-01", k5 = P(5) + "|" + kDibao + "|2024-01";
  EXPECT_EQ(cited, (std::map<std::string, std::vector<std::string>>{{k1, {"D1", "D2"}},
                                                                    {k5, {"H1", "H2", "H3"}}}));
  for (const auto& x : f) {
    EXPECT_EQ(x.amount_fen, x.identity == k1 ? 50000 : 80000);
  }
}

TEST_F(WelfareUnit, SharedAccount) {
  // Households from the payments (no registry loaded).
  Pay("A1", kDibao, P(1), "2024-01", "2024-01-08", "500.00", "ACC1", "", "HH1");
  Pay("A2", kDibao, P(2), "2024-01", "2024-01-08", "500.00", "ACC1", "", "HH1");
  Pay("A3", "临时救助", P(3), "2024-01", "2024-01-08", "500.00", "ACC1", "", "HH2");
  Pay("A4", kDibao, P(3), "2024-02", "2024-02-08", "500.00", "ACC1", "", "HH2");
  // Three beneficiaries of one household: a family account.
  Pay("B1", kDibao, P(4), "2024-01", "2024-01-08", "500.00", "ACC2", "", "HH3");
  Pay("B2", kDibao, P(5), "2024-01", "2024-01-08", "500.00", "ACC2", "", "HH3");
  Pay("B3", kDibao, P(6), "2024-01", "2024-01-08", "500.00", "ACC2", "", "HH3");
  // Two beneficiaries of two households: under the minimum.
  Pay("C1", kDibao, P(7), "2024-01", "2024-01-08", "500.00", "ACC3", "", "HH4");
  Pay("C2", kDibao, P(8), "2024-01", "2024-01-08", "500.00", "ACC3", "", "HH5");
  ImportWelfare();
  auto f = Run("welfare_shared_account");
  EXPECT_EQ(Cited(f),
            (std::map<std::string, std::vector<std::string>>{{"ACC1", {"A1", "A2", "A3", "A4"}}}));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].amount_fen, 200000);
  EXPECT_NE(f[0].summary.find("分属2户"), std::string::npos);
  // Two beneficiaries suffice when the setting says so.
  EXPECT_EQ(Run("welfare_shared_account",
                R"({"models":{"welfare_shared_account":{"min_beneficiaries":2}}})")
                .size(),
            2u);
}

}  // namespace
}  // namespace qf
