#include "common/text.h"

#include <opencc/opencc.h>

#include <cstring>
#include <mutex>

namespace qf {

namespace {

// Decodes one UTF-8 code point at s[i]; returns its length, or 0 when malformed.
size_t DecodeUtf8(std::string_view s, size_t i, char32_t* cp) {
  auto u = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = u(i);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len = 0;
  char32_t v = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2;
    v = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3;
    v = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4;
    v = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((u(i + k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (u(i + k) & 0x3F);
  }
  // Reject overlong forms, surrogates and values past U+10FFFF.
  if ((len == 2 && v < 0x80) || (len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
      (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF) {
    return 0;
  }
  *cp = v;
  return len;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// OpenCC's converter is not documented as thread-safe; one instance behind a lock
// is enough because conversion only runs on values that hold non-ASCII text.
class SimplifiedConverter {
 public:
  SimplifiedConverter() {
    std::string path = std::string(QF_OPENCC_DIR) + "/t2s.json";
    handle_ = opencc_open(path.c_str());
  }
  ~SimplifiedConverter() {
    if (handle_ != reinterpret_cast<opencc_t>(-1))
      opencc_close(handle_);  // NOLINT(performance-no-int-to-ptr): OpenCC's error value
  }
  std::string Convert(std::string_view s) {
    // NOLINTNEXTLINE(performance-no-int-to-ptr): OpenCC's error value
    if (handle_ == reinterpret_cast<opencc_t>(-1)) return std::string(s);
    std::lock_guard<std::mutex> lock(mu_);
    char* out = opencc_convert_utf8(handle_, s.data(), s.size());
    if (out == nullptr) return std::string(s);
    std::string result(out);
    opencc_convert_utf8_free(out);
    return result;
  }

 private:
  opencc_t handle_;
  std::mutex mu_;
};

}  // namespace

std::string_view Trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && IsAsciiSpace(s.front())) {
      s.remove_prefix(1);
    } else if (s.size() >= 3 && s.substr(0, 3) == "\xE3\x80\x80") {  // U+3000
      s.remove_prefix(3);
    } else if (s.size() >= 2 && s.substr(0, 2) == "\xC2\xA0") {  // U+00A0
      s.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && IsAsciiSpace(s.back())) {
      s.remove_suffix(1);
    } else if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE3\x80\x80") {
      s.remove_suffix(3);
    } else if (s.size() >= 2 && s.substr(s.size() - 2) == "\xC2\xA0") {
      s.remove_suffix(2);
    } else {
      break;
    }
  }
  return s;
}

std::string FoldWidth(std::string_view s) {
  // Full-width forms start with 0xEF, the ideographic space with 0xE3: a value
  // with neither byte folds to itself.
  if (s.empty()) return {};
  if (std::memchr(s.data(), 0xEF, s.size()) == nullptr &&
      std::memchr(s.data(), 0xE3, s.size()) == nullptr) {
    return std::string(s);
  }
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    char32_t cp = 0;
    size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) {  // keep malformed bytes as they are; validation reports them
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (cp >= 0xFF01 && cp <= 0xFF5E) {
      out.push_back(static_cast<char>(cp - 0xFEE0));
    } else if (cp == 0x3000) {
      out.push_back(' ');
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string ToSimplified(std::string_view s) {
  bool ascii = true;
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return std::string(s);
  static SimplifiedConverter converter;
  return converter.Convert(s);
}

std::string NormalizeForCompare(std::string_view s) {
  return ToSimplified(Trim(FoldWidth(Trim(s))));
}

bool IsValidUtf8(std::string_view s) {
  // The well-formed byte sequences of Unicode's table 3-7, checked inline: this
  // runs over every imported byte.
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  auto cont = [&](size_t k) { return (b[k] & 0xC0) == 0x80; };
  size_t i = 0;
  while (i < n) {
    // Eight ASCII bytes at a time: most of every file is ASCII.
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, b + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = b[i];
    if (c < 0x80) {
      ++i;
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (i + 1 >= n || !cont(i + 1)) return false;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (i + 2 >= n || !cont(i + 1) || !cont(i + 2)) return false;
      if (c == 0xE0 && b[i + 1] < 0xA0) return false;  // overlong
      if (c == 0xED && b[i + 1] > 0x9F) return false;  // surrogate
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      if (i + 3 >= n || !cont(i + 1) || !cont(i + 2) || !cont(i + 3)) return false;
      if (c == 0xF0 && b[i + 1] < 0x90) return false;  // overlong
      if (c == 0xF4 && b[i + 1] > 0x8F) return false;  // past U+10FFFF
      i += 4;
    } else {
      return false;  // a continuation byte alone, C0/C1, F5..FF
    }
  }
  return true;
}

size_t Utf8CompletePrefix(std::string_view s) {
  // Look back at most 3 bytes for the start of an unfinished sequence.
  size_t n = s.size();
  for (size_t back = 1; back <= 3 && back <= n; ++back) {
    unsigned char c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: keep looking
    size_t need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

std::string ClipForMessage(std::string_view s, size_t max_chars) {
  std::string out;
  size_t i = 0;
  size_t chars = 0;
  while (i < s.size() && chars < max_chars) {
    char32_t cp = 0;
    size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD for bytes that are not text
      ++i;
    } else {
      if (cp < 0x20) {
        out += ' ';
      } else {
        AppendUtf8(&out, cp);
      }
      i += len;
    }
    ++chars;
  }
  if (i < s.size()) out += "…";
  return out;
}

void AppendUtf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string FormatFen(long long fen) {
  bool neg = fen < 0;
  unsigned long long v =
      neg ? 0ULL - static_cast<unsigned long long>(fen) : static_cast<unsigned long long>(fen);
  std::string yuan = std::to_string(v / 100);
  std::string grouped;
  int count = 0;
  for (auto it = yuan.rbegin(); it != yuan.rend(); ++it) {
    if (count > 0 && count % 3 == 0) grouped.push_back(',');
    grouped.push_back(*it);
    ++count;
  }
  std::string out(grouped.rbegin(), grouped.rend());
  unsigned cents = static_cast<unsigned>(v % 100);
  out += '.';
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return neg ? "-" + out : out;
}

}  // namespace qf
