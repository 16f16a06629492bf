// SHA-256 (libsodium), one-shot and streaming.
#pragma once

#include <sodium.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace qf {

using Digest = std::array<uint8_t, 32>;

// Must run once before any libsodium call; safe to call repeatedly.
void InitCrypto();

Digest Sha256(std::string_view data);
std::string ToHex(const uint8_t* data, size_t size);
inline std::string ToHex(const Digest& d) { return ToHex(d.data(), d.size()); }

class Sha256Stream {
 public:
  Sha256Stream();
  void Update(std::string_view data);
  Digest Finish();

 private:
  crypto_hash_sha256_state state_;
};

}  // namespace qf
