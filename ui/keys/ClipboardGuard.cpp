// SPDX-License-Identifier: MIT
#include "ui/keys/ClipboardGuard.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>

namespace Console {

ClipboardGuard::ClipboardGuard(QObject *parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(DefaultInterval);
    connect(&m_timer, &QTimer::timeout, this, [this] { emit expired(clearIfUnchanged()); });
}

ClipboardGuard::~ClipboardGuard()
{
    if (m_timer.isActive())
        clearIfUnchanged();
}

void ClipboardGuard::copy(const QString &secret)
{
    auto *data = new QMimeData;
    data->setText(secret);
    data->setData(QStringLiteral("x-kde-passwordManagerHint"), QByteArrayLiteral("secret"));
    QGuiApplication::clipboard()->setMimeData(data); // takes ownership
    m_secret = secret;
    m_timer.start();
}

void ClipboardGuard::copyPlain(const QString &text)
{
    QGuiApplication::clipboard()->setText(text);
}

bool ClipboardGuard::clearIfUnchanged()
{
    m_timer.stop();
    QClipboard *clipboard = QGuiApplication::clipboard();
    const bool ours = !m_secret.isEmpty() && clipboard->text() == m_secret;
    if (ours)
        clipboard->clear();
    m_secret.clear();
    return ours;
}

} // namespace Console
