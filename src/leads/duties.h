// 一岗双责: each leader answers for both the business (业务工作) and the
// integrity (党风廉政建设) of the areas they lead (分管领域). Responsibility
// items are assigned, carried out, checked and assessed together
// (同部署、同落实、同检查、同考核).
//
// Migration 12: `duty_items` (one row per item, the leader's name, org and post
// copied from their current `officials` row when assigned), `duty_checks`
// (periodic checks), `duty_attachments` (evidence files) and `duty_history`.
// Every change is a ledger action in the same transaction (duty_add,
// duty_complete, duty_cancel, duty_redate, duty_check, duty_attach).
//
// Evidence files are kept content-addressed beside the imported files,
// `<db>.files/<sha[0:2]>/<sha256>` (the importer's layout; written to a
// temporary file and renamed, the same content kept once), their SHA-256 in
// the row and in the duty_attach ledger action; reading one checks the hash.
//
// Checks are judged in calendar periods of the item's frequency (月度 month,
// 季度 quarter, 半年 half year, 年度 year). The first check is needed in the
// period of the assignment, each next one in the period after the last check:
// as of a day, an open item whose needed period is the current one has a
// check "due" (by the period's end); one whose needed period is already over
// is "overdue" (missed periods = current − needed).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "store/db.h"
#include "store/store.h"

namespace qf::leads {

// ---------------------------------------------------------------------------
// Vocabulary

inline constexpr std::string_view kDutyBusiness = "业务工作";
inline constexpr std::string_view kDutyIntegrity = "党风廉政建设";
bool IsDutyKind(std::string_view kind);

enum class DutyFrequency { kMonthly, kQuarterly, kHalfYearly, kYearly };
// 月度/季度/半年/年度, also monthly/quarterly/half_yearly/yearly.
std::optional<DutyFrequency> ParseDutyFrequency(std::string_view s);
const char* DutyFrequencyZh(DutyFrequency f);  // 月度, 季度, 半年, 年度

// Calendar periods: a running index (month: y*12+m-1, quarter: y*4+q-1,
// half: y*2+h-1, year: y), its first and last day and label (2024-03, 2024Q1,
// 2024H1, 2024).
int64_t PeriodOf(DutyFrequency f, const CivilDate& d);
CivilDate PeriodFirstDay(DutyFrequency f, int64_t period);
CivilDate PeriodLastDay(DutyFrequency f, int64_t period);
std::string PeriodLabel(DutyFrequency f, int64_t period);

// Check results and their points: 好 4, 较好 3, 一般 2, 差 1; 0 for anything else.
int CheckResultPoints(std::string_view result);

// ---------------------------------------------------------------------------
// Parameters

struct DutyParams {
  int warn_working_days = 5;  // "due soon": at most this many working days left
  // Grades by score (0–100): 好 ≥ good_min, 较好 ≥ fair_min, 一般 ≥ pass_min, else 差.
  double good_min = 90, fair_min = 75, pass_min = 60;
};
// Defaults, then the settings file's "duties" section:
//   {"duties": {"warn_working_days": 5, "good_min": 90, "fair_min": 75, "pass_min": 60}}
// (warn 0–60; 0 ≤ pass ≤ fair ≤ good ≤ 100). A missing file gives the defaults.
Result<DutyParams> LoadDutyParams(const std::string& settings_path);

// ---------------------------------------------------------------------------
// Items

struct DutyItem {
  int64_t id = 0;
  int year = 0;
  std::string leader_id, leader_name, org, region_code, post;
  std::string area, kind, task;
  std::string assigned_on, due_on;  // YYYY-MM-DD
  std::string frequency;            // 月度, 季度, 半年, 年度
  std::string status = "open";      // open, done, cancelled
  std::string status_reason;        // why cancelled (or the last due-date change)
  std::string evidence, completed_on, cancelled_on;
  std::string created_by, created_at, updated_by, updated_at;
  int64_t checks = 0;         // checks recorded
  std::string last_check_on;  // "" when none
  int64_t attachments = 0;
};

struct NewDutyItem {
  int year = 0;  // 0: the year of assigned_on
  std::string leader_id, area, kind, task;
  std::string assigned_on;  // "" = today
  std::string due_on;
  std::string frequency = "季度";
};
// Assigns an item (ledger action duty_add). Refused (InvalidInput, nothing
// written): a bad ID number, a leader without a current `officials` row (no
// end date), an unknown kind or frequency, empty area or task, bad dates, a
// due date before the assignment, an assignment after today, a year outside
// 2000–2100.
Result<DutyItem> AddDutyItem(Db* db, const NewDutyItem& item, const std::string& actor,
                             const CivilDate& today);
// The same checks without writing: the item as it would be stored (leader's
// name, org, post and region filled in), for a scope check before adding.
Result<DutyItem> PrepareDutyItem(Db* db, const NewDutyItem& item, const CivilDate& today);

// Completion with evidence (text required; completed_on "" = today, not before
// the assignment nor after today). Only an open item.
Result<DutyItem> CompleteDutyItem(Db* db, int64_t id, const std::string& evidence,
                                  const std::string& completed_on, const std::string& actor,
                                  const CivilDate& today);
// Cancellation with a reason. Only an open item.
Result<DutyItem> CancelDutyItem(Db* db, int64_t id, const std::string& reason,
                                const std::string& actor, const CivilDate& today);
// A new due date with a reason (not before the assignment). Only an open item.
Result<DutyItem> RedateDutyItem(Db* db, int64_t id, const std::string& due_on,
                                const std::string& reason, const std::string& actor);

Result<DutyItem> GetDutyItem(Db* db, int64_t id);  // NotFound

using DutyVisible = std::function<bool(const DutyItem&)>;
struct DutyFilter {
  int year = 0;        // 0: any
  std::string leader;  // ID number (exact) or name (exact)
  std::string org;     // organisation contains
  std::string kind, status;
  bool overdue_only = false;  // open past the due date as of the day
  DutyVisible visible;        // data scopes; null = all
};
// By leader, then due date.
Result<std::vector<DutyItem>> ListDutyItems(Db* db, const DutyFilter& f, const CivilDate& as_of);

// An item as judged on a day.
struct DutyState {
  bool overdue = false;          // open and past the due date
  int days_overdue = 0;          // calendar days past the due date
  int working_days_overdue = 0;  // working days in (due, as_of]
  int working_days_left = -1;    // open, not past due: working days in (as_of, due]
  std::string check_status;      // ok, due, overdue; "" when not open
  std::string check_period;      // the period a check is needed in (label)
  std::string check_by;          // its last day
  int missed_check_periods = 0;  // overdue: whole periods missed
};
DutyState StateOf(const DutyItem& item, const CivilDate& as_of);

struct DutyHistoryEntry {
  std::string at, actor, action, details_json;
};
Result<std::vector<DutyHistoryEntry>> DutyHistory(Db* db, int64_t id);

// ---------------------------------------------------------------------------
// Checks

struct DutyCheck {
  int64_t id = 0, item_id = 0;
  std::string checked_on, checker, result, note, created_by, created_at;
};
struct NewDutyCheck {
  std::string checked_on;  // "" = today
  std::string checker;     // who checked (a name); "" = the actor
  std::string result;      // 好, 较好, 一般, 差
  std::string note;        // progress
};
// Records a check (ledger action duty_check). Refused: a cancelled item, a bad
// result, a day before the assignment or after today.
Result<DutyCheck> AddDutyCheck(Db* db, int64_t item_id, const NewDutyCheck& check,
                               const std::string& actor, const CivilDate& today);
Result<std::vector<DutyCheck>> ChecksOf(Db* db, int64_t item_id);  // by day

// ---------------------------------------------------------------------------
// Evidence files

struct DutyAttachment {
  int64_t item_id = 0;
  int64_t seq = 0;  // 1, 2, … per item
  std::string sha256, name, mime, at, author;
  int64_t size = 0;
};
// `<db_path>.files/<sha[0:2]>/<sha256>`.
std::string DutyFilePath(const std::string& db_path, const std::string& sha256);
// Keeps the bytes and records them (ledger action duty_attach with the
// SHA-256). Name 1–200 bytes without / \ or control characters; not empty.
Result<DutyAttachment> AddDutyAttachment(Db* db, const std::string& db_path, int64_t item_id,
                                         std::string_view bytes, const std::string& name,
                                         const std::string& mime, const std::string& actor);
Result<std::vector<DutyAttachment>> AttachmentsOfItem(Db* db, int64_t item_id);
// The kept bytes; Corruption when missing or not matching the SHA-256.
Result<std::string> ReadDutyAttachment(const std::string& db_path, const DutyAttachment& a);

// ---------------------------------------------------------------------------
// Warnings

struct DutyWarning {
  // due_soon: open, due within warn_working_days working days (due day ≥ as_of);
  // overdue: open past the due date;
  // check_due: the check of the current period is not held and at most
  //   warn_working_days working days of the period remain;
  // check_overdue: a whole period passed without the needed check.
  std::string type;
  DutyItem item;
  std::string deadline;  // the due date or the check period's last day
  std::string period;    // check warnings: the period's label
  int working_days = 0;  // left (due_soon, check_due) or overdue (overdue)
  int days = 0;          // the same in calendar days
  int missed_periods = 0;
};
// Overdue first (most working days first), then check_overdue, due_soon and
// check_due (nearest deadline first).
Result<std::vector<DutyWarning>> DutyWarnings(Db* db, const CivilDate& as_of,
                                              const DutyParams& params,
                                              const DutyVisible& visible = nullptr);

// ---------------------------------------------------------------------------
// Year-end assessment (年终考核)

struct DutyTally {
  int items = 0;         // all of the year's items, cancelled included
  int done_on_time = 0;  // completed_on ≤ due_on (and ≤ the day judged)
  int done_late = 0;
  int open = 0;     // open and not yet due
  int overdue = 0;  // open past the due date
  int cancelled = 0;
  int checks_due = 0;     // periods that needed a check
  int checks_held = 0;    // of those, periods with one
  int checks = 0;         // check records in the year
  double avg_result = 0;  // mean points 1–4 of those checks; 0 when none
  double score = -1;      // 0–100; -1 when nothing can be judged
  std::string grade;      // 好, 较好, 一般, 差; "" when no score
};
struct LeaderAssessment {
  std::string leader_id, leader_name, org, region_code, post;
  DutyTally business, integrity, total;  // total: counts summed; score as below
  double score = -1;
  std::string grade;
  std::vector<DutyItem> items;
};
struct DutyAssessment {
  int year = 0;
  std::string as_of;  // the day judged: the given day, at most the year's last day
  DutyParams params;
  std::vector<LeaderAssessment> rows;  // by organisation, then leader name
};

// The tally of one kind's items (cancelled ones counted but not judged), as of
// `as_of` clipped to the year's end. Score (0–100), from three rates:
//   completion C = (on_time + 0.6 × late) / (on_time + late + overdue)
//                  — items open and not yet due are not judged;
//   checks     K = checks_held / checks_due — periods from the assignment's
//                  that ended while the item was open (and within the year),
//                  plus a running period in which a check was held;
//   quality    Q = (avg_result − 1) / 3;
//   score = 100 × (0.6 C + 0.25 K + 0.15 Q) / (sum of the weights present):
//   a rate without a denominator (nothing judged, no period due, no check)
//   drops out with its weight; no rate at all gives no score.
// A leader's score is the mean of the two kinds' scores (同考核: business and
// integrity weigh alike), or the one that exists; grade by DutyParams.
DutyTally TallyItems(const std::vector<DutyItem>& items,
                     const std::vector<std::vector<DutyCheck>>& checks, int year,
                     const CivilDate& as_of, const DutyParams& params);
std::string GradeOf(double score, const DutyParams& params);

// Every leader with items of `year` (in `org` when not empty — exact name —
// and accepted by `visible`).
Result<DutyAssessment> AssessDuties(Db* db, int year, const CivilDate& as_of,
                                    const DutyParams& params, const std::string& org,
                                    const DutyVisible& visible = nullptr);

// The assessment as XLSX: sheet 考核汇总 (one row per leader, Chinese headers,
// frozen header row), sheet 责任事项 (the items per leader). ID numbers masked
// (first 4 and last 4 kept) unless `unmasked`.
Result<std::string> AssessmentXlsx(const DutyAssessment& a, bool unmasked);

// "2109**********123X".
std::string MaskLeaderId(std::string_view id);

// ---------------------------------------------------------------------------
// Demo data

// Realistic items for the leaders among the current `officials` rows
// (is_leader, or a post such as 局长/副局长/主任/副主任/校长/书记), both kinds,
// for the year of `as_of`: some done on time, some late, some overdue, some
// due soon, with checks — deterministic (seeded from each leader's ID number),
// in one transaction, only when `duty_items` is empty (otherwise nothing is
// written and *created is 0).
Status SeedDemoItems(Store* store, const std::string& actor, const CivilDate& as_of,
                     int64_t* created = nullptr);

}  // namespace qf::leads
