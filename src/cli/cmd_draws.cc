// qingfeng draw: 双随机一公开 random inspection draws — plan (registers and
// the seed's commitment to the ledger), execute (seed revealed, targets and
// inspectors drawn, conflicts recused), result, publish, show and verify.
#include <cmath>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/output.h"
#include "leads/draws.h"

namespace qf::cli {

namespace {

struct PlanArgs {
  leads::DrawPlan plan;
  std::vector<double> ratios;          // percent for A, B, C, D
  std::vector<std::string> overrides;  // CODE=CLASS
};

void PrintDetail(const leads::DrawDetail& d, bool zh) {
  const auto& s = d.summary;
  std::cout << (zh ? "抽查 " : "draw ") << s.id << "  " << s.item << "  " << s.org << "  "
            << s.status << "\n"
            << (zh ? "检查对象名录库 " : "entity register ") << s.entities << "  sha256 "
            << s.entity_register_sha256 << "\n"
            << (zh ? "执法检查人员名录库 " : "inspector register ") << s.inspectors << "  sha256 "
            << s.inspector_register_sha256 << "\n"
            << (zh ? "种子承诺 " : "seed commitment ") << s.seed_commitment << "\n";
  if (!s.seed_hex.empty()) {
    std::cout << (zh ? "种子 " : "seed ") << s.seed_hex << "\n"
              << (zh ? "结果摘要 " : "result sha256 ") << s.result_sha256 << "\n";
  }
  if (d.targets.empty()) return;
  Table t;
  t.keys = {"seq", "credit_code", "name", "risk", "inspectors", "result"};
  t.headers = zh ? std::vector<std::string>{"序号", "统一社会信用代码", "名称",
                                            "风险", "检查人员",         "检查结果"}
                 : t.keys;
  for (const auto& r : d.targets) {
    std::string ins;
    for (const auto& [id, name] : r.inspectors) ins += (ins.empty() ? "" : "、") + name;
    t.rows.push_back({std::to_string(r.seq), r.credit_code, r.name, std::string(1, r.risk), ins,
                      r.has_result ? r.result : ""});
  }
  Print(t, Format::kTable);
  for (const auto& r : d.recusals) {
    std::cout << (zh ? "回避 " : "recused ") << r.credit_code << "  " << r.reason << "\n";
  }
}

}  // namespace

void RegisterDraws(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "draw", "双随机一公开 Random inspection draws: plan, execute, result, publish, show, verify");
  cmd->require_subcommand(1);

  // plan
  auto* plan =
      cmd->add_subcommand("plan", "制定抽查计划，名录库摘要与种子承诺写入账本 Plan a draw");
  auto a = std::make_shared<PlanArgs>();
  plan->add_option("--item", a->plan.item, "检查事项 inspection item")->required();
  plan->add_option("--org", a->plan.org, "实施机关（公职人员的单位） organisation")->required();
  plan->add_option("--ratios", a->ratios, "A B C D 类抽查比例（%） ratio per risk class, percent")
      ->expected(4);
  plan->add_option("--inspectors", a->plan.inspectors_per_target,
                   "每个对象的检查人员数（≥2） inspectors per target")
      ->check(CLI::Range(2, 20));
  plan->add_option("--region", a->plan.region_prefix, "区划代码前缀 region code prefix");
  plan->add_option("--industry", a->plan.industry, "行业（包含） industry contains");
  plan->add_option("--post", a->plan.post_filter, "职务包含（如 执法） position contains");
  plan->add_option("--risk", a->overrides, "指定风险等级 CODE=A|B|C|D (repeatable)");
  plan->add_option("--seed-commitment", a->plan.seed_commitment,
                   "SHA-256(种子)，种子由计划方保管 commitment to a seed you keep");
  plan->callback([&g, &exit_code, a]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      leads::DrawPlan p = a->plan;
      if (!a->ratios.empty()) {
        for (size_t i = 0; i < 4; ++i) {
          p.ratio_bp[i] = static_cast<int>(std::lround(a->ratios[i] * 100));
        }
      }
      for (const std::string& o : a->overrides) {
        size_t eq = o.find('=');
        if (eq == std::string::npos || eq + 2 != o.size()) {
          return Status::InvalidInput("--risk must be CODE=A|B|C|D, not " + o,
                                      "--risk 应为 信用代码=A|B|C|D，而不是 " + o);
        }
        p.risk_overrides[o.substr(0, eq)] = o[eq + 1];
      }
      QF_ASSIGN_OR_RETURN(
          int64_t id, leads::CreateDrawPlan(store->db(), store->db_path(), p, Globals::Actor()));
      QF_ASSIGN_OR_RETURN(leads::DrawDetail d, leads::GetDraw(store->db(), id));
      PrintDetail(d, g.zh());
      return Status::OK();
    });
  });

  // execute
  auto* exec =
      cmd->add_subcommand("execute", "执行抽取（揭示种子） Execute: reveal the seed, draw");
  auto exec_id = std::make_shared<int64_t>(0);
  auto seed = std::make_shared<std::string>();
  exec->add_option("id", *exec_id, "抽查编号 draw id")->required();
  exec->add_option("--seed", *seed, "计划方保管的种子（64位十六进制） the seed, if you hold it");
  exec->callback([&g, &exit_code, exec_id, seed]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(
          leads::DrawDetail d,
          leads::ExecuteDraw(store->db(), store->db_path(), *exec_id, *seed, Globals::Actor()));
      PrintDetail(d, g.zh());
      return Status::OK();
    });
  });

  // result
  auto* result = cmd->add_subcommand("result", "录入检查结果 Enter one target's result");
  auto res_id = std::make_shared<int64_t>(0);
  auto res = std::make_shared<leads::InspectionResult>();
  auto yuan = std::make_shared<double>(0);
  result->add_option("id", *res_id, "抽查编号 draw id")->required();
  result->add_option("--target", res->credit_code, "统一社会信用代码 credit code")->required();
  result->add_option("--result", res->result, "检查结果 result")->required();
  result->add_option("--date", res->date, "检查日期 YYYY-MM-DD")->required();
  result->add_option("--penalty", *yuan, "罚没金额（元） penalty in yuan");
  result->callback([&g, &exit_code, res_id, res, yuan]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      leads::InspectionResult r = *res;
      r.penalty_fen = std::llround(*yuan * 100);
      QF_RETURN_IF_ERROR(leads::EnterDrawResult(store->db(), *res_id, r, Globals::Actor()));
      std::cout << (g.zh() ? "已录入" : "entered") << "\n";
      return Status::OK();
    });
  });

  // publish, show, verify
  auto pub_id = std::make_shared<int64_t>(0);
  auto* publish = cmd->add_subcommand("publish", "公示抽查结果 Publish to the public portal");
  publish->add_option("id", *pub_id, "抽查编号 draw id")->required();
  publish->callback([&g, &exit_code, pub_id]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_RETURN_IF_ERROR(leads::PublishDraw(store->db(), *pub_id, Globals::Actor()));
      std::cout << (g.zh() ? "已公示" : "published") << "\n";
      return Status::OK();
    });
  });
  auto show_id = std::make_shared<int64_t>(0);
  auto* show = cmd->add_subcommand("show", "查看抽查 Show a draw");
  show->add_option("id", *show_id, "抽查编号 draw id")->required();
  show->callback([&g, &exit_code, show_id]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(leads::DrawDetail d, leads::GetDraw(store->db(), *show_id));
      PrintDetail(d, g.zh());
      return Status::OK();
    });
  });
  auto ver_id = std::make_shared<int64_t>(0);
  auto* verify =
      cmd->add_subcommand("verify", "复核抽查（重新计算） Verify a draw by recomputing it");
  verify->add_option("id", *ver_id, "抽查编号 draw id")->required();
  verify->callback([&g, &exit_code, ver_id]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(leads::DrawVerification v, leads::VerifyDraw(store->db(), *ver_id));
      for (const auto& c : v.checks) std::cout << "ok    " << c << "\n";
      for (const auto& p : v.problems) std::cout << "FAIL  " << p << "\n";
      std::cout << (v.ok ? (g.zh() ? "复核通过" : "verified")
                         : (g.zh() ? "复核未通过" : "verification failed"))
                << "\n";
      if (!v.ok) exit_code = kExitInput;
      return Status::OK();
    });
  });
}

}  // namespace qf::cli
