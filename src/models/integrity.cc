// Family: integrity (廉洁从政). Leaders who run businesses, and public money
// paid to companies held by officials' declared relatives.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "common/text.h"
#include "models/common.h"
#include "models/families.h"

namespace qf::models {

namespace {

using namespace engine;

// 领导干部经商办企业: a leader in post who is, now, the legal representative or
// a shareholder of a company that still exists.
std::unique_ptr<Model> LeaderHoldsCompany() {
  ModelInfo info;
  info.id = "leader_holds_company";
  info.name_zh = "领导干部经商办企业";
  info.name_en = "Leader holds a company";
  info.family = "integrity";
  info.detects = "在职领导干部本人担任存续/在业企业的法定代表人，或是其登记股东。";
  info.basis =
      "《中国共产党纪律处分条例》第一百零三条、《公务员法》第五十九条：违反有关规定从事营利活动，"
      "经商办企业、拥有非上市公司股份的，应予处分；公职人员信息 × 市场主体登记、股东出资比对。";
  info.severity = Severity::kHigh;
  AddInputs(&info.inputs, Officials::Inputs());
  AddInputs(&info.inputs, CompanyHolders::Inputs());
  info.params = {{"leaders_only", "1", "仅检查领导干部（1=是，0=全部公职人员）",
                  "only leaders (1) or every official (0)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    Officials officials(s);
    CompanyHolders holders(s);
    const bool leaders_only = ctx.params.Int("leaders_only") != 0;
    const Table& o = officials.table();
    const auto& id = o.col("id_number").codes;
    // person → (posts in force, holdings of live companies); ordered for a stable output.
    struct Hit {
      std::vector<uint32_t> posts;
      std::vector<const Holding*> holdings;
    };
    std::map<uint32_t, Hit> hits;
    for (size_t r = 0; r < o.size(); ++r) {
      uint32_t row = static_cast<uint32_t>(r);
      if (!officials.InPostNow(row) || (leaders_only && !officials.IsLeader(row))) continue;
      const auto& holds = holders.ByHolder(id[r]);
      if (holds.empty()) continue;
      std::vector<const Holding*> live;
      for (const Holding& h : holds) {
        if (holders.IsLive(h.company_row) && CompanyHolders::ActiveNow(h)) live.push_back(&h);
      }
      if (live.empty()) continue;
      Hit& x = hits[id[r]];
      x.posts.push_back(row);
      if (x.holdings.empty()) x.holdings = std::move(live);
    }
    for (auto& [person, x] : hits) {
      uint32_t post = x.posts[0];
      std::string name(officials.Name(post));
      Finding f;
      f.identity = std::string(s.str(person));
      f.subject = {"persons", std::string(s.str(person)), name};
      bool rep = false;
      double max_ratio = 0;
      for (const Holding* h : x.holdings) {
        rep = rep || h->legal_rep;
        if (h->shareholder() && !std::isnan(h->share_ratio)) {
          max_ratio = std::max(max_ratio, h->share_ratio);
        }
      }
      f.score = ScaleScore(rep ? 80 : 65, max_ratio + (x.holdings.size() - 1) * 0.5, 1.0);
      for (uint32_t p : x.posts) {
        f.evidence.push_back(MakeEvidence(s, o, p, Officials::EvidenceColumns()));
      }
      std::string facts;
      for (const Holding* h : x.holdings) {
        holders.AppendEvidence(*h, &f.evidence);
        if (!facts.empty()) facts += "，";
        facts += "系" + std::string(holders.CompanyName(h->company_row)) + "（" +
                 std::string(s.str(holders.companies().col("status").codes[h->company_row])) +
                 "）" + CompanyHolders::RoleText(*h);
      }
      std::string position(s.str(o.col("position").codes[post]));
      f.summary =
          std::string(officials.Org(post)) + position + MaskedName(name) + "现任领导职务，" + facts;
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

// 利益输送: a payment by an official's own organisation to a company whose
// legal representative or shareholder is a relative the official declared,
// while the official was in post there and the relative held the company.
std::unique_ptr<Model> RelativeCompanyPaid() {
  ModelInfo info;
  info.id = "relative_company_paid";
  info.name_zh = "本单位向干部亲属企业付款";
  info.name_en = "Organisation pays a company held by an official's relative";
  info.family = "integrity";
  info.detects =
      "单位支付的收款企业，其法定代表人或股东是本单位在职干部申报的亲属（配偶、子女、父母等），"
      "且付款时该干部在该单位任职、亲属仍持有该企业。";
  info.basis =
      "《中国共产党纪律处分条例》：利用职权或职务影响为配偶、子女及其配偶等亲属经营活动谋取利益"
      "的应予处分；《领导干部配偶、子女及其配偶经商办企业管理规定》；国库支付 × 市场主体 × "
      "领导干部个人有关事项报告比对。";
  info.severity = Severity::kHigh;
  info.inputs = {{"payments",
                  {"payment_id", "pay_date", "org", "payee_name", "payee_party", "payee_account",
                   "amount", "purpose", "economic_class"}}};
  AddInputs(&info.inputs, Officials::Inputs());
  AddInputs(&info.inputs, Relatives::Inputs());
  AddInputs(&info.inputs, CompanyHolders::Inputs());
  info.params = {{"leaders_only", "0", "仅检查领导干部（1=是，0=全部申报亲属的干部）",
                  "only leaders (1) or every official with declared relatives (0)"}};
  return MakeModel(std::move(info), [](const RunContext& ctx, std::vector<Finding>* out) {
    const Snapshot& s = ctx.snap;
    const Table& pay = s.at("payments");
    Officials officials(s);
    Relatives rel(s);
    CompanyHolders holders(s);
    OrgNames orgs(s);
    const bool leaders_only = ctx.params.Int("leaders_only") != 0;
    const Table& comp = holders.companies();
    // Companies with a holder who is somebody's declared relative: only their
    // payments need the full check.
    std::vector<uint8_t> linked(comp.size(), 0);
    bool any = false;
    for (size_t c = 0; c < comp.size(); ++c) {
      for (const Holding& h : holders.ByCompany(static_cast<uint32_t>(c))) {
        if (!rel.OfRelative(h.holder).empty()) {
          linked[c] = 1;
          any = true;
          break;
        }
      }
    }
    if (!any) return Status::OK();
    // Payees named without a credit code: by the company's normalised name.
    std::unordered_map<std::string, uint32_t> company_by_name;
    for (size_t c = 0; c < comp.size(); ++c) {
      if (!linked[c]) continue;
      company_by_name.emplace(NormalizeOrgName(s.str(comp.col("name").codes[c])),
                              static_cast<uint32_t>(c));
    }
    std::unordered_map<uint32_t, int64_t> by_payee_name;  // payee_name code → company row
    const auto& party = pay.col("payee_party").codes;
    const auto& payee_name = pay.col("payee_name").codes;
    const auto& pay_date = pay.col("pay_date").ints;
    const auto& org = pay.col("org").codes;
    const auto& amount = pay.col("amount").ints;
    struct Link {
      uint32_t official_row;  // the post in force
      uint32_t relative_row;  // the declaration
      const Holding* holding;
    };
    struct Hit {
      std::vector<uint32_t> payments;
      std::vector<Link> links;
    };
    // (official id, company row) → hit
    std::map<std::pair<uint32_t, uint32_t>, Hit> hits;
    for (size_t r = 0; r < pay.size(); ++r) {
      int64_t c = kNoRow;
      if (party[r] != kNoString) {
        c = holders.CompanyRow(party[r]);
      } else if (payee_name[r] != kNoString) {
        auto it = by_payee_name.find(payee_name[r]);
        if (it == by_payee_name.end()) {
          auto n = company_by_name.find(NormalizeOrgName(s.str(payee_name[r])));
          it = by_payee_name.emplace(payee_name[r], n == company_by_name.end() ? kNoRow : n->second)
                   .first;
        }
        c = it->second;
      }
      if (c == kNoRow || !linked[static_cast<size_t>(c)] || pay_date[r] == kNull) continue;
      int64_t day = pay_date[r];
      uint32_t payer = orgs.Key(org[r]);
      if (payer == 0) continue;
      for (const Holding& h : holders.ByCompany(static_cast<uint32_t>(c))) {
        if (!CompanyHolders::ActiveOn(h, day)) continue;
        for (uint32_t d : rel.OfRelative(h.holder)) {
          uint32_t official = rel.Official(d);
          if (official == h.holder) continue;
          for (uint32_t o : officials.RowsOf(official)) {
            if (!officials.InPostOn(o, day)) continue;
            if (leaders_only && !officials.IsLeader(o)) continue;
            if (orgs.Key(officials.table().col("org").codes[o]) != payer) continue;
            Hit& x = hits[{official, static_cast<uint32_t>(c)}];
            if (x.payments.empty() || x.payments.back() != r) {
              x.payments.push_back(static_cast<uint32_t>(r));
            }
            bool known = false;
            for (const Link& l : x.links) {
              known = known || (l.official_row == o && l.relative_row == d && l.holding == &h);
            }
            if (!known) x.links.push_back({o, d, &h});
          }
        }
      }
    }
    for (auto& [k, x] : hits) {
      auto [official, c] = k;
      std::sort(x.payments.begin(), x.payments.end(), [&](uint32_t a, uint32_t b) {
        return pay_date[a] != pay_date[b] ? pay_date[a] < pay_date[b] : a < b;
      });
      int64_t total = 0;
      for (uint32_t r : x.payments) total += amount[r] == kNull ? 0 : amount[r];
      const Link& first = x.links[0];
      std::string name(officials.Name(first.official_row));
      std::string company(holders.CompanyName(c));
      Finding f;
      f.identity = std::string(s.str(official)) + "|" + std::string(s.str(comp.key_code(c)));
      f.subject = {"persons", std::string(s.str(official)), name};
      f.amount_fen = total;
      f.score = ScaleScore(70, static_cast<double>(total) / 100.0, 1'000'000.0);
      // The company (once), then per link the shareholding, declaration and post.
      f.evidence.push_back(MakeEvidence(s, comp, c, CompanyHolders::CompanyEvidenceColumns()));
      std::set<int64_t> shown_shares;
      std::set<uint32_t> shown_decl, shown_posts;
      for (const Link& l : x.links) {
        if (l.holding->shareholder() && shown_shares.insert(l.holding->shareholder_row).second) {
          f.evidence.push_back(MakeEvidence(s, holders.shareholders(),
                                            static_cast<size_t>(l.holding->shareholder_row),
                                            CompanyHolders::ShareholderEvidenceColumns()));
        }
        if (shown_decl.insert(l.relative_row).second) {
          f.evidence.push_back(
              MakeEvidence(s, rel.table(), l.relative_row, Relatives::EvidenceColumns()));
        }
        if (shown_posts.insert(l.official_row).second) {
          f.evidence.push_back(
              MakeEvidence(s, officials.table(), l.official_row, Officials::EvidenceColumns()));
        }
      }
      for (uint32_t r : x.payments) {
        f.evidence.push_back(MakeEvidence(s, pay, r,
                                          {"pay_date", "org", "payee_name", "payee_party", "amount",
                                           "purpose", "economic_class"}));
      }
      std::string relative_name(s.str(rel.table().col("relative_name").codes[first.relative_row]));
      if (relative_name.empty()) relative_name = "其亲属";
      std::string when = x.payments.size() == 1 ? DayText(pay_date[x.payments[0]])
                                                : DayText(pay_date[x.payments.front()]) + "至" +
                                                      DayText(pay_date[x.payments.back()]);
      f.summary = std::string(officials.Org(first.official_row)) + MaskedName(name) + "申报的" +
                  std::string(rel.Relation(first.relative_row)) + MaskedName(relative_name) + "是" +
                  company + CompanyHolders::RoleText(*first.holding) + "，该单位于" + when +
                  "向其支付" + std::to_string(x.payments.size()) + "笔共" + Yuan(total) + "元";
      out->push_back(std::move(f));
    }
    return Status::OK();
  });
}

}  // namespace

void RegisterIntegrityModels(ModelList* out) {
  out->push_back(LeaderHoldsCompany());
  out->push_back(RelativeCompanyPaid());
}

}  // namespace qf::models
