// A synthetic city generated and imported once per test process, and a
// helper that runs one model on it and measures it against the truth.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "engine/eval.h"
#include "engine/model.h"
#include "engine/network.h"
#include "engine/runner.h"
#include "engine/snapshot.h"
#include "ingest/importer.h"
#include "store/store.h"
#include "synth/synth.h"
#include "test_util.h"

namespace qf::testing {

struct City {
  std::string dir;  // holds city/ (the generated files) and city.db
  std::unique_ptr<Store> store;
  std::vector<engine::TruthItem> truth, near_misses;
  std::string path(const std::string& name) const { return dir + "/city/" + name; }
};

// Scale 1, seed 7: every planted kind at least three times. Generating and
// importing it takes a while under sanitizers, and ctest runs every test in
// its own process, so the city is built once per test binary (keyed by the
// binary's modification time) beside the binary, under a file lock, and then
// only read.
inline City& SharedCity() {
  static City* city = [] {
    namespace fs = std::filesystem;
    auto* c = new City();
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    auto stamp = fs::last_write_time(exe, ec).time_since_epoch().count();
    fs::path base = exe.parent_path() / "test-city";
    fs::create_directories(base, ec);
    c->dir = (base / ("s7-" + std::to_string(stamp))).string();
    int lock = ::open((base / "lock").c_str(), O_CREAT | O_RDWR, 0644);
    if (lock >= 0) ::flock(lock, LOCK_EX);
    if (!fs::exists(c->dir + "/ready")) {
      for (const auto& e : fs::directory_iterator(base, ec)) {
        if (e.is_directory()) fs::remove_all(e.path(), ec);  // cities of older binaries
      }
      fs::create_directories(c->dir + "/city");
      synth::SynthOptions o;
      o.out_dir = c->dir + "/city";
      o.scale = 1;
      o.seed = 7;
      auto gen = synth::GenerateCity(o);
      if (!gen.ok()) ADD_FAILURE() << gen.status().ToString();
      auto s = Store::Open(c->dir + "/city.db");
      if (!s.ok()) ADD_FAILURE() << s.status().ToString();
      Importer imp(s.value().get());
      for (const DatasetDef& def : AllDatasets()) {
        for (const char* ext : {".csv", ".xlsx"}) {
          std::string p = c->path(def.name + ext);
          if (!fs::exists(p)) continue;
          auto r = imp.ImportFile(def.name, p, {});
          if (!r.ok()) ADD_FAILURE() << p << ": " << r.status().ToString();
        }
      }
      std::ofstream(c->dir + "/ready") << "ok\n";
    }
    if (lock >= 0) {
      ::flock(lock, LOCK_UN);
      ::close(lock);
    }
    auto s = Store::Open(c->dir + "/city.db");
    if (!s.ok()) ADD_FAILURE() << s.status().ToString();
    c->store = std::move(s).value();
    auto t = engine::ReadTruth(c->path("truth.jsonl"));
    auto n = engine::ReadTruth(c->path("near_misses.jsonl"));
    if (t.ok()) c->truth = std::move(t).value();
    if (n.ok()) c->near_misses = std::move(n).value();
    return c;
  }();
  return *city;
}

struct ModelOnCity {
  std::vector<engine::Finding> findings;
  engine::ModelQuality quality;
};

// Runs the built-in model `id` with default parameters on the shared city.
inline ModelOnCity RunOnCity(const std::string& id) {
  ModelOnCity out;
  City& city = SharedCity();
  const engine::Model* m = engine::FindBuiltinModel(id);
  if (!m) {
    ADD_FAILURE() << "no built-in model " << id;
    return out;
  }
  auto snap = engine::Snapshot::Load(city.store->db(), engine::InputsOf({m}));
  if (!snap.ok()) {
    ADD_FAILURE() << snap.status().ToString();
    return out;
  }
  // The network models read entity resolution and the graph, as a scan builds them.
  std::unique_ptr<engine::Network> network;
  if (m->info().uses_network) {
    auto built = engine::Network::Build(*snap.value(), {});
    if (!built.ok()) {
      ADD_FAILURE() << built.status().ToString();
      return out;
    }
    network = std::move(built).value();
  }
  engine::Settings settings;
  auto runs = engine::RunModels(*snap.value(), {m}, settings, nullptr, city.store->db_path(),
                                network.get());
  EXPECT_TRUE(runs[0].status.ok()) << runs[0].status.ToString();
  out.findings = std::move(runs[0].findings);
  std::vector<engine::LeadRecords> leads;
  int n = 0;
  for (const engine::Finding& f : out.findings) {
    engine::LeadRecords l;
    l.id = f.identity + "#" + std::to_string(n++);
    l.model = id;
    l.records.emplace_back(f.subject.dataset, f.subject.key);
    for (const engine::Evidence& e : f.evidence) l.records.emplace_back(e.dataset, e.key);
    leads.push_back(std::move(l));
  }
  out.quality = engine::Evaluate({id}, leads, city.truth, city.near_misses)[0];
  return out;
}

// The quality bar of issue 4: recall ≥ 0.95, precision ≥ 0.90, no near miss.
inline void ExpectQuality(const ModelOnCity& r) {
  const auto& q = r.quality;
  EXPECT_GT(q.planted, 0) << q.model << ": nothing planted";
  EXPECT_GE(q.recall(), 0.95) << q.model << " found " << q.found << "/" << q.planted
                              << (q.missed.empty() ? "" : ", first missed " + q.missed[0]);
  EXPECT_GE(q.precision(), 0.90) << q.model << " " << q.correct << "/" << q.leads << " correct"
                                 << (q.false_leads.empty() ? "" : ", e.g. " + q.false_leads[0]);
  EXPECT_EQ(q.near_misses_flagged, 0)
      << q.model << " flagged near miss "
      << (q.flagged_near_miss.empty() ? "" : q.flagged_near_miss[0]);
  for (const engine::Finding& f : r.findings) {
    EXPECT_FALSE(f.summary.empty()) << q.model;
    EXPECT_FALSE(f.evidence.empty()) << q.model;
    EXPECT_FALSE(f.identity.empty()) << q.model;
    EXPECT_GE(f.score, 0);
    EXPECT_LE(f.score, 100);
  }
}

}  // namespace qf::testing
