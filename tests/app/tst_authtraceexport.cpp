// SPDX-License-Identifier: MIT
#include "proxy/auth/AuthPipeline.h"
#include "proxy/auth/SecretMask.h"

#include "app/core/services/AuthTraceExport.h"
#include "app/core/services/KeyMaterial.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace Core;
using Proxy::AuthStep;
using Proxy::AuthTrace;
using Proxy::AuthVerdict;
using Proxy::HeaderOutcome;

namespace {

/// A minimal RFC 4180 reader, to check what toCsv() wrote.
QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row.append(field);
            field.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            row.append(field);
            field.clear();
            rows.append(row);
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty())
        rows.append(row << field);
    return rows;
}

/// Runs the real auth pipeline: @p headers against a snapshot holding @p knownKey as "pi-laptop".
AuthTrace decide(const QString &knownKey, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    Proxy::KeySnapshot keys;
    keys.insert(
        Proxy::keyDigest(knownKey.toUtf8()),
        Proxy::KeyEntry{7, QStringLiteral("pi-laptop"), Proxy::maskKeygateKey(knownKey.toUtf8()), true, {}, {}, {}});
    Proxy::HttpHeaders httpHeaders;
    for (const auto &[name, value] : headers)
        httpHeaders.append(name, value);
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(1'750'000'000'042, Qt::UTC);
    AuthTrace trace = Proxy::decideAuth({"POST", "/v1/responses", httpHeaders, QHostAddress::LocalHost},
                                        Proxy::AuthPolicy{}, keys, now)
                          .trace;
    trace.time = now;
    trace.requestId = QStringLiteral("req-1");
    trace.peer = QStringLiteral("127.0.0.1");
    trace.method = QStringLiteral("POST");
    trace.path = QStringLiteral("/v1/responses");
    trace.durationNs = 4'260;
    return trace;
}

} // namespace

class tst_AuthTraceExport final : public QObject
{
    Q_OBJECT

private slots:
    void toJson_acceptedTrace_hasEveryField()
    {
        const QString key = KeyMaterial::generate().plaintext;
        const AuthTrace trace =
            decide(key, {{"Authorization", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJwaSJ9.c2ln"},
                         {"x-api-key", key.toUtf8()}});
        QCOMPARE(Proxy::toString(trace.verdict), Proxy::toString(AuthVerdict::Accepted));

        const QJsonArray array = QJsonDocument::fromJson(AuthTraceExport::toJson({trace})).array();
        QCOMPARE(array.size(), 1);
        const QJsonObject object = array.at(0).toObject();
        QCOMPARE(object.keys().size(), AuthTraceExport::columns().size());
        QCOMPARE(object.value(u"time").toString(), QStringLiteral("2025-06-15T15:06:40.042Z"));
        QCOMPARE(object.value(u"request_id").toString(), QStringLiteral("req-1"));
        QCOMPARE(object.value(u"peer").toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(object.value(u"method").toString(), QStringLiteral("POST"));
        QCOMPARE(object.value(u"path").toString(), QStringLiteral("/v1/responses"));
        QCOMPARE(object.value(u"verdict").toString(), QStringLiteral("accepted"));
        QCOMPARE(object.value(u"status").toInt(), 0);
        QCOMPARE(object.value(u"key_id").toInteger(), 7);
        QCOMPARE(object.value(u"key_name").toString(), QStringLiteral("pi-laptop"));
        QCOMPARE(object.value(u"source").toString(), QStringLiteral("x-api-key"));
        QCOMPARE(object.value(u"summary").toString(), trace.summary());
        QCOMPARE(object.value(u"reason").toString(), QString());
        QCOMPARE(object.value(u"duration_us").toDouble(), 4.3);
        const QJsonArray steps = object.value(u"steps").toArray();
        QCOMPARE(steps.size(), 2);
        QCOMPARE(steps.at(0).toObject().value(u"header").toString(), QStringLiteral("Authorization"));
        QCOMPARE(steps.at(0).toObject().value(u"value").toString(), QStringLiteral("JWT-shaped \u2026c2ln"));
        QCOMPARE(steps.at(0).toObject().value(u"outcome").toString(), QStringLiteral("unknown"));
        QCOMPARE(steps.at(1).toObject().value(u"value").toString(),
                 QStringLiteral("sk-kg-\u2026") + key.right(4));
        QCOMPARE(steps.at(1).toObject().value(u"key_name").toString(), QStringLiteral("pi-laptop"));
    }

    void toJson_deniedTrace_keyIdIsNull()
    {
        const QString key = KeyMaterial::generate().plaintext;
        const AuthTrace trace = decide(key, {{"x-api-key", KeyMaterial::generate().plaintext.toUtf8()}});
        QCOMPARE(Proxy::toString(trace.verdict), Proxy::toString(AuthVerdict::Denied));
        const QJsonObject object =
            QJsonDocument::fromJson(AuthTraceExport::toJson({trace})).array().at(0).toObject();
        QVERIFY(object.value(u"key_id").isNull());
        QCOMPARE(object.value(u"status").toInt(), 401);
        QCOMPARE(object.value(u"reason").toString(), QStringLiteral("Invalid API key"));
        QCOMPARE(object.value(u"verdict").toString(), QStringLiteral("denied"));
    }

    void toCsv_specialCharacters_quotedPerRfc4180()
    {
        AuthTrace trace;
        trace.time = QDateTime::fromMSecsSinceEpoch(1'750'000'000'000, Qt::UTC);
        trace.requestId = QStringLiteral("req-\"x\"");
        trace.peer = QStringLiteral("::1");
        trace.method = QStringLiteral("POST");
        trace.path = QStringLiteral("/v1/responses");
        trace.verdict = AuthVerdict::Accepted;
        trace.keyId = 3;
        trace.keyName = QStringLiteral("laptop, \"work\"\nline 2");
        trace.source = QStringLiteral("authorization");
        trace.steps = {AuthStep{QStringLiteral("Authorization"), QStringLiteral("sk-kg-\u2026Q3xf"),
                                HeaderOutcome::Accepted, trace.keyName}};
        trace.durationNs = 15'000;

        const QByteArray csv = AuthTraceExport::toCsv({trace, trace});
        QVERIFY(
            csv.startsWith("time,request_id,peer,method,path,verdict,status,key_id,key_name,source,summary,"
                           "reason,duration_us,steps\r\n"));
        QVERIFY(csv.endsWith("\r\n"));
        QVERIFY(csv.contains("\"laptop, \"\"work\"\"\nline 2\""));
        const QList<QStringList> rows = parseCsv(QString::fromUtf8(csv));
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows.at(0), AuthTraceExport::columns());
        const QStringList &row = rows.at(1);
        QCOMPARE(row.size(), AuthTraceExport::columns().size());
        QCOMPARE(row.at(0), QStringLiteral("2025-06-15T15:06:40.000Z"));
        QCOMPARE(row.at(1), trace.requestId);
        QCOMPARE(row.at(5), QStringLiteral("accepted"));
        QCOMPARE(row.at(6), QStringLiteral("0"));
        QCOMPARE(row.at(7), QStringLiteral("3"));
        QCOMPARE(row.at(8), trace.keyName);
        QCOMPARE(row.at(9), QStringLiteral("authorization"));
        QCOMPARE(row.at(10), trace.summary());
        QCOMPARE(row.at(12), QStringLiteral("15.0"));
        QCOMPARE(row.at(13),
                 QStringLiteral("Authorization: accepted sk-kg-\u2026Q3xf \"") + trace.keyName + u'"');
        QCOMPARE(rows.at(2), row);
    }

    void export_emptyList_onlyHeaderOrEmptyArray()
    {
        QCOMPARE(AuthTraceExport::toCsv({}), AuthTraceExport::columns().join(u',').toUtf8() + "\r\n");
        QVERIFY(QJsonDocument::fromJson(AuthTraceExport::toJson({})).array().isEmpty());
        QCOMPARE(AuthTraceExport::csvField(QStringLiteral("plain")), QStringLiteral("plain"));
        QCOMPARE(AuthTraceExport::csvField(QStringLiteral("a\"b")), QStringLiteral("\"a\"\"b\""));
    }

    void export_realPipelineTraces_neverContainPlaintextKeys()
    {
        const QString known = KeyMaterial::generate().plaintext;
        const QString unknown = KeyMaterial::generate().plaintext;
        const QList<AuthTrace> traces{
            decide(known, {{"Authorization", "Bearer " + known.toUtf8()}}),
            decide(known, {{"Authorization", "Bearer " + unknown.toUtf8()}, {"x-api-key", known.toUtf8()}}),
            decide(known, {{"Authorization", "Basic " + known.toUtf8()}}),
            decide(known, {{"x-api-key", unknown.toUtf8()}}),
            decide(known, {{"x-api-key", known.toUtf8()}, {"x-api-key", unknown.toUtf8()}}),
        };
        QCOMPARE(Proxy::toString(traces.at(0).verdict), Proxy::toString(AuthVerdict::Accepted));
        QCOMPARE(Proxy::toString(traces.at(1).verdict), Proxy::toString(AuthVerdict::Accepted));
        QCOMPARE(Proxy::toString(traces.at(2).verdict), Proxy::toString(AuthVerdict::Denied));
        QCOMPARE(Proxy::toString(traces.at(3).verdict), Proxy::toString(AuthVerdict::Denied));
        QCOMPARE(Proxy::toString(traces.at(4).verdict), Proxy::toString(AuthVerdict::Rejected));
        for (const QByteArray &exported : {AuthTraceExport::toJson(traces), AuthTraceExport::toCsv(traces)}) {
            for (const QString &plaintext : {known, unknown}) {
                // Neither the key nor its secret part (all but the prefix shown in the key list).
                QVERIFY(!exported.contains(plaintext.toUtf8()));
                QVERIFY(!exported.contains(plaintext.mid(KeyMaterial::PrefixDisplayLength, 16).toUtf8()));
            }
            QVERIFY(exported.contains(Proxy::maskKeygateKey(known.toUtf8()).toUtf8()));
        }
    }
};

QTEST_GUILESS_MAIN(tst_AuthTraceExport)
#include "tst_authtraceexport.moc"
