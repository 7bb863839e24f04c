// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/storage/SettingsRepository.h"

#include "ui/shell/ConsoleContext.h"

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace Console {

class MessageBanner;

/// The Settings page: listen address and port, require-key, request-body limit, auth-event
/// retention, start minimised to the tray and start at login (the XDG autostart entry). Apply
/// validates (StoredSettings::validate), saves, publishes the configuration to the running proxy
/// and restarts it when the listen address changed; Revert reloads. The form follows changes made
/// elsewhere (the CLI, the port-conflict banner) unless it has unsaved edits. GUI thread.
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
    void updateButtons();
    /// The form's values (not validated).
    Core::StoredSettings formSettings() const;

    ConsoleContext &m_context;
    MessageBanner *m_banner = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QCheckBox *m_requireKey = nullptr;
    QSpinBox *m_maxBody = nullptr;
    QSpinBox *m_retention = nullptr;
    QCheckBox *m_startMinimized = nullptr;
    QCheckBox *m_startAtLogin = nullptr;
    QPushButton *m_apply = nullptr;
    QPushButton *m_revert = nullptr;
    Core::StoredSettings m_stored;
    bool m_storedAutostart = false;
};

} // namespace Console
