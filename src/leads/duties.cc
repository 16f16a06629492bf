#include "leads/duties.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unordered_map>

#include "common/calendar.h"
#include "common/hash.h"
#include "common/xlsx_writer.h"
#include "ingest/identifiers.h"
#include "ingest/value.h"
#include "leads/scope.h"
#include "ledger/ledger.h"
#include "store/blob_store.h"

namespace qf::leads {

namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------------------
// Vocabulary

bool IsDutyKind(std::string_view kind) { return kind == kDutyBusiness || kind == kDutyIntegrity; }

std::optional<DutyFrequency> ParseDutyFrequency(std::string_view s) {
  if (s == "月度" || s == "monthly") return DutyFrequency::kMonthly;
  if (s == "季度" || s == "quarterly") return DutyFrequency::kQuarterly;
  if (s == "半年" || s == "half_yearly") return DutyFrequency::kHalfYearly;
  if (s == "年度" || s == "yearly") return DutyFrequency::kYearly;
  return std::nullopt;
}

const char* DutyFrequencyZh(DutyFrequency f) {
  switch (f) {
    case DutyFrequency::kMonthly:
      return "月度";
    case DutyFrequency::kQuarterly:
      return "季度";
    case DutyFrequency::kHalfYearly:
      return "半年";
    case DutyFrequency::kYearly:
      return "年度";
  }
  return "";
}

namespace {

int MonthsPer(DutyFrequency f) {
  switch (f) {
    case DutyFrequency::kMonthly:
      return 1;
    case DutyFrequency::kQuarterly:
      return 3;
    case DutyFrequency::kHalfYearly:
      return 6;
    case DutyFrequency::kYearly:
      return 12;
  }
  return 12;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

}  // namespace

int64_t PeriodOf(DutyFrequency f, const CivilDate& d) {
  const int per = MonthsPer(f);
  return static_cast<int64_t>(d.year) * (12 / per) + (d.month - 1) / per;
}

CivilDate PeriodFirstDay(DutyFrequency f, int64_t period) {
  const int per = MonthsPer(f);
  const int64_t n = 12 / per;
  int64_t year = FloorDiv(period, n);
  int index = static_cast<int>(period - year * n);
  return CivilDate{static_cast<int>(year), index * per + 1, 1};
}

CivilDate PeriodLastDay(DutyFrequency f, int64_t period) {
  CivilDate next = PeriodFirstDay(f, period + 1);
  return CivilFromDays(DaysFromCivil(next.year, next.month, next.day) - 1);
}

std::string PeriodLabel(DutyFrequency f, int64_t period) {
  CivilDate d = PeriodFirstDay(f, period);
  char buf[32];
  switch (f) {
    case DutyFrequency::kMonthly:
      std::snprintf(buf, sizeof buf, "%04d-%02d", d.year, d.month);
      break;
    case DutyFrequency::kQuarterly:
      std::snprintf(buf, sizeof buf, "%04dQ%d", d.year, (d.month - 1) / 3 + 1);
      break;
    case DutyFrequency::kHalfYearly:
      std::snprintf(buf, sizeof buf, "%04dH%d", d.year, (d.month - 1) / 6 + 1);
      break;
    case DutyFrequency::kYearly:
      std::snprintf(buf, sizeof buf, "%04d", d.year);
      break;
  }
  return buf;
}

int CheckResultPoints(std::string_view result) {
  if (result == "好") return 4;
  if (result == "较好") return 3;
  if (result == "一般") return 2;
  if (result == "差") return 1;
  return 0;
}

// ---------------------------------------------------------------------------
// Parameters

Result<DutyParams> LoadDutyParams(const std::string& settings_path) {
  DutyParams p;
  std::ifstream in(settings_path, std::ios::binary);
  if (!in) return p;
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (!j.is_object() || !j.contains("duties")) return p;
  const json& d = j["duties"];
  if (!d.is_object()) {
    return Status::InvalidInput(settings_path + ": \"duties\" must be an object",
                                settings_path + "：\"duties\" 必须是对象");
  }
  for (auto& [name, value] : d.items()) {
    if (name == "warn_working_days") {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 60) {
        return Status::InvalidInput(
            settings_path + ": duties.warn_working_days must be a whole number 0–60",
            settings_path + "：duties.warn_working_days 应为0至60之间的整数");
      }
      p.warn_working_days = static_cast<int>(value.get<int64_t>());
    } else if (name == "good_min" || name == "fair_min" || name == "pass_min") {
      if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 100) {
        return Status::InvalidInput(settings_path + ": duties." + name + " must be 0–100",
                                    settings_path + "：duties." + name + " 应为0至100之间的数");
      }
      (name == "good_min"   ? p.good_min
       : name == "fair_min" ? p.fair_min
                            : p.pass_min) = value.get<double>();
    } else {
      return Status::InvalidInput(settings_path + ": unknown setting duties." + name,
                                  settings_path + "：未知的设置 duties." + name);
    }
  }
  if (!(p.pass_min <= p.fair_min && p.fair_min <= p.good_min)) {
    return Status::InvalidInput(
        settings_path + ": duties needs pass_min ≤ fair_min ≤ good_min",
        settings_path + "：duties 的等级分数线应满足 pass_min ≤ fair_min ≤ good_min");
  }
  return p;
}

// ---------------------------------------------------------------------------
// Helpers

namespace {

int64_t DayOf(const CivilDate& d) { return DaysFromCivil(d.year, d.month, d.day); }
int64_t DayOf(const std::string& ymd) {
  auto d = ParseDate(ymd);
  return d ? DayOf(*d) : 0;
}
CivilDate DateOf(const std::string& ymd) {
  auto d = ParseDate(ymd);
  return d ? *d : CivilDate{1970, 1, 1};
}

// A date field: "" gives `fallback`; else a date in any spelling the importer
// accepts, returned as YYYY-MM-DD.
Result<std::string> NormaliseDate(const std::string& v, const CivilDate& fallback,
                                  const char* field, const char* field_zh) {
  if (v.empty()) return FormatDate(fallback);
  auto d = ParseDate(v);
  if (!d) {
    return Status::InvalidInput(std::string(field) + " must be a date YYYY-MM-DD, not " + v,
                                std::string(field_zh) + "应为日期 YYYY-MM-DD，而不是“" + v + "”");
  }
  return FormatDate(*d);
}

Status NeedText(const std::string& v, size_t max, const char* field, const char* field_zh) {
  if (v.empty()) {
    return Status::InvalidInput(std::string(field) + " is required",
                                std::string(field_zh) + "必须填写");
  }
  if (v.size() > max) {
    return Status::InvalidInput(
        std::string(field) + " is too long (at most " + std::to_string(max) + " bytes)",
        std::string(field_zh) + "过长");
  }
  return Status::OK();
}

// A write: a transaction with the ledger open in it.
template <typename Fn>
Status InLedgerTx(Db* db, Fn fn) {
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(auto led, ledger::Ledger::Open(db));
  QF_RETURN_IF_ERROR(fn(led.get()));
  QF_RETURN_IF_ERROR(led->Flush());
  return tx.Commit();
}

// The history row and the ledger action of one change.
Status Record(Db* db, ledger::Ledger* led, int64_t item_id, const std::string& actor,
              const std::string& action, const json& details, const std::string& at) {
  QF_ASSIGN_OR_RETURN(Stmt h, db->Prepare("INSERT INTO duty_history(item_id, at, actor, action, "
                                          "details_json) VALUES (?1, ?2, ?3, ?4, ?5)"));
  h.BindInt(1, item_id);
  h.BindText(2, at);
  h.BindText(3, actor);
  h.BindText(4, action);
  h.BindText(5, details.dump());
  QF_RETURN_IF_ERROR(h.Run());
  ledger::Action a;
  a.actor = actor;
  a.action = action;
  a.target = "duty:" + std::to_string(item_id);
  a.details_json = details.dump();
  a.time = at;
  return led->AppendAction(a).status();
}

constexpr const char* kItemSelect =
    "SELECT i.id, i.year, i.leader_id, i.leader_name, i.org, i.region_code, i.post, i.area, "
    "i.kind, i.task, i.assigned_on, i.due_on, i.frequency, i.status, i.status_reason, "
    "i.evidence, i.completed_on, i.cancelled_on, i.created_by, i.created_at, i.updated_by, "
    "i.updated_at, (SELECT COUNT(*) FROM duty_checks c WHERE c.item_id = i.id AND c.checked_on "
    "<= ?1), (SELECT COALESCE(MAX(checked_on), '') FROM duty_checks c WHERE c.item_id = i.id "
    "AND c.checked_on <= ?1), (SELECT COUNT(*) FROM duty_attachments a WHERE a.item_id = i.id) "
    "FROM duty_items i ";

DutyItem ItemFromRow(const Stmt& q) {
  DutyItem it;
  it.id = q.Int(0);
  it.year = static_cast<int>(q.Int(1));
  it.leader_id = q.Text(2);
  it.leader_name = q.Text(3);
  it.org = q.Text(4);
  it.region_code = q.Text(5);
  it.post = q.Text(6);
  it.area = q.Text(7);
  it.kind = q.Text(8);
  it.task = q.Text(9);
  it.assigned_on = q.Text(10);
  it.due_on = q.Text(11);
  it.frequency = q.Text(12);
  it.status = q.Text(13);
  it.status_reason = q.Text(14);
  it.evidence = q.Text(15);
  it.completed_on = q.Text(16);
  it.cancelled_on = q.Text(17);
  it.created_by = q.Text(18);
  it.created_at = q.Text(19);
  it.updated_by = q.Text(20);
  it.updated_at = q.Text(21);
  it.checks = q.Int(22);
  it.last_check_on = q.Text(23);
  it.attachments = q.Int(24);
  return it;
}

Result<DutyItem> LoadItem(Db* db, int64_t id, const std::string& as_of = "9999-12-31") {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(std::string(kItemSelect) + "WHERE i.id = ?2"));
  q.BindText(1, as_of);
  q.BindInt(2, id);
  QF_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return Status::NotFound("no responsibility item " + std::to_string(id));
  }
  return ItemFromRow(q);
}

Status NeedOpen(const DutyItem& it) {
  if (it.status == "open") return Status::OK();
  const std::string zh = it.status == "done" ? "已完成" : "已取消";
  return Status::InvalidInput(
      "responsibility item " + std::to_string(it.id) + " is " + it.status + ", not open",
      "责任事项 " + std::to_string(it.id) + " " + zh + "，不能再办理");
}

struct Official {
  std::string name, org, post, region_code;
};

// The leader's current `officials` row (no end date; the latest start first).
Result<Official> CurrentOfficial(Db* db, const std::string& id_number) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT name, org, COALESCE(position, ''), "
                                          "COALESCE(org_code, '') FROM officials WHERE id_number "
                                          "= ?1 AND (end_date IS NULL OR end_date = '') ORDER BY "
                                          "start_date DESC LIMIT 1"));
  q.BindText(1, id_number);
  QF_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return Status::InvalidInput(
        "leader_id " + MaskLeaderId(id_number) + " is not an official in post (officials)",
        "身份证号 " + MaskLeaderId(id_number) + " 不是在职公职人员（公职人员名单中没有在任记录）");
  }
  Official o{q.Text(0), q.Text(1), q.Text(2), RegionOfCreditCode(q.TextView(3))};
  if (o.region_code.empty()) {
    QF_ASSIGN_OR_RETURN(Stmt r, db->Prepare("SELECT org_code FROM officials WHERE org = ?1 AND "
                                            "org_code IS NOT NULL AND org_code <> '' LIMIT 1"));
    r.BindText(1, o.org);
    QF_ASSIGN_OR_RETURN(bool found, r.Step());
    if (found) o.region_code = RegionOfCreditCode(r.TextView(0));
  }
  return o;
}

json ItemDetails(const DutyItem& it) {
  return {{"year", it.year},
          {"leader", MaskLeaderId(it.leader_id)},
          {"org", it.org},
          {"area", it.area},
          {"kind", it.kind},
          {"task", it.task},
          {"assigned_on", it.assigned_on},
          {"due_on", it.due_on},
          {"frequency", it.frequency}};
}

// Validation and the leader's fields.
Result<DutyItem> Prepare(Db* db, const NewDutyItem& in, const CivilDate& today) {
  auto id = NormalizeIdNumber(in.leader_id);
  if (!id.ok()) {
    return Status::InvalidInput("leader_id: " + id.status().message(),
                                "分管领导身份证号：" + id.status().Message(true));
  }
  DutyItem it;
  it.leader_id = *id;
  if (!IsDutyKind(in.kind)) {
    return Status::InvalidInput("kind must be 业务工作 or 党风廉政建设, not " + in.kind,
                                "类别应为“业务工作”或“党风廉政建设”，而不是“" + in.kind + "”");
  }
  auto freq = ParseDutyFrequency(in.frequency);
  if (!freq) {
    return Status::InvalidInput("frequency must be 月度, 季度, 半年 or 年度, not " + in.frequency,
                                "检查频次应为月度、季度、半年或年度，而不是“" + in.frequency + "”");
  }
  QF_RETURN_IF_ERROR(NeedText(in.area, 300, "area", "分管领域"));
  QF_RETURN_IF_ERROR(NeedText(in.task, 4000, "task", "责任事项"));
  QF_ASSIGN_OR_RETURN(it.assigned_on,
                      NormaliseDate(in.assigned_on, today, "assigned_on", "部署日期"));
  if (in.due_on.empty()) {
    return Status::InvalidInput("due_on is required", "完成时限必须填写");
  }
  QF_ASSIGN_OR_RETURN(it.due_on, NormaliseDate(in.due_on, today, "due_on", "完成时限"));
  if (it.assigned_on > FormatDate(today)) {
    return Status::InvalidInput("assigned_on " + it.assigned_on + " is after today",
                                "部署日期 " + it.assigned_on + " 晚于今天");
  }
  if (it.due_on < it.assigned_on) {
    return Status::InvalidInput("due_on " + it.due_on + " is before assigned_on " + it.assigned_on,
                                "完成时限 " + it.due_on + " 早于部署日期 " + it.assigned_on);
  }
  it.year = in.year == 0 ? DateOf(it.assigned_on).year : in.year;
  if (it.year < 2000 || it.year > 2100) {
    return Status::InvalidInput("year must be 2000–2100", "年度应在2000至2100之间");
  }
  QF_ASSIGN_OR_RETURN(Official o, CurrentOfficial(db, it.leader_id));
  it.leader_name = o.name;
  it.org = o.org;
  it.post = o.post;
  it.region_code = o.region_code;
  it.area = in.area;
  it.kind = in.kind;
  it.task = in.task;
  it.frequency = DutyFrequencyZh(*freq);
  return it;
}

// The item as inserted; the ledger and history written by the caller's transaction.
Result<DutyItem> InsertItem(Db* db, ledger::Ledger* led, const NewDutyItem& in,
                            const std::string& actor, const CivilDate& today,
                            const std::string& now) {
  QF_ASSIGN_OR_RETURN(DutyItem it, Prepare(db, in, today));
  it.created_by = it.updated_by = actor;
  it.created_at = it.updated_at = now;
  QF_ASSIGN_OR_RETURN(
      Stmt q, db->Prepare("INSERT INTO duty_items(year, leader_id, leader_name, org, region_code, "
                          "post, area, kind, task, assigned_on, due_on, frequency, created_by, "
                          "created_at, updated_by, updated_at) VALUES "
                          "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?13,?14)"));
  q.BindInt(1, it.year);
  q.BindText(2, it.leader_id);
  q.BindText(3, it.leader_name);
  q.BindText(4, it.org);
  q.BindText(5, it.region_code);
  q.BindText(6, it.post);
  q.BindText(7, it.area);
  q.BindText(8, it.kind);
  q.BindText(9, it.task);
  q.BindText(10, it.assigned_on);
  q.BindText(11, it.due_on);
  q.BindText(12, it.frequency);
  q.BindText(13, actor);
  q.BindText(14, now);
  QF_RETURN_IF_ERROR(q.Run());
  it.id = db->LastInsertId();
  QF_RETURN_IF_ERROR(Record(db, led, it.id, actor, "duty_add", ItemDetails(it), now));
  return it;
}

Status UpdateStatus(Db* db, const DutyItem& it, const std::string& actor, const std::string& now) {
  QF_ASSIGN_OR_RETURN(
      Stmt q, db->Prepare("UPDATE duty_items SET status = ?2, status_reason = ?3, evidence = ?4, "
                          "completed_on = ?5, cancelled_on = ?6, due_on = ?7, updated_by = ?8, "
                          "updated_at = ?9 WHERE id = ?1"));
  q.BindInt(1, it.id);
  q.BindText(2, it.status);
  q.BindText(3, it.status_reason);
  q.BindText(4, it.evidence);
  q.BindText(5, it.completed_on);
  q.BindText(6, it.cancelled_on);
  q.BindText(7, it.due_on);
  q.BindText(8, actor);
  q.BindText(9, now);
  return q.Run();
}

Result<DutyItem> CompleteIn(Db* db, ledger::Ledger* led, int64_t id, const std::string& evidence,
                            const std::string& completed_on, const std::string& actor,
                            const CivilDate& today, const std::string& now) {
  QF_ASSIGN_OR_RETURN(DutyItem it, LoadItem(db, id));
  QF_RETURN_IF_ERROR(NeedOpen(it));
  QF_RETURN_IF_ERROR(NeedText(evidence, 20000, "evidence", "完成情况（佐证）"));
  QF_ASSIGN_OR_RETURN(std::string day,
                      NormaliseDate(completed_on, today, "completed_on", "完成日期"));
  if (day < it.assigned_on) {
    return Status::InvalidInput("completed_on " + day + " is before assigned_on " + it.assigned_on,
                                "完成日期 " + day + " 早于部署日期 " + it.assigned_on);
  }
  if (day > FormatDate(today)) {
    return Status::InvalidInput("completed_on " + day + " is after today",
                                "完成日期 " + day + " 晚于今天");
  }
  it.status = "done";
  it.evidence = evidence;
  it.completed_on = day;
  QF_RETURN_IF_ERROR(UpdateStatus(db, it, actor, now));
  QF_RETURN_IF_ERROR(Record(db, led, id, actor, "duty_complete",
                            {{"completed_on", day},
                             {"due_on", it.due_on},
                             {"late", day > it.due_on},
                             {"evidence_sha256", ToHex(Sha256(evidence))}},
                            now));
  it.updated_by = actor;
  it.updated_at = now;
  return it;
}

Result<DutyCheck> CheckIn(Db* db, ledger::Ledger* led, int64_t item_id, const NewDutyCheck& in,
                          const std::string& actor, const CivilDate& today,
                          const std::string& now) {
  QF_ASSIGN_OR_RETURN(DutyItem it, LoadItem(db, item_id));
  if (it.status == "cancelled") {
    return Status::InvalidInput("responsibility item " + std::to_string(item_id) + " is cancelled",
                                "责任事项 " + std::to_string(item_id) + " 已取消，不再检查");
  }
  if (CheckResultPoints(in.result) == 0) {
    return Status::InvalidInput("result must be 好, 较好, 一般 or 差, not " + in.result,
                                "检查结果应为好、较好、一般或差，而不是“" + in.result + "”");
  }
  DutyCheck c;
  c.item_id = item_id;
  QF_ASSIGN_OR_RETURN(c.checked_on, NormaliseDate(in.checked_on, today, "checked_on", "检查日期"));
  if (c.checked_on < it.assigned_on) {
    return Status::InvalidInput(
        "checked_on " + c.checked_on + " is before assigned_on " + it.assigned_on,
        "检查日期 " + c.checked_on + " 早于部署日期 " + it.assigned_on);
  }
  if (c.checked_on > FormatDate(today)) {
    return Status::InvalidInput("checked_on " + c.checked_on + " is after today",
                                "检查日期 " + c.checked_on + " 晚于今天");
  }
  c.checker =
      in.checker.empty()
          ? (actor.find(':') != std::string::npos ? actor.substr(actor.find(':') + 1) : actor)
          : in.checker;
  if (c.checker.size() > 100) return Status::InvalidInput("checker is too long", "检查人过长");
  if (in.note.size() > 10000) return Status::InvalidInput("note is too long", "检查情况过长");
  c.result = in.result;
  c.note = in.note;
  c.created_by = actor;
  c.created_at = now;
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("INSERT INTO duty_checks(item_id, checked_on, checker, "
                                          "result, note, created_by, created_at) VALUES "
                                          "(?1,?2,?3,?4,?5,?6,?7)"));
  q.BindInt(1, item_id);
  q.BindText(2, c.checked_on);
  q.BindText(3, c.checker);
  q.BindText(4, c.result);
  q.BindText(5, c.note);
  q.BindText(6, actor);
  q.BindText(7, now);
  QF_RETURN_IF_ERROR(q.Run());
  c.id = db->LastInsertId();
  QF_RETURN_IF_ERROR(Record(db, led, item_id, actor, "duty_check",
                            {{"check", c.id},
                             {"checked_on", c.checked_on},
                             {"checker", c.checker},
                             {"result", c.result},
                             {"note_sha256", ToHex(Sha256(c.note))}},
                            now));
  return c;
}

}  // namespace

std::string MaskLeaderId(std::string_view id) {
  if (id.size() <= 8) return std::string(id.size(), '*');
  return std::string(id.substr(0, 4)) + std::string(id.size() - 8, '*') +
         std::string(id.substr(id.size() - 4));
}

// ---------------------------------------------------------------------------
// Items

Result<DutyItem> AddDutyItem(Db* db, const NewDutyItem& item, const std::string& actor,
                             const CivilDate& today) {
  DutyItem out;
  const std::string now = NowShanghai();
  QF_RETURN_IF_ERROR(InLedgerTx(db, [&](ledger::Ledger* led) -> Status {
    QF_ASSIGN_OR_RETURN(out, InsertItem(db, led, item, actor, today, now));
    return Status::OK();
  }));
  return out;
}

Result<DutyItem> PrepareDutyItem(Db* db, const NewDutyItem& item, const CivilDate& today) {
  return Prepare(db, item, today);
}

Result<DutyItem> CompleteDutyItem(Db* db, int64_t id, const std::string& evidence,
                                  const std::string& completed_on, const std::string& actor,
                                  const CivilDate& today) {
  const std::string now = NowShanghai();
  QF_RETURN_IF_ERROR(InLedgerTx(db, [&](ledger::Ledger* led) -> Status {
    return CompleteIn(db, led, id, evidence, completed_on, actor, today, now).status();
  }));
  return LoadItem(db, id);
}

Result<DutyItem> CancelDutyItem(Db* db, int64_t id, const std::string& reason,
                                const std::string& actor, const CivilDate& today) {
  const std::string now = NowShanghai();
  QF_RETURN_IF_ERROR(InLedgerTx(db, [&](ledger::Ledger* led) -> Status {
    QF_ASSIGN_OR_RETURN(DutyItem it, LoadItem(db, id));
    QF_RETURN_IF_ERROR(NeedOpen(it));
    QF_RETURN_IF_ERROR(NeedText(reason, 2000, "reason", "取消原因"));
    it.status = "cancelled";
    it.status_reason = reason;
    it.cancelled_on = std::max(FormatDate(today), it.assigned_on);
    QF_RETURN_IF_ERROR(UpdateStatus(db, it, actor, now));
    return Record(db, led, id, actor, "duty_cancel",
                  {{"reason", reason}, {"cancelled_on", it.cancelled_on}}, now);
  }));
  return LoadItem(db, id);
}

Result<DutyItem> RedateDutyItem(Db* db, int64_t id, const std::string& due_on,
                                const std::string& reason, const std::string& actor) {
  const std::string now = NowShanghai();
  QF_RETURN_IF_ERROR(InLedgerTx(db, [&](ledger::Ledger* led) -> Status {
    QF_ASSIGN_OR_RETURN(DutyItem it, LoadItem(db, id));
    QF_RETURN_IF_ERROR(NeedOpen(it));
    QF_RETURN_IF_ERROR(NeedText(reason, 2000, "reason", "变更原因"));
    if (due_on.empty()) return Status::InvalidInput("due_on is required", "完成时限必须填写");
    QF_ASSIGN_OR_RETURN(std::string day, NormaliseDate(due_on, {}, "due_on", "完成时限"));
    if (day < it.assigned_on) {
      return Status::InvalidInput("due_on " + day + " is before assigned_on " + it.assigned_on,
                                  "完成时限 " + day + " 早于部署日期 " + it.assigned_on);
    }
    const std::string before = it.due_on;
    it.due_on = day;
    it.status_reason = reason;
    QF_RETURN_IF_ERROR(UpdateStatus(db, it, actor, now));
    return Record(db, led, id, actor, "duty_redate",
                  {{"from", before}, {"to", day}, {"reason", reason}}, now);
  }));
  return LoadItem(db, id);
}

Result<DutyItem> GetDutyItem(Db* db, int64_t id) { return LoadItem(db, id); }

Result<std::vector<DutyItem>> ListDutyItems(Db* db, const DutyFilter& f, const CivilDate& as_of) {
  std::string sql = std::string(kItemSelect) + "WHERE 1";
  std::vector<std::string> binds;
  if (f.year != 0) sql += " AND i.year = " + std::to_string(f.year);
  if (!f.leader.empty()) {
    auto id = NormalizeIdNumber(f.leader);
    binds.push_back(id.ok() ? *id : f.leader);
    sql += " AND (i.leader_id = ?" + std::to_string(binds.size() + 1) + " OR i.leader_name = ?" +
           std::to_string(binds.size() + 1) + ")";
  }
  if (!f.org.empty()) {
    binds.push_back(f.org);
    sql += " AND instr(i.org, ?" + std::to_string(binds.size() + 1) + ") > 0";
  }
  if (!f.kind.empty()) {
    binds.push_back(f.kind);
    sql += " AND i.kind = ?" + std::to_string(binds.size() + 1);
  }
  if (!f.status.empty()) {
    binds.push_back(f.status);
    sql += " AND i.status = ?" + std::to_string(binds.size() + 1);
  }
  sql += " ORDER BY i.org, i.leader_name, i.leader_id, i.due_on, i.id";
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(sql));
  q.BindText(1, FormatDate(as_of));
  for (size_t i = 0; i < binds.size(); ++i) q.BindText(static_cast<int>(i + 2), binds[i]);
  std::vector<DutyItem> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    DutyItem it = ItemFromRow(q);
    if (f.visible && !f.visible(it)) continue;
    if (f.overdue_only && !StateOf(it, as_of).overdue) continue;
    out.push_back(std::move(it));
  }
  return out;
}

namespace {

// The status an item had on `day` (a later completion or cancellation is not
// known yet when a past day is replayed).
std::string StatusOn(const DutyItem& it, const std::string& day) {
  if (it.status == "done" && it.completed_on <= day) return "done";
  if (it.status == "cancelled" && it.cancelled_on <= day) return "cancelled";
  return "open";
}

}  // namespace

DutyState StateOf(const DutyItem& it, const CivilDate& as_of) {
  DutyState s;
  const std::string day = FormatDate(as_of);
  if (it.assigned_on > day || StatusOn(it, day) != "open") return s;
  const int64_t today = DayOf(as_of), due = DayOf(it.due_on);
  if (today > due) {
    s.overdue = true;
    s.days_overdue = static_cast<int>(today - due);
    s.working_days_overdue = WorkingDaysBetween(DateOf(it.due_on), as_of);
  } else {
    s.working_days_left = WorkingDaysBetween(as_of, DateOf(it.due_on));
  }
  const DutyFrequency f = ParseDutyFrequency(it.frequency).value_or(DutyFrequency::kQuarterly);
  const std::string last = it.last_check_on <= day ? it.last_check_on : "";
  const int64_t needed =
      last.empty() ? PeriodOf(f, DateOf(it.assigned_on)) : PeriodOf(f, DateOf(last)) + 1;
  const int64_t current = PeriodOf(f, as_of);
  s.check_period = PeriodLabel(f, needed);
  s.check_by = FormatDate(PeriodLastDay(f, needed));
  if (needed > current) {
    s.check_status = "ok";
  } else if (needed == current) {
    s.check_status = "due";
  } else {
    s.check_status = "overdue";
    s.missed_check_periods = static_cast<int>(current - needed);
  }
  return s;
}

Result<std::vector<DutyHistoryEntry>> DutyHistory(Db* db, int64_t id) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT at, actor, action, details_json FROM "
                                          "duty_history WHERE item_id = ?1 ORDER BY id"));
  q.BindInt(1, id);
  std::vector<DutyHistoryEntry> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({q.Text(0), q.Text(1), q.Text(2), q.Text(3)});
  }
  return out;
}

// ---------------------------------------------------------------------------
// Checks

Result<DutyCheck> AddDutyCheck(Db* db, int64_t item_id, const NewDutyCheck& check,
                               const std::string& actor, const CivilDate& today) {
  DutyCheck out;
  const std::string now = NowShanghai();
  QF_RETURN_IF_ERROR(InLedgerTx(db, [&](ledger::Ledger* led) -> Status {
    QF_ASSIGN_OR_RETURN(out, CheckIn(db, led, item_id, check, actor, today, now));
    return Status::OK();
  }));
  return out;
}

namespace {

DutyCheck CheckFromRow(const Stmt& q) {
  DutyCheck c;
  c.id = q.Int(0);
  c.item_id = q.Int(1);
  c.checked_on = q.Text(2);
  c.checker = q.Text(3);
  c.result = q.Text(4);
  c.note = q.Text(5);
  c.created_by = q.Text(6);
  c.created_at = q.Text(7);
  return c;
}

constexpr const char* kCheckCols =
    "id, item_id, checked_on, checker, result, note, created_by, created_at";

}  // namespace

Result<std::vector<DutyCheck>> ChecksOf(Db* db, int64_t item_id) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(std::string("SELECT ") + kCheckCols +
                                          " FROM duty_checks WHERE item_id = ?1 ORDER BY "
                                          "checked_on, id"));
  q.BindInt(1, item_id);
  std::vector<DutyCheck> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(CheckFromRow(q));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Evidence files

std::string DutyFilePath(const std::string& db_path, const std::string& sha256) {
  return BlobPath(db_path + ".files", sha256);
}

Result<DutyAttachment> AddDutyAttachment(Db* db, const std::string& db_path, int64_t item_id,
                                         std::string_view bytes, const std::string& name,
                                         const std::string& mime, const std::string& actor) {
  bool good_name = !name.empty() && name.size() <= 200 && name != "." && name != "..";
  for (unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\') good_name = false;
  }
  if (!good_name) {
    return Status::InvalidInput("the file name is missing or not allowed (1–200 bytes, no / \\)",
                                "文件名缺失或不合法（1–200 字节，不含 / \\）");
  }
  if (bytes.empty()) return Status::InvalidInput("the file is empty", "附件内容为空");
  QF_ASSIGN_OR_RETURN(DutyItem it, LoadItem(db, item_id));
  if (it.status == "cancelled") {
    return Status::InvalidInput("responsibility item " + std::to_string(item_id) + " is cancelled",
                                "责任事项 " + std::to_string(item_id) + " 已取消");
  }
  DutyAttachment a;
  a.item_id = item_id;
  a.sha256 = ToHex(Sha256(bytes));
  a.name = name;
  a.mime = mime.empty() ? "application/octet-stream" : mime;
  a.size = static_cast<int64_t>(bytes.size());
  a.at = NowShanghai();
  a.author = actor;
  QF_RETURN_IF_ERROR(WriteBlobOnce(DutyFilePath(db_path, a.sha256), bytes));
  QF_RETURN_IF_ERROR(InLedgerTx(db, [&](ledger::Ledger* led) -> Status {
    QF_ASSIGN_OR_RETURN(int64_t seq,
                        db->QueryInt("SELECT COALESCE(MAX(seq), 0) + 1 FROM duty_attachments "
                                     "WHERE item_id = " +
                                     std::to_string(item_id)));
    a.seq = seq;
    QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("INSERT INTO duty_attachments(item_id, seq, sha256, "
                                            "name, mime, size, at, author) VALUES "
                                            "(?1,?2,?3,?4,?5,?6,?7,?8)"));
    q.BindInt(1, item_id);
    q.BindInt(2, seq);
    q.BindText(3, a.sha256);
    q.BindText(4, a.name);
    q.BindText(5, a.mime);
    q.BindInt(6, a.size);
    q.BindText(7, a.at);
    q.BindText(8, actor);
    QF_RETURN_IF_ERROR(q.Run());
    return Record(db, led, item_id, actor, "duty_attach",
                  {{"seq", seq}, {"sha256", a.sha256}, {"name", a.name}, {"size", a.size}}, a.at);
  }));
  return a;
}

Result<std::vector<DutyAttachment>> AttachmentsOfItem(Db* db, int64_t item_id) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT item_id, seq, sha256, name, mime, at, author, "
                                          "size FROM duty_attachments WHERE item_id = ?1 ORDER "
                                          "BY seq"));
  q.BindInt(1, item_id);
  std::vector<DutyAttachment> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(
        {q.Int(0), q.Int(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5), q.Text(6), q.Int(7)});
  }
  return out;
}

Result<std::string> ReadDutyAttachment(const std::string& db_path, const DutyAttachment& a) {
  return ReadBlob(DutyFilePath(db_path, a.sha256), a.sha256, "evidence file");
}

// ---------------------------------------------------------------------------
// Warnings

Result<std::vector<DutyWarning>> DutyWarnings(Db* db, const CivilDate& as_of,
                                              const DutyParams& params,
                                              const DutyVisible& visible) {
  // Open now or closed after the day judged (a replayed past day).
  const std::string day = FormatDate(as_of);
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(std::string(kItemSelect) +
                                          "WHERE i.assigned_on <= ?1 AND (i.status = 'open' OR "
                                          "(i.status = 'done' AND i.completed_on > ?1) OR "
                                          "(i.status = 'cancelled' AND i.cancelled_on > ?1))"));
  q.BindText(1, day);
  std::vector<DutyWarning> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    DutyItem it = ItemFromRow(q);
    if (visible && !visible(it)) continue;
    DutyState s = StateOf(it, as_of);
    if (s.overdue) {
      DutyWarning w{"overdue", it, it.due_on, "", s.working_days_overdue, s.days_overdue, 0};
      out.push_back(std::move(w));
    } else if (s.working_days_left >= 0 && s.working_days_left <= params.warn_working_days) {
      DutyWarning w{"due_soon",
                    it,
                    it.due_on,
                    "",
                    s.working_days_left,
                    static_cast<int>(DayOf(it.due_on) - DayOf(as_of)),
                    0};
      out.push_back(std::move(w));
    }
    if (s.check_status == "overdue") {
      const CivilDate by = DateOf(s.check_by);
      DutyWarning w{"check_overdue",
                    it,
                    s.check_by,
                    s.check_period,
                    WorkingDaysBetween(by, as_of),
                    static_cast<int>(DayOf(as_of) - DayOf(by)),
                    s.missed_check_periods};
      out.push_back(std::move(w));
    } else if (s.check_status == "due") {
      const CivilDate by = DateOf(s.check_by);
      int left = WorkingDaysBetween(as_of, by);
      if (left <= params.warn_working_days) {
        DutyWarning w{"check_due",
                      it,
                      s.check_by,
                      s.check_period,
                      left,
                      static_cast<int>(DayOf(by) - DayOf(as_of)),
                      0};
        out.push_back(std::move(w));
      }
    }
  }
  auto rank = [](const std::string& t) {
    return t == "overdue" ? 0 : t == "check_overdue" ? 1 : t == "due_soon" ? 2 : 3;
  };
  std::stable_sort(out.begin(), out.end(), [&](const DutyWarning& a, const DutyWarning& b) {
    if (rank(a.type) != rank(b.type)) return rank(a.type) < rank(b.type);
    if (a.type == "overdue" || a.type == "check_overdue") {
      if (a.days != b.days) return a.days > b.days;
    } else if (a.deadline != b.deadline) {
      return a.deadline < b.deadline;
    }
    return a.item.id < b.item.id;
  });
  return out;
}

// ---------------------------------------------------------------------------
// Assessment

std::string GradeOf(double score, const DutyParams& p) {
  if (score < 0) return "";
  if (score >= p.good_min) return "好";
  if (score >= p.fair_min) return "较好";
  if (score >= p.pass_min) return "一般";
  return "差";
}

DutyTally TallyItems(const std::vector<DutyItem>& items,
                     const std::vector<std::vector<DutyCheck>>& checks, int year,
                     const CivilDate& as_of, const DutyParams& params) {
  DutyTally t;
  const std::string year_first = FormatDate({year, 1, 1});
  const std::string year_last = FormatDate({year, 12, 31});
  const std::string day = std::min(FormatDate(as_of), year_last);
  int points = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const DutyItem& it = items[i];
    if (it.assigned_on > day) continue;  // not assigned yet on the day judged
    ++t.items;
    const std::string st = StatusOn(it, day);
    if (st == "cancelled") {
      ++t.cancelled;
      continue;
    }
    std::string life_end = day;
    if (st == "done") {
      (it.completed_on <= it.due_on ? t.done_on_time : t.done_late) += 1;
      life_end = it.completed_on;
    } else {
      (it.due_on < day ? t.overdue : t.open) += 1;
    }
    const std::string life_start = std::max(it.assigned_on, year_first);
    const DutyFrequency f = ParseDutyFrequency(it.frequency).value_or(DutyFrequency::kQuarterly);
    std::set<int64_t> held;
    if (i < checks.size()) {
      for (const DutyCheck& c : checks[i]) {
        if (c.checked_on < year_first || c.checked_on > day) continue;
        ++t.checks;
        points += CheckResultPoints(c.result);
        if (c.checked_on <= life_end) held.insert(PeriodOf(f, DateOf(c.checked_on)));
      }
    }
    if (life_start > life_end) continue;
    const int64_t last_day = DayOf(life_end);
    for (int64_t p = PeriodOf(f, DateOf(life_start)); p <= PeriodOf(f, DateOf(life_end)); ++p) {
      const bool ended = DayOf(PeriodLastDay(f, p)) <= last_day;
      const bool was_held = held.count(p) > 0;
      if (ended || was_held) ++t.checks_due;
      if (was_held) ++t.checks_held;
    }
  }
  t.avg_result = t.checks > 0 ? static_cast<double>(points) / t.checks : 0;
  double sum = 0, weights = 0;
  const int judged = t.done_on_time + t.done_late + t.overdue;
  if (judged > 0) {
    sum += 0.6 * (t.done_on_time + 0.6 * t.done_late) / judged;
    weights += 0.6;
  }
  if (t.checks_due > 0) {
    sum += 0.25 * static_cast<double>(t.checks_held) / t.checks_due;
    weights += 0.25;
  }
  if (t.checks > 0) {
    sum += 0.15 * (t.avg_result - 1) / 3;
    weights += 0.15;
  }
  if (weights > 0) {
    t.score = std::round(1000.0 * sum / weights) / 10.0;  // one decimal
    t.grade = GradeOf(t.score, params);
  }
  return t;
}

Result<DutyAssessment> AssessDuties(Db* db, int year, const CivilDate& as_of,
                                    const DutyParams& params, const std::string& org,
                                    const DutyVisible& visible) {
  DutyAssessment a;
  a.year = year;
  a.params = params;
  a.as_of = std::min(FormatDate(as_of), FormatDate({year, 12, 31}));
  DutyFilter f;
  f.year = year;
  f.visible = visible;
  QF_ASSIGN_OR_RETURN(std::vector<DutyItem> items, ListDutyItems(db, f, DateOf(a.as_of)));
  std::unordered_map<int64_t, std::vector<DutyCheck>> checks;
  {
    QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(std::string("SELECT ") + kCheckCols +
                                            " FROM duty_checks WHERE item_id IN (SELECT id FROM "
                                            "duty_items WHERE year = ?1) ORDER BY checked_on, id"));
    q.BindInt(1, year);
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      DutyCheck c = CheckFromRow(q);
      checks[c.item_id].push_back(std::move(c));
    }
  }
  std::map<std::string, size_t> by_leader;
  for (DutyItem& it : items) {
    if (!org.empty() && it.org != org) continue;
    auto [pos, fresh] = by_leader.emplace(it.leader_id, a.rows.size());
    if (fresh) {
      LeaderAssessment r;
      r.leader_id = it.leader_id;
      r.leader_name = it.leader_name;
      r.org = it.org;
      r.region_code = it.region_code;
      r.post = it.post;
      a.rows.push_back(std::move(r));
    }
    a.rows[pos->second].items.push_back(std::move(it));
  }
  const CivilDate day = DateOf(a.as_of);
  for (LeaderAssessment& r : a.rows) {
    std::vector<DutyItem> kinds[2];
    std::vector<std::vector<DutyCheck>> kind_checks[2];
    std::vector<std::vector<DutyCheck>> all_checks;
    for (const DutyItem& it : r.items) {
      const int k = it.kind == kDutyIntegrity ? 1 : 0;
      kinds[k].push_back(it);
      auto c = checks.find(it.id);
      kind_checks[k].push_back(c == checks.end() ? std::vector<DutyCheck>{} : c->second);
      all_checks.push_back(kind_checks[k].back());
    }
    r.business = TallyItems(kinds[0], kind_checks[0], year, day, params);
    r.integrity = TallyItems(kinds[1], kind_checks[1], year, day, params);
    r.total = TallyItems(r.items, all_checks, year, day, params);
    const double b = r.business.score, i = r.integrity.score;
    r.score = b >= 0 && i >= 0 ? std::round(10.0 * (b + i) / 2) / 10.0 : b >= 0 ? b : i;
    r.grade = GradeOf(r.score, params);
    r.total.score = r.score;
    r.total.grade = r.grade;
  }
  std::sort(a.rows.begin(), a.rows.end(), [](const LeaderAssessment& x, const LeaderAssessment& y) {
    if (x.org != y.org) return x.org < y.org;
    if (x.leader_name != y.leader_name) return x.leader_name < y.leader_name;
    return x.leader_id < y.leader_id;
  });
  return a;
}

// ---------------------------------------------------------------------------
// XLSX

namespace {

// The assessment's workbook: wrapped header titles, scores to one decimal.
class Workbook : public XlsxWriter {
 public:
  Workbook() : XlsxWriter(/*wrap_header=*/true) {
    if (ok()) score_ = NumberFormat("0.0");
  }
  void Score(lxw_worksheet* ws, size_t row, size_t col, double v) {
    if (v < 0) return;  // no score: an empty cell
    Number(ws, row, col, v, score_);
  }

 private:
  lxw_format* score_ = nullptr;
};

std::string StatusZh(const DutyItem& it, const std::string& day) {
  const std::string st = StatusOn(it, day);
  if (st == "done") return it.completed_on <= it.due_on ? "按期完成" : "逾期完成";
  if (st == "cancelled") return "已取消";
  return it.due_on < day ? "逾期未完成" : "推进中";
}

}  // namespace

Result<std::string> AssessmentXlsx(const DutyAssessment& a, bool unmasked) {
  Workbook b;
  if (!b.ok()) return Status::IOError("cannot create a workbook");
  std::vector<std::pair<std::string, double>> cols = {
      {"单位", 26}, {"姓名", 10}, {"身份证号", 21}, {"职务", 10}};
  for (const char* k : {"业务", "廉政"}) {
    for (const char* c : {"事项", "按期完成", "逾期完成", "逾期未完成", "未到期", "已取消",
                          "应检查", "已检查", "检查均分", "得分", "等级"}) {
      cols.push_back({std::string(k) + c, 8});
    }
  }
  cols.push_back({"综合得分", 9});
  cols.push_back({"考核等级", 9});
  lxw_worksheet* ws = b.Sheet("考核汇总", cols);
  size_t row = 1;
  for (const LeaderAssessment& r : a.rows) {
    b.Text(ws, row, 0, r.org);
    b.Text(ws, row, 1, r.leader_name);
    b.Text(ws, row, 2, unmasked ? r.leader_id : MaskLeaderId(r.leader_id));
    b.Text(ws, row, 3, r.post);
    size_t col = 4;
    for (const DutyTally* t : {&r.business, &r.integrity}) {
      for (int v : {t->items, t->done_on_time, t->done_late, t->overdue, t->open, t->cancelled,
                    t->checks_due, t->checks_held}) {
        b.Number(ws, row, col++, v);
      }
      if (t->checks > 0) {
        b.Score(ws, row, col, std::round(100 * t->avg_result) / 100);
      }
      ++col;
      b.Score(ws, row, col++, t->score);
      b.Text(ws, row, col++, t->grade);
    }
    b.Score(ws, row, col++, r.score);
    b.Text(ws, row, col++, r.grade);
    ++row;
  }
  lxw_worksheet* items = b.Sheet("责任事项", {{"单位", 26},
                                              {"姓名", 10},
                                              {"身份证号", 21},
                                              {"职务", 10},
                                              {"分管领域", 16},
                                              {"类别", 12},
                                              {"责任事项", 48},
                                              {"检查频次", 8},
                                              {"部署日期", 11},
                                              {"完成时限", 11},
                                              {"状态", 10},
                                              {"完成日期", 11},
                                              {"完成情况（佐证）", 40},
                                              {"检查次数", 8},
                                              {"最近检查", 11},
                                              {"取消或变更原因", 24}});
  row = 1;
  for (const LeaderAssessment& r : a.rows) {
    for (const DutyItem& it : r.items) {
      size_t col = 0;
      b.Text(items, row, col++, it.org);
      b.Text(items, row, col++, it.leader_name);
      b.Text(items, row, col++, unmasked ? it.leader_id : MaskLeaderId(it.leader_id));
      b.Text(items, row, col++, it.post);
      b.Text(items, row, col++, it.area);
      b.Text(items, row, col++, it.kind);
      b.Text(items, row, col++, it.task);
      b.Text(items, row, col++, it.frequency);
      b.Text(items, row, col++, it.assigned_on);
      b.Text(items, row, col++, it.due_on);
      b.Text(items, row, col++, StatusZh(it, a.as_of));
      b.Text(items, row, col++, it.completed_on <= a.as_of ? it.completed_on : "");
      b.Text(items, row, col++, it.completed_on <= a.as_of ? it.evidence : "");
      b.Number(items, row, col++, static_cast<double>(it.checks));
      b.Text(items, row, col++, it.last_check_on);
      b.Text(items, row, col++, it.status_reason);
      ++row;
    }
  }
  return b.Finish();
}

// ---------------------------------------------------------------------------
// Demo data

namespace {

// SplitMix64 from the leader's ID number: the same city gives the same items.
class Rng {
 public:
  explicit Rng(std::string_view seed) {
    Digest d = Sha256(seed);
    for (int i = 0; i < 8; ++i) s_ = (s_ << 8) | d[static_cast<size_t>(i)];
  }
  uint64_t Next() {
    uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int Int(int lo, int hi) {
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return static_cast<double>(Next() % 10000) < p * 10000; }
  template <typename T, size_t N>
  const T& Pick(const T (&a)[N]) {
    return a[Next() % N];
  }

 private:
  uint64_t s_ = 0;
};

bool IsLeaderPost(const std::string& post) {
  for (const char* p : {"局长", "主任", "校长", "书记", "院长", "部长", "组长", "主席"}) {
    if (post.find(p) != std::string::npos && post.find("科长") == std::string::npos) return true;
  }
  return false;
}

struct DemoTask {
  const char* area;
  const char* task;
};

constexpr DemoTask kBusiness[] = {
    {"财务与预算", "完成年度部门预算执行分析，预算执行率达到90%以上"},
    {"项目建设", "推进重点项目建设，按节点完成年度投资计划"},
    {"行政审批", "压缩行政审批时限，办理时限较法定时限压减50%"},
    {"政府采购", "规范政府采购流程，完成年度采购意向公开"},
    {"人事管理", "完成年度干部教育培训计划，参训率不低于95%"},
    {"行政执法", "落实行政执法三项制度，完成执法案卷评查"},
    {"安全生产", "开展安全生产专项整治，完成隐患排查整改"},
    {"信访工作", "办结信访事项，按期办结率达到100%"},
    {"数字化建设", "完成业务系统整合上线，数据按期归集共享"},
    {"民生实事", "完成年度民生实事项目，群众满意度测评达标"},
};
constexpr DemoTask kIntegrity[] = {
    {"作风建设", "落实中央八项规定精神，开展违规吃喝专项整治"},
    {"廉政风险防控", "梳理分管领域廉政风险点，完善防控措施清单"},
    {"廉政教育", "组织分管科室开展廉政警示教育，全年不少于2次"},
    {"选人用人监督", "分管领域干部选拔任用全程纪实，无违规用人问题"},
    {"政府采购监督", "对分管领域采购项目开展廉洁风险排查"},
    {"谈心谈话", "与分管科室负责人开展廉政谈话，全年全覆盖"},
    {"资金监管", "专项资金使用情况廉洁审查，问题整改到位"},
    {"权力运行监督", "公开分管领域权力清单和责任清单，接受监督"},
};
constexpr const char* kFrequencies[] = {"月度", "季度", "季度", "季度", "半年", "年度"};
constexpr const char* kResults[] = {"好", "好", "较好", "较好", "较好", "一般", "差"};
constexpr const char* kNotes[] = {"按计划推进，阶段目标已完成", "进度基本符合要求",
                                  "部分任务滞后，已督促整改", "资料齐全，措施落实到位",
                                  "存在薄弱环节，需加强跟踪"};

}  // namespace

Status SeedDemoItems(Store* store, const std::string& actor, const CivilDate& as_of,
                     int64_t* created) {
  if (created) *created = 0;
  Db* db = store->db();
  QF_ASSIGN_OR_RETURN(int64_t existing, db->QueryInt("SELECT COUNT(*) FROM duty_items"));
  if (existing > 0) return Status::OK();
  // Leaders in post, each once (the latest post first).
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT id_number, COALESCE(position, ''), "
                                          "COALESCE(is_leader, 0) FROM officials WHERE end_date "
                                          "IS NULL OR end_date = '' ORDER BY id_number, "
                                          "start_date DESC"));
  std::vector<std::string> leaders;
  std::set<std::string> seen;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    std::string id = q.Text(0);
    if (!seen.insert(id).second) continue;
    if (q.Int(2) == 1 || IsLeaderPost(q.Text(1))) leaders.push_back(id);
  }
  const int year = as_of.year;
  const int64_t today = DayOf(as_of);
  const int64_t year_first = DaysFromCivil(year, 1, 1);
  const std::string now = NowShanghai();
  int64_t n = 0;
  QF_RETURN_IF_ERROR(InLedgerTx(db, [&](ledger::Ledger* led) -> Status {
    for (const std::string& id : leaders) {
      Rng rng(id + "/duties/" + std::to_string(year));
      const int count[2] = {rng.Int(2, 3), rng.Int(2, 3)};
      for (int k = 0; k < 2; ++k) {
        for (int j = 0; j < count[k]; ++j) {
          const DemoTask& t = k == 0 ? rng.Pick(kBusiness) : rng.Pick(kIntegrity);
          NewDutyItem ni;
          ni.year = year;
          ni.leader_id = id;
          ni.area = t.area;
          ni.kind = std::string(k == 0 ? kDutyBusiness : kDutyIntegrity);
          ni.task = t.task;
          ni.frequency = rng.Pick(kFrequencies);
          // Deployed early in the year (年初部署), due through the year; a few
          // due just after the day judged, so the warnings have something.
          int64_t assigned = std::min(year_first + rng.Int(5, 60), today);
          int64_t due = rng.Chance(0.15) ? today + rng.Int(1, 9)
                                         : std::min(assigned + rng.Int(40, 330), today + 30);
          due = std::max(due, assigned);
          ni.assigned_on = FormatDate(CivilFromDays(assigned));
          ni.due_on = FormatDate(CivilFromDays(due));
          QF_ASSIGN_OR_RETURN(DutyItem it, InsertItem(db, led, ni, actor, as_of, now));
          ++n;
          // Checks: most periods held, some skipped (a check overdue).
          const DutyFrequency f = *ParseDutyFrequency(ni.frequency);
          const double skip = rng.Chance(0.3) ? 0.5 : 0.1;
          int64_t end = today;
          int64_t done_on = 0;
          const int fate = rng.Int(0, 99);  // < 60 on time, < 75 late, else open
          if (due < today && fate < 60) {
            done_on = std::max(assigned, due - rng.Int(0, 20));
          } else if (due < today && fate < 75) {
            done_on = std::min(today, due + rng.Int(3, 40));
          } else if (due >= today && fate < 20) {
            done_on = std::max(assigned, today - rng.Int(0, 10));
          }
          if (done_on > 0) end = done_on;
          for (int64_t p = PeriodOf(f, CivilFromDays(assigned)); p <= PeriodOf(f, as_of); ++p) {
            int64_t first = std::max(DayOf(PeriodFirstDay(f, p)), assigned);
            int64_t last = std::min(DayOf(PeriodLastDay(f, p)), end);
            if (first > last || rng.Chance(skip)) continue;
            NewDutyCheck c;
            c.checked_on =
                FormatDate(CivilFromDays(first + rng.Int(0, static_cast<int>(last - first))));
            c.checker = "纪检监察组";
            c.result = rng.Pick(kResults);
            c.note = rng.Pick(kNotes);
            QF_RETURN_IF_ERROR(CheckIn(db, led, it.id, c, actor, as_of, now).status());
          }
          if (done_on > 0) {
            QF_RETURN_IF_ERROR(
                CompleteIn(db, led, it.id,
                           std::string("已按要求完成：") + t.task + "。相关材料已归档备查。",
                           FormatDate(CivilFromDays(done_on)), actor, as_of, now)
                    .status());
          }
        }
      }
    }
    return Status::OK();
  }));
  if (created) *created = n;
  return Status::OK();
}

}  // namespace qf::leads
