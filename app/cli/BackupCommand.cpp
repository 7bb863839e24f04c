// SPDX-License-Identifier: MIT
#include "app/cli/BackupCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/CommandSupport.h"
#include "app/cli/PassphraseInput.h"
#include "app/core/backup/BackupWriter.h"
#include "app/core/backup/SecretEntries.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Core {

using namespace Cli;

int runBackupCommand(const CliContext &context, const QStringList &arguments)
{
    const QString command = QStringLiteral("backup");
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Write one consistent backup file of the data dir (keys, policy, accounts, settings, usage, "
                       "auth trace); safe while serve or the console runs. Account tokens and key plaintexts are "
                       "left out unless --with-secrets."));
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("The backup file to write (replaced)."),
                                 QStringLiteral("FILE"));
    const QCommandLineOption withSecrets(
        QStringLiteral("with-secrets"),
        QStringLiteral("Also store key plaintexts and account tokens, encrypted with a passphrase from $%1 or "
                       "stdin (Argon2id + XChaCha20-Poly1305).")
            .arg(QLatin1String(PassphraseVariable)));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print what was written as JSON."));
    parser.addOptions({withSecrets, json});
    if (const auto exit = parseCommand(parser, command, arguments, 1, 1))
        return *exit;
    const QString file = QDir(parser.positionalArguments().constFirst()).absolutePath();

    CommandEnvironment environment(context);
    QByteArray passphrase;
    if (parser.isSet(withSecrets)) {
        if (!environment.openSecrets())
            return ExitError;
        Result<QByteArray> read = readPassphrase(true);
        if (!read)
            return fail(read.error());
        passphrase = std::move(read).value();
    }
    const Result<BackupReport> written = BackupWriter::write(
        context.dataDir, file, parser.isSet(withSecrets) ? &environment.secrets() : nullptr, passphrase);
    wipeBytes(passphrase);
    if (!written)
        return fail(written.error());
    const BackupReport &report = written.value();
    for (const QString &name : report.keysWithoutPlaintext)
        warn(QStringLiteral("%1 has no stored plaintext; the key still works, but cannot be revealed after a restore")
                 .arg(name));
    if (parser.isSet(json)) {
        const QJsonObject document{{QStringLiteral("file"), report.file},
                                   {QStringLiteral("bytes"), report.bytes},
                                   {QStringLiteral("schema_version"), report.database.schemaVersion},
                                   {QStringLiteral("keys"), report.database.keys},
                                   {QStringLiteral("accounts"), report.database.accounts},
                                   {QStringLiteral("with_secrets"), report.withSecrets},
                                   {QStringLiteral("secrets"), report.secrets},
                                   {QStringLiteral("keys_without_plaintext"),
                                    QJsonArray::fromStringList(report.keysWithoutPlaintext)}};
        printLine(QString::fromUtf8(QJsonDocument(document).toJson(QJsonDocument::Indented)).trimmed());
        return ExitOk;
    }
    printLine(QStringLiteral("backed up %1 keys and %2 accounts (schema %3) to %4 (%5 bytes), %6")
                  .arg(report.database.keys)
                  .arg(report.database.accounts)
                  .arg(report.database.schemaVersion)
                  .arg(QDir::toNativeSeparators(report.file))
                  .arg(report.bytes)
                  .arg(report.withSecrets ? QStringLiteral("%1 secrets encrypted").arg(report.secrets)
                                          : QStringLiteral("without secrets")));
    return ExitOk;
}

} // namespace Core
