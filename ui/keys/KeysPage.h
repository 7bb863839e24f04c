// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/services/KeyService.h"

#include "ui/shell/ConsoleContext.h"

#include <QTimer>
#include <QWidget>

#include <optional>

class QAction;
class QGroupBox;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace Console {

class ClipboardGuard;
class KeyPlaintextActions;
class KeyTableModel;
class KeyUsageFeed;
class LimitBarsView;
class MessageBanner;

/// The Keys page: a sortable, filterable table of keys with live usage and limit use, the limit
/// bars of the selected key, and the key actions (new, reveal, copy, edit with policy,
/// enable/disable, regenerate, reset usage, delete, connect a client) as buttons, a context menu and shortcuts. Every change is published to the running proxy at once. Plaintext
/// exists only in the secret dialogs and the clipboard guard. GUI thread.
class KeysPage final : public QWidget
{
    Q_OBJECT

public:
    explicit KeysPage(ConsoleContext &context, QWidget *parent = nullptr);
    ~KeysPage() override;

    KeyTableModel &model() const { return *m_model; }
    LimitBarsView &limitBars() const { return *m_bars; }
    ClipboardGuard &clipboard() const { return *m_clipboard; }
    /// Where "Write to Pi config" writes (default: PiConfigFile::defaultPath()).
    void setPiConfigPath(const QString &path) { m_piConfigPath = path; }
    /// Makes key @p id the current row; false when it is not shown.
    bool selectKey(qint64 id);
    // Also offered by Get started and the empty states.
    void newKey();
    void connectClient(); ///< for the selected key

signals:
    /// The client snippets were opened (Get started ticks its "connect a client" step).
    void clientSnippetsShown();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QAction *addKeyAction(const QString &objectName, const QString &text, const QString &toolTip,
                          const QKeySequence &shortcut, void (KeysPage::*handler)());
    void buildLayout();
    void reloadKeys();
    void loadUsage();
    void loadLimitUse();
    void updateActions();
    std::optional<Core::KeyRecord> selectedKey() const;
    Core::KeyService keyService() const;
    QString storedIn() const;
    void reportSecret(const Core::SecretResult &result);
    void published();
    void showError(const QString &text);

    void revealKey();
    void copyKey();
    void editKey();
    void toggleKey();
    void regenerateKey();
    void resetUsage();
    void deleteKey();
    void showContextMenu(const QPoint &position);

    ConsoleContext &m_context;
    KeyTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    KeyUsageFeed *m_feed = nullptr;
    ClipboardGuard *m_clipboard = nullptr;
    MessageBanner *m_banner = nullptr;
    QLineEdit *m_filter = nullptr;
    QTableView *m_table = nullptr;
    QGroupBox *m_barsBox = nullptr;
    LimitBarsView *m_bars = nullptr;
    QTimer m_limitUseTimer; ///< coalesces limit reports for the Limits column (500 ms)
    QList<QAction *> m_actions; ///< in toolbar and context-menu order
    QAction *m_new = nullptr;
    QAction *m_toggle = nullptr;
    QAction *m_resetUsage = nullptr;
    QAction *m_copy = nullptr;
    KeyPlaintextActions *m_plaintext = nullptr; ///< Reveal and Copy
    QString m_piConfigPath;
};

} // namespace Console
