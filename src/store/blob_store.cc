#include "store/blob_store.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/hash.h"

namespace qf {

namespace fs = std::filesystem;

std::string BlobPath(const std::string& dir, const std::string& sha256) {
  return dir + "/" + sha256.substr(0, 2) + "/" + sha256;
}

Status WriteBlobOnce(const std::string& path, std::string_view bytes) {
  std::error_code ec;
  if (fs::exists(path, ec)) return Status::OK();
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return Status::IOError("cannot create " + fs::path(path).parent_path().string());
  static std::atomic<int> counter{0};
  const std::string tmp =
      path + ".incoming-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Status::IOError("cannot write " + tmp);
  }
  fs::rename(tmp, path, ec);
  if (ec) return Status::IOError("cannot keep " + path + ": " + ec.message());
  return Status::OK();
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
