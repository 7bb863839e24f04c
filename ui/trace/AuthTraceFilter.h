// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/auth/AuthTrace.h"

#include <QSortFilterProxyModel>

namespace Console {

class AuthTraceModel;

/// The trace page's filters over an AuthTraceModel, keeping its order (newest first): refused only
/// (denied or rejected), one key, the accepted source header, and a case-insensitive text search over
/// summary, peer, route, request id, key name and reason. GUI thread.
class AuthTraceFilter final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuthTraceFilter)

public:
    explicit AuthTraceFilter(AuthTraceModel &model, QObject *parent = nullptr);

    /// Only denied (401) and rejected (400) decisions.
    void setDeniedOnly(bool deniedOnly);
    /// Only decisions that named this key (accepted with it, or a step that recognised it, e.g.
    /// disabled). @p keyId 0 and an empty @p name: every key.
    void setKey(qint64 keyId, const QString &name);
    /// "authorization", "x-api-key" or "none" (the header that was accepted); empty: any.
    void setSource(const QString &source);
    void setSearchText(const QString &text);
    /// Only the decision of request @p requestId made at @p time (ids come from the client's
    /// x-request-id, so they need not be unique); an empty id turns this off.
    void setRequest(const QString &requestId, const QDateTime &time);
    QString requestId() const { return m_requestId; }

    /// The traces of the rows that pass, in view order (newest first).
    QList<Proxy::AuthTrace> visibleTraces() const;
    /// The trace behind a row of this model.
    const Proxy::AuthTrace &traceAt(int row) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void refilter();

    const AuthTraceModel &m_model;
    bool m_deniedOnly = false;
    qint64 m_keyId = 0;
    QString m_keyName;
    QString m_source;
    QString m_search;
    QString m_requestId;
    QDateTime m_requestTime;
};

} // namespace Console
