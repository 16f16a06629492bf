// Official conduct: reimbursement claims (travel, receptions, meetings,
// training) and official car trips over the real holiday calendar; plants the
// conduct family and the reception / scenic / resort near misses.
#include <algorithm>
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

constexpr int64_t kReceptionPerPersonFen = 150 * 100;  // 接待 standard per person (a setting)

constexpr const char* kCities[] = {"沈阳市", "大连市", "锦州市", "朝阳市",
                                   "北京市", "鞍山市", "营口市"};
constexpr const char* kScenic[] = {"海棠山风景区", "瑞应寺景区", "章古台沙地森林公园",
                                   "乌兰木图山景区"};
constexpr const char* kLocalPlaces[] = {
    "阜新蒙古族自治县大巴镇", "彰武县哈尔套镇", "细河区四合镇",          "太平区高德街道",
    "清河门区河西镇",         "新邱区长营子镇", "阜新市人民政府",        "阜新市公共资源交易中心",
    "海州区西山街道",         "彰武县章古台镇", "阜新蒙古族自治县王府镇"};
constexpr const char* kResorts[] = {"宝地温泉度假村", "海棠山庄", "大清沟风景区", "彰武滑雪场",
                                    "玉龙湖高尔夫度假村"};

Days Working(Days d) {
  while (!IsWorkingDayDays(d)) ++d;
  return d;
}
Days NonWorking(Days d, bool holiday) {
  for (;;) {
    if (!IsWorkingDayDays(d) && (!holiday || IsHolidayDays(d))) return d;
    ++d;
  }
}

}  // namespace

Status GenerateConduct(World& w) {
  Rng rng = w.Stream(kStreamConduct);
  Rng plant = w.Stream(kStreamPlant + kStreamConduct);
  DatasetWriter& rout = w.Out("reimbursements");
  DatasetWriter& cout = w.Out("car_trips");
  std::vector<std::string> restaurants, hotels;
  for (int i = 0; i < 30; ++i) {
    static constexpr const char* kR[] = {"饭店", "酒楼", "餐厅", "食府"};
    restaurants.push_back("阜新" + TradeName(rng) + kR[i % 4]);
    hotels.push_back(std::string(i % 3 == 0 ? "阜新" : kCities[i % std::size(kCities)]) +
                     TradeName(rng) + "酒店");
  }
  // Registered vendors: every other local restaurant and the local hotels are
  // catering and hotel companies of the register, named on honest invoices as
  // registered (planted claims keep the original names). Hotels of other
  // cities, small shops and scenic spots are in no register here.
  std::vector<std::string> honest_restaurants = restaurants, honest_hotels = hotels;
  std::unordered_map<std::string, std::string> registered;  // vendor name → credit code
  {
    std::vector<const Company*> caterers, hoteliers;
    for (const Company& c : w.companies) {
      if (c.reserved || c.industry != 4 || c.status == "注销" || c.status == "吊销" ||
          c.established > D(kFirstYear - 1, 1, 1))
        continue;
      bool catering = c.name.size() > 24 && c.name.substr(c.name.size() - 24) == "餐饮管理有限公司";
      (catering ? caterers : hoteliers).push_back(&c);
    }
    size_t k = 0;
    for (size_t i = 0; i < restaurants.size() && k < caterers.size(); i += 2, ++k) {
      honest_restaurants[i] = caterers[k]->name;
      registered.emplace(caterers[k]->name, caterers[k]->code);
    }
    k = 0;
    for (size_t i = 0; i < hotels.size() && k < hoteliers.size(); i += 3, ++k) {
      honest_hotels[i] = hoteliers[k]->name;
      registered.emplace(hoteliers[k]->name, hoteliers[k]->code);
    }
  }
  // Honest invoices now and then name the vendor in a variant form; its own
  // stream, so the claims themselves do not depend on it.
  Rng var = w.Stream(kStreamVariants + kStreamConduct);
  int64_t claim_serial = 0, invoice_serial = 0;
  auto claim_id = [&](Days d) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "BX%d%07lld", CivilFromDays(d).year,
                  static_cast<long long>(++claim_serial));
    return std::string(buf);
  };
  auto invoice = [&](Days d) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%02d23%016llu", CivilFromDays(d).year % 100,
                  static_cast<unsigned long long>(
                      (static_cast<uint64_t>(++invoice_serial) * 6364136223846793005ULL) %
                      10000000000000000ULL));
    return std::string(buf);
  };
  struct Claim {
    int official;
    std::string kind, vendor, category, location, description;
    Days start, end;
    int persons = 0;
    int64_t fen;
  };
  std::map<int, std::set<std::pair<std::string, Days>>> vendor_days;  // per org: (vendor, day) used
  // mode 0: honest (vendor-day already reserved); 1: planted, kept off others'
  // vendor-days; 2: planted split invoices (shares them on purpose).
  auto write = [&](Claim c, int mode = 1) {
    const Official& o = w.officials[static_cast<size_t>(c.official)];
    if (mode == 1 && !vendor_days[o.org].insert({c.vendor, c.start}).second) {
      // Another branch of the vendor (split_invoices is one body, vendor and day).
      static constexpr const char* kBranch[] = {"二店", "三店", "四店", "五店", "六店"};
      std::string base = c.vendor;
      size_t b = 0;
      do {
        c.vendor = base + (b < std::size(kBranch) ? std::string(kBranch[b])
                                                  : "第" + std::to_string(b + 2) + "分店");
        ++b;
      } while (!vendor_days[o.org].insert({c.vendor, c.start}).second);
    }
    std::string written = c.vendor;
    const char* variant = "none";
    if (mode == 0 && var.Chance(0.1)) {
      Variant v = VaryName(true, c.vendor, var, &written);
      // Never the written name of another claim of the body that day (split_invoices).
      if (v != Variant::kNone && vendor_days[o.org].insert({written, c.start}).second) {
        variant = VariantName(v);
      } else {
        written = c.vendor;
      }
    }
    Row r(rout.def());
    std::string id = claim_id(c.end);
    r.Set("claim_id", id)
        .Set("org", w.orgs[static_cast<size_t>(o.org)].name)
        .Set("claimant_id_number", o.p.id);
    r.Set("claim_date", FormatDayVaried(Working(c.end + static_cast<Days>(rng.Int(1, 20))), rng))
        .Set("kind", c.kind);
    r.Set("amount", MoneyVaried(c.fen, rng))
        .Set("vendor_name", written)
        .Set("vendor_category", c.category);
    r.Set("location", c.location)
        .Set("start_date", FormatDayVaried(c.start, rng))
        .Set("end_date", FormatDayVaried(c.end, rng));
    if (c.persons > 0) r.Set("persons", std::to_string(c.persons));
    r.Set("description", c.description).Set("invoice_no", invoice(c.start));
    rout.Write(r);
    auto reg = registered.find(c.vendor);
    w.Mention("reimbursements", id, "vendor_name", written, true,
              reg == registered.end() ? std::string() : reg->second, variant);
    return Key{"reimbursements", id};
  };
  auto alive_at = [&](const Official& o, Days d) { return d < o.ghost_death; };
  Days w0 = WindowStart(), w1 = WindowEnd();
  // --- honest claims: each official's claims in time order, never overlapping ---
  for (size_t oi = 0; oi < w.officials.size(); ++oi) {
    const Official& o = w.officials[oi];
    int n = static_cast<int>(rng.Int(2, 8));
    Days cursor = w0 + static_cast<Days>(rng.Int(0, 60));
    for (int k = 0; k < n; ++k) {
      cursor = Working(cursor + static_cast<Days>(rng.Int(20, 120)));
      if (cursor > w1 - 30 || !alive_at(o, cursor + 10)) break;
      Claim c;
      c.official = static_cast<int>(oi);
      double x = rng.U();
      c.start = cursor;
      if (x < 0.4) {
        int days = static_cast<int>(rng.Int(1, 4));
        c.kind = "差旅";
        c.end = c.start + days - 1;
        c.location = kCities[rng.Int(0, std::size(kCities) - 1)];
        c.vendor = honest_hotels[static_cast<size_t>(rng.Int(0, hotels.size() - 1))];
        c.category = "酒店";
        c.fen = days * rng.Int(250, 480) * 100 + rng.Int(200, 1200) * 100;
        c.description = "赴" + c.location + "参加业务工作会议";
      } else if (x < 0.62) {
        c.kind = "接待";
        c.end = c.start;
        c.location = "阜新市";
        c.persons = static_cast<int>(rng.Int(4, 12));
        c.fen = c.persons * rng.Int(5500, 13000);
        c.category = "餐饮";
        c.description = "接待上级部门检查指导工作用餐";
        c.vendor = honest_restaurants[static_cast<size_t>(rng.Int(0, restaurants.size() - 1))];
      } else if (x < 0.72) {
        c.kind = "会议";
        c.end = c.start + static_cast<Days>(rng.Int(0, 1));
        c.location = "阜新市";
        c.persons = static_cast<int>(rng.Int(20, 80));
        c.fen = c.persons * rng.Int(150, 350) * 100;
        c.vendor = honest_hotels[0];
        c.category = "酒店";
        c.description = "全市业务工作会议";
      } else if (x < 0.82) {
        c.kind = "培训";
        c.end = c.start;
        bool scenic = rng.Chance(0.3);
        c.location = "阜新市";
        c.vendor = scenic ? kScenic[rng.Int(0, std::size(kScenic) - 1)] : honest_hotels[1];
        c.category = scenic ? "景区" : "酒店";
        c.persons = static_cast<int>(rng.Int(10, 40));
        c.fen = c.persons * rng.Int(40, 120) * 100;
        c.description = scenic ? "党性教育现场教学门票及讲解费" : "业务能力提升培训";
      } else {
        c.kind = "其他";
        c.end = c.start;
        c.location = "阜新市";
        c.vendor = "阜新" + TradeName(rng) + "文具店";
        c.category = "其他";
        c.fen = rng.Int(50, 1500) * 100;
        c.description = "零星办公用品";
      }
      // One claim per org, vendor and day: colleagues never split a bill.
      while (!vendor_days[o.org].insert({c.vendor, c.start}).second) {
        Days len = c.end - c.start;
        c.start = Working(c.start + 1);
        c.end = c.start + len;
      }
      cursor = c.end;
      write(c, 0);
    }
  }
  // --- planted claims ---
  int count = PlantCount(w, 3);
  auto any_official = [&](Rng& r, Days at) {
    for (;;) {
      int i = static_cast<int>(r.Int(0, w.officials.size() - 1));
      if (alive_at(w.officials[static_cast<size_t>(i)], at)) return i;
    }
  };
  auto day_in_window = [&](Rng& r) { return w0 + static_cast<Days>(r.Int(30, w1 - w0 - 60)); };
  for (int k = 0; k < count; ++k) {
    int shape = k % 3;
    // Reception over the per-person standard, and the near miss exactly at it.
    {
      Claim c;
      c.start = c.end = Working(day_in_window(plant));
      c.official = any_official(plant, c.start);
      c.kind = "接待";
      c.location = "阜新市";
      c.category = "餐饮";
      c.vendor = restaurants[static_cast<size_t>(plant.Int(0, restaurants.size() - 1))] + "分店";
      c.persons = shape == 2 ? 3 : static_cast<int>(plant.Int(5, 10));
      int64_t pp = shape == 0   ? plant.Int(16000, 20000)
                   : shape == 1 ? plant.Int(30000, 60000)
                                : plant.Int(40000, 80000);
      c.fen = c.persons * pp;
      c.description = "接待来访客人用餐";
      w.Plant("reception_over_standard",
              shape == 0   ? "slightly_over"
              : shape == 1 ? "far_over"
                           : "few_guests_costly_meal",
              {write(c)});
      Claim n = c;
      n.vendor = restaurants[static_cast<size_t>(plant.Int(0, restaurants.size() - 1))] + "二部";
      n.start = n.end = Working(day_in_window(plant));
      n.persons = static_cast<int>(plant.Int(4, 12));
      n.fen = n.persons * kReceptionPerPersonFen;
      w.NearMiss("reception_over_standard", "exactly_at_standard", {write(n)});
    }
    // Luxury and entertainment venues.
    {
      Claim c;
      c.start = c.end = Working(day_in_window(plant));
      c.official = any_official(plant, c.start);
      c.location = "阜新市";
      c.persons = static_cast<int>(plant.Int(3, 8));
      if (shape == 0) {
        c.kind = "接待";
        c.vendor = "阜新" + TradeName(plant) + "会所";
        c.category = "高档消费";
        c.fen = c.persons * plant.Int(10000, 14000);
        c.description = "接待用餐";
      } else if (shape == 1) {
        c.kind = "其他";
        c.vendor = TradeName(plant) + "KTV量贩";
        c.category = "娱乐";
        c.fen = plant.Int(1500, 6000) * 100;
        c.description = "活动场地费";
      } else {
        c.kind = "接待";
        c.vendor = "玉龙湖高尔夫俱乐部";
        c.category = "高档消费";
        c.fen = plant.Int(5000, 20000) * 100;
        c.description = "接待客商";
      }
      w.Plant("luxury_venue",
              shape == 0   ? "private_club_reception"
              : shape == 1 ? "karaoke"
                           : "golf_club",
              {write(c)});
    }
    // Scenic spots on weekends and holidays; the near miss on a 调休 working weekend day.
    {
      Claim c;
      Days d = day_in_window(plant);
      c.start = shape == 1 ? NonWorking(d, true) : NonWorking(d, false);
      c.end = shape == 2 ? c.start + 1 : c.start;
      c.official = any_official(plant, c.start);
      c.kind = shape == 2 ? "差旅" : "培训";
      c.location = "阜新市";
      c.vendor = kScenic[plant.Int(0, std::size(kScenic) - 1)];
      c.category = "景区";
      c.persons = static_cast<int>(plant.Int(6, 30));
      c.fen = c.persons * plant.Int(60, 150) * 100;
      c.description = "现场教学";
      w.Plant("scenic_weekend",
              shape == 0   ? "weekend"
              : shape == 1 ? "public_holiday"
                           : "over_a_weekend",
              {write(c)});
      static constexpr int kSwapped[][3] = {{2023, 1, 28}, {2023, 4, 23}, {2023, 10, 7},
                                            {2024, 2, 4},  {2024, 4, 7},  {2024, 9, 29},
                                            {2024, 10, 12}};
      const int* s = kSwapped[static_cast<size_t>(k) % std::size(kSwapped)];
      Claim n = c;
      n.start = n.end = D(s[0], s[1], s[2]);
      n.kind = "培训";
      n.official = any_official(plant, n.start);
      w.NearMiss("scenic_weekend", "swapped_working_weekend_day", {write(n)});
    }
    // Overlapping travel claims of one person.
    {
      Claim a;
      a.start = Working(day_in_window(plant));
      a.end = a.start + static_cast<Days>(plant.Int(2, 4));
      a.official = any_official(plant, a.end + 30);
      a.kind = "差旅";
      a.location = kCities[plant.Int(0, std::size(kCities) - 1)];
      a.vendor = hotels[static_cast<size_t>(plant.Int(0, hotels.size() - 1))];
      a.category = "酒店";
      a.fen = plant.Int(800, 2500) * 100;
      a.description = "赴" + a.location + "出差";
      Claim b = a;
      b.location = kCities[(plant.Int(0, std::size(kCities) - 1))];
      b.vendor = hotels[static_cast<size_t>(plant.Int(0, hotels.size() - 1))];
      b.description = "赴" + b.location + "学习考察";
      if (shape == 1) {
        b.start = a.start + 1;
        b.end = a.end + 2;
      } else if (shape == 2) {
        b.start = a.start + 1;
        b.end = a.start + 1;
      }
      Key ka = write(a), kb = write(b);
      w.Plant("overlapping_travel",
              shape == 0   ? "same_dates_twice"
              : shape == 1 ? "partial_overlap"
                           : "trip_inside_trip",
              {ka, kb});
    }
    // Split invoices: one org, one vendor, one day.
    {
      Days d = Working(day_in_window(plant));
      int first = any_official(plant, d);
      int org = w.officials[static_cast<size_t>(first)].org;
      std::string vendor = "阜新" + TradeName(plant) + "大酒店";
      int parts = shape == 1 ? static_cast<int>(plant.Int(3, 4)) : 2;
      std::vector<Key> keys;
      for (int p = 0; p < parts; ++p) {
        Claim c;
        c.official = first;
        if (shape == 2 && p > 0) {
          const auto& staff = w.orgs[static_cast<size_t>(org)].officials;
          c.official = plant.Pick(staff);
          if (!alive_at(w.officials[static_cast<size_t>(c.official)], d)) c.official = first;
        }
        c.start = c.end = d;
        c.kind = "接待";
        c.location = "阜新市";
        c.vendor = vendor;
        c.category = "餐饮";
        c.persons = static_cast<int>(plant.Int(4, 6));
        c.fen = c.persons * plant.Int(9000, 14000);
        c.description = "接待用餐";
        keys.push_back(write(c, 2));
      }
      w.Plant("split_invoices",
              shape == 0   ? "two_invoices"
              : shape == 1 ? "three_or_four_invoices"
                           : "split_among_colleagues",
              keys);
    }
  }

  // --- car trips: each car's trips in time order; weekends only for duty trips ---
  int64_t trip_serial = 0;
  auto trip_id = [&](Days d) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "PC%d%07lld", CivilFromDays(d).year,
                  static_cast<long long>(++trip_serial));
    return std::string(buf);
  };
  auto write_trip = [&](size_t car, int driver, Days d, int start_min, int end_min,
                        const std::string& dest, const std::string& purpose) {
    Row r(cout.def());
    std::string id = trip_id(d);
    r.Set("trip_id", id)
        .Set("plate", w.cars[car])
        .Set("org", w.orgs[static_cast<size_t>(w.car_org[car])].name);
    if (driver >= 0) r.Set("driver_id_number", w.officials[static_cast<size_t>(driver)].p.id);
    r.Set("start_time", FormatDateTime(d, start_min, rng.Chance(0.7)));
    r.Set("end_time", FormatDateTime(d + end_min / 1440, end_min % 1440, true));
    r.Set("destination", dest).Set("purpose", purpose);
    r.Set("mileage_km", std::to_string(rng.Int(8, 160)));
    cout.Write(r);
    return Key{"car_trips", id};
  };
  auto driver_of = [&](size_t car, Days d, Rng& r) {
    const auto& staff = w.orgs[static_cast<size_t>(w.car_org[car])].officials;
    for (int t = 0; t < 10 && !staff.empty(); ++t) {
      int i = r.Pick(staff);
      if (!w.officials[static_cast<size_t>(i)].leader &&
          alive_at(w.officials[static_cast<size_t>(i)], d))
        return i;
    }
    return -1;
  };
  // The planted trips are decided first so honest trips keep off those cars' days.
  struct CarPlan {
    size_t car, car2;
    Days d, sd, d2;
    int start, s1;
  };
  std::vector<CarPlan> plans;
  std::set<std::pair<size_t, Days>> reserved_days;
  for (int k = 0; k < count && !w.cars.empty(); ++k) {
    CarPlan p;
    p.car = static_cast<size_t>(plant.Int(0, w.cars.size() - 1));
    p.d = NonWorking(day_in_window(plant), k % 3 == 1);
    p.start = static_cast<int>(plant.Int(7 * 60, 10 * 60));
    static constexpr int kSwapped[][3] = {{2023, 1, 29}, {2023, 5, 6},  {2023, 10, 8},
                                          {2024, 2, 18}, {2024, 4, 28}, {2024, 5, 11},
                                          {2024, 9, 14}};
    const int* sw = kSwapped[static_cast<size_t>(k) % std::size(kSwapped)];
    p.sd = D(sw[0], sw[1], sw[2]);
    p.car2 = static_cast<size_t>(plant.Int(0, w.cars.size() - 1));
    p.d2 = Working(day_in_window(plant));
    p.s1 = 18 * 60 + static_cast<int>(plant.Int(0, 30));
    // Each planted trip on a car-day of its own (else two of them overlap).
    auto taken = [&](size_t car, Days d) { return reserved_days.count({car, d}) > 0; };
    for (int t = 0; t < 200 && (taken(p.car, p.d) || taken(p.car, p.sd)); ++t)
      p.car = static_cast<size_t>(plant.Int(0, w.cars.size() - 1));
    reserved_days.insert({p.car, p.d});
    reserved_days.insert({p.car, p.sd});
    for (int t = 0; t < 200 && taken(p.car2, p.d2); ++t)
      p.car2 = static_cast<size_t>(plant.Int(0, w.cars.size() - 1));
    reserved_days.insert({p.car2, p.d2});
    plans.push_back(p);
  }
  for (size_t car = 0; car < w.cars.size(); ++car) {
    const Org& org = w.orgs[static_cast<size_t>(w.car_org[car])];
    bool tourism = org.kind.find("文化旅游") != std::string::npos;
    for (Days d = w0; d <= w1; ++d) {
      bool working = IsWorkingDayDays(d);
      if (working ? !rng.Chance(0.3) : !rng.Chance(0.02)) continue;
      if (reserved_days.count({car, d})) continue;
      int start = static_cast<int>(rng.Int(8 * 60, 14 * 60));
      int end = start + static_cast<int>(rng.Int(60, 240));
      std::string dest = kLocalPlaces[rng.Int(0, std::size(kLocalPlaces) - 1)];
      std::string purpose = working ? "下乡检查工作" : "节假日值班应急处置";
      if (working && tourism && rng.Chance(0.2)) {
        dest = kResorts[rng.Int(0, std::size(kResorts) - 1)];
        purpose = "旅游景区安全检查";
      }
      write_trip(car, driver_of(car, d, rng), d, start, end, dest, purpose);
    }
  }
  for (size_t k = 0; k < plans.size(); ++k) {
    const CarPlan& p = plans[k];
    int shape = static_cast<int>(k % 3);
    Key t = write_trip(p.car, driver_of(p.car, p.d, plant), p.d, p.start,
                       p.start + static_cast<int>(plant.Int(300, 600)),
                       kResorts[shape == 2 ? 3 : plant.Int(0, 2)], "公务");
    w.Plant("car_holiday_resort",
            shape == 0   ? "weekend_resort"
            : shape == 1 ? "public_holiday_resort"
                         : "weekend_ski",
            {t});
    Key n = write_trip(p.car, driver_of(p.car, p.sd, plant), p.sd, 9 * 60, 12 * 60,
                       kResorts[plant.Int(0, 4)], "景区安全检查");
    w.NearMiss("car_holiday_resort", "swapped_working_weekend_day", {n});
    // Two trips of one car at once.
    int e1 = p.s1 + 120;
    int s2 = shape == 0 ? p.s1 : shape == 1 ? p.s1 + 60 : p.s1 + 30;
    int e2 = shape == 2 ? e1 - 30 : e1 + 60;
    Key a = write_trip(p.car2, driver_of(p.car2, p.d2, plant), p.d2, p.s1, e1,
                       kLocalPlaces[plant.Int(0, 5)], "送文件");
    Key b = write_trip(p.car2, driver_of(p.car2, p.d2, plant), p.d2, s2, e2,
                       kLocalPlaces[plant.Int(6, 10)], "接送检查组");
    w.Plant("car_overlapping_trips",
            shape == 0   ? "same_start"
            : shape == 1 ? "partial_overlap"
                         : "trip_inside_trip",
            {a, b});
  }
  return Status::OK();
}

}  // namespace qf::synth
