// Welfare payments (民生资金): 低保, 特困, 高龄津贴 monthly; 临时救助 one-off;
// 耕地地力保护补贴 yearly. Honest payments stop at death; plants the welfare
// family and the "paid in the month of death, before the death date" near miss.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

#include "common/calendar.h"
#include "synth/names.h"
#include "synth/world.h"

namespace qf::synth {

namespace {

constexpr const char* kDibao = "城乡居民最低生活保障";
constexpr const char* kTekun = "特困人员救助供养";
constexpr const char* kGaoling = "高龄津贴";
constexpr const char* kLinshi = "临时救助";
constexpr const char* kGengdi = "耕地地力保护补贴";

struct Beneficiary {
  Person p;
  const char* program;
  int64_t monthly_fen;
  std::string account;
  int handler = -1;
  // planted
  Days death = kNever;
  int after_death_months = 0;  // extra months paid after the death month
  int group = -1;              // truth group for its (after-death / wealthy / official) payments
  int share_group = -1;
  int dup_group = -1;
  int dup_month = -1;
  int dup_shape = 0;
  bool near_group = false;
};

struct Group {
  bool near;
  const char* kind;
  std::string shape;
  std::vector<Key> extra;
  std::vector<std::string> ids;
  int limit = 1000;  // at most this many payment keys
};

Days Working(Days d) {
  while (!IsWorkingDayDays(d)) ++d;
  return d;
}

// Hidden links between a handler and a beneficiary (handler_linked_beneficiary)
// that welfare_related_to_handler (same household, declared relatives) does
// not see: the beneficiary registered with the handler's phone, paid into the
// handler's salary account, or living in the household of the handler's
// declared sibling; and, as a near miss, a beneficiary registered with the
// phone of another official of the bureau. The beneficiaries are new
// low-income households; their payments come after all others (own stream).
template <typename NewGroup, typename Write>
void PlantHandlerNetwork(World& w, const std::vector<int> (&handlers)[kRegions.size()],
                         const std::vector<int>& city_handlers,
                         const std::set<std::string>& planted_people, NewGroup& new_group,
                         Write& write) {
  Rng net = w.Stream(kStreamNetwork + kStreamWelfare);
  std::vector<int> staff = city_handlers;
  for (const auto& v : handlers) staff.insert(staff.end(), v.begin(), v.end());
  std::sort(staff.begin(), staff.end());
  staff.erase(std::unique(staff.begin(), staff.end()), staff.end());
  std::set<int> used;
  auto pick = [&](bool leader, bool phone) {
    for (int t = 0; t < 500 && !staff.empty(); ++t) {
      int i = net.Pick(staff);
      const Official& o = w.officials[static_cast<size_t>(i)];
      if (used.count(i) || o.ghost_death != kNever || o.p.death != kNever ||
          planted_people.count(o.p.id) || (leader && !o.leader) || (phone && !o.p.has_phone))
        continue;
      used.insert(i);
      return i;
    }
    return -1;
  };
  auto region_of = [&](const Official& o) {
    int r = w.orgs[static_cast<size_t>(o.org)].region;
    return r >= 0 ? r : static_cast<int>(o.p.region);
  };
  // A new low-income household (head first), written to persons.
  auto household = [&](int region, std::vector<Person>& members, bool head_phone,
                       const std::string& phone) {
    int32_t index = w.households++;
    std::string address = UniqueAddress(w, region);
    for (size_t k = 0; k < members.size(); ++k) {
      Person& m = members[k];
      m.household = index;
      m.household_size = static_cast<uint8_t>(members.size());
      WritePerson(w, m, HouseholdId(region, index), address, k == 0 ? head_phone : net.Chance(0.8),
                  k == 0 ? phone : "");
    }
  };
  auto person = [&](int region, int age, bool male, const std::string& surname) {
    std::string name =
        surname.empty() ? PersonName(net, male, false) : surname + GivenName(net, male, false);
    return NewPerson(w, region, kLastYear - age, male, name);
  };
  const int count = PlantCount(w, 3);
  enum Shape { kPhone, kAccount, kSiblingHousehold, kNearPhone };
  for (int shape : {kPhone, kAccount, kSiblingHousehold, kNearPhone}) {
    int n = shape == kNearPhone ? PlantCount(w, 2, 2) : count;
    for (int k = 0; k < n; ++k) {
      int hi = pick(shape == kSiblingHousehold, shape == kPhone);
      if (hi < 0) break;
      const Official& h = w.officials[static_cast<size_t>(hi)];
      int region = region_of(h);
      Beneficiary b;
      b.program = kDibao;
      b.handler = hi;
      b.monthly_fen =
          (kRegions[static_cast<size_t>(region)].county ? 420 : 560) * 100 + net.Int(0, 30) * 100;
      std::vector<Person> members = {
          person(region, static_cast<int>(net.Int(50, 75)), net.Chance(0.6), "")};
      members[0].relation = "户主";
      std::vector<Key> proof;
      const char* shape_name = "";
      if (shape == kPhone) {
        household(region, members, true, PhoneOf(h.p));
        shape_name = "shared_phone";
      } else if (shape == kAccount) {
        household(region, members, net.Chance(0.8), "");
        shape_name = "shared_account";
      } else if (shape == kSiblingHousehold) {
        // The handler's brother or sister (declared, living elsewhere) is the
        // beneficiary's spouse.
        int age =
            std::clamp(AgeAt(h.p.birth, WindowEnd()) + static_cast<int>(net.Int(-8, 8)), 25, 80);
        std::string surname(h.p.name.substr(0, std::min<size_t>(3, h.p.name.size())));
        Person sibling = person(region, age, !members[0].male, surname);
        sibling.relation = "配偶";
        members.push_back(sibling);
        household(region, members, net.Chance(0.8), "");
        Row x = w.NewRow("relatives");
        x.Set("official_id_number", h.p.id).Set("relative_id_number", members[1].id);
        x.Set("relative_name", members[1].name).Set("relation", "兄弟姐妹");
        w.Out("relatives").Write(x);
        proof = {{"relatives", h.p.id + "|" + members[1].id}};
        shape_name = "via_relative_household";
      } else {
        // Registered with the phone of another official of the bureau: a
        // colleague, not the handler.
        int other = pick(false, true);
        if (other < 0) break;
        household(region, members, true, PhoneOf(w.officials[static_cast<size_t>(other)].p));
        shape_name = "phone_of_another_official";
      }
      b.p = members[0];
      b.account = shape == kAccount
                      ? h.account
                      : BankAccount(Mix64(std::hash<std::string>{}(b.p.id) ^ 0x5A), "6217");
      b.group = new_group(shape == kNearPhone, "handler_linked_beneficiary", shape_name, proof);
      for (int m = 0; m < 24; ++m) {
        int year = kFirstYear + m / 12, month = m % 12 + 1;
        write(b, b.program, D(year, month, 1), Working(D(year, month, 8)), b.monthly_fen, b.account,
              b.group);
      }
    }
  }
}

}  // namespace

Status GenerateWelfare(World& w) {
  Rng rng = w.Stream(kStreamWelfare);
  Rng plant = w.Stream(kStreamPlant + kStreamWelfare);
  DatasetWriter& out = w.Out("welfare");
  std::unordered_set<std::string> official_ids;
  for (const Official& o : w.officials) official_ids.insert(o.p.id);
  // Handlers: staff of the district's 民政局, else the city's.
  std::vector<int> handlers[kRegions.size()];
  std::vector<int> city_handlers;
  for (const Org& o : w.orgs) {
    if (o.kind != "民政局") continue;
    for (int idx : o.officials) {
      if (o.region >= 0) {
        handlers[o.region].push_back(idx);
      } else {
        city_handlers.push_back(idx);
      }
    }
  }
  if (city_handlers.empty()) {
    for (size_t i = 0; i < w.officials.size(); ++i) city_handlers.push_back(static_cast<int>(i));
  }
  auto pick_handler = [&](int region) {
    const auto& v = handlers[region].empty() ? city_handlers : handlers[region];
    return rng.Pick(v);
  };
  std::vector<Beneficiary> bens;
  Days start = WindowStart();
  auto add_ben = [&](const Person& p, const char* program, int64_t monthly) {
    Beneficiary b;
    b.p = p;
    b.program = program;
    b.monthly_fen = monthly;
    b.account = BankAccount(Mix64(std::hash<std::string>{}(p.id) ^ 0x5A), "6217");
    b.handler = pick_handler(p.region);
    bens.push_back(std::move(b));
  };
  for (const Person& p : w.poor) {
    if (p.death < start) continue;
    bool county = kRegions[p.region].county;
    if (p.household_size == 1 && AgeAt(p.birth, start) >= 60) {
      add_ben(p, kTekun, (county ? 780 : 1010) * 100 + rng.Int(0, 20) * 100);
    } else {
      add_ben(
          p, kDibao,
          (county ? 420 : 560) * 100 * std::min<int>(p.household_size, 4) + rng.Int(0, 30) * 100);
    }
  }
  for (const Person& p : w.elderly) {
    if (p.death < start) continue;
    int age = AgeAt(p.birth, start);
    add_ben(p, kGaoling, (age >= 100 ? 500 : age >= 90 ? 200 : 100) * 100);
  }
  std::vector<Group> groups;
  auto new_group = [&](bool near, const char* kind, std::string shape,
                       std::vector<Key> extra = {}) {
    groups.push_back({near, kind, std::move(shape), std::move(extra), {}});
    return static_cast<int>(groups.size() - 1);
  };
  auto person_key = [](const Person& p) { return Key{"persons", p.id}; };
  int count = PlantCount(w, 3);
  std::vector<int> means_tested;
  for (size_t i = 0; i < bens.size(); ++i) {
    if (bens[i].program != kGaoling) means_tested.push_back(static_cast<int>(i));
  }
  std::set<int> taken;
  std::set<std::string> planted_people;  // a person is planted once
  std::map<std::string, Days> planted_death;
  auto take = [&](bool means) {
    const std::vector<int>* from = means ? &means_tested : nullptr;
    for (int t = 0; t < 500; ++t) {
      int i = from ? plant.Pick(*from) : static_cast<int>(plant.Int(0, bens.size() - 1));
      if (taken.count(i) || bens[static_cast<size_t>(i)].p.death != kNever) continue;
      if (!planted_people.insert(bens[static_cast<size_t>(i)].p.id).second) continue;
      taken.insert(i);
      return i;
    }
    return -1;
  };
  // After death: paid 1, 3 or 12 more months; death known to 公安 or 民政火化.
  for (int k = 0; k < count; ++k) {
    int i = take(k % 2 == 0);
    if (i < 0) break;
    Beneficiary& b = bens[static_cast<size_t>(i)];
    int shape = k % 3;
    b.after_death_months = shape == 0 ? 1 : shape == 1 ? 3 : 12;
    int death_month = static_cast<int>(plant.Int(1, 24 - b.after_death_months));
    b.death = D(kFirstYear + (death_month - 1) / 12, (death_month - 1) % 12 + 1,
                static_cast<int>(plant.Int(1, 4)));
    planted_death[b.p.id] = b.death;
    const char* source = k % 2 == 0 ? "公安" : "民政火化";
    w.deaths.push_back({b.p.id, b.p.name, b.death, source});
    b.group = new_group(false, "welfare_after_death",
                        std::to_string(b.after_death_months) + "_months_after_death_" +
                            (k % 2 == 0 ? "police" : "cremation"),
                        {{"deaths", b.p.id}});
  }
  // Near miss: the last payment in the month of death, before the death date.
  for (int k = 0; k < count; ++k) {
    int i = take(k % 2 == 0);
    if (i < 0) break;
    Beneficiary& b = bens[static_cast<size_t>(i)];
    int month = static_cast<int>(plant.Int(2, 23));
    b.death =
        D(kFirstYear + (month - 1) / 12, (month - 1) % 12 + 1, static_cast<int>(plant.Int(20, 28)));
    planted_death[b.p.id] = b.death;
    w.deaths.push_back({b.p.id, b.p.name, b.death, k % 2 == 0 ? "卫健" : "民政火化"});
    b.group = new_group(true, "welfare_after_death", "paid_in_month_of_death_before_death_date",
                        {{"deaths", b.p.id}});
    b.near_group = true;
    groups.back().limit = 1;
  }
  // Duplicate payments.
  for (int k = 0; k < count; ++k) {
    int i = take(false);
    if (i < 0) break;
    Beneficiary& b = bens[static_cast<size_t>(i)];
    b.dup_month = static_cast<int>(plant.Int(0, 23));
    b.dup_shape = k % 3;
    b.dup_group = new_group(false, "welfare_duplicate_payment",
                            b.dup_shape == 0   ? "same_day_same_amount"
                            : b.dup_shape == 1 ? "later_in_month"
                                               : "second_account");
  }
  // Shared accounts: 3–6 beneficiaries of different households, one account.
  for (int k = 0; k < count; ++k) {
    int n = k % 3 == 1 ? static_cast<int>(plant.Int(5, 6)) : 3;
    std::string account = BankAccount(plant.Next(), "6217");
    int g = new_group(false, "welfare_shared_account",
                      k % 3 == 0   ? "three_beneficiaries"
                      : k % 3 == 1 ? "five_or_six_beneficiaries"
                                   : "across_programmes");
    groups.back().limit = n;
    for (int j = 0; j < n; ++j) {
      int i = take(k % 3 != 2);
      if (i < 0) break;
      bens[static_cast<size_t>(i)].account = account;
      bens[static_cast<size_t>(i)].share_group = g;
    }
  }
  // Wealthy beneficiaries: a live company, a car, or three homes.
  for (int k = 0; k < count; ++k) {
    int i = take(true);
    if (i < 0) break;
    Beneficiary& b = bens[static_cast<size_t>(i)];
    int shape = k % 3;
    std::vector<Key> proof;
    if (shape == 0) {
      Company c = NewCompany(w, plant, static_cast<int>(plant.Int(1, 4)), b.p.region,
                             D(2015, 1, 1) + static_cast<Days>(plant.Int(0, 2500)));
      c.reserved = true;
      c.legal_rep = b.p;
      proof.push_back({"companies", c.code});
      AddCompany(w, plant, std::move(c), {{b.p.id, b.p.name, 1.0}});
    } else if (shape == 1) {
      Row v = w.NewRow("vehicles");
      std::string plate = NextPlate(w);
      v.Set("plate", plate).Set("owner_party", b.p.id).Set("owner_name", b.p.name);
      v.Set("vehicle_type", plant.Chance(0.5) ? "小型轿车" : "小型普通客车");
      v.Set("register_date", FormatDay(D(2019, 1, 1) + static_cast<Days>(plant.Int(0, 1300))))
          .Set("status", "正常");
      w.Out("vehicles").Write(v);
      proof.push_back({"vehicles", plate});
    } else {
      for (int h = 0; h < 3; ++h) {
        char pid[64];
        std::snprintf(pid, sizeof pid, "%s%03d%03dGB%05lldW%08lld", kRegions[b.p.region].code,
                      20 + h, 7, static_cast<long long>(k % 100000),
                      static_cast<long long>(k * 3 + h));
        Row r = w.NewRow("real_estate");
        r.Set("property_id", pid).Set("owner_id_number", b.p.id).Set("owner_name", b.p.name);
        r.Set("address", StreetAddress(plant, kRegions[b.p.region].name)).Set("area_m2", "96.50");
        r.Set("register_date", FormatDay(D(2012, 1, 1) + static_cast<Days>(plant.Int(0, 3000))));
        w.Out("real_estate").Write(r);
        proof.push_back({"real_estate", std::string(pid) + "|" + b.p.id});
      }
    }
    b.group = new_group(false, "welfare_wealthy_beneficiary",
                        shape == 0   ? "legal_rep_of_live_company"
                        : shape == 1 ? "owns_car"
                                     : "owns_three_homes",
                        proof);
  }
  // Officials and handlers' relatives on the rolls. They must not look wealthy
  // as well (welfare_wealthy_beneficiary): no car in their name, no planted
  // company (officials' households hold 1–2 homes and no honest company), and
  // no inspector in the household (inspector_conflict, generated later, may
  // give an inspector's household member a company).
  std::unordered_set<int32_t> inspector_households;
  for (const Official& o : w.officials) {
    if (w.orgs[static_cast<size_t>(o.org)].enforcement) inspector_households.insert(o.p.household);
  }
  auto modest = [&](const Person& p) {
    return !p.owns_car && !w.planted_company_holders.count(p.id) &&
           !inspector_households.count(p.household);
  };
  for (int k = 0, made = 0; made < count && k < count * 200; ++k) {
    int shape = made % 3;
    const Official& o = w.officials[static_cast<size_t>(plant.Int(0, w.officials.size() - 1))];
    if (o.leader || o.ghost_death != kNever || !modest(o.p)) continue;
    if (!planted_people.insert(o.p.id).second) continue;
    ++made;
    Beneficiary b;
    b.p = o.p;
    b.program = shape == 1 ? kLinshi : kDibao;
    b.monthly_fen = shape == 1 ? plant.Int(800, 3000) * 100 : 1200 * 100;
    b.account = o.account;
    int region = shape == 2 ? (o.p.region + 1) % static_cast<int>(kRegions.size()) : o.p.region;
    // A handler outside the official's household (else also welfare_related_to_handler).
    for (int t = 0;
         t < 20 && (b.handler < 0 ||
                    w.officials[static_cast<size_t>(b.handler)].p.household == o.p.household);
         ++t) {
      b.handler = pick_handler(region);
    }
    if (shape == 2) b.p.region = static_cast<uint8_t>((o.p.region + 1) % kRegions.size());
    b.group = new_group(false, "welfare_to_official",
                        shape == 0   ? "official_on_dibao"
                        : shape == 1 ? "official_temporary_relief"
                                     : "official_on_dibao_other_district",
                        {{"officials", o.p.id + "|" + w.orgs[static_cast<size_t>(o.org)].name +
                                           "|" + FormatDay(o.start)}});
    bens.push_back(std::move(b));
  }
  std::vector<int> pool;
  for (const auto& v : handlers) pool.insert(pool.end(), v.begin(), v.end());
  if (pool.empty()) pool = city_handlers;
  for (int k = 0, made = 0; made < count && k < count * 400; ++k) {
    int shape = made % 3;
    int hi = plant.Pick(pool);
    const Official& h = w.officials[static_cast<size_t>(hi)];
    const Relative* rel = nullptr;
    for (const Relative& r : h.household) {
      bool want = shape == 0   ? r.relation == "配偶"
                  : shape == 1 ? r.relation == "父母" || r.relation == "其他"
                               : r.relation == "子女";
      if (want && r.person.death == kNever && !official_ids.count(r.person.id) &&
          AgeAt(r.person.birth, start) >= 18 && modest(r.person) && r.declared)
        rel = &r;
    }
    if (!rel || !planted_people.insert(rel->person.id).second) continue;
    Beneficiary b;
    b.p = rel->person;
    b.program = AgeAt(b.p.birth, start) >= 80 ? kGaoling : kDibao;
    b.monthly_fen = b.program == kGaoling ? 10000 : 98000;
    b.account = BankAccount(Mix64(std::hash<std::string>{}(b.p.id) ^ 0x5A), "6217");
    b.handler = hi;
    std::vector<Key> proof = {person_key(b.p), person_key(h.p)};
    if (h.leader) proof.push_back({"relatives", h.p.id + "|" + b.p.id});
    b.group = new_group(false, "welfare_related_to_handler",
                        std::string(shape == 0   ? "handler_spouse"
                                    : shape == 1 ? "handler_parent"
                                                 : "handler_child") +
                            (h.leader ? "_declared" : "_same_household"),
                        proof);
    bens.push_back(std::move(b));
    ++made;
  }

  // --- monthly payments ---
  int64_t serial = 0;
  auto write = [&](const Beneficiary& b, const char* program, Days period_day, Days pay_day,
                   int64_t fen, const std::string& account, int group) {
    char pid[64];
    std::snprintf(pid, sizeof pid, "FF%s%08lld", FormatPeriod(period_day).substr(0, 4).c_str(),
                  static_cast<long long>(++serial));
    Row r(out.def());
    r.Set("payment_id", pid).Set("program", program).Set("beneficiary_id_number", b.p.id);
    r.Set("beneficiary_name", b.p.name).Set("household_id", HouseholdId(b.p.region, b.p.household));
    r.Set("region_code", RegionCode(b.p.region)).Set("period", FormatPeriod(period_day));
    r.Set("pay_date", FormatDayVaried(pay_day, rng))
        .Set("amount", Money(fen))
        .Set("bank_account", account);
    if (b.handler >= 0)
      r.Set("handler_id_number", w.officials[static_cast<size_t>(b.handler)].p.id);
    out.Write(r);
    if (group >= 0) {
      Group& g = groups[static_cast<size_t>(group)];
      if (static_cast<int>(g.ids.size()) < g.limit) g.ids.push_back(pid);
    }
  };
  for (int m = 0; m < 24; ++m) {
    int year = kFirstYear + m / 12, month = m % 12 + 1;
    Days period = D(year, month, 1);
    Days pay_day = Working(D(year, month, 8));
    for (const Beneficiary& b : bens) {
      Days death = std::min(b.death, b.p.death);
      if (b.after_death_months == 0 && !b.near_group) {
        auto pd = planted_death.find(b.p.id);  // the same person on another programme
        if (pd != planted_death.end()) death = std::min(death, pd->second);
      }
      if (b.program == kLinshi) {
        if (m == 5 && b.group >= 0)
          write(b, kLinshi, period, pay_day, b.monthly_fen, b.account, b.group);
        continue;
      }
      bool after = pay_day >= death;
      int group = b.group;
      if (after) {
        // Honest: nothing once the person has died. Planted: a few more months.
        int months_after =
            m - ((CivilFromDays(death).year - kFirstYear) * 12 + CivilFromDays(death).month - 1);
        if (b.after_death_months == 0 || months_after > b.after_death_months || b.p.death < b.death)
          continue;
      } else if (b.after_death_months > 0) {
        group = -1;  // before death the payments are fine
      }
      if (b.near_group && !(period <= death && death < D(year, month, 28) + 5 && pay_day < death))
        group = -1;
      if (b.share_group >= 0) group = b.share_group;
      write(b, b.program, period, pay_day, b.monthly_fen, b.account, group);
      if (b.dup_month == m) {
        Days d2 = b.dup_shape == 0 ? pay_day : Working(pay_day + 9);
        std::string acct = b.dup_shape == 2
                               ? BankAccount(Mix64(std::hash<std::string>{}(b.p.id) ^ 0x77), "6230")
                               : b.account;
        Group& g = groups[static_cast<size_t>(b.dup_group)];
        // Both payments of the period are the evidence.
        write(b, b.program, period, d2, b.monthly_fen, acct, b.dup_group);
        char prev[64];
        std::snprintf(prev, sizeof prev, "FF%d%08lld", year, static_cast<long long>(serial - 1));
        g.ids.insert(g.ids.begin(), prev);
      }
    }
    // Temporary relief: a few one-off payments to people outside the rolls.
    // (Drawn from low-income households, which own no car and at most one home.)
    int n_temp = std::max(1, static_cast<int>(w.poor.size() / 40));
    std::set<std::string> relieved;  // once per person and month
    for (int k = 0; k < n_temp && !w.poor.empty(); ++k) {
      const Person& p = rng.Pick(w.poor);
      if (planted_people.count(p.id) || !relieved.insert(p.id).second) continue;
      Days when = Working(pay_day + static_cast<Days>(rng.Int(0, 15)));
      auto pd = planted_death.find(p.id);
      if (p.death <= when || (pd != planted_death.end() && pd->second <= when)) continue;
      Beneficiary b;
      b.p = p;
      b.handler = pick_handler(p.region);
      write(b, kLinshi, period, when, rng.Int(5, 30) * 10000,
            BankAccount(Mix64(std::hash<std::string>{}(p.id) ^ 0x5A), "6217"), -1);
    }
    // Farmland subsidy in May.
    if (month == 5) {
      Days when = Working(D(year, 5, 20));
      for (const Person& p : w.farmers) {
        auto pd = planted_death.find(p.id);
        if (p.death <= when || (pd != planted_death.end() && pd->second <= when)) continue;
        Beneficiary b;
        b.p = p;
        b.handler = -1;
        write(b, kGengdi, period, when, rng.Int(10, 60) * rng.Int(80, 120) * 100,
              BankAccount(Mix64(std::hash<std::string>{}(p.id) ^ 0x5A), "6217"), -1);
      }
    }
  }
  PlantHandlerNetwork(w, handlers, city_handlers, planted_people, new_group, write);

  for (const Group& g : groups) {
    if (g.ids.empty()) continue;
    std::vector<Key> keys;
    for (const std::string& id : g.ids) keys.push_back({"welfare", id});
    keys.insert(keys.end(), g.extra.begin(), g.extra.end());
    if (g.near) {
      w.NearMiss(g.kind, g.shape, keys);
    } else {
      w.Plant(g.kind, g.shape, keys);
    }
  }
  return Status::OK();
}

}  // namespace qf::synth
