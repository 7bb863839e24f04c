// SPDX-License-Identifier: MIT
#include "app/core/storage/SettingsRepository.h"

#include "app/core/storage/SqlUtil.h"

#include "proxy/auth/CrossSiteGuard.h"

#include <QSqlQuery>

namespace Core {

namespace {
constexpr auto RequireKeyName = "require-key";
constexpr auto ListenName = "listen";
constexpr auto MaxBodyName = "max-body-mib";
constexpr auto RetentionName = "auth-retention-days";
constexpr auto StartMinimizedName = "start-minimized";
constexpr auto RoutingName = "routing";
constexpr auto AllowedOriginsName = "allowed-origins";
constexpr auto AuthFailureBudgetName = "auth-failure-budget";
constexpr auto ApiKeyFallbackName = "x-api-key-fallback";
constexpr auto MetricsAccessName = "metrics-access";
constexpr auto RequestLogRetentionName = "request-log-retention-days";

QString boolText(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}
} // namespace

QString StoredSettings::listen() const
{
    const bool ipv6 = listenHost.contains(u':');
    return (ipv6 ? u'[' + listenHost + u']' : listenHost) + u':' + QString::number(listenPort);
}

QString StoredSettings::value(const QString &name) const
{
    if (name == QLatin1String(RequireKeyName))
        return boolText(requireKey);
    if (name == QLatin1String(ListenName))
        return listen();
    if (name == QLatin1String(MaxBodyName))
        return QString::number(maxBodyMib);
    if (name == QLatin1String(RetentionName))
        return QString::number(authRetentionDays);
    if (name == QLatin1String(StartMinimizedName))
        return boolText(startMinimized);
    if (name == QLatin1String(RoutingName))
        return Proxy::toString(routing);
    if (name == QLatin1String(AllowedOriginsName))
        return allowedOrigins.isEmpty() ? QStringLiteral("") : allowedOrigins.join(u','); // "" is not NULL
    if (name == QLatin1String(AuthFailureBudgetName))
        return QString::number(authFailureBudget);
    if (name == QLatin1String(ApiKeyFallbackName))
        return Proxy::toString(apiKeyFallback);
    if (name == QLatin1String(MetricsAccessName))
        return Proxy::toString(metricsAccess);
    if (name == QLatin1String(RequestLogRetentionName))
        return QString::number(requestLogRetentionDays);
    return {};
}

void StoredSettings::applyTo(Proxy::ProxyConfig &config) const
{
    config.requireKey = requireKey;
    config.listenAddress = listenHost == u"localhost" ? QHostAddress(QHostAddress::LocalHost)
                                                      : QHostAddress(listenHost);
    config.port = listenPort;
    config.limits.maxBodyBytes = qint64(maxBodyMib) * 1024 * 1024;
    config.routing = routing;
    config.allowedOrigins = allowedOrigins;
    config.authFailureBudget = authFailureBudget;
    config.apiKeyFallback = apiKeyFallback;
    config.metricsAccess = metricsAccess;
}

Status StoredSettings::validate() const
{
    for (const QString &name : SettingsRepository::names())
        if (const Status valid = SettingsRepository::validate(name, value(name)); !valid)
            return Status::failure(QStringLiteral("%1: %2").arg(name, valid.error()));
    const auto address = SettingsRepository::parseListen(listen());
    if (!requireKey && !address.value().first.isLoopback())
        return Status::failure(
            QStringLiteral("require-key can only be turned off while listening on a loopback "
                           "address (127.0.0.1, ::1 or localhost), not on %1: anyone on the "
                           "network could use your upstream")
                .arg(listenHost));
    return Status::success();
}

SettingsRepository::SettingsRepository(QSqlDatabase db) : m_db(std::move(db)) {}

QStringList SettingsRepository::names()
{
    return {QString::fromLatin1(RequireKeyName), QString::fromLatin1(ListenName),
            QString::fromLatin1(MaxBodyName), QString::fromLatin1(RetentionName),
            QString::fromLatin1(StartMinimizedName), QString::fromLatin1(RoutingName),
            QString::fromLatin1(AllowedOriginsName), QString::fromLatin1(AuthFailureBudgetName),
            QString::fromLatin1(ApiKeyFallbackName), QString::fromLatin1(MetricsAccessName),
            QString::fromLatin1(RequestLogRetentionName)};
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

Result<int> SettingsRepository::parseInt(const QString &value, int min, int max)
{
    bool ok = false;
    const int number = value.trimmed().toInt(&ok);
    if (!ok || number < min || number > max)
        return Result<int>::failure(
            QStringLiteral("expected a whole number from %1 to %2, got \"%3\"").arg(min).arg(max).arg(value));
    return number;
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

Result<QStringList> SettingsRepository::parseOrigins(const QString &value)
{
    QStringList origins;
    for (const QString &item : value.split(u',', Qt::SkipEmptyParts)) {
        if (item.trimmed().isEmpty())
            continue;
        const QString origin = Proxy::CrossSiteGuard::normalizedOrigin(item);
        if (origin.isEmpty())
            return Result<QStringList>::failure(
                QStringLiteral("expected origins like https://app.example or http://localhost:5173 (scheme, "
                               "host and port only), got \"%1\"")
                    .arg(item.trimmed()));
        if (!origins.contains(origin))
            origins.append(origin);
    }
    return origins;
}

Status SettingsRepository::assign(StoredSettings &settings, const QString &name, const QString &value)
{
    if (name == QLatin1String(RequireKeyName) || name == QLatin1String(StartMinimizedName)) {
        const Result<bool> parsed = parseBool(value);
        if (!parsed)
            return parsed.status();
        (name == QLatin1String(RequireKeyName) ? settings.requireKey : settings.startMinimized) =
            parsed.value();
    } else if (name == QLatin1String(ListenName)) {
        const auto parsed = parseListen(value);
        if (!parsed)
            return parsed.status();
        settings.listenHost = value.trimmed().startsWith(u"localhost") ? QStringLiteral("localhost")
                                                                       : parsed.value().first.toString();
        settings.listenPort = parsed.value().second;
    } else if (name == QLatin1String(MaxBodyName)) {
        const Result<int> parsed = parseInt(value, StoredSettings::MinBodyMib, StoredSettings::MaxBodyMib);
        if (!parsed)
            return parsed.status();
        settings.maxBodyMib = parsed.value();
    } else if (name == QLatin1String(RetentionName)) {
        const Result<int> parsed =
            parseInt(value, StoredSettings::MinRetentionDays, StoredSettings::MaxRetentionDays);
        if (!parsed)
            return parsed.status();
        settings.authRetentionDays = parsed.value();
    } else if (name == QLatin1String(AuthFailureBudgetName)) {
        const Result<int> parsed =
            parseInt(value, StoredSettings::MinAuthFailureBudget, StoredSettings::MaxAuthFailureBudget);
        if (!parsed)
            return parsed.status();
        settings.authFailureBudget = parsed.value();
    } else if (name == QLatin1String(AllowedOriginsName)) {
        const Result<QStringList> parsed = parseOrigins(value);
        if (!parsed)
            return parsed.status();
        settings.allowedOrigins = parsed.value();
    } else if (name == QLatin1String(RoutingName)) {
        bool ok = false;
        settings.routing = Proxy::routingStrategyFromString(value.trimmed(), &ok);
        if (!ok)
            return Status::failure(QStringLiteral("expected round-robin, fill-first or usage, got \"%1\"").arg(value));
    } else if (name == QLatin1String(RequestLogRetentionName)) {
        const Result<int> parsed = parseInt(value, 0, StoredSettings::MaxRetentionDays);
        if (!parsed || (parsed.value() > 0 && parsed.value() < StoredSettings::MinRequestLogRetentionDays))
            return Status::failure(QStringLiteral("expected 0 (keep every request) or a whole number from %1 to %2, "
                                                  "got \"%3\" (limit windows and the 30-day views read the last "
                                                  "30 days of rows)")
                                       .arg(StoredSettings::MinRequestLogRetentionDays)
                                       .arg(StoredSettings::MaxRetentionDays)
                                       .arg(value));
        settings.requestLogRetentionDays = parsed.value();
    } else if (name == QLatin1String(ApiKeyFallbackName)) {
        bool ok = false;
        settings.apiKeyFallback = Proxy::apiKeyFallbackFromString(value.trimmed(), &ok);
        if (!ok)
            return Status::failure(
                QStringLiteral("expected always, placeholder-only or never, got \"%1\"").arg(value));
    } else if (name == QLatin1String(MetricsAccessName)) {
        bool ok = false;
        settings.metricsAccess = Proxy::metricsAccessFromString(value.trimmed(), &ok);
        if (!ok)
            return Status::failure(QStringLiteral("expected loopback, key or off, got \"%1\"").arg(value));
    } else {
        return Status::failure(QStringLiteral("unknown setting \"%1\" (known: %2)")
                                   .arg(name, names().join(QStringLiteral(", "))));
    }
    return Status::success();
}

Status SettingsRepository::validate(const QString &name, const QString &value)
{
    StoredSettings scratch;
    return assign(scratch, name, value);
}

Result<StoredSettings> SettingsRepository::load() const
{
    QSqlQuery query(m_db);
    if (const Status status = Sql::exec(query, QStringLiteral("SELECT name, value FROM settings")); !status)
        return Result<StoredSettings>::failure(status);
    StoredSettings settings;
    while (query.next()) {
        const QString name = query.value(0).toString();
        if (!names().contains(name))
            continue; // written by a newer Keygate
        if (const Status parsed = assign(settings, name, query.value(1).toString()); !parsed)
            return Result<StoredSettings>::failure(
                QStringLiteral("setting %1: %2").arg(name, parsed.error()));
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
    return store(QString::fromLatin1(RequireKeyName), boolText(requireKey));
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
    StoredSettings parsed;
    if (const Status valid = assign(parsed, name, value); !valid)
        return valid;
    return store(name, name == QLatin1String(ListenName) ? value.trimmed() : parsed.value(name));
}

Status SettingsRepository::save(const StoredSettings &settings)
{
    if (const Status valid = settings.validate(); !valid)
        return valid;
    if (const Status begun = Sql::exec(m_db, QStringLiteral("BEGIN IMMEDIATE")); !begun)
        return begun;
    for (const QString &name : names()) {
        if (const Status stored = store(name, settings.value(name)); !stored) {
            Sql::exec(m_db, QStringLiteral("ROLLBACK"));
            return stored;
        }
    }
    if (const Status committed = Sql::exec(m_db, QStringLiteral("COMMIT")); !committed) {
        Sql::exec(m_db, QStringLiteral("ROLLBACK"));
        return committed;
    }
    return Status::success();
}

} // namespace Core
