#include "server/http.h"

#include <sodium.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <list>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "common/log.h"

namespace qf::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

std::string Request::Query(const std::string& name) const {
  auto it = query.find(name);
  return it == query.end() ? "" : it->second;
}

std::vector<std::string> Request::QueryAll(const std::string& name) const {
  std::vector<std::string> out;
  auto [b, e] = query.equal_range(name);
  for (auto it = b; it != e; ++it) out.push_back(it->second);
  return out;
}

std::string Request::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

std::string Request::Cookie(const std::string& name) const {
  const std::string header = Header("cookie");
  std::string_view all = header;
  while (!all.empty()) {
    size_t semi = all.find(';');
    std::string_view part = all.substr(0, semi);
    all = semi == std::string_view::npos ? std::string_view() : all.substr(semi + 1);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    size_t eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      return std::string(part.substr(eq + 1));
    }
  }
  return "";
}

bool PercentDecode(std::string_view in, bool plus_is_space, std::string* out) {
  out->clear();
  out->reserve(in.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int h = hex(in[i + 1]);
      int l = hex(in[i + 2]);
      if (h < 0 || l < 0) return false;
      out->push_back(static_cast<char>(h * 16 + l));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

namespace {

// Splits "/a/b?x=1&y=2" into a decoded path and query; false when malformed.
bool ParseTarget(std::string_view target, Request* req) {
  size_t q = target.find('?');
  if (!PercentDecode(target.substr(0, q), false, &req->path)) return false;
  if (req->path.empty() || req->path[0] != '/') return false;
  if (req->path.find('\0') != std::string::npos) return false;
  if (q == std::string_view::npos) return true;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    size_t amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string k, v;
    if (!PercentDecode(pair.substr(0, eq), true, &k)) return false;
    if (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, &v)) {
      return false;
    }
    req->query.emplace(std::move(k), std::move(v));
  }
  return true;
}

// The client's address never leaves the transport: handlers get only a keyed
// hash of it (BLAKE2b, key drawn per process), enough for in-memory rate
// limits, so no handler can log or store the address itself.
std::string ClientKey(const tcp::socket& socket) {
  static const std::array<unsigned char, crypto_generichash_KEYBYTES> key = [] {
    std::array<unsigned char, crypto_generichash_KEYBYTES> k{};
    if (sodium_init() >= 0) randombytes_buf(k.data(), k.size());
    return k;
  }();
  beast::error_code ec;
  auto address = socket.remote_endpoint(ec).address();
  if (ec) return "";
  unsigned char out[16];
  if (address.is_v4()) {
    auto b = address.to_v4().to_bytes();
    crypto_generichash(out, sizeof out, b.data(), b.size(), key.data(), key.size());
  } else {
    auto b = address.to_v6().to_bytes();
    crypto_generichash(out, sizeof out, b.data(), b.size(), key.data(), key.size());
  }
  char hex[sizeof out * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return hex;
}

Response PlainError(int status, const char* code, const char* zh, const char* en) {
  Response r;
  r.status = status;
  r.body = std::string("{\"error\":\"") + code + "\",\"message\":\"" + zh + "\",\"message_en\":\"" +
           en + "\"}";
  return r;
}

}  // namespace

struct HttpServer::Impl {
  class Session;

  HttpOptions options;
  Handler handler;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::thread_pool workers;
  net::signal_set signals{ioc, SIGINT, SIGTERM};
  std::atomic<bool> draining{false};
  std::atomic<int> in_flight{0};

  std::mutex mu;
  std::condition_variable cv;
  std::list<std::weak_ptr<Session>> sessions;  // for closing idle ones on shutdown
  size_t live_sessions = 0;
  bool stop_requested = false;

  Impl(HttpOptions o, Handler h)
      : options(std::move(o)),
        handler(std::move(h)),
        workers(static_cast<size_t>(std::max(1, options.worker_threads))) {}

  size_t BodyLimit(std::string_view method, std::string_view path) const {
    return options.body_limit ? options.body_limit(method, path) : size_t{1} << 20;
  }
  std::string SpoolDir(std::string_view method, std::string_view path) const {
    return options.body_file_dir ? options.body_file_dir(method, path) : "";
  }

  void Accept();
  void BeginShutdown();
};

class HttpServer::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Impl* srv, tcp::socket socket) : srv_(srv), stream_(std::move(socket)) {}

  ~Session() {
    std::lock_guard lock(srv_->mu);
    --srv_->live_sessions;
    srv_->sessions.erase(self_it_);
    srv_->cv.notify_all();
    DropSpool();
  }

  void Start(std::list<std::weak_ptr<Session>>::iterator it) {
    self_it_ = it;
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // On shutdown: a connection waiting for its next request is closed now; one
  // whose request is being handled closes after answering.
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->Close();
    });
  }

 private:
  void ReadHeader() {
    if (srv_->draining) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(srv_->options.header_limit));
    parser_->body_limit(std::numeric_limits<uint64_t>::max());
    stream_.expires_after(std::chrono::seconds(srv_->options.idle_timeout_seconds));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      return Answer(PlainError(431, "header_too_large", "请求头过大", "request header too large"),
                    false);
    }
    if (ec) return Close();  // closed, timed out or not HTTP: nothing to answer
    busy_ = true;
    ++srv_->in_flight;
    counted_ = true;
    const auto& h = parser_->get();
    std::string_view target(h.target().data(), h.target().size());
    std::string_view path = target.substr(0, target.find('?'));
    std::string_view method(h.method_string().data(), h.method_string().size());
    size_t limit = srv_->BodyLimit(method, path);
    if (parser_->content_length() && *parser_->content_length() > limit) {
      return Answer(TooLarge(limit), false);
    }
    parser_->body_limit(limit);
    if (std::string dir = srv_->SpoolDir(method, path); !dir.empty()) return SpoolBody(dir, limit);
    stream_.expires_after(std::chrono::seconds(srv_->options.read_timeout_seconds));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec2, size_t) { self->OnBody(ec2); });
  }

  // A large upload goes to a file as it arrives, never whole into memory; the
  // read timeout counts from the last bytes received, so a slow link can
  // finish as long as it keeps sending.
  void SpoolBody(const std::string& dir, size_t limit) {
    static std::atomic<uint64_t> counter{0};
    static const uint64_t salt = [] {
      std::random_device rd;
      return (uint64_t{rd()} << 32) ^ rd();
    }();
    std::error_code fec;
    std::filesystem::create_directories(dir, fec);
    spool_ = dir + "/upload-" + std::to_string(salt) + "-" + std::to_string(counter++) + ".part";
    file_parser_.emplace(std::move(*parser_));
    parser_.reset();
    file_parser_->body_limit(limit);
    spool_limit_ = limit;
    beast::error_code ec;
    file_parser_->get().body().open(spool_.c_str(), beast::file_mode::write_new, ec);
    if (ec) {
      spdlog::error("cannot spool an upload to {}: {}", dir, ec.message());
      spool_.clear();
      return Answer(PlainError(500, "internal", "服务器内部错误", "internal error"), false);
    }
    if (file_parser_->is_done()) return OnSpooled({});  // an empty body
    ReadSpooled();
  }

  void ReadSpooled() {
    stream_.expires_after(std::chrono::seconds(srv_->options.read_timeout_seconds));
    http::async_read_some(
        stream_, buffer_, *file_parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnSpooled(ec); });
  }

  void OnSpooled(beast::error_code ec) {
    if (ec == http::error::body_limit) {
      DropSpool();
      return Answer(TooLarge(spool_limit_), false);
    }
    if (ec) {
      DropSpool();
      return Close();
    }
    if (!file_parser_->is_done()) return ReadSpooled();
    auto msg = file_parser_->release();
    file_parser_.reset();
    msg.body().close();
    std::string file = std::move(spool_);
    spool_.clear();
    Submit(http::request<http::string_body>(std::move(msg.base())), std::move(file));
  }

  void DropSpool() {
    if (spool_.empty()) return;
    if (file_parser_) file_parser_->get().body().close();
    std::error_code fec;
    std::filesystem::remove(spool_, fec);
    spool_.clear();
  }

  static Response TooLarge(size_t limit) {
    Response r = PlainError(413, "too_large", "请求体过大", "request body too large");
    r.body.pop_back();
    r.body += ",\"limit_bytes\":" + std::to_string(limit) + "}";
    return r;
  }

  void OnBody(beast::error_code ec) {
    if (ec == http::error::body_limit) return Answer(TooLarge(parser_->get().body().size()), false);
    if (ec) return Close();
    auto msg = parser_->release();
    parser_.reset();
    Submit(std::move(msg), "");
  }

  // Hands a request whose body has been read (into memory, or spooled to
  // `body_file`) to the worker pool.
  void Submit(http::request<http::string_body> msg, std::string body_file) {
    auto req = std::make_shared<Request>();
    req->body_file = std::move(body_file);
    req->method = std::string(msg.method_string());
    for (const auto& f : msg) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      req->headers[name] = std::string(f.value());
    }
    req->headers["x-qf-client-key"] = ClientKey(stream_.socket());  // replaces any sent
    keep_alive_ = msg.keep_alive();
    std::string_view target(msg.target().data(), msg.target().size());
    if (!ParseTarget(target, req.get())) {
      if (!req->body_file.empty()) {
        std::error_code fec;
        std::filesystem::remove(req->body_file, fec);
      }
      return Answer(PlainError(400, "bad_target", "请求地址格式不正确", "malformed request target"),
                    false);
    }
    req->body = std::move(msg.body());
    // Handled on the worker pool; the answer comes back to this connection's strand.
    net::post(srv_->workers, [self = shared_from_this(), req] {
      Response res;
      try {
        res = self->srv_->handler(*req);
      } catch (const std::exception& e) {
        spdlog::error("request {} {} failed: {}", req->method, req->path, e.what());
        res = PlainError(500, "internal", "服务器内部错误", "internal error");
      }
      if (!req->body_file.empty()) {
        std::error_code fec;
        std::filesystem::remove(req->body_file, fec);  // unless the handler kept it
      }
      net::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable {
        self->Answer(std::move(res), self->keep_alive_);
      });
    });
  }

  void Answer(Response res, bool keep_alive) {
    if (res.delay_ms > 0) {
      auto timer = std::make_shared<net::steady_timer>(stream_.get_executor());
      timer->expires_after(std::chrono::milliseconds(res.delay_ms));
      res.delay_ms = 0;
      timer->async_wait(
          [self = shared_from_this(), timer, res = std::move(res),
           keep_alive](beast::error_code) mutable { self->Answer(std::move(res), keep_alive); });
      return;
    }
    keep_alive = keep_alive && !srv_->draining;
    res_ = {};
    res_.version(11);
    res_.result(static_cast<unsigned>(res.status));
    res_.set(http::field::server, "qingfeng");
    res_.set(http::field::content_type, res.content_type);
    res_.set("X-Content-Type-Options", "nosniff");
    res_.set("Referrer-Policy", "no-referrer");
    for (auto& [k, v] : res.headers) res_.insert(k, v);
    res_.body() = std::move(res.body);
    res_.keep_alive(keep_alive);
    res_.prepare_payload();
    stream_.expires_after(std::chrono::seconds(srv_->options.read_timeout_seconds));
    http::async_write(stream_, res_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                        self->OnWritten(ec, keep_alive);
                      });
  }

  void OnWritten(beast::error_code ec, bool keep_alive) {
    Done();
    if (ec || !keep_alive) return Close();
    ReadHeader();
  }

  void Done() {
    busy_ = false;
    if (counted_) {
      counted_ = false;
      --srv_->in_flight;
      std::lock_guard lock(srv_->mu);
      srv_->cv.notify_all();
    }
  }

  void Close() {
    Done();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  Impl* srv_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::request_parser<http::file_body>> file_parser_;  // a spooled upload
  std::string spool_;  // its file while it is being written
  size_t spool_limit_ = 0;
  http::response<http::string_body> res_;
  bool keep_alive_ = false;
  bool busy_ = false;
  bool counted_ = false;
  std::list<std::weak_ptr<Session>>::iterator self_it_;
};

void HttpServer::Impl::Accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!acceptor.is_open() || ec == net::error::operation_aborted) return;  // shutting down
      spdlog::warn("accept failed: {}", ec.message());
    } else {
      socket.set_option(tcp::no_delay(true), ec);
      auto s = std::make_shared<Session>(this, std::move(socket));
      std::list<std::weak_ptr<Session>>::iterator it;
      {
        std::lock_guard lock(mu);
        ++live_sessions;
        it = sessions.insert(sessions.end(), s);
      }
      s->Start(it);
    }
    Accept();
  });
}

void HttpServer::Impl::BeginShutdown() {
  if (draining.exchange(true)) return;
  beast::error_code ignored;
  acceptor.close(ignored);
  signals.cancel(ignored);
  std::vector<std::shared_ptr<Session>> live;
  {
    std::lock_guard lock(mu);
    for (auto& w : sessions) {
      if (auto s = w.lock()) live.push_back(std::move(s));
    }
    stop_requested = true;
    cv.notify_all();
  }
  for (auto& s : live) s->CloseIfIdle();
}

HttpServer::HttpServer(HttpOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() {
  impl_->ioc.stop();
  impl_->workers.join();
}

Status HttpServer::Listen() {
  beast::error_code ec;
  auto address = net::ip::make_address(impl_->options.host, ec);
  if (ec) {
    return Status::InvalidInput("not an IP address: " + impl_->options.host,
                                "不是有效的 IP 地址：" + impl_->options.host);
  }
  tcp::endpoint ep(address, impl_->options.port);
  auto& a = impl_->acceptor;
  a.open(ep.protocol(), ec);
  if (!ec) a.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) a.bind(ep, ec);
  if (!ec) a.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IOError("cannot listen on " + impl_->options.host + ":" +
                           std::to_string(impl_->options.port) + ": " + ec.message());
  }
  return Status::OK();
}

uint16_t HttpServer::port() const {
  beast::error_code ec;
  auto ep = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : ep.port();
}

int HttpServer::in_flight() const { return impl_->in_flight.load(); }

void HttpServer::Run() {
  Impl& s = *impl_;
  s.signals.async_wait([&s](beast::error_code ec, int) {
    if (!ec) s.BeginShutdown();
  });
  s.Accept();
  std::vector<std::thread> io;
  for (int i = 0; i < std::max(1, s.options.io_threads); ++i) {
    io.emplace_back([&s] { s.ioc.run(); });
  }
  {
    std::unique_lock lock(s.mu);
    s.cv.wait(lock, [&s] { return s.stop_requested; });
    // Requests in flight finish (their connections then close); idle ones are closed.
    s.cv.wait_for(lock, std::chrono::seconds(s.options.drain_timeout_seconds),
                  [&s] { return s.live_sessions == 0 && s.in_flight == 0; });
  }
  s.ioc.stop();
  for (auto& t : io) t.join();
  s.workers.join();
}

void HttpServer::Stop() {
  net::post(impl_->ioc, [this] { impl_->BeginShutdown(); });
}

}  // namespace qf::server
