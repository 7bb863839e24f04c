// SPDX-License-Identifier: MIT
#include "ui/accounts/OpenAIAccountDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
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
    } else if (mode == Mode::TokenOnly) {
        setWindowTitle(tr("Set the token of \"%1\"").arg(accountName));
        auto *note =
            new QLabel(tr("The token is stored in %1; it replaces the current one.").arg(storedIn), this);
        note->setObjectName(QStringLiteral("accountTokenNote"));
        form->addRow(note);
    } else {
        setWindowTitle(tr("Company CA of \"%1\"").arg(accountName));
        auto *note = new QLabel(storedIn.isEmpty() ? tr("Trusts the system CAs only.")
                                                   : tr("Trusts the system CAs and %1.").arg(storedIn),
                                this);
        note->setObjectName(QStringLiteral("accountCaNote"));
        note->setWordWrap(true);
        form->addRow(note);
    }
    if (mode != Mode::CaOnly) {
        m_token = new QLineEdit(this);
        m_token->setObjectName(QStringLiteral("accountToken"));
        m_token->setEchoMode(QLineEdit::Password);
        form->addRow(mode == Mode::AddAccount ? tr("API &key") : tr("&Token"), m_token);
    }
    if (mode != Mode::TokenOnly)
        addCaRow(form);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("accountDialogOk"));
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const auto update = [this, buttons] {
        buttons->button(QDialogButtonBox::Ok)->setEnabled((!m_token || !m_token->text().trimmed().isEmpty())
                                                          && (!m_baseUrl || !m_baseUrl->text().trimmed().isEmpty()));
    };
    if (m_token)
        connect(m_token, &QLineEdit::textChanged, this, update);
    if (m_baseUrl)
        connect(m_baseUrl, &QLineEdit::textChanged, this, update);
    update();
    resize(fontMetrics().horizontalAdvance(u'M') * 40, sizeHint().height());
}

void OpenAIAccountDialog::addCaRow(QFormLayout *form)
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    m_caFile = new QLineEdit(row);
    m_caFile->setObjectName(QStringLiteral("accountCaFile"));
    m_caFile->setAccessibleName(tr("Company CA file")); // the form label names the row, not the field
    m_caFile->setPlaceholderText(tr("optional: a PEM file with your company's CA"));
    m_caFile->setToolTip(tr("For an upstream behind a company CA: its certificate is trusted for this account "
                            "besides the system CAs. Certificates are always verified."));
    auto *browse = new QPushButton(tr("B&rowse…"), row);
    browse->setObjectName(QStringLiteral("accountCaBrowse"));
    layout->addWidget(m_caFile, 1);
    layout->addWidget(browse);
    form->addRow(tr("Company &CA"), row);
    if (auto *label = qobject_cast<QLabel *>(form->labelForField(row)))
        label->setBuddy(m_caFile);
    connect(browse, &QPushButton::clicked, this, [this] {
        if (!m_chooseCaFile)
            return;
        if (const QString path = m_chooseCaFile(); !path.isEmpty())
            m_caFile->setText(path);
    });
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
    return m_token ? m_token->text().trimmed().toUtf8() : QByteArray();
}

QString OpenAIAccountDialog::caFile() const
{
    return m_caFile ? m_caFile->text().trimmed() : QString();
}

} // namespace Console
