#include "leads/draws.h"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "common/time.h"
#include "engine/graph.h"
#include "leads/matches.h"
#include "leads/reports.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"

namespace qf::leads {

using nlohmann::json;

namespace {

constexpr std::string_view kEntitiesHeader = "qingfeng-draw-entities-v1\n";
constexpr std::string_view kInspectorsHeader = "qingfeng-draw-inspectors-v1\n";
constexpr std::string_view kResultHeader = "qingfeng-draw-result-v1\n";
constexpr std::string_view kRecusalsHeader = "qingfeng-draw-recusals-v1\n";

void Field(std::string* out, std::string_view v) {
  *out += std::to_string(v.size());
  *out += ':';
  out->append(v);
}

// Records after `header`: each a run of fields ended by '\n'.
Result<std::vector<std::vector<std::string>>> ParseRecords(std::string_view bytes,
                                                           std::string_view header) {
  if (bytes.substr(0, header.size()) != header) {
    return Status::InvalidInput("register snapshot has an unknown header", "名录快照格式不正确");
  }
  std::vector<std::vector<std::string>> out;
  size_t p = header.size();
  std::vector<std::string> rec;
  while (p < bytes.size()) {
    if (bytes[p] == '\n') {
      out.push_back(std::move(rec));
      rec.clear();
      ++p;
      continue;
    }
    size_t colon = bytes.find(':', p);
    if (colon == std::string_view::npos || colon == p || colon - p > 9) {
      return Status::InvalidInput("malformed register snapshot", "名录快照格式不正确");
    }
    size_t len = 0;
    for (size_t i = p; i < colon; ++i) {
      if (bytes[i] < '0' || bytes[i] > '9') {
        return Status::InvalidInput("malformed register snapshot", "名录快照格式不正确");
      }
      len = len * 10 + static_cast<size_t>(bytes[i] - '0');
    }
    if (colon + 1 + len > bytes.size()) {
      return Status::InvalidInput("truncated register snapshot", "名录快照不完整");
    }
    rec.emplace_back(bytes.substr(colon + 1, len));
    p = colon + 1 + len;
  }
  if (!rec.empty()) return Status::InvalidInput("truncated register snapshot", "名录快照不完整");
  return out;
}

int RiskIndex(char c) {
  for (size_t i = 0; i < kRiskClasses.size(); ++i) {
    if (kRiskClasses[i] == c) return static_cast<int>(i);
  }
  return -1;
}

Result<Digest> ParseSeed(std::string_view hex) {
  Digest d{};
  auto nib = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() != 64) {
    return Status::InvalidInput("the seed must be 64 hex digits (32 bytes)",
                                "种子应为64位十六进制数（32字节）");
  }
  for (size_t i = 0; i < 32; ++i) {
    int hi = nib(hex[2 * i]), lo = nib(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return Status::InvalidInput("the seed must be 64 hex digits (32 bytes)",
                                  "种子应为64位十六进制数（32字节）");
    }
    d[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return d;
}

std::string Commitment(const Digest& seed) {
  return ToHex(Sha256(std::string_view(reinterpret_cast<const char*>(seed.data()), seed.size())));
}

std::string HashHex(std::string_view bytes) { return ToHex(Sha256(bytes)); }

// The targets of the draw: Fisher–Yates over each class's sorted register.
std::vector<RegisterEntity> DrawTargetsOnly(std::vector<RegisterEntity> entities,
                                            const std::array<int, 4>& ratio_bp, DrawStream* s) {
  std::sort(entities.begin(), entities.end(),
            [](const auto& a, const auto& b) { return a.credit_code < b.credit_code; });
  std::vector<RegisterEntity> out;
  for (size_t c = 0; c < kRiskClasses.size(); ++c) {
    std::vector<RegisterEntity> cls;
    for (const auto& e : entities) {
      if (e.risk == kRiskClasses[c]) cls.push_back(e);
    }
    const uint64_t n = cls.size();
    const uint64_t k = (n * static_cast<uint64_t>(ratio_bp[c]) + 9999) / 10000;
    s->Shuffle(&cls);
    for (uint64_t i = 0; i < k && i < n; ++i) out.push_back(cls[i]);
  }
  return out;
}

Status ValidatePlan(const DrawPlan& p) {
  if (p.item.empty())
    return Status::InvalidInput("the inspection item is required", "缺少检查事项");
  if (p.org.empty()) return Status::InvalidInput("the organisation is required", "缺少实施机关");
  if (p.inspectors_per_target < 2 || p.inspectors_per_target > 20) {
    return Status::InvalidInput("inspectors per target must be between 2 and 20",
                                "每个检查对象的检查人员应为2至20名");
  }
  for (int bp : p.ratio_bp) {
    if (bp < 0 || bp > 10000) {
      return Status::InvalidInput("sampling ratios must be between 0% and 100%",
                                  "抽查比例应在0%至100%之间");
    }
  }
  for (const auto& [code, risk] : p.risk_overrides) {
    if (RiskIndex(risk) < 0) {
      return Status::InvalidInput("risk class of " + code + " must be A, B, C or D",
                                  code + " 的风险等级应为A、B、C或D");
    }
  }
  if (!p.seed_commitment.empty()) QF_RETURN_IF_ERROR(ParseSeed(p.seed_commitment).status());
  return Status::OK();
}

json PlanJson(const DrawPlan& p, const std::string& today) {
  json overrides = json::object();
  for (const auto& [code, risk] : p.risk_overrides) overrides[code] = std::string(1, risk);
  return {{"item", p.item},
          {"org", p.org},
          {"ratio_bp", p.ratio_bp},
          {"inspectors_per_target", p.inspectors_per_target},
          {"region_prefix", p.region_prefix},
          {"industry", p.industry},
          {"post_filter", p.post_filter},
          {"risk_overrides", overrides},
          {"planned_on", today}};
}

Result<json> ParseJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Status::Corruption("stored JSON does not parse");
  return j;
}

// The draw's parameters from its plan JSON.
Status PlanParams(const json& plan, std::array<int, 4>* ratio, int* per_target) {
  try {
    *ratio = plan.at("ratio_bp").get<std::array<int, 4>>();
    *per_target = plan.at("inspectors_per_target").get<int>();
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("draw plan: ") + e.what());
  }
  return Status::OK();
}

struct LedgerAction {
  int64_t id = 0;
  std::string at, actor, action, target, details;
};

Result<bool> FindAction(Db* db, const std::string& action, int64_t draw_id, LedgerAction* out) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT id, at, actor, action, target, details FROM "
                                           "ledger_actions WHERE action = ? AND target = ? "
                                           "ORDER BY id LIMIT 1"));
  st.BindText(1, action);
  st.BindText(2, "draw:" + std::to_string(draw_id));
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return false;
  *out = {st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5)};
  return true;
}

// Whether the action row still hashes to its ledger leaf.
Result<bool> ActionMatchesLeaf(Db* db, const LedgerAction& a) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT hash FROM ledger_leaves WHERE src = ? AND "
                                           "ref = ?"));
  st.BindInt(1, ledger::kSourceAction);
  st.BindInt(2, a.id);
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return false;
  std::string_view stored = st.TextView(0);
  Digest want =
      merkle::LeafHash(ledger::ActionLeafData(a.at, a.actor, a.action, a.target, a.details));
  return stored.size() == 32 &&
         std::equal(want.begin(), want.end(), stored.begin(),
                    [](uint8_t x, char y) { return x == static_cast<uint8_t>(y); });
}

Result<std::string> BlobColumn(Db* db, int64_t id, const char* column) {
  QF_ASSIGN_OR_RETURN(Stmt st,
                      db->Prepare(std::string("SELECT ") + column + " FROM draws WHERE id = ?"));
  st.BindInt(1, id);
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("draw " + std::to_string(id));
  if (st.IsNull(0)) return std::string();
  const void* p = sqlite3_column_blob(st.raw(), 0);
  int n = sqlite3_column_bytes(st.raw(), 0);
  return std::string(static_cast<const char*>(p), static_cast<size_t>(n));
}

Result<std::vector<Recusal>> LoadRecusals(Db* db, int64_t id) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT credit_code, inspector_id, reason FROM "
                                           "draw_recusals WHERE draw_id = ? ORDER BY "
                                           "credit_code, inspector_id"));
  st.BindInt(1, id);
  std::vector<Recusal> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back({st.Text(0), st.Text(1), st.Text(2)});
  }
  return out;
}

Result<std::vector<TargetRow>> LoadTargets(Db* db, int64_t id) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT seq, credit_code, name, risk, result, "
                                           "result_date, penalty_fen, has_result FROM "
                                           "draw_targets WHERE draw_id = ? ORDER BY seq"));
  st.BindInt(1, id);
  std::vector<TargetRow> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    TargetRow t;
    t.seq = static_cast<int>(st.Int(0));
    t.credit_code = st.Text(1);
    t.name = st.Text(2);
    std::string r = st.Text(3);
    t.risk = r.empty() ? '?' : r[0];
    t.result = st.Text(4);
    t.result_date = st.Text(5);
    t.penalty_fen = st.Int(6);
    t.has_result = st.Int(7) != 0;
    out.push_back(std::move(t));
  }
  QF_ASSIGN_OR_RETURN(Stmt as, db->Prepare("SELECT seq, inspector_id, inspector_name FROM "
                                           "draw_assignments WHERE draw_id = ? ORDER BY seq, "
                                           "pos"));
  as.BindInt(1, id);
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, as.Step());
    if (!row) break;
    size_t seq = static_cast<size_t>(as.Int(0));
    if (seq == 0 || seq > out.size()) return Status::Corruption("draw assignment without target");
    out[seq - 1].inspectors.emplace_back(as.Text(1), as.Text(2));
  }
  return out;
}

const char* kSummaryColumns =
    "id, item, org, status, entity_register_sha256, inspector_register_sha256, "
    "seed_commitment, COALESCE(seed_hex, ''), COALESCE(result_sha256, ''), entity_count, "
    "inspector_count, (SELECT COUNT(*) FROM draw_targets t WHERE t.draw_id = draws.id), "
    "created_by, created_at, COALESCE(executed_at, ''), COALESCE(published_at, ''), plan_json";

DrawSummary SummaryFrom(Stmt& st) {
  DrawSummary s;
  s.id = st.Int(0);
  s.item = st.Text(1);
  s.org = st.Text(2);
  s.status = st.Text(3);
  s.entity_register_sha256 = st.Text(4);
  s.inspector_register_sha256 = st.Text(5);
  s.seed_commitment = st.Text(6);
  s.seed_hex = st.Text(7);
  s.result_sha256 = st.Text(8);
  s.entities = st.Int(9);
  s.inspectors = st.Int(10);
  s.targets = st.Int(11);
  s.created_by = st.Text(12);
  s.created_at = st.Text(13);
  s.executed_at = st.Text(14);
  s.published_at = st.Text(15);
  s.plan_json = st.Text(16);
  return s;
}

std::vector<DrawTarget> AsDrawTargets(const std::vector<TargetRow>& rows) {
  std::vector<DrawTarget> out;
  for (const auto& r : rows) {
    DrawTarget t{r.credit_code, r.name, r.risk, {}};
    for (const auto& [id, name] : r.inspectors) t.inspector_ids.push_back(id);
    out.push_back(std::move(t));
  }
  return out;
}

Status AppendAction(Db* db, const std::string& actor, const std::string& action, int64_t id,
                    const json& details) {
  QF_ASSIGN_OR_RETURN(auto led, ledger::Ledger::Open(db));
  ledger::Action a;
  a.actor = actor;
  a.action = action;
  a.target = "draw:" + std::to_string(id);
  a.details_json = details.dump();
  QF_RETURN_IF_ERROR(led->AppendAction(a).status());
  return led->Flush();
}

Status NoSuchDraw(int64_t id) {
  return Status::NotFound("there is no draw " + std::to_string(id) + " (没有这次抽查)");
}

}  // namespace

// ---------------------------------------------------------------------------
// Canonical forms

std::string SerializeEntities(std::vector<RegisterEntity> entities) {
  std::sort(entities.begin(), entities.end(),
            [](const auto& a, const auto& b) { return a.credit_code < b.credit_code; });
  std::string out(kEntitiesHeader);
  for (const auto& e : entities) {
    Field(&out, e.credit_code);
    Field(&out, e.name);
    Field(&out, std::string(1, e.risk));
    out += '\n';
  }
  return out;
}

std::string SerializeInspectors(std::vector<RegisterInspector> inspectors) {
  std::sort(inspectors.begin(), inspectors.end(),
            [](const auto& a, const auto& b) { return a.id_number < b.id_number; });
  std::string out(kInspectorsHeader);
  for (const auto& i : inspectors) {
    Field(&out, i.id_number);
    Field(&out, i.name);
    Field(&out, i.org);
    Field(&out, i.position);
    out += '\n';
  }
  return out;
}

Result<std::vector<RegisterEntity>> ParseEntities(std::string_view bytes) {
  QF_ASSIGN_OR_RETURN(auto recs, ParseRecords(bytes, kEntitiesHeader));
  std::vector<RegisterEntity> out;
  for (auto& r : recs) {
    if (r.size() != 3 || r[2].size() != 1 || RiskIndex(r[2][0]) < 0) {
      return Status::InvalidInput("malformed entity register record", "检查对象名录记录格式不正确");
    }
    out.push_back({std::move(r[0]), std::move(r[1]), r[2][0], ""});
  }
  return out;
}

Result<std::vector<RegisterInspector>> ParseInspectors(std::string_view bytes) {
  QF_ASSIGN_OR_RETURN(auto recs, ParseRecords(bytes, kInspectorsHeader));
  std::vector<RegisterInspector> out;
  for (auto& r : recs) {
    if (r.size() != 4) {
      return Status::InvalidInput("malformed inspector register record",
                                  "执法检查人员名录记录格式不正确");
    }
    out.push_back({std::move(r[0]), std::move(r[1]), std::move(r[2]), std::move(r[3])});
  }
  return out;
}

std::string SerializeResult(const std::vector<DrawTarget>& targets) {
  std::string out(kResultHeader);
  for (const auto& t : targets) {
    Field(&out, t.credit_code);
    Field(&out, std::string(1, t.risk));
    for (const auto& id : t.inspector_ids) Field(&out, id);
    out += '\n';
  }
  return out;
}

std::string SerializeRecusals(std::vector<Recusal> recusals) {
  std::sort(recusals.begin(), recusals.end(), [](const auto& a, const auto& b) {
    return std::tie(a.credit_code, a.inspector_id) < std::tie(b.credit_code, b.inspector_id);
  });
  std::string out(kRecusalsHeader);
  for (const auto& r : recusals) {
    Field(&out, r.credit_code);
    Field(&out, r.inspector_id);
    out += '\n';
  }
  return out;
}

// ---------------------------------------------------------------------------
// Registers

Result<std::vector<RegisterEntity>> BuildEntityRegister(Db* db, const DrawPlan& plan,
                                                        std::string_view today) {
  // Enforcement history per party: 处罚 and 强制 cases.
  std::unordered_map<std::string, std::pair<int64_t, int64_t>> cases;
  {
    QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT target_party, SUM(kind = '处罚'), "
                                             "SUM(kind = '强制') FROM enforcement GROUP BY "
                                             "target_party"));
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      cases[st.Text(0)] = {st.Int(1), st.Int(2)};
    }
  }
  std::set<std::string> revoked;
  {
    QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT DISTINCT credit_code FROM "
                                             "companies_versions WHERE status = '吊销'"));
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      revoked.insert(st.Text(0));
    }
  }
  int y = 0, m = 0, d = 0;
  std::string cutoff;
  if (std::sscanf(std::string(today).c_str(), "%d-%d-%d", &y, &m, &d) == 3) {
    cutoff = FormatDate(CivilFromDays(DaysFromCivil(y, m, d) - 365));
  }
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT credit_code, name, COALESCE(established_date, "
                                           "''), COALESCE(region_code, ''), COALESCE(industry, "
                                           "'') FROM companies WHERE status IN ('存续', '在业') "
                                           "ORDER BY credit_code"));
  std::vector<RegisterEntity> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    std::string region = st.Text(3), industry = st.Text(4);
    if (!plan.region_prefix.empty() && region.rfind(plan.region_prefix, 0) != 0) continue;
    if (!plan.industry.empty() && industry.find(plan.industry) == std::string::npos) continue;
    RegisterEntity e;
    e.credit_code = st.Text(0);
    e.name = st.Text(1);
    std::string established = st.Text(2);
    auto it = cases.find(e.credit_code);
    int64_t penalties = it == cases.end() ? 0 : it->second.first;
    int64_t compulsory = it == cases.end() ? 0 : it->second.second;
    if (auto o = plan.risk_overrides.find(e.credit_code); o != plan.risk_overrides.end()) {
      e.risk = o->second;
      e.risk_reason = "计划指定";
    } else if (penalties >= 2 || compulsory > 0) {
      e.risk = 'D';
      e.risk_reason =
          "处罚" + std::to_string(penalties) + "次，强制" + std::to_string(compulsory) + "次";
    } else if (penalties == 1 || revoked.count(e.credit_code)) {
      e.risk = 'C';
      e.risk_reason = penalties == 1 ? "处罚1次" : "曾被吊销";
    } else if (!established.empty() && !cutoff.empty() && established > cutoff) {
      e.risk = 'B';
      e.risk_reason = "成立不满一年";
    } else {
      e.risk = 'A';
      e.risk_reason = "无不良记录";
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<RegisterInspector>> BuildInspectorRegister(Db* db, const DrawPlan& plan) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT id_number, name, org, COALESCE(position, '') "
                                           "FROM officials WHERE org = ? AND (end_date IS NULL "
                                           "OR end_date = '') ORDER BY id_number, start_date"));
  st.BindText(1, plan.org);
  std::vector<RegisterInspector> out;
  std::set<std::string> seen;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    RegisterInspector i{st.Text(0), st.Text(1), st.Text(2), st.Text(3)};
    if (!plan.post_filter.empty() && i.position.find(plan.post_filter) == std::string::npos) {
      continue;
    }
    if (!seen.insert(i.id_number).second) continue;
    out.push_back(std::move(i));
  }
  return out;
}

// ---------------------------------------------------------------------------
// The stream and the draw

uint64_t DrawStream::Next64() {
  if (used_ + 8 > block_.size()) {
    std::string in(reinterpret_cast<const char*>(seed_.data()), seed_.size());
    for (int b = 7; b >= 0; --b) in += static_cast<char>((counter_ >> (8 * b)) & 0xff);
    block_ = Sha256(in);
    ++counter_;
    used_ = 0;
  }
  uint64_t v = 0;
  for (int b = 0; b < 8; ++b) v = (v << 8) | block_[used_ + static_cast<size_t>(b)];
  used_ += 8;
  return v;
}

uint64_t DrawStream::Uniform(uint64_t n) {
  if (n <= 1) return 0;
  // r = 2^64 mod n: accept x < 2^64 - r (a whole number of runs of n), reject the rest.
  const uint64_t r = (UINT64_MAX % n + 1) % n;
  for (;;) {
    uint64_t x = Next64();
    if (r == 0 || x <= UINT64_MAX - r) return x % n;
  }
}

Result<std::vector<DrawTarget>> RunDraw(const std::vector<RegisterEntity>& entities,
                                        const std::vector<RegisterInspector>& inspectors,
                                        const std::array<int, 4>& ratio_bp, int per_target,
                                        const Digest& seed, const std::vector<Recusal>& recusals) {
  if (per_target < 2) {
    return Status::InvalidInput("inspectors per target must be at least 2",
                                "每个检查对象至少应有2名检查人员");
  }
  DrawStream s(seed);
  std::vector<RegisterEntity> targets = DrawTargetsOnly(entities, ratio_bp, &s);
  std::vector<RegisterInspector> sorted = inspectors;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.id_number < b.id_number; });
  std::set<std::pair<std::string, std::string>> recused;
  for (const auto& r : recusals) recused.emplace(r.credit_code, r.inspector_id);
  std::vector<DrawTarget> out;
  for (const auto& t : targets) {
    std::vector<RegisterInspector> order = sorted;
    s.Shuffle(&order);
    DrawTarget d{t.credit_code, t.name, t.risk, {}};
    for (const auto& i : order) {
      if (static_cast<int>(d.inspector_ids.size()) == per_target) break;
      if (recused.count({t.credit_code, i.id_number})) continue;
      d.inspector_ids.push_back(i.id_number);
    }
    if (static_cast<int>(d.inspector_ids.size()) < per_target) {
      return Status::InvalidInput(
          "not enough inspectors without a conflict of interest for " + t.name + " (" +
              t.credit_code + "): " + std::to_string(d.inspector_ids.size()) + " of " +
              std::to_string(per_target) + " needed",
          "检查对象 " + t.name + "（" + t.credit_code + "）回避后可用检查人员不足：需要 " +
              std::to_string(per_target) + " 名，仅有 " + std::to_string(d.inspector_ids.size()) +
              " 名");
    }
    out.push_back(std::move(d));
  }
  return out;
}

// ---------------------------------------------------------------------------
// The store side

Result<int64_t> CreateDrawPlan(Db* db, const std::string& db_path, const DrawPlan& plan,
                               const std::string& actor) {
  QF_RETURN_IF_ERROR(ValidatePlan(plan));
  const std::string today = FormatDate(TodayShanghai());
  QF_ASSIGN_OR_RETURN(auto entities, BuildEntityRegister(db, plan, today));
  QF_ASSIGN_OR_RETURN(auto inspectors, BuildInspectorRegister(db, plan));
  if (entities.empty()) {
    return Status::InvalidInput("the entity register is empty (no company in business matches)",
                                "检查对象名录库为空（没有符合条件的存续或在业企业）");
  }
  if (static_cast<int>(inspectors.size()) < plan.inspectors_per_target) {
    return Status::InvalidInput(
        "the inspector register of " + plan.org + " has " + std::to_string(inspectors.size()) +
            " officials in post; at least " + std::to_string(plan.inspectors_per_target) +
            " needed",
        plan.org + " 的执法检查人员名录库仅有 " + std::to_string(inspectors.size()) +
            " 名在岗人员，至少需要 " + std::to_string(plan.inspectors_per_target) + " 名");
  }
  const std::string ent_bytes = SerializeEntities(entities);
  const std::string ins_bytes = SerializeInspectors(inspectors);
  std::string commitment = plan.seed_commitment;
  std::string sealed;
  if (commitment.empty()) {
    InitCrypto();
    Digest seed{};
    randombytes_buf(seed.data(), seed.size());
    commitment = Commitment(seed);
    QF_ASSIGN_OR_RETURN(OfficeKey key, OfficeKey::LoadOrCreate(OfficeKeyPath(db_path)));
    sealed = key.Seal(ToHex(seed));
    sodium_memzero(seed.data(), seed.size());
  } else {
    std::transform(commitment.begin(), commitment.end(), commitment.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  const json pj = PlanJson(plan, today);
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(
      Stmt ins,
      db->Prepare("INSERT INTO draws(item, org, plan_json, status, entity_register, "
                  "entity_register_sha256, entity_count, inspector_register, "
                  "inspector_register_sha256, inspector_count, seed_commitment, seed_sealed, "
                  "created_by, created_at) VALUES (?,?,?,'planned',?,?,?,?,?,?,?,?,?,?)"));
  ins.BindText(1, plan.item);
  ins.BindText(2, plan.org);
  ins.BindText(3, pj.dump());
  ins.BindBlob(4, ent_bytes.data(), ent_bytes.size());
  ins.BindText(5, HashHex(ent_bytes));
  ins.BindInt(6, static_cast<int64_t>(entities.size()));
  ins.BindBlob(7, ins_bytes.data(), ins_bytes.size());
  ins.BindText(8, HashHex(ins_bytes));
  ins.BindInt(9, static_cast<int64_t>(inspectors.size()));
  ins.BindText(10, commitment);
  if (sealed.empty()) {
    ins.BindNull(11);
  } else {
    ins.BindBlob(11, sealed.data(), sealed.size());
  }
  ins.BindText(12, actor);
  ins.BindText(13, NowShanghai());
  QF_RETURN_IF_ERROR(ins.Run());
  const int64_t id = db->LastInsertId();
  QF_RETURN_IF_ERROR(AppendAction(db, actor, "draw_plan", id,
                                  {{"plan", pj},
                                   {"entity_register_sha256", HashHex(ent_bytes)},
                                   {"entities", entities.size()},
                                   {"inspector_register_sha256", HashHex(ins_bytes)},
                                   {"inspectors", inspectors.size()},
                                   {"seed_commitment", commitment}}));
  QF_RETURN_IF_ERROR(tx.Commit());
  return id;
}

Result<DrawDetail> ExecuteDraw(Db* db, const std::string& db_path, int64_t id,
                               const std::string& seed_hex, const std::string& actor,
                               const LiveNetwork* network) {
  QF_ASSIGN_OR_RETURN(DrawDetail d, GetDraw(db, id));
  if (d.summary.status != "planned") {
    return Status::InvalidInput("draw " + std::to_string(id) + " has already been executed",
                                "抽查 " + std::to_string(id) + " 已经执行");
  }
  if (!seed_hex.empty()) {
    // A wrong seed is refused before the graph is built (seconds on a city).
    QF_ASSIGN_OR_RETURN(Digest seed, ParseSeed(seed_hex));
    if (Commitment(seed) != d.summary.seed_commitment) {
      return Status::InvalidInput("the seed does not match the commitment in the ledger",
                                  "种子与账本中的承诺值不符");
    }
  }
  LiveNetwork built;
  if (network == nullptr) {
    QF_ASSIGN_OR_RETURN(built, LoadNetwork(db));
    network = &built;
  }
  const engine::Graph& g = network->net->graph();
  engine::PathQuery q;
  q.k = 3;
  q.edges =
      engine::MaskOf(engine::EdgeKind::kHousehold) | engine::MaskOf(engine::EdgeKind::kRelative) |
      engine::MaskOf(engine::EdgeKind::kShareholder) | engine::MaskOf(engine::EdgeKind::kLegalRep) |
      engine::MaskOf(engine::EdgeKind::kOfficialOf);
  q.max_paths = 1000;
  // Colleagues are not a conflict: never pass through the drawing organisation.
  if (uint32_t org = g.Lookup(d.summary.org); org != engine::kNoNode) q.avoid.push_back(org);
  // Per target, the first (shortest) path to each inspector.
  std::map<std::string, std::map<std::string, std::string>> found;
  ConflictFn conflict = [&](const RegisterEntity& e, const RegisterInspector& i,
                            std::string* reason) {
    auto it = found.find(e.credit_code);
    if (it == found.end()) {
      it = found.emplace(e.credit_code, std::map<std::string, std::string>{}).first;
      uint32_t from = g.Find(engine::NodeKind::kOrg, e.credit_code);
      if (from != engine::kNoNode) {
        auto paths = g.Paths(
            from, [&](uint32_t n) { return g.kind(n) == engine::NodeKind::kPerson; }, q);
        if (paths.ok()) {
          for (const engine::Path& p : paths->paths) {
            std::string who(g.key(p.nodes.back()));
            if (it->second.count(who)) continue;
            // Read from the inspector's side.
            engine::Path r;
            r.nodes.assign(p.nodes.rbegin(), p.nodes.rend());
            r.edges.assign(p.edges.rbegin(), p.edges.rend());
            for (size_t k = p.forward.size(); k-- > 0;) r.forward.push_back(!p.forward[k]);
            it->second.emplace(who, g.Explain(r, true));
          }
        }
      }
    }
    auto hit = it->second.find(i.id_number);
    if (hit == it->second.end()) return false;
    *reason = hit->second;
    return true;
  };
  return ExecuteDrawWith(db, db_path, id, seed_hex, conflict, actor);
}

Result<DrawDetail> ExecuteDrawWith(Db* db, const std::string& db_path, int64_t id,
                                   const std::string& seed_hex, const ConflictFn& conflict,
                                   const std::string& actor) {
  QF_ASSIGN_OR_RETURN(DrawDetail d, GetDraw(db, id));
  if (d.summary.status != "planned") {
    return Status::InvalidInput("draw " + std::to_string(id) + " has already been executed",
                                "抽查 " + std::to_string(id) + " 已经执行");
  }
  std::string hex = seed_hex;
  if (hex.empty()) {
    QF_ASSIGN_OR_RETURN(std::string sealed, BlobColumn(db, id, "seed_sealed"));
    if (sealed.empty()) {
      return Status::InvalidInput("this draw's seed is held by its planner: give it",
                                  "本次抽查的种子由计划方保管，请提供种子");
    }
    QF_ASSIGN_OR_RETURN(OfficeKey key, OfficeKey::LoadOrCreate(OfficeKeyPath(db_path)));
    QF_ASSIGN_OR_RETURN(hex, key.Open(sealed));
  }
  QF_ASSIGN_OR_RETURN(Digest seed, ParseSeed(hex));
  hex = ToHex(seed);
  if (Commitment(seed) != d.summary.seed_commitment) {
    return Status::InvalidInput("the seed does not match the commitment in the ledger",
                                "种子与账本中的承诺值不符");
  }
  QF_ASSIGN_OR_RETURN(std::string ent_bytes, BlobColumn(db, id, "entity_register"));
  QF_ASSIGN_OR_RETURN(std::string ins_bytes, BlobColumn(db, id, "inspector_register"));
  QF_ASSIGN_OR_RETURN(auto entities, ParseEntities(ent_bytes));
  QF_ASSIGN_OR_RETURN(auto inspectors, ParseInspectors(ins_bytes));
  QF_ASSIGN_OR_RETURN(json plan, ParseJson(d.summary.plan_json));
  std::array<int, 4> ratio{};
  int per_target = 0;
  QF_RETURN_IF_ERROR(PlanParams(plan, &ratio, &per_target));

  // The targets do not depend on the recusals; the recusals are every
  // conflicted (target, inspector) pair among them.
  DrawStream pre(seed);
  std::vector<RegisterEntity> targets = DrawTargetsOnly(entities, ratio, &pre);
  std::vector<Recusal> recusals;
  for (const auto& t : targets) {
    for (const auto& i : inspectors) {
      std::string reason;
      if (conflict && conflict(t, i, &reason))
        recusals.push_back({t.credit_code, i.id_number, reason});
    }
  }
  QF_ASSIGN_OR_RETURN(auto drawn, RunDraw(entities, inspectors, ratio, per_target, seed, recusals));
  std::map<std::string, std::string> names;
  for (const auto& i : inspectors) names[i.id_number] = i.name;

  const std::string result_hash = HashHex(SerializeResult(drawn));
  const std::string recusal_hash = HashHex(SerializeRecusals(recusals));
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(Stmt ti, db->Prepare("INSERT INTO draw_targets(draw_id, seq, credit_code, "
                                           "name, risk) VALUES (?,?,?,?,?)"));
  QF_ASSIGN_OR_RETURN(Stmt ai, db->Prepare("INSERT INTO draw_assignments(draw_id, seq, pos, "
                                           "inspector_id, inspector_name) VALUES (?,?,?,?,?)"));
  for (size_t k = 0; k < drawn.size(); ++k) {
    ti.BindInt(1, id);
    ti.BindInt(2, static_cast<int64_t>(k + 1));
    ti.BindText(3, drawn[k].credit_code);
    ti.BindText(4, drawn[k].name);
    ti.BindText(5, std::string(1, drawn[k].risk));
    QF_RETURN_IF_ERROR(ti.Run());
    for (size_t p = 0; p < drawn[k].inspector_ids.size(); ++p) {
      ai.BindInt(1, id);
      ai.BindInt(2, static_cast<int64_t>(k + 1));
      ai.BindInt(3, static_cast<int64_t>(p + 1));
      ai.BindText(4, drawn[k].inspector_ids[p]);
      ai.BindText(5, names[drawn[k].inspector_ids[p]]);
      QF_RETURN_IF_ERROR(ai.Run());
    }
  }
  QF_ASSIGN_OR_RETURN(Stmt ri, db->Prepare("INSERT INTO draw_recusals(draw_id, credit_code, "
                                           "inspector_id, reason) VALUES (?,?,?,?)"));
  for (const auto& r : recusals) {
    ri.BindInt(1, id);
    ri.BindText(2, r.credit_code);
    ri.BindText(3, r.inspector_id);
    ri.BindText(4, r.reason);
    QF_RETURN_IF_ERROR(ri.Run());
  }
  QF_ASSIGN_OR_RETURN(Stmt up, db->Prepare("UPDATE draws SET status = 'executed', seed_hex = ?, "
                                           "result_sha256 = ?, executed_at = ? WHERE id = ?"));
  up.BindText(1, hex);
  up.BindText(2, result_hash);
  up.BindText(3, NowShanghai());
  up.BindInt(4, id);
  QF_RETURN_IF_ERROR(up.Run());
  json rec = json::array();
  for (const auto& r : recusals) {
    rec.push_back({{"credit_code", r.credit_code}, {"inspector_id", r.inspector_id}});
  }
  QF_RETURN_IF_ERROR(AppendAction(db, actor, "draw_execute", id,
                                  {{"seed", hex},
                                   {"result_sha256", result_hash},
                                   {"targets", drawn.size()},
                                   {"recusals_sha256", recusal_hash},
                                   {"recusals", rec}}));
  QF_RETURN_IF_ERROR(tx.Commit());
  return GetDraw(db, id);
}

Status EnterDrawResult(Db* db, int64_t id, const InspectionResult& r, const std::string& actor) {
  QF_ASSIGN_OR_RETURN(DrawDetail d, GetDraw(db, id));
  if (d.summary.status == "planned") {
    return Status::InvalidInput("draw " + std::to_string(id) + " has not been executed",
                                "抽查 " + std::to_string(id) + " 尚未执行");
  }
  if (r.result.empty()) return Status::InvalidInput("the result is required", "缺少检查结果");
  int y = 0, m = 0, dd = 0;
  char tail = 0;
  if (std::sscanf(r.date.c_str(), "%4d-%2d-%2d%c", &y, &m, &dd, &tail) != 3 ||
      r.date.size() != 10 || !IsValidDate(y, m, dd)) {
    return Status::InvalidInput("the date must be YYYY-MM-DD", "检查日期格式应为YYYY-MM-DD");
  }
  if (r.penalty_fen < 0) {
    return Status::InvalidInput("the penalty cannot be negative", "罚没金额不能为负数");
  }
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(Stmt up, db->Prepare("UPDATE draw_targets SET result = ?, result_date = ?, "
                                           "penalty_fen = ?, has_result = 1, entered_by = ?, "
                                           "entered_at = ? WHERE draw_id = ? AND credit_code = ?"));
  up.BindText(1, r.result);
  up.BindText(2, r.date);
  up.BindInt(3, r.penalty_fen);
  up.BindText(4, actor);
  up.BindText(5, NowShanghai());
  up.BindInt(6, id);
  up.BindText(7, r.credit_code);
  QF_RETURN_IF_ERROR(up.Run());
  if (db->Changes() == 0) {
    return Status::InvalidInput(
        r.credit_code + " was not drawn in draw " + std::to_string(id),
        r.credit_code + " 不是抽查 " + std::to_string(id) + " 抽中的检查对象");
  }
  QF_RETURN_IF_ERROR(AppendAction(db, actor, "draw_result", id,
                                  {{"credit_code", r.credit_code},
                                   {"result_sha256", HashHex(r.result)},
                                   {"date", r.date},
                                   {"penalty_fen", r.penalty_fen}}));
  return tx.Commit();
}

Status PublishDraw(Db* db, int64_t id, const std::string& actor) {
  QF_ASSIGN_OR_RETURN(DrawDetail d, GetDraw(db, id));
  if (d.summary.status != "executed") {
    return Status::InvalidInput(
        "only an executed, unpublished draw can be published (status " + d.summary.status + ")",
        "只有已执行且未公示的抽查可以公示（当前状态：" + d.summary.status + "）");
  }
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(Stmt up, db->Prepare("UPDATE draws SET status = 'published', "
                                           "published_at = ? WHERE id = ?"));
  up.BindText(1, NowShanghai());
  up.BindInt(2, id);
  QF_RETURN_IF_ERROR(up.Run());
  QF_RETURN_IF_ERROR(
      AppendAction(db, actor, "draw_publish", id, {{"result_sha256", d.summary.result_sha256}}));
  return tx.Commit();
}

Result<std::vector<DrawSummary>> ListDraws(Db* db) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare(std::string("SELECT ") + kSummaryColumns +
                                           " FROM draws ORDER BY id DESC"));
  std::vector<DrawSummary> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(SummaryFrom(st));
  }
  return out;
}

Result<DrawDetail> GetDraw(Db* db, int64_t id) {
  QF_ASSIGN_OR_RETURN(
      Stmt st, db->Prepare(std::string("SELECT ") + kSummaryColumns + " FROM draws WHERE id = ?"));
  st.BindInt(1, id);
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return NoSuchDraw(id);
  DrawDetail d;
  d.summary = SummaryFrom(st);
  QF_ASSIGN_OR_RETURN(d.targets, LoadTargets(db, id));
  QF_ASSIGN_OR_RETURN(d.recusals, LoadRecusals(db, id));
  return d;
}

Result<DrawVerification> VerifyDraw(Db* db, int64_t id) {
  QF_ASSIGN_OR_RETURN(DrawDetail d, GetDraw(db, id));
  DrawVerification v;
  auto check = [&v](bool ok, const std::string& what) {
    (ok ? v.checks : v.problems).push_back(what);
  };
  LedgerAction plan_action;
  QF_ASSIGN_OR_RETURN(bool has_plan, FindAction(db, "draw_plan", id, &plan_action));
  if (!has_plan) {
    v.problems.push_back("ledger has no draw_plan action for this draw");
    return v;
  }
  QF_ASSIGN_OR_RETURN(bool plan_leaf, ActionMatchesLeaf(db, plan_action));
  check(plan_leaf, "draw_plan action matches its ledger leaf");
  QF_ASSIGN_OR_RETURN(json pd, ParseJson(plan_action.details));
  QF_ASSIGN_OR_RETURN(std::string ent_bytes, BlobColumn(db, id, "entity_register"));
  QF_ASSIGN_OR_RETURN(std::string ins_bytes, BlobColumn(db, id, "inspector_register"));
  const std::string ent_hash = HashHex(ent_bytes), ins_hash = HashHex(ins_bytes);
  check(ent_hash == pd.value("entity_register_sha256", "") &&
            ent_hash == d.summary.entity_register_sha256,
        "entity register snapshot hashes to " + ent_hash + " as in the ledger");
  check(ins_hash == pd.value("inspector_register_sha256", "") &&
            ins_hash == d.summary.inspector_register_sha256,
        "inspector register snapshot hashes to " + ins_hash + " as in the ledger");
  const std::string commitment = pd.value("seed_commitment", "");
  check(commitment == d.summary.seed_commitment, "seed commitment as in the ledger");
  json plan = pd.contains("plan") ? pd["plan"] : json::object();
  auto stored_plan = ParseJson(d.summary.plan_json);
  check(stored_plan.ok() && *stored_plan == plan, "plan parameters as in the ledger");
  if (d.summary.status == "planned") {
    v.ok = v.problems.empty();
    return v;
  }
  LedgerAction exec_action;
  QF_ASSIGN_OR_RETURN(bool has_exec, FindAction(db, "draw_execute", id, &exec_action));
  if (!has_exec) {
    v.problems.push_back("ledger has no draw_execute action for this draw");
    return v;
  }
  QF_ASSIGN_OR_RETURN(bool exec_leaf, ActionMatchesLeaf(db, exec_action));
  check(exec_leaf, "draw_execute action matches its ledger leaf");
  QF_ASSIGN_OR_RETURN(json ed, ParseJson(exec_action.details));
  const std::string seed_hex = ed.value("seed", "");
  check(seed_hex == d.summary.seed_hex, "revealed seed as in the ledger");
  auto seed = ParseSeed(d.summary.seed_hex);
  if (!seed.ok()) {
    v.problems.push_back("revealed seed is not 32 bytes of hex");
    return v;
  }
  check(Commitment(*seed) == commitment, "SHA-256(seed) equals the commitment made at planning");
  const std::string rec_hash = HashHex(SerializeRecusals(d.recusals));
  check(rec_hash == ed.value("recusals_sha256", ""), "recorded recusals as in the ledger");
  auto entities = ParseEntities(ent_bytes);
  auto inspectors = ParseInspectors(ins_bytes);
  std::array<int, 4> ratio{};
  int per_target = 0;
  Status ps = PlanParams(plan, &ratio, &per_target);
  if (!entities.ok() || !inspectors.ok() || !ps.ok()) {
    v.problems.push_back("register snapshots or plan cannot be read");
    return v;
  }
  auto redrawn = RunDraw(*entities, *inspectors, ratio, per_target, *seed, d.recusals);
  if (!redrawn.ok()) {
    v.problems.push_back("recomputed draw fails: " + redrawn.status().ToString());
    return v;
  }
  const std::string recomputed = HashHex(SerializeResult(*redrawn));
  const std::string stored = HashHex(SerializeResult(AsDrawTargets(d.targets)));
  check(recomputed == stored, "recomputed targets and inspectors equal the stored ones");
  check(recomputed == ed.value("result_sha256", "") && recomputed == d.summary.result_sha256,
        "result hash " + recomputed + " as in the ledger");
  v.ok = v.problems.empty();
  return v;
}

std::string MaskPersonName(std::string_view name) {
  if (name.empty()) return "";
  size_t len = 1;
  unsigned char c = static_cast<unsigned char>(name[0]);
  if (c >= 0xF0) {
    len = 4;
  } else if (c >= 0xE0) {
    len = 3;
  } else if (c >= 0xC0) {
    len = 2;
  }
  return std::string(name.substr(0, std::min(len, name.size()))) + "某";
}

Result<std::vector<PublicInspection>> PublicInspections(Db* db, const std::string& q, int64_t limit,
                                                        int64_t offset, int64_t* total) {
  const std::string from =
      " FROM draws d JOIN draw_targets t ON t.draw_id = d.id WHERE d.status = 'published' AND "
      "(?1 = '' OR instr(d.item, ?1) OR instr(d.org, ?1) OR instr(t.name, ?1) OR "
      "instr(t.credit_code, ?1))";
  if (total != nullptr) {
    QF_ASSIGN_OR_RETURN(Stmt count, db->Prepare("SELECT COUNT(*)" + from));
    count.BindText(1, q);
    QF_ASSIGN_OR_RETURN(bool row, count.Step());
    *total = row ? count.Int(0) : 0;
  }
  QF_ASSIGN_OR_RETURN(
      Stmt st,
      db->Prepare("SELECT d.id, d.item, d.org, d.published_at, t.seq, t.credit_code, "
                  "t.name, t.result, t.result_date, t.penalty_fen" +
                  from + " ORDER BY d.published_at DESC, d.id DESC, t.seq LIMIT ?2 OFFSET ?3"));
  st.BindText(1, q);
  st.BindInt(2, limit);
  st.BindInt(3, offset);
  QF_ASSIGN_OR_RETURN(Stmt as, db->Prepare("SELECT inspector_name FROM draw_assignments WHERE "
                                           "draw_id = ? AND seq = ? ORDER BY pos"));
  std::vector<PublicInspection> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    PublicInspection p;
    p.draw_id = st.Int(0);
    p.item = st.Text(1);
    p.org = st.Text(2);
    p.published_at = st.Text(3);
    p.credit_code = st.Text(5);
    p.name = st.Text(6);
    p.result = st.Text(7);
    p.result_date = st.Text(8);
    p.penalty_fen = st.Int(9);
    as.BindInt(1, p.draw_id);
    as.BindInt(2, st.Int(4));
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool r, as.Step());
      if (!r) break;
      p.inspectors_masked.push_back(MaskPersonName(as.TextView(0)));
    }
    as.Reset();
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace qf::leads
