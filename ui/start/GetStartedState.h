// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/relay/RequestRecord.h"

#include "app/core/storage/GetStartedRepository.h"

#include <QObject>

namespace Core {
class ProxyRuntime;
}

namespace Console {

/// The live state of the "Get started" checklist: which of its four steps are done. Read from the
/// database when the console opens and when keys or accounts change (rare, user-driven); the
/// request step follows the runtime's batched request records in memory, no SQL per request.
/// GUI thread.
class GetStartedState final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GetStartedState)

public:
    enum class Step
    {
        Account,
        Key,
        Client,
        Request
    };

    explicit GetStartedState(Core::ProxyRuntime &runtime, QObject *parent = nullptr);

    bool isDone(Step step) const;
    bool isComplete() const { return m_facts.complete(); }
    bool isDismissed() const { return m_facts.dismissed; }
    /// The console opens on the checklist: a step is open and the user has not dismissed it.
    bool isWanted() const { return !m_facts.dismissed && !m_facts.complete(); }
    /// "401 (denied)" for the last request that was refused or failed while none had been answered
    /// yet; empty otherwise.
    QString lastFailure() const { return m_lastFailure; }
    /// The last error of reading or writing the checklist's state; empty when fine.
    QString error() const { return m_error; }

    /// The user opened the client snippets from the checklist (remembered).
    void markClientShown();
    /// Closes the checklist for good (remembered); dismissed() follows.
    void dismiss();

signals:
    void changed();
    void dismissed();

private:
    void reload();
    void observe(const QList<Proxy::RequestRecord> &records);
    void report(const Core::Status &status);

    Core::ProxyRuntime &m_runtime;
    Core::GetStartedFacts m_facts;
    QString m_lastFailure;
    QString m_error;
};

} // namespace Console
