// SPDX-License-Identifier: MIT
#pragma once

#include "ui/overview/RateHistory.h"
#include "ui/overview/TodayTotals.h"
#include "ui/shell/ConsoleContext.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace Console {

class AccountPoolWatch;
class DeniedRequestsList;
class KeyLimitWatch;
class Sparkline;

/// The console's first page, the state at a glance: the proxy and its address (copy button),
/// requests per second with a ten-minute sparkline, today's requests, tokens and cost, the account
/// pool with its soonest reset, the keys at 80 % or more of a limit and the last refused requests
/// (click: their auth trace). Fed by the same in-memory feeds as the other pages (request records,
/// auth traces, account statuses, the proxy's limit reports); the only SQL is today's totals and the
/// recent refusals when it is built, and the limit counts when the keys change. Repaints twice a
/// second. GUI thread.
class OverviewPage final : public QWidget
{
    Q_OBJECT

public:
    static constexpr int RefreshMs = 500;

    explicit OverviewPage(ConsoleContext &context, QWidget *parent = nullptr);

signals:
    /// A refused request was clicked: show its auth trace.
    void traceRequested(const QString &requestId, const QDateTime &time);

private:
    QWidget *createProxyBox();
    QWidget *createTrafficBox();
    QWidget *createTodayBox();
    QWidget *createPoolBox();
    QWidget *createLimitsBox();
    void loadToday();
    void addRecords(const QList<Proxy::RequestRecord> &records);
    void refresh();
    void refreshLimits();
    void copyAddress();

    ConsoleContext &m_context;
    AccountPoolWatch *m_pool = nullptr;
    KeyLimitWatch *m_limits = nullptr;
    RateHistory m_history;
    TodayTotals m_today;
    QTimer m_refreshTimer;
    QLabel *m_proxyState = nullptr;
    QPushButton *m_copy = nullptr;
    QLabel *m_rate = nullptr;
    Sparkline *m_sparkline = nullptr;
    QLabel *m_requests = nullptr;
    QLabel *m_tokens = nullptr;
    QLabel *m_cost = nullptr;
    QLabel *m_poolText = nullptr;
    QListWidget *m_nearLimit = nullptr;
    DeniedRequestsList *m_denied = nullptr;
};

} // namespace Console
