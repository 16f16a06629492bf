#include "leads/lead_store.h"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/time.h"

namespace qf::leads {

std::string LeadCode(int64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "L%06lld", static_cast<long long>(id));
  return buf;
}

Result<int64_t> ParseLeadCode(const std::string& code) {
  std::string digits = code;
  if (!digits.empty() && (digits[0] == 'L' || digits[0] == 'l')) digits.erase(0, 1);
  bool ok = !digits.empty() && digits.size() <= 15;
  for (char c : digits) ok = ok && c >= '0' && c <= '9';
  if (!ok) {
    return Status::InvalidInput("\"" + code + "\" is not a lead id (e.g. L000123)",
                                "“" + code + "”不是线索编号（例如 L000123）");
  }
  return std::stoll(digits);
}

Result<int64_t> BeginScan(Db* db, const std::vector<std::string>& model_ids) {
  nlohmann::json models = model_ids;
  QF_ASSIGN_OR_RETURN(Stmt st,
                      db->Prepare("INSERT INTO scans(started_at, models) VALUES (?1, ?2)"));
  st.BindText(1, NowShanghai());
  st.BindText(2, models.dump());
  QF_RETURN_IF_ERROR(st.Run());
  return db->LastInsertId();
}

Status FinishScan(Db* db, int64_t scan_id, const std::string& stats_json) {
  QF_ASSIGN_OR_RETURN(Stmt st,
                      db->Prepare("UPDATE scans SET finished_at = ?1, stats = ?2 WHERE id = ?3"));
  st.BindText(1, NowShanghai());
  st.BindText(2, stats_json);
  st.BindInt(3, scan_id);
  return st.Run();
}

Result<ReconcileStats> Reconcile(Db* db, int64_t scan_id, const engine::ModelInfo& model,
                                 const std::vector<engine::Finding>& findings) {
  ReconcileStats stats;
  const std::string now = NowShanghai();
  // The model's existing leads: identity → (id, detection).
  std::map<std::string, std::pair<int64_t, std::string>> existing;
  {
    QF_ASSIGN_OR_RETURN(Stmt q,
                        db->Prepare("SELECT identity, id, detection FROM leads WHERE model = ?1"));
    q.BindText(1, model.id);
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      existing[q.Text(0)] = {q.Int(1), q.Text(2)};
    }
  }
  QF_ASSIGN_OR_RETURN(
      Stmt insert,
      db->Prepare("INSERT INTO leads(model, family, identity, subject_dataset, subject_key, "
                  "subject_name, score, amount, summary, detection, first_scan, last_scan, "
                  "created_at, updated_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,'active',?10,?10,"
                  "?11,?11)"));
  QF_ASSIGN_OR_RETURN(
      Stmt update,
      db->Prepare("UPDATE leads SET subject_dataset=?2, subject_key=?3, subject_name=?4, "
                  "score=?5, amount=?6, summary=?7, detection='active', resolved_scan=NULL, "
                  "last_scan=?8, updated_at=CASE WHEN score IS NOT ?5 OR amount IS NOT ?6 OR "
                  "summary IS NOT ?7 OR detection <> 'active' THEN ?9 ELSE updated_at END "
                  "WHERE id=?1"));
  QF_ASSIGN_OR_RETURN(Stmt next_seq,
                      db->Prepare("SELECT COALESCE(MAX(seq), 0) FROM lead_evidence WHERE "
                                  "lead_id = ?1"));
  QF_ASSIGN_OR_RETURN(
      Stmt add_evidence,
      db->Prepare("INSERT OR IGNORE INTO lead_evidence(lead_id, seq, dataset, key, fields, "
                  "first_scan) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  std::set<std::string> seen;
  for (const engine::Finding& f : findings) {
    if (!seen.insert(f.identity).second) {
      return Status::Internal("model " + model.id + " reported identity " + f.identity + " twice");
    }
    int64_t lead_id;
    auto it = existing.find(f.identity);
    if (it == existing.end()) {
      insert.BindText(1, model.id);
      insert.BindText(2, model.family);
      insert.BindText(3, f.identity);
      insert.BindText(4, f.subject.dataset);
      insert.BindText(5, f.subject.key);
      insert.BindText(6, f.subject.name);
      insert.BindInt(7, f.score);
      insert.BindInt(8, f.amount_fen);
      insert.BindText(9, f.summary);
      insert.BindInt(10, scan_id);
      insert.BindText(11, now);
      QF_RETURN_IF_ERROR(insert.Run());
      lead_id = db->LastInsertId();
      ++stats.created;
    } else {
      lead_id = it->second.first;
      if (it->second.second != "active") ++stats.reopened;
      update.BindInt(1, lead_id);
      update.BindText(2, f.subject.dataset);
      update.BindText(3, f.subject.key);
      update.BindText(4, f.subject.name);
      update.BindInt(5, f.score);
      update.BindInt(6, f.amount_fen);
      update.BindText(7, f.summary);
      update.BindInt(8, scan_id);
      update.BindText(9, now);
      QF_RETURN_IF_ERROR(update.Run());
      ++stats.updated;
    }
    next_seq.BindInt(1, lead_id);
    QF_ASSIGN_OR_RETURN(bool row, next_seq.Step());
    int64_t seq = row ? next_seq.Int(0) : 0;
    next_seq.Reset();
    for (const engine::Evidence& e : f.evidence) {
      nlohmann::ordered_json fields = nlohmann::ordered_json::object();
      for (const auto& [k, v] : e.fields) fields[k] = v;
      add_evidence.BindInt(1, lead_id);
      add_evidence.BindInt(2, seq + 1);
      add_evidence.BindText(3, e.dataset);
      add_evidence.BindText(4, e.key);
      add_evidence.BindText(5, fields.dump());
      add_evidence.BindInt(6, scan_id);
      QF_RETURN_IF_ERROR(add_evidence.Run());
      if (db->Changes() > 0) {
        ++seq;
        ++stats.evidence_added;
      }
    }
  }
  // Findings that disappeared: resolved, kept.
  QF_ASSIGN_OR_RETURN(Stmt resolve,
                      db->Prepare("UPDATE leads SET detection='resolved', resolved_scan=?2, "
                                  "updated_at=?3 WHERE id=?1"));
  for (const auto& [identity, lead] : existing) {
    if (seen.count(identity) || lead.second != "active") continue;
    resolve.BindInt(1, lead.first);
    resolve.BindInt(2, scan_id);
    resolve.BindText(3, now);
    QF_RETURN_IF_ERROR(resolve.Run());
    ++stats.resolved;
  }
  return stats;
}

namespace {

Status LoadEvidence(Db* db, Lead* lead) {
  QF_ASSIGN_OR_RETURN(CachedStmt q, db->Cached("SELECT dataset, key, fields, first_scan FROM "
                                               "lead_evidence WHERE lead_id = ?1 ORDER BY seq"));
  q->BindInt(1, lead->id);
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    lead->evidence.push_back({q->Text(0), q->Text(1), q->Text(2), q->Int(3)});
  }
  return Status::OK();
}

constexpr const char* kLeadColumns =
    "id, model, family, identity, subject_dataset, subject_key, subject_name, score, amount, "
    "summary, detection, first_scan, last_scan, resolved_scan, created_at, updated_at, "
    "org, region_code, status, route, approved_at, outcome, verdict, assignee, merged_into, "
    "closed_at";

Lead ReadLead(const Stmt& q) {
  Lead l;
  l.id = q.Int(0);
  l.model = q.Text(1);
  l.family = q.Text(2);
  l.identity = q.Text(3);
  l.subject = {q.Text(4), q.Text(5), q.Text(6)};
  l.score = static_cast<int>(q.Int(7));
  l.amount_fen = q.Int(8);
  l.summary = q.Text(9);
  l.detection = q.Text(10);
  l.first_scan = q.Int(11);
  l.last_scan = q.Int(12);
  if (!q.IsNull(13)) l.resolved_scan = q.Int(13);
  l.created_at = q.Text(14);
  l.updated_at = q.Text(15);
  auto text = [&q](int c) { return q.IsNull(c) ? std::string() : q.Text(c); };
  l.org = text(16);
  l.region_code = text(17);
  l.status = q.Text(18);
  l.route = text(19);
  l.approved_at = text(20);
  l.outcome = text(21);
  l.verdict = text(22);
  l.assignee = text(23);
  l.merged_into = q.IsNull(24) ? 0 : q.Int(24);
  l.closed_at = text(25);
  return l;
}

}  // namespace

Result<std::vector<Lead>> ListLeads(Db* db, const LeadFilter& filter) {
  std::string sql = std::string("SELECT ") + kLeadColumns + " FROM leads WHERE score >= ?1";
  std::vector<std::string> binds;
  auto in_list = [&](const char* column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    sql += std::string(" AND ") + column + " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      binds.push_back(values[i]);
      sql += (i ? ",?" : "?") + std::to_string(binds.size() + 1);
    }
    sql += ")";
  };
  in_list("family", filter.families);
  in_list("model", filter.models);
  if (filter.detection != "all") {
    binds.push_back(filter.detection);
    sql += " AND detection = ?" + std::to_string(binds.size() + 1);
  }
  sql += " ORDER BY score DESC, id";
  if (filter.limit > 0) sql += " LIMIT " + std::to_string(filter.limit);
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(sql));
  q.BindInt(1, filter.min_score);
  for (size_t i = 0; i < binds.size(); ++i) q.BindText(static_cast<int>(i) + 2, binds[i]);
  std::vector<Lead> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(ReadLead(q));
  }
  if (filter.with_evidence) {
    for (Lead& l : out) QF_RETURN_IF_ERROR(LoadEvidence(db, &l));
  }
  return out;
}

Result<Lead> GetLead(Db* db, int64_t id) {
  Lead l;
  {
    QF_ASSIGN_OR_RETURN(CachedStmt q, db->Cached(std::string("SELECT ") + kLeadColumns +
                                                 " FROM leads WHERE id=?1"));
    q->BindInt(1, id);
    QF_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) {
      return Status::NotFound("no lead " + LeadCode(id));
    }
    l = ReadLead(*q);
  }
  QF_RETURN_IF_ERROR(LoadEvidence(db, &l));
  return l;
}

Result<std::vector<Lead>> LeadsWhere(Db* db, const std::string& where,
                                     const std::vector<std::string>& binds,
                                     const std::string& order, int64_t limit, int64_t offset) {
  QF_ASSIGN_OR_RETURN(CachedStmt q,
                      db->Cached(std::string("SELECT ") + kLeadColumns + " FROM leads WHERE " +
                                 where + " ORDER BY " + order + " LIMIT ? OFFSET ?"));
  int n = static_cast<int>(binds.size());
  for (int i = 0; i < n; ++i) q->BindText(i + 1, binds[static_cast<size_t>(i)]);
  q->BindInt(n + 1, limit);
  q->BindInt(n + 2, offset);
  std::vector<Lead> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) break;
    out.push_back(ReadLead(*q));
  }
  return out;
}

Result<int64_t> CreateManualLead(Db* db, const ManualLead& lead, const std::string& now) {
  QF_ASSIGN_OR_RETURN(int64_t exists, [&]() -> Result<int64_t> {
    QF_ASSIGN_OR_RETURN(Stmt q,
                        db->Prepare("SELECT id FROM leads WHERE model = ?1 AND identity = ?2"));
    q.BindText(1, lead.model);
    q.BindText(2, lead.identity);
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    return row ? q.Int(0) : int64_t{0};
  }());
  if (exists != 0) {
    return Status::InvalidInput(lead.identity + " is already lead " + LeadCode(exists),
                                lead.identity + " 已是线索 " + LeadCode(exists));
  }
  QF_ASSIGN_OR_RETURN(
      Stmt insert,
      db->Prepare("INSERT INTO leads(model, family, identity, subject_dataset, subject_key, "
                  "subject_name, score, amount, summary, detection, first_scan, last_scan, "
                  "created_at, updated_at, org, region_code) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,"
                  "'active',0,0,?10,?10,?11,?12)"));
  insert.BindText(1, lead.model);
  insert.BindText(2, lead.family);
  insert.BindText(3, lead.identity);
  insert.BindText(4, lead.subject.dataset);
  insert.BindText(5, lead.subject.key);
  insert.BindText(6, lead.subject.name);
  insert.BindInt(7, lead.score);
  insert.BindInt(8, lead.amount_fen);
  insert.BindText(9, lead.summary);
  insert.BindText(10, now);
  if (lead.org.empty()) {
    insert.BindNull(11);
  } else {
    insert.BindText(11, lead.org);
  }
  if (lead.region_code.empty()) {
    insert.BindNull(12);
  } else {
    insert.BindText(12, lead.region_code);
  }
  QF_RETURN_IF_ERROR(insert.Run());
  return db->LastInsertId();
}

}  // namespace qf::leads
