// SPDX-License-Identifier: MIT
#include "ui/shell/ListenProblemBanner.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/storage/SettingsRepository.h"
#include "ui/common/MessageBanner.h"

#include <QPushButton>
#include <QSpinBox>

namespace Console {

namespace {
constexpr int RestartGraceMs = 2000;
}

ListenProblemBanner::ListenProblemBanner(ConsoleContext &context, MessageBanner &banner)
    : QObject(&banner), m_context(context), m_banner(banner)
{
    connect(&context.runtime, &Core::ProxyRuntime::failed, this, &ListenProblemBanner::showFailure);
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
    Core::SettingsRepository settings(m_context.runtime.database().connection());
    const Core::Result<Core::StoredSettings> current = settings.load();
    if (!current)
        return m_banner.showMessage(MessageBanner::Kind::Error, current.error());
    Core::StoredSettings changed = current.value();
    changed.listenPort = quint16(port);
    if (const Core::Status saved = settings.setListen(changed.listen()); !saved)
        return m_banner.showMessage(MessageBanner::Kind::Error, saved.error());
    m_banner.dismiss();
    m_context.runtime.restartProxy(RestartGraceMs);
}

} // namespace Console
