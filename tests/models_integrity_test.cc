// Integrity models: quality on the synthetic city, and small hand-built cases
// at the edges of each rule (tenure, exits, deregistered companies, org names).
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

TEST(IntegrityModels, LeaderHoldsCompany) {
  auto r = RunOnCity("leader_holds_company");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("领导"), std::string::npos);
}

TEST(IntegrityModels, RelativeCompanyPaid) {
  auto r = RunOnCity("relative_company_paid");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("支付"), std::string::npos);
}

// ---------------------------------------------------------------------------
// Hand-built cases.

// A valid ID number: the n-th person born 1975-06-01 in 210902.
std::string P(int n) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "21090219750601%03d", n);
  return std::string(buf) + IdNumberCheckChar(buf);
}
std::string Code(const std::string& first17) { return first17 + CreditCodeCheckChar(first17); }

class IntegrityUnit : public ::testing::Test {
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

  // identity → keys of `dataset` the finding cites, sorted.
  static std::map<std::string, std::vector<std::string>> Cited(
      const std::vector<engine::Finding>& fs, const std::string& dataset) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& f : fs) {
      auto& v = out[f.identity];
      for (const auto& e : f.evidence) {
        if (e.dataset == dataset) v.push_back(e.key);
      }
      std::sort(v.begin(), v.end());
    }
    return out;
  }

  ScratchDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(IntegrityUnit, LeaderHoldsCompany) {
  std::string c1 = Code("91210902MA0AAAA01"), c2 = Code("91210902MA0AAAA02"),
              c3 = Code("91210902MA0AAAA03");
  Import("officials", "id_number,name,org,position,is_leader,start_date,end_date\n" + P(1) +
                          ",甲,阜新市财政局,局长,是,2015-01-01,\n" + P(2) +
                          ",乙,阜新市财政局,副局长,是,2010-01-01,2023-12-31\n" + P(3) +
                          ",丙,阜新市财政局,科员,否,2012-01-01,\n" + P(4) +
                          ",丁,阜新市水利局,局长,Y,2012-01-01,\n" + P(5) +
                          ",戊,阜新市水利局,副局长,1,2012-01-01,\n");
  Import("companies", "credit_code,name,legal_rep_id_number,established_date,status,status_date\n" +
                          c1 + ",甲公司," + P(1) + ",2010-01-01,存续,\n" + c2 + ",乙公司," + P(40) +
                          ",2010-01-01,在业,\n" + c3 + ",丙公司," + P(41) +
                          ",2010-01-01,注销,2022-01-01\n");
  Import("shareholders", "credit_code,holder_party,share_ratio,start_date,end_date\n" + c1 + "," +
                             P(2) + ",0.4,2010-01-01,\n" +             // he left his post
                             c2 + "," + P(3) + ",0.3,2010-01-01,\n" +  // not a leader
                             c3 + "," + P(4) + ",0.5,2010-01-01,\n" +  // deregistered company
                             c2 + "," + P(5) + ",0.2,2010-01-01,2020-01-01\n");  // sold out
  auto f = Run("leader_holds_company");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].identity, P(1));
  EXPECT_EQ(f[0].evidence[0].dataset, "officials");
  EXPECT_EQ(Cited(f, "companies")[P(1)], (std::vector<std::string>{c1}));
  EXPECT_NE(f[0].summary.find("法定代表人"), std::string::npos);
  // Every official when the setting says so.
  auto all =
      Run("leader_holds_company", R"({"models":{"leader_holds_company":{"leaders_only":0}}})");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].identity, P(3));
  EXPECT_EQ(Cited(all, "shareholders")[P(3)], (std::vector<std::string>{c2 + "|" + P(3)}));
}

TEST_F(IntegrityUnit, RelativeCompanyPaid) {
  std::string k1 = Code("91210902MA0BBBB01"), k2 = Code("91210902MA0BBBB02");
  Import("officials", "id_number,name,org,position,is_leader,start_date,end_date\n" + P(21) +
                          ",甲,阜新市财政局,局长,是,2020-01-01,\n" + P(22) +
                          ",乙,阜新市教育局,副局长,是,2024-06-01,\n");
  Import("relatives", "official_id_number,relative_id_number,relative_name,relation\n" + P(21) +
                          "," + P(31) + ",配偶甲,配偶\n" + P(22) + "," + P(32) + ",子女乙,子女\n");
  Import("companies", "credit_code,name,legal_rep_id_number,established_date,status\n" + k1 +
                          ",阜新甲建材有限公司," + P(31) + ",2010-01-01,存续\n" + k2 +
                          ",阜新乙科技有限公司," + P(40) + ",2010-01-01,存续\n");
  Import("shareholders", "credit_code,holder_party,share_ratio,start_date,end_date\n" + k2 + "," +
                             P(32) + ",0.3,2019-01-01,2024-09-30\n");
  Import("payments",
         "payment_id,pay_date,org,payee_name,payee_party,amount\n"
         "Y1,2024-03-01,阜新市 财政局,阜新甲建材有限公司," +
             k1 + ",1000.00\n" + "Y2,2024-03-01,阜新市教育局,阜新甲建材有限公司," + k1 +
             ",1000.00\n" +
             // Before the official joined the body.
             "Y3,2024-05-01,阜新市教育局,阜新乙科技有限公司," + k2 + ",1000.00\n" +
             "Y4,2024-07-01,阜新市教育局,阜新乙科技有限公司," + k2 + ",2000.00\n" +
             // After the relative sold out.
             "Y5,2024-10-15,阜新市教育局,阜新乙科技有限公司," + k2 + ",1000.00\n" +
             // No credit code on the voucher: matched by the company's name.
             "Y6,2024-04-01,阜新市财政局,阜新甲建材有限公司,,500.00\n");
  auto f = Run("relative_company_paid");
  EXPECT_EQ(Cited(f, "payments"),
            (std::map<std::string, std::vector<std::string>>{{P(21) + "|" + k1, {"Y1", "Y6"}},
                                                             {P(22) + "|" + k2, {"Y4"}}}));
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].amount_fen, 150000);
  EXPECT_EQ(f[1].amount_fen, 200000);
  EXPECT_EQ(Cited(f, "relatives")[P(22) + "|" + k2],
            (std::vector<std::string>{P(22) + "|" + P(32)}));
  EXPECT_NE(f[0].summary.find("配偶"), std::string::npos);
}

}  // namespace
}  // namespace qf
