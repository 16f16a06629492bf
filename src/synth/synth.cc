#include "synth/synth.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/time.h"
#include "ingest/identifiers.h"
#include "synth/anomalies.h"
#include "synth/world.h"

namespace qf::synth {

namespace fs = std::filesystem;

Days D(int y, int m, int d) { return static_cast<Days>(DaysFromCivil(y, m, d)); }
Days WindowStart() { return D(kFirstYear, 1, 1); }
Days WindowEnd() { return D(kLastYear, 12, 31); }

std::string FormatDay(Days d) { return FormatDate(CivilFromDays(d)); }

std::string FormatDayVaried(Days d, Rng& rng) {
  if (!rng.Chance(0.04)) return FormatDay(d);
  CivilDate c = CivilFromDays(d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%d/%d/%d", c.year, c.month, c.day);
  return buf;
}

std::string FormatDateTime(Days d, int minute_of_day, bool seconds) {
  CivilDate c = CivilFromDays(d);
  char buf[64];
  if (seconds) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", c.year, c.month, c.day,
                  minute_of_day / 60, minute_of_day % 60, (minute_of_day * 7) % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", c.year, c.month, c.day,
                  minute_of_day / 60, minute_of_day % 60);
  }
  return buf;
}

std::string FormatPeriod(Days d) {
  CivilDate c = CivilFromDays(d);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d", c.year, c.month);
  return buf;
}

std::string Money(int64_t fen) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", fen < 0 ? "-" : "",
                static_cast<long long>((fen < 0 ? -fen : fen) / 100),
                static_cast<long long>((fen < 0 ? -fen : fen) % 100));
  return buf;
}

std::string MoneyVaried(int64_t fen, Rng& rng) {
  if (fen < 100000 || !rng.Chance(0.15)) return Money(fen);
  std::string plain = Money(fen);
  size_t dot = plain.find('.');
  std::string out;
  for (size_t i = 0; i < dot; ++i) {
    if (i > 0 && (dot - i) % 3 == 0) out.push_back(',');
    out.push_back(plain[i]);
  }
  return out + plain.substr(dot);
}

std::string RegionCode(int region) { return kRegions[static_cast<size_t>(region)].code; }

std::string HouseholdId(int region, int32_t index) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%09d", kRegions[static_cast<size_t>(region)].code, index);
  return buf;
}

std::string MakeIdNumber(const char* birthplace, Days birth, int seq, bool male) {
  CivilDate c = CivilFromDays(birth);
  char buf[64];
  int v = seq * 2 + (male ? 1 : 0);
  std::snprintf(buf, sizeof buf, "%s%04d%02d%02d%03d", birthplace, c.year, c.month, c.day, v);
  std::string id(buf, 17);
  id.push_back(IdNumberCheckChar(id));
  return id;
}

std::string MakeCreditCode(const char* kind2, const char* region, uint64_t serial) {
  // The 9-character organisation code (GB 11714): 8 characters and a check
  // character; a multiplicative bijection spreads consecutive serials.
  static constexpr char kAlpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  static constexpr int kOrgWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  const uint64_t space = 31ULL * 31 * 31 * 31 * 31 * 31 * 31 * 31;
  uint64_t v = (serial * 1000003ULL + 7919ULL) % space;
  char body[9];
  for (int i = 7; i >= 0; --i) {
    body[i] = kAlpha[v % 31];
    v /= 31;
  }
  if (body[0] == '0') body[0] = 'M';  // looks less like a padded number
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    char ch = body[i];
    int val = ch >= '0' && ch <= '9' ? ch - '0' : ch - 'A' + 10;
    sum += val * kOrgWeights[i];
  }
  int c9 = 11 - sum % 11;
  body[8] = c9 == 10 ? 'X' : c9 == 11 ? '0' : static_cast<char>('0' + c9);
  std::string code = std::string(kind2) + region + std::string(body, 9);
  code.push_back(CreditCodeCheckChar(code));
  return code;
}

std::string BankAccount(uint64_t serial, const char* bank_prefix) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%015llu", bank_prefix,
                static_cast<unsigned long long>(Mix64(serial) % 1000000000000000ULL));
  return buf;
}

int AgeAt(Days birth, Days at) {
  CivilDate b = CivilFromDays(birth), a = CivilFromDays(at);
  int age = a.year - b.year;
  if (a.month < b.month || (a.month == b.month && a.day < b.day)) --age;
  return age;
}

std::string NextPlate(World& w) {
  static constexpr char kPlateChars[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";  // no I, O
  uint64_t c = static_cast<uint64_t>(w.plate_counter++);
  std::string tail(5, ' ');
  uint64_t x = c;
  for (int i = 4; i >= 1; --i) {
    tail[static_cast<size_t>(i)] = kPlateChars[x % 34];
    x /= 34;
  }
  tail[0] = kPlateChars[10 + x % 24];
  return "辽J" + tail;
}

int PlantCount(const World& w, double per_scale, int min) {
  return std::max(min, static_cast<int>(std::lround(per_scale * w.opts.scale)));
}

namespace {

void AppendLine(std::string& buf, const char* prefix, int64_t n, const char* kind,
                const std::string& shape, const std::vector<Key>& keys) {
  const AnomalyKind* k = FindAnomalyKind(kind);
  assert(k && "undeclared anomaly kind");
  nlohmann::json j;
  char id[64];
  std::snprintf(id, sizeof id, "%s%06lld", prefix, static_cast<long long>(n));
  j["id"] = id;
  j["family"] = k ? std::string(k->family) : "";
  j["kind"] = kind;
  j["shape"] = shape;
  nlohmann::json arr = nlohmann::json::array();
  for (const Key& key : keys) arr.push_back({{"dataset", key.dataset}, {"key", key.key}});
  j["keys"] = arr;
  buf += j.dump();
  buf += '\n';
}

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  return out ? Status::OK() : Status::IOError("cannot write " + path);
}

// Deliberately invalid rows for --bad-rows, appended to UTF-8 CSV files.
Status WriteBadRows(World& w, std::string* jsonl) {
  Rng rng = w.Stream(kStreamBadRows);
  struct Bad {
    const char* dataset;
    const char* column;
    const char* reason;
  };
  static constexpr Bad kBad[] = {
      {"persons", "id_number", "wrong check digit"},
      {"payments", "amount", "three decimals"},
      {"welfare", "period", "month 13"},
      {"companies", "credit_code", "wrong check character"},
      {"bids", "bid_amount", "not a number"},
      {"enforcement", "kind", "not an allowed value"},
      {"deaths", "death_date", "impossible date"},
      {"budgets", "amount", "missing required value"},
  };
  for (int i = 0; i < w.opts.bad_rows; ++i) {
    const Bad& b = kBad[static_cast<size_t>(i) % std::size(kBad)];
    DatasetWriter& out = w.Out(b.dataset);
    Row r(out.def());
    char serial[64];
    std::snprintf(serial, sizeof serial, "BAD%06d", i);
    std::string value;
    std::string id = MakeIdNumber("210902", D(1980, 1, 1) + static_cast<Days>(rng.Int(0, 9000)),
                                  static_cast<int>(400 + i % 99), true);
    std::string bad_id = id.substr(0, 17) + (id[17] == '0' ? '1' : '0');
    std::string code = MakeCreditCode("91", "210902", 900000 + static_cast<uint64_t>(i));
    std::string bad_code = code.substr(0, 17) + (code[17] == '0' ? '1' : '0');
    switch (static_cast<size_t>(i) % std::size(kBad)) {
      case 0:
        r.Set("id_number", bad_id).Set("name", "错号").Set("region_code", "210902");
        value = bad_id;
        break;
      case 1:
        r.Set("payment_id", serial).Set("pay_date", "2024-03-01").Set("org", "阜新市财政局");
        r.Set("payee_name", "测试").Set("amount", "12.345");
        value = "12.345";
        break;
      case 2:
        r.Set("payment_id", serial).Set("program", "城乡居民最低生活保障");
        r.Set("beneficiary_id_number", id).Set("period", "2024-13").Set("amount", "500.00");
        value = "2024-13";
        break;
      case 3:
        r.Set("credit_code", bad_code).Set("name", "阜新市错码商贸有限公司");
        value = bad_code;
        break;
      case 4:
        r.Set("tender_id", serial).Set("bidder_credit_code", code).Set("bid_amount", "约十万");
        value = "约十万";
        break;
      case 5:
        r.Set("case_id", serial).Set("org", "阜新市市场监督管理局").Set("target_party", code);
        r.Set("kind", "巡查").Set("started_at", "2024-05-06 09:00:00");
        value = "巡查";
        break;
      case 6:
        r.Set("id_number", id).Set("death_date", "2023-02-30");
        value = "2023-02-30";
        break;
      default:
        r.Set("budget_id", serial).Set("year", "2024").Set("org", "阜新市财政局");
        value = "";
        break;
    }
    int64_t line = out.WriteRaw(r.cells());
    nlohmann::json j = {{"dataset", b.dataset}, {"file", out.file_name()}, {"line", line},
                        {"column", b.column},   {"value", value},          {"reason", b.reason}};
    *jsonl += j.dump() + "\n";
  }
  return Status::OK();
}

}  // namespace

void World::Plant(const char* kind, const std::string& shape, const std::vector<Key>& keys) {
  AppendLine(truth_buf, "A", ++truth_count, kind, shape, keys);
  ++planted[kind];
}

void World::NearMiss(const char* kind, const std::string& shape, const std::vector<Key>& keys) {
  AppendLine(near_buf, "N", ++near_count, kind, shape, keys);
}

namespace {

// JSON string contents (the names and keys written here hold no control
// characters, but a quote or backslash must not break the line).
void AppendJsonString(std::string* out, std::string_view v) {
  out->push_back('"');
  for (char c : v) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      *out += buf;
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

constexpr size_t kErFlushBytes = size_t{1} << 20;

}  // namespace

Status World::OpenErTruth(const std::string& path) {
  er_file = std::fopen(path.c_str(), "wb");
  return er_file ? Status::OK() : Status::IOError("cannot write " + path);
}

void World::Mention(const char* dataset, const std::string& key, const char* column,
                    const std::string& value, bool org, const std::string& entity_key,
                    const char* variant) {
  er_buf += "{\"dataset\":";
  AppendJsonString(&er_buf, dataset);
  er_buf += ",\"key\":";
  AppendJsonString(&er_buf, key);
  er_buf += ",\"column\":";
  AppendJsonString(&er_buf, column);
  er_buf += ",\"value\":";
  AppendJsonString(&er_buf, value);
  er_buf += org ? ",\"kind\":\"org\",\"entity_key\":" : ",\"kind\":\"person\",\"entity_key\":";
  AppendJsonString(&er_buf, entity_key);
  er_buf += ",\"variant\":";
  AppendJsonString(&er_buf, variant);
  er_buf += "}\n";
  ++mentions;
  if (er_buf.size() >= kErFlushBytes && er_file) {
    std::fwrite(er_buf.data(), 1, er_buf.size(), er_file);
    er_buf.clear();
  }
}

Status World::CloseErTruth() {
  if (!er_file) return Status::OK();
  bool ok = std::fwrite(er_buf.data(), 1, er_buf.size(), er_file) == er_buf.size();
  er_buf.clear();
  ok = std::fclose(er_file) == 0 && ok;
  er_file = nullptr;
  return ok ? Status::OK() : Status::IOError("cannot write er_truth.jsonl");
}

Result<SynthReport> GenerateCity(const SynthOptions& opts) {
  if (!(opts.scale > 0) || opts.scale > 10000) {
    return Status::InvalidInput("--scale must be between 0 and 10000",
                                "--scale 必须大于0且不超过10000");
  }
  std::error_code ec;
  if (!fs::is_directory(opts.out_dir, ec)) {
    return Status::InvalidInput(opts.out_dir + " is not a folder", opts.out_dir + "不是文件夹");
  }
  World w(opts);
  fs::path dir(opts.out_dir);
  QF_RETURN_IF_ERROR(w.OpenErTruth((dir / "er_truth.jsonl").string()));
  for (const DatasetDef& def : AllDatasets()) {
    FileFormat f = def.name == kXlsxDataset      ? FileFormat::kXlsx
                   : def.name == kGb18030Dataset ? FileFormat::kCsvGb18030
                                                 : FileFormat::kCsvUtf8;
    QF_ASSIGN_OR_RETURN(auto writer, DatasetWriter::Open(def, opts.out_dir, f));
    w.writers[def.name] = std::move(writer);
  }
  struct Stage {
    const char* name;
    Status (*fn)(World&);
  };
  static constexpr Stage kStages[] = {
      {"population", GeneratePopulation},   {"organisations", GenerateOrganisations},
      {"companies", GenerateCompanies},     {"funds", GenerateFunds},
      {"procurement", GenerateProcurement}, {"welfare", GenerateWelfare},
      {"conduct", GenerateConduct},         {"complaints", GenerateComplaints},
      {"enforcement", GenerateEnforcement}, {"party", GenerateParty},
  };
  for (const Stage& s : kStages) {
    if (opts.progress) opts.progress(s.name);
    QF_RETURN_IF_ERROR(s.fn(w).WithContext(std::string("synth ") + s.name));
  }
  // Deaths last: generators plant deaths (吃空饷, welfare after death) too.
  {
    Rng rng = w.Stream(kStreamPopulation + 1000);
    DatasetWriter& out = w.Out("deaths");
    for (const Death& d : w.deaths) {
      Row r(out.def());
      r.Set("id_number", d.id).Set("name", d.name).Set("death_date", FormatDayVaried(d.date, rng));
      r.Set("source", d.source);
      out.Write(r);
    }
  }
  std::string bad;
  QF_RETURN_IF_ERROR(WriteBadRows(w, &bad));
  SynthReport report;
  for (const DatasetDef& def : AllDatasets()) {
    DatasetWriter& out = w.Out(def.name);
    QF_RETURN_IF_ERROR(out.Close());
    report.datasets.push_back({def.name, out.file_name(), out.rows()});
  }
  QF_RETURN_IF_ERROR(w.CloseErTruth());
  QF_RETURN_IF_ERROR(WriteText((dir / "truth.jsonl").string(), w.truth_buf));
  QF_RETURN_IF_ERROR(WriteText((dir / "near_misses.jsonl").string(), w.near_buf));
  if (opts.bad_rows > 0) QF_RETURN_IF_ERROR(WriteText((dir / "bad_rows.jsonl").string(), bad));
  report.anomalies = w.truth_count;
  report.near_misses = w.near_count;
  report.mentions = w.mentions;
  report.bad_rows = opts.bad_rows;
  return report;
}

}  // namespace qf::synth
