// The engine's plumbing: snapshot types, settings, lead reconciliation across
// scans, and analysts' SQL models (read-only, clear errors).
#include <gtest/gtest.h>

#include "common/time.h"
#include "engine/model.h"
#include "engine/runner.h"
#include "engine/snapshot.h"
#include "ingest/importer.h"
#include "leads/lead_store.h"
#include "leads/scan.h"
#include "models/custom_sql.h"
#include "test_util.h"

namespace qf {
namespace {

using qf::testing::ScratchDir;

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Open(dir_.File("t.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  void Import(const std::string& dataset, const std::string& csv) {
    std::string path = dir_.Write(dataset + ".csv", csv);
    Importer imp(store_.get());
    auto r = imp.ImportFile(dataset, path, {});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  ScratchDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(EngineTest, SnapshotHoldsTypedColumnsAndSharesCodes) {
  Import("payments",
         "payment_id,pay_date,org,payee_name,payee_party,amount\n"
         "P1,2024/3/8,财政局,张三,11010519491231002X,\"1,234.50\"\n"
         "P2,20240309,财政局,李四,,0.05\n");
  Import("deaths", "id_number,death_date\n11010519491231002X,2024-01-02\n");
  auto snap = engine::Snapshot::Load(
      store_->db(),
      {{"payments", {"pay_date", "amount", "payee_party"}}, {"deaths", {"id_number"}}});
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  const engine::Snapshot& s = *snap.value();
  const engine::Table& p = s.at("payments");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p.col("amount").ints[0], 123450);
  EXPECT_EQ(p.col("amount").ints[1], 5);
  EXPECT_EQ(p.col("pay_date").ints[0], DaysFromCivil(2024, 3, 8));
  EXPECT_EQ(s.Format(p, "pay_date", 1), "2024-03-09");
  EXPECT_EQ(s.Format(p, "amount", 0), "1,234.50");
  EXPECT_TRUE(p.col("payee_party").IsNull(1));
  // The same ID number has the same code in both tables.
  EXPECT_EQ(p.col("payee_party").codes[0], s.at("deaths").col("id_number").codes[0]);
  EXPECT_EQ(s.key(p, 0), "P1");
  EXPECT_EQ(s.table("welfare"), nullptr);
}

TEST_F(EngineTest, SettingsOverrideAndRejectMistakes) {
  engine::ModelInfo info;
  info.id = "m";
  info.params = {{"threshold_yuan", "100000", "限额", "threshold"},
                 {"words", "a,b", "词", "words"}};
  auto s = engine::Settings::Parse(
      R"({"models":{"m":{"threshold_yuan":200000.5,"words":["x","y"]}}})", "s.json");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto p = s->ParamsFor(info);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->Fen("threshold_yuan"), 20000050);
  EXPECT_EQ(p->List("words"), (std::vector<std::string>{"x", "y"}));

  auto typo = engine::Settings::Parse(R"({"models":{"m":{"threshold":1}}})", "s.json");
  ASSERT_TRUE(typo.ok());
  auto bad = typo->ParamsFor(info);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("threshold_yuan"), std::string::npos);
  auto text = engine::Settings::Parse(R"({"models":{"m":{"threshold_yuan":"many"}}})", "s.json");
  EXPECT_FALSE(text->ParamsFor(info).ok());
  EXPECT_FALSE(engine::Settings::Parse("{not json", "s.json").ok());
  auto off = engine::Settings::Parse(R"({"models":{"m":{"enabled":false}}})", "s.json");
  EXPECT_FALSE(off->Enabled("m"));
  EXPECT_TRUE(off->Enabled("other"));
}

engine::Finding MakeFinding(const std::string& identity, std::vector<std::string> keys, int score) {
  engine::Finding f;
  f.identity = identity;
  f.subject = {"persons", identity, "张三"};
  f.score = score;
  f.amount_fen = 100;
  f.summary = "摘要 " + identity;
  for (const auto& k : keys) f.evidence.push_back({"welfare", k, {{"amount", "1.00"}}});
  return f;
}

TEST_F(EngineTest, LeadsKeepTheirIdAppendEvidenceAndResolve) {
  Db* db = store_->db();
  engine::ModelInfo info;
  info.id = "m";
  info.family = "welfare";
  auto scan = [&](const std::vector<engine::Finding>& fs) {
    Transaction tx(db);
    EXPECT_TRUE(tx.Begin().ok());
    auto id = leads::BeginScan(db, {"m"});
    auto stats = leads::Reconcile(db, id.value(), info, fs);
    EXPECT_TRUE(stats.ok()) << stats.status().ToString();
    EXPECT_TRUE(leads::FinishScan(db, id.value(), "{}").ok());
    EXPECT_TRUE(tx.Commit().ok());
    return stats.value();
  };
  auto s1 = scan({MakeFinding("A", {"W1"}, 60), MakeFinding("B", {"W2"}, 70)});
  EXPECT_EQ(s1.created, 2);
  auto first = leads::ListLeads(db, {});
  ASSERT_EQ(first->size(), 2u);
  int64_t id_a = first->at(1).id;  // lower score sorts second
  EXPECT_EQ(first->at(1).identity, "A");

  // A again with new evidence, B gone.
  auto s2 = scan({MakeFinding("A", {"W1", "W3"}, 80)});
  EXPECT_EQ(s2.created, 0);
  EXPECT_EQ(s2.updated, 1);
  EXPECT_EQ(s2.resolved, 1);
  EXPECT_EQ(s2.evidence_added, 1);
  auto a = leads::GetLead(db, id_a);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->score, 80);
  ASSERT_EQ(a->evidence.size(), 2u);
  EXPECT_EQ(a->evidence[0].key, "W1");
  EXPECT_EQ(a->evidence[1].key, "W3");
  EXPECT_EQ(a->evidence[1].first_scan, 2);
  leads::LeadFilter resolved;
  resolved.detection = "resolved";
  auto gone = leads::ListLeads(db, resolved);
  ASSERT_EQ(gone->size(), 1u);
  EXPECT_EQ(gone->at(0).identity, "B");
  EXPECT_EQ(*gone->at(0).resolved_scan, 2);

  // B comes back: the same lead, reopened; nothing was deleted.
  auto s3 = scan({MakeFinding("A", {"W1"}, 80), MakeFinding("B", {"W2"}, 70)});
  EXPECT_EQ(s3.reopened, 1);
  EXPECT_EQ(s3.created, 0);
  EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM leads").value(), 2);
  EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM lead_evidence").value(), 3);
  EXPECT_EQ(leads::LeadCode(7), "L000007");
  EXPECT_EQ(leads::ParseLeadCode("L000007").value(), 7);
  EXPECT_FALSE(leads::ParseLeadCode("X7").ok());
}

TEST_F(EngineTest, AnalystSqlModelProducesLeads) {
  Import("reimbursements",
         "claim_id,org,claimant_id_number,claim_date,kind,amount,persons\n"
         "C1,财政局,11010519491231002X,2024-03-08,接待,9000,3\n"
         "C2,财政局,11010519491231002X,2024-03-09,接待,100,3\n");
  const std::string def = R"({
    "id": "big_reception", "name_zh": "大额接待", "family": "conduct", "severity": "high",
    "params": [{"name": "min_yuan", "default": 5000, "zh": "最低金额（元）", "en": "minimum"}],
    "sql": "SELECT claim_id AS subject_key, 'reimbursements' AS subject_dataset, org AS subject_name, 90 AS score, amount, '接待 ' || claim_id || ' 金额 ' || (amount / 100) || ' 元' AS summary, 'reimbursements:' || claim_id AS evidence FROM reimbursements WHERE amount >= :min_yuan * 100"
  })";
  auto id = leads::AddCustomModel(store_.get(), def, "test");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  leads::ScanOptions o;
  o.model_ids = {"big_reception"};
  o.settings_path = dir_.File("none.json");
  auto r = leads::Scan(store_.get(), o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->models.size(), 1u);
  EXPECT_TRUE(r->models[0].status.ok()) << r->models[0].status.ToString();
  auto list = leads::ListLeads(store_->db(), {});
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->at(0).subject.key, "C1");
  EXPECT_EQ(list->at(0).score, 90);
  EXPECT_EQ(list->at(0).amount_fen, 900000);
  EXPECT_EQ(list->at(0).family, "conduct");
  ASSERT_EQ(list->at(0).evidence.size(), 1u);
  EXPECT_EQ(list->at(0).evidence[0].dataset, "reimbursements");

  // A setting changes the parameter.
  std::string settings = dir_.Write("s.json", R"({"models":{"big_reception":{"min_yuan":50}}})");
  o.settings_path = settings;
  ASSERT_TRUE(leads::Scan(store_.get(), o).ok());
  EXPECT_EQ(leads::ListLeads(store_->db(), {})->size(), 2u);
}

TEST_F(EngineTest, AnalystSqlCannotWriteAndBadSqlIsExplained) {
  auto def = [](const std::string& sql) {
    return R"({"id":"x","name_zh":"x","sql":")" + sql + R"("})";
  };
  auto bad = models::ParseCustomModel(def("SELECT 1 AS subject_key FROM WHERE"), store_->db_path());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("syntax error"), std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message_zh().find("SQL 有误"), std::string::npos);
  for (const char* sql :
       {"DELETE FROM leads", "INSERT INTO leads(model) VALUES ('x')", "DROP TABLE leads",
        "ATTACH DATABASE '/tmp/x.db' AS y", "PRAGMA journal_mode=DELETE",
        "SELECT 1 AS subject_key, 'a' AS summary; DELETE FROM leads",
        "UPDATE scans SET models = '' RETURNING id AS subject_key, 'a' AS summary"}) {
    auto m = models::ParseCustomModel(def(sql), store_->db_path());
    EXPECT_FALSE(m.ok()) << sql;
  }
  auto missing = models::ParseCustomModel(def("SELECT 1 AS k"), store_->db_path());
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("subject_key"), std::string::npos);
  auto unknown = models::ParseCustomModel(def("SELECT x AS subject_key, 'a' AS summary FROM nope"),
                                          store_->db_path());
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("no such table"), std::string::npos);
  EXPECT_FALSE(models::ParseCustomModel("{", "").ok());
  EXPECT_FALSE(
      models::ParseCustomModel(R"({"id":"Bad Id","name_zh":"x","sql":"SELECT 1"})", "").ok());
  EXPECT_FALSE(
      models::ParseCustomModel(R"({"id":"welfare_after_death","name_zh":"x","sql":"SELECT 1"})", "")
          .ok());
  // A runaway query is stopped with a clear error, not a hang.
  auto slow = models::ParseCustomModel(
      R"({"id":"slow","name_zh":"慢","sql":"WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c) SELECT i AS subject_key, 'a' AS summary FROM c WHERE i < 0"})",
      store_->db_path());
  ASSERT_TRUE(slow.ok()) << slow.status().ToString();
  engine::Params params(std::map<std::string, std::string>{{"time_limit_seconds", "0.2"}});
  auto snap = engine::Snapshot::Load(store_->db(), {});
  std::vector<engine::Finding> out;
  engine::RunContext ctx{*snap.value(), params, store_->db_path()};
  Status st = slow.value()->Run(ctx, &out);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message_zh().find("已中止"), std::string::npos) << st.message_zh();
}

}  // namespace
}  // namespace qf
