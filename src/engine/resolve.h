// Entity resolution on the snapshot: every cell that names a party — a payee, a
// bidder, a vendor, a contact person, a shareholder, a legal representative —
// resolved to a person or an organisation. A row carrying an ID number or a
// credit code resolves exactly (and its name is checked against the
// registry); a name-only row goes through the record linkage of linkage.h
// against the registries (persons, officials, companies, public bodies, and
// parties seen with an ID elsewhere). Analysts' confirm/reject decisions are
// applied on every run.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "engine/linkage.h"
#include "engine/snapshot.h"

namespace qf::engine {

enum class MentionKind : uint8_t { kPerson, kOrg, kAny };

// What else ties a mention to its party: the payer of a payment (officials of
// that organisation, parties it has paid before), or a company (its
// shareholders and legal representative).
enum class AffiliationKind : uint8_t { kNone, kOrgName, kCompanyCode };

// A dataset column naming a party, declared once in MentionSources(). Column
// names are "" when the dataset has no such column.
struct MentionSource {
  const char* dataset;
  const char* name_col;
  const char* id_col;  // ID number, credit code or party; "" when the column never has one
  const char* phone_col;
  const char* address_col;
  const char* account_col;
  const char* region_col;
  MentionKind kind;  // kAny: an ID's format decides, else the name's shape
  const char* affiliation_col;
  AffiliationKind affiliation;
  // The record's date: a person named here was an adult on it ("" = no such rule).
  const char* date_col;
  const char* role_zh;  // 收款人, 投标人 … for explanations
};

const std::vector<MentionSource>& MentionSources();

// The snapshot columns Resolution::Build reads (reference tables and mentions).
std::vector<Input> ResolveInputs();

// How the name on a row with an ID compares with the registry's name for it.
enum class NameCheck : uint8_t {
  kNone,           // no name on the row
  kAgree,          // equal after normalisation
  kSimilar,        // a homophone or one character apart
  kDisagree,       // another name
  kNotInRegistry,  // the ID is in no registry (persons, officials, companies)
};

struct Mention {
  uint16_t source;  // index into MentionSources()
  uint32_t row;
};

struct Resolved {
  Mention m;
  EntityKind kind = EntityKind::kPerson;
  // Pool code of the entity's ID number / credit code / org_code. For a public
  // body known only by name (officials.org without org_code) it is the pool
  // code of that organisation's officials.org spelling, and entity_is_org_name
  // is set. kNoString when the row did not resolve (unmatched, review).
  uint32_t entity = kNoString;
  bool entity_is_org_name = false;
  // The best candidate even when below the match threshold (for review).
  uint32_t candidate = kNoString;
  bool candidate_is_org_name = false;
  double probability = 0;  // 1 for exact
  double weight = 0;       // log2 likelihood ratio of the best candidate
  double runner_up_weight = 0;
  bool exact = false;                          // resolved by the row's own ID
  LinkStatus status = LinkStatus::kUnmatched;  // exact rows: kMatched
  NameCheck name_check = NameCheck::kNone;     // exact rows only
  std::array<uint8_t, kLinkFields> levels{};   // name-only rows: comparison outcomes
  std::array<float, kLinkFields> weights{};
};

// An analyst's decision, keyed so that it survives re-imports and re-runs: the
// mention's dataset, natural key (Table::key_code's text) and name column, and
// the entity key (ID number, credit code, or "org:" + normalised name for a
// public body without a code — see Resolution::EntityKey).
struct Decision {
  std::string dataset, key, column, entity_key;
  bool confirm = true;
};

struct SourceCounts {
  size_t rows = 0;  // rows with a name or an ID
  size_t exact = 0, exact_name_disagree = 0, exact_not_in_registry = 0;
  size_t matched = 0, review = 0, unmatched = 0, confirmed = 0, rejected = 0;
};

class Resolution {
 public:
  // `snap` must hold ResolveInputs() (missing datasets are skipped) and outlive
  // the result.
  static Result<std::unique_ptr<Resolution>> Build(const Snapshot& snap,
                                                   const std::vector<Decision>& decisions,
                                                   const LinkOptions& options = {});

  // The entity of a row's party cell (`column` is the source's name or ID
  // column): exact, matched or confirmed; else kNoString.
  uint32_t PartyOf(const Table& t, uint32_t row, std::string_view column) const;

  // One row of one source; nullopt when its cells are empty.
  std::optional<Resolved> Get(uint16_t source, uint32_t row) const;
  // Every non-empty mention, source by source, in row order.
  void ForEach(const std::function<void(const Resolved&)>& fn) const;

  const std::vector<SourceCounts>& counts() const { return counts_; }  // by source index
  const LinkResult& link() const {
    return link_;
  }  // models and stats (matches per distinct mention)
  size_t stale_decisions() const { return stale_decisions_; }
  size_t references() const { return refs_.size(); }

  // "收款人「阜新鑫源建筑工程有限责任公司」已匹配 阜新鑫源建筑工程有限公司
  // (9121…)，匹配概率0.98，综合权重+21.3（次优候选+2.0）：名称一致(繁简/全半角
  // 归一后)+8.1；账号一致+13.2；…" — in Chinese.
  std::string Explain(const Resolved& r) const;
  // The registry name of an entity, "" when unknown.
  std::string_view EntityName(uint32_t entity) const;
  // The stable key of an entity for Decision::entity_key.
  std::string EntityKey(uint32_t entity) const;

  size_t memory_bytes() const;

 private:
  struct Source {
    const Table* table = nullptr;
    const Column* name = nullptr;
    const Column* id = nullptr;
    // Per row: entity for PartyOf; state (0 empty, 1 name-only, 2 + NameCheck
    // exact); distinct-mention index of name-only rows.
    std::vector<uint32_t> entity;
    std::vector<uint8_t> state;
    std::vector<uint32_t> slot;
  };
  struct Ref {
    uint32_t entity;
    uint32_t name_code;
    bool org_name;  // entity is a public body's officials.org spelling
    bool registry;  // from a registry, not only seen with an ID on a record
    EntityKind kind;
    std::string_view name;
  };

  explicit Resolution(const Snapshot& snap) : snap_(&snap) {}
  Status Run(const std::vector<Decision>& decisions, const LinkOptions& options);
  uint32_t RefOf(uint32_t entity) const;

  const Snapshot* snap_;
  std::vector<Source> sources_;
  std::vector<Ref> refs_;
  CodeTable ref_by_entity_;
  std::vector<std::pair<std::string, uint32_t>> org_name_refs_;  // "org:"+name → ref, sorted
  std::vector<EntityKind> mention_kind_;                         // per distinct mention
  LinkResult link_;
  std::vector<SourceCounts> counts_;
  size_t stale_decisions_ = 0;
};

}  // namespace qf::engine
