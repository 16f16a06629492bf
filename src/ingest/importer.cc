#include "ingest/importer.h"

#include <tbb/concurrent_queue.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "common/log.h"
#include "common/text.h"
#include "common/time.h"
#include "ingest/csv_reader.h"
#include "ingest/identifiers.h"
#include "ingest/ocds_reader.h"
#include "ingest/value.h"
#include "ingest/xlsx_reader.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
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

std::string Lower(const std::string& s) { return AsciiLower(s); }

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
    for (const std::string& a : def.columns[c].aliases)
      names[NormalizeHeader(a)] = static_cast<int>(c);
  }
  for (size_t f = 0; f < header.size(); ++f) {
    auto it = names.find(NormalizeHeader(header[f]));
    int c = it == names.end() ? -1 : it->second;
    if (c >= 0 && m.field_of_column[c] >= 0) {
      const std::string& first = header[m.field_of_column[c]];
      return Status::InvalidInput(file + ": columns '" + first + "' and '" + header[f] +
                                      "' both mean " + def.columns[c].name + "; keep one",
                                  file + "：列“" + first + "”和“" + header[f] + "”都对应" +
                                      def.columns[c].DisplayName() + "（" + def.columns[c].name +
                                      "），请只保留一列");
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
    return Status::InvalidInput(file + ": required column(s) " + missing_en +
                                    " missing for dataset " + def.name +
                                    "; the header has: " + found,
                                file + "：缺少" + def.zh + "（" + def.name + "）的必填列" +
                                    missing_zh + "；表头中的列为：" + found);
  }
  return m;
}

// One quarantine entry waiting to be written.
struct Problem {
  std::string column;
  std::string value;
  Status reason;
};

// A record after parsing and validation, ready to be written (or quarantined).
// Built on the worker thread without touching the database.
struct Prepared {
  int stream = 0;
  int64_t line = 0;
  std::string location;
  std::string raw_key;  // the key as received, to resolve earlier quarantine entries
  std::vector<Problem> problems;
  std::string raw_row;  // the row as received (JSON), kept only when quarantined
  std::vector<Value> values;
  std::string extra_json;
  bool needs_merge = false;  // finish validation after merging with the stored version
  std::string key;
  Digest hash{};
  Digest leaf_hash_v1{};  // the ledger leaf if this becomes the key's first version
};

struct Batch {
  std::vector<Prepared> rows;
  size_t size = 0;
  std::vector<OcdsReader::Compiled> compiled;  // OCDS: the batch's compiled releases
  int64_t records_read = 0;
  double progress = 0;
  bool last = false;
  Status error;  // the file could not be read on
};

class FileImport {
 public:
  FileImport(Store* store, const ImportOptions& opts) : store_(store), opts_(opts) {}

  Result<std::vector<ImportReport>> Run(const std::string& dataset, const std::string& path,
                                        const std::string& display_name);

 private:
  void ReadAll();  // worker thread: source → batches
  void Prepare(const Record& rec, Prepared* out) const;
  void FinishValidation(Prepared* p) const;
  Status Write(Prepared& p);  // database thread
  Status Quarantine(const Prepared& p);
  Status WriteCompiled(const OcdsReader::Compiled& c);  // database thread
  std::string RawRowJson(const Record& rec) const;

  Store* store_;
  const ImportOptions& opts_;
  std::unique_ptr<RecordSource> source_;
  OcdsReader* ocds_ = nullptr;  // source_ when it is OCDS
  Stmt compiled_stmt_;
  std::string file_name_;
  std::string file_sha_;
  std::vector<HeaderMap> maps_;
  std::vector<std::unique_ptr<DatasetWriter>> writers_;
  std::vector<ImportReport> reports_;
  std::vector<bool> has_open_quarantine_;
  std::vector<int64_t> ledger_sources_;  // per stream, 0 until looked up
  Stmt quarantine_stmt_;
  Stmt resolve_stmt_;
  std::vector<Value> current_;
  tbb::concurrent_bounded_queue<std::unique_ptr<Batch>> full_;
  tbb::concurrent_bounded_queue<std::unique_ptr<Batch>> empty_;
  std::unique_ptr<ledger::Ledger> ledger_;  // appends in this file's transaction
};

Result<std::unique_ptr<RecordSource>> OpenSource(const std::string& dataset,
                                                 const std::string& path,
                                                 const std::string& stored_path,
                                                 const ImportOptions& opts) {
  std::string ext = Lower(fs::path(path).extension().string());
  const DatasetDef* def = FindDataset(dataset);
  bool ocds_target = dataset == "ocds" || (def && def->ocds);
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
  if (!def) {
    return Status::InvalidInput(path + ": OCDS data must be a .json or .jsonl file",
                                path + "：OCDS数据应为.json或.jsonl文件");
  }
  if (ext == ".csv" || ext == ".txt") {
    QF_ASSIGN_OR_RETURN(auto r, CsvReader::Open(stored_path, def->name));
    return std::unique_ptr<RecordSource>(std::move(r));
  }
  if (ext == ".xlsx" || ext == ".xlsm") {
    QF_ASSIGN_OR_RETURN(auto r, XlsxReader::Open(stored_path, def->name, opts.sheet));
    return std::unique_ptr<RecordSource>(std::move(r));
  }
  if (ext == ".xls") {
    return Status::InvalidInput(
        path + ": the old Excel format .xls is not supported; save it as .xlsx or .csv",
        path + "：不支持旧版Excel格式.xls，请另存为.xlsx或.csv");
  }
  return Status::InvalidInput(
      path + ": unknown file type '" + ext + "'; use .csv, .xlsx, .json or .jsonl",
      path + "：无法识别的文件类型“" + ext + "”，请使用.csv、.xlsx、.json或.jsonl");
}

// Readers open the kept copy; a clerk knows the file by the name they gave.
Status RenameStoredCopy(const Status& s, const std::string& stored_path,
                        const std::string& display) {
  auto fix = [&](std::string text) {
    for (const std::string& from : {stored_path, fs::path(stored_path).filename().string()}) {
      for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
        text.replace(at, from.size(), display);
        at += display.size();
      }
    }
    return text;
  };
  if (s.ok()) return s;
  if (s.code() == Status::Code::kInvalidArgument) {
    return Status::InvalidInput(fix(s.message()), fix(s.message_zh()));
  }
  return Status::IOError(fix(s.message()));
}

constexpr size_t kBatchRows = 2048;
constexpr int kBatchesInFlight = 4;

Result<std::vector<ImportReport>> FileImport::Run(const std::string& dataset,
                                                  const std::string& path,
                                                  const std::string& display_name) {
  file_name_ = display_name;
  auto t0 = std::chrono::steady_clock::now();
  auto since = [&t0] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  Db* db = store_->db();
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(ledger_, ledger::Ledger::Open(db));
  QF_ASSIGN_OR_RETURN(StoredFile stored,
                      store_->KeepFile(path, fs::path(path).filename().string()));
  file_sha_ = stored.sha256;
  spdlog::debug("import {}: kept file ({} bytes) after {:.3f}s", display_name, stored.size,
                since());
  Result<std::unique_ptr<RecordSource>> source = OpenSource(dataset, path, stored.path, opts_);
  if (!source.ok()) return RenameStoredCopy(source.status(), stored.path, display_name);
  source_ = std::move(source).value();
  ocds_ = dynamic_cast<OcdsReader*>(source_.get());
  if (ocds_) {
    ocds_->KeepCompiledReleases(true);
    // The compiled release feeds the OCDS red flags, whatever becomes of its rows; a
    // re-import of the ocid replaces it and keeps its place (rowid) in the table.
    QF_ASSIGN_OR_RETURN(
        compiled_stmt_,
        db->Prepare("INSERT INTO ocds_releases(ocid, import_id, compiled) "
                    "VALUES (?,?,?) ON CONFLICT(ocid) DO UPDATE SET "
                    "import_id = excluded.import_id, compiled = excluded.compiled"));
  }
  const auto& streams = source_->streams();
  for (const StreamInfo& s : streams) {
    const DatasetDef* def = FindDataset(s.dataset);
    if (!def) return Status::Internal("reader produced unknown dataset " + s.dataset);
    QF_ASSIGN_OR_RETURN(HeaderMap m, MapHeader(*def, s.header, display_name));
    maps_.push_back(std::move(m));
  }
  QF_ASSIGN_OR_RETURN(
      Stmt ins,
      db->Prepare(
          "INSERT INTO imports(dataset, file_sha256, file_name, format, encoding, started_at) "
          "VALUES (?,?,?,?,?,?)"));
  QF_ASSIGN_OR_RETURN(quarantine_stmt_,
                      db->Prepare("INSERT OR IGNORE INTO quarantine(import_id, dataset, "
                                  "file_sha256, file_name, line, location,"
                                  " column_name, value, reason_zh, reason_en, row_key, raw_row) "
                                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"));
  QF_ASSIGN_OR_RETURN(
      resolve_stmt_,
      db->Prepare(
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
    QF_RETURN_IF_ERROR(ledger_->AppendImport(rep.import_id));  // the file's ledger leaf
    QF_ASSIGN_OR_RETURN(auto w, DatasetWriter::Create(db, *m.def, rep.import_id));
    writers_.push_back(std::move(w));
    reports_.push_back(rep);
    QF_ASSIGN_OR_RETURN(int64_t open,
                        db->QueryInt("SELECT EXISTS(SELECT 1 FROM quarantine WHERE dataset = '" +
                                     m.def->name + "' AND resolved_import_id IS NULL)"));
    has_open_quarantine_.push_back(open != 0);
    ledger_sources_.push_back(0);
  }

  // Parsing and validation run on a worker thread while this thread writes:
  // the two halves cost about the same, and SQLite wants a single writer.
  full_.set_capacity(kBatchesInFlight);
  for (int i = 0; i < kBatchesInFlight + 2; ++i) empty_.push(std::make_unique<Batch>());
  std::thread worker([this] { ReadAll(); });
  Status status;
  for (;;) {
    std::unique_ptr<Batch> batch;
    full_.pop(batch);
    for (size_t i = 0; i < batch->size && status.ok(); ++i) status = Write(batch->rows[i]);
    for (size_t i = 0; i < batch->compiled.size() && status.ok(); ++i) {
      status = WriteCompiled(batch->compiled[i]);
    }
    if (opts_.progress && status.ok()) opts_.progress(batch->records_read, batch->progress);
    bool last = batch->last;
    if (status.ok() && !batch->error.ok()) status = batch->error;
    if (!status.ok()) {
      // Tell the worker to stop: it checks for an aborted pipeline between batches.
      empty_.abort();
      full_.abort();
      worker.join();
      return status;
    }
    empty_.push(std::move(batch));
    if (last) break;
  }
  worker.join();
  spdlog::debug("import {}: rows written after {:.3f}s", display_name, since());
  QF_ASSIGN_OR_RETURN(
      Stmt fin,
      db->Prepare(
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
  // A signed checkpoint covering this file, committed with it.
  QF_ASSIGN_OR_RETURN(ledger::Signer signer, ledger::SignerFor(store_->db_path()));
  QF_RETURN_IF_ERROR(ledger_->WriteCheckpoint(signer).status());
  QF_RETURN_IF_ERROR(tx.Commit());
  spdlog::debug("import {}: committed after {:.3f}s", display_name, since());
  return reports_;
}

void FileImport::ReadAll() {
  Record rec;
  int64_t read = 0;
  for (;;) {
    std::unique_ptr<Batch> batch;
    try {
      empty_.pop(batch);
    } catch (const tbb::user_abort&) {
      return;  // the writer gave up
    }
    batch->size = 0;
    batch->compiled.clear();
    batch->last = false;
    batch->error = Status::OK();
    if (batch->rows.size() < kBatchRows) batch->rows.resize(kBatchRows);
    while (batch->size < kBatchRows) {
      Result<bool> got = source_->Next(&rec);
      if (!got.ok()) {
        batch->error = RenameStoredCopy(got.status(), store_->PathOf(file_sha_), file_name_);
        batch->last = true;
        break;
      }
      if (!got.value()) {
        batch->last = true;
        break;
      }
      ++read;
      Prepare(rec, &batch->rows[batch->size++]);
    }
    // Made while reading this batch's rows: written right after them.
    if (ocds_) ocds_->TakeCompiled(&batch->compiled);
    batch->records_read = read;
    batch->progress = batch->last ? 1.0 : source_->Progress();
    bool last = batch->last;
    try {
      full_.push(std::move(batch));
    } catch (const tbb::user_abort&) {
      return;
    }
    if (last) return;
  }
}

std::string FileImport::RawRowJson(const Record& rec) const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  const auto& header = source_->streams()[rec.stream].header;
  for (size_t f = 0; f < rec.fields.size(); ++f) {
    std::string name = f < header.size() ? header[f] : "column_" + std::to_string(f + 1);
    j[name] = rec.fields[f];
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void FileImport::Prepare(const Record& rec, Prepared* p) const {
  const HeaderMap& m = maps_[rec.stream];
  const DatasetDef& def = *m.def;
  const auto& header = source_->streams()[rec.stream].header;
  p->stream = rec.stream;
  p->line = rec.line;
  p->location = rec.location;
  p->problems.clear();
  p->raw_row.clear();
  p->extra_json.clear();
  p->key.clear();
  p->needs_merge = false;
  p->raw_key.clear();
  for (size_t k = 0; k < def.key.size(); ++k) {
    int f = m.field_of_column[def.key[k]];
    if (k) p->raw_key += '|';
    if (f >= 0 && f < static_cast<int>(rec.fields.size())) p->raw_key += Trim(rec.fields[f]);
  }
  if (!rec.problem.ok()) {
    p->problems.push_back({"", "", rec.problem});
    p->raw_row = RawRowJson(rec);
    return;
  }
  p->values.assign(def.columns.size(), Value::Null());
  nlohmann::ordered_json extra;
  for (size_t f = 0; f < rec.fields.size() && f < m.column_of_field.size(); ++f) {
    int c = m.column_of_field[f];
    if (c < 0) {
      std::string_view v = Trim(rec.fields[f]);
      if (!v.empty()) extra[header[f]] = std::string(v);
      continue;
    }
    const ColumnDef& col = def.columns[c];
    Cell cell{rec.fields[f], !rec.numeric.empty() && rec.numeric[f] != 0};
    Result<Value> v = ParseValue(col, cell);
    if (!v.ok() && rec.external_identifiers && col.type == ColumnType::kCreditCode) {
      // A foreign organisation id (OCDS) is kept as the publisher gave it.
      v = Value::Text(std::string(Trim(rec.fields[f])));
    }
    if (!v.ok()) {
      p->problems.push_back({header[f], rec.fields[f], v.status()});
    } else {
      p->values[c] = std::move(v).value();
    }
  }
  if (!extra.empty()) {
    p->extra_json = extra.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  if (p->problems.empty() && rec.merge_with_current) {
    p->needs_merge = true;
    return;
  }
  if (p->problems.empty()) FinishValidation(p);
  if (!p->problems.empty()) p->raw_row = RawRowJson(rec);
}

// Required values, rules across columns, then the key and the row's hash.
void FileImport::FinishValidation(Prepared* p) const {
  const HeaderMap& m = maps_[p->stream];
  const DatasetDef& def = *m.def;
  const auto& header = source_->streams()[p->stream].header;
  auto column_title = [&](size_t c) {
    int f = m.field_of_column[c];
    return f >= 0 ? header[f] : def.columns[c].name;
  };
  for (size_t c = 0; c < def.columns.size(); ++c) {
    const ColumnDef& col = def.columns[c];
    if (col.required && p->values[c].is_null()) {
      p->problems.push_back({column_title(c), "",
                             Status::InvalidInput("required value " + col.name + " is empty",
                                                  "必填项“" + col.DisplayName() + "”为空")});
    }
  }
  for (RowCheck check : def.checks) {
    if (check == RowCheck::kIdAgreesWithSexAndBirth && p->problems.empty()) {
      int id_c = def.ColumnIndex("id_number");
      int sex_c = def.ColumnIndex("sex");
      int birth_c = def.ColumnIndex("birth_date");
      const std::string& id = p->values[id_c].s;
      if (!p->values[sex_c].is_null()) {
        bool male = IdNumberIsMale(id);
        if ((p->values[sex_c].s == "男") != male) {
          p->problems.push_back(
              {column_title(sex_c), p->values[sex_c].s,
               Status::InvalidInput(
                   std::string("sex does not agree with the ID number (its 17th digit says ") +
                       (male ? "male" : "female") + ")",
                   std::string("性别与身份证号不符（第17位表示") + (male ? "男" : "女") + "）")});
        }
      }
      if (!p->values[birth_c].is_null()) {
        std::string expected = FormatDate(IdNumberBirthDate(id));
        if (p->values[birth_c].s != expected) {
          p->problems.push_back(
              {column_title(birth_c), p->values[birth_c].s,
               Status::InvalidInput(
                   "birth date does not agree with the ID number (" + expected + ")",
                   "出生日期与身份证号不符（应为" + expected + "）")});
        }
      }
    }
  }
  if (!p->problems.empty()) return;
  p->key = RowKey(def, p->values);
  thread_local std::string canonical;
  CanonicalRowInto(&canonical, def, p->key, p->values, p->extra_json);
  p->hash = Sha256(canonical);
  // Most rows are first versions: hash their ledger leaf here, off the writer thread.
  p->leaf_hash_v1 = ledger::RowLeafHash(def.name, p->key, 1, p->hash);
}

Status FileImport::Quarantine(const Prepared& p) {
  ImportReport& rep = reports_[p.stream];
  ++rep.quarantined;
  for (const Problem& pr : p.problems) {
    Stmt& st = quarantine_stmt_;
    st.Reset();
    st.BindInt(1, rep.import_id);
    st.BindText(2, rep.dataset);
    st.BindText(3, file_sha_);
    st.BindText(4, file_name_);
    st.BindInt(5, p.line);
    st.BindText(6, p.location);
    st.BindText(7, pr.column);
    st.BindText(8, ClipForMessage(pr.value, 200));
    st.BindText(9, pr.reason.message_zh());
    st.BindText(10, pr.reason.message());
    if (p.raw_key.empty() || p.raw_key.find_first_not_of('|') == std::string::npos) {
      st.BindNull(11);
    } else {
      st.BindText(11, p.raw_key);
    }
    st.BindText(12, p.raw_row);
    QF_RETURN_IF_ERROR(st.Run());
  }
  return Status::OK();
}

Status FileImport::WriteCompiled(const OcdsReader::Compiled& c) {
  compiled_stmt_.Reset();
  compiled_stmt_.BindText(1, c.ocid);
  compiled_stmt_.BindInt(2, reports_.front().import_id);  // the file's tenders import
  compiled_stmt_.BindTextStatic(3, c.json);
  return compiled_stmt_.Run();
}

Status FileImport::Write(Prepared& p) {
  const HeaderMap& m = maps_[p.stream];
  const DatasetDef& def = *m.def;
  ImportReport& rep = reports_[p.stream];
  ++rep.rows;
  if (p.needs_merge) {
    bool key_ok = true;
    for (int k : def.key) key_ok = key_ok && !p.values[k].is_null();
    if (key_ok) {
      std::string current_extra;
      QF_ASSIGN_OR_RETURN(bool found, writers_[p.stream]->GetCurrent(RowKey(def, p.values),
                                                                     &current_, &current_extra));
      if (found) {
        for (size_t c = 0; c < def.columns.size(); ++c) {
          if (p.values[c].is_null()) p.values[c] = current_[c];
        }
        if (p.extra_json.empty()) p.extra_json = current_extra;
      }
    }
    FinishValidation(&p);
    if (!p.problems.empty()) {
      nlohmann::ordered_json j = nlohmann::ordered_json::object();
      for (size_t c = 0; c < def.columns.size(); ++c)
        j[def.columns[c].name] = p.values[c].ToString();
      p.raw_row = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
  if (!p.problems.empty()) return Quarantine(p);

  int64_t first_line = 0;
  QF_ASSIGN_OR_RETURN(WriteOutcome outcome, writers_[p.stream]->Write(p.key, p.values, p.extra_json,
                                                                      p.line, p.hash, &first_line));
  switch (outcome) {
    case WriteOutcome::kDuplicateInImport: {
      std::string key_cols;
      for (int k : def.key)
        key_cols += (key_cols.empty() ? "" : "+") + def.columns[k].DisplayName();
      Status why = Status::InvalidInput("key " + def.KeyDescription() + " = " + p.key +
                                            " already appears on line " +
                                            std::to_string(first_line) + " of this file",
                                        "主键（" + key_cols + "）" + p.key + "与本文件第" +
                                            std::to_string(first_line) + "行重复");
      int kf = m.field_of_column[def.key[0]];
      const auto& header = source_->streams()[p.stream].header;
      p.problems.push_back({kf >= 0 ? header[kf] : def.columns[def.key[0]].name, p.key, why});
      if (p.raw_row.empty()) {
        nlohmann::ordered_json j = nlohmann::ordered_json::object();
        for (size_t c = 0; c < def.columns.size(); ++c)
          j[def.columns[c].name] = p.values[c].ToString();
        p.raw_row = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
      return Quarantine(p);
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
  if (outcome == WriteOutcome::kNew || outcome == WriteOutcome::kChanged) {
    // One ledger leaf per row version written (unchanged rows add none).
    const DatasetWriter& w = *writers_[p.stream];
    if (w.last_version() == 1) {
      // The worker already hashed the leaf of a first version.
      if (ledger_sources_[p.stream] == 0) {
        QF_ASSIGN_OR_RETURN(ledger_sources_[p.stream], ledger_->SourceId(def.name));
      }
      QF_RETURN_IF_ERROR(
          ledger_->AppendLeafHash(ledger_sources_[p.stream], w.last_row_id(), p.leaf_hash_v1));
    } else {
      QF_RETURN_IF_ERROR(
          ledger_->AppendRow(def.name, p.key, w.last_version(), w.last_row_id(), p.hash));
    }
  }
  ++rep.accepted;
  if (has_open_quarantine_[p.stream]) {
    resolve_stmt_.Reset();
    resolve_stmt_.BindInt(1, rep.import_id);
    resolve_stmt_.BindText(2, def.name);
    resolve_stmt_.BindText(3, p.key);
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
    return Status::InvalidInput(
        "unknown dataset '" + dataset + "'; known datasets: " + KnownDatasetNames() + ", ocds",
        "未知的数据集“" + dataset + "”；可用的数据集：" + KnownDatasetNames() + ", ocds");
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
