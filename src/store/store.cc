#include "store/store.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "common/time.h"
#include "store/schema.h"

namespace qf {

namespace fs = std::filesystem;

std::string ResolveDbPath(const std::string& flag_value) {
  if (!flag_value.empty()) return flag_value;
  const char* env = std::getenv("QINGFENG_DB");
  if (env && *env) return env;
  return "qingfeng.db";
}

Store::Store(std::unique_ptr<Db> db, std::string db_path)
    : db_(std::move(db)), db_path_(std::move(db_path)), files_dir_(db_path_ + ".files") {}

Result<std::unique_ptr<Store>> Store::Open(const std::string& db_path) {
  InitCrypto();
  fs::path parent = fs::path(db_path).parent_path();
  if (!parent.empty() && !fs::exists(parent)) {
    return Status::InvalidInput("the folder of database " + db_path + " does not exist",
                                "数据库文件所在目录不存在：" + db_path);
  }
  QF_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(db_path));
  QF_RETURN_IF_ERROR(Migrate(db.get()));
  return std::unique_ptr<Store>(new Store(std::move(db), db_path));
}

std::string Store::PathOf(const std::string& sha256) const {
  return files_dir_ + "/" + sha256.substr(0, 2) + "/" + sha256;
}

Result<StoredFile> Store::KeepFile(const std::string& src, const std::string& original_name) {
  std::ifstream in(src, std::ios::binary);
  if (!in) {
    return Status::InvalidInput("cannot read file " + src, "无法读取文件：" + src);
  }
  std::error_code ec;
  fs::create_directories(files_dir_, ec);
  if (ec) return Status::IOError("cannot create " + files_dir_ + ": " + ec.message());
  std::string tmp = files_dir_ + "/.incoming-" + std::to_string(::getpid()) + "-" +
                    std::to_string(reinterpret_cast<uintptr_t>(&in));
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) return Status::IOError("cannot write " + tmp);
  Sha256Stream hash;
  std::vector<char> buf(1 << 20);
  int64_t size = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::streamsize n = in.gcount();
    if (n <= 0) break;
    hash.Update(std::string_view(buf.data(), static_cast<size_t>(n)));
    out.write(buf.data(), n);
    size += n;
  }
  if (in.bad()) {
    fs::remove(tmp, ec);
    return Status::InvalidInput("error while reading " + src, "读取文件出错：" + src);
  }
  out.close();
  if (!out) {
    fs::remove(tmp, ec);
    return Status::IOError("cannot write " + tmp + " (disk full?)");
  }
  StoredFile f;
  f.sha256 = ToHex(hash.Finish());
  f.size = size;
  f.path = PathOf(f.sha256);
  if (fs::exists(f.path)) {
    fs::remove(tmp, ec);
  } else {
    fs::create_directories(fs::path(f.path).parent_path(), ec);
    fs::rename(tmp, f.path, ec);
    if (ec) return Status::IOError("cannot store " + f.path + ": " + ec.message());
  }
  QF_ASSIGN_OR_RETURN(
      Stmt st,
      db_->Prepare(
          "INSERT OR IGNORE INTO files(sha256, size, original_name, stored_at) VALUES (?,?,?,?)"));
  st.BindText(1, f.sha256);
  st.BindInt(2, f.size);
  st.BindText(3, original_name);
  st.BindText(4, NowShanghai());
  QF_RETURN_IF_ERROR(st.Run());
  return f;
}

}  // namespace qf
