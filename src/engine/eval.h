// Model quality against a synthetic city's ground truth (truth.jsonl) and its
// near misses (near_misses.jsonl): recall, precision and near misses flagged,
// per model. A planted anomaly is found when a lead of the model with the
// anomaly's kind shares a record (dataset + key) with it; a lead is correct
// when it shares a record with some planted anomaly of that kind.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace qf::engine {

struct TruthItem {
  std::string id, family, kind, shape;
  std::vector<std::pair<std::string, std::string>> keys;  // (dataset, key)
};

// Reads truth.jsonl or near_misses.jsonl; errors name the file and line.
Result<std::vector<TruthItem>> ReadTruth(const std::string& path);

// A lead reduced to what evaluation needs.
struct LeadRecords {
  std::string id;
  std::string model;
  std::vector<std::pair<std::string, std::string>> records;  // subject and evidence
};

struct ModelQuality {
  std::string model;
  int planted = 0;  // truth items of this kind
  int found = 0;    // of them, matched by a lead
  int leads = 0;    // leads of the model
  int correct = 0;  // leads matching a planted item of this kind
  int near_misses = 0;
  int near_misses_flagged = 0;
  double recall() const { return planted ? double(found) / planted : 1.0; }
  double precision() const { return leads ? double(correct) / leads : 1.0; }
  std::vector<std::string> missed;             // truth ids not found
  std::vector<std::string> false_leads;        // lead ids matching nothing
  std::vector<std::string> flagged_near_miss;  // near-miss ids flagged
};

// One ModelQuality per model id in `model_ids` (kind = model id).
std::vector<ModelQuality> Evaluate(const std::vector<std::string>& model_ids,
                                   const std::vector<LeadRecords>& leads,
                                   const std::vector<TruthItem>& truth,
                                   const std::vector<TruthItem>& near_misses);

}  // namespace qf::engine
