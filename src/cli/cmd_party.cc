// qingfeng party: 三会一课 — the branch registry (branches, branch add/update,
// import-branches), meetings (meetings, meeting add), the compliance calendar
// of a branch, warnings before a period ends without its meeting, and the
// summary per organisation.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cli/output.h"
#include "common/scratch_dir.h"
#include "engine/runner.h"
#include "ingest/value.h"
#include "leads/party.h"

namespace qf::cli {

namespace {

Result<leads::PartyParams> ParamsFor(Store* store, int warn_days) {
  QF_ASSIGN_OR_RETURN(leads::PartyParams p,
                      leads::LoadPartyParams(engine::SettingsPathFor(store->db_path())));
  if (warn_days >= 0) p.warn_working_days = warn_days;
  return p;
}

std::string CountText(int64_t v) { return v < 0 ? "" : std::to_string(v); }

void PrintBranches(const std::vector<leads::Branch>& list, bool zh, Format f) {
  Table t;
  t.keys = {"branch_id",  "name",     "org",         "region_code", "secretary",
            "members",    "voting",   "set_up_on",   "status",      "dissolved_on",
            "registered", "meetings", "last_meeting"};
  t.headers = zh ? std::vector<std::string>{"支部编号", "支部名称", "所在单位", "区划", "书记",
                                            "党员",     "有表决权", "成立日期", "状态", "撤销日期",
                                            "已登记",   "会议数",   "最近会议"}
                 : t.keys;
  t.numeric = {false, false, false, false, false, true, true,
               false, false, false, false, true,  false};
  for (const auto& b : list) {
    t.rows.push_back({b.branch_id, b.name, b.org, b.region_code, b.secretary,
                      std::to_string(b.members), std::to_string(b.voting_members), b.set_up_on,
                      zh ? (b.status == "active" ? "正常" : "已撤销") : b.status, b.dissolved_on,
                      b.registered ? (zh ? "是" : "yes") : (zh ? "未登记" : "unregistered"),
                      std::to_string(b.meetings), b.last_meeting});
  }
  Print(t, f);
}

struct BranchArgs {
  std::string id, name, org, region, secretary, set_up_on, status, dissolved_on;
  int64_t members = -1, voting = -1;
};

void AddBranchOptions(CLI::App* cmd, BranchArgs* a) {
  cmd->add_option("--name", a->name, "支部名称 branch name");
  cmd->add_option("--org", a->org, "所在单位 organisation");
  cmd->add_option("--region", a->region, "行政区划代码（6位） region code");
  cmd->add_option("--secretary", a->secretary, "支部书记 secretary");
  cmd->add_option("--members", a->members, "党员人数 members")->check(CLI::NonNegativeNumber);
  cmd->add_option("--voting", a->voting, "有表决权的党员人数 voting members")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--set-up", a->set_up_on, "成立日期 YYYY-MM-DD");
  cmd->add_option("--status", a->status, "active | dissolved")
      ->check(CLI::IsMember({"active", "dissolved"}));
  cmd->add_option("--dissolved-on", a->dissolved_on, "撤销日期 YYYY-MM-DD");
}

}  // namespace

void RegisterParty(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "party",
      "三会一课 Party branches and meetings: branches, branch, import-branches, calendar, "
      "meetings, meeting, warnings, summary");
  cmd->require_subcommand(1);
  auto format = std::make_shared<std::string>("table");
  auto add_format = [format](CLI::App* c) {
    c->add_option("--format", *format, "table | jsonl | csv")
        ->check(CLI::IsMember({"table", "jsonl", "csv"}));
  };

  // branches
  auto* branches =
      cmd->add_subcommand("branches", "支部名录（含未登记支部） Branch registry and unregistered");
  auto org = std::make_shared<std::string>();
  branches->add_option("--org", *org, "所在单位包含 organisation contains");
  add_format(branches);
  branches->callback([&g, &exit_code, org, format]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(auto all, leads::ListBranches(store->db()));
      std::vector<leads::Branch> list;
      for (auto& b : all) {
        if (org->empty() || b.org.find(*org) != std::string::npos) list.push_back(std::move(b));
      }
      PrintBranches(list, g.zh(), FormatOf(*format));
      return Status::OK();
    });
  });

  // branch add / update
  auto* branch = cmd->add_subcommand("branch", "登记或修改支部 Register or update a branch");
  branch->require_subcommand(1);
  auto add_args = std::make_shared<BranchArgs>();
  auto* add = branch->add_subcommand("add", "登记支部 Register a branch");
  add->add_option("id", add_args->id, "支部编号 branch id (DZB0001)")->required();
  AddBranchOptions(add, add_args.get());
  add->callback([&g, &exit_code, add_args]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      const BranchArgs& a = *add_args;
      leads::Branch b;
      b.branch_id = a.id;
      b.name = a.name;
      b.org = a.org;
      b.region_code = a.region;
      b.secretary = a.secretary;
      b.members = a.members < 0 ? 0 : a.members;
      b.voting_members = a.voting < 0 ? 0 : a.voting;
      b.set_up_on = a.set_up_on;
      b.status = a.status.empty() ? "active" : a.status;
      b.dissolved_on = a.dissolved_on;
      QF_ASSIGN_OR_RETURN(leads::Branch done, leads::AddBranch(store->db(), b, Globals::Actor()));
      PrintBranches({done}, g.zh(), Format::kTable);
      return Status::OK();
    });
  });
  auto upd_args = std::make_shared<BranchArgs>();
  auto* upd = branch->add_subcommand("update", "修改支部 Update a registered branch");
  upd->add_option("id", upd_args->id, "支部编号 branch id")->required();
  AddBranchOptions(upd, upd_args.get());
  upd->callback([&g, &exit_code, upd, upd_args]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      const BranchArgs& a = *upd_args;
      leads::BranchUpdate u;
      auto given = [&](const char* opt) { return upd->count(opt) > 0; };
      if (given("--name")) u.name = a.name;
      if (given("--org")) u.org = a.org;
      if (given("--region")) u.region_code = a.region;
      if (given("--secretary")) u.secretary = a.secretary;
      if (given("--members")) u.members = a.members;
      if (given("--voting")) u.voting_members = a.voting;
      if (given("--set-up")) u.set_up_on = a.set_up_on;
      if (given("--status")) u.status = a.status;
      if (given("--dissolved-on")) u.dissolved_on = a.dissolved_on;
      QF_ASSIGN_OR_RETURN(leads::Branch done,
                          leads::UpdateBranch(store->db(), a.id, u, Globals::Actor()));
      PrintBranches({done}, g.zh(), Format::kTable);
      return Status::OK();
    });
  });

  // import-branches
  auto* imp = cmd->add_subcommand(
      "import-branches", "按会议记录登记全部未登记支部 Register every unregistered branch");
  imp->callback([&g, &exit_code]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(auto done, leads::ImportBranches(store->db(), Globals::Actor()));
      PrintBranches(done, g.zh(), Format::kTable);
      std::cout << (g.zh() ? "已登记 " : "registered ") << done.size()
                << (g.zh() ? " 个支部" : " branches") << "\n";
      return Status::OK();
    });
  });

  // calendar
  auto* calendar = cmd->add_subcommand("calendar", "支部合规日历 A branch's compliance calendar");
  auto cal_branch = std::make_shared<std::string>();
  auto year = std::make_shared<int>(0);
  auto as_of = std::make_shared<std::string>();
  auto warn = std::make_shared<int>(-1);
  calendar->add_option("branch", *cal_branch, "支部编号 branch id")->required();
  calendar->add_option("--year", *year, "年度 year (default: the year of --as-of)")
      ->check(CLI::Range(2000, 2100));
  calendar->add_option(
      "--as-of", *as_of,
      "评判日期 judged as of YYYY-MM-DD (default: settings server.as_of, else today)");
  calendar
      ->add_option("--warn-working-days", *warn,
                   "期末前几个工作日预警 warn this many "
                   "working days before a period ends")
      ->check(CLI::Range(0, 60));
  add_format(calendar);
  calendar->callback([&g, &exit_code, cal_branch, year, as_of, warn, format]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate day, AsOfArg(store, *as_of));
      QF_ASSIGN_OR_RETURN(leads::PartyParams p, ParamsFor(store, *warn));
      QF_ASSIGN_OR_RETURN(
          leads::Calendar cal,
          leads::BranchCalendar(store->db(), *cal_branch, *year ? *year : day.year, day, p));
      const bool zh = g.zh();
      Table t;
      t.keys = {"kind",    "period", "label", "required", "held", "status", "working_days_left",
                "meetings"};
      t.headers = zh ? std::vector<std::string>{"会议类型", "周期", "期间",       "应开",
                                                "已开",     "状态", "剩余工作日", "会议"}
                     : t.keys;
      t.numeric = {false, false, false, true, true, false, true, false};
      for (const auto& r : cal.rows) {
        for (const auto& c : r.cells) {
          std::string ms;
          for (const auto& m : c.meetings) {
            ms += (ms.empty() ? "" : " ") + m.held_on.substr(5) +
                  (m.no_quorum ? (zh ? "(未过半)" : "(no quorum)") : "");
          }
          const char* period = models::PeriodName(r.requirement.period);
          if (zh) {
            period = r.requirement.period == models::MeetingPeriod::kMonth     ? "月"
                     : r.requirement.period == models::MeetingPeriod::kQuarter ? "季度"
                                                                               : "年";
          }
          t.rows.push_back({r.requirement.kind, period, c.label, std::to_string(c.required),
                            std::to_string(c.held),
                            zh ? leads::CellStatusZh(c.status) : leads::CellStatusName(c.status),
                            CountText(c.working_days_left), ms});
        }
      }
      Format f = FormatOf(*format);
      if (f == Format::kTable) {
        std::cout << cal.branch.branch_id << "  " << cal.branch.name << "  " << cal.year
                  << (zh ? "年，评判日 " : ", as of ") << cal.as_of << "\n";
      }
      Print(t, f);
      if (f == Format::kTable) {
        std::cout << (zh ? "已到期 " : "due ") << cal.due << (zh ? "，已开 " : ", met ") << cal.met
                  << (zh ? "，未开 " : ", missed ") << cal.missed << (zh ? "，临期 " : ", at risk ")
                  << cal.at_risk << (zh ? "，不足法定人数 " : ", no quorum ") << cal.no_quorum
                  << "\n";
      }
      return Status::OK();
    });
  });

  // meetings
  auto* meetings = cmd->add_subcommand("meetings", "会议记录 Meeting records");
  auto mf = std::make_shared<leads::MeetingFilter>();
  meetings->add_option("--branch", mf->branch_id, "支部编号 branch id");
  meetings->add_option("--year", mf->year, "年度 year")->check(CLI::Range(2000, 2100));
  meetings->add_option("--kind", mf->kind, "会议类型 kind");
  add_format(meetings);
  meetings->callback([&g, &exit_code, mf, format]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(auto list, leads::ListMeetings(store->db(), *mf));
      Table t;
      t.keys = {"meeting_id", "branch_id", "kind", "held_on", "attendees", "expected", "topic"};
      t.headers = g.zh() ? std::vector<std::string>{"会议编号", "支部编号", "会议类型", "召开日期",
                                                    "实到",     "应到",     "主题"}
                         : t.keys;
      t.numeric = {false, false, false, false, true, true, false};
      for (const auto& m : list) {
        t.rows.push_back({m.meeting_id, m.branch_id, m.kind, m.held_on, CountText(m.attendees),
                          CountText(m.expected), m.topic});
      }
      Print(t, FormatOf(*format));
      return Status::OK();
    });
  });

  // meeting add
  auto* meeting = cmd->add_subcommand("meeting", "录入会议记录 Enter a meeting");
  meeting->require_subcommand(1);
  auto* madd = meeting->add_subcommand("add", "录入一次会议 Enter one meeting");
  auto nm = std::make_shared<leads::NewMeeting>();
  madd->add_option("--branch", nm->branch_id, "支部编号 branch id")->required();
  madd->add_option("--kind", nm->kind,
                   "会议类型 支部党员大会|支部委员会|党小组会|党课|主题党日|组织生活会")
      ->required();
  madd->add_option("--date", nm->held_on, "召开日期 YYYY-MM-DD")->required();
  madd->add_option("--attendees", nm->attendees, "实到人数 attendees");
  madd->add_option("--expected", nm->expected, "应到人数 expected");
  madd->add_option("--topic", nm->topic, "主题 topic");
  madd->add_option("--minutes", nm->minutes_text, "会议记录 minutes");
  madd->add_option("--id", nm->meeting_id, "会议编号（默认自动生成） meeting id");
  madd->callback([&g, &exit_code, nm]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      const std::string work = CliWorkDir(store, "meeting-cli");
      ScratchDir scratch{work};
      QF_ASSIGN_OR_RETURN(leads::Meeting m,
                          leads::EnterMeeting(store, *nm, work, Globals::Actor()));
      std::cout << (g.zh() ? "已录入 " : "entered ") << m.meeting_id << "  " << m.branch_id << "  "
                << m.kind << "  " << m.held_on << "\n";
      return Status::OK();
    });
  });

  // warnings
  auto* warnings = cmd->add_subcommand(
      "warnings", "预警：临期未开与逾期未开 At-risk and missed periods across branches");
  auto w_as_of = std::make_shared<std::string>();
  auto w_warn = std::make_shared<int>(-1);
  warnings->add_option("--as-of", *w_as_of,
                       "评判日期 YYYY-MM-DD (default: settings server.as_of, else today)");
  warnings->add_option("--warn-working-days", *w_warn, "期末前几个工作日预警")
      ->check(CLI::Range(0, 60));
  add_format(warnings);
  warnings->callback([&g, &exit_code, w_as_of, w_warn, format]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate day, AsOfArg(store, *w_as_of));
      QF_ASSIGN_OR_RETURN(leads::PartyParams p, ParamsFor(store, *w_warn));
      QF_ASSIGN_OR_RETURN(auto list, leads::PartyWarnings(store->db(), day, p));
      const bool zh = g.zh();
      Table t;
      t.keys = {"branch_id", "branch_name", "org",  "kind",     "label",
                "end",       "status",      "held", "required", "working_days_left"};
      t.headers = zh ? std::vector<std::string>{"支部编号", "支部名称",  "所在单位", "会议类型",
                                                "期间",     "截止",      "状态",     "已开",
                                                "应开",     "剩余工作日"}
                     : t.keys;
      t.numeric = {false, false, false, false, false, false, false, true, true, true};
      for (const auto& w : list) {
        t.rows.push_back({w.branch_id, w.branch_name, w.org, w.kind, w.label, w.end,
                          zh ? leads::CellStatusZh(w.status) : leads::CellStatusName(w.status),
                          std::to_string(w.held), std::to_string(w.required),
                          CountText(w.working_days_left)});
      }
      Print(t, FormatOf(*format));
      return Status::OK();
    });
  });

  // summary
  auto* summary = cmd->add_subcommand("summary", "按单位汇总 Compliance per organisation");
  auto s_year = std::make_shared<int>(0);
  auto s_as_of = std::make_shared<std::string>();
  summary->add_option("--year", *s_year, "年度 year (default: the year of --as-of)")
      ->check(CLI::Range(2000, 2100));
  summary->add_option("--as-of", *s_as_of,
                      "评判日期 YYYY-MM-DD (default: settings server.as_of, else today)");
  add_format(summary);
  summary->callback([&g, &exit_code, s_year, s_as_of, format]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate day, AsOfArg(store, *s_as_of));
      QF_ASSIGN_OR_RETURN(leads::PartyParams p, ParamsFor(store, -1));
      QF_ASSIGN_OR_RETURN(auto list,
                          leads::PartySummary(store->db(), *s_year ? *s_year : day.year, day, p));
      Table t;
      t.keys = {"org", "branches", "due", "met", "missed", "at_risk", "no_quorum", "rate"};
      t.headers = g.zh() ? std::vector<std::string>{"单位", "支部数", "已到期",       "已开",
                                                    "未开", "临期",   "不足法定人数", "合规率"}
                         : t.keys;
      t.numeric = {false, true, true, true, true, true, true, true};
      for (const auto& s : list) {
        char rate[16];
        std::snprintf(rate, sizeof rate, "%.3f", s.rate);
        t.rows.push_back({s.org.empty() ? (g.zh() ? "（未知单位）" : "(unknown)") : s.org,
                          std::to_string(s.branches), std::to_string(s.due), std::to_string(s.met),
                          std::to_string(s.missed), std::to_string(s.at_risk),
                          std::to_string(s.no_quorum), rate});
      }
      Print(t, FormatOf(*format));
      return Status::OK();
    });
  });
}

}  // namespace qf::cli
