// SPDX-License-Identifier: MIT
#include "app/cli/DoctorCommand.h"

#include "app/cli/CliOutput.h"
#include "app/core/diagnostics/DiagnosticReport.h"
#include "app/core/diagnostics/DoctorRun.h"

#include <QEventLoop>
#include <QJsonDocument>

namespace Core {

namespace {
constexpr int MaxTimeoutSeconds = 120;
}

using namespace Cli;

int runDoctorCommand(const CliContext &context, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Checks why Keygate might not work: the secret store, the database, the listen address, each "
        "account's token, expiry and base URL, the clock against the upstream's Date header and the pricing "
        "table's age. One line per check: ok|warn|fail, what, why, how to fix.\n"
        "Exit status: 0 when nothing failed (warnings allowed), 1 when a check failed, 2 usage error."));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print [{\"status\", \"check\", \"detail\", \"fix\"}, ...] as JSON."));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     QStringLiteral("Seconds each network check may take (1-%1, default %2).")
                                         .arg(MaxTimeoutSeconds)
                                         .arg(DoctorRun::DefaultTimeoutMs / 1000),
                                     QStringLiteral("SECONDS"));
    parser.addOptions({json, timeout});
    if (const auto exit = parseCommand(parser, QStringLiteral("doctor"), arguments, 0, 0))
        return *exit;

    DoctorRun::Inputs inputs;
    inputs.dataDir = context.dataDir;
    if (parser.isSet(timeout)) {
        bool ok = false;
        const int seconds = parser.value(timeout).toInt(&ok);
        if (!ok || seconds < 1 || seconds > MaxTimeoutSeconds)
            return usageError(QStringLiteral("--timeout must be a whole number of seconds from 1 to %1, got \"%2\"")
                                  .arg(MaxTimeoutSeconds)
                                  .arg(parser.value(timeout)),
                              QStringLiteral("doctor"));
        inputs.timeoutMs = seconds * 1000;
    }
    const Result<std::shared_ptr<SecretStore>> secrets = createSecretStore(context);
    if (secrets)
        inputs.secrets = secrets.value().get();
    else
        inputs.secretsError = secrets.error();

    DoctorRun run(inputs);
    DiagnosticLines lines;
    QEventLoop loop;
    QObject::connect(&run, &DoctorRun::finished, &loop, [&](const DiagnosticLines &result) {
        lines = result;
        loop.quit();
    });
    run.start();
    loop.exec();

    if (parser.isSet(json))
        printLine(QString::fromUtf8(QJsonDocument(DiagnosticReport::json(lines)).toJson(QJsonDocument::Indented)).trimmed());
    else
        for (const QString &line : DiagnosticReport::text(lines))
            printLine(line);
    return DiagnosticReport::hasFailure(lines) ? ExitError : ExitOk;
}

} // namespace Core
