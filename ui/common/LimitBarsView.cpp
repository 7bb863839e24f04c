// SPDX-License-Identifier: MIT
#include "ui/common/LimitBarsView.h"

#include "app/core/runtime/ProxyRuntime.h"

#include "ui/common/LimitText.h"
#include "ui/common/StatusColors.h"

#include <QLabel>
#include <QProgressBar>
#include <QVBoxLayout>

namespace Console {

namespace {

constexpr int BarScale = 1000; // per mille: a bar moves visibly before a whole percent is used

QColor levelColor(LimitText::Level level)
{
    switch (level) {
    case LimitText::Level::Warning:
        return StatusColors::text(StatusColors::Status::Warning);
    case LimitText::Level::Exhausted:
        return StatusColors::text(StatusColors::Status::Error);
    case LimitText::Level::Normal:
        break;
    }
    return {};
}

QString levelName(LimitText::Level level)
{
    switch (level) {
    case LimitText::Level::Warning:
        return QStringLiteral("warning");
    case LimitText::Level::Exhausted:
        return QStringLiteral("exhausted");
    case LimitText::Level::Normal:
        break;
    }
    return QStringLiteral("normal");
}

} // namespace

LimitBarsView::LimitBarsView(Core::ProxyRuntime &runtime, QWidget *parent) : QWidget(parent), m_runtime(runtime)
{
    setObjectName(QStringLiteral("limitBars"));
    setAccessibleName(tr("Limits of the selected key"));
    m_empty = new QLabel(this);
    m_empty->setObjectName(QStringLiteral("limitBarsEmpty"));
    m_empty->setWordWrap(true);
    m_layout = new QVBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
    m_layout->addWidget(m_empty);
    m_layout->addStretch(1);

    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &LimitBarsView::tick);
    connect(&m_runtime, &Core::ProxyRuntime::limitStatusesChanged, this, &LimitBarsView::refresh);
    connect(&m_runtime, &Core::ProxyRuntime::keysChanged, this, &LimitBarsView::refresh);
    updateRows();
}

void LimitBarsView::setKey(qint64 keyId)
{
    keyId = qMax<qint64>(keyId, 0);
    if (keyId == m_keyId)
        return;
    m_keyId = keyId;
    m_statuses.clear();
    refresh();
    updateRows(); // also when hidden: no bars of the previous key linger
}

void LimitBarsView::refresh()
{
    if (!isVisible()) {
        m_stale = true;
        return;
    }
    m_stale = false;
    m_statuses = m_keyId > 0 ? m_runtime.limitStatuses(m_keyId) : QList<Proxy::LimitStatus>();
    updateRows();
}

QStringList LimitBarsView::texts() const
{
    QStringList lines;
    for (const Row &row : m_rows)
        lines.append(row.label->text());
    return lines;
}

QString LimitBarsView::emptyText() const
{
    return m_statuses.isEmpty() ? m_empty->text() : QString();
}

void LimitBarsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        refresh();
    if (!m_statuses.isEmpty())
        m_countdown.start();
}

void LimitBarsView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_countdown.stop();
}

void LimitBarsView::setRowCount(int count)
{
    while (m_rows.size() > count) {
        const Row row = m_rows.takeLast();
        delete row.label;
        delete row.bar;
    }
    while (m_rows.size() < count) {
        const int index = int(m_rows.size());
        Row row{new QLabel(this), new QProgressBar(this)};
        row.label->setObjectName(QStringLiteral("limitText%1").arg(index));
        row.label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        row.bar->setObjectName(QStringLiteral("limitBar%1").arg(index));
        row.bar->setRange(0, BarScale);
        row.bar->setTextVisible(false);
        row.bar->setMaximumHeight(row.label->fontMetrics().height() * 2 / 3 + 2);
        row.label->setBuddy(row.bar);
        // Before the empty text's stretch: label, bar, label, bar, …
        m_layout->insertWidget(m_layout->count() - 1, row.label);
        m_layout->insertWidget(m_layout->count() - 1, row.bar);
        m_rows.append(row);
    }
}

void LimitBarsView::updateRows()
{
    if (m_keyId <= 0)
        m_empty->setText(tr("Select a key to see its limits."));
    else if (m_statuses.isEmpty())
        m_empty->setText(tr("No limits: this key may use any amount. Add limits with Edit (F2)."));
    m_empty->setVisible(m_statuses.isEmpty());
    setRowCount(int(m_statuses.size()));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int i = 0; i < m_statuses.size(); ++i) {
        const Proxy::LimitStatus &status = m_statuses.at(i);
        const Row &row = m_rows.at(i);
        const QString text = LimitText::describe(status, now);
        row.label->setText(text);
        const qint64 max = status.limit.maxValue;
        row.bar->setValue(max > 0 ? int(status.clamped() * BarScale / max) : BarScale);
        const LimitText::Level level = LimitText::level(status);
        if (row.bar->property("limitLevel").toString() != levelName(level)) {
            row.bar->setProperty("limitLevel", levelName(level));
            QPalette palette; // only Highlight: the rest follows the application palette (dark mode)
            if (const QColor color = levelColor(level); color.isValid())
                palette.setColor(QPalette::Highlight, color);
            row.bar->setPalette(palette);
        }
        row.bar->setAccessibleName(LimitText::title(status.limit));
        row.bar->setAccessibleDescription(text);
        row.bar->setToolTip(text);
        row.label->setToolTip(text);
    }
    if (m_statuses.isEmpty())
        m_countdown.stop();
    else if (isVisible() && !m_countdown.isActive())
        m_countdown.start();
}

void LimitBarsView::tick()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const Proxy::LimitStatus &status : std::as_const(m_statuses))
        if (status.resetAt.isValid() && status.resetAt <= now) {
            refresh(); // a window ended: the runtime counts the new one
            return;
        }
    for (int i = 0; i < m_statuses.size(); ++i) {
        const QString text = LimitText::describe(m_statuses.at(i), now);
        m_rows.at(i).label->setText(text);
        m_rows.at(i).bar->setAccessibleDescription(text);
        m_rows.at(i).bar->setToolTip(text);
        m_rows.at(i).label->setToolTip(text);
    }
}

} // namespace Console
