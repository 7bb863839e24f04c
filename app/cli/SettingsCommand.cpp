// SPDX-License-Identifier: MIT
#include "app/cli/SettingsCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/CommandSupport.h"
#include "app/core/storage/SettingsRepository.h"

namespace Core {

namespace {

using namespace Cli;

void printSettings(const StoredSettings &settings)
{
    for (const QString &name : SettingsRepository::names())
        printLine(QString(name + QStringLiteral(": ") + settings.value(name)).trimmed());
}

} // namespace

int runSettingsCommand(const CliContext &context, const QStringList &arguments)
{
    const QString usage = QStringLiteral("Usage: keygate settings set require-key true|false\n"
                                         "       keygate settings set listen HOST:PORT\n"
                                         "       keygate settings set max-body-mib 1-1024\n"
                                         "       keygate settings set auth-retention-days 1-3650\n"
                                         "       keygate settings set start-minimized true|false\n"
                                         "       keygate settings set routing round-robin|fill-first|usage\n"
                                         "       keygate settings set allowed-origins ORIGIN,... (\"\" for none)\n"
                                         "       keygate settings set auth-failure-budget 1-10000\n"
                                         "       keygate settings set x-api-key-fallback always|placeholder-only|never\n"
                                         "       keygate settings set metrics-access loopback|key|off\n"
                                         "       keygate settings set request-log-retention-days 0|31-3650 (0 = keep all)\n"
                                         "       keygate settings show");
    if (arguments.isEmpty())
        return usageError(QStringLiteral("missing settings action (set|show)"), QStringLiteral("settings"));
    const QString action = arguments.constFirst();
    if (arguments.contains(QStringLiteral("--help")) || arguments.contains(QStringLiteral("-h"))) {
        printLine(usage);
        return ExitOk;
    }
    if (action == u"set") {
        if (arguments.size() != 3)
            return usageError(QStringLiteral("expected: settings set NAME VALUE"), QStringLiteral("settings"));
        const QString name = arguments.at(1);
        const QString value = arguments.at(2);
        if (!SettingsRepository::names().contains(name))
            return usageError(QStringLiteral("unknown setting \"%1\" (known: %2)")
                                  .arg(name, SettingsRepository::names().join(QStringLiteral(", "))),
                              QStringLiteral("settings"));
        if (const Status valid = SettingsRepository::validate(name, value); !valid)
            return usageError(QStringLiteral("%1: %2").arg(name, valid.error()), QStringLiteral("settings"));
        CommandEnvironment environment(context);
        if (!environment.openDatabase())
            return ExitError;
        SettingsRepository repository(environment.database().connection());
        if (const Status status = repository.set(name, value); !status)
            return fail(status.error());
        const Result<StoredSettings> settings = repository.load();
        if (!settings)
            return fail(settings.error());
        printSettings(settings.value());
        return ExitOk;
    }
    if (action == u"show") {
        if (arguments.size() != 1)
            return usageError(QStringLiteral("settings show takes no arguments"), QStringLiteral("settings"));
        CommandEnvironment environment(context);
        if (!environment.openDatabase())
            return ExitError;
        const Result<StoredSettings> settings = SettingsRepository(environment.database().connection()).load();
        if (!settings)
            return fail(settings.error());
        printSettings(settings.value());
        return ExitOk;
    }
    return usageError(QStringLiteral("unknown settings action \"%1\"").arg(action), QStringLiteral("settings"));
}

} // namespace Core
