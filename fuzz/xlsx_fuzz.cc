// libFuzzer target for XlsxReader: the bytes become a file (minizip reads files),
// which is opened and read to its end or first error.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "ingest/xlsx_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // One path per process, so parallel fuzzing jobs (-jobs=N) do not collide;
  // removed when the process exits.
  struct TempFile {
    std::string path = "/tmp/qf_xlsx_fuzz_" + std::to_string(::getpid()) + ".xlsx";
    ~TempFile() { std::remove(path.c_str()); }
  };
  static const TempFile temp;
  const std::string& path = temp.path;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return 0;
  size_t written = std::fwrite(data, 1, size, f);
  std::fclose(f);
  if (written != size) return 0;

  auto reader = qf::XlsxReader::Open(path, "payments", "");
  if (!reader.ok()) return 0;
  qf::Record rec;
  for (;;) {
    qf::Result<bool> got = reader.value()->Next(&rec);
    if (!got.ok() || !got.value()) break;
    double p = reader.value()->Progress();
    if (!(p >= 0 && p <= 1)) __builtin_trap();
    if (rec.fields.size() != reader.value()->streams()[0].header.size()) __builtin_trap();
  }
  return 0;
}
