// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace Core {

/// One secret-store entry carried by a backup: its name (`key/<id>`, `account/<id>/access`, …)
/// and its plaintext value.
struct SecretEntry final
{
    QString name;
    QByteArray value;
};

/// The plaintexts of a backup; wipe() them (sodium_memzero) as soon as they are no longer needed.
class SecretEntries final
{
    Q_DISABLE_COPY(SecretEntries)

public:
    SecretEntries() = default;
    SecretEntries(SecretEntries &&other) noexcept = default;
    SecretEntries &operator=(SecretEntries &&other) noexcept = default;
    ~SecretEntries() { wipe(); }

    void append(SecretEntry entry) { m_entries.append(std::move(entry)); }
    const QList<SecretEntry> &entries() const { return m_entries; }
    qsizetype size() const { return m_entries.size(); }

    /// count (u32), then per entry: name length (u16), UTF-8 name, value length (u32), value.
    QByteArray serialize() const;
    /// The inverse of serialize(); false when @p bytes is not exactly such a list.
    bool parse(const QByteArray &bytes);
    /// Overwrites every value with zeros and empties the list.
    void wipe();

private:
    QList<SecretEntry> m_entries;
};

/// Overwrites @p bytes with zeros (sodium_memzero; the compiler may not drop it).
void wipeBytes(QByteArray &bytes);

} // namespace Core
