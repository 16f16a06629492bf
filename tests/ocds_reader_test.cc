// The OCDS reader: every real published sample, each input form, the mapping rules,
// and an import end to end.
#include "ingest/ocds_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "ingest/importer.h"
#include "store/store.h"
#include "test_util.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QF_HAS_ASAN 1
#endif
#endif

namespace qf {
namespace {

namespace fs = std::filesystem;
using qf::testing::ScratchDir;

struct ReadResult {
  Status open;
  Status next;
  std::string encoding;
  std::vector<StreamInfo> streams;
  std::vector<Record> records[3];
  int64_t problems = 0;
};

ReadResult ReadAll(const std::string& path) {
  ReadResult out;
  auto r = OcdsReader::Open(path);
  if (!r.ok()) {
    out.open = r.status();
    return out;
  }
  out.encoding = r.value()->Encoding();
  out.streams = r.value()->streams();
  Record rec;
  for (;;) {
    auto got = r.value()->Next(&rec);
    if (!got.ok()) {
      out.next = got.status();
      break;
    }
    if (!got.value()) break;
    EXPECT_GE(rec.stream, 0);
    EXPECT_LT(rec.stream, 3);
    EXPECT_EQ(rec.fields.size(), out.streams[rec.stream].header.size());
    EXPECT_TRUE(rec.external_identifiers);
    if (!rec.problem.ok()) {
      ++out.problems;
      EXPECT_FALSE(rec.problem.message().empty());
      EXPECT_FALSE(rec.problem.message_zh().empty());
    }
    out.records[rec.stream].push_back(rec);
  }
  return out;
}

// The value of column `name` in `rec` of stream `stream`.
std::string F(const ReadResult& r, int stream, const Record& rec, const std::string& name) {
  const auto& h = r.streams[stream].header;
  auto it = std::find(h.begin(), h.end(), name);
  EXPECT_NE(it, h.end()) << "no column " << name;
  if (it == h.end()) return "<none>";
  return rec.fields[static_cast<size_t>(it - h.begin())];
}

std::string RealDir() { return qf::testing::SourceDir() + "/../shared/ocds-real"; }

// ---------------------------------------------------------------------------
// Every real sample: it opens and reads through, or fails with a reason.

TEST(OcdsRealData, EveryFileReadsOrFailsWithAReason) {
  ASSERT_TRUE(fs::is_directory(RealDir())) << RealDir();
  struct Tally {
    int files = 0, rejected = 0;
    int64_t tenders = 0, bids = 0, contracts = 0, problems = 0;
    std::vector<std::string> reasons;
  };
  std::map<std::string, Tally> by_folder;
  std::vector<std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(RealDir())) {
    if (e.is_regular_file()) files.push_back(e.path().string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 100u);
  for (const std::string& path : files) {
    std::string folder = fs::relative(fs::path(path).parent_path(), RealDir()).string();
    Tally& t = by_folder[folder];
    ++t.files;
    ReadResult r = ReadAll(path);
    if (!r.open.ok()) {
      ++t.rejected;
      EXPECT_FALSE(r.open.message().empty()) << path;
      EXPECT_FALSE(r.open.message_zh().empty()) << path;
      t.reasons.push_back(fs::path(path).filename().string() + ": " + r.open.message());
      continue;
    }
    EXPECT_TRUE(r.next.ok()) << path << ": " << r.next.ToString();
    t.tenders += static_cast<int64_t>(r.records[0].size());
    t.bids += static_cast<int64_t>(r.records[1].size());
    t.contracts += static_cast<int64_t>(r.records[2].size());
    t.problems += r.problems;
    EXPECT_FALSE(r.records[0].empty()) << path;
  }
  std::cout << "OCDS real data (folder: files, rejected, tenders/bids/contracts records, of "
               "which with a problem)\n";
  for (const auto& [folder, t] : by_folder) {
    std::cout << "  " << folder << ": " << t.files << " files, " << t.rejected << " rejected, "
              << t.tenders << "/" << t.bids << "/" << t.contracts << " records, " << t.problems
              << " with a problem\n";
    for (const std::string& why : t.reasons) std::cout << "      rejected " << why << "\n";
  }
}

TEST(OcdsRealData, IsoLatin1FileIsConverted) {
  ReadResult latin =
      ReadAll(RealDir() + "/ocdskit-realdata/release-package_encoding-iso-8859-1.json");
  ReadResult utf8 = ReadAll(RealDir() + "/ocdskit-realdata/release-package_encoding-utf-8.json");
  ASSERT_TRUE(latin.open.ok()) << latin.open.ToString();
  ASSERT_TRUE(utf8.open.ok()) << utf8.open.ToString();
  EXPECT_NE(latin.encoding, "UTF-8");
  EXPECT_EQ(utf8.encoding, "UTF-8");
  ASSERT_EQ(latin.records[0].size(), utf8.records[0].size());
  ASSERT_FALSE(latin.records[0].empty());
  EXPECT_EQ(latin.records[0][0].fields, utf8.records[0][0].fields);
}

TEST(OcdsRealData, VersionedReleaseTakesTheLatestValues) {
  ReadResult r = ReadAll(RealDir() + "/ocdskit-realdata/versioned-release-1.json");
  ASSERT_TRUE(r.open.ok()) << r.open.ToString();
  ASSERT_EQ(r.records[0].size(), 1u);
  const Record& t = r.records[0][0];
  EXPECT_TRUE(t.problem.ok()) << t.problem.ToString();
  EXPECT_EQ(F(r, 0, t, "tender_id"), "OCDS-87SD3T-AD-SF-DRM-063-2015");
  EXPECT_EQ(F(r, 0, t, "method"), "邀请招标");  // procurementMethod "selective"
  EXPECT_FALSE(F(r, 0, t, "title").empty());
}

TEST(OcdsRealData, LinkedReleasesWithoutCompiledReleaseAreRejectedWithTheReason) {
  ScratchDir dir;
  std::string path = dir.Write("linked.json", R"({"records":[{"ocid":"ocds-x-1","releases":[
    {"url":"http://example.com/r1","date":"2020-01-01T00:00:00Z","tag":["tender"]},
    {"url":"http://example.com/r2","date":"2020-02-01T00:00:00Z","tag":["award"]}]}]})");
  ReadResult r = ReadAll(path);
  ASSERT_TRUE(r.open.ok()) << r.open.ToString();
  ASSERT_EQ(r.records[0].size(), 1u);
  const Record& rec = r.records[0][0];
  ASSERT_FALSE(rec.problem.ok());
  EXPECT_NE(rec.problem.message().find("record ocds-x-1 has no compiledRelease"), std::string::npos)
      << rec.problem.message();
  EXPECT_NE(rec.problem.message().find("linked releases"), std::string::npos);
  EXPECT_EQ(rec.location, "records[0]");
  EXPECT_EQ(rec.line, 1);
}

// ---------------------------------------------------------------------------
// Hand-written inputs for each form, with the mapping checked value by value.

// Two releases of one ocid in one package: the tender and, later, the award and contract.
const char* kTwoReleases = R"({
  "uri": "http://example.com/package.json", "version": "1.1",
  "releases": [
    {"ocid": "ocds-abc-001", "id": "r2", "date": "2016-06-20T10:00:00Z", "tag": ["award", "contract"],
     "parties": [
       {"id": "CN-USCC-91350100M000100Y43", "name": "福建某某建设有限公司", "roles": ["supplier", "tenderer"]},
       {"id": "MX-RFC-ABC123", "name": "Proveedor SA", "roles": ["tenderer"],
        "identifier": {"scheme": "MX-RFC", "id": "ABC123"}},
       {"id": "p3", "name": "第三公司", "roles": ["tenderer"],
        "identifier": {"scheme": "CN-USCC", "id": "91110000100000000K"}}
     ],
     "awards": [
       {"id": "a0", "status": "pending", "date": "2016-06-01T00:00:00Z"},
       {"id": "a1", "status": "active", "date": "2016-06-15T20:30:00Z",
        "value": {"amount": 1234.565, "currency": "CNY"},
        "suppliers": [{"id": "CN-USCC-91350100M000100Y43", "name": "福建某某建设有限公司"}]}
     ],
     "bids": {"details": [
       {"id": "b1", "status": "valid", "date": "2016-05-20T01:30:00+01:00",
        "value": {"amount": "1200.5", "currency": "CNY"},
        "tenderers": [{"id": "CN-USCC-91350100M000100Y43"}]},
       {"id": "b2", "status": "disqualified", "date": "2016-05-20T09:00:00",
        "value": {"amount": 1100, "currency": "CNY"},
        "tenderers": [{"id": "MX-RFC-ABC123", "name": "Proveedor SA"}]},
       {"id": "b3", "status": "pending",
        "tenderers": [{"id": "p3"}]}
     ]},
     "contracts": [
       {"id": "c1", "awardID": "a1", "status": "active", "dateSigned": "2016-06-30T17:00:00-05:00",
        "value": {"amount": 1234.56, "currency": "CNY"},
        "amendments": [{"id": "m1"}, {"id": "m2"}],
        "implementation": {"transactions": [
          {"id": "t1", "value": {"amount": 1000.004}}, {"id": "t2", "value": {"amount": "200.5"}}]}}
     ]},
    {"ocid": "ocds-abc-001", "id": "r1", "date": "2016-05-01T08:00:00+08:00", "tag": ["tender"],
     "buyer": {"id": "b-1", "name": "某市教育局"},
     "parties": [
       {"id": "b-1", "name": "某市教育局", "roles": ["buyer"]},
       {"id": "ag-1", "name": "某招标代理有限公司", "roles": ["procuringEntity"]}
     ],
     "tender": {"id": "T-1", "title": "教学设备采购", "status": "active",
       "procurementMethod": "open", "procurementMethodDetails": "Licitación pública",
       "mainProcurementCategory": "goods", "numberOfTenderers": 3, "awardCriteria": "priceOnly",
       "submissionMethod": ["electronicSubmission"],
       "value": {"amount": 2000000, "currency": "CNY"},
       "tenderPeriod": {"startDate": "2016-05-10T16:30:00Z", "endDate": "2016-05-20T12:00:00+01:00"},
       "items": [{"id": "i1"}, {"id": "i2", "classification": {"scheme": "CPV", "id": "30213100"}}]}}
  ]})";

TEST(OcdsReader, ReleasePackageMergesReleasesOfOneOcid) {
  ScratchDir dir;
  ReadResult r = ReadAll(dir.Write("package.json", kTwoReleases));
  ASSERT_TRUE(r.open.ok()) << r.open.ToString();
  ASSERT_TRUE(r.next.ok()) << r.next.ToString();
  EXPECT_EQ(r.encoding, "UTF-8");
  ASSERT_EQ(r.streams.size(), 3u);
  EXPECT_EQ(r.streams[0].dataset, "tenders");
  EXPECT_EQ(r.streams[1].dataset, "bids");
  EXPECT_EQ(r.streams[2].dataset, "contracts");

  ASSERT_EQ(r.records[0].size(), 1u);
  const Record& t = r.records[0][0];
  EXPECT_TRUE(t.problem.ok()) << t.problem.ToString();
  EXPECT_TRUE(t.merge_with_current);
  EXPECT_EQ(t.line, 1);
  EXPECT_EQ(t.location, "(releases[0]+releases[1])");
  EXPECT_EQ(F(r, 0, t, "tender_id"), "ocds-abc-001");
  EXPECT_EQ(F(r, 0, t, "title"), "教学设备采购");
  EXPECT_EQ(F(r, 0, t, "buyer_org"), "某市教育局");
  EXPECT_EQ(F(r, 0, t, "agency"), "某招标代理有限公司");
  EXPECT_EQ(F(r, 0, t, "method"), "公开招标");
  EXPECT_EQ(F(r, 0, t, "category"), "货物");
  EXPECT_EQ(F(r, 0, t, "item_code"), "30213100");
  EXPECT_EQ(F(r, 0, t, "ocds_items_classification_scheme"), "CPV");
  EXPECT_EQ(F(r, 0, t, "budget_amount"), "2000000");
  EXPECT_EQ(F(r, 0, t, "publish_date"), "2016-05-11");           // 16:30Z = 00:30 next day
  EXPECT_EQ(F(r, 0, t, "bid_deadline"), "2016-05-20 19:00:00");  // 12:00+01:00 = 11:00Z
  EXPECT_EQ(F(r, 0, t, "award_date"), "2016-06-16");             // 20:30Z = 04:30 next day
  EXPECT_EQ(F(r, 0, t, "winner_credit_code"), "91350100M000100Y43");
  EXPECT_EQ(F(r, 0, t, "award_amount"), "1234.57");  // 1234.565 rounded half away from zero
  EXPECT_EQ(F(r, 0, t, "ocds_award_amount_raw"), "1234.565");
  EXPECT_EQ(F(r, 0, t, "status"), "中标");
  EXPECT_EQ(F(r, 0, t, "ocds_procurement_method"), "open");
  EXPECT_EQ(F(r, 0, t, "ocds_procurement_method_details"), "Licitación pública");
  EXPECT_EQ(F(r, 0, t, "ocds_tender_status"), "active");
  EXPECT_EQ(F(r, 0, t, "ocds_award_status"), "active");
  EXPECT_EQ(F(r, 0, t, "ocds_number_of_tenderers"), "3");
  EXPECT_EQ(F(r, 0, t, "ocds_submission_method"), "electronicSubmission");
  EXPECT_EQ(F(r, 0, t, "ocds_tender_period_start"), "2016-05-10T16:30:00Z");
  EXPECT_EQ(F(r, 0, t, "ocds_buyer_id"), "b-1");
  EXPECT_EQ(F(r, 0, t, "ocds_procuring_entity_id"), "ag-1");
  EXPECT_EQ(F(r, 0, t, "ocds_date"), "2016-06-20T10:00:00Z");  // the latest release's
  EXPECT_EQ(F(r, 0, t, "ocds_currency"), "CNY");

  ASSERT_EQ(r.records[1].size(), 3u);
  const Record& b1 = r.records[1][0];
  EXPECT_TRUE(b1.problem.ok()) << b1.problem.ToString();
  EXPECT_FALSE(b1.merge_with_current);
  EXPECT_EQ(b1.location, "(releases[0]+releases[1]).bids.details[0]");
  EXPECT_EQ(F(r, 1, b1, "tender_id"), "ocds-abc-001");
  EXPECT_EQ(F(r, 1, b1, "bidder_credit_code"), "91350100M000100Y43");
  EXPECT_EQ(F(r, 1, b1, "bidder_name"), "福建某某建设有限公司");  // from parties
  EXPECT_EQ(F(r, 1, b1, "bid_amount"), "1200.5");
  EXPECT_EQ(F(r, 1, b1, "submit_time"), "2016-05-20 08:30:00");
  EXPECT_EQ(F(r, 1, b1, "qualified"), "是");
  const Record& b2 = r.records[1][1];
  EXPECT_EQ(F(r, 1, b2, "bidder_credit_code"), "MX-RFC-ABC123");  // foreign id, unchanged
  EXPECT_EQ(F(r, 1, b2, "qualified"), "否");
  EXPECT_EQ(F(r, 1, b2, "ocds_bid_status"), "disqualified");
  EXPECT_EQ(F(r, 1, b2, "submit_time"), "2016-05-20 17:00:00");  // no zone: UTC
  EXPECT_EQ(F(r, 1, b2, "bid_amount"), "1100");
  const Record& b3 = r.records[1][2];
  EXPECT_EQ(F(r, 1, b3, "bidder_credit_code"), "91110000100000000K");  // scheme CN-USCC
  EXPECT_EQ(F(r, 1, b3, "qualified"), "");                             // pending: not decided
  EXPECT_EQ(F(r, 1, b3, "bid_amount"), "");  // the importer quarantines the missing amount

  ASSERT_EQ(r.records[2].size(), 1u);
  const Record& c = r.records[2][0];
  EXPECT_TRUE(c.problem.ok()) << c.problem.ToString();
  EXPECT_TRUE(c.merge_with_current);
  EXPECT_EQ(F(r, 2, c, "contract_id"), "ocds-abc-001/c1");
  EXPECT_EQ(F(r, 2, c, "tender_id"), "ocds-abc-001");
  EXPECT_EQ(F(r, 2, c, "buyer_org"), "某市教育局");
  EXPECT_EQ(F(r, 2, c, "supplier_credit_code"), "91350100M000100Y43");
  EXPECT_EQ(F(r, 2, c, "amount"), "1234.56");
  EXPECT_EQ(F(r, 2, c, "sign_date"), "2016-07-01");  // 17:00-05:00 = 22:00Z = 06:00 next day
  EXPECT_EQ(F(r, 2, c, "final_amount"), "1200.5");   // 1000.00 + 200.50
  EXPECT_EQ(F(r, 2, c, "change_count"), "2");
  EXPECT_EQ(F(r, 2, c, "ocds_award_id"), "a1");
  EXPECT_EQ(F(r, 2, c, "ocds_contract_status"), "active");
}

TEST(OcdsReader, ReleasesOfOneOcidFarApartAreMergedToo) {
  ScratchDir dir;
  ReadResult r = ReadAll(dir.Write("scattered.json", R"({"releases":[
    {"ocid":"A","date":"2020-01-01T00:00:00Z","tender":{"title":"A first","status":"active"}},
    {"ocid":"B","date":"2020-01-01T00:00:00Z","tender":{"title":"B"}},
    {"ocid":"A","date":"2020-03-01T00:00:00Z","tender":{"status":"cancelled"}},
    {"ocid":"A","date":"2020-02-01T00:00:00Z","tender":{"title":"A second"}}]})"));
  ASSERT_TRUE(r.open.ok()) << r.open.ToString();
  ASSERT_EQ(r.records[0].size(), 2u);
  const Record& b = r.records[0][0];  // complete first
  EXPECT_EQ(F(r, 0, b, "tender_id"), "B");
  EXPECT_EQ(b.line, 2);
  const Record& a = r.records[0][1];
  EXPECT_EQ(F(r, 0, a, "tender_id"), "A");
  EXPECT_EQ(a.line, 1);
  EXPECT_EQ(a.location, "(releases[0]+releases[2]+releases[3])");
  EXPECT_EQ(F(r, 0, a, "title"), "A second");  // by date, not by position
  EXPECT_EQ(F(r, 0, a, "status"), "废标");
}

TEST(OcdsReader, RecordPackageUsesCompiledRelease) {
  ScratchDir dir;
  ReadResult r = ReadAll(dir.Write("records.json", R"({"records":[
    {"ocid":"ocds-r-1",
     "releases":[{"url":"http://x/1","date":"2019-03-01T00:00:00Z","tag":["tender"]},
                 {"url":"http://x/2","date":"2019-04-01T00:00:00Z","tag":["award"]}],
     "compiledRelease":{"ocid":"ocds-r-1","date":"2019-04-01T00:00:00Z","tag":["compiled"],
       "buyer":{"name":"Ministry of Works"},
       "tender":{"title":"Road repair","procurementMethod":"selective","status":"complete",
                 "mainProcurementCategory":"consultingServices",
                 "value":{"amount":"99.999","currency":"USD"}},
       "contracts":[{"id":7,"period":{"startDate":"2019-05-01"},"value":{"amount":50}}]}},
    {"ocid":"ocds-r-2",
     "compiledRelease":{"ocid":"ocds-r-2","tender":{"title":"Cancelled one","status":"cancelled",
       "procurementMethod":"direct"}}}]})"));
  ASSERT_TRUE(r.open.ok()) << r.open.ToString();
  ASSERT_EQ(r.records[0].size(), 2u);
  const Record& t = r.records[0][0];
  EXPECT_TRUE(t.problem.ok()) << t.problem.ToString();
  EXPECT_EQ(t.line, 1);
  EXPECT_EQ(t.location, "records[0]");
  EXPECT_EQ(F(r, 0, t, "title"), "Road repair");
  EXPECT_EQ(F(r, 0, t, "buyer_org"), "Ministry of Works");
  EXPECT_EQ(F(r, 0, t, "method"), "邀请招标");
  EXPECT_EQ(F(r, 0, t, "category"), "服务");
  EXPECT_EQ(F(r, 0, t, "budget_amount"), "100");
  EXPECT_EQ(F(r, 0, t, "ocds_budget_amount_raw"), "99.999");
  EXPECT_EQ(F(r, 0, t, "status"), "");  // complete without an award
  // No tenderPeriod: the date of the earliest release holding the tender.
  EXPECT_EQ(F(r, 0, t, "publish_date"), "2019-03-01");
  EXPECT_EQ(F(r, 0, t, "ocds_publish_date_source"), "release date");
  ASSERT_EQ(r.records[2].size(), 1u);
  const Record& c = r.records[2][0];
  EXPECT_EQ(c.location, "records[0].compiledRelease.contracts[0]");
  EXPECT_EQ(F(r, 2, c, "contract_id"), "ocds-r-1/7");
  EXPECT_EQ(F(r, 2, c, "sign_date"), "2019-05-01");
  EXPECT_EQ(F(r, 2, c, "ocds_sign_date_source"), "period.startDate");
  EXPECT_EQ(F(r, 2, c, "amount"), "50");
  EXPECT_EQ(F(r, 2, c, "change_count"), "");
  EXPECT_EQ(F(r, 2, c, "final_amount"), "");
  const Record& t2 = r.records[0][1];
  EXPECT_EQ(t2.line, 2);
  EXPECT_EQ(F(r, 0, t2, "status"), "废标");
  EXPECT_EQ(F(r, 0, t2, "method"), "单一来源");
}

TEST(OcdsReader, RecordPackageCompilesEmbeddedReleasesInDateOrder) {
  ScratchDir dir;
  // The later release comes first in the file; it must still win.
  ReadResult r = ReadAll(dir.Write("records.json", R"({"records":[{"ocid":"ocds-c-1","releases":[
    {"ocid":"ocds-c-1","id":"2","date":"2020-02-01T00:00:00Z","tag":["tenderUpdate"],
     "tender":{"title":"New title","status":"unsuccessful","items":[{"id":"1","quantity":5}]}},
    {"ocid":"ocds-c-1","id":"1","date":"2020-01-01T00:00:00Z","tag":["tender"],
     "buyer":{"name":"Town hall"},
     "tender":{"title":"Old title","status":"active","procurementMethod":"limited",
       "tenderPeriod":{"startDate":"2020-01-02T00:00:00Z","endDate":"2020-01-20T00:00:00Z"},
       "items":[{"id":"1","quantity":1,"classification":{"scheme":"UNSPSC","id":"43211500"}}]}}
  ]}]})"));
  ASSERT_TRUE(r.open.ok()) << r.open.ToString();
  ASSERT_EQ(r.records[0].size(), 1u);
  const Record& t = r.records[0][0];
  EXPECT_TRUE(t.problem.ok()) << t.problem.ToString();
  EXPECT_EQ(F(r, 0, t, "title"), "New title");
  EXPECT_EQ(F(r, 0, t, "buyer_org"), "Town hall");
  EXPECT_EQ(F(r, 0, t, "method"), "竞争性谈判");
  EXPECT_EQ(F(r, 0, t, "status"), "流标");
  EXPECT_EQ(F(r, 0, t, "item_code"), "43211500");  // items merged by id
  EXPECT_EQ(F(r, 0, t, "publish_date"), "2020-01-02");
  EXPECT_EQ(F(r, 0, t, "bid_deadline"), "2020-01-20 08:00:00");
}

TEST(OcdsReader, SingleReleaseObject) {
  ScratchDir dir;
  ReadResult r = ReadAll(dir.Write("release.json", R"({"ocid":"ocds-s-1","id":"1",
    "date":"2021-07-01T00:00:00Z","tag":["planning"],
    "buyer":{"name":"Water board"},
    "planning":{"budget":{"project":"Pipes","amount":{"amount":1e3,"currency":"EUR"}}},
    "tender":{"status":"planned","procurementMethod":"open"}})"));
  ASSERT_TRUE(r.open.ok()) << r.open.ToString();
  ASSERT_EQ(r.records[0].size(), 1u);
  const Record& t = r.records[0][0];
  EXPECT_EQ(t.line, 1);
  EXPECT_EQ(t.location, "");
  EXPECT_EQ(F(r, 0, t, "title"), "Pipes");
  EXPECT_EQ(F(r, 0, t, "ocds_title_source"), "planning.budget.project");
  EXPECT_EQ(F(r, 0, t, "budget_amount"), "1000");
  EXPECT_EQ(F(r, 0, t, "ocds_currency"), "EUR");
  EXPECT_EQ(F(r, 0, t, "status"), "进行中");
  EXPECT_EQ(F(r, 0, t, "publish_date"), "2021-07-01");
  EXPECT_TRUE(r.records[1].empty());
  EXPECT_TRUE(r.records[2].empty());
}

TEST(OcdsReader, JsonLinesKeepLineNumbersAndSurviveABrokenLine) {
  ScratchDir dir;
  std::string text = R"({"ocid":"ocds-l-1","tender":{"title":"One","procurementMethod":"open"}})"
                     "\n\n"
                     R"({"ocid":"ocds-l-2","tender":{"title":"Two")"
                     "\n"
                     R"({"ocid":"ocds-l-3","tender":{"title":"Three"}})"
                     "\n"
                     R"({"uri":"x","releases":[{"ocid":"ocds-l-4","tender":{"title":"Four"}}]})"
                     "\n";
  for (const char* name : {"lines.jsonl", "lines.json"}) {
    ReadResult r = ReadAll(dir.Write(name, text));
    ASSERT_TRUE(r.open.ok()) << name << ": " << r.open.ToString();
    ASSERT_EQ(r.records[0].size(), 4u) << name;
    EXPECT_EQ(r.records[0][0].line, 1);
    EXPECT_EQ(F(r, 0, r.records[0][0], "title"), "One");
    EXPECT_EQ(r.records[0][1].line, 3);
    ASSERT_FALSE(r.records[0][1].problem.ok());
    EXPECT_NE(r.records[0][1].problem.message().find("the line ends inside a JSON value"),
              std::string::npos)
        << r.records[0][1].problem.message();
    EXPECT_EQ(r.records[0][2].line, 4);
    EXPECT_EQ(F(r, 0, r.records[0][2], "title"), "Three");
    EXPECT_EQ(r.records[0][3].line, 5);
    EXPECT_EQ(r.records[0][3].location, "releases[0]");
    EXPECT_EQ(F(r, 0, r.records[0][3], "title"), "Four");
  }
}

TEST(OcdsReader, TopLevelArrayOfReleasesAndPackages) {
  ScratchDir dir;
  ReadResult r = ReadAll(dir.Write("array.json", R"([
    {"ocid":"ocds-a-1","tender":{"title":"A"}},
    {"version":"1.1","releases":[{"ocid":"ocds-a-2","tender":{"title":"B"}},
                                 {"ocid":"ocds-a-3","tender":{"title":"C"}}]},
    42
  ])"));
  ASSERT_TRUE(r.open.ok()) << r.open.ToString();
  ASSERT_EQ(r.records[0].size(), 4u);
  EXPECT_EQ(r.records[0][0].location, "[0]");
  EXPECT_EQ(r.records[0][1].location, "[1].releases[0]");
  EXPECT_EQ(r.records[0][2].location, "[1].releases[1]");
  EXPECT_EQ(r.records[0][2].line, 3);
  EXPECT_EQ(F(r, 0, r.records[0][2], "title"), "C");
  EXPECT_EQ(r.records[0][3].location, "[2]");
  ASSERT_FALSE(r.records[0][3].problem.ok());
  EXPECT_NE(r.records[0][3].problem.message().find("this is a number"), std::string::npos);
}

TEST(OcdsReader, Ocds10WithProcuringEntityAndEmbeddedOrganisations) {
  ScratchDir dir;
  ReadResult r =
      ReadAll(dir.Write("ocds10.json", R"({"uri":"x","publishedDate":"2015-01-01T00:00:00Z",
    "releases":[{"ocid":"ocds-10-1","id":"1","date":"2015-01-01T00:00:00Z","tag":["award"],
      "language":"en",
      "tender":{"id":"1","title":"Old style","procurementMethod":"open",
        "procuringEntity":{"identifier":{"scheme":"GB-COH","id":"0123"},"name":"Council"},
        "tenderPeriod":{"startDate":"2014-12-01T09:00:00+00:00","endDate":"2014-12-15T12:00:00+00:00"}},
      "awards":[{"id":"1","date":"2014-12-20T00:00:00Z","value":{"amount":10.005,"currency":"GBP"},
        "suppliers":[{"identifier":{"scheme":"GB-COH","id":"999"},"name":"Builder Ltd"}]}],
      "contracts":[{"id":"k1","awardID":"1","value":{"amount":10},"dateSigned":"2015-01-10",
        "amendment":{"date":"2015-02-01","rationale":"more"},
        "implementation":{"transactions":[{"id":"1","amount":{"amount":4}},
                                          {"id":"2","amount":{"amount":6.5}}]}}]}]})"));
  ASSERT_TRUE(r.open.ok()) << r.open.ToString();
  ASSERT_EQ(r.records[0].size(), 1u);
  const Record& t = r.records[0][0];
  EXPECT_TRUE(t.problem.ok()) << t.problem.ToString();
  EXPECT_EQ(F(r, 0, t, "buyer_org"), "Council");
  EXPECT_EQ(F(r, 0, t, "agency"), "");
  EXPECT_EQ(F(r, 0, t, "ocds_procuring_entity_id"), "");
  EXPECT_EQ(F(r, 0, t, "winner_credit_code"), "GB-COH-999");
  EXPECT_EQ(F(r, 0, t, "ocds_winner_name"), "Builder Ltd");
  EXPECT_EQ(F(r, 0, t, "award_amount"), "10.01");
  EXPECT_EQ(F(r, 0, t, "status"), "中标");  // an award without a status
  EXPECT_EQ(F(r, 0, t, "publish_date"), "2014-12-01");
  EXPECT_EQ(F(r, 0, t, "bid_deadline"), "2014-12-15 20:00:00");
  ASSERT_EQ(r.records[2].size(), 1u);
  const Record& c = r.records[2][0];
  EXPECT_EQ(F(r, 2, c, "buyer_org"), "Council");
  EXPECT_EQ(F(r, 2, c, "supplier_credit_code"), "GB-COH-999");
  EXPECT_EQ(F(r, 2, c, "change_count"), "1");
  EXPECT_EQ(F(r, 2, c, "final_amount"), "10.5");
  EXPECT_EQ(F(r, 2, c, "sign_date"), "2015-01-10");
}

TEST(OcdsReader, WrongStructureGivesAPreciseProblemNotACrash) {
  ScratchDir dir;
  ReadResult r = ReadAll(dir.Write("bad.json", R"({"releases":[
    {"ocid":"ocds-w-1","tender":"not an object","bids":{"details":[5]},
     "contracts":[{"id":"1","value":12}]},
    {"tender":{"title":"no ocid"}},
    "text"]})"));
  ASSERT_TRUE(r.open.ok()) << r.open.ToString();
  ASSERT_EQ(r.records[0].size(), 3u);
  ASSERT_FALSE(r.records[0][0].problem.ok());
  EXPECT_NE(r.records[0][0].problem.message().find("tender is a string, expected an object"),
            std::string::npos)
      << r.records[0][0].problem.message();
  EXPECT_NE(r.records[0][0].problem.message_zh().find("tender应为对象，实际为字符串"),
            std::string::npos);
  ASSERT_EQ(r.records[1].size(), 1u);
  EXPECT_NE(r.records[1][0].problem.message().find("bids.details[0] is a number"),
            std::string::npos);
  ASSERT_EQ(r.records[2].size(), 1u);
  EXPECT_NE(r.records[2][0].problem.message().find("contracts[0].value is a number"),
            std::string::npos);
  EXPECT_NE(r.records[0][1].problem.message().find("it has no ocid"), std::string::npos);
  EXPECT_EQ(r.records[0][1].location, "releases[1]");
  EXPECT_NE(r.records[0][2].problem.message().find("this is a string, expected a release"),
            std::string::npos);
}

TEST(OcdsReader, SecondBidOfOneTendererIsQuarantinedWithTheReason) {
  ScratchDir dir;
  ReadResult r = ReadAll(dir.Write("lots.json", R"({"ocid":"ocds-lot-1","bids":{"details":[
    {"id":"1","relatedLot":"L1","value":{"amount":5},"tenderers":[{"id":"X-1"}]},
    {"id":"2","relatedLot":"L2","value":{"amount":6},"tenderers":[{"id":"X-1"}]}]}})"));
  ASSERT_TRUE(r.open.ok()) << r.open.ToString();
  ASSERT_EQ(r.records[1].size(), 2u);
  EXPECT_TRUE(r.records[1][0].problem.ok());
  EXPECT_EQ(F(r, 1, r.records[1][0], "ocds_related_lots"), "L1");
  ASSERT_FALSE(r.records[1][1].problem.ok());
  EXPECT_NE(r.records[1][1].problem.message().find("already has a bid in this tender"),
            std::string::npos);
}

TEST(OcdsReader, AmountsAndDates) {
  ScratchDir dir;
  ReadResult r = ReadAll(dir.Write("amounts.json", R"({"releases":[
    {"ocid":"1","tender":{"value":{"amount":0.005},"tenderPeriod":{"startDate":"2016-12-31T23:59:59.999-00:30"}}},
    {"ocid":"2","tender":{"value":{"amount":"1,234.50"},"tenderPeriod":{"startDate":"2016-05-10"}}},
    {"ocid":"3","tender":{"value":{"amount":-5.555},"tenderPeriod":{"startDate":"yesterday"}}},
    {"ocid":"4","tender":{"value":{"amount":12345678901234567890},"tenderPeriod":{"endDate":"2016-05-10T00:00:00+0800"}}},
    {"ocid":"5","tender":{"value":{"amount":"9.995"},"tenderPeriod":{"endDate":"2016-05-10 08:00"}}}]})"));
  ASSERT_TRUE(r.open.ok()) << r.open.ToString();
  ASSERT_EQ(r.records[0].size(), 5u);
  auto v = [&](size_t i, const char* col) { return F(r, 0, r.records[0][i], col); };
  EXPECT_EQ(v(0, "budget_amount"), "0.01");
  EXPECT_EQ(v(0, "publish_date"), "2017-01-01");
  EXPECT_EQ(v(1, "budget_amount"), "1,234.50");  // passed on: the importer reads separators
  EXPECT_EQ(v(1, "publish_date"), "2016-05-10");
  EXPECT_EQ(v(2, "budget_amount"), "-5.555");                // negative: the importer judges
  EXPECT_EQ(v(2, "publish_date"), "yesterday");              // unreadable: the importer quarantines
  EXPECT_EQ(v(3, "budget_amount"), "12345678901234567890");  // exact as uint64
  EXPECT_EQ(v(3, "bid_deadline"), "2016-05-10 00:00:00");
  EXPECT_EQ(v(4, "budget_amount"), "10");
  EXPECT_EQ(v(4, "ocds_budget_amount_raw"), "9.995");
  EXPECT_EQ(v(4, "bid_deadline"), "2016-05-10 16:00:00");
}

TEST(OcdsReader, RejectsWhatIsNotOcdsWithTheReason) {
  ScratchDir dir;
  auto open = [&](const std::string& name, const std::string& text) {
    auto r = OcdsReader::Open(dir.Write(name, text));
    EXPECT_FALSE(r.ok()) << name;
    return r.ok() ? std::string() : r.status().message();
  };
  std::string m = open("other.json", R"({"a": 1, "b": [1, 2], "c": {"d": 3}})");
  EXPECT_NE(m.find("is JSON but not OCDS: expected a release package (releases), a record package "
                   "(records), a release (ocid) or JSON Lines of them; found an object with keys "
                   "a, b, c"),
            std::string::npos)
      << m;
  m = open("list.json", "[1, 2, 3]");
  EXPECT_NE(m.find("found an array whose first element is a number"), std::string::npos) << m;
  m = open("text.json", "hello world");
  EXPECT_NE(m.find("is not valid JSON: line 1, column 1: expected a value"), std::string::npos)
      << m;
  m = open("cut.json", "{\"releases\": [\n  {\"ocid\": \"x\"");
  EXPECT_NE(m.find("line 2, column 15: the file ends inside a JSON value"), std::string::npos) << m;
  m = open("comma.json", "{\"releases\": [{\"ocid\": \"x\"},]}");
  EXPECT_NE(m.find("line 1, column 29: expected a value"), std::string::npos) << m;
  m = open("empty.json", "  \n");
  EXPECT_NE(m.find("is empty"), std::string::npos) << m;
  m = open("broken.jsonl", "{\"ocid\": \n");
  EXPECT_NE(m.find("not valid JSON Lines: line 1"), std::string::npos) << m;
}

TEST(OcdsReader, InvalidUtf8AndDeepNestingDoNotCrash) {
  ScratchDir dir;
  std::string bad = "{\"ocid\":\"ocds-u-1\",\"tender\":{\"title\":\"caf\xC3\x28\xFF\"}}";
  // Valid UTF-8 at the start so that detection says UTF-8, then a broken sequence.
  ReadResult r = ReadAll(dir.Write("utf8.json", std::string(70000, ' ') + bad));
  ASSERT_TRUE(r.open.ok()) << r.open.ToString();
  ASSERT_EQ(r.records[0].size(), 1u);
  EXPECT_EQ(F(r, 0, r.records[0][0], "title"), "caf\xEF\xBF\xBD(\xEF\xBF\xBD");

  std::string deep =
      "{\"ocid\":\"d\",\"x\":" + std::string(5000, '[') + std::string(5000, ']') + "}";
  auto d = OcdsReader::Open(dir.Write("deep.json", deep));
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("nested deeper than 100 levels"), std::string::npos);
}

// Peak resident memory of this process, in KiB (Linux).
int64_t PeakRssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6));
  }
  return 0;
}

TEST(OcdsReader, LargePackageStreamsInBoundedMemory) {
  ScratchDir dir;
  std::string path = dir.File("big.json");
  const int kReleases = 90000;  // about 40 MB
  {
    std::ofstream out(path, std::ios::binary);
    out << "{\"uri\":\"x\",\"releases\":[\n";
    for (int i = 0; i < kReleases; ++i) {
      // Two releases per process, kept together, as publishers do.
      std::string ocid = "ocds-big-" + std::to_string(i / 2);
      out << (i ? ",\n" : "") << "{\"ocid\":\"" << ocid << "\",\"id\":\"" << i
          << "\",\"date\":\"2020-01-0" << 1 + i % 2 << "T00:00:00Z\","
          << "\"tender\":{\"title\":\"Procurement of goods number " << i
          << " with a reasonably long description to make the release realistic\","
          << "\"procurementMethod\":\"open\",\"value\":{\"amount\":" << i << ".5},"
          << "\"items\":[{\"id\":\"1\",\"classification\":{\"scheme\":\"CPV\",\"id\":"
          << "\"30213100\"}}]},\"parties\":[{\"id\":\"p1\",\"name\":\"Buyer\","
          << "\"roles\":[\"buyer\"]}],\"buyer\":{\"id\":\"p1\"},"
          << "\"awards\":[{\"id\":\"a\",\"status\":\"active\",\"suppliers\":[{\"id\":\"s\"}]}]}";
    }
    out << "]}";
  }
  ASSERT_GT(fs::file_size(path), 32u << 20);
  int64_t before = PeakRssKb();
  auto r = OcdsReader::Open(path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Record rec;
  int64_t tenders = 0;
  for (;;) {
    auto got = r.value()->Next(&rec);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    if (!got.value()) break;
    if (rec.stream == 0) ++tenders;
  }
  EXPECT_EQ(tenders, kReleases / 2);
  int64_t grown = PeakRssKb() - before;
  std::cout << "reading " << (fs::file_size(path) >> 20) << " MB grew peak memory by "
            << grown / 1024 << " MB\n";
  // AddressSanitizer keeps freed memory in quarantine (256 MB), so only plain builds can tell.
#if !defined(__SANITIZE_ADDRESS__) && !defined(QF_HAS_ASAN)
  EXPECT_LT(grown, 16 * 1024);  // far below the file size: one release at a time
#endif
}

// ---------------------------------------------------------------------------
// End to end through the importer.

TEST(OcdsImport, RealFileImportsAndReimportsUnchanged) {
  ScratchDir dir;
  auto store = Store::Open(dir.File("t.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Importer imp(store.value().get());
  // Several releases per ocid (Mexico City), merged into one row per process.
  std::string file = RealDir() + "/ocdskit-realdata/release-package-1-2.json";
  auto first = imp.ImportFile("ocds", file, {});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first.value().size(), 3u);
  const ImportReport& tenders = first.value()[0];
  EXPECT_EQ(tenders.dataset, "tenders");
  EXPECT_EQ(tenders.format, "ocds");
  EXPECT_GT(tenders.accepted, 0) << "quarantined " << tenders.quarantined;
  int64_t stored = store.value()->db()->QueryInt("SELECT COUNT(*) FROM tenders").value();
  EXPECT_EQ(stored, tenders.accepted);
  EXPECT_EQ(stored, 2);
  EXPECT_EQ(store.value()
                ->db()
                ->QueryInt("SELECT COUNT(*) FROM tenders WHERE tender_id = "
                           "'OCDS-87SD3T-AD-SF-DRM-063-2015' AND method = '邀请招标'")
                .value(),
            1);
  std::cout << "first import: tenders " << tenders.accepted << " accepted, " << tenders.quarantined
            << " quarantined; contracts " << first.value()[2].accepted << " accepted, "
            << first.value()[2].quarantined << " quarantined\n";

  auto second = imp.ImportFile("ocds", file, {});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  for (size_t s = 0; s < 3; ++s) {
    EXPECT_EQ(second.value()[s].unchanged, first.value()[s].accepted) << s;
    EXPECT_EQ(second.value()[s].new_rows, 0) << s;
    EXPECT_EQ(second.value()[s].changed, 0) << s;
  }
  EXPECT_EQ(store.value()->db()->QueryInt("SELECT COUNT(*) FROM tenders").value(), stored);
}

// Every real sample through the whole import path: each file imports, or is
// refused with a reason; every quarantined row says why.
TEST(OcdsImport, EveryRealFileImportsOrIsRefusedWithAReason) {
  ScratchDir dir;
  auto store = Store::Open(dir.File("all.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Importer imp(store.value().get());
  int imported = 0;
  int refused = 0;
  for (const auto& e : fs::recursive_directory_iterator(RealDir())) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    auto r = imp.ImportFile("ocds", e.path().string(), {});
    if (r.ok()) {
      ++imported;
    } else {
      ++refused;
      EXPECT_FALSE(r.status().message().empty()) << e.path();
      EXPECT_FALSE(r.status().message_zh().empty()) << e.path();
    }
  }
  Db* db = store.value()->db();
  EXPECT_GT(imported, 300);
  EXPECT_LE(refused, 5);
  EXPECT_EQ(db->QueryInt("SELECT COUNT(*) FROM quarantine WHERE reason_zh = '' OR reason_en = ''")
                .value(),
            0);
  EXPECT_GT(db->QueryInt("SELECT COUNT(*) FROM tenders").value(), 100);
  EXPECT_GT(db->QueryInt("SELECT COUNT(*) FROM contracts").value(), 100);
  EXPECT_GT(db->QueryInt("SELECT COUNT(*) FROM bids").value(), 10);
  std::cout << imported << " files imported, " << refused << " refused; tenders "
            << db->QueryInt("SELECT COUNT(*) FROM tenders").value() << ", bids "
            << db->QueryInt("SELECT COUNT(*) FROM bids").value() << ", contracts "
            << db->QueryInt("SELECT COUNT(*) FROM contracts").value() << ", quarantined rows "
            << db->QueryInt(
                     "SELECT COUNT(DISTINCT file_sha256 || line || location) FROM quarantine")
                   .value()
            << "\n";
}

}  // namespace
}  // namespace qf
