// 双随机一公开 random inspection draws (src/leads/draws.h): plan, execute,
// results, publication and verification for the office; the published results
// on the public portal, with inspectors' names masked and no ID numbers.
#include <cmath>
#include <nlohmann/json.hpp>

#include "leads/draws.h"
#include "server/api.h"
#include "server/api_util.h"

namespace qf::server {

using nlohmann::json;

namespace {

json SummaryJson(const leads::DrawSummary& s) {
  json plan = json::parse(s.plan_json, nullptr, false);
  return {{"id", s.id},
          {"item", s.item},
          {"org", s.org},
          {"status", s.status},
          {"plan", plan.is_discarded() ? json(nullptr) : plan},
          {"entity_register_sha256", s.entity_register_sha256},
          {"inspector_register_sha256", s.inspector_register_sha256},
          {"entities", s.entities},
          {"inspectors", s.inspectors},
          {"seed_commitment", s.seed_commitment},
          {"seed", s.seed_hex.empty() ? json(nullptr) : json(s.seed_hex)},
          {"result_sha256", s.result_sha256.empty() ? json(nullptr) : json(s.result_sha256)},
          {"targets", s.targets},
          {"created_by", s.created_by},
          {"created_at", s.created_at},
          {"executed_at", s.executed_at.empty() ? json(nullptr) : json(s.executed_at)},
          {"published_at", s.published_at.empty() ? json(nullptr) : json(s.published_at)}};
}

// Inspectors' ID numbers masked unless the user may see personal data.
json DetailJson(const leads::DrawDetail& d, bool unmask) {
  json j = SummaryJson(d.summary);
  auto id_text = [unmask](const std::string& id) { return unmask ? id : MaskIdNumber(id); };
  json targets = json::array();
  for (const auto& t : d.targets) {
    json ins = json::array();
    for (const auto& [id, name] : t.inspectors) {
      ins.push_back({{"id_number", id_text(id)}, {"name", name}});
    }
    targets.push_back({{"seq", t.seq},
                       {"credit_code", t.credit_code},
                       {"name", t.name},
                       {"risk", std::string(1, t.risk)},
                       {"inspectors", ins},
                       {"result", t.has_result ? json(t.result) : json(nullptr)},
                       {"result_date", t.has_result ? json(t.result_date) : json(nullptr)},
                       {"penalty_fen", t.penalty_fen}});
  }
  json rec = json::array();
  for (const auto& r : d.recusals) {
    rec.push_back({{"credit_code", r.credit_code},
                   {"inspector_id_number", id_text(r.inspector_id)},
                   {"reason", r.reason}});
  }
  j["target_list"] = targets;
  j["recusals"] = rec;
  return j;
}

// ratios: {"A": 3, "B": 5, …} in percent.
bool ReadRatios(const json& body, std::array<int, 4>* out, Response* err) {
  auto it = body.find("ratios");
  if (it == body.end() || it->is_null()) return true;
  auto bad = [err](const std::string& f) {
    *err = Api::Error(400, "wrong_type", "字段 " + f + " 应为0至100之间的百分比",
                      "field " + f + " must be a percentage between 0 and 100", f);
    return false;
  };
  if (!it->is_object()) return bad("ratios");
  for (auto& [k, v] : it->items()) {
    size_t c = 0;
    while (c < leads::kRiskClasses.size() && k != std::string(1, leads::kRiskClasses[c])) ++c;
    if (c == leads::kRiskClasses.size() || !v.is_number()) return bad("ratios." + k);
    double p = v.get<double>();
    if (!(p >= 0 && p <= 100)) return bad("ratios." + k);
    (*out)[c] = static_cast<int>(std::lround(p * 100));
  }
  return true;
}

bool ReadOverrides(const json& body, std::map<std::string, char>* out, Response* err) {
  auto it = body.find("risk_overrides");
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_object() || it->size() > 100000) {
    *err = Api::Error(400, "wrong_type", "字段 risk_overrides 应为对象（信用代码 → A/B/C/D）",
                      "field risk_overrides must be an object (credit code → A/B/C/D)",
                      "risk_overrides");
    return false;
  }
  for (auto& [k, v] : it->items()) {
    if (!v.is_string() || v.get<std::string>().size() != 1) {
      *err = Api::Error(400, "wrong_type", "风险等级应为A、B、C或D", "risk class must be A-D",
                        "risk_overrides." + k);
      return false;
    }
    (*out)[k] = v.get<std::string>()[0];
  }
  return true;
}

}  // namespace

Response Api::CreateDrawRoute(Ctx& c) {
  json body;
  Response err;
  leads::DrawPlan p;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body,
                       {"item", "org", "ratios", "inspectors_per_target", "region_prefix",
                        "industry", "post_filter", "risk_overrides", "seed_commitment"},
                       &err) ||
      !GetString(body, "item", true, 500, &p.item, &err) ||
      !GetString(body, "org", true, 200, &p.org, &err) ||
      !GetString(body, "region_prefix", false, 6, &p.region_prefix, &err) ||
      !GetString(body, "industry", false, 100, &p.industry, &err) ||
      !GetString(body, "post_filter", false, 100, &p.post_filter, &err) ||
      !GetString(body, "seed_commitment", false, 64, &p.seed_commitment, &err) ||
      !ReadRatios(body, &p.ratio_bp, &err) || !ReadOverrides(body, &p.risk_overrides, &err)) {
    return err;
  }
  if (auto it = body.find("inspectors_per_target"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return Error(400, "wrong_type", "字段 inspectors_per_target 应为整数",
                   "field inspectors_per_target must be an integer", "inspectors_per_target");
    }
    p.inspectors_per_target = it->get<int>();
  }
  if (c.user.Scoped() && !OrgInScope(c.user, p.org)) return Forbidden();
  auto id = leads::CreateDrawPlan(c.db(), config_.db_path, p, Actor(c.user));
  if (!id.ok()) return FromStatus(id.status());
  auto d = leads::GetDraw(c.db(), *id);
  if (!d.ok()) return FromStatus(d.status());
  return Json(201, SummaryJson(d->summary));
}

Response Api::ListDrawsRoute(Ctx& c) {
  auto list = leads::ListDraws(c.db());
  if (!list.ok()) return FromStatus(list.status());
  json items = json::array();
  for (const auto& s : *list) {
    if (c.user.Scoped() && !OrgInScope(c.user, s.org)) continue;
    items.push_back(SummaryJson(s));
  }
  return Json(200, {{"items", items}, {"total", items.size()}});
}

// The draw named by {id} if it exists and its organisation is in the user's scope.
static Result<leads::DrawDetail> VisibleDraw(Api::Ctx& c, Response* denied) {
  int64_t id = 0;
  if (!ParseId(c.params["id"], &id)) {
    *denied = Api::Error(404, "not_found", "没有这次抽查", "no such draw");
    return Status::NotFound("draw");
  }
  auto d = leads::GetDraw(c.db(), id);
  if (!d.ok()) {
    *denied = LookupFailed(c.user, d.status(), "没有这次抽查", "no such draw");
    return d.status();
  }
  if (c.user.Scoped() && !OrgInScope(c.user, d->summary.org)) {
    *denied = Api::Forbidden();
    return Status::NotFound("out of scope");
  }
  return d;
}

Response Api::GetDrawRoute(Ctx& c) {
  Response denied;
  bool unmask = false;
  if (!WantsUnmasked(c, &unmask, &denied)) return denied;
  auto d = VisibleDraw(c, &denied);
  if (!d.ok()) return denied;
  if (unmask) {
    Status s = Audit(c, "view_unmasked", "draw:" + std::to_string(d->summary.id), json::object());
    if (!s.ok()) return FromStatus(s);
  }
  return Json(200, DetailJson(*d, unmask));
}

Response Api::ExecuteDrawRoute(Ctx& c) {
  Response denied;
  auto d = VisibleDraw(c, &denied);
  if (!d.ok()) return denied;
  json body = json::object();
  Response err;
  std::string seed;
  if (!c.req.body.empty() &&
      (!ParseObject(c.req, &body, &err) || !OnlyKnownFields(body, {"seed"}, &err) ||
       !GetString(body, "seed", false, 64, &seed, &err))) {
    return err;
  }
  // Recusal walks the relationship graph the graph routes keep built.
  auto net = CurrentNetwork(c);
  if (!net.ok()) return FromStatus(net.status());
  auto done =
      leads::ExecuteDraw(c.db(), config_.db_path, d->summary.id, seed, Actor(c.user), net->get());
  if (!done.ok()) return FromStatus(done.status());
  return Json(200, DetailJson(*done, false));
}

Response Api::DrawResultsRoute(Ctx& c) {
  Response denied;
  auto d = VisibleDraw(c, &denied);
  if (!d.ok()) return denied;
  json body;
  Response err;
  leads::InspectionResult r;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body, {"credit_code", "result", "date", "penalty_fen"}, &err) ||
      !GetString(body, "credit_code", true, 18, &r.credit_code, &err) ||
      !GetString(body, "result", true, 4000, &r.result, &err) ||
      !GetString(body, "date", true, 10, &r.date, &err)) {
    return err;
  }
  if (auto it = body.find("penalty_fen"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return Error(400, "wrong_type", "字段 penalty_fen 应为整数（分）",
                   "field penalty_fen must be an integer (fen)", "penalty_fen");
    }
    r.penalty_fen = it->get<int64_t>();
  }
  Status s = leads::EnterDrawResult(c.db(), d->summary.id, r, Actor(c.user));
  if (!s.ok()) return FromStatus(s);
  auto again = leads::GetDraw(c.db(), d->summary.id);
  if (!again.ok()) return FromStatus(again.status());
  return Json(200, DetailJson(*again, false));
}

Response Api::PublishDrawRoute(Ctx& c) {
  Response denied;
  auto d = VisibleDraw(c, &denied);
  if (!d.ok()) return denied;
  Status s = leads::PublishDraw(c.db(), d->summary.id, Actor(c.user));
  if (!s.ok()) return FromStatus(s);
  auto again = leads::GetDraw(c.db(), d->summary.id);
  if (!again.ok()) return FromStatus(again.status());
  return Json(200, SummaryJson(again->summary));
}

Response Api::VerifyDrawRoute(Ctx& c) {
  Response denied;
  auto d = VisibleDraw(c, &denied);
  if (!d.ok()) return denied;
  auto v = leads::VerifyDraw(c.db(), d->summary.id);
  if (!v.ok()) return FromStatus(v.status());
  return Json(
      200,
      {{"id", d->summary.id}, {"ok", v->ok}, {"checks", v->checks}, {"problems", v->problems}});
}

Response Api::PublicInspectionsRoute(Ctx& c) {
  int64_t page = 1, page_size = 50;
  Response err;
  if (!QueryInt(c.req, "page", 1, 1000000, 1, &page, &err) ||
      !QueryInt(c.req, "page_size", 1, 200, 50, &page_size, &err)) {
    return err;
  }
  std::string q = c.req.Query("q");
  if (q.size() > 100) {
    return Error(400, "bad_parameter", "参数 q 不能超过 100 字节",
                 "parameter q is longer than 100 bytes", "q");
  }
  int64_t total = 0;
  auto rows = leads::PublicInspections(c.db(), q, page_size, (page - 1) * page_size, &total);
  if (!rows.ok()) return FromStatus(rows.status());
  json items = json::array();
  for (const auto& r : *rows) {
    items.push_back({{"draw", r.draw_id},
                     {"item", r.item},
                     {"org", r.org},
                     {"published_at", r.published_at},
                     {"credit_code", r.credit_code},
                     {"name", r.name},
                     {"result", r.result.empty() ? json(nullptr) : json(r.result)},
                     {"result_date", r.result_date.empty() ? json(nullptr) : json(r.result_date)},
                     {"penalty_fen", r.penalty_fen},
                     {"inspectors", r.inspectors_masked}});
  }
  return Json(200, {{"items", items}, {"total", total}, {"page", page}, {"page_size", page_size}});
}

}  // namespace qf::server
