#include "models/common.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/text.h"
#include "common/time.h"

namespace qf::models {

using engine::CodeTable;
using engine::Input;
using engine::kNoString;
using engine::kNull;
using engine::Snapshot;
using engine::Table;

void AddInputs(std::vector<Input>* inputs, const std::vector<Input>& more) {
  for (const Input& m : more) {
    auto it = std::find_if(inputs->begin(), inputs->end(),
                           [&](const Input& i) { return i.dataset == m.dataset; });
    if (it == inputs->end()) {
      inputs->push_back(m);
      continue;
    }
    for (const std::string& c : m.columns) {
      if (std::find(it->columns.begin(), it->columns.end(), c) == it->columns.end()) {
        it->columns.push_back(c);
      }
    }
  }
}

// ---------------------------------------------------------------------------

bool IsLiveStatus(std::string_view status) { return status == "存续" || status == "在业"; }

std::vector<Input> CompanyHolders::Inputs() {
  return {
      {"companies",
       {"credit_code", "name", "legal_rep_id_number", "legal_rep_name", "status", "status_date",
        "established_date"}},
      {"shareholders",
       {"credit_code", "holder_party", "holder_name", "share_ratio", "start_date", "end_date"}}};
}

const std::vector<std::string>& CompanyHolders::CompanyEvidenceColumns() {
  static const std::vector<std::string> kCols = {"credit_code",     "name",   "legal_rep_id_number",
                                                 "legal_rep_name",  "status", "status_date",
                                                 "established_date"};
  return kCols;
}

const std::vector<std::string>& CompanyHolders::ShareholderEvidenceColumns() {
  static const std::vector<std::string> kCols = {"credit_code", "holder_party", "holder_name",
                                                 "share_ratio", "start_date",   "end_date"};
  return kCols;
}

CompanyHolders::CompanyHolders(const Snapshot& snap)
    : snap_(&snap), companies_(&snap.at("companies")), shareholders_(&snap.at("shareholders")) {
  const Table& c = *companies_;
  const auto& code = c.col("credit_code").codes;
  const auto& rep = c.col("legal_rep_id_number").codes;
  const auto& status = c.col("status").codes;
  by_company_.resize(c.size());
  live_.resize(c.size());
  company_by_code_.reserve(c.size());
  uint32_t live_a = snap.find("存续"), live_b = snap.find("在业");
  for (size_t r = 0; r < c.size(); ++r) {
    company_by_code_.emplace(code[r], static_cast<uint32_t>(r));
    live_[r] = status[r] != kNoString && (status[r] == live_a || status[r] == live_b);
  }
  // (holder, company row) → index in by_holder_[holder], so a legal
  // representative who is also a shareholder gives one Holding.
  for (size_t r = 0; r < c.size(); ++r) {
    if (rep[r] == kNoString) continue;
    Holding h;
    h.holder = rep[r];
    h.company_row = static_cast<uint32_t>(r);
    h.legal_rep = true;
    by_holder_[h.holder].push_back(h);
  }
  const Table& s = *shareholders_;
  const auto& scode = s.col("credit_code").codes;
  const auto& party = s.col("holder_party").codes;
  const auto& ratio = s.col("share_ratio").reals;
  const auto& start = s.col("start_date").ints;
  const auto& end = s.col("end_date").ints;
  for (size_t r = 0; r < s.size(); ++r) {
    if (party[r] == kNoString) continue;
    auto it = company_by_code_.find(scode[r]);
    if (it == company_by_code_.end()) continue;
    auto& list = by_holder_[party[r]];
    Holding* h = nullptr;
    for (Holding& x : list) {
      if (x.company_row == it->second && x.legal_rep && !x.shareholder()) h = &x;
    }
    if (!h) {
      list.emplace_back();
      h = &list.back();
      h->holder = party[r];
      h->company_row = it->second;
    }
    h->shareholder_row = static_cast<int64_t>(r);
    h->start_day = start[r];
    h->end_day = end[r];
    h->share_ratio = ratio[r];
  }
  for (auto& [holder, list] : by_holder_) {
    for (const Holding& h : list) by_company_[h.company_row].push_back(h);
  }
  // Deterministic order regardless of hash iteration.
  for (auto& list : by_company_) {
    std::sort(list.begin(), list.end(), [](const Holding& a, const Holding& b) {
      if (a.legal_rep != b.legal_rep) return a.legal_rep;
      return a.shareholder_row < b.shareholder_row;
    });
  }
}

const std::vector<Holding>& CompanyHolders::ByHolder(uint32_t party) const {
  static const std::vector<Holding> kEmpty;
  auto it = by_holder_.find(party);
  return it == by_holder_.end() ? kEmpty : it->second;
}

const std::vector<Holding>& CompanyHolders::ByCompany(uint32_t company_row) const {
  return by_company_[company_row];
}

int64_t CompanyHolders::CompanyRow(uint32_t credit_code) const {
  auto it = company_by_code_.find(credit_code);
  return it == company_by_code_.end() ? kNoRow : it->second;
}

bool CompanyHolders::IsLive(uint32_t company_row) const { return live_[company_row] != 0; }

bool CompanyHolders::LiveOn(uint32_t company_row, int64_t day) const {
  int64_t est = companies_->col("established_date").ints[company_row];
  if (est != kNull && est > day) return false;
  if (live_[company_row]) return true;
  if (companies_->col("status").codes[company_row] == kNoString) return true;  // unknown status
  int64_t ended = companies_->col("status_date").ints[company_row];
  return ended != kNull && ended > day;
}

bool CompanyHolders::ActiveOn(const Holding& h, int64_t day) {
  if (h.legal_rep) return true;
  if (h.start_day != kNull && h.start_day > day) return false;
  return h.end_day == kNull || h.end_day >= day;
}

std::string CompanyHolders::RoleText(const Holding& h) {
  std::string out;
  if (h.legal_rep) out = "法定代表人";
  if (h.shareholder()) {
    if (!out.empty()) out += "、";
    out += "股东";
    if (!std::isnan(h.share_ratio) && h.share_ratio > 0) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "(持股%.4g%%)", h.share_ratio * 100);
      out += buf;
    }
  }
  return out;
}

void CompanyHolders::AppendEvidence(const Holding& h, std::vector<engine::Evidence>* out) const {
  out->push_back(
      engine::MakeEvidence(*snap_, *companies_, h.company_row, CompanyEvidenceColumns()));
  if (h.shareholder()) {
    out->push_back(engine::MakeEvidence(*snap_, *shareholders_,
                                        static_cast<size_t>(h.shareholder_row),
                                        ShareholderEvidenceColumns()));
  }
}

std::string_view CompanyHolders::CompanyName(uint32_t company_row) const {
  return snap_->str(companies_->col("name").codes[company_row]);
}

// ---------------------------------------------------------------------------

std::vector<Input> Officials::Inputs() {
  return {{"officials",
           {"id_number", "name", "org", "org_code", "position", "rank", "is_leader", "start_date",
            "end_date"}}};
}

const std::vector<std::string>& Officials::EvidenceColumns() {
  static const std::vector<std::string> kCols = {"id_number", "name",       "org",     "position",
                                                 "is_leader", "start_date", "end_date"};
  return kCols;
}

Officials::Officials(const Snapshot& snap)
    : snap_(&snap), t_(&snap.at("officials")), by_id_(*t_, "id_number") {}

const std::vector<uint32_t>& Officials::RowsOf(uint32_t id_number) const {
  return by_id_.rows(id_number);
}

bool Officials::InPostOn(uint32_t row, int64_t day) const { return InPostDuring(row, day, day); }

bool Officials::InPostDuring(uint32_t row, int64_t first_day, int64_t last_day) const {
  int64_t start = t_->col("start_date").ints[row];
  int64_t end = t_->col("end_date").ints[row];
  if (start != kNull && start > last_day) return false;
  return end == kNull || end >= first_day;
}

bool Officials::InPostNow(uint32_t row) const { return t_->col("end_date").ints[row] == kNull; }

bool Officials::IsLeader(uint32_t row) const {
  int64_t v = t_->col("is_leader").ints[row];
  return v != kNull && v != 0;
}

int64_t Officials::PostOn(uint32_t id_number, int64_t day) const {
  return PostDuring(id_number, day, day);
}

int64_t Officials::PostDuring(uint32_t id_number, int64_t first_day, int64_t last_day) const {
  for (uint32_t r : RowsOf(id_number)) {
    if (InPostDuring(r, first_day, last_day)) return r;
  }
  return kNoRow;
}

int64_t Officials::PostNow(uint32_t id_number) const {
  for (uint32_t r : RowsOf(id_number)) {
    if (InPostNow(r)) return r;
  }
  return kNoRow;
}

std::string_view Officials::Name(uint32_t row) const {
  return snap_->str(t_->col("name").codes[row]);
}

std::string_view Officials::Org(uint32_t row) const {
  return snap_->str(t_->col("org").codes[row]);
}

int64_t FirstDayOfPeriod(int64_t period) {
  return DaysFromCivil(static_cast<int>(period / 12), static_cast<int>(period % 12) + 1, 1);
}

int64_t LastDayOfPeriod(int64_t period) { return FirstDayOfPeriod(period + 1) - 1; }

// ---------------------------------------------------------------------------

std::vector<Input> Relatives::Inputs() {
  return {{"relatives", {"official_id_number", "relative_id_number", "relative_name", "relation"}}};
}

const std::vector<std::string>& Relatives::EvidenceColumns() {
  static const std::vector<std::string> kCols = {"official_id_number", "relative_id_number",
                                                 "relative_name", "relation"};
  return kCols;
}

Relatives::Relatives(const Snapshot& snap)
    : snap_(&snap),
      t_(&snap.at("relatives")),
      official_(&t_->col("official_id_number")),
      relative_(&t_->col("relative_id_number")),
      by_official_(*t_, "official_id_number"),
      by_relative_(*t_, "relative_id_number") {}

int64_t Relatives::Declared(uint32_t official, uint32_t relative) const {
  for (uint32_t r : OfOfficial(official)) {
    if (relative_->codes[r] == relative) return r;
  }
  return kNoRow;
}

std::string_view Relatives::Relation(uint32_t row) const {
  return snap_->str(t_->col("relation").codes[row]);
}

// ---------------------------------------------------------------------------

std::vector<Input> Households::Inputs() {
  return {{"persons", {"id_number", "name", "household_id", "relation_to_head"}}};
}

const std::vector<std::string>& Households::EvidenceColumns() {
  static const std::vector<std::string> kCols = {"id_number", "name", "household_id",
                                                 "relation_to_head"};
  return kCols;
}

Households::Households(const Snapshot& snap)
    : snap_(&snap), t_(&snap.at("persons")), household_(&t_->col("household_id")) {
  const auto& id = t_->col("id_number").codes;
  by_id_.reserve(t_->size());
  for (size_t r = 0; r < t_->size(); ++r) {
    if (id[r] != kNoString) by_id_.emplace_back(id[r], static_cast<uint32_t>(r));
  }
  std::sort(by_id_.begin(), by_id_.end());
}

int64_t Households::PersonRow(uint32_t id_number) const {
  auto it = std::lower_bound(by_id_.begin(), by_id_.end(), std::make_pair(id_number, uint32_t{0}));
  return it != by_id_.end() && it->first == id_number ? int64_t{it->second} : kNoRow;
}

const std::vector<uint32_t>& Households::Members(uint32_t household) const {
  std::call_once(members_once_, [this] { by_household_ = engine::RowIndex(*t_, "household_id"); });
  return by_household_.rows(household);
}

uint32_t Households::HouseholdOf(uint32_t id_number) const {
  int64_t r = PersonRow(id_number);
  return r == kNoRow ? kNoString : household_->codes[static_cast<size_t>(r)];
}

bool Households::SameHousehold(uint32_t a, uint32_t b) const {
  if (a == b) return false;
  uint32_t ha = HouseholdOf(a);
  return ha != kNoString && ha == HouseholdOf(b);
}

std::string_view Households::Name(uint32_t id_number) const {
  int64_t r = PersonRow(id_number);
  return r == kNoRow ? std::string_view()
                     : snap_->str(t_->col("name").codes[static_cast<size_t>(r)]);
}

std::unordered_map<uint32_t, uint32_t> PersonRowsOf(const Snapshot& snap,
                                                    const std::vector<uint32_t>& ids) {
  std::unordered_map<uint32_t, uint32_t> out;
  if (ids.empty()) return out;
  // The few wanted IDs in a flat table, probed once per registered person on
  // every core; the matches are put back in row order.
  CodeTable want(ids.size());
  for (uint32_t id : ids) want.Insert(id, 0);
  const auto& id = snap.at("persons").col("id_number").codes;
  tbb::enumerable_thread_specific<std::vector<std::pair<uint32_t, uint32_t>>> found;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, id.size(), 1 << 16),
                    [&](const tbb::blocked_range<size_t>& range) {
                      auto& local = found.local();
                      for (size_t r = range.begin(); r < range.end(); ++r) {
                        if (want.contains(id[r])) {
                          local.emplace_back(static_cast<uint32_t>(r), id[r]);
                        }
                      }
                    });
  std::vector<std::pair<uint32_t, uint32_t>> rows;  // (row, id)
  for (const auto& local : found) rows.insert(rows.end(), local.begin(), local.end());
  std::sort(rows.begin(), rows.end());  // the first row of an ID wins, as in one pass
  for (const auto& [r, code] : rows) out.emplace(code, r);
  return out;
}

// ---------------------------------------------------------------------------

std::string NormalizeOrgName(std::string_view name) {
  // NormalizeForCompare folds full-width （） to (); spaces inside a name are noise.
  std::string s = NormalizeForCompare(name);
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') continue;
    out += ch;
  }
  return out;
}

uint32_t OrgNames::Key(uint32_t code) {
  if (code == kNoString) return 0;
  auto it = by_code_.find(code);
  if (it != by_code_.end()) return it->second;
  std::string n = NormalizeOrgName(snap_->str(code));
  uint32_t key = 0;
  if (!n.empty()) {
    key = by_name_.emplace(std::move(n), static_cast<uint32_t>(by_name_.size() + 1)).first->second;
  }
  by_code_.emplace(code, key);
  return key;
}

}  // namespace qf::models
