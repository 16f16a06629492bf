#include "cli/output.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

namespace qf::cli {

Format FormatOf(const std::string& s) {
  Format f = Format::kTable;
  ParseFormat(s, &f);
  return f;
}

bool ParseFormat(const std::string& s, Format* out) {
  if (s == "table") {
    *out = Format::kTable;
  } else if (s == "jsonl" || s == "json") {
    *out = Format::kJsonl;
  } else if (s == "csv") {
    *out = Format::kCsv;
  } else {
    return false;
  }
  return true;
}

size_t DisplayWidth(const std::string& s) {
  size_t w = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp = c;
    size_t len = 1;
    if (c >= 0xF0 && i + 3 < s.size()) {
      cp = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) |
           (s[i + 3] & 0x3F);
      len = 4;
    } else if (c >= 0xE0 && i + 2 < s.size()) {
      cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
      len = 3;
    } else if (c >= 0xC0 && i + 1 < s.size()) {
      cp = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
      len = 2;
    }
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    w += wide ? 2 : 1;
    i += len;
  }
  return w;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void Print(const Table& t, Format f) {
  auto is_num = [&](size_t c) { return c < t.numeric.size() && t.numeric[c]; };
  if (f == Format::kJsonl) {
    for (const auto& row : t.rows) {
      nlohmann::ordered_json j;
      for (size_t c = 0; c < t.keys.size() && c < row.size(); ++c) {
        if (is_num(c) && !row[c].empty()) {
          j[t.keys[c]] = std::stoll(row[c]);
        } else {
          j[t.keys[c]] = row[c];
        }
      }
      std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    return;
  }
  if (f == Format::kCsv) {
    for (size_t c = 0; c < t.keys.size(); ++c) std::cout << (c ? "," : "") << CsvField(t.keys[c]);
    std::cout << '\n';
    for (const auto& row : t.rows) {
      for (size_t c = 0; c < row.size(); ++c) std::cout << (c ? "," : "") << CsvField(row[c]);
      std::cout << '\n';
    }
    return;
  }
  std::vector<size_t> width(t.headers.size());
  for (size_t c = 0; c < t.headers.size(); ++c) width[c] = DisplayWidth(t.headers[c]);
  for (const auto& row : t.rows) {
    for (size_t c = 0; c < row.size() && c < width.size(); ++c) {
      width[c] = std::max(width[c], DisplayWidth(row[c]));
    }
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < width.size(); ++c) {
      std::string v = c < cells.size() ? cells[c] : "";
      std::string pad(width[c] - std::min(width[c], DisplayWidth(v)), ' ');
      out += is_num(c) ? pad + v : v + pad;
      if (c + 1 < width.size()) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    std::cout << out << '\n';
  };
  line(t.headers);
  std::vector<std::string> rule;
  for (size_t w : width) rule.push_back(std::string(w, '-'));
  line(rule);
  for (const auto& row : t.rows) line(row);
}

std::string GroupThousands(int64_t v) {
  std::string s = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return v < 0 ? "-" + out : out;
}

Progress::Progress(std::string label, bool chinese)
    : label_(std::move(label)), chinese_(chinese), enabled_(isatty(STDERR_FILENO) == 1) {
  start_ = last_ = std::chrono::steady_clock::now();
}

void Progress::Update(int64_t rows, double fraction) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_ < std::chrono::milliseconds(200) && fraction < 1.0) return;
  last_ = now;
  drawn_ = true;
  double secs = std::chrono::duration<double>(now - start_).count();
  double rate = secs > 0 ? rows / secs : 0;
  int filled = static_cast<int>(fraction * 30);
  std::string bar(static_cast<size_t>(std::max(0, std::min(30, filled))), '#');
  bar += std::string(30 - bar.size(), '.');
  double eta = fraction > 0.01 ? secs * (1 - fraction) / fraction : 0;
  std::fprintf(stderr, "\r%s [%s] %3d%%  %s %s  %s %s  %s %.0f %s   ", label_.c_str(), bar.c_str(),
               static_cast<int>(fraction * 100), GroupThousands(rows).c_str(),
               chinese_ ? "行" : "rows", GroupThousands(static_cast<int64_t>(rate)).c_str(),
               chinese_ ? "行/秒" : "rows/s", chinese_ ? "剩余" : "ETA", eta,
               chinese_ ? "秒" : "s");
  std::fflush(stderr);
}

void Progress::Finish() {
  if (enabled_ && drawn_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }
}

}  // namespace qf::cli
