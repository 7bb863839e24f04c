// SPDX-License-Identifier: MIT
#pragma once

#include <QPointer>
#include <QWidget>

class QAbstractItemModel;
class QAbstractItemView;
class QLabel;
class QPushButton;
class QHBoxLayout;

namespace Console {

/// What an empty table says instead of a blank grid: one sentence on what will appear and the
/// buttons that make it appear. Laid over the view's viewport (the header stays), shown while
/// @p model has no rows and hidden with the first one. @p model is the view's source data, not a
/// filter of it, so a filter that matches nothing does not claim the table is empty. GUI thread.
class EmptyState final : public QWidget
{
    Q_OBJECT

public:
    EmptyState(QAbstractItemView &view, QAbstractItemModel &model, const QString &text);

    /// Adds a button under the sentence.
    QPushButton *addAction(const QString &text, const QString &objectName);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void followModel();

    QAbstractItemView &m_view;
    QPointer<QAbstractItemModel> m_model;
    QLabel *m_text = nullptr;
    QHBoxLayout *m_actions = nullptr;
};

} // namespace Console
