// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QtCharts/QChartView>

class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace Console {

class UsageLedger;

/// Line chart of total tokens per key over the range's buckets (hours today, days otherwise), one
/// series per key that has tokens in the range, named after the key. Redrawn from a UsageLedger
/// when told to (the page limits that to about once a second). GUI thread.
class UsageChart final : public QChartView
{
    Q_OBJECT

public:
    explicit UsageChart(QWidget *parent = nullptr);

    /// Updates the series in place; @p rangeChanged drops every series first (new buckets).
    void refresh(const UsageLedger &ledger, bool rangeChanged);
    /// The series of @p keyId (0: anonymous), or nullptr when it has no tokens in the range.
    QLineSeries *seriesFor(qint64 keyId) const { return m_series.value(keyId); }

protected:
    void changeEvent(QEvent *event) override;

private:
    void clearSeries();
    void followPalette();

    QDateTimeAxis *m_time = nullptr;
    QValueAxis *m_tokens = nullptr;
    QHash<qint64, QLineSeries *> m_series; // owned by the chart
};

} // namespace Console
