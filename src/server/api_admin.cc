// Records behind the leads, the dashboard, the model catalogue, accounts and
// the ledger.
#include <map>

#include "common/time.h"
#include "engine/model.h"
#include "ingest/dataset.h"
#include "ingest/identifiers.h"
#include "leads/enforcement.h"
#include "leads/scan.h"
#include "ledger/audit.h"
#include "ledger/checkpoint.h"
#include "ledger/ledger.h"
#include "server/api.h"
#include "server/api_util.h"
#include "store/schema.h"

namespace qf::server {

using nlohmann::json;

// ---------------------------------------------------------------------------
// Records

bool Api::RecordVisible(Ctx& c, const DatasetDef& def, const std::string& key, Response* denied) {
  // The organisation → region map follows imports, re-read at most once a minute.
  if (NowUnix() - c.conn.scope_loaded > 60) {
    c.conn.scope = std::make_unique<leads::ScopeResolver>(c.db());
    if (Status s = c.conn.scope->Init(); !s.ok()) {
      *denied = FromStatus(s);
      return false;
    }
    c.conn.scope_loaded = NowUnix();
  }
  bool found = false;
  auto scope = c.conn.scope->OfRecord(def.name, key, &found);
  if (!scope.ok()) {
    *denied = FromStatus(scope.status());
    return false;
  }
  if (found && scope->region_code.empty()) {
    // A record about a person without a region of its own: the person's registered one.
    std::string id = key.substr(0, key.find('|'));
    bool person_found = false;
    auto p = c.conn.scope->OfRecord("persons", id, &person_found);
    if (p.ok() && person_found) scope->region_code = p->region_code;
  }
  if (!found) {
    *denied =
        c.user.Scoped() ? Forbidden() : Error(404, "not_found", "没有这条记录", "no such record");
    return false;
  }
  if (c.user.Scoped() && !InScope(c.user, scope->org, scope->region_code)) {
    *denied = Forbidden();
    return false;
  }
  return true;
}

Response Api::GetRecord(Ctx& c) {
  const std::string& name = c.params["dataset"];
  const DatasetDef* def = FindDataset(name);
  if (def == nullptr) {
    return Error(404, "not_found", "没有数据集：" + name, "no dataset " + name, "dataset");
  }
  std::string key = c.req.Query("key");
  if (key.empty() || key.size() > 500) {
    return Error(400, "bad_parameter", "参数 key（记录的主键）缺失或过长",
                 "parameter key (the record's key) is missing or too long", "key");
  }
  bool unmask = false;
  Response err;
  if (!WantsUnmasked(c, &unmask, &err)) return err;
  Response denied;
  if (!RecordVisible(c, *def, key, &denied)) return denied;
  std::string cols;
  for (const ColumnDef& col : def->columns) cols += QuoteIdent(col.name) + ", ";
  auto q = c.db()->Prepare("SELECT " + cols + "_extra, _version, _import_id FROM " +
                           QuoteIdent(VersionsTable(*def)) + " WHERE _key = ?1 AND _current = 1");
  if (!q.ok()) return FromStatus(q.status());
  q->BindText(1, key);
  auto row = q->Step();
  if (!row.ok()) return FromStatus(row.status());
  if (!*row) return Error(404, "not_found", "没有这条记录", "no such record");
  json fields = json::object();
  json columns = json::array();
  int i = 0;
  for (const ColumnDef& col : def->columns) {
    columns.push_back({{"name", col.name}, {"zh", col.DisplayName()}});
    if (q->IsNull(i)) {
      fields[col.name] = nullptr;
    } else {
      std::string v = q->Text(i);
      fields[col.name] = unmask ? v : MaskField(def->name, col.name, v);
    }
    ++i;
  }
  json extra = json::object();
  if (!q->IsNull(i)) {
    json e = json::parse(q->Text(i), nullptr, false);
    if (e.is_object()) {
      for (auto& [k, v] : e.items()) {
        std::string text = v.is_string() ? v.get<std::string>() : v.dump();
        extra[k] = unmask ? text : MaskField(def->name, k, text);
      }
    }
  }
  json out = {{"dataset", def->name},
              {"dataset_zh", def->zh},
              {"key", unmask ? key : MaskKey(def->name, key)},
              {"version", q->Int(i + 1)},
              {"import_id", q->Int(i + 2)},
              {"columns", columns},
              {"fields", fields},
              {"extra", extra}};
  if (unmask) {
    if (Status s = Audit(c, "view_unmasked", "record:" + def->name + "/" + key, json::object());
        !s.ok()) {
      return FromStatus(s);
    }
  }
  return Json(200, out);
}

// ---------------------------------------------------------------------------
// Dashboard

namespace {

Result<json> GroupCounts(Db* db, const std::string& column, const std::string& where,
                         const std::vector<std::string>& binds, int limit) {
  QF_ASSIGN_OR_RETURN(
      Stmt q, db->Prepare("SELECT " + column +
                          " AS k, COUNT(*), SUM(amount), SUM(detection = "
                          "'active') FROM leads WHERE " +
                          where + " GROUP BY k ORDER BY " + (limit > 0 ? "COUNT(*) DESC, k" : "k") +
                          (limit > 0 ? " LIMIT " + std::to_string(limit) : "")));
  for (size_t i = 0; i < binds.size(); ++i) q.BindText(static_cast<int>(i) + 1, binds[i]);
  json out = json::array();
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({{"key", q.IsNull(0) ? json(nullptr) : json(q.Text(0))},
                   {"count", q.Int(1)},
                   {"amount_fen", q.Int(2)},
                   {"active", q.Int(3)}});
  }
  return out;
}

}  // namespace

Response Api::Dashboard(Ctx& c) {
  std::vector<std::string> binds;
  std::string where = ScopeSql(c.user, &binds) + " AND status <> 'merged'";
  Db* db = c.db();
  auto bind_all = [&](Stmt& q) {
    for (size_t i = 0; i < binds.size(); ++i) q.BindText(static_cast<int>(i) + 1, binds[i]);
  };
  auto totals = db->Prepare(
      "SELECT COUNT(*), SUM(detection = 'active'), COALESCE(SUM(amount), 0), "
      "COALESCE(SUM(CASE WHEN detection = 'active' AND verdict IS NOT "
      "'dismissed' THEN amount END), 0), SUM(verdict = 'confirmed'), "
      "SUM(verdict = 'dismissed'), SUM(status = 'closed') FROM leads WHERE " +
      where);
  if (!totals.ok()) return FromStatus(totals.status());
  bind_all(*totals);
  auto trow = totals->Step();
  if (!trow.ok()) return FromStatus(trow.status());
  json out;
  out["totals"] = {{"leads", totals->Int(0)},      {"active", totals->Int(1)},
                   {"amount_fen", totals->Int(2)}, {"amount_at_stake_fen", totals->Int(3)},
                   {"confirmed", totals->Int(4)},  {"dismissed", totals->Int(5)},
                   {"closed", totals->Int(6)}};
  struct Group {
    const char* name;
    const char* column;
    int limit;
  };
  const Group groups[] = {
      {"by_family", "family", 0},      {"by_model", "model", 0},
      {"by_status", "status", 0},      {"by_org", "org", 20},
      {"by_region", "region_code", 0}, {"by_month", "substr(created_at, 1, 7)", 0}};
  for (const Group& g : groups) {
    auto r = GroupCounts(db, g.column, where, binds, g.limit);
    if (!r.ok()) return FromStatus(r.status());
    out[g.name] = std::move(r).value();
  }
  for (json& m : out["by_model"])
    m["name_zh"] = m["key"].is_string() ? [&] {
    const engine::Model* model = engine::FindBuiltinModel(m["key"].get<std::string>());
    return model ? model->info().name_zh : m["key"].get<std::string>();
  }() : "";
  for (json& s : out["by_status"]) {
    s["zh"] =
        leads::LabelZh(leads::Statuses(), s["key"].is_string() ? s["key"].get<std::string>() : "");
  }
  // Deadlines: computed from the workflow parameters and today.
  auto open = db->Prepare(
      "SELECT id, status, route, created_at, approved_at, score, summary, "
      "model FROM leads WHERE " +
      where + " AND status IN ('pending','proposed','in_progress')");
  if (!open.ok()) return FromStatus(open.status());
  bind_all(*open);
  std::string today = Today();
  int64_t overdue = 0, warning = 0;
  json items = json::array();
  for (;;) {
    auto row = open->Step();
    if (!row.ok()) return FromStatus(row.status());
    if (!*row) break;
    leads::Lead l;
    l.id = open->Int(0);
    l.status = open->Text(1);
    l.route = open->IsNull(2) ? "" : open->Text(2);
    l.created_at = open->Text(3);
    l.approved_at = open->IsNull(4) ? "" : open->Text(4);
    leads::Deadline d = leads::DeadlineOf(l, config_.workflow, today);
    if (d.state == "overdue") ++overdue;
    if (d.state == "warning") ++warning;
    if ((d.state == "overdue" || d.state == "warning") && items.size() < 50) {
      items.push_back(
          {{"id", leads::LeadCode(l.id)},
           {"model", open->Text(7)},
           {"score", open->Int(5)},
           {"summary", MaskPersonalIds(open->Text(6))},
           {"status", l.status},
           {"deadline",
            {{"kind", d.kind}, {"due", d.due}, {"state", d.state}, {"days_left", d.days_left}}}});
    }
  }
  out["deadlines"] = {{"overdue", overdue}, {"warning", warning}, {"items", items}};
  auto rates = db->Prepare(
      "SELECT model, SUM(verdict = 'confirmed'), SUM(verdict = 'dismissed') "
      "FROM leads WHERE " +
      where + " GROUP BY model ORDER BY model");
  if (!rates.ok()) return FromStatus(rates.status());
  bind_all(*rates);
  json conf = json::array();
  for (;;) {
    auto row = rates->Step();
    if (!row.ok()) return FromStatus(row.status());
    if (!*row) break;
    int64_t yes = rates->Int(1), no = rates->Int(2);
    conf.push_back(
        {{"model", rates->Text(0)},
         {"confirmed", yes},
         {"dismissed", no},
         {"rate", yes + no == 0 ? json(nullptr)
                                : json(static_cast<double>(yes) / static_cast<double>(yes + no))}});
  }
  out["confirmation"] = conf;
  out["today"] = today;
  return Json(200, out);
}

// ---------------------------------------------------------------------------
// Models

Response Api::ModelsRoute(Ctx& c) {
  std::vector<std::string> binds;
  std::string where = ScopeSql(c.user, &binds);
  auto q = c.db()->Prepare(
      "SELECT model, COUNT(*), SUM(detection = 'active'), SUM(verdict = "
      "'confirmed'), SUM(verdict = 'dismissed') FROM leads WHERE " +
      where + " GROUP BY model");
  if (!q.ok()) return FromStatus(q.status());
  for (size_t i = 0; i < binds.size(); ++i) q->BindText(static_cast<int>(i) + 1, binds[i]);
  std::map<std::string, std::array<int64_t, 4>> stats;
  for (;;) {
    auto row = q->Step();
    if (!row.ok()) return FromStatus(row.status());
    if (!*row) break;
    stats[q->Text(0)] = {q->Int(1), q->Int(2), q->Int(3), q->Int(4)};
  }
  std::vector<const engine::Model*> models;
  for (const auto& m : engine::BuiltinModels()) models.push_back(m.get());
  auto custom = leads::LoadCustomModels(c.db(), config_.db_path);
  if (custom.ok()) {
    for (const auto& m : *custom) models.push_back(m.get());
  }
  json out = json::array();
  for (const engine::Model* m : models) {
    const engine::ModelInfo& info = m->info();
    json params = json::array();
    for (const auto& p : info.params) {
      params.push_back(
          {{"name", p.name}, {"default", p.default_value}, {"zh", p.zh}, {"en", p.en}});
    }
    auto s = stats[info.id];
    out.push_back(
        {{"id", info.id},
         {"name_zh", info.name_zh},
         {"name_en", info.name_en},
         {"family", info.family},
         {"detects", info.detects},
         {"basis", info.basis},
         {"severity", static_cast<int>(info.severity)},
         {"params", params},
         {"leads", s[0]},
         {"active", s[1]},
         {"confirmed", s[2]},
         {"dismissed", s[3]},
         {"confirmation_rate",
          s[2] + s[3] == 0 ? json(nullptr)
                           : json(static_cast<double>(s[2]) / static_cast<double>(s[2] + s[3]))}});
  }
  return Json(200, {{"models", out}});
}

// ---------------------------------------------------------------------------
// Accounts

namespace {

json UserInfoJson(const UserInfo& u) {
  const RoleDef* role = FindRole(u.role);
  return {{"name", u.name},
          {"display_name", u.display_name},
          {"role", u.role},
          {"role_zh", role ? role->zh : u.role},
          {"regions", u.regions},
          {"orgs", u.orgs},
          {"disabled", u.disabled},
          {"locked", u.locked},
          {"created_at", u.created_at}};
}

}  // namespace

Response Api::ListUsersRoute(Ctx& c) {
  auto list = ListUsers(c.db(), NowUnix());
  if (!list.ok()) return FromStatus(list.status());
  json out = json::array();
  for (const UserInfo& u : *list) out.push_back(UserInfoJson(u));
  return Json(200, {{"users", out}});
}

Response Api::CreateUserRoute(Ctx& c) {
  json body;
  Response err;
  NewUser u;
  std::string password;
  bool present = false;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body, {"name", "display_name", "role", "password", "regions", "orgs"},
                       &err) ||
      !GetString(body, "name", true, 64, &u.name, &err) ||
      !GetString(body, "display_name", false, 100, &u.display_name, &err) ||
      !GetString(body, "role", true, 32, &u.role, &err) ||
      !GetString(body, "password", true, 1024, &password, &err) ||
      !GetStringList(body, "regions", 100, &present, &u.regions, &err) ||
      !GetStringList(body, "orgs", 100, &present, &u.orgs, &err)) {
    return err;
  }
  Db* db = c.db();
  Transaction tx(db);
  if (Status s = tx.Begin(); !s.ok()) return FromStatus(s);
  if (Status s = CreateUser(db, u, password, config_.auth); !s.ok()) {
    const std::string& msg = s.message();
    return FromStatus(s, msg.substr(0, msg.find(':')));
  }
  auto ledger = ledger::Ledger::Open(db);
  if (!ledger.ok()) return FromStatus(ledger.status());
  json details = {{"role", u.role}, {"regions", u.regions}, {"orgs", u.orgs}};
  auto a = (*ledger)->AppendAction(
      {"user:" + c.user.name, "user_add", "user:" + u.name, details.dump()});
  if (!a.ok()) return FromStatus(a.status());
  if (Status s = (*ledger)->Flush(); !s.ok()) return FromStatus(s);
  if (Status s = tx.Commit(); !s.ok()) return FromStatus(s);
  auto list = ListUsers(db, NowUnix());
  if (list.ok()) {
    for (const UserInfo& info : *list) {
      if (info.name == u.name) return Json(201, UserInfoJson(info));
    }
  }
  return Json(201, {{"name", u.name}});
}

Response Api::UpdateUserRoute(Ctx& c) {
  const std::string& name = c.params["name"];
  json body;
  Response err;
  UserChange ch;
  std::string password;
  bool present = false;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(
          body, {"display_name", "role", "password", "regions", "orgs", "disabled", "unlock"},
          &err) ||
      !GetString(body, "display_name", false, 100, &ch.display_name, &err) ||
      !GetString(body, "role", false, 32, &ch.role, &err) ||
      !GetString(body, "password", false, 1024, &password, &err) ||
      !GetStringList(body, "regions", 100, &ch.set_regions, &ch.regions, &err) ||
      !GetStringList(body, "orgs", 100, &ch.set_orgs, &ch.orgs, &err) ||
      !GetBool(body, "disabled", &ch.set_disabled, &ch.disabled, &err) ||
      !GetBool(body, "unlock", &present, &ch.unlock, &err)) {
    return err;
  }
  if (name == c.user.name &&
      ((ch.set_disabled && ch.disabled) || (!ch.role.empty() && ch.role != "admin"))) {
    return Error(400, "self_lockout", "不能停用自己或取消自己的管理员角色",
                 "you cannot disable yourself or drop your own admin role");
  }
  Db* db = c.db();
  Transaction tx(db);
  if (Status s = tx.Begin(); !s.ok()) return FromStatus(s);
  if (Status s = UpdateUser(db, name, ch); !s.ok()) {
    const std::string& msg = s.message();
    return FromStatus(s, s.code() == Status::Code::kNotFound ? "" : msg.substr(0, msg.find(':')));
  }
  if (!password.empty()) {
    if (Status s = SetPassword(db, name, password, config_.auth); !s.ok()) {
      return FromStatus(s, "password");
    }
  }
  auto ledger = ledger::Ledger::Open(db);
  if (!ledger.ok()) return FromStatus(ledger.status());
  json details = body;
  if (details.contains("password")) details["password"] = "(changed)";
  auto a = (*ledger)->AppendAction(
      {"user:" + c.user.name, "user_update", "user:" + name, details.dump()});
  if (!a.ok()) return FromStatus(a.status());
  if (Status s = (*ledger)->Flush(); !s.ok()) return FromStatus(s);
  if (Status s = tx.Commit(); !s.ok()) return FromStatus(s);
  auto list = ListUsers(db, NowUnix());
  if (!list.ok()) return FromStatus(list.status());
  for (const UserInfo& info : *list) {
    if (info.name == name) return Json(200, UserInfoJson(info));
  }
  return Error(404, "not_found", "没有用户 " + name, "no user " + name);
}

// ---------------------------------------------------------------------------
// Ledger

Response Api::LedgerInfo(Ctx& c) {
  auto ledger = ledger::Ledger::Open(c.db());
  if (!ledger.ok()) return FromStatus(ledger.status());
  auto note = ledger::LatestCheckpoint(c.db());
  if (!note.ok()) return FromStatus(note.status());
  return Json(
      200,
      {{"size", (*ledger)->size()}, {"root", ToHex((*ledger)->Root())}, {"checkpoint", *note}});
}

Response Api::LedgerCheckpointsRoute(Ctx& c) {
  Response err;
  int64_t limit = 0, offset = 0;
  if (!QueryInt(c.req, "limit", 1, 1000, 50, &limit, &err) ||
      !QueryInt(c.req, "offset", 0, INT64_MAX / 2, 0, &offset, &err)) {
    return err;
  }
  auto total = c.db()->QueryInt("SELECT COUNT(*) FROM ledger_checkpoints");
  if (!total.ok()) return FromStatus(total.status());
  auto q = c.db()->Prepare(
      "SELECT size, root, created_at, note FROM ledger_checkpoints ORDER BY size DESC "
      "LIMIT ? OFFSET ?");
  if (!q.ok()) return FromStatus(q.status());
  q->BindInt(1, limit);
  q->BindInt(2, offset);
  json items = json::array();
  for (;;) {
    auto row = q->Step();
    if (!row.ok()) return FromStatus(row.status());
    if (!*row) break;
    std::string root = q->Text(1);
    items.push_back({{"size", q->Int(0)},
                     {"root", ToHex(reinterpret_cast<const uint8_t*>(root.data()), root.size())},
                     {"created_at", q->Text(2)},
                     {"note", q->Text(3)}});
  }
  return Json(200, {{"items", items}, {"total", *total}});
}

namespace {

constexpr size_t kMaxListedProblems = 200;

json VerifyReportJson(const ledger::VerifyReport& r) {
  json problems = json::array();
  for (const ledger::Problem& p : r.problems) {
    if (problems.size() == kMaxListedProblems) break;
    problems.push_back({{"kind", ledger::KindName(p.kind, false)},
                        {"kind_zh", ledger::KindName(p.kind, true)},
                        {"dataset", p.dataset},
                        {"key", p.key},
                        {"version", p.version},
                        {"leaf_index", p.leaf_index},
                        {"detail", p.detail_zh},
                        {"detail_en", p.detail_en}});
  }
  return {{"ok", r.ok()},
          {"leaves", r.leaves},
          {"root", ToHex(r.root)},
          {"rows_checked", r.rows_checked},
          {"checkpoints_checked", r.checkpoints_checked},
          {"latest_checkpoint_size", r.latest_checkpoint_size},
          {"problem_count", r.problems.size()},
          {"problems", problems}};
}

// A proof as the API gives it: the proof itself and the auditor's check of it,
// done here with the office's public key (the same check `qingfeng ledger
// check` does offline).
Result<json> CheckedProof(const nlohmann::ordered_json& proof, const std::string& db_path) {
  QF_ASSIGN_OR_RETURN(ledger::Signer signer, ledger::SignerFor(db_path));
  QF_ASSIGN_OR_RETURN(ledger::Verifier verifier, ledger::Verifier::Parse(signer.VerifierKey()));
  json plain = json::parse(proof.dump());
  auto zh = ledger::CheckProof(plain, verifier, true);
  auto en = ledger::CheckProof(plain, verifier, false);
  json out = {{"proof", plain}, {"verified", zh.ok() && en.ok()}};
  if (zh.ok() && en.ok()) {
    out["checks"] = *zh;
    out["checks_en"] = *en;
  } else {
    const Status& s = zh.ok() ? en.status() : zh.status();
    out["checks"] = json::array({s.message_zh()});
    out["checks_en"] = json::array({s.message()});
  }
  return out;
}

}  // namespace

Response Api::LedgerVerifyRoute(Ctx& c) {
  std::string db_path = config_.db_path;
  int64_t id =
      SubmitJob("verify", "user:" + c.user.name, json::object(),
                [db_path](const std::function<void(json)>& progress) -> Result<json> {
                  progress({{"stage", "verify"}, {"percent", 0}});
                  QF_ASSIGN_OR_RETURN(auto db, Db::Open(db_path));
                  QF_ASSIGN_OR_RETURN(ledger::Signer signer, ledger::SignerFor(db_path));
                  QF_ASSIGN_OR_RETURN(ledger::Verifier verifier,
                                      ledger::Verifier::Parse(signer.VerifierKey()));
                  QF_ASSIGN_OR_RETURN(ledger::VerifyReport r, ledger::Verify(db.get(), &verifier));
                  QF_RETURN_IF_ERROR(leads::AddAvMediaProblems(db.get(), db_path + ".files", &r));
                  progress({{"stage", "done"}, {"percent", 100}});
                  return VerifyReportJson(r);
                });
  if (Status s = Audit(c, "ledger_verify", "ledger", {{"job", id}}); !s.ok()) {
    return FromStatus(s);
  }
  Job job;
  GetJob(id, &job);
  return Json(202, JobJson(job));
}

Response Api::LedgerVerifyJobRoute(Ctx& c) {
  Job job;
  Response err;
  if (!FindJob(c, {"verify"}, false, &job, &err)) return err;
  return Json(200, JobJson(job));
}

Response Api::LedgerProofRoute(Ctx& c) {
  std::string dataset = c.req.Query("dataset");
  std::string key = c.req.Query("key");
  if (FindDataset(dataset) == nullptr) {
    return Error(400, "bad_parameter", "参数 dataset 应为已知的数据集",
                 "parameter dataset must name a known dataset", "dataset");
  }
  if (key.empty() || key.size() > 1000) {
    return Error(400, "bad_parameter", "参数 key 应为记录的主键",
                 "parameter key must be a record key", "key");
  }
  const DatasetDef* def = FindDataset(dataset);
  // A proof shows the record: the same scope as GET /api/records.
  Response denied;
  if (!RecordVisible(c, *def, key, &denied)) return denied;
  auto signer = ledger::SignerFor(config_.db_path);
  if (!signer.ok()) return FromStatus(signer.status());
  auto proof = ledger::ProveRecord(c.db(), *signer, FindDataset(dataset)->name, key);
  if (!proof.ok()) return FromStatus(proof.status());
  auto out = CheckedProof(*proof, config_.db_path);
  if (!out.ok()) return FromStatus(out.status());
  // A proof carries the record itself (its canonical bytes are what the leaf
  // commits to). Personal data in it is for those who may see it in clear —
  // a logged view; others get the checked result with the record masked and
  // without the bytes that would reveal it (so not checkable offline).
  json& rec = (*out)["proof"]["record"];
  if (c.user.Can(kUnmask)) {
    if (Status s = Audit(c, "view_unmasked", def->name + "/" + key, {{"via", "ledger_proof"}});
        !s.ok()) {
      return FromStatus(s);
    }
    (*out)["masked"] = false;
  } else {
    for (auto& [column, value] : rec["values"].items()) {
      if (value.is_string()) value = MaskField(def->name, column, value.get<std::string>());
    }
    const std::string masked_key = MaskKey(def->name, key);
    rec["key"] = masked_key;
    for (const char* list : {"checks", "checks_en"}) {
      for (json& line : (*out)[list]) {
        std::string text = line.get<std::string>();
        for (size_t at = text.find(key); at != std::string::npos;
             at = text.find(key, at + masked_key.size())) {
          text.replace(at, key.size(), masked_key);
        }
        line = text;
      }
    }
    rec.erase("canonical_row_base64");
    (*out)["proof"].erase("leaf_data_base64");
    (*out)["masked"] = true;
  }
  return Json(200, *out);
}

Response Api::LedgerConsistencyRoute(Ctx& c) {
  Response err;
  int64_t old_size = 0, new_size = 0;
  if (!QueryInt(c.req, "old", 1, INT64_MAX / 2, 0, &old_size, &err) ||
      !QueryInt(c.req, "new", 0, INT64_MAX / 2, 0, &new_size, &err)) {
    return err;
  }
  if (old_size == 0) {
    return Error(400, "bad_parameter", "缺少参数 old（较早的账本大小）",
                 "parameter old (the earlier tree size) is required", "old");
  }
  auto signer = ledger::SignerFor(config_.db_path);
  if (!signer.ok()) return FromStatus(signer.status());
  auto proof = ledger::ProveConsistency(c.db(), *signer, static_cast<uint64_t>(old_size),
                                        static_cast<uint64_t>(new_size));
  if (!proof.ok()) return FromStatus(proof.status());
  auto out = CheckedProof(*proof, config_.db_path);
  if (!out.ok()) return FromStatus(out.status());
  return Json(200, *out);
}

Response Api::LedgerActions(Ctx& c) {
  Response err;
  int64_t limit = 0, offset = 0;
  if (!QueryInt(c.req, "limit", 1, 1000, 100, &limit, &err) ||
      !QueryInt(c.req, "offset", 0, INT64_MAX / 2, 0, &offset, &err)) {
    return err;
  }
  std::string sql = "SELECT id, at, actor, action, target, details FROM ledger_actions WHERE 1";
  std::vector<std::string> binds;
  for (const char* f : {"actor", "action"}) {
    if (c.req.HasQuery(f)) {
      sql += std::string(" AND ") + f + " = ?";
      binds.push_back(c.req.Query(f));
    }
  }
  sql += " ORDER BY id DESC LIMIT ? OFFSET ?";
  auto q = c.db()->Prepare(sql);
  if (!q.ok()) return FromStatus(q.status());
  int n = static_cast<int>(binds.size());
  for (int i = 0; i < n; ++i) q->BindText(i + 1, binds[static_cast<size_t>(i)]);
  q->BindInt(n + 1, limit);
  q->BindInt(n + 2, offset);
  json out = json::array();
  for (;;) {
    auto row = q->Step();
    if (!row.ok()) return FromStatus(row.status());
    if (!*row) break;
    out.push_back({{"id", q->Int(0)},
                   {"at", q->Text(1)},
                   {"actor", q->Text(2)},
                   {"action", q->Text(3)},
                   {"target", MaskPersonalIds(q->Text(4))},
                   {"details", json::parse(MaskPersonalIds(q->Text(5)), nullptr, false)}});
  }
  return Json(200, {{"actions", out}});
}

}  // namespace qf::server
