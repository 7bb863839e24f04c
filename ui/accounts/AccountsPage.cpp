// SPDX-License-Identifier: MIT
#include "ui/accounts/AccountsPage.h"

#include "app/core/accounts/CaCertificateFile.h"
#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/services/AccountService.h"
#include "app/core/storage/SettingsRepository.h"
#include "app/core/storage/UsageQueries.h"
#include "ui/accounts/AccountTableModel.h"
#include "ui/accounts/ChatGptLoginDialog.h"
#include "ui/accounts/OpenAIAccountDialog.h"
#include "ui/common/DialogService.h"
#include "ui/common/FlowLayout.h"
#include "ui/common/MessageBanner.h"
#include "ui/common/SecretBackendText.h"
#include "proxy/upstream/CaBundle.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace Console {

namespace {

QPushButton *button(const QString &text, const QString &objectName, const QString &toolTip, QWidget *parent)
{
    auto *result = new QPushButton(text, parent);
    result->setObjectName(objectName);
    result->setToolTip(toolTip);
    return result;
}

} // namespace

AccountsPage::AccountsPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent),
      m_context(context),
      m_service(std::make_unique<Core::AccountService>(context.runtime.database(), context.runtime.secrets()))
{
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("accountsBanner"));
    m_model = new AccountTableModel(this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("accountsTable"));
    m_table->setAccessibleName(tr("Accounts"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setTabKeyNavigation(false); // Tab leaves the table; arrows move between rows
    m_table->verticalHeader()->hide();
    // A pool has a handful of accounts: measuring their rows is cheap.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(AccountTableModel::Quota, QHeaderView::Stretch);
    m_table->setWordWrap(false);

    auto *signIn = button(tr("Sign in with ChatGPT…"), QStringLiteral("accountsSignIn"),
                          tr("Add (or log in again to) a ChatGPT account through the browser"), this);
    auto *signInDevice = button(tr("Device code…"), QStringLiteral("accountsSignInDevice"),
                                tr("Sign in on another device (phone, a machine with a browser) with a code"), this);
    auto *import = button(tr("Import auth.json…"), QStringLiteral("accountsImport"),
                          tr("Add the ChatGPT account the Codex CLI is logged in with (~/.codex/auth.json)"), this);
    auto *addOpenAI = button(tr("Add OpenAI-compatible…"), QStringLiteral("accountsAddOpenAI"),
                             tr("An account with an API key for an OpenAI-compatible base URL"), this);
    m_setToken = button(tr("Set token…"), QStringLiteral("accountsSetToken"),
                        tr("Replace the selected account's token; an account that needs re-auth becomes usable"), this);
    m_setCa = button(tr("Company CA…"), QStringLiteral("accountsSetCa"),
                     tr("The CA the selected OpenAI-compatible account trusts besides the system's"), this);
    m_pause = button(tr("Pause"), QStringLiteral("accountsPause"), tr("Keep the selected account out of routing"), this);
    m_resume = button(tr("Resume"), QStringLiteral("accountsResume"), tr("Route to the selected account again"), this);
    m_remove = button(tr("Remove…"), QStringLiteral("accountsRemove"),
                      tr("Delete the selected account and its tokens"), this);
    m_routing = new QComboBox(this);
    m_routing->setObjectName(QStringLiteral("accountsRouting"));
    m_routing->setToolTip(tr("How a request without a sticky account picks one"));
    m_routing->addItem(tr("Round robin"), QStringLiteral("round-robin"));
    m_routing->addItem(tr("Fill first (in order)"), QStringLiteral("fill-first"));
    m_routing->addItem(tr("Most quota left"), QStringLiteral("usage"));

    auto *actions = new FlowLayout; // wraps on a narrow window
    for (QPushButton *action : {signIn, signInDevice, import, addOpenAI, m_setToken, m_setCa, m_pause, m_resume, m_remove})
        actions->addWidget(action);
    auto *routingBox = new QWidget(this); // the label wraps with its combo box
    auto *routingRow = new QHBoxLayout(routingBox);
    routingRow->setContentsMargins(0, 0, 0, 0);
    auto *routingLabel = new QLabel(tr("&Routing:"), routingBox);
    routingLabel->setBuddy(m_routing);
    routingRow->addWidget(routingLabel);
    routingRow->addWidget(m_routing);
    actions->addWidget(routingBox);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(actions);
    layout->addWidget(m_table, 1);
    // Tab follows the layout: the actions, the routing, then the table.
    setTabOrder(m_remove, m_routing);
    setTabOrder(m_routing, m_table);

    connect(signIn, &QPushButton::clicked, this, [this] { this->signIn(false); });
    connect(signInDevice, &QPushButton::clicked, this, [this] { this->signIn(true); });
    connect(import, &QPushButton::clicked, this, &AccountsPage::importAuthJson);
    connect(addOpenAI, &QPushButton::clicked, this, &AccountsPage::addOpenAI);
    connect(m_setToken, &QPushButton::clicked, this, &AccountsPage::setToken);
    connect(m_setCa, &QPushButton::clicked, this, &AccountsPage::setCa);
    connect(m_pause, &QPushButton::clicked, this, [this] { setPaused(true); });
    connect(m_resume, &QPushButton::clicked, this, [this] { setPaused(false); });
    connect(m_remove, &QPushButton::clicked, this, &AccountsPage::removeAccount);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AccountsPage::updateActions);
    connect(&context.runtime, &Core::ProxyRuntime::configChanged, this, &AccountsPage::reload);
    connect(&context.runtime, &Core::ProxyRuntime::accountStatusChanged, m_model, &AccountTableModel::applyStatus);
    connect(&context.runtime, &Core::ProxyRuntime::requestsRecorded, this,
            [this](const QList<Proxy::RequestRecord> &records) {
                // Already batched by the proxy (≤ every 100 ms): cheap in-memory sums, no SQL.
                for (const Proxy::RequestRecord &record : records)
                    if (record.accountId > 0)
                        m_model->addToday(record.accountId, 1, record.usage ? record.usage->total : 0);
            });
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, m_model, &AccountTableModel::tick);
    m_clock.start();

    reload();
    loadToday();
    connect(m_routing, &QComboBox::currentIndexChanged, this, &AccountsPage::changeRouting);
}

AccountsPage::~AccountsPage() = default;

void AccountsPage::reload()
{
    const std::optional<Core::AccountRecord> selected = selectedAccount();
    const auto accounts = m_service->list();
    if (!accounts)
        return showError(accounts.error());
    m_model->setAccounts(accounts.value());
    if (selected)
        if (const int row = m_model->rowOf(selected->id); row >= 0)
            m_table->selectRow(row);
    const auto settings = Core::SettingsRepository(m_context.runtime.database().connection()).load();
    if (settings) {
        const QSignalBlocker blocker(m_routing);
        m_routing->setCurrentIndex(m_routing->findData(Proxy::toString(settings.value().routing)));
    }
    updateActions();
}

void AccountsPage::loadToday()
{
    const QDateTime midnight(QDate::currentDate(), QTime(0, 0));
    const auto today = Core::UsageQueries(m_context.runtime.database().connection()).perAccountSince(midnight);
    if (!today)
        return;
    QHash<qint64, AccountTableModel::Today> counts;
    for (auto it = today.value().cbegin(); it != today.value().cend(); ++it)
        counts.insert(it.key(), {it.value().requestCount, it.value().total});
    m_model->setToday(counts);
}

std::optional<Core::AccountRecord> AccountsPage::selectedAccount() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    const Core::AccountInfo *info = m_model->accountAt(rows.constFirst().row());
    return info ? std::optional<Core::AccountRecord>(info->record) : std::nullopt;
}

void AccountsPage::updateActions()
{
    const std::optional<Core::AccountRecord> account = selectedAccount();
    m_setToken->setEnabled(account.has_value());
    m_setCa->setEnabled(account && !account->isChatGpt() && account->baseUrl.scheme() == u"https");
    m_remove->setEnabled(account.has_value());
    m_pause->setEnabled(account && account->state == Proxy::AccountState::Active);
    m_resume->setEnabled(account && account->state == Proxy::AccountState::Paused);
}

void AccountsPage::signIn(bool deviceCode)
{
    ChatGptLoginDialog dialog(deviceCode ? ChatGptLoginDialog::Mode::DeviceCode : ChatGptLoginDialog::Mode::Browser,
                              m_context.runtime.oauthEndpoints(), this);
    if (m_context.dialogs.exec(dialog) != QDialog::Accepted)
        return;
    const auto saved = m_service->saveChatGptLogin(dialog.tokens());
    if (!saved)
        return showError(saved.error());
    changed(tr("Signed in as %1 (\"%2\").").arg(saved.value().email, saved.value().name));
}

void AccountsPage::importAuthJson()
{
    const QString path = m_context.dialogs.openFileName(this, tr("Import a Codex CLI login"),
                                                        Core::AccountService::defaultCodexAuthPath(),
                                                        tr("Codex auth (auth.json);;JSON files (*.json)"));
    if (path.isEmpty())
        return;
    const auto imported = m_service->importCodexAuth(path);
    if (!imported)
        return showError(tr("Could not import %1: %2").arg(path, imported.error()));
    changed(tr("Imported \"%1\".").arg(imported.value().name));
}

void AccountsPage::addOpenAI()
{
    OpenAIAccountDialog dialog(OpenAIAccountDialog::Mode::AddAccount, {},
                               secretBackendText(m_context.runtime.secrets()), this);
    dialog.setCaFileChooser([this, &dialog] { return chooseCaFile(dialog); });
    if (m_context.dialogs.exec(dialog) != QDialog::Accepted)
        return;
    const std::optional<QByteArray> caPem = readCaFile(dialog.caFile(), tr("Not added"));
    if (!caPem)
        return;
    const auto added =
        m_service->addOpenAI(dialog.name(), QUrl(dialog.baseUrl(), QUrl::StrictMode), dialog.token(), *caPem);
    if (!added)
        return showError(added.error());
    changed(tr("Added \"%1\".").arg(added.value().name));
}

std::optional<QByteArray> AccountsPage::readCaFile(const QString &path, const QString &refusal)
{
    if (path.isEmpty())
        return QByteArray(); // the system CAs only
    const auto read = Core::CaCertificateFile::read(path);
    if (!read) {
        showError(tr("%1: %2").arg(refusal, read.error()));
        return std::nullopt;
    }
    return read.value();
}

QString AccountsPage::chooseCaFile(QWidget &dialog)
{
    return m_context.dialogs.openFileName(&dialog, tr("Company CA certificate"), {},
                                          tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
}

void AccountsPage::setCa()
{
    const std::optional<Core::AccountRecord> account = selectedAccount();
    if (!account)
        return;
    const QString current = Proxy::CaBundle::describe(QSslCertificate::fromData(account->caCertificatesPem, QSsl::Pem));
    OpenAIAccountDialog dialog(OpenAIAccountDialog::Mode::CaOnly, account->name, current, this);
    dialog.setCaFileChooser([this, &dialog] { return chooseCaFile(dialog); });
    if (m_context.dialogs.exec(dialog) != QDialog::Accepted)
        return;
    const std::optional<QByteArray> read = readCaFile(dialog.caFile(), tr("CA not changed"));
    if (!read)
        return;
    const QByteArray &caPem = *read;
    const auto updated = m_service->setCaCertificates(QString::number(account->id), caPem);
    if (!updated)
        return showError(updated.error());
    changed(caPem.isEmpty() ? tr("\"%1\" trusts the system CAs only.").arg(account->name)
                            : tr("\"%1\" trusts %2.")
                                  .arg(account->name,
                                       Proxy::CaBundle::describe(QSslCertificate::fromData(caPem, QSsl::Pem))));
}

void AccountsPage::setToken()
{
    const std::optional<Core::AccountRecord> account = selectedAccount();
    if (!account)
        return;
    OpenAIAccountDialog dialog(OpenAIAccountDialog::Mode::TokenOnly, account->name,
                               secretBackendText(m_context.runtime.secrets()), this);
    if (m_context.dialogs.exec(dialog) != QDialog::Accepted)
        return;
    const auto updated = m_service->setToken(QString::number(account->id), dialog.token());
    if (!updated)
        return showError(updated.error());
    changed(tr("New token stored for \"%1\".").arg(account->name));
}

void AccountsPage::setPaused(bool paused)
{
    const std::optional<Core::AccountRecord> account = selectedAccount();
    if (!account)
        return;
    const auto updated = m_service->setPaused(QString::number(account->id), paused);
    if (!updated)
        return showError(updated.error());
    changed(paused ? tr("\"%1\" is paused.").arg(account->name) : tr("\"%1\" is routed to again.").arg(account->name));
}

void AccountsPage::removeAccount()
{
    const std::optional<Core::AccountRecord> account = selectedAccount();
    if (!account
        || !m_context.dialogs.confirm(this, tr("Remove account"),
                                      tr("Remove \"%1\" and its tokens? Requests are no longer routed to it.")
                                          .arg(account->name),
                                      tr("Remove")))
        return;
    if (const Core::Status removed = m_service->remove(QString::number(account->id)); !removed)
        return showError(removed.error());
    changed(tr("Removed \"%1\".").arg(account->name));
}

void AccountsPage::changeRouting(int index)
{
    const QString value = m_routing->itemData(index).toString();
    const Core::Status saved =
        Core::SettingsRepository(m_context.runtime.database().connection()).set(QStringLiteral("routing"), value);
    if (!saved)
        return showError(saved.error());
    changed(tr("Routing: %1.").arg(m_routing->itemText(index)));
}

void AccountsPage::changed(const QString &message)
{
    m_banner->showMessage(MessageBanner::Kind::Info, message);
    m_context.runtime.publishConfig(); // reloads the pool into the proxy and this page (configChanged)
}

void AccountsPage::showError(const QString &message)
{
    m_banner->showMessage(MessageBanner::Kind::Error, message);
}

} // namespace Console
