// `qingfeng resolve …` (entity resolution: review the last scan's matches,
// confirm or reject them) and `qingfeng graph …` (the relationship graph:
// size, ego network, paths between two entities, the conflict search).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "engine/graph.h"
#include "leads/matches.h"
#include "ledger/ledger.h"

namespace qf::cli {

namespace {

std::string Fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

Status RecordUnmasked(Db* db, const std::string& what, const std::string& target) {
  return ledger::RecordAction(
             db, {Globals::Actor(), "view_unmasked", target, nlohmann::json{{"via", what}}.dump()})
      .status();
}

// A node named by the user, or an error a clerk understands.
Result<uint32_t> NodeArg(const engine::Graph& g, const std::string& text) {
  uint32_t n = g.Lookup(text);
  if (n == engine::kNoNode) {
    return Status::InvalidInput(
        "nothing in the graph is known as \"" + text +
            "\" (give an ID number, a credit code, an organisation's name, a phone or an account)",
        "关系图谱中没有“" + text + "”（请输入身份证号、统一社会信用代码、单位名称、电话或账号）");
  }
  return n;
}

void RegisterResolve(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "resolve", "实体识别 Entity resolution: review the last scan's name-only matches");
  auto status = std::make_shared<std::string>();
  auto dataset = std::make_shared<std::string>();
  auto search = std::make_shared<std::string>();
  auto limit = std::make_shared<int64_t>(50);
  auto format = std::make_shared<std::string>("table");
  cmd->add_option("--status", *status,
                  "matched | review | unmatched | confirmed | rejected | name_mismatch")
      ->check(CLI::IsMember(
          {"matched", "review", "unmatched", "confirmed", "rejected", "name_mismatch"}));
  cmd->add_option("--dataset", *dataset, "只看该数据集 only this dataset");
  cmd->add_option("--search", *search, "名称包含 name contains");
  cmd->add_option("--limit", *limit, "最多显示 at most (default 50)");
  cmd->add_option("--format", *format, "table | jsonl | csv");
  cmd->callback([&g, &exit_code, cmd, status, dataset, search, limit, format]() {
    if (!cmd->get_subcommands().empty()) return;
    g.WithStore(exit_code, [&](Store* store) -> Status {
      Format f;
      if (!ParseFormat(*format, &f)) return Status::InvalidArgument("unknown --format");
      leads::MatchFilter filter;
      filter.status = *status;
      filter.dataset = *dataset;
      filter.search = *search;
      filter.limit = *limit;
      QF_ASSIGN_OR_RETURN(int64_t total, leads::CountMatches(store->db(), filter));
      QF_ASSIGN_OR_RETURN(auto rows, leads::ListMatches(store->db(), filter));
      Table t;
      t.keys = {"dataset",     "key",        "column",      "value",      "status",
                "probability", "entity_key", "entity_name", "explanation"};
      t.headers = g.zh() ? std::vector<std::string>{"数据集", "记录", "字段",     "名称", "状态",
                                                    "概率",   "实体", "实体名称", "依据"}
                         : t.keys;
      t.numeric = {false, false, false, false, false, true, false, false, false};
      for (const auto& m : rows) {
        t.rows.push_back({m.dataset, m.key, m.column, m.value, m.status, Fixed(m.probability, 3),
                          m.entity_key, m.entity_name, m.explanation});
      }
      Print(t, f);
      if (f == Format::kTable) {
        std::cout << (g.zh() ? "共 " : "total ") << total
                  << (g.zh()
                          ? " 条；确认或否决：qingfeng resolve confirm|reject 数据集 记录 字段 实体"
                          : "; decide with: qingfeng resolve confirm|reject DATASET KEY COLUMN "
                            "ENTITY")
                  << "\n";
      }
      return Status::OK();
    });
  });
  for (const char* verb : {"confirm", "reject"}) {
    const bool confirm = std::string_view(verb) == "confirm";
    auto* sub =
        cmd->add_subcommand(verb, confirm ? "确认匹配 Confirm a match (kept across re-runs)"
                                          : "否决匹配 Reject a match (kept across re-runs)");
    auto d = std::make_shared<engine::Decision>();
    auto note = std::make_shared<std::string>();
    d->confirm = confirm;
    sub->add_option("dataset", d->dataset, "数据集")->required();
    sub->add_option("key", d->key, "记录键")->required();
    sub->add_option("column", d->column, "字段，如 payee_name")->required();
    sub->add_option("entity", d->entity_key, "实体：身份证号或统一社会信用代码")->required();
    sub->add_option("--note", *note, "说明");
    sub->callback([&g, &exit_code, d, note, confirm]() {
      g.WithStore(exit_code, [&](Store* store) -> Status {
        QF_RETURN_IF_ERROR(leads::SaveDecision(store->db(), *d, Globals::Actor(), *note));
        std::cout << (g.zh() ? (confirm ? "已确认，下次扫描生效\n" : "已否决，下次扫描生效\n")
                             : (confirm ? "confirmed; applies from the next scan\n"
                                        : "rejected; applies from the next scan\n"));
        return Status::OK();
      });
    });
  }
}

void RegisterGraphCommands(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "graph", "关系图谱 Relationship graph: ego network, paths, conflict-of-interest search");
  cmd->require_subcommand(1);

  auto* stats = cmd->add_subcommand("stats", "图谱规模 Nodes and edges by kind");
  stats->callback([&g, &exit_code]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(auto live, leads::LoadNetwork(store->db()));
      const engine::Graph& gr = live.net->graph();
      std::cout << (g.zh() ? "节点 " : "nodes ") << GroupThousands(int64_t(gr.nodes()))
                << (g.zh() ? "，边 " : ", edges ") << GroupThousands(int64_t(gr.edges()))
                << (g.zh() ? "，内存 " : ", memory ") << gr.memory_bytes() / (1 << 20)
                << " MB; resolve " << Fixed(live.net->resolve_seconds(), 2) << " s, graph "
                << Fixed(live.net->graph_seconds(), 2) << " s\n";
      for (int k = 0; k < engine::kNodeKinds; ++k) {
        auto kind = static_cast<engine::NodeKind>(k);
        std::cout << "  " << engine::NodeKindLabel(kind) << " " << engine::NodeKindName(kind)
                  << ": " << gr.nodes_of(kind) << "\n";
      }
      for (int k = 0; k < engine::kEdgeKinds; ++k) {
        auto kind = static_cast<engine::EdgeKind>(k);
        std::cout << "  " << engine::EdgeKindLabel(kind) << " " << engine::EdgeKindName(kind)
                  << ": " << gr.edges_of(kind) << "\n";
      }
      return Status::OK();
    });
  });

  auto* ego = cmd->add_subcommand("ego", "某实体的关系网络（JSON）Ego network as JSON");
  auto who = std::make_shared<std::string>();
  auto depth = std::make_shared<int>(2);
  auto max_nodes = std::make_shared<size_t>(200);
  auto unmask = std::make_shared<bool>(false);
  ego->add_option("entity", *who, "身份证号、信用代码、单位名称、电话或账号")->required();
  ego->add_option("--depth", *depth, "层数 1–3")->check(CLI::Range(1, 3));
  ego->add_option("--limit", *max_nodes, "最多节点数");
  ego->add_flag("--unmask", *unmask, "显示明文（记入账本）show personal data (logged)");
  ego->callback([&g, &exit_code, who, depth, max_nodes, unmask]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(auto live, leads::LoadNetwork(store->db()));
      const engine::Graph& gr = live.net->graph();
      QF_ASSIGN_OR_RETURN(uint32_t n, NodeArg(gr, *who));
      if (*unmask) QF_RETURN_IF_ERROR(RecordUnmasked(store->db(), "graph ego", "graph:" + *who));
      QF_ASSIGN_OR_RETURN(auto j, gr.Ego(n, *depth, *max_nodes, !*unmask));
      std::cout << j.dump(2) << "\n";
      return Status::OK();
    });
  });

  auto* paths = cmd->add_subcommand("paths", "两个实体之间的关联路径 Paths between two entities");
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  auto k = std::make_shared<int>(4);
  auto edges = std::make_shared<std::string>("all");
  auto punmask = std::make_shared<bool>(false);
  paths->add_option("from", *from, "起点")->required();
  paths->add_option("to", *to, "终点")->required();
  paths->add_option("--k", *k, "最多层数 1–4")->check(CLI::Range(1, 4));
  paths->add_option("--edges", *edges, "关系类型，如 relative,household,shareholder（默认 all）");
  paths->add_flag("--unmask", *punmask, "显示明文（记入账本）");
  paths->callback([&g, &exit_code, from, to, k, edges, punmask]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(engine::EdgeMask mask, engine::ParseEdgeMask(*edges));
      QF_ASSIGN_OR_RETURN(auto live, leads::LoadNetwork(store->db()));
      const engine::Graph& gr = live.net->graph();
      QF_ASSIGN_OR_RETURN(uint32_t a, NodeArg(gr, *from));
      QF_ASSIGN_OR_RETURN(uint32_t b, NodeArg(gr, *to));
      if (*punmask) {
        QF_RETURN_IF_ERROR(RecordUnmasked(store->db(), "graph paths", "graph:" + *from));
      }
      engine::PathQuery q;
      q.k = *k;
      q.edges = mask;
      QF_ASSIGN_OR_RETURN(auto res, gr.Paths(a, std::vector<uint32_t>{b}, q));
      if (res.paths.empty()) {
        std::cout << (g.zh() ? "在 " + std::to_string(*k) + " 层内没有关联路径\n"
                             : "no path within " + std::to_string(*k) + " hops\n");
      }
      for (const auto& p : res.paths) std::cout << gr.Explain(p, !*punmask) << "\n";
      return Status::OK();
    });
  });

  auto* conflicts = cmd->add_subcommand(
      "conflicts",
      "利益冲突排查：干部及其亲属关联到本单位付款或中标企业 Conflict-of-interest search");
  auto ck = std::make_shared<int>(3);
  auto cedges = std::make_shared<std::string>("personal");
  auto all_officials = std::make_shared<bool>(false);
  auto climit = std::make_shared<size_t>(50);
  conflicts->add_option("--k", *ck, "最多层数 1–4")->check(CLI::Range(1, 4));
  conflicts->add_option("--edges", *cedges, "关系类型（默认 personal）");
  conflicts->add_flag("--all-officials", *all_officials, "全部公职人员（默认仅领导干部）");
  conflicts->add_option("--limit", *climit, "最多显示");
  conflicts->callback([&g, &exit_code, ck, cedges, all_officials, climit]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(engine::EdgeMask mask, engine::ParseEdgeMask(*cedges));
      QF_ASSIGN_OR_RETURN(auto live, leads::LoadNetwork(store->db()));
      const engine::Graph& gr = live.net->graph();
      engine::ConflictOptions o;
      o.k = *ck;
      o.edges = mask;
      o.leaders_only = !*all_officials;
      QF_ASSIGN_OR_RETURN(auto res, gr.ConflictSearch(o));
      size_t shown = 0;
      for (const auto& hit : res.hits) {
        if (shown++ >= *climit) break;
        std::cout << gr.Explain(hit, true) << "\n";
      }
      std::cout << (g.zh() ? "共 " : "") << res.hits.size()
                << (g.zh() ? " 处关联，检索任职 " : " links found over ") << res.posts
                << (g.zh() ? " 个\n" : " posts\n");
      return Status::OK();
    });
  });
}

}  // namespace

void RegisterGraph(CLI::App& app, Globals& g, int& exit_code) {
  RegisterResolve(app, g, exit_code);
  RegisterGraphCommands(app, g, exit_code);
}

}  // namespace qf::cli
