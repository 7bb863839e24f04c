// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include "proxy/policy/KeyPolicy.h"

#include <QWidget>

class QCheckBox;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace Console {

/// The policy part of the key editor: allowed models (a comma list), allowed reasoning efforts (a
/// check box each; none checked = all) and a table of limits (type, window, maximum, optional model)
/// with Add / Remove. It only collects and checks input; KeysPage saves through KeyPolicyService.
/// GUI thread.
class KeyPolicyEditor final : public QWidget
{
    Q_OBJECT

public:
    enum LimitColumn
    {
        TypeColumn,
        WindowColumn,
        MaxColumn,
        ModelColumn,
        LimitColumnCount
    };

    explicit KeyPolicyEditor(QWidget *parent = nullptr);

    /// Fills the fields from @p policy (limits keep their order).
    void setPolicy(const Proxy::KeyPolicy &policy);
    /// The policy the fields describe (limit ids 0), or what is wrong, naming the limit row.
    Core::Result<Proxy::KeyPolicy> policy() const;

    /// Appends a limit row (default: tokens per day, empty maximum) and focuses its maximum.
    void addLimitRow();
    int limitRowCount() const;

private:
    void appendLimit(const Proxy::KeyLimit &limit, const QString &maxText);
    void removeCurrentLimit();
    void updateMaxHint(int row);
    QWidget *cell(int row, int column) const;

    QLineEdit *m_models = nullptr;
    QList<QCheckBox *> m_efforts;
    QTableWidget *m_limits = nullptr;
    QPushButton *m_remove = nullptr;
};

} // namespace Console
