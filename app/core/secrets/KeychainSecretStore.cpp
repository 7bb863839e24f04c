// SPDX-License-Identifier: MIT
#include "app/core/secrets/KeychainSecretStore.h"

#include <QDir>
#include <QEventLoop>
#include <QTimer>

#include <qt6keychain/keychain.h>

namespace Core {

namespace {

enum class Operation { Read, Write, Remove };

QString unavailableMessage(const QString &detail)
{
    return QStringLiteral("the OS keychain is unavailable (%1); start a Secret Service (e.g. gnome-keyring) "
                          "or use --secrets file")
        .arg(detail.isEmpty() ? QStringLiteral("no details") : detail);
}

SecretResult mapError(QKeychain::Job &job, Operation operation, const QString &name)
{
    const QString detail = job.errorString();
    switch (job.error()) {
    case QKeychain::NoError:
        return SecretResult::success();
    case QKeychain::EntryNotFound:
        return SecretResult::failure(SecretError::NotFound,
                                     QStringLiteral("secret \"%1\" not found in the OS keychain").arg(name));
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        // A locked collection refuses writes: for the user that is an unusable keychain.
        if (operation == Operation::Write)
            return SecretResult::failure(SecretError::Unavailable, unavailableMessage(detail));
        return SecretResult::failure(SecretError::AccessDenied,
                                     QStringLiteral("access to the OS keychain was denied (%1); unlock it "
                                                    "or use --secrets file")
                                         .arg(detail));
    case QKeychain::NoBackendAvailable:
    case QKeychain::OtherError:
        return SecretResult::failure(SecretError::Unavailable, unavailableMessage(detail));
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::NotImplemented:
        break;
    }
    return SecretResult::failure(SecretError::Other, QStringLiteral("OS keychain error: %1").arg(detail));
}

// Runs @p job to completion or until @p timeoutMs. On timeout the job keeps running and
// deletes itself (autoDelete) when it eventually finishes; our connections die with the loop.
bool waitForJob(QKeychain::Job *job, int timeoutMs)
{
    QEventLoop loop;
    bool finished = false;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [&finished, &loop] {
        finished = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->setAutoDelete(false);
    job->start();
    if (!finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    if (!finished)
        job->setAutoDelete(true);
    return finished;
}

SecretResult timeoutResult(int timeoutMs)
{
    return SecretResult::failure(SecretError::Timeout,
                                 QStringLiteral("the OS keychain did not answer within %1 ms; it may be "
                                                "locked or unavailable (use --secrets file)")
                                     .arg(timeoutMs));
}

/// Runs @p job for secret @p name and maps its outcome; the job is deleted unless it timed out.
SecretResult runJob(QKeychain::Job *job, Operation operation, const QString &name, int timeoutMs)
{
    job->setInsecureFallback(false);
    job->setKey(name);
    if (!waitForJob(job, timeoutMs))
        return timeoutResult(timeoutMs);
    SecretResult result = mapError(*job, operation, name);
    if (const auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(job); read && result.ok)
        result.value = read->binaryData();
    delete job; // finished has been emitted and returned
    return result;
}

} // namespace

QString KeychainSecretStore::serviceFor(const QString &dataDir, const QString &defaultDataDir)
{
    const QString path = QDir(dataDir).absolutePath();
    if (dataDir.isEmpty() || path == QDir(defaultDataDir).absolutePath())
        return QStringLiteral("keygate");
    return QStringLiteral("keygate:") + path;
}

KeychainSecretStore::KeychainSecretStore(QString service, int timeoutMs)
    : m_service(std::move(service)), m_timeoutMs(timeoutMs)
{
}

SecretResult KeychainSecretStore::read(const QString &name)
{
    return runJob(new QKeychain::ReadPasswordJob(m_service), Operation::Read, name, m_timeoutMs);
}

SecretResult KeychainSecretStore::write(const QString &name, const QByteArray &value)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setBinaryData(value);
    return runJob(job, Operation::Write, name, m_timeoutMs);
}

SecretResult KeychainSecretStore::remove(const QString &name)
{
    return runJob(new QKeychain::DeletePasswordJob(m_service), Operation::Remove, name, m_timeoutMs);
}

} // namespace Core
