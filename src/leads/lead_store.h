// Leads (问题线索) in the store: findings of a scan become leads, matched to
// earlier scans by (model, identity) so a finding keeps its lead id, new
// evidence is appended (never replaced), and a finding that no longer appears
// is marked resolved — never deleted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/model.h"
#include "store/db.h"

namespace qf::leads {

// "L000123": how a lead id is shown and accepted.
std::string LeadCode(int64_t id);
// 123 from "L000123" or "123"; error for anything else.
Result<int64_t> ParseLeadCode(const std::string& code);

struct ReconcileStats {
  int created = 0;   // findings never seen before
  int updated = 0;   // findings that were already leads
  int reopened = 0;  // of those, leads that had been resolved
  int resolved = 0;  // leads of the model whose finding disappeared
  int evidence_added = 0;
};

// A scan row; finish it with FinishScan. Call inside a write transaction.
Result<int64_t> BeginScan(Db* db, const std::vector<std::string>& model_ids);
Status FinishScan(Db* db, int64_t scan_id, const std::string& stats_json);

// Writes one model's findings as leads of scan `scan_id`. Call inside a write
// transaction. Only the given model's leads are touched.
Result<ReconcileStats> Reconcile(Db* db, int64_t scan_id, const engine::ModelInfo& model,
                                 const std::vector<engine::Finding>& findings);

struct EvidenceRow {
  std::string dataset, key;
  std::string fields_json;  // {"column": "value", …} in the model's order
  int64_t first_scan = 0;
};

struct Lead {
  int64_t id = 0;
  std::string model, family, identity;
  engine::Subject subject;
  int score = 0;
  int64_t amount_fen = 0;
  std::string summary;
  std::string detection;  // "active" or "resolved"
  int64_t first_scan = 0, last_scan = 0;
  std::optional<int64_t> resolved_scan;
  std::string created_at, updated_at;
  // Where it belongs (src/leads/scope.h) and what is being done with it
  // (src/leads/workflow.h); empty strings when not set.
  std::string org, region_code;
  std::string status = "pending";
  std::string route, approved_at, outcome, verdict, assignee, closed_at;
  int64_t merged_into = 0;
  std::vector<EvidenceRow> evidence;
};

struct LeadFilter {
  std::vector<std::string> families, models;
  std::string detection = "active";  // "active", "resolved" or "all"
  int min_score = 0;
  int64_t limit = 0;  // 0 = no limit
  bool with_evidence = true;
};

// Leads by descending score, then id.
Result<std::vector<Lead>> ListLeads(Db* db, const LeadFilter& filter);
Result<Lead> GetLead(Db* db, int64_t id);
// A page of leads matching an SQL condition over the leads table (`?1`… bound
// to `binds` as text), without their evidence: the server's list.
Result<std::vector<Lead>> LeadsWhere(Db* db, const std::string& where,
                                     const std::vector<std::string>& binds,
                                     const std::string& order, int64_t limit, int64_t offset);

// A lead no model found (a report from the public, a referral). Its `model`
// names the source and is never a scanned model's id, so no scan resolves it;
// (model, identity) is unique as for every lead.
struct ManualLead {
  std::string model, family, identity;
  engine::Subject subject;  // e.g. {"reports", lookup id, "举报 JB7K2M9Q"}: the link back
  int score = 50;
  int64_t amount_fen = 0;
  std::string summary, org, region_code;
};
// Inserts it as a pending, active lead (scans 0) and returns its id; an
// existing (model, identity) is an InvalidArgument. Call inside a write transaction.
Result<int64_t> CreateManualLead(Db* db, const ManualLead& lead, const std::string& now);

}  // namespace qf::leads
