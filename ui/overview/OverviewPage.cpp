// SPDX-License-Identifier: MIT
#include "ui/overview/OverviewPage.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/services/KeyPolicyService.h"
#include "app/core/storage/UsageQueries.h"

#include "ui/common/LimitText.h"
#include "ui/notify/AccountPoolWatch.h"
#include "ui/notify/KeyLimitWatch.h"
#include "ui/overview/DeniedRequestsList.h"
#include "ui/overview/Sparkline.h"
#include "ui/shell/ProxyStatusBar.h"
#include "ui/shell/RequestRateMeter.h"

#include <QApplication>
#include <QClipboard>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace Console {

namespace {

constexpr int CopiedFeedbackMs = 2000;

QLabel *valueLabel(const QString &objectName, const QString &accessibleName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setAccessibleName(accessibleName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setTextFormat(Qt::PlainText); // error texts and names are shown as they are
    return label;
}

void setTextIfChanged(QLabel *label, const QString &text)
{
    if (label->text() != text)
        label->setText(text);
}

} // namespace

OverviewPage::OverviewPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_pool(new AccountPoolWatch(context.runtime, this)),
      m_limits(new KeyLimitWatch(context.runtime, this))
{
    m_denied = new DeniedRequestsList(context.runtime, this);
    connect(m_denied, &DeniedRequestsList::traceRequested, this, &OverviewPage::traceRequested);
    auto *deniedBox = new QGroupBox(tr("Last denied requests"), this);
    auto *deniedLayout = new QVBoxLayout(deniedBox);
    deniedLayout->addWidget(m_denied);

    auto *grid = new QGridLayout(this);
    grid->addWidget(createProxyBox(), 0, 0);
    grid->addWidget(createTodayBox(), 0, 1);
    grid->addWidget(createTrafficBox(), 1, 0, 1, 2);
    grid->addWidget(createPoolBox(), 2, 0);
    grid->addWidget(createLimitsBox(), 2, 1);
    grid->addWidget(deniedBox, 3, 0, 1, 2);
    grid->setRowStretch(3, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);

    loadToday();
    connect(&context.runtime, &Core::ProxyRuntime::requestsRecorded, this, &OverviewPage::addRecords);
    connect(&context.runtime, &Core::ProxyRuntime::stateChanged, this, &OverviewPage::refresh);
    connect(m_limits, &KeyLimitWatch::changed, this, &OverviewPage::refreshLimits);
    connect(m_pool, &AccountPoolWatch::changed, this, &OverviewPage::refresh);
    m_refreshTimer.setInterval(RefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &OverviewPage::refresh);
    m_refreshTimer.start();
    refresh();
    refreshLimits();
}

QWidget *OverviewPage::createProxyBox()
{
    auto *box = new QGroupBox(tr("Proxy"), this);
    m_proxyState = valueLabel(QStringLiteral("overviewProxyState"), tr("Proxy state"), box);
    m_proxyState->setWordWrap(true);
    m_copy = new QPushButton(tr("&Copy base URL"), box);
    m_copy->setObjectName(QStringLiteral("overviewCopyAddress"));
    m_copy->setToolTip(tr("Copy the address clients use (http://…/v1)"));
    m_copy->setAccessibleDescription(m_copy->toolTip());
    connect(m_copy, &QPushButton::clicked, this, &OverviewPage::copyAddress);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_proxyState);
    layout->addWidget(m_copy, 0, Qt::AlignLeft);
    layout->addStretch();
    return box;
}

QWidget *OverviewPage::createTrafficBox()
{
    auto *box = new QGroupBox(tr("Requests per second, last 10 minutes"), this);
    m_rate = valueLabel(QStringLiteral("overviewRate"), tr("Requests per second"), box);
    m_sparkline = new Sparkline(box);
    m_sparkline->setObjectName(QStringLiteral("overviewSparkline"));
    m_sparkline->setAccessibleName(tr("Requests per second over the last 10 minutes"));
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_rate);
    layout->addWidget(m_sparkline);
    return box;
}

QWidget *OverviewPage::createTodayBox()
{
    auto *box = new QGroupBox(tr("Today"), this);
    m_requests = valueLabel(QStringLiteral("overviewTodayRequests"), tr("Requests today"), box);
    m_tokens = valueLabel(QStringLiteral("overviewTodayTokens"), tr("Tokens today"), box);
    m_cost = valueLabel(QStringLiteral("overviewTodayCost"), tr("Cost today"), box);
    m_cost->setToolTip(tr("From the pricing table; \"unknown\" for models without a price"));
    auto *form = new QFormLayout(box);
    form->addRow(tr("Requests"), m_requests);
    form->addRow(tr("Tokens"), m_tokens);
    form->addRow(tr("Cost"), m_cost);
    return box;
}

QWidget *OverviewPage::createPoolBox()
{
    auto *box = new QGroupBox(tr("Account pool"), this);
    m_poolText = valueLabel(QStringLiteral("overviewPool"), tr("Account pool"), box);
    m_poolText->setWordWrap(true);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_poolText);
    layout->addStretch();
    return box;
}

QWidget *OverviewPage::createLimitsBox()
{
    auto *box = new QGroupBox(tr("Keys near a limit (%1 % or more)").arg(LimitText::WarningPercent), this);
    m_nearLimit = new QListWidget(box);
    m_nearLimit->setObjectName(QStringLiteral("overviewKeysNearLimit"));
    m_nearLimit->setAccessibleName(tr("Keys near a limit"));
    m_nearLimit->setSelectionMode(QAbstractItemView::NoSelection);
    m_nearLimit->setFocusPolicy(Qt::NoFocus); // nothing to act on; the text is read by the accessible name
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_nearLimit);
    return box;
}

void OverviewPage::loadToday()
{
    const QDate day = QDate::currentDate();
    Core::Database &database = m_context.runtime.database();
    if (!database.isOpen()) {
        m_today.reset(day, {});
        return;
    }
    const auto totals = Core::DayTotalsQuery(database.connection()).since(TodayTotals::startOf(day));
    // A running proxy may still have records of requests the query just read on their way here.
    QSet<QString> counted;
    if (m_context.runtime.state() != Core::ProxyRuntime::State::Stopped)
        if (const auto ids = Core::UsageQueries(database.connection()).lastRequestIds(5000))
            counted = ids.value();
    m_today.reset(day, totals ? totals.value() : Core::DayTotals{}, counted);
}

void OverviewPage::addRecords(const QList<Proxy::RequestRecord> &records)
{
    m_history.add(records, QDateTime::currentSecsSinceEpoch());
    if (m_today.day() != QDate::currentDate())
        m_today.reset(QDate::currentDate(), {}); // midnight: the new day arrives live
    m_today.add(records);
}

void OverviewPage::refresh()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    setTextIfChanged(m_proxyState, ProxyStatusBar::stateText(m_context.runtime));
    m_copy->setEnabled(m_context.runtime.state() == Core::ProxyRuntime::State::Listening);

    const qint64 nowSecs = now.toSecsSinceEpoch();
    m_sparkline->setValues(m_history.series(nowSecs));
    setTextIfChanged(m_rate, tr("%1 req/s now · peak %2 req/s · %3 requests in 10 min")
                                 .arg(m_context.requestRate.perSecond())
                                 .arg(m_sparkline->peak())
                                 .arg(m_history.total(nowSecs)));

    if (m_today.day() != QDate::currentDate())
        m_today.reset(QDate::currentDate(), {});
    const Core::DayTotals &today = m_today.totals();
    setTextIfChanged(m_requests, Core::KeyPolicyService::groupedDigits(today.requests));
    setTextIfChanged(m_tokens, Core::KeyPolicyService::groupedDigits(today.tokens));
    setTextIfChanged(m_cost, TodayTotals::costText(today));

    setTextIfChanged(m_poolText, m_pool->summary(now));
}

void OverviewPage::refreshLimits()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<KeyLimitUse> uses = m_limits->atLeast(LimitText::WarningPercent, now);
    m_nearLimit->clear();
    for (const KeyLimitUse &use : uses) {
        auto *item = new QListWidgetItem(
            QStringLiteral("%1 — %2").arg(use.key.name, LimitText::describe(use.status, now)), m_nearLimit);
        if (LimitText::level(use.status) == LimitText::Level::Exhausted)
            item->setIcon(style()->standardIcon(QStyle::SP_MessageBoxWarning));
    }
    if (uses.isEmpty())
        new QListWidgetItem(tr("No key is at %1 % of a limit.").arg(LimitText::WarningPercent), m_nearLimit);
}

void OverviewPage::copyAddress()
{
    QApplication::clipboard()->setText(QStringLiteral("http://%1/v1").arg(m_context.runtime.stateDetail()));
    m_copy->setText(tr("Copied"));
    QTimer::singleShot(CopiedFeedbackMs, m_copy, [copy = m_copy] { copy->setText(tr("&Copy base URL")); });
}

} // namespace Console
