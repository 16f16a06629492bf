// Signed checkpoints in the C2SP tlog-checkpoint format, as signed notes
// (golang.org/x/mod/sumdb/note) with Ed25519 (libsodium):
//
//   <origin>\n<tree size>\n<base64 root>\n\n— <key name> <base64(key hash || signature)>\n
//
// key hash = first 4 bytes of SHA-256(name || "\n" || 0x01 || public key); the
// exportable verifier key is "name+hex(key hash)+base64(0x01 || public key)",
// and the private key file holds "PRIVATE+KEY+name+hex(key hash)+base64(0x01 || seed)".
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/hash.h"
#include "common/status.h"

namespace qf::ledger {

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  Digest root{};
};

// "origin\nsize\nbase64(root)\n", the signed body.
std::string CheckpointBody(const Checkpoint& c);
Result<Checkpoint> ParseCheckpointBody(std::string_view body);

std::string Base64(std::string_view bytes);
Result<std::string> FromBase64(std::string_view text);

class Signer {
 public:
  // Loads the private key at `path`, or creates one named `name` (permissions
  // 0600) when the file does not exist. Refuses a key file others can read.
  static Result<Signer> LoadOrCreate(const std::string& path, const std::string& name);

  const std::string& name() const { return name_; }
  std::string VerifierKey() const;
  // The complete signed note for `text` (which must end in a newline).
  std::string Sign(std::string_view text) const;

 private:
  std::string name_;
  std::array<uint8_t, 64> sk_{};
  std::array<uint8_t, 32> pk_{};
  uint32_t key_hash_ = 0;
};

class Verifier {
 public:
  // Parses "name+hash+base64(0x01||key)".
  static Result<Verifier> Parse(std::string_view vkey);
  const std::string& name() const { return name_; }
  // Checks that `note` carries a valid signature by this key; returns the text.
  Result<std::string> Open(std::string_view note) const;

 private:
  std::string name_;
  std::array<uint8_t, 32> pk_{};
  uint32_t key_hash_ = 0;
};

// Opens a signed checkpoint note and parses its body.
Result<Checkpoint> VerifyCheckpoint(std::string_view note, const Verifier& v);

// "<db>.ledger.key" and the default key name / origin for a database,
// "qingfeng/<host>/<db file name>".
std::string KeyPathFor(const std::string& db_path);
std::string DefaultOrigin(const std::string& db_path);

}  // namespace qf::ledger
