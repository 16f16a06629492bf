// qingfeng demo: a working demo city on an empty database — synthesise,
// import, scan, and show what was found. The main job of `make run`.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/commands.h"
#include "cli/output.h"
#include "common/text.h"
#include "common/time.h"
#include "engine/eval.h"
#include "engine/runner.h"
#include "ingest/importer.h"
#include "leads/duties.h"
#include "leads/hotline.h"
#include "leads/lead_store.h"
#include "leads/party.h"
#include "leads/scan.h"
#include "server/auth.h"
#include "synth/synth.h"
#include "synth/world.h"

namespace qf::cli {

namespace fs = std::filesystem;

namespace {

// One account per role, each with a fresh random password shown once (and kept
// beside the database, readable by its owner only): nothing to configure, and
// no default password anywhere.
Status CreateDemoAccounts(const Globals& g, Store* store) {
  Db* db = store->db();
  // The handler clerk works for the organisation with the most leads in 细河区.
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT org FROM leads WHERE region_code = '210911' AND "
                                          "org IS NOT NULL GROUP BY org ORDER BY COUNT(*) DESC "
                                          "LIMIT 1"));
  QF_ASSIGN_OR_RETURN(bool row, q.Step());
  std::string handler_org = row ? q.Text(0) : "";
  struct Account {
    server::NewUser user;
    const char* zh;
  };
  std::vector<Account> accounts = {
      {{"admin", "系统管理员", "admin", {}, {}}, "系统管理员，全市"},
      {{"leader", "王书记", "leader", {}, {}}, "分管领导，全市"},
      {{"analyst", "李分析", "analyst", {}, {}}, "监督分析员，全市"},
      {{"xihe", "赵细河", "analyst", {"210911"}, {}}, "监督分析员，仅细河区"},
      {{"auditor", "钱审计", "auditor", {}, {}}, "审计员，只读"},
  };
  if (!handler_org.empty()) {
    accounts.push_back({{"clerk", "孙联络", "handler", {"210911"}, {handler_org}}, "承办人，仅"});
  }
  server::AuthParams params;
  Table t;
  t.keys = {"name", "password", "role"};
  t.headers = g.zh() ? std::vector<std::string>{"登录名", "密码", "角色与范围"}
                     : std::vector<std::string>{"login", "password", "role and scope"};
  std::string file = store->db_path() + ".accounts.txt";
  std::string text = "# qingfeng demo accounts (" + store->db_path() + ")\n";
  for (const Account& a : accounts) {
    std::string pw = server::RandomToken().substr(0, 16);
    QF_RETURN_IF_ERROR(server::CreateUser(db, a.user, pw, params));
    std::string scope = std::string(a.zh) + (a.user.role == "handler" ? handler_org : "");
    t.rows.push_back({a.user.name, pw, scope});
    text += a.user.name + "\t" + pw + "\t" + scope + "\n";
  }
  // Created readable by its owner only, so the passwords are never exposed.
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || ::fchmod(fd, 0600) != 0 ||
      ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    if (fd >= 0) ::close(fd);
    return Status::IOError("cannot write " + file);
  }
  ::close(fd);
  std::cout << (g.zh() ? "\n演示账号（密码随机生成，另存于 "
                       : "\nDemo accounts (random passwords, also in ")
            << file << (g.zh() ? "）：\n" : "):\n");
  Print(t, Format::kTable);
  return Status::OK();
}

// Sets server.as_of in the settings file, keeping whatever else it holds.
Status SetDemoAsOf(const std::string& settings_path, const std::string& day) {
  nlohmann::json j = nlohmann::json::object();
  if (std::ifstream in(settings_path); in) {
    j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      return Status::InvalidInput(settings_path + " is not a JSON object",
                                  settings_path + " 不是 JSON 对象");
    }
  }
  j["server"]["as_of"] = day;
  std::ofstream out(settings_path, std::ios::trunc);
  out << j.dump(2) << "\n";
  out.close();
  if (!out) return Status::IOError("cannot write " + settings_path);
  return Status::OK();
}

}  // namespace

void RegisterDemo(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "demo", "演示城市 On an empty database: synthesise a city, import it, scan it");
  auto scale = std::make_shared<double>(1.0);
  auto seed = std::make_shared<uint64_t>(1);
  cmd->add_option("--scale", *scale, "规模 scale (1 ≈ one district)")
      ->check(CLI::Range(0.05, 100.0));
  cmd->add_option("--seed", *seed, "随机种子 seed");
  auto no_serve = std::make_shared<bool>(false);
  auto host = std::make_shared<std::string>("127.0.0.1");
  auto port = std::make_shared<uint16_t>(8080);
  cmd->add_flag("--no-serve", *no_serve, "只准备数据，不启动服务 prepare the data, do not serve");
  cmd->add_option("--host", *host, "监听地址 address to listen on");
  cmd->add_option("--port", *port, "端口 port");
  cmd->callback([&g, &exit_code, scale, seed, no_serve, host, port]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      Db* db = store->db();
      QF_ASSIGN_OR_RETURN(int64_t imports, db->QueryInt("SELECT COUNT(*) FROM imports"));
      if (imports > 0) {
        return Status::InvalidInput(
            store->db_path() +
                " already holds data; the demo needs an empty database "
                "(use --db with a new file)",
            store->db_path() + " 已有数据；演示需要一个空数据库（请用 --db 指定新文件）");
      }
      const std::string city = store->db_path() + ".city";
      std::error_code ec;
      fs::remove_all(city, ec);
      fs::create_directories(city, ec);
      if (ec) return Status::IOError("cannot create " + city + ": " + ec.message());
      std::cout << (g.zh() ? "1/3 生成演示城市 → " : "1/3 synthesising the city → ") << city
                << "\n";
      synth::SynthOptions o;
      o.out_dir = city;
      o.scale = *scale;
      o.seed = *seed;
      QF_ASSIGN_OR_RETURN(synth::SynthReport sr, synth::GenerateCity(o));
      (void)sr;
      std::cout << (g.zh() ? "2/3 导入" : "2/3 importing") << "\n";
      Importer imp(store);
      int64_t rows = 0, quarantined = 0;
      for (const DatasetDef& def : AllDatasets()) {
        for (const char* ext : {".csv", ".xlsx"}) {
          std::string path = city + "/" + def.name + ext;
          if (!fs::exists(path)) continue;
          Progress progress(def.name, g.zh());
          ImportOptions io;
          io.progress = [&](int64_t n, double f) { progress.Update(n, f); };
          QF_ASSIGN_OR_RETURN(auto reports, imp.ImportFile(def.name, path, io));
          progress.Finish();
          for (const ImportReport& r : reports) {
            rows += r.accepted;
            quarantined += r.quarantined;
          }
        }
      }
      std::cout << "    " << GroupThousands(rows) << (g.zh() ? " 行，隔离 " : " rows, quarantined ")
                << quarantined << "\n";
      // The city's data ends with kLastYear: the supervision boards judge it as
      // of that day, not of today, or every open item would be years overdue.
      const CivilDate last_day{synth::kLastYear, 12, 31};
      QF_RETURN_IF_ERROR(
          SetDemoAsOf(engine::SettingsPathFor(store->db_path()), FormatDate(last_day)));
      // The supervision routines as an office would have left them that day:
      // branches registered from their meetings, 催办/督办 issued, leaders'
      // responsibility items assigned and partly done.
      QF_RETURN_IF_ERROR(leads::ImportBranches(db, Globals::Actor()).status());
      QF_ASSIGN_OR_RETURN(models::ClockLimits limits,
                          leads::HotlineLimits(engine::SettingsPathFor(store->db_path())));
      QF_RETURN_IF_ERROR(leads::SeedDemoOrders(store, last_day, limits,
                                               store->db_path() + ".uploads", Globals::Actor())
                             .status());
      QF_RETURN_IF_ERROR(
          leads::Sweep(db, last_day, limits, Globals::Actor(), FormatDate(last_day)).status());
      QF_RETURN_IF_ERROR(leads::SeedDemoItems(store, Globals::Actor(), last_day));
      std::cout << (g.zh() ? "3/3 运行监督模型" : "3/3 running the models") << "\n";
      leads::ScanOptions so;
      so.actor = Globals::Actor();
      QF_ASSIGN_OR_RETURN(leads::ScanReport scan, leads::Scan(store, so));
      size_t failed = 0;
      for (const auto& m : scan.models) {
        if (!m.status.ok()) {
          ++failed;
          std::cerr << m.model << ": " << m.status.Message(g.zh()) << "\n";
        }
      }
      leads::LeadFilter f;
      f.limit = 15;
      f.with_evidence = false;
      QF_ASSIGN_OR_RETURN(auto top, leads::ListLeads(db, f));
      QF_ASSIGN_OR_RETURN(int64_t total,
                          db->QueryInt("SELECT COUNT(*) FROM leads WHERE detection='active'"));
      Table t;
      t.keys = {"id", "score", "family", "summary"};
      t.headers = g.zh() ? std::vector<std::string>{"线索编号", "分值", "类别", "摘要"}
                         : std::vector<std::string>{"lead", "score", "family", "summary"};
      t.numeric = {false, true, false, false};
      for (const auto& l : top) {
        t.rows.push_back({leads::LeadCode(l.id), std::to_string(l.score), l.family,
                          ClipForMessage(l.summary, 70)});
      }
      std::cout << "\n";
      Print(t, Format::kTable);
      std::cout << (g.zh() ? "\n共 " : "\n") << total
                << (g.zh() ? " 条问题线索（上表为分值最高的 15 条）。\n"
                             "下一步：qingfeng --db " +
                                 store->db_path() + " leads | lead L000001 | eval --truth " + city +
                                 "/truth.jsonl\n"
                           : " leads (the 15 highest above).\nNext: qingfeng --db " +
                                 store->db_path() + " leads | lead L000001 | eval --truth " + city +
                                 "/truth.jsonl\n");
      if (failed) {
        return Status::Internal(std::to_string(failed) + " model(s) failed");
      }
      return CreateDemoAccounts(g, store);
    });
    if (exit_code == 0 && !*no_serve) {
      exit_code = Serve(g, *host, *port, "", static_cast<int>(std::thread::hardware_concurrency()));
    }
  });
}

}  // namespace qf::cli
