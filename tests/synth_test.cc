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
  EXPECT_EQ(files, static_cast<int>(AllDatasets().size()) + 2);
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
  for (const synth::AnomalyKind& k : synth::AnomalyKinds()) {
    std::string kind(k.kind);
    if (kind == "leader_holds_company" || kind == "bidders_share_attribute") {
      EXPECT_GE(count[kind], want) << kind;  // more by design
    } else {
      EXPECT_EQ(count[kind], want) << kind;
    }
  }

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

}  // namespace
}  // namespace qf
