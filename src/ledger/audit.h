// What the ledger proves, and to whom: `Verify` recomputes everything from the
// store and names each record that differs from what the log committed to;
// `ProveRecord` / `ProveConsistency` build self-contained JSON proofs; and
// `CheckProof` is the outside auditor's side, needing only the proof (which
// carries the signed checkpoint) and the public key.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "ledger/checkpoint.h"
#include "store/db.h"

namespace qf::ledger {

struct Problem {
  enum class Kind { kEdited, kDeleted, kInserted, kReordered, kLedger };
  Kind kind;
  std::string dataset;  // a dataset, or "files" / "actions"
  std::string key;      // empty when unknown (a deleted row: see detail)
  int64_t version = 0;
  int64_t row_id = 0;
  int64_t leaf_index = -1;
  std::string detail_en;
  std::string detail_zh;
};

const char* KindName(Problem::Kind k, bool zh);

struct VerifyReport {
  uint64_t leaves = 0;
  Digest root{};
  uint64_t rows_checked = 0;
  uint64_t checkpoints_checked = 0;
  uint64_t latest_checkpoint_size = 0;
  std::vector<Problem> problems;
  bool ok() const { return problems.empty(); }
};

// Recomputes every leaf from the store (row versions from their typed columns,
// files from imports/files, actions from ledger_actions), the tree, its stored
// nodes and frontier, and every stored checkpoint (signatures checked with
// `verifier` when given). Problems are data, not an error status.
Result<VerifyReport> Verify(Db* db, const Verifier* verifier);

// Inclusion proof of the current version of DATASET KEY against the latest
// signed checkpoint (writing one first when it does not cover the record).
Result<nlohmann::ordered_json> ProveRecord(Db* db, const Signer& signer, const std::string& dataset,
                                           const std::string& key);

// Consistency proof between two tree sizes; new_size 0 = the current size
// (checkpointed first when needed). Includes the stored checkpoints of both
// sizes when they exist.
Result<nlohmann::ordered_json> ProveConsistency(Db* db, const Signer& signer, uint64_t old_size,
                                                uint64_t new_size);

// The auditor's check of a proof produced by ProveRecord or ProveConsistency.
// Returns human-readable lines describing what was proven.
Result<std::vector<std::string>> CheckProof(const nlohmann::json& proof, const Verifier& verifier,
                                            bool zh);

}  // namespace qf::ledger
