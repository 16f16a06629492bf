#include "engine/names.h"

#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>

#include "common/text.h"

namespace qf::engine {

namespace {

// Decodes one code point at s[*i] and advances; U+FFFD for a malformed byte.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  auto u = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = u(*i);
  if (c < 0x80) {
    ++*i;
    return c;
  }
  size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  char32_t v = len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) {
    if ((u(*i + k) & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    v = (v << 6) | (u(*i + k) & 0x3F);
  }
  *i += len;
  return v;
}

std::string ToUtf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char32_t c : s) AppendUtf8(&out, c);
  return out;
}

bool IsHan(char32_t c) {
  return (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x3134F);
}

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' || c == 0x3000 ||
         c == 0xA0;
}

char32_t SimplifyOne(char32_t cp) {
  std::string one;
  AppendUtf8(&one, cp);
  std::string out = ToSimplified(one);
  size_t i = 0;
  if (out.empty()) return cp;
  char32_t r = NextCodePoint(out, &i);
  return i == out.size() ? r : cp;  // a one-to-many conversion is not a character variant
}

// Per-character t2s cache over the BMP: 0 = not yet converted, else result + 1.
// Racing threads compute the same value, so relaxed stores are enough.
std::atomic<uint32_t> g_simplified[0x10000];

char32_t SimplifyChar(char32_t cp) {
  if (cp < 0x2E80) return cp;  // below the CJK blocks OpenCC has nothing to convert
  if (cp >= 0x10000) return SimplifyOne(cp);
  uint32_t v = g_simplified[cp].load(std::memory_order_relaxed);
  if (v != 0) return v - 1;
  char32_t r = SimplifyOne(cp);
  g_simplified[cp].store(static_cast<uint32_t>(r) + 1, std::memory_order_relaxed);
  return r;
}

// Width fold + t2s per character + ASCII lower case, as code points.
std::u32string FoldedCodePoints(std::string_view s) {
  std::string folded = FoldWidth(Trim(s));
  std::u32string out;
  out.reserve(folded.size());
  for (size_t i = 0; i < folded.size();) {
    char32_t c = NextCodePoint(folded, &i);
    if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
    out.push_back(SimplifyChar(c));
  }
  return out;
}

bool StartsWith(std::u32string_view s, std::u32string_view p) {
  return s.size() >= p.size() && s.substr(0, p.size()) == p;
}
bool EndsWith(std::u32string_view s, std::u32string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

struct RegionName {
  std::u32string_view name;
  const char* code;
  bool bare;  // usable as a prefix without 省/市/区/县 (阜新, 辽宁, 北京 …)
};

// The city's own regions, Liaoning's cities and every province. A name prefix
// of any of these is a region, not part of what the organisation is called.
constexpr RegionName kRegions[] = {
    {U"阜新蒙古族自治县", "210921", false},
    {U"阜蒙县", "210921", false},
    {U"清河门区", "210905", false},
    {U"海州区", "210902", false},
    {U"新邱区", "210903", false},
    {U"太平区", "210904", false},
    {U"细河区", "210911", false},
    {U"彰武县", "210922", false},
    {U"阜新市", "2109", false},
    {U"阜新", "2109", true},
    {U"沈阳市", "2101", false},
    {U"大连市", "2102", false},
    {U"鞍山市", "2103", false},
    {U"抚顺市", "2104", false},
    {U"本溪市", "2105", false},
    {U"丹东市", "2106", false},
    {U"锦州市", "2107", false},
    {U"营口市", "2108", false},
    {U"辽阳市", "2110", false},
    {U"盘锦市", "2111", false},
    {U"铁岭市", "2112", false},
    {U"朝阳市", "2113", false},
    {U"葫芦岛市", "2114", false},
    {U"内蒙古自治区", "15", false},
    {U"广西壮族自治区", "45", false},
    {U"西藏自治区", "54", false},
    {U"宁夏回族自治区", "64", false},
    {U"新疆维吾尔自治区", "65", false},
    {U"黑龙江省", "23", false},
    {U"北京市", "11", false},
    {U"天津市", "12", false},
    {U"上海市", "31", false},
    {U"重庆市", "50", false},
    {U"河北省", "13", false},
    {U"山西省", "14", false},
    {U"辽宁省", "21", false},
    {U"吉林省", "22", false},
    {U"江苏省", "32", false},
    {U"浙江省", "33", false},
    {U"安徽省", "34", false},
    {U"福建省", "35", false},
    {U"江西省", "36", false},
    {U"山东省", "37", false},
    {U"河南省", "41", false},
    {U"湖北省", "42", false},
    {U"湖南省", "43", false},
    {U"广东省", "44", false},
    {U"海南省", "46", false},
    {U"四川省", "51", false},
    {U"贵州省", "52", false},
    {U"云南省", "53", false},
    {U"陕西省", "61", false},
    {U"甘肃省", "62", false},
    {U"青海省", "63", false},
    {U"黑龙江", "23", true},
    {U"内蒙古", "15", true},
    {U"北京", "11", true},
    {U"天津", "12", true},
    {U"上海", "31", true},
    {U"重庆", "50", true},
    {U"河北", "13", true},
    {U"山西", "14", true},
    {U"辽宁", "21", true},
    {U"吉林", "22", true},
    {U"江苏", "32", true},
    {U"浙江", "33", true},
    {U"安徽", "34", true},
    {U"福建", "35", true},
    {U"江西", "36", true},
    {U"山东", "37", true},
    {U"河南", "41", true},
    {U"湖北", "42", true},
    {U"湖南", "43", true},
    {U"广东", "44", true},
    {U"广西", "45", true},
    {U"海南", "46", true},
    {U"四川", "51", true},
    {U"贵州", "52", true},
    {U"云南", "53", true},
    {U"西藏", "54", true},
    {U"陕西", "61", true},
    {U"甘肃", "62", true},
    {U"青海", "63", true},
    {U"宁夏", "64", true},
    {U"新疆", "65", true},
};

bool IsRegionMarker(char32_t c) { return c == U'省' || c == U'市' || c == U'区' || c == U'县'; }

// A character after 市/区/县 that makes the marker part of a word, not a region:
// 市政, 市场, 县委, 区域 ….
bool GluesToMarker(char32_t c) {
  static constexpr std::u32string_view kGlue = U"委政场民域级容辖属长";
  return kGlue.find(c) != std::u32string_view::npos;
}

// Length of a region name at the start of s (0 when none): a known region, or
// a generic "XX市"/"XXX县" (2–3 Han characters and a marker) when at least
// `min_rest` characters follow it.
size_t RegionPrefixLength(std::u32string_view s, size_t min_rest_known, size_t min_rest_generic,
                          const char** code) {
  for (const RegionName& r : kRegions) {
    if (!StartsWith(s, r.name)) continue;
    size_t n = r.name.size();
    if (s.size() < n + min_rest_known) continue;
    if (n < s.size() && GluesToMarker(s[n]) && !r.bare) continue;
    if (r.bare && n < s.size() && IsRegionMarker(s[n])) continue;  // 阜新市 is listed itself
    if (code) *code = r.code;
    return n;
  }
  for (size_t k = 2; k <= 3 && k < s.size(); ++k) {
    if (!IsRegionMarker(s[k])) continue;
    bool han = true;
    for (size_t j = 0; j < k; ++j) han = han && IsHan(s[j]) && !IsRegionMarker(s[j]);
    if (!han) break;
    if (s.size() < k + 1 + min_rest_generic) break;
    if (k + 1 < s.size() && GluesToMarker(s[k + 1])) break;
    if (code) *code = "";
    return k + 1;
  }
  return 0;
}

// Whether the whole of s is a region name ("阜新", "海州区", "沈阳市").
bool IsRegionName(std::u32string_view s) {
  for (const RegionName& r : kRegions) {
    if (s == r.name) return true;
  }
  if (s.size() >= 3 && s.size() <= 4 && IsRegionMarker(s.back())) {
    for (size_t j = 0; j + 1 < s.size(); ++j) {
      if (!IsHan(s[j])) return false;
    }
    return true;
  }
  return false;
}

struct FormSuffix {
  std::u32string_view text;
  const char* canonical;
};

// Longest first, so 股份有限公司 is not read as 有限公司.
constexpr FormSuffix kForms[] = {
    {U"合伙企业(有限合伙)", "合伙企业(有限合伙)"},
    {U"合伙企业(普通合伙)", "合伙企业(普通合伙)"},
    {U"集团股份有限公司", "集团股份有限公司"},
    {U"集团有限责任公司", "集团有限公司"},
    {U"股份有限公司", "股份有限公司"},
    {U"有限责任公司", "有限公司"},
    {U"集团有限公司", "集团有限公司"},
    {U"个人独资企业", "个人独资企业"},
    {U"(有限合伙)", "合伙企业(有限合伙)"},
    {U"(普通合伙)", "合伙企业(普通合伙)"},
    {U"个体工商户", "个体工商户"},
    {U"有限公司", "有限公司"},
    {U"合伙企业", "合伙企业"},
    {U"集团公司", "集团公司"},
    {U"股份公司", "股份公司"},
    {U"总公司", "总公司"},
    {U"公司", "公司"},
    {U"集团", "集团"},
};

// Company forms that end a head office's name, when a branch follows them.
constexpr std::u32string_view kInnerForms[] = {U"股份有限公司", U"有限责任公司", U"有限公司",
                                               U"集团公司", U"总公司"};

constexpr std::u32string_view kBranchSuffixes[] = {U"营业部", U"办事处", U"分公司", U"分店",
                                                   U"分厂",   U"分行",   U"支行",   U"分社",
                                                   U"分部",   U"分所",   U"公司"};

bool IsNumeral(char32_t c) {
  static constexpr std::u32string_view kNum = U"0123456789一二三四五六七八九十百零";
  return kNum.find(c) != std::u32string_view::npos;
}

// Toneless syllable of one Han character, from ICU (not thread-safe: locked).
class PinyinTable {
 public:
  const std::string& Syllable(char32_t cp) {
    if (cp < 0x10000) {
      const std::string* s = table_[cp].load(std::memory_order_acquire);
      if (s) return *s;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (cp < 0x10000) {
      const std::string* s = table_[cp].load(std::memory_order_relaxed);
      if (s) return *s;
    } else {
      for (const auto& [c, s] : wide_) {
        if (c == cp) return *s;
      }
    }
    auto owned = std::make_unique<std::string>(Convert(cp));
    const std::string* s = owned.get();
    store_.push_back(std::move(owned));
    if (cp < 0x10000) {
      table_[cp].store(s, std::memory_order_release);
    } else {
      wide_.emplace_back(cp, s);
    }
    return *s;
  }

 private:
  std::string Convert(char32_t cp) {
    if (!translit_ && !failed_) {
      UErrorCode status = U_ZERO_ERROR;
      translit_.reset(
          icu::Transliterator::createInstance("Han-Latin; Latin-ASCII", UTRANS_FORWARD, status));
      if (U_FAILURE(status)) {
        translit_.reset();
        failed_ = true;
      }
    }
    std::string utf8;
    AppendUtf8(&utf8, cp);
    if (!translit_) return utf8;
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(utf8);
    translit_->transliterate(u);
    std::string out, latin;
    u.toUTF8String(out);
    for (char c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        latin.push_back(c);
      } else if (static_cast<unsigned char>(c) >= 0x80) {
        return utf8;  // no reading: the character stands for itself
      }
    }
    return latin.empty() ? utf8 : latin;
  }

  std::mutex mu_;
  std::unique_ptr<icu::Transliterator> translit_;
  bool failed_ = false;
  std::atomic<const std::string*> table_[0x10000] = {};
  std::vector<std::unique_ptr<std::string>> store_;
  std::vector<std::pair<char32_t, const std::string*>> wide_;
};

PinyinTable& Pinyins() {
  static PinyinTable* table = new PinyinTable();  // never destroyed: used by worker threads
  return *table;
}

}  // namespace

std::string SimplifyChars(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t c = NextCodePoint(s, &i);
    AppendUtf8(&out, SimplifyChar(c));
  }
  return out;
}

std::u32string CodePoints(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) out.push_back(NextCodePoint(s, &i));
  return out;
}

bool WithinOneEdit(std::u32string_view a, std::u32string_view b) {
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (i == a.size()) return true;  // equal, or b has one more at the end
  if (a.size() == b.size()) return a.substr(i + 1) == b.substr(i + 1);
  return a.substr(i) == b.substr(i + 1);
}

std::string NormalizePersonName(std::string_view name) {
  std::u32string cps = FoldedCodePoints(name);
  std::u32string out;
  out.reserve(cps.size());
  for (char32_t c : cps) {
    if (IsSpace(c) || c == 0xB7 || c == 0x2022 || c == 0x30FB || c == 0xFF65 || c == 0x2027)
      continue;
    out.push_back(c);
  }
  return ToUtf8(out);
}

std::string NormalizeOrgText(std::string_view name) {
  std::u32string cps = FoldedCodePoints(name);
  std::u32string out;
  out.reserve(cps.size());
  for (char32_t c : cps) {
    if (IsSpace(c)) continue;
    switch (c) {
      case U'[':
      case U'【':
      case U'〔':
      case U'〖':
      case U'{':
        c = U'(';
        break;
      case U']':
      case U'】':
      case U'〕':
      case U'〗':
      case U'}':
        c = U')';
        break;
      default:
        break;
    }
    out.push_back(c);
  }
  return ToUtf8(out);
}

OrgName SplitOrgName(std::string_view name) {
  OrgName result;
  std::u32string all = CodePoints(NormalizeOrgText(name));
  std::u32string_view s = all;
  std::u32string region;

  // Leading region prefixes, possibly several (辽宁省阜新市海州区 …).
  for (int round = 0; round < 4; ++round) {
    size_t n = RegionPrefixLength(s, 2, 4, nullptr);
    if (n == 0) break;
    region.append(s.substr(0, n));
    s.remove_prefix(n);
  }

  // A bracketed region anywhere: 鑫源(阜新)建筑工程有限公司.
  std::u32string body;
  body.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == U'(') {
      size_t close = s.find(U')', i + 1);
      if (close != std::u32string_view::npos && close > i + 1) {
        std::u32string_view inside = s.substr(i + 1, close - i - 1);
        if (IsRegionName(inside)) {
          region.append(inside);
          i = close;
          continue;
        }
        // A bracketed company form at the end is the form: X【有限公司】.
        bool form = false;
        for (const FormSuffix& f : kForms) form = form || inside == f.text;
        if (form && close + 1 == s.size()) {
          body.append(inside);
          i = close;
          continue;
        }
      }
    }
    body.push_back(s[i]);
  }
  std::u32string_view main = body;
  std::u32string_view branch;

  // A branch after the head office's company form: X有限公司阜新供电公司.
  size_t inner_end = 0;
  for (std::u32string_view f : kInnerForms) {
    for (size_t p = main.find(f); p != std::u32string_view::npos; p = main.find(f, p + 1)) {
      size_t e = p + f.size();
      if (e < main.size() && e > inner_end) inner_end = e;
    }
  }
  if (inner_end >= 2) {
    branch = main.substr(inner_end);
    main = main.substr(0, inner_end);
    for (std::u32string_view suf : kBranchSuffixes) {
      if (EndsWith(branch, suf) && branch.size() > suf.size()) {
        branch.remove_suffix(suf.size());
        break;
      }
    }
  } else {
    bool found = false;
    for (std::u32string_view suf : kBranchSuffixes) {
      if (suf == U"公司" || !EndsWith(main, suf) || main.size() < suf.size() + 2) continue;
      std::u32string_view head = main.substr(0, main.size() - suf.size());
      // The branch name follows the last form word of the head office, else it
      // is the region name or the last two characters before the suffix.
      size_t cut = std::u32string_view::npos;
      for (std::u32string_view w : {std::u32string_view(U"公司"), std::u32string_view(U"店"),
                                    std::u32string_view(U"厂"), std::u32string_view(U"集团")}) {
        size_t p = head.rfind(w);
        if (p != std::u32string_view::npos && p + w.size() < head.size() &&
            (cut == std::u32string_view::npos || p + w.size() > cut)) {
          cut = p + w.size();
        }
      }
      if (cut == std::u32string_view::npos) {
        cut = head.size() >= 4 ? head.size() - 2 : head.size();
        for (const RegionName& r : kRegions) {
          std::u32string_view short_name = r.name;
          if (EndsWith(head, short_name) && head.size() >= short_name.size() + 2) {
            cut = head.size() - short_name.size();
            break;
          }
        }
      }
      branch = head.substr(cut);
      main = head.substr(0, cut);
      if (branch.empty()) branch = suf;
      found = true;
      break;
    }
    // A numbered store: X饭店二店, X3号店, X第二分店 (handled above).
    if (!found && main.size() >= 4 && main.back() == U'店') {
      size_t e = main.size() - 1;
      if (main[e - 1] == U'号') --e;
      size_t b = e;
      while (b > 0 && IsNumeral(main[b - 1])) --b;
      if (b < e && b >= 2) {
        branch = main.substr(b, e - b);
        main = main.substr(0, b);
        if (!main.empty() && main.back() == U'第') main.remove_suffix(1);
      }
    }
  }

  // The company form, then a trailing 厂/店 (a 印刷厂 restructured as 印刷有限公司
  // is still the same works).
  for (const FormSuffix& f : kForms) {
    if (EndsWith(main, f.text) && main.size() >= f.text.size() + 2) {
      main.remove_suffix(f.text.size());
      result.form = f.canonical;
      break;
    }
  }
  if (main.size() >= 3 && (main.back() == U'厂' || main.back() == U'店')) {
    std::string shop = ToUtf8(main.substr(main.size() - 1));
    result.form = shop + result.form;
    main.remove_suffix(1);
  }

  result.region = ToUtf8(region);
  result.core = main.empty() ? ToUtf8(body) : ToUtf8(main);
  result.branch = ToUtf8(branch);
  // 海州区分公司 and 海州分公司 are one branch.
  if (branch.size() >= 3 && IsRegionMarker(branch.back())) {
    result.branch = ToUtf8(branch.substr(0, branch.size() - 1));
  }
  return result;
}

std::string OrgKey(std::string_view name) {
  OrgName n = SplitOrgName(name);
  return n.branch.empty() ? n.core : n.core + "#" + n.branch;
}

std::string RegionCodeOf(std::string_view region) {
  std::string_view t = Trim(region);
  bool digits = !t.empty();
  for (char c : t) digits = digits && c >= '0' && c <= '9';
  if (digits) {
    std::string code(t);
    while (code.size() > 2 && code.size() % 2 == 0 && code.compare(code.size() - 2, 2, "00") == 0)
      code.resize(code.size() - 2);
    return code;
  }
  std::u32string cps = CodePoints(NormalizeOrgText(t));
  std::u32string_view s = cps;
  std::string code;
  // A chain "辽宁省阜新市海州区" stands for its most specific known part.
  while (!s.empty()) {
    const char* c = nullptr;
    size_t n = RegionPrefixLength(s, 0, 0, &c);
    if (n == 0) return "";
    if (c && *c && std::string_view(c).size() > code.size()) code = c;
    s.remove_prefix(n);
  }
  return code;
}

std::string NormalizeAddress(std::string_view address) {
  std::u32string cps = CodePoints(NormalizeOrgText(address));
  std::u32string_view s = cps;
  for (int round = 0; round < 3; ++round) {
    const char* code = nullptr;
    size_t n = RegionPrefixLength(s, 1, 1, &code);
    // Province and city only: a known code of at most four digits, or a generic 省/市.
    if (n == 0 || (code && std::string_view(code).size() > 4) ||
        (code && !*code && s[n - 1] != U'省' && s[n - 1] != U'市')) {
      break;
    }
    s.remove_prefix(n);
  }
  return ToUtf8(s);
}

std::string AddressStem(std::string_view normalized) {
  size_t p = normalized.find("号");
  if (p == std::string_view::npos) return "";
  size_t end = p + std::string_view("号").size();
  if (end >= normalized.size()) return "";
  return std::string(normalized.substr(0, end));
}

std::string Pinyin(std::string_view s) {
  std::string out, run;
  auto flush_run = [&] {
    if (run.empty()) return;
    if (!out.empty()) out.push_back(' ');
    out += run;
    run.clear();
  };
  PinyinTable& table = Pinyins();
  for (size_t i = 0; i < s.size();) {
    char32_t c = NextCodePoint(s, &i);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      run.push_back(static_cast<char>(c));
    } else if (c >= 'A' && c <= 'Z') {
      run.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (c >= 0xFF10 && c <= 0xFF5A) {  // full-width letters and digits
      char f = static_cast<char>(c - 0xFEE0);
      if (f >= 'A' && f <= 'Z') f = static_cast<char>(f - 'A' + 'a');
      if ((f >= 'a' && f <= 'z') || (f >= '0' && f <= '9')) {
        run.push_back(f);
      } else {
        flush_run();
      }
    } else if (IsHan(c)) {
      flush_run();
      const std::string& syl = table.Syllable(c);
      if (!out.empty()) out.push_back(' ');
      out += syl;
    } else {
      flush_run();
    }
  }
  flush_run();
  return out;
}

bool LooksLikeOrgName(std::string_view name) {
  std::u32string cps = CodePoints(NormalizeOrgText(name));
  if (cps.empty()) return false;
  for (char32_t c : cps) {
    if (c == 0xB7 || c == 0x2022 || c == 0x30FB || c == 0xFF65 || c == 0x2027) return false;
  }
  if (cps.size() > 4) return true;
  static constexpr std::u32string_view kWords[] = {
      U"公司", U"中心", U"委员会", U"酒店", U"宾馆", U"餐厅",   U"饭店", U"超市", U"银行",
      U"医院", U"学校", U"政府",   U"集团", U"协会", U"合作社", U"商行", U"门市", U"工作室"};
  for (std::u32string_view w : kWords) {
    if (std::u32string_view(cps).find(w) != std::u32string_view::npos) return true;
  }
  static constexpr std::u32string_view kLast = U"局院校厂店社所部处站队会馆园场室团办厅府";
  return cps.size() >= 3 && kLast.find(cps.back()) != std::u32string_view::npos;
}

}  // namespace qf::engine
