// SPDX-License-Identifier: MIT
// Integration: POST /v1/chat/completions through the real proxy thread to a FakeUpstream speaking Responses SSE.
#include "tests/proxy/server/ProxyTestClient.h"
#include "tests/proxy/server/ProxyTestHarness.h"
#include "tests/support/FakeUpstream.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>

using namespace Proxy;

namespace {

const FakeUpstream::Usage Usage{1200, 1000, 80, 30, 1280};

/// JSON written with single quotes (moc and raw string literals do not mix); no apostrophes inside.
QByteArray j(const char *text)
{
    QByteArray out(text);
    out.replace('\'', '"');
    return out;
}

FakeUpstream::Reply textReply()
{
    return FakeUpstream::Reply::sse(
        FakeUpstream::responsesStream(QStringLiteral("gpt-5.4"), {QStringLiteral("Hel"), QStringLiteral("lo")}, Usage));
}

QByteArray sseEvent(const QByteArray &type, QJsonObject data)
{
    data.insert(QStringLiteral("type"), QString::fromLatin1(type));
    return FakeUpstream::sseEvent(type, data);
}

/// One function call (get_weather, arguments in two deltas), then response.completed with Usage.
FakeUpstream::Reply toolReply()
{
    const QJsonObject item{{QStringLiteral("id"), QStringLiteral("fc_1")},
                           {QStringLiteral("type"), QStringLiteral("function_call")},
                           {QStringLiteral("call_id"), QStringLiteral("call_1")},
                           {QStringLiteral("name"), QStringLiteral("get_weather")},
                           {QStringLiteral("arguments"), QStringLiteral("")}};
    QJsonObject done = item;
    done.insert(QStringLiteral("arguments"), QStringLiteral("{\"city\":\"Oslo\"}"));
    const QJsonObject usage{{QStringLiteral("input_tokens"), Usage.input},
                            {QStringLiteral("input_tokens_details"), QJsonObject{{QStringLiteral("cached_tokens"), Usage.cached}}},
                            {QStringLiteral("output_tokens"), Usage.output},
                            {QStringLiteral("output_tokens_details"),
                             QJsonObject{{QStringLiteral("reasoning_tokens"), Usage.reasoning}}},
                            {QStringLiteral("total_tokens"), Usage.total}};
    const QJsonObject response{{QStringLiteral("id"), QStringLiteral("resp_tool")},
                               {QStringLiteral("model"), QStringLiteral("gpt-5.4")},
                               {QStringLiteral("status"), QStringLiteral("completed")},
                               {QStringLiteral("usage"), usage}};
    return FakeUpstream::Reply::sse(
        {sseEvent("response.created", {{QStringLiteral("response"), QJsonObject{{QStringLiteral("id"), QStringLiteral("resp_tool")}}}}),
         sseEvent("response.output_item.added", {{QStringLiteral("output_index"), 0}, {QStringLiteral("item"), item}}),
         sseEvent("response.function_call_arguments.delta",
                  {{QStringLiteral("item_id"), QStringLiteral("fc_1")}, {QStringLiteral("output_index"), 0},
                   {QStringLiteral("delta"), QStringLiteral("{\"city\":")}}),
         sseEvent("response.function_call_arguments.delta",
                  {{QStringLiteral("item_id"), QStringLiteral("fc_1")}, {QStringLiteral("output_index"), 0},
                   {QStringLiteral("delta"), QStringLiteral("\"Oslo\"}")}}),
         sseEvent("response.output_item.done", {{QStringLiteral("output_index"), 0}, {QStringLiteral("item"), done}}),
         sseEvent("response.completed", {{QStringLiteral("response"), response}})});
}

/// The `data:` payloads of an SSE body.
QList<QByteArray> sseData(const ProxyResponse &response)
{
    QList<QByteArray> out;
    for (const QByteArray &line : response.body.split('\n'))
        if (line.startsWith("data: "))
            out.append(line.mid(6));
    return out;
}

/// POST /v1/chat/completions as the openai SDK sends it (Accept: application/json, streaming or not).
ProxyResponse post(quint16 port, const QByteArray &body, const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkAccessManager nam;
    return sendToProxy(nam, port, "POST", "/v1/chat/completions",
                       QList<QPair<QByteArray, QByteArray>>{{"Accept", "application/json"}} + headers, body);
}

QList<QPair<QByteArray, QByteArray>> bearer()
{
    return {{"Authorization", "Bearer " + ProxyTestHarness::PiKey.toByteArray()}};
}

QJsonObject delta(const QByteArray &payload)
{
    return QJsonDocument::fromJson(payload).object().value(u"choices").toArray().first().toObject().value(u"delta").toObject();
}

QJsonObject upstreamBody(const FakeUpstream &fake)
{
    return QJsonDocument::fromJson(fake.lastRequest().body).object();
}

} // namespace

class tst_ChatCompletions final : public QObject
{
    Q_OBJECT

private slots:
    void streaming_contentChunksThenStopAndDone();
    void streaming_toolCallDeltas();
    void streaming_includeUsage_usageChunkBeforeDone();
    void nonStreaming_completionWithToolCalls();
    void nonStreaming_usageRecordedForKeyAsUpstreamReported();
    void images_reachUpstreamAsInputImage();
    void forwarding_clientKeyHeadersNeverReachUpstream();
    void badMessages_400WithParamAndNoUpstreamCall();
    void upstreamError_beforeFirstByte_statusAndEnvelopePassedOn();
    void responseFailed_midStream_errorChunkThenDone();
};

void tst_ChatCompletions::streaming_contentChunksThenStopAndDone()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, textReply()));
    const ProxyResponse response = post(proxy.port,
        j("{'model':'gpt-5.4','stream':true,'messages':[{'role':'system','content':'Be brief'},{'role':'user','content':'Hi'}]}"),
        bearer());
    QCOMPARE(response.status, 200);
    QVERIFY(response.header("Content-Type").startsWith("text/event-stream"));
    const QList<QByteArray> data = sseData(response);
    QVERIFY2(data.size() == 5, response.body.constData());
    QCOMPARE(delta(data[0]).value(u"role").toString(), QStringLiteral("assistant"));
    QCOMPARE(delta(data[1]).value(u"content").toString() + delta(data[2]).value(u"content").toString(), QStringLiteral("Hello"));
    const QJsonObject last = QJsonDocument::fromJson(data[3]).object();
    QCOMPARE(last.value(u"object").toString(), QStringLiteral("chat.completion.chunk"));
    QCOMPARE(last.value(u"choices").toArray().first().toObject().value(u"finish_reason").toString(), QStringLiteral("stop"));
    QCOMPARE(data[4], QByteArray("[DONE]"));
    QVERIFY(!response.body.contains("response.output_text.delta")); // nothing of the Responses stream leaks

    QCOMPARE(fake.lastRequest().path, QByteArray("/codex/responses"));
    QCOMPARE(fake.lastRequest().headers.value("accept"), QByteArray("text/event-stream"));
    const QJsonObject upstream = upstreamBody(fake);
    QCOMPARE(upstream.value(u"stream").toBool(), true);
    QCOMPARE(upstream.value(u"store").toBool(true), false);
    QCOMPARE(upstream.value(u"instructions").toString(), QStringLiteral("Be brief"));
    QCOMPARE(upstream.value(u"input").toArray().first().toObject().value(u"role").toString(), QStringLiteral("user"));
    QVERIFY(!upstream.contains(u"messages"));
}

void tst_ChatCompletions::streaming_toolCallDeltas()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, toolReply()));
    const ProxyResponse response = post(proxy.port,
        j("{'model':'gpt-5.4','stream':true,'messages':[{'role':'user','content':'Weather in Oslo?'}],"
          "'tools':[{'type':'function','function':{'name':'get_weather','parameters':{'type':'object'}}}]}"),
        bearer());
    QCOMPARE(response.status, 200);
    const QList<QByteArray> data = sseData(response);
    QVERIFY2(data.size() == 6, response.body.constData()); // role, head, 2 argument pieces, finish, [DONE]
    const QJsonObject head = delta(data[1]).value(u"tool_calls").toArray().first().toObject();
    QCOMPARE(head.value(u"index").toInt(-1), 0);
    QCOMPARE(head.value(u"id").toString(), QStringLiteral("call_1"));
    QCOMPARE(head.value(u"function").toObject().value(u"name").toString(), QStringLiteral("get_weather"));
    QString arguments;
    for (int i = 2; i < 4; ++i)
        arguments += delta(data[i]).value(u"tool_calls").toArray().first().toObject().value(u"function").toObject()
                         .value(u"arguments").toString();
    QCOMPARE(arguments, QStringLiteral("{\"city\":\"Oslo\"}"));
    QCOMPARE(QJsonDocument::fromJson(data[4]).object().value(u"choices").toArray().first().toObject()
                 .value(u"finish_reason").toString(),
             QStringLiteral("tool_calls"));
    QCOMPARE(data[5], QByteArray("[DONE]"));
    const QJsonObject tool = upstreamBody(fake).value(u"tools").toArray().first().toObject();
    QCOMPARE(tool.value(u"type").toString(), QStringLiteral("function"));
    QCOMPARE(tool.value(u"name").toString(), QStringLiteral("get_weather")); // flattened
}

void tst_ChatCompletions::streaming_includeUsage_usageChunkBeforeDone()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, textReply()));
    const ProxyResponse response = post(proxy.port,
        j("{'model':'gpt-5.4','stream':true,'stream_options':{'include_usage':true},"
          "'messages':[{'role':'user','content':'Hi'}]}"),
        bearer());
    QCOMPARE(response.status, 200);
    const QList<QByteArray> data = sseData(response);
    QCOMPARE(data.last(), QByteArray("[DONE]"));
    const QJsonObject usageChunk = QJsonDocument::fromJson(data[data.size() - 2]).object();
    QVERIFY(usageChunk.value(u"choices").toArray().isEmpty());
    const QJsonObject usage = usageChunk.value(u"usage").toObject();
    QCOMPARE(usage.value(u"prompt_tokens").toInteger(), Usage.input);
    QCOMPARE(usage.value(u"completion_tokens").toInteger(), Usage.output);
    QCOMPARE(usage.value(u"total_tokens").toInteger(), Usage.total);
    QCOMPARE(usage.value(u"prompt_tokens_details").toObject().value(u"cached_tokens").toInteger(), Usage.cached);
    QCOMPARE(usage.value(u"completion_tokens_details").toObject().value(u"reasoning_tokens").toInteger(), Usage.reasoning);
}

void tst_ChatCompletions::nonStreaming_completionWithToolCalls()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, toolReply()));
    const ProxyResponse response = post(proxy.port,
        j("{'model':'gpt-5.4','messages':[{'role':'user','content':'Weather?'}],"
          "'tools':[{'type':'function','function':{'name':'get_weather'}}]}"),
        bearer());
    QCOMPARE(response.status, 200);
    QCOMPARE(response.header("Content-Type"), QByteArray("application/json"));
    const QJsonObject completion = response.json();
    QCOMPARE(completion.value(u"object").toString(), QStringLiteral("chat.completion"));
    const QJsonObject choice = completion.value(u"choices").toArray().first().toObject();
    QCOMPARE(choice.value(u"finish_reason").toString(), QStringLiteral("tool_calls"));
    const QJsonObject call = choice.value(u"message").toObject().value(u"tool_calls").toArray().first().toObject();
    QCOMPARE(call.value(u"id").toString(), QStringLiteral("call_1"));
    QCOMPARE(call.value(u"function").toObject().value(u"name").toString(), QStringLiteral("get_weather"));
    QCOMPARE(call.value(u"function").toObject().value(u"arguments").toString(), QStringLiteral("{\"city\":\"Oslo\"}"));
    QCOMPARE(completion.value(u"usage").toObject().value(u"total_tokens").toInteger(), Usage.total);
    QCOMPARE(upstreamBody(fake).value(u"stream").toBool(), true); // the upstream is always streamed
}

void tst_ChatCompletions::nonStreaming_usageRecordedForKeyAsUpstreamReported()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, textReply()));
    const QByteArray body = j("{'model':'gpt-5.4','messages':[{'role':'user','content':'Hi'}]}");
    const ProxyResponse response = post(proxy.port, body, {{"x-api-key", ProxyTestHarness::CiKey.toByteArray()}});
    QCOMPARE(response.status, 200);
    QCOMPARE(response.json().value(u"choices").toArray().first().toObject().value(u"message").toObject()
                 .value(u"content").toString(),
             QStringLiteral("Hello"));
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    const RequestRecord record = proxy.allRecords().first();
    QCOMPARE(record.keyId, 2);
    QCOMPARE(record.authSource, QStringLiteral("x-api-key"));
    QCOMPARE(record.route, QStringLiteral("/v1/chat/completions"));
    QCOMPARE(record.model, QStringLiteral("gpt-5.4"));
    QCOMPARE(record.status, 200);
    QCOMPARE(record.outcome, QStringLiteral("ok"));
    QCOMPARE(record.accountId, 1);
    QCOMPARE(record.responseId, QStringLiteral("resp_fake_1"));
    QVERIFY(record.usage.has_value());
    QCOMPARE(*record.usage, Usage);
    QCOMPARE(record.bytesIn, body.size());
    QCOMPARE(record.bytesOut, response.body.size());
    QTRY_COMPARE(proxy.allTraces().size(), 1);
    QCOMPARE(proxy.allTraces().first().path, QStringLiteral("/v1/chat/completions"));

    // The key's live usage counts the request like any /v1/responses request.
    QNetworkAccessManager nam;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/usage").arg(proxy.port)));
    request.setRawHeader("x-api-key", ProxyTestHarness::CiKey.toByteArray());
    QNetworkReply *reply = nam.get(request);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(10000));
    const QJsonObject totals = QJsonDocument::fromJson(reply->readAll()).object();
    reply->deleteLater();
    QCOMPARE(totals.value(u"request_count").toInteger(), 1);
    QCOMPARE(totals.value(u"input_tokens").toInteger(), Usage.input);
    QCOMPARE(totals.value(u"output_tokens").toInteger(), Usage.output);
    QCOMPARE(totals.value(u"total_tokens").toInteger(), Usage.total);
}

void tst_ChatCompletions::images_reachUpstreamAsInputImage()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, textReply()));
    const ProxyResponse response = post(proxy.port,
        j("{'model':'gpt-5.4','messages':[{'role':'user','content':[{'type':'text','text':'What is it?'},"
          "{'type':'image_url','image_url':{'url':'data:image/png;base64,iVBORw0KGgo=','detail':'high'}}]}]}"),
        bearer());
    QCOMPARE(response.status, 200);
    const QJsonArray content =
        upstreamBody(fake).value(u"input").toArray().first().toObject().value(u"content").toArray();
    QCOMPARE(content.size(), 2);
    QCOMPARE(content[0].toObject().value(u"type").toString(), QStringLiteral("input_text"));
    const QJsonObject image = content[1].toObject();
    QCOMPARE(image.value(u"type").toString(), QStringLiteral("input_image"));
    QCOMPARE(image.value(u"image_url").toString(), QStringLiteral("data:image/png;base64,iVBORw0KGgo="));
    QCOMPARE(image.value(u"detail").toString(), QStringLiteral("high"));
}

void tst_ChatCompletions::forwarding_clientKeyHeadersNeverReachUpstream()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, textReply()));
    const ProxyResponse response = post(proxy.port, j("{'model':'gpt-5.4','messages':[{'role':'user','content':'Hi'}]}"),
                                        {{"Authorization", "Bearer " + ProxyTestHarness::PlaceholderJwt.toByteArray()},
                                         {"x-api-key", ProxyTestHarness::PiKey.toByteArray()},
                                         {"Cookie", "secret=1"},
                                         {"User-Agent", "OpenAI/JS 7.59.0"}});
    QCOMPARE(response.status, 200);
    const FakeUpstream::Request upstream = fake.lastRequest();
    QCOMPARE(upstream.headers.values("authorization"), QList<QByteArray>{"Bearer upstream-token"});
    QCOMPARE(upstream.headers.values("chatgpt-account-id"), QList<QByteArray>{"acct-upstream"});
    QVERIFY(!upstream.headers.contains("x-api-key"));
    QVERIFY(!upstream.headers.contains("cookie"));
    QCOMPARE(upstream.headers.value("user-agent"), QByteArray("OpenAI/JS 7.59.0"));
    for (const auto &[name, value] : upstream.headers.fields()) {
        QVERIFY2(!value.contains(ProxyTestHarness::PiKey.toByteArray()), name.constData());
        QVERIFY2(!value.contains(ProxyTestHarness::PlaceholderJwt.toByteArray()), name.constData());
    }
    QVERIFY(!upstream.body.contains(ProxyTestHarness::PiKey.toByteArray()));
}

void tst_ChatCompletions::badMessages_400WithParamAndNoUpstreamCall()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    QVERIFY(proxy.startWith(fake, textReply()));
    const ProxyResponse response = post(proxy.port,
        j("{'model':'gpt-5.4','messages':[{'role':'user','content':'Hi'},{'role':'tool','content':'no id'}]}"), bearer());
    QCOMPARE(response.status, 400);
    const QJsonObject error = response.json().value(u"error").toObject();
    QCOMPARE(error.value(u"type").toString(), QStringLiteral("invalid_request_error"));
    QCOMPARE(error.value(u"param").toString(), QStringLiteral("messages[1].tool_call_id"));
    QVERIFY(!error.value(u"message").toString().isEmpty());
    QCOMPARE(fake.requestCount(), 0);
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().status, 400);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("error"));
    QCOMPARE(proxy.allRecords().first().keyId, 1);
}

void tst_ChatCompletions::upstreamError_beforeFirstByte_statusAndEnvelopePassedOn()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    const QJsonObject error{{QStringLiteral("message"), QStringLiteral("Unsupported model")},
                            {QStringLiteral("type"), QStringLiteral("invalid_request_error")},
                            {QStringLiteral("code"), QStringLiteral("model_not_found")}};
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::json({{QStringLiteral("error"), error}}, 400)));
    const ProxyResponse response = post(proxy.port,
        j("{'model':'gpt-9','stream':true,'messages':[{'role':'user','content':'Hi'}]}"), bearer());
    QCOMPARE(response.status, 400);
    QCOMPARE(response.json().value(u"error").toObject().value(u"code").toString(), QStringLiteral("model_not_found"));
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().status, 400);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("upstream_error"));
}

void tst_ChatCompletions::responseFailed_midStream_errorChunkThenDone()
{
    FakeUpstream fake;
    ProxyTestHarness proxy;
    const QJsonObject failed{{QStringLiteral("status"), QStringLiteral("failed")},
                             {QStringLiteral("error"), QJsonObject{{QStringLiteral("code"), QStringLiteral("server_error")},
                                                                   {QStringLiteral("message"), QStringLiteral("boom")}}}};
    QVERIFY(proxy.startWith(fake, FakeUpstream::Reply::sse(
        {sseEvent("response.output_text.delta", {{QStringLiteral("delta"), QStringLiteral("par")}}),
         sseEvent("response.failed", {{QStringLiteral("response"), failed}})})));
    const ProxyResponse response = post(proxy.port,
        j("{'model':'gpt-5.4','stream':true,'messages':[{'role':'user','content':'Hi'}]}"), bearer());
    QCOMPARE(response.status, 200);
    const QList<QByteArray> data = sseData(response);
    QVERIFY2(data.size() == 3, response.body.constData());
    QCOMPARE(delta(data[0]).value(u"content").toString(), QStringLiteral("par"));
    QCOMPARE(QJsonDocument::fromJson(data[1]).object().value(u"error").toObject().value(u"message").toString(),
             QStringLiteral("boom"));
    QCOMPARE(data[2], QByteArray("[DONE]"));
    QTRY_COMPARE(proxy.allRecords().size(), 1);
    QCOMPARE(proxy.allRecords().first().outcome, QStringLiteral("upstream_error"));
}

QTEST_GUILESS_MAIN(tst_ChatCompletions)
#include "tst_chatcompletions.moc"
