#include "store/dataset_writer.h"

#include <charconv>
#include <cstring>

#include "store/schema.h"

namespace qf {

namespace {

void BindValue(Stmt* st, int i, const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull:
      st->BindNull(i);
      break;
    case Value::Kind::kInt:
      st->BindInt(i, v.i);
      break;
    case Value::Kind::kReal:
      st->BindReal(i, v.d);
      break;
    case Value::Kind::kText:
      st->BindTextStatic(i, v.s);  // `v` outlives the statement's step
      break;
  }
}

}  // namespace

void AppendLengthPrefixed(std::string* out, std::string_view s) {
  char len[24];
  auto r = std::to_chars(len, len + sizeof len, s.size());
  *r.ptr = ':';
  out->append(len, r.ptr + 1);
  out->append(s);
}

void CanonicalRowInto(std::string* out, const DatasetDef& def, const std::string& key,
                      const std::vector<Value>& values, const std::string& extra_json) {
  // Length-prefixed fields: no separator can be forged by a value.
  out->assign("qingfeng-row-v1;");
  AppendLengthPrefixed(out, def.name);
  AppendLengthPrefixed(out, key);
  for (size_t i = 0; i < def.columns.size(); ++i) {
    AppendLengthPrefixed(out, def.columns[i].name);
    const Value& v = values[i];
    switch (v.kind) {
      case Value::Kind::kNull:
        out->append("n0:");
        break;
      case Value::Kind::kInt: {
        char digits[24];
        auto r = std::to_chars(digits, digits + sizeof digits, v.i);
        out->push_back('i');
        AppendLengthPrefixed(out, std::string_view(digits, static_cast<size_t>(r.ptr - digits)));
        break;
      }
      case Value::Kind::kReal:
        out->push_back('r');
        AppendLengthPrefixed(out, v.ToString());
        break;
      case Value::Kind::kText:
        out->push_back('s');
        AppendLengthPrefixed(out, v.s);
        break;
    }
  }
  AppendLengthPrefixed(out, extra_json);
}

std::string CanonicalRow(const DatasetDef& def, const std::string& key,
                         const std::vector<Value>& values, const std::string& extra_json) {
  std::string out;
  out.reserve(256);
  CanonicalRowInto(&out, def, key, values, extra_json);
  return out;
}

std::string RowKey(const DatasetDef& def, const std::vector<Value>& values) {
  std::string key;
  for (size_t k = 0; k < def.key.size(); ++k) {
    if (k) key.push_back('|');
    key += values[def.key[k]].ToString();
  }
  return key;
}

Result<std::unique_ptr<DatasetWriter>> DatasetWriter::Create(Db* db, const DatasetDef& def,
                                                             int64_t import_id) {
  std::unique_ptr<DatasetWriter> w(new DatasetWriter(db, def, import_id));
  std::string table = QuoteIdent(VersionsTable(def));
  std::string cols;
  std::string params;
  std::string select;
  for (const ColumnDef& c : def.columns) {
    cols += ", " + QuoteIdent(c.name);
    params += ", ?";
    select += QuoteIdent(c.name) + ", ";
  }
  // OR FAIL: a one-row insert checks every constraint before it writes, so a
  // failure leaves nothing behind, and SQLite then keeps no statement journal.
  // With the default ABORT it copies each touched page into one per row, which
  // tripled an import's writes (the file's own transaction still undoes all).
  QF_ASSIGN_OR_RETURN(
      w->insert_, db->Prepare("INSERT OR FAIL INTO " + table +
                              " (_key, _version, _current, _import_id, _seen_import, _line, "
                              "_row_hash" +
                              cols + ", _extra) VALUES (?, ?, 1, ?, ?, ?, ?" + params + ", ?)"));
  QF_ASSIGN_OR_RETURN(w->lookup_,
                      db->Prepare("SELECT _row_id, _version, _seen_import, _line, _row_hash FROM " +
                                  table + " WHERE _key = ? ORDER BY _version DESC LIMIT 1"));
  QF_ASSIGN_OR_RETURN(w->retire_,
                      db->Prepare("UPDATE " + table + " SET _current = 0 WHERE _row_id = ?"));
  QF_ASSIGN_OR_RETURN(w->seen_,
                      db->Prepare("UPDATE " + table + " SET _seen_import = ? WHERE _row_id = ?"));
  QF_ASSIGN_OR_RETURN(w->current_, db->Prepare("SELECT " + select + "_extra FROM " + table +
                                               " WHERE _key = ? AND _current = 1 "
                                               "ORDER BY _version DESC LIMIT 1"));
  QF_ASSIGN_OR_RETURN(int64_t any, db->QueryInt("SELECT EXISTS(SELECT 1 FROM " + table + ")"));
  w->table_was_empty_ = any == 0;
  return w;
}

Result<bool> DatasetWriter::GetCurrent(const std::string& key, std::vector<Value>* values,
                                       std::string* extra_json) {
  current_.Reset();
  current_.BindText(1, key);
  QF_ASSIGN_OR_RETURN(bool row, current_.Step());
  if (!row) return false;
  values->assign(def_.columns.size(), Value::Null());
  for (size_t i = 0; i < def_.columns.size(); ++i) {
    int c = static_cast<int>(i);
    switch (current_.ColumnType(c)) {
      case SQLITE_NULL:
        break;
      case SQLITE_INTEGER:
        (*values)[i] = Value::Int(current_.Int(c));
        break;
      case SQLITE_FLOAT:
        (*values)[i] = Value::Real(current_.Real(c));
        break;
      default:
        (*values)[i] = Value::Text(current_.Text(c));
    }
  }
  int extra_col = static_cast<int>(def_.columns.size());
  *extra_json = current_.IsNull(extra_col) ? "" : current_.Text(extra_col);
  current_.Reset();
  return true;
}

Status DatasetWriter::Insert(const std::string& key, const std::vector<Value>& values,
                             const std::string& extra_json, int64_t line, const Digest& row_hash,
                             int64_t version) {
  Stmt& st = insert_;
  sqlite3_reset(st.raw());  // every parameter is bound below: no need to clear them
  st.BindTextStatic(1, key);
  st.BindInt(2, version);
  st.BindInt(3, import_id_);
  st.BindInt(4, import_id_);
  st.BindInt(5, line);
  st.BindBlob(6, row_hash.data(), row_hash.size());
  int p = 7;
  for (const Value& v : values) BindValue(&st, p++, v);
  if (extra_json.empty()) {
    st.BindNull(p);
  } else {
    st.BindTextStatic(p, extra_json);
  }
  // Run() resets the statement; the next Insert rebinds every parameter
  // before stepping, so the static text bindings are never read stale.
  QF_RETURN_IF_ERROR(st.Run());
  last_row_id_ = db_->LastInsertId();
  last_version_ = version;
  return Status::OK();
}

Result<WriteOutcome> DatasetWriter::Write(const std::string& key, const std::vector<Value>& values,
                                          const std::string& extra_json, int64_t line,
                                          const Digest& row_hash, int64_t* first_line) {
  if (table_was_empty_) {
    // Nothing to compare with: insert, and let the unique index on current keys
    // catch a key repeated within this import.
    Status s = Insert(key, values, extra_json, line, row_hash, 1);
    if (s.ok()) return WriteOutcome::kNew;
    if (s.code() != Status::Code::kInvalidArgument) return s;
  }
  lookup_.Reset();
  lookup_.BindText(1, key);
  QF_ASSIGN_OR_RETURN(bool found, lookup_.Step());
  if (!found) {
    lookup_.Reset();
    QF_RETURN_IF_ERROR(Insert(key, values, extra_json, line, row_hash, 1));
    return WriteOutcome::kNew;
  }
  int64_t row_id = lookup_.Int(0);
  int64_t version = lookup_.Int(1);
  int64_t seen = lookup_.Int(2);
  int64_t old_line = lookup_.IsNull(3) ? 0 : lookup_.Int(3);
  bool same = sqlite3_column_bytes(lookup_.raw(), 4) == 32 &&
              std::memcmp(sqlite3_column_blob(lookup_.raw(), 4), row_hash.data(), 32) == 0;
  lookup_.Reset();
  if (seen == import_id_) {
    if (first_line) *first_line = old_line;
    return WriteOutcome::kDuplicateInImport;
  }
  if (same) {
    seen_.Reset();
    seen_.BindInt(1, import_id_);
    seen_.BindInt(2, row_id);
    QF_RETURN_IF_ERROR(seen_.Run());
    return WriteOutcome::kUnchanged;
  }
  retire_.Reset();
  retire_.BindInt(1, row_id);
  QF_RETURN_IF_ERROR(retire_.Run());
  QF_RETURN_IF_ERROR(Insert(key, values, extra_json, line, row_hash, version + 1));
  return WriteOutcome::kChanged;
}

}  // namespace qf
