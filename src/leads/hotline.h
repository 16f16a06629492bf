// 12345 督查督办: the supervision board for hotline orders.
//
// Orders are the `complaints` dataset with their trails in `complaint_events`
// (imported, or registered and handled here through ingest::EnterRecords, so
// every step is a versioned, ledger-committed row). The board derives each
// order's state from its trail, and its time limit from models::ClockOf — the
// clock the complaints models use, with their parameters from the settings
// file — judged as of a given day: events after that day are not yet known.
//
// Supervision notices (migration 9: hotline_notices) are the platform's own:
// 催办 (urge) one working day before a deadline, 督办 (supervise) once it is
// past; unique per (order, kind, deadline), so a sweep is idempotent; each one
// a ledger action. Metrics per department (the handling organisation: the last
// 派单/转派 target, else assigned_org) per period: 按时办结率, 满意率, 重复诉求率,
// 响应率, and a ranking that leaves departments with too few orders unranked.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "models/complaints.h"
#include "store/db.h"
#include "store/store.h"

namespace qf::leads {

// ---------------------------------------------------------------------------
// States, from the trail

enum class OrderState {
  kReceived,    // 受理: awaiting dispatch
  kDispatched,  // 派单/转派: awaiting 签收
  kReturned,    // 退单: back at the hotline, awaiting dispatch again
  kHandling,    // 签收: being handled
  kExtended,    // an approved 延期: being handled under the extension
  kClosed,      // 办结: awaiting the return visit
  kVisited,     // 回访 done
  kRedo,        // 重办: handled again
};
inline constexpr int kOrderStateCount = 8;
const char* StateName(OrderState s);  // "received", "dispatched", …
const char* StateZh(OrderState s);    // "受理", "派单", …
bool ParseState(std::string_view name, OrderState* out);
bool IsOpenState(OrderState s);  // everything before 办结, and 重办

// ---------------------------------------------------------------------------
// Orders as the store holds them

struct HotlineEvent {
  std::string at, action, from_org, to_org, note;
};
struct Order {
  std::string id, received_at, channel, category, region_code, content, caller_hash;
  std::string assigned_org, status, closed_at, satisfaction;
  std::vector<HotlineEvent> events;  // time order
};

// Who may see an order: its handling organisation, assigned_org and region.
using OrderVisible = std::function<bool(std::string_view handling_org,
                                        std::string_view assigned_org, std::string_view region)>;

// The complaints models' time limits with the settings file's overrides (the
// parameters of complaint_overdue), so the board and the models judge alike.
Result<models::ClockLimits> HotlineLimits(const std::string& settings_path);

// ---------------------------------------------------------------------------
// The board

struct BoardItem {
  std::string id, received_at, channel, category, region_code, assigned_org;
  std::string org;  // handling organisation
  std::string satisfaction, closed_at;
  std::string caller_hash;  // the API masks it
  OrderState state = OrderState::kReceived;
  bool open = true;
  int limit = 0;           // working days of the category
  int extension_days = 0;  // approved 延期
  std::string deadline;    // YYYY-MM-DD in force ("" when received_at is unknown)
  int days_left = 0;       // open: working days from as_of to the deadline (0 = due today)
  int overdue_days = 0;    // open past the deadline, or closed late: working days past it
                           // (at least 1: a weekend after a Friday deadline is already late)
  bool overdue = false;    // open and past its deadline at as_of
  bool due_soon = false;   // open, not overdue, at most one working day left
  bool closed_late = false;
  bool urged = false;       // a 催办 notice or event
  bool supervised = false;  // a 督办 notice
  int transfers = 0;        // 转派 + 退单 (推绕拖)
  int redos = 0;
};

struct BoardFilter {
  std::string state;          // "" = all; a state name, or "open" / "done"
  std::string org;            // handling organisation, exact
  std::string region_prefix;  // "2109"
  std::string category;
  std::string clock;                       // "" | "overdue" | "due_soon" | "late" (closed late)
  std::string text;                        // part of the order id
  bool urged = false, supervised = false;  // only orders with such a notice
  OrderVisible visible;                    // null = everything
  int64_t limit = 50, offset = 0;
};

struct Board {
  std::string as_of;
  int64_t total = 0;                            // after every filter
  std::map<std::string, int64_t> counts;        // per state name, after every filter but `state`
  int64_t open = 0, overdue = 0, due_soon = 0;  // likewise
  std::vector<BoardItem> items;  // overdue first (most overdue first), then fewest days left
};

Result<Board> LoadBoard(Db* db, const CivilDate& as_of, const BoardFilter& filter,
                        const models::ClockLimits& limits);

// One order judged as of a day (events after it ignored).
BoardItem JudgeOrder(const Order& order, int64_t as_of_day, const models::ClockLimits& limits);

// ---------------------------------------------------------------------------
// Notices (催办 / 督办)

struct Notice {
  int64_t id = 0;
  std::string complaint_id;
  std::string kind;                  // "urge" (催办) or "supervise" (督办)
  std::string deadline;              // the deadline it concerns
  std::string as_of;                 // the day it was judged on
  std::string issued_at, issued_by;  // issued_by "system" for the sweep
  std::string org, region_code, note;
};
const char* NoticeKindZh(std::string_view kind);  // 催办, 督办

struct NoticeFilter {
  std::string complaint_id, kind, org;
  std::string from, to;  // as_of within [from, to], YYYY-MM-DD; "" = open
  OrderVisible visible;  // on (org, org, region_code)
  int64_t limit = 100, offset = 0;
};
// Newest first; `total` gets the count without paging.
Result<std::vector<Notice>> ListNotices(Db* db, const NoticeFilter& filter, int64_t* total);

struct SweepResult {
  std::string as_of;
  int64_t urged = 0, supervised = 0;  // notices issued now
  int64_t already = 0;                // due but issued before (same order, kind and deadline)
  std::vector<Notice> issued;
};
// Notices are irrevocable and unique per (order, kind, deadline): one issued
// "as of" a future day would block the real one. InvalidInput (naming as_of)
// when `as_of` is later than today in Asia/Shanghai, unless it is
// `replay_as_of` — the settings' server.as_of (YYYY-MM-DD), a replayed day.
Status CheckNoticeDay(const CivilDate& as_of, const std::string& replay_as_of);

// 催办 for open orders whose deadline is as_of or the working day after it;
// 督办 for open orders past their deadline. Notices are issued by "system";
// each is a ledger action by `actor`. One transaction. CheckNoticeDay first.
Result<SweepResult> Sweep(Db* db, const CivilDate& as_of, const models::ClockLimits& limits,
                          const std::string& actor, const std::string& replay_as_of = "");

// A 催办 or 督办 issued by hand on an open order, for its deadline as of `as_of`.
// InvalidInput when the order is closed, such a notice exists for that
// deadline, or CheckNoticeDay refuses the day.
Result<Notice> IssueNotice(Db* db, const std::string& complaint_id, const std::string& kind,
                           const std::string& note, const CivilDate& as_of,
                           const models::ClockLimits& limits, const std::string& actor,
                           const std::string& replay_as_of = "");

// ---------------------------------------------------------------------------
// One order

struct RelatedLead {
  int64_t id = 0;
  std::string model, summary, status, org, region_code;
  int64_t score = 0;
};
struct OrderDetail {
  Order order;
  BoardItem item;
  std::string base_deadline;       // before an extension
  std::vector<Notice> notices;     // oldest first
  std::vector<RelatedLead> leads;  // leads whose evidence cites complaints/<id>
  int64_t caller_orders = 0;       // orders the same caller filed by as_of (this one
                                   // included) that `visible` allows
};
// NotFound when there is no such order.
Result<Order> LoadOrder(Db* db, const std::string& id);
// Judged as of `as_of`: order.events and notices are those known by its end
// (events whose time cannot be read are kept). `visible` (on each order judged
// as of that day, as the board does) limits caller_orders; null = all.
Result<OrderDetail> GetOrderDetail(Db* db, const std::string& id, const CivilDate& as_of,
                                   const models::ClockLimits& limits,
                                   const OrderVisible& visible = nullptr);

// ---------------------------------------------------------------------------
// Registration and handling

struct NewOrder {
  std::string id;           // "" = generated: GD<yyyymmdd>M<nnnn>
  std::string received_at;  // "" = now (Asia/Shanghai)
  std::string channel, category, region_code, content;
  std::string caller_hash;  // the hotline system's caller identifier; never a phone number
  std::string assigned_org;
};
// Checks without writing (the id is generated into `o` when empty); the same
// checks RegisterOrder makes.
Status ValidateNewOrder(Db* db, NewOrder* o);
// A complaints row and its 受理 event through EnterRecords (under `work_dir`),
// then the ledger action hotline_register. Returns the order id.
Result<std::string> RegisterOrder(Store* store, NewOrder o, const std::string& work_dir,
                                  const std::string& actor);

struct OrderAction {
  std::string action;  // 派单 签收 转派 退单 延期 办结 回访 重办, or dispatch accept transfer
                       // return extend close visit redo
  std::string at;            // "" = now; else YYYY-MM-DD HH:MM[:SS], not before the last event
  std::string to_org;        // 派单, 转派
  std::string note;          // 办结: the result (required); 退单, 重办: the reason (required)
  int days = 0;              // 延期: working days asked for
  bool approved = false;     // 延期: approved (then `approval` is required)
  std::string approval;      // 延期: who approved, and how
  std::string satisfaction;  // 回访: 满意, 基本满意, 不满意
};
// The actions a state allows, in Chinese (派单 … 重办).
std::vector<std::string> AllowedActions(OrderState s);
// The Chinese action an input names (either language); "" when unknown.
std::string ActionZh(std::string_view action);
// Whether the action may be taken now; the event and the complaint row it
// would write. InvalidInput (Chinese and English) naming what is wrong, e.g.
// 办结 before 签收, 回访 before 办结.
struct PlannedAction {
  std::map<std::string, std::string> event;      // complaint_events record
  std::map<std::string, std::string> complaint;  // complaints record (a new version)
  OrderState next = OrderState::kReceived;
};
Result<PlannedAction> PlanAction(const Order& order, const OrderAction& action,
                                 const models::ClockLimits& limits, const std::string& now);
// Plans, then writes the event and the new complaint version through
// EnterRecords, and the ledger action hotline_<action>.
Result<Order> ApplyAction(Store* store, const std::string& id, const OrderAction& action,
                          const models::ClockLimits& limits, const std::string& work_dir,
                          const std::string& actor);

// The demo city's office on its last day: orders registered over the last
// three weeks before `as_of`, through RegisterOrder and ApplyAction as a
// clerk would, left at every stage — just received, dispatched, signed for,
// extended, overdue, closed and waiting for the return visit — so the board
// has clocks running. Modelled on existing orders (category, region,
// organisation, channel), deterministic, and only when no order was
// registered on the platform yet. Returns how many were registered.
Result<int64_t> SeedDemoOrders(Store* store, const CivilDate& as_of,
                               const models::ClockLimits& limits, const std::string& work_dir,
                               const std::string& actor);

// ---------------------------------------------------------------------------
// Metrics

struct MetricsParams {
  std::string from, to;  // the period, YYYY-MM-DD inclusive
  int repeat_days =
      30;              // an order repeats one by the same caller and category this many days before
  int min_orders = 5;  // departments with fewer closed orders are listed unranked
  OrderVisible visible;
};
struct DeptMetrics {
  std::string org;
  int64_t received = 0;              // orders received in the period
  int64_t closed = 0;                // closures in the period
  int64_t on_time = 0;               // of those, within the deadline
  int64_t overdue_open = 0;          // open at the period's end (or as_of) past the deadline
  int64_t rated = 0, satisfied = 0;  // closures in the period with an answer; 满意 + 基本满意
  int64_t repeats = 0;               // received in the period, repeating an earlier order
  int64_t dispatched = 0, responded = 0;  // received and dispatched; signed within 1 working day
  std::optional<double> on_time_rate, satisfaction_rate, repeat_rate, response_rate;
  int rank = 0;  // 1 = best by on-time rate, ties by satisfaction; 0 = unranked
};
struct Metrics {
  std::string from, to, as_of;
  int repeat_days = 30, min_orders = 5;
  int ranked = 0;
  std::vector<DeptMetrics> depts;  // ranked first by rank, then the rest by closures
  DeptMetrics total;               // org "合计"
};
Result<Metrics> ComputeMetrics(Db* db, const CivilDate& as_of, const MetricsParams& params,
                               const models::ClockLimits& limits);
// "2024-03" → 2024-03-01 .. 2024-03-31.
Status MonthRange(std::string_view month, std::string* from, std::string* to);

}  // namespace qf::leads
