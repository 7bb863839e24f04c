// SPDX-License-Identifier: MIT
#include "ui/common/EmptyState.h"

#include <QAbstractItemView>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Console {

EmptyState::EmptyState(QAbstractItemView &view, QAbstractItemModel &model, const QString &text)
    : QWidget(view.viewport()), m_view(view), m_model(&model)
{
    setObjectName(view.objectName() + QStringLiteral("EmptyState"));
    m_text = new QLabel(text, this);
    m_text->setObjectName(QStringLiteral("emptyStateText"));
    m_text->setWordWrap(true);
    m_text->setAlignment(Qt::AlignCenter);
    m_actions = new QHBoxLayout;
    m_actions->addStretch();
    m_actions->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(m_text);
    layout->addLayout(m_actions);
    layout->addStretch();

    view.viewport()->installEventFilter(this);
    connect(&model, &QAbstractItemModel::rowsInserted, this, &EmptyState::followModel);
    connect(&model, &QAbstractItemModel::rowsRemoved, this, &EmptyState::followModel);
    connect(&model, &QAbstractItemModel::modelReset, this, &EmptyState::followModel);
    connect(&model, &QAbstractItemModel::layoutChanged, this, &EmptyState::followModel);
    followModel();
}

QPushButton *EmptyState::addAction(const QString &text, const QString &objectName)
{
    auto *button = new QPushButton(text, this);
    button->setObjectName(objectName);
    m_actions->insertWidget(m_actions->count() - 1, button); // between the two stretches
    return button;
}

bool EmptyState::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view.viewport() && event->type() == QEvent::Resize)
        setGeometry(m_view.viewport()->rect());
    return QWidget::eventFilter(watched, event);
}

void EmptyState::followModel()
{
    setGeometry(m_view.viewport()->rect());
    setVisible(m_model && m_model->rowCount() == 0);
}

} // namespace Console
