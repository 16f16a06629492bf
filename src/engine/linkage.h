// Probabilistic record linkage in the Fellegi–Sunter tradition, on plain
// records: name-only mentions (a payee, a vendor, a contact person) are matched
// to reference records (persons and organisations known by an ID).
//
// Each candidate pair is compared field by field (name, phone, address,
// account, region, affiliation) into outcome levels. A level's weight is
// log2(m/u): m = P(level | same entity), estimated by EM over the blocked
// candidate pairs; u = P(level | different entities), taken from how often the
// mention's own value occurs among the references (term frequency: a name 500
// references share agrees by chance 500 times as often as a unique one).
// Blocking (exact name, pinyin, one-deletion neighbourhood, phone, account,
// address, affiliation; oversized blocks of the weak keys skipped) keeps the
// cost near-linear. A mention's posterior for its best candidate weighs every
// candidate and the chance that the entity is in no registry at all.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace qf::engine {

enum class EntityKind : uint8_t { kPerson, kOrg };

// One record. Views must stay valid during Link(). Empty = missing. `name` is
// compared in normalised form (NormalizePersonName; OrgKey for organisations);
// phone and account by their digits and letters; address after width/t2s
// folding without the province/city prefix; region as a code (6-digit codes
// and region names both work: "210902", "海州区"); affiliation verbatim (an
// organisation or company the party is tied to: the payer of a salary, the
// company a contact person works for).
// `year` is a person's birth year on a reference and, on a mention, the latest
// birth year that fits it (a payee, a contact, a legal representative was an
// adult on the record's date: its year − 18); 0 = unknown.
struct LinkRecord {
  EntityKind kind = EntityKind::kPerson;
  std::string_view name, phone, address, account, region, affiliation;
  int32_t year = 0;
};

enum class LinkField : uint8_t {
  kName,
  kPhone,
  kAddress,
  kAccount,
  kRegion,
  kAffiliation,
  kAge,  // agree: the reference was born by the mention's year
};
inline constexpr int kLinkFields = 7;

// A further value of a multi-valued field of a reference: a second account, a
// second phone, another affiliation (only kPhone, kAccount, kAffiliation).
struct LinkAttribute {
  uint32_t ref;
  LinkField field;
  std::string_view value;
};

// Name outcome levels, best first.
enum class NameLevel : uint8_t {
  kExact,       // equal after normalisation (organisations: same region, core, form, branch)
  kSameKey,     // organisations: same core and branch, other region prefix or form
  kPinyin,      // same toneless pinyin (homophones: 王伟/王炜)
  kEdit1,       // one character inserted, deleted or replaced (names of ≥ 3 characters)
  kEdit1Short,  // the same on a two-character name: weak, 王伟/王强 are one edit apart
  kDiffer,
};
inline constexpr int kNameLevels = 6;

// Outcome levels of the other fields. kPartial only for addresses (same road
// and number, other unit). Missing when either side has no value, or when two
// regions are nested (阜新市 vs 海州区): no evidence either way.
enum class AttrLevel : uint8_t { kAgree, kPartial, kDisagree, kMissing };
inline constexpr int kAttrLevels = 4;

enum class LinkStatus : uint8_t { kUnmatched, kReview, kMatched, kConfirmed, kRejected };

struct LinkOptions {
  // Posterior ≥ match_threshold → matched; ≥ review_threshold → needs review.
  // 0.5: the best candidate is more likely than every alternative together
  // (the Bayes decision when a false match and a missed one cost the same).
  double match_threshold = 0.5;
  double review_threshold = 0.2;
  // The share of mentions whose entity is in the references; ≤ 0 → estimated by EM.
  double prior = 0;
  int em_iterations = 25;
  // Mentions per kind whose candidate pairs train the EM (a deterministic sample).
  size_t em_sample = 50000;
  // Blocks larger than this are skipped: exact-name blocks (strong key) and the
  // weak keys (pinyin, deletions, phone, account, address, affiliation).
  uint32_t max_exact_block = 5000;
  uint32_t max_block = 200;
  // How often an outsider (an entity in no registry) bears a registered name,
  // relative to one more registered bearer of it. Persons: 1 (outsiders are
  // named like everyone else). Organisations: names are chosen to be distinct,
  // so a shop that is not registered rarely carries a registered company's
  // exact name.
  std::array<double, 2> name_outsider = {1.0, 0.05};
  // Worker threads: 0 = TBB's default.
  int threads = 0;
};

// An analyst's decision on (mention, reference): confirm forces the match,
// reject removes that candidate (the next best may take its place).
struct LinkDecision {
  uint32_t mention;
  uint32_t ref;
  bool confirm;
};

inline constexpr uint32_t kNoRef = std::numeric_limits<uint32_t>::max();

struct LinkMatch {
  uint32_t ref = kNoRef;        // best candidate (also when below the thresholds)
  uint32_t runner_up = kNoRef;  // second best
  double weight = 0;            // log2 likelihood ratio of the best candidate
  double runner_up_weight = 0;  // of the second best (ambiguity); 0 when none
  double probability = 0;       // posterior that the best candidate is the entity
  uint32_t candidates = 0;
  LinkStatus status = LinkStatus::kUnmatched;
  // Per field: the level (NameLevel for kName, AttrLevel for the others) and its weight.
  std::array<uint8_t, kLinkFields> levels{};
  std::array<float, kLinkFields> weights{};
};

// What was estimated for one kind. m by EM over the candidate pairs of a
// sample of mentions; u_name is each name level's frequency over random
// pairs (used as is for the fuzzy levels, while exact and homophone levels
// take the mention's own term frequency); u[f][kDisagree] is one minus the
// chance that two references share a value. Agreement u is per value (term
// frequency), so it has no single figure here.
struct LinkModel {
  bool estimated = false;  // false: too few pairs, the defaults were used
  int iterations = 0;
  size_t pairs = 0;     // candidate pairs in the training sample
  size_t mentions = 0;  // mentions in the training sample
  double lambda = 0;    // share of candidate pairs that match
  double prior = 0;     // share of mentions with a match in the references
  std::array<double, kNameLevels> m_name{}, u_name{};
  std::array<std::array<double, kAttrLevels>, kLinkFields> m{}, u{};  // index 0 unused
};

struct LinkStats {
  size_t references = 0, mentions = 0;
  size_t candidate_pairs = 0;
  size_t skipped_blocks = 0;  // oversized blocks left out
  size_t matched = 0, review = 0, unmatched = 0, confirmed = 0, rejected = 0;
};

struct LinkResult {
  std::vector<LinkMatch> matches;   // one per mention
  std::array<LinkModel, 2> models;  // by EntityKind
  LinkStats stats;
};

// Links every mention to its best reference of the same kind.
Result<LinkResult> Link(const std::vector<LinkRecord>& refs,
                        const std::vector<LinkAttribute>& attributes,
                        const std::vector<LinkRecord>& mentions,
                        const std::vector<LinkDecision>& decisions, const LinkOptions& options);

// "名称一致(繁简/全半角归一后)+6.2；电话一致+9.8；地址缺失0": the comparison
// outcomes of a match with their weights, in Chinese.
std::string ExplainMatch(const LinkMatch& m, EntityKind kind);

// The Chinese label of a field's level ("名称同音", "账号一致" …).
std::string LevelLabel(LinkField f, uint8_t level);
const char* LinkStatusLabel(LinkStatus s);  // 已匹配, 待复核, 未匹配, 已确认, 已否决

}  // namespace qf::engine
