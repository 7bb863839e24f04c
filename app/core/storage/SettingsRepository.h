// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include "proxy/ProxyConfig.h"

#include <QHostAddress>
#include <QSqlDatabase>
#include <QStringList>

namespace Core {

/// The user-editable settings with their defaults.
struct StoredSettings final
{
    bool requireKey = true;
    QString listenHost = QStringLiteral("127.0.0.1");
    quint16 listenPort = 2455;
    bool startMinimized = false; ///< console only: start hidden in the tray

    QString listen() const; ///< "127.0.0.1:2455", "[::1]:2455"
    /// Copies listen address, port and require-key into @p config.
    void applyTo(Proxy::ProxyConfig &config) const;
};

/// The `settings` table (name → text value) with validation. Names: `require-key`, `listen`.
class SettingsRepository final
{
public:
    explicit SettingsRepository(QSqlDatabase db);

    /// Stored values over defaults; an invalid stored value is an error, not silently ignored.
    Result<StoredSettings> load() const;
    /// Validates and stores @p value for setting @p name.
    Status set(const QString &name, const QString &value);
    Status setRequireKey(bool requireKey);
    Status setListen(const QString &hostPort);

    static QStringList names();
    static Result<bool> parseBool(const QString &value);
    /// "HOST:PORT" with an IPv4 or IPv6 literal (IPv6 in brackets) or "localhost"; port 1–65535.
    static Result<QPair<QHostAddress, quint16>> parseListen(const QString &value);

private:
    Status store(const QString &name, const QString &value);

    QSqlDatabase m_db;
};

} // namespace Core
