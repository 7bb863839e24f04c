// SPDX-License-Identifier: MIT
// Benchmark: the request-body inspection every responses request passes before the policy
// (JsonBodyInspection::inspect). A Codex-shaped turn of about 300 KB (instructions, 20 tools with
// JSON-schema parameters, messages, function calls and outputs, reasoning items) and the same turn
// grown to about 10 MB (thousands of small objects). Run with -callgrind for instruction counts.
#include "proxy/relay/JsonBodyInspector.h"

#include <QTest>

using namespace Proxy;

namespace {

QByteArray quoted(const QByteArray &text)
{
    QByteArray out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out + '"';
}

QByteArray tool(int i)
{
    return "{\"type\":\"function\",\"name\":\"tool_" + QByteArray::number(i)
           + "\",\"description\":\"Runs a thing.\\nUse it when needed.\",\"strict\":false,\"parameters\":{"
             "\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},"
             "\"description\":\"The command\"},\"workdir\":{\"type\":\"string\",\"description\":\"Where\"},"
             "\"timeout_ms\":{\"type\":\"number\",\"description\":\"Timeout\"}},\"required\":[\"command\"],"
             "\"additionalProperties\":false}}";
}

/// One exchange of a Codex turn: a user message, a reasoning item, a function call and its output.
QByteArray exchange(int i)
{
    const QByteArray n = QByteArray::number(i);
    const QByteArray output = QByteArray("total 48\ndrwxr-xr-x  5 user user 4096 Nov 28 10:00 src\n"
                                         "-rw-r--r--  1 user user 2210 Nov 28 10:00 \"CMakeLists.txt\"\n")
                                  .repeated(12);
    return "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":"
           + quoted("Please look at file " + n + " and fix the bug in the parser. caf\xc3\xa9 \xe2\x9c\x93") + "}]},"
           "{\"type\":\"reasoning\",\"id\":\"rs_" + n + "\",\"summary\":[{\"type\":\"summary_text\",\"text\":"
           "\"**Inspecting** the tree\"}],\"encrypted_content\":\"" + QByteArray(600, 'Q') + "\"},"
           "{\"type\":\"function_call\",\"id\":\"fc_" + n + "\",\"call_id\":\"call_" + n + "\",\"name\":\"tool_1\","
           "\"arguments\":" + quoted("{\"command\":[\"bash\",\"-lc\",\"ls -la src\"],\"workdir\":\"/repo\"}") + "},"
           "{\"type\":\"function_call_output\",\"call_id\":\"call_" + n + "\",\"output\":" + quoted(output) + "}";
}

QByteArray codexTurn(int exchanges)
{
    QByteArray tools;
    for (int i = 0; i < 20; ++i)
        tools += (i ? "," : "") + tool(i);
    QByteArray input;
    for (int i = 0; i < exchanges; ++i)
        input += (i ? "," : "") + exchange(i);
    return "{\"model\":\"gpt-5.4\",\"instructions\":"
           + quoted(QByteArray("You are Codex, a coding agent.\n- Be \"precise\".\n").repeated(200))
           + ",\"input\":[" + input + "],\"tools\":[" + tools
           + "],\"tool_choice\":\"auto\",\"parallel_tool_calls\":true,\"reasoning\":{\"effort\":\"medium\","
             "\"summary\":\"auto\"},\"store\":false,\"stream\":true,\"include\":[\"reasoning.encrypted_content\"],"
             "\"prompt_cache_key\":\"0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\",\"text\":{\"verbosity\":\"medium\"}}";
}

} // namespace

class bench_Json final : public QObject
{
    Q_OBJECT

private slots:
    void inspect_data()
    {
        QTest::addColumn<QByteArray>("body");
        for (const int exchanges : {115, 4000}) {
            const QByteArray body = codexTurn(exchanges);
            QTest::newRow(qPrintable(QStringLiteral("%1 KB").arg(body.size() / 1024))) << body;
        }
    }

    void inspect()
    {
        QFETCH(QByteArray, body);
        QString model;
        QBENCHMARK {
            model = JsonBodyInspection::inspect(body).model;
        }
        QCOMPARE(model, QStringLiteral("gpt-5.4"));
    }
};

QTEST_GUILESS_MAIN(bench_Json)
#include "bench_json.moc"
