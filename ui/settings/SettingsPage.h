// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/storage/SettingsRepository.h"

#include "ui/shell/ConsoleContext.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace Console {

class MessageBanner;
class StatusLabel;

/// The Settings page: listen address and port, require-key, request-body limit, auth-event
/// retention, start minimised to the tray and start at login (the XDG autostart entry). Apply
/// validates (StoredSettings::validate; port 0 is refused inline), moves a running proxy to a changed
/// listen address first (ProxyRuntime::moveListener: the old listener stays when the new one cannot
/// be opened, and then nothing is saved and the reason shows under the field), then saves and
/// publishes the configuration; Revert reloads. The form follows changes made elsewhere (the CLI,
/// the port-conflict banner) unless it has unsaved edits. Unsaved edits stay across page switches
/// and are marked on the page and, through windowModified, in the sidebar. GUI thread.
class SettingsPage final : public QWidget
{
    Q_OBJECT

public:
    explicit SettingsPage(ConsoleContext &context, QWidget *parent = nullptr);

    /// The form differs from what is stored.
    bool hasUnsavedEdits() const;

private:
    void buildForm();
    void load();
    void apply();
    /// Saves @p settings (and the autostart choice) and publishes them; @p listenNote ends the message.
    void save(const Core::StoredSettings &settings, const QString &listenNote);
    void moveFinished(bool moved, const QString &detail);
    void updateButtons();
    /// Why the listen fields cannot be applied as they are (port 0), empty when they can.
    QString listenProblem() const;
    void showListenError(const QString &text);
    /// The form's values (not validated).
    Core::StoredSettings formSettings() const;

    ConsoleContext &m_context;
    MessageBanner *m_banner = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    StatusLabel *m_listenError = nullptr;
    QCheckBox *m_requireKey = nullptr;
    QSpinBox *m_maxBody = nullptr;
    QSpinBox *m_retention = nullptr;
    QSpinBox *m_requestLogRetention = nullptr; ///< its minimum shows "forever" (0)
    QComboBox *m_fallback = nullptr;
    QComboBox *m_metricsAccess = nullptr;
    QCheckBox *m_startMinimized = nullptr;
    QCheckBox *m_startAtLogin = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_revert = nullptr;
    QLabel *m_unsaved = nullptr;
    Core::StoredSettings m_stored;
    bool m_storedAutostart = false;
    std::optional<Core::StoredSettings> m_moving; ///< the settings applied while the proxy moves
};

} // namespace Console
