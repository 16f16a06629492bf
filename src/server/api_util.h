// Helpers the endpoint files share: reading and checking JSON request bodies
// so that every error names the field at fault.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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

// HTML-escapes text for the printable report.
std::string HtmlEscape(std::string_view s);

}  // namespace qf::server
