// Family: party (三会一课). Branches that meet less often than the 支部工作条例
// asks, assemblies held without a quorum, and minutes copied from another
// meeting.
#include "models/party.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>
#include <unordered_map>

#include "common/time.h"
#include "models/families.h"

namespace qf::models {

const char* PeriodName(MeetingPeriod p) {
  switch (p) {
    case MeetingPeriod::kMonth:
      return "month";
    case MeetingPeriod::kQuarter:
      return "quarter";
    case MeetingPeriod::kYear:
      return "year";
  }
  return "year";
}

int PeriodsPerYear(MeetingPeriod p) {
  switch (p) {
    case MeetingPeriod::kMonth:
      return 12;
    case MeetingPeriod::kQuarter:
      return 4;
    case MeetingPeriod::kYear:
      return 1;
  }
  return 1;
}

const std::vector<MeetingRequirement>& MeetingRequirements() {
  using P = MeetingPeriod;
  static const std::vector<MeetingRequirement> r = {
      {kAssemblyKind, "min_assembly", "branch members' assemblies per year", P::kQuarter, 1},
      {"支部委员会", "min_committee", "branch committee meetings per year", P::kMonth, 1},
      {"党小组会", "min_group", "party group meetings per year", P::kMonth, 1},
      {"党课", "min_lecture", "party lectures per year", P::kQuarter, 1},
      {"主题党日", "min_theme_day", "theme party days per year", P::kMonth, 1},
      {"组织生活会", "min_life_meeting", "organisational life meetings per year", P::kYear, 1},
  };
  return r;
}

const MeetingRequirement* FindRequirement(std::string_view kind) {
  for (const MeetingRequirement& r : MeetingRequirements()) {
    if (r.kind == kind) return &r;
  }
  return nullptr;
}

void ScheduleFromPerYear(int64_t per_year, MeetingRequirement* r) {
  if (per_year <= 0) {
    r->period = MeetingPeriod::kYear;
    r->per_period = 0;
    return;
  }
  for (MeetingPeriod p : {MeetingPeriod::kMonth, MeetingPeriod::kQuarter}) {
    if (per_year % PeriodsPerYear(p) == 0) {
      r->period = p;
      r->per_period = static_cast<int>(per_year / PeriodsPerYear(p));
      return;
    }
  }
  r->period = MeetingPeriod::kYear;
  r->per_period = static_cast<int>(per_year);
}

std::vector<MeetingRequirement> RequirementsFromParams(const engine::Params& params) {
  std::vector<MeetingRequirement> out = MeetingRequirements();
  for (MeetingRequirement& r : out) {
    if (params.values().count(r.param)) ScheduleFromPerYear(params.Int(r.param), &r);
  }
  return out;
}

bool HasQuorum(int64_t attendees, int64_t expected, double ratio) {
  if (expected <= 0) return true;
  // Integers against a ratio: a tiny tolerance so 0.5 × 10 = 5 stays 5.
  return static_cast<double>(attendees) > static_cast<double>(expected) * ratio + 1e-9;
}

namespace {

using namespace engine;

constexpr const char* kAssembly = kAssemblyKind;

std::string BranchLabel(const Snapshot& s, const Table& t, size_t r) {
  uint32_t name = t.col("branch_name").codes[r];
  return std::string(s.str(name != kNoString ? name : t.col("branch_id").codes[r]));
}

int YearOfDay(int64_t day) { return CivilFromDays(day).year; }

// 三会一课频次不足: per branch, calendar year and kind of meeting, fewer
// meetings than the yearly minimum. Only years the branch's records span from
// January to December are judged: the branch's window is the months from its
// first to its last meeting of any kind, so a year the export starts or ends
// in the middle of (or a branch set up mid-year) is never called deficient.
std::unique_ptr<Model> MeetingsBelowFrequency() {
  ModelInfo info;
  info.id = "meetings_below_frequency";
  info.name_zh = "三会一课频次不足";
  info.name_en = "Party meetings held less often than required";
  info.family = "party";
  info.detects =
      "党支部在一个完整年度内召开某类会议（支部党员大会、支部委员会、党小组会、党课、主题党日、"
      "组织生活会）的次数少于规定的最低次数。";
  info.basis =
      "《中国共产党支部工作条例（试行）》（2018）：支部党员大会一般每季度召开1次，支部委员会、"
      "党小组会一般每月召开1次，党课每季度至少1次，主题党日每月1次，组织生活会每年至少1次。"
      "三会一课流于形式、次数不足是基层党组织建设薄弱的直接表现。";
  info.severity = Severity::kLow;
  info.inputs = {{"branch_meetings", {"branch_id", "branch_name", "kind", "held_on", "topic"}}};
  // One parameter per kind: the yearly minimum of the shared table (party.h),
  // which the compliance calendar reads with the same overrides.
  for (const MeetingRequirement& r : MeetingRequirements()) {
    info.params.push_back(
        {r.param, std::to_string(r.PerYear()), r.kind + "每年最少次数", r.param_en});
  }
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("branch_meetings");
    struct KindRule {
      std::string kind;
      int64_t min = 0;
      uint32_t code = kNoString;
    };
    std::vector<KindRule> rules;
    for (const MeetingRequirement& r : MeetingRequirements()) {
      rules.push_back({r.kind, ctx.params.Int(r.param), s.find(r.kind)});
    }
    const Column& branch = t.col("branch_id");
    const Column& kind = t.col("kind");
    const Column& held = t.col("held_on");

    struct Branch {
      int64_t first = 0, last = 0;  // days
      bool any = false;
    };
    std::unordered_map<uint32_t, Branch> branches;
    // (branch, year, rule index) → meetings, in a map for a stable order.
    std::map<std::tuple<uint32_t, int, int>, std::vector<uint32_t>> held_rows;
    // (branch, year) → first and last meeting of any kind that year.
    std::map<std::pair<uint32_t, int>, std::pair<uint32_t, uint32_t>> year_bounds;
    for (size_t r = 0; r < t.size(); ++r) {
      if (branch.codes[r] == kNoString || held.ints[r] == kNull) continue;
      int64_t d = held.ints[r];
      Branch& b = branches[branch.codes[r]];
      if (!b.any || d < b.first) b.first = d;
      if (!b.any || d > b.last) b.last = d;
      b.any = true;
      int year = YearOfDay(d);
      auto row = static_cast<uint32_t>(r);
      auto [it, fresh] = year_bounds.try_emplace({branch.codes[r], year}, row, row);
      if (!fresh) {
        if (d < held.ints[it->second.first]) it->second.first = row;
        if (d > held.ints[it->second.second]) it->second.second = row;
      }
      for (size_t k = 0; k < rules.size(); ++k) {
        if (rules[k].code != kNoString && kind.codes[r] == rules[k].code) {
          held_rows[{branch.codes[r], year, static_cast<int>(k)}].push_back(row);
        }
      }
    }
    std::vector<uint32_t> branch_codes;
    for (const auto& [code, b] : branches) branch_codes.push_back(code);
    std::sort(branch_codes.begin(), branch_codes.end(),
              [&](uint32_t a, uint32_t b) { return s.str(a) < s.str(b); });
    static const std::vector<uint32_t> kNone;
    for (uint32_t bc : branch_codes) {
      const Branch& b = branches[bc];
      CivilDate first = CivilFromDays(b.first), last = CivilFromDays(b.last);
      // Complete years: the window's first month is January of the year (or
      // earlier) and its last month December (or later).
      int from = first.month == 1 ? first.year : first.year + 1;
      int to = last.month == 12 ? last.year : last.year - 1;
      for (int year = from; year <= to; ++year) {
        for (size_t k = 0; k < rules.size(); ++k) {
          const KindRule& rule = rules[k];
          if (rule.min <= 0) continue;
          auto it = held_rows.find({bc, year, static_cast<int>(k)});
          const std::vector<uint32_t>& rows = it == held_rows.end() ? kNone : it->second;
          auto n = static_cast<int64_t>(rows.size());
          if (n >= rule.min) continue;
          std::vector<uint32_t> sorted = rows;
          std::sort(sorted.begin(), sorted.end(),
                    [&](uint32_t x, uint32_t y) { return held.ints[x] < held.ints[y]; });
          Finding f;
          std::string branch_id(s.str(bc));
          f.identity = branch_id + "|" + std::to_string(year) + "|" + rule.kind;
          uint32_t any_row = year_bounds.at({bc, year}).first;
          std::string label = BranchLabel(s, t, any_row);
          f.subject = {"branch_meetings", branch_id, label};
          f.score = ScaleScore(45, static_cast<double>(rule.min - n) / rule.min, 1.0);
          for (uint32_t r : sorted) {
            f.evidence.push_back(
                MakeEvidence(s, t, r, {"branch_id", "branch_name", "kind", "held_on", "topic"}));
          }
          if (sorted.empty()) {
            // Nothing of this kind: the year's first and last meetings show the
            // branch was active all year.
            auto [lo, hi] = year_bounds.at({bc, year});
            for (uint32_t r : {lo, hi}) {
              f.evidence.push_back(
                  MakeEvidence(s, t, r, {"branch_id", "branch_name", "kind", "held_on"}));
              if (lo == hi) break;
            }
          }
          f.summary = label + std::to_string(year) + "年" +
                      (n == 0 ? "未召开" + std::string(rule.kind)
                              : "仅召开" + std::string(rule.kind) + std::to_string(n) + "次") +
                      "，少于每年" + std::to_string(rule.min) + "次的要求";
          out->push_back(std::move(f));
        }
      }
    }
    return Status::OK();
  });
}

// 党员大会不足法定人数: a branch members' assembly needs more than half of
// the members entitled to attend; at exactly half it has no quorum.
std::unique_ptr<Model> AssemblyWithoutQuorum() {
  ModelInfo info;
  info.id = "assembly_without_quorum";
  info.name_zh = "支部党员大会到会人数未过半";
  info.name_en = "Branch assembly held without a quorum";
  info.family = "party";
  info.detects = "支部党员大会实到人数未超过应到人数的一半（恰好一半也不足），会议及其决定不合规。";
  info.basis =
      "《中国共产党支部工作条例（试行）》（2018）：召开支部党员大会，须有半数以上有表决权的党员"
      "到会方可进行。不足法定人数作出的决定无效，也常见于补记、虚记会议。";
  info.severity = Severity::kMedium;
  info.inputs = {
      {"branch_meetings",
       {"branch_id", "branch_name", "kind", "held_on", "attendees", "expected", "topic"}}};
  info.params = {{kQuorumParam, "0.5", "实到人数须超过应到人数的比例",
                  "attendance must exceed this share of the expected"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("branch_meetings");
    const double ratio = ctx.params.Number(kQuorumParam);
    const uint32_t assembly = s.find(kAssembly);
    if (assembly == kNoString) return Status::OK();
    const Column& kind = t.col("kind");
    const Column& att = t.col("attendees");
    const Column& exp = t.col("expected");
    const Column& held = t.col("held_on");
    for (size_t r = 0; r < t.size(); ++r) {
      if (kind.codes[r] != assembly || att.ints[r] == kNull || exp.ints[r] == kNull) continue;
      int64_t a = att.ints[r], e = exp.ints[r];
      if (e <= 0) continue;
      if (HasQuorum(a, e, ratio)) continue;
      double need = static_cast<double>(e) * ratio;
      Finding f;
      f.identity = std::string(s.key(t, r));
      std::string label = BranchLabel(s, t, r);
      f.subject = {"branch_meetings", f.identity, label};
      f.score = ScaleScore(55, (need - static_cast<double>(a) + 1) / std::max(1.0, need), 1.0);
      f.evidence.push_back(MakeEvidence(
          s, t, r,
          {"branch_id", "branch_name", "kind", "held_on", "attendees", "expected", "topic"}));
      f.summary = label + (held.ints[r] == kNull ? "" : "于" + DayText(held.ints[r])) + "召开" +
                  kAssembly + "，应到" + std::to_string(e) + "人、实到" + std::to_string(a) +
                  "人，到会人数未超过应到人数的" +
                  (std::fabs(ratio - 0.5) < 1e-12
                       ? std::string("半数")
                       : std::to_string(static_cast<int>(std::lround(ratio * 100))) + "%") +
                  "，不足法定人数";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// ---- copied minutes: a set-similarity self-join --------------------------

// UTF-8 to code points; a malformed byte becomes one U+FFFD so the text still
// shingles. Whitespace is dropped: a copy re-wrapped or re-spaced stays a copy.
std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size() / 2);
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    char32_t cp = 0xFFFD;
    size_t n = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 0x6 || (c >> 4) == 0xE || (c >> 3) == 0x1E) {
      size_t len = (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
      if (i + len <= s.size()) {
        char32_t v = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
        bool ok = true;
        for (size_t j = 1; j < len; ++j) {
          auto cc = static_cast<unsigned char>(s[i + j]);
          if ((cc >> 6) != 0x2) {
            ok = false;
            break;
          }
          v = (v << 6) | (cc & 0x3F);
        }
        if (ok) {
          cp = v;
          n = len;
        }
      }
    }
    i += n;
    if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 || cp == 0xA0) continue;
    out.push_back(cp);
  }
  return out;
}

uint64_t Mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// The distinct k-gram shingles of a text as 64-bit hashes, sorted.
std::vector<uint64_t> Shingles(const std::vector<char32_t>& cps, size_t k) {
  std::vector<uint64_t> out;
  if (cps.size() < k) return out;
  out.reserve(cps.size() - k + 1);
  for (size_t i = 0; i + k <= cps.size(); ++i) {
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    for (size_t j = 0; j < k; ++j) h = Mix64(h ^ cps[i + j]);
    out.push_back(h);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Pairs of documents whose token sets have Jaccard ≥ t, with the similarity.
// Exact PPJoin (Xiao et al., "Efficient similarity joins for near duplicate
// detection", 2008): tokens are numbered rarest first and documents processed
// by ascending size. Two sets with Jaccard ≥ t share a token within the probe
// prefix |x| − ⌈t·|x|⌉ + 1 of the larger and the index prefix
// |y| − ⌈2t/(1+t)·|y|⌉ + 1 of the smaller; the size filter |y| ≥ t·|x| and the
// positional filter (the overlap still reachable from the positions of the
// first shared tokens) drop most of the rest. Candidates are verified with the
// exact Jaccard, so nothing is missed and nothing is guessed — unlike MinHash,
// and in practice near-linear because prefixes hold the rarest tokens.
struct SimilarPair {
  uint32_t a, b;
  double jaccard;
};
std::vector<SimilarPair> SimilarSets(const std::vector<std::vector<uint64_t>>& docs, double t) {
  constexpr double kEps = 1e-9;
  // Global token order by ascending frequency: one sort of (hash, document)
  // pairs numbers the distinct tokens and counts them.
  std::vector<std::pair<uint64_t, uint32_t>> all;
  size_t total = 0;
  for (const auto& d : docs) total += d.size();
  all.reserve(total);
  for (size_t d = 0; d < docs.size(); ++d) {
    for (uint64_t h : docs[d]) all.emplace_back(h, static_cast<uint32_t>(d));
  }
  std::sort(all.begin(), all.end());
  std::vector<std::vector<uint32_t>> sets(docs.size());
  for (size_t d = 0; d < docs.size(); ++d) sets[d].reserve(docs[d].size());
  std::vector<uint32_t> freq;
  for (size_t i = 0; i < all.size();) {
    size_t j = i;
    auto id = static_cast<uint32_t>(freq.size());
    while (j < all.size() && all[j].first == all[i].first) sets[all[j++].second].push_back(id);
    freq.push_back(static_cast<uint32_t>(j - i));
    i = j;
  }
  std::vector<std::pair<uint64_t, uint32_t>>().swap(all);
  const size_t tokens = freq.size();
  // Ids are in hash order, so ties in frequency break by hash: deterministic.
  std::vector<uint32_t> order(tokens);
  for (size_t i = 0; i < tokens; ++i) order[i] = static_cast<uint32_t>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t x, uint32_t y) { return freq[x] < freq[y]; });
  std::vector<uint32_t> rank(tokens);
  for (size_t i = 0; i < tokens; ++i) rank[order[i]] = static_cast<uint32_t>(i);
  for (auto& set : sets) {
    for (uint32_t& tok : set) tok = rank[tok];
    std::sort(set.begin(), set.end());
  }
  std::vector<uint32_t> by_size(docs.size());
  for (size_t i = 0; i < by_size.size(); ++i) by_size[i] = static_cast<uint32_t>(i);
  std::stable_sort(by_size.begin(), by_size.end(),
                   [&](uint32_t x, uint32_t y) { return sets[x].size() < sets[y].size(); });

  struct Posting {
    uint32_t doc;
    uint32_t pos;  // position of the token in the document's set
  };
  std::vector<std::vector<Posting>> index(tokens);
  // Per token, the postings before start[] are too small for every later probe.
  std::vector<size_t> start(tokens, 0);
  // Overlap seen so far per candidate; kPruned once the positional filter
  // has ruled it out for the current probe.
  constexpr uint32_t kPruned = UINT32_MAX;
  std::vector<uint32_t> overlap(docs.size(), 0);
  std::vector<uint32_t> touched;
  std::vector<SimilarPair> out;
  auto ceil_eps = [&](double v) { return static_cast<size_t>(std::ceil(v - kEps)); };
  for (uint32_t x : by_size) {
    const auto& sx = sets[x];
    size_t nx = sx.size();
    if (nx == 0) continue;
    double min_size = t * static_cast<double>(nx) - kEps;
    size_t probe = nx - std::min(nx, ceil_eps(t * static_cast<double>(nx))) + 1;
    touched.clear();
    for (size_t i = 0; i < std::min(nx, probe); ++i) {
      uint32_t tok = sx[i];
      auto& list = index[tok];
      size_t& st = start[tok];
      // Sizes only grow, so entries too small now stay too small.
      while (st < list.size() && static_cast<double>(sets[list[st].doc].size()) < min_size) ++st;
      for (size_t k = st; k < list.size(); ++k) {
        const Posting& e = list[k];
        uint32_t& a = overlap[e.doc];
        if (a == kPruned) continue;
        size_t ny = sets[e.doc].size();
        // Overlap needed: Jaccard ≥ t ⇔ |x ∩ y| ≥ t/(1+t)·(|x|+|y|).
        size_t need = ceil_eps(t / (1 + t) * static_cast<double>(nx + ny));
        size_t reachable = a + 1 + std::min(nx - i - 1, ny - e.pos - 1);
        if (a == 0) touched.push_back(e.doc);
        if (reachable >= need) {
          ++a;
        } else {
          a = kPruned;
        }
      }
    }
    for (uint32_t y : touched) {
      if (overlap[y] != kPruned && overlap[y] > 0) {
        const auto& sy = sets[y];
        size_t inter = 0;
        for (size_t a = 0, b = 0; a < nx && b < sy.size();) {
          if (sx[a] < sy[b]) {
            ++a;
          } else if (sx[a] > sy[b]) {
            ++b;
          } else {
            ++inter, ++a, ++b;
          }
        }
        double uni = static_cast<double>(nx + sy.size() - inter);
        if (static_cast<double>(inter) >= t * uni - kEps) {
          out.push_back({y, x, static_cast<double>(inter) / uni});
        }
      }
      overlap[y] = 0;
    }
    size_t indexed = nx - std::min(nx, ceil_eps(2 * t / (1 + t) * static_cast<double>(nx))) + 1;
    for (size_t i = 0; i < std::min(nx, indexed); ++i) {
      index[sx[i]].push_back({x, static_cast<uint32_t>(i)});
    }
  }
  return out;
}

// 会议记录雷同: two meetings whose minutes share most of their character
// 5-grams. Each later meeting is reported once, with every earlier meeting its
// minutes match (the copy is the later one; the earlier may be honest).
std::unique_ptr<Model> CopiedMinutes() {
  ModelInfo info;
  info.id = "copied_minutes";
  info.name_zh = "会议记录雷同（复制粘贴）";
  info.name_en = "Meeting minutes copied from another meeting";
  info.family = "party";
  info.detects =
      "两次会议的会议记录按字符5元组（5-gram）计算的Jaccard相似度达到阈值，疑似复制粘贴、补记或"
      "虚构会议。";
  info.basis =
      "《中国共产党支部工作条例（试行）》要求如实记录三会一课；各地巡察通报中“会议记录雷同、"
      "照搬照抄、补记代记”是三会一课流于形式的典型表现。";
  info.severity = Severity::kMedium;
  info.inputs = {{"branch_meetings",
                  {"branch_id", "branch_name", "kind", "held_on", "topic", "minutes_text"}}};
  info.params = {
      {"min_jaccard", "0.8", "字符5元组Jaccard相似度阈值", "character 5-gram Jaccard threshold"},
      {"shingle_chars", "5", "片段长度（字符）", "shingle length (characters)"},
      {"min_chars", "30", "参与比对的记录最少字数",
       "minimum minutes length to compare (characters)"},
  };
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("branch_meetings");
    const double threshold = ctx.params.Number("min_jaccard");
    const auto k = static_cast<size_t>(std::max<int64_t>(1, ctx.params.Int("shingle_chars")));
    const auto min_chars = static_cast<size_t>(std::max<int64_t>(0, ctx.params.Int("min_chars")));
    if (threshold <= 0 || threshold > 1) {
      return Status::InvalidArgument("min_jaccard must be in (0, 1]");
    }
    const Column& text = t.col("minutes_text");
    const Column& held = t.col("held_on");
    std::vector<uint32_t> rows;
    std::vector<std::vector<uint64_t>> docs;
    // Texts are dictionary-encoded: identical minutes share one code, so each
    // distinct text is shingled once.
    std::unordered_map<uint32_t, size_t> by_text;
    std::vector<std::vector<uint64_t>> shingled;
    for (size_t r = 0; r < t.size(); ++r) {
      uint32_t c = text.codes[r];
      if (c == kNoString) continue;
      auto [it, fresh] = by_text.try_emplace(c, shingled.size());
      if (fresh) {
        std::vector<char32_t> cps = CodePoints(s.str(c));
        shingled.push_back(cps.size() >= std::max(k, min_chars) ? Shingles(cps, k)
                                                                : std::vector<uint64_t>{});
      }
      if (shingled[it->second].empty()) continue;
      rows.push_back(static_cast<uint32_t>(r));
      docs.push_back(shingled[it->second]);
    }
    std::vector<std::vector<uint64_t>>().swap(shingled);
    std::vector<SimilarPair> pairs = SimilarSets(docs, threshold);
    std::vector<std::vector<uint64_t>>().swap(docs);
    // Earlier = held first (then the smaller key): that one is the original.
    auto earlier = [&](uint32_t a, uint32_t b) {
      int64_t da = held.ints[a], db = held.ints[b];
      if (da != db) return da < db;
      return s.key(t, a) < s.key(t, b);
    };
    std::map<std::string, std::vector<std::pair<uint32_t, double>>> copies;  // copy key → originals
    std::unordered_map<std::string, uint32_t> copy_row;
    for (const SimilarPair& p : pairs) {
      uint32_t a = rows[p.a], b = rows[p.b];
      if (earlier(b, a)) std::swap(a, b);
      std::string key(s.key(t, b));
      copies[key].push_back({a, p.jaccard});
      copy_row[key] = b;
    }
    for (auto& [key, originals] : copies) {
      uint32_t r = copy_row[key];
      std::sort(originals.begin(), originals.end(), [&](const auto& x, const auto& y) {
        if (x.second != y.second) return x.second > y.second;
        return s.key(t, x.first) < s.key(t, y.first);
      });
      Finding f;
      f.identity = key;
      std::string label = BranchLabel(s, t, r);
      f.subject = {"branch_meetings", key, label};
      double best = originals.front().second;
      f.score = ScaleScore(60, (best - threshold) / std::max(1e-9, 1 - threshold), 1.0);
      const std::vector<std::string> cols = {"branch_id", "branch_name", "kind",
                                             "held_on",   "topic",       "minutes_text"};
      f.evidence.push_back(MakeEvidence(s, t, r, cols));
      for (const auto& [o, j] : originals) {
        Evidence e = MakeEvidence(s, t, o, cols);
        char buf[16];
        std::snprintf(buf, sizeof buf, "%.2f", j);
        e.fields.emplace_back("jaccard", buf);
        f.evidence.push_back(std::move(e));
      }
      uint32_t o = originals.front().first;
      char sim[16];
      std::snprintf(sim, sizeof sim, "%.2f", best);
      auto when = [&](uint32_t row) {
        return held.ints[row] == kNull ? std::string() : DayText(held.ints[row]);
      };
      f.summary = label + when(r) + "的" + std::string(s.str(t.col("kind").codes[r])) +
                  "会议记录与" +
                  (BranchLabel(s, t, o) == label ? std::string("本支部") : BranchLabel(s, t, o)) +
                  when(o) + "的" + std::string(s.str(t.col("kind").codes[o])) +
                  "记录高度雷同（字符" + std::to_string(k) + "元组Jaccard相似度" + sim + "）" +
                  (originals.size() > 1
                       ? "，另与" + std::to_string(originals.size() - 1) + "份更早的记录雷同"
                       : "");
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

}  // namespace

void RegisterPartyModels(ModelList* out) {
  out->push_back(MeetingsBelowFrequency());
  out->push_back(AssemblyWithoutQuorum());
  out->push_back(CopiedMinutes());
}

}  // namespace qf::models
