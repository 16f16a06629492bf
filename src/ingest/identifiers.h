// Chinese national identifiers: 公民身份号码 (GB 11643-1999) and
// 统一社会信用代码 (GB 32100-2015).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"

namespace qf {

// Validates an ID number and returns its canonical 18-character form: trimmed,
// full-width folded, lower-case x upper-cased, a 15-digit legacy number upgraded.
// Fails with a clerk-readable reason (bad length, characters, birth date, check digit).
Result<std::string> NormalizeIdNumber(std::string_view raw);

// GB 11643 check character for the first 17 digits.
char IdNumberCheckChar(std::string_view first17);

// Facts an ID number states about its holder (input must be a normalized 18-char number).
CivilDate IdNumberBirthDate(std::string_view id18);
bool IdNumberIsMale(std::string_view id18);

// Validates a unified social credit code and returns it trimmed, folded and upper-cased.
Result<std::string> NormalizeCreditCode(std::string_view raw);

// GB 32100 check character for the first 17 characters, or '\0' if one is not in the alphabet.
char CreditCodeCheckChar(std::string_view first17);

enum class PartyKind { kPerson, kOrganisation };
struct Party {
  PartyKind kind;
  std::string code;
};
// A `*_party` value: a valid ID number (a person) or credit code (an organisation).
Result<Party> NormalizeParty(std::string_view raw);

// Masks personal identifiers inside text: a valid 18-character ID number keeps its
// first 4 and last 4 characters (2109**********123X), an 11-digit mobile
// number its first 3 and last 4 (138****5678).
std::string MaskPersonalIds(std::string_view s);


}  // namespace qf
