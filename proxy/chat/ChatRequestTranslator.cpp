// SPDX-License-Identifier: MIT
#include "proxy/chat/ChatRequestTranslator.h"

#include "proxy/ErrorEnvelope.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace Proxy {

namespace {

/// Thrown inside this file only, caught in translate(): validation reads like the rules it checks.
struct Refusal
{
    QString message;
    QString param;
};

[[noreturn]] void refuse(const QString &param, const QString &message)
{
    throw Refusal{message, param};
}

QString at(const QString &base, qsizetype index)
{
    return base + u'[' + QString::number(index) + u']';
}

QJsonObject textPart(const QString &type, const QString &text)
{
    return {{QStringLiteral("type"), type}, {QStringLiteral("text"), text}};
}

/// The text of string content or an array of text parts (system, developer, tool messages).
QString textOnly(const QJsonValue &content, const QString &param)
{
    if (content.isString())
        return content.toString();
    if (content.isNull() || content.isUndefined())
        return {};
    if (!content.isArray())
        refuse(param, QStringLiteral("Content must be a string or an array of text parts"));
    QStringList texts;
    const QJsonArray parts = content.toArray();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QJsonObject part = parts.at(i).toObject();
        if (part.value(u"type").toString() != u"text" || !part.value(u"text").isString())
            refuse(at(param, i) + u".type", QStringLiteral("Only text parts are allowed in this message"));
        texts.append(part.value(u"text").toString());
    }
    return texts.join(u'\n');
}

QJsonObject imagePart(const QJsonObject &part, const QString &param)
{
    const QJsonValue image = part.value(u"image_url");
    const QJsonValue url = image.isString() ? image : image.toObject().value(u"url");
    if (!url.isString() || url.toString().isEmpty())
        refuse(param + u".image_url.url", QStringLiteral("An image_url part needs image_url.url"));
    QJsonObject out{{QStringLiteral("type"), QStringLiteral("input_image")},
                    {QStringLiteral("image_url"), url.toString()}};
    const QJsonValue detail = image.toObject().value(u"detail");
    if (detail.isString())
        out.insert(QStringLiteral("detail"), detail);
    return out;
}

QJsonObject filePart(const QJsonObject &part, const QString &param)
{
    const QJsonObject file = part.value(u"file").toObject();
    QJsonObject out{{QStringLiteral("type"), QStringLiteral("input_file")}};
    for (const QString &key : {QStringLiteral("file_id"), QStringLiteral("file_data"), QStringLiteral("filename")})
        if (file.value(key).isString())
            out.insert(key, file.value(key));
    if (!out.contains(u"file_id") && !out.contains(u"file_data"))
        refuse(param + u".file", QStringLiteral("A file part needs file.file_id or file.file_data"));
    return out;
}

/// User content: a string or text / image_url / file parts.
QJsonArray userContent(const QJsonValue &content, const QString &param)
{
    if (content.isString())
        return {textPart(QStringLiteral("input_text"), content.toString())};
    if (!content.isArray())
        refuse(param, QStringLiteral("User content must be a string or an array of content parts"));
    QJsonArray out;
    const QJsonArray parts = content.toArray();
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString partParam = at(param, i);
        const QJsonObject part = parts.at(i).toObject();
        const QString type = part.value(u"type").toString();
        if (type == u"text" && part.value(u"text").isString())
            out.append(textPart(QStringLiteral("input_text"), part.value(u"text").toString()));
        else if (type == u"image_url")
            out.append(imagePart(part, partParam));
        else if (type == u"file")
            out.append(filePart(part, partParam));
        else
            refuse(partParam + u".type", QStringLiteral("Unsupported content part type '%1'").arg(type));
    }
    return out;
}

QJsonObject message(const QString &role, const QJsonArray &content)
{
    return {{QStringLiteral("type"), QStringLiteral("message")},
            {QStringLiteral("role"), role},
            {QStringLiteral("content"), content}};
}

void appendAssistant(QJsonArray &input, const QJsonObject &msg, const QString &param)
{
    const QJsonValue content = msg.value(u"content");
    QJsonArray parts;
    if (content.isString()) {
        if (!content.toString().isEmpty())
            parts.append(textPart(QStringLiteral("output_text"), content.toString()));
    } else if (content.isArray()) {
        const QJsonArray given = content.toArray();
        for (qsizetype i = 0; i < given.size(); ++i) {
            const QJsonObject part = given.at(i).toObject();
            const QString type = part.value(u"type").toString();
            if (type == u"text" && part.value(u"text").isString())
                parts.append(textPart(QStringLiteral("output_text"), part.value(u"text").toString()));
            else if (type == u"refusal" && part.value(u"refusal").isString())
                parts.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("refusal")},
                                         {QStringLiteral("refusal"), part.value(u"refusal")}});
            else
                refuse(at(param + u".content", i) + u".type",
                       QStringLiteral("Unsupported assistant content part type '%1'").arg(type));
        }
    } else if (!content.isNull() && !content.isUndefined()) {
        refuse(param + u".content", QStringLiteral("Assistant content must be a string, an array or null"));
    }
    if (!parts.isEmpty())
        input.append(message(QStringLiteral("assistant"), parts));

    const QJsonValue calls = msg.value(u"tool_calls");
    if (calls.isUndefined() || calls.isNull())
        return;
    if (!calls.isArray())
        refuse(param + u".tool_calls", QStringLiteral("tool_calls must be an array"));
    const QJsonArray list = calls.toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        const QString callParam = at(param + u".tool_calls", i);
        const QJsonObject call = list.at(i).toObject();
        const QJsonObject function = call.value(u"function").toObject();
        if (!call.value(u"id").isString() || call.value(u"id").toString().isEmpty())
            refuse(callParam + u".id", QStringLiteral("A tool call needs an id"));
        if (call.contains(u"type") && call.value(u"type").toString() != u"function")
            refuse(callParam + u".type", QStringLiteral("Only function tool calls are supported"));
        if (!function.value(u"name").isString() || function.value(u"name").toString().isEmpty())
            refuse(callParam + u".function.name", QStringLiteral("A tool call needs function.name"));
        if (!function.value(u"arguments").isString())
            refuse(callParam + u".function.arguments", QStringLiteral("function.arguments must be a string"));
        input.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("function_call")},
                                 {QStringLiteral("call_id"), call.value(u"id")},
                                 {QStringLiteral("name"), function.value(u"name")},
                                 {QStringLiteral("arguments"), function.value(u"arguments")}});
    }
}

/// Returns the instructions (leading system/developer messages); appends everything else to @p input.
QString translateMessages(const QJsonValue &value, QJsonArray &input)
{
    const QString param = QStringLiteral("messages");
    if (!value.isArray() || value.toArray().isEmpty())
        refuse(param, QStringLiteral("messages must be a non-empty array"));
    QStringList instructions;
    bool leading = true;
    const QJsonArray messages = value.toArray();
    for (qsizetype i = 0; i < messages.size(); ++i) {
        const QString msgParam = at(param, i);
        if (!messages.at(i).isObject())
            refuse(msgParam, QStringLiteral("Each message must be an object"));
        const QJsonObject msg = messages.at(i).toObject();
        const QString role = msg.value(u"role").toString();
        if (role == u"system" || role == u"developer") {
            const QString text = textOnly(msg.value(u"content"), msgParam + u".content");
            if (leading)
                instructions.append(text);
            else
                input.append(message(QStringLiteral("developer"), {textPart(QStringLiteral("input_text"), text)}));
            continue;
        }
        leading = false;
        if (role == u"user") {
            input.append(message(QStringLiteral("user"), userContent(msg.value(u"content"), msgParam + u".content")));
        } else if (role == u"assistant") {
            appendAssistant(input, msg, msgParam);
        } else if (role == u"tool") {
            const QJsonValue callId = msg.value(u"tool_call_id");
            if (!callId.isString() || callId.toString().isEmpty())
                refuse(msgParam + u".tool_call_id", QStringLiteral("A tool message needs tool_call_id"));
            input.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("function_call_output")},
                                     {QStringLiteral("call_id"), callId},
                                     {QStringLiteral("output"), textOnly(msg.value(u"content"), msgParam + u".content")}});
        } else {
            refuse(msgParam + u".role", QStringLiteral("Unsupported message role '%1'").arg(role));
        }
    }
    return instructions.join(QStringLiteral("\n\n"));
}

QJsonArray translateTools(const QJsonValue &value)
{
    if (!value.isArray())
        refuse(QStringLiteral("tools"), QStringLiteral("tools must be an array"));
    QJsonArray out;
    const QJsonArray tools = value.toArray();
    for (qsizetype i = 0; i < tools.size(); ++i) {
        const QString param = at(QStringLiteral("tools"), i);
        const QJsonObject tool = tools.at(i).toObject();
        if (tool.value(u"type").toString() != u"function")
            refuse(param + u".type", QStringLiteral("Only function tools are supported"));
        const QJsonObject function = tool.value(u"function").toObject();
        if (!function.value(u"name").isString() || function.value(u"name").toString().isEmpty())
            refuse(param + u".function.name", QStringLiteral("A function tool needs function.name"));
        QJsonObject flat{{QStringLiteral("type"), QStringLiteral("function")},
                         {QStringLiteral("name"), function.value(u"name")}};
        for (const QString &key : {QStringLiteral("description"), QStringLiteral("parameters"), QStringLiteral("strict")})
            if (function.contains(key) && !function.value(key).isNull())
                flat.insert(key, function.value(key));
        out.append(flat);
    }
    return out;
}

QJsonValue translateToolChoice(const QJsonValue &value)
{
    if (value.isString()) {
        const QString choice = value.toString();
        if (choice == u"none" || choice == u"auto" || choice == u"required")
            return choice;
    } else if (value.isObject()) {
        const QJsonValue name = value.toObject().value(u"function").toObject().value(u"name");
        if (value.toObject().value(u"type").toString() == u"function" && name.isString())
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("function")}, {QStringLiteral("name"), name}};
    }
    refuse(QStringLiteral("tool_choice"),
           QStringLiteral("tool_choice must be none, auto, required or {type: function, function: {name}}"));
}

QJsonObject translateResponseFormat(const QJsonValue &value)
{
    const QJsonObject format = value.toObject();
    const QString type = format.value(u"type").toString();
    if (type == u"text" || type == u"json_object")
        return {{QStringLiteral("type"), type}};
    if (type != u"json_schema")
        refuse(QStringLiteral("response_format.type"), QStringLiteral("Unsupported response_format type '%1'").arg(type));
    const QJsonObject schema = format.value(u"json_schema").toObject();
    if (!schema.value(u"name").isString())
        refuse(QStringLiteral("response_format.json_schema.name"), QStringLiteral("json_schema needs a name"));
    QJsonObject out{{QStringLiteral("type"), QStringLiteral("json_schema")}, {QStringLiteral("name"), schema.value(u"name")}};
    for (const QString &key : {QStringLiteral("schema"), QStringLiteral("strict"), QStringLiteral("description")})
        if (schema.contains(key) && !schema.value(key).isNull())
            out.insert(key, schema.value(key));
    return out;
}

std::optional<qint64> positiveInteger(const QJsonObject &body, const QString &key)
{
    const QJsonValue value = body.value(key);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    const double number = value.toDouble(-1);
    // Range first: converting a double at or beyond 2^63 (1e300, say) to qint64 is undefined.
    if (!value.isDouble() || !(number >= 1 && number < 0x1p63) || number != std::trunc(number))
        refuse(key, QStringLiteral("%1 must be a positive integer").arg(key));
    return qint64(number);
}

std::optional<double> number(const QJsonObject &body, const QString &key)
{
    const QJsonValue value = body.value(key);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isDouble())
        refuse(key, QStringLiteral("%1 must be a number").arg(key));
    return value.toDouble();
}

bool boolean(const QJsonObject &body, const QString &key, const QString &param)
{
    const QJsonValue value = body.value(key);
    if (value.isUndefined() || value.isNull())
        return false;
    if (!value.isBool())
        refuse(param, QStringLiteral("%1 must be a boolean").arg(param));
    return value.toBool();
}

void translateInto(ChatRequestTranslation &out, const QJsonObject &body)
{
    const QJsonValue model = body.value(u"model");
    if (!model.isString() || model.toString().isEmpty())
        refuse(QStringLiteral("model"), QStringLiteral("model must be a non-empty string"));
    out.model = model.toString();
    out.stream = boolean(body, QStringLiteral("stream"), QStringLiteral("stream"));
    const QJsonValue options = body.value(u"stream_options");
    if (options.isObject())
        out.includeUsage = boolean(options.toObject(), QStringLiteral("include_usage"),
                                   QStringLiteral("stream_options.include_usage"));
    else if (!options.isUndefined() && !options.isNull())
        refuse(QStringLiteral("stream_options"), QStringLiteral("stream_options must be an object"));
    if (body.contains(u"n") && !body.value(u"n").isNull() && body.value(u"n").toDouble() != 1)
        refuse(QStringLiteral("n"), QStringLiteral("Only n = 1 is supported"));

    QJsonArray input;
    const QString instructions = translateMessages(body.value(u"messages"), input);
    QJsonObject &r = out.responses;
    r.insert(QStringLiteral("model"), out.model);
    if (!instructions.isEmpty())
        r.insert(QStringLiteral("instructions"), instructions);
    r.insert(QStringLiteral("input"), input);
    if (body.contains(u"tools") && !body.value(u"tools").isNull())
        r.insert(QStringLiteral("tools"), translateTools(body.value(u"tools")));
    if (body.contains(u"tool_choice") && !body.value(u"tool_choice").isNull())
        r.insert(QStringLiteral("tool_choice"), translateToolChoice(body.value(u"tool_choice")));
    if (body.contains(u"parallel_tool_calls") && !body.value(u"parallel_tool_calls").isNull())
        r.insert(QStringLiteral("parallel_tool_calls"),
                 boolean(body, QStringLiteral("parallel_tool_calls"), QStringLiteral("parallel_tool_calls")));
    const QJsonValue effort = body.value(u"reasoning_effort");
    if (effort.isString())
        r.insert(QStringLiteral("reasoning"), QJsonObject{{QStringLiteral("effort"), effort}});
    else if (!effort.isUndefined() && !effort.isNull())
        refuse(QStringLiteral("reasoning_effort"), QStringLiteral("reasoning_effort must be a string"));
    const QJsonValue format = body.value(u"response_format");
    if (format.isObject())
        r.insert(QStringLiteral("text"), QJsonObject{{QStringLiteral("format"), translateResponseFormat(format)}});
    else if (!format.isUndefined() && !format.isNull())
        refuse(QStringLiteral("response_format"), QStringLiteral("response_format must be an object"));
    for (const QString &key : {QStringLiteral("prompt_cache_key"), QStringLiteral("service_tier")})
        if (body.value(key).isString())
            r.insert(key, body.value(key));

    out.maxOutputTokens = positiveInteger(body, QStringLiteral("max_completion_tokens"));
    if (!out.maxOutputTokens)
        out.maxOutputTokens = positiveInteger(body, QStringLiteral("max_tokens"));
    out.temperature = number(body, QStringLiteral("temperature"));
    out.topP = number(body, QStringLiteral("top_p"));
}

} // namespace

QByteArray ChatRequestTranslation::errorBody() const
{
    const Error e = error.value_or(Error{});
    return errorEnvelope(e.message, QStringLiteral("invalid_request_error"), QStringLiteral("invalid_request_error"),
                         {{QStringLiteral("param"), e.param}});
}

QByteArray ChatRequestTranslation::responsesBody(const UpstreamConfig &upstream) const
{
    QJsonObject body = responses;
    body.insert(QStringLiteral("stream"), true);
    body.insert(QStringLiteral("store"), false);
    if (upstream.kind == UpstreamConfig::Kind::Codex) {
        if (!body.contains(u"instructions"))
            body.insert(QStringLiteral("instructions"), QStringLiteral(""));
    } else {
        if (maxOutputTokens)
            body.insert(QStringLiteral("max_output_tokens"), *maxOutputTokens);
        if (temperature)
            body.insert(QStringLiteral("temperature"), *temperature);
        if (topP)
            body.insert(QStringLiteral("top_p"), *topP);
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QStringList ChatRequestTranslation::codexChanges() const
{
    QStringList changes;
    if (maxOutputTokens)
        changes.append(QStringLiteral("dropped max_output_tokens"));
    if (temperature)
        changes.append(QStringLiteral("dropped temperature"));
    if (topP)
        changes.append(QStringLiteral("dropped top_p"));
    return changes;
}

ChatRequestTranslation ChatRequestTranslator::translate(QByteArrayView body)
{
    ChatRequestTranslation out;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        out.error = ChatRequestTranslation::Error{QStringLiteral("The request body is not a valid JSON object"), {}};
        return out;
    }
    try {
        translateInto(out, document.object());
    } catch (const Refusal &refusal) {
        out = {};
        out.error = ChatRequestTranslation::Error{refusal.message, refusal.param};
    }
    return out;
}

} // namespace Proxy
