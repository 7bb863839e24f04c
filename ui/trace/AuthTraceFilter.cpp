// SPDX-License-Identifier: MIT
#include "ui/trace/AuthTraceFilter.h"

#include "ui/trace/AuthTraceModel.h"

namespace Console {

AuthTraceFilter::AuthTraceFilter(AuthTraceModel &model, QObject *parent)
    : QSortFilterProxyModel(parent), m_model(model)
{
    setSourceModel(&model);
}

void AuthTraceFilter::refilter()
{
    // invalidate() rebuilds the mapping with one layoutChanged (selection kept). invalidateFilter()
    // would emit one rowsRemoved/rowsInserted per contiguous run: thousands for "denied only" on
    // 50,000 rows, each one O(rows) in the view.
    invalidate();
}

void AuthTraceFilter::setDeniedOnly(bool deniedOnly)
{
    if (deniedOnly == m_deniedOnly)
        return;
    m_deniedOnly = deniedOnly;
    refilter();
}

void AuthTraceFilter::setKey(qint64 keyId, const QString &name)
{
    if (keyId == m_keyId && name == m_keyName)
        return;
    m_keyId = keyId;
    m_keyName = name;
    refilter();
}

void AuthTraceFilter::setSource(const QString &source)
{
    if (source == m_source)
        return;
    m_source = source;
    refilter();
}

void AuthTraceFilter::setSearchText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_search)
        return;
    m_search = trimmed;
    refilter();
}

void AuthTraceFilter::setRequest(const QString &requestId, const QDateTime &time)
{
    if (requestId == m_requestId && time == m_requestTime)
        return;
    m_requestId = requestId;
    m_requestTime = time;
    refilter();
}

const Proxy::AuthTrace &AuthTraceFilter::traceAt(int row) const
{
    return m_model.rowAt(mapToSource(index(row, 0)).row()).trace;
}

QList<Proxy::AuthTrace> AuthTraceFilter::visibleTraces() const
{
    QList<Proxy::AuthTrace> traces;
    const int rows = rowCount();
    traces.reserve(rows);
    for (int row = 0; row < rows; ++row)
        traces.append(traceAt(row));
    return traces;
}

bool AuthTraceFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (sourceParent.isValid())
        return false;
    const AuthTraceRow &row = m_model.rowAt(sourceRow);
    const Proxy::AuthTrace &trace = row.trace;
    if (!m_requestId.isEmpty() &&
        (trace.requestId != m_requestId || (m_requestTime.isValid() && trace.time != m_requestTime)))
        return false;
    if (m_deniedOnly && trace.verdict == Proxy::AuthVerdict::Accepted)
        return false;
    if (m_deniedOnly && (trace.verdict == Proxy::AuthVerdict::Anonymous || trace.verdict == Proxy::AuthVerdict::Reset))
        return false;
    if (!m_source.isEmpty() && trace.source != m_source)
        return false;
    if (m_keyId > 0 || !m_keyName.isEmpty()) {
        bool named =
            (m_keyId > 0 && trace.keyId == m_keyId) || (!m_keyName.isEmpty() && trace.keyName == m_keyName);
        for (qsizetype i = 0; !named && i < trace.steps.size(); ++i)
            named = !m_keyName.isEmpty() && trace.steps.at(i).keyName == m_keyName;
        if (!named)
            return false;
    }
    if (!m_search.isEmpty()) {
        constexpr auto Ci = Qt::CaseInsensitive;
        return row.summary.contains(m_search, Ci) || row.route.contains(m_search, Ci) ||
               trace.peer.contains(m_search, Ci) || trace.requestId.contains(m_search, Ci) ||
               trace.keyName.contains(m_search, Ci) || trace.reason.contains(m_search, Ci);
    }
    return true;
}

} // namespace Console
