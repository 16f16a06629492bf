// Read-only commands over the store: datasets, quarantine, history, describe.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/output.h"
#include "common/text.h"
#include "ingest/dataset.h"
#include "ingest/quarantine.h"
#include "ledger/ledger.h"
#include "store/schema.h"

namespace qf::cli {

void RegisterDatasets(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand("datasets", "数据集概况 Rows per dataset and the last import");
  auto format = std::make_shared<std::string>("table");
  cmd->add_option("--format", *format, "table | jsonl | csv")
      ->check(CLI::IsMember({"table", "jsonl", "csv"}));
  cmd->callback([&g, &exit_code, format]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      Db* db = store->db();
      Table t;
      t.keys = {"dataset",         "name_zh", "rows",           "versions",
                "open_quarantine", "imports", "last_import_at", "last_file"};
      t.headers =
          g.zh()
              ? std::vector<std::string>{"数据集",     "中文名",   "当前行数",     "历史版本",
                                         "待处理隔离", "导入次数", "最近导入时间", "最近导入文件"}
              : std::vector<std::string>{"dataset",     "name",    "rows",        "versions",
                                         "quarantined", "imports", "last import", "last file"};
      t.numeric = {false, false, true, true, true, true, false, false};
      QF_ASSIGN_OR_RETURN(std::vector<DatasetStatus> statuses, DatasetStatuses(db));
      for (const DatasetStatus& s : statuses) {
        t.rows.push_back({s.def->name, s.def->zh, std::to_string(s.rows),
                          std::to_string(s.versions), std::to_string(s.quarantined),
                          std::to_string(s.imports), s.last_import_at, s.last_file});
      }
      Format f = Format::kTable;
      ParseFormat(*format, &f);
      Print(t, f);
      return Status::OK();
    });
  });
}

void RegisterQuarantine(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "quarantine", "隔离区 Rows that failed validation: where, which column, the value and why");
  auto dataset = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  auto all = std::make_shared<bool>(false);
  auto export_path = std::make_shared<std::string>();
  cmd->add_option("--dataset", *dataset, "只看该数据集 only this dataset");
  cmd->add_option("--format", *format, "table | jsonl | csv")
      ->check(CLI::IsMember({"table", "jsonl", "csv"}));
  cmd->add_flag("--all", *all, "包括已被后续导入纠正的 include entries a later import resolved");
  cmd->add_option("--export-rows", *export_path,
                  "把待处理的原始行写成CSV以便修改后重新导入 write the open rows, as they were "
                  "received, to a CSV file to correct and re-import (needs --dataset)");
  cmd->callback([&g, &exit_code, dataset, format, all, export_path]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      std::string ds;
      if (!dataset->empty()) {
        QF_ASSIGN_OR_RETURN(const DatasetDef* def, DatasetArg(*dataset));
        ds = def->name;
      }
      Db* db = store->db();
      if (!export_path->empty()) {
        if (ds.empty()) {
          return Status::InvalidInput("--export-rows needs --dataset",
                                      "--export-rows 需要同时指定 --dataset");
        }
        std::ofstream out(*export_path, std::ios::binary);
        if (!out)
          return Status::InvalidInput("cannot write " + *export_path,
                                      "无法写入文件" + *export_path);
        QuarantineFilter filter;
        filter.dataset = ds;
        QF_ASSIGN_OR_RETURN(int64_t n, ExportQuarantinedRows(db, filter, out));
        out.close();
        if (!out) return Status::IOError("cannot write " + *export_path + " (disk full?)");
        // An export of personal data is an action the ledger must remember.
        nlohmann::json details = {{"dataset", ds}, {"rows", n}, {"file", *export_path}};
        ledger::Action action{Globals::Actor(), "export", "quarantine:" + ds, details.dump()};
        QF_RETURN_IF_ERROR(ledger::RecordAction(db, action).status());
        QF_RETURN_IF_ERROR(ledger::CheckpointNow(db, store->db_path()).status());
        std::cerr << (g.zh() ? "已写出 " : "wrote ") << n << (g.zh() ? " 行到 " : " rows to ")
                  << *export_path << std::endl;
        return Status::OK();
      }
      QuarantineFilter filter;
      filter.dataset = ds;
      filter.include_resolved = *all;
      QF_ASSIGN_OR_RETURN(std::vector<QuarantineEntry> entries, ListQuarantine(db, filter));
      Format f = Format::kTable;
      ParseFormat(*format, &f);
      Table t;
      t.keys = {"id",    "dataset", "file",      "line",      "location",          "column",
                "value", "reason",  "reason_en", "import_id", "resolved_by_import"};
      t.headers =
          g.zh()
              ? std::vector<std::string>{"编号", "数据集", "文件",   "行",       "位置",  "列",
                                         "值",   "原因",   "reason", "导入批次", "已纠正"}
              : std::vector<std::string>{"id",    "dataset", "file", "line",   "location", "column",
                                         "value", "reason",  "原因", "import", "resolved"};
      t.numeric = {true, false, false, true, false, false, false, false, false, true, false};
      bool zh = g.zh();
      for (const QuarantineEntry& e : entries) {
        const std::string& reason = zh ? e.reason_zh : e.reason_en;
        const std::string& other = zh ? e.reason_en : e.reason_zh;
        t.rows.push_back({std::to_string(e.id), e.dataset, e.file_name, std::to_string(e.line),
                          e.location, e.column, e.value, reason, other, std::to_string(e.import_id),
                          e.resolved_import_id ? std::to_string(e.resolved_import_id) : ""});
      }
      if (f == Format::kTable) {
        // The table keeps to what a clerk needs; scripts get every field.
        for (auto* v : {&t.headers}) {
          v->erase(v->begin() + 8);
          v->erase(v->begin() + 4);
        }
        for (auto& r : t.rows) {
          r.erase(r.begin() + 8);
          r.erase(r.begin() + 4);
        }
        t.numeric.erase(t.numeric.begin() + 8);
        t.numeric.erase(t.numeric.begin() + 4);
        for (auto& r : t.rows) r[5] = ClipForMessage(r[5], 30);
      } else {
        t.keys[7] = "reason";
        t.keys[8] = zh ? "reason_en" : "reason_zh";
      }
      Print(t, f);
      if (f == Format::kTable && t.rows.empty()) {
        std::cout << (zh ? "隔离区为空。" : "Quarantine is empty.") << std::endl;
      }
      return Status::OK();
    });
  });
}

void RegisterImports(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "imports", "导入记录 Every import: file, SHA-256, the kept copy's path, and the counts");
  auto dataset = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  cmd->add_option("--dataset", *dataset, "只看该数据集 only this dataset");
  cmd->add_option("--format", *format, "table | jsonl | csv")
      ->check(CLI::IsMember({"table", "jsonl", "csv"}));
  cmd->callback([&g, &exit_code, dataset, format]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      std::string ds;
      if (!dataset->empty()) {
        QF_ASSIGN_OR_RETURN(const DatasetDef* def, DatasetArg(*dataset));
        ds = def->name;
      }
      QF_ASSIGN_OR_RETURN(
          Stmt q, store->db()->Prepare(
                      "SELECT i.id, i.dataset, i.file_name, i.format, COALESCE(i.encoding, ''), "
                      "i.started_at, i.rows_read, i.accepted, i.new_rows, i.changed, i.unchanged, "
                      "i.quarantined, i.file_sha256, f.size FROM imports i JOIN files f ON "
                      "f.sha256 = i.file_sha256 WHERE (?1 = '' OR i.dataset = ?1) ORDER BY i.id"));
      q.BindText(1, ds);
      Table t;
      t.keys = {"import_id",  "dataset",     "file",     "format", "encoding",
                "started_at", "rows",        "accepted", "new",    "changed",
                "unchanged",  "quarantined", "sha256",   "size",   "kept_copy"};
      t.headers =
          g.zh() ? std::vector<std::string>{"批次",     "数据集", "文件",    "格式", "编码",
                                            "导入时间", "读取",   "接受",    "新增", "变更",
                                            "未变",     "隔离",   "SHA-256", "字节", "留存副本"}
                 : t.keys;
      t.numeric = {true, false, false, false, false, false, true, true,
                   true, true,  true,  true,  false, true,  false};
      for (;;) {
        QF_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) break;
        std::vector<std::string> r;
        for (int c = 0; c < 14; ++c) r.push_back(q.Text(c));
        r.push_back(store->PathOf(q.Text(12)));
        t.rows.push_back(std::move(r));
      }
      Format f = Format::kTable;
      ParseFormat(*format, &f);
      Print(t, f);
      return Status::OK();
    });
  });
}

void RegisterHistory(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand("history", "历史版本 Every version of one record, oldest first");
  auto dataset = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  cmd->add_option("dataset", *dataset, "数据集 dataset")->required();
  cmd->add_option("key", *key, "主键（复合主键用|连接）key (composite keys joined with |)")
      ->required();
  cmd->add_option("--format", *format, "table | jsonl | csv")
      ->check(CLI::IsMember({"table", "jsonl", "csv"}));
  cmd->callback([&g, &exit_code, dataset, key, format]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      QF_ASSIGN_OR_RETURN(const DatasetDef* def, DatasetArg(*dataset));
      std::string cols;
      for (const ColumnDef& c : def->columns) cols += ", " + QuoteIdent(c.name);
      QF_ASSIGN_OR_RETURN(
          Stmt q,
          store->db()->Prepare(
              "SELECT v._version, v._current, v._import_id, i.file_name, v._line, i.started_at" +
              cols + ", COALESCE(v._extra, '') FROM " + QuoteIdent(VersionsTable(*def)) +
              " v JOIN imports i ON i.id = v._import_id WHERE v._key = ? ORDER BY v._version"));
      q.BindText(1, *key);
      Table t;
      t.keys = {"version", "current", "import_id", "file", "line", "imported_at"};
      t.headers =
          g.zh() ? std::vector<std::string>{"版本", "当前", "导入批次", "文件", "行", "导入时间"}
                 : std::vector<std::string>{"version", "current", "import",
                                            "file",    "line",    "imported at"};
      t.numeric = {true, false, true, false, true, false};
      for (const ColumnDef& c : def->columns) {
        t.keys.push_back(c.name);
        t.headers.push_back(g.zh() ? c.DisplayName() : c.name);
        t.numeric.push_back(false);
      }
      t.keys.push_back("extra");
      t.headers.push_back(g.zh() ? "其他属性" : "extra");
      for (;;) {
        QF_ASSIGN_OR_RETURN(bool row, q.Step());
        if (!row) break;
        std::vector<std::string> r;
        for (int c = 0; c < q.ColumnCount(); ++c) r.push_back(q.Text(c));
        r[1] = r[1] == "1" ? (g.zh() ? "是" : "yes") : "";
        t.rows.push_back(std::move(r));
      }
      if (t.rows.empty()) {
        return Status::InvalidInput("no record with key " + *key + " in " + def->name,
                                    def->zh + "中没有主键为" + *key + "的记录");
      }
      Format f = Format::kTable;
      ParseFormat(*format, &f);
      Print(t, f);
      return Status::OK();
    });
  });
}

}  // namespace qf::cli
