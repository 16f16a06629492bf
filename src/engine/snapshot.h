// The in-memory columnar snapshot the models read. Loaded once per scan from
// the current rows of the store: strings dictionary-encoded in one pool shared
// by every table (so an ID number in `welfare` and in `deaths` has the same
// code and joins are integer compares), money as integer fen, dates as day
// numbers, datetimes as local seconds, periods as month numbers. Read-only
// after loading, so models run on it in parallel without locks.
#pragma once

#include <cmath>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "ingest/dataset.h"

namespace qf {
class Db;
}

namespace qf::engine {

// Null of an integer column.
inline constexpr int64_t kNull = std::numeric_limits<int64_t>::min();
// Code 0 of a string column means null (or empty).
inline constexpr uint32_t kNoString = 0;

// Interns strings; code 0 is the empty string. Not thread-safe while loading.
class StringPool {
 public:
  StringPool();
  uint32_t Intern(std::string_view s);
  // kNoString when the pool has never seen `s` (so nothing can equal it).
  uint32_t Find(std::string_view s) const;
  std::string_view Get(uint32_t code) const { return views_[code]; }
  size_t size() const { return views_.size(); }
  size_t bytes() const { return bytes_; }

 private:
  // Open addressing with linear probing over codes (0 = empty slot): a scan
  // interns tens of millions of cells, and node-based maps spent most of the
  // load time allocating and chasing pointers.
  void Grow();
  size_t Slot(std::string_view s, size_t hash) const;

  std::deque<std::string> chunks_;  // stable storage; views point into it
  std::vector<std::string_view> views_;
  std::vector<uint32_t> slots_;
  std::vector<uint32_t> hashes_;  // low 32 bits of each code's hash, to skip compares
  size_t bytes_ = 0;
};

// How a column is held in memory.
enum class Physical { kInt, kReal, kString };
Physical PhysicalOf(ColumnType t);

struct Column {
  std::string name;
  ColumnType type = ColumnType::kText;
  Physical physical = Physical::kString;
  // Exactly one of these has the table's row count, by `physical`:
  //  kInt: money fen, date day numbers (DaysFromCivil), datetime local seconds
  //        since 1970-01-01 00:00, period months (year*12 + month-1), year,
  //        bool 0/1, integer; kNull when absent.
  //  kReal: ratio, decimal; NaN when absent.
  //  kString: pool codes; kNoString when absent.
  std::vector<int64_t> ints;
  std::vector<double> reals;
  std::vector<uint32_t> codes;

  bool IsNull(size_t r) const {
    switch (physical) {
      case Physical::kInt:
        return ints[r] == kNull;
      case Physical::kReal:
        return std::isnan(reals[r]);
      case Physical::kString:
        return codes[r] == kNoString;
    }
    return true;
  }
};

// The current rows of one dataset, with the columns the models asked for.
class Table {
 public:
  explicit Table(const DatasetDef& def) : def_(&def) {}
  const DatasetDef& def() const { return *def_; }
  const std::string& name() const { return def_->name; }
  size_t size() const { return keys_.size(); }
  // The natural key of a row as stored (`|`-joined for composite keys).
  uint32_t key_code(size_t r) const { return keys_[r]; }
  // Source line of the row in its file (for evidence).
  int64_t line(size_t r) const { return lines_[r]; }

  bool has(std::string_view column) const;
  // The column; the dataset must declare it and the model must have asked for
  // it (a programming error otherwise — checked, aborts with a message).
  const Column& col(std::string_view column) const;

 private:
  friend class Snapshot;
  const DatasetDef* def_;
  std::vector<uint32_t> keys_;
  std::vector<int64_t> lines_;
  std::vector<std::unique_ptr<Column>> columns_;
};

// What a model reads: a dataset and some of its columns.
struct Input {
  std::string dataset;
  std::vector<std::string> columns;
};

class Snapshot {
 public:
  // Loads the union of `inputs` from the current rows of `db`. Datasets with
  // no rows load as empty tables. `progress(done, total)` is called per table.
  static Result<std::unique_ptr<Snapshot>> Load(
      Db* db, const std::vector<Input>& inputs,
      const std::function<void(size_t, size_t)>& progress = nullptr);

  // nullptr when the dataset was not asked for.
  const Table* table(std::string_view dataset) const;
  // The table; aborts with a message if it was not loaded (a model bug).
  const Table& at(std::string_view dataset) const;

  const StringPool& pool() const { return pool_; }
  std::string_view str(uint32_t code) const { return pool_.Get(code); }
  std::string_view key(const Table& t, size_t r) const { return pool_.Get(t.key_code(r)); }
  uint32_t find(std::string_view s) const { return pool_.Find(s); }

  // A cell formatted for people: dates "YYYY-MM-DD", datetimes
  // "YYYY-MM-DD HH:MM:SS", periods "YYYY-MM", money "1,234.50" (yuan),
  // booleans 是/否; "" when null.
  std::string Format(const Table& t, std::string_view column, size_t r) const;

  size_t memory_bytes() const;

 private:
  StringPool pool_;
  std::map<std::string, std::unique_ptr<Table>, std::less<>> tables_;
};

// Row lists by the code of a string column (or by an int column's value):
// the hash join every model needs. Null cells are skipped.
class RowIndex {
 public:
  RowIndex() = default;
  RowIndex(const Table& t, std::string_view column);
  // Rows whose column equals `code`; empty when none.
  const std::vector<uint32_t>& rows(int64_t code) const;
  bool contains(int64_t code) const { return map_.count(code) != 0; }
  const std::unordered_map<int64_t, std::vector<uint32_t>>& groups() const { return map_; }

 private:
  std::unordered_map<int64_t, std::vector<uint32_t>> map_;
};

// A map from pool codes (or other nonzero 32-bit keys) to 32-bit values in
// one flat open-addressing table, with a bit filter in front of it: the cheap
// probe for a join of millions of rows against a small table (the dead, the
// tenders found, the persons named). A node-based hash map costs a pointer
// chase per probe; here a miss is usually one bit test in a filter small
// enough for the L2 cache (16 bits per key, so ~6% of misses reach the
// table). Not thread-safe while inserting; probes may run in parallel.
class CodeTable {
 public:
  static constexpr uint32_t kAbsent = std::numeric_limits<uint32_t>::max();
  explicit CodeTable(size_t expected = 0);
  // Keeps the first value inserted for a key; key 0 (kNoString) is ignored.
  void Insert(uint32_t key, uint32_t value);
  // The value of `key`, or kAbsent.
  uint32_t Find(uint32_t key) const {
    const uint64_t h = Hash(key);
    const uint64_t bit = h >> filter_shift_;
    if (((filter_[bit >> 6] >> (bit & 63)) & 1) == 0) return kAbsent;
    for (size_t i = h >> slot_shift_;; i = (i + 1) & mask_) {
      uint64_t slot = slots_[i];
      if (slot == 0) return kAbsent;
      if (static_cast<uint32_t>(slot >> 32) == key) return static_cast<uint32_t>(slot);
    }
  }
  bool contains(uint32_t key) const { return Find(key) != kAbsent; }
  size_t size() const { return size_; }

 private:
  // Fibonacci hashing: codes are dense small integers, and the high bits of
  // the product spread them over the table and the filter.
  static uint64_t Hash(uint32_t key) { return uint64_t{key} * 0x9E3779B97F4A7C15ull; }
  void Rehash(size_t slots);

  std::vector<uint64_t> slots_;   // key << 32 | value; 0 = empty (key 0 is never stored)
  std::vector<uint64_t> filter_;  // bit (hash >> filter_shift_) set for every key inserted
  size_t mask_ = 0;
  int slot_shift_ = 63;
  int filter_shift_ = 63;
  size_t size_ = 0;
};

// Day number ↔ text helpers for models.
std::string DayText(int64_t day);             // "2024-03-08"
std::string DateTimeText(int64_t local_sec);  // "2024-03-08 09:30:00"
std::string PeriodText(int64_t month);        // "2024-03"
inline int64_t DayOf(int64_t local_sec) {
  return local_sec >= 0 ? local_sec / 86400 : -((-local_sec + 86399) / 86400);
}

}  // namespace qf::engine
