// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include <QObject>

class QWidget;

namespace Console {

class AccountsPage;
class KeysPage;
class MainWindow;

/// The first-run actions the checklist and the empty states offer: connect an upstream account
/// (three ways), create a key, connect a client. Each runs the flow of the page that owns it (its
/// dialogs, its checks, its banner), so there is one way to do each thing. When a flow ends in an
/// error, the owning page is shown so that its banner says why. GUI thread.
class StartActions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StartActions)

public:
    StartActions(ConsoleContext &context, MainWindow &window, AccountsPage &accounts, KeysPage &keys,
                 QObject *parent = nullptr);

    void signInWithChatGpt();
    void importCodexAuth();
    void addOpenAICompatible();
    void createKey();
    /// The client snippets for the newest enabled key; creates a key first when there is none.
    void connectClient();

private:
    /// Runs @p flow of page @p id and shows that page when its banner reports a new error.
    template <typename Flow> void runOn(const QString &id, QWidget &page, Flow flow);
    qint64 newestEnabledKey() const; ///< 0 when there is none

    ConsoleContext &m_context;
    MainWindow &m_window;
    AccountsPage &m_accounts;
    KeysPage &m_keys;
};

} // namespace Console
