// Government organisations, their officials (leaders among them), leaders'
// declared relatives and the official cars.
#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "synth/names.h"
#include "synth/world.h"

namespace qf::synth {

namespace {

struct OrgKind {
  const char* name;
  bool enforcement;
};

constexpr OrgKind kCityOrgs[] = {
    {"财政局", false},
    {"民政局", false},
    {"市场监督管理局", true},
    {"教育局", false},
    {"卫生健康委员会", false},
    {"住房和城乡建设局", false},
    {"交通运输局", true},
    {"自然资源局", false},
    {"生态环境局", true},
    {"应急管理局", true},
    {"城市管理综合行政执法局", true},
    {"农业农村局", false},
    {"水利局", false},
    {"文化旅游和广播电视局", false},
    {"人力资源和社会保障局", false},
    {"审计局", false},
    {"医疗保障局", false},
    {"退役军人事务局", false},
    {"机关事务服务中心", false},
    {"发展和改革委员会", false},
    {"工业和信息化局", false},
    {"商务局", false},
    {"林业和草原局", false},
    {"体育局", false},
    {"司法局", false},
    {"统计局", false},
};
constexpr OrgKind kDistrictOrgs[] = {
    {"民政局", false},           {"市场监督管理局", true},
    {"财政局", false},           {"教育局", false},
    {"住房和城乡建设局", false}, {"农业农村局", false},
    {"卫生健康局", false},       {"自然资源分局", false},
    {"交通运输局", false},       {"综合行政执法局", true},
    {"应急管理局", true},        {"人力资源和社会保障局", false},
    {"水利局", false},           {"文化旅游和广播电视局", false},
    {"医疗保障局", false},       {"退役军人事务局", false},
    {"司法局", false},           {"审计局", false},
};

}  // namespace

Status GenerateOrganisations(World& w) {
  Rng rng = w.Stream(kStreamOrganisations);
  int n_orgs = std::clamp(static_cast<int>(std::lround(40 * std::sqrt(w.opts.scale))), 14, 1000);
  // City bureaus first, then the districts' bureaus round-robin, then townships.
  size_t serial = 1;
  auto add = [&](int region, const std::string& kind, bool enf) {
    Org o;
    o.region = region;
    o.kind = kind;
    o.enforcement = enf;
    o.name =
        std::string(kCity) + (region >= 0 ? kRegions[static_cast<size_t>(region)].name : "") + kind;
    o.short_name = kind;
    o.code =
        MakeCreditCode("11", region >= 0 ? kRegions[static_cast<size_t>(region)].code : "210900",
                       500000 + serial++);
    w.orgs.push_back(std::move(o));
  };
  // At small scales keep the welfare and market-regulation bureaus of every district.
  int city = std::min<int>(static_cast<int>(std::size(kCityOrgs)), std::max(6, n_orgs - 14));
  for (int i = 0; i < city; ++i) add(-1, kCityOrgs[i].name, kCityOrgs[i].enforcement);
  for (size_t k = 0; k < std::size(kDistrictOrgs) && static_cast<int>(w.orgs.size()) < n_orgs;
       ++k) {
    for (size_t r = 0; r < kRegions.size() && static_cast<int>(w.orgs.size()) < n_orgs; ++r) {
      add(static_cast<int>(r), kDistrictOrgs[k].name, kDistrictOrgs[k].enforcement);
    }
  }
  for (int t = 1; static_cast<int>(w.orgs.size()) < n_orgs; ++t) {
    int r = t % static_cast<int>(kRegions.size());
    char buf[64];
    std::snprintf(buf, sizeof buf, "第%d中心学校", t);
    add(r, buf, false);
  }
  // Officials: each candidate joins a bureau of their district or a city bureau.
  std::vector<int> by_region[kRegions.size()];
  std::vector<int> city_orgs;
  for (size_t i = 0; i < w.orgs.size(); ++i) {
    if (w.orgs[i].region >= 0) {
      by_region[w.orgs[i].region].push_back(static_cast<int>(i));
    } else {
      city_orgs.push_back(static_cast<int>(i));
    }
  }
  for (size_t i = 0; i < w.official_candidates.size(); ++i) {
    const Person& p = w.official_candidates[i];
    Official o;
    o.p = p;
    const auto& local = by_region[p.region];
    // Small bureaus first get staff so every organisation has at least a few.
    if (i < w.orgs.size() * 3) {
      o.org = static_cast<int>(i % w.orgs.size());
    } else {
      o.org = !local.empty() && rng.Chance(0.55) ? rng.Pick(local) : rng.Pick(city_orgs);
    }
    o.household = w.official_households[i];
    int age_at_start = static_cast<int>(rng.Int(23, 30));
    CivilDate b = CivilFromDays(p.birth);
    o.start = std::max(D(b.year + age_at_start, 1, 1) + static_cast<Days>(rng.Int(0, 364)),
                       D(2000, 1, 1) + static_cast<Days>(rng.Int(0, 300)));
    o.start = std::min(o.start, D(2022, 6, 30));
    o.account = BankAccount(Mix64(std::hash<std::string>{}(p.id)), "6228");
    w.officials.push_back(std::move(o));
    w.orgs[static_cast<size_t>(w.officials.back().org)].officials.push_back(
        static_cast<int>(w.officials.size() - 1));
  }
  // Leaders: the senior (older) staff of each organisation.
  for (Org& org : w.orgs) {
    std::vector<int>& staff = org.officials;
    std::sort(staff.begin(), staff.end(),
              [&](int a, int b) { return w.officials[a].p.birth < w.officials[b].p.birth; });
    int n_leaders = std::clamp(static_cast<int>(std::lround(staff.size() * 0.15)), 1, 5);
    if (staff.size() < 2) n_leaders = static_cast<int>(staff.size());
    bool city_level = org.region < 0;
    for (size_t k = 0; k < staff.size(); ++k) {
      Official& o = w.officials[static_cast<size_t>(staff[k])];
      bool head = k == 0;
      o.leader = static_cast<int>(k) < n_leaders;
      if (o.leader) {
        org.leaders.push_back(staff[k]);
        o.position = head ? (org.kind.find("委员会") != std::string::npos ? "主任" : "局长")
                          : (org.kind.find("委员会") != std::string::npos ? "副主任" : "副局长");
        if (org.kind.find("学校") != std::string::npos) o.position = head ? "校长" : "副校长";
        o.rank = city_level ? (head ? "正处级" : "副处级") : (head ? "正科级" : "副科级");
        o.salary_fen = (city_level ? 780000 : 650000) + rng.Int(0, 120000);
      } else {
        static constexpr const char* kPos[] = {"科长", "副科长", "科员", "科员", "办事员"};
        static constexpr const char* kRank[] = {"一级主任科员", "二级主任科员", "四级主任科员",
                                                "一级科员", "二级科员"};
        size_t j = static_cast<size_t>(rng.Int(0, 4));
        o.position = kPos[j];
        o.rank = kRank[j];
        o.salary_fen = 420000 + static_cast<int64_t>(4 - j) * 50000 + rng.Int(0, 60000);
      }
    }
  }
  // Planted (leader_indirect_link, undeclared_household): a few leaders leave
  // an adult household member out of their declaration. Only in households
  // with one official, so nobody else declares that member; on a stream of
  // its own, so the rest of the city does not depend on it.
  {
    Rng net = w.Stream(kStreamNetwork + kStreamOrganisations);
    std::unordered_map<int32_t, int> officials_in_household;
    std::unordered_set<std::string> official_ids;
    for (const Official& o : w.officials) {
      ++officials_in_household[o.p.household];
      official_ids.insert(o.p.id);
    }
    std::vector<int> leaders;
    for (const Org& org : w.orgs)
      leaders.insert(leaders.end(), org.leaders.begin(), org.leaders.end());
    std::sort(leaders.begin(), leaders.end());
    int want = PlantCount(w, 3);
    for (int t = 0; want > 0 && t < 50 * PlantCount(w, 3) && !leaders.empty(); ++t) {
      Official& o = w.officials[static_cast<size_t>(net.Pick(leaders))];
      if (officials_in_household[o.p.household] != 1) continue;
      bool already = false;
      std::vector<Relative*> adults;
      for (Relative& m : o.household) {
        already = already || !m.declared;
        if (AgeAt(m.person.birth, WindowStart()) >= 20 && m.person.death == kNever &&
            !official_ids.count(m.person.id))
          adults.push_back(&m);
      }
      if (already || adults.empty()) continue;
      adults[static_cast<size_t>(net.Int(0, static_cast<int64_t>(adults.size()) - 1))]->declared =
          false;
      --want;
    }
  }
  DatasetWriter& out = w.Out("officials");
  DatasetWriter& rel = w.Out("relatives");
  for (const Official& o : w.officials) {
    const Org& org = w.orgs[static_cast<size_t>(o.org)];
    Row r(out.def());
    r.Set("id_number", o.p.id).Set("name", o.p.name).Set("org", org.name);
    r.Set("org_code", org.code).Set("position", o.position).Set("rank", o.rank);
    r.Set("is_leader", o.leader ? "是" : "否").Set("start_date", FormatDay(o.start));
    out.Write(r);
    if (!o.leader) continue;
    // Leaders declare their family members (个人有关事项报告).
    for (const Relative& m : o.household) {
      if (!m.declared) continue;
      Row x(rel.def());
      x.Set("official_id_number", o.p.id).Set("relative_id_number", m.person.id);
      x.Set("relative_name", m.person.name).Set("relation", m.relation);
      rel.Write(x);
    }
  }
  // Official cars, registered to the organisation.
  DatasetWriter& veh = w.Out("vehicles");
  for (size_t i = 0; i < w.orgs.size(); ++i) {
    w.org_cars_start.push_back(static_cast<int>(w.cars.size()));
    int n = 1 + static_cast<int>(w.orgs[i].officials.size() / 15) + (w.orgs[i].enforcement ? 1 : 0);
    for (int k = 0; k < n; ++k) {
      std::string plate = NextPlate(w);
      Row v(veh.def());
      v.Set("plate", plate).Set("owner_party", w.orgs[i].code).Set("owner_name", w.orgs[i].name);
      v.Set("vehicle_type", k == 0 ? "小型轿车" : "小型普通客车");
      v.Set("register_date",
            FormatDayVaried(D(2015, 1, 1) + static_cast<Days>(rng.Int(0, 2500)), rng));
      v.Set("status", "正常");
      veh.Write(v);
      w.cars.push_back(plate);
      w.car_org.push_back(static_cast<int>(i));
    }
  }
  w.org_cars_start.push_back(static_cast<int>(w.cars.size()));
  return Status::OK();
}

}  // namespace qf::synth
