// The PRC public-holiday calendar (法定节假日) with swapped working days (调休),
// as published in the State Council General Office's yearly notices
// (国务院办公厅关于20XX年部分节假日安排的通知), 2020–2026. It is data, not a rule of
// thumb: models that judge "weekend or holiday" and "working days" use it.
// Outside the covered years only Saturdays and Sundays are non-working days.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/time.h"

namespace qf {

inline constexpr int kCalendarFirstYear = 2020;
inline constexpr int kCalendarLastYear = 2026;

// Monday = 1 … Sunday = 7.
int Weekday(const CivilDate& d);
int WeekdayFromDays(int64_t days);

// True on a day of an official holiday period (e.g. every day of 2024-02-10..17),
// including the weekend days inside that period.
bool IsHoliday(const CivilDate& d);
bool IsHolidayDays(int64_t days);
// True on a weekend day declared a working day (调休上班), e.g. 2024-02-04.
bool IsSwappedWorkingDay(const CivilDate& d);
// Monday–Friday outside holidays, plus swapped working weekend days.
bool IsWorkingDay(const CivilDate& d);
bool IsWorkingDayDays(int64_t days);
// "春节", "国庆节", … for a holiday; empty otherwise.
std::string_view HolidayName(const CivilDate& d);
// True when the year's official notice is in the table.
bool CalendarCovers(int year);

// The n-th working day after `d` (d itself is not counted); n = 0 gives d.
// Negative n counts backwards.
CivilDate AddWorkingDays(const CivilDate& d, int n);
int64_t AddWorkingDaysDays(int64_t days, int n);
// Working days in (a, b]: WorkingDaysBetween(a, AddWorkingDays(a, n)) == n.
// Negative when b < a.
int WorkingDaysBetween(const CivilDate& a, const CivilDate& b);
int WorkingDaysBetweenDays(int64_t a, int64_t b);

}  // namespace qf
