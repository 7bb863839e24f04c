// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"
#include "app/core/accounts/oauth/OAuthEndpoints.h"
#include "app/core/secrets/SecretStore.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/Store.h"

#include "proxy/ProxyController.h"
#include "proxy/policy/LimitStatus.h"
#include "proxy/routing/UpstreamAccount.h"

#include <QObject>

#include <memory>
#include <optional>

namespace Core {

/// Everything a running Keygate needs, shared by `serve` and the console: the main-thread database
/// connection, the secret store, the store thread and the proxy thread, wired together. Lives on
/// the main thread. The proxy can be stopped and started again; each start gets a fresh proxy
/// thread with the current keys, settings and usage baseline.
class ProxyRuntime final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProxyRuntime)

public:
    enum class State { Stopped, Starting, Listening, Stopping, Failed };
    Q_ENUM(State)

    ProxyRuntime(QString dataDir, QString secretsBackend, QObject *parent = nullptr);
    ~ProxyRuntime() override;

    /// Opens the database, the secret store and the store thread. Call once before anything else.
    Status open();
    /// "HOST:PORT" that replaces the `listen` setting (serve --listen); empty = use the setting.
    void setListenOverride(const QString &hostPort) { m_listenOverride = hostPort; }

    /// Loads the current configuration and starts listening; listening() or failed() follows.
    Status startProxy();
    /// Stops accepting, lets in-flight responses finish for up to @p graceMs; stopped() follows.
    void stopProxy(int graceMs);
    /// Stops (if running) and starts again with the current settings, e.g. after the listen address changed.
    /// A failure to start is reported through failed().
    void restartProxy(int graceMs);
    /// Moves the proxy to @p address:@p port without saving anything. A running proxy opens the new
    /// listener before it closes the old one and keeps the old one when the new one cannot be opened
    /// (the port is taken); a proxy that failed to start is started there. listenerMoved() or
    /// listenerMoveFailed() follows. False (and no signal) while the proxy is stopped or stopping:
    /// there is nothing to move, the next start uses the stored setting.
    bool moveListener(const QHostAddress &address, quint16 port);
    /// Stops the proxy at once (if running) and flushes the store. False when usage was left unwritten.
    bool shutdown();

    /// The keys were changed on this process's database connection: the proxy sees them at once, and
    /// usage resets written since (here or by the CLI) are emitted through authTraced().
    void publishKeys();
    /// Settings or the upstream were changed: the running proxy gets the new configuration and the
    /// store the auth-event retention.
    void publishConfig();

    Result<Proxy::ProxyConfig> loadConfig();
    /// Where each limit of @p keyId stands now: the running proxy's own count when it has reported
    /// one, else counted from the request log.
    QList<Proxy::LimitStatus> limitStatuses(qint64 keyId);
    /// What the running proxy last reported per limit id (no SQL); meaningful while listening.
    const QHash<qint64, Proxy::LimitStatus> &reportedLimitStatuses() const { return m_limitStatuses; }

    State state() const { return m_state; }
    QString stateDetail() const { return m_stateDetail; } ///< "127.0.0.1:2455" when listening, else the error
    QString dataDir() const { return m_dataDir; }
    Database &database() { return m_database; }
    SecretStore &secrets() { return *m_secrets; }
    Store &store() { return *m_store; }
    /// Where ChatGPT logins and refreshes go (KEYGATE_OAUTH_BASE_URL overrides, for tests).
    const OAuthEndpoints &oauthEndpoints() const { return m_oauth; }

signals:
    void stateChanged(Core::ProxyRuntime::State state, const QString &detail);
    void listening(const QString &hostPort);
    void failed(const QString &message);
    /// The answer to moveListener(); listening() is emitted too.
    void listenerMoved(const QString &hostPort);
    /// The answer to moveListener(): the proxy still listens where it did (or, if it had failed to
    /// start, is still not running).
    void listenerMoveFailed(const QString &message);
    void stopped();
    void authTraced(const QList<Proxy::AuthTrace> &traces);
    void requestsRecorded(const QList<Proxy::RequestRecord> &records);
    /// What the proxy learned about accounts (cooldowns, quota windows, errors); batched.
    void accountStatusChanged(const QList<Proxy::AccountRuntimeStatus> &statuses);
    /// Keys changed here or in another process (the CLI).
    void keysChanged();
    /// The proxy reported new limit counts (batched); read them with limitStatuses().
    void limitStatusesChanged();
    /// Settings or the upstream changed here or in another process.
    void configChanged();
    void writeFailed(const QString &message);
    /// The stored settings could not be loaded; the running proxy keeps its configuration.
    void configProblem(const QString &message);

private:
    void setState(State state, const QString &detail);
    /// startProxy(), on @p address:@p port instead of the stored address when given.
    Status start(const std::optional<QPair<QHostAddress, quint16>> &listen);
    void onListening(const QString &hostPort);
    void onStopped();
    void applyStoreSettings();

    QString m_dataDir;
    QString m_secretsBackend;
    QString m_listenOverride;
    Database m_database;
    std::unique_ptr<class DataDirLock> m_lock; // shared: no restore while this runtime runs
    std::shared_ptr<SecretStore> m_secrets;
    std::unique_ptr<Store> m_store;
    OAuthEndpoints m_oauth = OAuthEndpoints::fromEnvironment();
    class AccountRefresher *m_refresher = nullptr; // child; refreshes tokens the proxy asks for
    class UsagePoller *m_usage = nullptr;          // child; quota windows from the usage endpoint
    class AccountRuntimePublisher *m_publisher = nullptr; // child; the pool's state for other processes
    std::unique_ptr<class UsageResetFeed> m_resets; // usage resets, shown with the live trace
    std::unique_ptr<Proxy::ProxyController> m_proxy; // recreated per start; joins its thread when reset
    State m_state = State::Stopped;
    bool m_restartPending = false;
    bool m_moving = false; // a moveListener() start is under way: its outcome answers the move
    QString m_stateDetail;
    QHash<qint64, Proxy::LimitStatus> m_limitStatuses; // limit id → the proxy's last report
};

} // namespace Core
