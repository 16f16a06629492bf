// libFuzzer target: any bytes as an OCDS file, read as .json and as .jsonl, must be read
// through or refused with a reason - never crash, whatever the encoding detection decides.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "ingest/ocds_reader.h"

namespace {

void ReadThrough(const std::string& path, const uint8_t* data, size_t size) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  auto reader = qf::OcdsReader::Open(path);
  if (!reader.ok()) return;
  qf::Record rec;
  for (int i = 0; i < 100000; ++i) {
    auto got = reader.value()->Next(&rec);
    if (!got.ok() || !got.value()) break;
  }
  (void)reader.value()->Progress();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string base = "/tmp/qf-ocds-fuzz-" + std::to_string(getpid());
  ReadThrough(base + ".json", data, size);
  ReadThrough(base + ".jsonl", data, size);
  return 0;
}
