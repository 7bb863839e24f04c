// SPDX-License-Identifier: MIT
#include "ui/usage/UsageChart.h"

#include "ui/common/StatusColors.h"
#include "ui/usage/UsageLedger.h"
#include "ui/usage/UsageTableModel.h"

#include <QtCharts/QDateTimeAxis>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>

#include <QEvent>

#include <algorithm>

namespace Console {

UsageChart::UsageChart(QWidget *parent) : QChartView(parent)
{
    setObjectName(QStringLiteral("usageChart"));
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    auto *chart = new QChart;
    chart->setTitle(tr("Tokens per key"));
    chart->legend()->setAlignment(Qt::AlignRight);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_time = new QDateTimeAxis(chart);
    m_time->setTitleText(tr("Time"));
    m_tokens = new QValueAxis(chart);
    m_tokens->setLabelFormat(QStringLiteral("%.0f"));
    m_tokens->setTitleText(tr("Tokens"));
    m_tokens->setRange(0, 10);
    chart->addAxis(m_time, Qt::AlignBottom);
    chart->addAxis(m_tokens, Qt::AlignLeft);
    setChart(chart); // the view owns the chart
    followPalette();
}

void UsageChart::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        followPalette();
}

void UsageChart::followPalette()
{
    // QtCharts paints its own (light) theme whatever the palette says: pick the one that matches.
    const QChart::ChartTheme theme = StatusColors::isDark(palette()) ? QChart::ChartThemeDark : QChart::ChartThemeLight;
    if (chart()->theme() != theme)
        chart()->setTheme(theme);
}

void UsageChart::clearSeries()
{
    for (QLineSeries *series : std::as_const(m_series)) {
        chart()->removeSeries(series);
        delete series;
    }
    m_series.clear();
}

void UsageChart::refresh(const UsageLedger &ledger, bool rangeChanged)
{
    if (rangeChanged)
        clearSeries();
    const UsageRange &range = ledger.range();
    if (range.bucketStarts.isEmpty())
        return;
    const QDateTime first = range.bucketStarts.first();
    const QDateTime end = range.day.addDays(1).startOfDay(); // the axis ends where the range ends
    m_time->setFormat(range.axisFormat());
    m_time->setRange(first.toLocalTime(), end);
    m_time->setTickCount(range.span == UsageRange::Span::SevenDays ? 8 : 7);

    qint64 highest = 0;
    for (const Core::KeyUsageSummary &usage : ledger.rows()) {
        const QList<qint64> tokens = ledger.tokensPerBucket(usage.keyId);
        if (tokens.isEmpty() || std::all_of(tokens.cbegin(), tokens.cend(), [](qint64 t) { return t == 0; }))
            continue;
        QLineSeries *series = m_series.value(usage.keyId);
        if (!series) {
            series = new QLineSeries;
            series->setObjectName(QStringLiteral("usageSeries%1").arg(usage.keyId));
            series->setName(UsageTableModel::keyLabel(usage));
            series->setPointsVisible(true);
            chart()->addSeries(series);
            series->attachAxis(m_time);
            series->attachAxis(m_tokens);
            m_series.insert(usage.keyId, series);
        }
        QList<QPointF> points;
        points.reserve(tokens.size());
        for (qsizetype i = 0; i < tokens.size(); ++i) {
            points.append(QPointF(qreal(range.bucketStarts.at(i).toMSecsSinceEpoch()), qreal(tokens.at(i))));
            highest = std::max(highest, tokens.at(i));
        }
        series->replace(points);
    }
    m_tokens->setRange(0, qreal(std::max<qint64>(10, highest + highest / 10)));
    m_tokens->applyNiceNumbers();
}

} // namespace Console
