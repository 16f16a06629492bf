// 双随机一公开 random inspection draws (src/leads/draws.h): the stream and the
// draw are reproducible, verify catches a changed register or seed, an
// inspector whose spouse holds a target is recused with the reason recorded,
// every target gets at least two inspectors, and too few inspectors fail clearly.
#include "leads/draws.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "test_server.h"
#include "workflow_test_util.h"

namespace qf::testing {
namespace {

const char* kOrg = "某区市场监督管理局";

Digest SeedOf(uint8_t b) {
  Digest d;
  d.fill(b);
  return d;
}

// A small hand-made store: 12 companies in business and one closed, six
// inspectors in post at kOrg and one who left; inspector 1's spouse (person
// 50) holds company 1; company 2 has two penalties (risk D), company 3 one (C).
class DrawStore : public ::testing::Test, public TestStore {
 protected:
  void SetUp() override {
    ASSERT_NE(store_, nullptr);
    std::string companies = "credit_code,name,status,established_date,region_code\n";
    for (int i = 1; i <= 12; ++i) {
      companies +=
          CreditCode(i) + ",测试企业" + std::to_string(i) + "有限公司,存续,2015-03-01,210902\n";
    }
    companies += CreditCode(13) + ",已注销企业有限公司,注销,2010-01-01,210902\n";
    std::string officials = "id_number,name,org,position,start_date,end_date\n";
    const char* names[] = {"", "王一", "李二", "张三", "赵四", "钱五", "孙六", "周七"};
    for (int i = 1; i <= 7; ++i) {
      officials += IdNumber(i) + "," + names[i] + "," + kOrg + ",执法人员,2018-01-01," +
                   (i == 7 ? "2020-01-01" : "") + "\n";
    }
    std::string relatives = "official_id_number,relative_id_number,relative_name,relation\n" +
                            IdNumber(1) + "," + IdNumber(50) + ",刘配偶,配偶\n";
    std::string shareholders = "credit_code,holder_party,holder_name,share_ratio\n" +
                               CreditCode(1) + "," + IdNumber(50) + ",刘配偶,0.6\n";
    std::string enforcement = "case_id,org,target_party,kind,started_at\n";
    enforcement += "E1," + std::string(kOrg) + "," + CreditCode(2) + ",处罚,2023-01-01 09:00:00\n";
    enforcement += "E2," + std::string(kOrg) + "," + CreditCode(2) + ",处罚,2023-05-01 09:00:00\n";
    enforcement += "E3," + std::string(kOrg) + "," + CreditCode(3) + ",处罚,2023-06-01 09:00:00\n";
    Import("companies", companies);
    Import("officials", officials);
    Import("relatives", relatives);
    Import("shareholders", shareholders);
    Import("enforcement", enforcement);
  }
  leads::DrawPlan Plan(const Digest& seed) {
    leads::DrawPlan p;
    p.item = "食品经营许可事项检查";
    p.org = kOrg;
    p.ratio_bp = {10000, 10000, 10000, 10000};  // every entity: company 1 is surely drawn
    p.inspectors_per_target = 2;
    p.seed_commitment =
        ToHex(Sha256(std::string_view(reinterpret_cast<const char*>(seed.data()), seed.size())));
    return p;
  }
};

TEST(DrawAlgorithm, StreamIsSha256CounterMode) {
  const Digest seed = SeedOf(7);
  leads::DrawStream s(seed);
  std::string block0(reinterpret_cast<const char*>(seed.data()), 32);
  block0 += std::string(8, '\0');
  std::string block1 = block0;
  block1.back() = 1;
  Digest b0 = Sha256(block0), b1 = Sha256(block1);
  auto be64 = [](const Digest& d, size_t off) {
    uint64_t v = 0;
    for (size_t i = 0; i < 8; ++i) v = (v << 8) | d[off + i];
    return v;
  };
  for (size_t off = 0; off < 32; off += 8) EXPECT_EQ(s.Next64(), be64(b0, off));
  EXPECT_EQ(s.Next64(), be64(b1, 0));
  leads::DrawStream u(seed);
  for (int i = 0; i < 1000; ++i) EXPECT_LT(u.Uniform(7), 7u);
}

TEST(DrawAlgorithm, SameSeedAndRegistersGiveTheSameDraw) {
  std::vector<leads::RegisterEntity> entities;
  for (int i = 0; i < 300; ++i) {
    entities.push_back({CreditCode(i % 100) + std::to_string(i), "企业" + std::to_string(i),
                        leads::kRiskClasses[static_cast<size_t>(i % 4)], ""});
  }
  std::vector<leads::RegisterInspector> inspectors;
  for (int i = 1; i <= 9; ++i) inspectors.push_back({IdNumber(i), "人员", kOrg, "执法人员"});
  const std::array<int, 4> ratio = {300, 500, 1000, 2000};
  auto a = leads::RunDraw(entities, inspectors, ratio, 2, SeedOf(1), {});
  // Input order does not matter: the registers are sorted first.
  std::vector<leads::RegisterEntity> reversed(entities.rbegin(), entities.rend());
  auto b = leads::RunDraw(reversed, inspectors, ratio, 2, SeedOf(1), {});
  auto c = leads::RunDraw(entities, inspectors, ratio, 2, SeedOf(2), {});
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(leads::SerializeResult(*a), leads::SerializeResult(*b));
  EXPECT_NE(leads::SerializeResult(*a), leads::SerializeResult(*c));
  // ceil(75 × ratio) per class: 3 + 4 + 8 + 15.
  EXPECT_EQ(a->size(), 30u);
  for (const auto& t : *a) {
    ASSERT_EQ(t.inspector_ids.size(), 2u);
    EXPECT_NE(t.inspector_ids[0], t.inspector_ids[1]);
  }
  // The canonical register round-trips.
  auto parsed = leads::ParseEntities(leads::SerializeEntities(entities));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(leads::SerializeEntities(*parsed), leads::SerializeEntities(entities));
}

TEST_F(DrawStore, RegistersFollowTheStore) {
  leads::DrawPlan p = Plan(SeedOf(1));
  auto ents = leads::BuildEntityRegister(db(), p, "2024-06-01");
  ASSERT_TRUE(ents.ok()) << ents.status().ToString();
  EXPECT_EQ(ents->size(), 12u);  // the closed company is not inspectable
  for (const auto& e : *ents) {
    char want = e.credit_code == CreditCode(2) ? 'D' : e.credit_code == CreditCode(3) ? 'C' : 'A';
    EXPECT_EQ(e.risk, want) << e.credit_code << " " << e.risk_reason;
  }
  auto ins = leads::BuildInspectorRegister(db(), p);
  ASSERT_TRUE(ins.ok());
  EXPECT_EQ(ins->size(), 6u);  // the one who left is not in the register
}

TEST_F(DrawStore, DrawIsRecordedReproducedAndRecusesTheSpouse) {
  const Digest seed = SeedOf(3);
  const std::string seed_hex = ToHex(seed);
  auto id = leads::CreateDrawPlan(db(), db_path(), Plan(seed), "user:test");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  // The wrong seed does not open the draw.
  auto wrong = leads::ExecuteDraw(db(), db_path(), *id, ToHex(SeedOf(4)), "user:test");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), Status::Code::kInvalidArgument);
  auto d = leads::ExecuteDraw(db(), db_path(), *id, seed_hex, "user:test");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->targets.size(), 12u);
  bool saw_target = false;
  for (const auto& t : d->targets) {
    ASSERT_GE(t.inspectors.size(), 2u);
    std::set<std::string> distinct;
    for (const auto& [ins, name] : t.inspectors) distinct.insert(ins);
    EXPECT_EQ(distinct.size(), t.inspectors.size());
    if (t.credit_code == CreditCode(1)) {
      saw_target = true;
      EXPECT_EQ(distinct.count(IdNumber(1)), 0u) << "the spouse's company went to inspector 1";
    }
  }
  EXPECT_TRUE(saw_target);
  bool recorded = false;
  for (const auto& r : d->recusals) {
    if (r.credit_code == CreditCode(1) && r.inspector_id == IdNumber(1)) {
      recorded = true;
      EXPECT_NE(r.reason.find("配偶"), std::string::npos) << r.reason;
    }
  }
  EXPECT_TRUE(recorded);
  // Colleagues at the drawing organisation are no conflict: only that one pair is recused.
  EXPECT_EQ(d->recusals.size(), 1u);

  auto v = leads::VerifyDraw(db(), *id);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->ok) << (v->problems.empty() ? "" : v->problems[0]);

  // The same seed over the same registers gives the same draw again.
  auto id2 = leads::CreateDrawPlan(db(), db_path(), Plan(seed), "user:test");
  ASSERT_TRUE(id2.ok());
  auto d2 = leads::ExecuteDraw(db(), db_path(), *id2, seed_hex, "user:test");
  ASSERT_TRUE(d2.ok()) << d2.status().ToString();
  EXPECT_EQ(d2->summary.result_sha256, d->summary.result_sha256);

  // The commitment reached the ledger before the seed did.
  auto order = db()->QueryInt(
      "SELECT (SELECT MIN(id) FROM ledger_actions WHERE action = "
      "'draw_plan' AND target = 'draw:" +
      std::to_string(*id) +
      "') < (SELECT MIN(id) FROM ledger_actions WHERE action = "
      "'draw_execute' AND target = 'draw:" +
      std::to_string(*id) + "')");
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(*order, 1);
}

TEST_F(DrawStore, VerifyDetectsAChangedRegisterOrSeed) {
  const Digest seed = SeedOf(5);
  auto id = leads::CreateDrawPlan(db(), db_path(), Plan(seed), "user:test");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(leads::ExecuteDraw(db(), db_path(), *id, ToHex(seed), "user:test").ok());
  const std::string where = " WHERE id = " + std::to_string(*id);
  ASSERT_TRUE(leads::VerifyDraw(db(), *id)->ok);

  // A company quietly taken out of the register snapshot.
  ASSERT_TRUE(db()->Exec("CREATE TEMP TABLE keep AS SELECT entity_register, seed_hex FROM "
                         "draws" +
                         where)
                  .ok());
  ASSERT_TRUE(db()->Exec("UPDATE draws SET entity_register = CAST(replace(CAST(entity_register "
                         "AS TEXT), '测试企业5有限公司', '测试企业5有限公司X') AS BLOB)" +
                         where)
                  .ok());
  auto v = leads::VerifyDraw(db(), *id);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  ASSERT_TRUE(db()->Exec("UPDATE draws SET entity_register = (SELECT entity_register FROM "
                         "keep)" +
                         where)
                  .ok());
  ASSERT_TRUE(leads::VerifyDraw(db(), *id)->ok);

  // Another seed claimed afterwards.
  ASSERT_TRUE(db()->Exec("UPDATE draws SET seed_hex = '" + ToHex(SeedOf(6)) + "'" + where).ok());
  v = leads::VerifyDraw(db(), *id);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  ASSERT_TRUE(db()->Exec("UPDATE draws SET seed_hex = (SELECT seed_hex FROM keep)" + where).ok());

  // An inspector swapped in the stored result.
  ASSERT_TRUE(db()->Exec("UPDATE draw_assignments SET inspector_id = '" + IdNumber(99) +
                         "' WHERE draw_id = " + std::to_string(*id) + " AND seq = 1 AND pos = 1")
                  .ok());
  ASSERT_EQ(db()->Changes(), 1);
  EXPECT_FALSE(leads::VerifyDraw(db(), *id)->ok);
}

TEST_F(DrawStore, TooFewInspectorsAfterRecusalFailsClearly) {
  leads::DrawPlan p = Plan(SeedOf(8));
  p.inspectors_per_target = 6;  // all six in post, but inspector 1 is recused from company 1
  auto id = leads::CreateDrawPlan(db(), db_path(), p, "user:test");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto d = leads::ExecuteDraw(db(), db_path(), *id, ToHex(SeedOf(8)), "user:test");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(d.status().message().find(CreditCode(1)), std::string::npos) << d.status().ToString();
  auto again = leads::GetDraw(db(), *id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->summary.status, "planned");  // nothing was written
  EXPECT_TRUE(again->targets.empty());

  p.inspectors_per_target = 7;  // more than the register holds
  auto none = leads::CreateDrawPlan(db(), db_path(), p, "user:test");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), Status::Code::kInvalidArgument);
  p.inspectors_per_target = 1;
  EXPECT_FALSE(leads::CreateDrawPlan(db(), db_path(), p, "user:test").ok());
}

TEST_F(DrawStore, SealedSeedResultsAndPublication) {
  leads::DrawPlan p = Plan(SeedOf(0));
  p.seed_commitment.clear();  // the platform draws the seed and seals it
  p.ratio_bp = {2000, 10000, 10000, 10000};
  auto id = leads::CreateDrawPlan(db(), db_path(), p, "user:test");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto planned = leads::GetDraw(db(), *id);
  ASSERT_TRUE(planned.ok());
  EXPECT_TRUE(planned->summary.seed_hex.empty());  // not revealed before execution
  auto d = leads::ExecuteDraw(db(), db_path(), *id, "", "user:test");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->summary.seed_hex.size(), 64u);
  EXPECT_TRUE(leads::VerifyDraw(db(), *id)->ok);
  ASSERT_FALSE(d->targets.empty());
  const auto& t = d->targets[0];
  EXPECT_FALSE(leads::EnterDrawResult(db(), *id, {CreditCode(13), "合格", "2024-07-01", 0},
                                      "user:test")
                   .ok());  // not drawn
  ASSERT_TRUE(leads::EnterDrawResult(db(), *id, {t.credit_code, "责令整改", "2024-07-01", 50000},
                                     "user:test")
                  .ok());
  auto pub0 = leads::PublicInspections(db(), "", 100, 0);
  ASSERT_TRUE(pub0.ok());
  EXPECT_TRUE(pub0->empty());  // nothing public before publication
  ASSERT_TRUE(leads::PublishDraw(db(), *id, "user:test").ok());
  EXPECT_FALSE(leads::PublishDraw(db(), *id, "user:test").ok());
  int64_t total = 0;
  auto pub = leads::PublicInspections(db(), "", 100, 0, &total);
  ASSERT_TRUE(pub.ok());
  ASSERT_EQ(pub->size(), d->targets.size());
  EXPECT_EQ(total, static_cast<int64_t>(pub->size()));
  // A search names a company; one that matches nothing gives nothing.
  auto one = leads::PublicInspections(db(), t.credit_code, 100, 0, &total);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(total, 1);
  EXPECT_EQ((*one)[0].credit_code, t.credit_code);
  EXPECT_TRUE(leads::PublicInspections(db(), "没有这家公司", 100, 0)->empty());
  EXPECT_EQ((*pub)[0].result, "责令整改");
  EXPECT_EQ((*pub)[0].penalty_fen, 50000);
  for (const auto& row : *pub) {
    for (const auto& n : row.inspectors_masked) {
      EXPECT_EQ(n.substr(n.size() - 3), "某") << n;
      EXPECT_EQ(n.find("一"), std::string::npos);
    }
  }
  EXPECT_TRUE(leads::VerifyDraw(db(), *id)->ok);  // results do not touch the draw
}

// The API: plan, execute, detail (ID numbers masked, recusal reasons), results,
// publication on the public route (masked names, no ID numbers), verify.
TEST_F(DrawStore, HttpWorkflowAndPublicPortal) {
  ASSERT_TRUE(CreateUsers(db(), {{"admin", "管理员", "admin", {}, {}}}));
  ApiServer server(db_path(), dir_.File("none.json"));
  HttpClient admin = server.As("admin", kTestPassword);
  const Digest seed = SeedOf(9);
  nlohmann::json plan = {
      {"item", "食品经营许可事项检查"},
      {"org", kOrg},
      {"ratios", {{"A", 100}, {"B", 100}, {"C", 100}, {"D", 100}}},
      {"inspectors_per_target", 2},
      {"seed_commitment",
       ToHex(Sha256(std::string_view(reinterpret_cast<const char*>(seed.data()), 32)))}};
  HttpResult r = admin.Post("/api/draws", plan);
  ASSERT_EQ(r.status, 201) << r.body;
  const int64_t id = nlohmann::json::parse(r.body)["id"].get<int64_t>();
  const std::string base = "/api/draws/" + std::to_string(id);
  EXPECT_EQ(admin.Post(base + "/execute", nlohmann::json::object()).status, 400);  // seed needed
  r = admin.Post(base + "/execute", {{"seed", ToHex(seed)}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = admin.Get(base);
  ASSERT_EQ(r.status, 200);
  nlohmann::json d = nlohmann::json::parse(r.body);
  EXPECT_EQ(r.body.find(IdNumber(1)), std::string::npos) << "ID numbers are masked";
  ASSERT_EQ(d["recusals"].size(), 1u);
  EXPECT_NE(d["recusals"][0]["reason"].get<std::string>().find("配偶"), std::string::npos);
  const std::string code = d["target_list"][0]["credit_code"];
  r = admin.Post(base + "/results",
                 {{"credit_code", code}, {"result", "未发现问题"}, {"date", "2024-07-02"}});
  ASSERT_EQ(r.status, 200) << r.body;
  HttpClient pub = server.Client();
  r = pub.Get("/api/public/inspections");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(nlohmann::json::parse(r.body)["items"].empty());
  ASSERT_EQ(admin.Post(base + "/publish", nlohmann::json::object()).status, 200);
  r = pub.Get("/api/public/inspections");
  ASSERT_EQ(r.status, 200);
  nlohmann::json items = nlohmann::json::parse(r.body)["items"];
  ASSERT_EQ(items.size(), 12u);
  EXPECT_EQ(nlohmann::json::parse(r.body)["total"], 12);
  r = pub.Get("/api/public/inspections?q=" + code);
  ASSERT_EQ(nlohmann::json::parse(r.body)["total"], 1) << r.body;
  for (int i = 1; i <= 6; ++i) EXPECT_EQ(r.body.find(IdNumber(i)), std::string::npos);
  EXPECT_EQ(r.body.find("王一"), std::string::npos);
  EXPECT_EQ(pub.Get(base).status, 401);  // the office's view needs a session
  r = admin.Get(base + "/verify");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(nlohmann::json::parse(r.body)["ok"].get<bool>()) << r.body;
}

}  // namespace
}  // namespace qf::testing
