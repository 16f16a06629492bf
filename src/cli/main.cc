// qingfeng (清风): the command-line entry point. Global options, then one
// subcommand; see `qingfeng --help`.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "common/hash.h"
#include "common/log.h"
#include "engine/runner.h"
#include "ingest/value.h"
#include "server/api.h"

namespace qf::cli {

Result<std::unique_ptr<Store>> Globals::OpenStore() const {
  return Store::Open(ResolveDbPath(db_flag));
}

Result<const DatasetDef*> DatasetArg(const std::string& name) {
  if (const DatasetDef* def = FindDataset(name)) return def;
  return Status::InvalidInput("unknown dataset '" + name + "'; known: " + KnownDatasetNames(),
                              "未知的数据集“" + name + "”；可用：" + KnownDatasetNames());
}

std::string Globals::Actor() {
  const char* user = std::getenv("USER");
  if (user == nullptr || *user == '\0') user = std::getenv("LOGNAME");
  return std::string("os:") + (user != nullptr && *user != '\0' ? user : "unknown");
}

int Globals::Fail(const Status& s) const {
  std::cerr << (zh() ? "错误：" : "error: ") << s.Message(zh()) << std::endl;
  return s.code() == Status::Code::kInvalidArgument || s.code() == Status::Code::kNotFound
             ? kExitInput
             : kExitInternal;
}

Result<CivilDate> AsOfArg(Store* store, const std::string& text) {
  if (!text.empty()) {
    auto d = ParseDate(text);
    if (!d) {
      return Status::InvalidInput("--as-of must be a date YYYY-MM-DD, not " + text,
                                  "--as-of 应为日期 YYYY-MM-DD，而不是 " + text);
    }
    return *d;
  }
  QF_ASSIGN_OR_RETURN(std::string replay, ReplayAsOf(store));
  if (auto d = ParseDate(replay)) return *d;
  return TodayShanghai();
}

Result<std::string> ReplayAsOf(Store* store) {
  QF_ASSIGN_OR_RETURN(
      server::ServerConfig config,
      server::LoadServerConfig(store->db_path(), engine::SettingsPathFor(store->db_path())));
  return config.as_of;
}

std::string CliWorkDir(Store* store, const std::string& what) {
  return store->db_path() + ".uploads/" + what + "-" + std::to_string(::getpid());
}

}  // namespace qf::cli

int main(int argc, char** argv) {
  qf::InitCrypto();
  qf::InitLogging();
  qf::cli::Globals g;
  if (const char* lang = std::getenv("QINGFENG_LANG")) g.lang = lang;
  CLI::App app{"qingfeng 清风 — 纪检监察大数据监督平台 / integrity-supervision platform"};
  app.set_version_flag("--version", "qingfeng 0.1.0");
  app.option_defaults()->always_capture_default();
  app.add_option("--db", g.db_flag,
                 "数据库文件 database file (default: $QINGFENG_DB or ./qingfeng.db)");
  app.add_option("--lang", g.lang, "输出语言 output language: zh | en (or $QINGFENG_LANG)")
      ->check(CLI::IsMember({"zh", "en"}));
  app.require_subcommand(1);
  int exit_code = 0;
  qf::cli::RegisterImport(app, g, exit_code);
  qf::cli::RegisterDatasets(app, g, exit_code);
  qf::cli::RegisterQuarantine(app, g, exit_code);
  qf::cli::RegisterImports(app, g, exit_code);
  qf::cli::RegisterHistory(app, g, exit_code);
  qf::cli::RegisterDescribe(app, g, exit_code);
  qf::cli::RegisterLedger(app, g, exit_code);
  qf::cli::RegisterSynth(app, g, exit_code);
  qf::cli::RegisterScan(app, g, exit_code);
  qf::cli::RegisterLeads(app, g, exit_code);
  qf::cli::RegisterModels(app, g, exit_code);
  qf::cli::RegisterEval(app, g, exit_code);
  qf::cli::RegisterDemo(app, g, exit_code);
  qf::cli::RegisterServe(app, g, exit_code);
  qf::cli::RegisterUser(app, g, exit_code);
  qf::cli::RegisterReports(app, g, exit_code);
  qf::cli::RegisterGraph(app, g, exit_code);
  qf::cli::RegisterDraws(app, g, exit_code);
  qf::cli::RegisterHotline(app, g, exit_code);
  qf::cli::RegisterEnforcement(app, g, exit_code);
  qf::cli::RegisterParty(app, g, exit_code);
  qf::cli::RegisterDuties(app, g, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const std::exception& e) {
    // The boundary: a library exception never escapes as a crash.
    std::cerr << (g.zh() ? "内部错误：" : "internal error: ") << e.what() << std::endl;
    return qf::cli::kExitInternal;
  }
  return exit_code;
}
