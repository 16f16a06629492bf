// Conduct models (八项规定): quality on the synthetic city, and hand-built
// edge cases — the per-person standard exactly met, swapped working weekend
// days (调休), trips that only touch.
#include <gtest/gtest.h>

#include <map>

#include "ingest/importer.h"
#include "model_test_util.h"

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
  std::vector<engine::Finding> Run(const std::string& id,
                                   const std::map<std::string, std::string>& overrides = {}) {
    std::vector<engine::Finding> out;
    const engine::Model* m = engine::FindBuiltinModel(id);
    if (!m) {
      ADD_FAILURE() << "no model " << id;
      return out;
    }
    auto snap = engine::Snapshot::Load(store_->db(), m->info().inputs);
    if (!snap.ok()) {
      ADD_FAILURE() << snap.status().ToString();
      return out;
    }
    std::map<std::string, std::string> values;
    for (const engine::ParamDef& p : m->info().params) values[p.name] = p.default_value;
    for (const auto& [k, v] : overrides) values[k] = v;
    engine::Params params(values);
    engine::RunContext ctx{*snap.value(), params};
    Status st = m->Run(ctx, &out);
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

 private:
  ScratchDir dir_;
  std::unique_ptr<Store> store_;
};

constexpr const char* kClaimHeader =
    "claim_id,org,claimant_id_number,claim_date,kind,amount,vendor_name,vendor_category,"
    "start_date,end_date,persons\n";
constexpr const char* kA = "11010519491231002X";
constexpr const char* kB = "440524188001010014";

std::string Claim(const std::string& id, const std::string& org, const std::string& who,
                  const std::string& kind, const std::string& amount, const std::string& vendor,
                  const std::string& category, const std::string& start, const std::string& end,
                  const std::string& persons) {
  return id + "," + org + "," + who + ",2024-12-01," + kind + "," + amount + "," + vendor + "," +
         category + "," + start + "," + end + "," + persons + "\n";
}

bool Flags(const std::vector<engine::Finding>& fs, const std::string& key) {
  for (const auto& f : fs) {
    for (const auto& e : f.evidence) {
      if (e.key == key) return true;
    }
  }
  return false;
}

TEST(ConductModels, ReceptionOverStandard) {
  auto r = RunOnCity("reception_over_standard");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("人均"), std::string::npos) << r.findings[0].summary;
}

TEST(ConductModels, LuxuryVenue) { ExpectQuality(RunOnCity("luxury_venue")); }

TEST(ConductModels, ScenicWeekend) {
  auto r = RunOnCity("scenic_weekend");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("非工作日"), std::string::npos);
}

TEST(ConductModels, OverlappingTravel) { ExpectQuality(RunOnCity("overlapping_travel")); }

TEST(ConductModels, SplitInvoices) { ExpectQuality(RunOnCity("split_invoices")); }

TEST(ConductModels, CarHolidayResort) { ExpectQuality(RunOnCity("car_holiday_resort")); }

TEST(ConductModels, CarOverlappingTrips) { ExpectQuality(RunOnCity("car_overlapping_trips")); }

TEST(ConductModels, ReceptionExactlyAtStandardIsAllowed) {
  TinyDb db;
  db.Import("reimbursements",
            std::string(kClaimHeader) +
                Claim("R1", "财政局", kA, "接待", "900.00", "餐厅甲", "餐饮", "2024-03-04",
                      "2024-03-04", "6") +  // exactly 150
                Claim("R2", "财政局", kA, "接待", "900.06", "餐厅甲", "餐饮", "2024-03-05",
                      "2024-03-05", "6") +  // 150.01 per person
                Claim("R3", "财政局", kA, "接待", "5000.00", "餐厅甲", "餐饮", "2024-03-06",
                      "2024-03-06", "") +  // no head count: cannot judge
                Claim("R4", "财政局", kA, "会议", "5000.00", "酒店甲", "酒店", "2024-03-07",
                      "2024-03-07", "2") +  // not a reception
                Claim("R5", "财政局", kA, "接待", "9000.00", "某某会所", "高档消费", "2024-03-08",
                      "2024-03-08", "4"));  // luxury_venue's lead
  auto fs = db.Run("reception_over_standard");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_EQ(fs[0].identity, "R2");
  EXPECT_EQ(fs[0].amount_fen, 6);
  EXPECT_NE(fs[0].summary.find("人均150.01元"), std::string::npos) << fs[0].summary;
  // A stricter local standard is a setting.
  EXPECT_EQ(db.Run("reception_over_standard", {{"standard_yuan", "120"}}).size(), 2u);
  EXPECT_EQ(db.Run("reception_over_standard", {{"exclude_categories", ""}}).size(), 2u);
  auto lux = db.Run("luxury_venue");
  ASSERT_EQ(lux.size(), 1u);
  EXPECT_NE(lux[0].summary.find("4人，人均2,250.00元"), std::string::npos) << lux[0].summary;
}

TEST(ConductModels, LuxuryVenueByCategoryAndName) {
  TinyDb db;
  db.Import("reimbursements", std::string(kClaimHeader) +
                                  Claim("L1", "财政局", kA, "接待", "800.00", "某某歌城", "娱乐",
                                        "2024-03-04", "2024-03-04", "4") +
                                  Claim("L2", "财政局", kA, "接待", "800.00", "阜新某某会所",
                                        "餐饮", "2024-03-05", "2024-03-05", "8") +
                                  Claim("L3", "财政局", kA, "接待", "800.00", "阜新某某酒楼",
                                        "餐饮", "2024-03-06", "2024-03-06", "8"));
  auto fs = db.Run("luxury_venue");
  EXPECT_TRUE(Flags(fs, "L1"));
  EXPECT_TRUE(Flags(fs, "L2"));
  EXPECT_FALSE(Flags(fs, "L3"));
  EXPECT_EQ(db.Run("luxury_venue", {{"vendor_keywords", ""}}).size(), 1u);
}

TEST(ConductModels, ScenicUsesTheOfficialCalendar) {
  TinyDb db;
  db.Import("reimbursements",
            std::string(kClaimHeader) +
                // 2024-02-04 is a Sunday worked in exchange for the Spring Festival.
                Claim("S1", "文旅局", kA, "培训", "900.00", "瑞应寺景区", "景区", "2024-02-04",
                      "2024-02-04", "10") +
                Claim("S2", "文旅局", kA, "培训", "900.00", "瑞应寺景区", "景区", "2024-02-03",
                      "2024-02-03", "10") +  // Saturday
                Claim("S3", "文旅局", kA, "培训", "900.00", "海棠山风景区", "景区", "2024-10-02",
                      "2024-10-02", "10") +  // National Day, a Wednesday
                Claim("S4", "文旅局", kA, "差旅", "900.00", "海棠山风景区", "景区", "2024-03-29",
                      "2024-04-01", "") +  // Friday to Monday
                Claim("S5", "文旅局", kA, "培训", "900.00", "海棠山风景区", "景区", "2024-03-05",
                      "2024-03-07", "10") +  // working days only
                Claim("S6", "文旅局", kA, "接待", "900.00", "某某酒楼", "餐饮", "2024-03-09",
                      "2024-03-09", "10"));  // a Saturday, but not a scenic spot
  auto fs = db.Run("scenic_weekend");
  EXPECT_FALSE(Flags(fs, "S1"));
  EXPECT_TRUE(Flags(fs, "S2"));
  EXPECT_TRUE(Flags(fs, "S3"));
  EXPECT_TRUE(Flags(fs, "S4"));
  EXPECT_FALSE(Flags(fs, "S5"));
  EXPECT_FALSE(Flags(fs, "S6"));
  for (const auto& f : fs) {
    if (f.identity == "S3") {
      EXPECT_NE(f.summary.find("国庆节"), std::string::npos) << f.summary;
    }
  }
}

TEST(ConductModels, OverlappingTravelIgnoresHandOverDays) {
  TinyDb db;
  std::string csv = kClaimHeader;
  csv += Claim("T1", "财政局", kA, "差旅", "1000.00", "酒店甲", "酒店", "2024-03-04", "2024-03-06",
               "");
  // The next day: fine.
  csv += Claim("T2", "财政局", kA, "差旅", "1000.00", "酒店乙", "酒店", "2024-03-07", "2024-03-08",
               "");
  // A trip inside a trip.
  csv += Claim("T3", "财政局", kA, "差旅", "1000.00", "酒店丙", "酒店", "2024-04-01", "2024-04-05",
               "");
  csv += Claim("T4", "财政局", kA, "差旅", "1000.00", "酒店丁", "酒店", "2024-04-02", "2024-04-02",
               "");
  // Someone else.
  csv += Claim("T5", "财政局", kB, "差旅", "1000.00", "酒店丁", "酒店", "2024-04-02", "2024-04-03",
               "");
  // Back from one trip and off on the next the same day: a hand-over.
  csv += Claim("T6", "财政局", kA, "差旅", "1000.00", "酒店甲", "酒店", "2024-05-06", "2024-05-08",
               "");
  csv += Claim("T7", "财政局", kA, "差旅", "1000.00", "酒店乙", "酒店", "2024-05-08", "2024-05-10",
               "");
  csv += Claim("T8", "财政局", kA, "差旅", "1000.00", "酒店丙", "酒店", "2024-05-10", "2024-05-10",
               "");
  // Two one-day trips on one day are not a hand-over.
  csv +=
      Claim("T9", "财政局", kB, "差旅", "300.00", "酒店甲", "酒店", "2024-06-03", "2024-06-03", "");
  csv += Claim("T10", "财政局", kB, "差旅", "300.00", "酒店乙", "酒店", "2024-06-03", "2024-06-03",
               "");
  db.Import("reimbursements", csv);
  auto fs = db.Run("overlapping_travel");
  ASSERT_EQ(fs.size(), 2u);
  EXPECT_TRUE(Flags(fs, "T3"));
  EXPECT_TRUE(Flags(fs, "T4"));
  EXPECT_FALSE(Flags(fs, "T1"));
  EXPECT_FALSE(Flags(fs, "T5"));
  EXPECT_FALSE(Flags(fs, "T6"));
  EXPECT_FALSE(Flags(fs, "T7"));
  EXPECT_FALSE(Flags(fs, "T8"));
  EXPECT_TRUE(Flags(fs, "T9"));
  EXPECT_TRUE(Flags(fs, "T10"));
  for (const auto& f : fs) EXPECT_EQ(f.evidence.size(), 2u) << f.summary;
  // Counting the hand-over day as an overlap joins T6, T7 and T8 into one lead.
  auto strict = db.Run("overlapping_travel", {{"allow_handover_day", "0"}});
  EXPECT_EQ(strict.size(), 3u);
  EXPECT_TRUE(Flags(strict, "T8"));
}

TEST(ConductModels, SplitInvoicesOneVendorOneDay) {
  TinyDb db;
  db.Import("reimbursements",
            std::string(kClaimHeader) +
                Claim("P1", "财政局", kA, "接待", "600.00", "酒楼甲", "餐饮", "2024-03-04",
                      "2024-03-04", "5") +
                Claim("P2", "财政局", kB, "接待", "600.00", "酒楼甲", "餐饮", "2024-03-04",
                      "2024-03-04", "5") +  // split among colleagues
                Claim("P3", "财政局", kA, "接待", "600.00", "酒楼甲", "餐饮", "2024-03-05",
                      "2024-03-05", "5") +  // another day
                Claim("P4", "民政局", kA, "接待", "600.00", "酒楼甲", "餐饮", "2024-03-05",
                      "2024-03-05", "5") +  // another body
                Claim("H1", "财政局", kA, "差旅", "400.00", "酒店甲", "酒店", "2024-03-04",
                      "2024-03-05", "") +
                Claim("H2", "财政局", kB, "差旅", "400.00", "酒店甲", "酒店", "2024-03-04",
                      "2024-03-05", ""));  // two travellers, one room each
  auto fs = db.Run("split_invoices");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_TRUE(Flags(fs, "P1"));
  EXPECT_TRUE(Flags(fs, "P2"));
  EXPECT_EQ(fs[0].amount_fen, 120000);
  EXPECT_NE(fs[0].summary.find("2人分别报销"), std::string::npos) << fs[0].summary;
}

constexpr const char* kTripHeader = "trip_id,plate,org,start_time,end_time,destination\n";

TEST(ConductModels, CarResortOnDaysOffOnly) {
  TinyDb db;
  db.Import("car_trips", std::string(kTripHeader) +
                             // 2024-02-04: swapped working Sunday.
                             "C1,辽JA0001,文旅局,2024-02-04 09:00,2024-02-04 17:00,某某温泉\n"
                             "C2,辽JA0001,文旅局,2024-02-03 09:00,2024-02-03 17:00,某某温泉\n"
                             "C3,辽JA0001,文旅局,2024-02-05 09:00,2024-02-05 17:00,某某温泉\n"
                             "C4,辽JA0001,文旅局,2024-02-10 09:00,2024-02-10 17:00,市政府\n"
                             "C5,辽JA0001,文旅局,2024-05-01 09:00,2024-05-01 17:00,彰武滑雪场\n"
                             // Leaves on a Friday, returns from the resort on Sunday.
                             "C6,辽JA0002,文旅局,2024-03-08 16:00,2024-03-10 18:00,某某度假村\n");
  auto fs = db.Run("car_holiday_resort");
  EXPECT_FALSE(Flags(fs, "C1"));
  EXPECT_TRUE(Flags(fs, "C2"));
  EXPECT_FALSE(Flags(fs, "C3"));
  EXPECT_FALSE(Flags(fs, "C4"));
  EXPECT_TRUE(Flags(fs, "C5"));
  EXPECT_TRUE(Flags(fs, "C6"));
  for (const auto& f : fs) {
    if (f.identity == "C5") {
      EXPECT_NE(f.summary.find("劳动节"), std::string::npos) << f.summary;
    }
  }
}

TEST(ConductModels, CarTripsThatOnlyTouchDoNotOverlap) {
  TinyDb db;
  db.Import("car_trips", std::string(kTripHeader) +
                             "D1,辽JA0001,财政局,2024-03-04 08:00,2024-03-04 12:00,甲\n"
                             "D2,辽JA0001,财政局,2024-03-04 12:00,2024-03-04 15:00,乙\n"
                             "D3,辽JA0001,财政局,2024-03-05 08:00,2024-03-05 18:00,甲\n"
                             "D4,辽JA0001,财政局,2024-03-05 10:00,2024-03-05 11:00,乙\n"
                             "D5,辽JA0002,财政局,2024-03-05 10:00,2024-03-05 11:00,乙\n");
  auto fs = db.Run("car_overlapping_trips");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_TRUE(Flags(fs, "D3"));
  EXPECT_TRUE(Flags(fs, "D4"));
  EXPECT_FALSE(Flags(fs, "D2"));
  EXPECT_EQ(fs[0].subject.key, "辽JA0001");
  EXPECT_NE(fs[0].summary.find("60分钟"), std::string::npos) << fs[0].summary;
}

}  // namespace
}  // namespace qf
