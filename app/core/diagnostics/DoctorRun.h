// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/diagnostics/DiagnosticLine.h"
#include "app/core/storage/Database.h"

#include <QObject>
#include <QTimer>

#include <memory>

class QThread;

namespace Core {

class AccountReachCheck;
class ListenCheck;
class SecretStore;

/// One diagnostics run, shared by `keygate doctor` and the console's Help → Diagnostics: the file
/// checks (database, pricing) on a worker thread, the secret store and the stored accounts on the
/// main thread, the listen address and every account's base URL asynchronously, each network check
/// within the timeout and the whole run within timeout + DeadlineSlackMs after the file checks.
/// finished() carries the lines in a fixed order. Main thread; one run per object.
class DoctorRun final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DoctorRun)

public:
    static constexpr int DefaultTimeoutMs = 5000;
    static constexpr int DeadlineSlackMs = 2000;

    struct Inputs final
    {
        QString dataDir;
        /// The open database of a running console; null: the run opens its own when the file is sound.
        Database *database = nullptr;
        SecretStore *secrets = nullptr; ///< null: it could not be created, see secretsError
        QString secretsError;
        int timeoutMs = DefaultTimeoutMs;
    };

    explicit DoctorRun(Inputs inputs, QObject *parent = nullptr);
    ~DoctorRun() override;

    void start();
    bool isRunning() const { return m_started && !m_done; }

signals:
    void finished(const Core::DiagnosticLines &lines);

private:
    void onFileChecks();
    void startNetworkChecks(Database &database);
    void finishIfDone();
    void finish();
    DiagnosticLines accountLines() const;

    Inputs m_inputs;
    Database m_ownDatabase;
    QThread *m_worker = nullptr;
    DiagnosticLines m_fileLines;   // written by the worker, read after it finished
    DiagnosticLine m_pricingLine;  // the same
    DiagnosticLines m_lines;       // what is known so far, in order, before the network checks' lines
    QList<QPair<qint64, DiagnosticLines>> m_tokenLines; // per account in routing order: token, expiry
    ListenCheck *m_listen = nullptr;
    AccountReachCheck *m_reach = nullptr;
    QTimer m_deadline;
    bool m_started = false;
    bool m_done = false;
};

} // namespace Core
