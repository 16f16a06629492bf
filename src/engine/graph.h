// The relationship graph (关系图谱): persons, organisations and the
// addresses, phones, bank accounts and devices they share, joined by the ties
// the datasets record — households, declared relatives, posts, shareholdings,
// legal representatives, payments, tenders won and bid, shared contact data,
// welfare handled and inspections. Built once from a Snapshot into a compact
// form (CSR adjacency in both directions, edge attributes in side arrays,
// flat hash lookups by key) and read-only afterwards, so queries run in
// parallel without locks.
//
// Queries: k-hop simple paths over selected edge kinds, the conflict-of-
// interest search (an official's personal ties to those his own organisation
// pays or awards contracts to), ego networks as JSON for the UI, and every
// path explained in Chinese.
//
// The graph keeps a pointer to the snapshot's strings: it must not outlive it.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/snapshot.h"

namespace qf::engine {

enum class NodeKind : uint8_t { kPerson, kOrg, kAddress, kPhone, kAccount, kDevice };
inline constexpr int kNodeKinds = 6;
const char* NodeKindName(NodeKind k);   // "person", "org", "address", "phone", "account", "device"
const char* NodeKindLabel(NodeKind k);  // 人员, 单位, 地址, 电话, 账户, 设备

// Declaration order is the edge id order of a build, and so the order in
// which paths prefer parallel ties (a declared spouse before a co-registered one).
enum class EdgeKind : uint8_t {
  kRelative,        // official → relative (declared; relation)
  kOfficialOf,      // person → organisation (post, leader, start/end)
  kShareholder,     // holder → company (ratio, start/end)
  kLegalRep,        // person → company
  kHousehold,       // person → person in the same registered household
  kPaid,            // payer organisation → payee (total, count, first/last day)
  kWinner,          // company → buyer organisation, one per tender won
  kBidder,          // company → buyer organisation, one per tender bid and not won
  kHasPhone,        // person/company → phone
  kHasAddress,      // person/company → address
  kHasAccount,      // person/company → bank account
  kUsedDevice,      // bidder company → device (IP, MAC, machine code)
  kWelfareHandled,  // handler (clerk, cadre) → beneficiary (count, total)
  kInspected,       // inspector → inspected party (case id)
};
inline constexpr int kEdgeKinds = 14;
const char* EdgeKindName(EdgeKind k);  // "relative", "official_of", …
const char* EdgeKindLabel(EdgeKind k);  // 亲属, 任职, 持股, 法定代表人, 同户, 付款, 中标, …

using EdgeMask = uint32_t;
constexpr EdgeMask MaskOf(EdgeKind k) { return EdgeMask{1} << static_cast<int>(k); }
inline constexpr EdgeMask kAllEdges = (EdgeMask{1} << kEdgeKinds) - 1;
// The ties through which an official may favour someone: family, holdings and
// shared contact data (not posts, money or tenders — those are what is found).
inline constexpr EdgeMask kPersonalEdges =
    MaskOf(EdgeKind::kRelative) | MaskOf(EdgeKind::kHousehold) | MaskOf(EdgeKind::kShareholder) |
    MaskOf(EdgeKind::kLegalRep) | MaskOf(EdgeKind::kHasPhone) | MaskOf(EdgeKind::kHasAddress) |
    MaskOf(EdgeKind::kHasAccount) | MaskOf(EdgeKind::kUsedDevice);
// "relative,household,shareholder" (English names or Chinese labels, separated
// by , ， 、 ; or spaces; "all" and "personal" name the sets above).
Result<EdgeMask> ParseEdgeMask(std::string_view list);

inline constexpr uint32_t kNoNode = std::numeric_limits<uint32_t>::max();
inline constexpr uint32_t kNoEdge = std::numeric_limits<uint32_t>::max();
inline constexpr int32_t kNoDay = std::numeric_limits<int32_t>::min();

// A device node's sort (the node's `sub`).
enum class DeviceKind : uint8_t { kIp = 0, kMac = 1, kMachine = 2 };

// What an edge carries; which fields mean what depends on its kind.
struct EdgeAttrs {
  int64_t fen = 0;     // paid / welfare: total; winner: award amount; bidder: bid amount
  uint32_t count = 0;  // paid / welfare: number of payments
  // official_of / shareholder: start and end (kNoDay: unknown / open);
  // paid / welfare: first and last pay day; winner: award day; bidder: submit day.
  int32_t first_day = kNoDay, last_day = kNoDay;
  // relative: relation; official_of: position; winner / bidder: tender_id;
  // inspected: case_id; household: relation_to_head of the source person.
  uint32_t text = kNoString;
  // winner / bidder: tender title; household: relation_to_head of the target.
  uint32_t text2 = kNoString;
  float ratio = std::numeric_limits<float>::quiet_NaN();  // shareholder (0.35)
  bool leader = false;                                    // official_of
};

// How the graph reads a name-only mention (a payment with payee_name but no
// payee_party): a snapshot pool code of the resolved person's ID number or
// organisation's credit code — or, for a public body without code, of its name
// (any spelling; "org:<name>" also works) — or kNoString. Called concurrently
// from several threads.
using PartyFn = std::function<uint32_t(const Table&, uint32_t row, std::string_view column)>;

// Every snapshot column the build reads (load the snapshot with these, merged
// with the models' inputs).
std::vector<Input> GraphInputs();

struct GraphOptions {
  // An address, phone, account or device shared by more entities than this is
  // a switchboard, a registered-office address or a shared network: skipped,
  // and counted in hub_skipped().
  size_t max_shared = 20;
  // Households with more members than this (collective households, 集体户)
  // get no pairwise household edges; counted in households_skipped().
  size_t max_household = 20;
  // Keep attribute nodes only one entity uses (off: they link nobody and
  // would double the node count; the UI's ego view then omits them).
  bool keep_unshared = false;
};

// A simple path: nodes[0] —edges[0]— nodes[1] … ; forward[i] is true when
// edges[i] was followed from its source to its target.
struct Path {
  std::vector<uint32_t> nodes;
  std::vector<uint32_t> edges;
  std::vector<bool> forward;
  size_t length() const { return edges.size(); }
};

struct PathQuery {
  int k = 3;  // at most this many edges, 1..4
  EdgeMask edges = kAllEdges;
  size_t max_paths = 20;
  std::vector<uint32_t> avoid;  // nodes no path may pass through or end at
  bool current_only = false;    // skip posts and shareholdings that have an end date
  double min_share = 0;         // skip shareholdings below this ratio (unknown ratios count)
  size_t max_visit = 200000;    // nodes explored before the search gives up (then truncated)
};

struct PathResult {
  std::vector<Path> paths;  // shortest first; then in adjacency (edge id) order
  bool truncated = false;   // max_visit or max_paths reached
};

struct ConflictOptions {
  int k = 3;                        // hops from the official over `edges`, 1..4
  EdgeMask edges = kPersonalEdges;  // official_of, paid, winner and bidder are never followed
  bool leaders_only = false;
  // Persons as targets too (a relative paid directly); persons who hold or held
  // a post at the same organisation are never targets (their pay is salary).
  bool include_persons = true;
  size_t paths_per_target = 1;
  // Shareholdings with an end date (sold) link nobody.
  bool current_only = true;
  // Shareholdings below this ratio carry no influence (unknown ratios count).
  double min_share = 0;
  size_t max_visit = 50000;  // nodes explored per official
};

struct ConflictHit {
  uint32_t official = kNoNode;  // person node
  uint32_t post = kNoEdge;      // the official_of edge in force
  uint32_t org = kNoNode;       // the official's organisation
  uint32_t target = kNoNode;    // the company (or person) that got money or contracts
  std::vector<Path> paths;      // official → … → target, shortest first (never through `org`)
  std::vector<uint32_t> deals;  // paid edges org → target, then winner edges target → org
  int64_t paid_fen = 0;         // sum over the paid edges
  int64_t award_fen = 0;        // sum over the winner edges
};

struct ConflictResult {
  std::vector<ConflictHit> hits;  // by official post (officials row order), then path length
  size_t posts = 0;               // posts searched
  size_t truncated = 0;           // posts whose search hit max_visit
};

class Graph {
 public:
  static Result<std::unique_ptr<Graph>> Build(const Snapshot& snap, const GraphOptions& opts = {},
                                              const PartyFn& party = nullptr);

  size_t nodes() const { return kind_.size(); }
  size_t edges() const { return src_.size(); }
  size_t nodes_of(NodeKind k) const { return node_counts_[static_cast<int>(k)]; }
  size_t edges_of(EdgeKind k) const { return edge_counts_[static_cast<int>(k)]; }
  // Attribute values skipped as hubs (used by more than max_shared entities), per node kind.
  size_t hub_skipped(NodeKind k) const { return hub_counts_[static_cast<int>(k)]; }
  size_t households_skipped() const { return households_skipped_; }
  size_t memory_bytes() const;

  // --- nodes
  NodeKind kind(uint32_t n) const { return static_cast<NodeKind>(kind_[n]); }
  uint8_t sub(uint32_t n) const { return sub_[n]; }  // DeviceKind; org: 1 when keyed by name
  // The key as text: ID number, credit code, normalised organisation name,
  // normalised address / phone / account, device id.
  std::string_view key(uint32_t n) const { return Str(key_[n]); }
  // Person or organisation name (the key for attribute nodes).
  std::string_view name(uint32_t n) const;
  // Persons: relation_to_head in the household registry ("" when unknown).
  std::string_view household_relation(uint32_t n) const { return Str(extra_[n]); }

  // --- edges
  EdgeKind edge_kind(uint32_t e) const { return static_cast<EdgeKind>(ekind_[e]); }
  uint32_t source(uint32_t e) const { return src_[e]; }
  uint32_t target(uint32_t e) const { return dst_[e]; }
  EdgeAttrs attrs(uint32_t e) const;
  // Edge ids leaving / entering a node, in id order.
  std::vector<uint32_t> out_edges(uint32_t n) const;
  std::vector<uint32_t> in_edges(uint32_t n) const;

  // --- lookup
  // The node of a key as the build normalised it: ID number (person), credit
  // code or organisation name (org), address, phone, account, device text.
  uint32_t Find(NodeKind kind, std::string_view key) const;
  // A user-given key, tried as ID number, credit code, organisation name,
  // phone, account, address; kNoNode when nothing matches.
  uint32_t Lookup(std::string_view text) const;

  // --- queries
  // Simple paths from `from` to nodes for which `is_target` holds (never
  // `from` itself), at most q.k edges, shortest first. Edges are followed in
  // both directions. InvalidInput for k outside 1..4 or an unknown node.
  Result<PathResult> Paths(uint32_t from, const std::function<bool(uint32_t)>& is_target,
                           const PathQuery& q) const;
  Result<PathResult> Paths(uint32_t from, const std::vector<uint32_t>& targets,
                           const PathQuery& q) const;

  // For every official in post (optionally leaders only), the companies and
  // persons paid by or winning tenders of the official's own organisation
  // that are within k hops of the official over o.edges, never through that
  // organisation. Parallel over posts; the result does not depend on threads.
  Result<ConflictResult> ConflictSearch(const ConflictOptions& o) const;

  // The ego network for the UI's graph view (ECharts): nodes within `depth`
  // (≤ 3) hops over `edges`, breadth first, at most max_nodes, and every edge
  // among them. Masked: persons' names as surname+某, ID numbers keep the
  // first 6 and last 4, phones 3+4, accounts 4+4, addresses their first 6
  // characters.
  Result<nlohmann::json> Ego(uint32_t center, int depth, size_t max_nodes, bool masked = true,
                             EdgeMask edges = kAllEdges) const;

  // "张某(区住建局局长) —配偶→ 李某 —持股35%→ 某建筑公司 —中标→ 区住建局《某道路工程》".
  // A first node in post is shown with its organisation and position.
  std::string Explain(const Path& path, bool masked = true) const;
  // The hit's first path followed by its first deal ("… ←付款 12,345.00元— 区住建局"),
  // with "（另有N项）" when there are more deals; the official shown in the post found.
  std::string Explain(const ConflictHit& hit, bool masked = true) const;
  // One node / one edge step as Explain shows them.
  std::string NodeLabel(uint32_t n, bool masked) const;
  std::string EdgeLabel(uint32_t e) const;  // "配偶", "持股35%", "付款 12,345.00元", "同电话", …

  std::string_view Str(uint32_t code) const {
    return code < base_ ? snap_->str(code) : own_->Get(code - base_);
  }

 private:
  friend class GraphBuilder;
  Graph() = default;

  // Key spaces of the node lookup: a node kind, and for organisations and
  // devices the sort of key.
  enum Space : uint8_t {
    kSpPerson,
    kSpOrgCode,
    kSpOrgName,
    kSpAddress,
    kSpPhone,
    kSpAccount,
    kSpIp,
    kSpMac,
    kSpMachine,
    kSpaces
  };
  struct Scratch;  // per-thread search state (graph.cc)

  uint32_t FindIn(Space s, uint32_t key) const;
  uint32_t CodeOf(std::string_view text) const;  // snapshot or own pool; kNoString when unseen
  uint32_t FindOrgByName(std::string_view name) const;
  uint32_t PostOf(
      uint32_t person) const;  // an official_of edge in force (leader first), or kNoEdge
  std::string PostText(uint32_t official_of_edge) const;
  std::string NodeText(uint32_t n, bool masked) const;
  std::string EdgeLabelToward(uint32_t e, uint32_t arrival) const;
  std::string ExplainWith(const Path& path, bool masked, uint32_t post) const;

  // Adjacency entry: edge id << 5 | ended << 4 | kind. "Ended": a post or a
  // shareholding with an end date, which searches for current ties skip.
  static constexpr uint32_t kKindMask = 15, kEndedBit = 16;
  static_assert(kEdgeKinds <= 16);

  // Which edges a search follows.
  struct Walk {
    EdgeMask mask = kAllEdges;
    bool current_only = false;
    double min_share = 0;
  };
  // Calls f(neighbour, edge id, forward) for every edge of `u` the walk follows.
  template <typename F>
  void ForEachAdj(uint32_t u, const Walk& w, F&& f) const {
    const uint32_t skip = w.current_only ? kEndedBit : 0;
    auto follows = [&](const Adj& a) {
      const uint32_t kind = a.packed & kKindMask;
      if (!((w.mask >> kind) & 1) || (a.packed & skip)) return false;
      if (w.min_share > 0 && kind == static_cast<uint32_t>(EdgeKind::kShareholder)) {
        const float r = attrs_[attr_[a.packed >> 5]].ratio;
        if (!std::isnan(r) && r + 1e-6 < w.min_share) return false;
      }
      return true;
    };
    for (uint32_t i = out_off_[u]; i < out_off_[u + 1]; ++i) {
      if (follows(out_adj_[i])) f(out_adj_[i].node, out_adj_[i].packed >> 5, true);
    }
    for (uint32_t i = in_off_[u]; i < in_off_[u + 1]; ++i) {
      if (follows(in_adj_[i])) f(in_adj_[i].node, in_adj_[i].packed >> 5, false);
    }
  }
  // Breadth first from `from` over `mask`, at most k hops, never entering
  // `avoid` or a node of `avoid_set`: s->from_dist and s->reached. False when
  // max_visit stopped it.
  bool Reach(uint32_t from, int k, const Walk& w, uint32_t avoid, const void* avoid_set,
             size_t max_visit, Scratch* s) const;
  // Simple paths from `from` to `targets` (all reached), shortest first, at
  // most per_target per target and max_paths in all. False when cut short.
  bool Enumerate(uint32_t from, const std::vector<uint32_t>& targets, int k, const Walk& w,
                 size_t max_paths, size_t per_target, size_t max_steps, Scratch* s,
                 std::vector<Path>* out) const;

  const Snapshot* snap_ = nullptr;
  std::unique_ptr<StringPool> own_;  // derived keys (normalised names, addresses …)
  uint32_t base_ = 0;                // own pool code c is Str(base_ + c)

  // Nodes (struct of arrays).
  std::vector<uint8_t> kind_, sub_;
  std::vector<uint32_t> key_, name_, extra_;
  // Edges.
  std::vector<uint32_t> src_, dst_, attr_;  // attr_: index in attrs_, or kNoEdge
  std::vector<uint8_t> ekind_;
  std::vector<EdgeAttrs> attrs_;
  // CSR: adjacency entry = neighbour, edge id << 5 | kind.
  struct Adj {
    uint32_t node;
    uint32_t packed;
  };
  std::vector<uint32_t> out_off_, in_off_;
  std::vector<Adj> out_adj_, in_adj_;
  std::vector<CodeTable> index_;  // per Space: key code → node
  uint32_t kind_start_[kEdgeKinds + 1] =
      {};  // edge ids of kind k: [kind_start_[k], kind_start_[k+1])
  // Every organisation by its name's key (FastKey in graph.cc), for Lookup.
  std::vector<std::pair<std::string, uint32_t>> by_name_;

  size_t node_counts_[kNodeKinds] = {};
  size_t edge_counts_[kEdgeKinds] = {};
  size_t hub_counts_[kNodeKinds] = {};
  size_t households_skipped_ = 0;
};

}  // namespace qf::engine
