// The command line as a clerk or a script uses it: exit codes, messages and
// machine-readable output of the real binary.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "test_util.h"

namespace qf {
namespace {

using qf::testing::ScratchDir;

struct CmdResult {
  int code = -1;
  std::string out;  // stdout and stderr together
};

CmdResult Qf(const std::string& db, const std::string& args) {
  std::string cmd = std::string(QF_BINARY) + " --db " + db + " " + args + " 2>&1";
  CmdResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CliTest : public ::testing::Test {
 protected:
  std::string Db() const { return dir_.File("cli.db"); }
  ScratchDir dir_;
};

TEST_F(CliTest, EveryCommandHasHelp) {
  for (const char* cmd : {"",          "import",      "datasets",        "imports",    "quarantine",
                          "history",   "describe",    "ledger",          "synth",      "scan",
                          "leads",     "lead",        "models",          "eval",       "demo",
                          "serve",     "user",        "reports",         "resolve",    "graph",
                          "graph ego", "graph paths", "graph conflicts", "graph stats"}) {
    CmdResult r = Qf(Db(), std::string(cmd) + " --help");
    EXPECT_EQ(r.code, 0) << cmd << r.out;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd;
  }
}

TEST_F(CliTest, ImportReportsCountsAndExitsZeroWithQuarantinedRows) {
  std::string f = dir_.Write("payments.csv",
                             "payment_id,pay_date,org,payee_name,amount\n"
                             "P1,2024-01-05,局,甲,1\nP2,2024-01-05,局,乙,abc\n");
  CmdResult r = Qf(Db(), "import payments " + f + " --format jsonl");
  ASSERT_EQ(r.code, 0) << r.out;
  auto line = r.out.substr(0, r.out.find('\n'));
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["accepted"], 1);
  EXPECT_EQ(j["new"], 1);
  EXPECT_EQ(j["quarantined"], 1);

  CmdResult q = Qf(Db(), "quarantine --format jsonl");
  ASSERT_EQ(q.code, 0) << q.out;
  auto e = nlohmann::json::parse(q.out.substr(0, q.out.find('\n')));
  for (const char* key : {"dataset", "file", "line", "column", "value", "reason"}) {
    EXPECT_TRUE(e.contains(key)) << key;
  }
  EXPECT_EQ(e["dataset"], "payments");
  EXPECT_EQ(e["line"], 3);
  EXPECT_EQ(e["column"], "amount");
  EXPECT_EQ(e["value"], "abc");

  CmdResult csv = Qf(Db(), "--lang en quarantine --format csv");
  EXPECT_NE(csv.out.find("dataset,file,line"), std::string::npos) << csv.out;
  EXPECT_NE(csv.out.find("is not an amount"), std::string::npos) << csv.out;

  // Correct the row in the exported file and import it again: quarantine empties.
  std::string fix = dir_.File("fix.csv");
  ASSERT_EQ(Qf(Db(), "quarantine --dataset payments --export-rows " + fix).code, 0);
  std::ifstream in(fix);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  ASSERT_NE(text.find("abc"), std::string::npos);
  text.replace(text.find("abc"), 3, "2.50");
  dir_.Write("fix.csv", text);
  // The export is an action the ledger remembers.
  CmdResult actions = Qf(Db(), "ledger actions");
  EXPECT_NE(actions.out.find("export"), std::string::npos) << actions.out;
  CmdResult again = Qf(Db(), "import payments " + fix);
  ASSERT_EQ(again.code, 0) << again.out;
  EXPECT_NE(Qf(Db(), "quarantine").out.find("隔离区为空"), std::string::npos);
}

TEST_F(CliTest, UnreadableInputFailsWithAClearMessage) {
  CmdResult unknown = Qf(Db(), "import paymentz x.csv");
  EXPECT_NE(unknown.code, 0);
  EXPECT_NE(unknown.out.find("persons, deaths"), std::string::npos) << unknown.out;

  std::string bad = dir_.Write("p.csv", "payment_id,amount\nP1,1\n");
  CmdResult missing = Qf(Db(), "import payments " + bad);
  EXPECT_NE(missing.code, 0);
  EXPECT_NE(missing.out.find("付款单位"), std::string::npos) << missing.out;
  EXPECT_NE(missing.out.find("payment_id, amount"), std::string::npos) << missing.out;

  CmdResult none = Qf(Db(), "import payments " + dir_.File("absent.csv"));
  EXPECT_NE(none.code, 0);
  EXPECT_NE(none.out.find("absent.csv"), std::string::npos);

  CmdResult en = Qf(Db(), "--lang en import payments " + bad);
  EXPECT_NE(en.out.find("required column"), std::string::npos) << en.out;
}

TEST_F(CliTest, ImportsAFolderByFileNamesAndListsDatasets) {
  dir_.Write("deaths.csv", "id_number,death_date\n11010519491231002X,2023-11-02\n");
  dir_.Write("persons.csv", "身份证号,姓名\n11010519491231002X,张三\n");
  dir_.Write("notes.txt", "not data");
  CmdResult r = Qf(Db(), "import " + dir_.path());
  ASSERT_EQ(r.code, 0) << r.out;
  // Registries first, in the declarations' order.
  EXPECT_LT(r.out.find("persons.csv"), r.out.find("deaths.csv"));
  EXPECT_NE(r.out.find("notes.txt"), std::string::npos);  // reported as skipped
  CmdResult d = Qf(Db(), "datasets --format jsonl");
  ASSERT_EQ(d.code, 0);
  std::istringstream lines(d.out);
  std::string line;
  int seen = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    if (j["dataset"] == "persons" || j["dataset"] == "deaths") {
      EXPECT_EQ(j["rows"], 1);
      ++seen;
    }
  }
  EXPECT_EQ(seen, 2);
  CmdResult h = Qf(Db(), "history persons 11010519491231002X --format jsonl");
  EXPECT_EQ(h.code, 0) << h.out;
  EXPECT_NE(h.out.find("张三"), std::string::npos);
}

TEST_F(CliTest, DatabasePathComesFromEnvironmentToo) {
  std::string db = dir_.File("env.db");
  std::string cmd = "QINGFENG_DB=" + db + " " + QF_BINARY + " datasets > /dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_TRUE(std::filesystem::exists(db));
}

TEST_F(CliTest, DatasetDocsAreGeneratedFromTheDeclarations) {
  CmdResult r = Qf(Db(), "describe --format markdown");
  ASSERT_EQ(r.code, 0);
  std::ifstream in(qf::testing::SourceDir() + "/docs/datasets.md");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), r.out) << "docs/datasets.md is stale: run `make docs`";
}

TEST_F(CliTest, ModelDocsAreGeneratedFromTheCatalogue) {
  CmdResult r = Qf(Db(), "models --format markdown");
  ASSERT_EQ(r.code, 0);
  std::ifstream in(qf::testing::SourceDir() + "/docs/models.md");
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), r.out) << "docs/models.md is stale: run `make docs`";
}

// The demo end to end through the real binary: synthesise, import, scan;
// then leads as JSON Lines, one lead in full, eval against the truth, and a
// second scan that keeps every lead id.
TEST_F(CliTest, DemoScanLeadsAndEval) {
  CmdResult demo = Qf(Db(), "demo --scale 0.3 --seed 5 --no-serve");
  ASSERT_EQ(demo.code, 0) << demo.out;
  EXPECT_NE(demo.out.find("条问题线索"), std::string::npos) << demo.out;
  CmdResult again = Qf(Db(), "demo --no-serve");
  EXPECT_EQ(again.code, 1) << again.out;
  EXPECT_NE(again.out.find("空数据库"), std::string::npos);
  // One account per role, passwords random and kept readable by the owner only.
  struct stat st {};
  ASSERT_EQ(::stat((Db() + ".accounts.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  CmdResult users = Qf(Db(), "user list");
  ASSERT_EQ(users.code, 0) << users.out;
  for (const char* name : {"admin", "leader", "analyst", "xihe", "auditor", "clerk"}) {
    EXPECT_NE(users.out.find(name), std::string::npos) << name << users.out;
  }

  CmdResult jl = Qf(Db(), "leads --format jsonl");
  ASSERT_EQ(jl.code, 0) << jl.out;
  std::istringstream lines(jl.out);
  std::string line;
  std::set<std::string> ids;
  int n = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line);
    for (const char* k :
         {"id", "model", "family", "score", "amount", "subject", "evidence", "summary"}) {
      ASSERT_TRUE(j.contains(k)) << k << " in " << line;
    }
    EXPECT_TRUE(j["subject"].contains("dataset") && j["subject"].contains("key") &&
                j["subject"].contains("name"));
    EXPECT_FALSE(j["evidence"].empty());
    EXPECT_TRUE(j["evidence"][0].contains("dataset") && j["evidence"][0].contains("key"));
    ids.insert(j["id"].get<std::string>());
    ++n;
  }
  ASSERT_GT(n, 20);

  CmdResult one = Qf(Db(), "lead " + *ids.begin());
  EXPECT_EQ(one.code, 0) << one.out;
  EXPECT_NE(one.out.find("证据"), std::string::npos);
  EXPECT_EQ(Qf(Db(), "lead L999999").code, 1);
  EXPECT_EQ(Qf(Db(), "lead nonsense").code, 1);

  CmdResult eval = Qf(Db(), "eval --truth " + Db() + ".city/truth.jsonl --format json");
  ASSERT_EQ(eval.code, 0) << eval.out;
  auto ej = nlohmann::json::parse(eval.out);
  EXPECT_FALSE(ej["models"].empty());
  EXPECT_TRUE(ej["families"].contains("welfare"));

  CmdResult scan = Qf(Db(), "scan");
  ASSERT_EQ(scan.code, 0) << scan.out;
  CmdResult jl2 = Qf(Db(), "leads --format jsonl");
  std::istringstream lines2(jl2.out);
  std::set<std::string> ids2;
  while (std::getline(lines2, line))
    ids2.insert(nlohmann::json::parse(line)["id"].get<std::string>());
  EXPECT_EQ(ids, ids2) << "a re-scan of unchanged data must keep every lead id";

  EXPECT_EQ(Qf(Db(), "scan --model no_such_model").code, 1);
  std::string bad_settings = dir_.Write("bad.json", R"({"models":{"split_payment":{"nope":1}}})");
  CmdResult bs = Qf(Db(), "scan --settings " + bad_settings);
  EXPECT_EQ(bs.code, 1) << bs.out;
  EXPECT_NE(bs.out.find("nope"), std::string::npos) << bs.out;
}

TEST_F(CliTest, AnalystModelThroughTheCli) {
  std::string f = dir_.Write("payments.csv",
                             "payment_id,pay_date,org,payee_name,amount\n"
                             "P1,2024-01-05,局,甲,200000\nP2,2024-01-05,局,乙,5\n");
  ASSERT_EQ(Qf(Db(), "import payments " + f).code, 0);
  std::string def = dir_.Write("m.json", R"({"id":"big_payment","name_zh":"大额支付",
    "params":[{"name":"min_fen","default":"10000000"}],
    "sql":"SELECT payment_id AS subject_key, 'payments' AS subject_dataset, payee_name AS subject_name, amount, '大额支付 ' || payment_id AS summary FROM payments WHERE amount >= :min_fen"})");
  CmdResult add = Qf(Db(), "models add " + def);
  ASSERT_EQ(add.code, 0) << add.out;
  CmdResult list = Qf(Db(), "models");
  EXPECT_NE(list.out.find("big_payment"), std::string::npos);
  CmdResult scan = Qf(Db(), "scan --model big_payment");
  ASSERT_EQ(scan.code, 0) << scan.out;
  CmdResult leads = Qf(Db(), "leads --model big_payment --format jsonl");
  EXPECT_NE(leads.out.find("\"P1\""), std::string::npos) << leads.out;
  EXPECT_EQ(leads.out.find("\"P2\""), std::string::npos);
  std::string bad =
      dir_.Write("bad.json", R"({"id":"x","name_zh":"x","sql":"DELETE FROM payments"})");
  CmdResult refused = Qf(Db(), "models add " + bad);
  EXPECT_EQ(refused.code, 1) << refused.out;
  EXPECT_NE(refused.out.find("SELECT"), std::string::npos) << refused.out;
  EXPECT_EQ(Qf(Db(), "models remove big_payment").code, 0);
  EXPECT_EQ(Qf(Db(), "models remove big_payment").code, 1);
}

// The first admin comes from the command line; there is no default password.
TEST_F(CliTest, UserAddReadsThePasswordAndRefusesWeakOnes) {
  std::string pw = dir_.File("pw.txt");
  std::ofstream(pw) << "a-long-enough-password\n";
  std::string weak = dir_.File("weak.txt");
  std::ofstream(weak) << "short\n";
  CmdResult bad = Qf(Db(), "user add boss --role admin < " + weak);
  EXPECT_EQ(bad.code, 1) << bad.out;
  EXPECT_NE(bad.out.find("密码"), std::string::npos) << bad.out;
  CmdResult role = Qf(Db(), "user add boss --role king < " + pw);
  EXPECT_NE(role.code, 0) << role.out;
  CmdResult ok = Qf(Db(), "user add boss --role admin --display-name 张主任 < " + pw);
  ASSERT_EQ(ok.code, 0) << ok.out;
  CmdResult dup = Qf(Db(), "user add boss --role admin < " + pw);
  EXPECT_EQ(dup.code, 1) << dup.out;
  CmdResult list = Qf(Db(), "user list");
  EXPECT_NE(list.out.find("boss"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find("a-long-enough-password"), std::string::npos);
  CmdResult scoped = Qf(Db(), "user add xh --role analyst --region 2109 < " + pw);
  EXPECT_EQ(scoped.code, 1) << scoped.out;
}

}  // namespace
}  // namespace qf
