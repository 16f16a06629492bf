// qingfeng hotline: 12345 督查督办 — the board of orders with their time-limit
// clocks, one order's trail, registration and handling steps (through the
// importer), 催办/督办 notices (by hand, or the sweep), and the departments'
// metrics with their ranking.
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/output.h"
#include "common/scratch_dir.h"
#include "engine/runner.h"
#include "ingest/value.h"
#include "leads/hotline.h"

namespace qf::cli {

namespace {

Result<models::ClockLimits> LimitsFor(Store* store) {
  return leads::HotlineLimits(engine::SettingsPathFor(store->db_path()));
}

std::string Percent(const std::optional<double>& r) {
  if (!r) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", *r * 100.0);
  return buf;
}

// "剩3个工作日", "逾期2个工作日", "按时办结", "超期1个工作日办结".
std::string ClockText(const leads::BoardItem& it, bool zh) {
  if (it.deadline.empty()) return "";
  if (it.open) {
    if (it.overdue) {
      return zh ? "逾期" + std::to_string(it.overdue_days) + "个工作日"
                : "overdue " + std::to_string(it.overdue_days) + " wd";
    }
    return zh ? "剩" + std::to_string(it.days_left) + "个工作日"
              : std::to_string(it.days_left) + " wd left";
  }
  if (it.closed_late) {
    return zh ? "超期" + std::to_string(it.overdue_days) + "个工作日办结"
              : "closed " + std::to_string(it.overdue_days) + " wd late";
  }
  return zh ? "按时办结" : "closed on time";
}

std::string Flags(const leads::BoardItem& it, bool zh) {
  std::string f;
  if (it.urged) f += zh ? "催办" : "urged";
  if (it.supervised) f += std::string(f.empty() ? "" : " ") + (zh ? "督办" : "supervised");
  return f;
}

void PrintDetail(const leads::OrderDetail& d, bool zh) {
  const auto& it = d.item;
  std::cout << (zh ? "工单 " : "order ") << it.id << "  " << it.category << "  "
            << (zh ? leads::StateZh(it.state) : leads::StateName(it.state)) << "\n"
            << (zh ? "受理 " : "received ") << it.received_at << "  " << it.region_code << "  "
            << (zh ? "承办 " : "handled by ") << it.org << "\n"
            << (zh ? "办理时限 " : "deadline ") << it.deadline << "（" << it.limit
            << (zh ? "个工作日" : " wd");
  if (it.extension_days > 0) {
    std::cout << (zh ? "，经批准延期" : ", extended ") << it.extension_days
              << (zh ? "个工作日" : " wd");
  }
  std::cout << "）  " << ClockText(it, zh) << "  " << Flags(it, zh) << "\n";
  if (!d.order.content.empty()) std::cout << d.order.content << "\n";
  Table t;
  t.keys = {"at", "action", "from_org", "to_org", "note"};
  t.headers =
      zh ? std::vector<std::string>{"时间", "操作", "来源单位", "目标单位", "说明"} : t.keys;
  for (const auto& e : d.order.events)
    t.rows.push_back({e.at, e.action, e.from_org, e.to_org, e.note});
  Print(t, Format::kTable);
  for (const auto& n : d.notices) {
    std::cout << leads::NoticeKindZh(n.kind) << "  " << n.as_of << "  " << n.issued_by << "  "
              << (zh ? "时限 " : "deadline ") << n.deadline << "  " << n.note << "\n";
  }
  for (const auto& l : d.leads) {
    std::cout << (zh ? "线索 " : "lead ") << l.id << "  " << l.model << "  " << l.summary << "\n";
  }
}

struct BoardArgs {
  std::string as_of, format = "table";
  leads::BoardFilter filter;
};

struct ActArgs {
  std::string id;
  leads::OrderAction action;
};

struct MetricsArgs {
  std::string as_of, month, from, to, format = "table";
  int repeat_days = 30, min_orders = 5;
};

}  // namespace

void RegisterHotline(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "hotline", "12345督查督办 Hotline supervision: board, show, register, act, sweep, metrics");
  cmd->require_subcommand(1);

  // board
  auto* board = cmd->add_subcommand("board", "工单看板（时限按工作日） The board of orders");
  auto b = std::make_shared<BoardArgs>();
  b->filter.limit = 100;
  board->add_option(
      "--as-of", b->as_of,
      "评判日期 judged as of YYYY-MM-DD (default: settings server.as_of, else today)");
  board->add_option("--state", b->filter.state,
                    "状态 received|dispatched|returned|handling|extended|closed|visited|redo|open|"
                    "done");
  board->add_option("--org", b->filter.org, "承办单位 handling organisation");
  board->add_option("--region", b->filter.region_prefix, "区划代码前缀 region code prefix");
  board->add_option("--category", b->filter.category, "诉求类别 category");
  board->add_option("--clock", b->filter.clock, "时限 overdue|due_soon|late");
  board->add_option("--q", b->filter.text, "工单编号包含 id contains");
  board->add_option("--limit", b->filter.limit, "最多显示 at most (default 100)");
  board->add_option("--format", b->format, "table|jsonl|csv");
  board->callback([&g, &exit_code, b]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate as_of, AsOfArg(store, b->as_of));
      QF_ASSIGN_OR_RETURN(models::ClockLimits limits, LimitsFor(store));
      QF_ASSIGN_OR_RETURN(leads::Board bd, leads::LoadBoard(store->db(), as_of, b->filter, limits));
      const bool zh = g.zh();
      Format f = FormatOf(b->format);
      if (f == Format::kTable) {
        std::cout << (zh ? "评判日 " : "as of ") << bd.as_of << (zh ? "  共 " : "  total ")
                  << bd.total << (zh ? "  未办结 " : "  open ") << bd.open
                  << (zh ? "  逾期 " : "  overdue ") << bd.overdue
                  << (zh ? "  临期 " : "  due soon ") << bd.due_soon << "\n";
        for (int i = 0; i < leads::kOrderStateCount; ++i) {
          auto s = static_cast<leads::OrderState>(i);
          std::cout << (zh ? leads::StateZh(s) : leads::StateName(s)) << " "
                    << bd.counts[leads::StateName(s)] << "  ";
        }
        std::cout << "\n";
      }
      Table t;
      t.keys = {"id",       "received_at", "category", "org",      "state",
                "deadline", "clock",       "notices",  "transfers"};
      t.headers = zh ? std::vector<std::string>{"工单编号", "受理时间", "类别", "承办单位", "状态",
                                                "办理时限", "时限状态", "督办", "流转"}
                     : t.keys;
      t.numeric = {false, false, false, false, false, false, false, false, true};
      for (const auto& it : bd.items) {
        t.rows.push_back({it.id, it.received_at, it.category, it.org,
                          zh ? leads::StateZh(it.state) : leads::StateName(it.state), it.deadline,
                          ClockText(it, zh), Flags(it, zh), std::to_string(it.transfers)});
      }
      Print(t, f);
      return Status::OK();
    });
  });

  // show
  auto* show = cmd->add_subcommand("show", "工单详情：流转、通知、相关线索 One order");
  auto show_id = std::make_shared<std::string>();
  auto show_as_of = std::make_shared<std::string>();
  show->add_option("id", *show_id, "工单编号 order id")->required();
  show->add_option("--as-of", *show_as_of,
                   "评判日期 YYYY-MM-DD (default: settings server.as_of, else today)");
  show->callback([&g, &exit_code, show_id, show_as_of]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate as_of, AsOfArg(store, *show_as_of));
      QF_ASSIGN_OR_RETURN(models::ClockLimits limits, LimitsFor(store));
      QF_ASSIGN_OR_RETURN(leads::OrderDetail d,
                          leads::GetOrderDetail(store->db(), *show_id, as_of, limits));
      PrintDetail(d, g.zh());
      return Status::OK();
    });
  });

  // register
  auto* reg = cmd->add_subcommand("register", "登记工单（受理） Register an order");
  auto o = std::make_shared<leads::NewOrder>();
  reg->add_option("--id", o->id, "工单编号（默认自动生成） order id (default generated)");
  reg->add_option("--received-at", o->received_at, "受理时间 YYYY-MM-DD HH:MM (default now)");
  reg->add_option("--channel", o->channel, "来源渠道 电话|网站|微信|信件|来访");
  reg->add_option("--category", o->category, "诉求类别 咨询|求助|投诉|举报|建议")->required();
  reg->add_option("--region", o->region_code, "行政区划代码 region code")->required();
  reg->add_option("--content", o->content, "诉求内容 content")->required();
  reg->add_option("--caller-hash", o->caller_hash, "来电人标识（热线系统给出） caller id hash");
  reg->add_option("--org", o->assigned_org, "承办单位 assigned organisation");
  reg->callback([&g, &exit_code, o]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      const std::string work = CliWorkDir(store, "hotline-cli");
      ScratchDir scratch{work};
      QF_ASSIGN_OR_RETURN(std::string id, leads::RegisterOrder(store, *o, work, Globals::Actor()));
      std::cout << (g.zh() ? "已登记工单 " : "registered ") << id << "\n";
      return Status::OK();
    });
  });

  // act
  auto* act = cmd->add_subcommand(
      "act", "办理操作 派单|签收|转派|退单|延期|办结|回访|重办 Enter a handling step");
  auto a = std::make_shared<ActArgs>();
  act->add_option("id", a->id, "工单编号 order id")->required();
  act->add_option("--action", a->action.action,
                  "操作 派单|签收|转派|退单|延期|办结|回访|重办 (or dispatch, accept, transfer, "
                  "return, extend, close, visit, redo)")
      ->required();
  act->add_option("--at", a->action.at, "操作时间 YYYY-MM-DD HH:MM (default now)");
  act->add_option("--to-org", a->action.to_org, "目标单位（派单、转派） target organisation");
  act->add_option("--note", a->action.note, "说明、办理结果或理由 note, result or reason");
  act->add_option("--days", a->action.days, "延期工作日数 working days (延期)");
  act->add_flag("--approved", a->action.approved, "延期已批准 the extension is approved");
  act->add_option("--approval", a->action.approval, "审批意见 approval (延期)");
  act->add_option("--satisfaction", a->action.satisfaction, "满意度 满意|基本满意|不满意 (回访)");
  act->callback([&g, &exit_code, a]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(models::ClockLimits limits, LimitsFor(store));
      const std::string work = CliWorkDir(store, "hotline-cli");
      ScratchDir scratch{work};
      auto done = leads::ApplyAction(store, a->id, a->action, limits, work, Globals::Actor());
      if (!done.ok()) return done.status();
      const auto& e = done->events.back();
      std::cout << (g.zh() ? "已记录 " : "recorded ") << e.at << " " << e.action << "\n";
      return Status::OK();
    });
  });

  // notice (by hand)
  auto* notice = cmd->add_subcommand("notice", "人工催办或督办 Issue a 催办 or 督办 by hand");
  auto n_id = std::make_shared<std::string>();
  auto n_kind = std::make_shared<std::string>();
  auto n_note = std::make_shared<std::string>();
  auto n_as_of = std::make_shared<std::string>();
  notice->add_option("id", *n_id, "工单编号 order id")->required();
  notice->add_option("--kind", *n_kind, "urge (催办) | supervise (督办)")->required();
  notice->add_option("--note", *n_note, "说明 note");
  notice->add_option("--as-of", *n_as_of,
                     "评判日期 YYYY-MM-DD (default: settings server.as_of, else today)");
  notice->callback([&g, &exit_code, n_id, n_kind, n_note, n_as_of]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate as_of, AsOfArg(store, *n_as_of));
      QF_ASSIGN_OR_RETURN(models::ClockLimits limits, LimitsFor(store));
      QF_ASSIGN_OR_RETURN(std::string replay, ReplayAsOf(store));
      QF_ASSIGN_OR_RETURN(leads::Notice n,
                          leads::IssueNotice(store->db(), *n_id, *n_kind, *n_note, as_of, limits,
                                             Globals::Actor(), replay));
      std::cout << leads::NoticeKindZh(n.kind) << " " << n.complaint_id << " "
                << (g.zh() ? "时限 " : "deadline ") << n.deadline << "\n";
      return Status::OK();
    });
  });

  // sweep
  auto* sweep = cmd->add_subcommand(
      "sweep", "自动催办（到期前1个工作日）与督办（已超期） Issue due 催办/督办 notices");
  auto s_as_of = std::make_shared<std::string>();
  auto s_format = std::make_shared<std::string>("table");
  sweep->add_option("--as-of", *s_as_of,
                    "评判日期 YYYY-MM-DD (default: settings server.as_of, else today)");
  sweep->add_option("--format", *s_format, "table|jsonl|csv");
  sweep->callback([&g, &exit_code, s_as_of, s_format]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate as_of, AsOfArg(store, *s_as_of));
      QF_ASSIGN_OR_RETURN(models::ClockLimits limits, LimitsFor(store));
      QF_ASSIGN_OR_RETURN(std::string replay, ReplayAsOf(store));
      QF_ASSIGN_OR_RETURN(leads::SweepResult r,
                          leads::Sweep(store->db(), as_of, limits, Globals::Actor(), replay));
      const bool zh = g.zh();
      Format f = FormatOf(*s_format);
      if (f == Format::kTable) {
        std::cout << (zh ? "评判日 " : "as of ") << r.as_of << (zh ? "  新催办 " : "  urged ")
                  << r.urged << (zh ? "  新督办 " : "  supervised ") << r.supervised
                  << (zh ? "  此前已发 " : "  issued before ") << r.already << "\n";
      }
      Table t;
      t.keys = {"complaint_id", "kind", "deadline", "org", "note"};
      t.headers = zh ? std::vector<std::string>{"工单编号", "类型", "办理时限", "承办单位", "说明"}
                     : t.keys;
      for (const auto& n : r.issued) {
        t.rows.push_back(
            {n.complaint_id, zh ? leads::NoticeKindZh(n.kind) : n.kind, n.deadline, n.org, n.note});
      }
      Print(t, f);
      return Status::OK();
    });
  });

  // metrics
  auto* metrics = cmd->add_subcommand(
      "metrics", "部门按时办结率、满意率、重复诉求率与排名 Department metrics and ranking");
  auto m = std::make_shared<MetricsArgs>();
  metrics->add_option("--month", m->month, "月份 YYYY-MM (default: the month of --as-of)");
  metrics->add_option("--from", m->from, "起始日期 YYYY-MM-DD");
  metrics->add_option("--to", m->to, "截止日期 YYYY-MM-DD");
  metrics->add_option("--as-of", m->as_of,
                      "评判日期 YYYY-MM-DD (default: settings server.as_of, else today)");
  metrics->add_option("--repeat-days", m->repeat_days, "重复诉求回看天数 (default 30)");
  metrics->add_option("--min-orders", m->min_orders, "参与排名的最少办结件数 (default 5)");
  metrics->add_option("--format", m->format, "table|jsonl|csv");
  metrics->callback([&g, &exit_code, m]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(CivilDate as_of, AsOfArg(store, m->as_of));
      QF_ASSIGN_OR_RETURN(models::ClockLimits limits, LimitsFor(store));
      leads::MetricsParams p;
      p.repeat_days = m->repeat_days;
      p.min_orders = m->min_orders;
      if (!m->from.empty() || !m->to.empty()) {
        p.from = m->from;
        p.to = m->to;
      } else {
        std::string month = m->month;
        if (month.empty()) {
          char buf[16];
          std::snprintf(buf, sizeof buf, "%04d-%02d", as_of.year, as_of.month);
          month = buf;
        }
        QF_RETURN_IF_ERROR(leads::MonthRange(month, &p.from, &p.to));
      }
      QF_ASSIGN_OR_RETURN(leads::Metrics r, leads::ComputeMetrics(store->db(), as_of, p, limits));
      const bool zh = g.zh();
      Format f = FormatOf(m->format);
      if (f == Format::kTable) {
        std::cout << r.from << " ~ " << r.to << (zh ? "  评判日 " : "  as of ") << r.as_of
                  << (zh ? "  参与排名 " : "  ranked ") << r.ranked
                  << (zh ? "（办结不少于" : " (at least ") << r.min_orders
                  << (zh ? "件）" : " closed)") << "\n";
      }
      Table t;
      t.keys = {"rank",          "org",          "received",          "closed",
                "on_time",       "on_time_rate", "satisfaction_rate", "repeat_rate",
                "response_rate", "overdue_open"};
      t.headers = zh ? std::vector<std::string>{"排名",     "承办单位",   "受理",   "办结",
                                                "按时办结", "按时办结率", "满意率", "重复诉求率",
                                                "响应率",   "超期未办结"}
                     : t.keys;
      t.numeric = {false, false, true, true, true, false, false, false, false, true};
      auto row = [&](const leads::DeptMetrics& d) {
        t.rows.push_back({d.rank > 0 ? std::to_string(d.rank) : "",
                          d.org.empty() ? (zh ? "（未派单）" : "(not dispatched)") : d.org,
                          std::to_string(d.received), std::to_string(d.closed),
                          std::to_string(d.on_time), Percent(d.on_time_rate),
                          Percent(d.satisfaction_rate), Percent(d.repeat_rate),
                          Percent(d.response_rate), std::to_string(d.overdue_open)});
      };
      for (const auto& d : r.depts) row(d);
      row(r.total);
      Print(t, f);
      return Status::OK();
    });
  });
}

}  // namespace qf::cli
