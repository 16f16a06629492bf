// Private key files (the ledger's signing key, the office's report key): made
// once, never readable by others, and the same key for two processes that
// create it at the same moment.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace qf {

// The contents of the private file at `path`. When it does not exist, `make`
// gives the contents, which are written to a private temporary file (0600) and
// linked into place — a process that loses the race reads the winner's file.
// Refuses a file that others can read (InvalidInput with the chmod to run);
// `what_en` / `what_zh` name the key in messages ("ledger key", "账本签名密钥").
// The caller wipes the returned text when done (sodium_memzero).
Result<std::string> ReadOrCreateSecretFile(const std::string& path,
                                           const std::function<std::string()>& make,
                                           std::string_view what_en, std::string_view what_zh);

}  // namespace qf
