// SPDX-License-Identifier: MIT
#include "app/cli/AccountLoginCommand.h"

#include "app/cli/CliOutput.h"
#include "app/cli/CommandSupport.h"
#include "app/core/accounts/oauth/BrowserLogin.h"
#include "app/core/accounts/oauth/DeviceCodeLogin.h"
#include "app/core/services/AccountService.h"

#include <QCoreApplication>
#include <QProcess>
#include <QSocketNotifier>

#include <cstdio>
#include <unistd.h>

namespace Core {

namespace {

using namespace Cli;

// Opens @p url in the desktop's browser when there is a desktop; the URL is printed either way.
void openBrowser(const QUrl &url)
{
    if (!qEnvironmentVariableIsEmpty("DISPLAY") || !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        QProcess::startDetached(QStringLiteral("xdg-open"), {url.toString()});
}

} // namespace

int runAccountLogin(const CliContext &context, const QStringList &arguments)
{
    const QString command = QStringLiteral("accounts login");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Sign in to a ChatGPT account and add it to the pool."));
    const QCommandLineOption device(QStringLiteral("device"), QStringLiteral("Sign in with a code on another device."));
    const QCommandLineOption paste(QStringLiteral("paste"),
                                   QStringLiteral("Do not listen on port 1455: paste the URL the browser ends on."));
    const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("Account name (default: the email)."),
                                  QStringLiteral("NAME"));
    parser.addOptions({device, paste, name});
    if (const auto exit = parseCommand(parser, command, arguments, 0, 0))
        return *exit;
    if (parser.isSet(device) && parser.isSet(paste))
        return usageError(QStringLiteral("--device and --paste exclude each other"), command);
    CommandEnvironment environment(context);
    if (!environment.openDatabase() || !environment.openSecrets())
        return ExitError;

    int exitCode = ExitError;
    const auto finish = [&](const AccountTokens &tokens) {
        const Result<AccountRecord> saved =
            AccountService(environment.database(), environment.secrets()).saveChatGptLogin(tokens, parser.value(name));
        if (saved) {
            printLine(QStringLiteral("logged in: account %1 \"%2\" (%3%4)")
                          .arg(saved.value().id)
                          .arg(saved.value().name, saved.value().email,
                               saved.value().planType.isEmpty() ? QString() : u", " + saved.value().planType));
            exitCode = ExitOk;
        } else {
            fail(saved.error());
        }
        QCoreApplication::exit(exitCode);
    };
    const auto failed = [](const QString &message) {
        fail(message);
        QCoreApplication::exit(ExitError);
    };
    const OAuthEndpoints endpoints = OAuthEndpoints::fromEnvironment();

    if (parser.isSet(device)) {
        DeviceCodeLogin login(endpoints);
        QObject::connect(&login, &DeviceCodeLogin::userCodeReady, [](const QString &code, const QUrl &url) {
            note(QStringLiteral("open %1 on any device and enter the code: %2").arg(url.toString(), code));
            printLine(code);
        });
        QObject::connect(&login, &DeviceCodeLogin::succeeded, finish);
        QObject::connect(&login, &DeviceCodeLogin::failed, failed);
        login.start();
        QCoreApplication::exec();
        return exitCode;
    }

    BrowserLogin login(endpoints);
    QObject::connect(&login, &BrowserLogin::authorizeUrlReady, [&login, &parser, &paste](const QUrl &url) {
        note(parser.isSet(paste) ? QStringLiteral("open this URL in a browser, sign in, then paste the URL the browser "
                                                  "ends on (it starts with %1) and press Enter:")
                                       .arg(login.redirectUri().toString(QUrl::RemoveQuery))
                                 : QStringLiteral("open this URL in your browser to sign in (waiting on %1; you can "
                                                  "also paste the URL the browser ends on here):")
                                       .arg(login.redirectUri().toString(QUrl::RemoveQuery)));
        printLine(url.toString());
        openBrowser(url);
    });
    QObject::connect(&login, &BrowserLogin::succeeded, finish);
    QObject::connect(&login, &BrowserLogin::failed, failed);
    // Pasted callback URLs arrive on stdin, line by line, while the callback server also waits.
    // Plain read(2): stdio's buffered fread would block the event loop waiting for a full buffer.
    QByteArray pending;
    QSocketNotifier notifier(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, [&pending, &login, &notifier] {
        char buffer[4096];
        const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (got <= 0) {
            notifier.setEnabled(false); // stdin closed: only the browser can finish now
            return;
        }
        pending.append(buffer, got);
        for (qsizetype end = pending.indexOf('\n'); end >= 0; end = pending.indexOf('\n')) {
            const QByteArray line = pending.left(end).trimmed();
            pending.remove(0, end + 1);
            if (line.isEmpty())
                continue;
            if (const Status status = login.completeWithCallbackUrl(QString::fromUtf8(line)); !status)
                warn(status.error() + QStringLiteral(" — paste the whole URL from the address bar"));
        }
    });
    login.start(parser.isSet(paste) ? BrowserLogin::CallbackMode::PasteOnly : BrowserLogin::CallbackMode::LocalServer);
    QCoreApplication::exec();
    return exitCode;
}

} // namespace Core
