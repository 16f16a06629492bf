// Word lists for the synthetic city: names by frequency, places, trades.
#pragma once

#include <string>

#include "synth/rng.h"

namespace qf::synth {

// A realistic Chinese personal name: surname by national frequency, one- or
// two-character given name by sex; `mongolian` gives a Mongolian-style name
// (used in 阜新蒙古族自治县).
std::string PersonName(Rng& rng, bool male, bool mongolian);
std::string Surname(Rng& rng);
// Pieces of a name, for families that share a surname.
std::string FamilySurname(Rng& rng, bool mongolian);
std::string GivenName(Rng& rng, bool male, bool mongolian);
// "辽宁省阜新市海州区" style address parts.
std::string StreetAddress(Rng& rng, const std::string& district);
// The n-th registered address of a district ("辽宁省阜新市海州区中华路12号3单元402室",
// or in a county mostly "…彰武县福兴地村3组45号"): distinct n give distinct
// addresses, so households and companies never share one by chance.
std::string NthAddress(const std::string& district, bool county, uint64_t n);
// 2-character trade name (字号) for a company, e.g. "鑫源".
std::string TradeName(Rng& rng);
// A mobile number 1[3-9]xxxxxxxxx.
std::string MobilePhone(Rng& rng);

}  // namespace qf::synth
