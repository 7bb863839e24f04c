// SPDX-License-Identifier: MIT
#include "app/cli/ServeSession.h"

#include "app/cli/CliOutput.h"
#include "app/core/secrets/SecretStoreFactory.h"
#include "app/core/services/UpstreamService.h"
#include "app/core/storage/SettingsRepository.h"

#include <QDateTime>

#include <cstdio>

namespace Core {

ServeSession::ServeSession(CliContext context, QString listenOverride, QObject *parent)
    : QObject(parent), m_context(std::move(context)), m_listenOverride(std::move(listenOverride))
{
}

ServeSession::~ServeSession() = default;

Result<Proxy::ProxyConfig> ServeSession::loadConfig()
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
    UpstreamService upstream(m_database, *m_secrets);
    const Result<Proxy::UpstreamConfig> upstreamConfig = upstream.load();
    if (!upstreamConfig)
        return Result<Proxy::ProxyConfig>::failure(upstreamConfig.error());
    config.upstream = upstreamConfig.value();
    return config;
}

Status ServeSession::start()
{
    if (Status opened = m_database.open(m_context.dataDir); !opened)
        return opened;
    auto secrets = createSecretStore(m_context.secrets, m_context.dataDir);
    if (!secrets)
        return secrets.status();
    m_secrets = secrets.value();

    const Result<Proxy::ProxyConfig> config = loadConfig();
    if (!config)
        return config.status();
    if (!config.value().requireKey && !config.value().listenAddress.isLoopback())
        return Status::failure(
            QStringLiteral("refusing to listen on %1 while require-key is false: anyone on the network could "
                           "use your upstream. Run `keygate settings set require-key true` or listen on 127.0.0.1")
                .arg(config.value().listenAddress.toString()));

    m_store = std::make_unique<Store>(m_context.dataDir);
    if (Status started = m_store->start(); !started)
        return started;
    const auto keys = m_store->loadKeys();
    if (!keys)
        return keys.status();
    const auto baseline = m_store->loadUsageBaseline();
    if (!baseline)
        return baseline.status();

    m_proxy = std::make_unique<Proxy::ProxyController>();
    connect(m_proxy.get(), &Proxy::ProxyController::started, this, [this](const QString &hostPort) {
        Cli::printLine(QStringLiteral("listening on http://") + hostPort);
    });
    connect(m_proxy.get(), &Proxy::ProxyController::failed, this, [this](const QString &message) {
        Cli::fail(message);
        finish(1);
    });
    connect(m_proxy.get(), &Proxy::ProxyController::stopped, this, [this] { finish(0); });
    connect(m_proxy.get(), &Proxy::ProxyController::authTraced, this, &ServeSession::printTraces);
    connect(m_proxy.get(), &Proxy::ProxyController::authTraced, m_store.get(), &Store::appendAuthEvents);
    connect(m_proxy.get(), &Proxy::ProxyController::requestsRecorded, m_store.get(), &Store::appendRequests);
    connect(m_store.get(), &Store::keysChanged, m_proxy.get(), &Proxy::ProxyController::applyKeys);
    connect(m_store.get(), &Store::settingsChanged, this, &ServeSession::reloadConfig);
    connect(m_store.get(), &Store::upstreamChanged, this, &ServeSession::reloadConfig);
    connect(m_store.get(), &Store::writeFailed, this, [](const QString &message) {
        Cli::warn(QStringLiteral("usage not yet written, will retry: ") + message);
    });

    printHints(config.value(), keys.value()->size());
    m_proxy->applyKeys(keys.value());
    m_proxy->applyUsageBaseline(baseline.value());
    m_proxy->start(config.value());
    return Status::success();
}

void ServeSession::printHints(const Proxy::ProxyConfig &config, qsizetype keyCount)
{
    if (keyCount == 0 && config.requireKey)
        Cli::note(QStringLiteral("no API keys yet: create one with `keygate keys create --name NAME`"));
    if (!config.upstream.isConfigured())
        Cli::note(QStringLiteral("no upstream configured: run `keygate upstream import-codex-auth` or "
                                "`keygate upstream set --kind openai --base-url URL --token-env VAR`"));
}

void ServeSession::reloadConfig()
{
    const Result<Proxy::ProxyConfig> config = loadConfig();
    if (!config) {
        Cli::warn(QStringLiteral("could not reload settings: ") + config.error());
        return;
    }
    m_proxy->applyConfig(config.value());
}

void ServeSession::printTraces(const QList<Proxy::AuthTrace> &traces)
{
    // One write per batch: at thousands of requests a second, a syscall per line would cost more
    // than the proxying itself.
    QByteArray batch;
    batch.reserve(traces.size() * 160);
    for (const Proxy::AuthTrace &trace : traces) {
        const qint64 ms = trace.time.toMSecsSinceEpoch();
        if (ms / 1000 != m_traceSecond) {
            m_traceSecond = ms / 1000;
            m_traceSecondText = trace.time.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.")).toLatin1();
        }
        batch += m_traceSecondText;
        batch += QByteArray::number(ms % 1000).rightJustified(3, '0');
        batch += "Z auth ";
        batch += trace.requestId.toLatin1();
        batch += ' ';
        batch += trace.peer.toLatin1();
        batch += ' ';
        batch += trace.method.toLatin1();
        batch += ' ';
        batch += trace.path.toUtf8();
        batch += trace.status == 0 ? QByteArray(" allowed: ") : ' ' + QByteArray::number(trace.status) + ": ";
        batch += trace.summary().toUtf8();
        batch += '\n';
    }
    std::fwrite(batch.constData(), 1, size_t(batch.size()), stderr);
    std::fflush(stderr);
}

void ServeSession::shutdown(int graceMs)
{
    if (m_shuttingDown || !m_proxy) {
        if (!m_proxy)
            finish(0);
        return;
    }
    m_shuttingDown = true;
    Cli::note(QStringLiteral("shutting down (waiting up to %1 s for open streams)").arg(graceMs / 1000));
    m_proxy->stop(graceMs);
}

void ServeSession::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_proxy)
        m_proxy.reset(); // joins the proxy thread; its last records were emitted before stopped()
    if (m_store && !m_store->flushAndStop()) {
        Cli::fail(QStringLiteral("some usage records could not be written"));
        exitCode = exitCode == 0 ? 1 : exitCode;
    }
    emit finished(exitCode);
}

} // namespace Core
