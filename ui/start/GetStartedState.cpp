// SPDX-License-Identifier: MIT
#include "ui/start/GetStartedState.h"

#include "app/core/runtime/ProxyRuntime.h"

namespace Console {

GetStartedState::GetStartedState(Core::ProxyRuntime &runtime, QObject *parent)
    : QObject(parent), m_runtime(runtime)
{
    connect(&runtime, &Core::ProxyRuntime::keysChanged, this, &GetStartedState::reload);
    connect(&runtime, &Core::ProxyRuntime::configChanged, this, &GetStartedState::reload);
    connect(&runtime, &Core::ProxyRuntime::requestsRecorded, this, &GetStartedState::observe);
    reload();
}

bool GetStartedState::isDone(Step step) const
{
    switch (step) {
    case Step::Account:
        return m_facts.accountConnected;
    case Step::Key:
        return m_facts.keyCreated;
    case Step::Client:
        return m_facts.clientConnected();
    case Step::Request:
        return m_facts.requestAnswered;
    }
    return false;
}

void GetStartedState::markClientShown()
{
    if (m_facts.clientShown)
        return;
    m_facts.clientShown = true;
    report(Core::GetStartedRepository(m_runtime.database().connection()).setClientShown());
    emit changed();
}

void GetStartedState::dismiss()
{
    if (m_facts.dismissed)
        return;
    m_facts.dismissed = true;
    report(Core::GetStartedRepository(m_runtime.database().connection()).setDismissed(true));
    emit changed();
    emit dismissed();
}

void GetStartedState::reload()
{
    const auto loaded = Core::GetStartedRepository(m_runtime.database().connection()).load();
    if (!loaded)
        return report(loaded.status());
    Core::GetStartedFacts facts = loaded.value();
    // The store may not have committed a request this page already saw answered.
    facts.requestAnswered = facts.requestAnswered || m_facts.requestAnswered;
    facts.clientShown = facts.clientShown || m_facts.clientShown;
    facts.dismissed = facts.dismissed || m_facts.dismissed;
    if (facts == m_facts)
        return;
    m_facts = facts;
    emit changed();
}

void GetStartedState::observe(const QList<Proxy::RequestRecord> &records)
{
    if (m_facts.requestAnswered || records.isEmpty())
        return;
    for (const Proxy::RequestRecord &record : records) {
        if (record.outcome != u"denied" && record.status > 0 && record.status < 400) {
            m_facts.requestAnswered = true;
            m_lastFailure.clear();
            break;
        }
        m_lastFailure = QStringLiteral("%1 (%2)").arg(record.status).arg(record.outcome);
    }
    emit changed(); // a batch arrives at most every 100 ms, and only until the first answer
}

void GetStartedState::report(const Core::Status &status)
{
    const QString error = status ? QString() : status.error();
    if (error == m_error)
        return;
    m_error = error;
    emit changed();
}

} // namespace Console
