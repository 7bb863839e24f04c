// SPDX-License-Identifier: MIT
#include "ui/keys/KeySecretDialog.h"

#include "ui/common/CopyFeedback.h"
#include "ui/keys/ClipboardGuard.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Console {

namespace {
QString messageFor(KeySecretDialog::Purpose purpose, const QString &storedIn, const QString &problem)
{
    if (purpose == KeySecretDialog::Purpose::Revealed)
        return KeySecretDialog::tr("Read from %1. It is hidden again when you close this window.")
            .arg(storedIn);
    QString text = purpose == KeySecretDialog::Purpose::Regenerated
                       ? KeySecretDialog::tr("The previous key stopped working. ")
                       : QString();
    if (!storedIn.isEmpty())
        return text + KeySecretDialog::tr("Stored in %1 — you can reveal it again later.").arg(storedIn);
    return text +
           KeySecretDialog::tr("<b>Copy this key now: it cannot be shown again.</b> It could not be stored "
                               "(%1). The key works, but Keygate keeps only its hash.")
               .arg(problem.toHtmlEscaped());
}
} // namespace

KeySecretDialog::KeySecretDialog(Purpose purpose, const QString &keyName, const QString &plaintext,
                                 const QString &storedIn, const QString &problem, ClipboardGuard &clipboard,
                                 QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("keySecretDialog"));
    setWindowTitle(purpose == Purpose::Revealed      ? tr("Key \"%1\"").arg(keyName)
                   : purpose == Purpose::Regenerated ? tr("New value for \"%1\"").arg(keyName)
                                                     : tr("Key \"%1\" created").arg(keyName));
    m_secret = new QLineEdit(plaintext, this);
    m_secret->setObjectName(QStringLiteral("keySecretEdit"));
    m_secret->setAccessibleName(tr("Key"));
    m_secret->setReadOnly(true);
    m_secret->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_secret->setMinimumWidth(m_secret->fontMetrics().horizontalAdvance(plaintext) + 24);
    auto *copy = new QPushButton(tr("&Copy"), this);
    copy->setObjectName(QStringLiteral("keySecretCopyButton"));
    copy->setToolTip(
        tr("Copy the key; the clipboard is cleared after %1 s")
            .arg(std::chrono::duration_cast<std::chrono::seconds>(clipboard.clearInterval()).count()));
    auto *feedback = new CopyFeedback(*copy);
    connect(copy, &QPushButton::clicked, this, [this, &clipboard, feedback] {
        clipboard.copy(m_secret->text());
        feedback->show();
    });
    auto *row = new QHBoxLayout;
    row->addWidget(m_secret, 1);
    row->addWidget(copy);

    m_message = new QLabel(messageFor(purpose, storedIn, problem), this);
    m_message->setObjectName(QStringLiteral("keySecretMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::RichText);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->setObjectName(QStringLiteral("keySecretButtons"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
    copy->setFocus();
}

QString KeySecretDialog::shownSecret() const
{
    return m_secret->text();
}

QString KeySecretDialog::message() const
{
    return m_message->text();
}

void KeySecretDialog::done(int result)
{
    wipe();
    QDialog::done(result);
}

void KeySecretDialog::hideEvent(QHideEvent *event)
{
    wipe();
    QDialog::hideEvent(event);
}

void KeySecretDialog::wipe()
{
    m_secret->clear();
}

} // namespace Console
