// SPDX-License-Identifier: MIT
#include "ui/common/FlowLayout.h"

#include <QStyle>
#include <QWidget>

namespace Console {

namespace {
constexpr int DefaultGap = 6;
}

FlowLayout::FlowLayout(QWidget *parent) : QLayout(parent) {}

FlowLayout::~FlowLayout()
{
    qDeleteAll(m_items);
}

void FlowLayout::addItem(QLayoutItem *item)
{
    m_items.append(item);
}

int FlowLayout::count() const
{
    return int(m_items.size());
}

QLayoutItem *FlowLayout::itemAt(int index) const
{
    return m_items.value(index);
}

QLayoutItem *FlowLayout::takeAt(int index)
{
    return index >= 0 && index < m_items.size() ? m_items.takeAt(index) : nullptr;
}

Qt::Orientations FlowLayout::expandingDirections() const
{
    return {};
}

bool FlowLayout::hasHeightForWidth() const
{
    return true;
}

int FlowLayout::heightForWidth(int width) const
{
    return arrange(QRect(0, 0, width, 0), false);
}

QSize FlowLayout::minimumSize() const
{
    QSize size;
    for (const QLayoutItem *item : m_items)
        if (!item->isEmpty())
            size = size.expandedTo(item->minimumSize());
    const QMargins margins = contentsMargins();
    return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom());
}

QSize FlowLayout::sizeHint() const
{
    // One row: what the items would like when there is room.
    int width = 0;
    int height = 0;
    for (const QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        width += (width > 0 ? gap(QStyle::PM_LayoutHorizontalSpacing) : 0) + item->sizeHint().width();
        height = qMax(height, item->sizeHint().height());
    }
    const QMargins margins = contentsMargins();
    return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom());
}

void FlowLayout::setGeometry(const QRect &rect)
{
    QLayout::setGeometry(rect);
    arrange(rect, true);
}

int FlowLayout::arrange(const QRect &rect, bool apply) const
{
    const QRect area = rect.marginsRemoved(contentsMargins());
    const int hGap = gap(QStyle::PM_LayoutHorizontalSpacing);
    const int vGap = gap(QStyle::PM_LayoutVerticalSpacing);
    int x = area.x();
    int y = area.y();
    int rowHeight = 0;
    QList<QLayoutItem *> row;
    const auto placeRow = [&] {
        // An expanding item takes what is left of its row.
        int spare = area.right() + 1 - x + hGap;
        int left = area.x();
        for (QLayoutItem *item : std::as_const(row)) {
            QSize size = item->sizeHint().boundedTo(QSize(area.width(), QWIDGETSIZE_MAX));
            if (spare > 0 && item->expandingDirections() & Qt::Horizontal) {
                const int grown = qMin(size.width() + spare, item->maximumSize().width());
                spare -= grown - size.width();
                size.setWidth(grown);
            }
            if (apply)
                item->setGeometry(QRect(QPoint(left, y + (rowHeight - size.height()) / 2), size));
            left += size.width() + hGap;
        }
        row.clear();
    };
    for (QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        const QSize size = item->sizeHint().boundedTo(QSize(area.width(), QWIDGETSIZE_MAX));
        if (!row.isEmpty() && x + size.width() > area.right() + 1) {
            placeRow();
            x = area.x();
            y += rowHeight + vGap;
            rowHeight = 0;
        }
        row.append(item);
        x += size.width() + hGap;
        rowHeight = qMax(rowHeight, size.height());
    }
    placeRow();
    return y + rowHeight - rect.y() + contentsMargins().bottom();
}

int FlowLayout::gap(QStyle::PixelMetric metric) const
{
    if (spacing() >= 0)
        return spacing();
    const QWidget *owner = parentWidget();
    const int styled = owner ? owner->style()->pixelMetric(metric, nullptr, owner) : -1;
    return styled >= 0 ? styled : DefaultGap; // styles that space per widget pair say -1
}

} // namespace Console
