// The request-reading and answer-shaping helpers of api_util.h.
#include "server/api_util.h"

#include <cctype>
#include <cstdio>
#include <filesystem>

#include "common/scratch_dir.h"
#include "common/time.h"
#include "ingest/value.h"
#include "store/store.h"

namespace qf::server {

bool ParseObject(const Request& req, nlohmann::json* out, Response* err) {
  *out = nlohmann::json::parse(req.body, nullptr, false);
  if (out->is_discarded()) {
    *err =
        Api::Error(400, "bad_json", "请求体不是有效的 JSON", "the request body is not valid JSON");
    return false;
  }
  if (!out->is_object()) {
    *err = Api::Error(400, "bad_json", "请求体应为 JSON 对象",
                      "the request body must be a JSON object");
    return false;
  }
  return true;
}

bool OnlyKnownFields(const nlohmann::json& o, std::initializer_list<const char*> known,
                     Response* err) {
  for (auto& [k, v] : o.items()) {
    bool ok = false;
    for (const char* n : known) ok |= k == n;
    if (!ok) {
      *err = Api::Error(400, "unknown_field", "不认识的字段：" + k, "unknown field: " + k, k);
      return false;
    }
  }
  return true;
}

bool GetString(const nlohmann::json& o, const char* field, bool required, size_t max,
               std::string* out, Response* err) {
  out->clear();
  auto it = o.find(field);
  if (it == o.end() || it->is_null()) {
    if (!required) return true;
    *err = Api::Error(400, "missing_field", std::string("缺少字段：") + field,
                      std::string("missing field: ") + field, field);
    return false;
  }
  if (!it->is_string()) {
    *err = Api::Error(400, "wrong_type", std::string("字段 ") + field + " 应为字符串",
                      std::string("field ") + field + " must be a string", field);
    return false;
  }
  *out = it->get<std::string>();
  if (out->size() > max) {
    *err = Api::Error(
        400, "too_long",
        std::string("字段 ") + field + " 过长（最多 " + std::to_string(max) + " 字节）",
        std::string("field ") + field + " is longer than " + std::to_string(max) + " bytes", field);
    return false;
  }
  if (required && out->empty()) {
    *err = Api::Error(400, "missing_field", std::string("字段 ") + field + " 不能为空",
                      std::string("field ") + field + " must not be empty", field);
    return false;
  }
  return true;
}

bool GetBool(const nlohmann::json& o, const char* field, bool* present, bool* out, Response* err) {
  auto it = o.find(field);
  *present = it != o.end() && !it->is_null();
  if (!*present) return true;
  if (!it->is_boolean()) {
    *err = Api::Error(400, "wrong_type", std::string("字段 ") + field + " 应为 true 或 false",
                      std::string("field ") + field + " must be true or false", field);
    return false;
  }
  *out = it->get<bool>();
  return true;
}

bool GetStringList(const nlohmann::json& o, const char* field, size_t max_items, bool* present,
                   std::vector<std::string>* out, Response* err) {
  out->clear();
  auto it = o.find(field);
  *present = it != o.end() && !it->is_null();
  if (!*present) return true;
  if (!it->is_array() || it->size() > max_items) {
    *err = Api::Error(400, "wrong_type",
                      std::string("字段 ") + field + " 应为字符串数组（最多 " +
                          std::to_string(max_items) + " 项）",
                      std::string("field ") + field + " must be an array of at most " +
                          std::to_string(max_items) + " strings",
                      field);
    return false;
  }
  for (size_t i = 0; i < it->size(); ++i) {
    const auto& e = (*it)[i];
    if (!e.is_string()) {
      std::string f = std::string(field) + "[" + std::to_string(i) + "]";
      *err = Api::Error(400, "wrong_type", "字段 " + f + " 应为字符串",
                        "field " + f + " must be a string", f);
      return false;
    }
    out->push_back(e.get<std::string>());
  }
  return true;
}

bool QueryInt(const Request& req, const char* name, int64_t lo, int64_t hi, int64_t fallback,
              int64_t* out, Response* err) {
  *out = fallback;
  if (!req.HasQuery(name)) return true;
  std::string v = req.Query(name);
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0' || errno != 0 || n < lo || n > hi) {
    *err = Api::Error(400, "bad_parameter",
                      std::string("参数 ") + name + " 应为 " + std::to_string(lo) + " 到 " +
                          std::to_string(hi) + " 之间的整数",
                      std::string("parameter ") + name + " must be a whole number from " +
                          std::to_string(lo) + " to " + std::to_string(hi),
                      name);
    return false;
  }
  *out = n;
  return true;
}

bool QueryFlag(const Request& req, const char* name, bool* out, Response* err) {
  *out = false;
  if (!req.HasQuery(name)) return true;
  std::string v = req.Query(name);
  if (v == "1" || v == "true") {
    *out = true;
  } else if (v != "0" && v != "false") {
    *err = Api::Error(400, "bad_parameter", std::string("参数 ") + name + " 应为 1 或 0",
                      std::string("parameter ") + name + " must be 1 or 0", name);
    return false;
  }
  return true;
}

bool QueryAsOf(const Request& req, const ServerConfig& config, std::string* out, Response* err) {
  if (req.HasQuery("as_of")) {
    std::string v = req.Query("as_of");
    auto d = ParseDate(v);
    if (!d) {
      *err = Api::Error(400, "bad_parameter", "参数 as_of 应为日期 YYYY-MM-DD",
                        "parameter as_of must be a date YYYY-MM-DD", "as_of");
      return false;
    }
    *out = FormatDate(*d);
    return true;
  }
  *out = config.as_of.empty() ? Today() : config.as_of;
  return true;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Actor(const Principal& p) { return "user:" + p.name; }

std::string ActorName(const std::string& actor) {
  return actor.starts_with("user:") ? actor.substr(5) : actor;
}

nlohmann::json Nullable(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

bool QueryAsOfDate(const Request& req, const ServerConfig& config, CivilDate* out, Response* err) {
  std::string text;
  if (!QueryAsOf(req, config, &text, err)) return false;
  auto d = ParseDate(text);
  if (!d) {
    *err = Api::Error(400, "bad_parameter", "参数 as_of 应为日期 YYYY-MM-DD",
                      "parameter as_of must be a date YYYY-MM-DD", "as_of");
    return false;
  }
  *out = *d;
  return true;
}

bool QueryPage(const Request& req, int64_t max_page, int64_t max_size, int64_t default_size,
               int64_t* page, int64_t* page_size, Response* err) {
  return QueryInt(req, "page", 1, max_page, 1, page, err) &&
         QueryInt(req, "page_size", 1, max_size, default_size, page_size, err);
}

bool QueryLimitOffset(const Request& req, int64_t max_limit, int64_t default_limit, int64_t* limit,
                      int64_t* offset, Response* err) {
  return QueryInt(req, "limit", 1, max_limit, default_limit, limit, err) &&
         QueryInt(req, "offset", 0, INT64_MAX / 2, 0, offset, err);
}

bool QueryWarnDays(const Request& req, int* days, Response* err) {
  int64_t warn = 0;
  if (!QueryInt(req, "warn_working_days", 0, 60, *days, &warn, err)) return false;
  *days = static_cast<int>(warn);
  return true;
}

Response NotFoundOrForbidden(const Principal& user, const std::string& zh, const std::string& en) {
  return user.Scoped() ? Api::Forbidden() : Api::Error(404, "not_found", zh, en);
}

bool ParseId(const std::string& text, int64_t* id) {
  if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  *id = std::stoll(text);
  return *id > 0;
}

Response LookupFailed(const Principal& user, const Status& s, const std::string& zh,
                      const std::string& en) {
  return s.code() == Status::Code::kNotFound ? NotFoundOrForbidden(user, zh, en)
                                             : Api::FromStatus(s);
}

bool UploadMime(const Request& req, std::string* mime, Response* err) {
  *mime = req.Header("content-type");
  if (mime->empty()) *mime = "application/octet-stream";
  bool good = mime->size() <= 100 && mime->find('/') != std::string::npos;
  for (unsigned char ch : *mime) {
    good = good && (std::isalnum(ch) || std::string_view("/.+-;= _").find(static_cast<char>(ch)) !=
                                            std::string_view::npos);
  }
  if (!good) {
    *err = Api::Error(400, "bad_header", "Content-Type 不合法", "bad Content-Type", "Content-Type");
  }
  return good;
}

Response FileDownload(std::string bytes, const std::string& mime, const std::string& name) {
  Response r;
  r.content_type = mime;
  r.body = std::move(bytes);
  std::string encoded;
  for (unsigned char ch : name) {
    if (std::isalnum(ch) || ch == '.' || ch == '-' || ch == '_') {
      encoded += static_cast<char>(ch);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      encoded += buf;
    }
  }
  r.headers.emplace_back("Content-Disposition", "attachment; filename*=UTF-8''" + encoded);
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

std::string JobWorkDir(const std::string& db_path, const std::string& what, const void* salt) {
  return db_path + ".uploads/" + what + "-" + std::to_string(NowUnix()) + "-" +
         std::to_string(reinterpret_cast<uintptr_t>(salt) & 0xffffff);
}

int64_t Api::SubmitEntryJob(Ctx& c, std::string kind, nlohmann::json info,
                            const std::string& work_name, EntryWork work) {
  const std::string db_path = config_.db_path, dir = JobWorkDir(db_path, work_name, &c);
  return SubmitJob(std::move(kind), Actor(c.user), std::move(info),
                   [db_path, dir, work = std::move(work)](
                       const std::function<void(nlohmann::json)>&) -> Result<nlohmann::json> {
                     ScratchDir scratch{dir};
                     QF_ASSIGN_OR_RETURN(auto store, Store::Open(db_path));
                     return work(store.get(), dir);
                   });
}

bool Api::AwaitEntryJob(int64_t id, FieldOfError field_of, const nlohmann::json& queued, Job* job,
                        Response* answer) {
  if (!GetJob(id, job, 60000)) {
    *answer = Error(500, "internal", "服务器内部错误", "job lost");
    return false;
  }
  if (job->state == "done") return true;
  if (job->state == "failed") {
    *answer = FromStatus(job->error, field_of(job->error));
    return false;
  }
  nlohmann::json body = queued;
  body["job"] = id;
  body["state"] = job->state;
  *answer = Json(202, body);
  return false;
}

}  // namespace qf::server
