// SPDX-License-Identifier: MIT
#include "ui/backup/FileMenu.h"

#include "app/core/backup/BackupReader.h"
#include "app/core/backup/BackupWriter.h"
#include "app/core/runtime/ProxyRuntime.h"
#include "ui/backup/BackupDialog.h"
#include "ui/backup/RestoreDialog.h"
#include "ui/common/DialogService.h"
#include "ui/common/MessageBanner.h"

#include <QApplication>
#include <QDate>
#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>

namespace Console {

FileMenu::FileMenu(ConsoleContext &context, QMainWindow &window, MessageBanner &banner)
    : QObject(&window), m_context(context), m_window(window), m_banner(banner)
{
    QMenu *menu = window.menuBar()->addMenu(tr("&File"));
    menu->setObjectName(QStringLiteral("fileMenu"));
    QAction *backUp = menu->addAction(tr("&Back up…"), this, &FileMenu::backUp);
    backUp->setObjectName(QStringLiteral("backupAction"));
    QAction *restore = menu->addAction(tr("&Restore…"), this, &FileMenu::restore);
    restore->setObjectName(QStringLiteral("restoreAction"));
    menu->addSeparator();
    QAction *quit = menu->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setObjectName(QStringLiteral("quitAction"));
    quit->setShortcut(QKeySequence::Quit);
}

void FileMenu::backUp()
{
    const QString suggested = QDir::home().filePath(
        QStringLiteral("keygate-%1.kgbackup").arg(QDate::currentDate().toString(QStringLiteral("yyyy-MM-dd"))));
    BackupDialog dialog(m_context.dialogs, suggested, &m_window);
    if (m_context.dialogs.exec(dialog) != QDialog::Accepted)
        return;
    QByteArray passphrase = dialog.passphrase();
    QApplication::setOverrideCursor(Qt::WaitCursor); // Argon2id takes a moment
    const Core::Result<Core::BackupReport> written =
        Core::BackupWriter::write(m_context.runtime.dataDir(), QFileInfo(dialog.filePath()).absoluteFilePath(),
                                  dialog.withSecrets() ? &m_context.runtime.secrets() : nullptr, passphrase);
    QApplication::restoreOverrideCursor();
    Core::wipeBytes(passphrase);
    if (!written) {
        m_banner.showMessage(MessageBanner::Kind::Error, tr("Backup failed: %1").arg(written.error()));
        return;
    }
    const Core::BackupReport &report = written.value();
    m_banner.showMessage(MessageBanner::Kind::Info,
                         tr("Backed up %1 keys and %2 accounts to %3 (%4).")
                             .arg(report.database.keys)
                             .arg(report.database.accounts)
                             .arg(QDir::toNativeSeparators(report.file),
                                  report.withSecrets ? tr("%1 secrets encrypted").arg(report.secrets)
                                                     : tr("without secrets")));
}

void FileMenu::restore()
{
    RestoreDialog dialog(m_context.dialogs, QDir::homePath(), &m_window);
    if (m_context.dialogs.exec(dialog) != QDialog::Accepted)
        return;
    const QString file = QFileInfo(dialog.filePath()).absoluteFilePath();
    QByteArray passphrase = dialog.passphrase();
    Core::Result<Core::BackupFile> read = Core::BackupReader::read(file);
    if (read && read.value().secrets && passphrase.isEmpty()) {
        m_banner.showMessage(MessageBanner::Kind::Error,
                             tr("This backup holds encrypted secrets: enter its passphrase."));
        return;
    }
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const bool hasSecrets = read && read.value().secrets;
    auto verified = read ? Core::BackupReader::verify(std::move(read).value(),
                                                      hasSecrets ? std::optional(passphrase) : std::nullopt)
                         : Core::Result<std::unique_ptr<Core::VerifiedBackup>>::failure(read.status());
    QApplication::restoreOverrideCursor();
    Core::wipeBytes(passphrase);
    if (!verified) {
        m_banner.showMessage(MessageBanner::Kind::Error, tr("Cannot restore: %1").arg(verified.error()));
        return;
    }
    std::shared_ptr<const Core::VerifiedBackup> backup = std::move(verified).value();
    const QString dataDir = QDir::toNativeSeparators(m_context.runtime.dataDir());
    const QString text =
        tr("The backup is good: %1 keys, %2 accounts and %3 secrets, from %4.\n\n"
           "Restore now? The proxy stops for a moment; what %5 holds now moves to %5.replaced-<time>, "
           "which you can still open with --data-dir; Keygate reopens with the restored data.")
            .arg(backup->database.keys)
            .arg(backup->database.accounts)
            .arg(backup->secrets.size())
            .arg(QLocale().toString(backup->file.createdAt.toLocalTime(), QLocale::ShortFormat), dataDir);
    if (!m_context.dialogs.confirm(&m_window, tr("Restore Keygate"), text, tr("Restore now")))
        return;
    Q_ASSERT(m_context.restoreRequested);
    m_context.restoreRequested(std::move(backup));
}

} // namespace Console
