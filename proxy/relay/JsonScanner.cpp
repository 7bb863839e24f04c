// SPDX-License-Identifier: MIT
#include "proxy/relay/JsonScanner.h"

#include <QHashFunctions>
#include <QUtf8StringView>
#include <QtEndian>

#include <bit>
#include <cstring>
#include <unordered_set>

namespace Proxy {

namespace {

constexpr int MaxDepth = 512;
/// Up to this many names an object's duplicate check is a linear compare (most objects have a handful);
/// beyond, a hash set keeps a hostile 100,000-member object linear instead of quadratic.
constexpr qsizetype LinearLimit = 16;

bool isHex(char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

char32_t hex4(const char *p)
{
    char32_t out = 0;
    for (int i = 0; i < 4; ++i)
        out = out << 4 | char32_t(p[i] <= '9' ? p[i] - '0' : (p[i] | 0x20) - 'a' + 10);
    return out;
}

void appendUtf8(QByteArray &out, char32_t cp)
{
    if (cp < 0x80) {
        out.append(char(cp));
    } else if (cp < 0x800) {
        out.append(char(0xc0 | cp >> 6)).append(char(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        out.append(char(0xe0 | cp >> 12))
            .append(char(0x80 | (cp >> 6 & 0x3f)))
            .append(char(0x80 | (cp & 0x3f)));
    } else {
        out.append(char(0xf0 | cp >> 18)).append(char(0x80 | (cp >> 12 & 0x3f)));
        out.append(char(0x80 | (cp >> 6 & 0x3f))).append(char(0x80 | (cp & 0x3f)));
    }
}

/// Appends the UTF-8 that the already validated string content @p content stands for. Returns false when
/// it held an unpaired surrogate escape, which is appended as U+FFFD.
bool appendDecoded(QByteArrayView content, QByteArray &out)
{
    bool paired = true;
    const char *p = content.data();
    const char *const end = p + content.size();
    while (p < end) {
        const auto *backslash = static_cast<const char *>(std::memchr(p, '\\', size_t(end - p)));
        if (!backslash) {
            out.append(p, end - p);
            break;
        }
        out.append(p, backslash - p);
        p = backslash + 1;
        switch (const char e = *p++) {
        case 'b':
            out.append('\b');
            break;
        case 'f':
            out.append('\f');
            break;
        case 'n':
            out.append('\n');
            break;
        case 'r':
            out.append('\r');
            break;
        case 't':
            out.append('\t');
            break;
        case 'u': {
            char32_t cp = hex4(p);
            p += 4;
            if (cp >= 0xd800 && cp <= 0xdbff && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                const char32_t low = hex4(p + 2);
                if (low >= 0xdc00 && low <= 0xdfff) {
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                    p += 6;
                }
            }
            if (cp >= 0xd800 && cp <= 0xdfff) {
                paired = false;
                cp = 0xfffd;
            }
            appendUtf8(out, cp);
            break;
        }
        default: // '"', '\\', '/'
            out.append(e);
        }
    }
    return paired;
}

} // namespace

/// The names of one large object, as indexes into m_names, hashed by their decoded bytes.
class JsonScanner::NameIndex
{
public:
    explicit NameIndex(const JsonScanner *scanner) : m_set(64, Hash{scanner}, Equal{scanner}) {}
    /// False when an equal name is already there.
    bool insert(qsizetype name) { return m_set.insert(name).second; }

private:
    struct Hash
    {
        const JsonScanner *scanner;
        // Seeded per process, so a client cannot precompute names that all land in one bucket.
        size_t operator()(qsizetype i) const
        {
            return qHash(scanner->view(scanner->m_names[size_t(i)]), QHashSeed::globalSeed());
        }
    };
    struct Equal
    {
        const JsonScanner *scanner;
        bool operator()(qsizetype a, qsizetype b) const
        {
            return scanner->view(scanner->m_names[size_t(a)]) == scanner->view(scanner->m_names[size_t(b)]);
        }
    };
    std::unordered_set<qsizetype, Hash, Equal> m_set;
};

JsonScanner::JsonScanner(QByteArrayView text, Mode mode)
    : m_text(text.data()), m_p(text.data()), m_end(text.data() + text.size()), m_mode(mode)
{}

bool JsonScanner::scanObject(const MemberSink &topLevel)
{
    bool ok = QUtf8StringView(m_text, m_end - m_text).isValidUtf8();
    if (ok) {
        skipSpace();
        ok = m_p < m_end && *m_p == '{' && object(0, &topLevel);
        skipSpace();
        ok = ok && m_p == m_end;
    }
    if (ok)
        return true;
    if (m_path.empty()) {
        m_refusal = {QStringLiteral("invalid_json"),
                     QStringLiteral("The request body is not a valid JSON object (RFC 8259, UTF-8)"),
                     {}};
    } else {
        m_refusal.param = paramPath();
        m_refusal.message = m_refusal.message.arg(m_refusal.param);
    }
    return false;
}

void JsonScanner::skipSpace()
{
    while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r'))
        ++m_p;
}

bool JsonScanner::literal(QByteArrayView word)
{
    if (m_end - m_p < word.size() || QByteArrayView(m_p, word.size()) != word)
        return false;
    m_p += word.size();
    return true;
}

/// A string; @p content receives what is between the quotes, as written.
bool JsonScanner::string(QByteArrayView *content, bool *escaped)
{
    if (m_p == m_end || *m_p != '"')
        return false;
    const char *start = ++m_p;
    *escaped = false;
    while (m_p < m_end) {
        skipPlainBytes();
        if (m_p == m_end)
            break;
        const auto c = static_cast<unsigned char>(*m_p);
        if (c == '"') {
            *content = QByteArrayView(start, m_p - start);
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
            } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' &&
                       e != 't') {
                return false;
            }
        }
        ++m_p;
    }
    return false;
}

/// Skips string bytes that need no attention (not '"', '\\' or a control character), eight at a time:
/// string content is most of a request body, and this loop most of the scan.
void JsonScanner::skipPlainBytes()
{
    constexpr quint64 Ones = 0x0101010101010101;
    constexpr quint64 High = 0x8080808080808080;
    // The high bit of each byte below n; exact up to the first such byte (a borrow only runs upwards).
    const auto bytesBelow = [](quint64 word, quint64 n) { return (word - Ones * n) & ~word & High; };
    while (m_end - m_p >= 8) {
        const auto word = qFromLittleEndian<quint64>(m_p); // the first byte in the low bits
        const quint64 special =
            bytesBelow(word ^ (Ones * '"'), 1) | bytesBelow(word ^ (Ones * '\\'), 1) | bytesBelow(word, 0x20);
        if (special) {
            m_p += std::countr_zero(special) / 8;
            return;
        }
        m_p += 8;
    }
    while (m_p < m_end && *m_p != '"' && *m_p != '\\' && static_cast<unsigned char>(*m_p) >= 0x20)
        ++m_p;
}

bool JsonScanner::number()
{
    const auto digits = [this] {
        const char *start = m_p;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        return m_p > start;
    };
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

bool JsonScanner::value(int depth)
{
    if (m_p == m_end)
        return false;
    switch (*m_p) {
    case '{':
        return object(depth + 1, nullptr);
    case '[':
        return array(depth + 1);
    case '"': {
        QByteArrayView content;
        bool escaped = false;
        return string(&content, &escaped);
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

bool JsonScanner::array(int depth)
{
    if (depth > MaxDepth)
        return false;
    ++m_p; // '['
    skipSpace();
    if (m_p < m_end && *m_p == ']') {
        ++m_p;
        return true;
    }
    for (qsizetype index = 0;; ++index) {
        skipSpace();
        if (!value(depth)) {
            if (!m_path.empty())
                m_path.push_back({QString(), index});
            return false;
        }
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
bool JsonScanner::object(int depth, const MemberSink *sink)
{
    if (depth > MaxDepth)
        return false;
    ++m_p; // '{'
    skipSpace();
    if (m_p < m_end && *m_p == '}') {
        ++m_p;
        return true;
    }
    const bool strict = m_mode == Mode::Strict;
    const qsizetype firstName = qsizetype(m_names.size());
    const qsizetype decodedMark = m_decoded.size();
    std::optional<NameIndex> index;
    for (;;) {
        skipSpace();
        Name name{};
        QByteArrayView rawName;
        if (!memberName(&name, &rawName, strict || sink))
            return false;
        if (strict) {
            m_names.push_back(name);
            if (isDuplicate(firstName, index))
                return refuseName(
                    QStringLiteral("duplicate_member"),
                    QStringLiteral("The member \"%1\" appears more than once in its object (names are "
                                   "compared after unescaping; duplicate names are not allowed)"),
                    name);
        }
        skipSpace();
        if (m_p == m_end || *m_p++ != ':')
            return false;
        skipSpace();
        const char *valueStart = m_p;
        if (!value(depth)) {
            if (!m_path.empty())
                m_path.push_back({QString::fromUtf8(view(name))});
            return false;
        }
        if (sink)
            (*sink)(JsonMember{view(name), QByteArrayView(valueStart, m_p - valueStart), rawName});
        skipSpace();
        if (m_p == m_end)
            return false;
        if (*m_p == '}') {
            ++m_p;
            m_names.resize(size_t(firstName));
            m_decoded.truncate(decodedMark);
            return true;
        }
        if (*m_p++ != ',')
            return false;
    }
}

/// A member name; escaped names are decoded into m_decoded when @p decode is set.
bool JsonScanner::memberName(Name *name, QByteArrayView *rawName, bool decode)
{
    const char *quote = m_p;
    QByteArrayView content;
    bool escaped = false;
    if (!string(&content, &escaped))
        return false;
    *rawName = QByteArrayView(quote, m_p - quote);
    if (!escaped || !decode) {
        *name = {content.data() - m_text, content.size(), false};
        return true;
    }
    const qsizetype start = m_decoded.size();
    const bool paired = appendDecoded(content, m_decoded);
    *name = {start, m_decoded.size() - start, true};
    if (!paired && m_mode == Mode::Strict)
        return refuseName(
            QStringLiteral("invalid_member_name"),
            QStringLiteral("The name of the member \"%1\" holds an unpaired UTF-16 surrogate escape"), *name);
    return true;
}

/// Whether the object's newest name (the last of m_names) equals an earlier one of the same object,
/// whose names start at @p firstName.
bool JsonScanner::isDuplicate(qsizetype firstName, std::optional<NameIndex> &index) const
{
    const qsizetype newest = qsizetype(m_names.size()) - 1;
    if (index)
        return !index->insert(newest);
    const Name &name = m_names.back();
    for (qsizetype i = firstName; i < newest; ++i) {
        const Name &earlier = m_names[size_t(i)];
        if (earlier.size == name.size && view(earlier) == view(name))
            return true;
    }
    if (newest - firstName + 1 == LinearLimit) {
        index.emplace(this);
        for (qsizetype i = firstName; i <= newest; ++i)
            index->insert(i);
    }
    return false;
}

QByteArrayView JsonScanner::view(const Name &name) const
{
    return QByteArrayView((name.decoded ? m_decoded.constData() : m_text) + name.offset, name.size);
}

bool JsonScanner::refuseName(const QString &code, const QString &message, const Name &name)
{
    m_refusal = {code, message, {}};
    m_path.push_back({QString::fromUtf8(view(name))});
    return false;
}

QString JsonScanner::paramPath() const
{
    QString out;
    for (auto step = m_path.crbegin(); step != m_path.crend(); ++step) {
        if (step->index >= 0)
            out += u'[' + QString::number(step->index) + u']';
        else
            out += (out.isEmpty() ? QString() : QStringLiteral(".")) + step->name;
    }
    return out;
}

} // namespace Proxy
