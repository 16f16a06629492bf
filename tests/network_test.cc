// The relationship network end to end: the network models' quality on the
// synthetic city, entity resolution measured against er_truth.jsonl, analysts'
// decisions kept and honoured, and the CLI's graph commands.
#include "engine/network.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>

#include "engine/eval.h"
#include "leads/matches.h"
#include "model_test_util.h"
#include "store/store.h"
#include "test_util.h"

namespace qf {
namespace {

using qf::testing::ExpectQuality;
using qf::testing::RunOnCity;
using qf::testing::ScratchDir;
using qf::testing::SharedCity;

// Truth files name the line a clerk must fix; blank lines are skipped.
TEST(Truth, BadLinesAreNamed) {
  ScratchDir dir;
  std::string truth = dir.Write("truth.jsonl",
                                "{\"kind\":\"dup\",\"keys\":[{\"dataset\":\"payments\","
                                "\"key\":\"P1\"}]}\n\n{\"kind\":\"dup\"}\n");
  auto t = engine::ReadTruth(truth);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("line 3: no \"keys\" list"), std::string::npos)
      << t.status().message();
  std::string er = dir.Write("er.jsonl", "not json\n");
  auto e = engine::ReadErTruth(er);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message_zh().find("第 1 行：not a JSON object"), std::string::npos);
  auto good = engine::ReadTruth(dir.Write("ok.jsonl",
                                          "{\"kind\":\"dup\",\"keys\":[{\"dataset\":"
                                          "\"payments\",\"key\":\"P1\"}]}\n"));
  ASSERT_TRUE(good.ok());
  ASSERT_EQ(good->size(), 1u);
  EXPECT_EQ((*good)[0].keys[0].second, "P1");
}

TEST(NetworkModels, LeaderIndirectLink) {
  auto r = RunOnCity("leader_indirect_link");
  ExpectQuality(r);
  ASSERT_FALSE(r.findings.empty());
  // Every finding shows its path the way the example does.
  for (const auto& f : r.findings) EXPECT_NE(f.summary.find("—"), std::string::npos) << f.summary;
}

TEST(NetworkModels, LinkedBidders) { ExpectQuality(RunOnCity("linked_bidders")); }

TEST(NetworkModels, HandlerLinkedBeneficiary) {
  ExpectQuality(RunOnCity("handler_linked_beneficiary"));
}

TEST(NetworkModels, InspectorLinkedTarget) { ExpectQuality(RunOnCity("inspector_linked_target")); }

class NetworkOnCity : public ::testing::Test {
 protected:
  void SetUp() override {
    auto snap = engine::Snapshot::Load(SharedCity().store->db(), engine::NetworkInputs());
    ASSERT_TRUE(snap.ok()) << snap.status().ToString();
    snap_ = std::move(snap).value();
  }
  std::unique_ptr<engine::Snapshot> snap_;
};

// The targets: F1 ≥ 0.95 on organisations and ≥ 0.9 on persons named
// without an ID number, over every name-only mention the city wrote.
TEST_F(NetworkOnCity, ResolutionMeetsTheF1Targets) {
  auto truth = engine::ReadErTruth(SharedCity().path("er_truth.jsonl"));
  ASSERT_TRUE(truth.ok()) << truth.status().ToString();
  ASSERT_GT(truth->size(), 500u);
  auto res = engine::Resolution::Build(*snap_, {});
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  ScratchDir dir;
  auto store = Store::Open(dir.File("m.db"));
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(leads::WriteMatches((*store)->db(), 1, *snap_, **res).ok());
  auto matched = leads::MatchedPredictions((*store)->db());
  ASSERT_TRUE(matched.ok());
  std::vector<engine::ErPrediction> preds;
  for (auto& m : *matched) preds.push_back({m.dataset, m.key, m.column, m.entity_key});
  auto q = engine::EvaluateEr(*truth, preds);
  for (const auto& k : q) {
    double target = k.kind == "org" ? 0.95 : k.kind == "person" ? 0.90 : 0;
    EXPECT_GE(k.f1(), target) << k.kind << " P " << k.precision() << " R " << k.recall();
  }
}

// A rejected match stays rejected on the next run, and the decision is a
// ledger action; a confirmed one forces the match.
TEST_F(NetworkOnCity, DecisionsAreKeptAndHonoured) {
  auto res = engine::Resolution::Build(*snap_, {});
  ASSERT_TRUE(res.ok());
  ScratchDir dir;
  auto store = Store::Open(dir.File("d.db"));
  ASSERT_TRUE(store.ok());
  Db* db = (*store)->db();
  ASSERT_TRUE(leads::WriteMatches(db, 1, *snap_, **res).ok());
  leads::MatchFilter f;
  f.status = "matched";
  f.dataset = "payments";
  f.limit = 1;
  auto rows = leads::ListMatches(db, f);
  ASSERT_TRUE(rows.ok());
  ASSERT_FALSE(rows->empty()) << "the city has name-only payments that resolve";
  const leads::MatchRow m = (*rows)[0];
  const engine::Table& pay = snap_->at("payments");
  uint32_t row = 0;
  while (row < pay.size() && snap_->key(pay, row) != m.key) ++row;
  ASSERT_LT(row, pay.size());
  EXPECT_EQ(snap_->str((*res)->PartyOf(pay, row, "payee_name")), m.entity_key);

  engine::Decision d{m.dataset, m.key, m.column, m.entity_key, false};
  ASSERT_TRUE(leads::SaveDecision(db, d, "user:test", "不是同一单位").ok());
  auto decisions = leads::LoadDecisions(db);
  ASSERT_TRUE(decisions.ok());
  ASSERT_EQ(decisions->size(), 1u);
  auto again = engine::Resolution::Build(*snap_, *decisions);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(snap_->str((*again)->PartyOf(pay, row, "payee_name")), m.entity_key);
  auto actions = db->QueryInt("SELECT COUNT(*) FROM ledger_actions WHERE action = 'er_reject'");
  ASSERT_TRUE(actions.ok());
  EXPECT_EQ(*actions, 1);

  // A decision on a mention the last scan did not list is refused.
  engine::Decision bad{"payments", "NO-SUCH-PAYMENT", "payee_name", m.entity_key, true};
  EXPECT_FALSE(leads::SaveDecision(db, bad, "user:test", "").ok());
}

std::pair<int, std::string> Qf(const std::string& args) {
  std::string cmd =
      std::string(QF_BINARY) + " --db " + SharedCity().dir + "/city.db " + args + " 2>&1";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {-1, out};
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(NetworkCli, GraphCommands) {
  SharedCity();  // generated and imported once per test binary
  auto [code, out] = Qf("graph stats");
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("持股"), std::string::npos) << out;
  auto [c2, conflicts] = Qf("graph conflicts --k 3 --limit 3");
  EXPECT_EQ(c2, 0) << conflicts;
  EXPECT_NE(conflicts.find("—"), std::string::npos) << conflicts;
  auto [c3, ego] = Qf("graph ego 阜新市财政局 --depth 1 --limit 20");
  EXPECT_EQ(c3, 0) << ego;
  EXPECT_NE(ego.find("\"nodes\""), std::string::npos);
  auto [c4, none] = Qf("graph ego 不存在的单位名称");
  EXPECT_EQ(c4, 1) << none;
  EXPECT_NE(none.find("关系图谱中没有"), std::string::npos) << none;
}

}  // namespace
}  // namespace qf
