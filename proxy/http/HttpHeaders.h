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
    /// Case-insensitive name equality; the length check first keeps the common mismatch cheap.
    static bool sameName(QByteArrayView a, QByteArrayView b)
    {
        return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
    }

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
        m_fields.removeIf([&](const Field &f) { return sameName(f.first, name); });
    }
    bool contains(const QByteArray &name) const
    {
        for (const auto &f : m_fields)
            if (sameName(f.first, name))
                return true;
        return false;
    }
    /// The first value of @p name, or a null QByteArray.
    QByteArray value(const QByteArray &name) const
    {
        for (const auto &f : m_fields)
            if (sameName(f.first, name))
                return f.second;
        return {};
    }
    /// Every value of @p name, duplicates included, in order.
    QList<QByteArray> values(const QByteArray &name) const
    {
        QList<QByteArray> out;
        for (const auto &f : m_fields)
            if (sameName(f.first, name))
                out.append(f.second);
        return out;
    }
    const QList<Field> &fields() const { return m_fields; }
    qsizetype size() const { return m_fields.size(); }

private:
    QList<Field> m_fields;
};

} // namespace Proxy
