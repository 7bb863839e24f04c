// SPDX-License-Identifier: MIT
#include "proxy/chat/ChatRequestTranslator.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Proxy;

namespace {

/// JSON written with single quotes (moc and raw string literals do not mix); no apostrophes inside.
QByteArray j(const char *text)
{
    QByteArray out(text);
    out.replace('\'', '"');
    return out;
}

QJsonObject object(const QByteArray &json)
{
    return QJsonDocument::fromJson(json).object();
}

UpstreamConfig upstream(UpstreamConfig::Kind kind)
{
    UpstreamConfig config;
    config.kind = kind;
    return config;
}

} // namespace

class tst_ChatRequestTranslator final : public QObject
{
    Q_OBJECT

private slots:
    void translate_mapsToResponses_data();
    void translate_mapsToResponses();
    void translate_streamOptions();
    void responsesBody_limitsOnlyForOpenAIUpstream();
    void translate_invalid_refusedWithParam_data();
    void translate_invalid_refusedWithParam();
    void errorBody_isEnvelopeWithParam();
    void translate_maxTokensBeyondInt64_refusedWithParam();
};

void tst_ChatRequestTranslator::translate_mapsToResponses_data()
{
    QTest::addColumn<QByteArray>("chat");
    QTest::addColumn<QByteArray>("responses"); // for a Codex upstream

    QTest::newRow("system to instructions, user string")
        << j("{'model':'gpt-5.4','messages':[{'role':'system','content':'Be brief'},{'role':'user','content':'Hi'}]}")
        << j("{'model':'gpt-5.4','instructions':'Be brief','stream':true,'store':false,'input':["
             "{'type':'message','role':'user','content':[{'type':'input_text','text':'Hi'}]}]}");
    QTest::newRow("no system: empty instructions for the Codex backend")
        << j("{'model':'m','messages':[{'role':'user','content':'Hi'}]}")
        << j("{'model':'m','instructions':'','stream':true,'store':false,'input':["
             "{'type':'message','role':'user','content':[{'type':'input_text','text':'Hi'}]}]}");
    QTest::newRow("leading system and developer joined, later developer stays in input")
        << j("{'model':'m','messages':[{'role':'system','content':'A'},{'role':'developer','content':[{'type':'text',"
             "'text':'B'}]},{'role':'user','content':'Hi'},{'role':'developer','content':'C'}]}")
        << j("{'model':'m','instructions':'A\\n\\nB','stream':true,'store':false,'input':["
             "{'type':'message','role':'user','content':[{'type':'input_text','text':'Hi'}]},"
             "{'type':'message','role':'developer','content':[{'type':'input_text','text':'C'}]}]}");
    QTest::newRow("text and image parts")
        << j("{'model':'m','messages':[{'role':'user','content':[{'type':'text','text':'What is this'},"
             "{'type':'image_url','image_url':{'url':'data:image/png;base64,AAAA','detail':'low'}}]}]}")
        << j("{'model':'m','instructions':'','stream':true,'store':false,'input':[{'type':'message','role':'user',"
             "'content':[{'type':'input_text','text':'What is this'},"
             "{'type':'input_image','image_url':'data:image/png;base64,AAAA','detail':'low'}]}]}");
    QTest::newRow("assistant tool calls and tool results")
        << j("{'model':'m','messages':[{'role':'user','content':'Weather?'},"
             "{'role':'assistant','content':null,'tool_calls':[{'id':'call_1','type':'function',"
             "'function':{'name':'get_weather','arguments':'{}'}}]},"
             "{'role':'tool','tool_call_id':'call_1','content':'sunny'},"
             "{'role':'assistant','content':'It is sunny'}]}")
        << j("{'model':'m','instructions':'','stream':true,'store':false,'input':["
             "{'type':'message','role':'user','content':[{'type':'input_text','text':'Weather?'}]},"
             "{'type':'function_call','call_id':'call_1','name':'get_weather','arguments':'{}'},"
             "{'type':'function_call_output','call_id':'call_1','output':'sunny'},"
             "{'type':'message','role':'assistant','content':[{'type':'output_text','text':'It is sunny'}]}]}");
    QTest::newRow("tools, tool_choice, reasoning_effort, response_format")
        << j("{'model':'m','messages':[{'role':'user','content':'x'}],'tools':[{'type':'function','function':"
             "{'name':'f','description':'d','parameters':{'type':'object'},'strict':true}}],"
             "'tool_choice':{'type':'function','function':{'name':'f'}},'parallel_tool_calls':false,"
             "'reasoning_effort':'high','response_format':{'type':'json_schema','json_schema':{'name':'s',"
             "'schema':{'type':'object'},'strict':true}},'prompt_cache_key':'pck','user':'ignored'}")
        << j("{'model':'m','instructions':'','stream':true,'store':false,'input':["
             "{'type':'message','role':'user','content':[{'type':'input_text','text':'x'}]}],"
             "'tools':[{'type':'function','name':'f','description':'d','parameters':{'type':'object'},'strict':true}],"
             "'tool_choice':{'type':'function','name':'f'},'parallel_tool_calls':false,"
             "'reasoning':{'effort':'high'},'text':{'format':{'type':'json_schema','name':'s',"
             "'schema':{'type':'object'},'strict':true}},'prompt_cache_key':'pck'}");
    QTest::newRow("string tool_choice and json_object")
        << j("{'model':'m','messages':[{'role':'user','content':'x'}],'tool_choice':'required',"
             "'response_format':{'type':'json_object'}}")
        << j("{'model':'m','instructions':'','stream':true,'store':false,'input':["
             "{'type':'message','role':'user','content':[{'type':'input_text','text':'x'}]}],"
             "'tool_choice':'required','text':{'format':{'type':'json_object'}}}");
}

void tst_ChatRequestTranslator::translate_mapsToResponses()
{
    QFETCH(QByteArray, chat);
    QFETCH(QByteArray, responses);
    const ChatRequestTranslation translation = ChatRequestTranslator::translate(chat);
    QVERIFY2(translation.ok(), qPrintable(translation.error ? translation.error->param : QString()));
    const QJsonObject actual = object(translation.responsesBody(upstream(UpstreamConfig::Kind::Codex)));
    QCOMPARE(QJsonDocument(actual).toJson(QJsonDocument::Compact),
             QJsonDocument(object(responses)).toJson(QJsonDocument::Compact));
}

void tst_ChatRequestTranslator::translate_streamOptions()
{
    ChatRequestTranslation t = ChatRequestTranslator::translate(
        j("{'model':'m','stream':true,'stream_options':{'include_usage':true},'messages':[{'role':'user','content':'x'}]}"));
    QVERIFY(t.ok());
    QVERIFY(t.stream);
    QVERIFY(t.includeUsage);
    QCOMPARE(t.model, QStringLiteral("m"));
    t = ChatRequestTranslator::translate(j("{'model':'m','messages':[{'role':'user','content':'x'}]}"));
    QVERIFY(!t.stream);
    QVERIFY(!t.includeUsage);
}

void tst_ChatRequestTranslator::responsesBody_limitsOnlyForOpenAIUpstream()
{
    const ChatRequestTranslation t = ChatRequestTranslator::translate(
        j("{'model':'m','messages':[{'role':'user','content':'x'}],'max_tokens':50,'max_completion_tokens':64,"
          "'temperature':0.5,'top_p':0.9}"));
    QVERIFY(t.ok());
    const QJsonObject codex = object(t.responsesBody(upstream(UpstreamConfig::Kind::Codex)));
    QVERIFY(!codex.contains(u"max_output_tokens"));
    QVERIFY(!codex.contains(u"temperature"));
    QVERIFY(!codex.contains(u"top_p"));
    QCOMPARE(codex.value(u"instructions").toString(), QString());
    const QJsonObject openai = object(t.responsesBody(upstream(UpstreamConfig::Kind::OpenAI)));
    QCOMPARE(openai.value(u"max_output_tokens").toInteger(), 64); // max_completion_tokens wins
    QCOMPARE(openai.value(u"temperature").toDouble(), 0.5);
    QCOMPARE(openai.value(u"top_p").toDouble(), 0.9);
    QVERIFY(!openai.contains(u"instructions"));
    QCOMPARE(openai.value(u"stream").toBool(), true);
    QCOMPARE(openai.value(u"store").toBool(true), false);
}

void tst_ChatRequestTranslator::translate_invalid_refusedWithParam_data()
{
    QTest::addColumn<QByteArray>("chat");
    QTest::addColumn<QString>("param");
    const auto row = [](const char *name, const char *body, const char *param) {
        QTest::newRow(name) << j(body) << QString::fromLatin1(param);
    };
    row("not an object", "[1]", "");
    row("no model", "{'messages':[{'role':'user','content':'x'}]}", "model");
    row("no messages", "{'model':'m'}", "messages");
    row("empty messages", "{'model':'m','messages':[]}", "messages");
    row("message not an object", "{'model':'m','messages':['hi']}", "messages[0]");
    row("unknown role", "{'model':'m','messages':[{'role':'function','content':'x'}]}", "messages[0].role");
    row("audio part", "{'model':'m','messages':[{'role':'user','content':[{'type':'input_audio'}]}]}",
        "messages[0].content[0].type");
    row("image without url", "{'model':'m','messages':[{'role':'user','content':[{'type':'image_url','image_url':{}}]}]}",
        "messages[0].content[0].image_url.url");
    row("user content a number", "{'model':'m','messages':[{'role':'user','content':5}]}", "messages[0].content");
    row("system with an image", "{'model':'m','messages':[{'role':'system','content':[{'type':'image_url'}]}]}",
        "messages[0].content[0].type");
    row("tool without tool_call_id", "{'model':'m','messages':[{'role':'user','content':'x'},{'role':'tool','content':'y'}]}",
        "messages[1].tool_call_id");
    row("tool call arguments not a string",
        "{'model':'m','messages':[{'role':'assistant','tool_calls':[{'id':'c','type':'function','function':"
        "{'name':'f','arguments':{}}}]}]}",
        "messages[0].tool_calls[0].function.arguments");
    row("tool call without id",
        "{'model':'m','messages':[{'role':'assistant','tool_calls':[{'type':'function','function':{'name':'f',"
        "'arguments':'{}'}}]}]}",
        "messages[0].tool_calls[0].id");
    row("non-function tool", "{'model':'m','messages':[{'role':'user','content':'x'}],'tools':[{'type':'web_search'}]}",
        "tools[0].type");
    row("function tool without name",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'tools':[{'type':'function','function':{}}]}",
        "tools[0].function.name");
    row("bad tool_choice", "{'model':'m','messages':[{'role':'user','content':'x'}],'tool_choice':'sometimes'}",
        "tool_choice");
    row("bad response_format", "{'model':'m','messages':[{'role':'user','content':'x'}],'response_format':{'type':'xml'}}",
        "response_format.type");
    row("max_tokens not an integer", "{'model':'m','messages':[{'role':'user','content':'x'}],'max_tokens':'ten'}",
        "max_tokens");
    row("n above 1", "{'model':'m','messages':[{'role':'user','content':'x'}],'n':2}", "n");
    row("stream not a boolean", "{'model':'m','messages':[{'role':'user','content':'x'}],'stream':'yes'}", "stream");
    row("reasoning_effort not a string",
        "{'model':'m','messages':[{'role':'user','content':'x'}],'reasoning_effort':3}", "reasoning_effort");
}

void tst_ChatRequestTranslator::translate_invalid_refusedWithParam()
{
    QFETCH(QByteArray, chat);
    QFETCH(QString, param);
    const ChatRequestTranslation translation = ChatRequestTranslator::translate(chat);
    QVERIFY(!translation.ok());
    QCOMPARE(translation.error->param, param);
    QVERIFY(!translation.error->message.isEmpty());
}

void tst_ChatRequestTranslator::errorBody_isEnvelopeWithParam()
{
    const ChatRequestTranslation translation =
        ChatRequestTranslator::translate(j("{'model':'m','messages':[{'role':'wizard','content':'x'}]}"));
    const QJsonObject error = object(translation.errorBody()).value(u"error").toObject();
    QCOMPARE(error.value(u"type").toString(), QStringLiteral("invalid_request_error"));
    QCOMPARE(error.value(u"code").toString(), QStringLiteral("invalid_request_error"));
    QCOMPARE(error.value(u"param").toString(), QStringLiteral("messages[0].role"));
    QVERIFY(error.value(u"message").toString().contains(u"wizard"));
}

void tst_ChatRequestTranslator::translate_maxTokensBeyondInt64_refusedWithParam()
{
    // Found by fuzz_chat_request_translator: 1e300 was converted to qint64 before its range was checked
    // (undefined behaviour).
    const auto withMaxTokens = [](const QByteArray &number) {
        const QByteArray body = R"({"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":)" + number + "}";
        return ChatRequestTranslator::translate(body);
    };
    for (const QByteArray &number : {QByteArray("1e300"), QByteArray("9223372036854775808"), QByteArray("-1e300")}) {
        const ChatRequestTranslation refused = withMaxTokens(number);
        QVERIFY2(!refused.ok(), number.constData());
        QCOMPARE(refused.error->param, QStringLiteral("max_tokens"));
    }
    const ChatRequestTranslation largest = withMaxTokens("4611686018427387904"); // 2^62, exact as a double
    QVERIFY(largest.ok());
    QCOMPARE(largest.maxOutputTokens, std::optional<qint64>(Q_INT64_C(4611686018427387904)));
}

QTEST_GUILESS_MAIN(tst_ChatRequestTranslator)
#include "tst_chatrequesttranslator.moc"
