// The API served in-process for the HTTP tests: `qingfeng serve`'s Api and
// HttpServer over a prepared store, on a loopback port and a thread of their
// own, stopped when the object goes. Each test file prepares its store and
// accounts, then starts one of these.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "http_client.h"
#include "server/api.h"
#include "server/http.h"

namespace qf::testing {

class ApiServer {
 public:
  // `tune` adjusts the configuration read from `settings`; `spool` lets large
  // bodies (uploads) be spooled to disk as `qingfeng serve` does.
  ApiServer(const std::string& db, const std::string& settings,
            const std::function<void(server::ServerConfig&)>& tune = nullptr, bool spool = false) {
    auto config = server::LoadServerConfig(db, settings);
    EXPECT_TRUE(config.ok()) << config.status().ToString();
    config->auth.failure_delay_ms = 10;
    if (tune) tune(*config);
    api_ = std::move(server::Api::Create(*config)).value();
    server::HttpOptions o;
    o.port = 0;
    o.drain_timeout_seconds = 5;
    server::Api* a = api_.get();
    o.body_limit = [a](std::string_view m, std::string_view p) { return a->BodyLimit(m, p); };
    if (spool) {
      o.body_file_dir = [this, a](std::string_view m, std::string_view p) {
        std::string dir = a->SpoolDir(m, p);
        if (!dir.empty()) ++spooled_;
        return dir;
      };
    }
    http_ =
        std::make_unique<server::HttpServer>(o, [a](server::Request& r) { return a->Handle(r); });
    EXPECT_TRUE(http_->Listen().ok());
    thread_ = std::thread([this] { http_->Run(); });
  }
  ~ApiServer() {
    http_->Stop();
    thread_.join();
  }
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  uint16_t port() const { return http_->port(); }
  server::Api* api() { return api_.get(); }
  HttpClient Client() const { return HttpClient(port()); }
  // A client signed in as `user`.
  HttpClient As(const std::string& user, const std::string& password) const {
    HttpClient c(port());
    HttpResult r = c.Login(user, password);
    EXPECT_EQ(r.status, 200) << user << ": " << r.body;
    return c;
  }
  // Request bodies spooled to disk so far.
  int spooled() const { return spooled_; }

 private:
  std::unique_ptr<server::Api> api_;
  std::unique_ptr<server::HttpServer> http_;
  std::thread thread_;
  std::atomic<int> spooled_{0};
};

}  // namespace qf::testing
