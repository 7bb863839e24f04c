// SPDX-License-Identifier: MIT
#include "app/core/backup/SecretEntries.h"

#include <QtEndian>

#include <sodium.h>

namespace Core {

void wipeBytes(QByteArray &bytes)
{
    if (!bytes.isEmpty() && !bytes.isDetached())
        bytes = QByteArray(); // shared: another owner still holds the data; only drop our reference
    else if (!bytes.isEmpty())
        sodium_memzero(bytes.data(), size_t(bytes.size()));
    bytes.clear();
}

void SecretEntries::wipe()
{
    for (SecretEntry &entry : m_entries)
        wipeBytes(entry.value);
    m_entries.clear();
}

QByteArray SecretEntries::serialize() const
{
    QByteArray out;
    char number[4];
    qToBigEndian<quint32>(quint32(m_entries.size()), number);
    out.append(number, 4);
    for (const SecretEntry &entry : m_entries) {
        const QByteArray name = entry.name.toUtf8();
        qToBigEndian<quint16>(quint16(name.size()), number);
        out.append(number, 2);
        out += name;
        qToBigEndian<quint32>(quint32(entry.value.size()), number);
        out.append(number, 4);
        out += entry.value;
    }
    return out;
}

bool SecretEntries::parse(const QByteArray &bytes)
{
    wipe();
    qsizetype offset = 0;
    const auto take = [&](qsizetype size, QByteArray *into) {
        if (size > bytes.size() - offset)
            return false;
        if (into)
            *into = bytes.mid(offset, size);
        offset += size;
        return true;
    };
    QByteArray field;
    if (!take(4, &field))
        return false;
    const auto reject = [this] {
        wipe();
        return false;
    };
    const quint32 count = qFromBigEndian<quint32>(field.constData());
    for (quint32 i = 0; i < count; ++i) {
        SecretEntry entry;
        QByteArray name;
        if (!take(2, &field) || !take(qFromBigEndian<quint16>(field.constData()), &name) || !take(4, &field))
            return reject();
        if (!take(qsizetype(qFromBigEndian<quint32>(field.constData())), &entry.value))
            return reject();
        entry.name = QString::fromUtf8(name);
        if (entry.name.isEmpty())
            return reject();
        m_entries.append(std::move(entry));
    }
    return offset == bytes.size() || reject();
}

} // namespace Core
