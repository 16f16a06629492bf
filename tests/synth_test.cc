// The synthetic city: deterministic, valid, importable without quarantine,
// every planted kind present and every truth key in the store.
#include "synth/synth.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/calendar.h"
#include "common/text.h"
#include "common/time.h"
#include "ingest/encoding.h"
#include "ingest/identifiers.h"
#include "ingest/importer.h"
#include "synth/anomalies.h"
#include "synth/names.h"
#include "synth/rng.h"
#include "synth/variants.h"
#include "test_util.h"

namespace qf {
namespace {

namespace fs = std::filesystem;
using qf::testing::ScratchDir;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

synth::SynthReport Generate(const std::string& dir, double scale, uint64_t seed, int bad_rows = 0) {
  synth::SynthOptions o;
  o.out_dir = dir;
  o.scale = scale;
  o.seed = seed;
  o.bad_rows = bad_rows;
  auto r = synth::GenerateCity(o);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? r.value() : synth::SynthReport{};
}

// Minimal RFC 4180 reader for the generator's own UTF-8 output (no embedded newlines).
std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back().push_back(c);
    }
  }
  return out;
}

std::vector<nlohmann::json> ReadJsonl(const std::string& path) {
  std::vector<nlohmann::json> v;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) v.push_back(nlohmann::json::parse(line));
  }
  return v;
}

// A generated CSV file (any encoding, header included) as rows of fields.
std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  auto reader = Utf8FileReader::Open(path);
  EXPECT_TRUE(reader.ok()) << path;
  std::string text;
  if (reader.ok()) {
    while (true) {
      auto more = reader.value()->Read(&text);
      if (!more.ok() || !more.value()) break;
    }
  }
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line != "\r") rows.push_back(SplitCsvLine(line));
  }
  return rows;
}

// Days since 1970 of "YYYY-MM-DD…" or "YYYY/M/D…".
int64_t DayOf(const std::string& s) {
  int y = 0, m = 0, d = 0;
  char sep1 = 0, sep2 = 0;
  std::istringstream in(s);
  in >> y >> sep1 >> m >> sep2 >> d;
  return DaysFromCivil(y, m, d);
}

class SynthTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> ImportAll(const std::string& dir, int64_t* quarantined) {
    auto s = Store::Open(db_.File("t.db"));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    auto store = std::move(s).value();
    Importer imp(store.get());
    *quarantined = 0;
    for (const DatasetDef& def : AllDatasets()) {
      for (const char* ext : {".csv", ".xlsx"}) {
        std::string path = (fs::path(dir) / (def.name + ext)).string();
        if (!fs::exists(path)) continue;
        auto r = imp.ImportFile(def.name, path, {});
        EXPECT_TRUE(r.ok()) << path << ": " << r.status().ToString();
        if (!r.ok()) continue;
        for (const ImportReport& rep : r.value()) {
          *quarantined += rep.quarantined;
          EXPECT_GT(rep.accepted, 0) << path;
        }
      }
    }
    return store;
  }
  ScratchDir db_;
};

TEST_F(SynthTest, SameSeedSameBytesOtherSeedOtherCity) {
  ScratchDir a, b, c;
  Generate(a.path(), 0.15, 7);
  Generate(b.path(), 0.15, 7);
  Generate(c.path(), 0.15, 8);
  int files = 0;
  for (const auto& e : fs::directory_iterator(a.path())) {
    std::string name = e.path().filename().string();
    EXPECT_EQ(ReadAll(e.path().string()), ReadAll(b.File(name))) << name;
    ++files;
  }
  EXPECT_EQ(files, static_cast<int>(AllDatasets().size()) + 3);  // + truth, near misses, ER truth
  EXPECT_NE(ReadAll(a.File("persons.csv")), ReadAll(c.File("persons.csv")));
  EXPECT_NE(ReadAll(a.File("truth.jsonl")), ReadAll(c.File("truth.jsonl")));
}

TEST_F(SynthTest, EveryIdentifierIsValid) {
  ScratchDir dir;
  Generate(dir.path(), 0.2, 3);
  int64_t checked = 0;
  for (const DatasetDef& def : AllDatasets()) {
    std::string path = dir.File(def.name + ".csv");
    if (!fs::exists(path) || def.name == synth::kGb18030Dataset) continue;
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    std::vector<std::string> header = SplitCsvLine(line);
    ASSERT_EQ(header.size(), def.columns.size()) << def.name;
    for (size_t i = 0; i < header.size(); ++i) EXPECT_EQ(header[i], def.columns[i].name);
    int64_t lineno = 1;
    while (std::getline(in, line)) {
      ++lineno;
      std::vector<std::string> cells = SplitCsvLine(line);
      ASSERT_EQ(cells.size(), def.columns.size()) << path << ":" << lineno;
      for (size_t i = 0; i < cells.size(); ++i) {
        const std::string& v = cells[i];
        if (v.empty()) continue;
        switch (def.columns[i].type) {
          case ColumnType::kIdNumber:
            EXPECT_TRUE(NormalizeIdNumber(v).ok()) << path << ":" << lineno << " " << v;
            ++checked;
            break;
          case ColumnType::kCreditCode:
            EXPECT_TRUE(NormalizeCreditCode(v).ok()) << path << ":" << lineno << " " << v;
            ++checked;
            break;
          case ColumnType::kParty:
            EXPECT_TRUE(NormalizeParty(v).ok()) << path << ":" << lineno << " " << v;
            ++checked;
            break;
          case ColumnType::kIdList: {
            size_t start = 0;
            while (start <= v.size()) {
              size_t end = v.find(';', start);
              if (end == std::string::npos) end = v.size();
              EXPECT_TRUE(NormalizeIdNumber(v.substr(start, end - start)).ok())
                  << path << ":" << lineno;
              ++checked;
              start = end + 1;
            }
            break;
          }
          default:
            break;
        }
      }
    }
  }
  EXPECT_GT(checked, 10000);
  // The XLSX dataset's identifiers, through the store.
  int64_t quarantined = 0;
  auto store = ImportAll(dir.path(), &quarantined);
  auto st = store->db()->Prepare("SELECT id_number, org_code FROM officials");
  ASSERT_TRUE(st.ok());
  int officials = 0;
  while (st->Step().value()) {
    EXPECT_TRUE(NormalizeIdNumber(st->Text(0)).ok());
    EXPECT_TRUE(NormalizeCreditCode(st->Text(1)).ok());
    ++officials;
  }
  EXPECT_GT(officials, 50);
}

TEST_F(SynthTest, ImportsWithoutQuarantineAndEveryTruthKeyExists) {
  ScratchDir dir;
  synth::SynthReport report = Generate(dir.path(), 0.2, 11);
  int64_t quarantined = -1;
  auto store = ImportAll(dir.path(), &quarantined);
  EXPECT_EQ(quarantined, 0);
  for (const synth::DatasetCount& d : report.datasets) {
    EXPECT_EQ(store->db()->QueryInt("SELECT COUNT(*) FROM " + d.dataset).value(), d.rows)
        << d.dataset;
  }
  // Every key of truth.jsonl and near_misses.jsonl is a current record.
  std::map<std::string, std::unique_ptr<Stmt>> lookups;
  int64_t keys = 0;
  for (const char* file : {"truth.jsonl", "near_misses.jsonl"}) {
    for (const nlohmann::json& j : ReadJsonl(dir.File(file))) {
      ASSERT_NE(synth::FindAnomalyKind(j["kind"].get<std::string>()), nullptr) << j.dump();
      EXPECT_EQ(synth::FindAnomalyKind(j["kind"].get<std::string>())->family,
                j["family"].get<std::string>());
      ASSERT_FALSE(j["keys"].empty()) << j.dump();
      for (const nlohmann::json& k : j["keys"]) {
        std::string ds = k["dataset"], key = k["key"];
        const DatasetDef* def = FindDataset(ds);
        ASSERT_NE(def, nullptr) << ds;
        auto& stmt = lookups[ds];
        if (!stmt) {
          std::string sql = "SELECT COUNT(*) FROM " + ds + " WHERE ";
          for (size_t i = 0; i < def->key.size(); ++i) {
            sql +=
                (i ? " AND " : "") + def->columns[static_cast<size_t>(def->key[i])].name + " = ?";
          }
          auto p = store->db()->Prepare(sql);
          ASSERT_TRUE(p.ok()) << sql;
          stmt = std::make_unique<Stmt>(std::move(p).value());
        }
        std::vector<std::string> parts;
        size_t start = 0;
        for (size_t i = 0; i + 1 < def->key.size(); ++i) {
          size_t bar = key.find('|', start);
          parts.push_back(key.substr(start, bar - start));
          start = bar + 1;
        }
        parts.push_back(key.substr(start));
        for (size_t i = 0; i < parts.size(); ++i) stmt->BindText(static_cast<int>(i + 1), parts[i]);
        ASSERT_TRUE(stmt->Step().value());
        EXPECT_EQ(stmt->Int(0), 1) << j["kind"] << " " << ds << " " << key;
        stmt->Reset();
        ++keys;
      }
    }
  }
  EXPECT_GT(keys, 300);
}

TEST_F(SynthTest, EveryKindPlantedAtScaleOneWithSeveralShapes) {
  ScratchDir dir;
  synth::SynthReport report = Generate(dir.path(), 1, 1);
  int64_t persons = 0;
  for (const auto& d : report.datasets) {
    if (d.dataset == "persons") persons = d.rows;
  }
  EXPECT_NEAR(persons, 20000, 100);
  std::map<std::string, std::set<std::string>> shapes;
  std::set<std::string> ids;
  for (const nlohmann::json& j : ReadJsonl(dir.File("truth.jsonl"))) {
    shapes[j["kind"]].insert(j["shape"]);
    EXPECT_TRUE(ids.insert(j["id"]).second);
  }
  for (const synth::AnomalyKind& k : synth::AnomalyKinds()) {
    ASSERT_TRUE(shapes.count(std::string(k.kind))) << k.kind;
    EXPECT_GE(shapes[std::string(k.kind)].size(), 2u) << k.kind;
  }
  std::set<std::string> near;
  for (const nlohmann::json& j : ReadJsonl(dir.File("near_misses.jsonl"))) {
    near.insert(j["kind"].get<std::string>() + ":" + j["shape"].get<std::string>());
  }
  for (const char* n :
       {"split_payment:sum_just_under_threshold", "split_payment:months_apart",
        "split_payment:different_purpose_and_class", "short_bidding_period:exactly_20_days",
        "reception_over_standard:exactly_at_standard",
        "complaint_overdue:closed_on_last_allowed_working_day",
        "welfare_after_death:paid_in_month_of_death_before_death_date"}) {
    EXPECT_TRUE(near.count(n)) << n;
  }
}

// max(3, round(3 × scale)) of every kind, and a plant breaks only its own
// kind's rule where the generator once let it break another one too.
TEST_F(SynthTest, EveryKindReachesItsCountAndPlantsStayInTheirKind) {
  ScratchDir dir;
  const double scale = 2;
  Generate(dir.path(), scale, 7);
  std::vector<nlohmann::json> truth = ReadJsonl(dir.File("truth.jsonl"));
  std::map<std::string, int> count;
  for (const nlohmann::json& j : truth) ++count[j["kind"].get<std::string>()];
  const int want = std::max(3, static_cast<int>(std::lround(3 * scale)));
  std::map<std::string, int> per_shape;
  for (const nlohmann::json& j : truth) {
    if (j["family"] == "network")
      ++per_shape[j["kind"].get<std::string>() + ":" + j["shape"].get<std::string>()];
  }
  for (const synth::AnomalyKind& k : synth::AnomalyKinds()) {
    std::string kind(k.kind);
    if (kind == "leader_holds_company" || kind == "bidders_share_attribute") {
      EXPECT_GE(count[kind], want) << kind;  // more by design
    } else if (k.family == "network") {
      EXPECT_GE(count[kind], 2 * want) << kind;  // the count per shape
    } else {
      EXPECT_EQ(count[kind], want) << kind;
    }
  }
  for (const auto& [shape, n] : per_shape) EXPECT_EQ(n, want) << shape;

  // Split payments: every part within 7 calendar days of the first.
  std::map<std::string, int64_t> pay_day;
  for (const auto& r : ReadCsv(dir.File("payments.csv"))) {
    if (r.size() > 1 && r[0] != "payment_id") pay_day[r[0]] = DayOf(r[1]);
  }
  // Welfare beneficiaries who are officials or handlers' relatives own no car
  // and hold no company (else welfare_wealthy_beneficiary as well).
  std::set<std::string> wealthy;
  for (const auto& r : ReadCsv(dir.File("vehicles.csv"))) {
    if (r.size() > 1) wealthy.insert(r[1]);
  }
  for (const auto& r : ReadCsv(dir.File("companies.csv"))) {
    if (r.size() > 2) wealthy.insert(r[2]);
  }
  for (const auto& r : ReadCsv(dir.File("shareholders.csv"))) {
    if (r.size() > 1) wealthy.insert(r[1]);
  }
  std::map<std::string, std::vector<std::string>> complaint;
  for (const auto& r : ReadCsv(dir.File("complaints.csv"))) {
    if (!r.empty()) complaint[r[0]] = r;
  }
  const std::map<std::string, int> limit = {
      {"咨询", 3}, {"求助", 5}, {"建议", 5}, {"投诉", 15}, {"举报", 15}};
  int checked = 0;
  for (const nlohmann::json& j : truth) {
    std::string kind = j["kind"];
    const auto& keys = j["keys"];
    if (kind == "split_payment") {
      int64_t lo = INT64_MAX, hi = INT64_MIN;
      for (const auto& k : keys) {
        int64_t d = pay_day.at(k["key"].get<std::string>());
        lo = std::min(lo, d);
        hi = std::max(hi, d);
      }
      EXPECT_LT(hi - lo, 7) << j.dump();
      ++checked;
    } else if (kind == "welfare_to_official" || kind == "welfare_related_to_handler") {
      std::string person;
      for (const auto& k : keys) {
        if (person.empty() && (k["dataset"] == "officials" || k["dataset"] == "persons"))
          person = k["key"].get<std::string>().substr(0, 18);
      }
      EXPECT_FALSE(person.empty()) << j.dump();
      EXPECT_FALSE(wealthy.count(person)) << j.dump();
      ++checked;
    } else if (kind == "complaint_passed_around") {
      const std::vector<std::string>& c = complaint.at(keys[0]["key"].get<std::string>());
      ASSERT_GE(c.size(), 10u);
      int64_t deadline = AddWorkingDaysDays(DayOf(c[1]), limit.at(c[3]));
      EXPECT_LE(DayOf(c[9]), deadline) << j.dump();  // not complaint_overdue as well
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4 * want);
}

TEST_F(SynthTest, BadRowsAllLandInQuarantineAndNothingElse) {
  ScratchDir dir;
  Generate(dir.path(), 0.1, 5, 20);
  std::vector<nlohmann::json> bad = ReadJsonl(dir.File("bad_rows.jsonl"));
  ASSERT_EQ(bad.size(), 20u);
  int64_t quarantined = 0;
  auto store = ImportAll(dir.path(), &quarantined);
  EXPECT_EQ(quarantined, 20);
  for (const nlohmann::json& b : bad) {
    std::string sql = "SELECT COUNT(*) FROM quarantine WHERE dataset = '" +
                      b["dataset"].get<std::string>() +
                      "' AND line = " + std::to_string(b["line"].get<int64_t>());
    EXPECT_EQ(store->db()->QueryInt(sql).value(), 1) << b.dump();
  }
}

TEST_F(SynthTest, RejectsBadOptions) {
  synth::SynthOptions o;
  o.out_dir = "/nonexistent/qingfeng-synth";
  EXPECT_FALSE(synth::GenerateCity(o).ok());
  ScratchDir dir;
  o.out_dir = dir.path();
  o.scale = 0;
  EXPECT_FALSE(synth::GenerateCity(o).ok());
}

// ---------------------------------------------------------------------------
// Name-only mentions (er_truth.jsonl) and hidden links (family "network").

// A generated UTF-8 CSV dataset: rows by column name, indexed by its key as
// truth files write it (key columns joined with '|').
struct CsvTable {
  std::map<std::string, size_t> column;
  std::vector<std::vector<std::string>> rows;
  std::map<std::string, size_t> by_key;
  const std::string& Get(size_t row, const std::string& col) const {
    return rows[row].at(column.at(col));
  }
  const std::vector<std::string>* Find(const std::string& key) const {
    auto it = by_key.find(key);
    return it == by_key.end() ? nullptr : &rows[it->second];
  }
  std::string Cell(const std::string& key, const std::string& col) const {
    const auto* r = Find(key);
    return r ? r->at(column.at(col)) : std::string();
  }
};

CsvTable LoadTable(const std::string& dir, const std::string& dataset) {
  CsvTable t;
  std::vector<std::vector<std::string>> all = ReadCsv(dir + "/" + dataset + ".csv");
  if (all.empty()) return t;
  for (size_t i = 0; i < all[0].size(); ++i) t.column[all[0][i]] = i;
  const DatasetDef* def = FindDataset(dataset);
  for (size_t r = 1; r < all.size(); ++r) {
    std::string key;
    for (size_t i = 0; def && i < def->key.size(); ++i) {
      key += (i ? "|" : "") + all[r].at(static_cast<size_t>(def->key[i]));
    }
    t.by_key[key] = t.rows.size();
    t.rows.push_back(std::move(all[r]));
  }
  return t;
}

std::vector<std::string> CodePoints(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

// A name as an exact comparison of names sees it: width folded, traditional
// → simplified, no spaces.
std::string Folded(const std::string& s) {
  std::string f = NormalizeForCompare(s), out;
  for (char c : f) {
    if (c != ' ') out += c;
  }
  return out;
}

double Ratio(const std::string& v) {
  return v.empty() ? 0 : v.back() == '%' ? std::stod(v) / 100 : std::stod(v);
}

// Every variant does what it says on names of the city's lists, and the
// traditional forms come back through OpenCC (what an importer normalises).
TEST(SynthVariantsTest, VariantsOnTheCitysNames) {
  synth::Rng rng(5, 5);
  std::set<std::string> seen;
  for (int i = 0; i < 3000; ++i) {
    std::string person = synth::PersonName(rng, i % 2 == 0, i % 7 == 0);
    std::string org = "阜新" + synth::TradeName(rng) + "建筑工程有限公司";
    for (const std::string& name : {person, org}) {
      std::string t = synth::TraditionalForm(name);
      EXPECT_EQ(ToSimplified(t), name) << t;
    }
  }
  auto apply = [&](synth::Variant v, bool org, const std::string& name) {
    std::string out;
    EXPECT_TRUE(synth::ApplyVariant(v, org, name, rng, &out)) << synth::VariantName(v) << name;
    return out;
  };
  EXPECT_EQ(apply(synth::Variant::kTraditional, false, "张伟"), "張偉");
  EXPECT_EQ(apply(synth::Variant::kFullwidth, false, "王伟"), "王\u3000伟");
  EXPECT_EQ(apply(synth::Variant::kFullwidth, true, "阜新鑫源建筑工程有限公司"),
            "阜新\u3000鑫源建筑工程有限公司");
  EXPECT_EQ(apply(synth::Variant::kSuffix, true, "阜新鑫源商贸有限责任公司"),
            "阜新鑫源商贸有限公司");
  std::string suffix = apply(synth::Variant::kSuffix, true, "阜新鑫源商贸有限公司");
  EXPECT_TRUE(suffix == "阜新鑫源商贸有限责任公司" || suffix == "阜新鑫源商贸") << suffix;
  std::string region = apply(synth::Variant::kRegion, true, "阜新鑫源建筑工程有限公司");
  EXPECT_NE(region.find("鑫源"), std::string::npos);
  EXPECT_NE(region, "阜新鑫源建筑工程有限公司");
  for (int i = 0; i < 50; ++i) {
    std::string h = apply(synth::Variant::kHomophone, false, "李丽华");
    EXPECT_EQ(h.substr(0, 3), "李") << h;  // the surname stays
    EXPECT_NE(h, "李丽华");
    std::string t = apply(synth::Variant::kTypo, true, "阜新鑫源建筑工程有限公司");
    EXPECT_EQ(t.substr(0, 6), "阜新") << t;  // only the trade name changes
    EXPECT_EQ(t.substr(12), "建筑工程有限公司") << t;
  }
  // Not applicable: suffix and region of a person, a homophone without a table entry.
  std::string out = "unchanged";
  EXPECT_FALSE(synth::ApplyVariant(synth::Variant::kSuffix, false, "王伟", rng, &out));
  EXPECT_FALSE(synth::ApplyVariant(synth::Variant::kHomophone, false, "王", rng, &out));
  EXPECT_EQ(out, "unchanged");
  // Variants an exact comparison sees through are never drawn when it must not.
  for (int i = 0; i < 200; ++i) {
    std::string v;
    synth::Variant k = synth::VaryName(true, "阜新鑫源建筑工程有限公司", rng, &v, true);
    EXPECT_NE(Folded(v), Folded("阜新鑫源建筑工程有限公司")) << synth::VariantName(k) << v;
  }
}

class SynthNetworkTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir();
    Generate(dir_->path(), 1, 7);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string File(const std::string& name) { return dir_->File(name); }
  static ScratchDir* dir_;
};
ScratchDir* SynthNetworkTest::dir_ = nullptr;

TEST_F(SynthNetworkTest, ErTruthListsNameOnlyMentionsWithTheirEntities) {
  std::vector<nlohmann::json> er = ReadJsonl(File("er_truth.jsonl"));
  ASSERT_GE(er.size(), 2000u);
  std::map<std::string, CsvTable> tables;
  for (const char* ds : {"persons", "companies", "payments", "bids", "reimbursements"}) {
    tables[ds] = LoadTable(dir_->path(), ds);
  }
  const CsvTable& persons = tables["persons"];
  const CsvTable& companies = tables["companies"];
  std::set<std::string> variants, kinds_resolvable;
  int unregistered = 0;
  for (const nlohmann::json& j : er) {
    std::string ds = j["dataset"], key = j["key"], col = j["column"], value = j["value"];
    std::string kind = j["kind"], entity = j["entity_key"], variant = j["variant"];
    variants.insert(variant);
    ASSERT_TRUE(tables.count(ds)) << j.dump();
    const CsvTable& t = tables[ds];
    ASSERT_NE(t.Find(key), nullptr) << j.dump();
    EXPECT_EQ(t.Cell(key, col), value) << j.dump();  // as written
    if (ds == "payments") {
      EXPECT_EQ(t.Cell(key, "payee_party"), "") << j.dump();
      if (kind == "org") {
        EXPECT_NE(t.Cell(key, "payee_account"), "") << j.dump();
      }
    }
    if (ds == "companies") {
      EXPECT_EQ(t.Cell(key, "legal_rep_id_number"), "") << j.dump();
    }
    if (entity.empty()) {
      ++unregistered;
      EXPECT_EQ(variant == "none" || ds == "reimbursements", true) << j.dump();
      continue;
    }
    std::string registered;
    if (kind == "person") {
      EXPECT_TRUE(NormalizeIdNumber(entity).ok()) << j.dump();
      ASSERT_NE(persons.Find(entity), nullptr) << j.dump();
      registered = persons.Cell(entity, "name");
    } else {
      ASSERT_EQ(kind, "org");
      EXPECT_TRUE(NormalizeCreditCode(entity).ok()) << j.dump();
      ASSERT_NE(companies.Find(entity), nullptr) << j.dump();
      registered = companies.Cell(entity, "name");
    }
    kinds_resolvable.insert(kind);
    // Each variant is what it claims to be.
    if (variant == "none") {
      EXPECT_EQ(value, registered) << j.dump();
    } else if (variant == "traditional" || variant == "fullwidth") {
      EXPECT_NE(value, registered) << j.dump();
      EXPECT_EQ(Folded(value), Folded(registered)) << j.dump();
    } else if (variant == "typo" || variant == "homophone") {
      std::vector<std::string> a = CodePoints(value), b = CodePoints(registered);
      ASSERT_EQ(a.size(), b.size()) << j.dump();
      int differ = 0;
      for (size_t i = 0; i < a.size(); ++i) differ += a[i] != b[i];
      EXPECT_EQ(differ, 1) << j.dump();
    } else {
      ASSERT_TRUE(variant == "suffix" || variant == "region") << j.dump();
      EXPECT_EQ(kind, "org") << j.dump();
      EXPECT_NE(Folded(value), Folded(registered)) << j.dump();
    }
  }
  for (const char* v :
       {"none", "traditional", "fullwidth", "suffix", "region", "typo", "homophone"}) {
    EXPECT_TRUE(variants.count(v)) << v;
  }
  EXPECT_EQ(kinds_resolvable.size(), 2u);
  EXPECT_GT(unregistered, 100);  // small shops and hotels of other cities
}

TEST_F(SynthNetworkTest, HiddenLinksArePlantedWithTheirPaths) {
  std::vector<nlohmann::json> truth = ReadJsonl(File("truth.jsonl"));
  std::vector<nlohmann::json> near = ReadJsonl(File("near_misses.jsonl"));
  std::map<std::string, CsvTable> t;
  for (const char* ds : {"persons", "companies", "shareholders", "payments", "tenders", "bids",
                         "welfare", "relatives", "enforcement"}) {
    t[ds] = LoadTable(dir_->path(), ds);
  }
  auto phone = [&](const std::string& id) { return t["persons"].Cell(id, "phone"); };
  auto household = [&](const std::string& id) { return t["persons"].Cell(id, "household_id"); };
  auto declared = [&](const std::string& official, const std::string& person) {
    return t["relatives"].Find(official + "|" + person) != nullptr;
  };
  // Holders of a company: its legal rep (if named with an ID) and shareholders with ratios.
  auto holders = [&](const std::string& code) {
    std::vector<std::pair<std::string, double>> out;
    std::string rep = t["companies"].Cell(code, "legal_rep_id_number");
    if (!rep.empty()) out.push_back({rep, 1.0});
    const CsvTable& sh = t["shareholders"];
    for (size_t r = 0; r < sh.rows.size(); ++r) {
      if (sh.Get(r, "credit_code") == code)
        out.push_back({sh.Get(r, "holder_party"), Ratio(sh.Get(r, "share_ratio"))});
    }
    return out;
  };
  std::map<std::string, int> shapes;
  for (const nlohmann::json& j : truth) {
    if (j["family"] != "network") continue;
    std::string kind = j["kind"], shape = j["shape"];
    ++shapes[kind + ":" + shape];
    std::vector<std::pair<std::string, std::string>> keys;
    for (const auto& k : j["keys"]) keys.emplace_back(k["dataset"], k["key"]);
    auto first = [&](const std::string& ds) {
      for (const auto& [d, k] : keys) {
        if (d == ds) return k;
      }
      return std::string();
    };
    for (const auto& [d, k] : keys) {
      if (d != "officials") {
        EXPECT_TRUE(t[d].Find(k)) << d << " " << k << " " << j.dump();
      }
    }
    if (kind == "leader_indirect_link") {
      std::string official = first("officials").substr(0, 18);
      std::string company = first("companies");
      ASSERT_FALSE(official.empty() || company.empty()) << j.dump();
      // Paid by the leader's organisation or won its tender (the winning bid follows).
      ASSERT_TRUE(keys[0].first == "payments" || keys[0].first == "tenders") << j.dump();
      if (keys[0].first == "payments") {
        for (const auto& [d, k] : keys) {
          if (d != "payments") continue;
          std::string party = t["payments"].Cell(k, "payee_party");
          if (shape == "name_only_payee") {
            EXPECT_EQ(party, "") << j.dump();
            EXPECT_NE(Folded(t["payments"].Cell(k, "payee_name")),
                      Folded(t["companies"].Cell(company, "name")))
                << j.dump();
          } else {
            EXPECT_EQ(party, company) << j.dump();
          }
        }
      } else {
        ASSERT_EQ(keys[1].first, "bids") << j.dump();
        EXPECT_EQ(keys[1].second, keys[0].second + "|" + company);
        EXPECT_EQ(t["tenders"].Cell(keys[0].second, "winner_credit_code"), company);
      }
      // No direct link: neither the leader nor a declared relative holds the company.
      bool direct = false, found = false;
      for (const auto& [holder, ratio] : holders(company)) {
        direct = direct || holder == official || declared(official, holder);
        if (shape == "undeclared_household") {
          found = found || (household(holder) == household(official) && holder != official);
        } else if (shape == "name_only_payee") {
          found = found || declared(official, holder);
        } else if (shape == "holding_chain" && ratio >= 0.3) {
          for (const auto& [h2, r2] : holders(holder)) found = found || declared(official, h2);
        }
      }
      if (shape == "shared_phone") {
        std::string p = t["companies"].Cell(company, "phone");
        const CsvTable& rel = t["relatives"];
        for (size_t r = 0; r < rel.rows.size(); ++r) {
          found = found || (rel.Get(r, "official_id_number") == official &&
                            phone(rel.Get(r, "relative_id_number")) == p);
        }
      }
      EXPECT_EQ(direct, shape == "name_only_payee") << j.dump();  // there: only by name
      EXPECT_TRUE(found) << j.dump();
    } else if (kind == "linked_bidders") {
      ASSERT_EQ(keys.size(), 3u);
      ASSERT_EQ(keys[0].first, "tenders");
      std::string a = keys[1].second.substr(keys[1].second.find('|') + 1);
      std::string b = keys[2].second.substr(keys[2].second.find('|') + 1);
      EXPECT_EQ(keys[1].second.substr(0, keys[1].second.find('|')), keys[0].second);
      EXPECT_EQ(keys[2].second.substr(0, keys[2].second.find('|')), keys[0].second);
      bool found = false;
      for (const auto& [ha, ra] : holders(a)) {
        for (const auto& [hb, rb] : holders(b)) {
          if (shape == "common_shareholder") found = found || ha == hb;
          if (shape == "reps_same_household")
            found = found || (ha != hb && household(ha) == household(hb) && !household(ha).empty());
        }
        if (shape == "cross_holding") found = found || (ha == b && ra >= 0.3);
      }
      for (const auto& [hb, rb] : holders(b)) {
        if (shape == "cross_holding") found = found || (hb == a && rb >= 0.3);
      }
      EXPECT_TRUE(found) << j.dump();
      for (const char* col : {"ip_address", "mac_address", "machine_code", "contact_phone",
                              "contact_person", "deposit_account"}) {
        EXPECT_NE(t["bids"].Cell(keys[1].second, col), t["bids"].Cell(keys[2].second, col))
            << col << " " << j.dump();
      }
    } else if (kind == "handler_linked_beneficiary") {
      ASSERT_EQ(keys[0].first, "welfare");
      const CsvTable& wf = t["welfare"];
      std::string ben = wf.Cell(keys[0].second, "beneficiary_id_number");
      std::string handler = wf.Cell(keys[0].second, "handler_id_number");
      ASSERT_FALSE(handler.empty());
      EXPECT_FALSE(declared(handler, ben) || declared(ben, handler)) << j.dump();
      EXPECT_NE(household(ben), household(handler)) << j.dump();
      bool found = false;
      if (shape == "shared_phone") {
        found = !phone(ben).empty() && phone(ben) == phone(handler);
      } else if (shape == "shared_account") {
        const CsvTable& pay = t["payments"];
        std::string account = wf.Cell(keys[0].second, "bank_account");
        for (size_t r = 0; r < pay.rows.size() && !found; ++r) {
          found = pay.Get(r, "payee_party") == handler && pay.Get(r, "payee_account") == account;
        }
      } else {
        const CsvTable& rel = t["relatives"];
        for (size_t r = 0; r < rel.rows.size(); ++r) {
          found = found || (rel.Get(r, "official_id_number") == handler &&
                            household(rel.Get(r, "relative_id_number")) == household(ben));
        }
      }
      EXPECT_TRUE(found) << j.dump();
    } else if (kind == "inspector_linked_target") {
      ASSERT_EQ(keys[0].first, "enforcement");
      std::string target = t["enforcement"].Cell(keys[0].second, "target_party");
      std::string inspectors = t["enforcement"].Cell(keys[0].second, "inspector_id_numbers");
      std::vector<std::string> ids = {inspectors.substr(0, 18), inspectors.substr(19)};
      bool direct = false, found = false;
      for (const auto& [holder, ratio] : holders(target)) {
        for (const std::string& i : ids) {
          direct =
              direct || holder == i || household(holder) == household(i) || declared(i, holder);
          if (shape == "holding_chain" && ratio >= 0.3) {
            for (const auto& [h2, r2] : holders(holder)) {
              found = found || household(h2) == household(i);
            }
          }
        }
      }
      for (const std::string& i : ids) {
        if (shape == "shared_phone") {
          found = found || t["companies"].Cell(target, "phone") == phone(i);
        }
      }
      EXPECT_FALSE(direct) << j.dump();
      EXPECT_TRUE(found) << j.dump();
    }
  }
  for (const char* s :
       {"leader_indirect_link:holding_chain", "leader_indirect_link:undeclared_household",
        "leader_indirect_link:shared_phone", "leader_indirect_link:name_only_payee",
        "linked_bidders:common_shareholder", "linked_bidders:cross_holding",
        "linked_bidders:reps_same_household", "handler_linked_beneficiary:shared_phone",
        "handler_linked_beneficiary:shared_account",
        "handler_linked_beneficiary:via_relative_household",
        "inspector_linked_target:holding_chain", "inspector_linked_target:shared_phone"}) {
    EXPECT_GE(shapes[s], 3) << s;
  }
  std::set<std::string> near_shapes;
  for (const nlohmann::json& j : near) {
    near_shapes.insert(j["kind"].get<std::string>() + ":" + j["shape"].get<std::string>());
  }
  for (const char* s :
       {"leader_indirect_link:holding_chain_5_percent", "linked_bidders:cross_holding_5_percent",
        "handler_linked_beneficiary:phone_of_another_official",
        "inspector_linked_target:holding_chain_5_percent"}) {
    EXPECT_TRUE(near_shapes.count(s)) << s;
  }
}

// Phones and addresses are unique (households, companies) except where a
// plant shares a phone, and honest bidders of a tender are never linked by
// ownership or family.
TEST_F(SynthNetworkTest, NoAccidentalLinks) {
  CsvTable persons = LoadTable(dir_->path(), "persons");
  CsvTable companies = LoadTable(dir_->path(), "companies");
  std::map<std::string, int> phones;
  for (size_t r = 0; r < persons.rows.size(); ++r) {
    const std::string& p = persons.Get(r, "phone");
    if (!p.empty()) ++phones[p];
  }
  int shared_person_phones = 0;
  for (const auto& [p, n] : phones) shared_person_phones += n - 1;
  std::map<std::string, int> company_phones;
  int company_person_phones = 0;
  for (size_t r = 0; r < companies.rows.size(); ++r) {
    const std::string& p = companies.Get(r, "phone");
    EXPECT_EQ(++company_phones[p], 1) << p;
    company_person_phones += phones.count(p) ? 1 : 0;
  }
  // Addresses: a household's own (its members share it), a company's own.
  std::map<std::string, std::string> household_of_address;
  for (size_t r = 0; r < persons.rows.size(); ++r) {
    auto [it, fresh] =
        household_of_address.emplace(persons.Get(r, "address"), persons.Get(r, "household_id"));
    EXPECT_EQ(it->second, persons.Get(r, "household_id")) << it->first;
  }
  std::set<std::string> company_addresses;
  for (size_t r = 0; r < companies.rows.size(); ++r) {
    const std::string& a = companies.Get(r, "address");
    EXPECT_TRUE(company_addresses.insert(a).second) << a;
    EXPECT_FALSE(household_of_address.count(a)) << a;
  }
  std::map<std::string, int> plants;
  std::set<std::string> linked_tenders;
  for (const char* file : {"truth.jsonl", "near_misses.jsonl"}) {
    for (const nlohmann::json& j : ReadJsonl(File(file))) {
      ++plants[j["kind"].get<std::string>() + ":" + j["shape"].get<std::string>()];
      if (j["kind"] == "linked_bidders") linked_tenders.insert(j["keys"][0]["key"]);
    }
  }
  EXPECT_EQ(shared_person_phones,
            plants["handler_linked_beneficiary:shared_phone"] +
                plants["handler_linked_beneficiary:phone_of_another_official"]);
  EXPECT_EQ(company_person_phones, plants["leader_indirect_link:shared_phone"] +
                                       plants["inspector_linked_target:shared_phone"]);
  // Holders per company, legal reps' households.
  std::map<std::string, std::set<std::string>> holders;
  for (const auto& r : ReadCsv(File("shareholders.csv"))) {
    if (r.size() > 1 && r[0] != "credit_code") holders[r[0]].insert(r[1]);
  }
  std::map<std::string, std::vector<std::string>> bidders;
  for (const auto& r : ReadCsv(File("bids.csv"))) {
    if (r.size() > 1 && r[0] != "tender_id") bidders[r[0]].push_back(r[1]);
  }
  auto rep_household = [&](const std::string& code) {
    std::string rep = companies.Cell(code, "legal_rep_id_number");
    return rep.empty() ? std::string() : persons.Cell(rep, "household_id");
  };
  int pairs = 0;
  for (const auto& [tender, codes] : bidders) {
    if (linked_tenders.count(tender)) continue;
    for (size_t i = 0; i < codes.size(); ++i) {
      for (size_t k = i + 1; k < codes.size(); ++k) {
        const std::string &a = codes[i], &b = codes[k];
        bool common = false;
        for (const std::string& h : holders[a]) common = common || holders[b].count(h);
        EXPECT_FALSE(common) << tender << " " << a << " " << b;
        EXPECT_FALSE(holders[a].count(b) || holders[b].count(a)) << tender << " " << a << " " << b;
        std::string ha = rep_household(a), hb = rep_household(b);
        EXPECT_FALSE(!ha.empty() && ha == hb) << tender << " " << a << " " << b;
        ++pairs;
      }
    }
  }
  EXPECT_GT(pairs, 1000);
}

}  // namespace
}  // namespace qf
