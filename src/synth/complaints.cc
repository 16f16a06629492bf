// 12345 hotline orders and their event trails; time limits in working days
// over the real holiday calendar. Plants the complaints family and the
// "closed on the last allowed working day" near miss.
#include <algorithm>
#include <map>

#include "common/calendar.h"
#include "synth/names.h"
#include "synth/world.h"

namespace qf::synth {

namespace {

struct Category {
  const char* name;
  int limit;  // working days (a setting)
  double weight;
};
constexpr Category kCategories[] = {
    {"咨询", 3, 0.3}, {"求助", 5, 0.2}, {"投诉", 15, 0.3}, {"举报", 15, 0.05}, {"建议", 5, 0.15}};
constexpr const char* kChannels[] = {"电话", "网站", "微信", "信件", "来访"};
constexpr double kChannelW[] = {0.62, 0.12, 0.2, 0.02, 0.04};
constexpr const char* kTopics[] = {
    "小区供暖温度不达标", "道路破损影响通行", "噪音扰民", "低保申请办理进度",
    "拖欠农民工工资",     "物业服务不到位",   "占道经营", "自来水水质浑浊",
    "医保报销政策",       "垃圾清运不及时",   "违章建筑", "公交线路调整",
    "食品安全问题",       "学校收费问题",     "路灯不亮", "养老保险缴费"};

constexpr const char* kHotline = "阜新市12345政务服务便民热线";

}  // namespace

Status GenerateComplaints(World& w) {
  Rng rng = w.Stream(kStreamComplaints);
  Rng plant = w.Stream(kStreamPlant + kStreamComplaints);
  DatasetWriter& cout = w.Out("complaints");
  DatasetWriter& eout = w.Out("complaint_events");
  int n = std::max(300, static_cast<int>(std::lround(3000 * w.opts.scale)));
  int count = PlantCount(w, 3);
  // Which orders are planted, decided up front so their ids mix with the rest.
  enum Kind { kHonest, kOverdue, kNearOverdue, kPassed, kRepeated, kUnsatisfied };
  std::vector<int> kind(static_cast<size_t>(n), kHonest);
  auto place = [&](int k) {
    for (;;) {
      size_t i = static_cast<size_t>(plant.Int(0, n * 9 / 10));
      if (kind[i] == kHonest) {
        kind[i] = k;
        return;
      }
    }
  };
  for (int k = kOverdue; k <= kUnsatisfied; ++k) {
    for (int j = 0; j < count; ++j) place(k);
  }
  std::vector<double> cat_w;
  for (const Category& c : kCategories) cat_w.push_back(c.weight);
  Days w0 = WindowStart(), w1 = WindowEnd();
  int64_t minute_span = static_cast<int64_t>(w1 - 40 - w0) * 1440;
  std::vector<int64_t> times(static_cast<size_t>(n));
  for (int64_t& t : times) t = static_cast<int64_t>(w0) * 1440 + rng.Int(0, minute_span);
  std::sort(times.begin(), times.end());
  int shape_counter[8] = {};
  int64_t caller_serial = 0;

  struct Event {
    int64_t at;  // minutes since epoch
    const char* action;
    std::string from, to, note;
  };
  auto fmt = [](int64_t minutes) {
    return FormatDateTime(static_cast<Days>(minutes / 1440), static_cast<int>(minutes % 1440));
  };
  auto org_for = [&](int region) {
    std::vector<int> local;
    for (size_t i = 0; i < w.orgs.size(); ++i) {
      if (w.orgs[i].region == region || w.orgs[i].region < 0) local.push_back(static_cast<int>(i));
    }
    return local[static_cast<size_t>(rng.Int(0, local.size() - 1))];
  };
  // Minutes at 16:00–17:30 on a working day.
  auto close_on = [&](Days d) {
    return static_cast<int64_t>(d) * 1440 + rng.Int(16 * 60, 17 * 60 + 30);
  };

  auto emit = [&](const std::string& id, int64_t received, int cat, const std::string& channel,
                  int region, const std::string& content, const std::string& caller, int org, int k,
                  int shape, int64_t* closed_out) {
    const Category& c = kCategories[cat];
    Days rday = static_cast<Days>(received / 1440);
    Days deadline = static_cast<Days>(AddWorkingDaysDays(rday, c.limit));
    std::vector<Event> ev;
    std::string org_name = w.orgs[static_cast<size_t>(org)].name;
    ev.push_back({received, "受理", "", kHotline, "话务员受理"});
    int64_t t = received + rng.Int(10, 120);
    ev.push_back({t, "派单", kHotline, org_name, "按职责派单"});
    std::string holder = org_name;
    auto sign = [&](int64_t after) {
      Days d = static_cast<Days>(AddWorkingDaysDays(static_cast<Days>(after / 1440), 0));
      while (!IsWorkingDayDays(d)) ++d;
      int64_t at = std::max(after + 5, static_cast<int64_t>(d) * 1440 + 8 * 60 + rng.Int(30, 240));
      return at;
    };
    t = sign(t);
    ev.push_back({t, "签收", "", holder, ""});
    int transfers = 0;
    if (k == kPassed)
      transfers = shape == 0 ? 3 : shape == 1 ? 4 : static_cast<int>(rng.Int(5, 6));
    else if (k == kHonest && rng.Chance(0.15))
      transfers = 1;
    for (int i = 0; i < transfers; ++i) {
      int other = org_for(region);
      std::string other_name = w.orgs[static_cast<size_t>(other)].name;
      bool back = k == kPassed && (shape == 1 ? true : i % 2 == 1);
      if (back) {
        ev.push_back({t + 30, "退单", holder, kHotline, "非本单位职责"});
        ev.push_back({t + 90, "派单", kHotline, other_name, "重新派单"});
      } else {
        ev.push_back({t + 30, "转派", holder, other_name, "转相关单位办理"});
      }
      holder = other_name;
      // Honest transfers take a day; a complaint passed around moves every
      // few hours, so even a 3-day 咨询 is closed within its limit.
      t += k == kPassed ? rng.Int(120, 180) : 24 * 60;
      ev.push_back({t, "签收", "", holder, ""});
    }
    // When it is closed.
    int64_t closed;
    bool redo = false;
    if (k == kOverdue) {
      if (shape == 1) {
        ev.push_back({t + 60, "延期", holder, kHotline, "申请延期办理"});
        closed = close_on(
            static_cast<Days>(AddWorkingDaysDays(deadline, static_cast<int>(rng.Int(2, 5)))));
      } else {
        Days late = static_cast<Days>(AddWorkingDaysDays(
            deadline, shape == 0 ? static_cast<int>(rng.Int(1, 3)) : c.limit + 5));
        closed = close_on(late);
      }
    } else if (k == kNearOverdue) {
      closed =
          static_cast<int64_t>(deadline) * 1440 + 17 * 60 + 30;  // the last allowed working day
    } else {
      int span = std::max(0, WorkingDaysBetweenDays(static_cast<Days>(t / 1440), deadline) - 1);
      Days d = static_cast<Days>(
          AddWorkingDaysDays(static_cast<Days>(t / 1440), static_cast<int>(rng.Int(0, span / 2))));
      closed = std::max(t + 60, close_on(d));
      redo = k == kHonest && c.limit >= 15 && rng.Chance(0.06);
    }
    ev.push_back({closed, "办结", holder, kHotline, "已答复诉求人"});
    std::string satisfaction;
    int64_t visit = closed + rng.Int(60, 20 * 60);
    if (k == kUnsatisfied) {
      satisfaction = "不满意";
      ev.push_back({visit, "回访", kHotline, "", "诉求人表示不满意"});
      if (shape == 1) ev.push_back({visit + 120, "催办", kHotline, holder, "请加快办理"});
      if (shape == 2) ev.push_back({visit + 24 * 60, "回访", kHotline, "", "再次回访仍不满意"});
    } else if (redo) {
      ev.push_back({visit, "回访", kHotline, "", "诉求人表示不满意"});
      ev.push_back({visit + 60, "重办", kHotline, holder, "退回重新办理"});
      Days d2 = static_cast<Days>(AddWorkingDaysDays(static_cast<Days>(visit / 1440), 1));
      closed = std::min(close_on(d2), static_cast<int64_t>(deadline) * 1440 + 16 * 60);
      closed = std::max(closed, visit + 120);
      ev.push_back({closed, "办结", holder, kHotline, "重新办理完毕"});
      satisfaction = rng.Chance(0.4) ? "不满意" : "基本满意";
      ev.push_back(
          {closed + 180, "回访", kHotline, "", satisfaction == "不满意" ? "仍不满意" : "基本满意"});
    } else {
      satisfaction = rng.Chance(0.7) ? "满意" : "基本满意";
      ev.push_back({visit, "回访", kHotline, "", satisfaction});
    }
    Row r(cout.def());
    r.Set("complaint_id", id).Set("received_at", fmt(received)).Set("channel", channel);
    r.Set("category", c.name).Set("region_code", RegionCode(region)).Set("content", content);
    r.Set("caller_hash", caller).Set("assigned_org", org_name).Set("status", "已办结");
    r.Set("closed_at", fmt(closed)).Set("satisfaction", satisfaction);
    cout.Write(r);
    int64_t last = -1;
    for (Event& e : ev) {
      if (e.at <= last) e.at = last + 1;  // (complaint_id, at, action) stays unique
      last = e.at;
      Row x(eout.def());
      x.Set("complaint_id", id).Set("at", fmt(e.at)).Set("action", e.action);
      x.Set("from_org", e.from).Set("to_org", e.to).Set("note", e.note);
      eout.Write(x);
    }
    *closed_out = closed;
  };

  auto caller = [&]() {
    char buf[64];
    uint64_t c = static_cast<uint64_t>(++caller_serial);
    std::snprintf(buf, sizeof buf, "%016llx%016llx",
                  static_cast<unsigned long long>(Mix64(c ^ w.opts.seed)),
                  static_cast<unsigned long long>(Mix64(c * 31 + 7)));
    return std::string(buf);
  };
  int64_t serial = 0;
  auto next_id = [&](int64_t minutes) {
    CivilDate d = CivilFromDays(static_cast<Days>(minutes / 1440));
    char buf[64];
    std::snprintf(buf, sizeof buf, "GD%04d%02d%02d%06lld", d.year, d.month, d.day,
                  static_cast<long long>(++serial));
    return std::string(buf);
  };
  for (int i = 0; i < n; ++i) {
    int k = kind[static_cast<size_t>(i)];
    int shape = shape_counter[k]++ % 3;
    int cat = static_cast<int>(rng.Weighted(cat_w.data(), cat_w.size()));
    if (k == kOverdue && shape == 2) cat = 2;
    // Passed-around orders are complaints and reports (15 working days): the
    // moves never make them overdue as well.
    if (k == kPassed) cat = shape == 2 ? 3 : 2;
    int region = static_cast<int>(rng.Int(0, kRegions.size() - 1));
    std::string channel = kChannels[rng.Weighted(kChannelW, std::size(kChannelW))];
    std::string topic = kTopics[rng.Int(0, std::size(kTopics) - 1)];
    std::string content = std::string("市民来电反映") + kRegions[static_cast<size_t>(region)].name +
                          topic + "，请求相关部门尽快处理。";
    int org = org_for(region);
    std::string who = caller();
    int64_t received = times[static_cast<size_t>(i)];
    std::string id = next_id(received);
    int64_t closed = 0;
    emit(id, received, cat, channel, region, content, who, org, k, shape, &closed);
    static constexpr const char* kOverShape[] = {"one_to_three_days_late", "late_after_extension",
                                                 "far_late_complaint"};
    static constexpr const char* kPassShape[] = {"three_transfers", "returned_four_times",
                                                 "five_or_six_moves"};
    static constexpr const char* kUnsShape[] = {"no_redo", "urged_not_redone",
                                                "revisited_not_redone"};
    switch (k) {
      case kOverdue:
        w.Plant("complaint_overdue", kOverShape[shape], {{"complaints", id}});
        break;
      case kNearOverdue:
        w.NearMiss("complaint_overdue", "closed_on_last_allowed_working_day", {{"complaints", id}});
        break;
      case kPassed:
        w.Plant("complaint_passed_around", kPassShape[shape], {{"complaints", id}});
        break;
      case kUnsatisfied:
        w.Plant("closed_unsatisfied", kUnsShape[shape], {{"complaints", id}});
        break;
      case kRepeated: {
        // The same caller comes back about the same thing after the closure.
        std::vector<Key> keys = {{"complaints", id}};
        int repeats = shape == 1 ? 2 : 1;
        int64_t after = closed;
        for (int r = 0; r < repeats; ++r) {
          int64_t again = after + rng.Int(3, 40) * 1440 + rng.Int(0, 600);
          std::string ch = shape == 2 ? kChannels[(r + 2) % 3] : channel;
          std::string id2 = next_id(again);
          emit(id2, again, cat, ch, region, "再次反映：" + content, who, org, kHonest, 0, &after);
          keys.push_back({"complaints", id2});
        }
        w.Plant("complaint_repeated",
                shape == 0   ? "once_again"
                : shape == 1 ? "twice_again"
                             : "again_other_channel",
                keys);
        break;
      }
      default:
        break;
    }
  }
  return Status::OK();
}

}  // namespace qf::synth
