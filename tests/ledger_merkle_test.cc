// RFC 9162 Merkle math and signed checkpoints: published known-answer vectors,
// every inclusion and consistency proof of small trees, systematic corruption.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/hash.h"
#include "ledger/checkpoint.h"
#include "ledger/merkle.h"

namespace qf::ledger {
namespace {

using merkle::LeafHash;

Digest FromHex(const std::string& hex) {
  Digest d{};
  for (size_t i = 0; i < 32; ++i)
    d[i] = static_cast<uint8_t>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return d;
}

// The certificate-transparency reference leaves (merkle_test / logverifier tests).
std::vector<std::string> CtLeaves() {
  return {std::string(),
          std::string(1, '\x00'),
          "\x10",
          "\x20\x21",
          "\x30\x31",
          "\x40\x41\x42\x43",
          "\x50\x51\x52\x53\x54\x55\x56\x57",
          "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f"};
}

std::vector<Digest> Hashes(const std::vector<std::string>& leaves) {
  std::vector<Digest> out;
  for (const auto& l : leaves) out.push_back(LeafHash(l));
  return out;
}

// Fetches complete subtrees from an in-memory list by the RFC's definition.
merkle::SubtreeFetcher NaiveFetch(const std::vector<Digest>& leaves) {
  return [&leaves](int level, uint64_t index) -> Result<Digest> {
    uint64_t n = uint64_t{1} << level;
    std::vector<Digest> part(leaves.begin() + static_cast<ptrdiff_t>(index * n),
                             leaves.begin() + static_cast<ptrdiff_t>((index + 1) * n));
    return merkle::RootOf(part);
  };
}

std::vector<Digest> Prefix(const std::vector<Digest>& v, size_t n) {
  return std::vector<Digest>(v.begin(), v.begin() + static_cast<ptrdiff_t>(n));
}

TEST(LedgerMerkle, EmptyTreeAndKnownRoots) {
  EXPECT_EQ(ToHex(merkle::EmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(ToHex(merkle::RootOf({})), ToHex(merkle::EmptyRoot()));
  const char* roots[] = {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                         "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                         "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                         "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                         "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                         "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                         "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                         "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  std::vector<Digest> leaves = Hashes(CtLeaves());
  EXPECT_EQ(ToHex(leaves[1]), "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
  merkle::Frontier f;
  for (size_t n = 1; n <= 8; ++n) {
    EXPECT_EQ(ToHex(merkle::RootOf(Prefix(leaves, n))), roots[n - 1]) << n;
    f.Append(leaves[n - 1]);
    EXPECT_EQ(ToHex(f.Root()), roots[n - 1]) << n;
  }
}

TEST(LedgerMerkle, KnownInclusionAndConsistencyProofs) {
  std::vector<Digest> leaves = Hashes(CtLeaves());
  auto fetch = NaiveFetch(leaves);
  auto hexes = [](const std::vector<Digest>& v) {
    std::vector<std::string> out;
    for (const auto& d : v) out.push_back(ToHex(d));
    return out;
  };
  struct Vec {
    uint64_t a, n;
    std::vector<std::string> path;
  };
  std::vector<Vec> inclusion = {
      {0, 1, {}},
      {0,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5,
       8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1,
       5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  for (const Vec& v : inclusion) {
    auto p = merkle::InclusionProof(v.a, v.n, fetch);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(hexes(*p), v.path) << v.a << "/" << v.n;
  }
  std::vector<Vec> consistency = {
      {1, 1, {}},
      {1,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6,
       8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2,
       5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
      {3,
       8,
       {"0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
  };
  for (const Vec& v : consistency) {
    auto p = merkle::ConsistencyProof(v.a, v.n, fetch);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(hexes(*p), v.path) << v.a << "/" << v.n;
    EXPECT_TRUE(merkle::VerifyConsistency(v.a, v.n, merkle::RootOf(Prefix(leaves, v.a)),
                                          merkle::RootOf(Prefix(leaves, v.n)), *p)
                    .ok());
  }
}

// Every proof of every tree up to 40 leaves verifies, and every corruption of
// it is rejected: wrong index, wrong size, a flipped bit, a missing, extra or
// duplicated element, swapped roots.
TEST(LedgerMerkle, AllProofsUpTo40AndEveryCorruptionRejected) {
  std::vector<Digest> all;
  for (int i = 0; i < 40; ++i) all.push_back(LeafHash("leaf " + std::to_string(i)));
  auto fetch = NaiveFetch(all);
  std::vector<Digest> roots(all.size() + 1);
  for (size_t n = 0; n <= all.size(); ++n) roots[n] = merkle::RootOf(Prefix(all, n));
  Digest other = LeafHash("not in the tree");
  for (uint64_t n = 1; n <= all.size(); ++n) {
    for (uint64_t i = 0; i < n; ++i) {
      auto p = merkle::InclusionProof(i, n, fetch);
      ASSERT_TRUE(p.ok());
      const auto& path = *p;
      ASSERT_TRUE(merkle::VerifyInclusion(i, n, all[i], path, roots[n]).ok()) << i << "/" << n;
      EXPECT_FALSE(merkle::VerifyInclusion(i, n, other, path, roots[n]).ok());
      EXPECT_FALSE(merkle::VerifyInclusion(i, n, all[i], path, other).ok());
      EXPECT_FALSE(merkle::VerifyInclusion(n, n, all[i], path, roots[n]).ok());
      for (uint64_t j = 0; j < n; ++j) {
        if (j != i) {
          EXPECT_FALSE(merkle::VerifyInclusion(j, n, all[i], path, roots[n]).ok());
        }
      }
      for (uint64_t m = 1; m <= all.size(); ++m) {
        // The size is bound to the root by the signed checkpoint: another
        // size's root must not be reachable with this path.
        if (m == n) continue;
        if (i < m) {
          EXPECT_FALSE(merkle::VerifyInclusion(i, m, all[i], path, roots[m]).ok());
        }
      }
      for (size_t k = 0; k < path.size(); ++k) {
        for (int bit : {0, 77, 255}) {
          auto bad = path;
          bad[k][bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
          EXPECT_FALSE(merkle::VerifyInclusion(i, n, all[i], bad, roots[n]).ok());
        }
        auto missing = path;
        missing.erase(missing.begin() + static_cast<ptrdiff_t>(k));
        EXPECT_FALSE(merkle::VerifyInclusion(i, n, all[i], missing, roots[n]).ok());
        auto dup = path;
        dup.insert(dup.begin() + static_cast<ptrdiff_t>(k), path[k]);
        EXPECT_FALSE(merkle::VerifyInclusion(i, n, all[i], dup, roots[n]).ok());
      }
      auto extra = path;
      extra.push_back(other);
      EXPECT_FALSE(merkle::VerifyInclusion(i, n, all[i], extra, roots[n]).ok());
      if (path.size() >= 2) {
        auto swapped = path;
        std::swap(swapped[0], swapped[1]);
        EXPECT_FALSE(merkle::VerifyInclusion(i, n, all[i], swapped, roots[n]).ok());
      }
    }
    for (uint64_t m = 0; m <= n; ++m) {
      auto p = merkle::ConsistencyProof(m, n, fetch);
      ASSERT_TRUE(p.ok());
      const auto& proof = *p;
      ASSERT_TRUE(merkle::VerifyConsistency(m, n, roots[m], roots[n], proof).ok()) << m << "/" << n;
      if (m == 0) continue;
      if (m != n) {
        EXPECT_FALSE(merkle::VerifyConsistency(m, n, roots[n], roots[m], proof).ok());  // swapped
        EXPECT_FALSE(merkle::VerifyConsistency(m, n, other, roots[n], proof).ok());
      }
      EXPECT_FALSE(merkle::VerifyConsistency(m, n, roots[m], other, proof).ok());
      for (uint64_t m2 = 1; m2 <= n; ++m2) {
        if (m2 != m) {
          EXPECT_FALSE(merkle::VerifyConsistency(m2, n, roots[m2], roots[n], proof).ok());
        }
      }
      if (n < all.size()) {
        EXPECT_FALSE(merkle::VerifyConsistency(m, n + 1, roots[m], roots[n + 1], proof).ok());
      }
      for (size_t k = 0; k < proof.size(); ++k) {
        auto bad = proof;
        bad[k][k % 32] ^= 0x20;
        EXPECT_FALSE(merkle::VerifyConsistency(m, n, roots[m], roots[n], bad).ok());
        auto missing = proof;
        missing.erase(missing.begin() + static_cast<ptrdiff_t>(k));
        EXPECT_FALSE(merkle::VerifyConsistency(m, n, roots[m], roots[n], missing).ok());
      }
      auto extra = proof;
      extra.push_back(other);
      EXPECT_FALSE(merkle::VerifyConsistency(m, n, roots[m], roots[n], extra).ok());
    }
  }
}

TEST(LedgerCheckpoint, SignVerifyAndReject) {
  char tmpl[] = "/tmp/qf-ledger-key-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  auto signer = Signer::LoadOrCreate(dir + "/k", "qingfeng/test");
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  auto again = Signer::LoadOrCreate(dir + "/k", "ignored");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->VerifierKey(), signer->VerifierKey());
  Checkpoint c{"qingfeng/test", 8,
               FromHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")};
  std::string body = CheckpointBody(c);
  EXPECT_EQ(body, "qingfeng/test\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
  std::string note = signer->Sign(body);
  auto v = Verifier::Parse(signer->VerifierKey());
  ASSERT_TRUE(v.ok());
  auto opened = VerifyCheckpoint(note, *v);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->size, 8u);
  EXPECT_EQ(opened->root, c.root);
  // Any change to the body or the signature is rejected.
  for (size_t i = 0; i < note.size(); ++i) {
    if (note[i] == '\n') continue;
    std::string bad = note;
    bad[i] ^= 0x01;
    EXPECT_FALSE(VerifyCheckpoint(bad, *v).ok()) << i;
  }
  // Another key, even under the same name, is rejected.
  auto other = Signer::LoadOrCreate(dir + "/k2", "qingfeng/test");
  ASSERT_TRUE(other.ok());
  auto ov = Verifier::Parse(other->VerifierKey());
  ASSERT_TRUE(ov.ok());
  EXPECT_FALSE(VerifyCheckpoint(note, *ov).ok());
  EXPECT_FALSE(Verifier::Parse("qingfeng/test+00000000+AAAA").ok());
  std::filesystem::remove_all(dir);
}

TEST(LedgerCheckpoint, KeyFileIsPrivate) {
  char tmpl[] = "/tmp/qf-ledger-key-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/k";
  ASSERT_TRUE(Signer::LoadOrCreate(path, "n").ok());
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::permissions(path, std::filesystem::perms::group_read,
                               std::filesystem::perm_options::add);
  EXPECT_FALSE(Signer::LoadOrCreate(path, "n").ok());
  std::filesystem::remove_all(tmpl);
}

}  // namespace
}  // namespace qf::ledger
