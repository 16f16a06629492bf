// 一岗双责 (src/leads/duties.h): responsibility items per leader, their
// completion with evidence, periodic checks, warnings, and the year-end
// assessment (JSON and XLSX). An item is in a user's scope by the leader's
// organisation and region; outside it the answer is 403 as for a missing one.
// ID numbers are masked unless the user may and asks (unmask=1, a ledger
// action); the XLSX export is a ledger action.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "common/time.h"
#include "engine/runner.h"
#include "ingest/value.h"
#include "leads/duties.h"
#include "server/api.h"
#include "server/api_util.h"

namespace qf::server {

using nlohmann::json;

namespace {

leads::DutyVisible VisibleTo(const Principal& p) {
  if (!p.Scoped()) return nullptr;
  return [p](const leads::DutyItem& it) { return InScope(p, it.org, it.region_code); };
}

json ItemJson(const leads::DutyItem& it, const CivilDate& as_of, bool unmasked) {
  leads::DutyState s = leads::StateOf(it, as_of);
  auto opt = [](int v) { return v < 0 ? json(nullptr) : json(v); };
  return {{"id", it.id},
          {"year", it.year},
          {"leader_id", unmasked ? it.leader_id : leads::MaskLeaderId(it.leader_id)},
          {"leader_name", it.leader_name},
          {"org", it.org},
          {"region_code", it.region_code},
          {"post", it.post},
          {"area", it.area},
          {"kind", it.kind},
          {"task", it.task},
          {"assigned_on", it.assigned_on},
          {"due_on", it.due_on},
          {"frequency", it.frequency},
          {"status", it.status},
          {"status_reason", it.status_reason},
          {"evidence", it.evidence},
          {"completed_on", it.completed_on},
          {"cancelled_on", it.cancelled_on},
          {"late", it.status == "done" && it.completed_on > it.due_on},
          {"checks", it.checks},
          {"last_check_on", it.last_check_on},
          {"attachments", it.attachments},
          {"created_by", ActorName(it.created_by)},
          {"created_at", it.created_at},
          {"updated_by", ActorName(it.updated_by)},
          {"updated_at", it.updated_at},
          {"overdue", s.overdue},
          {"days_overdue", s.days_overdue},
          {"working_days_overdue", s.working_days_overdue},
          {"working_days_left", opt(s.working_days_left)},
          {"check_status", s.check_status},
          {"check_period", s.check_period},
          {"check_by", s.check_by},
          {"missed_check_periods", s.missed_check_periods}};
}

json CheckJson(const leads::DutyCheck& c) {
  return {{"id", c.id},
          {"item_id", c.item_id},
          {"checked_on", c.checked_on},
          {"checker", c.checker},
          {"result", c.result},
          {"note", c.note},
          {"created_by", ActorName(c.created_by)},
          {"created_at", c.created_at}};
}

json AttachmentJson(const leads::DutyAttachment& a) {
  return {{"seq", a.seq},
          {"sha256", a.sha256},
          {"name", a.name},
          {"mime", a.mime},
          {"size", a.size},
          {"at", a.at},
          {"author", ActorName(a.author)}};
}

json TallyJson(const leads::DutyTally& t) {
  return {{"items", t.items},
          {"done_on_time", t.done_on_time},
          {"done_late", t.done_late},
          {"open", t.open},
          {"overdue", t.overdue},
          {"cancelled", t.cancelled},
          {"checks_due", t.checks_due},
          {"checks_held", t.checks_held},
          {"checks", t.checks},
          {"avg_result", t.checks > 0 ? json(std::round(100 * t.avg_result) / 100) : json(nullptr)},
          {"score", t.score < 0 ? json(nullptr) : json(t.score)},
          {"grade", t.grade}};
}

// The settings' parameters, with the request's warn_working_days over them.
bool Params(const Request& req, const ServerConfig& config, leads::DutyParams* out, Response* err) {
  auto p = leads::LoadDutyParams(config.settings_path);
  if (!p.ok()) {
    *err = Api::FromStatus(p.status());
    return false;
  }
  *out = *p;
  return QueryWarnDays(req, &out->warn_working_days, err);
}

// The field a library error is about, for the form: the one it starts with,
// else the first it names.
std::string FieldOf(const Status& s) {
  static constexpr const char* kFields[] = {
      "leader_id", "assigned_on", "due_on",  "completed_on", "checked_on",
      "kind",      "frequency",   "area",    "task",         "evidence",
      "reason",    "result",      "checker", "note",         "year"};
  const std::string& m = s.message();
  for (const char* f : kFields) {
    if (m.starts_with(f)) return f;
  }
  for (const char* f : kFields) {
    if (m.find(std::string(" ") + f) != std::string::npos) return f;
  }
  return "";
}

// The day the writes are judged against ("today"): the settings' fixed day
// when the demo replays past data, else today.
CivilDate Today(const ServerConfig& config) {
  if (!config.as_of.empty()) {
    if (auto d = ParseDate(config.as_of)) return *d;
  }
  return TodayShanghai();
}

}  // namespace

// The item if it exists and is in the user's scope; else the answer to give.
static Result<leads::DutyItem> VisibleItem(Api::Ctx& c, Response* denied) {
  const std::string& raw = c.params["id"];
  int64_t id = 0;
  auto it = ParseId(raw, &id) ? leads::GetDutyItem(c.db(), id)
                              : Result<leads::DutyItem>(Status::NotFound("no item " + raw));
  if (!it.ok()) {
    *denied =
        LookupFailed(c.user, it.status(), "没有责任事项 " + raw, "no responsibility item " + raw);
    return it.status();
  }
  if (c.user.Scoped() && !InScope(c.user, it->org, it->region_code)) {
    *denied = Api::Forbidden();
    return Status::NotFound("out of scope");
  }
  return it;
}

Response Api::DutyItemsRoute(Ctx& c) {
  Response err;
  CivilDate as_of;
  int64_t year = 0, limit = 0, offset = 0;
  bool overdue = false, unmask = false;
  if (!QueryAsOfDate(c.req, config_, &as_of, &err) ||
      !QueryInt(c.req, "year", 0, 2100, 0, &year, &err) ||
      !QueryLimitOffset(c.req, 5000, 200, &limit, &offset, &err) ||
      !QueryFlag(c.req, "overdue", &overdue, &err) || !WantsUnmasked(c, &unmask, &err)) {
    return err;
  }
  leads::DutyFilter f;
  f.year = static_cast<int>(year);
  f.leader = c.req.Query("leader");
  f.org = c.req.Query("org");
  f.kind = c.req.Query("kind");
  f.status = c.req.Query("status");
  f.overdue_only = overdue;
  f.visible = VisibleTo(c.user);
  if (!f.kind.empty() && !leads::IsDutyKind(f.kind)) {
    return Error(400, "bad_parameter", "参数 kind 应为业务工作或党风廉政建设",
                 "parameter kind must be 业务工作 or 党风廉政建设", "kind");
  }
  if (!f.status.empty() && f.status != "open" && f.status != "done" && f.status != "cancelled") {
    return Error(400, "bad_parameter", "参数 status 应为 open、done 或 cancelled",
                 "parameter status must be open, done or cancelled", "status");
  }
  auto list = leads::ListDutyItems(c.db(), f, as_of);
  if (!list.ok()) return FromStatus(list.status());
  if (unmask) {
    if (Status s = Audit(c, "view_unmasked", "duties", {{"items", list->size()}}); !s.ok()) {
      return FromStatus(s);
    }
  }
  json items = json::array();
  int64_t total = 0, overdue_count = 0;
  for (const auto& it : *list) {
    json j = ItemJson(it, as_of, unmask);
    overdue_count += j["overdue"].get<bool>() ? 1 : 0;
    if (total >= offset && total < offset + limit) items.push_back(std::move(j));
    ++total;
  }
  return Json(200, {{"as_of", FormatDate(as_of)},
                    {"items", items},
                    {"total", total},
                    {"overdue", overdue_count}});
}

Response Api::DutyItemRoute(Ctx& c) {
  Response err;
  CivilDate as_of;
  bool unmask = false;
  if (!QueryAsOfDate(c.req, config_, &as_of, &err) || !WantsUnmasked(c, &unmask, &err)) return err;
  auto it = VisibleItem(c, &err);
  if (!it.ok()) return err;
  auto checks = leads::ChecksOf(c.db(), it->id);
  auto files = leads::AttachmentsOfItem(c.db(), it->id);
  auto history = leads::DutyHistory(c.db(), it->id);
  if (!checks.ok()) return FromStatus(checks.status());
  if (!files.ok()) return FromStatus(files.status());
  if (!history.ok()) return FromStatus(history.status());
  if (unmask) {
    if (Status s = Audit(c, "view_unmasked", "duty:" + std::to_string(it->id), json::object());
        !s.ok()) {
      return FromStatus(s);
    }
  }
  json j = ItemJson(*it, as_of, unmask);
  j["check_list"] = json::array();
  for (const auto& ch : *checks) j["check_list"].push_back(CheckJson(ch));
  j["attachment_list"] = json::array();
  for (const auto& a : *files) j["attachment_list"].push_back(AttachmentJson(a));
  j["history"] = json::array();
  for (const auto& h : *history) {
    j["history"].push_back({{"at", h.at},
                            {"actor", ActorName(h.actor)},
                            {"action", h.action},
                            {"details", json::parse(h.details_json, nullptr, false)}});
  }
  return Json(200, j);
}

Response Api::DutyCreateRoute(Ctx& c) {
  json body;
  Response err;
  leads::NewDutyItem n;
  int64_t year = 0;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(
          body, {"year", "leader_id", "area", "kind", "task", "assigned_on", "due_on", "frequency"},
          &err) ||
      !GetString(body, "leader_id", true, 40, &n.leader_id, &err) ||
      !GetString(body, "area", true, 300, &n.area, &err) ||
      !GetString(body, "kind", true, 40, &n.kind, &err) ||
      !GetString(body, "task", true, 4000, &n.task, &err) ||
      !GetString(body, "assigned_on", false, 20, &n.assigned_on, &err) ||
      !GetString(body, "due_on", true, 20, &n.due_on, &err) ||
      !GetString(body, "frequency", false, 20, &n.frequency, &err)) {
    return err;
  }
  if (body.contains("year") && !body["year"].is_null()) {
    if (!body["year"].is_number_integer()) {
      return Error(400, "wrong_type", "字段 year 应为整数", "field year must be a whole number",
                   "year");
    }
    year = body["year"].get<int64_t>();
    if (year < 2000 || year > 2100) {
      return Error(400, "bad_value", "年度应在2000至2100之间", "year must be 2000–2100", "year");
    }
  }
  n.year = static_cast<int>(year);
  if (n.frequency.empty()) n.frequency = "季度";
  const CivilDate today = Today(config_);
  auto preview = leads::PrepareDutyItem(c.db(), n, today);
  if (!preview.ok()) return FromStatus(preview.status(), FieldOf(preview.status()));
  if (c.user.Scoped() && !InScope(c.user, preview->org, preview->region_code)) return Forbidden();
  auto added = leads::AddDutyItem(c.db(), n, Actor(c.user), today);
  if (!added.ok()) return FromStatus(added.status(), FieldOf(added.status()));
  return Json(201, ItemJson(*added, today, false));
}

Response Api::DutyUpdateRoute(Ctx& c) {
  Response err;
  auto it = VisibleItem(c, &err);
  if (!it.ok()) return err;
  json body;
  std::string action, evidence, completed_on, reason, due_on;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body, {"action", "evidence", "completed_on", "reason", "due_on"}, &err) ||
      !GetString(body, "action", true, 20, &action, &err) ||
      !GetString(body, "evidence", false, 20000, &evidence, &err) ||
      !GetString(body, "completed_on", false, 20, &completed_on, &err) ||
      !GetString(body, "reason", false, 2000, &reason, &err) ||
      !GetString(body, "due_on", false, 20, &due_on, &err)) {
    return err;
  }
  const CivilDate today = Today(config_);
  if (action != "complete" && action != "cancel" && action != "redate") {
    return Error(400, "bad_value", "action 应为 complete、cancel 或 redate",
                 "action must be complete, cancel or redate", "action");
  }
  auto done =
      action == "complete"
          ? leads::CompleteDutyItem(c.db(), it->id, evidence, completed_on, Actor(c.user), today)
      : action == "cancel" ? leads::CancelDutyItem(c.db(), it->id, reason, Actor(c.user), today)
                           : leads::RedateDutyItem(c.db(), it->id, due_on, reason, Actor(c.user));
  if (!done.ok()) return FromStatus(done.status(), FieldOf(done.status()));
  return Json(200, ItemJson(*done, today, false));
}

Response Api::DutyCheckRoute(Ctx& c) {
  Response err;
  auto it = VisibleItem(c, &err);
  if (!it.ok()) return err;
  json body;
  leads::NewDutyCheck n;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body, {"checked_on", "checker", "result", "note"}, &err) ||
      !GetString(body, "checked_on", false, 20, &n.checked_on, &err) ||
      !GetString(body, "checker", false, 100, &n.checker, &err) ||
      !GetString(body, "result", true, 10, &n.result, &err) ||
      !GetString(body, "note", false, 10000, &n.note, &err)) {
    return err;
  }
  if (n.checker.empty())
    n.checker = c.user.display_name.empty() ? c.user.name : c.user.display_name;
  auto done = leads::AddDutyCheck(c.db(), it->id, n, Actor(c.user), Today(config_));
  if (!done.ok()) return FromStatus(done.status(), FieldOf(done.status()));
  return Json(201, CheckJson(*done));
}

Response Api::DutyUploadRoute(Ctx& c) {
  Response err;
  auto it = VisibleItem(c, &err);
  if (!it.ok()) return err;
  std::string mime;
  if (!UploadMime(c.req, &mime, &err)) return err;
  auto a = leads::AddDutyAttachment(c.db(), config_.db_path, it->id, c.req.body,
                                    c.req.Query("name"), mime, Actor(c.user));
  if (!a.ok()) {
    const std::string& m = a.status().message();
    return FromStatus(a.status(), m.find("file name") != std::string::npos ? "name"
                                  : m.find("empty") != std::string::npos   ? "body"
                                                                           : "");
  }
  return Json(201, AttachmentJson(*a));
}

Response Api::DutyAttachmentRoute(Ctx& c) {
  Response err;
  auto it = VisibleItem(c, &err);
  if (!it.ok()) return err;
  auto list = leads::AttachmentsOfItem(c.db(), it->id);
  if (!list.ok()) return FromStatus(list.status());
  for (const leads::DutyAttachment& a : *list) {
    if (std::to_string(a.seq) != c.params["n"]) continue;
    auto bytes = leads::ReadDutyAttachment(config_.db_path, a);
    if (!bytes.ok()) return FromStatus(bytes.status());
    return FileDownload(std::move(bytes).value(), a.mime, a.name);
  }
  return Error(404, "not_found", "没有这个附件", "no such attachment");
}

Response Api::DutyWarningsRoute(Ctx& c) {
  Response err;
  CivilDate as_of;
  leads::DutyParams params;
  bool unmask = false;
  if (!QueryAsOfDate(c.req, config_, &as_of, &err) || !Params(c.req, config_, &params, &err) ||
      !WantsUnmasked(c, &unmask, &err)) {
    return err;
  }
  const std::string type = c.req.Query("type"), kind = c.req.Query("kind");
  if (!type.empty() && type != "overdue" && type != "due_soon" && type != "check_due" &&
      type != "check_overdue") {
    return Error(400, "bad_parameter",
                 "参数 type 应为 overdue、due_soon、check_due 或 check_overdue",
                 "parameter type must be overdue, due_soon, check_due or check_overdue", "type");
  }
  auto list = leads::DutyWarnings(c.db(), as_of, params, VisibleTo(c.user));
  if (!list.ok()) return FromStatus(list.status());
  if (unmask) {
    if (Status s = Audit(c, "view_unmasked", "duties/warnings", json::object()); !s.ok()) {
      return FromStatus(s);
    }
  }
  json items = json::array();
  json counts = {{"overdue", 0}, {"due_soon", 0}, {"check_due", 0}, {"check_overdue", 0}};
  for (const auto& w : *list) {
    if (!kind.empty() && w.item.kind != kind) continue;
    counts[w.type] = counts[w.type].get<int>() + 1;
    if (!type.empty() && w.type != type) continue;
    items.push_back({{"type", w.type},
                     {"deadline", w.deadline},
                     {"period", w.period},
                     {"working_days", w.working_days},
                     {"days", w.days},
                     {"missed_periods", w.missed_periods},
                     {"item", ItemJson(w.item, as_of, unmask)}});
  }
  return Json(200, {{"as_of", FormatDate(as_of)},
                    {"warn_working_days", params.warn_working_days},
                    {"counts", counts},
                    {"items", items}});
}

namespace {

bool AssessmentArgs(Api::Ctx& c, const ServerConfig& config, CivilDate* as_of, int64_t* year,
                    leads::DutyParams* params, Response* err) {
  if (!QueryAsOfDate(c.req, config, as_of, err) || !Params(c.req, config, params, err))
    return false;
  return QueryInt(c.req, "year", 2000, 2100, as_of->year, year, err);
}

}  // namespace

Response Api::DutyAssessmentRoute(Ctx& c) {
  Response err;
  CivilDate as_of;
  int64_t year = 0;
  leads::DutyParams params;
  bool unmask = false;
  if (!AssessmentArgs(c, config_, &as_of, &year, &params, &err) ||
      !WantsUnmasked(c, &unmask, &err)) {
    return err;
  }
  auto a = leads::AssessDuties(c.db(), static_cast<int>(year), as_of, params, c.req.Query("org"),
                               VisibleTo(c.user));
  if (!a.ok()) return FromStatus(a.status());
  if (unmask) {
    if (Status s = Audit(c, "view_unmasked", "duties/assessment", {{"year", year}}); !s.ok()) {
      return FromStatus(s);
    }
  }
  json rows = json::array();
  for (const auto& r : a->rows) {
    rows.push_back({{"leader_id", unmask ? r.leader_id : leads::MaskLeaderId(r.leader_id)},
                    {"leader_name", r.leader_name},
                    {"org", r.org},
                    {"region_code", r.region_code},
                    {"post", r.post},
                    {"business", TallyJson(r.business)},
                    {"integrity", TallyJson(r.integrity)},
                    {"total", TallyJson(r.total)},
                    {"score", r.score < 0 ? json(nullptr) : json(r.score)},
                    {"grade", r.grade}});
  }
  return Json(200, {{"year", a->year},
                    {"as_of", a->as_of},
                    {"thresholds",
                     {{"good_min", params.good_min},
                      {"fair_min", params.fair_min},
                      {"pass_min", params.pass_min}}},
                    {"rows", rows}});
}

Response Api::DutyAssessmentXlsxRoute(Ctx& c) {
  Response err;
  CivilDate as_of;
  int64_t year = 0;
  leads::DutyParams params;
  bool unmask = false;
  if (!AssessmentArgs(c, config_, &as_of, &year, &params, &err) ||
      !WantsUnmasked(c, &unmask, &err)) {
    return err;
  }
  const std::string org = c.req.Query("org");
  auto a =
      leads::AssessDuties(c.db(), static_cast<int>(year), as_of, params, org, VisibleTo(c.user));
  if (!a.ok()) return FromStatus(a.status());
  auto bytes = leads::AssessmentXlsx(*a, unmask);
  if (!bytes.ok()) return FromStatus(bytes.status());
  if (Status s =
          Audit(c, unmask ? "export_unmasked" : "export", "duties/assessment.xlsx",
                {{"year", year}, {"org", org}, {"as_of", a->as_of}, {"leaders", a->rows.size()}});
      !s.ok()) {
    return FromStatus(s);
  }
  Response r;
  r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  r.body = std::move(bytes).value();
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"duties-assessment-" +
                                                    std::to_string(year) + ".xlsx\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

}  // namespace qf::server
