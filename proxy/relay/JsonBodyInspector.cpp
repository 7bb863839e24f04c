// SPDX-License-Identifier: MIT
#include "proxy/relay/JsonBodyInspector.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QUtf8StringView>

namespace Proxy {

namespace {

constexpr int MaxDepth = 512;

/// A recursive-descent validator over the raw bytes; it records the few top-level members we need.
class Scanner final
{
public:
    explicit Scanner(QByteArrayView text) : m_p(text.data()), m_end(text.data() + text.size()) {}

    using MemberSink = std::function<void(QByteArrayView, QByteArrayView)>;

    bool topLevelObject(const MemberSink &sink)
    {
        skipSpace();
        if (!object(0, &sink))
            return false;
        skipSpace();
        return m_p == m_end;
    }

private:
    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
            ++m_p;
    }

    bool literal(QByteArrayView word)
    {
        if (m_end - m_p < word.size() || QByteArrayView(m_p, word.size()) != word)
            return false;
        m_p += word.size();
        return true;
    }

    static bool isHex(char c) { return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

    /// A string; @p raw receives its content when it has no escapes.
    bool string(QByteArrayView *raw, bool *escaped)
    {
        if (m_p == m_end || *m_p != '"')
            return false;
        const char *start = ++m_p;
        *escaped = false;
        while (m_p < m_end) {
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                *raw = QByteArrayView(start, m_p - start);
                ++m_p;
                return true;
            }
            if (c < 0x20)
                return false;
            if (c == '\\') {
                *escaped = true;
                if (++m_p == m_end)
                    return false;
                const char e = *m_p;
                if (e == 'u') {
                    if (m_end - m_p < 5 || !isHex(m_p[1]) || !isHex(m_p[2]) || !isHex(m_p[3]) || !isHex(m_p[4]))
                        return false;
                    m_p += 4;
                } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r'
                           && e != 't') {
                    return false;
                }
            }
            ++m_p;
        }
        return false;
    }

    bool digits()
    {
        const char *start = m_p;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        return m_p > start;
    }

    bool number()
    {
        if (m_p < m_end && *m_p == '-')
            ++m_p;
        if (m_p < m_end && *m_p == '0')
            ++m_p;
        else if (!digits())
            return false;
        if (m_p < m_end && *m_p == '.') {
            ++m_p;
            if (!digits())
                return false;
        }
        if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
            ++m_p;
            if (m_p < m_end && (*m_p == '+' || *m_p == '-'))
                ++m_p;
            if (!digits())
                return false;
        }
        return true;
    }

    bool value(int depth)
    {
        if (m_p == m_end)
            return false;
        switch (*m_p) {
        case '{':
            return object(depth + 1, nullptr);
        case '[':
            return array(depth + 1);
        case '"': {
            QByteArrayView raw;
            bool escaped = false;
            return string(&raw, &escaped);
        }
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default:
            return number();
        }
    }

    bool array(int depth)
    {
        if (depth > MaxDepth)
            return false;
        ++m_p; // '['
        skipSpace();
        if (m_p < m_end && *m_p == ']') {
            ++m_p;
            return true;
        }
        for (;;) {
            skipSpace();
            if (!value(depth))
                return false;
            skipSpace();
            if (m_p == m_end)
                return false;
            if (*m_p == ']') {
                ++m_p;
                return true;
            }
            if (*m_p++ != ',')
                return false;
        }
    }

    /// An object; at the top level (@p sink set) each member is also handed to the sink.
    bool object(int depth, const MemberSink *sink)
    {
        if (depth > MaxDepth || m_p == m_end || *m_p != '{')
            return false;
        ++m_p;
        skipSpace();
        if (m_p < m_end && *m_p == '}') {
            ++m_p;
            return true;
        }
        for (;;) {
            skipSpace();
            QByteArrayView key;
            bool keyEscaped = false;
            if (!string(&key, &keyEscaped))
                return false;
            skipSpace();
            if (m_p == m_end || *m_p++ != ':')
                return false;
            skipSpace();
            const char *valueStart = m_p;
            if (!value(depth))
                return false;
            if (sink && !keyEscaped)
                (*sink)(key, QByteArrayView(valueStart, m_p - valueStart));
            skipSpace();
            if (m_p == m_end)
                return false;
            if (*m_p == '}') {
                ++m_p;
                return true;
            }
            if (*m_p++ != ',')
                return false;
        }
    }

    const char *m_p;
    const char *m_end;
};

} // namespace

bool forEachTopLevelMember(QByteArrayView text,
                           const std::function<void(QByteArrayView key, QByteArrayView value)> &member)
{
    return QUtf8StringView(text.data(), text.size()).isValidUtf8() && Scanner(text).topLevelObject(member);
}

QString jsonStringValue(QByteArrayView raw)
{
    if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"')
        return {};
    if (!raw.contains('\\'))
        return QString::fromUtf8(raw.sliced(1, raw.size() - 2));
    // Escapes are rare in ids and model names: let Qt decode this one small value.
    const QByteArray wrapped = '[' + raw.toByteArray() + ']';
    return QJsonDocument::fromJson(wrapped).array().at(0).toString();
}

JsonBodyInspection JsonBodyInspection::inspect(QByteArrayView body)
{
    JsonBodyInspection out;
    out.validObject = forEachTopLevelMember(body, [&out](QByteArrayView key, QByteArrayView value) {
        if (key == "model")
            out.model = jsonStringValue(value);
        else if (key == "stream")
            out.stream = value == "true";
        else if (key == "prompt_cache_key")
            out.promptCacheKey = jsonStringValue(value);
        else if (key == "service_tier")
            out.serviceTier = jsonStringValue(value);
        else if (key == "reasoning")
            forEachTopLevelMember(value, [&out](QByteArrayView member, QByteArrayView effort) {
                if (member == "effort")
                    out.reasoningEffort = jsonStringValue(effort);
            });
    });
    if (!out.validObject)
        out = JsonBodyInspection();
    return out;
}

} // namespace Proxy
