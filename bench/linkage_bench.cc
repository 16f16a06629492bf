// Entity-resolution throughput: N reference records (persons and companies
// with ID, phone, account, address) and N name-only mentions, 80 % of them of
// a reference written with a variant (traditional characters, full width,
// company-form suffix, region prefix, one-character typo, homophone) and
// carrying some of its attributes, 20 % of parties in no registry. Generated
// deterministically, then linked (linkage.h) on a fixed number of threads.
// Reports seconds, records/s, peak RSS and the precision/recall of the
// matches. A benchmark, not a test: it only reports.
//
//   linkage_bench [--n 1000000,...] [--threads 2]
#include <benchmark/benchmark.h>
#include <opencc/opencc.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/text.h"
#include "engine/linkage.h"
#include "synth/names.h"
#include "synth/rng.h"

namespace {

using qf::engine::EntityKind;
using qf::engine::LinkRecord;

std::vector<int64_t> g_n = {1000000};
int g_threads = 2;

// Strings of the generated records, in 1 MiB blocks (views stay valid).
class Arena {
 public:
  std::string_view Add(std::string_view s) {
    if (s.empty()) return {};
    if (blocks_.empty() || used_ + s.size() > kBlock) {
      blocks_.push_back(std::make_unique<char[]>(kBlock));
      used_ = 0;
    }
    char* p = blocks_.back().get() + used_;
    std::memcpy(p, s.data(), s.size());
    used_ += s.size();
    return std::string_view(p, s.size());
  }

 private:
  static constexpr size_t kBlock = 1 << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t used_ = 0;
};

// Simplified → traditional through OpenCC (the linker folds it back with t2s).
class Traditional {
 public:
  Traditional() { h_ = opencc_open((std::string(QF_OPENCC_DIR) + "/s2t.json").c_str()); }
  ~Traditional() {
    if (ok()) opencc_close(h_);
  }
  // NOLINTNEXTLINE(performance-no-int-to-ptr): OpenCC's error value
  bool ok() const { return h_ != reinterpret_cast<opencc_t>(-1); }
  std::string Convert(std::string_view s) {
    if (!ok()) return std::string(s);
    char* out = opencc_convert_utf8(h_, s.data(), s.size());
    if (!out) return std::string(s);
    std::string r(out);
    opencc_convert_utf8_free(out);
    return r;
  }

 private:
  opencc_t h_;
};

// Same-pinyin groups of characters the name generators use.
const char* const kHomophones[] = {
    "伟炜玮威", "丽莉俐利", "华化桦",   "明鸣铭名", "静婧靖敬", "杰洁婕", "军君均",   "磊蕾垒",
    "涛韬滔",   "斌彬滨",   "平萍苹",   "辉晖徽",   "鹏朋彭",   "飞菲非", "鑫新心欣", "波博柏",
    "宇雨玉",   "浩昊皓",   "凯楷锴",   "健建剑坚", "龙隆",     "林琳霖", "阳洋杨扬", "志智芝",
    "文雯闻",   "东冬",     "峰锋丰枫", "成诚程城", "芳方舫",   "娜纳",   "艳燕彦",   "娟鹃涓",
    "英莹颖瑛", "玲铃灵凌", "红虹宏鸿", "梅玫媚",   "婷庭亭",   "佳嘉家", "琪琦奇淇", "瑶遥谣",
    "源元园原", "恒衡",     "盛胜圣",   "瑞锐睿",   "祥翔详",   "顺舜",   "德得",     "润闰",
    "永勇涌",   "荣容蓉",   "辰晨臣",   "金锦晋",   "通同",     "旺望",   "泰太",     "达大"};

std::u32string Cps(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    char32_t v = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len && i + k < s.size(); ++k) v = (v << 6) | (s[i + k] & 0x3F);
    out.push_back(v);
    i += len;
  }
  return out;
}

std::string Utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) qf::AppendUtf8(&out, c);
  return out;
}

struct Homophones {
  std::vector<std::u32string> groups;
  Homophones() {
    for (const char* g : kHomophones) groups.push_back(Cps(g));
  }
  // A same-sounding replacement for one character of s, or "" when none.
  std::string Vary(std::string_view s, qf::synth::Rng& rng) const {
    std::u32string c = Cps(s);
    for (int attempt = 0; attempt < 8; ++attempt) {
      size_t pos = static_cast<size_t>(rng.Int(0, static_cast<int64_t>(c.size()) - 1));
      for (const std::u32string& g : groups) {
        size_t k = g.find(c[pos]);
        if (k == std::u32string::npos) continue;
        c[pos] = g[(k + 1 + static_cast<size_t>(rng.Int(0, static_cast<int64_t>(g.size()) - 2))) %
                   g.size()];
        return Utf8(c);
      }
    }
    return "";
  }
};

struct Data {
  Arena arena;
  std::vector<LinkRecord> refs, mentions;
  std::vector<uint32_t> truth;  // per mention: the reference, or kNoRef
};

const char* const kRegions[] = {"海州区", "新邱区",           "太平区", "清河门区",
                                "细河区", "阜新蒙古族自治县", "彰武县"};
const char* const kRegionCodes[] = {"210902", "210903", "210904", "210905",
                                    "210911", "210921", "210922"};
const char* const kOrgSuffixes[] = {"建筑工程有限公司", "商贸有限公司",     "信息技术有限公司",
                                    "物业管理有限公司", "餐饮管理有限公司", "酒店有限公司",
                                    "工程监理有限公司", "医药有限公司",     "印务有限公司",
                                    "物流有限公司",     "农业科技有限公司", "测绘有限公司"};
const char* const kOrgPrefixes[] = {"阜新", "阜新市", "辽宁", "阜新"};

std::string FullWidth(std::string_view s) {
  std::string out;
  for (char32_t c : Cps(s)) {
    if (c >= '0' && c <= '9') c = c - '0' + 0xFF10;
    if (c == '(') c = 0xFF08;
    if (c == ')') c = 0xFF09;
    qf::AppendUtf8(&out, c);
  }
  return out;
}

void Generate(int64_t n, Data* d) {
  using qf::synth::Rng;
  Rng rng(20240601, 1);
  Traditional trad;
  Homophones homo;
  const int64_t orgs = n * 15 / 100;
  d->refs.reserve(static_cast<size_t>(n));
  char buf[64];
  for (int64_t i = 0; i < n; ++i) {
    LinkRecord r;
    int region = static_cast<int>(rng.Int(0, 6));
    r.region = kRegionCodes[region];
    if (i < orgs) {
      r.kind = EntityKind::kOrg;
      std::string name = kOrgPrefixes[rng.Int(0, 3)] + qf::synth::TradeName(rng);
      if (rng.Chance(0.7)) name += qf::synth::TradeName(rng);
      name += kOrgSuffixes[rng.Int(0, 11)];
      r.name = d->arena.Add(name);
      std::snprintf(buf, sizeof buf, "0418-%07lld", static_cast<long long>(i));
      r.phone = d->arena.Add(buf);
      std::snprintf(buf, sizeof buf, "6222%015lld", static_cast<long long>(i * 7919 + 13));
    } else {
      r.kind = EntityKind::kPerson;
      r.name = d->arena.Add(qf::synth::PersonName(rng, rng.Chance(0.5), rng.Chance(0.05)));
      if (rng.Chance(0.85)) {
        std::snprintf(buf, sizeof buf, "1%02lld%08lld", static_cast<long long>(30 + (i * 37) % 70),
                      static_cast<long long>(i % 100000000));
        r.phone = d->arena.Add(buf);
      }
      if (rng.Chance(0.6))
        r.address = d->arena.Add(qf::synth::StreetAddress(rng, kRegions[region]));
      std::snprintf(buf, sizeof buf, "6228%015lld", static_cast<long long>(i * 104729 + 7));
    }
    if (rng.Chance(0.7)) r.account = d->arena.Add(buf);
    d->refs.push_back(r);
  }
  d->mentions.reserve(static_cast<size_t>(n));
  d->truth.reserve(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    bool org = rng.Chance(0.15);
    LinkRecord m;
    m.kind = org ? EntityKind::kOrg : EntityKind::kPerson;
    uint32_t truth = qf::engine::kNoRef;
    std::string name;
    if (rng.Chance(0.8)) {
      truth = static_cast<uint32_t>(org ? rng.Int(0, orgs - 1) : rng.Int(orgs, n - 1));
      const LinkRecord& r = d->refs[truth];
      name = std::string(r.name);
      // Some of the reference's attributes come along.
      if (!r.account.empty() && rng.Chance(0.5)) m.account = r.account;
      if (!r.phone.empty() && rng.Chance(org ? 0.1 : 0.25)) m.phone = r.phone;
      if (!r.address.empty() && rng.Chance(0.1)) m.address = r.address;
      if (rng.Chance(0.3)) m.region = r.region;
    } else if (org) {
      name = std::string(kOrgPrefixes[rng.Int(0, 3)]) + qf::synth::TradeName(rng) + "餐厅";
    } else {
      name = qf::synth::PersonName(rng, rng.Chance(0.5), false);
    }
    double v = rng.U();
    std::string varied;
    if (v < 0.08) {
      varied = trad.Convert(name);
    } else if (v < 0.12) {
      varied = org ? FullWidth(name + "(阜新)") : name.substr(0, 3) + "\u3000" + name.substr(3);
    } else if (v < 0.18) {
      varied = homo.Vary(name, rng);
    } else if (v < 0.24) {
      std::u32string c = Cps(name);
      c[static_cast<size_t>(rng.Int(org ? 2 : 1, static_cast<int64_t>(c.size()) - 1))] =
          Cps(qf::synth::TradeName(rng))[0];
      varied = Utf8(c);
    } else if (org && v < 0.32) {
      size_t p = name.find("有限公司");
      varied = p == std::string::npos ? name : name.substr(0, p) + "有限责任公司";
    } else if (org && v < 0.36) {
      varied = name.rfind("阜新市", 0) == 0 ? "辽宁" + name.substr(9) : "阜新市" + name;
    }
    m.name = d->arena.Add(varied.empty() ? name : varied);
    d->mentions.push_back(m);
    d->truth.push_back(truth);
  }
}

void BM_Link(benchmark::State& state) {
  const int64_t n = state.range(0);
  Data d;
  auto g0 = std::chrono::steady_clock::now();
  Generate(n, &d);
  double gen_secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - g0).count();
  qf::engine::LinkOptions opt;
  opt.threads = g_threads;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    auto r = qf::engine::Link(d.refs, {}, d.mentions, {}, opt);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    size_t tp = 0, fp = 0, fn = 0;
    for (size_t i = 0; i < d.mentions.size(); ++i) {
      const auto& m = r->matches[i];
      bool linked = m.status == qf::engine::LinkStatus::kMatched;
      if (linked && m.ref == d.truth[i]) {
        ++tp;
      } else {
        if (linked) ++fp;
        if (d.truth[i] != qf::engine::kNoRef) ++fn;
      }
    }
    struct rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    state.SetIterationTime(secs);
    state.counters["records_per_s"] = static_cast<double>(2 * n) / secs;
    state.counters["peak_RSS_MB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
    state.counters["generate_s"] = gen_secs;
    state.counters["pairs"] = static_cast<double>(r->stats.candidate_pairs);
    state.counters["skipped_blocks"] = static_cast<double>(r->stats.skipped_blocks);
    state.counters["precision"] =
        tp + fp ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 1;
    state.counters["recall"] = tp + fn ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--threads" && i + 1 < argc) {
      g_threads = std::atoi(argv[++i]);
    } else if (a == "--n" && i + 1 < argc) {
      g_n.clear();
      std::string list = argv[++i];
      for (size_t p = 0; p <= list.size();) {
        size_t e = list.find(',', p);
        if (e == std::string::npos) e = list.size();
        g_n.push_back(std::stoll(list.substr(p, e - p)));
        p = e + 1;
      }
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  auto* b = benchmark::RegisterBenchmark("link_name_only_mentions", BM_Link);
  for (int64_t n : g_n) b->Arg(n);
  b->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
