// Known-good and known-bad vectors for every validator of the data contract.
#include <gtest/gtest.h>
#include <unicode/utf8.h>

#include "common/hash.h"
#include "common/text.h"
#include "ingest/dataset.h"
#include "ingest/identifiers.h"
#include "ingest/value.h"

namespace qf {
namespace {

TEST(IdNumber, AcceptsValidNumbers) {
  EXPECT_EQ(NormalizeIdNumber("11010519491231002X").value(), "11010519491231002X");
  EXPECT_EQ(NormalizeIdNumber("11010519491231002x").value(), "11010519491231002X");
  EXPECT_EQ(NormalizeIdNumber(" 11010519491231002X ").value(), "11010519491231002X");
  // Full-width digits are folded.
  EXPECT_EQ(NormalizeIdNumber("１１０１０５１９４９１２３１００２Ｘ").value(),
            "11010519491231002X");
  EXPECT_EQ(NormalizeIdNumber("440524188001010014").value(), "440524188001010014");
}

TEST(IdNumber, UpgradesLegacyFifteenDigits) {
  // 110105491231002 → 110105 19 491231002 + check digit.
  Result<std::string> r = NormalizeIdNumber("110105491231002");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.value(), "11010519491231002X");
}

TEST(IdNumber, RejectsBadNumbers) {
  EXPECT_FALSE(NormalizeIdNumber("110105194912310021").ok());  // wrong check digit
  EXPECT_FALSE(NormalizeIdNumber("11010519491331002X").ok());  // month 13
  EXPECT_FALSE(NormalizeIdNumber("11010519490230002X").ok());  // 30 February
  EXPECT_FALSE(NormalizeIdNumber("1101051949123100").ok());    // 16 characters
  EXPECT_FALSE(NormalizeIdNumber("11010519491231002Y").ok());
  EXPECT_FALSE(NormalizeIdNumber("A1010519491231002X").ok());
  EXPECT_FALSE(NormalizeIdNumber("110105991331002").ok());     // legacy with month 13
  EXPECT_FALSE(NormalizeIdNumber("11010530001231002X").ok());  // born in the future
  Status s = NormalizeIdNumber("110105194912310021").status();
  EXPECT_NE(s.message_zh().find("校验位"), std::string::npos) << s.message_zh();
  // Spreadsheet scientific notation gets a message that says what happened.
  Status sci = NormalizeIdNumber("1.10105194912E+17").status();
  EXPECT_NE(sci.message_zh().find("文本格式"), std::string::npos) << sci.message_zh();
}

TEST(IdNumber, StatesBirthDateAndSex) {
  EXPECT_EQ(FormatDate(IdNumberBirthDate("11010519491231002X")), "1949-12-31");
  EXPECT_FALSE(IdNumberIsMale("11010519491231002X"));  // 17th digit 2 = female
  EXPECT_TRUE(IdNumberIsMale("440524188001010014"));
}

TEST(CreditCode, AcceptsValidCodes) {
  EXPECT_EQ(NormalizeCreditCode("91350100M000100Y43").value(), "91350100M000100Y43");
  EXPECT_EQ(NormalizeCreditCode("91350100m000100y43").value(), "91350100M000100Y43");
  EXPECT_EQ(CreditCodeCheckChar("91350100M000100Y4"), '3');
  EXPECT_TRUE(NormalizeCreditCode("911100001000013428").ok() ||
              CreditCodeCheckChar("91110000100001342") != '8');
}

TEST(CreditCode, RejectsBadCodes) {
  EXPECT_FALSE(NormalizeCreditCode("91350100M000100Y44").ok());  // check character
  EXPECT_FALSE(NormalizeCreditCode("91350100M000100Y4").ok());   // 17 characters
  EXPECT_FALSE(NormalizeCreditCode("91350100I000100Y43").ok());  // I is not in the alphabet
  Status s = NormalizeCreditCode("91350100M000100Y44").status();
  EXPECT_NE(s.message_zh().find("校验码"), std::string::npos);
}

TEST(Party, FormatDecidesPersonOrOrganisation) {
  Result<Party> p = NormalizeParty("11010519491231002X");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->kind, PartyKind::kPerson);
  Result<Party> o = NormalizeParty("91350100M000100Y43");
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->kind, PartyKind::kOrganisation);
  EXPECT_FALSE(NormalizeParty("91350100M000100Y44").ok());
  EXPECT_FALSE(NormalizeParty("12345").ok());
}

TEST(Dates, AcceptsEveryContractFormat) {
  for (const char* s :
       {"2024-03-05", "2024/3/5", "2024/03/05", "20240305", "2024年3月5日", "2024-3-5",
        " 2024-03-05 ", "2024-03-05 00:00:00", "２０２４－０３－０５"}) {
    auto d = ParseDate(s);
    ASSERT_TRUE(d.has_value()) << s;
    EXPECT_EQ(FormatDate(*d), "2024-03-05") << s;
  }
}

TEST(Dates, RejectsImpossibleOrUnclearDates) {
  for (const char* s : {"2024-02-30", "2023-02-29", "2024-13-01", "05/03/2024", "2024-03",
                        "20240230", "2024年3月", "昨天", "2024-03-05 12:00", "1800-01-01"}) {
    EXPECT_FALSE(ParseDate(s).has_value()) << s;
  }
  EXPECT_TRUE(ParseDate("2024-02-29").has_value());
}

TEST(DateTimes, ParsesLocalTimes) {
  auto t = ParseDateTime("2024-03-05 08:09");
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatLocalDateTime(*t), "2024-03-05 08:09:00");
  EXPECT_EQ(FormatLocalDateTime(*ParseDateTime("2024-03-05 23:59:59")), "2024-03-05 23:59:59");
  EXPECT_EQ(FormatLocalDateTime(*ParseDateTime("2024/3/5 8:09:10")), "2024-03-05 08:09:10");
  EXPECT_EQ(FormatLocalDateTime(*ParseDateTime("2024-03-05T08:09:10")), "2024-03-05 08:09:10");
  EXPECT_EQ(FormatLocalDateTime(*ParseDateTime("2024-03-05")), "2024-03-05 00:00:00");
  EXPECT_FALSE(ParseDateTime("2024-03-05 24:00").has_value());
  EXPECT_FALSE(ParseDateTime("2024-03-05 12:60").has_value());
  EXPECT_FALSE(ParseDateTime("2024-03-05 noon").has_value());
}

TEST(Periods, ParsesMonths) {
  for (const char* s : {"2024-03", "2024/3", "202403", "2024年3月"}) {
    auto p = ParsePeriod(s);
    ASSERT_TRUE(p) << s;
    EXPECT_EQ(p->year, 2024);
    EXPECT_EQ(p->month, 3);
  }
  EXPECT_FALSE(ParsePeriod("2024-13"));
  EXPECT_FALSE(ParsePeriod("2024-03-01"));
  EXPECT_FALSE(ParsePeriod("March"));
}

TEST(Money, ConvertsYuanToExactFen) {
  EXPECT_EQ(ParseMoneyFen("1,234.50").value(), 123450);
  EXPECT_EQ(ParseMoneyFen("1234.5").value(), 123450);
  EXPECT_EQ(ParseMoneyFen("0.01").value(), 1);
  EXPECT_EQ(ParseMoneyFen("12").value(), 1200);
  EXPECT_EQ(ParseMoneyFen("-3.5").value(), -350);
  EXPECT_EQ(ParseMoneyFen("¥1,000").value(), 100000);
  EXPECT_EQ(ParseMoneyFen("1000元").value(), 100000);
  EXPECT_EQ(ParseMoneyFen("1,234,567.89").value(), 123456789);
  EXPECT_EQ(ParseMoneyFen("1.500").value(), 150);  // trailing zeros carry no value
  EXPECT_EQ(ParseMoneyFen(".5").value(), 50);
  // 0.1 + 0.2 style binary error cannot happen: 0.29 stays 29 fen.
  EXPECT_EQ(ParseMoneyFen("0.29").value(), 29);
  EXPECT_EQ(ParseMoneyFen("１２３.４５").value(), 12345);
}

TEST(Money, RejectsWhatIsNotAnAmount) {
  for (const char* s : {"1.234", "12,34", "1,2345", "abc", "1.2.3", "", "12 34", "1e5", ",123"}) {
    EXPECT_FALSE(ParseMoneyFen(s).ok()) << s;
  }
  EXPECT_NE(ParseMoneyFen("1.234").status().message_zh().find("两位"), std::string::npos);
}

TEST(Booleans, AcceptsContractSpellings) {
  for (const char* s : {"是", "Y", "y", "true", "TRUE", "1", "yes"})
    EXPECT_EQ(ParseBool(s), true) << s;
  for (const char* s : {"否", "N", "false", "0", "No"}) EXPECT_EQ(ParseBool(s), false) << s;
  EXPECT_FALSE(ParseBool("maybe").has_value());
  EXPECT_FALSE(ParseBool("2").has_value());
}

TEST(Ratios, AcceptsFractionsAndPercentages) {
  EXPECT_DOUBLE_EQ(*ParseRatio("0.35"), 0.35);
  EXPECT_DOUBLE_EQ(*ParseRatio("35%"), 0.35);
  EXPECT_DOUBLE_EQ(*ParseRatio("100%"), 1.0);
  EXPECT_DOUBLE_EQ(*ParseRatio("１５％"), 0.15);
  EXPECT_FALSE(ParseRatio("35").has_value());  // ambiguous: neither fraction nor percentage
  EXPECT_FALSE(ParseRatio("-0.1").has_value());
  EXPECT_FALSE(ParseRatio("abc").has_value());
}

TEST(ExcelSerials, MapToCalendarDates) {
  auto day = [](double serial) { return FormatLocalDateTime(*ExcelSerialToLocalSeconds(serial)); };
  EXPECT_EQ(day(1), "1900-01-01 00:00:00");
  EXPECT_EQ(day(59), "1900-02-28 00:00:00");
  EXPECT_EQ(day(61), "1900-03-01 00:00:00");
  EXPECT_EQ(day(45292), "2024-01-01 00:00:00");
  EXPECT_EQ(day(45292.5), "2024-01-01 12:00:00");
}

TEST(ParseValue, AppliesColumnTypes) {
  const DatasetDef* companies = FindDataset("companies");
  ASSERT_NE(companies, nullptr);
  const ColumnDef& status = companies->columns[companies->ColumnIndex("status")];
  // Traditional characters match the simplified value, which is stored.
  EXPECT_EQ(ParseValue(status, {"註銷"}).value().s, "注销");
  EXPECT_EQ(ParseValue(status, {"存续"}).value().s, "存续");
  Status bad = ParseValue(status, {"倒闭"}).status();
  EXPECT_NE(bad.message_zh().find("存续"), std::string::npos) << bad.message_zh();
  const ColumnDef& capital = companies->columns[companies->ColumnIndex("registered_capital")];
  EXPECT_EQ(ParseValue(capital, {"1,000,000.00"}).value().i, 100000000);
  EXPECT_EQ(ParseValue(capital, {"1000000.1", true}).value().i, 100000010);
  const ColumnDef& established = companies->columns[companies->ColumnIndex("established_date")];
  EXPECT_EQ(ParseValue(established, {"45292", true}).value().s, "2024-01-01");
  EXPECT_TRUE(ParseValue(established, {""}).value().is_null());
  const ColumnDef& region = companies->columns[companies->ColumnIndex("region_code")];
  EXPECT_EQ(ParseValue(region, {"210902"}).value().s, "210902");
  EXPECT_FALSE(ParseValue(region, {"21090"}).ok());
  const ColumnDef& name = companies->columns[companies->ColumnIndex("name")];
  EXPECT_EQ(ParseValue(name, {"  阜新ＡＢＣ建筑有限公司（分公司） "}).value().s,
            "阜新ABC建筑有限公司（分公司）");
  const DatasetDef* enforcement = FindDataset("enforcement");
  const ColumnDef& inspectors =
      enforcement->columns[enforcement->ColumnIndex("inspector_id_numbers")];
  EXPECT_EQ(ParseValue(inspectors, {"11010519491231002X; 110105491231002"}).value().s,
            "11010519491231002X;11010519491231002X");
  EXPECT_FALSE(ParseValue(inspectors, {"11010519491231002X;123"}).ok());
}

TEST(Text, FoldsAndSimplifies) {
  EXPECT_EQ(FoldWidth("ＡＢＣ１２３　"), "ABC123 ");
  EXPECT_EQ(NormalizeForCompare(" 張三 "), "张三");
  EXPECT_EQ(FormatFen(123450), "1,234.50");
  EXPECT_EQ(FormatFen(-5), "-0.05");
  EXPECT_TRUE(IsValidUtf8("中文"));
  EXPECT_FALSE(IsValidUtf8("\xD6\xD0"));  // 中 in GBK
  EXPECT_EQ(Utf8CompletePrefix(std::string("ab\xE4\xB8")), 2u);
}

// The inline validator agrees with ICU's on every 1-3 byte sequence and on the
// 4-byte ones around each boundary.
TEST(Text, Utf8ValidationAgreesWithIcu) {
  auto icu_valid = [](const std::string& s) {
    const auto* b = reinterpret_cast<const uint8_t*>(s.data());
    int32_t i = 0;
    const auto n = static_cast<int32_t>(s.size());
    while (i < n) {
      UChar32 c = 0;
      U8_NEXT(b, i, n, c);
      if (c < 0) return false;
    }
    return true;
  };
  int checked = 0;
  auto check = [&](const std::string& s) {
    ++checked;
    ASSERT_EQ(IsValidUtf8(s), icu_valid(s))
        << "bytes: " << ToHex(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  };
  for (int a = 0; a < 256; ++a) {
    check(std::string(1, static_cast<char>(a)));
    for (int b = 0; b < 256; ++b) {
      std::string two{static_cast<char>(a), static_cast<char>(b)};
      check(two);
      check("abcdefgh" + two + "xyz");  // past the eight-byte ASCII skip
      if (a >= 0xE0 && a <= 0xEF) {
        for (int c = 0; c < 256; ++c) check(two + static_cast<char>(c));
      }
    }
  }
  for (int a = 0xEF; a <= 0xFF; ++a) {
    for (int b : {0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0}) {
      for (int c : {0x7F, 0x80, 0xBF, 0xC0}) {
        for (int d : {0x7F, 0x80, 0xBF, 0xC0}) {
          check({static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                 static_cast<char>(d)});
        }
      }
    }
  }
  EXPECT_GT(checked, 1000000);
}

TEST(Datasets, DeclarationsAreConsistent) {
  EXPECT_EQ(AllDatasets().size(), 20u);
  for (const DatasetDef& d : AllDatasets()) {
    ASSERT_FALSE(d.key.empty()) << d.name;
    for (int k : d.key) ASSERT_GE(k, 0) << d.name;
    for (const ColumnDef& c : d.columns) {
      EXPECT_FALSE(c.aliases.empty()) << d.name << "." << c.name;
      EXPECT_EQ(c.type == ColumnType::kEnum, !c.allowed.empty()) << d.name << "." << c.name;
    }
    EXPECT_EQ(FindDataset(d.name), &d);
    EXPECT_EQ(FindDataset(d.zh), &d);
  }
  EXPECT_EQ(FindDataset("nonsense"), nullptr);
}

}  // namespace
}  // namespace qf
