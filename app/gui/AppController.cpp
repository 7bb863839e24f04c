// SPDX-License-Identifier: MIT
#include "app/gui/AppController.h"

#include "app/cli/CliOutput.h"
#include "app/cli/SignalWatcher.h"
#include "app/core/backup/Restorer.h"
#include "app/core/runtime/SingleInstance.h"
#include "app/gui/ConsoleSession.h"
#include "ui/shell/ColorScheme.h"

#include <QApplication>
#include <QCoreApplication>
#include <QDir>
#include <QMessageBox>

namespace Gui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Gui::AppController", text);
}

/// What the new window's banner says about a restore.
ConsoleSession::Notice noticeOf(const Core::Result<Core::RestoreReport> &restored)
{
    using Kind = Console::MessageBanner::Kind;
    if (!restored)
        return {Kind::Error, tr("Restore failed: %1.").arg(restored.error())}; // it says where the data is
    const Core::RestoreReport &report = restored.value();
    QString text = tr("Restored %1 keys, %2 accounts and %3 secrets.")
                       .arg(report.database.keys)
                       .arg(report.database.accounts)
                       .arg(report.secretsRestored);
    if (!report.replacedCopy.isEmpty())
        text += u' '
                + tr("What the data dir held before is in %1.").arg(QDir::toNativeSeparators(report.replacedCopy));
    if (!report.warning.isEmpty())
        return {Kind::Warning, text + u' ' + tr("Note: %1.").arg(report.warning)};
    return {Kind::Info, text};
}

} // namespace

AppController::AppController(Core::CliContext context, Console::DialogService &dialogs)
    : m_context(std::move(context)), m_dialogs(dialogs)
{}

int AppController::run()
{
    Core::SingleInstance instance(m_context.dataDir);
    if (!instance.claim()) {
        Core::Cli::note(QStringLiteral("Keygate is already running; its window was brought to the front"));
        return 0;
    }
    Console::ColorScheme::applyFromEnvironment();
    Core::SignalWatcher signals_; // SIGTERM/SIGINT (logout, systemd, Ctrl+C) quit cleanly: usage is flushed
    QObject::connect(&signals_, &Core::SignalWatcher::terminationRequested, qApp, &QApplication::quit);

    std::optional<ConsoleSession::Notice> notice;
    for (;;) {
        ConsoleSession::Ending ending;
        {
            ConsoleSession session(m_context, m_dialogs, instance);
            if (const Core::Status opened = session.open(); !opened) {
                Core::Cli::fail(opened.error());
                QMessageBox::critical(nullptr, QStringLiteral("Keygate"), opened.error());
                return 1;
            }
            ending = session.run(notice);
        } // the runtime is gone: the data dir's lock is released and the database closed
        if (!ending.restore)
            return ending.flushed ? ending.exitCode : 1;
        notice = noticeOf(Core::Restorer::restore(*ending.restore, m_context.dataDir, m_context.secrets, true));
    }
}

} // namespace Gui
