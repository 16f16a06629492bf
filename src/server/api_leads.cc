// Leads: the list with filters, a lead with its evidence and history, the
// workflow actions (one or in bulk), and attachments.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/hash.h"
#include "common/time.h"
#include "engine/model.h"
#include "ingest/dataset.h"
#include "ingest/identifiers.h"
#include "ledger/ledger.h"
#include "server/api.h"
#include "server/api_util.h"
#include "store/blob_store.h"

namespace qf::server {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<std::string> CommaList(const Request& req, const char* name) {
  std::vector<std::string> out;
  for (const std::string& v : req.QueryAll(name)) {
    size_t i = 0;
    while (i <= v.size()) {
      size_t j = v.find(',', i);
      if (j == std::string::npos) j = v.size();
      if (j > i) out.push_back(v.substr(i, j - i));
      i = j + 1;
    }
  }
  return out;
}

bool IsDigits(const std::string& s, size_t n) {
  return s.size() == n &&
         std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

std::string ModelNameZh(const std::string& id) {
  if (id == "public_report") return "群众投诉举报";  // leads made from reports (leads/reports.h)
  const engine::Model* m = engine::FindBuiltinModel(id);
  return m ? m->info().name_zh : id;
}

}  // namespace

// ---------------------------------------------------------------------------

json Api::LeadJson(const leads::Lead& l, bool unmasked, const std::string& today) const {
  std::string key = unmasked ? l.subject.key : MaskKey(l.subject.dataset, l.subject.key);
  bool person = MaskPersonalIds(l.subject.key) != l.subject.key;
  std::string name = unmasked || !person ? l.subject.name : engine::MaskedName(l.subject.name);
  leads::Deadline d = leads::DeadlineOf(l, config_.workflow, today);
  json j = {{"id", leads::LeadCode(l.id)},
            {"model", l.model},
            {"model_name", ModelNameZh(l.model)},
            {"family", l.family},
            {"score", l.score},
            {"amount_fen", l.amount_fen},
            {"amount_yuan", engine::Yuan(l.amount_fen)},
            {"subject", {{"dataset", l.subject.dataset}, {"key", key}, {"name", name}}},
            {"summary", unmasked ? l.summary : MaskPersonalIds(l.summary)},
            {"detection", l.detection},
            {"status", l.status},
            {"status_zh", leads::LabelZh(leads::Statuses(), l.status)},
            {"route", l.route.empty() ? json(nullptr) : json(l.route)},
            {"outcome", l.outcome.empty() ? json(nullptr) : json(l.outcome)},
            {"verdict", l.verdict.empty() ? json(nullptr) : json(l.verdict)},
            {"assignee", l.assignee.empty() ? json(nullptr) : json(l.assignee)},
            {"org", l.org.empty() ? json(nullptr) : json(l.org)},
            {"region_code", l.region_code.empty() ? json(nullptr) : json(l.region_code)},
            {"merged_into", l.merged_into ? json(leads::LeadCode(l.merged_into)) : json(nullptr)},
            {"created_at", l.created_at},
            {"updated_at", l.updated_at},
            {"closed_at", l.closed_at.empty() ? json(nullptr) : json(l.closed_at)}};
  if (d.kind.empty()) {
    j["deadline"] = nullptr;
  } else {
    j["deadline"] = {
        {"kind", d.kind}, {"due", d.due}, {"state", d.state}, {"days_left", d.days_left}};
  }
  return j;
}

namespace {

// Every column LeadJson reads, with the day: equal signatures render equally.
std::string Signature(const leads::Lead& l, const std::string& today) {
  std::string s = today;
  for (const std::string* f :
       {&l.model, &l.family, &l.subject.dataset, &l.subject.key, &l.subject.name, &l.summary,
        &l.detection, &l.status, &l.route, &l.approved_at, &l.outcome, &l.verdict, &l.assignee,
        &l.org, &l.region_code, &l.created_at, &l.updated_at, &l.closed_at}) {
    s += '\x1f';
    s += *f;
  }
  for (int64_t n : {static_cast<int64_t>(l.score), l.amount_fen, l.merged_into}) {
    s += '\x1f';
    s += std::to_string(n);
  }
  return s;
}

}  // namespace

std::vector<std::string> Api::LeadItems(const std::vector<leads::Lead>& list, bool unmasked,
                                        const std::string& today) {
  std::vector<std::string> out(list.size());
  std::vector<std::string> signatures(list.size());
  std::vector<size_t> missing;
  auto& cache = rendered_[unmasked ? 1 : 0];
  for (size_t i = 0; i < list.size(); ++i) signatures[i] = Signature(list[i], today);
  {
    std::lock_guard lock(render_mu_);
    for (size_t i = 0; i < list.size(); ++i) {
      auto it = cache.find(list[i].id);
      if (it != cache.end() && it->second.signature == signatures[i]) {
        out[i] = it->second.json;
      } else {
        missing.push_back(i);
      }
    }
  }
  if (missing.empty()) return out;
  for (size_t i : missing) {
    out[i] = LeadJson(list[i], unmasked, today)
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::lock_guard lock(render_mu_);
  if (cache.size() > 50000) cache.clear();  // bounds memory; it refills from use
  for (size_t i : missing) {
    cache[list[i].id] = Rendered{std::move(signatures[i]), out[i]};
  }
  return out;
}

Result<leads::Lead> Api::VisibleLead(Ctx& c, const std::string& code, Response* denied) {
  auto id = leads::ParseLeadCode(code);
  if (!id.ok()) {
    *denied =
        Error(400, "bad_id", "线索编号格式不正确：" + code, "malformed lead id: " + code, "id");
    return id.status();
  }
  auto lead = leads::GetLead(c.db(), *id);
  if (!lead.ok()) {
    *denied = LookupFailed(c.user, lead.status(), "没有线索 " + code, "no lead " + code);
    return lead.status();
  }
  if (!InScope(c.user, lead->org, lead->region_code)) {
    *denied = Forbidden();
    return Status::NotFound("out of scope");
  }
  return lead;
}

Result<Api::LeadQuery> Api::ParseLeadQuery(Ctx& c, ApiError* err) const {
  const Request& req = c.req;
  LeadQuery q;
  auto fail = [&](std::string field, std::string zh, std::string en) {
    *err = ApiError{400, "bad_parameter", std::move(zh), std::move(en), std::move(field)};
    return Status::InvalidArgument(err->en);
  };
  static const char* kKnown[] = {
      "family",    "model",     "status",   "region", "org",   "assignee", "verdict",   "q",
      "min_score", "detection", "deadline", "sort",   "order", "page",     "page_size", "unmask"};
  for (const auto& [k, v] : req.query) {
    bool ok = false;
    for (const char* n : kKnown) ok |= k == n;
    if (!ok) return fail(k, "不认识的参数：" + k, "unknown parameter: " + k);
  }
  std::string w = ScopeSql(c.user, &q.binds);
  auto in_list = [&](const char* column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    w += std::string(" AND ") + column + " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      q.binds.push_back(values[i]);
      w += i ? ",?" : "?";
    }
    w += ")";
  };
  in_list("family", CommaList(req, "family"));
  in_list("model", CommaList(req, "model"));
  std::vector<std::string> statuses = CommaList(req, "status");
  for (const std::string& s : statuses) {
    if (!leads::IsOneOf(leads::Statuses(), s)) {
      return fail("status", "未知的状态：" + s, "unknown status: " + s);
    }
  }
  if (statuses.empty()) {
    w += " AND status <> 'merged'";
  } else {
    in_list("status", statuses);
  }
  std::vector<std::string> regions = CommaList(req, "region");
  for (const std::string& r : regions) {
    if (!IsDigits(r, 6))
      return fail("region", "行政区划代码应为 6 位数字：" + r,
                  "region must be a 6-digit code: " + r);
    // Asking for another region's leads is refused outright, not answered empty.
    std::string prefix = RegionPrefix(r);
    bool allowed = c.user.regions.empty();
    for (const std::string& mine : c.user.regions) {
      allowed |= prefix.starts_with(RegionPrefix(mine));
    }
    if (!allowed) {
      *err = ApiError{403, "forbidden", "无权访问", "forbidden", ""};
      return Status::InvalidArgument("forbidden");
    }
  }
  if (!regions.empty()) {
    w += " AND (";
    for (size_t i = 0; i < regions.size(); ++i) {
      q.binds.push_back(RegionPrefix(regions[i]) + "%");
      w += i ? " OR region_code LIKE ?" : "region_code LIKE ?";
    }
    w += ")";
  }
  std::vector<std::string> orgs = CommaList(req, "org");
  for (const std::string& o : orgs) {
    if (!OrgInScope(c.user, o)) {
      *err = ApiError{403, "forbidden", "无权访问", "forbidden", ""};
      return Status::InvalidArgument("forbidden");
    }
  }
  in_list("org", orgs);
  in_list("assignee", CommaList(req, "assignee"));
  std::vector<std::string> verdicts = CommaList(req, "verdict");
  for (const std::string& v : verdicts) {
    if (v != "none" && !leads::IsOneOf(leads::Verdicts(), v)) {
      return fail("verdict", "核实结论应为 confirmed、dismissed 或 none",
                  "verdict must be confirmed, dismissed or none");
    }
  }
  if (!verdicts.empty()) {
    w += " AND (";
    for (size_t i = 0; i < verdicts.size(); ++i) {
      if (i) w += " OR ";
      if (verdicts[i] == "none") {
        w += "verdict IS NULL";
      } else {
        q.binds.push_back(verdicts[i]);
        w += "verdict = ?";
      }
    }
    w += ")";
  }
  std::string text = req.Query("q");
  if (text.size() > 200)
    return fail("q", "搜索词过长（最多 200 字节）", "q is longer than 200 bytes");
  if (!text.empty()) {
    auto id = leads::ParseLeadCode(text);
    if (id.ok()) {
      q.binds.push_back(std::to_string(*id));
      w += " AND id = CAST(?" + std::to_string(q.binds.size()) + " AS INTEGER)";
    } else {
      std::string like = "%";
      for (char ch : text) {
        if (ch == '%' || ch == '_' || ch == '\\') like += '\\';
        like += ch;
      }
      like += "%";
      w += " AND (summary LIKE ? ESCAPE '\\' OR org LIKE ? ESCAPE '\\' OR model LIKE ? ESCAPE "
           "'\\')";
      q.binds.insert(q.binds.end(), {like, like, like});
    }
  }
  Response r;
  int64_t min_score = 0;
  if (!QueryInt(req, "min_score", 0, 100, 0, &min_score, &r)) {
    return fail("min_score", "参数 min_score 应为 0 到 100 之间的整数",
                "parameter min_score must be a whole number from 0 to 100");
  }
  if (min_score > 0) w += " AND score >= " + std::to_string(min_score);
  std::string detection = req.Query("detection");
  if (detection == "active" || detection == "resolved") {
    w += " AND detection = '" + detection + "'";
  } else if (!detection.empty() && detection != "all") {
    return fail("detection", "detection 应为 active、resolved 或 all",
                "detection must be active, resolved or all");
  }
  q.deadline = req.Query("deadline");
  if (!q.deadline.empty() && q.deadline != "overdue" && q.deadline != "warning" &&
      q.deadline != "due") {
    return fail("deadline", "deadline 应为 overdue、warning 或 due",
                "deadline must be overdue, warning or due");
  }
  if (!q.deadline.empty()) w += " AND status IN ('pending','proposed','in_progress')";
  std::string sort = req.Query("sort");
  std::string order = req.Query("order");
  if (!order.empty() && order != "asc" && order != "desc") {
    return fail("order", "order 应为 asc 或 desc", "order must be asc or desc");
  }
  const char* column = nullptr;
  if (sort.empty() || sort == "score") column = "score";
  if (sort == "amount") column = "amount";
  if (sort == "created") column = "created_at";
  if (sort == "updated") column = "updated_at";
  if (sort == "id") column = "id";
  if (column == nullptr) {
    return fail("sort", "sort 应为 score、amount、created、updated 或 id",
                "sort must be score, amount, created, updated or id");
  }
  std::string dir = order.empty()    ? (sort == "id" ? "ASC" : "DESC")
                    : order == "asc" ? "ASC"
                                     : "DESC";
  // Ties go oldest first under the default order (as `qingfeng leads`), and
  // the whole order reverses for "asc": both walk the leads_rank index.
  std::string tie = dir == "DESC" ? "ASC" : "DESC";
  q.order = std::string(column) + " " + dir + (std::string(column) == "id" ? "" : ", id " + tie);
  if (!QueryInt(req, "page", 1, 1000000, 1, &q.page, &r)) {
    return fail("page", "参数 page 应为正整数", "parameter page must be a positive whole number");
  }
  if (!QueryInt(req, "page_size", 1, 500, 20, &q.page_size, &r)) {
    return fail("page_size", "参数 page_size 应为 1 到 500 之间的整数",
                "parameter page_size must be a whole number from 1 to 500");
  }
  q.where = w;
  return q;
}

Result<std::vector<leads::Lead>> Api::QueryLeads(Db* db, const LeadQuery& q, int64_t limit,
                                                 int64_t offset, int64_t* total) const {
  if (q.deadline.empty()) {
    QF_ASSIGN_OR_RETURN(CachedStmt count,
                        db->Cached("SELECT COUNT(*) FROM leads WHERE " + q.where));
    for (size_t i = 0; i < q.binds.size(); ++i) {
      count->BindText(static_cast<int>(i) + 1, q.binds[i]);
    }
    QF_ASSIGN_OR_RETURN(bool row, count->Step());
    *total = row ? count->Int(0) : 0;
    return leads::LeadsWhere(db, q.where, q.binds, q.order, limit, offset);
  }
  // Deadlines depend on today and the parameters, so they are computed here.
  QF_ASSIGN_OR_RETURN(std::vector<leads::Lead> all,
                      leads::LeadsWhere(db, q.where, q.binds, q.order, -1, 0));
  std::string today = Today();
  std::vector<leads::Lead> out;
  int64_t matched = 0;
  for (leads::Lead& l : all) {
    leads::Deadline d = leads::DeadlineOf(l, config_.workflow, today);
    bool hit = q.deadline == "due" ? (d.state == "overdue" || d.state == "warning")
                                   : d.state == q.deadline;
    if (!hit) continue;
    if (matched >= offset && matched < offset + limit) out.push_back(std::move(l));
    ++matched;
  }
  *total = matched;
  return out;
}

Response Api::ListLeadsRoute(Ctx& c) {
  ApiError err;
  auto q = ParseLeadQuery(c, &err);
  if (!q.ok()) return Error(err);
  bool unmask = false;
  Response r;
  if (!WantsUnmasked(c, &unmask, &r)) return r;
  int64_t total = 0;
  auto list = QueryLeads(c.db(), *q, q->page_size, (q->page - 1) * q->page_size, &total);
  if (!list.ok()) return FromStatus(list.status());
  if (unmask && !list->empty()) {
    json ids = json::array();
    for (const leads::Lead& l : *list) ids.push_back(leads::LeadCode(l.id));
    if (Status s = Audit(c, "view_unmasked", "leads", {{"leads", ids}}); !s.ok()) {
      return FromStatus(s);
    }
  }
  // The envelope is written around the kept item texts, keys in the order
  // nlohmann::json would give them.
  std::vector<std::string> items = LeadItems(*list, unmask, Today());
  size_t size = 64;
  for (const std::string& i : items) size += i.size() + 1;
  Response out = Json(200, json::object());
  out.body.clear();
  out.body.reserve(size);
  out.body += "{\"items\":[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out.body += ',';
    out.body += items[i];
  }
  out.body += "],\"page\":" + std::to_string(q->page) +
              ",\"page_size\":" + std::to_string(q->page_size) +
              ",\"total\":" + std::to_string(total) + "}";
  return out;
}

Response Api::GetLeadRoute(Ctx& c) {
  Response denied;
  auto lead = VisibleLead(c, c.params["id"], &denied);
  if (!lead.ok()) return denied;
  bool unmask = false;
  if (!WantsUnmasked(c, &unmask, &denied)) return denied;
  json j = LeadJson(*lead, unmask, Today());
  if (const engine::Model* m = engine::FindBuiltinModel(lead->model)) {
    j["model_info"] = {{"name_zh", m->info().name_zh},
                       {"name_en", m->info().name_en},
                       {"detects", m->info().detects},
                       {"basis", m->info().basis}};
  }
  json evidence = json::array();
  for (const leads::EvidenceRow& e : lead->evidence) {
    json fields = json::parse(e.fields_json, nullptr, false);
    json shown = json::object();
    if (fields.is_object()) {
      for (auto& [k, v] : fields.items()) {
        std::string text = v.is_string() ? v.get<std::string>() : v.dump();
        shown[k] = unmask ? text : MaskField(e.dataset, k, text);
      }
    }
    const DatasetDef* def = FindDataset(e.dataset);
    json item = {{"dataset", e.dataset},
                 {"dataset_zh", def ? def->zh : e.dataset},
                 {"key", unmask ? e.key : MaskKey(e.dataset, e.key)},
                 {"fields", shown},
                 {"first_scan", e.first_scan}};
    evidence.push_back(item);
  }
  j["evidence"] = evidence;
  auto history = leads::HistoryOf(c.db(), lead->id);
  auto comments = leads::CommentsOf(c.db(), lead->id);
  auto attachments = leads::AttachmentsOf(c.db(), lead->id);
  if (!history.ok()) return FromStatus(history.status());
  if (!comments.ok()) return FromStatus(comments.status());
  if (!attachments.ok()) return FromStatus(attachments.status());
  json h = json::array();
  for (const auto& e : *history) {
    h.push_back({{"at", e.at},
                 {"actor", e.actor},
                 {"action", e.action},
                 {"from", e.from_status},
                 {"to", e.to_status},
                 {"details", json::parse(e.details_json, nullptr, false)}});
  }
  j["history"] = h;
  json cm = json::array();
  for (const auto& e : *comments) {
    cm.push_back({{"id", e.id}, {"at", e.at}, {"author", e.author}, {"text", e.text}});
  }
  j["comments"] = cm;
  json at = json::array();
  for (const auto& a : *attachments) {
    at.push_back({{"id", a.id},
                  {"name", a.name},
                  {"mime", a.mime},
                  {"size", a.size},
                  {"sha256", a.sha256},
                  {"at", a.at},
                  {"author", a.author}});
  }
  j["attachments"] = at;
  auto merged = c.db()->Prepare("SELECT id FROM leads WHERE merged_into = ?1 ORDER BY id");
  if (!merged.ok()) return FromStatus(merged.status());
  merged->BindInt(1, lead->id);
  json mf = json::array();
  for (;;) {
    auto row = merged->Step();
    if (!row.ok()) return FromStatus(row.status());
    if (!*row) break;
    mf.push_back(leads::LeadCode(merged->Int(0)));
  }
  j["merged_from"] = mf;
  if (unmask) {
    if (Status s = Audit(c, "view_unmasked", "lead:" + leads::LeadCode(lead->id), json::object());
        !s.ok()) {
      return FromStatus(s);
    }
  }
  return Json(200, j);
}

// ---------------------------------------------------------------------------
// Workflow actions

namespace {

Right RightFor(const std::string& action) {
  if (action == "propose") return kPropose;
  if (action == "approve" || action == "reject" || action == "reopen" || action == "close") {
    return kApprove;
  }
  if (action == "outcome") return kProcess;
  if (action == "assign") return kAssign;
  if (action == "verdict") return kVerdict;
  if (action == "merge") return kMerge;
  return kComment;
}

// Reads an action's parameters from a request body; false with the answer set.
bool ReadCommand(const json& body, leads::Command* cmd, std::string* into, Response* err) {
  if (!GetString(body, "action", true, 32, &cmd->action, err) ||
      !GetString(body, "route", false, 32, &cmd->route, err) ||
      !GetString(body, "outcome", false, 32, &cmd->outcome, err) ||
      !GetString(body, "verdict", false, 32, &cmd->verdict, err) ||
      !GetString(body, "assignee", false, 64, &cmd->assignee, err) ||
      !GetString(body, "text", false, 8000, &cmd->text, err) ||
      !GetString(body, "into", false, 32, into, err)) {
    return false;
  }
  if (!leads::IsKnownAction(cmd->action)) {
    *err = Api::Error(400, "bad_action",
                      "未知的操作：" + cmd->action +
                          "（可用：propose approve reject outcome close reopen assign verdict "
                          "comment merge）",
                      "unknown action: " + cmd->action, "action");
    return false;
  }
  return true;
}

}  // namespace

Response Api::LeadAction(Ctx& c) {
  json body;
  Response err;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body, {"action", "route", "outcome", "verdict", "assignee", "text", "into"},
                       &err)) {
    return err;
  }
  // The body is just a bulk action on one lead.
  json bulk = body;
  bulk["ids"] = json::array({c.params["id"]});
  c.req.body = bulk.dump();
  Response r = BulkAction(c);
  if (r.status != 200) return r;
  Response denied;
  auto lead = VisibleLead(c, c.params["id"], &denied);
  if (!lead.ok()) return denied;
  return Json(200, LeadJson(*lead, false, Today()));
}

Response Api::BulkAction(Ctx& c) {
  json body;
  Response err;
  if (!ParseObject(c.req, &body, &err) ||
      !OnlyKnownFields(body,
                       {"ids", "action", "route", "outcome", "verdict", "assignee", "text", "into"},
                       &err)) {
    return err;
  }
  std::vector<std::string> codes;
  bool present = false;
  if (!GetStringList(body, "ids", 500, &present, &codes, &err)) return err;
  if (!present || codes.empty()) {
    return Error(400, "missing_field", "缺少字段：ids（线索编号数组）", "missing field: ids",
                 "ids");
  }
  leads::Command cmd;
  std::string into;
  if (!ReadCommand(body, &cmd, &into, &err)) return err;
  if (!c.user.Can(RightFor(cmd.action))) return Forbidden();
  if (cmd.action == "merge") {
    if (into.empty()) {
      return Error(400, "missing_field", "合并须指明目标线索（into）", "merge needs \"into\"",
                   "into");
    }
    Response denied;
    auto target = VisibleLead(c, into, &denied);
    if (!target.ok()) return denied;
    cmd.merge_into = target->id;
  }
  if (cmd.action == "assign" && !cmd.assignee.empty()) {
    auto q = c.db()->Prepare("SELECT disabled FROM users WHERE name = ?1");
    if (!q.ok()) return FromStatus(q.status());
    q->BindText(1, cmd.assignee);
    auto row = q->Step();
    if (!row.ok()) return FromStatus(row.status());
    if (!*row || q->Int(0) != 0) {
      return Error(400, "bad_assignee", "承办人不存在或已停用：" + cmd.assignee,
                   "no active user " + cmd.assignee, "assignee");
    }
  }
  Db* db = c.db();
  Transaction tx(db);
  if (Status s = tx.Begin(); !s.ok()) return FromStatus(s);
  auto ledger = ledger::Ledger::Open(db);
  if (!ledger.ok()) return FromStatus(ledger.status());
  std::string now = NowShanghai();
  std::string actor = "user:" + c.user.name;
  json done = json::array();
  for (size_t i = 0; i < codes.size(); ++i) {
    Response denied;
    auto lead = VisibleLead(c, codes[i], &denied);
    if (!lead.ok()) return denied;  // nothing is written: the transaction rolls back
    // A clerk records outcomes only for what is assigned to them.
    if (cmd.action == "outcome" && c.user.role == "handler" && lead->assignee != c.user.name) {
      return Forbidden();
    }
    Status s = leads::Apply(db, ledger->get(), lead->id, cmd, actor, now);
    if (!s.ok()) {
      std::string field = codes.size() > 1 ? "ids[" + std::to_string(i) + "]" : "";
      return FromStatus(s, field);
    }
    done.push_back(leads::LeadCode(lead->id));
  }
  if (Status s = (*ledger)->Flush(); !s.ok()) return FromStatus(s);
  if (Status s = tx.Commit(); !s.ok()) return FromStatus(s);
  return Json(200, {{"action", cmd.action}, {"leads", done}});
}

// ---------------------------------------------------------------------------
// Attachments, kept under their SHA-256 beside the store

namespace {

bool GoodFileName(const std::string& n) {
  if (n.empty() || n.size() > 200 || n == "." || n == "..") return false;
  for (unsigned char ch : n) {
    if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\') return false;
  }
  return true;
}

std::string AttachmentPath(const std::string& db_path, const std::string& sha) {
  return BlobPath(db_path + ".attachments", sha);
}

}  // namespace

Response Api::UploadAttachment(Ctx& c) {
  Response denied;
  auto lead = VisibleLead(c, c.params["id"], &denied);
  if (!lead.ok()) return denied;
  std::string name = c.req.Query("name");
  if (!GoodFileName(name)) {
    return Error(400, "bad_parameter", "参数 name（文件名）缺失或不合法（1–200 字节，不含 / \\）",
                 "parameter name (the file name) is missing or not allowed", "name");
  }
  std::string mime;
  if (!UploadMime(c.req, &mime, &denied)) return denied;
  if (c.req.body.empty()) {
    return Error(400, "empty_body", "附件内容为空", "the attachment is empty", "body");
  }
  std::string sha = ToHex(Sha256(c.req.body));
  if (Status s = WriteBlobOnce(AttachmentPath(config_.db_path, sha), c.req.body); !s.ok()) {
    return FromStatus(s);
  }
  leads::Attachment a;
  a.sha256 = sha;
  a.name = name;
  a.mime = mime;
  a.size = static_cast<int64_t>(c.req.body.size());
  a.at = NowShanghai();
  Db* db = c.db();
  Transaction tx(db);
  if (Status s = tx.Begin(); !s.ok()) return FromStatus(s);
  auto ledger = ledger::Ledger::Open(db);
  if (!ledger.ok()) return FromStatus(ledger.status());
  auto id = leads::AddAttachment(db, ledger->get(), lead->id, a, "user:" + c.user.name);
  if (!id.ok()) return FromStatus(id.status());
  if (Status s = (*ledger)->Flush(); !s.ok()) return FromStatus(s);
  if (Status s = tx.Commit(); !s.ok()) return FromStatus(s);
  return Json(201,
              {{"id", *id}, {"sha256", sha}, {"name", name}, {"size", a.size}, {"mime", mime}});
}

Response Api::DownloadAttachment(Ctx& c) {
  Response denied;
  auto lead = VisibleLead(c, c.params["id"], &denied);
  if (!lead.ok()) return denied;
  auto list = leads::AttachmentsOf(c.db(), lead->id);
  if (!list.ok()) return FromStatus(list.status());
  const std::string& want = c.params["attachment"];
  for (const leads::Attachment& a : *list) {
    if (std::to_string(a.id) != want) continue;
    auto bytes = ReadBlob(AttachmentPath(config_.db_path, a.sha256), a.sha256, "attachment");
    if (!bytes.ok()) return FromStatus(bytes.status());
    return FileDownload(std::move(bytes).value(), a.mime, a.name);
  }
  return Error(404, "not_found", "没有这个附件", "no such attachment");
}

}  // namespace qf::server
