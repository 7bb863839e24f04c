// SPDX-License-Identifier: MIT
#include "proxy/metrics/LatencyHistogram.h"

namespace Proxy {

void LatencyHistogram::observe(qint64 ms)
{
    ms = qMax<qint64>(ms, 0);
    std::size_t bucket = 0;
    while (bucket < BoundsMs.size() && ms > BoundsMs[bucket])
        ++bucket;
    ++m_counts[bucket];
    m_sumMs += ms;
}

void LatencyHistogram::write(PrometheusText &text, QByteArrayView name) const
{
    const QByteArray bucketName = name.toByteArray() + "_bucket";
    const QByteArray sumName = name.toByteArray() + "_sum";
    const QByteArray countName = name.toByteArray() + "_count";
    qint64 cumulative = 0;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
        cumulative += m_counts[i];
        const QString le = i < BoundsMs.size() ? QString::number(double(BoundsMs[i]) / 1000.0) : QStringLiteral("+Inf");
        text.sample(bucketName, {{"le", le}}, cumulative);
    }
    text.sample(sumName, {}, double(m_sumMs) / 1000.0);
    text.sample(countName, {}, cumulative);
}

} // namespace Proxy
