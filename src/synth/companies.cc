// The company register and shareholders, with life cycles; plants leaders who
// run companies (经商办企业) and reserves companies held by leaders' relatives
// for the funds and procurement generators.
#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

#include "synth/names.h"
#include "synth/variants.h"
#include "synth/world.h"

namespace qf::synth {

namespace {

struct Industry {
  const char* name;
  const char* suffixes[3];
};
constexpr Industry kIndustryTable[kIndustries] = {
    {"建筑业", {"建筑工程有限公司", "建设工程有限公司", "市政工程有限公司"}},
    {"批发和零售业", {"商贸有限公司", "贸易有限公司", "物资有限公司"}},
    {"信息传输、软件和信息技术服务业", {"信息技术有限公司", "科技有限公司", "网络科技有限公司"}},
    {"租赁和商务服务业", {"物业管理有限公司", "保洁服务有限公司", "企业管理咨询有限公司"}},
    {"住宿和餐饮业", {"餐饮管理有限公司", "酒店有限公司", "宾馆有限公司"}},
    {"科学研究和技术服务业", {"工程设计咨询有限公司", "工程监理有限公司", "测绘有限公司"}},
    {"卫生和社会工作", {"医疗器械有限公司", "医药有限公司", "康复器材有限公司"}},
    {"制造业", {"印务有限公司", "办公设备有限公司", "家具制造有限公司"}},
    {"农、林、牧、渔业", {"农业科技有限公司", "牧业有限公司", "种植有限公司"}},
    {"交通运输、仓储和邮政业", {"物流有限公司", "汽车运输有限公司", "客运有限公司"}},
};
constexpr double kIndustryWeights[kIndustries] = {0.16, 0.22, 0.1,  0.1,  0.1,
                                                  0.06, 0.06, 0.07, 0.08, 0.05};

std::set<std::string>& UsedNames() {
  static thread_local std::set<std::string> names;
  return names;
}

// Hidden links between leaders and the companies their organisation pays or
// buys from (leader_indirect_link), paths the direct models (a leader or a
// declared relative as legal rep or shareholder of the payee or winner) do not
// see: through a company holding ≥ 30 %, through a household member left out
// of the declaration, through a shared phone, or through payments that name
// the company only, in a variant form. Its own stream: the rest of the city
// does not depend on it.
template <typename OfficialKey>
void PlantLeaderNetwork(World& w, const std::vector<int>& leaders, const std::set<int>& used,
                        const OfficialKey& official_key) {
  Rng net = w.Stream(kStreamNetwork + kStreamCompanies);
  std::unordered_set<std::string> official_ids;
  for (const Official& o : w.officials) official_ids.insert(o.p.id);
  std::vector<int> free;
  for (int oi : leaders) {
    if (!used.count(oi)) free.push_back(oi);
  }
  if (free.empty()) free = leaders;
  std::set<int> taken;
  // The leaders who left a household member out of their declaration
  // (organisations.cc), whether or not other plants use them.
  std::vector<int> undeclared;
  for (int oi : leaders) {
    for (const Relative& r : w.officials[static_cast<size_t>(oi)].household) {
      if (!r.declared) {
        undeclared.push_back(oi);
        break;
      }
    }
  }
  // A leader not taken yet with a household member that fits: a declared
  // relative, or the undeclared member.
  auto pick = [&](bool declared, bool needs_phone, int* leader) -> const Relative* {
    const std::vector<int>& from = declared ? free : undeclared;
    for (int t = 0; t < 400 && !from.empty(); ++t) {
      int oi = net.Pick(from);
      if (taken.count(oi) && t < 300) continue;
      const Official& o = w.officials[static_cast<size_t>(oi)];
      for (const Relative& r : o.household) {
        if (r.declared != declared || AgeAt(r.person.birth, WindowStart()) < 20 ||
            r.person.death != kNever || official_ids.count(r.person.id) ||
            w.planted_company_holders.count(r.person.id) || (needs_phone && !r.person.has_phone))
          continue;
        taken.insert(oi);
        *leader = oi;
        return &r;
      }
    }
    return nullptr;
  };
  auto front = [&]() -> const Person& { return NextFront(w); };
  auto est = [&](int from_year, int span_days) {
    return D(from_year, 1, 1) + static_cast<Days>(net.Int(0, span_days));
  };
  auto ratio = [&](double lo, double hi) {
    return std::round((lo + (hi - lo) * net.U()) * 20) / 20;  // 5 % steps
  };
  const int count = PlantCount(w, 3);
  int tender_turn = 0;  // every third payee of the first three shapes wins a tender instead
  enum Shape { kChain, kUndeclared, kPhone, kNameOnly, kNearChain };
  for (int shape : {kChain, kUndeclared, kPhone, kNameOnly, kNearChain}) {
    int n = shape == kNearChain ? PlantCount(w, 2, 2) : count;
    for (int k = 0; k < n; ++k) {
      int oi = -1;
      const Relative* rel = pick(shape != kUndeclared, shape == kPhone, &oi);
      if (!rel) continue;
      const Official& o = w.officials[static_cast<size_t>(oi)];
      const Person& person = rel->person;
      NetworkLink link;
      link.official = oi;
      int industry = static_cast<int>(net.Int(0, 3));
      // The payee or winner, made after X (credit codes follow the register's order).
      auto payee = [&]() {
        Company c = NewCompany(w, net, industry, o.p.region, est(2012, 2900));
        c.reserved = true;
        return c;
      };
      Company y;
      std::vector<Holder> holders;
      std::vector<Key> chain;
      switch (shape) {
        case kChain:
        case kNearChain: {
          // The relative holds X (legal rep and sole owner, or the majority);
          // X holds 30–60 % of the payee (5 % in the near miss).
          Company x = NewCompany(w, net, 3, o.p.region, est(2010, 2500));
          x.reserved = true;
          std::vector<Holder> xh;
          if (k % 2 == 0) {
            x.legal_rep = person;
            xh.push_back({person.id, person.name, 1.0});
          } else {
            const Person& f = front();
            x.legal_rep = f;
            xh.push_back({person.id, person.name, 0.6});
            xh.push_back({f.id, f.name, 0.4});
          }
          std::string xcode = x.code, xname = x.name;
          AddCompany(w, net, std::move(x), xh);
          y = payee();
          double share = shape == kNearChain ? 0.05 : ratio(0.3, 0.6);
          const Person& f = front();
          y.legal_rep = f;
          holders = {{f.id, f.name, 1.0 - share}, {xcode, xname, share}};
          chain = {{"shareholders", y.code + "|" + xcode}};
          link.shape = shape == kNearChain ? "holding_chain_5_percent" : "holding_chain";
          link.near = shape == kNearChain;
          break;
        }
        case kUndeclared:
        case kNameOnly:
          // The household member left out of the declaration (or, paid under a
          // name variant, a declared relative) as legal rep or shareholder.
          y = payee();
          if (k % 2 == 0) {
            y.legal_rep = person;
            holders = {{person.id, person.name, 1.0}};
          } else {
            const Person& f = front();
            y.legal_rep = f;
            double share = ratio(0.35, 0.45);
            holders = {{f.id, f.name, 1.0 - share}, {person.id, person.name, share}};
          }
          link.shape = shape == kUndeclared ? "undeclared_household" : "name_only_payee";
          link.name_only = shape == kNameOnly;
          break;
        default: {
          // Held by strangers, registered with the relative's mobile phone.
          y = payee();
          const Person& f = front();
          y.legal_rep = f;
          y.phone = PhoneOf(person);
          holders = {{f.id, f.name, 1.0}};
          link.shape = "shared_phone";
          break;
        }
      }
      if (shape == kChain || shape == kUndeclared || shape == kPhone) {
        link.via_tender = tender_turn++ % 3 == 2;
      }
      std::string code = y.code;
      link.company = AddCompany(w, net, std::move(y), holders);
      link.proof = {{"companies", code}};
      link.proof.insert(link.proof.end(), chain.begin(), chain.end());
      link.proof.push_back(official_key(oi));
      w.network_links.push_back(std::move(link));
    }
  }
}

}  // namespace

bool IsCompanyName(const std::string& name) { return UsedNames().count(name) > 0; }

const char* IndustryName(int industry) { return kIndustryTable[industry].name; }

Company NewCompany(World& w, Rng& rng, int industry, int region, Days established) {
  Company c;
  c.industry = industry;
  c.region = static_cast<uint8_t>(region);
  c.established = established;
  c.code = MakeCreditCode("91", kRegions[static_cast<size_t>(region)].code,
                          static_cast<uint64_t>(w.companies.size()) + 1);
  const Industry& ind = kIndustryTable[industry];
  for (int attempt = 0;; ++attempt) {
    static constexpr const char* kPrefix[] = {"阜新", "阜新市", "辽宁", "阜新"};
    std::string prefix = kPrefix[rng.Int(0, 3)];
    if (rng.Chance(0.2))
      prefix = std::string("阜新市") + kRegions[static_cast<size_t>(region)].name;
    std::string name = prefix + TradeName(rng) + ind.suffixes[rng.Int(0, 2)];
    if (attempt > 20) name = prefix + TradeName(rng) + TradeName(rng) + ind.suffixes[0];
    if (UsedNames().insert(name).second) {
      c.name = name;
      break;
    }
  }
  c.capital_fen = std::max<int64_t>(10, std::llround(rng.LogNormal(200, 1.1))) * 1000000;
  c.status = rng.Chance(0.7) ? "存续" : "在业";
  c.account = BankAccount(Mix64(std::hash<std::string>{}(c.code)), "6222");
  return c;
}

int AddCompany(World& w, Rng& rng, Company c, const std::vector<Holder>& holders) {
  DatasetWriter& out = w.Out("companies");
  Row r(out.def());
  r.Set("credit_code", c.code).Set("name", c.name);
  // About 8 % of honest companies name their legal representative without an
  // ID number (half of them in a variant form); planted ones always carry it.
  if (!c.reserved && w.rep_variants.Chance(0.08)) {
    std::string name = c.legal_rep.name;
    Variant v = Variant::kNone;
    if (w.rep_variants.Chance(0.5)) v = VaryName(false, c.legal_rep.name, w.rep_variants, &name);
    r.Set("legal_rep_name", name);
    w.Mention("companies", c.code, "legal_rep_name", name, false, c.legal_rep.id, VariantName(v));
  } else {
    r.Set("legal_rep_id_number", c.legal_rep.id).Set("legal_rep_name", c.legal_rep.name);
  }
  r.Set("registered_capital", MoneyVaried(c.capital_fen, rng));
  r.Set("established_date", FormatDayVaried(c.established, rng)).Set("status", c.status);
  if (c.status_date != kNever) r.Set("status_date", FormatDay(c.status_date));
  StreetAddress(rng, kRegions[c.region].name);  // keeps the caller's stream
  r.Set("address", UniqueAddress(w, c.region));
  if (c.phone.empty()) {
    // A landline of its own (0418 is Fuxin's area code).
    char phone[64];
    std::snprintf(phone, sizeof phone, "0418-%07d", 2000000 + static_cast<int>(w.companies.size()));
    c.phone = phone;
  }
  r.Set("phone", c.phone)
      .Set("industry", IndustryName(c.industry))
      .Set("region_code", RegionCode(c.region));
  out.Write(r);
  DatasetWriter& sh = w.Out("shareholders");
  for (const Holder& h : holders) {
    Row s(sh.def());
    // Half the rows give a fraction ("0.3500"), half a percentage ("35.00%").
    char ratio[64];
    if (rng.Chance(0.5)) {
      std::snprintf(ratio, sizeof ratio, "%.4f", h.ratio);
    } else {
      std::snprintf(ratio, sizeof ratio, "%.2f%%", h.ratio * 100);
    }
    s.Set("credit_code", c.code).Set("holder_party", h.party).Set("holder_name", h.name);
    s.Set("share_ratio", ratio);
    s.Set("subscribed_amount", Money(std::llround(static_cast<double>(c.capital_fen) * h.ratio)));
    s.Set("start_date", FormatDay(c.established));
    sh.Write(s);
    c.holders.push_back(PartyKey(h.party));
  }
  if (c.reserved) {
    w.planted_company_holders.insert(c.legal_rep.id);
    for (const Holder& h : holders) {
      if (h.party.size() == 18 && h.party[0] != '9') w.planted_company_holders.insert(h.party);
    }
  }
  w.companies.push_back(std::move(c));
  return static_cast<int>(w.companies.size() - 1);
}

Status GenerateCompanies(World& w) {
  Rng rng = w.Stream(kStreamCompanies);
  UsedNames().clear();
  if (w.entrepreneurs.empty()) return Status::Internal("no entrepreneurs in the population");
  int64_t persons = std::max<int64_t>(200, std::llround(20000 * w.opts.scale));
  int n = std::max(150, static_cast<int>(persons * 35 / 1000));
  for (int i = 0; i < n; ++i) {
    int industry = static_cast<int>(rng.Weighted(kIndustryWeights, kIndustries));
    const Person& rep = w.entrepreneurs[static_cast<size_t>(i) % w.entrepreneurs.size()];
    // Growth of the register: more young companies than old ones.
    double u = rng.U();
    Days est = D(1998, 1, 1) + static_cast<Days>(std::sqrt(u) * (D(2024, 10, 1) - D(1998, 1, 1)));
    Company c = NewCompany(w, rng, industry, rep.region, est);
    c.legal_rep = rep;
    if (est < D(2020, 1, 1)) {
      double x = rng.U();
      if (x < 0.10) {
        c.status = "注销";
        c.status_date = D(2020, 6, 1) + static_cast<Days>(rng.Int(0, 1600));
      } else if (x < 0.13) {
        c.status = "吊销";
        c.status_date = D(2020, 6, 1) + static_cast<Days>(rng.Int(0, 1600));
      }
    }
    std::vector<Holder> holders;
    double main = rng.Chance(0.4) ? 1.0 : 0.51 + 0.01 * static_cast<double>(rng.Int(0, 39));
    holders.push_back({rep.id, rep.name, main});
    double left = 1.0 - main;
    while (left > 1e-9) {
      double part =
          holders.size() >= 3 ? left : std::min(left, 0.05 * static_cast<double>(rng.Int(1, 6)));
      if (rng.Chance(0.15) && !w.companies.empty()) {
        const Company& parent =
            w.companies[static_cast<size_t>(rng.Int(0, w.companies.size() - 1))];
        bool held = false;
        for (const Holder& h : holders) held = held || h.party == parent.code;
        if (parent.status != "注销" && parent.status != "吊销" && !parent.reserved && !held) {
          holders.push_back({parent.code, parent.name, part});
          left -= part;
          continue;
        }
      }
      const Person& other = rng.Pick(w.entrepreneurs);
      bool dup = false;
      for (const Holder& h : holders) dup = dup || h.party == other.id;
      if (dup) continue;
      holders.push_back({other.id, other.name, part});
      left -= part;
    }
    AddCompany(w, rng, std::move(c), holders);
  }

  // Planted: leaders who run or hold companies (经商办企业), several shapes.
  Rng plant = w.Stream(kStreamPlant + kStreamCompanies);
  std::vector<int> leaders;
  for (const Org& o : w.orgs) leaders.insert(leaders.end(), o.leaders.begin(), o.leaders.end());
  if (leaders.empty()) return Status::Internal("no leaders");
  std::sort(leaders.begin(), leaders.end());
  size_t next_leader = static_cast<size_t>(plant.Int(0, leaders.size() - 1));
  std::set<int> used_leaders;  // behind other plants: the hidden links take others
  auto take_leader = [&]() {
    int oi = leaders[next_leader++ % leaders.size()];
    used_leaders.insert(oi);
    return oi;
  };
  auto official_key = [&](int oi) {
    const Official& o = w.officials[static_cast<size_t>(oi)];
    return Key{"officials",
               o.p.id + "|" + w.orgs[static_cast<size_t>(o.org)].name + "|" + FormatDay(o.start)};
  };
  std::unordered_set<std::string> official_ids;
  for (const Official& o : w.officials) official_ids.insert(o.p.id);
  int count = PlantCount(w, 3);
  for (int k = 0; k < count; ++k) {
    int oi = take_leader();
    const Official& o = w.officials[static_cast<size_t>(oi)];
    int industry = static_cast<int>(plant.Int(0, kIndustries - 1));
    Company c = NewCompany(w, plant, industry, o.p.region,
                           D(2016, 1, 1) + static_cast<Days>(plant.Int(0, 2800)));
    c.reserved = true;
    rng.Next();  // the draw of a front from before fronts had a pool: the stream stays
    const Person& front = NextFront(w);
    std::vector<Holder> holders;
    std::string shape;
    Key proof;
    switch (k % 3) {
      case 0:  // the leader is the legal representative and sole owner
        c.legal_rep = o.p;
        holders.push_back({o.p.id, o.p.name, 1.0});
        shape = "legal_rep";
        proof = {"companies", c.code};
        break;
      case 1:  // a minority stake behind someone else's name
        c.legal_rep = front;
        holders.push_back({front.id, front.name, 0.7});
        holders.push_back({o.p.id, o.p.name, 0.3});
        shape = "minority_shareholder";
        proof = {"shareholders", c.code + "|" + o.p.id};
        break;
      default:  // the largest shareholder of a company still 在业
        c.legal_rep = front;
        c.status = "在业";
        holders.push_back({o.p.id, o.p.name, 0.6});
        holders.push_back({front.id, front.name, 0.4});
        shape = "majority_shareholder";
        proof = {"shareholders", c.code + "|" + o.p.id};
    }
    AddCompany(w, plant, std::move(c), holders);
    w.Plant("leader_holds_company", shape, {proof, official_key(oi)});
  }
  // Companies of leaders' declared relatives (adults), for the funds and
  // procurement generators: relative as legal rep, or as shareholder.
  auto relative_company = [&](int oi, int variant, LinkedCompany* out) {
    const Official& o = w.officials[static_cast<size_t>(oi)];
    const Relative* rel = nullptr;
    for (const Relative& r : o.household) {
      // Not an official in post (a leader would also be 经商办企业).
      if (AgeAt(r.person.birth, WindowStart()) >= 20 && r.person.death == kNever &&
          !official_ids.count(r.person.id) && r.declared) {
        rel = &r;
        if (variant % 2 == 0) break;
      }
    }
    if (!rel) return false;
    int industry = variant % 3 == 0 ? 0 : variant % 3 == 1 ? 1 : 3;
    Company c = NewCompany(w, plant, industry, o.p.region,
                           D(2012, 1, 1) + static_cast<Days>(plant.Int(0, 3300)));
    c.reserved = true;
    std::vector<Holder> holders;
    rng.Next();  // the draw of a front from before fronts had a pool: the stream stays
    const Person& front = NextFront(w);
    Key proof;
    if (variant % 2 == 0) {
      c.legal_rep = rel->person;
      holders.push_back({rel->person.id, rel->person.name, 1.0});
      out->shape = "relative_legal_rep_" + rel->relation;
      proof = {"companies", c.code};
    } else {
      c.legal_rep = front;
      holders.push_back({front.id, front.name, 0.55});
      holders.push_back({rel->person.id, rel->person.name, 0.45});
      out->shape = "relative_shareholder_" + rel->relation;
      proof = {"shareholders", c.code + "|" + rel->person.id};
    }
    out->company = AddCompany(w, plant, std::move(c), holders);
    out->official = oi;
    out->link = {proof, {"relatives", o.p.id + "|" + rel->person.id}};
    return true;
  };
  for (int k = 0, made = 0; made < count && k < count * 20; ++k) {
    LinkedCompany lc;
    if (relative_company(take_leader(), made, &lc)) {
      w.relative_companies.push_back(lc);
      ++made;
    }
  }
  for (int k = 0, made = 0; made < count && k < count * 20; ++k) {
    LinkedCompany lc;
    int oi = take_leader();
    if (made % 3 == 2) {
      // The leader himself behind the winner: also 经商办企业.
      const Official& o = w.officials[static_cast<size_t>(oi)];
      Company c = NewCompany(w, plant, 0, o.p.region,
                             D(2015, 1, 1) + static_cast<Days>(plant.Int(0, 2000)));
      c.reserved = true;
      rng.Next();  // the draw of a front from before fronts had a pool: the stream stays
      const Person& front = NextFront(w);
      c.legal_rep = front;
      std::string code = c.code;
      lc.company = AddCompany(w, plant, std::move(c),
                              {{front.id, front.name, 0.65}, {o.p.id, o.p.name, 0.35}});
      lc.official = oi;
      lc.shape = "leader_shareholder";
      lc.link = {{"shareholders", code + "|" + o.p.id}, official_key(oi)};
      w.Plant("leader_holds_company", "shareholder_of_bidder", lc.link);
      w.leader_linked.push_back(lc);
      ++made;
    } else if (relative_company(oi, made, &lc)) {
      w.leader_linked.push_back(lc);
      ++made;
    }
  }
  PlantLeaderNetwork(w, leaders, used_leaders, official_key);
  return Status::OK();
}

}  // namespace qf::synth
