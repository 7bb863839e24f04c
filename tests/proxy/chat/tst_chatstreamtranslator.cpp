// SPDX-License-Identifier: MIT
#include "proxy/chat/ChatStreamTranslator.h"
#include "tests/support/FakeUpstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Proxy;

namespace {

const FakeUpstream::Usage Usage{1200, 1000, 80, 30, 1280};

QByteArray joined(const QList<QByteArray> &events)
{
    QByteArray out;
    for (const QByteArray &event : events)
        out += event;
    return out;
}

QByteArray textStream()
{
    return joined(FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("Hel"), QStringLiteral("lo")},
                                                Usage));
}

QByteArray sseEvent(const QByteArray &type, QJsonObject data)
{
    data.insert(QStringLiteral("type"), QString::fromLatin1(type));
    return FakeUpstream::sseEvent(type, data);
}

QJsonObject usageJson()
{
    return {{QStringLiteral("input_tokens"), 1200},
            {QStringLiteral("input_tokens_details"), QJsonObject{{QStringLiteral("cached_tokens"), 1000}}},
            {QStringLiteral("output_tokens"), 80},
            {QStringLiteral("output_tokens_details"), QJsonObject{{QStringLiteral("reasoning_tokens"), 30}}},
            {QStringLiteral("total_tokens"), 1280}};
}

QByteArray terminal(const QByteArray &type, QJsonObject response)
{
    response.insert(QStringLiteral("model"), QStringLiteral("gpt-5.4"));
    return sseEvent(type, {{QStringLiteral("response"), response}});
}

/// A function call streamed as two argument deltas, then completed.
QByteArray toolStream()
{
    const QJsonObject item{{QStringLiteral("id"), QStringLiteral("fc_1")},
                           {QStringLiteral("type"), QStringLiteral("function_call")},
                           {QStringLiteral("call_id"), QStringLiteral("call_1")},
                           {QStringLiteral("name"), QStringLiteral("get_weather")},
                           {QStringLiteral("arguments"), QStringLiteral("")}};
    QJsonObject done = item;
    done.insert(QStringLiteral("arguments"), QStringLiteral("{\"city\":\"Oslo\"}"));
    return sseEvent("response.created", {{QStringLiteral("response"), QJsonObject{{QStringLiteral("model"), QStringLiteral("gpt-5.4")}}}})
           + sseEvent("response.output_item.added", {{QStringLiteral("output_index"), 0}, {QStringLiteral("item"), item}})
           + sseEvent("response.function_call_arguments.delta",
                   {{QStringLiteral("item_id"), QStringLiteral("fc_1")}, {QStringLiteral("output_index"), 0},
                    {QStringLiteral("delta"), QStringLiteral("{\"city\":")}})
           + sseEvent("response.function_call_arguments.delta",
                   {{QStringLiteral("item_id"), QStringLiteral("fc_1")}, {QStringLiteral("output_index"), 0},
                    {QStringLiteral("delta"), QStringLiteral("\"Oslo\"}")}})
           + sseEvent("response.function_call_arguments.done",
                   {{QStringLiteral("item_id"), QStringLiteral("fc_1")}, {QStringLiteral("output_index"), 0},
                    {QStringLiteral("arguments"), QStringLiteral("{\"city\":\"Oslo\"}")}})
           + sseEvent("response.output_item.done", {{QStringLiteral("output_index"), 0}, {QStringLiteral("item"), done}})
           + terminal("response.completed", {{QStringLiteral("status"), QStringLiteral("completed")},
                                             {QStringLiteral("usage"), usageJson()}});
}

ChatStreamTranslator::Options options(bool stream, bool includeUsage = false)
{
    return {stream, includeUsage, QStringLiteral("chatcmpl-test"), QStringLiteral("requested-model"), 1'700'000'000};
}

/// The `data:` payloads of a chat SSE body, in order ("[DONE]" kept as is).
QList<QByteArray> payloads(const QByteArray &sse)
{
    QList<QByteArray> out;
    for (const QByteArray &block : sse.split('\n'))
        if (block.startsWith("data: "))
            out.append(block.mid(6));
    return out;
}

QJsonObject parsed(const QByteArray &payload)
{
    return QJsonDocument::fromJson(payload).object();
}

QJsonObject delta(const QByteArray &payload)
{
    return parsed(payload).value(u"choices").toArray().first().toObject().value(u"delta").toObject();
}

QString finishReason(const QList<QByteArray> &data)
{
    for (const QByteArray &payload : data) {
        const QJsonValue reason = parsed(payload).value(u"choices").toArray().first().toObject().value(u"finish_reason");
        if (reason.isString())
            return reason.toString();
    }
    return {};
}

} // namespace

class tst_ChatStreamTranslator final : public QObject
{
    Q_OBJECT

private slots:
    void stream_content_roleFirstThenDeltasThenStopAndDone_data();
    void stream_content_roleFirstThenDeltasThenStopAndDone();
    void stream_includeUsage_finalChunkWithEmptyChoices();
    void stream_toolCalls_indexIdNameThenArguments();
    void finishReasons_data();
    void finishReasons();
    void stream_failed_errorChunkThenDone();
    void fail_beforeTerminal_errorChunkThenDone();
    void nonStream_completionWithContentAndUsage();
    void nonStream_toolCalls();
    void nonStream_failed_errorStatusAndEnvelope_data();
    void nonStream_failed_errorStatusAndEnvelope();
};

void tst_ChatStreamTranslator::stream_content_roleFirstThenDeltasThenStopAndDone_data()
{
    QTest::addColumn<QByteArray>("upstream");
    QTest::addColumn<int>("pieceSize");
    QTest::newRow("LF, whole") << textStream() << 0;
    QTest::newRow("LF, byte by byte") << textStream() << 1;
    QByteArray crlf = textStream();
    crlf.replace("\n", "\r\n");
    QTest::newRow("CRLF, 7-byte pieces") << crlf << 7;
}

void tst_ChatStreamTranslator::stream_content_roleFirstThenDeltasThenStopAndDone()
{
    QFETCH(QByteArray, upstream);
    QFETCH(int, pieceSize);
    ChatStreamTranslator translator(options(true));
    QByteArray out;
    if (pieceSize == 0)
        out = translator.feed(upstream);
    else
        for (qsizetype i = 0; i < upstream.size(); i += pieceSize)
            out += translator.feed(QByteArrayView(upstream).sliced(i, std::min<qsizetype>(pieceSize, upstream.size() - i)));
    QVERIFY(translator.finished());
    QVERIFY(out.endsWith("data: [DONE]\n\n"));
    const QList<QByteArray> data = payloads(out);
    QCOMPARE(data.size(), 5); // role, "Hel", "lo", finish, [DONE]
    const QJsonObject first = parsed(data.first());
    QCOMPARE(first.value(u"object").toString(), QStringLiteral("chat.completion.chunk"));
    QCOMPARE(first.value(u"id").toString(), QStringLiteral("chatcmpl-test"));
    QCOMPARE(first.value(u"created").toInteger(), 1'700'000'000);
    QCOMPARE(first.value(u"model").toString(), QStringLiteral("gpt-5.4"));
    QVERIFY(!first.contains(u"usage"));
    QCOMPARE(delta(data[0]).value(u"role").toString(), QStringLiteral("assistant"));
    QCOMPARE(delta(data[1]).value(u"content").toString(), QStringLiteral("Hel"));
    QVERIFY(!delta(data[1]).contains(u"role"));
    QCOMPARE(delta(data[2]).value(u"content").toString(), QStringLiteral("lo"));
    QCOMPARE(delta(data[3]), QJsonObject());
    QCOMPARE(finishReason(data), QStringLiteral("stop"));
    QCOMPARE(data.last(), QByteArray("[DONE]"));
    QCOMPARE(translator.feed("data: {\"type\":\"response.output_text.delta\",\"delta\":\"late\"}\n\n"), QByteArray());
}

void tst_ChatStreamTranslator::stream_includeUsage_finalChunkWithEmptyChoices()
{
    ChatStreamTranslator translator(options(true, true));
    const QList<QByteArray> data = payloads(translator.feed(textStream()));
    QCOMPARE(data.last(), QByteArray("[DONE]"));
    const QJsonObject usageChunk = parsed(data[data.size() - 2]);
    QCOMPARE(usageChunk.value(u"choices").toArray().size(), 0);
    const QJsonObject usage = usageChunk.value(u"usage").toObject();
    QCOMPARE(usage.value(u"prompt_tokens").toInteger(), 1200);
    QCOMPARE(usage.value(u"completion_tokens").toInteger(), 80);
    QCOMPARE(usage.value(u"total_tokens").toInteger(), 1280);
    QCOMPARE(usage.value(u"prompt_tokens_details").toObject().value(u"cached_tokens").toInteger(), 1000);
    QCOMPARE(usage.value(u"completion_tokens_details").toObject().value(u"reasoning_tokens").toInteger(), 30);
    // Every other chunk carries "usage": null, as OpenAI sends it with include_usage.
    QVERIFY(parsed(data.first()).contains(u"usage"));
    QVERIFY(parsed(data.first()).value(u"usage").isNull());
}

void tst_ChatStreamTranslator::stream_toolCalls_indexIdNameThenArguments()
{
    ChatStreamTranslator translator(options(true));
    const QList<QByteArray> data = payloads(translator.feed(toolStream()));
    QCOMPARE(delta(data[0]).value(u"role").toString(), QStringLiteral("assistant"));
    const QJsonObject head = delta(data[1]).value(u"tool_calls").toArray().first().toObject();
    QCOMPARE(head.value(u"index").toInt(), 0);
    QCOMPARE(head.value(u"id").toString(), QStringLiteral("call_1"));
    QCOMPARE(head.value(u"type").toString(), QStringLiteral("function"));
    QCOMPARE(head.value(u"function").toObject().value(u"name").toString(), QStringLiteral("get_weather"));
    QString arguments;
    int argumentChunks = 0;
    for (const QByteArray &payload : data.mid(2)) {
        const QJsonArray calls = delta(payload).value(u"tool_calls").toArray();
        if (calls.isEmpty())
            continue;
        QCOMPARE(calls.first().toObject().value(u"index").toInt(), 0);
        QVERIFY(!calls.first().toObject().contains(u"id"));
        arguments += calls.first().toObject().value(u"function").toObject().value(u"arguments").toString();
        ++argumentChunks;
    }
    QCOMPARE(arguments, QStringLiteral("{\"city\":\"Oslo\"}"));
    QCOMPARE(argumentChunks, 2); // the .done events repeat, they add nothing
    QCOMPARE(finishReason(data), QStringLiteral("tool_calls"));
    QCOMPARE(data.last(), QByteArray("[DONE]"));
}

void tst_ChatStreamTranslator::finishReasons_data()
{
    QTest::addColumn<QByteArray>("upstream");
    QTest::addColumn<QString>("reason");
    const QByteArray text = sseEvent("response.output_text.delta", {{QStringLiteral("delta"), QStringLiteral("x")}});
    QTest::newRow("completed") << text + terminal("response.completed", {}) << QStringLiteral("stop");
    QTest::newRow("done") << text + terminal("response.done", {}) << QStringLiteral("stop");
    QTest::newRow("tool call") << toolStream() << QStringLiteral("tool_calls");
    QTest::newRow("incomplete max_output_tokens")
        << text + terminal("response.incomplete", {{QStringLiteral("incomplete_details"),
                                                    QJsonObject{{QStringLiteral("reason"), QStringLiteral("max_output_tokens")}}}})
        << QStringLiteral("length");
    QTest::newRow("incomplete content_filter")
        << text + terminal("response.incomplete", {{QStringLiteral("incomplete_details"),
                                                    QJsonObject{{QStringLiteral("reason"), QStringLiteral("content_filter")}}}})
        << QStringLiteral("content_filter");
}

void tst_ChatStreamTranslator::finishReasons()
{
    QFETCH(QByteArray, upstream);
    QFETCH(QString, reason);
    ChatStreamTranslator streaming(options(true));
    QCOMPARE(finishReason(payloads(streaming.feed(upstream))), reason);
    ChatStreamTranslator whole(options(false));
    whole.feed(upstream);
    QVERIFY(whole.finished());
    QCOMPARE(parsed(whole.completion()).value(u"choices").toArray().first().toObject().value(u"finish_reason").toString(),
             reason);
}

void tst_ChatStreamTranslator::stream_failed_errorChunkThenDone()
{
    ChatStreamTranslator translator(options(true));
    const QByteArray failed = terminal(
        "response.failed", {{QStringLiteral("status"), QStringLiteral("failed")},
                            {QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), QStringLiteral("server_error")},
                                                                  {QStringLiteral("message"), QStringLiteral("boom")}}}});
    const QList<QByteArray> data =
        payloads(translator.feed(QByteArray(sseEvent("response.output_text.delta", {{QStringLiteral("delta"), QStringLiteral("x")}}) + failed)));
    QVERIFY(translator.finished());
    QCOMPARE(data.size(), 3); // role and "x" share the first chunk, then the error, then [DONE]
    const QJsonObject error = parsed(data[data.size() - 2]).value(u"error").toObject();
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("server_error"));
    QCOMPARE(error.value(u"message").toString(), QStringLiteral("boom"));
    QCOMPARE(data.last(), QByteArray("[DONE]"));
}

void tst_ChatStreamTranslator::fail_beforeTerminal_errorChunkThenDone()
{
    ChatStreamTranslator translator(options(true));
    translator.feed(sseEvent("response.output_text.delta", {{QStringLiteral("delta"), QStringLiteral("x")}}));
    QVERIFY(!translator.finished());
    const QList<QByteArray> data = payloads(translator.fail(QStringLiteral("stream_incomplete"), QStringLiteral("cut")));
    QCOMPARE(data.size(), 2);
    QCOMPARE(parsed(data[0]).value(u"error").toObject().value(u"code").toString(), QStringLiteral("stream_incomplete"));
    QCOMPARE(data[1], QByteArray("[DONE]"));
    QVERIFY(translator.finished());
    QCOMPARE(translator.fail(QStringLiteral("again"), QStringLiteral("twice")), QByteArray());
}

void tst_ChatStreamTranslator::nonStream_completionWithContentAndUsage()
{
    ChatStreamTranslator translator(options(false));
    const QByteArray stream = textStream();
    QCOMPARE(translator.feed(stream.first(stream.size() / 2)), QByteArray());
    QVERIFY(!translator.finished());
    QCOMPARE(translator.feed(stream.sliced(stream.size() / 2)), QByteArray());
    QVERIFY(translator.finished());
    QCOMPARE(translator.status(), 200);
    const QJsonObject completion = parsed(translator.completion());
    QCOMPARE(completion.value(u"object").toString(), QStringLiteral("chat.completion"));
    QCOMPARE(completion.value(u"id").toString(), QStringLiteral("chatcmpl-test"));
    QCOMPARE(completion.value(u"model").toString(), QStringLiteral("gpt-5.4"));
    const QJsonObject choice = completion.value(u"choices").toArray().first().toObject();
    QCOMPARE(choice.value(u"index").toInt(-1), 0);
    QCOMPARE(choice.value(u"finish_reason").toString(), QStringLiteral("stop"));
    const QJsonObject message = choice.value(u"message").toObject();
    QCOMPARE(message.value(u"role").toString(), QStringLiteral("assistant"));
    QCOMPARE(message.value(u"content").toString(), QStringLiteral("Hello"));
    QVERIFY(!message.contains(u"tool_calls"));
    const QJsonObject usage = completion.value(u"usage").toObject();
    QCOMPARE(usage.value(u"prompt_tokens").toInteger(), 1200);
    QCOMPARE(usage.value(u"completion_tokens").toInteger(), 80);
    QCOMPARE(usage.value(u"total_tokens").toInteger(), 1280);
    QCOMPARE(usage.value(u"prompt_tokens_details").toObject().value(u"cached_tokens").toInteger(), 1000);
    QCOMPARE(usage.value(u"completion_tokens_details").toObject().value(u"reasoning_tokens").toInteger(), 30);
}

void tst_ChatStreamTranslator::nonStream_toolCalls()
{
    ChatStreamTranslator translator(options(false));
    translator.feed(toolStream());
    const QJsonObject message =
        parsed(translator.completion()).value(u"choices").toArray().first().toObject().value(u"message").toObject();
    QVERIFY(message.value(u"content").isNull());
    const QJsonArray calls = message.value(u"tool_calls").toArray();
    QCOMPARE(calls.size(), 1);
    const QJsonObject call = calls.first().toObject();
    QCOMPARE(call.value(u"id").toString(), QStringLiteral("call_1"));
    QCOMPARE(call.value(u"type").toString(), QStringLiteral("function"));
    QCOMPARE(call.value(u"function").toObject().value(u"name").toString(), QStringLiteral("get_weather"));
    QCOMPARE(call.value(u"function").toObject().value(u"arguments").toString(), QStringLiteral("{\"city\":\"Oslo\"}"));
}

void tst_ChatStreamTranslator::nonStream_failed_errorStatusAndEnvelope_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<int>("status");
    QTest::newRow("server_error") << QStringLiteral("server_error") << 502;
    QTest::newRow("rate_limit_exceeded") << QStringLiteral("rate_limit_exceeded") << 429;
    QTest::newRow("context_length_exceeded") << QStringLiteral("context_length_exceeded") << 400;
}

void tst_ChatStreamTranslator::nonStream_failed_errorStatusAndEnvelope()
{
    QFETCH(QString, code);
    QFETCH(int, status);
    ChatStreamTranslator translator(options(false));
    translator.feed(terminal("response.failed",
                             {{QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), code},
                                                                    {QStringLiteral("message"), QStringLiteral("no")}}}}));
    QVERIFY(translator.finished());
    QCOMPARE(translator.status(), status);
    const QJsonObject error = parsed(translator.completion()).value(u"error").toObject();
    QCOMPARE(error.value(u"code").toString(), code);
    QCOMPARE(error.value(u"message").toString(), QStringLiteral("no"));
}

QTEST_GUILESS_MAIN(tst_ChatStreamTranslator)
#include "tst_chatstreamtranslator.moc"
