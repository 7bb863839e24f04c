// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/storage/KeyRecord.h"

#include <QDialog>

class QComboBox;
class QLabel;

namespace Core {
class Database;
}

namespace Console {

/// "Reset usage…" of the Keys page: asks which limits of one key to restart (all, or one) and, on
/// Reset, restarts their windows from now (Core::UsageResetService; recorded in the auth trace). The
/// history stays. A failure is shown in the dialog, which stays open. The caller publishes the keys
/// when it was accepted. GUI thread.
class UsageResetDialog final : public QDialog
{
    Q_OBJECT

public:
    UsageResetDialog(const Core::KeyRecord &key, Core::Database &database, QWidget *parent = nullptr);

    /// After acceptance: what was reset, e.g. `The usage of "ci" was reset: tokens / day …`.
    QString outcome() const { return m_outcome; }

private:
    void reset();

    Core::KeyRecord m_key;
    Core::Database &m_database;
    QComboBox *m_limits = nullptr;
    QLabel *m_error = nullptr;
    QString m_outcome;
};

} // namespace Console
