// SPDX-License-Identifier: MIT
// HttpResponseParser (upstream answers): fed whole or in fuzzer-chosen pieces, an answer gives the same
// status, headers, body, framing and error; a final status is never 1xx; a body is never larger than
// the bytes that carried it, and matches its Content-Length; a HEAD, 204 or 304 answer has none.
#include "tests/fuzz/FuzzCheck.h"

#include "proxy/upstream/HttpResponseParser.h"

using Proxy::HttpResponseParser;

namespace {

struct Outcome final
{
    HttpResponseParser::State state = HttpResponseParser::State::Head;
    bool headComplete = false;
    int status = 0;
    QByteArray reason;
    QList<Proxy::HttpHeaders::Field> headers;
    QByteArray body;
    bool keepAlive = false;
    bool closeDelimited = false;
    bool truncated = false;
    QString error;

    bool operator==(const Outcome &) const = default;
};

Outcome run(bool headRequest, const HttpResponseParser::Limits &limits, const QList<QByteArrayView> &pieces,
            bool eof)
{
    HttpResponseParser parser(headRequest, limits);
    Outcome out;
    for (const QByteArrayView piece : pieces)
        parser.feed(piece, &out.body);
    if (eof)
        parser.finishEof();
    out.state = parser.state();
    out.headComplete = parser.headComplete();
    out.status = parser.status();
    out.reason = parser.reason();
    out.headers = parser.headers().fields();
    out.keepAlive = parser.keepAlive();
    out.closeDelimited = parser.closeDelimited();
    out.truncated = parser.truncated();
    out.error = parser.errorString();
    return out;
}

HttpResponseParser::Limits limitsFor(std::uint8_t config)
{
    HttpResponseParser::Limits limits;
    if (config & 4) { // small limits, so the fuzzer reaches them
        limits.maxHeadBytes = 256;
        limits.maxFields = 4;
        limits.maxChunkLineBytes = 16;
        limits.maxTrailerBytes = 64;
    }
    return limits;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, size_t size)
{
    const Fuzz::Input in = Fuzz::Input::parse(data, size);
    const bool headRequest = in.config & 1;
    const bool eof = in.config & 2;
    const HttpResponseParser::Limits limits = limitsFor(in.config);

    const Outcome whole = run(headRequest, limits, {in.payload}, eof);
    const Outcome pieces = run(headRequest, limits, Fuzz::split(in.payload, in.plan), eof);
    FUZZ_CHECK(whole == pieces);

    FUZZ_CHECK(whole.body.size() <= in.payload.size());
    FUZZ_CHECK(whole.headers.size() <= limits.maxFields);
    if (whole.state == HttpResponseParser::State::Error) {
        FUZZ_CHECK(!whole.error.isEmpty());
        return 0;
    }
    FUZZ_CHECK(whole.error.isEmpty() && !whole.truncated);
    if (!whole.headComplete) {
        FUZZ_CHECK(whole.state == HttpResponseParser::State::Head && whole.body.isEmpty() && !eof);
        return 0;
    }
    FUZZ_CHECK(whole.status >= 200 && whole.status <= 999);
    if (headRequest || whole.status == 204 || whole.status == 304) {
        FUZZ_CHECK(whole.body.isEmpty() && whole.state == HttpResponseParser::State::Done);
        return 0;
    }
    Proxy::HttpHeaders headers;
    for (const auto &[name, value] : whole.headers)
        headers.append(name, value);
    const bool chunked = headers.contains("transfer-encoding");
    const QList<QByteArray> lengths = headers.values("content-length");
    if (chunked || lengths.isEmpty()) {
        FUZZ_CHECK(!lengths.isEmpty() ? !whole.keepAlive : true); // both: never reused
    } else if (whole.state == HttpResponseParser::State::Done) {
        FUZZ_CHECK(whole.body.size() == lengths.constFirst().split(',').constFirst().trimmed().toLongLong());
    } else {
        FUZZ_CHECK(whole.body.size() < lengths.constFirst().split(',').constFirst().trimmed().toLongLong());
    }
    if (whole.closeDelimited)
        FUZZ_CHECK(!whole.keepAlive);
    if (eof)
        FUZZ_CHECK(whole.state == HttpResponseParser::State::Done);
    return 0;
}
