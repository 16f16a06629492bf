// 三会一课 (src/leads/party.h): the branch registry, meeting records, the
// compliance calendar per branch, warnings and the summary per organisation.
// A branch is in a user's scope by its organisation and region (registered,
// or inferred from the name for a branch known only from its meetings);
// meetings follow their branch. The minutes are given by the detail only.
#include <nlohmann/json.hpp>
#include <set>

#include "ingest/value.h"
#include "leads/party.h"
#include "server/api.h"
#include "server/api_util.h"

namespace qf::server {

using nlohmann::json;

namespace {

leads::BranchFilter VisibleTo(const Principal& p) {
  if (!p.Scoped()) return nullptr;
  return [p](const leads::Branch& b) { return InScope(p, b.org, b.region_code); };
}

bool Visible(const Principal& p, const leads::Branch& b) {
  return !p.Scoped() || InScope(p, b.org, b.region_code);
}

json BranchJson(const leads::Branch& b) {
  return {{"branch_id", b.branch_id},
          {"name", b.name},
          {"org", b.org},
          {"region_code", b.region_code},
          {"secretary", b.secretary},
          {"members", b.members},
          {"voting_members", b.voting_members},
          {"set_up_on", b.set_up_on},
          {"status", b.status},
          {"dissolved_on", b.dissolved_on},
          {"registered", b.registered},
          {"meetings", b.meetings},
          {"first_meeting", b.first_meeting},
          {"last_meeting", b.last_meeting},
          {"updated_by", ActorName(b.updated_by)},
          {"updated_at", b.updated_at}};
}

json Count(int64_t v) { return v < 0 ? json(nullptr) : json(v); }

json MeetingJson(const leads::Meeting& m, bool detail) {
  json j = {{"meeting_id", m.meeting_id},    {"branch_id", m.branch_id},
            {"branch_name", m.branch_name},  {"kind", m.kind},
            {"held_on", m.held_on},          {"attendees", Count(m.attendees)},
            {"expected", Count(m.expected)}, {"topic", m.topic}};
  if (detail) j["minutes_text"] = m.minutes_text;
  return j;
}

json CalendarJson(const leads::Calendar& cal) {
  json rows = json::array();
  for (const auto& r : cal.rows) {
    json cells = json::array();
    for (const auto& c : r.cells) {
      json ms = json::array();
      for (const auto& m : c.meetings) {
        ms.push_back({{"meeting_id", m.meeting_id},
                      {"held_on", m.held_on},
                      {"topic", m.topic},
                      {"attendees", Count(m.attendees)},
                      {"expected", Count(m.expected)},
                      {"counted", m.counted},
                      {"no_quorum", m.no_quorum}});
      }
      cells.push_back({{"index", c.index},
                       {"label", c.label},
                       {"start", c.start},
                       {"end", c.end},
                       {"first_month", c.first_month},
                       {"last_month", c.last_month},
                       {"required", c.required},
                       {"held", c.held},
                       {"status", leads::CellStatusName(c.status)},
                       {"status_zh", leads::CellStatusZh(c.status)},
                       {"working_days_left",
                        c.working_days_left < 0 ? json(nullptr) : json(c.working_days_left)},
                       {"meetings", ms}});
    }
    rows.push_back({{"kind", r.requirement.kind},
                    {"period", models::PeriodName(r.requirement.period)},
                    {"per_period", r.requirement.per_period},
                    {"per_year", r.requirement.PerYear()},
                    {"cells", cells}});
  }
  return {{"branch", BranchJson(cal.branch)},
          {"year", cal.year},
          {"as_of", cal.as_of},
          {"warn_working_days", cal.warn_working_days},
          {"due", cal.due},
          {"met", cal.met},
          {"missed", cal.missed},
          {"at_risk", cal.at_risk},
          {"no_quorum", cal.no_quorum},
          {"rows", rows}};
}

// The settings' parameters, with the request's warn_working_days over them.
bool Params(const Request& req, const ServerConfig& config, leads::PartyParams* out,
            Response* err) {
  auto p = leads::LoadPartyParams(config.settings_path);
  if (!p.ok()) {
    *err = Api::FromStatus(p.status());
    return false;
  }
  *out = std::move(p).value();
  return QueryWarnDays(req, &out->warn_working_days, err);
}

// The day judged on, the parameters and the year shown (that day's by default).
bool YearArgs(const Request& req, const ServerConfig& config, CivilDate* as_of, int64_t* year,
              leads::PartyParams* params, Response* err) {
  return QueryAsOfDate(req, config, as_of, err) && Params(req, config, params, err) &&
         QueryInt(req, "year", 2000, 2100, as_of->year, year, err);
}

// A branch not found (403 for a scoped user), or the error that stopped its look-up.
Response BranchLookupFailed(const Principal& user, const Status& s, const std::string& id) {
  return LookupFailed(user, s, "没有支部 " + id, "no branch " + id);
}

// An optional whole number member.
bool GetCount(const json& o, const char* field, std::optional<int64_t>* out, Response* err) {
  auto it = o.find(field);
  if (it == o.end() || it->is_null()) return true;
  if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 1000000) {
    *err = Api::Error(400, "wrong_type", std::string("字段 ") + field + " 应为非负整数",
                      std::string("field ") + field + " must be a whole number ≥ 0", field);
    return false;
  }
  *out = it->get<int64_t>();
  return true;
}

// An optional string member: absent stays unset.
bool GetOptString(const json& o, const char* field, size_t max, std::optional<std::string>* out,
                  Response* err) {
  if (!o.contains(field) || o[field].is_null()) return true;
  std::string v;
  if (!GetString(o, field, false, max, &v, err)) return false;
  *out = v;
  return true;
}

// The field a registry error is about, for the form.
std::string FieldOf(const Status& s) {
  const std::string& m = s.message();
  for (const char* f : {"branch_id", "region_code", "set_up_on", "dissolved_on", "status", "voting",
                        "name", "held_on", "attendees", "kind", "meeting_id"}) {
    if (m.find(f) != std::string::npos) {
      return std::string(f) == "voting" ? "voting_members" : f;
    }
  }
  if (m.find("branch") != std::string::npos) return "branch_id";
  return "";
}

constexpr std::initializer_list<const char*> kBranchFields = {
    "branch_id", "name",           "org",       "region_code", "secretary",
    "members",   "voting_members", "set_up_on", "status",      "dissolved_on"};

bool ReadBranchFields(const json& body, leads::BranchUpdate* u, Response* err) {
  return GetOptString(body, "name", 200, &u->name, err) &&
         GetOptString(body, "org", 200, &u->org, err) &&
         GetOptString(body, "region_code", 6, &u->region_code, err) &&
         GetOptString(body, "secretary", 100, &u->secretary, err) &&
         GetOptString(body, "set_up_on", 20, &u->set_up_on, err) &&
         GetOptString(body, "status", 20, &u->status, err) &&
         GetOptString(body, "dissolved_on", 20, &u->dissolved_on, err) &&
         GetCount(body, "members", &u->members, err) &&
         GetCount(body, "voting_members", &u->voting_members, err);
}

}  // namespace

Response Api::PartyBranchesRoute(Ctx& c) {
  Response err;
  int64_t limit = 0, offset = 0;
  if (!QueryLimitOffset(c.req, 5000, 500, &limit, &offset, &err)) return err;
  const std::string org = c.req.Query("org"), region = c.req.Query("region"),
                    status = c.req.Query("status"), registered = c.req.Query("registered"),
                    q = c.req.Query("q");
  if (!status.empty() && status != "active" && status != "dissolved") {
    return Error(400, "bad_parameter", "参数 status 应为 active 或 dissolved",
                 "parameter status must be active or dissolved", "status");
  }
  if (!registered.empty() && registered != "1" && registered != "0") {
    return Error(400, "bad_parameter", "参数 registered 应为 1 或 0",
                 "parameter registered must be 1 or 0", "registered");
  }
  auto list = leads::ListBranches(c.db(), VisibleTo(c.user));
  if (!list.ok()) return FromStatus(list.status());
  json items = json::array();
  int64_t total = 0, unregistered = 0;
  for (const auto& b : *list) {
    if (!org.empty() && b.org.find(org) == std::string::npos) continue;
    if (!region.empty() && !b.region_code.starts_with(RegionPrefix(region))) continue;
    if (!status.empty() && b.status != status) continue;
    if (!registered.empty() && b.registered != (registered == "1")) continue;
    if (!q.empty() && b.branch_id.find(q) == std::string::npos &&
        b.name.find(q) == std::string::npos) {
      continue;
    }
    unregistered += b.registered ? 0 : 1;
    if (total >= offset && total < offset + limit) items.push_back(BranchJson(b));
    ++total;
  }
  return Json(200, {{"items", items}, {"total", total}, {"unregistered", unregistered}});
}

Response Api::PartyCreateBranchRoute(Ctx& c) {
  json body;
  Response err;
  leads::Branch b;
  leads::BranchUpdate u;
  if (!ParseObject(c.req, &body, &err) || !OnlyKnownFields(body, kBranchFields, &err) ||
      !GetString(body, "branch_id", true, 32, &b.branch_id, &err) ||
      !ReadBranchFields(body, &u, &err)) {
    return err;
  }
  b.name = u.name.value_or("");
  b.org = u.org.value_or("");
  b.region_code = u.region_code.value_or("");
  b.secretary = u.secretary.value_or("");
  b.set_up_on = u.set_up_on.value_or("");
  b.status = u.status.value_or("active");
  b.dissolved_on = u.dissolved_on.value_or("");
  b.members = u.members.value_or(0);
  b.voting_members = u.voting_members.value_or(0);
  // A scoped user registers only what they will see (the region inferred from
  // the organisation when not given, as the registry would).
  if (b.region_code.empty() && !b.org.empty()) {
    leads::ScopeResolver scope(c.db());
    if (Status s = scope.Init(); !s.ok()) return FromStatus(s);
    b.region_code = scope.RegionOfOrg(b.org);
  }
  if (!Visible(c.user, b)) return Forbidden();
  auto added = leads::AddBranch(c.db(), b, Actor(c.user));
  if (!added.ok()) return FromStatus(added.status(), FieldOf(added.status()));
  return Json(201, BranchJson(*added));
}

Response Api::PartyUpdateBranchRoute(Ctx& c) {
  const std::string id = c.params["id"];
  auto existing = leads::GetBranch(c.db(), id);
  if (!existing.ok()) return BranchLookupFailed(c.user, existing.status(), id);
  if (!Visible(c.user, *existing)) return Forbidden();
  if (!existing->registered) {
    return Error(404, "not_registered", "支部 " + id + " 尚未登记，请先登记",
                 "branch " + id + " is not registered; register it first");
  }
  json body;
  Response err;
  leads::BranchUpdate u;
  if (!ParseObject(c.req, &body, &err) || !OnlyKnownFields(body, kBranchFields, &err) ||
      !ReadBranchFields(body, &u, &err)) {
    return err;
  }
  if (body.contains("branch_id") && body["branch_id"] != id) {
    return Error(400, "immutable", "支部编号不能修改", "branch_id cannot be changed", "branch_id");
  }
  leads::Branch after = *existing;
  after.org = u.org.value_or(after.org);
  after.region_code = u.region_code.value_or(after.region_code);
  if (!Visible(c.user, after)) return Forbidden();  // not out of one's own scope
  auto updated = leads::UpdateBranch(c.db(), id, u, Actor(c.user));
  if (!updated.ok()) return FromStatus(updated.status(), FieldOf(updated.status()));
  return Json(200, BranchJson(*updated));
}

Response Api::PartyImportBranchesRoute(Ctx& c) {
  auto done = leads::ImportBranches(c.db(), Actor(c.user), VisibleTo(c.user));
  if (!done.ok()) return FromStatus(done.status());
  json items = json::array();
  for (const auto& b : *done) items.push_back(BranchJson(b));
  return Json(200, {{"registered", items.size()}, {"items", items}});
}

Response Api::PartyCalendarRoute(Ctx& c) {
  Response err;
  CivilDate as_of;
  leads::PartyParams params;
  int64_t year = 0;
  if (!YearArgs(c.req, config_, &as_of, &year, &params, &err)) return err;
  const std::string id = c.params["id"];
  auto b = leads::GetBranch(c.db(), id);
  if (!b.ok()) return BranchLookupFailed(c.user, b.status(), id);
  if (!Visible(c.user, *b)) return Forbidden();
  auto cal = leads::BranchCalendar(c.db(), id, static_cast<int>(year), as_of, params);
  if (!cal.ok()) return FromStatus(cal.status());
  return Json(200, CalendarJson(*cal));
}

Response Api::PartyMeetingsRoute(Ctx& c) {
  Response err;
  int64_t limit = 0, offset = 0, year = 0;
  if (!QueryLimitOffset(c.req, 1000, 50, &limit, &offset, &err) ||
      !QueryInt(c.req, "year", 0, 2100, 0, &year, &err)) {
    return err;
  }
  leads::MeetingFilter f;
  f.branch_id = c.req.Query("branch");
  f.kind = c.req.Query("kind");
  f.year = static_cast<int>(year);
  if (!f.kind.empty() && !models::FindRequirement(f.kind)) {
    return Error(400, "bad_parameter", "参数 kind 不是会议类型：" + f.kind,
                 "parameter kind is not a meeting kind: " + f.kind, "kind");
  }
  std::set<std::string> visible;
  bool all = !c.user.Scoped();
  if (!f.branch_id.empty()) {
    auto b = leads::GetBranch(c.db(), f.branch_id);
    if (!b.ok() && b.status().code() != Status::Code::kNotFound) return FromStatus(b.status());
    if (c.user.Scoped() && (!b.ok() || !Visible(c.user, *b))) return Forbidden();
    all = true;
  } else if (!all) {
    auto list = leads::ListBranches(c.db(), VisibleTo(c.user));
    if (!list.ok()) return FromStatus(list.status());
    for (const auto& b : *list) visible.insert(b.branch_id);
  }
  auto list = leads::ListMeetings(c.db(), f);
  if (!list.ok()) return FromStatus(list.status());
  json items = json::array();
  int64_t total = 0;
  for (const auto& m : *list) {
    if (!all && !visible.count(m.branch_id)) continue;
    if (total >= offset && total < offset + limit) items.push_back(MeetingJson(m, false));
    ++total;
  }
  return Json(200, {{"items", items}, {"total", total}});
}

Response Api::PartyMeetingRoute(Ctx& c) {
  const std::string id = c.params["id"];
  auto m = leads::GetMeeting(c.db(), id);
  if (!m.ok()) return LookupFailed(c.user, m.status(), "没有会议记录 " + id, "no meeting " + id);
  if (c.user.Scoped()) {
    auto b = leads::GetBranch(c.db(), m->branch_id);
    if (!b.ok() || !Visible(c.user, *b)) return Forbidden();
  }
  return Json(200, MeetingJson(*m, true));
}

Response Api::PartyEnterMeetingRoute(Ctx& c) {
  json body;
  Response err;
  leads::NewMeeting m;
  std::optional<int64_t> attendees, expected;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body,
                       {"meeting_id", "branch_id", "branch_name", "kind", "held_on", "attendees",
                        "expected", "topic", "minutes_text"},
                       &err) ||
      !GetString(body, "meeting_id", false, 64, &m.meeting_id, &err) ||
      !GetString(body, "branch_id", true, 32, &m.branch_id, &err) ||
      !GetString(body, "branch_name", false, 200, &m.branch_name, &err) ||
      !GetString(body, "kind", true, 20, &m.kind, &err) ||
      !GetString(body, "held_on", true, 20, &m.held_on, &err) ||
      !GetString(body, "topic", false, 500, &m.topic, &err) ||
      !GetString(body, "minutes_text", false, 200000, &m.minutes_text, &err) ||
      !GetCount(body, "attendees", &attendees, &err) ||
      !GetCount(body, "expected", &expected, &err)) {
    return err;
  }
  m.attendees = attendees.value_or(-1);
  m.expected = expected.value_or(-1);
  auto b = leads::GetBranch(c.db(), m.branch_id);
  if (b.ok() && !Visible(c.user, *b)) return Forbidden();
  if (!b.ok() && b.status().code() == Status::Code::kNotFound && c.user.Scoped()) {
    return Forbidden();
  }
  // Checked here for an immediate answer naming the field; checked again (and
  // the id generated) on the writer's thread, where entries are serialised.
  leads::NewMeeting check = m;
  if (Status s = leads::ValidateMeeting(c.db(), &check, TodayShanghai()); !s.ok()) {
    return FromStatus(s, FieldOf(s));
  }
  const std::string user = Actor(c.user);
  int64_t job_id = SubmitEntryJob(
      c, "meeting", {{"branch_id", m.branch_id}, {"kind", m.kind}}, "meeting",
      [m, user](Store* store, const std::string& work) -> Result<json> {
        QF_ASSIGN_OR_RETURN(leads::Meeting done, leads::EnterMeeting(store, m, work, user));
        return MeetingJson(done, true);
      });
  Job job;
  if (!AwaitEntryJob(job_id, FieldOf,
                     {{"message", "录入排队中，稍后在会议列表查看"},
                      {"message_en", "queued behind other imports; see the meeting list later"}},
                     &job, &err)) {
    return err;
  }
  return Json(201, job.result);
}

Response Api::PartyWarningsRoute(Ctx& c) {
  Response err;
  CivilDate as_of;
  leads::PartyParams params;
  int64_t limit = 0, offset = 0;
  if (!QueryAsOfDate(c.req, config_, &as_of, &err) || !Params(c.req, config_, &params, &err) ||
      !QueryLimitOffset(c.req, 5000, 200, &limit, &offset, &err)) {
    return err;
  }
  const std::string status = c.req.Query("status"), kind = c.req.Query("kind"),
                    org = c.req.Query("org");
  if (!status.empty() && status != "missed" && status != "at_risk") {
    return Error(400, "bad_parameter", "参数 status 应为 missed 或 at_risk",
                 "parameter status must be missed or at_risk", "status");
  }
  auto list = leads::PartyWarnings(c.db(), as_of, params, VisibleTo(c.user));
  if (!list.ok()) return FromStatus(list.status());
  json items = json::array();
  int64_t total = 0, at_risk = 0, missed = 0;
  for (const auto& w : *list) {
    std::string st = leads::CellStatusName(w.status);
    if (!status.empty() && st != status) continue;
    if (!kind.empty() && w.kind != kind) continue;
    if (!org.empty() && w.org.find(org) == std::string::npos) continue;
    (w.status == leads::CellStatus::kAtRisk ? at_risk : missed) += 1;
    if (total >= offset && total < offset + limit) {
      items.push_back({{"branch_id", w.branch_id},
                       {"branch_name", w.branch_name},
                       {"org", w.org},
                       {"region_code", w.region_code},
                       {"registered", w.registered},
                       {"kind", w.kind},
                       {"period", w.period},
                       {"label", w.label},
                       {"start", w.start},
                       {"end", w.end},
                       {"status", st},
                       {"status_zh", leads::CellStatusZh(w.status)},
                       {"required", w.required},
                       {"held", w.held},
                       {"no_quorum", w.no_quorum},
                       {"working_days_left",
                        w.working_days_left < 0 ? json(nullptr) : json(w.working_days_left)}});
    }
    ++total;
  }
  return Json(200, {{"as_of", FormatDate(as_of)},
                    {"year", as_of.year},
                    {"warn_working_days", params.warn_working_days},
                    {"items", items},
                    {"total", total},
                    {"at_risk", at_risk},
                    {"missed", missed}});
}

Response Api::PartySummaryRoute(Ctx& c) {
  Response err;
  CivilDate as_of;
  leads::PartyParams params;
  int64_t year = 0;
  if (!YearArgs(c.req, config_, &as_of, &year, &params, &err)) return err;
  auto list = leads::PartySummary(c.db(), static_cast<int>(year), as_of, params, VisibleTo(c.user));
  if (!list.ok()) return FromStatus(list.status());
  json items = json::array();
  leads::OrgSummary all;
  for (const auto& s : *list) {
    items.push_back({{"org", s.org},
                     {"branches", s.branches},
                     {"due", s.due},
                     {"met", s.met},
                     {"missed", s.missed},
                     {"at_risk", s.at_risk},
                     {"no_quorum", s.no_quorum},
                     {"rate", s.rate}});
    all.branches += s.branches;
    all.due += s.due;
    all.met += s.met;
    all.missed += s.missed;
    all.at_risk += s.at_risk;
    all.no_quorum += s.no_quorum;
  }
  return Json(200, {{"year", year},
                    {"as_of", FormatDate(as_of)},
                    {"items", items},
                    {"total",
                     {{"branches", all.branches},
                      {"due", all.due},
                      {"met", all.met},
                      {"missed", all.missed},
                      {"at_risk", all.at_risk},
                      {"no_quorum", all.no_quorum},
                      {"rate", all.due > 0 ? static_cast<double>(all.met) / all.due : 0.0}}}});
}

}  // namespace qf::server
