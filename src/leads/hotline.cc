#include "leads/hotline.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "common/calendar.h"
#include "common/hash.h"
#include "engine/model.h"
#include "engine/runner.h"
#include "engine/snapshot.h"
#include "ingest/quarantine.h"
#include "ingest/value.h"
#include "ledger/ledger.h"

namespace qf::leads {

using engine::kNull;
using nlohmann::json;

namespace {

constexpr int64_t kDaySeconds = 86400;

int64_t SecOf(std::string_view text) {
  if (text.empty()) return kNull;
  auto v = ParseDateTime(text);
  return v ? *v : kNull;
}

int64_t DayNumber(const CivilDate& d) { return DaysFromCivil(d.year, d.month, d.day); }

std::string DayString(int64_t day) { return FormatDate(CivilFromDays(day)); }

// The day a date text names, or kNull.
int64_t DayOfText(std::string_view text) {
  auto d = ParseDate(text);
  return d ? DayNumber(*d) : kNull;
}

}  // namespace

// ---------------------------------------------------------------------------
// States

const char* StateName(OrderState s) {
  switch (s) {
    case OrderState::kReceived:
      return "received";
    case OrderState::kDispatched:
      return "dispatched";
    case OrderState::kReturned:
      return "returned";
    case OrderState::kHandling:
      return "handling";
    case OrderState::kExtended:
      return "extended";
    case OrderState::kClosed:
      return "closed";
    case OrderState::kVisited:
      return "visited";
    case OrderState::kRedo:
      return "redo";
  }
  return "received";
}

const char* StateZh(OrderState s) {
  switch (s) {
    case OrderState::kReceived:
      return "受理";
    case OrderState::kDispatched:
      return "派单";
    case OrderState::kReturned:
      return "退单";
    case OrderState::kHandling:
      return "办理中";
    case OrderState::kExtended:
      return "延期";
    case OrderState::kClosed:
      return "办结";
    case OrderState::kVisited:
      return "回访";
    case OrderState::kRedo:
      return "重办";
  }
  return "受理";
}

bool ParseState(std::string_view name, OrderState* out) {
  for (int i = 0; i < kOrderStateCount; ++i) {
    auto s = static_cast<OrderState>(i);
    if (name == StateName(s) || name == StateZh(s)) {
      *out = s;
      return true;
    }
  }
  return false;
}

bool IsOpenState(OrderState s) { return s != OrderState::kClosed && s != OrderState::kVisited; }

Result<models::ClockLimits> HotlineLimits(const std::string& settings_path) {
  const engine::Model* m = engine::FindBuiltinModel("complaint_overdue");
  if (m == nullptr) return models::ClockLimits{};
  QF_ASSIGN_OR_RETURN(engine::Settings settings, engine::Settings::Load(settings_path));
  QF_ASSIGN_OR_RETURN(engine::Params params, settings.ParamsFor(m->info()));
  return models::ClockLimits::FromParams(params);
}

// ---------------------------------------------------------------------------
// Loading

namespace {

constexpr const char* kOrderColumns =
    "complaint_id, received_at, channel, category, region_code, caller_hash, assigned_org, "
    "status, closed_at, satisfaction";

void ReadOrder(Stmt& q, Order* o) {
  o->id = q.Text(0);
  o->received_at = q.Text(1);
  o->channel = q.Text(2);
  o->category = q.Text(3);
  o->region_code = q.Text(4);
  o->caller_hash = q.Text(5);
  o->assigned_org = q.Text(6);
  o->status = q.Text(7);
  o->closed_at = q.Text(8);
  o->satisfaction = q.Text(9);
}

// Every current order with its trail (content left out: the board never shows it).
Result<std::vector<Order>> LoadOrders(Db* db) {
  std::vector<Order> orders;
  std::unordered_map<std::string, size_t> index;
  {
    QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(std::string("SELECT ") + kOrderColumns +
                                            " FROM complaints ORDER BY complaint_id"));
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      orders.emplace_back();
      ReadOrder(q, &orders.back());
      index.emplace(orders.back().id, orders.size() - 1);
    }
  }
  QF_ASSIGN_OR_RETURN(Stmt e, db->Prepare("SELECT complaint_id, at, action, from_org, to_org, note "
                                          "FROM complaint_events ORDER BY at, _row_id"));
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, e.Step());
    if (!row) break;
    auto it = index.find(std::string(e.TextView(0)));
    if (it == index.end()) continue;
    orders[it->second].events.push_back({e.Text(1), e.Text(2), e.Text(3), e.Text(4), e.Text(5)});
  }
  return orders;
}

// (complaint_id, kind) pairs of notices judged on or before `as_of_day`.
Result<std::set<std::pair<std::string, std::string>>> NoticeKinds(Db* db, int64_t as_of_day) {
  std::set<std::pair<std::string, std::string>> out;
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT complaint_id, kind, as_of FROM hotline_notices"));
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    if (DayOfText(q.TextView(2)) > as_of_day) continue;
    out.emplace(q.Text(0), q.Text(1));
  }
  return out;
}

}  // namespace

Result<Order> LoadOrder(Db* db, const std::string& id) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(std::string("SELECT ") + kOrderColumns +
                                          ", content FROM complaints WHERE complaint_id = ?"));
  q.BindText(1, id);
  QF_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    return Status::NotFound("there is no order " + id + " (没有工单 " + id + ")");
  }
  Order o;
  ReadOrder(q, &o);
  o.content = q.Text(10);
  QF_ASSIGN_OR_RETURN(Stmt e, db->Prepare("SELECT at, action, from_org, to_org, note FROM "
                                          "complaint_events WHERE complaint_id = ? "
                                          "ORDER BY at, _row_id"));
  e.BindText(1, id);
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, e.Step());
    if (!row) break;
    o.events.push_back({e.Text(0), e.Text(1), e.Text(2), e.Text(3), e.Text(4)});
  }
  return o;
}

// ---------------------------------------------------------------------------
// Judging one order

BoardItem JudgeOrder(const Order& order, int64_t as_of_day, const models::ClockLimits& limits) {
  BoardItem it;
  it.id = order.id;
  it.received_at = order.received_at;
  it.channel = order.channel;
  it.category = order.category;
  it.region_code = order.region_code;
  it.assigned_org = order.assigned_org;
  it.caller_hash = order.caller_hash;
  const int64_t end_sec = (as_of_day + 1) * kDaySeconds - 1;
  std::vector<models::ClockEvent> events;
  OrderState state = OrderState::kReceived;
  bool any_visit = false, visit_known = false;
  std::string org;
  for (const HotlineEvent& ev : order.events) {
    const std::string& a = ev.action;
    if (a == "回访") any_visit = true;
    int64_t at = SecOf(ev.at);
    if (at == kNull || at > end_sec) continue;  // not yet known on as_of
    events.push_back({at, a, ev.note});
    if (a == "派单" || a == "转派") {
      state = OrderState::kDispatched;
      if (!ev.to_org.empty()) org = ev.to_org;
      if (a == "转派") ++it.transfers;
    } else if (a == "签收") {
      state = OrderState::kHandling;
    } else if (a == "退单") {
      state = OrderState::kReturned;
      ++it.transfers;
    } else if (a == "延期") {
      if (models::ExtensionApproved(ev.note) &&
          (state == OrderState::kHandling || state == OrderState::kRedo)) {
        state = OrderState::kExtended;
      }
    } else if (a == "办结") {
      state = OrderState::kClosed;
    } else if (a == "回访") {
      state = OrderState::kVisited;
      visit_known = true;
    } else if (a == "重办") {
      state = OrderState::kRedo;
      ++it.redos;
    } else if (a == "催办") {
      it.urged = true;
    } else if (a == "受理") {
      state = OrderState::kReceived;
    }
  }
  it.org = org.empty() ? order.assigned_org : org;
  int64_t closed_sec = SecOf(order.closed_at);
  if (closed_sec != kNull && closed_sec > end_sec) closed_sec = kNull;
  models::OrderClock clock = models::ClockOf(SecOf(order.received_at), order.category, events,
                                             closed_sec, as_of_day, limits);
  it.open = clock.judged ? clock.open : IsOpenState(state);
  // An order closed on record without a closing event (imported without its trail).
  if (!it.open && IsOpenState(state)) {
    state =
        (!order.satisfaction.empty() && !any_visit) ? OrderState::kVisited : OrderState::kClosed;
  }
  it.state = state;
  // The answer given at the return visit, once known on as_of (rows imported
  // without a trail keep theirs).
  if (visit_known || (!any_visit && !it.open)) it.satisfaction = order.satisfaction;
  if (!it.open && clock.close_sec != kNull) it.closed_at = FormatLocalDateTime(clock.close_sec);
  if (!clock.judged) return it;
  it.limit = clock.limit;
  it.extension_days = clock.extension_days;
  it.deadline = DayString(clock.final_deadline);
  if (it.open) {
    if (as_of_day > clock.final_deadline) {
      it.overdue = true;
      // At least one: past a Friday deadline on the weekend is already late.
      it.overdue_days = std::max(1, WorkingDaysBetweenDays(clock.final_deadline, as_of_day));
    } else {
      it.days_left = WorkingDaysBetweenDays(as_of_day, clock.final_deadline);
      it.due_soon = it.days_left <= 1;
    }
  } else if (clock.late) {
    it.closed_late = true;
    it.overdue_days = std::max(1, WorkingDaysBetweenDays(clock.late_deadline, clock.late_day));
  }
  return it;
}

// ---------------------------------------------------------------------------
// The board

namespace {

bool Matches(const BoardItem& it, const BoardFilter& f) {
  if (!f.org.empty() && it.org != f.org) return false;
  if (!f.region_prefix.empty() && it.region_code.rfind(f.region_prefix, 0) != 0) return false;
  if (!f.category.empty() && it.category != f.category) return false;
  if (f.clock == "overdue" && !it.overdue) return false;
  if (f.clock == "due_soon" && !it.due_soon) return false;
  if (f.clock == "late" && !it.closed_late) return false;
  if (!f.text.empty() && it.id.find(f.text) == std::string::npos) return false;
  if (f.urged && !it.urged) return false;
  if (f.supervised && !it.supervised) return false;
  if (f.visible && !f.visible(it.org, it.assigned_org, it.region_code)) return false;
  return true;
}

bool StateMatches(const BoardItem& it, const std::string& state) {
  if (state.empty()) return true;
  if (state == "open") return it.open;
  if (state == "done") return !it.open;
  return state == StateName(it.state);
}

// Overdue first (most overdue first), then open by days left, then closed, newest first.
bool BoardOrder(const BoardItem& a, const BoardItem& b) {
  if (a.open != b.open) return a.open;
  if (a.open) {
    if (a.overdue != b.overdue) return a.overdue;
    if (a.overdue && a.overdue_days != b.overdue_days) return a.overdue_days > b.overdue_days;
    if (!a.overdue && a.days_left != b.days_left) return a.days_left < b.days_left;
    if (a.received_at != b.received_at) return a.received_at < b.received_at;
    return a.id < b.id;
  }
  if (a.received_at != b.received_at) return a.received_at > b.received_at;
  return a.id > b.id;
}

// Every order received by as_of, judged on it, with its notices.
Result<std::vector<BoardItem>> JudgeAll(Db* db, int64_t as_of_day,
                                        const models::ClockLimits& limits) {
  QF_ASSIGN_OR_RETURN(std::vector<Order> orders, LoadOrders(db));
  QF_ASSIGN_OR_RETURN(auto notices, NoticeKinds(db, as_of_day));
  std::vector<BoardItem> items;
  items.reserve(orders.size());
  for (const Order& o : orders) {
    int64_t recv = SecOf(o.received_at);
    if (recv != kNull && engine::DayOf(recv) > as_of_day) continue;
    BoardItem it = JudgeOrder(o, as_of_day, limits);
    if (notices.count({o.id, "urge"})) it.urged = true;
    if (notices.count({o.id, "supervise"})) it.supervised = true;
    items.push_back(std::move(it));
  }
  return items;
}

}  // namespace

Result<Board> LoadBoard(Db* db, const CivilDate& as_of, const BoardFilter& f,
                        const models::ClockLimits& limits) {
  if (!f.state.empty() && f.state != "open" && f.state != "done") {
    OrderState s;
    if (!ParseState(f.state, &s)) {
      return Status::InvalidInput("unknown state " + f.state, "未知的工单状态“" + f.state + "”");
    }
  }
  if (!f.clock.empty() && f.clock != "overdue" && f.clock != "due_soon" && f.clock != "late") {
    return Status::InvalidInput("clock must be overdue, due_soon or late",
                                "时限筛选应为 overdue、due_soon 或 late");
  }
  BoardFilter filter = f;
  if (OrderState s = OrderState::kReceived; !filter.state.empty() && ParseState(filter.state, &s)) {
    filter.state = StateName(s);
  }
  const int64_t day = DayNumber(as_of);
  QF_ASSIGN_OR_RETURN(std::vector<BoardItem> all, JudgeAll(db, day, limits));
  Board b;
  b.as_of = FormatDate(as_of);
  for (int i = 0; i < kOrderStateCount; ++i) b.counts[StateName(static_cast<OrderState>(i))] = 0;
  std::vector<BoardItem> kept;
  for (BoardItem& it : all) {
    if (!Matches(it, filter)) continue;
    ++b.counts[StateName(it.state)];
    if (it.open) ++b.open;
    if (it.overdue) ++b.overdue;
    if (it.due_soon) ++b.due_soon;
    if (StateMatches(it, filter.state)) kept.push_back(std::move(it));
  }
  std::sort(kept.begin(), kept.end(), BoardOrder);
  b.total = static_cast<int64_t>(kept.size());
  const size_t from = static_cast<size_t>(std::clamp<int64_t>(filter.offset, 0, b.total));
  const size_t to = static_cast<size_t>(std::clamp<int64_t>(
      filter.offset + std::max<int64_t>(0, filter.limit), static_cast<int64_t>(from), b.total));
  b.items.assign(std::make_move_iterator(kept.begin() + static_cast<std::ptrdiff_t>(from)),
                 std::make_move_iterator(kept.begin() + static_cast<std::ptrdiff_t>(to)));
  return b;
}

// ---------------------------------------------------------------------------
// Notices

const char* NoticeKindZh(std::string_view kind) {
  return kind == "urge" ? "催办" : kind == "supervise" ? "督办" : "";
}

namespace {

constexpr const char* kNoticeColumns =
    "id, complaint_id, kind, deadline, as_of, issued_at, issued_by, org, region_code, note";

Notice ReadNotice(Stmt& q) {
  Notice n;
  n.id = q.Int(0);
  n.complaint_id = q.Text(1);
  n.kind = q.Text(2);
  n.deadline = q.Text(3);
  n.as_of = q.Text(4);
  n.issued_at = q.Text(5);
  n.issued_by = q.Text(6);
  n.org = q.Text(7);
  n.region_code = q.Text(8);
  n.note = q.Text(9);
  return n;
}

// Inserts a notice unless one exists for (order, kind, deadline); appends its
// ledger action. Inside the caller's transaction. False when it existed.
Result<bool> InsertNotice(Db* db, ledger::Ledger* led, Notice* n, const std::string& actor) {
  QF_ASSIGN_OR_RETURN(Stmt ins,
                      db->Prepare("INSERT OR IGNORE INTO hotline_notices(complaint_id, kind, "
                                  "deadline, as_of, issued_at, issued_by, org, region_code, note) "
                                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  ins.BindText(1, n->complaint_id);
  ins.BindText(2, n->kind);
  ins.BindText(3, n->deadline);
  ins.BindText(4, n->as_of);
  ins.BindText(5, n->issued_at);
  ins.BindText(6, n->issued_by);
  ins.BindText(7, n->org);
  ins.BindText(8, n->region_code);
  ins.BindText(9, n->note);
  QF_RETURN_IF_ERROR(ins.Run());
  if (db->Changes() == 0) return false;
  n->id = db->LastInsertId();
  ledger::Action a;
  a.actor = actor;
  a.action = n->kind == "urge" ? "hotline_urge" : "hotline_supervise";
  a.target = "complaint:" + n->complaint_id;
  a.details_json = json{{"notice", n->id},   {"kind", n->kind},           {"deadline", n->deadline},
                        {"as_of", n->as_of}, {"issued_by", n->issued_by}, {"org", n->org}}
                       .dump();
  QF_RETURN_IF_ERROR(led->AppendAction(a).status());
  return true;
}

std::string UrgeNote(const BoardItem& it) {
  return it.days_left == 0 ? "今日到期，请于今日办结" : "距办理时限还有1个工作日，请抓紧办理";
}

std::string SuperviseNote(const BoardItem& it) {
  return "已超过办理时限（" + it.deadline + "）" + std::to_string(it.overdue_days) +
         "个工作日，予以督办";
}

}  // namespace

Result<std::vector<Notice>> ListNotices(Db* db, const NoticeFilter& f, int64_t* total) {
  std::string where = "1";
  std::vector<std::string> binds;
  if (!f.complaint_id.empty()) {
    where += " AND complaint_id = ?";
    binds.push_back(f.complaint_id);
  }
  if (!f.kind.empty()) {
    where += " AND kind = ?";
    binds.push_back(f.kind);
  }
  if (!f.org.empty()) {
    where += " AND org = ?";
    binds.push_back(f.org);
  }
  if (!f.from.empty()) {
    where += " AND as_of >= ?";
    binds.push_back(f.from);
  }
  if (!f.to.empty()) {
    where += " AND as_of <= ?";
    binds.push_back(f.to);
  }
  QF_ASSIGN_OR_RETURN(
      Stmt q, db->Prepare(std::string("SELECT ") + kNoticeColumns + " FROM hotline_notices WHERE " +
                          where + " ORDER BY id DESC"));
  for (size_t i = 0; i < binds.size(); ++i) q.BindText(static_cast<int>(i + 1), binds[i]);
  std::vector<Notice> out;
  int64_t n = 0;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    Notice x = ReadNotice(q);
    if (f.visible && !f.visible(x.org, x.org, x.region_code)) continue;
    if (n >= f.offset && (f.limit <= 0 || n < f.offset + f.limit)) out.push_back(std::move(x));
    ++n;
  }
  if (total) *total = n;
  return out;
}

Status CheckNoticeDay(const CivilDate& as_of, const std::string& replay_as_of) {
  const std::string day = FormatDate(as_of);
  if (DayNumber(as_of) <= DayNumber(TodayShanghai()) ||
      (!replay_as_of.empty() && day == replay_as_of)) {
    return Status::OK();
  }
  return Status::InvalidInput(
      "as_of " + day + " is later than today; notices cannot be issued for a future day",
      "评判日期 as_of（" + day + "）晚于今天，不能按未来日期发出催办或督办");
}

Result<SweepResult> Sweep(Db* db, const CivilDate& as_of, const models::ClockLimits& limits,
                          const std::string& actor, const std::string& replay_as_of) {
  QF_RETURN_IF_ERROR(CheckNoticeDay(as_of, replay_as_of));
  const int64_t day = DayNumber(as_of);
  QF_ASSIGN_OR_RETURN(std::vector<BoardItem> all, JudgeAll(db, day, limits));
  SweepResult r;
  r.as_of = FormatDate(as_of);
  const std::string now = NowShanghai();
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(auto led, ledger::Ledger::Open(db));
  for (const BoardItem& it : all) {
    if (!it.open || it.deadline.empty()) continue;
    Notice n;
    if (it.overdue) {
      n.kind = "supervise";
      n.note = SuperviseNote(it);
    } else if (it.due_soon) {
      n.kind = "urge";
      n.note = UrgeNote(it);
    } else {
      continue;
    }
    n.complaint_id = it.id;
    n.deadline = it.deadline;
    n.as_of = r.as_of;
    n.issued_at = now;
    n.issued_by = "system";
    n.org = it.org;
    n.region_code = it.region_code;
    QF_ASSIGN_OR_RETURN(bool fresh, InsertNotice(db, led.get(), &n, actor));
    if (!fresh) {
      ++r.already;
      continue;
    }
    (n.kind == "urge" ? r.urged : r.supervised) += 1;
    r.issued.push_back(std::move(n));
  }
  QF_RETURN_IF_ERROR(led->Flush());
  QF_RETURN_IF_ERROR(tx.Commit());
  return r;
}

Result<Notice> IssueNotice(Db* db, const std::string& complaint_id, const std::string& kind_in,
                           const std::string& note, const CivilDate& as_of,
                           const models::ClockLimits& limits, const std::string& actor,
                           const std::string& replay_as_of) {
  QF_RETURN_IF_ERROR(CheckNoticeDay(as_of, replay_as_of));
  std::string kind = kind_in == "催办" ? "urge" : kind_in == "督办" ? "supervise" : kind_in;
  if (kind != "urge" && kind != "supervise") {
    return Status::InvalidInput("kind must be urge (催办) or supervise (督办)",
                                "通知类型应为催办（urge）或督办（supervise）");
  }
  if (note.size() > 2000) return Status::InvalidInput("note too long", "说明过长");
  QF_ASSIGN_OR_RETURN(Order o, LoadOrder(db, complaint_id));
  const int64_t day = DayNumber(as_of);
  BoardItem it = JudgeOrder(o, day, limits);
  if (!it.open) {
    return Status::InvalidInput("order " + complaint_id + " is closed; nothing to " + kind,
                                "工单 " + complaint_id + " 已办结，无需" + NoticeKindZh(kind));
  }
  if (it.deadline.empty()) {
    return Status::InvalidInput("order " + complaint_id + " has no receipt time, so no deadline",
                                "工单 " + complaint_id + " 没有受理时间，无法确定办理时限");
  }
  Notice n;
  n.complaint_id = complaint_id;
  n.kind = kind;
  n.deadline = it.deadline;
  n.as_of = FormatDate(as_of);
  n.issued_at = NowShanghai();
  n.issued_by = actor;
  n.org = it.org;
  n.region_code = it.region_code;
  n.note = note.empty() ? (kind == "urge" ? "请抓紧办理" : "予以督办") : note;
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(auto led, ledger::Ledger::Open(db));
  QF_ASSIGN_OR_RETURN(bool fresh, InsertNotice(db, led.get(), &n, actor));
  if (!fresh) {
    return Status::InvalidInput(
        "a " + kind + " notice was already issued for order " + complaint_id +
            " and its deadline " + it.deadline,
        "工单 " + complaint_id + " 已就办理时限 " + it.deadline + " 发出过" + NoticeKindZh(kind));
  }
  QF_RETURN_IF_ERROR(led->Flush());
  QF_RETURN_IF_ERROR(tx.Commit());
  return n;
}

// ---------------------------------------------------------------------------
// One order

Result<OrderDetail> GetOrderDetail(Db* db, const std::string& id, const CivilDate& as_of,
                                   const models::ClockLimits& limits, const OrderVisible& visible) {
  OrderDetail d;
  QF_ASSIGN_OR_RETURN(d.order, LoadOrder(db, id));
  const int64_t day = DayNumber(as_of);
  d.item = JudgeOrder(d.order, day, limits);
  // The trail as known on as_of, as the state was judged on.
  const int64_t end_sec = (day + 1) * kDaySeconds - 1;
  std::erase_if(d.order.events, [&](const HotlineEvent& e) {
    const int64_t at = SecOf(e.at);
    return at != kNull && at > end_sec;
  });
  int64_t recv = SecOf(d.order.received_at);
  if (recv != kNull) {
    d.base_deadline =
        DayString(AddWorkingDaysDays(engine::DayOf(recv), limits.For(d.order.category)));
  }
  NoticeFilter nf;
  nf.complaint_id = id;
  nf.limit = 0;
  QF_ASSIGN_OR_RETURN(d.notices, ListNotices(db, nf, nullptr));
  std::reverse(d.notices.begin(), d.notices.end());
  std::erase_if(d.notices, [&](const Notice& n) { return DayOfText(n.as_of) > day; });
  for (const Notice& n : d.notices) {
    if (n.kind == "urge") d.item.urged = true;
    if (n.kind == "supervise") d.item.supervised = true;
  }
  QF_ASSIGN_OR_RETURN(
      Stmt q, db->Prepare("SELECT id, model, summary, status, COALESCE(org, ''), "
                          "COALESCE(region_code, ''), score FROM leads WHERE id IN ("
                          "SELECT lead_id FROM lead_evidence WHERE dataset = 'complaints' AND "
                          "key = ?1) OR (subject_dataset = 'complaints' AND subject_key = ?1) "
                          "ORDER BY score DESC, id"));
  q.BindText(1, id);
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    d.leads.push_back({q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5), q.Int(6)});
  }
  if (!d.order.caller_hash.empty()) {
    QF_ASSIGN_OR_RETURN(Stmt c, db->Prepare("SELECT complaint_id, received_at FROM complaints "
                                            "WHERE caller_hash = ?"));
    c.BindText(1, d.order.caller_hash);
    std::vector<std::string> ids;
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, c.Step());
      if (!row) break;
      // Orders received after as_of were not yet filed on that day.
      const int64_t received = c.IsNull(1) ? kNull : SecOf(c.Text(1));
      if (received != kNull && received > end_sec) continue;
      ids.push_back(c.Text(0));
    }
    if (!visible) {
      d.caller_orders = static_cast<int64_t>(ids.size());
    } else {
      // Only orders the user may see: their handling organisation needs the trail.
      for (const std::string& other : ids) {
        QF_ASSIGN_OR_RETURN(Order o, LoadOrder(db, other));
        BoardItem it = JudgeOrder(o, day, limits);
        if (visible(it.org, it.assigned_org, it.region_code)) ++d.caller_orders;
      }
    }
  }
  return d;
}

// ---------------------------------------------------------------------------
// Registration and handling

namespace {

bool OneOf(std::string_view v, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (v == a) return true;
  }
  return false;
}

bool IsHex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

// A datetime given by a clerk, normalised to "YYYY-MM-DD HH:MM:SS"; InvalidInput naming `field`.
Result<int64_t> ClerkTime(const std::string& text, const std::string& field,
                          const std::string& field_zh, int64_t now_sec) {
  int64_t sec = SecOf(text);
  if (sec == kNull) {
    return Status::InvalidInput(field + " must be a time YYYY-MM-DD HH:MM[:SS], not " + text,
                                field_zh + "应为时间 YYYY-MM-DD HH:MM[:SS]，而不是 " + text);
  }
  if (sec > now_sec) {
    return Status::InvalidInput(field + " " + text + " is in the future",
                                field_zh + " " + text + " 晚于当前时间");
  }
  return sec;
}

// The complaints record of an order as it stands, to be written as a new version.
std::map<std::string, std::string> RowOf(const Order& o) {
  return {{"complaint_id", o.id},         {"received_at", o.received_at},   {"channel", o.channel},
          {"category", o.category},       {"region_code", o.region_code},   {"content", o.content},
          {"caller_hash", o.caller_hash}, {"assigned_org", o.assigned_org}, {"status", o.status},
          {"closed_at", o.closed_at},     {"satisfaction", o.satisfaction}};
}

Status WorkDir(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir + ": " + ec.message());
  return Status::OK();
}

Result<int64_t> Enter(Store* store, const std::string& dataset,
                      const std::map<std::string, std::string>& rec, const std::string& work_dir,
                      const std::string& label) {
  QF_ASSIGN_OR_RETURN(EntryResult r, EnterRecords(store, dataset, {rec}, work_dir, label));
  if (r.report.accepted == 0) {
    std::string why = r.problems.empty() ? "" : r.problems[0].reason_en;
    std::string why_zh = r.problems.empty() ? "" : r.problems[0].reason_zh;
    return Status::InvalidInput("the " + dataset + " record was not accepted: " + why,
                                "记录未被接受：" + why_zh);
  }
  return r.report.import_id;
}

std::string ActionName(std::string_view zh) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"派单", "dispatch"}, {"签收", "accept"}, {"转派", "transfer"}, {"退单", "return"},
      {"延期", "extend"},   {"办结", "close"},  {"回访", "visit"},    {"重办", "redo"}};
  for (const auto& [z, e] : kNames) {
    if (zh == z) return e;
  }
  return "";
}

// Which actions each state allows (PlanAction checks the rest).
bool Allows(std::string_view action, OrderState s) {
  using S = OrderState;
  if (action == "派单") return s == S::kReceived || s == S::kReturned;
  if (action == "签收") return s == S::kDispatched;
  if (action == "转派") {
    return s == S::kDispatched || s == S::kHandling || s == S::kExtended || s == S::kRedo;
  }
  if (action == "退单") return s == S::kDispatched || s == S::kHandling || s == S::kRedo;
  if (action == "延期") return s == S::kHandling || s == S::kRedo;
  if (action == "办结") return s == S::kHandling || s == S::kExtended || s == S::kRedo;
  if (action == "回访" || action == "重办") return s == S::kClosed || s == S::kVisited;
  return false;
}

}  // namespace

std::vector<std::string> AllowedActions(OrderState s) {
  std::vector<std::string> out;
  for (const char* a : {"派单", "签收", "转派", "退单", "延期", "办结", "回访", "重办"}) {
    if (Allows(a, s)) out.emplace_back(a);
  }
  return out;
}

std::string ActionZh(std::string_view action) {
  static const std::pair<const char*, const char*> kNames[] = {
      {"派单", "dispatch"}, {"签收", "accept"}, {"转派", "transfer"}, {"退单", "return"},
      {"延期", "extend"},   {"办结", "close"},  {"回访", "visit"},    {"重办", "redo"}};
  for (const auto& [z, e] : kNames) {
    if (action == z || action == e) return z;
  }
  return "";
}

Status ValidateNewOrder(Db* db, NewOrder* o) {
  const int64_t now_sec = SecOf(NowShanghai());
  if (o->received_at.empty()) o->received_at = NowShanghai();
  QF_ASSIGN_OR_RETURN(int64_t recv, ClerkTime(o->received_at, "received_at", "受理时间", now_sec));
  o->received_at = FormatLocalDateTime(recv);
  if (o->channel.empty()) o->channel = "电话";
  if (!OneOf(o->channel, {"电话", "网站", "微信", "信件", "来访"})) {
    return Status::InvalidInput("channel must be 电话, 网站, 微信, 信件 or 来访",
                                "来源渠道应为电话、网站、微信、信件或来访");
  }
  if (!OneOf(o->category, {"咨询", "求助", "投诉", "举报", "建议"})) {
    return Status::InvalidInput("category must be 咨询, 求助, 投诉, 举报 or 建议",
                                "诉求类别应为咨询、求助、投诉、举报或建议");
  }
  if (o->region_code.size() != 6 || !AllDigits(o->region_code)) {
    return Status::InvalidInput("region_code must be a 6-digit region code",
                                "行政区划代码应为6位数字");
  }
  if (o->content.empty() || o->content.size() > 8000) {
    return Status::InvalidInput("content is required (at most 8000 bytes)",
                                "诉求内容必须填写（不超过8000字节）");
  }
  if (!o->caller_hash.empty() && (o->caller_hash.size() < 8 || o->caller_hash.size() > 64 ||
                                  !IsHex(o->caller_hash) || AllDigits(o->caller_hash))) {
    return Status::InvalidInput(
        "caller_hash must be the hotline system's caller identifier (8–64 hex digits), never a "
        "phone number",
        "来电人标识应为热线系统给出的标识（8至64位十六进制），不得填写电话号码");
  }
  if (o->assigned_org.size() > 200)
    return Status::InvalidInput("assigned_org too long", "承办单位过长");
  if (o->id.empty()) {
    CivilDate d = CivilFromDays(engine::DayOf(recv));
    char buf[32];
    std::snprintf(buf, sizeof buf, "GD%04d%02d%02dM", d.year, d.month, d.day);
    const std::string base = buf;
    QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT complaint_id FROM complaints WHERE "
                                            "complaint_id >= ?1 AND complaint_id < ?1 || '~'"));
    q.BindText(1, base);
    int64_t next = 1;
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      std::string tail = q.Text(0).substr(base.size());
      if (!tail.empty() && tail.size() <= 9 && AllDigits(tail)) {
        next = std::max<int64_t>(next, std::stoll(tail) + 1);
      }
    }
    std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(next));
    o->id = base + buf;
  } else {
    if (o->id.size() > 64 || !std::all_of(o->id.begin(), o->id.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
        })) {
      return Status::InvalidInput("complaint_id must be at most 64 letters, digits, - or _",
                                  "工单编号应为不超过64位的字母、数字、-或_");
    }
    auto existing = LoadOrder(db, o->id);
    if (existing.ok()) {
      return Status::InvalidInput("order " + o->id + " already exists",
                                  "工单编号 " + o->id + " 已存在");
    }
    if (existing.status().code() != Status::Code::kNotFound) return existing.status();
  }
  return Status::OK();
}

Result<std::string> RegisterOrder(Store* store, NewOrder o, const std::string& work_dir,
                                  const std::string& actor) {
  // The order, its first event and the action: one transaction (the imports
  // inside are savepoints of it).
  Transaction tx(store->db());
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_RETURN_IF_ERROR(ValidateNewOrder(store->db(), &o));
  QF_RETURN_IF_ERROR(WorkDir(work_dir));
  Order row;
  row.id = o.id;
  row.received_at = o.received_at;
  row.channel = o.channel;
  row.category = o.category;
  row.region_code = o.region_code;
  row.content = o.content;
  row.caller_hash = o.caller_hash;
  row.assigned_org = o.assigned_org;
  row.status = StateZh(OrderState::kReceived);
  QF_ASSIGN_OR_RETURN(int64_t import_row,
                      Enter(store, "complaints", RowOf(row), work_dir, "hotline-register"));
  QF_ASSIGN_OR_RETURN(
      int64_t import_event,
      Enter(
          store, "complaint_events",
          {{"complaint_id", o.id}, {"at", o.received_at}, {"action", "受理"}, {"note", "登记受理"}},
          work_dir, "hotline-register"));
  json details = {{"complaint_id", o.id},           {"received_at", o.received_at},
                  {"category", o.category},         {"region_code", o.region_code},
                  {"assigned_org", o.assigned_org}, {"imports", {import_row, import_event}}};
  QF_RETURN_IF_ERROR(ledger::RecordAction(store->db(), {actor, "hotline_register",
                                                        "complaint:" + o.id, details.dump()})
                         .status());
  QF_RETURN_IF_ERROR(tx.Commit());
  return o.id;
}

Result<PlannedAction> PlanAction(const Order& order, const OrderAction& in,
                                 const models::ClockLimits& limits, const std::string& now) {
  const std::string action = ActionZh(in.action);
  if (action.empty()) {
    return Status::InvalidInput(
        "unknown action " + in.action +
            "; one of dispatch, accept, transfer, return, extend, close, visit, redo",
        "未知的操作“" + in.action + "”，应为派单、签收、转派、退单、延期、办结、回访或重办");
  }
  const int64_t now_sec = SecOf(now);
  // The time of the step: not before the last one (the trail stays in order).
  int64_t last = SecOf(order.received_at);
  for (const HotlineEvent& e : order.events) last = std::max(last, SecOf(e.at));
  int64_t at = now_sec;
  if (!in.at.empty()) {
    QF_ASSIGN_OR_RETURN(at, ClerkTime(in.at, "at", "操作时间", now_sec));
    if (last != kNull && at < last) {
      return Status::InvalidInput(
          "at " + in.at + " is before the order's last step (" + FormatLocalDateTime(last) + ")",
          "操作时间 " + in.at + " 早于工单上一步（" + FormatLocalDateTime(last) + "）");
    }
  }
  // (complaint_id, at, action) is the event's key: a second step in the same
  // second moves on by one.
  if (last != kNull && at <= last) at = last + 1;
  const int64_t day = engine::DayOf(at);
  BoardItem it = JudgeOrder(order, day, limits);
  const OrderState s = it.state;
  auto refuse = [&](const std::string& need_en, const std::string& need_zh) {
    return Status::InvalidInput(
        "cannot " + ActionName(action) + " (" + action + ") order " + order.id + " in state " +
            StateName(s) + " (" + StateZh(s) + "): " + need_en,
        "工单 " + order.id + " 当前状态为“" + StateZh(s) + "”，不能" + action + "：" + need_zh);
  };
  PlannedAction p;
  std::map<std::string, std::string>& ev = p.event;
  ev = {{"complaint_id", order.id}, {"at", FormatLocalDateTime(at)}, {"action", action}};
  Order next = order;
  auto need_org = [&]() -> Status {
    if (in.to_org.empty() || in.to_org.size() > 200) {
      return Status::InvalidInput(
          action == "派单" ? "dispatch needs to_org" : "transfer needs to_org",
          action + "须填写目标单位（to_org）");
    }
    return Status::OK();
  };
  if (in.note.size() > 4000) return Status::InvalidInput("note too long", "说明过长");
  if (action == "派单") {
    if (!Allows(action, s)) {
      return refuse("only an order awaiting dispatch (received or returned) can be dispatched",
                    "只有待派单（受理或退单后）的工单可以派单");
    }
    QF_RETURN_IF_ERROR(need_org());
    ev["to_org"] = in.to_org;
    ev["note"] = in.note.empty() ? "按职责派单" : in.note;
    if (next.assigned_org.empty()) next.assigned_org = in.to_org;
    p.next = OrderState::kDispatched;
  } else if (action == "签收") {
    if (!Allows(action, s)) {
      return refuse("only a dispatched order awaiting 签收 can be signed for",
                    "只有已派单、待签收的工单可以签收");
    }
    ev["to_org"] = it.org;
    ev["note"] = in.note;
    p.next = OrderState::kHandling;
  } else if (action == "转派") {
    if (!Allows(action, s)) {
      return refuse("only an order dispatched or being handled can be transferred",
                    "只有已派单或办理中的工单可以转派");
    }
    QF_RETURN_IF_ERROR(need_org());
    if (in.to_org == it.org) {
      return Status::InvalidInput("the order is already with " + in.to_org,
                                  "工单已在" + in.to_org + "办理，无需转派");
    }
    ev["from_org"] = it.org;
    ev["to_org"] = in.to_org;
    ev["note"] = in.note.empty() ? "转相关单位办理" : in.note;
    p.next = OrderState::kDispatched;
  } else if (action == "退单") {
    if (!Allows(action, s)) {
      return refuse("only an order dispatched or being handled can be returned",
                    "只有已派单或办理中的工单可以退单");
    }
    if (in.note.empty()) {
      return Status::InvalidInput("a return needs its reason (note)", "退单须说明理由（note）");
    }
    ev["from_org"] = it.org;
    ev["note"] = in.note;
    p.next = OrderState::kReturned;
  } else if (action == "延期") {
    // The time limit runs from the receipt: without it there is nothing to extend.
    if (SecOf(order.received_at) == kNull) {
      return Status::InvalidInput(
          "the order " + order.id + " has no receipt time, so it cannot be extended",
          "工单 " + order.id + " 没有受理时间，无法延期");
    }
    // Extended once already (the clock counts only the first approved 延期),
    // even when transferred and signed for again since.
    if (s == OrderState::kExtended || it.extension_days > 0) {
      return refuse(
          "the order has already been extended once (approved 延期); it cannot be "
          "extended again",
          "工单已经批准延期一次，不能再次延期");
    }
    if (!Allows(action, s)) {
      return refuse("only an order being handled (signed for) can be extended",
                    "只有已签收、办理中的工单可以延期");
    }
    const int cap = limits.ExtensionCap(it.limit);
    if (in.days < 1 || in.days > cap) {
      return Status::InvalidInput(
          "days must be between 1 and " + std::to_string(cap) + " working days",
          "延期天数应为1至" + std::to_string(cap) + "个工作日");
    }
    const std::string days = std::to_string(in.days);
    if (in.approved) {
      if (in.approval.empty() || in.approval.size() > 1000) {
        return Status::InvalidInput("an approved extension needs the approval (who approved, how)",
                                    "批准延期须填写审批意见（谁批准、如何批准）");
      }
      // An extension approved after the deadline cannot rescue it (models::ClockOf).
      const int64_t base = AddWorkingDaysDays(engine::DayOf(SecOf(order.received_at)), it.limit);
      if (day > base) {
        return Status::InvalidInput(
            "an extension must be approved by the original deadline " + DayString(base),
            "延期须在原办理时限（" + DayString(base) + "）届满前批准");
      }
      ev["note"] = "经批准延期" + days + "个工作日。审批意见：" + in.approval;
      p.next = OrderState::kExtended;
    } else {
      ev["note"] =
          "申请延期" + days + "个工作日（未批准）" + (in.note.empty() ? "" : "：" + in.note);
      p.next = s;
    }
    ev["from_org"] = it.org;
  } else if (action == "办结") {
    if (!Allows(action, s)) {
      return refuse(s == OrderState::kDispatched
                        ? "it must be signed for (签收) first"
                        : "only an order signed for and being handled can be closed",
                    s == OrderState::kDispatched ? "须先签收" : "只有已签收、办理中的工单可以办结");
    }
    if (in.note.empty()) {
      return Status::InvalidInput("closing needs the result (note)", "办结须填写办理结果（note）");
    }
    ev["from_org"] = it.org;
    ev["note"] = in.note;
    next.closed_at = ev["at"];
    p.next = OrderState::kClosed;
  } else if (action == "回访") {
    if (!Allows(action, s)) {
      return refuse("a return visit follows the closure (办结)", "工单办结后才能回访");
    }
    if (!OneOf(in.satisfaction, {"满意", "基本满意", "不满意"})) {
      return Status::InvalidInput("satisfaction must be 满意, 基本满意 or 不满意",
                                  "满意度应为满意、基本满意或不满意");
    }
    ev["note"] = in.note.empty() ? "诉求人表示" + in.satisfaction : in.note;
    next.satisfaction = in.satisfaction;
    p.next = OrderState::kVisited;
  } else {  // 重办
    if (!Allows(action, s)) {
      return refuse("only a closed order can be redone", "工单办结后才能重办");
    }
    if (in.note.empty()) {
      return Status::InvalidInput("a redo needs its reason (note)", "重办须说明理由（note）");
    }
    ev["to_org"] = it.org;
    ev["note"] = in.note;
    next.closed_at.clear();
    p.next = OrderState::kRedo;
  }
  next.status = StateZh(p.next);
  p.complaint = RowOf(next);
  return p;
}

Result<Order> ApplyAction(Store* store, const std::string& id, const OrderAction& action,
                          const models::ClockLimits& limits, const std::string& work_dir,
                          const std::string& actor) {
  // The event, the order's new state and the action: all or nothing.
  Transaction tx(store->db());
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(Order order, LoadOrder(store->db(), id));
  QF_ASSIGN_OR_RETURN(PlannedAction p, PlanAction(order, action, limits, NowShanghai()));
  QF_RETURN_IF_ERROR(WorkDir(work_dir));
  const std::string name = ActionName(p.event["action"]);
  QF_ASSIGN_OR_RETURN(int64_t import_event,
                      Enter(store, "complaint_events", p.event, work_dir, "hotline-" + name));
  QF_ASSIGN_OR_RETURN(int64_t import_row,
                      Enter(store, "complaints", p.complaint, work_dir, "hotline-" + name));
  json details = {{"action", p.event["action"]},
                  {"at", p.event["at"]},
                  {"state", StateName(p.next)},
                  {"imports", {import_event, import_row}}};
  if (!p.event["to_org"].empty()) details["to_org"] = p.event["to_org"];
  if (action.approved) details["approved"] = true;
  if (!action.satisfaction.empty()) details["satisfaction"] = action.satisfaction;
  QF_RETURN_IF_ERROR(ledger::RecordAction(
                         store->db(), {actor, "hotline_" + name, "complaint:" + id, details.dump()})
                         .status());
  QF_RETURN_IF_ERROR(tx.Commit());
  return LoadOrder(store->db(), id);
}

// ---------------------------------------------------------------------------
// Metrics

Status MonthRange(std::string_view month, std::string* from, std::string* to) {
  int y = 0, m = 0;
  char tail = 0;
  std::string text(month);
  if (text.size() != 7 || std::sscanf(text.c_str(), "%4d-%2d%c", &y, &m, &tail) != 2 ||
      !IsValidDate(y, m, 1)) {
    return Status::InvalidInput("month must be YYYY-MM, not " + text,
                                "月份应为 YYYY-MM，而不是 " + text);
  }
  int64_t first = DaysFromCivil(y, m, 1);
  int64_t next = m == 12 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, m + 1, 1);
  *from = DayString(first);
  *to = DayString(next - 1);
  return Status::OK();
}

namespace {

std::optional<double> Rate(int64_t num, int64_t den) {
  if (den <= 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

void Finish(DeptMetrics* d) {
  d->on_time_rate = Rate(d->on_time, d->closed);
  d->satisfaction_rate = Rate(d->satisfied, d->rated);
  d->repeat_rate = Rate(d->repeats, d->received);
  d->response_rate = Rate(d->responded, d->dispatched);
}

void Add(DeptMetrics* to, const DeptMetrics& d) {
  to->received += d.received;
  to->closed += d.closed;
  to->on_time += d.on_time;
  to->overdue_open += d.overdue_open;
  to->rated += d.rated;
  to->satisfied += d.satisfied;
  to->repeats += d.repeats;
  to->dispatched += d.dispatched;
  to->responded += d.responded;
}

}  // namespace

Result<Metrics> ComputeMetrics(Db* db, const CivilDate& as_of, const MetricsParams& params,
                               const models::ClockLimits& limits) {
  const int64_t from = DayOfText(params.from), to = DayOfText(params.to);
  if (from == kNull || to == kNull || from > to) {
    return Status::InvalidInput("the period needs from ≤ to, as YYYY-MM-DD",
                                "统计期间应为 from ≤ to，格式 YYYY-MM-DD");
  }
  if (to - from > 3660) {
    return Status::InvalidInput("the period is at most ten years", "统计期间不能超过十年");
  }
  if (params.repeat_days < 1 || params.repeat_days > 365) {
    return Status::InvalidInput("repeat_days must be 1–365", "重复诉求天数应为1至365");
  }
  if (params.min_orders < 1 || params.min_orders > 100000) {
    return Status::InvalidInput("min_orders must be at least 1", "参与排名的最少工单数应至少为1");
  }
  Metrics m;
  m.from = DayString(from);
  m.to = DayString(to);
  m.as_of = FormatDate(as_of);
  m.repeat_days = params.repeat_days;
  m.min_orders = params.min_orders;
  const int64_t end = std::min(to, DayNumber(as_of));
  QF_ASSIGN_OR_RETURN(std::vector<Order> orders, LoadOrders(db));
  // Earlier orders by (caller, category), for repeats: receipt times, sorted.
  std::map<std::pair<std::string, std::string>, std::vector<int64_t>> by_caller;
  for (const Order& o : orders) {
    int64_t recv = SecOf(o.received_at);
    if (!o.caller_hash.empty() && recv != kNull) {
      by_caller[{o.caller_hash, o.category}].push_back(recv);
    }
  }
  for (auto& [k, v] : by_caller) std::sort(v.begin(), v.end());
  std::map<std::string, DeptMetrics> depts;
  if (end >= from) {
    for (const Order& o : orders) {
      const int64_t recv = SecOf(o.received_at);
      if (recv == kNull || engine::DayOf(recv) > end) continue;
      BoardItem it = JudgeOrder(o, end, limits);
      if (params.visible && !params.visible(it.org, it.assigned_org, it.region_code)) continue;
      DeptMetrics& d = depts[it.org];
      d.org = it.org;
      const int64_t recv_day = engine::DayOf(recv);
      if (recv_day >= from) {
        ++d.received;
        if (!o.caller_hash.empty()) {
          const auto& times = by_caller[{o.caller_hash, o.category}];
          const int64_t window = recv - int64_t{params.repeat_days} * kDaySeconds;
          auto lo = std::lower_bound(times.begin(), times.end(), window);
          if (lo != times.end() && *lo < recv) ++d.repeats;
        }
        // 响应: 签收 within one working day of the first 派单.
        int64_t dispatched = kNull, signed_at = kNull;
        for (const HotlineEvent& e : o.events) {
          int64_t at = SecOf(e.at);
          if (at == kNull || engine::DayOf(at) > end) continue;
          if (e.action == "派单" && dispatched == kNull) dispatched = at;
          if (e.action == "签收" && dispatched != kNull && signed_at == kNull) signed_at = at;
        }
        if (dispatched != kNull) {
          ++d.dispatched;
          if (signed_at != kNull &&
              engine::DayOf(signed_at) <= AddWorkingDaysDays(engine::DayOf(dispatched), 1)) {
            ++d.responded;
          }
        }
      }
      if (!it.open && !it.closed_at.empty()) {
        const int64_t closed_day = engine::DayOf(SecOf(it.closed_at));
        if (closed_day >= from && closed_day <= end) {
          ++d.closed;
          if (!it.closed_late) ++d.on_time;
          if (OneOf(it.satisfaction, {"满意", "基本满意", "不满意"})) {
            ++d.rated;
            if (it.satisfaction != "不满意") ++d.satisfied;
          }
        }
      }
      if (it.open && it.overdue) ++d.overdue_open;
    }
  }
  m.total.org = "合计";
  std::vector<DeptMetrics*> eligible;
  for (auto& [org, d] : depts) {
    Finish(&d);
    Add(&m.total, d);
    if (!org.empty() && d.closed >= params.min_orders) eligible.push_back(&d);
  }
  Finish(&m.total);
  auto sat = [](const DeptMetrics* d) { return d->satisfaction_rate.value_or(-1.0); };
  std::sort(eligible.begin(), eligible.end(), [&](const DeptMetrics* a, const DeptMetrics* b) {
    if (*a->on_time_rate != *b->on_time_rate) return *a->on_time_rate > *b->on_time_rate;
    if (sat(a) != sat(b)) return sat(a) > sat(b);
    if (a->closed != b->closed) return a->closed > b->closed;
    return a->org < b->org;
  });
  for (size_t i = 0; i < eligible.size(); ++i) {
    // Equal on both rates: the same rank (1, 1, 3).
    if (i > 0 && *eligible[i]->on_time_rate == *eligible[i - 1]->on_time_rate &&
        sat(eligible[i]) == sat(eligible[i - 1])) {
      eligible[i]->rank = eligible[i - 1]->rank;
    } else {
      eligible[i]->rank = static_cast<int>(i + 1);
    }
  }
  m.ranked = static_cast<int>(eligible.size());
  for (auto& [org, d] : depts) m.depts.push_back(d);
  std::sort(m.depts.begin(), m.depts.end(), [](const DeptMetrics& a, const DeptMetrics& b) {
    if ((a.rank > 0) != (b.rank > 0)) return a.rank > 0;
    if (a.rank != b.rank) return a.rank < b.rank;
    if (a.closed != b.closed) return a.closed > b.closed;
    if (a.received != b.received) return a.received > b.received;
    return a.org < b.org;
  });
  return m;
}

Result<int64_t> SeedDemoOrders(Store* store, const CivilDate& as_of,
                               const models::ClockLimits& limits, const std::string& work_dir,
                               const std::string& actor) {
  Db* db = store->db();
  QF_ASSIGN_OR_RETURN(int64_t registered,
                      db->QueryInt("SELECT COUNT(*) FROM ledger_actions WHERE action = "
                                   "'hotline_register'"));
  if (registered > 0) return int64_t{0};
  // Templates: closed orders of each category, oldest first.
  QF_ASSIGN_OR_RETURN(
      Stmt q, db->Prepare("SELECT category, region_code, assigned_org, channel, content FROM "
                          "complaints WHERE assigned_org <> '' AND region_code <> '' AND content "
                          "<> '' ORDER BY complaint_id LIMIT 400"));
  struct Template {
    std::string category, region, org, channel, content;
  };
  std::vector<Template> templates;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    templates.push_back({q.Text(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4)});
  }
  if (templates.empty()) return int64_t{0};
  const int64_t last = DaysFromCivil(as_of.year, as_of.month, as_of.day);
  // Stage per order: 0 received, 1 dispatched, 2 signed for, 3 extended,
  // 4 closed (visit pending), 5 returned and re-dispatched.
  constexpr int kStages = 6;
  constexpr int kOrders = 30;
  int64_t made = 0;
  for (int i = 0; i < kOrders; ++i) {
    const Template& t = templates[(static_cast<size_t>(i) * 37) % templates.size()];
    const int stage = i % kStages;
    // Received 0–14 working days before the last day, at 9:00–15:59.
    const int back = (i * 7) % 15;
    const int64_t day = AddWorkingDaysDays(last, -back);
    const int64_t received = day * 86400 + (9 + i % 7) * 3600 + (i * 13 % 60) * 60;
    NewOrder o;
    o.received_at = FormatLocalDateTime(received);
    o.channel = t.channel.empty() ? "电话" : t.channel;
    o.category = t.category;
    o.region_code = t.region;
    o.content = t.content;
    o.caller_hash = ToHex(Sha256("qingfeng-demo-caller-" + std::to_string(i))).substr(0, 32);
    o.assigned_org = t.org;
    QF_ASSIGN_OR_RETURN(std::string id, RegisterOrder(store, o, work_dir, actor));
    ++made;
    // Each step an hour or a working day after the last, never past the last day.
    int64_t at = received;
    auto step = [&](OrderAction a, int64_t after) -> Status {
      at = std::min(at + after, last * 86400 + 17 * 3600 + i);
      a.at = FormatLocalDateTime(at);
      return ApplyAction(store, id, a, limits, work_dir, actor).status();
    };
    if (stage == 0) continue;
    OrderAction dispatch;
    dispatch.action = "派单";
    dispatch.to_org = t.org;
    dispatch.note = "按职责派单";
    QF_RETURN_IF_ERROR(step(dispatch, 1800));
    if (stage == 1) continue;
    if (stage == 5) {
      OrderAction back_to_hotline;
      back_to_hotline.action = "退单";
      back_to_hotline.note = "非本单位职责";
      QF_RETURN_IF_ERROR(step(back_to_hotline, 3 * 3600));
      QF_RETURN_IF_ERROR(step(dispatch, 1800));
      continue;
    }
    OrderAction accept;
    accept.action = "签收";
    QF_RETURN_IF_ERROR(step(accept, 3600));
    if (stage == 3) {
      OrderAction extend;
      extend.action = "延期";
      extend.days = 2;
      extend.approved = true;
      extend.approval = "分管负责人同意延期2个工作日";
      extend.note = "需现场核查，申请延期";
      QF_RETURN_IF_ERROR(step(extend, 86400));
    }
    if (stage == 4) {
      OrderAction close;
      close.action = "办结";
      close.note = "已联系诉求人并答复处理意见";
      QF_RETURN_IF_ERROR(step(close, 86400));
    }
  }
  return made;
}

}  // namespace qf::leads
