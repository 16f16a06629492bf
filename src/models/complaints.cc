// Family: complaints (12345 督查督办). Orders closed after their time limit,
// passed around between departments (推绕拖), repeated by the same caller after a
// closure, closed although the caller was dissatisfied; and organisations
// ranked by on-time rate and satisfaction.
//
// Time limits are working days after the day an order was received
// (AddWorkingDays on the official calendar, 调休 included); an order closed on
// the last allowed day, at any hour, is on time. Two rules decide the deadline:
//  - 延期 needs approval: a 延期 event extends the deadline only when it records
//    an approved extension — its note says so (同意, 批准, 准予, 通过) or states
//    the extension as a fact ("延期5个工作日", or no note at all). A bare request
//    ("申请延期办理", nothing approved on record) or a refusal (不同意, 驳回,
//    未批准 …) leaves the deadline as it was. The first approved extension
//    dated on or before the original deadline counts, once, by the working days
//    its note states, capped at extension_max_days (0 = the category's own
//    limit, the usual "延期不超过原办理时限"); without a number, the cap. An
//    extension granted after the deadline cannot rescue it.
//  - 重办: a redo opens a new handling cycle: the first answer (the 办结 before
//    the first 重办) is judged against the deadline, the final closure against
//    the later of the deadline and the limit counted from the last 重办.
// An order still open at the data's latest date (the latest received_at,
// closed_at or event time) is overdue once that date is past its deadline.
#include "models/complaints.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <span>
#include <tuple>
#include <unordered_map>

#include "common/calendar.h"
#include "common/text.h"
#include "common/time.h"
#include "models/common.h"
#include "models/families.h"

namespace qf::models {

namespace {

using namespace engine;

// What the models read of a complaint, and show as evidence. The free-text
// content is left out: it is long, personal, and no rule reads it.
const std::vector<std::string>& ComplaintColumns() {
  static const std::vector<std::string> kCols = {"received_at", "channel",     "category",
                                                 "region_code", "caller_hash", "assigned_org",
                                                 "status",      "closed_at",   "satisfaction"};
  return kCols;
}

const std::vector<std::string>& EventColumns() {
  static const std::vector<std::string> kCols = {"complaint_id", "at",     "action",
                                                 "from_org",     "to_org", "note"};
  return kCols;
}

std::vector<Input> ComplaintInputs() {
  return {{"complaints", ComplaintColumns()}, {"complaint_events", EventColumns()}};
}

// The limit parameters every timeliness judgement reads (complaints.h).
std::vector<ParamDef> LimitParams() { return ClockParams(); }

// Events of every complaint, sorted by time, and the action codes.
class Trails {
 public:
  explicit Trails(const Snapshot& s) : c_(s.at("complaints")), e_(s.at("complaint_events")) {
    const Column& cid = e_.col("complaint_id");
    const Column& at = e_.col("at");
    sorted_.resize(e_.size());
    for (size_t r = 0; r < e_.size(); ++r) sorted_[r] = static_cast<uint32_t>(r);
    std::sort(sorted_.begin(), sorted_.end(), [&](uint32_t x, uint32_t y) {
      return std::make_tuple(cid.codes[x], at.ints[x], x) <
             std::make_tuple(cid.codes[y], at.ints[y], y);
    });
    for (size_t i = 0; i < sorted_.size();) {
      size_t j = i;
      while (j < sorted_.size() && cid.codes[sorted_[j]] == cid.codes[sorted_[i]]) ++j;
      ranges_[cid.codes[sorted_[i]]] = {static_cast<uint32_t>(i), static_cast<uint32_t>(j - i)};
      i = j;
    }
    // The data's "now": its latest timestamp.
    as_of_day_ = kNull;
    auto see = [&](int64_t sec) {
      if (sec != kNull) as_of_day_ = std::max(as_of_day_, DayOf(sec));
    };
    for (size_t r = 0; r < c_.size(); ++r) {
      see(c_.col("received_at").ints[r]);
      see(c_.col("closed_at").ints[r]);
    }
    for (size_t r = 0; r < e_.size(); ++r) see(at.ints[r]);
    transfer = s.find("转派");
    returned = s.find("退单");
    extend = s.find("延期");
    close = s.find("办结");
    visit = s.find("回访");
    redo = s.find("重办");
    urge = s.find("催办");
  }

  const Table& complaints() const { return c_; }
  const Table& events() const { return e_; }
  // Event rows of the complaint at `row`, oldest first.
  std::span<const uint32_t> Events(size_t row) const {
    auto it = ranges_.find(c_.key_code(row));
    if (it == ranges_.end()) return {};
    return std::span<const uint32_t>(sorted_).subspan(it->second.first, it->second.second);
  }
  uint32_t Action(uint32_t event_row) const { return e_.col("action").codes[event_row]; }
  int64_t At(uint32_t event_row) const { return e_.col("at").ints[event_row]; }
  int64_t as_of_day() const { return as_of_day_; }
  bool Is(uint32_t event_row, uint32_t action) const {
    return action != kNoString && Action(event_row) == action;
  }

  uint32_t transfer, returned, extend, close, visit, redo, urge;

 private:
  const Table& c_;
  const Table& e_;
  std::vector<uint32_t> sorted_;
  std::unordered_map<uint32_t, std::pair<uint32_t, uint32_t>> ranges_;
  int64_t as_of_day_;
};

// How one order did against its time limit: ClockOf (complaints.h) on the
// snapshot's row, with the events it names mapped back to event rows.
struct Timeliness {
  bool judged = false;
  int limit = 0;
  int64_t received_day = kNull;
  int64_t base_deadline = kNull;
  int64_t deadline = kNull;
  int64_t extension_row = kNoRow;
  int64_t unapproved_row = kNoRow;
  int extension_days = 0;
  int64_t redo_row = kNoRow;
  int64_t redo_deadline = kNull;
  int64_t first_close_row = kNoRow;
  int64_t final_close_row = kNoRow;
  int64_t close_sec = kNull;
  bool open = false;
  bool due = false;
  bool late = false;
  int64_t late_deadline = kNull;
  int64_t late_day = kNull;
  bool late_first_answer = false;
};

Timeliness Judge(const Snapshot& s, const Trails& tr, const ClockLimits& lim, size_t r) {
  Timeliness t;
  const Table& c = tr.complaints();
  const Table& e = tr.events();
  auto rows = tr.Events(r);
  std::vector<ClockEvent> events;
  events.reserve(rows.size());
  for (uint32_t ev : rows) {
    events.push_back({tr.At(ev), s.str(tr.Action(ev)), s.str(e.col("note").codes[ev])});
  }
  OrderClock k = ClockOf(c.col("received_at").ints[r], s.str(c.col("category").codes[r]), events,
                         c.col("closed_at").ints[r], tr.as_of_day(), lim);
  auto row = [&](int i) { return i < 0 ? int64_t{kNoRow} : int64_t{rows[static_cast<size_t>(i)]}; };
  t.judged = k.judged;
  t.limit = k.limit;
  t.received_day = k.received_day;
  t.base_deadline = k.base_deadline;
  t.deadline = k.deadline;
  t.extension_row = row(k.extension);
  t.unapproved_row = row(k.unapproved);
  t.extension_days = k.extension_days;
  t.redo_row = row(k.redo);
  t.redo_deadline = k.redo_deadline;
  t.first_close_row = row(k.first_close);
  t.final_close_row = row(k.final_close);
  t.close_sec = k.close_sec;
  t.open = k.open;
  t.due = k.due;
  t.late = k.late;
  t.late_deadline = k.late_deadline;
  t.late_day = k.late_day;
  t.late_first_answer = k.late_first_answer;
  return t;
}

std::string Category(const Snapshot& s, const Table& c, size_t r) {
  std::string_view cat = s.str(c.col("category").codes[r]);
  return cat.empty() ? std::string("未分类") : std::string(cat);
}

std::string OrgOf(const Snapshot& s, const Table& c, size_t r) {
  std::string_view org = s.str(c.col("assigned_org").codes[r]);
  return org.empty() ? std::string("承办单位不详") : std::string(org);
}

// "工单GD…（投诉，阜新市自然资源局承办）"
std::string OrderText(const Snapshot& s, const Table& c, size_t r) {
  return "工单" + std::string(s.key(c, r)) + "（" + Category(s, c, r) + "，" + OrgOf(s, c, r) +
         "承办）";
}

Evidence EventEvidence(const Snapshot& s, const Table& e, uint32_t row) {
  return MakeEvidence(s, e, row, EventColumns());
}

void AddEvent(const Snapshot& s, const Table& e, int64_t row, Finding* f) {
  if (row == kNoRow) return;
  for (const Evidence& ev : f->evidence) {
    if (ev.dataset == e.name() && ev.key == s.key(e, static_cast<size_t>(row))) return;
  }
  f->evidence.push_back(EventEvidence(s, e, static_cast<uint32_t>(row)));
}

std::string LateText(int64_t deadline, int64_t day) {
  int wd = WorkingDaysBetweenDays(deadline, day);
  return wd > 0 ? "超期" + std::to_string(wd) + "个工作日"
                : "超期" + std::to_string(day - deadline) + "天";
}

// 超期办结: closed after the limit, or still open past it.
std::unique_ptr<Model> ComplaintOverdue() {
  ModelInfo info;
  info.id = "complaint_overdue";
  info.name_zh = "诉求工单超期办理";
  info.name_en = "Complaints handled past their time limit";
  info.family = "complaints";
  info.detects =
      "12345工单在受理之日后按类别规定的工作日时限（咨询3、求助5、建议5、投诉15、举报15个"
      "工作日，按国务院节假日安排计算）内未办结，或截至数据最新日期仍未办结且已超时限。"
      "时限内经批准的延期可延长一次（默认不超过原时限）；重办另计时限。";
  info.basis =
      "各地12345政务服务便民热线工单办理规范：承办单位应在规定时限内办结，确需延期的须在"
      "时限届满前申请并经批准；按时办结率是督查督办和绩效考核的核心指标。超期办理是"
      "“推绕拖”、不作为慢作为的直接表现。时限为地方规定，均可设置。";
  info.severity = Severity::kMedium;
  info.inputs = ComplaintInputs();
  info.params = LimitParams();
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Trails tr(s);
    const ClockLimits lim = ClockLimits::FromParams(ctx.params);
    const Table& c = tr.complaints();
    const Table& e = tr.events();
    for (size_t r = 0; r < c.size(); ++r) {
      Timeliness t = Judge(s, tr, lim, r);
      if (!t.late) continue;
      Finding f;
      f.identity = std::string(s.key(c, r));
      f.subject = {"complaints", f.identity, OrgOf(s, c, r)};
      int wd = std::max(1, WorkingDaysBetweenDays(t.late_deadline, t.late_day));
      f.score = ScaleScore(t.open ? 55 : 45, double(wd), 20.0);
      f.evidence.push_back(MakeEvidence(s, c, r, ComplaintColumns()));
      AddEvent(s, e, t.extension_row, &f);
      if (t.extension_row == kNoRow) AddEvent(s, e, t.unapproved_row, &f);
      AddEvent(s, e, t.first_close_row, &f);
      AddEvent(s, e, t.redo_row, &f);
      AddEvent(s, e, t.final_close_row, &f);
      std::string text = OrderText(s, c, r) + "于" + DayText(t.received_day) + "受理，办理时限" +
                         std::to_string(t.limit) + "个工作日";
      if (t.extension_row != kNoRow) {
        text += "，" + DayText(DayOf(tr.At(static_cast<uint32_t>(t.extension_row)))) +
                "经批准延期" + std::to_string(t.extension_days) + "个工作日";
      } else if (t.unapproved_row != kNoRow) {
        text += "，" + DayText(DayOf(tr.At(static_cast<uint32_t>(t.unapproved_row)))) +
                "的延期申请未见批准（或逾期提出），不予顺延";
      }
      if (t.late_first_answer) {
        text += "，应于" + DayText(t.late_deadline) + "前办结，首次办结于" + DayText(t.late_day) +
                "，" + LateText(t.late_deadline, t.late_day);
      } else {
        if (t.redo_row != kNoRow) {
          text += "，" + DayText(DayOf(tr.At(static_cast<uint32_t>(t.redo_row)))) + "重办";
        }
        text += "，应于" + DayText(t.late_deadline) + "前办结";
        text += t.open ? "，截至" + DayText(t.late_day) + "仍未办结，已" +
                             LateText(t.late_deadline, t.late_day)
                       : "，实际于" + DayText(DayOf(t.close_sec)) + "办结，" +
                             LateText(t.late_deadline, t.late_day);
      }
      f.summary = std::move(text);
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 推绕拖: an order moved on (转派/退单) again and again.
std::unique_ptr<Model> ComplaintPassedAround() {
  ModelInfo info;
  info.id = "complaint_passed_around";
  info.name_zh = "诉求工单反复转派退单";
  info.name_en = "Complaints passed around between departments";
  info.family = "complaints";
  info.detects = "同一工单转派、退单合计达到3次及以上，诉求在部门之间来回流转。";
  info.basis =
      "12345热线工单应按职责一次派准、首接负责；反复转派、退单是“推绕拖”、推诿扯皮的表现，"
      "是督查督办和作风建设关注的重点。次数阈值可设置。";
  info.severity = Severity::kMedium;
  info.inputs = ComplaintInputs();
  info.params = {{"min_moves", "3", "转派与退单合计的最少次数", "minimum 转派 + 退单 events"},
                 {"actions", "转派,退单", "计为流转的操作", "actions that count as a move"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Trails tr(s);
    const Table& c = tr.complaints();
    const Table& e = tr.events();
    const size_t min_moves = static_cast<size_t>(std::max<int64_t>(1, ctx.params.Int("min_moves")));
    std::vector<uint32_t> actions;
    for (const std::string& a : ctx.params.List("actions")) {
      if (uint32_t code = s.find(a); code != kNoString) actions.push_back(code);
    }
    for (size_t r = 0; r < c.size(); ++r) {
      std::vector<uint32_t> moves;
      for (uint32_t ev : tr.Events(r)) {
        if (std::find(actions.begin(), actions.end(), tr.Action(ev)) != actions.end()) {
          moves.push_back(ev);
        }
      }
      if (moves.size() < min_moves) continue;
      Finding f;
      f.identity = std::string(s.key(c, r));
      f.subject = {"complaints", f.identity, OrgOf(s, c, r)};
      f.score = ScaleScore(50, double(moves.size() - min_moves + 1), 4.0);
      f.evidence.push_back(MakeEvidence(s, c, r, ComplaintColumns()));
      std::string chain;
      int transfers = 0, returns = 0;
      for (uint32_t ev : moves) {
        f.evidence.push_back(EventEvidence(s, e, ev));
        if (tr.Is(ev, tr.returned)) {
          ++returns;
        } else {
          ++transfers;
        }
        std::string from(s.str(e.col("from_org").codes[ev]));
        std::string to(s.str(e.col("to_org").codes[ev]));
        if (!chain.empty()) chain += "；";
        chain += DayText(DayOf(tr.At(ev))) + std::string(s.str(tr.Action(ev))) +
                 (from.empty() ? std::string() : " " + from) + (to.empty() ? "" : "→" + to);
      }
      f.summary = OrderText(s, c, r) + "于" + DayText(DayOf(c.col("received_at").ints[r])) +
                  "受理后流转" + std::to_string(moves.size()) + "次（转派" +
                  std::to_string(transfers) + "次、退单" + std::to_string(returns) + "次）：" +
                  chain;
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 重复诉求: the same caller, category and region again soon after a closure.
std::unique_ptr<Model> ComplaintRepeated() {
  ModelInfo info;
  info.id = "complaint_repeated";
  info.name_zh = "办结后重复诉求";
  info.name_en = "Complaints repeated after closure";
  info.family = "complaints";
  info.detects =
      "同一来电人（来电人标识）在同一区域就同一类别诉求，在前一工单办结后60天内再次反映，"
      "说明问题办结了但没有真正解决。";
  info.basis =
      "12345热线考核以解决率、满意率为重，重复诉求（重复来电）是“只办结不解决”的信号，"
      "各地将其纳入督查督办；时间窗口为地方规定，可设置。";
  info.severity = Severity::kMedium;
  info.inputs = ComplaintInputs();
  info.params = {{"window_days", "60", "办结后再次反映的时间窗口（天）",
                  "days after a closure within which a new order counts as a repeat"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& c = s.at("complaints");
    const int64_t window = ctx.params.Int("window_days");
    const Column& caller = c.col("caller_hash");
    const Column& category = c.col("category");
    const Column& region = c.col("region_code");
    const Column& recv = c.col("received_at");
    const Column& closed = c.col("closed_at");
    std::vector<uint32_t> rows;
    for (size_t r = 0; r < c.size(); ++r) {
      if (caller.codes[r] != kNoString && recv.ints[r] != kNull)
        rows.push_back(static_cast<uint32_t>(r));
    }
    auto key = [&](uint32_t r) {
      return std::make_tuple(caller.codes[r], category.codes[r], region.codes[r]);
    };
    std::sort(rows.begin(), rows.end(), [&](uint32_t x, uint32_t y) {
      return std::make_tuple(key(x), recv.ints[x], s.key(c, x)) <
             std::make_tuple(key(y), recv.ints[y], s.key(c, y));
    });
    for (size_t i = 0; i < rows.size();) {
      size_t j = i;
      while (j < rows.size() && key(rows[j]) == key(rows[i])) ++j;
      if (j - i >= 2) {
        // Closures of earlier orders, by time; a repeat follows the latest one
        // at or before it that is within the window.
        std::multiset<std::pair<int64_t, uint32_t>> closures;
        std::vector<std::pair<uint32_t, uint32_t>> repeats;  // (repeat, original)
        for (size_t k = i; k < j; ++k) {
          uint32_t r = rows[k];
          int64_t from = (DayOf(recv.ints[r]) - window) * 86400;
          auto it = closures.upper_bound({recv.ints[r], std::numeric_limits<uint32_t>::max()});
          if (it != closures.begin()) {
            --it;
            if (it->first >= from) repeats.emplace_back(r, it->second);
          }
          if (closed.ints[r] != kNull) closures.emplace(closed.ints[r], r);
        }
        if (!repeats.empty()) {
          Finding f;
          uint32_t first = repeats[0].second;
          f.identity = std::string(s.str(caller.codes[first])) + "|" + Category(s, c, first) + "|" +
                       std::string(s.str(region.codes[first]));
          f.subject = {"complaints", std::string(s.key(c, first)),
                       OrgOf(s, c, repeats.back().first)};
          std::vector<uint32_t> shown;
          auto show = [&](uint32_t r) {
            if (std::find(shown.begin(), shown.end(), r) != shown.end()) return;
            shown.push_back(r);
            f.evidence.push_back(MakeEvidence(s, c, r, ComplaintColumns()));
          };
          std::string parts;
          for (auto [rep, orig] : repeats) {
            show(orig);
            show(rep);
            std::string channel(s.str(c.col("channel").codes[rep]));
            if (!parts.empty()) parts += "；";
            parts += "工单" + std::string(s.key(c, orig)) + "于" +
                     DayText(DayOf(closed.ints[orig])) + "办结后，" +
                     std::to_string(DayOf(recv.ints[rep]) - DayOf(closed.ints[orig])) + "天又经" +
                     (channel.empty() ? std::string("热线") : channel) + "反映（工单" +
                     std::string(s.key(c, rep)) + "，" + DayText(DayOf(recv.ints[rep])) + "）";
          }
          f.score = ScaleScore(50, double(repeats.size()), 3.0);
          std::string hash(s.str(caller.codes[first]));
          std::string reg(s.str(region.codes[first]));
          f.summary = "同一来电人（标识" + hash.substr(0, std::min<size_t>(8, hash.size())) +
                      "…）" + (reg.empty() ? std::string() : "在" + reg + "区域") + "就" +
                      Category(s, c, first) + "类诉求在办结后" + std::to_string(window) +
                      "天内再次反映" + std::to_string(repeats.size()) + "次：" + parts;
          out->push_back(std::move(f));
        }
      }
      i = j;
    }
    return Status::OK();
  });
}

// 不满意未重办: rated 不满意, and the dissatisfaction never led to a redo: no 重办
// after the first return visit (the first time the caller could say so). An
// order redone once and still rated 不满意 afterwards has had its redo — the
// rule is "dissatisfaction leads to 重办", not an endless loop; the stricter
// reading (a redo after the last visit) is a setting.
std::unique_ptr<Model> ClosedUnsatisfied() {
  ModelInfo info;
  info.id = "closed_unsatisfied";
  info.name_zh = "群众不满意未重办";
  info.name_en = "Closed although the caller was dissatisfied";
  info.family = "complaints";
  info.detects =
      "工单满意度为“不满意”，但回访后从未退回重办（包括催办了也未重办、多次回访仍未重办）。";
  info.basis =
      "12345热线工单流程：办结后回访，群众不满意的应退回重办；不满意不重办、一办了之，"
      "是督查督办和满意率考核关注的问题。";
  info.severity = Severity::kMedium;
  info.inputs = ComplaintInputs();
  info.params = {
      {"unsatisfied_values", "不满意", "视为不满意的满意度取值",
       "satisfaction values that mean dissatisfied"},
      {"redo_after_last_visit", "0",
       "1：要求最后一次回访之后仍有重办（重办后仍不满意也须再次重办）；0：回访后重办过即可",
       "1: a redo must follow the last return visit; 0: any redo after the first visit"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Trails tr(s);
    const Table& c = tr.complaints();
    const Table& e = tr.events();
    std::vector<uint32_t> bad;
    for (const std::string& v : ctx.params.List("unsatisfied_values")) {
      if (uint32_t code = s.find(v); code != kNoString) bad.push_back(code);
    }
    const bool after_last = ctx.params.Int("redo_after_last_visit") != 0;
    const Column& sat = c.col("satisfaction");
    const Column& closed = c.col("closed_at");
    for (size_t r = 0; r < c.size(); ++r) {
      if (std::find(bad.begin(), bad.end(), sat.codes[r]) == bad.end()) continue;
      auto events = tr.Events(r);
      int64_t first_visit = kNull, last_visit = kNull;
      for (uint32_t ev : events) {
        if (!tr.Is(ev, tr.visit)) continue;
        if (first_visit == kNull) first_visit = tr.At(ev);
        last_visit = tr.At(ev);
      }
      // Without a return visit on record, the rating dates from the closure.
      int64_t since = after_last ? last_visit : first_visit;
      if (since == kNull) since = closed.ints[r];
      if (since == kNull) continue;
      bool redone = false;
      int visits = 0, urges = 0;
      std::vector<uint32_t> shown;
      for (uint32_t ev : events) {
        if (tr.Is(ev, tr.redo) && tr.At(ev) >= since) redone = true;
        if (tr.Is(ev, tr.visit)) ++visits;
        if (tr.Is(ev, tr.urge)) ++urges;
        if (tr.Is(ev, tr.visit) || tr.Is(ev, tr.urge) || tr.Is(ev, tr.close) ||
            tr.Is(ev, tr.redo)) {
          shown.push_back(ev);
        }
      }
      if (redone) continue;
      Finding f;
      f.identity = std::string(s.key(c, r));
      f.subject = {"complaints", f.identity, OrgOf(s, c, r)};
      f.score = ScaleScore(50, double(std::max(0, visits - 1) + urges), 3.0);
      f.evidence.push_back(MakeEvidence(s, c, r, ComplaintColumns()));
      for (uint32_t ev : shown) f.evidence.push_back(EventEvidence(s, e, ev));
      std::string text = OrderText(s, c, r);
      if (closed.ints[r] != kNull) text += "于" + DayText(DayOf(closed.ints[r])) + "办结";
      text += visits > 0 ? "，回访" + std::to_string(visits) + "次，最后一次" +
                               DayText(DayOf(last_visit)) + "回访结果为“" +
                               std::string(s.str(sat.codes[r])) + "”"
                         : "，满意度为“" + std::string(s.str(sat.codes[r])) + "”";
      if (urges > 0) text += "，期间催办" + std::to_string(urges) + "次";
      text += after_last ? "，此后未重办" : "，未退回重办";
      f.summary = std::move(text);
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

std::string Percent(double v) {
  if (std::isnan(v)) return "—";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", v * 100.0);
  return buf;
}

// Linear-interpolation quantile of sorted values.
double Quantile(const std::vector<double>& sorted, double q) {
  double pos = q * double(sorted.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - double(lo));
}

// Q1 − k·max(IQR, min_iqr) of the non-NaN values; NaN with fewer than 4.
double LowerFence(std::vector<double> v, double k, double min_iqr) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return std::isnan(x); }), v.end());
  if (v.size() < 4) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  double q1 = Quantile(v, 0.25), q3 = Quantile(v, 0.75);
  return q1 - k * std::max(q3 - q1, min_iqr);
}

// Ranks 1..n of eligible organisations by `value` descending (ties share
// nothing: the order breaks them by orders, then name).
void AssignRanks(std::vector<OrgComplaintStats*>& eligible, double OrgComplaintStats::*value,
                 int OrgComplaintStats::*rank) {
  std::sort(eligible.begin(), eligible.end(), [&](const auto* a, const auto* b) {
    double va = std::isnan(a->*value) ? -1 : a->*value;
    double vb = std::isnan(b->*value) ? -1 : b->*value;
    if (va != vb) return va > vb;
    if (a->orders != b->orders) return a->orders > b->orders;
    return a->org < b->org;
  });
  for (size_t i = 0; i < eligible.size(); ++i) eligible[i]->*rank = static_cast<int>(i + 1);
}

// Mean of the two rates, NaN counting as the other one.
double Composite(const OrgComplaintStats& o) {
  if (std::isnan(o.on_time_rate)) return o.satisfaction_rate;
  if (std::isnan(o.satisfaction_rate)) return o.on_time_rate;
  return (o.on_time_rate + o.satisfaction_rate) / 2;
}

}  // namespace

std::vector<Input> ComplaintRankingInputs() { return ComplaintInputs(); }

const std::vector<ParamDef>& ComplaintRankingParams() {
  static const std::vector<ParamDef> kParams = [] {
    std::vector<ParamDef> p = LimitParams();
    p.push_back({"min_orders", "20", "参与排名的最少工单数",
                 "minimum orders for an organisation to be ranked"});
    p.push_back({"on_time_floor", "0.9", "按时办结率下限（低于即预警）",
                 "on-time rate floor (below it is flagged)"});
    p.push_back({"satisfaction_floor", "0.85", "满意率下限（满意+基本满意，低于即预警）",
                 "satisfaction floor (满意 + 基本满意; below it is flagged)"});
    p.push_back({"fence_k", "1.5", "下围栏系数k：Q1 − k·IQR", "lower fence factor k: Q1 − k·IQR"});
    p.push_back({"min_bad_orders", "3",
                 "单位至少有这么多件超期（或不满意）工单才就该比率预警（一两件个案不成线索）",
                 "flag a rate only when at least this many orders are overdue (or rated 不满意)"});
    p.push_back({"min_iqr", "0.05", "计算围栏时四分位距的最小值（避免比率普遍接近100%时过度预警）",
                 "smallest IQR used for the fence (rates bunched near 100% would flag tiny gaps)"});
    return p;
  }();
  return kParams;
}

std::vector<OrgComplaintStats> RankComplaintOrgs(const Snapshot& s, const Params& params) {
  Trails tr(s);
  const ClockLimits lim = ClockLimits::FromParams(params);
  OrgNames names(s);
  const Table& c = tr.complaints();
  const Column& org = c.col("assigned_org");
  const Column& sat = c.col("satisfaction");
  const uint32_t satisfied = s.find("满意"), basic = s.find("基本满意"),
                 unsatisfied = s.find("不满意");
  std::vector<OrgComplaintStats> orgs;
  std::unordered_map<uint32_t, size_t> index;  // normalised name key → orgs
  for (size_t r = 0; r < c.size(); ++r) {
    uint32_t key = names.Key(org.codes[r]);
    if (key == 0) continue;
    auto [it, fresh] = index.emplace(key, orgs.size());
    if (fresh) {
      orgs.emplace_back();
      orgs.back().org = std::string(s.str(org.codes[r]));
      orgs.back().org_code = org.codes[r];
    }
    OrgComplaintStats& o = orgs[it->second];
    ++o.orders;
    Timeliness t = Judge(s, tr, lim, r);
    if (t.open) ++o.open;
    if (t.due) {
      ++o.due;
      if (t.late) {
        ++o.overdue;
        o.overdue_rows.push_back(static_cast<uint32_t>(r));
      } else {
        ++o.on_time;
      }
    }
    uint32_t v = sat.codes[r];
    if (v != kNoString && (v == satisfied || v == basic || v == unsatisfied)) {
      ++o.rated;
      if (v == unsatisfied) {
        ++o.unsatisfied;
        o.unsatisfied_rows.push_back(static_cast<uint32_t>(r));
      } else {
        ++o.satisfied;
      }
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const int64_t min_orders = params.Int("min_orders");
  std::vector<OrgComplaintStats*> eligible;
  std::vector<double> on_time_rates, satisfaction_rates;
  for (OrgComplaintStats& o : orgs) {
    o.on_time_rate = o.due ? double(o.on_time) / o.due : nan;
    o.satisfaction_rate = o.rated ? double(o.satisfied) / o.rated : nan;
    o.eligible = o.orders >= min_orders;
    if (o.eligible) {
      eligible.push_back(&o);
      on_time_rates.push_back(o.on_time_rate);
      satisfaction_rates.push_back(o.satisfaction_rate);
    }
  }
  const double k = params.Number("fence_k"), min_iqr = params.Number("min_iqr");
  const double on_time_fence = LowerFence(on_time_rates, k, min_iqr);
  const double satisfaction_fence = LowerFence(satisfaction_rates, k, min_iqr);
  const double on_time_floor = params.Number("on_time_floor");
  const double satisfaction_floor = params.Number("satisfaction_floor");
  AssignRanks(eligible, &OrgComplaintStats::on_time_rate, &OrgComplaintStats::on_time_rank);
  AssignRanks(eligible, &OrgComplaintStats::satisfaction_rate,
              &OrgComplaintStats::satisfaction_rank);
  std::sort(eligible.begin(), eligible.end(), [](const auto* a, const auto* b) {
    double ca = std::isnan(Composite(*a)) ? -1 : Composite(*a);
    double cb = std::isnan(Composite(*b)) ? -1 : Composite(*b);
    if (ca != cb) return ca > cb;
    if (a->on_time_rank != b->on_time_rank) return a->on_time_rank < b->on_time_rank;
    return a->org < b->org;
  });
  for (size_t i = 0; i < eligible.size(); ++i) eligible[i]->rank = static_cast<int>(i + 1);
  // One or two bad orders are individual cases, not an organisation's pattern.
  const int64_t min_bad = params.Int("min_bad_orders");
  auto below = [&](double rate, double fence, double floor, int bad) {
    if (std::isnan(rate) || bad < min_bad) return false;
    return rate < floor || (!std::isnan(fence) && rate < fence);
  };
  for (OrgComplaintStats& o : orgs) {
    o.ranked = static_cast<int>(eligible.size());
    o.on_time_fence = on_time_fence;
    o.satisfaction_fence = satisfaction_fence;
    o.on_time_floor = on_time_floor;
    o.satisfaction_floor = satisfaction_floor;
    o.low_on_time = o.eligible && below(o.on_time_rate, on_time_fence, on_time_floor, o.overdue);
    o.low_satisfaction = o.eligible && below(o.satisfaction_rate, satisfaction_fence,
                                             satisfaction_floor, o.unsatisfied);
  }
  std::sort(orgs.begin(), orgs.end(), [](const OrgComplaintStats& a, const OrgComplaintStats& b) {
    if (a.eligible != b.eligible) return a.eligible;
    if (a.eligible) return a.rank < b.rank;
    if (a.orders != b.orders) return a.orders > b.orders;
    return a.org < b.org;
  });
  return orgs;
}

namespace {

// Why a rate is low: under the fence, the floor, or both.
std::string BelowText(double rate, double fence, double floor) {
  bool under_fence = !std::isnan(fence) && rate < fence;
  bool under_floor = rate < floor;
  std::string out;
  if (under_fence) out += "低于各单位下围栏" + Percent(fence);
  if (under_floor) out += std::string(out.empty() ? "" : "、") + "低于下限" + Percent(floor);
  return out;
}

// 单位按时办结率、满意率排名靠后.
std::unique_ptr<Model> ComplaintOrgRanking() {
  ModelInfo info;
  info.id = "complaint_org_ranking";
  info.name_zh = "承办单位按时办结率、满意率偏低";
  info.name_en = "Organisations with a low on-time or satisfaction rate";
  info.family = "complaints";
  info.detects =
      "按承办单位统计12345工单的按时办结率和满意率（满意+基本满意）并排名；工单数达到"
      "门槛的单位中，任一比率低于各单位分布的下围栏（Q1 − 1.5·IQR）或低于设定下限的，"
      "列为问题线索，证据中给出完整排名。";
  info.basis =
      "12345热线考核以响应率、按时办结率、解决率、满意率为核心指标（各地热线管理办法）；"
      "按时办结率、满意率明显落后的单位，往往存在推诿拖延、敷衍了事等作风问题。下围栏取自"
      "数据本身（开放合同伙伴关系红旗工具的做法），下限为地方考核标准，均可设置。";
  info.severity = Severity::kLow;
  info.inputs = ComplaintRankingInputs();
  info.params = ComplaintRankingParams();
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& c = s.at("complaints");
    std::vector<OrgComplaintStats> orgs = RankComplaintOrgs(s, ctx.params);
    for (const OrgComplaintStats& o : orgs) {
      if (!o.low_on_time && !o.low_satisfaction) continue;
      Finding f;
      f.identity = NormalizeOrgName(o.org);
      f.subject = {"orgs", o.org, o.org};
      Evidence rank;
      rank.dataset = "complaint_org_ranking";
      rank.key = o.org;
      rank.fields = {
          {"rank", std::to_string(o.rank) + "/" + std::to_string(o.ranked)},
          {"orders", std::to_string(o.orders)},
          {"due", std::to_string(o.due)},
          {"on_time", std::to_string(o.on_time)},
          {"overdue", std::to_string(o.overdue)},
          {"open", std::to_string(o.open)},
          {"on_time_rate", Percent(o.on_time_rate)},
          {"on_time_rank", std::to_string(o.on_time_rank) + "/" + std::to_string(o.ranked)},
          {"on_time_fence", Percent(o.on_time_fence)},
          {"on_time_floor", Percent(o.on_time_floor)},
          {"rated", std::to_string(o.rated)},
          {"satisfied", std::to_string(o.satisfied)},
          {"unsatisfied", std::to_string(o.unsatisfied)},
          {"satisfaction_rate", Percent(o.satisfaction_rate)},
          {"satisfaction_rank",
           std::to_string(o.satisfaction_rank) + "/" + std::to_string(o.ranked)},
          {"satisfaction_fence", Percent(o.satisfaction_fence)},
          {"satisfaction_floor", Percent(o.satisfaction_floor)}};
      f.evidence.push_back(std::move(rank));
      if (o.low_on_time) {
        for (uint32_t r : o.overdue_rows) {
          f.evidence.push_back(MakeEvidence(s, c, r, ComplaintColumns()));
        }
      }
      if (o.low_satisfaction) {
        for (uint32_t r : o.unsatisfied_rows) {
          if (o.low_on_time &&
              std::find(o.overdue_rows.begin(), o.overdue_rows.end(), r) != o.overdue_rows.end()) {
            continue;
          }
          f.evidence.push_back(MakeEvidence(s, c, r, ComplaintColumns()));
        }
      }
      double gap = 0;
      if (o.low_on_time) gap = std::max(gap, o.on_time_floor - o.on_time_rate);
      if (o.low_satisfaction) gap = std::max(gap, o.satisfaction_floor - o.satisfaction_rate);
      f.score = ScaleScore(40 + (o.low_on_time && o.low_satisfaction ? 10 : 0), gap, 0.3);
      std::string text = o.org + "承办12345工单" + std::to_string(o.orders) + "件，按时办结率" +
                         Percent(o.on_time_rate) + "（" + std::to_string(o.on_time) + "/" +
                         std::to_string(o.due) + "，第" + std::to_string(o.on_time_rank) + "名";
      if (o.low_on_time) text += "，" + BelowText(o.on_time_rate, o.on_time_fence, o.on_time_floor);
      text += "），满意率" + Percent(o.satisfaction_rate) + "（" + std::to_string(o.satisfied) +
              "/" + std::to_string(o.rated) + "，第" + std::to_string(o.satisfaction_rank) + "名";
      if (o.low_satisfaction) {
        text += "，" + BelowText(o.satisfaction_rate, o.satisfaction_fence, o.satisfaction_floor);
      }
      text += "），在" + std::to_string(o.ranked) + "个单位中综合排名第" + std::to_string(o.rank) +
              "；超期" + std::to_string(o.overdue) + "件，不满意" + std::to_string(o.unsatisfied) +
              "件";
      f.summary = std::move(text);
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

}  // namespace

void RegisterComplaintsModels(ModelList* out) {
  out->push_back(ComplaintOverdue());
  out->push_back(ComplaintPassedAround());
  out->push_back(ComplaintRepeated());
  out->push_back(ClosedUnsatisfied());
  out->push_back(ComplaintOrgRanking());
}

// ---------------------------------------------------------------------------
// The order clock (complaints.h).

const std::vector<ParamDef>& ClockParams() {
  static const std::vector<ParamDef> kParams = {
      {"limit_consult_days", "3", "咨询类办理时限（工作日）", "limit for 咨询 (working days)"},
      {"limit_help_days", "5", "求助类办理时限（工作日）", "limit for 求助 (working days)"},
      {"limit_suggestion_days", "5", "建议类办理时限（工作日）", "limit for 建议 (working days)"},
      {"limit_complaint_days", "15", "投诉类办理时限（工作日）", "limit for 投诉 (working days)"},
      {"limit_report_days", "15", "举报类办理时限（工作日）", "limit for 举报 (working days)"},
      {"limit_other_days", "15", "类别为空或其他时的办理时限（工作日）",
       "limit when the category is blank or unknown (working days)"},
      {"extension_max_days", "0", "一次延期最多延长的工作日数（0：与该类别原时限相同）",
       "most working days one extension adds (0: the category's own limit)"}};
  return kParams;
}

int ClockLimits::For(std::string_view category) const {
  if (category == "咨询") return consult;
  if (category == "求助") return help;
  if (category == "建议") return suggestion;
  if (category == "投诉") return complaint;
  if (category == "举报") return report;
  return other;
}

ClockLimits ClockLimits::FromParams(const Params& p) {
  // A limit kept to a year (a typo must not walk the calendar for ever).
  auto days = [&p](std::string_view name) {
    return static_cast<int>(std::clamp<int64_t>(p.Int(name), 0, 366));
  };
  ClockLimits l;
  l.consult = days("limit_consult_days");
  l.help = days("limit_help_days");
  l.suggestion = days("limit_suggestion_days");
  l.complaint = days("limit_complaint_days");
  l.report = days("limit_report_days");
  l.other = days("limit_other_days");
  l.extension_max = days("extension_max_days");
  return l;
}

int NoteWorkingDays(std::string_view note_raw) {
  std::string note = FoldWidth(note_raw);
  size_t p = note.find("工作日");
  if (p == std::string::npos) return 0;
  std::string_view head(note.data(), p);
  if (head.size() >= 3 && head.substr(head.size() - 3) == "个") head.remove_suffix(3);
  size_t digits = 0;
  while (digits < head.size() && digits < 4 &&
         std::isdigit(static_cast<unsigned char>(head[head.size() - 1 - digits]))) {
    ++digits;
  }
  if (digits == 0) return 0;
  return std::stoi(std::string(head.substr(head.size() - digits)));
}

namespace {

bool NoteHasAny(std::string_view note, std::initializer_list<const char*> words) {
  for (const char* w : words) {
    if (note.find(w) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

bool ExtensionApproved(std::string_view note) {
  if (NoteHasAny(note,
                 {"不同意", "不予", "驳回", "未批准", "不批准", "未通过", "不通过", "退回"})) {
    return false;
  }
  if (NoteHasAny(note, {"同意", "批准", "准予", "通过"})) return true;
  return !NoteHasAny(note, {"申请", "请求", "拟"});
}

OrderClock ClockOf(int64_t received_sec, std::string_view category,
                   std::span<const ClockEvent> events, int64_t closed_sec, int64_t as_of_day,
                   const ClockLimits& limits) {
  OrderClock t;
  if (received_sec == kNull) return t;
  t.judged = true;
  t.received_day = DayOf(received_sec);
  t.limit = limits.For(category);
  t.base_deadline = AddWorkingDaysDays(t.received_day, t.limit);
  t.deadline = t.base_deadline;
  int64_t first_redo_sec = kNull;
  for (size_t i = 0; i < events.size(); ++i) {
    const ClockEvent& ev = events[i];
    const int idx = static_cast<int>(i);
    if (ev.action == "延期" && t.extension < 0) {
      if (!ExtensionApproved(ev.note) || DayOf(ev.at) > t.base_deadline) {
        if (t.unapproved < 0) t.unapproved = idx;
        continue;
      }
      int cap = limits.ExtensionCap(t.limit);
      int stated = NoteWorkingDays(ev.note);
      t.extension_days = stated > 0 ? std::min(stated, cap) : cap;
      t.extension = idx;
      t.deadline = AddWorkingDaysDays(t.base_deadline, t.extension_days);
    }
    if (ev.action == "重办") {
      if (first_redo_sec == kNull) first_redo_sec = ev.at;
      t.redo = idx;
    }
    if (ev.action == "办结") {
      if (first_redo_sec == kNull) t.first_close = idx;
      t.final_close = idx;
    }
  }
  const int64_t redo_sec = t.redo >= 0 ? events[static_cast<size_t>(t.redo)].at : kNull;
  t.close_sec = closed_sec;
  if (t.close_sec == kNull && t.final_close >= 0) {
    t.close_sec = events[static_cast<size_t>(t.final_close)].at;
  }
  // A redo after the closure reopens the order.
  if (t.close_sec != kNull && redo_sec != kNull && t.close_sec < redo_sec) t.close_sec = kNull;
  t.open = t.close_sec == kNull;
  auto check = [&](int64_t deadline, int64_t day) {
    if (!t.late && day > deadline) {
      t.late = true;
      t.late_deadline = deadline;
      t.late_day = day;
    }
  };
  t.final_deadline = t.deadline;
  if (t.redo >= 0) {
    if (t.first_close >= 0) {
      check(t.deadline, DayOf(events[static_cast<size_t>(t.first_close)].at));
      t.late_first_answer = t.late;
    }
    t.redo_deadline = std::max(t.deadline, AddWorkingDaysDays(DayOf(redo_sec), t.limit));
    t.final_deadline = t.redo_deadline;
  }
  if (!t.open) {
    check(t.final_deadline, DayOf(t.close_sec));
    t.due = true;
  } else if (as_of_day != kNull && as_of_day > t.final_deadline) {
    check(t.final_deadline, as_of_day);
    t.due = true;
  }
  if (t.late) t.due = true;
  return t;
}

}  // namespace qf::models
