// Model management: the catalogue with each model's settings, switching
// models on and off and overriding their parameters (the settings file),
// scans in the background, per-model statistics, and analysts' SQL models
// (save, test run, remove).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "engine/model.h"
#include "engine/runner.h"
#include "engine/snapshot.h"
#include "leads/scan.h"
#include "leads/workflow.h"
#include "models/custom_sql.h"
#include "server/api.h"
#include "server/api_util.h"
#include "store/store.h"

namespace qf::server {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Every change to a settings file goes through here: read, change, check,
// replace (atomically), one writer at a time.
std::mutex settings_mu;

Result<json> ReadSettingsJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return json::object();
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidInput(path + " is not a JSON object; correct it by hand first",
                                path + " 不是有效的 JSON 对象，请先手工修正");
  }
  return j;
}

Status WriteSettingsJson(const std::string& path, const json& j) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << j.dump(2) << "\n";
    out.close();
    if (!out) return Status::IOError("cannot write " + tmp);
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status::IOError("cannot replace " + path + ": " + ec.message());
  return Status::OK();
}

// Builtin models and the analysts' ones, by id.
struct Catalogue {
  std::vector<std::unique_ptr<engine::Model>> custom;
  const engine::Model* Find(const std::string& id) const {
    if (const engine::Model* m = engine::FindBuiltinModel(id)) return m;
    for (const auto& m : custom) {
      if (m->info().id == id) return m.get();
    }
    return nullptr;
  }
};

Result<Catalogue> LoadCatalogue(Db* db, const std::string& db_path) {
  Catalogue c;
  QF_ASSIGN_OR_RETURN(c.custom, leads::LoadCustomModels(db, db_path));
  return c;
}

bool IsCustom(const std::string& id) { return engine::FindBuiltinModel(id) == nullptr; }

Response NoModel(const std::string& id) {
  return Api::Error(404, "not_found", "没有模型 " + id, "no model " + id);
}

json StatusJson(const Status& s) {
  return {{"message", s.message_zh()}, {"message_en", s.message()}};
}

}  // namespace

// ---------------------------------------------------------------------------
// The catalogue with settings

Response Api::ModelCatalogueRoute(Ctx& c) {
  Response base = ModelsRoute(c);
  if (base.status != 200) return base;
  json out = json::parse(base.body, nullptr, false);
  if (!out.is_object() || !out.contains("models")) return base;
  auto catalogue = LoadCatalogue(c.db(), config_.db_path);
  if (!catalogue.ok()) return FromStatus(catalogue.status());
  auto settings = engine::Settings::Load(config_.settings_path);
  json overrides = json::object();
  {
    std::lock_guard lock(settings_mu);
    auto file = ReadSettingsJson(config_.settings_path);
    if (file.ok() && file->contains("models") && (*file)["models"].is_object()) {
      overrides = (*file)["models"];
    }
  }
  if (!settings.ok()) out["settings_error"] = StatusJson(settings.status());
  std::map<std::string, std::string> definitions;
  auto defs = c.db()->Prepare("SELECT id, definition FROM custom_models");
  if (!defs.ok()) return FromStatus(defs.status());
  for (;;) {
    auto row = defs->Step();
    if (!row.ok()) return FromStatus(row.status());
    if (!*row) break;
    definitions[defs->Text(0)] = defs->Text(1);
  }
  for (json& m : out["models"]) {
    std::string id = m.value("id", "");
    const engine::Model* model = catalogue->Find(id);
    if (model == nullptr) continue;
    const engine::ModelInfo& info = model->info();
    m["custom"] = IsCustom(id);
    m["severity_zh"] = engine::SeverityName(info.severity, true);
    m["severity_en"] = engine::SeverityName(info.severity, false);
    json inputs = json::array();
    for (const auto& in : info.inputs) {
      inputs.push_back({{"dataset", in.dataset}, {"columns", in.columns}});
    }
    m["inputs"] = inputs;
    json own = overrides.contains(id) && overrides[id].is_object() ? overrides[id] : json::object();
    own.erase("enabled");
    m["overrides"] = own;
    if (settings.ok()) {
      m["enabled"] = settings->Enabled(id);
      auto params = settings->ParamsFor(info);
      if (params.ok()) {
        m["values"] = params->values();
      } else {
        m["settings_error"] = StatusJson(params.status());
      }
    } else {
      m["enabled"] = true;
    }
    if (auto d = definitions.find(id); d != definitions.end()) {
      m["definition"] = json::parse(d->second, nullptr, false);
    }
  }
  out["settings_file"] = fs::path(config_.settings_path).filename().string();
  return Json(200, out);
}

// ---------------------------------------------------------------------------
// Switching on and off, parameters

Response Api::UpdateModelRoute(Ctx& c) {
  const std::string& id = c.params["id"];
  json body;
  Response err;
  bool has_enabled = false, enabled = true;
  if (!ParseObject(c.req, &body, &err) || !OnlyKnownFields(body, {"enabled", "params"}, &err) ||
      !GetBool(body, "enabled", &has_enabled, &enabled, &err)) {
    return err;
  }
  json params = body.contains("params") ? body["params"] : json(nullptr);
  if (!params.is_null() && !params.is_object()) {
    return Error(400, "wrong_type", "字段 params 应为对象：{参数名: 值}，值为 null 表示恢复默认",
                 "field params must be an object {name: value}; null restores the default",
                 "params");
  }
  if (!has_enabled && (params.is_null() || params.empty())) {
    return Error(400, "missing_field", "请给出 enabled 或 params", "give enabled or params");
  }
  auto catalogue = LoadCatalogue(c.db(), config_.db_path);
  if (!catalogue.ok()) return FromStatus(catalogue.status());
  const engine::Model* model = catalogue->Find(id);
  if (model == nullptr) return NoModel(id);
  const engine::ModelInfo& info = model->info();
  if (params.is_object()) {
    for (auto& [name, value] : params.items()) {
      bool declared = false;
      for (const auto& p : info.params) declared |= p.name == name;
      std::string field = "params." + name;
      if (!declared) {
        std::string known;
        for (const auto& p : info.params) known += (known.empty() ? "" : ", ") + p.name;
        return Error(400, "unknown_parameter",
                     "模型 " + id + " 没有参数“" + name + "”（可用参数：" + known + "）",
                     "model " + id + " has no parameter \"" + name + "\" (it has: " + known + ")",
                     field);
      }
      bool list = value.is_array();
      for (const auto& item : list ? value : json::array()) list = list && item.is_string();
      if (!value.is_null() && !value.is_number() && !value.is_string() && !list) {
        return Error(400, "wrong_type", "参数 " + name + " 应为数字、文本、文本列表或 null",
                     "parameter " + name + " must be a number, text, a list of texts or null",
                     field);
      }
    }
  }
  const std::string& path = config_.settings_path;
  json effective;
  {
    std::lock_guard lock(settings_mu);
    auto file = ReadSettingsJson(path);
    if (!file.ok()) return FromStatus(file.status());
    json& j = *file;
    if (!j.contains("models") || !j["models"].is_object()) j["models"] = json::object();
    json& own = j["models"][id];
    if (!own.is_object()) own = json::object();
    if (has_enabled) {
      if (enabled) {
        own.erase("enabled");  // on is the default
      } else {
        own["enabled"] = false;
      }
    }
    if (params.is_object()) {
      for (auto& [name, value] : params.items()) {
        if (value.is_null()) {
          own.erase(name);
        } else {
          own[name] = value;
        }
      }
    }
    if (own.empty()) j["models"].erase(id);
    // The whole file must still load as the scan will load it.
    auto settings = engine::Settings::Parse(j.dump(), path);
    if (!settings.ok()) return FromStatus(settings.status(), "params");
    auto values = settings->ParamsFor(info);
    if (!values.ok()) return FromStatus(values.status(), "params");
    if (Status s = WriteSettingsJson(path, j); !s.ok()) return FromStatus(s);
    effective = {{"id", id},
                 {"enabled", settings->Enabled(id)},
                 {"values", values->values()},
                 {"overrides", j["models"].contains(id) ? j["models"][id] : json::object()}};
    effective["overrides"].erase("enabled");
  }
  json details = json::object();
  if (has_enabled) details["enabled"] = enabled;
  if (params.is_object()) details["params"] = params;
  if (Status s = Audit(c, "model_settings", "model:" + id, details); !s.ok()) return FromStatus(s);
  return Json(200, effective);
}

// ---------------------------------------------------------------------------
// Scans

Response Api::StartScanRoute(Ctx& c) {
  json body = json::object();
  Response err;
  std::vector<std::string> ids;
  bool present = false;
  if (!c.req.body.empty() &&
      (!ParseObject(c.req, &body, &err) || !OnlyKnownFields(body, {"models"}, &err) ||
       !GetStringList(body, "models", 500, &present, &ids, &err))) {
    return err;
  }
  // Unknown ids and a broken settings file are answered now, not in the job.
  auto catalogue = LoadCatalogue(c.db(), config_.db_path);
  if (!catalogue.ok()) return FromStatus(catalogue.status());
  for (const std::string& id : ids) {
    if (catalogue->Find(id) == nullptr) return NoModel(id);
  }
  auto settings = engine::Settings::Load(config_.settings_path);
  if (!settings.ok()) return FromStatus(settings.status());
  std::string user = "user:" + c.user.name;
  std::string db_path = config_.db_path;
  std::string settings_path = config_.settings_path;
  int64_t id = SubmitJob(
      "scan", user, {{"models", ids}},
      [db_path, settings_path, ids,
       user](const std::function<void(json)>& progress) -> Result<json> {
        QF_ASSIGN_OR_RETURN(auto store, Store::Open(db_path));
        leads::ScanOptions o;
        o.model_ids = ids;
        o.settings_path = settings_path;
        o.actor = user;
        o.progress = [&progress](const std::string& stage, size_t done, size_t total) {
          double f = static_cast<double>(done) / static_cast<double>(std::max<size_t>(total, 1));
          double percent = stage == "load" ? 30 * f : stage == "run" ? 30 + 60 * f : 95;
          progress({{"stage", stage},
                    {"done", done},
                    {"total", total},
                    {"percent", static_cast<int>(percent)}});
        };
        QF_ASSIGN_OR_RETURN(leads::ScanReport r, leads::Scan(store.get(), o));
        progress({{"stage", "done"}, {"done", 1}, {"total", 1}, {"percent", 100}});
        json models = json::array();
        int64_t created = 0, findings = 0;
        for (const leads::ModelScanResult& m : r.models) {
          const engine::Model* builtin = engine::FindBuiltinModel(m.model);
          json item = {{"model", m.model},
                       {"name_zh", builtin ? builtin->info().name_zh : m.model},
                       {"family", m.family},
                       {"ok", m.status.ok()},
                       {"findings", m.findings},
                       {"new", m.stats.created},
                       {"updated", m.stats.updated},
                       {"reopened", m.stats.reopened},
                       {"resolved", m.stats.resolved},
                       {"evidence_added", m.stats.evidence_added},
                       {"seconds", m.seconds}};
          if (!m.status.ok()) item["error"] = StatusJson(m.status);
          created += m.stats.created;
          findings += static_cast<int64_t>(m.findings);
          models.push_back(std::move(item));
        }
        return json{{"scan_id", r.scan_id},
                    {"load_seconds", r.load_seconds},
                    {"run_seconds", r.run_seconds},
                    {"write_seconds", r.write_seconds},
                    {"findings", findings},
                    {"new", created},
                    {"models", models}};
      });
  Job job;
  GetJob(id, &job);
  return Json(202, JobJson(job));
}

Response Api::ScanJobRoute(Ctx& c) {
  Job job;
  Response err;
  if (!FindJob(c, {"scan"}, false, &job, &err)) return err;
  return Json(200, JobJson(job));
}

// ---------------------------------------------------------------------------
// Statistics

Response Api::ModelStatsRoute(Ctx& c) {
  const std::string& id = c.params["id"];
  Response err;
  int64_t limit = 0;
  if (!QueryInt(c.req, "limit", 1, 500, 20, &limit, &err)) return err;
  auto catalogue = LoadCatalogue(c.db(), config_.db_path);
  if (!catalogue.ok()) return FromStatus(catalogue.status());
  if (catalogue->Find(id) == nullptr) return NoModel(id);
  // Hits per scan, from the statistics every scan keeps (counts only).
  auto scans = c.db()->Prepare(
      "SELECT id, started_at, COALESCE(finished_at, ''), json_extract(stats, ?1) FROM scans "
      "WHERE stats IS NOT NULL AND json_extract(stats, ?1) IS NOT NULL ORDER BY id DESC LIMIT ?2");
  if (!scans.ok()) return FromStatus(scans.status());
  scans->BindText(1, "$.\"" + id + "\"");
  scans->BindInt(2, limit);
  json hits = json::array();
  for (;;) {
    auto row = scans->Step();
    if (!row.ok()) return FromStatus(row.status());
    if (!*row) break;
    json s = json::parse(scans->Text(3), nullptr, false);
    if (!s.is_object()) continue;
    json item = {{"scan", scans->Int(0)},
                 {"started_at", scans->Text(1)},
                 {"finished_at", scans->Text(2)},
                 {"ok", s.value("ok", false)},
                 {"findings", s.value("findings", 0)},
                 {"new", s.value("new", 0)},
                 {"resolved", s.value("resolved", 0)},
                 {"seconds", s.value("seconds", 0.0)}};
    if (s.contains("error")) item["error"] = s["error"];
    hits.push_back(std::move(item));
  }
  // Leads and verdicts within the user's scope.
  std::vector<std::string> binds;
  std::string where = ScopeSql(c.user, &binds) + " AND model = ?";
  binds.push_back(id);
  auto bind_all = [&](Stmt& q) {
    for (size_t i = 0; i < binds.size(); ++i) q.BindText(static_cast<int>(i) + 1, binds[i]);
  };
  auto by_status = c.db()->Prepare(
      "SELECT status, COUNT(*), SUM(detection = 'active') FROM leads "
      "WHERE " +
      where + " GROUP BY status ORDER BY status");
  if (!by_status.ok()) return FromStatus(by_status.status());
  bind_all(*by_status);
  json statuses = json::array();
  for (;;) {
    auto row = by_status->Step();
    if (!row.ok()) return FromStatus(row.status());
    if (!*row) break;
    statuses.push_back({{"status", by_status->Text(0)},
                        {"zh", leads::LabelZh(leads::Statuses(), by_status->Text(0))},
                        {"count", by_status->Int(1)},
                        {"active", by_status->Int(2)}});
  }
  auto verdicts = c.db()->Prepare(
      "SELECT COUNT(*), COALESCE(SUM(verdict = 'confirmed'), 0), "
      "COALESCE(SUM(verdict = 'dismissed'), 0), COALESCE(SUM(detection = 'active'), 0) FROM leads "
      "WHERE " +
      where);
  if (!verdicts.ok()) return FromStatus(verdicts.status());
  bind_all(*verdicts);
  auto vrow = verdicts->Step();
  if (!vrow.ok()) return FromStatus(vrow.status());
  leads::HitRate rate{id, verdicts->Int(1), verdicts->Int(2), verdicts->Int(0)};
  json confirmation = {
      {"confirmed", rate.confirmed},
      {"dismissed", rate.dismissed},
      {"rate", rate.confirmed + rate.dismissed == 0 ? json(nullptr) : json(rate.rate())}};
  return Json(200, {{"id", id},
                    {"leads", rate.leads},
                    {"active", verdicts->Int(3)},
                    {"by_status", statuses},
                    {"confirmation", confirmation},
                    {"scans", hits}});
}

// ---------------------------------------------------------------------------
// Analysts' SQL models

namespace {

constexpr std::initializer_list<const char*> kDefinitionFields = {
    "id", "name_zh", "name_en", "family", "detects", "basis", "severity", "params", "sql"};

// The SQL's own mistakes are the analyst's to fix: name the field.
Response SqlError(const Status& s) {
  if (s.code() != Status::Code::kInvalidArgument) return Api::FromStatus(s);
  bool sql = s.message().find("SQL") != std::string::npos ||
             s.message().find("SELECT") != std::string::npos ||
             s.message().find("query") != std::string::npos;
  return Api::Error(400, sql ? "sql_error" : "bad_definition", s.message_zh(), s.message(),
                    sql ? "sql" : "");
}

}  // namespace

Response Api::SaveCustomModelRoute(Ctx& c) {
  json body;
  Response err;
  if (!ParseObject(c.req, &body, &err) || !OnlyKnownFields(body, kDefinitionFields, &err)) {
    return err;
  }
  auto model = models::ParseCustomModel(body.dump(), config_.db_path);
  if (!model.ok()) return SqlError(model.status());
  const std::string id = (*model)->info().id;
  // Overrides in the settings must still fit the parameters it declares now.
  {
    std::lock_guard lock(settings_mu);
    auto settings = engine::Settings::Load(config_.settings_path);
    if (!settings.ok()) return FromStatus(settings.status());
    auto params = settings->ParamsFor((*model)->info());
    if (!params.ok()) return FromStatus(params.status(), "params");
  }
  auto existed = c.db()->Prepare("SELECT 1 FROM custom_models WHERE id = ?");
  if (!existed.ok()) return FromStatus(existed.status());
  existed->BindText(1, id);
  auto found = existed->Step();
  if (!found.ok()) return FromStatus(found.status());
  bool update = *found;
  existed->Reset();
  auto store = Store::Open(config_.db_path);
  if (!store.ok()) return FromStatus(store.status());
  auto saved = leads::AddCustomModel(store->get(), body.dump(), "user:" + c.user.name);
  if (!saved.ok()) return SqlError(saved.status());
  const engine::ModelInfo& info = (*model)->info();
  json params = json::array();
  for (const auto& p : info.params) {
    params.push_back({{"name", p.name}, {"default", p.default_value}, {"zh", p.zh}, {"en", p.en}});
  }
  return Json(update ? 200 : 201, {{"id", id},
                                   {"name_zh", info.name_zh},
                                   {"name_en", info.name_en},
                                   {"family", info.family},
                                   {"params", params},
                                   {"custom", true},
                                   {"created", !update}});
}

Response Api::TestCustomModelRoute(Ctx& c) {
  json body;
  Response err;
  std::string sql;
  int64_t limit = 20, seconds = 10;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body, {"sql", "params", "values", "limit", "time_limit_seconds"}, &err) ||
      !GetString(body, "sql", true, 100000, &sql, &err)) {
    return err;
  }
  for (auto [name, out, hi] : {std::tuple<const char*, int64_t*, int64_t>{"limit", &limit, 200},
                               {"time_limit_seconds", &seconds, 30}}) {
    if (!body.contains(name)) continue;
    const json& v = body[name];
    if (!v.is_number_integer() || v.get<int64_t>() < 1 || v.get<int64_t>() > hi) {
      return Error(
          400, "wrong_type",
          std::string("字段 ") + name + " 应为 1 到 " + std::to_string(hi) + " 之间的整数",
          std::string("field ") + name + " must be a whole number from 1 to " + std::to_string(hi),
          name);
    }
    *out = v.get<int64_t>();
  }
  json values = body.contains("values") ? body["values"] : json::object();
  if (!values.is_object()) {
    return Error(400, "wrong_type", "字段 values 应为对象：{参数名: 值}",
                 "field values must be an object {name: value}", "values");
  }
  json def = {{"id", "sql_test"}, {"name_zh", "SQL 试运行"}, {"sql", sql}};
  if (body.contains("params")) def["params"] = body["params"];
  // The analyst's SQL as written, so SQLite's reasons point at their text.
  auto model = models::ParseCustomModel(def.dump(), config_.db_path);
  if (!model.ok()) return SqlError(model.status());
  // Run only as far as the rows asked for, where SQLite can stop early.
  std::string trimmed = sql;
  while (!trimmed.empty() &&
         (std::isspace(static_cast<unsigned char>(trimmed.back())) || trimmed.back() == ';')) {
    trimmed.pop_back();
  }
  json limited = def;
  limited["sql"] = "SELECT * FROM (\n" + trimmed + "\n) LIMIT " + std::to_string(limit + 1);
  if (auto m = models::ParseCustomModel(limited.dump(), config_.db_path); m.ok()) {
    model = std::move(m);
  }
  const engine::ModelInfo& info = (*model)->info();
  std::map<std::string, std::string> params;
  for (const auto& p : info.params) params[p.name] = p.default_value;
  for (auto& [name, v] : values.items()) {
    if (!params.count(name) || name == "time_limit_seconds") {
      return Error(400, "unknown_parameter", "没有声明参数“" + name + "”",
                   "parameter \"" + name + "\" is not declared", "values." + name);
    }
    if (!v.is_string() && !v.is_number()) {
      return Error(400, "wrong_type", "参数 " + name + " 应为数字或文本",
                   "parameter " + name + " must be a number or text", "values." + name);
    }
    params[name] = v.is_string() ? v.get<std::string>() : v.dump();
  }
  params["time_limit_seconds"] = std::to_string(seconds);
  // An analyst's query reads personal data in clear: the ledger keeps what was asked.
  if (Status s = Audit(c, "model_test", "sql", {{"sql", sql}, {"values", values}}); !s.ok()) {
    return FromStatus(s);
  }
  auto snap = engine::Snapshot::Load(c.db(), {});
  if (!snap.ok()) return FromStatus(snap.status());
  engine::Params run_params(std::move(params));
  engine::RunContext ctx{**snap, run_params, config_.db_path};
  std::vector<engine::Finding> findings;
  auto t0 = std::chrono::steady_clock::now();
  Status s = (*model)->Run(ctx, &findings);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!s.ok()) return SqlError(s);
  json rows = json::array();
  for (size_t i = 0; i < findings.size() && i < static_cast<size_t>(limit); ++i) {
    const engine::Finding& f = findings[i];
    json evidence = json::array();
    for (const auto& e : f.evidence) evidence.push_back({{"dataset", e.dataset}, {"key", e.key}});
    rows.push_back(
        {{"identity", f.identity},
         {"subject",
          {{"dataset", f.subject.dataset}, {"key", f.subject.key}, {"name", f.subject.name}}},
         {"score", f.score},
         {"amount_fen", f.amount_fen},
         {"summary", f.summary},
         {"evidence", evidence}});
  }
  return Json(200, {{"findings", rows},
                    {"count", rows.size()},
                    {"more", findings.size() > static_cast<size_t>(limit)},
                    {"seconds", took}});
}

Response Api::DeleteCustomModelRoute(Ctx& c) {
  const std::string& id = c.params["id"];
  if (!IsCustom(id)) {
    return Error(400, "builtin_model", "内置模型不能删除，只能停用",
                 "a built-in model cannot be removed, only switched off");
  }
  auto exists = c.db()->Prepare("SELECT 1 FROM custom_models WHERE id = ?");
  if (!exists.ok()) return FromStatus(exists.status());
  exists->BindText(1, id);
  auto found = exists->Step();
  if (!found.ok()) return FromStatus(found.status());
  if (!*found) return NoModel(id);
  exists->Reset();
  auto store = Store::Open(config_.db_path);
  if (!store.ok()) return FromStatus(store.status());
  if (Status s = leads::RemoveCustomModel(store->get(), id, "user:" + c.user.name); !s.ok()) {
    return FromStatus(s);
  }
  // Settings naming a model that is gone would stop every scan.
  std::lock_guard lock(settings_mu);
  auto file = ReadSettingsJson(config_.settings_path);
  if (file.ok() && file->contains("models") && (*file)["models"].is_object() &&
      (*file)["models"].contains(id)) {
    (*file)["models"].erase(id);
    if (Status s = WriteSettingsJson(config_.settings_path, *file); !s.ok()) return FromStatus(s);
  }
  return Json(200, {{"id", id}, {"removed", true}});
}

}  // namespace qf::server
