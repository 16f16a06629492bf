// Data and model management over real HTTP on loopback: upload a file with a
// broken row, follow the import job, find the row in quarantine, fix it and
// see it imported; large uploads spooled to disk and limited; switching a
// model off so a scan skips it; model statistics; analysts' SQL models with
// a test run; rights and CSRF.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "ingest/importer.h"
#include "server/api.h"
#include "server/auth.h"
#include "server/http.h"
#include "store/store.h"
#include "test_server.h"
#include "test_util.h"
#include "workflow_test_util.h"

namespace qf::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kPassword = "data-test-password-7";

// A server over a fresh store with one account per kind of user, and its own
// settings file.
class DataServer {
 public:
  explicit DataServer(const std::function<void(server::ServerConfig&)>& tune = nullptr,
                      bool spool = true) {
    db_ = dir_.File("d.db");
    settings_ = dir_.File("d.settings.json");
    {
      auto store = Store::Open(db_);
      EXPECT_TRUE(store.ok());
      EXPECT_TRUE(CreateUsers((*store)->db(),
                              {{"admin", "管理员", "admin", {}, {}},
                               {"analyst", "分析员", "analyst", {}, {}},
                               {"clerk", "承办人", "handler", {"210911"}, {}},
                               {"other", "另一承办人", "handler", {"210902"}, {}},
                               {"leader", "领导", "leader", {}, {}}},
                              kPassword));
    }
    server_ = std::make_unique<ApiServer>(db_, settings_, tune, spool);
  }
  HttpClient As(const std::string& user) const { return server_->As(user, kPassword); }
  std::unique_ptr<Db> Open() const { return std::move(Db::Open(db_)).value(); }
  int64_t Q(const std::string& sql) const { return qf::testing::Q(Open().get(), sql); }
  std::string SettingsText() const {
    std::ifstream in(settings_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  // Files left in the upload folder (spooled bodies, job folders).
  size_t UploadLeftovers() const {
    std::error_code ec;
    size_t n = 0;
    if (!fs::is_directory(db_ + ".uploads", ec)) return 0;
    for (const auto& e : fs::recursive_directory_iterator(db_ + ".uploads", ec)) {
      n += e.is_regular_file() ? 1 : 0;
    }
    return n;
  }
  const std::string& db() const { return db_; }
  int spooled() const { return server_->spooled(); }
  const ScratchDir& dir() const { return dir_; }

 private:
  ScratchDir dir_;
  std::string db_, settings_;
  std::unique_ptr<ApiServer> server_;
};

// Polls a job until it is done or failed (or a minute passes).
json WaitJob(HttpClient& c, const std::string& path) {
  json j;
  for (int i = 0; i < 1200; ++i) {
    HttpResult r = c.Get(path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    j = r.Json();
    if (j["state"] == "done" || j["state"] == "failed") return j;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << path << " did not finish: " << j.dump();
  return j;
}

HttpResult Upload(HttpClient& c, const std::string& query, const std::string& bytes) {
  return c.Send("POST", "/api/imports?" + query, bytes, "text/csv");
}

const char* kPayments =
    "payment_id,pay_date,org,payee_name,amount\n"
    "P1,2024-01-05,财政局,甲公司,1200.00\n"
    "P2,2024-01-06,财政局,乙公司,abc\n"
    "P3,2024-01-07,财政局,丙公司,88\n";

TEST(ServerData, UploadQuarantineFixAndReimport) {
  DataServer s;
  HttpClient clerk = s.As("clerk");

  // The dataset comes from the file name; the job runs in the background.
  HttpResult started = Upload(clerk, "dataset=auto&filename=payments.csv", kPayments);
  ASSERT_EQ(started.status, 202) << started.body;
  json job = started.Json();
  EXPECT_EQ(job["kind"], "import");
  EXPECT_EQ(job["dataset"], "payments");
  EXPECT_EQ(job["file"], "payments.csv");
  json done = WaitJob(clerk, "/api/imports/jobs/" + std::to_string(job["job"].get<int>()));
  ASSERT_EQ(done["state"], "done") << done.dump();
  EXPECT_EQ(done["progress"]["percent"], 100.0);
  ASSERT_EQ(done["result"]["reports"].size(), 1u);
  json report = done["result"]["reports"][0];
  EXPECT_EQ(report["rows"], 3);
  EXPECT_EQ(report["accepted"], 2);
  EXPECT_EQ(report["new"], 2);
  EXPECT_EQ(report["quarantined"], 1);
  EXPECT_EQ(report["file"], "payments.csv");
  EXPECT_GE(s.spooled(), 1);
  EXPECT_EQ(s.UploadLeftovers(), 0u);  // the store keeps its own copy
  EXPECT_EQ(s.Q("SELECT COUNT(*) FROM ledger_actions WHERE action = 'data_import' AND "
                "actor = 'user:clerk'"),
            1);

  // The quarantine names file, line, column, value and the reason in Chinese.
  HttpResult q = clerk.Get("/api/quarantine?dataset=payments");
  ASSERT_EQ(q.status, 200) << q.body;
  json entries = q.Json()["entries"];
  ASSERT_EQ(entries.size(), 1u) << q.body;
  json e = entries[0];
  EXPECT_EQ(e["file"], "payments.csv");
  EXPECT_EQ(e["line"], 3);
  EXPECT_EQ(e["column"], "amount");
  EXPECT_EQ(e["value"], "abc");
  EXPECT_NE(e["reason"].get<std::string>().find("不是有效金额"), std::string::npos) << e.dump();
  EXPECT_NE(e["reason_en"].get<std::string>().find("not an amount"), std::string::npos);
  ASSERT_EQ(e["row"].size(), 5u);
  EXPECT_EQ(e["row"][4], json({{"column", "amount"}, {"value", "abc"}, {"field", "amount"}}));
  EXPECT_EQ(e["row"][0]["value"], "P2");

  // The rows to fix as a CSV, and the export is in the ledger.
  HttpResult csv = clerk.Get("/api/quarantine/export.csv?dataset=payments");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv.body,
            "\xEF\xBB\xBFpayment_id,pay_date,org,payee_name,amount\r\n"
            "P2,2024-01-06,财政局,乙公司,abc\r\n");
  EXPECT_EQ(s.Q("SELECT COUNT(*) FROM ledger_actions WHERE action = 'export' AND "
                "target = 'quarantine:payments'"),
            1);

  // Counts per dataset.
  json datasets = clerk.Get("/api/datasets").Json()["datasets"];
  json payments;
  for (const json& d : datasets) {
    if (d["name"] == "payments") payments = d;
  }
  ASSERT_FALSE(payments.is_null());
  EXPECT_EQ(payments["zh"], "国库集中支付");
  EXPECT_EQ(payments["rows"], 2);
  EXPECT_EQ(payments["quarantined"], 1);
  EXPECT_EQ(payments["last_import"]["file"], "payments.csv");
  bool amount_is_money = false;
  for (const json& col : payments["columns"]) {
    if (col["name"] == "amount") amount_is_money = col["type"] == "money" && col["required"];
  }
  EXPECT_TRUE(amount_is_money);

  // Another limited user neither sees nor fixes what the clerk sent.
  HttpClient other = s.As("other");
  EXPECT_EQ(other.Get("/api/quarantine?dataset=payments").Json()["entries"].size(), 0u);
  int64_t id = e["id"].get<int64_t>();
  std::string fix = "/api/quarantine/" + std::to_string(id) + "/fix";
  EXPECT_EQ(other.Post(fix, {{"values", {{"amount", "1"}}}}).status, 403);
  EXPECT_EQ(other.Post("/api/quarantine/999999/fix", {{"values", {{"amount", "1"}}}}).status, 403);
  // Unlimited users see everything.
  EXPECT_EQ(s.As("admin").Get("/api/quarantine").Json()["total"], 1);

  // A correction that is still wrong: the new reason, and it replaces the old entry.
  HttpResult wrong = clerk.Post(fix, {{"values", {{"amount", "12元3"}}}});
  ASSERT_EQ(wrong.status, 200) << wrong.body;
  EXPECT_EQ(wrong.Json()["accepted"], false);
  ASSERT_EQ(wrong.Json()["problems"].size(), 1u) << wrong.body;
  json again = wrong.Json()["problems"][0];
  EXPECT_EQ(again["value"], "12元3");
  EXPECT_NE(again["reason"].get<std::string>().find("不是有效金额"), std::string::npos);
  EXPECT_NE(again["id"], e["id"]);
  json open = clerk.Get("/api/quarantine?dataset=payments").Json();
  ASSERT_EQ(open["entries"].size(), 1u);
  EXPECT_EQ(open["entries"][0]["id"], again["id"]);
  EXPECT_EQ(clerk.Get("/api/quarantine?dataset=payments&all=1").Json()["total"], 2);
  // The old entry is closed now.
  EXPECT_EQ(clerk.Post(fix, {{"values", {{"amount", "5"}}}}).status, 409);

  // Fixed (by the Chinese header, as a clerk would name it): imported, quarantine empty.
  std::string fix2 = "/api/quarantine/" + std::to_string(again["id"].get<int64_t>()) + "/fix";
  EXPECT_EQ(clerk.Post(fix2, {{"values", {{"没有这一列", "1"}}}}).status, 400);
  EXPECT_EQ(clerk.Post(fix2, {{"values", {{"amount", "12元3"}}}}).status, 400);  // no change
  HttpResult right = clerk.Post(fix2, {{"values", {{"金额", "2.50"}}}});
  ASSERT_EQ(right.status, 200) << right.body;
  EXPECT_EQ(right.Json()["accepted"], true);
  EXPECT_EQ(right.Json()["resolved"], 1);
  EXPECT_EQ(right.Json()["problems"].size(), 0u);
  EXPECT_EQ(clerk.Get("/api/quarantine?dataset=payments").Json()["total"], 0);
  EXPECT_EQ(s.Q("SELECT amount FROM payments WHERE payment_id = 'P2'"), 250);
  json after_fix = clerk.Get("/api/datasets").Json();
  for (const json& d : after_fix["datasets"]) {
    if (d["name"] != "payments") continue;
    EXPECT_EQ(d["rows"], 3);
    EXPECT_EQ(d["quarantined"], 0);
  }
  EXPECT_EQ(s.UploadLeftovers(), 0u);

  // The history: the upload and both fixes, with this server's jobs.
  json history = clerk.Get("/api/imports?dataset=payments").Json();
  EXPECT_EQ(history["total"], 3);
  EXPECT_EQ(history["imports"][2]["file"], "payments.csv");
  EXPECT_EQ(history["imports"][2]["open_quarantine"], 0);
  // Five jobs: the upload and four fixes, two of them refused (no such column, no change).
  ASSERT_EQ(history["jobs"].size(), 5u);
  EXPECT_EQ(history["jobs"][0]["state"], "done");
  EXPECT_EQ(history["jobs"][1]["state"], "failed");
  EXPECT_EQ(history["jobs"][1]["error"]["code"], "invalid_input");
  EXPECT_EQ(history["jobs"][4]["kind"], "import");
  EXPECT_EQ(other.Get("/api/imports").Json()["total"], 0);
  EXPECT_EQ(other.Get("/api/imports/jobs/" + std::to_string(job["job"].get<int>())).status, 404);
}

TEST(ServerData, UploadsAreCheckedAndLimited) {
  DataServer s([](server::ServerConfig& c) { c.max_import = size_t{256} << 10; });
  HttpClient clerk = s.As("clerk");
  // A handler may import; a leader may not; CSRF is required.
  HttpClient leader = s.As("leader");
  EXPECT_EQ(Upload(leader, "dataset=payments&filename=p.csv", kPayments).status, 403);
  HttpClient no_csrf = s.As("clerk");
  no_csrf.set_csrf("");
  HttpResult csrf = Upload(no_csrf, "dataset=payments&filename=p.csv", kPayments);
  EXPECT_EQ(csrf.status, 403);
  EXPECT_EQ(csrf.Json()["error"], "csrf");

  EXPECT_EQ(Upload(clerk, "dataset=auto&filename=unknown.csv", kPayments).Json()["field"],
            "dataset");
  EXPECT_EQ(Upload(clerk, "dataset=paymentz&filename=p.csv", kPayments).status, 404);
  EXPECT_EQ(Upload(clerk, "dataset=payments&filename=p.xls", kPayments).Json()["error"],
            "bad_file_type");
  EXPECT_EQ(Upload(clerk, "dataset=payments&filename=../p.csv", kPayments).status, 400);
  EXPECT_EQ(Upload(clerk, "dataset=payments&filename=p.csv", "").status, 400);

  // Past the limit: 413, nothing left behind.
  std::string big(size_t{256} << 10, 'x');
  big += "\n";
  HttpResult too_big = Upload(clerk, "dataset=payments&filename=p.csv", big);
  EXPECT_EQ(too_big.status, 413) << too_big.body;
  EXPECT_EQ(s.UploadLeftovers(), 0u);

  // A file the clerk must fix as a whole: the job fails with the reason in both languages.
  HttpResult no_amount = Upload(clerk, "dataset=payments&filename=p.csv",
                                "payment_id,pay_date,org\nP1,2024-01-01,局\n");
  ASSERT_EQ(no_amount.status, 202) << no_amount.body;
  json failed =
      WaitJob(clerk, "/api/imports/jobs/" + std::to_string(no_amount.Json()["job"].get<int>()));
  EXPECT_EQ(failed["state"], "failed");
  EXPECT_EQ(failed["error"]["code"], "invalid_input");
  std::string zh = failed["error"]["message"];
  EXPECT_NE(zh.find("缺少"), std::string::npos) << zh;
  EXPECT_NE(zh.find("p.csv"), std::string::npos) << zh;
  EXPECT_EQ(zh.find(".uploads"), std::string::npos) << zh;  // the clerk's name, not ours
  EXPECT_NE(failed["error"]["message_en"].get<std::string>().find("amount"), std::string::npos);

  // Two uploads in a row: the second waits for the first (one writer).
  std::string rows = "payment_id,pay_date,org,payee_name,amount\n";
  for (int i = 0; i < 4000; ++i) {
    rows += "K" + std::to_string(i) + ",2024-02-01,财政局,收款单位" + std::to_string(i) + ",1.5\n";
  }
  ASSERT_LT(rows.size(), size_t{256} << 10);
  HttpResult first = Upload(clerk, "dataset=payments&filename=a.csv", rows);
  HttpResult second = Upload(clerk, "dataset=payments&filename=b.csv", kPayments);
  ASSERT_EQ(first.status, 202);
  ASSERT_EQ(second.status, 202);
  json a = WaitJob(clerk, "/api/imports/jobs/" + std::to_string(first.Json()["job"].get<int>()));
  json b = WaitJob(clerk, "/api/imports/jobs/" + std::to_string(second.Json()["job"].get<int>()));
  EXPECT_EQ(a["state"], "done") << a.dump();
  EXPECT_EQ(b["state"], "done") << b.dump();
  EXPECT_EQ(a["result"]["reports"][0]["accepted"], 4000);
  EXPECT_EQ(a["bytes"], static_cast<int64_t>(rows.size()));
  EXPECT_GE(b["started_at"].get<std::string>(), a["finished_at"].get<std::string>());
  EXPECT_EQ(s.UploadLeftovers(), 0u);
}

// Without a spool folder (a transport not told of one) the body arrives in
// memory and is imported all the same.
TEST(ServerData, UploadHeldInMemoryIsImportedToo) {
  DataServer s(nullptr, /*spool=*/false);
  HttpClient admin = s.As("admin");
  HttpResult started = Upload(admin, "dataset=payments&filename=p.csv", kPayments);
  ASSERT_EQ(started.status, 202) << started.body;
  json done =
      WaitJob(admin, "/api/imports/jobs/" + std::to_string(started.Json()["job"].get<int>()));
  ASSERT_EQ(done["state"], "done") << done.dump();
  EXPECT_EQ(done["result"]["reports"][0]["accepted"], 2);
  EXPECT_EQ(s.spooled(), 0);
  EXPECT_EQ(s.UploadLeftovers(), 0u);
}

// A file of some size goes to disk as it arrives and is imported from there.
TEST(ServerData, LargeUploadIsSpooledAndImported) {
  DataServer s;
  HttpClient analyst = s.As("analyst");
  std::string rows = "payment_id,pay_date,org,payee_name,amount\n";
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    rows += "L" + std::to_string(i) + ",2024-03-01,财政局,收款单位" + std::to_string(i % 997) +
            "," + std::to_string(i % 5000) + ".25\n";
  }
  auto t0 = std::chrono::steady_clock::now();
  HttpResult started = Upload(analyst, "filename=payments_2024.csv", rows);
  double upload = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(started.status, 202) << started.body;
  EXPECT_EQ(started.Json()["dataset"], "payments");
  json done =
      WaitJob(analyst, "/api/imports/jobs/" + std::to_string(started.Json()["job"].get<int>()));
  double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_EQ(done["state"], "done") << done.dump();
  EXPECT_EQ(done["result"]["reports"][0]["accepted"], n);
  EXPECT_EQ(done["progress"]["bytes_read"], static_cast<int64_t>(rows.size()));
  EXPECT_EQ(s.spooled(), 1);
  EXPECT_EQ(s.UploadLeftovers(), 0u);
  EXPECT_EQ(s.Q("SELECT COUNT(*) FROM payments"), n);
  std::cout << "[ measured ] " << rows.size() / 1e6 << " MB, " << n << " rows: upload " << upload
            << " s, upload and import " << total << " s\n";
}

TEST(ServerData, SwitchedOffModelIsSkippedByTheScan) {
  DataServer s;
  HttpClient clerk = s.As("clerk");
  EXPECT_EQ(clerk.Patch("/api/models/split_payment", {{"enabled", false}}).status, 403);
  EXPECT_EQ(clerk.Post("/api/scans", json::object()).status, 403);

  HttpClient analyst = s.As("analyst");
  json catalogue = analyst.Get("/api/models").Json();
  json split;
  for (const json& m : catalogue["models"]) {
    if (m["id"] == "split_payment") split = m;
  }
  ASSERT_FALSE(split.is_null()) << catalogue.dump().substr(0, 500);
  EXPECT_EQ(split["enabled"], true);
  EXPECT_EQ(split["custom"], false);
  EXPECT_EQ(split["values"]["threshold_yuan"], "100000");

  // Checked against the declared parameters before anything is written.
  HttpResult unknown = analyst.Patch("/api/models/split_payment", {{"params", {{"nope", 1}}}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.Json()["field"], "params.nope");
  EXPECT_EQ(
      analyst.Patch("/api/models/split_payment", {{"params", {{"threshold_yuan", "many"}}}}).status,
      400);
  EXPECT_EQ(analyst.Patch("/api/models/no_such_model", {{"enabled", false}}).status, 404);
  EXPECT_EQ(s.SettingsText(), "");

  HttpResult off = analyst.Patch("/api/models/split_payment",
                                 {{"enabled", false}, {"params", {{"threshold_yuan", 50000}}}});
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.Json()["enabled"], false);
  EXPECT_EQ(off.Json()["values"]["threshold_yuan"], "50000");
  json file = json::parse(s.SettingsText());
  EXPECT_EQ(file["models"]["split_payment"]["enabled"], false);
  EXPECT_EQ(file["models"]["split_payment"]["threshold_yuan"], 50000);
  EXPECT_EQ(s.Q("SELECT COUNT(*) FROM ledger_actions WHERE action = 'model_settings' AND "
                "target = 'model:split_payment' AND actor = 'user:analyst'"),
            1);
  json catalogue2 = analyst.Get("/api/models").Json();
  for (const json& m : catalogue2["models"]) {
    if (m["id"] == "split_payment") {
      EXPECT_EQ(m["enabled"], false);
      EXPECT_EQ(m["overrides"], json({{"threshold_yuan", 50000}}));
    }
  }

  HttpResult started = analyst.Post("/api/scans", json::object());
  ASSERT_EQ(started.status, 202) << started.body;
  json done =
      WaitJob(analyst, "/api/scans/jobs/" + std::to_string(started.Json()["job"].get<int>()));
  ASSERT_EQ(done["state"], "done") << done.dump().substr(0, 1000);
  std::set<std::string> ran;
  for (const json& m : done["result"]["models"]) ran.insert(m["model"].get<std::string>());
  EXPECT_EQ(ran.count("split_payment"), 0u);
  EXPECT_GT(ran.size(), 10u);
  std::string some = *ran.begin();
  EXPECT_EQ(done["progress"]["percent"], 100);

  // Statistics: this scan for a model that ran, none for the one switched off.
  HttpResult stats = analyst.Get("/api/models/" + some + "/stats");
  ASSERT_EQ(stats.status, 200) << stats.body;
  ASSERT_EQ(stats.Json()["scans"].size(), 1u) << stats.body;
  EXPECT_EQ(stats.Json()["scans"][0]["scan"], done["result"]["scan_id"]);
  EXPECT_EQ(stats.Json()["scans"][0]["ok"], true);
  EXPECT_TRUE(stats.Json()["confirmation"]["rate"].is_null());
  EXPECT_EQ(analyst.Get("/api/models/split_payment/stats").Json()["scans"].size(), 0u);
  EXPECT_EQ(analyst.Get("/api/models/nothing/stats").status, 404);

  // Switched on again with the default restored: the settings entry goes.
  HttpResult on = analyst.Patch("/api/models/split_payment",
                                {{"enabled", true}, {"params", {{"threshold_yuan", nullptr}}}});
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_FALSE(json::parse(s.SettingsText())["models"].contains("split_payment"));

  // A scan of one named model.
  HttpResult one = analyst.Post("/api/scans", {{"models", {"split_payment"}}});
  ASSERT_EQ(one.status, 202);
  json one_done =
      WaitJob(analyst, "/api/scans/jobs/" + std::to_string(one.Json()["job"].get<int>()));
  ASSERT_EQ(one_done["result"]["models"].size(), 1u);
  EXPECT_EQ(one_done["result"]["models"][0]["model"], "split_payment");
  EXPECT_EQ(analyst.Post("/api/scans", {{"models", {"nope"}}}).status, 404);
}

TEST(ServerData, AnalystsSqlModels) {
  DataServer s;
  {
    auto store = Store::Open(s.db());
    ASSERT_TRUE(store.ok());
    std::string f = s.dir().Write("payments.csv", kPayments);
    Importer importer(store->get());
    ASSERT_TRUE(importer.ImportFile("payments", f, {}).ok());
  }
  const std::string sql =
      "SELECT payment_id AS subject_key, payee_name || ' 收款 ' || amount AS summary, amount "
      "FROM payments WHERE amount >= :min_fen ORDER BY payment_id;";
  json params = json::array({{{"name", "min_fen"}, {"default", "0"}, {"zh", "最低金额（分）"}}});

  HttpClient clerk = s.As("clerk");
  EXPECT_EQ(clerk.Post("/api/models/custom/test", {{"sql", sql}}).status, 403);

  HttpClient analyst = s.As("analyst");
  HttpResult test = analyst.Post(
      "/api/models/custom/test",
      {{"sql", sql}, {"params", params}, {"values", {{"min_fen", 1000}}}, {"limit", 1}});
  ASSERT_EQ(test.status, 200) << test.body;
  ASSERT_EQ(test.Json()["findings"].size(), 1u);
  EXPECT_EQ(test.Json()["findings"][0]["subject"]["key"], "P1");
  EXPECT_EQ(test.Json()["findings"][0]["amount_fen"], 120000);
  EXPECT_EQ(test.Json()["more"], true);  // P3 follows
  HttpResult all = analyst.Post("/api/models/custom/test", {{"sql", sql}, {"params", params}});
  EXPECT_EQ(all.Json()["findings"].size(), 2u) << all.body;
  EXPECT_EQ(all.Json()["more"], false);
  EXPECT_EQ(s.Q("SELECT COUNT(*) FROM ledger_actions WHERE action = 'model_test'"), 2);

  HttpResult bad =
      analyst.Post("/api/models/custom/test",
                   {{"sql", "SELECT nosuchcol AS subject_key, 'x' AS summary FROM payments"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Json()["error"], "sql_error");
  EXPECT_EQ(bad.Json()["field"], "sql");
  EXPECT_NE(bad.Json()["message"].get<std::string>().find("nosuchcol"), std::string::npos)
      << bad.body;
  EXPECT_EQ(analyst.Post("/api/models/custom/test", {{"sql", "DELETE FROM payments"}}).status, 400);
  EXPECT_EQ(s.Q("SELECT COUNT(*) FROM payments"), 2);

  // Saved, listed with its definition, tuned, scanned, removed.
  json def = {{"id", "big_pay"}, {"name_zh", "大额支付"}, {"sql", sql}, {"params", params}};
  EXPECT_EQ(clerk.Post("/api/models/custom", def).status, 403);
  HttpResult created = analyst.Post("/api/models/custom", def);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(analyst.Post("/api/models/custom", def).status, 200);
  json bad_def = def;
  bad_def["sql"] = "SELECT 1";
  EXPECT_EQ(analyst.Post("/api/models/custom", bad_def).Json()["field"], "sql");
  json listed;
  json catalogue = analyst.Get("/api/models").Json();
  for (const json& m : catalogue["models"]) {
    if (m["id"] == "big_pay") listed = m;
  }
  ASSERT_FALSE(listed.is_null());
  EXPECT_EQ(listed["custom"], true);
  EXPECT_EQ(listed["definition"]["sql"], sql);
  ASSERT_EQ(analyst.Patch("/api/models/big_pay", {{"params", {{"min_fen", 10000}}}}).status, 200);
  HttpResult scan = analyst.Post("/api/scans", {{"models", {"big_pay"}}});
  ASSERT_EQ(scan.status, 202);
  json done = WaitJob(analyst, "/api/scans/jobs/" + std::to_string(scan.Json()["job"].get<int>()));
  ASSERT_EQ(done["state"], "done") << done.dump();
  EXPECT_EQ(done["result"]["models"][0]["findings"], 1);  // only P1 reaches 100 yuan
  EXPECT_EQ(done["result"]["models"][0]["new"], 1);
  EXPECT_EQ(s.Q("SELECT COUNT(*) FROM leads WHERE model = 'big_pay'"), 1);

  HttpClient no_csrf = s.As("analyst");
  no_csrf.set_csrf("wrong");
  EXPECT_EQ(no_csrf.Send("DELETE", "/api/models/custom/big_pay").status, 403);
  EXPECT_EQ(analyst.Send("DELETE", "/api/models/custom/split_payment").status, 400);
  EXPECT_EQ(analyst.Send("DELETE", "/api/models/custom/big_pay").status, 200);
  EXPECT_EQ(analyst.Send("DELETE", "/api/models/custom/big_pay").status, 404);
  EXPECT_EQ(s.SettingsText().find("big_pay"), std::string::npos);
  EXPECT_EQ(s.Q("SELECT COUNT(*) FROM ledger_actions WHERE action = 'model_remove'"), 1);
  // Scans go on without it.
  HttpResult after = analyst.Post("/api/scans", {{"models", {"split_payment"}}});
  ASSERT_EQ(after.status, 202);
  EXPECT_EQ(WaitJob(analyst,
                    "/api/scans/jobs/" + std::to_string(after.Json()["job"].get<int>()))["state"],
            "done");
}

}  // namespace
}  // namespace qf::testing
