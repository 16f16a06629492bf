#include "ingest/quarantine.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/scratch_dir.h"
#include "ingest/value.h"
#include "store/schema.h"

namespace qf {

namespace fs = std::filesystem;

namespace {

// Writes `rows` as a CSV under work_dir and imports it as one file.
Result<ImportReport> ImportCsv(Store* store, const DatasetDef& def,
                               const std::vector<std::string>& header,
                               const std::vector<std::vector<std::string>>& rows,
                               const std::string& work_dir, const std::string& label) {
  // A directory of its own, so that entries made at once never share a file.
  static std::atomic<int64_t> counter{0};
  const fs::path dir = fs::path(work_dir) / ("entry-" + std::to_string(getpid()) + "-" +
                                             std::to_string(counter.fetch_add(1)));
  ScratchDir scratch{dir.string()};  // removed on every path out
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir.string() + ": " + ec.message());
  std::string path = (dir / (def.name + "-" + label + ".csv")).string();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (size_t k = 0; k < header.size(); ++k) out << (k ? "," : "") << CsvQuote(header[k]);
    out << "\r\n";
    for (const auto& values : rows) {
      for (size_t k = 0; k < values.size(); ++k) out << (k ? "," : "") << CsvQuote(values[k]);
      out << "\r\n";
    }
    out.close();
    if (!out) return Status::IOError("cannot write " + path);
  }
  Importer importer(store);
  auto reports = importer.ImportFile(def.name, path, ImportOptions{});
  if (!reports.ok()) return reports.status();
  if (reports->size() != 1) return Status::Internal("one CSV file gave several reports");
  return reports->front();
}

}  // namespace

std::string CsvQuote(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Result<std::vector<DatasetStatus>> DatasetStatuses(Db* db) {
  std::vector<DatasetStatus> out;
  QF_ASSIGN_OR_RETURN(
      Stmt q,
      db->Prepare("SELECT (SELECT COUNT(DISTINCT file_sha256 || ':' || line || ':' || "
                  "COALESCE(location, '')) FROM quarantine WHERE dataset = ?1 AND "
                  "resolved_import_id IS NULL), (SELECT COUNT(*) FROM imports WHERE dataset = ?1), "
                  "(SELECT id FROM imports WHERE dataset = ?1 ORDER BY id DESC LIMIT 1), "
                  "(SELECT started_at FROM imports WHERE dataset = ?1 ORDER BY id DESC LIMIT 1), "
                  "(SELECT file_name FROM imports WHERE dataset = ?1 ORDER BY id DESC LIMIT 1)"));
  for (const DatasetDef& def : AllDatasets()) {
    DatasetStatus s;
    s.def = &def;
    QF_ASSIGN_OR_RETURN(s.rows, db->QueryInt("SELECT COUNT(*) FROM " + QuoteIdent(def.name)));
    QF_ASSIGN_OR_RETURN(s.versions,
                        db->QueryInt("SELECT COUNT(*) FROM " + QuoteIdent(VersionsTable(def))));
    q.Reset();
    q.BindText(1, def.name);
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (row) {
      s.quarantined = q.Int(0);
      s.imports = q.Int(1);
      s.last_import_id = q.IsNull(2) ? 0 : q.Int(2);
      s.last_import_at = q.IsNull(3) ? "" : q.Text(3);
      s.last_file = q.IsNull(4) ? "" : q.Text(4);
    }
    out.push_back(std::move(s));
  }
  return out;
}

namespace {

constexpr const char* kEntryColumns =
    "id, import_id, COALESCE(resolved_import_id, 0), dataset, file_name, file_sha256, line, "
    "COALESCE(location, ''), COALESCE(column_name, ''), COALESCE(value, ''), reason_zh, "
    "reason_en, raw_row";

QuarantineEntry EntryFrom(const Stmt& q) {
  QuarantineEntry e;
  e.id = q.Int(0);
  e.import_id = q.Int(1);
  e.resolved_import_id = q.Int(2);
  e.dataset = q.Text(3);
  e.file_name = q.Text(4);
  e.file_sha256 = q.Text(5);
  e.line = q.Int(6);
  e.location = q.Text(7);
  e.column = q.Text(8);
  e.value = q.Text(9);
  e.reason_zh = q.Text(10);
  e.reason_en = q.Text(11);
  e.raw_row = q.Text(12);
  return e;
}

// The WHERE clause of a filter and its text parameters (?1, ?2, …).
std::string FilterSql(const QuarantineFilter& f, std::vector<std::string>* binds) {
  std::string sql = "1";
  if (!f.dataset.empty()) {
    binds->push_back(f.dataset);
    sql += " AND dataset = ?" + std::to_string(binds->size());
  }
  if (f.import_id > 0) sql += " AND import_id = " + std::to_string(f.import_id);
  if (!f.include_resolved) sql += " AND resolved_import_id IS NULL";
  if (!f.uploaded_by.empty()) {
    binds->push_back(f.uploaded_by);
    sql +=
        " AND import_id IN (SELECT CAST(substr(target, 8) AS INTEGER) FROM ledger_actions WHERE "
        "action = 'data_import' AND actor = ?" +
        std::to_string(binds->size()) + ")";
  }
  return sql;
}

void BindAll(Stmt& q, const std::vector<std::string>& binds) {
  for (size_t i = 0; i < binds.size(); ++i) q.BindText(static_cast<int>(i) + 1, binds[i]);
}

std::string AsText(const nlohmann::ordered_json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

}  // namespace

Result<std::vector<QuarantineEntry>> ListQuarantine(Db* db, const QuarantineFilter& filter,
                                                    int64_t* total) {
  std::vector<std::string> binds;
  std::string where = FilterSql(filter, &binds);
  if (total != nullptr) {
    QF_ASSIGN_OR_RETURN(Stmt c, db->Prepare("SELECT COUNT(*) FROM quarantine WHERE " + where));
    BindAll(c, binds);
    QF_ASSIGN_OR_RETURN(bool row, c.Step());
    *total = row ? c.Int(0) : 0;
  }
  std::string sql =
      std::string("SELECT ") + kEntryColumns + " FROM quarantine WHERE " + where + " ORDER BY id";
  if (filter.limit > 0) {
    sql += " LIMIT " + std::to_string(filter.limit) + " OFFSET " + std::to_string(filter.offset);
  }
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(sql));
  BindAll(q, binds);
  std::vector<QuarantineEntry> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(EntryFrom(q));
  }
  return out;
}

Result<QuarantineEntry> GetQuarantineEntry(Db* db, int64_t id) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(std::string("SELECT ") + kEntryColumns +
                                          " FROM quarantine WHERE id = ?"));
  q.BindInt(1, id);
  QF_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Status::NotFound("quarantine entry " + std::to_string(id));
  return EntryFrom(q);
}

Result<int64_t> ExportQuarantinedRows(Db* db, const QuarantineFilter& filter, std::ostream& out) {
  if (filter.dataset.empty()) {
    return Status::InvalidInput("exporting quarantined rows needs a dataset",
                                "导出隔离行需要指定数据集");
  }
  QuarantineFilter open = filter;
  open.include_resolved = false;
  std::vector<std::string> binds;
  std::string where = FilterSql(open, &binds);
  // One line per record, however many problems it has.
  std::string sql = "SELECT MIN(raw_row) FROM quarantine WHERE " + where +
                    " GROUP BY file_sha256, line, location ORDER BY MIN(id)";
  if (filter.limit > 0) {
    sql += " LIMIT " + std::to_string(filter.limit) + " OFFSET " + std::to_string(filter.offset);
  }
  // Records from different files may have different headers: the first pass
  // collects their union, in the order first seen.
  std::vector<std::string> header;
  {
    QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(sql));
    BindAll(q, binds);
    std::map<std::string, bool> seen;
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      auto j = nlohmann::ordered_json::parse(q.TextView(0), nullptr, false);
      if (j.is_discarded() || !j.is_object()) continue;
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (seen.emplace(it.key(), true).second) header.push_back(it.key());
      }
    }
  }
  out << "\xEF\xBB\xBF";  // BOM, so that Excel opens the Chinese text correctly
  if (header.empty()) return 0;
  for (size_t i = 0; i < header.size(); ++i) out << (i ? "," : "") << CsvQuote(header[i]);
  out << "\r\n";
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(sql));
  BindAll(q, binds);
  int64_t n = 0;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    auto j = nlohmann::ordered_json::parse(q.TextView(0), nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;
    for (size_t i = 0; i < header.size(); ++i) {
      auto it = j.find(header[i]);
      out << (i ? "," : "") << CsvQuote(it == j.end() ? "" : AsText(*it));
    }
    out << "\r\n";
    ++n;
  }
  return n;
}

Result<ReimportResult> ReimportQuarantined(Store* store, int64_t entry_id,
                                           const std::map<std::string, std::string>& corrections,
                                           const std::string& work_dir) {
  Db* db = store->db();
  QF_ASSIGN_OR_RETURN(QuarantineEntry e, GetQuarantineEntry(db, entry_id));
  const std::string id_text = std::to_string(entry_id);
  if (e.resolved_import_id != 0) {
    return Status::InvalidInput(
        "quarantine entry " + id_text + " was already resolved by import " +
            std::to_string(e.resolved_import_id),
        "隔离记录 " + id_text + " 已由第 " + std::to_string(e.resolved_import_id) + " 批导入纠正");
  }
  const DatasetDef* def = FindDataset(e.dataset);
  if (def == nullptr) return Status::Internal("quarantine names unknown dataset " + e.dataset);
  auto row = nlohmann::ordered_json::parse(e.raw_row, nullptr, false);
  if (row.is_discarded() || !row.is_object()) {
    return Status::Corruption("quarantine entry " + id_text + " has no readable raw row");
  }
  std::vector<std::string> keys;
  std::vector<std::string> values;
  for (auto it = row.begin(); it != row.end(); ++it) {
    keys.push_back(it.key());
    values.push_back(AsText(it.value()));
  }
  // A correction names a header as received, or a column of the dataset by
  // its name or an alias (which then stands for whichever header maps to it).
  auto column_of = [def](const std::string& name) -> const ColumnDef* {
    std::string n = NormalizeHeader(name);
    for (const ColumnDef& c : def->columns) {
      if (NormalizeHeader(c.name) == n) return &c;
      for (const std::string& a : c.aliases) {
        if (NormalizeHeader(a) == n) return &c;
      }
    }
    return nullptr;
  };
  bool changed = false;
  for (const auto& [name, text] : corrections) {
    int at = -1;
    for (size_t k = 0; k < keys.size() && at < 0; ++k) {
      if (keys[k] == name || NormalizeHeader(keys[k]) == NormalizeHeader(name)) {
        at = static_cast<int>(k);
      }
    }
    if (at < 0) {
      const ColumnDef* col = column_of(name);
      if (col == nullptr) {
        return Status::InvalidInput(
            "\"" + name + "\" is neither a column of the row nor of dataset " + def->name,
            "“" + name + "”既不是该行的列，也不是" + def->zh + "（" + def->name + "）的列");
      }
      for (size_t k = 0; k < keys.size() && at < 0; ++k) {
        if (column_of(keys[k]) == col) at = static_cast<int>(k);
      }
      if (at < 0) {  // the file lacked the column: add it
        keys.push_back(col->name);
        values.emplace_back();
        at = static_cast<int>(keys.size()) - 1;
      }
    }
    std::string& v = values[static_cast<size_t>(at)];
    if (v != text) {
      v = text;
      changed = true;
    }
  }
  if (!changed) {
    return Status::InvalidInput("the corrections change nothing in the row",
                                "更正内容与原行相同，没有任何修改");
  }

  QF_ASSIGN_OR_RETURN(ImportReport report,
                      ImportCsv(store, *def, keys, {values}, work_dir, "fix-" + id_text));
  ReimportResult r;
  r.report = report;
  r.accepted = r.report.accepted == 1;

  QF_ASSIGN_OR_RETURN(Stmt sha, db->Prepare("SELECT file_sha256 FROM imports WHERE id = ?"));
  sha.BindInt(1, r.report.import_id);
  QF_ASSIGN_OR_RETURN(bool found, sha.Step());
  if (!found) return Status::Internal("import " + std::to_string(r.report.import_id) + " vanished");
  const std::string new_sha = sha.Text(0);
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  if (!r.accepted) {
    // The same corrected content may have been tried (and superseded) before:
    // its entries are the record's open ones again.
    QF_ASSIGN_OR_RETURN(Stmt reopen,
                        db->Prepare("UPDATE quarantine SET resolved_import_id = NULL WHERE "
                                    "dataset = ? AND file_sha256 = ?"));
    reopen.BindText(1, def->name);
    reopen.BindText(2, new_sha);
    QF_RETURN_IF_ERROR(reopen.Run());
  }
  QF_ASSIGN_OR_RETURN(
      Stmt close,
      db->Prepare("UPDATE quarantine SET resolved_import_id = ?1 WHERE dataset = ?2 AND "
                  "file_sha256 = ?3 AND line = ?4 AND COALESCE(location, '') = ?5 AND "
                  "resolved_import_id IS NULL AND file_sha256 <> ?6"));
  close.BindInt(1, r.report.import_id);
  close.BindText(2, def->name);
  close.BindText(3, e.file_sha256);
  close.BindInt(4, e.line);
  close.BindText(5, e.location);
  close.BindText(6, new_sha);
  QF_RETURN_IF_ERROR(close.Run());
  QF_RETURN_IF_ERROR(tx.Commit());
  QF_ASSIGN_OR_RETURN(r.resolved,
                      db->QueryInt("SELECT COUNT(*) FROM quarantine WHERE resolved_import_id = " +
                                   std::to_string(r.report.import_id) + " AND file_sha256 = '" +
                                   e.file_sha256 + "' AND line = " + std::to_string(e.line)));
  if (!r.accepted) {
    QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(std::string("SELECT ") + kEntryColumns +
                                            " FROM quarantine WHERE dataset = ? AND "
                                            "file_sha256 = ? AND resolved_import_id IS NULL "
                                            "ORDER BY id"));
    q.BindText(1, def->name);
    q.BindText(2, new_sha);
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool more, q.Step());
      if (!more) break;
      r.problems.push_back(EntryFrom(q));
    }
  }
  return r;
}

Result<EntryResult> EnterRecords(Store* store, const std::string& dataset,
                                 const std::vector<std::map<std::string, std::string>>& records,
                                 const std::string& work_dir, const std::string& label) {
  const DatasetDef* def = FindDataset(dataset);
  if (def == nullptr) {
    return Status::InvalidInput("unknown dataset " + dataset + "; known: " + KnownDatasetNames(),
                                "未知的数据集“" + dataset + "”");
  }
  if (records.empty()) {
    return Status::InvalidInput("nothing to enter", "没有要录入的记录");
  }
  bool valid_label = !label.empty() && label.size() <= 64;
  for (char ch : label) {
    if (!isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_') valid_label = false;
  }
  if (!valid_label) return Status::InvalidArgument("entry label must be [A-Za-z0-9_-]{1,64}");
  std::vector<std::string> header;
  for (const ColumnDef& c : def->columns) header.push_back(c.name);
  std::vector<std::vector<std::string>> rows;
  for (size_t r = 0; r < records.size(); ++r) {
    const std::string which = records.size() == 1 ? "" : " (record " + std::to_string(r + 1) + ")";
    const std::string which_zh =
        records.size() == 1 ? "" : "第 " + std::to_string(r + 1) + " 条记录";
    std::vector<std::string> row(def->columns.size());
    for (const auto& [name, text] : records[r]) {
      int at = def->ColumnIndex(name);
      if (at < 0) {
        std::string n = NormalizeHeader(name);
        for (size_t k = 0; k < def->columns.size() && at < 0; ++k) {
          for (const std::string& a : def->columns[k].aliases) {
            if (NormalizeHeader(a) == n) at = static_cast<int>(k);
          }
        }
      }
      if (at < 0) {
        return Status::InvalidInput(
            "\"" + name + "\" is not a column of dataset " + def->name + which,
            which_zh + "“" + name + "”不是" + def->zh + "（" + def->name + "）的列");
      }
      row[static_cast<size_t>(at)] = text;
    }
    for (size_t k = 0; k < def->columns.size(); ++k) {
      const ColumnDef& col = def->columns[k];
      Result<Value> v = ParseValue(col, Cell{row[k]});
      if (!v.ok()) {
        return Status::InvalidInput(
            col.name + which + ": " + v.status().message(),
            which_zh + col.DisplayName() + "（" + col.name + "）：" + v.status().message_zh());
      }
      if (v->is_null() && col.required) {
        return Status::InvalidInput(col.name + which + " is required",
                                    which_zh + col.DisplayName() + "（" + col.name + "）必须填写");
      }
    }
    rows.push_back(std::move(row));
  }
  EntryResult out;
  QF_ASSIGN_OR_RETURN(out.report, ImportCsv(store, *def, header, rows, work_dir, label));
  if (out.report.quarantined > 0) {
    QuarantineFilter f;
    f.dataset = def->name;
    f.import_id = out.report.import_id;
    QF_ASSIGN_OR_RETURN(out.problems, ListQuarantine(store->db(), f));
  }
  return out;
}

}  // namespace qf
