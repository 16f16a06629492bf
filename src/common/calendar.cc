#include "common/calendar.h"

#include <algorithm>
#include <array>

namespace qf {

namespace {

struct Period {
  int y1, m1, d1, y2, m2, d2;
  const char* name;
};

struct Day {
  int y, m, d;
};

// Transcribed from the yearly notices (国办发明电). Holiday periods include the
// weekend days that fall inside them.
constexpr Period kHolidays[] = {
    // 2020 (国办发明电〔2019〕16号), Spring Festival extended to 2 Feb by
    // 国务院办公厅关于延长2020年春节假期的通知 (which also cancelled the 1 Feb working Saturday).
    {2020, 1, 1, 2020, 1, 1, "元旦"},
    {2020, 1, 24, 2020, 2, 2, "春节"},
    {2020, 4, 4, 2020, 4, 6, "清明节"},
    {2020, 5, 1, 2020, 5, 5, "劳动节"},
    {2020, 6, 25, 2020, 6, 27, "端午节"},
    {2020, 10, 1, 2020, 10, 8, "国庆节、中秋节"},
    // 2021 (国办发明电〔2020〕27号)
    {2021, 1, 1, 2021, 1, 3, "元旦"},
    {2021, 2, 11, 2021, 2, 17, "春节"},
    {2021, 4, 3, 2021, 4, 5, "清明节"},
    {2021, 5, 1, 2021, 5, 5, "劳动节"},
    {2021, 6, 12, 2021, 6, 14, "端午节"},
    {2021, 9, 19, 2021, 9, 21, "中秋节"},
    {2021, 10, 1, 2021, 10, 7, "国庆节"},
    // 2022 (国办发明电〔2021〕11号)
    {2022, 1, 1, 2022, 1, 3, "元旦"},
    {2022, 1, 31, 2022, 2, 6, "春节"},
    {2022, 4, 3, 2022, 4, 5, "清明节"},
    {2022, 4, 30, 2022, 5, 4, "劳动节"},
    {2022, 6, 3, 2022, 6, 5, "端午节"},
    {2022, 9, 10, 2022, 9, 12, "中秋节"},
    {2022, 10, 1, 2022, 10, 7, "国庆节"},
    // 2023 (国办发明电〔2022〕16号); New Year's period starts on 2022-12-31.
    {2022, 12, 31, 2023, 1, 2, "元旦"},
    {2023, 1, 21, 2023, 1, 27, "春节"},
    {2023, 4, 5, 2023, 4, 5, "清明节"},
    {2023, 4, 29, 2023, 5, 3, "劳动节"},
    {2023, 6, 22, 2023, 6, 24, "端午节"},
    {2023, 9, 29, 2023, 10, 6, "中秋节、国庆节"},
    // 2024 (国办发明电〔2023〕7号). 元旦 and 端午 are single days joined to a weekend;
    // New Year's Eve (2-9) was only "encouraged" off and stays a working day.
    {2024, 1, 1, 2024, 1, 1, "元旦"},
    {2024, 2, 10, 2024, 2, 17, "春节"},
    {2024, 4, 4, 2024, 4, 6, "清明节"},
    {2024, 5, 1, 2024, 5, 5, "劳动节"},
    {2024, 6, 10, 2024, 6, 10, "端午节"},
    {2024, 9, 15, 2024, 9, 17, "中秋节"},
    {2024, 10, 1, 2024, 10, 7, "国庆节"},
    // 2025 (国办发明电〔2024〕12号), the first year with New Year's Eve and 2 May as
    // statutory holidays.
    {2025, 1, 1, 2025, 1, 1, "元旦"},
    {2025, 1, 28, 2025, 2, 4, "春节"},
    {2025, 4, 4, 2025, 4, 6, "清明节"},
    {2025, 5, 1, 2025, 5, 5, "劳动节"},
    {2025, 5, 31, 2025, 6, 2, "端午节"},
    {2025, 10, 1, 2025, 10, 8, "国庆节、中秋节"},
    // 2026: 国办 notice of 2025-11-04 (published by Xinhua); checked against its text.
    {2026, 1, 1, 2026, 1, 3, "元旦"},
    {2026, 2, 15, 2026, 2, 23, "春节"},
    {2026, 4, 4, 2026, 4, 6, "清明节"},
    {2026, 5, 1, 2026, 5, 5, "劳动节"},
    {2026, 6, 19, 2026, 6, 21, "端午节"},
    {2026, 9, 25, 2026, 9, 27, "中秋节"},
    {2026, 10, 1, 2026, 10, 7, "国庆节"},
};

// Weekend days declared working days (调休上班).
constexpr Day kSwappedWorkingDays[] = {
    {2020, 1, 19}, {2020, 4, 26}, {2020, 5, 9},  {2020, 6, 28},  {2020, 9, 27},  {2020, 10, 10},
    {2021, 2, 7},  {2021, 2, 20}, {2021, 4, 25}, {2021, 5, 8},   {2021, 9, 18},  {2021, 9, 26},
    {2021, 10, 9}, {2022, 1, 29}, {2022, 1, 30}, {2022, 4, 2},   {2022, 4, 24},  {2022, 5, 7},
    {2022, 10, 8}, {2022, 10, 9}, {2023, 1, 28}, {2023, 1, 29},  {2023, 4, 23},  {2023, 5, 6},
    {2023, 6, 25}, {2023, 10, 7}, {2023, 10, 8}, {2024, 2, 4},   {2024, 2, 18},  {2024, 4, 7},
    {2024, 4, 28}, {2024, 5, 11}, {2024, 9, 14}, {2024, 9, 29},  {2024, 10, 12}, {2025, 1, 26},
    {2025, 2, 8},  {2025, 4, 27}, {2025, 9, 28}, {2025, 10, 11}, {2026, 1, 4},   {2026, 2, 14},
    {2026, 2, 28}, {2026, 5, 9},  {2026, 9, 20}, {2026, 10, 10},
};

constexpr int64_t kFirstDay = 18262;  // 2020-01-01
constexpr int64_t kLastDay = 20818;   // 2026-12-31
constexpr size_t kSpan = kLastDay - kFirstDay + 1;

// Per day of 2020–2026: 0 ordinary, 1 holiday, 2 swapped working day; plus the
// holiday name index. Built once from the tables above.
struct Table {
  std::array<uint8_t, kSpan> kind{};
  std::array<uint8_t, kSpan> name{};
  Table() {
    for (size_t i = 0; i < std::size(kHolidays); ++i) {
      const Period& p = kHolidays[i];
      int64_t a = DaysFromCivil(p.y1, p.m1, p.d1), b = DaysFromCivil(p.y2, p.m2, p.d2);
      for (int64_t d = a; d <= b; ++d) {
        if (d < kFirstDay || d > kLastDay) continue;
        kind[d - kFirstDay] = 1;
        name[d - kFirstDay] = static_cast<uint8_t>(i);
      }
    }
    for (const Day& w : kSwappedWorkingDays) kind[DaysFromCivil(w.y, w.m, w.d) - kFirstDay] = 2;
  }
};

const Table& GetTable() {
  static const Table t;
  return t;
}

int64_t ToDays(const CivilDate& d) { return DaysFromCivil(d.year, d.month, d.day); }

}  // namespace

int WeekdayFromDays(int64_t days) {
  // 1970-01-01 was a Thursday (4).
  int64_t w = (days + 3) % 7;
  if (w < 0) w += 7;
  return static_cast<int>(w) + 1;
}
int Weekday(const CivilDate& d) { return WeekdayFromDays(ToDays(d)); }

bool IsHolidayDays(int64_t days) {
  if (days < kFirstDay || days > kLastDay) return false;
  return GetTable().kind[days - kFirstDay] == 1;
}
bool IsHoliday(const CivilDate& d) { return IsHolidayDays(ToDays(d)); }

bool IsSwappedWorkingDay(const CivilDate& d) {
  int64_t days = ToDays(d);
  if (days < kFirstDay || days > kLastDay) return false;
  return GetTable().kind[days - kFirstDay] == 2;
}

bool IsWorkingDayDays(int64_t days) {
  if (days >= kFirstDay && days <= kLastDay) {
    uint8_t k = GetTable().kind[days - kFirstDay];
    if (k == 1) return false;
    if (k == 2) return true;
  }
  return WeekdayFromDays(days) <= 5;
}
bool IsWorkingDay(const CivilDate& d) { return IsWorkingDayDays(ToDays(d)); }

std::string_view HolidayName(const CivilDate& d) {
  int64_t days = ToDays(d);
  if (!IsHolidayDays(days)) return {};
  return kHolidays[GetTable().name[days - kFirstDay]].name;
}

bool CalendarCovers(int year) { return year >= kCalendarFirstYear && year <= kCalendarLastYear; }

int64_t AddWorkingDaysDays(int64_t days, int n) {
  int step = n >= 0 ? 1 : -1;
  for (int left = n >= 0 ? n : -n; left > 0;) {
    days += step;
    if (IsWorkingDayDays(days)) --left;
  }
  return days;
}
CivilDate AddWorkingDays(const CivilDate& d, int n) {
  return CivilFromDays(AddWorkingDaysDays(ToDays(d), n));
}

int WorkingDaysBetweenDays(int64_t a, int64_t b) {
  if (b < a) return -WorkingDaysBetweenDays(b, a);
  int n = 0;
  for (int64_t d = a + 1; d <= b; ++d) n += IsWorkingDayDays(d) ? 1 : 0;
  return n;
}
int WorkingDaysBetween(const CivilDate& a, const CivilDate& b) {
  return WorkingDaysBetweenDays(ToDays(a), ToDays(b));
}

}  // namespace qf
