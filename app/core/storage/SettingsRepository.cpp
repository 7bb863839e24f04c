// SPDX-License-Identifier: MIT
#include "app/core/storage/SettingsRepository.h"

#include "app/core/storage/SqlUtil.h"

#include <QSqlQuery>

namespace Core {

namespace {
constexpr auto RequireKeyName = "require-key";
constexpr auto ListenName = "listen";
} // namespace

QString StoredSettings::listen() const
{
    const bool ipv6 = listenHost.contains(u':');
    return (ipv6 ? u'[' + listenHost + u']' : listenHost) + u':' + QString::number(listenPort);
}

void StoredSettings::applyTo(Proxy::ProxyConfig &config) const
{
    config.requireKey = requireKey;
    config.listenAddress = listenHost == u"localhost" ? QHostAddress(QHostAddress::LocalHost)
                                                      : QHostAddress(listenHost);
    config.port = listenPort;
}

SettingsRepository::SettingsRepository(QSqlDatabase db) : m_db(std::move(db)) {}

QStringList SettingsRepository::names()
{
    return {QString::fromLatin1(RequireKeyName), QString::fromLatin1(ListenName)};
}

Result<bool> SettingsRepository::parseBool(const QString &value)
{
    const QString lower = value.trimmed().toLower();
    if (lower == u"true" || lower == u"1" || lower == u"yes" || lower == u"on")
        return true;
    if (lower == u"false" || lower == u"0" || lower == u"no" || lower == u"off")
        return false;
    return Result<bool>::failure(QStringLiteral("expected true or false, got \"%1\"").arg(value));
}

Result<QPair<QHostAddress, quint16>> SettingsRepository::parseListen(const QString &value)
{
    using ListenResult = Result<QPair<QHostAddress, quint16>>;
    const QString text = value.trimmed();
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return ListenResult::failure(QStringLiteral("expected HOST:PORT, got \"%1\"").arg(value));
    QString host = text.left(colon);
    const QString portText = text.mid(colon + 1);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    else if (host.contains(u':'))
        return ListenResult::failure(QStringLiteral("write an IPv6 address in brackets, e.g. [::1]:2455"));
    bool portOk = false;
    const uint port = portText.toUInt(&portOk);
    if (!portOk || port > 65535) // 0 = any free port (tests, scripts)
        return ListenResult::failure(QStringLiteral("the port must be a number from 0 (any free port) to 65535, got \"%1\"").arg(portText));
    QHostAddress address;
    if (host == u"localhost")
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!address.setAddress(host))
        return ListenResult::failure(QStringLiteral("the host must be an IP address or localhost, got \"%1\"").arg(host));
    return qMakePair(address, quint16(port));
}

Result<StoredSettings> SettingsRepository::load() const
{
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(query, QStringLiteral("SELECT name, value FROM settings")); !status)
        return Result<StoredSettings>::failure(status);
    StoredSettings settings;
    while (query.next()) {
        const QString name = query.value(0).toString();
        const QString value = query.value(1).toString();
        if (name == QLatin1String(RequireKeyName)) {
            const Result<bool> parsed = parseBool(value);
            if (!parsed)
                return Result<StoredSettings>::failure(QStringLiteral("setting require-key: %1").arg(parsed.error()));
            settings.requireKey = parsed.value();
        } else if (name == QLatin1String(ListenName)) {
            const auto parsed = parseListen(value);
            if (!parsed)
                return Result<StoredSettings>::failure(QStringLiteral("setting listen: %1").arg(parsed.error()));
            settings.listenHost = parsed.value().first.toString();
            if (value.trimmed().startsWith(u"localhost"))
                settings.listenHost = QStringLiteral("localhost");
            settings.listenPort = parsed.value().second;
        }
    }
    return settings;
}

Status SettingsRepository::store(const QString &name, const QString &value)
{
    return Sql::exec(m_db,
                     QStringLiteral("INSERT INTO settings (name, value) VALUES (?, ?)"
                                    " ON CONFLICT(name) DO UPDATE SET value = excluded.value"),
                     {name, value});
}

Status SettingsRepository::setRequireKey(bool requireKey)
{
    return store(QString::fromLatin1(RequireKeyName), requireKey ? QStringLiteral("true") : QStringLiteral("false"));
}

Status SettingsRepository::setListen(const QString &hostPort)
{
    const auto parsed = parseListen(hostPort);
    if (!parsed)
        return Status::failure(parsed.error());
    return store(QString::fromLatin1(ListenName), hostPort.trimmed());
}

Status SettingsRepository::set(const QString &name, const QString &value)
{
    if (name == QLatin1String(RequireKeyName)) {
        const Result<bool> parsed = parseBool(value);
        return parsed ? setRequireKey(parsed.value()) : Status::failure(parsed.error());
    }
    if (name == QLatin1String(ListenName))
        return setListen(value);
    return Status::failure(
        QStringLiteral("unknown setting \"%1\" (known: %2)").arg(name, names().join(QStringLiteral(", "))));
}

} // namespace Core
