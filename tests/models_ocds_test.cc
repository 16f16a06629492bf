// OCDS red flags against the Open Contracting Partnership's Cardinal: every
// fixture under tests/data/ocds_cardinal holds Cardinal's own output on the
// same compiled releases (see its README.md), and our results must equal it
// result by result: same groups, identifiers, indicators and values, and the
// same quartiles and fences.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "engine/model.h"
#include "engine/runner.h"
#include "engine/snapshot.h"
#include "ingest/importer.h"
#include "ingest/ocds_reader.h"
#include "models/ocds.h"
#include "store/store.h"
#include "test_util.h"

namespace qf {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using models::CardinalGroup;
using models::CardinalMeta;
using models::CardinalSettings;
using models::ComputeCardinalIndicators;
using models::OcdsFlag;
using qf::testing::ScratchDir;
using qf::testing::SourceDir;

std::string FixtureDir() { return SourceDir() + "/tests/data/ocds_cardinal"; }
std::string RealDir() { return SourceDir() + "/../shared/ocds-real"; }

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<json> ReadLines(const std::string& path) {
  std::vector<json> out;
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(json::parse(line));
  }
  return out;
}

// Cardinal's output as (group, id, indicator) → value; null stands for a non-finite value.
using Results = std::map<std::tuple<std::string, std::string, std::string>, json>;

Results FromCardinal(const json& results) {
  Results out;
  for (const auto& [group, ids] : results.items()) {
    for (const auto& [id, indicators] : ids.items()) {
      for (const auto& [indicator, value] : indicators.items()) {
        out[{group, id, indicator}] = value;
      }
    }
  }
  return out;
}

Results FromOurs(const std::vector<OcdsFlag>& flags) {
  Results out;
  for (const OcdsFlag& f : flags) {
    out[{models::CardinalGroupName(f.group), f.id, f.indicator}] =
        std::isfinite(f.value) ? json(f.value) : json(nullptr);
  }
  return out;
}

std::string Describe(const Results& r) {
  std::string s;
  for (const auto& [k, v] : r) {
    s += "  " + std::get<0>(k) + " " + std::get<1>(k) + " " + std::get<2>(k) + " = " + v.dump() +
         "\n";
  }
  return s;
}

// Equal results; values compared exactly (they are computed the same way).
void ExpectSameResults(const Results& cardinal, const Results& ours, const std::string& what) {
  Results missing, extra;
  for (const auto& [k, v] : cardinal) {
    auto it = ours.find(k);
    if (it == ours.end()) {
      missing[k] = v;
    } else if (v.is_null() != it->second.is_null() ||
               (!v.is_null() && v.get<double>() != it->second.get<double>())) {
      ADD_FAILURE() << what << ": " << std::get<0>(k) << " " << std::get<1>(k) << " "
                    << std::get<2>(k) << " is " << it->second.dump() << ", Cardinal says "
                    << v.dump();
    }
  }
  for (const auto& [k, v] : ours) {
    if (!cardinal.count(k)) extra[k] = v;
  }
  EXPECT_TRUE(missing.empty()) << what << ": Cardinal flags what we do not:\n" << Describe(missing);
  EXPECT_TRUE(extra.empty()) << what << ": we flag what Cardinal does not:\n" << Describe(extra);
}

void ExpectSameMeta(const json& cardinal, const CardinalMeta& ours, const std::string& what) {
  for (const auto& [indicator, values] : cardinal.items()) {
    auto it = ours.find(indicator);
    ASSERT_NE(it, ours.end()) << what << ": no meta for " << indicator;
    for (const auto& [key, v] : values.items()) {
      auto m = it->second.find(key);
      ASSERT_NE(m, it->second.end()) << what << ": no meta " << indicator << "." << key;
      if (v.is_string()) {  // "NaN", "inf", "-inf"
        EXPECT_FALSE(std::isfinite(m->second)) << what << " " << indicator << "." << key;
        EXPECT_EQ(std::isnan(m->second), v.get<std::string>() == "NaN") << what;
      } else {
        EXPECT_EQ(m->second, v.get<double>()) << what << " " << indicator << "." << key;
      }
    }
    EXPECT_EQ(it->second.size(), values.size()) << what << ": meta keys of " << indicator;
  }
  EXPECT_EQ(ours.size(), cardinal.size()) << what << ": meta indicators";
}

// The compiled releases the OCDS reader makes of a file, in the order it hands them out.
std::vector<json> CompiledOf(const std::string& path) {
  std::vector<json> out;
  auto reader = OcdsReader::Open(path);
  if (!reader.ok()) return out;
  reader.value()->KeepCompiledReleases(true);
  Record rec;
  std::vector<OcdsReader::Compiled> compiled;
  for (;;) {
    auto got = reader.value()->Next(&rec);
    EXPECT_TRUE(got.ok()) << path << ": " << got.status().ToString();
    if (!got.ok() || !got.value()) break;
  }
  reader.value()->TakeCompiled(&compiled);
  for (const auto& c : compiled) out.push_back(json::parse(c.json));
  return out;
}

std::vector<json> StoredReleases(Store* store) {
  std::vector<json> out;
  auto st = store->db()->Prepare("SELECT compiled FROM ocds_releases ORDER BY rowid");
  EXPECT_TRUE(st.ok());
  while (st->Step().value()) out.push_back(json::parse(st->Text(0)));
  return out;
}

const std::vector<std::string> kCrafted = {"mixed", "dates", "r024_r058", "r025", "r038", "r048"};

// ---------------------------------------------------------------------------
// Cardinal's output, reproduced.

TEST(OcdsCardinal, CraftedSetsMatchCardinal) {
  for (const std::string& name : kCrafted) {
    std::vector<json> releases = ReadLines(FixtureDir() + "/crafted/" + name + ".jsonl");
    json expected = json::parse(ReadText(FixtureDir() + "/crafted/" + name + ".expected.json"));
    ASSERT_FALSE(releases.empty()) << name;
    CardinalMeta meta;
    std::vector<OcdsFlag> flags = ComputeCardinalIndicators(releases, CardinalSettings(), &meta);
    ExpectSameResults(FromCardinal(expected["results"]), FromOurs(flags), name);
    ExpectSameMeta(expected["meta"], meta, name);
  }
}

TEST(OcdsCardinal, CraftedSetsFireEveryIndicator) {
  std::set<std::string> fired;
  for (const std::string& name : kCrafted) {
    json expected = json::parse(ReadText(FixtureDir() + "/crafted/" + name + ".expected.json"));
    for (const auto& [k, v] : FromCardinal(expected["results"])) fired.insert(std::get<2>(k));
  }
  for (const char* code :
       {"R003", "R018", "R024", "R025", "R028", "R030", "R035", "R036", "R038", "R048", "R058"}) {
    EXPECT_TRUE(fired.count(code)) << code << " never fires in the crafted sets";
  }
}

// Every real sample, file by file: the compiled releases our reader makes of it.
TEST(OcdsCardinal, EveryRealFileMatchesCardinal) {
  ASSERT_TRUE(fs::is_directory(RealDir())) << RealDir();
  std::set<std::string> covered;
  int flagged = 0;
  std::ifstream in(FixtureDir() + "/real_files.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    json e = json::parse(line);
    const std::string file = e["file"];
    covered.insert(file);
    std::vector<json> releases = CompiledOf(RealDir() + "/" + file);
    EXPECT_EQ(releases.size(), e["releases"].get<size_t>()) << file;
    std::vector<OcdsFlag> flags = ComputeCardinalIndicators(releases, CardinalSettings());
    ExpectSameResults(FromCardinal(e["results"]), FromOurs(flags), file);
    flagged += flags.empty() ? 0 : 1;
  }
  EXPECT_GT(flagged, 50);
  for (const auto& entry : fs::recursive_directory_iterator(RealDir())) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".json" && ext != ".jsonl")) continue;
    EXPECT_TRUE(covered.count(fs::relative(entry.path(), RealDir()).string()))
        << entry.path() << " has no Cardinal output in real_files.jsonl";
  }
}

// Each folder of real samples imported file by file into one store (a re-imported ocid
// replaces its compiled release): the table read as the models read it.
TEST(OcdsCardinal, RealFoldersImportedMatchCardinal) {
  std::ifstream in(FixtureDir() + "/real_stores.jsonl");
  std::string line;
  int folders = 0;
  while (std::getline(in, line)) {
    json e = json::parse(line);
    const std::string dir = e["dir"];
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(RealDir() + "/" + dir)) {
      const std::string ext = entry.path().extension().string();
      if (entry.is_regular_file() && (ext == ".json" || ext == ".jsonl")) {
        files.push_back(entry.path().string());
      }
    }
    std::sort(files.begin(), files.end());
    ScratchDir scratch;
    auto store = Store::Open(scratch.File("t.db"));
    ASSERT_TRUE(store.ok());
    Importer imp(store.value().get());
    for (const std::string& f : files) (void)imp.ImportFile("ocds", f, {});
    std::vector<json> releases = StoredReleases(store.value().get());
    EXPECT_EQ(releases.size(), e["releases"].get<size_t>()) << dir;
    CardinalMeta meta;
    std::vector<OcdsFlag> flags = ComputeCardinalIndicators(releases, CardinalSettings(), &meta);
    ExpectSameResults(FromCardinal(e["results"]), FromOurs(flags), dir);
    ExpectSameMeta(e["meta"], meta, dir);
    ++folders;
  }
  EXPECT_EQ(folders, 30);
}

// ---------------------------------------------------------------------------
// The models: import → ocds_releases → findings.

TEST(OcdsModels, FindingsAreCardinalsFlags) {
  const std::map<std::string, std::string> kModels = {
      {"ocds_R003", "R003"}, {"ocds_R018", "R018"}, {"ocds_R024", "R024"}, {"ocds_R025", "R025"},
      {"ocds_R028", "R028"}, {"ocds_R030", "R030"}, {"ocds_R035", "R035"}, {"ocds_R036", "R036"},
      {"ocds_R038", "R038"}, {"ocds_R048", "R048"}, {"ocds_R058", "R058"}};
  std::vector<const engine::Model*> models;
  for (const auto& [id, code] : kModels) {
    const engine::Model* m = engine::FindBuiltinModel(id);
    ASSERT_NE(m, nullptr) << id;
    EXPECT_EQ(m->info().family, "ocds");
    EXPECT_FALSE(m->info().basis.empty());
    EXPECT_TRUE(m->info().inputs.empty()) << id << " reads the store, not the snapshot";
    models.push_back(m);
  }
  for (const std::string& name : kCrafted) {
    ScratchDir scratch;
    auto store = Store::Open(scratch.File("t.db"));
    ASSERT_TRUE(store.ok());
    Importer imp(store.value().get());
    ASSERT_TRUE(imp.ImportFile("ocds", FixtureDir() + "/crafted/" + name + ".jsonl", {}).ok());
    json expected = json::parse(ReadText(FixtureDir() + "/crafted/" + name + ".expected.json"));
    // What each model must report: process flags by ocid, organisation flags of
    // R025/R038/R048 by group and id.
    std::set<std::pair<std::string, std::string>> want;
    for (const auto& [k, v] : FromCardinal(expected["results"])) {
      const auto& [group, id, indicator] = k;
      if (group == "OCID") {
        want.insert({indicator, id});
      } else if (indicator == "R025" || indicator == "R038" || indicator == "R048") {
        want.insert({indicator, group + "|" + id});
      }
    }
    auto snap = engine::Snapshot::Load(store.value()->db(), engine::InputsOf(models));
    ASSERT_TRUE(snap.ok());
    auto runs = engine::RunModels(*snap.value(), models, engine::Settings(), nullptr,
                                  store.value()->db_path());
    std::set<std::pair<std::string, std::string>> got;
    for (const engine::ModelRun& run : runs) {
      ASSERT_TRUE(run.status.ok()) << run.status.ToString();
      const std::string code = kModels.at(run.model->info().id);
      for (const engine::Finding& f : run.findings) {
        got.insert({code, f.identity});
        EXPECT_FALSE(f.summary.empty());
        EXPECT_FALSE(f.evidence.empty());
        EXPECT_GE(f.score, 0);
        EXPECT_LE(f.score, 100);
        if (f.subject.dataset == "tenders") {
          EXPECT_EQ(f.subject.key, f.identity);
          EXPECT_EQ(f.evidence[0].key, f.identity);
          EXPECT_EQ(f.evidence[0].dataset, "ocds_releases");
        } else {
          EXPECT_EQ(f.subject.dataset, "ocds_parties");
        }
      }
    }
    EXPECT_EQ(got, want) << name;
  }
}

TEST(OcdsModels, SummariesNameTheFacts) {
  std::vector<json> releases = ReadLines(FixtureDir() + "/crafted/r024_r058.jsonl");
  std::vector<OcdsFlag> flags = ComputeCardinalIndicators(releases, CardinalSettings());
  bool r024 = false, r058 = false;
  for (const OcdsFlag& f : flags) {
    if (f.group != CardinalGroup::kOcid) continue;
    EXPECT_NE(f.summary.find(f.id), std::string::npos) << f.summary;
    if (f.indicator == "R024") {
      r024 = true;
      EXPECT_NE(f.summary.find("次低有效报价"), std::string::npos) << f.summary;
      EXPECT_NE(f.summary.find("下围栏"), std::string::npos) << f.summary;
    }
    if (f.indicator == "R058") {
      r058 = true;
      EXPECT_NE(f.summary.find("上围栏"), std::string::npos) << f.summary;
    }
  }
  EXPECT_TRUE(r024 && r058);
}

TEST(OcdsModels, ParametersChangeTheirIndicatorOnly) {
  ScratchDir scratch;
  auto store = Store::Open(scratch.File("t.db"));
  ASSERT_TRUE(store.ok());
  Importer imp(store.value().get());
  ASSERT_TRUE(imp.ImportFile("ocds", FixtureDir() + "/crafted/mixed.jsonl", {}).ok());
  const engine::Model* r003 = engine::FindBuiltinModel("ocds_R003");
  const engine::Model* r018 = engine::FindBuiltinModel("ocds_R018");
  ASSERT_TRUE(r003 && r018);
  auto snap = engine::Snapshot::Load(store.value()->db(), {});
  ASSERT_TRUE(snap.ok());
  auto count = [&](const std::string& settings_json) {
    auto settings = engine::Settings::Parse(settings_json, "test");
    EXPECT_TRUE(settings.ok());
    auto runs = engine::RunModels(*snap.value(), {r003, r018}, settings.value(), nullptr,
                                  store.value()->db_path());
    EXPECT_TRUE(runs[0].status.ok() && runs[1].status.ok());
    return std::make_pair(runs[0].findings.size(), runs[1].findings.size());
  };
  auto base = count("{}");
  auto shorter = count(R"({"models": {"ocds_R003": {"threshold": 2}}})");
  EXPECT_LT(shorter.first, base.first);
  EXPECT_EQ(shorter.second, base.second);
  auto all_methods = count(R"({"models": {"ocds_R018": {"procurement_methods": ""}}})");
  EXPECT_GE(all_methods.second, base.second);
  auto bad = engine::Settings::Parse(R"({"models": {"ocds_R024": {"threshold": "x"}}})", "t");
  ASSERT_TRUE(bad.ok());
  auto runs = engine::RunModels(*snap.value(), {engine::FindBuiltinModel("ocds_R024")}, bad.value(),
                                nullptr, store.value()->db_path());
  EXPECT_FALSE(runs[0].status.ok());
}

TEST(OcdsModels, WithoutAStoreTheyFindNothing) {
  engine::Snapshot* none = nullptr;
  (void)none;
  ScratchDir scratch;
  auto store = Store::Open(scratch.File("t.db"));
  ASSERT_TRUE(store.ok());
  auto snap = engine::Snapshot::Load(store.value()->db(), {});
  ASSERT_TRUE(snap.ok());
  auto runs = engine::RunModels(*snap.value(), {engine::FindBuiltinModel("ocds_R003")},
                                engine::Settings(), nullptr, "");
  EXPECT_TRUE(runs[0].status.ok());
  EXPECT_TRUE(runs[0].findings.empty());
}

// ---------------------------------------------------------------------------
// Storage of compiled releases.

TEST(OcdsStore, CompiledReleaseKeptEvenWhenRowsAreQuarantined) {
  ScratchDir scratch;
  auto store = Store::Open(scratch.File("t.db"));
  ASSERT_TRUE(store.ok());
  Db* db = store.value()->db();
  // procurementMethod "Cerere" is no method the tenders dataset accepts.
  std::string a = scratch.Write(
      "a.json", R"({"ocid":"ocds-x-1","id":"1","date":"2024-01-01T00:00:00Z","tender":{
        "id":"t","procurementMethod":"Cerere","tenderPeriod":{"startDate":"2024-01-01T00:00:00Z",
        "endDate":"2024-01-03T00:00:00Z"}}})");
  Importer imp(store.value().get());
  auto r1 = imp.ImportFile("ocds", a, {});
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  EXPECT_EQ(r1.value()[0].quarantined, 1);
  EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM ocds_releases").value(), 1);
  EXPECT_EQ(db->QueryInt("SELECT import_id FROM ocds_releases").value(), r1.value()[0].import_id);
  std::vector<json> stored = StoredReleases(store.value().get());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0]["tender"]["procurementMethod"], "Cerere");
  std::vector<OcdsFlag> flags = ComputeCardinalIndicators(stored, CardinalSettings());
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].indicator, "R003");

  // Another process, then the first one again with a longer period: replaced in place.
  std::string b = scratch.Write("b.json", R"({"ocid":"ocds-x-2","id":"1","tender":{"id":"t"}})");
  ASSERT_TRUE(imp.ImportFile("ocds", b, {}).ok());
  std::string a2 = scratch.Write(
      "a2.json", R"({"ocid":"ocds-x-1","id":"2","date":"2024-02-01T00:00:00Z","tender":{
        "id":"t","procurementMethod":"open","tenderPeriod":{"startDate":"2024-01-01T00:00:00Z",
        "endDate":"2024-01-30T00:00:00Z"}}})");
  auto r3 = imp.ImportFile("ocds", a2, {});
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM ocds_releases").value(), 2);
  EXPECT_EQ(db->QueryInt("SELECT import_id FROM ocds_releases WHERE ocid = 'ocds-x-1'").value(),
            r3.value()[0].import_id);
  stored = StoredReleases(store.value().get());
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0]["ocid"], "ocds-x-1");  // keeps its place
  EXPECT_EQ(stored[0]["tender"]["procurementMethod"], "open");
  EXPECT_TRUE(ComputeCardinalIndicators(stored, CardinalSettings()).empty());
}

TEST(OcdsStore, ReleasesOfOneProcessInOneFileAreCompiled) {
  ScratchDir scratch;
  auto store = Store::Open(scratch.File("t.db"));
  ASSERT_TRUE(store.ok());
  std::string f = scratch.Write("p.json", R"({"releases":[
    {"ocid":"ocds-y-1","id":"2","date":"2024-03-01T00:00:00Z","tag":["award"],
     "awards":[{"id":"a","status":"active","suppliers":[{"id":"S"}]}]},
    {"ocid":"ocds-y-1","id":"1","date":"2024-01-01T00:00:00Z","tag":["tender"],
     "tender":{"id":"t","procurementMethod":"open","numberOfTenderers":1}}]})");
  Importer imp(store.value().get());
  ASSERT_TRUE(imp.ImportFile("ocds", f, {}).ok());
  std::vector<json> stored = StoredReleases(store.value().get());
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0]["id"], "2");  // the later release's values win
  EXPECT_EQ(stored[0]["tender"]["numberOfTenderers"], 1);
  EXPECT_EQ(stored[0]["awards"][0]["suppliers"][0]["id"], "S");
  std::vector<OcdsFlag> flags = ComputeCardinalIndicators(stored, CardinalSettings());
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].indicator, "R018");
}

// ---------------------------------------------------------------------------
// The pieces, at their edges.

TEST(OcdsCardinal, QuantileIsStatrsR8) {
  EXPECT_TRUE(std::isnan(models::CardinalQuantile({}, 0.25)));
  EXPECT_EQ(models::CardinalQuantile({5}, 0.25), 5);
  EXPECT_EQ(models::CardinalQuantile({5}, 0.75), 5);
  // R's quantile(1:4, type = 8): 1.416667 and 3.583333.
  EXPECT_NEAR(models::CardinalQuantile({4, 2, 3, 1}, 0.25), 1 + 5.0 / 12, 1e-12);
  EXPECT_NEAR(models::CardinalQuantile({4, 2, 3, 1}, 0.75), 3 + 7.0 / 12, 1e-12);
  EXPECT_EQ(models::CardinalQuantile({1, 2}, 0.0), 1);
  EXPECT_EQ(models::CardinalQuantile({1, 2}, 1.0), 2);
}

TEST(OcdsCardinal, DaysAreChronosRfc3339) {
  using models::CardinalDaysBetween;
  EXPECT_EQ(CardinalDaysBetween("2024-01-01T00:00:00Z", "2024-01-16T00:00:00Z"), 15);
  EXPECT_EQ(CardinalDaysBetween("2024-01-01T00:00:00Z", "2024-01-15T23:59:59.999Z"), 14);
  EXPECT_EQ(CardinalDaysBetween("2024-01-01T00:00:00+08:00", "2024-01-01T23:00:00-05:00"), 1);
  EXPECT_EQ(CardinalDaysBetween("2024-01-02T12:00:00Z", "2024-01-01T00:00:01Z"), -1);
  EXPECT_EQ(CardinalDaysBetween("2024-01-02T00:00:00Z", "2024-01-01T00:00:01Z"), 0);  // toward 0
  EXPECT_EQ(CardinalDaysBetween("2024-01-01 00:00:00Z", "2024-01-03t00:00:00z"), 2);
  EXPECT_EQ(CardinalDaysBetween("2024-01-01T00:00:00\xE2\x88\x92"
                                "05:00",
                                "2024-01-03T05:00:00Z"),
            2);
  EXPECT_EQ(CardinalDaysBetween("2024-02-28T23:59:60Z", "2024-03-01T00:00:00Z"), 1);
  EXPECT_EQ(CardinalDaysBetween("2024-01-01T00:00:00.1234567891234Z", "2024-01-02T00:00:00Z"), 0);
  for (const char* bad :
       {"2024-01-01", "2024-01-01T00:00:00", "2024-01-01T00:00:00+0800", "2024-01-01T00:00Z",
        "2024-02-30T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T00:00:00+24:00",
        "2024-01-01T00:00:00.Z", "24-01-01T00:00:00Z", "2024-01-01T00:00:00Z ",
        "2024-01-01T00:00:00UTC"}) {
    EXPECT_FALSE(CardinalDaysBetween(bad, "2024-02-01T00:00:00Z")) << bad;
  }
}

json Release(const std::string& ocid, const std::string& start, const std::string& end) {
  return json{{"ocid", ocid},
              {"tender",
               {{"procurementMethod", "open"},
                {"tenderPeriod", {{"startDate", start}, {"endDate", end}}}}}};
}

TEST(OcdsCardinal, R003AtTheThreshold) {
  std::vector<json> rs = {Release("a", "2024-01-01T00:00:00Z", "2024-01-16T00:00:00Z"),
                          Release("b", "2024-01-01T00:00:00Z", "2024-01-15T23:59:59Z"),
                          Release("c", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z")};
  rs[2]["tender"]["status"] = "cancelled";  // skipped everywhere
  std::vector<OcdsFlag> flags = ComputeCardinalIndicators(rs, CardinalSettings());
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].id, "b");
  EXPECT_NE(flags[0].summary.find("14个整天"), std::string::npos) << flags[0].summary;

  CardinalSettings s;
  s.r003_procurement_method_details["emergency"] = 5;
  rs[1]["tender"]["procurementMethodDetails"] = "emergency";
  EXPECT_TRUE(ComputeCardinalIndicators(rs, s).empty());
  s.exclude_procurement_method_details = {"emergency"};
  s.r003_threshold = 20;
  flags = ComputeCardinalIndicators(rs, s);
  ASSERT_EQ(flags.size(), 1u);
  EXPECT_EQ(flags[0].id, "a");
}

TEST(OcdsCardinal, PrepareMakesIdsStringsAndObjectsLists) {
  json r = json::parse(R"({"ocid":"o","awards":[{"id":1,"status":"active","suppliers":{"id":7}}],
    "bids":{"details":[{"status":"valid","tenderers":{"id":7},"value":{"amount":100,"currency":"X"}},
                       {"status":"disqualified","tenderers":[{"id":8}],
                        "value":{"amount":90,"currency":"X"}}]}})");
  std::vector<OcdsFlag> flags = ComputeCardinalIndicators({r}, CardinalSettings());
  std::set<std::string> got;
  for (const OcdsFlag& f : flags) got.insert(f.indicator + ":" + f.id);
  EXPECT_EQ(got, (std::set<std::string>{"R025:7", "R035:o", "R035:7", "R036:o"}));
  CardinalSettings raw;
  raw.prepare = false;
  flags = ComputeCardinalIndicators({r}, raw);
  got.clear();
  for (const OcdsFlag& f : flags) got.insert(f.indicator + ":" + f.id);
  EXPECT_EQ(got, (std::set<std::string>{"R036:o"}));
}

}  // namespace
}  // namespace qf
