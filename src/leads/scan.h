// A scan: load the snapshot the chosen models need, run them in parallel,
// and write their findings as leads in one transaction (recorded in the
// ledger as a "scan" action).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/model.h"
#include "leads/lead_store.h"
#include "store/store.h"

namespace qf::leads {

// Analysts' models stored in the store (custom_models), parsed.
Result<std::vector<std::unique_ptr<engine::Model>>> LoadCustomModels(Db* db,
                                                                     const std::string& db_path);

// Stores (or replaces) an analyst's model after checking its definition and
// SQL against the store; records a ledger action. Returns the model id.
Result<std::string> AddCustomModel(Store* store, const std::string& json_text,
                                   const std::string& actor);
Status RemoveCustomModel(Store* store, const std::string& id, const std::string& actor);

struct ScanOptions {
  std::vector<std::string> model_ids;  // empty: every enabled model
  std::string settings_path;           // empty: engine::SettingsPathFor(db)
  std::string actor = "system";
  // stage: "load" (done/total tables), "network" (resolution and graph),
  // "run" (done/total models), "write".
  std::function<void(const std::string& stage, size_t done, size_t total)> progress;
};

struct ModelScanResult {
  std::string model, family;
  Status status;
  size_t findings = 0;
  ReconcileStats stats;
  double seconds = 0;
};

struct ScanReport {
  int64_t scan_id = 0;
  double load_seconds = 0, run_seconds = 0, write_seconds = 0;
  size_t snapshot_bytes = 0;
  // Entity resolution and the graph, when a model read them.
  double resolve_seconds = 0, graph_seconds = 0;
  size_t graph_nodes = 0, graph_edges = 0;
  std::vector<ModelScanResult> models;
};

Result<ScanReport> Scan(Store* store, const ScanOptions& options);

}  // namespace qf::leads
