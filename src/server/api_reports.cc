// Complaints and reports (投诉、举报): the public portal's two routes — submit,
// and follow up with the receipt code — and the office's list, reading,
// handling and turning a report into a lead. The public routes take no session
// and see no network address (only the transport's keyed hash of it, for the
// in-memory rate limits); every reading of sealed text is a ledger action.
#include <nlohmann/json.hpp>

#include "common/time.h"
#include "leads/lead_store.h"
#include "leads/reports.h"
#include "ledger/checkpoint.h"
#include "server/api.h"
#include "server/api_util.h"

namespace qf::server {

using nlohmann::json;

namespace {

json SummaryJson(const leads::ReportSummary& s) {
  return {{"id", s.lookup_id},
          {"number", s.id},
          {"kind", s.kind},
          {"kind_zh", leads::LabelZh(leads::ReportKinds(), s.kind)},
          {"channel", s.channel},
          {"channel_zh", leads::LabelZh(leads::ReportChannels(), s.channel)},
          {"category", s.category},
          {"region_code", s.region_code.empty() ? json(nullptr) : json(s.region_code)},
          {"anonymous", s.anonymous},
          {"attachments", s.attachment_count},
          {"status", s.status},
          {"status_zh", leads::LabelZh(leads::ReportStatuses(), s.status)},
          {"reply", s.reply},
          {"lead", s.lead_id ? json(leads::LeadCode(s.lead_id)) : json(nullptr)},
          {"created_at", s.created_at},
          {"updated_at", s.updated_at}};
}

}  // namespace

// ---------------------------------------------------------------------------
// Public routes

namespace {

Response TooMany(int window_seconds) {
  Response r = Api::Error(429, "rate_limited", "提交或查询过于频繁，请稍后再试",
                          "too many requests; try again later");
  r.headers.emplace_back("Retry-After", std::to_string(window_seconds));
  return r;
}

// The attachments of a public submission: [{name, mime, data (base64)}].
bool ReadAttachments(const json& body, const leads::ReportLimits& limits,
                     std::vector<leads::ReportFile>* out, Response* err) {
  auto it = body.find("attachments");
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_array() || it->size() > limits.max_attachments) {
    *err = Api::Error(
        400, "wrong_type", "附件应为数组，最多 " + std::to_string(limits.max_attachments) + " 个",
        "attachments must be an array of at most " + std::to_string(limits.max_attachments),
        "attachments");
    return false;
  }
  for (size_t i = 0; i < it->size(); ++i) {
    const json& a = (*it)[i];
    std::string f = "attachments[" + std::to_string(i) + "]";
    if (!a.is_object()) {
      *err = Api::Error(400, "wrong_type", "字段 " + f + " 应为对象",
                        "field " + f + " must be an object", f);
      return false;
    }
    leads::ReportFile file;
    std::string data;
    struct Member {
      const char* name;
      bool required;
      size_t max;
      std::string* out;
    };
    const Member members[] = {{"name", true, 200, &file.name},
                              {"mime", false, 100, &file.mime},
                              {"data", true, (limits.max_attachment_bytes + 2) / 3 * 4, &data}};
    for (auto& [k, v] : a.items()) {
      if (k != "name" && k != "mime" && k != "data") {
        *err = Api::Error(400, "unknown_field", "不认识的字段：" + f + "." + k,
                          "unknown field: " + f + "." + k, f + "." + k);
        return false;
      }
    }
    for (const Member& m : members) {
      std::string mf = f + "." + m.name;
      auto v = a.find(m.name);
      if (v == a.end() || v->is_null()) {
        if (!m.required) continue;
        *err = Api::Error(400, "missing_field", "缺少字段：" + mf, "missing field: " + mf, mf);
        return false;
      }
      if (!v->is_string() || v->get<std::string>().size() > m.max) {
        *err = Api::Error(
            400, "wrong_type",
            "字段 " + mf + " 应为字符串（最多 " + std::to_string(m.max) + " 字节）",
            "field " + mf + " must be a string of at most " + std::to_string(m.max) + " bytes", mf);
        return false;
      }
      *m.out = v->get<std::string>();
    }
    auto bytes = ledger::FromBase64(data);
    if (!bytes.ok()) {
      *err = Api::Error(400, "bad_base64",
                        "附件 " + std::to_string(i + 1) + " 的内容不是有效的 base64",
                        f + ".data is not base64", f + ".data");
      return false;
    }
    file.bytes = std::move(bytes).value();
    out->push_back(std::move(file));
  }
  return true;
}

}  // namespace

Response Api::SubmitReportRoute(Ctx& c) {
  if (!report_limiter_.Allow(leads::ReportRateLimiter::Kind::kSubmit,
                             c.req.Header("x-qf-client-key"), NowUnix())) {
    return TooMany(config_.report_limits.window_seconds);
  }
  const leads::ReportLimits limits;
  json body;
  Response err;
  leads::NewReport r;
  bool has_anonymous = false;
  const size_t max_bytes = limits.max_text_chars * 4;  // UTF-8; characters are counted later
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body,
                       {"kind", "category", "region_code", "target", "content", "anonymous",
                        "contact_name", "contact_phone", "attachments"},
                       &err) ||
      !GetString(body, "kind", true, 16, &r.kind, &err) ||
      !GetString(body, "category", false, 200, &r.category, &err) ||
      !GetString(body, "region_code", false, 6, &r.region_code, &err) ||
      !GetString(body, "target", false, 2000, &r.target, &err) ||
      !GetString(body, "content", true, max_bytes, &r.content, &err) ||
      !GetBool(body, "anonymous", &has_anonymous, &r.anonymous, &err) ||
      !GetString(body, "contact_name", false, 200, &r.contact_name, &err) ||
      !GetString(body, "contact_phone", false, 64, &r.contact_phone, &err) ||
      !ReadAttachments(body, limits, &r.attachments, &err)) {
    return err;
  }
  if (!has_anonymous) r.anonymous = true;  // the safe default for the public
  r.channel = "online";
  std::string field;
  if (Status s = leads::ValidateReport(r, limits, &field); !s.ok()) return FromStatus(s, field);
  auto done = leads::SubmitReport(c.db(), config_.db_path, r, "public", limits);
  if (!done.ok()) return FromStatus(done.status());
  return Json(201,
              {{"receipt", done->receipt},
               {"lookup_id", done->lookup_id},
               {"kind", r.kind},
               {"status", "accepted"},
               {"status_zh", leads::LabelZh(leads::ReportStatuses(), "accepted")},
               {"created_at", done->created_at},
               {"message", "已受理。请妥善保存回执码，凭回执码查询办理情况；回执码遗失无法找回。"},
               {"message_en",
                "Accepted. Keep the receipt code: it is the only way to follow the report "
                "and cannot be recovered."}});
}

Response Api::ReportStatusRoute(Ctx& c) {
  if (!report_limiter_.Allow(leads::ReportRateLimiter::Kind::kLookup,
                             c.req.Header("x-qf-client-key"), NowUnix())) {
    return TooMany(config_.report_limits.window_seconds);
  }
  if (!c.req.HasQuery("receipt") || c.req.Query("receipt").empty()) {
    return Error(400, "missing_parameter", "缺少参数：receipt（回执码）",
                 "missing parameter: receipt", "receipt");
  }
  auto st = leads::LookupReport(c.db(), c.req.Query("receipt"));
  if (!st.ok()) {
    if (st.status().code() != Status::Code::kNotFound) return FromStatus(st.status());
    return Error(404, "not_found", "回执码不正确或不存在，请核对后重试",
                 "no report matches this receipt code", "receipt");
  }
  return Json(200, {{"lookup_id", st->lookup_id},
                    {"kind", st->kind},
                    {"kind_zh", leads::LabelZh(leads::ReportKinds(), st->kind)},
                    {"status", st->status},
                    {"status_zh", leads::LabelZh(leads::ReportStatuses(), st->status)},
                    {"reply", st->reply},
                    {"updated_at", st->updated_at}});
}

// ---------------------------------------------------------------------------
// The office's routes (right `reports`)

Result<leads::ReportSummary> Api::VisibleReport(Ctx& c, Response* denied) {
  const std::string& ref = c.params["id"];
  auto s = leads::FindReport(c.db(), ref);
  if (!s.ok()) {
    if (s.status().code() != Status::Code::kNotFound) {
      *denied = FromStatus(s.status());
    } else {
      *denied = c.user.Scoped()
                    ? Forbidden()
                    : Error(404, "not_found", "没有这条投诉举报：" + ref, "no report " + ref);
    }
    return s.status();
  }
  // Reports belong to a region only; a user limited to organisations sees none.
  if (!InScope(c.user, "", s->region_code)) {
    *denied = Forbidden();
    return Status::NotFound("out of scope");
  }
  return s;
}

Response Api::ListReportsRoute(Ctx& c) {
  leads::ReportFilter f;
  struct Param {
    const char* name;
    std::string* out;
    const std::vector<leads::Label>* allowed;
  };
  const Param params[] = {{"kind", &f.kind, &leads::ReportKinds()},
                          {"status", &f.status, &leads::ReportStatuses()},
                          {"channel", &f.channel, &leads::ReportChannels()},
                          {"category", &f.category, nullptr}};
  for (const Param& p : params) {
    *p.out = c.req.Query(p.name);
    if (p.allowed && !p.out->empty() && !leads::IsOneOf(*p.allowed, *p.out)) {
      std::string known;
      for (const leads::Label& l : *p.allowed)
        known += std::string(known.empty() ? "" : ", ") + l.id;
      return Error(400, "bad_parameter", std::string("参数 ") + p.name + " 应为：" + known,
                   std::string("parameter ") + p.name + " must be one of: " + known, p.name);
    }
  }
  std::string region = c.req.Query("region");
  if (!region.empty()) {
    if (region.size() != 6 || region.find_first_not_of("0123456789") != std::string::npos) {
      return Error(400, "bad_parameter", "参数 region 应为 6 位行政区划代码",
                   "parameter region must be a 6-digit region code", "region");
    }
    if (!InScope(c.user, "", region)) return Forbidden();
    f.region_prefixes = {RegionPrefix(region)};
  } else if (!c.user.orgs.empty()) {
    f.region_prefixes = {"-"};  // no report belongs to an organisation: none match
  } else {
    for (const std::string& r : c.user.regions) f.region_prefixes.push_back(RegionPrefix(r));
  }
  int64_t page = 1, page_size = 20;
  Response err;
  if (!QueryInt(c.req, "page", 1, 1000000, 1, &page, &err) ||
      !QueryInt(c.req, "page_size", 1, 200, 20, &page_size, &err)) {
    return err;
  }
  f.limit = page_size;
  f.offset = (page - 1) * page_size;
  int64_t total = 0;
  auto list = leads::ListReports(c.db(), f, &total);
  if (!list.ok()) return FromStatus(list.status());
  json items = json::array();
  for (const auto& s : *list) items.push_back(SummaryJson(s));
  return Json(200, {{"items", items}, {"page", page}, {"page_size", page_size}, {"total", total}});
}

Response Api::GetReportRoute(Ctx& c) {
  Response denied;
  auto s = VisibleReport(c, &denied);
  if (!s.ok()) return denied;
  auto d = leads::ReadReport(c.db(), config_.db_path, s->id, Actor(c.user));
  if (!d.ok()) return FromStatus(d.status());
  json j = SummaryJson(d->summary);
  j["target"] = d->target;
  j["content"] = d->content;
  j["contact"] = d->summary.anonymous
                     ? json(nullptr)
                     : json{{"name", d->contact_name}, {"phone", d->contact_phone}};
  json files = json::array();
  for (const auto& a : d->attachments) {
    files.push_back(
        {{"n", a.seq}, {"name", a.name}, {"mime", a.mime}, {"size", a.size}, {"sha256", a.sha256}});
  }
  j["files"] = files;
  return Json(200, j);
}

Response Api::ReportActionRoute(Ctx& c) {
  Response denied;
  auto s = VisibleReport(c, &denied);
  if (!s.ok()) return denied;
  json body;
  Response err;
  leads::ReportUpdate u;
  if (!ParseObject(c.req, &body, &err) || !OnlyKnownFields(body, {"status", "reply"}, &err) ||
      !GetString(body, "status", false, 32, &u.status, &err) ||
      !GetString(body, "reply", false, leads::kMaxReplyChars * 4, &u.reply, &err)) {
    return err;
  }
  u.set_reply = body.contains("reply") && !body["reply"].is_null();
  std::string field;
  if (Status v = leads::ValidateReportUpdate(u, &field); !v.ok()) return FromStatus(v, field);
  auto done = leads::UpdateReport(c.db(), s->id, u, Actor(c.user));
  if (!done.ok()) return FromStatus(done.status(), "status");
  return Json(200, SummaryJson(*done));
}

Response Api::ReportLeadRoute(Ctx& c) {
  Response denied;
  auto s = VisibleReport(c, &denied);
  if (!s.ok()) return denied;
  json body = json::object();
  Response err;
  if (!c.req.body.empty() &&
      (!ParseObject(c.req, &body, &err) || !OnlyKnownFields(body, {"score"}, &err))) {
    return err;
  }
  int score = 50;
  if (body.contains("score") && !body["score"].is_null()) {
    const json& v = body["score"];
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 100) {
      return Error(400, "bad_field", "字段 score 应为 0 到 100 之间的整数",
                   "field score must be a whole number from 0 to 100", "score");
    }
    score = static_cast<int>(v.get<int64_t>());
  }
  bool created = false;
  auto lead = leads::ReportToLead(c.db(), s->id, Actor(c.user), score, &created);
  if (!lead.ok()) return FromStatus(lead.status());
  auto now = leads::FindReport(c.db(), std::to_string(s->id));
  if (!now.ok()) return FromStatus(now.status());
  return Json(
      created ? 201 : 200,
      {{"lead", leads::LeadCode(*lead)}, {"created", created}, {"report", SummaryJson(*now)}});
}

Response Api::ReportAttachmentRoute(Ctx& c) {
  Response denied;
  auto s = VisibleReport(c, &denied);
  if (!s.ok()) return denied;
  const std::string& n = c.params["n"];
  if (n.empty() || n.size() > 3 || n.find_first_not_of("0123456789") != std::string::npos) {
    return Error(400, "bad_parameter", "附件序号应为正整数",
                 "the attachment number must be a "
                 "positive whole number",
                 "n");
  }
  auto f = leads::ReadReportAttachment(c.db(), config_.db_path, s->id, std::stoi(n), Actor(c.user));
  if (!f.ok()) {
    if (f.status().code() == Status::Code::kNotFound) {
      return Error(404, "not_found", "没有这个附件", "no such attachment");
    }
    return FromStatus(f.status());
  }
  Response r = FileDownload(std::move(f->bytes), f->mime, f->name);
  // Sent by the public: never rendered in the office's browser.
  r.headers.emplace_back("Content-Security-Policy", "sandbox");
  return r;
}

}  // namespace qf::server
