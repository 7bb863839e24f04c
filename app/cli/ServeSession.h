// SPDX-License-Identifier: MIT
#pragma once

#include "app/cli/CliContext.h"
#include "app/core/Result.h"
#include "app/core/secrets/SecretStore.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/Store.h"

#include "proxy/ProxyController.h"

#include <QObject>

#include <memory>

namespace Core {

/// Headless composition root: the store thread, the proxy thread and the glue between them.
/// Lives on the main thread. Reloads keys, settings and the upstream when another process
/// (the CLI) changes them, and shuts down gracefully on request.
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
    Result<Proxy::ProxyConfig> loadConfig();
    void reloadConfig();
    void printHints(const Proxy::ProxyConfig &config, qsizetype keyCount);
    void printTraces(const QList<Proxy::AuthTrace> &traces);
    void finish(int exitCode);

    CliContext m_context;
    QString m_listenOverride;
    Database m_database;
    std::shared_ptr<SecretStore> m_secrets;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<Proxy::ProxyController> m_proxy;
    qint64 m_traceSecond = -1;     // the second m_traceSecondText was formatted for
    QByteArray m_traceSecondText; // "yyyy-MM-ddTHH:mm:ss."
    bool m_shuttingDown = false;
    bool m_finished = false;
};

} // namespace Core
