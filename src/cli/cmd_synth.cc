// qingfeng synth: writes the synthetic city (docs/synth.md).
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "synth/synth.h"

namespace qf::cli {

namespace fs = std::filesystem;

void RegisterSynth(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "synth",
      "生成模拟城市数据 Generate a synthetic city: every dataset, planted anomalies "
      "(truth.jsonl) and near misses (near_misses.jsonl)");
  struct Opts {
    std::string out;
    double scale = 1;
    uint64_t seed = 1;
    int bad_rows = 0;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("--out", o->out, "输出文件夹 output folder")->required();
  cmd->add_option("--scale", o->scale,
                  "规模 scale: 1 ≈ 一个区 one district (~20k persons), 100 ≈ 一个地级市");
  cmd->add_option("--seed", o->seed, "随机种子 random seed (same seed → same files)");
  cmd->add_option("--bad-rows", o->bad_rows,
                  "故意写入的错误行数 invalid rows to include (bad_rows.jsonl)")
      ->check(CLI::Range(0, 1000000));
  cmd->add_flag("--force", o->force, "覆盖非空文件夹 write into a non-empty folder");
  cmd->callback([&g, &exit_code, o]() {
    bool zh = g.zh();
    std::error_code ec;
    if (fs::exists(o->out, ec) && !fs::is_directory(o->out, ec)) {
      exit_code = g.Fail(Status::InvalidInput(o->out + " exists and is not a folder",
                                              o->out + "已存在且不是文件夹"));
      return;
    }
    if (fs::is_directory(o->out, ec) && !fs::is_empty(o->out, ec) && !o->force) {
      exit_code =
          g.Fail(Status::InvalidInput(o->out + " is not empty; use --force to write into it anyway",
                                      o->out + "不是空文件夹；如确需写入请加 --force"));
      return;
    }
    fs::create_directories(o->out, ec);
    if (ec) {
      exit_code = g.Fail(Status::IOError("cannot create " + o->out + ": " + ec.message()));
      return;
    }
    synth::SynthOptions opts;
    opts.out_dir = o->out;
    opts.scale = o->scale;
    opts.seed = o->seed;
    opts.bad_rows = o->bad_rows;
    bool tty = ::isatty(STDERR_FILENO) != 0;
    auto t0 = std::chrono::steady_clock::now();
    opts.progress = [tty, zh](const std::string& stage) {
      if (tty) std::cerr << "\r\033[K" << (zh ? "生成中：" : "generating: ") << stage << std::flush;
    };
    auto report = synth::GenerateCity(opts);
    if (tty) std::cerr << "\r\033[K";
    if (!report.ok()) {
      exit_code = g.Fail(report.status());
      return;
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Table t;
    t.keys = {"dataset", "file", "rows"};
    t.headers = zh ? std::vector<std::string>{"数据集", "文件", "行数"}
                   : std::vector<std::string>{"dataset", "file", "rows"};
    t.numeric = {false, false, true};
    int64_t total = 0;
    for (const auto& d : report->datasets) {
      t.rows.push_back({d.dataset, d.file, std::to_string(d.rows)});
      total += d.rows;
    }
    Print(t, Format::kTable);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", secs);
    if (zh) {
      std::cout << "共 " << GroupThousands(total) << " 行，埋设问题 " << report->anomalies
                << " 个，近似正常样本 " << report->near_misses << " 个，错误行 " << report->bad_rows
                << " 个，用时 " << buf << " 秒 → " << o->out << std::endl;
    } else {
      std::cout << GroupThousands(total) << " rows, " << report->anomalies << " planted anomalies, "
                << report->near_misses << " near misses, " << report->bad_rows << " bad rows in "
                << buf << " s → " << o->out << std::endl;
    }
  });
}

}  // namespace qf::cli
