// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/storage/NotificationMutes.h"

#include <QGroupBox>
#include <QHash>

class QCheckBox;
class QLabel;

namespace Core {
class Database;
}

namespace Console {

/// The Settings page's "Notifications" group: one check box per notification, checked = shown.
/// A change is saved at once (NotificationMutes), so it needs no Apply. GUI thread.
class NotificationSettingsBox final : public QGroupBox
{
    Q_OBJECT

public:
    explicit NotificationSettingsBox(Core::Database &database, QWidget *parent = nullptr);

    /// "notifyKeyLimitCheckBox" etc.
    static QString objectNameOf(Core::NotificationKind kind);

private:
    void load();
    void store(Core::NotificationKind kind, bool shown);

    Core::Database &m_database;
    QHash<Core::NotificationKind, QCheckBox *> m_boxes;
    QLabel *m_error = nullptr;
};

} // namespace Console
