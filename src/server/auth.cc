#include "server/auth.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/hash.h"
#include "common/time.h"

namespace qf::server {

namespace {

std::string HashToken(const std::string& token) { return ToHex(Sha256(token)); }

std::string ToJson(const std::vector<std::string>& v) { return nlohmann::json(v).dump(); }

std::vector<std::string> FromJson(const std::string& s) {
  nlohmann::json j = nlohmann::json::parse(s, nullptr, false);
  std::vector<std::string> out;
  if (j.is_array()) {
    for (const auto& e : j) {
      if (e.is_string()) out.push_back(e.get<std::string>());
    }
  }
  return out;
}

bool ValidName(const std::string& n) {
  if (n.size() < 2 || n.size() > 32) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

Status ValidateScope(const std::vector<std::string>& regions,
                     const std::vector<std::string>& orgs) {
  for (const std::string& r : regions) {
    bool ok = r.size() == 6 &&
              std::all_of(r.begin(), r.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!ok) {
      return Status::InvalidInput("regions: \"" + r + "\" is not a 6-digit region code",
                                  "regions：“" + r + "”不是 6 位行政区划代码");
    }
  }
  for (const std::string& o : orgs) {
    if (o.empty() || o.size() > 200) {
      return Status::InvalidInput("orgs: an organisation name must be 1–200 bytes",
                                  "orgs：单位名称应为 1–200 字节");
    }
  }
  return Status::OK();
}

// A hash of nothing anyone knows, so that an unknown name costs a real check.
const std::string& DummyHash() {
  static const std::string h = [] {
    char out[crypto_pwhash_STRBYTES];
    std::string pw = RandomToken();
    if (crypto_pwhash_str(out, pw.data(), pw.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
      return std::string();
    }
    return std::string(out);
  }();
  return h;
}

Result<std::string> HashPassword(const std::string& password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status::Internal("argon2id: out of memory");
  }
  return std::string(out);
}

}  // namespace

std::string RandomToken() {
  uint8_t b[32];
  randombytes_buf(b, sizeof b);
  return ToHex(b, sizeof b);
}

Status ValidateNewUser(const NewUser& u) {
  if (!ValidName(u.name)) {
    return Status::InvalidInput("name: 2–32 letters, digits, '_', '-' or '.'",
                                "name：登录名应为 2–32 个英文字母、数字、下划线、连字符或点");
  }
  if (FindRole(u.role) == nullptr) {
    return Status::InvalidInput("role: must be one of admin, leader, analyst, handler, auditor",
                                "role：角色应为 admin、leader、analyst、handler、auditor 之一");
  }
  if (u.display_name.size() > 100) {
    return Status::InvalidInput("display_name: at most 100 bytes", "display_name：最多 100 字节");
  }
  return ValidateScope(u.regions, u.orgs);
}

Status ValidatePassword(const std::string& name, const std::string& password,
                        const AuthParams& params) {
  if (password.size() < static_cast<size_t>(params.min_password_length)) {
    return Status::InvalidInput(
        "password: at least " + std::to_string(params.min_password_length) + " characters",
        "password：密码至少 " + std::to_string(params.min_password_length) + " 个字符");
  }
  if (password.size() > 1024) {
    return Status::InvalidInput("password: at most 1024 bytes", "password：密码最多 1024 字节");
  }
  if (password == name) {
    return Status::InvalidInput("password: must differ from the login name",
                                "password：密码不能与登录名相同");
  }
  return Status::OK();
}

Status CreateUser(Db* db, const NewUser& u, const std::string& password, const AuthParams& params) {
  QF_RETURN_IF_ERROR(ValidateNewUser(u));
  QF_RETURN_IF_ERROR(ValidatePassword(u.name, password, params));
  if (UserExists(db, u.name)) {
    return Status::InvalidInput("name: user " + u.name + " exists",
                                "name：用户" + u.name + "已存在");
  }
  QF_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("INSERT INTO users(name, display_name, role, regions, "
                                          "orgs, password_hash, created_at) VALUES "
                                          "(?1,?2,?3,?4,?5,?6,?7)"));
  q.BindText(1, u.name);
  q.BindText(2, u.display_name.empty() ? u.name : u.display_name);
  q.BindText(3, u.role);
  q.BindText(4, ToJson(u.regions));
  q.BindText(5, ToJson(u.orgs));
  q.BindText(6, hash);
  q.BindText(7, NowShanghai());
  return q.Run();
}

bool UserExists(Db* db, const std::string& name) {
  auto q = db->Prepare("SELECT 1 FROM users WHERE name = ?1");
  if (!q.ok()) return false;
  q->BindText(1, name);
  auto row = q->Step();
  return row.ok() && *row;
}

Status SetPassword(Db* db, const std::string& name, const std::string& password,
                   const AuthParams& params) {
  QF_RETURN_IF_ERROR(ValidatePassword(name, password, params));
  if (!UserExists(db, name)) return Status::NotFound("no user " + name);
  QF_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("UPDATE users SET password_hash = ?2, failed_logins = 0, "
                                          "locked_until = 0 WHERE name = ?1"));
  q.BindText(1, name);
  q.BindText(2, hash);
  QF_RETURN_IF_ERROR(q.Run());
  // A new password ends every session of the old one.
  QF_ASSIGN_OR_RETURN(Stmt d, db->Prepare("DELETE FROM sessions WHERE user_id = (SELECT id FROM "
                                          "users WHERE name = ?1)"));
  d.BindText(1, name);
  return d.Run();
}

Status UpdateUser(Db* db, const std::string& name, const UserChange& c) {
  if (!UserExists(db, name)) return Status::NotFound("no user " + name);
  if (!c.role.empty() && FindRole(c.role) == nullptr) {
    return Status::InvalidInput("role: must be one of admin, leader, analyst, handler, auditor",
                                "role：角色应为 admin、leader、analyst、handler、auditor 之一");
  }
  if (c.display_name.size() > 100) {
    return Status::InvalidInput("display_name: at most 100 bytes", "display_name：最多 100 字节");
  }
  QF_RETURN_IF_ERROR(ValidateScope(c.regions, c.orgs));
  QF_ASSIGN_OR_RETURN(
      Stmt q, db->Prepare("UPDATE users SET role = COALESCE(?2, role), display_name = COALESCE(?3, "
                          "display_name), regions = COALESCE(?4, regions), orgs = COALESCE(?5, "
                          "orgs), disabled = COALESCE(?6, disabled), failed_logins = CASE WHEN ?7 "
                          "THEN 0 ELSE failed_logins END, locked_until = CASE WHEN ?7 THEN 0 ELSE "
                          "locked_until END WHERE name = ?1"));
  q.BindText(1, name);
  if (!c.role.empty()) q.BindText(2, c.role);
  if (!c.display_name.empty()) q.BindText(3, c.display_name);
  if (c.set_regions) q.BindText(4, ToJson(c.regions));
  if (c.set_orgs) q.BindText(5, ToJson(c.orgs));
  if (c.set_disabled) q.BindInt(6, c.disabled ? 1 : 0);
  q.BindInt(7, c.unlock ? 1 : 0);
  QF_RETURN_IF_ERROR(q.Run());
  if (!c.role.empty() || c.set_regions || c.set_orgs || (c.set_disabled && c.disabled)) {
    // Rights change with the next sign-in, never silently in a live session.
    QF_ASSIGN_OR_RETURN(Stmt d, db->Prepare("DELETE FROM sessions WHERE user_id = (SELECT id FROM "
                                            "users WHERE name = ?1)"));
    d.BindText(1, name);
    QF_RETURN_IF_ERROR(d.Run());
  }
  return Status::OK();
}

Result<std::vector<UserInfo>> ListUsers(Db* db, int64_t now_unix) {
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT name, display_name, role, regions, orgs, "
                                          "disabled, locked_until, created_at FROM users "
                                          "ORDER BY name"));
  std::vector<UserInfo> out;
  for (;;) {
    QF_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back({q.Text(0), q.Text(1), q.Text(2), FromJson(q.Text(3)), FromJson(q.Text(4)),
                   q.Int(5) != 0, q.Int(6) > now_unix, q.Text(7)});
  }
  return out;
}

Result<LoginResult> Login(Db* db, const std::string& name, const std::string& password,
                          int64_t now_unix, const AuthParams& params) {
  LoginResult r;
  QF_ASSIGN_OR_RETURN(Stmt q, db->Prepare("SELECT id, display_name, role, regions, orgs, "
                                          "password_hash, failed_logins, locked_until, disabled "
                                          "FROM users WHERE name = ?1"));
  q.BindText(1, name);
  QF_ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) {
    const std::string& dummy = DummyHash();
    int same_cost = crypto_pwhash_str_verify(dummy.c_str(), password.data(), password.size());
    (void)same_cost;
    r.failures = 1;
    return r;
  }
  int64_t id = q.Int(0);
  int failures = static_cast<int>(q.Int(6));
  if (q.Int(7) > now_unix) {
    r.locked = true;
    r.failures = failures;
    return r;
  }
  std::string hash = q.Text(5);
  bool disabled = q.Int(8) != 0;
  bool good = crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  if (!good || disabled) {
    r.failures = failures + 1;
    bool lock = r.failures >= params.lockout_after;
    QF_ASSIGN_OR_RETURN(Stmt u, db->Prepare("UPDATE users SET failed_logins = ?2, locked_until = "
                                            "?3 WHERE id = ?1"));
    u.BindInt(1, id);
    u.BindInt(2, lock ? 0 : r.failures);
    u.BindInt(3, lock ? now_unix + params.lockout_seconds : 0);
    QF_RETURN_IF_ERROR(u.Run());
    r.just_locked = lock;
    return r;
  }
  r.ok = true;
  r.user.id = id;
  r.user.name = name;
  r.user.display_name = q.Text(1);
  r.user.role = q.Text(2);
  r.user.regions = FromJson(q.Text(3));
  r.user.orgs = FromJson(q.Text(4));
  const RoleDef* role = FindRole(r.user.role);
  r.user.rights = role ? role->rights : 0;
  r.token = RandomToken();
  r.user.csrf = RandomToken();
  r.user.token_hash = HashToken(r.token);
  QF_ASSIGN_OR_RETURN(Stmt reset, db->Prepare("UPDATE users SET failed_logins = 0, locked_until = "
                                              "0 WHERE id = ?1"));
  reset.BindInt(1, id);
  QF_RETURN_IF_ERROR(reset.Run());
  QF_ASSIGN_OR_RETURN(Stmt s, db->Prepare("INSERT INTO sessions(token_hash, user_id, csrf, "
                                          "created, last_seen) VALUES (?1,?2,?3,?4,?4)"));
  s.BindText(1, r.user.token_hash);
  s.BindInt(2, id);
  s.BindText(3, r.user.csrf);
  s.BindInt(4, now_unix);
  QF_RETURN_IF_ERROR(s.Run());
  // Expired sessions of anyone are cleared now and then, here.
  QF_ASSIGN_OR_RETURN(Stmt gc, db->Prepare("DELETE FROM sessions WHERE last_seen < ?1 OR created "
                                           "< ?2"));
  gc.BindInt(1, now_unix - params.session_idle_seconds);
  gc.BindInt(2, now_unix - params.session_max_seconds);
  QF_RETURN_IF_ERROR(gc.Run());
  return r;
}

Result<Principal> SessionUser(Db* db, const std::string& token, int64_t now_unix,
                              const AuthParams& params) {
  if (token.size() != 64) return Status::NotFound("no session");
  std::string th = HashToken(token);
  Principal p;
  int64_t last_seen = 0;
  {
    QF_ASSIGN_OR_RETURN(CachedStmt q,
                        db->Cached("SELECT u.id, u.name, u.display_name, u.role, u.regions, "
                                   "u.orgs, s.csrf, s.created, s.last_seen, u.disabled "
                                   "FROM sessions s JOIN users u ON u.id = s.user_id "
                                   "WHERE s.token_hash = ?1"));
    q->BindText(1, th);
    QF_ASSIGN_OR_RETURN(bool row, q->Step());
    if (!row) return Status::NotFound("no session");
    int64_t created = q->Int(7);
    last_seen = q->Int(8);
    bool expired = q->Int(9) != 0 || now_unix - last_seen > params.session_idle_seconds ||
                   now_unix - created > params.session_max_seconds;
    if (expired) {
      QF_RETURN_IF_ERROR(Logout(db, token));
      return Status::NotFound("session expired");
    }
    p.id = q->Int(0);
    p.name = q->Text(1);
    p.display_name = q->Text(2);
    p.role = q->Text(3);
    p.regions = FromJson(q->Text(4));
    p.orgs = FromJson(q->Text(5));
    p.csrf = q->Text(6);
  }
  p.token_hash = th;
  const RoleDef* role = FindRole(p.role);
  p.rights = role ? role->rights : 0;
  if (now_unix - last_seen >= 60) {
    QF_ASSIGN_OR_RETURN(Stmt u, db->Prepare("UPDATE sessions SET last_seen = ?2 WHERE "
                                            "token_hash = ?1"));
    u.BindText(1, th);
    u.BindInt(2, now_unix);
    // Best effort: while an import holds the write lock this may time out, and
    // a read must not fail for it (the next request updates it).
    if (Status st = u.Run(); !st.ok()) {
      spdlog::debug("session last_seen not updated: {}", st.ToString());
    }
  }
  return p;
}

Status Logout(Db* db, const std::string& token) {
  QF_ASSIGN_OR_RETURN(Stmt d, db->Prepare("DELETE FROM sessions WHERE token_hash = ?1"));
  d.BindText(1, HashToken(token));
  return d.Run();
}

}  // namespace qf::server
