// Fixtures shared by the store and workflow tests: a store in a scratch
// folder filled from CSV text, accounts, counting rows, and valid test
// identifiers.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ingest/identifiers.h"
#include "ingest/importer.h"
#include "server/auth.h"
#include "store/store.h"
#include "test_util.h"

namespace qf::testing {

// The one password of the tests' accounts (where a file needs no other).
inline constexpr const char* kTestPassword = "test-password-42";

// The integer `sql` answers on `db`; -1 (and a failure) when it fails.
inline int64_t Q(Db* db, const std::string& sql) {
  auto r = db->QueryInt(sql);
  EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  return r.ok() ? r.value() : -1;
}

// Creates each account with `password`; false (and a failure) when one is refused.
[[nodiscard]] inline bool CreateUsers(Db* db, const std::vector<server::NewUser>& users,
                                      const std::string& password = kTestPassword) {
  bool ok = true;
  for (const auto& u : users) {
    Status s = server::CreateUser(db, u, password, server::AuthParams{});
    EXPECT_TRUE(s.ok()) << u.name << ": " << s.ToString();
    ok = ok && s.ok();
  }
  return ok;
}

// A valid 18-character 公民身份号码 of region 210902 born on `birth`; `n` < 1000.
inline std::string IdNumber(int n, const std::string& birth = "19800101") {
  std::string seq = std::to_string(n);
  std::string s = "210902" + birth + std::string(3 - seq.size(), '0') + seq;
  return s + IdNumberCheckChar(s);
}
// A valid 统一社会信用代码 of a company in 2109; `n` < 100.
inline std::string CreditCode(int n) {
  std::string seq = std::to_string(n);
  std::string s = "912109000000000" + std::string(2 - seq.size(), '0') + seq;
  return s + CreditCodeCheckChar(s);
}

// A fresh store in its own scratch folder, filled through the importer.
class TestStore {
 public:
  explicit TestStore(const std::string& file = "t.db") {
    auto s = Store::Open(dir_.File(file));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (s.ok()) store_ = std::move(s).value();
  }
  // Imports `csv` as `dataset` (written to <dataset>.csv); no row may be quarantined.
  void Import(const std::string& dataset, const std::string& csv) {
    Importer imp(store_.get());
    auto r = imp.ImportFile(dataset, dir_.Write(dataset + ".csv", csv), {});
    ASSERT_TRUE(r.ok()) << dataset << ": " << r.status().ToString();
    for (const ImportReport& rep : r.value()) ASSERT_EQ(rep.quarantined, 0) << dataset;
  }
  Store* store() const { return store_.get(); }
  Db* db() const { return store_->db(); }
  const std::string& db_path() const { return store_->db_path(); }
  // A work folder for the entry routines.
  std::string Work() const { return dir_.File("work"); }
  int64_t Count(const std::string& sql) const { return Q(db(), sql); }

 protected:
  ScratchDir dir_;
  std::unique_ptr<Store> store_;
};

}  // namespace qf::testing
