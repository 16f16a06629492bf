// Family: enforcement (行政执法). Penalties and compulsory measures without an
// audio-video record, decisions published late or never, inspectors who did
// not recuse themselves, and 双随机 draws that are not random.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "common/calendar.h"
#include "common/time.h"
#include "ingest/identifiers.h"
#include "models/common.h"
#include "models/families.h"

namespace qf::models {

namespace {

using namespace engine;

const std::vector<std::string>& CaseColumns() {
  static const std::vector<std::string> kCols = {
      "case_id",   "org",    "target_party",   "inspector_id_numbers", "kind",         "started_at",
      "closed_at", "result", "penalty_amount", "has_av_record",        "published_at", "source"};
  return kCols;
}

// Codes of the given texts that occur in the pool (absent ones cannot match).
std::unordered_set<uint32_t> CodesOf(const Snapshot& s, const std::vector<std::string>& texts) {
  std::unordered_set<uint32_t> out;
  for (const std::string& t : texts) {
    uint32_t c = s.find(t);
    if (c != kNoString) out.insert(c);
  }
  return out;
}

std::string JoinTexts(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const std::string& x : v) out += (out.empty() ? "" : sep) + x;
  return out;
}

// The inspectors of a case: the `;`-separated ID numbers, distinct, as views
// into the pool.
std::vector<std::string_view> InspectorIds(const Snapshot& s, uint32_t list_code) {
  std::vector<std::string_view> out;
  if (list_code == kNoString) return out;
  std::string_view v = s.str(list_code);
  size_t start = 0;
  while (start <= v.size()) {
    size_t end = v.find(';', start);
    if (end == std::string_view::npos) end = v.size();
    std::string_view id = v.substr(start, end - start);
    while (!id.empty() && id.front() == ' ') id.remove_prefix(1);
    while (!id.empty() && id.back() == ' ') id.remove_suffix(1);
    if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    start = end + 1;
  }
  return out;
}

// The same as pool codes; a number no loaded table contains has no code and
// is left out (it can match no person, company or relative).
std::vector<uint32_t> InspectorCodes(const Snapshot& s, uint32_t list_code) {
  std::vector<uint32_t> out;
  for (std::string_view id : InspectorIds(s, list_code)) {
    uint32_t c = s.find(id);
    if (c != kNoString) out.push_back(c);
  }
  return out;
}

std::string CaseLabel(const Snapshot& s, const Table& t, size_t r) {
  return std::string(s.str(t.col("org").codes[r])) + std::string(s.str(t.col("kind").codes[r])) +
         "案件" + std::string(s.key(t, r));
}

// Names of a small set of parties (persons by id_number, companies by
// credit_code), read with one pass over each table rather than an index.
std::unordered_map<uint32_t, std::string> PartyNames(const Snapshot& s,
                                                     const std::unordered_set<uint32_t>& wanted) {
  std::unordered_map<uint32_t, std::string> out;
  if (wanted.empty()) return out;
  if (const Table* p = s.table("persons")) {
    const auto& id = p->col("id_number").codes;
    const auto& name = p->col("name").codes;
    for (size_t r = 0; r < p->size(); ++r) {
      if (wanted.count(id[r])) out.emplace(id[r], std::string(s.str(name[r])));
    }
  }
  if (const Table* c = s.table("companies")) {
    const auto& id = c->col("credit_code").codes;
    const auto& name = c->col("name").codes;
    for (size_t r = 0; r < c->size(); ++r) {
      if (wanted.count(id[r])) out.emplace(id[r], std::string(s.str(name[r])));
    }
  }
  return out;
}

// A *_party value is an ID number or a credit code; the format decides, in
// the importer's order (a valid ID number is a person).
bool LooksLikeIdNumber(std::string_view v) { return v.size() == 18 && NormalizeIdNumber(v).ok(); }

// 处罚、强制未全过程记录: penalties and compulsory measures must carry an
// audio-video record of the whole process; a false or absent flag is a gap.
std::unique_ptr<Model> PenaltyWithoutAv() {
  ModelInfo info;
  info.id = "penalty_without_av";
  info.name_zh = "处罚、强制措施无全过程音像记录";
  info.name_en = "Penalty or compulsory measure without an audio-video record";
  info.family = "enforcement";
  info.detects = "行政处罚或行政强制案件未标记全过程音像记录（为“否”或空缺）。";
  info.basis =
      "行政执法全过程记录制度（国办发〔2018〕118号“三项制度”）：查封扣押、强制执行等行政强制和"
      "作出行政处罚的执法活动应当进行全过程音像记录。缺少记录既无法倒查执法是否规范，也是"
      "选择性执法、吃拿卡要的温床。";
  info.severity = Severity::kMedium;
  info.inputs = {{"enforcement", CaseColumns()}};
  info.params = {{"kinds", "处罚,强制", "须全过程音像记录的执法类别",
                  "kinds of case that need an audio-video record"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("enforcement");
    std::unordered_set<uint32_t> kinds = CodesOf(s, ctx.params.List("kinds"));
    const Column& kind = t.col("kind");
    const Column& av = t.col("has_av_record");
    const Column& amount = t.col("penalty_amount");
    const Column& closed = t.col("closed_at");
    const Column& started = t.col("started_at");
    for (size_t r = 0; r < t.size(); ++r) {
      if (!kinds.count(kind.codes[r])) continue;
      if (av.ints[r] != kNull && av.ints[r] != 0) continue;
      Finding f;
      f.identity = std::string(s.key(t, r));
      f.subject = {"enforcement", f.identity, std::string(s.str(t.col("org").codes[r]))};
      int64_t fen = amount.ints[r] == kNull ? 0 : amount.ints[r];
      f.amount_fen = fen;
      // Larger penalties weigh more: 100,000 yuan and above scores full.
      f.score = ScaleScore(60, static_cast<double>(fen) / 100.0, 100000.0);
      f.evidence.push_back(MakeEvidence(s, t, r, CaseColumns()));
      int64_t when = closed.ints[r] != kNull ? closed.ints[r] : started.ints[r];
      f.summary = CaseLabel(s, t, r) + (when == kNull ? "" : "（" + DayText(DayOf(when)) + "）") +
                  (fen > 0 ? "罚没" + Yuan(fen) + "元，" : "") +
                  (av.ints[r] == kNull ? "未登记是否全过程记录" : "无全过程音像记录") +
                  "，不符合行政执法全过程记录制度";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 处罚、许可决定公示超期: decisions must be published within 7 working days
// of closure; one not published by the latest date in the data, when that is
// already past its deadline, is also late.
std::unique_ptr<Model> LatePublication() {
  ModelInfo info;
  info.id = "late_publication";
  info.name_zh = "行政处罚、许可决定公示超期";
  info.name_en = "Penalty or licence decision published late or not at all";
  info.family = "enforcement";
  info.detects =
      "行政处罚、行政许可决定在结案后超过规定的工作日才公示，或截至数据最新日期已超期仍未公示。";
  info.basis =
      "“双随机、一公开”与行政执法公示制度（国办发〔2018〕118号）：行政许可、行政处罚决定应自作出"
      "决定之日起7个工作日内公开。按期公示是接受社会监督的前提，迟延或不公示可能掩盖人情执法。"
      "工作日按国务院办公厅节假日安排（含调休）计算。";
  info.severity = Severity::kLow;
  info.inputs = {{"enforcement", CaseColumns()}};
  info.params = {
      {"kinds", "处罚,许可", "须公示的执法类别", "kinds of decision that must be published"},
      {"max_working_days", "7", "结案后公示期限（工作日）", "working days allowed after closure"},
  };
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("enforcement");
    std::unordered_set<uint32_t> kinds = CodesOf(s, ctx.params.List("kinds"));
    const int limit = static_cast<int>(ctx.params.Int("max_working_days"));
    const Column& kind = t.col("kind");
    const Column& started = t.col("started_at");
    const Column& closed = t.col("closed_at");
    const Column& published = t.col("published_at");
    // The data's latest date: unpublished decisions are judged as of then.
    int64_t latest = kNull;
    for (const Column* c : {&started, &closed, &published}) {
      for (int64_t v : c->ints) {
        if (v != kNull && (latest == kNull || v > latest)) latest = v;
      }
    }
    if (latest == kNull) return Status::OK();
    const int64_t latest_day = DayOf(latest);
    for (size_t r = 0; r < t.size(); ++r) {
      if (!kinds.count(kind.codes[r]) || closed.ints[r] == kNull) continue;
      int64_t closed_day = DayOf(closed.ints[r]);
      int64_t deadline = AddWorkingDaysDays(closed_day, limit);
      bool unpublished = published.ints[r] == kNull;
      int64_t judged_day = unpublished ? latest_day : DayOf(published.ints[r]);
      if (judged_day <= deadline) continue;
      int taken = WorkingDaysBetweenDays(closed_day, judged_day);
      Finding f;
      f.identity = std::string(s.key(t, r));
      f.subject = {"enforcement", f.identity, std::string(s.str(t.col("org").codes[r]))};
      f.score = ScaleScore(45, static_cast<double>(taken - limit), 40.0);
      if (unpublished) f.score = std::max(f.score, 70);
      f.evidence.push_back(MakeEvidence(s, t, r, CaseColumns()));
      f.summary =
          CaseLabel(s, t, r) + "于" + DayText(closed_day) + "结案，" +
          (unpublished
               ? "截至" + DayText(latest_day) + "已过" + std::to_string(taken) + "个工作日仍未公示"
               : "至" + DayText(judged_day) + "才公示，历时" + std::to_string(taken) + "个工作日") +
          "，超过" + std::to_string(limit) + "个工作日的公示期限（应于" + DayText(deadline) +
          "前公示）";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 执法人员未回避: an inspector of a case is tied to its target — the target
// company is held (legal representative or shareholder on the case date) by
// the inspector, a member of his household or a declared relative, or the
// target person is the inspector, a household member or a relative.
std::unique_ptr<Model> InspectorConflict() {
  ModelInfo info;
  info.id = "inspector_conflict";
  info.name_zh = "执法人员与检查对象存在利害关系未回避";
  info.name_en = "Inspector with a conflict of interest in the case";
  info.family = "enforcement";
  info.detects =
      "执法人员本人、同户家庭成员或申报的亲属担任被检查企业的法定代表人或股东，或被检查人就是执法"
      "人员本人、其家庭成员或亲属，而该执法人员仍参与办案。";
  info.basis =
      "《行政处罚法》第四十三条、《行政许可法》及“双随机、一公开”监管要求：执法人员与案件有直接"
      "利害关系或者有其他关系可能影响公正执法的，应当回避。利害关系人参与检查可能导致包庇、"
      "选择性执法。数据比对：执法记录 × 市场主体登记/股东 × 户籍 × 领导干部个人有关事项报告。";
  info.severity = Severity::kHigh;
  info.inputs = {{"enforcement", CaseColumns()}};
  AddInputs(&info.inputs, CompanyHolders::Inputs());
  AddInputs(&info.inputs, Relatives::Inputs());
  AddInputs(&info.inputs, Households::Inputs());
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("enforcement");
    CompanyHolders holders(s);
    Relatives relatives(s);
    Households households(s);
    const Table& persons = households.table();
    const auto& person_id = persons.col("id_number").codes;
    const Column& target = t.col("target_party");
    const Column& insp = t.col("inspector_id_numbers");
    const Column& started = t.col("started_at");

    // A person tied to an inspector, and how.
    struct Tie {
      uint32_t person = kNoString;
      enum Kind { kSelf, kHousehold, kDeclared } kind = kSelf;
      int64_t person_row = kNoRow;    // persons row of the tied person (household)
      int64_t relative_row = kNoRow;  // relatives row (declared)
      bool reverse = false;           // the inspector is the declared relative
    };
    std::unordered_map<uint32_t, std::vector<Tie>> circles;
    auto circle_of = [&](uint32_t inspector) -> const std::vector<Tie>& {
      auto [it, fresh] = circles.try_emplace(inspector);
      if (!fresh) return it->second;
      std::vector<Tie>& c = it->second;
      // One tie per person: a declared relative (which names the relation)
      // before the same person as a household member.
      auto known = [&](uint32_t person) {
        return std::any_of(c.begin(), c.end(), [&](const Tie& x) { return x.person == person; });
      };
      c.push_back({inspector, Tie::kSelf});
      for (uint32_t rr : relatives.OfOfficial(inspector)) {
        if (known(relatives.Relative(rr))) continue;
        c.push_back({relatives.Relative(rr), Tie::kDeclared, kNoRow, static_cast<int64_t>(rr)});
      }
      for (uint32_t rr : relatives.OfRelative(inspector)) {
        if (known(relatives.Official(rr))) continue;
        c.push_back(
            {relatives.Official(rr), Tie::kDeclared, kNoRow, static_cast<int64_t>(rr), true});
      }
      uint32_t hh = households.HouseholdOf(inspector);
      if (hh != kNoString) {
        for (uint32_t pr : households.Members(hh)) {
          if (known(person_id[pr])) continue;
          c.push_back({person_id[pr], Tie::kHousehold, static_cast<int64_t>(pr)});
        }
      }
      return c;
    };
    auto tie_text = [&](const Tie& tie) -> std::string {
      switch (tie.kind) {
        case Tie::kSelf:
          return "本人";
        case Tie::kHousehold: {
          std::string_view rel = s.str(persons.col("relation_to_head").codes[tie.person_row]);
          return "同户家庭成员" +
                 (rel.empty() ? std::string() : "（与户主关系：" + std::string(rel) + "）") +
                 MaskedName(households.Name(tie.person));
        }
        case Tie::kDeclared: {
          std::string rel(relatives.Relation(static_cast<uint32_t>(tie.relative_row)));
          return (tie.reverse ? "申报其为亲属的干部" : "申报亲属（" + rel + "）") +
                 MaskedName(households.Name(tie.person));
        }
      }
      return "";
    };
    auto tie_evidence = [&](const Tie& tie, std::vector<Evidence>* ev) {
      if (tie.kind == Tie::kSelf) return;
      if (tie.relative_row != kNoRow) {
        ev->push_back(MakeEvidence(s, relatives.table(), static_cast<size_t>(tie.relative_row),
                                   Relatives::EvidenceColumns()));
      }
      int64_t pr = tie.person_row != kNoRow ? tie.person_row : households.PersonRow(tie.person);
      if (pr != kNoRow) {
        ev->push_back(
            MakeEvidence(s, persons, static_cast<size_t>(pr), Households::EvidenceColumns()));
      }
    };

    for (size_t r = 0; r < t.size(); ++r) {
      uint32_t tgt = target.codes[r];
      if (tgt == kNoString) continue;
      std::vector<uint32_t> inspectors = InspectorCodes(s, insp.codes[r]);
      if (inspectors.empty()) continue;
      int64_t day = started.ints[r] == kNull ? kNull : DayOf(started.ints[r]);
      int64_t company = holders.CompanyRow(tgt);
      bool person_target = company == kNoRow && LooksLikeIdNumber(s.str(tgt));
      if (company == kNoRow && !person_target) continue;

      Finding f;
      std::vector<std::string> facts;
      std::vector<uint32_t> conflicted;  // inspectors with a tie, the first is the subject
      bool self_tie = false;             // the inspector himself holds or is the target
      auto note = [&](uint32_t inspector, const Tie& tie) {
        if (std::find(conflicted.begin(), conflicted.end(), inspector) == conflicted.end()) {
          conflicted.push_back(inspector);
        }
        self_tie = self_tie || tie.kind == Tie::kSelf;
      };
      std::set<std::pair<std::string, std::string>> seen;  // evidence dedup
      auto add_evidence = [&](std::vector<Evidence> ev) {
        for (Evidence& e : ev) {
          if (seen.insert({e.dataset, e.key}).second) f.evidence.push_back(std::move(e));
        }
      };
      for (uint32_t inspector : inspectors) {
        const std::vector<Tie>& circle = circle_of(inspector);
        std::string who = "执法人员" + MaskedName(households.Name(inspector));
        for (const Tie& tie : circle) {
          if (company != kNoRow) {
            for (const Holding& h : holders.ByCompany(static_cast<uint32_t>(company))) {
              if (h.holder != tie.person) continue;
              if (day != kNull && !CompanyHolders::ActiveOn(h, day)) continue;
              std::vector<Evidence> ev;
              holders.AppendEvidence(h, &ev);
              tie_evidence(tie, &ev);
              add_evidence(std::move(ev));
              facts.push_back(who + (tie.kind == Tie::kSelf ? "本人" : "的" + tie_text(tie)) +
                              "系被检查企业" +
                              std::string(holders.CompanyName(static_cast<uint32_t>(company))) +
                              "的" + CompanyHolders::RoleText(h));
              note(inspector, tie);
            }
          } else if (tie.person == tgt) {
            std::vector<Evidence> ev;
            tie_evidence(tie, &ev);
            add_evidence(std::move(ev));
            facts.push_back(tie.kind == Tie::kSelf ? "被检查人即" + who + "本人"
                                                   : "被检查人是" + who + "的" + tie_text(tie));
            note(inspector, tie);
          }
        }
      }
      if (facts.empty()) continue;
      // The case first: it is the record the lead is about.
      f.evidence.insert(f.evidence.begin(), MakeEvidence(s, t, r, CaseColumns()));
      if (person_target && !seen.count({"persons", std::string(s.str(tgt))})) {
        int64_t pr = households.PersonRow(tgt);
        if (pr != kNoRow) {
          f.evidence.push_back(
              MakeEvidence(s, persons, static_cast<size_t>(pr), Households::EvidenceColumns()));
        }
      }
      for (uint32_t inspector : conflicted) {
        int64_t pr = households.PersonRow(inspector);
        if (pr != kNoRow && seen.insert({"persons", std::string(s.str(inspector))}).second) {
          f.evidence.push_back(
              MakeEvidence(s, persons, static_cast<size_t>(pr), Households::EvidenceColumns()));
        }
      }
      f.identity = std::string(s.key(t, r));
      f.subject = {"persons", std::string(s.str(conflicted[0])),
                   std::string(households.Name(conflicted[0]))};
      f.score = self_tie ? 90 : 80;
      f.amount_fen = t.col("penalty_amount").ints[r] == kNull ? 0 : t.col("penalty_amount").ints[r];
      f.summary = CaseLabel(s, t, r) + (day == kNull ? "" : "（" + DayText(day) + "）") + "中，" +
                  JoinTexts(facts, "；") + "，该执法人员应回避而未回避";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 双随机抽查失衡: the draws are supposed to be random — a target drawn again
// and again within one body and year, or one inspector on a large share of a
// body's draws although the register has enough inspectors, shows the draw
// was steered.
std::unique_ptr<Model> InspectionImbalance() {
  ModelInfo info;
  info.id = "inspection_imbalance";
  info.name_zh = "双随机抽查对象或人员分布异常";
  info.name_en = "Random inspections whose targets or inspectors are not random";
  info.family = "enforcement";
  info.detects =
      "同一执法单位同一年度的双随机抽查中，同一检查对象被抽中次数过多，或在执法人员足够的单位中"
      "某一执法人员参与的抽查占比过高。";
  info.basis =
      "国务院《关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）："
      "随机抽取检查对象、随机选派执法检查人员，抽查过程可追溯、可复核。对象反复被抽或固定人员"
      "包揽检查，说明抽取被人为干预，可能存在选择性执法或利益输送。";
  info.severity = Severity::kMedium;
  info.inputs = {{"enforcement", CaseColumns()},
                 {"persons", {"id_number", "name"}},
                 {"companies", {"credit_code", "name"}}};
  info.params = {
      {"source", "双随机", "双随机抽查案件的来源值", "source value of random-draw cases"},
      {"max_target_draws", "3", "同一对象同一单位年度被抽中次数达到此数即预警",
       "draws of one target in an org-year that are flagged"},
      {"max_inspector_share", "0.5", "单个执法人员参与抽查占比达到此值即预警",
       "share of an org-year's draws one inspector may not reach"},
      {"min_inspectors", "6",
       "占比规则适用的最少执法人员数（单位当年办案的不同执法人员数，近似执法人员名录库）",
       "inspectors a body needs for the share rule (distinct inspectors on its cases that year)"},
      {"min_cases", "10", "执法人员占比规则适用的最少抽查案件数",
       "random-draw cases an org-year needs for the share rule to apply"},
  };
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& t = s.at("enforcement");
    const uint32_t random_source = s.find(ctx.params.Text("source"));
    const int64_t max_draws = ctx.params.Int("max_target_draws");
    const double max_share = ctx.params.Number("max_inspector_share");
    const int64_t min_inspectors = ctx.params.Int("min_inspectors");
    const int64_t min_cases = ctx.params.Int("min_cases");
    const Column& org = t.col("org");
    const Column& source = t.col("source");
    const Column& target = t.col("target_party");
    const Column& insp = t.col("inspector_id_numbers");
    const Column& started = t.col("started_at");

    // Per org-year: the random-draw cases and every inspector seen in any case.
    struct OrgYear {
      std::vector<uint32_t> draws;
      std::unordered_set<std::string_view> inspectors;
    };
    std::map<std::pair<std::string, int>, OrgYear> groups;  // by org name for a stable order
    std::unordered_map<uint32_t, std::vector<std::string_view>> inspectors_of;
    for (size_t r = 0; r < t.size(); ++r) {
      if (org.codes[r] == kNoString || started.ints[r] == kNull) continue;
      int year = CivilFromDays(DayOf(started.ints[r])).year;
      OrgYear& g = groups[{std::string(s.str(org.codes[r])), year}];
      std::vector<std::string_view> ins = InspectorIds(s, insp.codes[r]);
      g.inspectors.insert(ins.begin(), ins.end());
      if (random_source != kNoString && source.codes[r] == random_source) {
        g.draws.push_back(static_cast<uint32_t>(r));
        inspectors_of[static_cast<uint32_t>(r)] = std::move(ins);
      }
    }

    std::unordered_set<uint32_t> named;
    struct Pending {
      Finding f;
      uint32_t party;
      std::string what;  // summary after the name
    };
    std::vector<Pending> pending;
    for (auto& [key, g] : groups) {
      const auto& [org_name, year] = key;
      if (g.draws.empty()) continue;
      std::sort(g.draws.begin(), g.draws.end(),
                [&](uint32_t a, uint32_t b) { return started.ints[a] < started.ints[b]; });
      // Targets drawn repeatedly.
      std::map<std::string, std::vector<uint32_t>> by_target;
      for (uint32_t r : g.draws) {
        if (target.codes[r] != kNoString)
          by_target[std::string(s.str(target.codes[r]))].push_back(r);
      }
      for (auto& [tgt, rows] : by_target) {
        if (static_cast<int64_t>(rows.size()) < max_draws) continue;
        Pending p;
        p.party = target.codes[rows[0]];
        p.f.identity = "target|" + org_name + "|" + std::to_string(year) + "|" + tgt;
        p.f.subject = {LooksLikeIdNumber(tgt) ? "persons" : "companies", tgt, ""};
        p.f.score = ScaleScore(60, static_cast<double>(rows.size() - max_draws + 1), 4.0);
        for (uint32_t r : rows) p.f.evidence.push_back(MakeEvidence(s, t, r, CaseColumns()));
        std::string dates;
        for (size_t i = 0; i < rows.size() && i < 6; ++i) {
          dates += (i ? "、" : "") + DayText(DayOf(started.ints[rows[i]]));
        }
        if (rows.size() > 6) dates += "等";
        p.what = "在" + org_name + std::to_string(year) + "年的" + std::to_string(g.draws.size()) +
                 "次双随机抽查中被抽中" + std::to_string(rows.size()) + "次（" + dates +
                 "），同一对象被反复抽中，抽取并非随机";
        named.insert(p.party);
        pending.push_back(std::move(p));
      }
      // One inspector on a large share of the draws.
      auto n = static_cast<int64_t>(g.draws.size());
      if (static_cast<int64_t>(g.inspectors.size()) < min_inspectors || n < min_cases) continue;
      std::map<std::string_view, std::vector<uint32_t>> cases_of;
      for (uint32_t r : g.draws) {
        for (std::string_view id : inspectors_of[r]) cases_of[id].push_back(r);
      }
      for (const auto& [id, rows] : cases_of) {
        double share = static_cast<double>(rows.size()) / static_cast<double>(n);
        if (share < max_share - 1e-12) continue;
        uint32_t c = s.find(id);
        Pending p;
        p.party = c;
        p.f.identity = "inspector|" + org_name + "|" + std::to_string(year) + "|" + std::string(id);
        p.f.subject = {"persons", std::string(id), ""};
        p.f.score = ScaleScore(60, (share - max_share) / std::max(1e-9, 1 - max_share), 1.0);
        for (uint32_t r : rows) p.f.evidence.push_back(MakeEvidence(s, t, r, CaseColumns()));
        p.what = "（执法人员）参与了" + org_name + std::to_string(year) + "年" + std::to_string(n) +
                 "次双随机抽查中的" + std::to_string(rows.size()) + "次（占" +
                 std::to_string(static_cast<int>(share * 100 + 0.5)) + "%），而该单位当年共有" +
                 std::to_string(g.inspectors.size()) + "名执法人员参与执法，人员并非随机选派";
        if (c != kNoString) named.insert(c);
        pending.push_back(std::move(p));
      }
    }
    std::unordered_map<uint32_t, std::string> names = PartyNames(s, named);
    for (Pending& p : pending) {
      auto it = names.find(p.party);
      std::string name = it == names.end() ? std::string() : it->second;
      bool person = p.f.subject.dataset == "persons";
      p.f.subject.name = name;
      std::string shown = person ? MaskedName(name) : (name.empty() ? p.f.subject.key : name);
      p.f.summary =
          (person && p.f.identity.rfind("target|", 0) == 0 ? "检查对象" : "") + shown + p.what;
      out->push_back(std::move(p.f));
    }
    return Status::OK();
  });
}

}  // namespace

void RegisterEnforcementModels(ModelList* out) {
  out->push_back(PenaltyWithoutAv());
  out->push_back(LatePublication());
  out->push_back(InspectorConflict());
  out->push_back(InspectionImbalance());
}

}  // namespace qf::models
