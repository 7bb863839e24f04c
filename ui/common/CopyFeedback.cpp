// SPDX-License-Identifier: MIT
#include "ui/common/CopyFeedback.h"

#include <QAbstractButton>
#include <QAction>

namespace Console {

CopyFeedback::CopyFeedback(QAbstractButton &button)
    : CopyFeedback(button, button.text(), [&button](const QString &text) { button.setText(text); })
{}

CopyFeedback::CopyFeedback(QAction &action)
    : CopyFeedback(action, action.text(), [&action](const QString &text) { action.setText(text); })
{}

CopyFeedback::CopyFeedback(QObject &owner, QString text, std::function<void(const QString &)> setText)
    : QObject(&owner), m_text(std::move(text)), m_setText(std::move(setText))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(Duration);
    connect(&m_timer, &QTimer::timeout, this, [this] { m_setText(m_text); });
}

void CopyFeedback::show()
{
    m_setText(copiedText());
    m_timer.start();
}

QString CopyFeedback::copiedText()
{
    return tr("Copied \u2713");
}

} // namespace Console
