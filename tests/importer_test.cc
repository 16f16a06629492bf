// Import end to end: readers → validation → versioned store → quarantine.
#include "ingest/importer.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unicode/ucnv.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <map>
#include <thread>

#include "common/text.h"
#include "ingest/identifiers.h"
#include "ingest/quarantine.h"
#include "store/schema.h"
#include "test_util.h"

namespace qf {
namespace {

using qf::testing::ScratchDir;

class ImporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = Store::Open(dir_.File("t.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  std::vector<ImportReport> Import(const std::string& dataset, const std::string& path) {
    Importer imp(store_.get());
    auto r = imp.ImportFile(dataset, path, {});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r.value() : std::vector<ImportReport>{};
  }

  int64_t Count(const std::string& sql) { return store_->db()->QueryInt(sql).value(); }
  std::string Text(const std::string& sql) {
    auto st = store_->db()->Prepare(sql);
    EXPECT_TRUE(st.ok());
    auto row = st->Step();
    return row.ok() && row.value() ? st->Text(0) : "";
  }

  ScratchDir dir_;
  std::unique_ptr<Store> store_;
};

// A valid raw value and its stored form for each column type.
std::pair<std::string, std::string> Sample(const ColumnDef& c) {
  switch (c.type) {
    case ColumnType::kText:
      return {" 样例 Ａ1 ", "样例 A1"};
    case ColumnType::kIdNumber:
      return {"110105491231002", "11010519491231002X"};
    case ColumnType::kCreditCode:
      return {"91350100m000100y43", "91350100M000100Y43"};
    case ColumnType::kParty:
      return {"91350100M000100Y43", "91350100M000100Y43"};
    case ColumnType::kIdList:
      return {"11010519491231002X;440524188001010014", "11010519491231002X;440524188001010014"};
    case ColumnType::kDate:
      return {"2024年3月5日", "2024-03-05"};
    case ColumnType::kDateTime:
      return {"2024/3/5 8:30", "2024-03-05 08:30:00"};
    case ColumnType::kPeriod:
      return {"2024-03", "2024-03"};
    case ColumnType::kYear:
      return {"2024", "2024"};
    case ColumnType::kMoney:
      return {"\"1,234.50\"", "123450"};
    case ColumnType::kBool:
      return {"是", "1"};
    case ColumnType::kRatio:
      return {"35%", "0.35"};
    case ColumnType::kInteger:
      return {"12", "12"};
    case ColumnType::kDecimal:
      return {"88.5", "88.5"};
    case ColumnType::kRegionCode:
      return {"210902", "210902"};
    case ColumnType::kEnum:
      return {c.allowed.back(), c.allowed.back()};
  }
  return {"", ""};
}

TEST_F(ImporterTest, EveryDatasetRoundTripsWithChineseHeaders) {
  for (const DatasetDef& def : AllDatasets()) {
    std::string header;
    std::string row;
    std::map<std::string, std::string> expected;
    for (const ColumnDef& c : def.columns) {
      auto [raw, stored] = Sample(c);
      if (def.name == "persons" && c.name == "sex") raw = stored = "女";
      if (def.name == "persons" && c.name == "birth_date") raw = stored = "1949-12-31";
      header += (header.empty() ? "" : ",") + c.DisplayName();
      row += (row.empty() ? "" : ",") + raw;
      expected[c.name] = stored;
    }
    header += ",备注";
    row += ",额外信息";
    std::string path = dir_.Write(def.name + ".csv", header + "\n" + row + "\n");
    auto reports = Import(def.name, path);
    ASSERT_EQ(reports.size(), 1u) << def.name;
    EXPECT_EQ(reports[0].new_rows, 1) << def.name;
    EXPECT_EQ(reports[0].quarantined, 0) << def.name;
    auto st = store_->db()->Prepare("SELECT * FROM " + QuoteIdent(def.name));
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(st->Step().value()) << def.name;
    for (int c = 0; c < st->ColumnCount(); ++c) {
      std::string col = st->ColumnName(c);
      if (col == "_extra") {
        EXPECT_EQ(st->Text(c), "{\"备注\":\"额外信息\"}");
      } else if (expected.count(col)) {
        std::string got = st->Text(c);
        if (st->ColumnType(c) == SQLITE_FLOAT)
          got = std::to_string(st->Real(c)).substr(0, expected[col].size());
        EXPECT_EQ(got, expected[col]) << def.name << "." << col;
      }
    }
  }
}

TEST_F(ImporterTest, ReimportChangesNothingAndChangedValuesMakeVersions) {
  std::string v1 = dir_.Write("p1.csv",
                              "payment_id,pay_date,org,payee_name,amount\n"
                              "P1,2024-01-05,财政局,甲公司,100\n"
                              "P2,2024-01-06,财政局,乙公司,200\n");
  auto r1 = Import("payments", v1);
  EXPECT_EQ(r1[0].new_rows, 2);
  auto r2 = Import("payments", v1);
  EXPECT_EQ(r2[0].unchanged, 2);
  EXPECT_EQ(r2[0].new_rows + r2[0].changed, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments_versions"), 2);

  std::string v2 = dir_.Write("p2.csv",
                              "payment_id,pay_date,org,payee_name,amount\n"
                              "P1,2024-01-05,财政局,甲公司,150\n"
                              "P3,2024-01-07,财政局,丙公司,300\n");
  auto r3 = Import("payments", v2);
  EXPECT_EQ(r3[0].changed, 1);
  EXPECT_EQ(r3[0].new_rows, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments"), 3);
  EXPECT_EQ(Count("SELECT amount FROM payments WHERE payment_id='P1'"), 15000);
  // History keeps the old version.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments_versions WHERE _key='P1'"), 2);
  EXPECT_EQ(Count("SELECT amount FROM payments_versions WHERE _key='P1' AND _version=1"), 10000);
  // Both files are kept, content-addressed.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM files"), 2);
  std::string sha = Text("SELECT file_sha256 FROM imports ORDER BY id LIMIT 1");
  EXPECT_TRUE(std::filesystem::exists(store_->PathOf(sha)));
}

TEST_F(ImporterTest, QuarantinesBadRowsWithLineColumnValueAndReason) {
  std::string path = dir_.Write(
      "persons.csv",
      "身份证号,姓名,性别,出生日期,行政区划代码\n"
      "11010519491231002X,张三,女,1949-12-31,210902\n"            // line 2: good
      "110105194912310021,李四,男,1949-12-31,210902\n"            // 3: check digit
      "11010519491231002X,王五,女,1949-12-31,210902\n"            // 4: duplicate key
      "440524188001010014,赵六,女,1880-01-01,210902\n"            // 5: sex disagrees
      "\"440524188001010014\",\"钱\n七\",男,1880-01-02,210902\n"  // 6-7: birth date disagrees
      "440524188001010014,孙八,男,1880-01-01,2109\n"              // 8: region code
      ",周九,男,,210902\n"                                        // 9: id missing
      "440524188001010014,吴十,男,1880-01-01,210902\n");          // 10: good
  auto r = Import("persons", path);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].rows, 8);
  EXPECT_EQ(r[0].accepted, 2);
  EXPECT_EQ(r[0].quarantined, 6);
  auto st = store_->db()->Prepare(
      "SELECT line, column_name, value, reason_zh, reason_en, file_name FROM quarantine ORDER BY "
      "line");
  ASSERT_TRUE(st.ok());
  std::vector<std::tuple<int64_t, std::string, std::string, std::string>> got;
  while (st->Step().value()) {
    got.emplace_back(st->Int(0), st->Text(1), st->Text(2), st->Text(3));
    EXPECT_FALSE(st->Text(4).empty());
    EXPECT_EQ(st->Text(5), path);
  }
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(std::get<0>(got[0]), 3);
  EXPECT_EQ(std::get<1>(got[0]), "身份证号");
  EXPECT_NE(std::get<3>(got[0]).find("校验位"), std::string::npos);
  EXPECT_EQ(std::get<0>(got[1]), 4);
  EXPECT_NE(std::get<3>(got[1]).find("第2行"), std::string::npos) << std::get<3>(got[1]);
  EXPECT_EQ(std::get<0>(got[2]), 5);
  EXPECT_EQ(std::get<1>(got[2]), "性别");
  EXPECT_EQ(std::get<0>(got[3]), 6);  // the record starts on line 6
  EXPECT_EQ(std::get<1>(got[3]), "出生日期");
  EXPECT_EQ(std::get<0>(got[4]), 8);
  EXPECT_EQ(std::get<1>(got[4]), "行政区划代码");
  EXPECT_EQ(std::get<0>(got[5]), 9);
  EXPECT_NE(std::get<3>(got[5]).find("必填"), std::string::npos);
  // The original row is kept for correction.
  EXPECT_NE(Text("SELECT raw_row FROM quarantine WHERE line = 3").find("李四"), std::string::npos);
}

TEST_F(ImporterTest, CorrectedRowsResolveTheirQuarantineEntries) {
  Import("payments", dir_.Write("a.csv",
                                "payment_id,pay_date,org,payee_name,amount\n"
                                "P1,2024-01-05,财政局,甲公司,1.234\n"
                                "P2,2024-01-05,财政局,乙公司,5\n"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM quarantine WHERE resolved_import_id IS NULL"), 1);
  Import("payments", dir_.Write("b.csv",
                                "payment_id,pay_date,org,payee_name,amount\n"
                                "P1,2024-01-05,财政局,甲公司,1.23\n"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM quarantine WHERE resolved_import_id IS NULL"), 0);
  EXPECT_EQ(Count("SELECT amount FROM payments WHERE payment_id='P1'"), 123);
}

TEST_F(ImporterTest, ReadsGb18030AndBomAndEmbeddedNewlines) {
  std::string utf8 =
      "工单编号,受理时间,诉求内容,满意度\n"
      "C1,2024-01-05 09:00,\"路灯坏了，\n已经一周\",满意\n"
      "C2,2024-01-06 10:00:30,\"他说\"\"马上修\"\"\",不满意\n";
  // Convert to GB18030 with ICU.
  UErrorCode err = U_ZERO_ERROR;
  std::string gb(utf8.size() * 2, '\0');
  int32_t n = ucnv_convert("GB18030", "UTF-8", gb.data(), static_cast<int32_t>(gb.size()),
                           utf8.data(), static_cast<int32_t>(utf8.size()), &err);
  ASSERT_TRUE(U_SUCCESS(err));
  gb.resize(static_cast<size_t>(n));
  auto r = Import("complaints", dir_.Write("gb.csv", gb));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].encoding, "GB18030");
  EXPECT_EQ(r[0].new_rows, 2);
  EXPECT_EQ(Text("SELECT content FROM complaints WHERE complaint_id='C1'"), "路灯坏了，\n已经一周");
  EXPECT_EQ(Text("SELECT content FROM complaints WHERE complaint_id='C2'"), "他说\"马上修\"");
  EXPECT_EQ(Text("SELECT received_at FROM complaints WHERE complaint_id='C2'"),
            "2024-01-06 10:00:30");

  auto r2 = Import("deaths", dir_.Write("bom.csv",
                                        "\xEF\xBB\xBFid_number,death_date\r\n"
                                        "11010519491231002X,2023-11-02\r\n"));
  EXPECT_EQ(r2[0].encoding, "UTF-8-BOM");
  EXPECT_EQ(r2[0].new_rows, 1);
}

TEST_F(ImporterTest, HeadersMatchLooselyAsTheContractSays) {
  // Case, spaces, full-width letters, traditional characters and a trailing (元).
  auto r =
      Import("budgets", dir_.Write("b.csv",
                                   " BUDGET_ID ,年度,預算單位,金额（元）,ＰＲＯＪＥＣＴ_ＣＯＤＥ\n"
                                   "B1,2024,财政局,\"1,000.00\",X1\n"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].new_rows, 1);
  EXPECT_EQ(Count("SELECT amount FROM budgets"), 100000);
  EXPECT_EQ(Text("SELECT project_code FROM budgets"), "X1");
}

TEST_F(ImporterTest, FileLevelErrorsAreClearAndChangeNothing) {
  Importer imp(store_.get());
  auto missing = imp.ImportFile(
      "payments", dir_.Write("m.csv", "payment_id,pay_date,amount\nP1,2024-01-01,1\n"), {});
  ASSERT_FALSE(missing.ok());
  const std::string& zh = missing.status().message_zh();
  EXPECT_NE(zh.find("付款单位"), std::string::npos) << zh;
  EXPECT_NE(zh.find("payee_name"), std::string::npos) << zh;
  EXPECT_NE(zh.find("payment_id, pay_date, amount"), std::string::npos) << zh;

  auto unknown = imp.ImportFile("paymentz", dir_.File("m.csv"), {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("payments"), std::string::npos);

  auto absent = imp.ImportFile("payments", dir_.File("nope.csv"), {});
  ASSERT_FALSE(absent.ok());
  EXPECT_NE(absent.status().message_zh().find("不存在"), std::string::npos);

  auto twice =
      imp.ImportFile("companies", dir_.Write("c.csv", "credit_code,名称,企业名称\nX,Y,Z\n"), {});
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message_zh().find("只保留一列"), std::string::npos);

  auto empty = imp.ImportFile("companies", dir_.Write("e.csv", ""), {});
  ASSERT_FALSE(empty.ok());

  EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments_versions"), 0);
}

TEST_F(ImporterTest, ShortAndLongRowsAndBrokenQuotesAreQuarantined) {
  auto r = Import("deaths", dir_.Write("d.csv",
                                       "id_number,death_date,name\n"
                                       "11010519491231002X,2023-11-02\n"
                                       "440524188001010014,2023-11-02,甲,多余\n"
                                       "440524188001010014,2023-11-03,乙,,\n"
                                       "110105491231002,\"2023-11-04,丙\n"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].accepted, 1);  // the row with only empty extra cells
  EXPECT_EQ(r[0].quarantined, 3);
  EXPECT_NE(Text("SELECT reason_zh FROM quarantine WHERE line = 5").find("引号"),
            std::string::npos);
}

TEST_F(ImporterTest, ImportsXlsxWithTitleRowDatesAndNumbers) {
  std::string path = dir_.File("welfare.xlsx");
  lxw_workbook* wb = workbook_new(path.c_str());
  workbook_add_worksheet(wb, "说明");
  lxw_worksheet* ws = workbook_add_worksheet(wb, "发放明细");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd");
  worksheet_merge_range(ws, 0, 0, 0, 5, "2024年1月低保发放明细表", nullptr);
  const char* head[] = {"发放流水号", "救助类别", "身份证号", "发放月份", "发放日期", "金额"};
  for (int c = 0; c < 6; ++c) worksheet_write_string(ws, 1, c, head[c], nullptr);
  lxw_datetime d1 = {2024, 1, 15, 0, 0, 0};
  worksheet_write_string(ws, 2, 0, "W1", nullptr);
  worksheet_write_string(ws, 2, 1, "低保", nullptr);
  worksheet_write_string(ws, 2, 2, "11010519491231002X", nullptr);
  worksheet_write_string(ws, 2, 3, "2024-01", nullptr);
  worksheet_write_datetime(ws, 2, 4, &d1, date);
  worksheet_write_number(ws, 2, 5, 600.5, nullptr);
  worksheet_write_string(ws, 3, 0, "W2", nullptr);
  worksheet_write_string(ws, 3, 1, "低保", nullptr);
  worksheet_write_number(ws, 3, 2, 110105194912310000.0, nullptr);  // an ID typed as a number
  worksheet_write_string(ws, 3, 3, "2024-01", nullptr);
  worksheet_write_number(ws, 3, 5, 600, nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);

  Importer imp(store_.get());
  ImportOptions opts;
  opts.sheet = "发放明细";
  auto r = imp.ImportFile("welfare", path, opts);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.value()[0].format, "xlsx");
  EXPECT_EQ(r.value()[0].new_rows, 1);
  EXPECT_EQ(r.value()[0].quarantined, 1);
  EXPECT_EQ(Text("SELECT pay_date FROM welfare"), "2024-01-15");
  EXPECT_EQ(Count("SELECT amount FROM welfare"), 60050);
  EXPECT_EQ(Count("SELECT line FROM quarantine"), 4);
  EXPECT_NE(Text("SELECT reason_zh FROM quarantine").find("文本格式"), std::string::npos);

  // A missing sheet is named with the user's file name, not the kept copy's.
  opts.sheet = "明细";
  auto bad = imp.ImportFile("welfare", path, opts);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message_zh().find("welfare.xlsx"), std::string::npos)
      << bad.status().message_zh();
  EXPECT_NE(bad.status().message_zh().find("发放明细"), std::string::npos);
}

TEST_F(ImporterTest, DatasetForFileName) {
  EXPECT_EQ(Importer::DatasetForFileName("payments.csv")->name, "payments");
  EXPECT_EQ(Importer::DatasetForFileName("complaint_events.xlsx")->name, "complaint_events");
  EXPECT_EQ(Importer::DatasetForFileName("complaints_2024.csv")->name, "complaints");
  EXPECT_EQ(Importer::DatasetForFileName("户籍人口.csv")->name, "persons");
  EXPECT_EQ(Importer::DatasetForFileName("truth.jsonl"), nullptr);
}

// kill -9 in the middle of an import leaves the store exactly as before it,
// whether the import had the database to itself (rollback journal) or shared it
// (WAL).
TEST_F(ImporterTest, KillDuringImportLeavesStoreAsBefore) {
  Import("payments",
         dir_.Write("small.csv",
                    "payment_id,pay_date,org,payee_name,amount\nK0,2024-01-01,局,甲,1\n"));
  std::string big = dir_.File("big.csv");
  qf::testing::WriteBigPayments(big, 400000);
  std::string db = dir_.File("t.db");
  for (bool shared : {false, true}) {
    SCOPED_TRACE(shared ? "shared (WAL)" : "alone (rollback journal)");
    store_.reset();  // the child process writes; close our handle
    ASSERT_TRUE(qf::testing::KillImportMidway(db, big, 4u << 20, shared))
        << "the import finished before it could be killed";
    // Alone, the import wrote pages into the file and left a hot journal.
    EXPECT_EQ(std::filesystem::exists(db + "-journal"), !shared);
    auto reopened = Store::Open(db);
    ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
    store_ = std::move(reopened).value();
    EXPECT_EQ(Text("PRAGMA integrity_check"), "ok");
    EXPECT_EQ(Text("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(Count("SELECT COUNT(*) FROM payments"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 1);
  }
  // And the same file imports cleanly afterwards.
  auto r = Import("payments", big);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].new_rows, 400000);
}

// An import inside a larger transaction is a savepoint of it: the larger one
// decides whether any of it stays, and an inner failure undoes only its part.
TEST_F(ImporterTest, ImportInsideATransactionIsAllOrNothingWithIt) {
  Db* db = store_->db();
  const std::string header = "payment_id,pay_date,org,payee_name,amount\n";
  {
    Transaction outer(db);
    ASSERT_TRUE(outer.Begin().ok());
    Import("payments", dir_.Write("a.csv", header + "T1,2024-01-01,局,甲,1\n"));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM payments"), 1);  // seen inside
    // outer is not committed
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_leaves"), 0);
  {
    Transaction outer(db);
    ASSERT_TRUE(outer.Begin().ok());
    Import("payments", dir_.Write("b.csv", header + "T2,2024-01-01,局,甲,1\n"));
    {
      Transaction inner(db);
      ASSERT_TRUE(inner.Begin().ok());
      ASSERT_TRUE(db->Exec("DELETE FROM payments_versions").ok());
      // inner is not committed: the delete is undone, the import stays
    }
    ASSERT_TRUE(outer.Commit().ok());
  }
  EXPECT_EQ(Text("SELECT payment_id FROM payments"), "T2");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), 1);
}

// A large import takes the database for itself only when no one else has it
// open, and gives it back in WAL mode.
TEST_F(ImporterTest, BulkLoadOnlyWhenTheDatabaseIsNotShared) {
  Db* db = store_->db();
  {
    BulkLoad bulk(db);
    EXPECT_TRUE(bulk.active());
    EXPECT_EQ(Text("PRAGMA journal_mode"), "truncate");
    Import(
        "payments",
        dir_.Write("p.csv", "payment_id,pay_date,org,payee_name,amount\nB1,2024-01-01,局,甲,1\n"));
  }
  EXPECT_EQ(Text("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments"), 1);
  auto other = Db::Open(db->path());
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(other.value()->QueryInt("SELECT COUNT(*) FROM payments").ok());
  {
    BulkLoad bulk(db);
    EXPECT_FALSE(bulk.active());
    EXPECT_EQ(Text("PRAGMA journal_mode"), "wal");
  }
  EXPECT_EQ(Text("PRAGMA journal_mode"), "wal");
}

// Records entered by hand take the importer's path: versions, the ledger, and
// a bad value refused before anything is written.
TEST_F(ImporterTest, EnteredRecordsAreImportedAndBadValuesRefused) {
  std::map<std::string, std::string> meeting = {{"meeting_id", "M-1"},  {"支部编号", "B-01"},
                                                {"kind", "支部委员会"}, {"held_on", "2024-03-05"},
                                                {"attendees", "5"},     {"expected", "5"}};
  auto r = EnterRecords(store_.get(), "branch_meetings", {meeting}, dir_.File("work"), "entry-1");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->report.accepted, 1);
  EXPECT_EQ(r->report.new_rows, 1);
  EXPECT_TRUE(r->problems.empty());
  EXPECT_EQ(Text("SELECT branch_id FROM branch_meetings WHERE meeting_id = 'M-1'"), "B-01");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_leaves"), 2);  // the file and the row
  // The same key again with another value is a new version.
  meeting["attendees"] = "4";
  r = EnterRecords(store_.get(), "branch_meetings", {meeting}, dir_.File("work"), "entry-2");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->report.changed, 1);
  EXPECT_EQ(Count("SELECT attendees FROM branch_meetings WHERE meeting_id = 'M-1'"), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM branch_meetings_versions"), 2);

  const int64_t imports = Count("SELECT COUNT(*) FROM imports");
  meeting["held_on"] = "2024-02-30";
  r = EnterRecords(store_.get(), "branch_meetings", {meeting}, dir_.File("work"), "entry-3");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message_zh().find("held_on"), std::string::npos) << r.status().ToString();
  meeting["held_on"] = "2024-03-05";
  meeting.erase("kind");
  r = EnterRecords(store_.get(), "branch_meetings", {meeting, meeting}, dir_.File("work"), "e4");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message_zh().find("第 1 条记录"), std::string::npos);
  EXPECT_NE(r.status().message_zh().find("必须填写"), std::string::npos);
  meeting["colour"] = "red";
  r = EnterRecords(store_.get(), "branch_meetings", {meeting}, dir_.File("work"), "e5");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("colour"), std::string::npos);
  EXPECT_FALSE(EnterRecords(store_.get(), "nosuch", {meeting}, dir_.File("work"), "e6").ok());
  EXPECT_FALSE(EnterRecords(store_.get(), "branch_meetings", {}, dir_.File("work"), "e7").ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM imports"), imports);  // nothing was imported
  // The work files are gone.
  EXPECT_TRUE(std::filesystem::is_empty(dir_.File("work")));
}

}  // namespace
}  // namespace qf
