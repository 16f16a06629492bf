// The ledger in the store: proofs from stored nodes equal the naive ones,
// imports append leaves, direct SQL tampering is detected and named, proofs
// check out for an auditor (and tampered ones do not), and kill -9 during an
// import leaves a verifiable log.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "ingest/importer.h"
#include "ledger/audit.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "store/dataset_writer.h"
#include "store/store.h"
#include "test_util.h"

namespace qf::ledger {
namespace {

using qf::testing::ScratchDir;

// All levels of the tree of complete subtrees, computed directly in memory.
struct NaiveTree {
  std::vector<std::vector<Digest>> levels;
  explicit NaiveTree(std::vector<Digest> leaves) {
    levels.push_back(std::move(leaves));
    while (levels.back().size() > 1) {
      const auto& prev = levels.back();
      std::vector<Digest> next;
      for (size_t i = 0; i + 1 < prev.size(); i += 2)
        next.push_back(merkle::NodeHash(prev[i], prev[i + 1]));
      levels.push_back(std::move(next));
    }
  }
  merkle::SubtreeFetcher Fetch() const {
    return [this](int level, uint64_t index) -> Result<Digest> { return levels[level][index]; };
  }
};

class LedgerStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    auto s = Store::Open(dir_.File("t.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  Db* db() { return store_->db(); }

  void Exec(const std::string& sql) {
    Status s = db()->Exec(sql);
    ASSERT_TRUE(s.ok()) << s.ToString() << " in " << sql;
  }
  std::vector<ImportReport> Import(const std::string& dataset, const std::string& path) {
    Importer imp(store_.get());
    auto r = imp.ImportFile(dataset, path, {});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : std::vector<ImportReport>{};
  }
  std::string Payments(const std::string& name, int rows, int changed_from = -1) {
    std::string text = "payment_id,pay_date,org,payee_name,amount\n";
    for (int i = 0; i < rows; ++i) {
      int amount = i >= changed_from && changed_from >= 0 ? 1000 + i : i;
      text += "P" + std::to_string(i) + ",2024-01-0" + std::to_string(1 + i % 9) +
              ",财政局,收款人" + std::to_string(i) + "," + std::to_string(amount) + ".50\n";
    }
    return dir_.Write(name, text);
  }
  VerifyReport VerifyNow() {
    auto signer = SignerFor(store_->db_path());
    EXPECT_TRUE(signer.ok());
    auto v = Verifier::Parse(signer->VerifierKey());
    auto r = Verify(db(), &v.value());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::move(r).value() : VerifyReport{};
  }
  // "kind dataset key version" per problem, sorted, for exact comparisons.
  static std::vector<std::string> Named(const VerifyReport& r) {
    std::vector<std::string> out;
    for (const auto& p : r.problems) {
      out.push_back(std::string(KindName(p.kind, false)) + " " + p.dataset + " " + p.key + " " +
                    std::to_string(p.version));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  ScratchDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(LedgerStoreTest, StoredProofsEqualNaiveAcrossBatchesAndTransactions) {
  constexpr int kLeaves = 70000;  // past 2^16: stored nodes at levels 8 and 16
  std::vector<Digest> leaves;
  std::mt19937 rng(7);
  int next = 0;
  while (next < kLeaves) {
    Transaction tx(db());
    ASSERT_TRUE(tx.Begin().ok());
    auto l = Ledger::Open(db());
    ASSERT_TRUE(l.ok());
    ASSERT_EQ((*l)->size(), static_cast<uint64_t>(next));
    int batch = std::min<int>(kLeaves - next, 1 + static_cast<int>(rng() % 20000));
    for (int i = 0; i < batch; ++i, ++next) {
      Digest h = merkle::LeafHash("leaf " + std::to_string(next));
      leaves.push_back(h);
      ASSERT_TRUE((*l)->AppendLeafHash(kSourceAction, next, h).ok());
    }
    ASSERT_TRUE((*l)->Flush().ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  NaiveTree naive(leaves);
  auto l = Ledger::Open(db());
  ASSERT_TRUE(l.ok());
  Ledger& ledger = **l;
  EXPECT_EQ(ledger.Root(), merkle::RootOf(leaves));
  std::vector<uint64_t> sizes = {1,   2,    3,     7,     8,     255,   256,  257,
                                 511, 4097, 65535, 65536, 65537, 69999, 70000};
  for (uint64_t n : sizes) {
    auto root = ledger.RootAt(n);
    ASSERT_TRUE(root.ok());
    std::vector<Digest> prefix(leaves.begin(), leaves.begin() + static_cast<ptrdiff_t>(n));
    ASSERT_EQ(*root, merkle::RootOf(prefix)) << n;
    for (uint64_t i : {uint64_t{0}, n / 3, n / 2, n - 1, (n * 7) / 11}) {
      auto got = ledger.InclusionProof(i, n);
      auto want = merkle::InclusionProof(i, n, naive.Fetch());
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      ASSERT_EQ(*got, *want) << i << "/" << n;
      EXPECT_TRUE(merkle::VerifyInclusion(i, n, leaves[i], *got, *root).ok());
    }
    for (uint64_t m : sizes) {
      if (m > n) continue;
      auto got = ledger.ConsistencyProof(m, n);
      auto want = merkle::ConsistencyProof(m, n, naive.Fetch());
      ASSERT_TRUE(got.ok());
      ASSERT_EQ(*got, *want) << m << "/" << n;
    }
  }
  // Small trees exhaustively, through the stored path.
  for (uint64_t n = 1; n <= 24; ++n) {
    for (uint64_t i = 0; i < n; ++i) {
      ASSERT_EQ(ledger.InclusionProof(i, n).value(),
                merkle::InclusionProof(i, n, naive.Fetch()).value());
    }
  }
  // Overhead per leaf stays small: leaf table, its index and stored nodes.
  auto bytes = db()->QueryInt(
      "SELECT SUM(pgsize) FROM dbstat WHERE name IN ('ledger_leaves', 'ledger_leaves_ref', "
      "'ledger_nodes')");
  if (bytes.ok() && *bytes > 0) {
    EXPECT_LE(static_cast<double>(*bytes) / kLeaves, 80.0);
  }
}

TEST_F(LedgerStoreTest, ImportAppendsLeavesAndCheckpoints) {
  auto r = Import("payments", Payments("p1.csv", 20));
  ASSERT_EQ(r.size(), 1u);
  auto l = Ledger::Open(db());
  EXPECT_EQ((*l)->size(), 21u);  // the file + 20 rows
  // Same file again: a file leaf, no row leaves (unchanged rows add none).
  Import("payments", Payments("p1b.csv", 20));
  // Five rows changed: a file leaf and five row versions.
  r = Import("payments", Payments("p2.csv", 20, 15));
  EXPECT_EQ(r[0].changed, 5);
  l = Ledger::Open(db());
  EXPECT_EQ((*l)->size(), 21u + 1 + 6);
  EXPECT_EQ(db()->QueryInt("SELECT COUNT(*) FROM ledger_checkpoints").value(), 3);
  VerifyReport rep = VerifyNow();
  EXPECT_TRUE(rep.ok()) << Named(rep).size();
  EXPECT_EQ(rep.leaves, 28u);
  EXPECT_EQ(rep.checkpoints_checked, 3u);
  // Actions are leaves too.
  auto idx = RecordAction(db(), {"clerk01", "export", "payments", R"({"rows":20})", ""});
  ASSERT_TRUE(idx.ok());
  EXPECT_EQ(*idx, 28u);
  EXPECT_TRUE(VerifyNow().ok());
  Exec("UPDATE ledger_actions SET actor = 'someone_else'");
  EXPECT_EQ(Named(VerifyNow()), std::vector<std::string>{"edited actions 1 0"});
}

TEST_F(LedgerStoreTest, DirectSqlTamperingIsDetectedAndNamed) {
  Import("payments", Payments("p1.csv", 30));
  Import("payments", Payments("p2.csv", 30, 25));
  ASSERT_TRUE(VerifyNow().ok());
  // An amount changed in place.
  Exec("UPDATE payments_versions SET amount = amount + 1 WHERE _key = 'P3'");
  EXPECT_EQ(Named(VerifyNow()), std::vector<std::string>{"edited payments P3 1"});
  // Changing the stored row hash along with it does not help.
  Exec("UPDATE payments_versions SET _row_hash = zeroblob(32) WHERE _key = 'P3'");
  EXPECT_EQ(Named(VerifyNow()), std::vector<std::string>{"edited payments P3 1"});
  // A row deleted (its key is gone with it: named by row id and leaf).
  Exec("DELETE FROM payments_versions WHERE _key = 'P7'");
  auto rep = VerifyNow();
  EXPECT_EQ(Named(rep), (std::vector<std::string>{"deleted payments  0", "edited payments P3 1"}));
  for (const auto& p : rep.problems) {
    if (p.kind == Problem::Kind::kDeleted) {
      EXPECT_EQ(p.row_id, 8);
      EXPECT_NE(p.detail_en.find("p1.csv"), std::string::npos) << p.detail_en;
    }
  }
  // A row slipped in.
  Exec(
      "INSERT INTO payments_versions(_key, _version, _current, _import_id, _seen_import, _line, "
      "_row_hash, payment_id, pay_date, org, payee_name, amount) VALUES ('X1', 1, 1, 1, 1, 2, "
      "zeroblob(32), 'X1', '2024-01-01', '局', '某人', 100)");
  EXPECT_EQ(Named(VerifyNow()),
            (std::vector<std::string>{"deleted payments  0", "edited payments P3 1",
                                      "inserted payments X1 1"}));
  // An old version made current again.
  Exec("UPDATE payments_versions SET _current = 1 WHERE _key = 'P26' AND _version = 1");
  EXPECT_EQ(Named(VerifyNow()).size(), 4u);
}

TEST_F(LedgerStoreTest, SwappedAndMovedRowsAreReordered) {
  Import("payments", Payments("p1.csv", 10));
  // Two rows' contents swapped (row ids exchanged).
  Exec("UPDATE payments_versions SET _row_id = -1 WHERE _key = 'P2'");
  Exec("UPDATE payments_versions SET _row_id = 3 WHERE _key = 'P5'");
  Exec("UPDATE payments_versions SET _row_id = 6 WHERE _key = 'P2'");
  EXPECT_EQ(Named(VerifyNow()),
            (std::vector<std::string>{"reordered payments P2 1", "reordered payments P5 1"}));
  // A row deleted and re-inserted at the end (a new row id).
  Exec("UPDATE payments_versions SET _row_id = -1 WHERE _key = 'P2'");
  Exec("UPDATE payments_versions SET _row_id = 6 WHERE _key = 'P5'");
  Exec("UPDATE payments_versions SET _row_id = 3 WHERE _key = 'P2'");
  ASSERT_TRUE(VerifyNow().ok());
  Exec("UPDATE payments_versions SET _row_id = 100 WHERE _key = 'P4'");
  auto named = Named(VerifyNow());
  EXPECT_EQ(named, (std::vector<std::string>{"deleted payments  0", "reordered payments P4 1"}));
  // Leaves swapped in the log itself: the signed checkpoint no longer matches.
  Exec("UPDATE payments_versions SET _row_id = 5 WHERE _key = 'P4'");
  ASSERT_TRUE(VerifyNow().ok());
  Exec("UPDATE ledger_leaves SET idx = -1 WHERE idx = 2");
  Exec("UPDATE ledger_leaves SET idx = 2 WHERE idx = 3");
  Exec("UPDATE ledger_leaves SET idx = 3 WHERE idx = -1");
  auto rep = VerifyNow();
  bool ledger_flagged = false;
  for (const auto& p : rep.problems) ledger_flagged |= p.kind == Problem::Kind::kLedger;
  EXPECT_TRUE(ledger_flagged);
  EXPECT_NE(std::find(Named(rep).begin(), Named(rep).end(), "reordered payments P2 1"),
            Named(rep).end());
}

TEST_F(LedgerStoreTest, ProofsCheckOutAndTamperedOnesDoNot) {
  Import("payments", Payments("p1.csv", 40));
  Import("payments", Payments("p2.csv", 40, 30));
  auto signer = SignerFor(store_->db_path());
  ASSERT_TRUE(signer.ok());
  auto v = Verifier::Parse(signer->VerifierKey());
  ASSERT_TRUE(v.ok());
  auto proof = ProveRecord(db(), *signer, "payments", "P33");
  ASSERT_TRUE(proof.ok()) << proof.status().ToString();
  nlohmann::json j = nlohmann::json::parse(proof->dump());
  EXPECT_EQ(j["record"]["version"], 2);
  EXPECT_EQ(j["record"]["values"]["amount"], "103350");
  auto ok = CheckProof(j, *v, false);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();

  auto rejected = [&](const nlohmann::json& bad) { return !CheckProof(bad, *v, false).ok(); };
  auto with = [&](auto edit) {
    nlohmann::json b = j;
    edit(b);
    return b;
  };
  EXPECT_TRUE(
      rejected(with([](auto& b) { b["leaf_index"] = b["leaf_index"].template get<int>() + 1; })));
  EXPECT_TRUE(rejected(with([](auto& b) { b["leaf_index"] = 0; })));
  EXPECT_TRUE(
      rejected(with([](auto& b) { b["tree_size"] = b["tree_size"].template get<int>() - 1; })));
  EXPECT_TRUE(rejected(with([](auto& b) { b["record"]["values"]["amount"] = "999"; })));
  EXPECT_TRUE(rejected(with([](auto& b) { b["record"]["key"] = "P34"; })));
  EXPECT_TRUE(rejected(with([](auto& b) { b["record"]["version"] = 1; })));
  std::string path0 = j["audit_path"][0];
  for (size_t k = 0; k < j["audit_path"].size(); ++k) {
    EXPECT_TRUE(rejected(with([k](auto& b) {
      std::string h = b["audit_path"][k];
      h[5] = h[5] == '0' ? '1' : '0';
      b["audit_path"][k] = h;
    })));
    EXPECT_TRUE(rejected(with([k](auto& b) { b["audit_path"].erase(k); })));
  }
  EXPECT_TRUE(rejected(with([&](auto& b) { b["audit_path"].push_back(path0); })));
  EXPECT_TRUE(rejected(with([](auto& b) { b["audit_path"] = nlohmann::json::array(); })));
  // The record's bytes, the leaf's bytes, the checkpoint's root or size.
  EXPECT_TRUE(rejected(with([](auto& b) {
    auto c = FromBase64(b["record"]["canonical_row_base64"].template get<std::string>()).value();
    c[c.size() - 5] ^= 1;
    b["record"]["canonical_row_base64"] = Base64(c);
  })));
  EXPECT_TRUE(rejected(with([](auto& b) {
    auto c = FromBase64(b["leaf_data_base64"].template get<std::string>()).value();
    c[c.size() - 1] ^= 1;
    b["leaf_data_base64"] = Base64(c);
  })));
  EXPECT_TRUE(rejected(with([](auto& b) {
    std::string note = b["checkpoint"];
    size_t nl = note.find('\n');
    size_t nl2 = note.find('\n', nl + 1);
    note.replace(nl + 1, nl2 - nl - 1, "1000");
    b["checkpoint"] = note;
  })));
  // A proof whose root is swapped for another checkpoint's (older, honestly signed).
  std::string first_cp;
  {
    auto st = db()->Prepare("SELECT note FROM ledger_checkpoints ORDER BY size LIMIT 1");
    ASSERT_TRUE(st->Step().value());
    first_cp = st->Text(0);
  }
  EXPECT_TRUE(rejected(with([&](auto& b) { b["checkpoint"] = first_cp; })));
  // A different key.
  auto other = Signer::LoadOrCreate(dir_.File("other.key"), signer->name());
  ASSERT_TRUE(other.ok());
  auto ov = Verifier::Parse(other->VerifierKey());
  EXPECT_FALSE(CheckProof(j, *ov, false).ok());

  // Consistency between the two checkpoints.
  auto cons = ProveConsistency(db(), *signer, 41, 0);
  ASSERT_TRUE(cons.ok()) << cons.status().ToString();
  nlohmann::json cj = nlohmann::json::parse(cons->dump());
  EXPECT_TRUE(cj.contains("old_checkpoint"));
  EXPECT_TRUE(CheckProof(cj, *v, false).ok());
  cj["old_size"] = 40;
  EXPECT_FALSE(CheckProof(cj, *v, false).ok());
}

std::string RunCli(const std::string& args) {
  std::string cmd = std::string(QF_BINARY) + " --lang en " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  return std::to_string(WEXITSTATUS(rc)) + "\n" + out;
}

TEST_F(LedgerStoreTest, CliProveAndCheckProofWithPubkey) {
  std::string db_path = store_->db_path();
  Import("payments", Payments("p1.csv", 5));
  store_.reset();
  std::string db = " --db " + db_path + " ";
  std::string pub = RunCli(db + "ledger pubkey");
  ASSERT_EQ(pub.substr(0, 2), "0\n");
  std::string key = pub.substr(2, pub.find('\n', 2) - 2);
  ASSERT_EQ(RunCli(db + "ledger prove payments P2 -o " + dir_.File("proof.json")).substr(0, 2),
            "0\n");
  std::string ok =
      RunCli("ledger check-proof " + dir_.File("proof.json") + " --pubkey '" + key + "'");
  EXPECT_EQ(ok.substr(0, 2), "0\n") << ok;
  EXPECT_NE(ok.find("proof valid"), std::string::npos);
  dir_.Write("pub.txt", key + "\n");
  EXPECT_EQ(
      RunCli("ledger check-proof " + dir_.File("proof.json") + " --pubkey " + dir_.File("pub.txt"))
          .substr(0, 2),
      "0\n");
  auto other = Signer::LoadOrCreate(dir_.File("o.key"), "qingfeng/other");
  std::string bad = RunCli("ledger check-proof " + dir_.File("proof.json") + " --pubkey '" +
                           other->VerifierKey() + "'");
  EXPECT_EQ(bad.substr(0, 2), "1\n") << bad;
  EXPECT_NE(bad.find("REJECTED"), std::string::npos);
  EXPECT_EQ(RunCli(db + "ledger verify").substr(0, 2), "0\n");
  EXPECT_EQ(RunCli(db + "ledger consistency 1").substr(0, 2), "0\n");
  EXPECT_EQ(RunCli(db + "ledger head").substr(0, 2), "0\n");
}

// kill -9 while an import appends leaves: the log verifies afterwards, and the
// same file imports cleanly.
TEST_F(LedgerStoreTest, KillDuringImportLeavesVerifiableLog) {
  Import("payments", Payments("small.csv", 3));
  std::string big = dir_.File("big.csv");
  qf::testing::WriteBigPayments(big, 400000);
  std::string db = store_->db_path();
  store_.reset();
  ASSERT_TRUE(qf::testing::KillImportMidway(db, big, 6u << 20))  // into the rows and leaves
      << "the import finished before it could be killed";
  Open();
  VerifyReport rep = VerifyNow();
  EXPECT_TRUE(rep.ok()) << Named(rep).size();
  EXPECT_EQ(rep.leaves, 4u);
  store_.reset();
  EXPECT_EQ(RunCli("--db " + db + " ledger verify").substr(0, 2), "0\n");
}

// The canonical row bytes are part of every stored ledger: they never change.
TEST(CanonicalRowTest, BytesAreFixed) {
  DatasetDef def;
  def.name = "demo";
  def.columns = {{"id", ColumnType::kText},
                 {"amount", ColumnType::kMoney},
                 {"ratio", ColumnType::kRatio},
                 {"note", ColumnType::kText}};
  def.key = {0};
  std::vector<Value> values = {Value::Text("A-1"), Value::Int(-1205), Value::Real(0.25),
                               Value::Null()};
  const std::string expected =
      "qingfeng-row-v1;4:demo3:A-12:ids3:A-16:amounti5:-12055:ratior4:0.254:noten0:"
      "9:{\"x\":\"y\"}";
  EXPECT_EQ(CanonicalRow(def, "A-1", values, "{\"x\":\"y\"}"), expected);
  std::string reused = "left over";
  CanonicalRowInto(&reused, def, "A-1", values, "{\"x\":\"y\"}");
  EXPECT_EQ(reused, expected);
  // The import's direct leaf hash is the leaf hash of the row's leaf data.
  Digest row_hash = Sha256(expected);
  EXPECT_EQ(RowLeafHash("demo", "A-1", 3, row_hash),
            merkle::LeafHash(RowLeafData("demo", "A-1", 3, row_hash)));
}

}  // namespace
}  // namespace qf::ledger
