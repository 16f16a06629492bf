#include "leads/matches.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/time.h"
#include "ledger/ledger.h"

namespace qf::leads {

const char* MatchStatusName(engine::LinkStatus s) {
  switch (s) {
    case engine::LinkStatus::kMatched:
      return "matched";
    case engine::LinkStatus::kReview:
      return "review";
    case engine::LinkStatus::kConfirmed:
      return "confirmed";
    case engine::LinkStatus::kRejected:
      return "rejected";
    case engine::LinkStatus::kUnmatched:
      break;
  }
  return "unmatched";
}

Result<std::vector<engine::Decision>> LoadDecisions(Db* db) {
  QF_ASSIGN_OR_RETURN(
      Stmt st, db->Prepare("SELECT dataset, key, col, entity_key, decision FROM er_decisions "
                           "ORDER BY dataset, key, col, entity_key"));
  std::vector<engine::Decision> out;
  while (true) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    engine::Decision d;
    d.dataset = st.Text(0);
    d.key = st.Text(1);
    d.column = st.Text(2);
    d.entity_key = st.Text(3);
    d.confirm = st.Text(4) == "confirm";
    out.push_back(std::move(d));
  }
  return out;
}

Status SaveDecision(Db* db, const engine::Decision& d, const std::string& actor,
                    const std::string& note) {
  QF_ASSIGN_OR_RETURN(
      Stmt q, db->Prepare("SELECT COUNT(*) FROM er_matches WHERE dataset = ?1 AND key = ?2 AND "
                          "col = ?3"));
  q.BindText(1, d.dataset);
  q.BindText(2, d.key);
  q.BindText(3, d.column);
  QF_ASSIGN_OR_RETURN(bool any, q.Step());
  if (!any || q.Int(0) == 0) {
    return Status::InvalidInput("no name-only mention " + d.dataset + " " + d.key + " " + d.column +
                                    " in the last scan's matches (qingfeng resolve lists them)",
                                "上次扫描的匹配结果中没有 " + d.dataset + " " + d.key + " 的 " +
                                    d.column + "（qingfeng resolve 可列出待复核的匹配）");
  }
  if (d.entity_key.empty()) {
    return Status::InvalidInput("the entity key (ID number or credit code) is empty",
                                "请填写实体的身份证号或统一社会信用代码");
  }
  QF_ASSIGN_OR_RETURN(
      Stmt st, db->Prepare("INSERT OR REPLACE INTO er_decisions(dataset, key, col, entity_key, "
                           "decision, actor, at, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  st.BindText(1, d.dataset);
  st.BindText(2, d.key);
  st.BindText(3, d.column);
  st.BindText(4, d.entity_key);
  st.BindText(5, d.confirm ? "confirm" : "reject");
  st.BindText(6, actor);
  st.BindText(7, NowShanghai());
  st.BindText(8, note);
  QF_RETURN_IF_ERROR(st.Run());
  nlohmann::json details = {{"column", d.column}, {"entity", d.entity_key}, {"note", note}};
  return ledger::RecordAction(db, {actor, d.confirm ? "er_confirm" : "er_reject",
                                   d.dataset + ":" + d.key, details.dump()})
      .status();
}

Status WriteMatches(Db* db, int64_t scan_id, const engine::Snapshot& snap,
                    const engine::Resolution& res) {
  QF_RETURN_IF_ERROR(db->Exec("DELETE FROM er_matches"));
  QF_ASSIGN_OR_RETURN(
      Stmt st,
      db->Prepare("INSERT OR REPLACE INTO er_matches(dataset, key, col, value, kind, entity_key, "
                  "entity_name, probability, weight, status, explanation, scan_id) VALUES "
                  "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  const auto& sources = engine::MentionSources();
  Status failed;
  res.ForEach([&](const engine::Resolved& r) {
    if (!failed.ok()) return;
    const bool mismatch = r.exact && r.name_check == engine::NameCheck::kDisagree;
    if (r.exact && !mismatch) return;
    const engine::MentionSource& src = sources[r.m.source];
    const engine::Table* t = snap.table(src.dataset);
    if (t == nullptr || !t->has(src.name_col)) return;
    uint32_t entity = r.entity != engine::kNoString ? r.entity : r.candidate;
    st.BindText(1, src.dataset);
    st.BindText(2, std::string(snap.key(*t, r.m.row)));
    st.BindText(3, src.name_col);
    st.BindText(4, std::string(snap.str(t->col(src.name_col).codes[r.m.row])));
    st.BindText(5, r.kind == engine::EntityKind::kPerson ? "person" : "org");
    st.BindText(6, entity == engine::kNoString ? std::string() : res.EntityKey(entity));
    st.BindText(7,
                entity == engine::kNoString ? std::string() : std::string(res.EntityName(entity)));
    st.BindReal(8, r.probability);
    st.BindReal(9, r.weight);
    st.BindText(10, mismatch ? "name_mismatch" : MatchStatusName(r.status));
    st.BindText(11, res.Explain(r));
    st.BindInt(12, scan_id);
    failed = st.Run();
    st.Reset();
  });
  return failed;
}

namespace {

constexpr const char* kMatchColumns =
    "SELECT rowid, dataset, key, col, value, kind, entity_key, entity_name, status, explanation, "
    "probability, weight, scan_id";

MatchRow ReadMatch(Stmt& st) {
  MatchRow m;
  m.id = st.Int(0);
  m.dataset = st.Text(1);
  m.key = st.Text(2);
  m.column = st.Text(3);
  m.value = st.Text(4);
  m.kind = st.Text(5);
  m.entity_key = st.Text(6);
  m.entity_name = st.Text(7);
  m.status = st.Text(8);
  m.explanation = st.Text(9);
  m.probability = st.Real(10);
  m.weight = st.Real(11);
  m.scan_id = st.Int(12);
  return m;
}

std::string Where(const MatchFilter& f, std::vector<std::string>* binds) {
  std::string w = " WHERE 1";
  auto add = [&](const std::string& cond, const std::string& value) {
    binds->push_back(value);
    w += " AND " + cond + std::to_string(binds->size());
  };
  if (!f.status.empty()) add("status = ?", f.status);
  if (!f.dataset.empty()) add("dataset = ?", f.dataset);
  if (!f.entity_key.empty()) add("entity_key = ?", f.entity_key);
  if (!f.search.empty()) {
    binds->push_back("%" + f.search + "%");
    std::string n = std::to_string(binds->size());
    w += " AND (value LIKE ?" + n + " OR entity_name LIKE ?" + n + ")";
  }
  return w;
}

}  // namespace

Result<std::vector<MatchRow>> ListMatches(Db* db, const MatchFilter& f) {
  std::vector<std::string> binds;
  std::string sql = std::string(kMatchColumns) + " FROM er_matches" + Where(f, &binds) +
                    " ORDER BY probability DESC, dataset, key LIMIT " +
                    std::to_string(std::clamp<int64_t>(f.limit, 1, 1000)) + " OFFSET " +
                    std::to_string(std::max<int64_t>(f.offset, 0));
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare(sql));
  for (size_t i = 0; i < binds.size(); ++i) st.BindText(static_cast<int>(i + 1), binds[i]);
  std::vector<MatchRow> out;
  while (true) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadMatch(st));
  }
  return out;
}

Result<MatchRow> GetMatch(Db* db, int64_t id) {
  QF_ASSIGN_OR_RETURN(
      Stmt st, db->Prepare(std::string(kMatchColumns) + " FROM er_matches WHERE rowid = ?1"));
  st.BindInt(1, id);
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return Status::InvalidInput(
        "no match " + std::to_string(id) + " (a scan may have replaced it)",
        "没有编号为 " + std::to_string(id) + " 的匹配（可能已被新的扫描替换，请刷新）");
  }
  return ReadMatch(st);
}

Result<int64_t> CountMatches(Db* db, const MatchFilter& f) {
  std::vector<std::string> binds;
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT COUNT(*) FROM er_matches" + Where(f, &binds)));
  for (size_t i = 0; i < binds.size(); ++i) st.BindText(static_cast<int>(i + 1), binds[i]);
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Int(0) : 0;
}

Result<std::vector<MatchPrediction>> MatchedPredictions(Db* db) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT dataset, key, col, entity_key FROM er_matches "
                                           "WHERE status IN ('matched', 'confirmed')"));
  std::vector<MatchPrediction> out;
  while (true) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Text(0), st.Text(1), st.Text(2), st.Text(3)});
  }
  return out;
}

}  // namespace qf::leads

namespace qf::leads {

Result<LiveNetwork> LoadNetwork(Db* db) {
  LiveNetwork out;
  QF_ASSIGN_OR_RETURN(out.snap, engine::Snapshot::Load(db, engine::NetworkInputs()));
  QF_ASSIGN_OR_RETURN(auto decisions, LoadDecisions(db));
  QF_ASSIGN_OR_RETURN(out.net, engine::Network::Build(*out.snap, decisions));
  return out;
}

}  // namespace qf::leads
