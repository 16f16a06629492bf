// Helpers shared by the tests: scratch folders and files.
#pragma once

#include <signal.h>
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

// Runs the real `qingfeng import payments FILE` on `db` and kills it with
// SIGKILL once its write-ahead log has grown past `wal_bytes` (well into the
// rows). Returns false when the import finished before it could be killed.
inline bool KillImportMidway(const std::string& db, const std::string& file, uintmax_t wal_bytes) {
  pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    execl(QF_BINARY, QF_BINARY, "--db", db.c_str(), "import", "payments", file.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  std::string wal = db + "-wal";
  for (int i = 0; i < 600; ++i) {
    std::error_code ec;
    auto size = std::filesystem::file_size(wal, ec);
    if (!ec && size > wal_bytes) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFSIGNALED(status);
}

inline std::string SourceDir() {
  const char* env = std::getenv("QF_SOURCE_DIR");
  return env && *env ? env : QF_SOURCE_DIR;
}

}  // namespace qf::testing
