// SPDX-License-Identifier: MIT
#include "app/cli/RestoreCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/CommandSupport.h"
#include "app/cli/PassphraseInput.h"
#include "app/core/backup/Restorer.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>

namespace Core {

using namespace Cli;

int runRestoreCommand(const CliContext &context, const QStringList &arguments)
{
    const QString command = QStringLiteral("restore");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Restore a backup file into the data dir, which must be empty (or --force). The whole file is "
                       "checked, and its secrets decrypted, before anything changes. Stop serve and the console "
                       "first."));
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("A file written by keygate backup."),
                                 QStringLiteral("FILE"));
    const QCommandLineOption force(QStringLiteral("force"),
                                   QStringLiteral("Replace a non-empty data dir; what it held moves to "
                                                  "DIR.replaced-<UTC time> (usable with --data-dir)."));
    const QCommandLineOption skipSecrets(QStringLiteral("skip-secrets"),
                                         QStringLiteral("Restore without the file's secrets (no passphrase needed)."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print what was restored as JSON."));
    parser.addOptions({force, skipSecrets, json});
    if (const auto exit = parseCommand(parser, command, arguments, 1, 1))
        return *exit;

    Result<BackupFile> file = BackupReader::read(parser.positionalArguments().constFirst());
    if (!file)
        return fail(file.error());
    std::optional<QByteArray> passphrase;
    if (file.value().secrets && !parser.isSet(skipSecrets)) {
        Result<QByteArray> read = readPassphrase(false);
        if (!read)
            return fail(read.error() + QStringLiteral(" (or restore without secrets: --skip-secrets)"));
        passphrase = std::move(read).value();
    }
    const auto verified = BackupReader::verify(std::move(file).value(), passphrase);
    if (passphrase)
        wipeBytes(*passphrase);
    if (!verified)
        return fail(verified.error());
    const Result<RestoreReport> restored =
        Restorer::restore(*verified.value(), context.dataDir, context.secrets, parser.isSet(force));
    if (!restored)
        return fail(restored.error());
    const RestoreReport &report = restored.value();
    if (!report.warning.isEmpty())
        warn(report.warning);
    if (verified.value()->secretsSkipped)
        note(QStringLiteral("secrets skipped: set account tokens again (keygate accounts set-token NAME)"));
    if (parser.isSet(json)) {
        const QJsonObject document{
            {QStringLiteral("data_dir"), report.dataDir},
            {QStringLiteral("replaced_copy"),
             report.replacedCopy.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(report.replacedCopy)},
            {QStringLiteral("schema_version"), report.database.schemaVersion},
            {QStringLiteral("keys"), report.database.keys},
            {QStringLiteral("accounts"), report.database.accounts},
            {QStringLiteral("secrets_restored"), report.secretsRestored},
            {QStringLiteral("secrets_skipped"), verified.value()->secretsSkipped}};
        printLine(QString::fromUtf8(QJsonDocument(document).toJson(QJsonDocument::Indented)).trimmed());
        return ExitOk;
    }
    if (!report.replacedCopy.isEmpty())
        printLine(QStringLiteral("moved the replaced data to %1").arg(QDir::toNativeSeparators(report.replacedCopy)));
    printLine(QStringLiteral("restored %1 keys, %2 accounts and %3 secrets into %4")
                  .arg(report.database.keys)
                  .arg(report.database.accounts)
                  .arg(report.secretsRestored)
                  .arg(QDir::toNativeSeparators(report.dataDir)));
    return ExitOk;
}

} // namespace Core
