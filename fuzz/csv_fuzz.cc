// libFuzzer target: any bytes as a CSV file must be read without crashing,
// whatever the encoding detection decides.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "ingest/csv_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::string path = "/tmp/qf-csv-fuzz-" + std::to_string(getpid()) + ".csv";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  auto reader = qf::CsvReader::Open(path, "payments");
  if (!reader.ok()) return 0;
  qf::Record rec;
  for (int i = 0; i < 100000; ++i) {
    auto got = reader.value()->Next(&rec);
    if (!got.ok() || !got.value()) break;
  }
  return 0;
}
