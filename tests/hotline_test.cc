// 12345 督查督办 (src/leads/hotline.h, models/complaints.h): deadlines in working
// days across 春节 and 国庆 with 调休 working weekend days, approved and
// unapproved 延期, 催办 one working day before a deadline (across a weekend, a
// holiday and on a swapped working Saturday), 督办 when overdue, an idempotent
// sweep, metrics and ranking on a hand-made month, refused transitions, and
// the API: scope, masking, registration onto the board and into the view.
#include "leads/hotline.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "common/calendar.h"
#include "ingest/value.h"
#include "models/complaints.h"
#include "test_server.h"
#include "workflow_test_util.h"

namespace qf::testing {
namespace {

using nlohmann::json;

int64_t Sec(const std::string& text) { return *ParseDateTime(text); }
int64_t Day(const std::string& date) {
  auto d = *ParseDate(date);
  return DaysFromCivil(d.year, d.month, d.day);
}
std::string DayText(int64_t day) { return FormatDate(CivilFromDays(day)); }
CivilDate Date(const std::string& text) { return *ParseDate(text); }

models::OrderClock Clock(const std::string& received, const std::string& category,
                         const std::vector<std::pair<std::string, std::string>>& events = {},
                         const std::string& as_of = "") {
  std::vector<models::ClockEvent> ev;
  for (const auto& [at, action] : events) {
    size_t sep = action.find('|');
    ev.push_back(
        {Sec(at),
         sep == std::string::npos ? std::string_view(action)
                                  : std::string_view(action).substr(0, sep),
         sep == std::string::npos ? std::string_view() : std::string_view(action).substr(sep + 1)});
  }
  return models::ClockOf(Sec(received), category, ev, engine::kNull,
                         as_of.empty() ? engine::kNull : Day(as_of), models::ClockLimits{});
}

// ---------------------------------------------------------------------------
// The clock on plain values

TEST(HotlineClock, DeadlinesAcrossSpringFestivalWithSwappedSunday) {
  // 咨询 (3 working days) received Thu 2024-02-08: Fri 9th, then 春节 10–17,
  // Sun 18th is a working day (调休), Mon 19th.
  EXPECT_EQ(DayText(Clock("2024-02-08 10:00", "咨询").deadline), "2024-02-19");
  // 求助 (5): 9th, 18th, 19th, 20th, 21st.
  EXPECT_EQ(DayText(Clock("2024-02-08 10:00", "求助").deadline), "2024-02-21");
  // 建议 (5) received Mon 2024-02-05 ends on the swapped Sunday.
  EXPECT_EQ(DayText(Clock("2024-02-05 10:00", "建议").deadline), "2024-02-18");
  // Weekends only would have given the 13th: the calendar is what counts.
  EXPECT_NE(DayText(Clock("2024-02-08 10:00", "咨询").deadline), "2024-02-13");
}

TEST(HotlineClock, DeadlinesAcrossNationalDayAndSwappedSaturday) {
  // Received on the swapped Sunday 2024-09-29 (the day itself never counts):
  // Mon 30th, 国庆 1–7, Tue 8th, Wed 9th.
  EXPECT_EQ(DayText(Clock("2024-09-29 09:00", "咨询").deadline), "2024-10-09");
  // 求助 received Fri 27th: Sun 29th (调休), 30th, 8th, 9th, 10th.
  EXPECT_EQ(DayText(Clock("2024-09-27 17:00", "求助").deadline), "2024-10-10");
  // Sat 2024-10-12 is a working day: Thu 10th → Fri 11th, Sat 12th, Mon 14th.
  EXPECT_EQ(DayText(Clock("2024-10-10 09:00", "咨询").deadline), "2024-10-14");
  // Unknown category: the "other" limit (15).
  EXPECT_EQ(Clock("2024-10-10 09:00", "").limit, 15);
}

TEST(HotlineClock, ApprovedAndUnapprovedExtensions) {
  // 投诉 (15) received Mon 2024-03-04 → Mon 2024-03-25.
  EXPECT_EQ(DayText(Clock("2024-03-04 09:00", "投诉").deadline), "2024-03-25");
  auto approved =
      Clock("2024-03-04 09:00", "投诉", {{"2024-03-20 10:00", "延期|经批准延期5个工作日"}});
  EXPECT_EQ(DayText(approved.deadline), "2024-04-01");
  EXPECT_EQ(approved.extension_days, 5);
  auto asked = Clock("2024-03-04 09:00", "投诉", {{"2024-03-20 10:00", "延期|申请延期5个工作日"}});
  EXPECT_EQ(DayText(asked.deadline), "2024-03-25");
  EXPECT_EQ(asked.unapproved, 0);
  auto refused = Clock("2024-03-04 09:00", "投诉", {{"2024-03-20 10:00", "延期|不同意延期"}});
  EXPECT_EQ(DayText(refused.deadline), "2024-03-25");
  // Approved after the deadline: too late to count.
  auto late = Clock("2024-03-04 09:00", "投诉", {{"2024-03-26 10:00", "延期|同意延期5个工作日"}});
  EXPECT_EQ(DayText(late.deadline), "2024-03-25");
  // Capped at the category's own limit.
  auto capped = Clock("2024-03-04 09:00", "咨询", {{"2024-03-05 10:00", "延期|同意延期9个工作日"}});
  EXPECT_EQ(capped.extension_days, 3);
}

TEST(HotlineClock, RedoReopensAndOpenOrdersAreDue) {
  auto open = Clock("2024-03-06 09:00", "咨询", {}, "2024-03-12");
  EXPECT_TRUE(open.open);
  EXPECT_TRUE(open.late);  // deadline Mon 11th, judged Tue 12th
  auto redone = Clock("2024-03-04 09:00", "投诉",
                      {{"2024-03-10 10:00", "办结|已答复"}, {"2024-03-11 10:00", "重办|不满意"}},
                      "2024-03-12");
  EXPECT_TRUE(redone.open);
  EXPECT_EQ(redone.first_close, 0);
  // The redo cycle: 15 working days from the 11th.
  EXPECT_EQ(DayText(redone.final_deadline), DayText(AddWorkingDaysDays(Day("2024-03-11"), 15)));
}

// ---------------------------------------------------------------------------
// A store with hand-made orders

using HotlineStore = TestStore;

const models::ClockLimits kLimits{};

leads::BoardItem Item(Db* db, const std::string& id, const std::string& as_of) {
  auto o = leads::LoadOrder(db, id);
  EXPECT_TRUE(o.ok()) << o.status().ToString();
  return leads::JudgeOrder(*o, Day(as_of), kLimits);
}

std::string Register(HotlineStore& h, const std::string& id, const std::string& received,
                     const std::string& category, const std::string& region = "210911") {
  leads::NewOrder o{.id = id,
                    .received_at = received,
                    .category = category,
                    .region_code = region,
                    .content = "测试诉求"};
  auto r = leads::RegisterOrder(h.store(), o, h.Work(), "test");
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : "";
}

Status Act(HotlineStore& h, const std::string& id, leads::OrderAction a) {
  return leads::ApplyAction(h.store(), id, a, kLimits, h.Work(), "test").status();
}

leads::OrderAction A(const std::string& action, const std::string& at, const std::string& to = "",
                     const std::string& note = "") {
  return {.action = action, .at = at, .to_org = to, .note = note};
}

TEST(HotlineOrders, StepsThroughTheImporterAndRefusesWrongTransitions) {
  HotlineStore h;
  std::string id = Register(h, "", "2024-03-04 09:00", "投诉");
  EXPECT_EQ(id, "GD20240304M0001");
  EXPECT_EQ(Register(h, "", "2024-03-04 10:00", "投诉"), "GD20240304M0002");
  EXPECT_EQ(Item(h.db(), id, "2024-03-04").state, leads::OrderState::kReceived);

  // 办结 or 签收 before 派单; 回访 before 办结.
  Status s = Act(h, id, A("签收", "2024-03-04 09:30"));
  EXPECT_EQ(s.code(), Status::Code::kInvalidArgument);
  ASSERT_TRUE(Act(h, id, A("派单", "2024-03-04 10:00", "阜新市住建局")).ok());
  s = Act(h, id, A("办结", "2024-03-04 11:00", "", "已处理"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message_zh().find("须先签收"), std::string::npos) << s.message_zh();
  EXPECT_NE(s.message().find("signed for"), std::string::npos) << s.message();
  leads::OrderAction visit = A("回访", "2024-03-04 11:00");
  visit.satisfaction = "满意";
  s = Act(h, id, visit);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message_zh().find("办结后才能回访"), std::string::npos) << s.message_zh();
  // Back in time: refused.
  EXPECT_FALSE(Act(h, id, A("签收", "2024-03-04 09:59")).ok());

  ASSERT_TRUE(Act(h, id, A("签收", "2024-03-05 09:00")).ok());
  ASSERT_TRUE(Act(h, id, A("转派", "2024-03-05 10:00", "阜新市城管局")).ok());
  ASSERT_TRUE(Act(h, id, A("签收", "2024-03-05 15:00")).ok());
  auto it = Item(h.db(), id, "2024-03-06");
  EXPECT_EQ(it.state, leads::OrderState::kHandling);
  EXPECT_EQ(it.org, "阜新市城管局");
  EXPECT_EQ(it.assigned_org, "阜新市住建局");
  EXPECT_EQ(it.transfers, 1);
  EXPECT_EQ(it.deadline, "2024-03-25");
  EXPECT_EQ(it.days_left, WorkingDaysBetweenDays(Day("2024-03-06"), Day("2024-03-25")));

  // An approved extension needs its approval, and moves the deadline.
  leads::OrderAction ext = A("延期", "2024-03-20 10:00");
  ext.days = 5;
  ext.approved = true;
  EXPECT_FALSE(Act(h, id, ext).ok());  // no approval text
  ext.approval = "热线办张主任同意";
  ASSERT_TRUE(Act(h, id, ext).ok());
  it = Item(h.db(), id, "2024-03-21");
  EXPECT_EQ(it.state, leads::OrderState::kExtended);
  EXPECT_EQ(it.deadline, "2024-04-01");
  EXPECT_EQ(it.extension_days, 5);
  ext.at = "2024-03-21 10:00";
  EXPECT_FALSE(Act(h, id, ext).ok());  // once

  ASSERT_TRUE(Act(h, id, A("办结", "2024-03-28 16:00", "", "已清理占道")).ok());
  visit.at = "2024-03-29 09:00";
  visit.satisfaction = "不满意";
  ASSERT_TRUE(Act(h, id, visit).ok());
  it = Item(h.db(), id, "2024-03-29");
  EXPECT_EQ(it.state, leads::OrderState::kVisited);
  EXPECT_FALSE(it.open);
  EXPECT_FALSE(it.closed_late);
  EXPECT_EQ(it.satisfaction, "不满意");
  ASSERT_TRUE(Act(h, id, A("重办", "2024-03-29 10:00", "", "群众不满意")).ok());
  it = Item(h.db(), id, "2024-03-29");
  EXPECT_EQ(it.state, leads::OrderState::kRedo);
  EXPECT_TRUE(it.open);
  EXPECT_EQ(it.redos, 1);
  // The complaints row carries the state; closed_at cleared by the redo.
  auto o = leads::LoadOrder(h.db(), id);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->status, "重办");
  EXPECT_EQ(o->closed_at, "");
  EXPECT_EQ(o->satisfaction, "不满意");
  // Judged as of an earlier day, later steps are not yet known.
  EXPECT_EQ(Item(h.db(), id, "2024-03-05").state, leads::OrderState::kHandling);
  EXPECT_EQ(Item(h.db(), id, "2024-03-05").org, "阜新市城管局");
  // Each step is a ledger action.
  EXPECT_EQ(h.Count("SELECT COUNT(*) FROM ledger_actions WHERE action LIKE 'hotline_%' AND "
                    "target = 'complaint:" +
                    id + "'"),
            9);

  // An unapproved request leaves the deadline.
  std::string id2 = "GD20240304M0002";
  ASSERT_TRUE(Act(h, id2, A("派单", "2024-03-04 11:00", "阜新市住建局")).ok());
  ASSERT_TRUE(Act(h, id2, A("签收", "2024-03-04 12:00")).ok());
  leads::OrderAction ask = A("延期", "2024-03-20 10:00");
  ask.days = 5;
  ASSERT_TRUE(Act(h, id2, ask).ok());
  it = Item(h.db(), id2, "2024-03-21");
  EXPECT_EQ(it.state, leads::OrderState::kHandling);
  EXPECT_EQ(it.deadline, "2024-03-25");
  // An approval after the original deadline is refused.
  leads::OrderAction too_late = A("延期", "2024-03-26 10:00");
  too_late.days = 3;
  too_late.approved = true;
  too_late.approval = "同意";
  s = Act(h, id2, too_late);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message_zh().find("届满前"), std::string::npos);
  it = Item(h.db(), id2, "2024-03-26");
  EXPECT_TRUE(it.overdue);
  EXPECT_EQ(it.overdue_days, 1);
}

// Orders registered and dispatched, left open, for the sweep.
void OpenOrder(HotlineStore& h, const std::string& id, const std::string& received,
               const std::string& category, const std::string& org) {
  Register(h, id, received, category);
  ASSERT_TRUE(Act(h, id, A("派单", received.substr(0, 10) + " 23:00", org)).ok());
}

TEST(HotlineSweep, UrgesOneWorkingDayAheadAndSupervisesOverdueOnce) {
  HotlineStore h;
  // Deadline Mon 2024-03-11 (咨询 received Wed 6th): the working day before is Fri 8th.
  OpenOrder(h, "W1", "2024-03-06 09:00", "咨询", "甲局");
  // Deadline Sun 2024-02-18 (调休) for 建议 received Mon 5th: the working day
  // before is Fri 9th, across the whole 春节 holiday.
  OpenOrder(h, "S1", "2024-02-05 09:00", "建议", "乙局");
  // Deadline Mon 2024-10-14 (咨询 received Thu 10th): the day before is the swapped Saturday 12th.
  OpenOrder(h, "N1", "2024-10-10 09:00", "咨询", "丙局");

  auto urged = [&](const std::string& as_of) {
    auto r = leads::Sweep(h.db(), Date(as_of), kLimits, "test");
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<std::string> out;
    for (const auto& n : r->issued) out.push_back(n.kind + ":" + n.complaint_id);
    return out;
  };
  EXPECT_EQ(urged("2024-02-08"), std::vector<std::string>{});  // two working days left
  EXPECT_EQ(urged("2024-02-09"), std::vector<std::string>{"urge:S1"});
  EXPECT_EQ(urged("2024-02-19"), std::vector<std::string>{"supervise:S1"});

  EXPECT_EQ(urged("2024-03-07"), std::vector<std::string>{});
  EXPECT_EQ(urged("2024-03-08"), std::vector<std::string>{"urge:W1"});
  EXPECT_EQ(urged("2024-03-08"), std::vector<std::string>{});  // idempotent
  // On the deadline itself: the same deadline was urged already (and S1 supervised).
  auto again = leads::Sweep(h.db(), Date("2024-03-11"), kLimits, "test");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->urged, 0);
  EXPECT_EQ(again->supervised, 0);
  EXPECT_EQ(again->already, 2);
  EXPECT_EQ(urged("2024-03-12"), std::vector<std::string>{"supervise:W1"});
  EXPECT_EQ(urged("2024-03-13"), std::vector<std::string>{});

  EXPECT_EQ(urged("2024-10-11"), std::vector<std::string>{});  // two working days left
  EXPECT_EQ(urged("2024-10-12"), std::vector<std::string>{"urge:N1"});
  EXPECT_EQ(Item(h.db(), "N1", "2024-10-12").days_left, 1);
  EXPECT_EQ(Item(h.db(), "N1", "2024-10-11").days_left, 2);

  // Three urges and two supervisions in all, each a ledger action.
  EXPECT_EQ(h.Count("SELECT COUNT(*) FROM hotline_notices"), 5);
  EXPECT_EQ(h.Count("SELECT COUNT(*) FROM ledger_actions WHERE action IN ('hotline_urge', "
                    "'hotline_supervise')"),
            5);
  // The board shows them, most overdue first.
  leads::BoardFilter f;
  f.supervised = true;
  auto b = leads::LoadBoard(h.db(), Date("2024-03-12"), f, kLimits);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->items.size(), 2u);
  EXPECT_EQ(b->items[0].id, "S1");
  EXPECT_EQ(b->items[1].id, "W1");
  EXPECT_TRUE(b->items[1].urged);
  EXPECT_TRUE(b->items[1].overdue);
  // By hand: refused twice for the same deadline, and on a closed order.
  EXPECT_FALSE(leads::IssueNotice(h.db(), "W1", "督办", "", Date("2024-03-12"), kLimits, "u").ok());
  auto manual = leads::IssueNotice(h.db(), "N1", "supervise", "重点督办", Date("2024-10-11"),
                                   kLimits, "user:leader");
  ASSERT_TRUE(manual.ok()) << manual.status().ToString();
  EXPECT_EQ(manual->deadline, "2024-10-14");
  EXPECT_EQ(manual->issued_by, "user:leader");
}

TEST(HotlineBoard, CountsFiltersAndOrder) {
  HotlineStore h;
  OpenOrder(h, "B1", "2024-03-06 09:00", "咨询", "甲局");  // deadline 11th
  OpenOrder(h, "B2", "2024-03-01 09:00", "咨询", "乙局");  // deadline 6th
  Register(h, "B3", "2024-03-07 09:00", "投诉", "210902");
  Register(h, "B4", "2024-03-20 09:00", "投诉");  // after as_of
  leads::BoardFilter f;
  auto b = leads::LoadBoard(h.db(), Date("2024-03-11"), f, kLimits);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->total, 3);
  EXPECT_EQ(b->counts["dispatched"], 2);
  EXPECT_EQ(b->counts["received"], 1);
  EXPECT_EQ(b->overdue, 1);
  EXPECT_EQ(b->due_soon, 1);
  ASSERT_EQ(b->items.size(), 3u);
  EXPECT_EQ(b->items[0].id, "B2");  // overdue first
  EXPECT_EQ(b->items[1].id, "B1");
  f.region_prefix = "210902";
  EXPECT_EQ(leads::LoadBoard(h.db(), Date("2024-03-11"), f, kLimits)->total, 1);
  f = {};
  f.state = "received";
  auto r = leads::LoadBoard(h.db(), Date("2024-03-11"), f, kLimits);
  EXPECT_EQ(r->total, 1);
  EXPECT_EQ(r->counts["dispatched"], 2);  // the columns ignore the state filter
  f = {};
  f.clock = "overdue";
  EXPECT_EQ(leads::LoadBoard(h.db(), Date("2024-03-11"), f, kLimits)->items[0].id, "B2");
  f = {};
  f.text = "B3";
  EXPECT_EQ(leads::LoadBoard(h.db(), Date("2024-03-11"), f, kLimits)->total, 1);
  f = {};
  f.state = "nonsense";
  EXPECT_FALSE(leads::LoadBoard(h.db(), Date("2024-03-11"), f, kLimits).ok());
}

// ---------------------------------------------------------------------------
// Review findings

// A notice "as of" a future day would block the real one (unique per order,
// kind and deadline): refused, unless that day is the settings' replay day.
TEST(HotlineSweep, RefusesAFutureAsOf) {
  HotlineStore h;
  OpenOrder(h, "F1", "2024-03-06 09:00", "咨询", "甲局");
  const CivilDate today = TodayShanghai();
  const CivilDate tomorrow = CivilFromDays(DaysFromCivil(today.year, today.month, today.day) + 1);
  for (const CivilDate& day : {tomorrow, Date("2099-01-01")}) {
    auto r = leads::Sweep(h.db(), day, kLimits, "test");
    ASSERT_FALSE(r.ok()) << FormatDate(day);
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    EXPECT_NE(r.status().message().find("as_of"), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message_zh().find("as_of"), std::string::npos);
    auto n = leads::IssueNotice(h.db(), "F1", "督办", "", day, kLimits, "u");
    ASSERT_FALSE(n.ok());
    EXPECT_NE(n.status().message().find("as_of"), std::string::npos) << n.status().message();
  }
  EXPECT_EQ(h.Count("SELECT COUNT(*) FROM hotline_notices"), 0);
  // The real day is allowed, and so is the replay day the settings name.
  EXPECT_TRUE(leads::Sweep(h.db(), today, kLimits, "test").ok());
  auto replay = leads::Sweep(h.db(), tomorrow, kLimits, "test", FormatDate(tomorrow));
  EXPECT_TRUE(replay.ok()) << replay.status().ToString();
  EXPECT_FALSE(
      leads::Sweep(h.db(), Date("2099-01-01"), kLimits, "test", FormatDate(tomorrow)).ok());
}

leads::Order Handling(const std::string& received) {
  leads::Order o;
  o.id = "P1";
  o.received_at = received;
  o.category = "投诉";
  o.region_code = "210911";
  o.assigned_org = "甲局";
  o.events = {{"2024-03-04 10:00", "派单", "", "甲局", ""},
              {"2024-03-04 11:00", "签收", "", "甲局", ""}};
  return o;
}

TEST(HotlineOrders, RefusesASecondApprovedExtension) {
  leads::Order o = Handling("2024-03-04 09:00");
  o.events.push_back(
      {"2024-03-06 10:00", "延期", "甲局", "", "经批准延期3个工作日。审批意见：同意"});
  // Transferred and signed for again: no longer in state "extended", but the
  // clock keeps the first extension and would ignore a second.
  o.events.push_back({"2024-03-07 10:00", "转派", "甲局", "乙局", "转相关单位办理"});
  o.events.push_back({"2024-03-07 11:00", "签收", "", "乙局", ""});
  ASSERT_EQ(leads::JudgeOrder(o, Day("2024-03-08"), kLimits).state, leads::OrderState::kHandling);
  leads::OrderAction ext = A("延期", "2024-03-08 10:00");
  ext.days = 5;
  ext.approved = true;
  ext.approval = "同意";
  auto p = leads::PlanAction(o, ext, kLimits, "2024-03-08 12:00:00");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(p.status().message().find("already been extended"), std::string::npos)
      << p.status().message();
  EXPECT_NE(p.status().message_zh().find("已经批准延期"), std::string::npos);
  // Without the first extension it is accepted.
  o.events.erase(o.events.begin() + 2);
  EXPECT_TRUE(leads::PlanAction(o, ext, kLimits, "2024-03-08 12:00:00").ok());
}

TEST(HotlineOrders, RefusesAnExtensionWithoutReceiptTime) {
  leads::Order o = Handling("");
  leads::OrderAction ext = A("延期", "2024-03-05 10:00");
  ext.days = 2;
  auto p = leads::PlanAction(o, ext, kLimits, "2024-03-08 12:00:00");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("no receipt time, so it cannot be extended"),
            std::string::npos)
      << p.status().message();
  EXPECT_NE(p.status().message_zh().find("没有受理时间"), std::string::npos);
  EXPECT_EQ(p.status().message().find("between 1 and"), std::string::npos);
}

TEST(HotlineBoard, OverdueOnAWeekendAfterAFridayDeadline) {
  HotlineStore h;
  // 咨询 received Tue 2024-03-05: deadline Fri 8th.
  OpenOrder(h, "K1", "2024-03-05 09:00", "咨询", "甲局");
  auto sat = Item(h.db(), "K1", "2024-03-09");
  EXPECT_EQ(sat.deadline, "2024-03-08");
  EXPECT_TRUE(sat.overdue);
  EXPECT_EQ(sat.overdue_days, 1);
  EXPECT_EQ(Item(h.db(), "K1", "2024-03-10").overdue_days, 1);
  EXPECT_EQ(Item(h.db(), "K1", "2024-03-11").overdue_days, 1);
  EXPECT_EQ(Item(h.db(), "K1", "2024-03-12").overdue_days, 2);
  leads::BoardFilter f;
  auto b = leads::LoadBoard(h.db(), Date("2024-03-09"), f, kLimits);
  ASSERT_TRUE(b.ok());
  ASSERT_EQ(b->items.size(), 1u);
  EXPECT_EQ(b->items[0].overdue_days, 1);
  auto r = leads::Sweep(h.db(), Date("2024-03-09"), kLimits, "test");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->issued.size(), 1u);
  EXPECT_NE(r->issued[0].note.find("1个工作日"), std::string::npos) << r->issued[0].note;
  // Closed on the Saturday: one working day late, too.
  ASSERT_TRUE(Act(h, "K1", A("签收", "2024-03-09 09:00")).ok());
  ASSERT_TRUE(Act(h, "K1", A("办结", "2024-03-09 10:00", "", "已答复")).ok());
  auto closed = Item(h.db(), "K1", "2024-03-11");
  EXPECT_TRUE(closed.closed_late);
  EXPECT_EQ(closed.overdue_days, 1);
}

TEST(HotlineOrders, DetailAsOfAnEarlierDayListsWhatWasKnown) {
  HotlineStore h;
  OpenOrder(h, "E1", "2024-03-04 09:00", "咨询", "甲局");  // 受理 09:00, 派单 23:00
  ASSERT_TRUE(Act(h, "E1", A("签收", "2024-03-05 09:00")).ok());
  ASSERT_TRUE(leads::IssueNotice(h.db(), "E1", "urge", "", Date("2024-03-04"), kLimits, "u").ok());
  ASSERT_TRUE(
      leads::IssueNotice(h.db(), "E1", "supervise", "", Date("2024-03-11"), kLimits, "u").ok());
  auto d = leads::GetOrderDetail(h.db(), "E1", Date("2024-03-04"), kLimits);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->order.events.size(), 2u);
  ASSERT_EQ(d->notices.size(), 1u);
  EXPECT_EQ(d->notices[0].kind, "urge");
  EXPECT_FALSE(d->item.supervised);
  d = leads::GetOrderDetail(h.db(), "E1", Date("2024-03-11"), kLimits);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->order.events.size(), 3u);
  EXPECT_EQ(d->notices.size(), 2u);
}

// ---------------------------------------------------------------------------
// Metrics on a hand-made month

constexpr const char* kOrderHeader =
    "complaint_id,received_at,channel,category,region_code,caller_hash,assigned_org,status,"
    "closed_at,satisfaction\n";
constexpr const char* kEventHeader = "complaint_id,at,action,from_org,to_org,note\n";

struct Made {
  std::string orders = kOrderHeader, events = kEventHeader;
  // 咨询 received `day` 09:00 (deadline three working days later), dispatched
  // at 10:00, signed `sign_day` 09:00, closed `close_day` 16:00 (or open).
  void Add(const std::string& id, const std::string& org, const std::string& day,
           const std::string& sign_day, const std::string& close_day,
           const std::string& satisfaction, const std::string& caller = "",
           const std::string& region = "210911") {
    orders += id + "," + day + " 09:00,电话,咨询," + region + "," + caller + "," + org + ",," +
              (close_day.empty() ? "" : close_day + " 16:00") + "," + satisfaction + "\n";
    events += id + "," + day + " 09:00,受理,,,\n";
    events += id + "," + day + " 10:00,派单,热线," + org + ",\n";
    events += id + "," + sign_day + " 09:00,签收,," + org + ",\n";
    if (!close_day.empty()) {
      events += id + "," + close_day + " 16:00,办结," + org + ",热线,已答复\n";
      if (!satisfaction.empty())
        events += id + "," + close_day + " 18:00,回访,,," + satisfaction + "\n";
    }
  }
};

void MakeMonth(HotlineStore& h) {
  Made m;
  // Received Mon 2024-03-04: deadline Thu 7th.
  const char* a_sat[] = {"满意", "满意", "满意", "满意", "基本满意", "不满意"};
  for (int i = 0; i < 6; ++i) {
    m.Add("A" + std::to_string(i + 1), "甲局", "2024-03-04", "2024-03-05",
          i == 5 ? "2024-03-08" : "2024-03-06", a_sat[i], i == 0 ? "aaaa0001" : "");
  }
  // Open, received Mon 25th by A1's caller (21 days later): a repeat, overdue on the 31st.
  m.Add("A7", "甲局", "2024-03-25", "2024-03-26", "", "", "aaaa0001");
  const char* b_sat[] = {"满意", "满意", "满意", "不满意", "不满意"};
  for (int i = 0; i < 5; ++i) {
    m.Add("B" + std::to_string(i + 1), "乙局", "2024-03-04", "2024-03-05", "2024-03-06", b_sat[i],
          i == 0 ? "bbbb0001" : "");
  }
  // B1's caller called 44 days before: a repeat only with a longer window.
  m.Add("B0", "乙局", "2024-01-20", "2024-01-22", "2024-01-23", "满意", "bbbb0001");
  const char* d_sat[] = {"满意", "满意", "满意", "满意", "不满意"};
  for (int i = 0; i < 5; ++i) {
    // D1 signed two working days after dispatch: not a response.
    m.Add("D" + std::to_string(i + 1), "丁局", "2024-03-04", i == 0 ? "2024-03-06" : "2024-03-05",
          "2024-03-06", d_sat[i]);
  }
  m.Add("C1", "丙局", "2024-03-04", "2024-03-05", "2024-03-06", "满意", "", "210902");
  m.Add("C2", "丙局", "2024-03-04", "2024-03-05", "2024-03-06", "满意", "", "210902");
  h.Import("complaints", m.orders);
  h.Import("complaint_events", m.events);
}

const leads::DeptMetrics* Dept(const leads::Metrics& m, const std::string& org) {
  for (const auto& d : m.depts) {
    if (d.org == org) return &d;
  }
  return nullptr;
}

TEST(HotlineMetrics, MonthlyRatesAndRanking) {
  HotlineStore h;
  MakeMonth(h);
  leads::MetricsParams p;
  ASSERT_TRUE(leads::MonthRange("2024-03", &p.from, &p.to).ok());
  EXPECT_EQ(p.to, "2024-03-31");
  auto m = leads::ComputeMetrics(h.db(), Date("2024-03-31"), p, kLimits);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  const auto* a = Dept(*m, "甲局");
  const auto* b = Dept(*m, "乙局");
  const auto* c = Dept(*m, "丙局");
  const auto* d = Dept(*m, "丁局");
  ASSERT_TRUE(a && b && c && d);
  EXPECT_EQ(a->received, 7);
  EXPECT_EQ(a->closed, 6);
  EXPECT_EQ(a->on_time, 5);
  EXPECT_EQ(a->overdue_open, 1);
  EXPECT_EQ(a->rated, 6);
  EXPECT_EQ(a->satisfied, 5);
  EXPECT_EQ(a->repeats, 1);
  EXPECT_NEAR(*a->on_time_rate, 5.0 / 6, 1e-9);
  EXPECT_NEAR(*a->satisfaction_rate, 5.0 / 6, 1e-9);
  EXPECT_NEAR(*a->repeat_rate, 1.0 / 7, 1e-9);
  EXPECT_EQ(b->repeats, 0);
  EXPECT_NEAR(*b->satisfaction_rate, 0.6, 1e-9);
  EXPECT_EQ(d->dispatched, 5);
  EXPECT_EQ(d->responded, 4);
  EXPECT_NEAR(*d->response_rate, 0.8, 1e-9);
  // 丁局 and 乙局 tie on time (100%); satisfaction breaks it. 丙局's 100% over
  // two orders is not ranked.
  EXPECT_EQ(d->rank, 1);
  EXPECT_EQ(b->rank, 2);
  EXPECT_EQ(a->rank, 3);
  EXPECT_EQ(c->rank, 0);
  EXPECT_EQ(c->closed, 2);
  EXPECT_NEAR(*c->on_time_rate, 1.0, 1e-9);
  EXPECT_EQ(m->ranked, 3);
  ASSERT_EQ(m->depts.size(), 4u);
  EXPECT_EQ(m->depts[0].org, "丁局");
  EXPECT_EQ(m->depts[3].org, "丙局");
  EXPECT_EQ(m->total.received, 19);
  EXPECT_EQ(m->total.closed, 18);
  EXPECT_EQ(m->total.on_time, 17);
  // A longer window finds B1's repeat; a lower threshold ranks 丙局 first.
  p.repeat_days = 60;
  p.min_orders = 2;
  m = leads::ComputeMetrics(h.db(), Date("2024-03-31"), p, kLimits);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(Dept(*m, "乙局")->repeats, 1);
  EXPECT_EQ(Dept(*m, "丙局")->rank, 1);  // 100% on time, 100% satisfied
  // January: B0 only.
  ASSERT_TRUE(leads::MonthRange("2024-01", &p.from, &p.to).ok());
  m = leads::ComputeMetrics(h.db(), Date("2024-03-31"), p, kLimits);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->total.received, 1);
  EXPECT_EQ(m->total.closed, 1);
  EXPECT_FALSE(leads::MonthRange("2024-13", &p.from, &p.to).ok());
}

// ---------------------------------------------------------------------------
// Over HTTP

const char* kPassword = "hotline-test-password-7";

class HotlineServer : public TestStore {
 public:
  HotlineServer() {
    EXPECT_TRUE(CreateUsers(db(),
                            {{"admin", "管理员", "admin", {}, {}},
                             {"leader", "领导", "leader", {}, {}},
                             {"clerk", "承办人", "handler", {"210911"}, {}}},
                            kPassword));
    Made m;
    m.Add("X1", "甲局", "2024-03-04", "2024-03-05", "2024-03-06", "满意", "aaaa0001ffff");
    m.Add("X2", "丙局", "2024-03-04", "2024-03-05", "", "", "", "210902");
    Import("complaints", m.orders);
    Import("complaint_events", m.events);
    server_ = std::make_unique<ApiServer>(db_path(), dir_.File("s.settings.json"));
  }
  HttpClient As(const std::string& user) const { return server_->As(user, kPassword); }

 private:
  std::unique_ptr<ApiServer> server_;
};

TEST(HotlineApi, ScopeMaskingRegistrationActionsAndSweep) {
  HotlineServer s;
  HttpClient admin = s.As("admin");
  HttpClient clerk = s.As("clerk");
  HttpClient leader = s.As("leader");

  json all = admin.Get("/api/hotline/board?as_of=2024-03-11").Json();
  EXPECT_EQ(all["total"], 2);
  json mine = clerk.Get("/api/hotline/board?as_of=2024-03-11").Json();
  ASSERT_EQ(mine["total"], 1) << mine.dump();
  EXPECT_EQ(mine["items"][0]["id"], "X1");
  EXPECT_EQ(mine["items"][0]["caller"], "aaaa************");
  EXPECT_EQ(mine["items"][0]["state"], "visited");
  EXPECT_EQ(clerk.Get("/api/hotline/board?unmask=1").status, 403);
  json open = admin.Get("/api/hotline/board?as_of=2024-03-11&unmask=1").Json();
  bool seen = false;
  for (const auto& it : open["items"]) seen |= it["caller"] == "aaaa0001ffff";
  EXPECT_TRUE(seen);
  // Another region's order, and a missing one, answer alike.
  EXPECT_EQ(clerk.Get("/api/hotline/orders/X2?as_of=2024-03-11").status, 403);
  EXPECT_EQ(clerk.Get("/api/hotline/orders/NOPE").status, 403);
  EXPECT_EQ(admin.Get("/api/hotline/orders/NOPE").status, 404);
  json x1 = clerk.Get("/api/hotline/orders/X1?as_of=2024-03-11").Json();
  EXPECT_EQ(x1["events"].size(), 5u);
  EXPECT_EQ(x1["deadline"], "2024-03-07");
  EXPECT_EQ(x1["caller_orders"], 1);
  json m = clerk.Get("/api/hotline/metrics?month=2024-03&as_of=2024-03-31").Json();
  EXPECT_EQ(m["total"]["received"], 1);
  EXPECT_EQ(
      admin.Get("/api/hotline/metrics?month=2024-03&as_of=2024-03-31").Json()["total"]["received"],
      2);
  EXPECT_EQ(admin.Get("/api/hotline/metrics?month=2024-3").status, 400);

  // Registration: in scope only; onto the board and into the complaints view.
  json order = {{"received_at", "2024-03-08 09:30"},
                {"category", "咨询"},
                {"region_code", "210911"},
                {"content", "路灯不亮"}};
  json other = order;
  other["region_code"] = "210902";
  EXPECT_EQ(clerk.Post("/api/hotline/orders", other).status, 403);
  json bad = order;
  bad["caller_hash"] = "13900001111";
  HttpResult refused = clerk.Post("/api/hotline/orders", bad);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.Json()["field"], "caller_hash");
  HttpResult reg = clerk.Post("/api/hotline/orders", order);
  ASSERT_EQ(reg.status, 201) << reg.body;
  const std::string id = reg.Json()["id"];
  EXPECT_EQ(id, "GD20240308M0001");
  EXPECT_EQ(s.Count("SELECT COUNT(*) FROM complaints WHERE complaint_id = '" + id + "'"), 1);
  json board = clerk.Get("/api/hotline/board?as_of=2024-03-08&q=" + id).Json();
  ASSERT_EQ(board["total"], 1);
  EXPECT_EQ(board["items"][0]["state"], "received");
  EXPECT_EQ(board["items"][0]["deadline"], "2024-03-13");

  // Actions: 办结 before 签收 refused in both languages.
  const std::string act = "/api/hotline/orders/" + id + "/actions";
  ASSERT_EQ(
      clerk.Post(act, {{"action", "dispatch"}, {"at", "2024-03-08 10:00"}, {"to_org", "甲局"}})
          .status,
      200);
  HttpResult wrong =
      clerk.Post(act, {{"action", "办结"}, {"at", "2024-03-08 11:00"}, {"note", "已修复"}});
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.Json()["message"].get<std::string>().find("须先签收"), std::string::npos);
  EXPECT_NE(wrong.Json()["message_en"].get<std::string>().find("signed for"), std::string::npos);
  EXPECT_EQ(leader.Post(act, {{"action", "签收"}}).status, 403);  // no right process
  HttpResult signed_for = clerk.Post(act, {{"action", "签收"}, {"at", "2024-03-08 14:00"}});
  ASSERT_EQ(signed_for.status, 200) << signed_for.body;
  EXPECT_EQ(signed_for.Json()["state"], "handling");

  // The sweep: leaders only; 催办 on Tue 12th for the deadline Wed 13th.
  EXPECT_EQ(clerk.Post("/api/hotline/sweep", {{"as_of", "2024-03-12"}}).status, 403);
  json swept = leader.Post("/api/hotline/sweep", {{"as_of", "2024-03-12"}}).Json();
  EXPECT_EQ(swept["urged"], 1);
  EXPECT_EQ(swept["supervised"], 1);  // X2, open since the 7th
  json twice = leader.Post("/api/hotline/sweep", {{"as_of", "2024-03-12"}}).Json();
  EXPECT_EQ(twice["urged"], 0);
  EXPECT_EQ(twice["already"], 2);
  json notices = clerk.Get("/api/hotline/notices").Json();
  ASSERT_EQ(notices["total"], 1);  // X2's 督办 is another region's
  EXPECT_EQ(notices["items"][0]["kind"], "urge");
  EXPECT_EQ(notices["items"][0]["issued_by"], "system");
  // A handler may not 督办 by hand; a leader may, once per deadline.
  const std::string nurl = "/api/hotline/orders/" + id + "/notices?as_of=2024-03-12";
  EXPECT_EQ(clerk.Post(nurl, {{"kind", "supervise"}}).status, 403);
  EXPECT_EQ(leader.Post(nurl, {{"kind", "supervise"}}).status, 201);
  EXPECT_EQ(leader.Post(nurl, {{"kind", "supervise"}}).status, 409);
}

TEST(HotlineApi, FutureAsOfRefusedAndCallerOrdersInScope) {
  HotlineServer s;
  HttpClient admin = s.As("admin");
  HttpClient clerk = s.As("clerk");
  HttpClient leader = s.As("leader");
  HttpResult future = leader.Post("/api/hotline/sweep", {{"as_of", "2099-01-01"}});
  EXPECT_EQ(future.status, 400) << future.body;
  EXPECT_EQ(future.Json()["field"], "as_of");
  HttpResult notice =
      leader.Post("/api/hotline/orders/X2/notices?as_of=2099-01-01", {{"kind", "supervise"}});
  EXPECT_EQ(notice.status, 400) << notice.body;
  EXPECT_EQ(notice.Json()["field"], "as_of");
  EXPECT_EQ(s.Count("SELECT COUNT(*) FROM hotline_notices"), 0);
  // The same caller in another region: counted for the admin only.
  HttpResult reg = admin.Post("/api/hotline/orders", {{"received_at", "2024-03-08 09:30"},
                                                      {"category", "咨询"},
                                                      {"region_code", "210902"},
                                                      {"caller_hash", "aaaa0001ffff"},
                                                      {"content", "路灯不亮"}});
  ASSERT_EQ(reg.status, 201) << reg.body;
  EXPECT_EQ(clerk.Get("/api/hotline/orders/X1?as_of=2024-03-11").Json()["caller_orders"], 1);
  EXPECT_EQ(admin.Get("/api/hotline/orders/X1?as_of=2024-03-11").Json()["caller_orders"], 2);
  // As of a day before the second order was received, it was not yet filed.
  EXPECT_EQ(admin.Get("/api/hotline/orders/X1?as_of=2024-03-07").Json()["caller_orders"], 1);
}

}  // namespace
}  // namespace qf::testing
