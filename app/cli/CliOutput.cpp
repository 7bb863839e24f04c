// SPDX-License-Identifier: MIT
#include "app/cli/CliOutput.h"

#include <cstdio>

namespace Core::Cli {

namespace {
void writeTo(FILE *stream, const QString &line)
{
    const QByteArray bytes = (line + u'\n').toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}
} // namespace

void printLine(const QString &line)
{
    writeTo(stdout, line);
}

int fail(const QString &message)
{
    writeTo(stderr, QStringLiteral("keygate: error: ") + message);
    return ExitError;
}

int usageError(const QString &message, const QString &command)
{
    writeTo(stderr, QStringLiteral("keygate: error: ") + message);
    writeTo(stderr, QStringLiteral("Try 'keygate %1--help'.").arg(command.isEmpty() ? QString() : command + u' '));
    return ExitUsage;
}

void warn(const QString &message)
{
    writeTo(stderr, QStringLiteral("keygate: warning: ") + message);
}

void note(const QString &message)
{
    writeTo(stderr, QStringLiteral("keygate: ") + message);
}

std::optional<int> parseCommand(QCommandLineParser &parser, const QString &command, const QStringList &arguments,
                                int minPositional, int maxPositional)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(QStringList{QStringLiteral("keygate ") + command} + arguments))
        return usageError(parser.errorText(), command);
    if (parser.isSet(help)) {
        // helpText() names the executable path; show the command instead.
        QString text = parser.helpText();
        const qsizetype firstLineEnd = text.indexOf(u'\n');
        text = QStringLiteral("Usage: keygate %1 [options]").arg(command) + text.mid(firstLineEnd);
        writeTo(stdout, text.trimmed());
        return ExitOk;
    }
    const qsizetype count = parser.positionalArguments().size();
    if (count < minPositional)
        return usageError(QStringLiteral("missing argument"), command);
    if (count > maxPositional)
        return usageError(QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().at(maxPositional)),
                          command);
    return std::nullopt;
}

QStringList formatTable(const QList<QStringList> &rows)
{
    QList<qsizetype> widths;
    for (const QStringList &row : rows) {
        for (qsizetype i = 0; i < row.size(); ++i) {
            if (widths.size() <= i)
                widths.append(0);
            widths[i] = qMax(widths.at(i), row.at(i).size());
        }
    }
    QStringList lines;
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row.at(i).leftJustified(widths.at(i) + 2) : row.at(i);
        lines.append(line);
    }
    return lines;
}

} // namespace Core::Cli
