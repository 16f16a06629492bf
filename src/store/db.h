// A thin RAII layer over SQLite that speaks Status. One Db per thread.
#pragma once

#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "common/status.h"

namespace qf {

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), stmt_(s) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Parameters are 1-based, as in SQLite.
  void BindNull(int i) { sqlite3_bind_null(stmt_, i); }
  void BindInt(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void BindReal(int i, double v) { sqlite3_bind_double(stmt_, i, v); }
  void BindText(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  }
  // The caller keeps `v` alive and unchanged until the statement is reset.
  void BindTextStatic(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  void BindBlob(int i, const void* p, size_t n) {
    sqlite3_bind_blob(stmt_, i, p, static_cast<int>(n), SQLITE_TRANSIENT);
  }

  // Runs one step: Result true when a row is ready, false when done.
  Result<bool> Step();
  // Steps to completion, ignoring rows, then resets for reuse.
  Status Run();
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  // Columns are 0-based, as in SQLite.
  bool IsNull(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  int64_t Int(int c) const { return sqlite3_column_int64(stmt_, c); }
  double Real(int c) const { return sqlite3_column_double(stmt_, c); }
  std::string Text(int c) const;
  std::string_view TextView(int c) const;
  int ColumnCount() const { return sqlite3_column_count(stmt_); }
  std::string ColumnName(int c) const { return sqlite3_column_name(stmt_, c); }
  int ColumnType(int c) const { return sqlite3_column_type(stmt_, c); }
  sqlite3_stmt* raw() { return stmt_; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

// A cached statement on loan from Db::Cached; reset and unbound on return.
class CachedStmt {
 public:
  explicit CachedStmt(Stmt* s) : s_(s) {}
  // Past the cache's bound a statement is owned by the loan instead.
  explicit CachedStmt(Stmt owned)
      : owned_(std::make_unique<Stmt>(std::move(owned))), s_(owned_.get()) {}
  CachedStmt(CachedStmt&& o) noexcept : owned_(std::move(o.owned_)), s_(o.s_) { o.s_ = nullptr; }
  CachedStmt& operator=(CachedStmt&&) = delete;
  CachedStmt(const CachedStmt&) = delete;
  CachedStmt& operator=(const CachedStmt&) = delete;
  ~CachedStmt() {
    if (s_) s_->Reset();
  }
  Stmt* operator->() const { return s_; }
  Stmt& operator*() const { return *s_; }

 private:
  std::unique_ptr<Stmt> owned_;
  Stmt* s_;
};

class Db {
 public:
  // Opens (creating if needed) a database file in WAL mode. `read_only` opens
  // it so that no statement can write (used for analysts' SQL).
  static Result<std::unique_ptr<Db>> Open(const std::string& path, bool read_only = false);
  ~Db();

  Status Exec(std::string_view sql);
  Result<Stmt> Prepare(std::string_view sql);
  // A statement prepared once and kept for the connection's life (hot paths
  // such as the server's per-request queries), on loan until the returned
  // handle goes out of scope, which resets it so no read stays open.
  // One loan at a time per SQL text.
  Result<CachedStmt> Cached(const std::string& sql);
  // Runs a query that returns one integer (e.g. COUNT(*)); `fallback` when no row.
  Result<int64_t> QueryInt(std::string_view sql, int64_t fallback = 0);

  Status Begin() { return Exec("BEGIN IMMEDIATE"); }
  Status Commit() { return Exec("COMMIT"); }
  void Rollback() { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }

  int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_); }
  int Changes() const { return sqlite3_changes(db_); }
  const std::string& path() const { return path_; }
  sqlite3* raw() { return db_; }

 private:
  Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, Stmt> cache_;
};

// While it lives, the connection writes through a rollback journal instead of
// the WAL, if no other connection has the database open: a large import then
// writes each new page once, where the WAL writes it twice (log, then
// checkpoint). Atomicity is SQLite's either way — a crash leaves a hot journal
// that the next opener rolls back. Other openers wait for the import (busy
// timeout) instead of reading beside it, so it is for the command line's bulk
// imports; with the database shared it does nothing and the WAL is kept.
class BulkLoad {
 public:
  explicit BulkLoad(Db* db);
  ~BulkLoad();
  BulkLoad(const BulkLoad&) = delete;
  BulkLoad& operator=(const BulkLoad&) = delete;
  bool active() const { return active_; }

 private:
  void StartWriteback();

  Db* db_;
  bool active_ = false;
  // Hands written pages to the disk as the import goes (like RocksDB's
  // bytes_per_sync), so that the commit's fsync finds little left to write.
  std::thread writeback_;
  std::mutex mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
};

// Quotes an SQL identifier ("rank" → "\"rank\"").
std::string QuoteIdent(std::string_view name);

// Rolls back on scope exit unless committed. Begun inside another transaction
// it is a savepoint of it, so that a step written as one transaction (an
// import) can be one part of a larger one (a workflow step that imports two
// rows and records an action): all or nothing together.
class Transaction {
 public:
  explicit Transaction(Db* db) : db_(db) {}
  ~Transaction() {
    if (!active_) return;
    if (nested_) {
      sqlite3_exec(db_->raw(), "ROLLBACK TO qf_nested; RELEASE qf_nested", nullptr, nullptr,
                   nullptr);
    } else {
      db_->Rollback();
    }
  }
  Status Begin() {
    nested_ = sqlite3_get_autocommit(db_->raw()) == 0;
    QF_RETURN_IF_ERROR(nested_ ? db_->Exec("SAVEPOINT qf_nested") : db_->Begin());
    active_ = true;
    return Status::OK();
  }
  Status Commit() {
    QF_RETURN_IF_ERROR(nested_ ? db_->Exec("RELEASE qf_nested") : db_->Commit());
    active_ = false;
    return Status::OK();
  }

 private:
  Db* db_;
  bool active_ = false;
  bool nested_ = false;
};

}  // namespace qf
