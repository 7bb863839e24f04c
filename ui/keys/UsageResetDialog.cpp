// SPDX-License-Identifier: MIT
#include "ui/keys/UsageResetDialog.h"

#include "app/core/services/UsageResetService.h"

#include "ui/common/LimitText.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace Console {

UsageResetDialog::UsageResetDialog(const Core::KeyRecord &key, Core::Database &database, QWidget *parent)
    : QDialog(parent), m_key(key), m_database(database)
{
    setObjectName(QStringLiteral("usageResetDialog"));
    setWindowTitle(tr("Reset usage of %1").arg(key.name));
    auto *explanation = new QLabel(
        tr("The limits of \"%1\" start counting again from now, as if their windows had just begun; the "
           "key itself stays as it is. The request log, the totals and /v1/usage history are kept, and the "
           "reset is recorded in the auth trace.")
            .arg(key.name),
        this);
    explanation->setWordWrap(true);

    m_limits = new QComboBox(this);
    m_limits->setObjectName(QStringLiteral("usageResetLimits"));
    m_limits->addItem(tr("All limits"), qint64(0));
    for (const Proxy::KeyLimit &limit : key.policy.limits)
        m_limits->addItem(tr("%1 (limit %2)").arg(LimitText::title(limit)).arg(limit.id), limit.id);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("usageResetError"));
    m_error->setWordWrap(true);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *resetButton = buttons->addButton(tr("Reset usage"), QDialogButtonBox::AcceptRole);
    resetButton->setObjectName(QStringLiteral("usageResetButton"));
    buttons->button(QDialogButtonBox::Cancel)->setDefault(true); // a reset is deliberate, not Enter
    connect(buttons, &QDialogButtonBox::accepted, this, &UsageResetDialog::reset);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("&Limits:"), m_limits);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(explanation);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
}

void UsageResetDialog::reset()
{
    const qint64 limitId = m_limits->currentData().toLongLong();
    const auto reset = Core::UsageResetService(m_database).reset(
        m_key.id, limitId > 0 ? std::optional<qint64>(limitId) : std::nullopt, Core::UsageResetService::Origin::Console);
    if (!reset) {
        m_error->setText(tr("The usage was not reset: %1").arg(reset.error()));
        m_error->show();
        return;
    }
    QStringList names;
    for (const Proxy::KeyLimit &limit : reset.value().limits)
        names.append(LimitText::title(limit));
    m_outcome = tr("The usage of \"%1\" was reset: %2 count from %3. The history is kept.")
                    .arg(m_key.name, names.join(QStringLiteral(", ")),
                         reset.value().at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    accept();
}

} // namespace Console
