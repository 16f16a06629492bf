// Family: procurement (政府采购与招标投标). Tenders, bids and contracts checked
// against the tendering rules: single bids, short bidding periods, collusion
// signs among bidders (shared attributes, identical or patterned prices, price
// screens, bid rotation), new shell-like winners, split purchases, inflated
// contracts, and winners tied to the buyer's leaders.
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <numeric>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "common/time.h"
#include "models/common.h"
#include "models/families.h"

namespace qf::models {

namespace {

using namespace engine;

// ---------------------------------------------------------------------------
// Shared pieces.

const std::vector<std::string> kTenderColumns = {
    "tender_id",          "title",         "buyer_org",    "method",       "category",
    "item_code",          "budget_amount", "publish_date", "bid_deadline", "award_date",
    "winner_credit_code", "award_amount",  "status"};
const std::vector<std::string> kBidColumns = {"tender_id",  "bidder_credit_code", "bidder_name",
                                              "bid_amount", "qualified",          "rank"};
const std::vector<std::string> kTenderEvidence = {
    "title",      "buyer_org",          "method",       "category",
    "item_code",  "budget_amount",      "publish_date", "bid_deadline",
    "award_date", "winner_credit_code", "award_amount", "status"};
const std::vector<std::string> kBidEvidence = {"bidder_credit_code", "bidder_name", "bid_amount",
                                               "qualified", "rank"};

std::string Str(const Snapshot& s, uint32_t code) { return std::string(s.str(code)); }

// Codes of the items of a list parameter (items the snapshot has never seen
// get no code: nothing can equal them).
std::unordered_set<uint32_t> CodeSet(const Snapshot& s, const std::vector<std::string>& items) {
  std::unordered_set<uint32_t> out;
  for (const std::string& i : items) {
    if (uint32_t c = s.find(i); c != kNoString) out.insert(c);
  }
  return out;
}

std::string Pct(double ratio, int digits = 2) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f%%", digits, ratio * 100);
  return buf;
}

std::string Num(double v, int digits = 3) {
  if (std::isnan(v)) return "—";
  if (std::isinf(v)) return v > 0 ? "∞" : "-∞";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// "《title》(id)" for summaries.
std::string TenderText(const Snapshot& s, const Table& t, size_t r) {
  return "《" + Str(s, t.col("title").codes[r]) + "》(" + std::string(s.key(t, r)) + ")";
}

// A tender is awarded when its status says 中标; with no status, when it names a winner.
struct TenderCodes {
  uint32_t awarded = kNoString;
  explicit TenderCodes(const Snapshot& s) : awarded(s.find("中标")) {}
  bool Awarded(const Table& t, size_t r) const {
    uint32_t st = t.col("status").codes[r];
    if (st != kNoString) return st == awarded;
    return t.col("winner_credit_code").codes[r] != kNoString;
  }
};

// The day a tender was decided: award date, else the bid deadline's day, else publication.
int64_t DecisionDay(const Table& t, size_t r) {
  if (int64_t d = t.col("award_date").ints[r]; d != kNull) return d;
  if (int64_t d = t.col("bid_deadline").ints[r]; d != kNull) return DayOf(d);
  return t.col("publish_date").ints[r];
}

// The open-tender threshold of a tender's category (工程 or goods/services).
int64_t ThresholdFen(const Snapshot& s, const Table& t, size_t r, int64_t goods, int64_t works,
                     int64_t services) {
  std::string_view cat = s.str(t.col("category").codes[r]);
  if (cat == "工程") return works;
  if (cat == "服务") return services;
  return goods;
}

// Bids of a tender, ordered by amount then bidder for determinism.
std::vector<uint32_t> SortedBids(const Table& b, const std::vector<uint32_t>& rows) {
  std::vector<uint32_t> out = rows;
  const auto& amt = b.col("bid_amount").ints;
  const auto& who = b.col("bidder_credit_code").codes;
  std::sort(out.begin(), out.end(), [&](uint32_t x, uint32_t y) {
    if (amt[x] != amt[y]) return amt[x] < amt[y];
    return who[x] < who[y];
  });
  return out;
}

// The bid row of the tender's winner; kNoRow when the winner did not bid.
int64_t WinnerBid(const Table& t, size_t tr, const Table& b, const std::vector<uint32_t>& bids) {
  uint32_t w = t.col("winner_credit_code").codes[tr];
  if (w == kNoString) return kNoRow;
  const auto& bidder = b.col("bidder_credit_code").codes;
  for (uint32_t r : bids) {
    if (bidder[r] == w) return r;
  }
  return kNoRow;
}

std::string BidderName(const Snapshot& s, const Table& b, size_t r) {
  uint32_t n = b.col("bidder_name").codes[r];
  return Str(s, n != kNoString ? n : b.col("bidder_credit_code").codes[r]);
}

// Tender and bids as one finding's evidence, tender first.
void AddTenderAndBids(const Snapshot& s, const Table& t, size_t tr, const Table& b,
                      const std::vector<uint32_t>& bids, Finding* f) {
  f->evidence.push_back(MakeEvidence(s, t, tr, kTenderEvidence));
  for (uint32_t r : bids) f->evidence.push_back(MakeEvidence(s, b, r, kBidEvidence));
}

Subject TenderSubject(const Snapshot& s, const Table& t, size_t r) {
  return {"tenders", std::string(s.key(t, r)), Str(s, t.col("title").codes[r])};
}

int64_t AwardFen(const Table& t, size_t r) {
  int64_t a = t.col("award_amount").ints[r];
  return a == kNull ? 0 : a;
}

// ---------------------------------------------------------------------------
// single_bid — a competitive procedure awarded with one bid (OCP R018).

std::unique_ptr<Model> SingleBid() {
  ModelInfo info;
  info.id = "single_bid";
  info.name_zh = "竞争性采购仅一家投标即中标";
  info.name_en = "Competitive tender awarded with a single bid";
  info.family = "procurement";
  info.detects =
      "采用公开招标、邀请招标、竞争性谈判、竞争性磋商、询价等竞争性方式，"
      "却只有一家投标人并授予合同的项目。";
  info.basis =
      "招标投标法第28条：投标人少于三个的，招标人应当重新招标；"
      "政府采购竞争性方式须有足够供应商参与竞争。只有一家投标而中标说明竞争缺失，"
      "可能存在量身定制条件、排斥潜在投标人或围标（开放合同伙伴关系 OCP 红旗 R018）。";
  info.severity = Severity::kMedium;
  info.inputs = {{"tenders", kTenderColumns}, {"bids", kBidColumns}};
  info.params = {
      {"exempt_methods", "单一来源", "不适用本模型的采购方式（本就只有一家供应商）",
       "procurement methods with one supplier by design"},
      {"max_bids", "1", "投标人数不超过此数即预警", "flag tenders with at most this many bids"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("tenders");
    const Table& b = s.at("bids");
    const auto exempt = CodeSet(s, ctx.params.List("exempt_methods"));
    const int64_t max_bids = ctx.params.Int("max_bids");
    TenderCodes codes(s);
    RowIndex bids_by_tender(b, "tender_id");
    const auto& method = t.col("method").codes;
    for (size_t r = 0; r < t.size(); ++r) {
      if (exempt.count(method[r]) || !codes.Awarded(t, r)) continue;
      const auto& bids = bids_by_tender.rows(t.key_code(r));
      // No bid records at all means the bids were not exported, not one bid.
      if (bids.empty() || static_cast<int64_t>(bids.size()) > max_bids) continue;
      Finding f;
      f.identity = std::string(s.key(t, r));
      f.subject = TenderSubject(s, t, r);
      f.amount_fen = AwardFen(t, r);
      f.score = Str(s, method[r]) == "公开招标" ? 75 : 65;
      AddTenderAndBids(s, t, r, b, bids, &f);
      f.summary = Str(s, t.col("buyer_org").codes[r]) + "以" + Str(s, method[r]) +
                  "方式采购的项目" + TenderText(s, t, r) + "仅有" + std::to_string(bids.size()) +
                  "家投标人（" + BidderName(s, b, bids[0]) + "），仍于" +
                  DayText(DecisionDay(t, r)) + "授标，中标金额" + Yuan(f.amount_fen) + "元";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// short_bidding_period — 公开招标 with fewer than 20 days to the bid deadline.

std::unique_ptr<Model> ShortBiddingPeriod() {
  ModelInfo info;
  info.id = "short_bidding_period";
  info.name_zh = "公开招标等标期不足";
  info.name_en = "Open tender with a short bidding period";
  info.family = "procurement";
  info.detects = "公开招标项目从公告（招标文件发出）到投标截止不足20日。";
  info.basis =
      "招标投标法第24条、政府采购货物和服务招标投标管理办法："
      "自招标文件开始发出之日起至投标截止之日止，最短不得少于二十日。"
      "等标期过短使潜在投标人来不及准备，常用于向内定供应商倾斜（OCP 红旗 R003）。";
  info.severity = Severity::kMedium;
  info.inputs = {{"tenders", kTenderColumns}};
  info.params = {
      {"min_days", "20", "最短等标期（日历日）", "minimum bidding period (calendar days)"},
      {"methods", "公开招标", "适用的采购方式", "procurement methods the minimum applies to"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("tenders");
    const int64_t min_days = ctx.params.Int("min_days");
    const auto methods = CodeSet(s, ctx.params.List("methods"));
    const auto& method = t.col("method").codes;
    const auto& publish = t.col("publish_date").ints;
    const auto& deadline = t.col("bid_deadline").ints;
    for (size_t r = 0; r < t.size(); ++r) {
      if (!methods.count(method[r]) || publish[r] == kNull || deadline[r] == kNull) continue;
      int64_t days = DayOf(deadline[r]) - publish[r];
      if (days >= min_days) continue;
      Finding f;
      f.identity = std::string(s.key(t, r));
      f.subject = TenderSubject(s, t, r);
      f.amount_fen =
          t.col("budget_amount").ints[r] == kNull ? AwardFen(t, r) : t.col("budget_amount").ints[r];
      f.score = ScaleScore(60, static_cast<double>(min_days - days), static_cast<double>(min_days));
      f.evidence.push_back(MakeEvidence(s, t, r, kTenderEvidence));
      f.summary = Str(s, t.col("buyer_org").codes[r]) + "的" + Str(s, method[r]) + "项目" +
                  TenderText(s, t, r) + "于" + DayText(publish[r]) + "发布公告，投标截止时间为" +
                  DateTimeText(deadline[r]) + "，等标期仅" + std::to_string(days) + "天，少于法定" +
                  std::to_string(min_days) + "天";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// bidders_share_attribute — two bidders of one tender with the same IP, MAC,
// machine code, phone, contact, project manager or deposit account.

// How a column's values are brought to the form in which they are compared:
// MAC addresses and machine codes are written with varying separators and
// case, phone and account numbers with varying separators, the others with
// stray spaces.
enum class AttrForm { kAlnumUpper, kAlnum, kNoSpaces };

struct SharedAttr {
  const char* column;
  const char* zh;
  AttrForm form;
};
const SharedAttr kSharedAttrs[] = {{"ip_address", "投标IP地址", AttrForm::kNoSpaces},
                                   {"mac_address", "MAC地址", AttrForm::kAlnumUpper},
                                   {"machine_code", "文件制作机器码", AttrForm::kAlnumUpper},
                                   {"contact_phone", "联系电话", AttrForm::kAlnum},
                                   {"contact_person", "联系人", AttrForm::kNoSpaces},
                                   {"project_manager_id_number", "项目经理", AttrForm::kNoSpaces},
                                   {"deposit_account", "保证金转出账户", AttrForm::kAlnum}};

// What each byte becomes in a form's comparable text: itself, another byte
// (upper case), or -1 when dropped. ASCII only, as <cctype> classifies in the
// "C" locale the program runs in.
struct FormMap {
  std::array<std::array<int16_t, 256>, 3> to{};
  constexpr FormMap() {
    for (int c = 0; c < 256; ++c) {
      const bool digit = c >= '0' && c <= '9', upper = c >= 'A' && c <= 'Z',
                 lower = c >= 'a' && c <= 'z';
      const int alnum = digit || upper || lower ? c : -1;
      to[static_cast<int>(AttrForm::kAlnumUpper)][c] = static_cast<int16_t>(lower ? c - 32 : alnum);
      to[static_cast<int>(AttrForm::kAlnum)][c] = static_cast<int16_t>(alnum);
      to[static_cast<int>(AttrForm::kNoSpaces)][c] = static_cast<int16_t>(c == ' ' ? -1 : c);
    }
  }
};
constexpr FormMap kFormMap;

// The comparable form of `v`: `v` itself when it is already in that form
// (most stored values), else written into `buf` (whose capacity is reused).
std::string_view Comparable(AttrForm form, std::string_view v, std::string* buf) {
  // A branch-free test first: the compiler vectorises it.
  bool same = true;
  switch (form) {
    case AttrForm::kAlnumUpper:
      for (char c : v) same &= (c >= '0' && c <= '9') | (c >= 'A' && c <= 'Z');
      break;
    case AttrForm::kAlnum:
      for (char c : v)
        same &= (c >= '0' && c <= '9') | (c >= 'A' && c <= 'Z') | (c >= 'a' && c <= 'z');
      break;
    case AttrForm::kNoSpaces:
      same = v.find(' ') == std::string_view::npos;
      break;
  }
  if (same) return v;
  const auto& to = kFormMap.to[static_cast<int>(form)];
  buf->resize(v.size());
  char* o = buf->data();
  for (size_t i = 0; i < v.size(); ++i) {
    int16_t m = to[static_cast<unsigned char>(v[i])];
    if (m >= 0) *o++ = static_cast<char>(m);
  }
  buf->resize(static_cast<size_t>(o - buf->data()));
  return *buf;
}

// A hash of a short text, inline and a word at a time (values are 6–20 bytes;
// equal hashes are compared exactly, so quality only affects speed).
uint64_t HashText(std::string_view v) {
  uint64_t h = v.size() * 0x9E3779B97F4A7C15ull;
  const char* p = v.data();
  size_t n = v.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  if (n > 0) {
    uint64_t w = 0;
    std::memcpy(&w, p, n);
    h = (h ^ w) * 0x94D049BB133111EBull;
    h ^= h >> 29;
  }
  return h;
}

// One tender's bids sharing a value of one attribute (bid rows ascending).
struct SharedGroup {
  size_t attr;  // index into the compared attributes
  std::vector<uint32_t> rows;
};

// The groups of bids (ascending rows) with the same comparable value of each
// attribute in which at least two bidders differ: per attribute in order, and
// within an attribute by their first bid. Values are grouped by the hash of
// their comparable form and then compared exactly, so a hash collision only
// costs a comparison. `scratch`/`buf`/`other` are reused between tenders.
void FindSharedGroups(const Snapshot& s, const std::vector<const Column*>& cols,
                      const std::vector<AttrForm>& forms, const std::vector<uint32_t>& bidder,
                      const uint32_t* rows, size_t n,
                      std::vector<std::pair<size_t, uint32_t>>* scratch, std::string* buf,
                      std::string* other, std::vector<SharedGroup>* out) {
  for (size_t ai = 0; ai < cols.size(); ++ai) {
    const auto& codes = cols[ai]->codes;
    auto& vals = *scratch;  // (hash of the comparable value, bid row)
    vals.clear();
    for (size_t i = 0; i < n; ++i) {
      uint32_t code = codes[rows[i]];
      if (code == kNoString) continue;
      std::string_view v = Comparable(forms[ai], s.str(code), buf);
      if (!v.empty()) vals.emplace_back(HashText(v), rows[i]);
    }
    if (vals.size() < 2) continue;
    if (vals.size() <= 16) {  // a tender's few bids: insertion sort, no call
      for (size_t i = 1; i < vals.size(); ++i) {
        auto x = vals[i];
        size_t k = i;
        for (; k > 0 && x < vals[k - 1]; --k) vals[k] = vals[k - 1];
        vals[k] = x;
      }
    } else {
      std::sort(vals.begin(), vals.end());
    }
    const size_t first_group = out->size();
    for (size_t i = 0; i < vals.size();) {
      size_t j = i + 1;
      while (j < vals.size() && vals[j].first == vals[i].first) ++j;
      if (j - i < 2) {  // a value no other bid has: nearly every value
        i = j;
        continue;
      }
      // vals[i, j) share a hash: split it into runs of equal values, each
      // led by its first unclaimed row (rows are ascending within a hash).
      for (size_t lead = i; lead < j; ++lead) {
        if (vals[lead].first != vals[i].first) continue;  // claimed by an earlier run
        SharedGroup g{ai, {vals[lead].second}};
        const std::string_view value = Comparable(forms[ai], s.str(codes[vals[lead].second]), buf);
        for (size_t m = lead + 1; m < j; ++m) {
          if (vals[m].first != vals[i].first) continue;
          if (Comparable(forms[ai], s.str(codes[vals[m].second]), other) != value) continue;
          g.rows.push_back(vals[m].second);
          vals[m].first = ~vals[i].first;  // claimed: no longer equal to the run's hash
        }
        bool distinct = false;
        for (size_t m = 1; m < g.rows.size(); ++m)
          distinct |= bidder[g.rows[m]] != bidder[g.rows[0]];
        if (distinct) out->push_back(std::move(g));
      }
      i = j;
    }
    std::sort(out->begin() + static_cast<std::ptrdiff_t>(first_group), out->end(),
              [](const SharedGroup& a, const SharedGroup& b) { return a.rows[0] < b.rows[0]; });
  }
}

std::unique_ptr<Model> BiddersShareAttribute() {
  ModelInfo info;
  info.id = "bidders_share_attribute";
  info.name_zh = "不同投标人信息雷同（疑似串通投标）";
  info.name_en = "Bidders of one tender share IP, device, contact or account";
  info.family = "procurement";
  info.detects =
      "同一项目的不同投标人使用相同的投标IP、MAC地址、文件制作机器码、联系电话、联系人、"
      "项目经理或保证金转出账户。";
  info.basis =
      "招标投标法实施条例第39、40条：不同投标人的投标文件由同一单位或者个人编制、"
      "委托同一人办理投标事宜、载明的项目管理成员为同一人、"
      "投标保证金从同一单位或者个人的账户转出的，视为投标人相互串通投标；"
      "电子招投标平台据此比对IP、MAC、机器码及联系方式。";
  info.severity = Severity::kHigh;
  std::vector<std::string> cols = kBidColumns;
  for (const SharedAttr& a : kSharedAttrs) cols.push_back(a.column);
  info.inputs = {{"tenders", kTenderColumns}, {"bids", cols}};
  info.params = {{"attributes",
                  "ip_address,mac_address,machine_code,contact_phone,contact_person,"
                  "project_manager_id_number,deposit_account",
                  "比对的投标信息字段", "bid columns compared between bidders"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("tenders");
    const Table& b = s.at("bids");
    std::vector<SharedAttr> attrs;
    for (const std::string& name : ctx.params.List("attributes")) {
      for (const SharedAttr& a : kSharedAttrs) {
        if (name == a.column) attrs.push_back(a);
      }
    }
    std::vector<const Column*> attr_cols;
    std::vector<AttrForm> forms;
    for (const SharedAttr& a : attrs) {
      attr_cols.push_back(&b.col(a.column));
      forms.push_back(a.form);
    }
    const auto& bidder = b.col("bidder_credit_code").codes;

    // Bids grouped by tender: packed (tender code, row) words, sorted unless
    // the table already lists each tender's bids together in code order (as
    // an import of one bids file does).
    const auto& tender_of = b.col("tender_id").codes;
    std::vector<uint64_t> keyed;
    keyed.reserve(b.size());
    for (size_t r = 0; r < b.size(); ++r) {
      if (tender_of[r] != kNoString) keyed.push_back((uint64_t{tender_of[r]} << 32) | r);
    }
    if (!std::is_sorted(keyed.begin(), keyed.end())) tbb::parallel_sort(keyed.begin(), keyed.end());
    std::vector<uint32_t> bid_rows(keyed.size());
    std::vector<std::pair<size_t, size_t>> tenders;  // [begin, end) in bid_rows, ≥ 2 bids
    for (size_t i = 0; i < keyed.size();) {
      size_t j = i;
      for (; j < keyed.size() && (keyed[j] >> 32) == (keyed[i] >> 32); ++j) {
        bid_rows[j] = static_cast<uint32_t>(keyed[j]);
      }
      if (j - i >= 2) tenders.emplace_back(i, j);
      i = j;
    }

    // Each tender's bids compared on every core; the few tenders with shared
    // values are kept with their groups.
    struct Hit {
      uint32_t tender;  // code of tender_id
      std::vector<SharedGroup> groups;
    };
    tbb::enumerable_thread_specific<std::vector<Hit>> found;
    tbb::parallel_for(tbb::blocked_range<size_t>(0, tenders.size(), 1024),
                      [&](const tbb::blocked_range<size_t>& range) {
                        std::vector<std::pair<size_t, uint32_t>> scratch;
                        std::string buf, other;
                        std::vector<SharedGroup> groups;
                        auto& local = found.local();
                        for (size_t k = range.begin(); k < range.end(); ++k) {
                          auto [begin, end] = tenders[k];
                          groups.clear();
                          FindSharedGroups(s, attr_cols, forms, bidder, bid_rows.data() + begin,
                                           end - begin, &scratch, &buf, &other, &groups);
                          if (!groups.empty()) {
                            local.push_back({tender_of[bid_rows[begin]], std::move(groups)});
                            groups = {};
                          }
                        }
                      });
    std::vector<Hit> hits;
    for (auto& local : found) {
      for (Hit& h : local) hits.push_back(std::move(h));
    }
    // Tenders in key order so output is deterministic.
    std::sort(hits.begin(), hits.end(),
              [&](const Hit& x, const Hit& y) { return s.str(x.tender) < s.str(y.tender); });

    // The first tenders row of each tender found.
    CodeTable hit_index(hits.size());
    for (size_t i = 0; i < hits.size(); ++i)
      hit_index.Insert(hits[i].tender, static_cast<uint32_t>(i));
    std::vector<int64_t> tender_row(hits.size(), kNoRow);
    const auto& tender_id = t.col("tender_id").codes;
    for (size_t r = 0; r < t.size(); ++r) {
      uint32_t i = hit_index.Find(tender_id[r]);
      if (i != CodeTable::kAbsent && tender_row[i] == kNoRow)
        tender_row[i] = static_cast<int64_t>(r);
    }

    std::vector<std::string> evcols = kBidEvidence;
    for (const SharedAttr& a : attrs) evcols.push_back(a.column);
    std::vector<Finding> findings(hits.size());
    tbb::parallel_for(size_t{0}, hits.size(), [&](size_t i) {
      const Hit& h = hits[i];
      std::vector<std::string> shared;  // "联系电话(A、B)"
      std::set<uint32_t> involved;      // bid rows
      std::set<uint32_t> firms;         // bidder codes
      for (const SharedGroup& g : h.groups) {
        std::string names;
        for (uint32_t r : g.rows) {
          names += (names.empty() ? "" : "、") + BidderName(s, b, r);
          involved.insert(r);
          firms.insert(bidder[r]);
        }
        shared.push_back(std::string(attrs[g.attr].zh) + "相同（" + names + "）");
      }
      const std::string id(s.str(h.tender));
      Finding& f = findings[i];
      f.identity = id;
      if (tender_row[i] != kNoRow) {
        const auto tr = static_cast<size_t>(tender_row[i]);
        f.subject = TenderSubject(s, t, tr);
        f.amount_fen = AwardFen(t, tr);
        f.evidence.push_back(MakeEvidence(s, t, tr, kTenderEvidence));
      } else {
        f.subject = {"tenders", id, id};
      }
      for (uint32_t r : involved) f.evidence.push_back(MakeEvidence(s, b, r, evcols));
      f.score = ScaleScore(70, static_cast<double>(shared.size()), 3);
      std::string what;
      for (const std::string& x : shared) what += (what.empty() ? "" : "；") + x;
      f.summary =
          "项目" +
          (tender_row[i] == kNoRow ? id : TenderText(s, t, static_cast<size_t>(tender_row[i]))) +
          "中" + std::to_string(firms.size()) + "家投标人信息雷同：" + what;
    });
    for (Finding& f : findings) out->push_back(std::move(f));
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// identical_bids — two or more bids of one tender with the same amount (OCP R028).

std::unique_ptr<Model> IdenticalBids() {
  ModelInfo info;
  info.id = "identical_bids";
  info.name_zh = "投标报价完全相同";
  info.name_en = "Identical bid prices in one tender";
  info.family = "procurement";
  info.detects = "同一项目中两家及以上投标人的报价精确到分完全相同。";
  info.basis =
      "招标投标法实施条例第40条：不同投标人的投标文件异常一致或者投标报价呈规律性差异的，"
      "视为串通投标。独立编制的报价精确到分相同几乎不可能出于巧合（OCP 红旗 R028）。";
  info.severity = Severity::kHigh;
  info.inputs = {{"tenders", kTenderColumns}, {"bids", kBidColumns}};
  info.params = {{"min_equal", "2", "报价相同的最少投标人数", "minimum number of equal bids"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("tenders");
    const Table& b = s.at("bids");
    const size_t min_equal = static_cast<size_t>(std::max<int64_t>(2, ctx.params.Int("min_equal")));
    RowIndex bids_by_tender(b, "tender_id");
    const auto& amt = b.col("bid_amount").ints;
    const auto& bidder = b.col("bidder_credit_code").codes;
    for (size_t tr = 0; tr < t.size(); ++tr) {
      const auto& rows = bids_by_tender.rows(t.key_code(tr));
      if (rows.size() < min_equal) continue;
      std::vector<uint32_t> bids = SortedBids(b, rows);
      std::vector<std::vector<uint32_t>> groups;
      for (size_t i = 0; i < bids.size();) {
        size_t j = i;
        while (j < bids.size() && amt[bids[j]] == amt[bids[i]]) ++j;
        std::set<uint32_t> firms;
        for (size_t k = i; k < j; ++k) firms.insert(bidder[bids[k]]);
        if (amt[bids[i]] != kNull && amt[bids[i]] > 0 && firms.size() >= min_equal) {
          groups.emplace_back(bids.begin() + static_cast<long>(i),
                              bids.begin() + static_cast<long>(j));
        }
        i = j;
      }
      if (groups.empty()) continue;
      Finding f;
      f.identity = std::string(s.key(t, tr));
      f.subject = TenderSubject(s, t, tr);
      f.amount_fen = AwardFen(t, tr);
      f.evidence.push_back(MakeEvidence(s, t, tr, kTenderEvidence));
      std::string what;
      size_t equal = 0;
      for (const auto& g : groups) {
        std::string names;
        for (uint32_t r : g) {
          names += (names.empty() ? "" : "、") + BidderName(s, b, r);
          f.evidence.push_back(MakeEvidence(s, b, r, kBidEvidence));
        }
        equal += g.size();
        what += (what.empty() ? "" : "；") + names + "报价均为" + Yuan(amt[g[0]]) + "元";
      }
      f.score = ScaleScore(75, static_cast<double>(equal - 2), 2);
      f.summary = "项目" + TenderText(s, t, tr) + "共" + std::to_string(bids.size()) +
                  "家投标，其中" + what;
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// arithmetic_bids — bids in arithmetic (equal gaps) or geometric (equal
// ratios) progression.

struct Progression {
  std::vector<uint32_t> rows;  // bid rows, ascending amounts
  bool ratio = false;          // equal ratios rather than equal gaps
  int64_t gap = 0;             // first step (fen)
  double factor = 0;           // common ratio, for equal ratios
};

// The coarsest power of ten (in fen) every amount is a multiple of: bids
// rounded to 100 yuan make equal gaps far likelier by chance.
int64_t RoundingUnit(const std::vector<int64_t>& amounts) {
  int64_t unit = 1;
  while (unit < int64_t{1000000000000}) {
    bool all = true;
    for (int64_t a : amounts) all = all && a % (unit * 10) == 0;
    if (!all) break;
    unit *= 10;
  }
  return unit;
}

// Maximal runs (≥ 3) of consecutive ascending amounts with equal positive
// gaps (each within `gap_tol` fen of the first) or in geometric progression
// (each within `ratio_tol` fen of the geometric sequence through the run's
// ends: amounts ×1.02 cannot be exact in fen, they are rounded).
std::vector<Progression> FindRuns(const std::vector<uint32_t>& rows,
                                  const std::vector<int64_t>& amt, int64_t gap_tol,
                                  int64_t ratio_tol) {
  std::vector<Progression> out;
  const size_t n = rows.size();
  auto a = [&](size_t i) { return amt[rows[i]]; };
  // Geometric fit of rows[i..j] through its ends.
  auto geometric = [&](size_t i, size_t j, double* factor) {
    double r = std::pow(static_cast<double>(a(j)) / static_cast<double>(a(i)),
                        1.0 / static_cast<double>(j - i));
    *factor = r;
    for (size_t m = i + 1; m < j; ++m) {
      double want = static_cast<double>(a(i)) * std::pow(r, static_cast<double>(m - i));
      if (std::fabs(static_cast<double>(a(m)) - want) > static_cast<double>(ratio_tol) + 0.5) {
        return false;
      }
    }
    return true;
  };
  for (int kind = 0; kind < 2; ++kind) {
    size_t i = 0;
    while (i + 2 < n) {
      if (a(i) <= 0 || a(i + 1) <= a(i)) {
        ++i;
        continue;
      }
      const int64_t gap = a(i + 1) - a(i);
      double factor = 0;
      size_t j = i + 1;  // last index in the run
      while (j + 1 < n && a(j + 1) > a(j)) {
        double f = 0;
        bool ok =
            kind == 0 ? std::llabs((a(j + 1) - a(j)) - gap) <= gap_tol : geometric(i, j + 1, &f);
        if (!ok) break;
        factor = f;
        ++j;
      }
      if (j - i + 1 >= 3) {
        Progression p;
        p.rows.assign(rows.begin() + static_cast<long>(i), rows.begin() + static_cast<long>(j + 1));
        p.ratio = kind == 1;
        p.gap = gap;
        p.factor = factor;
        out.push_back(std::move(p));
        i = j;
      } else {
        ++i;
      }
    }
  }
  return out;
}

std::unique_ptr<Model> ArithmeticBids() {
  ModelInfo info;
  info.id = "arithmetic_bids";
  info.name_zh = "投标报价呈规律性差异";
  info.name_en = "Bid prices in a regular progression";
  info.family = "procurement";
  info.detects =
      "同一项目的报价构成等差数列（间隔精确到分相等）或等比数列：连续至少4个报价；或全部报价、"
      "中标人以外的全部报价（至少3个）且按报价取整程度不可能是巧合。";
  info.basis =
      "招标投标法实施条例第40条第（五）项：不同投标人的投标报价呈规律性差异的，"
      "视为投标人相互串通投标。独立报价的间隔精确相等几乎不会偶然出现；报价取整到百元、"
      "千元时巧合概率上升，故只有3个报价时按取整单位与间隔之比估计巧合概率，低于设定值才预警。";
  info.severity = Severity::kHigh;
  info.inputs = {{"tenders", kTenderColumns}, {"bids", kBidColumns}};
  info.params = {
      {"min_bids", "3", "全部报价或陪标报价构成数列时的最少报价数",
       "minimum bids when all bids (or all losing bids) form the progression"},
      {"min_run_subset", "4", "连续构成数列即预警的报价数（不论是否全部报价）",
       "a run of this many bids is flagged whatever the other bids"},
      {"gap_tolerance_yuan", "0", "等差判断的容差（元，0为精确到分）",
       "tolerance on equal gaps (yuan; 0 = exact to the fen)"},
      {"ratio_tolerance_yuan", "1", "等比判断时报价与等比序列的容差（元，容许取整到元）",
       "tolerance of each bid from the geometric sequence (yuan; allows rounding to the yuan)"},
      {"max_chance", "0.001", "较短数列（少于连续4个）允许的巧合概率上限",
       "largest chance of coincidence accepted for a short progression"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("tenders");
    const Table& b = s.at("bids");
    const size_t min_bids = static_cast<size_t>(std::max<int64_t>(3, ctx.params.Int("min_bids")));
    const size_t min_run =
        static_cast<size_t>(std::max<int64_t>(3, ctx.params.Int("min_run_subset")));
    const int64_t gap_tol = ctx.params.Fen("gap_tolerance_yuan");
    const int64_t ratio_tol = ctx.params.Fen("ratio_tolerance_yuan");
    const double max_chance = ctx.params.Number("max_chance");
    RowIndex bids_by_tender(b, "tender_id");
    const auto& amt = b.col("bid_amount").ints;
    // Chance that a progression of this length arises from honestly rounded
    // bids: each extra term must land on one value out of gap / unit.
    auto chance = [&](const Progression& p) {
      std::vector<int64_t> v;
      for (uint32_t r : p.rows) v.push_back(amt[r]);
      double unit =
          static_cast<double>(std::max(RoundingUnit(v), 2 * (p.ratio ? ratio_tol : gap_tol) + 1));
      double one = std::min(1.0, unit / static_cast<double>(p.gap));
      return std::pow(one, static_cast<double>(p.rows.size() - 2));
    };
    for (size_t tr = 0; tr < t.size(); ++tr) {
      const auto& rows = bids_by_tender.rows(t.key_code(tr));
      if (rows.size() < 3) continue;
      std::vector<uint32_t> bids = SortedBids(b, rows);
      bool any_null = false;
      for (uint32_t r : bids) any_null |= amt[r] == kNull;
      if (any_null) continue;
      int64_t win = WinnerBid(t, tr, b, bids);
      std::vector<uint32_t> losers;
      for (uint32_t r : bids) {
        if (static_cast<int64_t>(r) != win) losers.push_back(r);
      }
      // The longest qualifying progression, the whole field first.
      Progression best;
      std::string scope;
      auto consider = [&](const std::vector<Progression>& runs, size_t field, bool losers_scope) {
        for (const Progression& p : runs) {
          bool whole = p.rows.size() == field;
          bool ok = p.rows.size() >= min_run ||
                    (whole && p.rows.size() >= min_bids && chance(p) <= max_chance);
          if (!ok || p.rows.size() <= best.rows.size()) continue;
          best = p;
          scope = whole ? (losers_scope ? "中标人以外的全部" : "全部") +
                              std::to_string(p.rows.size()) + "个报价"
                        : "其中" + std::to_string(p.rows.size()) + "个报价";
        }
      };
      consider(FindRuns(bids, amt, gap_tol, ratio_tol), bids.size(), false);
      if (win != kNoRow && losers.size() >= 3) {
        consider(FindRuns(losers, amt, gap_tol, ratio_tol), losers.size(), true);
      }
      if (best.rows.empty()) continue;
      Finding f;
      f.identity = std::string(s.key(t, tr));
      f.subject = TenderSubject(s, t, tr);
      f.amount_fen = AwardFen(t, tr);
      f.evidence.push_back(MakeEvidence(s, t, tr, kTenderEvidence));
      std::string list;
      for (uint32_t r : best.rows) {
        f.evidence.push_back(MakeEvidence(s, b, r, kBidEvidence));
        list += (list.empty() ? "" : "、") + Yuan(amt[r]);
      }
      f.score = ScaleScore(75, static_cast<double>(best.rows.size() - 3), 3);
      f.summary = "项目" + TenderText(s, t, tr) + "共" + std::to_string(bids.size()) + "家投标，" +
                  scope +
                  (best.ratio ? "呈等比数列（公比" + Num(best.factor, 4) + "）"
                              : "呈等差数列（公差" + Yuan(best.gap) + "元）") +
                  "：" + list + "元";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// bid_price_screen — Imhof / Huber & Imhof screens on the bids of a tender.

struct Screens {
  size_t tender_row = 0;
  std::vector<uint32_t> bids;  // ascending
  double cv = NAN, kurt = NAN, skew = NAN, diffp = NAN, rd = NAN, spd = NAN;
};

double SampleSd(const std::vector<double>& x) {
  if (x.size() < 2) return NAN;
  double m = std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(x.size() - 1));
}

Screens ComputeScreens(const std::vector<double>& x) {
  Screens sc;
  const double n = static_cast<double>(x.size());
  double m = std::accumulate(x.begin(), x.end(), 0.0) / n;
  double sd = SampleSd(x);
  sc.cv = m > 0 ? sd / m : NAN;
  sc.spd = x.front() > 0 ? (x.back() - x.front()) / x.front() : NAN;
  sc.diffp = x.front() > 0 ? (x[1] - x[0]) / x[0] : NAN;
  std::vector<double> losing(x.begin() + 1, x.end());
  double sdl = SampleSd(losing);
  sc.rd = sdl > 0 ? (x[1] - x[0]) / sdl : (x[1] > x[0] ? INFINITY : NAN);
  if (sd > 0 && n >= 4) {
    double s3 = 0, s4 = 0;
    for (double v : x) {
      double z = (v - m) / sd;
      s3 += z * z * z;
      s4 += z * z * z * z;
    }
    // Bias-corrected sample skewness and excess kurtosis, as in Imhof (2017).
    sc.skew = n / ((n - 1) * (n - 2)) * s3;
    sc.kurt = n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * s4 -
              3 * (n - 1) * (n - 1) / ((n - 2) * (n - 3));
  }
  return sc;
}

// Q1 and Q3 (linear interpolation) of the finite values.
std::pair<double, double> Quartiles(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  if (v.empty()) return {NAN, NAN};
  std::sort(v.begin(), v.end());
  auto q = [&](double p) {
    double pos = p * static_cast<double>(v.size() - 1);
    size_t lo = static_cast<size_t>(std::floor(pos));
    size_t hi = std::min(lo + 1, v.size() - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - static_cast<double>(lo));
  };
  return {q(0.25), q(0.75)};
}

std::unique_ptr<Model> BidPriceScreen() {
  ModelInfo info;
  info.id = "bid_price_screen";
  info.name_zh = "投标报价统计筛查异常（围标特征）";
  info.name_en = "Bid price screens (Imhof): collusive price pattern";
  info.family = "procurement";
  info.detects =
      "对投标数不少于4家的项目计算报价变异系数、峰度、偏度、DIFFP、RD、极差率："
      "变异系数低于阈值（默认1%）或低于全部项目的数据驱动下界（Q1−1.5·IQR）的项目；"
      "其余指标及其界限（Q1−1.5·IQR / Q3+1.5·IQR）一并列为证据，也可设置为多项指标同时越界即预警。";
  info.basis =
      "招标投标法实施条例第40条（报价异常一致视为串通投标）；"
      "竞争经济学的报价筛查方法（Imhof 2017；Huber & Imhof 2019）："
      "串通时报价离散度低（变异系数小）、峰度高、偏度为负、陪标价格聚集于中标价之上（RD > 1）。"
      "无官方阈值，采用可设置的阈值与数据驱动的界限，与开放合同伙伴关系红旗工具做法一致。";
  info.severity = Severity::kMedium;
  info.inputs = {{"tenders", kTenderColumns}, {"bids", kBidColumns}};
  info.params = {
      {"min_bids", "4", "参与筛查的最少投标数", "minimum bids for the screens"},
      {"cv_cutoff", "0.01", "变异系数低于此值即预警（0为不用）", "flag when CV is below (0 = off)"},
      {"cv_fence", "1", "变异系数低于全部项目的数据驱动下界（Q1−k·IQR）也预警（1是，0否）",
       "also flag CV below the data-driven lower fence Q1 − k·IQR (1 on, 0 off)"},
      {"fence_k", "1.5", "数据驱动界限的IQR倍数", "IQR multiple of the data-driven fences"},
      {"min_fence_screens", "0",
       "峰度、偏度、DIFFP、RD、极差率中越过数据驱动界限的指标数达到此数即预警（0为不用）",
       "flag when this many of kurtosis, skewness, DIFFP, RD, spread are beyond their fences (0 = "
       "off)"},
      {"min_fence_tenders", "30", "计算数据驱动界限所需的最少项目数",
       "minimum tenders to compute the fences from"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("tenders");
    const Table& b = s.at("bids");
    const size_t min_bids = static_cast<size_t>(std::max<int64_t>(4, ctx.params.Int("min_bids")));
    const double cv_cut = ctx.params.Number("cv_cutoff");
    const bool cv_fence = ctx.params.Int("cv_fence") != 0;
    const double k = ctx.params.Number("fence_k");
    const int64_t min_fence = ctx.params.Int("min_fence_screens");
    const size_t min_tenders = static_cast<size_t>(ctx.params.Int("min_fence_tenders"));
    RowIndex bids_by_tender(b, "tender_id");
    const auto& amt = b.col("bid_amount").ints;
    std::vector<Screens> all;
    for (size_t tr = 0; tr < t.size(); ++tr) {
      const auto& rows = bids_by_tender.rows(t.key_code(tr));
      if (rows.size() < min_bids) continue;
      std::vector<uint32_t> bids = SortedBids(b, rows);
      std::vector<double> x;
      for (uint32_t r : bids) {
        if (amt[r] != kNull && amt[r] > 0) x.push_back(static_cast<double>(amt[r]));
      }
      if (x.size() < min_bids) continue;
      Screens sc = ComputeScreens(x);
      sc.tender_row = tr;
      sc.bids = std::move(bids);
      all.push_back(std::move(sc));
    }
    // Data-driven fences over the tenders, in the collusive direction of each
    // screen. On their own the other screens' fences flag honest extremes (a
    // winner far below the rest), so by default they are evidence, not triggers.
    struct Fence {
      const char* zh;
      const char* en;
      double Screens::*field;
      bool low;  // collusive when low (else when high)
      double limit = NAN;
    };
    std::vector<Fence> fences = {
        {"变异系数", "cv", &Screens::cv, true},     {"峰度", "kurtosis", &Screens::kurt, false},
        {"偏度", "skewness", &Screens::skew, true}, {"DIFFP", "diffp", &Screens::diffp, false},
        {"RD", "rd", &Screens::rd, false},          {"极差率", "spread", &Screens::spd, true}};
    if (all.size() >= min_tenders) {
      for (Fence& fe : fences) {
        std::vector<double> v;
        v.reserve(all.size());
        for (const Screens& sc : all) v.push_back(sc.*(fe.field));
        auto [q1, q3] = Quartiles(std::move(v));
        fe.limit = fe.low ? q1 - k * (q3 - q1) : q3 + k * (q3 - q1);
      }
    }
    const double cv_limit = fences[0].limit;
    for (const Screens& sc : all) {
      std::vector<std::string> beyond;  // screens other than CV beyond their fences
      for (size_t i = 1; i < fences.size(); ++i) {
        const Fence& fe = fences[i];
        double v = sc.*(fe.field);
        if (std::isnan(fe.limit) || std::isnan(v)) continue;
        if (fe.low ? v < fe.limit : v > fe.limit) beyond.push_back(fe.zh);
      }
      bool low_cv = cv_cut > 0 && !std::isnan(sc.cv) && sc.cv < cv_cut;
      bool fenced_cv = cv_fence && !std::isnan(cv_limit) && !std::isnan(sc.cv) && sc.cv < cv_limit;
      bool fenced = min_fence > 0 && static_cast<int64_t>(beyond.size()) >= min_fence;
      if (!low_cv && !fenced_cv && !fenced) continue;
      const size_t tr = sc.tender_row;
      Finding f;
      f.identity = std::string(s.key(t, tr));
      f.subject = TenderSubject(s, t, tr);
      f.amount_fen = AwardFen(t, tr);
      Evidence te = MakeEvidence(s, t, tr, kTenderEvidence);
      te.fields.emplace_back("bids", std::to_string(sc.bids.size()));
      for (const Fence& fe : fences) {
        double v = sc.*(fe.field);
        bool pct =
            fe.field == &Screens::cv || fe.field == &Screens::diffp || fe.field == &Screens::spd;
        te.fields.emplace_back(fe.en, pct && std::isfinite(v) ? Pct(v, 3) : Num(v));
        if (!std::isnan(fe.limit)) {
          te.fields.emplace_back(
              std::string("fence_") + fe.en,
              std::string(fe.low ? "< " : "> ") + (pct ? Pct(fe.limit, 3) : Num(fe.limit, 3)));
        }
      }
      f.evidence.push_back(std::move(te));
      for (uint32_t r : sc.bids) f.evidence.push_back(MakeEvidence(s, b, r, kBidEvidence));
      double ref = cv_cut > 0 ? cv_cut : cv_limit;
      double excess = (low_cv || fenced_cv) && ref > 0 ? (ref - sc.cv) / ref : 0;
      f.score = ScaleScore(60, excess + static_cast<double>(beyond.size()) / 5.0, 1.0);
      std::string why;
      if (low_cv || fenced_cv) {
        why = "变异系数仅" + Pct(sc.cv, 2) + "（";
        if (cv_cut > 0) why += "阈值" + Pct(cv_cut, 2);
        if (!std::isnan(cv_limit))
          why += std::string(cv_cut > 0 ? "，" : "") + "全部项目下界" + Pct(cv_limit, 2);
        why += "）";
      }
      if (!beyond.empty()) {
        std::string list;
        for (const std::string& x : beyond) list += (list.empty() ? "" : "、") + x;
        why += std::string(why.empty() ? "" : "，") + list + "越过全部项目的数据驱动界限";
      }
      f.summary = "项目" + TenderText(s, t, tr) + "的" + std::to_string(sc.bids.size()) +
                  "个投标报价" + why + "（峰度" + Num(sc.kurt, 2) + "，偏度" + Num(sc.skew, 2) +
                  "，DIFFP " + Pct(sc.diffp, 2) + "，RD " + Num(sc.rd, 2) +
                  "），报价异常聚集，疑似串通投标";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// bid_rotation — a recurring group of firms bids together for one buyer and
// takes turns to win.

struct Triple {
  uint32_t a, b, c;
  bool operator==(const Triple& o) const { return a == o.a && b == o.b && c == o.c; }
};
struct TripleHash {
  size_t operator()(const Triple& t) const {
    uint64_t h = t.a * 0x9E3779B97F4A7C15ull;
    h ^= (t.b + 0x632BE59BD9B4E019ull + (h << 6) + (h >> 2));
    h ^= (t.c + 0x85157AF5ull + (h << 6) + (h >> 2));
    return static_cast<size_t>(h);
  }
};

std::unique_ptr<Model> BidRotation() {
  ModelInfo info;
  info.id = "bid_rotation";
  info.name_zh = "围标轮流坐庄";
  info.name_en = "Bid rotation among a recurring group of bidders";
  info.family = "procurement";
  info.detects =
      "同一采购人的多个项目中，同一组（至少3家）企业反复共同投标（至少4次），且中标人在组内轮换。";
  info.basis =
      "招标投标法实施条例第39条：投标人之间约定中标人、约定部分投标人放弃投标或者中标，"
      "属于串通投标。固定圈子反复陪标、轮流中标（轮流坐庄）是围标的典型形态。";
  info.severity = Severity::kHigh;
  info.inputs = {{"tenders", kTenderColumns}, {"bids", kBidColumns}};
  info.params = {{"min_firms", "3", "圈子最少企业数", "minimum firms in the group"},
                 {"min_tenders", "4", "共同投标且由组内企业中标的最少项目数",
                  "minimum tenders bid together and won by the group"},
                 {"min_winners", "2", "组内不同中标企业的最少数量（轮流中标）",
                  "minimum distinct winners within the group"},
                 {"max_bidders", "30", "投标人数超过此数的项目不参与组合枚举",
                  "tenders with more bidders are not enumerated"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("tenders");
    const Table& b = s.at("bids");
    const size_t min_firms = static_cast<size_t>(std::max<int64_t>(3, ctx.params.Int("min_firms")));
    const size_t min_tenders =
        static_cast<size_t>(std::max<int64_t>(2, ctx.params.Int("min_tenders")));
    const size_t min_winners =
        static_cast<size_t>(std::max<int64_t>(1, ctx.params.Int("min_winners")));
    const size_t max_bidders = static_cast<size_t>(ctx.params.Int("max_bidders"));
    TenderCodes codes(s);
    RowIndex bids_by_tender(b, "tender_id");
    const auto& bidder = b.col("bidder_credit_code").codes;
    const auto& winner = t.col("winner_credit_code").codes;
    OrgNames orgs(s);
    // Awarded tenders with bids, by buyer.
    std::map<uint32_t, std::vector<uint32_t>> by_buyer;
    for (size_t r = 0; r < t.size(); ++r) {
      if (!codes.Awarded(t, r) || winner[r] == kNoString) continue;
      if (bids_by_tender.rows(t.key_code(r)).size() < 3) continue;
      uint32_t buyer = orgs.Key(t.col("buyer_org").codes[r]);
      if (buyer != 0) by_buyer[buyer].push_back(static_cast<uint32_t>(r));
    }
    for (auto& [buyer, tenders] : by_buyer) {
      if (tenders.size() < min_tenders) continue;
      std::sort(tenders.begin(), tenders.end(),
                [&](uint32_t x, uint32_t y) { return s.key(t, x) < s.key(t, y); });
      // Bidder sets, and every triple of co-bidders with its tenders.
      std::vector<std::vector<uint32_t>> sets(tenders.size());
      std::unordered_map<Triple, std::vector<uint32_t>, TripleHash> triples;
      for (size_t i = 0; i < tenders.size(); ++i) {
        auto& v = sets[i];
        for (uint32_t r : bids_by_tender.rows(t.key_code(tenders[i]))) v.push_back(bidder[r]);
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
        if (v.size() < 3 || v.size() > max_bidders) continue;
        for (size_t x = 0; x < v.size(); ++x) {
          for (size_t y = x + 1; y < v.size(); ++y) {
            for (size_t z = y + 1; z < v.size(); ++z) {
              triples[{v[x], v[y], v[z]}].push_back(static_cast<uint32_t>(i));
            }
          }
        }
      }
      std::vector<std::pair<Triple, std::vector<uint32_t>>> frequent;
      for (auto& [tri, list] : triples) {
        if (list.size() >= min_tenders) frequent.emplace_back(tri, std::move(list));
      }
      if (frequent.empty()) continue;
      std::sort(frequent.begin(), frequent.end(), [](const auto& x, const auto& y) {
        return std::tie(x.first.a, x.first.b, x.first.c) <
               std::tie(y.first.a, y.first.b, y.first.c);
      });
      // Triples sharing two firms belong to one group (a ring of four gives
      // four frequent triples).
      std::vector<size_t> parent(frequent.size());
      std::iota(parent.begin(), parent.end(), 0);
      std::function<size_t(size_t)> find = [&](size_t x) {
        return parent[x] == x ? x : parent[x] = find(parent[x]);
      };
      for (size_t x = 0; x < frequent.size(); ++x) {
        for (size_t y = x + 1; y < frequent.size(); ++y) {
          const Triple& p = frequent[x].first;
          const Triple& q = frequent[y].first;
          int common = 0;
          for (uint32_t m : {p.a, p.b, p.c}) common += (m == q.a || m == q.b || m == q.c);
          if (common >= 2) parent[find(x)] = find(y);
        }
      }
      std::map<size_t, std::pair<std::set<uint32_t>, std::set<uint32_t>>> groups;  // firms, tenders
      for (size_t x = 0; x < frequent.size(); ++x) {
        auto& g = groups[find(x)];
        const Triple& p = frequent[x].first;
        g.first.insert({p.a, p.b, p.c});
        g.second.insert(frequent[x].second.begin(), frequent[x].second.end());
      }
      for (auto& [root, g] : groups) {
        const std::set<uint32_t>& firms = g.first;
        if (firms.size() < min_firms) continue;
        // The tenders the group won; tenders won by someone else are not the ring's.
        std::vector<uint32_t> won;
        std::map<uint32_t, int> wins;
        for (uint32_t i : g.second) {
          uint32_t w = winner[tenders[i]];
          if (!firms.count(w)) continue;
          won.push_back(tenders[i]);
          ++wins[w];
        }
        if (won.size() < min_tenders || wins.size() < min_winners) continue;
        std::sort(won.begin(), won.end(),
                  [&](uint32_t x, uint32_t y) { return DecisionDay(t, x) < DecisionDay(t, y); });
        Finding f;
        std::string buyer_name = Str(s, t.col("buyer_org").codes[won[0]]);
        f.identity = buyer_name;
        for (uint32_t c : firms) f.identity += "|" + Str(s, c);
        // Names from the bids; the firm with most wins is the subject.
        std::map<uint32_t, std::string> names;
        int64_t total = 0;
        std::vector<uint32_t> ev_bids;
        for (uint32_t tr : won) {
          total += AwardFen(t, tr);
          for (uint32_t r : bids_by_tender.rows(t.key_code(tr))) {
            if (!firms.count(bidder[r])) continue;
            names[bidder[r]] = BidderName(s, b, r);
            ev_bids.push_back(r);
          }
        }
        uint32_t top = wins.begin()->first;
        for (const auto& [c, n] : wins) {
          if (n > wins[top]) top = c;
        }
        f.subject = {"companies", Str(s, top), names[top]};
        f.amount_fen = total;
        f.score =
            ScaleScore(70, static_cast<double>(won.size() - min_tenders + wins.size() - 1), 6);
        std::string seq;
        for (uint32_t tr : won) {
          f.evidence.push_back(MakeEvidence(s, t, tr, kTenderEvidence));
          seq += (seq.empty() ? "" : "→") + names[winner[tr]];
        }
        for (uint32_t r : ev_bids) f.evidence.push_back(MakeEvidence(s, b, r, kBidEvidence));
        std::string members;
        for (uint32_t c : firms) members += (members.empty() ? "" : "、") + names[c];
        f.summary = members + "等" + std::to_string(firms.size()) + "家企业在" + buyer_name + "的" +
                    std::to_string(won.size()) + "个项目中反复共同投标，由" +
                    std::to_string(wins.size()) + "家轮流中标（" + seq + "），中标金额合计" +
                    Yuan(total) + "元";
        out->push_back(std::move(f));
      }
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// new_company_large_award — a new company with little capital wins big.

std::unique_ptr<Model> NewCompanyLargeAward() {
  ModelInfo info;
  info.id = "new_company_large_award";
  info.name_zh = "新设小微企业中标大额项目";
  info.name_en = "Newly founded low-capital company wins a large award";
  info.family = "procurement";
  info.detects = "中标人成立不足一年、注册资本不超过100万元，却中标200万元以上的项目。";
  info.basis =
      "政府采购法第22条要求供应商具有履行合同所必需的设备和专业技术能力、良好的商业信誉；"
      "成立不久、资本微薄的企业中标数百万元项目，常见于“萝卜招标”、"
      "借壳投标或为关联人设立的空壳公司。";
  info.severity = Severity::kMedium;
  info.inputs = {{"tenders", kTenderColumns},
                 {"companies",
                  {"credit_code", "name", "legal_rep_name", "registered_capital",
                   "established_date", "status"}}};
  info.params = {
      {"max_age_days", "365", "成立不足此天数（至授标日）", "company younger than (days at award)"},
      {"max_capital_yuan", "1000000", "注册资本不超过（元）", "registered capital at most (yuan)"},
      {"min_award_yuan", "2000000", "中标金额不低于（元）", "award amount at least (yuan)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("tenders");
    const Table& c = s.at("companies");
    const int64_t max_age = ctx.params.Int("max_age_days");
    const int64_t max_cap = ctx.params.Fen("max_capital_yuan");
    const int64_t min_award = ctx.params.Fen("min_award_yuan");
    TenderCodes codes(s);
    RowIndex company_by_code(c, "credit_code");
    const auto& winner = t.col("winner_credit_code").codes;
    const auto& est = c.col("established_date").ints;
    const auto& cap = c.col("registered_capital").ints;
    for (size_t r = 0; r < t.size(); ++r) {
      if (winner[r] == kNoString || !codes.Awarded(t, r)) continue;
      int64_t award = AwardFen(t, r);
      if (award < min_award) continue;
      const auto& crows = company_by_code.rows(winner[r]);
      if (crows.empty()) continue;
      uint32_t cr = crows[0];
      if (est[cr] == kNull || cap[cr] == kNull || cap[cr] > max_cap) continue;
      int64_t day = DecisionDay(t, r);
      if (day == kNull) continue;
      int64_t age = day - est[cr];
      if (age >= max_age) continue;
      Finding f;
      f.identity = std::string(s.key(t, r));
      f.subject = {"companies", Str(s, winner[r]), Str(s, c.col("name").codes[cr])};
      f.amount_fen = award;
      f.score = ScaleScore(60,
                           static_cast<double>(max_age - age) / static_cast<double>(max_age) +
                               static_cast<double>(award) / static_cast<double>(min_award) - 1,
                           2);
      f.evidence.push_back(MakeEvidence(s, t, r, kTenderEvidence));
      f.evidence.push_back(MakeEvidence(s, c, cr,
                                        {"credit_code", "name", "legal_rep_name",
                                         "registered_capital", "established_date", "status"}));
      f.summary = Str(s, c.col("name").codes[cr]) + "成立于" + DayText(est[cr]) + "，注册资本" +
                  Yuan(cap[cr]) + "元，" +
                  (age >= 0 ? "成立仅" + std::to_string(age) + "天"
                            : "成立前" + std::to_string(-age) + "天") +
                  "即于" + DayText(day) + "中标" + Str(s, t.col("buyer_org").codes[r]) + "项目" +
                  TenderText(s, t, r) + "，中标金额" + Yuan(award) + "元";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// split_tender — one purchase split into non-open tenders under the threshold.

std::unique_ptr<Model> SplitTender() {
  ModelInfo info;
  info.id = "split_tender";
  info.name_zh = "化整为零规避公开招标";
  info.name_en = "Purchase split to stay under the open-tender threshold";
  info.family = "procurement";
  info.detects =
      "同一采购人同一年度同一品目在90天内以非公开招标方式多次采购，每次均低于公开招标数额标准，"
      "合计达到或超过该标准。";
  info.basis =
      "政府采购法第28条、招标投标法第4条：不得将应当以公开招标方式采购的货物或者服务化整为零或者以"
      "其他任何方式规避公开招标；公开招标数额标准：货物、服务200万元（国办发〔2019〕55号），"
      "工程400万元（发改委令第16号），各地可另定。";
  info.severity = Severity::kHigh;
  info.inputs = {{"tenders", kTenderColumns}};
  info.params = {{"goods_threshold_yuan", "2000000", "货物公开招标数额标准（元）",
                  "goods open-tender threshold (yuan)"},
                 {"services_threshold_yuan", "2000000", "服务公开招标数额标准（元）",
                  "services open-tender threshold (yuan)"},
                 {"works_threshold_yuan", "4000000", "工程公开招标数额标准（元）",
                  "works open-tender threshold (yuan)"},
                 {"window_days", "90", "拆分采购的时间窗口（天）", "window of the parts (days)"},
                 {"min_parts", "2", "最少拆分次数", "minimum number of parts"},
                 {"open_methods", "公开招标", "公开招标方式（不计入拆分）",
                  "open methods (not counted as parts)"},
                 {"failed_statuses", "流标,废标", "不计入的项目状态（重新采购不是拆分）",
                  "statuses not counted (a re-tender is not a split)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("tenders");
    const int64_t goods = ctx.params.Fen("goods_threshold_yuan");
    const int64_t services = ctx.params.Fen("services_threshold_yuan");
    const int64_t works = ctx.params.Fen("works_threshold_yuan");
    const int64_t window = ctx.params.Int("window_days");
    const size_t min_parts = static_cast<size_t>(std::max<int64_t>(2, ctx.params.Int("min_parts")));
    const auto open = CodeSet(s, ctx.params.List("open_methods"));
    const auto failed = CodeSet(s, ctx.params.List("failed_statuses"));
    const auto& method = t.col("method").codes;
    const auto& status = t.col("status").codes;
    const auto& item = t.col("item_code").codes;
    const auto& publish = t.col("publish_date").ints;
    const auto& budget = t.col("budget_amount").ints;
    OrgNames orgs(s);
    auto value = [&](size_t r) { return budget[r] != kNull ? budget[r] : AwardFen(t, r); };
    // (buyer, item, year) → non-open tenders under their threshold.
    std::map<std::tuple<uint32_t, uint32_t, int>, std::vector<uint32_t>> groups;
    for (size_t r = 0; r < t.size(); ++r) {
      if (open.count(method[r]) || failed.count(status[r]) || item[r] == kNoString ||
          publish[r] == kNull) {
        continue;
      }
      int64_t v = value(r);
      if (v <= 0 || v >= ThresholdFen(s, t, r, goods, works, services)) continue;
      uint32_t buyer = orgs.Key(t.col("buyer_org").codes[r]);
      if (buyer == 0) continue;
      groups[{buyer, item[r], CivilFromDays(publish[r]).year}].push_back(static_cast<uint32_t>(r));
    }
    for (auto& [key, rows] : groups) {
      if (rows.size() < min_parts) continue;
      std::sort(rows.begin(), rows.end(), [&](uint32_t x, uint32_t y) {
        if (publish[x] != publish[y]) return publish[x] < publish[y];
        return s.key(t, x) < s.key(t, y);
      });
      // Mark every tender inside some window of ≤ window_days whose parts
      // reach the threshold, then report each connected cluster once.
      const size_t n = rows.size();
      std::vector<uint8_t> hit(n, 0);
      std::vector<int64_t> thr(n);
      for (size_t i = 0; i < n; ++i) thr[i] = ThresholdFen(s, t, rows[i], goods, works, services);
      for (size_t i = 0; i < n; ++i) {
        int64_t sum = 0;
        int64_t need = 0;
        for (size_t j = i; j < n && publish[rows[j]] - publish[rows[i]] <= window; ++j) {
          sum += value(rows[j]);
          need = std::max(need, thr[j]);
          need = std::max(need, thr[i]);
          if (j - i + 1 >= min_parts && sum >= need) {
            for (size_t m = i; m <= j; ++m) hit[m] = 1;
          }
        }
      }
      for (size_t i = 0; i < n;) {
        if (!hit[i]) {
          ++i;
          continue;
        }
        size_t j = i;
        while (j + 1 < n && hit[j + 1] && publish[rows[j + 1]] - publish[rows[j]] <= window) ++j;
        std::vector<uint32_t> parts(rows.begin() + static_cast<long>(i),
                                    rows.begin() + static_cast<long>(j + 1));
        i = j + 1;
        if (parts.size() < min_parts) continue;
        int64_t total = 0, need = 0;
        for (uint32_t r : parts) {
          total += value(r);
          need = std::max(need, ThresholdFen(s, t, r, goods, works, services));
        }
        Finding f;
        f.identity = std::string(s.key(t, parts[0]));
        f.subject = {"tenders", std::string(s.key(t, parts[0])),
                     Str(s, t.col("title").codes[parts[0]])};
        f.amount_fen = total;
        f.score = ScaleScore(65,
                             static_cast<double>(total - need) / static_cast<double>(need) +
                                 static_cast<double>(parts.size() - 2) / 2,
                             1.5);
        std::string list;
        for (uint32_t r : parts) {
          f.evidence.push_back(MakeEvidence(s, t, r, kTenderEvidence));
          list += (list.empty() ? "" : "；") + DayText(publish[r]) + Str(s, method[r]) +
                  TenderText(s, t, r) + Yuan(value(r)) + "元";
        }
        int64_t days = publish[parts.back()] - publish[parts.front()];
        f.summary = Str(s, t.col("buyer_org").codes[parts[0]]) + std::to_string(std::get<2>(key)) +
                    "年在" + std::to_string(days) + "天内以非公开招标方式分" +
                    std::to_string(parts.size()) + "次采购同一品目（" + Str(s, std::get<1>(key)) +
                    "），每次均低于公开招标数额标准" + Yuan(need) + "元，合计" + Yuan(total) +
                    "元：" + list;
        out->push_back(std::move(f));
      }
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// contract_inflation — the settled amount far above the contract.

std::unique_ptr<Model> ContractInflation() {
  ModelInfo info;
  info.id = "contract_inflation";
  info.name_zh = "合同结算金额大幅超出合同金额";
  info.name_en = "Contract settled far above its amount";
  info.family = "procurement";
  info.detects = "合同结算金额达到合同金额的1.3倍及以上。";
  info.basis =
      "政府采购法实施条例第67条、政府采购法第49条：追加采购金额不得超过原合同采购金额的百分之十；"
      "工程结算大幅超出合同价，常见于低价中标、事后变更追加（“低中高结”）输送利益。";
  info.severity = Severity::kMedium;
  info.inputs = {{"contracts",
                  {"contract_id", "tender_id", "buyer_org", "supplier_credit_code", "amount",
                   "sign_date", "final_amount", "change_count"}},
                 {"tenders", kTenderColumns}};
  info.params = {{"ratio", "1.3", "结算金额/合同金额达到此倍数即预警",
                  "flag when final/amount reaches this ratio"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& c = s.at("contracts");
    const Table& t = s.at("tenders");
    const double ratio = ctx.params.Number("ratio");
    // The ratio in ten-thousandths, so the comparison is exact integer arithmetic.
    const int64_t ratio_e4 = std::llround(ratio * 10000);
    RowIndex tender_by_id(t, "tender_id");
    const auto& amount = c.col("amount").ints;
    const auto& final_amount = c.col("final_amount").ints;
    const auto& changes = c.col("change_count").ints;
    for (size_t r = 0; r < c.size(); ++r) {
      if (amount[r] == kNull || amount[r] <= 0 || final_amount[r] == kNull) continue;
      // final ≥ ratio × amount, without overflow for amounts below ~9e14 fen.
      if (static_cast<__int128>(final_amount[r]) * 10000 <
          static_cast<__int128>(amount[r]) * ratio_e4) {
        continue;
      }
      double x = static_cast<double>(final_amount[r]) / static_cast<double>(amount[r]);
      Finding f;
      f.identity = std::string(s.key(c, r));
      f.subject = {"contracts", std::string(s.key(c, r)),
                   Str(s, c.col("buyer_org").codes[r]) + "合同" + std::string(s.key(c, r))};
      f.amount_fen = final_amount[r] - amount[r];
      f.score = ScaleScore(60, x - ratio, 1.0);
      f.evidence.push_back(MakeEvidence(s, c, r,
                                        {"tender_id", "buyer_org", "supplier_credit_code", "amount",
                                         "sign_date", "final_amount", "change_count"}));
      std::string tender_text;
      if (uint32_t tid = c.col("tender_id").codes[r]; tid != kNoString) {
        const auto& trows = tender_by_id.rows(tid);
        if (!trows.empty()) {
          f.evidence.push_back(MakeEvidence(s, t, trows[0], kTenderEvidence));
          tender_text = "（项目" + TenderText(s, t, trows[0]) + "）";
        }
      }
      char times[32];
      std::snprintf(times, sizeof times, "%.2f", x);
      std::string change = changes[r] == kNull ? "未记录变更次数"
                           : changes[r] == 0   ? "却未记录任何合同变更"
                                             : "合同变更" + std::to_string(changes[r]) + "次";
      f.summary = Str(s, c.col("buyer_org").codes[r]) + "于" + DayText(c.col("sign_date").ints[r]) +
                  "签订的合同" + std::string(s.key(c, r)) + tender_text + "合同金额" +
                  Yuan(amount[r]) + "元，结算金额" + Yuan(final_amount[r]) + "元，为合同金额的" +
                  times + "倍，" + change;
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// winner_linked_to_leader — the winner is held by a leader of the buyer or by
// a leader's declared relative.

std::unique_ptr<Model> WinnerLinkedToLeader() {
  ModelInfo info;
  info.id = "winner_linked_to_leader";
  info.name_zh = "中标企业与采购单位领导干部存在利益关联";
  info.name_en = "Winner held by a leader of the buyer or a leader's relative";
  info.family = "procurement";
  info.detects =
      "中标企业的法定代表人或股东是采购单位的在任领导干部本人，"
      "或其在个人有关事项报告中申报的亲属。";
  info.basis =
      "政府采购法第12条、政府采购法实施条例第9条：采购人员及相关人员与供应商有利害关系（配偶、"
      "直系血亲、三代以内旁系血亲及近姻亲，或与供应商的法定代表人、股东有上述关系）的必须回避；"
      "《中国共产党纪律处分条例》禁止领导干部利用职权为配偶、子女及其配偶等亲属经营活动谋取利益。";
  info.severity = Severity::kHigh;
  info.inputs = {{"tenders", kTenderColumns}, {"bids", kBidColumns}};
  AddInputs(&info.inputs, CompanyHolders::Inputs());
  AddInputs(&info.inputs, Officials::Inputs());
  AddInputs(&info.inputs, Relatives::Inputs());
  info.params = {{"relations", "配偶,子女,父母,兄弟姐妹,子女配偶,其他", "纳入比对的申报亲属关系",
                  "declared relations taken into account"},
                 {"leaders_only", "1", "仅比对领导干部（1是，0否）",
                  "only leaders of the buyer (1) or all its officials (0)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("tenders");
    const Table& b = s.at("bids");
    const auto relations = CodeSet(s, ctx.params.List("relations"));
    const bool leaders_only = ctx.params.Int("leaders_only") != 0;
    TenderCodes codes(s);
    CompanyHolders holders(s);
    Officials officials(s);
    Relatives relatives(s);
    OrgNames orgs(s);
    const Table& ot = officials.table();
    const Table& rt = relatives.table();
    RowIndex bids_by_tender(b, "tender_id");
    const auto& winner = t.col("winner_credit_code").codes;
    const auto& relation = rt.col("relation").codes;
    // A post of `person` at `buyer` on `day` that counts; kNoRow if none.
    auto post_at = [&](uint32_t person, uint32_t buyer, int64_t day) -> int64_t {
      for (uint32_t r : officials.RowsOf(person)) {
        if (orgs.Key(ot.col("org").codes[r]) != buyer) continue;
        if (leaders_only && !officials.IsLeader(r)) continue;
        if (officials.InPostOn(r, day)) return r;
      }
      return kNoRow;
    };
    for (size_t tr = 0; tr < t.size(); ++tr) {
      if (winner[tr] == kNoString || !codes.Awarded(t, tr)) continue;
      int64_t crow = holders.CompanyRow(winner[tr]);
      if (crow == kNoRow) continue;
      uint32_t buyer = orgs.Key(t.col("buyer_org").codes[tr]);
      if (buyer == 0) continue;
      int64_t day = DecisionDay(t, tr);
      if (day == kNull) continue;
      struct Link {
        Holding holding;
        int64_t official_row;
        int64_t relative_row;  // kNoRow: the leader himself
      };
      std::vector<Link> links;
      for (const Holding& h : holders.ByCompany(static_cast<uint32_t>(crow))) {
        if (!CompanyHolders::ActiveOn(h, day)) continue;
        if (int64_t o = post_at(h.holder, buyer, day); o != kNoRow) links.push_back({h, o, kNoRow});
        for (uint32_t rr : relatives.OfRelative(h.holder)) {
          if (!relations.count(relation[rr])) continue;
          if (int64_t o = post_at(relatives.Official(rr), buyer, day); o != kNoRow) {
            links.push_back({h, o, rr});
          }
        }
      }
      if (links.empty()) continue;
      Finding f;
      f.identity = std::string(s.key(t, tr));
      f.subject = TenderSubject(s, t, tr);
      f.amount_fen = AwardFen(t, tr);
      f.score = links[0].relative_row == kNoRow ? 90 : 80;
      f.evidence.push_back(MakeEvidence(s, t, tr, kTenderEvidence));
      const auto& bids = bids_by_tender.rows(t.key_code(tr));
      if (int64_t wb = WinnerBid(t, tr, b, bids); wb != kNoRow) {
        f.evidence.push_back(MakeEvidence(s, b, static_cast<size_t>(wb), kBidEvidence));
      }
      std::string company(holders.CompanyName(static_cast<uint32_t>(crow)));
      std::string what;
      std::set<std::pair<std::string, std::string>> seen;
      auto add = [&](Evidence e) {
        if (seen.insert({e.dataset, e.key}).second) f.evidence.push_back(std::move(e));
      };
      for (const Link& l : links) {
        std::vector<Evidence> ev;
        holders.AppendEvidence(l.holding, &ev);
        for (Evidence& e : ev) add(std::move(e));
        add(MakeEvidence(s, ot, static_cast<size_t>(l.official_row), Officials::EvidenceColumns()));
        std::string leader = MaskedName(officials.Name(static_cast<uint32_t>(l.official_row)));
        std::string pos = Str(s, ot.col("position").codes[static_cast<size_t>(l.official_row)]);
        std::string role = CompanyHolders::RoleText(l.holding);
        if (l.relative_row == kNoRow) {
          what += (what.empty() ? "" : "；") + role + "为该单位领导干部" + leader +
                  (pos.empty() ? "" : "（" + pos + "）") + "本人";
        } else {
          add(MakeEvidence(s, rt, static_cast<size_t>(l.relative_row),
                           Relatives::EvidenceColumns()));
          std::string rel_name =
              Str(s, rt.col("relative_name").codes[static_cast<size_t>(l.relative_row)]);
          what += (what.empty() ? "" : "；") + role + MaskedName(rel_name) + "是该单位领导干部" +
                  leader + (pos.empty() ? "" : "（" + pos + "）") + "申报的" +
                  std::string(relatives.Relation(static_cast<uint32_t>(l.relative_row)));
        }
      }
      f.summary = company + "于" + DayText(day) + "中标" + Str(s, t.col("buyer_org").codes[tr]) +
                  "项目" + TenderText(s, t, tr) + "，中标金额" + Yuan(f.amount_fen) + "元；该企业" +
                  what;
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

}  // namespace

void RegisterProcurementModels(ModelList* out) {
  out->push_back(SingleBid());
  out->push_back(ShortBiddingPeriod());
  out->push_back(BiddersShareAttribute());
  out->push_back(IdenticalBids());
  out->push_back(ArithmeticBids());
  out->push_back(BidPriceScreen());
  out->push_back(BidRotation());
  out->push_back(NewCompanyLargeAward());
  out->push_back(SplitTender());
  out->push_back(ContractInflation());
  out->push_back(WinnerLinkedToLeader());
}

}  // namespace qf::models
