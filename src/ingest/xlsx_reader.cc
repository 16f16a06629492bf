#include "ingest/xlsx_reader.h"

#include <expat.h>
#include <unzip.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/text.h"

namespace qf {

namespace {

// Expat reports namespaced names as "uri<sep>local"; \x01 cannot occur in XML text.
constexpr XML_Char kNsSep = '\x01';
constexpr int kChunk = 64 * 1024;          // inflated bytes fed to expat at a time
constexpr int kMaxColumns = 16384;         // Excel's last column is XFD
constexpr size_t kMaxCellBytes = 1 << 20;  // far above Excel's 32,767 characters per cell
constexpr size_t kMaxStyles = 1 << 20;     // Excel allows about 64,000 cell formats
constexpr double k1904Offset = 1462;       // days from 1900-01-00 to 1904-01-01 in Excel's count

std::string_view LocalName(const XML_Char* name) {
  const char* sep = std::strrchr(name, kNsSep);
  return sep ? std::string_view(sep + 1) : std::string_view(name);
}

// An unprefixed attribute, or with `namespaced` a prefixed one such as r:id.
const char* Attr(const XML_Char** attrs, std::string_view local, bool namespaced = false) {
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    const char* sep = std::strrchr(attrs[i], kNsSep);
    bool match =
        namespaced ? (sep != nullptr && local == sep + 1) : (sep == nullptr && local == attrs[i]);
    if (match) return attrs[i + 1];
  }
  return nullptr;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

template <typename Int>
bool ParseInt(std::string_view s, Int* out) {
  s = Trim(s);
  if (s.empty()) return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

// A number as Excel writes it in <v>: decimal, possibly with an exponent.
bool ParseNumber(std::string_view s, double* out) {
  if (s.empty() ||
      !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' || s[0] == '.')) {
    return false;
  }
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && end == s.data() + s.size();
}

// "A" → 0, "XFD" → 16383.
std::string ColumnName(int col) {
  std::string name;
  for (int n = col + 1; n > 0; n = (n - 1) / 26) {
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return name;
}

// The column of a cell reference such as "C5"; -1 when it names no column Excel has.
// Returns false when there is no reference to read (the cell then follows the previous one).
bool ParseCellColumn(const char* ref, int* col) {
  if (ref == nullptr) return false;
  int n = 0;
  size_t letters = 0;
  for (; ref[letters] != '\0' && std::isalpha(static_cast<unsigned char>(ref[letters]));
       ++letters) {
    if (letters < 4) {
      n = n * 26 + (std::toupper(static_cast<unsigned char>(ref[letters])) - 'A' + 1);
    }
  }
  if (letters == 0) return false;
  *col = (letters > 3 || n > kMaxColumns) ? -1 : n - 1;
  return true;
}

// One "_xHHHH_" escape at s[i].
bool ParseXEscape(const std::string& s, size_t i, uint32_t* cp) {
  if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return false;
  uint32_t v = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    char c = s[k];
    int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
            : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
            : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                        : -1;
    if (d < 0) return false;
    v = v * 16 + d;
  }
  *cp = v;
  return true;
}

// OOXML writes characters XML cannot hold (a carriage return, control codes)
// as _xHHHH_, and a literal "_x" as "_x005F_x".
void DecodeXString(std::string* s) {
  if (s->find("_x") == std::string::npos) return;
  std::string out;
  out.reserve(s->size());
  for (size_t i = 0; i < s->size();) {
    uint32_t cp = 0;
    if (!ParseXEscape(*s, i, &cp)) {
      out.push_back((*s)[i++]);
      continue;
    }
    i += 7;
    uint32_t low = 0;
    if (cp >= 0xD800 && cp <= 0xDBFF && ParseXEscape(*s, i, &low) && low >= 0xDC00 &&
        low <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      i += 7;
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    }
    AppendUtf8(&out, cp);
  }
  s->swap(out);
}

// Whether a number format code shows a date or time: it has y, m, d, h or s
// outside quoted text, escapes and [colour/locale] brackets.
bool IsDateFormatCode(std::string_view code) {
  bool date = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == '"') {
      size_t j = code.find('"', i + 1);
      if (j == std::string_view::npos) break;
      i = j;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal text or padding
    } else if (c == '[') {
      size_t j = code.find(']', i + 1);
      if (j == std::string_view::npos) break;
      std::string_view inner = code.substr(i + 1, j - i - 1);
      // Elapsed time ([h]:mm) is a duration, not a point in time: no epoch applies.
      if (!inner.empty() && inner.find_first_not_of("hHmMsS") == std::string_view::npos) {
        return false;
      }
      i = j;
    } else {
      char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (l == 'y' || l == 'm' || l == 'd' || l == 'h' || l == 's') date = true;
    }
  }
  return date;
}

bool IsBuiltinDateFormat(int id) {
  // 46 is [h]:mm:ss, a duration.
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || id == 45 || id == 47 ||
         (id >= 50 && id <= 58);
}

// Relative `target` of a relationship, resolved against `base_dir` ("xl/"), or
// absolute from the package root when it starts with "/".
std::string ResolvePart(const std::string& base_dir, std::string_view target) {
  std::string full = (!target.empty() && target[0] == '/') ? std::string(target.substr(1))
                                                           : base_dir + std::string(target);
  std::vector<std::string_view> segs;
  std::string_view rest(full);
  while (!rest.empty()) {
    size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!segs.empty()) segs.pop_back();
      continue;
    }
    segs.push_back(seg);
  }
  std::string out;
  for (std::string_view seg : segs) {
    if (!out.empty()) out.push_back('/');
    out.append(seg);
  }
  return out;
}

// Part names in relationships are URIs: "sheet%201.xml" is the entry "sheet 1.xml".
std::string PercentDecode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned v = 0;
    if (s[i] == '%' && i + 2 < s.size() &&
        std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16).ptr == s.data() + i + 3) {
      out.push_back(static_cast<char>(v));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string DirOf(const std::string& part) {
  size_t slash = part.rfind('/');
  return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

// ---------------------------------------------------------------------------
// Expat plumbing: a handler sees local element names; the parser owns expat.

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void Start(std::string_view name, const XML_Char** attrs) = 0;
  virtual void End(std::string_view name) = 0;
  virtual void Text(std::string_view) {}
};

class XmlParser {
 public:
  explicit XmlParser(XmlHandler* handler)
      : handler_(handler), p_(XML_ParserCreateNS(nullptr, kNsSep)) {
    if (p_ == nullptr) return;
    XML_SetUserData(p_, this);
    XML_SetElementHandler(p_, &OnStart, &OnEnd);
    XML_SetCharacterDataHandler(p_, &OnText);
    XML_SetStartDoctypeDeclHandler(p_, &OnDoctype);
  }
  ~XmlParser() {
    if (p_ != nullptr) XML_ParserFree(p_);
  }
  XmlParser(const XmlParser&) = delete;
  XmlParser& operator=(const XmlParser&) = delete;

  XML_Parser get() const { return p_; }
  // Called from a handler: hands control back to the caller of XML_Parse*.
  void Suspend() { XML_StopParser(p_, XML_TRUE); }
  std::string Error() const {
    if (p_ == nullptr) return "out of memory";
    if (doctype_) return "it contains a DTD (<!DOCTYPE>), which spreadsheets never do";
    return std::string(XML_ErrorString(XML_GetErrorCode(p_))) + " at XML line " +
           std::to_string(XML_GetCurrentLineNumber(p_)) + ", column " +
           std::to_string(XML_GetCurrentColumnNumber(p_));
  }

 private:
  static XmlParser* Self(void* data) { return static_cast<XmlParser*>(data); }
  static void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** attrs) {
    Self(data)->handler_->Start(LocalName(name), attrs);
  }
  static void XMLCALL OnEnd(void* data, const XML_Char* name) {
    Self(data)->handler_->End(LocalName(name));
  }
  static void XMLCALL OnText(void* data, const XML_Char* s, int len) {
    Self(data)->handler_->Text(std::string_view(s, static_cast<size_t>(len)));
  }
  // Entity definitions only invite expansion attacks; OOXML never uses them.
  static void XMLCALL OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*,
                                int) {
    Self(data)->doctype_ = true;
    XML_StopParser(Self(data)->p_, XML_FALSE);
  }

  XmlHandler* handler_;
  XML_Parser p_;
  bool doctype_ = false;
};

// ---------------------------------------------------------------------------
// Package parts read whole (they are small, or their content is kept anyway).

struct Relationship {
  std::string type;
  std::string target;  // resolved part name, e.g. "xl/worksheets/sheet1.xml"
};

class RelsHandler : public XmlHandler {
 public:
  explicit RelsHandler(std::string base_dir) : base_dir_(std::move(base_dir)) {}
  void Start(std::string_view name, const XML_Char** attrs) override {
    if (name != "Relationship") return;
    const char* id = Attr(attrs, "Id");
    const char* type = Attr(attrs, "Type");
    const char* target = Attr(attrs, "Target");
    const char* mode = Attr(attrs, "TargetMode");
    if (id == nullptr || target == nullptr) return;
    if (mode != nullptr && std::string_view(mode) == "External") return;
    rels[id] = Relationship{type ? type : "", ResolvePart(base_dir_, target)};
  }
  void End(std::string_view) override {}

  std::unordered_map<std::string, Relationship> rels;

 private:
  std::string base_dir_;
};

struct SheetEntry {
  std::string name;
  std::string rel_id;
};

class WorkbookHandler : public XmlHandler {
 public:
  void Start(std::string_view name, const XML_Char** attrs) override {
    if (name == "workbook") {
      saw_workbook = true;
    } else if (name == "workbookPr") {
      const char* v = Attr(attrs, "date1904");
      if (v != nullptr) {
        std::string_view s = Trim(v);
        date1904 = s == "1" || s == "true";
      }
    } else if (name == "sheets") {
      in_sheets_ = true;
    } else if (name == "sheet" && in_sheets_) {
      const char* sheet_name = Attr(attrs, "name");
      const char* id = Attr(attrs, "id", /*namespaced=*/true);
      sheets.push_back(SheetEntry{sheet_name ? sheet_name : "", id ? id : ""});
    }
  }
  void End(std::string_view name) override {
    if (name == "sheets") in_sheets_ = false;
  }

  bool saw_workbook = false;
  bool date1904 = false;
  std::vector<SheetEntry> sheets;

 private:
  bool in_sheets_ = false;
};

// All shared strings in one buffer: per-string overhead is one offset, which
// matters for sheets with millions of distinct IDs.
class SharedStrings {
 public:
  void Add(std::string_view s) {
    blob_.append(s);
    ends_.push_back(blob_.size());
  }
  size_t size() const { return ends_.size(); }
  std::string_view Get(size_t i) const {
    size_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(blob_).substr(begin, ends_[i] - begin);
  }

 private:
  std::string blob_;
  std::vector<uint64_t> ends_;
};

class SharedStringsHandler : public XmlHandler {
 public:
  explicit SharedStringsHandler(SharedStrings* sst) : sst_(sst) {}
  void Start(std::string_view name, const XML_Char**) override {
    if (name == "si") {
      in_si_ = true;
      text_.clear();
    } else if (name == "rPh") {
      ++phonetic_;  // furigana runs are a reading aid, not the cell's text
    } else if (name == "t" && in_si_ && phonetic_ == 0) {
      in_t_ = true;
    }
  }
  void End(std::string_view name) override {
    if (name == "t") {
      in_t_ = false;
    } else if (name == "rPh") {
      if (phonetic_ > 0) --phonetic_;
    } else if (name == "si" && in_si_) {
      DecodeXString(&text_);
      sst_->Add(text_);
      in_si_ = false;
    }
  }
  void Text(std::string_view s) override {
    if (in_t_ && text_.size() < kMaxCellBytes) text_.append(s);
  }

 private:
  SharedStrings* sst_;
  std::string text_;
  bool in_si_ = false;
  bool in_t_ = false;
  int phonetic_ = 0;
};

class StylesHandler : public XmlHandler {
 public:
  void Start(std::string_view name, const XML_Char** attrs) override {
    if (name == "numFmts") {
      in_num_fmts_ = true;
    } else if (name == "numFmt" && in_num_fmts_) {
      const char* id = Attr(attrs, "numFmtId");
      const char* code = Attr(attrs, "formatCode");
      int n = 0;
      if (id != nullptr && code != nullptr && ParseInt(id, &n)) custom_[n] = IsDateFormatCode(code);
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_ && xf_formats_.size() < kMaxStyles) {
      const char* id = Attr(attrs, "numFmtId");
      int n = 0;
      if (id == nullptr || !ParseInt(id, &n)) n = 0;
      xf_formats_.push_back(n);
    }
  }
  void End(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
    if (name == "numFmts") in_num_fmts_ = false;
  }

  // Per cell style (the s attribute): 1 when it shows a date or time.
  std::vector<uint8_t> DateStyles() const {
    std::vector<uint8_t> out;
    out.reserve(xf_formats_.size());
    for (int id : xf_formats_) {
      auto it = custom_.find(id);
      out.push_back(it != custom_.end() ? it->second : IsBuiltinDateFormat(id));
    }
    return out;
  }

 private:
  std::unordered_map<int, bool> custom_;
  std::vector<int> xf_formats_;
  bool in_num_fmts_ = false;
  bool in_cell_xfs_ = false;
};

// ---------------------------------------------------------------------------
// The worksheet, parsed as it is inflated. The handler assembles one row at a
// time and suspends expat when a non-empty row is complete.

struct SheetContext {
  const SharedStrings* sst = nullptr;
  const std::vector<uint8_t>* date_styles = nullptr;
  bool date1904 = false;
};

class SheetHandler : public XmlHandler {
 public:
  explicit SheetHandler(SheetContext ctx) : ctx_(ctx) {}
  void set_parser(XmlParser* parser) { parser_ = parser; }

  bool row_ready() const { return ready_; }
  int64_t row_number() const { return row_num_; }

  // After the header: data rows are aligned to its width.
  void SetWidth(size_t width) {
    width_ = width;
    header_mode_ = false;
  }

  // Moves the completed row into `rec`.
  void TakeRow(Record* rec) {
    rec->stream = 0;
    rec->line = row_num_;
    rec->location.clear();
    rec->merge_with_current = false;
    rec->fields.swap(fields_);
    rec->numeric.swap(numeric_);
    rec->problem = problem_;
    if (rec->problem.ok() && extra_col_ >= 0) {
      std::string col = ColumnName(extra_col_);
      std::string last = ColumnName(static_cast<int>(width_) - 1);
      rec->problem = Status::InvalidInput("the row has a value in column " + col +
                                              ", beyond the header, which ends at column " + last +
                                              "; delete the value or give its column a header",
                                          "该行在" + col + "列有值，超出了表头范围（表头止于" +
                                              last + "列）；请删除该值或为该列添加表头");
    }
    ready_ = false;
  }

  void Start(std::string_view name, const XML_Char** attrs) override {
    if (name == "row") {
      StartRow(attrs);
    } else if (!in_row_) {
      return;
    } else if (name == "c") {
      StartCell(attrs);
    } else if (!in_cell_) {
      return;
    } else if (name == "v") {
      in_v_ = true;
    } else if (name == "is") {
      in_is_ = true;
      have_is_ = true;
    } else if (name == "rPh") {
      ++phonetic_;
    } else if (name == "t" && in_is_ && phonetic_ == 0) {
      in_t_ = true;
    }
  }

  void End(std::string_view name) override {
    if (name == "row") {
      if (in_row_) EndRow();
    } else if (name == "c") {
      if (in_cell_) EndCell();
    } else if (name == "v") {
      in_v_ = false;
    } else if (name == "t") {
      in_t_ = false;
    } else if (name == "is") {
      in_is_ = false;
    } else if (name == "rPh") {
      if (phonetic_ > 0) --phonetic_;
    }
  }

  void Text(std::string_view s) override {
    std::string* out = in_v_ ? &v_ : in_t_ ? &is_ : nullptr;
    if (out == nullptr) return;
    if (out->size() < kMaxCellBytes) {
      out->append(s);
    } else {
      too_long_ = true;
    }
  }

 private:
  enum class Type : uint8_t { kNumber, kShared, kInline, kFormulaText, kBool, kError, kOther };

  void StartRow(const XML_Char** attrs) {
    in_row_ = true;
    in_cell_ = false;
    int64_t r = 0;
    const char* ref = Attr(attrs, "r");
    row_num_ = (ref != nullptr && ParseInt(ref, &r) && r > 0) ? r : last_row_ + 1;
    last_col_ = -1;
    extra_col_ = -1;
    any_value_ = false;
    problem_ = Status::OK();
    if (header_mode_) {
      fields_.clear();
      numeric_.clear();
    } else {
      fields_.resize(width_);
      for (std::string& f : fields_) f.clear();
      numeric_.assign(width_, 0);
    }
  }

  void StartCell(const XML_Char** attrs) {
    in_cell_ = true;
    in_v_ = in_is_ = in_t_ = have_is_ = too_long_ = false;
    phonetic_ = 0;
    v_.clear();
    is_.clear();
    int col = 0;
    col_ = ParseCellColumn(Attr(attrs, "r"), &col) ? col : last_col_ + 1;
    if (col_ >= kMaxColumns) col_ = -1;
    if (col_ >= 0) last_col_ = col_;
    const char* t = Attr(attrs, "t");
    std::string_view type = t ? Trim(t) : std::string_view("n");
    type_ = type == "n"           ? Type::kNumber
            : type == "s"         ? Type::kShared
            : type == "inlineStr" ? Type::kInline
            : type == "str"       ? Type::kFormulaText
            : type == "b"         ? Type::kBool
            : type == "e"         ? Type::kError
                                  : Type::kOther;  // "d": an ISO 8601 date as text
    const char* s = Attr(attrs, "s");
    if (s == nullptr || !ParseInt(s, &style_)) style_ = 0;
  }

  void SetProblem(const std::string& en, const std::string& zh) {
    if (problem_.ok()) problem_ = Status::InvalidInput(en, zh);
  }

  // The cell's value, pointing into v_, is_, the shared strings or num_.
  std::string_view CellValue(bool* numeric) {
    *numeric = false;
    switch (type_) {
      case Type::kShared: {
        size_t idx = 0;
        if (Trim(v_).empty()) return {};
        if (ParseInt(v_, &idx) && idx < ctx_.sst->size()) return ctx_.sst->Get(idx);
        SetProblem("the cell in column " + ColumnName(col_) + " refers to shared text number " +
                       std::string(Trim(v_)) + ", which the file does not have (it is damaged)",
                   "第" + ColumnName(col_) + "列的单元格引用了文件中不存在的共享文本（编号" +
                       std::string(Trim(v_)) + "），文件已损坏");
        return {};
      }
      case Type::kInline:
        if (!have_is_) return v_;
        DecodeXString(&is_);
        return is_;
      case Type::kFormulaText:
        DecodeXString(&v_);
        return v_;
      case Type::kBool: {
        std::string_view b = Trim(v_);
        if (b.empty()) return {};
        return (b == "1" || b == "true") ? "1" : "0";
      }
      case Type::kError:
      case Type::kOther:
        return v_;
      case Type::kNumber:
        break;
    }
    double d = 0;
    if (!ParseNumber(v_, &d)) return v_;
    *numeric = true;
    if (!ctx_.date1904 || style_ < 0 || static_cast<size_t>(style_) >= ctx_.date_styles->size() ||
        !(*ctx_.date_styles)[style_]) {
      return v_;
    }
    // Dates count from 1904 in this workbook; the importer reads 1900 serials.
    char buf[64];
    auto [end, ec] =
        std::to_chars(buf, buf + sizeof(buf), d + k1904Offset, std::chars_format::fixed);
    if (ec != std::errc()) return v_;
    num_.assign(buf, end);
    return num_;
  }

  void EndCell() {
    in_cell_ = in_v_ = in_is_ = in_t_ = false;
    if (col_ < 0) {
      SetProblem(
          "a cell in this row has a reference beyond Excel's last column XFD "
          "(the file is damaged)",
          "该行有单元格的位置超出了Excel的最后一列XFD（文件已损坏）");
      return;
    }
    if (too_long_) {
      SetProblem(
          "the cell in column " + ColumnName(col_) + " holds more text than Excel allows in a cell",
          "第" + ColumnName(col_) + "列的单元格文本超出了Excel单元格的长度上限");
    }
    bool numeric = false;
    std::string_view value = CellValue(&numeric);
    bool blank = Trim(value).empty();
    if (!blank) any_value_ = true;
    size_t col = static_cast<size_t>(col_);
    if (header_mode_) {
      if (col >= fields_.size()) {
        fields_.resize(col + 1);
        numeric_.resize(col + 1, 0);
      }
    } else if (col >= width_) {
      if (!blank && extra_col_ < 0) extra_col_ = col_;
      return;
    }
    fields_[col].assign(value);
    numeric_[col] = numeric ? 1 : 0;
  }

  void EndRow() {
    in_row_ = in_cell_ = false;
    last_row_ = row_num_;
    if (!any_value_ && problem_.ok()) return;  // entirely empty rows are skipped
    ready_ = true;
    parser_->Suspend();
  }

  SheetContext ctx_;
  XmlParser* parser_ = nullptr;
  bool header_mode_ = true;
  size_t width_ = 0;

  bool in_row_ = false;
  int64_t row_num_ = 0;
  int64_t last_row_ = 0;
  int last_col_ = -1;
  int extra_col_ = -1;
  bool any_value_ = false;
  Status problem_;
  std::vector<std::string> fields_;
  std::vector<uint8_t> numeric_;
  bool ready_ = false;

  bool in_cell_ = false;
  int col_ = 0;
  Type type_ = Type::kNumber;
  int style_ = 0;
  bool in_v_ = false;
  bool in_is_ = false;
  bool in_t_ = false;
  bool have_is_ = false;
  bool too_long_ = false;
  int phonetic_ = 0;
  std::string v_;
  std::string is_;
  std::string num_;
};

std::string QuotedList(const std::vector<SheetEntry>& sheets, bool chinese) {
  std::string out;
  for (const SheetEntry& s : sheets) {
    if (!out.empty()) out += chinese ? "、" : ", ";
    out += chinese ? "“" + s.name + "”" : "'" + s.name + "'";
  }
  return out;
}

std::string SheetKey(std::string_view name) { return AsciiLower(NormalizeForCompare(name)); }

}  // namespace

// ---------------------------------------------------------------------------

struct XlsxReader::Impl {
  // A row read ahead while looking for the header, still to be delivered.
  std::optional<Record> pending;

  ~Impl() {
    parser.reset();
    if (entry_open) unzCloseCurrentFile(zip);
    if (zip != nullptr) unzClose(zip);
  }

  Status NotXlsx(const std::string& why_en, const std::string& why_zh) const {
    return Status::InvalidInput(
        file + " is not an XLSX workbook (" + why_en +
            "); open it in Excel and save it as \"Excel Workbook (*.xlsx)\"",
        "文件" + file + "不是XLSX工作簿（" + why_zh +
            "）；请用Excel打开并另存为“Excel工作簿(*.xlsx)”");
  }
  Status Damaged(const std::string& part, const std::string& why_en,
                 const std::string& why_zh) const {
    return Status::InvalidInput(file + " is damaged: its part " + part + " cannot be read (" +
                                    why_en + "); open it in Excel and save it again",
                                "文件" + file + "已损坏：其中的" + part + "无法读取（" + why_zh +
                                    "）；请用Excel打开后重新保存");
  }

  // Makes `part` the zip's current entry. OPC part names are case-insensitive.
  bool Locate(const std::string& part) {
    if (part.empty() || part.size() >= 256) return false;
    return unzLocateFile(zip, part.c_str(), 1) == UNZ_OK ||
           unzLocateFile(zip, part.c_str(), 2) == UNZ_OK;
  }
  bool LocateTarget(const std::string& part) { return Locate(part) || Locate(PercentDecode(part)); }

  // Opens the located entry for inflating.
  Status OpenEntry(const std::string& part, uint64_t* size) {
    unz_file_info64 info;
    if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) {
      return Damaged(part, "its zip entry is broken", "压缩条目损坏");
    }
    if (info.flag & 1) {
      return Status::InvalidInput(
          file + " is password-protected; remove the password in Excel and save it again",
          "文件" + file + "设有密码保护；请在Excel中取消密码后重新保存");
    }
    if (unzOpenCurrentFile(zip) != UNZ_OK) {
      return Damaged(part, "it is compressed in a way this program cannot read",
                     "其压缩方式无法识别");
    }
    entry_open = true;
    if (size != nullptr) *size = info.uncompressed_size;
    return Status::OK();
  }

  Status CloseEntry(const std::string& part) {
    entry_open = false;
    if (unzCloseCurrentFile(zip) == UNZ_CRCERROR) {
      return Damaged(part, "its checksum does not match", "校验和不符");
    }
    return Status::OK();
  }

  // Parses the located entry `part` to its end.
  Status ParseWhole(const std::string& part, XmlHandler* handler) {
    XmlParser parser(handler);
    if (parser.get() == nullptr) return Status::Internal("cannot create an XML parser");
    QF_RETURN_IF_ERROR(OpenEntry(part, nullptr));
    for (;;) {
      void* buf = XML_GetBuffer(parser.get(), kChunk);
      if (buf == nullptr) return Damaged(part, parser.Error(), parser.Error());
      int n = unzReadCurrentFile(zip, buf, kChunk);
      if (n < 0) {
        return Damaged(part, "the compressed data is broken", "压缩数据损坏");
      }
      if (XML_ParseBuffer(parser.get(), n, n == 0) != XML_STATUS_OK) {
        return Damaged(part, parser.Error(), parser.Error());
      }
      if (n == 0) break;
    }
    return CloseEntry(part);
  }

  // Feeds expat until it suspends on a complete row, or the sheet ends.
  Status Pump() {
    XML_Parser p = parser->get();
    XML_ParsingStatus ps;
    XML_GetParsingStatus(p, &ps);
    XML_Status st;
    if (ps.parsing == XML_FINISHED) {
      finished = true;
      return Status::OK();
    }
    if (ps.parsing == XML_SUSPENDED) {
      st = XML_ResumeParser(p);
    } else {
      void* buf = XML_GetBuffer(p, kChunk);
      if (buf == nullptr) return SheetError();
      int n = unzReadCurrentFile(zip, buf, kChunk);
      if (n < 0) {
        return SheetDamaged("the compressed data is broken", "压缩数据损坏");
      }
      consumed += static_cast<uint64_t>(n);
      if (n == 0 && !CloseEntry(sheet_part).ok()) {
        return SheetDamaged("its checksum does not match", "校验和不符");
      }
      st = XML_ParseBuffer(p, n, n == 0);
    }
    if (st == XML_STATUS_ERROR) return SheetError();
    XML_GetParsingStatus(p, &ps);
    if (ps.parsing == XML_FINISHED) finished = true;
    return Status::OK();
  }

  Status SheetDamaged(const std::string& why_en, const std::string& why_zh) const {
    int64_t row = handler->row_number();
    std::string where_en = row > 0 ? "near row " + std::to_string(row) : "at its start";
    std::string where_zh = row > 0 ? "在第" + std::to_string(row) + "行附近" : "在开头处";
    return Status::InvalidInput("sheet '" + sheet_name + "' of " + file + " is damaged " +
                                    where_en + ": " + why_en +
                                    "; open the file in Excel and save it again",
                                "文件" + file + "的工作表“" + sheet_name + "”" + where_zh +
                                    "已损坏：" + why_zh + "；请用Excel打开后重新保存");
  }
  Status SheetError() const {
    std::string why = parser->Error();
    return SheetDamaged(why, why);
  }

  std::string file;  // the file's name, for messages
  std::string sheet_name;
  std::string sheet_part;
  unzFile zip = nullptr;
  bool entry_open = false;
  std::vector<StreamInfo> streams;
  SharedStrings sst;
  std::vector<uint8_t> date_styles;
  uint64_t sheet_size = 0;
  uint64_t consumed = 0;
  bool finished = false;
  Status error;
  std::unique_ptr<SheetHandler> handler;
  std::unique_ptr<XmlParser> parser;
};

XlsxReader::XlsxReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XlsxReader::~XlsxReader() = default;

Result<std::unique_ptr<XlsxReader>> XlsxReader::Open(const std::string& path,
                                                     const std::string& dataset,
                                                     const std::string& sheet) {
  auto m = std::make_unique<Impl>();
  m->file = std::filesystem::path(path).filename().string();
  if (m->file.empty()) m->file = path;

  // Recognise what the file is before asking minizip, to say something useful.
  unsigned char magic[4] = {0, 0, 0, 0};
  {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
    size_t n = std::fread(magic, 1, sizeof(magic), f);
    std::fclose(f);
    if (n == 0) return m->NotXlsx("the file is empty", "文件是空的");
  }
  if (std::memcmp(magic, "\xD0\xCF\x11\xE0", 4) == 0) {
    // OLE2: an Excel 97-2003 workbook, or an encrypted XLSX, which Excel wraps the same way.
    return Status::InvalidInput(
        m->file +
            " is in the old Excel 97-2003 format (.xls), or is a password-protected "
            "workbook; open it in Excel, remove any password and save it as \"Excel "
            "Workbook (*.xlsx)\"",
        "文件" + m->file +
            "是旧版Excel 97-2003格式（.xls），或设有密码保护；请用Excel打开，"
            "取消密码后另存为“Excel工作簿(*.xlsx)”");
  }
  m->zip = unzOpen64(path.c_str());
  if (m->zip == nullptr) {
    return m->NotXlsx(
        "it is not a ZIP package as XLSX files are; it may be a CSV, HTML or "
        "other file renamed to .xlsx, or a file that was not completely copied",
        "它不是XLSX应有的ZIP压缩包；可能是改了扩展名的CSV、HTML等文件，或文件未完整复制");
  }

  // The workbook part is named by the package relationships; xl/workbook.xml by convention.
  std::string workbook_part = "xl/workbook.xml";
  if (m->Locate("_rels/.rels")) {
    RelsHandler root("");
    if (m->ParseWhole("_rels/.rels", &root).ok()) {
      for (const auto& [id, rel] : root.rels) {
        if (EndsWith(rel.type, "/officeDocument")) workbook_part = rel.target;
      }
    }
  }
  if (!m->LocateTarget(workbook_part) && !m->Locate(workbook_part = "xl/workbook.xml")) {
    return m->NotXlsx("it holds no xl/workbook.xml; it may be a Word or other Office file",
                      "其中没有xl/workbook.xml；可能是Word等其他Office文件");
  }
  WorkbookHandler wb;
  QF_RETURN_IF_ERROR(m->ParseWhole(workbook_part, &wb));
  if (!wb.saw_workbook) {
    return m->NotXlsx("it holds no workbook; it may be a Word or other Office file",
                      "其中没有工作簿；可能是Word等其他Office文件");
  }
  if (wb.sheets.empty()) {
    return Status::InvalidInput(m->file + " has no sheets; add a sheet with the data",
                                "文件" + m->file + "中没有工作表；请添加含数据的工作表");
  }

  const std::string base_dir = DirOf(workbook_part);
  std::string rels_part = base_dir + "_rels/" + workbook_part.substr(base_dir.size()) + ".rels";
  RelsHandler rels(base_dir);
  if (!m->Locate(rels_part)) {
    return m->Damaged(rels_part, "it is missing", "该部分缺失");
  }
  QF_RETURN_IF_ERROR(m->ParseWhole(rels_part, &rels));
  auto rel_of = [&](const SheetEntry& s) -> const Relationship* {
    auto it = rels.rels.find(s.rel_id);
    return it == rels.rels.end() ? nullptr : &it->second;
  };

  // Choose the sheet: by exact name, by name ignoring case and spacing, or by number.
  const SheetEntry* chosen = nullptr;
  if (Trim(sheet).empty()) {
    // The first worksheet; a leading chart sheet holds no table.
    for (const SheetEntry& s : wb.sheets) {
      const Relationship* rel = rel_of(s);
      if (rel != nullptr && EndsWith(rel->type, "/worksheet")) {
        chosen = &s;
        break;
      }
    }
    if (chosen == nullptr) chosen = &wb.sheets[0];
  } else {
    for (const SheetEntry& s : wb.sheets) {
      if (s.name == sheet) {
        chosen = &s;
        break;
      }
    }
    if (chosen == nullptr) {
      std::string key = SheetKey(sheet);
      for (const SheetEntry& s : wb.sheets) {
        if (SheetKey(s.name) == key) {
          chosen = &s;
          break;
        }
      }
    }
    size_t number = 0;
    if (chosen == nullptr && ParseInt(sheet, &number) && number >= 1 &&
        number <= wb.sheets.size()) {
      chosen = &wb.sheets[number - 1];
    }
    if (chosen == nullptr) {
      return Status::InvalidInput(
          m->file + " has no sheet '" + sheet + "'; its sheets are: " +
              QuotedList(wb.sheets, false) + " (give a sheet's name or its number, from 1)",
          "文件" + m->file + "中没有名为“" + sheet + "”的工作表；其中的工作表有：" +
              QuotedList(wb.sheets, true) + "（请给出工作表名称或从1开始的序号）");
    }
  }
  m->sheet_name = chosen->name;
  const Relationship* rel = rel_of(*chosen);
  if (rel == nullptr) {
    return m->Damaged(workbook_part,
                      "it lists sheet '" + chosen->name + "' but not where its data is",
                      "其中列出了工作表“" + chosen->name + "”，但没有其数据位置");
  }
  if (!EndsWith(rel->type, "/worksheet")) {
    return Status::InvalidInput(
        "sheet '" + chosen->name + "' of " + m->file +
            " is a chart or macro sheet, not a table; choose a sheet with the data",
        "文件" + m->file + "的工作表“" + chosen->name +
            "”是图表或宏表而不是数据表；请选择含数据的工作表");
  }
  m->sheet_part = rel->target;

  // Shared strings; styles only matter for 1904 workbooks, to find date cells.
  std::string sst_part = base_dir + "sharedStrings.xml";
  std::string styles_part = base_dir + "styles.xml";
  for (const auto& [id, r] : rels.rels) {
    if (EndsWith(r.type, "/sharedStrings")) sst_part = r.target;
    if (EndsWith(r.type, "/styles")) styles_part = r.target;
  }
  if (m->LocateTarget(sst_part)) {
    SharedStringsHandler h(&m->sst);
    QF_RETURN_IF_ERROR(m->ParseWhole(sst_part, &h));
  }
  if (wb.date1904 && m->LocateTarget(styles_part)) {
    StylesHandler h;
    QF_RETURN_IF_ERROR(m->ParseWhole(styles_part, &h));
    m->date_styles = h.DateStyles();
  }

  if (!m->LocateTarget(m->sheet_part)) {
    return m->Damaged(m->sheet_part, "the data of sheet '" + m->sheet_name + "' is missing",
                      "工作表“" + m->sheet_name + "”的数据缺失");
  }
  QF_RETURN_IF_ERROR(m->OpenEntry(m->sheet_part, &m->sheet_size));
  m->handler = std::make_unique<SheetHandler>(SheetContext{&m->sst, &m->date_styles, wb.date1904});
  m->parser = std::make_unique<XmlParser>(m->handler.get());
  if (m->parser->get() == nullptr) return Status::Internal("cannot create an XML parser");
  m->handler->set_parser(m->parser.get());

  // The first non-empty row is the header.
  while (!m->handler->row_ready()) {
    if (m->finished) {
      return Status::InvalidInput(
          "sheet '" + m->sheet_name + "' of " + m->file +
              " is empty: it has no header row; choose the sheet with the data",
          "文件" + m->file + "的工作表“" + m->sheet_name +
              "”是空的：没有表头行；请选择含数据的工作表");
    }
    QF_RETURN_IF_ERROR(m->Pump());
  }
  Record header;
  m->handler->TakeRow(&header);
  if (!header.problem.ok()) {
    return header.problem.WithContext(
        "the header row (row " + std::to_string(header.line) + ") of sheet '" + m->sheet_name +
            "' of " + m->file + " cannot be read",
        "文件" + m->file + "的工作表“" + m->sheet_name + "”的表头行（第" +
            std::to_string(header.line) + "行）无法读取");
  }
  // Government spreadsheets often carry a title row ("2024年1月低保发放明细表",
  // one merged cell) above the header: a row with a single value followed by a
  // row with several is a title, not the header.
  auto non_empty = [](const Record& r) {
    size_t n = 0;
    for (const std::string& f : r.fields) n += Trim(f).empty() ? 0 : 1;
    return n;
  };
  for (int titles = 0; titles < 3 && non_empty(header) == 1; ++titles) {
    while (!m->handler->row_ready() && !m->finished) QF_RETURN_IF_ERROR(m->Pump());
    if (!m->handler->row_ready()) break;
    Record next;
    m->handler->TakeRow(&next);
    if (!next.problem.ok() || non_empty(next) < 2) {
      // A one-column sheet: the first row was the header after all.
      m->pending = std::move(next);
      break;
    }
    header = std::move(next);
  }
  while (!header.fields.empty() && Trim(header.fields.back()).empty()) header.fields.pop_back();
  StreamInfo info;
  info.dataset = dataset;
  info.header.reserve(header.fields.size());
  for (const std::string& h : header.fields) info.header.emplace_back(Trim(h));
  m->handler->SetWidth(info.header.size());
  if (m->pending) {
    // Read before the header's width was known: align it now.
    Record& r = *m->pending;
    size_t width = info.header.size();
    bool extra = false;
    for (size_t i = width; i < r.fields.size(); ++i) extra = extra || !Trim(r.fields[i]).empty();
    if (extra && r.problem.ok()) {
      r.problem = Status::InvalidInput("the row has values beyond the header's columns",
                                       "该行在表头之外的列中有值");
    }
    r.fields.resize(width);
    r.numeric.resize(width);
  }
  m->streams.push_back(std::move(info));
  return std::unique_ptr<XlsxReader>(new XlsxReader(std::move(m)));
}

const std::vector<StreamInfo>& XlsxReader::streams() const { return impl_->streams; }

Result<bool> XlsxReader::Next(Record* rec) {
  Impl& m = *impl_;
  if (m.pending) {
    *rec = std::move(*m.pending);
    m.pending.reset();
    return true;
  }
  for (;;) {
    if (m.handler->row_ready()) {
      m.handler->TakeRow(rec);
      return true;
    }
    if (!m.error.ok()) return m.error;
    if (m.finished) return false;
    Status s = m.Pump();
    if (!s.ok()) {
      m.error = s;
      return s;
    }
  }
}

double XlsxReader::Progress() const {
  const Impl& m = *impl_;
  if (m.finished) return 1;
  if (m.sheet_size == 0) return 0;
  return std::min(1.0, static_cast<double>(m.consumed) / static_cast<double>(m.sheet_size));
}

}  // namespace qf
