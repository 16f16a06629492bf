#include "synth/names.h"

#include <array>
#include <cstdio>

namespace qf::synth {

namespace {

struct Weighted {
  const char* s;
  double w;
};

// The commonest surnames with their approximate share of the population (%),
// from the 2020 census-based ranking (公安部户政管理研究中心).
constexpr Weighted kSurnames[] = {
    {"王", 7.1}, {"李", 7.0}, {"张", 6.8},  {"刘", 5.4}, {"陈", 4.6},  {"杨", 3.1},  {"赵", 2.3},
    {"黄", 2.2}, {"周", 2.0}, {"吴", 1.9},  {"徐", 1.5}, {"孙", 1.5},  {"胡", 1.3},  {"朱", 1.3},
    {"高", 1.3}, {"林", 1.2}, {"何", 1.2},  {"郭", 1.2}, {"马", 1.1},  {"罗", 0.9},  {"梁", 0.9},
    {"宋", 0.8}, {"郑", 0.8}, {"谢", 0.7},  {"韩", 0.7}, {"唐", 0.6},  {"冯", 0.6},  {"于", 0.6},
    {"董", 0.6}, {"萧", 0.5}, {"程", 0.5},  {"曹", 0.5}, {"袁", 0.5},  {"邓", 0.5},  {"许", 0.5},
    {"傅", 0.4}, {"沈", 0.4}, {"曾", 0.4},  {"彭", 0.4}, {"吕", 0.4},  {"苏", 0.4},  {"卢", 0.4},
    {"蒋", 0.4}, {"蔡", 0.4}, {"贾", 0.3},  {"丁", 0.3}, {"魏", 0.3},  {"薛", 0.3},  {"叶", 0.3},
    {"阎", 0.3}, {"余", 0.3}, {"潘", 0.3},  {"杜", 0.3}, {"戴", 0.3},  {"夏", 0.3},  {"钟", 0.3},
    {"汪", 0.3}, {"田", 0.3}, {"任", 0.3},  {"姜", 0.3}, {"范", 0.3},  {"方", 0.3},  {"石", 0.3},
    {"姚", 0.3}, {"谭", 0.2}, {"廖", 0.2},  {"邹", 0.2}, {"熊", 0.2},  {"金", 0.2},  {"陆", 0.2},
    {"郝", 0.2}, {"孔", 0.2}, {"白", 0.2},  {"崔", 0.2}, {"康", 0.2},  {"毛", 0.2},  {"邱", 0.2},
    {"秦", 0.2}, {"江", 0.2}, {"史", 0.2},  {"顾", 0.2}, {"侯", 0.2},  {"邵", 0.2},  {"孟", 0.2},
    {"龙", 0.2}, {"万", 0.2}, {"段", 0.2},  {"雷", 0.2}, {"钱", 0.2},  {"汤", 0.2},  {"尹", 0.2},
    {"黎", 0.2}, {"易", 0.2}, {"常", 0.2},  {"武", 0.2}, {"乔", 0.2},  {"贺", 0.2},  {"赖", 0.2},
    {"龚", 0.2}, {"文", 0.2}, {"关", 0.15}, {"佟", 0.1}, {"那", 0.05}, {"包", 0.05},
};

constexpr const char* kMaleChars[] = {
    "伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华",
    "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "阳",
    "建", "国", "志", "文", "海", "东", "峰", "成", "亮", "立", "新", "春", "庆", "福", "德",
    "民", "永", "忠", "良", "兴", "博", "子", "轩", "睿", "泽", "晨", "昊", "然", "铭", "宏"};
constexpr const char* kFemaleChars[] = {
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英", "华", "慧", "巧", "美", "玲",
    "桂", "红", "燕", "萍", "雪", "琳", "晶", "颖", "倩", "婷", "欣", "佳", "雨", "梦", "琪",
    "淑", "凤", "兰", "梅", "洁", "莉", "婉", "怡", "悦", "涵", "萱", "思", "诗", "嘉", "月",
    "玉", "春", "秋", "丹", "宁", "云", "晓", "彤", "璐", "瑶", "冰", "爽", "薇", "蕾", "妍"};
constexpr const char* kMongolianMale[] = {"巴特尔", "那日苏", "苏和",   "额尔敦", "宝音",
                                          "朝鲁",   "哈斯",   "巴雅尔", "图门",   "达来"};
constexpr const char* kMongolianFemale[] = {"其其格", "萨仁", "乌云", "高娃", "娜仁",
                                            "塔娜",   "托娅", "琪琪", "乌兰", "斯琴"};
constexpr const char* kMongolianSurnames[] = {"包", "白", "吴", "韩", "何", "鲍", "海", "宝"};

constexpr const char* kStreets[] = {
    "中华路", "解放大街", "人民大街", "迎宾大街", "红旗街",   "西山路", "新华路", "光明街",
    "建设路", "团结街",   "和平街",   "民主路",   "矿工大街", "园林路", "东苑街", "细河大街",
    "站前街", "文化路",   "工业街",   "兴业路",   "振兴路",   "玉龙路", "银河街", "平安大街"};
constexpr const char* kVillages[] = {"东营子",   "西营子", "大巴",   "四合城",   "哈达户稍",
                                     "他本扎兰", "福兴地", "苍土",   "大五家子", "王府",
                                     "阿尔乡",   "前进",   "平安地", "冯家",     "两家子"};

constexpr const char* kTradeChars[] = {
    "鑫", "源", "恒", "盛", "泰", "隆", "华", "通", "宏", "达", "兴", "旺", "丰", "瑞", "祥", "安",
    "顺", "利", "昌", "金", "阳", "光", "新", "远", "博", "创", "诚", "信", "德", "润", "永", "佳",
    "嘉", "合", "聚", "鼎", "海", "天", "宇", "正", "益", "荣", "辰", "峰", "锦", "昊", "晟", "铭"};

template <size_t N>
const char* PickArr(Rng& rng, const char* const (&arr)[N]) {
  return arr[rng.Int(0, N - 1)];
}

}  // namespace

std::string Surname(Rng& rng) {
  static const std::array<double, std::size(kSurnames)> weights = [] {
    std::array<double, std::size(kSurnames)> w{};
    for (size_t i = 0; i < w.size(); ++i) w[i] = kSurnames[i].w;
    return w;
  }();
  return kSurnames[rng.Weighted(weights.data(), weights.size())].s;
}

std::string FamilySurname(Rng& rng, bool mongolian) {
  if (mongolian && rng.Chance(0.6)) return PickArr(rng, kMongolianSurnames);
  return Surname(rng);
}

std::string GivenName(Rng& rng, bool male, bool mongolian) {
  if (mongolian && rng.Chance(0.5)) {
    return male ? PickArr(rng, kMongolianMale) : PickArr(rng, kMongolianFemale);
  }
  std::string g;
  int chars = rng.Chance(0.8) ? 2 : 1;
  for (int i = 0; i < chars; ++i) g += male ? PickArr(rng, kMaleChars) : PickArr(rng, kFemaleChars);
  return g;
}

std::string PersonName(Rng& rng, bool male, bool mongolian) {
  if (mongolian && rng.Chance(0.6)) {
    std::string s = PickArr(rng, kMongolianSurnames);
    return s + (male ? PickArr(rng, kMongolianMale) : PickArr(rng, kMongolianFemale));
  }
  std::string name = Surname(rng);
  // About 80 % of given names have two characters (more among the young).
  int chars = rng.Chance(0.8) ? 2 : 1;
  for (int i = 0; i < chars; ++i)
    name += male ? PickArr(rng, kMaleChars) : PickArr(rng, kFemaleChars);
  return name;
}

std::string StreetAddress(Rng& rng, const std::string& district) {
  char buf[96];
  if (district.find("县") != std::string::npos && rng.Chance(0.7)) {
    std::snprintf(buf, sizeof buf, "%s村%d组%d号", PickArr(rng, kVillages),
                  static_cast<int>(rng.Int(1, 12)), static_cast<int>(rng.Int(1, 160)));
  } else {
    std::snprintf(buf, sizeof buf, "%s%d号%d单元%d室", PickArr(rng, kStreets),
                  static_cast<int>(rng.Int(1, 299)), static_cast<int>(rng.Int(1, 6)),
                  static_cast<int>(rng.Int(1, 6) * 100 + rng.Int(1, 4)));
  }
  return "辽宁省阜新市" + district + buf;
}

std::string NthAddress(const std::string& district, bool county, uint64_t n) {
  char buf[128];
  if (county && n % 10 < 7) {
    // Village, group (组) and house number: a bijection of n.
    std::snprintf(buf, sizeof buf, "%s村%d组%d号", kVillages[n % std::size(kVillages)],
                  static_cast<int>(1 + (n / std::size(kVillages)) % 12),
                  static_cast<int>(1 + n / (std::size(kVillages) * 12)));
  } else {
    // Street, number, unit and flat: a permutation of the space (7919 is
    // coprime to its size), so neighbouring n land far apart; past the
    // space, a 之N suffix keeps addresses distinct.
    constexpr uint64_t kSpace = std::size(kStreets) * 299 * 6 * 24;
    uint64_t m = (n % kSpace * 7919 + 13) % kSpace;
    size_t street = m % std::size(kStreets);
    m /= std::size(kStreets);
    int number = static_cast<int>(1 + m % 299);
    m /= 299;
    int unit = static_cast<int>(1 + m % 6);
    m /= 6;
    int flat = static_cast<int>((1 + m % 6) * 100 + 1 + m / 6);
    std::snprintf(buf, sizeof buf, "%s%d号%d单元%d室", kStreets[street], number, unit, flat);
    if (n >= kSpace) return "辽宁省阜新市" + district + buf + "之" + std::to_string(n / kSpace);
  }
  return "辽宁省阜新市" + district + buf;
}

std::string TradeName(Rng& rng) {
  std::string a = PickArr(rng, kTradeChars), b = PickArr(rng, kTradeChars);
  while (b == a) b = PickArr(rng, kTradeChars);
  return a + b;
}

std::string MobilePhone(Rng& rng) {
  static constexpr const char* kPrefixes[] = {
      "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
      "157", "158", "159", "166", "177", "180", "181", "186", "187", "188", "189", "198", "199"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%08d", PickArr(rng, kPrefixes),
                static_cast<int>(rng.Int(0, 99999999)));
  return buf;
}

}  // namespace qf::synth
