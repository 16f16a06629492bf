// 三会一课: the party branch registry, meeting records (imported as the
// branch_meetings dataset or entered one at a time through the importer), a
// compliance calendar per branch against the required frequencies
// (models/party.h, with the settings file's overrides), warnings before a
// period ends without the required meeting, and a summary per organisation.
//
// Calendar rules (docs/api.yaml, /api/party/branches/{id}/calendar):
//  - each requirement is judged per period (month, quarter or year) of the
//    year: met (enough counted meetings, whenever the day is), future (the
//    period starts after the day judged on), missed (the period is over),
//    at_risk (the period runs and at most `warn_working_days` working days —
//    the holiday calendar with 调休 — remain, the day itself included), open
//    (running, more days left), not_due (outside the branch's life: before
//    its set-up date or, for an unregistered branch, the month of its first
//    recorded meeting; or after its dissolution);
//  - an assembly (支部党员大会) counts only with a quorum: more than the quorum
//    ratio of its expected attendance and of the registry's voting members.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "models/party.h"
#include "store/db.h"
#include "store/store.h"

namespace qf::leads {

// ---------------------------------------------------------------------------
// Parameters

struct PartyParams {
  std::vector<models::MeetingRequirement> requirements = models::MeetingRequirements();
  double quorum_ratio = models::kDefaultQuorumRatio;
  int warn_working_days = 10;
};
// The party models' parameters (min_* of meetings_below_frequency,
// quorum_ratio of assembly_without_quorum) with the settings file's
// overrides, so the calendar and the models judge alike; warn_working_days
// from the file's "party" section: {"party": {"warn_working_days": 10}}
// (0–60). A missing file gives the defaults.
Result<PartyParams> LoadPartyParams(const std::string& settings_path);

// ---------------------------------------------------------------------------
// Branch registry (migration 11: party_branches)

struct Branch {
  std::string branch_id, name, org, region_code, secretary;
  int64_t members = 0, voting_members = 0;
  std::string set_up_on;          // YYYY-MM-DD or ""
  std::string status = "active";  // active, dissolved
  std::string dissolved_on;       // YYYY-MM-DD when dissolved
  std::string created_by, created_at, updated_by, updated_at;
  // false: known only from branch_meetings (name from the meetings,
  // organisation inferred from the name, region from the organisation).
  bool registered = true;
  int64_t meetings = 0;  // meetings on record
  std::string first_meeting, last_meeting;
};

// Branch ids as branch_meetings uses them (DZB0001): 2–32 characters, ASCII
// letters, digits, '-' and '_', starting with a letter or a digit.
Status ValidateBranchId(std::string_view id);

// Registers a branch (ledger action party_branch_add). The id must be new;
// name required; region_code 6 digits (inferred from the organisation when
// empty); counts ≥ 0 with voting ≤ members; dates YYYY-MM-DD; a dissolved
// branch needs its date, not before the set-up date.
Result<Branch> AddBranch(Db* db, Branch b, const std::string& actor);

// Fields to change; unset ones stay (ledger action party_branch_update with
// the changed fields). Setting status "active" clears dissolved_on.
struct BranchUpdate {
  std::optional<std::string> name, org, region_code, secretary, set_up_on, status, dissolved_on;
  std::optional<int64_t> members, voting_members;
};
Result<Branch> UpdateBranch(Db* db, const std::string& branch_id, const BranchUpdate& u,
                            const std::string& actor);

// Registry and unregistered branches, by id. `visible` (optional) keeps only
// the branches it accepts (data scopes).
using BranchFilter = std::function<bool(const Branch&)>;
Result<std::vector<Branch>> ListBranches(Db* db, const BranchFilter& visible = nullptr);
// A registered or unregistered branch; NotFound when neither.
Result<Branch> GetBranch(Db* db, const std::string& branch_id);

// Registers every unregistered branch `visible` accepts, as ListBranches
// shows it, in one transaction (one party_branch_add action each, with
// "imported": true). Returns the branches registered.
Result<std::vector<Branch>> ImportBranches(Db* db, const std::string& actor,
                                           const BranchFilter& visible = nullptr);

// The organisation a branch is named after: the longest known organisation
// (officials' org) inside the name, else the name without 中共 and the branch
// suffix (支部委员会, 党支部 …); "" when nothing is left.
std::string OrgFromBranchName(const std::string& name,
                              const std::function<std::string(const std::string&)>& known_org);

// ---------------------------------------------------------------------------
// Meetings (the branch_meetings dataset)

struct Meeting {
  std::string meeting_id, branch_id, branch_name, kind, held_on, topic;
  int64_t attendees = -1, expected = -1;  // -1: not given
  std::string minutes_text;               // only when asked for
};
struct MeetingFilter {
  std::string branch_id, kind;
  int year = 0;  // 0: any
  bool with_minutes = false;
};
// Newest first.
Result<std::vector<Meeting>> ListMeetings(Db* db, const MeetingFilter& f);
Result<Meeting> GetMeeting(Db* db, const std::string& meeting_id);  // with minutes; NotFound

// A meeting entered by hand. meeting_id "" generates HY-<branch>-<YYYYMMDD>-<n>
// (the first n not taken); a given one must be new. Refused (InvalidInput,
// nothing written): unknown kind, bad or future date, unknown branch (neither
// registered nor in the meetings), a date after the branch's dissolution,
// negative counts, attendees above expected.
struct NewMeeting {
  std::string meeting_id, branch_id, branch_name, kind, held_on, topic, minutes_text;
  int64_t attendees = -1, expected = -1;
};
Status ValidateMeeting(Db* db, NewMeeting* m, const CivilDate& today);
// Validates, then writes through ingest::EnterRecords (a versioned, ledger-
// committed import; the CSV under `work_dir`), then records the ledger action
// party_meeting_add naming the import. Returns the stored meeting.
Result<Meeting> EnterMeeting(Store* store, NewMeeting m, const std::string& work_dir,
                             const std::string& actor);

// ---------------------------------------------------------------------------
// Compliance calendar

enum class CellStatus { kMet, kMissed, kAtRisk, kOpen, kFuture, kNotDue };
const char* CellStatusName(CellStatus s);  // met, missed, at_risk, open, future, not_due
const char* CellStatusZh(CellStatus s);  // 已召开, 未召开, 临期, 进行中, 未到期, 不适用

struct CalendarMeeting {
  std::string meeting_id, held_on, topic;
  int64_t attendees = -1, expected = -1;
  bool counted = true;
  bool no_quorum = false;  // an assembly without a quorum: held, not counted
};
struct CalendarCell {
  int index = 1;           // month 1–12, quarter 1–4, or 1 for the year
  std::string label;       // 2024-03, 2024Q1, 2024
  std::string start, end;  // first and last day
  int first_month = 1, last_month = 1;
  int required = 1, held = 0;  // held = meetings counted
  CellStatus status = CellStatus::kFuture;
  int working_days_left = -1;  // working days from the day judged to the end (running periods)
  std::vector<CalendarMeeting> meetings;
};
struct CalendarRow {
  models::MeetingRequirement requirement;
  std::vector<CalendarCell> cells;
};
struct Calendar {
  Branch branch;
  int year = 0;
  std::string as_of;
  int warn_working_days = 10;
  std::vector<CalendarRow> rows;                                 // requirements with per_period > 0
  int due = 0, met = 0, missed = 0, at_risk = 0, no_quorum = 0;  // due = periods over
};

// The pure calendar: `meetings` are the branch's (any years; others ignored).
Calendar BuildCalendar(const Branch& branch, const std::vector<Meeting>& meetings, int year,
                       const CivilDate& as_of, const PartyParams& params);
// One branch's calendar from the store; NotFound for an unknown branch.
Result<Calendar> BranchCalendar(Db* db, const std::string& branch_id, int year,
                                const CivilDate& as_of, const PartyParams& params);

struct PartyWarning {
  std::string branch_id, branch_name, org, region_code;
  bool registered = true;
  std::string kind, period, label, start, end;  // period: month, quarter, year
  CellStatus status = CellStatus::kMissed;      // kMissed or kAtRisk
  int required = 1, held = 0;
  int working_days_left = -1;
  int no_quorum = 0;  // assemblies held in the period without a quorum
};
// At-risk and missed periods of the year of `as_of` for every branch
// `visible` accepts (dissolved ones only for periods before their end):
// newest period first (by end, then at-risk before missed), then branch, kind.
Result<std::vector<PartyWarning>> PartyWarnings(Db* db, const CivilDate& as_of,
                                                const PartyParams& params,
                                                const BranchFilter& visible = nullptr);

struct OrgSummary {
  std::string org;  // "" when neither registered nor inferable
  int branches = 0, due = 0, met = 0, missed = 0, at_risk = 0, no_quorum = 0;
  double rate = 0;  // met / due; 0 when nothing is due
};
// Per organisation for a year as of a day: periods due (over), met, missed.
// By organisation name.
Result<std::vector<OrgSummary>> PartySummary(Db* db, int year, const CivilDate& as_of,
                                             const PartyParams& params,
                                             const BranchFilter& visible = nullptr);

}  // namespace qf::leads
