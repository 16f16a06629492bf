// Accounts and sessions. Passwords are kept only as argon2id hashes
// (libsodium's crypto_pwhash_str); a session is a random token whose SHA-256
// is stored, so a copy of the database opens no session. Repeated failures
// lock the account for a while, and every failure is answered slowly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "server/access.h"
#include "store/db.h"

namespace qf::server {

struct AuthParams {
  int session_idle_seconds = 30 * 60;
  int session_max_seconds = 12 * 3600;
  int lockout_after = 5;  // failures in a row
  int lockout_seconds = 15 * 60;
  int failure_delay_ms = 1000;  // per failure in a row, up to 5 s
  int min_password_length = 10;
};

struct NewUser {
  std::string name, display_name, role;
  std::vector<std::string> regions, orgs;
};

// Checks a login name, role, regions (6-digit codes) and password; the errors
// name the field. Used by the CLI and the API alike.
Status ValidateNewUser(const NewUser& u);
Status ValidatePassword(const std::string& name, const std::string& password,
                        const AuthParams& params);

Status CreateUser(Db* db, const NewUser& u, const std::string& password, const AuthParams& params);
Status SetPassword(Db* db, const std::string& name, const std::string& password,
                   const AuthParams& params);
// Changes role, scope or the disabled flag; empty optional fields stay.
struct UserChange {
  std::string role, display_name;
  bool set_regions = false, set_orgs = false, set_disabled = false;
  std::vector<std::string> regions, orgs;
  bool disabled = false;
  bool unlock = false;
};
Status UpdateUser(Db* db, const std::string& name, const UserChange& change);

struct UserInfo {
  std::string name, display_name, role;
  std::vector<std::string> regions, orgs;
  bool disabled = false;
  bool locked = false;
  std::string created_at;
};
Result<std::vector<UserInfo>> ListUsers(Db* db, int64_t now_unix);
bool UserExists(Db* db, const std::string& name);

struct LoginResult {
  bool ok = false;
  bool locked = false;       // refused without checking the password
  bool just_locked = false;  // this failure locked the account
  int failures = 0;          // failures in a row (for the answer's delay)
  std::string token;         // the session cookie's value
  Principal user;
};
// Never says whether the name exists: an unknown name costs the same hash.
Result<LoginResult> Login(Db* db, const std::string& name, const std::string& password,
                          int64_t now_unix, const AuthParams& params);
// The session's user, or NotFound when the token is unknown, expired or its
// user disabled. Refreshes the idle clock (at most once a minute).
Result<Principal> SessionUser(Db* db, const std::string& token, int64_t now_unix,
                              const AuthParams& params);
Status Logout(Db* db, const std::string& token);

// A random token: 32 bytes as 64 hex characters.
std::string RandomToken();

}  // namespace qf::server
