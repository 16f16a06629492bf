#include "store/db.h"

namespace qf {

namespace {
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
  sqlite3_busy_timeout(raw, 10000);
  sqlite3_extended_result_codes(raw, 1);
  if (!read_only) {
    QF_RETURN_IF_ERROR(db->Exec("PRAGMA journal_mode=WAL"));
    // NORMAL in WAL mode: a commit survives a process crash (kill -9); only an
    // OS crash may lose the last transactions, never corrupt the file.
    QF_RETURN_IF_ERROR(db->Exec("PRAGMA synchronous=NORMAL"));
    QF_RETURN_IF_ERROR(db->Exec("PRAGMA foreign_keys=ON"));
  } else {
    QF_RETURN_IF_ERROR(db->Exec("PRAGMA query_only=ON"));
  }
  QF_RETURN_IF_ERROR(db->Exec("PRAGMA cache_size=-65536"));  // 64 MiB page cache
  QF_RETURN_IF_ERROR(db->Exec("PRAGMA temp_store=FILE"));
  return db;
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
