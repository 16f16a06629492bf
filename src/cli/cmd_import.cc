// qingfeng import: files or a folder into the store.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/output.h"
#include "ingest/importer.h"
#include "store/db.h"

namespace qf::cli {

namespace fs = std::filesystem;

namespace {

constexpr uintmax_t kBulkLoadBytes = 16u << 20;

struct Job {
  std::string dataset;
  std::string path;
};

Table ReportTable(const std::vector<ImportReport>& reports, bool zh) {
  Table t;
  t.keys = {"file", "dataset", "format",    "encoding",    "rows",     "accepted",
            "new",  "changed", "unchanged", "quarantined", "import_id"};
  t.headers = zh ? std::vector<std::string>{"文件", "数据集", "格式", "编码", "读取",    "接受",
                                            "新增", "变更",   "未变", "隔离", "导入批次"}
                 : std::vector<std::string>{"file",      "dataset",     "format", "encoding",
                                            "rows",      "accepted",    "new",    "changed",
                                            "unchanged", "quarantined", "import"};
  t.numeric = {false, false, false, false, true, true, true, true, true, true, true};
  for (const ImportReport& r : reports) {
    t.rows.push_back({r.file, r.dataset, r.format, r.encoding, std::to_string(r.rows),
                      std::to_string(r.accepted), std::to_string(r.new_rows),
                      std::to_string(r.changed), std::to_string(r.unchanged),
                      std::to_string(r.quarantined), std::to_string(r.import_id)});
  }
  return t;
}

// The files of a folder that name a dataset, in the declarations' order.
std::vector<Job> JobsForDir(const std::string& dir, bool zh, std::vector<std::string>* skipped) {
  std::vector<Job> jobs;
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file()) entries.push_back(e.path());
  }
  std::sort(entries.begin(), entries.end());
  for (const DatasetDef& def : AllDatasets()) {
    for (const fs::path& p : entries) {
      const DatasetDef* d = Importer::DatasetForFileName(p.filename().string());
      if (d == &def) jobs.push_back({def.name, p.string()});
    }
  }
  for (const fs::path& p : entries) {
    std::string name = p.filename().string();
    if (name.empty() || name[0] == '.') continue;
    if (!Importer::DatasetForFileName(name)) skipped->push_back(name);
  }
  (void)zh;
  return jobs;
}

}  // namespace

void RegisterImport(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "import",
      "导入数据 Import files: `import DATASET FILE...`, `import DIR` (files named "
      "<dataset>.<csv|xlsx|json|jsonl>), or `import FILE` named after its dataset");
  auto args = std::make_shared<std::vector<std::string>>();
  auto sheet = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>("table");
  cmd->add_option("args", *args, "DATASET FILE... | DIR | FILE")->required();
  cmd->add_option("--sheet", *sheet, "XLSX 工作表名称或序号 sheet name or 1-based number");
  cmd->add_option("--format", *format, "输出格式 output: table | jsonl")
      ->check(CLI::IsMember({"table", "jsonl"}));
  cmd->callback([&g, &exit_code, args, sheet, format]() {
    bool zh = g.zh();
    Format fmt = Format::kTable;
    ParseFormat(*format, &fmt);
    std::vector<Job> jobs;
    std::vector<std::string> skipped;
    std::error_code ec;
    const std::string& first = (*args)[0];
    if (args->size() == 1 && fs::is_directory(first, ec)) {
      jobs = JobsForDir(first, zh, &skipped);
      if (jobs.empty()) {
        exit_code = g.Fail(Status::InvalidInput(
            "no file in " + first +
                " is named after a dataset (<dataset>.csv|xlsx|json|jsonl); "
                "datasets: " +
                KnownDatasetNames(),
            "文件夹" + first +
                "中没有以数据集命名的文件（<数据集>.csv|xlsx|json|jsonl）；数据集：" +
                KnownDatasetNames()));
        return;
      }
    } else if (args->size() == 1 && fs::is_regular_file(first, ec)) {
      const DatasetDef* d = Importer::DatasetForFileName(fs::path(first).filename().string());
      if (!d) {
        exit_code = g.Fail(Status::InvalidInput(
            "cannot tell the dataset of " + first +
                " from its name; use `qingfeng import DATASET " + first +
                "` (datasets: " + KnownDatasetNames() + ")",
            "无法从文件名判断" + first + "属于哪个数据集；请使用 qingfeng import 数据集 " + first +
                "（数据集：" + KnownDatasetNames() + "）"));
        return;
      }
      jobs.push_back({d->name, first});
    } else if (args->size() == 1) {
      exit_code = g.Fail(Status::InvalidInput(
          first + " is neither a file nor a folder; usage: qingfeng import DATASET FILE... | DIR",
          first + "既不是文件也不是文件夹；用法：qingfeng import 数据集 文件... | 文件夹"));
      return;
    } else {
      for (size_t i = 1; i < args->size(); ++i) jobs.push_back({first, (*args)[i]});
    }
    auto store = g.OpenStore();
    if (!store.ok()) {
      exit_code = g.Fail(store.status());
      return;
    }
    // Large files are written through a rollback journal when nothing else has
    // the database open (each page written once); small ones keep the WAL so
    // that a running server or another command reads beside them.
    uintmax_t bytes = 0;
    for (const Job& job : jobs) {
      auto size = fs::file_size(job.path, ec);
      if (!ec) bytes += size;
    }
    std::optional<BulkLoad> bulk;
    if (bytes >= kBulkLoadBytes) bulk.emplace((*store)->db());
    Importer importer(store->get());
    std::vector<ImportReport> all;
    int failures = 0;
    for (const Job& job : jobs) {
      Progress progress(fs::path(job.path).filename().string(), zh);
      ImportOptions opts;
      opts.sheet = *sheet;
      opts.progress = [&progress](int64_t rows, double f) { progress.Update(rows, f); };
      auto reports = importer.ImportFile(job.dataset, job.path, opts);
      progress.Finish();
      if (!reports.ok()) {
        ++failures;
        std::cerr << (zh ? "未导入 " : "not imported: ") << job.path << " — "
                  << reports.status().Message(zh) << std::endl;
        continue;
      }
      for (ImportReport& r : reports.value()) all.push_back(std::move(r));
    }
    Print(ReportTable(all, zh), fmt);
    for (const std::string& s : skipped) {
      std::cerr << (zh ? "已跳过（文件名不对应任何数据集）："
                       : "skipped (name matches no dataset): ")
                << s << std::endl;
    }
    int64_t quarantined = 0;
    for (const ImportReport& r : all) quarantined += r.quarantined;
    if (quarantined > 0 && fmt == Format::kTable) {
      std::cerr << (zh ? "有 " : "") << quarantined
                << (zh ? " 行未通过校验，已放入隔离区；查看原因：qingfeng quarantine"
                       : " rows failed validation and are in quarantine; see: qingfeng quarantine")
                << std::endl;
    }
    if (failures > 0) exit_code = kExitInput;
  });
}

}  // namespace qf::cli
