// SPDX-License-Identifier: MIT
#include "ui/common/StatusLabel.h"

#include <QApplication>
#include <QEvent>

namespace Console {

StatusLabel::StatusLabel(QWidget *parent) : QLabel(parent) {}

void StatusLabel::setStatus(std::optional<StatusColors::Status> status)
{
    m_status = status;
    applyColor();
}

void StatusLabel::changeEvent(QEvent *event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_applying)
        applyColor();
}

void StatusLabel::applyColor()
{
    // Only WindowText is set: every other role keeps following the application palette.
    QPalette colours;
    if (m_status)
        colours.setColor(QPalette::WindowText, StatusColors::text(*m_status, QApplication::palette(this)));
    m_applying = true; // setPalette() sends the PaletteChange that would bring us back here
    setPalette(colours);
    m_applying = false;
}

} // namespace Console
