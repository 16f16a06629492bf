// 三会一课: how often each kind of party meeting must be held, and when a
// branch members' assembly has a quorum — defined once, for the party models
// (party.cc) and for the compliance calendar (leads/party.h).
//
// 中国共产党支部工作条例（试行）(2018): 支部党员大会 usually quarterly; 支部委员会
// and 党小组会 usually monthly; 党课 quarterly (many localities; the secretary
// at least yearly); 主题党日 monthly; 组织生活会 at least yearly. The assembly
// needs more than half of the members entitled to vote.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model.h"

namespace qf::models {

inline constexpr const char* kAssemblyKind = "支部党员大会";
// The model that owns the frequency parameters, and the one that owns the quorum ratio.
inline constexpr const char* kFrequencyModel = "meetings_below_frequency";
inline constexpr const char* kQuorumModel = "assembly_without_quorum";
inline constexpr const char* kQuorumParam = "quorum_ratio";
inline constexpr double kDefaultQuorumRatio = 0.5;

enum class MeetingPeriod { kMonth, kQuarter, kYear };
const char* PeriodName(MeetingPeriod p);  // "month", "quarter", "year"
int PeriodsPerYear(MeetingPeriod p);      // 12, 4, 1

struct MeetingRequirement {
  std::string kind;      // 会议类型, as branch_meetings.kind gives it
  std::string param;     // the meetings_below_frequency parameter: minimum per year
  std::string param_en;  // its description
  MeetingPeriod period = MeetingPeriod::kMonth;
  int per_period = 1;  // meetings needed in each period; 0: not required
  int PerYear() const { return per_period * PeriodsPerYear(period); }
};

// The regulation's defaults, in the data contract's order of kinds.
const std::vector<MeetingRequirement>& MeetingRequirements();
const MeetingRequirement* FindRequirement(std::string_view kind);

// A yearly minimum as a period and a count per period: the shortest of month,
// quarter and year whose number per year divides the minimum (12 → monthly 1,
// 24 → monthly 2, 4 → quarterly 1, 8 → quarterly 2, 6 → yearly 6, 1 → yearly 1;
// 0 or less → not required).
void ScheduleFromPerYear(int64_t per_year, MeetingRequirement* r);

// The requirements with the yearly minimums `params` (the frequency model's
// parameters, defaults overridden by the settings file) give.
std::vector<MeetingRequirement> RequirementsFromParams(const engine::Params& params);

// An assembly has a quorum when more than `ratio` of the `expected` members
// attended (exactly half is not enough). `expected` ≤ 0: nothing to judge (true).
bool HasQuorum(int64_t attendees, int64_t expected, double ratio = kDefaultQuorumRatio);

}  // namespace qf::models
