// Funds models: quality on the synthetic city, and small hand-built cases at
// the edges of each rule (thresholds exactly at the limit, the exceptions).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <set>
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

qf::testing::ModelOnCity CheckOnCity(const std::string& id) {
  auto r = RunOnCity(id);
  ExpectQuality(r);
  const auto& q = r.quality;
  std::cout << "[quality] " << id << ": planted " << q.planted << ", found " << q.found
            << ", leads " << q.leads << ", correct " << q.correct << ", near misses flagged "
            << q.near_misses_flagged << "/" << q.near_misses << "\n";
  if (!r.findings.empty()) std::cout << "  e.g. " << r.findings[0].summary << "\n";
  return r;
}

TEST(FundsModels, DuplicatePayment) { CheckOnCity("duplicate_payment"); }
TEST(FundsModels, SplitPayment) { CheckOnCity("split_payment"); }
TEST(FundsModels, OverBudget) { CheckOnCity("over_budget"); }
TEST(FundsModels, PaymentWithoutBudget) { CheckOnCity("payment_without_budget"); }
TEST(FundsModels, PayeeDeregistered) { CheckOnCity("payee_deregistered"); }
TEST(FundsModels, PayeeNewlyCreated) { CheckOnCity("payee_newly_created"); }
TEST(FundsModels, PaymentToOfficialAccount) { CheckOnCity("payment_to_official_account"); }
TEST(FundsModels, PaymentAfterDeath) { CheckOnCity("payment_after_death"); }
TEST(FundsModels, YearEndSurge) { CheckOnCity("year_end_surge"); }
TEST(FundsModels, BenfordDeviation) {
  auto r = CheckOnCity("benford_deviation");
  ASSERT_FALSE(r.findings.empty());
  // The digit distribution is evidence: observed vs expected per digit.
  const engine::Evidence& e = r.findings[0].evidence[0];
  EXPECT_EQ(e.dataset, "analysis");
  int digits = 0;
  for (const auto& [k, v] : e.fields) digits += k.rfind("digit_", 0) == 0;
  EXPECT_EQ(digits, 9);
  EXPECT_NE(r.findings[0].summary.find("MAD="), std::string::npos);
}

// ---------------------------------------------------------------------------
// Hand-built cases.

std::string Id(const std::string& first17) { return first17 + IdNumberCheckChar(first17); }
std::string Code(const std::string& first17) { return first17 + CreditCodeCheckChar(first17); }

const char kPayHeader[] =
    "payment_id,pay_date,org,budget_id,payee_name,payee_party,payee_account,amount,purpose,"
    "invoice_no,economic_class\n";

class FundsUnit : public ::testing::Test {
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
    return std::move(runs[0].findings);
  }

  // The payment keys a finding cites, sorted.
  static std::vector<std::string> Payments(const engine::Finding& f) {
    std::vector<std::string> out;
    for (const auto& e : f.evidence) {
      if (e.dataset == "payments") out.push_back(e.key);
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  ScratchDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(FundsUnit, SplitPaymentAtTheThreshold) {
  std::string c1 = Code("91210902MA0AAAA01"), c2 = Code("91210902MA0AAAA02"),
              c3 = Code("91210902MA0AAAA03"), c4 = Code("91210902MA0AAAA04");
  std::ostringstream csv;
  csv << kPayHeader
      // Together exactly 100,000 over 7 days: a split.
      << "P1,2024-03-01,阜新市财政局,B1,甲公司," << c1 << ",1,50000.00,运维,,30227\n"
      << "P2,2024-03-08,阜新市财政局,B1,甲公司," << c1
      << ",1,50000.00,运维,,30227\n"
      // One fen short.
      << "P3,2024-03-01,阜新市财政局,B1,乙公司," << c2 << ",2,50000.00,运维,,30227\n"
      << "P4,2024-03-01,阜新市财政局,B1,乙公司," << c2
      << ",2,49999.99,运维,,30227\n"
      // Eight days apart.
      << "P5,2024-03-01,阜新市财政局,B1,丙公司," << c3 << ",3,60000.00,运维,,30227\n"
      << "P6,2024-03-09,阜新市财政局,B1,丙公司," << c3
      << ",3,60000.00,运维,,30227\n"
      // A payment at the threshold was approved: not a part.
      << "P7,2024-03-01,阜新市财政局,B1,丁公司," << c4 << ",4,100000.00,设备,,31002\n"
      << "P8,2024-03-02,阜新市财政局,B1,丁公司," << c4
      << ",4,10000.00,设备,,31002\n"
      // Same payee and week, another economic class.
      << "P9,2024-03-01,阜新市财政局,B1,丙公司," << c3 << ",3,60000.00,计算机,,31002\n";
  Import("payments", csv.str());
  auto f = Run("split_payment");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Payments(f[0]), (std::vector<std::string>{"P1", "P2"}));
  EXPECT_EQ(f[0].amount_fen, 10000000);
  // A lower threshold (a setting) catches the one-fen-short pair too.
  EXPECT_EQ(Run("split_payment", R"({"models":{"split_payment":{"threshold_yuan":99999}}})").size(),
            2u);
}

TEST_F(FundsUnit, DuplicatePayment) {
  std::string c1 = Code("91210902MA0AAAA01");
  std::ostringstream csv;
  csv << kPayHeader << "P1,2024-03-01,阜新市财政局,B1,甲公司," << c1
      << ",1,1200.00,耗材,INV001,30201\n"
      << "P2,2024-03-20,阜新市财政局,B1,甲公司," << c1 << ",9,1200.00,耗材,INV001,30201\n"
      << "P3,2024-04-01,阜新市财政局,B1,甲公司," << c1 << ",1,800.00,维修,,30213\n"
      << "P4,2024-04-01,阜新市财政局,B1,甲公司," << c1
      << ",1,800.00,维修,,30213\n"
      // Same amount on another day, other invoices: monthly fees, not duplicates.
      << "P5,2024-05-01,阜新市财政局,B1,甲公司," << c1 << ",1,800.00,维修,INV005,30213\n"
      << "P6,2024-06-01,阜新市财政局,B1,甲公司," << c1 << ",1,800.00,维修,INV006,30213\n";
  Import("payments", csv.str());
  auto f = Run("duplicate_payment");
  ASSERT_EQ(f.size(), 2u);
  std::set<std::vector<std::string>> got = {Payments(f[0]), Payments(f[1])};
  EXPECT_TRUE(got.count({"P1", "P2"}));
  EXPECT_TRUE(got.count({"P3", "P4"}));
  for (const auto& x : f) {
    if (x.identity == "P1") {
      EXPECT_EQ(x.amount_fen, 120000);
    }
  }
}

TEST_F(FundsUnit, BudgetLines) {
  Import("budgets",
         "budget_id,year,org,economic_class,amount\n"
         "L1,2024,阜新市财政局,30201,1000.00\n"
         "L2,2024,阜新市财政局,30201,1000.00\n"
         "L3,2024,阜新市教育局,30201,1000.00\n"
         "L4,2023,阜新市财政局,30201,1000.00\n");
  std::string c1 = Code("91210902MA0AAAA01");
  std::ostringstream csv;
  csv << kPayHeader
      // L1 spent exactly: fine.
      << "P1,2024-03-01,阜新市财政局,L1,甲公司," << c1 << ",1,600.00,耗材,,30201\n"
      << "P2,2024-03-02,阜新市财政局,L1,甲公司," << c1
      << ",1,400.00,耗材,,30201\n"
      // L2 one fen over.
      << "P3,2024-03-01,阜新市财政局,L2,甲公司," << c1 << ",1,600.00,耗材,,30201\n"
      << "P4,2024-03-02,阜新市财政局,L2,甲公司," << c1
      << ",1,400.01,耗材,,30201\n"
      // No line, an unknown line, another org's line, last year's line.
      << "P5,2024-03-03,阜新市财政局,,甲公司," << c1 << ",1,10.00,耗材,,30201\n"
      << "P6,2024-03-03,阜新市财政局,L9,甲公司," << c1 << ",1,10.00,耗材,,30201\n"
      << "P7,2024-03-03,阜新市财政局,L3,甲公司," << c1 << ",1,9000.00,耗材,,30201\n"
      << "P8,2024-03-03,阜新市财政局,L4,甲公司," << c1 << ",1,9000.00,耗材,,30201\n";
  Import("payments", csv.str());
  auto over = Run("over_budget");
  ASSERT_EQ(over.size(), 1u);
  EXPECT_EQ(over[0].identity, "L2");
  EXPECT_EQ(over[0].amount_fen, 1);
  EXPECT_EQ(over[0].evidence[0].dataset, "budgets");
  auto without = Run("payment_without_budget");
  std::vector<std::string> keys;
  for (const auto& x : without) {
    auto p = Payments(x);
    keys.insert(keys.end(), p.begin(), p.end());
  }
  std::sort(keys.begin(), keys.end());
  EXPECT_EQ(keys, (std::vector<std::string>{"P5", "P6", "P7", "P8"}));
}

TEST_F(FundsUnit, PayeeCompanies) {
  std::string d1 = Code("91210902MA0AAAA01"), d2 = Code("91210902MA0AAAA02"),
              n1 = Code("91210902MA0AAAA03"), n2 = Code("91210902MA0AAAA04");
  Import("companies", "credit_code,name,established_date,status,status_date\n" + d1 +
                          ",甲公司,2010-01-01,注销,2024-05-01\n" + d2 +
                          ",乙公司,2010-01-01,吊销,2024-05-01\n" + n1 +
                          ",丙公司,2024-01-01,存续,\n" + n2 + ",丁公司,2024-01-01,存续,\n");
  std::ostringstream csv;
  csv << kPayHeader
      // Paid on the day of 注销: not yet after it.
      << "P1,2024-05-01,阜新市财政局,B1,甲公司," << d1 << ",1,100.00,耗材,,30201\n"
      << "P2,2024-05-02,阜新市财政局,B1,乙公司," << d2
      << ",2,100.00,耗材,,30201\n"
      // 90 days old, 50,000.00: flagged; 91 days old or one fen less: not.
      << "P3,2024-03-31,阜新市财政局,B1,丙公司," << n1 << ",3,50000.00,工程,,31005\n"
      << "P4,2024-04-01,阜新市财政局,B1,丁公司," << n2 << ",4,90000.00,工程,,31005\n"
      << "P5,2024-01-10,阜新市财政局,B1,丁公司," << n2 << ",4,49999.99,工程,,31005\n";
  Import("payments", csv.str());
  auto dereg = Run("payee_deregistered");
  ASSERT_EQ(dereg.size(), 1u);
  EXPECT_EQ(Payments(dereg[0]), std::vector<std::string>{"P2"});
  EXPECT_EQ(dereg[0].subject.key, d2);
  auto young = Run("payee_newly_created");
  ASSERT_EQ(young.size(), 1u);
  EXPECT_EQ(Payments(young[0]), std::vector<std::string>{"P3"});
  EXPECT_NE(young[0].summary.find("成立仅90天"), std::string::npos) << young[0].summary;
}

TEST_F(FundsUnit, OfficialAccounts) {
  std::string o1 = Id("21090219800101001"), o2 = Id("21090219800101002"),
              x = Id("21090219800101003"), c1 = Code("91210902MA0AAAA01");
  Import("officials", "id_number,name,org,start_date\n" + o1 + ",张三,阜新市财政局,2010-01-01\n" +
                          o2 + ",李四,阜新市教育局,2010-01-01\n");
  std::ostringstream csv;
  csv << kPayHeader << "P1,2024-03-10,阜新市财政局,B1,张三," << o1
      << ",ACC1,8000.00,工资,,30101\n"
      // Own staff's travel: normal.
      << "P2,2024-03-12,阜新市财政局,B1,张三," << o1
      << ",ACC1,900.00,差旅,,30211\n"
      // Another body's official paid a fee and travel.
      << "P3,2024-03-12,阜新市财政局,B1,李四," << o2 << ",ACC2,3000.00,劳务费,,30226\n"
      << "P4,2024-03-13,阜新市财政局,B1,李四," << o2
      << ",ACC2,500.00,差旅,,30211\n"
      // A company on the voucher, the official's salary account behind it.
      << "P5,2024-03-14,阜新市财政局,B1,甲公司," << c1
      << ",ACC1,20000.00,咨询,,30227\n"
      // A labour fee to someone who is no official.
      << "P6,2024-03-14,阜新市财政局,B1,王五," << x << ",ACC3,2000.00,劳务费,,30226\n";
  Import("payments", csv.str());
  auto f = Run("payment_to_official_account");
  ASSERT_EQ(f.size(), 2u);
  std::set<std::vector<std::string>> got = {Payments(f[0]), Payments(f[1])};
  EXPECT_TRUE(got.count({"P3", "P4"}));
  EXPECT_TRUE(got.count({"P1", "P5"}));  // P1: the salary that shows the account
  for (const auto& x : f) EXPECT_EQ(x.subject.dataset, "officials");
}

TEST_F(FundsUnit, PaymentAfterDeath) {
  std::string p1 = Id("21090219600101001");
  Import("deaths", "id_number,name,death_date,source\n" + p1 + ",赵六,2024-03-10,公安\n");
  std::ostringstream csv;
  csv << kPayHeader << "P1,2024-03-10,阜新市财政局,B1,赵六," << p1
      << ",ACC1,5000.00,3月工资,,30101\n"
      << "P2,2024-04-10,阜新市财政局,B1,赵六," << p1 << ",ACC1,5000.00,4月工资,,30101\n";
  Import("payments", csv.str());
  auto f = Run("payment_after_death");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Payments(f[0]), std::vector<std::string>{"P2"});
  EXPECT_NE(f[0].summary.find("吃空饷"), std::string::npos);
  EXPECT_NE(f[0].summary.find("赵某某"), std::string::npos);
}

TEST_F(FundsUnit, YearEndSurgeAtThirtyPercent) {
  std::string c1 = Code("91210902MA0AAAA01");
  std::ostringstream csv;
  csv << kPayHeader;
  int n = 0;
  // 甲: Jan–Nov 7,000 each, December 33,000: exactly 30 %. 乙: one fen less in December.
  // 丙: December only (an incomplete year is not judged).
  for (const char* org : {"甲局", "乙局"}) {
    for (int m = 1; m <= 11; ++m) {
      csv << "P" << ++n << ",2024-" << (m < 10 ? "0" : "") << m << "-15," << org << ",B1,公司,"
          << c1 << ",1,7000.00,耗材,,30201\n";
    }
    csv << "P" << ++n << ",2024-12-15," << org << ",B1,公司," << c1 << ",1,"
        << (std::string(org) == "甲局" ? "33000.00" : "32999.99") << ",耗材,,30201\n";
    // Salaries do not count.
    csv << "P" << ++n << ",2024-06-10," << org << ",B1,公司," << c1 << ",1,99999.00,工资,,30101\n";
  }
  csv << "P" << ++n << ",2024-12-15,丙局,B1,公司," << c1 << ",1,5000.00,耗材,,30201\n";
  Import("payments", csv.str());
  auto f = Run("year_end_surge");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject.name, "甲局");
  EXPECT_EQ(f[0].amount_fen, 3300000);
  EXPECT_NE(f[0].summary.find("30.0%"), std::string::npos) << f[0].summary;
}

TEST_F(FundsUnit, BenfordConformingAndNot) {
  std::string c1 = Code("91210902MA0AAAA01");
  std::ostringstream csv;
  csv << kPayHeader;
  int n = 0;
  auto pay = [&](const char* org, int64_t fen) {
    csv << "P" << ++n << ",2024-05-06," << org << ",B1,公司," << c1 << ",1," << fen / 100 << "."
        << (fen % 100 < 10 ? "0" : "") << fen % 100 << ",耗材,,30201\n";
  };
  // 甲: first digits in Benford's proportions (1,000 payments).
  for (int d = 1; d <= 9; ++d) {
    int count = static_cast<int>(std::lround(1000 * std::log10(1.0 + 1.0 / d)));
    for (int i = 0; i < count; ++i) pay("甲局", d * 100000 + i * 37 % 99999);
  }
  // 乙: 108 payments with uniform first digits. 丙: the same, 99 payments (too few).
  for (int i = 0; i < 108; ++i) pay("乙局", (i % 9 + 1) * 100000 + i);
  for (int i = 0; i < 99; ++i) pay("丙局", (i % 9 + 1) * 100000 + i);
  Import("payments", csv.str());
  auto f = Run("benford_deviation");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject.name, "乙局");
  // Digits 4–9 are over-represented under a uniform distribution: 6 × 12 payments.
  EXPECT_EQ(Payments(f[0]).size(), 72u);
  EXPECT_EQ(f[0].evidence[0].dataset, "analysis");
}

}  // namespace
}  // namespace qf
