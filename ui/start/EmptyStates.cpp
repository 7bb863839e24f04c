// SPDX-License-Identifier: MIT
#include "ui/start/EmptyStates.h"

#include "ui/accounts/AccountTableModel.h"
#include "ui/accounts/AccountsPage.h"
#include "ui/common/EmptyState.h"
#include "ui/keys/KeyTableModel.h"
#include "ui/keys/KeysPage.h"
#include "ui/start/StartActions.h"
#include "ui/trace/AuthTraceModel.h"
#include "ui/trace/TracePage.h"
#include "ui/usage/UsagePage.h"

#include <QPushButton>
#include <QTableView>

namespace Console {

namespace {
QTableView &tableOf(QWidget &page, const QString &objectName)
{
    auto *table = page.findChild<QTableView *>(objectName);
    Q_ASSERT_X(table, "addEmptyStates", "a page's table was renamed");
    return *table;
}
} // namespace

void addEmptyStates(KeysPage &keys, AccountsPage &accounts, UsagePage &usage, TracePage &trace,
                    StartActions &actions)
{
    auto *noKeys = new EmptyState(tableOf(keys, QStringLiteral("keyTable")), keys.model(),
                                  EmptyState::tr("No keys yet. Clients authenticate with a Keygate key."));
    QObject::connect(noKeys->addAction(EmptyState::tr("Create key…"), QStringLiteral("keysEmptyCreateKey")),
                     &QPushButton::clicked, &actions, &StartActions::createKey);

    auto *noAccounts = new EmptyState(
        tableOf(accounts, QStringLiteral("accountsTable")), accounts.model(),
        EmptyState::tr("No upstream accounts yet. Keygate forwards your clients' requests to one of them."));
    QObject::connect(
        noAccounts->addAction(EmptyState::tr("Sign in with ChatGPT…"), QStringLiteral("accountsEmptySignIn")),
        &QPushButton::clicked, &actions, &StartActions::signInWithChatGpt);
    QObject::connect(
        noAccounts->addAction(EmptyState::tr("Import auth.json…"), QStringLiteral("accountsEmptyImport")),
        &QPushButton::clicked, &actions, &StartActions::importCodexAuth);
    QObject::connect(noAccounts->addAction(EmptyState::tr("Add OpenAI-compatible…"),
                                           QStringLiteral("accountsEmptyAddOpenAI")),
                     &QPushButton::clicked, &actions, &StartActions::addOpenAICompatible);

    QTableView &usageTable = tableOf(usage, QStringLiteral("usageTable"));
    auto *noUsage =
        new EmptyState(usageTable, *usageTable.model(),
                       EmptyState::tr("No keys yet. Requests and tokens are counted per key here."));
    QObject::connect(noUsage->addAction(EmptyState::tr("Create key…"), QStringLiteral("usageEmptyCreateKey")),
                     &QPushButton::clicked, &actions, &StartActions::createKey);

    auto *noTrace = new EmptyState(
        tableOf(trace, QStringLiteral("traceTable")), trace.model(),
        EmptyState::tr(
            "No requests yet. Each request's auth decision, accepted or refused and why, appears here."));
    QObject::connect(
        noTrace->addAction(EmptyState::tr("Connect a client…"), QStringLiteral("traceEmptyConnectClient")),
        &QPushButton::clicked, &actions, &StartActions::connectClient);
}

} // namespace Console
