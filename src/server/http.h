// The HTTP transport: Boost.Beast on Asio, event-driven, so an idle keep-alive
// connection costs a socket and a buffer, never a thread. Requests are read on
// the I/O threads and handled on a separate worker pool, so a slow request
// (an export) never holds up the reading and writing of other connections.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace qf::server {

struct Request {
  std::string method;                             // "GET", "POST", …
  std::string path;                               // percent-decoded, without the query
  std::multimap<std::string, std::string> query;  // percent-decoded
  std::map<std::string, std::string> headers;     // names in lower case
  std::string body;
  // Set instead of `body` when the route spools its body to a file (see
  // HttpOptions::body_file_dir); removed after the handler returns unless it
  // moved the file away.
  std::string body_file;

  // The first value of a query parameter; "" when absent.
  std::string Query(const std::string& name) const;
  bool HasQuery(const std::string& name) const { return query.count(name) > 0; }
  std::vector<std::string> QueryAll(const std::string& name) const;
  std::string Header(const std::string& lower_name) const;
  std::string Cookie(const std::string& name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  int delay_ms = 0;  // answer only after this long (slows down password guessing)
};

using Handler = std::function<Response(Request&)>;

struct HttpOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0: any free port (see HttpServer::port)
  int io_threads = 2;
  int worker_threads = 8;
  size_t header_limit = size_t{16} * 1024;
  // The largest body a request to `path` may carry (413 beyond it).
  std::function<size_t(std::string_view method, std::string_view path)> body_limit;
  // A folder to write the body of a request to `path` into as it arrives,
  // rather than into memory (large uploads); "" or unset: memory. Such a body
  // may take as long as it needs while bytes keep coming (read_timeout_seconds
  // then applies between reads).
  std::function<std::string(std::string_view method, std::string_view path)> body_file_dir;
  int read_timeout_seconds = 30;   // for a request once it has started
  int idle_timeout_seconds = 75;   // for a keep-alive connection between requests
  int drain_timeout_seconds = 30;  // how long shutdown waits for requests in flight
};

// Percent-decoding ("%E7%BB%86" → "细"; '+' → ' ' in queries). False when the
// text is not well-formed.
bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out);

class HttpServer {
 public:
  HttpServer(HttpOptions options, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens (the port is then known); does not serve yet.
  Status Listen();
  uint16_t port() const;
  // Serves until Stop() or SIGINT/SIGTERM, then shuts down gracefully:
  // stops accepting, lets requests in flight finish, closes idle connections.
  void Run();
  // Thread-safe; Run() returns once shutdown is complete.
  void Stop();
  // Requests being handled right now (for tests of graceful shutdown).
  int in_flight() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace qf::server
