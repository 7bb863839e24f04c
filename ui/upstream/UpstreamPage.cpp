// SPDX-License-Identifier: MIT
#include "ui/upstream/UpstreamPage.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/secrets/SecretStoreStatus.h"
#include "app/core/services/UpstreamProbe.h"
#include "app/core/services/UpstreamService.h"
#include "app/core/storage/AccountRepository.h"

#include "ui/common/DialogService.h"
#include "ui/common/MessageBanner.h"
#include "ui/common/SecretBackendText.h"
#include "ui/common/StatusLabel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace Console {

namespace {

using Kind = Proxy::UpstreamConfig::Kind;

QUrl openAiBaseUrl()
{
    return QUrl(QStringLiteral("https://api.openai.com/v1"));
}

QUrl defaultBaseUrl(Kind kind)
{
    return kind == Kind::Codex ? Core::UpstreamService::codexBaseUrl() : openAiBaseUrl();
}

QString kindText(Kind kind)
{
    switch (kind) {
    case Kind::Codex:
        return UpstreamPage::tr("Codex (ChatGPT login)");
    case Kind::OpenAI:
        return UpstreamPage::tr("OpenAI-compatible API");
    case Kind::None:
        break;
    }
    return UpstreamPage::tr("Not set");
}

} // namespace

UpstreamPage::UpstreamPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_probe(new Core::UpstreamProbe(this))
{
    buildForm();
    refresh();
    connect(&context.runtime, &Core::ProxyRuntime::configChanged, this, &UpstreamPage::refresh);
    connect(m_probe, &Core::UpstreamProbe::finished, this, &UpstreamPage::showTestResult);
}

void UpstreamPage::buildForm()
{
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("upstreamBanner"));

    m_account = new QComboBox(this);
    m_account->setObjectName(QStringLiteral("upstreamAccount"));
    m_account->setToolTip(
        tr("The account this page shows and changes (all of them are on the Accounts page)"));
    m_account->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *accountLabel = new QLabel(tr("&Account:"), this);
    accountLabel->setBuddy(m_account);
    auto *accountRow = new QHBoxLayout;
    accountRow->addWidget(accountLabel);
    accountRow->addWidget(m_account);
    accountRow->addStretch(1);

    const auto selectable = [this](const QString &name) {
        auto *label = new QLabel(this);
        label->setObjectName(name);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        return label;
    };
    m_kind = selectable(QStringLiteral("upstreamKind"));
    m_baseUrl = selectable(QStringLiteral("upstreamBaseUrl"));
    m_accountId = selectable(QStringLiteral("upstreamAccountId"));
    m_tokenState = selectable(QStringLiteral("upstreamTokenState"));
    m_test = new QPushButton(tr("&Test connection"), this);
    m_test->setObjectName(QStringLiteral("upstreamTest"));
    m_test->setToolTip(tr("Fetch the model list from the saved upstream with its token"));
    m_testResult = new StatusLabel(this);
    m_testResult->setObjectName(QStringLiteral("upstreamTestResult"));
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testResult->setWordWrap(true);
    auto *testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_testResult, 1);

    m_currentBox = new QGroupBox(this);
    m_currentBox->setObjectName(QStringLiteral("upstreamCurrentBox"));
    auto *current = new QFormLayout(m_currentBox);
    current->addRow(tr("Kind"), m_kind);
    current->addRow(tr("Base URL"), m_baseUrl);
    current->addRow(tr("Account id"), m_accountId);
    current->addRow(tr("Token"), m_tokenState);
    current->addRow(testRow);

    m_kindEdit = new QComboBox(this);
    m_kindEdit->setObjectName(QStringLiteral("upstreamKindEdit"));
    m_kindEdit->addItem(kindText(Kind::Codex), QStringLiteral("codex"));
    m_kindEdit->addItem(kindText(Kind::OpenAI), QStringLiteral("openai"));
    m_baseUrlEdit = new QLineEdit(this);
    m_baseUrlEdit->setObjectName(QStringLiteral("upstreamBaseUrlEdit"));
    m_baseUrlEdit->setPlaceholderText(openAiBaseUrl().toString());
    m_accountIdEdit = new QLineEdit(this);
    m_accountIdEdit->setObjectName(QStringLiteral("upstreamAccountIdEdit"));
    m_accountIdEdit->setPlaceholderText(tr("ChatGPT account id (Codex only)"));
    m_tokenEdit = new QLineEdit(this);
    m_tokenEdit->setObjectName(QStringLiteral("upstreamTokenEdit"));
    m_tokenEdit->setEchoMode(QLineEdit::Password);
    m_save = new QPushButton(tr("&Save upstream"), this);
    m_save->setObjectName(QStringLiteral("upstreamSave"));
    m_save->setToolTip(tr("Store these values in the account shown above (the token in %1) and use them from "
                          "the next request")
                           .arg(secretBackendText(m_context.runtime.secrets())));
    m_import = new QPushButton(tr("&Import ~/.codex/auth.json…"), this);
    m_import->setObjectName(QStringLiteral("upstreamImport"));
    m_import->setToolTip(
        tr("Make the account shown above use the login of the Codex CLI (its access token, refresh token "
           "and account id)"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_import);
    buttons->addStretch(1);
    buttons->addWidget(m_save);

    m_editBox = new QGroupBox(this);
    m_editBox->setObjectName(QStringLiteral("upstreamEditBox"));
    auto *edit = new QFormLayout(m_editBox);
    edit->addRow(tr("&Kind"), m_kindEdit);
    edit->addRow(tr("&Base URL"), m_baseUrlEdit);
    edit->addRow(tr("Acc&ount id"), m_accountIdEdit);
    edit->addRow(tr("T&oken"), m_tokenEdit);
    edit->addRow(buttons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(accountRow);
    layout->addWidget(m_currentBox);
    layout->addWidget(m_editBox);
    layout->addStretch(1);

    connect(m_account, &QComboBox::activated, this, [this] {
        m_formEdited = false; // another account: show its values
        m_testResult->clear();
        refresh();
    });
    connect(m_kindEdit, &QComboBox::currentIndexChanged, this, &UpstreamPage::selectKind);
    connect(m_kindEdit, &QComboBox::activated, this, [this] { m_formEdited = true; });
    for (QLineEdit *line : {m_baseUrlEdit, m_accountIdEdit})
        connect(line, &QLineEdit::textEdited, this, [this] { m_formEdited = true; });
    connect(m_tokenEdit, &QLineEdit::returnPressed, this, &UpstreamPage::save);
    connect(m_save, &QPushButton::clicked, this, &UpstreamPage::save);
    connect(m_import, &QPushButton::clicked, this, &UpstreamPage::importCodexAuth);
    connect(m_test, &QPushButton::clicked, this, &UpstreamPage::testConnection);
}

void UpstreamPage::selectKind(int index)
{
    const Kind kind = Proxy::UpstreamConfig::kindFromName(m_kindEdit->itemData(index).toString());
    const Kind other = kind == Kind::Codex ? Kind::OpenAI : Kind::Codex;
    const QString url = m_baseUrlEdit->text().trimmed();
    if (url.isEmpty() || QUrl(url) == defaultBaseUrl(other))
        m_baseUrlEdit->setText(defaultBaseUrl(kind).toString());
    m_accountIdEdit->setEnabled(kind == Kind::Codex);
}

Core::UpstreamService UpstreamPage::service() const
{
    const QVariant id = m_account->currentData();
    return Core::UpstreamService(m_context.runtime.database(), m_context.runtime.secrets(),
                                 id.isValid() ? QString::number(id.toLongLong()) : QString());
}

QString UpstreamPage::chosenName() const
{
    return m_account->currentData().isValid() ? m_account->currentText() : QStringLiteral("default");
}

void UpstreamPage::loadAccounts()
{
    const QVariant chosen = m_account->currentData();
    const auto accounts = Core::AccountRepository(m_context.runtime.database().connection()).list();
    const auto shown =
        Core::UpstreamService(m_context.runtime.database(), m_context.runtime.secrets()).shownAccount();
    m_account->clear();
    if (!accounts || accounts.value().isEmpty()) {
        m_account->addItem(tr("default (created when you save)"));
        return;
    }
    for (const Core::AccountRecord &account : accounts.value())
        m_account->addItem(account.name, account.id);
    int index = chosen.isValid() ? m_account->findData(chosen) : -1;
    if (index < 0 && shown && shown.value())
        index = m_account->findData(shown.value()->id);
    m_account->setCurrentIndex(std::max(index, 0));
}

void UpstreamPage::refresh()
{
    loadAccounts();
    Core::SecretStore &secrets = m_context.runtime.secrets();
    const QString name = chosenName();
    m_currentBox->setTitle(tr("Account \u201c%1\u201d").arg(name));
    m_editBox->setTitle(tr("Change \u201c%1\u201d").arg(name));
    const Core::Result<Core::UpstreamInfo> info = service().show();
    if (!info) {
        m_banner->showMessage(MessageBanner::Kind::Error,
                              tr("The upstream cannot be read: %1").arg(info.error()));
        return;
    }
    const Core::UpstreamInfo &upstream = info.value();
    const Kind kind = upstream.configured ? upstream.row.kind : Kind::None;
    m_kind->setText(kindText(kind));
    m_baseUrl->setText(upstream.configured ? upstream.row.baseUrl.toString() : QStringLiteral("—"));
    m_accountId->setText(upstream.row.accountId.isEmpty() ? QStringLiteral("—") : upstream.row.accountId);
    m_tokenStored = upstream.tokenStored;
    if (!upstream.secretProblem.isEmpty())
        m_tokenState->setText(tr("Cannot be read: %1").arg(upstream.secretProblem));
    else if (upstream.tokenStored)
        m_tokenState->setText(tr("Stored in %1").arg(secretBackendText(secrets)));
    else
        m_tokenState->setText(tr("Not stored"));
    if (upstream.configured)
        m_context.secretStatus.report(
            upstream.secretProblem.isEmpty()
                ? Core::SecretResult::success()
                : Core::SecretResult::failure(Core::SecretError::Unavailable, upstream.secretProblem));
    m_tokenEdit->setPlaceholderText(m_tokenStored ? tr("Leave empty to keep the stored token")
                                                  : tr("Access token or API key"));
    if (m_formEdited)
        return;
    const Kind formKind = kind == Kind::None ? Kind::Codex : kind;
    m_kindEdit->setCurrentIndex(m_kindEdit->findData(Proxy::UpstreamConfig::kindName(formKind)));
    m_baseUrlEdit->setText(upstream.configured ? upstream.row.baseUrl.toString()
                                               : defaultBaseUrl(formKind).toString());
    m_accountIdEdit->setText(upstream.row.accountId);
    m_accountIdEdit->setEnabled(formKind == Kind::Codex);
}

void UpstreamPage::changed(const QString &message)
{
    m_formEdited = false;
    m_tokenEdit->clear();
    m_testResult->clear();
    QString problem;
    const auto watch = connect(&m_context.runtime, &Core::ProxyRuntime::configProblem, this,
                               [&problem](const QString &text) { problem = text; });
    m_context.runtime.publishConfig(); // configChanged → refresh()
    disconnect(watch);
    if (!problem.isEmpty()) {
        refresh();
        return m_banner->showMessage(
            MessageBanner::Kind::Error,
            tr("Saved, but the proxy keeps its previous configuration: %1").arg(problem));
    }
    m_banner->showMessage(MessageBanner::Kind::Info, message);
}

void UpstreamPage::save()
{
    const Kind kind = Proxy::UpstreamConfig::kindFromName(m_kindEdit->currentData().toString());
    const QUrl baseUrl(m_baseUrlEdit->text().trimmed(), QUrl::StrictMode);
    QByteArray token = m_tokenEdit->text().trimmed().toUtf8();
    if (token.isEmpty()) {
        const Core::SecretResult stored = m_context.runtime.secrets().read(service().tokenSecretName());
        m_context.secretStatus.report(stored);
        if (!stored.ok || stored.value.isEmpty())
            return m_banner->showMessage(
                MessageBanner::Kind::Error,
                stored.error == Core::SecretError::NotFound || stored.ok
                    ? tr("Enter the upstream token: none is stored yet.")
                    : tr("The stored token cannot be read (%1); enter it again.").arg(stored.message));
        token = stored.value;
    }
    const Core::Status saved =
        service().set(kind, baseUrl, kind == Kind::Codex ? m_accountIdEdit->text() : QString(), token);
    token.fill('\0');
    if (!saved)
        return m_banner->showMessage(MessageBanner::Kind::Error, tr("Not saved: %1").arg(saved.error()));
    changed(tr("\u201c%1\u201d saved; the proxy uses it from the next request.").arg(chosenName()));
}

void UpstreamPage::importCodexAuth()
{
    const QString path = m_context.dialogs.openFileName(
        this, tr("Import the Codex CLI login"), Core::UpstreamService::defaultCodexAuthPath(),
        tr("Codex login (auth.json);;JSON files (*.json);;All files (*)"));
    if (path.isEmpty())
        return;
    const Core::Status imported = service().importCodexAuth(path);
    if (!imported)
        return m_banner->showMessage(MessageBanner::Kind::Error,
                                     tr("Not imported: %1").arg(imported.error()));
    changed(tr("Imported the Codex CLI login from %1 into \u201c%2\u201d; the proxy uses it from the next "
               "request.")
                .arg(path, chosenName()));
}

void UpstreamPage::testConnection()
{
    const Core::Result<Proxy::UpstreamConfig> upstream = service().load();
    if (!upstream) {
        refresh(); // reports the secret store's state
        Core::UpstreamProbeResult failed;
        failed.detail = upstream.error();
        showTestResult(failed);
        return;
    }
    m_test->setEnabled(false);
    m_testResult->setStatus(std::nullopt);
    m_testResult->setText(tr("Testing %1…").arg(upstream.value().baseUrl.toString()));
    m_probe->start(upstream.value());
}

void UpstreamPage::showTestResult(const Core::UpstreamProbeResult &result)
{
    m_test->setEnabled(true);
    m_testResult->setText(result.text());
    m_testResult->setStatus(result.ok() ? StatusColors::Status::Ok : StatusColors::Status::Error);
}

} // namespace Console
