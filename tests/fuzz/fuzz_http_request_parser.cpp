// SPDX-License-Identifier: MIT
// HttpRequestParser: the same bytes, fed whole or in fuzzer-chosen pieces, give the same requests (method,
// target, headers, body, framing and where each one ends) and the same error; no request it hands out
// breaks the limits it was given or the framing rules of RFC 9112.
#include "tests/fuzz/FuzzCheck.h"

#include "proxy/http/HttpRequestParser.h"
#include "proxy/http/HttpSyntax.h"

#include <QList>

#include <algorithm>
#include <limits>

using Proxy::HttpRequest;
using Proxy::HttpRequestParser;

namespace {

struct Parsed final
{
    HttpRequest request;
    qint64 end = 0; ///< offset just past the request in the input
    qint64 contentLength = -1;
    bool keepAlive = false;
    bool expectsContinue = false;
};

struct Outcome final
{
    QList<Parsed> requests;
    HttpRequestParser::Status last = HttpRequestParser::Status::NeedMore;
    int errorStatus = 0;
    QString errorCode;
    qsizetype buffered = 0;
    bool partial = false;
};

bool sameRequest(const Parsed &a, const Parsed &b)
{
    const HttpRequest &x = a.request;
    const HttpRequest &y = b.request;
    return x.method == y.method && x.target == y.target && x.path == y.path && x.query == y.query
           && x.versionMinor == y.versionMinor && x.headers.fields() == y.headers.fields() && x.body == y.body
           && a.end == b.end && a.contentLength == b.contentLength && a.keepAlive == b.keepAlive
           && a.expectsContinue == b.expectsContinue;
}

bool sameOutcome(const Outcome &a, const Outcome &b)
{
    if (a.requests.size() != b.requests.size() || a.last != b.last || a.errorStatus != b.errorStatus
        || a.errorCode != b.errorCode || a.buffered != b.buffered || a.partial != b.partial)
        return false;
    for (qsizetype i = 0; i < a.requests.size(); ++i)
        if (!sameRequest(a.requests[i], b.requests[i]))
            return false;
    return true;
}

Outcome run(const Proxy::HttpLimits &limits, const QList<QByteArrayView> &pieces, bool shareBuffers)
{
    HttpRequestParser parser(limits);
    Outcome out;
    qint64 appended = 0;
    for (const QByteArrayView piece : pieces) {
        if (shareBuffers)
            parser.append(piece.toByteArray());
        else
            parser.append(piece);
        appended += piece.size();
        for (;;) {
            out.last = parser.parse();
            if (out.last != HttpRequestParser::Status::Complete)
                break;
            FUZZ_CHECK(parser.headComplete());
            Parsed parsed;
            parsed.end = appended - parser.bufferedBytes();
            parsed.contentLength = parser.contentLength();
            parsed.keepAlive = parser.keepAlive();
            parsed.expectsContinue = parser.expectsContinue();
            parsed.request = parser.takeRequest();
            out.requests.append(parsed);
        }
        if (out.last == HttpRequestParser::Status::Error)
            break;
    }
    if (out.last == HttpRequestParser::Status::Error) {
        out.errorStatus = parser.errorStatus();
        out.errorCode = parser.errorCode();
    } else {
        out.buffered = parser.bufferedBytes();
        out.partial = parser.hasPartialRequest();
    }
    return out;
}

qint64 parseDigits(QByteArrayView digits)
{
    qint64 n = 0;
    for (const char c : digits) {
        if (n > (std::numeric_limits<qint64>::max() - 9) / 10)
            return -1;
        n = n * 10 + (c - '0');
    }
    return n;
}

bool hasChunkedCoding(QByteArrayView value)
{
    bool chunked = false;
    Proxy::HttpSyntax::forEachListElement(value, [&chunked](QByteArrayView coding) {
        chunked = chunked || Proxy::HttpHeaders::sameName(coding, "chunked");
    });
    return chunked;
}

/// What RFC 9112 and the parser's own limits promise about every request it completes.
void checkRequest(const Parsed &parsed, qint64 start, const Proxy::HttpLimits &limits)
{
    const HttpRequest &r = parsed.request;
    FUZZ_CHECK(parsed.end > start);
    FUZZ_CHECK(r.body.size() <= limits.maxBodyBytes);
    FUZZ_CHECK(r.body.size() < parsed.end - start);
    FUZZ_CHECK(r.headers.size() <= limits.maxHeaderCount);
    FUZZ_CHECK(!r.method.isEmpty() && r.method.size() <= 64 && Proxy::HttpSyntax::isToken(r.method));
    FUZZ_CHECK(r.versionMinor == 0 || r.versionMinor == 1);
    FUZZ_CHECK(r.path.startsWith('/') || (r.path == "*" && r.method == "OPTIONS"));
    FUZZ_CHECK(!r.target.contains('#') && !r.path.contains('?'));

    qint64 headBytes = 0;
    int hosts = 0;
    QList<QByteArray> lengths;
    bool transferEncoding = false;
    for (const auto &[name, value] : r.headers.fields()) {
        FUZZ_CHECK(Proxy::HttpSyntax::isToken(name));
        for (const char ch : value) {
            const auto c = static_cast<unsigned char>(ch);
            FUZZ_CHECK((c >= 0x20 || c == '\t') && c != 0x7f);
        }
        FUZZ_CHECK(value.isEmpty() || (value.front() != ' ' && value.front() != '\t' && value.back() != ' '
                                       && value.back() != '\t'));
        headBytes += name.size() + 1 + value.size() + 2;
        hosts += Proxy::HttpHeaders::sameName(name, "host");
        if (Proxy::HttpHeaders::sameName(name, "content-length"))
            lengths.append(value);
        if (Proxy::HttpHeaders::sameName(name, "transfer-encoding")) {
            transferEncoding = true;
            FUZZ_CHECK(hasChunkedCoding(value));
        }
    }
    FUZZ_CHECK(headBytes <= limits.maxHeaderBytes);
    FUZZ_CHECK(r.versionMinor == 0 ? hosts <= 1 : hosts == 1);
    // Framing: Content-Length and Transfer-Encoding never together; a length is the body's size exactly.
    FUZZ_CHECK(!(transferEncoding && !lengths.isEmpty()));
    FUZZ_CHECK(!transferEncoding || r.versionMinor == 1);
    for (const QByteArray &length : lengths)
        FUZZ_CHECK(parseDigits(length) == r.body.size());
    FUZZ_CHECK(parsed.contentLength == (lengths.isEmpty() ? -1 : r.body.size()));
    if (lengths.isEmpty() && !transferEncoding)
        FUZZ_CHECK(r.body.isEmpty());
    FUZZ_CHECK(!parsed.expectsContinue || r.versionMinor == 1);
    FUZZ_CHECK(!parsed.keepAlive || r.versionMinor == 1 || r.headers.contains("connection"));
}

Proxy::HttpLimits limitsFor(std::uint8_t config)
{
    static constexpr qint64 Bodies[] = {0, 16, 1000, 32LL * 1024 * 1024};
    static constexpr qint64 Heads[] = {64, 300, 2048, 64 * 1024};
    static constexpr int Counts[] = {1, 4, 20, 100};
    Proxy::HttpLimits limits;
    limits.maxBodyBytes = Bodies[config & 3];
    limits.maxHeaderBytes = Heads[(config >> 2) & 3];
    limits.maxHeaderCount = Counts[(config >> 4) & 3];
    return limits;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, size_t size)
{
    const Fuzz::Input in = Fuzz::Input::parse(data, size);
    const Proxy::HttpLimits limits = limitsFor(in.config);

    const Outcome whole = run(limits, {in.payload}, true);
    const Outcome pieces = run(limits, Fuzz::split(in.payload, in.plan), (in.config & 0x40) != 0);
    FUZZ_CHECK(sameOutcome(whole, pieces));
    if (in.payload.size() <= 2048 && (in.config & 0x80))
        FUZZ_CHECK(sameOutcome(whole, run(limits, Fuzz::split(in.payload, {}), false)));

    qint64 start = 0;
    for (const Parsed &parsed : whole.requests) {
        checkRequest(parsed, start, limits);
        start = parsed.end;
    }
    if (whole.last == HttpRequestParser::Status::Error) {
        static constexpr int Statuses[] = {400, 413, 431, 501, 505};
        FUZZ_CHECK(std::find(std::begin(Statuses), std::end(Statuses), whole.errorStatus) != std::end(Statuses));
        FUZZ_CHECK(!whole.errorCode.isEmpty());
    } else {
        FUZZ_CHECK(whole.last == HttpRequestParser::Status::NeedMore);
        FUZZ_CHECK(start + whole.buffered <= in.payload.size());
    }
    return 0;
}
