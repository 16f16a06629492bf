#include "common/hash.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <cstdlib>

namespace qf {

namespace {
// Fetched once and kept: an implicit fetch per call takes a global lock.
const EVP_MD* Sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

// One reusable context per thread: rows are hashed one by one on the hot path.
struct ThreadCtx {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~ThreadCtx() { EVP_MD_CTX_free(ctx); }
};
}  // namespace

void InitCrypto() {
  if (sodium_init() < 0) std::abort();  // libsodium cannot work without entropy; nothing to recover
}

Digest Sha256(std::string_view data) {
  thread_local ThreadCtx t;
  Digest d;
  unsigned int len = 0;
  EVP_DigestInit_ex2(t.ctx, Sha256Md(), nullptr);
  EVP_DigestUpdate(t.ctx, data.data(), data.size());
  EVP_DigestFinal_ex(t.ctx, d.data(), &len);
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

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), Sha256Md(), nullptr);
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

void Sha256Stream::Update(std::string_view data) {
  EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), data.data(), data.size());
}

Digest Sha256Stream::Finish() {
  Digest d;
  unsigned int len = 0;
  EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), d.data(), &len);
  return d;
}

}  // namespace qf
