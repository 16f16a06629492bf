#include "leads/reports.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/hash.h"
#include "common/secret_file.h"
#include "common/text.h"
#include "common/time.h"
#include "leads/lead_store.h"
#include "ledger/checkpoint.h"
#include "ledger/ledger.h"
#include "store/blob_store.h"

namespace qf::leads {

namespace fs = std::filesystem;

const std::vector<Label>& ReportKinds() {
  static const std::vector<Label> v = {{"complaint", "投诉"}, {"report", "举报"}};
  return v;
}

const std::vector<Label>& ReportStatuses() {
  static const std::vector<Label> v = {{"accepted", "已受理"},
                                       {"in_progress", "办理中"},
                                       {"closed", "已办结"},
                                       {"rejected", "不予受理"}};
  return v;
}

const std::vector<Label>& ReportChannels() {
  static const std::vector<Label> v = {
      {"online", "网上"}, {"letter", "来信"}, {"visit", "来访"}, {"phone", "来电"}};
  return v;
}

namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t kLookupRandomChars = 6;
constexpr size_t kLookupChars = 2 + kLookupRandomChars;
constexpr size_t kSecretChars = 20;  // 100 bits
constexpr std::string_view kKeyPrefix = "QINGFENG-OFFICE-KEY-1+";

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool HasControl(std::string_view s, bool allow_newlines) {
  for (unsigned char c : s) {
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) continue;
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

// Minute precision on purpose (see reports.h).
std::string NowMinute() { return NowShanghai().substr(0, 16); }

// `n` Crockford characters from the low bits of random bytes.
std::string RandomBase32(size_t n) {
  std::vector<uint8_t> bytes((n * 5 + 7) / 8);
  randombytes_buf(bytes.data(), bytes.size());
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  size_t i = 0;
  while (out.size() < n) {
    if (bits < 5) {
      acc = (acc << 8) | bytes[i++];
      bits += 8;
    }
    out.push_back(kCrockford[(acc >> (bits - 5)) & 31]);
    bits -= 5;
  }
  sodium_memzero(bytes.data(), bytes.size());
  return out;
}

std::string HashSecret(const std::string& secret) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, secret.data(), secret.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return "";
  }
  return out;
}

// A hash of nothing anybody holds: an unknown lookup id costs a verification too.
const std::string& DummyHash() {
  static const std::string h = [] {
    std::string s = RandomBase32(kSecretChars);
    return HashSecret(s);
  }();
  return h;
}

Status NotFoundReceipt() { return Status::NotFound("no report matches this receipt code"); }

Status FieldError(std::string* field, const std::string& name, std::string en, std::string zh) {
  if (field) *field = name;
  return Status::InvalidInput(std::move(en), std::move(zh));
}

bool GoodFileName(const std::string& n) {
  if (n.empty() || n.size() > 200 || n == "." || n == ".." || !IsValidUtf8(n)) return false;
  for (unsigned char ch : n) {
    if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\') return false;
  }
  return true;
}

bool GoodMime(const std::string& m) {
  if (m.empty() || m.size() > 100) return false;
  for (unsigned char ch : m) {
    if (!(std::isalnum(ch) || ch == '/' || ch == '.' || ch == '+' || ch == '-' || ch == ';' ||
          ch == '=' || ch == ' ' || ch == '_')) {
      return false;
    }
  }
  return m.find('/') != std::string::npos;
}

std::string AttachmentPath(const std::string& db_path, const std::string& sha) {
  return BlobPath(ReportFilesDir(db_path), sha);
}

constexpr const char* kSummaryColumns =
    "id, lookup_id, kind, channel, category, region_code, anonymous, attachment_count, status, "
    "reply, lead_id, created_at, updated_at";

ReportSummary ReadSummary(const Stmt& q) {
  ReportSummary r;
  r.id = q.Int(0);
  r.lookup_id = q.Text(1);
  r.kind = q.Text(2);
  r.channel = q.Text(3);
  r.category = q.Text(4);
  r.region_code = q.IsNull(5) ? "" : q.Text(5);
  r.anonymous = q.Int(6) != 0;
  r.attachment_count = q.Int(7);
  r.status = q.Text(8);
  r.reply = q.Text(9);
  r.lead_id = q.IsNull(10) ? 0 : q.Int(10);
  r.created_at = q.Text(11);
  r.updated_at = q.Text(12);
  return r;
}

Result<ReportSummary> ReportById(Db* db, int64_t id) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(std::string("SELECT ") + kSummaryColumns +
                                          " FROM reports WHERE id = ?1"));
  q.BindInt(1, id);
  QF_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Status::NotFound("no report #" + std::to_string(id));
  return ReadSummary(q);
}

std::string BlobOf(const Stmt& q, int c) {
  if (q.IsNull(c)) return "";
  const void* p = sqlite3_column_blob(const_cast<Stmt&>(q).raw(), c);
  int n = sqlite3_column_bytes(const_cast<Stmt&>(q).raw(), c);
  return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}

Status Record(Db* db, const std::string& actor, const std::string& action,
              const std::string& lookup_id, const nlohmann::json& details,
              const std::string& time = "") {
  return ledger::RecordAction(db, {actor, action, "report:" + lookup_id, details.dump(), time})
      .status();
}

// Normalises a typed code: upper case, separators dropped, O→0, I/L→1.
std::string NormalizeCode(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    out.push_back(c);
  }
  return out;
}

bool AllCrockford(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return c != '\0' && std::strchr(kCrockford, c) != nullptr; });
}

}  // namespace

// ---------------------------------------------------------------------------
// Validation

Status ValidateReport(const NewReport& r, const ReportLimits& limits, std::string* field) {
  if (!IsOneOf(ReportKinds(), r.kind)) {
    return FieldError(field, "kind", "kind must be complaint or report",
                      "类型应为 complaint（投诉）或 report（举报）");
  }
  if (!IsOneOf(ReportChannels(), r.channel)) {
    return FieldError(field, "channel", "channel must be online, letter, visit or phone",
                      "渠道应为 online（网上）、letter（来信）、visit（来访）或 phone（来电）");
  }
  struct Text {
    const char* name;
    const std::string& value;
    size_t max_chars;
    bool multiline;
    const char* zh;
  };
  const Text texts[] = {
      {"content", r.content, limits.max_text_chars, true, "内容"},
      {"target", r.target, 500, true, "被反映对象"},
      {"category", r.category, 50, false, "类别"},
      {"contact_name", r.contact_name, 50, false, "联系人姓名"},
      {"contact_phone", r.contact_phone, 30, false, "联系电话"},
  };
  for (const Text& t : texts) {
    if (!IsValidUtf8(t.value) || HasControl(t.value, t.multiline)) {
      return FieldError(field, t.name, std::string(t.name) + " holds characters not allowed",
                        std::string(t.zh) + "含有不允许的字符");
    }
    if (CodePoints(t.value) > t.max_chars) {
      return FieldError(
          field, t.name,
          std::string(t.name) + " is longer than " + std::to_string(t.max_chars) + " characters",
          std::string(t.zh) + "超过 " + std::to_string(t.max_chars) + " 字");
    }
  }
  if (Trim(r.content).empty()) {
    return FieldError(field, "content", "content must not be empty", "内容不能为空");
  }
  if (!r.region_code.empty() &&
      (r.region_code.size() != 6 || !std::all_of(r.region_code.begin(), r.region_code.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; }))) {
    return FieldError(field, "region_code", "region_code must be 6 digits",
                      "行政区划代码应为 6 位数字");
  }
  if (r.anonymous) {
    if (!r.contact_name.empty() || !r.contact_phone.empty()) {
      return FieldError(field, "anonymous", "an anonymous report carries no contact details",
                        "匿名反映不应填写联系人信息");
    }
  } else if (Trim(r.contact_name).empty() && Trim(r.contact_phone).empty()) {
    return FieldError(field, "contact_name", "a named report needs a name or a phone number",
                      "实名反映须填写姓名或联系电话");
  }
  for (unsigned char c : r.contact_phone) {
    if (!(std::isdigit(c) || c == '+' || c == '-' || c == ' ')) {
      return FieldError(field, "contact_phone", "contact_phone holds characters not allowed",
                        "联系电话只能包含数字、+、- 和空格");
    }
  }
  if (r.attachments.size() > limits.max_attachments) {
    return FieldError(field, "attachments",
                      "at most " + std::to_string(limits.max_attachments) + " attachments",
                      "附件最多 " + std::to_string(limits.max_attachments) + " 个");
  }
  for (size_t i = 0; i < r.attachments.size(); ++i) {
    const ReportFile& a = r.attachments[i];
    std::string f = "attachments[" + std::to_string(i) + "]";
    if (!GoodFileName(a.name)) {
      return FieldError(field, f + ".name",
                        f + ".name is missing or not allowed (1-200 bytes, no / \\)",
                        "附件 " + std::to_string(i + 1) + " 的文件名缺失或不合法");
    }
    if (!a.mime.empty() && !GoodMime(a.mime)) {
      return FieldError(field, f + ".mime", f + ".mime is not a media type",
                        "附件 " + std::to_string(i + 1) + " 的类型不合法");
    }
    if (a.bytes.empty()) {
      return FieldError(field, f + ".data", f + " is empty",
                        "附件 " + std::to_string(i + 1) + " 为空");
    }
    if (a.bytes.size() > limits.max_attachment_bytes) {
      std::string mb = std::to_string(limits.max_attachment_bytes >> 20);
      return FieldError(field, f + ".data", f + " is larger than " + mb + " MB",
                        "附件 " + std::to_string(i + 1) + " 超过 " + mb + " MB");
    }
  }
  return Status::OK();
}

// ---------------------------------------------------------------------------
// The office key

std::string OfficeKeyPath(const std::string& db_path) { return db_path + ".office.key"; }
std::string ReportFilesDir(const std::string& db_path) { return db_path + ".reports"; }

OfficeKey::~OfficeKey() { sodium_memzero(sk_.data(), sk_.size()); }

Result<OfficeKey> OfficeKey::LoadOrCreate(const std::string& path) {
  if (sodium_init() < 0) return Status::Internal("libsodium cannot initialise");
  std::array<uint8_t, crypto_box_SEEDBYTES> seed{};
  auto make = [&seed] {
    randombytes_buf(seed.data(), seed.size());
    std::string text =
        std::string(kKeyPrefix) +
        ledger::Base64(std::string_view(reinterpret_cast<const char*>(seed.data()), seed.size())) +
        "\n";
    sodium_memzero(seed.data(), seed.size());
    return text;
  };
  QF_ASSIGN_OR_RETURN(std::string text,
                      ReadOrCreateSecretFile(path, make, "office key", "举报加密密钥"));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  Status bad = Status::Corruption("office key " + path + " is malformed");
  if (text.compare(0, kKeyPrefix.size(), kKeyPrefix) != 0) return bad;
  Result<std::string> blob = ledger::FromBase64(std::string_view(text).substr(kKeyPrefix.size()));
  sodium_memzero(text.data(), text.size());
  if (!blob.ok() || blob->size() != seed.size()) return bad;
  OfficeKey k;
  crypto_box_seed_keypair(k.pk_.data(), k.sk_.data(),
                          reinterpret_cast<const unsigned char*>(blob->data()));
  sodium_memzero(blob->data(), blob->size());
  return k;
}

std::string OfficeKey::Seal(std::string_view plaintext) const {
  std::string out(plaintext.size() + crypto_box_SEALBYTES, '\0');
  crypto_box_seal(reinterpret_cast<unsigned char*>(out.data()),
                  reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                  pk_.data());
  return out;
}

Result<std::string> OfficeKey::Open(std::string_view sealed) const {
  if (sealed.size() < crypto_box_SEALBYTES) return Status::Corruption("sealed text is too short");
  std::string out(sealed.size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(out.data()),
                           reinterpret_cast<const unsigned char*>(sealed.data()), sealed.size(),
                           pk_.data(), sk_.data()) != 0) {
    return Status::Corruption(
        "sealed text does not open with the office key (altered, or "
        "sealed to another key)");
  }
  return out;
}

// ---------------------------------------------------------------------------
// Receipt codes

std::string Receipt::Code() const {
  std::string out = lookup_id;
  for (size_t i = 0; i < secret.size(); i += 4) out += "-" + secret.substr(i, 4);
  return out;
}

Receipt NewReceipt(const std::string& kind) {
  if (sodium_init() < 0) return {};
  Receipt r;
  r.lookup_id = (kind == "complaint" ? "TS" : "JB") + RandomBase32(kLookupRandomChars);
  r.secret = RandomBase32(kSecretChars);
  return r;
}

bool ParseReceipt(std::string_view code, Receipt* out) {
  if (code.size() > 100) return false;
  std::string s = NormalizeCode(code);
  if (s.size() != kLookupChars + kSecretChars || !AllCrockford(s)) return false;
  std::string prefix = s.substr(0, 2);
  if (prefix != "JB" && prefix != "TS") return false;
  out->lookup_id = s.substr(0, kLookupChars);
  out->secret = s.substr(kLookupChars);
  return true;
}

// ---------------------------------------------------------------------------
// Submitting and looking up

Result<SubmitResult> SubmitReport(Db* db, const std::string& db_path, const NewReport& r,
                                  const std::string& actor, const ReportLimits& limits) {
  std::string field;
  QF_RETURN_IF_ERROR(ValidateReport(r, limits, &field));
  QF_ASSIGN_OR_RETURN(OfficeKey key, OfficeKey::LoadOrCreate(OfficeKeyPath(db_path)));
  Receipt receipt = NewReceipt(r.kind);
  // The slow hash runs before the write transaction, which it would otherwise hold up.
  std::string hash = HashSecret(receipt.secret);
  if (hash.empty()) return Status::Internal("cannot hash the receipt code (out of memory?)");
  std::string target = r.target.empty() ? "" : key.Seal(r.target);
  std::string content = key.Seal(r.content);
  std::string contact;
  if (!r.anonymous) {
    contact = key.Seal(nlohmann::json{{"name", r.contact_name}, {"phone", r.contact_phone}}.dump());
  }
  struct Kept {
    std::string sha, name_sealed, mime;
    int64_t size;
  };
  std::vector<Kept> kept;
  for (const ReportFile& a : r.attachments) {
    std::string sealed = key.Seal(a.bytes);
    std::string sha = ToHex(Sha256(sealed));
    QF_RETURN_IF_ERROR(WriteBlobOnce(AttachmentPath(db_path, sha), sealed));
    kept.push_back({sha, key.Seal(a.name), a.mime.empty() ? "application/octet-stream" : a.mime,
                    static_cast<int64_t>(a.bytes.size())});
  }
  SubmitResult out;
  out.created_at = NowMinute();
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  // The secret (and so the hash) stays if the random lookup id is taken.
  for (int attempt = 0;; ++attempt) {
    QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT COUNT(*) FROM reports WHERE lookup_id = ?1"));
    q.BindText(1, receipt.lookup_id);
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (row && q.Int(0) == 0) break;
    if (attempt == 20) return Status::Internal("no free report lookup id");
    receipt.lookup_id = receipt.lookup_id.substr(0, 2) + RandomBase32(kLookupRandomChars);
  }
  QF_ASSIGN_OR_RETURN(
      Stmt ins,
      db->Prepare("INSERT INTO reports(lookup_id, receipt_hash, kind, channel, category, "
                  "region_code, anonymous, target_sealed, content_sealed, contact_sealed, "
                  "attachment_count, status, reply, created_at, updated_at) VALUES (?1, ?2, ?3, "
                  "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'accepted', '', ?12, ?12)"));
  ins.BindText(1, receipt.lookup_id);
  ins.BindText(2, hash);
  ins.BindText(3, r.kind);
  ins.BindText(4, r.channel);
  ins.BindText(5, std::string(Trim(r.category)));
  if (r.region_code.empty()) {
    ins.BindNull(6);
  } else {
    ins.BindText(6, r.region_code);
  }
  ins.BindInt(7, r.anonymous ? 1 : 0);
  if (target.empty()) {
    ins.BindNull(8);
  } else {
    ins.BindBlob(8, target.data(), target.size());
  }
  ins.BindBlob(9, content.data(), content.size());
  if (contact.empty()) {
    ins.BindNull(10);
  } else {
    ins.BindBlob(10, contact.data(), contact.size());
  }
  ins.BindInt(11, static_cast<int64_t>(kept.size()));
  ins.BindText(12, out.created_at);
  QF_RETURN_IF_ERROR(ins.Run());
  out.id = db->LastInsertId();
  QF_ASSIGN_OR_RETURN(Stmt att,
                      db->Prepare("INSERT INTO report_attachments(report_id, seq, sha256, "
                                  "name_sealed, mime, size) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  for (size_t i = 0; i < kept.size(); ++i) {
    att.BindInt(1, out.id);
    att.BindInt(2, static_cast<int64_t>(i + 1));
    att.BindText(3, kept[i].sha);
    att.BindBlob(4, kept[i].name_sealed.data(), kept[i].name_sealed.size());
    att.BindText(5, kept[i].mime);
    att.BindInt(6, kept[i].size);
    QF_RETURN_IF_ERROR(att.Run());
  }
  QF_ASSIGN_OR_RETURN(auto ledger, ledger::Ledger::Open(db));
  QF_RETURN_IF_ERROR(ledger
                         ->AppendAction({actor, "report_submit", "report:" + receipt.lookup_id,
                                         nlohmann::json{{"kind", r.kind},
                                                        {"channel", r.channel},
                                                        {"anonymous", r.anonymous},
                                                        {"attachments", kept.size()}}
                                             .dump(),
                                         out.created_at})
                         .status());
  QF_RETURN_IF_ERROR(ledger->Flush());
  QF_RETURN_IF_ERROR(tx.Commit());
  out.lookup_id = receipt.lookup_id;
  out.receipt = receipt.Code();
  return out;
}

Result<ReportPublicStatus> LookupReport(Db* db, std::string_view receipt_code) {
  if (sodium_init() < 0) return Status::Internal("libsodium cannot initialise");
  Receipt r;
  bool shaped = ParseReceipt(receipt_code, &r);
  std::string hash;
  ReportPublicStatus out;
  if (shaped) {
    QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT receipt_hash, kind, status, reply, "
                                            "updated_at FROM reports WHERE lookup_id = ?1"));
    q.BindText(1, r.lookup_id);
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (row) {
      hash = q.Text(0);
      out = {r.lookup_id, q.Text(1), q.Text(2), q.Text(3), q.Text(4)};
    }
  }
  // Always one argon2id verification, so the answer's time tells nothing.
  const std::string& check = hash.empty() ? DummyHash() : hash;
  bool good = crypto_pwhash_str_verify(check.c_str(), r.secret.data(), r.secret.size()) == 0 &&
              !hash.empty();
  if (!good) return NotFoundReceipt();
  return out;
}

// ---------------------------------------------------------------------------
// Lists and reading

Result<std::vector<ReportSummary>> ListReports(Db* db, const ReportFilter& f, int64_t* total) {
  std::string where = "1";
  std::vector<std::string> binds;
  auto eq = [&](const char* column, const std::string& value) {
    if (value.empty()) return;
    binds.push_back(value);
    where += std::string(" AND ") + column + " = ?" + std::to_string(binds.size());
  };
  eq("kind", f.kind);
  eq("status", f.status);
  eq("category", f.category);
  eq("channel", f.channel);
  if (!f.region_prefixes.empty()) {
    where += " AND (";
    for (size_t i = 0; i < f.region_prefixes.size(); ++i) {
      binds.push_back(f.region_prefixes[i] + "%");
      where += std::string(i ? " OR " : "") + "region_code LIKE ?" + std::to_string(binds.size());
    }
    where += ")";
  }
  auto bind_all = [&binds](Stmt& q) {
    for (size_t i = 0; i < binds.size(); ++i) q.BindText(static_cast<int>(i) + 1, binds[i]);
  };
  {
    QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT COUNT(*) FROM reports WHERE " + where));
    bind_all(q);
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    *total = row ? q.Int(0) : 0;
  }
  QF_ASSIGN_OR_RETURN(
      Stmt q, db->Prepare(std::string("SELECT ") + kSummaryColumns + " FROM reports WHERE " +
                          where + " ORDER BY id DESC LIMIT " + std::to_string(f.limit) +
                          " OFFSET " + std::to_string(f.offset)));
  bind_all(q);
  std::vector<ReportSummary> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(ReadSummary(q));
  }
  return out;
}

Result<ReportSummary> FindReport(Db* db, std::string_view ref) {
  std::string s(Trim(ref));
  bool digits = !s.empty() && s.size() <= 15 &&
                std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits) return ReportById(db, std::stoll(s));
  std::string id = NormalizeCode(s);
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare(std::string("SELECT ") + kSummaryColumns +
                                          " FROM reports WHERE lookup_id = ?1"));
  q.BindText(1, id);
  QF_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return Status::NotFound("no report " + ClipForMessage(s, 20));
  return ReadSummary(q);
}

Result<ReportDetail> ReadReport(Db* db, const std::string& db_path, int64_t id,
                                const std::string& actor) {
  ReportDetail d;
  QF_ASSIGN_OR_RETURN(d.summary, ReportById(db, id));
  QF_RETURN_IF_ERROR(
      Record(db, actor, "report_read", d.summary.lookup_id, nlohmann::json::object()));
  QF_ASSIGN_OR_RETURN(OfficeKey key, OfficeKey::LoadOrCreate(OfficeKeyPath(db_path)));
  {
    QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT target_sealed, content_sealed, contact_sealed "
                                            "FROM reports WHERE id = ?1"));
    q.BindInt(1, id);
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return Status::NotFound("no report #" + std::to_string(id));
    if (!q.IsNull(0)) {
      QF_ASSIGN_OR_RETURN(d.target, key.Open(BlobOf(q, 0)));
    }
    QF_ASSIGN_OR_RETURN(d.content, key.Open(BlobOf(q, 1)));
    if (!q.IsNull(2)) {
      QF_ASSIGN_OR_RETURN(std::string contact, key.Open(BlobOf(q, 2)));
      nlohmann::json j = nlohmann::json::parse(contact, nullptr, false);
      if (!j.is_object()) return Status::Corruption("report contact is not a JSON object");
      d.contact_name = j.value("name", "");
      d.contact_phone = j.value("phone", "");
      sodium_memzero(contact.data(), contact.size());
    }
  }
  QF_ASSIGN_OR_RETURN(Stmt a, db->Prepare("SELECT seq, sha256, name_sealed, mime, size FROM "
                                          "report_attachments WHERE report_id = ?1 ORDER BY seq"));
  a.BindInt(1, id);
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, a.Step());
    if (!row) break;
    ReportAttachmentInfo info;
    info.seq = static_cast<int>(a.Int(0));
    info.sha256 = a.Text(1);
    QF_ASSIGN_OR_RETURN(info.name, key.Open(BlobOf(a, 2)));
    info.mime = a.Text(3);
    info.size = a.Int(4);
    d.attachments.push_back(std::move(info));
  }
  return d;
}

Result<ReportFile> ReadReportAttachment(Db* db, const std::string& db_path, int64_t id, int seq,
                                        const std::string& actor) {
  QF_ASSIGN_OR_RETURN(ReportSummary s, ReportById(db, id));
  std::string sha, name_sealed, mime;
  {
    QF_ASSIGN_OR_RETURN(Stmt q,
                        db->Prepare("SELECT sha256, name_sealed, mime FROM "
                                    "report_attachments WHERE report_id = ?1 AND seq = ?2"));
    q.BindInt(1, id);
    q.BindInt(2, seq);
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) {
      return Status::NotFound("report " + s.lookup_id + " has no attachment " +
                              std::to_string(seq));
    }
    sha = q.Text(0);
    name_sealed = BlobOf(q, 1);
    mime = q.Text(2);
  }
  QF_RETURN_IF_ERROR(
      Record(db, actor, "report_attachment_read", s.lookup_id, nlohmann::json{{"seq", seq}}));
  QF_ASSIGN_OR_RETURN(OfficeKey key, OfficeKey::LoadOrCreate(OfficeKeyPath(db_path)));
  QF_ASSIGN_OR_RETURN(std::string sealed,
                      ReadBlob(AttachmentPath(db_path, sha), sha, "report attachment"));
  ReportFile f;
  QF_ASSIGN_OR_RETURN(f.name, key.Open(name_sealed));
  QF_ASSIGN_OR_RETURN(f.bytes, key.Open(sealed));
  f.mime = mime;
  return f;
}

// ---------------------------------------------------------------------------
// Handling

Status ValidateReportUpdate(const ReportUpdate& u, std::string* field) {
  if (u.status.empty() && !u.set_reply) {
    return FieldError(field, "status", "nothing to change: give a status or a reply",
                      "没有要修改的内容：请给出状态或答复");
  }
  if (!u.status.empty() && !IsOneOf(ReportStatuses(), u.status)) {
    return FieldError(
        field, "status",
        "unknown status " + ClipForMessage(u.status) + " (accepted, in_progress, closed, rejected)",
        "未知的状态 " + ClipForMessage(u.status) +
            "（accepted 已受理、in_progress 办理中、closed 已办结、rejected 不予受理）");
  }
  if (u.set_reply && (!IsValidUtf8(u.reply) || HasControl(u.reply, true) ||
                      CodePoints(u.reply) > kMaxReplyChars)) {
    return FieldError(
        field, "reply",
        "the reply must be text of at most " + std::to_string(kMaxReplyChars) + " characters",
        "答复应为不超过 " + std::to_string(kMaxReplyChars) + " 字的文本");
  }
  return Status::OK();
}

Result<ReportSummary> UpdateReport(Db* db, int64_t id, const ReportUpdate& u,
                                   const std::string& actor) {
  QF_RETURN_IF_ERROR(ValidateReportUpdate(u, nullptr));
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(ReportSummary s, ReportById(db, id));
  std::string to = u.status.empty() ? s.status : u.status;
  if (to != s.status) {
    const std::string& from = s.status;
    bool allowed = (from == "accepted") ||
                   (from == "in_progress" && (to == "closed" || to == "rejected")) ||
                   ((from == "closed" || from == "rejected") && to == "in_progress");
    if (!allowed) {
      return Status::InvalidInput("a report that is " + from + " cannot become " + to,
                                  "处于“" + LabelZh(ReportStatuses(), from) + "”的反映不能改为“" +
                                      LabelZh(ReportStatuses(), to) + "”");
    }
  }
  std::string now = NowMinute();
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("UPDATE reports SET status = ?2, reply = ?3, "
                                          "updated_at = ?4 WHERE id = ?1"));
  q.BindInt(1, id);
  q.BindText(2, to);
  q.BindText(3, u.set_reply ? u.reply : s.reply);
  q.BindText(4, now);
  QF_RETURN_IF_ERROR(q.Run());
  nlohmann::json details = {{"from", s.status}, {"to", to}};
  if (u.set_reply) details["reply_chars"] = CodePoints(u.reply);
  QF_ASSIGN_OR_RETURN(auto ledger, ledger::Ledger::Open(db));
  QF_RETURN_IF_ERROR(ledger
                         ->AppendAction({actor, to != s.status ? "report_status" : "report_reply",
                                         "report:" + s.lookup_id, details.dump()})
                         .status());
  QF_RETURN_IF_ERROR(ledger->Flush());
  QF_RETURN_IF_ERROR(tx.Commit());
  s.status = to;
  if (u.set_reply) s.reply = u.reply;
  s.updated_at = now;
  return s;
}

Result<int64_t> ReportToLead(Db* db, int64_t id, const std::string& actor, int score,
                             bool* created) {
  *created = false;
  if (score < 0 || score > 100) {
    return Status::InvalidInput("score must be from 0 to 100", "分值应为 0 到 100 之间的整数");
  }
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(ReportSummary s, ReportById(db, id));
  if (s.lead_id != 0) return s.lead_id;
  std::string kind_zh = LabelZh(ReportKinds(), s.kind);
  ManualLead m;
  m.model = "public_report";
  m.family = "reports";
  m.identity = "report:" + s.lookup_id;
  m.subject = {"reports", s.lookup_id, "群众" + kind_zh + " " + s.lookup_id};
  m.score = score;
  m.region_code = s.region_code;
  // Only what lists already show: the sealed text stays with the report, for
  // those who may read reports.
  m.summary = "群众" + kind_zh + "（" + LabelZh(ReportChannels(), s.channel) +
              (s.category.empty() ? "" : "，" + s.category) + "，" + s.created_at +
              "）转为问题线索；反映内容见举报记录 " + s.lookup_id + "（限授权人员查阅）";
  std::string now = NowShanghai();
  QF_ASSIGN_OR_RETURN(int64_t lead_id, CreateManualLead(db, m, now));
  {
    QF_ASSIGN_OR_RETURN(Stmt h, db->Prepare("INSERT INTO lead_history(lead_id, at, actor, action, "
                                            "from_status, to_status, details) VALUES (?1, ?2, "
                                            "?3, 'from_report', NULL, 'pending', ?4)"));
    h.BindInt(1, lead_id);
    h.BindText(2, now);
    h.BindText(3, actor);
    h.BindText(4, nlohmann::json{{"report", s.lookup_id}}.dump());
    QF_RETURN_IF_ERROR(h.Run());
  }
  {
    QF_ASSIGN_OR_RETURN(
        Stmt u, db->Prepare("UPDATE reports SET lead_id = ?2, status = CASE WHEN status = "
                            "'accepted' THEN 'in_progress' ELSE status END, updated_at = ?3 "
                            "WHERE id = ?1"));
    u.BindInt(1, id);
    u.BindInt(2, lead_id);
    u.BindText(3, NowMinute());
    QF_RETURN_IF_ERROR(u.Run());
  }
  QF_ASSIGN_OR_RETURN(auto ledger, ledger::Ledger::Open(db));
  QF_RETURN_IF_ERROR(ledger
                         ->AppendAction({actor, "report_to_lead", "report:" + s.lookup_id,
                                         nlohmann::json{{"lead", LeadCode(lead_id)}}.dump()})
                         .status());
  QF_RETURN_IF_ERROR(ledger->Flush());
  QF_RETURN_IF_ERROR(tx.Commit());
  *created = true;
  return lead_id;
}

// ---------------------------------------------------------------------------
// Rate limits

ReportRateLimiter::ReportRateLimiter() : ReportRateLimiter(Limits{}) {}

ReportRateLimiter::ReportRateLimiter(Limits limits) : limits_(limits) {
  if (sodium_init() < 0) std::abort();  // no randomness: nothing here can be safe
  randombytes_buf(key_.data(), key_.size());
}

size_t ReportRateLimiter::KeyHash::operator()(const Key& k) const {
  size_t h;
  std::memcpy(&h, k.data(), sizeof h);
  return h;
}

void ReportRateLimiter::Prune(int64_t now) {
  int64_t horizon = now - limits_.window_seconds;
  for (auto& map : per_client_) {
    for (auto it = map.begin(); it != map.end();) {
      while (!it->second.empty() && it->second.front() <= horizon) it->second.pop_front();
      it = it->second.empty() ? map.erase(it) : std::next(it);
    }
  }
  last_prune_ = now;
}

bool ReportRateLimiter::Allow(Kind kind, std::string_view client, int64_t now_seconds) {
  Key k;
  crypto_generichash(k.data(), k.size(), reinterpret_cast<const unsigned char*>(client.data()),
                     client.size(), key_.data(), key_.size());
  int i = static_cast<int>(kind);
  int per_client = kind == Kind::kSubmit ? limits_.submits_per_client : limits_.lookups_per_client;
  size_t overall = static_cast<size_t>(kind == Kind::kSubmit ? limits_.submits_overall
                                                             : limits_.lookups_overall);
  int64_t horizon = now_seconds - limits_.window_seconds;
  std::lock_guard lock(mu_);
  // Forgetting clients once their window has passed bounds the memory by the
  // overall limits.
  if (now_seconds - last_prune_ >= 60) Prune(now_seconds);
  std::deque<int64_t>& all = overall_[i];
  while (!all.empty() && all.front() <= horizon) all.pop_front();
  if (all.size() >= overall) return false;
  auto it = per_client_[i].find(k);
  if (it != per_client_[i].end()) {
    while (!it->second.empty() && it->second.front() <= horizon) it->second.pop_front();
    if (it->second.size() >= static_cast<size_t>(per_client)) return false;
  } else {
    it = per_client_[i].emplace(k, std::deque<int64_t>()).first;
  }
  it->second.push_back(now_seconds);
  all.push_back(now_seconds);
  return true;
}

size_t ReportRateLimiter::clients() const {
  std::lock_guard lock(mu_);
  return per_client_[0].size() + per_client_[1].size();
}

}  // namespace qf::leads
