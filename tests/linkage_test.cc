// Entity resolution: name normalisation, the Fellegi–Sunter linker on plain
// records, resolution on a small snapshot, and the quality bar on the
// synthetic city's planted name variants (er_truth.jsonl).
#include "engine/linkage.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "common/text.h"
#include "engine/names.h"
#include "engine/resolve.h"
#include "engine/snapshot.h"
#include "ingest/identifiers.h"
#include "ingest/importer.h"
#include "model_test_util.h"
#include "store/store.h"
#include "test_util.h"

namespace qf::engine {
namespace {

using qf::testing::ScratchDir;

// ---------------------------------------------------------------------------
// Names.

TEST(LinkageNames, PersonNameFolding) {
  EXPECT_EQ(NormalizePersonName(" 王偉 "), "王伟");
  EXPECT_EQ(NormalizePersonName("王　伟"), "王伟");  // ideographic space
  EXPECT_EQ(NormalizePersonName("張 麗華"), "张丽华");
  EXPECT_EQ(NormalizePersonName("阿不都·热合曼"), "阿不都热合曼");
  EXPECT_EQ(NormalizePersonName("阿不都・热合曼"), "阿不都热合曼");
  EXPECT_EQ(NormalizePersonName("ＪＯＨＮ"), "john");
  EXPECT_NE(NormalizePersonName("王伟"), NormalizePersonName("王炜"));
}

TEST(LinkageNames, SplitOrgName) {
  OrgName n = SplitOrgName("辽宁省阜新市鑫源建筑工程有限责任公司");
  EXPECT_EQ(n.region, "辽宁省阜新市");
  EXPECT_EQ(n.core, "鑫源建筑工程");
  EXPECT_EQ(n.form, "有限公司");
  EXPECT_EQ(n.branch, "");

  n = SplitOrgName("鑫源（阜新）建筑工程股份有限公司");
  EXPECT_EQ(n.region, "阜新");
  EXPECT_EQ(n.core, "鑫源建筑工程");
  EXPECT_EQ(n.form, "股份有限公司");

  n = SplitOrgName("国网辽宁省电力有限公司阜新供电公司");
  EXPECT_EQ(n.core, "国网辽宁省电力");
  EXPECT_EQ(n.branch, "阜新供电");

  n = SplitOrgName("阜新鑫源建筑工程有限公司海州区分公司");
  EXPECT_EQ(n.core, "鑫源建筑工程");
  EXPECT_EQ(n.branch, "海州");
  EXPECT_EQ(OrgKey("阜新鑫源建筑工程有限公司海州分公司"), "鑫源建筑工程#海州");

  n = SplitOrgName("阜新蒙古族自治县宏达商贸合伙企业（有限合伙）");
  EXPECT_EQ(n.region, "阜新蒙古族自治县");
  EXPECT_EQ(n.core, "宏达商贸");
  EXPECT_EQ(n.form, "合伙企业(有限合伙)");

  n = SplitOrgName("阜新老张饭店二店");
  EXPECT_EQ(n.core, "老张饭");
  EXPECT_EQ(n.branch, "二");

  // Region words inside the core are not prefixes.
  EXPECT_EQ(SplitOrgName("阜新鑫源市政工程有限公司").core, "鑫源市政工程");
  EXPECT_EQ(SplitOrgName("阜新市城市管理综合行政执法局").core, "城市管理综合行政执法局");
  EXPECT_EQ(SplitOrgName("阜新市财政局").core, "财政局");
  EXPECT_EQ(SplitOrgName("阜新市财政局").region, "阜新市");
  // A generic region ("沈河区") only with enough left after it.
  EXPECT_EQ(SplitOrgName("沈河区宏达商贸有限公司").core, "宏达商贸");
  EXPECT_EQ(SplitOrgName("东陵区宏").core, "东陵区宏");
}

TEST(LinkageNames, OrgKeyMeetsVariants) {
  const std::string key = OrgKey("阜新鑫源建筑工程有限公司");
  EXPECT_EQ(key, "鑫源建筑工程");
  EXPECT_EQ(OrgKey("阜新鑫源建築工程有限公司"), key);      // 繁体
  EXPECT_EQ(OrgKey("阜新鑫源建筑工程有限责任公司"), key);  // 有限责任公司
  EXPECT_EQ(OrgKey("辽宁鑫源建筑工程有限公司"), key);      // other region prefix
  EXPECT_EQ(OrgKey("鑫源建筑工程（阜新）有限公司"), key);  // bracketed region
  EXPECT_EQ(OrgKey("阜新 鑫源建筑工程 有限公司"), key);    // spaces
  EXPECT_EQ(OrgKey("阜新鑫源建筑工程【有限公司】"), key);  // bracketed form
  EXPECT_EQ(OrgKey("阜新鑫源建筑工程（普通合伙）"), key);
  EXPECT_NE(OrgKey("阜新鑫源建筑工程有限公司海州分公司"), key);
  EXPECT_EQ(OrgKey("ＡＢＣ科技有限公司"), "abc科技");
}

TEST(LinkageNames, RegionsPinyinEdits) {
  EXPECT_EQ(RegionCodeOf("阜新市"), "2109");
  EXPECT_EQ(RegionCodeOf("阜新"), "2109");
  EXPECT_EQ(RegionCodeOf("210900"), "2109");
  EXPECT_EQ(RegionCodeOf("210902"), "210902");
  EXPECT_EQ(RegionCodeOf("辽宁省阜新市海州区"), "210902");
  EXPECT_EQ(RegionCodeOf("财政局"), "");

  EXPECT_EQ(Pinyin("王伟"), "wang wei");
  EXPECT_EQ(Pinyin("王炜"), Pinyin("王伟"));
  EXPECT_EQ(Pinyin("王偉"), Pinyin("王伟"));
  EXPECT_NE(Pinyin("王强"), Pinyin("王伟"));
  EXPECT_EQ(Pinyin("ABC科技"), "abc ke ji");

  EXPECT_TRUE(WithinOneEdit(U"王建国", U"王建图"));
  EXPECT_TRUE(WithinOneEdit(U"王建国", U"王国"));
  EXPECT_TRUE(WithinOneEdit(U"王国", U"王建国"));
  EXPECT_TRUE(WithinOneEdit(U"王建国", U"王建国"));
  EXPECT_FALSE(WithinOneEdit(U"王建国", U"王国建"));
  EXPECT_FALSE(WithinOneEdit(U"王建国", U"李建军"));

  EXPECT_EQ(NormalizeAddress("辽宁省阜新市海州区解放大街181号2单元403室"),
            "海州区解放大街181号2单元403室");
  EXPECT_EQ(AddressStem("海州区解放大街181号2单元403室"), "海州区解放大街181号");
  EXPECT_EQ(AddressStem("海州区解放大街181号"), "");
}

TEST(LinkageNames, OrgShape) {
  EXPECT_FALSE(LooksLikeOrgName("王伟"));
  EXPECT_FALSE(LooksLikeOrgName("欧阳修远"));
  EXPECT_FALSE(LooksLikeOrgName("阿不都·热合曼江"));
  EXPECT_TRUE(LooksLikeOrgName("阜新晟阳餐厅"));
  EXPECT_TRUE(LooksLikeOrgName("财政局"));
  EXPECT_TRUE(LooksLikeOrgName("鑫源公司"));
  EXPECT_TRUE(LooksLikeOrgName("阜新鑫源建筑工程有限公司"));
}

// ---------------------------------------------------------------------------
// The linker on plain records.

// A registry of `n` persons with distinct three-character names, phones and
// accounts, plus organisations; records own their strings.
struct Registry {
  std::deque<std::string> text;
  std::vector<LinkRecord> refs, mentions;
  std::vector<LinkAttribute> attrs;
  std::string_view S(std::string s) { return text.emplace_back(std::move(s)); }
};

const char* const kSurnames[] = {"赵", "钱", "孙", "李", "周", "吴", "郑", "冯", "陈", "褚",
                                 "卫", "蒋", "沈", "韩", "杨", "朱", "秦", "尤", "许", "何"};
const char* const kGiven[] = {"建", "国", "志", "明", "海", "东", "峰", "成", "亮", "立",
                              "新", "春", "庆", "福", "德", "民", "永", "忠", "良", "兴"};

std::string PersonName(int i) {
  return std::string(kSurnames[i % 20]) + kGiven[(i / 20) % 20] + kGiven[(i / 400) % 20];
}

void AddPersons(Registry* g, int n) {
  for (int i = 0; i < n; ++i) {
    LinkRecord r;
    r.kind = EntityKind::kPerson;
    r.name = g->S(PersonName(i));
    char buf[32];
    std::snprintf(buf, sizeof buf, "139%08d", 1000 + i * 7);
    r.phone = g->S(buf);
    std::snprintf(buf, sizeof buf, "6222%012d", 5000 + i * 13);
    r.account = g->S(buf);
    // Regions spread the registry over 89 codes: evidence that is no blocking key.
    std::snprintf(buf, sizeof buf, "2109%02d", 10 + i % 89);
    r.region = g->S(buf);
    g->refs.push_back(r);
  }
}

uint32_t AddOrg(Registry* g, const std::string& name, const std::string& account = "") {
  LinkRecord r;
  r.kind = EntityKind::kOrg;
  r.name = g->S(name);
  r.account = account.empty() ? std::string_view() : g->S(account);
  g->refs.push_back(r);
  return static_cast<uint32_t>(g->refs.size() - 1);
}

uint32_t Mention(Registry* g, EntityKind kind, const std::string& name,
                 const std::string& phone = "", const std::string& account = "") {
  LinkRecord m;
  m.kind = kind;
  m.name = g->S(name);
  if (!phone.empty()) m.phone = g->S(phone);
  if (!account.empty()) m.account = g->S(account);
  g->mentions.push_back(m);
  return static_cast<uint32_t>(g->mentions.size() - 1);
}

LinkResult MustLink(const Registry& g, const std::vector<LinkDecision>& decisions = {},
                    LinkOptions opt = {}) {
  auto r = Link(g.refs, g.attrs, g.mentions, decisions, opt);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? std::move(r).value() : LinkResult();
}

bool Linked(const LinkMatch& m, uint32_t ref) {
  return m.ref == ref && (m.status == LinkStatus::kMatched || m.status == LinkStatus::kConfirmed);
}

TEST(Linkage, OrganisationVariantsResolve) {
  Registry g;
  AddPersons(&g, 500);
  uint32_t xinyuan = AddOrg(&g, "阜新鑫源建筑工程有限公司", "6228000000000001");
  uint32_t hongda = AddOrg(&g, "阜新市宏达商贸有限公司");
  uint32_t abc = AddOrg(&g, "阜新ABC信息技术有限公司");
  uint32_t jinyu = AddOrg(&g, "辽宁金宇物业管理有限公司");
  for (int i = 0; i < 300; ++i) {
    AddOrg(&g, "阜新" + PersonName(i * 7 + 3).substr(3) + "物资有限公司");
  }
  uint32_t m_trad = Mention(&g, EntityKind::kOrg, "阜新鑫源建築工程有限公司");
  uint32_t m_form = Mention(&g, EntityKind::kOrg, "阜新市宏达商贸有限责任公司");
  uint32_t m_full = Mention(&g, EntityKind::kOrg, "阜新ＡＢＣ信息技术有限公司");
  uint32_t m_region = Mention(&g, EntityKind::kOrg, "金宇（阜新）物业管理有限公司");
  uint32_t m_typo =
      Mention(&g, EntityKind::kOrg, "阜新鑫源建筑土程有限公司", "", "6228000000000001");
  uint32_t m_outsider = Mention(&g, EntityKind::kOrg, "阜新晟阳餐厅");
  LinkResult r = MustLink(g);
  ASSERT_EQ(r.matches.size(), g.mentions.size());
  EXPECT_TRUE(Linked(r.matches[m_trad], xinyuan)) << r.matches[m_trad].probability;
  EXPECT_EQ(r.matches[m_trad].levels[0], static_cast<uint8_t>(NameLevel::kExact));
  EXPECT_TRUE(Linked(r.matches[m_form], hongda)) << r.matches[m_form].probability;
  EXPECT_TRUE(Linked(r.matches[m_full], abc)) << r.matches[m_full].probability;
  EXPECT_TRUE(Linked(r.matches[m_region], jinyu)) << r.matches[m_region].probability;
  EXPECT_EQ(r.matches[m_region].levels[0], static_cast<uint8_t>(NameLevel::kSameKey));
  EXPECT_TRUE(Linked(r.matches[m_typo], xinyuan)) << r.matches[m_typo].probability;
  EXPECT_EQ(r.matches[m_typo].levels[0], static_cast<uint8_t>(NameLevel::kEdit1));
  EXPECT_NE(r.matches[m_outsider].status, LinkStatus::kMatched);
  EXPECT_NE(r.matches[m_outsider].status, LinkStatus::kConfirmed);
  std::string why = ExplainMatch(r.matches[m_typo], EntityKind::kOrg);
  EXPECT_NE(why.find("名称一字之差"), std::string::npos) << why;
  EXPECT_NE(why.find("账号一致+"), std::string::npos) << why;
  EXPECT_NE(why.find("电话缺失0"), std::string::npos) << why;
}

TEST(Linkage, PersonVariantsNeedEvidence) {
  Registry g;
  AddPersons(&g, 4000);
  // Person 1234 by a homophone with her phone; person 77 by a typo with his account.
  const std::string p1234 = PersonName(1234), p77 = PersonName(77);
  std::u32string c = CodePoints(p1234);
  ASSERT_EQ(c.size(), 3u);
  uint32_t m_phone = Mention(&g, EntityKind::kPerson, p1234, "13900009638");  // 1000 + 1234*7
  uint32_t m_typo = Mention(&g, EntityKind::kPerson, p77.substr(0, 6) + "鑫", "",
                            "6222000000006001");  // 5000 + 77*13
  LinkResult r = MustLink(g);
  EXPECT_TRUE(Linked(r.matches[m_phone], 1234)) << r.matches[m_phone].probability;
  EXPECT_TRUE(Linked(r.matches[m_typo], 77)) << r.matches[m_typo].probability;
  EXPECT_EQ(r.matches[m_typo].levels[0], static_cast<uint8_t>(NameLevel::kEdit1));
  std::string why = ExplainMatch(r.matches[m_phone], EntityKind::kPerson);
  EXPECT_NE(why.find("名称一致(繁简/全半角归一后)+"), std::string::npos) << why;
  EXPECT_NE(why.find("电话一致+"), std::string::npos) << why;
}

TEST(Linkage, HomophoneAndTraditionalWithAccount) {
  Registry g;
  AddPersons(&g, 2000);
  LinkRecord wei;
  wei.kind = EntityKind::kPerson;
  wei.name = "欧阳伟";
  wei.account = "6222999900001111";
  g.refs.push_back(wei);
  const uint32_t ref = static_cast<uint32_t>(g.refs.size() - 1);
  uint32_t m_homo = Mention(&g, EntityKind::kPerson, "欧阳炜", "", "6222999900001111");
  uint32_t m_trad = Mention(&g, EntityKind::kPerson, "歐陽偉", "", "6222999900001111");
  LinkResult r = MustLink(g);
  EXPECT_TRUE(Linked(r.matches[m_homo], ref)) << r.matches[m_homo].probability;
  EXPECT_EQ(r.matches[m_homo].levels[0], static_cast<uint8_t>(NameLevel::kPinyin));
  EXPECT_TRUE(Linked(r.matches[m_trad], ref)) << r.matches[m_trad].probability;
  EXPECT_EQ(r.matches[m_trad].levels[0], static_cast<uint8_t>(NameLevel::kExact));
}

TEST(Linkage, CommonNameNeedsMoreEvidenceThanRare) {
  Registry g;
  AddPersons(&g, 3000);
  // 300 people called 王伟 and one 司马长风, none with other data in common.
  for (int i = 0; i < 300; ++i) {
    LinkRecord r;
    r.kind = EntityKind::kPerson;
    r.name = "王伟";
    g.refs.push_back(r);
  }
  LinkRecord rare;
  rare.kind = EntityKind::kPerson;
  rare.name = "司马长风";
  g.refs.push_back(rare);
  uint32_t m_common = Mention(&g, EntityKind::kPerson, "王伟");
  uint32_t m_rare = Mention(&g, EntityKind::kPerson, "司马长风");
  // The training signal: mentions of registry persons with their phones.
  for (int i = 0; i < 400; ++i) {
    char phone[32];
    std::snprintf(phone, sizeof phone, "139%08d", 1000 + i * 7);
    Mention(&g, EntityKind::kPerson, PersonName(i), phone);
  }
  LinkResult r = MustLink(g);
  const LinkMatch& common = r.matches[m_common];
  const LinkMatch& rare_m = r.matches[m_rare];
  EXPECT_LT(common.weights[0], rare_m.weights[0] - 5)
      << common.weights[0] << " vs " << rare_m.weights[0];
  EXPECT_LT(common.probability, 0.05);
  EXPECT_NE(common.status, LinkStatus::kMatched);
  EXPECT_GT(rare_m.probability, 10 * common.probability);
  EXPECT_EQ(common.candidates, 300u);
  EXPECT_GT(r.models[0].pairs, 0u);
}

TEST(Linkage, BlockingFindsTyposInLargeRegistry) {
  Registry g;
  AddPersons(&g, 8000);
  // A typo in each position of three names, no other field: the deletion
  // neighbourhood must bring the right reference into the candidates.
  // neighbourhood must bring the right reference into the candidates, where
  // its region (no blocking key) tells it from the other one-edit neighbours.
  std::vector<std::pair<uint32_t, uint32_t>> expect;
  for (uint32_t ref : {17u, 4242u, 7999u}) {
    std::u32string c = CodePoints(PersonName(static_cast<int>(ref)));
    for (size_t pos = 0; pos < c.size(); ++pos) {
      std::u32string t = c;
      t[pos] = U'彧';
      std::string s;
      for (char32_t ch : t) qf::AppendUtf8(&s, ch);
      uint32_t m = Mention(&g, EntityKind::kPerson, s);
      g.mentions[m].region = g.refs[ref].region;
      expect.emplace_back(m, ref);
    }
  }
  LinkResult r = MustLink(g);
  for (auto [m, ref] : expect) {
    const LinkMatch& x = r.matches[m];
    EXPECT_EQ(x.ref, ref) << m;
    EXPECT_EQ(x.levels[0], static_cast<uint8_t>(NameLevel::kEdit1)) << m;
    EXPECT_EQ(x.levels[static_cast<int>(LinkField::kRegion)],
              static_cast<uint8_t>(AttrLevel::kAgree));
    EXPECT_GT(x.candidates, 1u);
  }
  EXPECT_GT(r.stats.candidate_pairs, 0u);
}

TEST(Linkage, DecisionsHonoured) {
  Registry g;
  AddPersons(&g, 1000);
  // Two references share the name 张三丰; the mention has the first one's account.
  LinkRecord a, b;
  a.kind = b.kind = EntityKind::kPerson;
  a.name = b.name = "张三丰";
  a.account = "6222111122223333";
  g.refs.push_back(a);
  g.refs.push_back(b);
  const uint32_t ra = static_cast<uint32_t>(g.refs.size() - 2), rb = ra + 1;
  uint32_t m = Mention(&g, EntityKind::kPerson, "张三丰", "", "6222111122223333");
  LinkResult before = MustLink(g);
  ASSERT_TRUE(Linked(before.matches[m], ra)) << before.matches[m].probability;
  EXPECT_EQ(before.matches[m].runner_up, rb);

  // Rejecting the match lets the other 张三丰 take its place — below the
  // threshold, for the name alone does not decide.
  LinkResult rejected = MustLink(g, {{m, ra, false}});
  EXPECT_EQ(rejected.matches[m].ref, rb);
  EXPECT_NE(rejected.matches[m].status, LinkStatus::kMatched);
  EXPECT_EQ(rejected.matches[m].status, LinkStatus::kRejected);
  EXPECT_EQ(rejected.stats.rejected, 1u);

  // Confirming the other one forces it, whatever the weights say.
  LinkResult confirmed = MustLink(g, {{m, rb, true}});
  EXPECT_EQ(confirmed.matches[m].ref, rb);
  EXPECT_EQ(confirmed.matches[m].status, LinkStatus::kConfirmed);
  EXPECT_EQ(confirmed.stats.confirmed, 1u);

  // Decisions outside the records are refused.
  auto bad = Link(g.refs, g.attrs, g.mentions, {{m, 999999, true}}, LinkOptions());
  EXPECT_FALSE(bad.ok());
  LinkOptions opt;
  opt.review_threshold = 0.9;
  opt.match_threshold = 0.5;
  EXPECT_FALSE(Link(g.refs, g.attrs, g.mentions, {}, opt).ok());
}

TEST(Linkage, SecondAccountAndAffiliation) {
  Registry g;
  AddPersons(&g, 1000);
  // The second 李建国 has a second account and works at 财政局.
  LinkRecord a;
  a.kind = EntityKind::kPerson;
  a.name = "李建国";
  g.refs.push_back(a);
  g.refs.push_back(a);
  const uint32_t second = static_cast<uint32_t>(g.refs.size() - 1);
  g.attrs.push_back({second, LinkField::kAccount, "6222000011112222"});
  g.attrs.push_back({second, LinkField::kAffiliation, "org:阜新市财政局"});
  uint32_t by_account = Mention(&g, EntityKind::kPerson, "李建国", "", "6222 0000 1111 2222");
  LinkRecord m;
  m.kind = EntityKind::kPerson;
  m.name = "李建国";
  m.affiliation = "org:阜新市财政局";
  g.mentions.push_back(m);
  uint32_t by_org = static_cast<uint32_t>(g.mentions.size() - 1);
  LinkResult r = MustLink(g);
  EXPECT_TRUE(Linked(r.matches[by_account], second)) << r.matches[by_account].probability;
  EXPECT_EQ(r.matches[by_org].ref, second);
  EXPECT_EQ(r.matches[by_org].levels[static_cast<int>(LinkField::kAffiliation)],
            static_cast<uint8_t>(AttrLevel::kAgree));
  EXPECT_GT(r.matches[by_org].weights[static_cast<int>(LinkField::kAffiliation)], 0);
}

TEST(Linkage, AgeTellsNamesakesApart) {
  Registry g;
  AddPersons(&g, 1000);
  // Two 刘桂: a child and an adult. A payee in 2023 was an adult (born by 2005).
  LinkRecord child, adult;
  child.kind = adult.kind = EntityKind::kPerson;
  child.name = adult.name = "刘桂";
  child.year = 2019;
  adult.year = 1980;
  g.refs.push_back(child);
  g.refs.push_back(adult);
  const uint32_t ra = static_cast<uint32_t>(g.refs.size() - 1);
  uint32_t m = Mention(&g, EntityKind::kPerson, "刘桂");
  g.mentions[m].year = 2023 - 18;
  uint32_t unknown = Mention(&g, EntityKind::kPerson, "刘桂");
  LinkResult r = MustLink(g);
  EXPECT_EQ(r.matches[m].ref, ra);
  EXPECT_EQ(r.matches[m].levels[static_cast<int>(LinkField::kAge)],
            static_cast<uint8_t>(AttrLevel::kAgree));
  EXPECT_GT(r.matches[m].probability, 1.5 * r.matches[unknown].probability);
  EXPECT_LT(r.matches[m].runner_up_weight, r.matches[m].weight - 4);  // the child
  EXPECT_LT(r.matches[unknown].probability, 0.5);  // without the date: a coin toss
  std::string why = ExplainMatch(r.matches[m], EntityKind::kPerson);
  EXPECT_NE(why.find("年龄相符"), std::string::npos) << why;
}

// ---------------------------------------------------------------------------
// Resolution on a small snapshot.

std::string Id(const std::string& first17) { return first17 + IdNumberCheckChar(first17); }
std::string Code(const std::string& first17) { return first17 + CreditCodeCheckChar(first17); }

class ResolveUnit : public ::testing::Test {
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
    for (const ImportReport& rep : r.value()) EXPECT_EQ(rep.quarantined, 0) << dataset;
  }
  std::unique_ptr<Snapshot> Load() {
    auto snap = Snapshot::Load(store_->db(), ResolveInputs());
    EXPECT_TRUE(snap.ok()) << snap.status().ToString();
    return snap.ok() ? std::move(snap).value() : nullptr;
  }
  static uint32_t Row(const Snapshot& snap, const Table& t, const std::string& key) {
    for (uint32_t r = 0; r < t.size(); ++r) {
      if (snap.key(t, r) == key) return r;
    }
    ADD_FAILURE() << "no row " << key;
    return 0;
  }

  ScratchDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(ResolveUnit, ResolvesPaymentsVendorsAndContacts) {
  const std::string zhang = Id("21090219800101001"), li = Id("21090219850202002"),
                    wang = Id("21090219900303003");
  const std::string xinyuan = Code("91210902MA0XY0001"), hongda = Code("91210902MA0HD0002");
  std::string persons = "id_number,name,sex,birth_date,address,phone,region_code\n";
  persons +=
      zhang + ",张建国,男,1980-01-01,辽宁省阜新市海州区解放大街1号1单元101室,13900001111,210902\n";
  persons +=
      li + ",李秀英,女,1985-02-02,辽宁省阜新市海州区解放大街2号1单元101室,13900002222,210902\n";
  persons += wang + ",王伟,男,1990-03-03,,13900003333,210902\n";
  for (int i = 0; i < 5; ++i) {  // 王伟 is a common name
    char first17[32];
    std::snprintf(first17, sizeof first17, "210902198807%02d%03d", 1 + i, 500 + i);
    persons += Id(first17) + ",王伟,,,,,210902\n";
  }
  for (int i = 0; i < 60; ++i) {
    char first17[32];
    std::snprintf(first17, sizeof first17, "210902197001%02d%03d", 1 + i % 28, 100 + i);
    // Registry filler.
    persons += Id(first17) + ",路人" + std::to_string(i) + ",,,,,210902\n";
  }
  Import("persons", persons);
  Import("companies",
         "credit_code,name,legal_rep_id_number,legal_rep_name,address,phone,region_code\n" +
             xinyuan + ",阜新鑫源建筑工程有限公司," + zhang + ",张建国,,0418-2000001,210902\n" +
             hongda + ",阜新市宏达商贸有限公司,,李秀英,,0418-2000002,210902\n");
  Import("officials",
         "id_number,name,org,org_code,position\n" + li + ",李秀英,阜新市财政局,,科员\n");
  Import("payments",
         "payment_id,pay_date,org,payee_name,payee_party,payee_account,amount\n"
         "P1,2024-01-02,阜新市财政局,阜新鑫源建筑工程有限公司," +
             xinyuan +
             ",6228000000000001,100.00\n"
             "P2,2024-02-02,阜新市财政局,阜新鑫源建築工程有限責任公司,,6228000000000001,200.00\n"
             "P3,2024-02-03,阜新市财政局,李秀英," +
             li +
             ",6222000000000002,300.00\n"
             "P4,2024-03-03,阜新市财政局,李秀英,,6222000000000002,300.00\n"
             "P5,2024-03-04,阜新市财政局,王伟,,,10.00\n"
             "P6,2024-03-05,阜新市财政局,张建民," +
             zhang + ",,10.00\n");
  Import("reimbursements",
         "claim_id,org,claimant_id_number,claim_date,kind,amount,vendor_name\n"
         "R1,阜新市财政局," +
             li +
             ",2024-01-05,接待,500.00,宏达商贸（阜新）有限公司\n"
             "R2,阜新市财政局," +
             li + ",2024-01-06,接待,500.00,阜新晟阳餐厅\n");
  auto snap = Load();
  ASSERT_NE(snap, nullptr);
  auto res = Resolution::Build(*snap, {});
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  const Resolution& r = *res.value();
  const Table& pay = snap->at("payments");
  const Table& reim = snap->at("reimbursements");
  auto party = [&](const Table& t, const std::string& key, const char* col) {
    return std::string(snap->str(r.PartyOf(t, Row(*snap, t, key), col)));
  };
  EXPECT_EQ(party(pay, "P1", "payee_name"), xinyuan);  // exact
  EXPECT_EQ(party(pay, "P1", "payee_party"), xinyuan);
  EXPECT_EQ(party(pay, "P2", "payee_name"), xinyuan);  // 繁体 + 有限责任公司 + account
  EXPECT_EQ(party(pay, "P4", "payee_name"), li);       // account and payer
  EXPECT_EQ(party(pay, "P5", "payee_name"), "");       // a name alone is not enough
  EXPECT_EQ(party(reim, "R1", "vendor_name"), hongda);
  EXPECT_EQ(party(reim, "R2", "vendor_name"), "");  // a shop in no registry
  EXPECT_EQ(r.PartyOf(pay, 0, "purpose"), kNoString);

  // The name check of an exact row: P6 names 张建民 for 张建国's ID number.
  std::optional<Resolved> p6, p2;
  const auto& sources = MentionSources();
  uint16_t payments_source = 0;
  while (std::string(sources[payments_source].dataset) != "payments") ++payments_source;
  p6 = r.Get(payments_source, Row(*snap, pay, "P6"));
  ASSERT_TRUE(p6.has_value());
  EXPECT_TRUE(p6->exact);
  EXPECT_EQ(p6->name_check, NameCheck::kSimilar);
  EXPECT_NE(r.Explain(*p6).find("相近"), std::string::npos) << r.Explain(*p6);
  p2 = r.Get(payments_source, Row(*snap, pay, "P2"));
  ASSERT_TRUE(p2.has_value());
  EXPECT_FALSE(p2->exact);
  EXPECT_EQ(p2->status, LinkStatus::kMatched);
  std::string why = r.Explain(*p2);
  EXPECT_NE(why.find("收款人「阜新鑫源建築工程有限責任公司」已匹配"), std::string::npos) << why;
  EXPECT_NE(why.find("账号一致+"), std::string::npos) << why;
  EXPECT_EQ(r.counts()[payments_source].rows, 6u);
  EXPECT_EQ(r.counts()[payments_source].exact, 3u);
  EXPECT_EQ(r.counts()[payments_source].matched, 2u);
  size_t seen = 0;
  r.ForEach([&](const Resolved& x) { seen += x.m.source == payments_source ? 1 : 0; });
  EXPECT_EQ(seen, 6u);

  // An analyst rejects P2's match, and confirms 王伟 for P5: kept across runs.
  std::vector<Decision> decisions = {{"payments", "P2", "payee_name", xinyuan, false},
                                     {"payments", "P5", "payee_name", wang, true},
                                     {"payments", "P9", "payee_name", wang, true}};
  auto again = Resolution::Build(*snap, decisions);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  const Resolution& r2 = *again.value();
  EXPECT_EQ(r2.PartyOf(pay, Row(*snap, pay, "P2"), "payee_name"), kNoString);
  EXPECT_EQ(r2.Get(payments_source, Row(*snap, pay, "P2"))->status, LinkStatus::kRejected);
  EXPECT_EQ(snap->str(r2.PartyOf(pay, Row(*snap, pay, "P5"), "payee_name")), wang);
  EXPECT_EQ(r2.Get(payments_source, Row(*snap, pay, "P5"))->status, LinkStatus::kConfirmed);
  EXPECT_EQ(r2.stale_decisions(), 1u);  // P9 does not exist
  // The other rows are as before.
  EXPECT_EQ(snap->str(r2.PartyOf(pay, Row(*snap, pay, "P4"), "payee_name")), li);
  EXPECT_EQ(r2.EntityKey(r2.PartyOf(pay, Row(*snap, pay, "P4"), "payee_name")), li);
}

// ---------------------------------------------------------------------------
// The quality bar on the synthetic city: F1 ≥ 0.95 on organisations and ≥ 0.9
// on persons without ID numbers, measured against er_truth.jsonl.

struct Score {
  size_t tp = 0, fp = 0, fn = 0, tn = 0;
  double precision() const { return tp + fp ? static_cast<double>(tp) / (tp + fp) : 1; }
  double recall() const { return tp + fn ? static_cast<double>(tp) / (tp + fn) : 1; }
  double f1() const {
    double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
};

TEST(LinkageCity, PlantedVariantsResolve) {
  auto& city = qf::testing::SharedCity();
  std::ifstream in(city.path("er_truth.jsonl"));
  if (!in) GTEST_SKIP() << "this synthetic city writes no er_truth.jsonl";
  auto snap = Snapshot::Load(city.store->db(), ResolveInputs());
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  auto res = Resolution::Build(*snap.value(), {});
  ASSERT_TRUE(res.ok()) << res.status().ToString();
  const Snapshot& s = *snap.value();
  const Resolution& r = *res.value();
  const auto& sources = MentionSources();
  std::map<std::pair<std::string, std::string>, std::map<std::string, uint32_t>> rows;
  Score by_kind[2];
  std::map<std::string, Score> by_variant;
  std::string line;
  size_t lines = 0, missing = 0;
  std::vector<std::string> errors;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    ++lines;
    std::string dataset = j.value("dataset", ""), column = j.value("column", "");
    size_t src = 0;
    while (src < sources.size() &&
           (dataset != sources[src].dataset || column != sources[src].name_col)) {
      ++src;
    }
    ASSERT_LT(src, sources.size()) << "no mention source for " << dataset << "." << column;
    const Table& t = s.at(dataset);
    auto& index = rows[{dataset, column}];
    if (index.empty()) {
      for (uint32_t k = 0; k < t.size(); ++k) index.emplace(std::string(s.key(t, k)), k);
    }
    auto it = index.find(j.value("key", ""));
    if (it == index.end()) {
      ++missing;
      continue;
    }
    std::string truth = j.value("entity_key", "");
    uint32_t got = r.PartyOf(t, it->second, column);
    std::string predicted = got == kNoString ? "" : r.EntityKey(got);
    int kind = j.value("kind", "") == "org" ? 1 : 0;
    Score& k = by_kind[kind];
    Score& v = by_variant[j.value("variant", "") + (kind ? "/org" : "/person")];
    for (Score* sc : {&k, &v}) {
      if (truth.empty()) {
        (predicted.empty() ? sc->tn : sc->fp)++;
      } else if (predicted == truth) {
        sc->tp++;
      } else {
        sc->fn++;
        if (!predicted.empty()) sc->fp++;
      }
    }
    if (predicted != truth && errors.size() < 12) {
      auto x = r.Get(static_cast<uint16_t>(src), it->second);
      errors.push_back(j.value("value", "") + " [" + j.value("variant", "") + "] truth " +
                       (truth.empty() ? "-" : std::string(r.EntityName(s.find(truth)))) + " got " +
                       (predicted.empty() ? "-" : std::string(r.EntityName(got))) +
                       (x ? " :: " + r.Explain(*x) : ""));
    }
  }
  ASSERT_GT(lines, 0u);
  EXPECT_EQ(missing, 0u) << "er_truth rows not found in the store";
  for (int k = 0; k < 2; ++k) {
    const Score& sc = by_kind[k];
    std::printf("[er] %s: tp %zu fp %zu fn %zu tn %zu  precision %.3f recall %.3f F1 %.3f\n",
                k ? "org" : "person", sc.tp, sc.fp, sc.fn, sc.tn, sc.precision(), sc.recall(),
                sc.f1());
  }
  for (const auto& [name, sc] : by_variant) {
    std::printf("[er]   %-22s tp %4zu fp %4zu fn %4zu tn %4zu  F1 %.3f\n", name.c_str(), sc.tp,
                sc.fp, sc.fn, sc.tn, sc.f1());
  }
  for (const std::string& e : errors) std::printf("[er]   miss: %s\n", e.c_str());
  for (int k = 0; k < 2; ++k) {
    const LinkModel& m = r.link().models[k];
    std::printf("[er] model %s: estimated %d it %d pairs %zu mentions %zu lambda %.4f prior %.3f\n",
                k ? "org" : "person", m.estimated, m.iterations, m.pairs, m.mentions, m.lambda,
                m.prior);
    std::printf("[er]   m_name");
    for (double x : m.m_name) std::printf(" %.3f", x);
    std::printf("\n[er]   m agree/partial/disagree:");
    for (int f = 1; f < kLinkFields; ++f)
      std::printf(" [%.3f %.3f %.3f]", m.m[f][0], m.m[f][1], m.m[f][2]);
    std::printf("\n");
  }
  EXPECT_GE(by_kind[1].f1(), 0.95) << "organisations";
  EXPECT_GE(by_kind[0].f1(), 0.90) << "persons without ID numbers";
}

}  // namespace
}  // namespace qf::engine
