// SPDX-License-Identifier: MIT
#include "app/cli/PassphraseInput.h"

#include "app/core/backup/SecretEntries.h"

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace Core::Cli {

namespace {

/// One line from stdin without its line ending; spaces are part of a passphrase and stay.
QByteArray readLine()
{
    QByteArray line;
    for (int c = std::getchar(); c != EOF && c != '\n'; c = std::getchar())
        line.append(char(c));
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

QByteArray prompt(const char *text)
{
    std::fputs(text, stderr);
    std::fflush(stderr);
    termios saved{};
    const bool canHide = ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (canHide) {
        termios hidden = saved;
        hidden.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &hidden);
    }
    QByteArray line = readLine();
    if (canHide)
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::fputs("\n", stderr);
    return line;
}

} // namespace

Result<QByteArray> readPassphrase(bool confirm)
{
    QByteArray passphrase = qgetenv(PassphraseVariable);
    if (passphrase.isEmpty()) {
        if (::isatty(STDIN_FILENO)) {
            passphrase = prompt("Backup passphrase: ");
            if (confirm && !passphrase.isEmpty()) {
                QByteArray again = prompt("Repeat the passphrase: ");
                const bool same = again == passphrase;
                wipeBytes(again);
                if (!same) {
                    wipeBytes(passphrase);
                    return Result<QByteArray>::failure(QStringLiteral("the passphrases differ"));
                }
            }
        } else {
            passphrase = readLine();
        }
    }
    if (passphrase.isEmpty())
        return Result<QByteArray>::failure(
            QStringLiteral("no passphrase: set %1 or give it on stdin (one line)").arg(QLatin1String(PassphraseVariable)));
    return passphrase;
}

} // namespace Core::Cli
