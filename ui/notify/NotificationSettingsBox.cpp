// SPDX-License-Identifier: MIT
#include "ui/notify/NotificationSettingsBox.h"

#include "app/core/storage/Database.h"

#include <QCheckBox>
#include <QLabel>
#include <QVBoxLayout>

namespace Console {

namespace {

QString label(Core::NotificationKind kind)
{
    switch (kind) {
    case Core::NotificationKind::KeyLimitReached:
        return NotificationSettingsBox::tr("A &key reached one of its limits");
    case Core::NotificationKind::AccountNeedsReauth:
        return NotificationSettingsBox::tr("An account needs a new si&gn-in");
    case Core::NotificationKind::PoolRateLimited:
        return NotificationSettingsBox::tr("Every account is rate l&imited");
    case Core::NotificationKind::ProxyDown:
        return NotificationSettingsBox::tr("The proxy st&opped or could not start");
    case Core::NotificationKind::KeyExpiring:
        return NotificationSettingsBox::tr("A key e&xpires within 3 days");
    }
    return {};
}

} // namespace

NotificationSettingsBox::NotificationSettingsBox(Core::Database &database, QWidget *parent)
    : QGroupBox(tr("Notifications"), parent), m_database(database)
{
    setObjectName(QStringLiteral("notificationSettings"));
    auto *layout = new QVBoxLayout(this);
    for (const Core::NotificationKind kind : Core::NotificationMutes::kinds()) {
        auto *box = new QCheckBox(label(kind), this);
        box->setObjectName(objectNameOf(kind));
        box->setToolTip(tr("Show a notification (tray message) when this happens; saved at once"));
        connect(box, &QCheckBox::toggled, this, [this, kind](bool shown) { store(kind, shown); });
        layout->addWidget(box);
        m_boxes.insert(kind, box);
    }
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("notificationSettingsError"));
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    load();
}

QString NotificationSettingsBox::objectNameOf(Core::NotificationKind kind)
{
    QString name = Core::NotificationMutes::name(kind); // "key-limit" → "notifyKeyLimitCheckBox"
    QString camel;
    bool upper = true;
    for (const QChar c : name) {
        if (c == u'-') {
            upper = true;
            continue;
        }
        camel += upper ? c.toUpper() : c;
        upper = false;
    }
    return QStringLiteral("notify") + camel + QStringLiteral("CheckBox");
}

void NotificationSettingsBox::load()
{
    const Core::NotificationMutes mutes(m_database.connection());
    for (auto it = m_boxes.cbegin(); it != m_boxes.cend(); ++it) {
        const auto muted = mutes.isMuted(it.key());
        const QSignalBlocker blocker(it.value());
        it.value()->setChecked(!muted || !muted.value());
    }
}

void NotificationSettingsBox::store(Core::NotificationKind kind, bool shown)
{
    const Core::Status stored = Core::NotificationMutes(m_database.connection()).setMuted(kind, !shown);
    m_error->setVisible(!stored);
    if (stored)
        return;
    m_error->setText(tr("Could not save: %1").arg(stored.error()));
    const QSignalBlocker blocker(m_boxes.value(kind));
    m_boxes.value(kind)->setChecked(!shown);
}

} // namespace Console
