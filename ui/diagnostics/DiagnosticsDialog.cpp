// SPDX-License-Identifier: MIT
#include "ui/diagnostics/DiagnosticsDialog.h"

#include "app/core/diagnostics/DiagnosticReport.h"
#include "app/core/diagnostics/DoctorRun.h"
#include "app/core/runtime/ProxyRuntime.h"
#include "ui/common/CopyFeedback.h"
#include "ui/common/StatusColors.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Console {

namespace {

StatusColors::Status colourOf(Core::DiagnosticLine::Status status)
{
    switch (status) {
    case Core::DiagnosticLine::Status::Warn:
        return StatusColors::Status::Warning;
    case Core::DiagnosticLine::Status::Fail:
        return StatusColors::Status::Error;
    case Core::DiagnosticLine::Status::Ok:
        break;
    }
    return StatusColors::Status::Ok;
}

} // namespace

DiagnosticsDialog::DiagnosticsDialog(ConsoleContext &context, QWidget *parent)
    : QDialog(parent),
      m_context(context),
      m_table(new QTableWidget(0, 4, this)),
      m_summary(new QLabel(this)),
      m_runAgain(new QPushButton(tr("&Run again"), this)),
      m_copy(new QPushButton(tr("&Copy report"), this)),
      m_copyFeedback(new CopyFeedback(*m_copy))
{
    setObjectName(QStringLiteral("diagnosticsDialog"));
    setWindowTitle(tr("Diagnostics"));
    m_table->setObjectName(QStringLiteral("diagnosticsTable"));
    m_table->setAccessibleName(tr("Diagnostics results"));
    m_table->setHorizontalHeaderLabels({tr("Status"), tr("Check"), tr("Why"), tr("How to fix")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    m_summary->setObjectName(QStringLiteral("diagnosticsSummary"));
    m_runAgain->setObjectName(QStringLiteral("runAgainButton"));
    m_copy->setObjectName(QStringLiteral("copyReportButton"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_runAgain, QDialogButtonBox::ActionRole);
    buttons->addButton(m_copy, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_runAgain, &QPushButton::clicked, this, &DiagnosticsDialog::run);
    connect(m_copy, &QPushButton::clicked, this, &DiagnosticsDialog::copyReport);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    const int unit = fontMetrics().height();
    resize(unit * 60, unit * 24);
}

DiagnosticsDialog::~DiagnosticsDialog() = default;

bool DiagnosticsDialog::isRunning() const
{
    return m_run && m_run->isRunning();
}

void DiagnosticsDialog::run()
{
    if (isRunning())
        return;
    Core::ProxyRuntime &runtime = m_context.runtime;
    Core::DoctorRun::Inputs inputs;
    inputs.dataDir = runtime.dataDir();
    inputs.database = &runtime.database();
    inputs.secrets = &runtime.secrets();
    m_run = std::make_unique<Core::DoctorRun>(inputs);
    connect(m_run.get(), &Core::DoctorRun::finished, this, &DiagnosticsDialog::showLines);
    m_runAgain->setEnabled(false);
    m_copy->setEnabled(false);
    m_summary->setText(tr("Running the checks…"));
    m_run->start();
}

void DiagnosticsDialog::showLines(const Core::DiagnosticLines &lines)
{
    m_lines = lines;
    m_table->setRowCount(int(lines.size()));
    int warnings = 0;
    int failures = 0;
    for (int row = 0; row < lines.size(); ++row) {
        const Core::DiagnosticLine &line = lines.at(row);
        warnings += line.status == Core::DiagnosticLine::Status::Warn;
        failures += line.status == Core::DiagnosticLine::Status::Fail;
        const QStringList cells{Core::DiagnosticLine::statusName(line.status), line.check, line.detail, line.fix};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setToolTip(cells.at(column));
            if (column == 0)
                item->setForeground(StatusColors::text(colourOf(line.status), m_table->palette()));
            m_table->setItem(row, column, item);
        }
    }
    m_table->resizeRowsToContents();
    m_summary->setText(failures ? tr("%n check(s) failed.", nullptr, failures)
                       : warnings ? tr("No failures, %n warning(s).", nullptr, warnings)
                                  : tr("Everything looks fine."));
    m_runAgain->setEnabled(true);
    m_copy->setEnabled(true);
    emit finished();
}

void DiagnosticsDialog::copyReport()
{
    QGuiApplication::clipboard()->setText(Core::DiagnosticReport::text(m_lines).join(u'\n') + u'\n');
    m_copyFeedback->show();
}

} // namespace Console
