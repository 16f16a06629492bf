// The catalogue of anomaly kinds the synthetic city plants and the detection
// models find, declared once. truth.jsonl and near_misses.jsonl use exactly
// these family/kind ids; docs/synth.md states each rule's defaults.
#pragma once

#include <string_view>
#include <vector>

namespace qf::synth {

struct AnomalyKind {
  std::string_view family;  // "welfare", "funds", …
  std::string_view kind;    // "welfare_after_death", …
  std::string_view zh;      // 中文名称
  std::string_view rule;    // one line, with the default thresholds
  std::string_view keys;    // which dataset keys a truth line lists
};

const std::vector<AnomalyKind>& AnomalyKinds();
// nullptr when unknown.
const AnomalyKind* FindAnomalyKind(std::string_view kind);

}  // namespace qf::synth
