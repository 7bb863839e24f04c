// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"
#include "app/core/Result.h"
#include "app/core/runtime/ProxyRuntime.h"

#include "proxy/auth/AuthTrace.h"

#include <QObject>

#include <memory>

namespace Core {

/// Headless composition root: a ProxyRuntime that prints its events to stdout/stderr.
/// Lives on the main thread. The runtime reloads keys, settings and the upstream when another
/// process (the CLI) changes them; this shuts down gracefully on request.
class ServeSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServeSession)

public:
    ServeSession(CliContext context, QString listenOverride, QObject *parent = nullptr);
    ~ServeSession() override;

    /// Opens everything and starts the proxy; finished(exitCode) follows on failure or stop.
    Status start();
    /// Stops accepting, lets in-flight responses finish for up to @p graceMs, flushes usage.
    void shutdown(int graceMs);

signals:
    void finished(int exitCode);

private:
    void printHints(const Proxy::ProxyConfig &config, qsizetype keyCount);
    void printTraces(const QList<Proxy::AuthTrace> &traces);
    void finish(int exitCode);

    ProxyRuntime m_runtime;
    qint64 m_traceSecond = -1;     // the second m_traceSecondText was formatted for
    QByteArray m_traceSecondText; // "yyyy-MM-ddTHH:mm:ss."
    bool m_started = false;
    bool m_shuttingDown = false;
    bool m_finished = false;
};

} // namespace Core
