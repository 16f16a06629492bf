// RFC 9162 (Certificate Transparency v2) Merkle tree math, independent of
// storage: leaf and node hashing, the root of a list of leaves, inclusion and
// consistency proofs generated from a callback that fetches complete subtrees,
// and the §2.1.3.2 / §2.1.4.2 verification algorithms.
//
// Hashes: SHA-256; leaf hash = SHA-256(0x00 || data), node hash =
// SHA-256(0x01 || left || right); the empty tree's root is SHA-256("") =
// e3b0c442…b855 (RFC 9162 §2.1.1).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "common/hash.h"
#include "common/status.h"

namespace qf::merkle {

Digest LeafHash(std::string_view data);
Digest NodeHash(const Digest& left, const Digest& right);
Digest EmptyRoot();

// The Merkle tree hash of `leaf_hashes` (already leaf-hashed), by the RFC's
// recursive definition. O(n); for tests and small trees.
Digest RootOf(const std::vector<Digest>& leaf_hashes);

// Fetches the root of the complete subtree of 2^level leaves starting at leaf
// index << level. Only ever called for subtrees that lie wholly inside the tree.
using SubtreeFetcher = std::function<Result<Digest>(int level, uint64_t index)>;

// The hash of leaves [begin, end), any range, combining complete subtrees.
Result<Digest> RangeHash(uint64_t begin, uint64_t end, const SubtreeFetcher& fetch);

// PATH(index, D[size]) of RFC 9162 §2.1.3.1.
Result<std::vector<Digest>> InclusionProof(uint64_t index, uint64_t size,
                                           const SubtreeFetcher& fetch);

// PROOF(old_size, D[new_size]) of RFC 9162 §2.1.4.1; 0 < old_size <= new_size.
Result<std::vector<Digest>> ConsistencyProof(uint64_t old_size, uint64_t new_size,
                                             const SubtreeFetcher& fetch);

// RFC 9162 §2.1.3.2. Returns OK only when `path` proves `leaf_hash` is leaf
// `index` of the tree of `size` leaves whose root is `root`.
Status VerifyInclusion(uint64_t index, uint64_t size, const Digest& leaf_hash,
                       const std::vector<Digest>& path, const Digest& root);

// RFC 9162 §2.1.4.2, plus the trivial cases: old_size == new_size (empty
// proof, equal roots) and old_size == 0 (empty proof).
Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Digest& old_root,
                         const Digest& new_root, const std::vector<Digest>& proof);

// An append-only compact range [0, size): the roots of the complete subtrees
// the size's binary representation decomposes it into, largest first. Appends
// cost O(1) amortized node hashes; the root costs O(log n).
class Frontier {
 public:
  // Called for every complete subtree that an append closes (level >= 1).
  using NodeSink = std::function<void(int level, uint64_t index, const Digest& hash)>;

  uint64_t size() const { return size_; }
  const std::vector<Digest>& nodes() const { return nodes_; }
  void Append(const Digest& leaf_hash, const NodeSink& sink = nullptr);
  Digest Root() const;
  // Restores a saved state; fails when `nodes` does not fit `size`.
  Status Reset(uint64_t size, std::vector<Digest> nodes);

 private:
  uint64_t size_ = 0;
  std::vector<Digest> nodes_;  // one per set bit of size_, highest bit first
};

}  // namespace qf::merkle
