#include "leads/scan.h"

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/time.h"
#include "engine/network.h"
#include "engine/runner.h"
#include "engine/snapshot.h"
#include "leads/matches.h"
#include "leads/scope.h"
#include "ledger/ledger.h"
#include "models/custom_sql.h"

namespace qf::leads {

namespace {

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

Result<std::vector<std::unique_ptr<engine::Model>>> LoadCustomModels(Db* db,
                                                                     const std::string& db_path) {
  std::vector<std::unique_ptr<engine::Model>> out;
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT id, definition FROM custom_models ORDER BY id"));
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    // Checked again without the store: a stored definition stays loadable
    // even if a table it reads is gone (the run then reports the error).
    auto m = models::ParseCustomModel(q.Text(1), "");
    if (!m.ok()) return m.status().WithContext("stored model " + q.Text(0));
    out.push_back(std::move(m).value());
  }
  (void)db_path;
  return out;
}

Result<std::string> AddCustomModel(Store* store, const std::string& json_text,
                                   const std::string& actor) {
  QF_ASSIGN_OR_RETURN(auto model, models::ParseCustomModel(json_text, store->db_path()));
  const std::string id = model->info().id;
  Db* db = store->db();
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("INSERT INTO custom_models(id, definition, created_at) "
                                           "VALUES (?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET "
                                           "definition = excluded.definition"));
  st.BindText(1, id);
  st.BindText(2, json_text);
  st.BindText(3, NowShanghai());
  QF_RETURN_IF_ERROR(st.Run());
  QF_RETURN_IF_ERROR(tx.Commit());
  nlohmann::json details = {{"definition", nlohmann::json::parse(json_text)}};
  QF_RETURN_IF_ERROR(
      ledger::RecordAction(db, {actor, "model_add", "model:" + id, details.dump()}).status());
  return id;
}

Status RemoveCustomModel(Store* store, const std::string& id, const std::string& actor) {
  Db* db = store->db();
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("DELETE FROM custom_models WHERE id = ?1"));
  st.BindText(1, id);
  QF_RETURN_IF_ERROR(st.Run());
  if (db->Changes() == 0) {
    return Status::InvalidInput("there is no analyst's model " + id,
                                "没有名为 " + id + " 的自定义模型");
  }
  return ledger::RecordAction(db, {actor, "model_remove", "model:" + id, "{}"}).status();
}

Result<ScanReport> Scan(Store* store, const ScanOptions& options) {
  Db* db = store->db();
  const std::string settings_path = options.settings_path.empty()
                                        ? engine::SettingsPathFor(store->db_path())
                                        : options.settings_path;
  QF_ASSIGN_OR_RETURN(engine::Settings settings, engine::Settings::Load(settings_path));
  QF_ASSIGN_OR_RETURN(auto custom, LoadCustomModels(db, store->db_path()));

  std::map<std::string, const engine::Model*> catalogue;
  for (const auto& m : engine::BuiltinModels()) catalogue[m->info().id] = m.get();
  for (const auto& m : custom) catalogue[m->info().id] = m.get();
  for (const std::string& id : settings.ModelIds()) {
    if (!catalogue.count(id)) {
      return Status::InvalidInput(
          settings_path + ": no model named " + id + " (see qingfeng models)",
          settings_path + "：没有名为 " + id + " 的模型（见 qingfeng models）");
    }
  }
  std::vector<const engine::Model*> chosen;
  if (options.model_ids.empty()) {
    for (const auto& m : engine::BuiltinModels()) {
      if (settings.Enabled(m->info().id)) chosen.push_back(m.get());
    }
    for (const auto& m : custom) {
      if (settings.Enabled(m->info().id)) chosen.push_back(m.get());
    }
  } else {
    std::set<std::string> seen;
    for (const std::string& id : options.model_ids) {
      auto it = catalogue.find(id);
      if (it == catalogue.end()) {
        return Status::InvalidInput("no model named " + id + " (qingfeng models lists them)",
                                    "没有名为 " + id + " 的模型（qingfeng models 可列出全部模型）");
      }
      if (seen.insert(id).second) chosen.push_back(it->second);
    }
  }
  // Parameters are checked before anything runs, so a typo in the settings
  // is reported, not half-applied.
  for (const engine::Model* m : chosen) {
    QF_RETURN_IF_ERROR(settings.ParamsFor(m->info()).status());
  }

  ScanReport report;
  auto t0 = std::chrono::steady_clock::now();
  QF_ASSIGN_OR_RETURN(auto snap, engine::Snapshot::Load(db, engine::InputsOf(chosen),
                                                        [&](size_t done, size_t total) {
                                                          if (options.progress)
                                                            options.progress("load", done, total);
                                                        }));
  report.load_seconds = Since(t0);
  report.snapshot_bytes = snap->memory_bytes();

  // The relationship network, once for every model that reads it.
  std::unique_ptr<engine::Network> network;
  if (engine::UsesNetwork(chosen)) {
    if (options.progress) options.progress("network", 0, 1);
    QF_ASSIGN_OR_RETURN(auto decisions, LoadDecisions(db));
    QF_ASSIGN_OR_RETURN(network, engine::Network::Build(*snap, decisions));
    report.resolve_seconds = network->resolve_seconds();
    report.graph_seconds = network->graph_seconds();
    report.graph_nodes = network->graph().nodes();
    report.graph_edges = network->graph().edges();
  }

  auto t1 = std::chrono::steady_clock::now();
  size_t finished = 0;
  auto runs = engine::RunModels(
      *snap, chosen, settings,
      [&](const std::string&) {
        if (options.progress) options.progress("run", ++finished, chosen.size());
      },
      store->db_path(), network.get());
  report.run_seconds = Since(t1);

  auto t2 = std::chrono::steady_clock::now();
  if (options.progress) options.progress("write", 0, 1);
  std::vector<std::string> ids;
  for (const engine::Model* m : chosen) ids.push_back(m->info().id);
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(report.scan_id, BeginScan(db, ids));
  nlohmann::ordered_json stats = nlohmann::ordered_json::object();
  for (engine::ModelRun& run : runs) {
    ModelScanResult r;
    r.model = run.model->info().id;
    r.family = run.model->info().family;
    r.status = run.status;
    r.findings = run.findings.size();
    r.seconds = run.seconds;
    if (run.status.ok()) {
      QF_ASSIGN_OR_RETURN(r.stats, Reconcile(db, report.scan_id, run.model->info(), run.findings));
    }
    stats[r.model] = {{"ok", r.status.ok()},
                      {"findings", r.findings},
                      {"new", r.stats.created},
                      {"resolved", r.stats.resolved},
                      {"seconds", r.seconds}};
    if (!r.status.ok()) stats[r.model]["error"] = r.status.message();
    report.models.push_back(std::move(r));
  }
  if (network) {
    QF_RETURN_IF_ERROR(WriteMatches(db, report.scan_id, *snap, network->resolution()));
  }
  network.reset();
  snap.reset();  // the findings hold what the leads need
  QF_RETURN_IF_ERROR(AssignScopes(db, report.scan_id));
  QF_RETURN_IF_ERROR(FinishScan(db, report.scan_id, stats.dump()));
  QF_ASSIGN_OR_RETURN(auto ledger, ledger::Ledger::Open(db));
  nlohmann::ordered_json details = {{"scan", report.scan_id}, {"models", ids}};
  QF_RETURN_IF_ERROR(ledger
                         ->AppendAction({options.actor, "scan",
                                         "scan:" + std::to_string(report.scan_id), details.dump()})
                         .status());
  QF_RETURN_IF_ERROR(ledger->Flush());
  QF_RETURN_IF_ERROR(tx.Commit());
  report.write_seconds = Since(t2);
  return report;
}

}  // namespace qf::leads
