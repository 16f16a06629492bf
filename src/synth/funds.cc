// Budget lines and treasury payments: salaries, goods and services by
// economic class, with Benford-conforming amounts; plants the funds family
// and relative_company_paid, and the split-payment near misses.
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_set>

#include "common/calendar.h"
#include "synth/names.h"
#include "synth/variants.h"
#include "synth/world.h"

namespace qf::synth {

namespace {

constexpr int64_t kApprovalThresholdFen = int64_t{100000} * 100;  // 10万元 (a setting)

struct EconClass {
  const char* code;
  const char* name;
  int industries[3];  // payee industries, -1 = none
  const char* purposes[3];
};
constexpr EconClass kClasses[] = {
    {"30201", "办公费", {1, 7, -1}, {"办公用品采购", "打印耗材", "文件印刷"}},
    {"30206", "电费", {-2, -1, -1}, {"电费", "电费", "电费"}},
    {"30211", "差旅费", {-3, -1, -1}, {"差旅费报销", "出差住宿交通费", "差旅费"}},
    {"30213", "维修(护)费", {0, 3, -1}, {"办公楼维修", "设备维护", "线路改造维修"}},
    {"30215", "会议费", {4, -1, -1}, {"会议场地费", "工作会议费用", "会务费"}},
    {"30216", "培训费", {4, 5, -1}, {"业务培训费", "干部培训", "培训场地及资料费"}},
    {"30217", "公务接待费", {4, -1, -1}, {"公务接待餐费", "来访接待费用", "接待工作餐"}},
    {"30226", "劳务费", {-4, -1, -1}, {"评审专家劳务费", "临时用工劳务费", "讲课费"}},
    {"30227", "委托业务费", {2, 5, 3}, {"委托业务费", "技术服务费", "第三方评估费"}},
    {"30231", "公务用车运行维护费", {9, 1, -1}, {"公务用车加油费", "车辆维修保养", "车辆保险"}},
    {"31002", "办公设备购置", {2, 1, 7}, {"计算机采购", "办公设备购置", "复印机采购"}},
    {"31005", "基础设施建设", {0, 5, -1}, {"基础设施建设工程款", "道路维修工程款", "工程进度款"}},
};
constexpr double kClassWeights[] = {0.16, 0.06, 0.12, 0.1, 0.05, 0.05,
                                    0.07, 0.06, 0.1,  0.1, 0.08, 0.05};
constexpr const char* kBanks[] = {"中国工商银行阜新分行",
                                  "中国建设银行阜新分行",
                                  "中国农业银行阜新分行",
                                  "中国银行阜新分行",
                                  "阜新银行",
                                  "辽宁阜新农村商业银行"};

struct Pay {
  Days day = 0;
  std::string payee_name, party, account, bank, purpose, invoice;
  int cls = 0;  // index into kClasses; -1 = salary (30101)
  int64_t fen = 0;
  int budget_mode = 0;  // 0 own line, 1 none, 2 unknown id, 3 another org's line
  int group = -1;       // planted truth / near-miss group
  bool net = false;     // a hidden-link payment: formatted from its own stream
  // Written without payee_party: the entity the name stands for, and how it is written.
  std::string entity;
  const char* variant = nullptr;
};

struct Group {
  bool near = false;
  const char* kind;
  std::string shape;
  std::vector<Key> extra;
  std::vector<std::string> ids;
};

std::string BankFor(const std::string& party) {
  return kBanks[std::hash<std::string>{}(party) % std::size(kBanks)];
}

Days NextWorkingDay(Days d) {
  while (!IsWorkingDayDays(d)) ++d;
  return d;
}

// What each org-year gets planted.
enum Plant {
  kDuplicate,
  kSplit,
  kOverBudget,
  kNoBudget,
  kDeregistered,
  kNewlyCreated,
  kOfficialAccount,
  kAfterDeath,
  kYearEnd,
  kBenford,
  kRelativeCompany,
  kNearSplit,
  kPlantKinds
};

}  // namespace

Status GenerateFunds(World& w) {
  Rng rng = w.Stream(kStreamFunds);
  Rng plant = w.Stream(kStreamPlant + kStreamFunds);
  DatasetWriter& bout = w.Out("budgets");
  DatasetWriter& pout = w.Out("payments");
  // Utilities are honest payees of every organisation.
  int power = -1;
  {
    Company c = NewCompany(w, rng, 9, 0, D(2003, 5, 1));
    c.name = "国网辽宁省电力有限公司阜新供电公司";
    Person rep = w.entrepreneurs.front();
    c.legal_rep = rep;
    power = AddCompany(w, rng, std::move(c), {{rep.id, rep.name, 1.0}});
  }
  // Honest vendors: live, not planted, established long before.
  std::vector<int> by_industry[kIndustries];
  for (size_t i = 0; i < w.companies.size(); ++i) {
    const Company& c = w.companies[i];
    if (c.reserved || c.status == "注销" || c.status == "吊销" || static_cast<int>(i) == power)
      continue;
    if (c.established > D(kFirstYear - 1, 1, 1)) continue;
    by_industry[c.industry].push_back(static_cast<int>(i));
  }
  for (int k = 0; k < kIndustries; ++k) {
    if (by_industry[k].empty()) by_industry[k].push_back(power);
  }
  std::unordered_set<std::string> official_ids;
  for (const Official& o : w.officials) official_ids.insert(o.p.id);
  const int years = kLastYear - kFirstYear + 1;
  const size_t org_years = w.orgs.size() * static_cast<size_t>(years);
  // Assign the planted kinds to org-years. Each kind at most once per org-year
  // (the year's generator plants each kind once; duplicates, over-budget and
  // no-budget plants would otherwise merge). Benford deviations and year-end
  // surges are placed first, on org-years of their own; the other kinds prefer
  // the remaining org-years and share the others only when these run out
  // (large scales: the plants grow with the scale, the bodies with its root) —
  // never a duplicate in a Benford org-year, whose honest payments are all
  // part of the deviation.
  std::vector<std::vector<int>> plan(org_years);
  std::vector<int> exclusive(org_years, -1);
  std::vector<size_t> cands;
  auto pick_org_year = [&](int kind) {
    bool excl = kind == kBenford || kind == kYearEnd;
    for (int tier = 0; tier < 2; ++tier) {
      cands.clear();
      for (size_t oy = 0; oy < org_years; ++oy) {
        if (w.orgs[oy / years].officials.size() < 3) continue;
        if (std::find(plan[oy].begin(), plan[oy].end(), kind) != plan[oy].end()) continue;
        if (excl) {
          if (tier == 0 ? !plan[oy].empty() : exclusive[oy] == kind) continue;
        } else {
          if (tier == 0 && exclusive[oy] >= 0) continue;
          if (kind == kDuplicate && exclusive[oy] == kBenford) continue;
          if (kind == kDuplicate &&
              std::find(plan[oy].begin(), plan[oy].end(), kBenford) != plan[oy].end())
            continue;
        }
        cands.push_back(oy);
      }
      if (cands.empty()) continue;
      size_t oy = plant.Pick(cands);
      if (excl && exclusive[oy] < 0) exclusive[oy] = kind;
      plan[oy].push_back(kind);
      return;
    }
  };
  for (int kind : {kBenford, kYearEnd, kDuplicate, kSplit, kOverBudget, kNoBudget, kDeregistered,
                   kNewlyCreated, kOfficialAccount, kAfterDeath, kNearSplit}) {
    int n = PlantCount(w, kind == kNearSplit ? 4 : 3);
    for (int i = 0; i < n; ++i) pick_org_year(kind);
  }
  // Companies of leaders' relatives are paid by the leader's organisation.
  std::vector<std::vector<const LinkedCompany*>> rel_by_org(w.orgs.size());
  for (const LinkedCompany& lc : w.relative_companies) {
    rel_by_org[static_cast<size_t>(w.officials[static_cast<size_t>(lc.official)].org)].push_back(
        &lc);
  }

  // Companies hidden-linked to a leader (network family), paid by the
  // leader's organisation 1–3 times in one year; their own stream, like the
  // name-only payments' (`var`), so the other payments do not depend on them.
  Rng net = w.Stream(kStreamNetwork + kStreamFunds);
  Rng var = w.Stream(kStreamVariants + kStreamFunds);
  struct NetPlan {
    const NetworkLink* link;
    int year;
    int payments;
    bool anchor;  // an ordinary payment by another body, with payee_party
  };
  std::vector<std::vector<NetPlan>> net_by_org(w.orgs.size());
  for (const NetworkLink& l : w.network_links) {
    if (l.via_tender) continue;
    size_t org = static_cast<size_t>(w.officials[static_cast<size_t>(l.official)].org);
    net_by_org[org].push_back({&l, static_cast<int>(net.Int(kFirstYear, kLastYear)),
                               static_cast<int>(net.Int(1, 3)), false});
    // A company paid under its name only is also an ordinary vendor of another
    // body, which pays it with its credit code: its account is on record, so
    // the name variant can be resolved.
    if (l.name_only && w.orgs.size() > 1) {
      size_t other = static_cast<size_t>(net.Int(0, static_cast<int64_t>(w.orgs.size()) - 2));
      if (other >= org) ++other;
      net_by_org[other].push_back({&l, static_cast<int>(net.Int(kFirstYear, kLastYear)),
                                   static_cast<int>(net.Int(1, 2)), true});
    }
  }
  int64_t net_invoice_serial = 0;

  int shape_ctr[kPlantKinds] = {};  // shapes cycle, so every shape appears
  int64_t invoice_serial = 0;
  auto next_invoice = [&](int year) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02d21%016llu", year % 100,
                  static_cast<unsigned long long>(
                      (static_cast<uint64_t>(++invoice_serial) * 2862933555777941757ULL) %
                      10000000000000000ULL));
    return std::string(buf);
  };
  // Lines of the previous org-years with their headroom (for "another org's line").
  std::vector<std::pair<std::string, int64_t>> all_budget_ids;
  int64_t budget_total = 0;

  for (size_t oi = 0; oi < w.orgs.size(); ++oi) {
    Org& org = w.orgs[oi];
    // A few regular vendors per industry for this organisation.
    std::vector<int> vendors[kIndustries];
    for (int k = 0; k < kIndustries; ++k) {
      for (int j = 0; j < 4; ++j) vendors[k].push_back(rng.Pick(by_industry[k]));
    }
    // Per payee: the days and amounts paid by this body (across years, so a
    // late-December and an early-January payment are seen together).
    std::map<std::string, std::vector<std::pair<Days, int64_t>>> by_payee;
    for (int year = kFirstYear; year <= kLastYear; ++year) {
      size_t oy = oi * years + static_cast<size_t>(year - kFirstYear);
      std::vector<Pay> pays;
      std::vector<Group> groups;
      auto conflicts = [&](const std::string& party, Days day, int64_t fen) {
        auto it = by_payee.find(party);
        if (it == by_payee.end()) return false;
        // Everything paid to this payee within 10 days, this one included, stays
        // under half the approval threshold (no accidental "split" windows).
        int64_t sum = fen;
        bool near = false;
        for (auto [d, f] : it->second) {
          if (std::abs(d - day) < 10) {
            sum += f;
            near = true;
          }
        }
        return near && sum >= kApprovalThresholdFen / 2;
      };
      // Any payment to `party` within 10 days of [from, to]: planted split
      // payments and their near misses keep clear of each other.
      auto busy = [&](int ci, Days from, Days to) {
        auto it = by_payee.find(w.companies[static_cast<size_t>(ci)].code);
        if (it == by_payee.end()) return false;
        for (auto [d, f] : it->second) {
          if (d > from - 10 && d < to + 10) return true;
        }
        return false;
      };
      auto add = [&](Pay p) {
        // Never the same payee, day and amount twice by chance (duplicate_payment):
        // a fen more.
        std::vector<std::pair<Days, int64_t>>& paid = by_payee[p.party];
        while (std::find(paid.begin(), paid.end(), std::make_pair(p.day, p.fen)) != paid.end())
          ++p.fen;
        paid.push_back({p.day, p.fen});
        pays.push_back(std::move(p));
      };
      auto new_group = [&](bool near, const char* kind, std::string shape,
                           std::vector<Key> extra = {}) {
        groups.push_back({near, kind, std::move(shape), std::move(extra), {}});
        return static_cast<int>(groups.size() - 1);
      };
      auto company_pay = [&](int ci, int cls, Days day, int64_t fen) {
        const Company& c = w.companies[static_cast<size_t>(ci)];
        Pay p;
        p.day = day;
        p.payee_name = c.name;
        p.party = c.code;
        p.account = c.account;
        p.bank = BankFor(c.code);
        p.cls = cls;
        p.fen = fen;
        p.purpose = kClasses[cls].purposes[rng.Int(0, 2)];
        p.invoice = next_invoice(year);
        return p;
      };
      auto random_day = [&](Rng& r, int month_lo, int month_hi) {
        Days a = D(year, month_lo, 1),
             b = D(month_hi == 12 ? year + 1 : year, month_hi == 12 ? 1 : month_hi + 1, 1) - 1;
        return NextWorkingDay(a + static_cast<Days>(r.Int(0, b - a - 5)));
      };
      auto vendor_for = [&](int cls) {
        int ind = kClasses[cls].industries[rng.Int(0, 2)];
        if (ind < 0) ind = kClasses[cls].industries[0];
        return rng.Pick(vendors[ind]);
      };
      const std::vector<int>& plants = plan[oy];
      auto has = [&](int k) { return std::find(plants.begin(), plants.end(), k) != plants.end(); };

      // --- planted payments first, so honest ones keep clear of them ---
      for (int k : plants) {
        switch (k) {
          case kSplit: {
            int shape = shape_ctr[k]++ % 3;
            int parts = static_cast<int>(plant.Int(2, 5));
            int cls = shape == 0 ? 8 : shape == 1 ? 3 : 10;
            int ci = vendor_for(cls);
            int64_t total = std::llround(static_cast<double>(kApprovalThresholdFen) *
                                         (1.02 + 0.25 * parts * plant.U()));
            Days day0 = random_day(plant, 2, 11);
            for (int t = 0; t < 20 && busy(ci, day0, day0 + 6); ++t) {
              ci = vendor_for(cls);
              day0 = random_day(plant, 2, 11);
            }
            int g = new_group(
                false, "split_payment",
                std::to_string(parts) + (shape == 1 ? "_parts_same_day" : "_parts_within_week"));
            // The working days of the week from day0: every part stays within 7
            // calendar days of the first, whatever holidays follow.
            std::vector<Days> week;
            for (Days d = day0; d < day0 + 7; ++d) {
              if (IsWorkingDayDays(d)) week.push_back(d);
            }
            int64_t left = total;
            for (int p = 0; p < parts; ++p) {
              int64_t fen =
                  p == parts - 1 ? left : left / (parts - p) + plant.Int(-50000, 50000) * 10;
              fen = std::min(fen, kApprovalThresholdFen - plant.Int(1, 300) * 1000);
              if (p == parts - 1 && fen < left) fen = left;  // keep every part under the threshold
              left -= fen;
              Days day = shape == 1 ? day0 : plant.Pick(week);
              Pay x = company_pay(ci, cls, day, fen);
              x.purpose =
                  std::string(kClasses[cls].purposes[0]) + "（第" + std::to_string(p + 1) + "笔）";
              x.group = g;
              add(std::move(x));
            }
            break;
          }
          case kNearSplit: {
            int shape = shape_ctr[k]++ % 3;
            if (shape == 0) {
              // Several payments within a week that together stay just under the threshold.
              int parts = static_cast<int>(plant.Int(2, 3));
              int ci = vendor_for(3);
              int64_t total = kApprovalThresholdFen - plant.Int(100, 2000) * 100;
              Days day0 = random_day(plant, 2, 11);
              for (int t = 0; t < 20 && busy(ci, day0, day0 + 8); ++t) {
                ci = vendor_for(3);
                day0 = random_day(plant, 2, 11);
              }
              int g = new_group(true, "split_payment", "sum_just_under_threshold");
              int64_t left = total;
              Days prev = 0;
              for (int p = 0; p < parts; ++p) {
                // Unequal parts on distinct days: not a duplicate either.
                int64_t fen =
                    p == parts - 1 ? left : left / (parts - p) + plant.Int(-200, 200) * 100;
                left -= fen;
                Days day = NextWorkingDay(day0 + static_cast<Days>(p * 2));
                if (day <= prev) day = NextWorkingDay(prev + 1);
                prev = day;
                Pay x = company_pay(ci, 3, day, fen);
                x.group = g;
                add(std::move(x));
              }
            } else if (shape == 1) {
              // Two large payments to one payee, over a month apart (instalments).
              int ci = vendor_for(8);
              Days d1 = random_day(plant, 2, 6);
              Days d2 = NextWorkingDay(d1 + static_cast<Days>(plant.Int(35, 120)));
              for (int t = 0; t < 20 && (busy(ci, d1, d1) || busy(ci, d2, d2)); ++t) {
                ci = vendor_for(8);
                d1 = random_day(plant, 2, 6);
                d2 = NextWorkingDay(d1 + static_cast<Days>(plant.Int(35, 120)));
              }
              int g = new_group(true, "split_payment", "months_apart");
              for (int p = 0; p < 2; ++p) {
                Pay x = company_pay(ci, 8, p == 0 ? d1 : d2,
                                    kApprovalThresholdFen - plant.Int(1000, 8000) * 100);
                x.purpose = p == 0 ? "技术服务费（上半年）" : "技术服务费（下半年）";
                x.group = g;
                add(std::move(x));
              }
            } else {
              // Same payee, same week, but different purposes and economic classes.
              int ci = by_industry[2].empty() ? power : rng.Pick(vendors[2]);
              Days d1 = random_day(plant, 2, 11);
              for (int t = 0; t < 20 && busy(ci, d1, d1 + 4); ++t) {
                ci = t < 10 ? rng.Pick(vendors[2]) : rng.Pick(by_industry[2]);
                d1 = random_day(plant, 2, 11);
              }
              int g = new_group(true, "split_payment", "different_purpose_and_class");
              Pay a = company_pay(ci, 10, d1, kApprovalThresholdFen - plant.Int(5000, 30000) * 100);
              a.purpose = "计算机采购";
              a.group = g;
              add(std::move(a));
              Pay b = company_pay(ci, 8, NextWorkingDay(d1 + 2),
                                  kApprovalThresholdFen - plant.Int(5000, 30000) * 100);
              b.purpose = "信息系统运维服务费";
              b.group = g;
              add(std::move(b));
            }
            break;
          }
          case kDeregistered: {
            int shape = shape_ctr[k]++ % 3;
            Days pay_day = random_day(plant, 3, 11);
            int ind = static_cast<int>(plant.Int(0, 3));
            Company c = NewCompany(w, plant, ind, org.region >= 0 ? org.region : 0,
                                   D(2008, 1, 1) + static_cast<Days>(plant.Int(0, 2500)));
            c.reserved = true;
            c.legal_rep = rng.Pick(w.entrepreneurs);
            c.status = shape == 1 ? "吊销" : "注销";
            c.status_date = pay_day - static_cast<Days>(shape == 0   ? plant.Int(20, 90)
                                                        : shape == 1 ? plant.Int(300, 700)
                                                                     : plant.Int(1, 10));
            std::string code = c.code;
            Person rep = c.legal_rep;
            int ci = AddCompany(w, plant, std::move(c), {{rep.id, rep.name, 1.0}});
            int cls = ind == 0 ? 3 : ind == 1 ? 0 : 8;
            Pay x = company_pay(ci, cls, pay_day, rng.Int(3000, 90000) * 100);
            x.group = new_group(false, "payee_deregistered",
                                shape == 0   ? "cancelled_months_before"
                                : shape == 1 ? "revoked_year_before"
                                             : "cancelled_days_before",
                                {{"companies", code}});
            add(std::move(x));
            break;
          }
          case kNewlyCreated: {
            int shape = shape_ctr[k]++ % 3;
            Days pay_day = random_day(plant, 3, 11);
            int ind = shape == 2 ? 0 : 2;
            Company c = NewCompany(
                w, plant, ind, org.region >= 0 ? org.region : 0,
                pay_day - static_cast<Days>(shape == 0 ? plant.Int(5, 30) : plant.Int(31, 89)));
            c.reserved = true;
            c.capital_fen = 100000 * 100;
            c.legal_rep = rng.Pick(w.ordinary.empty() ? w.entrepreneurs : w.ordinary);
            std::string code = c.code;
            Person rep = c.legal_rep;
            int ci = AddCompany(w, plant, std::move(c), {{rep.id, rep.name, 1.0}});
            int64_t fen =
                shape == 1 ? plant.Int(200000, 900000) * 100 : plant.Int(50000, 99000) * 100;
            Pay x = company_pay(ci, ind == 0 ? 11 : 8, pay_day, fen);
            x.group = new_group(false, "payee_newly_created",
                                shape == 0   ? "days_old"
                                : shape == 1 ? "weeks_old_large"
                                             : "weeks_old_works",
                                {{"companies", code}});
            add(std::move(x));
            break;
          }
          case kOfficialAccount: {
            int shape = shape_ctr[k]++ % 3;
            const Official& o = w.officials[static_cast<size_t>(
                shape == 2 ? plant.Int(0, w.officials.size() - 1) : rng.Pick(org.officials))];
            Pay x;
            x.day = random_day(plant, 2, 11);
            x.cls = shape == 2 ? 7 : 8;
            x.fen = plant.Int(8000, 95000) * 100;
            x.purpose = shape == 2 ? "讲课费" : "咨询服务费";
            x.invoice = shape == 1 ? next_invoice(year) : "";
            x.account = o.account;
            x.bank = "中国建设银行阜新分行";
            if (shape == 1) {
              // A company's name on the voucher, the official's own account behind it.
              const Company& named = w.companies[static_cast<size_t>(rng.Pick(by_industry[2]))];
              // Not in er_truth.jsonl: the name is the company's, the payee the official.
              x.payee_name = named.name;
            } else {
              x.payee_name = o.p.name;
              x.party = o.p.id;
            }
            x.group = new_group(
                false, "payment_to_official_account",
                shape == 0   ? "own_org_official_id"
                : shape == 1 ? "company_name_official_account"
                             : "other_org_official_fee",
                {{"officials", o.p.id + "|" + w.orgs[o.org].name + "|" + FormatDay(o.start)}});
            pays.push_back(std::move(x));
            break;
          }
          case kAfterDeath: {
            int shape = shape_ctr[k]++ % 3;
            if (shape < 2) {
              // 吃空饷: a non-leader dies; salary goes on for 1–3 or 6–12 months.
              for (int tries = 0; tries < 20; ++tries) {
                int idx = rng.Pick(org.officials);
                Official& o = w.officials[static_cast<size_t>(idx)];
                if (o.leader || o.ghost_death != kNever) continue;
                int months = shape == 0 ? static_cast<int>(plant.Int(1, 3))
                                        : static_cast<int>(plant.Int(6, 11));
                int death_month = static_cast<int>(plant.Int(1, 12 - months));
                o.ghost_death = D(year, death_month, static_cast<int>(plant.Int(1, 28)));
                // The last salary paid: `months` monthly salaries after death.
                o.salary_until = D(year, death_month + months, 28);
                static constexpr const char* kSrc[] = {"公安", "民政火化", "卫健"};
                w.deaths.push_back({o.p.id, o.p.name, o.ghost_death, kSrc[plant.Int(0, 2)]});
                new_group(false, "payment_after_death",
                          shape == 0 ? "salary_1_to_3_months" : "salary_6_to_12_months",
                          {{"deaths", o.p.id}});
                groups.back().extra.push_back({"_official", std::to_string(idx)});
                break;
              }
            } else {
              // 劳务费 paid to a person who died earlier.
              // Not an official (planted 吃空饷 deaths are in w.deaths too): a
              // fee to an official is payment_to_official_account as well.
              const Death* d = nullptr;
              for (int tries = 0; tries < 200 && !d; ++tries) {
                const Death& c = w.deaths[static_cast<size_t>(plant.Int(0, w.deaths.size() - 1))];
                if (c.date < D(year, 10, 1) && c.date > D(year - 1, 6, 1) &&
                    !official_ids.count(c.id))
                  d = &c;
              }
              if (!d) break;
              Pay x;
              x.day = NextWorkingDay(
                  std::max<Days>(d->date + static_cast<Days>(plant.Int(15, 60)), D(year, 1, 5)));
              if (x.day > D(year, 12, 20)) break;
              x.cls = 7;
              x.fen = plant.Int(500, 6000) * 100;
              x.purpose = "临时用工劳务费";
              x.payee_name = d->name;
              x.party = d->id;
              x.account = BankAccount(Mix64(std::hash<std::string>{}(d->id)), "6217");
              x.bank = BankFor(d->id);
              x.group = new_group(false, "payment_after_death", "labour_fee_to_deceased",
                                  {{"deaths", d->id}});
              pays.push_back(std::move(x));
            }
            break;
          }
          default:
            break;
        }
      }
      for (const LinkedCompany* lc : rel_by_org[oi]) {
        if ((lc->company + year) % 2 != 0 && year != kLastYear) continue;
        if (year == kLastYear && (lc->company + kFirstYear) % 2 == 0) continue;
        const Company& c = w.companies[static_cast<size_t>(lc->company)];
        int cls = c.industry == 0 ? 3 : c.industry == 1 ? 0 : 8;
        int g = new_group(false, "relative_company_paid", lc->shape, lc->link);
        int n = static_cast<int>(plant.Int(1, 3));
        for (int k = 0; k < n; ++k) {
          int64_t fen = plant.Int(5000, 90000) * 100;
          Days day = random_day(plant, 1, 11);
          for (int t = 0;
               t < 20 && conflicts(w.companies[static_cast<size_t>(lc->company)].code, day, fen);
               ++t) {
            day = random_day(plant, 1, 11);
          }
          Pay x = company_pay(lc->company, cls, day, fen);
          x.group = g;
          add(std::move(x));
        }
      }

      for (const NetPlan& np : net_by_org[oi]) {
        if (np.year != year) continue;
        const NetworkLink& l = *np.link;
        const Company& c = w.companies[static_cast<size_t>(l.company)];
        // Not 30227 (the over-budget plants' line), not December (year-end surges).
        int cls = c.industry == 0 ? 3 : c.industry == 2 ? 10 : 0;
        int g = np.anchor ? -1 : new_group(l.near, l.kind, l.shape, l.proof);
        for (int k = 0; k < np.payments; ++k) {
          int64_t fen = net.Int(5000, 90000) * 100;
          Days day = random_day(net, 1, 11);
          for (int t = 0; t < 20 && conflicts(c.code, day, fen); ++t) day = random_day(net, 1, 11);
          Pay x;
          x.day = day;
          x.payee_name = c.name;
          x.party = c.code;
          x.account = c.account;
          x.bank = BankFor(c.code);
          x.cls = cls;
          x.fen = fen;
          x.purpose = kClasses[cls].purposes[net.Int(0, 2)];
          char inv[64];
          std::snprintf(inv, sizeof inv, "%02d21%016llu", year % 100,
                        static_cast<unsigned long long>(
                            ((uint64_t{1} << 40) + static_cast<uint64_t>(++net_invoice_serial)) *
                            2862933555777941757ULL % 10000000000000000ULL));
          x.invoice = inv;
          x.net = true;
          x.group = g;
          if (l.name_only && !np.anchor) {
            // The voucher names the company in a form an exact comparison
            // misses (not only width or traditional characters), never as
            // another registered company.
            std::string name;
            Variant v = Variant::kNone;
            for (int t = 0; t < 5 && (v == Variant::kNone || IsCompanyName(name)); ++t)
              v = VaryName(true, c.name, net, &name, true);
            x.payee_name = name;
            x.entity = c.code;
            x.variant = VariantName(v);
            x.party.clear();
          }
          add(std::move(x));
        }
      }

      // --- salaries ---
      for (int idx : org.officials) {
        const Official& o = w.officials[static_cast<size_t>(idx)];
        int ghost_group = -1;
        for (size_t g = 0; g < groups.size(); ++g) {
          for (const Key& k : groups[g].extra) {
            if (k.dataset == "_official" && k.key == std::to_string(idx))
              ghost_group = static_cast<int>(g);
          }
        }
        for (int m = 1; m <= 12; ++m) {
          Days day = NextWorkingDay(D(year, m, 10));
          if (day > o.salary_until) break;
          if (o.ghost_death != kNever && o.salary_until == kNever && day > o.ghost_death) break;
          if (D(year, m, 1) < o.start) continue;
          Pay x;
          x.day = day;
          x.cls = -1;
          x.fen = o.salary_fen + (m == 12 ? o.salary_fen / 2 : 0);
          x.payee_name = o.p.name;
          x.party = o.p.id;
          x.account = o.account;
          x.bank = "中国建设银行阜新分行";
          char buf[64];
          std::snprintf(buf, sizeof buf, "%d年%d月工资", year, m);
          x.purpose = buf;
          if (ghost_group >= 0 && o.ghost_death != kNever && day > o.ghost_death)
            x.group = ghost_group;
          pays.push_back(std::move(x));
        }
      }

      // --- ordinary payments: Benford-conforming amounts ---
      bool benford = has(kBenford);
      int n_ns = std::max(150, static_cast<int>(org.officials.size()) * 18);
      if (benford) n_ns = std::max(n_ns, 140);
      int benford_shape = benford ? shape_ctr[kBenford]++ % 3 : 0;
      double offset = rng.U();
      int benford_group = benford ? new_group(false, "benford_deviation",
                                              benford_shape == 0   ? "uniform_first_digits"
                                              : benford_shape == 1 ? "just_under_round_limits"
                                                                   : "invented_mid_digits")
                                  : -1;
      static constexpr double kMonthW[] = {0.7, 0.8, 1, 1, 1, 1, 1, 0.9, 1, 1, 1, 0.8};
      for (int i = 0; i < n_ns; ++i) {
        // Low-discrepancy mantissas make first digits follow Benford closely even in small samples.
        double mant = std::fmod(offset + 0.6180339887498949 * i, 1.0);
        int cls = static_cast<int>(rng.Weighted(kClassWeights, std::size(kClassWeights)));
        static constexpr double kExpW[] = {0.28, 0.45, 0.24, 0.03};
        int e = 2 + static_cast<int>(rng.Weighted(kExpW, 4));
        if (cls == 11) e = 5;  // works
        if (cls == 2 || cls == 7) e = std::min(e, 3);
        double yuan = std::pow(10.0, e + mant);
        if (benford) {
          double digit_part;
          if (benford_shape == 0) {
            digit_part = static_cast<double>(rng.Int(1, 9)) + rng.U();
          } else if (benford_shape == 1) {
            digit_part = rng.Chance(0.5) ? 4.5 + 0.49 * rng.U() : 9.0 + 0.95 * rng.U();
          } else {
            digit_part = 5.0 + 3.9 * rng.U();
          }
          yuan = digit_part * std::pow(10.0, e);
        }
        int month = static_cast<int>(rng.Weighted(kMonthW, 12)) + 1;
        if (e >= 5 && month == 12) month = 11;  // no large December payments in honest data
        Days day = random_day(rng, month, month);
        int64_t fen = std::max<int64_t>(100, std::llround(yuan * 100));
        Pay x;
        int ind = kClasses[cls].industries[0];
        if (ind == -3) {  // travel: reimbursed to the official
          const Official& o = w.officials[static_cast<size_t>(rng.Pick(org.officials))];
          if (o.ghost_death != kNever && day > o.ghost_death) continue;
          x.payee_name = o.p.name;
          x.party = o.p.id;
          x.account = o.account;
          x.bank = "中国建设银行阜新分行";
          x.day = day;
          x.cls = cls;
          x.fen = fen;
          x.purpose = kClasses[cls].purposes[rng.Int(0, 2)];
        } else if (ind == -4) {  // labour fees to people outside the government
          if (w.ordinary.empty()) continue;
          const Person& p = rng.Pick(w.ordinary);
          x.payee_name = p.name;
          x.party = p.id;
          x.account = BankAccount(Mix64(std::hash<std::string>{}(p.id)), "6217");
          x.bank = BankFor(p.id);
          x.day = day;
          x.cls = cls;
          x.fen = fen;
          x.purpose = kClasses[cls].purposes[rng.Int(0, 2)];
        } else {
          int ci = ind == -2 ? power : vendor_for(cls);
          // Keep clear of other payments to the same payee (no accidental splits);
          // the amount, and so its first digit, stays.
          for (int t = 0; t < 40 && conflicts(w.companies[static_cast<size_t>(ci)].code, day, fen);
               ++t) {
            if (ind >= 0) ci = t < 20 ? vendor_for(cls) : rng.Pick(by_industry[ind]);
            day = random_day(rng, t < 20 ? month : 1, t < 20 ? month : 11);
          }
          if (conflicts(w.companies[static_cast<size_t>(ci)].code, day, fen)) continue;
          x = company_pay(ci, cls, day, fen);
        }
        if (benford) x.group = benford_group;
        add(std::move(x));
      }
      // Year-end surge: many extra December payments.
      if (has(kYearEnd)) {
        int shape = shape_ctr[kYearEnd]++ % 3;
        int64_t year_total = 0;
        for (const Pay& p : pays) year_total += p.cls >= 0 && p.cls != 2 && p.cls != 7 ? p.fen : 0;
        int64_t target = year_total * 3 / 4;
        int g = new_group(false, "year_end_surge",
                          shape == 0   ? "many_small_purchases"
                          : shape == 1 ? "few_large_services"
                                       : "equipment_spree");
        int cls = shape == 0 ? 0 : shape == 1 ? 8 : 10;
        int n =
            shape == 1 ? static_cast<int>(plant.Int(3, 6)) : static_cast<int>(plant.Int(12, 30));
        std::vector<double> weights;
        double weight_sum = 0;
        for (int i = 0; i < n; ++i) {
          weights.push_back(std::pow(10.0, plant.U() - 0.5));
          weight_sum += weights.back();
        }
        for (int i = 0; i < n; ++i) {
          // Log-uniform shares of the target (digits stay Benford-like), so only the timing is odd.
          int64_t fen = std::llround(static_cast<double>(target) * weights[static_cast<size_t>(i)] /
                                     weight_sum);
          Days day = NextWorkingDay(D(year, 12, static_cast<int>(plant.Int(10, 27))));
          int ind = kClasses[cls].industries[0];
          int ci = rng.Pick(by_industry[ind]);
          for (int t = 0; t < 20 && conflicts(w.companies[static_cast<size_t>(ci)].code, day, fen);
               ++t) {
            ci = rng.Pick(by_industry[kClasses[cls].industries[t % 2]]);
            day = NextWorkingDay(D(year, 12, static_cast<int>(plant.Int(10, 27))));
          }
          Pay x = company_pay(ci, cls, day, fen);
          x.group = g;
          add(std::move(x));
        }
      }
      // Duplicates: a copy of an existing company payment.
      if (has(kDuplicate)) {
        int shape = shape_ctr[kDuplicate]++ % 3;
        // An honest company payment early enough that the copy stays in the year.
        std::vector<size_t> sources;
        for (size_t i = 0; i < pays.size(); ++i) {
          const Pay& src = pays[i];
          if (src.cls < 0 || src.group >= 0 || src.invoice.empty() || src.party.size() != 18 ||
              src.fen >= kApprovalThresholdFen / 2 || src.party[0] != '9' ||
              src.day > D(year, shape == 2 ? 11 : 12, shape == 2 ? 10 : 1)) {
            continue;
          }
          sources.push_back(i);
        }
        if (!sources.empty()) {
          // The copy's day, clear of the payee's large payments (with them it
          // would also make a split_payment window).
          size_t si = 0;
          Days day = 0;
          for (int t = 0; t < 50; ++t) {
            si = plant.Pick(sources);
            day = pays[si].day;
            if (shape == 0) day = NextWorkingDay(day + static_cast<Days>(plant.Int(3, 20)));
            if (shape == 2) day = NextWorkingDay(day + static_cast<Days>(plant.Int(1, 40)));
            int64_t sum = pays[si].fen;
            for (auto [d, f] : by_payee[pays[si].party]) sum += std::abs(d - day) < 10 ? f : 0;
            if (sum < kApprovalThresholdFen * 9 / 10) break;
          }
          Pay copy = pays[si];
          int g = new_group(false, "duplicate_payment",
                            shape == 0   ? "same_invoice_days_later"
                            : shape == 1 ? "same_voucher_same_day"
                                         : "same_invoice_other_account");
          copy.day = day;
          if (shape == 1) copy.invoice.clear();
          if (shape == 2) copy.account = BankAccount(plant.Next(), "6230");
          pays[si].group = g;
          copy.group = g;
          by_payee[copy.party].push_back({copy.day, copy.fen});
          pays.push_back(std::move(copy));
        }
      }
      // Without a budget line: blank, unknown, or another org's line.
      if (has(kNoBudget)) {
        int shape = shape_ctr[kNoBudget]++ % 3 + 1;
        if (shape == 3 && all_budget_ids.empty()) shape = 2;
        int cls = 8;
        int ci = vendor_for(cls);
        Days day = random_day(plant, 2, 11);
        int64_t fen = plant.Int(2000, 60000) * 100;
        // Clear of the payee's other payments (added after the honest ones,
        // it must not make a split_payment window with them).
        for (int t = 0; t < 40 && conflicts(w.companies[static_cast<size_t>(ci)].code, day, fen);
             ++t) {
          ci = t < 20 ? vendor_for(cls) : rng.Pick(by_industry[kClasses[cls].industries[t % 3]]);
          day = random_day(plant, 2, 11);
        }
        Pay x = company_pay(ci, cls, day, fen);
        x.budget_mode = shape;
        x.group = new_group(false, "payment_without_budget",
                            shape == 1   ? "blank_budget_id"
                            : shape == 2 ? "unknown_budget_id"
                                         : "other_org_budget_id");
        add(std::move(x));
      }

      // --- budget lines: sized so honest spending stays well inside them ---
      std::map<int, int64_t> spent;
      for (const Pay& p : pays) {
        if (p.budget_mode == 0) spent[p.cls] += p.fen;
      }
      int over_cls = -99;
      int over_shape = has(kOverBudget) ? shape_ctr[kOverBudget]++ % 3 : 0;
      if (has(kOverBudget)) {
        over_cls = 8;
        if (!spent.count(over_cls)) over_cls = spent.rbegin()->first;
        if (over_cls < 0) over_cls = spent.begin()->first;
      }
      std::map<int, std::string> line_id;
      std::map<int, int64_t> line_amount;
      char bid[64];
      for (auto [cls, total] : spent) {
        std::snprintf(bid, sizeof bid, "ZB%d-%04zu-%s", year, oi + 1,
                      cls < 0 ? "30101" : kClasses[cls].code);
        double fill = cls < 0 ? 0.97 : 0.78 + 0.14 * rng.U();
        if (cls == over_cls)
          fill = over_shape == 0   ? 1.03 + 0.07 * plant.U()
                 : over_shape == 1 ? 1.3 + 0.7 * plant.U()
                                   : 1.15;
        int64_t amount =
            static_cast<int64_t>(std::ceil(static_cast<double>(total) / fill / 100000.0)) * 100000;
        if (cls == over_cls)
          amount = static_cast<int64_t>(std::floor(static_cast<double>(total) / fill / 100000.0)) *
                   100000;
        line_id[cls] = bid;
        line_amount[cls] = amount;
        Row r(bout.def());
        r.Set("budget_id", bid).Set("year", std::to_string(year)).Set("org", org.name);
        char pc[64];
        std::snprintf(pc, sizeof pc, "%d%04zu%s", year, oi + 1,
                      cls < 0 ? "30101" : kClasses[cls].code);
        r.Set("project_code", pc);
        r.Set("project_name",
              std::to_string(year) + "年" + (cls < 0 ? "基本工资" : kClasses[cls].name));
        r.Set("economic_class", cls < 0 ? "30101" : kClasses[cls].code);
        r.Set("amount", MoneyVaried(amount, rng));
        bout.Write(r);
        ++budget_total;
      }

      // --- write payments in date order ---
      std::stable_sort(pays.begin(), pays.end(),
                       [](const Pay& a, const Pay& b) { return a.day < b.day; });
      int64_t seq = 0;
      std::map<int, int64_t> running;
      int over_group = over_cls != -99 ? new_group(false, "over_budget",
                                                   over_shape == 0   ? "slightly_over"
                                                   : over_shape == 1 ? "far_over"
                                                                     : "last_payment_over",
                                                   {{"budgets", line_id[over_cls]}})
                                       : -1;
      for (Pay& p : pays) {
        char pid[64];
        std::snprintf(pid, sizeof pid, "ZF%d%04zu%06lld", year, oi + 1,
                      static_cast<long long>(++seq));
        Row r(pout.def());
        Rng& fmt = p.net ? net : rng;
        // About 3 % of honest payments to companies and of labour fees name the
        // payee only (no payee_party), most in a variant form; a fifth of the
        // persons named so come without an account either. Not salaries and
        // travel (paid to officials), not the over-budget line (its late
        // payments are that plant's evidence), not planted payments.
        if (!p.variant && !p.net && p.group < 0 && p.cls >= 0 && p.cls != 2 && p.cls != over_cls &&
            !p.party.empty() && var.Chance(0.03)) {
          bool company = p.party[0] == '9';
          std::string name = p.payee_name;
          Variant v = Variant::kNone;
          if (var.Chance(0.7)) v = VaryName(company, p.payee_name, var, &name);
          p.entity = p.party;
          p.variant = VariantName(v);
          p.payee_name = name;
          p.party.clear();
          if (!company && var.Chance(0.2)) p.account.clear();
        }
        r.Set("payment_id", pid).Set("pay_date", FormatDayVaried(p.day, fmt)).Set("org", org.name);
        std::string budget = line_id[p.cls];
        if (p.budget_mode == 1) budget.clear();
        if (p.budget_mode == 2)
          budget = "ZB" + std::to_string(year) + "-9" + std::to_string(oi) + "-99999";
        if (p.budget_mode == 3) {
          // Another org's line with room to spare, so that line is not pushed over.
          for (int t = 0; t < 200; ++t) {
            const auto& cand =
                all_budget_ids[static_cast<size_t>(plant.Int(0, all_budget_ids.size() - 1))];
            budget = cand.first;
            if (cand.second > 3 * p.fen) break;
          }
        }
        r.Set("budget_id", budget).Set("payee_name", p.payee_name).Set("payee_party", p.party);
        r.Set("payee_account", p.account)
            .Set("payee_bank", p.bank)
            .Set("amount", MoneyVaried(p.fen, fmt));
        r.Set("purpose", p.purpose).Set("invoice_no", p.invoice);
        r.Set("economic_class", p.cls < 0 ? "30101" : kClasses[p.cls].code);
        pout.Write(r);
        if (p.variant) {
          w.Mention("payments", pid, "payee_name", p.payee_name, p.entity[0] == '9', p.entity,
                    p.variant);
        }
        if (p.group >= 0) groups[static_cast<size_t>(p.group)].ids.push_back(pid);
        if (p.cls == over_cls && p.budget_mode == 0) {
          int64_t before = running[p.cls];
          running[p.cls] += p.fen;
          if (running[p.cls] > line_amount[p.cls] && p.group < 0) {
            groups[static_cast<size_t>(over_group)].ids.push_back(pid);
            (void)before;
          }
        }
      }
      for (const auto& [cls, id] : line_id) {
        if (cls >= 0 && cls != over_cls)
          all_budget_ids.push_back({id, line_amount[cls] - spent[cls]});
      }
      for (const Group& g : groups) {
        if (g.ids.empty() && std::string_view(g.kind) != "over_budget") continue;
        std::vector<Key> keys;
        for (const std::string& id : g.ids) keys.push_back({"payments", id});
        for (const Key& k : g.extra) {
          if (k.dataset[0] != '_') keys.push_back(k);
        }
        if (g.near) {
          w.NearMiss(g.kind, g.shape, keys);
        } else {
          w.Plant(g.kind, g.shape, keys);
        }
      }
    }
  }
  (void)budget_total;
  return Status::OK();
}

}  // namespace qf::synth
