#include "common/time.h"

#include <time.h>

#include <chrono>
#include <cstdio>

namespace qf {

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return CivilDate{static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

bool IsValidDate(int y, int m, int d) {
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= max;
}

namespace {
void Put2(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10 % 10);
  p[1] = static_cast<char>('0' + v % 10);
}
}  // namespace

// Hand-formatted: dates are formatted for every imported row.
std::string FormatDate(const CivilDate& d) {
  std::string out = "0000-00-00";
  Put2(&out[0], d.year / 100);
  Put2(&out[2], d.year % 100);
  Put2(&out[5], d.month);
  Put2(&out[8], d.day);
  return out;
}

std::string FormatLocalDateTime(int64_t local_seconds) {
  int64_t days = local_seconds / 86400;
  int64_t rem = local_seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  std::string out = FormatDate(CivilFromDays(days)) + " 00:00:00";
  Put2(&out[11], static_cast<int>(rem / 3600));
  Put2(&out[14], static_cast<int>(rem / 60 % 60));
  Put2(&out[17], static_cast<int>(rem % 60));
  return out;
}

namespace {
int64_t LocalSecondsNow() {
  auto now = std::chrono::system_clock::now();
  int64_t utc = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return utc + kShanghaiOffsetSeconds;
}
}  // namespace

CivilDate TodayShanghai() {
  // The coarse clock (a few ms) is plenty for a date and cheap enough for the
  // import, which asks once per ID number.
  timespec ts{};
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  int64_t s = static_cast<int64_t>(ts.tv_sec) + kShanghaiOffsetSeconds;
  return CivilFromDays(s >= 0 ? s / 86400 : (s - 86399) / 86400);
}

std::string NowShanghai() { return FormatLocalDateTime(LocalSecondsNow()); }

}  // namespace qf
