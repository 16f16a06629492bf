#include "leads/workflow.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/calendar.h"
#include "common/hash.h"
#include "common/time.h"
#include "ingest/value.h"

namespace qf::leads {

const std::vector<Label>& Statuses() {
  static const std::vector<Label> v = {
      {"pending", "待处置"}, {"proposed", "待审批"},    {"in_progress", "办理中"},
      {"held", "暂存待查"},  {"concluded", "已出结果"}, {"closed", "已办结"},
      {"merged", "已合并"},
  };
  return v;
}

const std::vector<Label>& Routes() {
  static const std::vector<Label> v = {
      {"talk_inquiry", "谈话函询"},
      {"preliminary_check", "初步核实"},
      {"hold", "暂存待查"},
      {"close_out", "予以了结"},
  };
  return v;
}

const std::vector<Label>& Outcomes() {
  static const std::vector<Label> v = {
      {"form1", "第一种形态（批评教育、谈话提醒、函询）"},
      {"form2", "第二种形态（党纪轻处分、组织调整）"},
      {"form3", "第三种形态（党纪重处分、重大职务调整）"},
      {"form4", "第四种形态（严重违纪涉嫌违法立案审查）"},
      {"unfounded", "查无实据，予以澄清"},
  };
  return v;
}

const std::vector<Label>& Verdicts() {
  static const std::vector<Label> v = {{"confirmed", "属实"}, {"dismissed", "不属实"}};
  return v;
}

std::string LabelZh(const std::vector<Label>& list, const std::string& id) {
  for (const Label& l : list) {
    if (id == l.id) return l.zh;
  }
  return id;
}

bool IsOneOf(const std::vector<Label>& list, const std::string& id) {
  for (const Label& l : list) {
    if (id == l.id) return true;
  }
  return false;
}

Result<WorkflowParams> LoadWorkflowParams(const std::string& settings_path) {
  WorkflowParams p;
  std::ifstream in(settings_path);
  if (!in) return p;
  std::stringstream ss;
  ss << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidInput(settings_path + ": not a JSON object",
                                settings_path + "：不是有效的 JSON 对象");
  }
  if (!j.contains("workflow")) return p;
  const nlohmann::json& w = j["workflow"];
  auto read = [&](const char* name, int* out, int lo, int hi) -> Status {
    if (!w.contains(name)) return Status::OK();
    const nlohmann::json& v = w[name];
    if (!v.is_number_integer() || v.get<int64_t>() < lo || v.get<int64_t>() > hi) {
      return Status::InvalidInput(
          settings_path + ": workflow." + name + " must be a whole number from " +
              std::to_string(lo) + " to " + std::to_string(hi),
          settings_path + "：workflow." + name + " 应为 " + std::to_string(lo) + " 到 " +
              std::to_string(hi) + " 之间的整数");
    }
    *out = static_cast<int>(v.get<int64_t>());
    return Status::OK();
  };
  if (!w.is_object()) {
    return Status::InvalidInput(settings_path + ": \"workflow\" must be an object",
                                settings_path + "：\"workflow\" 必须是对象");
  }
  QF_RETURN_IF_ERROR(read("disposal_days", &p.disposal_days, 1, 365));
  QF_RETURN_IF_ERROR(read("reply_working_days", &p.reply_working_days, 1, 120));
  QF_RETURN_IF_ERROR(read("warn_days", &p.warn_days, 0, 60));
  return p;
}

namespace {

// Day number of "YYYY-MM-DD…" (a date or a stored datetime); nullopt otherwise.
std::optional<int64_t> DayOf(const std::string& s) {
  auto d = ParseDate(std::string_view(s).substr(0, 10));
  if (!d) return std::nullopt;
  return DaysFromCivil(d->year, d->month, d->day);
}

Status Refuse(const std::string& en, const std::string& zh) { return Status::InvalidInput(en, zh); }

Status WrongState(const Lead& lead, const std::string& action, const char* zh_action) {
  return Refuse("lead " + LeadCode(lead.id) + " is " + lead.status + "; cannot " + action,
                "线索" + LeadCode(lead.id) + "当前状态为“" + LabelZh(Statuses(), lead.status) +
                    "”，不能" + zh_action);
}

Status AppendHistory(Db* db, int64_t lead_id, const std::string& now, const std::string& actor,
                     const std::string& action, const std::string& from, const std::string& to,
                     const nlohmann::json& details) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("INSERT INTO lead_history(lead_id, at, actor, action, "
                                          "from_status, to_status, details) VALUES "
                                          "(?1,?2,?3,?4,?5,?6,?7)"));
  q.BindInt(1, lead_id);
  q.BindText(2, now);
  q.BindText(3, actor);
  q.BindText(4, action);
  q.BindText(5, from);
  q.BindText(6, to);
  q.BindText(7, details.dump());
  return q.Run();
}

}  // namespace

Deadline DeadlineOf(const Lead& lead, const WorkflowParams& p, const std::string& today) {
  Deadline d;
  std::optional<int64_t> due;
  if (lead.status == "pending" || lead.status == "proposed") {
    if (auto created = DayOf(lead.created_at)) {
      d.kind = "disposal";
      due = *created + p.disposal_days;
    }
  } else if (lead.status == "in_progress" && lead.route == "talk_inquiry") {
    if (auto approved = DayOf(lead.approved_at)) {
      d.kind = "reply";
      due = AddWorkingDaysDays(*approved, p.reply_working_days);
    }
  }
  std::optional<int64_t> now = DayOf(today);
  if (!due || !now) return Deadline{};
  d.due = FormatDate(CivilFromDays(*due));
  d.days_left = static_cast<int>(*due - *now);
  d.state = d.days_left < 0 ? "overdue" : d.days_left <= p.warn_days ? "warning" : "ok";
  return d;
}

bool IsKnownAction(const std::string& a) {
  static const char* kActions[] = {"propose", "approve", "reject",  "outcome", "close",
                                   "reopen",  "assign",  "verdict", "comment", "merge"};
  for (const char* k : kActions) {
    if (a == k) return true;
  }
  return false;
}

Status Apply(Db* db, ledger::Ledger* ledger, int64_t lead_id, const Command& cmd,
             const std::string& actor, const std::string& now) {
  QF_ASSIGN_OR_RETURN(Lead lead, GetLead(db, lead_id));
  const std::string from = lead.status;
  std::string to = from;
  nlohmann::json details = nlohmann::json::object();
  const std::string& a = cmd.action;
  auto need_text = [&](const char* zh_what) -> Status {
    if (cmd.text.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Refuse("\"text\" is required to " + a, std::string("请填写") + zh_what);
    }
    if (cmd.text.size() > 8000) {
      return Refuse("\"text\" is longer than 8000 bytes", "文字过长（最多 8000 字节）");
    }
    return Status::OK();
  };
  if (from == "merged" && a != "comment") {
    return Refuse("lead " + LeadCode(lead_id) + " was merged into " + LeadCode(lead.merged_into),
                  "线索" + LeadCode(lead_id) + "已并入" + LeadCode(lead.merged_into));
  }
  std::string set_sql;  // the lead row's change
  std::vector<std::string> binds;
  if (a == "propose") {
    if (from != "pending") return WrongState(lead, a, "提出处置意见");
    if (!IsOneOf(Routes(), cmd.route)) {
      return Refuse("\"route\" must be one of talk_inquiry, preliminary_check, hold, close_out",
                    "处置方式（route）应为：谈话函询、初步核实、暂存待查、予以了结之一");
    }
    to = "proposed";
    set_sql = "route = ?2";
    binds = {cmd.route};
    details["route"] = cmd.route;
  } else if (a == "approve") {
    if (from != "proposed") return WrongState(lead, a, "审批");
    to = lead.route == "hold" ? "held" : lead.route == "close_out" ? "closed" : "in_progress";
    set_sql = "approved_at = ?2";
    binds = {now};
    if (to == "closed") {
      set_sql += ", closed_at = ?3";
      binds.push_back(now);
    }
    details["route"] = lead.route;
  } else if (a == "reject") {
    if (from != "proposed") return WrongState(lead, a, "退回");
    QF_RETURN_IF_ERROR(need_text("退回理由"));
    to = "pending";
    set_sql = "route = NULL";
  } else if (a == "outcome") {
    if (from != "in_progress") return WrongState(lead, a, "录入处置结果");
    if (!IsOneOf(Outcomes(), cmd.outcome)) {
      return Refuse(
          "\"outcome\" must be one of form1, form2, form3, form4, unfounded",
          "处置结果（outcome）应为第一至第四种形态（form1–form4）或查无实据（unfounded）");
    }
    to = "concluded";
    // A finding borne out in one of the four forms is confirmed; an unfounded one is not.
    std::string verdict = cmd.outcome == "unfounded" ? "dismissed" : "confirmed";
    set_sql = "outcome = ?2, verdict = ?3";
    binds = {cmd.outcome, verdict};
    details["outcome"] = cmd.outcome;
  } else if (a == "close") {
    if (from != "concluded") return WrongState(lead, a, "办结");
    to = "closed";
    set_sql = "closed_at = ?2";
    binds = {now};
  } else if (a == "reopen") {
    if (from != "held" && from != "closed") return WrongState(lead, a, "重新启用");
    QF_RETURN_IF_ERROR(need_text("重新启用的理由"));
    to = "pending";
    set_sql = "route = NULL, approved_at = NULL, outcome = NULL, closed_at = NULL";
  } else if (a == "assign") {
    if (from == "closed") return WrongState(lead, a, "分派");
    set_sql = "assignee = ?2";
    binds = {cmd.assignee};
    details["assignee"] = cmd.assignee;
  } else if (a == "verdict") {
    if (!IsOneOf(Verdicts(), cmd.verdict)) {
      return Refuse("\"verdict\" must be confirmed or dismissed",
                    "核实结论（verdict）应为属实（confirmed）或不属实（dismissed）");
    }
    set_sql = "verdict = ?2";
    binds = {cmd.verdict};
    details["verdict"] = cmd.verdict;
  } else if (a == "comment") {
    QF_RETURN_IF_ERROR(need_text("意见内容"));
    QF_ASSIGN_OR_RETURN(Stmt c, db->Prepare("INSERT INTO lead_comments(lead_id, at, author, text) "
                                            "VALUES (?1,?2,?3,?4)"));
    c.BindInt(1, lead_id);
    c.BindText(2, now);
    c.BindText(3, actor);
    c.BindText(4, cmd.text);
    QF_RETURN_IF_ERROR(c.Run());
    details["comment"] = db->LastInsertId();
  } else if (a == "merge") {
    if (from == "closed") return WrongState(lead, a, "合并");
    if (cmd.merge_into == lead_id) {
      return Refuse("a lead cannot be merged into itself", "线索不能并入自身");
    }
    auto target = GetLead(db, cmd.merge_into);
    if (!target.ok()) {
      return Refuse("no lead " + LeadCode(cmd.merge_into) + " to merge into",
                    "要并入的线索" + LeadCode(cmd.merge_into) + "不存在");
    }
    if (target->status == "merged") {
      return Refuse(
          "lead " + LeadCode(cmd.merge_into) + " was itself merged into " +
              LeadCode(target->merged_into),
          "线索" + LeadCode(cmd.merge_into) + "本身已并入" + LeadCode(target->merged_into));
    }
    to = "merged";
    set_sql = "merged_into = " + std::to_string(cmd.merge_into);
    details["into"] = LeadCode(cmd.merge_into);
    QF_RETURN_IF_ERROR(AppendHistory(db, cmd.merge_into, now, actor, "merged_from", target->status,
                                     target->status, {{"from", LeadCode(lead_id)}}));
  } else {
    return Refuse("unknown action \"" + a + "\"", "未知的操作“" + a + "”");
  }
  if (!cmd.text.empty() && a != "comment") details["text"] = cmd.text;
  std::string sql =
      "UPDATE leads SET status = '" + to + "', updated_at = ?" + std::to_string(binds.size() + 2);
  if (!set_sql.empty()) sql += ", " + set_sql;
  sql += " WHERE id = ?1";
  QF_ASSIGN_OR_RETURN(Stmt u, db->Prepare(sql));
  u.BindInt(1, lead_id);
  for (size_t i = 0; i < binds.size(); ++i) {
    if (a == "assign" && binds[i].empty()) {
      u.BindNull(static_cast<int>(i) + 2);
    } else {
      u.BindText(static_cast<int>(i) + 2, binds[i]);
    }
  }
  u.BindText(static_cast<int>(binds.size()) + 2, now);
  QF_RETURN_IF_ERROR(u.Run());
  QF_RETURN_IF_ERROR(AppendHistory(db, lead_id, now, actor, a, from, to, details));
  nlohmann::json ledger_details = details;
  ledger_details["from"] = from;
  ledger_details["to"] = to;
  if (a == "comment" || details.contains("text")) {
    // The ledger commits to the words without repeating them.
    ledger_details.erase("text");
    ledger_details["text_sha256"] = ToHex(Sha256(cmd.text));
  }
  return ledger
      ->AppendAction({actor, "lead_" + a, "lead:" + LeadCode(lead_id), ledger_details.dump(), now})
      .status();
}

Result<std::vector<HistoryEntry>> HistoryOf(Db* db, int64_t lead_id) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT id, at, actor, action, from_status, to_status, "
                                          "details FROM lead_history WHERE lead_id = ?1 "
                                          "ORDER BY id"));
  q.BindInt(1, lead_id);
  std::vector<HistoryEntry> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.IsNull(4) ? "" : q.Text(4),
                   q.IsNull(5) ? "" : q.Text(5), q.Text(6)});
  }
  return out;
}

Result<std::vector<Comment>> CommentsOf(Db* db, int64_t lead_id) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT id, at, author, text FROM lead_comments "
                                          "WHERE lead_id = ?1 ORDER BY id"));
  q.BindInt(1, lead_id);
  std::vector<Comment> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({q.Int(0), q.Text(1), q.Text(2), q.Text(3)});
  }
  return out;
}

Result<std::vector<Attachment>> AttachmentsOf(Db* db, int64_t lead_id) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT id, sha256, name, mime, at, author, size FROM "
                                          "lead_attachments WHERE lead_id = ?1 ORDER BY id"));
  q.BindInt(1, lead_id);
  std::vector<Attachment> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({q.Int(0), q.Text(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5), q.Int(6)});
  }
  return out;
}

Result<int64_t> AddAttachment(Db* db, ledger::Ledger* ledger, int64_t lead_id, const Attachment& a,
                              const std::string& actor) {
  QF_ASSIGN_OR_RETURN(Lead lead, GetLead(db, lead_id));
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("INSERT INTO lead_attachments(lead_id, sha256, name, "
                                          "mime, size, at, author) VALUES (?1,?2,?3,?4,?5,?6,?7)"));
  q.BindInt(1, lead_id);
  q.BindText(2, a.sha256);
  q.BindText(3, a.name);
  q.BindText(4, a.mime);
  q.BindInt(5, a.size);
  q.BindText(6, a.at);
  q.BindText(7, actor);
  QF_RETURN_IF_ERROR(q.Run());
  int64_t id = db->LastInsertId();
  nlohmann::json details = {{"id", id}, {"sha256", a.sha256}, {"name", a.name}, {"size", a.size}};
  QF_RETURN_IF_ERROR(
      AppendHistory(db, lead_id, a.at, actor, "attach", lead.status, lead.status, details));
  QF_RETURN_IF_ERROR(
      ledger
          ->AppendAction({actor, "lead_attach", "lead:" + LeadCode(lead_id), details.dump(), a.at})
          .status());
  return id;
}

Result<std::vector<HitRate>> HitRates(Db* db) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT model, SUM(verdict = 'confirmed'), "
                                          "SUM(verdict = 'dismissed'), COUNT(*) FROM leads "
                                          "GROUP BY model ORDER BY model"));
  std::vector<HitRate> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({q.Text(0), q.Int(1), q.Int(2), q.Int(3)});
  }
  return out;
}

}  // namespace qf::leads
