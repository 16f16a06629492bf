// Files kept under their SHA-256 beside the store (evidence, attachments,
// recordings, imported originals): one path scheme, written once through a
// temporary file, and checked against the hash on every read.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace qf {

// "<dir>/<first two hex digits>/<sha256>".
std::string BlobPath(const std::string& dir, const std::string& sha256);
// Writes `bytes` to `path` unless a file is there already, renaming a
// temporary file into place: the name is the content's hash, so a race is harmless.
Status WriteBlobOnce(const std::string& path, std::string_view bytes);
// The bytes at `path` when they still hash to `sha256`; else
// Corruption("<what> <sha256> is missing or altered").
Result<std::string> ReadBlob(const std::string& path, const std::string& sha256,
                             const std::string& what);

}  // namespace qf
