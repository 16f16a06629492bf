// qingfeng enforcement: 执法公示 and 全过程记录 — the publication board judged as
// of a day, one case with its media and publications, register and close a
// case, attach a media file, take a verified copy out, publish a decision, the
// public list, and a check of every kept media file against the ledger.
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "common/calendar.h"
#include "common/scratch_dir.h"
#include "common/text.h"
#include "engine/runner.h"
#include "ingest/value.h"
#include "leads/enforcement.h"

namespace qf::cli {

namespace {

Result<int64_t> AsOfDay(Store* store, const std::string& text) {
  QF_ASSIGN_OR_RETURN(CivilDate d, AsOfArg(store, text));
  return DaysFromCivil(d.year, d.month, d.day);
}

Result<leads::EnforcementParams> Params(Store* store, int decision_days) {
  QF_ASSIGN_OR_RETURN(leads::EnforcementParams p,
                      leads::LoadEnforcementParams(engine::SettingsPathFor(store->db_path())));
  if (decision_days > 0) p.decision_working_days = decision_days;
  return p;
}

std::string Yuan(const std::optional<int64_t>& fen) {
  return fen ? FormatFen(*fen) : std::string();
}

std::string StateText(const leads::EnforcementCase& r, bool zh) {
  const leads::PubDeadline& d = r.deadline;
  std::string s = zh ? leads::PubStateZh(d.state) : leads::PubStateName(d.state);
  if (d.state == leads::PubState::kDue) {
    s += zh ? "（剩" + std::to_string(d.days_left) + "个工作日）"
            : " (" + std::to_string(d.days_left) + " working days left)";
  } else if (d.days_late > 0) {
    s += zh ? "（超" + std::to_string(d.days_late) + "个工作日）"
            : " (" + std::to_string(d.days_late) + " working days late)";
  }
  return s;
}

// A list of cases; inspectors and a person's ID number masked as the console shows them.
Table CaseTable(const std::vector<leads::EnforcementCase>& rows, bool zh) {
  Table t;
  t.keys = {"case_id",      "org",   "kind",     "target",       "closed_at",
            "penalty_yuan", "state", "deadline", "published_at", "av"};
  t.headers =
      zh ? std::vector<std::string>{"案件编号", "执法单位", "类别",     "对象",     "结案时间",
                                    "罚没(元)", "公示状态", "公示期限", "公示时间", "全过程记录"}
         : t.keys;
  t.numeric = {false, false, false, false, false, true, false, false, false, false};
  for (const auto& r : rows) {
    std::string target = r.target_is_person
                             ? (zh ? "自然人" : "natural person")
                             : (r.target_name.empty() ? r.target_party : r.target_name);
    std::string av = r.missing_av ? (zh ? "缺失" : "missing")
                                  : std::to_string(r.av_media) + (zh ? "个音视频" : " AV");
    t.rows.push_back(
        {r.case_id, r.org, r.kind, target, r.closed_at, Yuan(r.penalty_fen), StateText(r, zh),
         r.deadline.deadline_day ? FormatDate(CivilFromDays(r.deadline.deadline_day)) : "",
         r.published_at, av});
  }
  return t;
}

}  // namespace

void RegisterEnforcement(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "enforcement",
      "执法公示与全过程记录 Enforcement publication and audio-video records: board, show, "
      "register, close, attach, media, publish, published, verify");
  cmd->require_subcommand(1);

  // board
  struct BoardArgs {
    std::string as_of, format = "table", kind, state, org;
    int decision_days = 0;
    int64_t limit = 50;
  };
  auto b = std::make_shared<BoardArgs>();
  auto* board = cmd->add_subcommand("board", "公示看板 Publication board as of a day");
  board->add_option(
      "--as-of", b->as_of,
      "评判日期 judged as of YYYY-MM-DD (default: settings server.as_of, else today)");
  board->add_option("--kind", b->kind, "执法类别 检查|处罚|许可|强制");
  board->add_option("--state", b->state, "not_due|due|overdue|on_time|late|missing_av")
      ->check(CLI::IsMember({"not_due", "due", "overdue", "on_time", "late", "missing_av"}));
  board->add_option("--org", b->org, "执法单位 organisation");
  board
      ->add_option("--decision-days", b->decision_days,
                   "处罚、许可公示期限（工作日） working days for decisions (default: settings, 7)")
      ->check(CLI::Range(1, 250));
  board->add_option("--limit", b->limit, "最多列出 list at most")->check(CLI::PositiveNumber);
  board->add_option("--format", b->format, "table | jsonl | csv")
      ->check(CLI::IsMember({"table", "jsonl", "csv"}));
  board->callback([&g, &exit_code, b]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(int64_t day, AsOfDay(store, b->as_of));
      QF_ASSIGN_OR_RETURN(leads::EnforcementParams p, Params(store, b->decision_days));
      QF_ASSIGN_OR_RETURN(auto cases, leads::LoadEnforcementCases(store->db(), p, day));
      leads::EnforcementBoard bd = leads::MakeEnforcementBoard(cases, day);
      leads::EnforcementFilter f;
      f.kind = b->kind;
      f.state = b->state;
      f.org = b->org;
      f.limit = b->limit;
      int64_t total = 0;
      auto rows = leads::FilterEnforcementCases(cases, f, &total);
      const Format out = FormatOf(b->format);
      if (out == Format::kTable) {
        const bool zh = g.zh();
        std::cout << (zh ? "截至 " : "as of ") << bd.as_of << (zh ? "  案件 " : "  cases ")
                  << bd.total << "\n";
        for (leads::PubState s :
             {leads::PubState::kNotDue, leads::PubState::kDue, leads::PubState::kOverdue,
              leads::PubState::kOnTime, leads::PubState::kLate}) {
          std::cout << "  " << (zh ? leads::PubStateZh(s) : leads::PubStateName(s)) << " "
                    << bd.by_state[leads::PubStateName(s)] << "\n";
        }
        std::cout << "  " << (zh ? "缺全过程记录 " : "missing AV record ") << bd.missing_av << "\n"
                  << (zh ? "公示期限：处罚、许可 " : "deadlines: decisions ")
                  << p.decision_working_days
                  << (zh ? " 个工作日，检查 " : " working days, inspections ")
                  << p.inspection_working_days << (zh ? " 个工作日" : " working days") << "\n";
      }
      Print(CaseTable(rows, g.zh()), out);
      if (out == Format::kTable) {
        std::cout << (g.zh() ? "共 " : "") << total << (g.zh() ? " 件" : " cases") << "\n";
      }
      return Status::OK();
    });
  });

  // show
  auto show_id = std::make_shared<std::string>();
  auto show_as_of = std::make_shared<std::string>();
  auto* show = cmd->add_subcommand("show", "查看案件、全过程记录与公示 Show one case");
  show->add_option("id", *show_id, "执法案件编号 case id")->required();
  show->add_option("--as-of", *show_as_of,
                   "评判日期 YYYY-MM-DD (default: settings server.as_of, else today)");
  show->callback([&g, &exit_code, show_id, show_as_of]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(int64_t day, AsOfDay(store, *show_as_of));
      QF_ASSIGN_OR_RETURN(leads::EnforcementParams p, Params(store, 0));
      QF_ASSIGN_OR_RETURN(auto r, leads::LoadEnforcementCase(store->db(), p, day, *show_id));
      const bool zh = g.zh();
      Print(CaseTable({r}, zh), Format::kTable);
      if (!r.result.empty()) std::cout << (zh ? "处理结果：" : "result: ") << r.result << "\n";
      QF_ASSIGN_OR_RETURN(auto media, leads::AvMediaOf(store->db(), r.case_id));
      Table m;
      m.keys = {"sha256", "file_name", "klass", "size", "recorded_at", "uploaded_at"};
      m.headers =
          zh ? std::vector<std::string>{"SHA-256", "文件名", "类型", "大小", "录制时间", "上传时间"}
             : m.keys;
      m.numeric = {false, false, false, true, false, false};
      for (const auto& x : media) {
        m.rows.push_back(
            {x.sha256, x.file_name, x.klass, std::to_string(x.size), x.recorded_at, x.uploaded_at});
      }
      if (!m.rows.empty()) Print(m, Format::kTable);
      QF_ASSIGN_OR_RETURN(auto pubs, leads::EnforcementPublicationsOf(store->db(), r.case_id));
      for (const auto& x : pubs) {
        std::cout << (zh ? "公示 " : "publication ") << x.id << "  " << x.published_at << "  "
                  << x.public_text << (x.superseded_by ? (zh ? "（已更正）" : " (superseded)") : "")
                  << "\n";
      }
      return Status::OK();
    });
  });

  // register
  auto nc = std::make_shared<leads::NewEnforcementCase>();
  auto nc_inspectors = std::make_shared<std::string>();
  auto nc_av = std::make_shared<std::string>();
  auto* reg = cmd->add_subcommand("register", "登记执法案件 Register a case");
  reg->add_option("id", nc->case_id, "执法案件编号 case id")->required();
  reg->add_option("--org", nc->org, "执法单位 organisation")->required();
  reg->add_option("--target", nc->target_party, "检查对象证件号 ID number or credit code")
      ->required();
  reg->add_option("--kind", nc->kind, "执法类别 检查|处罚|许可|强制")->required();
  reg->add_option("--started-at", nc->started_at, "开始时间 YYYY-MM-DD HH:MM")->required();
  reg->add_option("--inspectors", *nc_inspectors, "执法人员身份证号，以;分隔 ';'-separated");
  reg->add_option("--source", nc->source, "来源 双随机|投诉举报|专项|其他");
  reg->add_option("--av", *nc_av, "是否全过程记录 yes|no")->check(CLI::IsMember({"yes", "no"}));
  reg->callback([&g, &exit_code, nc, nc_inspectors, nc_av]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      leads::NewEnforcementCase c = *nc;
      std::string_view rest = *nc_inspectors;
      while (!rest.empty()) {
        size_t semi = rest.find(';');
        std::string_view id = Trim(rest.substr(0, semi));
        if (!id.empty()) c.inspector_ids.emplace_back(id);
        rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      }
      if (!nc_av->empty()) c.has_av_record = *nc_av == "yes";
      const std::string work = CliWorkDir(store, "enforcement-cli-register");
      ScratchDir scratch{work};
      auto r = leads::RegisterEnforcementCase(store, c, work, Globals::Actor());
      QF_RETURN_IF_ERROR(r.status());
      std::cout << (g.zh() ? "已登记 " : "registered ") << r->case_id << "\n";
      return Status::OK();
    });
  });

  // close
  auto cl_id = std::make_shared<std::string>();
  auto cl = std::make_shared<leads::EnforcementClosure>();
  auto cl_yuan = std::make_shared<std::string>();
  auto cl_av = std::make_shared<std::string>();
  auto* close = cmd->add_subcommand("close", "结案并录入处理结果 Close a case with its result");
  close->add_option("id", *cl_id, "执法案件编号 case id")->required();
  close->add_option("--closed-at", cl->closed_at, "结束时间 YYYY-MM-DD HH:MM")->required();
  close->add_option("--result", cl->result, "处理结果 result")->required();
  close->add_option("--penalty", *cl_yuan, "罚没金额（元） penalty in yuan");
  close->add_option("--av", *cl_av, "是否全过程记录 yes|no")->check(CLI::IsMember({"yes", "no"}));
  close->callback([&g, &exit_code, cl_id, cl, cl_yuan, cl_av]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      leads::EnforcementClosure c = *cl;
      if (!cl_yuan->empty()) {
        QF_ASSIGN_OR_RETURN(c.penalty_fen, ParseMoneyFen(*cl_yuan));
      }
      if (!cl_av->empty()) c.has_av_record = *cl_av == "yes";
      const std::string work = CliWorkDir(store, "enforcement-cli-close");
      ScratchDir scratch{work};
      auto r = leads::CloseEnforcementCase(store, *cl_id, c, work, Globals::Actor());
      QF_RETURN_IF_ERROR(r.status());
      std::cout << (g.zh() ? "已结案 " : "closed ") << r->case_id << "  " << StateText(*r, g.zh())
                << "\n";
      return Status::OK();
    });
  });

  // attach
  auto at_id = std::make_shared<std::string>();
  auto at_file = std::make_shared<std::string>();
  auto at_name = std::make_shared<std::string>();
  auto at_recorded = std::make_shared<std::string>();
  auto* attach = cmd->add_subcommand(
      "attach", "上传全过程记录（音视频、照片、PDF） Attach an audio/video record or a document");
  attach->add_option("id", *at_id, "执法案件编号 case id")->required();
  attach->add_option("file", *at_file, "文件 file")->required()->check(CLI::ExistingFile);
  attach->add_option("--name", *at_name, "文件名（默认取文件本名） file name to record");
  attach->add_option("--recorded-at", *at_recorded, "录制时间 YYYY-MM-DD HH:MM");
  attach->callback([&g, &exit_code, at_id, at_file, at_name, at_recorded]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      leads::AvMediaUpload up;
      up.case_id = *at_id;
      up.file_name =
          at_name->empty() ? std::filesystem::path(*at_file).filename().string() : *at_name;
      up.recorded_at = *at_recorded;
      QF_ASSIGN_OR_RETURN(auto m, leads::AttachAvMedia(store->db(), store->files_dir(), up,
                                                       *at_file, Globals::Actor()));
      std::cout << (m.existed ? (g.zh() ? "已有相同内容 " : "already attached ")
                              : (g.zh() ? "已保存 " : "kept "))
                << m.sha256 << "  " << m.mime << "  " << m.size << "\n";
      return Status::OK();
    });
  });

  // media
  auto md_id = std::make_shared<std::string>();
  auto md_sha = std::make_shared<std::string>();
  auto md_out = std::make_shared<std::string>();
  auto* media = cmd->add_subcommand(
      "media", "取出全过程记录（校验 SHA-256） Copy a media file out, verified");
  media->add_option("id", *md_id, "执法案件编号 case id")->required();
  media->add_option("sha256", *md_sha, "文件 SHA-256")->required();
  media->add_option("-o,--out", *md_out, "写入文件 write to this file")->required();
  media->callback([&g, &exit_code, md_id, md_sha, md_out]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(
          auto m, leads::CopyAvMedia(store->db(), store->files_dir(), *md_id, *md_sha, *md_out));
      std::cout << (g.zh() ? "已校验并写入 " : "verified and written ") << *md_out << "  " << m.size
                << "\n";
      return Status::OK();
    });
  });

  // publish
  auto pb_id = std::make_shared<std::string>();
  auto pb = std::make_shared<leads::EnforcementPublishInput>();
  auto pb_yuan = std::make_shared<std::string>();
  auto* publish =
      cmd->add_subcommand("publish", "公示决定（或更正） Publish a decision, or correct one");
  publish->add_option("id", *pb_id, "执法案件编号 case id")->required();
  publish->add_option("--decision-no", pb->decision_no, "决定书文号 document number");
  publish->add_option("--result", pb->result, "公示的处理结果（默认案件结果） result to publish");
  publish->add_option("--penalty", *pb_yuan, "罚没金额（元） penalty in yuan");
  publish->add_option("--at", pb->published_at, "公示时间 YYYY-MM-DD HH:MM (default now)");
  publish->add_option("--reason", pb->reason, "更正理由 reason (a correction)");
  publish->callback([&g, &exit_code, pb_id, pb, pb_yuan]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      leads::EnforcementPublishInput in = *pb;
      if (!pb_yuan->empty()) {
        QF_ASSIGN_OR_RETURN(in.penalty_fen, ParseMoneyFen(*pb_yuan));
      }
      const std::string work = CliWorkDir(store, "enforcement-cli-publish");
      ScratchDir scratch{work};
      auto p = leads::PublishEnforcementCase(store, *pb_id, in, work, Globals::Actor());
      QF_RETURN_IF_ERROR(p.status());
      std::cout << (g.zh() ? "已公示 " : "published ") << p->case_id << "  " << p->published_at
                << "\n"
                << p->public_text << "\n";
      return Status::OK();
    });
  });

  // published: the public list
  auto pf = std::make_shared<leads::PublicDecisionFilter>();
  auto pf_format = std::make_shared<std::string>("table");
  auto* published = cmd->add_subcommand(
      "published", "公示清单（与公众门户相同） The public list of published decisions");
  published->add_option("--org", pf->org, "执法单位 organisation");
  published->add_option("--kind", pf->kind, "执法类别 检查|处罚|许可|强制");
  published->add_option("--year", pf->year, "年度 year")->check(CLI::Range(2000, 2100));
  published->add_option("--q", pf->q, "关键词 text");
  published->add_option("--limit", pf->limit, "最多条数 at most")->check(CLI::PositiveNumber);
  published->add_option("--format", *pf_format, "table | jsonl | csv")
      ->check(CLI::IsMember({"table", "jsonl", "csv"}));
  published->callback([&g, &exit_code, pf, pf_format]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      int64_t total = 0;
      QF_ASSIGN_OR_RETURN(auto rows, leads::PublicDecisions(store->db(), *pf, &total));
      Table t;
      t.keys = {"case_id", "org",         "kind",       "target_name", "target_code",
                "result",  "penalty_fen", "decided_on", "published_at"};
      t.headers = g.zh() ? std::vector<std::string>{"案件编号", "执法单位", "类别",
                                                    "对象",     "信用代码", "处理结果",
                                                    "罚没(分)", "决定日期", "公示时间"}
                         : t.keys;
      t.numeric = {false, false, false, false, false, false, true, false, false};
      for (const auto& d : rows) {
        t.rows.push_back({d.case_id, d.org, d.kind, d.target_name, d.target_code, d.result,
                          std::to_string(d.penalty_fen), d.decided_on, d.published_at});
      }
      const Format out = FormatOf(*pf_format);
      Print(t, out);
      if (out == Format::kTable) {
        std::cout << (g.zh() ? "共 " : "") << total << (g.zh() ? " 条" : " decisions") << "\n";
      }
      return Status::OK();
    });
  });

  // verify
  auto* verify = cmd->add_subcommand(
      "verify", "核验全部全过程记录文件与账本 Check every media file against the ledger");
  verify->callback([&g, &exit_code]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(auto v, leads::VerifyAvMedia(store->db(), store->files_dir()));
      const auto& problems = g.zh() ? v.problems_zh : v.problems_en;
      for (const auto& p : problems) std::cout << "FAIL  " << p << "\n";
      std::cout << (g.zh() ? "文件 " : "files ") << v.files << "  "
                << (v.ok() ? (g.zh() ? "核验通过" : "verified")
                           : (g.zh() ? "核验未通过" : "verification failed"))
                << "\n";
      if (!v.ok()) exit_code = kExitInput;
      return Status::OK();
    });
  });
}

}  // namespace qf::cli
