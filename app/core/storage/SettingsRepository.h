// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/storage/RequestLogPruner.h"

#include "proxy/ProxyConfig.h"
#include "proxy/routing/UpstreamAccount.h"

#include <QHostAddress>
#include <QSqlDatabase>
#include <QStringList>

namespace Core {

/// The user-editable settings with their defaults.
struct StoredSettings final
{
    static constexpr int MinBodyMib = 1;
    static constexpr int MaxBodyMib = 1024;
    static constexpr int MinRetentionDays = 1;
    static constexpr int MaxRetentionDays = 3650;
    static constexpr int MinAuthFailureBudget = 1;
    static constexpr int MaxAuthFailureBudget = 10'000;
    /// request-log-retention-days: 0 (keep every row) or MinRequestLogRetentionDays..MaxRetentionDays.
    /// Limit windows (up to 30 days) and the console's 30-day view read rows, so the minimum is 31.
    static constexpr int MinRequestLogRetentionDays = RequestLogPruner::MinRetentionDays;

    bool requireKey = true;
    QString listenHost = QStringLiteral("127.0.0.1");
    quint16 listenPort = 2455;
    int maxBodyMib = 32;         ///< request-body limit of the proxy, MiB
    int authRetentionDays = 30;  ///< auth events older than this are pruned by the store
    /// Request-log rows older than this many whole UTC days are pruned by the store (0 = never);
    /// daily per-key rollups keep the totals.
    int requestLogRetentionDays = 90;
    bool startMinimized = false; ///< console only: start hidden in the tray
    Proxy::RoutingStrategy routing = Proxy::RoutingStrategy::RoundRobin; ///< how the account pool picks
    QStringList allowedOrigins; ///< web page origins the proxy serves (normalised); none by default
    int authFailureBudget = 30; ///< failed key attempts per peer and minute before 429
    /// When x-api-key may decide after Authorization did not; `always` is what Pi needs.
    Proxy::ApiKeyFallback apiKeyFallback = Proxy::ApiKeyFallback::Always;
    /// Who may read GET /metrics: local clients only, any valid key, or nobody (404).
    Proxy::MetricsAccess metricsAccess = Proxy::MetricsAccess::Loopback;

    QString listen() const; ///< "127.0.0.1:2455", "[::1]:2455"
    /// The text form of setting @p name as `settings show` prints and `settings set` accepts it.
    QString value(const QString &name) const;
    /// Copies listen address, port, require-key, the body limit, routing, allowed origins, the
    /// failed-auth budget, the x-api-key fallback and the metrics access into @p config.
    void applyTo(Proxy::ProxyConfig &config) const;
    /// Every value in range, and require-key on unless the address is loopback (anyone on the
    /// network could otherwise use the upstream).
    Status validate() const;

    friend bool operator==(const StoredSettings &, const StoredSettings &) = default;
};

/// The `settings` table (name → text value) with validation. Names: `require-key`, `listen`,
/// `max-body-mib`, `auth-retention-days`, `start-minimized`, `routing`, `allowed-origins`,
/// `auth-failure-budget`, `x-api-key-fallback`, `metrics-access`, `request-log-retention-days`. Thread of its connection.
class SettingsRepository final
{
public:
    explicit SettingsRepository(QSqlDatabase db);

    /// Stored values over defaults; an invalid stored value is an error, not silently ignored.
    Result<StoredSettings> load() const;
    /// Validates and stores @p value for setting @p name.
    Status set(const QString &name, const QString &value);
    /// Validates @p settings as a whole (StoredSettings::validate) and stores every value in one transaction.
    Status save(const StoredSettings &settings);
    Status setRequireKey(bool requireKey);
    Status setListen(const QString &hostPort);

    static QStringList names();
    /// Whether @p value is acceptable for setting @p name (the parsing `set` and `load` use).
    static Status validate(const QString &name, const QString &value);
    static Result<bool> parseBool(const QString &value);
    /// A whole number from @p min to @p max.
    static Result<int> parseInt(const QString &value, int min, int max);
    /// "HOST:PORT" with an IPv4 or IPv6 literal (IPv6 in brackets) or "localhost"; port 1–65535.
    static Result<QPair<QHostAddress, quint16>> parseListen(const QString &value);
    /// A comma-separated list of origins (`https://a.example,http://localhost:5173`), each normalised;
    /// empty = none.
    static Result<QStringList> parseOrigins(const QString &value);

private:
    /// Parses @p value for @p name into @p settings; false with the reason when invalid or unknown.
    static Status assign(StoredSettings &settings, const QString &name, const QString &value);
    Status store(const QString &name, const QString &value);

    QSqlDatabase m_db;
};

} // namespace Core
