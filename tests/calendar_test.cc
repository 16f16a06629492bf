// The holiday calendar against the State Council's notices.
#include "common/calendar.h"

#include <gtest/gtest.h>

namespace qf {
namespace {

CivilDate Day(int y, int m, int d) { return CivilDate{y, m, d}; }

TEST(CalendarTest, Weekdays) {
  EXPECT_EQ(Weekday(Day(2024, 2, 4)), 7);  // Sunday
  EXPECT_EQ(Weekday(Day(2025, 1, 1)), 3);  // Wednesday
  EXPECT_EQ(Weekday(Day(1970, 1, 1)), 4);  // Thursday
}

TEST(CalendarTest, SpringFestival2024AndItsSwappedSundays) {
  EXPECT_TRUE(IsWorkingDay(Day(2024, 2, 4)));   // Sunday, 调休上班
  EXPECT_TRUE(IsWorkingDay(Day(2024, 2, 18)));  // Sunday, 调休上班
  EXPECT_TRUE(IsSwappedWorkingDay(Day(2024, 2, 18)));
  EXPECT_TRUE(IsWorkingDay(Day(2024, 2, 9)));  // 除夕 2024 stayed a working day
  for (int d = 10; d <= 17; ++d) {
    EXPECT_TRUE(IsHoliday(Day(2024, 2, d))) << d;
    EXPECT_FALSE(IsWorkingDay(Day(2024, 2, d))) << d;
    EXPECT_EQ(HolidayName(Day(2024, 2, d)), "春节");
  }
  EXPECT_FALSE(IsHoliday(Day(2024, 2, 19)));
  EXPECT_TRUE(IsWorkingDay(Day(2024, 2, 19)));
}

TEST(CalendarTest, NationalDay2024) {
  for (int d = 1; d <= 7; ++d) EXPECT_TRUE(IsHoliday(Day(2024, 10, d))) << d;
  EXPECT_EQ(HolidayName(Day(2024, 10, 3)), "国庆节");
  EXPECT_TRUE(IsWorkingDay(Day(2024, 9, 29)));   // Sunday
  EXPECT_TRUE(IsWorkingDay(Day(2024, 10, 12)));  // Saturday
  EXPECT_TRUE(IsWorkingDay(Day(2024, 10, 8)));
}

TEST(CalendarTest, Year2025) {
  EXPECT_TRUE(IsWorkingDay(Day(2025, 1, 26)));  // Sunday, 调休上班
  EXPECT_TRUE(IsHoliday(Day(2025, 1, 28)));     // 除夕, a statutory day since 2025
  EXPECT_TRUE(IsHoliday(Day(2025, 2, 4)));
  EXPECT_TRUE(IsWorkingDay(Day(2025, 2, 8)));  // Saturday
  EXPECT_TRUE(IsHoliday(Day(2025, 5, 5)));
  EXPECT_TRUE(IsWorkingDay(Day(2025, 4, 27)));  // Sunday
  EXPECT_TRUE(IsHoliday(Day(2025, 10, 8)));
  EXPECT_TRUE(IsWorkingDay(Day(2025, 10, 11)));  // Saturday
}

TEST(CalendarTest, Year2020SpringFestivalExtension) {
  EXPECT_TRUE(IsHoliday(Day(2020, 1, 31)));
  EXPECT_TRUE(IsHoliday(Day(2020, 2, 1)));  // was to be a working Saturday before the extension
  EXPECT_TRUE(IsHoliday(Day(2020, 2, 2)));
  EXPECT_TRUE(IsWorkingDay(Day(2020, 2, 3)));
  EXPECT_TRUE(IsWorkingDay(Day(2020, 1, 19)));  // Sunday, 调休上班
}

TEST(CalendarTest, OtherYears) {
  EXPECT_TRUE(IsHoliday(Day(2022, 12, 31)));  // 2023 New Year period starts on a Saturday
  EXPECT_EQ(HolidayName(Day(2022, 12, 31)), "元旦");
  EXPECT_TRUE(IsWorkingDay(Day(2023, 1, 28)));
  EXPECT_TRUE(IsHoliday(Day(2023, 9, 29)));
  EXPECT_TRUE(IsWorkingDay(Day(2023, 10, 7)));
  EXPECT_TRUE(IsWorkingDay(Day(2022, 4, 2)));
  EXPECT_TRUE(IsHoliday(Day(2021, 9, 20)));
  EXPECT_TRUE(IsHoliday(Day(2026, 2, 23)));     // 2026: nine-day Spring Festival
  EXPECT_TRUE(IsWorkingDay(Day(2026, 2, 28)));  // Saturday
  EXPECT_TRUE(IsWorkingDay(Day(2026, 1, 4)));   // Sunday
  EXPECT_FALSE(IsWorkingDay(Day(2024, 3, 2)));  // an ordinary Saturday
  EXPECT_TRUE(CalendarCovers(2026));
  EXPECT_FALSE(CalendarCovers(2027));
  EXPECT_FALSE(IsWorkingDay(Day(2030, 1, 5)));  // outside the table: Saturday
  EXPECT_TRUE(IsWorkingDay(Day(2030, 1, 7)));
}

TEST(CalendarTest, WorkingDayArithmetic) {
  // Friday 2024-02-09 + 1 working day skips the Spring Festival to Sunday 2-18.
  EXPECT_EQ(FormatDate(AddWorkingDays(Day(2024, 2, 9), 1)), "2024-02-18");
  EXPECT_EQ(FormatDate(AddWorkingDays(Day(2024, 2, 18), -1)), "2024-02-09");
  EXPECT_EQ(FormatDate(AddWorkingDays(Day(2024, 9, 27), 2)), "2024-09-30");  // via Sunday 9-29
  EXPECT_EQ(FormatDate(AddWorkingDays(Day(2024, 3, 1), 0)), "2024-03-01");
  EXPECT_EQ(WorkingDaysBetween(Day(2024, 2, 9), Day(2024, 2, 18)), 1);
  EXPECT_EQ(WorkingDaysBetween(Day(2024, 2, 18), Day(2024, 2, 9)), -1);
  EXPECT_EQ(WorkingDaysBetween(Day(2024, 3, 4), Day(2024, 3, 11)), 5);
  for (int n = 0; n < 40; ++n) {
    EXPECT_EQ(WorkingDaysBetween(Day(2024, 9, 20), AddWorkingDays(Day(2024, 9, 20), n)), n);
  }
  // 2024 had 251 working days.
  EXPECT_EQ(WorkingDaysBetween(Day(2023, 12, 31), Day(2024, 12, 31)), 251);
}

}  // namespace
}  // namespace qf
