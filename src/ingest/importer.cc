#include "ingest/importer.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>

#include "common/text.h"
#include "common/time.h"
#include "ingest/csv_reader.h"
#include "ingest/identifiers.h"
#include "ingest/ocds_reader.h"
#include "ingest/value.h"
#include "ingest/xlsx_reader.h"
#include "store/dataset_writer.h"

namespace qf {

namespace fs = std::filesystem;

std::string NormalizeHeader(std::string_view header) {
  std::string h = AsciiLower(ToSimplified(FoldWidth(Trim(header))));
  h.erase(std::remove(h.begin(), h.end(), ' '), h.end());
  if (h.size() >= 5 && h.substr(h.size() - 5) == "(元)") h.resize(h.size() - 5);
  // A UTF-8 BOM left on the first header by some tools.
  if (h.substr(0, 3) == "\xEF\xBB\xBF") h.erase(0, 3);
  return h;
}

namespace {

std::string Lower(std::string s) { return AsciiLower(s); }

// How one stream's header maps onto its dataset.
struct HeaderMap {
  const DatasetDef* def = nullptr;
  std::vector<int> column_of_field;  // per file field: dataset column, or -1 = extra attribute
  std::vector<int> field_of_column;  // per dataset column: file field, or -1 = absent
};

Result<HeaderMap> MapHeader(const DatasetDef& def, const std::vector<std::string>& header,
                            const std::string& file) {
  HeaderMap m;
  m.def = &def;
  m.field_of_column.assign(def.columns.size(), -1);
  std::map<std::string, int> names;
  for (size_t c = 0; c < def.columns.size(); ++c) {
    names[NormalizeHeader(def.columns[c].name)] = static_cast<int>(c);
    for (const std::string& a : def.columns[c].aliases) names[NormalizeHeader(a)] = static_cast<int>(c);
  }
  for (size_t f = 0; f < header.size(); ++f) {
    auto it = names.find(NormalizeHeader(header[f]));
    int c = it == names.end() ? -1 : it->second;
    if (c >= 0 && m.field_of_column[c] >= 0) {
      const std::string& first = header[m.field_of_column[c]];
      return Status::InvalidInput(
          file + ": columns '" + first + "' and '" + header[f] + "' both mean " +
              def.columns[c].name + "; keep one",
          file + "：列“" + first + "”和“" + header[f] + "”都对应" + def.columns[c].DisplayName() +
              "（" + def.columns[c].name + "），请只保留一列");
    }
    m.column_of_field.push_back(c);
    if (c >= 0) m.field_of_column[c] = static_cast<int>(f);
  }
  std::string missing_en;
  std::string missing_zh;
  for (size_t c = 0; c < def.columns.size(); ++c) {
    if (def.columns[c].required && m.field_of_column[c] < 0) {
      missing_en += (missing_en.empty() ? "" : ", ") + def.columns[c].name;
      missing_zh += (missing_zh.empty() ? "" : "、") + def.columns[c].DisplayName() + "（" +
                    def.columns[c].name + "）";
    }
  }
  if (!missing_en.empty()) {
    std::string found;
    for (const std::string& h : header) found += (found.empty() ? "" : ", ") + h;
    return Status::InvalidInput(
        file + ": required column(s) " + missing_en + " missing for dataset " + def.name +
            "; the header has: " + found,
        file + "：缺少" + def.zh + "（" + def.name + "）的必填列" + missing_zh + "；表头中的列为：" +
            found);
  }
  return m;
}

// One quarantine entry waiting to be written.
struct Problem {
  std::string column;
  std::string value;
  Status reason;
};

class FileImport {
 public:
  FileImport(Store* store, const ImportOptions& opts) : store_(store), opts_(opts) {}

  Result<std::vector<ImportReport>> Run(const std::string& dataset, const std::string& path,
                                        const std::string& display_name);

 private:
  Status ImportRecord(int stream, Record& rec);
  Status Quarantine(int stream, const Record& rec, const std::vector<Problem>& problems,
                    const std::string& row_key);
  std::string RawRowJson(int stream, const Record& rec) const;

  Store* store_;
  const ImportOptions& opts_;
  std::unique_ptr<RecordSource> source_;
  std::string file_name_;
  std::string file_sha_;
  std::vector<HeaderMap> maps_;
  std::vector<std::unique_ptr<DatasetWriter>> writers_;
  std::vector<ImportReport> reports_;
  std::vector<bool> has_open_quarantine_;
  Stmt quarantine_stmt_;
  Stmt resolve_stmt_;
  std::vector<Value> values_;
  std::vector<Value> current_;
};

Result<std::unique_ptr<RecordSource>> OpenSource(const std::string& dataset, const std::string& path,
                                                 const std::string& stored_path,
                                                 const ImportOptions& opts) {
  std::string ext = Lower(fs::path(path).extension().string());
  const DatasetDef* def = FindDataset(dataset);
  bool ocds_target = dataset == "ocds" || (def && def->ocds);
  if (ext == ".csv" || ext == ".txt") {
    QF_ASSIGN_OR_RETURN(auto r, CsvReader::Open(stored_path, def->name));
    return std::unique_ptr<RecordSource>(std::move(r));
  }
  if (ext == ".xlsx" || ext == ".xlsm") {
    QF_ASSIGN_OR_RETURN(auto r, XlsxReader::Open(stored_path, def->name, opts.sheet));
    return std::unique_ptr<RecordSource>(std::move(r));
  }
  if (ext == ".json" || ext == ".jsonl" || ext == ".ndjson") {
    if (!ocds_target) {
      return Status::InvalidInput(
          path + ": JSON is accepted only as OCDS for tenders, bids and contracts; give " +
              dataset + " as CSV or XLSX",
          path + "：JSON格式仅用于招标、投标、合同的OCDS数据；" + dataset + "请使用CSV或XLSX");
    }
    QF_ASSIGN_OR_RETURN(auto r, OcdsReader::Open(stored_path));
    return std::unique_ptr<RecordSource>(std::move(r));
  }
  if (ext == ".xls") {
    return Status::InvalidInput(path + ": the old Excel format .xls is not supported; save it as .xlsx or .csv",
                                path + "：不支持旧版Excel格式.xls，请另存为.xlsx或.csv");
  }
  return Status::InvalidInput(path + ": unknown file type '" + ext + "'; use .csv, .xlsx, .json or .jsonl",
                              path + "：无法识别的文件类型“" + ext + "”，请使用.csv、.xlsx、.json或.jsonl");
}

Result<std::vector<ImportReport>> FileImport::Run(const std::string& dataset, const std::string& path,
                                                  const std::string& display_name) {
  file_name_ = display_name;
  Db* db = store_->db();
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(StoredFile stored, store_->KeepFile(path, fs::path(path).filename().string()));
  file_sha_ = stored.sha256;
  QF_ASSIGN_OR_RETURN(source_, OpenSource(dataset, path, stored.path, opts_));
  // Rename error messages from the stored copy's path back to the user's.
  const auto& streams = source_->streams();
  for (const StreamInfo& s : streams) {
    const DatasetDef* def = FindDataset(s.dataset);
    if (!def) return Status::Internal("reader produced unknown dataset " + s.dataset);
    QF_ASSIGN_OR_RETURN(HeaderMap m, MapHeader(*def, s.header, display_name));
    maps_.push_back(std::move(m));
  }
  QF_ASSIGN_OR_RETURN(Stmt ins, db->Prepare(
      "INSERT INTO imports(dataset, file_sha256, file_name, format, encoding, started_at) "
      "VALUES (?,?,?,?,?,?)"));
  QF_ASSIGN_OR_RETURN(quarantine_stmt_, db->Prepare(
      "INSERT OR IGNORE INTO quarantine(import_id, dataset, file_sha256, file_name, line, location,"
      " column_name, value, reason_zh, reason_en, row_key, raw_row) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
  QF_ASSIGN_OR_RETURN(resolve_stmt_, db->Prepare(
      "UPDATE quarantine SET resolved_import_id = ? WHERE dataset = ? AND row_key = ? AND "
      "resolved_import_id IS NULL AND file_sha256 != ?"));
  for (const HeaderMap& m : maps_) {
    ins.Reset();
    ins.BindText(1, m.def->name);
    ins.BindText(2, file_sha_);
    ins.BindText(3, display_name);
    ins.BindText(4, source_->Format());
    ins.BindText(5, source_->Encoding());
    ins.BindText(6, NowShanghai());
    QF_RETURN_IF_ERROR(ins.Run());
    ImportReport rep;
    rep.file = display_name;
    rep.dataset = m.def->name;
    rep.format = source_->Format();
    rep.encoding = source_->Encoding();
    rep.import_id = db->LastInsertId();
    QF_ASSIGN_OR_RETURN(auto w, DatasetWriter::Create(db, *m.def, rep.import_id));
    writers_.push_back(std::move(w));
    reports_.push_back(rep);
    QF_ASSIGN_OR_RETURN(int64_t open, db->QueryInt(
        "SELECT EXISTS(SELECT 1 FROM quarantine WHERE dataset = '" + m.def->name +
        "' AND resolved_import_id IS NULL)"));
    has_open_quarantine_.push_back(open != 0);
  }
  Record rec;
  int64_t total = 0;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool got, source_->Next(&rec));
    if (!got) break;
    QF_RETURN_IF_ERROR(ImportRecord(rec.stream, rec));
    if (opts_.progress && (++total & 0x3FFF) == 0) opts_.progress(total, source_->Progress());
  }
  if (opts_.progress) opts_.progress(total, 1.0);
  QF_ASSIGN_OR_RETURN(Stmt fin, db->Prepare(
      "UPDATE imports SET finished_at=?, rows_read=?, accepted=?, new_rows=?, changed=?, "
      "unchanged=?, quarantined=? WHERE id=?"));
  for (const ImportReport& r : reports_) {
    fin.Reset();
    fin.BindText(1, NowShanghai());
    fin.BindInt(2, r.rows);
    fin.BindInt(3, r.accepted);
    fin.BindInt(4, r.new_rows);
    fin.BindInt(5, r.changed);
    fin.BindInt(6, r.unchanged);
    fin.BindInt(7, r.quarantined);
    fin.BindInt(8, r.import_id);
    QF_RETURN_IF_ERROR(fin.Run());
  }
  QF_RETURN_IF_ERROR(tx.Commit());
  return reports_;
}

std::string FileImport::RawRowJson(int stream, const Record& rec) const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  const auto& header = source_->streams()[stream].header;
  for (size_t f = 0; f < rec.fields.size(); ++f) {
    std::string name = f < header.size() ? header[f] : "column_" + std::to_string(f + 1);
    j[name] = rec.fields[f];
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status FileImport::Quarantine(int stream, const Record& rec, const std::vector<Problem>& problems,
                              const std::string& row_key) {
  ImportReport& rep = reports_[stream];
  ++rep.quarantined;
  std::string raw = RawRowJson(stream, rec);
  for (const Problem& p : problems) {
    Stmt& st = quarantine_stmt_;
    st.Reset();
    st.BindInt(1, rep.import_id);
    st.BindText(2, rep.dataset);
    st.BindText(3, file_sha_);
    st.BindText(4, file_name_);
    st.BindInt(5, rec.line);
    st.BindText(6, rec.location);
    st.BindText(7, p.column);
    st.BindText(8, ClipForMessage(p.value, 200));
    st.BindText(9, p.reason.message_zh());
    st.BindText(10, p.reason.message());
    if (row_key.empty()) {
      st.BindNull(11);
    } else {
      st.BindText(11, row_key);
    }
    st.BindText(12, raw);
    QF_RETURN_IF_ERROR(st.Run());
  }
  return Status::OK();
}

Status FileImport::ImportRecord(int stream, Record& rec) {
  const HeaderMap& m = maps_[stream];
  const DatasetDef& def = *m.def;
  ImportReport& rep = reports_[stream];
  ++rep.rows;
  const auto& header = source_->streams()[stream].header;
  // A key made of the raw key fields, so that a corrected row can close its quarantine entry.
  std::string raw_key;
  for (size_t k = 0; k < def.key.size(); ++k) {
    int f = m.field_of_column[def.key[k]];
    if (k) raw_key += '|';
    if (f >= 0 && f < static_cast<int>(rec.fields.size())) raw_key += Trim(rec.fields[f]);
  }
  if (!rec.problem.ok()) {
    return Quarantine(stream, rec, {{"", "", rec.problem}}, raw_key);
  }
  std::vector<Problem> problems;
  values_.assign(def.columns.size(), Value::Null());
  nlohmann::ordered_json extra;
  for (size_t f = 0; f < rec.fields.size() && f < m.column_of_field.size(); ++f) {
    int c = m.column_of_field[f];
    if (c < 0) {
      std::string_view v = Trim(rec.fields[f]);
      if (!v.empty()) extra[header[f]] = std::string(v);
      continue;
    }
    Cell cell{rec.fields[f], !rec.numeric.empty() && rec.numeric[f] != 0};
    Result<Value> v = ParseValue(def.columns[c], cell);
    if (!v.ok()) {
      problems.push_back({header[f], rec.fields[f], v.status()});
    } else {
      values_[c] = std::move(v).value();
    }
  }
  std::string extra_json = extra.empty() ? "" : extra.dump(-1, ' ', false,
                                                           nlohmann::json::error_handler_t::replace);
  if (rec.merge_with_current && problems.empty()) {
    bool key_ok = true;
    for (int k : def.key) key_ok = key_ok && !values_[k].is_null();
    if (key_ok) {
      std::string current_extra;
      QF_ASSIGN_OR_RETURN(bool found,
                          writers_[stream]->GetCurrent(RowKey(def, values_), &current_, &current_extra));
      if (found) {
        for (size_t c = 0; c < def.columns.size(); ++c) {
          if (values_[c].is_null()) values_[c] = current_[c];
        }
        if (extra_json.empty()) extra_json = current_extra;
      }
    }
  }
  for (size_t c = 0; c < def.columns.size(); ++c) {
    const ColumnDef& col = def.columns[c];
    if (col.required && values_[c].is_null() && m.field_of_column[c] >= 0) {
      bool already = false;
      for (const Problem& p : problems) already = already || p.column == header[m.field_of_column[c]];
      if (!already) {
        problems.push_back({header[m.field_of_column[c]], "",
                            Status::InvalidInput("required value " + col.name + " is empty",
                                                 "必填项“" + col.DisplayName() + "”为空")});
      }
    }
  }
  for (RowCheck check : def.checks) {
    if (check == RowCheck::kIdAgreesWithSexAndBirth && problems.empty()) {
      int id_c = def.ColumnIndex("id_number");
      int sex_c = def.ColumnIndex("sex");
      int birth_c = def.ColumnIndex("birth_date");
      const std::string& id = values_[id_c].s;
      if (!values_[sex_c].is_null()) {
        bool male = IdNumberIsMale(id);
        if ((values_[sex_c].s == "男") != male) {
          int f = m.field_of_column[sex_c];
          problems.push_back({header[f], rec.fields[f],
                              Status::InvalidInput(
                                  std::string("sex does not agree with the ID number (its 17th digit says ") +
                                      (male ? "male" : "female") + ")",
                                  std::string("性别与身份证号不符（第17位表示") + (male ? "男" : "女") + "）")});
        }
      }
      if (!values_[birth_c].is_null()) {
        std::string expected = FormatDate(IdNumberBirthDate(id));
        if (values_[birth_c].s != expected) {
          int f = m.field_of_column[birth_c];
          problems.push_back({header[f], rec.fields[f],
                              Status::InvalidInput("birth date does not agree with the ID number (" +
                                                       expected + ")",
                                                   "出生日期与身份证号不符（应为" + expected + "）")});
        }
      }
    }
  }
  if (!problems.empty()) return Quarantine(stream, rec, problems, raw_key);

  std::string key = RowKey(def, values_);
  Digest hash = Sha256(CanonicalRow(def, key, values_, extra_json));
  int64_t first_line = 0;
  QF_ASSIGN_OR_RETURN(WriteOutcome outcome,
                      writers_[stream]->Write(key, values_, extra_json, rec.line, hash, &first_line));
  switch (outcome) {
    case WriteOutcome::kDuplicateInImport: {
      std::string key_cols;
      for (int k : def.key) key_cols += (key_cols.empty() ? "" : "+") + def.columns[k].DisplayName();
      Status why = Status::InvalidInput(
          "key " + def.KeyDescription() + " = " + key + " already appears on line " +
              std::to_string(first_line) + " of this file",
          "主键（" + key_cols + "）" + key + "与本文件第" + std::to_string(first_line) + "行重复");
      int kf = m.field_of_column[def.key[0]];
      return Quarantine(stream, rec, {{header[kf], key, why}}, key);
    }
    case WriteOutcome::kNew:
      ++rep.new_rows;
      break;
    case WriteOutcome::kChanged:
      ++rep.changed;
      break;
    case WriteOutcome::kUnchanged:
      ++rep.unchanged;
      break;
  }
  ++rep.accepted;
  if (has_open_quarantine_[stream]) {
    resolve_stmt_.Reset();
    resolve_stmt_.BindInt(1, rep.import_id);
    resolve_stmt_.BindText(2, def.name);
    resolve_stmt_.BindText(3, key);
    resolve_stmt_.BindText(4, file_sha_);
    QF_RETURN_IF_ERROR(resolve_stmt_.Run());
  }
  return Status::OK();
}

}  // namespace

const DatasetDef* Importer::DatasetForFileName(const std::string& file_name) {
  std::string stem = fs::path(file_name).stem().string();
  if (const DatasetDef* d = FindDataset(stem)) return d;
  // "payments_2024", "payments-part2": the longest dataset name that prefixes the stem.
  std::string lower = Lower(stem);
  const DatasetDef* best = nullptr;
  for (const DatasetDef& d : AllDatasets()) {
    if (lower.size() > d.name.size() && lower.compare(0, d.name.size(), d.name) == 0) {
      char next = lower[d.name.size()];
      if ((next == '_' || next == '-' || next == '.' || next == ' ') &&
          (!best || d.name.size() > best->name.size())) {
        best = &d;
      }
    }
  }
  return best;
}

Result<std::vector<ImportReport>> Importer::ImportFile(const std::string& dataset,
                                                       const std::string& path,
                                                       const ImportOptions& options) {
  std::string ds = Lower(std::string(Trim(dataset)));
  const DatasetDef* def = FindDataset(ds);
  if (!def && ds != "ocds") {
    return Status::InvalidInput("unknown dataset '" + dataset + "'; known datasets: " +
                                    KnownDatasetNames() + ", ocds",
                                "未知的数据集“" + dataset + "”；可用的数据集：" + KnownDatasetNames() +
                                    ", ocds");
  }
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Status::InvalidInput("cannot read file " + path + ": it does not exist or is not a file",
                                "无法读取文件" + path + "：文件不存在或不是普通文件");
  }
  FileImport imp(store_, options);
  return imp.Run(def ? def->name : "ocds", path, path);
}

}  // namespace qf
