// 执法公示 and 全过程记录 (src/leads/enforcement.h): publication deadlines over
// the holiday calendar with 调休, the parameter, the board's states, media kept
// once by content and refused when their bytes change (on download and by the
// media check; the ledger's own verify stays clean), unsupported files, the
// publication and its correction, the public list without a natural person's
// name or any ID number, and scopes over HTTP.
#include "leads/enforcement.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "common/calendar.h"
#include "ingest/value.h"
#include "ledger/audit.h"
#include "test_server.h"
#include "workflow_test_util.h"

namespace qf::testing {
namespace {

using leads::PubState;

const char* kOrgA = "某区市场监督管理局";
const char* kOrgB = "某区城市管理综合执法局";

int64_t Day(const char* ymd) {
  auto d = ParseDate(ymd);
  return DaysFromCivil(d->year, d->month, d->day);
}
std::string DayText(int64_t d) { return FormatDate(CivilFromDays(d)); }

// Bytes that begin like each accepted type.
std::string Mp4(const std::string& tail) {
  return std::string(
             "\0\0\0\x18"
             "ftypisom\0\0\0\0isomiso2",
             24) +
         tail;
}
std::string Pdf() { return "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"; }

// ---------------------------------------------------------------------------
// Deadlines

// 2024 国庆: 10-01..10-07 off; Sunday 09-29 and Saturday 10-12 are working days.
TEST(EnforcementDeadline, PenaltyClosedJustBeforeNationalDay) {
  const auto seven = std::optional<int>(7);
  // Closed Friday 09-27: 09-29 (Sun, 调休), 09-30, then 10-08..10-11 and Saturday 10-12.
  leads::PubDeadline d =
      leads::JudgePublication(Day("2024-09-27"), std::nullopt, seven, Day("2024-09-30"));
  EXPECT_EQ(DayText(d.deadline_day), "2024-10-12");
  EXPECT_EQ(d.state, PubState::kDue);
  EXPECT_EQ(d.days_left, 5);  // 10-08, 09, 10, 11, 12: the holiday counts for nothing
  d = leads::JudgePublication(Day("2024-09-27"), std::nullopt, seven, Day("2024-10-12"));
  EXPECT_EQ(d.state, PubState::kDue);
  EXPECT_EQ(d.days_left, 0);
  d = leads::JudgePublication(Day("2024-09-27"), std::nullopt, seven, Day("2024-10-14"));
  EXPECT_EQ(d.state, PubState::kOverdue);
  EXPECT_EQ(d.days_late, 1);  // Sunday 10-13 is not a working day
  // Published on the swapped Saturday: on time; the Monday after: late by one.
  d = leads::JudgePublication(Day("2024-09-27"), Day("2024-10-12"), seven, Day("2024-12-31"));
  EXPECT_EQ(d.state, PubState::kOnTime);
  d = leads::JudgePublication(Day("2024-09-27"), Day("2024-10-14"), seven, Day("2024-12-31"));
  EXPECT_EQ(d.state, PubState::kLate);
  EXPECT_EQ(d.days_late, 1);
  // Closed Monday 09-30: 10-08..10-12 are five, 10-14 and 10-15 the last two.
  d = leads::JudgePublication(Day("2024-09-30"), std::nullopt, seven, Day("2024-10-01"));
  EXPECT_EQ(DayText(d.deadline_day), "2024-10-15");
  // A publication after the day judged is not known yet; nor is a later closure.
  d = leads::JudgePublication(Day("2024-09-27"), Day("2024-10-14"), seven, Day("2024-10-10"));
  EXPECT_EQ(d.state, PubState::kDue);
  d = leads::JudgePublication(Day("2024-09-27"), std::nullopt, seven, Day("2024-09-26"));
  EXPECT_EQ(d.state, PubState::kNotDue);
  // 强制 has no publication deadline.
  d = leads::JudgePublication(Day("2024-09-27"), std::nullopt, std::nullopt, Day("2024-12-31"));
  EXPECT_EQ(d.state, PubState::kNotDue);
}

TEST(EnforcementDeadline, TheSevenDaysAreAParameter) {
  leads::EnforcementParams p;
  EXPECT_EQ(leads::PublicationDays(p, "处罚"), 7);
  EXPECT_EQ(leads::PublicationDays(p, "许可"), 7);
  EXPECT_EQ(leads::PublicationDays(p, "检查"), 20);
  EXPECT_FALSE(leads::PublicationDays(p, "强制").has_value());
  p.decision_working_days = 10;
  leads::PubDeadline d = leads::JudgePublication(
      Day("2024-09-27"), Day("2024-10-14"), leads::PublicationDays(p, "处罚"), Day("2024-12-31"));
  EXPECT_EQ(DayText(d.deadline_day), "2024-10-16");  // 10-14, 15, 16 after the Saturday
  EXPECT_EQ(d.state, PubState::kOnTime);
  // 检查: 20 working days from 09-27 end on 10-30.
  d = leads::JudgePublication(Day("2024-09-27"), std::nullopt, leads::PublicationDays(p, "检查"),
                              Day("2024-10-30"));
  EXPECT_EQ(DayText(d.deadline_day), "2024-10-30");
  EXPECT_EQ(d.state, PubState::kDue);

  ScratchDir dir;
  auto load = [&](const std::string& text) {
    return leads::LoadEnforcementParams(dir.Write("s.json", text));
  };
  auto a = load(R"({"enforcement": {"decision_working_days": 10, "inspection_working_days": 15}})");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->decision_working_days, 10);
  EXPECT_EQ(a->inspection_working_days, 15);
  // Without its own setting the board follows the late_publication model's limit.
  auto b = load(R"({"models": {"late_publication": {"max_working_days": 5}}})");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->decision_working_days, 5);
  EXPECT_FALSE(load(R"({"enforcement": {"decision_days": 7}})").ok());
  EXPECT_FALSE(load(R"({"enforcement": {"decision_working_days": 0}})").ok());
  auto none = leads::LoadEnforcementParams(dir.File("missing.json"));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->decision_working_days, 7);
}

TEST(EnforcementMedia, TypesByMagicBytesAndName) {
  struct Case {
    std::string head, name, klass;
  } good[] = {
      {Mp4(""), "现场.mp4", "video"},
      {std::string("\0\0\0\x14"
                   "ftypqt  ",
                   12),
       "a.mov", "video"},
      {std::string("\0\0\0\x1c"
                   "ftypM4A ",
                   12),
       "询问.m4a", "audio"},
      {std::string("RIFF\0\0\0\0AVI LIST", 16), "a.avi", "video"},
      {std::string("RIFF\0\0\0\0WAVEfmt ", 16), "a.wav", "audio"},
      {std::string("\x1a\x45\xdf\xa3\x01\0\0\0", 8), "a.mkv", "video"},
      {"ID3\x04\0\0\0\0", "a.mp3", "audio"},
      {std::string("\xff\xfb\x90\x00", 4), "a.mp3", "audio"},
      {std::string("\xff\xd8\xff\xe0", 4), "照片.JPG", "photo"},
      {"\x89PNG\r\n\x1a\n\0\0", "a.png", "photo"},
      {Pdf(), "决定书.pdf", "document"},
      {Pdf(), "no-extension", "document"},
  };
  for (const Case& c : good) {
    auto t = leads::DetectAvMediaType(c.head, c.name);
    ASSERT_TRUE(t.ok()) << c.name << ": " << t.status().ToString();
    EXPECT_EQ(t->klass, c.klass) << c.name;
  }
  auto zip = leads::DetectAvMediaType("PK\x03\x04\x14\0", "a.zip");
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(zip.status().message_zh().find("不支持的文件类型"), std::string::npos);
  EXPECT_FALSE(leads::DetectAvMediaType("MZ\x90\0", "a.exe").ok());
  EXPECT_FALSE(leads::DetectAvMediaType("hello world, plain text", "a.txt").ok());
  // A PDF named as a video, and a bare MPEG frame without the .mp3 name.
  EXPECT_FALSE(leads::DetectAvMediaType(Pdf(), "clip.mp4").ok());
  EXPECT_FALSE(leads::DetectAvMediaType(std::string("\xff\xfb\x90\x00", 4), "a.bin").ok());
}

// ---------------------------------------------------------------------------
// The store

// Two organisations; a company and a natural person as targets; five cases
// closed on Friday 2024-09-27 (before 国庆) in each state, one still open.
class EnforcementStore : public ::testing::Test, public TestStore {
 protected:
  void SetUp() override {
    ASSERT_NE(store_, nullptr);
    Import("companies", "credit_code,name,status\n" + CreditCode(1) + ",清河食品有限公司,存续\n" +
                            CreditCode(2) + ",河西建材有限公司,存续\n");
    Import("persons", "id_number,name\n" + IdNumber(60) + ",张自然\n");
    Import("officials", "id_number,name,org,position,start_date\n" + IdNumber(1) + ",王一," +
                            kOrgA + ",执法人员,2018-01-01\n" + IdNumber(2) + ",李二," + kOrgA +
                            ",执法人员,2018-01-01\n" + IdNumber(3) + ",赵三," + kOrgB +
                            ",执法人员,2018-01-01\n");
    const std::string ins = IdNumber(1) + ";" + IdNumber(2);
    std::string e =
        "case_id,org,target_party,inspector_id_numbers,kind,started_at,closed_at,result,"
        "penalty_amount,has_av_record,published_at,source\n";
    e += "P1," + std::string(kOrgA) + "," + CreditCode(1) + "," + ins +
         ",处罚,2024-09-02 09:00,2024-09-27 16:00,罚款五千元,5000,是,,双随机\n";
    e += "P2," + std::string(kOrgA) + "," + IdNumber(60) + "," + ins +
         ",处罚,2024-09-03 09:00,2024-09-27 16:00,对张自然（" + IdNumber(60) +
         "）罚款二百元,200,否,2024-10-12 10:00,投诉举报\n";
    e += "L1," + std::string(kOrgA) + "," + CreditCode(1) + "," + ins +
         ",许可,2024-09-04 09:00,2024-09-27 16:00,准予许可,,,2024-10-14 10:00,其他\n";
    e += "J1," + std::string(kOrgA) + "," + CreditCode(2) + "," + ins +
         ",检查,2024-09-05 09:00,2024-09-27 16:00,未发现问题,,,,双随机\n";
    e += "Q1," + std::string(kOrgB) + "," + CreditCode(2) + "," + IdNumber(3) + ";" + IdNumber(2) +
         ",强制,2024-09-06 09:00,,,,否,,专项\n";
    Import("enforcement", e);
  }
  std::map<std::string, leads::EnforcementCase> Cases(const char* as_of,
                                                      leads::EnforcementParams p = {}) {
    auto all = leads::LoadEnforcementCases(db(), p, Day(as_of));
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    std::map<std::string, leads::EnforcementCase> out;
    for (auto& c : *all) out[c.case_id] = c;
    return out;
  }
  Result<leads::AvMedia> Attach(const std::string& id, const std::string& name,
                                const std::string& bytes) {
    leads::AvMediaUpload up{id, name, "2024-09-27 15:00"};
    return leads::AttachAvMediaBytes(db(), store_->files_dir(), up, bytes, "user:tester");
  }
};

TEST_F(EnforcementStore, BoardStatesAndMissingRecords) {
  auto c = Cases("2024-10-15");
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c["P1"].deadline.state, PubState::kOverdue);
  EXPECT_EQ(c["P1"].deadline.days_late, 2);  // 10-14, 10-15
  EXPECT_EQ(c["P2"].deadline.state, PubState::kOnTime);
  EXPECT_EQ(c["L1"].deadline.state, PubState::kLate);
  EXPECT_EQ(c["J1"].deadline.state, PubState::kDue);
  EXPECT_EQ(c["J1"].deadline.days_left, 11);  // 10-16 … 10-30
  EXPECT_EQ(c["Q1"].deadline.state, PubState::kNotDue);
  EXPECT_EQ(c["P1"].target_name, "清河食品有限公司");
  EXPECT_TRUE(c["P2"].target_is_person);
  EXPECT_TRUE(c["P2"].target_name.empty());
  // 处罚 without the flag and 强制 are missing their record; the flagged penalty is not.
  EXPECT_FALSE(c["P1"].missing_av);
  EXPECT_TRUE(c["P2"].missing_av);
  EXPECT_TRUE(c["Q1"].missing_av);
  EXPECT_FALSE(c["L1"].missing_av);  // a licence needs none

  std::vector<leads::EnforcementCase> all;
  for (auto& [k, v] : c) all.push_back(v);
  leads::EnforcementBoard b = leads::MakeEnforcementBoard(all, Day("2024-10-15"));
  EXPECT_EQ(b.total, 5);
  EXPECT_EQ(b.by_state["overdue"], 1);
  EXPECT_EQ(b.by_state["on_time"], 1);
  EXPECT_EQ(b.by_state["late"], 1);
  EXPECT_EQ(b.by_state["due"], 1);
  EXPECT_EQ(b.by_state["not_due"], 1);
  EXPECT_EQ(b.missing_av, 2);
  ASSERT_EQ(b.overdue.size(), 1u);
  EXPECT_EQ(b.overdue[0].case_id, "P1");
  // A week earlier nothing was overdue and L1 was not yet published.
  auto early = Cases("2024-10-08");
  EXPECT_EQ(early["P1"].deadline.state, PubState::kDue);
  EXPECT_EQ(early["L1"].deadline.state, PubState::kDue);
  // Ten working days: P1 is not overdue yet on 10-15.
  leads::EnforcementParams ten;
  ten.decision_working_days = 10;
  EXPECT_EQ(Cases("2024-10-15", ten)["P1"].deadline.state, PubState::kDue);

  // An audio-video file clears the flag; a photo does not.
  ASSERT_TRUE(Attach("P2", "现场照片.jpg", std::string("\xff\xd8\xff\xe0photo", 9)).ok());
  EXPECT_TRUE(Cases("2024-10-15")["P2"].missing_av);
  ASSERT_TRUE(Attach("P2", "现场.mp4", Mp4("video-bytes")).ok());
  EXPECT_FALSE(Cases("2024-10-15")["P2"].missing_av);
  EXPECT_EQ(Cases("2024-10-15")["P2"].av_media, 1);

  leads::EnforcementFilter f;
  f.state = "missing_av";
  int64_t total = 0;
  auto rows = leads::FilterEnforcementCases(
      leads::LoadEnforcementCases(db(), {}, Day("2024-10-15")).value(), f, &total);
  ASSERT_EQ(total, 1);
  EXPECT_EQ(rows[0].case_id, "Q1");
}

TEST_F(EnforcementStore, MediaKeptOnceAndCommittedByTheLedger) {
  const std::string bytes = Mp4(std::string(5000, 'v'));
  auto a = Attach("P1", "现场执法.mp4", bytes);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_FALSE(a->existed);
  EXPECT_EQ(a->mime, "video/mp4");
  EXPECT_EQ(a->sha256, ToHex(Sha256(bytes)));
  EXPECT_EQ(a->recorded_at, "2024-09-27 15:00:00");
  auto again = Attach("P1", "副本.mp4", bytes);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->existed);
  EXPECT_EQ(again->id, a->id);
  auto other = Attach("P2", "同一段.mp4", bytes);  // same content, another case
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->existed);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enforcement_media"), 2);
  // One copy on disk, under its address, and no temporary file left.
  int copies = 0, temps = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(store_->files_dir())) {
    if (!e.is_regular_file()) continue;
    if (e.path().filename().string().starts_with(".incoming")) ++temps;
    std::ifstream in(e.path(), std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (content == bytes) ++copies;
  }
  EXPECT_EQ(copies, 1);
  EXPECT_EQ(temps, 0);
  EXPECT_TRUE(std::filesystem::exists(leads::AvMediaPath(store_->files_dir(), a->sha256)));
  // Each attachment is a file leaf (and an action); the ledger's verify accepts them.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_leaves l JOIN ledger_sources s ON "
                  "s.id = l.src WHERE s.name = '#enforcement_media'"),
            2);
  auto rep = ledger::Verify(db(), nullptr);
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok()) << rep->problems.front().detail_en;
  auto v = leads::VerifyAvMedia(db(), store_->files_dir());
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok());
  EXPECT_EQ(v->files, 2);
  // Read back, verified.
  auto read = leads::ReadAvMedia(db(), store_->files_dir(), "P1", a->sha256);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, bytes);
  auto copy = leads::CopyAvMedia(db(), store_->files_dir(), "P1", a->sha256, dir_.File("out.mp4"));
  ASSERT_TRUE(copy.ok());
  std::ifstream in(dir_.File("out.mp4"), std::ios::binary);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()),
            bytes);
  // A case's file is not reachable through another case, nor for an unknown case.
  EXPECT_EQ(leads::ReadAvMedia(db(), store_->files_dir(), "L1", a->sha256).status().code(),
            Status::Code::kNotFound);
  EXPECT_EQ(Attach("NOPE", "a.mp4", bytes).status().code(), Status::Code::kNotFound);
}

TEST_F(EnforcementStore, TamperedMediaIsRefusedAndReported) {
  const std::string bytes = Mp4(std::string(3000, 'x'));
  auto a = Attach("P1", "现场执法.mp4", bytes);
  ASSERT_TRUE(a.ok());
  const std::string path = leads::AvMediaPath(store_->files_dir(), a->sha256);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('Y');  // one byte changed in place
  }
  auto read = leads::ReadAvMedia(db(), store_->files_dir(), "P1", a->sha256);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Status::Code::kCorruption);
  auto copy = leads::CopyAvMedia(db(), store_->files_dir(), "P1", a->sha256, dir_.File("o.mp4"));
  EXPECT_EQ(copy.status().code(), Status::Code::kCorruption);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("o.mp4")));
  EXPECT_FALSE(std::filesystem::exists(dir_.File("o.mp4.part")));
  auto v = leads::VerifyAvMedia(db(), store_->files_dir());
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->problems_en.size(), 1u);
  EXPECT_NE(v->problems_en[0].find("bytes changed"), std::string::npos);
  // The ledger's verification (CLI and API) reports it with the rest.
  ledger::VerifyReport report;
  ASSERT_TRUE(leads::AddAvMediaProblems(db(), store_->files_dir(), &report).ok());
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems[0].dataset, "enforcement_media");
  EXPECT_FALSE(report.ok());
  // Uploading the true content again restores the kept copy.
  ASSERT_TRUE(Attach("P1", "现场执法.mp4", bytes).ok());
  EXPECT_TRUE(leads::ReadAvMedia(db(), store_->files_dir(), "P1", a->sha256).ok());
  // An edited row no longer matches its leaf: refused, and reported.
  ASSERT_TRUE(db()->Exec("UPDATE enforcement_media SET file_name = 'other.mp4'").ok());
  EXPECT_EQ(leads::ReadAvMedia(db(), store_->files_dir(), "P1", a->sha256).status().code(),
            Status::Code::kCorruption);
  v = leads::VerifyAvMedia(db(), store_->files_dir());
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok());
  // A deleted row leaves its leaf behind: reported.
  ASSERT_TRUE(db()->Exec("DELETE FROM enforcement_media").ok());
  v = leads::VerifyAvMedia(db(), store_->files_dir());
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->problems_en.size(), 1u);
  EXPECT_NE(v->problems_en[0].find("deleted"), std::string::npos);
}

TEST_F(EnforcementStore, UnsupportedFilesAreRefusedAndNothingIsKept) {
  auto zip = Attach("P1", "材料.zip", "PK\x03\x04 zipped");
  ASSERT_FALSE(zip.ok());
  EXPECT_EQ(zip.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(zip.status().message().find("unsupported file type"), std::string::npos);
  EXPECT_FALSE(Attach("P1", "clip.mp4", Pdf()).ok());
  EXPECT_FALSE(Attach("P1", "empty.mp4", "").ok());
  EXPECT_FALSE(Attach("P1", "a/b.mp4", Mp4("x")).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enforcement_media"), 0);
  int files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(store_->files_dir())) {
    if (e.is_regular_file() && e.path().filename().string().starts_with(".incoming")) ++files;
  }
  EXPECT_EQ(files, 0);
}

// A 处罚 case of kOrgA against company 2 by two inspectors, opened 2024-09-10.
leads::NewEnforcementCase PenaltyCase(const std::string& id) {
  return {id,
          kOrgA,
          CreditCode(2),
          "处罚",
          "2024-09-10 09:00",
          "双随机",
          {IdNumber(1), IdNumber(2)},
          std::nullopt};
}

TEST_F(EnforcementStore, RegisterCloseAndPublishWithACorrection) {
  leads::NewEnforcementCase n = PenaltyCase("N1");
  leads::NewEnforcementCase bad = n;
  bad.inspector_ids = {IdNumber(1)};
  EXPECT_EQ(leads::RegisterEnforcementCase(store_.get(), bad, Work(), "user:t").status().code(),
            Status::Code::kInvalidArgument);  // at least two inspectors
  bad = n;
  bad.kind = "罚款";
  auto kind = leads::RegisterEnforcementCase(store_.get(), bad, Work(), "user:t");
  ASSERT_FALSE(kind.ok());
  EXPECT_NE(kind.status().message().find("kind"), std::string::npos);
  auto r = leads::RegisterEnforcementCase(store_.get(), n, Work(), "user:t");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->started_at, "2024-09-10 09:00:00");
  EXPECT_FALSE(leads::RegisterEnforcementCase(store_.get(), n, Work(), "user:t").ok());  // exists

  leads::EnforcementPublishInput pub{"清市监罚〔2024〕12号", "", std::nullopt, "2024-10-14 10:00",
                                     ""};
  EXPECT_FALSE(leads::PublishEnforcementCase(store_.get(), "N1", pub, Work(), "user:t").ok());
  leads::EnforcementClosure cl{"2024-09-27 16:00", "罚款五万元", 5000000, true};
  leads::EnforcementClosure early = cl;
  early.closed_at = "2024-09-01 10:00";
  EXPECT_FALSE(leads::CloseEnforcementCase(store_.get(), "N1", early, Work(), "user:t").ok());
  auto closed = leads::CloseEnforcementCase(store_.get(), "N1", cl, Work(), "user:t");
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->penalty_fen, 5000000);
  EXPECT_FALSE(leads::CloseEnforcementCase(store_.get(), "N1", cl, Work(), "user:t").ok());
  EXPECT_EQ(Cases("2024-10-12")["N1"].deadline.state, PubState::kDue);

  leads::EnforcementPublishInput no_number = pub;
  no_number.decision_no = "";
  EXPECT_FALSE(leads::PublishEnforcementCase(store_.get(), "N1", no_number, Work(), "user:t").ok());
  leads::EnforcementPublishInput before = pub;
  before.published_at = "2024-09-26 10:00";
  EXPECT_FALSE(leads::PublishEnforcementCase(store_.get(), "N1", before, Work(), "user:t").ok());
  auto p = leads::PublishEnforcementCase(store_.get(), "N1", pub, Work(), "user:t");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->published_at, "2024-10-14 10:00:00");
  EXPECT_NE(p->public_text.find("清市监罚〔2024〕12号"), std::string::npos);
  EXPECT_NE(p->public_text.find("50000.00元"), std::string::npos);
  auto c = Cases("2024-10-15");
  EXPECT_EQ(c["N1"].deadline.state, PubState::kLate);  // the Monday after the Saturday deadline
  EXPECT_EQ(c["N1"].published_at, "2024-10-14 10:00:00");
  EXPECT_EQ(Cases("2024-10-13")["N1"].deadline.state, PubState::kOverdue);

  // Nothing is unpublished: publishing again is a correction and needs a reason.
  leads::EnforcementPublishInput fix = pub;
  fix.result = "罚款四万元";
  fix.penalty_fen = 4000000;
  fix.published_at = "2024-10-20 10:00";
  EXPECT_FALSE(leads::PublishEnforcementCase(store_.get(), "N1", fix, Work(), "user:t").ok());
  fix.reason = "金额笔误";
  auto p2 = leads::PublishEnforcementCase(store_.get(), "N1", fix, Work(), "user:t");
  ASSERT_TRUE(p2.ok()) << p2.status().ToString();
  EXPECT_EQ(p2->supersedes, p->id);
  auto pubs = leads::EnforcementPublicationsOf(db(), "N1");
  ASSERT_TRUE(pubs.ok());
  ASSERT_EQ(pubs->size(), 2u);
  EXPECT_EQ((*pubs)[0].superseded_by, p2->id);
  c = Cases("2024-10-25");
  EXPECT_EQ(c["N1"].published_at, "2024-10-14 10:00:00");  // the first publication counts
  EXPECT_EQ(c["N1"].result, "罚款四万元");
  EXPECT_EQ(c["N1"].penalty_fen, 4000000);
  // Every step is in the ledger, and the ledger verifies.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_actions WHERE target = "
                  "'enforcement:N1' AND action IN ('enforcement_register', "
                  "'enforcement_close', 'enforcement_publish', 'enforcement_correct')"),
            4);
  auto rep = ledger::Verify(db(), nullptr);
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok());
  // The public list shows the correction.
  leads::PublicDecisionFilter f;
  f.q = "N1";
  int64_t total = 0;
  auto list = leads::PublicDecisions(db(), f, &total);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(total, 1);
  EXPECT_EQ((*list)[0].result, "罚款四万元");
  EXPECT_EQ((*list)[0].penalty_fen, 4000000);
  EXPECT_EQ((*list)[0].target_name, "河西建材有限公司");
  EXPECT_EQ((*list)[0].decided_on, "2024-09-27");
}

TEST_F(EnforcementStore, RetryAfterTheCaseVersionFailedCompletesIt) {
  leads::NewEnforcementCase n = PenaltyCase("R1");
  ASSERT_TRUE(leads::RegisterEnforcementCase(store_.get(), n, Work(), "user:t").ok());
  leads::EnforcementClosure cl{"2024-09-27 16:00", "罚款五万元", 5000000, true};
  ASSERT_TRUE(leads::CloseEnforcementCase(store_.get(), "R1", cl, Work(), "user:t").ok());
  // The case's new version fails after the publication row is committed.
  auto block = [&] {
    Status st = db()->Exec(
        "CREATE TEMP TRIGGER block_i BEFORE INSERT ON enforcement_versions BEGIN "
        "SELECT RAISE(ABORT, 'simulated'); END; "
        "CREATE TEMP TRIGGER block_u BEFORE UPDATE ON enforcement_versions BEGIN "
        "SELECT RAISE(ABORT, 'simulated'); END;");
    ASSERT_TRUE(st.ok()) << st.ToString();
  };
  auto unblock = [&] {
    ASSERT_TRUE(db()->Exec("DROP TRIGGER block_i; DROP TRIGGER block_u;").ok());
  };
  leads::EnforcementPublishInput pub{"清市监罚〔2024〕21号", "", std::nullopt, "2024-10-14 10:00",
                                     ""};
  block();
  EXPECT_FALSE(leads::PublishEnforcementCase(store_.get(), "R1", pub, Work(), "user:t").ok());
  unblock();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enforcement_publications WHERE case_id = 'R1'"), 1);
  EXPECT_EQ(Cases("2024-10-15")["R1"].published_at, "");
  // The retry completes the case version: no correction, no reason needed.
  auto p = leads::PublishEnforcementCase(store_.get(), "R1", pub, Work(), "user:t");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->supersedes, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enforcement_publications WHERE case_id = 'R1'"), 1);
  EXPECT_EQ(Cases("2024-10-15")["R1"].published_at, "2024-10-14 10:00:00");
  // The same for a correction.
  leads::EnforcementPublishInput fix = pub;
  fix.result = "罚款四万元";
  fix.penalty_fen = 4000000;
  fix.published_at = "2024-10-20 10:00";
  fix.reason = "金额笔误";
  block();
  EXPECT_FALSE(leads::PublishEnforcementCase(store_.get(), "R1", fix, Work(), "user:t").ok());
  unblock();
  EXPECT_EQ(Cases("2024-10-25")["R1"].result, "罚款五万元");
  auto p2 = leads::PublishEnforcementCase(store_.get(), "R1", fix, Work(), "user:t");
  ASSERT_TRUE(p2.ok()) << p2.status().ToString();
  EXPECT_EQ(p2->supersedes, p->id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enforcement_publications WHERE case_id = 'R1'"), 2);
  auto c = Cases("2024-10-25");
  EXPECT_EQ(c["R1"].result, "罚款四万元");
  EXPECT_EQ(c["R1"].penalty_fen, 4000000);
  EXPECT_EQ(c["R1"].published_at, "2024-10-14 10:00:00");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_actions WHERE target = 'enforcement:R1' AND "
                  "action IN ('enforcement_publish', 'enforcement_correct')"),
            2);
  auto rep = ledger::Verify(db(), nullptr);
  ASSERT_TRUE(rep.ok());
  EXPECT_TRUE(rep->ok());
  // A refused case version writes nothing at all.
  leads::EnforcementPublishInput bad = fix;
  bad.result = std::string(5000, 'x');
  EXPECT_FALSE(leads::PublishEnforcementCase(store_.get(), "R1", bad, Work(), "user:t").ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM enforcement_publications WHERE case_id = 'R1'"), 2);
}

TEST_F(EnforcementStore, DamagedMediaIsRepairedByAttachingItAgain) {
  const std::string bytes = Mp4(std::string(4000, 'r'));
  auto a = Attach("P1", "现场执法.mp4", bytes);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  {
    std::ofstream out(leads::AvMediaPath(store_->files_dir(), a->sha256),
                      std::ios::binary | std::ios::trunc);
    out << "damaged";
  }
  ASSERT_FALSE(leads::ReadAvMedia(db(), store_->files_dir(), "P1", a->sha256).ok());
  auto again = Attach("P1", "现场执法.mp4", bytes);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->existed);
  auto read = leads::ReadAvMedia(db(), store_->files_dir(), "P1", a->sha256);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, bytes);
}

TEST_F(EnforcementStore, PublicTextDropsIdNumbersAndTheName) {
  EXPECT_EQ(leads::PublicEnforcementText("对张自然（" + IdNumber(60) + "）罚款", "张自然"),
            "对当事人（***）罚款");
  // Other digits stay.
  EXPECT_EQ(leads::PublicEnforcementText("罚款200元，文号2024012345678901234"),
            "罚款200元，文号2024012345678901234");
  // An ID number with a wrong check digit still identifies someone: 18 and 15 characters go.
  EXPECT_EQ(leads::PublicEnforcementText("身份证210902199001011235（校验位错）"),
            "身份证***（校验位错）");
  EXPECT_EQ(leads::PublicEnforcementText("旧证210902900101123，"), "旧证***，");
  EXPECT_EQ(leads::PublicEnforcementText("证号21090219900101123X。"), "证号***。");
}

// ---------------------------------------------------------------------------
// HTTP

class EnforcementHttp : public EnforcementStore {
 protected:
  void SetUp() override {
    EnforcementStore::SetUp();
    ASSERT_TRUE(CreateUsers(db(), {{"admin", "admin", "admin", {}, {}},
                                   {"clerk", "clerk", "analyst", {}, {kOrgA}},
                                   {"handler", "handler", "handler", {}, {}}}));
    server_ = std::make_unique<ApiServer>(db_path(), dir_.File("none.json"),
                                          [](server::ServerConfig& c) { c.as_of = "2024-10-15"; });
  }
  HttpClient Client(const char* name) { return server_->As(name, kTestPassword); }
  std::unique_ptr<ApiServer> server_;
};

TEST_F(EnforcementHttp, BoardScopeMediaAndPublication) {
  HttpClient admin = Client("admin");
  HttpResult r = admin.Get("/api/enforcement");
  ASSERT_EQ(r.status, 200) << r.body;
  nlohmann::json j = r.Json();
  EXPECT_EQ(j["as_of"], "2024-10-15");  // the settings' day
  EXPECT_EQ(j["total"], 5);
  EXPECT_EQ(j["board"]["by_state"]["overdue"], 1);
  EXPECT_EQ(j["board"]["missing_av"], 2);
  EXPECT_EQ(r.body.find(IdNumber(1)), std::string::npos) << "inspectors masked";
  EXPECT_EQ(r.body.find(IdNumber(60)), std::string::npos) << "a person's ID number masked";
  r = admin.Get("/api/enforcement?state=overdue&as_of=2024-10-15");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.Json()["items"].size(), 1u);
  EXPECT_EQ(r.Json()["items"][0]["case_id"], "P1");
  EXPECT_EQ(admin.Get("/api/enforcement?state=bogus").status, 400);

  // Scope: the clerk sees kOrgA only; kOrgB's case answers 403 as a missing one does.
  HttpClient clerk = Client("clerk");
  r = clerk.Get("/api/enforcement");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["total"], 4);
  EXPECT_EQ(r.body.find("\"Q1\""), std::string::npos);
  EXPECT_EQ(clerk.Get("/api/enforcement/Q1").status, 403);
  EXPECT_EQ(clerk.Get("/api/enforcement/NOPE").status, 403);
  EXPECT_EQ(admin.Get("/api/enforcement/NOPE").status, 404);
  EXPECT_EQ(
      clerk.Send("POST", "/api/enforcement/Q1/media?name=a.mp4", Mp4("q"), "video/mp4").status,
      403);
  nlohmann::json reg = {{"case_id", "B9"},
                        {"org", kOrgB},
                        {"target_party", CreditCode(1)},
                        {"inspector_id_numbers", {IdNumber(3), IdNumber(2)}},
                        {"kind", "检查"},
                        {"started_at", "2024-10-01 09:00"}};
  EXPECT_EQ(clerk.Post("/api/enforcement", reg).status, 403);
  reg["org"] = kOrgA;
  r = clerk.Post("/api/enforcement", reg);
  ASSERT_EQ(r.status, 201) << r.body;
  reg["case_id"] = "B10";
  reg["started_at"] = "not a time";
  r = clerk.Post("/api/enforcement", reg);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["field"], "started_at");

  // Media over HTTP: upload, list, verified download; a changed byte is refused.
  const std::string bytes = Mp4(std::string(2000, 'm'));
  r = clerk.Send("POST",
                 "/api/enforcement/P2/media?name=" + UrlEncode("现场.mp4") +
                     "&recorded_at=" + UrlEncode("2024-09-27 15:00"),
                 bytes, "video/mp4");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string sha = r.Json()["sha256"];
  r = clerk.Send("POST", "/api/enforcement/P2/media?name=a.exe", "MZ\x90\0 binary", "");
  EXPECT_EQ(r.status, 400);
  r = clerk.Get("/api/enforcement/P2");
  ASSERT_EQ(r.status, 200);
  j = r.Json();
  ASSERT_EQ(j["media"].size(), 1u);
  EXPECT_FALSE(j["case"]["missing_av"].get<bool>());
  r = clerk.Get("/api/enforcement/P2/media/" + sha);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, bytes);
  EXPECT_EQ(r.Header("Content-Type"), "video/mp4");
  EXPECT_EQ(clerk.Get("/api/enforcement/P1/media/" + sha).status, 404);
  {
    std::fstream f(leads::AvMediaPath(store_->files_dir(), sha),
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(50);
    f.put('Z');
  }
  EXPECT_EQ(clerk.Get("/api/enforcement/P2/media/" + sha).status, 409);

  // Publication needs the approve right (a handler has not); J1 then shows on the portal.
  HttpClient handler = Client("handler");
  nlohmann::json pub = {{"decision_no", "检查结果2024-1"}, {"published_at", "2024-10-16 09:00"}};
  EXPECT_EQ(handler.Post("/api/enforcement/J1/publish", pub).status, 403);
  EXPECT_EQ(clerk.Post("/api/enforcement/J1/publish", pub).status, 403);  // analyst: no approve
  r = admin.Post("/api/enforcement/J1/publish", pub);
  ASSERT_EQ(r.status, 201) << r.body;
  r = admin.Post("/api/enforcement/J1/publish", pub);
  EXPECT_EQ(r.status, 400);  // a correction needs a reason
  EXPECT_EQ(r.Json()["field"], "reason");
  r = admin.Get("/api/enforcement/J1?as_of=2024-10-20");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["case"]["state"], "on_time");
  EXPECT_EQ(r.Json()["publications"].size(), 1u);

  // The public list: no session; published decisions only; exactly the agreed keys; a
  // natural person is "自然人"; no name, no ID number anywhere in the text.
  HttpClient pub_client = server_->Client();
  r = pub_client.Get("/api/public/enforcement");
  ASSERT_EQ(r.status, 200) << r.body;
  j = r.Json();
  EXPECT_EQ(j.size(), 2u);
  EXPECT_EQ(j["total"], 3);  // P2, L1, J1
  std::set<std::string> keys;
  for (auto& [k, v] : j["items"][0].items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"case_id", "org", "kind", "target_name", "target_code",
                                         "result", "penalty_fen", "decided_on", "published_at"}));
  EXPECT_EQ(r.body.find("张自然"), std::string::npos);
  for (int i : {1, 2, 3, 60}) EXPECT_EQ(r.body.find(IdNumber(i)), std::string::npos) << i;
  EXPECT_EQ(r.body.find("王一"), std::string::npos);
  bool person_seen = false;
  for (const auto& it : j["items"]) {
    if (it["case_id"] == "P2") {
      person_seen = true;
      EXPECT_EQ(it["target_name"], "自然人");
      EXPECT_TRUE(it["target_code"].is_null());
      EXPECT_EQ(it["penalty_fen"], 20000);
    }
  }
  EXPECT_TRUE(person_seen);
  // Searching for the person's name or number finds nothing.
  EXPECT_EQ(pub_client.Get("/api/public/enforcement?q=" + UrlEncode("张自然")).Json()["total"], 0);
  EXPECT_EQ(pub_client.Get("/api/public/enforcement?q=" + IdNumber(60)).Json()["total"], 0);
  r = pub_client.Get("/api/public/enforcement?kind=" + UrlEncode("许可") +
                     "&year=2024&page_size=1");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Json()["total"], 1);
  EXPECT_EQ(r.Json()["items"][0]["case_id"], "L1");
  EXPECT_EQ(r.Json()["items"][0]["target_code"], CreditCode(1));
  EXPECT_EQ(pub_client.Get("/api/public/enforcement?year=2023").Json()["total"], 0);
  EXPECT_EQ(pub_client.Get("/api/public/enforcement?kind=x").status, 400);
  EXPECT_EQ(pub_client.Get("/api/enforcement").status, 401);
}

TEST_F(EnforcementHttp, UnknownPersonIsPublishedAsStructuredFactsOnly) {
  const std::string id = IdNumber(61);  // not in `persons`
  leads::NewEnforcementCase n{
      "N7", kOrgA, id, "处罚", "2024-09-10 09:00", "投诉举报", {IdNumber(1), IdNumber(2)}, true};
  auto reg = leads::RegisterEnforcementCase(store_.get(), n, Work(), "user:t");
  ASSERT_TRUE(reg.ok()) << reg.status().ToString();
  const std::string text = "对李四罚款500元，身份证210902199001011235（校验位错）";
  leads::EnforcementClosure cl{"2024-09-27 16:00", text, 50000, true};
  auto closed = leads::CloseEnforcementCase(store_.get(), "N7", cl, Work(), "user:t");
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  leads::EnforcementPublishInput pub{"清市监罚〔2024〕30号", "", std::nullopt, "2024-10-10 10:00",
                                     ""};
  auto p = leads::PublishEnforcementCase(store_.get(), "N7", pub, Work(), "user:t");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  for (const std::string& leak : {std::string("李四"), std::string("210902199001011235"), id}) {
    EXPECT_EQ(p->public_text.find(leak), std::string::npos) << p->public_text;
  }
  EXPECT_NE(p->public_text.find("清市监罚〔2024〕30号"), std::string::npos) << p->public_text;
  EXPECT_NE(p->public_text.find("500.00元"), std::string::npos) << p->public_text;

  HttpResult r = server_->Client().Get("/api/public/enforcement?q=N7");
  ASSERT_EQ(r.status, 200) << r.body;
  nlohmann::json j = r.Json();
  ASSERT_EQ(j["total"], 1) << r.body;
  for (const std::string& leak :
       {std::string("李四"), std::string("210902199001011235"), std::string("1990010112"), id}) {
    EXPECT_EQ(r.body.find(leak), std::string::npos) << r.body;
  }
  const std::string result = j["items"][0]["result"];
  EXPECT_NE(result.find("清市监罚〔2024〕30号"), std::string::npos) << result;
  EXPECT_NE(result.find("2024-09-27"), std::string::npos) << result;
  EXPECT_EQ(j["items"][0]["target_name"], "自然人");
  EXPECT_EQ(j["items"][0]["penalty_fen"], 50000);
}

}  // namespace
}  // namespace qf::testing
