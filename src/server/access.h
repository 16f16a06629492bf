// Who may do what, and see which data: roles and their rights, data scopes
// by region and organisation, and the masking of personal data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "leads/lead_store.h"

namespace qf::server {

enum Right : uint32_t {
  kRead = 1u << 0,     // leads, records, dashboard, models in scope
  kPropose = 1u << 1,  // propose a disposal route
  kApprove = 1u << 2,  // approve / reject / reopen / close (leaders)
  kProcess = 1u << 3,  // record the outcome of an approved disposal
  kVerdict = 1u << 4,  // confirm or dismiss a finding
  kAssign = 1u << 5,
  kComment = 1u << 6,  // comments and attachments
  kMerge = 1u << 7,
  kExport = 1u << 8,
  kUnmask = 1u << 9,    // see personal data in clear (each view is logged)
  kLedger = 1u << 10,   // the ledger's actions and checkpoints
  kUsers = 1u << 11,    // accounts and roles
  kReports = 1u << 12,  // complaints and reports from the public, decrypted (each read logged)
  kImport = 1u << 13,   // upload data; the quarantine in clear (own uploads when scoped); fixes
  kModels = 1u << 14,   // model settings, scans, analysts' SQL models
};

struct RoleDef {
  const char* id;
  const char* zh;
  uint32_t rights;
};
const std::vector<RoleDef>& Roles();
const RoleDef* FindRole(std::string_view id);
std::vector<std::string> RightNames(uint32_t rights);

// The signed-in user of a request.
struct Principal {
  int64_t id = 0;
  std::string name, display_name, role;
  std::vector<std::string> regions;  // 6-digit codes; "210900" covers 2109xx; empty = all
  std::vector<std::string> orgs;     // organisation names; empty = all
  uint32_t rights = 0;
  std::string csrf;
  std::string token_hash;
  bool Can(Right r) const { return (rights & r) != 0; }
  bool Scoped() const { return !regions.empty() || !orgs.empty(); }
};

// "210900" → "2109", "210000" → "21", "210911" → "210911": a region covers the
// codes that start with its prefix.
std::string RegionPrefix(std::string_view code);
bool RegionInScope(const Principal& p, std::string_view region_code);
bool OrgInScope(const Principal& p, std::string_view org);
// Whether the user may see a record or lead with this organisation and region.
// Unknown region or organisation is outside every limited scope.
bool InScope(const Principal& p, std::string_view org, std::string_view region_code);

// SQL conditions (with `?` placeholders appended to `binds`) that keep rows of
// `leads` within the user's scope; "1" when unscoped.
std::string ScopeSql(const Principal& p, std::vector<std::string>* binds);

// Masking, as shown to users without the unmask right.
std::string MaskIdNumber(std::string_view id);   // 2109**********123X
std::string MaskPhone(std::string_view phone);   // 139****1234
std::string MaskAccount(std::string_view acct);  // 6222***********1234
// A stored value of dataset.column, masked if it is personal data (ID numbers,
// phones, bank accounts, addresses of persons, welfare status). Unknown
// datasets are masked by the column's name.
std::string MaskField(std::string_view dataset, std::string_view column, std::string_view value);
// A subject or evidence key: ID numbers inside it masked; a bank account key too.
std::string MaskKey(std::string_view dataset, std::string_view key);

}  // namespace qf::server
