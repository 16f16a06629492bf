// The uniform shape of a supervision model (监督模型): it declares what it
// reads and its parameters, computes on the snapshot, and emits findings.
// The engine turns findings into leads (问题线索). One file per model family
// in src/models/ registers its models with the catalogue.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "engine/snapshot.h"

namespace qf::engine {

enum class Severity { kLow = 1, kMedium = 2, kHigh = 3 };
const char* SeverityName(Severity s, bool chinese);  // 高/中/低, high/medium/low

// A parameter, with its default as text ("100000", "0.015", "度假村,温泉").
struct ParamDef {
  std::string name;           // "threshold_yuan"
  std::string default_value;  // "100000"
  std::string zh;             // "审批限额（元）"
  std::string en;             // "approval threshold (yuan)"
};

struct ModelInfo {
  std::string id;       // "split_payment"; stable, used in settings, leads and eval
  std::string name_zh;  // "拆分支付规避审批"
  std::string name_en;  // "Split payments under the approval threshold"
  std::string family;   // welfare, funds, procurement, integrity, conduct, complaints, party,
                        // enforcement, ocds, custom
  std::string detects;  // what it detects (Chinese, one or two sentences)
  std::string basis;    // the rule or regulation it rests on, and why it matters
  Severity severity = Severity::kMedium;
  std::vector<Input> inputs;
  std::vector<ParamDef> params;
  // Reads the relationship network (entity resolution and the graph), which
  // the scan then builds once for every model that asks.
  bool uses_network = false;
};

// A model's parameters: defaults overridden by the settings file.
class Params {
 public:
  Params() = default;
  explicit Params(std::map<std::string, std::string> values) : values_(std::move(values)) {}
  // The value as a number; aborts if absent (a model asking for an undeclared
  // parameter is a bug) — values are validated when settings are loaded.
  double Number(std::string_view name) const;
  int64_t Int(std::string_view name) const { return static_cast<int64_t>(Number(name)); }
  // Yuan → fen, exactly for two decimals.
  int64_t Fen(std::string_view name) const;
  const std::string& Text(std::string_view name) const;
  // A list: items separated by ',' '，' '、' or ';'.
  std::vector<std::string> List(std::string_view name) const;
  const std::map<std::string, std::string>& values() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

// A record that proves a finding, with the fields that matter.
struct Evidence {
  std::string dataset;
  std::string key;
  std::vector<std::pair<std::string, std::string>> fields;  // column → formatted value
};

struct Subject {
  std::string dataset;  // "persons", "companies", "officials", "tenders", "complaints" …
  std::string key;
  std::string name;  // a person's or organisation's name, a title …
};

struct Finding {
  // Identifies the finding across scans within its model (e.g. the person's
  // ID number, or the tender id): the same identity keeps the same lead.
  std::string identity;
  Subject subject;
  int score = 50;          // 0–100
  int64_t amount_fen = 0;  // money at stake
  std::vector<Evidence> evidence;
  std::string summary;  // Chinese sentence with the facts and numbers
};

class Network;

// Everything a model's Run gets.
struct RunContext {
  const Snapshot& snap;
  const Params& params;
  // The store's file, for models that query it directly (OCDS releases,
  // analysts' SQL): open it read-only with Db::Open(db_path, true), one
  // connection per model run. Empty when there is no store (unit tests).
  std::string db_path;
  // Entity resolution and the relationship graph (engine/network.h): set for
  // models with ModelInfo::uses_network, nullptr otherwise.
  const Network* network = nullptr;
};

class Model {
 public:
  virtual ~Model() = default;
  virtual const ModelInfo& info() const = 0;
  // Appends findings to `out`. Runs concurrently with other models; must only
  // read the snapshot.
  virtual Status Run(const RunContext& ctx, std::vector<Finding>* out) const = 0;
};

// A model from its description and a function: how every family file defines models.
using RunFn = std::function<Status(const RunContext&, std::vector<Finding>*)>;
std::unique_ptr<Model> MakeModel(ModelInfo info, RunFn run);

// Evidence from a snapshot row: the given columns, formatted; empty cells skipped.
Evidence MakeEvidence(const Snapshot& snap, const Table& t, size_t row,
                      const std::vector<std::string>& columns);

// A person's name as summaries show it: the surname and 某某 ("张某某"), so a
// lead's sentence can be read aloud without exposing the person.
std::string MaskedName(std::string_view name);

// "1,234.50" from fen, for summaries.
std::string Yuan(int64_t fen);

// A score from a base and a ratio of how far past the threshold (0 → base,
// ≥ `full` → 100), clamped to 0–100.
int ScaleScore(int base, double excess, double full);

// The catalogue: every built-in model, in family order.
const std::vector<std::unique_ptr<Model>>& BuiltinModels();
const Model* FindBuiltinModel(std::string_view id);

}  // namespace qf::engine
