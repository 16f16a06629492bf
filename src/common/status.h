// Errors are values (LevelDB style): every fallible function returns a Status
// or a Result<T>; callers check it. No exceptions cross module boundaries.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace qf {

class Status {
 public:
  enum class Code {
    kOk = 0,
    kNotFound,
    kInvalidArgument,  // the caller's input (a file, a value, a command) is wrong
    kCorruption,       // stored data is not what it should be
    kIOError,
    kNotSupported,
    kInternal,
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status InvalidArgument(std::string msg) {
    return Status(Code::kInvalidArgument, std::move(msg));
  }
  // A problem a clerk must fix, told in English and in Chinese.
  static Status InvalidInput(std::string en, std::string zh) {
    Status s(Code::kInvalidArgument, std::move(en));
    s.zh_ = std::move(zh);
    return s;
  }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status IOError(std::string en, std::string zh) {
    Status s(Code::kIOError, std::move(en));
    s.zh_ = std::move(zh);
    return s;
  }
  static Status NotSupported(std::string msg) {
    return Status(Code::kNotSupported, std::move(msg));
  }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return msg_; }
  // The Chinese wording where one was given, else the English.
  const std::string& message_zh() const { return zh_.empty() ? msg_ : zh_; }
  const std::string& Message(bool chinese) const { return chinese ? message_zh() : msg_; }
  // "IO error: cannot open payments.csv" — for logs and the CLI.
  std::string ToString() const;

  // Adds context in front of the message, keeping the code.
  Status WithContext(const std::string& context) const {
    if (ok()) return *this;
    Status s(code_, context + ": " + msg_);
    if (!zh_.empty()) s.zh_ = context + "：" + zh_;
    return s;
  }
  Status WithContext(const std::string& en, const std::string& zh) const {
    if (ok()) return *this;
    Status s(code_, en + ": " + msg_);
    s.zh_ = zh + "：" + message_zh();
    return s;
  }

 private:
  Status(Code code, std::string msg) : code_(code), msg_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string msg_;
  std::string zh_;
};

// Either a value or a non-OK Status.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok());
  }
  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace qf

#define QF_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::qf::Status qf_status_ = (expr);        \
    if (!qf_status_.ok()) return qf_status_; \
  } while (0)

#define QF_CONCAT_INNER(a, b) a##b
#define QF_CONCAT(a, b) QF_CONCAT_INNER(a, b)
#define QF_ASSIGN_OR_RETURN(lhs, expr) \
  QF_ASSIGN_OR_RETURN_IMPL(QF_CONCAT(qf_result_, __LINE__), lhs, expr)
// `lhs` is a declaration, so it cannot be parenthesized.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define QF_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)
