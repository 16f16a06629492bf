// 三会一课 (src/leads/party.h): the compliance calendar on hand-made meetings
// (a month missed, a quarter met, at risk ten working days before the
// quarter ends over 中秋 and a 调休 Saturday, quorum failures not counted),
// the one frequency table with the settings' overrides, the registry with
// unregistered branches, meetings entered through the importer, invalid input
// refused, warnings, the summary, and scopes over HTTP.
#include "leads/party.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/model.h"
#include "models/party.h"
#include "test_server.h"
#include "workflow_test_util.h"

namespace qf::testing {
namespace {

using leads::CellStatus;

const models::MeetingRequirement& Req(const std::string& kind) {
  const models::MeetingRequirement* r = models::FindRequirement(kind);
  EXPECT_NE(r, nullptr) << kind;
  return *r;
}

leads::Meeting M(const std::string& id, const std::string& kind, const std::string& day,
                 int attendees = 8, int expected = 10) {
  return {.meeting_id = id,
          .branch_id = "DZB0001",
          .kind = kind,
          .held_on = day,
          .attendees = attendees,
          .expected = expected};
}

leads::Branch TestBranch() {
  return {.branch_id = "DZB0001", .name = "中共阜新市财政局支部委员会", .set_up_on = "2020-01-01"};
}

const leads::CalendarCell& Cell(const leads::Calendar& cal, const std::string& kind, int index) {
  for (const auto& r : cal.rows) {
    if (r.requirement.kind == kind) return r.cells.at(static_cast<size_t>(index - 1));
  }
  ADD_FAILURE() << "no row " << kind;
  static leads::CalendarCell none;
  return none;
}

// Committee meetings every month from January to August except March;
// assemblies in Q1 (quorum) and Q2 (exactly half: no quorum); nothing in Q3.
std::vector<leads::Meeting> YearOfMeetings() {
  std::vector<leads::Meeting> v;
  for (int m = 1; m <= 8; ++m) {
    if (m == 3) continue;
    char day[16];
    std::snprintf(day, sizeof day, "2024-%02d-10", m);
    v.push_back(M("C" + std::to_string(m), "支部委员会", day));
  }
  v.push_back(M("A1", "支部党员大会", "2024-03-15", 8, 10));
  v.push_back(M("A2", "支部党员大会", "2024-06-14", 5, 10));
  return v;
}

leads::PartyParams TwoKinds() {
  leads::PartyParams p;
  p.requirements = {Req("支部委员会"), Req("支部党员大会")};
  return p;
}

TEST(PartyCalendar, MonthMissedQuarterMetAtRiskOverTheHolidays) {
  // 2024-09-16 is 中秋 (15–17 September); 14 September (a Saturday) and
  // 29 September (a Sunday) are 调休 working days. From the 16th to the end of
  // the quarter: 18, 19, 20, 23–27, 29, 30 = 10 working days (Monday to Friday
  // alone would give 11).
  leads::Calendar cal = leads::BuildCalendar(TestBranch(), YearOfMeetings(), 2024,
                                             CivilDate{2024, 9, 16}, TwoKinds());
  ASSERT_EQ(cal.rows.size(), 2u);
  EXPECT_EQ(cal.rows[0].cells.size(), 12u);
  EXPECT_EQ(cal.rows[1].cells.size(), 4u);
  EXPECT_EQ(Cell(cal, "支部委员会", 1).status, CellStatus::kMet);
  EXPECT_EQ(Cell(cal, "支部委员会", 3).status, CellStatus::kMissed);
  EXPECT_EQ(Cell(cal, "支部委员会", 3).label, "2024-03");
  EXPECT_EQ(Cell(cal, "支部委员会", 9).status, CellStatus::kAtRisk);
  EXPECT_EQ(Cell(cal, "支部委员会", 10).status, CellStatus::kFuture);
  const auto& q1 = Cell(cal, "支部党员大会", 1);
  EXPECT_EQ(q1.status, CellStatus::kMet);
  EXPECT_EQ(q1.label, "2024Q1");
  EXPECT_EQ(q1.first_month, 1);
  EXPECT_EQ(q1.last_month, 3);
  const auto& q3 = Cell(cal, "支部党员大会", 3);
  EXPECT_EQ(q3.status, CellStatus::kAtRisk);
  EXPECT_EQ(q3.working_days_left, 10);
  EXPECT_EQ(q3.end, "2024-09-30");
  EXPECT_EQ(Cell(cal, "支部党员大会", 4).status, CellStatus::kFuture);
  // Due = periods over: committee Jan–Aug (7 met, March missed), assembly Q1, Q2.
  EXPECT_EQ(cal.due, 10);
  EXPECT_EQ(cal.met, 8);
  EXPECT_EQ(cal.missed, 2);
  EXPECT_EQ(cal.at_risk, 2);
  EXPECT_EQ(cal.no_quorum, 1);

  // On the 调休 Saturday before: 11 working days left, still open.
  cal = leads::BuildCalendar(TestBranch(), YearOfMeetings(), 2024, CivilDate{2024, 9, 14},
                             TwoKinds());
  EXPECT_EQ(Cell(cal, "支部党员大会", 3).status, CellStatus::kOpen);
  EXPECT_EQ(Cell(cal, "支部党员大会", 3).working_days_left, 11);
  // On the last day (a working day) one is left; the day after 国庆 it is missed.
  cal = leads::BuildCalendar(TestBranch(), YearOfMeetings(), 2024, CivilDate{2024, 9, 30},
                             TwoKinds());
  EXPECT_EQ(Cell(cal, "支部党员大会", 3).working_days_left, 1);
  EXPECT_EQ(Cell(cal, "支部党员大会", 3).status, CellStatus::kAtRisk);
  cal = leads::BuildCalendar(TestBranch(), YearOfMeetings(), 2024, CivilDate{2024, 10, 8},
                             TwoKinds());
  EXPECT_EQ(Cell(cal, "支部党员大会", 3).status, CellStatus::kMissed);
  // A shorter warning window: 10 left is no longer at risk.
  leads::PartyParams p = TwoKinds();
  p.warn_working_days = 9;
  cal = leads::BuildCalendar(TestBranch(), YearOfMeetings(), 2024, CivilDate{2024, 9, 16}, p);
  EXPECT_EQ(Cell(cal, "支部党员大会", 3).status, CellStatus::kOpen);
}

TEST(PartyCalendar, AssemblyWithoutQuorumIsFlaggedAndNotCounted) {
  leads::Calendar cal = leads::BuildCalendar(TestBranch(), YearOfMeetings(), 2024,
                                             CivilDate{2024, 9, 16}, TwoKinds());
  const auto& q2 = Cell(cal, "支部党员大会", 2);
  EXPECT_EQ(q2.status, CellStatus::kMissed);
  EXPECT_EQ(q2.held, 0);
  ASSERT_EQ(q2.meetings.size(), 1u);
  EXPECT_TRUE(q2.meetings[0].no_quorum);
  EXPECT_FALSE(q2.meetings[0].counted);
  // 6 of 8 expected is a quorum, but not of the registry's 12 voting members.
  std::vector<leads::Meeting> v = {M("A3", "支部党员大会", "2024-03-01", 6, 8)};
  leads::Branch b = TestBranch();
  cal = leads::BuildCalendar(b, v, 2024, CivilDate{2024, 9, 16}, TwoKinds());
  EXPECT_EQ(Cell(cal, "支部党员大会", 1).status, CellStatus::kMet);
  b.members = 14;
  b.voting_members = 12;
  cal = leads::BuildCalendar(b, v, 2024, CivilDate{2024, 9, 16}, TwoKinds());
  EXPECT_EQ(Cell(cal, "支部党员大会", 1).status, CellStatus::kMissed);
  EXPECT_TRUE(Cell(cal, "支部党员大会", 1).meetings[0].no_quorum);
  // Committees have no quorum rule.
  v = {M("C1", "支部委员会", "2024-01-05", 1, 9)};
  cal = leads::BuildCalendar(b, v, 2024, CivilDate{2024, 9, 16}, TwoKinds());
  EXPECT_EQ(Cell(cal, "支部委员会", 1).status, CellStatus::kMet);
}

TEST(PartyCalendar, OutsideTheBranchLifeIsNotDue) {
  leads::Branch b = TestBranch();
  b.set_up_on = "2024-02-01";
  b.status = "dissolved";
  b.dissolved_on = "2024-08-15";
  leads::Calendar cal =
      leads::BuildCalendar(b, YearOfMeetings(), 2024, CivilDate{2024, 9, 16}, TwoKinds());
  EXPECT_EQ(Cell(cal, "支部委员会", 1).status, CellStatus::kNotDue);
  EXPECT_EQ(Cell(cal, "支部委员会", 2).status, CellStatus::kMet);
  EXPECT_EQ(Cell(cal, "支部委员会", 3).status, CellStatus::kMissed);
  EXPECT_EQ(Cell(cal, "支部委员会", 8).status, CellStatus::kNotDue);  // dissolved mid-August
  EXPECT_EQ(Cell(cal, "支部委员会", 9).status, CellStatus::kNotDue);
  EXPECT_EQ(Cell(cal, "支部党员大会", 1).status, CellStatus::kNotDue);  // set up mid-quarter
  // An unregistered branch is judged from the month of its first meeting.
  leads::Branch u = TestBranch();
  u.registered = false;
  u.set_up_on.clear();
  u.first_meeting = "2024-02-10";
  cal = leads::BuildCalendar(u, YearOfMeetings(), 2024, CivilDate{2024, 9, 16}, TwoKinds());
  EXPECT_EQ(Cell(cal, "支部委员会", 1).status, CellStatus::kNotDue);
  EXPECT_EQ(Cell(cal, "支部委员会", 2).status, CellStatus::kMet);
}

TEST(PartyCalendar, MeetingsAfterTheAsOfDayAreNotYetKnown) {
  // Replaying 2024-08-05 with the whole year's meetings: August's committee
  // (held on the 10th) is still open, Q3's later assembly does not count.
  std::vector<leads::Meeting> v = YearOfMeetings();
  v.push_back(M("A3", "支部党员大会", "2024-09-12", 9, 10));
  leads::Calendar cal =
      leads::BuildCalendar(TestBranch(), v, 2024, CivilDate{2024, 8, 5}, TwoKinds());
  const auto& aug = Cell(cal, "支部委员会", 8);
  EXPECT_EQ(aug.held, 0);
  EXPECT_TRUE(aug.meetings.empty());
  EXPECT_NE(aug.status, CellStatus::kMet);
  const auto& q3 = Cell(cal, "支部党员大会", 3);
  EXPECT_EQ(q3.held, 0);
  EXPECT_NE(q3.status, CellStatus::kMet);
  EXPECT_EQ(Cell(cal, "支部委员会", 9).status, CellStatus::kFuture);
  // A meeting held on the day itself counts.
  cal = leads::BuildCalendar(TestBranch(), v, 2024, CivilDate{2024, 8, 10}, TwoKinds());
  EXPECT_EQ(Cell(cal, "支部委员会", 8).status, CellStatus::kMet);
  // Later, both are known.
  cal = leads::BuildCalendar(TestBranch(), v, 2024, CivilDate{2024, 9, 16}, TwoKinds());
  EXPECT_EQ(Cell(cal, "支部党员大会", 3).status, CellStatus::kMet);
}

TEST(PartyRequirements, OneTableForModelsAndCalendar) {
  // The model's parameters are the table's yearly minimums.
  const engine::Model* m = engine::FindBuiltinModel(models::kFrequencyModel);
  ASSERT_NE(m, nullptr);
  ASSERT_EQ(m->info().params.size(), models::MeetingRequirements().size());
  for (size_t i = 0; i < m->info().params.size(); ++i) {
    const auto& r = models::MeetingRequirements()[i];
    EXPECT_EQ(m->info().params[i].name, r.param);
    EXPECT_EQ(m->info().params[i].default_value, std::to_string(r.PerYear()));
  }
  EXPECT_EQ(Req("支部党员大会").period, models::MeetingPeriod::kQuarter);
  EXPECT_EQ(Req("支部委员会").period, models::MeetingPeriod::kMonth);
  EXPECT_EQ(Req("组织生活会").period, models::MeetingPeriod::kYear);
  models::MeetingRequirement r = Req("党课");
  for (auto [per_year, period, per] : std::vector<std::tuple<int, models::MeetingPeriod, int>>{
           {12, models::MeetingPeriod::kMonth, 1},
           {24, models::MeetingPeriod::kMonth, 2},
           {4, models::MeetingPeriod::kQuarter, 1},
           {8, models::MeetingPeriod::kQuarter, 2},
           {6, models::MeetingPeriod::kYear, 6},
           {1, models::MeetingPeriod::kYear, 1},
           {0, models::MeetingPeriod::kYear, 0}}) {
    models::ScheduleFromPerYear(per_year, &r);
    EXPECT_EQ(r.period, period) << per_year;
    EXPECT_EQ(r.per_period, per) << per_year;
  }
  EXPECT_FALSE(models::HasQuorum(5, 10));
  EXPECT_TRUE(models::HasQuorum(6, 10));
  EXPECT_TRUE(models::HasQuorum(5, 9));
  EXPECT_FALSE(models::HasQuorum(4, 9));
}

TEST(PartyParams, SettingsOverridesReachTheCalendar) {
  ScratchDir dir;
  auto p = leads::LoadPartyParams(dir.File("missing.json"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->warn_working_days, 10);
  EXPECT_DOUBLE_EQ(p->quorum_ratio, 0.5);
  std::string path =
      dir.Write("s.json",
                R"({"models": {"meetings_below_frequency": {"min_assembly": 8, "min_lecture": 1},
                     "assembly_without_quorum": {"quorum_ratio": 0.6}},
          "party": {"warn_working_days": 5}})");
  p = leads::LoadPartyParams(path);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->warn_working_days, 5);
  EXPECT_DOUBLE_EQ(p->quorum_ratio, 0.6);
  for (const auto& r : p->requirements) {
    if (r.kind == "支部党员大会") {
      EXPECT_EQ(r.period, models::MeetingPeriod::kQuarter);
      EXPECT_EQ(r.per_period, 2);
    }
    if (r.kind == "党课") {
      EXPECT_EQ(r.period, models::MeetingPeriod::kYear);
    }
  }
  path = dir.Write("bad.json", R"({"party": {"warn_working_days": 100}})");
  EXPECT_FALSE(leads::LoadPartyParams(path).ok());
  path = dir.Write("bad2.json", R"({"party": {"warn_days": 3}})");
  EXPECT_FALSE(leads::LoadPartyParams(path).ok());
}

TEST(PartyRegistry, OrganisationFromTheBranchName) {
  auto none = [](const std::string&) { return std::string(); };
  EXPECT_EQ(leads::OrgFromBranchName("中共阜新市财政局支部委员会", none), "阜新市财政局");
  EXPECT_EQ(leads::OrgFromBranchName("中共细河区民政局机关党支部", none), "细河区民政局");
  EXPECT_EQ(leads::OrgFromBranchName("第三党小组", none), "");
  auto known = [](const std::string& n) {
    return n.find("阜新市财政局") != std::string::npos ? std::string("阜新市财政局") : "";
  };
  EXPECT_EQ(leads::OrgFromBranchName("阜新市财政局第二支部", known), "阜新市财政局");
  EXPECT_TRUE(leads::ValidateBranchId("DZB0001").ok());
  EXPECT_FALSE(leads::ValidateBranchId("D").ok());
  EXPECT_FALSE(leads::ValidateBranchId("DZB 0001").ok());
  EXPECT_FALSE(leads::ValidateBranchId("支部1").ok());
  EXPECT_FALSE(leads::ValidateBranchId("-DZB").ok());
}

// A store with meetings of three branches imported from CSV.
class PartyStore : public ::testing::Test, public TestStore {
 protected:
  void SetUp() override {
    ASSERT_NE(store_, nullptr);
    std::string csv =
        "meeting_id,branch_id,branch_name,kind,held_on,attendees,expected,topic,minutes_text\n";
    auto add = [&](const std::string& id, const std::string& branch, const std::string& name,
                   const std::string& kind, const std::string& day) {
      csv += id + "," + branch + "," + name + "," + kind + "," + day + ",8,10,主题,MINUTES-" + id +
             "\n";
    };
    for (int m = 1; m <= 8; ++m) {
      char day[16];
      std::snprintf(day, sizeof day, "2024-%02d-10", m);
      if (m != 8) add("A" + std::to_string(m), "DZB0001", kName1, "支部委员会", day);
      add("B" + std::to_string(m), "DZB0002", kName2, "支部委员会", day);
      add("C" + std::to_string(m), "DZB0003", kName3, "支部委员会", day);
    }
    add("A-Q1", "DZB0001", kName1, "支部党员大会", "2024-03-20");
    add("B-Q1", "DZB0002", kName2, "支部党员大会", "2024-03-20");
    Import("branch_meetings", csv);
  }

  leads::Branch NewBranch(const std::string& id, const std::string& name, const std::string& org,
                          const std::string& region) {
    return {.branch_id = id,
            .name = name,
            .org = org,
            .region_code = region,
            .secretary = "张书记",
            .members = 12,
            .voting_members = 10,
            .set_up_on = "2015-07-01"};
  }

  static constexpr const char* kName1 = "中共阜新市财政局支部委员会";
  static constexpr const char* kName2 = "中共细河区民政局支部委员会";
  static constexpr const char* kName3 = "中共阜新市审计局支部委员会";
};

TEST_F(PartyStore, UnregisteredBranchesAreListedThenImported) {
  auto added =
      leads::AddBranch(db(), NewBranch("DZB0001", kName1, "阜新市财政局", "210902"), "user:admin");
  ASSERT_TRUE(added.ok()) << added.status().ToString();
  EXPECT_TRUE(added->registered);
  EXPECT_EQ(added->meetings, 8);
  auto list = leads::ListBranches(db());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 3u);
  EXPECT_TRUE((*list)[0].registered);
  EXPECT_FALSE((*list)[1].registered);
  EXPECT_EQ((*list)[1].branch_id, "DZB0002");
  EXPECT_EQ((*list)[1].name, kName2);
  EXPECT_EQ((*list)[1].org, "细河区民政局");
  EXPECT_EQ((*list)[1].meetings, 9);
  EXPECT_EQ((*list)[1].first_meeting, "2024-01-10");
  // Nothing is invisible: an unregistered branch has a calendar too.
  auto cal =
      leads::BranchCalendar(db(), "DZB0003", 2024, CivilDate{2024, 9, 16}, leads::PartyParams());
  ASSERT_TRUE(cal.ok()) << cal.status().ToString();
  EXPECT_FALSE(cal->branch.registered);
  EXPECT_EQ(Cell(*cal, "支部委员会", 8).status, CellStatus::kMet);
  EXPECT_EQ(Cell(*cal, "支部党员大会", 1).status, CellStatus::kMissed);

  int64_t before = Count("SELECT COUNT(*) FROM ledger_actions WHERE action = 'party_branch_add'");
  auto done = leads::ImportBranches(db(), "user:admin");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  ASSERT_EQ(done->size(), 2u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_actions WHERE action = 'party_branch_add'"),
            before + 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM party_branches"), 3);
  auto b2 = leads::GetBranch(db(), "DZB0002");
  ASSERT_TRUE(b2.ok());
  EXPECT_TRUE(b2->registered);
  EXPECT_EQ(b2->org, "细河区民政局");
  EXPECT_TRUE(leads::ImportBranches(db(), "user:admin")->empty());
}

TEST_F(PartyStore, RegistryValidatesAndRecordsEveryChange) {
  auto bad = [&](leads::Branch b) { return leads::AddBranch(db(), b, "user:admin").status(); };
  leads::Branch ok = NewBranch("DZB0001", kName1, "阜新市财政局", "210902");
  const std::vector<std::pair<const char*, std::function<void(leads::Branch&)>>> wrong = {
      {"branch_id", [](leads::Branch& b) { b.branch_id = "DZB 1"; }},
      {"region_code", [](leads::Branch& b) { b.region_code = "2109"; }},
      {"voting_members", [](leads::Branch& b) { b.voting_members = 13; }},
      {"status", [](leads::Branch& b) { b.status = "dissolved"; }},
      {"set_up_on", [](leads::Branch& b) { b.set_up_on = "2024-02-30"; }},
      {"name", [](leads::Branch& b) { b.name.clear(); }},
  };
  for (const auto& [field, change] : wrong) {
    leads::Branch b = ok;
    change(b);
    EXPECT_EQ(bad(b).code(), Status::Code::kInvalidArgument) << field;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM party_branches"), 0);
  ASSERT_TRUE(leads::AddBranch(db(), ok, "user:admin").ok());
  EXPECT_EQ(bad(ok).code(), Status::Code::kInvalidArgument);  // twice

  leads::BranchUpdate u;
  u.status = "dissolved";
  u.dissolved_on = "2024/8/15";
  auto up = leads::UpdateBranch(db(), "DZB0001", u, "user:admin");
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  EXPECT_EQ(up->status, "dissolved");
  EXPECT_EQ(up->dissolved_on, "2024-08-15");
  EXPECT_EQ(up->updated_by, "user:admin");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_actions WHERE action = 'party_branch_update' AND "
                  "target = 'branch:DZB0001' AND details LIKE '%dissolved%'"),
            1);
  leads::BranchUpdate again;
  again.status = "active";
  up = leads::UpdateBranch(db(), "DZB0001", again, "user:admin");
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up->dissolved_on, "");
  EXPECT_EQ(leads::UpdateBranch(db(), "DZB0002", again, "user:admin").status().code(),
            Status::Code::kNotFound);  // not registered
}

TEST_F(PartyStore, EnteringAMeetingMakesTheMonthMet) {
  const CivilDate as_of{2024, 9, 16};
  auto cal = leads::BranchCalendar(db(), "DZB0001", 2024, as_of, leads::PartyParams());
  ASSERT_TRUE(cal.ok());
  EXPECT_EQ(Cell(*cal, "支部委员会", 8).status, CellStatus::kMissed);
  const int64_t actions =
      Count("SELECT COUNT(*) FROM ledger_actions WHERE action = 'party_meeting_add'");
  const leads::NewMeeting m{.branch_id = "DZB0001",
                            .kind = "支部委员会",
                            .held_on = "2024-08-20",
                            .topic = "补录",
                            .attendees = 7,
                            .expected = 9};
  auto entered = leads::EnterMeeting(store_.get(), m, Work(), "user:clerk");
  ASSERT_TRUE(entered.ok()) << entered.status().ToString();
  EXPECT_EQ(entered->meeting_id, "HY-DZB0001-20240820-1");
  EXPECT_EQ(entered->branch_name, kName1);
  EXPECT_EQ(entered->attendees, 7);
  cal = leads::BranchCalendar(db(), "DZB0001", 2024, as_of, leads::PartyParams());
  ASSERT_TRUE(cal.ok());
  EXPECT_EQ(Cell(*cal, "支部委员会", 8).status, CellStatus::kMet);
  // The same day again gets the next number; both are ledger actions.
  entered = leads::EnterMeeting(store_.get(), m, Work(), "user:clerk");
  ASSERT_TRUE(entered.ok()) << entered.status().ToString();
  EXPECT_EQ(entered->meeting_id, "HY-DZB0001-20240820-2");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_actions WHERE action = 'party_meeting_add'"),
            actions + 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM branch_meetings WHERE branch_id = 'DZB0001'"), 10);
}

TEST_F(PartyStore, InvalidMeetingsAreRefusedAndNothingIsWritten) {
  const int64_t rows = Count("SELECT COUNT(*) FROM branch_meetings_versions");
  const int64_t imports = Count("SELECT COUNT(*) FROM imports");
  const leads::NewMeeting ok{.branch_id = "DZB0002",
                             .kind = "党课",
                             .held_on = "2024-09-02",
                             .attendees = 9,
                             .expected = 10};
  auto refused = [&](leads::NewMeeting m, const std::string& zh_part) {
    auto r = leads::EnterMeeting(store_.get(), m, Work(), "user:clerk");
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << r.status().ToString();
    EXPECT_NE(r.status().message_zh().find(zh_part), std::string::npos) << r.status().message_zh();
  };
  const std::vector<std::pair<const char*, std::function<void(leads::NewMeeting&)>>> wrong = {
      {"会议类型", [](leads::NewMeeting& m) { m.kind = "支部大会"; }},
      {"召开日期", [](leads::NewMeeting& m) { m.held_on = "2024-02-30"; }},
      {"晚于今天", [](leads::NewMeeting& m) { m.held_on = "2999-01-01"; }},
      {"未知的支部编号", [](leads::NewMeeting& m) { m.branch_id = "DZB9999"; }},
      {"实到人数（12）不能多于应到人数（10）", [](leads::NewMeeting& m) { m.attendees = 12; }},
      {"已存在", [](leads::NewMeeting& m) { m.meeting_id = "B1"; }},  // already imported
  };
  for (const auto& [zh_part, change] : wrong) {
    leads::NewMeeting m = ok;
    change(m);
    refused(m, zh_part);
  }
  ASSERT_TRUE(
      leads::AddBranch(db(), NewBranch("DZB0004", "中共某局支部委员会", "某局", ""), "user:admin")
          .ok());
  leads::BranchUpdate u;
  u.status = "dissolved";
  u.dissolved_on = "2024-06-30";
  ASSERT_TRUE(leads::UpdateBranch(db(), "DZB0004", u, "user:admin").ok());
  leads::NewMeeting m = ok;
  m.branch_id = "DZB0004";
  refused(m, "已于 2024-06-30 撤销");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM branch_meetings_versions"), rows);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), imports);
  // The valid one goes through.
  EXPECT_TRUE(leads::EnterMeeting(store_.get(), ok, Work(), "user:clerk").ok());
}

TEST_F(PartyStore, WarningsNewestFirstAndSummaryPerOrganisation) {
  ASSERT_TRUE(
      leads::AddBranch(db(), NewBranch("DZB0001", kName1, "阜新市财政局", "210902"), "user:admin")
          .ok());
  leads::PartyParams p;
  p.requirements = {Req("支部委员会"), Req("支部党员大会")};
  auto w = leads::PartyWarnings(db(), CivilDate{2024, 9, 16}, p);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  // Each branch: September committee and Q3 assembly at risk; DZB0001 August
  // committee missed; DZB0003 Q1 and Q2 assemblies missed, DZB0001 and DZB0002 Q2.
  ASSERT_FALSE(w->empty());
  for (size_t i = 1; i < w->size(); ++i) EXPECT_GE((*w)[i - 1].end, (*w)[i].end);
  EXPECT_EQ(w->front().status, CellStatus::kAtRisk);
  EXPECT_EQ(w->front().end, "2024-09-30");
  int at_risk = 0, missed = 0;
  bool august = false;
  for (const auto& x : *w) {
    (x.status == CellStatus::kAtRisk ? at_risk : missed) += 1;
    august |= x.branch_id == "DZB0001" && x.label == "2024-08";
  }
  EXPECT_EQ(at_risk, 6);
  EXPECT_EQ(missed, 5);
  EXPECT_TRUE(august);
  // Scoped: only what the filter accepts.
  auto only1 = leads::PartyWarnings(db(), CivilDate{2024, 9, 16}, p,
                                    [](const leads::Branch& b) { return b.registered; });
  ASSERT_TRUE(only1.ok());
  for (const auto& x : *only1) EXPECT_EQ(x.branch_id, "DZB0001");

  auto s = leads::PartySummary(db(), 2024, CivilDate{2024, 9, 16}, p);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->size(), 3u);
  for (const auto& o : *s) {
    EXPECT_EQ(o.branches, 1);
    EXPECT_EQ(o.due, 10);  // 8 months + 2 quarters over
    if (o.org == "阜新市财政局") {
      EXPECT_EQ(o.met, 8);  // January–July and Q1
      EXPECT_EQ(o.missed, 2);
      EXPECT_DOUBLE_EQ(o.rate, 0.8);
    }
    if (o.org == "阜新市审计局") {
      EXPECT_EQ(o.missed, 2);
    }
  }
}

// ---------------------------------------------------------------------------
// Over HTTP: scopes, minutes only in the detail, entry, rights.

TEST_F(PartyStore, HttpScopeListsCalendarsAndEntry) {
  ASSERT_TRUE(CreateUsers(db(), {{"admin", "管理员", "admin", {}, {}},
                                 {"xihe", "细河承办人", "handler", {"210911"}, {}},
                                 {"auditor", "审计员", "auditor", {}, {}}}));
  ApiServer server(db_path(), dir_.File("none.json"),
                   [](server::ServerConfig& c) { c.as_of = "2024-09-16"; });
  HttpClient admin = server.As("admin", kTestPassword);
  HttpClient xihe = server.As("xihe", kTestPassword);
  HttpClient auditor = server.As("auditor", kTestPassword);
  HttpResult r = admin.Post("/api/party/branches", {{"branch_id", "DZB0001"},
                                                    {"name", kName1},
                                                    {"org", "阜新市财政局"},
                                                    {"region_code", "210911"},
                                                    {"members", 12},
                                                    {"voting_members", 10}});
  ASSERT_EQ(r.status, 201) << r.body;
  r = admin.Post("/api/party/branches",
                 {{"branch_id", "DZB0002"}, {"name", kName2}, {"region_code", "210902"}});
  ASSERT_EQ(r.status, 201) << r.body;
  r = admin.Post("/api/party/branches", {{"branch_id", "DZB 3"}, {"name", "x"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["field"], "branch_id") << r.body;
  EXPECT_EQ(auditor.Post("/api/party/branches", {{"branch_id", "DZB0009"}, {"name", "x"}}).status,
            403);
  // A scoped handler may not register outside the district.
  EXPECT_EQ(xihe.Post("/api/party/branches",
                      {{"branch_id", "DZB0008"}, {"name", "x"}, {"region_code", "210902"}})
                .status,
            403);

  // Lists: the admin sees the unregistered DZB0003; 细河 only its branch.
  r = admin.Get("/api/party/branches");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["total"], 3);
  EXPECT_EQ(r.Json()["unregistered"], 1);
  r = xihe.Get("/api/party/branches");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.Json()["items"].size(), 1u);
  EXPECT_EQ(r.Json()["items"][0]["branch_id"], "DZB0001");

  // Calendars: out of scope and unknown answer alike for the scoped user.
  r = xihe.Get("/api/party/branches/DZB0001/calendar?year=2024");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["as_of"], "2024-09-16");  // the settings' day
  EXPECT_EQ(r.Json()["rows"][0]["kind"], "支部党员大会");
  EXPECT_EQ(r.Json()["rows"][1]["cells"][7]["status"], "missed");  // committee, August
  EXPECT_EQ(xihe.Get("/api/party/branches/DZB0002/calendar").status, 403);
  EXPECT_EQ(xihe.Get("/api/party/branches/DZB9999/calendar").status, 403);
  EXPECT_EQ(admin.Get("/api/party/branches/DZB9999/calendar").status, 404);
  EXPECT_EQ(admin.Get("/api/party/branches/DZB0003/calendar?as_of=2024-13-01").status, 400);
  r = admin.Get("/api/party/branches/DZB0001/calendar?as_of=2024-09-14");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["rows"][0]["cells"][2]["status"], "open");
  EXPECT_EQ(r.Json()["rows"][0]["cells"][2]["working_days_left"], 11);

  // Meetings: no minutes in the list, minutes in the detail, scope by branch.
  r = xihe.Get("/api/party/meetings?year=2024");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["total"], 8);
  nlohmann::json items = r.Json()["items"];
  for (const auto& m : items) {
    EXPECT_EQ(m["branch_id"], "DZB0001");
    EXPECT_FALSE(m.contains("minutes_text"));
  }
  EXPECT_EQ(r.body.find("MINUTES-"), std::string::npos);
  r = xihe.Get("/api/party/meetings/A1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["minutes_text"], "MINUTES-A1");
  EXPECT_EQ(xihe.Get("/api/party/meetings/B1").status, 403);
  EXPECT_EQ(xihe.Get("/api/party/meetings?branch=DZB0002").status, 403);
  EXPECT_EQ(admin.Get("/api/party/meetings?kind=大会").status, 400);

  // Entry: refused with the field, out of scope, without the right; then met.
  nlohmann::json meeting = {{"branch_id", "DZB0001"},
                            {"kind", "支部委员会"},
                            {"held_on", "2024-08-21"},
                            {"attendees", 7},
                            {"expected", 9}};
  nlohmann::json wrong = meeting;
  wrong["attendees"] = 10;
  r = xihe.Post("/api/party/meetings", wrong);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["field"], "attendees") << r.body;
  wrong = meeting;
  wrong["kind"] = "支部大会";
  EXPECT_EQ(xihe.Post("/api/party/meetings", wrong).Json()["field"], "kind");
  wrong = meeting;
  wrong["branch_id"] = "DZB0002";
  EXPECT_EQ(xihe.Post("/api/party/meetings", wrong).status, 403);
  EXPECT_EQ(auditor.Post("/api/party/meetings", meeting).status, 403);
  r = xihe.Post("/api/party/meetings", meeting);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json()["meeting_id"], "HY-DZB0001-20240821-1");
  r = xihe.Get("/api/party/branches/DZB0001/calendar");
  EXPECT_EQ(r.Json()["rows"][1]["cells"][7]["status"], "met");

  // Updates: not out of one's own scope; the admin may.
  EXPECT_EQ(xihe.Patch("/api/party/branches/DZB0001", {{"region_code", "210902"}}).status, 403);
  r = xihe.Patch("/api/party/branches/DZB0001", {{"secretary", "李书记"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["secretary"], "李书记");
  EXPECT_EQ(admin.Patch("/api/party/branches/DZB0003", {{"secretary", "x"}}).status, 404);

  // Warnings and summary in scope.
  r = xihe.Get("/api/party/warnings");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_GT(r.Json()["total"].get<int>(), 0);
  items = r.Json()["items"];
  for (const auto& w : items) EXPECT_EQ(w["branch_id"], "DZB0001");
  r = admin.Get("/api/party/warnings?status=at_risk");
  ASSERT_EQ(r.status, 200);
  bool unregistered = false;
  items = r.Json()["items"];
  for (const auto& w : items) {
    EXPECT_EQ(w["status"], "at_risk");
    unregistered |= w["branch_id"] == "DZB0003";
  }
  EXPECT_TRUE(unregistered);
  r = xihe.Get("/api/party/summary?year=2024");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.Json()["items"].size(), 1u);
  EXPECT_EQ(r.Json()["items"][0]["org"], "阜新市财政局");

  // Import the rest: only the admin's scope covers the unregistered one.
  r = xihe.Post("/api/party/branches/import", nlohmann::json::object());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["registered"], 0);
  r = admin.Post("/api/party/branches/import", nlohmann::json::object());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["registered"], 1);
  EXPECT_EQ(admin.Get("/api/party/branches").Json()["unregistered"], 0);
}

}  // namespace
}  // namespace qf::testing
