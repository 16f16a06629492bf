#include "server/api.h"

#include <sodium.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/log.h"
#include "common/time.h"
#include "ingest/value.h"
#include "ledger/ledger.h"
#include "server/api_util.h"
#include "store/schema.h"

namespace qf::server {

namespace fs = std::filesystem;

std::string Today() { return FormatDate(TodayShanghai()); }

int64_t NowUnix() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---------------------------------------------------------------------------
// Configuration

Result<ServerConfig> LoadServerConfig(const std::string& db_path,
                                      const std::string& settings_path) {
  ServerConfig c;
  c.db_path = db_path;
  c.settings_path = settings_path;
  QF_ASSIGN_OR_RETURN(c.workflow, leads::LoadWorkflowParams(settings_path));
  std::ifstream in(settings_path);
  if (!in) return c;
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("server")) return c;
  const nlohmann::json& s = j["server"];
  if (!s.is_object()) {
    return Status::InvalidInput(settings_path + ": \"server\" must be an object",
                                settings_path + "：\"server\" 必须是对象");
  }
  struct IntParam {
    const char* name;
    int* out;
    int lo, hi;
  };
  int max_body_kb = static_cast<int>(c.max_body / 1024);
  int max_upload_mb = static_cast<int>(c.max_upload >> 20);
  int max_import_mb = static_cast<int>(c.max_import >> 20);
  int max_media_mb = static_cast<int>(c.max_media >> 20);
  IntParam params[] = {
      {"session_idle_seconds", &c.auth.session_idle_seconds, 1, 7 * 86400},
      {"session_max_seconds", &c.auth.session_max_seconds, 1, 30 * 86400},
      {"lockout_after", &c.auth.lockout_after, 1, 100},
      {"lockout_seconds", &c.auth.lockout_seconds, 1, 86400},
      {"failure_delay_ms", &c.auth.failure_delay_ms, 0, 10000},
      {"min_password_length", &c.auth.min_password_length, 8, 128},
      {"max_body_kb", &max_body_kb, 1, 64 * 1024},
      {"max_upload_mb", &max_upload_mb, 1, 1024},
      {"max_import_mb", &max_import_mb, 1, 64 * 1024},
      {"max_media_mb", &max_media_mb, 1, 64 * 1024},
  };
  for (auto& [name, value] : s.items()) {
    bool known = false;
    for (IntParam& p : params) {
      if (name != p.name) continue;
      known = true;
      if (!value.is_number_integer() || value.get<int64_t>() < p.lo ||
          value.get<int64_t>() > p.hi) {
        return Status::InvalidInput(
            settings_path + ": server." + name + " must be a whole number from " +
                std::to_string(p.lo) + " to " + std::to_string(p.hi),
            settings_path + "：server." + name + " 应为 " + std::to_string(p.lo) + " 到 " +
                std::to_string(p.hi) + " 之间的整数");
      }
      *p.out = static_cast<int>(value.get<int64_t>());
    }
    if (name == "as_of") {
      known = true;
      if (!value.is_string() ||
          (!value.get<std::string>().empty() && !ParseDate(value.get<std::string>()).has_value())) {
        return Status::InvalidInput(
            settings_path + ": server.as_of must be a date YYYY-MM-DD or \"\"",
            settings_path + "：server.as_of 应为日期 YYYY-MM-DD 或空字符串");
      }
      c.as_of = value.get<std::string>();
    }
    if (name == "secure_cookie") {
      known = true;
      if (!value.is_boolean()) {
        return Status::InvalidInput(settings_path + ": server.secure_cookie must be true/false",
                                    settings_path + "：server.secure_cookie 应为 true 或 false");
      }
      c.secure_cookie = value.get<bool>();
    }
    if (!known) {
      return Status::InvalidInput(settings_path + ": unknown setting server." + name,
                                  settings_path + "：未知的设置项 server." + name);
    }
  }
  c.max_body = static_cast<size_t>(max_body_kb) * 1024;
  c.max_upload = static_cast<size_t>(max_upload_mb) << 20;
  c.max_import = static_cast<size_t>(max_import_mb) << 20;
  c.max_media = static_cast<size_t>(max_media_mb) << 20;
  return c;
}

// ---------------------------------------------------------------------------
// JSON helpers

Response Api::Json(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response Api::Error(const ApiError& e) {
  nlohmann::json j = {{"error", e.code}, {"message", e.zh}, {"message_en", e.en}};
  if (!e.field.empty()) j["field"] = e.field;
  return Json(e.status, j);
}

Response Api::Error(int status, std::string code, std::string zh, std::string en,
                    std::string field) {
  return Error(ApiError{status, std::move(code), std::move(zh), std::move(en), std::move(field)});
}

Response Api::FromStatus(const Status& s, std::string field) {
  switch (s.code()) {
    case Status::Code::kInvalidArgument:
      return Error(400, "bad_request", s.message_zh(), s.message(), std::move(field));
    case Status::Code::kNotFound:
      return Error(404, "not_found", "未找到：" + s.message_zh(), s.message(), std::move(field));
    default:
      spdlog::error("request failed: {}", s.ToString());
      return Error(500, "internal", "服务器内部错误", "internal error");
  }
}

Response Api::Forbidden() { return Error(403, "forbidden", "无权访问", "forbidden"); }

// ---------------------------------------------------------------------------
// Set-up, connections and routing

Result<std::unique_ptr<Api>> Api::Create(ServerConfig config) {
  std::unique_ptr<Api> api(new Api(std::move(config)));
  // Migrate once, before any worker opens a connection.
  QF_ASSIGN_OR_RETURN(auto db, Db::Open(api->config_.db_path));
  QF_RETURN_IF_ERROR(Migrate(db.get()));
  api->AddRoutes();
  return api;
}

Api::~Api() = default;

Result<Api::Conn*> Api::Borrow() {
  {
    std::lock_guard lock(pool_mu_);
    if (!idle_.empty()) {
      Conn* c = idle_.back().release();
      idle_.pop_back();
      return c;
    }
  }
  auto c = std::make_unique<Conn>();
  QF_ASSIGN_OR_RETURN(c->db, Db::Open(config_.db_path));
  return c.release();  // the scope resolver is made on first use (GetRecord)
}

void Api::Return(Conn* c) {
  std::lock_guard lock(pool_mu_);
  idle_.emplace_back(c);
}

size_t Api::BodyLimit(std::string_view method, std::string_view path) const {
  if (method == "POST" && path.ends_with("/attachments") &&
      (path.starts_with("/api/leads/") || path.starts_with("/api/duties/items/"))) {
    return config_.max_upload;
  }
  if (IsMediaUpload(method, path)) return config_.max_media;
  // A public report carries its attachments in base64 inside the JSON.
  if (method == "POST" && path == "/api/public/reports") {
    leads::ReportLimits l;
    return l.max_attachments * ((l.max_attachment_bytes + 2) / 3 * 4) + config_.max_body;
  }
  if (method == "POST" && path == "/api/imports") return config_.max_import;
  return config_.max_body;
}

namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 1;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

void Api::AddRoutes() {
  auto add = [this](const char* method, const char* path, Fn fn, uint32_t right,
                    bool public_route = false) {
    routes_.push_back({method, Split(path), fn, public_route, right});
  };
  add("GET", "/api/health", &Api::Health, 0, true);
  add("POST", "/api/login", &Api::LoginRoute, 0, true);
  add("POST", "/api/logout", &Api::LogoutRoute, 0);
  add("GET", "/api/me", &Api::Me, 0);
  add("GET", "/api/meta", &Api::Meta, 0);
  add("GET", "/api/leads", &Api::ListLeadsRoute, kRead);
  add("POST", "/api/leads/bulk", &Api::BulkAction, kRead);
  add("GET", "/api/leads/{id}", &Api::GetLeadRoute, kRead);
  add("POST", "/api/leads/{id}/actions", &Api::LeadAction, kRead);
  add("POST", "/api/leads/{id}/attachments", &Api::UploadAttachment, kComment);
  add("GET", "/api/leads/{id}/attachments/{attachment}", &Api::DownloadAttachment, kRead);
  add("GET", "/api/leads/{id}/report", &Api::LeadReport, kExport);
  add("GET", "/api/leads/{id}/dossier.xlsx", &Api::LeadDossier, kExport);
  add("GET", "/api/export/leads.xlsx", &Api::ExportLeads, kExport);
  add("GET", "/api/records/{dataset}", &Api::GetRecord, kRead);
  add("GET", "/api/dashboard", &Api::Dashboard, kRead);
  add("GET", "/api/models", &Api::ModelCatalogueRoute, kRead);
  add("GET", "/api/users", &Api::ListUsersRoute, kUsers);
  add("POST", "/api/users", &Api::CreateUserRoute, kUsers);
  add("PATCH", "/api/users/{name}", &Api::UpdateUserRoute, kUsers);
  add("GET", "/api/ledger", &Api::LedgerInfo, kLedger);
  add("GET", "/api/ledger/actions", &Api::LedgerActions, kLedger);
  add("GET", "/api/graph/ego", &Api::GraphEgoRoute, kRead);
  add("GET", "/api/graph/paths", &Api::GraphPathsRoute, kRead);
  add("GET", "/api/leads/{id}/graph", &Api::LeadGraphRoute, kRead);
  add("GET", "/api/er/matches", &Api::ErMatchesRoute, kRead);
  add("POST", "/api/er/decisions", &Api::ErDecisionRoute, kVerdict);
  add("POST", "/api/draws", &Api::CreateDrawRoute, kApprove);
  add("GET", "/api/draws", &Api::ListDrawsRoute, kRead);
  add("GET", "/api/draws/{id}", &Api::GetDrawRoute, kRead);
  add("POST", "/api/draws/{id}/execute", &Api::ExecuteDrawRoute, kApprove);
  add("POST", "/api/draws/{id}/results", &Api::DrawResultsRoute, kProcess);
  add("POST", "/api/draws/{id}/publish", &Api::PublishDrawRoute, kApprove);
  add("GET", "/api/draws/{id}/verify", &Api::VerifyDrawRoute, kRead);
  add("GET", "/api/public/inspections", &Api::PublicInspectionsRoute, 0, true);
  add("GET", "/api/hotline/board", &Api::HotlineBoardRoute, kRead);
  add("POST", "/api/hotline/orders", &Api::HotlineRegisterRoute, kProcess);
  add("GET", "/api/hotline/orders/{id}", &Api::HotlineOrderRoute, kRead);
  add("POST", "/api/hotline/orders/{id}/actions", &Api::HotlineActionRoute, kProcess);
  add("POST", "/api/hotline/orders/{id}/notices", &Api::HotlineNoticeRoute, kRead);
  add("GET", "/api/hotline/notices", &Api::HotlineNoticesRoute, kRead);
  add("POST", "/api/hotline/sweep", &Api::HotlineSweepRoute, kApprove);
  add("GET", "/api/hotline/metrics", &Api::HotlineMetricsRoute, kRead);
  add("GET", "/api/enforcement", &Api::EnforcementBoardRoute, kRead);
  add("POST", "/api/enforcement", &Api::RegisterEnforcementRoute, kProcess);
  add("GET", "/api/enforcement/{id}", &Api::EnforcementCaseRoute, kRead);
  add("POST", "/api/enforcement/{id}/close", &Api::CloseEnforcementRoute, kProcess);
  add("POST", "/api/enforcement/{id}/media", &Api::UploadEnforcementMediaRoute, kProcess);
  add("GET", "/api/enforcement/{id}/media/{sha}", &Api::DownloadEnforcementMediaRoute, kRead);
  add("POST", "/api/enforcement/{id}/publish", &Api::PublishEnforcementRoute, kApprove);
  add("GET", "/api/public/enforcement", &Api::PublicEnforcementRoute, 0, true);
  add("GET", "/api/party/branches", &Api::PartyBranchesRoute, kRead);
  add("POST", "/api/party/branches", &Api::PartyCreateBranchRoute, kProcess);
  add("POST", "/api/party/branches/import", &Api::PartyImportBranchesRoute, kProcess);
  add("PATCH", "/api/party/branches/{id}", &Api::PartyUpdateBranchRoute, kProcess);
  add("GET", "/api/party/branches/{id}/calendar", &Api::PartyCalendarRoute, kRead);
  add("GET", "/api/party/meetings", &Api::PartyMeetingsRoute, kRead);
  add("POST", "/api/party/meetings", &Api::PartyEnterMeetingRoute, kProcess);
  add("GET", "/api/party/meetings/{id}", &Api::PartyMeetingRoute, kRead);
  add("GET", "/api/party/warnings", &Api::PartyWarningsRoute, kRead);
  add("GET", "/api/party/summary", &Api::PartySummaryRoute, kRead);
  add("GET", "/api/duties/items", &Api::DutyItemsRoute, kRead);
  add("POST", "/api/duties/items", &Api::DutyCreateRoute, kApprove);
  add("GET", "/api/duties/items/{id}", &Api::DutyItemRoute, kRead);
  add("PATCH", "/api/duties/items/{id}", &Api::DutyUpdateRoute, kProcess);
  add("POST", "/api/duties/items/{id}/attachments", &Api::DutyUploadRoute, kProcess);
  add("GET", "/api/duties/items/{id}/attachments/{n}", &Api::DutyAttachmentRoute, kRead);
  add("POST", "/api/duties/items/{id}/checks", &Api::DutyCheckRoute, kProcess);
  add("GET", "/api/duties/warnings", &Api::DutyWarningsRoute, kRead);
  add("GET", "/api/duties/assessment", &Api::DutyAssessmentRoute, kRead);
  add("GET", "/api/duties/assessment.xlsx", &Api::DutyAssessmentXlsxRoute, kExport);
  add("GET", "/api/ledger/checkpoints", &Api::LedgerCheckpointsRoute, kLedger);
  add("POST", "/api/ledger/verify", &Api::LedgerVerifyRoute, kLedger);
  add("GET", "/api/ledger/verify/jobs/{job}", &Api::LedgerVerifyJobRoute, kLedger);
  add("GET", "/api/ledger/proof", &Api::LedgerProofRoute, kLedger);
  add("GET", "/api/ledger/consistency", &Api::LedgerConsistencyRoute, kLedger);
  add("POST", "/api/public/reports", &Api::SubmitReportRoute, 0, true);
  add("GET", "/api/public/reports/status", &Api::ReportStatusRoute, 0, true);
  add("GET", "/api/reports", &Api::ListReportsRoute, kReports);
  add("GET", "/api/reports/{id}", &Api::GetReportRoute, kReports);
  add("POST", "/api/reports/{id}/actions", &Api::ReportActionRoute, kReports);
  add("POST", "/api/reports/{id}/lead", &Api::ReportLeadRoute, kReports);
  add("GET", "/api/reports/{id}/attachments/{n}", &Api::ReportAttachmentRoute, kReports);
  add("GET", "/api/datasets", &Api::DatasetsRoute, kRead);
  add("POST", "/api/imports", &Api::StartImportRoute, kImport);
  add("GET", "/api/imports", &Api::ImportsRoute, kImport);
  add("GET", "/api/imports/jobs/{job}", &Api::ImportJobRoute, kImport);
  add("GET", "/api/quarantine", &Api::QuarantineRoute, kImport);
  add("GET", "/api/quarantine/export.csv", &Api::QuarantineExportRoute, kImport);
  add("POST", "/api/quarantine/{id}/fix", &Api::QuarantineFixRoute, kImport);
  add("PATCH", "/api/models/{id}", &Api::UpdateModelRoute, kModels);
  add("GET", "/api/models/{id}/stats", &Api::ModelStatsRoute, kRead);
  add("POST", "/api/models/custom", &Api::SaveCustomModelRoute, kModels);
  add("POST", "/api/models/custom/test", &Api::TestCustomModelRoute, kModels);
  add("DELETE", "/api/models/custom/{id}", &Api::DeleteCustomModelRoute, kModels);
  add("POST", "/api/scans", &Api::StartScanRoute, kModels);
  add("GET", "/api/scans/jobs/{job}", &Api::ScanJobRoute, kRead);
}

std::vector<std::string> Api::RouteList() const {
  std::vector<std::string> out;
  for (const Route& r : routes_) {
    std::string p;
    for (const std::string& s : r.segments) p += "/" + s;
    out.push_back(r.method + " " + p);
  }
  return out;
}

Response Api::Handle(Request& req) {
  auto conn = Borrow();
  if (!conn.ok()) {
    spdlog::error("cannot open the store: {}", conn.status().ToString());
    return Error(503, "unavailable", "数据库暂不可用", "the store is unavailable");
  }
  Response r = Dispatch(req, **conn);
  Return(*conn);
  return r;
}

Response Api::Dispatch(Request& req, Conn& conn) {
  if (!req.path.starts_with("/api/") && req.path != "/api") {
    if (req.method != "GET" && req.method != "HEAD") {
      return Error(405, "method_not_allowed", "不支持的请求方法", "method not allowed");
    }
    Ctx c{req, conn, {}, {}};
    return Static(c);
  }
  std::vector<std::string> segs = Split(req.path);
  const Route* match = nullptr;
  bool path_matched = false;
  std::map<std::string, std::string> params;
  for (const Route& r : routes_) {
    if (r.segments.size() != segs.size()) continue;
    std::map<std::string, std::string> p;
    bool ok = true;
    for (size_t i = 0; i < segs.size() && ok; ++i) {
      const std::string& s = r.segments[i];
      if (s.size() > 2 && s.front() == '{' && s.back() == '}') {
        if (segs[i].empty()) ok = false;
        p[s.substr(1, s.size() - 2)] = segs[i];
      } else {
        ok = s == segs[i];
      }
    }
    if (!ok) continue;
    path_matched = true;
    if (r.method != req.method) continue;
    match = &r;
    params = std::move(p);
    break;
  }
  if (match == nullptr) {
    if (path_matched) {
      return Error(405, "method_not_allowed", "不支持的请求方法：" + req.method,
                   "method not allowed: " + req.method);
    }
    return Error(404, "not_found", "没有这个接口：" + req.path, "no such endpoint: " + req.path);
  }
  Ctx c{req, conn, {}, std::move(params)};
  if (!match->public_route) {
    auto user = SessionUser(conn.db.get(), req.Cookie("qf_session"), NowUnix(), config_.auth);
    if (!user.ok()) {
      if (user.status().code() != Status::Code::kNotFound) return FromStatus(user.status());
      return Error(401, "unauthenticated", "未登录或登录已过期，请重新登录",
                   "not signed in, or the session has expired");
    }
    c.user = std::move(user).value();
    if (req.method != "GET" && req.method != "HEAD") {
      std::string token = req.Header("x-csrf-token");
      if (token.size() != c.user.csrf.size() ||
          sodium_memcmp(token.data(), c.user.csrf.data(), token.size()) != 0) {
        return Error(403, "csrf", "缺少或错误的 CSRF 令牌（X-CSRF-Token）",
                     "missing or wrong CSRF token (X-CSRF-Token)");
      }
    }
    if (match->right != 0 && !c.user.Can(static_cast<Right>(match->right))) return Forbidden();
  }
  return (this->*(match->fn))(c);
}

bool Api::WantsUnmasked(Ctx& c, bool* unmask, Response* denied) {
  if (!QueryFlag(c.req, "unmask", unmask, denied)) return false;
  if (*unmask && !c.user.Can(kUnmask)) {
    *denied = Forbidden();
    return false;
  }
  return true;
}

Status Api::Audit(Ctx& c, const std::string& action, const std::string& target,
                  const nlohmann::json& details) {
  return ledger::RecordAction(c.db(), {"user:" + c.user.name, action, target, details.dump()})
      .status();
}

// ---------------------------------------------------------------------------
// Public and session endpoints

Response Api::Health(Ctx&) {
  return Json(200, {{"status", "ok"}, {"version", "0.1.0"}, {"time", NowShanghai()}});
}

namespace {

nlohmann::json UserJson(const Principal& p) {
  const RoleDef* role = FindRole(p.role);
  return {{"name", p.name},
          {"display_name", p.display_name},
          {"role", p.role},
          {"role_zh", role ? role->zh : p.role},
          {"regions", p.regions},
          {"orgs", p.orgs},
          {"rights", RightNames(p.rights)}};
}

}  // namespace

Response Api::LoginRoute(Ctx& c) {
  nlohmann::json body;
  Response err;
  std::string name, password;
  if (!ParseObject(c.req, &body, &err) || !OnlyKnownFields(body, {"name", "password"}, &err) ||
      !GetString(body, "name", true, 64, &name, &err) ||
      !GetString(body, "password", true, 1024, &password, &err)) {
    return err;
  }
  Db* db = c.db();
  Transaction tx(db);
  if (Status s = tx.Begin(); !s.ok()) return FromStatus(s);
  auto r = Login(db, name, password, NowUnix(), config_.auth);
  if (!r.ok()) return FromStatus(r.status());
  if (r->ok || r->just_locked) {
    auto ledger = ledger::Ledger::Open(db);
    if (!ledger.ok()) return FromStatus(ledger.status());
    auto a = (*ledger)->AppendAction(
        {"user:" + name, r->ok ? "login" : "login_locked", "user:" + name, "{}"});
    if (!a.ok()) return FromStatus(a.status());
    if (Status s = (*ledger)->Flush(); !s.ok()) return FromStatus(s);
  }
  if (Status s = tx.Commit(); !s.ok()) return FromStatus(s);
  if (r->locked) {
    Response res = Error(429, "locked", "登录失败次数过多，账户已暂时锁定，请稍后再试",
                         "too many failed sign-ins; the account is locked for a while");
    res.delay_ms = config_.auth.failure_delay_ms;
    return res;
  }
  if (!r->ok) {
    Response res = Error(401, "login_failed", "用户名或密码错误", "wrong name or password");
    res.delay_ms = std::min(5000, config_.auth.failure_delay_ms * std::max(1, r->failures));
    return res;
  }
  Response res = Json(200, {{"user", UserJson(r->user)}, {"csrf", r->user.csrf}});
  std::string cookie = "qf_session=" + r->token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(config_.auth.session_max_seconds);
  if (config_.secure_cookie) cookie += "; Secure";
  res.headers.emplace_back("Set-Cookie", cookie);
  return res;
}

Response Api::LogoutRoute(Ctx& c) {
  if (Status s = Logout(c.db(), c.req.Cookie("qf_session")); !s.ok()) return FromStatus(s);
  Response res = Json(200, {{"ok", true}});
  res.headers.emplace_back("Set-Cookie",
                           "qf_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  return res;
}

Response Api::Me(Ctx& c) { return Json(200, {{"user", UserJson(c.user)}, {"csrf", c.user.csrf}}); }

Response Api::Meta(Ctx&) {
  auto labels = [](const std::vector<leads::Label>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& l : v) a.push_back({{"id", l.id}, {"zh", l.zh}});
    return a;
  };
  nlohmann::json roles = nlohmann::json::array();
  for (const RoleDef& r : Roles()) {
    roles.push_back({{"id", r.id}, {"zh", r.zh}, {"rights", RightNames(r.rights)}});
  }
  return Json(200, {{"statuses", labels(leads::Statuses())},
                    {"routes", labels(leads::Routes())},
                    {"outcomes", labels(leads::Outcomes())},
                    {"verdicts", labels(leads::Verdicts())},
                    {"roles", roles},
                    {"workflow",
                     {{"disposal_days", config_.workflow.disposal_days},
                      {"reply_working_days", config_.workflow.reply_working_days},
                      {"warn_days", config_.workflow.warn_days}}}});
}

// ---------------------------------------------------------------------------
// Static files of the web UI

namespace {

const char* ContentType(const std::string& ext) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [e, t] : kTypes) {
    if (ext == e) return t;
  }
  return "application/octet-stream";
}

constexpr const char* kNoUiPage = R"html(<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>清风 qingfeng</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto">
<h1>清风 · 纪检监察大数据监督平台</h1>
<p>服务已运行，JSON 接口位于 <code>/api/</code>（说明见 docs/api.yaml）。网页界面尚未构建：在源码目录运行 <code>make</code> 后重新启动。</p>
<p lang="en">The server is running; the JSON API is under <code>/api/</code> (docs/api.yaml). The web UI has not been built: run <code>make</code> in the source tree and restart.</p>
</body></html>
)html";

}  // namespace

Response Api::Static(Ctx& c) {
  const std::string& path = c.req.path;
  for (const std::string& seg : Split(path)) {
    if (seg == ".." || seg == ".") return Error(400, "bad_path", "路径不合法", "bad path");
  }
  Response r;
  fs::path root(config_.web_dir);
  fs::path file = root / path.substr(1);
  std::error_code ec;
  if (path == "/" || !fs::is_regular_file(file, ec)) {
    // The single-page app answers every route it owns with index.html.
    bool asset = path.rfind('.') != std::string::npos && path.rfind('.') > path.rfind('/');
    if (asset) return Error(404, "not_found", "文件不存在", "no such file");
    file = root / "index.html";
    if (config_.web_dir.empty() || !fs::is_regular_file(file, ec)) {
      r.content_type = "text/html; charset=utf-8";
      r.body = kNoUiPage;
      return r;
    }
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error(404, "not_found", "文件不存在", "no such file");
  std::stringstream ss;
  ss << in.rdbuf();
  r.body = ss.str();
  r.content_type = ContentType(file.extension().string());
  bool hashed_asset = path.starts_with("/assets/");
  r.headers.emplace_back("Cache-Control",
                         hashed_asset ? "public, max-age=31536000, immutable" : "no-cache");
  if (c.req.method == "HEAD") r.body.clear();
  return r;
}

}  // namespace qf::server
