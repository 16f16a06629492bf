// Party models (三会一课): quality on the synthetic city, and edge cases on
// small hand-built data.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "common/text.h"
#include "model_test_util.h"

namespace qf {
namespace {

using qf::testing::ExpectQuality;
using qf::testing::RunOnCity;
using qf::testing::ScratchDir;

TEST(PartyModels, MeetingsBelowFrequency) {
  auto r = RunOnCity("meetings_below_frequency");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("少于每年"), std::string::npos);
}

TEST(PartyModels, AssemblyWithoutQuorum) {
  auto r = RunOnCity("assembly_without_quorum");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("应到"), std::string::npos);
}

TEST(PartyModels, CopiedMinutes) {
  auto r = RunOnCity("copied_minutes");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_NE(r.findings[0].summary.find("Jaccard"), std::string::npos);
}

// A tiny database of branch meetings imported from CSV text.
class PartySmall : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Open(dir_.File("t.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  void Add(const std::string& id, const std::string& branch, const std::string& kind,
           const std::string& date, int attendees = 8, int expected = 10,
           const std::string& minutes = "") {
    csv_ += id + "," + branch + ",第" + branch + "支部," + kind + "," + date + "," +
            std::to_string(attendees) + "," + std::to_string(expected) + ",主题,\"" + minutes +
            "\"\n";
  }

  // Every kind at its yearly minimum (monthly, quarterly, in December) for
  // the months [from, to], counted from 2023-01 = 0, except that 2023 gets
  // only `assemblies_2023` assemblies.
  void FillBranch(int from, int to, int assemblies_2023) {
    int n = 0, assemblies = 0;
    for (int m = from; m <= to; ++m) {
      int year = 2023 + m / 12, month = m % 12 + 1;
      auto date = [&](int d) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, d);
        return std::string(buf);
      };
      auto id = [&] { return "K" + std::to_string(++n); };
      Add(id(), "B1", "支部委员会", date(3));
      Add(id(), "B1", "党小组会", date(5));
      Add(id(), "B1", "主题党日", date(10));
      if (month % 3 == 0) {
        Add(id(), "B1", "党课", date(12));
        if (year != 2023 || assemblies++ < assemblies_2023)
          Add(id(), "B1", "支部党员大会", date(15));
      }
      if (month == 12) Add(id(), "B1", "组织生活会", date(20));
    }
  }

  std::vector<engine::Finding> Run(const std::string& model) {
    std::string path = dir_.Write(
        "branch_meetings.csv",
        "meeting_id,branch_id,branch_name,kind,held_on,attendees,expected,topic,minutes_text\n" +
            csv_);
    Importer imp(store_.get());
    auto rep = imp.ImportFile("branch_meetings", path, {});
    EXPECT_TRUE(rep.ok()) << rep.status().ToString();
    if (rep.ok()) {
      EXPECT_EQ(rep.value()[0].quarantined, 0);
    }
    const engine::Model* m = engine::FindBuiltinModel(model);
    EXPECT_NE(m, nullptr);
    if (!m) return {};
    auto snap = engine::Snapshot::Load(store_->db(), m->info().inputs);
    EXPECT_TRUE(snap.ok());
    if (!snap.ok()) return {};
    auto runs = engine::RunModels(*snap.value(), {m}, engine::Settings());
    EXPECT_TRUE(runs[0].status.ok()) << runs[0].status.ToString();
    return runs[0].findings;
  }

  ScratchDir dir_;
  std::unique_ptr<Store> store_;
  std::string csv_;
};

TEST_F(PartySmall, QuorumNeedsMoreThanHalf) {
  Add("M1", "B1", "支部党员大会", "2024-03-01", 5, 10);  // exactly half: no quorum
  Add("M2", "B1", "支部党员大会", "2024-06-01", 6, 10);  // more than half
  Add("M3", "B1", "支部党员大会", "2024-09-01", 4, 9);   // under half of an odd number
  Add("M4", "B1", "支部党员大会", "2024-12-01", 5, 9);   // 5 > 4.5
  Add("M5", "B1", "支部委员会", "2024-12-02", 1, 5);     // not an assembly
  auto f = Run("assembly_without_quorum");
  std::vector<std::string> keys;
  for (const auto& x : f) keys.push_back(x.identity);
  EXPECT_EQ(keys, (std::vector<std::string>{"M1", "M3"}));
}

TEST_F(PartySmall, FrequencyJudgesOnlyCompleteYears) {
  // 2023 complete with three assemblies; 2024 ends in June (a partial year,
  // whose two assemblies and missing 组织生活会 are not judged).
  FillBranch(0, 17, 3);
  auto f = Run("meetings_below_frequency");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].identity, "B1|2023|支部党员大会");
  EXPECT_EQ(f[0].evidence.size(), 3u);
  EXPECT_NE(f[0].summary.find("仅召开支部党员大会3次"), std::string::npos) << f[0].summary;
}

TEST_F(PartySmall, FrequencyFullYearsAreFine) {
  FillBranch(0, 23, 4);
  EXPECT_TRUE(Run("meetings_below_frequency").empty());
}

TEST_F(PartySmall, FrequencySkipsYearStartingLate) {
  // Records start in February 2023: 2023 is partial even with one meeting short.
  FillBranch(1, 23, 2);
  EXPECT_TRUE(Run("meetings_below_frequency").empty());
}

// n distinct CJK characters starting at `first` (code points).
std::string Cjk(int first, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) AppendUtf8(&s, static_cast<char32_t>(0x4E00 + first + i));
  return s;
}

TEST_F(PartySmall, CopiedMinutesThresholdOnCodePoints) {
  // 44 distinct characters give 40 five-grams; appending m new characters adds
  // m new five-grams (and keeps the 40): Jaccard = 40 / (40 + m).
  std::string base = Cjk(0, 44);
  Add("M1", "B1", "支部委员会", "2024-01-03", 8, 10, base);
  Add("M2", "B2", "支部委员会", "2024-02-03", 8, 10, base + Cjk(100, 10));  // 40/50 = 0.8
  Add("M3", "B3", "支部委员会", "2024-03-03", 8, 10, Cjk(200, 44));
  Add("M4", "B4", "支部委员会", "2024-04-03", 8, 10, Cjk(200, 44) + Cjk(300, 11));  // 40/51
  Add("M5", "B5", "支部委员会", "2024-05-03", 8, 10, Cjk(400, 20));  // too short to judge
  Add("M6", "B6", "支部委员会", "2024-06-03", 8, 10, Cjk(400, 20));
  auto f = Run("copied_minutes");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].identity, "M2");  // the later meeting is the copy
  ASSERT_EQ(f[0].evidence.size(), 2u);
  EXPECT_EQ(f[0].evidence[1].key, "M1");
  EXPECT_NE(f[0].summary.find("0.80"), std::string::npos) << f[0].summary;
}

TEST_F(PartySmall, CopiedMinutesGroupsOriginalsOfOneCopy) {
  std::string text = Cjk(0, 60);
  Add("M1", "B1", "支部党员大会", "2024-01-03", 8, 10, text);
  Add("M2", "B1", "支部党员大会", "2024-04-03", 8, 10, text);
  // Spaces and line breaks do not matter.
  Add("M3", "B2", "党课", "2024-07-03", 8, 10, Cjk(0, 30) + " \n" + Cjk(30, 30));
  auto f = Run("copied_minutes");
  ASSERT_EQ(f.size(), 2u);
  std::map<std::string, size_t> originals;
  for (const auto& x : f) originals[x.identity] = x.evidence.size() - 1;
  EXPECT_EQ(originals["M2"], 1u);
  EXPECT_EQ(originals["M3"], 2u);
}

}  // namespace
}  // namespace qf
