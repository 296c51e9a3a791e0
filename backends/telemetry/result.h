#pragma once
// A value or an error message, for parsers and actions that must never guess or throw
// across a layer boundary. C++20 has no std::expected, so this is the small stand-in.
#include <string>
#include <utility>
#include <variant>

namespace opsdeck {

struct Error {
    std::string message; // says where (file:line:col or field) and why
};

template <typename T>
class Result {
public:
    Result(T value) : m_v(std::move(value)) {}
    Result(Error error) : m_v(std::move(error)) {}

    bool ok() const { return std::holds_alternative<T>(m_v); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return std::get<T>(m_v); }
    T &value() & { return std::get<T>(m_v); }
    T &&value() && { return std::get<T>(std::move(m_v)); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }
    const std::string &error() const { return std::get<Error>(m_v).message; }

private:
    std::variant<T, Error> m_v;
};

} // namespace opsdeck
