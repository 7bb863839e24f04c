// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/diagnostics/ClockCheck.h"
#include "app/core/diagnostics/DiagnosticLine.h"

#include "proxy/routing/UpstreamAccount.h"

#include <QHash>
#include <QObject>

#include <optional>

namespace Core {

struct UpstreamProbeResult;

/// Whether each account's base URL answers, with its own token and company CA: the model-list
/// request of "Test connection" (UpstreamProbe), all accounts at once, each within the timeout.
/// Collects the answers' `Date` headers for the clock check. Main thread; asynchronous.
class AccountReachCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AccountReachCheck)

public:
    explicit AccountReachCheck(QObject *parent = nullptr);

    /// Probes every account with a token; finished() follows (queued when there is none).
    void start(const QList<Proxy::UpstreamAccount> &accounts, int timeoutMs);
    bool isFinished() const { return m_pending == 0; }

    /// The "reachable" line of account @p accountId; nullopt when it was not probed (no token). An
    /// account still waiting gets a failure (the run's overall deadline passed).
    std::optional<DiagnosticLine> line(qint64 accountId) const;
    /// The Date headers that arrived, in the order given.
    QList<ServerClock> clocks() const;

signals:
    void finished();

private:
    void record(qint64 accountId, const UpstreamProbeResult &result);

    QList<Proxy::UpstreamAccount> m_accounts; // only those probed
    QHash<qint64, DiagnosticLine> m_lines;
    QHash<qint64, ServerClock> m_clocks;
    int m_pending = 0;
};

} // namespace Core
