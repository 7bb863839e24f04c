// SPDX-License-Identifier: MIT
#include "ui/shell/ListenProblemBanner.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/storage/SettingsRepository.h"

#include "ui/common/MessageBanner.h"

#include <QPushButton>
#include <QSpinBox>

#include <utility>

namespace Console {

ListenProblemBanner::ListenProblemBanner(ConsoleContext &context, MessageBanner &banner)
    : QObject(&banner), m_context(context), m_banner(banner)
{
    connect(&context.runtime, &Core::ProxyRuntime::failed, this, &ListenProblemBanner::showFailure);
    // The port is saved only once the proxy listens there.
    connect(&context.runtime, &Core::ProxyRuntime::listenerMoved, this, [this](const QString &hostPort) {
        if (std::exchange(m_moving, false))
            saveListen(hostPort);
    });
    connect(&context.runtime, &Core::ProxyRuntime::listenerMoveFailed, this, [this](const QString &message) {
        if (std::exchange(m_moving, false))
            showFailure(message); // also when start() failed before the proxy thread tried (no failed())
    });
    connect(&context.runtime, &Core::ProxyRuntime::listening, &banner, [this] {
        if (m_banner.kind() == MessageBanner::Kind::Error)
            m_banner.dismiss();
    });
}

void ListenProblemBanner::showFailure(const QString &message)
{
    const Core::Result<Core::StoredSettings> settings =
        Core::SettingsRepository(m_context.runtime.database().connection()).load();
    const bool listenProblem = message.startsWith(u"cannot listen");
    m_banner.showMessage(MessageBanner::Kind::Error,
                         listenProblem ? tr("The proxy is not running: %1. Another program (or another Keygate) "
                                            "may be using that port; choose another one.")
                                             .arg(message)
                                       : tr("The proxy is not running: %1").arg(message));
    if (!listenProblem || !settings)
        return;
    auto *port = new QSpinBox;
    port->setObjectName(QStringLiteral("bannerPort"));
    port->setRange(1, 65535);
    port->setValue(settings.value().listenPort == 65535 ? 65534 : settings.value().listenPort + 1);
    port->setToolTip(tr("Port to listen on instead"));
    m_banner.addWidget(port);
    QPushButton *retry = m_banner.addAction(tr("Start on this port"));
    retry->setObjectName(QStringLiteral("bannerRetry"));
    connect(retry, &QPushButton::clicked, this, [this, port] { startOnPort(port->value()); });
}

void ListenProblemBanner::startOnPort(int port)
{
    const Core::Result<Core::StoredSettings> current =
        Core::SettingsRepository(m_context.runtime.database().connection()).load();
    if (!current)
        return m_banner.showMessage(MessageBanner::Kind::Error, current.error());
    Core::StoredSettings changed = current.value();
    changed.listenPort = quint16(port);
    const auto listen = Core::SettingsRepository::parseListen(changed.listen());
    if (!listen)
        return m_banner.showMessage(MessageBanner::Kind::Error, listen.error());
    // Start there first and save only what works: a taken port must not become the setting.
    if (!m_context.runtime.moveListener(listen.value().first, listen.value().second))
        return m_banner.showMessage(
            MessageBanner::Kind::Error,
            tr("The proxy is stopped: start it, or change the port on the Settings page."));
    m_moving = true;
    m_banner.dismiss();
}

void ListenProblemBanner::saveListen(const QString &hostPort)
{
    const Core::Status saved =
        Core::SettingsRepository(m_context.runtime.database().connection()).setListen(hostPort);
    if (!saved)
        m_banner.showMessage(
            MessageBanner::Kind::Error,
            tr("The proxy listens on %1, but that could not be saved: %2").arg(hostPort, saved.error()));
}

} // namespace Console
