// Households, persons, natural deaths, private vehicles and real estate.
// Households are generated one after another and streamed to disk; only the
// people later generators join against are kept (officials' households,
// entrepreneurs, welfare candidates, a sample of other adults).
#include <algorithm>
#include <cmath>

#include "synth/names.h"
#include "synth/world.h"

namespace qf::synth {

namespace {

// Birthplace codes besides the city's own: the old prefecture code, Shenyang,
// Dalian, Chaoyang, Liaoyang, Tongliao (Inner Mongolia) and Jinzhou.
constexpr const char* kOtherBirthplaces[] = {"210900", "210102", "210106", "210211", "211302",
                                             "211321", "211002", "152301", "210781", "210703"};

// Per (birthplace, birth year) counters of ID numbers, 1895..2024.
constexpr int kFirstBirthYear = 1895;
constexpr int kYears = 130;

// The n-th person born in (birthplace, year) gets day-of-year and sequence
// number from n (a bijection), so ID numbers never collide.
std::string NextIdNumber(World& w, size_t place, const char* place_code, int birth_year, bool male,
                         Days* birth) {
  int by = std::clamp(birth_year, kFirstBirthYear, kFirstBirthYear + kYears - 1);
  int32_t& n = w.id_counter[place * kYears + static_cast<size_t>(by - kFirstBirthYear)];
  int ndays = static_cast<int>(D(by + 1, 1, 1) - D(by, 1, 1));
  int c = n++;
  // 97 is coprime to 365 and 366: consecutive counters land on spread-out days.
  int doy = static_cast<int>((static_cast<int64_t>(c % ndays) * 97 + by) % ndays);
  int seq = c / ndays;
  *birth = D(by, 1, 1) + doy;
  return MakeIdNumber(place_code, *birth, seq, male);
}

enum class Role { kOrdinary, kOfficial, kEntrepreneur, kPoor };

struct Member {
  std::string relation;
  bool male;
  int age;  // at the end of the window
};

// Annual probability of death at `age` (a Gompertz curve close to China's life table).
double Mortality(int age) {
  if (age < 1) return 0.006;
  if (age < 30) return 0.0005;
  return std::min(0.35, 0.0006 * std::exp(0.087 * (age - 30)));
}

std::string RelativeRelation(const std::string& to_head, bool official_is_head) {
  if (official_is_head) {
    if (to_head == "配偶") return "配偶";
    if (to_head == "子" || to_head == "女") return "子女";
    if (to_head == "父" || to_head == "母") return "父母";
    if (to_head == "兄弟姐妹") return "兄弟姐妹";
    if (to_head == "儿媳" || to_head == "女婿") return "子女配偶";
    return "其他";
  }
  // The official is the head's spouse.
  if (to_head == "户主") return "配偶";
  if (to_head == "子" || to_head == "女") return "子女";
  if (to_head == "儿媳" || to_head == "女婿") return "子女配偶";
  return "其他";
}

}  // namespace

const Person& NextFront(World& w) {
  const std::vector<Person>& pool = w.fronts.empty() ? w.entrepreneurs : w.fronts;
  return pool[w.next_front++ % pool.size()];
}

std::string UniqueAddress(World& w, int region) {
  const Region& r = kRegions[static_cast<size_t>(region)];
  return NthAddress(r.name, r.county, w.addresses[static_cast<size_t>(region)]++);
}

std::string PersonPhone(uint32_t serial) {
  static constexpr const char* kPrefixes[] = {
      "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
      "157", "158", "159", "166", "177", "180", "181", "186", "187", "188", "189", "198", "199"};
  constexpr uint64_t kSpace = 100000000;  // eight digits after the prefix
  uint64_t low = serial % kSpace, high = serial / kSpace;
  // 48271 is coprime to 10^8: a bijection of the eight digits. Serials that
  // share them differ in `high`, and so in the prefix.
  uint64_t digits = (low * 48271 + 12345) % kSpace;
  size_t prefix = static_cast<size_t>((Mix64(low) + high) % std::size(kPrefixes));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%08llu", kPrefixes[prefix],
                static_cast<unsigned long long>(digits));
  return buf;
}

Person NewPerson(World& w, int region, int birth_year, bool male, const std::string& name) {
  Person p;
  p.id = NextIdNumber(w, static_cast<size_t>(region), kRegions[static_cast<size_t>(region)].code,
                      birth_year, male, &p.birth);
  p.male = male;
  p.name = name;
  p.region = static_cast<uint8_t>(region);
  return p;
}

void WritePerson(World& w, Person& p, const std::string& household_id, const std::string& address,
                 bool with_phone, const std::string& phone_override) {
  p.serial = w.persons_written++;
  p.has_phone = with_phone || !phone_override.empty();
  Row r = w.NewRow("persons");
  r.Set("id_number", p.id).Set("name", p.name).Set("sex", p.male ? "男" : "女");
  r.Set("birth_date", FormatDay(p.birth)).Set("household_id", household_id);
  r.Set("relation_to_head", p.relation).Set("address", address);
  if (p.has_phone) r.Set("phone", phone_override.empty() ? PersonPhone(p.serial) : phone_override);
  r.Set("region_code", RegionCode(p.region));
  w.Out("persons").Write(r);
}

Status GeneratePopulation(World& w) {
  Rng rng = w.Stream(kStreamPopulation);
  // Contacts of companies (bidders' 联系人) come from their own stream, so the
  // rest of the population does not depend on them.
  Rng contacts = w.Stream(kStreamVariants + kStreamPopulation);
  const int64_t target = std::max<int64_t>(200, std::llround(20000 * w.opts.scale));
  const Days end = WindowEnd();
  const int end_year = kLastYear;
  const size_t nplaces = kRegions.size() + std::size(kOtherBirthplaces);
  w.id_counter.assign(nplaces * kYears, 0);
  double cum[kRegions.size()];
  double acc = 0;
  for (size_t i = 0; i < kRegions.size(); ++i) cum[i] = (acc += kRegions[i].weight);

  DatasetWriter& persons = w.Out("persons");
  DatasetWriter& vehicles = w.Out("vehicles");
  DatasetWriter& estate = w.Out("real_estate");
  int64_t written = 0;
  int64_t property_serial = 0;
  int32_t h = 0;
  // Households are laid out region by region (contiguous blocks).
  const int64_t households_estimate = target * 100 / 285;
  std::vector<Member> members;
  std::vector<Person> hh;
  while (written < target) {
    double pos = static_cast<double>(h) / static_cast<double>(households_estimate);
    int region = 0;
    while (region < static_cast<int>(kRegions.size()) - 1 && pos >= cum[region] / acc) ++region;
    const Region& reg = kRegions[static_cast<size_t>(region)];
    bool mongolian = std::string(reg.code) == "210921";
    members.clear();
    // Household type: single, couple, nuclear, three generations, other.
    static constexpr double kTypeW[] = {0.16, 0.24, 0.38, 0.16, 0.06};
    size_t type = rng.Weighted(kTypeW, std::size(kTypeW));
    bool head_male = rng.Chance(0.72);
    int head_age = 0;
    switch (type) {
      case 0:
        head_age = rng.Chance(0.55) ? static_cast<int>(rng.Int(62, 94))
                                    : static_cast<int>(rng.Int(21, 45));
        break;
      case 1:
        head_age =
            rng.Chance(0.5) ? static_cast<int>(rng.Int(52, 88)) : static_cast<int>(rng.Int(24, 40));
        break;
      case 2:
        head_age = static_cast<int>(rng.Int(27, 60));
        break;
      case 3:
        head_age = static_cast<int>(rng.Int(30, 55));
        break;
      default:
        head_age = static_cast<int>(rng.Int(23, 65));
    }
    members.push_back({"户主", head_male, head_age});
    if (type >= 1 && type <= 3) {
      int sp = std::max(20, head_age + static_cast<int>(rng.Int(-5, 3)) * (head_male ? 1 : -1));
      members.push_back({"配偶", !head_male, sp});
    }
    if (type == 2 || type == 3) {
      int kids = rng.Chance(0.55) ? 1 : 2;
      for (int k = 0; k < kids; ++k) {
        int age = head_age - static_cast<int>(rng.Int(23, 34));
        if (age < 0) continue;
        bool male = rng.Chance(0.51);
        members.push_back({male ? "子" : "女", male, age});
      }
    }
    if (type == 3) {
      int parents = rng.Chance(0.5) ? 1 : 2;
      int page = head_age + static_cast<int>(rng.Int(24, 32));
      members.push_back({"母", false, page - static_cast<int>(rng.Int(0, 3))});
      if (parents == 2) members.push_back({"父", true, page});
    }
    if (type == 4) {
      members.push_back({"兄弟姐妹", rng.Chance(0.5), head_age + static_cast<int>(rng.Int(-8, 8))});
      if (rng.Chance(0.3))
        members.push_back({"其他", rng.Chance(0.5), static_cast<int>(rng.Int(18, 70))});
    }
    // The household's role decides which pool its people join.
    Role role = Role::kOrdinary;
    if (head_age >= 30 && head_age <= 56 && rng.Chance(0.10)) {
      role = Role::kOfficial;
    } else if (head_age >= 28 && head_age <= 66 && rng.Chance(0.11)) {
      role = Role::kEntrepreneur;
    } else if (rng.Chance(type == 0 && head_age >= 60 ? 0.14 : 0.045)) {
      role = Role::kPoor;
    }
    std::string family = FamilySurname(rng, mongolian);
    std::string hh_id = HouseholdId(region, h);
    // Drawn to keep the stream; the registered address is the household's own.
    StreetAddress(rng, reg.name);
    std::string address = UniqueAddress(w, region);
    hh.clear();
    for (const Member& m : members) {
      Person p;
      bool own_birthplace = rng.Chance(0.85);
      size_t place =
          own_birthplace
              ? static_cast<size_t>(region)
              : kRegions.size() + static_cast<size_t>(rng.Int(0, std::size(kOtherBirthplaces) - 1));
      const char* place_code =
          own_birthplace ? reg.code : kOtherBirthplaces[place - kRegions.size()];
      int by = std::clamp(end_year - m.age, kFirstBirthYear, kFirstBirthYear + kYears - 1);
      p.male = m.male;
      p.id = NextIdNumber(w, place, place_code, by, p.male, &p.birth);
      bool takes_family_name = m.relation == "户主" ? head_male
                               : m.relation == "子" || m.relation == "女" || m.relation == "孙子女"
                                   ? true
                               : m.relation == "父" ? head_male
                                                    : false;
      p.name = (takes_family_name ? family : FamilySurname(rng, mongolian)) +
               GivenName(rng, p.male, mongolian);
      p.household = h;
      p.region = static_cast<uint8_t>(region);
      p.relation = m.relation;
      p.household_size = static_cast<uint8_t>(members.size());
      // Natural deaths in the two years before and during the window.
      for (int y = kFirstYear - 2; y <= kLastYear && p.death == kNever; ++y) {
        int age = y - by;
        if (age < 0) continue;
        if (rng.Chance(Mortality(age))) {
          Days dd = D(y, 1, 1) + static_cast<Days>(rng.Int(0, 364));
          if (dd > p.birth) p.death = std::min(dd, end);
        }
      }
      Row r(persons.def());
      r.Set("id_number", p.id).Set("name", p.name).Set("sex", p.male ? "男" : "女");
      r.Set("birth_date", FormatDayVaried(p.birth, rng)).Set("household_id", hh_id);
      r.Set("relation_to_head", p.relation).Set("address", address);
      p.serial = w.persons_written++;
      if (m.age >= 16 && rng.Chance(0.85)) {
        // The number is drawn (keeping the stream) but the registered one is a
        // bijection of the serial: phones are unique.
        MobilePhone(rng);
        p.has_phone = true;
        r.Set("phone", PersonPhone(p.serial));
      }
      r.Set("region_code", reg.code);
      persons.Write(r);
      ++written;
      if (p.death != kNever) {
        static constexpr const char* kSources[] = {"公安", "卫健", "民政火化"};
        static constexpr double kSourceW[] = {0.5, 0.3, 0.2};
        w.deaths.push_back(
            {p.id, p.name, p.death, kSources[rng.Weighted(kSourceW, std::size(kSourceW))]});
      }
      hh.push_back(std::move(p));
    }
    const Person& head = hh[0];
    const Person* spouse = hh.size() > 1 && hh[1].relation == "配偶" ? &hh[1] : nullptr;
    auto alive = [](const Person& p) { return p.death == kNever; };
    auto working_age = [&](const Person& p) {
      int a = AgeAt(p.birth, end);
      return a >= 25 && a <= 58;
    };
    const size_t candidates_before = w.official_candidates.size();
    switch (role) {
      case Role::kOfficial:
        for (const Person* o : {&head, spouse}) {
          if (!o || !alive(*o) || !working_age(*o)) continue;
          if (o == spouse && !rng.Chance(0.3)) continue;
          std::vector<Relative> rel;
          for (const Person& q : hh) {
            if (q.id == o->id) continue;
            rel.push_back({q, RelativeRelation(q.relation, o == &head)});
          }
          w.official_candidates.push_back(*o);
          w.official_households.push_back(std::move(rel));
        }
        break;
      case Role::kEntrepreneur:
        if (alive(head)) w.entrepreneurs.push_back(head);
        if (spouse && alive(*spouse) && rng.Chance(0.35)) w.entrepreneurs.push_back(*spouse);
        break;
      case Role::kPoor:
        w.poor.push_back(head);
        break;
      case Role::kOrdinary:
        for (const Person& q : hh) {
          int a = AgeAt(q.birth, end);
          if (!alive(q) || a < 22 || a > 60) continue;
          if (rng.Chance(0.12)) {
            w.ordinary.push_back(q);
          } else if (contacts.Chance(0.12)) {
            World::Contact c{{}, q.has_phone, q.serial, q.name};
            std::copy_n(q.id.begin(), c.id.size(), c.id.begin());
            w.contacts.push_back(std::move(c));
          } else if (contacts.Chance(0.02)) {
            w.fronts.push_back(q);
          }
        }
        break;
    }
    if (role != Role::kOfficial && role != Role::kEntrepreneur) {
      for (const Person& q : hh) {
        if (AgeAt(q.birth, WindowStart()) >= 80) w.elderly.push_back(q);
      }
      if (reg.county && alive(head) && rng.Chance(0.5)) w.farmers.push_back(head);
    }
    // Private cars and homes; low-income households have no car and at most one home.
    double car_p = role == Role::kPoor ? 0 : role == Role::kOrdinary ? 0.3 : 0.6;
    if (alive(head) && AgeAt(head.birth, end) >= 20 && rng.Chance(car_p)) {
      const Person& owner = spouse && rng.Chance(0.3) ? *spouse : head;
      Row v(vehicles.def());
      v.Set("plate", NextPlate(w)).Set("owner_party", owner.id).Set("owner_name", owner.name);
      v.Set("vehicle_type", rng.Chance(0.8) ? "小型轿车" : "小型普通客车");
      v.Set("register_date",
            FormatDayVaried(D(2008, 1, 1) + static_cast<Days>(rng.Int(0, 6000)), rng));
      v.Set("status", "正常");
      vehicles.Write(v);
      // Officials' households are in memory: mark the owner there (welfare
      // plants choose officials and their relatives without a car).
      for (size_t i = candidates_before; i < w.official_candidates.size(); ++i) {
        if (w.official_candidates[i].id == owner.id) w.official_candidates[i].owns_car = true;
        for (Relative& r : w.official_households[i]) {
          if (r.person.id == owner.id) r.person.owns_car = true;
        }
      }
    }
    int homes = 0;
    switch (role) {
      case Role::kPoor:
        homes = rng.Chance(0.3) ? 1 : 0;
        break;
      case Role::kEntrepreneur:
        homes = static_cast<int>(rng.Int(1, 3));
        break;
      case Role::kOfficial:
        homes = static_cast<int>(rng.Int(1, 2));
        break;
      default:
        homes = rng.Chance(0.75) ? (rng.Chance(0.15) ? 2 : 1) : 0;
    }
    for (int k = 0; k < homes; ++k) {
      char pid[40];
      ++property_serial;
      std::snprintf(pid, sizeof pid, "%s%03d%03dGB%05lldF%08lld", reg.code,
                    static_cast<int>(rng.Int(1, 12)), static_cast<int>(rng.Int(1, 30)),
                    static_cast<long long>(property_serial % 100000),
                    static_cast<long long>(property_serial));
      Days reg_day = D(1998, 1, 1) + static_cast<Days>(rng.Int(0, 9500));
      double area = std::round(rng.LogNormal(85, 0.3) * 100) / 100;
      std::vector<const Person*> owners = {&head};
      if (spouse && rng.Chance(0.5)) owners.push_back(spouse);
      for (const Person* o : owners) {
        Row r(estate.def());
        r.Set("property_id", pid).Set("owner_id_number", o->id).Set("owner_name", o->name);
        r.Set("address", k == 0 ? address : StreetAddress(rng, reg.name));
        char a[32];
        std::snprintf(a, sizeof a, "%.2f", area);
        r.Set("area_m2", a).Set("register_date", FormatDayVaried(reg_day, rng));
        estate.Write(r);
      }
    }
    ++h;
  }
  w.households = h;
  return Status::OK();
}

}  // namespace qf::synth
