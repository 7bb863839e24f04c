// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace Proxy {

/// One member of a JSON object, as the scanner met it. The views live only during the call.
struct JsonMember final
{
    QByteArrayView name;    ///< the name as a decoder sees it: escapes resolved, UTF-8
    QByteArrayView value;   ///< the raw, unparsed JSON text of the value
    QByteArrayView rawName; ///< the name as written, quotes included (a view into the scanned text)
};

/// Why a JSON text was refused, for a 400 in the OpenAI envelope.
struct JsonRefusal final
{
    QString code;    ///< `invalid_json`, `duplicate_member` or `invalid_member_name`
    QString message;
    QString param;   ///< the member's decoded path (`input[3].content[0].type`); empty for invalid_json
};

/// A one-pass recursive-descent scanner over the raw bytes of one JSON object (RFC 8259, valid UTF-8),
/// without building a document: agents send bodies of hundreds of kilobytes every turn, and a DOM parse
/// on the proxy thread would stall every other stream. Each top-level member is handed to a sink with
/// its name decoded, as the upstream's parser will read it.
///
/// In Strict mode (what clients send) the scan also refuses, in every object at every depth, a name that
/// appears twice (compared decoded, so `"model"` and `"mod\u0065l"` are the same name) and a name holding
/// an unpaired UTF-16 surrogate escape: parsers disagree on which duplicate wins and on what a lone
/// surrogate becomes, so the proxy could judge one value while the upstream used another.
/// Lenient mode (upstream answers) accepts both; a lone surrogate in a name decodes to U+FFFD.
/// Not thread-bound; one scanner per text.
class JsonScanner final
{
    Q_DISABLE_COPY_MOVE(JsonScanner)

public:
    enum class Mode
    {
        Lenient,
        Strict
    };
    using MemberSink = std::function<void(const JsonMember &member)>;

    JsonScanner(QByteArrayView text, Mode mode);

    /// True when the text is one acceptable object; @p topLevel is called for each top-level member (and
    /// may have been called for some before a refusal).
    bool scanObject(const MemberSink &topLevel);
    /// Why scanObject() returned false.
    const JsonRefusal &refusal() const { return m_refusal; }

private:
    /// A member name of an object still open: a span of the text, or of m_decoded when it had escapes.
    struct Name
    {
        qsizetype offset;
        qsizetype size;
        bool decoded;
    };
    class NameIndex;
    /// One step of the refused member's path, collected innermost first while the scan unwinds.
    struct PathStep
    {
        QString name;         ///< a member name, when index is -1
        qsizetype index = -1; ///< an array index
    };

    void skipSpace();
    bool literal(QByteArrayView word);
    bool string(QByteArrayView *content, bool *escaped);
    void skipPlainBytes();
    bool number();
    bool value(int depth);
    bool array(int depth);
    bool object(int depth, const MemberSink *sink);
    bool memberName(Name *name, QByteArrayView *rawName, bool decode);
    bool isDuplicate(qsizetype firstName, std::optional<NameIndex> &index) const;
    QByteArrayView view(const Name &name) const;
    bool refuseName(const QString &code, const QString &message, const Name &name);
    QString paramPath() const;

    const char *m_text;
    const char *m_p;
    const char *m_end;
    Mode m_mode;
    std::vector<Name> m_names; ///< Strict: names of the open objects, innermost object's last
    QByteArray m_decoded;      ///< escaped names, decoded
    JsonRefusal m_refusal;
    std::vector<PathStep> m_path;
};

} // namespace Proxy
