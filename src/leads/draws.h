// 双随机一公开: random inspection draws. Targets are drawn at random from the
// register of inspectable entities (检查对象名录库), inspectors at random from
// the register of inspectors (执法检查人员名录库), conflicts of interest are
// recused (回避) automatically, and the results are published.
//
// A draw is reproducible and verifiable (docs/draws.md has the algorithm):
//  1. Plan: both registers are taken from the store's current rows, serialised
//     canonically and kept; their SHA-256 and a commitment SHA-256(seed) go to
//     the ledger before anything is drawn. The 32-byte seed is generated then
//     and kept sealed to the office's key (or held by the caller, who reveals
//     it at execution).
//  2. Execute: the seed is revealed; a SHA-256 counter-mode stream drives
//     Fisher–Yates over each risk class's sorted register, then over the
//     inspectors for each target, skipping the inspectors the relationship
//     graph links to the target. Seed, result hash and recusals go to the ledger.
//  3. Results are entered per target; 4. the draw is published.
// Verify recomputes everything from the kept snapshots, the revealed seed and
// the recorded recusals, and checks them against the ledger.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/hash.h"
#include "common/status.h"
#include "store/db.h"

namespace qf::leads {

struct LiveNetwork;  // leads/matches.h

// Risk classes, lowest risk first: A 低风险, B 一般, C 较高, D 高风险.
inline constexpr std::array<char, 4> kRiskClasses = {'A', 'B', 'C', 'D'};

struct RegisterEntity {
  std::string credit_code, name;
  char risk = 'A';
  std::string risk_reason;  // why the class (not part of the canonical form)
};
struct RegisterInspector {
  std::string id_number, name, org, position;
};

// Canonical forms (docs/draws.md): a header line, then one record per line,
// each field "<decimal byte length>:<bytes>", records sorted by key.
std::string SerializeEntities(std::vector<RegisterEntity> entities);
std::string SerializeInspectors(std::vector<RegisterInspector> inspectors);
Result<std::vector<RegisterEntity>> ParseEntities(std::string_view bytes);
Result<std::vector<RegisterInspector>> ParseInspectors(std::string_view bytes);

struct DrawPlan {
  std::string item;  // 检查事项
  std::string org;   // 实施机关: officials.org of the inspectors
  // Sampling ratio per risk class A..D in basis points (1% = 100), 0..10000.
  std::array<int, 4> ratio_bp = {300, 500, 1000, 2000};
  int inspectors_per_target = 2;  // at least 2
  // Entity filters: region code prefix ("2109") and industry (substring); "" = all.
  std::string region_prefix, industry;
  // Inspector filter: the position must contain this ("执法"); "" = all in post.
  std::string post_filter;
  // Risk classes given by the plan (credit code → 'A'..'D'), over the rule.
  std::map<std::string, char> risk_overrides;
  // 64 hex digits: the caller holds the seed and reveals it at execution;
  // the plan keeps only SHA-256(seed). Empty: 32 random bytes, sealed.
  std::string seed_commitment;
};

// The registers as the store holds them now. Entities: companies 存续/在业,
// filtered by the plan, with the risk rule (docs/draws.md):
//   D: two or more 处罚 cases, or any 强制 case, in `enforcement`;
//   C: one 处罚 case, or a 吊销 status in the company's history;
//   B: established less than a year before `today`;
//   A: otherwise. Overrides in the plan win.
// Inspectors: officials of the plan's org without an end date (and with the
// post filter), each ID number once.
Result<std::vector<RegisterEntity>> BuildEntityRegister(Db* db, const DrawPlan& plan,
                                                        std::string_view today);
Result<std::vector<RegisterInspector>> BuildInspectorRegister(Db* db, const DrawPlan& plan);

// The deterministic stream: block i = SHA-256(seed ‖ uint64 big-endian i);
// 8 bytes at a time, big-endian; Uniform(n) by rejection below the largest
// multiple of n.
class DrawStream {
 public:
  explicit DrawStream(const Digest& seed) : seed_(seed) {}
  uint64_t Next64();
  uint64_t Uniform(uint64_t n);  // in [0, n), n ≥ 1
  // Fisher–Yates: for i = n-1 … 1, j = Uniform(i+1), swap(v[i], v[j]).
  template <typename T>
  void Shuffle(std::vector<T>* v) {
    for (size_t i = v->size(); i > 1; --i) std::swap((*v)[i - 1], (*v)[Uniform(i)]);
  }

 private:
  Digest seed_;
  uint64_t counter_ = 0;
  Digest block_{};
  size_t used_ = 32;
};

// One recorded recusal: the inspector is never paired with the target.
struct Recusal {
  std::string credit_code, inspector_id;
  std::string reason;  // the graph path, masked ("张某 —配偶→ 李某 —持股35%→ 某公司")
};
struct DrawTarget {
  std::string credit_code, name;
  char risk = 'A';
  std::vector<std::string> inspector_ids;  // in draw order
};
// Who may not inspect whom: called for every (target, inspector) pair
// candidate; return true with the reason to recuse.
using ConflictFn =
    std::function<bool(const RegisterEntity&, const RegisterInspector&, std::string*)>;

// The pure draw: targets per class = ceil(n × ratio_bp / 10000); inspectors
// for each target in target order. `recusals` are an input (found by the
// caller at execution, recorded, and reused by Verify).
Result<std::vector<DrawTarget>> RunDraw(const std::vector<RegisterEntity>& entities,
                                        const std::vector<RegisterInspector>& inspectors,
                                        const std::array<int, 4>& ratio_bp, int per_target,
                                        const Digest& seed, const std::vector<Recusal>& recusals);
// The canonical bytes of a result and of a recusal list (hashed into the ledger).
std::string SerializeResult(const std::vector<DrawTarget>& targets);
std::string SerializeRecusals(std::vector<Recusal> recusals);

// ---------------------------------------------------------------------------
// The store side (migration 8: draws, draw_targets, draw_assignments, draw_recusals).

struct DrawSummary {
  int64_t id = 0;
  std::string item, org, status;  // planned, executed, published
  std::string entity_register_sha256, inspector_register_sha256, seed_commitment;
  std::string seed_hex;  // "" until executed
  std::string result_sha256;
  int64_t entities = 0, inspectors = 0, targets = 0;
  std::string created_by, created_at, executed_at, published_at;
  std::string plan_json;
};
struct TargetRow {
  int seq = 0;
  std::string credit_code, name;
  char risk = 'A';
  std::vector<std::pair<std::string, std::string>> inspectors;  // (id number, name)
  std::string result, result_date;
  int64_t penalty_fen = 0;
  bool has_result = false;
};
struct DrawDetail {
  DrawSummary summary;
  std::vector<TargetRow> targets;
  std::vector<Recusal> recusals;
};

// Step 1, own transaction: registers kept, ledger action "draw_plan" with the
// register hashes and the seed commitment. `db_path` locates the office key.
Result<int64_t> CreateDrawPlan(Db* db, const std::string& db_path, const DrawPlan& plan,
                               const std::string& actor);
// Step 2, own transaction. `seed_hex` is required when the plan was given a
// commitment and must match it; otherwise empty (the sealed seed is opened).
// Recusal: graph paths of at most 3 hops over household, relative,
// shareholder, legal_rep and official_of (never through the plan's org)
// between an inspector and a target. InvalidInput naming the target when
// fewer than per_target unconflicted inspectors remain (nothing is written).
// `network`: the store's current network when the caller keeps one (the
// server does); nullptr builds it from the store.
Result<DrawDetail> ExecuteDraw(Db* db, const std::string& db_path, int64_t id,
                               const std::string& seed_hex, const std::string& actor,
                               const LiveNetwork* network = nullptr);
// As ExecuteDraw, with the conflicts given (tests; the CLI and API use the graph).
Result<DrawDetail> ExecuteDrawWith(Db* db, const std::string& db_path, int64_t id,
                                   const std::string& seed_hex, const ConflictFn& conflict,
                                   const std::string& actor);
// Step 3: the result for one drawn target (by credit code), ledger action "draw_result".
struct InspectionResult {
  std::string credit_code, result, date;  // date YYYY-MM-DD
  int64_t penalty_fen = 0;
};
Status EnterDrawResult(Db* db, int64_t id, const InspectionResult& r, const std::string& actor);
// Step 4: executed → published, ledger action "draw_publish".
Status PublishDraw(Db* db, int64_t id, const std::string& actor);

Result<std::vector<DrawSummary>> ListDraws(Db* db);
Result<DrawDetail> GetDraw(Db* db, int64_t id);  // NotFound for an unknown id

struct DrawVerification {
  bool ok = false;
  std::vector<std::string> checks;    // what was checked and held
  std::vector<std::string> problems;  // what differs (empty when ok)
};
// Recomputes the register hashes, the commitment, the draw and its result
// hash from the kept snapshots, the revealed seed and the recorded recusals,
// and checks them against the draw's ledger actions (and those actions
// against their ledger leaves).
Result<DrawVerification> VerifyDraw(Db* db, int64_t id);

// Published draws for the public portal: item, org, companies, results, and
// inspectors' names masked (surname + 某).
struct PublicInspection {
  int64_t draw_id = 0;
  std::string item, org, published_at, credit_code, name, result, result_date;
  int64_t penalty_fen = 0;
  std::vector<std::string> inspectors_masked;
};
// `q` (may be empty) matches the item, the organisation, the company's name
// or credit code; `total` (optional) gets the count of matches.
Result<std::vector<PublicInspection>> PublicInspections(Db* db, const std::string& q, int64_t limit,
                                                        int64_t offset, int64_t* total = nullptr);

std::string MaskPersonName(std::string_view name);  // "张三丰" → "张某"

}  // namespace qf::leads
