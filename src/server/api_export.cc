// Exports: the lead list and one lead's full dossier as XLSX (libxlsxwriter),
// and a printable report (HTML with print styles). Every export is recorded
// in the ledger; personal data stays masked unless the user may and asks to
// see it.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "common/time.h"
#include "common/xlsx_writer.h"
#include "ingest/dataset.h"
#include "leads/workflow.h"
#include "server/api.h"
#include "server/api_util.h"

namespace qf::server {

using nlohmann::json;

namespace {

// The lead exports' workbook: amounts in yuan with thousands separators.
class Book : public XlsxWriter {
 public:
  Book() {
    if (ok()) money_ = NumberFormat("#,##0.00");
  }
  void Money(lxw_worksheet* ws, size_t row, size_t col, int64_t fen) {
    // Shown in yuan; the exact fen value stays in the store.
    Number(ws, row, col, static_cast<double>(fen) / 100.0, money_);
  }

 private:
  lxw_format* money_ = nullptr;
};

Response FileResponse(std::string body, const std::string& mime, const std::string& filename) {
  Response r;
  r.content_type = mime;
  r.body = std::move(body);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + filename + "\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

const std::vector<std::pair<std::string, double>> kLeadColumns = {
    {"线索编号", 11}, {"模型", 24},     {"类别", 12},   {"风险分", 8}, {"涉及金额（元）", 16},
    {"对象", 18},     {"摘要", 60},     {"单位", 24},   {"区划", 9},   {"状态", 10},
    {"处置方式", 12}, {"核实结论", 10}, {"承办人", 12}, {"期限", 12},  {"发现时间", 20}};

void WriteLeadRow(Book& b, lxw_worksheet* ws, size_t row, const json& l) {
  auto s = [&](const json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
  b.Text(ws, row, 0, s(l["id"]));
  b.Text(ws, row, 1, s(l["model_name"]));
  b.Text(ws, row, 2, s(l["family"]));
  b.Number(ws, row, 3, l["score"].get<double>());
  b.Money(ws, row, 4, l["amount_fen"].get<int64_t>());
  b.Text(ws, row, 5, s(l["subject"]["name"]));
  b.Text(ws, row, 6, s(l["summary"]));
  b.Text(ws, row, 7, s(l["org"]));
  b.Text(ws, row, 8, s(l["region_code"]));
  b.Text(ws, row, 9, s(l["status_zh"]));
  b.Text(ws, row, 10, leads::LabelZh(leads::Routes(), s(l["route"])));
  b.Text(ws, row, 11, leads::LabelZh(leads::Verdicts(), s(l["verdict"])));
  b.Text(ws, row, 12, s(l["assignee"]));
  b.Text(ws, row, 13, l["deadline"].is_object() ? s(l["deadline"]["due"]) : "");
  b.Text(ws, row, 14, s(l["created_at"]));
}

}  // namespace

Response Api::ExportLeads(Ctx& c) {
  ApiError err;
  auto q = ParseLeadQuery(c, &err);
  if (!q.ok()) return Error(err);
  bool unmask = false;
  Response r;
  if (!WantsUnmasked(c, &unmask, &r)) return r;
  int64_t total = 0;
  constexpr int64_t kMaxRows = 100000;
  auto list = QueryLeads(c.db(), *q, kMaxRows, 0, &total);
  if (!list.ok()) return FromStatus(list.status());
  Book b;
  if (!b.ok()) return FromStatus(Status::IOError("cannot create a workbook"));
  lxw_worksheet* ws = b.Sheet("问题线索", kLeadColumns);
  std::string today = Today();
  size_t row = 1;
  for (const leads::Lead& l : *list) WriteLeadRow(b, ws, row++, LeadJson(l, unmask, today));
  auto bytes = b.Finish();
  if (!bytes.ok()) return FromStatus(bytes.status());
  if (Status s = Audit(c, unmask ? "export_unmasked" : "export", "leads.xlsx",
                       {{"rows", list->size()}, {"query", c.req.query}});
      !s.ok()) {
    return FromStatus(s);
  }
  return FileResponse(std::move(bytes).value(),
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      "leads-" + today + ".xlsx");
}

bool Api::LeadDetail(Ctx& c, bool unmask, json* out, Response* denied) {
  Request sub = c.req;
  sub.query.clear();
  if (unmask) sub.query.emplace("unmask", "1");
  Ctx inner{sub, c.conn, c.user, c.params};
  Response detail = GetLeadRoute(inner);
  if (detail.status != 200) {
    *denied = std::move(detail);
    return false;
  }
  *out = json::parse(detail.body);
  return true;
}

Response Api::LeadDossier(Ctx& c) {
  bool unmask = false;
  Response r;
  json d;
  if (!WantsUnmasked(c, &unmask, &r) || !LeadDetail(c, unmask, &d, &r)) return r;
  Book b;
  if (!b.ok()) return FromStatus(Status::IOError("cannot create a workbook"));
  lxw_worksheet* ws = b.Sheet("线索", kLeadColumns);
  WriteLeadRow(b, ws, 1, d);
  lxw_worksheet* ev = b.Sheet("证据", {{"序号", 6}, {"数据集", 16}, {"主键", 30}, {"字段", 80}});
  size_t row = 1;
  for (const json& e : d["evidence"]) {
    std::string fields;
    for (auto& [k, v] : e["fields"].items()) {
      fields += k + "：" + (v.is_string() ? v.get<std::string>() : v.dump()) + "\n";
    }
    b.Number(ev, row, 0, static_cast<double>(row));
    b.Text(ev, row, 1, e["dataset_zh"].get<std::string>());
    b.Text(ev, row, 2, e["key"].get<std::string>());
    b.Text(ev, row, 3, fields);
    ++row;
  }
  lxw_worksheet* hs = b.Sheet(
      "处置记录",
      {{"时间", 20}, {"操作人", 16}, {"操作", 14}, {"原状态", 10}, {"新状态", 10}, {"说明", 60}});
  row = 1;
  for (const json& h : d["history"]) {
    b.Text(hs, row, 0, h["at"].get<std::string>());
    b.Text(hs, row, 1, h["actor"].get<std::string>());
    b.Text(hs, row, 2, h["action"].get<std::string>());
    b.Text(hs, row, 3, leads::LabelZh(leads::Statuses(), h["from"].get<std::string>()));
    b.Text(hs, row, 4, leads::LabelZh(leads::Statuses(), h["to"].get<std::string>()));
    b.Text(hs, row, 5, h["details"].dump());
    ++row;
  }
  lxw_worksheet* cs = b.Sheet("意见", {{"时间", 20}, {"作者", 16}, {"内容", 80}});
  row = 1;
  for (const json& m : d["comments"]) {
    b.Text(cs, row, 0, m["at"].get<std::string>());
    b.Text(cs, row, 1, m["author"].get<std::string>());
    b.Text(cs, row, 2, m["text"].get<std::string>());
    ++row;
  }
  lxw_worksheet* as = b.Sheet(
      "附件",
      {{"文件名", 30}, {"大小（字节）", 14}, {"SHA-256", 70}, {"上传人", 16}, {"时间", 20}});
  row = 1;
  for (const json& a : d["attachments"]) {
    b.Text(as, row, 0, a["name"].get<std::string>());
    b.Number(as, row, 1, a["size"].get<double>());
    b.Text(as, row, 2, a["sha256"].get<std::string>());
    b.Text(as, row, 3, a["author"].get<std::string>());
    b.Text(as, row, 4, a["at"].get<std::string>());
    ++row;
  }
  auto bytes = b.Finish();
  if (!bytes.ok()) return FromStatus(bytes.status());
  std::string id = d["id"].get<std::string>();
  if (Status s = Audit(c, unmask ? "export_unmasked" : "export", "lead:" + id + "/dossier.xlsx",
                       json::object());
      !s.ok()) {
    return FromStatus(s);
  }
  return FileResponse(std::move(bytes).value(),
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      id + "-dossier.xlsx");
}

Response Api::LeadReport(Ctx& c) {
  bool unmask = false;
  Response r;
  json d;
  if (!WantsUnmasked(c, &unmask, &r) || !LeadDetail(c, unmask, &d, &r)) return r;
  auto s = [](const json& v) { return v.is_string() ? HtmlEscape(v.get<std::string>()) : ""; };
  std::string h;
  h += "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>问题线索 " +
       s(d["id"]) +
       "</title><style>"
       "body{font-family:'Noto Serif CJK SC','SimSun',serif;max-width:190mm;margin:12mm auto;"
       "font-size:11pt;color:#000}h1{text-align:center;font-size:18pt}"
       "table{width:100%;border-collapse:collapse;margin:4mm 0}th,td{border:1px solid #444;"
       "padding:2mm;vertical-align:top;text-align:left}th{background:#eee;width:22%}"
       ".meta{text-align:right;font-size:9pt}@media print{body{margin:0}}"
       "</style></head><body>";
  h += "<h1>问题线索处置报告</h1><p class=\"meta\">线索编号 " + s(d["id"]) + " · 打印时间 " +
       HtmlEscape(NowShanghai()) + " · 操作人 " + HtmlEscape(c.user.name) + "</p>";
  h += "<table>";
  auto row = [&](const char* k, const std::string& v) {
    h += std::string("<tr><th>") + k + "</th><td>" + v + "</td></tr>";
  };
  row("发现模型", s(d["model_name"]));
  row("线索摘要", s(d["summary"]));
  row("对象", s(d["subject"]["name"]) + "（" + s(d["subject"]["key"]) + "）");
  row("涉及金额", s(d["amount_yuan"]) + " 元");
  row("风险分", std::to_string(d["score"].get<int>()));
  row("所属单位 / 区划", s(d["org"]) + " / " + s(d["region_code"]));
  row("处置状态", s(d["status_zh"]));
  row("处置方式",
      HtmlEscape(leads::LabelZh(leads::Routes(),
                                d["route"].is_string() ? d["route"].get<std::string>() : "")));
  row("处置结果",
      HtmlEscape(leads::LabelZh(leads::Outcomes(),
                                d["outcome"].is_string() ? d["outcome"].get<std::string>() : "")));
  if (d.contains("model_info")) row("依据", s(d["model_info"]["basis"]));
  h += "</table><h2>证据</h2><table><tr><th>数据集 / 主键</th><th "
       "style=\"width:auto\">字段</th></tr>";
  for (const json& e : d["evidence"]) {
    std::string fields;
    for (auto& [k, v] : e["fields"].items()) {
      fields +=
          HtmlEscape(k) + "：" + (v.is_string() ? HtmlEscape(v.get<std::string>()) : "") + "<br>";
    }
    h += "<tr><td>" + s(e["dataset_zh"]) + "<br>" + s(e["key"]) + "</td><td>" + fields +
         "</td></tr>";
  }
  h += "</table><h2>处置记录</h2><table><tr><th>时间</th><th>操作人</th><th>操作</th>"
       "<th>状态</th></tr>";
  for (const json& e : d["history"]) {
    h += "<tr><td>" + s(e["at"]) + "</td><td>" + s(e["actor"]) + "</td><td>" + s(e["action"]) +
         "</td><td>" + HtmlEscape(leads::LabelZh(leads::Statuses(), e["from"].get<std::string>())) +
         " → " + HtmlEscape(leads::LabelZh(leads::Statuses(), e["to"].get<std::string>())) +
         "</td></tr>";
  }
  h += "</table><h2>意见</h2><table>";
  for (const json& m : d["comments"]) {
    h += "<tr><th>" + s(m["author"]) + "<br>" + s(m["at"]) + "</th><td>" + s(m["text"]) +
         "</td></tr>";
  }
  h += "</table></body></html>\n";
  if (Status st = Audit(c, unmask ? "export_unmasked" : "export",
                        "lead:" + d["id"].get<std::string>() + "/report", json::object());
      !st.ok()) {
    return FromStatus(st);
  }
  Response out;
  out.content_type = "text/html; charset=utf-8";
  out.body = std::move(h);
  out.headers.emplace_back("Cache-Control", "no-store");
  out.headers.emplace_back("Content-Security-Policy",
                           "default-src 'none'; style-src 'unsafe-inline'");
  return out;
}

}  // namespace qf::server
