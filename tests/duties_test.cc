// 一岗双责 responsibility items (src/leads/duties.h): warnings over the holiday
// calendar with 调休, overdue counting, checks due by calendar period, the
// year-end assessment's numbers and grade on hand-made items, the XLSX read
// back, refused input, scopes over HTTP, and the demo seed.
#include "leads/duties.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "ingest/xlsx_reader.h"
#include "store/blob_store.h"
#include "test_server.h"
#include "workflow_test_util.h"

namespace qf::testing {
namespace {

const char* kFinance = "某区财政局";
const char* kReform = "某区发展和改革委员会";

// The officials' 公民身份号码 (born 1975-01-01).
std::string LeaderId(int n) { return IdNumber(n, "19750101"); }
std::string OrgCode(const std::string& region, int n) {
  std::string s = "11" + region + "00000000" + std::to_string(n);
  return s + CreditCodeCheckChar(s);
}
CivilDate D(int y, int m, int d) { return CivilDate{y, m, d}; }

// Officials: 1 局长 and 2 副局长 of the finance bureau (region 210902), 3 主任
// of the reform commission (210903), 4 a 科员, 5 a 副局长 who has left.
class DutiesStore : public ::testing::Test, public TestStore {
 protected:
  void SetUp() override {
    ASSERT_NE(store_, nullptr);
    std::string csv = "id_number,name,org,org_code,position,is_leader,start_date,end_date\n";
    csv +=
        LeaderId(1) + ",王建国," + kFinance + "," + OrgCode("210902", 1) + ",局长,是,2019-01-01,\n";
    csv +=
        LeaderId(2) + ",李明," + kFinance + "," + OrgCode("210902", 1) + ",副局长,是,2020-01-01,\n";
    csv += LeaderId(3) + ",赵芳," + kReform + "," + OrgCode("210903", 2) + ",主任,是,2018-01-01,\n";
    csv +=
        LeaderId(4) + ",钱进," + kFinance + "," + OrgCode("210902", 1) + ",科员,否,2021-01-01,\n";
    csv += LeaderId(5) + ",孙离," + kFinance + "," + OrgCode("210902", 1) +
           ",副局长,是,2015-01-01,2023-06-30\n";
    Import("officials", csv);
  }

  int64_t Add(int leader, const std::string& kind, const std::string& assigned,
              const std::string& due, const std::string& freq = "季度",
              const CivilDate& today = D(2024, 12, 31)) {
    leads::NewDutyItem n;
    n.leader_id = LeaderId(leader);
    n.area = kind == leads::kDutyBusiness ? "财务与预算" : "廉政风险防控";
    n.kind = kind;
    n.task = "任务 " + assigned + " → " + due;
    n.assigned_on = assigned;
    n.due_on = due;
    n.frequency = freq;
    auto it = leads::AddDutyItem(db(), n, "test", today);
    EXPECT_TRUE(it.ok()) << it.status().ToString();
    return it.ok() ? it->id : 0;
  }
  void Check(int64_t id, const std::string& on, const std::string& result) {
    auto c = leads::AddDutyCheck(db(), id, {on, "纪检组", result, "进展"}, "test", D(2024, 12, 31));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
  }
  void Complete(int64_t id, const std::string& on) {
    auto c = leads::CompleteDutyItem(db(), id, "已完成，材料归档", on, "test", D(2024, 12, 31));
    ASSERT_TRUE(c.ok()) << c.status().ToString();
  }

  // The hand-made year (see AssessmentNumbersAndGrade for the expected figures).
  void MakeYear() {
    const std::string B(leads::kDutyBusiness), I(leads::kDutyIntegrity);
    int64_t a = Add(1, B, "2024-01-10", "2024-06-30");  // on time, Q1 and Q2 checked
    Check(a, "2024-02-15", "好");
    Check(a, "2024-05-10", "较好");
    Complete(a, "2024-06-20");
    int64_t b = Add(1, B, "2024-01-10", "2024-03-31");  // late, Q1 checked
    Check(b, "2024-03-01", "一般");
    Complete(b, "2024-05-15");
    int64_t c = Add(1, B, "2024-02-01", "2024-09-30");  // overdue, only Q1 checked
    Check(c, "2024-02-20", "差");
    int64_t d = Add(1, B, "2024-01-10", "2024-04-30");  // cancelled
    ASSERT_TRUE(leads::CancelDutyItem(db(), d, "机构调整，任务取消", "test", D(2024, 12, 31)).ok());
    int64_t e = Add(1, I, "2024-01-10", "2024-12-20", "年度");  // on time, the year checked
    Check(e, "2024-11-01", "好");
    Complete(e, "2024-12-01");
    int64_t f = Add(1, I, "2024-03-01", "2025-01-15", "半年");  // open, not yet due
    Check(f, "2024-06-15", "好");
    Check(f, "2024-12-10", "较好");
    Add(3, B, "2024-02-01", "2024-05-31");  // the other organisation: overdue
  }
};

TEST(DutiesPeriods, CalendarPeriods) {
  using F = leads::DutyFrequency;
  EXPECT_EQ(leads::PeriodLabel(F::kMonthly, leads::PeriodOf(F::kMonthly, D(2024, 3, 9))),
            "2024-03");
  EXPECT_EQ(leads::PeriodLabel(F::kQuarterly, leads::PeriodOf(F::kQuarterly, D(2024, 5, 1))),
            "2024Q2");
  EXPECT_EQ(leads::PeriodLabel(F::kHalfYearly, leads::PeriodOf(F::kHalfYearly, D(2024, 7, 1))),
            "2024H2");
  EXPECT_EQ(
      FormatDate(leads::PeriodLastDay(F::kMonthly, leads::PeriodOf(F::kMonthly, D(2024, 2, 3)))),
      "2024-02-29");
  EXPECT_EQ(FormatDate(leads::PeriodFirstDay(F::kQuarterly,
                                             leads::PeriodOf(F::kQuarterly, D(2024, 12, 3)))),
            "2024-10-01");
  EXPECT_EQ(FormatDate(leads::PeriodLastDay(F::kHalfYearly,
                                            leads::PeriodOf(F::kHalfYearly, D(2024, 1, 3)))),
            "2024-06-30");
  EXPECT_EQ(leads::PeriodOf(F::kQuarterly, D(2025, 1, 1)) -
                leads::PeriodOf(F::kQuarterly, D(2024, 12, 31)),
            1);
}

TEST(DutiesPeriods, CheckDueByFrequency) {
  leads::DutyItem it;
  it.status = "open";
  it.assigned_on = "2024-01-15";
  it.due_on = "2024-12-31";
  it.frequency = "季度";
  auto s = leads::StateOf(it, D(2024, 2, 10));
  EXPECT_EQ(s.check_status, "due");  // the first check in the assignment's quarter
  EXPECT_EQ(s.check_period, "2024Q1");
  EXPECT_EQ(s.check_by, "2024-03-31");
  s = leads::StateOf(it, D(2024, 7, 2));
  EXPECT_EQ(s.check_status, "overdue");
  EXPECT_EQ(s.missed_check_periods, 2);  // Q1 and Q2 passed without one
  it.last_check_on = "2024-03-20";
  EXPECT_EQ(leads::StateOf(it, D(2024, 3, 25)).check_status, "ok");
  s = leads::StateOf(it, D(2024, 4, 2));
  EXPECT_EQ(s.check_status, "due");
  EXPECT_EQ(s.check_period, "2024Q2");
  // A check recorded after the day judged is not known on that day.
  EXPECT_EQ(leads::StateOf(it, D(2024, 3, 1)).check_status, "due");

  it.frequency = "月度";
  it.last_check_on = "2024-01-31";
  s = leads::StateOf(it, D(2024, 3, 1));
  EXPECT_EQ(s.check_status, "overdue");
  EXPECT_EQ(s.check_period, "2024-02");
  EXPECT_EQ(s.missed_check_periods, 1);
  EXPECT_EQ(leads::StateOf(it, D(2024, 2, 29)).check_status, "due");

  it.frequency = "半年";
  it.last_check_on.clear();
  EXPECT_EQ(leads::StateOf(it, D(2024, 6, 30)).check_status, "due");
  EXPECT_EQ(leads::StateOf(it, D(2024, 7, 1)).check_status, "overdue");
  it.frequency = "年度";
  s = leads::StateOf(it, D(2024, 11, 30));
  EXPECT_EQ(s.check_status, "due");
  EXPECT_EQ(s.check_by, "2024-12-31");
  // Closed items need no check.
  it.status = "done";
  it.completed_on = "2024-05-01";
  EXPECT_EQ(leads::StateOf(it, D(2024, 11, 30)).check_status, "");
}

// National Day 2024: 10-01..07 off, Sunday 09-29 and Saturday 10-12 worked (调休).
TEST_F(DutiesStore, WarningsAcrossHolidayAndSwappedSaturday) {
  const CivilDate today = D(2024, 9, 27);  // a Friday
  const std::string B(leads::kDutyBusiness);
  int64_t oct8 = Add(1, B, "2024-09-01", "2024-10-08", "年度", today);
  int64_t oct11 = Add(1, B, "2024-09-01", "2024-10-11", "年度", today);
  int64_t oct12 = Add(1, B, "2024-09-01", "2024-10-12", "年度", today);
  int64_t sep26 = Add(2, B, "2024-09-01", "2024-09-26", "年度", today);
  leads::DutyParams p;  // 5 working days
  auto w = leads::DutyWarnings(db(), today, p);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  std::map<int64_t, leads::DutyWarning> due;
  for (const auto& x : *w) {
    if (x.type == "due_soon" || x.type == "overdue") due[x.item.id] = x;
  }
  // (09-27, 10-08]: Sun 09-29 (worked), Mon 09-30, Tue 10-08 = 3 working days, 11 days.
  ASSERT_TRUE(due.count(oct8));
  EXPECT_EQ(due[oct8].type, "due_soon");
  EXPECT_EQ(due[oct8].working_days, 3);
  EXPECT_EQ(due[oct8].days, 11);
  EXPECT_FALSE(due.count(oct11));  // 6 working days
  EXPECT_FALSE(due.count(oct12));  // 7: the swapped Saturday counts
  ASSERT_TRUE(due.count(sep26));
  EXPECT_EQ(due[sep26].type, "overdue");
  EXPECT_EQ(due[sep26].working_days, 1);
  p.warn_working_days = 6;
  w = leads::DutyWarnings(db(), today, p);
  ASSERT_TRUE(w.ok());
  int soon = 0;
  for (const auto& x : *w) soon += x.type == "due_soon";
  EXPECT_EQ(soon, 2);
  p.warn_working_days = 7;
  w = leads::DutyWarnings(db(), today, p);
  soon = 0;
  for (const auto& x : *w) soon += x.type == "due_soon" && x.item.id == oct12;
  EXPECT_EQ(soon, 1);

  // Overdue counted in working days: (09-26, 10-09] = 09-27, 09-29, 09-30, 10-08, 10-09.
  w = leads::DutyWarnings(db(), D(2024, 10, 9), leads::DutyParams{});
  ASSERT_TRUE(w.ok());
  bool seen = false;
  for (const auto& x : *w) {
    if (x.item.id != sep26 || x.type != "overdue") continue;
    seen = true;
    EXPECT_EQ(x.working_days, 5);
    EXPECT_EQ(x.days, 13);
  }
  EXPECT_TRUE(seen);
  auto overdue = leads::ListDutyItems(db(), {.overdue_only = true}, D(2024, 10, 9));
  ASSERT_TRUE(overdue.ok());
  std::set<int64_t> ids;
  for (const auto& it : *overdue) ids.insert(it.id);
  EXPECT_EQ(ids, (std::set<int64_t>{sep26, oct8}));
  // Overdue first, the longest first.
  EXPECT_EQ((*w)[0].type, "overdue");
  EXPECT_EQ((*w)[0].item.id, sep26);
}

TEST_F(DutiesStore, CheckWarningsNearThePeriodEnd) {
  const std::string B(leads::kDutyBusiness);
  int64_t id = Add(1, B, "2024-01-05", "2024-12-31", "季度", D(2024, 1, 5));
  auto types = [&](const CivilDate& day) {
    std::set<std::string> out;
    auto w = leads::DutyWarnings(db(), day, leads::DutyParams{});
    EXPECT_TRUE(w.ok());
    for (const auto& x : *w) {
      if (x.item.id == id) out.insert(x.type);
    }
    return out;
  };
  EXPECT_TRUE(types(D(2024, 3, 20)).empty());  // 7 working days left in Q1
  EXPECT_EQ(types(D(2024, 3, 27)), std::set<std::string>{"check_due"});  // 28th, 29th
  EXPECT_EQ(types(D(2024, 4, 1)), std::set<std::string>{"check_overdue"});
  auto c =
      leads::AddDutyCheck(db(), id, {"2024-03-28", "", "较好", ""}, "user:zhang", D(2024, 3, 28));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->checker, "zhang");
  EXPECT_TRUE(types(D(2024, 4, 1)).empty());
}

TEST_F(DutiesStore, AssessmentNumbersAndGrade) {
  MakeYear();
  leads::DutyParams p;
  auto a = leads::AssessDuties(db(), 2024, D(2025, 3, 1), p, "");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->as_of, "2024-12-31");  // clipped to the year's end
  ASSERT_EQ(a->rows.size(), 2u);
  const leads::LeaderAssessment& r = a->rows[0].org == kFinance ? a->rows[0] : a->rows[1];
  EXPECT_EQ(r.leader_name, "王建国");
  EXPECT_EQ(r.post, "局长");
  EXPECT_EQ(r.region_code, "210902");
  // items, on time, late, overdue, open, cancelled, checks due, checks held.
  auto counts = [](const leads::DutyTally& t) {
    return std::vector<int>{t.items, t.done_on_time, t.done_late,  t.overdue,
                            t.open,  t.cancelled,    t.checks_due, t.checks_held};
  };
  const leads::DutyTally& b = r.business;
  // a: Q1, Q2 (running at completion, but checked); b: Q1; c: Q1–Q4, only Q1 held.
  EXPECT_EQ(counts(b), (std::vector<int>{4, 1, 1, 1, 0, 1, 7, 4}));
  EXPECT_EQ(b.checks, 4);
  EXPECT_DOUBLE_EQ(b.avg_result, 2.5);
  // 100 × (0.6 × 1.6/3 + 0.25 × 4/7 + 0.15 × 0.5) = 53.79
  EXPECT_DOUBLE_EQ(b.score, 53.8);
  EXPECT_EQ(b.grade, "差");
  const leads::DutyTally& i = r.integrity;
  EXPECT_EQ(counts(i), (std::vector<int>{2, 1, 0, 0, 1, 0, 3, 3}));
  // 100 × (0.6 + 0.25 + 0.15 × (11/3 − 1)/3) = 98.33
  EXPECT_DOUBLE_EQ(i.score, 98.3);
  EXPECT_EQ(i.grade, "好");
  EXPECT_NEAR(r.score, 76.05, 0.051);  // both halves weigh alike
  EXPECT_EQ(r.grade, "较好");
  EXPECT_EQ(r.total.items, 6);
  EXPECT_EQ(r.total.overdue, 1);
  // Thresholds are parameters.
  p.fair_min = 80;
  a = leads::AssessDuties(db(), 2024, D(2024, 12, 31), p, kFinance);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->rows.size(), 1u);
  EXPECT_EQ(a->rows[0].grade, "一般");
  // Replayed as of mid-year: item a not yet done, b done late, c not yet due.
  a = leads::AssessDuties(db(), 2024, D(2024, 5, 31), leads::DutyParams{}, kFinance);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->rows[0].business.done_late, 1);
  EXPECT_EQ(a->rows[0].business.done_on_time, 0);
  EXPECT_EQ(a->rows[0].business.open, 2);     // a and c
  EXPECT_EQ(a->rows[0].business.overdue, 1);  // d: due 04-30, cancelled only later
  EXPECT_EQ(a->rows[0].business.cancelled, 0);
}

std::vector<std::vector<std::string>> ReadSheet(const std::string& path, const std::string& sheet) {
  std::vector<std::vector<std::string>> rows;
  auto r = XlsxReader::Open(path, "x", sheet);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return rows;
  rows.push_back((*r)->streams()[0].header);
  Record rec;
  for (;;) {
    auto more = (*r)->Next(&rec);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    rows.push_back(rec.fields);
  }
  return rows;
}

TEST_F(DutiesStore, XlsxHasTheRightCells) {
  MakeYear();
  auto a = leads::AssessDuties(db(), 2024, D(2024, 12, 31), leads::DutyParams{}, kFinance);
  ASSERT_TRUE(a.ok());
  auto bytes = leads::AssessmentXlsx(*a, false);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  const std::string path = dir_.Write("a.xlsx", *bytes);
  auto rows = ReadSheet(path, "考核汇总");
  ASSERT_EQ(rows.size(), 2u);
  const auto& h = rows[0];
  ASSERT_EQ(h.size(), 4u + 22u + 2u);
  EXPECT_EQ(h[0], "单位");
  EXPECT_EQ(h[2], "身份证号");
  EXPECT_EQ(h[4], "业务事项");
  EXPECT_EQ(h[13], "业务得分");
  EXPECT_EQ(h[15], "廉政事项");
  EXPECT_EQ(h[26], "综合得分");
  EXPECT_EQ(h[27], "考核等级");
  const auto& row = rows[1];
  EXPECT_EQ(row[0], kFinance);
  EXPECT_EQ(row[1], "王建国");
  EXPECT_EQ(row[2], leads::MaskLeaderId(LeaderId(1)));
  EXPECT_EQ(row[2].find(LeaderId(1).substr(4, 10)), std::string::npos);
  EXPECT_EQ(row[4], "4");   // business items
  EXPECT_EQ(row[5], "1");   // on time
  EXPECT_EQ(row[7], "1");   // overdue
  EXPECT_EQ(row[10], "7");  // checks due
  EXPECT_EQ(row[11], "4");  // held
  EXPECT_EQ(row[12], "2.5");
  EXPECT_EQ(row[13], "53.8");
  EXPECT_EQ(row[14], "差");
  EXPECT_EQ(row[24], "98.3");
  EXPECT_EQ(row[27], "较好");
  auto items = ReadSheet(path, "责任事项");
  ASSERT_EQ(items.size(), 7u);
  EXPECT_EQ(items[0][6], "责任事项");
  std::multiset<std::string> states;
  for (size_t k = 1; k < items.size(); ++k) states.insert(items[k][10]);
  EXPECT_EQ(states.count("按期完成"), 2u);
  EXPECT_EQ(states.count("逾期完成"), 1u);
  EXPECT_EQ(states.count("逾期未完成"), 1u);
  EXPECT_EQ(states.count("已取消"), 1u);
  EXPECT_EQ(states.count("推进中"), 1u);
  // Unmasked on request.
  bytes = leads::AssessmentXlsx(*a, true);
  ASSERT_TRUE(bytes.ok());
  rows = ReadSheet(dir_.Write("b.xlsx", *bytes), "考核汇总");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][2], LeaderId(1));
}

TEST_F(DutiesStore, InvalidInputRefused) {
  const CivilDate today = D(2024, 6, 1);
  leads::NewDutyItem n;
  n.leader_id = LeaderId(1);
  n.area = "财务与预算";
  n.kind = std::string(leads::kDutyBusiness);
  n.task = "预算执行分析";
  n.assigned_on = "2024-03-01";
  n.due_on = "2024-06-30";
  auto refused = [&](leads::NewDutyItem bad, const std::string& word) {
    auto r = leads::AddDutyItem(db(), bad, "test", today);
    EXPECT_FALSE(r.ok()) << word;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << r.status().ToString();
      EXPECT_NE(r.status().message().find(word), std::string::npos) << r.status().ToString();
      EXPECT_FALSE(r.status().message_zh().empty());
    }
  };
  using Change = std::function<void(leads::NewDutyItem&)>;
  const std::vector<std::pair<const char*, Change>> wrong = {
      {"not an official",
       [](leads::NewDutyItem& b) { b.leader_id = LeaderId(99); }},  // valid, but no such official
      {"not an official",
       [](leads::NewDutyItem& b) { b.leader_id = LeaderId(5); }},  // left in 2023
      {"leader_id",
       [](leads::NewDutyItem& b) {
         b.leader_id.back() = b.leader_id.back() == '1' ? '2' : '1';  // wrong check digit
       }},
      {"before assigned_on", [](leads::NewDutyItem& b) { b.due_on = "2024-02-28"; }},
      {"kind", [](leads::NewDutyItem& b) { b.kind = "其他工作"; }},
      {"frequency", [](leads::NewDutyItem& b) { b.frequency = "每周"; }},
      {"task", [](leads::NewDutyItem& b) { b.task.clear(); }},
      {"after today",
       [](leads::NewDutyItem& b) {
         b.assigned_on = "2024-07-01";
         b.due_on = "2024-08-01";
       }},
  };
  for (const auto& [word, change] : wrong) {
    leads::NewDutyItem bad = n;
    change(bad);
    refused(bad, word);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM duty_items"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_actions WHERE action LIKE 'duty_%'"), 0);

  auto ok = leads::AddDutyItem(db(), n, "test", today);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->leader_name, "王建国");
  EXPECT_EQ(ok->org, kFinance);
  EXPECT_EQ(ok->frequency, "季度");
  EXPECT_EQ(ok->year, 2024);
  EXPECT_FALSE(leads::CompleteDutyItem(db(), ok->id, "", "", "test", today).ok());  // no evidence
  EXPECT_FALSE(
      leads::CompleteDutyItem(db(), ok->id, "完成", "2024-02-01", "test", today).ok());  // early
  EXPECT_FALSE(leads::AddDutyCheck(db(), ok->id, {"2024-05-01", "", "优秀", ""}, "t", today).ok());
  EXPECT_FALSE(leads::CancelDutyItem(db(), ok->id, "", "test", today).ok());  // no reason
  EXPECT_FALSE(leads::RedateDutyItem(db(), ok->id, "2024-01-01", "延期", "test").ok());
  auto moved = leads::RedateDutyItem(db(), ok->id, "2024-07-31", "上级要求延期", "test");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->due_on, "2024-07-31");
  ASSERT_TRUE(leads::CompleteDutyItem(db(), ok->id, "完成", "", "test", today).ok());
  EXPECT_FALSE(leads::CancelDutyItem(db(), ok->id, "不需要了", "test", today).ok());  // done
  // Each change a ledger action.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_actions WHERE action LIKE 'duty_%'"), 3);
  auto history = leads::DutyHistory(db(), ok->id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[1].action, "duty_redate");
}

TEST_F(DutiesStore, EvidenceFilesAreContentAddressed) {
  int64_t id = Add(1, std::string(leads::kDutyIntegrity), "2024-01-10", "2024-06-30");
  const std::string bytes = "会议纪要 PDF bytes";
  auto a = leads::AddDutyAttachment(db(), store_->db_path(), id, bytes, "纪要.pdf",
                                    "application/pdf", "test");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->seq, 1);
  EXPECT_EQ(a->sha256, ToHex(Sha256(bytes)));
  EXPECT_EQ(leads::DutyFilePath(store_->db_path(), a->sha256), store_->PathOf(a->sha256));
  auto back = leads::ReadDutyAttachment(store_->db_path(), *a);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, bytes);
  EXPECT_FALSE(
      leads::AddDutyAttachment(db(), store_->db_path(), id, bytes, "a/b", "", "test").ok());
  EXPECT_FALSE(leads::AddDutyAttachment(db(), store_->db_path(), id, "", "x", "", "test").ok());
  {
    std::ofstream out(store_->PathOf(a->sha256), std::ios::binary | std::ios::trunc);
    out << "altered";
  }
  EXPECT_EQ(leads::ReadDutyAttachment(store_->db_path(), *a).status().code(),
            Status::Code::kCorruption);
}

TEST_F(DutiesStore, DamagedEvidenceIsRepairedByUploadingItAgain) {
  int64_t id = Add(1, std::string(leads::kDutyIntegrity), "2024-01-10", "2024-06-30");
  const std::string bytes = "整改报告 PDF bytes";
  auto a = leads::AddDutyAttachment(db(), store_->db_path(), id, bytes, "整改.pdf",
                                    "application/pdf", "test");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  const std::string path = leads::DutyFilePath(store_->db_path(), a->sha256);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << "damaged";
  }
  ASSERT_FALSE(leads::ReadDutyAttachment(store_->db_path(), *a).ok());
  // The good bytes again replace the damaged copy instead of trusting it.
  auto again = leads::AddDutyAttachment(db(), store_->db_path(), id, bytes, "整改.pdf",
                                        "application/pdf", "test");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  auto back = leads::ReadDutyAttachment(store_->db_path(), *a);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, bytes);
  // A write that cannot be kept (a folder is in the way) fails and leaves no
  // temporary file behind.
  const std::string other = "另一份证据";
  const std::string blocked = leads::DutyFilePath(store_->db_path(), ToHex(Sha256(other)));
  std::filesystem::create_directories(blocked + "/occupied");
  EXPECT_FALSE(WriteBlobOnce(blocked, other).ok());
  for (const auto& e :
       std::filesystem::directory_iterator(std::filesystem::path(blocked).parent_path())) {
    EXPECT_EQ(e.path().filename().string().find(".incoming"), std::string::npos) << e.path();
  }
}

TEST_F(DutiesStore, HttpScopesAndRights) {
  MakeYear();
  ASSERT_TRUE(CreateUsers(db(), {{"admin", "管理员", "admin", {}, {}},
                                 {"lead", "财政局领导", "leader", {}, {kFinance}},
                                 {"clerk", "财政局联络员", "handler", {}, {kFinance}}}));
  ApiServer srv(db_path(), dir_.File("none.json"),
                [](server::ServerConfig& c) { c.as_of = "2024-12-31"; });
  HttpClient admin = srv.As("admin", kTestPassword);
  HttpClient lead = srv.As("lead", kTestPassword);
  HttpClient clerk = srv.As("clerk", kTestPassword);

  HttpResult r = admin.Get("/api/duties/items?year=2024");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["total"], 7);
  EXPECT_EQ(r.body.find(LeaderId(1)), std::string::npos) << "ID numbers are masked";
  r = lead.Get("/api/duties/items?year=2024");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["total"], 6);
  int64_t other = 0;
  const nlohmann::json reform =
      admin.Get("/api/duties/items?org=" + std::string("%E5%8F%91%E5%B1%95")).Json();  // 发展
  for (const auto& it : reform["items"]) other = it["id"].get<int64_t>();
  ASSERT_GT(other, 0) << "the reform commission's item";
  EXPECT_EQ(lead.Get("/api/duties/items/" + std::to_string(other)).status, 403);
  EXPECT_EQ(lead.Get("/api/duties/items/999999").status, 403);  // same as out of scope
  EXPECT_EQ(admin.Get("/api/duties/items/999999").status, 404);
  r = admin.Get("/api/duties/items?overdue=1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["total"], 2);

  // Assigning: leaders (approve) within their scope only.
  nlohmann::json add = {{"leader_id", LeaderId(2)},    {"area", "政府采购"},
                        {"kind", "党风廉政建设"},      {"task", "采购项目廉洁风险排查"},
                        {"assigned_on", "2024-12-01"}, {"due_on", "2025-01-06"},
                        {"frequency", "月度"}};
  r = lead.Post("/api/duties/items", add);
  ASSERT_EQ(r.status, 201) << r.body;
  const int64_t id = r.Json()["id"].get<int64_t>();
  EXPECT_EQ(r.Json()["leader_name"], "李明");
  add["leader_id"] = LeaderId(3);
  EXPECT_EQ(lead.Post("/api/duties/items", add).status, 403);
  EXPECT_EQ(clerk.Post("/api/duties/items", add).status, 403);  // no approve right
  add["leader_id"] = LeaderId(2);
  add["due_on"] = "2024-11-01";
  r = lead.Post("/api/duties/items", add);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["field"], "due_on");

  // Processing: handlers (process), in scope.
  const std::string base = "/api/duties/items/" + std::to_string(id);
  EXPECT_EQ(lead.Patch(base, {{"action", "cancel"}, {"reason", "x"}}).status, 403);
  r = clerk.Post(base + "/checks", {{"result", "较好"}, {"note", "已部署"}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json()["checker"], "财政局联络员");
  r = clerk.Send("POST", base + "/attachments?name=%E7%BA%AA%E8%A6%81.txt", "evidence bytes",
                 "text/plain");
  ASSERT_EQ(r.status, 201) << r.body;
  r = clerk.Get(base + "/attachments/1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "evidence bytes");
  r = clerk.Patch(base, {{"action", "complete"}, {"evidence", "排查完成，形成报告"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["status"], "done");
  EXPECT_EQ(r.Json()["completed_on"], "2024-12-31");
  EXPECT_EQ(clerk
                .Patch("/api/duties/items/" + std::to_string(other),
                       {{"action", "cancel"}, {"reason", "x"}})
                .status,
            403);
  r = clerk.Get(base);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["check_list"].size(), 1u);
  EXPECT_EQ(r.Json()["attachment_list"].size(), 1u);
  EXPECT_EQ(r.Json()["history"].size(), 4u);

  // Warnings and the assessment, in scope.
  r = lead.Get("/api/duties/warnings?as_of=2024-12-31");
  ASSERT_EQ(r.status, 200);
  const nlohmann::json warnings = r.Json();  // kept: the loop must not walk a temporary
  for (const auto& w : warnings["items"]) EXPECT_EQ(w["item"]["org"], kFinance);
  EXPECT_GE(warnings["counts"]["overdue"].get<int>(), 1);
  r = lead.Get("/api/duties/assessment?year=2024");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.Json()["rows"].size(), 2u);  // 王建国 and 李明
  r = admin.Get("/api/duties/assessment?year=2024&org=" +
                std::string("%E6%9F%90%E5%8C%BA%E8%B4%A2%E6%94%BF%E5%B1%80"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["rows"].size(), 2u);

  // Export: the export right, a ledger action, masked unless asked.
  EXPECT_EQ(clerk.Get("/api/duties/assessment.xlsx?year=2024").status, 403);
  const int64_t before = Count(
      "SELECT COUNT(*) FROM ledger_actions WHERE action = 'export' AND target = "
      "'duties/assessment.xlsx'");
  r = lead.Get("/api/duties/assessment.xlsx?year=2024");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.Header("Content-Type").find("spreadsheetml"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_actions WHERE action = 'export' AND "
                  "target = 'duties/assessment.xlsx'"),
            before + 1);
  auto rows = ReadSheet(dir_.Write("h.xlsx", r.body), "考核汇总");
  ASSERT_EQ(rows.size(), 3u);
  for (size_t k = 1; k < rows.size(); ++k) EXPECT_NE(rows[k][2].find("****"), std::string::npos);
  EXPECT_EQ(clerk.Get("/api/duties/items?unmask=1").status, 403);  // no unmask right
}

TEST_F(DutiesStore, SeedIsDeterministicAndIdempotent) {
  int64_t created = 0;
  ASSERT_TRUE(leads::SeedDemoItems(store_.get(), "demo", D(2024, 12, 31), &created).ok());
  EXPECT_GE(created, 12);  // three leaders in post, 4–6 items each
  auto list = leads::ListDutyItems(db(), {}, D(2024, 12, 31));
  ASSERT_TRUE(list.ok());
  std::set<std::string> leaders, kinds;
  int done = 0, checks = 0;
  for (const auto& it : *list) {
    leaders.insert(it.leader_name);
    kinds.insert(it.kind);
    done += it.status == "done";
    checks += static_cast<int>(it.checks);
  }
  EXPECT_EQ(leaders,
            (std::set<std::string>{"王建国", "李明", "赵芳"}));  // not the 科员, not who left
  EXPECT_EQ(kinds.size(), 2u);
  EXPECT_GT(done, 0);
  EXPECT_GT(checks, 0);
  int64_t again = -1;
  ASSERT_TRUE(leads::SeedDemoItems(store_.get(), "demo", D(2024, 12, 31), &again).ok());
  EXPECT_EQ(again, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM duty_items"), created);

  // The same officials seed the same items in another store.
  TestStore other;
  ASSERT_NE(other.store(), nullptr);
  std::ifstream in(dir_.File("officials.csv"));
  std::stringstream ss;
  ss << in.rdbuf();
  ASSERT_NO_FATAL_FAILURE(other.Import("officials", ss.str()));
  ASSERT_TRUE(leads::SeedDemoItems(other.store(), "demo", D(2024, 12, 31)).ok());
  auto list2 = leads::ListDutyItems(other.db(), {}, D(2024, 12, 31));
  ASSERT_TRUE(list2.ok());
  ASSERT_EQ(list2->size(), list->size());
  for (size_t k = 0; k < list->size(); ++k) {
    const auto &x = (*list)[k], &y = (*list2)[k];
    EXPECT_EQ(x.task + x.due_on + x.status + x.completed_on + std::to_string(x.checks),
              y.task + y.due_on + y.status + y.completed_on + std::to_string(y.checks));
  }
}

}  // namespace
}  // namespace qf::testing
