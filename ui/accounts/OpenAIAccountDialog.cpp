// SPDX-License-Identifier: MIT
#include "ui/accounts/OpenAIAccountDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace Console {

OpenAIAccountDialog::OpenAIAccountDialog(Mode mode, const QString &accountName, const QString &storedIn,
                                         QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("openAIAccountDialog"));
    auto *form = new QFormLayout(this);
    if (mode == Mode::AddAccount) {
        setWindowTitle(tr("Add an OpenAI-compatible account"));
        m_name = new QLineEdit(this);
        m_name->setObjectName(QStringLiteral("accountName"));
        m_name->setPlaceholderText(tr("defaults to the host"));
        m_baseUrl = new QLineEdit(QStringLiteral("https://api.openai.com/v1"), this);
        m_baseUrl->setObjectName(QStringLiteral("accountBaseUrl"));
        form->addRow(tr("&Name"), m_name);
        form->addRow(tr("&Base URL"), m_baseUrl);
    } else {
        setWindowTitle(tr("Set the token of \"%1\"").arg(accountName));
        auto *note =
            new QLabel(tr("The token is stored in %1; it replaces the current one.").arg(storedIn), this);
        note->setObjectName(QStringLiteral("accountTokenNote"));
        form->addRow(note);
    }
    m_token = new QLineEdit(this);
    m_token->setObjectName(QStringLiteral("accountToken"));
    m_token->setEchoMode(QLineEdit::Password);
    form->addRow(mode == Mode::AddAccount ? tr("API &key") : tr("&Token"), m_token);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("accountDialogOk"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const auto update = [this, buttons] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_token->text().trimmed().isEmpty()
                                                          && (!m_baseUrl || !m_baseUrl->text().trimmed().isEmpty()));
    };
    connect(m_token, &QLineEdit::textChanged, this, update);
    if (m_baseUrl)
        connect(m_baseUrl, &QLineEdit::textChanged, this, update);
    update();
    resize(fontMetrics().horizontalAdvance(u'M') * 40, sizeHint().height());
}

QString OpenAIAccountDialog::name() const
{
    return m_name ? m_name->text().trimmed() : QString();
}

QString OpenAIAccountDialog::baseUrl() const
{
    return m_baseUrl ? m_baseUrl->text().trimmed() : QString();
}

QByteArray OpenAIAccountDialog::token() const
{
    return m_token->text().trimmed().toUtf8();
}

} // namespace Console
