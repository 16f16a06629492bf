// The time limit of one 12345 order (办理时限): the one definition the
// complaints models (complaints.cc) and the supervision board (leads/hotline.h)
// share. It works on plain values — the day received, the category, the
// order's events in time order — so the board judges an order exactly as the
// models do.
//
// Rules (working days on the official calendar with 调休, common/calendar.h):
//  - the limit is the category's (咨询 3, 求助 5, 建议 5, 投诉 15, 举报 15, other 15
//    by default; model parameters), counted after the day received; an order
//    closed on the last allowed day, at any hour, is on time;
//  - 延期 counts only when approved (ExtensionApproved) and dated on or before
//    the original deadline, once, by the working days its note states capped
//    at extension_max (0 = the category's limit);
//  - 重办 opens a new cycle: the answer before the first redo is judged against
//    the deadline; the final closure against the later of the deadline and
//    the limit counted from the last redo;
//  - an order is closed by its closed_at, else by its last 办结, unless a 重办
//    came after that closure (then it is open again).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "engine/model.h"
#include "engine/snapshot.h"

namespace qf::models {

// One event of an order's trail (complaint_events), as plain values.
struct ClockEvent {
  int64_t at = engine::kNull;  // local seconds (Asia/Shanghai)
  std::string_view action;  // 受理, 派单, 签收, 转派, 退单, 延期, 办结, 回访, 重办, 催办
  std::string_view note;
};

// Category limits in working days, and the extension cap.
struct ClockLimits {
  int consult = 3, help = 5, suggestion = 5, complaint = 15, report = 15, other = 15;
  int extension_max = 0;  // 0: an extension may add at most the category's own limit
  // The limit of a category (咨询, 求助, 建议, 投诉, 举报; anything else: other).
  int For(std::string_view category) const;
  int ExtensionCap(int limit) const { return extension_max > 0 ? extension_max : limit; }
  // From the parameters below (values clamped to 0..366).
  static ClockLimits FromParams(const engine::Params& p);
};
// limit_consult_days, limit_help_days, limit_suggestion_days, limit_complaint_days,
// limit_report_days, limit_other_days, extension_max_days, with their defaults.
const std::vector<engine::ParamDef>& ClockParams();

// How one order stands against its time limit. Event references are indices
// into the events given to ClockOf (-1: none).
struct OrderClock {
  bool judged = false;  // received_at known
  int limit = 0;
  int64_t received_day = engine::kNull;
  int64_t base_deadline = engine::kNull;  // received + limit working days
  int64_t deadline = engine::kNull;       // after an approved extension
  int extension = -1;                     // the 延期 that counted
  int unapproved = -1;  // the first 延期 that did not count (request, refusal, too late)
  int extension_days = 0;
  int redo = -1;                           // the last 重办
  int64_t redo_deadline = engine::kNull;   // the final closure's deadline after a redo
  int first_close = -1;                    // the 办结 before the first 重办
  int final_close = -1;                    // the last 办结
  int64_t final_deadline = engine::kNull;  // the deadline in force now
  int64_t close_sec = engine::kNull;       // the final closure; kNull while open
  bool open = false;                       // not closed
  bool due = false;                        // closed, or open past its deadline at as_of
  bool late = false;
  // The check that failed: its deadline and the day that broke it.
  int64_t late_deadline = engine::kNull;
  int64_t late_day = engine::kNull;
  bool late_first_answer = false;  // the answer before the redo was late
};

// The clock of one order. `events` in time order; `closed_sec` the row's
// closed_at (kNull if none); `as_of_day` the day an open order is judged on
// (kNull: never due while open).
OrderClock ClockOf(int64_t received_sec, std::string_view category,
                   std::span<const ClockEvent> events, int64_t closed_sec, int64_t as_of_day,
                   const ClockLimits& limits);

// Whether a 延期 note records an approved extension: it says so (同意, 批准, 准予,
// 通过) or states it as a fact ("延期5个工作日", or no note); a request (申请,
// 请求, 拟) or a refusal (不同意, 驳回, 未批准 …) does not.
bool ExtensionApproved(std::string_view note);
// Working days a note states ("延期5个工作日", "延长10个工作日"); 0 when none.
int NoteWorkingDays(std::string_view note);

}  // namespace qf::models
