#include "synth/variants.h"

#include <algorithm>
#include <array>
#include <string>
#include <unordered_map>
#include <vector>

namespace qf::synth {

namespace {

// The code points of a UTF-8 string, each as a view.
std::vector<std::string_view> Chars(std::string_view s) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    n = std::min(n, s.size() - i);
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string Join(const std::vector<std::string_view>& cs) {
  std::string out;
  for (std::string_view c : cs) out += c;
  return out;
}

// Simplified → traditional for the characters of the name lists, company
// suffixes, places and vendors (pairs: simplified, traditional). Characters
// whose traditional form depends on the word (沈 in 沈阳 but not the surname,
// 台, 于, 余, 范, 家具) are left alone; every pair comes back through OpenCC t2s.
constexpr const char* kS2T =
    // surnames
    "张張刘劉陈陳杨楊赵趙黄黃吴吳孙孫马馬罗羅郑鄭谢謝韩韓冯馮萧蕭邓鄧许許吕呂苏蘇卢盧蒋蔣贾賈"
    "叶葉阎閻钟鍾谭譚邹鄒陆陸顾顧龙龍万萬钱錢汤湯乔喬贺賀赖賴龚龔关關鲍鮑宝寶"
    // given names
    "伟偉强強军軍杰傑涛濤刚剛辉輝鹏鵬华華飞飛凯凱帅帥宁寧阳陽国國东東庆慶兴興轩軒泽澤铭銘"
    "静靜丽麗艳艷红紅颖穎梦夢凤鳳兰蘭洁潔悦悅诗詩云雲晓曉瑶瑤尔爾额額鲁魯图圖门門达達来來"
    "萨薩乌烏娅婭"
    // trade names and company forms
    "达達丰豐顺順远遠创創诚誠润潤荣榮锦錦筑築设設贸貿资資术術网網络絡业業务務询詢饮飲宾賓"
    "馆館计計监監测測绘繪医醫疗療药藥复復办辦备備制製农農种種车車运運输輸责責"
    // places and vendors
    "辽遼区區县縣细細连連营營饭飯楼樓厅廳会會贩販乐樂风風应應园園电電";

const std::unordered_map<std::string_view, std::string_view>& S2T() {
  static const auto* m = [] {
    auto* map = new std::unordered_map<std::string_view, std::string_view>();
    std::vector<std::string_view> cs = Chars(kS2T);
    for (size_t i = 0; i + 1 < cs.size(); i += 2) map->emplace(cs[i], cs[i + 1]);
    return map;
  }();
  return *m;
}

// Groups of characters with the same toneless pinyin (each character in one group).
constexpr const char* kHomophones[] = {
    "伟炜玮苇薇",   "强墙蔷",   "磊垒蕾",       "军俊君钧", "勇永咏泳",     "杰洁捷婕", "涛韬滔",
    "斌彬滨",       "超潮",     "明鸣铭茗",     "刚钢纲",   "平萍苹",       "辉晖慧惠", "鹏朋",
    "华化桦",       "飞菲非",   "新鑫欣馨心信", "波博",     "宇雨玉语羽",   "浩昊皓",   "凯楷恺",
    "健建剑",       "帆凡",     "旭序",         "宁凝",     "龙隆",         "林琳霖麟", "阳扬洋杨",
    "国帼",         "志智致",   "文雯",         "东冬",     "峰锋丰枫凤风", "成诚城程", "良梁亮",
    "立丽莉俐力利", "春椿",     "庆青清",       "福富",     "民敏",         "忠中",     "兴星",
    "子梓紫",       "轩萱宣",   "睿瑞锐",       "泽择",     "晨辰",         "宏红鸿洪", "芳方",
    "娜纳那",       "静晶婧菁", "艳燕妍彦雁",   "娟涓",     "英颖莹盈",     "美梅玫媚", "玲凌",
    "桂贵",         "倩茜",     "婷亭",         "佳嘉家",   "琪琦淇其",     "兰岚",     "婉琬",
    "怡宜益",       "悦月越岳", "涵晗",         "思斯",     "云芸",         "晓筱",     "彤桐通同",
    "璐露路鲁",     "瑶遥",     "巴八",         "尔儿",     "苏素",         "和合",     "敦墩",
    "宝保",         "音因",     "雅亚娅",       "图途",     "来莱",         "格阁",     "仁任",
    "乌屋",         "琴勤",     "源元园原圆远", "恒衡",     "盛胜晟",       "泰太",     "旺望",
    "祥翔",         "顺舜",     "昌常",         "金今锦",   "聚巨",         "鼎丁",     "天田",
    "正政",         "荣容",
};

struct HomophoneIndex {
  std::vector<std::vector<std::string_view>> groups;
  std::unordered_map<std::string_view, size_t> group_of;
};

const HomophoneIndex& Homophones() {
  static const auto* h = [] {
    auto* x = new HomophoneIndex();
    for (const char* g : kHomophones) {
      x->groups.push_back(Chars(g));
      for (std::string_view c : x->groups.back()) x->group_of.emplace(c, x->groups.size() - 1);
    }
    return x;
  }();
  return *h;
}

bool SameSound(std::string_view a, std::string_view b) {
  const HomophoneIndex& h = Homophones();
  auto ia = h.group_of.find(a), ib = h.group_of.find(b);
  return ia != h.group_of.end() && ib != h.group_of.end() && ia->second == ib->second;
}

// Look-alikes of a different sound (pairs), for typos.
constexpr const char* kLookAlike =
    "王玉李季陈阵徐涂伟传明朋平乎华毕波坡宇字浩洁龙尤林材阳阴国固文丈海悔新亲民氏永水良艮"
    "晨晟昊吴英央巧朽桂挂雪雷佳住梅海悦说思恩月用冰水恒桓泰秦达这金全光先天夭正止益盖荣菜"
    "锦绵祥样顺须昌吕博傅创仓润涧聚娶宏宠隆降通诵丰半瑞端军车鹏鹃帆帜宁丁志忘成戍亮亭庆床"
    "忠患子孑泽译芳苦丽丙秀透美羡红江晶品颖频倩债雨两兰三洁吉怡治嘉喜丹册云去晓烧薇徽";

const std::unordered_map<std::string_view, std::string_view>& LookAlikes() {
  static const auto* m = [] {
    auto* map = new std::unordered_map<std::string_view, std::string_view>();
    std::vector<std::string_view> cs = Chars(kLookAlike);
    for (size_t i = 0; i + 1 < cs.size(); i += 2) map->emplace(cs[i], cs[i + 1]);
    return map;
  }();
  return *m;
}

// Characters a careless clerk types instead: given-name and trade-name characters.
constexpr const char* kTypoPool =
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国志文海东峰成亮立新春庆"
    "福德民永忠良兴博子轩睿泽晨昊然铭宏芳娜敏静丽艳娟霞秀英慧巧美玲桂红燕萍雪琳晶颖倩婷欣佳"
    "雨梦琪淑凤兰梅洁莉婉怡悦涵萱思诗嘉月玉秋丹云晓彤璐瑶冰爽薇蕾妍源恒盛泰隆通达旺丰瑞祥安"
    "顺利昌金光远创诚信润合聚鼎天正益荣辰锦晟";

// Region prefixes a company or vendor name may start with, longest first.
constexpr const char* kPrefixes[] = {
    "辽宁省阜新市",   "阜新市阜新蒙古族自治县",
    "阜新市清河门区", "阜新市海州区",
    "阜新市新邱区",   "阜新市太平区",
    "阜新市细河区",   "阜新市彰武县",
    "阜新市",         "辽宁省",
    "辽宁",           "阜新",
    "沈阳市",         "大连市",
    "锦州市",         "朝阳市",
    "北京市",         "鞍山市",
    "营口市",
};

std::string_view RegionPrefix(std::string_view name) {
  for (const char* p : kPrefixes) {
    std::string_view pv(p);
    if (name.size() > pv.size() && name.substr(0, pv.size()) == pv) return pv;
  }
  return {};
}

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// Index (in code points) of the first character of the trade name (字号).
size_t TradeStart(std::string_view name) { return Chars(RegionPrefix(name)).size(); }

bool Traditional(std::string_view name, std::string* out) {
  std::string t = TraditionalForm(name);
  if (t == name) return false;
  *out = std::move(t);
  return true;
}

bool Fullwidth(bool org, std::string_view name, std::string* out) {
  std::vector<std::string_view> cs = Chars(name);
  if (cs.size() < 2) return false;
  if (org &&
      (name.find('(') != std::string_view::npos || name.find(')') != std::string_view::npos)) {
    std::string t;
    for (std::string_view c : cs) t += c == "(" ? "（" : c == ")" ? "）" : std::string(c);
    *out = std::move(t);
    return true;
  }
  // An ideographic space after the surname (names are aligned so in many
  // registers), or between a company's region and its trade name.
  size_t at = org ? TradeStart(name) : 1;
  if (org && at == 0) at = 2;
  if (at == 0 || at >= cs.size() || (org && cs.size() < 4)) return false;
  cs.insert(cs.begin() + static_cast<std::ptrdiff_t>(at), "\u3000");
  *out = Join(cs);
  return true;
}

bool Suffix(std::string_view name, Rng& rng, std::string* out) {
  static constexpr std::string_view kLimited = "有限公司", kLiability = "有限责任公司";
  std::string s(name);
  if (EndsWith(name, kLiability)) {
    *out = s.substr(0, s.size() - kLiability.size()) + std::string(kLimited);
    return true;
  }
  if (EndsWith(name, kLimited) && Chars(name).size() > 6) {
    std::string stem = s.substr(0, s.size() - kLimited.size());
    *out = rng.Chance(0.6) ? stem + std::string(kLiability) : stem;
    return true;
  }
  return false;
}

bool Region(std::string_view name, Rng& rng, std::string* out) {
  std::string_view prefix = RegionPrefix(name);
  std::string rest(name.substr(prefix.size()));
  std::vector<std::string> options;
  if (prefix.empty()) {
    if (EndsWith(name, "公司")) options.push_back("阜新" + rest);
  } else if (prefix == "辽宁省阜新市") {
    options = {"阜新市" + rest, rest};
  } else if (prefix.size() > std::string_view("阜新市").size() && prefix.substr(0, 9) == "阜新市") {
    std::string district(prefix.substr(9));
    options = {district + rest, "阜新" + rest, rest};
  } else if (prefix == "阜新市") {
    options = {"阜新" + rest, rest, "辽宁省阜新市" + rest};
  } else if (prefix == "阜新") {
    options = {rest, "阜新市" + rest};
    std::vector<std::string_view> cs = Chars(rest);
    if (cs.size() >= 6) {
      // 鑫源(阜新)建筑工程有限公司: the region in brackets after the trade name.
      std::string bracketed = Join({cs.begin(), cs.begin() + 2});
      bracketed += rng.Chance(0.5) ? "(阜新)" : "（阜新）";
      bracketed += Join({cs.begin() + 2, cs.end()});
      options.push_back(bracketed);
      options.push_back(bracketed);
    }
  } else if (prefix == "辽宁省") {
    options = {"辽宁" + rest, rest};
  } else if (prefix == "辽宁") {
    options = {"辽宁省" + rest, rest};
  } else {
    // Another city: 沈阳市 → 沈阳.
    std::string p(prefix);
    options = {p.substr(0, p.size() - std::string_view("市").size()) + rest};
  }
  // A name must keep a few characters of its own.
  std::vector<std::string> usable;
  for (std::string& o : options) {
    if (Chars(o).size() >= 4 && o != name) usable.push_back(std::move(o));
  }
  if (usable.empty()) return false;
  *out = rng.Pick(usable);
  return true;
}

// Positions a typo or homophone may touch: the given name (not the surname)
// of a person, the trade name of an organisation.
std::vector<size_t> Touchable(bool org, const std::vector<std::string_view>& cs,
                              std::string_view name) {
  std::vector<size_t> at;
  if (org) {
    size_t start = TradeStart(name);
    for (size_t i = start; i < std::min(start + 2, cs.size()); ++i) at.push_back(i);
  } else {
    for (size_t i = 1; i < cs.size(); ++i) at.push_back(i);
  }
  return at;
}

bool Homophone(bool org, std::string_view name, Rng& rng, std::string* out) {
  std::vector<std::string_view> cs = Chars(name);
  const HomophoneIndex& h = Homophones();
  std::vector<size_t> at;
  for (size_t i : Touchable(org, cs, name)) {
    if (h.group_of.count(cs[i])) at.push_back(i);
  }
  if (at.empty()) return false;
  size_t i = rng.Pick(at);
  const std::vector<std::string_view>& g = h.groups[h.group_of.at(cs[i])];
  std::string_view pick = g[static_cast<size_t>(rng.Int(0, static_cast<int64_t>(g.size()) - 2))];
  if (pick == cs[i]) pick = g.back();
  cs[i] = pick;
  *out = Join(cs);
  return true;
}

bool Typo(bool org, std::string_view name, Rng& rng, std::string* out) {
  std::vector<std::string_view> cs = Chars(name);
  std::vector<size_t> at = Touchable(org, cs, name);
  if (at.empty()) return false;
  size_t i = rng.Pick(at);
  auto alike = LookAlikes().find(cs[i]);
  std::string_view pick;
  if (alike != LookAlikes().end() && rng.Chance(0.6)) {
    pick = alike->second;
  } else {
    static const std::vector<std::string_view> pool = Chars(kTypoPool);
    for (int t = 0; t < 50; ++t) {
      std::string_view c = rng.Pick(pool);
      if (c != cs[i] && !SameSound(c, cs[i])) {
        pick = c;
        break;
      }
    }
  }
  if (pick.empty()) return false;
  cs[i] = pick;
  *out = Join(cs);
  return true;
}

}  // namespace

const char* VariantName(Variant v) {
  static constexpr std::array<const char*, kVariantKinds> kNames = {
      "none", "traditional", "fullwidth", "suffix", "region", "typo", "homophone"};
  return kNames[static_cast<size_t>(v)];
}

std::string TraditionalForm(std::string_view s) {
  std::string out;
  const auto& m = S2T();
  for (std::string_view c : Chars(s)) {
    auto it = m.find(c);
    out += it == m.end() ? c : it->second;
  }
  return out;
}

bool ApplyVariant(Variant v, bool org, std::string_view name, Rng& rng, std::string* out) {
  std::string result;
  bool ok = false;
  switch (v) {
    case Variant::kNone:
      return false;
    case Variant::kTraditional:
      ok = Traditional(name, &result);
      break;
    case Variant::kFullwidth:
      ok = Fullwidth(org, name, &result);
      break;
    case Variant::kSuffix:
      ok = org && Suffix(name, rng, &result);
      break;
    case Variant::kRegion:
      ok = org && Region(name, rng, &result);
      break;
    case Variant::kTypo:
      ok = Typo(org, name, rng, &result);
      break;
    case Variant::kHomophone:
      ok = Homophone(org, name, rng, &result);
      break;
  }
  if (!ok || result == name) return false;
  *out = std::move(result);
  return true;
}

Variant VaryName(bool org, std::string_view name, Rng& rng, std::string* out,
                 bool survives_folding) {
  // Weights in Variant order: none, traditional, fullwidth, suffix, region, typo, homophone.
  static constexpr double kPerson[kVariantKinds] = {0, 0.22, 0.18, 0, 0, 0.3, 0.3};
  static constexpr double kOrg[kVariantKinds] = {0, 0.18, 0.12, 0.2, 0.2, 0.15, 0.15};
  static constexpr double kOrgFolded[kVariantKinds] = {0, 0, 0, 0.3, 0.3, 0.2, 0.2};
  const double* w = !org ? kPerson : survives_folding ? kOrgFolded : kOrg;
  size_t first = rng.Weighted(w, kVariantKinds);
  // The drawn variant, else the others in a fixed order.
  for (size_t k = 0; k < kVariantKinds; ++k) {
    size_t i = (first + k) % kVariantKinds;
    if (w[i] <= 0) continue;
    if (ApplyVariant(static_cast<Variant>(i), org, name, rng, out)) return static_cast<Variant>(i);
  }
  *out = std::string(name);
  return Variant::kNone;
}

}  // namespace qf::synth
