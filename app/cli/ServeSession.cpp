// SPDX-License-Identifier: MIT
#include "app/cli/ServeSession.h"

#include "app/cli/CliOutput.h"

#include <QDateTime>

#include <algorithm>
#include <cstdio>

namespace Core {

ServeSession::ServeSession(CliContext context, QString listenOverride, QObject *parent)
    : QObject(parent), m_runtime(context.dataDir, context.secrets)
{
    m_runtime.setListenOverride(listenOverride);
}

ServeSession::~ServeSession() = default;

Status ServeSession::start()
{
    if (Status opened = m_runtime.open(); !opened)
        return opened;
    const Result<Proxy::ProxyConfig> config = m_runtime.loadConfig();
    if (!config)
        return config.status();
    const auto keys = m_runtime.store().loadKeys();
    if (!keys)
        return keys.status();

    connect(&m_runtime, &ProxyRuntime::listening, this, [](const QString &hostPort) {
        Cli::printLine(QStringLiteral("listening on http://") + hostPort);
    });
    connect(&m_runtime, &ProxyRuntime::failed, this, [this](const QString &message) {
        Cli::fail(message);
        finish(1);
    });
    connect(&m_runtime, &ProxyRuntime::stopped, this, [this] { finish(0); });
    connect(&m_runtime, &ProxyRuntime::authTraced, this, &ServeSession::printTraces);
    connect(&m_runtime, &ProxyRuntime::writeFailed, this, [](const QString &message) {
        Cli::warn(QStringLiteral("usage not yet written, will retry: ") + message);
    });
    connect(&m_runtime, &ProxyRuntime::configProblem, this, [](const QString &message) {
        Cli::warn(QStringLiteral("could not reload settings: ") + message);
    });

    printHints(config.value(), keys.value()->size());
    if (Status started = m_runtime.startProxy(); !started)
        return started;
    m_started = true;
    return Status::success();
}

void ServeSession::printHints(const Proxy::ProxyConfig &config, qsizetype keyCount)
{
    if (keyCount == 0 && config.requireKey)
        Cli::note(QStringLiteral("no API keys yet: create one with `keygate keys create --name NAME`"));
    if (std::none_of(config.accounts.begin(), config.accounts.end(),
                     [](const Proxy::UpstreamAccount &account) { return account.isUsable(); }))
        Cli::note(QStringLiteral("no usable upstream account: run `keygate accounts login`, `keygate accounts import` "
                                 "or `keygate accounts add-openai --base-url URL --token-env VAR` (or `keygate upstream …`)"));
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
        batch += trace.verdict == Proxy::AuthVerdict::Reset ? QByteArray(" reset: ") // an operator's, not a request
                 : trace.status == 0                          ? QByteArray(" allowed: ")
                                                              : ' ' + QByteArray::number(trace.status) + ": ";
        batch += trace.summary().toUtf8();
        batch += '\n';
    }
    std::fwrite(batch.constData(), 1, size_t(batch.size()), stderr);
    std::fflush(stderr);
}

void ServeSession::shutdown(int graceMs)
{
    if (m_shuttingDown || !m_started) {
        if (!m_started)
            finish(0);
        return;
    }
    m_shuttingDown = true;
    Cli::note(QStringLiteral("shutting down (waiting up to %1 s for open streams)").arg(graceMs / 1000));
    m_runtime.stopProxy(graceMs);
}

void ServeSession::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    if (!m_runtime.shutdown()) {
        Cli::fail(QStringLiteral("some usage records could not be written"));
        exitCode = exitCode == 0 ? 1 : exitCode;
    }
    emit finished(exitCode);
}

} // namespace Core
