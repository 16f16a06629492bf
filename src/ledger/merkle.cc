#include "ledger/merkle.h"

#include <bit>
#include <cstring>
#include <string>

namespace qf::merkle {

namespace {

// The largest power of two strictly less than n (n >= 2): the RFC's split point k.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

Status BadProof(const std::string& why) { return Status::Corruption("proof rejected: " + why); }

}  // namespace

Digest LeafHash(std::string_view data) {
  thread_local std::string buf;
  buf.assign(1, '\0');
  buf.append(data);
  return Sha256(buf);
}

Digest NodeHash(const Digest& left, const Digest& right) {
  char buf[65];
  buf[0] = 1;
  std::memcpy(buf + 1, left.data(), 32);
  std::memcpy(buf + 33, right.data(), 32);
  return Sha256(std::string_view(buf, sizeof buf));
}

Digest EmptyRoot() { return Sha256(std::string_view()); }

namespace {
Digest RootOfRange(const std::vector<Digest>& leaves, size_t begin, size_t end) {
  if (end - begin == 1) return leaves[begin];
  size_t k = SplitPoint(end - begin);
  return NodeHash(RootOfRange(leaves, begin, begin + k), RootOfRange(leaves, begin + k, end));
}
}  // namespace

Digest RootOf(const std::vector<Digest>& leaf_hashes) {
  if (leaf_hashes.empty()) return EmptyRoot();
  return RootOfRange(leaf_hashes, 0, leaf_hashes.size());
}

Result<Digest> RangeHash(uint64_t begin, uint64_t end, const SubtreeFetcher& fetch) {
  if (end <= begin) return Status::InvalidArgument("empty range");
  uint64_t n = end - begin;
  // A complete, aligned subtree is fetched whole.
  if (std::has_single_bit(n) && begin % n == 0) {
    return fetch(std::countr_zero(n), begin / n);
  }
  uint64_t k = SplitPoint(n);
  QF_ASSIGN_OR_RETURN(Digest left, RangeHash(begin, begin + k, fetch));
  QF_ASSIGN_OR_RETURN(Digest right, RangeHash(begin + k, end, fetch));
  return NodeHash(left, right);
}

namespace {

// PATH(m, D[begin:end]) with m relative to begin; appends bottom-up.
Status Path(uint64_t m, uint64_t begin, uint64_t end, const SubtreeFetcher& fetch,
            std::vector<Digest>* out) {
  uint64_t n = end - begin;
  if (n <= 1) return Status::OK();
  uint64_t k = SplitPoint(n);
  if (m < k) {
    QF_RETURN_IF_ERROR(Path(m, begin, begin + k, fetch, out));
    QF_ASSIGN_OR_RETURN(Digest h, RangeHash(begin + k, end, fetch));
    out->push_back(h);
  } else {
    QF_RETURN_IF_ERROR(Path(m - k, begin + k, end, fetch, out));
    QF_ASSIGN_OR_RETURN(Digest h, RangeHash(begin, begin + k, fetch));
    out->push_back(h);
  }
  return Status::OK();
}

// SUBPROOF(m, D[begin:end], b) of RFC 9162 §2.1.4.1.
Status SubProof(uint64_t m, uint64_t begin, uint64_t end, bool b, const SubtreeFetcher& fetch,
                std::vector<Digest>* out) {
  uint64_t n = end - begin;
  if (m == n) {
    if (b) return Status::OK();
    QF_ASSIGN_OR_RETURN(Digest h, RangeHash(begin, end, fetch));
    out->push_back(h);
    return Status::OK();
  }
  uint64_t k = SplitPoint(n);
  if (m <= k) {
    QF_RETURN_IF_ERROR(SubProof(m, begin, begin + k, b, fetch, out));
    QF_ASSIGN_OR_RETURN(Digest h, RangeHash(begin + k, end, fetch));
    out->push_back(h);
  } else {
    QF_RETURN_IF_ERROR(SubProof(m - k, begin + k, end, false, fetch, out));
    QF_ASSIGN_OR_RETURN(Digest h, RangeHash(begin, begin + k, fetch));
    out->push_back(h);
  }
  return Status::OK();
}

}  // namespace

Result<std::vector<Digest>> InclusionProof(uint64_t index, uint64_t size,
                                           const SubtreeFetcher& fetch) {
  if (index >= size) return Status::InvalidArgument("leaf index beyond the tree");
  std::vector<Digest> out;
  QF_RETURN_IF_ERROR(Path(index, 0, size, fetch, &out));
  return out;
}

Result<std::vector<Digest>> ConsistencyProof(uint64_t old_size, uint64_t new_size,
                                             const SubtreeFetcher& fetch) {
  if (old_size > new_size) return Status::InvalidArgument("old size beyond new size");
  std::vector<Digest> out;
  if (old_size == 0 || old_size == new_size) return out;
  QF_RETURN_IF_ERROR(SubProof(old_size, 0, new_size, true, fetch, &out));
  return out;
}

Status VerifyInclusion(uint64_t index, uint64_t size, const Digest& leaf_hash,
                       const std::vector<Digest>& path, const Digest& root) {
  if (index >= size) return BadProof("leaf index " + std::to_string(index) + " >= tree size");
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Digest r = leaf_hash;
  for (const Digest& p : path) {
    if (sn == 0) return BadProof("audit path too long");
    if ((fn & 1) || fn == sn) {
      r = NodeHash(p, r);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return BadProof("audit path too short");
  if (r != root) return BadProof("computed root differs from the checkpoint's root");
  return Status::OK();
}

Status VerifyConsistency(uint64_t old_size, uint64_t new_size, const Digest& old_root,
                         const Digest& new_root, const std::vector<Digest>& proof) {
  if (old_size > new_size) return BadProof("old size beyond new size");
  if (old_size == new_size) {
    if (!proof.empty()) return BadProof("a proof between equal sizes must be empty");
    if (old_root != new_root) return BadProof("equal sizes with different roots");
    return Status::OK();
  }
  if (old_size == 0) {
    if (!proof.empty()) return BadProof("a proof from the empty tree must be empty");
    return Status::OK();
  }
  if (proof.empty()) return BadProof("empty consistency proof");
  std::vector<Digest> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while (fn & 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Digest fr = path[0];
  Digest sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Digest& c = path[i];
    if (sn == 0) return BadProof("consistency proof too long");
    if ((fn & 1) || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if (!(fn & 1)) {
        while (!(fn & 1) && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return BadProof("consistency proof too short");
  if (fr != old_root) return BadProof("proof does not reproduce the old root");
  if (sr != new_root) return BadProof("proof does not reproduce the new root");
  return Status::OK();
}

void Frontier::Append(const Digest& leaf_hash, const NodeSink& sink) {
  // Merge equal-sized subtrees from the right, like binary carry propagation.
  Digest h = leaf_hash;
  uint64_t index = size_;  // index of the subtree `h` roots at `level`
  int level = 0;
  while ((size_ >> level) & 1) {
    h = NodeHash(nodes_.back(), h);
    nodes_.pop_back();
    ++level;
    index >>= 1;
    if (sink) sink(level, index, h);
  }
  nodes_.push_back(h);
  ++size_;
}

Digest Frontier::Root() const {
  if (nodes_.empty()) return EmptyRoot();
  Digest r = nodes_.back();
  for (size_t i = nodes_.size() - 1; i-- > 0;) r = NodeHash(nodes_[i], r);
  return r;
}

Status Frontier::Reset(uint64_t size, std::vector<Digest> nodes) {
  if (static_cast<size_t>(std::popcount(size)) != nodes.size()) {
    return Status::Corruption("ledger frontier does not match its size");
  }
  size_ = size;
  nodes_ = std::move(nodes);
  return Status::OK();
}

}  // namespace qf::merkle
