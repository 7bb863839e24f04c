// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/storage/KeyRecord.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace Console {

class KeyPolicyEditor;
class StatusLabel;

/// Name, optional expiry ("never" by default) and note of a key, for New key and Edit; Edit adds
/// the key's policy (KeyPolicyEditor). It only collects input: OK is disabled, with the reason in the
/// dialog, while the expiry is in the past or invalid, and Save is refused with a message while the
/// policy fields do not parse; KeyService / KeyPolicyService validate and save.
/// GUI thread.
class KeyEditDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Mode
    {
        Create,
        Edit
    };

    explicit KeyEditDialog(Mode mode, QWidget *parent = nullptr);

    /// Fills the fields from @p key (Edit).
    void setKey(const Core::KeyRecord &key);

    QString name() const;
    QString note() const;
    /// UTC; nullopt = never expires.
    std::optional<QDateTime> expiresAt() const;
    /// The policy entered (Edit, after the dialog was accepted); nullopt in Create mode.
    std::optional<Proxy::KeyPolicy> policy() const { return m_acceptedPolicy; }
    /// The validation message shown in the dialog, empty when none.
    QString errorText() const;

private:
    void updateState();
    void tryAccept();
    /// Why the expiry cannot be saved (in the past, invalid), empty when it can or the key never expires.
    QString expiryProblem() const;

    QLineEdit *m_name = nullptr;
    QCheckBox *m_never = nullptr;
    QDateTimeEdit *m_expiry = nullptr;
    QLineEdit *m_note = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    KeyPolicyEditor *m_policy = nullptr; ///< Edit mode only
    StatusLabel *m_error = nullptr;
    std::optional<Proxy::KeyPolicy> m_acceptedPolicy;
    QString m_shownExpiryProblem; ///< the expiry message m_error shows, empty when it shows none
};

} // namespace Console
