// SPDX-License-Identifier: MIT
#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>

#include <optional>

namespace Core::Cli {

enum ExitCode : int { ExitOk = 0, ExitError = 1, ExitUsage = 2 };

/// One line on stdout (data).
void printLine(const QString &line);
/// "keygate: error: <message>" on stderr; returns ExitError.
int fail(const QString &message);
/// "keygate: error: <message>" plus a hint on stderr; returns ExitUsage.
int usageError(const QString &message, const QString &command = {});
/// "keygate: warning: <message>" on stderr.
void warn(const QString &message);
/// "keygate: <message>" on stderr (progress and hints).
void note(const QString &message);

/// Parses @p arguments (without the program name) for @p command. Handles --help (prints the
/// help, exit 0) and errors (exit 2). nullopt means: go on.
std::optional<int> parseCommand(QCommandLineParser &parser, const QString &command, const QStringList &arguments,
                                int minPositional, int maxPositional);

/// Left-aligned columns separated by two spaces.
QStringList formatTable(const QList<QStringList> &rows);

} // namespace Core::Cli
