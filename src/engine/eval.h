// Model quality against a synthetic city's ground truth (truth.jsonl) and its
// near misses (near_misses.jsonl): recall, precision and near misses flagged,
// per model. A planted anomaly is found when a lead of the model with the
// anomaly's kind shares a record (dataset + key) with it; a lead is correct
// when it shares a record with some planted anomaly of that kind.
#pragma once

#include <map>
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

// ---------------------------------------------------------------------------
// Entity resolution against er_truth.jsonl: for each name-only mention the
// city wrote, the entity it really is ("" when it is in no registry).

struct ErTruthItem {
  std::string dataset, key, column, value;
  std::string kind;        // "person" | "org"
  std::string entity_key;  // id_number / credit_code, or "" (no such entity)
  std::string variant;     // none, traditional, fullwidth, suffix, region, typo, homophone
};

Result<std::vector<ErTruthItem>> ReadErTruth(const std::string& path);

// What resolution decided for one mention: the entity key, "" when unmatched.
struct ErPrediction {
  std::string dataset, key, column, entity_key;
};

struct ErQuality {
  std::string kind;  // "person", "org", or "all"
  int mentions = 0;
  int true_positive = 0;   // matched to the right entity
  int false_positive = 0;  // matched to a wrong entity (or to one where there is none)
  int false_negative = 0;  // has an entity but was left unmatched or matched wrongly
  double precision() const {
    int d = true_positive + false_positive;
    return d ? double(true_positive) / d : 1.0;
  }
  double recall() const {
    int d = true_positive + false_negative;
    return d ? double(true_positive) / d : 1.0;
  }
  double f1() const {
    double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
  }
  // variant → (mentions with an entity, of them matched right)
  std::map<std::string, std::pair<int, int>> by_variant;
};

// Per kind ("person", "org") and overall ("all"), over the mentions in `truth`;
// a truth mention without a prediction counts as unmatched.
std::vector<ErQuality> EvaluateEr(const std::vector<ErTruthItem>& truth,
                                  const std::vector<ErPrediction>& predictions);

}  // namespace qf::engine
