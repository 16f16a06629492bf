// Analysts' own models: a parameterised SQL query over the store (SQLite),
// producing leads of the same shape as the built-in models. The definition is
// JSON:
//   {"id": "big_reception", "name_zh": "大额接待", "name_en": "Large receptions",
//    "family": "conduct", "detects": "…", "basis": "…", "severity": "medium",
//    "params": [{"name": "min_yuan", "default": "5000", "zh": "…", "en": "…"}],
//    "sql": "SELECT claim_id AS subject_key, … FROM reimbursements WHERE amount >= :min_yuan *
//    100"}
// The query must return the columns subject_key and summary, and may return
// identity (default subject_key), subject_dataset (default "custom"),
// subject_name, score (0–100, default 50), amount (fen) and evidence
// ("dataset:key" items separated by ';', or a JSON array of {dataset, key}).
// Parameters are bound by name (:min_yuan). The query runs on a read-only
// connection: it cannot write to the store.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "engine/model.h"

namespace qf::models {

// Parses and checks a definition; `db_path` (when not empty) is used to
// prepare the query so bad SQL is refused with SQLite's reason before it is
// stored.
Result<std::unique_ptr<engine::Model>> ParseCustomModel(const std::string& json_text,
                                                        const std::string& db_path);

}  // namespace qf::models
