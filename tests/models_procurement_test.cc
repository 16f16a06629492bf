// Procurement models: quality on the synthetic city, and small hand-built
// cases at the edges of each rule (thresholds exactly at the limit, honest
// coincidences, the exceptions).
#include <gtest/gtest.h>

#include <algorithm>
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

void CheckOnCity(const std::string& id) {
  auto r = RunOnCity(id);
  ExpectQuality(r);
  const auto& q = r.quality;
  std::cout << "[quality] " << id << ": planted " << q.planted << ", found " << q.found
            << ", leads " << q.leads << ", correct " << q.correct << ", near misses flagged "
            << q.near_misses_flagged << "/" << q.near_misses << "\n";
  if (!r.findings.empty()) std::cout << "  e.g. " << r.findings[0].summary << "\n";
}

TEST(ProcurementModels, SingleBid) { CheckOnCity("single_bid"); }
TEST(ProcurementModels, ShortBiddingPeriod) { CheckOnCity("short_bidding_period"); }
TEST(ProcurementModels, BiddersShareAttribute) { CheckOnCity("bidders_share_attribute"); }
TEST(ProcurementModels, IdenticalBids) { CheckOnCity("identical_bids"); }
TEST(ProcurementModels, ArithmeticBids) { CheckOnCity("arithmetic_bids"); }
TEST(ProcurementModels, BidPriceScreen) { CheckOnCity("bid_price_screen"); }
TEST(ProcurementModels, BidRotation) { CheckOnCity("bid_rotation"); }
TEST(ProcurementModels, NewCompanyLargeAward) { CheckOnCity("new_company_large_award"); }
TEST(ProcurementModels, SplitTender) { CheckOnCity("split_tender"); }
TEST(ProcurementModels, ContractInflation) { CheckOnCity("contract_inflation"); }
TEST(ProcurementModels, WinnerLinkedToLeader) { CheckOnCity("winner_linked_to_leader"); }

// ---------------------------------------------------------------------------
// Hand-built cases.

std::string Id(const std::string& first17) { return first17 + IdNumberCheckChar(first17); }
std::string Code(const std::string& first17) { return first17 + CreditCodeCheckChar(first17); }

const char kTenderHeader[] =
    "tender_id,title,buyer_org,method,category,item_code,budget_amount,publish_date,bid_deadline,"
    "award_date,winner_credit_code,award_amount,status\n";
const char kBidHeader[] =
    "tender_id,bidder_credit_code,bidder_name,bid_amount,mac_address,qualified,rank\n";

// Firm i's credit code.
std::string Firm(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "91210902MA0AA%04d", i);
  return Code(buf);
}

class ProcurementUnit : public ::testing::Test {
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

  // Identities of the findings, sorted.
  static std::vector<std::string> Ids(const std::vector<engine::Finding>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs) out.push_back(f.identity);
    std::sort(out.begin(), out.end());
    return out;
  }

  static std::set<std::string> Keys(const engine::Finding& f, const std::string& dataset) {
    std::set<std::string> out;
    for (const auto& e : f.evidence) {
      if (e.dataset == dataset) out.insert(e.key);
    }
    return out;
  }

  // An awarded tender row (goods, buyer 阜新市民政局 unless given).
  static std::string Tender(const std::string& id, const std::string& method,
                            const std::string& publish, const std::string& deadline,
                            const std::string& winner = "", const std::string& award = "",
                            const std::string& buyer = "阜新市民政局",
                            const std::string& budget = "500000.00",
                            const std::string& category = "货物",
                            const std::string& status = "中标",
                            const std::string& award_date = "") {
    return id + ",项目" + id + "," + buyer + "," + method + "," + category + ",A02010104," +
           budget + "," + publish + "," + deadline + "," + award_date + "," + winner + "," + award +
           "," + status + "\n";
  }

  static std::string Bid(const std::string& tender, int firm, const std::string& amount,
                         const std::string& mac = "") {
    return tender + "," + Firm(firm) + ",公司" + std::to_string(firm) + ",\"" + amount + "\"," +
           mac + ",是,\n";
  }

  ScratchDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(ProcurementUnit, ShortBiddingPeriodAtTwentyDays) {
  Import("tenders", std::string(kTenderHeader) +
                        // Exactly 20 days: allowed (the near miss).
                        Tender("T1", "公开招标", "2024-03-01", "2024-03-21 09:30") +
                        // 19 days, even late in the evening.
                        Tender("T2", "公开招标", "2024-03-01", "2024-03-20 23:59") +
                        // Another method: the 20-day minimum is for 公开招标 by default.
                        Tender("T3", "邀请招标", "2024-03-01", "2024-03-11 09:30"));
  auto fs = Run("short_bidding_period");
  EXPECT_EQ(Ids(fs), std::vector<std::string>({"T2"}));
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].summary.find("19天"), std::string::npos) << fs[0].summary;
  auto more = Run("short_bidding_period",
                  R"({"models":{"short_bidding_period":{"methods":"公开招标,邀请招标"}}})");
  EXPECT_EQ(Ids(more), std::vector<std::string>({"T2", "T3"}));
}

TEST_F(ProcurementUnit, SingleBidOnlyForCompetitiveAwardedTenders) {
  std::string w = Firm(1);
  Import("tenders",
         std::string(kTenderHeader) +
             Tender("T1", "询价", "2024-03-01", "2024-03-08 09:30", w, "90000.00") +
             Tender("T2", "单一来源", "2024-03-01", "2024-03-08 09:30", w, "90000.00") +
             Tender("T3", "公开招标", "2024-03-01", "2024-03-28 09:30", "", "", "阜新市民政局",
                    "500000.00", "货物", "流标") +
             Tender("T4", "竞争性磋商", "2024-03-01", "2024-03-11 09:30", w, "90000.00") +
             // No bid records at all: bids not exported, not one bid.
             Tender("T5", "询价", "2024-03-01", "2024-03-08 09:30", w, "90000.00"));
  Import("bids", std::string(kBidHeader) + Bid("T1", 1, "90000.00") + Bid("T2", 1, "90000.00") +
                     Bid("T3", 1, "90000.00") + Bid("T4", 1, "90000.00") +
                     Bid("T4", 2, "95000.00"));
  auto fs = Run("single_bid");
  EXPECT_EQ(Ids(fs), std::vector<std::string>({"T1"}));
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(Keys(fs[0], "bids"), std::set<std::string>({"T1|" + w}));
}

TEST_F(ProcurementUnit, SharedMacWrittenDifferently) {
  Import("tenders", std::string(kTenderHeader) +
                        Tender("T1", "公开招标", "2024-03-01", "2024-03-28 09:30", Firm(1)) +
                        Tender("T2", "公开招标", "2024-03-01", "2024-03-28 09:30", Firm(1)));
  Import("bids", std::string(kBidHeader) + Bid("T1", 1, "100000.00", "00-1A-2B-3C-4D-5E") +
                     Bid("T1", 2, "103000.00", "00:1a:2b:3c:4d:5e") +
                     Bid("T1", 3, "108000.00", "00-1A-2B-3C-4D-5F") +
                     Bid("T2", 1, "100000.00", "00-1A-2B-3C-4D-5E") +
                     Bid("T2", 2, "103000.00", "00-1A-2B-3C-4D-60"));
  auto fs = Run("bidders_share_attribute");
  ASSERT_EQ(Ids(fs), std::vector<std::string>({"T1"}));
  EXPECT_EQ(Keys(fs[0], "bids"), std::set<std::string>({"T1|" + Firm(1), "T1|" + Firm(2)}));
  EXPECT_NE(fs[0].summary.find("MAC地址相同"), std::string::npos) << fs[0].summary;
}

TEST_F(ProcurementUnit, IdenticalBidsExactToTheFen) {
  Import("tenders", std::string(kTenderHeader) +
                        Tender("T1", "询价", "2024-03-01", "2024-03-08 09:30", Firm(1)) +
                        Tender("T2", "询价", "2024-03-01", "2024-03-08 09:30", Firm(1)));
  Import("bids", std::string(kBidHeader) + Bid("T1", 1, "98000.00") + Bid("T1", 2, "100000.00") +
                     Bid("T1", 3, "100,000.00") + Bid("T2", 1, "98000.00") +
                     Bid("T2", 2, "100000.00") + Bid("T2", 3, "100000.01"));
  auto fs = Run("identical_bids");
  ASSERT_EQ(Ids(fs), std::vector<std::string>({"T1"}));
  EXPECT_EQ(Keys(fs[0], "bids"), std::set<std::string>({"T1|" + Firm(2), "T1|" + Firm(3)}));
}

TEST_F(ProcurementUnit, ArithmeticBidsAndHonestCoincidences) {
  std::string t = kTenderHeader, b = kBidHeader;
  for (const char* id : {"T1", "T2", "T3", "T4", "T5", "T6"}) {
    t += Tender(id, "询价", "2024-03-01", "2024-03-08 09:30", Firm(1));
  }
  // Three bids exact to the fen in equal gaps: no honest rounding explains it.
  b += Bid("T1", 1, "100000.37") + Bid("T1", 2, "103000.37") + Bid("T1", 3, "106000.37");
  // Three bids rounded to 1,000 yuan, 3,000 apart: one chance in three.
  b += Bid("T2", 1, "100000.00") + Bid("T2", 2, "103000.00") + Bid("T2", 3, "106000.00");
  // Four in a row: a ladder whatever the rounding.
  b += Bid("T3", 1, "100000.00") + Bid("T3", 2, "101000.00") + Bid("T3", 3, "102000.00") +
       Bid("T3", 4, "103000.00") + Bid("T3", 5, "120000.00");
  // ×1.02 each, the last rounded to the yuan.
  b += Bid("T4", 1, "2340000.00") + Bid("T4", 2, "2386800.00") + Bid("T4", 3, "2434536.00") +
       Bid("T4", 4, "2483227.00");
  // One fen off: not equal gaps (tolerance 0 by default).
  b += Bid("T5", 1, "100000.00") + Bid("T5", 2, "101000.00") + Bid("T5", 3, "102000.01") +
       Bid("T5", 4, "103000.00");
  // The covers in equal gaps (the winner far below).
  b += Bid("T6", 1, "90000.00") + Bid("T6", 2, "100000.17") + Bid("T6", 3, "100500.17") +
       Bid("T6", 4, "101000.17");
  Import("tenders", t);
  Import("bids", b);
  auto fs = Run("arithmetic_bids");
  EXPECT_EQ(Ids(fs), std::vector<std::string>({"T1", "T3", "T4", "T6"}));
  for (const auto& f : fs) {
    if (f.identity == "T4") {
      EXPECT_NE(f.summary.find("等比"), std::string::npos) << f.summary;
      EXPECT_EQ(Keys(f, "bids").size(), 4u);
    }
    if (f.identity == "T3") {
      EXPECT_EQ(Keys(f, "bids").size(), 4u);
    }
    if (f.identity == "T6") {
      EXPECT_NE(f.summary.find("中标人以外"), std::string::npos) << f.summary;
    }
  }
  // With a yuan of tolerance the one-fen slip is a ladder too; but three
  // covers 500 yuan apart within ±1 yuan could now be chance (1 in 250).
  auto loose = Run("arithmetic_bids", R"({"models":{"arithmetic_bids":{"gap_tolerance_yuan":1}}})");
  EXPECT_EQ(Ids(loose), std::vector<std::string>({"T1", "T3", "T4", "T5"}));
}

TEST_F(ProcurementUnit, BidPriceScreenCoefficientOfVariation) {
  Import("tenders", std::string(kTenderHeader) +
                        Tender("T1", "公开招标", "2024-03-01", "2024-03-28 09:30", Firm(1)) +
                        Tender("T2", "公开招标", "2024-03-01", "2024-03-28 09:30", Firm(1)) +
                        Tender("T3", "公开招标", "2024-03-01", "2024-03-28 09:30", Firm(1)));
  Import("bids", std::string(kBidHeader) +
                     // CV ≈ 0.4 %.
                     Bid("T1", 1, "100000.00") + Bid("T1", 2, "100200.00") +
                     Bid("T1", 3, "100500.00") + Bid("T1", 4, "101000.00") +
                     // CV ≈ 5 %.
                     Bid("T2", 1, "90000.00") + Bid("T2", 2, "95000.00") +
                     Bid("T2", 3, "99000.00") + Bid("T2", 4, "102000.00") +
                     // Three bids: too few for the screens.
                     Bid("T3", 1, "100000.00") + Bid("T3", 2, "100100.00") +
                     Bid("T3", 3, "100200.00"));
  auto fs = Run("bid_price_screen");
  ASSERT_EQ(Ids(fs), std::vector<std::string>({"T1"}));
  const engine::Evidence& e = fs[0].evidence[0];
  EXPECT_EQ(e.dataset, "tenders");
  std::set<std::string> fields;
  for (const auto& [k, v] : e.fields) fields.insert(k);
  for (const char* k : {"cv", "kurtosis", "skewness", "diffp", "rd", "spread"}) {
    EXPECT_TRUE(fields.count(k)) << k;
  }
  EXPECT_NE(fs[0].summary.find("变异系数仅0.4"), std::string::npos) << fs[0].summary;
  auto off = Run("bid_price_screen", R"({"models":{"bid_price_screen":{"cv_cutoff":0.004}}})");
  EXPECT_TRUE(off.empty());
}

TEST_F(ProcurementUnit, BidRotationNeedsTurnsAndRecurrence) {
  std::string t = kTenderHeader, b = kBidHeader;
  // Buyer 甲: firms 1, 2, 3 bid on four tenders and win in turn.
  int winners[] = {1, 2, 3, 1};
  for (int i = 0; i < 4; ++i) {
    std::string id = "A" + std::to_string(i);
    t += Tender(id, "竞争性磋商", "2024-0" + std::to_string(i + 1) + "-01",
                "2024-0" + std::to_string(i + 1) + "-11 09:30", Firm(winners[i]), "90000.00",
                "甲局");
    for (int f = 1; f <= 3; ++f) {
      b += Bid(id, f, f == winners[i] ? "90000.00" : std::to_string(95000 + f * 1000) + ".00");
    }
    b += Bid(id, 10 + i, "99000.00");  // a different outsider each time
  }
  // Buyer 乙: firms 4, 5, 6 bid together four times, but 4 always wins.
  for (int i = 0; i < 4; ++i) {
    std::string id = "B" + std::to_string(i);
    t += Tender(id, "竞争性磋商", "2024-0" + std::to_string(i + 1) + "-01",
                "2024-0" + std::to_string(i + 1) + "-11 09:30", Firm(4), "90000.00", "乙局");
    b += Bid(id, 4, "90000.00") + Bid(id, 5, "96000.00") + Bid(id, 6, "97000.00");
  }
  // Buyer 丙: three tenders only.
  for (int i = 0; i < 3; ++i) {
    std::string id = "C" + std::to_string(i);
    t += Tender(id, "竞争性磋商", "2024-0" + std::to_string(i + 1) + "-01",
                "2024-0" + std::to_string(i + 1) + "-11 09:30", Firm(7 + i), "90000.00", "丙局");
    b += Bid(id, 7, "90000.00") + Bid(id, 8, "96000.00") + Bid(id, 9, "97000.00");
  }
  Import("tenders", t);
  Import("bids", b);
  auto fs = Run("bid_rotation");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(Keys(fs[0], "tenders"), std::set<std::string>({"A0", "A1", "A2", "A3"}));
  EXPECT_NE(fs[0].summary.find("甲局"), std::string::npos) << fs[0].summary;
}

TEST_F(ProcurementUnit, NewCompanyAtTheLimits) {
  std::ostringstream c;
  c << "credit_code,name,legal_rep_name,registered_capital,established_date,status\n"
    << Firm(1) << ",一年整公司,张三,100000.00,2023-03-02,存续\n"     // 365 days old
    << Firm(2) << ",差一天公司,张三,100000.00,2023-03-03,存续\n"     // 364 days
    << Firm(3) << ",资本到顶公司,张三,1000000.00,2024-01-01,存续\n"  // capital at the cap
    << Firm(4) << ",资本超限公司,张三,1000000.01,2024-01-01,存续\n"  // one fen over
    << Firm(5) << ",金额不足公司,张三,100000.00,2024-01-01,存续\n";  // award one fen short
  Import("companies", c.str());
  const std::string d = "2024-03-01";
  Import("tenders", std::string(kTenderHeader) +
                        Tender("T1", "公开招标", "2024-02-01", "2024-02-25 09:30", Firm(1),
                               "2000000.00", "阜新市民政局", "2500000.00", "货物", "中标", d) +
                        Tender("T2", "公开招标", "2024-02-01", "2024-02-25 09:30", Firm(2),
                               "2000000.00", "阜新市民政局", "2500000.00", "货物", "中标", d) +
                        Tender("T3", "公开招标", "2024-02-01", "2024-02-25 09:30", Firm(3),
                               "2000000.00", "阜新市民政局", "2500000.00", "货物", "中标", d) +
                        Tender("T4", "公开招标", "2024-02-01", "2024-02-25 09:30", Firm(4),
                               "2000000.00", "阜新市民政局", "2500000.00", "货物", "中标", d) +
                        Tender("T5", "公开招标", "2024-02-01", "2024-02-25 09:30", Firm(5),
                               "1999999.99", "阜新市民政局", "2500000.00", "货物", "中标", d));
  auto fs = Run("new_company_large_award");
  EXPECT_EQ(Ids(fs), std::vector<std::string>({"T2", "T3"}));
  for (const auto& f : fs) EXPECT_EQ(f.subject.dataset, "companies");
}

TEST_F(ProcurementUnit, SplitTenderWindowAndThresholds) {
  std::string t = kTenderHeader;
  // 甲: goods, exactly 2,000,000 together, 90 days apart: a split.
  t += Tender("A1", "询价", "2024-03-01", "2024-03-08 09:30", Firm(1), "", "甲局", "1000000.00");
  t += Tender("A2", "竞争性磋商", "2024-05-30", "2024-06-09 09:30", Firm(1), "", "甲局",
              "1000000.00");
  // 乙: the same 91 days apart.
  t += Tender("B1", "询价", "2024-03-01", "2024-03-08 09:30", Firm(1), "", "乙局", "1000000.00");
  t += Tender("B2", "询价", "2024-05-31", "2024-06-08 09:30", Firm(1), "", "乙局", "1000000.00");
  // 丙: works, 3,000,000 together stays under the 4,000,000 works threshold.
  t += Tender("C1", "竞争性谈判", "2024-03-01", "2024-03-08 09:30", Firm(1), "", "丙局",
              "1500000.00", "工程");
  t += Tender("C2", "竞争性谈判", "2024-03-05", "2024-03-12 09:30", Firm(1), "", "丙局",
              "1500000.00", "工程");
  // 丁: the first attempt failed (流标) and was procured again: not a split.
  t += Tender("D1", "竞争性磋商", "2024-03-01", "2024-03-11 09:30", "", "", "丁局", "1500000.00",
              "货物", "流标");
  t += Tender("D2", "竞争性磋商", "2024-03-20", "2024-03-30 09:30", Firm(1), "", "丁局",
              "1500000.00");
  // 戊: one part is a 公开招标, so only one non-open part remains.
  t +=
      Tender("E1", "公开招标", "2024-03-01", "2024-03-28 09:30", Firm(1), "", "戊局", "1500000.00");
  t += Tender("E2", "询价", "2024-03-20", "2024-03-27 09:30", Firm(1), "", "戊局", "1500000.00");
  // 己: different years.
  t += Tender("F1", "询价", "2023-12-20", "2023-12-27 09:30", Firm(1), "", "己局", "1500000.00");
  t += Tender("F2", "询价", "2024-01-05", "2024-01-12 09:30", Firm(1), "", "己局", "1500000.00");
  Import("tenders", t);
  auto fs = Run("split_tender");
  ASSERT_EQ(Ids(fs), std::vector<std::string>({"A1"}));
  EXPECT_EQ(Keys(fs[0], "tenders"), std::set<std::string>({"A1", "A2"}));
  EXPECT_EQ(fs[0].amount_fen, 200000000);
}

TEST_F(ProcurementUnit, ContractInflationAtRatio) {
  std::ostringstream c;
  c << "contract_id,tender_id,buyer_org,supplier_credit_code,amount,sign_date,final_amount,"
       "change_count\n"
    << "C1,,阜新市民政局," << Firm(1) << ",100000.00,2024-03-01,130000.00,2\n"
    << "C2,,阜新市民政局," << Firm(1) << ",100000.00,2024-03-01,129999.99,2\n"
    << "C3,,阜新市民政局," << Firm(1) << ",100000.00,2024-03-01,,\n";
  Import("contracts", c.str());
  auto fs = Run("contract_inflation");
  ASSERT_EQ(Ids(fs), std::vector<std::string>({"C1"}));
  EXPECT_EQ(fs[0].amount_fen, 3000000);
}

TEST_F(ProcurementUnit, WinnerLinkedToLeaderInPost) {
  std::string leader = Id("21090219700101001"), spouse = Id("21090219720202002"),
              gone = Id("21090219650303003"), staff = Id("21090219800404004");
  std::ostringstream o, r, c, s;
  o << "id_number,name,org,position,is_leader,start_date,end_date\n"
    << leader << ",王大力,阜新市民政局,局长,是,2020-01-01,\n"
    << gone << ",赵前任,阜新市民政局,局长,是,2015-01-01,2023-12-31\n"
    << staff << ",钱科员,阜新市民政局,科员,否,2015-01-01,\n";
  r << "official_id_number,relative_id_number,relative_name,relation\n"
    << leader << "," << spouse << ",李小花,配偶\n";
  c << "credit_code,name,legal_rep_id_number,legal_rep_name,registered_capital,established_date,"
       "status\n"
    << Firm(1) << ",配偶公司," << spouse << ",李小花,500000.00,2010-01-01,存续\n"
    << Firm(2) << ",局长参股公司," << Id("21090219900505005") << ",孙某,500000.00,2010-01-01,存续\n"
    << Firm(3) << ",前任公司," << gone << ",赵前任,500000.00,2010-01-01,存续\n"
    << Firm(4) << ",科员公司," << staff << ",钱科员,500000.00,2010-01-01,存续\n";
  s << "credit_code,holder_party,holder_name,share_ratio,start_date,end_date\n"
    << Firm(2) << "," << leader << ",王大力,30%,2019-01-01,\n";
  Import("officials", o.str());
  Import("relatives", r.str());
  Import("companies", c.str());
  Import("shareholders", s.str());
  const std::string d = "2024-03-01";
  Import("tenders", std::string(kTenderHeader) +
                        Tender("T1", "公开招标", "2024-02-01", "2024-02-25 09:30", Firm(1),
                               "800000.00", "阜新市民政局", "900000.00", "货物", "中标", d) +
                        Tender("T2", "公开招标", "2024-02-01", "2024-02-25 09:30", Firm(2),
                               "800000.00", "阜新市民政局", "900000.00", "货物", "中标", d) +
                        // The same company, another buyer: no link to that buyer's leaders.
                        Tender("T3", "公开招标", "2024-02-01", "2024-02-25 09:30", Firm(1),
                               "800000.00", "阜新市财政局", "900000.00", "货物", "中标", d) +
                        // The leader left before the award.
                        Tender("T4", "公开招标", "2024-02-01", "2024-02-25 09:30", Firm(3),
                               "800000.00", "阜新市民政局", "900000.00", "货物", "中标", d) +
                        // Not a leader.
                        Tender("T5", "公开招标", "2024-02-01", "2024-02-25 09:30", Firm(4),
                               "800000.00", "阜新市民政局", "900000.00", "货物", "中标", d));
  Import("bids", std::string(kBidHeader) + Bid("T1", 1, "800000.00"));
  auto fs = Run("winner_linked_to_leader");
  ASSERT_EQ(Ids(fs), std::vector<std::string>({"T1", "T2"}));
  for (const auto& f : fs) {
    EXPECT_EQ(Keys(f, "officials").size(), 1u) << f.identity;
    if (f.identity == "T1") {
      EXPECT_EQ(Keys(f, "relatives").size(), 1u);
      EXPECT_EQ(Keys(f, "companies"), std::set<std::string>({Firm(1)}));
      EXPECT_EQ(Keys(f, "bids"), std::set<std::string>({"T1|" + Firm(1)}));
      EXPECT_NE(f.summary.find("配偶"), std::string::npos) << f.summary;
      EXPECT_EQ(f.summary.find("李小花"), std::string::npos) << "names are masked";
    } else {
      EXPECT_EQ(Keys(f, "shareholders").size(), 1u);
      EXPECT_NE(f.summary.find("本人"), std::string::npos) << f.summary;
    }
  }
  auto all = Run("winner_linked_to_leader",
                 R"({"models":{"winner_linked_to_leader":{"leaders_only":0}}})");
  EXPECT_EQ(Ids(all), std::vector<std::string>({"T1", "T2", "T5"}));
}

}  // namespace
}  // namespace qf
