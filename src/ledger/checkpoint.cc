#include "ledger/checkpoint.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/secret_file.h"

namespace qf::ledger {

namespace {

constexpr uint8_t kAlgEd25519 = 1;
constexpr std::string_view kSigPrefix = "\xE2\x80\x94 ";  // "— " (U+2014 EM DASH, space)

// A note key name: non-empty, no spaces, no '+', valid UTF-8 assumed.
bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (c == '+' || c == ' ' || c == '\n' || c == '\t' || c == '\r') return false;
  }
  return true;
}

uint32_t KeyHash(std::string_view name, const uint8_t* pk) {
  std::string buf(name);
  buf.push_back('\n');
  buf.push_back(static_cast<char>(kAlgEd25519));
  buf.append(reinterpret_cast<const char*>(pk), 32);
  Digest d = Sha256(buf);
  return (uint32_t{d[0]} << 24) | (uint32_t{d[1]} << 16) | (uint32_t{d[2]} << 8) | d[3];
}

std::string Hex8(uint32_t v) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", v);
  return buf;
}

bool ParseHex8(std::string_view s, uint32_t* out) {
  if (s.size() != 8) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out, 16);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

}  // namespace

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

Result<std::string> FromBase64(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      end != text.data() + text.size()) {
    return Status::Corruption("malformed base64");
  }
  out.resize(len);
  return out;
}

std::string CheckpointBody(const Checkpoint& c) {
  return c.origin + "\n" + std::to_string(c.size) + "\n" +
         Base64(std::string_view(reinterpret_cast<const char*>(c.root.data()), 32)) + "\n";
}

Result<Checkpoint> ParseCheckpointBody(std::string_view body) {
  // Exactly three lines; C2SP allows extension lines, which this log never writes.
  Checkpoint c;
  std::string_view rest = body;
  std::string_view lines[3];
  for (auto& line : lines) {
    size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) return Status::Corruption("checkpoint: missing line");
    line = rest.substr(0, nl);
    rest.remove_prefix(nl + 1);
  }
  if (!rest.empty()) return Status::Corruption("checkpoint: unexpected extension lines");
  if (lines[0].empty()) return Status::Corruption("checkpoint: empty origin");
  c.origin = std::string(lines[0]);
  if (lines[1].empty() || (lines[1].size() > 1 && lines[1][0] == '0')) {
    return Status::Corruption("checkpoint: malformed size");
  }
  auto r = std::from_chars(lines[1].data(), lines[1].data() + lines[1].size(), c.size);
  if (r.ec != std::errc() || r.ptr != lines[1].data() + lines[1].size()) {
    return Status::Corruption("checkpoint: malformed size");
  }
  QF_ASSIGN_OR_RETURN(std::string root, FromBase64(lines[2]));
  if (root.size() != 32) return Status::Corruption("checkpoint: root is not 32 bytes");
  std::memcpy(c.root.data(), root.data(), 32);
  return c;
}

Result<Signer> Signer::LoadOrCreate(const std::string& path, const std::string& name) {
  if (sodium_init() < 0) return Status::Internal("libsodium cannot initialise");
  if (!ValidName(name)) return Status::InvalidArgument("invalid key name '" + name + "'");
  auto make = [&name] {
    std::array<uint8_t, 32> seed;
    randombytes_buf(seed.data(), seed.size());
    std::array<uint8_t, 32> pk;
    std::array<uint8_t, 64> sk;
    crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data());
    sodium_memzero(sk.data(), sk.size());
    std::string blob(1, static_cast<char>(kAlgEd25519));
    blob.append(reinterpret_cast<const char*>(seed.data()), seed.size());
    sodium_memzero(seed.data(), seed.size());
    std::string text =
        "PRIVATE+KEY+" + name + "+" + Hex8(KeyHash(name, pk.data())) + "+" + Base64(blob) + "\n";
    sodium_memzero(blob.data(), blob.size());
    return text;
  };
  QF_ASSIGN_OR_RETURN(std::string text,
                      ReadOrCreateSecretFile(path, make, "ledger key", "账本签名密钥"));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  // PRIVATE+KEY+name+hash+base64
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  Status bad = Status::Corruption("ledger key " + path + " is malformed");
  if (text.compare(0, kPrefix.size(), kPrefix) != 0) return bad;
  std::string_view rest = std::string_view(text).substr(kPrefix.size());
  size_t p1 = rest.find('+');
  if (p1 == std::string_view::npos) return bad;
  size_t p2 = rest.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return bad;
  Signer s;
  s.name_ = std::string(rest.substr(0, p1));
  uint32_t hash = 0;
  if (!ValidName(s.name_) || !ParseHex8(rest.substr(p1 + 1, p2 - p1 - 1), &hash)) return bad;
  Result<std::string> blob = FromBase64(rest.substr(p2 + 1));
  if (!blob.ok() || blob->size() != 33 || static_cast<uint8_t>((*blob)[0]) != kAlgEd25519) {
    return bad;
  }
  crypto_sign_seed_keypair(s.pk_.data(), s.sk_.data(),
                           reinterpret_cast<const unsigned char*>(blob->data() + 1));
  sodium_memzero(blob->data(), blob->size());
  sodium_memzero(text.data(), text.size());
  s.key_hash_ = KeyHash(s.name_, s.pk_.data());
  if (s.key_hash_ != hash) return bad;
  return s;
}

std::string Signer::VerifierKey() const {
  std::string blob(1, static_cast<char>(kAlgEd25519));
  blob.append(reinterpret_cast<const char*>(pk_.data()), pk_.size());
  return name_ + "+" + Hex8(key_hash_) + "+" + Base64(blob);
}

std::string Signer::Sign(std::string_view text) const {
  std::string sig(4 + crypto_sign_BYTES, '\0');
  sig[0] = static_cast<char>(key_hash_ >> 24);
  sig[1] = static_cast<char>(key_hash_ >> 16);
  sig[2] = static_cast<char>(key_hash_ >> 8);
  sig[3] = static_cast<char>(key_hash_);
  crypto_sign_detached(reinterpret_cast<unsigned char*>(sig.data() + 4), nullptr,
                       reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                       sk_.data());
  return std::string(text) + "\n" + std::string(kSigPrefix) + name_ + " " + Base64(sig) + "\n";
}

Result<Verifier> Verifier::Parse(std::string_view vkey) {
  while (!vkey.empty() && (vkey.back() == '\n' || vkey.back() == '\r' || vkey.back() == ' ')) {
    vkey.remove_suffix(1);
  }
  Status bad = Status::InvalidInput(
      "malformed public key; expected NAME+HASH+BASE64 as printed by `qingfeng ledger pubkey`",
      "公钥格式不正确，应为`qingfeng ledger pubkey`输出的 名称+哈希+BASE64");
  // Names never contain '+', base64 may: split at the first two.
  size_t p1 = vkey.find('+');
  if (p1 == std::string_view::npos) return bad;
  size_t p2 = vkey.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return bad;
  Verifier v;
  v.name_ = std::string(vkey.substr(0, p1));
  uint32_t hash = 0;
  if (!ValidName(v.name_) || !ParseHex8(vkey.substr(p1 + 1, p2 - p1 - 1), &hash)) return bad;
  Result<std::string> blob = FromBase64(vkey.substr(p2 + 1));
  if (!blob.ok() || blob->size() != 33 || static_cast<uint8_t>((*blob)[0]) != kAlgEd25519) {
    return bad;
  }
  std::memcpy(v.pk_.data(), blob->data() + 1, 32);
  v.key_hash_ = KeyHash(v.name_, v.pk_.data());
  if (v.key_hash_ != hash) return bad;
  return v;
}

Result<std::string> Verifier::Open(std::string_view note) const {
  // The text ends at the last blank line; signature lines follow.
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) return Status::Corruption("note: no signature block");
  std::string_view text = note.substr(0, split + 1);
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') return Status::Corruption("note: malformed signatures");
  while (!sigs.empty()) {
    size_t nl = sigs.find('\n');
    std::string_view line = sigs.substr(0, nl);
    sigs.remove_prefix(nl + 1);
    if (line.substr(0, kSigPrefix.size()) != kSigPrefix) {
      return Status::Corruption("note: malformed signature line");
    }
    line.remove_prefix(kSigPrefix.size());
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) return Status::Corruption("note: malformed signature line");
    if (line.substr(0, sp) != name_) continue;  // signed by someone else as well: fine
    Result<std::string> sig = FromBase64(line.substr(sp + 1));
    if (!sig.ok() || sig->size() != 4 + crypto_sign_BYTES) continue;
    const auto* b = reinterpret_cast<const uint8_t*>(sig->data());
    uint32_t hash = (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) | (uint32_t{b[2]} << 8) | b[3];
    if (hash != key_hash_) continue;
    if (crypto_sign_verify_detached(b + 4, reinterpret_cast<const unsigned char*>(text.data()),
                                    text.size(), pk_.data()) == 0) {
      return std::string(text);
    }
    return Status::Corruption("note: the signature by " + name_ + " does not verify");
  }
  return Status::Corruption("note: not signed by " + name_);
}

Result<Checkpoint> VerifyCheckpoint(std::string_view note, const Verifier& v) {
  QF_ASSIGN_OR_RETURN(std::string body, v.Open(note));
  return ParseCheckpointBody(body);
}

std::string KeyPathFor(const std::string& db_path) { return db_path + ".ledger.key"; }

std::string DefaultOrigin(const std::string& db_path) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || !host[0]) std::strcpy(host, "localhost");
  std::string origin =
      "qingfeng/" + std::string(host) + "/" + std::filesystem::path(db_path).filename().string();
  for (char& c : origin) {
    if (c == '+' || c == ' ' || c == '\t' || c == '\n' || c == '\r') c = '-';
  }
  return origin;
}

}  // namespace qf::ledger
