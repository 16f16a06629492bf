// Each command registers itself on the CLI11 app; the callbacks run with the
// global options resolved. Commands print for people (Chinese first) or for
// scripts (--format jsonl|csv) and return the process exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "common/status.h"
#include "common/time.h"
#include "ingest/dataset.h"
#include "store/store.h"

namespace qf::cli {

struct Globals {
  std::string db_flag;
  std::string lang = "zh";
  bool zh() const { return lang != "en"; }
  // Opens the store named by --db / QINGFENG_DB / ./qingfeng.db.
  Result<std::unique_ptr<Store>> OpenStore() const;
  // Who runs the command, for the ledger: "os:<account>".
  static std::string Actor();
  // Prints a failure as the user's language wants it; returns the exit code.
  int Fail(const Status& s) const;
  // Opens the store and runs `fn(Store*) -> Status`, reporting failures into `exit_code`.
  template <typename Fn>
  void WithStore(int& exit_code, Fn fn) const {
    auto store = OpenStore();
    if (!store.ok()) {
      exit_code = Fail(store.status());
      return;
    }
    Status s = fn(store->get());
    if (!s.ok()) exit_code = Fail(s);
  }
};

// The dataset a command-line argument names (English or Chinese), or an error
// that lists the known datasets.
Result<const DatasetDef*> DatasetArg(const std::string& name);

// Exit codes: 0 done; 1 the input could not be used (clerk's error); 2 usage; 3 internal/IO.
inline constexpr int kExitInput = 1;
inline constexpr int kExitInternal = 3;

// The day a supervision board is judged on: `text` (YYYY-MM-DD, the
// --as-of option) when given, else the settings' server.as_of — as the
// server does —, else today in Asia/Shanghai.
Result<CivilDate> AsOfArg(Store* store, const std::string& text);
// The settings' server.as_of ("" when unset): the past day being replayed.
Result<std::string> ReplayAsOf(Store* store);
// "<db>.uploads/<what>-<pid>": the importer's scratch folder for one entry
// from the command line (remove it after, e.g. with qf::ScratchDir).
std::string CliWorkDir(Store* store, const std::string& what);

void RegisterImport(CLI::App& app, Globals& g, int& exit_code);
void RegisterDatasets(CLI::App& app, Globals& g, int& exit_code);
void RegisterQuarantine(CLI::App& app, Globals& g, int& exit_code);
void RegisterImports(CLI::App& app, Globals& g, int& exit_code);
void RegisterHistory(CLI::App& app, Globals& g, int& exit_code);
void RegisterDescribe(CLI::App& app, Globals& g, int& exit_code);
void RegisterLedger(CLI::App& app, Globals& g, int& exit_code);
void RegisterSynth(CLI::App& app, Globals& g, int& exit_code);
void RegisterScan(CLI::App& app, Globals& g, int& exit_code);
void RegisterLeads(CLI::App& app, Globals& g, int& exit_code);
void RegisterModels(CLI::App& app, Globals& g, int& exit_code);
void RegisterEval(CLI::App& app, Globals& g, int& exit_code);
void RegisterDemo(CLI::App& app, Globals& g, int& exit_code);
void RegisterServe(CLI::App& app, Globals& g, int& exit_code);
void RegisterUser(CLI::App& app, Globals& g, int& exit_code);
void RegisterReports(CLI::App& app, Globals& g, int& exit_code);
// resolve (entity resolution review) and graph (relationship graph), cmd_graph.cc.
void RegisterGraph(CLI::App& app, Globals& g, int& exit_code);
// draw: 双随机一公开 random inspection draws, cmd_draws.cc.
void RegisterDraws(CLI::App& app, Globals& g, int& exit_code);
// hotline: 12345 督查督办 board, orders, notices and metrics, cmd_hotline.cc.
void RegisterHotline(CLI::App& app, Globals& g, int& exit_code);
// enforcement: 执法公示 and 全过程记录, cmd_enforcement.cc.
void RegisterEnforcement(CLI::App& app, Globals& g, int& exit_code);
// party: 三会一课 branch registry, meetings, calendars, warnings, cmd_party.cc.
void RegisterParty(CLI::App& app, Globals& g, int& exit_code);
// duties: 一岗双责 responsibility items, checks, warnings, assessment, cmd_duties.cc.
void RegisterDuties(CLI::App& app, Globals& g, int& exit_code);

// Serves the store named by the globals until SIGINT/SIGTERM; the exit code.
// `web_dir` empty: the UI beside the binary. Used by `serve` and `demo`.
int Serve(const Globals& g, const std::string& host, uint16_t port, const std::string& web_dir,
          int threads);

}  // namespace qf::cli
