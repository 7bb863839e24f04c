// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/storage/KeyRecord.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QLineEdit;

namespace Console {

/// Name, optional expiry ("never" by default) and note of a key, for New key and Edit. It only
/// collects input; KeyService validates and saves. GUI thread.
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

private:
    void updateState();

    QLineEdit *m_name = nullptr;
    QCheckBox *m_never = nullptr;
    QDateTimeEdit *m_expiry = nullptr;
    QLineEdit *m_note = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace Console
