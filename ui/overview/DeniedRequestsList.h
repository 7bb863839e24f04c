// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/AuthTrace.h"

#include <QListWidget>

namespace Core {
class ProxyRuntime;
}

namespace Console {

/// The last refused requests (denied, rejected, or refused by a key's policy), newest first, each on
/// one line with its reason: the recent ones from `auth_events` once, then live from the runtime's
/// batched authTraced. Clicking one (or Return on it) asks for its auth trace. GUI thread.
class DeniedRequestsList final : public QListWidget
{
    Q_OBJECT

public:
    static constexpr int Shown = 8;
    static constexpr int RequestIdRole = Qt::UserRole;
    static constexpr int TimeRole = Qt::UserRole + 1;

    explicit DeniedRequestsList(Core::ProxyRuntime &runtime, QWidget *parent = nullptr);

    static bool isRefused(const Proxy::AuthTrace &trace);
    /// "14:03:12  401  Unknown key · POST /v1/responses from 127.0.0.1"
    static QString line(const Proxy::AuthTrace &trace);

signals:
    void traceRequested(const QString &requestId, const QDateTime &time);

private:
    /// @p traces oldest first.
    void prepend(const QList<Proxy::AuthTrace> &traces);
    void showPlaceholder();
    void request(const QListWidgetItem *item);
};

} // namespace Console
