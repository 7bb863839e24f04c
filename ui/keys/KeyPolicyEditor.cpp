// SPDX-License-Identifier: MIT
#include "ui/keys/KeyPolicyEditor.h"

#include "app/core/services/KeyPolicyService.h"

#include "ui/common/LimitText.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Console {

namespace {

constexpr int RemoveColumn = KeyPolicyEditor::LimitColumnCount; // the per-row remove button

QComboBox *typeCombo(QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(QStringLiteral("limitTypeCombo"));
    combo->addItem(KeyPolicyEditor::tr("tokens (total)"), int(Proxy::LimitType::TotalTokens));
    combo->addItem(KeyPolicyEditor::tr("input tokens"), int(Proxy::LimitType::InputTokens));
    combo->addItem(KeyPolicyEditor::tr("output tokens"), int(Proxy::LimitType::OutputTokens));
    combo->addItem(KeyPolicyEditor::tr("cost (USD)"), int(Proxy::LimitType::CostMicros));
    combo->setToolTip(KeyPolicyEditor::tr("What the limit counts"));
    combo->setAccessibleName(KeyPolicyEditor::tr("Limit type"));
    return combo;
}

QComboBox *windowCombo(QWidget *parent)
{
    auto *combo = new QComboBox(parent);
    combo->setObjectName(QStringLiteral("limitWindowCombo"));
    combo->addItem(KeyPolicyEditor::tr("5 hours"), int(Proxy::LimitWindow::FiveHours));
    combo->addItem(KeyPolicyEditor::tr("day"), int(Proxy::LimitWindow::Day));
    combo->addItem(KeyPolicyEditor::tr("week"), int(Proxy::LimitWindow::Week));
    combo->addItem(KeyPolicyEditor::tr("month (30 days)"), int(Proxy::LimitWindow::Month));
    combo->setToolTip(KeyPolicyEditor::tr("How long a window lasts; windows start at the hour the key was created"));
    combo->setAccessibleName(KeyPolicyEditor::tr("Limit window"));
    return combo;
}

void selectData(QComboBox *combo, int value)
{
    combo->setCurrentIndex(qMax(0, combo->findData(value)));
}

} // namespace

KeyPolicyEditor::KeyPolicyEditor(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("keyPolicyEditor"));

    m_models = new QLineEdit(this);
    m_models->setObjectName(QStringLiteral("keyAllowedModelsEdit"));
    m_models->setPlaceholderText(tr("every model; or e.g. gpt-5.4, gpt-5.4-mini"));
    m_models->setToolTip(tr("Models this key may use, separated by commas; empty allows every model. "
                            "Other models are refused (403) and hidden from the model list."));

    auto *efforts = new QHBoxLayout;
    for (const QString &effort : Proxy::knownReasoningEfforts()) {
        auto *check = new QCheckBox(effort, this);
        check->setObjectName(QStringLiteral("effortCheck_") + effort);
        check->setToolTip(tr("Allow reasoning effort \"%1\"; with none checked every effort is allowed").arg(effort));
        efforts->addWidget(check);
        m_efforts.append(check);
    }
    efforts->addStretch(1);

    m_limits = new QTableWidget(0, LimitColumnCount + 1, this);
    m_limits->setObjectName(QStringLiteral("keyLimitsTable"));
    m_limits->setAccessibleName(tr("Limits"));
    m_limits->setHorizontalHeaderLabels(
        {tr("Counts"), tr("Per"), tr("Maximum"), tr("Model (optional)"), QString()});
    m_limits->horizontalHeaderItem(MaxColumn)->setToolTip(tr("Tokens, or USD for a cost limit"));
    m_limits->horizontalHeaderItem(ModelColumn)->setToolTip(
        tr("Only requests for exactly this model count; empty = every model"));
    m_limits->verticalHeader()->hide();
    m_limits->setSelectionMode(QAbstractItemView::NoSelection);
    m_limits->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_limits->setTabKeyNavigation(false); // Tab moves focus on instead of walking the cells
    // Cell widgets do not size their columns: widths come from a sample row's widgets.
    {
        QComboBox *type = typeCombo(this);
        QComboBox *window = windowCombo(this);
        QPushButton remove(tr("Remove"));
        m_limits->setColumnWidth(TypeColumn, type->sizeHint().width());
        m_limits->setColumnWidth(WindowColumn, window->sizeHint().width());
        m_limits->setColumnWidth(MaxColumn, fontMetrics().horizontalAdvance(QStringLiteral("1,000,000,000")) + 16);
        m_limits->setColumnWidth(RemoveColumn, remove.sizeHint().width());
        delete type;
        delete window;
    }
    m_limits->horizontalHeader()->setSectionResizeMode(ModelColumn, QHeaderView::Stretch);
    m_limits->horizontalHeader()->setMinimumSectionSize(40);
    m_limits->setMinimumHeight(m_limits->horizontalHeader()->sizeHint().height() + 4 * 30);

    auto *add = new QPushButton(tr("&Add limit"), this);
    add->setObjectName(QStringLiteral("addLimitButton"));
    add->setToolTip(tr("Add a limit on tokens or cost per 5 hours, day, week or month"));
    connect(add, &QPushButton::clicked, this, &KeyPolicyEditor::addLimitRow);
    auto *limitsHint = new QLabel(tr("A request is refused (429) while one of its key's limits is used up."), this);
    limitsHint->setWordWrap(true);
    auto *limitButtons = new QHBoxLayout;
    limitButtons->addWidget(limitsHint, 1);
    limitButtons->addWidget(add);

    auto *form = new QFormLayout;
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("Allowed &models:"), m_models);
    auto *effortsLabel = new QLabel(tr("Reasoning efforts:"), this);
    effortsLabel->setToolTip(tr("None checked: every reasoning effort is allowed"));
    form->addRow(effortsLabel, efforts);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Limits:"), this));
    layout->addWidget(m_limits, 1);
    layout->addLayout(limitButtons);
}

void KeyPolicyEditor::setPolicy(const Proxy::KeyPolicy &policy)
{
    m_models->setText(policy.allowedModels.join(QStringLiteral(", ")));
    for (QCheckBox *check : std::as_const(m_efforts))
        check->setChecked(policy.allowedEfforts.contains(check->text()));
    m_limits->setRowCount(0);
    for (const Proxy::KeyLimit &limit : policy.limits)
        appendLimit(limit, LimitText::editableMax(limit.type, limit.maxValue));
}

Core::Result<Proxy::KeyPolicy> KeyPolicyEditor::policy() const
{
    Proxy::KeyPolicy policy;
    for (const QString &model : m_models->text().split(u',', Qt::SkipEmptyParts))
        if (const QString name = model.trimmed(); !name.isEmpty() && !policy.allowedModels.contains(name))
            policy.allowedModels.append(name);
    for (const QCheckBox *check : m_efforts)
        if (check->isChecked())
            policy.allowedEfforts.append(check->text());
    for (int row = 0; row < m_limits->rowCount(); ++row) {
        Proxy::KeyLimit limit;
        limit.type = Proxy::LimitType(static_cast<QComboBox *>(cell(row, TypeColumn))->currentData().toInt());
        limit.window = Proxy::LimitWindow(static_cast<QComboBox *>(cell(row, WindowColumn))->currentData().toInt());
        limit.modelFilter = static_cast<QLineEdit *>(cell(row, ModelColumn))->text().trimmed();
        const Core::Result<qint64> max =
            Core::KeyPolicyService::parseMax(limit.type, static_cast<QLineEdit *>(cell(row, MaxColumn))->text());
        if (!max)
            return Core::Result<Proxy::KeyPolicy>::failure(tr("Limit %1: %2").arg(row + 1).arg(max.error()));
        limit.maxValue = max.value();
        for (int other = 0; other < policy.limits.size(); ++other) {
            const Proxy::KeyLimit &earlier = policy.limits.at(other);
            if (earlier.type == limit.type && earlier.window == limit.window && earlier.modelFilter == limit.modelFilter)
                return Core::Result<Proxy::KeyPolicy>::failure(
                    tr("Limits %1 and %2 both count %3; keep one.").arg(other + 1).arg(row + 1).arg(LimitText::title(limit)));
        }
        policy.limits.append(limit);
    }
    return policy;
}

void KeyPolicyEditor::addLimitRow()
{
    appendLimit(Proxy::KeyLimit{}, QString());
    cell(m_limits->rowCount() - 1, MaxColumn)->setFocus(Qt::OtherFocusReason);
}

int KeyPolicyEditor::limitRowCount() const
{
    return m_limits->rowCount();
}

void KeyPolicyEditor::appendLimit(const Proxy::KeyLimit &limit, const QString &maxText)
{
    const int row = m_limits->rowCount();
    m_limits->insertRow(row);
    QComboBox *type = typeCombo(m_limits);
    selectData(type, int(limit.type));
    QComboBox *window = windowCombo(m_limits);
    selectData(window, int(limit.window));
    auto *max = new QLineEdit(maxText, m_limits);
    max->setObjectName(QStringLiteral("limitMaxEdit"));
    max->setAccessibleName(tr("Maximum"));
    auto *model = new QLineEdit(limit.modelFilter, m_limits);
    model->setObjectName(QStringLiteral("limitModelEdit"));
    model->setPlaceholderText(tr("every model"));
    model->setAccessibleName(tr("Only for model"));
    model->setToolTip(tr("Only requests for exactly this model count; empty = every model"));
    auto *remove = new QPushButton(tr("Remove"), m_limits);
    remove->setObjectName(QStringLiteral("removeLimitButton"));
    remove->setToolTip(tr("Remove this limit; its count is forgotten"));
    m_limits->setCellWidget(row, TypeColumn, type);
    m_limits->setCellWidget(row, WindowColumn, window);
    m_limits->setCellWidget(row, MaxColumn, max);
    m_limits->setCellWidget(row, ModelColumn, model);
    m_limits->setCellWidget(row, RemoveColumn, remove);
    connect(type, &QComboBox::currentIndexChanged, this, [this, type] {
        for (int r = 0; r < m_limits->rowCount(); ++r)
            if (cell(r, TypeColumn) == type)
                updateMaxHint(r);
    });
    connect(remove, &QPushButton::clicked, this, [this, remove] {
        for (int r = 0; r < m_limits->rowCount(); ++r)
            if (cell(r, RemoveColumn) == remove) {
                m_limits->removeRow(r);
                return;
            }
    });
    updateMaxHint(row);
}

void KeyPolicyEditor::updateMaxHint(int row)
{
    auto *type = static_cast<QComboBox *>(cell(row, TypeColumn));
    auto *max = static_cast<QLineEdit *>(cell(row, MaxColumn));
    const bool cost = Proxy::LimitType(type->currentData().toInt()) == Proxy::LimitType::CostMicros;
    max->setPlaceholderText(cost ? tr("USD, e.g. 5.00") : tr("tokens, e.g. 100000"));
    max->setToolTip(cost ? tr("The most this key may spend per window, in USD")
                         : tr("The most tokens this key may use per window"));
}

QWidget *KeyPolicyEditor::cell(int row, int column) const
{
    return m_limits->cellWidget(row, column);
}

} // namespace Console
