// The tamper-evident ledger: an append-only RFC 9162 Merkle log kept in the
// store's SQLite file, next to the data it commits to. Leaves are imported
// files, accepted row versions and user actions (see docs/ledger.md).
//
// Storage: every leaf hash (table ledger_leaves, with the record it stands
// for), the interior nodes at levels 8, 16, 24, … (ledger_nodes), and the
// compact frontier (ledger_state) so that appending never recomputes the tree.
// Lower levels are recomputed from at most 256 contiguous stored hashes when a
// proof needs them.
//
// Appends run inside the caller's transaction and are buffered; Flush() (or
// WriteCheckpoint()) writes them. A Ledger object must not outlive the
// transaction it appended in: if that rolls back, open a new one.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/hash.h"
#include "common/status.h"
#include "ledger/checkpoint.h"
#include "ledger/merkle.h"
#include "store/db.h"

namespace qf::ledger {

// What a leaf stands for (the first byte of its data).
enum class LeafType : char { kFile = 'F', kRow = 'R', kAction = 'A' };

// ledger_leaves.src: 1 = file (ref = imports.id), 2 = action (ref =
// ledger_actions.id), larger = a dataset named in ledger_sources (ref = _row_id).
inline constexpr int64_t kSourceFile = 1;
inline constexpr int64_t kSourceAction = 2;

// Every interior node at a level that is a multiple of this is stored.
inline constexpr int kStoredLevelStep = 8;

// Leaf data: the type byte, "qingfeng-leaf-v1;", then length-prefixed fields
// ("<decimal length>:<bytes>").
std::string RowLeafData(std::string_view dataset, std::string_view key, int64_t version,
                        const Digest& row_hash);
// merkle::LeafHash(RowLeafData(...)) without the intermediate strings (the import's hot path).
Digest RowLeafHash(std::string_view dataset, std::string_view key, int64_t version,
                   const Digest& row_hash);
std::string FileLeafData(std::string_view sha256_hex, int64_t size, std::string_view name,
                         std::string_view dataset, int64_t import_id, std::string_view time);
std::string ActionLeafData(std::string_view time, std::string_view actor, std::string_view action,
                           std::string_view target, std::string_view details_json);
// Splits leaf data into its type and fields; fails on anything else.
Status ParseLeafData(std::string_view data, LeafType* type, std::vector<std::string>* fields);

// A user action that matters: login, viewing unmasked personal data, lead
// disposition and approval, model or parameter change, export, random draw.
struct Action {
  std::string actor;
  std::string action;  // e.g. "login", "view_unmasked", "lead_approve", "export"
  std::string target;
  std::string details_json = "{}";
  std::string time;  // empty: now (Asia/Shanghai)
};

class Ledger {
 public:
  // Reads the log's state. For appends, call inside a write transaction.
  static Result<std::unique_ptr<Ledger>> Open(Db* db);
  ~Ledger();

  uint64_t size() const { return frontier_.size(); }  // including unflushed leaves
  Digest Root() const { return frontier_.Root(); }

  // One accepted row version (new or changed), by its versions-table row id.
  Status AppendRow(std::string_view dataset, std::string_view key, int64_t version, int64_t row_id,
                   const Digest& row_hash);
  // The file of one import (reads imports and files).
  Status AppendImport(int64_t import_id);
  // Records the action in ledger_actions and appends its leaf; returns the leaf index.
  Result<uint64_t> AppendAction(const Action& a);
  // The raw append, for benchmarks and tests: `src`/`ref` as in ledger_leaves.
  Status AppendLeafHash(int64_t src, int64_t ref, const Digest& leaf_hash);

  // Writes the buffered leaves, the new stored nodes and the frontier.
  Status Flush();
  // Flushes, signs a checkpoint of the current tree and stores it (unless one
  // of this size exists); returns the signed note.
  Result<std::string> WriteCheckpoint(const Signer& signer);

  // Proofs from the stored tree (flushes first). Sizes must be <= size().
  Result<std::vector<Digest>> InclusionProof(uint64_t index, uint64_t tree_size);
  Result<std::vector<Digest>> ConsistencyProof(uint64_t old_size, uint64_t new_size);
  Result<Digest> RootAt(uint64_t tree_size);
  Result<Digest> LeafHashAt(uint64_t index);

  // The dataset's source id, created on first use.
  Result<int64_t> SourceId(std::string_view dataset);

 private:
  explicit Ledger(Db* db) : db_(db) {}
  Result<Digest> FetchSubtree(int level, uint64_t index);
  Status ReadStored(int base_level, uint64_t begin, uint64_t end, std::vector<Digest>* out);

  struct PendingLeaf {
    int64_t src;
    int64_t ref;
    Digest hash;
  };
  Db* db_;
  merkle::Frontier frontier_;
  uint64_t flushed_size_ = 0;
  std::vector<PendingLeaf> leaves_;
  std::vector<std::pair<int64_t, Digest>> nodes_;  // (id, hash) awaiting insert
  std::map<std::string, int64_t, std::less<>> sources_;
  Stmt insert_many_, insert_one_, insert_node_, save_state_, read_leaves_, read_nodes_;
};

// ledger_nodes.id of the stored node at `level` (a multiple of kStoredLevelStep).
inline int64_t NodeId(int level, uint64_t index) {
  return (static_cast<int64_t>(level / kStoredLevelStep) << 48) | static_cast<int64_t>(index);
}

// The signing key of the store at `db_path`, created on first use.
Result<Signer> SignerFor(const std::string& db_path);

// The latest stored checkpoint note, or "" when there is none.
Result<std::string> LatestCheckpoint(Db* db);

// Signs a checkpoint of the whole log now (own transaction); "at least hourly
// while serving" calls this. Returns the note.
Result<std::string> CheckpointNow(Db* db, const std::string& db_path);

// Appends one action in its own transaction (for callers outside one, e.g. the
// server); the next checkpoint covers it.
Result<uint64_t> RecordAction(Db* db, const Action& a);

}  // namespace qf::ledger
