// SPDX-License-Identifier: MIT
// ChatRequestTranslator: a refusal is a valid OpenAI error envelope naming its param; a translation is a
// Responses body, for either upstream kind, that is one JSON object Qt parses and the strict body scan
// accepts, streamed, not stored, for the model the client named (the one the key policy judged, when the
// scan accepted the client's body); a codex-kind body never carries the parameters that backend rejects.
#include "tests/fuzz/FuzzCheck.h"

#include "proxy/chat/ChatRequestTranslator.h"
#include "proxy/relay/JsonBodyInspector.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using Proxy::ChatRequestTranslation;
using Proxy::UpstreamConfig;

namespace {

QJsonObject parsedObject(const QByteArray &json)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    FUZZ_CHECK(error.error == QJsonParseError::NoError && document.isObject());
    return document.object();
}

void checkBody(const ChatRequestTranslation &translation, UpstreamConfig::Kind kind)
{
    UpstreamConfig upstream;
    upstream.kind = kind;
    const QByteArray body = translation.responsesBody(upstream);
    const QJsonObject object = parsedObject(body);
    FUZZ_CHECK(object.value(u"stream") == QJsonValue(true));
    FUZZ_CHECK(object.value(u"store") == QJsonValue(false));
    FUZZ_CHECK(object.value(u"model").toString() == translation.model);
    FUZZ_CHECK(object.value(u"input").isArray());
    const Proxy::JsonBodyInspection inspection = Proxy::JsonBodyInspection::inspect(body);
    FUZZ_CHECK(inspection.ok());
    FUZZ_CHECK(inspection.model == translation.model && inspection.stream);
    if (kind == UpstreamConfig::Kind::Codex) {
        FUZZ_CHECK(object.value(u"instructions").isString());
        FUZZ_CHECK(!object.contains(u"max_output_tokens") && !object.contains(u"temperature")
                   && !object.contains(u"top_p"));
    } else {
        FUZZ_CHECK(object.contains(u"max_output_tokens") == translation.maxOutputTokens.has_value());
        FUZZ_CHECK(!translation.maxOutputTokens || *translation.maxOutputTokens >= 1);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const ChatRequestTranslation translation = Proxy::ChatRequestTranslator::translate(input);
    if (!translation.ok()) {
        const QJsonObject error = parsedObject(translation.errorBody()).value(u"error").toObject();
        FUZZ_CHECK(error.value(u"message").toString() == translation.error->message);
        FUZZ_CHECK(!translation.error->message.isEmpty());
        FUZZ_CHECK(error.value(u"type").toString() == u"invalid_request_error");
        FUZZ_CHECK(error.value(u"param").toString() == translation.error->param);
        return 0;
    }
    FUZZ_CHECK(!translation.model.isEmpty());
    FUZZ_CHECK(translation.codexChanges().size() == int(translation.maxOutputTokens.has_value())
                                                       + int(translation.temperature.has_value())
                                                       + int(translation.topP.has_value()));
    checkBody(translation, UpstreamConfig::Kind::Codex);
    checkBody(translation, UpstreamConfig::Kind::OpenAI);

    // The proxy scans the client's body first (duplicates refused) and judges its model: the same one.
    const Proxy::JsonBodyInspection inspection = Proxy::JsonBodyInspection::inspect(input);
    if (inspection.ok())
        FUZZ_CHECK(inspection.model == translation.model);
    return 0;
}
