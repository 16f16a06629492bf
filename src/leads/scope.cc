#include "leads/scope.h"

#include <algorithm>
#include <vector>

#include "ingest/dataset.h"
#include "store/schema.h"

namespace qf::leads {

namespace {

// Columns that name the organisation a record belongs to, most specific first.
constexpr const char* kOrgColumns[] = {"org", "buyer_org", "assigned_org"};

bool IsRegionCode(std::string_view s) {
  if (s.size() != 6) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::string RegionOfCreditCode(std::string_view code) {
  if (code.size() != 18) return "";
  std::string_view r = code.substr(2, 6);
  return IsRegionCode(r) ? std::string(r) : "";
}

Status ScopeResolver::Init() {
  QF_ASSIGN_OR_RETURN(Stmt q, db_->Prepare("SELECT org, org_code FROM officials "
                                           "WHERE org_code IS NOT NULL GROUP BY org"));
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    std::string region = RegionOfCreditCode(q.TextView(1));
    if (!region.empty()) org_region_.emplace(q.Text(0), region);
  }
  return Status::OK();
}

std::string ScopeResolver::OrgInName(const std::string& name) const {
  std::string best;
  for (const auto& [org, region] : org_region_) {
    if (org.size() > best.size() && name.find(org) != std::string::npos) best = org;
  }
  return best;
}

std::string ScopeResolver::RegionOfOrg(const std::string& org) const {
  auto it = org_region_.find(org);
  return it == org_region_.end() ? "" : it->second;
}

Result<Scope> ScopeResolver::OfRecord(const std::string& dataset, const std::string& key,
                                      bool* found) {
  *found = false;
  Scope s;
  if (dataset == "orgs") {
    // A subject that is an organisation itself (keyed by its name).
    s.org = key;
    s.region_code = RegionOfOrg(key);
    *found = !s.region_code.empty();
    return s;
  }
  const DatasetDef* def = FindDataset(dataset);
  if (def == nullptr) return s;
  std::vector<std::string> cols;
  for (const ColumnDef& c : def->columns) {
    for (const char* o : kOrgColumns) {
      if (c.name == o) cols.push_back(c.name);
    }
  }
  bool has_region = false;
  bool has_branch = false;
  for (const ColumnDef& c : def->columns) {
    has_region |= c.name == "region_code";
    has_branch |= c.name == "branch_name";
  }
  std::string sql = "SELECT " + std::string(has_region ? "region_code" : "NULL");
  for (const std::string& c : cols) sql += ", " + QuoteIdent(c);
  // A party branch is named after its organisation (中共阜新市财政局支部委员会).
  sql += has_branch ? ", branch_name" : ", NULL";
  sql += " FROM " + QuoteIdent(VersionsTable(*def)) + " WHERE _key = ?1 AND _current = 1";
  QF_ASSIGN_OR_RETURN(CachedStmt q, db_->Cached(sql));
  q->BindText(1, key);
  QF_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return s;
  *found = true;
  if (!q->IsNull(0) && IsRegionCode(q->TextView(0))) s.region_code = q->Text(0);
  for (size_t i = 0; i < cols.size(); ++i) {
    if (!q->IsNull(static_cast<int>(i) + 1)) {
      s.org = q->Text(static_cast<int>(i) + 1);
      break;
    }
  }
  const int branch = static_cast<int>(cols.size()) + 1;
  if (s.org.empty() && !q->IsNull(branch)) s.org = OrgInName(q->Text(branch));
  if (s.region_code.empty() && !s.org.empty()) s.region_code = RegionOfOrg(s.org);
  return s;
}

Result<Scope> ScopeResolver::OfLead(int64_t lead_id) {
  std::vector<std::pair<std::string, std::string>> records;
  {
    QF_ASSIGN_OR_RETURN(CachedStmt q,
                        db_->Cached("SELECT subject_dataset, subject_key FROM leads WHERE id = ?1 "
                                    "UNION ALL SELECT * FROM (SELECT dataset, key FROM "
                                    "lead_evidence WHERE lead_id = ?1 ORDER BY seq)"));
    q->BindInt(1, lead_id);
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, q->Step());
      if (!row) break;
      records.emplace_back(q->Text(0), q->Text(1));
    }
  }
  // Evidence first (it says where the money or the case was), the subject last.
  if (!records.empty()) std::rotate(records.begin(), records.begin() + 1, records.end());
  Scope out;
  for (const auto& [dataset, key] : records) {
    bool found = false;
    QF_ASSIGN_OR_RETURN(Scope s, OfRecord(dataset, key, &found));
    if (out.org.empty() && !s.org.empty()) out.org = s.org;
    if (out.region_code.empty() && !s.region_code.empty()) out.region_code = s.region_code;
    if (!out.org.empty() && !out.region_code.empty()) break;
  }
  if (out.region_code.empty() && !out.org.empty()) out.region_code = RegionOfOrg(out.org);
  return out;
}

Status AssignScopes(Db* db, int64_t scan_id) {
  ScopeResolver resolver(db);
  QF_RETURN_IF_ERROR(resolver.Init());
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT id FROM leads WHERE ?1 = 0 OR last_scan = ?1"));
  q.BindInt(1, scan_id);
  std::vector<int64_t> ids;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    ids.push_back(q.Int(0));
  }
  QF_ASSIGN_OR_RETURN(Stmt set,
                      db->Prepare("UPDATE leads SET org = ?2, region_code = ?3 WHERE id = ?1"));
  for (int64_t id : ids) {
    QF_ASSIGN_OR_RETURN(Scope s, resolver.OfLead(id));
    set.BindInt(1, id);
    if (s.org.empty()) {
      set.BindNull(2);
    } else {
      set.BindText(2, s.org);
    }
    if (s.region_code.empty()) {
      set.BindNull(3);
    } else {
      set.BindText(3, s.region_code);
    }
    QF_RETURN_IF_ERROR(set.Run());
  }
  return Status::OK();
}

}  // namespace qf::leads
