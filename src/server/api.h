// The JSON API (docs/api.yaml) and the web UI's static files: routing,
// sign-in and CSRF checks, rights and scopes, then one handler per endpoint.
// Handlers run on the HTTP server's worker threads, each with a store
// connection of its own from a small pool.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "leads/reports.h"
#include "leads/scope.h"
#include "leads/workflow.h"
#include "server/access.h"
#include "server/auth.h"
#include "server/http.h"
#include "store/db.h"

namespace qf {
class Store;
}  // namespace qf

namespace qf::leads {
struct LiveNetwork;
}  // namespace qf::leads

namespace qf::server {

struct ServerConfig {
  std::string db_path;
  std::string web_dir;  // the built web UI (index.html and assets); may be missing
  std::string settings_path;
  AuthParams auth;
  leads::WorkflowParams workflow;
  size_t max_body = size_t{1} << 20;     // JSON requests
  size_t max_upload = size_t{20} << 20;  // attachments
  // Data files (POST /api/imports), spooled to disk as they arrive.
  size_t max_import = size_t{512} << 20;
  // 全过程记录 audio-video files (POST /api/enforcement/{id}/media), spooled too.
  size_t max_media = size_t{2048} << 20;
  bool secure_cookie = false;  // add "Secure" (behind an HTTPS proxy)
  // The day the supervision boards (12345 clocks, publication deadlines,
  // meeting calendars, responsibility items) are judged on when a request
  // names none: "" = today in Asia/Shanghai. A fixed day replays past data
  // (the demo city's data ends in 2024).
  std::string as_of;
  leads::ReportRateLimiter::Limits report_limits;  // public report submissions and lookups
};
// Defaults, then the settings file's "server" and "workflow" sections:
//   {"server": {"session_idle_seconds": 1800, "lockout_after": 5, "max_upload_mb": 20, …}}
Result<ServerConfig> LoadServerConfig(const std::string& db_path, const std::string& settings_path);

// A failed request as the API answers it: status, code and message (Chinese
// and English), and the request field at fault if any.
struct ApiError {
  int status = 400;
  std::string code, zh, en, field;
};

class Api {
 public:
  static Result<std::unique_ptr<Api>> Create(ServerConfig config);
  ~Api();
  // Thread-safe.
  Response Handle(Request& req);
  const ServerConfig& config() const { return config_; }
  // The limit HttpOptions::body_limit should apply.
  size_t BodyLimit(std::string_view method, std::string_view path) const;
  // Where HttpOptions::body_file_dir should spool the body ("" = memory).
  std::string SpoolDir(std::string_view method, std::string_view path) const;
  // Every route as "METHOD /path/{param}", for the docs test.
  std::vector<std::string> RouteList() const;

  // One store connection and what is prepared on it.
  struct Conn {
    std::unique_ptr<Db> db;
    std::unique_ptr<leads::ScopeResolver> scope;
    int64_t scope_loaded = 0;  // when the organisation → region map was read (unix)
  };
  struct Ctx {
    Request& req;
    Conn& conn;
    Principal user;  // empty for public routes
    std::map<std::string, std::string> params;
    Db* db() { return conn.db.get(); }
  };
  using Fn = Response (Api::*)(Ctx&);

 private:
  explicit Api(ServerConfig config)
      : config_(std::move(config)), report_limiter_(config_.report_limits) {}
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{id}" captures
    Fn fn;
    bool public_route = false;
    uint32_t right = 0;  // needed besides being signed in (0: none)
  };
  void AddRoutes();
  Result<Conn*> Borrow();
  void Return(Conn* c);
  Response Dispatch(Request& req, Conn& conn);

  // Endpoints (api_*.cc).
  Response Health(Ctx& c);
  Response Meta(Ctx& c);
  Response LoginRoute(Ctx& c);
  Response LogoutRoute(Ctx& c);
  Response Me(Ctx& c);
  Response ListLeadsRoute(Ctx& c);
  Response GetLeadRoute(Ctx& c);
  Response LeadAction(Ctx& c);
  Response BulkAction(Ctx& c);
  Response UploadAttachment(Ctx& c);
  Response DownloadAttachment(Ctx& c);
  Response LeadReport(Ctx& c);
  Response LeadDossier(Ctx& c);
  Response ExportLeads(Ctx& c);
  Response GetRecord(Ctx& c);
  Response Dashboard(Ctx& c);
  Response ModelsRoute(Ctx& c);
  Response ListUsersRoute(Ctx& c);
  Response CreateUserRoute(Ctx& c);
  Response UpdateUserRoute(Ctx& c);
  Response LedgerInfo(Ctx& c);
  Response LedgerActions(Ctx& c);
  // Data management (api_data.cc).
  Response DatasetsRoute(Ctx& c);
  Response StartImportRoute(Ctx& c);
  Response ImportJobRoute(Ctx& c);
  Response ImportsRoute(Ctx& c);
  Response QuarantineRoute(Ctx& c);
  Response QuarantineExportRoute(Ctx& c);
  Response QuarantineFixRoute(Ctx& c);
  // Model management (api_models.cc).
  Response ModelCatalogueRoute(Ctx& c);  // GET /api/models: ModelsRoute plus the settings
  Response UpdateModelRoute(Ctx& c);
  Response StartScanRoute(Ctx& c);
  Response ScanJobRoute(Ctx& c);
  Response ModelStatsRoute(Ctx& c);
  Response SaveCustomModelRoute(Ctx& c);
  Response TestCustomModelRoute(Ctx& c);
  Response DeleteCustomModelRoute(Ctx& c);
  // Complaints and reports (api_reports.cc): two public routes, then the office's.
  Response SubmitReportRoute(Ctx& c);
  Response ReportStatusRoute(Ctx& c);
  Response ListReportsRoute(Ctx& c);
  Response GetReportRoute(Ctx& c);
  Response ReportActionRoute(Ctx& c);
  Response ReportLeadRoute(Ctx& c);
  Response ReportAttachmentRoute(Ctx& c);
  // The report if it exists and is in the user's regions; else the answer to give.
  Result<leads::ReportSummary> VisibleReport(Ctx& c, Response* denied);
  // The relationship graph and entity resolution (api_graph.cc).
  Response GraphEgoRoute(Ctx& c);
  Response GraphPathsRoute(Ctx& c);
  Response LeadGraphRoute(Ctx& c);
  Response ErMatchesRoute(Ctx& c);
  Response ErDecisionRoute(Ctx& c);
  // 双随机一公开 random inspection draws (api_draws.cc); the last one is public.
  Response CreateDrawRoute(Ctx& c);
  Response ListDrawsRoute(Ctx& c);
  Response GetDrawRoute(Ctx& c);
  Response ExecuteDrawRoute(Ctx& c);
  Response DrawResultsRoute(Ctx& c);
  Response PublishDrawRoute(Ctx& c);
  Response VerifyDrawRoute(Ctx& c);
  Response PublicInspectionsRoute(Ctx& c);
  // 12345 督查督办 (api_hotline.cc)
  Response HotlineBoardRoute(Ctx& c);
  Response HotlineOrderRoute(Ctx& c);
  Response HotlineRegisterRoute(Ctx& c);
  Response HotlineActionRoute(Ctx& c);
  Response HotlineNoticeRoute(Ctx& c);
  Response HotlineNoticesRoute(Ctx& c);
  Response HotlineSweepRoute(Ctx& c);
  Response HotlineMetricsRoute(Ctx& c);
  // 执法公示 and 全过程记录 (api_enforcement.cc); the last one is public
  Response EnforcementBoardRoute(Ctx& c);
  Response EnforcementCaseRoute(Ctx& c);
  Response RegisterEnforcementRoute(Ctx& c);
  Response CloseEnforcementRoute(Ctx& c);
  Response UploadEnforcementMediaRoute(Ctx& c);
  Response DownloadEnforcementMediaRoute(Ctx& c);
  Response PublishEnforcementRoute(Ctx& c);
  Response PublicEnforcementRoute(Ctx& c);
  // 三会一课 (api_party.cc)
  Response PartyBranchesRoute(Ctx& c);
  Response PartyCreateBranchRoute(Ctx& c);
  Response PartyUpdateBranchRoute(Ctx& c);
  Response PartyImportBranchesRoute(Ctx& c);
  Response PartyCalendarRoute(Ctx& c);
  Response PartyMeetingsRoute(Ctx& c);
  Response PartyMeetingRoute(Ctx& c);
  Response PartyEnterMeetingRoute(Ctx& c);
  Response PartyWarningsRoute(Ctx& c);
  Response PartySummaryRoute(Ctx& c);
  // 一岗双责 (api_duties.cc)
  Response DutyItemsRoute(Ctx& c);
  Response DutyItemRoute(Ctx& c);
  Response DutyCreateRoute(Ctx& c);
  Response DutyUpdateRoute(Ctx& c);
  Response DutyCheckRoute(Ctx& c);
  Response DutyUploadRoute(Ctx& c);
  Response DutyAttachmentRoute(Ctx& c);
  Response DutyWarningsRoute(Ctx& c);
  Response DutyAssessmentRoute(Ctx& c);
  Response DutyAssessmentXlsxRoute(Ctx& c);
  // The ledger: checkpoints, verification, proofs (api_admin.cc)
  Response LedgerCheckpointsRoute(Ctx& c);
  Response LedgerVerifyRoute(Ctx& c);
  Response LedgerVerifyJobRoute(Ctx& c);
  Response LedgerProofRoute(Ctx& c);
  Response LedgerConsistencyRoute(Ctx& c);
  // The network of the store's current data, built on first use and kept
  // until a scan, an import or a decision changes it.
  Result<std::shared_ptr<const leads::LiveNetwork>> CurrentNetwork(Ctx& c);
  std::mutex network_mu_;
  std::shared_ptr<const leads::LiveNetwork> network_;
  std::string network_stamp_;
  Response Static(Ctx& c);

 public:
  // Shared by the endpoint files.
  static Response Json(int status, const nlohmann::json& body);
  static Response Error(const ApiError& e);
  static Response Error(int status, std::string code, std::string zh, std::string en,
                        std::string field = "");
  static Response FromStatus(const Status& s, std::string field = "");
  static Response Forbidden();
  // Whether the current record DATASET KEY exists and is in the user's scope;
  // else false with the answer in *denied (403 for a scoped user whether or not
  // it exists, 404 otherwise).
  bool RecordVisible(Ctx& c, const DatasetDef& def, const std::string& key, Response* denied);
  // The lead if it exists and is in the user's scope; else the answer to give
  // (403 for a scoped user whether or not it exists, so nothing leaks).
  Result<leads::Lead> VisibleLead(Ctx& c, const std::string& code, Response* denied);
  // A lead as the list and detail show it; masked unless `unmasked`.
  nlohmann::json LeadJson(const leads::Lead& l, bool unmasked, const std::string& today) const;
  // The same, serialized, for the list: kept while the lead's row, the
  // masking and the day are unchanged (the list is the busiest endpoint).
  std::vector<std::string> LeadItems(const std::vector<leads::Lead>& leads, bool unmasked,
                                     const std::string& today);
  // Whether the request asks for personal data in clear (`unmask=1`); false,
  // with the answer in *denied, when the flag is malformed or the role may not.
  bool WantsUnmasked(Ctx& c, bool* unmask, Response* denied);
  // The lead's detail as GET /api/leads/{id} gives it, for the exports.
  bool LeadDetail(Ctx& c, bool unmask, nlohmann::json* out, Response* denied);
  // Records a ledger action in its own transaction.
  Status Audit(Ctx& c, const std::string& action, const std::string& target,
               const nlohmann::json& details);
  // Applies the filters of a lead list request; an error names the parameter.
  struct LeadQuery {
    std::string where;  // SQL after WHERE
    std::vector<std::string> binds;
    std::string order;
    std::string deadline;  // "", "overdue", "warning" or "due" (either)
    int64_t page = 1, page_size = 20;
  };
  Result<LeadQuery> ParseLeadQuery(Ctx& c, ApiError* err) const;
  Result<std::vector<leads::Lead>> QueryLeads(Db* db, const LeadQuery& q, int64_t limit,
                                              int64_t offset, int64_t* total) const;

 private:
  ServerConfig config_;
  std::vector<Route> routes_;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Conn>> idle_;
  struct Rendered {
    std::string signature;  // the day and every column of the row
    std::string json;
  };
  std::mutex render_mu_;
  std::unordered_map<int64_t, Rendered> rendered_[2];  // [unmasked], by lead id
  leads::ReportRateLimiter report_limiter_;            // the public report routes, in memory only

 public:
  // Background work (api_data.cc): imports, quarantine fixes and scans run one
  // at a time on one thread, as SQLite has one writer; later ones queue. Jobs
  // live in memory (the history is in the store).
  struct Job {
    int64_t id = 0;
    std::string kind, user;        // "import", "fix", "scan"; who started it ("user:<name>")
    std::string state = "queued";  // queued, running, done, failed
    std::string created_at, started_at, finished_at;
    nlohmann::json info, progress, result;  // what it works on, how far it is, what it gave
    Status error;
  };
  // Runs on the queue's thread; reports progress as it goes.
  using JobWork =
      std::function<Result<nlohmann::json>(const std::function<void(nlohmann::json)>& progress)>;
  int64_t SubmitJob(std::string kind, std::string user, nlohmann::json info, JobWork work);
  // A copy of the job, after waiting up to `wait_ms` for it to finish; false when unknown.
  bool GetJob(int64_t id, Job* out, int wait_ms = 0);
  std::vector<Job> RecentJobs(const std::string& kind);
  // Rows entered through the importer (register, close, publish, a meeting)
  // queue as jobs behind the imports. The work gets a store of its own and a
  // scratch folder ("<db>.uploads/<work_name>-…") removed afterwards.
  using EntryWork =
      std::function<Result<nlohmann::json>(Store* store, const std::string& work_dir)>;
  int64_t SubmitEntryJob(Ctx& c, std::string kind, nlohmann::json info,
                         const std::string& work_name, EntryWork work);
  // Waits up to a minute for the entry job; true when done. Else *answer is
  // the reply: 500 when lost, the error (its field by `field_of`) when
  // failed, 202 with `queued` plus the job and its state while it waits.
  using FieldOfError = std::string (*)(const Status&);
  bool AwaitEntryJob(int64_t id, FieldOfError field_of, const nlohmann::json& queued, Job* job,
                     Response* answer);
  // A job as GET /api/imports/jobs/{job} and /api/scans/jobs/{job} show it.
  static nlohmann::json JobJson(const Job& job);
  // The job the route's {job} names, when it is of one of `kinds` (and, with
  // `mine_only`, started by this user); else false with the 404 in *err, the
  // same whether the job does not exist or is another's.
  bool FindJob(Ctx& c, std::initializer_list<std::string_view> kinds, bool mine_only, Job* out,
               Response* err);

 private:
  struct JobQueue;
  std::mutex jobs_mu_;
  std::shared_ptr<JobQueue> jobs_;  // made by the first use; last, so it stops first
  JobQueue& Jobs();
};

// POST /api/enforcement/{id}/media: a recording, large, spooled to disk.
inline bool IsMediaUpload(std::string_view method, std::string_view path) {
  return method == "POST" && path.starts_with("/api/enforcement/") && path.ends_with("/media");
}

// Today in Asia/Shanghai, "YYYY-MM-DD"; seconds since the Unix epoch.
std::string Today();
int64_t NowUnix();

}  // namespace qf::server
