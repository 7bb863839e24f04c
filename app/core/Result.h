// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <optional>
#include <utility>

namespace Core {

/// Success or a human-readable error; an optional warning travels with a success.
class Status final
{
public:
    static Status success(QString warning = {})
    {
        Status status;
        status.m_warning = std::move(warning);
        return status;
    }
    static Status failure(QString message)
    {
        Status status;
        status.m_ok = false;
        status.m_error = std::move(message);
        return status;
    }

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const QString &error() const { return m_error; }
    const QString &warning() const { return m_warning; }

private:
    bool m_ok = true;
    QString m_error;
    QString m_warning;
};

/// A value or a human-readable error (a small stand-in for std::expected, which needs C++23).
template <typename T>
class Result final
{
public:
    Result(T value) : m_value(std::move(value)) {} // NOLINT(google-explicit-constructor): return-by-value sugar
    static Result failure(QString message)
    {
        Result result;
        result.m_error = std::move(message);
        return result;
    }
    static Result failure(const Status &status) { return failure(status.error()); }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const QString &error() const { return m_error; }
    Status status() const { return ok() ? Status::success() : Status::failure(m_error); }

private:
    Result() = default;
    std::optional<T> m_value;
    QString m_error;
};

} // namespace Core
