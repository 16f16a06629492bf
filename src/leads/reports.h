// Complaints and reports from the public (投诉、举报), possibly anonymous.
//
// What protects the person who reports:
//  - the receipt code (回执码) is a short public lookup id plus 100 random bits;
//    the store keeps the lookup id and an argon2id hash of the secret only, so a
//    copy of the database cannot be used to follow anybody's report;
//  - target, content, contact and attachments are sealed (libsodium sealed
//    boxes) to the office's key `<db>.office.key`: anybody can seal, only the
//    key's holder can open, and every opening is a ledger action;
//  - nothing here takes, stores or logs a network address: rate limits key on
//    an in-memory keyed hash of whatever the caller identifies the client by;
//  - times are kept to the minute, which makes matching a report with
//    another system's connection log harder.
// Workflow: 已受理 accepted → 办理中 in_progress → 已办结 closed, or 不予受理
// rejected; an analyst turns a report into a lead (问题线索) with one action.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "leads/workflow.h"
#include "store/db.h"

namespace qf::leads {

// complaint 投诉, report 举报.
const std::vector<Label>& ReportKinds();
// accepted 已受理, in_progress 办理中, closed 已办结, rejected 不予受理.
const std::vector<Label>& ReportStatuses();
// online 网上, letter 来信, visit 来访, phone 来电.
const std::vector<Label>& ReportChannels();

struct ReportLimits {
  size_t max_text_chars = 5000;  // content, in code points
  size_t max_attachment_bytes = size_t{10} << 20;
  size_t max_attachments = 5;
};

struct ReportFile {
  std::string name, mime;
  std::string bytes;
};

struct NewReport {
  std::string kind;  // "complaint" or "report"
  std::string channel = "online";
  std::string category;     // short free text, kept in clear (for lists and statistics)
  std::string region_code;  // 6 digits, or empty
  std::string target;       // the organisation or person named; sealed
  std::string content;      // required; sealed
  bool anonymous = true;
  std::string contact_name, contact_phone;  // only when not anonymous; sealed
  std::vector<ReportFile> attachments;      // each sealed
};

// Checks a submission against the limits; the error names the field (English, Chinese).
Status ValidateReport(const NewReport& r, const ReportLimits& limits, std::string* field);

// "<db>.office.key" and "<db>.reports" (the sealed attachments, by SHA-256 of the ciphertext).
std::string OfficeKeyPath(const std::string& db_path);
std::string ReportFilesDir(const std::string& db_path);

// The office's X25519 key pair for sealed boxes, created (0600) on first use.
class OfficeKey {
 public:
  static Result<OfficeKey> LoadOrCreate(const std::string& path);
  std::string Seal(std::string_view plaintext) const;
  Result<std::string> Open(std::string_view sealed) const;
  const std::array<uint8_t, 32>& public_key() const { return pk_; }
  ~OfficeKey();
  OfficeKey(const OfficeKey&) = default;
  OfficeKey& operator=(const OfficeKey&) = default;

 private:
  OfficeKey() = default;
  std::array<uint8_t, 32> pk_{}, sk_{};
};

// A receipt code: "JB7K2M9Q-XXXX-XXXX-XXXX-XXXX-XXXX" (Crockford base32): the
// lookup id (JB 举报 / TS 投诉 and six random characters) and 20 characters
// (100 bits) of secret.
struct Receipt {
  std::string lookup_id, secret;
  std::string Code() const;
};
Receipt NewReceipt(const std::string& kind);
// Accepts lower case, spaces and dashes anywhere, and O/I/L for 0/1/1. False
// when it is not shaped like a receipt code.
bool ParseReceipt(std::string_view code, Receipt* out);

struct SubmitResult {
  int64_t id = 0;
  std::string lookup_id;
  std::string receipt;  // shown once to the person; never stored
  std::string created_at;
};
// Seals and stores a submission in its own transaction, with a ledger action
// ("report_submit", by `actor`: "public" for the portal, the clerk otherwise)
// that carries no content.
Result<SubmitResult> SubmitReport(Db* db, const std::string& db_path, const NewReport& r,
                                  const std::string& actor, const ReportLimits& limits = {});

// What the person sees with the receipt code.
struct ReportPublicStatus {
  std::string lookup_id, kind, status, reply, updated_at;
};
// NotFound, with the same message and the same cost, for an unknown lookup id,
// a wrong secret and a malformed code.
Result<ReportPublicStatus> LookupReport(Db* db, std::string_view receipt_code);

// A report as lists show it: nothing sealed.
struct ReportSummary {
  int64_t id = 0;
  std::string lookup_id, kind, channel, category, region_code;
  bool anonymous = true;
  int64_t attachment_count = 0;
  std::string status, reply;
  int64_t lead_id = 0;  // 0: not a lead
  std::string created_at, updated_at;
};
struct ReportFilter {
  std::string kind, status, category, channel;
  // Region code prefixes ("2109"); a report matches when its code starts with one.
  // Empty: no limit. A report without a region matches no limited filter.
  std::vector<std::string> region_prefixes;
  int64_t limit = 50, offset = 0;
};
// Newest first; `total` counts every match.
Result<std::vector<ReportSummary>> ListReports(Db* db, const ReportFilter& f, int64_t* total);
// By lookup id ("JB7K2M9Q", any case) or by number; NotFound otherwise.
Result<ReportSummary> FindReport(Db* db, std::string_view ref);

struct ReportAttachmentInfo {
  int seq = 0;  // 1-based
  std::string name, mime, sha256;
  int64_t size = 0;
};
struct ReportDetail {
  ReportSummary summary;
  std::string target, content, contact_name, contact_phone;
  std::vector<ReportAttachmentInfo> attachments;
};
// Opens the sealed fields; records "report_read" by `actor` in the ledger first
// (without any plaintext), so no reading goes unrecorded.
Result<ReportDetail> ReadReport(Db* db, const std::string& db_path, int64_t id,
                                const std::string& actor);
// Opens attachment `seq`; checks the stored file against its SHA-256 and
// records "report_attachment_read".
Result<ReportFile> ReadReportAttachment(Db* db, const std::string& db_path, int64_t id, int seq,
                                        const std::string& actor);

// A status change and/or the public reply (either may be empty: unchanged).
// accepted → in_progress | closed | rejected; in_progress → closed | rejected;
// closed | rejected → in_progress (reopened). Own transaction, ledger action.
struct ReportUpdate {
  std::string status;
  bool set_reply = false;
  std::string reply;  // shown to the person: no personal data
};
inline constexpr size_t kMaxReplyChars = 2000;
// Checks the status name and the reply's length; the error names the field.
Status ValidateReportUpdate(const ReportUpdate& u, std::string* field);
Result<ReportSummary> UpdateReport(Db* db, int64_t id, const ReportUpdate& u,
                                   const std::string& actor);

// Turns the report into a lead (问题线索, model "public_report") in one
// transaction: the lead links back to the report (subject reports/<lookup id>),
// the report to the lead, an accepted report becomes in_progress, and the lead
// holds no sealed text — only who may read reports sees the content. Doing it
// again returns the same lead with `*created` false.
Result<int64_t> ReportToLead(Db* db, int64_t id, const std::string& actor, int score,
                             bool* created);

// In-memory rate limits for the public routes, per client and overall, over a
// sliding window. A client is remembered only as a keyed BLAKE2b hash under a
// key drawn at start-up, and only for the window: never persisted or logged.
class ReportRateLimiter {
 public:
  struct Limits {
    int window_seconds = 600;
    int submits_per_client = 5;
    int lookups_per_client = 30;
    int submits_overall = 300;
    int lookups_overall = 3000;
  };
  enum class Kind { kSubmit = 0, kLookup = 1 };
  ReportRateLimiter();
  explicit ReportRateLimiter(Limits limits);
  // Counts one attempt; false (and not counted) when it would pass a limit.
  bool Allow(Kind kind, std::string_view client, int64_t now_seconds);
  // Clients remembered right now (for tests of the pruning).
  size_t clients() const;

 private:
  using Key = std::array<uint8_t, 16>;
  struct KeyHash {
    size_t operator()(const Key& k) const;
  };
  void Prune(int64_t now);
  Limits limits_;
  std::array<uint8_t, 32> key_{};
  mutable std::mutex mu_;
  std::unordered_map<Key, std::deque<int64_t>, KeyHash> per_client_[2];
  std::deque<int64_t> overall_[2];
  int64_t last_prune_ = 0;
};

}  // namespace qf::leads
