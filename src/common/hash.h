// SHA-256, one-shot and streaming. OpenSSL's implementation is used because
// it runs on the CPU's SHA extensions (several times faster than libsodium's
// portable code, and every imported row is hashed); libsodium stays the
// library for signatures and password hashing.
#pragma once

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
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void Update(std::string_view data);
  Digest Finish();

 private:
  void* ctx_;  // EVP_MD_CTX*
};

}  // namespace qf
