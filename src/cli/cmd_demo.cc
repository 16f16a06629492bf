// qingfeng demo: a working demo city on an empty database — synthesise,
// import, scan, and show what was found. The main job of `make run`.
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/output.h"
#include "common/text.h"
#include "engine/eval.h"
#include "ingest/importer.h"
#include "leads/lead_store.h"
#include "leads/scan.h"
#include "synth/synth.h"

namespace qf::cli {

namespace fs = std::filesystem;

void RegisterDemo(CLI::App& app, Globals& g, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "demo", "演示城市 On an empty database: synthesise a city, import it, scan it");
  auto scale = std::make_shared<double>(1.0);
  auto seed = std::make_shared<uint64_t>(1);
  cmd->add_option("--scale", *scale, "规模 scale (1 ≈ one district)")
      ->check(CLI::Range(0.05, 100.0));
  cmd->add_option("--seed", *seed, "随机种子 seed");
  cmd->callback([&g, &exit_code, scale, seed]() {
    g.WithStore(exit_code, [&](Store* store) -> Status {
      Db* db = store->db();
      QF_ASSIGN_OR_RETURN(int64_t imports, db->QueryInt("SELECT COUNT(*) FROM imports"));
      if (imports > 0) {
        return Status::InvalidInput(
            store->db_path() +
                " already holds data; the demo needs an empty database "
                "(use --db with a new file)",
            store->db_path() + " 已有数据；演示需要一个空数据库（请用 --db 指定新文件）");
      }
      const std::string city = store->db_path() + ".city";
      std::error_code ec;
      fs::remove_all(city, ec);
      fs::create_directories(city, ec);
      if (ec) return Status::IOError("cannot create " + city + ": " + ec.message());
      std::cout << (g.zh() ? "1/3 生成演示城市 → " : "1/3 synthesising the city → ") << city
                << "\n";
      synth::SynthOptions o;
      o.out_dir = city;
      o.scale = *scale;
      o.seed = *seed;
      QF_ASSIGN_OR_RETURN(synth::SynthReport sr, synth::GenerateCity(o));
      (void)sr;
      std::cout << (g.zh() ? "2/3 导入" : "2/3 importing") << "\n";
      Importer imp(store);
      int64_t rows = 0, quarantined = 0;
      for (const DatasetDef& def : AllDatasets()) {
        for (const char* ext : {".csv", ".xlsx"}) {
          std::string path = city + "/" + def.name + ext;
          if (!fs::exists(path)) continue;
          Progress progress(def.name, g.zh());
          ImportOptions io;
          io.progress = [&](int64_t n, double f) { progress.Update(n, f); };
          QF_ASSIGN_OR_RETURN(auto reports, imp.ImportFile(def.name, path, io));
          progress.Finish();
          for (const ImportReport& r : reports) {
            rows += r.accepted;
            quarantined += r.quarantined;
          }
        }
      }
      std::cout << "    " << GroupThousands(rows) << (g.zh() ? " 行，隔离 " : " rows, quarantined ")
                << quarantined << "\n";
      std::cout << (g.zh() ? "3/3 运行监督模型" : "3/3 running the models") << "\n";
      leads::ScanOptions so;
      so.actor = Globals::Actor();
      QF_ASSIGN_OR_RETURN(leads::ScanReport scan, leads::Scan(store, so));
      size_t failed = 0;
      for (const auto& m : scan.models) {
        if (!m.status.ok()) {
          ++failed;
          std::cerr << m.model << ": " << m.status.Message(g.zh()) << "\n";
        }
      }
      leads::LeadFilter f;
      f.limit = 15;
      f.with_evidence = false;
      QF_ASSIGN_OR_RETURN(auto top, leads::ListLeads(db, f));
      QF_ASSIGN_OR_RETURN(int64_t total,
                          db->QueryInt("SELECT COUNT(*) FROM leads WHERE detection='active'"));
      Table t;
      t.keys = {"id", "score", "family", "summary"};
      t.headers = g.zh() ? std::vector<std::string>{"线索编号", "分值", "类别", "摘要"}
                         : std::vector<std::string>{"lead", "score", "family", "summary"};
      t.numeric = {false, true, false, false};
      for (const auto& l : top) {
        t.rows.push_back({leads::LeadCode(l.id), std::to_string(l.score), l.family,
                          ClipForMessage(l.summary, 70)});
      }
      std::cout << "\n";
      Print(t, Format::kTable);
      std::cout << (g.zh() ? "\n共 " : "\n") << total
                << (g.zh() ? " 条问题线索（上表为分值最高的 15 条）。\n"
                             "下一步：qingfeng --db " +
                                 store->db_path() + " leads | lead L000001 | eval --truth " + city +
                                 "/truth.jsonl\n"
                           : " leads (the 15 highest above).\nNext: qingfeng --db " +
                                 store->db_path() + " leads | lead L000001 | eval --truth " + city +
                                 "/truth.jsonl\n");
      if (failed) {
        return Status::Internal(std::to_string(failed) + " model(s) failed");
      }
      return Status::OK();
    });
  });
}

}  // namespace qf::cli
