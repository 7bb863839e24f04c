// SPDX-License-Identifier: MIT
// Unit: the upstream body of a /responses/compact request.
#include "proxy/relay/CompactRequest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Proxy;

namespace {

QJsonObject sent(const CompactRequest &request)
{
    return QJsonDocument::fromJson(request.upstreamBody).object();
}

} // namespace

class tst_CompactRequest final : public QObject
{
    Q_OBJECT

private slots:
    void build_streamedTurnWithTrailingTrigger();
    void build_stringOrMissingInput();
    void build_existingTrailingTriggerKept_misplacedRefused();
};

void tst_CompactRequest::build_streamedTurnWithTrailingTrigger()
{
    const CompactRequest request = CompactRequest::fromClientBody(
        "{\"model\":\"m\",\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"a\"}],\"tools\":[],"
        "\"tool_choice\":\"auto\",\"parallel_tool_calls\":true,\"store\":true,\"stream\":false,"
        "\"reasoning\":{\"effort\":\"high\"}}");
    QVERIFY(request.ok());
    const QJsonObject body = sent(request);
    QCOMPARE(body.value(u"store").toBool(true), false);
    QCOMPARE(body.value(u"stream").toBool(false), true);
    QCOMPARE(body.value(u"parallel_tool_calls").toBool(true), false);
    QVERIFY(!body.contains(u"tools"));
    QVERIFY(!body.contains(u"tool_choice"));
    QCOMPARE(body.value(u"reasoning").toObject().value(u"effort").toString(), QStringLiteral("high"));
    const QJsonArray input = body.value(u"input").toArray();
    QCOMPARE(input.size(), 2);
    QCOMPARE(input.last().toObject().value(u"type").toString(), QStringLiteral("compaction_trigger"));
    QCOMPARE(input.last().toObject().size(), 1);
}

void tst_CompactRequest::build_stringOrMissingInput()
{
    const QJsonArray fromString = sent(CompactRequest::fromClientBody("{\"input\":\"hello\"}")).value(u"input").toArray();
    QCOMPARE(fromString.size(), 2);
    const QJsonObject message = fromString.first().toObject();
    QCOMPARE(message.value(u"role").toString(), QStringLiteral("user"));
    QCOMPARE(message.value(u"content").toArray().first().toObject().value(u"text").toString(), QStringLiteral("hello"));

    const QJsonArray none = sent(CompactRequest::fromClientBody("{\"model\":\"m\"}")).value(u"input").toArray();
    QCOMPARE(none.size(), 1);
    QVERIFY(!CompactRequest::fromClientBody("{\"input\":42}").ok());
    QVERIFY(!CompactRequest::fromClientBody("[1]").ok());
}

void tst_CompactRequest::build_existingTrailingTriggerKept_misplacedRefused()
{
    const CompactRequest kept = CompactRequest::fromClientBody(
        "{\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"a\"},{\"type\":\"compaction_trigger\"}]}");
    QVERIFY(kept.ok());
    QCOMPARE(sent(kept).value(u"input").toArray().size(), 2);

    QVERIFY(!CompactRequest::fromClientBody("{\"input\":[{\"type\":\"compaction_trigger\"},{\"type\":\"message\"}]}").ok());
    QVERIFY(!CompactRequest::fromClientBody(
                 "{\"input\":[{\"type\":\"compaction_trigger\"},{\"type\":\"compaction_trigger\"}]}")
                 .ok());
}

QTEST_GUILESS_MAIN(tst_CompactRequest)
#include "tst_compactrequest.moc"
