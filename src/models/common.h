// Lookups several model families share: who holds a company (legal
// representative or shareholder), which officials are in post on a date,
// declared relatives of officials, households, and organisation names in the
// form in which they are compared. Each class indexes the snapshot once in its
// constructor (hash joins on pool codes) and is then read-only, so a model
// builds what it needs at the start of Run. Each class has an *Inputs()
// function listing the columns it reads: add them to the model's
// ModelInfo::inputs with AddInputs, or the snapshot will refuse the read.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/model.h"
#include "engine/snapshot.h"

namespace qf::models {

// Appends `more` to `inputs`, merging the columns of a dataset already listed.
void AddInputs(std::vector<engine::Input>* inputs, const std::vector<engine::Input>& more);

// "No row" in the int64_t row results below.
inline constexpr int64_t kNoRow = -1;

// ---------------------------------------------------------------------------
// Companies and their holders (经商办企业, 关联企业).

// 存续 or 在业: a company that still exists (not 注销/吊销).
bool IsLiveStatus(std::string_view status);

// One person's (or company's) tie to one company: legal representative,
// shareholder, or both. A legal representative has no dates in the register;
// a shareholding has start/end dates (kNull when unknown / still open).
struct Holding {
  uint32_t holder = engine::kNoString;  // id_number or credit_code code of the holder
  uint32_t company_row = 0;             // row in `companies`
  bool legal_rep = false;
  int64_t shareholder_row = kNoRow;   // row in `shareholders`, kNoRow when legal rep only
  int64_t start_day = engine::kNull;  // shareholding start (kNull: unknown)
  int64_t end_day = engine::kNull;    // shareholding end (kNull: still a shareholder)
  double share_ratio = 0;             // NaN when unknown; 0 when legal rep only
  bool shareholder() const { return shareholder_row != kNoRow; }
};

// Companies by holder and holders by company. A shareholding whose company is
// not in `companies` is skipped (nothing to report about it).
class CompanyHolders {
 public:
  // companies: credit_code, name, legal_rep_id_number, legal_rep_name, status, status_date,
  //            established_date;
  // shareholders: credit_code, holder_party, holder_name, share_ratio, start_date, end_date.
  static std::vector<engine::Input> Inputs();
  // Columns worth showing as evidence of a company / a shareholding.
  static const std::vector<std::string>& CompanyEvidenceColumns();
  static const std::vector<std::string>& ShareholderEvidenceColumns();

  explicit CompanyHolders(const engine::Snapshot& snap);

  // Every company `party` (code of an id_number or credit_code) holds, at any time.
  const std::vector<Holding>& ByHolder(uint32_t party) const;
  // Every holder of the company at row `company_row`.
  const std::vector<Holding>& ByCompany(uint32_t company_row) const;
  // Row of a company by the code of its credit code; kNoRow when unknown.
  int64_t CompanyRow(uint32_t credit_code) const;

  // Status 存续/在业 now.
  bool IsLive(uint32_t company_row) const;
  // Existed on `day`: live now, or deregistered/revoked after `day` (a null
  // status_date of a dead company counts as dead); established on or before
  // `day` when the date is known.
  bool LiveOn(uint32_t company_row, int64_t day) const;
  // The tie holds on `day`: a legal representative always (no dates), a
  // shareholding when start ≤ day ≤ end (open ends count as open).
  static bool ActiveOn(const Holding& h, int64_t day);
  // The tie holds now: legal representative, or a shareholding without end date.
  static bool ActiveNow(const Holding& h) { return h.legal_rep || h.end_day == engine::kNull; }

  // "法定代表人", "股东(持股35%)" or "法定代表人、股东(持股100%)".
  static std::string RoleText(const Holding& h);
  // Evidence: the company record, then the shareholding record if any.
  void AppendEvidence(const Holding& h, std::vector<engine::Evidence>* out) const;
  std::string_view CompanyName(uint32_t company_row) const;

  const engine::Table& companies() const { return *companies_; }
  const engine::Table& shareholders() const { return *shareholders_; }

 private:
  const engine::Snapshot* snap_;
  const engine::Table* companies_;
  const engine::Table* shareholders_;
  std::unordered_map<uint32_t, uint32_t> company_by_code_;
  std::unordered_map<uint32_t, std::vector<Holding>> by_holder_;
  std::vector<std::vector<Holding>> by_company_;
  std::vector<uint8_t> live_;  // per company row
};

// ---------------------------------------------------------------------------
// Officials (公职人员) and their tenure.

class Officials {
 public:
  // officials: id_number, name, org, org_code, position, rank, is_leader, start_date, end_date.
  static std::vector<engine::Input> Inputs();
  static const std::vector<std::string>& EvidenceColumns();

  explicit Officials(const engine::Snapshot& snap);

  // Every officials row of the person (one per post held), by id_number code.
  const std::vector<uint32_t>& RowsOf(uint32_t id_number) const;
  bool IsOfficial(uint32_t id_number) const { return !RowsOf(id_number).empty(); }

  // The row is in post on `day`: start_date ≤ day (unknown start counts as
  // always) and end_date empty or ≥ day.
  bool InPostOn(uint32_t row, int64_t day) const;
  // In post on some day of [first_day, last_day].
  bool InPostDuring(uint32_t row, int64_t first_day, int64_t last_day) const;
  // In post now: end_date empty.
  bool InPostNow(uint32_t row) const;
  bool IsLeader(uint32_t row) const;

  // The person's first row in post on `day` / during the range / now; kNoRow if none.
  int64_t PostOn(uint32_t id_number, int64_t day) const;
  int64_t PostDuring(uint32_t id_number, int64_t first_day, int64_t last_day) const;
  int64_t PostNow(uint32_t id_number) const;

  const engine::Table& table() const { return *t_; }
  std::string_view Name(uint32_t row) const;
  std::string_view Org(uint32_t row) const;

 private:
  const engine::Snapshot* snap_;
  const engine::Table* t_;
  engine::RowIndex by_id_;
};

// First and last day of a period (month number year*12 + month-1).
int64_t FirstDayOfPeriod(int64_t period);
int64_t LastDayOfPeriod(int64_t period);

// ---------------------------------------------------------------------------
// Declared relatives (领导干部个人有关事项报告).

class Relatives {
 public:
  // relatives: official_id_number, relative_id_number, relative_name, relation.
  static std::vector<engine::Input> Inputs();
  static const std::vector<std::string>& EvidenceColumns();

  explicit Relatives(const engine::Snapshot& snap);

  // Relatives rows declared by the official (by the official's id_number code).
  const std::vector<uint32_t>& OfOfficial(uint32_t official) const {
    return by_official_.rows(official);
  }
  // Relatives rows naming the person as relative (one per declaring official).
  const std::vector<uint32_t>& OfRelative(uint32_t relative) const {
    return by_relative_.rows(relative);
  }
  // The row in which `official` declares `relative`; kNoRow when not declared.
  int64_t Declared(uint32_t official, uint32_t relative) const;

  const engine::Table& table() const { return *t_; }
  uint32_t Official(uint32_t row) const { return official_->codes[row]; }
  uint32_t Relative(uint32_t row) const { return relative_->codes[row]; }
  std::string_view Relation(uint32_t row) const;

 private:
  const engine::Snapshot* snap_;
  const engine::Table* t_;
  const engine::Column* official_;
  const engine::Column* relative_;
  engine::RowIndex by_official_, by_relative_;
};

// ---------------------------------------------------------------------------
// Households (户籍): people sharing persons.household_id.

class Households {
 public:
  // persons: id_number, name, household_id, relation_to_head.
  static std::vector<engine::Input> Inputs();
  static const std::vector<std::string>& EvidenceColumns();

  explicit Households(const engine::Snapshot& snap);

  // persons row of the id_number code; kNoRow when not registered.
  int64_t PersonRow(uint32_t id_number) const;
  // household_id code of the person; kNoString when unknown.
  uint32_t HouseholdOf(uint32_t id_number) const;
  // persons rows of the household (by household_id code). The household
  // index is built on the first call (thread-safe), as few models need it.
  const std::vector<uint32_t>& Members(uint32_t household) const;
  // Both registered in the same (known) household, and not the same person.
  bool SameHousehold(uint32_t a, uint32_t b) const;
  // The registered name, or "" when not registered.
  std::string_view Name(uint32_t id_number) const;

  const engine::Table& table() const { return *t_; }

 private:
  const engine::Snapshot* snap_;
  const engine::Table* t_;
  const engine::Column* household_;
  // (id_number code, row) sorted: half the memory of a hash index on the
  // biggest registry, which several models hold at once.
  std::vector<std::pair<uint32_t, uint32_t>> by_id_;
  mutable std::once_flag members_once_;
  mutable engine::RowIndex by_household_;
};

// persons rows of a few id_numbers, in one pass over `persons` (cheaper than
// Households when only the persons named in some findings are needed).
// Needs Households::Inputs().
std::unordered_map<uint32_t, uint32_t> PersonRowsOf(const engine::Snapshot& snap,
                                                    const std::vector<uint32_t>& ids);

// ---------------------------------------------------------------------------
// Organisation names.

// The form in which organisation names are compared: trimmed, full-width
// folded (（）→ ()), simplified, all whitespace removed. "阜新市 民政局" and
// "阜新市民政局" compare equal.
std::string NormalizeOrgName(std::string_view name);

// NormalizeOrgName per pool code, cached (big tables repeat few org names).
// Not thread-safe: one per model run.
class OrgNames {
 public:
  explicit OrgNames(const engine::Snapshot& snap) : snap_(&snap) {}
  // A small integer equal for equal normalised names; 0 for an empty name.
  uint32_t Key(uint32_t code);

 private:
  const engine::Snapshot* snap_;
  std::unordered_map<uint32_t, uint32_t> by_code_;
  std::unordered_map<std::string, uint32_t> by_name_;
};

// ---------------------------------------------------------------------------
// 12345 complaints: organisations ranked by on-time rate and satisfaction
// (complaints.cc; the model complaint_org_ranking, the API and the dashboard).

struct OrgComplaintStats {
  std::string org;                        // assigned_org as first seen
  uint32_t org_code = engine::kNoString;  // its pool code
  int orders = 0;                         // orders assigned to the organisation
  int due = 0;                   // closed, or still open past the deadline: the on-time denominator
  int on_time = 0;               // closed within the limit (extension and redo rules applied)
  int overdue = 0;               // due − on_time
  int open = 0;                  // not closed at the data's latest date (due or not)
  int rated = 0;                 // with a satisfaction answer
  int satisfied = 0;             // 满意 or 基本满意
  int unsatisfied = 0;           // 不满意
  double on_time_rate = 0;       // on_time / due (NaN when nothing is due)
  double satisfaction_rate = 0;  // satisfied / rated (NaN when nothing is rated)
  bool eligible = false;         // orders ≥ min_orders: ranked and judged
  int rank = 0;                  // 1 = best, by the mean of the two rates; 0 when not eligible
  int on_time_rank = 0;          // by on-time rate alone; 0 when not eligible
  int satisfaction_rank = 0;     // by satisfaction rate alone; 0 when not eligible
  int ranked = 0;                // how many organisations were ranked
  // Q1 − k·IQR over eligible organisations (NaN with fewer than 4), and the floors.
  double on_time_fence = 0, satisfaction_fence = 0;
  double on_time_floor = 0, satisfaction_floor = 0;
  bool low_on_time = false;                // eligible and below the fence or the floor
  bool low_satisfaction = false;           // eligible and below the fence or the floor
  std::vector<uint32_t> overdue_rows;      // complaints rows judged overdue
  std::vector<uint32_t> unsatisfied_rows;  // complaints rows rated 不满意
};

// What RankComplaintOrgs reads, and its parameters with their defaults (the
// same as the model complaint_org_ranking's, so Params built from these
// defaults — or from the model's settings — give the dashboard the leads' numbers).
std::vector<engine::Input> ComplaintRankingInputs();
const std::vector<engine::ParamDef>& ComplaintRankingParams();

// Every organisation with orders, eligible ones first by rank, then the rest
// by orders. Time limits in working days by category after the day received,
// from the official calendar; see complaints.cc for the extension (延期) and
// redo (重办) rules.
std::vector<OrgComplaintStats> RankComplaintOrgs(const engine::Snapshot& snap,
                                                 const engine::Params& params);

}  // namespace qf::models
