// The relationship graph and entity resolution over HTTP: ego networks and
// paths for the UI's graph view, a lead's links, and the review of name-only
// matches (confirm / reject). The network is built from the store on first
// use and kept until a scan, an import or a decision changes what it rests on.
#include <charconv>
#include <set>

#include "engine/graph.h"
#include "leads/matches.h"
#include "server/api.h"
#include "server/api_util.h"

namespace qf::server {

using nlohmann::json;

namespace {

// Changes when a scan, an import or an analyst's decision may have changed the network.
Result<std::string> NetworkStamp(Db* db) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT (SELECT COALESCE(MAX(id), 0) FROM scans), "
                                           "(SELECT COALESCE(MAX(id), 0) FROM imports), "
                                           "(SELECT COUNT(*) || '/' || COALESCE(MAX(at), '') FROM "
                                           "er_decisions)"));
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::string();
  return std::to_string(st.Int(0)) + "/" + std::to_string(st.Int(1)) + "/" + st.Text(2);
}

Result<int> IntParam(const Request& req, const std::string& name, int fallback, int lo, int hi) {
  if (!req.HasQuery(name)) return fallback;
  std::string v = req.Query(name);
  int x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || x < lo || x > hi) {
    return Status::InvalidInput(
        name + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi),
        "参数 " + name + " 须为 " + std::to_string(lo) + "–" + std::to_string(hi) + " 的整数");
  }
  return x;
}

// A path as the UI draws it: the explanation, its node ids and its edges.
json PathJson(const engine::Graph& g, const engine::Path& p, bool masked) {
  json nodes = json::array();
  for (uint32_t n : p.nodes) {
    nodes.push_back({{"id", std::to_string(n)},
                     {"kind", engine::NodeKindName(g.kind(n))},
                     {"name", g.NodeLabel(n, masked)}});
  }
  json edges = json::array();
  for (uint32_t e : p.edges) {
    edges.push_back({{"id", std::to_string(e)},
                     {"source", std::to_string(g.source(e))},
                     {"target", std::to_string(g.target(e))},
                     {"kind", engine::EdgeKindName(g.edge_kind(e))},
                     {"label", g.EdgeLabel(e)}});
  }
  return {{"text", g.Explain(p, masked)}, {"nodes", nodes}, {"edges", edges}};
}

// ID numbers and credit codes inside a key ("id|org|date", "tender|credit code").
std::vector<std::string> PartiesIn(const std::string& key) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('|', start);
    if (end == std::string::npos) end = key.size();
    std::string part = key.substr(start, end - start);
    if (part.size() == 18) out.push_back(part);
    start = end + 1;
  }
  return out;
}

// ID numbers inside a sentence masked (the matcher's explanations name the
// candidate by ID number).
std::string MaskIdsInText(const std::string& text) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && j - i < 18 &&
           ((text[j] >= '0' && text[j] <= '9') || (j - i == 17 && text[j] == 'X'))) {
      ++j;
    }
    bool boundary_before = i == 0 || !(text[i - 1] >= '0' && text[i - 1] <= '9');
    bool boundary_after = j == text.size() || !(text[j] >= '0' && text[j] <= '9');
    if (j - i == 18 && boundary_before && boundary_after) {
      out += MaskIdNumber(text.substr(i, 18));
      i = j;
    } else {
      out += text[i];
      ++i;
    }
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<const leads::LiveNetwork>> Api::CurrentNetwork(Ctx& c) {
  QF_ASSIGN_OR_RETURN(std::string stamp, NetworkStamp(c.db()));
  std::lock_guard<std::mutex> lock(network_mu_);
  if (network_ && network_stamp_ == stamp) return network_;
  QF_ASSIGN_OR_RETURN(leads::LiveNetwork live, leads::LoadNetwork(c.db()));
  network_ = std::make_shared<const leads::LiveNetwork>(std::move(live));
  network_stamp_ = stamp;
  return network_;
}

Response Api::GraphEgoRoute(Ctx& c) {
  // The whole graph crosses every region and organisation: only for unscoped roles.
  if (c.user.Scoped()) return Forbidden();
  std::string who = c.req.Query("node");
  if (who.empty()) {
    return Error(400, "missing_node", "请提供 node：身份证号、信用代码、单位名称、电话或账号",
                 "give node: an ID number, credit code, organisation name, phone or account",
                 "node");
  }
  auto depth = IntParam(c.req, "depth", 1, 1, 3);
  if (!depth.ok()) return FromStatus(depth.status(), "depth");
  auto limit = IntParam(c.req, "limit", 200, 1, 2000);
  if (!limit.ok()) return FromStatus(limit.status(), "limit");
  engine::EdgeMask mask = engine::kAllEdges;
  if (c.req.HasQuery("edges")) {
    auto m = engine::ParseEdgeMask(c.req.Query("edges"));
    if (!m.ok()) return FromStatus(m.status(), "edges");
    mask = *m;
  }
  bool unmask = false;
  Response denied;
  if (!WantsUnmasked(c, &unmask, &denied)) return denied;
  auto net = CurrentNetwork(c);
  if (!net.ok()) return FromStatus(net.status());
  const engine::Graph& g = (*net)->net->graph();
  // "#123" names a node by the id a previous answer gave (masked nodes can be
  // expanded without showing their key); ids hold until the network is rebuilt.
  uint32_t n = engine::kNoNode;
  if (who.size() > 1 && who[0] == '#') {
    uint32_t id = 0;
    auto [p, ec] = std::from_chars(who.data() + 1, who.data() + who.size(), id);
    if (ec == std::errc() && p == who.data() + who.size() && id < g.nodes()) n = id;
  } else {
    n = g.Lookup(who);
  }
  if (n == engine::kNoNode) {
    return Error(404, "not_in_graph", "关系图谱中没有该实体",
                 "nothing in the graph is known by that", "node");
  }
  if (unmask) {
    if (Status s = Audit(c, "view_unmasked", "graph", {{"node", who}}); !s.ok()) {
      return FromStatus(s);
    }
  }
  auto ego = g.Ego(n, *depth, static_cast<size_t>(*limit), !unmask, mask);
  if (!ego.ok()) return FromStatus(ego.status());
  json out = *ego;
  out["center"] = std::to_string(n);
  return Json(200, out);
}

Response Api::GraphPathsRoute(Ctx& c) {
  if (c.user.Scoped()) return Forbidden();
  std::string from = c.req.Query("from"), to = c.req.Query("to");
  if (from.empty() || to.empty()) {
    return Error(400, "missing_node", "请提供 from 与 to", "give from and to",
                 from.empty() ? "from" : "to");
  }
  auto k = IntParam(c.req, "k", 4, 1, 4);
  if (!k.ok()) return FromStatus(k.status(), "k");
  engine::EdgeMask mask = engine::kAllEdges;
  if (c.req.HasQuery("edges")) {
    auto m = engine::ParseEdgeMask(c.req.Query("edges"));
    if (!m.ok()) return FromStatus(m.status(), "edges");
    mask = *m;
  }
  bool unmask = false;
  Response denied;
  if (!WantsUnmasked(c, &unmask, &denied)) return denied;
  auto net = CurrentNetwork(c);
  if (!net.ok()) return FromStatus(net.status());
  const engine::Graph& g = (*net)->net->graph();
  uint32_t a = g.Lookup(from), b = g.Lookup(to);
  if (a == engine::kNoNode || b == engine::kNoNode) {
    return Error(404, "not_in_graph", "关系图谱中没有该实体",
                 "nothing in the graph is known by that", a == engine::kNoNode ? "from" : "to");
  }
  if (unmask) {
    if (Status s = Audit(c, "view_unmasked", "graph", {{"from", from}, {"to", to}}); !s.ok()) {
      return FromStatus(s);
    }
  }
  engine::PathQuery q;
  q.k = *k;
  q.edges = mask;
  auto res = g.Paths(a, std::vector<uint32_t>{b}, q);
  if (!res.ok()) return FromStatus(res.status());
  json paths = json::array();
  for (const engine::Path& p : res->paths) paths.push_back(PathJson(g, p, !unmask));
  return Json(200, {{"paths", paths}, {"truncated", res->truncated}});
}

Response Api::LeadGraphRoute(Ctx& c) {
  Response denied;
  auto lead = VisibleLead(c, c.params["id"], &denied);
  if (!lead.ok()) return denied;
  bool unmask = false;
  if (!WantsUnmasked(c, &unmask, &denied)) return denied;
  auto net = CurrentNetwork(c);
  if (!net.ok()) return FromStatus(net.status());
  const engine::Graph& g = (*net)->net->graph();
  // The persons and organisations the lead names: its subject, then its evidence.
  std::vector<uint32_t> entities;
  std::set<uint32_t> seen;
  auto add = [&](const std::string& key) {
    uint32_t n = g.Lookup(key);
    if (n != engine::kNoNode && seen.insert(n).second && entities.size() < 8) entities.push_back(n);
  };
  for (const std::string& p : PartiesIn(lead->subject.key)) add(p);
  for (const auto& e : lead->evidence) {
    for (const std::string& p : PartiesIn(e.key)) add(p);
  }
  if (unmask) {
    if (Status s =
            Audit(c, "view_unmasked", "lead:" + leads::LeadCode(lead->id), {{"via", "graph"}});
        !s.ok()) {
      return FromStatus(s);
    }
  }
  json nodes = json::array(), edges = json::array(), paths = json::array();
  std::set<std::string> node_ids, edge_ids;
  for (uint32_t n : entities) {
    auto ego = g.Ego(n, 1, 40, !unmask);
    if (!ego.ok()) return FromStatus(ego.status());
    for (auto& x : (*ego)["nodes"]) {
      if (node_ids.insert(x["id"].get<std::string>()).second) nodes.push_back(x);
    }
    for (auto& x : (*ego)["edges"]) {
      if (edge_ids.insert(x["id"].get<std::string>()).second) edges.push_back(x);
    }
  }
  // How the first entity reaches each of the others.
  engine::PathQuery q;
  q.k = 4;
  q.max_paths = 2;
  q.max_visit = 50000;
  // Personal ties first (family, holdings, shared contact data); the posts,
  // payments and tenders only when nothing else joins them.
  for (size_t i = 1; i < entities.size(); ++i) {
    q.edges = engine::kPersonalEdges;
    auto res = g.Paths(entities[0], std::vector<uint32_t>{entities[i]}, q);
    if (!res.ok()) return FromStatus(res.status());
    if (res->paths.empty()) {
      q.edges = engine::kAllEdges;
      res = g.Paths(entities[0], std::vector<uint32_t>{entities[i]}, q);
      if (!res.ok()) return FromStatus(res.status());
    }
    for (const engine::Path& p : res->paths) paths.push_back(PathJson(g, p, !unmask));
  }
  json center = entities.empty() ? json(nullptr) : json(std::to_string(entities[0]));
  return Json(200, {{"center", center}, {"nodes", nodes}, {"edges", edges}, {"paths", paths}});
}

Response Api::ErMatchesRoute(Ctx& c) {
  if (c.user.Scoped()) return Forbidden();
  leads::MatchFilter f;
  f.status = c.req.Query("status");
  f.dataset = c.req.Query("dataset");
  f.search = c.req.Query("q");
  auto page = IntParam(c.req, "page", 1, 1, 1000000);
  if (!page.ok()) return FromStatus(page.status(), "page");
  auto size = IntParam(c.req, "page_size", 20, 1, 200);
  if (!size.ok()) return FromStatus(size.status(), "page_size");
  f.limit = *size;
  f.offset = static_cast<int64_t>(*page - 1) * *size;
  bool unmask = false;
  Response denied;
  if (!WantsUnmasked(c, &unmask, &denied)) return denied;
  auto total = leads::CountMatches(c.db(), f);
  if (!total.ok()) return FromStatus(total.status());
  auto rows = leads::ListMatches(c.db(), f);
  if (!rows.ok()) return FromStatus(rows.status());
  if (unmask && !rows->empty()) {
    if (Status s = Audit(c, "view_unmasked", "er_matches", json::object()); !s.ok()) {
      return FromStatus(s);
    }
  }
  json items = json::array();
  for (const leads::MatchRow& m : *rows) {
    bool person = m.kind == "person";
    items.push_back({{"id", m.id},
                     {"dataset", m.dataset},
                     {"key", unmask ? m.key : MaskKey(m.dataset, m.key)},
                     {"column", m.column},
                     {"value", m.value},
                     {"kind", m.kind},
                     {"entity_key", unmask || !person ? m.entity_key : MaskIdNumber(m.entity_key)},
                     {"entity_name", m.entity_name},
                     {"probability", m.probability},
                     {"weight", m.weight},
                     {"status", m.status},
                     {"explanation", unmask ? m.explanation : MaskIdsInText(m.explanation)}});
  }
  return Json(200, {{"items", items}, {"page", *page}, {"page_size", *size}, {"total", *total}});
}

Response Api::ErDecisionRoute(Ctx& c) {
  json body = json::parse(c.req.body, nullptr, false);
  if (!body.is_object()) {
    return Error(400, "bad_json", "请求内容不是 JSON 对象", "the body is not a JSON object");
  }
  if (!body.contains("match") || !body["match"].is_number_integer()) {
    return Error(400, "missing_field", "缺少 match（匹配编号）", "missing match (the match's id)",
                 "match");
  }
  std::string decision = body.value("decision", "");
  if (decision != "confirm" && decision != "reject") {
    return Error(400, "bad_decision", "decision 须为 confirm 或 reject",
                 "decision must be confirm or reject", "decision");
  }
  auto m = leads::GetMatch(c.db(), body["match"].get<int64_t>());
  if (!m.ok()) return FromStatus(m.status(), "match");
  engine::Decision d;
  d.dataset = m->dataset;
  d.key = m->key;
  d.column = m->column;
  // The candidate shown, unless the analyst names another entity to confirm.
  d.entity_key = body.contains("entity_key") && body["entity_key"].is_string()
                     ? body["entity_key"].get<std::string>()
                     : m->entity_key;
  d.confirm = decision == "confirm";
  std::string note = body.value("note", "");
  if (Status s = leads::SaveDecision(c.db(), d, "user:" + c.user.name, note); !s.ok()) {
    return FromStatus(s);
  }
  return Json(200, {{"ok", true}, {"applies", "next_scan"}});
}

}  // namespace qf::server
