// SPDX-License-Identifier: MIT
#include "ui/accounts/ChatGptLoginDialog.h"

#include "app/core/accounts/oauth/BrowserLogin.h"
#include "app/core/accounts/oauth/DeviceCodeLogin.h"

#include "ui/common/CopyFeedback.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QFont>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>

namespace Console {

ChatGptLoginDialog::ChatGptLoginDialog(Mode mode, const Core::OAuthEndpoints &endpoints, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("chatGptLoginDialog"));
    setWindowTitle(mode == Mode::Browser ? tr("Sign in with ChatGPT") : tr("Sign in with a device code"));
    auto *form = new QFormLayout(this);
    m_url = new QLineEdit(this);
    m_url->setObjectName(QStringLiteral("loginUrl"));
    m_url->setReadOnly(true);
    m_url->setPlaceholderText(tr("starting…"));
    auto *copy = new QPushButton(tr("Copy"), this);
    copy->setObjectName(QStringLiteral("loginUrlCopyButton"));
    copy->setToolTip(tr("Copy the address to open it in a browser elsewhere"));
    auto *feedback = new CopyFeedback(*copy);
    connect(copy, &QPushButton::clicked, this, [this, feedback] {
        QApplication::clipboard()->setText(m_url->text());
        feedback->show();
    });
    m_open = new QPushButton(tr("Open browser"), this);
    m_open->setObjectName(QStringLiteral("loginOpenBrowser"));
    m_open->setEnabled(false);
    connect(m_open, &QPushButton::clicked, this, [this] { QDesktopServices::openUrl(QUrl(m_url->text())); });
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    urlRow->addWidget(copy);
    urlRow->addWidget(m_open);
    form->addRow(mode == Mode::Browser ? tr("Sign-in page") : tr("Go to"), urlRow);

    if (mode == Mode::Browser) {
        m_paste = new QLineEdit(this);
        m_paste->setObjectName(QStringLiteral("loginPastedUrl"));
        m_paste->setPlaceholderText(tr("only if the browser runs on another machine: the URL it ended on"));
        auto *use = new QPushButton(tr("Use this URL"), this);
        use->setObjectName(QStringLiteral("loginUsePastedUrl"));
        connect(use, &QPushButton::clicked, this, &ChatGptLoginDialog::usePastedUrl);
        connect(m_paste, &QLineEdit::returnPressed, this, &ChatGptLoginDialog::usePastedUrl);
        auto *pasteRow = new QHBoxLayout;
        pasteRow->addWidget(m_paste, 1);
        pasteRow->addWidget(use);
        auto *pasteLabel = new QLabel(tr("&Callback URL"), this);
        pasteLabel->setObjectName(QStringLiteral("loginPastedUrlLabel"));
        pasteLabel->setBuddy(m_paste); // a row holding a layout gets no buddy (and shows the "&") by itself
        form->addRow(pasteLabel, pasteRow);
    } else {
        m_code = new QLabel(tr("…"), this);
        m_code->setObjectName(QStringLiteral("loginUserCode"));
        m_code->setTextInteractionFlags(Qt::TextSelectableByMouse);
        QFont big = m_code->font();
        big.setPointSizeF(big.pointSizeF() * 1.6);
        big.setBold(true);
        m_code->setFont(big);
        form->addRow(tr("Enter the code"), m_code);
    }
    m_status = new QLabel(tr("Waiting for the sign-in…"), this);
    m_status->setObjectName(QStringLiteral("loginStatus"));
    m_status->setWordWrap(true);
    form->addRow(m_status);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
    resize(fontMetrics().horizontalAdvance(u'M') * 55, sizeHint().height());

    if (mode == Mode::Browser) {
        m_browser = new Core::BrowserLogin(endpoints, this);
        connect(m_browser, &Core::BrowserLogin::authorizeUrlReady, this, &ChatGptLoginDialog::showUrl);
        connect(m_browser, &Core::BrowserLogin::succeeded, this, &ChatGptLoginDialog::succeed);
        connect(m_browser, &Core::BrowserLogin::failed, this, &ChatGptLoginDialog::fail);
        m_browser->start();
    } else {
        m_device = new Core::DeviceCodeLogin(endpoints, this);
        connect(m_device, &Core::DeviceCodeLogin::userCodeReady, this, [this](const QString &code, const QUrl &url) {
            m_code->setText(code);
            showUrl(url);
        });
        connect(m_device, &Core::DeviceCodeLogin::succeeded, this, &ChatGptLoginDialog::succeed);
        connect(m_device, &Core::DeviceCodeLogin::failed, this, &ChatGptLoginDialog::fail);
        m_device->start();
    }
}

ChatGptLoginDialog::~ChatGptLoginDialog()
{
    if (m_browser)
        m_browser->cancel();
    if (m_device)
        m_device->cancel();
}

void ChatGptLoginDialog::showUrl(const QUrl &url)
{
    m_url->setText(url.toString());
    m_url->setCursorPosition(0);
    m_open->setEnabled(true);
}

void ChatGptLoginDialog::succeed(const Core::AccountTokens &tokens)
{
    m_tokens = tokens;
    accept();
}

void ChatGptLoginDialog::fail(const QString &message)
{
    m_status->setText(tr("The sign-in failed: %1").arg(message));
}

void ChatGptLoginDialog::usePastedUrl()
{
    const QString text = m_paste->text().trimmed();
    if (text.isEmpty())
        return;
    if (const Core::Status status = m_browser->completeWithCallbackUrl(text); !status)
        fail(status.error());
    else
        m_status->setText(tr("Finishing the sign-in…"));
}

} // namespace Console
