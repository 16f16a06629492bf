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
// Writes `bytes` to `path` through a temporary file renamed into place. A file
// there already is kept when it still hashes to the bytes' SHA-256 and replaced
// when it does not (a damaged copy is repaired by the good bytes). The
// temporary file is removed on every error.
Status WriteBlobOnce(const std::string& path, std::string_view bytes);
// The same for content already written to `tmp_path` (streamed, with its hex
// SHA-256 `sha256`): renamed to `path` unless a good copy is there, then
// `tmp_path` is gone either way. IOError("cannot store <path>: …") on failure.
Status KeepBlobFile(const std::string& tmp_path, const std::string& path,
                    const std::string& sha256);
// The hex SHA-256 of the file at `path`, read in chunks; NotFound when it
// cannot be opened.
Result<std::string> HashBlobFile(const std::string& path);
// The bytes at `path` when they still hash to `sha256`; else
// Corruption("<what> <sha256> is missing or altered").
Result<std::string> ReadBlob(const std::string& path, const std::string& sha256,
                             const std::string& what);

}  // namespace qf
