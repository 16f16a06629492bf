// A small HTTP/1.1 client for the server tests (Boost.Beast, blocking): a
// session cookie and CSRF token kept after login, one connection per request
// unless a keep-alive connection is asked for.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace qf::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;
  nlohmann::json Json() const { return nlohmann::json::parse(body, nullptr, false); }
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// Percent-encodes `s` for a query string or a path segment (RFC 3986 unreserved kept).
inline std::string UrlEncode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : port_(port) {}

  HttpResult Send(const std::string& method, const std::string& target,
                  const std::string& body = "", const std::string& content_type = "",
                  std::map<std::string, std::string> extra = {}) {
    namespace net = boost::asio;
    namespace http = boost::beast::http;
    net::io_context ioc;
    boost::beast::tcp_stream stream(ioc);
    stream.connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!session_.empty()) req.set(http::field::cookie, "qf_session=" + session_);
    if (!csrf_.empty() && method != "GET") req.set("X-CSRF-Token", csrf_);
    if (!content_type.empty()) req.set(http::field::content_type, content_type);
    for (const auto& [k, v] : extra) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    boost::beast::flat_buffer buf;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256u << 20);
    boost::beast::error_code ec;
    http::read(stream, buf, parser, ec);
    HttpResult r;
    if (ec) return r;
    auto& res = parser.get();
    r.status = static_cast<int>(res.result_int());
    r.body = res.body();
    for (const auto& f : res)
      r.headers.emplace(std::string(f.name_string()), std::string(f.value()));
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    return r;
  }
  HttpResult Get(const std::string& target) { return Send("GET", target); }
  HttpResult Post(const std::string& target, const nlohmann::json& body) {
    return Send("POST", target, body.dump(), "application/json");
  }
  HttpResult Patch(const std::string& target, const nlohmann::json& body) {
    return Send("PATCH", target, body.dump(), "application/json");
  }

  HttpResult Login(const std::string& name, const std::string& password) {
    HttpResult r = Post("/api/login", {{"name", name}, {"password", password}});
    if (r.status == 200) {
      std::string cookie = r.Header("Set-Cookie");
      size_t eq = cookie.find('='), semi = cookie.find(';');
      session_ = cookie.substr(eq + 1, semi - eq - 1);
      csrf_ = r.Json()["csrf"].get<std::string>();
    }
    return r;
  }
  void Forget() { session_.clear(), csrf_.clear(); }
  void set_csrf(const std::string& c) { csrf_ = c; }
  const std::string& session() const { return session_; }

 private:
  uint16_t port_;
  std::string session_, csrf_;
};

}  // namespace qf::testing
