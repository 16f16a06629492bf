// Runs models on a snapshot: settings (parameter overrides) in, findings out,
// models in parallel with TBB.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/model.h"
#include "engine/snapshot.h"

namespace qf::engine {

// Parameter overrides and switched-off models, from a JSON settings file:
//   {"models": {"split_payment": {"threshold_yuan": 200000},
//               "benford_deviation": {"enabled": false}}}
class Settings {
 public:
  Settings() = default;
  // A missing file gives empty settings; a malformed one an error naming the
  // file and what is wrong.
  static Result<Settings> Load(const std::string& path);
  static Result<Settings> Parse(const std::string& json_text, const std::string& origin);

  // Defaults overridden by the settings; an override of an undeclared
  // parameter, or a non-number where the default is a number, is an error.
  Result<Params> ParamsFor(const ModelInfo& info) const;
  bool Enabled(const std::string& model_id) const;
  // Every model id the settings mention (so unknown ones can be reported).
  std::vector<std::string> ModelIds() const;

 private:
  std::map<std::string, std::map<std::string, std::string>> values_;
  std::map<std::string, bool> enabled_;
  std::string origin_;
};

// The settings file next to a database: "<db>.settings.json" unless
// $QINGFENG_SETTINGS names another.
std::string SettingsPathFor(const std::string& db_path);

struct ModelRun {
  const Model* model = nullptr;
  Status status;
  std::vector<Finding> findings;
  double seconds = 0;
};

// Runs every model in parallel on `snap`. A model that fails leaves its
// status in its ModelRun; the others still run. `done(model_id)` is called
// as each finishes (from worker threads, serialised).
std::vector<ModelRun> RunModels(const Snapshot& snap, const std::vector<const Model*>& models,
                                const Settings& settings,
                                const std::function<void(const std::string&)>& done = nullptr,
                                const std::string& db_path = "", const Network* network = nullptr);

// Whether some of the models read the relationship network.
bool UsesNetwork(const std::vector<const Model*>& models);

// The union of the models' inputs (and the network's, when one of them uses it).
std::vector<Input> InputsOf(const std::vector<const Model*>& models);

}  // namespace qf::engine
