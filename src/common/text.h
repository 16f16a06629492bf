// Text helpers for Chinese administrative data: width folding, trimming,
// traditional→simplified for comparison, UTF-8 checks.
#pragma once

#include <string>
#include <string_view>

namespace qf {

// Strips ASCII whitespace, U+3000 ideographic space and U+00A0 at both ends.
std::string_view Trim(std::string_view s);

// Folds full-width ASCII (U+FF01..U+FF5E) to half-width and U+3000 to a space.
std::string FoldWidth(std::string_view s);

// Lower-cases ASCII letters only.
std::string AsciiLower(std::string_view s);

// Traditional → simplified Chinese (OpenCC t2s). Thread-safe. Returns the input
// unchanged when it holds no non-ASCII characters.
std::string ToSimplified(std::string_view s);

// Trim + FoldWidth + ToSimplified: the form in which names are compared.
std::string NormalizeForCompare(std::string_view s);

// True when `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

// Length of the longest prefix of `s` that ends on a whole UTF-8 sequence, so
// that a buffer cut mid-character can be completed by the next chunk.
size_t Utf8CompletePrefix(std::string_view s);

// Shows a value to a clerk in a message: clipped to `max_chars` code points.
std::string ClipForMessage(std::string_view s, size_t max_chars = 40);

// Appends the UTF-8 encoding of code point `cp`.
void AppendUtf8(std::string* out, char32_t cp);

// Formats integer fen as "1,234.50".
std::string FormatFen(long long fen);

}  // namespace qf
