// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace Proxy {

/// Header fields in arrival order, names as sent; lookups are case-insensitive. Duplicates are kept.
class HttpHeaders final
{
public:
    using Field = QPair<QByteArray, QByteArray>;

    void append(const QByteArray &name, const QByteArray &value) { m_fields.append({name, value}); }
    /// Removes every field named @p name (case-insensitive), then appends one.
    void set(const QByteArray &name, const QByteArray &value)
    {
        remove(name);
        append(name, value);
    }
    void remove(const QByteArray &name)
    {
        m_fields.removeIf([&](const Field &f) { return f.first.compare(name, Qt::CaseInsensitive) == 0; });
    }
    bool contains(const QByteArray &name) const
    {
        for (const auto &f : m_fields)
            if (f.first.compare(name, Qt::CaseInsensitive) == 0)
                return true;
        return false;
    }
    /// The first value of @p name, or a null QByteArray.
    QByteArray value(const QByteArray &name) const
    {
        for (const auto &f : m_fields)
            if (f.first.compare(name, Qt::CaseInsensitive) == 0)
                return f.second;
        return {};
    }
    /// Every value of @p name, duplicates included, in order.
    QList<QByteArray> values(const QByteArray &name) const
    {
        QList<QByteArray> out;
        for (const auto &f : m_fields)
            if (f.first.compare(name, Qt::CaseInsensitive) == 0)
                out.append(f.second);
        return out;
    }
    const QList<Field> &fields() const { return m_fields; }
    qsizetype size() const { return m_fields.size(); }

private:
    QList<Field> m_fields;
};

} // namespace Proxy
