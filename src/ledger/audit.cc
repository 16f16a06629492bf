#include "ledger/audit.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>

#include "ingest/dataset.h"
#include "ingest/value.h"
#include "ledger/ledger.h"
#include "ledger/merkle.h"
#include "store/dataset_writer.h"
#include "store/schema.h"

namespace qf::ledger {

namespace {

constexpr const char* kInclusionType = "qingfeng-inclusion-proof-v1";
constexpr const char* kConsistencyType = "qingfeng-consistency-proof-v1";

bool BlobDigest(Stmt& st, int col, Digest* out) {
  if (sqlite3_column_bytes(st.raw(), col) != 32) return false;
  std::memcpy(out->data(), sqlite3_column_blob(st.raw(), col), 32);
  return true;
}

std::string Hex(const Digest& d) { return ToHex(d); }

Result<Digest> ParseHexDigest(const std::string& hex) {
  if (hex.size() != 64) return Status::Corruption("a hash is not 64 hex digits");
  Digest d;
  for (size_t i = 0; i < 32; ++i) {
    auto nib = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    int hi = nib(hex[2 * i]);
    int lo = nib(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return Status::Corruption("a hash is not lower-case hex");
    d[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return d;
}

// Reads one versions-table row as the importer wrote it: the SELECT puts
// _row_id, _key, _version, _row_hash first, then the declared columns, then _extra.
struct RowReader {
  const DatasetDef* def;
  std::vector<Value> values;
  std::string extra;

  static std::string Select(const DatasetDef& def) {
    std::string cols = "_row_id, _key, _version, _row_hash";
    for (const ColumnDef& c : def.columns) cols += ", " + QuoteIdent(c.name);
    return "SELECT " + cols + ", _extra FROM " + QuoteIdent(VersionsTable(def));
  }
  // The canonical bytes of the row under the cursor.
  std::string Canonical(Stmt& st) {
    values.assign(def->columns.size(), Value::Null());
    for (size_t i = 0; i < def->columns.size(); ++i) {
      int c = static_cast<int>(i) + 4;
      switch (st.ColumnType(c)) {
        case SQLITE_NULL:
          break;
        case SQLITE_INTEGER:
          values[i] = Value::Int(st.Int(c));
          break;
        case SQLITE_FLOAT:
          values[i] = Value::Real(st.Real(c));
          break;
        default:
          values[i] = Value::Text(st.Text(c));
      }
    }
    int extra_col = static_cast<int>(def->columns.size()) + 4;
    extra = st.IsNull(extra_col) ? "" : st.Text(extra_col);
    return CanonicalRow(*def, st.Text(1), values, extra);
  }
};

Problem Make(Problem::Kind kind, std::string dataset, std::string key, int64_t version,
             int64_t row_id, int64_t leaf, std::string en, std::string zh) {
  return Problem{kind, std::move(dataset), std::move(key), version, row_id,
                 leaf, std::move(en),      std::move(zh)};
}

// The import whose file leaf precedes `leaf` for `dataset`: names a deleted row's origin.
std::string OriginOf(Db* db, const std::string& dataset, int64_t leaf, bool zh) {
  auto st = db->Prepare(
      "SELECT i.id, i.file_name, i.started_at FROM ledger_leaves l JOIN imports i ON i.id = l.ref "
      "WHERE l.src = 1 AND l.idx < ? AND i.dataset = ? ORDER BY l.idx DESC LIMIT 1");
  if (!st.ok()) return "";
  st->BindInt(1, leaf);
  st->BindText(2, dataset);
  auto row = st->Step();
  if (!row.ok() || !row.value()) return "";
  return zh ? "，来自第" + std::to_string(st->Int(0)) + "次导入（文件" + st->Text(1) + "，" +
                  st->Text(2) + "）"
            : ", from import " + std::to_string(st->Int(0)) + " (file " + st->Text(1) + ", " +
                  st->Text(2) + ")";
}

// Candidates whose recomputed hash differs, kept to tell an edit from a move.
struct Mismatch {
  size_t problem;        // index into the report's problems
  Digest stored_leaf{};  // what the log committed to at this position (if any)
  Digest actual_leaf{};  // what the store holds now (if any)
  bool has_stored = false;
  bool has_actual = false;
};

Status VerifyTree(Db* db, const Verifier* verifier, VerifyReport* rep) {
  // Stored interior nodes, checked as the recomputation closes them.
  std::unordered_map<int64_t, Digest> stored_nodes;
  {
    QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT id, hash FROM ledger_nodes"));
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      Digest d{};
      BlobDigest(st, 1, &d);
      stored_nodes[st.Int(0)] = d;
    }
  }
  struct Cp {
    uint64_t size;
    Digest root;
    std::string note;
  };
  std::vector<Cp> cps;
  {
    QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT size, root, note FROM ledger_checkpoints "
                                             "ORDER BY size"));
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      Cp c{static_cast<uint64_t>(st.Int(0)), {}, st.Text(2)};
      BlobDigest(st, 1, &c.root);
      cps.push_back(std::move(c));
    }
  }
  auto ledger_problem = [&](int64_t leaf, std::string en, std::string zh) {
    rep->problems.push_back(
        Make(Problem::Kind::kLedger, "ledger", "", 0, 0, leaf, std::move(en), std::move(zh)));
  };
  size_t next_cp = 0;
  merkle::Frontier f;
  auto check_cp = [&]() {
    while (next_cp < cps.size() && cps[next_cp].size == f.size()) {
      const Cp& c = cps[next_cp++];
      ++rep->checkpoints_checked;
      rep->latest_checkpoint_size = c.size;
      Digest root = f.Root();
      if (root != c.root) {
        ledger_problem(
            -1,
            "the tree of size " + std::to_string(c.size) +
                " no longer has the root its checkpoint recorded: leaves were changed",
            "规模为" + std::to_string(c.size) + "的树根与检查点记录的不一致：叶子被改动");
      }
      Result<Checkpoint> parsed =
          verifier ? VerifyCheckpoint(c.note, *verifier) : [&]() -> Result<Checkpoint> {
        size_t split = c.note.rfind("\n\n");
        if (split == std::string::npos) return Status::Corruption("note: no signature block");
        return ParseCheckpointBody(std::string_view(c.note).substr(0, split + 1));
      }();
      if (!parsed.ok()) {
        ledger_problem(
            -1, "checkpoint of size " + std::to_string(c.size) + ": " + parsed.status().message(),
            "规模为" + std::to_string(c.size) + "的检查点签名无效：" + parsed.status().message());
      } else if (parsed->size != c.size || parsed->root != root) {
        ledger_problem(-1,
                       "the signed checkpoint of size " + std::to_string(c.size) +
                           " does not match the recomputed tree",
                       "规模为" + std::to_string(c.size) + "的签名检查点与重新计算的树不一致");
      }
    }
  };
  check_cp();
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT idx, hash FROM ledger_leaves ORDER BY idx"));
  int bad_nodes = 0;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    int64_t idx = st.Int(0);
    if (idx != static_cast<int64_t>(f.size())) {
      ledger_problem(
          static_cast<int64_t>(f.size()),
          "leaves " + std::to_string(f.size()) + ".." + std::to_string(idx - 1) +
              " are missing from the log",
          "账本缺少第" + std::to_string(f.size()) + "至" + std::to_string(idx - 1) + "号叶子");
      return Status::OK();  // the tree cannot be recomputed past a gap
    }
    Digest h{};
    if (!BlobDigest(st, 1, &h)) {
      ledger_problem(idx, "leaf hash is not 32 bytes", "叶子哈希长度不是32字节");
    }
    f.Append(h, [&](int level, uint64_t index, const Digest& node) {
      if (level % kStoredLevelStep != 0) return;
      auto it = stored_nodes.find(NodeId(level, index));
      if (it == stored_nodes.end() || it->second != node) {
        if (++bad_nodes <= 10) {
          ledger_problem(-1,
                         "stored node at level " + std::to_string(level) + " index " +
                             std::to_string(index) + " is missing or wrong (proofs would fail)",
                         "第" + std::to_string(level) + "层第" + std::to_string(index) +
                             "号存储节点缺失或错误（证明将无法通过）");
        }
      }
      if (it != stored_nodes.end()) stored_nodes.erase(it);
    });
    check_cp();
  }
  rep->leaves = f.size();
  rep->root = f.Root();
  if (!stored_nodes.empty()) {
    ledger_problem(-1, std::to_string(stored_nodes.size()) + " stored nodes lie outside the tree",
                   std::to_string(stored_nodes.size()) + "个存储节点不属于该树");
  }
  for (; next_cp < cps.size(); ++next_cp) {
    ledger_problem(-1,
                   "a checkpoint of size " + std::to_string(cps[next_cp].size) +
                       " exists but the log has only " + std::to_string(f.size()) +
                       " leaves: leaves were removed",
                   "存在规模为" + std::to_string(cps[next_cp].size) + "的检查点，但账本只有" +
                       std::to_string(f.size()) + "个叶子：叶子被删除");
  }
  // The saved frontier must be the recomputed one, or appends would fork the tree.
  QF_ASSIGN_OR_RETURN(Stmt s2, db->Prepare("SELECT size, frontier FROM ledger_state WHERE id = 1"));
  QF_ASSIGN_OR_RETURN(bool row, s2.Step());
  std::string want;
  for (const Digest& d : f.nodes()) want.append(reinterpret_cast<const char*>(d.data()), 32);
  if (!row || s2.Int(0) != static_cast<int64_t>(f.size()) ||
      std::string_view(static_cast<const char*>(sqlite3_column_blob(s2.raw(), 1)) ?: "",
                       static_cast<size_t>(sqlite3_column_bytes(s2.raw(), 1))) != want) {
    ledger_problem(-1, "the saved frontier does not match the leaves",
                   "账本保存的前沿状态与叶子不一致");
  }
  return Status::OK();
}

// Merge-joins one dataset's leaves (by row id) with its versions table.
Status VerifyDataset(Db* db, const DatasetDef& def, VerifyReport* rep,
                     std::vector<Mismatch>* mismatches) {
  int64_t src = -1;
  {
    QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT id FROM ledger_sources WHERE name = ?"));
    st.BindText(1, def.name);
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) src = st.Int(0);
  }
  QF_ASSIGN_OR_RETURN(Stmt leaves, db->Prepare("SELECT ref, idx, hash FROM ledger_leaves "
                                               "WHERE src = ? ORDER BY ref, idx"));
  leaves.BindInt(1, src);
  RowReader reader{&def, {}, {}};
  QF_ASSIGN_OR_RETURN(Stmt rows, db->Prepare(RowReader::Select(def) + " ORDER BY _row_id"));
  QF_ASSIGN_OR_RETURN(bool have_leaf, leaves.Step());
  QF_ASSIGN_OR_RETURN(bool have_row, rows.Step());
  int64_t last_idx = -1;
  int64_t last_ref = -1;
  const std::string& ds = def.name;
  while (have_leaf || have_row) {
    int64_t ref = have_leaf ? leaves.Int(0) : INT64_MAX;
    int64_t row_id = have_row ? rows.Int(0) : INT64_MAX;
    if (have_leaf && ref <= row_id) {
      int64_t idx = leaves.Int(1);
      Digest stored{};
      BlobDigest(leaves, 2, &stored);
      if (ref == last_ref) {
        rep->problems.push_back(
            Make(Problem::Kind::kInserted, ds, "", 0, ref, idx,
                 "leaf " + std::to_string(idx) + " is a second leaf for row " + std::to_string(ref),
                 "第" + std::to_string(idx) + "号叶子是第" + std::to_string(ref) + "行的重复叶子"));
      } else if (ref < row_id) {
        rep->problems.push_back(
            Make(Problem::Kind::kDeleted, ds, "", 0, ref, idx,
                 "row " + std::to_string(ref) + " (ledger leaf " + std::to_string(idx) +
                     ") was deleted" + OriginOf(db, ds, idx, false),
                 "第" + std::to_string(ref) + "行（账本第" + std::to_string(idx) +
                     "号叶子）已被删除" + OriginOf(db, ds, idx, true)));
        mismatches->push_back({rep->problems.size() - 1, stored, {}, true, false});
      } else {
        ++rep->rows_checked;
        std::string key = rows.Text(1);
        int64_t version = rows.Int(2);
        Digest row_hash = Sha256(reader.Canonical(rows));
        Digest stored_row_hash{};
        bool hash_ok = BlobDigest(rows, 3, &stored_row_hash) && stored_row_hash == row_hash;
        Digest actual = merkle::LeafHash(RowLeafData(ds, key, version, row_hash));
        if (actual != stored) {
          rep->problems.push_back(Make(
              Problem::Kind::kEdited, ds, key, version, ref, idx,
              "the record differs from what the ledger recorded at leaf " + std::to_string(idx),
              "记录内容与账本第" + std::to_string(idx) + "号叶子记录的不一致"));
          mismatches->push_back({rep->problems.size() - 1, stored, actual, true, true});
        } else if (!hash_ok) {
          rep->problems.push_back(Make(Problem::Kind::kEdited, ds, key, version, ref, idx,
                                       "the stored _row_hash was altered",
                                       "存储的行哈希（_row_hash）被改动"));
        } else if (idx < last_idx) {
          rep->problems.push_back(
              Make(Problem::Kind::kReordered, ds, key, version, ref, idx,
                   "leaf " + std::to_string(idx) + " comes before the leaf of an earlier row",
                   "第" + std::to_string(idx) + "号叶子的顺序与行的写入顺序不符"));
        }
        last_idx = std::max(last_idx, idx);
        QF_ASSIGN_OR_RETURN(have_row, rows.Step());
      }
      last_ref = ref;
      QF_ASSIGN_OR_RETURN(have_leaf, leaves.Step());
    } else {
      ++rep->rows_checked;
      std::string key = rows.Text(1);
      int64_t version = rows.Int(2);
      Digest actual =
          merkle::LeafHash(RowLeafData(ds, key, version, Sha256(reader.Canonical(rows))));
      rep->problems.push_back(Make(Problem::Kind::kInserted, ds, key, version, row_id, -1,
                                   "row " + std::to_string(row_id) + " is not in the ledger",
                                   "第" + std::to_string(row_id) + "行不在账本中"));
      mismatches->push_back({rep->problems.size() - 1, {}, actual, false, true});
      QF_ASSIGN_OR_RETURN(have_row, rows.Step());
    }
  }
  // Exactly one current version per key, and it is the latest.
  QF_ASSIGN_OR_RETURN(
      Stmt cur, db->Prepare("SELECT _key, MAX(_version) FROM " + QuoteIdent(VersionsTable(def)) +
                            " GROUP BY _key HAVING SUM(_current = 1) != 1 OR "
                            "MAX(_version) != MAX(CASE WHEN _current = 1 THEN _version END)"));
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, cur.Step());
    if (!row) break;
    rep->problems.push_back(Make(Problem::Kind::kEdited, ds, cur.Text(0), cur.Int(1), 0, -1,
                                 "the current-version flag (_current) was altered",
                                 "当前版本标记（_current）被改动"));
  }
  return Status::OK();
}

// Files (imports) and actions: every row has exactly one leaf with its data.
Status VerifyOthers(Db* db, VerifyReport* rep, std::vector<Mismatch>* mismatches) {
  struct Kind {
    int64_t src;
    const char* name;
    const char* zh;
    const char* leaves_sql;
    const char* orphans_sql;
  };
  static const Kind kinds[] = {
      {kSourceFile, "files", "导入文件",
       "SELECT l.idx, l.ref, l.hash, i.id, i.file_sha256, f.size, i.file_name, i.dataset, "
       "i.started_at FROM ledger_leaves l LEFT JOIN imports i ON i.id = l.ref "
       "LEFT JOIN files f ON f.sha256 = i.file_sha256 WHERE l.src = 1 ORDER BY l.idx",
       "SELECT id, file_name FROM imports WHERE id NOT IN "
       "(SELECT ref FROM ledger_leaves WHERE src = 1)"},
      {kSourceAction, "actions", "用户操作",
       "SELECT l.idx, l.ref, l.hash, a.id, a.at, a.actor, a.action, a.target, a.details "
       "FROM ledger_leaves l LEFT JOIN ledger_actions a ON a.id = l.ref WHERE l.src = 2 "
       "ORDER BY l.idx",
       "SELECT id, action FROM ledger_actions WHERE id NOT IN "
       "(SELECT ref FROM ledger_leaves WHERE src = 2)"},
  };
  for (const Kind& k : kinds) {
    QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare(k.leaves_sql));
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, st.Step());
      if (!row) break;
      int64_t idx = st.Int(0);
      int64_t ref = st.Int(1);
      Digest stored{};
      BlobDigest(st, 2, &stored);
      std::string label = std::to_string(ref);
      if (st.IsNull(3)) {
        rep->problems.push_back(Make(Problem::Kind::kDeleted, k.name, label, 0, ref, idx,
                                     std::string(k.name) + " entry " + label + " was deleted",
                                     std::string(k.zh) + "记录" + label + "已被删除"));
        continue;
      }
      std::string data = k.src == kSourceFile
                             ? FileLeafData(st.TextView(4), st.Int(5), st.TextView(6),
                                            st.TextView(7), ref, st.TextView(8))
                             : ActionLeafData(st.TextView(4), st.TextView(5), st.TextView(6),
                                              st.TextView(7), st.TextView(8));
      if (k.src == kSourceFile) label += " (" + st.Text(6) + ")";
      if (merkle::LeafHash(data) != stored) {
        rep->problems.push_back(Make(Problem::Kind::kEdited, k.name, label, 0, ref, idx,
                                     std::string(k.name) + " entry " + label + " was altered",
                                     std::string(k.zh) + "记录" + label + "被改动"));
      }
    }
    QF_ASSIGN_OR_RETURN(Stmt orphans, db->Prepare(k.orphans_sql));
    for (;;) {
      QF_ASSIGN_OR_RETURN(bool row, orphans.Step());
      if (!row) break;
      std::string label = std::to_string(orphans.Int(0)) + " (" + orphans.Text(1) + ")";
      rep->problems.push_back(
          Make(Problem::Kind::kInserted, k.name, label, 0, orphans.Int(0), -1,
               std::string(k.name) + " entry " + label + " is not in the ledger",
               std::string(k.zh) + "记录" + label + "不在账本中"));
    }
  }
  // Leaves of a source nobody knows.
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT idx, src FROM ledger_leaves WHERE src NOT IN "
                                           "(SELECT id FROM ledger_sources) LIMIT 100"));
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    rep->problems.push_back(Make(Problem::Kind::kLedger, "ledger", "", 0, 0, st.Int(0),
                                 "leaf of unknown source " + std::to_string(st.Int(1)),
                                 "叶子来源未知：" + std::to_string(st.Int(1))));
  }
  (void)mismatches;
  return Status::OK();
}

}  // namespace

const char* KindName(Problem::Kind k, bool zh) {
  switch (k) {
    case Problem::Kind::kEdited:
      return zh ? "被修改" : "edited";
    case Problem::Kind::kDeleted:
      return zh ? "被删除" : "deleted";
    case Problem::Kind::kInserted:
      return zh ? "被插入" : "inserted";
    case Problem::Kind::kReordered:
      return zh ? "顺序被改" : "reordered";
    case Problem::Kind::kLedger:
      return zh ? "账本异常" : "ledger";
  }
  return "";
}

Result<VerifyReport> Verify(Db* db, const Verifier* verifier) {
  VerifyReport rep;
  // One read transaction: a consistent snapshot even while an import runs.
  QF_RETURN_IF_ERROR(db->Exec("BEGIN"));
  auto run = [&]() -> Status {
    QF_RETURN_IF_ERROR(VerifyTree(db, verifier, &rep));
    std::vector<Mismatch> mismatches;
    for (const DatasetDef& def : AllDatasets()) {
      QF_RETURN_IF_ERROR(VerifyDataset(db, def, &rep, &mismatches));
    }
    QF_RETURN_IF_ERROR(VerifyOthers(db, &rep, &mismatches));
    // A record holding content the log committed to at another position was
    // moved or swapped, not edited: name it as reordered.
    std::unordered_map<std::string, size_t> by_stored;
    for (const Mismatch& m : mismatches) {
      if (m.has_stored) {
        by_stored[std::string(reinterpret_cast<const char*>(m.stored_leaf.data()), 32)] = m.problem;
      }
    }
    for (const Mismatch& m : mismatches) {
      if (!m.has_actual) continue;
      auto it =
          by_stored.find(std::string(reinterpret_cast<const char*>(m.actual_leaf.data()), 32));
      if (it == by_stored.end() || it->second == m.problem) continue;
      Problem& p = rep.problems[m.problem];
      const Problem& other = rep.problems[it->second];
      p.kind = Problem::Kind::kReordered;
      p.detail_en = "holds the content the ledger recorded for row " +
                    std::to_string(other.row_id) + " at leaf " + std::to_string(other.leaf_index);
      p.detail_zh = "该行内容是账本第" + std::to_string(other.leaf_index) + "号叶子为第" +
                    std::to_string(other.row_id) + "行记录的内容（行被移动或对调）";
    }
    return Status::OK();
  };
  Status s = run();
  db->Exec("COMMIT");
  QF_RETURN_IF_ERROR(s);
  return rep;
}

namespace {

struct CurrentRow {
  int64_t row_id = 0;
  int64_t version = 0;
  std::string canonical;
  Digest row_hash{};
  nlohmann::ordered_json values;
};

Result<CurrentRow> ReadCurrent(Db* db, const DatasetDef& def, const std::string& key) {
  RowReader reader{&def, {}, {}};
  QF_ASSIGN_OR_RETURN(Stmt st,
                      db->Prepare(RowReader::Select(def) + " WHERE _key = ? AND _current = 1 "
                                                           "ORDER BY _version DESC LIMIT 1"));
  st.BindText(1, key);
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) {
    return Status::InvalidInput("no current record of " + def.name + " with key " + key,
                                def.zh + "（" + def.name + "）中没有主键为" + key + "的当前记录");
  }
  CurrentRow r;
  r.row_id = st.Int(0);
  r.version = st.Int(2);
  r.canonical = reader.Canonical(st);
  r.row_hash = Sha256(r.canonical);
  Digest stored{};
  if (!BlobDigest(st, 3, &stored) || stored != r.row_hash) {
    return Status::Corruption("record " + def.name + " " + key +
                              " was altered after import; run `qingfeng ledger verify`");
  }
  r.values = nlohmann::ordered_json::object();
  for (size_t i = 0; i < def.columns.size(); ++i) {
    const Value& v = reader.values[i];
    r.values[def.columns[i].name] =
        v.is_null() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(v.ToString());
  }
  if (!reader.extra.empty()) r.values["_extra"] = reader.extra;
  return r;
}

// The latest checkpoint, or a new one when it does not cover `min_size` leaves.
Result<std::string> CoveringCheckpoint(Db* db, const Signer& signer, uint64_t min_size) {
  QF_ASSIGN_OR_RETURN(std::string note, LatestCheckpoint(db));
  if (!note.empty()) {
    size_t split = note.rfind("\n\n");
    auto c = ParseCheckpointBody(std::string_view(note).substr(0, split + 1));
    if (c.ok() && c->size >= min_size) return note;
  }
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(auto ledger, Ledger::Open(db));
  QF_ASSIGN_OR_RETURN(note, ledger->WriteCheckpoint(signer));
  QF_RETURN_IF_ERROR(tx.Commit());
  return note;
}

Result<Checkpoint> BodyOf(const std::string& note) {
  size_t split = note.rfind("\n\n");
  if (split == std::string::npos) return Status::Corruption("checkpoint without signature");
  return ParseCheckpointBody(std::string_view(note).substr(0, split + 1));
}

nlohmann::ordered_json HexList(const std::vector<Digest>& v) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const Digest& d : v) a.push_back(Hex(d));
  return a;
}

}  // namespace

Result<nlohmann::ordered_json> ProveRecord(Db* db, const Signer& signer, const std::string& dataset,
                                           const std::string& key) {
  const DatasetDef* def = FindDataset(dataset);
  if (!def) {
    return Status::InvalidInput("unknown dataset '" + dataset + "'; known: " + KnownDatasetNames(),
                                "未知的数据集“" + dataset + "”；可用：" + KnownDatasetNames());
  }
  QF_ASSIGN_OR_RETURN(CurrentRow row, ReadCurrent(db, *def, key));
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT l.idx, l.hash FROM ledger_leaves l JOIN "
                                           "ledger_sources s ON s.id = l.src WHERE s.name = ? "
                                           "AND l.ref = ? ORDER BY l.idx LIMIT 1"));
  st.BindText(1, def->name);
  st.BindInt(2, row.row_id);
  QF_ASSIGN_OR_RETURN(bool found, st.Step());
  if (!found) {
    return Status::NotFound("record " + def->name + " " + key + " has no ledger leaf");
  }
  uint64_t index = static_cast<uint64_t>(st.Int(0));
  Digest stored{};
  BlobDigest(st, 1, &stored);
  std::string data = RowLeafData(def->name, key, row.version, row.row_hash);
  if (merkle::LeafHash(data) != stored) {
    return Status::Corruption("record " + def->name + " " + key +
                              " differs from its ledger leaf; run `qingfeng ledger verify`");
  }
  QF_ASSIGN_OR_RETURN(std::string note, CoveringCheckpoint(db, signer, index + 1));
  QF_ASSIGN_OR_RETURN(Checkpoint cp, BodyOf(note));
  QF_ASSIGN_OR_RETURN(auto ledger, Ledger::Open(db));
  QF_ASSIGN_OR_RETURN(std::vector<Digest> path, ledger->InclusionProof(index, cp.size));
  nlohmann::ordered_json j;
  j["type"] = kInclusionType;
  j["record"] = {{"dataset", def->name},
                 {"key", key},
                 {"version", row.version},
                 {"values", row.values},
                 {"canonical_row_base64", Base64(row.canonical)},
                 {"row_sha256", Hex(row.row_hash)}};
  j["leaf_index"] = index;
  j["leaf_data_base64"] = Base64(data);
  j["leaf_hash"] = Hex(stored);
  j["tree_size"] = cp.size;
  j["audit_path"] = HexList(path);
  j["checkpoint"] = note;
  return j;
}

Result<nlohmann::ordered_json> ProveConsistency(Db* db, const Signer& signer, uint64_t old_size,
                                                uint64_t new_size) {
  QF_ASSIGN_OR_RETURN(auto ledger, Ledger::Open(db));
  if (new_size == 0) {
    new_size = ledger->size();
    QF_RETURN_IF_ERROR(CoveringCheckpoint(db, signer, new_size).status());
  }
  if (old_size > new_size || new_size > ledger->size()) {
    return Status::InvalidInput(
        "sizes must satisfy OLD_SIZE <= NEW_SIZE <= " + std::to_string(ledger->size()),
        "规模须满足 OLD_SIZE <= NEW_SIZE <= " + std::to_string(ledger->size()));
  }
  QF_ASSIGN_OR_RETURN(std::vector<Digest> proof, ledger->ConsistencyProof(old_size, new_size));
  QF_ASSIGN_OR_RETURN(Digest old_root, ledger->RootAt(old_size));
  QF_ASSIGN_OR_RETURN(Digest new_root, ledger->RootAt(new_size));
  nlohmann::ordered_json j;
  j["type"] = kConsistencyType;
  j["old_size"] = old_size;
  j["new_size"] = new_size;
  j["old_root"] = Hex(old_root);
  j["new_root"] = Hex(new_root);
  j["proof"] = HexList(proof);
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT note FROM ledger_checkpoints WHERE size = ?"));
  for (auto [name, size] : {std::pair{"old_checkpoint", old_size}, {"new_checkpoint", new_size}}) {
    st.Reset();
    st.BindInt(1, static_cast<int64_t>(size));
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (row) j[name] = st.Text(0);
  }
  return j;
}

namespace {

Result<std::vector<Digest>> DigestList(const nlohmann::json& a) {
  if (!a.is_array()) return Status::Corruption("proof path is not a list");
  std::vector<Digest> out;
  for (const auto& e : a) {
    if (!e.is_string()) return Status::Corruption("proof path element is not a string");
    QF_ASSIGN_OR_RETURN(Digest d, ParseHexDigest(e.get<std::string>()));
    out.push_back(d);
  }
  return out;
}

// Parses CanonicalRow bytes back into dataset, key and (column, value) pairs.
Status ParseCanonical(std::string_view s, std::string* dataset, std::string* key,
                      std::vector<std::pair<std::string, std::optional<std::string>>>* cols) {
  constexpr std::string_view kPrefix = "qingfeng-row-v1;";
  if (s.substr(0, kPrefix.size()) != kPrefix) return Status::Corruption("not a canonical row");
  s.remove_prefix(kPrefix.size());
  auto field = [&s](std::string* out) -> bool {
    size_t colon = s.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 20) return false;
    size_t len = 0;
    for (size_t i = 0; i < colon; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      len = len * 10 + static_cast<size_t>(s[i] - '0');
    }
    if (len > s.size() - colon - 1) return false;
    *out = std::string(s.substr(colon + 1, len));
    s.remove_prefix(colon + 1 + len);
    return true;
  };
  if (!field(dataset) || !field(key)) return Status::Corruption("malformed canonical row");
  cols->clear();
  for (;;) {
    std::string name;
    if (!field(&name)) return Status::Corruption("malformed canonical row");
    if (s.empty()) break;  // the last field is the extra attributes
    char tag = s[0];
    s.remove_prefix(1);
    std::string v;
    if (!field(&v)) return Status::Corruption("malformed canonical row");
    if (tag == 'n') {
      cols->emplace_back(name, std::nullopt);
    } else {
      cols->emplace_back(name, v);
    }
  }
  return Status::OK();
}

Result<std::vector<std::string>> CheckInclusion(const nlohmann::json& j, const Verifier& verifier,
                                                bool zh) {
  QF_ASSIGN_OR_RETURN(Checkpoint cp,
                      VerifyCheckpoint(j.at("checkpoint").get<std::string>(), verifier));
  uint64_t size = j.at("tree_size").get<uint64_t>();
  uint64_t index = j.at("leaf_index").get<uint64_t>();
  if (size != cp.size) return Status::Corruption("tree_size differs from the checkpoint's size");
  QF_ASSIGN_OR_RETURN(std::string data, FromBase64(j.at("leaf_data_base64").get<std::string>()));
  LeafType type;
  std::vector<std::string> fields;
  QF_RETURN_IF_ERROR(ParseLeafData(data, &type, &fields));
  Digest leaf = merkle::LeafHash(data);
  if (j.contains("leaf_hash")) {
    QF_ASSIGN_OR_RETURN(Digest claimed, ParseHexDigest(j["leaf_hash"].get<std::string>()));
    if (claimed != leaf) return Status::Corruption("leaf_hash is not the hash of leaf_data");
  }
  QF_ASSIGN_OR_RETURN(std::vector<Digest> path, DigestList(j.at("audit_path")));
  QF_RETURN_IF_ERROR(merkle::VerifyInclusion(index, size, leaf, path, cp.root));
  std::vector<std::string> out;
  out.push_back(zh ? "检查点签名有效：" + cp.origin + "，规模 " + std::to_string(cp.size)
                   : "checkpoint signature valid: " + cp.origin + ", size " +
                         std::to_string(cp.size));
  out.push_back(zh ? "包含证明有效：第 " + std::to_string(index) + " 号叶子"
                   : "inclusion proof valid: leaf " + std::to_string(index));
  if (type != LeafType::kRow) return out;
  // The record itself: its canonical bytes must hash to the row hash the leaf commits to.
  const std::string& dataset = fields[0];
  const std::string& key = fields[1];
  const std::string& version = fields[2];
  if (j.contains("record")) {
    const auto& r = j["record"];
    if (r.value("dataset", dataset) != dataset || r.value("key", key) != key ||
        (r.contains("version") && std::to_string(r["version"].get<int64_t>()) != version)) {
      return Status::Corruption("the record's dataset, key or version differ from the leaf");
    }
    if (r.contains("canonical_row_base64")) {
      QF_ASSIGN_OR_RETURN(std::string canonical,
                          FromBase64(r["canonical_row_base64"].get<std::string>()));
      Digest h = Sha256(canonical);
      if (std::string_view(reinterpret_cast<const char*>(h.data()), 32) != fields[3]) {
        return Status::Corruption(
            "the record's canonical bytes do not hash to the leaf's row hash");
      }
      std::string cds, ckey;
      std::vector<std::pair<std::string, std::optional<std::string>>> cols;
      QF_RETURN_IF_ERROR(ParseCanonical(canonical, &cds, &ckey, &cols));
      if (cds != dataset || ckey != key) {
        return Status::Corruption("the canonical row names another dataset or key");
      }
      if (r.contains("values") && r["values"].is_object()) {
        for (const auto& [name, v] : cols) {
          if (!r["values"].contains(name)) continue;
          const auto& claimed = r["values"][name];
          bool same =
              v ? claimed.is_string() && claimed.get<std::string>() == *v : claimed.is_null();
          if (!same) return Status::Corruption("value of " + name + " differs from the record");
        }
      }
      out.push_back(zh ? "记录内容与账本一致：" + dataset + " " + key + " 第" + version + "版"
                       : "record content matches: " + dataset + " " + key + " version " + version);
      for (const auto& [name, v] : cols) out.push_back("  " + name + " = " + v.value_or(""));
      return out;
    }
  }
  out.push_back(zh ? "记录：" + dataset + " " + key + " 第" + version + "版（未附原始内容）"
                   : "record: " + dataset + " " + key + " version " + version +
                         " (no canonical bytes attached)");
  return out;
}

Result<std::vector<std::string>> CheckConsistency(const nlohmann::json& j, const Verifier& verifier,
                                                  bool zh) {
  uint64_t old_size = j.at("old_size").get<uint64_t>();
  uint64_t new_size = j.at("new_size").get<uint64_t>();
  QF_ASSIGN_OR_RETURN(Digest old_root, ParseHexDigest(j.at("old_root").get<std::string>()));
  QF_ASSIGN_OR_RETURN(Digest new_root, ParseHexDigest(j.at("new_root").get<std::string>()));
  if (!j.contains("new_checkpoint")) {
    return Status::Corruption("no signed checkpoint of the new size");
  }
  std::vector<std::string> out;
  for (auto [name, size, root] : {std::tuple{"old_checkpoint", old_size, old_root},
                                  std::tuple{"new_checkpoint", new_size, new_root}}) {
    if (!j.contains(name)) {
      out.push_back(zh ? "旧规模没有签名检查点；请与您保存的检查点核对树根 " + ToHex(root)
                       : "no signed checkpoint of the old size; compare root " + ToHex(root) +
                             " with the checkpoint you kept");
      continue;
    }
    QF_ASSIGN_OR_RETURN(Checkpoint cp, VerifyCheckpoint(j[name].get<std::string>(), verifier));
    if (cp.size != size || cp.root != root) {
      return Status::Corruption(std::string(name) + " does not match the stated size and root");
    }
    out.push_back(zh ? "检查点签名有效：规模 " + std::to_string(size)
                     : "checkpoint signature valid: size " + std::to_string(size));
  }
  QF_ASSIGN_OR_RETURN(std::vector<Digest> proof, DigestList(j.at("proof")));
  QF_RETURN_IF_ERROR(merkle::VerifyConsistency(old_size, new_size, old_root, new_root, proof));
  out.push_back(zh ? "一致性证明有效：规模 " + std::to_string(new_size) + " 的账本是规模 " +
                         std::to_string(old_size) + " 的追加"
                   : "consistency proof valid: the log of size " + std::to_string(new_size) +
                         " extends the log of size " + std::to_string(old_size));
  return out;
}

}  // namespace

Result<std::vector<std::string>> CheckProof(const nlohmann::json& proof, const Verifier& verifier,
                                            bool zh) {
  try {
    std::string type = proof.at("type").get<std::string>();
    if (type == kInclusionType) return CheckInclusion(proof, verifier, zh);
    if (type == kConsistencyType) return CheckConsistency(proof, verifier, zh);
    return Status::Corruption("unknown proof type '" + type + "'");
  } catch (const nlohmann::json::exception& e) {
    return Status::Corruption(std::string("malformed proof: ") + e.what());
  }
}

}  // namespace qf::ledger
