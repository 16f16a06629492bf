// Name variants for entity resolution: how a person's or a company's name is
// written when a record carries no ID number or credit code — traditional
// characters, full-width forms, company-form suffixes, region prefixes, a
// one-character typo or a homophone. The tables cover the characters the
// synthetic city's name lists use, so every variant is reproducible without
// OpenCC and the same on every machine.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "synth/rng.h"

namespace qf::synth {

enum class Variant : uint8_t {
  kNone,
  kTraditional,  // 张伟 → 張偉 (OpenCC t2s brings it back)
  kFullwidth,    // 王　伟 (ideographic space), （阜新） for (阜新)
  kSuffix,       // 有限公司 ↔ 有限责任公司, or the form left out
  kRegion,  // 阜新 / 阜新市 / 辽宁 prefix added, dropped, swapped or moved into "(阜新)"
  kTypo,    // one character replaced by a look-alike or a random one (not a homophone)
  kHomophone,  // one character replaced by another of the same pinyin (伟/炜/玮)
};
inline constexpr int kVariantKinds = 7;

// "none", "traditional", "fullwidth", "suffix", "region", "typo", "homophone".
const char* VariantName(Variant v);

// Writes `name` with variant `v` into *out. False (and *out untouched) when `v`
// cannot change this name: no character in the tables, no company-form
// suffix, suffix and region on a person's name …
bool ApplyVariant(Variant v, bool org, std::string_view name, Rng& rng, std::string* out);

// Draws a variant (by realistic weights for persons or organisations) that
// changes `name` and applies it; kNone (and *out = name) when none applies.
// `survives_folding`: only variants that width folding and traditional →
// simplified do not undo (suffix, region, typo, homophone) — for mentions an
// exact-name comparison must not see through.
Variant VaryName(bool org, std::string_view name, Rng& rng, std::string* out,
                 bool survives_folding = false);

// The simplified → traditional form of every character the tables know
// (others unchanged).
std::string TraditionalForm(std::string_view s);

}  // namespace qf::synth
