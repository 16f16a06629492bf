// The embedded store: one SQLite file (WAL) plus a folder of the original
// imported files, each kept under its SHA-256 so it can be re-read later.
#pragma once

#include <memory>
#include <string>

#include "common/hash.h"
#include "common/status.h"
#include "store/db.h"

namespace qf {

// The database path: --db if given, else $QINGFENG_DB, else ./qingfeng.db.
std::string ResolveDbPath(const std::string& flag_value);

struct StoredFile {
  std::string sha256;  // hex
  int64_t size = 0;
  std::string path;  // where the kept copy lives
};

class Store {
 public:
  // Opens or creates the store at `db_path` and migrates it.
  static Result<std::unique_ptr<Store>> Open(const std::string& db_path);

  Db* db() { return db_.get(); }
  const std::string& db_path() const { return db_path_; }
  // "<db_path>.files": the content-addressed copies of imported files.
  const std::string& files_dir() const { return files_dir_; }

  // Copies `src` into the file store (streaming, hashing as it goes) unless a
  // file with the same content is already there. Records it in `files` — call
  // inside the import's transaction.
  Result<StoredFile> KeepFile(const std::string& src, const std::string& original_name);
  std::string PathOf(const std::string& sha256) const;

 private:
  Store(std::unique_ptr<Db> db, std::string db_path);
  std::unique_ptr<Db> db_;
  std::string db_path_;
  std::string files_dir_;
};

}  // namespace qf
