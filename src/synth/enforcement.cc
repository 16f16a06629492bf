// Administrative enforcement (双随机一公开): random inspections with balanced
// inspector draws, penalties with audio-video records, publication within 7
// working days. Plants the enforcement family and a publication near miss.
#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

#include "common/calendar.h"
#include "synth/names.h"
#include "synth/world.h"

namespace qf::synth {

namespace {

Days Working(Days d) {
  while (!IsWorkingDayDays(d)) ++d;
  return d;
}

enum Plant { kNoAv, kLate, kNearLate, kConflict, kImbalance, kKinds };

}  // namespace

Status GenerateEnforcement(World& w) {
  Rng rng = w.Stream(kStreamEnforcement);
  Rng plant = w.Stream(kStreamPlant + kStreamEnforcement);
  DatasetWriter& out = w.Out("enforcement");
  std::vector<int> orgs;
  for (size_t i = 0; i < w.orgs.size(); ++i) {
    if (w.orgs[i].enforcement && w.orgs[i].officials.size() >= 2)
      orgs.push_back(static_cast<int>(i));
  }
  if (orgs.empty()) {
    for (size_t i = 0; i < w.orgs.size() && orgs.size() < 2; ++i) {
      if (w.orgs[i].officials.size() >= 2) orgs.push_back(static_cast<int>(i));
    }
  }
  if (orgs.empty()) return Status::OK();
  std::vector<int> targets;
  for (size_t i = 0; i < w.companies.size(); ++i) {
    if (!w.companies[i].reserved && w.companies[i].status != "注销" &&
        w.companies[i].status != "吊销") {
      targets.push_back(static_cast<int>(i));
    }
  }
  std::unordered_set<std::string> official_ids;
  for (const Official& o : w.officials) official_ids.insert(o.p.id);
  const int years = kLastYear - kFirstYear + 1;
  std::vector<std::vector<int>> plan(orgs.size() * years);
  int count = PlantCount(w, 3);
  for (int k = 0; k < kKinds; ++k) {
    for (int j = 0; j < count; ++j) {
      size_t oy = static_cast<size_t>(plant.Int(0, plan.size() - 1));
      if (k == kImbalance) {
        // One imbalance per org-year at most; prefer orgs with ≥ 6 inspectors.
        for (int t = 0; t < 50; ++t) {
          size_t c = static_cast<size_t>(plant.Int(0, plan.size() - 1));
          bool has = std::find(plan[c].begin(), plan[c].end(), kImbalance) != plan[c].end();
          if (!has && w.orgs[static_cast<size_t>(orgs[c / years])].officials.size() >= 6) {
            oy = c;
            break;
          }
        }
        // When every org-year has one (the plants grow with the scale, the
        // bodies with its root), more: each another favoured target. Those
        // with the fewest imbalances first.
        auto imbalances = [&](size_t c) {
          return std::count(plan[c].begin(), plan[c].end(), kImbalance);
        };
        if (imbalances(oy) > 0) {
          std::vector<size_t> fewest;
          for (size_t c = 0; c < plan.size(); ++c) {
            if (!fewest.empty() && imbalances(c) > imbalances(fewest[0])) continue;
            if (!fewest.empty() && imbalances(c) < imbalances(fewest[0])) fewest.clear();
            fewest.push_back(c);
          }
          oy = plant.Pick(fewest);
        }
      }
      plan[oy].push_back(k);
    }
  }
  int64_t serial = 0;
  int shapes[kKinds] = {};
  for (size_t oi = 0; oi < orgs.size(); ++oi) {
    const Org& org = w.orgs[static_cast<size_t>(orgs[oi])];
    const std::vector<int>& staff = org.officials;
    for (int year = kFirstYear; year <= kLastYear; ++year) {
      const std::vector<int>& plants = plan[oi * years + static_cast<size_t>(year - kFirstYear)];
      auto has = [&](int k) { return std::count(plants.begin(), plants.end(), k); };
      // Enough cases for the planted ones (large scales plant many per org-year).
      int n = std::max(
          {12, static_cast<int>(staff.size()) * 6,
           static_cast<int>(plants.size()) * 4 + static_cast<int>(has(kImbalance)) * 16 + 6});
      // 双随机: targets drawn without replacement; inspectors in balanced rounds.
      std::vector<int> order = targets;
      for (size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[static_cast<size_t>(rng.Int(0, i - 1))]);
      size_t next_target = 0;
      std::vector<int> deck;
      auto draw_inspector = [&](const std::set<int>& avoid) {
        for (int t = 0; t < 100; ++t) {
          if (deck.empty()) {
            deck = staff;
            for (size_t i = deck.size(); i > 1; --i)
              std::swap(deck[i - 1], deck[static_cast<size_t>(rng.Int(0, i - 1))]);
          }
          int x = deck.back();
          deck.pop_back();
          if (!avoid.count(x)) return x;
        }
        return staff[0] == *avoid.begin() ? staff[1] : staff[0];
      };
      // Imbalance: one favoured target or one ubiquitous inspector.
      int imbalance_shape = -1, fav_target = -1, fav_inspector = -1, imbalance_left = 0;
      std::vector<Key> imbalance_keys;
      if (has(kImbalance)) {
        imbalance_shape = staff.size() >= 6 ? shapes[kImbalance]++ % 2 : 0;
        fav_target = order.empty() ? -1 : order.back();
        fav_inspector = staff[static_cast<size_t>(plant.Int(0, staff.size() - 1))];
        imbalance_left = imbalance_shape == 0 ? static_cast<int>(plant.Int(3, 5)) : n;
      }
      // More imbalances in the org-year: other favoured targets, 3–5 draws each.
      struct Favoured {
        int target, left;
        std::vector<Key> keys;
      };
      std::vector<Favoured> favoured;
      for (int j = 1; j < has(kImbalance) && static_cast<size_t>(j) < order.size(); ++j) {
        favoured.push_back({order[order.size() - 1 - static_cast<size_t>(j)],
                            static_cast<int>(plant.Int(3, 5)),
                            {}});
      }
      std::vector<int> pending(plants.begin(), plants.end());
      for (int i = 0; i < n; ++i) {
        Days start = Working(D(year, 1, 3) + static_cast<Days>(rng.Int(0, 330)));
        double x = rng.U();
        std::string kind = x < 0.65 ? "检查" : x < 0.8 ? "处罚" : x < 0.92 ? "许可" : "强制";
        std::string source = kind == "检查" ? (rng.Chance(0.8) ? "双随机" : "投诉举报")
                                            : (rng.Chance(0.5) ? "投诉举报" : "专项");
        std::string target;
        if (source == "双随机" || order.empty()) {
          if (!order.empty())
            target = w.companies[static_cast<size_t>(order[next_target++ % order.size()])].code;
        } else {
          target = w.companies[static_cast<size_t>(rng.Pick(targets))].code;
        }
        int a = draw_inspector({});
        int b = draw_inspector({a});
        bool av = kind == "处罚" || kind == "强制" ? true : rng.Chance(0.6);
        Days closed = kind == "检查" ? start
                                     : start + static_cast<Days>(kind == "处罚"   ? rng.Int(10, 60)
                                                                 : kind == "许可" ? rng.Int(5, 20)
                                                                                  : rng.Int(1, 5));
        closed = Working(closed);
        int publish_wd =
            kind == "检查" ? static_cast<int>(rng.Int(3, 15)) : static_cast<int>(rng.Int(1, 5));
        int64_t penalty = kind == "处罚" ? rng.Int(20, 2000) * 10000 : 0;
        const char* plant_kind = nullptr;
        std::string shape;
        std::vector<Key> extra;
        // A planted case replaces an ordinary one now and then.
        if (!pending.empty() && i < n - 5 &&
            rng.Chance(std::max(0.35, 2.0 * static_cast<double>(pending.size()) /
                                          static_cast<double>(n - 5 - i)))) {
          int k = pending.back();
          pending.pop_back();
          int s = k == kImbalance ? 0 : shapes[k]++ % 3;
          switch (k) {
            case kNoAv:
              kind = s == 1 ? "强制" : "处罚";
              if (kind == "处罚" && s == 2) penalty = plant.Int(100, 500) * 100000;
              if (kind == "处罚" && penalty == 0) penalty = plant.Int(20, 2000) * 10000;
              if (kind == "强制") penalty = 0;
              av = false;
              plant_kind = "penalty_without_av";
              shape = s == 0   ? "penalty_no_av"
                      : s == 1 ? "compulsory_measure_no_av"
                               : "large_penalty_no_av";
              break;
            case kLate:
            case kNearLate:
              kind = s == 2 && k == kLate ? "许可" : "处罚";
              if (kind == "处罚" && penalty == 0) penalty = plant.Int(20, 2000) * 10000;
              if (kind == "许可") penalty = 0;
              av = true;
              closed = Working(start + 10);
              if (k == kNearLate) {
                publish_wd = 7;
                plant_kind = "late_publication";
                shape = "published_on_7th_working_day";
              } else {
                publish_wd = s == 0   ? static_cast<int>(plant.Int(8, 10))
                             : s == 1 ? static_cast<int>(plant.Int(20, 25))
                                      : 60;
                plant_kind = "late_publication";
                shape = s == 0   ? "8_to_10_working_days"
                        : s == 1 ? "about_a_month"
                                 : "licence_three_months";
              }
              break;
            case kConflict: {
              // Non-leader inspector, so the case is not also 经商办企业.
              int insp = a;
              for (int t = 0; t < 20 && w.officials[static_cast<size_t>(insp)].leader; ++t)
                insp = rng.Pick(staff);
              const Official& o = w.officials[static_cast<size_t>(insp)];
              a = insp;
              if (b == a) b = draw_inspector({a});
              const Relative* rel = nullptr;
              // Not an official (a leader holding the company would be 经商办企业).
              for (const Relative& r : o.household) {
                if (AgeAt(r.person.birth, start) >= 20 && r.person.death == kNever &&
                    !official_ids.count(r.person.id))
                  rel = &r;
              }
              int sh = rel ? s : 1;
              if (sh == 0) {
                Company c = NewCompany(w, plant, static_cast<int>(plant.Int(1, 4)), o.p.region,
                                       D(2014, 1, 1) + static_cast<Days>(plant.Int(0, 2500)));
                c.reserved = true;
                c.legal_rep = rel->person;
                target = c.code;
                extra = {{"companies", c.code}, {"persons", rel->person.id}, {"persons", o.p.id}};
                AddCompany(w, plant, std::move(c), {{rel->person.id, rel->person.name, 1.0}});
                shape = "target_company_of_inspector_household";
              } else if (sh == 1) {
                Company c = NewCompany(w, plant, static_cast<int>(plant.Int(1, 4)), o.p.region,
                                       D(2014, 1, 1) + static_cast<Days>(plant.Int(0, 2500)));
                c.reserved = true;
                rng.Next();  // the draw of a front from before fronts had a pool: the stream stays
                const Person& front = NextFront(w);
                c.legal_rep = front;
                target = c.code;
                extra = {{"shareholders", c.code + "|" + o.p.id}};
                AddCompany(w, plant, std::move(c),
                           {{front.id, front.name, 0.7}, {o.p.id, o.p.name, 0.3}});
                shape = "inspector_holds_target";
              } else {
                kind = "许可";
                source = "其他";
                penalty = 0;
                target = rel->person.id;
                extra = {{"persons", rel->person.id}, {"persons", o.p.id}};
                shape = "target_is_inspector_relative";
              }
              plant_kind = "inspector_conflict";
              break;
            }
            default:
              break;
          }
          // A case turned into a penalty or licence keeps an honest publication
          // delay (1–5 working days), not the replaced inspection's 3–15: only
          // late_publication plants are published late.
          if (k != kLate && k != kNearLate && (kind == "处罚" || kind == "许可") && publish_wd > 5)
            publish_wd = static_cast<int>(plant.Int(1, 5));
        }
        // The imbalance: a favoured target drawn again, or one inspector everywhere.
        bool imbalance_case = false;
        if (imbalance_shape >= 0 && !plant_kind && kind == "检查" && source == "双随机" &&
            imbalance_left > 0) {
          if (imbalance_shape == 0 && fav_target >= 0 && rng.Chance(0.5)) {
            target = w.companies[static_cast<size_t>(fav_target)].code;
            imbalance_case = true;
            --imbalance_left;
          } else if (imbalance_shape == 1) {
            if (a != fav_inspector && b != fav_inspector) a = fav_inspector;
            if (b == a) b = draw_inspector({a});
            imbalance_case = true;
          }
        }
        Favoured* fav = nullptr;
        if (!favoured.empty() && !plant_kind && kind == "检查" && source == "双随机" &&
            !(imbalance_shape == 0 && imbalance_case) && rng.Chance(0.5)) {
          std::vector<Favoured*> open;
          for (Favoured& f : favoured) {
            if (f.left > 0) open.push_back(&f);
          }
          if (!open.empty()) {
            fav = open[static_cast<size_t>(rng.Int(0, open.size() - 1))];
            target = w.companies[static_cast<size_t>(fav->target)].code;
            --fav->left;
          }
        }
        if (target.empty()) continue;
        char id[64];
        std::snprintf(id, sizeof id, "FXZF%d-%03zu-%05lld", year, oi + 1,
                      static_cast<long long>(++serial));
        Row r(out.def());
        r.Set("case_id", id).Set("org", org.name).Set("target_party", target);
        r.Set("inspector_id_numbers", w.officials[static_cast<size_t>(a)].p.id + ";" +
                                          w.officials[static_cast<size_t>(b)].p.id);
        r.Set("kind", kind)
            .Set("started_at", FormatDateTime(start, 9 * 60 + static_cast<int>(rng.Int(0, 120))));
        r.Set("closed_at", FormatDateTime(closed, 15 * 60 + static_cast<int>(rng.Int(0, 120))));
        static constexpr const char* kResult[] = {"未发现问题", "责令整改"};
        r.Set("result", kind == "检查"   ? kResult[rng.Int(0, 1)]
                        : kind == "处罚" ? "罚款"
                        : kind == "许可" ? "准予许可"
                                         : "查封扣押");
        if (penalty > 0) r.Set("penalty_amount", MoneyVaried(penalty, rng));
        r.Set("has_av_record",
              av ? (rng.Chance(0.5) ? "是" : "1") : (rng.Chance(0.5) ? "否" : "0"));
        Days pub = static_cast<Days>(AddWorkingDaysDays(closed, publish_wd));
        r.Set("published_at", FormatDateTime(pub, 10 * 60 + static_cast<int>(rng.Int(0, 300))));
        r.Set("source", source);
        out.Write(r);
        if (plant_kind) {
          std::vector<Key> keys = {{"enforcement", id}};
          keys.insert(keys.end(), extra.begin(), extra.end());
          if (shape == "published_on_7th_working_day") {
            w.NearMiss(plant_kind, shape, keys);
          } else {
            w.Plant(plant_kind, shape, keys);
          }
        }
        if (imbalance_case) imbalance_keys.push_back({"enforcement", id});
        if (fav) fav->keys.push_back({"enforcement", id});
      }
      for (const Favoured& f : favoured) {
        if (f.keys.size() >= 3) w.Plant("inspection_imbalance", "target_drawn_repeatedly", f.keys);
      }
      if (imbalance_shape >= 0 && imbalance_keys.size() >= 3) {
        w.Plant("inspection_imbalance",
                imbalance_shape == 0 ? "target_drawn_repeatedly" : "one_inspector_everywhere",
                imbalance_keys);
      }
    }
  }

  // Hidden links between an inspector and the target (inspector_linked_target)
  // that inspector_conflict (the inspector, the household or a declared
  // relative as legal rep or shareholder of the target) does not see: a
  // household member holds X, which holds 30–60 % of the target (5 % in the
  // near miss), or the target is registered with the inspector's phone.
  // Inspections on a complaint or a campaign (not 双随机), after every other
  // case, on their own stream.
  Rng net = w.Stream(kStreamNetwork + kStreamEnforcement);
  std::set<int> used;
  enum Shape { kChain, kPhone, kNearChain };
  for (int shape : {kChain, kPhone, kNearChain}) {
    int n = shape == kNearChain ? PlantCount(w, 2, 2) : count;
    for (int k = 0; k < n; ++k) {
      int insp = -1;
      size_t oi = 0;
      const Relative* member = nullptr;
      for (int t = 0; t < 500 && insp < 0; ++t) {
        size_t c = static_cast<size_t>(net.Int(0, static_cast<int64_t>(orgs.size()) - 1));
        const Org& org = w.orgs[static_cast<size_t>(orgs[c])];
        int i = net.Pick(org.officials);
        const Official& o = w.officials[static_cast<size_t>(i)];
        // Not a leader (whose holdings are another question), alive, in no other plant.
        if (used.count(i) || o.leader || o.ghost_death != kNever || o.p.death != kNever) continue;
        if (shape == kPhone && !o.p.has_phone) continue;
        member = nullptr;
        for (const Relative& r : o.household) {
          if (AgeAt(r.person.birth, WindowStart()) >= 20 && r.person.death == kNever &&
              !official_ids.count(r.person.id) && !w.planted_company_holders.count(r.person.id))
            member = &r;
        }
        if (shape != kPhone && !member) continue;
        used.insert(i);
        insp = i;
        oi = c;
      }
      if (insp < 0) break;
      const Official& o = w.officials[static_cast<size_t>(insp)];
      const Org& org = w.orgs[static_cast<size_t>(orgs[oi])];
      const Person& front = NextFront(w);
      std::vector<Holder> holders = {{front.id, front.name, 1.0}};
      if (shape != kPhone) {
        // X first: credit codes follow the register's order.
        Company x =
            NewCompany(w, net, 3, o.p.region, D(2009, 1, 1) + static_cast<Days>(net.Int(0, 2500)));
        x.reserved = true;
        x.legal_rep = member->person;
        std::string xcode = x.code, xname = x.name;
        AddCompany(w, net, std::move(x), {{member->person.id, member->person.name, 1.0}});
        double s = shape == kNearChain ? 0.05 : std::round((0.3 + 0.3 * net.U()) * 20) / 20;
        holders = {{front.id, front.name, 1.0 - s}, {xcode, xname, s}};
      }
      Company target = NewCompany(w, net, static_cast<int>(net.Int(1, 4)), o.p.region,
                                  D(2011, 1, 1) + static_cast<Days>(net.Int(0, 3000)));
      target.reserved = true;
      target.legal_rep = front;
      if (shape == kPhone) target.phone = PhoneOf(o.p);
      std::string code = target.code;
      AddCompany(w, net, std::move(target), holders);
      int b = insp;
      for (int t = 0; t < 20 && b == insp; ++t) b = net.Pick(org.officials);
      if (b == insp) continue;
      int year = static_cast<int>(net.Int(kFirstYear, kLastYear));
      Days start = Working(D(year, 1, 3) + static_cast<Days>(net.Int(0, 330)));
      char id[64];
      std::snprintf(id, sizeof id, "FXZF%d-%03zu-%05lld", year, oi + 1,
                    static_cast<long long>(++serial));
      Row r(out.def());
      r.Set("case_id", id).Set("org", org.name).Set("target_party", code);
      r.Set("inspector_id_numbers", o.p.id + ";" + w.officials[static_cast<size_t>(b)].p.id);
      r.Set("kind", "检查")
          .Set("started_at", FormatDateTime(start, 9 * 60 + static_cast<int>(net.Int(0, 120))));
      r.Set("closed_at", FormatDateTime(start, 15 * 60 + static_cast<int>(net.Int(0, 120))));
      r.Set("result", net.Chance(0.5) ? "未发现问题" : "责令整改");
      r.Set("has_av_record", net.Chance(0.6) ? "是" : "否");
      Days pub = static_cast<Days>(AddWorkingDaysDays(start, static_cast<int>(net.Int(3, 15))));
      r.Set("published_at", FormatDateTime(pub, 10 * 60 + static_cast<int>(net.Int(0, 300))));
      r.Set("source", net.Chance(0.5) ? "投诉举报" : "专项");
      out.Write(r);
      std::vector<Key> keys = {{"enforcement", id}, {"companies", code}};
      const char* name = shape == kPhone       ? "shared_phone"
                         : shape == kNearChain ? "holding_chain_5_percent"
                                               : "holding_chain";
      if (shape == kNearChain) {
        w.NearMiss("inspector_linked_target", name, keys);
      } else {
        w.Plant("inspector_linked_target", name, keys);
      }
    }
  }
  return Status::OK();
}

}  // namespace qf::synth
