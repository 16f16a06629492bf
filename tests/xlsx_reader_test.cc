// XlsxReader against workbooks written by libxlsxwriter and, for what it cannot
// write (1904 dates, inline rich text, damaged XML), packages built with minizip.
#include "ingest/xlsx_reader.h"

#include <gtest/gtest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "test_util.h"

namespace qf {
namespace {

using Entries = std::vector<std::pair<std::string, std::string>>;

struct Sheet {
  std::vector<std::string> header;
  std::vector<Record> rows;
  Status end;  // what ended the reading: OK at the end of the sheet
};

Result<Sheet> ReadAll(const std::string& path, const std::string& sheet = "") {
  auto r = XlsxReader::Open(path, "payments", sheet);
  if (!r.ok()) return r.status();
  XlsxReader& reader = *r.value();
  Sheet out;
  EXPECT_EQ(reader.streams().size(), 1u);
  EXPECT_EQ(reader.streams()[0].dataset, "payments");
  out.header = reader.streams()[0].header;
  double progress = reader.Progress();
  for (;;) {
    Record rec;
    Result<bool> got = reader.Next(&rec);
    EXPECT_GE(reader.Progress(), progress);
    EXPECT_LE(reader.Progress(), 1.0);
    progress = reader.Progress();
    if (!got.ok()) {
      out.end = got.status();
      break;
    }
    if (!got.value()) {
      EXPECT_EQ(reader.Progress(), 1.0);
      break;
    }
    EXPECT_EQ(rec.fields.size(), out.header.size());
    EXPECT_EQ(rec.numeric.size(), out.header.size());
    out.rows.push_back(std::move(rec));
  }
  return out;
}

void WriteZip(const std::string& path, const Entries& entries) {
  zipFile z = zipOpen64(path.c_str(), 0);
  ASSERT_NE(z, nullptr);
  for (const auto& [name, data] : entries) {
    zip_fileinfo info{};
    ASSERT_EQ(zipOpenNewFileInZip64(z, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr,
                                    Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0),
              ZIP_OK);
    ASSERT_EQ(zipWriteInFileInZip(z, data.data(), static_cast<unsigned>(data.size())), ZIP_OK);
    ASSERT_EQ(zipCloseFileInZip(z), ZIP_OK);
  }
  ASSERT_EQ(zipClose(z, nullptr), ZIP_OK);
}

// A one-sheet package around `sheet_xml` (the children of <sheetData>).
Entries Package(const std::string& sheet_data, const std::string& workbook_pr = "",
                const std::string& shared_strings = "", const std::string& styles = "") {
  const std::string ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const std::string rns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const std::string pns = "http://schemas.openxmlformats.org/package/2006/relationships";
  Entries e;
  e.emplace_back("_rels/.rels",
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"" + pns +
                     "\"><Relationship Id=\"rId1\" Type=\"" + rns +
                     "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
  // Prefixed elements, as some .NET writers produce them.
  e.emplace_back("xl/workbook.xml", "<x:workbook xmlns:x=\"" + ns + "\" xmlns:r=\"" + rns + "\">" +
                                        workbook_pr +
                                        "<x:sheets><x:sheet name=\"Only\" sheetId=\"1\" "
                                        "r:id=\"rId7\"/></x:sheets></x:workbook>");
  std::string rels = "<Relationships xmlns=\"" + pns + "\"><Relationship Id=\"rId7\" Type=\"" +
                     rns + "/worksheet\" Target=\"/xl/worksheets/data.xml\"/>";
  if (!shared_strings.empty()) {
    rels +=
        "<Relationship Id=\"rId8\" Type=\"" + rns + "/sharedStrings\" Target=\"strings/sst.xml\"/>";
    e.emplace_back("xl/strings/sst.xml", "<sst xmlns=\"" + ns + "\">" + shared_strings + "</sst>");
  }
  if (!styles.empty()) {
    rels += "<Relationship Id=\"rId9\" Type=\"" + rns + "/styles\" Target=\"styles.xml\"/>";
    e.emplace_back("xl/styles.xml", "<styleSheet xmlns=\"" + ns + "\">" + styles + "</styleSheet>");
  }
  e.emplace_back("xl/_rels/workbook.xml.rels", rels + "</Relationships>");
  e.emplace_back("xl/worksheets/data.xml", "<x:worksheet xmlns:x=\"" + ns + "\"><x:sheetData>" +
                                               sheet_data + "</x:sheetData></x:worksheet>");
  return e;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> V(std::initializer_list<std::string> s) { return s; }
std::vector<uint8_t> N(std::initializer_list<uint8_t> s) { return s; }

// A workbook with a "Data" sheet of mixed cells and a second sheet "Second".
std::string WriteMixedWorkbook(const testing::ScratchDir& dir) {
  std::string path = dir.File("mixed.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Data");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  // Row 1 (index 0) is left empty: the header is row 2.
  worksheet_write_string(ws, 1, 0, " Name ", nullptr);
  worksheet_write_string(ws, 1, 1, "Amount", nullptr);
  worksheet_write_string(ws, 1, 2, "Date", nullptr);
  worksheet_write_string(ws, 1, 3, "Flag", nullptr);
  worksheet_write_string(ws, 1, 4, "Formula", nullptr);
  worksheet_write_string(ws, 2, 0, "张三", nullptr);
  worksheet_write_number(ws, 2, 1, 1234.5, nullptr);
  lxw_datetime dt = {2024, 1, 2, 0, 0, 0};
  worksheet_write_datetime(ws, 2, 2, &dt, date);
  worksheet_write_boolean(ws, 2, 3, 1, nullptr);
  worksheet_write_formula_str(ws, 2, 4, "=\"ab\"&\"c\"", nullptr, "abc");
  // Row 4 (index 3) is empty and skipped; row 5 has gaps.
  worksheet_write_string(ws, 4, 0, "李四", nullptr);
  worksheet_write_number(ws, 4, 1, 13912341234.0, nullptr);
  worksheet_write_boolean(ws, 4, 3, 0, nullptr);
  // A styled blank beyond the header is no value.
  worksheet_write_blank(ws, 4, 6, bold);
  lxw_rich_string_tuple f1 = {bold, (char*)"Hello "};
  lxw_rich_string_tuple f2 = {nullptr, (char*)"World"};
  lxw_rich_string_tuple* rich[] = {&f1, &f2, nullptr};
  worksheet_write_rich_string(ws, 6, 0, rich, nullptr);
  // A value beyond the header's last column (E).
  worksheet_write_string(ws, 7, 0, "王五", nullptr);
  worksheet_write_string(ws, 7, 6, "stray", nullptr);

  lxw_worksheet* second = workbook_add_worksheet(wb, "Second");
  worksheet_write_string(second, 0, 0, "code", nullptr);
  worksheet_write_string(second, 1, 0, "S-1", nullptr);
  EXPECT_EQ(workbook_close(wb), LXW_NO_ERROR);
  return path;
}

TEST(XlsxReader, ReadsMixedCells) {
  testing::ScratchDir dir;
  auto r = ReadAll(WriteMixedWorkbook(dir));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Sheet& s = r.value();
  ASSERT_TRUE(s.end.ok()) << s.end.ToString();
  EXPECT_EQ(s.header, V({"Name", "Amount", "Date", "Flag", "Formula"}));
  ASSERT_EQ(s.rows.size(), 4u);

  EXPECT_EQ(s.rows[0].line, 3);
  EXPECT_EQ(s.rows[0].fields, V({"张三", "1234.5", "45293", "1", "abc"}));
  EXPECT_EQ(s.rows[0].numeric, N({0, 1, 1, 0, 0}));
  EXPECT_TRUE(s.rows[0].problem.ok());

  EXPECT_EQ(s.rows[1].line, 5);
  EXPECT_EQ(s.rows[1].fields, V({"李四", "13912341234", "", "0", ""}));
  EXPECT_EQ(s.rows[1].numeric, N({0, 1, 0, 0, 0}));
  EXPECT_TRUE(s.rows[1].problem.ok()) << s.rows[1].problem.ToString();

  EXPECT_EQ(s.rows[2].line, 7);
  EXPECT_EQ(s.rows[2].fields, V({"Hello World", "", "", "", ""}));

  EXPECT_EQ(s.rows[3].line, 8);
  EXPECT_EQ(s.rows[3].fields, V({"王五", "", "", "", ""}));
  ASSERT_FALSE(s.rows[3].problem.ok());
  EXPECT_NE(s.rows[3].problem.message().find("column G"), std::string::npos)
      << s.rows[3].problem.message();
  EXPECT_NE(s.rows[3].problem.message_zh().find("G列"), std::string::npos);
}

TEST(XlsxReader, SelectsSheetByNameOrNumber) {
  testing::ScratchDir dir;
  std::string path = WriteMixedWorkbook(dir);
  for (const char* sel : {"Second", "  second ", "2"}) {
    auto r = ReadAll(path, sel);
    ASSERT_TRUE(r.ok()) << sel << ": " << r.status().ToString();
    EXPECT_EQ(r.value().header, V({"code"}));
    ASSERT_EQ(r.value().rows.size(), 1u);
    EXPECT_EQ(r.value().rows[0].fields, V({"S-1"}));
    EXPECT_EQ(r.value().rows[0].line, 2);
  }
  auto first = ReadAll(path, "1");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.value().header[0], "Name");
}

TEST(XlsxReader, UnknownSheetListsTheSheets) {
  testing::ScratchDir dir;
  std::string path = WriteMixedWorkbook(dir);
  for (const char* sel : {"Payments", "3", "0"}) {
    auto r = XlsxReader::Open(path, "payments", sel);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
    const std::string& en = r.status().message();
    EXPECT_NE(en.find("mixed.xlsx"), std::string::npos) << en;
    EXPECT_NE(en.find("'Data', 'Second'"), std::string::npos) << en;
    EXPECT_NE(r.status().message_zh().find("“Data”、“Second”"), std::string::npos)
        << r.status().message_zh();
  }
}

TEST(XlsxReader, StreamsALargeInlineStringSheet) {
  testing::ScratchDir dir;
  std::string path = dir.File("big.xlsx");
  // constant_memory makes libxlsxwriter write inline strings (t="inlineStr").
  lxw_workbook_options opts = {LXW_TRUE, nullptr, LXW_FALSE};
  lxw_workbook* wb = workbook_new_opt(path.c_str(), &opts);
  lxw_worksheet* ws = workbook_add_worksheet(wb, nullptr);
  worksheet_write_string(ws, 0, 0, "id", nullptr);
  worksheet_write_string(ws, 0, 1, "name", nullptr);
  worksheet_write_string(ws, 0, 2, "value", nullptr);
  const int kRows = 30000;
  for (int i = 1; i <= kRows; ++i) {
    worksheet_write_number(ws, i, 0, i, nullptr);
    worksheet_write_string(ws, i, 1, ("name " + std::to_string(i)).c_str(), nullptr);
    worksheet_write_number(ws, i, 2, i + 0.25, nullptr);
  }
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  auto r = XlsxReader::Open(path, "payments", "");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  XlsxReader& reader = *r.value();
  EXPECT_EQ(reader.streams()[0].header, V({"id", "name", "value"}));
  EXPECT_LT(reader.Progress(), 0.5);
  Record rec;
  int n = 0;
  bool saw_middle = false;
  for (;;) {
    Result<bool> got = reader.Next(&rec);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    if (!got.value()) break;
    ++n;
    ASSERT_EQ(rec.line, n + 1);
    ASSERT_EQ(rec.fields[0], std::to_string(n));
    ASSERT_EQ(rec.fields[1], "name " + std::to_string(n));
    ASSERT_EQ(rec.numeric, N({1, 0, 1}));
    if (reader.Progress() > 0.3 && reader.Progress() < 0.7) saw_middle = true;
  }
  EXPECT_EQ(n, kRows);
  EXPECT_EQ(rec.fields[2], "30000.25");
  EXPECT_TRUE(saw_middle);
  EXPECT_EQ(reader.Progress(), 1.0);
  // Reading on after the end stays at the end.
  Result<bool> again = reader.Next(&rec);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again.value());
}

TEST(XlsxReader, ReadsHandWrittenCellKinds) {
  testing::ScratchDir dir;
  std::string sst =
      "<si><t>plain</t></si>"
      "<si><r><rPr><b/></rPr><t>Rich </t></r><r><t xml:space=\"preserve\"> text </t></r>"
      "<rPh sb=\"0\" eb=\"1\"><t>phonetic</t></rPh></si>"
      "<si><t>line_x000D_break</t></si>";
  std::string rows =
      // No r attributes: rows and cells follow one another.
      "<x:row><x:c t=\"s\"><x:v>0</x:v></x:c><x:c t=\"inlineStr\"><x:is><x:t>B</x:t></x:is></x:c>"
      "<x:c><x:v>3</x:v></x:c><x:c><x:v>4</x:v></x:c><x:c><x:v>5</x:v></x:c></x:row>"
      "<x:row><x:c t=\"s\"><x:v>1</x:v></x:c>"
      "<x:c t=\"inlineStr\"><x:is><x:r><x:t>in</x:t></x:r><x:r><x:t xml:space=\"preserve\"> "
      "line</x:t></x:r></x:is></x:c>"
      "<x:c t=\"e\"><x:v>#N/A</x:v></x:c><x:c t=\"str\"><x:f>A1</x:f><x:v>calc</x:v></x:c>"
      "<x:c t=\"b\"><x:v>1</x:v></x:c></x:row>"
      "<x:row r=\"9\"><x:c r=\"B9\" t=\"s\"><x:v>2</x:v></x:c><x:c r=\"E9\"><x:v>1.5E+3</x:v></x:c>"
      "</x:row>"
      "<x:row r=\"10\"><x:c r=\"A10\" t=\"s\"><x:v>99</x:v></x:c></x:row>";
  std::string path = dir.File("kinds.xlsx");
  WriteZip(path, Package(rows, "", sst));
  auto r = ReadAll(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Sheet& s = r.value();
  ASSERT_TRUE(s.end.ok()) << s.end.ToString();
  EXPECT_EQ(s.header, V({"plain", "B", "3", "4", "5"}));
  ASSERT_EQ(s.rows.size(), 3u);
  EXPECT_EQ(s.rows[0].line, 2);
  EXPECT_EQ(s.rows[0].fields, V({"Rich  text ", "in line", "#N/A", "calc", "1"}));
  EXPECT_EQ(s.rows[0].numeric, N({0, 0, 0, 0, 0}));
  EXPECT_EQ(s.rows[1].line, 9);
  EXPECT_EQ(s.rows[1].fields, V({"", "line\rbreak", "", "", "1.5E+3"}));
  EXPECT_EQ(s.rows[1].numeric, N({0, 0, 0, 0, 1}));
  // A shared-string index the file does not have: the row is quarantined.
  EXPECT_EQ(s.rows[2].line, 10);
  ASSERT_FALSE(s.rows[2].problem.ok());
  EXPECT_NE(s.rows[2].problem.message().find("column A"), std::string::npos);
}

TEST(XlsxReader, Shifts1904DatesOnly) {
  testing::ScratchDir dir;
  std::string styles =
      "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;"
      "d&quot;日&quot;\"/><numFmt numFmtId=\"165\" formatCode=\"#,##0.00&quot; days&quot;\"/>"
      "</numFmts>"
      "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
      "<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"14\"/>"
      "<xf numFmtId=\"46\"/><xf numFmtId=\"165\"/><xf numFmtId=\"22\"/></cellXfs>";
  std::string rows =
      "<x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>a</x:t></x:is></x:c>"
      "<x:c r=\"B1\" t=\"inlineStr\"><x:is><x:t>b</x:t></x:is></x:c>"
      "<x:c r=\"C1\" t=\"inlineStr\"><x:is><x:t>c</x:t></x:is></x:c>"
      "<x:c r=\"D1\" t=\"inlineStr\"><x:is><x:t>d</x:t></x:is></x:c>"
      "<x:c r=\"E1\" t=\"inlineStr\"><x:is><x:t>e</x:t></x:is></x:c>"
      "<x:c r=\"F1\" t=\"inlineStr\"><x:is><x:t>f</x:t></x:is></x:c></x:row>"
      "<x:row r=\"2\"><x:c r=\"A2\"><x:v>43000</x:v></x:c><x:c r=\"B2\" s=\"1\"><x:v>0</x:v></x:c>"
      "<x:c r=\"C2\" s=\"2\"><x:v>43000.5</x:v></x:c><x:c r=\"D2\" s=\"3\"><x:v>1.5</x:v></x:c>"
      "<x:c r=\"E2\" s=\"4\"><x:v>7</x:v></x:c><x:c r=\"F2\" "
      "s=\"5\"><x:v>100.25</x:v></x:c></x:row>";
  std::string path = dir.File("d1904.xlsx");
  WriteZip(path, Package(rows, "<x:workbookPr date1904=\"true\"/>", "", styles));
  auto r = ReadAll(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r.value().rows.size(), 1u);
  EXPECT_EQ(r.value().rows[0].fields, V({"43000", "1462", "44462.5", "1.5", "7", "1562.25"}));
  EXPECT_EQ(r.value().rows[0].numeric, N({1, 1, 1, 1, 1, 1}));

  // The same cells in a 1900 workbook are left alone.
  std::string path1900 = dir.File("d1900.xlsx");
  WriteZip(path1900, Package(rows, "<x:workbookPr date1904=\"0\"/>", "", styles));
  auto r1900 = ReadAll(path1900);
  ASSERT_TRUE(r1900.ok()) << r1900.status().ToString();
  EXPECT_EQ(r1900.value().rows[0].fields, V({"43000", "0", "43000.5", "1.5", "7", "100.25"}));
}

TEST(XlsxReader, ReportsDamagedSheetXmlWithRow) {
  testing::ScratchDir dir;
  std::string rows =
      "<x:row r=\"1\"><x:c t=\"inlineStr\"><x:is><x:t>h</x:t></x:is></x:c></x:row>"
      "<x:row r=\"2\"><x:c><x:v>1</x:v></x:c></x:row>"
      "<x:row r=\"3\"><x:c><x:v>2</x:v></x:c></x:rowx>";
  std::string path = dir.File("bad.xlsx");
  WriteZip(path, Package(rows));
  auto r = ReadAll(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r.value().rows.size(), 1u);
  const Status& end = r.value().end;
  ASSERT_FALSE(end.ok());
  EXPECT_NE(end.message().find("row 3"), std::string::npos) << end.message();
  EXPECT_NE(end.message().find("'Only'"), std::string::npos) << end.message();
  EXPECT_NE(end.message().find("bad.xlsx"), std::string::npos) << end.message();
  EXPECT_NE(end.message().find("mismatched tag"), std::string::npos) << end.message();
}

TEST(XlsxReader, RejectsDtd) {
  testing::ScratchDir dir;
  Entries e = Package("<x:row><x:c><x:v>1</x:v></x:c></x:row>");
  e.back().second = "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>" + e.back().second;
  std::string path = dir.File("dtd.xlsx");
  WriteZip(path, e);
  auto r = XlsxReader::Open(path, "payments", "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("DTD"), std::string::npos) << r.status().message();
}

TEST(XlsxReader, EmptySheetHasNoHeader) {
  testing::ScratchDir dir;
  std::string path = dir.File("empty.xlsx");
  WriteZip(path, Package("<x:row r=\"1\"><x:c r=\"A1\" s=\"1\"/></x:row>"));
  auto r = XlsxReader::Open(path, "payments", "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no header row"), std::string::npos) << r.status().message();
}

TEST(XlsxReader, RejectsFilesThatAreNotXlsx) {
  testing::ScratchDir dir;
  auto csv = XlsxReader::Open(dir.Write("a.xlsx", "name,amount\nx,1\n"), "payments", "");
  ASSERT_FALSE(csv.ok());
  EXPECT_EQ(csv.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(csv.status().message().find("a.xlsx is not an XLSX workbook"), std::string::npos)
      << csv.status().message();
  EXPECT_NE(csv.status().message_zh().find("不是XLSX工作簿"), std::string::npos);

  auto empty = XlsxReader::Open(dir.Write("e.xlsx", ""), "payments", "");
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("empty"), std::string::npos);

  auto xls =
      XlsxReader::Open(dir.Write("old.xlsx", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) +
                                                 std::string(504, '\0')),
                       "payments", "");
  ASSERT_FALSE(xls.ok());
  EXPECT_NE(xls.status().message().find(".xls"), std::string::npos) << xls.status().message();
  EXPECT_NE(xls.status().message().find("password"), std::string::npos);

  std::string docx = dir.File("doc.xlsx");
  WriteZip(docx, {{"word/document.xml", "<document/>"}});
  auto d = XlsxReader::Open(docx, "payments", "");
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("xl/workbook.xml"), std::string::npos)
      << d.status().message();

  EXPECT_FALSE(XlsxReader::Open(dir.File("missing.xlsx"), "payments", "").ok());
}

// Truncated and corrupted copies of a real workbook: errors, never crashes.
TEST(XlsxReader, SurvivesTruncationAndCorruption) {
  testing::ScratchDir dir;
  std::string good = ReadFile(WriteMixedWorkbook(dir));
  ASSERT_GT(good.size(), 1000u);
  auto drain = [&](const std::string& bytes) {
    std::string path = dir.Write("cut.xlsx", bytes);
    auto r = XlsxReader::Open(path, "payments", "");
    if (!r.ok()) {
      EXPECT_FALSE(r.status().message().empty());
      return;
    }
    Record rec;
    for (int i = 0; i < 1000; ++i) {
      Result<bool> got = r.value()->Next(&rec);
      if (!got.ok() || !got.value()) break;
    }
  };
  for (size_t cut = 0; cut < good.size(); cut += 97) drain(good.substr(0, cut));
  uint32_t seed = 12345;
  for (int i = 0; i < 300; ++i) {
    std::string bad = good;
    for (int k = 0; k < 4; ++k) {
      seed = seed * 1103515245 + 12345;
      bad[(seed >> 8) % bad.size()] ^= static_cast<char>(1 + (seed >> 24) % 255);
    }
    drain(bad);
  }
}

}  // namespace
}  // namespace qf
