// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/diagnostics/DiagnosticLine.h"
#include "ui/shell/ConsoleContext.h"

#include <QDialog>

#include <memory>

class QLabel;
class QPushButton;
class QTableWidget;

namespace Core {
class DoctorRun;
}

namespace Console {

class CopyFeedback;

/// Help → Diagnostics: the lines of `keygate doctor` (the same Core::DoctorRun, on this console's
/// open database and secret store) in a table coloured by status, with "Run again" and "Copy report"
/// (the text `doctor` prints). The run is asynchronous: the window stays responsive. GUI thread.
class DiagnosticsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiagnosticsDialog)

public:
    explicit DiagnosticsDialog(ConsoleContext &context, QWidget *parent = nullptr);
    ~DiagnosticsDialog() override;

    /// Starts a run unless one is under way; the table fills when it ends.
    void run();
    bool isRunning() const;
    const Core::DiagnosticLines &lines() const { return m_lines; }

signals:
    /// A run ended and the table shows its lines.
    void finished();

private:
    void showLines(const Core::DiagnosticLines &lines);
    void copyReport();

    ConsoleContext &m_context;
    QTableWidget *m_table;
    QLabel *m_summary;
    QPushButton *m_runAgain;
    QPushButton *m_copy;
    CopyFeedback *m_copyFeedback;
    std::unique_ptr<Core::DoctorRun> m_run;
    Core::DiagnosticLines m_lines;
};

} // namespace Console
