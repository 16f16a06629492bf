// qingfeng reports: complaints and reports (投诉、举报) from the office's side —
// list, read (each reading is a ledger action), follow a receipt code, set the
// status or the public reply, turn a report into a lead, and register a letter,
// visit or call (the receipt code is printed once, for the person).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/output.h"
#include "common/text.h"
#include "leads/lead_store.h"
#include "leads/reports.h"

namespace qf::cli {

namespace fs = std::filesystem;

namespace {

Result<leads::ReportSummary> ReportArg(Store* store, const std::string& ref) {
  auto r = leads::FindReport(store->db(), ref);
  if (!r.ok() && r.status().code() == Status::Code::kNotFound) {
    return Status::InvalidInput("there is no report " + ref, "没有这条投诉举报：" + ref);
  }
  return r;
}

Result<std::string> ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidInput("cannot read " + path, "无法读取文件 " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

nlohmann::ordered_json SummaryJson(const leads::ReportSummary& s) {
  nlohmann::ordered_json j;
  j["id"] = s.lookup_id;
  j["kind"] = s.kind;
  j["channel"] = s.channel;
  j["category"] = s.category;
  j["region_code"] = s.region_code;
  j["anonymous"] = s.anonymous;
  j["attachments"] = s.attachment_count;
  j["status"] = s.status;
  j["reply"] = s.reply;
  j["lead"] = s.lead_id ? leads::LeadCode(s.lead_id) : "";
  j["created_at"] = s.created_at;
  j["updated_at"] = s.updated_at;
  return j;
}

std::string Zh(const std::vector<leads::Label>& list, const std::string& id, bool zh) {
  return zh ? leads::LabelZh(list, id) : id;
}

}  // namespace

void RegisterReports(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "reports", "投诉举报 Complaints and reports: list, show, status, update, lead, submit");
  cmd->require_subcommand(1);

  // list
  auto* list = cmd->add_subcommand("list", "列出投诉举报（不含内容） List reports (no content)");
  auto filter = std::make_shared<leads::ReportFilter>();
  auto region = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  list->add_option("--kind", filter->kind, "complaint | report")
      ->check(CLI::IsMember({"complaint", "report"}));
  list->add_option("--status", filter->status, "accepted | in_progress | closed | rejected")
      ->check(CLI::IsMember({"accepted", "in_progress", "closed", "rejected"}));
  list->add_option("--channel", filter->channel, "online | letter | visit | phone")
      ->check(CLI::IsMember({"online", "letter", "visit", "phone"}));
  list->add_option("--category", filter->category, "类别 category");
  list->add_option("--region", *region, "区划代码 region code (210900 covers 2109xx)");
  list->add_option("--limit", filter->limit, "最多条数 at most this many")
      ->check(CLI::PositiveNumber);
  list->add_option("--format", *format, "table | jsonl | csv")
      ->check(CLI::IsMember({"table", "jsonl", "csv"}));
  list->callback([&g, &exit_code, filter, region, format]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      leads::ReportFilter f = *filter;
      if (!region->empty()) {
        std::string p = *region;
        while (p.size() > 2 && p.compare(p.size() - 2, 2, "00") == 0) p.resize(p.size() - 2);
        f.region_prefixes = {p};
      }
      int64_t total = 0;
      QF_ASSIGN_OR_RETURN(auto rows, leads::ListReports(store->db(), f, &total));
      if (*format == "jsonl") {
        for (const auto& s : rows) std::cout << SummaryJson(s).dump() << "\n";
        return Status::OK();
      }
      Table t;
      t.keys = {"id", "kind", "channel", "category", "region_code", "status", "lead", "created_at"};
      t.headers = g.zh() ? std::vector<std::string>{"编号", "类型", "渠道", "类别",
                                                    "区划", "状态", "线索", "受理时间"}
                         : t.keys;
      for (const auto& s : rows) {
        t.rows.push_back({s.lookup_id, Zh(leads::ReportKinds(), s.kind, g.zh()),
                          Zh(leads::ReportChannels(), s.channel, g.zh()), s.category, s.region_code,
                          Zh(leads::ReportStatuses(), s.status, g.zh()),
                          s.lead_id ? leads::LeadCode(s.lead_id) : "", s.created_at});
      }
      Format out = Format::kTable;
      ParseFormat(*format, &out);
      Print(t, out);
      if (out == Format::kTable) {
        std::cout << (g.zh() ? "共 " : "") << total << (g.zh() ? " 条" : " reports") << "\n";
      }
      return Status::OK();
    });
  });

  // show
  auto* show = cmd->add_subcommand("show", "查看内容（记入审计日志） Read one report (logged)");
  auto show_id = std::make_shared<std::string>();
  auto save_dir = std::make_shared<std::string>();
  show->add_option("id", *show_id, "编号 report id (JB7K2M9Q)")->required();
  show->add_option("--save-attachments", *save_dir,
                   "把附件解密保存到目录（每个附件记入审计日志） decrypt attachments into DIR");
  show->callback([&g, &exit_code, show_id, save_dir]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(leads::ReportSummary s, ReportArg(store, *show_id));
      QF_ASSIGN_OR_RETURN(leads::ReportDetail d,
                          leads::ReadReport(store->db(), store->db_path(), s.id, Globals::Actor()));
      bool zh = g.zh();
      std::cout << s.lookup_id << "  " << Zh(leads::ReportKinds(), s.kind, zh) << "  "
                << Zh(leads::ReportStatuses(), s.status, zh) << "\n"
                << (zh ? "渠道：" : "channel: ") << Zh(leads::ReportChannels(), s.channel, zh)
                << (zh ? "  类别：" : "  category: ") << s.category
                << (zh ? "  区划：" : "  region: ") << s.region_code << "\n"
                << (zh ? "受理时间：" : "received: ") << s.created_at
                << (zh ? "  更新：" : "  updated: ") << s.updated_at << "\n";
      if (s.anonymous) {
        std::cout << (zh ? "匿名\n" : "anonymous\n");
      } else {
        std::cout << (zh ? "联系人：" : "contact: ") << d.contact_name << "  " << d.contact_phone
                  << "\n";
      }
      if (!d.target.empty()) std::cout << (zh ? "被反映对象：" : "about: ") << d.target << "\n";
      std::cout << (zh ? "内容：\n" : "content:\n") << d.content << "\n";
      if (s.lead_id) std::cout << (zh ? "线索：" : "lead: ") << leads::LeadCode(s.lead_id) << "\n";
      if (!s.reply.empty()) std::cout << (zh ? "答复：" : "reply: ") << s.reply << "\n";
      for (const auto& a : d.attachments) {
        std::cout << (zh ? "附件 " : "attachment ") << a.seq << ": " << a.name << " (" << a.mime
                  << ", " << a.size << (zh ? " 字节)" : " bytes)") << "\n";
      }
      if (!save_dir->empty()) {
        std::error_code ec;
        fs::create_directories(*save_dir, ec);
        for (const auto& a : d.attachments) {
          QF_ASSIGN_OR_RETURN(leads::ReportFile f,
                              leads::ReadReportAttachment(store->db(), store->db_path(), s.id,
                                                          a.seq, Globals::Actor()));
          // The name came from the public: only its last component is used.
          std::string name = std::to_string(a.seq) + "-" + fs::path(f.name).filename().string();
          std::ofstream out(fs::path(*save_dir) / name, std::ios::binary);
          out.write(f.bytes.data(), static_cast<std::streamsize>(f.bytes.size()));
          if (!out) return Status::IOError("cannot write " + name);
          std::cout << (zh ? "已保存 " : "saved ") << (fs::path(*save_dir) / name).string() << "\n";
        }
      }
      return Status::OK();
    });
  });

  // status
  auto* status = cmd->add_subcommand("status", "凭回执码查询办理情况 Status by receipt code");
  auto receipt = std::make_shared<std::string>();
  status->add_option("receipt", *receipt, "回执码 receipt code")->required();
  status->callback([&g, &exit_code, receipt]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      auto st = leads::LookupReport(store->db(), *receipt);
      if (!st.ok() && st.status().code() == Status::Code::kNotFound) {
        return Status::InvalidInput("no report matches this receipt code",
                                    "回执码不正确或不存在，请核对后重试");
      }
      QF_RETURN_IF_ERROR(st.status());
      bool zh = g.zh();
      std::cout << st->lookup_id << "  " << Zh(leads::ReportKinds(), st->kind, zh) << "  "
                << Zh(leads::ReportStatuses(), st->status, zh) << "  "
                << (zh ? "更新于 " : "updated ") << st->updated_at << "\n";
      if (!st->reply.empty()) std::cout << (zh ? "答复：" : "reply: ") << st->reply << "\n";
      return Status::OK();
    });
  });

  // update
  auto* update = cmd->add_subcommand("update", "更改状态或答复 Set the status or the reply");
  auto update_id = std::make_shared<std::string>();
  auto change = std::make_shared<leads::ReportUpdate>();
  auto reply = std::make_shared<std::string>();
  update->add_option("id", *update_id, "编号 report id")->required();
  update->add_option("--status", change->status, "accepted | in_progress | closed | rejected");
  auto* reply_opt = update->add_option("--reply", *reply, "给反映人的答复 public reply");
  update->callback([&g, &exit_code, update_id, change, reply, reply_opt]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(leads::ReportSummary s, ReportArg(store, *update_id));
      leads::ReportUpdate u = *change;
      u.set_reply = reply_opt->count() > 0;
      u.reply = *reply;
      QF_ASSIGN_OR_RETURN(leads::ReportSummary done,
                          leads::UpdateReport(store->db(), s.id, u, Globals::Actor()));
      std::cout << done.lookup_id << "  " << Zh(leads::ReportStatuses(), done.status, g.zh())
                << "\n";
      return Status::OK();
    });
  });

  // lead
  auto* lead = cmd->add_subcommand("lead", "转为问题线索 Turn a report into a lead");
  auto lead_id = std::make_shared<std::string>();
  auto score = std::make_shared<int>(50);
  lead->add_option("id", *lead_id, "编号 report id")->required();
  lead->add_option("--score", *score, "线索分值 the lead's score (0-100)")
      ->check(CLI::Range(0, 100));
  lead->callback([&g, &exit_code, lead_id, score]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(leads::ReportSummary s, ReportArg(store, *lead_id));
      bool created = false;
      QF_ASSIGN_OR_RETURN(
          int64_t id, leads::ReportToLead(store->db(), s.id, Globals::Actor(), *score, &created));
      if (g.zh()) {
        std::cout << (created ? "已转为线索 " : "已是线索 ") << leads::LeadCode(id) << "\n";
      } else {
        std::cout << (created ? "lead created: " : "already lead ") << leads::LeadCode(id) << "\n";
      }
      return Status::OK();
    });
  });

  // submit
  auto* submit =
      cmd->add_subcommand("submit", "登记来信、来访、来电 Register a letter, visit or call");
  auto r = std::make_shared<leads::NewReport>();
  auto content_file = std::make_shared<std::string>();
  auto files = std::make_shared<std::vector<std::string>>();
  r->channel = "letter";
  r->anonymous = false;
  submit->add_option("--kind", r->kind, "complaint（投诉）| report（举报）")
      ->required()
      ->check(CLI::IsMember({"complaint", "report"}));
  auto* content_opt = submit->add_option("--content", r->content, "反映内容 content");
  submit->add_option("--content-file", *content_file, "从文件读取内容 content from a UTF-8 file")
      ->excludes(content_opt);
  submit->add_option("--channel", r->channel, "letter | visit | phone | online")
      ->check(CLI::IsMember({"letter", "visit", "phone", "online"}));
  submit->add_option("--category", r->category, "类别 category");
  submit->add_option("--region", r->region_code, "区划代码 region code (6 digits)");
  submit->add_option("--target", r->target, "被反映对象 organisation or person named");
  submit->add_flag("--anonymous", r->anonymous, "匿名 anonymous (no contact kept)");
  submit->add_option("--name", r->contact_name, "反映人姓名 name (not anonymous)");
  submit->add_option("--phone", r->contact_phone, "联系电话 phone (not anonymous)");
  submit->add_option("--attach", *files, "附件 attachment file (repeatable)");
  submit->callback([&g, &exit_code, r, content_file, files]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      leads::NewReport n = *r;
      if (!content_file->empty()) {
        QF_ASSIGN_OR_RETURN(n.content, ReadFileBytes(*content_file));
      }
      for (const std::string& path : *files) {
        leads::ReportFile f;
        f.name = fs::path(path).filename().string();
        QF_ASSIGN_OR_RETURN(f.bytes, ReadFileBytes(path));
        n.attachments.push_back(std::move(f));
      }
      QF_ASSIGN_OR_RETURN(leads::SubmitResult done,
                          leads::SubmitReport(store->db(), store->db_path(), n, Globals::Actor()));
      if (g.zh()) {
        std::cout << "已登记：" << done.lookup_id << "（" << done.created_at << "）\n"
                  << "回执码：" << done.receipt << "\n"
                  << "请将回执码交给反映人，凭此查询办理情况；系统不保存回执码，遗失无法找回。\n";
      } else {
        std::cout << "registered: " << done.lookup_id << " (" << done.created_at << ")\n"
                  << "receipt code: " << done.receipt << "\n"
                  << "Give the receipt code to the person; it is not stored and cannot be "
                     "recovered.\n";
      }
      return Status::OK();
    });
  });
}

}  // namespace qf::cli
