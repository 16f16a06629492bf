// Helpers the endpoint files share: reading and checking JSON request bodies
// so that every error names the field at fault.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/time.h"
#include "server/api.h"

namespace qf::server {

// The body as a JSON object, or the 400 answer to give.
bool ParseObject(const Request& req, nlohmann::json* out, Response* err);
// 400 naming the first member of `o` that is not in `known`.
bool OnlyKnownFields(const nlohmann::json& o, std::initializer_list<const char*> known,
                     Response* err);
// A string member; absent gives "" (or a 400 when required). At most `max` bytes.
bool GetString(const nlohmann::json& o, const char* field, bool required, size_t max,
               std::string* out, Response* err);
bool GetBool(const nlohmann::json& o, const char* field, bool* present, bool* out, Response* err);
bool GetStringList(const nlohmann::json& o, const char* field, size_t max_items, bool* present,
                   std::vector<std::string>* out, Response* err);
// A query parameter that must be a whole number in [lo, hi]; `fallback` when absent.
bool QueryInt(const Request& req, const char* name, int64_t lo, int64_t hi, int64_t fallback,
              int64_t* out, Response* err);
// A query flag: "1"/"true" or "0"/"false"; absent is false.
bool QueryFlag(const Request& req, const char* name, bool* out, Response* err);

// The day a supervision board is judged on: the query's `as_of` (YYYY-MM-DD),
// else the settings' server.as_of, else today (Asia/Shanghai).
bool QueryAsOf(const Request& req, const ServerConfig& config, std::string* out, Response* err);

// QueryAsOf as a calendar day, for the boards that count days.
bool QueryAsOfDate(const Request& req, const ServerConfig& config, CivilDate* out, Response* err);
// `page` (1..max_page) and `page_size` (1..max_size): the paged lists' query.
bool QueryPage(const Request& req, int64_t max_page, int64_t max_size, int64_t default_size,
               int64_t* page, int64_t* page_size, Response* err);
// `limit` (1..max_limit) and `offset` (≥ 0): the sliced lists' query.
bool QueryLimitOffset(const Request& req, int64_t max_limit, int64_t default_limit, int64_t* limit,
                      int64_t* offset, Response* err);
// `warn_working_days` (0..60) over the settings' value in *days.
bool QueryWarnDays(const Request& req, int* days, Response* err);

// HTML-escapes text for the printable report.
std::string HtmlEscape(std::string_view s);

// "user:<name>": how the ledger and the entered rows name who acted.
std::string Actor(const Principal& p);
// The user name of an actor ("user:ana" → "ana"); other actors unchanged.
std::string ActorName(const std::string& actor);
// "" as JSON null: how the API says "not set".
nlohmann::json Nullable(const std::string& s);

// A record id in a path: 1–15 digits, above zero.
bool ParseId(const std::string& text, int64_t* id);
// A failed look-up: NotFoundOrForbidden when the record does not exist, else the error.
Response LookupFailed(const Principal& user, const Status& s, const std::string& zh,
                      const std::string& en);
// A record not found: 404 naming it, but 403 for a scoped user, so nothing leaks.
Response NotFoundOrForbidden(const Principal& user, const std::string& zh, const std::string& en);
// The upload's Content-Type ("application/octet-stream" when absent), or the 400 for a bad one.
bool UploadMime(const Request& req, std::string* mime, Response* err);
// A kept file as a download (never inline, never cached), its name percent-encoded (RFC 5987).
Response FileDownload(std::string bytes, const std::string& mime, const std::string& name);
// "<db>.uploads/<what>-<now>-<salt>": an entry job's scratch folder, unique per request.
std::string JobWorkDir(const std::string& db_path, const std::string& what, const void* salt);

}  // namespace qf::server
