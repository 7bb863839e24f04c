// SPDX-License-Identifier: MIT
// Unit: a ChatGPT backend stream rewritten into the stream the OpenAI SDKs expect from /v1.
#include "proxy/relay/OpenAiSseContract.h"
#include "proxy/relay/SseEventSplitter.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Proxy;

namespace {

QByteArray sse(const QByteArray &type, const QByteArray &data)
{
    return "event: " + type + "\ndata: " + data + "\n\n";
}

const QByteArray RateLimits = sse("codex.rate_limits", R"({"type":"codex.rate_limits","rate_limits":{}})");
const QByteArray InProgress =
    sse("response.in_progress",
          R"({"type":"response.in_progress","response":{"id":"resp_1","model":"gpt-5.4","status":"in_progress","usage":null}})");
const QByteArray Delta = sse("response.output_text.delta", R"({"type":"response.output_text.delta","delta":"Hi"})");
const QByteArray ItemDone =
    sse("response.output_item.done",
          R"({"type":"response.output_item.done","output_index":0,"item":{"id":"msg_1","type":"message"}})");
const QByteArray CompletedEmpty =
    sse("response.completed", R"({"type":"response.completed","response":{"id":"resp_1","output":[],"usage":{"total_tokens":9}}})");

struct Event
{
    QByteArray type;
    QJsonObject data;
};

QList<Event> events(const QByteArray &stream)
{
    QList<Event> out;
    SseEventSplitter splitter;
    splitter.feed(stream, [&](QByteArrayView name, QByteArrayView data) {
        out.append({name.toByteArray(), QJsonDocument::fromJson(data.toByteArray()).object()});
    });
    return out;
}

} // namespace

class tst_OpenAiSseContract final : public QObject
{
    Q_OBJECT

private slots:
    void codexEvents_dropped();
    void missingCreated_synthesisedFromFirstResponse();
    void missingCreated_noResponseObject_fallbackIdAndModel();
    void createdPresent_notDuplicated_eventsKeepTheirBytes();
    void emptyTerminalOutput_backfilledFromDoneItemsInOrder();
    void nonEmptyTerminalOutput_leftAsSent();
    void splitAcrossChunks_sameResultAsWhole();
    void namelessAndMultiLineEvents_typedByDataAndReframed();
    void failure_isAResponseFailedEvent();
};

void tst_OpenAiSseContract::codexEvents_dropped()
{
    OpenAiSseContract contract(QStringLiteral("resp_x"), QStringLiteral("gpt-5.4"));
    const QByteArray out = contract.feed(QByteArray(RateLimits + InProgress + RateLimits + Delta + CompletedEmpty));
    QVERIFY(!out.contains("codex."));
    QCOMPARE(contract.droppedEvents(), 2);
    QVERIFY(contract.terminalSeen());
}

void tst_OpenAiSseContract::missingCreated_synthesisedFromFirstResponse()
{
    OpenAiSseContract contract(QStringLiteral("resp_x"), QStringLiteral("gpt-5.4"));
    const QList<Event> out = events(contract.feed(QByteArray(RateLimits + InProgress + Delta)));
    QCOMPARE(out.size(), 3);
    QCOMPARE(out[0].type, QByteArray("response.created"));
    QCOMPARE(out[0].data.value(u"type").toString(), QStringLiteral("response.created"));
    const QJsonObject response = out[0].data.value(u"response").toObject();
    QCOMPARE(response.value(u"id").toString(), QStringLiteral("resp_1"));
    QCOMPARE(response.value(u"status").toString(), QStringLiteral("in_progress"));
    QVERIFY(response.value(u"output").isArray());
    QVERIFY(!response.contains(u"usage"));
    QCOMPARE(out[1].type, QByteArray("response.in_progress"));
    QCOMPARE(out[2].type, QByteArray("response.output_text.delta"));
}

void tst_OpenAiSseContract::missingCreated_noResponseObject_fallbackIdAndModel()
{
    OpenAiSseContract contract(QStringLiteral("resp_req_1"), QStringLiteral("gpt-5.4-mini"));
    const QList<Event> out = events(contract.feed(Delta));
    QCOMPARE(out.size(), 2);
    const QJsonObject response = out[0].data.value(u"response").toObject();
    QCOMPARE(response.value(u"id").toString(), QStringLiteral("resp_req_1"));
    QCOMPARE(response.value(u"model").toString(), QStringLiteral("gpt-5.4-mini"));
    QCOMPARE(response.value(u"object").toString(), QStringLiteral("response"));
}

void tst_OpenAiSseContract::createdPresent_notDuplicated_eventsKeepTheirBytes()
{
    const QByteArray created =
        sse("response.created", R"({"type":"response.created","response":{"id":"resp_1", "output" : []}})");
    OpenAiSseContract contract(QStringLiteral("resp_x"), QStringLiteral("gpt-5.4"));
    // A conformant stream comes out byte for byte (spacing inside the data included).
    const QByteArray conformant = created + InProgress + Delta + ItemDone
                                  + sse("response.completed", R"({"type":"response.completed","response":{"output":[{"id":"msg_1"}]}})");
    QCOMPARE(contract.feed(conformant), conformant);
}

void tst_OpenAiSseContract::emptyTerminalOutput_backfilledFromDoneItemsInOrder()
{
    const QByteArray second = sse(
        "response.output_item.done",
        R"({"type":"response.output_item.done","output_index":1,"item":{"id":"fc_2","type":"function_call"}})");
    OpenAiSseContract contract(QStringLiteral("resp_x"), QStringLiteral("gpt-5.4"));
    const QList<Event> out = events(contract.feed(QByteArray(InProgress + second + ItemDone + CompletedEmpty)));
    const QJsonObject response = out.constLast().data.value(u"response").toObject();
    QCOMPARE(out.constLast().type, QByteArray("response.completed"));
    const QJsonArray output = response.value(u"output").toArray();
    QCOMPARE(output.size(), 2);
    QCOMPARE(output[0].toObject().value(u"id").toString(), QStringLiteral("msg_1"));
    QCOMPARE(output[1].toObject().value(u"id").toString(), QStringLiteral("fc_2"));
    QCOMPARE(response.value(u"usage").toObject().value(u"total_tokens").toInt(), 9);
}

void tst_OpenAiSseContract::nonEmptyTerminalOutput_leftAsSent()
{
    const QByteArray completed =
        sse("response.completed", R"({"type":"response.completed","response":{"output":[{"id":"kept"}]}})");
    OpenAiSseContract contract(QStringLiteral("resp_x"), QStringLiteral("gpt-5.4"));
    const QByteArray out = contract.feed(QByteArray(InProgress + ItemDone + completed));
    QVERIFY(out.endsWith(completed));
}

void tst_OpenAiSseContract::splitAcrossChunks_sameResultAsWhole()
{
    const QByteArray stream = RateLimits + InProgress + Delta + ItemDone + CompletedEmpty;
    OpenAiSseContract whole(QStringLiteral("resp_x"), QStringLiteral("gpt-5.4"));
    const QByteArray expected = whole.feed(stream);
    for (qsizetype step : {1, 2, 7, 64}) {
        OpenAiSseContract split(QStringLiteral("resp_x"), QStringLiteral("gpt-5.4"));
        QByteArray out;
        for (qsizetype i = 0; i < stream.size(); i += step)
            out += split.feed(QByteArrayView(stream).sliced(i, std::min(step, stream.size() - i)));
        QCOMPARE(out, expected);
    }
}

void tst_OpenAiSseContract::namelessAndMultiLineEvents_typedByDataAndReframed()
{
    OpenAiSseContract contract(QStringLiteral("resp_x"), QStringLiteral("gpt-5.4"));
    const QByteArray out = contract.feed("data: {\"type\":\"codex.keepalive\"}\n\n"
                                         "data: {\"type\":\"response.created\",\n"
                                         "data: \"response\":{\"id\":\"r\"}}\n\n");
    QCOMPARE(contract.droppedEvents(), 1);
    QCOMPARE(out, QByteArray("event: response.created\ndata: {\"type\":\"response.created\",\n"
                             "data: \"response\":{\"id\":\"r\"}}\n\n"));
    // Data without a type is relayed as it came, without an event line.
    QCOMPARE(contract.feed("data: [DONE]\n\n"), QByteArray("data: [DONE]\n\n"));
}

void tst_OpenAiSseContract::failure_isAResponseFailedEvent()
{
    const QList<Event> out = events(OpenAiSseContract::failure(QStringLiteral("stream_incomplete"), QStringLiteral("cut")));
    QCOMPARE(out.size(), 1);
    QCOMPARE(out[0].type, QByteArray("response.failed"));
    const QJsonObject error = out[0].data.value(u"response").toObject().value(u"error").toObject();
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("stream_incomplete"));
    QCOMPARE(error.value(u"message").toString(), QStringLiteral("cut"));
}

QTEST_GUILESS_MAIN(tst_OpenAiSseContract)
#include "tst_openaissecontract.moc"
