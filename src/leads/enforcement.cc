#include "leads/enforcement.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "common/calendar.h"
#include "common/hash.h"
#include "common/text.h"
#include "ingest/dataset.h"
#include "ingest/identifiers.h"
#include "ingest/quarantine.h"
#include "ingest/value.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "store/blob_store.h"

namespace qf::leads {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

std::optional<int64_t> DayOf(std::string_view s) {
  if (s.size() < 10) return std::nullopt;
  auto d = ParseDate(s.substr(0, 10));
  if (!d) return std::nullopt;
  return DaysFromCivil(d->year, d->month, d->day);
}

std::string DayText(int64_t day) { return FormatDate(CivilFromDays(day)); }

bool IsPerson(std::string_view party) {
  auto p = NormalizeParty(party);
  return p.ok() && p->kind == PartyKind::kPerson;
}

std::vector<std::string> SplitIds(std::string_view v) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= v.size()) {
    size_t end = v.find(';', start);
    if (end == std::string_view::npos) end = v.size();
    std::string_view id = Trim(v.substr(start, end - start));
    if (!id.empty()) out.emplace_back(id);
    start = end + 1;
  }
  return out;
}

std::string YuanText(int64_t fen) {
  std::string sign = fen < 0 ? "-" : "";
  uint64_t a = fen < 0 ? static_cast<uint64_t>(-(fen + 1)) + 1 : static_cast<uint64_t>(fen);
  std::string cents = std::to_string(a % 100);
  if (cents.size() < 2) cents = "0" + cents;
  return sign + std::to_string(a / 100) + "." + cents;
}

Status Refuse(const std::string& en, const std::string& zh) { return Status::InvalidInput(en, zh); }

// A datetime as the dataset stores it, or InvalidInput naming the field.
Result<std::string> NormalizeDateTime(const std::string& text, const char* field,
                                      const char* field_zh) {
  auto secs = ParseDateTime(text);
  if (!secs) {
    return Refuse(std::string(field) + " must be a date and time (YYYY-MM-DD HH:MM[:SS])",
                  std::string(field_zh) + "应为时间（YYYY-MM-DD HH:MM[:SS]）：" + text);
  }
  return FormatLocalDateTime(*secs);
}

Status RecordAction(Db* db, const std::string& actor, const std::string& action,
                    const std::string& case_id, const json& details) {
  ledger::Action a;
  a.actor = actor;
  a.action = action;
  a.target = "enforcement:" + case_id;
  a.details_json = details.dump();
  return ledger::RecordAction(db, a).status();
}

constexpr const char* kCaseSelect =
    "SELECT e.case_id, e.org, e.target_party, e.inspector_id_numbers, e.kind, e.started_at, "
    "e.closed_at, e.result, e.penalty_amount, e.has_av_record, e.published_at, e.source, c.name, "
    "(SELECT COUNT(*) FROM enforcement_media m WHERE m.case_id = e.case_id), "
    "(SELECT COUNT(*) FROM enforcement_media m WHERE m.case_id = e.case_id "
    "AND m.klass IN ('video', 'audio')) "
    "FROM enforcement e LEFT JOIN companies c ON c.credit_code = e.target_party";

EnforcementCase ReadCase(Stmt& st, const EnforcementParams& p, int64_t as_of_day) {
  EnforcementCase r;
  r.case_id = st.Text(0);
  r.org = st.Text(1);
  r.target_party = st.Text(2);
  r.inspector_ids = SplitIds(st.TextView(3));
  r.kind = st.Text(4);
  r.started_at = st.Text(5);
  r.closed_at = st.Text(6);
  r.result = st.Text(7);
  if (!st.IsNull(8)) r.penalty_fen = st.Int(8);
  if (!st.IsNull(9)) r.has_av_record = st.Int(9) != 0;
  r.published_at = st.Text(10);
  r.source = st.Text(11);
  r.target_is_person = IsPerson(r.target_party);
  if (!r.target_is_person) r.target_name = st.Text(12);
  r.media_count = st.Int(13);
  r.av_media = st.Int(14);
  r.missing_av = NeedsAvRecord(r.kind) && !r.has_av_record.value_or(false) && r.av_media == 0;
  r.deadline = JudgePublication(DayOf(r.closed_at), DayOf(r.published_at),
                                PublicationDays(p, r.kind), as_of_day);
  return r;
}

// The row as EnterRecords takes it: every declared column, so the new version
// keeps what is not changed.
std::map<std::string, std::string> AsRecord(const EnforcementCase& r) {
  std::string ids;
  for (const std::string& id : r.inspector_ids) ids += (ids.empty() ? "" : ";") + id;
  return {{"case_id", r.case_id},
          {"org", r.org},
          {"target_party", r.target_party},
          {"inspector_id_numbers", ids},
          {"kind", r.kind},
          {"started_at", r.started_at},
          {"closed_at", r.closed_at},
          {"result", r.result},
          {"penalty_amount", r.penalty_fen ? YuanText(*r.penalty_fen) : ""},
          {"has_av_record", r.has_av_record ? (*r.has_av_record ? "1" : "0") : ""},
          {"published_at", r.published_at},
          {"source", r.source}};
}

// A label for the entry's CSV name: [A-Za-z0-9_-] only.
std::string EntryLabel(const std::string& action, const std::string& case_id) {
  static std::atomic<int> counter{0};
  return action + "-" + ToHex(Sha256(case_id)).substr(0, 12) + "-" + std::to_string(::getpid()) +
         "-" + std::to_string(counter++);
}

Status Enter(Store* store, const EnforcementCase& r, const std::string& work_dir,
             const std::string& action) {
  std::error_code ec;
  fs::create_directories(work_dir, ec);
  QF_ASSIGN_OR_RETURN(EntryResult res, EnterRecords(store, "enforcement", {AsRecord(r)}, work_dir,
                                                    EntryLabel(action, r.case_id)));
  if (!res.problems.empty()) {
    const QuarantineEntry& q = res.problems.front();
    return Refuse(q.column + ": " + q.reason_en, q.column + "：" + q.reason_zh);
  }
  return Status::OK();
}

bool GoodCaseId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (unsigned char ch : id) {
    if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\' || ch == ';') return false;
  }
  return IsValidUtf8(id);
}

bool GoodFileName(const std::string& n) {
  if (n.empty() || n.size() > 200 || n == "." || n == "..") return false;
  for (unsigned char ch : n) {
    if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\') return false;
  }
  return IsValidUtf8(n);
}

std::string Lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------
// Parameters and deadlines

Result<EnforcementParams> LoadEnforcementParams(const std::string& settings_path) {
  EnforcementParams p;
  std::ifstream in(settings_path);
  if (!in) return p;
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Refuse(settings_path + ": not a JSON object", settings_path + "：不是有效的 JSON 对象");
  }
  // The late_publication model's limit, unless the section below sets one.
  if (auto m = j.find("models"); m != j.end() && m->is_object()) {
    if (auto lp = m->find("late_publication"); lp != m->end() && lp->is_object()) {
      if (auto v = lp->find("max_working_days"); v != lp->end()) {
        int64_t n = -1;
        if (v->is_number_integer()) n = v->get<int64_t>();
        if (v->is_string()) n = std::atoll(v->get<std::string>().c_str());
        if (n >= 1 && n <= 250) p.decision_working_days = static_cast<int>(n);
      }
    }
  }
  auto e = j.find("enforcement");
  if (e == j.end()) return p;
  if (!e->is_object()) {
    return Refuse(settings_path + ": \"enforcement\" must be an object",
                  settings_path + "：\"enforcement\" 必须是对象");
  }
  for (auto& [name, value] : e->items()) {
    int* out = name == "decision_working_days"     ? &p.decision_working_days
               : name == "inspection_working_days" ? &p.inspection_working_days
                                                   : nullptr;
    if (out == nullptr) {
      return Refuse(settings_path + ": unknown setting enforcement." + name,
                    settings_path + "：未知的设置项 enforcement." + name);
    }
    if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > 250) {
      return Refuse(
          settings_path + ": enforcement." + name + " must be a whole number from 1 to 250",
          settings_path + "：enforcement." + name + " 应为 1 到 250 之间的整数");
    }
    *out = static_cast<int>(value.get<int64_t>());
  }
  return p;
}

std::optional<int> PublicationDays(const EnforcementParams& p, std::string_view kind) {
  if (kind == "处罚" || kind == "许可") return p.decision_working_days;
  if (kind == "检查") return p.inspection_working_days;
  return std::nullopt;
}

bool NeedsAvRecord(std::string_view kind) { return kind == "处罚" || kind == "强制"; }

const char* PubStateName(PubState s) {
  switch (s) {
    case PubState::kNotDue:
      return "not_due";
    case PubState::kDue:
      return "due";
    case PubState::kOverdue:
      return "overdue";
    case PubState::kOnTime:
      return "on_time";
    case PubState::kLate:
      return "late";
  }
  return "";
}

const char* PubStateZh(PubState s) {
  switch (s) {
    case PubState::kNotDue:
      return "未到期";
    case PubState::kDue:
      return "待公示";
    case PubState::kOverdue:
      return "逾期未公示";
    case PubState::kOnTime:
      return "按期公示";
    case PubState::kLate:
      return "逾期公示";
  }
  return "";
}

PubDeadline JudgePublication(std::optional<int64_t> closed_day,
                             std::optional<int64_t> published_day, std::optional<int> working_days,
                             int64_t as_of_day) {
  PubDeadline d;
  if (published_day && *published_day > as_of_day) published_day.reset();
  if (!closed_day || *closed_day > as_of_day) return d;  // still open on that day
  if (!working_days) {
    if (published_day) d.state = PubState::kOnTime;
    return d;
  }
  d.deadline_day = AddWorkingDaysDays(*closed_day, *working_days);
  if (published_day) {
    if (*published_day <= d.deadline_day) {
      d.state = PubState::kOnTime;
    } else {
      d.state = PubState::kLate;
      d.days_late = WorkingDaysBetweenDays(d.deadline_day, *published_day);
    }
  } else if (as_of_day <= d.deadline_day) {
    d.state = PubState::kDue;
    d.days_left = WorkingDaysBetweenDays(as_of_day, d.deadline_day);
  } else {
    d.state = PubState::kOverdue;
    d.days_late = WorkingDaysBetweenDays(d.deadline_day, as_of_day);
  }
  return d;
}

// ---------------------------------------------------------------------------
// Cases

Result<std::vector<EnforcementCase>> LoadEnforcementCases(Db* db, const EnforcementParams& p,
                                                          int64_t as_of_day,
                                                          const EnforcementOrgFilter& visible) {
  QF_ASSIGN_OR_RETURN(
      Stmt st, db->Prepare(std::string(kCaseSelect) + " ORDER BY e.started_at DESC, e.case_id"));
  std::vector<EnforcementCase> out;
  std::unordered_map<std::string, bool> seen;  // org → visible
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    if (visible) {
      std::string org = st.Text(1);
      auto it = seen.find(org);
      if (it == seen.end()) it = seen.emplace(org, visible(org)).first;
      if (!it->second) continue;
    }
    out.push_back(ReadCase(st, p, as_of_day));
  }
  return out;
}

Result<EnforcementCase> LoadEnforcementCase(Db* db, const EnforcementParams& p, int64_t as_of_day,
                                            const std::string& case_id) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare(std::string(kCaseSelect) + " WHERE e.case_id = ?"));
  st.BindText(1, case_id);
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row)
    return Status::NotFound("there is no enforcement case " + case_id + " (没有这个执法案件)");
  return ReadCase(st, p, as_of_day);
}

std::vector<EnforcementCase> FilterEnforcementCases(const std::vector<EnforcementCase>& all,
                                                    const EnforcementFilter& f, int64_t* total) {
  std::vector<EnforcementCase> out;
  int64_t n = 0;
  for (const EnforcementCase& r : all) {
    if (!f.kind.empty() && r.kind != f.kind) continue;
    if (!f.org.empty() && r.org != f.org) continue;
    if (f.year != 0 && r.started_at.compare(0, 4, std::to_string(f.year)) != 0) continue;
    if (f.state == "missing_av") {
      if (!r.missing_av) continue;
    } else if (!f.state.empty() && f.state != PubStateName(r.deadline.state)) {
      continue;
    }
    if (!f.q.empty()) {
      bool hit = false;
      for (const std::string* s : {&r.case_id, &r.org, &r.target_name, &r.result}) {
        hit |= s->find(f.q) != std::string::npos;
      }
      if (!r.target_is_person) hit |= r.target_party.find(f.q) != std::string::npos;
      if (!hit) continue;
    }
    if (n >= f.offset && (f.limit <= 0 || static_cast<int64_t>(out.size()) < f.limit)) {
      out.push_back(r);
    }
    ++n;
  }
  if (total != nullptr) *total = n;
  return out;
}

EnforcementBoard MakeEnforcementBoard(const std::vector<EnforcementCase>& cases, int64_t as_of_day,
                                      size_t list_limit) {
  EnforcementBoard b;
  b.as_of = DayText(as_of_day);
  for (PubState s : {PubState::kNotDue, PubState::kDue, PubState::kOverdue, PubState::kOnTime,
                     PubState::kLate}) {
    b.by_state[PubStateName(s)] = 0;
  }
  for (const EnforcementCase& r : cases) {
    // A case registered after the day is not on that day's board.
    auto started = DayOf(r.started_at);
    if (started && *started > as_of_day) continue;
    ++b.total;
    ++b.by_state[PubStateName(r.deadline.state)];
    ++b.by_kind[r.kind];
    if (r.missing_av) {
      ++b.missing_av;
      if (b.missing.size() < list_limit) b.missing.push_back(r);
    }
    if (r.deadline.state == PubState::kOverdue) b.overdue.push_back(r);
    if (r.deadline.state == PubState::kDue) b.due_soon.push_back(r);
  }
  std::stable_sort(b.overdue.begin(), b.overdue.end(),
                   [](const EnforcementCase& a, const EnforcementCase& c) {
                     return a.deadline.days_late > c.deadline.days_late;
                   });
  std::stable_sort(b.due_soon.begin(), b.due_soon.end(),
                   [](const EnforcementCase& a, const EnforcementCase& c) {
                     return a.deadline.days_left < c.deadline.days_left;
                   });
  if (b.overdue.size() > list_limit) b.overdue.resize(list_limit);
  if (b.due_soon.size() > list_limit) b.due_soon.resize(list_limit);
  return b;
}

Result<EnforcementCase> RegisterEnforcementCase(Store* store, const NewEnforcementCase& c,
                                                const std::string& work_dir,
                                                const std::string& actor) {
  if (!GoodCaseId(c.case_id)) {
    return Refuse("case_id must be 1–64 bytes without / \\ ; or control characters",
                  "执法案件编号（case_id）应为1–64字节，不含 / \\ ; 或控制字符");
  }
  const int64_t today =
      DaysFromCivil(TodayShanghai().year, TodayShanghai().month, TodayShanghai().day);
  auto existing = LoadEnforcementCase(store->db(), {}, today, c.case_id);
  if (existing.ok()) {
    return Refuse("case " + c.case_id + " exists already", "执法案件" + c.case_id + "已存在");
  }
  if (existing.status().code() != Status::Code::kNotFound) return existing.status();
  if (c.kind != "许可" && c.inspector_ids.size() < 2) {
    return Refuse("inspector_id_numbers: at least two inspectors are required",
                  "执法人员身份证号（inspector_id_numbers）：执法人员不得少于两人");
  }
  for (size_t i = 0; i < c.inspector_ids.size(); ++i) {
    for (size_t k = 0; k < i; ++k) {
      if (Trim(c.inspector_ids[i]) == Trim(c.inspector_ids[k])) {
        return Refuse("inspector_id_numbers: an inspector is listed twice",
                      "执法人员身份证号（inspector_id_numbers）：同一执法人员重复");
      }
    }
  }
  EnforcementCase r;
  r.case_id = c.case_id;
  r.org = std::string(Trim(c.org));
  r.target_party = std::string(Trim(c.target_party));
  r.inspector_ids = c.inspector_ids;
  r.kind = c.kind;
  r.started_at = c.started_at;
  r.source = c.source;
  r.has_av_record = c.has_av_record;
  // The case's row and its action: all or nothing (the import is a savepoint).
  Transaction tx(store->db());
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_RETURN_IF_ERROR(Enter(store, r, work_dir, "register"));
  QF_RETURN_IF_ERROR(RecordAction(store->db(), actor, "enforcement_register", c.case_id,
                                  {{"org", r.org}, {"kind", r.kind}}));
  QF_RETURN_IF_ERROR(tx.Commit());
  return LoadEnforcementCase(store->db(), {}, today, c.case_id);
}

Result<EnforcementCase> CloseEnforcementCase(Store* store, const std::string& case_id,
                                             const EnforcementClosure& c,
                                             const std::string& work_dir,
                                             const std::string& actor) {
  const CivilDate t = TodayShanghai();
  const int64_t today = DaysFromCivil(t.year, t.month, t.day);
  QF_ASSIGN_OR_RETURN(EnforcementCase r, LoadEnforcementCase(store->db(), {}, today, case_id));
  if (!r.closed_at.empty()) {
    return Refuse("case " + case_id + " was closed already (" + r.closed_at + ")",
                  "执法案件" + case_id + "已于" + r.closed_at + "结案");
  }
  QF_ASSIGN_OR_RETURN(std::string closed, NormalizeDateTime(c.closed_at, "closed_at", "结束时间"));
  if (closed < r.started_at) {
    return Refuse("closed_at is before the case started (" + r.started_at + ")",
                  "结束时间早于开始时间（" + r.started_at + "）");
  }
  if (closed > NowShanghai()) {
    return Refuse("closed_at is in the future", "结束时间不能晚于现在");
  }
  std::string result(Trim(c.result));
  if (result.empty() || result.size() > 4000) {
    return Refuse("result is required (at most 4000 bytes)",
                  "处理结果（result）必须填写，最多4000字节");
  }
  if (c.penalty_fen) {
    if (*c.penalty_fen < 0) {
      return Refuse("penalty_fen must not be negative", "罚没金额不能为负数");
    }
    if (*c.penalty_fen > 0 && r.kind != "处罚") {
      return Refuse("only a 处罚 case has a penalty", "只有行政处罚案件可填写罚没金额");
    }
    r.penalty_fen = *c.penalty_fen;
  }
  if (c.has_av_record) r.has_av_record = *c.has_av_record;
  r.closed_at = closed;
  r.result = result;
  Transaction tx(store->db());
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_RETURN_IF_ERROR(Enter(store, r, work_dir, "close"));
  QF_RETURN_IF_ERROR(
      RecordAction(store->db(), actor, "enforcement_close", case_id,
                   {{"closed_at", closed}, {"penalty_fen", r.penalty_fen.value_or(0)}}));
  QF_RETURN_IF_ERROR(tx.Commit());
  return LoadEnforcementCase(store->db(), {}, today, case_id);
}

// ---------------------------------------------------------------------------
// Media

Result<AvMediaType> DetectAvMediaType(std::string_view head, std::string_view file_name) {
  std::string name(file_name);
  size_t dot = name.rfind('.');
  std::string ext = dot == std::string::npos ? "" : Lower(name.substr(dot + 1));
  auto at = [&](size_t off, std::string_view magic) {
    return head.size() >= off + magic.size() && head.substr(off, magic.size()) == magic;
  };
  auto u = [&](size_t i) { return i < head.size() ? static_cast<unsigned char>(head[i]) : 0; };
  // What the content is, and the extensions that may name it.
  AvMediaType t;
  std::vector<std::string> exts;
  if (at(4, "ftyp")) {
    std::string brand(head.size() >= 12 ? head.substr(8, 4) : "");
    std::string kind = ext == "mov" || ext == "m4a" || ext == "mp4" || ext == "m4v" ? ext
                       : brand.starts_with("qt")                                    ? "mov"
                       : brand.starts_with("M4A") || brand.starts_with("M4B")       ? "m4a"
                                                                                    : "mp4";
    t = kind == "mov"   ? AvMediaType{"video/quicktime", "video", "mov"}
        : kind == "m4a" ? AvMediaType{"audio/mp4", "audio", "m4a"}
                        : AvMediaType{"video/mp4", "video", "mp4"};
    exts = {"mp4", "m4v", "mov", "m4a"};
  } else if (at(0, "RIFF") && at(8, "AVI ")) {
    t = {"video/x-msvideo", "video", "avi"};
    exts = {"avi"};
  } else if (at(0, "RIFF") && at(8, "WAVE")) {
    t = {"audio/wav", "audio", "wav"};
    exts = {"wav"};
  } else if (u(0) == 0x1A && u(1) == 0x45 && u(2) == 0xDF && u(3) == 0xA3) {
    t = {"video/x-matroska", "video", "mkv"};
    exts = {"mkv"};
  } else if (at(0, "ID3") || (ext == "mp3" && u(0) == 0xFF && (u(1) & 0xE0) == 0xE0)) {
    t = {"audio/mpeg", "audio", "mp3"};
    exts = {"mp3"};
  } else if (u(0) == 0xFF && u(1) == 0xD8 && u(2) == 0xFF) {
    t = {"image/jpeg", "photo", "jpg"};
    exts = {"jpg", "jpeg"};
  } else if (at(0, "\x89PNG\r\n\x1a\n")) {
    t = {"image/png", "photo", "png"};
    exts = {"png"};
  } else if (at(0, "%PDF-")) {
    t = {"application/pdf", "document", "pdf"};
    exts = {"pdf"};
  } else {
    return Refuse(
        "unsupported file type" + (ext.empty() ? std::string() : " (." + ext + ")") +
            ": only audio or video (mp4, mov, avi, mkv, mp3, wav, m4a), photos (jpg, png) and "
            "PDF documents can be attached",
        "不支持的文件类型" + (ext.empty() ? std::string() : "（." + ext + "）") +
            "：全过程记录只接受音视频（mp4、mov、avi、mkv、mp3、wav、m4a）、照片（jpg、png）和 PDF "
            "文书");
  }
  if (!ext.empty() && std::find(exts.begin(), exts.end(), ext) == exts.end()) {
    return Refuse("the file name says ." + ext + " but the content is " + t.ext,
                  "文件扩展名为 ." + ext + "，但内容是 " + t.ext + " 文件");
  }
  return t;
}

std::string AvMediaPath(const std::string& files_dir, const std::string& sha256) {
  return BlobPath(files_dir, sha256);
}

namespace {

// Writes into a temporary file in the files folder, hashing as it goes; Keep()
// renames it to its content address (unless a good copy is there already).
class MediaWriter {
 public:
  explicit MediaWriter(std::string files_dir) : dir_(std::move(files_dir)) {}
  ~MediaWriter() {
    if (fd_ >= 0) ::close(fd_);
    if (!tmp_.empty()) {
      std::error_code ec;
      fs::remove(tmp_, ec);
    }
  }
  Status Open() {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) return Status::IOError("cannot create " + dir_ + ": " + ec.message());
    static std::atomic<int> counter{0};
    tmp_ =
        dir_ + "/.incoming-media-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) return Status::IOError("cannot write " + tmp_ + ": " + std::strerror(errno));
    return Status::OK();
  }
  Status Write(std::string_view data) {
    if (head_.size() < 64) head_ += data.substr(0, 64 - head_.size());
    hash_.Update(data);
    size_ += static_cast<int64_t>(data.size());
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Status::IOError("cannot write " + tmp_ + ": " + std::strerror(errno));
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::OK();
  }
  const std::string& head() const { return head_; }
  int64_t size() const { return size_; }
  // Closes, hashes and moves the file to its place; returns the hex SHA-256.
  Result<std::string> Keep() {
    if (::fsync(fd_) != 0 || ::close(fd_) != 0) {
      fd_ = -1;
      return Status::IOError("cannot write " + tmp_ + " (disk full?)");
    }
    fd_ = -1;
    std::string sha = ToHex(hash_.Finish());
    // The blob store renames it into place, or drops it when a good copy is
    // kept already (a damaged copy is replaced).
    Status kept = KeepBlobFile(tmp_, AvMediaPath(dir_, sha), sha);
    tmp_.clear();
    QF_RETURN_IF_ERROR(kept);
    return sha;
  }

 private:
  std::string dir_, tmp_, head_;
  int fd_ = -1;
  Sha256Stream hash_;
  int64_t size_ = 0;
};

std::string MediaLeafData(const AvMedia& m) {
  return ledger::FileLeafData(m.sha256, m.size, m.file_name, "enforcement_media:" + m.case_id, m.id,
                              m.uploaded_at);
}

constexpr const char* kMediaCols =
    "id, case_id, sha256, size, file_name, mime, klass, recorded_at, uploaded_by, uploaded_at";

AvMedia ReadMediaRow(Stmt& st) {
  AvMedia m;
  m.id = st.Int(0);
  m.case_id = st.Text(1);
  m.sha256 = st.Text(2);
  m.size = st.Int(3);
  m.file_name = st.Text(4);
  m.mime = st.Text(5);
  m.klass = st.Text(6);
  m.recorded_at = st.Text(7);
  m.uploaded_by = st.Text(8);
  m.uploaded_at = st.Text(9);
  return m;
}

// The leaf hash the ledger holds for a media row; false when there is none.
Result<bool> StoredLeaf(Db* db, int64_t id, Digest* out) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT l.hash FROM ledger_leaves l JOIN ledger_sources "
                                           "s ON s.id = l.src WHERE s.name = ? AND l.ref = ?"));
  st.BindText(1, kMediaSource);
  st.BindInt(2, id);
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row || sqlite3_column_bytes(st.raw(), 0) != 32) return false;
  std::memcpy(out->data(), sqlite3_column_blob(st.raw(), 0), 32);
  return true;
}

Status CheckRowAgainstLedger(Db* db, const AvMedia& m) {
  Digest stored{};
  QF_ASSIGN_OR_RETURN(bool has, StoredLeaf(db, m.id, &stored));
  if (!has) {
    return Status::Corruption("media " + std::to_string(m.id) + " (" + m.sha256 +
                              ") is not in the ledger");
  }
  if (merkle::LeafHash(MediaLeafData(m)) != stored) {
    return Status::Corruption("media row " + std::to_string(m.id) +
                              " differs from what the ledger committed to");
  }
  return Status::OK();
}

Result<AvMedia> FindMedia(Db* db, const std::string& case_id, const std::string& sha) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare(std::string("SELECT ") + kMediaCols +
                                           " FROM enforcement_media WHERE case_id = ? AND "
                                           "sha256 = ? ORDER BY id LIMIT 1"));
  st.BindText(1, case_id);
  st.BindText(2, sha);
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("case " + case_id + " has no file " + sha + " (没有这个文件)");
  return ReadMediaRow(st);
}

Result<AvMedia> Attach(Db* db, const std::string& files_dir, const AvMediaUpload& up,
                       const std::function<Status(MediaWriter&)>& fill, const std::string& actor) {
  if (!GoodFileName(up.file_name)) {
    return Refuse("the file name is missing or not allowed (1–200 bytes, no / \\)",
                  "文件名缺失或不合法（1–200字节，不含 / \\）");
  }
  std::string recorded;
  if (!up.recorded_at.empty()) {
    QF_ASSIGN_OR_RETURN(recorded, NormalizeDateTime(up.recorded_at, "recorded_at", "录制时间"));
  }
  {
    QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT 1 FROM enforcement WHERE case_id = ?"));
    st.BindText(1, up.case_id);
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) {
      return Status::NotFound("there is no enforcement case " + up.case_id + " (没有这个执法案件)");
    }
  }
  MediaWriter w(files_dir);
  QF_RETURN_IF_ERROR(w.Open());
  QF_RETURN_IF_ERROR(fill(w));
  if (w.size() == 0) return Refuse("the file is empty", "文件内容为空");
  QF_ASSIGN_OR_RETURN(AvMediaType type, DetectAvMediaType(w.head(), up.file_name));
  QF_ASSIGN_OR_RETURN(std::string sha, w.Keep());

  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  auto found = FindMedia(db, up.case_id, sha);
  if (found.ok()) {
    found->existed = true;
    return found;
  }
  if (found.status().code() != Status::Code::kNotFound) return found.status();
  AvMedia m;
  m.case_id = up.case_id;
  m.sha256 = sha;
  m.size = w.size();
  m.file_name = up.file_name;
  m.mime = type.mime;
  m.klass = type.klass;
  m.recorded_at = recorded;
  m.uploaded_by = actor;
  m.uploaded_at = NowShanghai();
  QF_ASSIGN_OR_RETURN(
      Stmt ins, db->Prepare("INSERT INTO enforcement_media(case_id, sha256, size, file_name, mime, "
                            "klass, recorded_at, uploaded_by, uploaded_at) VALUES "
                            "(?,?,?,?,?,?,?,?,?)"));
  ins.BindText(1, m.case_id);
  ins.BindText(2, m.sha256);
  ins.BindInt(3, m.size);
  ins.BindText(4, m.file_name);
  ins.BindText(5, m.mime);
  ins.BindText(6, m.klass);
  ins.BindText(7, m.recorded_at);
  ins.BindText(8, m.uploaded_by);
  ins.BindText(9, m.uploaded_at);
  QF_RETURN_IF_ERROR(ins.Run());
  m.id = db->LastInsertId();
  QF_ASSIGN_OR_RETURN(auto led, ledger::Ledger::Open(db));
  QF_ASSIGN_OR_RETURN(int64_t src, led->SourceId(kMediaSource));
  QF_RETURN_IF_ERROR(led->AppendLeafHash(src, m.id, merkle::LeafHash(MediaLeafData(m))));
  ledger::Action a;
  a.actor = actor;
  a.action = "enforcement_media";
  a.target = "enforcement:" + m.case_id;
  a.details_json = json{{"media", m.id},       {"sha256", m.sha256}, {"size", m.size},
                        {"name", m.file_name}, {"mime", m.mime},     {"recorded_at", m.recorded_at}}
                       .dump();
  QF_RETURN_IF_ERROR(led->AppendAction(a).status());
  QF_RETURN_IF_ERROR(led->Flush());
  QF_RETURN_IF_ERROR(tx.Commit());
  return m;
}

}  // namespace

Result<AvMedia> AttachAvMedia(Db* db, const std::string& files_dir, const AvMediaUpload& up,
                              const std::string& src_path, const std::string& actor) {
  return Attach(
      db, files_dir, up,
      [&src_path](MediaWriter& w) -> Status {
        std::ifstream in(src_path, std::ios::binary);
        if (!in || fs::is_directory(src_path)) {
          return Refuse("cannot read file " + src_path, "无法读取文件：" + src_path);
        }
        std::vector<char> buf(1 << 20);
        while (in) {
          in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
          if (in.gcount() > 0) {
            QF_RETURN_IF_ERROR(
                w.Write(std::string_view(buf.data(), static_cast<size_t>(in.gcount()))));
          }
        }
        if (in.bad()) return Status::IOError("cannot read " + src_path);
        return Status::OK();
      },
      actor);
}

Result<AvMedia> AttachAvMediaBytes(Db* db, const std::string& files_dir, const AvMediaUpload& up,
                                   std::string_view bytes, const std::string& actor) {
  return Attach(
      db, files_dir, up, [bytes](MediaWriter& w) { return w.Write(bytes); }, actor);
}

Result<std::vector<AvMedia>> AvMediaOf(Db* db, const std::string& case_id) {
  QF_ASSIGN_OR_RETURN(Stmt st,
                      db->Prepare(std::string("SELECT ") + kMediaCols +
                                  " FROM enforcement_media WHERE case_id = ? ORDER BY id"));
  st.BindText(1, case_id);
  std::vector<AvMedia> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadMediaRow(st));
  }
  return out;
}

Result<std::string> ReadAvMedia(Db* db, const std::string& files_dir, const std::string& case_id,
                                const std::string& sha256, AvMedia* row) {
  QF_ASSIGN_OR_RETURN(AvMedia m, FindMedia(db, case_id, sha256));
  QF_RETURN_IF_ERROR(CheckRowAgainstLedger(db, m));
  std::ifstream in(AvMediaPath(files_dir, m.sha256), std::ios::binary);
  if (!in) return Status::Corruption("the kept file " + m.sha256 + " is missing");
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (ToHex(Sha256(bytes)) != m.sha256) {
    return Status::Corruption("the bytes of file " + m.sha256 + " (" + m.file_name +
                              ") changed after it was kept");
  }
  if (row != nullptr) *row = m;
  return bytes;
}

Result<AvMedia> CopyAvMedia(Db* db, const std::string& files_dir, const std::string& case_id,
                            const std::string& sha256, const std::string& out_path) {
  QF_ASSIGN_OR_RETURN(AvMedia m, FindMedia(db, case_id, sha256));
  QF_RETURN_IF_ERROR(CheckRowAgainstLedger(db, m));
  std::ifstream in(AvMediaPath(files_dir, m.sha256), std::ios::binary);
  if (!in) return Status::Corruption("the kept file " + m.sha256 + " is missing");
  std::string tmp = out_path + ".part";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::InvalidInput("cannot write " + out_path, "无法写入文件：" + out_path);
    Sha256Stream h;
    std::vector<char> buf(1 << 20);
    while (in) {
      in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
      std::string_view chunk(buf.data(), static_cast<size_t>(in.gcount()));
      h.Update(chunk);
      out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    }
    out.close();
    std::error_code ec;
    if (!out || in.bad()) {
      fs::remove(tmp, ec);
      return Status::IOError("cannot copy into " + out_path);
    }
    if (ToHex(h.Finish()) != m.sha256) {
      fs::remove(tmp, ec);
      return Status::Corruption("the bytes of file " + m.sha256 + " (" + m.file_name +
                                ") changed after it was kept");
    }
  }
  std::error_code ec;
  fs::rename(tmp, out_path, ec);
  if (ec) return Status::IOError("cannot write " + out_path + ": " + ec.message());
  return m;
}

Result<AvMediaVerification> VerifyAvMedia(Db* db, const std::string& files_dir) {
  AvMediaVerification v;
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare(std::string("SELECT ") + kMediaCols +
                                           " FROM enforcement_media ORDER BY id"));
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    AvMedia m = ReadMediaRow(st);
    ++v.files;
    const std::string label = std::to_string(m.id) + " (" + m.case_id + ", " + m.file_name + ")";
    Status s = CheckRowAgainstLedger(db, m);
    if (!s.ok()) {
      v.problems_en.push_back("media " + label + ": " + s.message());
      v.problems_zh.push_back("全过程记录文件" + label + "的记录与账本不符");
    }
    auto h = HashBlobFile(AvMediaPath(files_dir, m.sha256));
    if (!h.ok()) {
      v.problems_en.push_back("media " + label + ": the kept file is missing");
      v.problems_zh.push_back("全过程记录文件" + label + "已丢失");
    } else if (*h != m.sha256) {
      v.problems_en.push_back("media " + label + ": the file's bytes changed (SHA-256 " + *h +
                              ", recorded " + m.sha256 + ")");
      v.problems_zh.push_back("全过程记录文件" + label + "的内容被改动（SHA-256 不符）");
    }
  }
  QF_ASSIGN_OR_RETURN(Stmt orphans,
                      db->Prepare("SELECT l.idx, l.ref FROM ledger_leaves l JOIN ledger_sources s "
                                  "ON s.id = l.src WHERE s.name = ? AND l.ref NOT IN "
                                  "(SELECT id FROM enforcement_media)"));
  orphans.BindText(1, kMediaSource);
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, orphans.Step());
    if (!row) break;
    v.problems_en.push_back("media row " + std::to_string(orphans.Int(1)) + " (ledger leaf " +
                            std::to_string(orphans.Int(0)) + ") was deleted");
    v.problems_zh.push_back("全过程记录文件" + std::to_string(orphans.Int(1)) + "（账本第" +
                            std::to_string(orphans.Int(0)) + "号叶子）已被删除");
  }
  return v;
}

// ---------------------------------------------------------------------------
// EnforcementPublication

namespace {

constexpr const char* kPubCols =
    "p.id, p.case_id, p.decision_no, p.result, p.penalty_fen, p.public_text, p.published_at, "
    "COALESCE(p.supersedes, 0), p.reason, p.published_by, p.created_at, "
    "(SELECT MIN(q.id) FROM enforcement_publications q WHERE q.supersedes = p.id)";

EnforcementPublication ReadPublication(Stmt& st) {
  EnforcementPublication p;
  p.id = st.Int(0);
  p.case_id = st.Text(1);
  p.decision_no = st.Text(2);
  p.result = st.Text(3);
  p.penalty_fen = st.Int(4);
  p.public_text = st.Text(5);
  p.published_at = st.Text(6);
  p.supersedes = st.Int(7);
  p.reason = st.Text(8);
  p.published_by = st.Text(9);
  p.created_at = st.Text(10);
  p.superseded_by = st.IsNull(11) ? 0 : st.Int(11);
  return p;
}

Result<std::string> PersonName(Db* db, const std::string& id_number) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT name FROM persons WHERE id_number = ?"));
  st.BindText(1, id_number);
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Text(0) : std::string();
}

std::string PublicSummary(const std::string& kind, const std::string& decision_no,
                          const std::string& result, int64_t penalty_fen) {
  std::string s;
  if (!decision_no.empty()) {
    s += (kind == "许可"   ? "许可决定书文号："
          : kind == "处罚" ? "处罚决定书文号："
                           : "文书号：") +
         decision_no + "；";
  }
  s += "处理结果：" + result;
  if (penalty_fen > 0) s += "；罚没金额：" + YuanText(penalty_fen) + "元";
  return s;
}

// What is published of a decision about a natural person whose name the
// registers do not know: the clerk's free text could name them, so only the
// structured facts.
std::string StructuredPublicText(const std::string& kind, const std::string& decision_no,
                                 int64_t penalty_fen, const std::string& decided_on,
                                 const std::string& published_at) {
  std::string s = "执法类别：" + kind;
  if (!decision_no.empty()) s += "；决定书文号：" + decision_no;
  if (penalty_fen > 0) s += "；罚没金额：" + YuanText(penalty_fen) + "元";
  if (!decided_on.empty()) s += "；决定日期：" + decided_on.substr(0, 10);
  if (!published_at.empty()) s += "；公示日期：" + published_at.substr(0, 10);
  // The decision number is free text too.
  return PublicEnforcementText(s);
}

// The case's row checked as EnterRecords will check it, so a refusal comes
// before anything is written.
Status CheckCaseRecord(const EnforcementCase& r) {
  const DatasetDef* def = FindDataset("enforcement");
  if (def == nullptr) return Status::Internal("the enforcement dataset is not defined");
  for (const auto& [name, text] : AsRecord(r)) {
    const int at = def->ColumnIndex(name);
    if (at < 0) return Status::Internal("enforcement has no column " + name);
    const ColumnDef& col = def->columns[static_cast<size_t>(at)];
    Result<Value> v = ParseValue(col, Cell{text});
    if (!v.ok()) {
      return Status::InvalidInput(
          col.name + ": " + v.status().message(),
          col.DisplayName() + "（" + col.name + "）：" + v.status().message_zh());
    }
    if (v->is_null() && col.required) {
      return Status::InvalidInput(col.name + " is required",
                                  col.DisplayName() + "（" + col.name + "）必须填写");
    }
  }
  return Status::OK();
}

}  // namespace

std::string PublicEnforcementText(std::string_view text, std::string_view person_name) {
  const std::string t(text);
  // Every run of 15 or 18 ID-like characters (digits, the last may be X) goes,
  // valid or not: a mistyped check digit still identifies the person.
  std::string out;
  size_t i = 0;
  auto digit = [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) != 0; };
  while (i < t.size()) {
    if (!digit(t[i])) {
      out += t[i++];
      continue;
    }
    size_t j = i;
    while (j < t.size() && digit(t[j])) ++j;
    if (j < t.size() && (t[j] == 'X' || t[j] == 'x')) ++j;
    const size_t n = j - i;
    if (n == 15 || n == 18) {
      out += "***";
    } else {
      out.append(t, i, n);
    }
    i = j;
  }
  out = MaskPersonalIds(out);  // phones
  if (!person_name.empty()) {
    std::string name(person_name);
    for (size_t at = out.find(name); at != std::string::npos; at = out.find(name, at)) {
      out.replace(at, name.size(), "当事人");
      at += std::string("当事人").size();
    }
  }
  return out;
}

Result<EnforcementPublication> PublishEnforcementCase(Store* store, const std::string& case_id,
                                                      const EnforcementPublishInput& in,
                                                      const std::string& work_dir,
                                                      const std::string& actor) {
  Db* db = store->db();
  const CivilDate t = TodayShanghai();
  QF_ASSIGN_OR_RETURN(EnforcementCase r,
                      LoadEnforcementCase(db, {}, DaysFromCivil(t.year, t.month, t.day), case_id));
  if (r.closed_at.empty()) {
    return Refuse("case " + case_id + " is not closed; only a decision can be published",
                  "执法案件" + case_id + "尚未结案，不能公示");
  }
  std::string decision_no(Trim(in.decision_no));
  if (decision_no.size() > 100 || !IsValidUtf8(decision_no)) {
    return Refuse("decision_no is longer than 100 bytes",
                  "决定书文号（decision_no）过长（最多100字节）");
  }
  if (decision_no.empty() && (r.kind == "处罚" || r.kind == "许可")) {
    return Refuse(
        "decision_no (the decision's document number) is required for a " + r.kind + " decision",
        r.kind + "决定公示须填写决定书文号（decision_no）");
  }
  std::string published = NowShanghai();
  if (!in.published_at.empty()) {
    QF_ASSIGN_OR_RETURN(published, NormalizeDateTime(in.published_at, "published_at", "公示时间"));
    if (published > NowShanghai()) {
      return Refuse("published_at is in the future", "公示时间不能晚于现在");
    }
  }
  if (published < r.closed_at) {
    return Refuse("published_at is before the case was closed (" + r.closed_at + ")",
                  "公示时间早于结案时间（" + r.closed_at + "）");
  }
  std::string result(Trim(in.result.empty() ? r.result : in.result));
  if (result.empty() || result.size() > 4000) {
    return Refuse("result is required (at most 4000 bytes)",
                  "处理结果（result）必须填写，最多4000字节");
  }
  int64_t penalty = in.penalty_fen.value_or(r.penalty_fen.value_or(0));
  if (penalty < 0) return Refuse("penalty_fen must not be negative", "罚没金额不能为负数");
  if (penalty > 0 && r.kind != "处罚") {
    return Refuse("only a 处罚 case has a penalty", "只有行政处罚案件可填写罚没金额");
  }
  std::error_code ec;
  fs::create_directories(work_dir, ec);
  if (ec) return Status::IOError("cannot create " + work_dir + ": " + ec.message());
  QF_ASSIGN_OR_RETURN(std::vector<EnforcementPublication> pubs,
                      EnforcementPublicationsOf(db, case_id));

  // The publication row and its action are committed before the case's new
  // version (EnterRecords commits on its own). A failure between the two
  // leaves a publication whose case version is missing: the retry completes
  // that version instead of publishing a correction.
  const EnforcementPublication* latest = nullptr;
  for (const EnforcementPublication& q : pubs) {
    if (q.superseded_by == 0) latest = &q;
  }
  if (latest != nullptr) {
    const bool same = latest->decision_no == decision_no && latest->result == result &&
                      latest->penalty_fen == penalty;
    const bool version_missing = r.published_at.empty() || r.result != latest->result ||
                                 r.penalty_fen.value_or(0) != latest->penalty_fen;
    if (version_missing && (r.published_at.empty() || same)) {
      EnforcementCase next = r;
      next.result = latest->result;
      if (latest->penalty_fen > 0 || r.penalty_fen) next.penalty_fen = latest->penalty_fen;
      if (next.published_at.empty()) next.published_at = pubs.front().published_at;
      QF_RETURN_IF_ERROR(CheckCaseRecord(next));
      QF_RETURN_IF_ERROR(
          Enter(store, next, work_dir, latest->supersedes > 0 ? "correct" : "publish"));
      if (same) return *latest;
      QF_ASSIGN_OR_RETURN(
          r, LoadEnforcementCase(db, {}, DaysFromCivil(t.year, t.month, t.day), case_id));
    }
  }

  const bool correction = !pubs.empty() || !r.published_at.empty();
  std::string reason(Trim(in.reason));
  if (correction && reason.empty()) {
    return Refuse("case " + case_id + " is published already; a correction needs a reason",
                  "执法案件" + case_id + "已公示，更正须说明理由（reason）");
  }
  if (reason.size() > 1000) return Refuse("reason is too long", "更正理由过长（最多1000字节）");
  std::string person;
  if (r.target_is_person) {
    QF_ASSIGN_OR_RETURN(person, PersonName(db, r.target_party));
  }
  // A person the registers cannot name could be named in the clerk's text:
  // then only the structured facts are published.
  const std::string public_text =
      r.target_is_person && person.empty()
          ? StructuredPublicText(r.kind, decision_no, penalty, r.closed_at, published)
          : PublicEnforcementText(PublicSummary(r.kind, decision_no, result, penalty), person);

  // The case's new version: the published result and penalty; published_at
  // stays the first publication's. Checked now, written last.
  EnforcementCase next = r;
  next.result = result;
  if (penalty > 0 || r.penalty_fen) next.penalty_fen = penalty;
  if (next.published_at.empty()) next.published_at = published;
  QF_RETURN_IF_ERROR(CheckCaseRecord(next));

  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(auto led, ledger::Ledger::Open(db));
  int64_t supersedes = 0;
  for (const EnforcementPublication& q : pubs) {
    if (q.superseded_by == 0) supersedes = q.id;
  }
  EnforcementPublication p;
  p.case_id = case_id;
  p.decision_no = decision_no;
  p.result = result;
  p.penalty_fen = penalty;
  p.public_text = public_text;
  p.published_at = published;
  p.supersedes = supersedes;
  p.reason = reason;
  p.published_by = actor;
  p.created_at = NowShanghai();
  QF_ASSIGN_OR_RETURN(
      Stmt ins,
      db->Prepare("INSERT INTO enforcement_publications(case_id, decision_no, result, penalty_fen, "
                  "public_text, published_at, supersedes, reason, published_by, created_at) "
                  "VALUES (?,?,?,?,?,?,?,?,?,?)"));
  ins.BindText(1, p.case_id);
  ins.BindText(2, p.decision_no);
  ins.BindText(3, p.result);
  ins.BindInt(4, p.penalty_fen);
  ins.BindText(5, p.public_text);
  ins.BindText(6, p.published_at);
  if (supersedes > 0) {
    ins.BindInt(7, supersedes);
  } else {
    ins.BindNull(7);
  }
  ins.BindText(8, p.reason);
  ins.BindText(9, p.published_by);
  ins.BindText(10, p.created_at);
  QF_RETURN_IF_ERROR(ins.Run());
  p.id = db->LastInsertId();
  ledger::Action a;
  a.actor = actor;
  a.action = correction ? "enforcement_correct" : "enforcement_publish";
  a.target = "enforcement:" + case_id;
  a.details_json = json{{"publication", p.id},
                        {"decision_no", p.decision_no},
                        {"published_at", p.published_at},
                        {"penalty_fen", p.penalty_fen},
                        {"supersedes", p.supersedes},
                        {"reason", p.reason},
                        {"public_text_sha256", ToHex(Sha256(p.public_text))}}
                       .dump();
  QF_RETURN_IF_ERROR(led->AppendAction(a).status());
  QF_RETURN_IF_ERROR(led->Flush());
  QF_RETURN_IF_ERROR(tx.Commit());
  QF_RETURN_IF_ERROR(Enter(store, next, work_dir, correction ? "correct" : "publish"));
  return p;
}

Result<std::vector<EnforcementPublication>> EnforcementPublicationsOf(Db* db,
                                                                      const std::string& case_id) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare(std::string("SELECT ") + kPubCols +
                                           " FROM enforcement_publications p WHERE p.case_id = ? "
                                           "ORDER BY p.id"));
  st.BindText(1, case_id);
  std::vector<EnforcementPublication> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(ReadPublication(st));
  }
  return out;
}

Result<std::vector<PublicDecision>> PublicDecisions(Db* db, const PublicDecisionFilter& f,
                                                    int64_t* total) {
  std::string sql =
      "SELECT e.case_id, e.org, e.kind, e.target_party, e.result, e.penalty_amount, e.closed_at, "
      "e.published_at, c.name, pe.name, p.result, p.penalty_fen, p.decision_no "
      "FROM enforcement e LEFT JOIN companies c ON c.credit_code = e.target_party "
      "LEFT JOIN persons pe ON pe.id_number = e.target_party "
      "LEFT JOIN enforcement_publications p ON p.id = (SELECT MAX(id) FROM "
      "enforcement_publications q WHERE q.case_id = e.case_id) "
      "WHERE e.published_at IS NOT NULL";
  std::vector<std::string> binds;
  if (!f.org.empty()) {
    sql += " AND e.org = ?";
    binds.push_back(f.org);
  }
  if (!f.kind.empty()) {
    sql += " AND e.kind = ?";
    binds.push_back(f.kind);
  }
  sql += " ORDER BY e.published_at DESC, e.case_id";
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare(sql));
  for (size_t i = 0; i < binds.size(); ++i) st.BindText(static_cast<int>(i) + 1, binds[i]);
  std::vector<PublicDecision> out;
  int64_t n = 0;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    PublicDecision d;
    d.case_id = st.Text(0);
    d.org = st.Text(1);
    d.kind = st.Text(2);
    const std::string party = st.Text(3);
    const bool person = IsPerson(party);
    const bool has_pub = !st.IsNull(10);
    d.penalty_fen = has_pub ? st.Int(11) : (st.IsNull(5) ? 0 : st.Int(5));
    d.decided_on = st.IsNull(6) ? "" : st.Text(6).substr(0, 10);
    d.published_at = st.Text(7);
    const std::string person_name = person && !st.IsNull(9) ? st.Text(9) : std::string();
    if (person && person_name.empty()) {
      // Nobody can say whether the clerk's text names them: structured facts only.
      d.result = StructuredPublicText(d.kind, has_pub ? st.Text(12) : std::string(), d.penalty_fen,
                                      d.decided_on, d.published_at);
    } else {
      d.result = PublicEnforcementText(has_pub ? st.TextView(10) : st.TextView(4), person_name);
    }
    if (person) {
      d.target_name = "自然人";
    } else {
      d.target_name = st.Text(8);
      d.target_code = party;
    }
    if (f.year != 0) {
      const std::string& day = d.decided_on.empty() ? d.published_at : d.decided_on;
      if (day.compare(0, 4, std::to_string(f.year)) != 0) continue;
    }
    if (!f.q.empty()) {
      bool hit = false;
      for (const std::string* s : {&d.case_id, &d.org, &d.target_name, &d.target_code, &d.result}) {
        hit |= s->find(f.q) != std::string::npos;
      }
      if (!hit) continue;
    }
    if (n >= f.offset && (f.limit <= 0 || static_cast<int64_t>(out.size()) < f.limit)) {
      out.push_back(std::move(d));
    }
    ++n;
  }
  if (total != nullptr) *total = n;
  return out;
}

Status AddAvMediaProblems(Db* db, const std::string& files_dir, ledger::VerifyReport* report) {
  QF_ASSIGN_OR_RETURN(AvMediaVerification v, VerifyAvMedia(db, files_dir));
  for (size_t i = 0; i < v.problems_en.size(); ++i) {
    ledger::Problem p;
    p.kind = ledger::Problem::Kind::kEdited;
    p.dataset = "enforcement_media";
    p.detail_en = v.problems_en[i];
    p.detail_zh = i < v.problems_zh.size() ? v.problems_zh[i] : v.problems_en[i];
    report->problems.push_back(std::move(p));
  }
  return Status::OK();
}

}  // namespace qf::leads
