#include "ingest/dataset.h"

#include "common/text.h"

namespace qf {

namespace {

using T = ColumnType;

ColumnDef Col(std::string name, T type, bool required, std::vector<std::string> aliases,
              std::string note = "", std::vector<std::string> allowed = {}) {
  ColumnDef c;
  c.name = std::move(name);
  c.type = type;
  c.required = required;
  c.aliases = std::move(aliases);
  c.note = std::move(note);
  c.allowed = std::move(allowed);
  return c;
}

constexpr bool R = true;   // required
constexpr bool O = false;  // optional

DatasetDef Make(std::string name, std::string zh, std::string en, std::vector<ColumnDef> cols,
                const std::vector<std::string>& key) {
  DatasetDef d;
  d.name = std::move(name);
  d.zh = std::move(zh);
  d.en = std::move(en);
  d.columns = std::move(cols);
  for (const std::string& k : key) d.key.push_back(d.ColumnIndex(k));
  return d;
}

std::vector<DatasetDef> Build() {
  std::vector<DatasetDef> all;

  all.push_back(Make(
      "persons", "户籍人口", "Household registry",
      {Col("id_number", T::kIdNumber, R, {"身份证号", "公民身份号码", "证件号码"}),
       Col("name", T::kText, R, {"姓名"}),
       Col("sex", T::kEnum, O, {"性别"}, "must agree with the 17th digit (odd = 男)", {"男", "女"}),
       Col("birth_date", T::kDate, O, {"出生日期"}, "must agree with digits 7–14"),
       Col("household_id", T::kText, O, {"户号"}, "people in one household share it"),
       Col("relation_to_head", T::kEnum, O, {"与户主关系"}, "",
           {"户主", "配偶", "子", "女", "父", "母", "兄弟姐妹", "孙子女", "儿媳", "女婿", "其他"}),
       Col("address", T::kText, O, {"住址"}), Col("phone", T::kText, O, {"联系电话"}),
       Col("region_code", T::kRegionCode, O, {"行政区划代码"})},
      {"id_number"}));
  all.back().checks.push_back(RowCheck::kIdAgreesWithSexAndBirth);

  all.push_back(
      Make("deaths", "死亡/火化登记", "Deaths and cremations",
           {Col("id_number", T::kIdNumber, R, {"身份证号"}), Col("name", T::kText, O, {"姓名"}),
            Col("death_date", T::kDate, R, {"死亡日期"}),
            Col("source", T::kEnum, O, {"数据来源"}, "", {"公安", "卫健", "民政火化"})},
           {"id_number"}));

  all.push_back(
      Make("officials", "公职人员", "Public officials",
           {Col("id_number", T::kIdNumber, R, {"身份证号"}), Col("name", T::kText, R, {"姓名"}),
            Col("org", T::kText, R, {"单位", "工作单位"}),
            Col("org_code", T::kCreditCode, O, {"单位统一社会信用代码"}),
            Col("position", T::kText, O, {"职务"}), Col("rank", T::kText, O, {"职级"}),
            Col("is_leader", T::kBool, O, {"是否领导干部"}),
            Col("start_date", T::kDate, O, {"任职日期"}),
            Col("end_date", T::kDate, O, {"离任日期"}, "empty = still in post")},
           {"id_number", "org", "start_date"}));

  all.push_back(Make("relatives", "领导干部个人有关事项报告", "Declared family members",
                     {Col("official_id_number", T::kIdNumber, R, {"干部身份证号"}),
                      Col("relative_id_number", T::kIdNumber, R, {"亲属身份证号"}),
                      Col("relative_name", T::kText, O, {"亲属姓名"}),
                      Col("relation", T::kEnum, R, {"关系"}, "",
                          {"配偶", "子女", "父母", "兄弟姐妹", "子女配偶", "其他"})},
                     {"official_id_number", "relative_id_number"}));

  all.push_back(
      Make("companies", "市场主体登记", "Company register",
           {Col("credit_code", T::kCreditCode, R, {"统一社会信用代码"}),
            Col("name", T::kText, R, {"企业名称", "名称"}),
            Col("legal_rep_id_number", T::kIdNumber, O, {"法定代表人身份证号"}),
            Col("legal_rep_name", T::kText, O, {"法定代表人"}),
            Col("registered_capital", T::kMoney, O, {"注册资本"}),
            Col("established_date", T::kDate, O, {"成立日期"}),
            Col("status", T::kEnum, O, {"登记状态"}, "", {"存续", "在业", "注销", "吊销"}),
            Col("status_date", T::kDate, O, {"状态日期"}, "date of 注销/吊销"),
            Col("address", T::kText, O, {"住所", "地址"}), Col("phone", T::kText, O, {"联系电话"}),
            Col("industry", T::kText, O, {"行业"}),
            Col("region_code", T::kRegionCode, O, {"行政区划代码"})},
           {"credit_code"}));

  all.push_back(Make(
      "shareholders", "股东及出资", "Shareholders",
      {Col("credit_code", T::kCreditCode, R, {"统一社会信用代码"}, "the company"),
       Col("holder_party", T::kParty, R, {"股东证件号"}, "ID number or credit code"),
       Col("holder_name", T::kText, O, {"股东名称"}),
       Col("share_ratio", T::kRatio, O, {"持股比例"}),
       Col("subscribed_amount", T::kMoney, O, {"认缴出资额"}),
       Col("start_date", T::kDate, O, {"入股日期"}), Col("end_date", T::kDate, O, {"退出日期"})},
      {"credit_code", "holder_party"}));

  all.push_back(Make(
      "budgets", "预算指标", "Budget lines",
      {Col("budget_id", T::kText, R, {"指标文号", "预算指标编号"}),
       Col("year", T::kYear, R, {"年度"}), Col("org", T::kText, R, {"预算单位"}),
       Col("project_code", T::kText, O, {"项目编码"}),
       Col("project_name", T::kText, O, {"项目名称"}),
       Col("economic_class", T::kText, O, {"支出经济分类"},
           "e.g. 30217 公务接待费, 30231 公务用车运行维护费, 30212 因公出国(境)费用, 30201 办公费"),
       Col("amount", T::kMoney, R, {"金额"})},
      {"budget_id"}));

  all.push_back(Make(
      "payments", "国库集中支付", "Treasury payments",
      {Col("payment_id", T::kText, R, {"支付凭证号"}), Col("pay_date", T::kDate, R, {"支付日期"}),
       Col("org", T::kText, R, {"付款单位"}), Col("budget_id", T::kText, O, {"指标文号"}),
       Col("payee_name", T::kText, R, {"收款人"}),
       Col("payee_party", T::kParty, O, {"收款人证件号"}, "ID number or credit code"),
       Col("payee_account", T::kText, O, {"收款账号"}),
       Col("payee_bank", T::kText, O, {"收款银行"}), Col("amount", T::kMoney, R, {"金额"}),
       Col("purpose", T::kText, O, {"用途", "摘要"}), Col("invoice_no", T::kText, O, {"发票号码"}),
       Col("economic_class", T::kText, O, {"支出经济分类"})},
      {"payment_id"}));

  all.push_back(Make(
      "tenders", "采购/招标项目", "Tenders",
      {Col("tender_id", T::kText, R, {"项目编号"}), Col("title", T::kText, R, {"项目名称"}),
       Col("buyer_org", T::kText, R, {"采购人", "招标人"}),
       Col("method", T::kEnum, R, {"采购方式"}, "",
           {"公开招标", "邀请招标", "竞争性谈判", "竞争性磋商", "询价", "单一来源", "框架协议"}),
       Col("category", T::kEnum, O, {"品目类别"}, "", {"货物", "工程", "服务"}),
       Col("item_code", T::kText, O, {"品目编码"}),
       Col("budget_amount", T::kMoney, O, {"预算金额"}),
       Col("publish_date", T::kDate, R, {"公告日期"}),
       Col("bid_deadline", T::kDateTime, R, {"投标截止时间"}),
       Col("award_date", T::kDate, O, {"中标日期"}),
       Col("winner_credit_code", T::kCreditCode, O, {"中标人统一社会信用代码"}),
       Col("award_amount", T::kMoney, O, {"中标金额"}),
       Col("status", T::kEnum, O, {"项目状态"}, "", {"中标", "流标", "废标", "进行中"}),
       Col("agency", T::kText, O, {"代理机构"})},
      {"tender_id"}));
  all.back().ocds = true;

  all.push_back(Make(
      "bids", "投标记录", "Bids",
      {Col("tender_id", T::kText, R, {"项目编号"}),
       Col("bidder_credit_code", T::kCreditCode, R, {"投标人统一社会信用代码"}),
       Col("bidder_name", T::kText, O, {"投标人"}), Col("bid_amount", T::kMoney, R, {"投标报价"}),
       Col("submit_time", T::kDateTime, O, {"递交时间"}),
       Col("ip_address", T::kText, O, {"投标IP"}), Col("mac_address", T::kText, O, {"MAC地址"}),
       Col("machine_code", T::kText, O, {"机器码", "文件制作机器码"}),
       Col("contact_phone", T::kText, O, {"联系电话"}),
       Col("contact_person", T::kText, O, {"联系人"}),
       Col("project_manager_id_number", T::kIdNumber, O, {"项目经理身份证号"}),
       Col("deposit_account", T::kText, O, {"保证金转出账户"}),
       Col("qualified", T::kBool, O, {"是否通过资格审查"}),
       Col("rank", T::kInteger, O, {"评标排名"})},
      {"tender_id", "bidder_credit_code"}));
  all.back().ocds = true;

  all.push_back(
      Make("contracts", "合同", "Contracts",
           {Col("contract_id", T::kText, R, {"合同编号"}),
            Col("tender_id", T::kText, O, {"项目编号"}), Col("buyer_org", T::kText, R, {"采购人"}),
            Col("supplier_credit_code", T::kCreditCode, R, {"供应商统一社会信用代码"}),
            Col("amount", T::kMoney, R, {"合同金额"}), Col("sign_date", T::kDate, R, {"签订日期"}),
            Col("final_amount", T::kMoney, O, {"结算金额"}),
            Col("change_count", T::kInteger, O, {"变更次数"})},
           {"contract_id"}));
  all.back().ocds = true;

  all.push_back(Make(
      "welfare", "民生资金发放", "Livelihood fund payments",
      {Col("payment_id", T::kText, R, {"发放流水号"}),
       Col("program", T::kText, R, {"项目", "救助类别"},
           "低保, 特困, 临时救助, 高龄补贴, 耕地地力补贴, …"),
       Col("beneficiary_id_number", T::kIdNumber, R, {"身份证号"}),
       Col("beneficiary_name", T::kText, O, {"姓名"}), Col("household_id", T::kText, O, {"户号"}),
       Col("region_code", T::kRegionCode, O, {"行政区划代码"}),
       Col("period", T::kPeriod, R, {"发放月份"}), Col("pay_date", T::kDate, O, {"发放日期"}),
       Col("amount", T::kMoney, R, {"金额"}),
       Col("bank_account", T::kText, O, {"银行账号", "社保卡号"}),
       Col("handler_id_number", T::kIdNumber, O, {"经办人身份证号"},
           "the clerk or village cadre who approved it")},
      {"payment_id"}));

  all.push_back(Make(
      "vehicles", "机动车登记", "Motor vehicles",
      {Col("plate", T::kText, R, {"号牌号码"}), Col("owner_party", T::kParty, R, {"所有人证件号"}),
       Col("owner_name", T::kText, O, {"所有人"}), Col("vehicle_type", T::kText, O, {"车辆类型"}),
       Col("register_date", T::kDate, O, {"登记日期"}), Col("status", T::kText, O, {"状态"})},
      {"plate"}));

  all.push_back(Make(
      "real_estate", "不动产登记", "Real estate",
      {Col("property_id", T::kText, R, {"不动产单元号"}),
       Col("owner_id_number", T::kIdNumber, R, {"权利人身份证号"}),
       Col("owner_name", T::kText, O, {"权利人"}), Col("address", T::kText, O, {"坐落"}),
       Col("area_m2", T::kDecimal, O, {"面积"}), Col("register_date", T::kDate, O, {"登记日期"})},
      {"property_id", "owner_id_number"}));

  all.push_back(Make(
      "reimbursements", "公务支出报销", "Official expense claims",
      {Col("claim_id", T::kText, R, {"报销单号"}), Col("org", T::kText, R, {"单位"}),
       Col("claimant_id_number", T::kIdNumber, R, {"报销人身份证号"}),
       Col("claim_date", T::kDate, R, {"报销日期"}),
       Col("kind", T::kEnum, R, {"类别"}, "", {"接待", "差旅", "会议", "培训", "其他"}),
       Col("amount", T::kMoney, R, {"金额"}), Col("vendor_name", T::kText, O, {"商户", "开票单位"}),
       Col("vendor_category", T::kEnum, O, {"商户类别"}, "",
           {"餐饮", "酒店", "景区", "娱乐", "高档消费", "交通", "其他"}),
       Col("location", T::kText, O, {"地点"}), Col("start_date", T::kDate, O, {"开始日期"}),
       Col("end_date", T::kDate, O, {"结束日期"}),
       Col("persons", T::kInteger, O, {"人数"}, "guests + hosts for 接待"),
       Col("description", T::kText, O, {"事由"}), Col("invoice_no", T::kText, O, {"发票号码"})},
      {"claim_id"}));

  all.push_back(Make(
      "car_trips", "公务用车使用记录", "Official car trips",
      {Col("trip_id", T::kText, R, {"派车单号"}), Col("plate", T::kText, R, {"号牌号码"}),
       Col("org", T::kText, R, {"单位"}),
       Col("driver_id_number", T::kIdNumber, O, {"驾驶员身份证号"}),
       Col("start_time", T::kDateTime, R, {"出车时间"}),
       Col("end_time", T::kDateTime, O, {"收车时间"}), Col("destination", T::kText, O, {"目的地"}),
       Col("purpose", T::kText, O, {"事由"}), Col("mileage_km", T::kDecimal, O, {"里程"})},
      {"trip_id"}));

  all.push_back(Make(
      "complaints", "12345群众诉求", "12345 hotline complaints",
      {Col("complaint_id", T::kText, R, {"工单编号"}),
       Col("received_at", T::kDateTime, R, {"受理时间"}),
       Col("channel", T::kEnum, O, {"来源渠道"}, "", {"电话", "网站", "微信", "信件", "来访"}),
       Col("category", T::kEnum, O, {"诉求类别"}, "", {"咨询", "求助", "投诉", "举报", "建议"}),
       Col("region_code", T::kRegionCode, O, {"行政区划代码"}),
       Col("content", T::kText, O, {"诉求内容"}),
       Col("caller_hash", T::kText, O, {"来电人标识"}, "a hash, never a raw phone number"),
       Col("assigned_org", T::kText, O, {"承办单位"}), Col("status", T::kText, O, {"状态"}),
       Col("closed_at", T::kDateTime, O, {"办结时间"}),
       Col("satisfaction", T::kEnum, O, {"满意度"}, "", {"满意", "基本满意", "不满意"})},
      {"complaint_id"}));

  all.push_back(
      Make("complaint_events", "诉求流转记录", "Complaint events",
           {Col("complaint_id", T::kText, R, {"工单编号"}), Col("at", T::kDateTime, R, {"时间"}),
            Col("action", T::kEnum, R, {"操作"}, "",
                {"受理", "派单", "签收", "转派", "退单", "延期", "办结", "回访", "重办", "催办"}),
            Col("from_org", T::kText, O, {"来源单位"}), Col("to_org", T::kText, O, {"目标单位"}),
            Col("note", T::kText, O, {"说明"})},
           {"complaint_id", "at", "action"}));

  all.push_back(Make(
      "enforcement", "行政执法记录", "Law-enforcement cases",
      {Col("case_id", T::kText, R, {"执法案件编号"}), Col("org", T::kText, R, {"执法单位"}),
       Col("target_party", T::kParty, R, {"检查对象证件号"}),
       Col("inspector_id_numbers", T::kIdList, O, {"执法人员身份证号"}, "';'-separated"),
       Col("kind", T::kEnum, R, {"执法类别"}, "", {"检查", "处罚", "许可", "强制"}),
       Col("started_at", T::kDateTime, R, {"开始时间"}),
       Col("closed_at", T::kDateTime, O, {"结束时间"}), Col("result", T::kText, O, {"处理结果"}),
       Col("penalty_amount", T::kMoney, O, {"罚没金额"}),
       Col("has_av_record", T::kBool, O, {"是否全过程记录"}),
       Col("published_at", T::kDateTime, O, {"公示时间"}),
       Col("source", T::kEnum, O, {"来源"}, "", {"双随机", "投诉举报", "专项", "其他"})},
      {"case_id"}));

  all.push_back(Make(
      "branch_meetings", "三会一课记录", "Party branch meetings",
      {Col("meeting_id", T::kText, R, {"会议编号"}), Col("branch_id", T::kText, R, {"支部编号"}),
       Col("branch_name", T::kText, O, {"支部名称"}),
       Col("kind", T::kEnum, R, {"会议类型"}, "",
           {"支部党员大会", "支部委员会", "党小组会", "党课", "主题党日", "组织生活会"}),
       Col("held_on", T::kDate, R, {"召开日期"}), Col("attendees", T::kInteger, O, {"实到人数"}),
       Col("expected", T::kInteger, O, {"应到人数"}), Col("topic", T::kText, O, {"主题"}),
       Col("minutes_text", T::kText, O, {"会议记录"})},
      {"meeting_id"}));

  return all;
}

}  // namespace

const char* SqlType(ColumnType t) {
  switch (t) {
    case T::kYear:
    case T::kMoney:
    case T::kBool:
    case T::kInteger:
      return "INTEGER";
    case T::kRatio:
    case T::kDecimal:
      return "REAL";
    default:
      return "TEXT";
  }
}

const char* TypeDescription(ColumnType t, bool zh) {
  switch (t) {
    case T::kText:
      return zh ? "文本" : "text";
    case T::kIdNumber:
      return zh ? "身份证号（18位，15位自动升位）" : "ID number (18 chars; 15-digit upgraded)";
    case T::kCreditCode:
      return zh ? "统一社会信用代码" : "unified social credit code";
    case T::kParty:
      return zh ? "身份证号或统一社会信用代码" : "ID number or credit code";
    case T::kIdList:
      return zh ? "以;分隔的身份证号" : "';'-separated ID numbers";
    case T::kDate:
      return zh ? "日期（YYYY-MM-DD、YYYY/M/D、YYYYMMDD、YYYY年M月D日）"
                : "date (YYYY-MM-DD, YYYY/M/D, YYYYMMDD, YYYY年M月D日)";
    case T::kDateTime:
      return zh ? "时间（YYYY-MM-DD HH:MM[:SS]）"
                : "datetime (YYYY-MM-DD HH:MM[:SS], Asia/Shanghai)";
    case T::kPeriod:
      return zh ? "月份（YYYY-MM）" : "period (YYYY-MM)";
    case T::kYear:
      return zh ? "年度（四位数字）" : "year (4 digits)";
    case T::kMoney:
      return zh ? "金额（元，最多两位小数，存为分）"
                : "amount in yuan (≤ 2 decimals; stored as integer fen)";
    case T::kBool:
      return zh ? "是/否" : "boolean (是/否, Y/N, true/false, 1/0)";
    case T::kRatio:
      return zh ? "比例（0.35 或 35%）" : "ratio (0.35 or 35%)";
    case T::kInteger:
      return zh ? "整数" : "integer";
    case T::kDecimal:
      return zh ? "数值" : "number";
    case T::kRegionCode:
      return zh ? "6位行政区划代码" : "6-digit region code";
    case T::kEnum:
      return zh ? "取值之一" : "one of the listed values";
  }
  return "";
}

int DatasetDef::ColumnIndex(std::string_view column_name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column_name) return static_cast<int>(i);
  }
  return -1;
}

std::string DatasetDef::KeyDescription() const {
  std::string out;
  for (int k : key) {
    if (!out.empty()) out += " + ";
    out += columns[k].name;
  }
  return out;
}

const std::vector<DatasetDef>& AllDatasets() {
  static const std::vector<DatasetDef> all = Build();
  return all;
}

const DatasetDef* FindDataset(std::string_view name) {
  std::string n = AsciiLower(Trim(name));
  std::string simplified = NormalizeForCompare(name);
  for (const DatasetDef& d : AllDatasets()) {
    if (d.name == n || d.zh == simplified) return &d;
  }
  return nullptr;
}

std::string KnownDatasetNames() {
  std::string out;
  for (const DatasetDef& d : AllDatasets()) {
    if (!out.empty()) out += ", ";
    out += d.name;
  }
  return out;
}

}  // namespace qf
