#include "leads/party.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <unordered_map>

#include "common/calendar.h"
#include "engine/runner.h"
#include "ingest/quarantine.h"
#include "ingest/value.h"
#include "leads/scope.h"
#include "ledger/ledger.h"

namespace qf::leads {

using models::MeetingPeriod;
using models::MeetingRequirement;
using nlohmann::json;

namespace {

bool IsRegionCode(std::string_view s) {
  return s.size() == 6 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A date field: "" stays ""; else must be YYYY-MM-DD (other spellings are
// normalised the way the importer normalises them).
Status NormaliseDate(std::string* v, const char* field, const char* field_zh) {
  if (v->empty()) return Status::OK();
  auto d = ParseDate(*v);
  if (!d) {
    return Status::InvalidInput(std::string(field) + " must be a date YYYY-MM-DD, not " + *v,
                                std::string(field_zh) + "应为日期 YYYY-MM-DD，而不是“" + *v + "”");
  }
  *v = FormatDate(*d);
  return Status::OK();
}

int64_t DayOf(const std::string& ymd) {
  auto d = ParseDate(ymd);
  return d ? DaysFromCivil(d->year, d->month, d->day) : 0;
}

Status AppendAction(Db* db, const std::string& actor, const std::string& action,
                    const std::string& target, const json& details) {
  QF_ASSIGN_OR_RETURN(auto led, ledger::Ledger::Open(db));
  ledger::Action a;
  a.actor = actor;
  a.action = action;
  a.target = target;
  a.details_json = details.dump();
  QF_RETURN_IF_ERROR(led->AppendAction(a).status());
  return led->Flush();
}

json BranchDetails(const Branch& b) {
  return {{"name", b.name},           {"org", b.org},         {"region_code", b.region_code},
          {"secretary", b.secretary}, {"members", b.members}, {"voting_members", b.voting_members},
          {"set_up_on", b.set_up_on}, {"status", b.status},   {"dissolved_on", b.dissolved_on}};
}

// The registry's checks, after the fields are set.
Status CheckBranch(Branch* b) {
  if (b->name.empty())
    return Status::InvalidInput("the branch name is required", "支部名称必须填写");
  if (b->name.size() > 200 || b->org.size() > 200 || b->secretary.size() > 100) {
    return Status::InvalidInput("name, organisation or secretary too long",
                                "支部名称、所在单位或书记姓名过长");
  }
  if (!b->region_code.empty() && !IsRegionCode(b->region_code)) {
    return Status::InvalidInput("region_code must be 6 digits, not " + b->region_code,
                                "行政区划代码应为6位数字，而不是“" + b->region_code + "”");
  }
  if (b->members < 0 || b->voting_members < 0) {
    return Status::InvalidInput("member counts cannot be negative", "党员人数不能为负数");
  }
  if (b->voting_members > b->members) {
    return Status::InvalidInput("voting members cannot exceed members",
                                "有表决权的党员人数不能多于党员人数");
  }
  QF_RETURN_IF_ERROR(NormaliseDate(&b->set_up_on, "set_up_on", "成立日期"));
  QF_RETURN_IF_ERROR(NormaliseDate(&b->dissolved_on, "dissolved_on", "撤销日期"));
  if (b->status != "active" && b->status != "dissolved") {
    return Status::InvalidInput(
        "status must be active or dissolved, not " + b->status,
        "状态应为 active（正常）或 dissolved（已撤销），而不是“" + b->status + "”");
  }
  if (b->status == "active") b->dissolved_on.clear();
  if (b->status == "dissolved" && b->dissolved_on.empty()) {
    return Status::InvalidInput("a dissolved branch needs dissolved_on",
                                "已撤销的支部须填写撤销日期");
  }
  if (!b->dissolved_on.empty() && !b->set_up_on.empty() && b->dissolved_on < b->set_up_on) {
    return Status::InvalidInput("dissolved_on is before set_up_on", "撤销日期早于成立日期");
  }
  return Status::OK();
}

constexpr const char* kBranchCols =
    "branch_id, name, org, region_code, secretary, members, voting_members, set_up_on, status, "
    "dissolved_on, created_by, created_at, updated_by, updated_at";

// A branch's editable fields, name … dissolved_on (kBranchCols' order), at `first` onwards:
// the insert and the update bind the same nine.
void BindBranchFields(Stmt* q, int first, const Branch& b) {
  q->BindText(first, b.name);
  q->BindText(first + 1, b.org);
  q->BindText(first + 2, b.region_code);
  q->BindText(first + 3, b.secretary);
  q->BindInt(first + 4, b.members);
  q->BindInt(first + 5, b.voting_members);
  q->BindText(first + 6, b.set_up_on);
  q->BindText(first + 7, b.status);
  q->BindText(first + 8, b.dissolved_on);
}

Branch BranchFromRow(const Stmt& q) {
  Branch b;
  b.branch_id = q.Text(0);
  b.name = q.Text(1);
  b.org = q.Text(2);
  b.region_code = q.Text(3);
  b.secretary = q.Text(4);
  b.members = q.Int(5);
  b.voting_members = q.Int(6);
  b.set_up_on = q.Text(7);
  b.status = q.Text(8);
  b.dissolved_on = q.Text(9);
  b.created_by = q.Text(10);
  b.created_at = q.Text(11);
  b.updated_by = q.Text(12);
  b.updated_at = q.Text(13);
  return b;
}

Result<std::optional<Branch>> RegisteredBranch(Db* db, const std::string& id) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(std::string("SELECT ") + kBranchCols +
                                          " FROM party_branches WHERE branch_id = ?"));
  q.BindText(1, id);
  QF_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<Branch>();
  return std::optional<Branch>(BranchFromRow(q));
}

struct MeetingStats {
  std::string name;  // the latest meeting's branch name
  int64_t meetings = 0;
  std::string first, last;
};

// Per branch id in branch_meetings: count, first and last day, the latest name.
Result<std::map<std::string, MeetingStats>> StatsByBranch(Db* db, const std::string& only = "") {
  std::map<std::string, MeetingStats> out;
  QF_ASSIGN_OR_RETURN(
      Stmt q, db->Prepare("SELECT branch_id, COUNT(*), MIN(held_on), MAX(held_on), "
                          "(SELECT m2.branch_name FROM branch_meetings m2 WHERE m2.branch_id = "
                          "m.branch_id AND m2.branch_name IS NOT NULL ORDER BY m2.held_on DESC "
                          "LIMIT 1) FROM branch_meetings m WHERE branch_id IS NOT NULL AND "
                          "(?1 = '' OR branch_id = ?1) GROUP BY branch_id"));
  q.BindText(1, only);
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    MeetingStats& s = out[q.Text(0)];
    s.meetings = q.Int(1);
    s.first = q.IsNull(2) ? "" : q.Text(2);
    s.last = q.IsNull(3) ? "" : q.Text(3);
    s.name = q.IsNull(4) ? "" : q.Text(4);
  }
  return out;
}

Branch Unregistered(const std::string& id, const MeetingStats& s, const ScopeResolver& scope) {
  Branch b;
  b.branch_id = id;
  b.name = s.name.empty() ? id : s.name;
  b.registered = false;
  b.status = "active";
  b.org = OrgFromBranchName(s.name, [&](const std::string& n) { return scope.OrgInName(n); });
  b.region_code = scope.RegionOfOrg(b.org);
  b.meetings = s.meetings;
  b.first_meeting = s.first;
  b.last_meeting = s.last;
  return b;
}

Meeting MeetingFromRow(const Stmt& q, bool with_minutes) {
  Meeting m;
  m.meeting_id = q.Text(0);
  m.branch_id = q.IsNull(1) ? "" : q.Text(1);
  m.branch_name = q.IsNull(2) ? "" : q.Text(2);
  m.kind = q.IsNull(3) ? "" : q.Text(3);
  m.held_on = q.IsNull(4) ? "" : q.Text(4);
  m.attendees = q.IsNull(5) ? -1 : q.Int(5);
  m.expected = q.IsNull(6) ? -1 : q.Int(6);
  m.topic = q.IsNull(7) ? "" : q.Text(7);
  if (with_minutes && !q.IsNull(8)) m.minutes_text = q.Text(8);
  return m;
}

// Meetings of every branch (or one) held within [from, to].
Result<std::unordered_map<std::string, std::vector<Meeting>>> MeetingsBetween(
    Db* db, const std::string& from, const std::string& to, const std::string& branch = "") {
  std::unordered_map<std::string, std::vector<Meeting>> out;
  QF_ASSIGN_OR_RETURN(
      Stmt q, db->Prepare("SELECT meeting_id, branch_id, branch_name, kind, held_on, attendees, "
                          "expected, topic, NULL FROM branch_meetings WHERE held_on BETWEEN ?1 AND "
                          "?2 AND (?3 = '' OR branch_id = ?3) ORDER BY held_on, meeting_id"));
  q.BindText(1, from);
  q.BindText(2, to);
  q.BindText(3, branch);
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    Meeting m = MeetingFromRow(q, false);
    out[m.branch_id].push_back(std::move(m));
  }
  return out;
}

std::string Pad2(int v) {
  char b[16];
  std::snprintf(b, sizeof b, "%02d", v);
  return b;
}

int LastDayOfMonth(int y, int m) {
  int nm = m == 12 ? 1 : m + 1, ny = m == 12 ? y + 1 : y;
  return static_cast<int>(DaysFromCivil(ny, nm, 1) - DaysFromCivil(y, m, 1));
}

std::string YearText(int y) {
  char b[16];
  std::snprintf(b, sizeof b, "%04d", y);
  return b;
}

}  // namespace

// ---------------------------------------------------------------------------
// Parameters

Result<PartyParams> LoadPartyParams(const std::string& settings_path) {
  PartyParams p;
  QF_ASSIGN_OR_RETURN(engine::Settings settings, engine::Settings::Load(settings_path));
  if (const engine::Model* m = engine::FindBuiltinModel(models::kFrequencyModel)) {
    QF_ASSIGN_OR_RETURN(engine::Params params, settings.ParamsFor(m->info()));
    p.requirements = models::RequirementsFromParams(params);
  }
  if (const engine::Model* m = engine::FindBuiltinModel(models::kQuorumModel)) {
    QF_ASSIGN_OR_RETURN(engine::Params params, settings.ParamsFor(m->info()));
    p.quorum_ratio = params.Number(models::kQuorumParam);
  }
  std::ifstream in(settings_path, std::ios::binary);
  if (!in) return p;
  std::stringstream ss;
  ss << in.rdbuf();
  json j = json::parse(ss.str(), nullptr, false);
  if (!j.is_object() || !j.contains("party")) return p;
  const json& party = j["party"];
  if (!party.is_object()) {
    return Status::InvalidInput(settings_path + ": \"party\" must be an object",
                                settings_path + "：\"party\" 必须是对象");
  }
  for (auto& [name, value] : party.items()) {
    if (name != "warn_working_days") {
      return Status::InvalidInput(settings_path + ": unknown setting party." + name,
                                  settings_path + "：未知的设置 party." + name);
    }
    if (!value.is_number_integer() || value.get<int64_t>() < 0 || value.get<int64_t>() > 60) {
      return Status::InvalidInput(
          settings_path + ": party.warn_working_days must be a whole number 0–60",
          settings_path + "：party.warn_working_days 应为0至60之间的整数");
    }
    p.warn_working_days = static_cast<int>(value.get<int64_t>());
  }
  return p;
}

// ---------------------------------------------------------------------------
// Registry

Status ValidateBranchId(std::string_view id) {
  bool ok = id.size() >= 2 && id.size() <= 32 && std::isalnum(static_cast<unsigned char>(id[0]));
  for (char c : id) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || !(std::isalnum(u) || c == '-' || c == '_')) ok = false;
  }
  if (ok) return Status::OK();
  return Status::InvalidInput(
      "branch_id must be 2–32 ASCII letters, digits, '-' or '_' (e.g. DZB0001), not \"" +
          std::string(id) + "\"",
      "支部编号应为2至32位英文字母、数字、“-”或“_”（如 DZB0001），而不是“" + std::string(id) + "”");
}

std::string OrgFromBranchName(const std::string& name,
                              const std::function<std::string(const std::string&)>& known_org) {
  if (name.empty()) return "";
  if (known_org) {
    std::string org = known_org(name);
    if (!org.empty()) return org;
  }
  std::string s = name;
  bool stripped = false;
  for (const char* prefix : {"中国共产党", "中共"}) {
    std::string p = prefix;
    if (s.rfind(p, 0) == 0) {
      s = s.substr(p.size());
      stripped = true;
      break;
    }
  }
  // Longest suffixes first: 总支部委员会 before 支部委员会 before 委员会.
  for (const char* suffix : {"机关总支部委员会", "总支部委员会", "机关支部委员会", "支部委员会",
                             "机关党支部", "党总支部", "党总支", "第一党支部", "党支部", "支部"}) {
    std::string x = suffix;
    if (s.size() > x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0) {
      s.resize(s.size() - x.size());
      stripped = true;
      break;
    }
  }
  return stripped ? s : "";
}

Result<Branch> AddBranch(Db* db, Branch b, const std::string& actor) {
  QF_RETURN_IF_ERROR(ValidateBranchId(b.branch_id));
  if (b.status.empty()) b.status = "active";
  QF_RETURN_IF_ERROR(CheckBranch(&b));
  if (b.region_code.empty() && !b.org.empty()) {
    ScopeResolver scope(db);
    QF_RETURN_IF_ERROR(scope.Init());
    b.region_code = scope.RegionOfOrg(b.org);
  }
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(auto existing, RegisteredBranch(db, b.branch_id));
  if (existing) {
    return Status::InvalidInput("branch " + b.branch_id + " is already registered",
                                "支部 " + b.branch_id + " 已登记");
  }
  const std::string now = NowShanghai();
  QF_ASSIGN_OR_RETURN(Stmt ins,
                      db->Prepare(std::string("INSERT INTO party_branches (") + kBranchCols +
                                  ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  ins.BindText(1, b.branch_id);
  BindBranchFields(&ins, 2, b);
  ins.BindText(11, actor);
  ins.BindText(12, now);
  ins.BindText(13, actor);
  ins.BindText(14, now);
  QF_RETURN_IF_ERROR(ins.Run());
  QF_RETURN_IF_ERROR(
      AppendAction(db, actor, "party_branch_add", "branch:" + b.branch_id, BranchDetails(b)));
  QF_RETURN_IF_ERROR(tx.Commit());
  return GetBranch(db, b.branch_id);
}

Result<Branch> UpdateBranch(Db* db, const std::string& branch_id, const BranchUpdate& u,
                            const std::string& actor) {
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(auto existing, RegisteredBranch(db, branch_id));
  if (!existing) {
    return Status::NotFound("branch " + branch_id + " is not registered (支部 " + branch_id +
                            " 未登记)");
  }
  Branch b = *existing;
  json changed = json::object();
  auto set_text = [&](const std::optional<std::string>& v, std::string* field, const char* name) {
    if (v && *v != *field) {
      *field = *v;
      changed[name] = *v;
    }
  };
  set_text(u.name, &b.name, "name");
  set_text(u.org, &b.org, "org");
  set_text(u.region_code, &b.region_code, "region_code");
  set_text(u.secretary, &b.secretary, "secretary");
  set_text(u.set_up_on, &b.set_up_on, "set_up_on");
  set_text(u.status, &b.status, "status");
  set_text(u.dissolved_on, &b.dissolved_on, "dissolved_on");
  if (u.members && *u.members != b.members) {
    b.members = *u.members;
    changed["members"] = b.members;
  }
  if (u.voting_members && *u.voting_members != b.voting_members) {
    b.voting_members = *u.voting_members;
    changed["voting_members"] = b.voting_members;
  }
  QF_RETURN_IF_ERROR(CheckBranch(&b));
  if (changed.empty() && b.dissolved_on == existing->dissolved_on) return *existing;
  if (b.dissolved_on != existing->dissolved_on) changed["dissolved_on"] = b.dissolved_on;
  QF_ASSIGN_OR_RETURN(Stmt up,
                      db->Prepare("UPDATE party_branches SET name = ?, org = ?, region_code = ?, "
                                  "secretary = ?, members = ?, voting_members = ?, set_up_on = ?, "
                                  "status = ?, dissolved_on = ?, updated_by = ?, updated_at = ? "
                                  "WHERE branch_id = ?"));
  BindBranchFields(&up, 1, b);
  up.BindText(10, actor);
  up.BindText(11, NowShanghai());
  up.BindText(12, branch_id);
  QF_RETURN_IF_ERROR(up.Run());
  QF_RETURN_IF_ERROR(
      AppendAction(db, actor, "party_branch_update", "branch:" + branch_id, changed));
  QF_RETURN_IF_ERROR(tx.Commit());
  return GetBranch(db, branch_id);
}

Result<std::vector<Branch>> ListBranches(Db* db, const BranchFilter& visible) {
  QF_ASSIGN_OR_RETURN(auto stats, StatsByBranch(db));
  std::vector<Branch> out;
  std::set<std::string> registered;
  {
    QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(std::string("SELECT ") + kBranchCols +
                                            " FROM party_branches ORDER BY branch_id"));
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      Branch b = BranchFromRow(q);
      if (auto it = stats.find(b.branch_id); it != stats.end()) {
        b.meetings = it->second.meetings;
        b.first_meeting = it->second.first;
        b.last_meeting = it->second.last;
      }
      registered.insert(b.branch_id);
      if (!visible || visible(b)) out.push_back(std::move(b));
    }
  }
  bool any_unregistered = false;
  for (const auto& [id, s] : stats) any_unregistered |= !registered.count(id);
  if (any_unregistered) {
    ScopeResolver scope(db);
    QF_RETURN_IF_ERROR(scope.Init());
    for (const auto& [id, s] : stats) {
      if (registered.count(id)) continue;
      Branch b = Unregistered(id, s, scope);
      if (!visible || visible(b)) out.push_back(std::move(b));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Branch& a, const Branch& b) { return a.branch_id < b.branch_id; });
  return out;
}

Result<Branch> GetBranch(Db* db, const std::string& branch_id) {
  QF_ASSIGN_OR_RETURN(auto stats, StatsByBranch(db, branch_id));
  QF_ASSIGN_OR_RETURN(auto reg, RegisteredBranch(db, branch_id));
  auto it = stats.find(branch_id);
  if (reg) {
    Branch b = *reg;
    if (it != stats.end()) {
      b.meetings = it->second.meetings;
      b.first_meeting = it->second.first;
      b.last_meeting = it->second.last;
    }
    return b;
  }
  if (it == stats.end()) {
    return Status::NotFound("no branch " + branch_id + " (没有支部 " + branch_id + ")");
  }
  ScopeResolver scope(db);
  QF_RETURN_IF_ERROR(scope.Init());
  return Unregistered(branch_id, it->second, scope);
}

Result<std::vector<Branch>> ImportBranches(Db* db, const std::string& actor,
                                           const BranchFilter& visible) {
  QF_ASSIGN_OR_RETURN(std::vector<Branch> all, ListBranches(db, visible));
  std::vector<Branch> todo;
  for (Branch& b : all) {
    if (!b.registered && ValidateBranchId(b.branch_id).ok()) todo.push_back(std::move(b));
  }
  if (todo.empty()) return todo;
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  const std::string now = NowShanghai();
  QF_ASSIGN_OR_RETURN(
      Stmt ins, db->Prepare(std::string("INSERT OR IGNORE INTO party_branches (") + kBranchCols +
                            ") VALUES (?, ?, ?, ?, '', 0, 0, '', 'active', '', ?, "
                            "?, ?, ?)"));
  QF_ASSIGN_OR_RETURN(auto led, ledger::Ledger::Open(db));
  std::vector<Branch> done;
  for (Branch& b : todo) {
    ins.Reset();
    ins.BindText(1, b.branch_id);
    ins.BindText(2, b.name.substr(0, 200));
    ins.BindText(3, b.org);
    ins.BindText(4, b.region_code);
    ins.BindText(5, actor);
    ins.BindText(6, now);
    ins.BindText(7, actor);
    ins.BindText(8, now);
    QF_RETURN_IF_ERROR(ins.Run());
    if (db->Changes() == 0) continue;  // registered meanwhile
    b.registered = true;
    b.created_by = b.updated_by = actor;
    b.created_at = b.updated_at = now;
    json details = BranchDetails(b);
    details["imported"] = true;
    ledger::Action a;
    a.actor = actor;
    a.action = "party_branch_add";
    a.target = "branch:" + b.branch_id;
    a.details_json = details.dump();
    QF_RETURN_IF_ERROR(led->AppendAction(a).status());
    done.push_back(std::move(b));
  }
  QF_RETURN_IF_ERROR(led->Flush());
  QF_RETURN_IF_ERROR(tx.Commit());
  return done;
}

// ---------------------------------------------------------------------------
// Meetings

Result<std::vector<Meeting>> ListMeetings(Db* db, const MeetingFilter& f) {
  std::string from = f.year > 0 ? YearText(f.year) + "-01-01" : "";
  std::string to = f.year > 0 ? YearText(f.year) + "-12-31" : "";
  QF_ASSIGN_OR_RETURN(
      Stmt q, db->Prepare(std::string("SELECT meeting_id, branch_id, branch_name, kind, held_on, "
                                      "attendees, expected, topic, ") +
                          (f.with_minutes ? "minutes_text" : "NULL") +
                          " FROM branch_meetings WHERE (?1 = '' OR branch_id = ?1) AND (?2 = '' OR "
                          "kind = ?2) AND (?3 = '' OR held_on BETWEEN ?3 AND ?4) "
                          "ORDER BY held_on DESC, meeting_id DESC"));
  q.BindText(1, f.branch_id);
  q.BindText(2, f.kind);
  q.BindText(3, from);
  q.BindText(4, to);
  std::vector<Meeting> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(MeetingFromRow(q, f.with_minutes));
  }
  return out;
}

Result<Meeting> GetMeeting(Db* db, const std::string& meeting_id) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT meeting_id, branch_id, branch_name, kind, "
                                          "held_on, attendees, expected, topic, minutes_text FROM "
                                          "branch_meetings WHERE meeting_id = ?"));
  q.BindText(1, meeting_id);
  QF_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) {
    return Status::NotFound("no meeting " + meeting_id + " (没有会议记录 " + meeting_id + ")");
  }
  return MeetingFromRow(q, true);
}

Status ValidateMeeting(Db* db, NewMeeting* m, const CivilDate& today) {
  if (m->branch_id.empty())
    return Status::InvalidInput("branch_id is required", "支部编号必须填写");
  if (!models::FindRequirement(m->kind)) {
    std::string kinds;
    for (const auto& r : models::MeetingRequirements())
      kinds += (kinds.empty() ? "" : "、") + r.kind;
    return Status::InvalidInput("kind must be one of " + kinds + ", not \"" + m->kind + "\"",
                                "会议类型应为" + kinds + "之一，而不是“" + m->kind + "”");
  }
  if (m->held_on.empty()) return Status::InvalidInput("held_on is required", "召开日期必须填写");
  QF_RETURN_IF_ERROR(NormaliseDate(&m->held_on, "held_on", "召开日期"));
  if (m->held_on > FormatDate(today)) {
    return Status::InvalidInput("held_on " + m->held_on + " is in the future",
                                "召开日期 " + m->held_on + " 晚于今天");
  }
  if ((m->attendees < 0 && m->attendees != -1) || (m->expected < 0 && m->expected != -1)) {
    return Status::InvalidInput("attendance cannot be negative", "到会人数不能为负数");
  }
  if (m->attendees >= 0 && m->expected >= 0 && m->attendees > m->expected) {
    return Status::InvalidInput("attendees (" + std::to_string(m->attendees) +
                                    ") cannot exceed expected (" + std::to_string(m->expected) +
                                    ")",
                                "实到人数（" + std::to_string(m->attendees) +
                                    "）不能多于应到人数（" + std::to_string(m->expected) + "）");
  }
  if (m->topic.size() > 500 || m->minutes_text.size() > 200000) {
    return Status::InvalidInput("topic or minutes too long", "会议主题或会议记录过长");
  }
  auto branch = GetBranch(db, m->branch_id);
  if (!branch.ok()) {
    if (branch.status().code() != Status::Code::kNotFound) return branch.status();
    return Status::InvalidInput(
        "unknown branch " + m->branch_id + " (neither registered nor in the meetings)",
        "未知的支部编号“" + m->branch_id + "”（既未登记，也无会议记录）");
  }
  if (branch->status == "dissolved" && !branch->dissolved_on.empty() &&
      m->held_on > branch->dissolved_on) {
    return Status::InvalidInput(
        "branch " + m->branch_id + " was dissolved on " + branch->dissolved_on,
        "支部 " + m->branch_id + " 已于 " + branch->dissolved_on + " 撤销");
  }
  if (m->branch_name.empty()) m->branch_name = branch->name;
  if (m->meeting_id.empty()) {
    std::string base = "HY-" + m->branch_id + "-" + m->held_on.substr(0, 4) +
                       m->held_on.substr(5, 2) + m->held_on.substr(8, 2) + "-";
    QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT meeting_id FROM branch_meetings WHERE "
                                            "meeting_id >= ?1 AND meeting_id < ?1 || '~'"));
    q.BindText(1, base);
    std::set<std::string> taken;
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      taken.insert(q.Text(0));
    }
    int n = 1;
    while (taken.count(base + std::to_string(n))) ++n;
    m->meeting_id = base + std::to_string(n);
  } else {
    if (m->meeting_id.size() > 64) {
      return Status::InvalidInput("meeting_id too long", "会议编号过长");
    }
    auto existing = GetMeeting(db, m->meeting_id);
    if (existing.ok()) {
      return Status::InvalidInput("meeting " + m->meeting_id + " already exists",
                                  "会议编号 " + m->meeting_id + " 已存在");
    }
    if (existing.status().code() != Status::Code::kNotFound) return existing.status();
  }
  return Status::OK();
}

Result<Meeting> EnterMeeting(Store* store, NewMeeting m, const std::string& work_dir,
                             const std::string& actor) {
  // The meeting's row and its action: one transaction (the import inside is a
  // savepoint of it).
  Transaction tx(store->db());
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_RETURN_IF_ERROR(ValidateMeeting(store->db(), &m, TodayShanghai()));
  std::map<std::string, std::string> rec = {
      {"meeting_id", m.meeting_id},    {"branch_id", m.branch_id},
      {"branch_name", m.branch_name},  {"kind", m.kind},
      {"held_on", m.held_on},          {"topic", m.topic},
      {"minutes_text", m.minutes_text}};
  if (m.attendees >= 0) rec["attendees"] = std::to_string(m.attendees);
  if (m.expected >= 0) rec["expected"] = std::to_string(m.expected);
  std::error_code ec;
  std::filesystem::create_directories(work_dir, ec);
  QF_ASSIGN_OR_RETURN(EntryResult r,
                      EnterRecords(store, "branch_meetings", {rec}, work_dir, "meeting"));
  if (r.report.accepted == 0) {
    std::string why = r.problems.empty() ? "" : r.problems[0].reason_en;
    std::string why_zh = r.problems.empty() ? "" : r.problems[0].reason_zh;
    return Status::InvalidInput("the meeting was not accepted: " + why,
                                "会议记录未被接受：" + why_zh);
  }
  json details = {{"meeting_id", m.meeting_id},
                  {"branch_id", m.branch_id},
                  {"kind", m.kind},
                  {"held_on", m.held_on},
                  {"import_id", r.report.import_id}};
  QF_RETURN_IF_ERROR(ledger::RecordAction(store->db(), {actor, "party_meeting_add",
                                                        "meeting:" + m.meeting_id, details.dump()})
                         .status());
  QF_RETURN_IF_ERROR(tx.Commit());
  return GetMeeting(store->db(), m.meeting_id);
}

// ---------------------------------------------------------------------------
// Calendar

const char* CellStatusName(CellStatus s) {
  switch (s) {
    case CellStatus::kMet:
      return "met";
    case CellStatus::kMissed:
      return "missed";
    case CellStatus::kAtRisk:
      return "at_risk";
    case CellStatus::kOpen:
      return "open";
    case CellStatus::kFuture:
      return "future";
    case CellStatus::kNotDue:
      return "not_due";
  }
  return "not_due";
}

const char* CellStatusZh(CellStatus s) {
  switch (s) {
    case CellStatus::kMet:
      return "已召开";
    case CellStatus::kMissed:
      return "未召开";
    case CellStatus::kAtRisk:
      return "临期";
    case CellStatus::kOpen:
      return "进行中";
    case CellStatus::kFuture:
      return "未到期";
    case CellStatus::kNotDue:
      return "不适用";
  }
  return "不适用";
}

Calendar BuildCalendar(const Branch& branch, const std::vector<Meeting>& meetings, int year,
                       const CivilDate& as_of, const PartyParams& params) {
  Calendar cal;
  cal.branch = branch;
  cal.year = year;
  cal.as_of = FormatDate(as_of);
  cal.warn_working_days = params.warn_working_days;
  const int64_t today = DaysFromCivil(as_of.year, as_of.month, as_of.day);
  // The branch's life: registered dates, or the month of its first meeting.
  int64_t life_from = INT64_MIN, life_to = INT64_MAX;
  if (branch.registered) {
    if (!branch.set_up_on.empty()) life_from = DayOf(branch.set_up_on);
    if (branch.status == "dissolved" && !branch.dissolved_on.empty()) {
      life_to = DayOf(branch.dissolved_on);
    }
  } else if (auto d = ParseDate(branch.first_meeting)) {
    life_from = DaysFromCivil(d->year, d->month, 1);
  }
  for (const MeetingRequirement& req : params.requirements) {
    if (req.per_period <= 0) continue;
    CalendarRow row;
    row.requirement = req;
    const int periods = models::PeriodsPerYear(req.period);
    const int span = 12 / periods;
    for (int i = 0; i < periods; ++i) {
      CalendarCell c;
      c.index = i + 1;
      c.first_month = i * span + 1;
      c.last_month = c.first_month + span - 1;
      c.required = req.per_period;
      const int64_t start = DaysFromCivil(year, c.first_month, 1);
      const int64_t end = DaysFromCivil(year, c.last_month, LastDayOfMonth(year, c.last_month));
      c.start = FormatDate(CivilFromDays(start));
      c.end = FormatDate(CivilFromDays(end));
      c.label = req.period == MeetingPeriod::kMonth ? YearText(year) + "-" + Pad2(c.index)
                : req.period == MeetingPeriod::kQuarter
                    ? YearText(year) + "Q" + std::to_string(c.index)
                    : YearText(year);
      int quorumless = 0;
      for (const Meeting& m : meetings) {
        if (m.kind != req.kind || m.held_on < c.start || m.held_on > c.end) continue;
        // Judged as of a day: a meeting held later is not yet known then.
        if (m.held_on.substr(0, 10) > cal.as_of) continue;
        CalendarMeeting cm;
        cm.meeting_id = m.meeting_id;
        cm.held_on = m.held_on;
        cm.topic = m.topic;
        cm.attendees = m.attendees;
        cm.expected = m.expected;
        if (req.kind == models::kAssemblyKind && m.attendees >= 0) {
          bool ok = models::HasQuorum(m.attendees, m.expected, params.quorum_ratio);
          if (branch.registered && branch.voting_members > 0) {
            ok = ok && models::HasQuorum(m.attendees, branch.voting_members, params.quorum_ratio);
          }
          cm.no_quorum = !ok;
          cm.counted = ok;
        }
        if (cm.counted) ++c.held;
        if (cm.no_quorum) ++quorumless;
        c.meetings.push_back(std::move(cm));
      }
      cal.no_quorum += quorumless;
      const bool applies = start >= life_from && end <= life_to;
      if (!applies) {
        c.status = CellStatus::kNotDue;
      } else if (c.held >= c.required) {
        c.status = CellStatus::kMet;
      } else if (start > today) {
        c.status = CellStatus::kFuture;
      } else if (end < today) {
        c.status = CellStatus::kMissed;
      } else {
        // Working days in [today, end]: today counts while it is a working day.
        c.working_days_left = WorkingDaysBetweenDays(today - 1, end);
        c.status = c.working_days_left <= params.warn_working_days ? CellStatus::kAtRisk
                                                                   : CellStatus::kOpen;
      }
      if (applies && end < today) {
        ++cal.due;
        if (c.status == CellStatus::kMet) ++cal.met;
        if (c.status == CellStatus::kMissed) ++cal.missed;
      }
      if (c.status == CellStatus::kAtRisk) ++cal.at_risk;
      row.cells.push_back(std::move(c));
    }
    cal.rows.push_back(std::move(row));
  }
  return cal;
}

Result<Calendar> BranchCalendar(Db* db, const std::string& branch_id, int year,
                                const CivilDate& as_of, const PartyParams& params) {
  QF_ASSIGN_OR_RETURN(Branch b, GetBranch(db, branch_id));
  QF_ASSIGN_OR_RETURN(auto meetings, MeetingsBetween(db, YearText(year) + "-01-01",
                                                     YearText(year) + "-12-31", branch_id));
  return BuildCalendar(b, meetings[branch_id], year, as_of, params);
}

namespace {

// Calendars of every visible branch for a year.
Result<std::vector<Calendar>> AllCalendars(Db* db, int year, const CivilDate& as_of,
                                           const PartyParams& params, const BranchFilter& visible) {
  QF_ASSIGN_OR_RETURN(std::vector<Branch> branches, ListBranches(db, visible));
  QF_ASSIGN_OR_RETURN(auto meetings,
                      MeetingsBetween(db, YearText(year) + "-01-01", YearText(year) + "-12-31"));
  std::vector<Calendar> out;
  out.reserve(branches.size());
  static const std::vector<Meeting> kNone;
  for (const Branch& b : branches) {
    auto it = meetings.find(b.branch_id);
    out.push_back(BuildCalendar(b, it == meetings.end() ? kNone : it->second, year, as_of, params));
  }
  return out;
}

}  // namespace

Result<std::vector<PartyWarning>> PartyWarnings(Db* db, const CivilDate& as_of,
                                                const PartyParams& params,
                                                const BranchFilter& visible) {
  QF_ASSIGN_OR_RETURN(std::vector<Calendar> cals,
                      AllCalendars(db, as_of.year, as_of, params, visible));
  std::vector<PartyWarning> out;
  for (const Calendar& cal : cals) {
    for (const CalendarRow& row : cal.rows) {
      for (const CalendarCell& c : row.cells) {
        if (c.status != CellStatus::kMissed && c.status != CellStatus::kAtRisk) continue;
        PartyWarning w;
        w.branch_id = cal.branch.branch_id;
        w.branch_name = cal.branch.name;
        w.org = cal.branch.org;
        w.region_code = cal.branch.region_code;
        w.registered = cal.branch.registered;
        w.kind = row.requirement.kind;
        w.period = models::PeriodName(row.requirement.period);
        w.label = c.label;
        w.start = c.start;
        w.end = c.end;
        w.status = c.status;
        w.required = c.required;
        w.held = c.held;
        w.working_days_left = c.working_days_left;
        for (const CalendarMeeting& m : c.meetings) w.no_quorum += m.no_quorum ? 1 : 0;
        out.push_back(std::move(w));
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const PartyWarning& a, const PartyWarning& b) {
    if (a.end != b.end) return a.end > b.end;
    if (a.status != b.status) return a.status == CellStatus::kAtRisk;
    if (a.branch_id != b.branch_id) return a.branch_id < b.branch_id;
    return a.kind < b.kind;
  });
  return out;
}

Result<std::vector<OrgSummary>> PartySummary(Db* db, int year, const CivilDate& as_of,
                                             const PartyParams& params,
                                             const BranchFilter& visible) {
  QF_ASSIGN_OR_RETURN(std::vector<Calendar> cals, AllCalendars(db, year, as_of, params, visible));
  std::map<std::string, OrgSummary> by_org;
  for (const Calendar& cal : cals) {
    OrgSummary& s = by_org[cal.branch.org];
    s.org = cal.branch.org;
    ++s.branches;
    s.due += cal.due;
    s.met += cal.met;
    s.missed += cal.missed;
    s.at_risk += cal.at_risk;
    s.no_quorum += cal.no_quorum;
  }
  std::vector<OrgSummary> out;
  for (auto& [org, s] : by_org) {
    s.rate = s.due > 0 ? static_cast<double>(s.met) / s.due : 0;
    out.push_back(s);
  }
  return out;
}

}  // namespace qf::leads
