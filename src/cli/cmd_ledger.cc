// `qingfeng ledger …`: the tamper-evident ledger (docs/ledger.md). head,
// pubkey, checkpoint, verify, prove, consistency, actions, and check-proof —
// the one an outside auditor runs, which needs no database at all.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/output.h"
#include "leads/enforcement.h"
#include "ledger/audit.h"
#include "ledger/checkpoint.h"
#include "ledger/ledger.h"

namespace qf::cli {

namespace {

// Exit code when something does not verify (a tampered store, a rejected proof).
constexpr int kExitNotVerified = 1;

// A verifier key given inline ("name+hash+base64") or as a file holding it.
Result<ledger::Verifier> LoadVerifier(const std::string& arg) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(arg, ec)) {
    std::ifstream in(arg, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ledger::Verifier::Parse(ss.str());
  }
  return ledger::Verifier::Parse(arg);
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::InvalidInput("cannot read " + path, "无法读取文件" + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status WriteOut(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return Status::OK();
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) return Status::InvalidInput("cannot write " + path, "无法写入文件" + path);
  return Status::OK();
}

}  // namespace

void RegisterLedger(CLI::App& app, Globals& g, int& exit_code) {
  auto* ledger = app.add_subcommand(
      "ledger", "防篡改账本 Tamper-evident ledger: checkpoints, verification and proofs");
  ledger->require_subcommand(1);

  auto* head = ledger->add_subcommand("head", "最新签名检查点 The latest signed checkpoint");
  head->callback([&g, &exit_code]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(auto l, ledger::Ledger::Open(store->db()));
      QF_ASSIGN_OR_RETURN(std::string note, ledger::LatestCheckpoint(store->db()));
      std::cout << (g.zh() ? "叶子数：" : "leaves: ") << l->size() << "\n"
                << (g.zh() ? "树根：" : "root: ") << ToHex(l->Root()) << "\n";
      if (note.empty()) {
        std::cout << (g.zh() ? "尚无签名检查点\n" : "no signed checkpoint yet\n");
      } else {
        std::cout << "\n" << note;
      }
      return Status::OK();
    });
  });

  auto* pubkey = ledger->add_subcommand(
      "pubkey", "签名公钥（交给审计方） The public key that verifies checkpoints, for auditors");
  pubkey->callback([&g, &exit_code]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(ledger::Signer s, ledger::SignerFor(store->db_path()));
      std::cout << s.VerifierKey() << "\n";
      return Status::OK();
    });
  });

  auto* checkpoint = ledger->add_subcommand(
      "checkpoint", "立即签发检查点 Sign a checkpoint of the log now (e.g. hourly from cron)");
  checkpoint->callback([&g, &exit_code]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(std::string note, ledger::CheckpointNow(store->db(), store->db_path()));
      std::cout << note;
      return Status::OK();
    });
  });

  auto* verify = ledger->add_subcommand(
      "verify",
      "从库中重新计算并核对账本，指出被修改、删除、插入或调换顺序的记录 Recompute everything "
      "from the store and name every record edited, deleted, inserted or reordered");
  auto verify_key = std::make_shared<std::string>();
  verify->add_option("--pubkey", *verify_key,
                     "用此公钥核验检查点签名（默认用本机密钥） verify checkpoint signatures with "
                     "this key (default: the local key)");
  verify->callback([&g, &exit_code, verify_key]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      std::optional<ledger::Verifier> verifier;
      if (!verify_key->empty()) {
        QF_ASSIGN_OR_RETURN(verifier, LoadVerifier(*verify_key));
      } else if (std::filesystem::exists(ledger::KeyPathFor(store->db_path()))) {
        QF_ASSIGN_OR_RETURN(ledger::Signer s, ledger::SignerFor(store->db_path()));
        QF_ASSIGN_OR_RETURN(verifier, ledger::Verifier::Parse(s.VerifierKey()));
      }
      QF_ASSIGN_OR_RETURN(ledger::VerifyReport rep,
                          ledger::Verify(store->db(), verifier ? &*verifier : nullptr));
      QF_RETURN_IF_ERROR(leads::AddAvMediaProblems(store->db(), store->files_dir(), &rep));
      bool zh = g.zh();
      if (!verifier) {
        std::cerr << (zh ? "警告：没有签名密钥，未核验检查点签名\n"
                         : "warning: no signing key; checkpoint signatures not checked\n");
      }
      if (!rep.ok()) {
        Table t;
        t.keys = {"problem", "dataset", "key", "version", "row_id", "leaf", "detail"};
        t.headers =
            zh ? std::vector<std::string>{"问题", "数据集", "主键", "版本", "行号", "叶子", "说明"}
               : t.keys;
        t.numeric = {false, false, false, true, true, true, false};
        for (const auto& p : rep.problems) {
          t.rows.push_back({ledger::KindName(p.kind, zh), p.dataset, p.key,
                            p.version ? std::to_string(p.version) : "",
                            p.row_id ? std::to_string(p.row_id) : "",
                            p.leaf_index >= 0 ? std::to_string(p.leaf_index) : "",
                            zh ? p.detail_zh : p.detail_en});
        }
        Print(t, Format::kTable);
      }
      std::cout << (zh ? "叶子 " : "leaves ") << rep.leaves << (zh ? "，核对记录 " : ", rows ")
                << rep.rows_checked << (zh ? "，检查点 " : ", checkpoints ")
                << rep.checkpoints_checked << (zh ? "，树根 " : ", root ") << ToHex(rep.root)
                << "\n";
      if (rep.ok()) {
        std::cout << (zh ? "账本核验通过：所有记录与账本一致\n"
                         : "ledger verified: every record matches the ledger\n");
      } else {
        std::cout << (zh ? "账本核验失败：发现 " : "ledger verification FAILED: ")
                  << rep.problems.size() << (zh ? " 处问题\n" : " problem(s)\n");
        exit_code = kExitNotVerified;
      }
      return Status::OK();
    });
  });

  auto* prove = ledger->add_subcommand(
      "prove", "某条记录当前版本的包含证明（JSON） Inclusion proof of a record's current version");
  auto dataset = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  auto prove_out = std::make_shared<std::string>();
  prove->add_option("DATASET", *dataset, "数据集 dataset")->required();
  prove->add_option("KEY", *key, "主键（复合主键用|连接） key (composite keys joined with |)")
      ->required();
  prove->add_option("-o,--out", *prove_out, "写入文件 write to this file (default: stdout)");
  prove->callback([&g, &exit_code, dataset, key, prove_out]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(ledger::Signer s, ledger::SignerFor(store->db_path()));
      QF_ASSIGN_OR_RETURN(auto j, ledger::ProveRecord(store->db(), s, *dataset, *key));
      return WriteOut(*prove_out, j.dump(2) + "\n");
    });
  });

  auto* consistency = ledger->add_subcommand(
      "consistency", "两个规模之间的一致性证明（JSON） Consistency proof between two tree sizes");
  auto old_size = std::make_shared<uint64_t>(0);
  auto new_size = std::make_shared<uint64_t>(0);
  auto cons_out = std::make_shared<std::string>();
  consistency->add_option("OLD_SIZE", *old_size, "旧规模 old tree size")->required();
  consistency->add_option("NEW_SIZE", *new_size, "新规模（默认当前） new tree size (default: now)");
  consistency->add_option("-o,--out", *cons_out, "写入文件 write to this file (default: stdout)");
  consistency->callback([&g, &exit_code, old_size, new_size, cons_out]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(ledger::Signer s, ledger::SignerFor(store->db_path()));
      QF_ASSIGN_OR_RETURN(auto j, ledger::ProveConsistency(store->db(), s, *old_size, *new_size));
      return WriteOut(*cons_out, j.dump(2) + "\n");
    });
  });

  auto* check = ledger->add_subcommand(
      "check-proof",
      "审计方核验证明：只需证明文件和公钥 Check a proof as an outside auditor: needs only the "
      "proof file and the public key");
  auto proof_file = std::make_shared<std::string>();
  auto check_key = std::make_shared<std::string>();
  check->add_option("FILE", *proof_file, "证明文件 proof file (JSON)")->required();
  check->add_option("--pubkey", *check_key, "公钥或公钥文件 public key, or a file holding it")
      ->required();
  check->callback([&g, &exit_code, proof_file, check_key]() {
    auto run = [&]() -> Status {
      QF_ASSIGN_OR_RETURN(ledger::Verifier v, LoadVerifier(*check_key));
      QF_ASSIGN_OR_RETURN(std::string text, ReadFile(*proof_file));
      nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
      if (j.is_discarded()) {
        return Status::Corruption("the proof file is not JSON");
      }
      Result<std::vector<std::string>> r = ledger::CheckProof(j, v, g.zh());
      if (!r.ok()) {
        std::cout << (g.zh() ? "证明无效：" : "proof REJECTED: ") << r.status().message() << "\n";
        exit_code = kExitNotVerified;
        return Status::OK();
      }
      for (const std::string& line : *r) std::cout << line << "\n";
      std::cout << (g.zh() ? "证明有效\n" : "proof valid\n");
      return Status::OK();
    };
    Status s = run();
    if (!s.ok()) {
      std::cout << (g.zh() ? "证明无效：" : "proof REJECTED: ") << s.Message(g.zh()) << "\n";
      exit_code = kExitNotVerified;
    }
  });

  auto* actions =
      ledger->add_subcommand("actions", "账本记录的用户操作 User actions recorded in the ledger");
  auto format = std::make_shared<std::string>("table");
  actions->add_option("--format", *format, "table | jsonl | csv")
      ->check(CLI::IsMember({"table", "jsonl", "csv"}));
  actions->callback([&g, &exit_code, format]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(
          Stmt st,
          store->db()->Prepare(
              "SELECT l.idx, a.at, a.actor, a.action, a.target, a.details FROM ledger_actions a "
              "LEFT JOIN ledger_leaves l ON l.src = 2 AND l.ref = a.id ORDER BY a.id"));
      Table t;
      t.keys = {"leaf", "time", "actor", "action", "target", "details"};
      t.headers = g.zh()
                      ? std::vector<std::string>{"叶子", "时间", "操作人", "操作", "对象", "详情"}
                      : t.keys;
      t.numeric = {true, false, false, false, false, false};
      for (;;) {
        QF_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        t.rows.push_back({st.IsNull(0) ? "" : std::to_string(st.Int(0)), st.Text(1), st.Text(2),
                          st.Text(3), st.Text(4), st.Text(5)});
      }
      Format f = Format::kTable;
      ParseFormat(*format, &f);
      Print(t, f);
      return Status::OK();
    });
  });
}

}  // namespace qf::cli
