#include "ingest/identifiers.h"

#include "common/text.h"

namespace qf {

namespace {

constexpr int kIdWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kIdCheck[] = "10X98765432";
constexpr std::string_view kCreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr int kCreditWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int Num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::string Canonical(std::string_view raw) {
  std::string s = FoldWidth(Trim(raw));
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (c == ' ') continue;
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

Status BadId(std::string_view raw, const std::string& en, const std::string& zh) {
  return Status::InvalidInput("ID number '" + ClipForMessage(raw) + "' " + en,
                              "身份证号“" + ClipForMessage(raw) + "”" + zh);
}

}  // namespace

char IdNumberCheckChar(std::string_view first17) {
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kIdWeights[i];
  return kIdCheck[sum % 11];
}

Result<std::string> NormalizeIdNumber(std::string_view raw) {
  std::string s = Canonical(raw);
  if (s.size() == 15) {
    if (!AllDigits(s)) return BadId(raw, "has characters other than digits", "含有数字以外的字符");
    int y = 1900 + Num(s.substr(6, 2));
    if (!IsValidDate(y, Num(s.substr(8, 2)), Num(s.substr(10, 2)))) {
      return BadId(raw, "contains an impossible birth date", "中的出生日期不存在");
    }
    std::string up = s.substr(0, 6) + "19" + s.substr(6);
    up.push_back(IdNumberCheckChar(up));
    return up;
  }
  if (s.size() != 18) {
    if (s.find('E') != std::string::npos && s.find('.') != std::string::npos) {
      return BadId(raw,
                   "was stored as a number by a spreadsheet and lost its last digits; "
                   "format the column as text and export again",
                   "被表格软件存成了数字，末尾几位已丢失；请把该列设为文本格式后重新导出");
    }
    return BadId(raw,
                 "must have 18 characters (or 15 digits for an old number), it has " +
                     std::to_string(s.size()),
                 "应为18位（旧号码15位），实为" + std::to_string(s.size()) + "位");
  }
  if (!AllDigits(s.substr(0, 17)) || !((s[17] >= '0' && s[17] <= '9') || s[17] == 'X')) {
    return BadId(raw, "may hold only digits and a final X", "只能由数字和末位X组成");
  }
  int y = Num(s.substr(6, 4));
  int m = Num(s.substr(10, 2));
  int d = Num(s.substr(12, 2));
  if (!IsValidDate(y, m, d) || y < 1870) {
    return BadId(raw, "contains an impossible birth date", "中的出生日期不存在");
  }
  CivilDate today = TodayShanghai();
  if (DaysFromCivil(y, m, d) > DaysFromCivil(today.year, today.month, today.day)) {
    return BadId(raw, "contains a birth date in the future", "中的出生日期晚于今天");
  }
  char check = IdNumberCheckChar(s);
  if (s[17] != check) {
    return BadId(raw, std::string("has a wrong check digit (expected ") + check + ")",
                 std::string("校验位错误（应为") + check + "）");
  }
  return s;
}

CivilDate IdNumberBirthDate(std::string_view id18) {
  return CivilDate{Num(id18.substr(6, 4)), Num(id18.substr(10, 2)), Num(id18.substr(12, 2))};
}

bool IdNumberIsMale(std::string_view id18) { return (id18[16] - '0') % 2 == 1; }

char CreditCodeCheckChar(std::string_view first17) {
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    size_t v = kCreditAlphabet.find(first17[i]);
    if (v == std::string_view::npos) return '\0';
    sum += static_cast<int>(v) * kCreditWeights[i];
  }
  return kCreditAlphabet[(31 - sum % 31) % 31];
}

Result<std::string> NormalizeCreditCode(std::string_view raw) {
  std::string s = Canonical(raw);
  auto bad = [&](const std::string& en, const std::string& zh) {
    return Status::InvalidInput("credit code '" + ClipForMessage(raw) + "' " + en,
                                "统一社会信用代码“" + ClipForMessage(raw) + "”" + zh);
  };
  if (s.size() != 18) {
    return bad("must have 18 characters, it has " + std::to_string(s.size()),
               "应为18位，实为" + std::to_string(s.size()) + "位");
  }
  for (char c : s) {
    if (kCreditAlphabet.find(c) == std::string_view::npos) {
      return bad(
          std::string("contains '") + c + "', which is not allowed (I, O, S, V, Z never occur)",
          std::string("含有不允许的字符“") + c + "”（不使用I、O、S、V、Z）");
    }
  }
  char check = CreditCodeCheckChar(s);
  if (s[17] != check) {
    return bad(std::string("has a wrong check character (expected ") + check + ")",
               std::string("校验码错误（应为") + check + "）");
  }
  return s;
}

Result<Party> NormalizeParty(std::string_view raw) {
  Result<std::string> id = NormalizeIdNumber(raw);
  if (id.ok()) return Party{PartyKind::kPerson, std::move(id).value()};
  Result<std::string> cc = NormalizeCreditCode(raw);
  if (cc.ok()) return Party{PartyKind::kOrganisation, std::move(cc).value()};
  std::string s = Canonical(raw);
  // Report the error of the scheme the value most resembles.
  bool looks_person = s.size() == 15 || (s.size() == 18 && AllDigits(s.substr(0, 17)));
  const Status& st = looks_person ? id.status() : cc.status();
  return Status::InvalidInput(
      "'" + ClipForMessage(raw) + "' is neither a valid ID number nor a valid credit code (" +
          st.message() + ")",
      "“" + ClipForMessage(raw) + "”既不是有效的身份证号也不是有效的统一社会信用代码（" +
          st.message_zh() + "）");
}

std::string MaskPersonalIds(std::string_view s) {
  std::string out(s);
  auto id_char = [](char c) { return (c >= '0' && c <= '9') || c == 'X' || c == 'x'; };
  size_t i = 0;
  while (i < out.size()) {
    if (!(out[i] >= '0' && out[i] <= '9')) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < out.size() && id_char(out[j])) ++j;
    size_t n = j - i;
    if (n == 18 && IdNumberCheckChar(std::string_view(out).substr(i, 17)) == (out[i + 17] == 'x' ? 'X' : out[i + 17])) {
      for (size_t k = i + 4; k < i + 14; ++k) out[k] = '*';
    } else if (n == 11 && out[i] == '1') {
      for (size_t k = i + 3; k < i + 7; ++k) out[k] = '*';
    }
    i = j;
  }
  return out;
}

}  // namespace qf
