#include "common/secret_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace qf {

Result<std::string> ReadOrCreateSecretFile(const std::string& path,
                                           const std::function<std::string()>& make,
                                           std::string_view what_en, std::string_view what_zh) {
  const std::string what(what_en);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    std::string text = make();
    std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
      sodium_memzero(text.data(), text.size());
      return Status::IOError("cannot create " + what + " " + tmp);
    }
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
              ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
      sodium_memzero(text.data(), text.size());
      ::unlink(tmp.c_str());
      return Status::IOError("cannot write " + what + " " + tmp);
    }
    int rc = ::link(tmp.c_str(), path.c_str());
    int err = errno;
    ::unlink(tmp.c_str());
    if (rc == 0) return text;
    sodium_memzero(text.data(), text.size());
    if (err != EEXIST) return Status::IOError("cannot create " + what + " " + path);
    // Someone else created it first: read theirs.
    if (::stat(path.c_str(), &st) != 0) return Status::IOError("cannot read " + what + " " + path);
  }
  if (st.st_mode & 077) {
    return Status::InvalidInput(
        what + " " + path + " is readable by other users; run: chmod 600 " + path,
        std::string(what_zh) + path + "的权限过宽，其他用户可读；请执行：chmod 600 " + path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read " + what + " " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace qf
