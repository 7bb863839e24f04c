// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

namespace Console {

/// A small line chart without axes: the values scaled to the widget's height (the peak on top),
/// drawn in the palette's highlight colour so it follows light and dark themes. GUI thread.
class Sparkline final : public QWidget
{
    Q_OBJECT

public:
    explicit Sparkline(QWidget *parent = nullptr);

    void setValues(const QList<int> &values);
    const QList<int> &values() const { return m_values; }
    int peak() const { return m_peak; }

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<int> m_values;
    int m_peak = 0;
};

} // namespace Console
