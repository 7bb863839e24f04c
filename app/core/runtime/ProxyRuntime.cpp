// SPDX-License-Identifier: MIT
#include "app/core/runtime/ProxyRuntime.h"

#include "app/core/runtime/AccountRefresher.h"
#include "app/core/runtime/AccountRuntimePublisher.h"
#include "app/core/runtime/ListenerRecord.h"
#include "app/core/runtime/DataDirLock.h"
#include "app/core/runtime/UsagePoller.h"
#include "app/core/runtime/UsageResetFeed.h"
#include "app/core/secrets/SecretStoreFactory.h"
#include "app/core/services/AccountService.h"
#include "app/core/services/KeyPolicyService.h"
#include "app/core/services/KeySnapshotBuilder.h"
#include "app/core/services/PricingLoader.h"
#include "app/core/storage/SettingsRepository.h"
#include "app/core/storage/StoreRecordJournal.h"

#include <utility>

namespace Core {

namespace {

QList<qint64> accountIds(const QList<Proxy::UpstreamAccount> &accounts)
{
    QList<qint64> ids;
    ids.reserve(accounts.size());
    for (const Proxy::UpstreamAccount &account : accounts)
        ids.append(account.id);
    return ids;
}

} // namespace

ProxyRuntime::ProxyRuntime(QString dataDir, QString secretsBackend, QObject *parent)
    : QObject(parent), m_dataDir(std::move(dataDir)), m_secretsBackend(std::move(secretsBackend))
{
}

ProxyRuntime::~ProxyRuntime()
{
    shutdown();
}

Status ProxyRuntime::open()
{
    // The lock comes first: a restore under way must not see its database opened and migrated.
    if (Status created = Database::ensureDataDir(m_dataDir); !created)
        return created;
    auto lock = DataDirLock::acquire(m_dataDir, DataDirLock::Mode::Shared);
    if (!lock)
        return lock.status();
    m_lock = std::move(lock).value();
    if (Status opened = m_database.open(m_dataDir); !opened)
        return opened;
    m_resets = std::make_unique<UsageResetFeed>(m_database);
    m_resets->skipExisting(); // the trace page loads the older ones from the history
    auto secrets = createSecretStore(m_secretsBackend, m_dataDir);
    if (!secrets)
        return secrets.status();
    m_secrets = secrets.value();
    m_store = std::make_unique<Store>(m_dataDir);
    if (Status started = m_store->start(); !started)
        return started;
    // The store noticed a change made elsewhere. Its snapshot may predate a change this process has
    // published since (it was read on the store thread): read the keys afresh here instead.
    connect(m_store.get(), &Store::keysChanged, this, [this] { publishKeys(); });
    connect(m_store.get(), &Store::settingsChanged, this, &ProxyRuntime::publishConfig);
    connect(m_store.get(), &Store::upstreamChanged, this, &ProxyRuntime::publishConfig);
    connect(m_store.get(), &Store::writeFailed, this, &ProxyRuntime::writeFailed);
    applyStoreSettings();
    m_publisher = new AccountRuntimePublisher(*m_store, this);
    m_usage = new UsagePoller(this);
    connect(m_usage, &UsagePoller::quotaFetched, this, [this](qint64 accountId, const Proxy::QuotaWindows &windows) {
        if (m_proxy)
            m_proxy->applyAccountQuota(accountId, windows);
    });
    m_refresher = new AccountRefresher(m_database, *m_secrets, m_oauth, this);
    connect(m_refresher, &AccountRefresher::tokenRefreshed, this, [this](qint64 accountId, const QByteArray &token) {
        if (m_proxy)
            m_proxy->applyAccountToken(accountId, token);
    });
    connect(m_refresher, &AccountRefresher::refreshFailed, this, [this](qint64 accountId, const QString &, bool permanent) {
        if (m_proxy)
            m_proxy->accountRefreshFailed(accountId);
        if (permanent)
            publishConfig(); // the account is stored as needs-reauth now: the pool skips it
    });
    return Status::success();
}

void ProxyRuntime::applyStoreSettings()
{
    // An unreadable setting is reported when the configuration is loaded; the store keeps its value.
    const Result<StoredSettings> settings = SettingsRepository(m_database.connection()).load();
    if (settings && m_store) {
        m_store->setAuthRetentionDays(settings.value().authRetentionDays);
        m_store->setRequestLogRetentionDays(settings.value().requestLogRetentionDays);
    }
}

Result<Proxy::ProxyConfig> ProxyRuntime::loadConfig()
{
    Proxy::ProxyConfig config;
    const Result<StoredSettings> settings = SettingsRepository(m_database.connection()).load();
    if (!settings)
        return Result<Proxy::ProxyConfig>::failure(settings.error());
    settings.value().applyTo(config);
    if (!m_listenOverride.isEmpty()) {
        const auto listen = SettingsRepository::parseListen(m_listenOverride);
        if (!listen)
            return Result<Proxy::ProxyConfig>::failure(listen.error());
        config.listenAddress = listen.value().first;
        config.port = listen.value().second;
    }
    const Result<QList<Proxy::UpstreamAccount>> pool = AccountService(m_database, *m_secrets).loadPool();
    if (!pool)
        return Result<Proxy::ProxyConfig>::failure(pool.error());
    config.accounts = pool.value();
    const Result<Proxy::PricingTablePtr> pricing = PricingLoader::load(m_dataDir);
    if (!pricing)
        return Result<Proxy::ProxyConfig>::failure(QStringLiteral("pricing: ") + pricing.error());
    config.pricing = pricing.value();
    return config;
}

Status ProxyRuntime::startProxy()
{
    return start(std::nullopt);
}

Status ProxyRuntime::start(const std::optional<QPair<QHostAddress, quint16>> &listen)
{
    Q_ASSERT(m_store);
    if (m_proxy && m_state != State::Failed)
        return Status::failure(QStringLiteral("the proxy is already running"));
    m_proxy.reset();
    Result<Proxy::ProxyConfig> config = loadConfig();
    if (!config)
        return config.status();
    if (listen) {
        config.value().listenAddress = listen->first;
        config.value().port = listen->second;
    }
    if (!config.value().requireKey && !config.value().listenAddress.isLoopback())
        return Status::failure(
            QStringLiteral("refusing to listen on %1 while require-key is false: anyone on the network could "
                           "use your upstream. Run `keygate settings set require-key true` or listen on 127.0.0.1")
                .arg(config.value().listenAddress.toString()));
    const auto keys = m_store->loadKeys();
    if (!keys)
        return keys.status();
    m_store->flush(); // the baseline must include what the previous proxy recorded
    const auto baseline = m_store->loadUsageBaseline();
    if (!baseline)
        return baseline.status();
    const auto hourly = m_store->loadHourlyUsage();
    if (!hourly)
        return hourly.status();
    const auto requestCounts = m_store->loadRequestCounts();
    if (!requestCounts)
        return requestCounts.status();

    m_proxy = std::make_unique<Proxy::ProxyController>();
    m_publisher->reset(accountIds(config.value().accounts));
    connect(m_proxy.get(), &Proxy::ProxyController::started, this, [this](const QString &hostPort) {
        m_publisher->start();
        onListening(hostPort);
    });
    connect(m_proxy.get(), &Proxy::ProxyController::listenerMoved, this, &ProxyRuntime::onListening);
    connect(m_proxy.get(), &Proxy::ProxyController::listenerMoveFailed, this, [this](const QString &message) {
        m_moving = false;
        emit listenerMoveFailed(message);
    });
    connect(m_proxy.get(), &Proxy::ProxyController::failed, this, [this](const QString &message) {
        m_publisher->stop();
        setState(State::Failed, message);
        if (std::exchange(m_moving, false))
            emit listenerMoveFailed(message);
        emit failed(message);
    });
    connect(m_proxy.get(), &Proxy::ProxyController::stopped, this, &ProxyRuntime::onStopped);
    connect(m_proxy.get(), &Proxy::ProxyController::authTraced, this, &ProxyRuntime::authTraced);
    connect(m_proxy.get(), &Proxy::ProxyController::authTraced, m_store.get(), &Store::appendAuthEvents);
    connect(m_proxy.get(), &Proxy::ProxyController::requestsRecorded, this, &ProxyRuntime::requestsRecorded);
    connect(m_proxy.get(), &Proxy::ProxyController::accountStatusChanged, this, &ProxyRuntime::accountStatusChanged);
    connect(m_proxy.get(), &Proxy::ProxyController::accountStatusChanged, m_publisher, &AccountRuntimePublisher::apply);
    connect(m_proxy.get(), &Proxy::ProxyController::limitStatusesChanged, this,
            [this](const QList<Proxy::LimitStatus> &statuses) {
                for (const Proxy::LimitStatus &status : statuses)
                    m_limitStatuses.insert(status.limit.id, status);
                emit limitStatusesChanged();
            });
    connect(m_proxy.get(), &Proxy::ProxyController::refreshRequested, m_refresher, &AccountRefresher::refresh);
    m_proxy->applyKeys(keys.value());
    m_proxy->applyUsageBaseline(baseline.value());
    m_proxy->applyHourlyUsage(hourly.value());
    m_proxy->applyRequestBaseline(requestCounts.value());
    setState(State::Starting, {});
    Proxy::ProxyConfig proxyConfig = config.value();
    // Records go straight from the proxy thread to the store thread, and a response completes only
    // once its record is committed there (a kill -9 loses none a client saw complete).
    proxyConfig.journal = std::make_shared<StoreRecordJournal>(m_store->worker());
    proxyConfig.storeHealth = m_store->worker()->health();
    m_proxy->start(proxyConfig);
    m_usage->poll(config.value().accounts);
    return Status::success();
}

void ProxyRuntime::onListening(const QString &hostPort)
{
    setState(State::Listening, hostPort);
    if (const auto listen = SettingsRepository::parseListen(hostPort))
        ListenerRecord::write(m_dataDir, listen.value().first.toString(), listen.value().second);
    if (std::exchange(m_moving, false))
        emit listenerMoved(hostPort);
    emit listening(hostPort);
}

bool ProxyRuntime::moveListener(const QHostAddress &address, quint16 port)
{
    switch (m_state) {
    case State::Stopped:
    case State::Stopping:
        return false;
    case State::Starting:
    case State::Listening:
        m_moving = true;
        m_proxy->moveListener(address, port); // queued behind a start still under way
        return true;
    case State::Failed:
        break;
    }
    m_moving = true;
    if (const Status started = start(qMakePair(address, port)); !started) {
        m_moving = false;
        QMetaObject::invokeMethod(
            this, [this, error = started.error()] { emit listenerMoveFailed(error); }, Qt::QueuedConnection);
    }
    return true;
}

void ProxyRuntime::stopProxy(int graceMs)
{
    if (!m_proxy || m_state == State::Stopping)
        return;
    if (m_state == State::Failed) {
        onStopped();
        return;
    }
    setState(State::Stopping, {});
    m_proxy->stop(graceMs);
}

void ProxyRuntime::onStopped()
{
    // Deleting the controller joins the proxy thread; its last records were emitted before stopped().
    // Deferred: we may be inside one of its signal emissions.
    QMetaObject::invokeMethod(this, [this] {
        m_proxy.reset();
        m_publisher->stop(); // a stopped instance must not look like a live one
        ListenerRecord::clear(m_dataDir);
        if (m_store)
            m_store->flush();
        setState(State::Stopped, {});
        emit stopped();
        if (std::exchange(m_restartPending, false))
            if (const Status started = startProxy(); !started) {
                setState(State::Failed, started.error());
                emit failed(started.error());
            }
    }, Qt::QueuedConnection);
}

void ProxyRuntime::restartProxy(int graceMs)
{
    if (m_proxy && m_state != State::Failed) {
        m_restartPending = true;
        stopProxy(graceMs);
        return;
    }
    if (const Status started = startProxy(); !started) {
        setState(State::Failed, started.error());
        emit failed(started.error());
    }
}

bool ProxyRuntime::shutdown()
{
    m_proxy.reset();
    if (m_publisher)
        m_publisher->stop(); // queued ahead of the final flush
    bool written = true;
    if (m_store && m_store->isRunning())
        written = m_store->flushAndStop();
    if (m_state != State::Stopped)
        setState(State::Stopped, {});
    ListenerRecord::clear(m_dataDir);
    return written;
}

void ProxyRuntime::publishKeys()
{
    const auto keys = KeySnapshotBuilder::load(m_database.connection());
    if (keys && m_proxy)
        m_proxy->applyKeys(keys.value());
    if (m_resets)
        if (const QList<Proxy::AuthTrace> resets = m_resets->takeNew(); !resets.isEmpty())
            emit authTraced(resets);
    emit keysChanged();
}

QList<Proxy::LimitStatus> ProxyRuntime::limitStatuses(qint64 keyId)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto counted = KeyPolicyService(m_database).limitStatuses(keyId, now);
    if (!counted)
        return {};
    QList<Proxy::LimitStatus> statuses = counted.value();
    if (m_state != State::Listening)
        return statuses;
    for (Proxy::LimitStatus &status : statuses)
        if (const auto live = m_limitStatuses.constFind(status.limit.id);
            live != m_limitStatuses.cend() && live->resetAt == status.resetAt &&
            live->limit.countedFrom == status.limit.countedFrom) // a report from before a usage reset is stale
            status.current = live->current;
    return statuses;
}

void ProxyRuntime::publishConfig()
{
    applyStoreSettings();
    const Result<Proxy::ProxyConfig> config = loadConfig();
    if (!config) {
        emit configProblem(config.error());
        return;
    }
    if (m_proxy) {
        m_proxy->applyConfig(config.value());
        m_publisher->setAccounts(accountIds(config.value().accounts));
        m_usage->poll(config.value().accounts);
    }
    emit configChanged();
}

void ProxyRuntime::setState(State state, const QString &detail)
{
    m_state = state;
    m_stateDetail = detail;
    emit stateChanged(state, detail);
}

} // namespace Core
