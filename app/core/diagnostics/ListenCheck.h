// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/diagnostics/DiagnosticLine.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QTimer>

class QNetworkAccessManager;
class QNetworkReply;

namespace Core {

/// Whether the `listen` address is free, or held by this data dir's own running Keygate. A free
/// address binds. A taken one is ours only when both hold: the data dir's ListenerRecord names this
/// port and a live process, and the port answers GET /health with {"status":"ok"} (so neither a stale
/// record nor a stranger that happens to answer HTTP passes). Anything else holding it is a failure.
/// Main thread; asynchronous, bounded by the timeout.
class ListenCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ListenCheck)

public:
    explicit ListenCheck(QObject *parent = nullptr);
    ~ListenCheck() override;

    /// finished() follows, queued when the answer needs no request.
    void start(const QString &dataDir, const QHostAddress &address, quint16 port, int timeoutMs);
    bool isFinished() const { return m_done; }
    /// The "listen address" line; a failure while still waiting (the run's deadline passed).
    DiagnosticLine line() const;

signals:
    void finished();

private:
    void onHealth(bool answeredAsKeygate);
    void finish(DiagnosticLine line);

    QNetworkAccessManager *m_network;
    QPointer<QNetworkReply> m_reply;
    QTimer m_timeout;
    QString m_dataDir;
    QString m_hostPort;
    quint16 m_port = 0;
    DiagnosticLine m_line;
    bool m_done = false;
};

} // namespace Core
