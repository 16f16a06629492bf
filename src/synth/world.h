// The state the synthetic city's generators share: options, the regions, the
// open dataset writers, the truth files, and the compact arrays later
// generators join against (officials, companies, welfare candidates …).
// Persons are streamed straight to disk by the population generator; only the
// few kept in these pools stay in memory, so memory does not grow with rows.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "synth/rng.h"
#include "synth/synth.h"
#include "synth/writer.h"

namespace qf::synth {

// Dates are days since 1970-01-01 throughout the generators.
using Days = int32_t;
inline constexpr Days kNever = INT32_MAX;

struct Region {
  const char* code;
  const char* name;
  double weight;  // share of the population
  bool county;    // rural county (villages, farmland subsidy)
};
inline constexpr std::array<Region, 7> kRegions = {{
    {"210902", "海州区", 0.20, false},
    {"210903", "新邱区", 0.05, false},
    {"210904", "太平区", 0.09, false},
    {"210905", "清河门区", 0.04, false},
    {"210911", "细河区", 0.12, false},
    {"210921", "阜新蒙古族自治县", 0.29, true},
    {"210922", "彰武县", 0.21, true},
}};
inline constexpr const char* kCity = "阜新市";

// A person as the joins need it (the full row is in persons.csv).
struct Person {
  std::string id;  // 18-character ID number
  std::string name;
  int32_t household = 0;  // index; the household_id is HouseholdId(region, index)
  uint8_t region = 0;
  bool male = false;
  Days birth = 0;
  Days death = kNever;  // natural death inside the window, or kNever
  uint8_t household_size = 1;
  bool owns_car = false;   // a private car in their name (vehicles.owner_party)
  bool has_phone = false;  // persons.phone is PersonPhone(serial)
  uint32_t serial = 0;     // order of the row in persons.csv
  std::string relation;    // to the household head
};

// The registered mobile phone of the person written `serial`-th: a bijection,
// so no two persons share a phone unless a plant says so.
std::string PersonPhone(uint32_t serial);
// The person's registered phone, or "" when the registry has none.
inline std::string PhoneOf(const Person& p) { return p.has_phone ? PersonPhone(p.serial) : ""; }

struct Relative {
  Person person;
  std::string relation;  // relatives.relation: 配偶, 子女, 父母, …
  bool declared = true;  // false: a leader left this household member out (planted)
};

struct Official {
  Person p;
  int org = 0;
  bool leader = false;
  std::string position, rank;
  Days start = 0;
  std::string account;  // salary account
  int64_t salary_fen = 0;
  std::vector<Relative> household;  // household members (declared if a leader)
  Days ghost_death = kNever;        // planted death (吃空饷)
  Days salary_until = kNever;       // last day a salary is paid (planted ghosts)
};

struct Org {
  std::string name, code, short_name;
  int region = -1;   // -1 = city level
  std::string kind;  // 财政局, 民政局, …
  bool enforcement = false;
  std::vector<int> officials;  // indexes into World::officials
  std::vector<int> leaders;
};

struct Company {
  std::string code, name;
  uint8_t region = 0;
  int industry = 0;
  Days established = 0;
  std::string status;  // 存续, 在业, 注销, 吊销
  Days status_date = kNever;
  int64_t capital_fen = 0;
  Person legal_rep;
  bool reserved = false;  // planted: kept out of the honest pools
  std::string account;
  std::string phone;  // registered phone; empty: a landline from its index
  // Hashes (PartyKey) of its shareholders' parties: honest bidders of a
  // tender are never linked through them.
  std::vector<uint64_t> holders;
};

struct Holder {
  std::string party, name;
  double ratio;
};

// A company planted next to an official (or a relative of one), kept for the
// generator that makes it an anomaly.
struct LinkedCompany {
  int company = 0;
  int official = 0;
  std::string shape;
  std::vector<struct Key> link;  // the rows that prove the link
};

// A hidden link (network family) between a company and an official, kept for
// the generator that pays the company or lets it win a tender: the shape, and
// the keys that prove the link (listed after the anomaly's own rows).
struct NetworkLink {
  int company = 0;
  int official = 0;  // the leader whose organisation pays or buys
  const char* kind = "leader_indirect_link";
  std::string shape;
  std::vector<struct Key> proof;
  bool via_tender = false;  // wins a tender of the organisation, else paid by it
  bool name_only = false;   // paid without payee_party, under a name variant
  bool near = false;        // a near miss, not an anomaly
};

struct Death {
  std::string id, name;
  Days date;
  std::string source;
};

struct Key {
  std::string dataset, key;
};

// RNG stream ids, one per generator (and a few sub-streams).
enum Stream : uint64_t {
  kStreamPopulation = 1,
  kStreamOrganisations,
  kStreamCompanies,
  kStreamFunds,
  kStreamProcurement,
  kStreamWelfare,
  kStreamConduct,
  kStreamComplaints,
  kStreamEnforcement,
  kStreamParty,
  kStreamBadRows,
  kStreamPlant = 100,     // + generator stream: the planting decisions
  kStreamVariants = 300,  // + generator stream: name-only mentions and their variants
  kStreamNetwork = 400,   // + generator stream: hidden links (network family)
};

class World {
 public:
  World(const SynthOptions& opts)
      : opts(opts), rep_variants(opts.seed, kStreamVariants + kStreamCompanies) {}
  ~World() {
    if (er_file) std::fclose(er_file);
  }
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  const SynthOptions& opts;
  Rng Stream(uint64_t id) const { return Rng(opts.seed, id); }
  // The writer of a dataset (all are opened before the generators run).
  DatasetWriter& Out(const std::string& dataset) { return *writers.at(dataset); }
  Row NewRow(const std::string& dataset) { return Row(Out(dataset).def()); }

  // Appends an anomaly to truth.jsonl (or, for a near miss, near_misses.jsonl).
  void Plant(const char* kind, const std::string& shape, const std::vector<Key>& keys);
  void NearMiss(const char* kind, const std::string& shape, const std::vector<Key>& keys);

  // er_truth.jsonl: a name-only mention as written (`value`) and the entity it
  // names — the ID number or credit code, "" when in no registry. Streamed.
  Status OpenErTruth(const std::string& path);
  void Mention(const char* dataset, const std::string& key, const char* column,
               const std::string& value, bool org, const std::string& entity_key,
               const char* variant);
  Status CloseErTruth();
  int64_t mentions = 0;

  // Pools filled by the generators, in order.
  std::vector<Person> official_candidates;                 // adults of officials' households
  std::vector<std::vector<Relative>> official_households;  // parallel: other members
  std::vector<Person> entrepreneurs;
  std::vector<Person> poor;      // members of low-income households (means-tested welfare)
  std::vector<Person> elderly;   // aged ≥ 80 during the window (高龄补贴)
  std::vector<Person> farmers;   // county household heads (耕地地力保护补贴)
  std::vector<Person> ordinary;  // a sample of other adults (callers, project managers, …)
  // Other adults of ordinary households: bidders' contact persons (only what
  // the bids need, to keep the pool small).
  struct Contact {
    std::array<char, 18> id;  // the ID number
    bool has_phone = false;
    uint32_t serial = 0;
    std::string name;
  };
  std::vector<Contact> contacts;
  // Other adults of ordinary households who hold nothing else: the co-holders
  // ("fronts") of planted companies held by officials or their families, so
  // those companies lead nowhere else in the graph. Handed out in turn.
  std::vector<Person> fronts;
  size_t next_front = 0;
  std::vector<Death> deaths;
  std::vector<LinkedCompany> relative_companies;  // paid by the official's org (funds)
  std::vector<LinkedCompany> leader_linked;       // win the leader's org's tenders
  std::vector<NetworkLink> network_links;         // paid by / win tenders of the leader's org
  // Persons who are legal rep or shareholder of a planted (reserved) company;
  // honest companies are held by entrepreneurs only.
  std::unordered_set<std::string> planted_company_holders;
  std::vector<Org> orgs;
  std::vector<Official> officials;
  std::vector<Company> companies;
  std::vector<int> org_cars_start;  // per org: index of its first car in `cars`
  std::vector<std::string> cars;    // plates of official cars
  std::vector<int> car_org;
  int64_t plate_counter = 0;
  // Persons: rows written (the next serial), households, and per (birthplace,
  // birth year) the next ID sequence, so persons added by later generators
  // (planted households) get fresh ID numbers.
  uint32_t persons_written = 0;
  int32_t households = 0;
  std::array<uint64_t, kRegions.size()> addresses{};  // per region: addresses given out
  std::vector<int32_t> id_counter;

  std::map<std::string, std::unique_ptr<DatasetWriter>> writers;
  // Which companies name their legal representative without an ID number
  // (AddCompany is called by several generators; its own stream keeps theirs).
  Rng rep_variants;
  std::string truth_buf, near_buf, er_buf;
  FILE* er_file = nullptr;
  int64_t truth_count = 0, near_count = 0;
  std::map<std::string, int64_t> planted;  // per kind
};

// Window of the generated activity.
inline constexpr int kFirstYear = 2023;
inline constexpr int kLastYear = 2024;
Days D(int y, int m, int d);
Days WindowStart();
Days WindowEnd();

// Formatting as the contract accepts it. Most dates are YYYY-MM-DD; `rng`
// picks the occasional YYYY/M/D.
std::string FormatDay(Days d);
std::string FormatDayVaried(Days d, Rng& rng);
std::string FormatDateTime(Days d, int minute_of_day, bool seconds = true);
std::string FormatPeriod(Days d);
std::string Money(int64_t fen);  // "1234.50"
// "1234.50" or now and then "1,234.50" (the writer quotes it).
std::string MoneyVaried(int64_t fen, Rng& rng);
std::string HouseholdId(int region, int32_t index);
std::string RegionCode(int region);
// A valid ID number from birthplace code, birth day, sequence (0..499) and sex.
std::string MakeIdNumber(const char* birthplace, Days birth, int seq, bool male);
// A valid unified social credit code: registration authority+type ("91"
// company, "11" government body, "12" public institution), region and serial.
std::string MakeCreditCode(const char* kind2, const char* region, uint64_t serial);
std::string BankAccount(uint64_t serial, const char* bank_prefix = "6217");
int AgeAt(Days birth, Days at);
// A new registry person of `region` born in `birth_year` (ID number from the
// shared counters; birth day from it), not yet written.
Person NewPerson(World& w, int region, int birth_year, bool male, const std::string& name);
// Writes the persons row of `p` (serial assigned; phone = PersonPhone(serial)
// when `with_phone`, or `phone_override` when given).
void WritePerson(World& w, Person& p, const std::string& household_id, const std::string& address,
                 bool with_phone, const std::string& phone_override = "");
// A registered address of its own in `region` (households, companies).
std::string UniqueAddress(World& w, int region);
// A party's ID number or credit code as a 64-bit key (for joins kept in memory).
inline uint64_t PartyKey(const std::string& party) {
  return Mix64(std::hash<std::string>{}(party));
}
// The next front (see World::fronts); entrepreneurs when there are none.
const Person& NextFront(World& w);
// True when `name` is a company name NewCompany has given out.
bool IsCompanyName(const std::string& name);
// A unique 辽J plate.
std::string NextPlate(World& w);
// max(min, round(per_scale × scale)): how many of one planted kind.
int PlantCount(const World& w, double per_scale, int min = 3);

// Industries of the company register: 0 construction, 1 trade, 2 IT, 3 property
// services, 4 catering & hotels, 5 design & supervision, 6 medical supplies,
// 7 printing & office supplies, 8 agriculture, 9 transport.
inline constexpr int kIndustries = 10;
const char* IndustryName(int industry);
// Writes a company and its shareholders and keeps it in w.companies; returns its index.
int AddCompany(World& w, Rng& rng, Company c, const std::vector<Holder>& holders);
// A fresh company (not yet written): name, code, capital, dates filled in.
Company NewCompany(World& w, Rng& rng, int industry, int region, Days established);

// The generators, in the order they run.
Status GeneratePopulation(World& w);
Status GenerateOrganisations(World& w);
Status GenerateCompanies(World& w);
Status GenerateFunds(World& w);
Status GenerateProcurement(World& w);
Status GenerateWelfare(World& w);
Status GenerateConduct(World& w);
Status GenerateComplaints(World& w);
Status GenerateEnforcement(World& w);
Status GenerateParty(World& w);

}  // namespace qf::synth
