#include "server/access.h"

#include "ingest/dataset.h"
#include "ingest/identifiers.h"

namespace qf::server {

const std::vector<RoleDef>& Roles() {
  static const std::vector<RoleDef> v = {
      {"admin", "系统管理员",
       kRead | kPropose | kApprove | kProcess | kVerdict | kAssign | kComment | kMerge | kExport |
           kUnmask | kLedger | kUsers | kReports | kImport | kModels},
      {"leader", "分管领导",
       kRead | kApprove | kVerdict | kAssign | kComment | kExport | kUnmask | kReports},
      {"analyst", "监督分析员",
       kRead | kPropose | kProcess | kVerdict | kAssign | kComment | kMerge | kExport | kUnmask |
           kReports | kImport | kModels},
      {"handler", "承办人（部门联络员）", kRead | kProcess | kComment | kImport},
      {"auditor", "审计员（只读）", kRead | kExport | kLedger},
  };
  return v;
}

const RoleDef* FindRole(std::string_view id) {
  for (const RoleDef& r : Roles()) {
    if (id == r.id) return &r;
  }
  return nullptr;
}

std::vector<std::string> RightNames(uint32_t rights) {
  static const std::pair<Right, const char*> kNames[] = {
      {kRead, "read"},       {kPropose, "propose"}, {kApprove, "approve"}, {kProcess, "process"},
      {kVerdict, "verdict"}, {kAssign, "assign"},   {kComment, "comment"}, {kMerge, "merge"},
      {kExport, "export"},   {kUnmask, "unmask"},   {kLedger, "ledger"},   {kUsers, "users"},
      {kReports, "reports"}, {kImport, "import"},   {kModels, "models"},
  };
  std::vector<std::string> out;
  for (const auto& [r, n] : kNames) {
    if (rights & r) out.emplace_back(n);
  }
  return out;
}

std::string RegionPrefix(std::string_view code) {
  std::string p(code);
  while (p.size() > 2 && p.compare(p.size() - 2, 2, "00") == 0) p.resize(p.size() - 2);
  return p;
}

bool RegionInScope(const Principal& p, std::string_view region_code) {
  if (p.regions.empty()) return true;
  for (const std::string& r : p.regions) {
    std::string prefix = RegionPrefix(r);
    if (region_code.size() == 6 && region_code.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

bool OrgInScope(const Principal& p, std::string_view org) {
  if (p.orgs.empty()) return true;
  for (const std::string& o : p.orgs) {
    if (o == org) return true;
  }
  return false;
}

bool InScope(const Principal& p, std::string_view org, std::string_view region_code) {
  return RegionInScope(p, region_code) && OrgInScope(p, org);
}

std::string ScopeSql(const Principal& p, std::vector<std::string>* binds) {
  std::string sql = "1";
  if (!p.regions.empty()) {
    sql += " AND (";
    for (size_t i = 0; i < p.regions.size(); ++i) {
      binds->push_back(RegionPrefix(p.regions[i]) + "%");
      sql += std::string(i ? " OR " : "") + "region_code LIKE ?";
    }
    sql += ")";
  }
  if (!p.orgs.empty()) {
    sql += " AND org IN (";
    for (size_t i = 0; i < p.orgs.size(); ++i) {
      binds->push_back(p.orgs[i]);
      sql += i ? ",?" : "?";
    }
    sql += ")";
  }
  return sql;
}

namespace {

// Keeps `head` leading and `tail` trailing characters, stars between.
std::string Keep(std::string_view s, size_t head, size_t tail) {
  if (s.size() <= head + tail) return std::string(s.size(), '*');
  return std::string(s.substr(0, head)) + std::string(s.size() - head - tail, '*') +
         std::string(s.substr(s.size() - tail));
}

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

}  // namespace

std::string MaskIdNumber(std::string_view id) { return Keep(id, 4, 4); }
std::string MaskPhone(std::string_view phone) { return Keep(phone, 3, 4); }
std::string MaskAccount(std::string_view acct) { return Keep(acct, 4, 4); }

std::string MaskField(std::string_view dataset, std::string_view column, std::string_view value) {
  if (value.empty()) return "";
  if (const DatasetDef* def = FindDataset(dataset)) {
    for (const ColumnDef& c : def->columns) {
      if (c.name != column) continue;
      switch (c.type) {
        case ColumnType::kIdNumber:
          return MaskIdNumber(value);
        case ColumnType::kIdList:
        case ColumnType::kParty:
          return MaskPersonalIds(value);  // a credit code stays readable
        default:
          break;
      }
    }
  }
  if (Contains(column, "id_number")) return MaskPersonalIds(value);
  if (Contains(column, "phone")) return MaskPhone(value);
  if (Contains(column, "account")) return MaskAccount(value);
  if (dataset == "persons" && column == "address") return "***";
  // Whether and what relief a person receives is itself personal (welfare status).
  if (dataset == "welfare" && column == "program") return "***";
  return MaskPersonalIds(value);
}

std::string MaskKey(std::string_view dataset, std::string_view key) {
  if (dataset == "bank_accounts") return MaskAccount(key);
  return MaskPersonalIds(key);
}

}  // namespace qf::server
