// SPDX-License-Identifier: MIT
#include "ui/settings/SettingsPage.h"

#include "app/core/runtime/Autostart.h"
#include "app/core/runtime/ProxyRuntime.h"

#include "ui/common/MessageBanner.h"
#include "ui/common/StatusLabel.h"
#include "ui/notify/NotificationSettingsBox.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <utility>

namespace Console {

namespace {

/// "[::1]" → "::1": the host field takes IPv6 with or without brackets.
QString hostOf(const QString &text)
{
    const QString host = text.trimmed();
    return host.startsWith(u'[') && host.endsWith(u']') ? host.mid(1, host.size() - 2) : host;
}
} // namespace

SettingsPage::SettingsPage(ConsoleContext &context, QWidget *parent) : QWidget(parent), m_context(context)
{
    buildForm();
    load();
    connect(&context.runtime, &Core::ProxyRuntime::configChanged, this, [this] {
        if (!hasUnsavedEdits())
            load();
    });
    // The port-conflict banner stores another port and restarts without publishing.
    connect(&context.runtime, &Core::ProxyRuntime::listening, this, [this] {
        if (!hasUnsavedEdits())
            load();
    });
    connect(&context.runtime, &Core::ProxyRuntime::listenerMoved, this,
            [this](const QString &hostPort) { moveFinished(true, hostPort); });
    connect(&context.runtime, &Core::ProxyRuntime::listenerMoveFailed, this,
            [this](const QString &message) { moveFinished(false, message); });
    // "Saved, the proxy listens on …" must not stay up beside the window's "not running".
    connect(
        &context.runtime, &Core::ProxyRuntime::stateChanged, this, [this](Core::ProxyRuntime::State state) {
            if ((state == Core::ProxyRuntime::State::Failed || state == Core::ProxyRuntime::State::Stopped) &&
                m_banner->kind() == MessageBanner::Kind::Info)
                m_banner->dismiss();
        });
}

void SettingsPage::buildForm()
{
    m_banner = new MessageBanner(this);
    m_banner->setObjectName(QStringLiteral("settingsBanner"));

    m_host = new QLineEdit(this);
    m_host->setObjectName(QStringLiteral("settingsListenHost"));
    m_host->setPlaceholderText(QStringLiteral("127.0.0.1"));
    m_host->setToolTip(tr("IP address to listen on: 127.0.0.1 or ::1 for this computer only, localhost, "
                          "or a network address (then a Keygate key is required)"));
    m_port = new QSpinBox(this);
    m_port->setObjectName(QStringLiteral("settingsListenPort"));
    m_port->setRange(0, 65535); // 0 is shown when the CLI stored it, and refused when typed
    m_port->setToolTip(tr("TCP port of the proxy, 1 to 65535"));
    auto *listenRow = new QHBoxLayout;
    listenRow->addWidget(m_host, 1);
    auto *portLabel = new QLabel(tr("&Port"), this);
    portLabel->setBuddy(m_port);
    listenRow->addWidget(portLabel);
    listenRow->addWidget(m_port);
    m_listenError = new StatusLabel(this);
    m_listenError->setObjectName(QStringLiteral("settingsListenError"));
    m_listenError->setWordWrap(true);
    m_listenError->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_listenError->setStatus(StatusColors::Status::Error);
    m_listenError->setAccessibleName(tr("Listen address problem"));
    m_listenError->hide();

    m_requireKey = new QCheckBox(tr("Require a Keygate key for every request"), this);
    m_requireKey->setObjectName(QStringLiteral("settingsRequireKey"));
    m_requireKey->setToolTip(
        tr("Off: requests without a key are relayed too (only allowed on a loopback address)"));
    m_maxBody = new QSpinBox(this);
    m_maxBody->setObjectName(QStringLiteral("settingsMaxBody"));
    m_maxBody->setRange(Core::StoredSettings::MinBodyMib, Core::StoredSettings::MaxBodyMib);
    m_maxBody->setSuffix(tr(" MiB"));
    m_maxBody->setToolTip(tr("Larger request bodies are refused with 413"));
    m_retention = new QSpinBox(this);
    m_retention->setObjectName(QStringLiteral("settingsRetention"));
    m_retention->setRange(Core::StoredSettings::MinRetentionDays, Core::StoredSettings::MaxRetentionDays);
    m_retention->setSuffix(tr(" days"));
    m_retention->setToolTip(tr("Auth decisions older than this are deleted from the trace history"));
    // One step below the minimum stands for 0, keep every request (QSpinBox's special value).
    m_requestLogRetention = new QSpinBox(this);
    m_requestLogRetention->setObjectName(QStringLiteral("settingsRequestLogRetention"));
    m_requestLogRetention->setRange(Core::StoredSettings::MinRequestLogRetentionDays - 1,
                                    Core::StoredSettings::MaxRetentionDays);
    m_requestLogRetention->setSpecialValueText(tr("forever"));
    m_requestLogRetention->setSuffix(tr(" days"));
    m_requestLogRetention->setToolTip(tr("Requests older than this are deleted from the request log; daily "
                                         "totals per key are kept, so usage totals and limits stay exact"));

    m_fallback = new QComboBox(this);
    m_fallback->setObjectName(QStringLiteral("settingsApiKeyFallback"));
    m_fallback->addItem(tr("Always (when the Bearer is missing or not a valid key)"),
                        Proxy::toString(Proxy::ApiKeyFallback::Always));
    m_fallback->addItem(tr("Only after a placeholder Bearer, such as Pi's"),
                        Proxy::toString(Proxy::ApiKeyFallback::PlaceholderOnly));
    m_fallback->addItem(tr("Never (Authorization: Bearer only)"), Proxy::toString(Proxy::ApiKeyFallback::Never));
    m_fallback->setToolTip(tr("When the x-api-key header may decide after Authorization did not. \"Only after a "
                              "placeholder\" keeps Pi working, but a Keygate-shaped Bearer that is unknown, "
                              "disabled or expired is then refused whatever x-api-key holds"));

    m_metricsAccess = new QComboBox(this);
    m_metricsAccess->setObjectName(QStringLiteral("settingsMetricsAccess"));
    m_metricsAccess->addItem(tr("Local clients only"), Proxy::toString(Proxy::MetricsAccess::Loopback));
    m_metricsAccess->addItem(tr("Any valid Keygate key"), Proxy::toString(Proxy::MetricsAccess::Key));
    m_metricsAccess->addItem(tr("Off (404)"), Proxy::toString(Proxy::MetricsAccess::Off));
    m_metricsAccess->setToolTip(tr("Who may read the Prometheus metrics at GET /metrics"));

    auto *proxyBox = new QGroupBox(tr("Proxy"), this);
    auto *proxyForm = new QFormLayout(proxyBox);
    auto *listenLabel = new QLabel(tr("&Listen address"), this);
    listenLabel->setBuddy(m_host); // a row holding a layout gets no buddy (and no mnemonic) by itself
    proxyForm->addRow(listenLabel, listenRow);
    proxyForm->addRow(QString(), m_listenError);
    proxyForm->addRow(QString(), m_requireKey);
    proxyForm->addRow(tr("Request &body limit"), m_maxBody);
    proxyForm->addRow(tr("Keep auth &trace for"), m_retention);
    proxyForm->addRow(tr("Keep re&quest log for"), m_requestLogRetention);
    proxyForm->addRow(tr("x-api-key &fallback"), m_fallback);
    proxyForm->addRow(tr("Metri&cs (/metrics)"), m_metricsAccess);

    m_startMinimized = new QCheckBox(tr("Start &minimised to the tray"), this);
    m_startMinimized->setObjectName(QStringLiteral("settingsStartMinimized"));
    m_startMinimized->setToolTip(tr("Open only the tray icon when Keygate starts (needs a system tray)"));
    m_startAtLogin = new QCheckBox(tr("Start at &login"), this);
    m_startAtLogin->setObjectName(QStringLiteral("settingsStartAtLogin"));
    m_startAtLogin->setToolTip(
        tr("Adds Keygate to your desktop's autostart (%1)").arg(Core::Autostart::entryPath()));
    auto *desktopBox = new QGroupBox(tr("Desktop"), this);
    auto *desktopLayout = new QVBoxLayout(desktopBox);
    desktopLayout->addWidget(m_startMinimized);
    desktopLayout->addWidget(m_startAtLogin);

    m_revert = new QPushButton(tr("&Revert"), this);
    m_revert->setObjectName(QStringLiteral("settingsRevert"));
    m_revert->setToolTip(tr("Discard the changes on this page"));
    m_apply = new QPushButton(tr("&Apply"), this);
    m_apply->setObjectName(QStringLiteral("settingsApply"));
    m_apply->setToolTip(tr("Save and apply to the running proxy (Ctrl+S)"));
    auto *applyAction = new QAction(this);
    applyAction->setShortcut(QKeySequence::Save);
    applyAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addAction(applyAction);
    connect(applyAction, &QAction::triggered, this, [this] {
        if (m_apply->isEnabled())
            apply();
    });
    m_unsaved = new QLabel(tr("Unsaved changes"), this);
    m_unsaved->setObjectName(QStringLiteral("settingsUnsaved"));
    m_unsaved->setToolTip(tr("The form differs from the saved settings: Apply saves it, Revert discards it"));
    m_unsaved->hide();
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_unsaved);
    buttons->addStretch(1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(proxyBox);
    layout->addWidget(desktopBox);
    layout->addLayout(buttons);
    layout->addWidget(new NotificationSettingsBox(m_context.runtime.database(), this)); // saved at once, no Apply
    layout->addStretch(1);

    connect(m_apply, &QPushButton::clicked, this, &SettingsPage::apply);
    connect(m_revert, &QPushButton::clicked, this, [this] {
        m_banner->dismiss();
        load();
    });
    const auto listenEdited = [this] {
        showListenError(listenProblem()); // also clears the reason of a failed move
        updateButtons();
    };
    connect(m_host, &QLineEdit::textChanged, this, listenEdited);
    connect(m_port, &QSpinBox::valueChanged, this, listenEdited);
    for (QSpinBox *spin : {m_maxBody, m_retention, m_requestLogRetention})
        connect(spin, &QSpinBox::valueChanged, this, &SettingsPage::updateButtons);
    for (QCheckBox *check : {m_requireKey, m_startMinimized, m_startAtLogin})
        connect(check, &QCheckBox::toggled, this, &SettingsPage::updateButtons);
    connect(m_fallback, &QComboBox::currentIndexChanged, this, &SettingsPage::updateButtons);
    connect(m_metricsAccess, &QComboBox::currentIndexChanged, this, &SettingsPage::updateButtons);
}

Core::StoredSettings SettingsPage::formSettings() const
{
    Core::StoredSettings settings = m_stored; // keeps what the page does not show (routing, origins, …)
    settings.listenHost = hostOf(m_host->text());
    settings.listenPort = quint16(m_port->value());
    settings.requireKey = m_requireKey->isChecked();
    settings.maxBodyMib = m_maxBody->value();
    settings.authRetentionDays = m_retention->value();
    settings.requestLogRetentionDays =
        m_requestLogRetention->value() == m_requestLogRetention->minimum() ? 0 : m_requestLogRetention->value();
    settings.startMinimized = m_startMinimized->isChecked();
    settings.apiKeyFallback = Proxy::apiKeyFallbackFromString(m_fallback->currentData().toString());
    settings.metricsAccess = Proxy::metricsAccessFromString(m_metricsAccess->currentData().toString());
    return settings;
}

bool SettingsPage::hasUnsavedEdits() const
{
    return formSettings() != m_stored || m_startAtLogin->isChecked() != m_storedAutostart;
}

QString SettingsPage::listenProblem() const
{
    if (m_port->value() == 0 && m_stored.listenPort != 0)
        return tr("Port 0 is not a setting: it means a different port on every start, so clients could not "
                  "find the proxy. Choose a port from 1 to 65535.");
    return {};
}

void SettingsPage::showListenError(const QString &text)
{
    m_listenError->setText(text);
    m_listenError->setVisible(!text.isEmpty());
}

void SettingsPage::updateButtons()
{
    const bool edited = hasUnsavedEdits() && !m_moving;
    m_apply->setEnabled(edited && listenProblem().isEmpty());
    m_revert->setEnabled(edited);
    // Edits survive a page switch; the page and its sidebar entry (MainWindow) show that they wait.
    m_unsaved->setVisible(hasUnsavedEdits());
    setWindowModified(hasUnsavedEdits());
}

void SettingsPage::load()
{
    const Core::Result<Core::StoredSettings> stored =
        Core::SettingsRepository(m_context.runtime.database().connection()).load();
    if (!stored)
        m_banner->showMessage(MessageBanner::Kind::Error,
                              tr("The settings cannot be read: %1").arg(stored.error()));
    m_stored = stored ? stored.value() : Core::StoredSettings();
    m_storedAutostart = Core::Autostart().isEnabled();
    m_host->setText(m_stored.listenHost);
    m_port->setValue(m_stored.listenPort);
    m_requireKey->setChecked(m_stored.requireKey);
    m_maxBody->setValue(m_stored.maxBodyMib);
    m_retention->setValue(m_stored.authRetentionDays);
    m_requestLogRetention->setValue(m_stored.requestLogRetentionDays == 0 ? m_requestLogRetention->minimum()
                                                                          : m_stored.requestLogRetentionDays);
    m_startMinimized->setChecked(m_stored.startMinimized);
    m_fallback->setCurrentIndex(m_fallback->findData(Proxy::toString(m_stored.apiKeyFallback)));
    m_metricsAccess->setCurrentIndex(m_metricsAccess->findData(Proxy::toString(m_stored.metricsAccess)));
    m_startAtLogin->setChecked(m_storedAutostart);
    showListenError(listenProblem());
    updateButtons();
}

void SettingsPage::apply()
{
    if (m_moving)
        return;
    const Core::StoredSettings settings = formSettings();
    if (const QString problem = listenProblem(); !problem.isEmpty())
        return showListenError(problem);
    if (const Core::Status valid = settings.validate(); !valid)
        return m_banner->showMessage(MessageBanner::Kind::Error, tr("Not saved: %1.").arg(valid.error()));
    if (settings.listen() == m_stored.listen())
        return save(settings, {});
    const auto listen = Core::SettingsRepository::parseListen(settings.listen());
    if (!listen)
        return showListenError(tr("Not saved: %1.").arg(listen.error()));
    // Try the new address before anything is saved: a taken port leaves the proxy where it is.
    m_moving = settings;
    if (!m_context.runtime.moveListener(listen.value().first, listen.value().second)) {
        m_moving.reset();
        return save(
            settings,
            tr("The proxy is not running; it will listen on %1 when it starts.").arg(settings.listen()));
    }
    m_banner->showMessage(MessageBanner::Kind::Info, tr("Moving the proxy to %1…").arg(settings.listen()));
    updateButtons();
}

void SettingsPage::moveFinished(bool moved, const QString &detail)
{
    if (!m_moving)
        return; // not a move this page asked for
    const Core::StoredSettings settings = *std::exchange(m_moving, std::nullopt);
    if (moved)
        return save(settings, tr("The proxy now listens on %1.").arg(detail));
    m_banner->dismiss();
    const bool listening = m_context.runtime.state() == Core::ProxyRuntime::State::Listening;
    showListenError(
        tr("Not saved: %1. %2")
            .arg(detail, listening ? tr("The proxy still listens on %1.").arg(m_context.runtime.stateDetail())
                                   : tr("The proxy is not running.")));
    updateButtons();
}

void SettingsPage::save(const Core::StoredSettings &settings, const QString &listenNote)
{
    if (settings != m_stored) {
        const Core::Status saved =
            Core::SettingsRepository(m_context.runtime.database().connection()).save(settings);
        if (!saved) {
            if (settings.listen() != m_stored.listen()) // moved: go back to what is stored
                if (const auto back = Core::SettingsRepository::parseListen(m_stored.listen()))
                    m_context.runtime.moveListener(back.value().first, back.value().second);
            updateButtons();
            return m_banner->showMessage(MessageBanner::Kind::Error, tr("Not saved: %1").arg(saved.error()));
        }
    }
    QString autostartProblem;
    if (m_startAtLogin->isChecked() != m_storedAutostart)
        if (const Core::Status written = Core::Autostart().setEnabled(m_startAtLogin->isChecked()); !written)
            autostartProblem = written.error();

    m_stored = settings; // before publishing: configChanged reloads only an unedited form
    m_storedAutostart = Core::Autostart().isEnabled();
    QString problem;
    const auto watch = connect(&m_context.runtime, &Core::ProxyRuntime::configProblem, this,
                               [&problem](const QString &text) { problem = text; });
    m_context.runtime.publishConfig();
    disconnect(watch);
    load();
    if (!problem.isEmpty())
        return m_banner->showMessage(
            MessageBanner::Kind::Error,
            tr("Settings saved, but the proxy keeps its previous configuration: %1").arg(problem));
    if (!autostartProblem.isEmpty())
        return m_banner->showMessage(
            MessageBanner::Kind::Error,
            tr("Settings saved, but start at login could not be changed: %1").arg(autostartProblem));
    m_banner->showMessage(MessageBanner::Kind::Info, listenNote.isEmpty()
                                                         ? tr("Settings saved.")
                                                         : tr("Settings saved. %1").arg(listenNote));
}

} // namespace Console
