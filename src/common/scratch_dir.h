// A work folder removed, with everything in it, when it goes out of scope:
// the importer's scratch files of one entry (a register, a close, a meeting).
#pragma once

#include <filesystem>
#include <string>
#include <system_error>

namespace qf {

struct ScratchDir {
  std::string path;
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace qf
