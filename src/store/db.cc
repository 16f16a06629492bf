#include "store/db.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

#include "common/log.h"

namespace qf {

namespace {

constexpr int kBusyTimeoutMs = 10000;

Status SqliteError(sqlite3* db, const std::string& what) {
  return Status::IOError(what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}
}  // namespace

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = o.db_;
    stmt_ = o.stmt_;
    o.stmt_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string msg = sqlite3_errmsg(db_);
  int ext = sqlite3_extended_errcode(db_);
  sqlite3_reset(stmt_);
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Status::InvalidArgument("constraint: " + msg);
  }
  return Status::IOError("sqlite: " + msg);
}

Status Stmt::Run() {
  for (;;) {
    Result<bool> r = Step();
    if (!r.ok()) return r.status();
    if (!r.value()) break;
  }
  sqlite3_reset(stmt_);
  return Status::OK();
}

std::string Stmt::Text(int c) const { return std::string(TextView(c)); }

std::string_view Stmt::TextView(int c) const {
  const unsigned char* p = sqlite3_column_text(stmt_, c);
  if (!p) return {};
  return std::string_view(reinterpret_cast<const char*>(p),
                          static_cast<size_t>(sqlite3_column_bytes(stmt_, c)));
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, bool read_only) {
  // Memory statistics take a global mutex on every allocation; nothing reads them.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  sqlite3* raw = nullptr;
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = SqliteError(raw, "cannot open database " + path);
    sqlite3_close(raw);
    return s;
  }
  std::unique_ptr<Db> db(new Db(raw, path));
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  sqlite3_extended_result_codes(raw, 1);
  if (!read_only) {
    // For a new file only (an existing one keeps its size): 16 KiB pages make a
    // large import about 8% faster than 4 KiB ones (a quarter of the page writes
    // and b-tree splits) and suit the engine's full scans.
    QF_RETURN_IF_ERROR(db->Exec("PRAGMA page_size=16384"));
    Status wal = db->Exec("PRAGMA journal_mode=WAL");
    if (!wal.ok() && sqlite3_errcode(raw) == SQLITE_BUSY) {
      // Most likely a large import holds the database for itself (BulkLoad).
      return Status::IOError(
          "database " + path + " is busy (a large import is running?); try again when it ends",
          "数据库" + path + "正被占用（可能正在导入大文件），请在导入完成后重试");
    }
    QF_RETURN_IF_ERROR(wal);
    // NORMAL in WAL mode: a commit survives a process crash (kill -9); only an
    // OS crash may lose the last transactions, never corrupt the file.
    QF_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=NORMAL"));
    QF_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  } else {
    QF_RETURN_IF_ERROR(db->Exec("PRAGMA query_only=ON"));
  }
  // 64 MiB page cache unless $QINGFENG_CACHE_MB says otherwise (2..4096).
  int64_t cache_mb = 64;
  if (const char* env = std::getenv("QINGFENG_CACHE_MB")) {
    int64_t v = std::atoll(env);
    if (v >= 2 && v <= 4096) cache_mb = v;
  }
  QF_RETURN_IF_ERROR(db->Exec("PRAGMA cache_size=-" + std::to_string(cache_mb * 1024)));
  QF_RETURN_IF_ERROR(db->Exec("PRAGMA temp_store=FILE"));
  return db;
}

namespace {

// The journal mode the connection reports after asking for `mode`.
std::string SetJournalMode(sqlite3* db, const char* mode) {
  std::string sql = std::string("PRAGMA journal_mode=") + mode;
  sqlite3_stmt* st = nullptr;
  std::string result;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(st, 0);
    if (text) result = reinterpret_cast<const char*>(text);
  }
  sqlite3_finalize(st);
  return result;
}
}  // namespace

BulkLoad::BulkLoad(Db* db) : db_(db) {
  // Without waiting: another connection holding the database open means it is shared.
  sqlite3_busy_timeout(db_->raw(), 0);
  active_ = SetJournalMode(db_->raw(), "TRUNCATE") == "truncate";
  sqlite3_busy_timeout(db_->raw(), kBusyTimeoutMs);
  spdlog::debug("bulk load: {}", active_ ? "rollback journal" : "database shared, WAL kept");
  if (active_) StartWriteback();
}

void BulkLoad::StartWriteback() {
  int fd = ::open(db_->path().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;  // only an optimisation
  writeback_ = std::thread([this, fd] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_cv_.wait_for(lock, std::chrono::milliseconds(100), [this] { return stop_; })) {
      lock.unlock();
      ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);  // starts write-out; no wait
      lock.lock();
    }
    ::close(fd);
  });
}

BulkLoad::~BulkLoad() {
  if (writeback_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    stop_cv_.notify_all();
    writeback_.join();
  }
  // Every opener asks for WAL again, so a failure here costs nothing lasting.
  if (active_ && SetJournalMode(db_->raw(), "WAL") != "wal") {
    spdlog::warn("could not return the database to WAL mode after a bulk import");
  }
}

Db::~Db() {
  cache_.clear();  // statements are finalized before the connection closes
  sqlite3_close_v2(db_);
}

Result<CachedStmt> Db::Cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    QF_ASSIGN_OR_RETURN(Stmt st, Prepare(sql));
    // Filters make many SQL texts; past the bound they are not kept.
    if (cache_.size() >= 256) return CachedStmt(std::move(st));
    it = cache_.emplace(sql, std::move(st)).first;
  }
  return CachedStmt(&it->second);
}

Status Db::Exec(std::string_view sql) {
  char* err = nullptr;
  std::string s(sql);
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return Status::IOError("sqlite: " + msg);
  }
  return Status::OK();
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, "cannot prepare statement");
  return Stmt(db_, s);
}

Result<int64_t> Db::QueryInt(std::string_view sql, int64_t fallback) {
  QF_ASSIGN_OR_RETURN(Stmt st, Prepare(sql));
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || st.IsNull(0)) return fallback;
  return st.Int(0);
}

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace qf
