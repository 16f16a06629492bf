// Complaints and reports from the public (src/leads/reports.h, the API's
// public and office routes, the CLI): receipt codes, encryption at rest, the
// no-oracle lookup, rate limits, turning a report into a lead — and that no
// client address reaches any table, file or log when a report is submitted.
#include "leads/reports.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "leads/lead_store.h"
#include "ledger/checkpoint.h"
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

const char* kPassword = "test-password-42";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every file of the store at `db`: the database, its WAL, keys, and the
// folders beside it (<db>.reports/, <db>.attachments/, …).
std::vector<std::string> StoreFiles(const std::string& db) {
  std::vector<std::string> out;
  fs::path dir = fs::path(db).parent_path();
  std::string base = fs::path(db).filename().string();
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    std::string rel = fs::relative(e.path(), dir).string();
    if (rel.compare(0, base.size(), base) == 0) out.push_back(e.path().string());
  }
  return out;
}

// Which of `needles` occur in any of the store's files (names the file).
std::vector<std::string> FoundInFiles(const std::string& db,
                                      const std::vector<std::string>& needles) {
  std::vector<std::string> found;
  for (const std::string& f : StoreFiles(db)) {
    std::string bytes = ReadAll(f);
    for (const std::string& n : needles) {
      if (bytes.find(n) != std::string::npos) found.push_back(n + " in " + f);
    }
  }
  return found;
}

// Every value of every table as bytes: which of `needles` occur, and how many
// rows were read in all.
std::vector<std::string> FoundInTables(Db* db, const std::vector<std::string>& needles,
                                       int64_t* rows_read) {
  std::vector<std::string> tables, found;
  auto t = db->Prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
  EXPECT_TRUE(t.ok());
  while (t->Step().value()) tables.push_back(t->Text(0));
  *rows_read = 0;
  for (const std::string& table : tables) {
    auto q = db->Prepare("SELECT * FROM " + QuoteIdent(table));
    EXPECT_TRUE(q.ok()) << table;
    while (q->Step().value()) {
      ++*rows_read;
      for (int c = 0; c < q->ColumnCount(); ++c) {
        const void* p = sqlite3_column_blob(q->raw(), c);
        int n = sqlite3_column_bytes(q->raw(), c);
        std::string v = p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : "";
        for (const std::string& needle : needles) {
          if (v.find(needle) != std::string::npos) {
            found.push_back(needle + " in " + table + "." + q->ColumnName(c));
          }
        }
      }
    }
  }
  return found;
}

leads::NewReport SampleReport() {
  leads::NewReport r;
  r.kind = "report";
  r.category = "工程建设";
  r.region_code = "210911";
  r.target = "细河区某局副局长甲乙丙";
  r.content = "PLAINTEXT-CONTENT-7f3a 该副局长在工程招标中收受好处费";
  r.anonymous = false;
  r.contact_name = "举报人丁戊己";
  r.contact_phone = "13912345678";
  r.attachments.push_back({"合同扫描-PLAINNAME.pdf", "application/pdf",
                           std::string("%PDF-ATTACHMENT-BYTES-9c2e\x01\x02", 28)});
  return r;
}

class ReportsTest : public ::testing::Test, public TestStore {
 protected:
  void SetUp() override { ASSERT_NE(store_, nullptr); }
};

// ---------------------------------------------------------------------------
// Receipt codes

TEST(ReportReceipt, ShapeEntropyAndTolerantParsing) {
  leads::Receipt r = leads::NewReceipt("report");
  std::string code = r.Code();
  EXPECT_TRUE(
      std::regex_match(code, std::regex("JB[0-9A-HJKMNP-TV-Z]{6}(-[0-9A-HJKMNP-TV-Z]{4}){5}")))
      << code;
  EXPECT_EQ(leads::NewReceipt("complaint").lookup_id.substr(0, 2), "TS");
  // 100 bits: no two secrets of many are the same, and every character occurs.
  std::set<std::string> secrets;
  std::set<char> chars;
  for (int i = 0; i < 2000; ++i) {
    leads::Receipt x = leads::NewReceipt("report");
    secrets.insert(x.secret);
    chars.insert(x.secret.begin(), x.secret.end());
  }
  EXPECT_EQ(secrets.size(), 2000u);
  EXPECT_EQ(chars.size(), 32u);

  leads::Receipt parsed;
  ASSERT_TRUE(leads::ParseReceipt(code, &parsed));
  EXPECT_EQ(parsed.lookup_id, r.lookup_id);
  EXPECT_EQ(parsed.secret, r.secret);
  // Typed by hand: lower case, spaces, no dashes, O for 0 and l for 1.
  std::string typed;
  for (char ch : code) {
    if (ch == '-') continue;
    typed += ch == '0' ? 'o' : ch == '1' ? 'l' : static_cast<char>(std::tolower(ch));
    if (typed.size() % 5 == 0) typed += ' ';
  }
  ASSERT_TRUE(leads::ParseReceipt(typed, &parsed)) << typed;
  EXPECT_EQ(parsed.secret, r.secret);
  EXPECT_FALSE(leads::ParseReceipt(code.substr(0, code.size() - 1), &parsed));
  EXPECT_FALSE(leads::ParseReceipt(code + "A", &parsed));
  EXPECT_FALSE(leads::ParseReceipt("XX" + code.substr(2), &parsed));
  EXPECT_FALSE(leads::ParseReceipt(code.substr(0, 10) + "U" + code.substr(11), &parsed));
  EXPECT_FALSE(leads::ParseReceipt("", &parsed));
}

// ---------------------------------------------------------------------------
// The store

TEST_F(ReportsTest, PlaintextNeverReachesTheDatabaseOrTheFiles) {
  leads::NewReport r = SampleReport();
  auto done = leads::SubmitReport(db(), db_path(), r, "public");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  leads::Receipt receipt;
  ASSERT_TRUE(leads::ParseReceipt(done->receipt, &receipt));
  // Only an argon2id hash of the secret is kept.
  auto q = db()->Prepare("SELECT receipt_hash, lookup_id, created_at FROM reports");
  ASSERT_TRUE(q.ok() && q->Step().value());
  EXPECT_EQ(q->Text(0).rfind("$argon2id$", 0), 0u) << q->Text(0);
  EXPECT_EQ(q->Text(1), done->lookup_id);
  EXPECT_TRUE(std::regex_match(q->Text(2), std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d)")))
      << "minute precision: " << q->Text(2);
  std::vector<std::string> secrets = {"PLAINTEXT-CONTENT-7f3a",
                                      "细河区某局副局长甲乙丙",
                                      "举报人丁戊己",
                                      "13912345678",
                                      "PLAINNAME",
                                      "%PDF-ATTACHMENT-BYTES-9c2e",
                                      receipt.secret};
  int64_t rows = 0;
  EXPECT_EQ(FoundInTables(db(), secrets, &rows), std::vector<std::string>{});
  EXPECT_GT(rows, 0);
  EXPECT_EQ(FoundInFiles(db_path(), secrets), std::vector<std::string>{});
  // The sealed attachment is there, under the SHA-256 of its ciphertext.
  std::vector<std::string> kept;
  for (const auto& e : fs::recursive_directory_iterator(leads::ReportFilesDir(db_path()))) {
    if (e.is_regular_file()) kept.push_back(e.path().string());
  }
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(ToHex(Sha256(ReadAll(kept[0]))), fs::path(kept[0]).filename().string());
  // The office key is private.
  struct stat st;
  ASSERT_EQ(::stat(leads::OfficeKeyPath(db_path()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(ReportsTest, ReadingOpensTheSealedFieldsAndIsRecorded) {
  leads::NewReport r = SampleReport();
  auto done = leads::SubmitReport(db(), db_path(), r, "public");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  auto d = leads::ReadReport(db(), db_path(), done->id, "user:analyst");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->content, r.content);
  EXPECT_EQ(d->target, r.target);
  EXPECT_EQ(d->contact_name, r.contact_name);
  EXPECT_EQ(d->contact_phone, r.contact_phone);
  ASSERT_EQ(d->attachments.size(), 1u);
  EXPECT_EQ(d->attachments[0].name, r.attachments[0].name);
  EXPECT_EQ(d->attachments[0].size, static_cast<int64_t>(r.attachments[0].bytes.size()));
  auto f = leads::ReadReportAttachment(db(), db_path(), done->id, 1, "user:analyst");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->bytes, r.attachments[0].bytes);
  EXPECT_EQ(f->mime, "application/pdf");
  EXPECT_EQ(leads::ReadReportAttachment(db(), db_path(), done->id, 2, "x").status().code(),
            Status::Code::kNotFound);
  // Each reading is a ledger action that names the report but holds no text.
  auto q = db()->Prepare(
      "SELECT action, actor, target, details FROM ledger_actions WHERE action LIKE 'report%' "
      "ORDER BY id");
  ASSERT_TRUE(q.ok());
  std::vector<std::string> actions;
  while (q->Step().value()) {
    actions.push_back(q->Text(0) + " " + q->Text(1) + " " + q->Text(2));
    EXPECT_EQ(q->Text(3).find("PLAINTEXT"), std::string::npos);
  }
  std::string target = "report:" + done->lookup_id;
  EXPECT_EQ(actions, (std::vector<std::string>{"report_submit public " + target,
                                               "report_read user:analyst " + target,
                                               "report_attachment_read user:analyst " + target}));
  // An altered file is refused, not decrypted.
  std::string path = leads::ReportFilesDir(db_path()) + "/" +
                     d->attachments[0].sha256.substr(0, 2) + "/" + d->attachments[0].sha256;
  std::string bytes = ReadAll(path);
  bytes[bytes.size() / 2] ^= 1;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  EXPECT_EQ(leads::ReadReportAttachment(db(), db_path(), done->id, 1, "x").status().code(),
            Status::Code::kCorruption);
  // Another office's key opens nothing.
  ScratchDir other;
  auto k = leads::OfficeKey::LoadOrCreate(other.File("o.key"));
  ASSERT_TRUE(k.ok());
  auto mine = leads::OfficeKey::LoadOrCreate(leads::OfficeKeyPath(db_path()));
  ASSERT_TRUE(mine.ok());
  EXPECT_FALSE(k->Open(mine->Seal("x")).ok());
  EXPECT_EQ(mine->Open(mine->Seal("秘密")).value(), "秘密");
}

TEST_F(ReportsTest, LookupAnswersTheSameForWrongAndUnknownCodes) {
  leads::NewReport r = SampleReport();
  r.anonymous = true;
  r.contact_name.clear();
  r.contact_phone.clear();
  auto done = leads::SubmitReport(db(), db_path(), r, "public");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  auto st = leads::LookupReport(db(), done->receipt);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->status, "accepted");
  EXPECT_EQ(st->kind, "report");
  EXPECT_EQ(st->lookup_id, done->lookup_id);

  leads::Receipt good;
  ASSERT_TRUE(leads::ParseReceipt(done->receipt, &good));
  leads::Receipt wrong_secret = good;
  wrong_secret.secret[5] = wrong_secret.secret[5] == 'A' ? 'B' : 'A';
  leads::Receipt unknown_id = good;
  unknown_id.lookup_id[4] = unknown_id.lookup_id[4] == 'A' ? 'B' : 'A';
  std::vector<std::string> bad = {wrong_secret.Code(), unknown_id.Code(), "JB-NOT-A-CODE", ""};
  std::set<std::string> messages;
  for (const std::string& code : bad) {
    auto t0 = std::chrono::steady_clock::now();
    auto res = leads::LookupReport(db(), code);
    auto took = std::chrono::steady_clock::now() - t0;
    ASSERT_FALSE(res.ok()) << code;
    EXPECT_EQ(res.status().code(), Status::Code::kNotFound) << code;
    messages.insert(res.status().message());
    // Every answer includes one argon2id verification (tens of milliseconds).
    EXPECT_GT(took, std::chrono::milliseconds(5)) << code;
  }
  EXPECT_EQ(messages.size(), 1u);
}

TEST_F(ReportsTest, SubmissionLimits) {
  std::string field;
  leads::ReportLimits limits;
  leads::NewReport ok = SampleReport();
  ok.content.clear();
  for (int i = 0; i < 5000; ++i) ok.content += "字";
  EXPECT_TRUE(leads::ValidateReport(ok, limits, &field).ok());
  leads::NewReport r = ok;
  r.content += "字";
  EXPECT_FALSE(leads::ValidateReport(r, limits, &field).ok());
  EXPECT_EQ(field, "content");
  r = ok;
  r.content = "  \n ";
  EXPECT_FALSE(leads::ValidateReport(r, limits, &field).ok());
  EXPECT_EQ(field, "content");
  r = ok;
  r.kind = "praise";
  EXPECT_FALSE(leads::ValidateReport(r, limits, &field).ok());
  EXPECT_EQ(field, "kind");
  r = ok;
  r.anonymous = true;  // with a contact left in
  EXPECT_FALSE(leads::ValidateReport(r, limits, &field).ok());
  EXPECT_EQ(field, "anonymous");
  r = ok;
  r.contact_name.clear();
  r.contact_phone.clear();
  EXPECT_FALSE(leads::ValidateReport(r, limits, &field).ok());
  EXPECT_EQ(field, "contact_name");
  r = ok;
  r.region_code = "21091";
  EXPECT_FALSE(leads::ValidateReport(r, limits, &field).ok());
  EXPECT_EQ(field, "region_code");
  r = ok;
  r.attachments.assign(6, ok.attachments[0]);
  EXPECT_FALSE(leads::ValidateReport(r, limits, &field).ok());
  EXPECT_EQ(field, "attachments");
  r.attachments.resize(5);
  EXPECT_TRUE(leads::ValidateReport(r, limits, &field).ok());
  r.attachments[4].bytes.assign((size_t{10} << 20) + 1, 'x');
  EXPECT_FALSE(leads::ValidateReport(r, limits, &field).ok());
  EXPECT_EQ(field, "attachments[4].data");
  r.attachments[4].bytes.resize(size_t{10} << 20);
  EXPECT_TRUE(leads::ValidateReport(r, limits, &field).ok());
  r.attachments[4].name = "../../etc/passwd";
  EXPECT_FALSE(leads::ValidateReport(r, limits, &field).ok());
  EXPECT_EQ(field, "attachments[4].name");
  // Nothing is stored for a refused submission.
  r = ok;
  r.kind = "praise";
  EXPECT_FALSE(leads::SubmitReport(db(), db_path(), r, "public").ok());
  EXPECT_EQ(db()->QueryInt("SELECT COUNT(*) FROM reports").value(), 0);
}

TEST_F(ReportsTest, StatusReplyAndTransitions) {
  auto done = leads::SubmitReport(db(), db_path(), SampleReport(), "os:clerk");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  leads::ReportUpdate u;
  u.status = "in_progress";
  ASSERT_TRUE(leads::UpdateReport(db(), done->id, u, "user:a").ok());
  u.status = "accepted";  // no way back to 已受理
  auto back = leads::UpdateReport(db(), done->id, u, "user:a");
  EXPECT_EQ(back.status().code(), Status::Code::kInvalidArgument);
  u.status = "closed";
  u.set_reply = true;
  u.reply = "经核查，已按规定处理。";
  auto closed = leads::UpdateReport(db(), done->id, u, "user:a");
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->status, "closed");
  auto st = leads::LookupReport(db(), done->receipt);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->status, "closed");
  EXPECT_EQ(st->reply, u.reply);
  u = {};
  EXPECT_FALSE(leads::UpdateReport(db(), done->id, u, "user:a").ok());  // nothing to change
  u.status = "reopened";
  std::string field;
  EXPECT_FALSE(leads::ValidateReportUpdate(u, &field).ok());
  EXPECT_EQ(field, "status");
  EXPECT_EQ(db()->QueryInt("SELECT COUNT(*) FROM ledger_actions WHERE action IN "
                           "('report_status', 'report_reply')")
                .value(),
            2);
}

TEST_F(ReportsTest, ToLeadInOneActionKeepsTheLinkAndNoText) {
  auto done = leads::SubmitReport(db(), db_path(), SampleReport(), "public");
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  bool created = false;
  auto lead_id = leads::ReportToLead(db(), done->id, "user:analyst", 70, &created);
  ASSERT_TRUE(lead_id.ok()) << lead_id.status().ToString();
  EXPECT_TRUE(created);
  auto lead = leads::GetLead(db(), *lead_id);
  ASSERT_TRUE(lead.ok());
  EXPECT_EQ(lead->model, "public_report");
  EXPECT_EQ(lead->status, "pending");
  EXPECT_EQ(lead->detection, "active");
  EXPECT_EQ(lead->score, 70);
  EXPECT_EQ(lead->region_code, "210911");
  EXPECT_EQ(lead->subject.dataset, "reports");
  EXPECT_EQ(lead->subject.key, done->lookup_id);
  EXPECT_NE(lead->summary.find(done->lookup_id), std::string::npos);
  EXPECT_EQ(lead->summary.find("PLAINTEXT"), std::string::npos);
  EXPECT_EQ(lead->summary.find("甲乙丙"), std::string::npos);
  auto s = leads::FindReport(db(), done->lookup_id);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->lead_id, *lead_id);
  EXPECT_EQ(s->status, "in_progress");
  auto history = leads::HistoryOf(db(), *lead_id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].action, "from_report");
  // Once only: the second time answers the same lead.
  auto again = leads::ReportToLead(db(), done->id, "user:analyst", 70, &created);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(*again, *lead_id);
  EXPECT_EQ(db()->QueryInt("SELECT COUNT(*) FROM leads").value(), 1);
  // The lead then follows the ordinary workflow.
  auto ledger = ledger::Ledger::Open(db());
  ASSERT_TRUE(ledger.ok());
  leads::Command cmd;
  cmd.action = "propose";
  cmd.route = "preliminary_check";
  ASSERT_TRUE(db()->Begin().ok());
  Status applied = leads::Apply(db(), ledger->get(), *lead_id, cmd, "user:analyst", "2024-05-01");
  EXPECT_TRUE(applied.ok()) << applied.ToString();
  ASSERT_TRUE((*ledger)->Flush().ok());
  ASSERT_TRUE(db()->Commit().ok());
  EXPECT_FALSE(leads::ReportToLead(db(), done->id, "x", 101, &created).ok());
}

TEST(ReportRateLimiter, PerClientOverallAndWindow) {
  leads::ReportRateLimiter::Limits l;
  l.window_seconds = 600;
  l.submits_per_client = 5;
  l.submits_overall = 8;
  l.lookups_per_client = 30;
  leads::ReportRateLimiter rl(l);
  using K = leads::ReportRateLimiter::Kind;
  int64_t t = 1000000;
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(rl.Allow(K::kSubmit, "client-a", t + i)) << i;
  EXPECT_FALSE(rl.Allow(K::kSubmit, "client-a", t + 5));
  EXPECT_FALSE(rl.Allow(K::kSubmit, "client-a", t + 6));  // refusals are not counted…
  EXPECT_TRUE(rl.Allow(K::kLookup, "client-a", t + 6));   // …and lookups count apart
  EXPECT_TRUE(rl.Allow(K::kSubmit, "client-b", t + 7));
  EXPECT_TRUE(rl.Allow(K::kSubmit, "client-c", t + 8));
  EXPECT_TRUE(rl.Allow(K::kSubmit, "client-d", t + 9));
  EXPECT_FALSE(rl.Allow(K::kSubmit, "client-e", t + 10));  // the overall ceiling of 8
  // The window slides: a's first submission leaves it 600 s later.
  EXPECT_TRUE(rl.Allow(K::kSubmit, "client-a", t + 600));
  EXPECT_FALSE(rl.Allow(K::kSubmit, "client-a", t + 600));
  // Clients are forgotten once their window has passed.
  EXPECT_GT(rl.clients(), 0u);
  EXPECT_TRUE(rl.Allow(K::kLookup, "client-z", t + 5000));
  EXPECT_EQ(rl.clients(), 1u);
}

// ---------------------------------------------------------------------------
// Over HTTP: an in-process server on a fresh store with one account per role.

std::string TemplateDb() {
  static ScratchDir dir;
  static std::string path = [] {
    std::string p = dir.File("reports-template.db");
    auto store = Store::Open(p);
    EXPECT_TRUE(store.ok());
    EXPECT_TRUE(CreateUsers((*store)->db(),
                            {{"admin", "管理员", "admin", {}, {}},
                             {"leader", "领导", "leader", {}, {}},
                             {"analyst", "分析员", "analyst", {}, {}},
                             {"xihe", "细河分析员", "analyst", {"210911"}, {}},
                             {"clerk", "承办人", "handler", {}, {}},
                             {"auditor", "审计员", "auditor", {}, {}}},
                            kPassword));
    return p;
  }();
  return path;
}

class Server {
 public:
  explicit Server(std::function<void(server::ServerConfig&)> tune = nullptr) {
    db_ = dir_.File("s.db");
    fs::copy_file(TemplateDb(), db_);
    server_ = std::make_unique<ApiServer>(db_, dir_.File("none.json"), tune);
  }
  HttpClient Client() const { return server_->Client(); }
  HttpClient As(const std::string& user) const { return server_->As(user, kPassword); }
  const std::string& db() const { return db_; }

 private:
  ScratchDir dir_;
  std::string db_;
  std::unique_ptr<ApiServer> server_;
};

json PublicReport(const std::string& region = "210911") {
  return {{"kind", "report"},
          {"category", "工程建设"},
          {"region_code", region},
          {"target", "某局副局长"},
          {"content", "HTTP-PLAINTEXT-51d0 收受好处费"},
          {"attachments", json::array({{{"name", "照片.jpg"},
                                        {"mime", "image/jpeg"},
                                        {"data", ledger::Base64("JPEG-BYTES-e4f1")}}})}};
}

TEST(ReportsHttp, AnonymousSubmitAndFollowUpByReceipt) {
  Server s;
  HttpClient pub = s.Client();  // no session, no CSRF token
  HttpResult r = pub.Post("/api/public/reports", PublicReport());
  ASSERT_EQ(r.status, 201) << r.body;
  json j = r.Json();
  std::string receipt = j["receipt"];
  EXPECT_EQ(j["status_zh"], "已受理");
  EXPECT_EQ(j["lookup_id"], receipt.substr(0, 8));
  HttpResult st = pub.Get("/api/public/reports/status?receipt=" + receipt);
  ASSERT_EQ(st.status, 200) << st.body;
  EXPECT_EQ(st.Json()["status"], "accepted");
  EXPECT_EQ(st.Json()["kind_zh"], "举报");
  EXPECT_FALSE(st.Json().contains("content"));
  // Wrong code and unknown id: one answer.
  std::string wrong = receipt;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  std::string unknown = "JB000000" + receipt.substr(8);
  HttpResult a = pub.Get("/api/public/reports/status?receipt=" + wrong);
  HttpResult b = pub.Get("/api/public/reports/status?receipt=" + unknown);
  EXPECT_EQ(a.status, 404);
  EXPECT_EQ(a.body, b.body);
  EXPECT_EQ(pub.Get("/api/public/reports/status").status, 400);
  // Anonymous by default: no contact is kept.
  auto db = Db::Open(s.db());
  ASSERT_TRUE(db.ok());
  EXPECT_EQ((*db)->QueryInt("SELECT anonymous + (contact_sealed IS NULL) FROM reports").value(), 2);
  // Bad input names the field.
  json bad = PublicReport();
  bad["attachments"][0]["data"] = "not base64!";
  HttpResult e = pub.Post("/api/public/reports", bad);
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.Json()["field"], "attachments[0].data");
  bad = PublicReport();
  bad["anonymous"] = false;
  e = pub.Post("/api/public/reports", bad);
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.Json()["field"], "contact_name");
  bad = PublicReport();
  bad["ip"] = "1.2.3.4";
  EXPECT_EQ(pub.Post("/api/public/reports", bad).status, 400);
}

TEST(ReportsHttp, AnalystReadsHandlesAndTurnsIntoLeadClerkCannot) {
  Server s;
  HttpClient pub = s.Client();
  HttpResult sub = pub.Post("/api/public/reports", PublicReport());
  ASSERT_EQ(sub.status, 201) << sub.body;
  std::string receipt = sub.Json()["receipt"], id = sub.Json()["lookup_id"];
  ASSERT_EQ(pub.Post("/api/public/reports", PublicReport("210102")).status, 201);

  for (const char* who : {"clerk", "auditor"}) {
    HttpClient c = s.As(who);
    EXPECT_EQ(c.Get("/api/reports").status, 403) << who;
    EXPECT_EQ(c.Get("/api/reports/" + id).status, 403) << who;
    EXPECT_EQ(c.Post("/api/reports/" + id + "/lead", json::object()).status, 403) << who;
    EXPECT_EQ(c.Get("/api/reports/" + id + "/attachments/1").status, 403) << who;
  }
  EXPECT_EQ(s.Client().Get("/api/reports").status, 401);

  HttpClient analyst = s.As("analyst");
  HttpResult list = analyst.Get("/api/reports?status=accepted");
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json()["total"], 2);
  EXPECT_EQ(list.body.find("HTTP-PLAINTEXT"), std::string::npos);  // lists hold no content
  EXPECT_EQ(analyst.Get("/api/reports?status=nonsense").status, 400);

  // A user scoped to 细河区 sees that report only.
  HttpClient xihe = s.As("xihe");
  EXPECT_EQ(xihe.Get("/api/reports").Json()["total"], 1);
  EXPECT_EQ(xihe.Get("/api/reports?region=210102").status, 403);

  HttpResult detail = analyst.Get("/api/reports/" + id);
  ASSERT_EQ(detail.status, 200) << detail.body;
  EXPECT_EQ(detail.Json()["content"], "HTTP-PLAINTEXT-51d0 收受好处费");
  EXPECT_EQ(detail.Json()["target"], "某局副局长");
  EXPECT_TRUE(detail.Json()["contact"].is_null());
  ASSERT_EQ(detail.Json()["files"].size(), 1u);
  HttpResult file = analyst.Get("/api/reports/" + id + "/attachments/1");
  ASSERT_EQ(file.status, 200);
  EXPECT_EQ(file.body, "JPEG-BYTES-e4f1");
  EXPECT_NE(file.Header("Content-Disposition").find("attachment"), std::string::npos);
  EXPECT_EQ(analyst.Get("/api/reports/" + id + "/attachments/2").status, 404);
  EXPECT_EQ(analyst.Get("/api/reports/JB000000").status, 404);

  // Status and public reply, then the person sees them.
  HttpResult act = analyst.Post("/api/reports/" + id + "/actions",
                                {{"status", "in_progress"}, {"reply", "已转有关部门核查"}});
  ASSERT_EQ(act.status, 200) << act.body;
  EXPECT_EQ(analyst.Post("/api/reports/" + id + "/actions", {{"status", "accepted"}}).status, 400);
  HttpResult st = pub.Get("/api/public/reports/status?receipt=" + receipt);
  EXPECT_EQ(st.Json()["status_zh"], "办理中");
  EXPECT_EQ(st.Json()["reply"], "已转有关部门核查");

  // One action makes it a lead; the lead is visible to everyone with `read`,
  // its text only to those with `reports`.
  HttpResult lead = analyst.Post("/api/reports/" + id + "/lead", {{"score", 80}});
  ASSERT_EQ(lead.status, 201) << lead.body;
  std::string code = lead.Json()["lead"];
  EXPECT_EQ(lead.Json()["report"]["lead"], code);
  HttpResult again = analyst.Post("/api/reports/" + id + "/lead", json::object());
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.Json()["lead"], code);
  HttpClient admin = s.As("admin");
  HttpResult l = admin.Get("/api/leads/" + code);
  ASSERT_EQ(l.status, 200) << l.body;
  EXPECT_EQ(l.Json()["subject"]["key"], id);
  EXPECT_EQ(l.Json()["score"], 80);
  EXPECT_EQ(l.body.find("HTTP-PLAINTEXT"), std::string::npos);

  // Every reading is in the ledger, by name.
  auto db = Db::Open(s.db());
  ASSERT_TRUE(db.ok());
  EXPECT_EQ((*db)
                ->QueryInt("SELECT COUNT(*) FROM ledger_actions WHERE actor = 'user:analyst' "
                           "AND action IN ('report_read', 'report_attachment_read')")
                .value(),
            2);
}

TEST(ReportsHttp, RateLimitedWithAChineseAnswer) {
  Server s([](server::ServerConfig& c) {
    c.report_limits.submits_per_client = 2;
    c.report_limits.lookups_per_client = 3;
  });
  HttpClient pub = s.Client();
  json small = {{"kind", "complaint"}, {"content", "路灯不亮"}};
  EXPECT_EQ(pub.Post("/api/public/reports", small).status, 201);
  EXPECT_EQ(pub.Post("/api/public/reports", small).status, 201);
  HttpResult r = pub.Post("/api/public/reports", small);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.Json()["message"], "提交或查询过于频繁，请稍后再试");
  EXPECT_FALSE(r.Header("Retry-After").empty());
  // Guessing receipt codes counts too.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(pub.Get("/api/public/reports/status?receipt=JB00000000000000000000000000").status,
              404);
  }
  EXPECT_EQ(pub.Get("/api/public/reports/status?receipt=JB00000000000000000000000000").status, 429);
  // A client cannot pick its own bucket by sending the transport's header.
  HttpResult forged = pub.Send("POST", "/api/public/reports", small.dump(), "application/json",
                               {{"X-QF-Client-Key", "someone-else"}});
  EXPECT_EQ(forged.status, 429);
}

TEST(ReportsHttp, LargeAttachmentsWithinTheBodyLimit) {
  Server s;
  HttpClient pub = s.Client();
  json r = {{"kind", "report"}, {"content", "附件较大"}};
  r["attachments"] = json::array(
      {{{"name", "a.bin"}, {"data", ledger::Base64(std::string(size_t{10} << 20, 'a'))}},
       {{"name", "b.bin"}, {"data", ledger::Base64(std::string(size_t{3} << 20, 'b'))}}});
  HttpResult ok = pub.Post("/api/public/reports", r);
  ASSERT_EQ(ok.status, 201) << ok.body.substr(0, 300);
  r["attachments"][1]["data"] = ledger::Base64(std::string((size_t{10} << 20) + 1, 'b'));
  HttpResult big = pub.Post("/api/public/reports", r);
  EXPECT_EQ(big.status, 400);
}

// ---------------------------------------------------------------------------
// The real binary: a report submitted from 127.0.0.1, with forwarding headers
// naming 203.0.113.77, leaves neither address in any table, file or log line.

struct Sent {
  int status = 0;
  std::string body;
  std::string local_address;  // the address the server saw as the peer
};

// One request from 127.0.0.1 (bound explicitly) to `host`.
Sent SendFrom127(const std::string& host, uint16_t port, const std::string& method,
                 const std::string& target, const std::string& body,
                 const std::map<std::string, std::string>& headers) {
  namespace net = boost::asio;
  namespace http = boost::beast::http;
  net::io_context ioc;
  net::ip::tcp::socket sock(ioc);
  sock.open(net::ip::tcp::v4());
  sock.bind(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
  sock.connect(net::ip::tcp::endpoint(net::ip::make_address(host), port));
  Sent out;
  out.local_address = sock.local_endpoint().address().to_string();
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, host);
  for (const auto& [k, v] : headers) req.set(k, v);
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  http::write(sock, req);
  boost::beast::flat_buffer buf;
  http::response<http::string_body> res;
  boost::beast::error_code ec;
  http::read(sock, buf, res, ec);
  if (ec) return out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& f : res) {
    if (f.name() == http::field::set_cookie) out.body += "\nSet-Cookie: " + std::string(f.value());
  }
  return out;
}

TEST(ReportsPrivacy, NoClientAddressInAnyTableFileOrLog) {
  ScratchDir dir;
  std::string db = dir.File("p.db");
  fs::copy_file(TemplateDb(), db);
  std::string log = dir.File("serve.log");  // outside the store's files
  // The server listens on 127.0.0.2, so its own start-up line names that
  // address and not the client's.
  const std::string host = "127.0.0.2";
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    setenv("QINGFENG_LOG", "debug", 1);
    execl(QF_BINARY, QF_BINARY, "--db", db.c_str(), "serve", "--host", host.c_str(), "--port", "0",
          nullptr);
    _exit(127);
  }
  uint16_t port = 0;
  for (int i = 0; i < 200 && port == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::smatch m;
    std::string text = ReadAll(log);
    if (std::regex_search(text, m, std::regex(":([0-9]+)/"))) {
      port = static_cast<uint16_t>(std::stoi(m[1]));
    }
  }
  ASSERT_NE(port, 0) << ReadAll(log);
  const std::map<std::string, std::string> forwarded = {
      {"X-Forwarded-For", "203.0.113.77"},
      {"X-Real-IP", "203.0.113.77"},
      {"Forwarded", "for=203.0.113.77;proto=https"}};
  Sent sub =
      SendFrom127(host, port, "POST", "/api/public/reports", PublicReport().dump(), forwarded);
  EXPECT_EQ(sub.local_address, "127.0.0.1");
  ASSERT_EQ(sub.status, 201) << sub.body;
  json j = json::parse(sub.body);
  std::string receipt = j["receipt"], id = j["lookup_id"];
  EXPECT_EQ(
      SendFrom127(host, port, "GET", "/api/public/reports/status?receipt=" + receipt, "", forwarded)
          .status,
      200);
  EXPECT_EQ(
      SendFrom127(host, port, "GET", "/api/public/reports/status?receipt=JB0000000", "", forwarded)
          .status,
      404);
  // An analyst signs in, reads it and makes it a lead, from the same address.
  Sent login = SendFrom127(host, port, "POST", "/api/login",
                           json{{"name", "analyst"}, {"password", kPassword}}.dump(), forwarded);
  ASSERT_EQ(login.status, 200) << login.body;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(login.body, m, std::regex("qf_session=([0-9a-f]+)")));
  std::string csrf = json::parse(login.body.substr(0, login.body.find("\nSet-Cookie")))["csrf"];
  std::map<std::string, std::string> session = forwarded;
  session["Cookie"] = "qf_session=" + m[1].str();
  session["X-CSRF-Token"] = csrf;
  EXPECT_EQ(SendFrom127(host, port, "GET", "/api/reports/" + id, "", session).status, 200);
  EXPECT_EQ(SendFrom127(host, port, "POST", "/api/reports/" + id + "/lead", "{}", session).status,
            201);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  const std::vector<std::string> addresses = {"127.0.0.1", "203.0.113.77"};
  auto d = Db::Open(db);
  ASSERT_TRUE(d.ok());
  int64_t rows = 0;
  EXPECT_EQ(FoundInTables(d->get(), addresses, &rows), std::vector<std::string>{});
  EXPECT_EQ((*d)->QueryInt("SELECT COUNT(*) FROM reports").value(), 1);
  EXPECT_GE((*d)->QueryInt("SELECT COUNT(*) FROM ledger_actions").value(), 4);
  d->reset();
  std::vector<std::string> files = StoreFiles(db);
  EXPECT_GE(files.size(), 4u);  // the database, both keys and the sealed attachment at least
  EXPECT_EQ(FoundInFiles(db, addresses), std::vector<std::string>{});
  std::string output = ReadAll(log);
  EXPECT_NE(output.find(host), std::string::npos) << "the output was not captured";
  for (const std::string& a : addresses) {
    EXPECT_EQ(output.find(a), std::string::npos) << a << " in the server's output:\n" << output;
  }
}

// The CLI: a clerk registers a letter; the receipt works; list, show, lead.
TEST(ReportsCli, RegisterALetterAndHandleIt) {
  ScratchDir dir;
  std::string db = dir.File("c.db");
  auto run = [&](const std::string& args) {
    std::string cmd = std::string(QF_BINARY) + " --db " + db + " " + args + " 2>&1";
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    std::array<char, 4096> buf;
    size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    int st = pclose(p);
    return std::make_pair(WIFEXITED(st) ? WEXITSTATUS(st) : -1, out);
  };
  for (const char* sub : {"", " list", " show", " status", " update", " lead", " submit"}) {
    auto help = run(std::string("reports") + sub + " --help");
    EXPECT_EQ(help.first, 0) << sub << help.second;
    EXPECT_NE(help.second.find("Usage"), std::string::npos) << sub;
  }
  std::string letter = dir.Write("letter.txt", "CLI-PLAINTEXT-0b7 反映某村账目不公开");
  auto [rc, out] = run("reports submit --kind complaint --content-file " + letter +
                       " --name 张三 --phone 13800000000 --region 210911 --category 村务");
  ASSERT_EQ(rc, 0) << out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(out, m, std::regex("(TS[0-9A-Z]{6}(-[0-9A-Z]{4}){5})"))) << out;
  std::string receipt = m[1], id = receipt.substr(0, 8);
  auto status = run("reports status " + receipt);
  EXPECT_EQ(status.first, 0) << status.second;
  EXPECT_NE(status.second.find("已受理"), std::string::npos);
  std::string wrong = receipt;
  wrong.back() = wrong.back() == 'Z' ? 'Y' : 'Z';  // always another code
  EXPECT_EQ(run("reports status " + wrong).first, 1);
  auto list = run("reports list --format jsonl");
  EXPECT_NE(list.second.find(id), std::string::npos) << list.second;
  EXPECT_EQ(list.second.find("CLI-PLAINTEXT"), std::string::npos);
  auto show = run("reports show " + id);
  EXPECT_EQ(show.first, 0) << show.second;
  EXPECT_NE(show.second.find("CLI-PLAINTEXT-0b7"), std::string::npos);
  EXPECT_NE(show.second.find("张三"), std::string::npos);
  EXPECT_EQ(run("reports update " + id + " --status closed --reply 已答复").first, 0);
  auto lead = run("reports lead " + id);
  EXPECT_EQ(lead.first, 0) << lead.second;
  EXPECT_NE(lead.second.find("L0000"), std::string::npos);
  EXPECT_EQ(run("reports show JB99999999").first, 1);
  EXPECT_EQ(run("reports submit --kind report --content x").first, 1);  // named, without contact
  EXPECT_EQ(FoundInFiles(db, {"CLI-PLAINTEXT-0b7", "张三", "13800000000"}),
            std::vector<std::string>{});
}

}  // namespace
}  // namespace qf::testing
