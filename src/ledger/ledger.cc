#include "ledger/ledger.h"

#include <charconv>
#include <cstring>

#include "common/time.h"
#include "store/dataset_writer.h"

namespace qf::ledger {

namespace {

constexpr std::string_view kLeafTag = "qingfeng-leaf-v1;";
// Leaves written by one multi-row INSERT: fewer statement steps per leaf.
constexpr size_t kRowsPerInsert = 64;
// Buffered leaves before an automatic flush: bounds memory on huge imports.
constexpr size_t kFlushEvery = 8192;

void Field(std::string* out, std::string_view s) { AppendLengthPrefixed(out, s); }

std::string_view DigestView(const Digest& d) {
  return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
}

Status Corrupt(const std::string& what) { return Status::Corruption("ledger: " + what); }

}  // namespace

namespace {
void AppendRowLeafData(std::string* out, std::string_view dataset, std::string_view key,
                       int64_t version, const Digest& row_hash) {
  out->push_back(static_cast<char>(LeafType::kRow));
  out->append(kLeafTag);
  Field(out, dataset);
  Field(out, key);
  char v[24];
  auto r = std::to_chars(v, v + sizeof v, version);
  Field(out, std::string_view(v, static_cast<size_t>(r.ptr - v)));
  Field(out, DigestView(row_hash));
}
}  // namespace

std::string RowLeafData(std::string_view dataset, std::string_view key, int64_t version,
                        const Digest& row_hash) {
  std::string out;
  out.reserve(40 + dataset.size() + key.size() + 40);
  AppendRowLeafData(&out, dataset, key, version, row_hash);
  return out;
}

Digest RowLeafHash(std::string_view dataset, std::string_view key, int64_t version,
                   const Digest& row_hash) {
  thread_local std::string buf;
  buf.assign(1, '\0');  // merkle::LeafHash's prefix, without a second copy
  AppendRowLeafData(&buf, dataset, key, version, row_hash);
  return Sha256(buf);
}

std::string FileLeafData(std::string_view sha256_hex, int64_t size, std::string_view name,
                         std::string_view dataset, int64_t import_id, std::string_view time) {
  std::string out(1, static_cast<char>(LeafType::kFile));
  out.append(kLeafTag);
  Field(&out, sha256_hex);
  Field(&out, std::to_string(size));
  Field(&out, name);
  Field(&out, dataset);
  Field(&out, std::to_string(import_id));
  Field(&out, time);
  return out;
}

std::string ActionLeafData(std::string_view time, std::string_view actor, std::string_view action,
                           std::string_view target, std::string_view details_json) {
  std::string out(1, static_cast<char>(LeafType::kAction));
  out.append(kLeafTag);
  Field(&out, time);
  Field(&out, actor);
  Field(&out, action);
  Field(&out, target);
  Field(&out, details_json);
  return out;
}

Status ParseLeafData(std::string_view data, LeafType* type, std::vector<std::string>* fields) {
  fields->clear();
  if (data.size() < 1 + kLeafTag.size() || data.substr(1, kLeafTag.size()) != kLeafTag) {
    return Corrupt("unknown leaf format");
  }
  char t = data[0];
  size_t want = 0;
  switch (t) {
    case 'R':
      want = 4;
      break;
    case 'F':
      want = 6;
      break;
    case 'A':
      want = 5;
      break;
    default:
      return Corrupt("unknown leaf type");
  }
  *type = static_cast<LeafType>(t);
  data.remove_prefix(1 + kLeafTag.size());
  while (!data.empty()) {
    size_t colon = data.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 20) return Corrupt("bad field");
    size_t len = 0;
    auto r = std::from_chars(data.data(), data.data() + colon, len);
    if (r.ec != std::errc() || r.ptr != data.data() + colon) return Corrupt("bad field length");
    if (data[0] == '0' && colon > 1) return Corrupt("bad field length");
    data.remove_prefix(colon + 1);
    if (len > data.size()) return Corrupt("truncated field");
    fields->emplace_back(data.substr(0, len));
    data.remove_prefix(len);
  }
  if (fields->size() != want) return Corrupt("wrong number of fields");
  if (t == 'R' && (*fields)[3].size() != 32) return Corrupt("row hash is not 32 bytes");
  return Status::OK();
}

Result<std::unique_ptr<Ledger>> Ledger::Open(Db* db) {
  std::unique_ptr<Ledger> l(new Ledger(db));
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT size, frontier FROM ledger_state WHERE id = 1"));
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Corrupt("ledger_state is missing");
  int64_t size = st.Int(0);
  const auto* blob = static_cast<const uint8_t*>(sqlite3_column_blob(st.raw(), 1));
  int bytes = sqlite3_column_bytes(st.raw(), 1);
  if (size < 0 || bytes % 32 != 0) return Corrupt("ledger_state is malformed");
  std::vector<Digest> nodes(static_cast<size_t>(bytes / 32));
  for (size_t i = 0; i < nodes.size(); ++i) std::memcpy(nodes[i].data(), blob + 32 * i, 32);
  QF_RETURN_IF_ERROR(l->frontier_.Reset(static_cast<uint64_t>(size), std::move(nodes)));
  l->flushed_size_ = static_cast<uint64_t>(size);
  // OR FAIL: no statement journal (see DatasetWriter); a failed append fails
  // the whole transaction anyway.
  std::string many = "INSERT OR FAIL INTO ledger_leaves(idx, src, ref, hash) VALUES (?,?,?,?)";
  for (size_t i = 1; i < kRowsPerInsert; ++i) many += ",(?,?,?,?)";
  QF_ASSIGN_OR_RETURN(l->insert_many_, db->Prepare(many));
  QF_ASSIGN_OR_RETURN(l->insert_one_,
                      db->Prepare("INSERT OR FAIL INTO ledger_leaves(idx, src, ref, hash) "
                                  "VALUES (?,?,?,?)"));
  QF_ASSIGN_OR_RETURN(l->insert_node_,
                      db->Prepare("INSERT INTO ledger_nodes(id, hash) VALUES (?,?)"));
  QF_ASSIGN_OR_RETURN(l->save_state_, db->Prepare("UPDATE ledger_state SET size = ?, "
                                                  "frontier = ? WHERE id = 1"));
  QF_ASSIGN_OR_RETURN(l->read_leaves_, db->Prepare("SELECT hash FROM ledger_leaves WHERE idx >= ? "
                                                   "AND idx < ? ORDER BY idx"));
  QF_ASSIGN_OR_RETURN(l->read_nodes_, db->Prepare("SELECT hash FROM ledger_nodes WHERE id >= ? "
                                                  "AND id < ? ORDER BY id"));
  return l;
}

Ledger::~Ledger() = default;

Result<int64_t> Ledger::SourceId(std::string_view dataset) {
  auto it = sources_.find(dataset);
  if (it != sources_.end()) return it->second;
  QF_ASSIGN_OR_RETURN(Stmt ins, db_->Prepare("INSERT OR IGNORE INTO ledger_sources(name) "
                                             "VALUES (?)"));
  ins.BindText(1, dataset);
  QF_RETURN_IF_ERROR(ins.Run());
  QF_ASSIGN_OR_RETURN(Stmt sel, db_->Prepare("SELECT id FROM ledger_sources WHERE name = ?"));
  sel.BindText(1, dataset);
  QF_ASSIGN_OR_RETURN(bool row, sel.Step());
  if (!row) return Corrupt("cannot register source");
  int64_t id = sel.Int(0);
  sources_.emplace(std::string(dataset), id);
  return id;
}

Status Ledger::AppendLeafHash(int64_t src, int64_t ref, const Digest& leaf_hash) {
  leaves_.push_back({src, ref, leaf_hash});
  frontier_.Append(leaf_hash, [this](int level, uint64_t index, const Digest& h) {
    if (level % kStoredLevelStep == 0) nodes_.emplace_back(NodeId(level, index), h);
  });
  if (leaves_.size() >= kFlushEvery) return Flush();
  return Status::OK();
}

Status Ledger::AppendRow(std::string_view dataset, std::string_view key, int64_t version,
                         int64_t row_id, const Digest& row_hash) {
  QF_ASSIGN_OR_RETURN(int64_t src, SourceId(dataset));
  return AppendLeafHash(src, row_id, RowLeafHash(dataset, key, version, row_hash));
}

Status Ledger::AppendImport(int64_t import_id) {
  QF_ASSIGN_OR_RETURN(
      Stmt st,
      db_->Prepare(
          "SELECT i.file_sha256, f.size, i.file_name, i.dataset, i.started_at FROM imports i "
          "JOIN files f ON f.sha256 = i.file_sha256 WHERE i.id = ?"));
  st.BindInt(1, import_id);
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::NotFound("import " + std::to_string(import_id));
  std::string data = FileLeafData(st.TextView(0), st.Int(1), st.TextView(2), st.TextView(3),
                                  import_id, st.TextView(4));
  return AppendLeafHash(kSourceFile, import_id, merkle::LeafHash(data));
}

Result<uint64_t> Ledger::AppendAction(const Action& a) {
  std::string time = a.time.empty() ? NowShanghai() : a.time;
  QF_ASSIGN_OR_RETURN(Stmt st, db_->Prepare("INSERT INTO ledger_actions(at, actor, action, target, "
                                            "details) VALUES (?,?,?,?,?)"));
  st.BindText(1, time);
  st.BindText(2, a.actor);
  st.BindText(3, a.action);
  st.BindText(4, a.target);
  st.BindText(5, a.details_json);
  QF_RETURN_IF_ERROR(st.Run());
  int64_t id = db_->LastInsertId();
  uint64_t index = size();
  QF_RETURN_IF_ERROR(AppendLeafHash(
      kSourceAction, id,
      merkle::LeafHash(ActionLeafData(time, a.actor, a.action, a.target, a.details_json))));
  return index;
}

Status Ledger::Flush() {
  if (leaves_.empty() && nodes_.empty()) return Status::OK();
  auto bind = [](Stmt* st, int p, uint64_t idx, const PendingLeaf& l) {
    st->BindInt(p, static_cast<int64_t>(idx));
    st->BindInt(p + 1, l.src);
    st->BindInt(p + 2, l.ref);
    sqlite3_bind_blob(st->raw(), p + 3, l.hash.data(), 32, SQLITE_STATIC);
  };
  size_t i = 0;
  uint64_t idx = flushed_size_;
  for (; i + kRowsPerInsert <= leaves_.size(); i += kRowsPerInsert) {
    sqlite3_reset(insert_many_.raw());
    for (size_t j = 0; j < kRowsPerInsert; ++j) {
      bind(&insert_many_, static_cast<int>(4 * j + 1), idx++, leaves_[i + j]);
    }
    QF_RETURN_IF_ERROR(insert_many_.Run());
  }
  for (; i < leaves_.size(); ++i) {
    sqlite3_reset(insert_one_.raw());
    bind(&insert_one_, 1, idx++, leaves_[i]);
    QF_RETURN_IF_ERROR(insert_one_.Run());
  }
  for (const auto& [id, h] : nodes_) {
    sqlite3_reset(insert_node_.raw());
    insert_node_.BindInt(1, id);
    sqlite3_bind_blob(insert_node_.raw(), 2, h.data(), 32, SQLITE_STATIC);
    QF_RETURN_IF_ERROR(insert_node_.Run());
  }
  std::string frontier;
  for (const Digest& d : frontier_.nodes()) frontier.append(DigestView(d));
  sqlite3_reset(save_state_.raw());
  save_state_.BindInt(1, static_cast<int64_t>(frontier_.size()));
  save_state_.BindBlob(2, frontier.data(), frontier.size());
  QF_RETURN_IF_ERROR(save_state_.Run());
  leaves_.clear();
  nodes_.clear();
  flushed_size_ = frontier_.size();
  return Status::OK();
}

Result<std::string> Ledger::WriteCheckpoint(const Signer& signer) {
  QF_RETURN_IF_ERROR(Flush());
  Checkpoint c{signer.name(), size(), Root()};
  std::string note = signer.Sign(CheckpointBody(c));
  QF_ASSIGN_OR_RETURN(Stmt st, db_->Prepare("INSERT OR IGNORE INTO ledger_checkpoints(size, root, "
                                            "note, created_at) VALUES (?,?,?,?)"));
  st.BindInt(1, static_cast<int64_t>(c.size));
  st.BindBlob(2, c.root.data(), 32);
  st.BindText(3, note);
  st.BindText(4, NowShanghai());
  QF_RETURN_IF_ERROR(st.Run());
  if (db_->Changes() == 0) {
    // A checkpoint of this size exists: keep the one already published.
    QF_ASSIGN_OR_RETURN(Stmt old, db_->Prepare("SELECT note FROM ledger_checkpoints "
                                               "WHERE size = ?"));
    old.BindInt(1, static_cast<int64_t>(c.size));
    QF_ASSIGN_OR_RETURN(bool row, old.Step());
    if (row) return old.Text(0);
  }
  return note;
}

Status Ledger::ReadStored(int base_level, uint64_t begin, uint64_t end, std::vector<Digest>* out) {
  out->clear();
  Stmt& st = base_level == 0 ? read_leaves_ : read_nodes_;
  st.Reset();
  if (base_level == 0) {
    st.BindInt(1, static_cast<int64_t>(begin));
    st.BindInt(2, static_cast<int64_t>(end));
  } else {
    st.BindInt(1, NodeId(base_level, begin));
    st.BindInt(2, NodeId(base_level, end));
  }
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    if (sqlite3_column_bytes(st.raw(), 0) != 32) {
      st.Reset();
      return Corrupt("a stored hash is not 32 bytes");
    }
    Digest d;
    std::memcpy(d.data(), sqlite3_column_blob(st.raw(), 0), 32);
    out->push_back(d);
  }
  st.Reset();
  if (out->size() != end - begin) {
    return Corrupt("stored nodes missing at level " + std::to_string(base_level) + " [" +
                   std::to_string(begin) + ", " + std::to_string(end) + ")");
  }
  return Status::OK();
}

Result<Digest> Ledger::FetchSubtree(int level, uint64_t index) {
  // Read the 2^r stored nodes at the band's base level and hash them up.
  int base = level - level % kStoredLevelStep;
  int r = level - base;
  std::vector<Digest> nodes;
  QF_RETURN_IF_ERROR(ReadStored(base, index << r, (index + 1) << r, &nodes));
  for (size_t n = nodes.size(); n > 1; n /= 2) {
    for (size_t i = 0; i < n / 2; ++i) nodes[i] = merkle::NodeHash(nodes[2 * i], nodes[2 * i + 1]);
  }
  return nodes[0];
}

Result<std::vector<Digest>> Ledger::InclusionProof(uint64_t index, uint64_t tree_size) {
  QF_RETURN_IF_ERROR(Flush());
  if (tree_size > size()) return Status::InvalidArgument("tree size beyond the log");
  return merkle::InclusionProof(index, tree_size,
                                [this](int level, uint64_t i) { return FetchSubtree(level, i); });
}

Result<std::vector<Digest>> Ledger::ConsistencyProof(uint64_t old_size, uint64_t new_size) {
  QF_RETURN_IF_ERROR(Flush());
  if (new_size > size()) return Status::InvalidArgument("tree size beyond the log");
  return merkle::ConsistencyProof(old_size, new_size,
                                  [this](int level, uint64_t i) { return FetchSubtree(level, i); });
}

Result<Digest> Ledger::RootAt(uint64_t tree_size) {
  QF_RETURN_IF_ERROR(Flush());
  if (tree_size > size()) return Status::InvalidArgument("tree size beyond the log");
  if (tree_size == 0) return merkle::EmptyRoot();
  if (tree_size == size()) return Root();
  return merkle::RangeHash(0, tree_size,
                           [this](int level, uint64_t i) { return FetchSubtree(level, i); });
}

Result<Digest> Ledger::LeafHashAt(uint64_t index) {
  QF_RETURN_IF_ERROR(Flush());
  std::vector<Digest> one;
  QF_RETURN_IF_ERROR(ReadStored(0, index, index + 1, &one));
  return one[0];
}

Result<Signer> SignerFor(const std::string& db_path) {
  return Signer::LoadOrCreate(KeyPathFor(db_path), DefaultOrigin(db_path));
}

Result<std::string> LatestCheckpoint(Db* db) {
  QF_ASSIGN_OR_RETURN(Stmt st, db->Prepare("SELECT note FROM ledger_checkpoints "
                                           "ORDER BY size DESC LIMIT 1"));
  QF_ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? st.Text(0) : std::string();
}

Result<std::string> CheckpointNow(Db* db, const std::string& db_path) {
  QF_ASSIGN_OR_RETURN(Signer signer, SignerFor(db_path));
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(auto ledger, Ledger::Open(db));
  QF_ASSIGN_OR_RETURN(std::string note, ledger->WriteCheckpoint(signer));
  QF_RETURN_IF_ERROR(tx.Commit());
  return note;
}

Result<uint64_t> RecordAction(Db* db, const Action& a) {
  Transaction tx(db);
  QF_RETURN_IF_ERROR(tx.Begin());
  QF_ASSIGN_OR_RETURN(auto ledger, Ledger::Open(db));
  QF_ASSIGN_OR_RETURN(uint64_t index, ledger->AppendAction(a));
  QF_RETURN_IF_ERROR(ledger->Flush());
  QF_RETURN_IF_ERROR(tx.Commit());
  return index;
}

}  // namespace qf::ledger
