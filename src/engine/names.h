// Name normalisation for entity resolution: the forms in which person and
// organisation names are compared. Registries and the records that cite them
// spell one name many ways — traditional or simplified characters, full- or
// half-width letters and brackets, with or without a region prefix, 有限公司 or
// 有限责任公司 — and a match must not depend on which.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace qf::engine {

// Trim, width fold, traditional → simplified, spaces and middle dots (·•・)
// removed, ASCII lower-cased: "王 偉" and "王伟" give the same string.
std::string NormalizePersonName(std::string_view name);

// Trim, width fold, traditional → simplified, every bracket form （）【】[]〔〕
// as (), whitespace removed, ASCII lower-cased. The base form of an
// organisation name before it is split.
std::string NormalizeOrgText(std::string_view name);

// An organisation name in parts: "辽宁省阜新市鑫源建筑工程有限责任公司海州分公司"
// → region "辽宁省阜新市", core "鑫源建筑工程", form "有限公司" (有限责任公司 is
// the same legal form), branch "海州".
struct OrgName {
  std::string region;  // leading region prefixes and a bracketed "(阜新)", as written
  std::string core;    // what identifies the organisation
  std::string form;    // company form suffix, canonical (有限责任公司 → 有限公司)
  std::string branch;  // branch name of a 分公司/分店/二店, "" for the head office
};
OrgName SplitOrgName(std::string_view name);

// core, plus "#" + branch for a branch: the key under which spellings of one
// organisation meet.
std::string OrgKey(std::string_view name);

// The region code a region name stands for ("阜新市" → "2109", "海州区" →
// "210902", "辽宁" → "21"); "" when the name is not a known region. Region
// codes themselves ("210900") come back without trailing zero pairs ("2109").
std::string RegionCodeOf(std::string_view region);

// An address for comparison: width/t2s folded, whitespace removed, without the
// leading province and city ("辽宁省阜新市海州区解放大街1号" → "海州区解放大街1号";
// the district stays, it tells streets of the same name apart).
std::string NormalizeAddress(std::string_view address);
// The road and number of a normalised address, up to and including the first
// 号 ("海州区解放大街181号"); "" when there is none or nothing follows it.
std::string AddressStem(std::string_view normalized);

// Toneless pinyin syllables separated by spaces ("王炜" → "wang wei"), ASCII
// letters and digits kept lower-cased as one token each run, other characters
// dropped. For homophones. ICU "Han-Latin; Latin-ASCII", cached per character
// (Han-Latin reads character by character, so this is the same as converting
// the whole string, and names repeat their characters far more than their
// spellings). Thread-safe.
std::string Pinyin(std::string_view s);

// Traditional → simplified one character at a time through OpenCC (cached per
// character, thread-safe). Names are not phrases, and converting per character
// keeps millions of names off OpenCC's lock.
std::string SimplifyChars(std::string_view s);

// Code points of UTF-8 text (malformed bytes become U+FFFD).
std::u32string CodePoints(std::string_view s);

// True when a and b are at most one insertion, deletion or substitution apart.
bool WithinOneEdit(std::u32string_view a, std::u32string_view b);

// Whether a bare name (no ID number at hand) reads as an organisation: a form
// suffix, an institution word (公司 局 院 校 中心 委员会 …) or more than four
// characters without a middle dot.
bool LooksLikeOrgName(std::string_view name);

}  // namespace qf::engine
