// Calendar dates and local times. Every time in qingfeng is Asia/Shanghai
// (UTC+8, no daylight saving since 1991), so a fixed offset is exact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace qf {

inline constexpr int64_t kShanghaiOffsetSeconds = int64_t{8} * 3600;

struct CivilDate {
  int year = 0;
  int month = 0;
  int day = 0;
};

// Days since 1970-01-01 (proleptic Gregorian), and back.
int64_t DaysFromCivil(int y, int m, int d);
CivilDate CivilFromDays(int64_t days);
bool IsValidDate(int y, int m, int d);

// "YYYY-MM-DD".
std::string FormatDate(const CivilDate& d);
// "YYYY-MM-DD HH:MM:SS" from seconds since the local epoch (local 1970-01-01 00:00).
std::string FormatLocalDateTime(int64_t local_seconds);

// Today's date and the current local time in Asia/Shanghai.
CivilDate TodayShanghai();
std::string NowShanghai();  // "YYYY-MM-DD HH:MM:SS"

}  // namespace qf
