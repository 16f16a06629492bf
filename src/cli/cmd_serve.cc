// qingfeng serve: the JSON API and the web UI from one process; and
// qingfeng user: accounts (the first admin is created here — there is no
// default password anywhere).
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "cli/commands.h"
#include "cli/output.h"
#include "common/log.h"
#include "engine/runner.h"
#include "ledger/ledger.h"
#include "server/api.h"
#include "server/auth.h"
#include "server/http.h"
#include "store/schema.h"

namespace qf::cli {

namespace fs = std::filesystem;

namespace {

// The web UI next to the binary (build/web), unless $QINGFENG_WEB names another.
std::string DefaultWebDir() {
  if (const char* w = std::getenv("QINGFENG_WEB")) return w;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? "web" : (exe.parent_path() / "web").string();
}

}  // namespace

int Serve(const Globals& g, const std::string& host, uint16_t port, const std::string& web_dir,
          int threads) {
  std::string db_path = ResolveDbPath(g.db_flag);
  auto config = server::LoadServerConfig(db_path, engine::SettingsPathFor(db_path));
  if (!config.ok()) return g.Fail(config.status());
  config->web_dir = web_dir.empty() ? DefaultWebDir() : web_dir;
  auto api = server::Api::Create(*config);
  if (!api.ok()) return g.Fail(api.status());
  server::Api* a = api->get();
  server::HttpOptions options;
  options.host = host;
  options.port = port;
  options.io_threads = std::max(1, std::min(threads, 4));
  options.worker_threads = std::max(4, threads * 4);
  options.body_limit = [a](std::string_view m, std::string_view p) { return a->BodyLimit(m, p); };
  options.body_file_dir = [a](std::string_view m, std::string_view p) { return a->SpoolDir(m, p); };
  server::HttpServer http(options, [a](server::Request& r) { return a->Handle(r); });
  if (Status s = http.Listen(); !s.ok()) return g.Fail(s);
  // The ledger is checkpointed when serving starts, hourly, and at shutdown.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  auto checkpoint = [&db_path]() {
    auto db = Db::Open(db_path);
    if (!db.ok()) return;
    auto note = ledger::CheckpointNow(db->get(), db_path);
    if (!note.ok()) spdlog::warn("checkpoint failed: {}", note.status().ToString());
  };
  checkpoint();
  std::thread hourly([&] {
    std::unique_lock lock(mu);
    while (!cv.wait_for(lock, std::chrono::hours(1), [&] { return stopping; })) {
      lock.unlock();
      checkpoint();
      lock.lock();
    }
  });
  std::cout << (g.zh() ? "清风服务已启动：" : "qingfeng is serving at ") << "http://" << host << ":"
            << http.port() << "/" << (g.zh() ? "（Ctrl-C 停止）" : " (Ctrl-C stops)") << std::endl;
  http.Run();
  {
    std::lock_guard lock(mu);
    stopping = true;
  }
  cv.notify_all();
  hourly.join();
  checkpoint();
  std::cout << (g.zh() ? "清风服务已停止" : "qingfeng stopped") << std::endl;
  return 0;
}

void RegisterServe(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand("serve", "启动服务 Serve the JSON API and the web UI");
  auto host = std::make_shared<std::string>("127.0.0.1");
  auto port = std::make_shared<uint16_t>(8080);
  auto web = std::make_shared<std::string>();
  auto threads = std::make_shared<int>(static_cast<int>(std::thread::hardware_concurrency()));
  cmd->add_option("--host", *host, "监听地址 address to listen on");
  cmd->add_option("--port", *port, "端口 port (0: any free port)");
  cmd->add_option("--web", *web, "网页界面目录 web UI directory (default: beside the binary)");
  cmd->add_option("--threads", *threads, "I/O 线程数 I/O threads")->check(CLI::Range(1, 64));
  cmd->callback([&g, &exit_code, host, port, web, threads]() {
    exit_code = Serve(g, *host, *port, *web, *threads);
  });
}

namespace {

// Reads a password without echo from the terminal, or a line from stdin.
std::string ReadPassword(const char* prompt) {
  bool tty = isatty(STDIN_FILENO) != 0;
  termios old{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Result<server::AuthParams> AuthParamsFor(const Store* store) {
  QF_ASSIGN_OR_RETURN(
      server::ServerConfig c,
      server::LoadServerConfig(store->db_path(), engine::SettingsPathFor(store->db_path())));
  return c.auth;
}

Status Record(Store* store, const std::string& action, const std::string& target,
              const nlohmann::json& details) {
  return ledger::RecordAction(store->db(), {Globals::Actor(), action, target, details.dump()})
      .status();
}

}  // namespace

void RegisterUser(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand("user", "用户管理 Accounts: add, list, passwd, unlock, disable");
  cmd->require_subcommand(1);

  auto* add = cmd->add_subcommand("add", "新建用户 Create an account (asks for its password)");
  auto u = std::make_shared<server::NewUser>();
  add->add_option("name", u->name, "登录名 login name")->required();
  add->add_option("--role", u->role, "角色 admin | leader | analyst | handler | auditor")
      ->required();
  add->add_option("--display-name", u->display_name, "姓名 display name");
  add->add_option("--region", u->regions, "可见区划 region codes in scope (repeatable)");
  add->add_option("--org", u->orgs, "可见单位 organisations in scope (repeatable)");
  add->callback([&g, &exit_code, u]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_RETURN_IF_ERROR(server::ValidateNewUser(*u));
      QF_ASSIGN_OR_RETURN(server::AuthParams params, AuthParamsFor(store));
      std::string pw = ReadPassword(g.zh() ? "密码：" : "password: ");
      QF_RETURN_IF_ERROR(server::ValidatePassword(u->name, pw, params));
      if (isatty(STDIN_FILENO) && ReadPassword(g.zh() ? "再输一次：" : "again: ") != pw) {
        return Status::InvalidInput("the passwords differ", "两次输入的密码不一致");
      }
      QF_RETURN_IF_ERROR(server::CreateUser(store->db(), *u, pw, params));
      QF_RETURN_IF_ERROR(Record(store, "user_add", "user:" + u->name,
                                {{"role", u->role}, {"regions", u->regions}, {"orgs", u->orgs}}));
      std::cout << (g.zh() ? "已创建用户 " : "created user ") << u->name << " (" << u->role
                << ")\n";
      return Status::OK();
    });
  });

  auto* list = cmd->add_subcommand("list", "列出用户 List accounts");
  list->callback([&g, &exit_code]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(auto users, server::ListUsers(store->db(), server::NowUnix()));
      Table t;
      t.keys = {"name", "display_name", "role", "regions", "orgs", "state"};
      t.headers = {"登录名", "姓名", "角色", "区划", "单位", "状态"};
      for (const auto& x : users) {
        std::string regions, orgs;
        for (const auto& r : x.regions) regions += (regions.empty() ? "" : ",") + r;
        for (const auto& o : x.orgs) orgs += (orgs.empty() ? "" : ",") + o;
        t.rows.push_back({x.name, x.display_name, x.role, regions, orgs,
                          x.disabled ? "disabled"
                          : x.locked ? "locked"
                                     : "active"});
      }
      Print(t, Format::kTable);
      return Status::OK();
    });
  });

  auto* passwd = cmd->add_subcommand("passwd", "重设密码 Set an account's password");
  auto pname = std::make_shared<std::string>();
  passwd->add_option("name", *pname, "登录名 login name")->required();
  passwd->callback([&g, &exit_code, pname]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(server::AuthParams params, AuthParamsFor(store));
      if (!server::UserExists(store->db(), *pname)) {
        return Status::InvalidInput("no user " + *pname, "没有用户 " + *pname);
      }
      std::string pw = ReadPassword(g.zh() ? "新密码：" : "new password: ");
      QF_RETURN_IF_ERROR(server::SetPassword(store->db(), *pname, pw, params));
      QF_RETURN_IF_ERROR(Record(store, "user_passwd", "user:" + *pname, nlohmann::json::object()));
      std::cout << (g.zh() ? "密码已更新，原有会话已失效\n" : "password set; old sessions ended\n");
      return Status::OK();
    });
  });

  for (const char* what : {"unlock", "disable", "enable"}) {
    auto* sub = cmd->add_subcommand(what, std::string(what) == "unlock"    ? "解除锁定 Unlock"
                                          : std::string(what) == "disable" ? "停用 Disable"
                                                                           : "启用 Enable");
    auto name = std::make_shared<std::string>();
    sub->add_option("name", *name, "登录名 login name")->required();
    std::string action = what;
    sub->callback([&g, &exit_code, name, action]() {
      g.WithStore(exit_code, [&](Store* store) -> Status {
        server::UserChange ch;
        if (action == "unlock") {
          ch.unlock = true;
        } else {
          ch.set_disabled = true;
          ch.disabled = action == "disable";
        }
        Status s = server::UpdateUser(store->db(), *name, ch);
        if (s.code() == Status::Code::kNotFound) {
          return Status::InvalidInput("no user " + *name, "没有用户 " + *name);
        }
        QF_RETURN_IF_ERROR(s);
        QF_RETURN_IF_ERROR(
            Record(store, "user_" + action, "user:" + *name, nlohmann::json::object()));
        std::cout << "ok\n";
        return Status::OK();
      });
    });
  }
}

}  // namespace qf::cli
