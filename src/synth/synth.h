// The synthetic city (qingfeng synth): every dataset of the data contract for
// a fictional prefecture city modelled on 阜新市, with planted anomalies listed
// in truth.jsonl and deliberate near misses in near_misses.jsonl. See
// docs/synth.md.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"

namespace qf::synth {

struct SynthOptions {
  std::string out_dir;
  double scale = 1.0;  // 1 ≈ one district (~20k persons)
  uint64_t seed = 1;
  int bad_rows = 0;  // deliberately invalid rows, listed in bad_rows.jsonl
  // Called with a stage name as the generators progress.
  std::function<void(const std::string& stage)> progress;
};

struct DatasetCount {
  std::string dataset, file;
  int64_t rows = 0;
};

struct SynthReport {
  std::vector<DatasetCount> datasets;
  int64_t anomalies = 0, near_misses = 0, bad_rows = 0;
  int64_t mentions = 0;  // lines of er_truth.jsonl (name-only mentions)
};

// The file formats used: officials as XLSX, complaints as GB18030 CSV with
// Chinese headers, every other dataset as UTF-8 CSV with English headers.
inline constexpr const char* kXlsxDataset = "officials";
inline constexpr const char* kGb18030Dataset = "complaints";

// Writes the city into opts.out_dir (which must exist).
Result<SynthReport> GenerateCity(const SynthOptions& opts);

}  // namespace qf::synth
