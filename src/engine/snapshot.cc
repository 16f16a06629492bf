#include "engine/snapshot.h"

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstdlib>

#include "common/text.h"
#include "common/time.h"
#include "store/db.h"
#include "store/schema.h"

namespace qf::engine {

namespace {

[[noreturn]] void Die(const std::string& msg) {
  std::fprintf(stderr, "qingfeng: internal error: %s\n", msg.c_str());
  std::abort();
}

int Digits(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// Stored forms are canonical (the importer wrote them), so parsing is strict.
int64_t ParseStoredDate(std::string_view s) {
  int y = Digits(s, 0, 4), m = Digits(s, 5, 2), d = Digits(s, 8, 2);
  if (y < 0 || m < 0 || d < 0) return kNull;
  return DaysFromCivil(y, m, d);
}

int64_t ParseStoredDateTime(std::string_view s) {
  int64_t day = ParseStoredDate(s);
  if (day == kNull) return kNull;
  int hh = Digits(s, 11, 2), mm = Digits(s, 14, 2), ss = Digits(s, 17, 2);
  if (hh < 0 || mm < 0) return day * 86400;
  if (ss < 0) ss = 0;
  return day * 86400 + hh * 3600 + mm * 60 + ss;
}

int64_t ParseStoredPeriod(std::string_view s) {
  int y = Digits(s, 0, 4), m = Digits(s, 5, 2);
  if (y < 0 || m < 1) return kNull;
  return int64_t{y} * 12 + (m - 1);
}

}  // namespace

StringPool::StringPool() {
  views_.emplace_back();
  hashes_.push_back(0);
  slots_.assign(1024, kNoString);
}

// The slot holding `s`, or the empty slot where it belongs.
size_t StringPool::Slot(std::string_view s, size_t hash) const {
  const size_t mask = slots_.size() - 1;
  const auto h32 = static_cast<uint32_t>(hash);
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    uint32_t code = slots_[i];
    if (code == kNoString || (hashes_[code] == h32 && views_[code] == s)) return i;
  }
}

void StringPool::Grow() {
  std::vector<uint32_t> old(slots_.size() * 2, kNoString);
  old.swap(slots_);
  const size_t mask = slots_.size() - 1;
  for (uint32_t code : old) {
    if (code == kNoString) continue;
    size_t i = hashes_[code] & mask;  // the low bits are all a slot needs
    while (slots_[i] != kNoString) i = (i + 1) & mask;
    slots_[i] = code;
  }
}

uint32_t StringPool::Intern(std::string_view s) {
  if (s.empty()) return kNoString;
  const size_t hash = std::hash<std::string_view>{}(s);
  size_t slot = Slot(s, hash);
  if (slots_[slot] != kNoString) return slots_[slot];
  // Strings are packed into 1 MiB chunks so views stay valid as the pool grows.
  constexpr size_t kChunk = size_t{1} << 20;
  if (chunks_.empty() || chunks_.back().capacity() - chunks_.back().size() < s.size()) {
    chunks_.emplace_back();
    chunks_.back().reserve(std::max(kChunk, s.size()));
  }
  std::string& chunk = chunks_.back();
  size_t at = chunk.size();
  chunk.append(s);
  std::string_view stored(chunk.data() + at, s.size());
  auto code = static_cast<uint32_t>(views_.size());
  views_.push_back(stored);
  hashes_.push_back(static_cast<uint32_t>(hash));
  slots_[slot] = code;
  bytes_ += s.size();
  if (views_.size() * 2 > slots_.size()) Grow();
  return code;
}

uint32_t StringPool::Find(std::string_view s) const {
  if (s.empty()) return kNoString;
  return slots_[Slot(s, std::hash<std::string_view>{}(s))];
}

Physical PhysicalOf(ColumnType t) {
  switch (t) {
    case ColumnType::kMoney:
    case ColumnType::kDate:
    case ColumnType::kDateTime:
    case ColumnType::kPeriod:
    case ColumnType::kYear:
    case ColumnType::kBool:
    case ColumnType::kInteger:
      return Physical::kInt;
    case ColumnType::kRatio:
    case ColumnType::kDecimal:
      return Physical::kReal;
    default:
      return Physical::kString;
  }
}

bool Table::has(std::string_view column) const {
  for (const auto& c : columns_) {
    if (c->name == column) return true;
  }
  return false;
}

const Column& Table::col(std::string_view column) const {
  for (const auto& c : columns_) {
    if (c->name == column) return *c;
  }
  Die("model reads " + name() + "." + std::string(column) + " without declaring it as an input");
}

const Table* Snapshot::table(std::string_view dataset) const {
  auto it = tables_.find(dataset);
  return it == tables_.end() ? nullptr : it->second.get();
}

const Table& Snapshot::at(std::string_view dataset) const {
  const Table* t = table(dataset);
  if (!t) Die("model reads dataset " + std::string(dataset) + " without declaring it");
  return *t;
}

Result<std::unique_ptr<Snapshot>> Snapshot::Load(
    Db* db, const std::vector<Input>& inputs, const std::function<void(size_t, size_t)>& progress) {
  // Union of the columns each dataset is read with, in declaration order.
  std::map<std::string, std::set<std::string>> wanted;
  for (const Input& in : inputs) {
    const DatasetDef* def = FindDataset(in.dataset);
    if (!def) return Status::InvalidArgument("model input names unknown dataset " + in.dataset);
    auto& cols = wanted[def->name];
    for (const std::string& c : in.columns) {
      if (def->ColumnIndex(c) < 0) {
        return Status::InvalidArgument("model input names unknown column " + in.dataset + "." + c);
      }
      cols.insert(c);
    }
  }
  auto snap = std::unique_ptr<Snapshot>(new Snapshot());
  size_t done = 0;
  for (const auto& [name, cols] : wanted) {
    const DatasetDef& def = *FindDataset(name);
    auto table = std::make_unique<Table>(def);
    std::vector<const ColumnDef*> defs;
    for (const ColumnDef& c : def.columns) {
      if (!cols.count(c.name)) continue;
      defs.push_back(&c);
      auto col = std::make_unique<Column>();
      col->name = c.name;
      col->type = c.type;
      col->physical = PhysicalOf(c.type);
      table->columns_.push_back(std::move(col));
    }
    QF_ASSIGN_OR_RETURN(
        int64_t exists,
        db->QueryInt("SELECT COUNT(*) FROM sqlite_master WHERE name='" + VersionsTable(def) + "'"));
    if (exists) {
      std::string sql = "SELECT _key, _line";
      for (const ColumnDef* c : defs) sql += ", " + QuoteIdent(c->name);
      sql += " FROM " + QuoteIdent(VersionsTable(def)) + " WHERE _current = 1 ORDER BY _row_id";
      QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare(sql));
      for (;;) {
        QF_ASSIGN_OR_RETURN(bool row, st.Step());
        if (!row) break;
        table->keys_.push_back(snap->pool_.Intern(st.TextView(0)));
        table->lines_.push_back(st.IsNull(1) ? 0 : st.Int(1));
        for (size_t i = 0; i < defs.size(); ++i) {
          Column& col = *table->columns_[i];
          int sc = static_cast<int>(i) + 2;
          bool null = st.IsNull(sc);
          switch (col.physical) {
            case Physical::kString:
              col.codes.push_back(null ? kNoString : snap->pool_.Intern(st.TextView(sc)));
              break;
            case Physical::kReal:
              col.reals.push_back(null ? std::nan("") : st.Real(sc));
              break;
            case Physical::kInt: {
              int64_t v = kNull;
              if (!null) {
                switch (col.type) {
                  case ColumnType::kDate:
                    v = ParseStoredDate(st.TextView(sc));
                    break;
                  case ColumnType::kDateTime:
                    v = ParseStoredDateTime(st.TextView(sc));
                    break;
                  case ColumnType::kPeriod:
                    v = ParseStoredPeriod(st.TextView(sc));
                    break;
                  default:
                    v = st.Int(sc);
                    break;
                }
              }
              col.ints.push_back(v);
              break;
            }
          }
        }
      }
    }
    for (auto& c : table->columns_) {
      c->ints.shrink_to_fit();
      c->codes.shrink_to_fit();
      c->reals.shrink_to_fit();
    }
    snap->tables_.emplace(name, std::move(table));
    if (progress) progress(++done, wanted.size());
  }
  return snap;
}

std::string DayText(int64_t day) {
  if (day == kNull) return "";
  return FormatDate(CivilFromDays(day));
}

std::string DateTimeText(int64_t local_sec) {
  if (local_sec == kNull) return "";
  return FormatLocalDateTime(local_sec);
}

std::string PeriodText(int64_t month) {
  if (month == kNull) return "";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", static_cast<int>(month / 12),
                static_cast<int>(month % 12) + 1);
  return buf;
}

std::string Snapshot::Format(const Table& t, std::string_view column, size_t r) const {
  const Column& c = t.col(column);
  if (c.IsNull(r)) return "";
  switch (c.physical) {
    case Physical::kString:
      return std::string(str(c.codes[r]));
    case Physical::kReal: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", c.reals[r]);
      return buf;
    }
    case Physical::kInt:
      switch (c.type) {
        case ColumnType::kMoney:
          return FormatFen(c.ints[r]);
        case ColumnType::kDate:
          return DayText(c.ints[r]);
        case ColumnType::kDateTime:
          return DateTimeText(c.ints[r]);
        case ColumnType::kPeriod:
          return PeriodText(c.ints[r]);
        case ColumnType::kBool:
          return c.ints[r] ? "是" : "否";
        default:
          return std::to_string(c.ints[r]);
      }
  }
  return "";
}

size_t Snapshot::memory_bytes() const {
  size_t n = pool_.bytes() + pool_.size() * (sizeof(std::string_view) + 12);
  for (const auto& [name, t] : tables_) {
    n += t->keys_.size() * (sizeof(uint32_t) + sizeof(int64_t));
    for (const auto& c : t->columns_) {
      n += c->ints.size() * 8 + c->reals.size() * 8 + c->codes.size() * 4;
    }
  }
  return n;
}

RowIndex::RowIndex(const Table& t, std::string_view column) {
  const Column& c = t.col(column);
  for (size_t r = 0; r < t.size(); ++r) {
    if (c.IsNull(r)) continue;
    int64_t v = c.physical == Physical::kString ? int64_t{c.codes[r]} : c.ints[r];
    map_[v].push_back(static_cast<uint32_t>(r));
  }
}

const std::vector<uint32_t>& RowIndex::rows(int64_t code) const {
  static const std::vector<uint32_t> kEmpty;
  auto it = map_.find(code);
  return it == map_.end() ? kEmpty : it->second;
}

CodeTable::CodeTable(size_t expected) {
  size_t slots = 16;
  while (slots < expected * 2) slots *= 2;  // load ≤ 1/2 keeps probe runs short
  Rehash(slots);
}

void CodeTable::Rehash(size_t slots) {
  std::vector<uint64_t> old(slots, 0);
  old.swap(slots_);
  mask_ = slots - 1;
  slot_shift_ = 64 - std::countr_zero(slots);
  // 8 filter bits per slot (≥ 16 per key), at least one 512-bit block.
  const size_t bits = std::max<size_t>(512, slots * 8);
  filter_shift_ = 64 - std::countr_zero(bits);
  filter_.assign(bits / 64, 0);
  for (uint64_t slot : old) {
    if (slot == 0) continue;
    const uint64_t h = Hash(static_cast<uint32_t>(slot >> 32));
    size_t i = h >> slot_shift_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = slot;
    const uint64_t bit = h >> filter_shift_;
    filter_[bit >> 6] |= uint64_t{1} << (bit & 63);
  }
}

void CodeTable::Insert(uint32_t key, uint32_t value) {
  if (key == kNoString) return;
  if ((size_ + 1) * 2 > slots_.size()) Rehash(slots_.size() * 2);
  const uint64_t h = Hash(key);
  size_t i = h >> slot_shift_;
  for (; slots_[i] != 0; i = (i + 1) & mask_) {
    if (static_cast<uint32_t>(slots_[i] >> 32) == key) return;
  }
  slots_[i] = (uint64_t{key} << 32) | value;
  const uint64_t bit = h >> filter_shift_;
  filter_[bit >> 6] |= uint64_t{1} << (bit & 63);
  ++size_;
}

}  // namespace qf::engine
