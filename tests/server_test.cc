// The server over real HTTP on loopback: every endpoint, the authorization
// matrix (role × endpoint × in-scope/out-of-scope data), sessions, CSRF,
// lockout, the lead workflow, bad input, exports and graceful shutdown.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "leads/scan.h"
#include "model_test_util.h"
#include "server/api.h"
#include "server/auth.h"
#include "server/http.h"
#include "store/schema.h"
#include "test_server.h"
#include "test_util.h"
#include "workflow_test_util.h"

namespace qf::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kPassword = "test-password-42";

bool Row(Stmt& q) {
  auto r = q.Step();
  return r.ok() && r.value();
}

// The shared city, scanned, with one account per role; built once per test
// binary and copied for each test (tests write).
std::string TemplateDb() {
  static std::string path = [] {
    City& city = SharedCity();
    std::string p = city.dir + "/server.db";
    int lock = ::open((city.dir + "/server.lock").c_str(), O_CREAT | O_RDWR, 0644);
    if (lock >= 0) ::flock(lock, LOCK_EX);
    if (!fs::exists(city.dir + "/server.ready")) {
      fs::remove(p);
      EXPECT_TRUE(city.store->db()->Exec("VACUUM INTO '" + p + "'").ok());
      // The office's ledger key goes with its database (checkpoints are signed by it).
      fs::copy_file(city.store->db_path() + ".ledger.key", p + ".ledger.key",
                    fs::copy_options::overwrite_existing);
      auto store = Store::Open(p);
      EXPECT_TRUE(store.ok());
      auto scan = leads::Scan(store->get(), {});
      EXPECT_TRUE(scan.ok()) << scan.status().ToString();
      Db* db = (*store)->db();
      // The handler works for the organisation with the most 细河区 leads.
      auto org = db->Prepare(
          "SELECT org FROM leads WHERE region_code='210911' AND org IS NOT "
          "NULL GROUP BY org ORDER BY COUNT(*) DESC LIMIT 1");
      EXPECT_TRUE(org.ok() && Row(*org));
      std::string handler_org = org->Text(0);
      std::vector<server::NewUser> users = {
          {"admin", "管理员", "admin", {}, {}},
          {"leader", "领导", "leader", {}, {}},
          {"analyst", "分析员", "analyst", {}, {}},
          {"xihe", "细河分析员", "analyst", {"210911"}, {}},
          {"clerk", "承办人", "handler", {"210911"}, {handler_org}},
          {"auditor", "审计员", "auditor", {}, {}},
          {"city", "市级领导", "leader", {"210900"}, {}},
      };
      EXPECT_TRUE(CreateUsers(db, users, kPassword));
      store->reset();
      std::ofstream(city.dir + "/server.ready") << "ok\n";
    }
    if (lock >= 0) {
      ::flock(lock, LOCK_UN);
      ::close(lock);
    }
    return p;
  }();
  return path;
}

// A server on a free loopback port over a private copy of the template.
class Server {
 public:
  explicit Server(std::function<void(server::ServerConfig&)> tune = nullptr) {
    db_ = dir_.File("s.db");
    fs::copy_file(TemplateDb(), db_);
    fs::copy_file(TemplateDb() + ".ledger.key", db_ + ".ledger.key");
    server_ = std::make_unique<ApiServer>(db_, dir_.File("none.json"), tune);
  }
  uint16_t port() const { return server_->port(); }
  HttpClient Client() const { return server_->Client(); }
  HttpClient As(const std::string& user) const { return server_->As(user, kPassword); }
  const std::string& db() const { return db_; }
  std::unique_ptr<Db> Open() const { return std::move(Db::Open(db_)).value(); }
  server::Api* api() { return server_->api(); }

 private:
  ScratchDir dir_;
  std::string db_;
  std::unique_ptr<ApiServer> server_;
};

// A lead id of the given region ("" = any) and status.
std::string LeadIn(Db* db, const std::string& region, const std::string& extra = "1") {
  auto q = db->Prepare(
      "SELECT id FROM leads WHERE (region_code = ?1 OR ?1 = '') AND status = "
      "'pending' AND " +
      extra + " ORDER BY id LIMIT 1");
  EXPECT_TRUE(q.ok());
  q->BindText(1, region);
  auto row = q->Step();
  EXPECT_TRUE(row.ok() && *row) << "no lead in " << region;
  return leads::LeadCode(q->Int(0));
}

std::string HandlerOrg(Db* db) {
  auto q = db->Prepare("SELECT orgs FROM users WHERE name = 'clerk'");
  EXPECT_TRUE(q.ok() && Row(*q));
  return json::parse(q->Text(0))[0].get<std::string>();
}

TEST(Server, HealthRoutesAndSignIn) {
  Server s;
  HttpClient c = s.Client();
  EXPECT_EQ(c.Get("/api/health").status, 200);
  EXPECT_EQ(c.Get("/api/leads").status, 401);
  EXPECT_EQ(c.Get("/api/nothing-here").status, 404);
  EXPECT_EQ(c.Send("DELETE", "/api/leads").status, 405);
  HttpResult page = c.Get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("清风"), std::string::npos);
  HttpResult login = c.Login("analyst", kPassword);
  ASSERT_EQ(login.status, 200) << login.body;
  std::string cookie = login.Header("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  HttpResult me = c.Get("/api/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.Json()["user"]["role"], "analyst");
  EXPECT_EQ(c.Get("/api/meta").Json()["routes"].size(), 4u);
  EXPECT_EQ(c.Post("/api/logout", json::object()).status, 200);
  EXPECT_EQ(c.Get("/api/me").status, 401);
  auto db = s.Open();
  EXPECT_GE(Q(db.get(),
              "SELECT COUNT(*) FROM ledger_actions WHERE action='login' AND "
              "actor='user:analyst'"),
            1);
}

TEST(Server, LockoutAfterRepeatedFailures) {
  Server s([](server::ServerConfig& c) {
    c.auth.lockout_after = 3;
    c.auth.lockout_seconds = 2;
  });
  HttpClient c = s.Client();
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.Login("leader", "wrong-password-x").status, 401);
  // Each failure is answered late (10, 20, 30 ms here): 60 ms at least.
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(60));
  HttpResult locked = c.Login("leader", kPassword);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(c.Login("nobody-at-all", kPassword).status, 401);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(c.Login("leader", kPassword).status, 200);
  auto db = s.Open();
  EXPECT_EQ(Q(db.get(), "SELECT COUNT(*) FROM ledger_actions WHERE action='login_locked'"), 1);
}

TEST(Server, SessionExpiresWhenIdle) {
  Server s([](server::ServerConfig& c) { c.auth.session_idle_seconds = 1; });
  HttpClient c = s.As("auditor");
  EXPECT_EQ(c.Get("/api/me").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(c.Get("/api/me").status, 401);
}

TEST(Server, WritesNeedTheCsrfToken) {
  Server s;
  auto db = s.Open();
  std::string lead = LeadIn(db.get(), "");
  HttpClient c = s.As("analyst");
  json comment = {{"action", "comment"}, {"text", "请核实"}};
  c.set_csrf("");
  EXPECT_EQ(c.Post("/api/leads/" + lead + "/actions", comment).status, 403);
  c.set_csrf(std::string(64, 'a'));
  EXPECT_EQ(c.Post("/api/leads/" + lead + "/actions", comment).status, 403);
  EXPECT_EQ(Q(db.get(), "SELECT COUNT(*) FROM lead_comments"), 0);
  HttpClient good = s.As("analyst");
  EXPECT_EQ(good.Post("/api/leads/" + lead + "/actions", comment).status, 200);
  EXPECT_EQ(Q(db.get(), "SELECT COUNT(*) FROM lead_comments"), 1);
}

// Every role on every endpoint, with a lead inside and one outside 细河区.
TEST(Server, AuthorizationMatrix) {
  Server s;
  auto db = s.Open();
  std::string org = HandlerOrg(db.get());
  std::string in = LeadIn(db.get(), "210911", "org = '" + org + "'");
  std::string out = LeadIn(db.get(), "210902");
  struct Endpoint {
    std::string method, target;
    json body;
    const char* right;  // needed right
    bool lead_scoped;   // "{lead}" is replaced by the lead
  };
  std::vector<Endpoint> endpoints = {
      {"GET", "/api/leads/{lead}", nullptr, "read", true},
      {"GET", "/api/leads/{lead}/report", nullptr, "export", true},
      {"GET", "/api/leads/{lead}/dossier.xlsx", nullptr, "export", true},
      {"POST",
       "/api/leads/{lead}/actions",
       {{"action", "comment"}, {"text", "意见"}},
       "comment",
       true},
      {"POST",
       "/api/leads/{lead}/actions",
       {{"action", "verdict"}, {"verdict", "confirmed"}},
       "verdict",
       true},
      {"POST",
       "/api/leads/{lead}/actions",
       {{"action", "assign"}, {"assignee", "clerk"}},
       "assign",
       true},
      {"POST",
       "/api/leads/bulk",
       {{"ids", {"{lead}"}}, {"action", "comment"}, {"text", "批量"}},
       "comment",
       true},
      {"GET", "/api/leads", nullptr, "read", false},
      {"GET", "/api/dashboard", nullptr, "read", false},
      {"GET", "/api/models", nullptr, "read", false},
      {"GET", "/api/export/leads.xlsx", nullptr, "export", false},
      {"GET", "/api/users", nullptr, "users", false},
      {"GET", "/api/ledger", nullptr, "ledger", false},
      {"GET", "/api/ledger/actions", nullptr, "ledger", false},
      {"GET", "/api/ledger/checkpoints", nullptr, "ledger", false},
  };
  for (const char* user : {"admin", "leader", "analyst", "xihe", "clerk", "auditor"}) {
    HttpClient c = s.As(user);
    json me = c.Get("/api/me").Json()["user"];
    std::set<std::string> rights(me["rights"].begin(), me["rights"].end());
    bool scoped = !me["regions"].empty() || !me["orgs"].empty();
    for (const Endpoint& e : endpoints) {
      for (const std::string& lead : {in, out}) {
        if (!e.lead_scoped && lead == out) continue;
        std::string target = std::regex_replace(e.target, std::regex("\\{lead\\}"), lead);
        std::string body = e.body.is_null()
                               ? ""
                               : std::regex_replace(e.body.dump(), std::regex("\\{lead\\}"), lead);
        HttpResult r = c.Send(e.method, target, body, body.empty() ? "" : "application/json");
        bool allowed = rights.count(e.right) && !(e.lead_scoped && scoped && lead == out);
        SCOPED_TRACE(std::string(user) + " " + e.method + " " + target + " " + body);
        if (allowed) {
          EXPECT_GE(r.status, 200);
          EXPECT_LT(r.status, 300) << r.body;
        } else {
          EXPECT_EQ(r.status, 403) << r.body;
          // A refusal says nothing about the data.
          EXPECT_EQ(
              r.Json(),
              json({{"error", "forbidden"}, {"message", "无权访问"}, {"message_en", "forbidden"}}));
        }
      }
    }
  }
}

TEST(Server, ScopedUsersSeeOnlyTheirRegion) {
  Server s;
  auto db = s.Open();
  HttpClient xihe = s.As("xihe");
  json page = xihe.Get("/api/leads?page_size=500&status=" + std::string("pending")).Json();
  int64_t expected = Q(db.get(),
                       "SELECT COUNT(*) FROM leads WHERE region_code = '210911' AND "
                       "status = 'pending'");
  ASSERT_GT(expected, 0);
  EXPECT_EQ(page["total"], expected);
  for (const json& l : page["items"]) EXPECT_EQ(l["region_code"], "210911");
  // Counts too stay inside the scope.
  json dash = xihe.Get("/api/dashboard").Json();
  EXPECT_EQ(dash["totals"]["leads"],
            Q(db.get(),
              "SELECT COUNT(*) FROM leads WHERE region_code = '210911' AND status <> "
              "'merged'"));
  EXPECT_EQ(xihe.Get("/api/leads?region=210902").status, 403);
  EXPECT_EQ(xihe.Get("/api/leads/L999999").status, 403);  // as for one out of scope
  // A city-level scope covers its districts.
  HttpClient city = s.As("city");
  EXPECT_EQ(city.Get("/api/leads?page_size=1").Json()["total"],
            Q(db.get(),
              "SELECT COUNT(*) FROM leads WHERE region_code LIKE '2109%' AND status "
              "<> 'merged'"));
  HttpClient admin = s.As("admin");
  EXPECT_EQ(admin.Get("/api/leads/L999999").status, 404);
  // Records follow the same scope.
  auto q = db->Prepare(
      "SELECT id_number, region_code FROM persons WHERE region_code IN "
      "('210911', '210902') GROUP BY region_code");
  ASSERT_TRUE(q.ok());
  while (Row(*q)) {
    HttpResult r = xihe.Get("/api/records/persons?key=" + q->Text(0));
    EXPECT_EQ(r.status, q->Text(1) == "210911" ? 200 : 403) << r.body;
  }
}

TEST(Server, PersonalDataIsMaskedUnlessTheRoleMayAndAsks) {
  Server s;
  auto db = s.Open();
  auto q = db->Prepare(
      "SELECT l.id, e.fields FROM leads l JOIN lead_evidence e ON e.lead_id = "
      "l.id WHERE l.model = 'welfare_after_death' LIMIT 1");
  ASSERT_TRUE(q.ok() && Row(*q));
  std::string lead = leads::LeadCode(q->Int(0));
  std::string clear_fields = q->Text(1);
  q->Reset();  // ends the read, or later counts would see its snapshot
  std::smatch m;
  std::regex id_re("[0-9]{17}[0-9X]");
  ASSERT_TRUE(std::regex_search(clear_fields, m, id_re)) << clear_fields;
  std::string id = m.str();
  HttpClient auditor = s.As("auditor");
  HttpResult masked = auditor.Get("/api/leads/" + lead);
  ASSERT_EQ(masked.status, 200);
  EXPECT_EQ(masked.body.find(id), std::string::npos);
  EXPECT_NE(masked.body.find(id.substr(0, 4) + "**********" + id.substr(14)), std::string::npos)
      << masked.body;
  EXPECT_EQ(auditor.Get("/api/leads/" + lead + "?unmask=1").status, 403);
  HttpClient analyst = s.As("analyst");
  int64_t before = Q(db.get(),
                     "SELECT COUNT(*) FROM ledger_actions WHERE action = "
                     "'view_unmasked'");
  HttpResult clear = analyst.Get("/api/leads/" + lead + "?unmask=1");
  ASSERT_EQ(clear.status, 200);
  EXPECT_NE(clear.body.find(id), std::string::npos);
  EXPECT_EQ(Q(db.get(), "SELECT COUNT(*) FROM ledger_actions WHERE action = 'view_unmasked'"),
            before + 1);
  HttpResult record = auditor.Get("/api/records/persons?key=" + id);
  ASSERT_EQ(record.status, 200) << record.body;
  EXPECT_EQ(record.body.find(id), std::string::npos);
  std::string phone = record.Json()["fields"]["phone"].is_string()
                          ? record.Json()["fields"]["phone"].get<std::string>()
                          : "";
  if (!phone.empty()) {
    EXPECT_NE(phone.find("****"), std::string::npos) << phone;
  }
}

TEST(Server, LeadWorkflowFromProposalToClosure) {
  Server s;
  auto db = s.Open();
  std::string org = HandlerOrg(db.get());
  std::string lead = LeadIn(db.get(), "210911", "org = '" + org + "'");
  std::string path = "/api/leads/" + lead + "/actions";
  HttpClient analyst = s.As("analyst"), leader = s.As("leader"), clerk = s.As("clerk");
  json detail = analyst.Get("/api/leads/" + lead).Json();
  EXPECT_EQ(detail["status"], "pending");
  EXPECT_EQ(detail["deadline"]["kind"], "disposal");
  // Wrong moves are refused with a reason and change nothing.
  HttpResult early = leader.Post(path, {{"action", "approve"}});
  EXPECT_EQ(early.status, 400);
  EXPECT_NE(early.Json()["message"].get<std::string>().find("待处置"), std::string::npos);
  HttpResult bad_route = analyst.Post(path, {{"action", "propose"}, {"route", "nonsense"}});
  EXPECT_EQ(bad_route.status, 400);
  auto listed_status = [&] {
    json items = analyst.Get("/api/leads?q=" + lead).Json()["items"];
    return items.size() == 1 ? items[0]["status"].get<std::string>() : "";
  };
  EXPECT_EQ(listed_status(), "pending");
  ASSERT_EQ(analyst.Post(path, {{"action", "propose"}, {"route", "talk_inquiry"}}).status, 200);
  EXPECT_EQ(listed_status(), "proposed");  // the list's kept rendering follows the row
  EXPECT_EQ(analyst.Post(path, {{"action", "approve"}}).status, 403);  // leaders approve
  HttpResult reject = leader.Post(path, {{"action", "reject"}});
  EXPECT_EQ(reject.status, 400);
  EXPECT_EQ(reject.Json()["message"], "请填写退回理由");
  ASSERT_EQ(leader.Post(path, {{"action", "approve"}}).status, 200);
  detail = analyst.Get("/api/leads/" + lead).Json();
  EXPECT_EQ(detail["status"], "in_progress");
  EXPECT_EQ(detail["deadline"]["kind"], "reply");  // 15 working days for the 函询 answer
  // The clerk records outcomes only once the lead is assigned to them.
  EXPECT_EQ(clerk.Post(path, {{"action", "outcome"}, {"outcome", "form1"}}).status, 403);
  ASSERT_EQ(analyst.Post(path, {{"action", "assign"}, {"assignee", "clerk"}}).status, 200);
  EXPECT_EQ(analyst.Post(path, {{"action", "assign"}, {"assignee", "ghost"}}).status, 400);
  ASSERT_EQ(clerk.Post(path, {{"action", "outcome"}, {"outcome", "form1"}}).status, 200);
  ASSERT_EQ(leader.Post(path, {{"action", "close"}}).status, 200);
  detail = analyst.Get("/api/leads/" + lead).Json();
  EXPECT_EQ(detail["status"], "closed");
  EXPECT_EQ(detail["verdict"], "confirmed");
  std::vector<std::string> actions;
  for (const json& h : detail["history"]) actions.push_back(h["action"]);
  EXPECT_EQ(actions,
            (std::vector<std::string>{"propose", "approve", "assign", "outcome", "close"}));
  json models = analyst.Get("/api/models").Json()["models"];
  std::string model = detail["model"];
  for (const json& m : models) {
    if (m["id"] == model) {
      EXPECT_EQ(m["confirmed"], 1);
    }
  }
  json dash = analyst.Get("/api/dashboard").Json();
  EXPECT_EQ(dash["totals"]["confirmed"], 1);
  // Every step is in the ledger.
  EXPECT_EQ(Q(db.get(), "SELECT COUNT(*) FROM ledger_actions WHERE target = 'lead:" + lead + "'"),
            5);
  // 暂存待查 and reopening.
  std::string other = LeadIn(db.get(), "");
  std::string p2 = "/api/leads/" + other + "/actions";
  ASSERT_EQ(analyst.Post(p2, {{"action", "propose"}, {"route", "hold"}}).status, 200);
  ASSERT_EQ(leader.Post(p2, {{"action", "approve"}}).status, 200);
  EXPECT_EQ(analyst.Get("/api/leads/" + other).Json()["status"], "held");
  ASSERT_EQ(leader.Post(p2, {{"action", "reopen"}, {"text", "发现新情况"}}).status, 200);
  EXPECT_EQ(analyst.Get("/api/leads/" + other).Json()["status"], "pending");
}

TEST(Server, BulkActionsAreAllOrNothing) {
  Server s;
  auto db = s.Open();
  auto q = db->Prepare("SELECT id FROM leads WHERE status = 'pending' ORDER BY id LIMIT 3");
  std::vector<std::string> ids;
  while (Row(*q)) ids.push_back(leads::LeadCode(q->Int(0)));
  ASSERT_EQ(ids.size(), 3u);
  HttpClient analyst = s.As("analyst");
  ASSERT_EQ(analyst
                .Post("/api/leads/" + ids[2] + "/actions",
                      {{"action", "propose"}, {"route", "close_out"}})
                .status,
            200);
  HttpResult r = analyst.Post(
      "/api/leads/bulk", {{"ids", ids}, {"action", "propose"}, {"route", "preliminary_check"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["field"], "ids[2]");
  EXPECT_EQ(analyst.Get("/api/leads/" + ids[0]).Json()["status"], "pending");
  ids.pop_back();
  r = analyst.Post("/api/leads/bulk",
                   {{"ids", ids}, {"action", "propose"}, {"route", "preliminary_check"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(analyst.Get("/api/leads/" + ids[1]).Json()["status"], "proposed");
  // Merging duplicates.
  std::string a = LeadIn(db.get(), ""), b = LeadIn(db.get(), "", "id > " + a.substr(1));
  r = analyst.Post("/api/leads/" + a + "/actions", {{"action", "merge"}, {"into", b}});
  ASSERT_EQ(r.status, 200) << r.body;
  json merged = analyst.Get("/api/leads/" + a).Json();
  EXPECT_EQ(merged["status"], "merged");
  EXPECT_EQ(merged["merged_into"], b);
  EXPECT_EQ(analyst.Get("/api/leads/" + b).Json()["merged_from"], json::array({a}));
  EXPECT_EQ(analyst.Post("/api/leads/" + b + "/actions", {{"action", "merge"}, {"into", a}}).status,
            400);
  EXPECT_EQ(analyst.Post("/api/leads/" + b + "/actions", {{"action", "merge"}, {"into", b}}).status,
            400);
}

TEST(Server, BadInputIsRefusedNamingTheField) {
  Server s([](server::ServerConfig& c) { c.max_body = 4096; });
  auto db = s.Open();
  std::string lead = LeadIn(db.get(), "");
  HttpClient c = s.As("analyst");
  std::string path = "/api/leads/" + lead + "/actions";
  HttpResult r = c.Send("POST", path, "{not json", "application/json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"], "bad_json");
  r = c.Send("POST", path, "[1,2]", "application/json");
  EXPECT_EQ(r.status, 400);
  r = c.Post(path, {{"action", 7}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["field"], "action");
  r = c.Post(path, {{"action", "comment"}, {"text", "x"}, {"colour", "red"}});
  EXPECT_EQ(r.Json()["field"], "colour");
  r = c.Post(path, {{"action", "comment"}, {"text", std::string(5000, 'x')}});
  EXPECT_EQ(r.status, 413);
  r = c.Get("/api/leads?page_size=0");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["field"], "page_size");
  EXPECT_EQ(c.Get("/api/leads?sort=colour").Json()["field"], "sort");
  EXPECT_EQ(c.Get("/api/leads?bogus=1").Json()["field"], "bogus");
  EXPECT_EQ(c.Get("/api/leads/L00x").status, 400);
  r = c.Post("/api/leads/bulk", {{"ids", {lead, 3}}, {"action", "comment"}, {"text", "x"}});
  EXPECT_EQ(r.Json()["field"], "ids[1]");
  EXPECT_EQ(Q(db.get(), "SELECT COUNT(*) FROM lead_comments"), 0);
  HttpClient admin = s.As("admin");
  r = admin.Post("/api/users", {{"name", "weak"}, {"role", "analyst"}, {"password", "short"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["field"], "password");
  r = admin.Post("/api/users", {{"name", "x1"}, {"role", "king"}, {"password", kPassword}});
  EXPECT_EQ(r.Json()["field"], "role");
  r = admin.Post(
      "/api/users",
      {{"name", "x1"}, {"role", "analyst"}, {"password", kPassword}, {"regions", {"2109"}}});
  EXPECT_EQ(r.Json()["field"], "regions");
  EXPECT_EQ(Q(db.get(), "SELECT COUNT(*) FROM users WHERE name IN ('weak', 'x1')"), 0);
}

TEST(Server, AttachmentsAreKeptByContent) {
  Server s([](server::ServerConfig& c) { c.max_upload = 64 * 1024; });
  auto db = s.Open();
  std::string lead = LeadIn(db.get(), "");
  HttpClient c = s.As("analyst");
  std::string bytes = "谈话笔录\n" + std::string(1000, 'z');
  HttpResult up = c.Send(
      "POST", "/api/leads/" + lead + "/attachments?name=" + std::string("%E7%AC%94%E5%BD%95.txt"),
      bytes, "text/plain");
  ASSERT_EQ(up.status, 201) << up.body;
  int64_t id = up.Json()["id"];
  HttpResult down = c.Get("/api/leads/" + lead + "/attachments/" + std::to_string(id));
  ASSERT_EQ(down.status, 200);
  EXPECT_EQ(down.body, bytes);
  EXPECT_NE(down.Header("Content-Disposition").find("UTF-8''%E7%AC%94"), std::string::npos);
  EXPECT_EQ(c.Get("/api/leads/" + lead).Json()["attachments"][0]["sha256"], up.Json()["sha256"]);
  EXPECT_EQ(c.Send("POST", "/api/leads/" + lead + "/attachments?name=big.bin",
                   std::string(65 * 1024, 'b'), "application/octet-stream")
                .status,
            413);
  EXPECT_EQ(
      c.Send("POST", "/api/leads/" + lead + "/attachments?name=e.txt", "", "text/plain").status,
      400);
  EXPECT_EQ(
      c.Send("POST", "/api/leads/" + lead + "/attachments?name=..%2Fx", "x", "text/plain").status,
      400);
  EXPECT_EQ(Q(db.get(), "SELECT COUNT(*) FROM lead_attachments"), 1);
}

TEST(Server, ExportsAndReport) {
  Server s;
  auto db = s.Open();
  std::string lead = LeadIn(db.get(), "");
  HttpClient c = s.As("analyst");
  HttpResult x = c.Get("/api/export/leads.xlsx?family=welfare");
  ASSERT_EQ(x.status, 200);
  EXPECT_EQ(x.body.substr(0, 2), "PK");
  EXPECT_NE(x.Header("Content-Type").find("spreadsheetml"), std::string::npos);
  HttpResult d = c.Get("/api/leads/" + lead + "/dossier.xlsx");
  ASSERT_EQ(d.status, 200);
  EXPECT_EQ(d.body.substr(0, 2), "PK");
  HttpResult report = c.Get("/api/leads/" + lead + "/report");
  ASSERT_EQ(report.status, 200);
  EXPECT_NE(report.body.find(lead), std::string::npos);
  EXPECT_NE(report.body.find("问题线索处置报告"), std::string::npos);
  EXPECT_EQ(Q(db.get(), "SELECT COUNT(*) FROM ledger_actions WHERE action = 'export'"), 3);
}

TEST(Server, AdminManagesAccounts) {
  Server s;
  HttpClient admin = s.As("admin");
  HttpResult r = admin.Post(
      "/api/users",
      {{"name", "newbie"}, {"role", "analyst"}, {"password", kPassword}, {"regions", {"210902"}}});
  ASSERT_EQ(r.status, 201) << r.body;
  HttpClient newbie = s.As("newbie");
  EXPECT_EQ(newbie.Get("/api/me").Json()["user"]["regions"], json::array({"210902"}));
  // A change of role or scope ends the user's sessions.
  ASSERT_EQ(admin.Patch("/api/users/newbie", {{"role", "auditor"}}).status, 200);
  EXPECT_EQ(newbie.Get("/api/me").status, 401);
  EXPECT_EQ(admin.Patch("/api/users/admin", {{"disabled", true}}).status, 400);
  EXPECT_EQ(admin.Patch("/api/users/ghost", {{"role", "auditor"}}).status, 404);
  ASSERT_EQ(admin.Patch("/api/users/newbie", {{"disabled", true}}).status, 200);
  EXPECT_EQ(newbie.Login("newbie", kPassword).status, 401);
  json users = admin.Get("/api/users").Json()["users"];
  EXPECT_EQ(users.size(), 8u);
  EXPECT_EQ(users.dump().find("password"), std::string::npos);
}

TEST(Server, IdleKeepAliveConnectionsDoNotStallOthers) {
  Server s;
  namespace net = boost::asio;
  net::io_context ioc;
  std::vector<std::unique_ptr<net::ip::tcp::socket>> idle;
  for (int i = 0; i < 64; ++i) {
    auto sock = std::make_unique<net::ip::tcp::socket>(ioc);
    sock->connect({net::ip::make_address("127.0.0.1"), s.port()});
    idle.push_back(std::move(sock));
  }
  HttpClient c = s.Client();
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(c.Get("/api/health").status, 200);
  // Generous: a thread-per-connection server would wait seconds here.
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

TEST(Server, ApiDocsListEveryRoute) {
  Server s;
  std::ifstream in(std::string(QF_SOURCE_DIR) + "/docs/api.yaml");
  ASSERT_TRUE(in) << "docs/api.yaml";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  for (const std::string& route : s.api()->RouteList()) {
    std::string method = route.substr(0, route.find(' '));
    std::string path = route.substr(route.find(' ') + 1);
    for (char& ch : method) ch = static_cast<char>(std::tolower(ch));
    size_t at = doc.find("\n  " + path + ":");
    ASSERT_NE(at, std::string::npos) << path << " is not in docs/api.yaml";
    size_t next = doc.find("\n  /", at + 1);
    EXPECT_NE(doc.substr(at, next - at).find("\n    " + method + ":"), std::string::npos)
        << route << " is not in docs/api.yaml";
  }
}

// The real binary: serve, answer, stop on SIGTERM with the store intact.
TEST(Server, ServeStopsGracefullyOnSigterm) {
  ScratchDir dir;
  std::string db = dir.File("s.db");
  fs::copy_file(TemplateDb(), db);
  std::string out = dir.File("out.txt");
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int fd = ::open(out.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    dup2(fd, 1);
    execl(QF_BINARY, QF_BINARY, "--db", db.c_str(), "serve", "--port", "0", nullptr);
    _exit(127);
  }
  uint16_t port = 0;
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::ifstream in(out);
    std::string line;
    std::getline(in, line);
    std::smatch m;
    if (std::regex_search(line, m, std::regex(":([0-9]+)/")))
      port = static_cast<uint16_t>(std::stoi(m[1]));
  }
  ASSERT_NE(port, 0);
  HttpClient c(port);
  EXPECT_EQ(c.Login("analyst", kPassword).status, 200);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  auto d = Db::Open(db);
  ASSERT_TRUE(d.ok());
  auto check = (*d)->Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok() && Row(*check));
  EXPECT_EQ(check->Text(0), "ok");
  // Serving checkpoints the ledger at start and at shutdown.
  EXPECT_GE(Q(d->get(), "SELECT COUNT(*) FROM ledger_checkpoints"), 1);
}

}  // namespace
}  // namespace qf::testing

namespace qf::testing {
namespace {

// The relationship graph and the review of name-only matches over HTTP:
// unscoped roles see the graph, scoped ones only a lead's; masked unless
// asked; decisions recorded.
TEST(ServerGraph, EgoPathsLeadGraphAndMatchReview) {
  Server s;
  HttpClient analyst = s.As("analyst");
  HttpResult ego = analyst.Get("/api/graph/ego?node=" + UrlEncode("阜新市财政局") + "&depth=1");
  ASSERT_EQ(ego.status, 200) << ego.body;
  json e = ego.Json();
  ASSERT_FALSE(e["nodes"].empty());
  ASSERT_FALSE(e["edges"].empty());
  // A node named by its id expands the same way.
  std::string center = e["center"].get<std::string>();
  EXPECT_EQ(analyst.Get("/api/graph/ego?node=%23" + center).status, 200);
  EXPECT_EQ(analyst.Get("/api/graph/ego?node=" + UrlEncode("没有这个单位")).status, 404);
  EXPECT_EQ(analyst.Get("/api/graph/ego?node=%23999999999").status, 404);
  EXPECT_EQ(analyst.Get("/api/graph/ego?node=x&depth=9").status, 400);
  // A handler limited to a region may not browse the whole graph.
  EXPECT_EQ(s.As("clerk").Get("/api/graph/ego?node=" + UrlEncode("阜新市财政局")).status, 403);

  // A network lead's graph names the path that made it.
  auto db = s.Open();
  std::string lead = LeadIn(db.get(), "", "model = 'leader_indirect_link'");
  HttpResult lg = analyst.Get("/api/leads/" + lead + "/graph");
  ASSERT_EQ(lg.status, 200) << lg.body;
  EXPECT_FALSE(lg.Json()["nodes"].empty());
  EXPECT_FALSE(lg.Json()["paths"].empty()) << lg.body;

  // Matches for review: masked (no ID number in clear anywhere in the answer).
  HttpResult m = analyst.Get("/api/er/matches?status=matched&dataset=payments&page_size=5");
  ASSERT_EQ(m.status, 200) << m.body;
  json items = m.Json()["items"];
  ASSERT_FALSE(items.empty());
  for (const auto& it : items) {
    std::string text = it.dump();
    for (size_t i = 0; i + 18 <= text.size(); ++i) {
      size_t n = 0;
      while (n < 18 && std::isdigit(static_cast<unsigned char>(text[i + n]))) ++n;
      ASSERT_LT(n, 17u) << "an ID number in clear: " << text;
    }
  }
  // A rejection is kept and is a ledger action; the auditor may not decide.
  int64_t id = items[0]["id"].get<int64_t>();
  EXPECT_EQ(
      s.As("auditor").Post("/api/er/decisions", {{"match", id}, {"decision", "reject"}}).status,
      403);
  HttpResult d = analyst.Post("/api/er/decisions", {{"match", id}, {"decision", "reject"}});
  ASSERT_EQ(d.status, 200) << d.body;
  EXPECT_EQ(Q(db.get(), "SELECT COUNT(*) FROM er_decisions WHERE decision = 'reject'"), 1);
  EXPECT_EQ(Q(db.get(), "SELECT COUNT(*) FROM ledger_actions WHERE action = 'er_reject'"), 1);
  EXPECT_EQ(analyst.Post("/api/er/decisions", {{"match", id}, {"decision", "maybe"}}).status, 400);
}

// The ledger page's routes: checkpoints, a verification job that finds a
// changed row, and a record's proof checked with the office's key.
TEST(ServerLedger, CheckpointsVerifyAndProof) {
  Server s;
  HttpClient auditor = s.As("auditor");
  json cps = auditor.Get("/api/ledger/checkpoints?limit=2").Json();
  ASSERT_GE(cps["total"].get<int64_t>(), 1);
  ASSERT_FALSE(cps["items"].empty());
  EXPECT_EQ(cps["items"][0]["root"].get<std::string>().size(), 64u);
  EXPECT_NE(cps["items"][0]["note"].get<std::string>().find("\n\n"), std::string::npos);

  auto verify = [&](json* result) {
    HttpResult r = auditor.Post("/api/ledger/verify", json::object());
    ASSERT_EQ(r.status, 202) << r.body;
    server::Api::Job job;
    ASSERT_TRUE(s.api()->GetJob(r.Json()["job"].get<int64_t>(), &job, 120000));
    ASSERT_EQ(job.state, "done");
    json polled = auditor.Get("/api/ledger/verify/jobs/" + std::to_string(job.id)).Json();
    *result = polled["result"];
  };
  json clean;
  verify(&clean);
  EXPECT_TRUE(clean["ok"].get<bool>()) << clean.dump();
  EXPECT_EQ(clean["problem_count"], 0);
  EXPECT_GT(clean["leaves"].get<int64_t>(), 0);
  EXPECT_EQ(auditor.Get("/api/ledger/verify/jobs/99999").status, 404);

  auto db = s.Open();
  auto q =
      db->Prepare("SELECT _key FROM persons_versions WHERE _current = 1 ORDER BY _row_id LIMIT 1");
  ASSERT_TRUE(q.ok() && Row(*q));
  std::string key = q->Text(0);
  json proof = auditor.Get("/api/ledger/proof?dataset=persons&key=" + key).Json();
  EXPECT_TRUE(proof["verified"].get<bool>()) << proof.dump();
  EXPECT_FALSE(proof["checks"].empty());
  EXPECT_TRUE(proof["proof"].is_object());
  // The auditor may not see personal data: the record comes masked, without
  // its bytes; an admin sees it in clear, and that view is logged.
  EXPECT_TRUE(proof["masked"].get<bool>());
  EXPECT_EQ(proof.dump().find(key), std::string::npos);
  EXPECT_FALSE(proof["proof"]["record"].contains("canonical_row_base64"));
  json clear = s.As("admin").Get("/api/ledger/proof?dataset=persons&key=" + key).Json();
  EXPECT_FALSE(clear["masked"].get<bool>());
  EXPECT_TRUE(clear["verified"].get<bool>());
  EXPECT_EQ(clear["proof"]["record"]["key"], key);
  EXPECT_EQ(Q(s.Open().get(),
              "SELECT COUNT(*) FROM ledger_actions WHERE action = "
              "'view_unmasked' AND target = 'persons/" +
                  key + "'"),
            1);
  EXPECT_EQ(auditor.Get("/api/ledger/proof?dataset=nosuch&key=1").status, 400);
  EXPECT_EQ(auditor.Get("/api/ledger/proof?dataset=persons&key=000").status, 404);
  json cons = auditor.Get("/api/ledger/consistency?old=1").Json();
  EXPECT_TRUE(cons["verified"].get<bool>()) << cons.dump();
  EXPECT_EQ(auditor.Get("/api/ledger/consistency").status, 400);

  // Someone edits a stored row behind the platform's back.
  q = db->Prepare("SELECT 1");  // ends the read above
  Status edit = db->Exec("UPDATE persons_versions SET name = name || '改' WHERE _key = '" + key +
                         "' AND _current = 1");
  ASSERT_TRUE(edit.ok()) << edit.ToString();
  json tampered;
  verify(&tampered);
  EXPECT_FALSE(tampered["ok"].get<bool>());
  ASSERT_GE(tampered["problem_count"].get<int64_t>(), 1);
  EXPECT_EQ(tampered["problems"][0]["dataset"], "persons");
  EXPECT_EQ(tampered["problems"][0]["key"], key);
  EXPECT_FALSE(tampered["problems"][0]["detail"].get<std::string>().empty());
  // An auditor limited to one district proves only records of that district:
  // another district's record and a missing one are answered alike (403).
  {
    auto adb = s.Open();
    ASSERT_TRUE(
        CreateUsers(adb.get(), {{"xaudit", "细河审计", "auditor", {"210911"}, {}}}, kPassword));
    auto other = adb->Prepare(
        "SELECT _key FROM persons_versions WHERE _current = 1 AND region_code = '210902' LIMIT 1");
    ASSERT_TRUE(other.ok() && Row(*other));
    HttpClient xaudit = s.As("xaudit");
    EXPECT_EQ(xaudit.Get("/api/ledger/proof?dataset=persons&key=" + other->Text(0)).status, 403);
    EXPECT_EQ(xaudit.Get("/api/ledger/proof?dataset=persons&key=000").status, 403);
  }
  // Verification is the auditor's; an analyst has no ledger right.
  EXPECT_EQ(s.As("analyst").Post("/api/ledger/verify", json::object()).status, 403);
}

}  // namespace
}  // namespace qf::testing
