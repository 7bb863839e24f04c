// SPDX-License-Identifier: MIT
#pragma once

#include <QLayout>
#include <QList>
#include <QStyle>

namespace Console {

/// Lays its items out left to right and wraps them onto the next row when the width runs out, so a
/// page's toolbar never sets the window's minimum width (the console works at 1,024 px). Its
/// minimum width is that of its widest item; its height follows the width (heightForWidth).
/// Items keep their size hints; an item with a horizontal Expanding policy (e.g. a filter field)
/// also takes the room left at the end of its row. GUI thread.
class FlowLayout final : public QLayout
{
    Q_OBJECT

public:
    explicit FlowLayout(QWidget *parent = nullptr);
    ~FlowLayout() override;

    void addItem(QLayoutItem *item) override;
    int count() const override;
    QLayoutItem *itemAt(int index) const override;
    QLayoutItem *takeAt(int index) override;
    Qt::Orientations expandingDirections() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect &rect) override;

private:
    /// Places the items in @p rect (only measures when @p apply is false); returns the height used.
    int arrange(const QRect &rect, bool apply) const;
    int gap(QStyle::PixelMetric metric) const;

    QList<QLayoutItem *> m_items;
};

} // namespace Console
