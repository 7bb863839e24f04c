// SPDX-License-Identifier: MIT
#include "ui/common/MessageBanner.h"

#include "ui/common/StatusColors.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace Console {

MessageBanner::MessageBanner(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("messageBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_icon = new QLabel(this);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("bannerText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close = new QToolButton(this);
    m_close->setObjectName(QStringLiteral("bannerClose"));
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Dismiss this message"));
    m_close->setAccessibleName(tr("Dismiss"));
    m_close->setAutoRaise(true);
    connect(m_close, &QToolButton::clicked, this, &MessageBanner::dismiss);
    m_infoTimer.setSingleShot(true);
    m_infoTimer.setInterval(InfoTimeout);
    connect(&m_infoTimer, &QTimer::timeout, this, &MessageBanner::dismiss);
    m_actions = new QHBoxLayout;
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 6, 6, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addLayout(m_actions);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    hide();
}

void MessageBanner::showMessage(Kind kind, const QString &text)
{
    clearActions();
    m_kind = kind;
    const QStyle::StandardPixmap icon = kind == Kind::Error     ? QStyle::SP_MessageBoxCritical
                                        : kind == Kind::Warning ? QStyle::SP_MessageBoxWarning
                                                                : QStyle::SP_MessageBoxInformation;
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    applyColors();
    m_text->setText(text);
    show();
    if (kind == Kind::Info)
        m_infoTimer.start();
    else
        m_infoTimer.stop();
}

void MessageBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_applyingColors)
        applyColors();
}

void MessageBanner::applyColors()
{
    // Only the background is set, a tint of the palette's own Window: the text keeps the palette's
    // WindowText, legible in light and dark mode alike.
    const StatusColors::Status status = m_kind == Kind::Error     ? StatusColors::Status::Error
                                        : m_kind == Kind::Warning ? StatusColors::Status::Warning
                                                                  : StatusColors::Status::Info;
    QPalette colours;
    colours.setColor(QPalette::Window, StatusColors::background(status, QApplication::palette(this)));
    m_applyingColors = true; // setPalette() sends the PaletteChange that would bring us back here
    setPalette(colours);
    m_applyingColors = false;
}

QPushButton *MessageBanner::addAction(const QString &text)
{
    auto *button = new QPushButton(text, this);
    m_actions->addWidget(button);
    m_infoTimer.stop(); // a message that asks for an action stays
    return button;
}

void MessageBanner::addWidget(QWidget *widget)
{
    widget->setParent(this);
    m_actions->addWidget(widget);
    m_infoTimer.stop();
}

void MessageBanner::dismiss()
{
    m_infoTimer.stop();
    clearActions();
    hide();
    emit dismissed();
}

QString MessageBanner::text() const
{
    return isHidden() ? QString() : m_text->text();
}

void MessageBanner::clearActions()
{
    while (QLayoutItem *item = m_actions->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

} // namespace Console
