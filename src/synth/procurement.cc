// Tenders, bids and contracts. Honest bids scatter as in a competitive market
// (each bidder's discount drawn independently); plants the procurement family.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "common/calendar.h"
#include "synth/names.h"
#include "synth/variants.h"
#include "synth/world.h"

namespace qf::synth {

namespace {

// Open-tender thresholds (settings): goods and services 2,000,000 yuan (国办发〔2019〕55号),
// works 4,000,000 yuan (发改委令第16号).
constexpr int64_t kOpenGoodsFen = int64_t{2000000} * 100;
constexpr int64_t kOpenWorksFen = int64_t{4000000} * 100;

struct Item {
  const char* code;
  const char* name;
  int category;  // 0 goods, 1 works, 2 services
};
constexpr Item kItems[] = {
    {"A02010104", "台式计算机", 0},   {"A02010105", "便携式计算机", 0},
    {"A02020100", "复印机", 0},       {"A06010000", "办公家具", 0},
    {"A02091000", "空调设备", 0},     {"A02030500", "公务车辆", 0},
    {"A03020000", "医疗设备", 0},     {"B01000000", "房屋建筑工程", 1},
    {"B03000000", "市政道路工程", 1}, {"B07000000", "装修工程", 1},
    {"B05000000", "水利工程", 1},     {"C15000000", "物业管理服务", 2},
    {"C12000000", "工程设计服务", 2}, {"C06000000", "信息技术服务", 2},
    {"C21000000", "会议培训服务", 2}, {"C13000000", "工程监理服务", 2},
};
constexpr const char* kCategory[] = {"货物", "工程", "服务"};
constexpr int kCategoryIndustries[3][3] = {{1, 2, 6}, {0, 0, 0}, {3, 5, 2}};
constexpr const char* kAgencies[] = {"阜新市公共资源交易中心", "辽宁正信招标代理有限公司",
                                     "阜新衡达工程咨询有限公司", "辽宁中科招标有限公司"};

int64_t Threshold(int category) { return category == 1 ? kOpenWorksFen : kOpenGoodsFen; }

struct BidProfile {
  std::string ip, mac, machine, phone, contact, pm, deposit;
  std::string contact_id;  // the contact's ID number ("" when in no registry)
  const char* contact_variant = "none";
};

BidProfile ProfileOf(const World& w, int ci) {
  const Company& c = w.companies[static_cast<size_t>(ci)];
  uint64_t h = Mix64(static_cast<uint64_t>(ci) + 77);
  BidProfile p;
  char buf[64];
  std::snprintf(buf, sizeof buf, "218.%d.%d.%d", 24 + ci / 65000, (ci / 250) % 260 % 256,
                1 + ci % 250);
  p.ip = buf;
  std::snprintf(buf, sizeof buf, "%02X-%02X-%02X-%02X-%02X-%02X", 0x00, 0x1A,
                static_cast<int>(h >> 8 & 0xFF), (ci >> 16) & 0xFF, (ci >> 8) & 0xFF, ci & 0xFF);
  p.mac = buf;
  std::snprintf(buf, sizeof buf, "%08X%08X", static_cast<unsigned>(h >> 32),
                static_cast<unsigned>(ci));
  p.machine = buf;
  // The contact person: a registry adult of the company's own (no two
  // companies share one), now and then written in a variant form, reachable
  // at the registered mobile — or at the company's landline (no registered
  // mobile, or 15 % of the time). Past the pool, a name in no registry.
  Rng r(h, 9);
  if (static_cast<size_t>(ci) < w.contacts.size()) {
    const World::Contact& person = w.contacts[static_cast<size_t>(ci)];
    p.contact_id.assign(person.id.data(), person.id.size());
    p.contact = person.name;
    if (r.Chance(0.15))
      p.contact_variant = VariantName(VaryName(false, person.name, r, &p.contact));
    p.phone = person.has_phone && !r.Chance(0.15) ? PersonPhone(person.serial) : c.phone;
  } else {
    p.contact = PersonName(r, r.Chance(0.5), false);
    p.phone = c.phone;
  }
  if (static_cast<size_t>(ci) < w.ordinary.size()) p.pm = w.ordinary[static_cast<size_t>(ci)].id;
  p.deposit = c.account;
  return p;
}

// Companies within three hops of each other through ownership (legal rep,
// shareholder, a company holding another) and households — what a graph
// search for linked bidders finds. Honest bidders of one tender are never
// linked so (that is linked_bidders). Companies added later are indexed on
// the next query.
class LinkIndex {
 public:
  explicit LinkIndex(const World& w) : w_(w) {
    // Entrepreneurs' households: couples who both hold companies.
    for (const Person& e : w.entrepreneurs) Member(e);
  }

  bool Linked(int a, int b) {
    Sync();
    int na = company_node_[static_cast<size_t>(a)], nb = company_node_[static_cast<size_t>(b)];
    const std::vector<int>& nbr_b = adj_[static_cast<size_t>(nb)];
    auto near_b = [&](int x) {
      return x == nb || std::find(nbr_b.begin(), nbr_b.end(), x) != nbr_b.end();
    };
    for (int p : adj_[static_cast<size_t>(na)]) {
      if (near_b(p)) return true;  // one or two hops
      for (int q : adj_[static_cast<size_t>(p)]) {
        if (q != na && near_b(q)) return true;  // three hops
      }
    }
    return false;
  }

 private:
  int Node(uint64_t key) {
    auto [it, fresh] = id_.try_emplace(key, static_cast<int>(adj_.size()));
    if (fresh) adj_.emplace_back();
    return it->second;
  }
  void Edge(int x, int y) {
    if (x == y) return;
    std::vector<int>& ax = adj_[static_cast<size_t>(x)];
    if (std::find(ax.begin(), ax.end(), y) != ax.end()) return;
    ax.push_back(y);
    adj_[static_cast<size_t>(y)].push_back(x);
  }
  // A person and the other registered members of the household seen so far.
  int Member(const Person& p) {
    int n = Node(PartyKey(p.id));
    std::vector<int>& mates = households_[p.household];
    if (std::find(mates.begin(), mates.end(), n) == mates.end()) {
      for (int m : mates) Edge(n, m);
      mates.push_back(n);
    }
    return n;
  }
  void Sync() {
    for (; synced_ < w_.companies.size(); ++synced_) {
      const Company& c = w_.companies[synced_];
      int n = Node(PartyKey(c.code));
      company_node_.push_back(n);
      Edge(n, Member(c.legal_rep));
      for (uint64_t h : c.holders) Edge(n, Node(h));
    }
  }

  const World& w_;
  size_t synced_ = 0;
  std::unordered_map<uint64_t, int> id_;
  std::vector<std::vector<int>> adj_;
  std::unordered_map<int32_t, std::vector<int>> households_;
  std::vector<int> company_node_;
};

struct Bid {
  int company;
  int64_t fen;
  bool qualified = true;
  BidProfile prof;
};

struct Tender {
  std::string id, title, buyer, method, agency;
  int item = 0;
  int64_t budget = 0;
  Days publish = 0, deadline = 0;
  int deadline_minute = 570;
  std::vector<Bid> bids;
  int winner = -1;  // index into bids
  bool failed = false;
  // contract
  bool inflate = false;
  double final_factor = 1.0;
  int changes = 0;
};

}  // namespace

Status GenerateProcurement(World& w) {
  Rng rng = w.Stream(kStreamProcurement);
  Rng plant = w.Stream(kStreamPlant + kStreamProcurement);
  DatasetWriter& tout = w.Out("tenders");
  DatasetWriter& bout = w.Out("bids");
  DatasetWriter& cout = w.Out("contracts");
  std::vector<int> pool[kIndustries];
  for (size_t i = 0; i < w.companies.size(); ++i) {
    const Company& c = w.companies[i];
    if (c.reserved || c.status == "注销" || c.status == "吊销") continue;
    if (c.established > D(kFirstYear - 2, 1, 1)) continue;
    pool[c.industry].push_back(static_cast<int>(i));
  }
  LinkIndex links(w);
  std::set<std::string> used_ids;
  int64_t seq = 0;
  auto new_id = [&](int year) {
    for (;;) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "FXZC%d-%06llX", year,
                    static_cast<unsigned long long>(
                        Mix64(static_cast<uint64_t>(++seq) ^ w.opts.seed) & 0xFFFFFF));
      if (used_ids.insert(buf).second) return std::string(buf);
    }
  };
  std::map<std::string, int64_t> nonopen_sum;  // buyer|item|year → budgets of non-open tenders
  auto split_key = [](const Tender& t) {
    return t.buyer + "|" + kItems[t.item].code + "|" + FormatDay(t.publish).substr(0, 4);
  };
  auto pick_bidders = [&](Tender& t, int n, Rng& r, const std::set<int>& exclude) {
    int cat = kItems[t.item].category;
    std::set<int> chosen = exclude;
    std::set<std::string> contacts;
    for (const Bid& b : t.bids) contacts.insert(b.prof.contact);
    for (int tries = 0; static_cast<int>(t.bids.size()) < n && tries < 200; ++tries) {
      int ind = kCategoryIndustries[cat][r.Int(0, 2)];
      if (pool[ind].empty()) continue;
      int ci = r.Pick(pool[ind]);
      if (chosen.count(ci)) continue;
      BidProfile prof = ProfileOf(w, ci);
      if (contacts.count(prof.contact)) continue;  // two firms' contacts never share a name
      bool linked = false;
      for (const Bid& b : t.bids) linked = linked || links.Linked(ci, b.company);
      if (linked) continue;
      chosen.insert(ci);
      contacts.insert(prof.contact);
      t.bids.push_back({ci, 0, true, prof});
    }
  };
  // No three ascending amounts in equal gaps or equal ratios (arithmetic_bids:
  // gaps exact to the fen, ratios within 1 yuan), with a margin of 100 yuan.
  auto irregular = [](std::vector<int64_t> v) {
    std::sort(v.begin(), v.end());
    for (size_t i = 2; i < v.size(); ++i) {
      if (v[i - 2] >= v[i - 1] || v[i - 1] >= v[i]) continue;
      if (std::llabs((v[i] - v[i - 1]) - (v[i - 1] - v[i - 2])) < 10000) return false;
      double g = std::sqrt(static_cast<double>(v[i]) * static_cast<double>(v[i - 2]));
      if (std::fabs(static_cast<double>(v[i - 1]) - g) < 10000) return false;
    }
    return true;
  };
  // Coefficient of variation with the sample standard deviation (bid_price_screen).
  auto sample_cv = [](const std::vector<int64_t>& v) {
    if (v.size() < 2) return 1.0;
    double mean = 0, ss = 0;
    for (int64_t x : v) mean += static_cast<double>(x);
    mean /= static_cast<double>(v.size());
    for (int64_t x : v) ss += (static_cast<double>(x) - mean) * (static_cast<double>(x) - mean);
    return std::sqrt(ss / static_cast<double>(v.size() - 1)) / mean;
  };
  auto fens = [](const Tender& t) {
    std::vector<int64_t> v;
    for (const Bid& b : t.bids) v.push_back(b.fen);
    return v;
  };
  // Independent discounts; resampled until clearly competitive (no ties, no
  // equal gaps or ratios, CV ≥ 2.5 %).
  auto competitive_prices = [&](Tender& t, Rng& r) {
    for (int attempt = 0; attempt < 50; ++attempt) {
      std::vector<int64_t> v;
      for (Bid& b : t.bids) {
        double d = std::clamp(r.Normal(0.08, 0.05), 0.0, 0.3);
        b.fen = std::llround(static_cast<double>(t.budget) * (1 - d) / 10000.0) * 10000;
        v.push_back(b.fen);
      }
      if (v.size() < 2) return;
      std::sort(v.begin(), v.end());
      bool bad = false;
      for (size_t i = 1; i < v.size(); ++i) bad = bad || v[i] == v[i - 1];
      bad = bad || !irregular(v);
      double mean = 0, var = 0;
      for (int64_t x : v) mean += static_cast<double>(x);
      mean /= static_cast<double>(v.size());
      for (int64_t x : v) var += (static_cast<double>(x) - mean) * (static_cast<double>(x) - mean);
      double cv = std::sqrt(var / static_cast<double>(v.size())) / mean;
      if (v.size() >= 3 && cv < 0.025) bad = true;
      if (!bad) return;
    }
  };
  auto award_lowest = [&](Tender& t) {
    t.winner = -1;
    for (size_t i = 0; i < t.bids.size(); ++i) {
      if (!t.bids[i].qualified) continue;
      if (t.winner < 0 || t.bids[i].fen < t.bids[static_cast<size_t>(t.winner)].fen)
        t.winner = static_cast<int>(i);
    }
  };
  // Competitive prices, then bids[who] undercuts the lowest by `by` fen;
  // redrawn until the field is still honestly spread (CV ≥ 3 %, no ties, no
  // regular gaps), so the plant is not also a bid_price_screen or
  // arithmetic_bids case.
  auto undercut = [&](Tender& t, size_t who, int64_t by, Rng& r) {
    for (int attempt = 0; attempt < 50 && who < t.bids.size(); ++attempt) {
      competitive_prices(t, r);
      int64_t low = t.bids[0].fen;
      for (const Bid& b : t.bids) low = std::min(low, b.fen);
      t.bids[who].fen = low - by;
      std::vector<int64_t> v = fens(t);
      std::sort(v.begin(), v.end());
      if (sample_cv(v) >= 0.03 && irregular(v) && std::adjacent_find(v.begin(), v.end()) == v.end())
        return;
    }
  };
  auto base_tender = [&](Rng& r, int org, int item, int year, int64_t budget) {
    Tender t;
    t.buyer = w.orgs[static_cast<size_t>(org)].name;
    t.item = item;
    t.budget = budget;
    t.publish = D(year, 1, 10) + static_cast<Days>(r.Int(0, 300));
    while (!IsWorkingDayDays(t.publish)) ++t.publish;
    t.id = new_id(year);
    t.title = std::string(kCity) + w.orgs[static_cast<size_t>(org)].short_name +
              std::to_string(year) + "年" + kItems[item].name +
              (kItems[item].category == 0 ? "采购项目" : "项目");
    t.agency = kAgencies[r.Int(0, std::size(kAgencies) - 1)];
    bool open = budget >= Threshold(kItems[item].category);
    static constexpr const char* kNonOpen[] = {"竞争性磋商", "询价", "竞争性谈判"};
    t.method =
        open ? "公开招标" : kNonOpen[kItems[item].category == 0 ? r.Int(0, 2) : r.Int(0, 1) * 2];
    int days = open ? static_cast<int>(r.Int(21, 35)) : static_cast<int>(r.Int(5, 15));
    t.deadline = t.publish + days;
    while (!IsWorkingDayDays(t.deadline)) ++t.deadline;
    t.deadline_minute = 9 * 60 + 30;
    return t;
  };
  std::vector<Tender> tenders;
  auto flush = [&](Tender& t, int group_kind, const std::string& shape, std::vector<Key> extra,
                   bool near = false) {
    // Writes the tender, its bids and its contract; plants a truth line if asked.
    int cat = kItems[t.item].category;
    Row r(tout.def());
    r.Set("tender_id", t.id)
        .Set("title", t.title)
        .Set("buyer_org", t.buyer)
        .Set("method", t.method);
    r.Set("category", kCategory[cat]).Set("item_code", kItems[t.item].code);
    r.Set("budget_amount", MoneyVaried(t.budget, rng))
        .Set("publish_date", FormatDayVaried(t.publish, rng));
    r.Set("bid_deadline", FormatDateTime(t.deadline, t.deadline_minute, false));
    Days award = t.deadline + static_cast<Days>(rng.Int(1, 7));
    const Bid* win = t.winner >= 0 ? &t.bids[static_cast<size_t>(t.winner)] : nullptr;
    if (win) {
      r.Set("award_date", FormatDayVaried(award, rng));
      r.Set("winner_credit_code", w.companies[static_cast<size_t>(win->company)].code);
      r.Set("award_amount", MoneyVaried(win->fen, rng)).Set("status", "中标");
    } else {
      r.Set("status", t.failed ? "流标" : "废标");
    }
    r.Set("agency", t.agency);
    tout.Write(r);
    std::vector<int> order(t.bids.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      const Bid& x = t.bids[static_cast<size_t>(a)];
      const Bid& y = t.bids[static_cast<size_t>(b)];
      if (x.qualified != y.qualified) return x.qualified;
      return x.fen < y.fen;
    });
    for (size_t k = 0; k < order.size(); ++k) {
      const Bid& b = t.bids[static_cast<size_t>(order[k])];
      const Company& c = w.companies[static_cast<size_t>(b.company)];
      Row x(bout.def());
      x.Set("tender_id", t.id).Set("bidder_credit_code", c.code).Set("bidder_name", c.name);
      x.Set("bid_amount", MoneyVaried(b.fen, rng));
      int minute = 8 * 60 + static_cast<int>(rng.Int(0, 24 * 60 - 8 * 60 - 1));
      Days day = t.deadline - static_cast<Days>(rng.Int(1, 5));
      x.Set("submit_time", FormatDateTime(day, minute));
      x.Set("ip_address", b.prof.ip)
          .Set("mac_address", b.prof.mac)
          .Set("machine_code", b.prof.machine);
      x.Set("contact_phone", b.prof.phone).Set("contact_person", b.prof.contact);
      x.Set("project_manager_id_number", b.prof.pm).Set("deposit_account", b.prof.deposit);
      x.Set("qualified", b.qualified ? (rng.Chance(0.5) ? "是" : "Y") : "否");
      if (b.qualified) x.Set("rank", std::to_string(k + 1));
      bout.Write(x);
      w.Mention("bids", t.id + "|" + c.code, "contact_person", b.prof.contact, false,
                b.prof.contact_id, b.prof.contact_variant);
    }
    std::string contract_id;
    if (win) {
      contract_id = "HT-" + t.id;
      Row c(cout.def());
      int64_t amount = win->fen;
      double f =
          t.inflate ? t.final_factor : (cat == 1 ? 0.96 + 0.12 * rng.U() : 0.98 + 0.04 * rng.U());
      int changes = t.inflate ? t.changes : static_cast<int>(rng.Int(0, cat == 1 ? 2 : 1));
      c.Set("contract_id", contract_id).Set("tender_id", t.id).Set("buyer_org", t.buyer);
      c.Set("supplier_credit_code", w.companies[static_cast<size_t>(win->company)].code);
      c.Set("amount", MoneyVaried(amount, rng));
      c.Set("sign_date", FormatDayVaried(award + static_cast<Days>(rng.Int(3, 25)), rng));
      c.Set("final_amount",
            MoneyVaried(std::llround(static_cast<double>(amount) * f / 100.0) * 100, rng));
      c.Set("change_count", std::to_string(changes));
      cout.Write(c);
    }
    if (group_kind < 0) return;
    (void)group_kind;
    std::vector<Key> keys = {{"tenders", t.id}};
    for (const Key& k : extra) keys.push_back(k);
    if (near) {
      w.NearMiss(shape.substr(0, shape.find(':')).c_str(), shape.substr(shape.find(':') + 1), keys);
    } else {
      w.Plant(shape.substr(0, shape.find(':')).c_str(), shape.substr(shape.find(':') + 1), keys);
    }
  };
  auto bid_key = [&](const Tender& t, const Bid& b) {
    return Key{"bids", t.id + "|" + w.companies[static_cast<size_t>(b.company)].code};
  };
  auto random_item = [&](Rng& r, int category) {
    for (;;) {
      int i = static_cast<int>(r.Int(0, std::size(kItems) - 1));
      if (category < 0 || kItems[i].category == category) return i;
    }
  };
  auto random_budget = [&](Rng& r, int category) {
    double median = category == 0 ? 500000 : category == 1 ? 2500000 : 700000;
    return std::max<int64_t>(5000000, std::llround(r.LogNormal(median, 0.9) / 1000.0) * 100000);
  };
  std::vector<double> org_w;
  for (const Org& o : w.orgs) org_w.push_back(1.0 + static_cast<double>(o.officials.size()));

  // --- honest tenders ---
  int n = std::max(60, static_cast<int>(std::lround(600 * w.opts.scale)));
  for (int i = 0, made = 0; made < n && i < 4 * n; ++i) {
    int year = kFirstYear + i % (kLastYear - kFirstYear + 1);
    int org = static_cast<int>(rng.Weighted(org_w.data(), org_w.size()));
    int cat = static_cast<int>(rng.Weighted(std::array<double, 3>{0.5, 0.25, 0.25}.data(), 3));
    int item = random_item(rng, cat);
    int64_t budget = random_budget(rng, cat);
    Tender t = base_tender(rng, org, item, year, budget);
    if (t.method != "公开招标") {
      // Never let one buyer's non-open purchases of one item add up to the threshold.
      bool placed = false;
      for (int tries = 0; tries < 20 && !placed; ++tries) {
        if (nonopen_sum[split_key(t)] + t.budget < Threshold(cat) * 8 / 10) {
          placed = true;
        } else {
          t.item = random_item(rng, cat);
          t.title = std::string(kCity) + w.orgs[static_cast<size_t>(org)].short_name +
                    std::to_string(year) + "年" + kItems[t.item].name +
                    (cat == 0 ? "采购项目" : "项目");
        }
      }
      if (!placed) continue;
      nonopen_sum[split_key(t)] += t.budget;
    }
    if (rng.Chance(0.03) && t.method != "公开招标") {
      t.method = "单一来源";
      pick_bidders(t, 1, rng, {});
      if (!t.bids.empty())
        t.bids[0].fen =
            std::llround(static_cast<double>(t.budget) * (0.95 + 0.04 * rng.U()) / 100) * 100;
    } else if (rng.Chance(0.04)) {
      pick_bidders(t, 2, rng, {});
      competitive_prices(t, rng);
      t.failed = true;  // 流标: fewer than three bidders
    } else {
      pick_bidders(t, static_cast<int>(rng.Int(3, 7)), rng, {});
      competitive_prices(t, rng);
      for (Bid& b : t.bids) b.qualified = !rng.Chance(0.05);
    }
    if (!t.failed) award_lowest(t);
    flush(t, -1, "", {});
    ++made;
  }

  // --- planted ---
  int count = PlantCount(w, 3);
  auto planted_tender = [&](int cat, bool open, int org = -1) {
    const bool fixed_org = org >= 0;
    int year = static_cast<int>(plant.Int(kFirstYear, kLastYear));
    if (org < 0) org = static_cast<int>(plant.Weighted(org_w.data(), org_w.size()));
    int item = random_item(plant, cat);
    int64_t budget =
        open ? Threshold(cat) + plant.Int(1, 30) * 10000000 : random_budget(plant, cat) / 2;
    if (!open) budget = std::min(budget, Threshold(cat) / 2);
    Tender t = base_tender(plant, org, item, year, budget);
    // A non-open plant of another kind must not add up, with the buyer's other
    // non-open purchases of the item that year, to a split tender (their sum
    // stays under 80 % of the threshold, as for honest ones). Another buyer,
    // item or year is tried; a buyer with no room left gets an open tender.
    for (int tries = 0; !open && nonopen_sum[split_key(t)] + budget >= Threshold(cat) * 8 / 10;
         ++tries) {
      if (tries == 100) {
        open = true;
        budget = Threshold(cat) + plant.Int(1, 30) * 10000000;
        t = base_tender(plant, org, t.item, year, budget);
        break;
      }
      if (!fixed_org) org = static_cast<int>(plant.Weighted(org_w.data(), org_w.size()));
      t = base_tender(plant, org, random_item(plant, cat),
                      static_cast<int>(plant.Int(kFirstYear, kLastYear)), budget);
    }
    if (!open) nonopen_sum[split_key(t)] += budget;
    return t;
  };
  for (int k = 0; k < count; ++k) {
    // single bid
    {
      int shape = k % 3;
      Tender t = planted_tender(0, shape == 0);
      if (shape == 1) t.method = "竞争性磋商";
      if (shape == 2) t.method = "询价";
      pick_bidders(t, 1, plant, {});
      t.bids[0].fen =
          std::llround(static_cast<double>(t.budget) * (shape == 2 ? 0.995 : 0.97) / 100) * 100;
      award_lowest(t);
      flush(t, 0,
            std::string("single_bid:") + (shape == 0   ? "open_tender_one_bid"
                                          : shape == 1 ? "consultation_one_bid"
                                                       : "inquiry_one_bid_at_budget"),
            {bid_key(t, t.bids[0])});
    }
    // short bidding period, and the near miss of exactly 20 days
    {
      int shape = k % 3;
      Tender t = planted_tender(static_cast<int>(plant.Int(0, 2)), true);
      t.deadline = t.publish + static_cast<Days>(shape == 0   ? plant.Int(15, 19)
                                                 : shape == 1 ? plant.Int(10, 14)
                                                              : plant.Int(5, 7));
      pick_bidders(t, static_cast<int>(plant.Int(3, 5)), plant, {});
      competitive_prices(t, plant);
      award_lowest(t);
      flush(t, 0,
            std::string("short_bidding_period:") + (shape == 0   ? "15_to_19_days"
                                                    : shape == 1 ? "10_to_14_days"
                                                                 : "under_a_week"),
            {});
      Tender n20 = planted_tender(static_cast<int>(plant.Int(0, 2)), true);
      n20.deadline = n20.publish + 20;
      n20.deadline_minute = 9 * 60;
      pick_bidders(n20, static_cast<int>(plant.Int(3, 5)), plant, {});
      competitive_prices(n20, plant);
      award_lowest(n20);
      flush(n20, 0, "short_bidding_period:exactly_20_days", {}, true);
    }
    // bidders sharing an attribute
    for (int s = 0; s < 7 && (k == 0 || s < 3); ++s) {
      int shape = (k * 3 + s) % 7;
      Tender t = planted_tender(static_cast<int>(plant.Int(0, 2)), plant.Chance(0.5));
      pick_bidders(t, static_cast<int>(plant.Int(3, 6)), plant, {});
      competitive_prices(t, plant);
      Bid& a = t.bids[0];
      Bid& b = t.bids[1];
      static constexpr const char* kAttr[] = {"same_ip",
                                              "same_mac",
                                              "same_machine_code",
                                              "same_phone",
                                              "same_contact_person",
                                              "same_project_manager",
                                              "same_deposit_account"};
      switch (shape) {
        case 0:
          b.prof.ip = a.prof.ip;
          break;
        case 1:
          b.prof.mac = a.prof.mac;
          break;
        case 2:
          b.prof.machine = a.prof.machine;
          break;
        case 3:
          b.prof.phone = a.prof.phone;
          break;
        case 4:
          b.prof.contact = a.prof.contact;
          b.prof.contact_id = a.prof.contact_id;
          b.prof.contact_variant = a.prof.contact_variant;
          break;
        case 5:
          if (a.prof.pm.empty() && !w.ordinary.empty()) a.prof.pm = w.ordinary.back().id;
          b.prof.pm = a.prof.pm;
          break;
        default:
          b.prof.deposit = a.prof.deposit;
          break;
      }
      award_lowest(t);
      flush(t, 0, std::string("bidders_share_attribute:") + kAttr[shape],
            {bid_key(t, a), bid_key(t, b)});
    }
    // identical bids
    {
      int shape = k % 3;
      Tender t = planted_tender(static_cast<int>(plant.Int(0, 2)), false);
      pick_bidders(t, 4, plant, {});
      competitive_prices(t, plant);
      std::sort(t.bids.begin(), t.bids.end(),
                [](const Bid& x, const Bid& y) { return x.fen < y.fen; });
      std::vector<Key> keys;
      if (shape == 0) {
        t.bids[3].fen = t.bids[2].fen;
        keys = {bid_key(t, t.bids[2]), bid_key(t, t.bids[3])};
      } else if (shape == 1) {
        t.bids[1].fen = t.bids[0].fen;
        t.bids[1].qualified = false;
        keys = {bid_key(t, t.bids[0]), bid_key(t, t.bids[1])};
      } else {
        t.bids[2].fen = t.bids[1].fen;
        t.bids[3].fen = t.bids[1].fen;
        keys = {bid_key(t, t.bids[1]), bid_key(t, t.bids[2]), bid_key(t, t.bids[3])};
      }
      // The other bids stay honestly spread (CV ≥ 3 %, no regular gaps), so the
      // tender is not also a bid_price_screen or arithmetic_bids case.
      for (int attempt = 0; attempt < 20 && t.bids.size() == 4; ++attempt) {
        if (sample_cv(fens(t)) >= 0.03 && irregular(fens(t))) break;
        double f = 0.07 + 0.05 * plant.U();
        if (shape == 1) {
          t.bids[3].fen =
              std::llround(static_cast<double>(t.bids[2].fen) * (1 + f) / 10000) * 10000;
        } else {
          t.bids[0].fen =
              std::llround(static_cast<double>(t.bids[1].fen) * (1 - f) / 10000) * 10000;
        }
      }
      award_lowest(t);
      flush(t, 0,
            std::string("identical_bids:") + (shape == 0   ? "two_losers"
                                              : shape == 1 ? "winner_and_disqualified"
                                                           : "three_equal"),
            keys);
    }
    // arithmetic bids
    {
      int shape = k % 3;
      Tender t = planted_tender(static_cast<int>(plant.Int(0, 2)), plant.Chance(0.5));
      pick_bidders(t, shape == 2 ? 5 : 4, plant, {});
      int64_t base = std::llround(static_cast<double>(t.budget) * 0.9 / 10000) * 10000;
      // Steps of 2 % of the budget: CV ≈ 2.8 %, clear of bid_price_screen's fences.
      int64_t step = std::max<int64_t>(100000, t.budget / 50 / 10000 * 10000);
      std::vector<Key> keys;
      for (size_t i = 0; i < t.bids.size(); ++i) {
        if (shape == 0) t.bids[i].fen = base + static_cast<int64_t>(i) * step;
        if (shape == 1)
          t.bids[i].fen = std::llround(static_cast<double>(base) *
                                       std::pow(1.02, static_cast<double>(i)) / 100) *
                          100;
        if (shape == 2)
          t.bids[i].fen = i == 0 ? base - 8 * step : base + static_cast<int64_t>(i) * step;
        if (shape != 2 || i > 0) keys.push_back(bid_key(t, t.bids[i]));
      }
      award_lowest(t);
      flush(t, 0,
            std::string("arithmetic_bids:") + (shape == 0   ? "equal_gaps"
                                               : shape == 1 ? "equal_ratios"
                                                            : "losers_equal_gaps"),
            keys);
    }
    // cover bidding: statistically too tight
    {
      int shape = k % 3;
      Tender t = planted_tender(static_cast<int>(plant.Int(0, 2)), true);
      pick_bidders(t, static_cast<int>(plant.Int(4, 6)), plant, {});
      int64_t win =
          std::llround(static_cast<double>(t.budget) * (0.93 + 0.04 * plant.U()) / 100) * 100;
      std::vector<Key> keys;
      for (const Bid& b : t.bids) keys.push_back(bid_key(t, b));
      // Tight (CV < 1 %) but never tied (identical_bids) nor in exact equal
      // gaps or ratios (arithmetic_bids): the small steps vary by ±0.06 %.
      for (int attempt = 0; attempt < 100; ++attempt) {
        for (size_t i = 0; i < t.bids.size(); ++i) {
          double f = i == 0       ? 1.0
                     : shape == 0 ? 1.0 + 0.001 * static_cast<double>(i) + 0.002 * plant.U()
                     : shape == 1
                         ? 1.012 + 0.0015 * plant.U()
                         : 1.0 + 0.0025 * static_cast<double>(i) + 0.0006 * (2 * plant.U() - 1);
          t.bids[i].fen = std::llround(static_cast<double>(win) * f / 100) * 100;
        }
        std::vector<int64_t> v = fens(t);
        std::sort(v.begin(), v.end());
        if (std::adjacent_find(v.begin(), v.end()) == v.end() && irregular(v)) break;
      }
      award_lowest(t);
      flush(t, 0,
            std::string("bid_price_screen:") + (shape == 0   ? "tight_cluster"
                                                : shape == 1 ? "covers_clustered_above_winner"
                                                             : "regular_small_steps"),
            keys);
    }
    // a company under a year old with small capital wins big
    {
      int shape = k % 3;
      int cat = shape == 1 ? 1 : 0;
      Tender t = planted_tender(cat, true);
      // Budgets such that even a 30 % discount leaves the award above 2.2M
      // yuan; at most 300 days old at publication, so under a year at award.
      t.budget = shape == 1 ? plant.Int(500, 900) * 1000000 : plant.Int(320, 600) * 1000000;
      Company c = NewCompany(
          w, plant, cat == 1 ? 0 : 1, 0,
          t.publish - static_cast<Days>(shape == 2 ? plant.Int(240, 300) : plant.Int(30, 180)));
      c.reserved = true;
      c.capital_fen = shape == 0 ? 10000000 : plant.Int(2, 10) * 10000000;
      c.legal_rep = plant.Pick(w.entrepreneurs);
      Person rep = c.legal_rep;
      std::string code = c.code;
      int ci = AddCompany(w, plant, std::move(c), {{rep.id, rep.name, 1.0}});
      t.bids.push_back({ci, 0, true, ProfileOf(w, ci)});
      pick_bidders(t, 4, plant, {ci});
      undercut(t, 0, 100000, plant);
      award_lowest(t);
      flush(t, 0,
            std::string("new_company_large_award:") + (shape == 0   ? "months_old_tiny_capital"
                                                       : shape == 1 ? "months_old_works"
                                                                    : "under_a_year"),
            {{"companies", code}});
    }
    // split tender: non-open purchases of one item adding up over the threshold
    {
      int shape = k % 3;
      int cat = shape == 2 ? 2 : 0;
      int parts = shape == 1 ? static_cast<int>(plant.Int(3, 4)) : 2;
      int org = static_cast<int>(plant.Weighted(org_w.data(), org_w.size()));
      int year = static_cast<int>(plant.Int(kFirstYear, kLastYear));
      int item = random_item(plant, cat);
      // The parts alone make the split: prefer a buyer, item and year with no
      // other non-open purchase (else the least used one).
      auto used = [&](int o, int it, int y) {
        auto f = nonopen_sum.find(w.orgs[static_cast<size_t>(o)].name + "|" + kItems[it].code +
                                  "|" + std::to_string(y));
        return f == nonopen_sum.end() ? int64_t{0} : f->second;
      };
      for (int tries = 0, o = org, it = item, y = year; tries < 200 && used(org, item, year) > 0;
           ++tries) {
        o = static_cast<int>(plant.Weighted(org_w.data(), org_w.size()));
        y = static_cast<int>(plant.Int(kFirstYear, kLastYear));
        it = random_item(plant, cat);
        if (used(o, it, y) < used(org, item, year)) org = o, item = it, year = y;
      }
      Days day = D(year, static_cast<int>(plant.Int(2, 8)), static_cast<int>(plant.Int(1, 28)));
      std::vector<Key> keys;
      int64_t each_limit = Threshold(cat) - 100000;
      int64_t total = Threshold(cat) + plant.Int(1, 10) * 10000000;
      for (int p = 0; p < parts; ++p) {
        Tender t = base_tender(plant, org, item, year,
                               std::min(each_limit, total / parts + plant.Int(-5, 5) * 100000));
        t.publish = day + static_cast<Days>(p * plant.Int(5, 25));
        while (!IsWorkingDayDays(t.publish)) ++t.publish;
        t.deadline = t.publish + static_cast<Days>(plant.Int(5, 10));
        while (!IsWorkingDayDays(t.deadline)) ++t.deadline;
        t.method = plant.Chance(0.5) ? "竞争性磋商" : "询价";
        if (shape != 1) t.title += p == 0 ? "（一期）" : "（二期）";
        pick_bidders(t, 3, plant, {});
        competitive_prices(t, plant);
        award_lowest(t);
        nonopen_sum[split_key(t)] += t.budget;
        keys.push_back({"tenders", t.id});
        flush(t, -1, "", {});
      }
      w.Plant("split_tender",
              shape == 0   ? "two_phases"
              : shape == 1 ? "three_or_four_parts"
                           : "services_two_phases",
              keys);
    }
    // contract inflation
    {
      int shape = k % 3;
      Tender t =
          planted_tender(shape == 2 ? 1 : static_cast<int>(plant.Int(0, 2)), plant.Chance(0.5));
      pick_bidders(t, 4, plant, {});
      competitive_prices(t, plant);
      award_lowest(t);
      t.inflate = true;
      t.final_factor = shape == 0   ? 1.5 + plant.U()
                       : shape == 1 ? 2.0 + plant.U()
                                    : 1.35 + 0.1 * plant.U();
      t.changes = shape == 0   ? static_cast<int>(plant.Int(3, 8))
                  : shape == 1 ? 0
                               : static_cast<int>(plant.Int(1, 2));
      flush(t, 0,
            std::string("contract_inflation:") + (shape == 0   ? "many_changes"
                                                  : shape == 1 ? "no_change_recorded"
                                                               : "works_overrun"),
            {{"contracts", "HT-" + t.id}});
    }
  }
  // bid rotation: a ring of firms takes turns at one buyer
  for (int k = 0; k < count; ++k) {
    int shape = k % 3;
    int firms = shape == 1 ? 4 : 3;
    int rounds = shape == 1 ? 5 : 4;
    int org = static_cast<int>(plant.Weighted(org_w.data(), org_w.size()));
    int cat = static_cast<int>(plant.Int(0, 2));
    std::vector<int> ring;
    for (int f = 0; f < firms; ++f) {
      Company c = NewCompany(w, plant, kCategoryIndustries[cat][f % 3], 0,
                             D(2010, 1, 1) + static_cast<Days>(plant.Int(0, 3000)));
      c.reserved = true;
      c.legal_rep = plant.Pick(w.entrepreneurs);
      Person rep = c.legal_rep;
      ring.push_back(AddCompany(w, plant, std::move(c), {{rep.id, rep.name, 1.0}}));
    }
    std::vector<Key> keys;
    for (int r = 0; r < rounds; ++r) {
      Tender t = planted_tender(cat, plant.Chance(0.5), org);
      for (int f = 0; f < firms; ++f)
        t.bids.push_back(
            {ring[static_cast<size_t>(f)], 0, true, ProfileOf(w, ring[static_cast<size_t>(f)])});
      if (shape == 2) pick_bidders(t, firms + 1, plant, {ring.begin(), ring.end()});
      // The designated winner undercuts the others.
      undercut(t, static_cast<size_t>(r % firms), 200000, plant);
      award_lowest(t);
      keys.push_back({"tenders", t.id});
      flush(t, -1, "", {});
    }
    w.Plant("bid_rotation",
            shape == 0   ? "three_firms_four_tenders"
            : shape == 1 ? "four_firms_five_tenders"
                         : "ring_plus_outsider",
            keys);
  }
  // winners linked to the buyer's leaders
  for (const LinkedCompany& lc : w.leader_linked) {
    int org = w.officials[static_cast<size_t>(lc.official)].org;
    const Company& c = w.companies[static_cast<size_t>(lc.company)];
    Tender t = planted_tender(c.industry == 0 ? 1 : 0, plant.Chance(0.5), org);
    t.bids.push_back({lc.company, 0, true, ProfileOf(w, lc.company)});
    pick_bidders(t, 4, plant, {lc.company});
    undercut(t, 0, 100000, plant);
    award_lowest(t);
    std::vector<Key> keys = {bid_key(t, t.bids[0])};
    keys.insert(keys.end(), lc.link.begin(), lc.link.end());
    flush(t, 0, "winner_linked_to_leader:" + lc.shape, keys);
  }

  // --- hidden links (network family), after every other tender ---
  // Companies hidden-linked to a leader of the buyer win its tender
  // (leader_indirect_link; the companies and the links come from companies.cc).
  for (const NetworkLink& l : w.network_links) {
    if (!l.via_tender) continue;
    int org = w.officials[static_cast<size_t>(l.official)].org;
    const Company& c = w.companies[static_cast<size_t>(l.company)];
    Tender t = planted_tender(c.industry == 0   ? 1
                              : c.industry == 3 ? 2
                                                : 0,
                              plant.Chance(0.5), org);
    t.bids.push_back({l.company, 0, true, ProfileOf(w, l.company)});
    pick_bidders(t, 4, plant, {l.company});
    undercut(t, 0, 100000, plant);
    award_lowest(t);
    std::vector<Key> keys = {bid_key(t, t.bids[0])};
    keys.insert(keys.end(), l.proof.begin(), l.proof.end());
    flush(t, 0, std::string(l.kind) + ":" + l.shape, keys, l.near);
  }
  // Bidders of one tender linked by ownership or family (linked_bidders), and
  // nothing else: each keeps its own IP, phone, contact, account …
  {
    Rng net = w.Stream(kStreamNetwork + kStreamProcurement);
    std::map<int32_t, std::vector<const Person*>> by_household;
    for (const Person& e : w.entrepreneurs) by_household[e.household].push_back(&e);
    std::vector<std::pair<const Person*, const Person*>> couples;
    for (const auto& [hh, members] : by_household) {
      if (members.size() >= 2) couples.push_back({members[0], members[1]});
    }
    // Entrepreneurs of distinct households, none behind the other firms of the plant.
    std::set<int32_t> used_households;
    auto stranger = [&]() -> const Person& {
      for (int t = 0;; ++t) {
        const Person& p = net.Pick(w.entrepreneurs);
        if (used_households.insert(p.household).second || t > 100) return p;
      }
    };
    auto firm = [&](int industry, const Person& rep, const std::vector<Holder>& holders) {
      Company c = NewCompany(w, net, industry, rep.region,
                             D(2008, 1, 1) + static_cast<Days>(net.Int(0, 4000)));
      c.reserved = true;
      c.legal_rep = rep;
      return AddCompany(w, net, std::move(c), holders);
    };
    auto share = [&](double lo, double hi) {
      return std::round((lo + (hi - lo) * net.U()) * 20) / 20;  // 5 % steps
    };
    enum Shape { kCommon, kCross, kHousehold, kNearCross };
    for (int shape : {kCommon, kCross, kHousehold, kNearCross}) {
      int n = shape == kNearCross ? PlantCount(w, 2, 2) : count;
      for (int k = 0; k < n; ++k) {
        if (shape == kHousehold && couples.empty()) break;
        used_households.clear();
        int cat = static_cast<int>(net.Int(0, 2));
        int ind_a = kCategoryIndustries[cat][net.Int(0, 2)];
        int ind_b = kCategoryIndustries[cat][net.Int(0, 2)];
        int a = -1, b = -1;
        const char* name = "";
        if (shape == kCommon) {
          // One person holds 20–45 % of each; each has its own legal rep.
          const Person& holder = stranger();
          const Person& ra = stranger();
          const Person& rb = stranger();
          double sa = share(0.2, 0.45), sb = share(0.2, 0.45);
          a = firm(ind_a, ra, {{ra.id, ra.name, 1 - sa}, {holder.id, holder.name, sa}});
          b = firm(ind_b, rb, {{rb.id, rb.name, 1 - sb}, {holder.id, holder.name, sb}});
          name = "linked_bidders:common_shareholder";
        } else if (shape == kCross || shape == kNearCross) {
          // One bidder holds 30–60 % of the other (5 % in the near miss).
          const Person& ra = stranger();
          const Person& rb = stranger();
          a = firm(ind_a, ra, {{ra.id, ra.name, 1.0}});
          const Company& ca = w.companies[static_cast<size_t>(a)];
          std::string acode = ca.code, aname = ca.name;
          double s = shape == kNearCross ? 0.05 : share(0.3, 0.6);
          b = firm(ind_b, rb, {{rb.id, rb.name, 1 - s}, {acode, aname, s}});
          name = shape == kNearCross ? "linked_bidders:cross_holding_5_percent"
                                     : "linked_bidders:cross_holding";
        } else {
          // The legal representatives are a couple (one registered household).
          const auto& [ra, rb] = couples[static_cast<size_t>(net.Int(0, couples.size() - 1))];
          a = firm(ind_a, *ra, {{ra->id, ra->name, 1.0}});
          b = firm(ind_b, *rb, {{rb->id, rb->name, 1.0}});
          name = "linked_bidders:reps_same_household";
        }
        Tender t = planted_tender(cat, net.Chance(0.5));
        t.bids.push_back({a, 0, true, ProfileOf(w, a)});
        t.bids.push_back({b, 0, true, ProfileOf(w, b)});
        pick_bidders(t, static_cast<int>(net.Int(4, 6)), plant, {a, b});
        competitive_prices(t, plant);
        award_lowest(t);
        flush(t, 0, name, {bid_key(t, t.bids[0]), bid_key(t, t.bids[1])}, shape == kNearCross);
      }
    }
  }
  return Status::OK();
}

}  // namespace qf::synth
