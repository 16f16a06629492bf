// Data management: the datasets and their counts, uploads imported in the
// background (one job at a time), the import history, and the quarantine —
// browse, export the rows to fix, correct one record and re-import it.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "common/log.h"
#include "common/text.h"
#include "common/time.h"
#include "ingest/importer.h"
#include "ingest/quarantine.h"
#include "ledger/ledger.h"
#include "server/api.h"
#include "server/api_util.h"
#include "store/store.h"

namespace qf::server {

namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------------------
// The job queue

namespace {

constexpr size_t kJobsKept = 200;

std::string RandomHex() {
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  std::lock_guard lock(mu);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// Spooled bodies and job folders are removed as jobs end; what a crash left
// behind goes when the next server starts its queue.
void RemoveStale(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;
  auto cutoff = fs::file_time_type::clock::now() - std::chrono::hours(24);
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    std::error_code ec2;
    if (fs::last_write_time(e.path(), ec2) < cutoff && !ec2) fs::remove_all(e.path(), ec2);
  }
}

}  // namespace

struct Api::JobQueue {
  explicit JobQueue(const std::string& uploads_dir) {
    RemoveStale(uploads_dir);
    worker = std::thread([this] { Loop(); });
  }
  ~JobQueue() {
    {
      std::lock_guard lock(mu);
      stop = true;
    }
    cv.notify_all();
    worker.join();  // the running job finishes; queued ones are dropped
  }

  void Loop() {
    for (;;) {
      std::shared_ptr<Job> job;
      JobWork work;
      {
        std::unique_lock lock(mu);
        cv.wait(lock, [this] { return stop || !queue.empty(); });
        if (stop) return;
        job = queue.front().first;
        work = std::move(queue.front().second);
        queue.pop_front();
        job->state = "running";
        job->started_at = NowShanghai();
      }
      changed.notify_all();
      auto progress = [this, job](json p) {
        std::lock_guard lock(mu);
        job->progress = std::move(p);
      };
      Result<json> r = Status::Internal("job did not run");
      try {
        r = work(progress);
      } catch (const std::exception& e) {  // a third-party exception must not end the queue
        r = Status::Internal(std::string("job failed: ") + e.what());
      }
      {
        std::lock_guard lock(mu);
        job->finished_at = NowShanghai();
        if (r.ok()) {
          job->state = "done";
          job->result = std::move(r).value();
        } else {
          job->state = "failed";
          job->error = r.status();
          // What the user sent (values, headers) stays out of the log.
          if (job->error.code() == Status::Code::kInvalidArgument) {
            spdlog::info("{} job {} refused its input (the job says why)", job->kind, job->id);
          } else {
            spdlog::warn("{} job {} failed: {}", job->kind, job->id, job->error.message());
          }
        }
      }
      changed.notify_all();
    }
  }

  std::mutex mu;
  std::condition_variable cv;       // work arrived, or stop
  std::condition_variable changed;  // a job started or ended
  std::deque<std::pair<std::shared_ptr<Job>, JobWork>> queue;
  std::map<int64_t, std::shared_ptr<Job>> jobs;
  int64_t next_id = 1;
  bool stop = false;
  std::thread worker;
};

Api::JobQueue& Api::Jobs() {
  std::lock_guard lock(jobs_mu_);
  if (!jobs_) jobs_ = std::make_shared<JobQueue>(config_.db_path + ".uploads");
  return *jobs_;
}

int64_t Api::SubmitJob(std::string kind, std::string user, json info, JobWork work) {
  JobQueue& q = Jobs();
  auto job = std::make_shared<Job>();
  job->kind = std::move(kind);
  job->user = std::move(user);
  job->info = std::move(info);
  job->progress = json::object();
  job->created_at = NowShanghai();
  {
    std::lock_guard lock(q.mu);
    job->id = q.next_id++;
    q.jobs[job->id] = job;
    while (q.jobs.size() > kJobsKept) {
      auto oldest = q.jobs.begin();
      if (oldest->second->state == "queued" || oldest->second->state == "running") break;
      q.jobs.erase(oldest);
    }
    q.queue.emplace_back(job, std::move(work));
  }
  q.cv.notify_all();
  return job->id;
}

bool Api::GetJob(int64_t id, Job* out, int wait_ms) {
  JobQueue& q = Jobs();
  std::unique_lock lock(q.mu);
  auto it = q.jobs.find(id);
  if (it == q.jobs.end()) return false;
  std::shared_ptr<Job> job = it->second;
  if (wait_ms > 0) {
    q.changed.wait_for(lock, std::chrono::milliseconds(wait_ms),
                       [&] { return job->state == "done" || job->state == "failed"; });
  }
  *out = *job;
  return true;
}

std::vector<Api::Job> Api::RecentJobs(const std::string& kind) {
  JobQueue& q = Jobs();
  std::lock_guard lock(q.mu);
  std::vector<Job> out;
  for (auto it = q.jobs.rbegin(); it != q.jobs.rend(); ++it) {
    if (kind.empty() || it->second->kind == kind) out.push_back(*it->second);
  }
  return out;
}

json Api::JobJson(const Job& job) {
  json j = {{"job", job.id},
            {"kind", job.kind},
            {"state", job.state},
            {"user", job.user.starts_with("user:") ? job.user.substr(5) : job.user},
            {"created_at", job.created_at},
            {"started_at", job.started_at.empty() ? json(nullptr) : json(job.started_at)},
            {"finished_at", job.finished_at.empty() ? json(nullptr) : json(job.finished_at)},
            {"progress", job.progress.is_null() ? json::object() : job.progress}};
  for (auto& [k, v] : job.info.items()) j[k] = v;
  if (job.state == "done") j["result"] = job.result;
  if (job.state == "failed") {
    bool clerk = job.error.code() == Status::Code::kInvalidArgument;
    j["error"] = {{"code", clerk ? "invalid_input" : "internal"},
                  {"message", job.error.message_zh()},
                  {"message_en", job.error.message()}};
  }
  return j;
}

std::string Api::SpoolDir(std::string_view method, std::string_view path) const {
  if ((method == "POST" && path == "/api/imports") || IsMediaUpload(method, path)) {
    return config_.db_path + ".uploads";
  }
  return "";
}

// ---------------------------------------------------------------------------
// Shared pieces

namespace {

const char* TypeName(ColumnType t) {
  switch (t) {
    case ColumnType::kText:
      return "text";
    case ColumnType::kIdNumber:
      return "id_number";
    case ColumnType::kCreditCode:
      return "credit_code";
    case ColumnType::kParty:
      return "party";
    case ColumnType::kIdList:
      return "id_list";
    case ColumnType::kDate:
      return "date";
    case ColumnType::kDateTime:
      return "datetime";
    case ColumnType::kPeriod:
      return "period";
    case ColumnType::kYear:
      return "year";
    case ColumnType::kMoney:
      return "money";
    case ColumnType::kBool:
      return "bool";
    case ColumnType::kRatio:
      return "ratio";
    case ColumnType::kInteger:
      return "integer";
    case ColumnType::kDecimal:
      return "decimal";
    case ColumnType::kRegionCode:
      return "region_code";
    case ColumnType::kEnum:
      return "enum";
  }
  return "text";
}

// Files are kept under the names the importer was given (a job's folder):
// people know them by their own name.
std::string BaseName(const std::string& path) { return fs::path(path).filename().string(); }

// The importer's messages name the file by the path it was given; a clerk
// knows it by the name they uploaded.
Status Rename(const Status& s, const std::string& from, const std::string& to) {
  if (s.ok()) return s;
  auto fix = [&](std::string text) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at)) {
      text.replace(at, from.size(), to);
      at += to.size();
    }
    return text;
  };
  if (s.code() == Status::Code::kInvalidArgument) {
    return Status::InvalidInput(fix(s.message()), fix(s.message_zh()));
  }
  return Status::IOError(fix(s.message()));
}

json ReportJson(const ImportReport& r) {
  return {{"file", BaseName(r.file)}, {"dataset", r.dataset},        {"format", r.format},
          {"encoding", r.encoding},   {"import_id", r.import_id},    {"rows", r.rows},
          {"accepted", r.accepted},   {"new", r.new_rows},           {"changed", r.changed},
          {"unchanged", r.unchanged}, {"quarantined", r.quarantined}};
}

std::string DatasetZh(const std::string& name) {
  const DatasetDef* d = FindDataset(name);
  return d ? d->zh : name;
}

json EntryJson(const QuarantineEntry& e) {
  const DatasetDef* def = FindDataset(e.dataset);
  // The row as received, in the file's column order, each header with the
  // dataset column it stands for (null for columns outside the contract).
  json row = json::array();
  auto raw = nlohmann::ordered_json::parse(e.raw_row, nullptr, false);
  if (raw.is_object()) {
    for (auto it = raw.begin(); it != raw.end(); ++it) {
      json field = nullptr;
      if (def != nullptr) {
        std::string n = NormalizeHeader(it.key());
        for (const ColumnDef& c : def->columns) {
          bool match = NormalizeHeader(c.name) == n;
          for (const std::string& a : c.aliases) match = match || NormalizeHeader(a) == n;
          if (match) {
            field = c.name;
            break;
          }
        }
      }
      row.push_back(
          {{"column", it.key()},
           {"value", it.value().is_string() ? it.value().get<std::string>() : it.value().dump()},
           {"field", field}});
    }
  }
  return {{"id", e.id},
          {"dataset", e.dataset},
          {"dataset_zh", def ? def->zh : e.dataset},
          {"file", BaseName(e.file_name)},
          {"line", e.line},
          {"location", e.location},
          {"column", e.column},
          {"value", e.value},
          {"reason", e.reason_zh},
          {"reason_en", e.reason_en},
          {"import_id", e.import_id},
          {"resolved_by_import", e.resolved_import_id ? json(e.resolved_import_id) : json(nullptr)},
          {"row", row}};
}

// A ledger actor's own uploads are all a user limited to a scope may see of
// the quarantine and the history ("" = everything).
std::string UploadedBy(const Principal& user) { return user.Scoped() ? "user:" + user.name : ""; }

bool GoodUploadName(const std::string& name) {
  if (name.empty() || name.size() > 200 || name[0] == '.' || !IsValidUtf8(name)) return false;
  for (unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\') return false;
  }
  return true;
}

// Whether the dataset parameter names a dataset (or "ocds"); the canonical name.
bool DatasetParam(const Request& req, bool required, std::string* out, Response* err) {
  out->clear();
  std::string v = req.Query("dataset");
  if (v.empty()) {
    if (!required) return true;
    *err = Api::Error(400, "bad_parameter", "缺少参数 dataset（数据集）",
                      "parameter dataset is missing", "dataset");
    return false;
  }
  const DatasetDef* def = FindDataset(v);
  if (def == nullptr) {
    *err =
        Api::Error(404, "not_found", "没有数据集：" + v + "（可用：" + KnownDatasetNames() + "）",
                   "no dataset " + v + " (known: " + KnownDatasetNames() + ")", "dataset");
    return false;
  }
  *out = def->name;
  return true;
}

}  // namespace

// ---------------------------------------------------------------------------
// Datasets

Response Api::DatasetsRoute(Ctx& c) {
  auto statuses = DatasetStatuses(c.db());
  if (!statuses.ok()) return FromStatus(statuses.status());
  json out = json::array();
  for (const DatasetStatus& s : *statuses) {
    const DatasetDef& def = *s.def;
    json columns = json::array();
    for (const ColumnDef& col : def.columns) {
      columns.push_back({{"name", col.name},
                         {"zh", col.DisplayName()},
                         {"type", TypeName(col.type)},
                         {"type_zh", TypeDescription(col.type, true)},
                         {"type_en", TypeDescription(col.type, false)},
                         {"required", col.required},
                         {"aliases", col.aliases},
                         {"allowed", col.allowed},
                         {"note", col.note}});
    }
    json key = json::array();
    for (int k : def.key) key.push_back(def.columns[static_cast<size_t>(k)].name);
    json last = nullptr;
    if (s.last_import_id != 0) {
      last = {{"import_id", s.last_import_id},
              {"at", s.last_import_at},
              {"file", BaseName(s.last_file)}};
    }
    out.push_back({{"name", def.name},
                   {"zh", def.zh},
                   {"en", def.en},
                   {"ocds", def.ocds},
                   {"key", key},
                   {"columns", columns},
                   {"rows", s.rows},
                   {"versions", s.versions},
                   {"quarantined", s.quarantined},
                   {"imports", s.imports},
                   {"last_import", last}});
  }
  return Json(200, {{"datasets", out}});
}

// ---------------------------------------------------------------------------
// Imports

Response Api::StartImportRoute(Ctx& c) {
  std::string file_name = c.req.Query("filename");
  if (!GoodUploadName(file_name)) {
    return Error(400, "bad_parameter",
                 "参数 filename（文件名）缺失或不合法（1–200 字节，不以 . 开头，不含 / \\）",
                 "parameter filename is missing or not allowed (1–200 bytes, no leading dot, "
                 "no / or \\)",
                 "filename");
  }
  std::string ext = AsciiLower(fs::path(file_name).extension().string());
  bool json_file = ext == ".json" || ext == ".jsonl" || ext == ".ndjson";
  if (!json_file && ext != ".csv" && ext != ".txt" && ext != ".xlsx" && ext != ".xlsm") {
    return Error(400, "bad_file_type",
                 "不支持的文件类型“" + ext + "”，请使用 .csv、.xlsx、.json 或 .jsonl" +
                     (ext == ".xls" ? "（旧版 .xls 请另存为 .xlsx）" : ""),
                 "unsupported file type '" + ext + "'; use .csv, .xlsx, .json or .jsonl",
                 "filename");
  }
  std::string wanted = c.req.Query("dataset");
  std::string dataset;
  if (wanted.empty() || wanted == "auto") {
    if (const DatasetDef* d = Importer::DatasetForFileName(file_name)) {
      dataset = d->name;
    } else if (json_file) {
      dataset = "ocds";  // an OCDS package fills tenders, bids and contracts
    } else {
      return Error(400, "unknown_dataset",
                   "无法从文件名“" + file_name + "”判断数据集，请指定 dataset（可用：" +
                       KnownDatasetNames() + "）",
                   "cannot tell the dataset from the file name " + file_name +
                       "; give dataset (known: " + KnownDatasetNames() + ")",
                   "dataset");
    }
  } else if (AsciiLower(wanted) == "ocds") {
    dataset = "ocds";
  } else {
    Response err;
    if (!DatasetParam(c.req, true, &dataset, &err)) return err;
  }
  std::string sheet = c.req.Query("sheet");
  if (sheet.size() > 100) {
    return Error(400, "bad_parameter", "参数 sheet 过长", "parameter sheet is too long", "sheet");
  }
  std::error_code ec;
  const std::string& spooled = c.req.body_file;
  int64_t bytes = spooled.empty() ? static_cast<int64_t>(c.req.body.size())
                                  : static_cast<int64_t>(fs::file_size(spooled, ec));
  if (ec || bytes == 0) {
    return Error(400, "empty_body", "上传的文件为空（请求体应为文件内容）",
                 "the uploaded file is empty (the request body is the file)", "body");
  }
  // Each job gets a folder, so the importer sees the file under the name the
  // clerk gave it.
  std::string dir = config_.db_path + ".uploads/job-" + RandomHex();
  std::string path = dir + "/" + file_name;
  fs::create_directories(dir, ec);
  if (!ec && !spooled.empty()) fs::rename(spooled, path, ec);
  if (!ec && spooled.empty()) {
    std::ofstream out(path, std::ios::binary);
    out.write(c.req.body.data(), static_cast<std::streamsize>(c.req.body.size()));
    out.close();
    if (!out) ec = std::make_error_code(std::errc::io_error);
    c.req.body.clear();
    c.req.body.shrink_to_fit();
  }
  if (ec) {
    fs::remove_all(dir, ec);
    return FromStatus(Status::IOError("cannot keep the upload in " + dir));
  }
  std::string user = "user:" + c.user.name;
  json info = {{"dataset", dataset},
               {"dataset_zh", dataset == "ocds" ? "OCDS 招投标数据" : DatasetZh(dataset)},
               {"file", file_name},
               {"bytes", bytes}};
  std::string db_path = config_.db_path;
  int64_t id = SubmitJob(
      "import", user, info,
      [db_path, dir, path, file_name, dataset, sheet, user,
       bytes](const std::function<void(json)>& progress) -> Result<json> {
        struct Cleanup {
          std::string dir;
          ~Cleanup() {
            std::error_code e;
            fs::remove_all(dir, e);  // the store keeps its own copy of the file
          }
        } cleanup{dir};
        QF_ASSIGN_OR_RETURN(auto store, Store::Open(db_path));
        Importer importer(store.get());
        ImportOptions opts;
        opts.sheet = sheet;
        opts.progress = [&progress, bytes](int64_t rows, double fraction) {
          progress({{"rows_read", rows},
                    {"bytes_read", static_cast<int64_t>(fraction * static_cast<double>(bytes))},
                    {"bytes_total", bytes},
                    {"percent", std::round(fraction * 1000) / 10}});
        };
        auto reports = importer.ImportFile(dataset, path, opts);
        if (!reports.ok()) return Rename(reports.status(), path, file_name);
        progress({{"rows_read", reports->empty() ? 0 : reports->front().rows},
                  {"bytes_read", bytes},
                  {"bytes_total", bytes},
                  {"percent", 100.0}});
        json out = json::array();
        for (const ImportReport& r : *reports) {
          // Who sent which file: the ledger links the user to the import.
          json details = {{"file", file_name},
                          {"dataset", r.dataset},
                          {"rows", r.rows},
                          {"accepted", r.accepted},
                          {"quarantined", r.quarantined}};
          QF_RETURN_IF_ERROR(
              ledger::RecordAction(
                  store->db(),
                  {user, "data_import", "import:" + std::to_string(r.import_id), details.dump()})
                  .status());
          out.push_back(ReportJson(r));
          out.back()["file"] = file_name;
        }
        return json{{"reports", out}};
      });
  Job job;
  GetJob(id, &job);
  return Json(202, JobJson(job));
}

bool Api::FindJob(Ctx& c, std::initializer_list<std::string_view> kinds, bool mine_only, Job* out,
                  Response* err) {
  const std::string& v = c.params["job"];
  char* end = nullptr;
  long long id = std::strtoll(v.c_str(), &end, 10);
  bool found = !v.empty() && *end == '\0' && id > 0 && GetJob(id, out) &&
               std::find(kinds.begin(), kinds.end(), out->kind) != kinds.end() &&
               (!mine_only || out->user == "user:" + c.user.name);
  if (!found) *err = Error(404, "not_found", "没有这个任务：" + v, "no such job: " + v);
  return found;
}

Response Api::ImportJobRoute(Ctx& c) {
  Job job;
  Response err;
  if (!FindJob(c, {"import", "fix"}, c.user.Scoped(), &job, &err)) return err;
  return Json(200, JobJson(job));
}

Response Api::ImportsRoute(Ctx& c) {
  Response err;
  std::string dataset;
  int64_t limit = 0, offset = 0;
  if (!DatasetParam(c.req, false, &dataset, &err) ||
      !QueryInt(c.req, "limit", 1, 1000, 50, &limit, &err) ||
      !QueryInt(c.req, "offset", 0, INT64_MAX / 2, 0, &offset, &err)) {
    return err;
  }
  std::string by = UploadedBy(c.user);
  std::string where =
      "(?1 = '' OR i.dataset = ?1) AND (?2 = '' OR i.id IN (SELECT CAST(substr(target, 8) AS "
      "INTEGER) FROM ledger_actions WHERE action = 'data_import' AND actor = ?2))";
  auto total = c.db()->Prepare("SELECT COUNT(*) FROM imports i WHERE " + where);
  if (!total.ok()) return FromStatus(total.status());
  total->BindText(1, dataset);
  total->BindText(2, by);
  auto trow = total->Step();
  if (!trow.ok()) return FromStatus(trow.status());
  auto q = c.db()->Prepare(
      "SELECT i.id, i.dataset, i.file_name, i.format, COALESCE(i.encoding, ''), i.started_at, "
      "COALESCE(i.finished_at, ''), i.rows_read, i.accepted, i.new_rows, i.changed, i.unchanged, "
      "i.quarantined, i.file_sha256, f.size, (SELECT COUNT(DISTINCT line || ':' || "
      "COALESCE(location, '')) FROM quarantine WHERE import_id = i.id AND resolved_import_id IS "
      "NULL) FROM imports i JOIN files f ON f.sha256 = i.file_sha256 WHERE " +
      where + " ORDER BY i.id DESC LIMIT ?3 OFFSET ?4");
  if (!q.ok()) return FromStatus(q.status());
  q->BindText(1, dataset);
  q->BindText(2, by);
  q->BindInt(3, limit);
  q->BindInt(4, offset);
  json items = json::array();
  for (;;) {
    auto row = q->Step();
    if (!row.ok()) return FromStatus(row.status());
    if (!*row) break;
    items.push_back({{"import_id", q->Int(0)},
                     {"dataset", q->Text(1)},
                     {"dataset_zh", DatasetZh(q->Text(1))},
                     {"file", BaseName(q->Text(2))},
                     {"format", q->Text(3)},
                     {"encoding", q->Text(4)},
                     {"started_at", q->Text(5)},
                     {"finished_at", q->Text(6)},
                     {"rows", q->Int(7)},
                     {"accepted", q->Int(8)},
                     {"new", q->Int(9)},
                     {"changed", q->Int(10)},
                     {"unchanged", q->Int(11)},
                     {"quarantined", q->Int(12)},
                     {"sha256", q->Text(13)},
                     {"bytes", q->Int(14)},
                     {"open_quarantine", q->Int(15)}});
  }
  // This server's jobs, so a page opened later can follow one still running.
  json jobs = json::array();
  for (const Job& j : RecentJobs("")) {
    if (j.kind != "import" && j.kind != "fix") continue;
    if (!by.empty() && j.user != by) continue;
    if (!dataset.empty() && j.info.value("dataset", "") != dataset) continue;
    jobs.push_back(JobJson(j));
  }
  return Json(200, {{"imports", items},
                    {"total", total->Int(0)},
                    {"limit", limit},
                    {"offset", offset},
                    {"jobs", jobs}});
}

// ---------------------------------------------------------------------------
// Quarantine

namespace {

bool ParseQuarantineFilter(Api::Ctx& c, QuarantineFilter* f, Response* err) {
  if (!DatasetParam(c.req, false, &f->dataset, err) ||
      !QueryInt(c.req, "import", 1, INT64_MAX / 2, 0, &f->import_id, err) ||
      !QueryInt(c.req, "limit", 1, 1000, 50, &f->limit, err) ||
      !QueryInt(c.req, "offset", 0, INT64_MAX / 2, 0, &f->offset, err) ||
      !QueryFlag(c.req, "all", &f->include_resolved, err)) {
    return false;
  }
  f->uploaded_by = UploadedBy(c.user);
  return true;
}

}  // namespace

Response Api::QuarantineRoute(Ctx& c) {
  QuarantineFilter f;
  Response err;
  if (!ParseQuarantineFilter(c, &f, &err)) return err;
  int64_t total = 0;
  auto entries = ListQuarantine(c.db(), f, &total);
  if (!entries.ok()) return FromStatus(entries.status());
  json items = json::array();
  for (const QuarantineEntry& e : *entries) items.push_back(EntryJson(e));
  return Json(200,
              {{"entries", items}, {"total", total}, {"limit", f.limit}, {"offset", f.offset}});
}

Response Api::QuarantineExportRoute(Ctx& c) {
  QuarantineFilter f;
  Response err;
  if (!ParseQuarantineFilter(c, &f, &err)) return err;
  if (f.dataset.empty()) {
    return Error(400, "bad_parameter", "导出待修正的行需要参数 dataset（一个文件只含一个数据集）",
                 "exporting the rows to fix needs parameter dataset (one dataset per file)",
                 "dataset");
  }
  // Every open record, not a page of them.
  if (!c.req.HasQuery("limit")) f.limit = 0;
  std::ostringstream csv;
  auto n = ExportQuarantinedRows(c.db(), f, csv);
  if (!n.ok()) return FromStatus(n.status());
  // An export of personal data is an action the ledger must remember.
  json details = {{"dataset", f.dataset}, {"rows", *n}};
  if (f.import_id) details["import"] = f.import_id;
  if (Status s = Audit(c, "export", "quarantine:" + f.dataset, details); !s.ok()) {
    return FromStatus(s);
  }
  Response r;
  r.content_type = "text/csv; charset=utf-8";
  r.body = csv.str();
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"" + f.dataset + "-quarantine.csv\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response Api::QuarantineFixRoute(Ctx& c) {
  const std::string& id_text = c.params["id"];
  char* end = nullptr;
  long long id = std::strtoll(id_text.c_str(), &end, 10);
  auto not_found = [&] {
    return Error(404, "not_found", "没有隔离记录 " + id_text, "no quarantine entry " + id_text);
  };
  if (id_text.empty() || *end != '\0' || id <= 0) return not_found();
  json body;
  Response err;
  if (!ParseObject(c.req, &body, &err) || !OnlyKnownFields(body, {"values"}, &err)) return err;
  auto values = body.find("values");
  if (values == body.end() || !values->is_object() || values->empty() || values->size() > 500) {
    return Error(400, "wrong_type", "字段 values 应为对象：{列名: 更正后的值}（1–500 项）",
                 "field values must be an object {column: corrected text} (1–500 items)", "values");
  }
  std::map<std::string, std::string> corrections;
  for (auto& [k, v] : values->items()) {
    if (!v.is_string() || v.get<std::string>().size() > 10000) {
      return Error(400, "wrong_type", "values." + k + " 应为字符串（最多 10000 字节）",
                   "values." + k + " must be a string of at most 10000 bytes", "values." + k);
    }
    corrections[k] = v.get<std::string>();
  }
  auto entry = GetQuarantineEntry(c.db(), id);
  if (!entry.ok() && entry.status().code() != Status::Code::kNotFound) {
    return FromStatus(entry.status());
  }
  std::string by = UploadedBy(c.user);
  if (!by.empty()) {
    // Limited users fix only what they sent; whether it exists otherwise stays unsaid.
    if (!entry.ok()) return Forbidden();
    auto own = c.db()->Prepare(
        "SELECT 1 FROM ledger_actions WHERE action = 'data_import' AND actor = ? AND target = ?");
    if (!own.ok()) return FromStatus(own.status());
    own->BindText(1, by);
    own->BindText(2, "import:" + std::to_string(entry->import_id));
    auto row = own->Step();
    if (!row.ok()) return FromStatus(row.status());
    if (!*row) return Forbidden();
  }
  if (!entry.ok()) return not_found();
  if (entry->resolved_import_id != 0) {
    return Error(
        409, "already_resolved",
        "该记录已由第 " + std::to_string(entry->resolved_import_id) + " 批导入纠正",
        "the entry was already resolved by import " + std::to_string(entry->resolved_import_id));
  }
  std::string user = "user:" + c.user.name;
  std::string db_path = config_.db_path;
  std::string work = config_.db_path + ".uploads/fix-" + RandomHex();
  json info = {{"dataset", entry->dataset},
               {"dataset_zh", DatasetZh(entry->dataset)},
               {"file", BaseName(entry->file_name)},
               {"line", entry->line},
               {"quarantine_id", id}};
  int64_t job_id = SubmitJob(
      "fix", user, info,
      [db_path, work, id, corrections, user](const std::function<void(json)>&) -> Result<json> {
        struct Cleanup {
          std::string dir;
          ~Cleanup() {
            std::error_code e;
            fs::remove_all(dir, e);
          }
        } cleanup{work};
        QF_ASSIGN_OR_RETURN(auto store, Store::Open(db_path));
        auto r = ReimportQuarantined(store.get(), id, corrections, work);
        if (!r.ok()) return Rename(r.status(), work + "/", "");
        json details = {{"fix_of", id},
                        {"dataset", r->report.dataset},
                        {"accepted", r->accepted},
                        {"resolved", r->resolved}};
        QF_RETURN_IF_ERROR(
            ledger::RecordAction(
                store->db(), {user, "data_import", "import:" + std::to_string(r->report.import_id),
                              details.dump()})
                .status());
        json problems = json::array();
        for (const QuarantineEntry& e : r->problems) problems.push_back(EntryJson(e));
        json report = ReportJson(r->report);
        return json{{"accepted", r->accepted},
                    {"import_id", r->report.import_id},
                    {"resolved", r->resolved},
                    {"report", report},
                    {"problems", problems}};
      });
  // A fix is one row: answer with its outcome unless a long import is ahead of it.
  Job job;
  GetJob(job_id, &job, 20000);
  if (job.state == "done") {
    json out = job.result;
    out["job"] = job.id;
    return Json(200, out);
  }
  if (job.state == "failed") {
    if (job.error.code() == Status::Code::kNotFound) return not_found();
    return FromStatus(job.error,
                      job.error.code() == Status::Code::kInvalidArgument ? "values" : "");
  }
  return Json(202, JobJson(job));
}

}  // namespace qf::server
