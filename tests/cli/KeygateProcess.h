// SPDX-License-Identifier: MIT
#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QTest>

#include <csignal>

namespace TestSupport {

/// What one run of the keygate binary (KEYGATE_BINARY) printed. exitCode is -1 when it crashed or hung.
struct KeygateRun final
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

/// The environment the CLI tests run keygate in: its data dir, file secrets, and the upstream token
/// the tests hand over through KG_TEST_UPSTREAM_TOKEN.
inline QProcessEnvironment keygateEnvironment(const QString &dataDir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("KEYGATE_DATA_DIR"), dataDir);
    env.insert(QStringLiteral("KEYGATE_SECRETS"), QStringLiteral("file"));
    env.insert(QStringLiteral("KG_TEST_UPSTREAM_TOKEN"), QStringLiteral("upstream-secret-token"));
    return env;
}

/// Runs keygate with @p arguments (and @p input on its stdin) for at most 15 s, spinning the event
/// loop meanwhile so that an in-process FakeUpstream keeps answering.
inline KeygateRun runKeygate(const QString &dataDir, const QStringList &arguments, const QByteArray &input = {})
{
    QProcess process;
    process.setProcessEnvironment(keygateEnvironment(dataDir));
    process.start(qEnvironmentVariable("KEYGATE_BINARY"), arguments);
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, 15000))
        qWarning("keygate %s did not finish in time", qPrintable(arguments.join(u' ')));
    return {process.exitStatus() == QProcess::NormalExit && process.state() == QProcess::NotRunning
                ? process.exitCode()
                : -1,
            process.readAllStandardOutput(), process.readAllStandardError()};
}

/// Starts `keygate serve --listen 127.0.0.1:0` (plus @p extra) in @p serve and returns the port it
/// announced, or 0 when it did not within 10 s.
inline quint16 startKeygateServe(QProcess &serve, const QString &dataDir, const QStringList &extra = {})
{
    serve.setProcessEnvironment(keygateEnvironment(dataDir));
    serve.start(qEnvironmentVariable("KEYGATE_BINARY"),
                QStringList{QStringLiteral("serve"), QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")} + extra);
    QByteArray out;
    if (!QTest::qWaitFor([&] { return (out += serve.readAllStandardOutput()).contains("listening on http://"); }, 10000))
        return 0;
    const QByteArray line = out.mid(out.indexOf("listening on http://"));
    return quint16(line.mid(line.lastIndexOf(':') + 1).trimmed().toUInt());
}

/// Stops a `keygate serve` the way systemd does (SIGTERM) and waits up to 15 s: true when it ended with
/// status 0, i.e. it shut down cleanly and wrote everything.
inline bool stopKeygateServe(QProcess &serve)
{
    ::kill(pid_t(serve.processId()), SIGTERM);
    return QTest::qWaitFor([&serve] { return serve.state() == QProcess::NotRunning; }, 15000) &&
           serve.exitStatus() == QProcess::NormalExit && serve.exitCode() == 0;
}

} // namespace TestSupport
