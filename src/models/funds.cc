// Family: funds (财政资金). Treasury payments checked against their budget
// lines, against each other (duplicates, split payments), against the company
// register (deregistered or brand-new payees), against officials and deaths
// (payments into officials' accounts, salaries to the dead), and as a whole
// (year-end surges, first-digit distribution).
//
// The payments table is the largest input (3.4M rows at scale 100), so every
// model here is one or two linear passes plus sorts of row numbers; groups are
// walked with two pointers, never compared pairwise.
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <numeric>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "common/time.h"
#include "ingest/identifiers.h"
#include "models/common.h"
#include "models/families.h"

namespace qf::models {

namespace {

using namespace engine;

// ---------------------------------------------------------------------------
// Shared pieces.

// The payments columns the family reads and shows (the key is the voucher no.).
const std::vector<std::string>& PaymentColumns() {
  static const std::vector<std::string> kCols = {
      "pay_date",      "org",    "budget_id", "payee_name", "payee_party",
      "payee_account", "amount", "purpose",   "invoice_no", "economic_class"};
  return kCols;
}

Input PaymentsInput() { return {"payments", PaymentColumns()}; }

Input BudgetsInput() {
  return {"budgets",
          {"budget_id", "year", "org", "project_code", "project_name", "economic_class", "amount"}};
}

const std::vector<std::string>& BudgetColumns() {
  static const std::vector<std::string> kCols = {
      "year", "org", "project_code", "project_name", "economic_class", "amount"};
  return kCols;
}

// Typed access to the payments columns.
struct Payments {
  explicit Payments(const Snapshot& s)
      : t(s.at("payments")),
        day(t.col("pay_date").ints),
        org(t.col("org").codes),
        budget(t.col("budget_id").codes),
        payee_name(t.col("payee_name").codes),
        party(t.col("payee_party").codes),
        account(t.col("payee_account").codes),
        amount(t.col("amount").ints),
        invoice(t.col("invoice_no").codes),
        cls(t.col("economic_class").codes) {}

  // Who was paid: the payee's ID number or credit code, else the name on the voucher.
  uint32_t Payee(size_t r) const { return party[r] != kNoString ? party[r] : payee_name[r]; }
  int64_t Amount(size_t r) const { return amount[r] == kNull ? 0 : amount[r]; }

  const Table& t;
  const std::vector<int64_t>& day;
  const std::vector<uint32_t>& org;
  const std::vector<uint32_t>& budget;
  const std::vector<uint32_t>& payee_name;
  const std::vector<uint32_t>& party;
  const std::vector<uint32_t>& account;
  const std::vector<int64_t>& amount;
  const std::vector<uint32_t>& invoice;
  const std::vector<uint32_t>& cls;
};

Evidence PaymentEvidence(const Snapshot& s, const Payments& p, size_t r) {
  return MakeEvidence(s, p.t, r, PaymentColumns());
}

// Fewer fields for findings that cite many payments of one org (a budget
// line, a month, a digit distribution): at scale 100 they cite hundreds each.
Evidence BriefPaymentEvidence(const Snapshot& s, const Payments& p, size_t r) {
  static const std::vector<std::string> kCols = {"pay_date", "payee_name", "amount", "purpose",
                                                 "economic_class"};
  return MakeEvidence(s, p.t, r, kCols);
}

// An 18-character number with a valid GB 11643 check digit: a person (a
// credit code of digits only almost never passes).
bool IsPersonId(std::string_view s) {
  if (s.size() != 18) return false;
  for (size_t i = 0; i < 17; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return IdNumberCheckChar(s.substr(0, 17)) == s[17];
}

// The payee as a summary names it: persons masked, organisations in full.
std::string PayeeText(const Snapshot& s, const Payments& p, size_t r) {
  std::string name(s.str(p.payee_name[r]));
  if (p.party[r] != kNoString && IsPersonId(s.str(p.party[r]))) return MaskedName(name);
  return name.empty() ? std::string(s.str(p.party[r])) : name;
}

// Economic classes (支出经济分类) by their usual names, for summaries.
std::string ClassText(std::string_view code) {
  static const std::map<std::string, std::string, std::less<>> kNames = {
      {"30101", "基本工资"},
      {"30102", "津贴补贴"},
      {"30103", "奖金"},
      {"30107", "绩效工资"},
      {"30199", "其他工资福利支出"},
      {"30201", "办公费"},
      {"30202", "印刷费"},
      {"30205", "水费"},
      {"30206", "电费"},
      {"30207", "邮电费"},
      {"30209", "物业管理费"},
      {"30211", "差旅费"},
      {"30212", "因公出国(境)费用"},
      {"30213", "维修(护)费"},
      {"30214", "租赁费"},
      {"30215", "会议费"},
      {"30216", "培训费"},
      {"30217", "公务接待费"},
      {"30218", "专用材料费"},
      {"30226", "劳务费"},
      {"30227", "委托业务费"},
      {"30228", "工会经费"},
      {"30229", "福利费"},
      {"30231", "公务用车运行维护费"},
      {"30239", "其他交通费用"},
      {"30299", "其他商品和服务支出"},
      {"30301", "离休费"},
      {"30302", "退休费"},
      {"30305", "生活补助"},
      {"31002", "办公设备购置"},
      {"31003", "专用设备购置"},
      {"31005", "基础设施建设"},
      {"31007", "信息网络及软件购置更新"},
  };
  if (code.empty()) return "未列经济分类";
  auto it = kNames.find(code);
  if (it == kNames.end()) return "经济分类" + std::string(code);
  return it->second + "(" + std::string(code) + ")";
}

// Whether an economic class is personnel spending (工资福利 301xx, 对个人和
// 家庭的补助 303xx by default), by prefix; cached per pool code.
class PersonnelClasses {
 public:
  PersonnelClasses(const Snapshot& s, std::vector<std::string> prefixes)
      : snap_(&s), prefixes_(std::move(prefixes)) {}
  bool Is(uint32_t code) {
    if (code == kNoString) return false;
    auto it = cache_.find(code);
    if (it != cache_.end()) return it->second;
    std::string_view c = snap_->str(code);
    bool yes = std::any_of(prefixes_.begin(), prefixes_.end(),
                           [&](const std::string& p) { return c.substr(0, p.size()) == p; });
    cache_.emplace(code, yes);
    return yes;
  }

 private:
  const Snapshot* snap_;
  std::vector<std::string> prefixes_;
  std::unordered_map<uint32_t, bool> cache_;
};

const ParamDef kPersonnelParam = {"personnel_class_prefixes", "301,303",
                                  "人员支出经济分类前缀（工资福利、对个人和家庭的补助）",
                                  "economic class prefixes of personnel spending"};

// Organisation key (normalised name) per payments row, computed once.
std::vector<uint32_t> OrgKeys(const std::vector<uint32_t>& codes, OrgNames* names) {
  std::vector<uint32_t> out(codes.size());
  // Few distinct org names among millions of payments: a flat table that
  // stays in the L1 cache answers nearly every row.
  CodeTable cache(256);
  for (size_t r = 0; r < codes.size(); ++r) {
    if (codes[r] == kNoString) continue;  // out[r] = 0, as OrgNames gives an empty name
    uint32_t key = cache.Find(codes[r]);
    if (key == CodeTable::kAbsent) {
      key = names->Key(codes[r]);
      cache.Insert(codes[r], key);
    }
    out[r] = key;
  }
  return out;
}

int YearOf(int64_t day) { return CivilFromDays(day).year; }

std::string Percent(double ratio, int decimals = 1) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f%%", decimals, ratio * 100.0);
  return buf;
}

std::string Fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// "2023-06-05支付2,772.81元、2023-06-25支付2,772.81元" for up to `max` rows.
std::string PaymentList(const Payments& p, const std::vector<uint32_t>& rows, size_t max = 5) {
  std::string out;
  for (size_t i = 0; i < rows.size() && i < max; ++i) {
    if (i) out += "、";
    out += DayText(p.day[rows[i]]) + "支付" + Yuan(p.Amount(rows[i])) + "元";
  }
  if (rows.size() > max) out += "等";
  return out;
}

void SortByDay(const Snapshot& s, const Payments& p, std::vector<uint32_t>* rows) {
  std::sort(rows->begin(), rows->end(), [&](uint32_t a, uint32_t b) {
    if (p.day[a] != p.day[b]) return p.day[a] < p.day[b];
    return s.key(p.t, a) < s.key(p.t, b);
  });
}

int64_t SumAmounts(const Payments& p, const std::vector<uint32_t>& rows) {
  int64_t sum = 0;
  for (uint32_t r : rows) sum += p.Amount(r);
  return sum;
}

// A computed table (a distribution, monthly totals) shown with the records.
Evidence AnalysisEvidence(std::string key, std::vector<std::pair<std::string, std::string>> f) {
  Evidence e;
  e.dataset = "analysis";
  e.key = std::move(key);
  e.fields = std::move(f);
  return e;
}

// ---------------------------------------------------------------------------
// duplicate_payment

struct DisjointSets {
  explicit DisjointSets(size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  uint32_t Find(uint32_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  }
  void Union(uint32_t a, uint32_t b) {
    a = Find(a);
    b = Find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  }
  std::vector<uint32_t> parent;
};

// A row's place in BucketSorted: a key of two words, then an order among
// equal keys (high 32 bits) and the row (low 32 bits).
struct KeyedRow {
  uint64_t key_hi;
  uint64_t key_lo;
  uint64_t order;
  uint32_t row() const { return static_cast<uint32_t>(order); }
  bool SameKey(const KeyedRow& o) const { return key_hi == o.key_hi && key_lo == o.key_lo; }
  bool operator<(const KeyedRow& o) const {
    if (key_hi != o.key_hi) return key_hi < o.key_hi;
    return key_lo != o.key_lo ? key_lo < o.key_lo : order < o.order;
  }
};

uint64_t Mix64(uint64_t x) {  // the splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Groups rows of equal key without sorting them all: `make(r, &e)` gives row
// r's entry (false: skip the row); entries are scattered into 1024 buckets by
// a hash of the key, and each bucket — a few thousand entries, which fit in
// the cache — is sorted by (key, order) on its own, on every core.
// `visit(begin, end)` then sees each bucket, equal keys adjacent; it runs on
// several threads at once. A sort of millions of rows spent most of the time
// of duplicate_payment.
template <typename Make, typename Visit>
void BucketSorted(size_t n, const Make& make, const Visit& visit) {
  constexpr int kBits = 10;
  constexpr size_t kBuckets = size_t{1} << kBits;
  const size_t chunks = std::max<size_t>(1, std::min<size_t>(64, n / 65536));
  auto chunk_begin = [&](size_t c) { return n * c / chunks; };
  auto bucket_of = [](const KeyedRow& e) {
    return static_cast<size_t>(Mix64(e.key_hi ^ Mix64(e.key_lo)) >> (64 - kBits));
  };
  // Count per chunk and bucket, then scatter each chunk to its own slots.
  std::vector<uint32_t> count(chunks * kBuckets, 0);
  tbb::parallel_for(size_t{0}, chunks, [&](size_t c) {
    uint32_t* cnt = count.data() + c * kBuckets;
    KeyedRow e;
    for (size_t r = chunk_begin(c); r < chunk_begin(c + 1); ++r) {
      if (make(r, &e)) ++cnt[bucket_of(e)];
    }
  });
  std::vector<size_t> start(chunks * kBuckets), bucket_start(kBuckets + 1, 0);
  size_t at = 0;
  for (size_t b = 0; b < kBuckets; ++b) {
    bucket_start[b] = at;
    for (size_t c = 0; c < chunks; ++c) {
      start[c * kBuckets + b] = at;
      at += count[c * kBuckets + b];
    }
  }
  bucket_start[kBuckets] = at;
  // Not value-initialised: every slot is written by the scatter below.
  std::unique_ptr<KeyedRow[]> entries(new KeyedRow[at]);
  tbb::parallel_for(size_t{0}, chunks, [&](size_t c) {
    size_t* next = start.data() + c * kBuckets;
    KeyedRow e;
    for (size_t r = chunk_begin(c); r < chunk_begin(c + 1); ++r) {
      if (make(r, &e)) entries[next[bucket_of(e)]++] = e;
    }
  });
  tbb::parallel_for(size_t{0}, kBuckets, [&](size_t b) {
    KeyedRow* begin = entries.get() + bucket_start[b];
    KeyedRow* end = entries.get() + bucket_start[b + 1];
    std::sort(begin, end);
    visit(begin, end);
  });
}

// 重复支付: one invoice paid twice, or the same org paying the same payee the
// same amount on the same day on two vouchers. Linked payments form one finding.
std::unique_ptr<Model> DuplicatePayment() {
  ModelInfo info;
  info.id = "duplicate_payment";
  info.name_zh = "重复支付";
  info.name_en = "Duplicate payments";
  info.family = "funds";
  info.detects =
      "同一发票号码被支付两次以上，或同一单位在同一天以两张凭证向同一收款人支付相同金额。";
  info.basis =
      "财务舞弊筛查的基本方法（重复发票、重复金额、重复收款人）；一张发票只能报销一次，"
      "重复支付造成财政资金损失，也常是虚报冒领的痕迹。";
  info.severity = Severity::kHigh;
  info.inputs = {PaymentsInput()};
  info.params = {{"max_days_apart", "0", "同额同收款人视为重复的最大间隔天数（0=同一天）",
                  "days apart within which same org, payee and amount count as a duplicate"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Payments p(s);
    const int64_t max_gap = ctx.params.Int("max_days_apart");
    const size_t n = p.t.size();
    OrgNames names(s);
    std::vector<uint32_t> org = OrgKeys(p.org, &names);
    std::vector<uint8_t> by_invoice(n, 0), by_day(n, 0);
    // The two rules run side by side, each collecting the pairs of payments
    // it links; the pairs are joined afterwards (a set's root is its smallest
    // row whatever the order of the unions, so the findings do not change).
    std::vector<std::pair<uint32_t, uint32_t>> invoice_pairs, day_pairs;

    // The same invoice number on two vouchers. Invoice numbers are pool
    // codes, nearly all seen once: a bitmap over the pool finds the few seen
    // twice in one pass (codes are interned in row order, so the bitmap is
    // read almost sequentially), and only their payments are sorted.
    auto same_invoice = [&] {
      std::vector<uint64_t> seen((s.pool().size() + 63) / 64, 0);
      CodeTable repeated;
      for (size_t r = 0; r < n; ++r) {
        const uint32_t c = p.invoice[r];
        if (c == kNoString) continue;
        uint64_t& word = seen[c >> 6];
        const uint64_t bit = uint64_t{1} << (c & 63);
        if (word & bit) repeated.Insert(c, 0);
        word |= bit;
      }
      std::vector<uint64_t> keyed;  // (invoice, row) of the repeated invoices
      for (size_t r = 0; r < n; ++r) {
        if (repeated.contains(p.invoice[r])) keyed.push_back((uint64_t{p.invoice[r]} << 32) | r);
      }
      std::sort(keyed.begin(), keyed.end());
      for (size_t i = 1; i < keyed.size(); ++i) {
        if ((keyed[i] >> 32) != (keyed[i - 1] >> 32)) continue;
        auto a = static_cast<uint32_t>(keyed[i - 1]), b = static_cast<uint32_t>(keyed[i]);
        invoice_pairs.emplace_back(a, b);
        by_invoice[a] = by_invoice[b] = 1;
      }
    };

    // The same org, payee and amount on the same day (or within max_gap
    // days): entries keyed by (org, payee, amount), ordered by day.
    auto same_day = [&] {
      auto eligible = [&](size_t r) {
        return p.amount[r] != kNull && p.amount[r] > 0 && p.day[r] != kNull;
      };
      // Day numbers of stored dates (years 0000–9999) are within ±2^22, so
      // a day shifted by 2^31 fits the order's 32 bits.
      constexpr int64_t kDayShift = int64_t{1} << 31;
      tbb::enumerable_thread_specific<std::vector<std::pair<uint32_t, uint32_t>>> pairs;
      BucketSorted(
          n,
          [&](size_t r, KeyedRow* e) {
            if (!eligible(r)) return false;
            *e = {(uint64_t{org[r]} << 32) | p.Payee(r), static_cast<uint64_t>(p.amount[r]),
                  (static_cast<uint64_t>(p.day[r] + kDayShift) << 32) | r};
            return true;
          },
          [&](auto begin, auto end) {
            auto& local = pairs.local();
            for (auto it = begin; it != end && it + 1 != end; ++it) {
              if (!it[0].SameKey(it[1])) continue;
              if (static_cast<int64_t>(it[1].order >> 32) -
                      static_cast<int64_t>(it[0].order >> 32) >
                  max_gap) {
                continue;
              }
              const uint32_t a = it[0].row(), b = it[1].row();
              local.emplace_back(a, b);
              by_day[a] = by_day[b] = 1;
            }
          });
      for (const auto& local : pairs) day_pairs.insert(day_pairs.end(), local.begin(), local.end());
    };
    tbb::parallel_invoke(same_invoice, same_day);
    DisjointSets sets(n);
    for (const auto& [a, b] : invoice_pairs) sets.Union(a, b);
    for (const auto& [a, b] : day_pairs) sets.Union(a, b);

    std::unordered_map<uint32_t, std::vector<uint32_t>> groups;
    for (uint32_t r = 0; r < n; ++r) {
      if (by_invoice[r] || by_day[r]) groups[sets.Find(r)].push_back(r);
    }
    for (auto& [root, g] : groups) {
      if (g.size() < 2) continue;
      SortByDay(s, p, &g);
      const uint32_t first = g[0];
      bool invoice = std::any_of(g.begin(), g.end(), [&](uint32_t r) { return by_invoice[r]; });
      bool day = std::any_of(g.begin(), g.end(), [&](uint32_t r) { return by_day[r]; });
      std::vector<std::string> why;
      if (invoice) {
        uint32_t inv = kNoString;
        for (uint32_t r : g) {
          if (by_invoice[r]) {
            inv = p.invoice[r];
            break;
          }
        }
        why.push_back("发票号码" + std::string(s.str(inv)) + "重复");
      }
      if (day)
        why.push_back(max_gap == 0 ? "同日同额同收款人"
                                   : "同额同收款人且间隔不超过" + std::to_string(max_gap) + "天");
      int64_t excess = SumAmounts(p, g) - p.Amount(first);
      Finding f;
      f.identity = std::string(s.key(p.t, first));
      f.subject = {"payments", f.identity, std::string(s.str(p.payee_name[first]))};
      f.amount_fen = excess;
      f.score = ScaleScore(65, static_cast<double>(excess) / 100.0, 200000);
      for (uint32_t r : g) f.evidence.push_back(PaymentEvidence(s, p, r));
      std::string reason = why[0] + (why.size() > 1 ? "，" + why[1] : "");
      f.summary = std::string(s.str(p.org[first])) + "向" + PayeeText(s, p, first) + "的" +
                  std::to_string(g.size()) + "笔支付疑似重复（" + reason + "）：" +
                  PaymentList(p, g) + "，重复支付" + Yuan(excess) + "元";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// split_payment

// 化整为零: several payments of one org to one payee in one economic class
// within a few days, each under the approval threshold, together at or above it.
std::unique_ptr<Model> SplitPayment() {
  ModelInfo info;
  info.id = "split_payment";
  info.name_zh = "拆分支付规避审批";
  info.name_en = "Split payments under the approval threshold";
  info.family = "funds";
  info.detects =
      "同一单位在7天内向同一收款人、同一经济分类支付2笔以上，每笔均低于审批限额而合计达到限额。";
  info.basis =
      "化整为零、拆分支付以规避审批或采购程序是明令禁止的（政府采购法第四十一条、"
      "各地财政资金支付审批办法）；审批限额由各地规定，默认10万元。";
  info.severity = Severity::kHigh;
  info.inputs = {PaymentsInput()};
  info.params = {{"threshold_yuan", "100000", "审批限额（元）", "approval threshold (yuan)"},
                 {"window_days", "7", "拆分各笔最早与最晚之间的最大天数",
                  "days between the first and last part"},
                 {"min_parts", "2", "最少笔数", "minimum number of parts"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Payments p(s);
    const int64_t threshold = ctx.params.Fen("threshold_yuan");
    const int64_t window = ctx.params.Int("window_days");
    const size_t min_parts = static_cast<size_t>(std::max<int64_t>(2, ctx.params.Int("min_parts")));
    OrgNames names(s);
    std::vector<uint32_t> org = OrgKeys(p.org, &names);
    struct Item {
      uint64_t who;   // org key, payee
      uint64_t what;  // economic class, day
      int64_t amount;
      uint32_t row;
    };
    std::vector<Item> items;
    for (uint32_t r = 0; r < p.t.size(); ++r) {
      // Payments at or above the threshold went through approval: not parts.
      if (p.amount[r] == kNull || p.amount[r] <= 0 || p.amount[r] >= threshold ||
          p.day[r] == kNull || p.day[r] < 0) {
        continue;
      }
      // Days since 1970 (payments before it are skipped) pack into 32 bits.
      items.push_back({(uint64_t{org[r]} << 32) | p.Payee(r),
                       (uint64_t{p.cls[r]} << 32) | static_cast<uint32_t>(p.day[r]), p.amount[r],
                       r});
    }
    std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      return std::tie(a.who, a.what, a.row) < std::tie(b.who, b.what, b.row);
    });
    auto same_group = [&](const Item& a, const Item& b) {
      return a.who == b.who && (a.what >> 32) == (b.what >> 32);
    };
    auto day = [](const Item& x) { return static_cast<int64_t>(static_cast<uint32_t>(x.what)); };
    size_t g0 = 0;
    while (g0 < items.size()) {
      size_t g1 = g0 + 1;
      while (g1 < items.size() && same_group(items[g0], items[g1])) ++g1;
      // Within the group (sorted by day): the longest run from each start
      // that stays inside the window; a run reaching the threshold is a split.
      size_t i = g0;
      while (i < g1) {
        size_t j = i;
        int64_t sum = 0;
        while (j < g1 && day(items[j]) - day(items[i]) <= window) sum += items[j++].amount;
        if (j - i < min_parts || sum < threshold) {
          ++i;
          continue;
        }
        std::vector<uint32_t> parts;
        for (size_t k = i; k < j; ++k) parts.push_back(items[k].row);
        SortByDay(s, p, &parts);
        const uint32_t first = parts[0];
        int64_t largest = 0;
        for (uint32_t r : parts) largest = std::max(largest, p.Amount(r));
        int64_t span = p.day[parts.back()] - p.day[first];
        Finding f;
        f.identity = std::string(s.str(p.org[first])) + "|" + std::string(s.str(p.Payee(first))) +
                     "|" + std::string(s.str(p.cls[first])) + "|" + std::string(s.key(p.t, first));
        f.subject = {"payments", std::string(s.key(p.t, first)),
                     std::string(s.str(p.payee_name[first]))};
        f.amount_fen = sum;
        // Closer to the threshold per part and more parts: more deliberate.
        f.score = ScaleScore(
            60, static_cast<double>(parts.size() - 1) + static_cast<double>(largest) / threshold,
            4);
        for (uint32_t r : parts) f.evidence.push_back(PaymentEvidence(s, p, r));
        f.summary =
            std::string(s.str(p.org[first])) +
            (span == 0 ? DayText(p.day[first]) + "当天"
                       : "于" + DayText(p.day[first]) + "至" + DayText(p.day[parts.back()]) + "的" +
                             std::to_string(span + 1) + "天内") +
            "向" + PayeeText(s, p, first) + "分" + std::to_string(parts.size()) + "笔支付" +
            ClassText(s.str(p.cls[first])) + "共" + Yuan(sum) + "元，每笔均低于审批限额" +
            Yuan(threshold) + "元（最大一笔" + Yuan(largest) + "元），合计达到限额";
        out->push_back(std::move(f));
        i = j;
      }
      g0 = g1;
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// Budget lines and the payments that validly draw on them.

// A payment draws on a line when the line exists, belongs to the paying org
// and is of the payment's year.
enum class LineUse { kValid, kBlank, kUnknown, kOtherOrg, kOtherYear };

struct BudgetLines {
  BudgetLines(const Snapshot& s, OrgNames* names)
      : t(s.at("budgets")), by_id(t, "budget_id"), year(t.col("year").ints) {
    const std::vector<uint32_t>& org_codes = t.col("org").codes;
    org.resize(t.size());
    for (size_t r = 0; r < t.size(); ++r) org[r] = names->Key(org_codes[r]);
  }
  // The line's row (or kNoRow) and how the payment uses it.
  std::pair<int64_t, LineUse> Use(const Payments& p, const std::vector<uint32_t>& pay_org,
                                  size_t r) const {
    if (p.budget[r] == kNoString) return {kNoRow, LineUse::kBlank};
    const auto& lines = by_id.rows(p.budget[r]);
    if (lines.empty()) return {kNoRow, LineUse::kUnknown};
    uint32_t line = lines[0];
    if (org[line] != pay_org[r]) return {line, LineUse::kOtherOrg};
    if (year[line] != kNull && p.day[r] != kNull && year[line] != YearOf(p.day[r])) {
      return {line, LineUse::kOtherYear};
    }
    return {line, LineUse::kValid};
  }
  const Table& t;
  RowIndex by_id;
  const std::vector<int64_t>& year;
  std::vector<uint32_t> org;
};

// 超预算支付: the valid payments against a line exceed its amount.
std::unique_ptr<Model> OverBudget() {
  ModelInfo info;
  info.id = "over_budget";
  info.name_zh = "超预算指标支付";
  info.name_en = "Payments beyond the budget line";
  info.family = "funds";
  info.detects = "同一预算指标下的支付累计金额超过指标金额。";
  info.basis =
      "预算法第十三条、第五十七条：各级政府、各部门、各单位的支出必须以经批准的预算为依据，"
      "未列入预算的不得支出；国库集中支付按预算指标控制，超指标支付即为违规。";
  info.severity = Severity::kHigh;
  info.inputs = {PaymentsInput(), BudgetsInput()};
  info.params = {{"tolerance_yuan", "0", "允许超出的金额（元）", "excess tolerated (yuan)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Payments p(s);
    const int64_t tolerance = ctx.params.Fen("tolerance_yuan");
    OrgNames names(s);
    std::vector<uint32_t> org = OrgKeys(p.org, &names);
    BudgetLines lines(s, &names);
    const Table& b = lines.t;
    const std::vector<int64_t>& line_amount = b.col("amount").ints;
    std::vector<int64_t> spent(b.size(), 0);
    std::vector<int64_t> line_of(p.t.size(), kNoRow);
    for (size_t r = 0; r < p.t.size(); ++r) {
      auto [line, use] = lines.Use(p, org, r);
      if (use != LineUse::kValid) continue;
      line_of[r] = line;
      spent[line] += p.Amount(r);
    }
    std::unordered_map<uint32_t, std::vector<uint32_t>> over;
    for (uint32_t l = 0; l < b.size(); ++l) {
      int64_t limit = line_amount[l] == kNull ? 0 : line_amount[l];
      if (spent[l] > limit + tolerance) over[l];
    }
    if (over.empty()) return Status::OK();
    for (uint32_t r = 0; r < p.t.size(); ++r) {
      if (line_of[r] == kNoRow) continue;
      auto it = over.find(static_cast<uint32_t>(line_of[r]));
      if (it != over.end()) it->second.push_back(r);
    }
    for (auto& [l, rows] : over) {
      SortByDay(s, p, &rows);
      const int64_t limit = line_amount[l] == kNull ? 0 : line_amount[l];
      const int64_t excess = spent[l] - limit;
      // The payment with which the running total first passed the line.
      int64_t running = 0;
      uint32_t crossing = rows.back();
      for (uint32_t r : rows) {
        running += p.Amount(r);
        if (running > limit) {
          crossing = r;
          break;
        }
      }
      std::string line_id(s.key(b, l));
      std::string org_name(s.str(b.col("org").codes[l]));
      std::string project(s.str(b.col("project_name").codes[l]));
      Finding f;
      f.identity = line_id;
      f.subject = {"budgets", line_id, org_name};
      f.amount_fen = excess;
      double ratio = limit > 0 ? static_cast<double>(excess) / limit : 1.0;
      f.score = ScaleScore(60, ratio, 0.5);
      f.evidence.push_back(MakeEvidence(s, b, l, BudgetColumns()));
      for (uint32_t r : rows) f.evidence.push_back(BriefPaymentEvidence(s, p, r));
      std::string year = b.col("year").ints[l] == kNull
                             ? std::string()
                             : std::to_string(b.col("year").ints[l]) + "年";
      f.summary = org_name + year + (project.empty() ? "" : "“" + project + "”") + "预算指标" +
                  line_id + "金额" + Yuan(limit) + "元，已支付" + std::to_string(rows.size()) +
                  "笔共" + Yuan(spent[l]) + "元，超出指标" + Yuan(excess) + "元（" +
                  (limit > 0 ? "超" + Percent(ratio) : "指标为零") + "）；自" +
                  DayText(p.day[crossing]) + "支付" + Yuan(p.Amount(crossing)) + "元起累计超出指标";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 无预算支付: no line, a line that does not exist, another org's line or
// another year's line.
std::unique_ptr<Model> PaymentWithoutBudget() {
  ModelInfo info;
  info.id = "payment_without_budget";
  info.name_zh = "无预算指标支付";
  info.name_en = "Payments without a valid budget line";
  info.family = "funds";
  info.detects =
      "支付凭证未填指标文号、指标文号在预算指标中不存在，或使用其他单位、其他年度的预算指标。";
  info.basis =
      "预算法第十三条：未列入预算的不得支出；国库集中支付须依据本单位当年批复的预算指标，"
      "无指标、挪用他单位指标或跨年度使用指标均属违规支付。";
  info.severity = Severity::kHigh;
  info.inputs = {PaymentsInput(), BudgetsInput()};
  info.params = {{"exempt_class_prefixes", "",
                  "不检查的经济分类前缀（如确需豁免人员支出可填301,303；默认全部检查）",
                  "economic class prefixes not checked (default: none)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Payments p(s);
    PersonnelClasses exempt(s, ctx.params.List("exempt_class_prefixes"));
    OrgNames names(s);
    std::vector<uint32_t> org = OrgKeys(p.org, &names);
    BudgetLines lines(s, &names);
    // (org, year, how, budget id) → payments; one finding per group.
    struct Key {
      uint32_t org;
      int year;
      LineUse use;
      uint32_t budget;
      bool operator<(const Key& o) const {
        return std::tie(org, year, use, budget) < std::tie(o.org, o.year, o.use, o.budget);
      }
    };
    std::map<Key, std::pair<int64_t, std::vector<uint32_t>>> groups;
    for (uint32_t r = 0; r < p.t.size(); ++r) {
      auto [line, use] = lines.Use(p, org, r);
      if (use == LineUse::kValid || exempt.Is(p.cls[r])) continue;
      int year = p.day[r] == kNull ? 0 : YearOf(p.day[r]);
      auto& g = groups[{org[r], year, use, p.budget[r]}];
      g.first = line;
      g.second.push_back(r);
    }
    for (auto& [k, g] : groups) {
      auto& rows = g.second;
      SortByDay(s, p, &rows);
      const uint32_t first = rows[0];
      const int64_t total = SumAmounts(p, rows);
      std::string org_name(s.str(p.org[first]));
      std::string budget_id(s.str(k.budget));
      std::string how, tag;
      switch (k.use) {
        case LineUse::kBlank:
          how = "未填写预算指标文号";
          tag = "blank";
          break;
        case LineUse::kUnknown:
          how = "所填指标文号" + budget_id + "在预算指标中不存在";
          tag = "unknown";
          break;
        case LineUse::kOtherOrg:
          how = "使用了" + std::string(s.str(lines.t.col("org").codes[g.first])) + "的预算指标" +
                budget_id;
          tag = "other_org";
          break;
        case LineUse::kOtherYear:
          how = "使用了" + std::to_string(lines.t.col("year").ints[g.first]) + "年度的预算指标" +
                budget_id;
          tag = "other_year";
          break;
        case LineUse::kValid:
          break;
      }
      Finding f;
      f.identity = org_name + "|" + std::to_string(k.year) + "|" + tag + "|" + budget_id;
      f.subject = {"payments", std::string(s.key(p.t, first)), org_name};
      f.amount_fen = total;
      f.score = ScaleScore(60, static_cast<double>(total) / 100.0, 500000);
      if (g.first != kNoRow) {
        f.evidence.push_back(MakeEvidence(s, lines.t, g.first, BudgetColumns()));
      }
      for (uint32_t r : rows) f.evidence.push_back(PaymentEvidence(s, p, r));
      std::string what =
          rows.size() == 1 ? DayText(p.day[first]) + "向" + PayeeText(s, p, first) + "支付" +
                                 ClassText(s.str(p.cls[first])) + Yuan(total) + "元"
                           : std::to_string(k.year) + "年有" + std::to_string(rows.size()) +
                                 "笔支付共" + Yuan(total) + "元（" + PaymentList(p, rows, 3) + "）";
      f.summary = org_name + what + "，" + how + "，属无有效预算指标支付";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// Payees in the company register.

// The companies row of a payment's payee: by credit code, else (no code on
// the voucher) by exact name when the name is unique in the register.
class PayeeCompanies {
 public:
  explicit PayeeCompanies(const Snapshot& s)
      : t_(&s.at("companies")), by_code_(*t_, "credit_code"), by_name_(*t_, "name") {}
  int64_t Row(const Payments& p, size_t r) const {
    if (p.party[r] != kNoString) {
      const auto& rows = by_code_.rows(p.party[r]);
      return rows.empty() ? kNoRow : rows[0];
    }
    const auto& rows = by_name_.rows(p.payee_name[r]);
    return rows.size() == 1 ? rows[0] : kNoRow;
  }
  const Table& table() const { return *t_; }

 private:
  const Table* t_;
  RowIndex by_code_, by_name_;
};

const std::vector<std::string>& CompanyColumns() {
  static const std::vector<std::string> kCols = {
      "credit_code",      "name",   "legal_rep_name", "registered_capital",
      "established_date", "status", "status_date"};
  return kCols;
}

// 向已注销/吊销企业付款.
std::unique_ptr<Model> PayeeDeregistered() {
  ModelInfo info;
  info.id = "payee_deregistered";
  info.name_zh = "向已注销或吊销企业付款";
  info.name_en = "Payments to deregistered companies";
  info.family = "funds";
  info.detects = "收款企业在支付日期之前已注销或被吊销营业执照。";
  info.basis =
      "已注销企业主体资格消灭，被吊销企业不得继续经营；向其付款说明业务真实性存疑，"
      "可能是虚构业务、套取资金或冒名收款（财政资金支付 × 市场主体登记比对）。";
  info.severity = Severity::kHigh;
  info.inputs = {PaymentsInput(), {"companies", CompanyColumns()}};
  info.params = {
      {"statuses", "注销,吊销", "视为已终止的登记状态", "register statuses that end a company"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Payments p(s);
    PayeeCompanies companies(s);
    const Table& c = companies.table();
    std::unordered_set<uint32_t> dead;
    for (const std::string& st : ctx.params.List("statuses")) {
      if (uint32_t code = s.find(st); code != kNoString) dead.insert(code);
    }
    const auto& status = c.col("status").codes;
    const auto& status_date = c.col("status_date").ints;
    OrgNames names(s);
    std::vector<uint32_t> org = OrgKeys(p.org, &names);
    std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>> hits;  // (company, org)
    for (uint32_t r = 0; r < p.t.size(); ++r) {
      if (p.day[r] == kNull) continue;
      int64_t row = companies.Row(p, r);
      if (row == kNoRow || !dead.count(status[row])) continue;
      if (status_date[row] == kNull || status_date[row] >= p.day[r]) continue;
      hits[{static_cast<uint32_t>(row), org[r]}].push_back(r);
    }
    for (auto& [k, rows] : hits) {
      SortByDay(s, p, &rows);
      const uint32_t row = k.first, first = rows[0];
      const int64_t total = SumAmounts(p, rows);
      const int64_t days = p.day[first] - status_date[row];
      std::string company(s.str(c.col("name").codes[row]));
      Finding f;
      f.identity = std::string(s.key(c, row)) + "|" + std::string(s.str(p.org[first]));
      f.subject = {"companies", std::string(s.key(c, row)), company};
      f.amount_fen = total;
      f.score = ScaleScore(70, static_cast<double>(days), 365);
      f.evidence.push_back(MakeEvidence(s, c, row, CompanyColumns()));
      for (uint32_t r : rows) f.evidence.push_back(PaymentEvidence(s, p, r));
      f.summary = company + "已于" + DayText(status_date[row]) + std::string(s.str(status[row])) +
                  "，" + std::string(s.str(p.org[first])) + "此后仍向其支付" +
                  std::to_string(rows.size()) + "笔共" + Yuan(total) + "元（" +
                  PaymentList(p, rows, 3) + "），首笔距" + std::string(s.str(status[row])) +
                  std::to_string(days) + "天";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 向新设立企业大额付款.
std::unique_ptr<Model> PayeeNewlyCreated() {
  ModelInfo info;
  info.id = "payee_newly_created";
  info.name_zh = "向新成立企业大额付款";
  info.name_en = "Large payments to newly created companies";
  info.family = "funds";
  info.detects = "收款企业成立不足90天即收到5万元以上的财政支付。";
  info.basis =
      "“临时注册、专为承接业务而设”的空壳公司是套取财政资金、利益输送的常见手段；"
      "新设企业缺乏履约能力和业绩，大额付款需核实业务真实性及与经办人员的关联。";
  info.severity = Severity::kMedium;
  info.inputs = {PaymentsInput(), {"companies", CompanyColumns()}};
  info.params = {
      {"max_age_days", "90", "成立至付款的最大天数", "days from establishment to payment"},
      {"min_amount_yuan", "50000", "单笔付款下限（元）", "minimum single payment (yuan)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Payments p(s);
    const int64_t max_age = ctx.params.Int("max_age_days");
    const int64_t min_amount = ctx.params.Fen("min_amount_yuan");
    PayeeCompanies companies(s);
    const Table& c = companies.table();
    const auto& established = c.col("established_date").ints;
    OrgNames names(s);
    std::vector<uint32_t> org = OrgKeys(p.org, &names);
    std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>> hits;  // (company, org)
    for (uint32_t r = 0; r < p.t.size(); ++r) {
      if (p.day[r] == kNull || p.amount[r] == kNull || p.amount[r] < min_amount) continue;
      int64_t row = companies.Row(p, r);
      if (row == kNoRow || established[row] == kNull) continue;
      int64_t age = p.day[r] - established[row];
      if (age < 0 || age > max_age) continue;
      hits[{static_cast<uint32_t>(row), org[r]}].push_back(r);
    }
    for (auto& [k, rows] : hits) {
      SortByDay(s, p, &rows);
      const uint32_t row = k.first, first = rows[0];
      const int64_t total = SumAmounts(p, rows);
      const int64_t age = p.day[first] - established[row];
      std::string company(s.str(c.col("name").codes[row]));
      Finding f;
      f.identity = std::string(s.key(c, row)) + "|" + std::string(s.str(p.org[first]));
      f.subject = {"companies", std::string(s.key(c, row)), company};
      f.amount_fen = total;
      f.score = ScaleScore(55,
                           static_cast<double>(max_age - age) / std::max<int64_t>(1, max_age) +
                               static_cast<double>(total) / (20.0 * min_amount),
                           2);
      f.evidence.push_back(MakeEvidence(s, c, row, CompanyColumns()));
      for (uint32_t r : rows) f.evidence.push_back(PaymentEvidence(s, p, r));
      std::string capital = c.col("registered_capital").ints[row] == kNull
                                ? ""
                                : "，注册资本" + Yuan(c.col("registered_capital").ints[row]) + "元";
      f.summary = company + "成立于" + DayText(established[row]) + capital + "，成立仅" +
                  std::to_string(age) + "天即收到" + std::string(s.str(p.org[first])) + "支付的" +
                  ClassText(s.str(p.cls[first])) + "，共" + std::to_string(rows.size()) + "笔" +
                  Yuan(total) + "元（" + PaymentList(p, rows, 3) + "）";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// payment_to_official_account

// 向公职人员个人账户付款: a non-personnel payment to an official's ID number or
// into the account the official's salary is paid into. Travel expenses (差旅费)
// reimbursed to a member of the paying org's own staff are the normal way
// travel is paid, and are left out.
std::unique_ptr<Model> PaymentToOfficialAccount() {
  ModelInfo info;
  info.id = "payment_to_official_account";
  info.name_zh = "公用经费支付至公职人员个人账户";
  info.name_en = "Non-personnel payments to officials' personal accounts";
  info.family = "funds";
  info.detects =
      "非人员支出（经济分类非301/303，且非本单位人员的差旅费报销）的收款人为公职人员本人，"
      "或收款账号是公职人员的工资账户。";
  info.basis =
      "公务支出应支付给实际提供商品和服务的单位（公务卡及国库集中支付有关规定）；"
      "公用经费流入公职人员个人账户，常见于虚列劳务费、冒名收款、以单位名义套取资金"
      "（财政支付 × 公职人员、工资发放比对）。";
  info.severity = Severity::kHigh;
  info.inputs = {PaymentsInput()};
  AddInputs(&info.inputs, Officials::Inputs());
  info.params = {kPersonnelParam,
                 {"travel_classes", "30211", "可报销给本单位人员本人的经济分类（差旅费）",
                  "classes reimbursed to own staff"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Payments p(s);
    Officials officials(s);
    const Table& ot = officials.table();
    PersonnelClasses personnel(s, ctx.params.List("personnel_class_prefixes"));
    PersonnelClasses travel(s, ctx.params.List("travel_classes"));
    OrgNames names(s);
    std::vector<uint32_t> org = OrgKeys(p.org, &names);
    const auto& official_org = ot.col("org").codes;

    // Salary accounts: personnel payments to an official → that official's
    // account; and who is on which org's payroll.
    std::unordered_map<uint32_t, std::pair<uint32_t, uint32_t>> salary_account;  // → (id, row)
    std::unordered_set<uint64_t> payroll;  // (org key, person)
    for (uint32_t r = 0; r < p.t.size(); ++r) {
      if (p.party[r] == kNoString || !personnel.Is(p.cls[r])) continue;
      if (!officials.IsOfficial(p.party[r])) continue;
      payroll.insert((uint64_t{org[r]} << 32) | p.party[r]);
      if (p.account[r] != kNoString) salary_account.try_emplace(p.account[r], p.party[r], r);
    }
    // The official's post on the day (any post if none then).
    auto post = [&](uint32_t id, int64_t day) -> int64_t {
      int64_t row = officials.PostOn(id, day);
      if (row == kNoRow && !officials.RowsOf(id).empty()) row = officials.RowsOf(id)[0];
      return row;
    };
    // Staff of the paying org: in post there, or paid salary by it (which
    // does not depend on both registers spelling the org's name alike).
    auto own_staff = [&](uint32_t id, uint32_t pay_org, int64_t day) {
      if (payroll.count((uint64_t{pay_org} << 32) | id)) return true;
      for (uint32_t row : officials.RowsOf(id)) {
        if (officials.InPostOn(row, day) && names.Key(official_org[row]) == pay_org) return true;
      }
      return false;
    };

    struct Hit {
      std::vector<uint32_t> rows;
      int64_t salary_row = kNoRow;  // the salary payment that shows the account
    };
    std::map<std::pair<uint32_t, uint32_t>, Hit> hits;  // (official id, org)
    for (uint32_t r = 0; r < p.t.size(); ++r) {
      if (personnel.Is(p.cls[r]) || p.day[r] == kNull) continue;
      uint32_t who = kNoString;
      int64_t salary_row = kNoRow;
      if (p.party[r] != kNoString && officials.PostOn(p.party[r], p.day[r]) != kNoRow) {
        who = p.party[r];
      } else if (p.account[r] != kNoString) {
        auto it = salary_account.find(p.account[r]);
        if (it != salary_account.end() && officials.PostOn(it->second.first, p.day[r]) != kNoRow) {
          who = it->second.first;
          salary_row = it->second.second;
        }
      }
      if (who == kNoString) continue;
      // The claimant's own travel expenses, paid to him by his own org.
      if (p.party[r] == who && travel.Is(p.cls[r]) && own_staff(who, org[r], p.day[r])) continue;
      Hit& h = hits[{who, org[r]}];
      h.rows.push_back(r);
      if (salary_row != kNoRow && h.salary_row == kNoRow) h.salary_row = salary_row;
    }
    for (auto& [k, h] : hits) {
      SortByDay(s, p, &h.rows);
      const uint32_t first = h.rows[0];
      const int64_t orow = post(k.first, p.day[first]);
      const int64_t total = SumAmounts(p, h.rows);
      std::string name(orow == kNoRow ? s.str(p.payee_name[first]) : officials.Name(orow));
      std::string post_org(orow == kNoRow ? "" : officials.Org(orow));
      bool own = orow != kNoRow && names.Key(official_org[orow]) == k.second;
      bool by_account = h.salary_row != kNoRow;
      Finding f;
      f.identity = std::string(s.str(k.first)) + "|" + std::string(s.str(p.org[first]));
      f.subject = orow == kNoRow ? Subject{"persons", std::string(s.str(k.first)), name}
                                 : Subject{"officials", std::string(s.key(ot, orow)), name};
      f.amount_fen = total;
      f.score = ScaleScore(70, static_cast<double>(total) / 100.0, 100000);
      if (orow != kNoRow) {
        f.evidence.push_back(MakeEvidence(s, ot, orow, Officials::EvidenceColumns()));
      }
      if (by_account) f.evidence.push_back(PaymentEvidence(s, p, h.salary_row));
      for (uint32_t r : h.rows) f.evidence.push_back(PaymentEvidence(s, p, r));
      std::string who_text =
          (post_org.empty() ? "公职人员" : (own ? "本单位" : post_org)) + MaskedName(name);
      std::string payee = p.party[first] == k.first
                              ? "收款人为" + who_text + "本人"
                              : "收款人登记为" + PayeeText(s, p, first) + "，收款账号却是" +
                                    who_text + "的工资账户";
      bool one_class = std::all_of(h.rows.begin(), h.rows.end(),
                                   [&](uint32_t r) { return p.cls[r] == p.cls[first]; });
      f.summary = std::string(s.str(p.org[first])) + "将" + ClassText(s.str(p.cls[first])) +
                  (one_class ? "" : "等") + "非人员支出" + std::to_string(h.rows.size()) + "笔共" +
                  Yuan(total) + "元支付至公职人员个人账户（" + PaymentList(p, h.rows, 3) + "）：" +
                  payee;
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// payment_after_death

// 死亡后仍支付（吃空饷）: any payment to a person, salary included, dated after
// the person's death.
std::unique_ptr<Model> PaymentAfterDeath() {
  ModelInfo info;
  info.id = "payment_after_death";
  info.name_zh = "死亡后仍支付（吃空饷）";
  info.name_en = "Payments to persons after their death";
  info.family = "funds";
  info.detects = "支付日期晚于收款人死亡日期的财政支付，包括工资（吃空饷）和劳务费等。";
  info.basis =
      "清理“吃空饷”专项要求：工作人员死亡后应及时停发工资；死者不可能提供劳务。"
      "财政支付 × 死亡/火化登记比对是各地纪委通报的典型方法。";
  info.severity = Severity::kHigh;
  info.inputs = {PaymentsInput(), {"deaths", {"id_number", "name", "death_date", "source"}}};
  info.params = {
      {"grace_days", "0", "死亡日期之后的宽限天数", "days of grace after the death date"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Payments p(s);
    const Table& d = s.at("deaths");
    const int64_t grace = ctx.params.Int("grace_days");
    RowIndex death_by_id(d, "id_number");
    const auto& death_date = d.col("death_date").ints;
    OrgNames names(s);
    std::vector<uint32_t> org = OrgKeys(p.org, &names);
    PersonnelClasses salary(s, {"301"});
    std::map<std::pair<uint32_t, uint32_t>, std::vector<uint32_t>> hits;  // (person, org)
    for (uint32_t r = 0; r < p.t.size(); ++r) {
      if (p.party[r] == kNoString || p.day[r] == kNull) continue;
      const auto& rows = death_by_id.rows(p.party[r]);
      if (rows.empty() || death_date[rows[0]] == kNull) continue;
      if (p.day[r] > death_date[rows[0]] + grace) hits[{p.party[r], org[r]}].push_back(r);
    }
    for (auto& [k, rows] : hits) {
      SortByDay(s, p, &rows);
      const uint32_t drow = death_by_id.rows(k.first)[0];
      const uint32_t first = rows[0];
      const int64_t total = SumAmounts(p, rows);
      std::string name(s.str(d.col("name").codes[drow]));
      if (name.empty()) name = std::string(s.str(p.payee_name[first]));
      size_t salaries = static_cast<size_t>(
          std::count_if(rows.begin(), rows.end(), [&](uint32_t r) { return salary.Is(p.cls[r]); }));
      const int64_t days_after = p.day[rows.back()] - death_date[drow];
      Finding f;
      f.identity = std::string(s.str(k.first)) + "|" + std::string(s.str(p.org[first]));
      f.subject = {"persons", std::string(s.str(k.first)), name};
      f.amount_fen = total;
      f.score = ScaleScore(75, static_cast<double>(days_after) / 30.0 + rows.size(), 12);
      f.evidence.push_back(MakeEvidence(s, d, drow, {"id_number", "name", "death_date", "source"}));
      for (uint32_t r : rows) f.evidence.push_back(PaymentEvidence(s, p, r));
      std::string range = rows.size() == 1
                              ? DayText(p.day[first])
                              : DayText(p.day[first]) + "至" + DayText(p.day[rows.back()]);
      std::string kinds = salaries == rows.size() ? "工资"
                          : salaries == 0         ? ClassText(s.str(p.cls[first]))
                                                  : "工资等款项";
      f.summary = MaskedName(name) + "已于" + DayText(death_date[drow]) + "死亡，" +
                  std::string(s.str(p.org[first])) + "于" + range + "仍向其支付" + kinds +
                  std::to_string(rows.size()) + "笔共" + Yuan(total) + "元" +
                  (salaries > 0 ? "，疑似吃空饷" : "");
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------------------
// Org-year aggregates of non-personnel payments.

struct OrgYear {
  std::vector<uint32_t> rows;
};

// Non-personnel payments with a positive amount and a date, by (org key, year).
std::map<std::pair<uint32_t, int>, OrgYear> NonPersonnelByOrgYear(const Snapshot& s,
                                                                  const Payments& p,
                                                                  const RunContext& ctx,
                                                                  OrgNames* names) {
  PersonnelClasses personnel(s, ctx.params.List("personnel_class_prefixes"));
  std::vector<uint32_t> org = OrgKeys(p.org, names);
  std::map<std::pair<uint32_t, int>, OrgYear> out;
  // Hash first (few groups, many rows), then order.
  std::unordered_map<uint64_t, std::vector<uint32_t>> groups;
  for (uint32_t r = 0; r < p.t.size(); ++r) {
    if (p.day[r] == kNull || p.amount[r] == kNull || p.amount[r] <= 0) continue;
    if (personnel.Is(p.cls[r])) continue;
    uint64_t key = (uint64_t{org[r]} << 32) | static_cast<uint32_t>(YearOf(p.day[r]));
    groups[key].push_back(r);
  }
  for (auto& [key, rows] : groups) {
    out[{static_cast<uint32_t>(key >> 32), static_cast<int>(static_cast<uint32_t>(key))}].rows =
        std::move(rows);
  }
  return out;
}

// 年底突击花钱: December's share of an org-year's non-personnel payments.
std::unique_ptr<Model> YearEndSurge() {
  ModelInfo info;
  info.id = "year_end_surge";
  info.name_zh = "年底突击花钱";
  info.name_en = "Year-end spending surge";
  info.family = "funds";
  info.detects = "单位12月的非人员支出占全年非人员支出的30%以上。";
  info.basis =
      "预算法及财政部关于加快预算执行的要求：支出应均衡执行，严禁年底突击花钱；"
      "年末集中支付往往伴随虚假采购、提前支付和预付款套取。";
  info.severity = Severity::kMedium;
  info.inputs = {PaymentsInput()};
  info.params = {kPersonnelParam,
                 {"min_december_share", "0.30", "12月支出占全年比例下限",
                  "minimum December share of the year"},
                 {"min_months", "6", "全年有支出的最少月份数（只覆盖几个月的年度不评价）",
                  "months with payments needed to judge a year (years the data covers for only "
                  "a few months are skipped)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Payments p(s);
    const double min_share = ctx.params.Number("min_december_share");
    const int min_months = static_cast<int>(ctx.params.Int("min_months"));
    OrgNames names(s);
    for (auto& [k, g] : NonPersonnelByOrgYear(s, p, ctx, &names)) {
      int64_t month_total[12] = {};
      int64_t month_count[12] = {};
      std::vector<uint32_t> december;
      for (uint32_t r : g.rows) {
        int m = CivilFromDays(p.day[r]).month - 1;
        month_total[m] += p.amount[r];
        ++month_count[m];
        if (m == 11) december.push_back(r);
      }
      int64_t year_total = 0;
      int months = 0;
      for (int m = 0; m < 12; ++m) {
        year_total += month_total[m];
        months += month_count[m] > 0;
      }
      if (months < min_months || year_total <= 0) continue;
      double share = static_cast<double>(month_total[11]) / year_total;
      if (share < min_share) continue;
      SortByDay(s, p, &december);
      const uint32_t first = december[0];
      std::string org_name(s.str(p.org[first]));
      int64_t other_avg = (year_total - month_total[11]) / 11;
      std::vector<std::pair<std::string, std::string>> fields;
      fields.emplace_back("year", std::to_string(k.second));
      fields.emplace_back("year_total", Yuan(year_total));
      fields.emplace_back("december_share", Percent(share));
      for (int m = 0; m < 12; ++m) {
        char label[16];
        std::snprintf(label, sizeof label, "month_%02d", m + 1);
        fields.emplace_back(label, Yuan(month_total[m]) + "元（" + std::to_string(month_count[m]) +
                                       "笔，" + Percent(double(month_total[m]) / year_total) +
                                       "）");
      }
      Finding f;
      f.identity = org_name + "|" + std::to_string(k.second);
      f.subject = {"orgs", org_name, org_name};
      f.amount_fen = month_total[11];
      f.score = ScaleScore(55, share - min_share, 0.4);
      f.evidence.push_back(AnalysisEvidence(
          "year_end_surge|" + org_name + "|" + std::to_string(k.second), std::move(fields)));
      for (uint32_t r : december) f.evidence.push_back(BriefPaymentEvidence(s, p, r));
      f.summary = org_name + std::to_string(k.second) + "年12月非人员支出" +
                  std::to_string(december.size()) + "笔共" + Yuan(month_total[11]) +
                  "元，占全年非人员支出" + Yuan(year_total) + "元的" + Percent(share) + "（限" +
                  Percent(min_share, 0) + "），而1至11月月均仅" + Yuan(other_avg) +
                  "元，存在年底突击花钱迹象";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// First significant digit of a positive amount (fen and yuan share it).
int FirstDigit(int64_t v) {
  while (v >= 10) v /= 10;
  return static_cast<int>(v);
}

// 本福特定律偏离: Nigrini's mean absolute deviation of first digits.
std::unique_ptr<Model> BenfordDeviation() {
  ModelInfo info;
  info.id = "benford_deviation";
  info.name_zh = "支付金额首位数字偏离本福特定律";
  info.name_en = "First digits deviate from Benford's law";
  info.family = "funds";
  info.detects =
      "单位某年度非人员支出（100笔以上）金额首位数字分布与本福特定律的平均绝对偏差（MAD）"
      "超过0.015（Nigrini：不符合）。";
  info.basis =
      "自然形成的财务金额首位数字服从本福特定律；Nigrini首位数字MAD阈值：≤0.006高度符合，"
      "≤0.012可接受，≤0.015勉强符合，超过即不符合。偏离提示金额被编造、"
      "刻意压在审批限额以下或批量虚构。";
  info.severity = Severity::kMedium;
  info.inputs = {PaymentsInput()};
  info.params = {
      kPersonnelParam,
      {"max_mad", "0.015", "MAD上限（Nigrini不符合阈值）", "MAD above which digits do not conform"},
      {"min_count", "100", "最少支付笔数", "minimum number of payments"},
      {"max_listed_payments", "200", "证据中列出的偏多首位数字支付笔数上限",
       "most payments with over-represented digits listed as evidence"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Payments p(s);
    const size_t max_listed =
        static_cast<size_t>(std::max<int64_t>(1, ctx.params.Int("max_listed_payments")));
    const double max_mad = ctx.params.Number("max_mad");
    const size_t min_count = static_cast<size_t>(ctx.params.Int("min_count"));
    double expected[10] = {};
    for (int d = 1; d <= 9; ++d) expected[d] = std::log10(1.0 + 1.0 / d);
    OrgNames names(s);
    for (auto& [k, g] : NonPersonnelByOrgYear(s, p, ctx, &names)) {
      const size_t n = g.rows.size();
      if (n < min_count) continue;
      int64_t count[10] = {};
      for (uint32_t r : g.rows) ++count[FirstDigit(p.amount[r])];
      double observed[10] = {};
      double mad = 0;
      for (int d = 1; d <= 9; ++d) {
        observed[d] = static_cast<double>(count[d]) / n;
        mad += std::fabs(observed[d] - expected[d]);
      }
      mad /= 9;
      if (mad <= max_mad) continue;
      // The payments whose digits are over-represented make up the excess;
      // the most over-represented digits' payments are listed first, up to
      // the cap (the distribution itself is the proof, the list a sample).
      std::vector<int> over;
      for (int d = 1; d <= 9; ++d) {
        if (observed[d] > expected[d]) over.push_back(d);
      }
      std::sort(over.begin(), over.end(), [&](int a, int b) {
        return observed[a] - expected[a] > observed[b] - expected[b];
      });
      std::vector<uint32_t> by_digit[10];
      for (uint32_t r : g.rows) {
        int d = FirstDigit(p.amount[r]);
        if (observed[d] > expected[d]) by_digit[d].push_back(r);
      }
      std::vector<uint32_t> listed;
      size_t in_excess = 0;
      int64_t excess_amount = 0;
      std::string over_text;
      for (int d : over) {
        SortByDay(s, p, &by_digit[d]);
        in_excess += by_digit[d].size();
        excess_amount += SumAmounts(p, by_digit[d]);
        for (uint32_t r : by_digit[d]) {
          if (listed.size() < max_listed) listed.push_back(r);
        }
        over_text += (over_text.empty() ? "" : "、") + std::to_string(d);
      }
      std::string org_name(s.str(p.org[g.rows[0]]));
      std::vector<std::pair<std::string, std::string>> fields;
      fields.emplace_back("year", std::to_string(k.second));
      fields.emplace_back("n", std::to_string(n));
      fields.emplace_back("mad", Fixed(mad, 4));
      fields.emplace_back("threshold", Fixed(max_mad, 3));
      std::string digits;
      int worst = 1;
      for (int d = 1; d <= 9; ++d) {
        fields.emplace_back("digit_" + std::to_string(d), "实际" + Percent(observed[d]) + "（" +
                                                              std::to_string(count[d]) +
                                                              "笔），期望" + Percent(expected[d]));
        if (d > 1) digits += "，";
        digits += std::to_string(d) + "：" + Percent(observed[d]) + "/" + Percent(expected[d]);
        if (std::fabs(observed[d] - expected[d]) > std::fabs(observed[worst] - expected[worst])) {
          worst = d;
        }
      }
      Finding f;
      f.identity = org_name + "|" + std::to_string(k.second);
      f.subject = {"orgs", org_name, org_name};
      f.amount_fen = excess_amount;
      f.score = ScaleScore(50, mad - max_mad, 0.05);
      f.evidence.push_back(AnalysisEvidence("benford|" + org_name + "|" + std::to_string(k.second),
                                            std::move(fields)));
      for (uint32_t r : listed) f.evidence.push_back(BriefPaymentEvidence(s, p, r));
      f.summary =
          org_name + std::to_string(k.second) + "年" + std::to_string(n) +
          "笔非人员支出金额的首位数字分布偏离本福特定律，MAD=" + Fixed(mad, 4) + "（>" +
          Fixed(max_mad, 3) + "，不符合）；首位数字实际/期望占比：" + digits +
          "；偏离最大的是首位" + std::to_string(worst) + "（实际" + Percent(observed[worst]) +
          "，期望" + Percent(expected[worst]) + "）；首位为" + over_text + "的支付偏多，共" +
          std::to_string(in_excess) + "笔" + Yuan(excess_amount) + "元" +
          (listed.size() < in_excess ? "（证据列出其中" + std::to_string(listed.size()) + "笔）"
                                     : "");
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

}  // namespace

void RegisterFundsModels(ModelList* out) {
  out->push_back(DuplicatePayment());
  out->push_back(SplitPayment());
  out->push_back(OverBudget());
  out->push_back(PaymentWithoutBudget());
  out->push_back(PayeeDeregistered());
  out->push_back(PayeeNewlyCreated());
  out->push_back(PaymentToOfficialAccount());
  out->push_back(PaymentAfterDeath());
  out->push_back(YearEndSurge());
  out->push_back(BenfordDeviation());
}

}  // namespace qf::models
