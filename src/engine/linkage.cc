#include "engine/linkage.h"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <boost/unordered/unordered_flat_map.hpp>
#include <cmath>
#include <cstdio>
#include <functional>
#include <new>
#include <tuple>

#include "common/text.h"
#include "engine/names.h"

namespace qf::engine {

namespace {

constexpr int kPatterns = kNameLevels * 4 * 4 * 4 * 4 * 4 * 4;
constexpr double kMinProb = 1e-4;
constexpr double kMinNameM = 0.005;  // m floor of a name level
constexpr double kMinAttrM = 0.02;   // m floor of an attribute level
// How often an outsider holds a phone or account one reference has, relative
// to a second reference holding it.
constexpr double kIdentifierOutsider = 0.1;

// ---------------------------------------------------------------------------
// Interning: every normalised value becomes a dense id (0 = missing), so that
// comparisons are integer compares and blocks are arrays indexed by id.

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct StringEq {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

class Interner {
 public:
  uint32_t Intern(std::string_view s) {
    if (s.empty()) return 0;
    auto it = map_.find(s);
    if (it != map_.end()) return it->second;
    uint32_t id = static_cast<uint32_t>(map_.size() + 1);
    map_.emplace(std::string(s), id);
    return id;
  }
  size_t size() const { return map_.size() + 1; }  // ids are 0 .. size()-1

 private:
  boost::unordered_flat_map<std::string, uint32_t, StringHash, StringEq> map_;
};

// Normalises n values in parallel, chunk by chunk, and interns them in order.
template <typename Fn>
void NormalizeAndIntern(size_t n, const Fn& normalize, Interner* interner,
                        std::vector<uint32_t>* ids) {
  ids->assign(n, 0);
  constexpr size_t kChunk = 1 << 16;
  std::vector<std::string> buf;
  for (size_t base = 0; base < n; base += kChunk) {
    size_t len = std::min(kChunk, n - base);
    buf.assign(len, std::string());
    tbb::parallel_for(tbb::blocked_range<size_t>(0, len, 512), [&](const auto& r) {
      for (size_t i = r.begin(); i < r.end(); ++i) buf[i] = normalize(base + i);
    });
    for (size_t i = 0; i < len; ++i) (*ids)[base + i] = interner->Intern(buf[i]);
  }
}

std::string NormPhone(std::string_view s) {
  std::string d;
  for (char c : s) {
    if (c >= '0' && c <= '9') d.push_back(c);
  }
  if (d.size() == 13 && d.compare(0, 2, "86") == 0) d.erase(0, 2);
  if (d.size() < 7) return "";
  return d;
}

std::string NormAccount(std::string_view s) {
  std::string folded = FoldWidth(s);
  std::string d;
  for (char c : folded) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) d.push_back(c);
  }
  if (d.size() < 6) return "";
  return d;
}

std::string NormRegion(std::string_view s) {
  if (Trim(s).empty()) return "";
  std::string code = RegionCodeOf(s);
  return code.empty() ? NormalizeOrgText(s) : code;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Blocks: the references of one kind grouped by a value id (CSR).

struct Blocks {
  std::vector<uint32_t> off;  // size ids+1
  std::vector<uint32_t> items;
  uint32_t size(uint32_t id) const { return id + 1 < off.size() ? off[id + 1] - off[id] : 0; }
  const uint32_t* begin(uint32_t id) const { return items.data() + off[id]; }
};

// Builds blocks from (id, ref) pairs produced by `each(ref, emit)`.
template <typename Each>
Blocks BuildBlocks(size_t ids, const std::vector<uint32_t>& refs, const Each& each) {
  Blocks b;
  b.off.assign(ids + 1, 0);
  for (uint32_t r : refs) each(r, [&](uint32_t id) { ++b.off[id + 1]; });
  for (size_t i = 1; i <= ids; ++i) b.off[i] += b.off[i - 1];
  b.items.resize(b.off[ids]);
  std::vector<uint32_t> fill(b.off.begin(), b.off.end() - 1);
  for (uint32_t r : refs) each(r, [&](uint32_t id) { b.items[fill[id]++] = r; });
  return b;
}

// Multi-valued field of the references: values per ref (CSR).
struct Multi {
  std::vector<uint32_t> off;
  std::vector<uint32_t> vals;
  bool empty(uint32_t r) const { return off[r] == off[r + 1]; }
  bool contains(uint32_t r, uint32_t v) const {
    for (uint32_t i = off[r]; i < off[r + 1]; ++i) {
      if (vals[i] == v) return true;
    }
    return false;
  }
};

uint64_t Mix(uint64_t h) {
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 29;
  return h;
}

// Hash of a code-point sequence with position `skip` left out (skip ≥ n: none).
// A deletion from a longer name and the whole of a shorter one hash alike.
uint64_t DeletionHash(const char32_t* c, size_t n, size_t skip) {
  uint64_t h = 0x9E3779B97F4A7C15ull + (skip < n ? n - 1 : n);
  for (size_t i = 0; i < n; ++i) {
    if (i == skip) continue;
    h = Mix(h ^ c[i]) * 0x9E3779B97F4A7C15ull;
  }
  return Mix(h) | 1;
}

struct DeletionEntry {
  uint64_t hash;
  uint32_t key;
  bool operator<(const DeletionEntry& o) const {
    return hash < o.hash || (hash == o.hash && key < o.key);
  }
};

// One-deletion neighbourhood of the reference names: sorted entries with a
// bucket index on the top bits of the hash.
struct DeletionIndex {
  std::vector<DeletionEntry> entries;
  std::vector<uint32_t> bucket;  // 2^bits + 1 offsets
  int shift = 64;

  std::pair<const DeletionEntry*, const DeletionEntry*> Find(uint64_t h) const {
    if (entries.empty()) return {nullptr, nullptr};
    size_t b = h >> shift;
    const DeletionEntry* lo = entries.data() + bucket[b];
    const DeletionEntry* hi = entries.data() + bucket[b + 1];
    const DeletionEntry* first =
        std::lower_bound(lo, hi, h, [](const DeletionEntry& e, uint64_t v) { return e.hash < v; });
    const DeletionEntry* last = first;
    while (last != hi && last->hash == h) ++last;
    return {first, last};
  }
};

// ---------------------------------------------------------------------------

struct NameIds {
  uint32_t exact = 0, key = 0, pinyin = 0;
};

struct Fields {
  // Per record (references then mentions, one array each side).
  std::vector<NameIds> name;
  std::vector<uint32_t> address, stem, region;
  std::vector<int32_t> year;
  // Mentions only (references hold these multi-valued).
  std::vector<uint32_t> phone, account, affiliation;
};

// The estimated parameters of one kind, in the form scoring needs.
struct Params {
  std::array<double, kNameLevels> m_name{};
  std::array<std::array<double, kAttrLevels>, kLinkFields> m{};
  std::array<double, kNameLevels> u_name_global{};  // random-pair frequencies
  std::array<double, kLinkFields> u_disagree{};
  double prior = 0.7;
  double outsider = 1.0;
};

int PatternIndex(const std::array<uint8_t, kLinkFields>& lv) {
  int p = lv[0];
  for (int f = 1; f < kLinkFields; ++f) p = p * 4 + lv[f];
  return p;
}

void DefaultM(LinkModel* model) {
  model->m_name = {0.55, 0.15, 0.1, 0.08, 0.07, 0.05};
  for (int f = 1; f < kLinkFields; ++f) model->m[f] = {0.9, 0, 0.1, 0};
  model->m[static_cast<int>(LinkField::kAddress)] = {0.6, 0.25, 0.15, 0};
  model->m[static_cast<int>(LinkField::kAge)] = {0.97, 0, 0.03, 0};
}

bool LevelValid(int f, int l) {
  if (l == static_cast<int>(AttrLevel::kMissing)) return false;
  if (l == static_cast<int>(AttrLevel::kPartial)) return f == static_cast<int>(LinkField::kAddress);
  return true;
}

// EM over the pattern counts of candidate pairs: m, u and the share of
// matching pairs, all free; missing fields count in neither class.
void RunEm(const std::vector<uint64_t>& counts, size_t mentions, int iterations, LinkModel* model) {
  double total = 0;
  for (uint64_t c : counts) total += static_cast<double>(c);
  model->pairs = static_cast<size_t>(total);
  model->mentions = mentions;
  DefaultM(model);
  if (total < 50 || mentions < 20) {
    model->estimated = false;
    return;
  }
  // u starts at the observed level frequencies (most candidate pairs do not match).
  std::array<double, kNameLevels> un{};
  std::array<std::array<double, kAttrLevels>, kLinkFields> ua{};
  for (int p = 0; p < kPatterns; ++p) {
    if (!counts[p]) continue;
    int rest = p;
    std::array<int, kLinkFields> lv{};
    for (int f = kLinkFields - 1; f >= 1; --f) {
      lv[f] = rest % 4;
      rest /= 4;
    }
    lv[0] = rest;
    un[lv[0]] += counts[p];
    for (int f = 1; f < kLinkFields; ++f) ua[f][lv[f]] += counts[p];
  }
  auto normalize = [](auto& arr, auto valid) {
    double s = 0;
    for (size_t l = 0; l < arr.size(); ++l) s += valid(l) ? arr[l] : 0;
    for (size_t l = 0; l < arr.size(); ++l) {
      arr[l] = valid(l) ? std::max(kMinProb, s > 0 ? arr[l] / s : 0.0) : 0;
    }
    s = 0;
    for (size_t l = 0; l < arr.size(); ++l) s += arr[l];
    for (double& v : arr) v /= s;
  };
  normalize(un, [](size_t) { return true; });
  for (int f = 1; f < kLinkFields; ++f) {
    normalize(ua[f], [f](size_t l) { return LevelValid(f, static_cast<int>(l)); });
  }
  double lambda = std::clamp(static_cast<double>(mentions) / total, 1e-3, 0.5);
  auto& mn = model->m_name;
  auto& ma = model->m;
  int it = 0;
  for (; it < iterations; ++it) {
    std::array<double, kNameLevels> mn2{}, un2{};
    std::array<std::array<double, kAttrLevels>, kLinkFields> ma2{}, ua2{};
    double matched = 0;
    for (int p = 0; p < kPatterns; ++p) {
      if (!counts[p]) continue;
      int rest = p;
      std::array<int, kLinkFields> lv{};
      for (int f = kLinkFields - 1; f >= 1; --f) {
        lv[f] = rest % 4;
        rest /= 4;
      }
      lv[0] = rest;
      double a = lambda * mn[lv[0]], b = (1 - lambda) * un[lv[0]];
      for (int f = 1; f < kLinkFields; ++f) {
        if (lv[f] == static_cast<int>(AttrLevel::kMissing)) continue;
        a *= ma[f][lv[f]];
        b *= ua[f][lv[f]];
      }
      double g = a / (a + b);
      double n = static_cast<double>(counts[p]);
      matched += n * g;
      mn2[lv[0]] += n * g;
      un2[lv[0]] += n * (1 - g);
      for (int f = 1; f < kLinkFields; ++f) {
        ma2[f][lv[f]] += n * g;
        ua2[f][lv[f]] += n * (1 - g);
      }
    }
    double new_lambda = std::clamp(matched / total, 1e-6, 1 - 1e-6);
    normalize(mn2, [](size_t) { return true; });
    normalize(un2, [](size_t) { return true; });
    double change = std::abs(new_lambda - lambda);
    for (int l = 0; l < kNameLevels; ++l) change = std::max(change, std::abs(mn2[l] - mn[l]));
    for (int f = 1; f < kLinkFields; ++f) {
      auto valid = [f](size_t l) { return LevelValid(f, static_cast<int>(l)); };
      // A field never present in the sample keeps its defaults.
      double seen = 0;
      for (int l = 0; l < kAttrLevels; ++l) seen += valid(l) ? ma2[f][l] + ua2[f][l] : 0;
      if (seen < 1) continue;
      normalize(ma2[f], valid);
      normalize(ua2[f], valid);
      for (int l = 0; l < kAttrLevels; ++l)
        change = std::max(change, std::abs(ma2[f][l] - ma[f][l]));
      ma[f] = ma2[f];
      ua[f] = ua2[f];
    }
    mn = mn2;
    un = un2;
    lambda = new_lambda;
    if (change < 1e-6) {
      ++it;
      break;
    }
  }
  model->estimated = true;
  model->iterations = it;
  model->lambda = lambda;
  model->prior = std::clamp(lambda * total / static_cast<double>(mentions), 0.05, 0.95);
  // No outcome is impossible for a true match (clerks mistype, people change
  // phones): floors keep one disagreement from outweighing everything else.
  // And agreement must not count against a match, whatever EM made of a field
  // that is mostly missing: m(agree) ≥ m(disagree).
  auto floor = [](auto& arr, double lo, auto valid) {
    double s = 0;
    for (size_t l = 0; l < arr.size(); ++l) {
      if (valid(l)) arr[l] = std::max(arr[l], lo);
      s += arr[l];
    }
    for (double& v : arr) v /= s;
  };
  floor(mn, kMinNameM, [](size_t) { return true; });
  for (int f = 1; f < kLinkFields; ++f) {
    auto& mf = ma[f];
    floor(mf, kMinAttrM, [f](size_t l) { return LevelValid(f, static_cast<int>(l)); });
    if (mf[0] < mf[2]) std::swap(mf[0], mf[2]);
  }
}

// What comparisons read of a reference, in one 32-byte record; references are
// laid out in name-key order so that a key's block is one sequential run.
// Multi-valued fields keep their first value here and flag the rest.
struct Packed {
  static constexpr uint32_t kMorePhones = 1u << 31, kMoreAccounts = 1u << 30,
                            kMoreAffiliations = 1u << 29, kRefMask = (1u << 29) - 1;
  uint32_t ref_flags;
  uint32_t exact, phone, account, affiliation, address, stem, region;
  int32_t born;
  uint32_t ref() const { return ref_flags & kRefMask; }
};

// Everything one kind needs while scoring.
struct KindIndex {
  EntityKind kind;
  std::vector<uint32_t> refs;                   // reference indices of this kind
  double n = 0;                                 // |refs|
  std::vector<Packed> pack;                     // by position
  std::vector<uint32_t> pos_of_ref;             // reference → position (kNoRef: other kind)
  Blocks exact;                                 // exact name id → references
  Blocks key;                                   // name key → positions (pack is in this order)
  Blocks phone, account, address, affiliation;  // value → positions
  Blocks pinyin_keys;  // pinyin id → the name keys of this kind that read so
  std::vector<uint32_t> f_exact, f_key, f_pinyin, f_stem, f_region;  // reference counts per id
  std::vector<int32_t> born;                                         // birth years, sorted
  std::array<double, kLinkFields> present{};                         // refs with the field
  DeletionIndex deletions;
};

// ---------------------------------------------------------------------------

class Linker {
 public:
  Linker(const std::vector<LinkRecord>& refs, const std::vector<LinkAttribute>& attrs,
         const std::vector<LinkRecord>& mentions, const std::vector<LinkDecision>& decisions,
         const LinkOptions& opt)
      : refs_(refs), attrs_(attrs), mentions_(mentions), opt_(opt) {
    decisions_ = decisions;
    std::sort(decisions_.begin(), decisions_.end(),
              [](const auto& a, const auto& b) { return a.mention < b.mention; });
  }

  LinkResult Run() {
    LinkResult out;
    out.matches.resize(mentions_.size());
    out.stats.references = refs_.size();
    out.stats.mentions = mentions_.size();
    Prepare();
    for (EntityKind kind : {EntityKind::kPerson, EntityKind::kOrg}) {
      KindIndex idx = BuildIndex(kind);
      std::vector<uint32_t> ms;
      for (uint32_t i = 0; i < mentions_.size(); ++i) {
        if (mentions_[i].kind == kind) ms.push_back(i);
      }
      LinkModel& model = out.models[static_cast<int>(kind)];
      Params params = Estimate(idx, ms, &model);
      Score(idx, ms, params, &out);
    }
    for (const LinkMatch& m : out.matches) {
      switch (m.status) {
        case LinkStatus::kMatched:
          ++out.stats.matched;
          break;
        case LinkStatus::kReview:
          ++out.stats.review;
          break;
        case LinkStatus::kUnmatched:
          ++out.stats.unmatched;
          break;
        case LinkStatus::kConfirmed:
          ++out.stats.confirmed;
          break;
        case LinkStatus::kRejected:
          ++out.stats.rejected;
          break;
      }
    }
    out.stats.candidate_pairs = pairs_.load();
    out.stats.skipped_blocks = skipped_.load();
    return out;
  }

 private:
  // Normalises and interns every field of every record.
  void Prepare() {
    const size_t nr = refs_.size(), nm = mentions_.size();
    auto rec = [&](size_t i) -> const LinkRecord& { return i < nr ? refs_[i] : mentions_[i - nr]; };
    const size_t all = nr + nm;

    // Names: distinct (kind, spelling) first — names repeat heavily.
    std::vector<uint32_t> raw_id(all);
    std::vector<std::pair<EntityKind, std::string_view>> distinct;
    {
      boost::unordered_flat_map<std::string_view, uint32_t> seen[2];
      for (size_t i = 0; i < all; ++i) {
        const LinkRecord& r = rec(i);
        auto [it, fresh] = seen[static_cast<int>(r.kind)].try_emplace(
            r.name, static_cast<uint32_t>(distinct.size()));
        if (fresh) distinct.emplace_back(r.kind, r.name);
        raw_id[i] = it->second;
      }
    }
    std::vector<NameIds> dn(distinct.size());
    {
      constexpr size_t kChunk = 1 << 15;
      struct Forms {
        std::string exact, key, pinyin;
      };
      std::vector<Forms> buf;
      for (size_t base = 0; base < distinct.size(); base += kChunk) {
        size_t len = std::min(kChunk, distinct.size() - base);
        buf.assign(len, Forms());
        tbb::parallel_for(tbb::blocked_range<size_t>(0, len, 256), [&](const auto& r) {
          for (size_t i = r.begin(); i < r.end(); ++i) {
            auto [kind, raw] = distinct[base + i];
            Forms& f = buf[i];
            if (kind == EntityKind::kPerson) {
              f.exact = NormalizePersonName(raw);
              f.key = f.exact;
            } else {
              OrgName o = SplitOrgName(raw);
              f.key = o.branch.empty() ? o.core : o.core + "#" + o.branch;
              std::string region = RegionCodeOf(o.region);
              if (region.empty()) region = o.region;
              if (!f.key.empty()) f.exact = region + "|" + f.key + "|" + o.form;
            }
            f.pinyin = f.key.empty() ? std::string() : Pinyin(f.key);
          }
        });
        for (size_t i = 0; i < len; ++i) {
          NameIds& ids = dn[base + i];
          ids.exact = exact_.Intern(buf[i].exact);
          ids.key = key_.Intern(buf[i].key);
          ids.pinyin = pinyin_.Intern(buf[i].pinyin);
          if (ids.key != 0 && ids.key >= key_cps_off_.size()) {
            std::u32string cps = CodePoints(buf[i].key);
            key_cps_.insert(key_cps_.end(), cps.begin(), cps.end());
            key_cps_off_.push_back(static_cast<uint32_t>(key_cps_.size()));
            key_pinyin_.push_back(ids.pinyin);
          }
        }
      }
    }
    ref_.name.resize(nr);
    men_.name.resize(nm);
    for (size_t i = 0; i < all; ++i) {
      (i < nr ? ref_.name[i] : men_.name[i - nr]) = dn[raw_id[i]];
    }
    raw_id = {};

    // Single-valued fields of both sides.
    std::vector<uint32_t> ids;
    {
      // Address and its road-and-number stem in one pass.
      std::vector<uint32_t> a(all), st(all);
      constexpr size_t kChunk = 1 << 16;
      std::vector<std::pair<std::string, std::string>> buf;
      for (size_t base = 0; base < all; base += kChunk) {
        size_t len = std::min(kChunk, all - base);
        buf.assign(len, {});
        tbb::parallel_for(tbb::blocked_range<size_t>(0, len, 512), [&](const auto& r) {
          for (size_t i = r.begin(); i < r.end(); ++i) {
            std::string_view raw = rec(base + i).address;
            if (raw.empty()) continue;
            buf[i].first = NormalizeAddress(raw);
            buf[i].second = AddressStem(buf[i].first);
          }
        });
        for (size_t i = 0; i < len; ++i) {
          a[base + i] = address_.Intern(buf[i].first);
          st[base + i] = stem_.Intern(buf[i].second);
        }
      }
      Split(a, &ref_.address, &men_.address);
      Split(st, &ref_.stem, &men_.stem);
    }
    NormalizeAndIntern(
        all, [&](size_t i) { return NormRegion(rec(i).region); }, &region_, &ids);
    Split(ids, &ref_.region, &men_.region);
    region_num_.assign(region_.size(), 0);
    region_len_.assign(region_.size(), 0);
    for (size_t i = 0; i < all; ++i) {
      uint32_t id = i < nr ? ref_.region[i] : men_.region[i - nr];
      if (id == 0 || region_len_[id] != 0) continue;
      std::string code = NormRegion(rec(i).region);
      if (AllDigits(code) && code.size() <= 18) {
        region_num_[id] = std::stoull(code);
        region_len_[id] = static_cast<uint8_t>(code.size());
      }
    }

    ref_.year.resize(nr);
    men_.year.resize(nm);
    for (size_t i = 0; i < nr; ++i) ref_.year[i] = refs_[i].year;
    for (size_t i = 0; i < nm; ++i) men_.year[i] = mentions_[i].year;

    // Multi-valued fields: phone, account, affiliation.
    auto multi = [&](LinkField field, Interner* interner, auto norm, Multi* out,
                     std::vector<uint32_t>* mention_ids) {
      std::vector<uint32_t> v;
      NormalizeAndIntern(
          all,
          [&](size_t i) {
            const LinkRecord& r = rec(i);
            std::string_view s = field == LinkField::kPhone     ? r.phone
                                 : field == LinkField::kAccount ? r.account
                                                                : r.affiliation;
            return norm(s);
          },
          interner, &v);
      mention_ids->assign(v.begin() + static_cast<std::ptrdiff_t>(nr), v.end());
      // Extra attributes of this field.
      std::vector<std::pair<uint32_t, uint32_t>> extra;
      for (const LinkAttribute& a : attrs_) {
        if (a.field != field || a.ref >= nr) continue;
        uint32_t id = interner->Intern(norm(a.value));
        if (id) extra.emplace_back(a.ref, id);
      }
      std::sort(extra.begin(), extra.end());
      extra.erase(std::unique(extra.begin(), extra.end()), extra.end());
      out->off.assign(nr + 1, 0);
      for (size_t r = 0; r < nr; ++r) out->off[r + 1] = v[r] ? 1 : 0;
      for (auto [r, id] : extra) {
        if (id != v[r]) ++out->off[r + 1];
      }
      for (size_t r = 0; r < nr; ++r) out->off[r + 1] += out->off[r];
      out->vals.resize(out->off[nr]);
      std::vector<uint32_t> fill(out->off.begin(), out->off.end() - 1);
      for (size_t r = 0; r < nr; ++r) {
        if (v[r]) out->vals[fill[r]++] = v[r];
      }
      for (auto [r, id] : extra) {
        if (id != v[r]) out->vals[fill[r]++] = id;
      }
    };
    multi(LinkField::kPhone, &phone_, NormPhone, &ref_phone_, &men_.phone);
    multi(LinkField::kAccount, &account_, NormAccount, &ref_account_, &men_.account);
    multi(
        LinkField::kAffiliation, &affiliation_,
        [](std::string_view s) { return std::string(Trim(s)); }, &ref_affiliation_,
        &men_.affiliation);

    // A company's landline or account on a person's mention (the contact
    // reached at the switchboard) says nothing about which person it is.
    auto org_values = [&](const Multi& mv, size_t ids) {
      std::vector<bool> held(ids, false);
      for (size_t r = 0; r < nr; ++r) {
        if (refs_[r].kind != EntityKind::kOrg) continue;
        for (uint32_t k = mv.off[r]; k < mv.off[r + 1]; ++k) held[mv.vals[k]] = true;
      }
      return held;
    };
    std::vector<bool> org_phone = org_values(ref_phone_, phone_.size());
    std::vector<bool> org_account = org_values(ref_account_, account_.size());
    for (size_t i = 0; i < nm; ++i) {
      if (mentions_[i].kind != EntityKind::kPerson) continue;
      if (org_phone[men_.phone[i]]) men_.phone[i] = 0;
      if (org_account[men_.account[i]]) men_.account[i] = 0;
    }
  }

  void Split(const std::vector<uint32_t>& ids, std::vector<uint32_t>* r, std::vector<uint32_t>* m) {
    const size_t nr = refs_.size();
    r->assign(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(nr));
    m->assign(ids.begin() + static_cast<std::ptrdiff_t>(nr), ids.end());
  }

  std::u32string_view KeyCps(uint32_t key) const {
    if (key == 0) return {};
    return std::u32string_view(key_cps_.data() + key_cps_off_[key - 1],
                               key_cps_off_[key] - key_cps_off_[key - 1]);
  }

  KindIndex BuildIndex(EntityKind kind) {
    KindIndex idx;
    idx.kind = kind;
    for (uint32_t r = 0; r < refs_.size(); ++r) {
      if (refs_[r].kind == kind) idx.refs.push_back(r);
    }
    idx.n = static_cast<double>(idx.refs.size());
    const auto& nm = ref_.name;
    idx.exact = BuildBlocks(exact_.size(), idx.refs, [&](uint32_t r, auto emit) {
      if (nm[r].exact) emit(nm[r].exact);
    });
    idx.key = BuildBlocks(key_.size(), idx.refs, [&](uint32_t r, auto emit) {
      if (nm[r].key) emit(nm[r].key);
    });
    // Positions: references in key-block order, those without a name last.
    std::vector<uint32_t> order(idx.key.items);
    for (uint32_t r : idx.refs) {
      if (nm[r].key == 0) order.push_back(r);
    }
    idx.pos_of_ref.assign(refs_.size(), kNoRef);
    idx.pack.resize(order.size());
    for (uint32_t pos = 0; pos < order.size(); ++pos) {
      uint32_t r = order[pos];
      idx.pos_of_ref[r] = pos;
      Packed& q = idx.pack[pos];
      auto first = [&](const Multi& mv, uint32_t flag, uint32_t* out) {
        *out = mv.empty(r) ? 0 : mv.vals[mv.off[r]];
        if (mv.off[r + 1] - mv.off[r] > 1) q.ref_flags |= flag;
      };
      q.ref_flags = r;
      q.exact = nm[r].exact;
      first(ref_phone_, Packed::kMorePhones, &q.phone);
      first(ref_account_, Packed::kMoreAccounts, &q.account);
      first(ref_affiliation_, Packed::kMoreAffiliations, &q.affiliation);
      q.address = ref_.address[r];
      q.stem = ref_.stem[r];
      q.region = ref_.region[r];
      q.born = ref_.year[r];
      if (q.born) idx.born.push_back(q.born);
    }
    std::sort(idx.born.begin(), idx.born.end());
    idx.present[static_cast<int>(LinkField::kAge)] = static_cast<double>(idx.born.size());
    std::vector<uint32_t> positions(order.size());
    for (uint32_t pos = 0; pos < positions.size(); ++pos) positions[pos] = pos;
    auto single = [&](const std::vector<uint32_t>& v) {
      return [&](uint32_t pos, auto emit) {
        uint32_t r = order[pos];
        if (v[r]) emit(v[r]);
      };
    };
    auto multi = [&](const Multi& mv) {
      return [&](uint32_t pos, auto emit) {
        uint32_t r = order[pos];
        for (uint32_t i = mv.off[r]; i < mv.off[r + 1]; ++i) emit(mv.vals[i]);
      };
    };
    idx.address = BuildBlocks(address_.size(), positions, single(ref_.address));
    idx.phone = BuildBlocks(phone_.size(), positions, multi(ref_phone_));
    idx.account = BuildBlocks(account_.size(), positions, multi(ref_account_));
    idx.affiliation = BuildBlocks(affiliation_.size(), positions, multi(ref_affiliation_));
    auto counts = [&](const Blocks& b) {
      std::vector<uint32_t> f(b.off.size() - 1);
      for (size_t i = 0; i + 1 < b.off.size(); ++i) f[i] = b.off[i + 1] - b.off[i];
      return f;
    };
    idx.f_exact = counts(idx.exact);
    idx.f_key = counts(idx.key);
    idx.f_pinyin.assign(pinyin_.size(), 0);
    for (uint32_t r : idx.refs) {
      if (nm[r].pinyin) ++idx.f_pinyin[nm[r].pinyin];
    }
    idx.f_stem.assign(stem_.size(), 0);
    idx.f_region.assign(region_.size(), 0);
    for (uint32_t r : idx.refs) {
      if (ref_.stem[r]) ++idx.f_stem[ref_.stem[r]];
      if (ref_.region[r]) ++idx.f_region[ref_.region[r]];
      idx.present[static_cast<int>(LinkField::kPhone)] += ref_phone_.empty(r) ? 0 : 1;
      idx.present[static_cast<int>(LinkField::kAccount)] += ref_account_.empty(r) ? 0 : 1;
      idx.present[static_cast<int>(LinkField::kAffiliation)] += ref_affiliation_.empty(r) ? 0 : 1;
      idx.present[static_cast<int>(LinkField::kAddress)] += ref_.address[r] ? 1 : 0;
      idx.present[static_cast<int>(LinkField::kRegion)] += ref_.region[r] ? 1 : 0;
    }

    // One-deletion neighbourhood over the distinct name keys of this kind.
    std::vector<uint32_t> keys;
    for (uint32_t k = 1; k < idx.f_key.size(); ++k) {
      if (idx.f_key[k]) keys.push_back(k);
    }
    idx.pinyin_keys = BuildBlocks(pinyin_.size(), keys, [&](uint32_t k, auto emit) {
      if (key_pinyin_[k]) emit(key_pinyin_[k]);
    });
    std::vector<size_t> start(keys.size() + 1, 0);
    for (size_t i = 0; i < keys.size(); ++i) start[i + 1] = start[i] + KeyCps(keys[i]).size() + 1;
    auto& entries = idx.deletions.entries;
    entries.resize(start.back());
    tbb::parallel_for(tbb::blocked_range<size_t>(0, keys.size(), 1024), [&](const auto& r) {
      for (size_t i = r.begin(); i < r.end(); ++i) {
        std::u32string_view c = KeyCps(keys[i]);
        for (size_t s = 0; s <= c.size(); ++s) {
          entries[start[i] + s] = {DeletionHash(c.data(), c.size(), s), keys[i]};
        }
      }
    });
    tbb::parallel_sort(entries.begin(), entries.end());
    entries.erase(std::unique(entries.begin(), entries.end(),
                              [](const DeletionEntry& a, const DeletionEntry& b) {
                                return a.hash == b.hash && a.key == b.key;
                              }),
                  entries.end());
    int bits = 10;
    while ((size_t{1} << bits) < entries.size() && bits < 24) ++bits;
    idx.deletions.shift = 64 - bits;
    idx.deletions.bucket.assign((size_t{1} << bits) + 1, 0);
    for (const DeletionEntry& e : entries)
      ++idx.deletions.bucket[(e.hash >> idx.deletions.shift) + 1];
    for (size_t b = 1; b < idx.deletions.bucket.size(); ++b) {
      idx.deletions.bucket[b] += idx.deletions.bucket[b - 1];
    }
    return idx;
  }

  using Levels = std::array<uint8_t, kLinkFields>;

  // One candidate, or a block of references that compare alike (a name key's
  // references against a mention with no attributes): `mult` of them, the
  // first two named.
  struct Cand {
    uint32_t ref, ref2;
    uint32_t mult;
    Levels lv;
  };

  struct Scratch {
    std::vector<uint32_t> ref_stamp, key_stamp;
    uint32_t epoch = 0;
    std::vector<std::pair<uint32_t, uint8_t>> keys;
    std::vector<Cand> cands;
    size_t skipped = 0, pairs = 0;
  };

  Scratch& Local(tbb::enumerable_thread_specific<Scratch>& tls) {
    Scratch& s = tls.local();
    if (s.ref_stamp.size() != refs_.size()) s.ref_stamp.assign(refs_.size(), 0);
    if (s.key_stamp.size() != key_.size()) s.key_stamp.assign(key_.size(), 0);
    return s;
  }

  std::pair<const LinkDecision*, const LinkDecision*> DecisionsOf(uint32_t mention) const {
    auto lo = std::lower_bound(decisions_.begin(), decisions_.end(), mention,
                               [](const LinkDecision& d, uint32_t m) { return d.mention < m; });
    auto hi = lo;
    while (hi != decisions_.end() && hi->mention == mention) ++hi;
    return {decisions_.data() + (lo - decisions_.begin()),
            decisions_.data() + (hi - decisions_.begin())};
  }

  bool HasAttributes(uint32_t i) const {
    return men_.phone[i] || men_.account[i] || men_.address[i] || men_.affiliation[i] ||
           men_.region[i] || men_.year[i];
  }

  // Name level of another key than the mention's own (pinyin before edits).
  NameLevel KeyLevel(uint32_t mkey, uint32_t mpinyin, uint32_t k) const {
    if (mpinyin != 0 && key_pinyin_[k] == mpinyin) return NameLevel::kPinyin;
    std::u32string_view x = KeyCps(mkey), y = KeyCps(k);
    if (!WithinOneEdit(x, y)) return NameLevel::kDiffer;
    return std::min(x.size(), y.size()) >= 3 ? NameLevel::kEdit1 : NameLevel::kEdit1Short;
  }

  NameLevel PairNameLevel(uint32_t i, uint32_t r) const {
    const NameIds& a = men_.name[i];
    const NameIds& b = ref_.name[r];
    if (a.key == 0 || b.key == 0) return NameLevel::kDiffer;
    if (a.exact == b.exact) return NameLevel::kExact;
    if (a.key == b.key) return NameLevel::kSameKey;
    return KeyLevel(a.key, a.pinyin, b.key);
  }

  bool RegionsNested(uint32_t a, uint32_t b) const {
    uint8_t la = region_len_[a], lb = region_len_[b];
    if (la == 0 || lb == 0 || la == lb) return false;
    uint64_t x = region_num_[a], y = region_num_[b];
    if (la > lb) {
      std::swap(x, y);
      std::swap(la, lb);
    }
    for (int k = la; k < lb; ++k) y /= 10;
    return x == y;
  }

  // Attribute levels of mention i against the reference at `pos`.
  void AttrLevels(const KindIndex& idx, uint32_t i, uint32_t pos, Levels& lv) const {
    const Packed& q = idx.pack[pos];
    auto multi = [&](uint32_t v, uint32_t first, uint32_t flag, const Multi& mv) {
      if (v == 0 || first == 0) return AttrLevel::kMissing;
      if (v == first) return AttrLevel::kAgree;
      if ((q.ref_flags & flag) && mv.contains(q.ref(), v)) return AttrLevel::kAgree;
      return AttrLevel::kDisagree;
    };
    lv[static_cast<int>(LinkField::kPhone)] =
        static_cast<uint8_t>(multi(men_.phone[i], q.phone, Packed::kMorePhones, ref_phone_));
    lv[static_cast<int>(LinkField::kAccount)] = static_cast<uint8_t>(
        multi(men_.account[i], q.account, Packed::kMoreAccounts, ref_account_));
    lv[static_cast<int>(LinkField::kAffiliation)] = static_cast<uint8_t>(
        multi(men_.affiliation[i], q.affiliation, Packed::kMoreAffiliations, ref_affiliation_));
    AttrLevel addr = AttrLevel::kMissing;
    if (men_.address[i] && q.address) {
      addr = men_.address[i] == q.address                  ? AttrLevel::kAgree
             : men_.stem[i] != 0 && men_.stem[i] == q.stem ? AttrLevel::kPartial
                                                           : AttrLevel::kDisagree;
    }
    lv[static_cast<int>(LinkField::kAddress)] = static_cast<uint8_t>(addr);
    AttrLevel region = AttrLevel::kMissing;
    uint32_t ra = men_.region[i], rb = q.region;
    if (ra && rb) {
      region = ra == rb                ? AttrLevel::kAgree
               : RegionsNested(ra, rb) ? AttrLevel::kMissing
                                       : AttrLevel::kDisagree;
    }
    lv[static_cast<int>(LinkField::kRegion)] = static_cast<uint8_t>(region);
    AttrLevel age = AttrLevel::kMissing;
    if (men_.year[i] && q.born)
      age = q.born <= men_.year[i] ? AttrLevel::kAgree : AttrLevel::kDisagree;
    lv[static_cast<int>(LinkField::kAge)] = static_cast<uint8_t>(age);
  }

  Levels Compare(const KindIndex& idx, uint32_t i, uint32_t pos) const {
    Levels lv{};
    lv[0] = static_cast<uint8_t>(PairNameLevel(i, idx.pack[pos].ref()));
    AttrLevels(idx, i, pos, lv);
    return lv;
  }

  // The candidates of mention i into s.cands: references whose name key is
  // the mention's, a homophone or one edit away (exact, pinyin and deletion
  // blocks), and references sharing a phone, account, address or
  // affiliation. Oversized blocks are skipped; rejected references left out.
  // Without attributes and decisions the references of one key compare alike
  // and come as one aggregated candidate.
  void Candidates(const KindIndex& idx, uint32_t i, Scratch& s) const {
    if (++s.epoch == 0) {
      std::fill(s.ref_stamp.begin(), s.ref_stamp.end(), 0);
      std::fill(s.key_stamp.begin(), s.key_stamp.end(), 0);
      s.epoch = 1;
    }
    s.cands.clear();
    s.keys.clear();
    const LinkDecision* dlo = nullptr;
    const LinkDecision* dhi = nullptr;
    if (!decisions_.empty()) std::tie(dlo, dhi) = DecisionsOf(i);
    const bool aggregate = dlo == dhi && !HasAttributes(i);
    auto rejected = [&](uint32_t pos) {
      uint32_t r = idx.pack[pos].ref();
      for (auto* d = dlo; d != dhi; ++d) {
        if (!d->confirm && d->ref == r) return true;
      }
      return false;
    };
    Levels missing;
    missing.fill(static_cast<uint8_t>(AttrLevel::kMissing));
    auto take = [&](uint32_t r, const Levels& lv) {
      if (dlo != dhi && rejected(r)) return;
      s.cands.push_back(Cand{r, kNoRef, 1, lv});
    };
    // Every reference of a key block, or the block aggregated.
    auto key_block = [&](uint32_t k, NameLevel level) {
      uint32_t b = idx.key.off[k], e = idx.key.off[k + 1];
      if (aggregate) {
        Levels lv = missing;
        lv[0] = static_cast<uint8_t>(level);
        s.cands.push_back(Cand{b, e - b > 1 ? b + 1 : kNoRef, e - b, lv});
        return;
      }
      for (uint32_t pos = b; pos < e; ++pos) {
        s.ref_stamp[pos] = s.epoch;
        Levels lv;
        lv[0] = static_cast<uint8_t>(level);
        AttrLevels(idx, i, pos, lv);
        take(pos, lv);
      }
    };

    const NameIds& nm = men_.name[i];
    if (nm.key != 0 && nm.key < idx.f_key.size()) {
      // The mention's own key: exact, or the same core with another region/form.
      uint32_t fk = idx.f_key[nm.key];
      if (fk > opt_.max_exact_block) {
        ++s.skipped;
      } else if (fk > 0) {
        s.key_stamp[nm.key] = s.epoch;
        uint32_t fe = nm.exact < idx.f_exact.size() ? idx.f_exact[nm.exact] : 0;
        if (fe == fk) {
          key_block(nm.key, NameLevel::kExact);
        } else if (aggregate) {
          Levels lv = missing;
          uint32_t b = idx.key.off[nm.key], e = idx.key.off[nm.key + 1];
          uint32_t ex[2] = {kNoRef, kNoRef}, other[2] = {kNoRef, kNoRef};
          for (uint32_t pos = b; pos < e; ++pos) {
            uint32_t* slot = idx.pack[pos].exact == nm.exact ? ex : other;
            if (slot[0] == kNoRef) {
              slot[0] = pos;
            } else if (slot[1] == kNoRef) {
              slot[1] = pos;
            }
          }
          if (fe > 0) {
            lv[0] = static_cast<uint8_t>(NameLevel::kExact);
            s.cands.push_back(Cand{ex[0], ex[1], fe, lv});
          }
          lv[0] = static_cast<uint8_t>(NameLevel::kSameKey);
          s.cands.push_back(Cand{other[0], other[1], fk - fe, lv});
        } else {
          for (uint32_t pos = idx.key.off[nm.key]; pos < idx.key.off[nm.key + 1]; ++pos) {
            s.ref_stamp[pos] = s.epoch;
            Levels lv;
            lv[0] = static_cast<uint8_t>(idx.pack[pos].exact == nm.exact ? NameLevel::kExact
                                                                         : NameLevel::kSameKey);
            AttrLevels(idx, i, pos, lv);
            take(pos, lv);
          }
        }
      }
      // Homophones: the other keys of the same pinyin.
      if (nm.pinyin != 0 && nm.pinyin < idx.f_pinyin.size() && idx.f_pinyin[nm.pinyin] > 0) {
        if (idx.f_pinyin[nm.pinyin] - (s.key_stamp[nm.key] == s.epoch ? fk : 0) > opt_.max_block) {
          ++s.skipped;
        } else {
          const uint32_t* p = idx.pinyin_keys.begin(nm.pinyin);
          for (uint32_t j = 0, n = idx.pinyin_keys.size(nm.pinyin); j < n; ++j) {
            if (s.key_stamp[p[j]] == s.epoch) continue;
            s.key_stamp[p[j]] = s.epoch;
            s.keys.emplace_back(p[j], static_cast<uint8_t>(NameLevel::kPinyin));
          }
        }
      }
      // One edit away: the one-deletion neighbourhood.
      std::u32string_view c = KeyCps(nm.key);
      for (size_t skip = 0; skip <= c.size(); ++skip) {
        uint64_t h = DeletionHash(c.data(), c.size(), skip);
        auto [first, last] = idx.deletions.Find(h);
        uint64_t total = 0;
        for (auto* e = first; e != last && total <= opt_.max_block; ++e) total += idx.f_key[e->key];
        if (total > opt_.max_block) {
          ++s.skipped;
          continue;
        }
        for (auto* e = first; e != last; ++e) {
          if (s.key_stamp[e->key] == s.epoch) continue;
          s.key_stamp[e->key] = s.epoch;
          NameLevel l = KeyLevel(nm.key, nm.pinyin, e->key);
          if (l != NameLevel::kDiffer) s.keys.emplace_back(e->key, static_cast<uint8_t>(l));
        }
      }
      for (auto [k, l] : s.keys) key_block(k, static_cast<NameLevel>(l));
    }
    if (!aggregate) {
      auto attr_block = [&](const Blocks& b, uint32_t id) {
        if (id == 0) return;
        uint32_t n = b.size(id);
        if (n == 0) return;
        if (n > opt_.max_block) {
          ++s.skipped;
          return;
        }
        const uint32_t* p = b.begin(id);
        for (uint32_t j = 0; j < n; ++j) {
          uint32_t pos = p[j];
          if (s.ref_stamp[pos] == s.epoch) continue;
          s.ref_stamp[pos] = s.epoch;
          take(pos, Compare(idx, i, pos));
        }
      };
      attr_block(idx.phone, men_.phone[i]);
      attr_block(idx.account, men_.account[i]);
      attr_block(idx.address, men_.address[i]);
      attr_block(idx.affiliation, men_.affiliation[i]);
      for (auto* d = dlo; d != dhi; ++d) {
        uint32_t pos = idx.pos_of_ref[d->ref];
        if (d->confirm && pos != kNoRef && s.ref_stamp[pos] != s.epoch) {
          s.ref_stamp[pos] = s.epoch;
          s.cands.push_back(Cand{pos, kNoRef, 1, Compare(idx, i, pos)});
        }
      }
    }
    for (const Cand& c : s.cands) s.pairs += c.mult;
  }

  // Trains m (and the prior) by EM on a deterministic sample of mentions, and
  // measures the random-pair frequencies of the fuzzy name levels.
  Params Estimate(const KindIndex& idx, const std::vector<uint32_t>& ms, LinkModel* model) {
    Params p;
    p.outsider = opt_.name_outsider[static_cast<int>(idx.kind)];
    std::vector<uint32_t> sample;
    size_t want = std::max<size_t>(1, opt_.em_sample);
    size_t step = std::max<size_t>(1, (ms.size() + want - 1) / want);
    for (size_t k = 0; k < ms.size(); k += step) sample.push_back(ms[k]);
    tbb::enumerable_thread_specific<Scratch> tls;
    tbb::enumerable_thread_specific<std::vector<uint64_t>> hist(
        [] { return std::vector<uint64_t>(kPatterns, 0); });
    if (!idx.refs.empty()) {
      tbb::parallel_for(tbb::blocked_range<size_t>(0, sample.size(), 256), [&](const auto& r) {
        Scratch& s = Local(tls);
        auto& h = hist.local();
        for (size_t k = r.begin(); k < r.end(); ++k) {
          Candidates(idx, sample[k], s);
          for (const Cand& c : s.cands) h[PatternIndex(c.lv)] += c.mult;
        }
      });
    }
    std::vector<uint64_t> counts(kPatterns, 0);
    for (const auto& h : hist) {
      for (int i = 0; i < kPatterns; ++i) counts[i] += h[i];
    }
    RunEm(counts, sample.size(), opt_.em_iterations, model);
    p.m_name = model->m_name;
    p.m = model->m;
    p.prior = opt_.prior > 0 ? std::min(opt_.prior, 0.999) : model->estimated ? model->prior : 0.7;
    model->prior = p.prior;

    // u of the name levels over random pairs (the fuzzy levels have no
    // per-value frequency to take).
    std::array<double, kNameLevels> hits{};
    size_t tries = 0;
    if (!ms.empty() && !idx.refs.empty()) {
      uint64_t state = 0x5EED0000ull + static_cast<uint64_t>(idx.kind);
      size_t want_pairs = std::min<size_t>(200000, ms.size() * idx.refs.size());
      for (; tries < want_pairs; ++tries) {
        state += 0x9E3779B97F4A7C15ull;
        uint64_t z = Mix(state);
        uint32_t mi = ms[z % ms.size()];
        uint32_t ri = idx.refs[(z >> 32) % idx.refs.size()];
        ++hits[static_cast<int>(PairNameLevel(mi, ri))];
      }
    }
    double t = std::max<double>(1, static_cast<double>(tries));
    for (int l = 0; l < kNameLevels; ++l) p.u_name_global[l] = std::max(hits[l], 1.0) / t;
    p.u_name_global[static_cast<int>(NameLevel::kDiffer)] =
        std::max(0.5, hits[static_cast<int>(NameLevel::kDiffer)] / t);
    model->u_name = p.u_name_global;

    // u(disagree) of an attribute: 1 − the chance two references share a value.
    auto collision = [&](const std::vector<uint32_t>& f, double present) {
      if (present <= 0) return 0.0;
      double q = 0;
      for (uint32_t c : f) q += (c / present) * (c / present);
      return q;
    };
    auto counts_of = [](const Blocks& b) {
      std::vector<uint32_t> f(b.off.size() - 1);
      for (size_t i = 0; i + 1 < b.off.size(); ++i) f[i] = b.off[i + 1] - b.off[i];
      return f;
    };
    using F = LinkField;
    p.u_disagree[static_cast<int>(F::kPhone)] =
        1 - collision(counts_of(idx.phone), idx.present[static_cast<int>(F::kPhone)]);
    p.u_disagree[static_cast<int>(F::kAccount)] =
        1 - collision(counts_of(idx.account), idx.present[static_cast<int>(F::kAccount)]);
    p.u_disagree[static_cast<int>(F::kAffiliation)] =
        1 - collision(counts_of(idx.affiliation), idx.present[static_cast<int>(F::kAffiliation)]);
    p.u_disagree[static_cast<int>(F::kAddress)] =
        1 - collision(idx.f_stem, idx.present[static_cast<int>(F::kAddress)]);
    p.u_disagree[static_cast<int>(F::kRegion)] =
        1 - collision(idx.f_region, idx.present[static_cast<int>(F::kRegion)]);
    for (int f = 1; f < kLinkFields; ++f) {
      p.u_disagree[f] = std::clamp(p.u_disagree[f], 0.05, 1.0);
      model->u[f] = {0, 0, p.u_disagree[f], 0};
    }
    return p;
  }

  static float W(double m, double u) {
    return static_cast<float>(std::log2(std::max(m, kMinProb) / std::max(u, 1e-12)));
  }

  // The weight of every level of every field for mention i: m from EM, u
  // from how many references stand at that level to this mention's own
  // values (term frequency), fuzzy name levels no rarer than over random pairs.
  struct WeightTable {
    std::array<float, kNameLevels> name{};
    std::array<std::array<float, kAttrLevels>, kLinkFields> attr{};
    float total(const Levels& lv) const {
      float t = name[lv[0]];
      for (int f = 1; f < kLinkFields; ++f) t += attr[f][lv[f]];
      return t;
    }
  };

  WeightTable Weights(const KindIndex& idx, const Params& p, uint32_t i,
                      const std::array<double, kNameLevels>& seen) const {
    WeightTable w;
    const double n = std::max(1.0, idx.n);
    const NameIds& nm = men_.name[i];
    if (nm.key != 0) {
      double fe = nm.exact < idx.f_exact.size() ? idx.f_exact[nm.exact] : 0;
      double fk = nm.key < idx.f_key.size() ? idx.f_key[nm.key] : 0;
      double fp = nm.pinyin < idx.f_pinyin.size() ? idx.f_pinyin[nm.pinyin] : 0;
      auto tf = [&](double c) { return std::max(c - 1 + p.outsider, p.outsider) / n; };
      std::array<double, kNameLevels> u{};
      u[0] = tf(fe);
      u[1] = tf(fk - fe);
      u[2] = tf(fp - fk);
      for (int l = 3; l < kNameLevels - 1; ++l) u[l] = std::max(p.u_name_global[l], tf(seen[l]));
      u[kNameLevels - 1] = p.u_name_global[kNameLevels - 1];
      for (int l = 0; l < kNameLevels; ++l) w.name[l] = W(p.m_name[l], u[l]);
    }
    // Phones and accounts identify: a value one reference holds is shared by
    // an outsider only by mistake. Over all references of the kind: one
    // without the value does not agree either.
    auto tf = [&](double count, int f) {
      double eps =
          f == static_cast<int>(LinkField::kPhone) || f == static_cast<int>(LinkField::kAccount)
              ? kIdentifierOutsider
              : 1.0;
      return std::max(count - 1 + eps, eps) / n;
    };
    using F = LinkField;
    auto set = [&](F field, double agree_count, double partial_count) {
      int f = static_cast<int>(field);
      w.attr[f][0] = W(p.m[f][0], tf(agree_count, f));
      w.attr[f][1] = W(p.m[f][1], tf(partial_count, f));
      w.attr[f][2] = W(p.m[f][2], p.u_disagree[f]);
      w.attr[f][3] = 0;
    };
    set(F::kPhone, idx.phone.size(men_.phone[i]), 0);
    set(F::kAccount, idx.account.size(men_.account[i]), 0);
    set(F::kAffiliation, idx.affiliation.size(men_.affiliation[i]), 0);
    set(F::kRegion, men_.region[i] ? idx.f_region[men_.region[i]] : 0, 0);
    double exact = idx.address.size(men_.address[i]);
    double stem = men_.stem[i] ? idx.f_stem[men_.stem[i]] : 0;
    set(F::kAddress, exact, std::max(0.0, stem - exact));
    // Age: the share of references born by the mention's year agrees by chance.
    const int age = static_cast<int>(F::kAge);
    if (men_.year[i] && !idx.born.empty()) {
      double by = static_cast<double>(
          std::upper_bound(idx.born.begin(), idx.born.end(), men_.year[i]) - idx.born.begin());
      double share = std::clamp(by / static_cast<double>(idx.born.size()), 0.01, 0.99);
      w.attr[age][0] = W(p.m[age][0], share);
      w.attr[age][2] = W(p.m[age][2], 1 - share);
    }
    return w;
  }

  void Score(const KindIndex& idx, const std::vector<uint32_t>& ms, const Params& p,
             LinkResult* out) {
    tbb::enumerable_thread_specific<Scratch> tls;
    const double n = std::max(1.0, idx.n);
    const double bg = p.m_name[static_cast<int>(NameLevel::kDiffer)] /
                      p.u_name_global[static_cast<int>(NameLevel::kDiffer)];
    const double outside = (1 - p.prior) * n / p.prior;
    tbb::parallel_for(tbb::blocked_range<size_t>(0, ms.size(), 128), [&](const auto& range) {
      Scratch& s = Local(tls);
      for (size_t k = range.begin(); k < range.end(); ++k) {
        uint32_t i = ms[k];
        LinkMatch& res = out->matches[i];
        res = LinkMatch();
        if (idx.refs.empty()) continue;
        Candidates(idx, i, s);
        std::array<double, kNameLevels> seen{};
        double count = 0;
        for (const Cand& c : s.cands) {
          seen[c.lv[0]] += c.mult;
          count += c.mult;
        }
        res.candidates = static_cast<uint32_t>(count);
        WeightTable w = Weights(idx, p, i, seen);
        uint32_t confirmed = kNoRef;  // a position
        bool rejected_any = false;
        if (!decisions_.empty()) {
          auto [lo, hi] = DecisionsOf(i);
          for (auto* d = lo; d != hi; ++d) {
            if (d->confirm) {
              confirmed = idx.pos_of_ref[d->ref];
            } else {
              rejected_any = true;
            }
          }
        }
        // The best candidate (the confirmed one, whatever its weight) and the runner-up.
        double sum = 0, best = 0, second = 0;
        const Cand* best_c = nullptr;
        uint32_t second_ref = kNoRef;
        bool has_second = false;
        for (const Cand& c : s.cands) {
          double total = w.total(c.lv);
          sum += c.mult * std::exp2(total);
          bool take =
              best_c == nullptr || c.ref == confirmed || (total > best && best_c->ref != confirmed);
          if (take) {
            if (best_c != nullptr) {
              second = best;
              second_ref = best_c->ref;
              has_second = true;
            }
            best = total;
            best_c = &c;
          } else if (!has_second || total > second) {
            second = total;
            second_ref = c.ref;
            has_second = true;
          }
        }
        if (best_c == nullptr) {
          res.status = rejected_any ? LinkStatus::kRejected : LinkStatus::kUnmatched;
          continue;
        }
        // A block of equals: its second member is the runner-up.
        if (best_c->mult > 1 && (!has_second || second <= best)) {
          second = best;
          second_ref = best_c->ref2;
          has_second = true;
        }
        double others = std::max(0.0, n - count) * bg;
        const bool is_confirmed = best_c->ref == confirmed;
        res.ref = idx.pack[best_c->ref].ref();
        res.weight = best;
        res.levels = best_c->lv;
        for (int f = 0; f < kLinkFields; ++f) {
          res.weights[f] = f == 0 ? w.name[best_c->lv[0]] : w.attr[f][best_c->lv[f]];
        }
        res.probability = std::exp2(best) / (outside + sum + others);
        if (has_second && second_ref != kNoRef) {
          res.runner_up = idx.pack[second_ref].ref();
          res.runner_up_weight = second;
        }
        // After a rejection only a clear match replaces the rejected one.
        if (is_confirmed) {
          res.status = LinkStatus::kConfirmed;
        } else if (res.probability >= opt_.match_threshold) {
          res.status = LinkStatus::kMatched;
        } else if (rejected_any) {
          res.status = LinkStatus::kRejected;
        } else if (res.probability >= opt_.review_threshold) {
          res.status = LinkStatus::kReview;
        } else {
          res.status = LinkStatus::kUnmatched;
        }
      }
    });
    for (Scratch& s : tls) {
      skipped_ += s.skipped;
      pairs_ += s.pairs;
    }
  }

  const std::vector<LinkRecord>& refs_;
  const std::vector<LinkAttribute>& attrs_;
  const std::vector<LinkRecord>& mentions_;
  std::vector<LinkDecision> decisions_;
  LinkOptions opt_;

  Interner exact_, key_, pinyin_, address_, stem_, region_, phone_, account_, affiliation_;
  std::vector<char32_t> key_cps_;
  std::vector<uint32_t> key_cps_off_ = {0};  // key id k: [off[k-1], off[k])
  std::vector<uint32_t> key_pinyin_ = {0};   // key id → pinyin id
  std::vector<uint64_t> region_num_;         // region id → its digits as a number
  std::vector<uint8_t> region_len_;          // … and their count (0: not a code)
  Fields ref_, men_;
  Multi ref_phone_, ref_account_, ref_affiliation_;
  std::atomic<size_t> skipped_{0}, pairs_{0};
};

}  // namespace

Result<LinkResult> Link(const std::vector<LinkRecord>& refs,
                        const std::vector<LinkAttribute>& attributes,
                        const std::vector<LinkRecord>& mentions,
                        const std::vector<LinkDecision>& decisions, const LinkOptions& options) {
  if (!(options.review_threshold >= 0 && options.review_threshold <= options.match_threshold &&
        options.match_threshold <= 1)) {
    return Status::InvalidInput("linkage thresholds must satisfy 0 ≤ review ≤ match ≤ 1",
                                "匹配阈值设置有误：须满足 0 ≤ 复核阈值 ≤ 匹配阈值 ≤ 1");
  }
  if (options.max_block == 0 || options.max_exact_block == 0) {
    return Status::InvalidArgument("linkage block limits must be positive");
  }
  for (const LinkDecision& d : decisions) {
    if (d.mention >= mentions.size() || d.ref >= refs.size()) {
      return Status::InvalidArgument("linkage decision refers to a record that does not exist");
    }
  }
  if (refs.size() > Packed::kRefMask || mentions.size() >= kNoRef) {
    return Status::InvalidArgument("too many records to link");
  }
  try {
    Linker linker(refs, attributes, mentions, decisions, options);
    if (options.threads > 0) {
      tbb::task_arena arena(options.threads);
      LinkResult out;
      arena.execute([&] { out = linker.Run(); });
      return out;
    }
    return linker.Run();
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory while linking records");
  } catch (const std::exception& e) {
    return Status::Internal(std::string("linking records failed: ") + e.what());
  }
}

std::string LevelLabel(LinkField f, uint8_t level) {
  if (f == LinkField::kName) {
    switch (static_cast<NameLevel>(level)) {
      case NameLevel::kExact:
        return "名称一致(繁简/全半角归一后)";
      case NameLevel::kSameKey:
        return "名称主体一致(地区前缀或组织形式不同)";
      case NameLevel::kPinyin:
        return "名称同音";
      case NameLevel::kEdit1:
        return "名称一字之差";
      case NameLevel::kEdit1Short:
        return "名称一字之差(二字名)";
      case NameLevel::kDiffer:
        return "名称不同";
    }
    return "";
  }
  if (f == LinkField::kAge) {
    switch (static_cast<AttrLevel>(level)) {
      case AttrLevel::kAgree:
        return "年龄相符";
      case AttrLevel::kDisagree:
        return "年龄不符(记录时未成年)";
      default:
        return "年龄缺失";
    }
  }
  static constexpr const char* kNames[] = {"", "电话", "地址", "账号", "地区", "关联单位"};
  std::string label = kNames[static_cast<int>(f)];
  switch (static_cast<AttrLevel>(level)) {
    case AttrLevel::kAgree:
      return label + "一致";
    case AttrLevel::kPartial:
      return label + "门牌一致(路名门牌号相同)";
    case AttrLevel::kDisagree:
      return label + "不一致";
    case AttrLevel::kMissing:
      return label + "缺失";
  }
  return label;
}

const char* LinkStatusLabel(LinkStatus s) {
  switch (s) {
    case LinkStatus::kMatched:
      return "已匹配";
    case LinkStatus::kReview:
      return "待复核";
    case LinkStatus::kUnmatched:
      return "未匹配";
    case LinkStatus::kConfirmed:
      return "已确认";
    case LinkStatus::kRejected:
      return "已否决";
  }
  return "";
}

std::string ExplainMatch(const LinkMatch& m, EntityKind /*kind*/) {
  if (m.ref == kNoRef) return "无候选";
  std::string out;
  char num[32];
  for (int f = 0; f < kLinkFields; ++f) {
    auto field = static_cast<LinkField>(f);
    bool missing = f > 0 && m.levels[f] == static_cast<uint8_t>(AttrLevel::kMissing);
    // Region, affiliation and age are shown only when they said something.
    if (missing && (field == LinkField::kRegion || field == LinkField::kAffiliation ||
                    field == LinkField::kAge)) {
      continue;
    }
    if (!out.empty()) out += "；";
    out += LevelLabel(field, m.levels[f]);
    double w = m.weights[f];
    if (std::abs(w) < 0.05) {
      out += "0";
    } else {
      std::snprintf(num, sizeof num, "%+.1f", w);
      out += num;
    }
  }
  return out;
}

}  // namespace qf::engine
