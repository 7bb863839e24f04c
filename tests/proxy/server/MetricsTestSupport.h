// SPDX-License-Identifier: MIT
#pragma once
// Reading GET /metrics in tests: fetch it over HTTP, find a sample's value, run promtool on it.

#include "tests/proxy/server/ProxyTestClient.h"

#include <QProcess>
#include <QStandardPaths>

namespace TestSupport {

/// GET /metrics from 127.0.0.1:@p port as a real client.
inline Proxy::ProxyResponse scrapeMetrics(QNetworkAccessManager &nam, quint16 port,
                                          const QList<QPair<QByteArray, QByteArray>> &headers = {})
{
    return Proxy::sendToProxy(nam, port, "GET", "/metrics", headers);
}

/// The value of the sample written exactly as @p series (`name{labels}` or `name`), or -1 when absent.
inline double sampleValue(const QByteArray &exposition, const QByteArray &series)
{
    const QByteArray prefix = series + ' ';
    for (const QByteArray &line : exposition.split('\n'))
        if (line.startsWith(prefix))
            return line.mid(series.size() + 1).toDouble();
    return -1;
}

/// `promtool check metrics` on @p exposition: empty when it passes, else what it said. promtool comes
/// from Debian's `prometheus` package (Makefile DEBS); its absence is a failure, not a skip.
inline QString promtoolProblems(const QByteArray &exposition)
{
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    if (promtool.isEmpty())
        return QStringLiteral("promtool not found: install the Debian package prometheus (make deps)");
    QProcess process;
    process.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
    if (!process.waitForStarted(10000))
        return QStringLiteral("promtool did not start");
    process.write(exposition);
    process.closeWriteChannel();
    if (!process.waitForFinished(30000))
        return QStringLiteral("promtool did not finish");
    const QString said = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return QStringLiteral("exit %1: %2").arg(process.exitCode()).arg(said);
    return {};
}

} // namespace TestSupport
