#include "common/hash.h"

#include <cstdlib>

namespace qf {

void InitCrypto() {
  if (sodium_init() < 0) std::abort();  // libsodium cannot work without entropy; nothing to recover
}

Digest Sha256(std::string_view data) {
  Digest d;
  crypto_hash_sha256(d.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return d;
}

std::string ToHex(const uint8_t* data, size_t size) {
  static const char kHex[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (size_t i = 0; i < size; ++i) {
    out[2 * i] = kHex[data[i] >> 4];
    out[2 * i + 1] = kHex[data[i] & 15];
  }
  return out;
}

Sha256Stream::Sha256Stream() { crypto_hash_sha256_init(&state_); }

void Sha256Stream::Update(std::string_view data) {
  crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(data.data()),
                            data.size());
}

Digest Sha256Stream::Finish() {
  Digest d;
  crypto_hash_sha256_final(&state_, d.data());
  return d;
}

}  // namespace qf
