// 12345 督查督办 (src/leads/hotline.h): the board of hotline orders with their
// time-limit clocks, one order with its trail, notices and related leads,
// registration and handling steps (written through the importer, as jobs on
// the writer's thread), 催办/督办 notices by hand or by the sweep, and the
// departments' monthly metrics. Scoped users see the orders of their regions
// (and organisations) only; caller identifiers are masked unless the user may
// unmask (each unmasked view a ledger action).
#include <nlohmann/json.hpp>

#include "ingest/value.h"
#include "leads/hotline.h"
#include "server/api.h"
#include "server/api_util.h"

namespace qf::server {

using nlohmann::json;

namespace {

// A scoped user sees an order in their regions handled by (or assigned to) their organisations.
leads::OrderVisible VisibleTo(const Principal& p) {
  if (!p.Scoped()) return nullptr;
  return [p](std::string_view org, std::string_view assigned, std::string_view region) {
    return RegionInScope(p, region) && (OrgInScope(p, org) || OrgInScope(p, assigned));
  };
}

bool Visible(const Principal& p, const leads::BoardItem& it) {
  auto v = VisibleTo(p);
  return !v || v(it.org, it.assigned_org, it.region_code);
}

// A caller identifier is a hash, but still identifies a person across orders.
std::string MaskCaller(const std::string& h) {
  if (h.empty()) return "";
  return h.substr(0, std::min<size_t>(4, h.size())) + "************";
}

json Rate(const std::optional<double>& r) { return r ? json(*r) : json(nullptr); }

json ItemJson(const leads::BoardItem& it, bool unmask) {
  return {{"id", it.id},
          {"received_at", it.received_at},
          {"channel", it.channel},
          {"category", it.category},
          {"region_code", it.region_code},
          {"assigned_org", it.assigned_org},
          {"org", it.org},
          {"state", leads::StateName(it.state)},
          {"state_zh", leads::StateZh(it.state)},
          {"open", it.open},
          {"limit_days", it.limit},
          {"extension_days", it.extension_days},
          {"deadline", Nullable(it.deadline)},
          {"days_left",
           it.open && !it.overdue && !it.deadline.empty() ? json(it.days_left) : json(nullptr)},
          {"overdue_days", it.overdue || it.closed_late ? json(it.overdue_days) : json(nullptr)},
          {"overdue", it.overdue},
          {"due_soon", it.due_soon},
          {"closed_late", it.closed_late},
          {"closed_at", Nullable(it.closed_at)},
          {"satisfaction", Nullable(it.satisfaction)},
          {"urged", it.urged},
          {"supervised", it.supervised},
          {"transfers", it.transfers},
          {"redos", it.redos},
          {"caller", unmask ? Nullable(it.caller_hash) : Nullable(MaskCaller(it.caller_hash))}};
}

json NoticeJson(const leads::Notice& n) {
  return {{"id", n.id},
          {"complaint_id", n.complaint_id},
          {"kind", n.kind},
          {"kind_zh", leads::NoticeKindZh(n.kind)},
          {"deadline", n.deadline},
          {"as_of", n.as_of},
          {"issued_at", n.issued_at},
          {"issued_by", n.issued_by},
          {"org", n.org},
          {"region_code", n.region_code},
          {"note", n.note}};
}

json DetailJson(const leads::OrderDetail& d, const Principal& user, bool unmask) {
  json j = ItemJson(d.item, unmask);
  j["content"] = d.order.content;
  j["status"] = d.order.status;
  j["base_deadline"] = Nullable(d.base_deadline);
  j["caller_orders"] = d.caller_orders;
  json events = json::array();
  for (const auto& e : d.order.events) {
    events.push_back({{"at", e.at},
                      {"action", e.action},
                      {"from_org", e.from_org},
                      {"to_org", e.to_org},
                      {"note", e.note}});
  }
  j["events"] = events;
  json notices = json::array();
  for (const auto& n : d.notices) notices.push_back(NoticeJson(n));
  j["notices"] = notices;
  json leads = json::array();
  for (const auto& l : d.leads) {
    if (user.Scoped() && !InScope(user, l.org, l.region_code)) continue;
    leads.push_back({{"id", l.id},
                     {"model", l.model},
                     {"summary", l.summary},
                     {"status", l.status},
                     {"score", l.score}});
  }
  j["leads"] = leads;
  j["actions"] = leads::AllowedActions(d.item.state);
  return j;
}

// The settings' time limits (the complaints models' parameters).
bool Limits(const ServerConfig& config, models::ClockLimits* out, Response* err) {
  auto l = leads::HotlineLimits(config.settings_path);
  if (!l.ok()) {
    *err = Api::FromStatus(l.status());
    return false;
  }
  *out = *l;
  return true;
}

// The later of `as_of` and the order's last step: an order just registered or
// handled is shown with that step even when the server replays an earlier day.
CivilDate AtLeastLastStep(const CivilDate& as_of, const leads::Order& o) {
  std::string last = o.received_at;
  for (const auto& e : o.events) last = std::max(last, e.at);
  auto d = ParseDate(last.substr(0, 10));
  if (!d) return as_of;
  return DaysFromCivil(d->year, d->month, d->day) >
                 DaysFromCivil(as_of.year, as_of.month, as_of.day)
             ? *d
             : as_of;
}

// An order not found (403 for a scoped user), or the error that stopped its look-up.
Response OrderLookupFailed(const Principal& user, const Status& s, const std::string& id) {
  return LookupFailed(user, s, "没有工单 " + id, "no order " + id);
}

// Which field an error is about, from its English text.
std::string FieldOf(const Status& s) {
  static const char* kFields[] = {"received_at", "channel",     "category", "region_code",
                                  "content",     "caller_hash", "to_org",   "satisfaction",
                                  "approval",    "days",        "note",     "complaint_id"};
  for (const char* f : kFields) {
    if (s.message().find(f) != std::string::npos) return f;
  }
  if (s.message().rfind("at ", 0) == 0) return "at";
  return "";
}

}  // namespace

Response Api::HotlineBoardRoute(Ctx& c) {
  Response err;
  CivilDate as_of;
  models::ClockLimits limits;
  int64_t page = 1, page_size = 20;
  bool urged = false, supervised = false;
  if (!QueryAsOfDate(c.req, config_, &as_of, &err) || !Limits(config_, &limits, &err) ||
      !QueryPage(c.req, 1000000, 500, 20, &page, &page_size, &err) ||
      !QueryFlag(c.req, "urged", &urged, &err) ||
      !QueryFlag(c.req, "supervised", &supervised, &err)) {
    return err;
  }
  bool unmask = false;
  if (!WantsUnmasked(c, &unmask, &err)) return err;
  leads::BoardFilter f;
  f.state = c.req.Query("state");
  f.org = c.req.Query("org");
  f.region_prefix = c.req.Query("region");
  f.category = c.req.Query("category");
  f.clock = c.req.Query("clock");
  f.text = c.req.Query("q");
  f.urged = urged;
  f.supervised = supervised;
  f.visible = VisibleTo(c.user);
  f.limit = page_size;
  f.offset = (page - 1) * page_size;
  auto b = leads::LoadBoard(c.db(), as_of, f, limits);
  if (!b.ok()) {
    std::string field = b.status().message().rfind("clock", 0) == 0 ? "clock" : "state";
    return FromStatus(b.status(), field);
  }
  if (unmask) {
    Status s = Audit(c, "view_unmasked", "hotline:board", {{"as_of", b->as_of}, {"page", page}});
    if (!s.ok()) return FromStatus(s);
  }
  json items = json::array();
  for (const auto& it : b->items) items.push_back(ItemJson(it, unmask));
  json states = json::array();
  for (int i = 0; i < leads::kOrderStateCount; ++i) {
    auto s = static_cast<leads::OrderState>(i);
    states.push_back({{"state", leads::StateName(s)},
                      {"zh", leads::StateZh(s)},
                      {"count", b->counts[leads::StateName(s)]}});
  }
  return Json(200, {{"as_of", b->as_of},
                    {"total", b->total},
                    {"page", page},
                    {"page_size", page_size},
                    {"open", b->open},
                    {"overdue", b->overdue},
                    {"due_soon", b->due_soon},
                    {"states", states},
                    {"items", items}});
}

Response Api::HotlineOrderRoute(Ctx& c) {
  Response err;
  CivilDate as_of;
  models::ClockLimits limits;
  bool unmask = false;
  if (!QueryAsOfDate(c.req, config_, &as_of, &err) || !Limits(config_, &limits, &err) ||
      !WantsUnmasked(c, &unmask, &err)) {
    return err;
  }
  const std::string id = c.params["id"];
  auto d = leads::GetOrderDetail(c.db(), id, as_of, limits, VisibleTo(c.user));
  if (!d.ok()) return OrderLookupFailed(c.user, d.status(), id);
  if (!Visible(c.user, d->item)) return Forbidden();
  if (unmask) {
    Status s = Audit(c, "view_unmasked", "complaint:" + id, json::object());
    if (!s.ok()) return FromStatus(s);
  }
  json j = DetailJson(*d, c.user, unmask);
  j["as_of"] = FormatDate(as_of);
  return Json(200, j);
}

Response Api::HotlineRegisterRoute(Ctx& c) {
  json body;
  Response err;
  leads::NewOrder o;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body,
                       {"complaint_id", "received_at", "channel", "category", "region_code",
                        "content", "caller_hash", "assigned_org"},
                       &err) ||
      !GetString(body, "complaint_id", false, 64, &o.id, &err) ||
      !GetString(body, "received_at", false, 19, &o.received_at, &err) ||
      !GetString(body, "channel", false, 20, &o.channel, &err) ||
      !GetString(body, "category", true, 20, &o.category, &err) ||
      !GetString(body, "region_code", true, 6, &o.region_code, &err) ||
      !GetString(body, "content", true, 8000, &o.content, &err) ||
      !GetString(body, "caller_hash", false, 64, &o.caller_hash, &err) ||
      !GetString(body, "assigned_org", false, 200, &o.assigned_org, &err)) {
    return err;
  }
  if (c.user.Scoped() && !InScope(c.user, o.assigned_org, o.region_code) &&
      !(c.user.orgs.empty() && RegionInScope(c.user, o.region_code))) {
    return Forbidden();
  }
  // Checked here for an immediate answer naming the field; again on the
  // writer's thread, where entries are serialised (and the id generated).
  leads::NewOrder check = o;
  if (Status s = leads::ValidateNewOrder(c.db(), &check); !s.ok()) {
    return FromStatus(s, FieldOf(s));
  }
  CivilDate as_of;
  models::ClockLimits limits;
  if (!QueryAsOfDate(c.req, config_, &as_of, &err) || !Limits(config_, &limits, &err)) return err;
  const std::string user = Actor(c.user);
  int64_t job_id = SubmitEntryJob(c, "hotline", {{"action", "register"}}, "hotline",
                                  [o, user](Store* store, const std::string& work) -> Result<json> {
                                    QF_ASSIGN_OR_RETURN(std::string id,
                                                        leads::RegisterOrder(store, o, work, user));
                                    return json{{"id", id}};
                                  });
  Job job;
  if (!AwaitEntryJob(job_id, FieldOf,
                     {{"message", "登记排队中，稍后在看板查看"},
                      {"message_en", "queued behind other imports; see the board later"}},
                     &job, &err)) {
    return err;
  }
  const std::string id = job.result["id"];
  auto order = leads::LoadOrder(c.db(), id);
  if (!order.ok()) return FromStatus(order.status());
  auto d =
      leads::GetOrderDetail(c.db(), id, AtLeastLastStep(as_of, *order), limits, VisibleTo(c.user));
  if (!d.ok()) return FromStatus(d.status());
  return Json(201, DetailJson(*d, c.user, false));
}

Response Api::HotlineActionRoute(Ctx& c) {
  json body;
  Response err;
  leads::OrderAction a;
  CivilDate as_of;
  models::ClockLimits limits;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(
          body, {"action", "at", "to_org", "note", "days", "approved", "approval", "satisfaction"},
          &err) ||
      !GetString(body, "action", true, 20, &a.action, &err) ||
      !GetString(body, "at", false, 19, &a.at, &err) ||
      !GetString(body, "to_org", false, 200, &a.to_org, &err) ||
      !GetString(body, "note", false, 4000, &a.note, &err) ||
      !GetString(body, "approval", false, 1000, &a.approval, &err) ||
      !GetString(body, "satisfaction", false, 20, &a.satisfaction, &err) ||
      !QueryAsOfDate(c.req, config_, &as_of, &err) || !Limits(config_, &limits, &err)) {
    return err;
  }
  bool present = false;
  if (!GetBool(body, "approved", &present, &a.approved, &err)) return err;
  if (auto it = body.find("days"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 366) {
      return Error(400, "wrong_type", "字段 days 应为工作日天数（整数）",
                   "field days must be a whole number of working days", "days");
    }
    a.days = it->get<int>();
  }
  const std::string id = c.params["id"];
  auto order = leads::LoadOrder(c.db(), id);
  if (!order.ok()) return OrderLookupFailed(c.user, order.status(), id);
  const CivilDate today = AtLeastLastStep(TodayShanghai(), *order);
  leads::BoardItem now_item =
      leads::JudgeOrder(*order, DaysFromCivil(today.year, today.month, today.day), limits);
  if (!Visible(c.user, now_item)) return Forbidden();
  if (auto p = leads::PlanAction(*order, a, limits, NowShanghai()); !p.ok()) {
    return FromStatus(p.status(), FieldOf(p.status()));
  }
  const std::string user = Actor(c.user);
  int64_t job_id = SubmitEntryJob(
      c, "hotline", {{"action", a.action}, {"complaint_id", id}}, "hotline",
      [id, a, limits, user](Store* store, const std::string& work) -> Result<json> {
        QF_RETURN_IF_ERROR(leads::ApplyAction(store, id, a, limits, work, user).status());
        return json{{"id", id}};
      });
  Job job;
  if (!AwaitEntryJob(job_id, FieldOf,
                     {{"message", "办理记录排队中，稍后查看"},
                      {"message_en", "queued behind other imports; look again later"}},
                     &job, &err)) {
    return err;
  }
  auto after = leads::LoadOrder(c.db(), id);
  if (!after.ok()) return FromStatus(after.status());
  auto d =
      leads::GetOrderDetail(c.db(), id, AtLeastLastStep(as_of, *after), limits, VisibleTo(c.user));
  if (!d.ok()) return FromStatus(d.status());
  return Json(200, DetailJson(*d, c.user, false));
}

Response Api::HotlineNoticeRoute(Ctx& c) {
  json body;
  Response err;
  std::string kind, note;
  CivilDate as_of;
  models::ClockLimits limits;
  if (!ParseObject(c.req, &body, &err) || !OnlyKnownFields(body, {"kind", "note"}, &err) ||
      !GetString(body, "kind", true, 20, &kind, &err) ||
      !GetString(body, "note", false, 2000, &note, &err) ||
      !QueryAsOfDate(c.req, config_, &as_of, &err) || !Limits(config_, &limits, &err)) {
    return err;
  }
  // 督办 is a supervisory act (leaders); 催办 may come from whoever handles orders too.
  const bool supervise = kind == "supervise" || kind == "督办";
  if (supervise ? !c.user.Can(kApprove) : !(c.user.Can(kApprove) || c.user.Can(kProcess))) {
    return Forbidden();
  }
  const std::string id = c.params["id"];
  auto order = leads::LoadOrder(c.db(), id);
  if (!order.ok()) return OrderLookupFailed(c.user, order.status(), id);
  const CivilDate day = AtLeastLastStep(as_of, *order);
  if (!Visible(c.user,
               leads::JudgeOrder(*order, DaysFromCivil(day.year, day.month, day.day), limits))) {
    return Forbidden();
  }
  auto n = leads::IssueNotice(c.db(), id, kind, note, day, limits, Actor(c.user), config_.as_of);
  if (!n.ok()) {
    if (n.status().message().find("already issued") != std::string::npos) {
      return Error(409, "already_issued", n.status().message_zh(), n.status().message());
    }
    const std::string& m = n.status().message();
    return FromStatus(n.status(), m.rfind("kind", 0) == 0    ? "kind"
                                  : m.rfind("as_of", 0) == 0 ? "as_of"
                                                             : "");
  }
  return Json(201, NoticeJson(*n));
}

Response Api::HotlineNoticesRoute(Ctx& c) {
  Response err;
  int64_t page = 1, page_size = 50;
  if (!QueryPage(c.req, 1000000, 500, 50, &page, &page_size, &err)) return err;
  leads::NoticeFilter f;
  f.complaint_id = c.req.Query("complaint_id");
  f.kind = c.req.Query("kind");
  f.org = c.req.Query("org");
  f.from = c.req.Query("from");
  f.to = c.req.Query("to");
  if (!f.kind.empty() && f.kind != "urge" && f.kind != "supervise") {
    return Error(400, "bad_parameter", "参数 kind 应为 urge 或 supervise",
                 "parameter kind must be urge or supervise", "kind");
  }
  for (const char* p : {"from", "to"}) {
    std::string v = c.req.Query(p);
    if (!v.empty() && !ParseDate(v)) {
      return Error(400, "bad_parameter", std::string("参数 ") + p + " 应为日期 YYYY-MM-DD",
                   std::string("parameter ") + p + " must be a date YYYY-MM-DD", p);
    }
  }
  f.visible = VisibleTo(c.user);
  f.limit = page_size;
  f.offset = (page - 1) * page_size;
  int64_t total = 0;
  auto list = leads::ListNotices(c.db(), f, &total);
  if (!list.ok()) return FromStatus(list.status());
  json items = json::array();
  for (const auto& n : *list) items.push_back(NoticeJson(n));
  return Json(200, {{"items", items}, {"total", total}, {"page", page}, {"page_size", page_size}});
}

Response Api::HotlineSweepRoute(Ctx& c) {
  Response err;
  json body = json::object();
  std::string as_of_text;
  if (!c.req.body.empty() &&
      (!ParseObject(c.req, &body, &err) || !OnlyKnownFields(body, {"as_of"}, &err) ||
       !GetString(body, "as_of", false, 10, &as_of_text, &err))) {
    return err;
  }
  CivilDate as_of;
  models::ClockLimits limits;
  if (!QueryAsOfDate(c.req, config_, &as_of, &err) || !Limits(config_, &limits, &err)) return err;
  if (!as_of_text.empty()) {
    auto d = ParseDate(as_of_text);
    if (!d) {
      return Error(400, "bad_parameter", "as_of 应为日期 YYYY-MM-DD",
                   "as_of must be a date YYYY-MM-DD", "as_of");
    }
    as_of = *d;
  }
  // The sweep covers every order (notices are the office's, whoever asks);
  // a scoped leader sees only their own in the answer.
  // A future day is refused (but the settings' replay day is allowed).
  auto r = leads::Sweep(c.db(), as_of, limits, Actor(c.user), config_.as_of);
  if (!r.ok()) {
    return FromStatus(r.status(), r.status().message().rfind("as_of", 0) == 0 ? "as_of" : "");
  }
  json issued = json::array();
  auto visible = VisibleTo(c.user);
  for (const auto& n : r->issued) {
    if (visible && !visible(n.org, n.org, n.region_code)) continue;
    issued.push_back(NoticeJson(n));
  }
  return Json(200, {{"as_of", r->as_of},
                    {"urged", r->urged},
                    {"supervised", r->supervised},
                    {"already", r->already},
                    {"issued", issued}});
}

Response Api::HotlineMetricsRoute(Ctx& c) {
  Response err;
  CivilDate as_of;
  models::ClockLimits limits;
  int64_t repeat_days = 30, min_orders = 5;
  if (!QueryAsOfDate(c.req, config_, &as_of, &err) || !Limits(config_, &limits, &err) ||
      !QueryInt(c.req, "repeat_days", 1, 365, 30, &repeat_days, &err) ||
      !QueryInt(c.req, "min_orders", 1, 100000, 5, &min_orders, &err)) {
    return err;
  }
  leads::MetricsParams p;
  p.repeat_days = static_cast<int>(repeat_days);
  p.min_orders = static_cast<int>(min_orders);
  p.visible = VisibleTo(c.user);
  const std::string month = c.req.Query("month");
  if (!month.empty()) {
    if (Status s = leads::MonthRange(month, &p.from, &p.to); !s.ok()) {
      return FromStatus(s, "month");
    }
  } else if (c.req.HasQuery("from") || c.req.HasQuery("to")) {
    p.from = c.req.Query("from");
    p.to = c.req.Query("to");
    if (!ParseDate(p.from) || !ParseDate(p.to)) {
      return Error(400, "bad_parameter", "参数 from、to 应为日期 YYYY-MM-DD",
                   "parameters from and to must be dates YYYY-MM-DD", "from");
    }
  } else {
    // The month of the day judged on.
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", as_of.year, as_of.month);
    if (Status s = leads::MonthRange(buf, &p.from, &p.to); !s.ok()) return FromStatus(s);
  }
  auto m = leads::ComputeMetrics(c.db(), as_of, p, limits);
  if (!m.ok()) return FromStatus(m.status(), "from");
  auto dept = [](const leads::DeptMetrics& d) {
    return json{{"org", d.org},
                {"received", d.received},
                {"closed", d.closed},
                {"on_time", d.on_time},
                {"overdue_open", d.overdue_open},
                {"rated", d.rated},
                {"satisfied", d.satisfied},
                {"repeats", d.repeats},
                {"dispatched", d.dispatched},
                {"responded", d.responded},
                {"on_time_rate", Rate(d.on_time_rate)},
                {"satisfaction_rate", Rate(d.satisfaction_rate)},
                {"repeat_rate", Rate(d.repeat_rate)},
                {"response_rate", Rate(d.response_rate)},
                {"rank", d.rank > 0 ? json(d.rank) : json(nullptr)}};
  };
  json depts = json::array();
  for (const auto& d : m->depts) depts.push_back(dept(d));
  return Json(200, {{"from", m->from},
                    {"to", m->to},
                    {"as_of", m->as_of},
                    {"repeat_days", m->repeat_days},
                    {"min_orders", m->min_orders},
                    {"ranked", m->ranked},
                    {"departments", depts},
                    {"total", dept(m->total)}});
}

}  // namespace qf::server
