// SPDX-License-Identifier: MIT
// JsonBodyInspection (the strict one-pass scan of a client's JSON body): a refusal is one of the three
// codes, with a member path exactly when a name was refused; a body it accepts is one JSON object to Qt's
// parser too, with as many members as the scan met, and the model, stream, prompt_cache_key,
// service_tier and reasoning.effort the policy judges are the values that parser reads (what the
// upstream will use); the lenient scan accepts whatever the strict one does.
#include "tests/fuzz/FuzzCheck.h"

#include "proxy/relay/JsonBodyInspector.h"

#include <QJsonDocument>
#include <QJsonObject>

using Proxy::JsonBodyInspection;

namespace {

QString stringOrEmpty(const QJsonValue &value)
{
    return value.isString() ? value.toString() : QString();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, size_t size)
{
    const QByteArrayView body(reinterpret_cast<const char *>(data), qsizetype(size));
    const JsonBodyInspection inspection = JsonBodyInspection::inspect(body);

    qsizetype members = 0;
    const bool lenient = Proxy::forEachTopLevelMember(body, [&members](QByteArrayView, QByteArrayView value) {
        FUZZ_CHECK(!value.isEmpty());
        ++members;
    });
    if (!inspection.ok()) {
        const Proxy::JsonRefusal &refusal = *inspection.refusal;
        FUZZ_CHECK(refusal.code == u"invalid_json" || refusal.code == u"duplicate_member"
                   || refusal.code == u"invalid_member_name");
        FUZZ_CHECK(refusal.code != u"invalid_json" || refusal.param.isEmpty()); // a refused name may be ""
        FUZZ_CHECK(!refusal.message.isEmpty() && refusal.message.contains(refusal.param));
        FUZZ_CHECK(inspection.model.isEmpty() && !inspection.stream && inspection.reasoningEffort.isEmpty());
        if (refusal.code == u"invalid_json")
            FUZZ_CHECK(!lenient);
        return 0;
    }
    FUZZ_CHECK(lenient);

    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray(), &error);
    if (error.error == QJsonParseError::IllegalNumber)
        return 0; // RFC 8259 numbers have no range; Qt refuses those beyond a double (1e999), as the upstream may
    FUZZ_CHECK(error.error == QJsonParseError::NoError && document.isObject());
    const QJsonObject object = document.object();
    FUZZ_CHECK(object.size() == members); // no duplicate slipped through
    FUZZ_CHECK(inspection.model == stringOrEmpty(object.value(u"model")));
    FUZZ_CHECK(inspection.stream == (object.value(u"stream").isBool() && object.value(u"stream").toBool()));
    FUZZ_CHECK(inspection.promptCacheKey == stringOrEmpty(object.value(u"prompt_cache_key")));
    FUZZ_CHECK(inspection.serviceTier == stringOrEmpty(object.value(u"service_tier")));
    FUZZ_CHECK(inspection.reasoningEffort
               == stringOrEmpty(object.value(u"reasoning").toObject().value(u"effort")));
    return 0;
}
