// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/policy/LimitStatus.h"

#include <QList>
#include <QTimer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QVBoxLayout;

namespace Core {
class ProxyRuntime;
}

namespace Console {

/// Each limit of one key as a labelled bar: "tokens / day — 12,345 of 100,000 (88 % left) · resets
/// in 3 h 12 min", the bar clamped at 100 % and coloured from 80 % used and when exhausted. Reads
/// ProxyRuntime::limitStatuses() when the key is set and on limitStatusesChanged() / keysChanged()
/// (while hidden only once it is shown again); the countdown ticks every second. GUI thread.
class LimitBarsView final : public QWidget
{
    Q_OBJECT

public:
    explicit LimitBarsView(Core::ProxyRuntime &runtime, QWidget *parent = nullptr);

    /// Shows the limits of key @p keyId; 0 or less = no key.
    void setKey(qint64 keyId);
    qint64 keyId() const { return m_keyId; }
    /// Reads the statuses again from the runtime.
    void refresh();

    const QList<Proxy::LimitStatus> &statuses() const { return m_statuses; }
    /// The line of each bar, in order (what the labels show).
    QStringList texts() const;
    /// The text shown instead of bars (no key, no limits); empty while bars are shown.
    QString emptyText() const;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    struct Row final
    {
        QLabel *label = nullptr;
        QProgressBar *bar = nullptr;
    };
    void setRowCount(int count);
    void updateRows();
    void tick();

    Core::ProxyRuntime &m_runtime;
    qint64 m_keyId = 0;
    QList<Proxy::LimitStatus> m_statuses;
    QList<Row> m_rows;
    QLabel *m_empty = nullptr;
    QVBoxLayout *m_layout = nullptr;
    QTimer m_countdown;
    bool m_stale = false; ///< the runtime reported changes while hidden
};

} // namespace Console
