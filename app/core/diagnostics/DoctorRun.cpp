// SPDX-License-Identifier: MIT
#include "app/core/diagnostics/DoctorRun.h"

#include "app/core/diagnostics/AccountReachCheck.h"
#include "app/core/diagnostics/AccountTokenCheck.h"
#include "app/core/diagnostics/ClockCheck.h"
#include "app/core/diagnostics/DatabaseCheck.h"
#include "app/core/diagnostics/ListenCheck.h"
#include "app/core/diagnostics/PricingCheck.h"
#include "app/core/diagnostics/SecretStoreCheck.h"
#include "app/core/services/AccountService.h"
#include "app/core/storage/SettingsRepository.h"

#include <QFileInfo>
#include <QThread>

#include <algorithm>

namespace Core {

namespace {

DiagnosticLine notChecked(const QString &check, const QString &why)
{
    return DiagnosticLine::warn(check, QStringLiteral("not checked: ") + why, QStringLiteral("fix the failures above first"));
}

} // namespace

DoctorRun::DoctorRun(Inputs inputs, QObject *parent) : QObject(parent), m_inputs(std::move(inputs))
{
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, &DoctorRun::finish);
}

DoctorRun::~DoctorRun()
{
    if (m_worker) { // the file checks cannot be interrupted; they end on their own
        m_worker->wait();
        delete m_worker;
    }
}

void DoctorRun::start()
{
    Q_ASSERT(!m_started);
    m_started = true;
    const QString dataDir = m_inputs.dataDir;
    // integrity_check reads the whole file: never on the GUI thread.
    m_worker = QThread::create([this, dataDir] {
        m_fileLines = DatabaseCheck::run(dataDir);
        m_pricingLine = PricingCheck::run(dataDir, QDate::currentDate());
    });
    m_worker->setObjectName(QStringLiteral("keygate-doctor"));
    connect(m_worker, &QThread::finished, this, &DoctorRun::onFileChecks);
    m_worker->start();
}

void DoctorRun::onFileChecks()
{
    m_lines.append(m_inputs.secrets ? SecretStoreCheck::run(*m_inputs.secrets)
                                    : SecretStoreCheck::unavailable(m_inputs.secretsError));
    // A broken keychain may take its whole timeout per call: do not ask it again for every account.
    if (m_lines.constLast().status == DiagnosticLine::Status::Fail)
        m_inputs.secrets = nullptr;
    m_lines.append(m_fileLines);
    const bool databaseSound = std::none_of(m_fileLines.cbegin(), m_fileLines.cend(), [](const DiagnosticLine &line) {
        return line.status == DiagnosticLine::Status::Fail;
    });
    if (!databaseSound) {
        m_lines.append(notChecked(QStringLiteral("listen address"), QStringLiteral("the database cannot be read")));
        m_lines.append(notChecked(QStringLiteral("accounts"), QStringLiteral("the database cannot be read")));
        finish();
        return;
    }
    if (m_inputs.database) {
        startNetworkChecks(*m_inputs.database);
        return;
    }
    if (!QFileInfo::exists(Database::fileName(m_inputs.dataDir))) { // nothing set up: do not create it here
        Database none;
        startNetworkChecks(none);
        return;
    }
    if (const Status opened = m_ownDatabase.open(m_inputs.dataDir); !opened) {
        m_lines.append(DiagnosticLine::fail(QStringLiteral("database open"), opened.error(),
                                            QStringLiteral("see the database lines above")));
        finish();
        return;
    }
    startNetworkChecks(m_ownDatabase);
}

void DoctorRun::startNetworkChecks(Database &database)
{
    StoredSettings settings;
    if (database.isOpen()) {
        const Result<StoredSettings> loaded = SettingsRepository(database.connection()).load();
        if (!loaded)
            m_lines.append(DiagnosticLine::fail(QStringLiteral("settings"), loaded.error(),
                                                QStringLiteral("keygate settings set NAME VALUE (see keygate settings show)")));
        else
            settings = loaded.value();
    }
    m_listen = new ListenCheck(this);
    connect(m_listen, &ListenCheck::finished, this, &DoctorRun::finishIfDone);
    const auto listen = SettingsRepository::parseListen(settings.listen());
    m_listen->start(m_inputs.dataDir, listen ? listen.value().first : QHostAddress(QHostAddress::LocalHost),
                    listen ? listen.value().second : settings.listenPort, m_inputs.timeoutMs);

    QList<Proxy::UpstreamAccount> pool;
    if (database.isOpen() && m_inputs.secrets) {
        const AccountService accounts(database, *m_inputs.secrets);
        const Result<QList<AccountInfo>> listed = accounts.list();
        const Result<QList<Proxy::UpstreamAccount>> loaded = accounts.loadPool();
        if (!listed || !loaded) {
            m_lines.append(DiagnosticLine::fail(QStringLiteral("accounts"), listed ? loaded.error() : listed.error(),
                                                QStringLiteral("see the database lines above")));
        } else {
            pool = loaded.value();
            const QDateTime now = QDateTime::currentDateTimeUtc();
            for (const AccountInfo &info : listed.value()) {
                QByteArray token;
                for (const Proxy::UpstreamAccount &account : std::as_const(pool))
                    if (account.id == info.record.id)
                        token = account.upstream.token;
                m_tokenLines.append({info.record.id, AccountTokenCheck::run(info, token, now)});
            }
        }
    }
    if (m_tokenLines.isEmpty() && !m_inputs.secrets)
        m_lines.append(notChecked(QStringLiteral("accounts"), QStringLiteral("the secret store does not work")));
    m_reach = new AccountReachCheck(this);
    connect(m_reach, &AccountReachCheck::finished, this, &DoctorRun::finishIfDone);
    m_reach->start(pool, m_inputs.timeoutMs);
    for (Proxy::UpstreamAccount &account : pool)
        account.upstream.token.clear();
    m_deadline.start(m_inputs.timeoutMs + DeadlineSlackMs);
}

void DoctorRun::finishIfDone()
{
    if (!m_done && m_listen && m_listen->isFinished() && m_reach && m_reach->isFinished())
        finish();
}

DiagnosticLines DoctorRun::accountLines() const
{
    DiagnosticLines lines;
    for (const auto &[accountId, tokenLines] : m_tokenLines) {
        lines.append(tokenLines);
        if (const std::optional<DiagnosticLine> reach = m_reach->line(accountId))
            lines.append(*reach);
    }
    return lines;
}

void DoctorRun::finish()
{
    if (m_done)
        return;
    m_done = true;
    m_deadline.stop();
    DiagnosticLines lines = m_lines;
    if (m_listen)
        lines.append(m_listen->line());
    if (m_reach) {
        if (m_tokenLines.isEmpty() && m_inputs.secrets)
            lines.append(DiagnosticLine::warn(QStringLiteral("accounts"), QStringLiteral("no upstream account is set up"),
                                              QStringLiteral("keygate accounts login, or keygate accounts add-openai")));
        lines.append(accountLines());
        lines.append(ClockCheck::run(m_reach->clocks()));
    }
    lines.append(m_pricingLine);
    m_ownDatabase.close();
    emit finished(lines);
}

} // namespace Core
