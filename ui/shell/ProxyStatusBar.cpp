// SPDX-License-Identifier: MIT
#include "ui/shell/ProxyStatusBar.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/secrets/SecretStoreStatus.h"

#include "ui/common/SecretBackendText.h"
#include "ui/shell/RequestRateMeter.h"

#include <QKeySequence>
#include <QLabel>
#include <QPushButton>
#include <QStatusBar>

namespace Console {

namespace {
constexpr int StopGraceMs = 5000;
}

ProxyStatusBar::ProxyStatusBar(ConsoleContext &context, QStatusBar &bar) : QObject(&bar), m_context(context)
{
    m_proxyState = new QLabel(&bar);
    m_proxyState->setObjectName(QStringLiteral("proxyState"));
    m_proxyState->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_rate = new QLabel(&bar);
    m_rate->setObjectName(QStringLiteral("requestRate"));
    m_rate->setToolTip(tr("Requests per second through the proxy, and requests today"));
    m_secrets = new QLabel(&bar);
    m_secrets->setObjectName(QStringLiteral("keychainState"));
    m_toggle = new QPushButton(&bar);
    m_toggle->setObjectName(QStringLiteral("proxyToggle"));
    m_toggle->setFlat(true);
    bar.addWidget(m_proxyState, 1);
    bar.addPermanentWidget(m_rate);
    bar.addPermanentWidget(m_secrets);
    bar.addPermanentWidget(m_toggle);

    connect(m_toggle, &QPushButton::clicked, this, [this] { toggle(m_context.runtime); });
    connect(&context.runtime, &Core::ProxyRuntime::stateChanged, this, &ProxyStatusBar::showProxyState);
    connect(&context.secretStatus, &Core::SecretStoreStatus::changed, this, &ProxyStatusBar::showSecretState);
    connect(&context.requestRate, &RequestRateMeter::updated, this, [this](double perSecond, qint64 today) {
        m_rate->setText(tr("%1 req/s · %2 today").arg(perSecond, 0, 'f', 0).arg(today));
    });
    m_rate->setText(tr("0 req/s · %1 today").arg(context.requestRate.today()));
    showProxyState();
    showSecretState();
}

QString ProxyStatusBar::stateText(const Core::ProxyRuntime &runtime)
{
    switch (runtime.state()) {
    case Core::ProxyRuntime::State::Listening:
        return tr("Listening on http://%1").arg(runtime.stateDetail());
    case Core::ProxyRuntime::State::Starting:
        return tr("Starting…");
    case Core::ProxyRuntime::State::Stopping:
        return tr("Stopping (letting open streams finish)…");
    case Core::ProxyRuntime::State::Stopped:
        return tr("Proxy stopped");
    case Core::ProxyRuntime::State::Failed:
        return tr("Proxy error: %1").arg(runtime.stateDetail());
    }
    return {};
}

bool ProxyStatusBar::isRunning(const Core::ProxyRuntime &runtime)
{
    return runtime.state() == Core::ProxyRuntime::State::Listening
           || runtime.state() == Core::ProxyRuntime::State::Starting;
}

void ProxyStatusBar::toggle(Core::ProxyRuntime &runtime)
{
    if (isRunning(runtime))
        runtime.stopProxy(StopGraceMs);
    else if (runtime.state() != Core::ProxyRuntime::State::Stopping)
        runtime.restartProxy(StopGraceMs);
}

void ProxyStatusBar::showProxyState()
{
    m_proxyState->setText(stateText(m_context.runtime));
    m_toggle->setText(isRunning(m_context.runtime) || m_context.runtime.state() == Core::ProxyRuntime::State::Stopping
                          ? tr("Stop proxy")
                          : tr("Start proxy"));
    m_toggle->setEnabled(m_context.runtime.state() != Core::ProxyRuntime::State::Stopping);
    m_toggle->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+P"))); // setText() reset it to the mnemonic
    m_toggle->setToolTip(m_toggle->text() + tr(" (Ctrl+Shift+P)"));
}

void ProxyStatusBar::showSecretState()
{
    m_secrets->setText(m_context.secretStatus.summary());
    const QString where = tr("Key and token secrets are kept in %1.")
                              .arg(secretBackendText(m_context.secretStatus.backendName()));
    const QString problem = m_context.secretStatus.problem();
    m_secrets->setToolTip(problem.isEmpty() ? where : where + u'\n' + problem);
}

} // namespace Console
