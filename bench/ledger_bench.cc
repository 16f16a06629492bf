// Ledger throughput: appends per second in batches (row-version leaves: leaf
// data built and hashed, rows inserted, frontier saved, one transaction per
// batch), and, on a log of 10M leaves built once in a temporary database,
// inclusion-proof generation from stored nodes, proof verification,
// consistency proofs and the storage overhead per leaf.
//
//   ledger_bench [--leaves 10000000] [--dir /tmp]
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "store/store.h"

namespace {

using namespace qf;

int64_t g_leaves = 10000000;
std::string g_dir = std::filesystem::temp_directory_path().string();

std::unique_ptr<Store> FreshStore(const std::string& name) {
  std::string path = g_dir + "/" + name;
  for (const char* suffix : {"", "-wal", "-shm", ".ledger.key"})
    std::remove((path + suffix).c_str());
  auto s = Store::Open(path);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(s).value();
}

// Appends `n` row-version leaves in one transaction, as an import does.
void AppendRows(Db* db, int64_t first, int64_t n) {
  Transaction tx(db);
  (void)tx.Begin();
  auto l = ledger::Ledger::Open(db).value();
  Digest row_hash{};
  std::string key;
  for (int64_t i = first; i < first + n; ++i) {
    std::memcpy(row_hash.data(), &i, sizeof i);
    key = "ZF" + std::to_string(i);
    (void)l->AppendRow("payments", key, 1, i + 1, row_hash);
  }
  (void)l->Flush();
  (void)tx.Commit();
}

void BM_AppendBatch(benchmark::State& state) {
  auto store = FreshStore("qf-ledger-bench-append.db");
  int64_t batch = state.range(0);
  int64_t next = 0;
  for (auto _ : state) {
    AppendRows(store->db(), next, batch);
    next += batch;
  }
  state.SetItemsProcessed(next);
  state.counters["leaves/s"] =
      benchmark::Counter(static_cast<double>(next), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AppendBatch)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// The big log, built once.
Store* BigStore() {
  static std::unique_ptr<Store> store = [] {
    auto s = FreshStore("qf-ledger-bench-10m.db");
    auto t0 = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < g_leaves; i += 1000000) {
      AppendRows(s->db(), i, std::min<int64_t>(1000000, g_leaves - i));
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::fprintf(stderr, "built %lld leaves in %.1fs (%.0f leaves/s)\n",
                 static_cast<long long>(g_leaves), secs, g_leaves / secs);
    return s;
  }();
  return store.get();
}

void BM_InclusionProof(benchmark::State& state) {
  Store* s = BigStore();
  auto l = ledger::Ledger::Open(s->db()).value();
  uint64_t n = l->size();
  std::mt19937_64 rng(1);
  size_t path_len = 0;
  for (auto _ : state) {
    auto p = l->InclusionProof(rng() % n, n);
    path_len = p->size();
    benchmark::DoNotOptimize(p);
  }
  state.counters["path"] = static_cast<double>(path_len);
  state.counters["tree_size"] = static_cast<double>(n);
}
BENCHMARK(BM_InclusionProof)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_VerifyInclusion(benchmark::State& state) {
  Store* s = BigStore();
  auto l = ledger::Ledger::Open(s->db()).value();
  uint64_t n = l->size();
  uint64_t index = n / 3 + 12345;
  auto path = l->InclusionProof(index, n).value();
  Digest leaf = l->LeafHashAt(index).value();
  Digest root = l->Root();
  for (auto _ : state) {
    Status ok = merkle::VerifyInclusion(index, n, leaf, path, root);
    if (!ok.ok()) state.SkipWithError("proof did not verify");
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK(BM_VerifyInclusion)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_ConsistencyProof(benchmark::State& state) {
  Store* s = BigStore();
  auto l = ledger::Ledger::Open(s->db()).value();
  uint64_t n = l->size();
  std::mt19937_64 rng(2);
  for (auto _ : state) {
    auto p = l->ConsistencyProof(1 + rng() % (n - 1), n);
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_ConsistencyProof)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_BytesPerLeaf(benchmark::State& state) {
  Store* s = BigStore();
  double leaves = static_cast<double>(s->db()->QueryInt("SELECT size FROM ledger_state").value());
  int64_t bytes = 0;
  for (auto _ : state) {
    bytes = s->db()
                ->QueryInt(
                    "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('ledger_leaves', "
                    "'ledger_leaves_ref', 'ledger_nodes')")
                .value();
  }
  state.counters["bytes/leaf"] = static_cast<double>(bytes) / leaves;
  state.counters["leaves"] = leaves;
}
BENCHMARK(BM_BytesPerLeaf)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  qf::InitCrypto();
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--leaves" && i + 1 < argc) {
      g_leaves = std::stoll(argv[++i]);
    } else if (a == "--dir" && i + 1 < argc) {
      g_dir = argv[++i];
    } else {
      continue;
    }
    // Remove the consumed flag and its value so Google Benchmark does not see them.
    for (int j = i - 1; j + 2 <= argc; ++j) argv[j] = argv[j + 2];
    argc -= 2;
    i -= 2;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  for (const char* name : {"qf-ledger-bench-append.db", "qf-ledger-bench-10m.db"}) {
    for (const char* suffix : {"", "-wal", "-shm", ".ledger.key"}) {
      std::remove((g_dir + "/" + name + suffix).c_str());
    }
    std::filesystem::remove_all(g_dir + "/" + name + ".files");
  }
  return 0;
}
