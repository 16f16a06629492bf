// The lead workflow (线索处置) as supervision offices run it:
//
//   pending 待处置 ──propose(route)──▶ proposed 待审批 ──approve──▶
//     谈话函询 / 初步核实 → in_progress 办理中 ──outcome(四种形态)──▶ concluded 已出结果
//                                                        ──close──▶ closed 已办结
//     暂存待查 → held 暂存待查 ──reopen──▶ pending
//     予以了结 → closed 已办结
//   proposed ──reject──▶ pending;  closed ──reopen──▶ pending;  any open ──merge──▶ merged
//
// Every change writes lead_history and a ledger action in the caller's
// transaction; who may do what is the server's business (src/server/access.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "leads/lead_store.h"
#include "ledger/ledger.h"
#include "store/db.h"

namespace qf::leads {

// Names in the store and the API, with their Chinese labels.
struct Label {
  const char* id;
  const char* zh;
};
const std::vector<Label>&
Statuses();  // pending, proposed, in_progress, held, concluded, closed, merged
const std::vector<Label>& Routes();    // talk_inquiry, preliminary_check, hold, close_out
const std::vector<Label>& Outcomes();  // form1 … form4 (四种形态), unfounded
const std::vector<Label>& Verdicts();  // confirmed, dismissed
// The Chinese label of an id from one of the lists above; the id if unknown.
std::string LabelZh(const std::vector<Label>& list, const std::string& id);
bool IsOneOf(const std::vector<Label>& list, const std::string& id);

// Time limits (parameters, settings file section "workflow").
struct WorkflowParams {
  int disposal_days = 30;       // a disposal route is decided within a month of the lead
  int reply_working_days = 15;  // a 函询 is answered within 15 working days
  int warn_days = 3;            // early warning this many days before a deadline
};
// Reads the "workflow" section of a settings file (missing file: defaults).
Result<WorkflowParams> LoadWorkflowParams(const std::string& settings_path);

struct Deadline {
  std::string kind;  // "disposal" (决定处置方式) or "reply" (函询回复); "" when none runs
  std::string due;   // YYYY-MM-DD
  std::string state;  // "ok", "warning" (due within warn_days) or "overdue"
  int days_left = 0;  // negative when overdue
};
Deadline DeadlineOf(const Lead& lead, const WorkflowParams& p, const std::string& today);

// One change to a lead.
struct Command {
  std::string action;    // propose approve reject outcome close reopen assign verdict comment merge
  std::string route;     // propose
  std::string outcome;   // outcome
  std::string verdict;   // verdict (outcome implies one)
  std::string assignee;  // assign ("" unassigns)
  std::string text;      // reason or comment; required for reject, reopen and comment
  int64_t merge_into = 0;
};
bool IsKnownAction(const std::string& action);

// Checks that `cmd` is allowed in the lead's present state and applies it:
// the lead row, lead_history, lead_comments and one ledger action. An
// InvalidArgument status (in English and Chinese) says why not; nothing is
// written then. Call inside a write transaction.
Status Apply(Db* db, ledger::Ledger* ledger, int64_t lead_id, const Command& cmd,
             const std::string& actor, const std::string& now);

struct HistoryEntry {
  int64_t id = 0;
  std::string at, actor, action, from_status, to_status, details_json;
};
Result<std::vector<HistoryEntry>> HistoryOf(Db* db, int64_t lead_id);

struct Comment {
  int64_t id = 0;
  std::string at, author, text;
};
Result<std::vector<Comment>> CommentsOf(Db* db, int64_t lead_id);

struct Attachment {
  int64_t id = 0;
  std::string sha256, name, mime, at, author;
  int64_t size = 0;
};
Result<std::vector<Attachment>> AttachmentsOf(Db* db, int64_t lead_id);
// Records an attachment whose bytes are already kept under their SHA-256;
// history and ledger as for Apply. Returns the attachment's id.
Result<int64_t> AddAttachment(Db* db, ledger::Ledger* ledger, int64_t lead_id, const Attachment& a,
                              const std::string& actor);

// Per-model confirmation rate from analysts' verdicts.
struct HitRate {
  std::string model;
  int64_t confirmed = 0, dismissed = 0, leads = 0;
  double rate() const {
    return confirmed + dismissed == 0
               ? 0.0
               : static_cast<double>(confirmed) / static_cast<double>(confirmed + dismissed);
  }
};
Result<std::vector<HitRate>> HitRates(Db* db);

}  // namespace qf::leads
