// SPDX-License-Identifier: MIT
#include "app/core/diagnostics/AccountReachCheck.h"

#include "app/core/diagnostics/AccountTokenCheck.h"
#include "app/core/services/UpstreamProbe.h"

namespace Core {

namespace {

DiagnosticLine lineFor(const Proxy::UpstreamAccount &account, const UpstreamProbeResult &result)
{
    using Outcome = UpstreamProbeResult::Outcome;
    const QString check = AccountTokenCheck::checkName(account.name, QStringLiteral("reachable"));
    const QString where = account.upstream.baseUrl.toString(QUrl::RemoveUserInfo);
    switch (result.outcome) {
    case Outcome::Connected:
        return DiagnosticLine::ok(check, QStringLiteral("%1 answered HTTP %2 in %3 ms")
                                             .arg(where)
                                             .arg(result.httpStatus)
                                             .arg(result.elapsedMs));
    case Outcome::TokenRefused:
        return DiagnosticLine::fail(check, QStringLiteral("%1 refused the token (HTTP %2)").arg(where).arg(result.httpStatus),
                                    account.upstream.kind == Proxy::UpstreamConfig::Kind::Codex
                                        ? QStringLiteral("keygate accounts login to sign in again")
                                        : QStringLiteral("keygate accounts set-token %1 --token-stdin").arg(account.name));
    case Outcome::HttpError:
        return DiagnosticLine::warn(check, QStringLiteral("%1 answers, but its model list gave %2").arg(where, result.text()),
                                    QStringLiteral("check the base URL (keygate accounts list)"));
    case Outcome::TimedOut:
    case Outcome::ConnectionFailed:
    case Outcome::NotConfigured:
        break;
    }
    return DiagnosticLine::fail(check, QStringLiteral("%1: %2").arg(where, result.detail),
                                QStringLiteral("check the network, the base URL and, behind a company proxy, "
                                               "its CA (keygate accounts set-ca %1 --ca-file PEM)")
                                    .arg(account.name));
}

} // namespace

AccountReachCheck::AccountReachCheck(QObject *parent) : QObject(parent) {}

void AccountReachCheck::start(const QList<Proxy::UpstreamAccount> &accounts, int timeoutMs)
{
    for (const Proxy::UpstreamAccount &account : accounts) {
        if (!account.upstream.isConfigured())
            continue; // no token: the token line says so
        m_accounts.append(account);
        auto *probe = new UpstreamProbe(this);
        probe->setTimeoutMs(timeoutMs);
        connect(probe, &UpstreamProbe::finished, this, [this, probe, account](const UpstreamProbeResult &result) {
            record(account.id, result);
            probe->deleteLater();
        });
        ++m_pending;
        probe->start(account.upstream);
    }
    if (m_pending == 0)
        QMetaObject::invokeMethod(this, &AccountReachCheck::finished, Qt::QueuedConnection);
}

void AccountReachCheck::record(qint64 accountId, const UpstreamProbeResult &result)
{
    for (const Proxy::UpstreamAccount &account : std::as_const(m_accounts)) {
        if (account.id != accountId)
            continue;
        m_lines.insert(accountId, lineFor(account, result));
        if (result.serverDate.isValid())
            m_clocks.insert(accountId, ServerClock{account.name, result.serverDate, result.receivedAt});
    }
    if (--m_pending == 0)
        emit finished();
}

std::optional<DiagnosticLine> AccountReachCheck::line(qint64 accountId) const
{
    for (const Proxy::UpstreamAccount &account : m_accounts)
        if (account.id == accountId)
            return m_lines.value(
                accountId, DiagnosticLine::fail(AccountTokenCheck::checkName(account.name, QStringLiteral("reachable")),
                                                QStringLiteral("no answer before the run's deadline"),
                                                QStringLiteral("check the network and the base URL")));
    return std::nullopt;
}

QList<ServerClock> AccountReachCheck::clocks() const
{
    QList<ServerClock> out;
    for (const Proxy::UpstreamAccount &account : m_accounts)
        if (m_clocks.contains(account.id))
            out.append(m_clocks.value(account.id));
    return out;
}

} // namespace Core
