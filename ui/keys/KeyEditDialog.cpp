// SPDX-License-Identifier: MIT
#include "ui/keys/KeyEditDialog.h"

#include "ui/common/StatusLabel.h"
#include "ui/keys/KeyPolicyEditor.h"

#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Console {

KeyEditDialog::KeyEditDialog(Mode mode, QWidget *parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("keyEditDialog"));
    setWindowTitle(mode == Mode::Create ? tr("New key") : tr("Edit key"));

    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("keyNameEdit"));
    m_name->setMaxLength(128);
    m_name->setPlaceholderText(tr("e.g. pi-laptop"));

    m_never = new QCheckBox(tr("Never expires"), this);
    m_never->setObjectName(QStringLiteral("keyNeverExpiresCheck"));
    m_never->setChecked(true);
    m_expiry = new QDateTimeEdit(QDateTime::currentDateTime().addDays(30), this);
    m_expiry->setObjectName(QStringLiteral("keyExpiryEdit"));
    m_expiry->setAccessibleName(tr("Expires"));
    m_expiry->setCalendarPopup(true);
    m_expiry->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    m_expiry->setToolTip(tr("After this time requests with the key are refused"));
    auto *expiryRow = new QHBoxLayout;
    expiryRow->addWidget(m_never);
    expiryRow->addWidget(m_expiry, 1);

    m_note = new QLineEdit(this);
    m_note->setObjectName(QStringLiteral("keyNoteEdit"));
    m_note->setPlaceholderText(tr("Optional: who or what uses this key"));

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->setObjectName(QStringLiteral("keyEditButtons"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("keyEditOk"));
    m_buttons->button(QDialogButtonBox::Ok)->setText(mode == Mode::Create ? tr("Create key") : tr("Save"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &KeyEditDialog::tryAccept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    auto *expiresLabel = new QLabel(tr("E&xpires:"), this);
    expiresLabel->setObjectName(QStringLiteral("keyExpiresLabel"));
    expiresLabel->setBuddy(m_never); // a row holding a layout gets no buddy (and shows the "&") by itself
    form->addRow(expiresLabel, expiryRow);
    form->addRow(tr("N&ote:"), m_note);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    if (mode == Mode::Edit) {
        auto *policyBox = new QGroupBox(tr("What the key may use"), this);
        policyBox->setObjectName(QStringLiteral("keyPolicyBox"));
        m_policy = new KeyPolicyEditor(policyBox);
        auto *policyLayout = new QVBoxLayout(policyBox);
        policyLayout->addWidget(m_policy);
        layout->addWidget(policyBox, 1);
    }
    m_error = new StatusLabel(this);
    m_error->setObjectName(QStringLiteral("keyEditError"));
    m_error->setWordWrap(true);
    m_error->setStatus(StatusColors::Status::Error);
    m_error->setAccessibleName(tr("Problem"));
    m_error->hide();
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
    setMinimumWidth(mode == Mode::Edit ? 720 : 420);

    connect(m_name, &QLineEdit::textChanged, this, &KeyEditDialog::updateState);
    connect(m_never, &QCheckBox::toggled, this, &KeyEditDialog::updateState);
    connect(m_expiry, &QDateTimeEdit::dateTimeChanged, this, &KeyEditDialog::updateState);
    updateState();
}

void KeyEditDialog::setKey(const Core::KeyRecord &key)
{
    m_name->setText(key.name);
    m_note->setText(key.note);
    m_never->setChecked(!key.expiresAt.isValid());
    if (key.expiresAt.isValid())
        m_expiry->setDateTime(key.expiresAt.toLocalTime());
    if (m_policy)
        m_policy->setPolicy(key.policy);
    updateState();
}

QString KeyEditDialog::name() const
{
    return m_name->text().trimmed();
}

QString KeyEditDialog::note() const
{
    return m_note->text().trimmed();
}

std::optional<QDateTime> KeyEditDialog::expiresAt() const
{
    if (m_never->isChecked())
        return std::nullopt;
    return m_expiry->dateTime().toUTC();
}

QString KeyEditDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString KeyEditDialog::expiryProblem() const
{
    if (m_never->isChecked())
        return {};
    const QDateTime expiry = m_expiry->dateTime();
    if (!expiry.isValid())
        return tr("The expiry is not a valid date and time.");
    if (expiry <= QDateTime::currentDateTime())
        return tr("The expiry %1 is in the past: choose a later time, or Never expires.")
            .arg(expiry.toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    return {};
}

void KeyEditDialog::tryAccept()
{
    updateState(); // the expiry may have passed while the dialog was open
    if (!expiryProblem().isEmpty())
        return;
    if (m_policy) {
        const Core::Result<Proxy::KeyPolicy> policy = m_policy->policy();
        if (!policy) {
            m_error->setText(policy.error());
            m_error->show();
            return; // nothing is saved: the dialog stays open
        }
        m_acceptedPolicy = policy.value();
    }
    m_error->hide();
    accept();
}

void KeyEditDialog::updateState()
{
    m_expiry->setEnabled(!m_never->isChecked());
    // Checked while the dialog is open, so a bad expiry never closes it and loses the edits.
    const QString problem = expiryProblem();
    if (!problem.isEmpty()) {
        m_error->setText(problem);
        m_error->show();
    } else if (m_error->text() == m_shownExpiryProblem) {
        m_error->hide(); // only our own message: a policy error stays until the next Save
    }
    m_shownExpiryProblem = problem;
    m_buttons->button(QDialogButtonBox::Ok)
        ->setEnabled(!m_name->text().trimmed().isEmpty() && problem.isEmpty());
}

} // namespace Console
