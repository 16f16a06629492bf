// 执法公示 and 全过程记录 (src/leads/enforcement.h): the office's board and case
// list judged as of a day, a case with its media and publications, register,
// close, media upload and verified download, publication; and the public list
// of published decisions (no natural person's name, no ID numbers, no
// inspectors). A case is in a user's scope by its organisation (and that
// organisation's region); outside it the answer is 403, as for a missing case.
#include <nlohmann/json.hpp>
#include <set>

#include "common/calendar.h"
#include "common/log.h"
#include "ingest/identifiers.h"
#include "ingest/value.h"
#include "leads/enforcement.h"
#include "leads/scope.h"
#include "server/api.h"
#include "server/api_util.h"

namespace qf::server {

using nlohmann::json;

namespace {

json CaseJson(const leads::EnforcementCase& r, bool unmask) {
  json ins = json::array();
  for (const std::string& id : r.inspector_ids) ins.push_back(unmask ? id : MaskIdNumber(id));
  const leads::PubDeadline& d = r.deadline;
  return {{"case_id", r.case_id},
          {"org", r.org},
          {"kind", r.kind},
          {"target_party",
           r.target_is_person && !unmask ? MaskIdNumber(r.target_party) : r.target_party},
          {"target_is_person", r.target_is_person},
          {"target_name", r.target_is_person ? json("自然人") : Nullable(r.target_name)},
          {"inspectors", ins},
          {"started_at", r.started_at},
          {"closed_at", Nullable(r.closed_at)},
          {"result", Nullable(unmask ? r.result : MaskPersonalIds(r.result))},
          {"penalty_fen", r.penalty_fen ? json(*r.penalty_fen) : json(nullptr)},
          {"has_av_record", r.has_av_record ? json(*r.has_av_record) : json(nullptr)},
          {"published_at", Nullable(r.published_at)},
          {"source", Nullable(r.source)},
          {"state", leads::PubStateName(d.state)},
          {"state_zh", leads::PubStateZh(d.state)},
          {"deadline",
           d.deadline_day ? json(FormatDate(CivilFromDays(d.deadline_day))) : json(nullptr)},
          {"days_left", d.days_left},
          {"days_late", d.days_late},
          {"media_count", r.media_count},
          {"av_media", r.av_media},
          {"missing_av", r.missing_av}};
}

json CaseList(const std::vector<leads::EnforcementCase>& rows, bool unmask) {
  json a = json::array();
  for (const auto& r : rows) a.push_back(CaseJson(r, unmask));
  return a;
}

json MediaJson(const leads::AvMedia& m) {
  return {{"id", m.id},
          {"sha256", m.sha256},
          {"size", m.size},
          {"file_name", m.file_name},
          {"mime", m.mime},
          {"klass", m.klass},
          {"recorded_at", Nullable(m.recorded_at)},
          {"uploaded_by", ActorName(m.uploaded_by)},
          {"uploaded_at", m.uploaded_at}};
}

json PublicationJson(const leads::EnforcementPublication& p, bool unmask = false) {
  return {{"id", p.id},
          {"decision_no", p.decision_no},
          {"result", unmask ? p.result : MaskPersonalIds(p.result)},
          {"penalty_fen", p.penalty_fen},
          {"public_text", p.public_text},
          {"published_at", p.published_at},
          {"supersedes", p.supersedes ? json(p.supersedes) : json(nullptr)},
          {"superseded_by", p.superseded_by ? json(p.superseded_by) : json(nullptr)},
          {"reason", Nullable(p.reason)},
          {"published_by", ActorName(p.published_by)}};
}

int64_t DayNumber(const std::string& ymd) {
  auto d = ParseDate(ymd);
  return d ? DaysFromCivil(d->year, d->month, d->day) : 0;
}

// The field a clerk's error names, for the console's forms.
std::string FieldOf(const Status& s) {
  const std::string& m = s.message();
  for (const char* f :
       {"case_id", "inspector_id_numbers", "target_party", "started_at", "closed_at",
        "published_at", "decision_no", "penalty", "result", "reason", "kind", "source", "org"}) {
    if (m.find(f) != std::string::npos) return std::string(f) == "penalty" ? "penalty_fen" : f;
  }
  return "";
}

bool OptionalFen(const json& body, std::optional<int64_t>* out, Response* err) {
  auto it = body.find("penalty_fen");
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_number_integer()) {
    *err = Api::Error(400, "wrong_type", "字段 penalty_fen 应为整数（分）",
                      "field penalty_fen must be an integer (fen)", "penalty_fen");
    return false;
  }
  *out = it->get<int64_t>();
  return true;
}

bool OptionalBool(const json& body, const char* field, std::optional<bool>* out, Response* err) {
  bool present = false, v = false;
  if (!GetBool(body, field, &present, &v, err)) return false;
  if (present) *out = v;
  return true;
}

}  // namespace

// The organisations the user may see, as the predicate leads::LoadEnforcementCases takes.
static leads::EnforcementOrgFilter VisibleOrgs(Api::Ctx& c) {
  if (!c.user.Scoped()) return nullptr;
  if (NowUnix() - c.conn.scope_loaded > 60 || !c.conn.scope) {
    c.conn.scope = std::make_unique<leads::ScopeResolver>(c.db());
    if (!c.conn.scope->Init().ok()) return [](const std::string&) { return false; };
    c.conn.scope_loaded = NowUnix();
  }
  leads::ScopeResolver* scope = c.conn.scope.get();
  Principal user = c.user;
  return
      [scope, user](const std::string& org) { return InScope(user, org, scope->RegionOfOrg(org)); };
}

// The case named by {id} if it exists and is in the user's scope.
static Result<leads::EnforcementCase> VisibleCase(Api::Ctx& c, const leads::EnforcementParams& p,
                                                  int64_t as_of_day, Response* denied) {
  auto r = leads::LoadEnforcementCase(c.db(), p, as_of_day, c.params["id"]);
  if (!r.ok()) {
    *denied = LookupFailed(c.user, r.status(), "没有这个执法案件", "no such enforcement case");
    return r.status();
  }
  if (auto visible = VisibleOrgs(c); visible && !visible(r->org)) {
    *denied = Api::Forbidden();
    return Status::NotFound("out of scope");
  }
  return r;
}

// The same, judged as of today (the writes and the media).
static Result<leads::EnforcementCase> VisibleCaseToday(Api::Ctx& c, Response* denied) {
  const CivilDate t = TodayShanghai();
  return VisibleCase(c, {}, DaysFromCivil(t.year, t.month, t.day), denied);
}

Response Api::EnforcementBoardRoute(Ctx& c) {
  Response err;
  std::string as_of;
  int64_t page = 1, page_size = 20, year = 0;
  bool unmask = false;
  if (!QueryAsOf(c.req, config_, &as_of, &err) ||
      !QueryPage(c.req, 1000000, 200, 20, &page, &page_size, &err) ||
      !QueryInt(c.req, "year", 0, 2100, 0, &year, &err) || !WantsUnmasked(c, &unmask, &err)) {
    return err;
  }
  const std::string state = c.req.Query("state");
  if (!state.empty() && state != "missing_av" && state != "not_due" && state != "due" &&
      state != "overdue" && state != "on_time" && state != "late") {
    return Error(
        400, "bad_parameter", "参数 state 应为 not_due、due、overdue、on_time、late 或 missing_av",
        "parameter state must be not_due, due, overdue, on_time, late or missing_av", "state");
  }
  auto params = leads::LoadEnforcementParams(config_.settings_path);
  if (!params.ok()) return FromStatus(params.status());
  const int64_t day = DayNumber(as_of);
  auto cases = leads::LoadEnforcementCases(c.db(), *params, day, VisibleOrgs(c));
  if (!cases.ok()) return FromStatus(cases.status());
  leads::EnforcementBoard b = leads::MakeEnforcementBoard(*cases, day, 20);
  leads::EnforcementFilter f;
  f.kind = c.req.Query("kind");
  f.state = state;
  f.org = c.req.Query("org");
  f.q = c.req.Query("q").substr(0, 200);
  f.year = static_cast<int>(year);
  f.limit = page_size;
  f.offset = (page - 1) * page_size;
  int64_t total = 0;
  std::vector<leads::EnforcementCase> items = leads::FilterEnforcementCases(*cases, f, &total);
  if (unmask) {
    if (Status s = Audit(c, "view_unmasked", "enforcement:list", {{"as_of", as_of}}); !s.ok()) {
      return FromStatus(s);
    }
  }
  json orgs = json::array();
  {
    std::set<std::string> seen;
    for (const auto& r : *cases) seen.insert(r.org);
    for (const auto& o : seen) orgs.push_back(o);
  }
  json board = {{"as_of", b.as_of},
                {"total", b.total},
                {"by_state", b.by_state},
                {"by_kind", b.by_kind},
                {"missing_av", b.missing_av},
                {"overdue", CaseList(b.overdue, unmask)},
                {"due_soon", CaseList(b.due_soon, unmask)},
                {"missing", CaseList(b.missing, unmask)}};
  return Json(200, {{"as_of", as_of},
                    {"params",
                     {{"decision_working_days", params->decision_working_days},
                      {"inspection_working_days", params->inspection_working_days}}},
                    {"board", board},
                    {"orgs", orgs},
                    {"items", CaseList(items, unmask)},
                    {"total", total},
                    {"page", page},
                    {"page_size", page_size}});
}

Response Api::EnforcementCaseRoute(Ctx& c) {
  Response err;
  std::string as_of;
  bool unmask = false;
  if (!QueryAsOf(c.req, config_, &as_of, &err) || !WantsUnmasked(c, &unmask, &err)) return err;
  auto params = leads::LoadEnforcementParams(config_.settings_path);
  if (!params.ok()) return FromStatus(params.status());
  auto r = VisibleCase(c, *params, DayNumber(as_of), &err);
  if (!r.ok()) return err;
  auto media = leads::AvMediaOf(c.db(), r->case_id);
  if (!media.ok()) return FromStatus(media.status());
  auto pubs = leads::EnforcementPublicationsOf(c.db(), r->case_id);
  if (!pubs.ok()) return FromStatus(pubs.status());
  if (unmask) {
    if (Status s = Audit(c, "view_unmasked", "enforcement:" + r->case_id, json::object());
        !s.ok()) {
      return FromStatus(s);
    }
  }
  json m = json::array(), p = json::array();
  for (const auto& x : *media) m.push_back(MediaJson(x));
  for (const auto& x : *pubs) p.push_back(PublicationJson(x, unmask));
  return Json(
      200, {{"as_of", as_of}, {"case", CaseJson(*r, unmask)}, {"media", m}, {"publications", p}});
}

// Register, close and publish enter rows through the importer: they queue
// behind imports on the job thread (SQLite has one writer).
Response Api::RegisterEnforcementRoute(Ctx& c) {
  json body;
  Response err;
  leads::NewEnforcementCase n;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body,
                       {"case_id", "org", "target_party", "inspector_id_numbers", "kind",
                        "started_at", "source", "has_av_record"},
                       &err) ||
      !GetString(body, "case_id", true, 64, &n.case_id, &err) ||
      !GetString(body, "org", true, 200, &n.org, &err) ||
      !GetString(body, "target_party", true, 40, &n.target_party, &err) ||
      !GetString(body, "kind", true, 20, &n.kind, &err) ||
      !GetString(body, "started_at", true, 40, &n.started_at, &err) ||
      !GetString(body, "source", false, 20, &n.source, &err) ||
      !OptionalBool(body, "has_av_record", &n.has_av_record, &err)) {
    return err;
  }
  bool present = false;
  if (!GetStringList(body, "inspector_id_numbers", 20, &present, &n.inspector_ids, &err)) {
    return err;
  }
  if (auto visible = VisibleOrgs(c); visible && !visible(n.org)) return Forbidden();
  const std::string user = Actor(c.user);
  int64_t job_id = SubmitEntryJob(
      c, "enforcement", {{"case_id", n.case_id}, {"action", "register"}}, "enforcement-register",
      [n, user](Store* store, const std::string& work) -> Result<json> {
        QF_ASSIGN_OR_RETURN(leads::EnforcementCase r,
                            leads::RegisterEnforcementCase(store, n, work, user));
        return CaseJson(r, false);
      });
  Job job;
  if (!AwaitEntryJob(job_id, FieldOf, json::object(), &job, &err)) return err;
  return Json(201, job.result);
}

Response Api::CloseEnforcementRoute(Ctx& c) {
  Response err;
  auto r = VisibleCaseToday(c, &err);
  if (!r.ok()) return err;
  json body;
  leads::EnforcementClosure cl;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body, {"closed_at", "result", "penalty_fen", "has_av_record"}, &err) ||
      !GetString(body, "closed_at", true, 40, &cl.closed_at, &err) ||
      !GetString(body, "result", true, 4000, &cl.result, &err) ||
      !OptionalFen(body, &cl.penalty_fen, &err) ||
      !OptionalBool(body, "has_av_record", &cl.has_av_record, &err)) {
    return err;
  }
  const std::string user = Actor(c.user), id = r->case_id;
  int64_t job_id =
      SubmitEntryJob(c, "enforcement", {{"case_id", id}, {"action", "close"}}, "enforcement-close",
                     [id, cl, user](Store* store, const std::string& work) -> Result<json> {
                       QF_ASSIGN_OR_RETURN(leads::EnforcementCase done,
                                           leads::CloseEnforcementCase(store, id, cl, work, user));
                       return CaseJson(done, false);
                     });
  Job job;
  if (!AwaitEntryJob(job_id, FieldOf, json::object(), &job, &err)) return err;
  return Json(200, job.result);
}

Response Api::PublishEnforcementRoute(Ctx& c) {
  Response err;
  auto r = VisibleCaseToday(c, &err);
  if (!r.ok()) return err;
  json body;
  leads::EnforcementPublishInput in;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body, {"decision_no", "result", "penalty_fen", "published_at", "reason"},
                       &err) ||
      !GetString(body, "decision_no", false, 100, &in.decision_no, &err) ||
      !GetString(body, "result", false, 4000, &in.result, &err) ||
      !GetString(body, "published_at", false, 40, &in.published_at, &err) ||
      !GetString(body, "reason", false, 1000, &in.reason, &err) ||
      !OptionalFen(body, &in.penalty_fen, &err)) {
    return err;
  }
  const std::string user = Actor(c.user), id = r->case_id;
  int64_t job_id = SubmitEntryJob(
      c, "enforcement", {{"case_id", id}, {"action", "publish"}}, "enforcement-publish",
      [id, in, user](Store* store, const std::string& work) -> Result<json> {
        QF_ASSIGN_OR_RETURN(leads::EnforcementPublication p,
                            leads::PublishEnforcementCase(store, id, in, work, user));
        return PublicationJson(p);
      });
  Job job;
  if (!AwaitEntryJob(job_id, FieldOf, json::object(), &job, &err)) return err;
  return Json(201, job.result);
}

// The raw body is the file (as POST /api/leads/{id}/attachments); ?name= the
// file name, ?recorded_at= when it was recorded.
Response Api::UploadEnforcementMediaRoute(Ctx& c) {
  Response err;
  auto r = VisibleCaseToday(c, &err);
  if (!r.ok()) return err;
  leads::AvMediaUpload up;
  up.case_id = r->case_id;
  up.file_name = c.req.Query("name");
  up.recorded_at = c.req.Query("recorded_at");
  if (up.file_name.empty()) {
    return Error(400, "bad_parameter", "缺少参数 name（文件名）", "parameter name is missing",
                 "name");
  }
  const std::string files_dir = config_.db_path + ".files";
  auto m = c.req.body_file.empty()
               ? leads::AttachAvMediaBytes(c.db(), files_dir, up, c.req.body, Actor(c.user))
               : leads::AttachAvMedia(c.db(), files_dir, up, c.req.body_file, Actor(c.user));
  if (!m.ok()) {
    std::string field = m.status().message().find("recorded_at") != std::string::npos
                            ? "recorded_at"
                        : m.status().message().find("file name") != std::string::npos ? "name"
                                                                                      : "body";
    return FromStatus(m.status(), field);
  }
  json j = MediaJson(*m);
  j["existed"] = m->existed;
  return Json(m->existed ? 200 : 201, j);
}

Response Api::DownloadEnforcementMediaRoute(Ctx& c) {
  Response err;
  auto r = VisibleCaseToday(c, &err);
  if (!r.ok()) return err;
  const std::string& sha = c.params["sha"];
  if (sha.size() != 64 || sha.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Error(404, "not_found", "没有这个文件", "no such file");
  }
  leads::AvMedia row;
  auto bytes = leads::ReadAvMedia(c.db(), config_.db_path + ".files", r->case_id, sha, &row);
  if (!bytes.ok()) {
    if (bytes.status().code() == Status::Code::kNotFound) {
      return Error(404, "not_found", "没有这个文件", "no such file");
    }
    if (bytes.status().code() == Status::Code::kCorruption) {
      spdlog::error("enforcement media refused: {}", bytes.status().ToString());
      return Error(409, "altered", "文件内容或记录与账本不符（可能被篡改），已拒绝下载",
                   "the file or its record differs from what the ledger committed to; refused");
    }
    return FromStatus(bytes.status());
  }
  Response res = FileDownload(std::move(bytes).value(), row.mime, row.file_name);
  res.headers.emplace_back("X-Content-SHA256", row.sha256);
  return res;
}

// Public: exactly {items: [{case_id, org, kind, target_name, target_code,
// result, penalty_fen, decided_on, published_at}], total}.
Response Api::PublicEnforcementRoute(Ctx& c) {
  Response err;
  int64_t page = 1, page_size = 20, year = 0;
  if (!QueryPage(c.req, 100000, 100, 20, &page, &page_size, &err) ||
      !QueryInt(c.req, "year", 0, 2100, 0, &year, &err)) {
    return err;
  }
  leads::PublicDecisionFilter f;
  f.org = c.req.Query("org");
  f.kind = c.req.Query("kind");
  f.q = c.req.Query("q");
  if (f.q.size() > 100 || f.org.size() > 200) {
    return Error(400, "bad_parameter", "查询条件过长", "query too long", "q");
  }
  if (!f.kind.empty() && f.kind != "检查" && f.kind != "处罚" && f.kind != "许可" &&
      f.kind != "强制") {
    return Error(400, "bad_parameter", "参数 kind 应为 检查、处罚、许可 或 强制",
                 "parameter kind must be 检查, 处罚, 许可 or 强制", "kind");
  }
  f.year = static_cast<int>(year);
  f.limit = page_size;
  f.offset = (page - 1) * page_size;
  int64_t total = 0;
  auto rows = leads::PublicDecisions(c.db(), f, &total);
  if (!rows.ok()) return FromStatus(rows.status());
  json items = json::array();
  for (const auto& d : *rows) {
    items.push_back({{"case_id", d.case_id},
                     {"org", d.org},
                     {"kind", d.kind},
                     {"target_name", d.target_name},
                     {"target_code", Nullable(d.target_code)},
                     {"result", d.result},
                     {"penalty_fen", d.penalty_fen},
                     {"decided_on", Nullable(d.decided_on)},
                     {"published_at", d.published_at}});
  }
  return Json(200, {{"items", items}, {"total", total}});
}

}  // namespace qf::server
