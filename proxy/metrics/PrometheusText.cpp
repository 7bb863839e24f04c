// SPDX-License-Identifier: MIT
#include "proxy/metrics/PrometheusText.h"

namespace Proxy {

void PrometheusText::family(QByteArrayView name, QByteArrayView type, QByteArrayView help)
{
    m_out += "# HELP " + name.toByteArray() + ' ' + help.toByteArray() + '\n';
    m_out += "# TYPE " + name.toByteArray() + ' ' + type.toByteArray() + '\n';
}

void PrometheusText::writeName(QByteArrayView name, const Labels &labels)
{
    m_out += name.toByteArray();
    if (labels.isEmpty())
        return;
    m_out += '{';
    for (qsizetype i = 0; i < labels.size(); ++i) {
        if (i > 0)
            m_out += ',';
        m_out += labels.at(i).first.toByteArray() + "=\"" + escapeLabelValue(labels.at(i).second) + '"';
    }
    m_out += '}';
}

void PrometheusText::sample(QByteArrayView name, const Labels &labels, qint64 value)
{
    writeName(name, labels);
    m_out += ' ' + QByteArray::number(value) + '\n';
}

void PrometheusText::sample(QByteArrayView name, const Labels &labels, double value)
{
    writeName(name, labels);
    QByteArray number = QByteArray::number(value, 'f', 6);
    while (number.endsWith('0'))
        number.chop(1);
    if (number.endsWith('.'))
        number.chop(1);
    m_out += ' ' + number + '\n';
}

QByteArray PrometheusText::escapeLabelValue(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

} // namespace Proxy
