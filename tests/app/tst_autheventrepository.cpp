// SPDX-License-Identifier: MIT
#include "app/core/storage/AuthEventRepository.h"
#include "app/core/storage/Database.h"
#include "app/core/storage/RecordWriter.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace Core;
using Proxy::AuthStep;
using Proxy::AuthTrace;
using Proxy::AuthVerdict;
using Proxy::HeaderOutcome;

namespace {

AuthTrace makeTrace(int n, AuthVerdict verdict)
{
    AuthTrace trace;
    trace.time = QDateTime::fromMSecsSinceEpoch(1'750'000'000'123 + n * 1000, Qt::UTC);
    trace.requestId = QStringLiteral("req-%1").arg(n);
    trace.peer = QStringLiteral("127.0.0.1");
    trace.method = QStringLiteral("POST");
    trace.path = QStringLiteral("/v1/responses");
    trace.verdict = verdict;
    trace.durationNs = 12'345 + n;
    if (verdict == AuthVerdict::Accepted) {
        trace.steps = {AuthStep{QStringLiteral("Authorization"), QStringLiteral("JWT-shaped \u2026c2ln"),
                                HeaderOutcome::Unknown, QString()},
                       AuthStep{QStringLiteral("x-api-key"), QStringLiteral("sk-kg-\u2026Q3xf"),
                                HeaderOutcome::Accepted, QStringLiteral("pi-laptop")}};
        trace.keyId = 7;
        trace.keyName = QStringLiteral("pi-laptop");
        trace.source = QStringLiteral("x-api-key");
    } else {
        trace.steps = {AuthStep{QStringLiteral("Authorization"), QString(), HeaderOutcome::Absent, QString()},
                       AuthStep{QStringLiteral("x-api-key"), QStringLiteral("sk-kg-\u2026zzzz"),
                                HeaderOutcome::Unknown, QString()}};
        trace.source = QStringLiteral("none");
        trace.status = 401;
        trace.reason = QStringLiteral("Invalid API key");
    }
    return trace;
}

void compareTraces(const AuthTrace &actual, const AuthTrace &expected)
{
    QCOMPARE(actual.time, expected.time);
    QCOMPARE(actual.requestId, expected.requestId);
    QCOMPARE(actual.peer, expected.peer);
    QCOMPARE(actual.method, expected.method);
    QCOMPARE(actual.path, expected.path);
    QCOMPARE(Proxy::toString(actual.verdict), Proxy::toString(expected.verdict));
    QCOMPARE(actual.keyId, expected.keyId);
    QCOMPARE(actual.keyName, expected.keyName);
    QCOMPARE(actual.source, expected.source);
    QCOMPARE(actual.status, expected.status);
    QCOMPARE(actual.reason, expected.reason);
    QCOMPARE(actual.durationNs, expected.durationNs);
    QCOMPARE(actual.steps.size(), expected.steps.size());
    for (qsizetype i = 0; i < expected.steps.size(); ++i) {
        QCOMPARE(actual.steps.at(i).header, expected.steps.at(i).header);
        QCOMPARE(actual.steps.at(i).maskedValue, expected.steps.at(i).maskedValue);
        QCOMPARE(Proxy::toString(actual.steps.at(i).outcome), Proxy::toString(expected.steps.at(i).outcome));
        QCOMPARE(actual.steps.at(i).keyName, expected.steps.at(i).keyName);
    }
    QCOMPARE(actual.summary(), expected.summary());
}

} // namespace

class tst_AuthEventRepository final : public QObject
{
    Q_OBJECT

private slots:
    void recent_emptyTable_returnsNothing()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        const auto traces = AuthEventRepository(db.connection()).recent(100);
        QVERIFY2(traces.ok(), qPrintable(traces.error()));
        QVERIFY(traces.value().isEmpty());
    }

    void recent_writtenByRecordWriter_roundTripsNewestFirst()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        const QList<AuthTrace> written{makeTrace(1, AuthVerdict::Accepted), makeTrace(2, AuthVerdict::Denied),
                                       makeTrace(3, AuthVerdict::Accepted)};
        QVERIFY(RecordWriter(db.connection()).write({}, written).ok());

        const auto read = AuthEventRepository(db.connection()).recent(100);
        QVERIFY2(read.ok(), qPrintable(read.error()));
        QCOMPARE(read.value().size(), 3);
        compareTraces(read.value().at(0), written.at(2));
        compareTraces(read.value().at(1), written.at(1));
        compareTraces(read.value().at(2), written.at(0));
        QCOMPARE(read.value().at(0).summary(),
                 QStringLiteral(
                     "Bearer unknown (JWT-shaped \u2026c2ln) \u2192 x-api-key accepted sk-kg-\u2026Q3xf "
                     "\"pi-laptop\""));

        // The recomputed summary equals the one RecordWriter stored.
        QSqlQuery stored(db.connection());
        QVERIFY(stored.exec(QStringLiteral("SELECT summary FROM auth_events ORDER BY id DESC")));
        for (const AuthTrace &trace : read.value()) {
            QVERIFY(stored.next());
            QCOMPARE(trace.summary(), stored.value(0).toString());
        }
    }

    void recent_limit_returnsOnlyTheNewest()
    {
        QTemporaryDir tmp;
        Database db;
        QVERIFY(db.open(tmp.path()).ok());
        QList<AuthTrace> written;
        for (int i = 0; i < 5; ++i)
            written.append(makeTrace(i, AuthVerdict::Denied));
        QVERIFY(RecordWriter(db.connection()).write({}, written).ok());
        // A second batch: insertion order decides, not the time column.
        AuthTrace late = makeTrace(-100, AuthVerdict::Accepted);
        QVERIFY(RecordWriter(db.connection()).write({}, {late}).ok());

        const QList<AuthTrace> read = AuthEventRepository(db.connection()).recent(2).value();
        QCOMPARE(read.size(), 2);
        QCOMPARE(read.at(0).requestId, late.requestId);
        QCOMPARE(read.at(1).requestId, QStringLiteral("req-4"));
        QVERIFY(AuthEventRepository(db.connection()).recent(0).value().isEmpty());
    }

    void stepsFromJson_specialCharacters_roundTrip()
    {
        AuthTrace trace = makeTrace(1, AuthVerdict::Rejected);
        trace.steps = {AuthStep{QStringLiteral("x-api-key"), QStringLiteral("token (9 chars)"),
                                HeaderOutcome::Conflicting,
                                QStringLiteral("a \"quoted\" \\ name\n\u00e9\u2192")},
                       AuthStep{QStringLiteral("Authorization"), QStringLiteral("token (3 chars)"),
                                HeaderOutcome::Malformed, QString()}};
        const QList<AuthStep> steps = AuthEventRepository::stepsFromJson(RecordWriter::stepsJson(trace));
        QCOMPARE(steps.size(), 2);
        QCOMPARE(steps.at(0).keyName, trace.steps.at(0).keyName);
        QCOMPARE(Proxy::toString(steps.at(0).outcome), Proxy::toString(HeaderOutcome::Conflicting));
        QCOMPARE(Proxy::toString(steps.at(1).outcome), Proxy::toString(HeaderOutcome::Malformed));
        QCOMPARE(steps.at(1).maskedValue, QStringLiteral("token (3 chars)"));
        QVERIFY(AuthEventRepository::stepsFromJson(QStringLiteral("not json")).isEmpty());
    }

    void fromString_everyValue_invertsToString()
    {
        for (const HeaderOutcome outcome :
             {HeaderOutcome::Absent, HeaderOutcome::Malformed, HeaderOutcome::Unknown,
              HeaderOutcome::Disabled, HeaderOutcome::Expired, HeaderOutcome::Accepted,
              HeaderOutcome::Conflicting})
            QVERIFY(AuthEventRepository::headerOutcomeFromString(Proxy::toString(outcome)) == outcome);
        for (const AuthVerdict verdict :
             {AuthVerdict::Accepted, AuthVerdict::Anonymous, AuthVerdict::Denied, AuthVerdict::Rejected})
            QVERIFY(AuthEventRepository::verdictFromString(Proxy::toString(verdict)) == verdict);
        QVERIFY(!AuthEventRepository::verdictFromString(QStringLiteral("maybe")));
    }
};

QTEST_GUILESS_MAIN(tst_AuthEventRepository)
#include "tst_autheventrepository.moc"
