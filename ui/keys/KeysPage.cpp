// SPDX-License-Identifier: MIT
#include "ui/keys/KeysPage.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/secrets/SecretStoreStatus.h"
#include "app/core/services/ClientSnippets.h"
#include "app/core/services/KeyPolicyService.h"
#include "app/core/storage/SettingsRepository.h"
#include "app/core/storage/UsageRepository.h"

#include "ui/common/DialogService.h"
#include "ui/common/FlowLayout.h"
#include "ui/common/LimitBarsView.h"
#include "ui/common/MessageBanner.h"
#include "ui/common/SecretBackendText.h"
#include "ui/keys/ClipboardGuard.h"
#include "ui/keys/ConnectClientDialog.h"
#include "ui/keys/KeyEditDialog.h"
#include "ui/keys/KeyLimitUse.h"
#include "ui/keys/KeyPlaintextActions.h"
#include "ui/keys/KeySecretDialog.h"
#include "ui/keys/KeyTableModel.h"
#include "ui/keys/KeyUsageFeed.h"
#include "ui/keys/PiConfigFile.h"
#include "ui/keys/UsageResetDialog.h"

#include <QAction>
#include <QGroupBox>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMenu>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace Console {

KeysPage::KeysPage(ConsoleContext &context, QWidget *parent)
    : QWidget(parent), m_context(context), m_piConfigPath(PiConfigFile::defaultPath())
{
    setObjectName(QStringLiteral("keysPage"));
    m_model = new KeyTableModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(KeyTableModel::SortRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setFilterKeyColumn(-1);
    m_feed = new KeyUsageFeed(std::chrono::milliseconds(250), this);
    m_clipboard = new ClipboardGuard(this);
    buildLayout();

    connect(&m_context.runtime, &Core::ProxyRuntime::keysChanged, this, &KeysPage::reloadKeys);
    m_limitUseTimer.setSingleShot(true);
    m_limitUseTimer.setInterval(500);
    connect(&m_limitUseTimer, &QTimer::timeout, this, &KeysPage::loadLimitUse);
    connect(&m_context.runtime, &Core::ProxyRuntime::limitStatusesChanged, this, [this] {
        if (!m_limitUseTimer.isActive())
            m_limitUseTimer.start();
    });
    connect(&m_context.runtime, &Core::ProxyRuntime::requestsRecorded, m_feed, &KeyUsageFeed::add);
    connect(m_feed, &KeyUsageFeed::activityArrived, m_model, &KeyTableModel::addActivity);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &QSortFilterProxyModel::setFilterFixedString);
    // The actions follow the selection, not the current row: a mouse click makes the row current
    // before it selects it.
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &KeysPage::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &KeysPage::updateActions);
    connect(m_table, &QTableView::customContextMenuRequested, this, &KeysPage::showContextMenu);
    connect(m_table, &QTableView::doubleClicked, this, &KeysPage::editKey);

    reloadKeys();
    loadUsage();
    m_table->sortByColumn(KeyTableModel::Name, Qt::AscendingOrder);
    updateActions();
}

KeysPage::~KeysPage() = default;

QAction *KeysPage::addKeyAction(const QString &objectName, const QString &text, const QString &toolTip,
                                const QKeySequence &shortcut, void (KeysPage::*handler)())
{
    auto *action = new QAction(text, this);
    action->setObjectName(objectName);
    action->setShortcut(shortcut);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    action->setToolTip(QStringLiteral("%1 (%2)").arg(toolTip, shortcut.toString(QKeySequence::NativeText)));
    connect(action, &QAction::triggered, this, handler);
    addAction(action);
    m_actions.append(action);
    return action;
}

void KeysPage::buildLayout()
{
    m_new = addKeyAction(QStringLiteral("newKeyAction"), tr("&New key…"), tr("Create a key"),
                         QKeySequence(QStringLiteral("Ctrl+N")), &KeysPage::newKey);
    QAction *reveal = addKeyAction(QStringLiteral("revealKeyAction"), tr("&Reveal"),
                                   tr("Show the key, read from %1").arg(storedIn()),
                                   QKeySequence(QStringLiteral("Ctrl+R")), &KeysPage::revealKey);
    m_copy = addKeyAction(QStringLiteral("copyKeyAction"), tr("&Copy"),
                          tr("Copy the key; the clipboard is cleared after 60 s"),
                          QKeySequence(QKeySequence::Copy), &KeysPage::copyKey);
    addKeyAction(QStringLiteral("editKeyAction"), tr("&Edit…"),
                 tr("Name, note, expiry, allowed models and efforts, limits"),
                 QKeySequence(QStringLiteral("F2")), &KeysPage::editKey);
    m_toggle = addKeyAction(QStringLiteral("toggleKeyAction"), tr("&Disable"),
                            tr("Stop or allow requests with the key"), QKeySequence(QStringLiteral("Ctrl+E")),
                            &KeysPage::toggleKey);
    addKeyAction(QStringLiteral("regenerateKeyAction"), tr("Re&generate…"),
                 tr("Replace the key with a new one; the old one stops working"),
                 QKeySequence(QStringLiteral("Ctrl+Shift+R")), &KeysPage::regenerateKey);
    m_resetUsage = addKeyAction(QStringLiteral("resetUsageAction"), tr("Reset &usage…"),
                                tr("Restart the key's limit windows from now; history is kept"),
                                QKeySequence(QStringLiteral("Ctrl+Shift+U")), &KeysPage::resetUsage);
    addKeyAction(QStringLiteral("deleteKeyAction"), tr("De&lete…"),
                 tr("Delete the key and its entry in %1").arg(storedIn()), QKeySequence(QKeySequence::Delete),
                 &KeysPage::deleteKey);
    addKeyAction(QStringLiteral("connectClientAction"), tr("Connect a c&lient…"),
                 tr("Configuration for Pi, Codex CLI, the openai SDKs and curl"),
                 QKeySequence(QStringLiteral("Ctrl+K")), &KeysPage::connectClient);

    auto *toolbar = new FlowLayout; // wraps on a narrow window
    for (QAction *action : std::as_const(m_actions)) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setObjectName(action->objectName().replace(QLatin1String("Action"), QLatin1String("Button")));
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        toolbar->addWidget(button);
    }
    m_filter = new QLineEdit(this);
    m_filter->setObjectName(QStringLiteral("keyFilter"));
    m_filter->setAccessibleName(tr("Filter keys"));
    m_filter->setPlaceholderText(tr("Filter keys…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(tr("Show only keys whose name, key, dates or state contain this text (Ctrl+F)"));
    m_filter->setMaximumWidth(260);
    auto *focusFilter = new QAction(this);
    focusFilter->setShortcut(QKeySequence::Find);
    focusFilter->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(focusFilter, &QAction::triggered, m_filter,
            [this] { m_filter->setFocus(Qt::ShortcutFocusReason); });
    addAction(focusFilter);
    toolbar->addWidget(m_filter);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("keyTable"));
    m_table->setAccessibleName(tr("Keys"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setTabKeyNavigation(false); // Tab leaves the table; arrows move between rows
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(KeyTableModel::Name, QHeaderView::Stretch);

    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("keysBanner"));
    m_plaintext = new KeyPlaintextActions(m_context, *m_clipboard, *m_banner, *reveal, *m_copy, *this);

    m_barsBox = new QGroupBox(tr("Limits"), this);
    m_barsBox->setObjectName(QStringLiteral("keyLimitsBox"));
    m_barsBox->setToolTip(tr("Each limit of the selected key: used, maximum and when its window resets"));
    m_bars = new LimitBarsView(m_context.runtime, m_barsBox);
    auto *barsLayout = new QVBoxLayout(m_barsBox);
    barsLayout->addWidget(m_bars);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(toolbar);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_barsBox);
    setTabOrder(m_filter, m_table);
    m_table->installEventFilter(this);
}

bool KeysPage::eventFilter(QObject *watched, QEvent *event)
{
    // The table view would copy the focused cell's text on Ctrl+C; here Copy means the key.
    if (watched == m_table && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
        m_copy->trigger();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void KeysPage::reloadKeys()
{
    const Core::Result<QList<Core::KeyRecord>> keys = keyService().list();
    if (!keys) {
        showError(tr("Cannot load the keys: %1").arg(keys.error()));
        return;
    }
    m_model->setKeys(keys.value());
    loadLimitUse();
    updateActions();
}

void KeysPage::loadLimitUse()
{
    m_model->setLimitUse(KeyLimitUse::fullestPercent(m_context.runtime, *m_model));
}

void KeysPage::loadUsage()
{
    const Core::Result<QList<Core::KeyUsage>> usage =
        Core::UsageRepository(m_context.runtime.database().connection()).perKey();
    if (!usage) {
        showError(tr("Cannot load the usage of the keys: %1").arg(usage.error()));
        return;
    }
    QHash<qint64, Proxy::UsageTotals> totals;
    for (const Core::KeyUsage &key : usage.value())
        totals.insert(key.keyId, key.totals);
    m_model->setUsage(totals);
}

bool KeysPage::selectKey(qint64 id)
{
    const int sourceRow = m_model->rowOf(id);
    if (sourceRow < 0)
        return false;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
    if (!index.isValid())
        return false;
    m_table->setCurrentIndex(index);
    m_table->selectRow(index.row());
    return true;
}

std::optional<Core::KeyRecord> KeysPage::selectedKey() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const QModelIndex source = rows.isEmpty() ? QModelIndex() : m_proxy->mapToSource(rows.constFirst());
    if (!source.isValid())
        return std::nullopt;
    return m_model->keyAt(source.row());
}

void KeysPage::updateActions()
{
    const std::optional<Core::KeyRecord> key = selectedKey();
    for (QAction *action : std::as_const(m_actions))
        if (action != m_new)
            action->setEnabled(key.has_value());
    m_plaintext->follow(key); // an imported key has no plaintext to reveal or copy
    m_toggle->setText(key && !key->enabled ? tr("&Enable") : tr("&Disable"));
    m_resetUsage->setEnabled(key && !key->policy.limits.isEmpty());
    m_bars->setKey(key ? key->id : 0);
    m_barsBox->setTitle(key ? tr("Limits of %1").arg(key->name) : tr("Limits"));
}

Core::KeyService KeysPage::keyService() const
{
    return Core::KeyService(m_context.runtime.database(), m_context.runtime.secrets(),
                            Core::UnstoredSecret::ShowOnce);
}

QString KeysPage::storedIn() const
{
    return secretBackendText(m_context.runtime.secrets());
}

void KeysPage::reportSecret(const Core::SecretResult &result)
{
    m_context.secretStatus.report(result);
}

void KeysPage::published()
{
    m_context.runtime.publishKeys(); // the proxy sees the change now; keysChanged() reloads the table
}

void KeysPage::showError(const QString &text)
{
    m_banner->showMessage(MessageBanner::Kind::Error, text);
}

void KeysPage::showContextMenu(const QPoint &position)
{
    const QModelIndex index = m_table->indexAt(position);
    if (index.isValid())
        m_table->selectRow(index.row());
    QMenu menu(this);
    menu.setObjectName(QStringLiteral("keyContextMenu"));
    for (QAction *action : std::as_const(m_actions)) {
        menu.addAction(action);
        if (action == m_new || action == m_toggle)
            menu.addSeparator();
    }
    menu.exec(m_table->viewport()->mapToGlobal(position));
}

void KeysPage::newKey()
{
    KeyEditDialog dialog(KeyEditDialog::Mode::Create, this);
    if (m_context.dialogs.exec(dialog) != QDialog::Accepted)
        return;
    Core::Result<Core::CreatedKey> created =
        keyService().create(dialog.name(), dialog.expiresAt(), dialog.note());
    if (!created) {
        showError(tr("The key was not created: %1").arg(created.error()));
        return;
    }
    reportSecret(created.value().secretWrite);
    published();
    m_banner->dismiss();
    selectKey(created.value().record.id);
    const bool stored = created.value().isStored();
    KeySecretDialog secret(KeySecretDialog::Purpose::Created, created.value().record.name,
                           created.value().plaintext, stored ? storedIn() : QString(),
                           created.value().secretWrite.message, *m_clipboard, this);
    created.value().plaintext.clear();
    m_context.dialogs.exec(secret);
}

void KeysPage::revealKey()
{
    if (const std::optional<Core::KeyRecord> key = selectedKey(); key && !key->isImported())
        m_plaintext->reveal(*key);
}

void KeysPage::copyKey()
{
    if (const std::optional<Core::KeyRecord> key = selectedKey(); key && !key->isImported())
        m_plaintext->copy(*key);
}

void KeysPage::editKey()
{
    const std::optional<Core::KeyRecord> key = selectedKey();
    if (!key)
        return;
    KeyEditDialog dialog(KeyEditDialog::Mode::Edit, this);
    dialog.setKey(*key);
    if (m_context.dialogs.exec(dialog) != QDialog::Accepted)
        return;
    const Core::Result<Core::KeyRecord> updated =
        keyService().update(key->id, dialog.name(), dialog.note(), dialog.expiresAt());
    if (!updated) {
        showError(tr("\"%1\" was not changed: %2").arg(key->name, updated.error()));
        return;
    }
    const Core::Status saved = dialog.policy() ? Core::KeyPolicyService(m_context.runtime.database())
                                                     .changePolicy(key->id, key->policy, *dialog.policy())
                                               : Core::Status::success();
    if (!saved)
        showError(tr("The limits or allowed models of \"%1\" were not saved: %2").arg(key->name, saved.error()));
    published();
    if (saved)
        m_banner->dismiss();
}

void KeysPage::toggleKey()
{
    const std::optional<Core::KeyRecord> key = selectedKey();
    if (!key)
        return;
    const Core::Result<Core::KeyRecord> changed = keyService().setEnabled(key->id, !key->enabled);
    if (!changed) {
        showError(tr("\"%1\" was not changed: %2").arg(key->name, changed.error()));
        return;
    }
    published();
}

void KeysPage::regenerateKey()
{
    const std::optional<Core::KeyRecord> key = selectedKey();
    if (!key)
        return;
    if (!m_context.dialogs.confirm(
            this, tr("Regenerate key"),
            tr("Replace \"%1\" (%2) with a new key? The current key stops working at once; "
               "clients that use it must be given the new one.")
                .arg(key->name, key->maskedKey()),
            tr("Regenerate")))
        return;
    Core::Result<Core::CreatedKey> regenerated = keyService().regenerate(key->id);
    if (!regenerated) {
        showError(tr("\"%1\" was not regenerated: %2").arg(key->name, regenerated.error()));
        return;
    }
    reportSecret(regenerated.value().secretWrite);
    published();
    const bool stored = regenerated.value().isStored();
    KeySecretDialog secret(KeySecretDialog::Purpose::Regenerated, key->name, regenerated.value().plaintext,
                           stored ? storedIn() : QString(), regenerated.value().secretWrite.message,
                           *m_clipboard, this);
    regenerated.value().plaintext.clear();
    m_context.dialogs.exec(secret);
}

void KeysPage::resetUsage()
{
    const std::optional<Core::KeyRecord> key = selectedKey();
    if (!key)
        return;
    UsageResetDialog dialog(*key, m_context.runtime.database(), this);
    if (m_context.dialogs.exec(dialog) != QDialog::Accepted)
        return;
    published();
    m_banner->showMessage(MessageBanner::Kind::Info, dialog.outcome());
}

void KeysPage::deleteKey()
{
    const std::optional<Core::KeyRecord> key = selectedKey();
    if (!key)
        return;
    if (!m_context.dialogs.confirm(
            this, tr("Delete key"),
            tr("Delete \"%1\" (%2)? Requests with it are refused at once and its entry in %3 "
               "is removed. Its usage history is kept.")
                .arg(key->name, key->maskedKey(), storedIn()),
            tr("Delete")))
        return;
    Core::SecretResult outcome = Core::SecretResult::success();
    const Core::Status removed = keyService().remove(key->id, &outcome);
    if (!removed) {
        showError(tr("\"%1\" was not deleted: %2").arg(key->name, removed.error()));
        return;
    }
    if (outcome.error != Core::SecretError::NotFound)
        reportSecret(outcome);
    published();
    if (!removed.warning().isEmpty())
        m_banner->showMessage(MessageBanner::Kind::Warning, removed.warning());
}

void KeysPage::connectClient()
{
    const std::optional<Core::KeyRecord> key = selectedKey();
    if (!key)
        return;
    QStringList notes;
    QString listen = m_context.runtime.stateDetail();
    if (m_context.runtime.state() != Core::ProxyRuntime::State::Listening) {
        const auto settings = Core::SettingsRepository(m_context.runtime.database().connection()).load();
        listen = settings ? settings.value().listen() : Core::StoredSettings().listen();
        notes << tr("The proxy is not running: start it before using these.");
    }
    Core::SecretResult outcome;
    Core::Result<QString> plaintext = keyService().reveal(key->id, &outcome);
    reportSecret(outcome);
    const bool available = plaintext.ok();
    if (!available)
        notes << tr("The key itself could not be read (%1); paste it where the snippets say so.")
                     .arg(plaintext.error());
    if (!key->enabled)
        notes << tr("This key is disabled: enable it first.");
    const Core::ClientSnippets snippets(
        listen, available ? plaintext.value()
                          : tr("<paste your %1 key>").arg(QString::fromLatin1(Proxy::tokenPrefix(key->origin))));
    if (available)
        plaintext.value().clear();
    ConnectClientDialog dialog(snippets, key->name, available, notes.join(u' '), *m_clipboard, this);
    dialog.setPiConfigPath(m_piConfigPath);
    emit clientSnippetsShown();
    m_context.dialogs.exec(dialog);
}

} // namespace Console
