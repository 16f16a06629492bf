// The command line as a clerk or a script uses it: exit codes, messages and
// machine-readable output of the real binary.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
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
  for (const char* cmd :
       {"", "import", "datasets", "imports", "quarantine", "history", "describe", "ledger"}) {
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

}  // namespace
}  // namespace qf
