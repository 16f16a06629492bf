// Which organisation and region a lead belongs to, so that a user scoped to
// 细河区 or to one bureau sees only its leads (and the records behind them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"
#include "store/db.h"

namespace qf::leads {

struct Scope {
  std::string org;          // the organisation's name as the data gives it; "" if none
  std::string region_code;  // 6 digits; "" if none can be found
};

// The region an organisation's unified social credit code names: characters 3–8
// are the registering authority's region (GB 32100). "" when not a credit code.
std::string RegionOfCreditCode(std::string_view code);

// Finds scopes from stored records (statements kept by Db::Cached); one per thread.
class ScopeResolver {
 public:
  explicit ScopeResolver(Db* db) : db_(db) {}
  Status Init();  // loads organisation → region from officials' org_code
  // The scope of one current record (dataset, natural key); `found` false if
  // the record does not exist.
  Result<Scope> OfRecord(const std::string& dataset, const std::string& key, bool* found);
  // A lead's scope: the first evidence record naming an organisation or a
  // region wins; an organisation without a region gets its credit code's.
  Result<Scope> OfLead(int64_t lead_id);
  std::string RegionOfOrg(const std::string& org) const;
  // The longest known organisation name inside `name`; "" if none.
  std::string OrgInName(const std::string& name) const;

 private:
  Db* db_;
  std::unordered_map<std::string, std::string> org_region_;
};

// Sets leads.org and leads.region_code for the leads a scan touched (all leads
// when scan_id is 0). Call inside the scan's write transaction.
Status AssignScopes(Db* db, int64_t scan_id);

}  // namespace qf::leads
