// SPDX-License-Identifier: MIT
#include "app/cli/AccountsCommand.h"

#include "app/cli/AccountLoginCommand.h"
#include "app/cli/CliOutput.h"
#include "app/cli/CommandSupport.h"
#include "app/core/accounts/CaCertificateFile.h"
#include "app/core/services/AccountService.h"
#include "app/core/storage/AccountRuntimeRepository.h"
#include "app/core/storage/Database.h"
#include "proxy/upstream/CaBundle.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Core {

namespace {

using namespace Cli;

QString describe(const AccountRecord &record)
{
    const QString who = record.email.isEmpty() ? record.baseUrl.host() : record.email;
    return QStringLiteral("account %1 \"%2\" (%3, %4)").arg(record.id).arg(record.name, record.kind, who);
}

/// The extra CAs an account trusts (subject and fingerprint; a certificate is public), or none.
QList<QSslCertificate> customCas(const AccountRecord &record)
{
    return QSslCertificate::fromData(record.caCertificatesPem, QSsl::Pem);
}

QJsonValue caJson(const AccountRecord &record)
{
    const QList<QSslCertificate> certificates = customCas(record);
    if (certificates.isEmpty())
        return QJsonValue::Null;
    QJsonArray array;
    for (const QSslCertificate &certificate : certificates)
        array.append(QJsonObject{
            {QStringLiteral("subject"), certificate.subjectInfo(QSslCertificate::CommonName).join(u' ')},
            {QStringLiteral("sha256"), Proxy::CaBundle::fingerprint(certificate)},
            {QStringLiteral("expires_at"), jsonTime(certificate.expiryDate().toUTC())}});
    return array;
}

/// `--ca-file PATH`: the option add-openai and set-ca share.
QCommandLineOption caFileOption()
{
    return QCommandLineOption(QStringLiteral("ca-file"),
                              QStringLiteral("PEM file with the CA certificate(s) to trust besides the system's "
                                             "(a company CA); verification stays on."),
                              QStringLiteral("PATH"));
}

QString stateText(const AccountRecord &record)
{
    const QString state = Proxy::toString(record.state);
    return record.stateReason.isEmpty() ? state : state + QStringLiteral(" (") + record.stateReason + u')';
}

/// The running pool's state as a word: needs-reauth, cooling-down (a 429), backoff (errors) or active.
QString runtimeState(const Proxy::AccountRuntimeStatus &status, const QDateTime &now)
{
    if (status.needsReauth)
        return QStringLiteral("needs-reauth");
    if (status.isCoolingDown(now))
        return QStringLiteral("cooling-down");
    if (status.isBackingOff(now))
        return QStringLiteral("backoff");
    return QStringLiteral("active");
}

QString runtimeText(const Proxy::AccountRuntimeStatus &status, const QDateTime &now)
{
    const QString state = runtimeState(status, now);
    if (state == u"needs-reauth")
        return QStringLiteral("needs re-auth");
    if (state == u"cooling-down")
        return QStringLiteral("cooling down until ") + displayTime(status.cooldownUntil);
    if (state == u"backoff")
        return QStringLiteral("backoff after %1 errors (until %2)")
            .arg(status.consecutiveErrors)
            .arg(displayTime(status.backoffUntil));
    return state;
}

QJsonValue runtimeJson(const std::optional<PublishedAccountRuntime> &runtime, const QDateTime &now)
{
    if (!runtime)
        return QJsonValue::Null;
    const Proxy::AccountRuntimeStatus &status = runtime->status;
    const auto percent = [](int value) { return value < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(value); };
    return QJsonObject{{QStringLiteral("state"), runtimeState(status, now)},
                       {QStringLiteral("cooldown_until"), jsonTime(status.cooldownUntil)},
                       {QStringLiteral("consecutive_errors"), status.consecutiveErrors},
                       {QStringLiteral("backoff_until"), jsonTime(status.backoffUntil)},
                       {QStringLiteral("needs_reauth"), status.needsReauth},
                       {QStringLiteral("last_error"), status.lastError.isEmpty() ? QJsonValue(QJsonValue::Null)
                                                                                 : QJsonValue(status.lastError)},
                       {QStringLiteral("primary_used_percent"), percent(status.primaryUsedPercent)},
                       {QStringLiteral("secondary_used_percent"), percent(status.secondaryUsedPercent)},
                       {QStringLiteral("published_at"), jsonTime(runtime->publishedAt)}};
}

int list(AccountService &service, Database &database, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print a JSON array."));
    parser.addOption(json);
    if (const auto exit = parseCommand(parser, QStringLiteral("accounts list"), arguments, 0, 0))
        return *exit;
    const Result<QList<AccountInfo>> infos = service.list();
    if (!infos)
        return fail(infos.error());
    // What the running instance last published, if it did so recently enough to be alive.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto published = AccountRuntimeRepository(database.connection()).fresh(now);
    if (!published)
        return fail(published.error());
    const auto runtimeOf = [&published](qint64 id) -> std::optional<PublishedAccountRuntime> {
        const auto row = published.value().constFind(id);
        if (row == published.value().cend())
            return std::nullopt;
        return *row;
    };
    if (parser.isSet(json)) {
        QJsonArray array;
        for (const AccountInfo &info : infos.value()) {
            const AccountRecord &record = info.record;
            array.append(QJsonObject{{QStringLiteral("id"), record.id},
                                     {QStringLiteral("name"), record.name},
                                     {QStringLiteral("kind"), record.kind},
                                     {QStringLiteral("base_url"), record.baseUrl.toString()},
                                     {QStringLiteral("email"), record.email},
                                     {QStringLiteral("plan"), record.planType},
                                     {QStringLiteral("state"), Proxy::toString(record.state)},
                                     {QStringLiteral("state_reason"), record.stateReason},
                                     {QStringLiteral("priority"), record.priority},
                                     {QStringLiteral("token_stored"), info.tokenStored},
                                     {QStringLiteral("refresh_token_stored"), info.refreshTokenStored},
                                     {QStringLiteral("last_refresh_at"), jsonTime(record.lastRefreshAt)},
                                     {QStringLiteral("created_at"), jsonTime(record.createdAt)},
                                     {QStringLiteral("ca_certificates"), caJson(record)},
                                     {QStringLiteral("runtime"), runtimeJson(runtimeOf(record.id), now)}});
        }
        printLine(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)).trimmed());
        return ExitOk;
    }
    QList<QStringList> rows = {{QStringLiteral("ID"), QStringLiteral("NAME"), QStringLiteral("KIND"),
                                QStringLiteral("EMAIL/HOST"), QStringLiteral("PLAN"), QStringLiteral("STATE"),
                                QStringLiteral("TOKEN"), QStringLiteral("CA")}};
    for (const AccountInfo &info : infos.value()) {
        const AccountRecord &record = info.record;
        // Paused and needs-reauth are the stored word; an active account is what the running pool says.
        const auto runtime = runtimeOf(record.id);
        const QString state = record.state == Proxy::AccountState::Active && runtime ? runtimeText(runtime->status, now)
                                                                                     : stateText(record);
        rows.append({QString::number(record.id), record.name, record.kind,
                     record.email.isEmpty() ? record.baseUrl.host() : record.email,
                     record.planType.isEmpty() ? QStringLiteral("-") : record.planType, state,
                     !info.secretProblem.isEmpty() ? QStringLiteral("unknown")
                     : info.tokenStored            ? QStringLiteral("stored")
                                                   : QStringLiteral("missing"),
                     record.caCertificatesPem.isEmpty() ? QStringLiteral("-")
                                                        : Proxy::CaBundle::describe(customCas(record))});
    }
    for (const QString &line : formatTable(rows))
        printLine(line);
    if (!infos.value().isEmpty() && published.value().isEmpty())
        note(QStringLiteral("no running keygate has published its pool in the last %1 s: STATE is the stored state")
                 .arg(AccountRuntimeRepository::StaleAfterSeconds));
    return ExitOk;
}

int addOpenAI(AccountService &service, const QStringList &arguments)
{
    const QString command = QStringLiteral("accounts add-openai");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Add an OpenAI-compatible account with an API key."));
    const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("Account name (default: the host)."),
                                  QStringLiteral("NAME"));
    const QCommandLineOption baseUrl(QStringLiteral("base-url"), QStringLiteral("Base URL, e.g. https://api.openai.com/v1."),
                                     QStringLiteral("URL"));
    const QCommandLineOption caFile = caFileOption();
    const TokenOptions token;
    parser.addOptions({name, baseUrl, caFile});
    token.addTo(parser);
    if (const auto exit = parseCommand(parser, command, arguments, 0, 0))
        return *exit;
    if (!parser.isSet(baseUrl))
        return usageError(QStringLiteral("--base-url is required"), command);
    if (const auto exit = token.requireOne(parser, command))
        return *exit;
    const Result<QUrl> url = parseHttpUrl(parser.value(baseUrl), QStringLiteral("--base-url"));
    if (!url)
        return usageError(url.error(), command);
    QByteArray caPem; // read before the key, so a wrong path fails before stdin is consumed
    if (parser.isSet(caFile)) {
        const Result<QByteArray> read = CaCertificateFile::read(parser.value(caFile));
        if (!read)
            return fail(read.error());
        caPem = read.value();
    }
    const Result<QByteArray> key = token.read(parser);
    if (!key)
        return fail(key.error());
    const Result<AccountRecord> added = service.addOpenAI(parser.value(name), url.value(), key.value(), caPem);
    if (!added)
        return fail(added.error());
    printLine(QStringLiteral("added ") + describe(added.value()));
    if (!caPem.isEmpty())
        printLine(QStringLiteral("trusts the CA ") + Proxy::CaBundle::describe(customCas(added.value())));
    return ExitOk;
}

int import(AccountService &service, const QStringList &arguments)
{
    const QString command = QStringLiteral("accounts import");
    QCommandLineParser parser;
    const QCommandLineOption name(QStringLiteral("name"), QStringLiteral("Account name (default: the email)."),
                                  QStringLiteral("NAME"));
    const QCommandLineOption baseUrl(
        QStringLiteral("base-url"),
        QStringLiteral("ChatGPT backend URL (default: %1).").arg(AccountService::chatGptBaseUrl().toString()),
        QStringLiteral("URL"));
    parser.addOptions({name, baseUrl});
    parser.addPositionalArgument(QStringLiteral("path"), QStringLiteral("auth.json (default ~/.codex/auth.json)."),
                                 QStringLiteral("[PATH]"));
    if (const auto exit = parseCommand(parser, command, arguments, 0, 1))
        return *exit;
    QUrl backend;
    if (parser.isSet(baseUrl)) {
        const Result<QUrl> url = parseHttpUrl(parser.value(baseUrl), QStringLiteral("--base-url"));
        if (!url)
            return usageError(url.error(), command);
        backend = url.value();
    }
    const Result<AccountRecord> imported =
        service.importCodexAuth(parser.positionalArguments().value(0), parser.value(name), backend);
    if (!imported)
        return fail(imported.error());
    printLine(QStringLiteral("imported ") + describe(imported.value()));
    return ExitOk;
}

int setToken(AccountService &service, const QStringList &arguments)
{
    const QString command = QStringLiteral("accounts set-token");
    QCommandLineParser parser;
    const TokenOptions token;
    token.addTo(parser);
    parser.addPositionalArgument(QStringLiteral("name"), QStringLiteral("Account name or id."), QStringLiteral("NAME"));
    if (const auto exit = parseCommand(parser, command, arguments, 1, 1))
        return *exit;
    if (const auto exit = token.requireOne(parser, command))
        return *exit;
    const Result<QByteArray> secret = token.read(parser);
    if (!secret)
        return fail(secret.error());
    const Result<AccountRecord> updated = service.setToken(parser.positionalArguments().constFirst(), secret.value());
    if (!updated)
        return fail(updated.error());
    printLine(QStringLiteral("token set for ") + describe(updated.value()) + QStringLiteral(": ") +
              stateText(updated.value()));
    return ExitOk;
}

int setCa(AccountService &service, const QStringList &arguments)
{
    const QString command = QStringLiteral("accounts set-ca");
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Set or clear the extra CA an OpenAI-compatible account trusts."));
    const QCommandLineOption caFile = caFileOption();
    const QCommandLineOption clear(QStringLiteral("clear"), QStringLiteral("Trust the system CAs only again."));
    parser.addOptions({caFile, clear});
    parser.addPositionalArgument(QStringLiteral("name"), QStringLiteral("Account name or id."), QStringLiteral("NAME"));
    if (const auto exit = parseCommand(parser, command, arguments, 1, 1))
        return *exit;
    if (parser.isSet(caFile) == parser.isSet(clear))
        return usageError(QStringLiteral("give exactly one of --ca-file and --clear"), command);
    QByteArray caPem;
    if (parser.isSet(caFile)) {
        const Result<QByteArray> read = CaCertificateFile::read(parser.value(caFile));
        if (!read)
            return fail(read.error());
        caPem = read.value();
    }
    const Result<AccountRecord> updated = service.setCaCertificates(parser.positionalArguments().constFirst(), caPem);
    if (!updated)
        return fail(updated.error());
    const QString trust = caPem.isEmpty()
                              ? QStringLiteral(" trusts the system CAs only")
                              : QStringLiteral(" trusts the CA ") + Proxy::CaBundle::describe(customCas(updated.value()));
    printLine(describe(updated.value()) + trust);
    return ExitOk;
}

// pause | resume | remove NAME
int changeOne(AccountService &service, const QString &action, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("name"), QStringLiteral("Account name or id."), QStringLiteral("NAME"));
    if (const auto exit = parseCommand(parser, QStringLiteral("accounts ") + action, arguments, 1, 1))
        return *exit;
    const QString target = parser.positionalArguments().constFirst();
    if (action == u"remove") {
        const Result<AccountRecord> record = service.find(target);
        if (!record)
            return fail(record.error());
        if (const Status removed = service.remove(target); !removed)
            return fail(removed.error());
        printLine(QStringLiteral("removed ") + describe(record.value()));
        return ExitOk;
    }
    const Result<AccountRecord> changed = service.setPaused(target, action == u"pause");
    if (!changed)
        return fail(changed.error());
    printLine((action == u"pause" ? QStringLiteral("paused ") : QStringLiteral("resumed ")) + describe(changed.value()));
    return ExitOk;
}

} // namespace

int runAccountsCommand(const CliContext &context, const QStringList &arguments)
{
    const QStringList actions = {QStringLiteral("list"),   QStringLiteral("login"), QStringLiteral("add-openai"), QStringLiteral("import"),
                                 QStringLiteral("set-token"), QStringLiteral("set-ca"), QStringLiteral("pause"), QStringLiteral("resume"),
                                 QStringLiteral("remove")};
    if (arguments.isEmpty())
        return usageError(QStringLiteral("missing accounts action (%1)").arg(actions.join(u'|')),
                          QStringLiteral("accounts"));
    if (arguments.constFirst() == u"--help" || arguments.constFirst() == u"-h") {
        printLine(QStringLiteral("Usage: keygate accounts %1 ...").arg(actions.join(u'|')));
        return ExitOk;
    }
    const QString action = arguments.constFirst();
    if (!actions.contains(action))
        return usageError(QStringLiteral("unknown accounts action \"%1\"").arg(action), QStringLiteral("accounts"));
    const QStringList rest = arguments.mid(1);
    if (action == u"login")
        return runAccountLogin(context, rest);
    CommandEnvironment environment(context);
    if (!environment.openDatabase() || !environment.openSecrets())
        return ExitError;
    AccountService service(environment.database(), environment.secrets());
    if (action == u"list")
        return list(service, environment.database(), rest);
    if (action == u"add-openai")
        return addOpenAI(service, rest);
    if (action == u"import")
        return import(service, rest);
    if (action == u"set-token")
        return setToken(service, rest);
    if (action == u"set-ca")
        return setCa(service, rest);
    return changeOne(service, action, rest);
}

} // namespace Core
