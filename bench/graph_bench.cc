// The relationship graph: build time from a loaded snapshot, and the conflict
// search from every official in post with k = 3 (issue targets at synth
// scale 100: build ≤ 10 s, search ≤ 30 s). Reports seconds, nodes, edges, the
// graph's own bytes and the process's peak RSS. A benchmark, not a test: it
// only reports.
//
//   QF_BENCH_DB=/path/city.db graph_bench        (a store imported by bench/run.sh)
//   graph_bench [--scale 1] [--dir /tmp]         (no QF_BENCH_DB: synthesise and import)
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/graph.h"
#include "engine/snapshot.h"
#include "ingest/dataset.h"
#include "ingest/importer.h"
#include "store/store.h"
#include "synth/synth.h"

namespace {

int g_scale = 1;
std::string g_dir = std::filesystem::temp_directory_path().string();
std::unique_ptr<qf::Store> g_store;
std::unique_ptr<qf::engine::Snapshot> g_snap;
std::unique_ptr<qf::engine::Graph> g_graph;
double g_load_seconds = 0;

double PeakRssMb() {
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The store of $QF_BENCH_DB, or a synthetic city of g_scale generated and
// imported under g_dir (kept for the next run).
qf::Status OpenStore() {
  const char* env = std::getenv("QF_BENCH_DB");
  std::string db;
  if (env && *env) {
    db = env;
  } else {
    namespace fs = std::filesystem;
    std::string base = g_dir + "/qf-graph-bench-s" + std::to_string(g_scale);
    db = base + "/city.db";
    if (!fs::exists(base + "/ready")) {
      fs::remove_all(base);
      fs::create_directories(base + "/city");
      qf::synth::SynthOptions o;
      o.out_dir = base + "/city";
      o.scale = g_scale;
      o.seed = 1;
      auto gen = qf::synth::GenerateCity(o);
      if (!gen.ok()) return gen.status();
      auto s = qf::Store::Open(db);
      if (!s.ok()) return s.status();
      qf::Importer imp(s.value().get());
      for (const qf::DatasetDef& def : qf::AllDatasets()) {
        for (const char* ext : {".csv", ".xlsx"}) {
          std::string p = base + "/city/" + def.name + ext;
          if (!fs::exists(p)) continue;
          auto r = imp.ImportFile(def.name, p, {});
          if (!r.ok()) return r.status();
        }
      }
      FILE* f = std::fopen((base + "/ready").c_str(), "w");
      if (f) std::fclose(f);
    }
  }
  auto s = qf::Store::Open(db);
  if (!s.ok()) return s.status();
  g_store = std::move(s).value();
  return qf::Status::OK();
}

qf::Status EnsureSnapshot() {
  if (g_snap) return qf::Status::OK();
  if (!g_store) QF_RETURN_IF_ERROR(OpenStore());
  auto start = std::chrono::steady_clock::now();
  auto snap = qf::engine::Snapshot::Load(g_store->db(), qf::engine::GraphInputs());
  if (!snap.ok()) return snap.status();
  g_snap = std::move(snap).value();
  g_load_seconds = Since(start);
  return qf::Status::OK();
}

void BM_GraphBuild(benchmark::State& state) {
  qf::Status st = EnsureSnapshot();
  if (!st.ok()) {
    state.SkipWithError(st.ToString().c_str());
    return;
  }
  for (auto _ : state) {
    g_graph.reset();
    auto start = std::chrono::steady_clock::now();
    auto g = qf::engine::Graph::Build(*g_snap);
    double secs = Since(start);
    if (!g.ok()) {
      state.SkipWithError(g.status().ToString().c_str());
      return;
    }
    g_graph = std::move(g).value();
    state.SetIterationTime(secs);
  }
  using qf::engine::EdgeKind;
  using qf::engine::NodeKind;
  const auto& g = *g_graph;
  state.counters["snapshot_load_s"] = g_load_seconds;
  state.counters["snapshot_MB"] = static_cast<double>(g_snap->memory_bytes()) / 1e6;
  state.counters["nodes"] = static_cast<double>(g.nodes());
  state.counters["edges"] = static_cast<double>(g.edges());
  state.counters["persons"] = static_cast<double>(g.nodes_of(NodeKind::kPerson));
  state.counters["orgs"] = static_cast<double>(g.nodes_of(NodeKind::kOrg));
  state.counters["paid_edges"] = static_cast<double>(g.edges_of(EdgeKind::kPaid));
  state.counters["hubs_skipped"] =
      static_cast<double>(g.hub_skipped(NodeKind::kPhone) + g.hub_skipped(NodeKind::kAddress) +
                          g.hub_skipped(NodeKind::kAccount) + g.hub_skipped(NodeKind::kDevice));
  state.counters["graph_MB"] = static_cast<double>(g.memory_bytes()) / 1e6;
  state.counters["peak_RSS_MB"] = PeakRssMb();
}

void BM_ConflictSearch(benchmark::State& state) {
  if (!g_graph) {
    qf::Status st = EnsureSnapshot();
    if (!st.ok()) {
      state.SkipWithError(st.ToString().c_str());
      return;
    }
    auto g = qf::engine::Graph::Build(*g_snap);
    if (!g.ok()) {
      state.SkipWithError(g.status().ToString().c_str());
      return;
    }
    g_graph = std::move(g).value();
  }
  qf::engine::ConflictOptions o;
  o.k = static_cast<int>(state.range(0));
  o.leaders_only = state.range(1) != 0;
  qf::engine::ConflictResult last;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    auto r = g_graph->ConflictSearch(o);
    double secs = Since(start);
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    last = std::move(r).value();
    state.SetIterationTime(secs);
  }
  state.counters["posts"] = static_cast<double>(last.posts);
  state.counters["hits"] = static_cast<double>(last.hits.size());
  state.counters["truncated"] = static_cast<double>(last.truncated);
  state.counters["peak_RSS_MB"] = PeakRssMb();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--scale" && i + 1 < argc) {
      g_scale = std::atoi(argv[++i]);
    } else if (a == "--dir" && i + 1 < argc) {
      g_dir = argv[++i];
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  benchmark::RegisterBenchmark("graph_build", BM_GraphBuild)
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kSecond);
  benchmark::RegisterBenchmark("conflict_search", BM_ConflictSearch)
      ->ArgNames({"k", "leaders_only"})
      ->Args({3, 0})
      ->Args({3, 1})
      ->Iterations(1)
      ->UseManualTime()
      ->Unit(benchmark::kSecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
