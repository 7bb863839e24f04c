// SPDX-License-Identifier: MIT
#include "ui/overview/Sparkline.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>

namespace Console {

Sparkline::Sparkline(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

QSize Sparkline::sizeHint() const
{
    return {fontMetrics().averageCharWidth() * 40, fontMetrics().height() * 3};
}

void Sparkline::setValues(const QList<int> &values)
{
    if (values == m_values)
        return;
    m_values = values;
    m_peak = m_values.isEmpty() ? 0 : *std::max_element(m_values.cbegin(), m_values.cend());
    update();
}

void Sparkline::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(1, 2, -1, -1);
    painter.setPen(QPen(palette().color(QPalette::Mid), 1));
    painter.drawLine(area.bottomLeft(), area.bottomRight());
    if (m_values.size() < 2)
        return;
    const double step = area.width() / double(m_values.size() - 1);
    const double scale = m_peak > 0 ? area.height() / double(m_peak) : 0;
    QPainterPath line;
    for (int i = 0; i < m_values.size(); ++i) {
        const QPointF point(area.left() + i * step, area.bottom() - m_values.at(i) * scale);
        if (i == 0)
            line.moveTo(point);
        else
            line.lineTo(point);
    }
    QPainterPath fill = line;
    fill.lineTo(area.bottomRight());
    fill.lineTo(area.bottomLeft());
    fill.closeSubpath();
    QColor shade = palette().color(QPalette::Highlight);
    shade.setAlpha(60);
    painter.fillPath(fill, shade);
    painter.setPen(QPen(palette().color(QPalette::Highlight), 1.5));
    painter.drawPath(line);
}

} // namespace Console
