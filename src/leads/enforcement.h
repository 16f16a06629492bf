// 执法公示 and 全过程记录: administrative enforcement cases, their publication
// deadlines and the audio-video record of the whole process.
//
// Cases are the current rows of the `enforcement` dataset, imported or entered
// here through ingest::EnterRecords (register, close, publish each write a new
// version of the row, so every change is versioned and committed by the ledger
// like an imported file), each with a ledger action naming who did it.
//
// 全过程记录: a media file (audio, video, photo, document) attached to a case is
// kept content-addressed beside the imported files (`<db>.files/<sha[0:2]>/<sha>`,
// written to a temporary file and renamed; the same content is kept once). Its
// row in `enforcement_media` (migration 10) is committed by a file leaf
// (ledger::FileLeafData, source "#enforcement_media", ref = the row's id);
// reading a file checks its SHA-256 and the row against that leaf.
//
// EnforcementPublication (行政执法公示): penalty and licence decisions within 7 working days
// of closure, inspection results (enterprise information) within 20, over the
// holiday calendar with 调休. Publishing writes published_at into the row, a
// row in `enforcement_publications` with the public text, and a ledger action.
// Nothing is unpublished; a correction is a new publication that supersedes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "ledger/audit.h"
#include "store/db.h"
#include "store/store.h"

namespace qf::leads {

// ---------------------------------------------------------------------------
// Parameters

struct EnforcementParams {
  int decision_working_days = 7;     // 处罚, 许可: working days after closure
  int inspection_working_days = 20;  // 检查: enterprise information
};
// Defaults, then the settings file: "enforcement": {"decision_working_days": 7,
// "inspection_working_days": 20}. Without an explicit decision_working_days,
// the late_publication model's max_working_days is used, so the board and the
// model judge alike. A missing file gives the defaults.
Result<EnforcementParams> LoadEnforcementParams(const std::string& settings_path);

// The working days a kind allows; nullopt for a kind without a publication
// deadline (强制).
std::optional<int> PublicationDays(const EnforcementParams& p, std::string_view kind);
// Whether a kind must carry an audio-video record of the whole process.
bool NeedsAvRecord(std::string_view kind);

// ---------------------------------------------------------------------------
// EnforcementPublication state, judged as of a day

enum class PubState { kNotDue, kDue, kOverdue, kOnTime, kLate };
const char* PubStateName(PubState s);  // "not_due", "due", "overdue", "on_time", "late"
const char* PubStateZh(PubState s);  // 未到期, 待公示, 逾期未公示, 按期公示, 逾期公示

struct PubDeadline {
  PubState state = PubState::kNotDue;
  int64_t deadline_day = 0;  // day number; 0 when the case has no deadline
  int days_left = 0;         // kDue: working days after as_of up to the deadline
  int days_late = 0;         // kOverdue, kLate: working days past the deadline
};
// closed_day / published_day: day numbers, or nullopt. A closure or a
// publication after `as_of` is not yet known on that day.
PubDeadline JudgePublication(std::optional<int64_t> closed_day,
                             std::optional<int64_t> published_day, std::optional<int> working_days,
                             int64_t as_of_day);

// ---------------------------------------------------------------------------
// Cases

struct EnforcementCase {
  std::string case_id, org, target_party, kind, started_at, closed_at, result, published_at, source;
  std::vector<std::string> inspector_ids;
  std::optional<int64_t> penalty_fen;
  std::optional<bool> has_av_record;
  // From the registers: a company's name (`companies`); a person is never named here.
  bool target_is_person = false;
  std::string target_name;
  // Derived.
  PubDeadline deadline;
  int64_t media_count = 0, av_media = 0;  // av: audio or video files
  bool missing_av = false;                // NeedsAvRecord, no flag and no AV file
};

// Every current case the `visible` predicate accepts (by org; null = all),
// judged as of `as_of_day`, newest start first.
using EnforcementOrgFilter = std::function<bool(const std::string& org)>;
Result<std::vector<EnforcementCase>> LoadEnforcementCases(
    Db* db, const EnforcementParams& p, int64_t as_of_day,
    const EnforcementOrgFilter& visible = nullptr);
// One case; NotFound when there is none.
Result<EnforcementCase> LoadEnforcementCase(Db* db, const EnforcementParams& p, int64_t as_of_day,
                                            const std::string& case_id);

struct EnforcementFilter {
  std::string kind, state, q;  // state: a PubStateName, or "missing_av"
  std::string org;
  int year = 0;  // of started_at
  int64_t limit = 50, offset = 0;
};
// Filters and pages judged cases; `total` gets the count before paging.
std::vector<EnforcementCase> FilterEnforcementCases(const std::vector<EnforcementCase>& all,
                                                    const EnforcementFilter& f, int64_t* total);

struct EnforcementBoard {
  std::string as_of;
  int64_t total = 0;
  std::map<std::string, int64_t> by_state;  // every PubStateName, zero when none
  std::map<std::string, int64_t> by_kind;
  int64_t missing_av = 0;
  std::vector<EnforcementCase> overdue;   // most late first (at most `list_limit`)
  std::vector<EnforcementCase> due_soon;  // fewest days left first
  std::vector<EnforcementCase> missing;   // missing 全过程记录, newest first
};
EnforcementBoard MakeEnforcementBoard(const std::vector<EnforcementCase>& cases, int64_t as_of_day,
                                      size_t list_limit = 50);

// Register a new case (InvalidInput when the case id exists). Written through
// EnterRecords under `work_dir`; ledger action "enforcement_register".
struct NewEnforcementCase {
  std::string case_id, org, target_party, kind, started_at, source;
  std::vector<std::string> inspector_ids;  // at least 2 except for 许可
  std::optional<bool> has_av_record;
};
Result<EnforcementCase> RegisterEnforcementCase(Store* store, const NewEnforcementCase& c,
                                                const std::string& work_dir,
                                                const std::string& actor);

// Close an open case with its result (InvalidInput when closed already or
// before it started; a penalty only for 处罚). Action "enforcement_close".
struct EnforcementClosure {
  std::string closed_at, result;
  std::optional<int64_t> penalty_fen;
  std::optional<bool> has_av_record;
};
Result<EnforcementCase> CloseEnforcementCase(Store* store, const std::string& case_id,
                                             const EnforcementClosure& c,
                                             const std::string& work_dir, const std::string& actor);

// ---------------------------------------------------------------------------
// 全过程记录 media

struct AvMediaType {
  std::string mime;   // "video/mp4", "audio/mpeg", "image/jpeg", "application/pdf", …
  std::string klass;  // "video", "audio", "photo", "document"
  std::string ext;    // canonical extension, without the dot
};
// The type from the first bytes (at least 16 when the file has them) and the
// file name: mp4, mov, m4a, avi, mkv, mp3, wav, jpg, png, pdf. InvalidInput
// for anything else, and for a name whose extension claims another type.
Result<AvMediaType> DetectAvMediaType(std::string_view head, std::string_view file_name);

struct AvMedia {
  int64_t id = 0;
  std::string case_id, sha256, file_name, mime, klass, recorded_at, uploaded_by, uploaded_at;
  int64_t size = 0;
  bool existed = false;  // AttachAvMedia: the case already had this content
};
struct AvMediaUpload {
  std::string case_id, file_name;
  std::string recorded_at;  // when recorded (datetime), optional
};
inline constexpr const char* kMediaSource = "#enforcement_media";
// The kept copy's path: "<files_dir>/<sha[0:2]>/<sha>".
std::string AvMediaPath(const std::string& files_dir, const std::string& sha256);

// Keeps the file at `src_path` (read once: hashed while copied to a temporary
// file in `files_dir`, then renamed unless that content is kept already),
// then in one transaction the row and its file leaf, plus an action
// "enforcement_media". The same content attached to the same case again
// returns the existing row (existed = true).
Result<AvMedia> AttachAvMedia(Db* db, const std::string& files_dir, const AvMediaUpload& up,
                              const std::string& src_path, const std::string& actor);
// The same for bytes in memory.
Result<AvMedia> AttachAvMediaBytes(Db* db, const std::string& files_dir, const AvMediaUpload& up,
                                   std::string_view bytes, const std::string& actor);
Result<std::vector<AvMedia>> AvMediaOf(Db* db, const std::string& case_id);
// The bytes of one file of the case, checked: the row against its ledger leaf
// and the bytes against the SHA-256. Corruption when either differs; NotFound
// when the case has no such file.
Result<std::string> ReadAvMedia(Db* db, const std::string& files_dir, const std::string& case_id,
                                const std::string& sha256, AvMedia* row = nullptr);
// The same, streamed into `out_path` (written to a temporary file, renamed
// only when the hash holds).
Result<AvMedia> CopyAvMedia(Db* db, const std::string& files_dir, const std::string& case_id,
                            const std::string& sha256, const std::string& out_path);

// Every media row against its ledger leaf and every kept file against its
// SHA-256; leaves of the source without a row. Problems as sentences.
struct AvMediaVerification {
  int64_t files = 0;
  std::vector<std::string> problems_en, problems_zh;
  bool ok() const { return problems_en.empty(); }
};
Result<AvMediaVerification> VerifyAvMedia(Db* db, const std::string& files_dir);
// The ledger's verification with the recordings' bytes checked too (the
// ledger stage cannot read this stage's tables): the problems of
// VerifyAvMedia added to `report` as edits of dataset "enforcement_media".
Status AddAvMediaProblems(Db* db, const std::string& files_dir, ledger::VerifyReport* report);

// ---------------------------------------------------------------------------
// EnforcementPublication

struct EnforcementPublishInput {
  std::string decision_no;             // 决定书文号: required for 处罚 and 许可
  std::string result;                  // "" = the case's result
  std::optional<int64_t> penalty_fen;  // nullopt = the case's penalty
  std::string published_at;            // "" = now
  std::string reason;                  // required for a correction (the case is published already)
};
struct EnforcementPublication {
  int64_t id = 0, supersedes = 0, superseded_by = 0;
  std::string case_id, decision_no, result, public_text, published_at, reason, published_by,
      created_at;
  int64_t penalty_fen = 0;
};
// The first publication sets published_at in the case (a new version through
// EnterRecords) and adds a publication row; a later one is a correction that
// supersedes the latest (published_at in the case stays the first). Ledger
// action "enforcement_publish" or "enforcement_correct". InvalidInput for an
// open case, a publication before closure or in the future. Everything is
// checked first (the case's new row included); the publication row and its
// action are committed before the case's new version, so a failure between
// the two leaves a publication whose case version is missing: the next call
// completes that version (returning the publication when the input is the
// same) instead of publishing a correction.
Result<EnforcementPublication> PublishEnforcementCase(Store* store, const std::string& case_id,
                                                      const EnforcementPublishInput& in,
                                                      const std::string& work_dir,
                                                      const std::string& actor);
Result<std::vector<EnforcementPublication>> EnforcementPublicationsOf(Db* db,
                                                                      const std::string& case_id);

// The public list: published decisions, the latest publication's text. A
// natural person is shown as "自然人" with no name or code; ID numbers and
// phone numbers are removed from the text; no inspectors. For a person whose
// name `persons` does not know, the clerk's text is not shown at all: the
// result is the structured facts (kind, decision number, penalty, dates).
struct PublicDecision {
  std::string case_id, org, kind, target_name, target_code, result, decided_on, published_at;
  int64_t penalty_fen = 0;
};
struct PublicDecisionFilter {
  std::string org, kind, q;
  int year = 0;  // of decided_on (or published_at when not closed)
  int64_t limit = 20, offset = 0;
};
Result<std::vector<PublicDecision>> PublicDecisions(Db* db, const PublicDecisionFilter& f,
                                                    int64_t* total);
// Text made fit for the public: every run of 15 or 18 ID-like characters
// (digits, the last may be X), valid or not, becomes "***", phones masked,
// and `person_name` (when given) becomes "当事人".
std::string PublicEnforcementText(std::string_view text, std::string_view person_name = "");

}  // namespace qf::leads
