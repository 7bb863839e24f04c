// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/ProxyController.h"
#include "proxy/auth/AuthPipeline.h"
#include "tests/support/FakeUpstream.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

namespace Proxy {

/// The real proxy on its worker thread, listening on 127.0.0.1:<ephemeral>, with two keys.
class ProxyTestHarness final
{
public:
    static constexpr QByteArrayView PiKey = "sk-kg-PiLaptopPiLaptopPiLaptopPiLaptopPiLaptopQ3xf";
    static constexpr QByteArrayView CiKey = "sk-kg-ContinuousIntegrationContinuousIntegratA1b2";
    static constexpr QByteArrayView PlaceholderJwt =
        "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0=.eyJodHRwczovL2FwaS5vcGVuYWkuY29tL2F1dGgiOnsiY2hhdGdwdF9hY2NvdW50X2lk"
        "IjoicHJveHkifX0=.sig";

    ProxyTestHarness() : records(&controller, &ProxyController::requestsRecorded),
                         traces(&controller, &ProxyController::authTraced)
    {
        config.listenAddress = QHostAddress::LocalHost;
        config.port = 0;
    }

    /// "pi-laptop" (id 1) with @p piPolicy, and "ci" (id 2); both created @p createdAt (default: an hour ago).
    static KeySnapshotPtr keys(bool piEnabled = true, const KeyPolicy &piPolicy = {}, QDateTime createdAt = {})
    {
        if (!createdAt.isValid())
            createdAt = QDateTime::currentDateTimeUtc().addSecs(-3600);
        auto snapshot = std::make_shared<KeySnapshot>();
        snapshot->insert(keyDigest(PiKey), {1, QStringLiteral("pi-laptop"), QStringLiteral("sk-kg-\u2026Q3xf"),
                                            piEnabled, {}, createdAt, piPolicy});
        snapshot->insert(keyDigest(CiKey),
                         {2, QStringLiteral("ci"), QStringLiteral("sk-kg-\u2026A1b2"), true, {}, createdAt, {}});
        return snapshot;
    }

    /// One account (id 1, "default") at @p baseUrl, replacing any others.
    void useUpstream(const QUrl &baseUrl, UpstreamConfig::Kind kind = UpstreamConfig::Kind::Codex)
    {
        config.accounts.clear();
        addAccount(1, baseUrl, "upstream-token", kind);
        config.accounts.first().name = QStringLiteral("default");
        config.accounts.first().upstream.accountId = QStringLiteral("acct-upstream");
    }

    /// Adds an account (priority = its position, chatgpt account id "acct-<id>").
    UpstreamAccount &addAccount(qint64 id, const QUrl &baseUrl, const QByteArray &token,
                                UpstreamConfig::Kind kind = UpstreamConfig::Kind::Codex)
    {
        UpstreamAccount account;
        account.id = id;
        account.name = QStringLiteral("account-%1").arg(id);
        account.priority = int(config.accounts.size());
        account.upstream.kind = kind;
        account.upstream.baseUrl = baseUrl;
        account.upstream.accountId = QStringLiteral("acct-%1").arg(id);
        account.upstream.token = token;
        config.accounts.append(account);
        return config.accounts.last();
    }

    /// Starts the proxy and returns its port (0 on failure).
    quint16 start()
    {
        QSignalSpy started(&controller, &ProxyController::started);
        controller.applyKeys(initialKeys ? initialKeys : keys());
        controller.start(config);
        if (!started.wait(5000))
            return 0;
        const QString hostPort = started.first().first().toString();
        port = quint16(hostPort.section(u':', -1).toUInt());
        return port;
    }

    /// Points the proxy at @p fake, which answers every request with @p reply, and starts it.
    bool startWith(FakeUpstream &fake, const FakeUpstream::Reply &reply)
    {
        fake.setDefaultReply(reply);
        useUpstream(fake.baseUrl());
        return start() != 0;
    }

    /// Every RequestRecord emitted so far.
    QList<RequestRecord> allRecords() const
    {
        QList<RequestRecord> out;
        for (const QList<QVariant> &batch : records)
            out += batch.first().value<QList<RequestRecord>>();
        return out;
    }
    QList<AuthTrace> allTraces() const
    {
        QList<AuthTrace> out;
        for (const QList<QVariant> &batch : traces)
            out += batch.first().value<QList<AuthTrace>>();
        return out;
    }

    /// A raw HTTP/1.1 request with Content-Length, as bytes.
    QByteArray rawPost(QByteArrayView path, const QByteArray &body, const QList<QByteArray> &headerLines) const
    {
        QByteArray out = "POST " + path.toByteArray() + " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port)
                         + "\r\nContent-Type: application/json\r\nContent-Length: "
                         + QByteArray::number(body.size()) + "\r\n";
        for (const QByteArray &line : headerLines)
            out += line + "\r\n";
        return out + "\r\n" + body;
    }

    ProxyConfig config;
    KeySnapshotPtr initialKeys; ///< what start() applies; keys() when unset
    ProxyController controller;
    QSignalSpy records;
    QSignalSpy traces;
    quint16 port = 0;
};

} // namespace Proxy
