// Party branches' organisational life (三会一课): the yearly schedule of the
// 2018 branch work regulations, attendance, minutes. Plants the party family
// and the "just over half attended" near miss.
#include <algorithm>
#include <map>

#include "common/calendar.h"
#include "synth/names.h"
#include "synth/world.h"

namespace qf::synth {

namespace {

struct MeetingKind {
  const char* name;
  int per_year;  // minimum frequency (a setting): quarterly or monthly
};
constexpr MeetingKind kKinds[] = {{"支部党员大会", 4}, {"支部委员会", 12}, {"党小组会", 12},
                                  {"党课", 4},         {"主题党日", 12},   {"组织生活会", 1}};

constexpr const char* kTopics[] = {"学习贯彻党的二十大精神",
                                   "深入学习习近平新时代中国特色社会主义思想",
                                   "党纪学习教育",
                                   "主题教育专题学习",
                                   "学习《中国共产党纪律处分条例》",
                                   "作风建设专项整治",
                                   "意识形态工作",
                                   "发展党员工作",
                                   "民主评议党员",
                                   "廉政警示教育",
                                   "优化营商环境",
                                   "乡村振兴工作部署",
                                   "安全生产专题",
                                   "基层党建述职",
                                   "为民办实事项目推进"};
constexpr const char* kPoints[] = {"要把学习成果转化为推动工作的实际成效",
                                   "要严格落实一岗双责",
                                   "要持续深化作风建设",
                                   "要坚持问题导向抓好整改",
                                   "要加强对年轻干部的教育管理",
                                   "要压实全面从严治党主体责任",
                                   "要做好群众诉求办理工作",
                                   "要认真执行中央八项规定精神",
                                   "要加强财务管理和内部控制",
                                   "要推动重点项目按期完成",
                                   "要抓好安全生产和信访稳定",
                                   "要做好困难群众帮扶工作",
                                   "要规范三会一课记录",
                                   "要发挥党员先锋模范作用",
                                   "要加强理论学习的系统性",
                                   "要开展谈心谈话",
                                   "要落实意识形态工作责任制",
                                   "要扎实做好党费收缴",
                                   "要完善制度建设堵塞漏洞",
                                   "要强化纪律意识规矩意识",
                                   "要提升服务群众的能力",
                                   "要抓好年度目标任务落实",
                                   "要把严的基调长期坚持下去",
                                   "要及时通报典型案例"};
constexpr const char* kOpenings[] = {"会议由支部书记%s主持。", "%s同志主持会议并讲话。",
                                     "会议由%s同志召集并主持。"};

std::string Minutes(Rng& rng, const std::string& branch, Days day, const char* kind, int attendees,
                    int expected) {
  CivilDate d = CivilFromDays(day);
  char buf[256];
  std::string host = PersonName(rng, rng.Chance(0.6), false);
  std::string s;
  std::snprintf(buf, sizeof buf, "%d年%d月%d日，%s召开%s，应到%d人，实到%d人。", d.year, d.month,
                d.day, branch.c_str(), kind, expected, attendees);
  s += buf;
  std::snprintf(buf, sizeof buf, kOpenings[rng.Int(0, std::size(kOpenings) - 1)], host.c_str());
  s += buf;
  s += std::string("会议主题：") + kTopics[rng.Int(0, std::size(kTopics) - 1)] + "。";
  int points = static_cast<int>(rng.Int(3, 5));
  s += "会议指出：";
  for (int i = 0; i < points; ++i) {
    s += kPoints[rng.Int(0, std::size(kPoints) - 1)];
    s += i + 1 < points ? "；" : "。";
  }
  int speakers = static_cast<int>(rng.Int(2, 4));
  for (int i = 0; i < speakers; ++i) {
    std::string who = PersonName(rng, rng.Chance(0.5), false);
    std::snprintf(buf, sizeof buf, "%s同志结合%s谈了%s。", who.c_str(),
                  rng.Chance(0.5) ? "本职工作" : "分管领域",
                  rng.Chance(0.5) ? "学习体会" : "下一步打算");
    s += buf;
  }
  std::snprintf(buf, sizeof buf,
                "会议研究确定了%d项具体措施，明确由%s牵头落实，于%d月底前报送进展情况。",
                static_cast<int>(rng.Int(2, 6)), PersonName(rng, rng.Chance(0.5), false).c_str(),
                d.month % 12 + 1);
  s += buf;
  return s;
}

Days Working(Days d) {
  while (!IsWorkingDayDays(d)) ++d;
  return d;
}

// Replaces the n-th CJK character (3 UTF-8 bytes) after `from` by another one.
void Tweak(std::string& s, size_t from, const char* repl) {
  for (size_t i = from; i + 3 <= s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xF0) == 0xE0) {
      s.replace(i, 3, repl);
      return;
    }
  }
}

}  // namespace

Status GenerateParty(World& w) {
  Rng rng = w.Stream(kStreamParty);
  Rng plant = w.Stream(kStreamPlant + kStreamParty);
  DatasetWriter& out = w.Out("branch_meetings");
  int count = PlantCount(w, 3);
  const int years = kLastYear - kFirstYear + 1;
  size_t branch_years = w.orgs.size() * years;
  // Planted per branch-year: 1 below frequency, 2 no quorum, 3 copied, 4 near-miss quorum.
  // Preferably one per branch-year; when the plants outnumber the branch-years
  // (they grow with the scale, the bodies with its root) several kinds share
  // one, each at most once (the no-quorum and near-miss assemblies are
  // different meetings, and the copy is never one of them).
  std::vector<std::vector<int>> plan(branch_years);
  for (int k = 1; k <= 4; ++k) {
    for (int j = 0; j < count; ++j) {
      bool placed = false;
      for (int t = 0; t < 100 && !placed; ++t) {
        size_t by = static_cast<size_t>(plant.Int(0, branch_years - 1));
        if (plan[by].empty()) {
          plan[by].push_back(k);
          placed = true;
        }
      }
      if (placed) continue;
      std::vector<size_t> free;
      size_t fewest = SIZE_MAX;
      for (size_t by = 0; by < branch_years; ++by) {
        if (std::find(plan[by].begin(), plan[by].end(), k) != plan[by].end()) continue;
        if (plan[by].size() < fewest) {
          fewest = plan[by].size();
          free.clear();
        }
        if (plan[by].size() == fewest) free.push_back(by);
      }
      if (!free.empty()) plan[plant.Pick(free)].push_back(k);
    }
  }
  int shape_counter[5] = {};
  struct Written {
    std::string id, text, branch;
    Days day;
    const char* kind;
    int attendees, expected;
  };
  std::vector<Written> recent;  // a sample of earlier meetings, sources for copies
  int64_t serial = 0;
  for (size_t oi = 0; oi < w.orgs.size(); ++oi) {
    const Org& org = w.orgs[oi];
    char bid[64];
    std::snprintf(bid, sizeof bid, "DZB%04zu", oi + 1);
    std::string branch = "中共" + org.name + "支部委员会";
    int expected = std::max(5, static_cast<int>(org.officials.size() * 7 / 10) + 3);
    for (int year = kFirstYear; year <= kLastYear; ++year) {
      size_t by = oi * years + static_cast<size_t>(year - kFirstYear);
      const std::vector<int>& plants = plan[by];
      auto has = [&](int k) { return std::find(plants.begin(), plants.end(), k) != plants.end(); };
      int shape[5] = {};
      for (int k : plants) shape[k] = shape_counter[k]++ % 3;
      // Below frequency: which kind falls short, and to how many.
      int short_kind = has(1) ? (shape[1] == 0 ? 0 : shape[1] == 1 ? 1 : 3) : -1;
      int short_to = has(1) ? (shape[1] == 0 ? 2 : shape[1] == 1 ? 8 : 1) : 0;
      std::vector<Key> short_keys;
      // The assemblies held this year, and which of them lacks a quorum (or just has one).
      int assemblies = short_kind == 0 ? short_to : kKinds[0].per_year;
      int quorum_meeting = has(2) ? static_cast<int>(plant.Int(0, assemblies - 1)) : -1;
      int near_meeting = -1;
      if (has(4)) {
        near_meeting = static_cast<int>(plant.Int(0, assemblies - 1));
        if (near_meeting == quorum_meeting) near_meeting = (near_meeting + 1) % assemblies;
      }
      int copy_at = has(3) ? static_cast<int>(plant.Int(2, 10)) : -1;
      int n_in_year = 0;
      for (size_t k = 0; k < std::size(kKinds); ++k) {
        int per = kKinds[k].per_year;
        int held = static_cast<int>(k) == short_kind ? short_to : per;
        for (int i = 0; i < held; ++i) {
          // Spread over the year: one per month / quarter / in the second half.
          int slot = static_cast<int>(k) == short_kind ? i * per / std::max(1, held) : i;
          int month = per == 12  ? slot + 1
                      : per == 4 ? slot * 3 + static_cast<int>(rng.Int(1, 3))
                                 : static_cast<int>(rng.Int(7, 12));
          Days day = Working(D(year, month, static_cast<int>(rng.Int(1, 22))));
          int att = std::max(expected / 2 + 1,
                             static_cast<int>(expected * (0.75 + 0.25 * rng.U()) + 0.5));
          att = std::min(att, expected);
          const char* plant_kind = nullptr;
          std::string plant_shape;
          bool near = false;
          if (k == 0 && i == quorum_meeting) {
            att = shape[2] == 0   ? expected / 2
                  : shape[2] == 1 ? expected * 3 / 10
                                  : expected / 2 - 1;
            plant_kind = "assembly_without_quorum";
            plant_shape = shape[2] == 0   ? "exactly_half"
                          : shape[2] == 1 ? "under_a_third"
                                          : "just_under_half";
          }
          if (k == 0 && i == near_meeting) {
            att = expected / 2 + 1;
            plant_kind = "assembly_without_quorum";
            plant_shape = "just_over_half";
            near = true;
          }
          char num[32];
          std::snprintf(num, sizeof num, "%d%05lld", year, static_cast<long long>(++serial));
          std::string mid = std::string("HY") + (bid + 3) + num;
          std::string text = Minutes(rng, branch, day, kKinds[k].name, att, expected);
          Key copied_from{"", ""};
          if (copy_at >= 0 && n_in_year >= copy_at && !plant_kind && !recent.empty()) {
            copy_at = -1;  // one copy
            const Written& src = recent[static_cast<size_t>(plant.Int(0, recent.size() - 1))];
            text = src.text;
            if (shape[3] == 1) {
              // The source's date replaced by this meeting's, the rest verbatim.
              CivilDate a = CivilFromDays(src.day), b = CivilFromDays(day);
              std::string from = std::to_string(a.year) + "年" + std::to_string(a.month) + "月" +
                                 std::to_string(a.day) + "日";
              std::string to = std::to_string(b.year) + "年" + std::to_string(b.month) + "月" +
                               std::to_string(b.day) + "日";
              size_t pos = text.find(from);
              if (pos != std::string::npos) text.replace(pos, from.size(), to);
            } else if (shape[3] == 2) {
              Tweak(text, text.size() / 3, "再");
              Tweak(text, text.size() / 2, "抓");
              Tweak(text, text.size() * 3 / 4, "实");
            }
            copied_from = {"branch_meetings", src.id};
            plant_kind = "copied_minutes";
            plant_shape = shape[3] == 0   ? "verbatim_copy"
                          : shape[3] == 1 ? "copy_with_date_changed"
                                          : "copy_with_few_edits";
          }
          Row r(out.def());
          r.Set("meeting_id", mid)
              .Set("branch_id", bid)
              .Set("branch_name", branch)
              .Set("kind", kKinds[k].name);
          r.Set("held_on", FormatDayVaried(day, rng)).Set("attendees", std::to_string(att));
          r.Set("expected", std::to_string(expected))
              .Set("topic", kTopics[rng.Int(0, std::size(kTopics) - 1)]);
          r.Set("minutes_text", text);
          out.Write(r);
          ++n_in_year;
          if (static_cast<int>(k) == short_kind) short_keys.push_back({"branch_meetings", mid});
          if (plant_kind) {
            std::vector<Key> keys = {{"branch_meetings", mid}};
            if (!copied_from.dataset.empty()) keys.push_back(copied_from);
            if (near) {
              w.NearMiss(plant_kind, plant_shape, keys);
            } else {
              w.Plant(plant_kind, plant_shape, keys);
            }
          }
          // Keep a bounded sample of sources for later copies.
          if (plant_kind == nullptr && recent.size() < 64) {
            recent.push_back({mid, text, branch, day, kKinds[k].name, att, expected});
          } else if (plant_kind == nullptr && rng.Chance(0.02)) {
            recent[static_cast<size_t>(rng.Int(0, recent.size() - 1))] = {
                mid, text, branch, day, kKinds[k].name, att, expected};
          }
        }
      }
      if (short_kind >= 0 && !short_keys.empty()) {
        w.Plant("meetings_below_frequency",
                shape[1] == 0   ? "two_assemblies_a_year"
                : shape[1] == 1 ? "eight_committee_meetings"
                                : "one_party_lecture",
                short_keys);
      }
    }
  }
  return Status::OK();
}

}  // namespace qf::synth
