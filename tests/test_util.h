// Helpers shared by the tests: scratch folders and files.
#pragma once

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace qf::testing {

// A fresh folder under the system temp dir, removed when the object dies.
class ScratchDir {
 public:
  ScratchDir() {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("qf-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }
  // Writes bytes exactly as given and returns the path.
  std::string Write(const std::string& name, const std::string& bytes) const {
    std::ofstream out(File(name), std::ios::binary | std::ios::trunc);
    out << bytes;
    return File(name);
  }

 private:
  std::filesystem::path path_;
};

// Writes a payments CSV of `rows` valid rows (keys K1..Kn) for crash tests.
inline void WriteBigPayments(const std::string& path, int rows) {
  std::ofstream out(path);
  out << "payment_id,pay_date,org,payee_name,amount\n";
  for (int i = 1; i <= rows; ++i) {
    out << "K" << i << ",2024-01-01,财政局,收款单位" << i << "," << i << ".05\n";
  }
}

// Starts `qingfeng import payments FILE` on `db` and kills it (SIGKILL) once it
// has written more than `bytes`: into the WAL when `shared` (this process holds
// the database open, so the import cannot take it for itself), else straight
// into the database file under a rollback journal (the bulk load). True when
// the child was killed rather than finishing first.
inline bool KillImportMidway(const std::string& db, const std::string& file, uintmax_t bytes,
                             bool shared = false) {
  sqlite3* holder = nullptr;
  if (shared && sqlite3_open(db.c_str(), &holder) == SQLITE_OK) {
    sqlite3_exec(holder, "SELECT COUNT(*) FROM sqlite_master", nullptr, nullptr, nullptr);
  }
  std::error_code ec;
  uintmax_t db_before = std::filesystem::file_size(db, ec);
  if (ec) db_before = 0;
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    // A small page cache spills pages all along the import, not only at its
    // commit: the database (or its WAL) grows early and steadily.
    setenv("QINGFENG_CACHE_MB", "2", 1);
    execl(QF_BINARY, QF_BINARY, "--db", db.c_str(), "import", "payments", file.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  const std::string grows = shared ? db + "-wal" : db;
  const uintmax_t base = shared ? 0 : db_before;
  for (int i = 0; i < 600; ++i) {
    auto size = std::filesystem::file_size(grows, ec);
    if (!ec && size > base + bytes) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (holder) sqlite3_close(holder);
  return WIFSIGNALED(status);
}

inline std::string SourceDir() {
  const char* env = std::getenv("QF_SOURCE_DIR");
  return env && *env ? env : QF_SOURCE_DIR;
}

}  // namespace qf::testing
