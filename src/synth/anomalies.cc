#include "synth/anomalies.h"

namespace qf::synth {

const std::vector<AnomalyKind>& AnomalyKinds() {
  static const std::vector<AnomalyKind> kinds = {
      // welfare
      {"welfare", "welfare_after_death", "死亡后仍发放",
       "welfare paid for a period after the month of death, or on a pay_date after the death date",
       "welfare payments after death; deaths"},
      {"welfare", "welfare_to_official", "公职人员领取救助",
       "means-tested welfare (低保, 特困, 临时救助) paid to a person in post as an official",
       "welfare payments; officials"},
      {"welfare", "welfare_related_to_handler", "经办人亲属领取",
       "beneficiary in the handler's household or among the handler's declared relatives",
       "welfare payments; relatives or the beneficiary's persons row"},
      {"welfare", "welfare_wealthy_beneficiary", "有车有房有企业仍领取低保",
       "means-tested beneficiary who is legal rep/shareholder of a live company, owns a vehicle, "
       "or owns ≥ 3 properties",
       "welfare payments; companies, vehicles or real_estate"},
      {"welfare", "welfare_duplicate_payment", "重复发放",
       "same beneficiary, programme and period paid more than once", "welfare payments"},
      {"welfare", "welfare_shared_account", "多人共用账户",
       "≥ 3 beneficiaries of ≥ 2 households paid into one bank account", "welfare payments"},
      // funds
      {"funds", "duplicate_payment", "重复支付",
       "same invoice_no paid twice, or same org, payee, amount and day on two vouchers",
       "payments"},
      {"funds", "split_payment", "拆分支付规避审批",
       "≥ 2 payments of one org to one payee, same economic class, within 7 days, each below the "
       "approval threshold (100,000 yuan), together ≥ it",
       "payments"},
      {"funds", "over_budget", "超预算支付", "payments against a budget line exceed its amount",
       "budgets; payments"},
      {"funds", "payment_without_budget", "无预算支付",
       "payment with no budget_id, an unknown one, or another org's / year's line", "payments"},
      {"funds", "payee_deregistered", "向注销吊销企业支付",
       "payee company 注销/吊销 with status_date before pay_date", "payments; companies"},
      {"funds", "payee_newly_created", "向新成立企业支付",
       "payee company established ≤ 90 days before a payment ≥ 50,000 yuan", "payments; companies"},
      {"funds", "payment_to_official_account", "支付至公职人员个人账户",
       "non-personnel payment (class not 301xx/303xx, and not 30211 travel paid to the claimant) "
       "to an official's ID number or salary account",
       "payments; officials"},
      {"funds", "payment_after_death", "死亡后仍支付（吃空饷）",
       "payment to a person (salary included) after their death date", "payments; deaths"},
      {"funds", "year_end_surge", "年底突击花钱",
       "an org's December non-personnel payments ≥ 30 % of its year's (honest ≈ 8–12 %)",
       "the December payments of the org"},
      {"funds", "benford_deviation", "首位数字偏离本福特定律",
       "first-digit MAD of an org-year's non-personnel payments (n ≥ 100) > 0.015 (Nigrini)",
       "the org-year's non-personnel payments"},
      // procurement
      {"procurement", "single_bid", "单一投标",
       "a competitive tender (not 单一来源) awarded with exactly one bid", "tenders; bids"},
      {"procurement", "short_bidding_period", "招标期过短",
       "公开招标 with date(bid_deadline) − publish_date < 20 calendar days", "tenders"},
      {"procurement", "bidders_share_attribute", "投标人信息雷同",
       "two bidders of one tender share IP, MAC, machine code, phone, contact person, project "
       "manager or deposit account",
       "bids"},
      {"procurement", "identical_bids", "报价完全相同", "two bids of one tender with equal amounts",
       "bids"},
      {"procurement", "arithmetic_bids", "报价呈规律性差异",
       "≥ 3 bids of one tender in arithmetic progression (equal gaps) or equal ratios", "bids"},
      {"procurement", "bid_price_screen", "报价统计异常（陪标）",
       "coefficient of variation of a tender's bids < 1 % with ≥ 4 bids (honest 3–10 %), "
       "relative distance RD > 1",
       "tenders; bids"},
      {"procurement", "bid_rotation", "轮流中标",
       "the same group of ≥ 3 firms bids together on ≥ 4 tenders of one buyer and each wins in "
       "turn",
       "tenders"},
      {"procurement", "new_company_large_award", "新设企业中大标",
       "winner established < 365 days before award, capital ≤ 1,000,000 yuan, award ≥ 2,000,000",
       "tenders; companies"},
      {"procurement", "split_tender", "化整为零规避招标",
       "≥ 2 non-open tenders of one buyer, same item_code and year, each below the open-tender "
       "threshold (goods/services 2,000,000; works 4,000,000), together ≥ it, within 90 days",
       "tenders"},
      {"procurement", "contract_inflation", "结算金额远超合同",
       "final_amount ≥ 1.3 × contract amount (honest within ±10 %)", "contracts"},
      {"procurement", "winner_linked_to_leader", "中标人与采购单位领导关联",
       "winner's legal rep or shareholder is a leader of the buyer or a leader's declared relative",
       "tenders; shareholders or companies; relatives"},
      // integrity
      {"integrity", "leader_holds_company", "领导干部经商办企业",
       "a leader in post is legal rep or shareholder of a live company",
       "companies/shareholders; officials"},
      {"integrity", "relative_company_paid", "向领导干部亲属企业支付",
       "company held by an official's declared relative paid by the official's organisation",
       "payments; shareholders or companies; relatives"},
      // conduct
      {"conduct", "reception_over_standard", "公务接待超标准",
       "接待 claim with amount / persons > 150 yuan per person (vendors of category 娱乐 or "
       "高档消费 are luxury_venue, not compared)",
       "reimbursements"},
      {"conduct", "luxury_venue", "高档场所消费", "claim at a vendor of category 娱乐 or 高档消费",
       "reimbursements"},
      {"conduct", "scenic_weekend", "节假日景区消费",
       "claim at a 景区 vendor whose start_date..end_date includes a non-working day",
       "reimbursements"},
      {"conduct", "overlapping_travel", "差旅时间重叠",
       "two 差旅 claims of one claimant with overlapping start_date..end_date", "reimbursements"},
      {"conduct", "split_invoices", "同一商户同日拆分报销",
       "≥ 2 claims of one org at one vendor with the same start_date", "reimbursements"},
      {"conduct", "car_holiday_resort", "节假日公车去度假场所",
       "trip starting on a non-working day to a resort destination (度假村, 温泉, 山庄, 风景区, "
       "滑雪场, 高尔夫)",
       "car_trips"},
      {"conduct", "car_overlapping_trips", "同一公车行程重叠",
       "two trips of one plate with overlapping start_time..end_time", "car_trips"},
      // complaints
      {"complaints", "complaint_overdue", "超期办结",
       "closed after AddWorkingDays(date(received_at), limit); limits 咨询 3, 求助 5, 建议 5, "
       "投诉 15, 举报 15 working days",
       "complaints"},
      {"complaints", "complaint_passed_around", "推诿扯皮（多次转派退单）",
       "≥ 3 转派/退单 events on one complaint", "complaints"},
      {"complaints", "complaint_repeated", "办结后重复诉求",
       "same caller_hash and category in one region again within 60 days of a closure",
       "complaints"},
      {"complaints", "closed_unsatisfied", "不满意未重办",
       "satisfaction 不满意 and no 重办 event after the last 回访", "complaints"},
      // party
      {"party", "meetings_below_frequency", "三会一课频次不足",
       "per branch and year fewer than: 支部党员大会 4, 支部委员会 12, 党小组会 12, 党课 4, "
       "主题党日 12, 组织生活会 1",
       "branch_meetings of that branch, kind and year"},
      {"party", "assembly_without_quorum", "党员大会不足半数",
       "支部党员大会 with attendees ≤ expected / 2", "branch_meetings"},
      {"party", "copied_minutes", "会议记录雷同",
       "two meetings whose minutes_text have character 5-gram Jaccard similarity ≥ 0.8",
       "branch_meetings (both)"},
      // enforcement
      {"enforcement", "penalty_without_av", "处罚无全过程记录",
       "处罚 or 强制 case with has_av_record = 否", "enforcement"},
      {"enforcement", "late_publication", "公示超期",
       "处罚/许可 published more than 7 working days after closed_at", "enforcement"},
      {"enforcement", "inspector_conflict", "执法人员应回避未回避",
       "an inspector is the target, shares its household, declared it as a relative, or holds "
       "the target company (legal rep/shareholder) — directly or through a declared relative",
       "enforcement; persons, relatives or shareholders"},
      {"enforcement", "inspection_imbalance", "双随机抽查不均衡",
       "in one org-year of 双随机 cases: a target drawn ≥ 3 times, or one inspector on ≥ 50 % of "
       "cases (org with ≥ 6 inspectors)",
       "enforcement"},
      // network: paths of 2–3 hops through the relationship graph that the
      // direct models above (who holds the company, same household, declared
      // relatives) do not see
      {"network", "leader_indirect_link", "领导干部通过隐性关系与收款/中标企业关联",
       "a company paid by an organisation or winning its tender is linked to a leader in post "
       "there by 2–3 hops: a declared relative holds a company holding ≥ 30 % of it; an "
       "undeclared member of the leader's household holds it; its registered phone is a declared "
       "relative's; or it is held by a declared relative and paid under its name only (no "
       "payee_party), in a variant form",
       "payments or tenders and the winning bid; companies; shareholders (the chain); officials"},
      {"network", "linked_bidders", "投标人之间存在股权或亲属关联",
       "two bidders of one tender share a shareholder, one holds ≥ 30 % of the other, or their "
       "legal representatives are in one registered household (no shared IP, phone or account)",
       "tenders; the linked bids"},
      {"network", "handler_linked_beneficiary", "经办人与领取人存在隐性关联",
       "the beneficiary's registered phone is the handler's, the welfare account is the handler's "
       "salary account (a payments payee_account with payee_party = the handler), or the "
       "beneficiary lives in the household of the handler's declared relative",
       "welfare payments (relatives)"},
      {"network", "inspector_linked_target", "执法人员与检查对象存在隐性关联",
       "the target company is held ≥ 30 % by a company of a member of an inspector's household, "
       "or is registered with an inspector's phone",
       "enforcement; companies"},
  };
  return kinds;
}

const AnomalyKind* FindAnomalyKind(std::string_view kind) {
  for (const AnomalyKind& k : AnomalyKinds()) {
    if (k.kind == kind) return &k;
  }
  return nullptr;
}

}  // namespace qf::synth
