// Family: network (关系网络). Links that only show over several hops of the
// relationship graph (engine/graph.h) — an official's relative's company that
// holds the winner, a household member nobody declared, a phone or a bank
// account shared — and names matched without an ID (engine/resolve.h). The
// direct ties (the official or a declared relative holds the company; the same
// registered household) are the other families' models; these report only
// what those cannot see, so one fact gives one lead.
#include "engine/network.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "models/common.h"
#include "models/families.h"

namespace qf::models {

namespace {

using namespace engine;

// Ties a direct model already reports: the first path of `kinds` (read from the
// official's / inspector's / handler's side) matches one of these shapes.
bool IsHolding(EdgeKind k) { return k == EdgeKind::kShareholder || k == EdgeKind::kLegalRep; }
bool IsFamily(EdgeKind k) { return k == EdgeKind::kRelative || k == EdgeKind::kHousehold; }

std::vector<EdgeKind> KindsOf(const Graph& g, const Path& p) {
  std::vector<EdgeKind> out;
  for (uint32_t e : p.edges) out.push_back(g.edge_kind(e));
  return out;
}

// Official/inspector → company: he holds it, or a declared relative does (or,
// when `household_direct`, a member of his registered household — the
// inspectors' model checks households, the procurement and funds models don't).
bool DirectHolding(const std::vector<EdgeKind>& k, bool household_direct) {
  if (k.size() == 1) return IsHolding(k[0]);
  if (k.size() != 2 || !IsHolding(k[1])) return false;
  return k[0] == EdgeKind::kRelative || (household_direct && k[0] == EdgeKind::kHousehold);
}

// Shareholdings below `min_ratio` are too small to carry influence: a path
// through one does not count (an unknown ratio does).
bool StrongEnough(const Graph& g, const Path& p, double min_ratio) {
  for (uint32_t e : p.edges) {
    if (g.edge_kind(e) != EdgeKind::kShareholder) continue;
    float r = g.attrs(e).ratio;
    if (!std::isnan(r) && r + 1e-6 < min_ratio) return false;
  }
  return true;
}

// The paths that count, shortest first.
std::vector<const Path*> Strong(const Graph& g, const std::vector<Path>& paths, double min_ratio) {
  std::vector<const Path*> out;
  for (const Path& p : paths) {
    if (StrongEnough(g, p, min_ratio)) out.push_back(&p);
  }
  return out;
}

// Personal ties without shared addresses: a village or a registered-office
// address joins hundreds of unrelated people, and alone proves little.
constexpr EdgeMask kLinkEdges = kPersonalEdges & ~MaskOf(EdgeKind::kHasAddress);

const ParamDef kMinRatioParam = {"min_share_ratio", "0.2", "持股链中每一级持股比例下限",
                                 "minimum share ratio of every shareholding on a path"};

// Person → person: the same household, or a declared relative.
bool DirectFamily(const std::vector<EdgeKind>& k) { return k.size() == 1 && IsFamily(k[0]); }

const std::vector<std::string> kPaymentColumns = {"payment_id", "pay_date",    "org",
                                                  "payee_name", "payee_party", "payee_account",
                                                  "amount",     "purpose"};
const std::vector<std::string> kPaymentEvidence = {
    "pay_date", "org", "payee_name", "payee_party", "payee_account", "amount", "purpose"};
const std::vector<std::string> kTenderColumns = {
    "tender_id",          "title",        "buyer_org", "award_date",
    "winner_credit_code", "award_amount", "status",    "publish_date"};
const std::vector<std::string> kTenderEvidence = {
    "title", "buyer_org", "award_date", "winner_credit_code", "award_amount", "status"};
const std::vector<std::string> kBidColumns = {"tender_id", "bidder_credit_code", "bidder_name",
                                              "bid_amount"};
const std::vector<std::string> kBidEvidence = {"bidder_credit_code", "bidder_name", "bid_amount"};
const std::vector<std::string> kWelfareColumns = {
    "program", "beneficiary_id_number", "beneficiary_name", "period",
    "amount",  "bank_account",          "handler_id_number"};
const std::vector<std::string> kWelfareEvidence = {
    "program", "beneficiary_id_number", "beneficiary_name", "period",
    "amount",  "bank_account",          "handler_id_number"};
const std::vector<std::string> kEnforcementColumns = {
    "case_id", "org",        "target_party", "inspector_id_numbers",
    "kind",    "started_at", "result",       "penalty_amount"};
const std::vector<std::string> kEnforcementEvidence = {
    "org",        "target_party", "inspector_id_numbers", "kind",
    "started_at", "result",       "penalty_amount"};

const std::vector<std::string> kCompanyEvidence = {
    "name", "legal_rep_id_number", "legal_rep_name", "status", "address", "phone"};
const std::vector<std::string> kPersonEvidence = {"name", "household_id", "relation_to_head",
                                                  "address", "phone"};
const std::vector<std::string> kShareholderEvidence = {"credit_code", "holder_party", "holder_name",
                                                       "share_ratio"};
const std::vector<std::string> kRelativeEvidence = {"official_id_number", "relative_id_number",
                                                    "relative_name", "relation"};

// What every model of the family reads besides its own dataset: the records
// that prove each hop.
std::vector<Input> PathInputs() {
  return {
      {"persons", {"id_number", "name", "household_id", "relation_to_head", "address", "phone"}},
      {"companies",
       {"credit_code", "name", "legal_rep_id_number", "legal_rep_name", "status", "address",
        "phone"}},
      {"shareholders", {"credit_code", "holder_party", "holder_name", "share_ratio"}},
      {"relatives", {"official_id_number", "relative_id_number", "relative_name", "relation"}},
      {"officials", {"id_number", "name", "org", "position", "is_leader", "end_date"}}};
}

// The records behind the hops of a path: persons and companies on it, the
// shareholding and declaration rows of its edges, the official's post.
class PathEvidence {
 public:
  explicit PathEvidence(const Snapshot& s)
      : s_(s),
        persons_(s.at("persons")),
        companies_(s.at("companies")),
        shareholders_(s.at("shareholders")),
        relatives_(s.at("relatives")),
        officials_(s.at("officials")),
        person_rows_(persons_, "id_number"),
        company_rows_(companies_, "credit_code"),
        holdings_(shareholders_, "holder_party"),
        declared_(relatives_, "official_id_number"),
        posts_(officials_, "id_number") {}

  void Append(const Graph& g, const Path& p, std::vector<Evidence>* out) const {
    for (uint32_t n : p.nodes) AppendNode(g, n, out);
    for (size_t i = 0; i < p.edges.size(); ++i) {
      uint32_t e = p.edges[i];
      uint32_t src = s_.find(g.key(g.source(e)));
      uint32_t dst = s_.find(g.key(g.target(e)));
      switch (g.edge_kind(e)) {
        case EdgeKind::kShareholder:
          for (uint32_t r : holdings_.rows(src)) {
            if (shareholders_.col("credit_code").codes[r] == dst) {
              Add(shareholders_, r, kShareholderEvidence, out);
            }
          }
          break;
        case EdgeKind::kRelative:
          for (uint32_t r : declared_.rows(src)) {
            if (relatives_.col("relative_id_number").codes[r] == dst) {
              Add(relatives_, r, kRelativeEvidence, out);
            }
          }
          break;
        default:
          break;
      }
    }
  }

  // The person's post rows at the organisation node `org` (or every post when kNoNode).
  void AppendPosts(const Graph& g, uint32_t person, uint32_t org,
                   std::vector<Evidence>* out) const {
    uint32_t code = s_.find(g.key(person));
    for (uint32_t r : posts_.rows(code)) {
      if (org != kNoNode && g.Lookup(s_.str(officials_.col("org").codes[r])) != org) continue;
      Add(officials_, r, Officials::EvidenceColumns(), out);
    }
  }

  void Add(const Table& t, uint32_t row, const std::vector<std::string>& cols,
           std::vector<Evidence>* out) const {
    std::string key(s_.key(t, row));
    for (const Evidence& e : *out) {
      if (e.dataset == t.name() && e.key == key) return;
    }
    out->push_back(MakeEvidence(s_, t, row, cols));
  }

 private:
  void AppendNode(const Graph& g, uint32_t n, std::vector<Evidence>* out) const {
    uint32_t code = s_.find(g.key(n));
    if (code == kNoString) return;
    if (g.kind(n) == NodeKind::kPerson) {
      for (uint32_t r : person_rows_.rows(code)) Add(persons_, r, kPersonEvidence, out);
    } else if (g.kind(n) == NodeKind::kOrg) {
      for (uint32_t r : company_rows_.rows(code)) Add(companies_, r, kCompanyEvidence, out);
    }
  }

  const Snapshot& s_;
  const Table& persons_;
  const Table& companies_;
  const Table& shareholders_;
  const Table& relatives_;
  const Table& officials_;
  RowIndex person_rows_, company_rows_, holdings_, declared_, posts_;
};

Subject NodeSubject(const Graph& g, uint32_t n) {
  Subject s;
  s.dataset = g.kind(n) == NodeKind::kPerson ? "persons" : "companies";
  s.key = std::string(g.key(n));
  s.name = std::string(g.name(n));
  return s;
}

// Paths of at most `k` hops over `edges`; InvalidInput for a k out of range.
Status CheckHops(int64_t k) {
  if (k < 1 || k > 4) {
    return Status::InvalidInput("max_hops must be between 1 and 4", "关联层级（max_hops）须为 1–4");
  }
  return Status::OK();
}

int PathScore(size_t hops, int64_t fen, int64_t full_fen) {
  int base = hops <= 2 ? 85 : hops == 3 ? 75 : 65;
  return ScaleScore(base, full_fen > 0 ? double(fen) / double(full_fen) : 0, 1.0);
}

// ---------------------------------------------------------------------------
// leader_indirect_link — a company paid by or winning tenders of an
// organisation, linked to a leader of that organisation within k hops.

std::unique_ptr<Model> LeaderIndirectLink() {
  ModelInfo info;
  info.id = "leader_indirect_link";
  info.name_zh = "中标或收款单位与本单位领导干部间接关联";
  info.name_en = "Winner or payee linked to a leader of the buyer or payer within k hops";
  info.family = "network";
  info.detects =
      "收到本单位付款或中标本单位项目的企业，经亲属、同户成员、持股链、法定代表人或共用电话、"
      "地址、账户，在 k 层关系内关联到本单位在任领导干部（领导本人或申报亲属直接持股的情形由"
      "“中标企业与采购单位领导干部存在利益关联”“向干部亲属所办企业付款”报告，此处不重复）。";
  info.basis =
      "《中国共产党纪律处分条例》禁止利用职权或职务影响为亲属和特定关系人经营活动谋取利益；"
      "政府采购法实施条例第9条的回避范围包括与供应商法定代表人、股东存在近亲属关系；"
      "通过代持、层层持股和未申报的家庭成员规避审查是纪检监察通报的典型手法。";
  info.severity = Severity::kHigh;
  info.uses_network = true;
  info.inputs = {{"payments", kPaymentColumns}, {"tenders", kTenderColumns}};
  AddInputs(&info.inputs, PathInputs());
  info.params = {{"max_hops", "3", "最大关联层级（1–4）", "maximum hops (1–4)"},
                 kMinRatioParam,
                 {"min_total_yuan", "0", "付款与中标合计下限（元）",
                  "minimum of payments plus awards (yuan)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    if (ctx.network == nullptr) return Status::Internal("leader_indirect_link needs the network");
    QF_RETURN_IF_ERROR(CheckHops(ctx.params.Int("max_hops")));
    const Snapshot& s = ctx.snap;
    const Graph& g = ctx.network->graph();
    ConflictOptions o;
    o.k = static_cast<int>(ctx.params.Int("max_hops"));
    o.leaders_only = true;
    o.include_persons = false;
    o.paths_per_target = 4;
    o.min_share = ctx.params.Number("min_share_ratio");
    o.edges = kLinkEdges;
    QF_ASSIGN_OR_RETURN(ConflictResult res, g.ConflictSearch(o));
    const int64_t min_fen = ctx.params.Fen("min_total_yuan");

    const Table& pay = s.at("payments");
    const Table& ten = s.at("tenders");
    // Payment rows by payee party (ID column or resolved name) and tender rows by winner.
    std::unordered_map<uint32_t, std::vector<uint32_t>> pay_by_payee;
    for (size_t r = 0; r < pay.size(); ++r) {
      uint32_t party = ctx.network->PartyOf(pay, static_cast<uint32_t>(r), "payee_name");
      if (party != kNoString) pay_by_payee[party].push_back(static_cast<uint32_t>(r));
    }
    RowIndex ten_by_winner(ten, "winner_credit_code");
    std::unordered_map<uint32_t, uint32_t> org_node;  // org name code → graph node
    auto org_of = [&](uint32_t name_code) {
      auto it = org_node.find(name_code);
      if (it != org_node.end()) return it->second;
      uint32_t n = g.Lookup(s.str(name_code));
      org_node.emplace(name_code, n);
      return n;
    };
    PathEvidence pe(s);
    std::set<std::tuple<uint32_t, uint32_t, uint32_t>> seen;  // official, org, target
    const double min_ratio = ctx.params.Number("min_share_ratio");
    const auto& payee_party = pay.col("payee_party").codes;
    for (const ConflictHit& hit : res.hits) {
      std::vector<const Path*> paths = Strong(g, hit.paths, min_ratio);
      if (paths.empty()) continue;
      if (!seen.insert({hit.official, hit.org, hit.target}).second) continue;
      // A direct tie (the leader or a declared relative holds the company) is
      // reported by winner_linked_to_leader and relative_company_paid — except
      // for payments that name the payee without a credit code, which only
      // entity resolution joins to the company.
      bool direct = false;
      for (const Path* p : paths) direct = direct || DirectHolding(KindsOf(g, *p), false);
      uint32_t target = s.find(g.key(hit.target));
      std::vector<uint32_t> pay_rows, tender_rows;
      int64_t paid = 0, awarded = 0;
      if (auto it = pay_by_payee.find(target); it != pay_by_payee.end()) {
        for (uint32_t r : it->second) {
          if (org_of(pay.col("org").codes[r]) != hit.org) continue;
          if (direct && payee_party[r] != kNoString) continue;
          pay_rows.push_back(r);
          if (pay.col("amount").ints[r] != kNull) paid += pay.col("amount").ints[r];
        }
      }
      if (!direct) {
        for (uint32_t r : ten_by_winner.rows(target)) {
          if (org_of(ten.col("buyer_org").codes[r]) != hit.org) continue;
          tender_rows.push_back(r);
          if (ten.col("award_amount").ints[r] != kNull) awarded += ten.col("award_amount").ints[r];
        }
      }
      if (pay_rows.empty() && tender_rows.empty()) continue;
      if (paid + awarded < min_fen) continue;
      const Path& path = *paths[0];
      Finding f;
      f.identity = std::string(g.key(hit.official)) + ">" + std::string(g.key(hit.target));
      f.subject = NodeSubject(g, hit.target);
      f.amount_fen = paid + awarded;
      f.score = PathScore(path.length(), f.amount_fen, 1'000'000'00);
      for (size_t i = 0; i < pay_rows.size() && i < 20; ++i) {
        pe.Add(pay, pay_rows[i], kPaymentEvidence, &f.evidence);
      }
      for (uint32_t r : tender_rows) pe.Add(ten, r, kTenderEvidence, &f.evidence);
      pe.AppendPosts(g, hit.official, hit.org, &f.evidence);
      pe.Append(g, path, &f.evidence);
      std::string money;
      if (paid > 0) {
        money += "收到该单位付款" + std::to_string(pay_rows.size()) + "笔、" + Yuan(paid) + "元";
      }
      if (awarded > 0) {
        money += std::string(money.empty() ? "" : "，") + "中标" +
                 std::to_string(tender_rows.size()) + "项、" + Yuan(awarded) + "元";
      }
      f.summary = g.Explain(path, true) + "；" + std::string(g.name(hit.target)) + money +
                  (direct ? "（付款凭证只写收款人名称、未填证件号，经实体识别匹配到该企业）" : "") +
                  "，关联路径" + std::to_string(path.length()) + "层。";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// linked_bidders — bidders of one tender tied by ownership or family.

std::unique_ptr<Model> LinkedBidders() {
  ModelInfo info;
  info.id = "linked_bidders";
  info.name_zh = "同一项目投标人之间存在股权或亲属关联";
  info.name_en = "Bidders of one tender linked by shareholding, legal representative or family";
  info.family = "network";
  info.detects =
      "同一项目的两家及以上投标人，经共同股东、交叉持股、法定代表人或其同户成员、申报亲属在 k "
      "层关系内相互关联（共用 IP、MAC、电话等由“投标人共用特征”报告）。";
  info.basis =
      "《招标投标法实施条例》第三十四条：单位负责人为同一人或者存在控股、管理关系的不同单位，"
      "不得参加同一标段投标；第四十条视为串通投标的情形。亲属控制的关联企业“陪标”是围标串标的"
      "常见形态。";
  info.severity = Severity::kHigh;
  info.uses_network = true;
  info.inputs = {{"tenders", kTenderColumns}, {"bids", kBidColumns}};
  AddInputs(&info.inputs, PathInputs());
  info.params = {{"max_hops", "3", "最大关联层级（1–4）", "maximum hops (1–4)"}, kMinRatioParam};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    if (ctx.network == nullptr) return Status::Internal("linked_bidders needs the network");
    QF_RETURN_IF_ERROR(CheckHops(ctx.params.Int("max_hops")));
    const Snapshot& s = ctx.snap;
    const Graph& g = ctx.network->graph();
    const Table& ten = s.at("tenders");
    const Table& bids = s.at("bids");
    RowIndex by_tender(bids, "tender_id");
    PathQuery q;
    q.k = static_cast<int>(ctx.params.Int("max_hops"));
    q.edges = MaskOf(EdgeKind::kShareholder) | MaskOf(EdgeKind::kLegalRep) |
              MaskOf(EdgeKind::kHousehold) | MaskOf(EdgeKind::kRelative);
    q.max_paths = 4;
    q.max_visit = 20000;
    const double min_ratio = ctx.params.Number("min_share_ratio");
    q.min_share = min_ratio;
    // The same pair of firms bids together again and again: search each pair once.
    std::map<std::pair<uint32_t, uint32_t>, std::optional<Path>> pair_path;
    PathEvidence pe(s);
    for (size_t tr = 0; tr < ten.size(); ++tr) {
      const auto& rows = by_tender.rows(ten.key_code(tr));
      if (rows.size() < 2) continue;
      std::vector<std::pair<uint32_t, uint32_t>> firms;  // (node, bids row)
      for (uint32_t r : rows) {
        uint32_t n = g.Find(NodeKind::kOrg, s.str(bids.col("bidder_credit_code").codes[r]));
        if (n != kNoNode) firms.emplace_back(n, r);
      }
      std::vector<std::pair<size_t, size_t>> linked;
      std::vector<Path> paths;
      for (size_t i = 0; i < firms.size(); ++i) {
        for (size_t j = i + 1; j < firms.size(); ++j) {
          auto key = std::minmax(firms[i].first, firms[j].first);
          if (key.first == key.second) continue;
          auto it = pair_path.find(key);
          if (it == pair_path.end()) {
            std::optional<Path> found;
            auto r = g.Paths(key.first, std::vector<uint32_t>{key.second}, q);
            if (!r.ok()) return r.status();
            auto strong = Strong(g, r->paths, min_ratio);
            if (!strong.empty()) found = *strong[0];
            it = pair_path.emplace(key, std::move(found)).first;
          }
          if (it->second) {
            linked.emplace_back(i, j);
            paths.push_back(*it->second);
          }
        }
      }
      if (linked.empty()) continue;
      Finding f;
      f.identity = std::string(s.key(ten, tr));
      f.subject = {"tenders", std::string(s.key(ten, tr)),
                   std::string(s.str(ten.col("title").codes[tr]))};
      f.amount_fen =
          ten.col("award_amount").ints[tr] == kNull ? 0 : ten.col("award_amount").ints[tr];
      f.score = paths[0].length() <= 2 ? 85 : 75;
      pe.Add(ten, static_cast<uint32_t>(tr), kTenderEvidence, &f.evidence);
      std::set<size_t> firms_linked;
      for (auto [i, j] : linked) firms_linked.insert({i, j});
      for (size_t i : firms_linked) pe.Add(bids, firms[i].second, kBidEvidence, &f.evidence);
      std::string text;
      for (size_t p = 0; p < paths.size() && p < 3; ++p) {
        pe.Append(g, paths[p], &f.evidence);
        text += (text.empty() ? "" : "；") + g.Explain(paths[p], true);
      }
      if (paths.size() > 3) text += "（另有" + std::to_string(paths.size() - 3) + "组）";
      f.summary = "项目《" + std::string(s.str(ten.col("title").codes[tr])) + "》的" +
                  std::to_string(firms_linked.size()) + "家投标人相互关联：" + text + "。";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// handler_linked_beneficiary — welfare paid to someone linked to the handler
// by more than a shared household or a declaration.

std::unique_ptr<Model> HandlerLinkedBeneficiary() {
  ModelInfo info;
  info.id = "handler_linked_beneficiary";
  info.name_zh = "民生资金领取人与经办人间接关联";
  info.name_en = "Welfare beneficiary linked to the handler within k hops";
  info.family = "network";
  info.detects =
      "民生资金领取人与审批经办人经共用电话、共用银行账户、亲属的同户成员等在 k 层关系内关联"
      "（同户或申报亲属由“经办人与领取人存在亲属关系”报告）。";
  info.basis =
      "《最低生活保障审核确认办法》：经办人员和村（居）委会干部近亲属申请救助须备案并回避；"
      "“优亲厚友”、用亲友账户冒领是民生资金专项整治通报的典型问题。";
  info.severity = Severity::kHigh;
  info.uses_network = true;
  info.inputs = {{"welfare", kWelfareColumns}};
  AddInputs(&info.inputs, PathInputs());
  info.params = {{"max_hops", "3", "最大关联层级（1–4）", "maximum hops (1–4)"}, kMinRatioParam};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    if (ctx.network == nullptr) {
      return Status::Internal("handler_linked_beneficiary needs the network");
    }
    QF_RETURN_IF_ERROR(CheckHops(ctx.params.Int("max_hops")));
    const Snapshot& s = ctx.snap;
    const Graph& g = ctx.network->graph();
    const Table& w = s.at("welfare");
    const auto& handler = w.col("handler_id_number").codes;
    const auto& beneficiary = w.col("beneficiary_id_number").codes;
    // handler → beneficiary → welfare rows, in row order.
    std::map<uint32_t, std::map<uint32_t, std::vector<uint32_t>>> by_handler;
    for (size_t r = 0; r < w.size(); ++r) {
      if (handler[r] == kNoString || beneficiary[r] == kNoString || handler[r] == beneficiary[r]) {
        continue;
      }
      by_handler[handler[r]][beneficiary[r]].push_back(static_cast<uint32_t>(r));
    }
    PathQuery q;
    q.k = static_cast<int>(ctx.params.Int("max_hops"));
    q.edges = kLinkEdges;
    q.max_paths = 1000;
    q.max_visit = 50000;
    PathEvidence pe(s);
    for (const auto& [h, bens] : by_handler) {
      uint32_t hn = g.Find(NodeKind::kPerson, s.str(h));
      if (hn == kNoNode) continue;
      std::vector<uint32_t> targets;
      std::unordered_map<uint32_t, uint32_t> code_of;
      for (const auto& [b, rows] : bens) {
        uint32_t bn = g.Find(NodeKind::kPerson, s.str(b));
        if (bn == kNoNode) continue;
        targets.push_back(bn);
        code_of[bn] = b;
      }
      if (targets.empty()) continue;
      QF_ASSIGN_OR_RETURN(PathResult res, g.Paths(hn, targets, q));
      std::map<uint32_t, const Path*> best;  // beneficiary node → its shortest path
      std::set<uint32_t> direct;
      const double min_ratio = ctx.params.Number("min_share_ratio");
      q.min_share = min_ratio;
      for (const Path& p : res.paths) {
        uint32_t end = p.nodes.back();
        if (DirectFamily(KindsOf(g, p))) direct.insert(end);
        if (StrongEnough(g, p, min_ratio)) best.emplace(end, &p);
      }
      for (const auto& [bn, p] : best) {
        if (direct.count(bn)) continue;
        const auto& rows = bens.at(code_of.at(bn));
        Finding f;
        f.identity = std::string(s.str(h)) + ">" + std::string(s.str(code_of.at(bn)));
        f.subject = NodeSubject(g, bn);
        for (uint32_t r : rows)
          f.amount_fen += w.col("amount").ints[r] == kNull ? 0 : w.col("amount").ints[r];
        f.score = PathScore(p->length(), f.amount_fen, 5'000'000);
        size_t shown = 0;
        for (uint32_t r : rows) {
          if (++shown > 24) break;
          pe.Add(w, r, kWelfareEvidence, &f.evidence);
        }
        pe.Append(g, *p, &f.evidence);
        f.summary = "经办人" + g.Explain(*p, true) + "；经办发放" + std::to_string(rows.size()) +
                    "笔，合计" + Yuan(f.amount_fen) + "元。";
        out->push_back(std::move(f));
      }
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// inspector_linked_target — an inspector linked to the inspected party.

std::unique_ptr<Model> InspectorLinkedTarget() {
  ModelInfo info;
  info.id = "inspector_linked_target";
  info.name_zh = "执法人员与检查对象间接关联";
  info.name_en = "Inspector linked to the inspected party within k hops";
  info.family = "network";
  info.detects =
      "执法人员与被检查对象经同户成员或亲属的持股链、共用电话地址等在 k 层关系内关联，而该执法"
      "人员仍参与办案（本人、同户或申报亲属直接持股由“执法人员与检查对象存在利害关系”报告）。";
  info.basis =
      "《行政处罚法》第四十三条：执法人员与案件有直接利害关系或者有其他关系可能影响公正执法的，"
      "应当回避；“双随机、一公开”要求抽取检查人员时排除存在利害关系的人员。";
  info.severity = Severity::kHigh;
  info.uses_network = true;
  info.inputs = {{"enforcement", kEnforcementColumns}};
  AddInputs(&info.inputs, PathInputs());
  info.params = {{"max_hops", "3", "最大关联层级（1–4）", "maximum hops (1–4)"}, kMinRatioParam};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    if (ctx.network == nullptr)
      return Status::Internal("inspector_linked_target needs the network");
    QF_RETURN_IF_ERROR(CheckHops(ctx.params.Int("max_hops")));
    const Snapshot& s = ctx.snap;
    const Graph& g = ctx.network->graph();
    const Table& en = s.at("enforcement");
    PathQuery q;
    q.k = static_cast<int>(ctx.params.Int("max_hops"));
    q.edges = kLinkEdges;
    q.max_paths = 4;
    q.max_visit = 50000;
    const double min_ratio = ctx.params.Number("min_share_ratio");
    q.min_share = min_ratio;
    PathEvidence pe(s);
    // (inspector, target) searched once; cases repeat pairs.
    std::map<std::pair<uint32_t, uint32_t>, std::optional<Path>> cache;
    for (size_t r = 0; r < en.size(); ++r) {
      uint32_t target = g.Lookup(s.str(en.col("target_party").codes[r]));
      if (target == kNoNode) continue;
      std::string_view list = s.str(en.col("inspector_id_numbers").codes[r]);
      std::vector<std::pair<uint32_t, Path>> hits;
      size_t start = 0;
      while (start <= list.size()) {
        size_t end = list.find(';', start);
        if (end == std::string_view::npos) end = list.size();
        std::string_view id = list.substr(start, end - start);
        start = end + 1;
        uint32_t in = id.empty() ? kNoNode : g.Find(NodeKind::kPerson, id);
        if (in == kNoNode || in == target) continue;
        auto key = std::make_pair(in, target);
        auto it = cache.find(key);
        if (it == cache.end()) {
          std::optional<Path> found;
          QF_ASSIGN_OR_RETURN(PathResult res, g.Paths(in, std::vector<uint32_t>{target}, q));
          bool direct = false;
          for (const Path& p : res.paths) {
            auto k = KindsOf(g, p);
            direct = direct || DirectHolding(k, true) || DirectFamily(k);
          }
          auto strong = Strong(g, res.paths, min_ratio);
          if (!direct && !strong.empty()) found = *strong[0];
          it = cache.emplace(key, std::move(found)).first;
        }
        if (it->second) hits.emplace_back(in, *it->second);
      }
      if (hits.empty()) continue;
      Finding f;
      f.identity = std::string(s.key(en, r));
      f.subject = {"enforcement", std::string(s.key(en, r)), std::string(g.name(target))};
      f.amount_fen =
          en.col("penalty_amount").ints[r] == kNull ? 0 : en.col("penalty_amount").ints[r];
      f.score = hits[0].second.length() <= 2 ? 85 : 75;
      pe.Add(en, static_cast<uint32_t>(r), kEnforcementEvidence, &f.evidence);
      std::string text;
      for (const auto& [in, p] : hits) {
        pe.AppendPosts(g, in, kNoNode, &f.evidence);
        pe.Append(g, p, &f.evidence);
        text += (text.empty() ? "" : "；") + g.Explain(p, true);
      }
      f.summary = "执法案件" + std::string(s.key(en, r)) + "（" +
                  std::string(s.str(en.col("kind").codes[r])) + "）的执法人员与检查对象关联：" +
                  text + "。";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

}  // namespace

void RegisterNetworkModels(ModelList* out) {
  out->push_back(LeaderIndirectLink());
  out->push_back(LinkedBidders());
  out->push_back(HandlerLinkedBeneficiary());
  out->push_back(InspectorLinkedTarget());
}

}  // namespace qf::models
