// qingfeng duties: 一岗双责 — responsibility items per leader (items, add,
// complete, cancel, redate, check), warnings, the year-end assessment (with
// an XLSX export) and the demo items (seed-demo).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/output.h"
#include "engine/runner.h"
#include "ingest/value.h"
#include "leads/duties.h"
#include "ledger/ledger.h"

namespace qf::cli {

namespace {

std::string StatusText(const leads::DutyItem& it, const leads::DutyState& s, bool zh) {
  if (it.status == "done") {
    bool late = it.completed_on > it.due_on;
    return zh ? (late ? "逾期完成" : "按期完成") : (late ? "done late" : "done");
  }
  if (it.status == "cancelled") return zh ? "已取消" : "cancelled";
  if (s.overdue) return zh ? "逾期未完成" : "overdue";
  return zh ? "推进中" : "open";
}

std::string CheckText(const leads::DutyState& s, bool zh) {
  if (s.check_status == "due") return (zh ? "应检查 " : "due ") + s.check_period;
  if (s.check_status == "overdue") return (zh ? "检查逾期 " : "overdue ") + s.check_period;
  if (s.check_status == "ok") return zh ? "正常" : "ok";
  return "";
}

void PrintItems(const std::vector<leads::DutyItem>& list, const CivilDate& as_of, bool zh,
                bool unmask, Format f) {
  Table t;
  t.keys = {"id",     "year",      "leader_id", "leader",       "org",
            "post",   "area",      "kind",      "task",         "assigned_on",
            "due_on", "frequency", "status",    "completed_on", "working_days_overdue",
            "checks", "check"};
  t.headers =
      zh ? std::vector<std::string>{"编号",     "年度",     "身份证号", "姓名",     "单位",
                                    "职务",     "分管领域", "类别",     "责任事项", "部署日期",
                                    "完成时限", "检查频次", "状态",     "完成日期", "逾期工作日",
                                    "检查次数", "检查"}
         : t.keys;
  t.numeric = {true,  true,  false, false, false, false, false, false, false,
               false, false, false, false, false, true,  true,  false};
  for (const auto& it : list) {
    leads::DutyState s = leads::StateOf(it, as_of);
    t.rows.push_back({std::to_string(it.id), std::to_string(it.year),
                      unmask ? it.leader_id : leads::MaskLeaderId(it.leader_id), it.leader_name,
                      it.org, it.post, it.area, it.kind, it.task, it.assigned_on, it.due_on,
                      it.frequency, StatusText(it, s, zh), it.completed_on,
                      std::to_string(s.working_days_overdue), std::to_string(it.checks),
                      CheckText(s, zh)});
  }
  Print(t, f);
}

std::string Score(double v) {
  if (v < 0) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

Status RecordUnmasked(Db* db, const std::string& target) {
  return ledger::RecordAction(db, {Globals::Actor(), "view_unmasked", target, "{}"}).status();
}

Result<int64_t> ItemId(const std::string& s) {
  if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidInput("the item must be a number, not " + s,
                                "责任事项编号应为数字，而不是 " + s);
  }
  return std::stoll(s);
}

}  // namespace

void RegisterDuties(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "duties",
      "一岗双责 Leaders' responsibility items: items, add, complete, cancel, redate, check, "
      "warnings, assessment, seed-demo");
  cmd->require_subcommand(1);
  struct Opts {
    std::string format = "table", as_of;
    // items
    int year = 0;
    std::string leader, org, kind, status;
    bool overdue = false, unmask = false;
    // add
    leads::NewDutyItem add;
    // complete / cancel / redate / check
    std::string id, evidence, on, reason, due, checker, result, note;
    std::vector<std::string> files;
    int warn = -1;
    std::string xlsx;
  };
  auto o = std::make_shared<Opts>();
  auto add_format = [o](CLI::App* c) {
    c->add_option("--format", o->format, "table | jsonl | csv")
        ->check(CLI::IsMember({"table", "jsonl", "csv"}));
  };
  auto add_as_of = [o](CLI::App* c) {
    c->add_option("--as-of", o->as_of,
                  "评判日期 judged as of YYYY-MM-DD (default: settings server.as_of, else today)");
  };

  // items
  auto* items = cmd->add_subcommand("items", "责任事项清单 Responsibility items");
  items->add_option("--year", o->year, "年度 year");
  items->add_option("--leader", o->leader, "领导身份证号或姓名 leader's ID number or name");
  items->add_option("--org", o->org, "单位包含 organisation contains");
  items->add_option("--kind", o->kind, "业务工作 | 党风廉政建设");
  items->add_option("--status", o->status, "open | done | cancelled")
      ->check(CLI::IsMember({"open", "done", "cancelled"}));
  items->add_flag("--overdue", o->overdue, "只看逾期未完成 overdue only");
  items->add_flag("--unmask", o->unmask, "显示身份证号明文（记入账本）show ID numbers (logged)");
  add_as_of(items);
  add_format(items);
  items->callback([&g, &exit_code, o]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate day, AsOfArg(store, o->as_of));
      leads::DutyFilter f;
      f.year = o->year;
      f.leader = o->leader;
      f.org = o->org;
      f.kind = o->kind;
      f.status = o->status;
      f.overdue_only = o->overdue;
      QF_ASSIGN_OR_RETURN(auto list, leads::ListDutyItems(store->db(), f, day));
      if (o->unmask) QF_RETURN_IF_ERROR(RecordUnmasked(store->db(), "duties"));
      PrintItems(list, day, g.zh(), o->unmask, FormatOf(o->format));
      return Status::OK();
    });
  });

  // add
  auto* add = cmd->add_subcommand("add", "部署责任事项 Assign a responsibility item");
  add->add_option("--leader", o->add.leader_id, "分管领导身份证号 leader's ID number")->required();
  add->add_option("--area", o->add.area, "分管领域 area")->required();
  add->add_option("--kind", o->add.kind, "业务工作 | 党风廉政建设")->required();
  add->add_option("--task", o->add.task, "责任事项 task")->required();
  add->add_option("--due", o->add.due_on, "完成时限 YYYY-MM-DD")->required();
  add->add_option("--assigned", o->add.assigned_on,
                  "部署日期 YYYY-MM-DD (default: settings server.as_of, else today)");
  add->add_option("--frequency", o->add.frequency,
                  "检查频次 月度 | 季度 | 半年 | 年度 (default 季度)");
  add->add_option("--year", o->add.year, "年度 year (default the assignment's)");
  add_as_of(add);
  add->callback([&g, &exit_code, o]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate day, AsOfArg(store, o->as_of));
      QF_ASSIGN_OR_RETURN(leads::DutyItem it,
                          leads::AddDutyItem(store->db(), o->add, Globals::Actor(), day));
      PrintItems({it}, day, g.zh(), false, Format::kTable);
      return Status::OK();
    });
  });

  // complete
  auto* complete = cmd->add_subcommand("complete", "完成并提交佐证 Complete with evidence");
  complete->add_option("id", o->id, "责任事项编号 item")->required();
  complete->add_option("--evidence", o->evidence, "完成情况（佐证） evidence")->required();
  complete->add_option("--on", o->on,
                       "完成日期 YYYY-MM-DD (default: settings server.as_of, else today)");
  complete->add_option("--file", o->files, "佐证材料文件 evidence files")->check(CLI::ExistingFile);
  add_as_of(complete);
  complete->callback([&g, &exit_code, o]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate day, AsOfArg(store, o->as_of));
      QF_ASSIGN_OR_RETURN(int64_t id, ItemId(o->id));
      QF_ASSIGN_OR_RETURN(leads::DutyItem it, leads::GetDutyItem(store->db(), id));
      for (const std::string& path : o->files) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        QF_RETURN_IF_ERROR(leads::AddDutyAttachment(store->db(), store->db_path(), id, ss.str(),
                                                    std::filesystem::path(path).filename().string(),
                                                    "", Globals::Actor())
                               .status());
      }
      QF_ASSIGN_OR_RETURN(
          it, leads::CompleteDutyItem(store->db(), id, o->evidence, o->on, Globals::Actor(), day));
      PrintItems({it}, day, g.zh(), false, Format::kTable);
      return Status::OK();
    });
  });

  // cancel / redate
  auto* cancel = cmd->add_subcommand("cancel", "取消责任事项 Cancel with a reason");
  cancel->add_option("id", o->id, "责任事项编号 item")->required();
  cancel->add_option("--reason", o->reason, "取消原因 reason")->required();
  add_as_of(cancel);
  cancel->callback([&g, &exit_code, o]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate day, AsOfArg(store, o->as_of));
      QF_ASSIGN_OR_RETURN(int64_t id, ItemId(o->id));
      QF_ASSIGN_OR_RETURN(auto it,
                          leads::CancelDutyItem(store->db(), id, o->reason, Globals::Actor(), day));
      PrintItems({it}, day, g.zh(), false, Format::kTable);
      return Status::OK();
    });
  });
  auto* redate = cmd->add_subcommand("redate", "变更完成时限 New due date with a reason");
  redate->add_option("id", o->id, "责任事项编号 item")->required();
  redate->add_option("--due", o->due, "新的完成时限 YYYY-MM-DD")->required();
  redate->add_option("--reason", o->reason, "变更原因 reason")->required();
  add_as_of(redate);
  redate->callback([&g, &exit_code, o]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate day, AsOfArg(store, o->as_of));
      QF_ASSIGN_OR_RETURN(int64_t id, ItemId(o->id));
      QF_ASSIGN_OR_RETURN(
          auto it, leads::RedateDutyItem(store->db(), id, o->due, o->reason, Globals::Actor()));
      PrintItems({it}, day, g.zh(), false, Format::kTable);
      return Status::OK();
    });
  });

  // check
  auto* check = cmd->add_subcommand("check", "记录检查 Record a periodic check");
  check->add_option("id", o->id, "责任事项编号 item")->required();
  check->add_option("--result", o->result, "检查结果 好 | 较好 | 一般 | 差")->required();
  check->add_option("--on", o->on,
                    "检查日期 YYYY-MM-DD (default: settings server.as_of, else today)");
  check->add_option("--checker", o->checker, "检查人 checker");
  check->add_option("--note", o->note, "推进情况 progress note");
  add_as_of(check);
  check->callback([&g, &exit_code, o]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate day, AsOfArg(store, o->as_of));
      QF_ASSIGN_OR_RETURN(int64_t id, ItemId(o->id));
      leads::NewDutyCheck c{o->on, o->checker, o->result, o->note};
      QF_ASSIGN_OR_RETURN(auto done,
                          leads::AddDutyCheck(store->db(), id, c, Globals::Actor(), day));
      std::cout << (g.zh() ? "已记录检查 " : "check recorded ") << done.id << "："
                << done.checked_on << " " << done.checker << " " << done.result << "\n";
      return Status::OK();
    });
  });

  // warnings
  auto* warnings = cmd->add_subcommand(
      "warnings", "预警：临期、逾期、应检查、检查逾期 Due soon, overdue, checks due or overdue");
  warnings->add_option("--warn-days", o->warn, "临期工作日数 working days (default settings, 5)")
      ->check(CLI::Range(0, 60));
  add_as_of(warnings);
  add_format(warnings);
  warnings->callback([&g, &exit_code, o]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate day, AsOfArg(store, o->as_of));
      QF_ASSIGN_OR_RETURN(leads::DutyParams p,
                          leads::LoadDutyParams(engine::SettingsPathFor(store->db_path())));
      if (o->warn >= 0) p.warn_working_days = o->warn;
      QF_ASSIGN_OR_RETURN(auto list, leads::DutyWarnings(store->db(), day, p));
      const bool zh = g.zh();
      Table t;
      t.keys = {"type", "id",       "leader", "org",          "kind",
                "task", "deadline", "period", "working_days", "days"};
      t.headers = zh ? std::vector<std::string>{"预警",     "编号", "姓名",     "单位",   "类别",
                                                "责任事项", "期限", "检查周期", "工作日", "自然日"}
                     : t.keys;
      t.numeric = {false, true, false, false, false, false, false, false, true, true};
      for (const auto& w : list) {
        std::string type = w.type;
        if (zh) {
          type = w.type == "overdue"     ? "逾期未完成"
                 : w.type == "due_soon"  ? "临期"
                 : w.type == "check_due" ? "应检查"
                                         : "检查逾期";
        }
        t.rows.push_back({type, std::to_string(w.item.id), w.item.leader_name, w.item.org,
                          w.item.kind, w.item.task, w.deadline, w.period,
                          std::to_string(w.working_days), std::to_string(w.days)});
      }
      Print(t, FormatOf(o->format));
      return Status::OK();
    });
  });

  // assessment
  auto* assess = cmd->add_subcommand("assessment", "年终考核 Year-end assessment per leader");
  assess->add_option("--year", o->year, "考核年度 year")->required();
  assess->add_option("--org", o->org, "单位（全称） organisation");
  assess->add_option("--xlsx", o->xlsx, "导出 XLSX 文件 write XLSX to FILE");
  assess->add_flag("--unmask", o->unmask, "身份证号明文（记入账本）ID numbers in clear (logged)");
  add_as_of(assess);
  add_format(assess);
  assess->callback([&g, &exit_code, o]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      // Default: the year's last day, or today while the year runs.
      QF_ASSIGN_OR_RETURN(CivilDate day, AsOfArg(store, o->as_of));
      if (o->as_of.empty() && o->year < day.year) day = CivilDate{o->year, 12, 31};
      QF_ASSIGN_OR_RETURN(leads::DutyParams p,
                          leads::LoadDutyParams(engine::SettingsPathFor(store->db_path())));
      QF_ASSIGN_OR_RETURN(auto a, leads::AssessDuties(store->db(), o->year, day, p, o->org));
      if (!o->xlsx.empty()) {
        QF_ASSIGN_OR_RETURN(std::string bytes, leads::AssessmentXlsx(a, o->unmask));
        std::ofstream out(o->xlsx, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out) return Status::IOError("cannot write " + o->xlsx);
        QF_RETURN_IF_ERROR(
            ledger::RecordAction(store->db(),
                                 {Globals::Actor(), o->unmask ? "export_unmasked" : "export",
                                  "duties/assessment.xlsx",
                                  nlohmann::json{{"year", o->year},
                                                 {"org", o->org},
                                                 {"as_of", a.as_of},
                                                 {"leaders", a.rows.size()}}
                                      .dump()})
                .status());
        std::cerr << (g.zh() ? "已导出 " : "written ") << o->xlsx << "\n";
        return Status::OK();
      }
      if (o->unmask) QF_RETURN_IF_ERROR(RecordUnmasked(store->db(), "duties/assessment"));
      const bool zh = g.zh();
      Table t;
      t.keys = {"org",
                "leader",
                "leader_id",
                "post",
                "business_items",
                "business_score",
                "integrity_items",
                "integrity_score",
                "overdue",
                "checks",
                "score",
                "grade"};
      t.headers =
          zh ? std::vector<std::string>{"单位",       "姓名",          "身份证号", "职务",
                                        "业务事项",   "业务得分",      "廉政事项", "廉政得分",
                                        "逾期未完成", "检查（实/应）", "综合得分", "等级"}
             : t.keys;
      t.numeric = {false, false, false, false, true, true, true, true, true, false, true, false};
      for (const auto& r : a.rows) {
        t.rows.push_back(
            {r.org, r.leader_name, o->unmask ? r.leader_id : leads::MaskLeaderId(r.leader_id),
             r.post, std::to_string(r.business.items), Score(r.business.score),
             std::to_string(r.integrity.items), Score(r.integrity.score),
             std::to_string(r.total.overdue),
             std::to_string(r.total.checks_held) + "/" + std::to_string(r.total.checks_due),
             Score(r.score), r.grade});
      }
      Print(t, FormatOf(o->format));
      return Status::OK();
    });
  });

  // seed-demo
  auto* seed = cmd->add_subcommand(
      "seed-demo", "演示数据：为在任领导生成责任事项（仅当为空） Demo items (only when empty)");
  add_as_of(seed);
  seed->callback([&g, &exit_code, o]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate day, AsOfArg(store, o->as_of));
      int64_t created = 0;
      QF_RETURN_IF_ERROR(leads::SeedDemoItems(store, Globals::Actor(), day, &created));
      std::cout << (g.zh() ? "已生成责任事项 " : "items created: ") << created
                << (created == 0 && g.zh() ? "（已有责任事项或没有在任领导，未生成）" : "") << "\n";
      return Status::OK();
    });
  });
}

}  // namespace qf::cli
