#include "models/custom_sql.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "engine/model.h"
#include "store/db.h"

namespace qf::models {

namespace {

using engine::Finding;
using engine::ModelInfo;
using engine::RunContext;

Status Bad(const std::string& en, const std::string& zh) {
  return Status::InvalidInput("custom model: " + en, "自定义模型：" + zh);
}

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// Denies everything that could change the store or reach other files, even
// on the read-only connection (ATTACH of another file would be writable).
int Authorize(void*, int action, const char*, const char*, const char*, const char*) {
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE:
      return SQLITE_OK;
    default:
      return SQLITE_DENY;
  }
}

// Aborts a query that runs longer than its budget.
struct Deadline {
  std::chrono::steady_clock::time_point until;
};
int CheckDeadline(void* p) {
  auto* d = static_cast<Deadline*>(p);
  return std::chrono::steady_clock::now() > d->until ? 1 : 0;
}

// SELECT, WITH or VALUES first (after blanks and comments are skipped by SQLite).
bool StartsWithSelect(const std::string& sql) {
  size_t i = sql.find_first_not_of(" \t\r\n(");
  if (i == std::string::npos) return false;
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) {
    word.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i++]))));
  }
  return word == "SELECT" || word == "WITH" || word == "VALUES";
}

struct Prepared {
  std::unique_ptr<Db> db;
  Stmt stmt;
};

Result<Prepared> PrepareQuery(const std::string& db_path, const std::string& sql,
                              const std::string& id) {
  Prepared p;
  QF_ASSIGN_OR_RETURN(p.db, Db::Open(db_path, /*read_only=*/true));
  sqlite3_set_authorizer(p.db->raw(), Authorize, nullptr);
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(p.db->raw(), sql.c_str(), static_cast<int>(sql.size()), &raw, &tail);
  if (rc == SQLITE_AUTH || (rc != SQLITE_OK && !StartsWithSelect(sql))) {
    return Bad(id + ": only a SELECT query is allowed; it may not change the store or open "
                    "other files",
               id + "：只允许 SELECT 查询，不能修改数据或访问其他文件");
  }
  if (rc != SQLITE_OK) {
    std::string why = sqlite3_errmsg(p.db->raw());
    int at = sqlite3_error_offset(p.db->raw());
    std::string where = at >= 0 ? " at character " + std::to_string(at + 1) : "";
    std::string where_zh = at >= 0 ? "（第 " + std::to_string(at + 1) + " 个字符处）" : "";
    return Bad(id + ": the SQL cannot be used" + where + ": " + why,
               id + "：SQL 有误" + where_zh + "：" + why);
  }
  p.stmt = Stmt(p.db->raw(), raw);
  if (raw == nullptr) return Bad(id + ": the SQL is empty", id + "：SQL 为空");
  for (const char* t = tail; t && *t; ++t) {
    if (*t != ' ' && *t != '\n' && *t != '\t' && *t != '\r' && *t != ';') {
      return Bad(id + ": give one SELECT statement, not several", id + "：只能写一条 SELECT 语句");
    }
  }
  if (!sqlite3_stmt_readonly(raw)) {
    return Bad(id + ": the query would change the store; only SELECT is allowed",
               id + "：该语句会修改数据，只允许 SELECT 查询");
  }
  std::set<std::string> cols;
  for (int c = 0; c < p.stmt.ColumnCount(); ++c) cols.insert(p.stmt.ColumnName(c));
  for (const char* must : {"subject_key", "summary"}) {
    if (!cols.count(must)) {
      return Bad(id + ": the query must return a column named " + std::string(must),
                 id + "：查询结果必须包含名为 " + std::string(must) + " 的列");
    }
  }
  return p;
}

class CustomModel : public engine::Model {
 public:
  CustomModel(ModelInfo info, std::string sql) : info_(std::move(info)), sql_(std::move(sql)) {}
  const ModelInfo& info() const override { return info_; }

  Status Run(const RunContext& ctx, std::vector<Finding>* out) const override {
    if (ctx.db_path.empty()) return Status::InvalidArgument("custom model needs the store");
    QF_ASSIGN_OR_RETURN(Prepared p, PrepareQuery(ctx.db_path, sql_, info_.id));
    Stmt& st = p.stmt;
    for (const auto& [name, value] : ctx.params.values()) {
      int i = sqlite3_bind_parameter_index(st.raw(), (":" + name).c_str());
      if (i == 0) continue;
      char* end = nullptr;
      double d = std::strtod(value.c_str(), &end);
      if (!value.empty() && end == value.c_str() + value.size()) {
        if (value.find_first_of(".eE") == std::string::npos) {
          st.BindInt(i, std::stoll(value));
        } else {
          st.BindReal(i, d);
        }
      } else {
        st.BindText(i, value);
      }
    }
    const double budget_seconds_ = ctx.params.Number("time_limit_seconds");
    Deadline deadline{std::chrono::steady_clock::now() +
                      std::chrono::milliseconds(static_cast<int64_t>(budget_seconds_ * 1000))};
    sqlite3_progress_handler(p.db->raw(), 10000, CheckDeadline, &deadline);
    std::map<std::string, int> col;
    for (int c = 0; c < st.ColumnCount(); ++c) col[st.ColumnName(c)] = c;
    auto text = [&](const char* name, const std::string& fallback) {
      auto it = col.find(name);
      if (it == col.end() || st.IsNull(it->second)) return fallback;
      return st.Text(it->second);
    };
    std::set<std::string> identities;
    for (;;) {
      auto row = st.Step();
      if (!row.ok()) {
        if (std::chrono::steady_clock::now() > deadline.until) {
          return Bad(info_.id + ": the query ran longer than " +
                         std::to_string(static_cast<int>(budget_seconds_)) + " s and was stopped",
                     info_.id + "：查询超过 " + std::to_string(static_cast<int>(budget_seconds_)) +
                         " 秒，已中止");
        }
        return Bad(info_.id + ": " + row.status().message(),
                   info_.id + "：" + row.status().message());
      }
      if (!row.value()) break;
      Finding f;
      f.subject.key = text("subject_key", "");
      if (f.subject.key.empty()) continue;
      f.identity = text("identity", f.subject.key);
      if (!identities.insert(f.identity).second) continue;  // first row of an identity wins
      f.subject.dataset = text("subject_dataset", "custom");
      f.subject.name = text("subject_name", "");
      f.summary = text("summary", "");
      if (auto it = col.find("score"); it != col.end() && !st.IsNull(it->second)) {
        f.score = static_cast<int>(std::clamp<int64_t>(st.Int(it->second), 0, 100));
      }
      if (auto it = col.find("amount"); it != col.end() && !st.IsNull(it->second)) {
        f.amount_fen = st.Int(it->second);
      }
      std::string ev = text("evidence", "");
      if (!ev.empty() && ev[0] == '[') {
        auto j = nlohmann::json::parse(ev, nullptr, false);
        if (j.is_array()) {
          for (const auto& e : j) {
            if (e.is_object() && e.contains("dataset") && e.contains("key")) {
              f.evidence.push_back(
                  {e["dataset"].is_string() ? e["dataset"].get<std::string>() : "",
                   e["key"].is_string() ? e["key"].get<std::string>() : e["key"].dump(),
                   {}});
            }
          }
        }
      } else {
        size_t start = 0;
        while (start < ev.size()) {
          size_t end = ev.find(';', start);
          if (end == std::string::npos) end = ev.size();
          std::string item = ev.substr(start, end - start);
          size_t colon = item.find(':');
          if (colon != std::string::npos) {
            f.evidence.push_back({item.substr(0, colon), item.substr(colon + 1), {}});
          }
          start = end + 1;
        }
      }
      if (f.evidence.empty()) f.evidence.push_back({f.subject.dataset, f.subject.key, {}});
      out->push_back(std::move(f));
    }
    return Status::OK();
  }

 private:
  ModelInfo info_;
  std::string sql_;
};

}  // namespace

Result<std::unique_ptr<engine::Model>> ParseCustomModel(const std::string& json_text,
                                                        const std::string& db_path) {
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Bad("the definition is not a JSON object", "定义不是有效的 JSON 对象");
  }
  auto str = [&](const char* k) -> std::string {
    return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : "";
  };
  ModelInfo info;
  info.id = str("id");
  if (!ValidId(info.id)) {
    return Bad("\"id\" must be 1–64 characters of a–z, 0–9 and _ (got \"" + info.id + "\")",
               "\"id\" 只能由 a–z、0–9 和 _ 组成，1–64 个字符（当前为“" + info.id + "”）");
  }
  if (engine::FindBuiltinModel(info.id)) {
    return Bad(info.id + " is the id of a built-in model; choose another",
               info.id + " 与内置模型重名，请换一个 id");
  }
  info.name_zh = str("name_zh");
  info.name_en = str("name_en");
  if (info.name_zh.empty())
    return Bad(info.id + ": \"name_zh\" is required", info.id + "：缺少 \"name_zh\"");
  if (info.name_en.empty()) info.name_en = info.name_zh;
  info.family = str("family").empty() ? "custom" : str("family");
  info.detects = str("detects");
  info.basis = str("basis");
  std::string sev = str("severity");
  if (sev.empty() || sev == "medium" || sev == "中") {
    info.severity = engine::Severity::kMedium;
  } else if (sev == "high" || sev == "高") {
    info.severity = engine::Severity::kHigh;
  } else if (sev == "low" || sev == "低") {
    info.severity = engine::Severity::kLow;
  } else {
    return Bad(info.id + ": \"severity\" must be high, medium or low",
               info.id + "：\"severity\" 应为 high、medium 或 low");
  }
  if (j.contains("params")) {
    if (!j["params"].is_array())
      return Bad(info.id + ": \"params\" must be a list", info.id + "：\"params\" 应为列表");
    for (const auto& p : j["params"]) {
      if (!p.is_object() || !p.contains("name") || !p["name"].is_string() ||
          !p.contains("default")) {
        return Bad(info.id + ": each parameter needs \"name\" and \"default\"",
                   info.id + "：每个参数都需要 \"name\" 和 \"default\"");
      }
      engine::ParamDef d;
      d.name = p["name"].get<std::string>();
      if (!ValidId(d.name)) {
        return Bad(info.id + ": parameter name \"" + d.name + "\" must be a–z, 0–9, _",
                   info.id + "：参数名“" + d.name + "”只能由 a–z、0–9 和 _ 组成");
      }
      d.default_value =
          p["default"].is_string() ? p["default"].get<std::string>() : p["default"].dump();
      d.zh = p.value("zh", d.name);
      d.en = p.value("en", d.name);
      info.params.push_back(std::move(d));
    }
  }
  info.params.push_back(
      {"time_limit_seconds", "60", "查询时限（秒）", "query time limit (seconds)"});
  std::string sql = str("sql");
  if (sql.empty()) return Bad(info.id + ": \"sql\" is required", info.id + "：缺少 \"sql\"");
  if (!db_path.empty()) {
    QF_ASSIGN_OR_RETURN(Prepared p, PrepareQuery(db_path, sql, info.id));
    (void)p;
  }
  return std::unique_ptr<engine::Model>(new CustomModel(std::move(info), std::move(sql)));
}

}  // namespace qf::models
