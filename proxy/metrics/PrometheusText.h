// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

namespace Proxy {

/// Writes the Prometheus text exposition format 0.0.4: one `# HELP` and one `# TYPE` line per family,
/// then its samples. Label values are escaped as the format asks (backslash, double quote, newline),
/// so whatever a key or account is named cannot end a label or a line early.
class PrometheusText final
{
public:
    static constexpr QByteArrayView ContentType = "text/plain; version=0.0.4; charset=utf-8";
    using Labels = QList<QPair<QByteArrayView, QString>>;

    /// @p type: counter, gauge or histogram. @p help is plain text without newlines.
    void family(QByteArrayView name, QByteArrayView type, QByteArrayView help);
    void sample(QByteArrayView name, const Labels &labels, qint64 value);
    /// @p value as a decimal with up to 6 fractional digits (seconds with microsecond resolution).
    void sample(QByteArrayView name, const Labels &labels, double value);
    QByteArray take() { return std::exchange(m_out, {}); }

    /// `a"b\c` + newline → `a\"b\\c\n`: the label value as it goes between the quotes.
    static QByteArray escapeLabelValue(const QString &value);

private:
    void writeName(QByteArrayView name, const Labels &labels);

    QByteArray m_out;
};

} // namespace Proxy
