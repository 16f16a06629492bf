#include "engine/resolve.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>
#include <cstdio>
#include <cstring>
#include <deque>

#include "common/time.h"
#include "engine/names.h"
#include "ingest/dataset.h"
#include "ingest/identifiers.h"

namespace qf::engine {

namespace {

using MK = MentionKind;
using AK = AffiliationKind;

constexpr uint8_t kEmpty = 0;
constexpr uint8_t kNameOnly = 1;
constexpr uint8_t kExactBase = 2;  // + NameCheck
constexpr uint32_t kNoSlot = UINT32_MAX;

// Columns that identify a reference or attach an attribute to one; read
// together with the mention columns.
const std::vector<std::pair<const char*, std::vector<const char*>>>& ReferenceColumns() {
  static const std::vector<std::pair<const char*, std::vector<const char*>>> cols = {
      {"persons", {"id_number", "name", "phone", "address", "region_code"}},
      {"officials", {"id_number", "name", "org", "org_code"}},
      {"companies",
       {"credit_code", "name", "phone", "address", "region_code", "legal_rep_id_number"}},
      {"shareholders", {"credit_code", "holder_party"}},
      {"payments", {"payee_party", "payee_account", "org"}},
      {"welfare", {"beneficiary_id_number", "bank_account"}},
      {"bids", {"bidder_credit_code", "deposit_account"}},
  };
  return cols;
}

const Column* ColOf(const Table* t, const char* name) {
  if (t == nullptr || name == nullptr || *name == 0 || !t->has(name)) return nullptr;
  const Column& c = t->col(name);
  return c.physical == Physical::kString ? &c : nullptr;
}

uint32_t CodeAt(const Column* c, size_t r) { return c ? c->codes[r] : kNoString; }

// An 18-character ID number with a valid check digit (else: a credit code).
bool IsIdNumber(std::string_view s) {
  if (s.size() != 18) return false;
  for (size_t i = 0; i < 17; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return IdNumberCheckChar(s.substr(0, 17)) == s[17];
}

// Birth year stated by an ID number; 0 when `s` is none.
int32_t BirthYear(std::string_view s) {
  if (!IsIdNumber(s)) return 0;
  int32_t y = 0;
  for (size_t i = 6; i < 10; ++i) y = y * 10 + (s[i] - '0');
  return y;
}

// Year of a date or datetime cell; 0 when empty.
int32_t YearOf(const Table& t, const char* column, size_t r) {
  if (column == nullptr || *column == 0 || !t.has(column)) return 0;
  const Column& c = t.col(column);
  if (c.physical != Physical::kInt || c.ints[r] == kNull) return 0;
  int64_t day = c.type == ColumnType::kDateTime ? DayOf(c.ints[r]) : c.ints[r];
  if (c.type != ColumnType::kDate && c.type != ColumnType::kDateTime) return 0;
  return CivilFromDays(day).year;
}

// A name's comparable forms, for the name check of rows with an ID.
struct NameForm {
  std::string key;
  std::u32string cps;
};

NameForm FormOf(EntityKind kind, std::string_view name) {
  NameForm f;
  f.key = kind == EntityKind::kPerson ? NormalizePersonName(name) : OrgKey(name);
  f.cps = CodePoints(f.key);
  return f;
}

struct MentionKey {
  uint32_t name, phone, address, account, region, affiliation;
  int32_t year;
  uint64_t solo;  // (source, row) + 1 for a row with a decision of its own
  uint8_t kind;
  bool operator==(const MentionKey& o) const {
    return name == o.name && phone == o.phone && address == o.address && account == o.account &&
           region == o.region && affiliation == o.affiliation && year == o.year && solo == o.solo &&
           kind == o.kind;
  }
};
struct MentionKeyHash {
  size_t operator()(const MentionKey& k) const {
    uint64_t h = k.solo * 0x9E3779B97F4A7C15ull + k.kind;
    for (uint32_t v : {k.name, k.phone, k.address, k.account, k.region, k.affiliation,
                       static_cast<uint32_t>(k.year)}) {
      h = (h ^ v) * 0xbf58476d1ce4e5b9ull;
      h ^= h >> 31;
    }
    return static_cast<size_t>(h);
  }
};

std::string FormatWeight(double w) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f", w);
  return buf;
}

}  // namespace

const std::vector<MentionSource>& MentionSources() {
  // dataset, name, id, phone, address, account, region, kind, affiliation column/kind,
  // date (an adult then), role.
  static const std::vector<MentionSource> sources = {
      {"payments", "payee_name", "payee_party", "", "", "payee_account", "", MK::kAny, "org",
       AK::kOrgName, "pay_date", "收款人"},
      {"bids", "bidder_name", "bidder_credit_code", "", "", "deposit_account", "", MK::kOrg, "",
       AK::kNone, "", "投标人"},
      {"bids", "contact_person", "", "contact_phone", "", "", "", MK::kPerson, "bidder_credit_code",
       AK::kCompanyCode, "submit_time", "投标联系人"},
      {"shareholders", "holder_name", "holder_party", "", "", "", "", MK::kAny, "credit_code",
       AK::kCompanyCode, "", "股东"},
      {"companies", "legal_rep_name", "legal_rep_id_number", "", "", "", "region_code", MK::kPerson,
       "credit_code", AK::kCompanyCode, "established_date", "法定代表人"},
      {"reimbursements", "vendor_name", "", "", "", "", "", MK::kOrg, "", AK::kNone, "",
       "报销商户"},
      {"relatives", "relative_name", "relative_id_number", "", "", "", "", MK::kPerson, "",
       AK::kNone, "", "申报亲属"},
      {"welfare", "beneficiary_name", "beneficiary_id_number", "", "", "bank_account",
       "region_code", MK::kPerson, "", AK::kNone, "", "受益人"},
      {"vehicles", "owner_name", "owner_party", "", "", "", "", MK::kAny, "", AK::kNone, "",
       "车辆所有人"},
      {"real_estate", "owner_name", "owner_id_number", "", "", "", "", MK::kPerson, "", AK::kNone,
       "", "不动产权利人"},
  };
  return sources;
}

std::vector<Input> ResolveInputs() {
  std::vector<Input> inputs;
  auto add = [&](const char* dataset, const char* column) {
    if (column == nullptr || *column == 0) return;
    const DatasetDef* def = FindDataset(dataset);
    if (def == nullptr || def->ColumnIndex(column) < 0) return;  // only declared columns
    auto it = std::find_if(inputs.begin(), inputs.end(),
                           [&](const Input& in) { return in.dataset == dataset; });
    if (it == inputs.end()) {
      inputs.push_back(Input{dataset, {}});
      it = inputs.end() - 1;
    }
    if (std::find(it->columns.begin(), it->columns.end(), column) == it->columns.end())
      it->columns.emplace_back(column);
  };
  for (const auto& [dataset, cols] : ReferenceColumns()) {
    for (const char* c : cols) add(dataset, c);
  }
  for (const MentionSource& s : MentionSources()) {
    for (const char* c : {s.name_col, s.id_col, s.phone_col, s.address_col, s.account_col,
                          s.region_col, s.affiliation_col, s.date_col}) {
      add(s.dataset, c);
    }
  }
  return inputs;
}

Result<std::unique_ptr<Resolution>> Resolution::Build(const Snapshot& snap,
                                                      const std::vector<Decision>& decisions,
                                                      const LinkOptions& options) {
  std::unique_ptr<Resolution> r(new Resolution(snap));
  QF_RETURN_IF_ERROR(r->Run(decisions, options));
  return r;
}

uint32_t Resolution::RefOf(uint32_t entity) const {
  uint32_t r = ref_by_entity_.Find(entity);
  return r == CodeTable::kAbsent ? kNoRef : r;
}

Status Resolution::Run(const std::vector<Decision>& decisions, const LinkOptions& options) {
  const Snapshot& snap = *snap_;
  const auto& defs = MentionSources();
  std::deque<std::string> arena;  // derived strings the link records point into
  std::vector<LinkRecord> ref_records;
  std::vector<LinkAttribute> attrs;
  boost::unordered_flat_set<uint64_t> attr_seen;

  auto add_ref = [&](uint32_t entity, EntityKind kind, bool org_name, bool registry,
                     uint32_t name) -> uint32_t {
    uint32_t existing = RefOf(entity);
    if (existing != kNoRef) return existing;
    uint32_t idx = static_cast<uint32_t>(refs_.size());
    refs_.push_back(Ref{entity, name, org_name, registry, kind, snap.str(name)});
    LinkRecord rec;
    rec.kind = kind;
    rec.name = snap.str(name);
    if (kind == EntityKind::kPerson) rec.year = BirthYear(snap.str(entity));
    ref_records.push_back(rec);
    ref_by_entity_.Insert(entity, idx);
    return idx;
  };
  auto add_attr = [&](uint32_t ref, LinkField field, uint32_t code, std::string_view value) {
    if (ref == kNoRef || value.empty()) return;
    uint64_t k = (uint64_t{ref} << 32) | code;
    k ^= static_cast<uint64_t>(field) << 61;
    if (!attr_seen.insert(k).second) return;
    attrs.push_back(LinkAttribute{ref, field, value});
  };
  // "org:" + normalised organisation name, per pool code.
  boost::unordered_flat_map<uint32_t, std::string_view> org_affiliation;
  auto org_aff = [&](uint32_t code) -> std::string_view {
    if (code == kNoString) return {};
    auto it = org_affiliation.find(code);
    if (it != org_affiliation.end()) return it->second;
    std::string n = NormalizeOrgText(snap.str(code));
    std::string_view v;
    if (!n.empty()) v = arena.emplace_back("org:" + n);
    org_affiliation.emplace(code, v);
    return v;
  };
  boost::unordered_flat_map<uint32_t, bool> id_kind_cache;
  auto kind_of_id = [&](uint32_t code) {
    auto it = id_kind_cache.find(code);
    if (it != id_kind_cache.end()) return it->second ? EntityKind::kPerson : EntityKind::kOrg;
    bool person = IsIdNumber(snap.str(code));
    id_kind_cache.emplace(code, person);
    return person ? EntityKind::kPerson : EntityKind::kOrg;
  };

  // --- References: the registries.
  if (const Table* t = snap.table("persons")) {
    const Column* id = ColOf(t, "id_number");
    const Column* name = ColOf(t, "name");
    const Column* phone = ColOf(t, "phone");
    const Column* address = ColOf(t, "address");
    const Column* region = ColOf(t, "region_code");
    if (id && name) {
      for (size_t r = 0; r < t->size(); ++r) {
        uint32_t code = id->codes[r];
        if (code == kNoString || RefOf(code) != kNoRef) continue;
        uint32_t idx = add_ref(code, EntityKind::kPerson, false, true, name->codes[r]);
        ref_records[idx].phone = snap.str(CodeAt(phone, r));
        ref_records[idx].address = snap.str(CodeAt(address, r));
        ref_records[idx].region = snap.str(CodeAt(region, r));
      }
    }
  }
  // Public bodies from officials.org: by org_code where any row gives one.
  struct Body {
    uint32_t name_code = kNoString, org_code = kNoString;
  };
  std::vector<std::pair<std::string, Body>> bodies;  // normalised name → body
  if (const Table* t = snap.table("officials")) {
    const Column* id = ColOf(t, "id_number");
    const Column* name = ColOf(t, "name");
    const Column* org = ColOf(t, "org");
    const Column* org_code = ColOf(t, "org_code");
    if (id && name) {
      for (size_t r = 0; r < t->size(); ++r) {
        uint32_t code = id->codes[r];
        if (code == kNoString) continue;
        uint32_t ref = add_ref(code, EntityKind::kPerson, false, true, name->codes[r]);
        if (org) {
          std::string_view aff = org_aff(org->codes[r]);
          add_attr(ref, LinkField::kAffiliation, org->codes[r], aff);
        }
      }
    }
    if (org) {
      boost::unordered_flat_map<std::string, size_t> by_name;
      for (size_t r = 0; r < t->size(); ++r) {
        uint32_t oc = org->codes[r];
        if (oc == kNoString) continue;
        std::string_view aff = org_aff(oc);
        if (aff.empty()) continue;
        auto [it, fresh] = by_name.try_emplace(std::string(aff), bodies.size());
        if (fresh) bodies.push_back({std::string(aff), Body{oc, kNoString}});
        Body& b = bodies[it->second].second;
        if (b.org_code == kNoString) b.org_code = CodeAt(org_code, r);
      }
    }
  }
  if (const Table* t = snap.table("companies")) {
    const Column* code = ColOf(t, "credit_code");
    const Column* name = ColOf(t, "name");
    const Column* phone = ColOf(t, "phone");
    const Column* address = ColOf(t, "address");
    const Column* region = ColOf(t, "region_code");
    const Column* rep = ColOf(t, "legal_rep_id_number");
    if (code && name) {
      for (size_t r = 0; r < t->size(); ++r) {
        uint32_t c = code->codes[r];
        if (c == kNoString || RefOf(c) != kNoRef) continue;
        uint32_t idx = add_ref(c, EntityKind::kOrg, false, true, name->codes[r]);
        ref_records[idx].phone = snap.str(CodeAt(phone, r));
        ref_records[idx].address = snap.str(CodeAt(address, r));
        ref_records[idx].region = snap.str(CodeAt(region, r));
      }
      for (size_t r = 0; r < t->size() && rep; ++r) {
        uint32_t p = rep->codes[r];
        if (p == kNoString || code->codes[r] == kNoString) continue;
        add_attr(RefOf(p), LinkField::kAffiliation, code->codes[r], snap.str(code->codes[r]));
      }
    }
  }
  for (const auto& [key, body] : bodies) {
    if (body.org_code != kNoString) {
      uint32_t idx = add_ref(body.org_code, EntityKind::kOrg, false, true, body.name_code);
      org_name_refs_.emplace_back(key, idx);
    } else if (RefOf(body.name_code) == kNoRef) {
      uint32_t idx = add_ref(body.name_code, EntityKind::kOrg, true, true, body.name_code);
      org_name_refs_.emplace_back(key, idx);
    }
  }
  std::sort(org_name_refs_.begin(), org_name_refs_.end());
  if (const Table* t = snap.table("shareholders")) {
    const Column* code = ColOf(t, "credit_code");
    const Column* holder = ColOf(t, "holder_party");
    for (size_t r = 0; code && holder && r < t->size(); ++r) {
      uint32_t h = holder->codes[r], c = code->codes[r];
      if (h == kNoString || c == kNoString) continue;
      add_attr(RefOf(h), LinkField::kAffiliation, c, snap.str(c));
    }
  }

  // --- Parties seen with an ID on a record but in no registry.
  sources_.resize(defs.size());
  for (size_t s = 0; s < defs.size(); ++s) {
    const MentionSource& def = defs[s];
    Source& src = sources_[s];
    src.table = snap.table(def.dataset);
    src.name = ColOf(src.table, def.name_col);
    src.id = ColOf(src.table, def.id_col);
    if (src.id == nullptr) continue;
    for (size_t r = 0; r < src.table->size(); ++r) {
      uint32_t id = src.id->codes[r];
      uint32_t name = CodeAt(src.name, r);
      if (id == kNoString || name == kNoString || RefOf(id) != kNoRef) continue;
      add_ref(id, kind_of_id(id), false, false, name);
    }
  }

  // --- Attributes learnt from records with an ID: accounts, payers.
  if (const Table* t = snap.table("payments")) {
    const Column* party = ColOf(t, "payee_party");
    const Column* account = ColOf(t, "payee_account");
    const Column* org = ColOf(t, "org");
    for (size_t r = 0; party && r < t->size(); ++r) {
      uint32_t p = party->codes[r];
      if (p == kNoString) continue;
      uint32_t ref = RefOf(p);
      if (account && account->codes[r] != kNoString)
        add_attr(ref, LinkField::kAccount, account->codes[r], snap.str(account->codes[r]));
      if (org && org->codes[r] != kNoString)
        add_attr(ref, LinkField::kAffiliation, org->codes[r], org_aff(org->codes[r]));
    }
  }
  if (const Table* t = snap.table("welfare")) {
    const Column* id = ColOf(t, "beneficiary_id_number");
    const Column* account = ColOf(t, "bank_account");
    for (size_t r = 0; id && account && r < t->size(); ++r) {
      if (id->codes[r] == kNoString || account->codes[r] == kNoString) continue;
      add_attr(RefOf(id->codes[r]), LinkField::kAccount, account->codes[r],
               snap.str(account->codes[r]));
    }
  }
  if (const Table* t = snap.table("bids")) {
    const Column* id = ColOf(t, "bidder_credit_code");
    const Column* account = ColOf(t, "deposit_account");
    for (size_t r = 0; id && account && r < t->size(); ++r) {
      if (id->codes[r] == kNoString || account->codes[r] == kNoString) continue;
      add_attr(RefOf(id->codes[r]), LinkField::kAccount, account->codes[r],
               snap.str(account->codes[r]));
    }
  }
  attr_seen = {};

  // --- Decisions: rows that carry one become mentions of their own.
  struct RowDecision {
    uint16_t source;
    uint32_t row;
    uint32_t ref;
    bool confirm;
  };
  std::vector<RowDecision> row_decisions;
  {
    std::vector<boost::unordered_flat_map<uint32_t, uint32_t>> row_by_key(defs.size());
    for (const Decision& d : decisions) {
      size_t s = 0;
      for (; s < defs.size(); ++s) {
        if (d.dataset == defs[s].dataset &&
            (d.column == defs[s].name_col || (*defs[s].id_col && d.column == defs[s].id_col)))
          break;
      }
      if (s == defs.size() || sources_[s].name == nullptr) {
        ++stale_decisions_;
        continue;
      }
      const Table& t = *sources_[s].table;
      if (row_by_key[s].empty()) {
        for (size_t r = 0; r < t.size(); ++r)
          row_by_key[s].emplace(t.key_code(r), static_cast<uint32_t>(r));
      }
      uint32_t key = snap.find(d.key);
      auto it = row_by_key[s].find(key);
      uint32_t ref = kNoRef;
      if (d.entity_key.rfind("org:", 0) == 0) {
        auto b = std::lower_bound(org_name_refs_.begin(), org_name_refs_.end(), d.entity_key,
                                  [](const auto& e, const std::string& k) { return e.first < k; });
        if (b != org_name_refs_.end() && b->first == d.entity_key) ref = b->second;
      } else {
        uint32_t code = snap.find(d.entity_key);
        if (code != kNoString) ref = RefOf(code);
      }
      if (key == kNoString || it == row_by_key[s].end() || ref == kNoRef ||
          CodeAt(sources_[s].id, it->second) != kNoString) {
        ++stale_decisions_;  // the row is gone, now carries an ID, or the entity is unknown
        continue;
      }
      row_decisions.push_back({static_cast<uint16_t>(s), it->second, ref, d.confirm});
    }
  }
  boost::unordered_flat_set<uint64_t> solo_rows;
  for (const RowDecision& d : row_decisions) solo_rows.insert((uint64_t{d.source} << 32) | d.row);

  // --- Mentions: exact rows checked, name-only rows collected (distinct).
  std::vector<LinkRecord> mention_records;
  boost::unordered_flat_map<MentionKey, uint32_t, MentionKeyHash> distinct;
  boost::unordered_flat_map<uint32_t, bool> org_shape;
  // Normalised names for the name check, per (kind, pool code); filled in parallel.
  boost::unordered_flat_map<uint64_t, uint32_t> form_index;
  std::vector<std::pair<EntityKind, uint32_t>> form_keys;
  auto want_form = [&](EntityKind kind, uint32_t code) {
    uint64_t k = (uint64_t{static_cast<uint8_t>(kind)} << 32) | code;
    if (form_index.try_emplace(k, static_cast<uint32_t>(form_keys.size())).second)
      form_keys.emplace_back(kind, code);
  };
  counts_.assign(defs.size(), SourceCounts());
  for (size_t s = 0; s < defs.size(); ++s) {
    const MentionSource& def = defs[s];
    Source& src = sources_[s];
    if (src.name == nullptr) continue;
    const Table& t = *src.table;
    const Column* phone = ColOf(&t, def.phone_col);
    const Column* address = ColOf(&t, def.address_col);
    const Column* account = ColOf(&t, def.account_col);
    const Column* region = ColOf(&t, def.region_col);
    const Column* aff = ColOf(&t, def.affiliation_col);
    src.entity.assign(t.size(), kNoString);
    src.state.assign(t.size(), kEmpty);
    src.slot.assign(t.size(), kNoSlot);
    for (size_t r = 0; r < t.size(); ++r) {
      uint32_t name = src.name->codes[r];
      uint32_t id = CodeAt(src.id, r);
      if (id != kNoString) {
        src.entity[r] = id;
        src.state[r] = kExactBase;  // name check below
        uint32_t ref = RefOf(id);
        if (name != kNoString && ref != kNoRef && refs_[ref].registry) {
          want_form(refs_[ref].kind, name);
          want_form(refs_[ref].kind, refs_[ref].name_code);
        }
        continue;
      }
      if (name == kNoString) continue;
      EntityKind kind;
      if (def.kind == MK::kPerson) {
        kind = EntityKind::kPerson;
      } else if (def.kind == MK::kOrg) {
        kind = EntityKind::kOrg;
      } else {
        auto it = org_shape.find(name);
        if (it == org_shape.end())
          it = org_shape.emplace(name, LooksLikeOrgName(snap.str(name))).first;
        kind = it->second ? EntityKind::kOrg : EntityKind::kPerson;
      }
      int32_t year = 0;
      if (kind == EntityKind::kPerson) {
        year = YearOf(t, def.date_col, r);
        if (year) year -= 18;  // an adult on the record's date
      }
      MentionKey key{
          name,
          CodeAt(phone, r),
          CodeAt(address, r),
          CodeAt(account, r),
          CodeAt(region, r),
          CodeAt(aff, r),
          year,
          solo_rows.contains((uint64_t{s} << 32) | r) ? ((uint64_t{s} << 32) | r) + 1 : 0,
          static_cast<uint8_t>(kind)};
      auto [it, fresh] = distinct.try_emplace(key, static_cast<uint32_t>(mention_records.size()));
      if (fresh) {
        LinkRecord rec;
        rec.kind = kind;
        rec.name = snap.str(name);
        rec.phone = snap.str(key.phone);
        rec.address = snap.str(key.address);
        rec.account = snap.str(key.account);
        rec.region = snap.str(key.region);
        rec.year = key.year;
        if (def.affiliation == AK::kOrgName) {
          rec.affiliation = org_aff(key.affiliation);
        } else if (def.affiliation == AK::kCompanyCode) {
          rec.affiliation = snap.str(key.affiliation);
        }
        mention_records.push_back(rec);
        mention_kind_.push_back(kind);
      }
      src.state[r] = kNameOnly;
      src.slot[r] = it->second;
    }
  }
  distinct = {};

  // Name check of exact rows: normalised forms of the names on rows and in registries.
  std::vector<NameForm> forms(form_keys.size());
  tbb::parallel_for(tbb::blocked_range<size_t>(0, form_keys.size(), 256), [&](const auto& rg) {
    for (size_t i = rg.begin(); i < rg.end(); ++i)
      forms[i] = FormOf(form_keys[i].first, snap.str(form_keys[i].second));
  });
  auto form_of = [&](EntityKind kind, uint32_t code) -> const NameForm* {
    auto it = form_index.find((uint64_t{static_cast<uint8_t>(kind)} << 32) | code);
    return it == form_index.end() ? nullptr : &forms[it->second];
  };
  for (size_t s = 0; s < defs.size(); ++s) {
    Source& src = sources_[s];
    if (src.name == nullptr) continue;
    SourceCounts& c = counts_[s];
    for (size_t r = 0; r < src.state.size(); ++r) {
      if (src.state[r] != kExactBase) continue;
      uint32_t id = src.id->codes[r];
      uint32_t name = src.name->codes[r];
      uint32_t ref = RefOf(id);
      NameCheck check = NameCheck::kNone;
      if (ref == kNoRef || !refs_[ref].registry) {
        check = NameCheck::kNotInRegistry;
      } else if (name != kNoString) {
        const NameForm* a = form_of(refs_[ref].kind, name);
        const NameForm* b = form_of(refs_[ref].kind, refs_[ref].name_code);
        if (a && b) {
          if (a->key == b->key) {
            check = NameCheck::kAgree;
          } else if (WithinOneEdit(a->cps, b->cps) ||
                     (!a->key.empty() && Pinyin(a->key) == Pinyin(b->key))) {
            check = NameCheck::kSimilar;
          } else {
            check = NameCheck::kDisagree;
          }
        }
      }
      src.state[r] = static_cast<uint8_t>(kExactBase + static_cast<uint8_t>(check));
      ++c.exact;
      if (check == NameCheck::kDisagree) ++c.exact_name_disagree;
      if (check == NameCheck::kNotInRegistry) ++c.exact_not_in_registry;
    }
  }

  // --- Link the distinct name-only mentions.
  std::vector<LinkDecision> link_decisions;
  for (const RowDecision& d : row_decisions) {
    uint32_t slot = sources_[d.source].slot[d.row];
    if (slot == kNoSlot) continue;
    if (refs_[d.ref].kind != mention_kind_[slot]) {
      ++stale_decisions_;  // a person confirmed for an organisation's cell, or the reverse
      continue;
    }
    link_decisions.push_back({slot, d.ref, d.confirm});
  }
  auto linked = Link(ref_records, attrs, mention_records, link_decisions, options);
  if (!linked.ok()) return linked.status();
  link_ = std::move(linked).value();

  for (size_t s = 0; s < defs.size(); ++s) {
    Source& src = sources_[s];
    if (src.name == nullptr) continue;
    SourceCounts& c = counts_[s];
    for (size_t r = 0; r < src.state.size(); ++r) {
      if (src.state[r] == kEmpty) continue;
      ++c.rows;
      if (src.state[r] != kNameOnly) continue;
      const LinkMatch& m = link_.matches[src.slot[r]];
      switch (m.status) {
        case LinkStatus::kMatched:
          ++c.matched;
          src.entity[r] = refs_[m.ref].entity;
          break;
        case LinkStatus::kConfirmed:
          ++c.confirmed;
          src.entity[r] = refs_[m.ref].entity;
          break;
        case LinkStatus::kReview:
          ++c.review;
          break;
        case LinkStatus::kUnmatched:
          ++c.unmatched;
          break;
        case LinkStatus::kRejected:
          ++c.rejected;
          break;
      }
    }
  }
  return Status::OK();
}

uint32_t Resolution::PartyOf(const Table& t, uint32_t row, std::string_view column) const {
  const auto& defs = MentionSources();
  for (size_t s = 0; s < sources_.size(); ++s) {
    const Source& src = sources_[s];
    if (src.table != &t) continue;
    if (column != defs[s].name_col && (*defs[s].id_col == 0 || column != defs[s].id_col)) continue;
    return row < src.entity.size() ? src.entity[row] : kNoString;
  }
  return kNoString;
}

std::optional<Resolved> Resolution::Get(uint16_t source, uint32_t row) const {
  if (source >= sources_.size()) return std::nullopt;
  const Source& src = sources_[source];
  if (row >= src.state.size() || src.state[row] == kEmpty) return std::nullopt;
  Resolved r;
  r.m = Mention{source, row};
  r.entity = src.entity[row];
  if (src.state[row] >= kExactBase) {
    r.exact = true;
    r.status = LinkStatus::kMatched;
    r.probability = 1;
    r.name_check = static_cast<NameCheck>(src.state[row] - kExactBase);
    uint32_t ref = RefOf(r.entity);
    if (ref != kNoRef) {
      r.kind = refs_[ref].kind;
      r.entity_is_org_name = refs_[ref].org_name;
    } else {
      r.kind = IsIdNumber(snap_->str(r.entity)) ? EntityKind::kPerson : EntityKind::kOrg;
    }
    r.candidate = r.entity;
    return r;
  }
  uint32_t slot = src.slot[row];
  const LinkMatch& m = link_.matches[slot];
  r.kind = mention_kind_[slot];
  r.status = m.status;
  r.probability = m.probability;
  r.weight = m.weight;
  r.runner_up_weight = m.runner_up_weight;
  r.levels = m.levels;
  r.weights = m.weights;
  if (m.ref != kNoRef) {
    r.candidate = refs_[m.ref].entity;
    r.candidate_is_org_name = refs_[m.ref].org_name;
    if (r.entity != kNoString) r.entity_is_org_name = refs_[m.ref].org_name;
  }
  return r;
}

void Resolution::ForEach(const std::function<void(const Resolved&)>& fn) const {
  for (size_t s = 0; s < sources_.size(); ++s) {
    for (size_t r = 0; r < sources_[s].state.size(); ++r) {
      if (sources_[s].state[r] == kEmpty) continue;
      std::optional<Resolved> res = Get(static_cast<uint16_t>(s), static_cast<uint32_t>(r));
      if (res) fn(*res);
    }
  }
}

std::string_view Resolution::EntityName(uint32_t entity) const {
  uint32_t ref = RefOf(entity);
  return ref == kNoRef ? std::string_view() : refs_[ref].name;
}

std::string Resolution::EntityKey(uint32_t entity) const {
  uint32_t ref = RefOf(entity);
  if (ref != kNoRef && refs_[ref].org_name) return "org:" + NormalizeOrgText(refs_[ref].name);
  return std::string(snap_->str(entity));
}

std::string Resolution::Explain(const Resolved& r) const {
  const MentionSource& def = MentionSources()[r.m.source];
  const Source& src = sources_[r.m.source];
  std::string name(snap_->str(CodeAt(src.name, r.m.row)));
  std::string out = std::string(def.role_zh) + "「" + name + "」";
  auto entity_text = [&](uint32_t entity, bool org_name) {
    std::string t(EntityName(entity));
    if (!org_name) t += "(" + std::string(snap_->str(entity)) + ")";
    return t.empty() ? std::string(snap_->str(entity)) : t;
  };
  if (r.exact) {
    out += "按证件号精确关联";
    if (r.name_check == NameCheck::kNotInRegistry) {
      out += "，证件号" + std::string(snap_->str(r.entity)) + "不在登记库中";
      return out;
    }
    out += "至" + entity_text(r.entity, r.entity_is_org_name);
    switch (r.name_check) {
      case NameCheck::kAgree:
        out += "，登记名称一致";
        break;
      case NameCheck::kSimilar:
        out += "，登记名称为「" + std::string(EntityName(r.entity)) + "」，相近（同音或一字之差）";
        break;
      case NameCheck::kDisagree:
        out += "，登记名称为「" + std::string(EntityName(r.entity)) + "」，与记录不一致";
        break;
      default:
        break;
    }
    return out;
  }
  if (r.candidate == kNoString) {
    out += LinkStatusLabel(r.status);
    out += "：未找到候选";
    return out;
  }
  out += LinkStatusLabel(r.status);
  out +=
      r.status == LinkStatus::kMatched || r.status == LinkStatus::kConfirmed ? " " : "，最可能为 ";
  out += entity_text(r.candidate, r.candidate_is_org_name);
  char num[64];
  std::snprintf(num, sizeof num, "，匹配概率%.2f，综合权重%s", r.probability,
                FormatWeight(r.weight).c_str());
  out += num;
  const LinkMatch& m = link_.matches[src.slot[r.m.row]];
  if (m.runner_up != kNoRef) out += "（次优候选" + FormatWeight(r.runner_up_weight) + "）";
  out += "：";
  out += ExplainMatch(m, r.kind);
  return out;
}

size_t Resolution::memory_bytes() const {
  size_t b =
      refs_.size() * sizeof(Ref) + link_.matches.size() * sizeof(LinkMatch) + mention_kind_.size();
  for (const Source& s : sources_) {
    b += s.entity.size() * 4 + s.state.size() + s.slot.size() * 4;
  }
  return b;
}

}  // namespace qf::engine
