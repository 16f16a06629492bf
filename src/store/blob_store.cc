#include "store/blob_store.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "common/hash.h"

namespace qf {

namespace fs = std::filesystem;

namespace {

void RemoveQuietly(const std::string& path) {
  std::error_code ec;
  fs::remove(path, ec);
}

}  // namespace

std::string BlobPath(const std::string& dir, const std::string& sha256) {
  return dir + "/" + sha256.substr(0, 2) + "/" + sha256;
}

Result<std::string> HashBlobFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read " + path);
  Sha256Stream h;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0) h.Update(std::string_view(buf.data(), static_cast<size_t>(in.gcount())));
  }
  if (in.bad()) return Status::IOError("cannot read " + path);
  return ToHex(h.Finish());
}

Status KeepBlobFile(const std::string& tmp_path, const std::string& path,
                    const std::string& sha256) {
  std::error_code ec;
  if (fs::exists(path, ec)) {
    // Kept already; a copy whose bytes changed is replaced by this good one.
    Result<std::string> h = HashBlobFile(path);
    if (h.ok() && *h == sha256) {
      RemoveQuietly(tmp_path);
      return Status::OK();
    }
  }
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (!ec) fs::rename(tmp_path, path, ec);
  if (ec) {
    RemoveQuietly(tmp_path);
    return Status::IOError("cannot store " + path + ": " + ec.message());
  }
  return Status::OK();
}

Status WriteBlobOnce(const std::string& path, std::string_view bytes) {
  const std::string sha = ToHex(Sha256(bytes));
  std::error_code ec;
  if (fs::exists(path, ec)) {
    Result<std::string> h = HashBlobFile(path);
    if (h.ok() && *h == sha) return Status::OK();
  }
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return Status::IOError("cannot create " + fs::path(path).parent_path().string());
  static std::atomic<int> counter{0};
  const std::string tmp =
      path + ".incoming-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      RemoveQuietly(tmp);
      return Status::IOError("cannot write " + tmp);
    }
  }
  return KeepBlobFile(tmp, path, sha);
}

Result<std::string> ReadBlob(const std::string& path, const std::string& sha256,
                             const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string bytes = ss.str();
  if (!in || ToHex(Sha256(bytes)) != sha256) {
    return Status::Corruption(what + " " + sha256 + " is missing or altered");
  }
  return bytes;
}

}  // namespace qf
