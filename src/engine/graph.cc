#include "engine/graph.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <utility>

#include "common/text.h"
#include "common/time.h"
#include "ingest/identifiers.h"

namespace qf::engine {

namespace {

constexpr int kKindBits = 5;  // adjacency entry: edge id << 5 | ended << 4 | edge kind
constexpr uint32_t kMaxEdges = uint32_t{1} << (32 - kKindBits);
constexpr uint32_t kNoAttr = std::numeric_limits<uint32_t>::max();

// ---------------------------------------------------------------------------
// Names and labels.

constexpr std::array<const char*, kNodeKinds> kNodeNames = {"person", "org",     "address",
                                                            "phone",  "account", "device"};
constexpr std::array<const char*, kNodeKinds> kNodeLabels = {"人员", "单位", "地址",
                                                             "电话", "账户", "设备"};
constexpr std::array<const char*, kEdgeKinds> kEdgeNames = {
    "relative",    "official_of", "shareholder",     "legal_rep", "household",
    "paid",        "winner",      "bidder",          "has_phone", "has_address",
    "has_account", "used_device", "welfare_handled", "inspected"};
constexpr std::array<const char*, kEdgeKinds> kEdgeLabels = {
    "亲属", "任职", "持股", "法定代表人", "同户", "付款",     "中标",
    "投标", "电话", "地址", "账户",       "设备", "经办发放", "执法检查"};

int32_t Day32(int64_t day) {
  return day == kNull || day < std::numeric_limits<int32_t>::min() + 1 ||
                 day > std::numeric_limits<int32_t>::max()
             ? kNoDay
             : static_cast<int32_t>(day);
}

// ---------------------------------------------------------------------------
// Text normalisation for keys.

// Length of the UTF-8 sequence at the start of `s` and its code point; 0 when malformed.
size_t DecodeOne(std::string_view s, char32_t* cp) {
  if (s.empty()) return 0;
  auto b0 = static_cast<unsigned char>(s[0]);
  size_t n = b0 < 0x80 ? 1 : (b0 >> 5) == 6 ? 2 : (b0 >> 4) == 14 ? 3 : (b0 >> 3) == 30 ? 4 : 0;
  if (n == 0 || n > s.size()) return 0;
  char32_t v = n == 1 ? b0 : n == 2 ? (b0 & 0x1F) : n == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (size_t i = 1; i < n; ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    if ((b >> 6) != 2) return 0;
    v = (v << 6) | (b & 0x3F);
  }
  *cp = v;
  return n;
}

// Traditional → simplified one character at a time, from OpenCC's t2s table
// read once (one conversion of every CJK character). OpenCC converts one
// string at a time under a lock (≈13 µs per address); an address key only
// needs its characters folded, and the graph keys a million addresses on
// every core.
class CharSimplifier {
 public:
  static const CharSimplifier& Get() {
    static const CharSimplifier instance;
    return instance;
  }
  char32_t Map(char32_t c) const {
    if (c < kFirst || c > kLast) return c;
    char32_t m = table_[c - kFirst];
    return m == 0 ? c : m;
  }

 private:
  static constexpr char32_t kFirst = 0x3400, kLast = 0x9FFF;  // CJK Ext. A and Unified
  CharSimplifier() : table_(kLast - kFirst + 1, 0) {
    std::string in;
    in.reserve((kLast - kFirst + 1) * 4);
    for (char32_t c = kFirst; c <= kLast; ++c) {
      AppendUtf8(&in, c);
      in += '\n';
    }
    std::string out = ToSimplified(in);
    size_t pos = 0;
    for (char32_t c = kFirst; c <= kLast && pos < out.size(); ++c) {
      size_t end = out.find('\n', pos);
      if (end == std::string::npos) break;
      std::string_view line(out.data() + pos, end - pos);
      char32_t cp = 0;
      // Only one-to-one mappings; the rare character that converts to two stays.
      if (DecodeOne(line, &cp) == line.size() && cp != c) table_[c - kFirst] = cp;
      pos = end + 1;
    }
  }
  std::vector<char32_t> table_;
};

bool IsSpaceCp(char32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000 || c == 0xA0;
}

// Width folded (full-width ASCII → ASCII, （）→ ()), simplified character by
// character, every space removed: the key of an address (and of an
// organisation name in the lookup index).
std::string FastKey(std::string_view s) {
  const CharSimplifier& simp = CharSimplifier::Get();
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    char32_t cp = 0;
    size_t n = DecodeOne(s.substr(i), &cp);
    if (n == 0) {  // malformed bytes stay as they are
      out += s[i++];
      continue;
    }
    i += n;
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;
    if (IsSpaceCp(cp)) continue;
    AppendUtf8(&out, simp.Map(cp));
  }
  return out;
}

// As NormalizeOrgName in models/common.cc (which the engine cannot include):
// trimmed, width folded, simplified (OpenCC), whitespace removed.
std::string OrgKey(std::string_view name) {
  std::string s = NormalizeForCompare(name);
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') continue;
    out += ch;
  }
  return out;
}

// Digits only, without a +86 / 0086 country prefix: "0418-2000001" and
// "0418 2000001" are one phone.
std::string PhoneKey(std::string_view s) {
  std::string f = FoldWidth(s);
  std::string d;
  for (char c : f) {
    if (c >= '0' && c <= '9') d += c;
  }
  if (d.size() > 11 && d.compare(0, 4, "0086") == 0) d.erase(0, 4);
  if (d.size() == 13 && d.compare(0, 2, "86") == 0 && d[2] == '1') d.erase(0, 2);
  return d;
}

// Letters and digits, upper-cased: "6222 0212-3456" is "622202123456".
std::string AccountKey(std::string_view s) {
  std::string f = FoldWidth(s);
  std::string d;
  for (char c : f) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) d += c;
  }
  return d;
}

// IPs lower-cased; MAC addresses upper-case with ':'; machine codes upper-cased.
std::string DeviceKey(std::string_view s, DeviceKind k) {
  std::string f(Trim(FoldWidth(s)));
  std::string d;
  for (char c : f) {
    if (c == ' ' || c == '\t') continue;
    if (k == DeviceKind::kIp) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    } else {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (k == DeviceKind::kMac && c == '-') c = ':';
    }
    d += c;
  }
  return d;
}

// A stored party code that is an ID number (the importer tries an ID number
// first, so a code that passes is a person).
bool IsIdNumber(std::string_view s) {
  if (s.size() != 18) return false;
  for (size_t i = 0; i < 17; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  if (IdNumberCheckChar(s.substr(0, 17)) != s[17]) return false;
  return NormalizeIdNumber(s).ok();
}

// ---------------------------------------------------------------------------
// Masking.

std::string FirstChars(std::string_view s, size_t n) {
  size_t i = 0;
  for (size_t k = 0; k < n && i < s.size(); ++k) {
    char32_t cp = 0;
    size_t len = DecodeOne(s.substr(i), &cp);
    i += len == 0 ? 1 : len;
  }
  return std::string(s.substr(0, i));
}

std::string MaskPersonName(std::string_view name) {
  if (name.empty()) return "某某";
  return FirstChars(name, 1) + "某";
}

// Keeps `head` leading and `tail` trailing characters of an ASCII key.
std::string MaskMiddle(std::string_view s, size_t head, size_t tail) {
  if (s.size() <= head + tail) return std::string(s.size(), '*');
  return std::string(s.substr(0, head)) + std::string(s.size() - head - tail, '*') +
         std::string(s.substr(s.size() - tail));
}

std::string Percent(float ratio) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g%%", static_cast<double>(ratio) * 100);
  return buf;
}

// ---------------------------------------------------------------------------
// Search scratch: a node → value map cleared in time proportional to what it
// holds, so one per thread serves thousands of small searches on a graph of
// millions of nodes.

class NodeMap {
 public:
  NodeMap() { Reset(1024); }
  void Clear() {
    for (uint32_t slot : used_) keys_[slot] = kNoNode;
    used_.clear();
  }
  size_t size() const { return used_.size(); }
  const uint32_t* Get(uint32_t key) const {
    for (size_t i = Slot(key);; i = (i + 1) & mask_) {
      if (keys_[i] == key) return &vals_[i];
      if (keys_[i] == kNoNode) return nullptr;
    }
  }
  uint32_t* GetMut(uint32_t key) { return const_cast<uint32_t*>(Get(key)); }
  // Inserts key → value unless present; true when inserted.
  bool Put(uint32_t key, uint32_t value) {
    if ((used_.size() + 1) * 2 > keys_.size()) Grow();
    size_t i = Slot(key);
    for (; keys_[i] != kNoNode; i = (i + 1) & mask_) {
      if (keys_[i] == key) return false;
    }
    keys_[i] = key;
    vals_[i] = value;
    used_.push_back(static_cast<uint32_t>(i));
    return true;
  }

 private:
  size_t Slot(uint32_t key) const {
    return static_cast<size_t>((uint64_t{key} * 0x9E3779B97F4A7C15ull) >> shift_);
  }
  void Reset(size_t slots) {
    keys_.assign(slots, kNoNode);
    vals_.assign(slots, 0);
    mask_ = slots - 1;
    shift_ = 64 - std::countr_zero(slots);
    used_.clear();
  }
  void Grow() {
    std::vector<std::pair<uint32_t, uint32_t>> old;
    old.reserve(used_.size());
    for (uint32_t slot : used_) old.emplace_back(keys_[slot], vals_[slot]);
    Reset(keys_.size() * 2);
    for (const auto& [k, v] : old) Put(k, v);
  }

  std::vector<uint32_t> keys_, vals_, used_;
  size_t mask_ = 0;
  int shift_ = 0;
};

}  // namespace

struct Graph::Scratch {
  NodeMap from_dist, to_dist, per_target, avoid;
  std::vector<uint32_t> frontier, next, reached;
  Path path;
  size_t steps = 0;
};

// ---------------------------------------------------------------------------

const char* NodeKindName(NodeKind k) { return kNodeNames[static_cast<int>(k)]; }
const char* NodeKindLabel(NodeKind k) { return kNodeLabels[static_cast<int>(k)]; }
const char* EdgeKindName(EdgeKind k) { return kEdgeNames[static_cast<int>(k)]; }
const char* EdgeKindLabel(EdgeKind k) { return kEdgeLabels[static_cast<int>(k)]; }

Result<EdgeMask> ParseEdgeMask(std::string_view list) {
  std::string s = FoldWidth(list);
  for (const char* sep : {"，", "、", "；"}) {
    for (size_t p = s.find(sep); p != std::string::npos; p = s.find(sep)) s.replace(p, 3, ",");
  }
  EdgeMask mask = 0;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find_first_of(",; \t", start);
    if (end == std::string::npos) end = s.size();
    std::string_view item = std::string_view(s).substr(start, end - start);
    start = end + 1;
    if (item.empty()) continue;
    if (item == "all") {
      mask |= kAllEdges;
      continue;
    }
    if (item == "personal") {
      mask |= kPersonalEdges;
      continue;
    }
    bool found = false;
    for (int k = 0; k < kEdgeKinds; ++k) {
      if (item == kEdgeNames[k] || item == kEdgeLabels[k]) {
        mask |= MaskOf(static_cast<EdgeKind>(k));
        found = true;
      }
    }
    if (!found) {
      std::string known;
      for (const char* n : kEdgeNames) known += std::string(known.empty() ? "" : ", ") + n;
      return Status::InvalidInput(
          "unknown edge kind '" + ClipForMessage(item) + "' (known: " + known + ")",
          "未知的关系类型“" + ClipForMessage(item) + "”（可选：" + known + "）");
    }
  }
  if (mask == 0) {
    return Status::InvalidInput("no edge kind given", "未指定关系类型");
  }
  return mask;
}

std::vector<Input> GraphInputs() {
  return {
      {"persons", {"id_number", "name", "household_id", "relation_to_head", "address", "phone"}},
      {"officials",
       {"id_number", "name", "org", "org_code", "position", "is_leader", "start_date", "end_date"}},
      {"relatives", {"official_id_number", "relative_id_number", "relative_name", "relation"}},
      {"companies",
       {"credit_code", "name", "legal_rep_id_number", "legal_rep_name", "address", "phone"}},
      {"shareholders",
       {"credit_code", "holder_party", "holder_name", "share_ratio", "start_date", "end_date"}},
      {"payments", {"pay_date", "org", "payee_name", "payee_party", "payee_account", "amount"}},
      {"tenders",
       {"tender_id", "title", "buyer_org", "publish_date", "award_date", "winner_credit_code",
        "award_amount"}},
      {"bids",
       {"tender_id", "bidder_credit_code", "bidder_name", "bid_amount", "submit_time", "ip_address",
        "mac_address", "machine_code", "contact_phone", "deposit_account"}},
      {"welfare",
       {"beneficiary_id_number", "beneficiary_name", "period", "pay_date", "amount", "bank_account",
        "handler_id_number"}},
      {"enforcement", {"case_id", "org", "target_party", "inspector_id_numbers", "started_at"}},
  };
}

// ---------------------------------------------------------------------------
// The build.

class GraphBuilder {
 public:
  GraphBuilder(const Snapshot& snap, const GraphOptions& opts, const PartyFn& party, Graph* g)
      : s_(snap), o_(opts), party_(party), g_(g) {}

  Status Run();

 private:
  using Space = Graph::Space;
  struct RawEdge {
    uint32_t src, dst, attr;
    uint8_t kind;
  };
  // (key << 32 | row) sort records for aggregations.
  struct KeyRow {
    uint64_t key;
    uint32_t row;
    bool operator<(const KeyRow& o) const { return key != o.key ? key < o.key : row < o.row; }
  };

  static NodeKind KindOf(Space sp) {
    switch (sp) {
      case Graph::kSpPerson:
        return NodeKind::kPerson;
      case Graph::kSpOrgCode:
      case Graph::kSpOrgName:
        return NodeKind::kOrg;
      case Graph::kSpAddress:
        return NodeKind::kAddress;
      case Graph::kSpPhone:
        return NodeKind::kPhone;
      case Graph::kSpAccount:
        return NodeKind::kAccount;
      default:
        return NodeKind::kDevice;
    }
  }
  static uint8_t SubOf(Space sp) {
    switch (sp) {
      case Graph::kSpOrgName:
        return 1;
      case Graph::kSpIp:
        return static_cast<uint8_t>(DeviceKind::kIp);
      case Graph::kSpMac:
        return static_cast<uint8_t>(DeviceKind::kMac);
      case Graph::kSpMachine:
        return static_cast<uint8_t>(DeviceKind::kMachine);
      default:
        return 0;
    }
  }

  // The node of a key, added when new; a name fills a node that has none.
  uint32_t Node(Space sp, uint32_t key, uint32_t name) {
    if (key == kNoString) return kNoNode;
    uint32_t n = g_->index_[sp].Find(key);
    if (n != CodeTable::kAbsent) {
      if (g_->name_[n] == kNoString) g_->name_[n] = name;
      return n;
    }
    n = static_cast<uint32_t>(g_->kind_.size());
    g_->kind_.push_back(static_cast<uint8_t>(KindOf(sp)));
    g_->sub_.push_back(SubOf(sp));
    g_->key_.push_back(key);
    g_->name_.push_back(name);
    g_->extra_.push_back(kNoString);
    g_->index_[sp].Insert(key, n);
    return n;
  }

  // The code of a derived text: the snapshot's when it has the text, else the graph's own.
  uint32_t Intern(std::string_view text) {
    if (text.empty()) return kNoString;
    uint32_t c = s_.find(text);
    if (c != kNoString) return c;
    return g_->base_ + g_->own_->Intern(text);
  }

  // Normalised organisation name code of a name as written (cached per code).
  uint32_t OrgNameKey(uint32_t name) {
    uint32_t k = org_key_cache_.Find(name);
    if (k != CodeTable::kAbsent) return k;
    k = Intern(OrgKey(s_.str(name)));
    org_key_cache_.Insert(name, k);
    return k;
  }

  // A public body by its name as written: keyed by the org_code officials give
  // for that name, else by the normalised name.
  uint32_t OrgOfName(uint32_t name) {
    if (name == kNoString) return kNoNode;
    uint32_t n = org_of_name_.Find(name);
    if (n != CodeTable::kAbsent) return n;
    uint32_t key = OrgNameKey(name);
    if (key == kNoString) return kNoNode;
    uint32_t code = code_of_org_key_.Find(key);
    n = code != CodeTable::kAbsent ? Node(Graph::kSpOrgCode, code, name)
                                   : Node(Graph::kSpOrgName, key, name);
    org_of_name_.Insert(name, n);
    return n;
  }

  // The node of a party code if it exists; kNoNode when it must be added.
  uint32_t FindParty(uint32_t code) const {
    uint32_t n = g_->index_[Graph::kSpPerson].Find(code);
    if (n != CodeTable::kAbsent) return n;
    n = g_->index_[Graph::kSpOrgCode].Find(code);
    return n != CodeTable::kAbsent ? n : kNoNode;
  }

  // A party code (ID number, credit code, "org:<name>" or an organisation's
  // name) → node, added when new.
  uint32_t PartyNode(uint32_t code, uint32_t name) {
    if (code == kNoString) return kNoNode;
    uint32_t n = FindParty(code);
    if (n != kNoNode) {
      if (g_->name_[n] == kNoString) g_->name_[n] = name;
      return n;
    }
    std::string_view text = s_.str(code);
    if (text.starts_with("org:")) {
      uint32_t key = Intern(OrgKey(text.substr(4)));
      if (key == kNoString) return kNoNode;
      uint32_t c = code_of_org_key_.Find(key);
      return c != CodeTable::kAbsent ? Node(Graph::kSpOrgCode, c, name)
                                     : Node(Graph::kSpOrgName, key, name);
    }
    if (IsIdNumber(text)) return Node(Graph::kSpPerson, code, name);
    if (NormalizeCreditCode(text).ok()) return Node(Graph::kSpOrgCode, code, name);
    // Neither: a resolver naming a public body by its name as written.
    uint32_t n2 = OrgOfName(code);
    if (n2 != kNoNode && g_->name_[n2] == kNoString) g_->name_[n2] = name;
    return n2;
  }

  // Party nodes of many rows: looked up in parallel, added in row order.
  std::vector<uint32_t> PartyNodes(const std::vector<uint32_t>& codes,
                                   const std::vector<uint32_t>* names) {
    std::vector<uint32_t> out(codes.size(), kNoNode);
    tbb::parallel_for(tbb::blocked_range<size_t>(0, codes.size(), 1 << 14),
                      [&](const tbb::blocked_range<size_t>& r) {
                        for (size_t i = r.begin(); i < r.end(); ++i) {
                          if (codes[i] != kNoString) out[i] = FindParty(codes[i]);
                        }
                      });
    for (size_t i = 0; i < codes.size(); ++i) {
      if (codes[i] == kNoString) continue;
      uint32_t name = names ? (*names)[i] : kNoString;
      if (out[i] == kNoNode) {
        out[i] = PartyNode(codes[i], name);
      } else if (name != kNoString && g_->name_[out[i]] == kNoString) {
        g_->name_[out[i]] = name;
      }
    }
    return out;
  }

  uint32_t AddAttrs(const EdgeAttrs& a) {
    attrs_.push_back(a);
    return static_cast<uint32_t>(attrs_.size() - 1);
  }
  void AddEdge(uint32_t src, uint32_t dst, EdgeKind kind, uint32_t attr = kNoAttr) {
    if (src == kNoNode || dst == kNoNode || src == dst) return;
    edges_.push_back({src, dst, attr, static_cast<uint8_t>(kind)});
  }
  void Use(Space sp, uint32_t raw, uint32_t entity) {
    if (raw == kNoString || entity == kNoNode) return;
    uses_[sp].push_back((uint64_t{raw} << 32) | entity);
  }

  static const Column* Col(const Table* t, std::string_view c) {
    return t && t->has(c) ? &t->col(c) : nullptr;
  }
  static uint32_t CodeAt(const Column* c, size_t r) { return c ? c->codes[r] : kNoString; }
  static int64_t IntAt(const Column* c, size_t r) { return c ? c->ints[r] : kNull; }

  void Persons();
  void Officials();
  void Relatives();
  void Companies();
  void Shareholders();
  void Payments();
  void Tenders();
  void Bids();
  void Welfare();
  void Enforcement();
  void AttributeEdges();
  Status Finish();

  const Snapshot& s_;
  const GraphOptions& o_;
  const PartyFn& party_;
  Graph* g_;

  CodeTable org_key_cache_;    // org name code as written → normalised key code
  CodeTable code_of_org_key_;  // normalised org name → org_code (from officials)
  CodeTable org_of_name_;      // org name code as written → node
  std::vector<RawEdge> edges_;
  std::vector<EdgeAttrs> attrs_;
  std::vector<std::vector<uint64_t>> uses_ = std::vector<std::vector<uint64_t>>(Graph::kSpaces);
  std::vector<uint64_t> households_;  // household code << 32 | person node
  CodeTable tender_row_;              // tender_id code → tenders row
  std::vector<uint32_t> buyer_;       // per tenders row: the buyer's node
};

void GraphBuilder::Persons() {
  const Table* t = s_.table("persons");
  const Column* id = Col(t, "id_number");
  if (!id) return;
  const Column* name = Col(t, "name");
  const Column* hh = Col(t, "household_id");
  const Column* rel = Col(t, "relation_to_head");
  const Column* addr = Col(t, "address");
  const Column* phone = Col(t, "phone");
  g_->index_[Graph::kSpPerson] = CodeTable(t->size() + t->size() / 4);
  households_.reserve(hh ? t->size() : 0);
  for (size_t r = 0; r < t->size(); ++r) {
    uint32_t n = Node(Graph::kSpPerson, id->codes[r], CodeAt(name, r));
    if (n == kNoNode) continue;
    if (g_->extra_[n] == kNoString) g_->extra_[n] = CodeAt(rel, r);
    if (uint32_t h = CodeAt(hh, r); h != kNoString) households_.push_back((uint64_t{h} << 32) | n);
    Use(Graph::kSpPhone, CodeAt(phone, r), n);
    Use(Graph::kSpAddress, CodeAt(addr, r), n);
  }
}

void GraphBuilder::Officials() {
  const Table* t = s_.table("officials");
  const Column* id = Col(t, "id_number");
  const Column* org = Col(t, "org");
  if (!id || !org) return;
  const Column* name = Col(t, "name");
  const Column* code = Col(t, "org_code");
  const Column* position = Col(t, "position");
  const Column* leader = Col(t, "is_leader");
  const Column* start = Col(t, "start_date");
  const Column* end = Col(t, "end_date");
  // The credit code officials give for each organisation name, so payments,
  // tenders and posts that name it reach one node.
  for (size_t r = 0; r < t->size(); ++r) {
    uint32_t c = CodeAt(code, r);
    if (c == kNoString || org->codes[r] == kNoString) continue;
    uint32_t key = OrgNameKey(org->codes[r]);
    if (key != kNoString) code_of_org_key_.Insert(key, c);
  }
  for (size_t r = 0; r < t->size(); ++r) {
    uint32_t p = Node(Graph::kSpPerson, id->codes[r], CodeAt(name, r));
    uint32_t c = CodeAt(code, r);
    uint32_t o =
        c != kNoString ? Node(Graph::kSpOrgCode, c, org->codes[r]) : OrgOfName(org->codes[r]);
    if (p == kNoNode || o == kNoNode) continue;
    EdgeAttrs a;
    a.text = CodeAt(position, r);
    int64_t l = IntAt(leader, r);
    a.leader = l != kNull && l != 0;
    a.first_day = Day32(IntAt(start, r));
    a.last_day = Day32(IntAt(end, r));
    AddEdge(p, o, EdgeKind::kOfficialOf, AddAttrs(a));
  }
}

void GraphBuilder::Relatives() {
  const Table* t = s_.table("relatives");
  const Column* off = Col(t, "official_id_number");
  const Column* rel = Col(t, "relative_id_number");
  if (!off || !rel) return;
  const Column* name = Col(t, "relative_name");
  const Column* relation = Col(t, "relation");
  for (size_t r = 0; r < t->size(); ++r) {
    uint32_t a = Node(Graph::kSpPerson, off->codes[r], kNoString);
    uint32_t b = Node(Graph::kSpPerson, rel->codes[r], CodeAt(name, r));
    if (a == kNoNode || b == kNoNode || a == b) continue;
    EdgeAttrs x;
    x.text = CodeAt(relation, r);
    AddEdge(a, b, EdgeKind::kRelative, AddAttrs(x));
  }
}

void GraphBuilder::Companies() {
  const Table* t = s_.table("companies");
  const Column* code = Col(t, "credit_code");
  if (!code) return;
  const Column* name = Col(t, "name");
  const Column* rep = Col(t, "legal_rep_id_number");
  const Column* rep_name = Col(t, "legal_rep_name");
  const Column* addr = Col(t, "address");
  const Column* phone = Col(t, "phone");
  for (size_t r = 0; r < t->size(); ++r) {
    uint32_t c = Node(Graph::kSpOrgCode, code->codes[r], CodeAt(name, r));
    if (c == kNoNode) continue;
    uint32_t p = Node(Graph::kSpPerson, CodeAt(rep, r), CodeAt(rep_name, r));
    if (p == kNoNode && party_ && CodeAt(rep_name, r) != kNoString) {
      // Named without an ID number: the resolver's person, if any.
      p = PartyNode(party_(*t, static_cast<uint32_t>(r), "legal_rep_name"), rep_name->codes[r]);
      if (p != kNoNode && g_->kind_[p] != static_cast<uint8_t>(NodeKind::kPerson)) p = kNoNode;
    }
    AddEdge(p, c, EdgeKind::kLegalRep);
    Use(Graph::kSpPhone, CodeAt(phone, r), c);
    Use(Graph::kSpAddress, CodeAt(addr, r), c);
  }
}

void GraphBuilder::Shareholders() {
  const Table* t = s_.table("shareholders");
  const Column* code = Col(t, "credit_code");
  const Column* holder = Col(t, "holder_party");
  if (!code || !holder) return;
  const Column* name = Col(t, "holder_name");
  const Column* ratio = Col(t, "share_ratio");
  const Column* start = Col(t, "start_date");
  const Column* end = Col(t, "end_date");
  for (size_t r = 0; r < t->size(); ++r) {
    uint32_t c = Node(Graph::kSpOrgCode, code->codes[r], kNoString);
    uint32_t h = PartyNode(holder->codes[r], CodeAt(name, r));
    if (c == kNoNode || h == kNoNode || c == h) continue;
    EdgeAttrs a;
    if (ratio && !std::isnan(ratio->reals[r])) a.ratio = static_cast<float>(ratio->reals[r]);
    a.first_day = Day32(IntAt(start, r));
    a.last_day = Day32(IntAt(end, r));
    AddEdge(h, c, EdgeKind::kShareholder, AddAttrs(a));
  }
}

void GraphBuilder::Payments() {
  const Table* t = s_.table("payments");
  const Column* org = Col(t, "org");
  if (!org || t->size() == 0) return;
  const Column* payee_name = Col(t, "payee_name");
  const Column* payee_party = Col(t, "payee_party");
  const Column* account = Col(t, "payee_account");
  const Column* amount = Col(t, "amount");
  const Column* day = Col(t, "pay_date");
  const size_t rows = t->size();
  // Payers: few distinct names, resolved once each.
  for (size_t r = 0; r < rows; ++r) {
    uint32_t c = org->codes[r];
    if (c != kNoString && !org_of_name_.contains(c)) OrgOfName(c);
  }
  // Payees: the party column, else the resolver on the name.
  std::vector<uint32_t> code(rows, kNoString);
  tbb::parallel_for(tbb::blocked_range<size_t>(0, rows, 1 << 13),
                    [&](const tbb::blocked_range<size_t>& range) {
                      for (size_t r = range.begin(); r < range.end(); ++r) {
                        uint32_t c = CodeAt(payee_party, r);
                        if (c == kNoString && party_ && CodeAt(payee_name, r) != kNoString) {
                          c = party_(*t, static_cast<uint32_t>(r), "payee_name");
                        }
                        code[r] = c;
                      }
                    });
  std::vector<uint32_t> payee = PartyNodes(code, payee_name ? &payee_name->codes : nullptr);
  std::vector<uint32_t>().swap(code);
  // Aggregate per (payer, payee).
  std::vector<KeyRow> keys(rows);
  tbb::parallel_for(
      tbb::blocked_range<size_t>(0, rows, 1 << 14), [&](const tbb::blocked_range<size_t>& range) {
        for (size_t r = range.begin(); r < range.end(); ++r) {
          uint32_t payer = org_of_name_.Find(org->codes[r]);
          uint32_t to = payee[r];
          bool ok = payer != CodeTable::kAbsent && payer != kNoNode && to != kNoNode && payer != to;
          keys[r] = {ok ? (uint64_t{payer} << 32) | to : ~uint64_t{0}, static_cast<uint32_t>(r)};
        }
      });
  tbb::parallel_sort(keys.begin(), keys.end());
  for (size_t i = 0; i < keys.size() && keys[i].key != ~uint64_t{0};) {
    size_t j = i;
    EdgeAttrs a;
    for (; j < keys.size() && keys[j].key == keys[i].key; ++j) {
      uint32_t r = keys[j].row;
      int64_t fen = IntAt(amount, r);
      if (fen != kNull) a.fen += fen;
      ++a.count;
      int32_t d = Day32(IntAt(day, r));
      if (d != kNoDay) {
        if (a.first_day == kNoDay || d < a.first_day) a.first_day = d;
        if (a.last_day == kNoDay || d > a.last_day) a.last_day = d;
      }
    }
    AddEdge(static_cast<uint32_t>(keys[i].key >> 32), static_cast<uint32_t>(keys[i].key),
            EdgeKind::kPaid, AddAttrs(a));
    i = j;
  }
  if (account) {
    for (size_t r = 0; r < rows; ++r) Use(Graph::kSpAccount, account->codes[r], payee[r]);
  }
}

void GraphBuilder::Tenders() {
  const Table* t = s_.table("tenders");
  const Column* id = Col(t, "tender_id");
  const Column* buyer_org = Col(t, "buyer_org");
  if (!id || !buyer_org) return;
  const Column* title = Col(t, "title");
  const Column* winner = Col(t, "winner_credit_code");
  const Column* award = Col(t, "award_amount");
  const Column* award_day = Col(t, "award_date");
  const Column* publish = Col(t, "publish_date");
  tender_row_ = CodeTable(t->size());
  buyer_.assign(t->size(), kNoNode);
  for (size_t r = 0; r < t->size(); ++r) {
    tender_row_.Insert(id->codes[r], static_cast<uint32_t>(r));
    buyer_[r] = OrgOfName(buyer_org->codes[r]);
    uint32_t w = Node(Graph::kSpOrgCode, CodeAt(winner, r), kNoString);
    if (w == kNoNode || buyer_[r] == kNoNode) continue;
    EdgeAttrs a;
    a.text = id->codes[r];
    a.text2 = CodeAt(title, r);
    int64_t fen = IntAt(award, r);
    a.fen = fen == kNull ? 0 : fen;
    int64_t d = IntAt(award_day, r);
    a.first_day = Day32(d != kNull ? d : IntAt(publish, r));
    AddEdge(w, buyer_[r], EdgeKind::kWinner, AddAttrs(a));
  }
}

void GraphBuilder::Bids() {
  const Table* t = s_.table("bids");
  const Column* id = Col(t, "tender_id");
  const Column* bidder = Col(t, "bidder_credit_code");
  if (!id || !bidder) return;
  const Column* name = Col(t, "bidder_name");
  const Column* amount = Col(t, "bid_amount");
  const Column* submit = Col(t, "submit_time");
  const Column* ip = Col(t, "ip_address");
  const Column* mac = Col(t, "mac_address");
  const Column* machine = Col(t, "machine_code");
  const Column* phone = Col(t, "contact_phone");
  const Column* deposit = Col(t, "deposit_account");
  const Table* tenders = s_.table("tenders");
  const Column* title = Col(tenders, "title");
  const Column* winner = Col(tenders, "winner_credit_code");
  for (size_t r = 0; r < t->size(); ++r) {
    uint32_t b = Node(Graph::kSpOrgCode, bidder->codes[r], CodeAt(name, r));
    if (b == kNoNode) continue;
    uint32_t tr = tender_row_.Find(id->codes[r]);
    if (tr != CodeTable::kAbsent && buyer_[tr] != kNoNode &&
        CodeAt(winner, tr) != bidder->codes[r]) {
      EdgeAttrs a;
      a.text = id->codes[r];
      a.text2 = CodeAt(title, tr);
      int64_t fen = IntAt(amount, r);
      a.fen = fen == kNull ? 0 : fen;
      int64_t sec = IntAt(submit, r);
      a.first_day = sec == kNull ? kNoDay : Day32(DayOf(sec));
      AddEdge(b, buyer_[tr], EdgeKind::kBidder, AddAttrs(a));
    }
    Use(Graph::kSpPhone, CodeAt(phone, r), b);
    Use(Graph::kSpAccount, CodeAt(deposit, r), b);
    Use(Graph::kSpIp, CodeAt(ip, r), b);
    Use(Graph::kSpMac, CodeAt(mac, r), b);
    Use(Graph::kSpMachine, CodeAt(machine, r), b);
  }
}

void GraphBuilder::Welfare() {
  const Table* t = s_.table("welfare");
  const Column* ben = Col(t, "beneficiary_id_number");
  if (!ben || t->size() == 0) return;
  const Column* name = Col(t, "beneficiary_name");
  const Column* handler = Col(t, "handler_id_number");
  const Column* amount = Col(t, "amount");
  const Column* pay_day = Col(t, "pay_date");
  const Column* period = Col(t, "period");
  const Column* account = Col(t, "bank_account");
  const size_t rows = t->size();
  std::vector<uint32_t> b = PartyNodes(ben->codes, name ? &name->codes : nullptr);
  std::vector<uint32_t> h;
  if (handler) h = PartyNodes(handler->codes, nullptr);
  if (account) {
    for (size_t r = 0; r < rows; ++r) Use(Graph::kSpAccount, account->codes[r], b[r]);
  }
  if (!handler) return;
  std::vector<KeyRow> keys(rows);
  tbb::parallel_for(
      tbb::blocked_range<size_t>(0, rows, 1 << 14), [&](const tbb::blocked_range<size_t>& range) {
        for (size_t r = range.begin(); r < range.end(); ++r) {
          bool ok = h[r] != kNoNode && b[r] != kNoNode && h[r] != b[r];
          keys[r] = {ok ? (uint64_t{h[r]} << 32) | b[r] : ~uint64_t{0}, static_cast<uint32_t>(r)};
        }
      });
  tbb::parallel_sort(keys.begin(), keys.end());
  for (size_t i = 0; i < keys.size() && keys[i].key != ~uint64_t{0};) {
    size_t j = i;
    EdgeAttrs a;
    for (; j < keys.size() && keys[j].key == keys[i].key; ++j) {
      uint32_t r = keys[j].row;
      int64_t fen = IntAt(amount, r);
      if (fen != kNull) a.fen += fen;
      ++a.count;
      int64_t d = IntAt(pay_day, r);
      if (d == kNull && IntAt(period, r) != kNull) {
        int64_t m = period->ints[r];
        d = DaysFromCivil(static_cast<int>(m / 12), static_cast<int>(m % 12) + 1, 1);
      }
      int32_t d32 = Day32(d);
      if (d32 != kNoDay) {
        if (a.first_day == kNoDay || d32 < a.first_day) a.first_day = d32;
        if (a.last_day == kNoDay || d32 > a.last_day) a.last_day = d32;
      }
    }
    AddEdge(static_cast<uint32_t>(keys[i].key >> 32), static_cast<uint32_t>(keys[i].key),
            EdgeKind::kWelfareHandled, AddAttrs(a));
    i = j;
  }
}

void GraphBuilder::Enforcement() {
  const Table* t = s_.table("enforcement");
  const Column* target = Col(t, "target_party");
  const Column* inspectors = Col(t, "inspector_id_numbers");
  if (!target || !inspectors) return;
  const Column* case_id = Col(t, "case_id");
  const Column* started = Col(t, "started_at");
  for (size_t r = 0; r < t->size(); ++r) {
    if (inspectors->codes[r] == kNoString) continue;
    uint32_t x = PartyNode(target->codes[r], kNoString);
    if (x == kNoNode) continue;
    std::string_view list = s_.str(inspectors->codes[r]);
    size_t start = 0;
    while (start < list.size()) {
      size_t end = list.find(';', start);
      if (end == std::string_view::npos) end = list.size();
      std::string_view item = Trim(list.substr(start, end - start));
      start = end + 1;
      if (item.empty()) continue;
      uint32_t p = Node(Graph::kSpPerson, Intern(item), kNoString);
      EdgeAttrs a;
      a.text = CodeAt(case_id, r);
      int64_t sec = IntAt(started, r);
      a.first_day = sec == kNull ? kNoDay : Day32(DayOf(sec));
      AddEdge(p, x, EdgeKind::kInspected, AddAttrs(a));
    }
  }
}

void GraphBuilder::AttributeEdges() {
  static constexpr std::array<std::pair<Space, EdgeKind>, 6> kAttr = {{
      {Graph::kSpPhone, EdgeKind::kHasPhone},
      {Graph::kSpAddress, EdgeKind::kHasAddress},
      {Graph::kSpAccount, EdgeKind::kHasAccount},
      {Graph::kSpIp, EdgeKind::kUsedDevice},
      {Graph::kSpMac, EdgeKind::kUsedDevice},
      {Graph::kSpMachine, EdgeKind::kUsedDevice},
  }};
  std::vector<uint64_t> seen((s_.pool().size() + 63) / 64, 0);
  for (const auto& [sp_binding, kind] : kAttr) {
    // A copy: lambdas below capture it (clang 14 cannot capture a structured binding).
    const auto sp = sp_binding;
    std::vector<uint64_t>& uses = uses_[sp];
    if (uses.empty()) continue;
    // Distinct raw texts in first-seen order (a bit per pool code), normalised
    // in parallel, then given codes in that order.
    std::vector<uint32_t> raw;
    for (uint64_t u : uses) {
      auto c = static_cast<uint32_t>(u >> 32);
      uint64_t& word = seen[c >> 6];
      if ((word >> (c & 63)) & 1) continue;
      word |= uint64_t{1} << (c & 63);
      raw.push_back(c);
    }
    for (uint32_t c : raw) seen[c >> 6] &= ~(uint64_t{1} << (c & 63));
    std::vector<std::string> norm(raw.size());
    tbb::parallel_for(tbb::blocked_range<size_t>(0, raw.size(), 1 << 10),
                      [&](const tbb::blocked_range<size_t>& r) {
                        for (size_t i = r.begin(); i < r.end(); ++i) {
                          std::string_view text = s_.str(raw[i]);
                          switch (sp) {
                            case Graph::kSpPhone:
                              norm[i] = PhoneKey(text);
                              break;
                            case Graph::kSpAddress:
                              norm[i] = FastKey(text);
                              break;
                            case Graph::kSpAccount:
                              norm[i] = AccountKey(text);
                              break;
                            case Graph::kSpIp:
                              norm[i] = DeviceKey(text, DeviceKind::kIp);
                              break;
                            case Graph::kSpMac:
                              norm[i] = DeviceKey(text, DeviceKind::kMac);
                              break;
                            default:
                              norm[i] = DeviceKey(text, DeviceKind::kMachine);
                              break;
                          }
                        }
                      });
    CodeTable key_of(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
      uint32_t k = norm[i] == s_.str(raw[i]) ? raw[i] : Intern(norm[i]);
      key_of.Insert(raw[i], k == kNoString ? CodeTable::kAbsent - 1 : k);
    }
    std::vector<std::string>().swap(norm);
    // (key, entity), distinct.
    for (uint64_t& u : uses) {
      uint32_t k = key_of.Find(static_cast<uint32_t>(u >> 32));
      u = k == CodeTable::kAbsent - 1 ? ~uint64_t{0} : (uint64_t{k} << 32) | (u & 0xFFFFFFFFu);
    }
    tbb::parallel_sort(uses.begin(), uses.end());
    uses.erase(std::unique(uses.begin(), uses.end()), uses.end());
    const NodeKind nk = KindOf(sp);
    for (size_t i = 0; i < uses.size() && uses[i] != ~uint64_t{0};) {
      size_t j = i;
      while (j < uses.size() && (uses[j] >> 32) == (uses[i] >> 32)) ++j;
      const size_t users = j - i;
      if (users > o_.max_shared) {
        ++g_->hub_counts_[static_cast<int>(nk)];
      } else if (users >= 2 || o_.keep_unshared) {
        auto key = static_cast<uint32_t>(uses[i] >> 32);
        uint32_t n = Node(sp, key, kNoString);
        for (size_t x = i; x < j; ++x) AddEdge(static_cast<uint32_t>(uses[x]), n, kind);
      }
      i = j;
    }
    std::vector<uint64_t>().swap(uses);
  }
  // Households: every pair of members of a household of a sensible size.
  tbb::parallel_sort(households_.begin(), households_.end());
  for (size_t i = 0; i < households_.size();) {
    size_t j = i;
    while (j < households_.size() && (households_[j] >> 32) == (households_[i] >> 32)) ++j;
    if (j - i > o_.max_household) {
      ++g_->households_skipped_;
    } else {
      for (size_t a = i; a < j; ++a) {
        for (size_t b = a + 1; b < j; ++b) {
          AddEdge(static_cast<uint32_t>(households_[a]), static_cast<uint32_t>(households_[b]),
                  EdgeKind::kHousehold);
        }
      }
    }
    i = j;
  }
  std::vector<uint64_t>().swap(households_);
}

Status GraphBuilder::Finish() {
  Graph& g = *g_;
  const size_t n = g.kind_.size();
  const size_t m = edges_.size();
  if (m >= kMaxEdges || n >= kNoNode) {
    return Status::NotSupported("graph too large: " + std::to_string(n) + " nodes, " +
                                std::to_string(m) + " edges");
  }
  // Edge ids grouped by kind in declaration order, source order within a kind.
  std::array<size_t, kEdgeKinds + 1> start{};
  for (const RawEdge& e : edges_) ++start[e.kind + 1];
  for (int k = 0; k < kEdgeKinds; ++k) {
    g.edge_counts_[k] = start[k + 1];
    start[k + 1] += start[k];
  }
  for (int k = 0; k <= kEdgeKinds; ++k) g.kind_start_[k] = static_cast<uint32_t>(start[k]);
  g.src_.resize(m);
  g.dst_.resize(m);
  g.attr_.resize(m);
  g.ekind_.resize(m);
  for (const RawEdge& e : edges_) {
    size_t id = start[e.kind]++;
    g.src_[id] = e.src;
    g.dst_[id] = e.dst;
    g.attr_[id] = e.attr;
    g.ekind_[id] = e.kind;
  }
  std::vector<RawEdge>().swap(edges_);
  g.attrs_ = std::move(attrs_);
  g.attrs_.shrink_to_fit();
  for (size_t i = 0; i < n; ++i) ++g.node_counts_[g.kind_[i]];
  std::vector<uint8_t> ended(m, 0);
  for (size_t e = 0; e < m; ++e) {
    EdgeKind k = static_cast<EdgeKind>(g.ekind_[e]);
    if ((k == EdgeKind::kShareholder || k == EdgeKind::kOfficialOf) &&
        g.attrs_[g.attr_[e]].last_day != kNoDay) {
      ended[e] = Graph::kEndedBit;
    }
  }
  // CSR in both directions, neighbours in edge id order.
  auto csr = [&](const std::vector<uint32_t>& from, const std::vector<uint32_t>& to,
                 std::vector<uint32_t>* off, std::vector<Graph::Adj>* adj) {
    off->assign(n + 1, 0);
    for (uint32_t v : from) ++(*off)[v + 1];
    for (size_t i = 0; i < n; ++i) (*off)[i + 1] += (*off)[i];
    adj->resize(m);
    std::vector<uint32_t> pos(off->begin(), off->end() - 1);
    for (size_t e = 0; e < m; ++e) {
      (*adj)[pos[from[e]]++] = {to[e],
                                static_cast<uint32_t>(e << kKindBits) | ended[e] | g.ekind_[e]};
    }
  };
  csr(g.src_, g.dst_, &g.out_off_, &g.out_adj_);
  csr(g.dst_, g.src_, &g.in_off_, &g.in_adj_);
  // Organisations by name for Lookup (public bodies are few; companies ~70k at scale 100).
  for (uint32_t i = 0; i < n; ++i) {
    if (g.kind_[i] == static_cast<uint8_t>(NodeKind::kOrg) && g.name_[i] != kNoString) {
      g.by_name_.emplace_back(FastKey(g.Str(g.name_[i])), i);
    }
  }
  std::sort(g.by_name_.begin(), g.by_name_.end());
  for (auto* v : {&g.kind_, &g.sub_}) v->shrink_to_fit();
  for (auto* v : {&g.key_, &g.name_, &g.extra_}) v->shrink_to_fit();
  return Status::OK();
}

Status GraphBuilder::Run() {
  g_->snap_ = &s_;
  g_->own_ = std::make_unique<StringPool>();
  g_->base_ = static_cast<uint32_t>(s_.pool().size());
  g_->index_.resize(Graph::kSpaces);
  Persons();
  Officials();
  Relatives();
  Companies();
  Shareholders();
  Payments();
  Tenders();
  Bids();
  Welfare();
  Enforcement();
  AttributeEdges();
  return Finish();
}

// ---------------------------------------------------------------------------
// The graph.

Result<std::unique_ptr<Graph>> Graph::Build(const Snapshot& snap, const GraphOptions& opts,
                                            const PartyFn& party) {
  std::unique_ptr<Graph> g(new Graph());
  GraphBuilder b(snap, opts, party, g.get());
  QF_RETURN_IF_ERROR(b.Run());
  return g;
}

size_t Graph::memory_bytes() const {
  auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  size_t total = sizeof(*this);
  total += bytes(kind_) + bytes(sub_) + bytes(key_) + bytes(name_) + bytes(extra_);
  total += bytes(src_) + bytes(dst_) + bytes(attr_) + bytes(ekind_) + bytes(attrs_);
  total += bytes(out_off_) + bytes(in_off_) + bytes(out_adj_) + bytes(in_adj_);
  for (const CodeTable& t : index_) {
    // Slots (8 bytes) and filter (1 byte) per slot, at most half full.
    total += std::bit_ceil(std::max<size_t>(16, t.size() * 2 + 2)) * 9;
  }
  if (own_) total += own_->bytes() + own_->size() * (sizeof(std::string_view) + 12);
  for (const auto& [name, node] : by_name_) total += sizeof(node) + sizeof(name) + name.capacity();
  return total;
}

std::string_view Graph::name(uint32_t n) const {
  return name_[n] != kNoString ? Str(name_[n]) : Str(key_[n]);
}

EdgeAttrs Graph::attrs(uint32_t e) const {
  if (attr_[e] != kNoAttr) return attrs_[attr_[e]];
  EdgeAttrs a;
  if (edge_kind(e) == EdgeKind::kHousehold) {
    a.text = extra_[src_[e]];
    a.text2 = extra_[dst_[e]];
  }
  return a;
}

std::vector<uint32_t> Graph::out_edges(uint32_t n) const {
  std::vector<uint32_t> out;
  for (uint32_t i = out_off_[n]; i < out_off_[n + 1]; ++i) out.push_back(out_adj_[i].packed >> 5);
  return out;
}

std::vector<uint32_t> Graph::in_edges(uint32_t n) const {
  std::vector<uint32_t> out;
  for (uint32_t i = in_off_[n]; i < in_off_[n + 1]; ++i) out.push_back(in_adj_[i].packed >> 5);
  return out;
}

// --- lookup

uint32_t Graph::FindIn(Space s, uint32_t key) const {
  if (key == kNoString) return kNoNode;
  uint32_t n = index_[s].Find(key);
  return n == CodeTable::kAbsent ? kNoNode : n;
}

uint32_t Graph::CodeOf(std::string_view text) const {
  if (text.empty()) return kNoString;
  uint32_t c = snap_->find(text);
  if (c != kNoString) return c;
  c = own_->Find(text);
  return c == kNoString ? kNoString : base_ + c;
}

uint32_t Graph::FindOrgByName(std::string_view name) const {
  uint32_t n = FindIn(kSpOrgName, CodeOf(OrgKey(name)));
  if (n != kNoNode) return n;
  std::string key = FastKey(Trim(name));
  auto it = std::lower_bound(by_name_.begin(), by_name_.end(), std::make_pair(key, uint32_t{0}));
  return it != by_name_.end() && it->first == key ? it->second : kNoNode;
}

uint32_t Graph::Find(NodeKind k, std::string_view key) const {
  std::string_view t = Trim(key);
  if (t.empty()) return kNoNode;
  switch (k) {
    case NodeKind::kPerson: {
      auto id = NormalizeIdNumber(t);
      return FindIn(kSpPerson, CodeOf(id.ok() ? std::string_view(id.value()) : t));
    }
    case NodeKind::kOrg: {
      auto cc = NormalizeCreditCode(t);
      if (cc.ok()) {
        uint32_t n = FindIn(kSpOrgCode, CodeOf(cc.value()));
        if (n != kNoNode) return n;
      }
      return FindOrgByName(t);
    }
    case NodeKind::kAddress:
      return FindIn(kSpAddress, CodeOf(FastKey(t)));
    case NodeKind::kPhone:
      return FindIn(kSpPhone, CodeOf(PhoneKey(t)));
    case NodeKind::kAccount:
      return FindIn(kSpAccount, CodeOf(AccountKey(t)));
    case NodeKind::kDevice: {
      uint32_t n = FindIn(kSpIp, CodeOf(DeviceKey(t, DeviceKind::kIp)));
      if (n == kNoNode) n = FindIn(kSpMac, CodeOf(DeviceKey(t, DeviceKind::kMac)));
      if (n == kNoNode) n = FindIn(kSpMachine, CodeOf(DeviceKey(t, DeviceKind::kMachine)));
      return n;
    }
  }
  return kNoNode;
}

uint32_t Graph::Lookup(std::string_view text) const {
  for (NodeKind k : {NodeKind::kPerson, NodeKind::kOrg, NodeKind::kPhone, NodeKind::kAccount,
                     NodeKind::kAddress, NodeKind::kDevice}) {
    uint32_t n = Find(k, text);
    if (n != kNoNode) return n;
  }
  return kNoNode;
}

// --- search

bool Graph::Reach(uint32_t from, int k, const Walk& w, uint32_t avoid, const void* avoid_set,
                  size_t max_visit, Scratch* s) const {
  const auto* blocked = static_cast<const NodeMap*>(avoid_set);
  s->from_dist.Clear();
  s->reached.clear();
  s->frontier.assign(1, from);
  s->from_dist.Put(from, 0);
  bool complete = true;
  for (int depth = 1; depth <= k && !s->frontier.empty() && complete; ++depth) {
    s->next.clear();
    for (uint32_t u : s->frontier) {
      ForEachAdj(u, w, [&](uint32_t v, uint32_t, bool) {
        if (!complete || v == avoid || (blocked && blocked->Get(v))) return;
        if (s->from_dist.Put(v, static_cast<uint32_t>(depth))) {
          s->next.push_back(v);
          s->reached.push_back(v);
          if (s->reached.size() >= max_visit) complete = false;
        }
      });
      if (!complete) break;
    }
    s->frontier.swap(s->next);
  }
  return complete;
}

bool Graph::Enumerate(uint32_t from, const std::vector<uint32_t>& targets, int k, const Walk& w,
                      size_t max_paths, size_t per_target, size_t max_steps, Scratch* s,
                      std::vector<Path>* out) const {
  // Hops to the nearest target, over the nodes the forward search reached:
  // a branch is followed only while a target is still within reach.
  s->to_dist.Clear();
  s->per_target.Clear();
  s->frontier.clear();
  for (uint32_t t : targets) {
    if (s->to_dist.Put(t, 0)) s->frontier.push_back(t);
    s->per_target.Put(t, 0);
  }
  for (int depth = 1; depth < k && !s->frontier.empty(); ++depth) {
    s->next.clear();
    for (uint32_t u : s->frontier) {
      ForEachAdj(u, w, [&](uint32_t v, uint32_t, bool) {
        if (v == from || !s->from_dist.Get(v)) return;
        if (s->to_dist.Put(v, static_cast<uint32_t>(depth))) s->next.push_back(v);
      });
    }
    s->frontier.swap(s->next);
  }
  size_t satisfied = 0;
  bool complete = true;
  s->steps = 0;
  Path& p = s->path;
  // Depth first for each exact length in turn: shortest paths come first.
  std::function<void(uint32_t, int)> dfs = [&](uint32_t u, int remaining) {
    ForEachAdj(u, w, [&](uint32_t v, uint32_t e, bool forward) {
      if (!complete || out->size() >= max_paths || satisfied == targets.size()) return;
      const uint32_t* d = s->to_dist.Get(v);
      if (!d || static_cast<int>(*d) > remaining - 1) return;
      if (++s->steps > max_steps) {
        complete = false;
        return;
      }
      if (std::find(p.nodes.begin(), p.nodes.end(), v) != p.nodes.end()) return;
      p.nodes.push_back(v);
      p.edges.push_back(e);
      p.forward.push_back(forward);
      if (remaining == 1) {
        uint32_t* count = s->per_target.GetMut(v);
        if (count && *count < per_target) {
          out->push_back(p);
          if (++*count == per_target) ++satisfied;
        }
      } else {
        dfs(v, remaining - 1);
      }
      p.nodes.pop_back();
      p.edges.pop_back();
      p.forward.pop_back();
    });
  };
  for (int length = 1; length <= k; ++length) {
    if (!complete || out->size() >= max_paths || satisfied == targets.size()) break;
    p.nodes.assign(1, from);
    p.edges.clear();
    p.forward.clear();
    dfs(from, length);
  }
  return complete;
}

Result<PathResult> Graph::Paths(uint32_t from, const std::function<bool(uint32_t)>& is_target,
                                const PathQuery& q) const {
  if (q.k < 1 || q.k > 4) {
    return Status::InvalidInput("k must be between 1 and 4, not " + std::to_string(q.k),
                                "跳数k须在1到4之间（当前为" + std::to_string(q.k) + "）");
  }
  if (from >= nodes()) {
    return Status::InvalidInput("unknown node " + std::to_string(from),
                                "节点" + std::to_string(from) + "不存在");
  }
  Scratch s;
  for (uint32_t a : q.avoid) s.avoid.Put(a, 0);
  PathResult result;
  const Walk walk{q.edges, q.current_only, q.min_share};
  bool complete =
      Reach(from, q.k, walk, kNoNode, q.avoid.empty() ? nullptr : &s.avoid, q.max_visit, &s);
  std::vector<uint32_t> targets;
  for (uint32_t v : s.reached) {
    if (is_target(v)) targets.push_back(v);
  }
  if (!targets.empty() && q.max_paths > 0) {
    complete &= Enumerate(from, targets, q.k, walk, q.max_paths, q.max_paths, q.max_visit * 16, &s,
                          &result.paths);
  }
  result.truncated = !complete || (q.max_paths > 0 && result.paths.size() >= q.max_paths);
  return result;
}

Result<PathResult> Graph::Paths(uint32_t from, const std::vector<uint32_t>& targets,
                                const PathQuery& q) const {
  NodeMap set;
  for (uint32_t t : targets) set.Put(t, 0);
  return Paths(
      from, [&set](uint32_t v) { return set.Get(v) != nullptr; }, q);
}

Result<ConflictResult> Graph::ConflictSearch(const ConflictOptions& o) const {
  if (o.k < 1 || o.k > 4) {
    return Status::InvalidInput("k must be between 1 and 4, not " + std::to_string(o.k),
                                "跳数k须在1到4之间（当前为" + std::to_string(o.k) + "）");
  }
  // Posts never lead anywhere personal, and money and tenders are what is found.
  const EdgeMask mask = o.edges & ~(MaskOf(EdgeKind::kOfficialOf) | MaskOf(EdgeKind::kPaid) |
                                    MaskOf(EdgeKind::kWinner) | MaskOf(EdgeKind::kBidder));
  const Walk walk{mask, o.current_only, o.min_share};
  const size_t per_target = std::max<size_t>(1, o.paths_per_target);
  struct Post {
    uint32_t person, org, edge;
  };
  std::vector<Post> posts;
  const uint32_t first = kind_start_[static_cast<int>(EdgeKind::kOfficialOf)];
  const uint32_t last = kind_start_[static_cast<int>(EdgeKind::kOfficialOf) + 1];
  for (uint32_t e = first; e < last; ++e) {
    const EdgeAttrs& a = attrs_[attr_[e]];
    if (a.last_day != kNoDay || (o.leaders_only && !a.leader)) continue;
    posts.push_back({src_[e], dst_[e], e});
  }
  // One search per (person, organisation): the first post row.
  std::sort(posts.begin(), posts.end(), [](const Post& a, const Post& b) {
    return a.person != b.person ? a.person < b.person
           : a.org != b.org     ? a.org < b.org
                                : a.edge < b.edge;
  });
  posts.erase(std::unique(posts.begin(), posts.end(),
                          [](const Post& a, const Post& b) {
                            return a.person == b.person && a.org == b.org;
                          }),
              posts.end());
  std::sort(posts.begin(), posts.end(),
            [](const Post& a, const Post& b) { return a.edge < b.edge; });

  std::vector<std::vector<ConflictHit>> found(posts.size());
  std::vector<uint8_t> cut(posts.size(), 0);
  tbb::enumerable_thread_specific<Scratch> scratch;
  const uint32_t paid_kind = static_cast<uint32_t>(EdgeKind::kPaid);
  const uint32_t winner_kind = static_cast<uint32_t>(EdgeKind::kWinner);
  const uint32_t post_kind = static_cast<uint32_t>(EdgeKind::kOfficialOf);
  tbb::parallel_for(
      tbb::blocked_range<size_t>(0, posts.size(), 8), [&](const tbb::blocked_range<size_t>& r) {
        Scratch& s = scratch.local();
        for (size_t i = r.begin(); i < r.end(); ++i) {
          const Post& post = posts[i];
          bool complete = Reach(post.person, o.k, walk, post.org, nullptr, o.max_visit, &s);
          std::vector<uint32_t> targets;
          std::vector<ConflictHit> hits;
          for (uint32_t v : s.reached) {
            NodeKind vk = kind(v);
            if (vk != NodeKind::kOrg && (vk != NodeKind::kPerson || !o.include_persons)) continue;
            ConflictHit h;
            bool colleague = false;
            for (uint32_t j = in_off_[v]; j < in_off_[v + 1]; ++j) {
              const Adj& a = in_adj_[j];
              if ((a.packed & Graph::kKindMask) == paid_kind && a.node == post.org) {
                h.deals.push_back(a.packed >> 5);
                h.paid_fen += attrs_[attr_[a.packed >> 5]].fen;
              }
            }
            for (uint32_t j = out_off_[v]; j < out_off_[v + 1]; ++j) {
              const Adj& a = out_adj_[j];
              if (a.node != post.org) continue;
              if ((a.packed & Graph::kKindMask) == winner_kind) {
                h.deals.push_back(a.packed >> 5);
                h.award_fen += attrs_[attr_[a.packed >> 5]].fen;
              } else if ((a.packed & Graph::kKindMask) == post_kind) {
                colleague = true;
              }
            }
            if (h.deals.empty() || colleague) continue;
            h.official = post.person;
            h.post = post.edge;
            h.org = post.org;
            h.target = v;
            targets.push_back(v);
            hits.push_back(std::move(h));
          }
          if (!hits.empty()) {
            std::vector<Path> paths;
            complete &= Enumerate(post.person, targets, o.k, walk, targets.size() * per_target,
                                  per_target, o.max_visit * 16, &s, &paths);
            // Paths come shortest first; hits follow the length of their first path.
            for (Path& p : paths) {
              uint32_t t = p.nodes.back();
              auto it = std::find_if(hits.begin(), hits.end(),
                                     [t](const ConflictHit& h) { return h.target == t; });
              if (it != hits.end()) it->paths.push_back(std::move(p));
            }
            std::vector<std::pair<size_t, size_t>> order;  // (first path length, index)
            for (size_t h = 0; h < hits.size(); ++h) {
              if (!hits[h].paths.empty()) order.emplace_back(hits[h].paths[0].length(), h);
            }
            std::stable_sort(order.begin(), order.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; });
            for (const auto& [len, h] : order) found[i].push_back(std::move(hits[h]));
          }
          cut[i] = complete ? 0 : 1;
        }
      });
  ConflictResult result;
  result.posts = posts.size();
  for (size_t i = 0; i < posts.size(); ++i) {
    result.truncated += cut[i];
    for (ConflictHit& h : found[i]) result.hits.push_back(std::move(h));
  }
  return result;
}

// --- text

uint32_t Graph::PostOf(uint32_t person) const {
  uint32_t best = kNoEdge;
  for (uint32_t i = out_off_[person]; i < out_off_[person + 1]; ++i) {
    const Adj& a = out_adj_[i];
    if ((a.packed & Graph::kKindMask) != static_cast<uint32_t>(EdgeKind::kOfficialOf)) continue;
    uint32_t e = a.packed >> 5;
    const EdgeAttrs& x = attrs_[attr_[e]];
    if (x.last_day != kNoDay) continue;
    if (x.leader) return e;
    if (best == kNoEdge) best = e;
  }
  return best;
}

std::string Graph::PostText(uint32_t e) const {
  std::string out = NodeText(dst_[e], false);
  out += Str(attrs_[attr_[e]].text);
  return out;
}

std::string Graph::NodeText(uint32_t n, bool masked) const {
  std::string_view key = Str(key_[n]);
  switch (kind(n)) {
    case NodeKind::kPerson:
      if (name_[n] == kNoString) return masked ? MaskMiddle(key, 6, 4) : std::string(key);
      return masked ? MaskPersonName(Str(name_[n])) : std::string(Str(name_[n]));
    case NodeKind::kOrg:
      return std::string(name(n));
    case NodeKind::kAddress:
      if (!masked) return std::string(key);
      return FirstChars(key, 6) + "***";
    case NodeKind::kPhone:
      return masked ? MaskMiddle(key, 3, 4) : std::string(key);
    case NodeKind::kAccount:
      return masked ? MaskMiddle(key, 4, 4) : std::string(key);
    case NodeKind::kDevice:
      switch (static_cast<DeviceKind>(sub_[n])) {
        case DeviceKind::kIp:
          return "IP " + std::string(key);
        case DeviceKind::kMac:
          return "MAC " + std::string(key);
        case DeviceKind::kMachine:
          return "机器码 " + std::string(key);
      }
  }
  return std::string(key);
}

std::string Graph::NodeLabel(uint32_t n, bool masked) const { return NodeText(n, masked); }

std::string Graph::EdgeLabel(uint32_t e) const { return EdgeLabelToward(e, dst_[e]); }

std::string Graph::EdgeLabelToward(uint32_t e, uint32_t arrival) const {
  const EdgeAttrs a = attrs(e);
  switch (edge_kind(e)) {
    case EdgeKind::kRelative:
      return a.text != kNoString ? std::string(Str(a.text)) : "亲属";
    case EdgeKind::kOfficialOf:
      return a.text != kNoString ? "任职(" + std::string(Str(a.text)) + ")" : "任职";
    case EdgeKind::kShareholder:
      return std::isnan(a.ratio) || a.ratio <= 0 ? "持股" : "持股" + Percent(a.ratio);
    case EdgeKind::kLegalRep:
      return "法定代表人";
    case EdgeKind::kHousehold: {
      std::string_view rel = household_relation(arrival);
      return rel.empty() ? "同户" : "同户(" + std::string(rel) + ")";
    }
    case EdgeKind::kPaid:
      return "付款 " + FormatFen(a.fen) + "元";
    case EdgeKind::kWinner:
      return "中标";
    case EdgeKind::kBidder:
      return "投标";
    case EdgeKind::kHasPhone:
      return "同电话";
    case EdgeKind::kHasAddress:
      return "同地址";
    case EdgeKind::kHasAccount:
      return "同账户";
    case EdgeKind::kUsedDevice:
      return "同设备";
    case EdgeKind::kWelfareHandled:
      return "经办发放 " + FormatFen(a.fen) + "元";
    case EdgeKind::kInspected:
      return "执法检查";
  }
  return "";
}

std::string Graph::ExplainWith(const Path& path, bool masked, uint32_t post) const {
  if (path.nodes.empty()) return "";
  std::string out = NodeText(path.nodes[0], masked);
  if (post != kNoEdge) out += "(" + PostText(post) + ")";
  for (size_t i = 0; i < path.edges.size() && i + 1 < path.nodes.size(); ++i) {
    const uint32_t e = path.edges[i];
    const uint32_t arrival = path.nodes[i + 1];
    const bool forward = i < path.forward.size() ? path.forward[i] : src_[e] == path.nodes[i];
    const EdgeKind k = edge_kind(e);
    std::string label = EdgeLabelToward(e, arrival);
    std::string title;
    if (k == EdgeKind::kWinner || k == EdgeKind::kBidder) {
      uint32_t t = attrs_[attr_[e]].text2;
      if (t != kNoString) title = "《" + std::string(Str(t)) + "》";
    }
    if (forward) {
      out += " —" + label + "→ " + NodeText(arrival, masked) + title;
    } else {
      out += " ←" + label + title + "— " + NodeText(arrival, masked);
    }
  }
  return out;
}

std::string Graph::Explain(const Path& path, bool masked) const {
  if (path.nodes.empty()) return "";
  uint32_t first = path.nodes[0];
  return ExplainWith(path, masked, kind(first) == NodeKind::kPerson ? PostOf(first) : kNoEdge);
}

std::string Graph::Explain(const ConflictHit& hit, bool masked) const {
  if (hit.paths.empty()) return "";
  Path p = hit.paths[0];
  if (!hit.deals.empty()) {
    uint32_t d = hit.deals[0];
    p.edges.push_back(d);
    p.nodes.push_back(hit.org);
    p.forward.push_back(src_[d] == hit.target);
  }
  std::string out = ExplainWith(p, masked, hit.post);
  if (hit.deals.size() > 1) out += "（另有" + std::to_string(hit.deals.size() - 1) + "项）";
  return out;
}

// --- ego network

Result<nlohmann::json> Graph::Ego(uint32_t center, int depth, size_t max_nodes, bool masked,
                                  EdgeMask edges) const {
  if (center >= nodes()) {
    return Status::InvalidInput("unknown node " + std::to_string(center),
                                "节点" + std::to_string(center) + "不存在");
  }
  if (depth < 0 || depth > 3) {
    return Status::InvalidInput("depth must be between 0 and 3, not " + std::to_string(depth),
                                "层数须在0到3之间（当前为" + std::to_string(depth) + "）");
  }
  if (max_nodes == 0) max_nodes = 1;
  NodeMap seen;
  std::vector<uint32_t> order{center};
  seen.Put(center, 0);
  bool truncated = false;
  std::vector<uint32_t> frontier{center}, next;
  for (int d = 1; d <= depth && !frontier.empty() && !truncated; ++d) {
    next.clear();
    for (uint32_t u : frontier) {
      ForEachAdj(u, Walk{edges, false, 0}, [&](uint32_t v, uint32_t, bool) {
        if (seen.Get(v)) return;
        if (order.size() >= max_nodes) {
          truncated = true;
          return;
        }
        seen.Put(v, static_cast<uint32_t>(d));
        order.push_back(v);
        next.push_back(v);
      });
    }
    frontier.swap(next);
  }
  auto day = [](int32_t d) {
    return d == kNoDay ? nlohmann::json(nullptr) : nlohmann::json(DayText(d));
  };
  nlohmann::json jn = nlohmann::json::array();
  for (uint32_t n : order) {
    nlohmann::json x;
    x["id"] = std::to_string(n);
    x["kind"] = NodeKindName(kind(n));
    x["kind_label"] = NodeKindLabel(kind(n));
    x["category"] = static_cast<int>(kind(n));
    x["name"] = NodeText(n, masked);
    std::string_view key = Str(key_[n]);
    switch (kind(n)) {
      case NodeKind::kPerson:
        x["key"] = masked ? MaskMiddle(key, 6, 4) : std::string(key);
        break;
      case NodeKind::kOrg:
        x["key"] = std::string(key);
        x["keyed_by"] = sub_[n] == 1 ? "name" : "credit_code";
        break;
      default:
        x["key"] = NodeText(n, masked);
        break;
    }
    x["depth"] = *seen.Get(n);
    if (kind(n) == NodeKind::kPerson) {
      uint32_t post = PostOf(n);
      if (post != kNoEdge) x["post"] = PostText(post);
    }
    jn.push_back(std::move(x));
  }
  nlohmann::json je = nlohmann::json::array();
  for (uint32_t u : order) {
    for (uint32_t i = out_off_[u]; i < out_off_[u + 1]; ++i) {
      const Adj& a = out_adj_[i];
      if (!((edges >> (a.packed & Graph::kKindMask)) & 1) || !seen.Get(a.node)) continue;
      uint32_t e = a.packed >> 5;
      const EdgeAttrs at = attrs(e);
      nlohmann::json x;
      x["id"] = std::to_string(e);
      x["source"] = std::to_string(u);
      x["target"] = std::to_string(a.node);
      x["kind"] = EdgeKindName(edge_kind(e));
      x["label"] = EdgeLabel(e);
      switch (edge_kind(e)) {
        case EdgeKind::kRelative:
          x["relation"] = std::string(Str(at.text));
          break;
        case EdgeKind::kHousehold:
          x["source_relation"] = std::string(Str(at.text));
          x["target_relation"] = std::string(Str(at.text2));
          break;
        case EdgeKind::kOfficialOf:
          x["position"] = std::string(Str(at.text));
          x["leader"] = at.leader;
          x["start"] = day(at.first_day);
          x["end"] = day(at.last_day);
          break;
        case EdgeKind::kShareholder:
          x["ratio"] = std::isnan(at.ratio) ? nlohmann::json(nullptr)
                                            : nlohmann::json(static_cast<double>(at.ratio));
          x["start"] = day(at.first_day);
          x["end"] = day(at.last_day);
          break;
        case EdgeKind::kPaid:
        case EdgeKind::kWelfareHandled:
          x["total_fen"] = at.fen;
          x["total_yuan"] = FormatFen(at.fen);
          x["count"] = at.count;
          x["first"] = day(at.first_day);
          x["last"] = day(at.last_day);
          break;
        case EdgeKind::kWinner:
        case EdgeKind::kBidder:
          x["tender_id"] = std::string(Str(at.text));
          x["title"] = std::string(Str(at.text2));
          x["amount_fen"] = at.fen;
          x["amount_yuan"] = FormatFen(at.fen);
          x["day"] = day(at.first_day);
          break;
        case EdgeKind::kInspected:
          x["case_id"] = std::string(Str(at.text));
          x["day"] = day(at.first_day);
          break;
        default:
          break;
      }
      je.push_back(std::move(x));
    }
  }
  nlohmann::json categories = nlohmann::json::array();
  for (int k = 0; k < kNodeKinds; ++k) {
    categories.push_back({{"name", kNodeLabels[k]}, {"kind", kNodeNames[k]}});
  }
  nlohmann::json out;
  out["center"] = std::to_string(center);
  out["depth"] = depth;
  out["masked"] = masked;
  out["truncated"] = truncated;
  out["categories"] = std::move(categories);
  out["nodes"] = std::move(jn);
  out["edges"] = std::move(je);
  return out;
}

}  // namespace qf::engine
