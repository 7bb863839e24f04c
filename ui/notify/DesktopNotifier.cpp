// SPDX-License-Identifier: MIT
#include "ui/notify/DesktopNotifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QVariantMap>

namespace Console {

namespace {

constexpr auto Service = "org.freedesktop.Notifications";
constexpr auto Path = "/org/freedesktop/Notifications";
constexpr uchar NormalUrgency = 1;
constexpr uchar CriticalUrgency = 2;

} // namespace

bool DesktopNotifier::isAvailable()
{
    const QDBusConnection bus = QDBusConnection::sessionBus();
    return bus.isConnected() && bus.interface() &&
           bus.interface()->isServiceRegistered(QLatin1String(Service));
}

bool DesktopNotifier::notify(const QString &title, const QString &text, bool critical)
{
    QDBusMessage call = QDBusMessage::createMethodCall(QLatin1String(Service), QLatin1String(Path),
                                                       QLatin1String(Service), QStringLiteral("Notify"));
    const QVariantMap hints{
        {QStringLiteral("urgency"), QVariant::fromValue(critical ? CriticalUrgency : NormalUrgency)}};
    // app_name, replaces_id, app_icon, summary, body (plain: servers may read markup), actions, hints,
    // timeout
    call << QStringLiteral("Keygate") << uint(0) << QStringLiteral("keygate") << title << text.toHtmlEscaped()
         << QStringList() << hints << int(-1);
    return QDBusConnection::sessionBus().send(call);
}

} // namespace Console
