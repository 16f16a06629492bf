// Import throughput: a payments CSV of N rows (1M and 10M by default) imported
// end to end — read, validate, hash, write to SQLite, commit — by the real
// `qingfeng import` in a child process, so peak RSS is the importer's own.
// Reports rows/s, MB/s and peak RSS. A benchmark, not a test: it only reports.
//
//   import_bench --qingfeng build/qingfeng [--rows 1000000,10000000] [--dir /tmp]
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "ingest/identifiers.h"

namespace {

std::string g_binary = "build/qingfeng";
std::string g_dir = std::filesystem::temp_directory_path().string();
std::vector<int64_t> g_rows = {1000000, 10000000};

// Yuan with thousands separators, quoted as CSV needs ("1,234,567.89").
std::string FormatYuan(int64_t fen) {
  std::string digits = std::to_string(fen / 100);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  char cents[8];
  std::snprintf(cents, sizeof cents, ".%02d", static_cast<int>(fen % 100));
  return grouped.find(',') == std::string::npos ? grouped + cents : "\"" + grouped + cents + "\"";
}

// Writes a realistic payments file: organisations, payees with valid ID numbers
// or credit codes, amounts with thousands separators, several date formats.
std::string MakePayments(int64_t rows) {
  std::string path = g_dir + "/qf-bench-payments-" + std::to_string(rows) + ".csv";
  if (std::filesystem::exists(path)) return path;
  std::filesystem::create_directories(g_dir);
  std::ofstream out(path + ".tmp", std::ios::binary);
  out << "payment_id,pay_date,org,budget_id,payee_name,payee_party,payee_account,payee_bank,"
         "amount,purpose,invoice_no,economic_class\n";
  std::mt19937_64 rng(42);
  static const char* kOrgs[] = {"阜新市细河区财政局", "阜新市海州区教育局",
                                "彰武县住房和城乡建设局", "阜新蒙古族自治县卫生健康局",
                                "阜新市太平区民政局"};
  static const char* kPurpose[] = {"办公用品采购", "工程进度款", "物业服务费", "差旅费",
                                   "设备维修"};
  static const char* kDateFmt[] = {"%04d-%02d-%02d", "%04d/%d/%d", "%04d%02d%02d"};
  char line[512];
  for (int64_t i = 0; i < rows; ++i) {
    uint64_t r = rng();
    char id17[18];
    std::snprintf(id17, sizeof id17, "210902%04d%02d%02d%03d", static_cast<int>(1950 + r % 50),
                  static_cast<int>(1 + r % 12), static_cast<int>(1 + (r >> 8) % 28),
                  static_cast<int>((r >> 16) % 1000));
    std::string party = std::string(id17) + qf::IdNumberCheckChar(id17);
    int month = static_cast<int>(1 + (r >> 20) % 12);
    int day = static_cast<int>(1 + (r >> 24) % 28);
    char date[16];
    std::snprintf(date, sizeof date, kDateFmt[(r >> 28) % 3], 2024, month, day);
    int64_t fen = static_cast<int64_t>((r >> 32) % 500000000);
    std::string amount = FormatYuan(fen);
    int n = std::snprintf(
        line, sizeof line,
        "ZF2024%010lld,%s,%s,B2024-%04d,收款人%lld,%s,6222%012lld,中国工商银行阜新分行,%s,%s,"
        "FP%010lld,30201\n",
        static_cast<long long>(i), date, kOrgs[r % 5], static_cast<int>((r >> 40) % 3000),
        static_cast<long long>((r >> 44) % 50000), party.c_str(), static_cast<long long>(i),
        amount.c_str(), kPurpose[(r >> 50) % 5], static_cast<long long>(i));
    out.write(line, n);
  }
  out.close();
  std::filesystem::rename(path + ".tmp", path);
  return path;
}

void BM_ImportPayments(benchmark::State& state) {
  int64_t rows = state.range(0);
  std::string csv = MakePayments(rows);
  double bytes = static_cast<double>(std::filesystem::file_size(csv));
  for (auto _ : state) {
    std::string db = g_dir + "/qf-bench-" + std::to_string(rows) + ".db";
    for (const char* suffix : {"", "-wal", "-shm", ".ledger.key"})
      std::filesystem::remove(db + suffix);
    std::filesystem::remove_all(db + ".files");
    auto start = std::chrono::steady_clock::now();
    std::string report = db + ".report.jsonl";
    pid_t pid = fork();
    if (pid == 0) {
      int out = open(report.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int devnull = open("/dev/null", O_WRONLY);
      dup2(out, STDOUT_FILENO);
      dup2(devnull, STDERR_FILENO);
      execl(g_binary.c_str(), g_binary.c_str(), "--db", db.c_str(), "import", "payments",
            csv.c_str(), "--format", "jsonl", static_cast<char*>(nullptr));
      _exit(127);
    }
    int status = 0;
    struct rusage usage {};
    wait4(pid, &status, 0, &usage);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      state.SkipWithError("qingfeng import failed");
      return;
    }
    // Every generated row is valid: anything quarantined means the figures are wrong.
    std::ifstream in(report);
    std::string line;
    std::getline(in, line);
    if (line.find("\"quarantined\":0") == std::string::npos) {
      state.SkipWithError(("rows were quarantined: " + line).c_str());
      return;
    }
    std::filesystem::remove(report);
    state.SetIterationTime(secs);
    state.counters["rows_per_s"] = static_cast<double>(rows) / secs;
    state.counters["MB_per_s"] = bytes / 1e6 / secs;
    state.counters["peak_RSS_MB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
    state.counters["file_MB"] = bytes / 1e6;
    for (const char* suffix : {"", "-wal", "-shm", ".ledger.key"})
      std::filesystem::remove(db + suffix);
    std::filesystem::remove_all(db + ".files");
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--qingfeng" && i + 1 < argc) {
      g_binary = argv[++i];
    } else if (a == "--dir" && i + 1 < argc) {
      g_dir = argv[++i];
    } else if (a == "--rows" && i + 1 < argc) {
      g_rows.clear();
      std::string list = argv[++i];
      for (size_t p = 0; p <= list.size();) {
        size_t e = list.find(',', p);
        if (e == std::string::npos) e = list.size();
        g_rows.push_back(std::stoll(list.substr(p, e - p)));
        p = e + 1;
      }
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  auto* b = benchmark::RegisterBenchmark("import_payments_csv", BM_ImportPayments);
  for (int64_t r : g_rows) b->Arg(r);
  b->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
