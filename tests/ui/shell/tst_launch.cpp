// SPDX-License-Identifier: MIT
// The built binary: `keygate` opens the console (offscreen here) and its proxy; a second launch
// only activates the first; without any display it runs headless; SIGTERM quits cleanly.
#include <QProcess>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

class tst_Launch final : public QObject
{
    Q_OBJECT

private:
    QString m_binary = qEnvironmentVariable("KEYGATE_BINARY");

    static quint16 freePort()
    {
        QTcpServer probe;
        return probe.listen(QHostAddress::LocalHost, 0) ? probe.serverPort() : 0;
    }

    static bool accepts(quint16 port)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, port);
        return socket.waitForConnected(200);
    }

    QProcessEnvironment environment(const QString &dataDir, bool display) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("KEYGATE_DATA_DIR"), dataDir);
        env.insert(QStringLiteral("KEYGATE_SECRETS"), QStringLiteral("file"));
        env.remove(QStringLiteral("DISPLAY"));
        env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        if (display)
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        else
            env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        return env;
    }

    bool setListen(const QString &dataDir, quint16 port)
    {
        QProcess process;
        process.setProcessEnvironment(environment(dataDir, false));
        process.start(m_binary, {QStringLiteral("settings"), QStringLiteral("set"), QStringLiteral("listen"),
                                 QStringLiteral("127.0.0.1:%1").arg(port)});
        return process.waitForFinished(10000) && process.exitCode() == 0;
    }

private slots:
    void consoleStartsProxyAndSecondLaunchOnlyActivates()
    {
        QTemporaryDir dir;
        const quint16 port = freePort();
        QVERIFY(setListen(dir.path(), port));
        QProcess first;
        first.setProcessEnvironment(environment(dir.path(), true));
        first.start(m_binary, QStringList{});
        QVERIFY(first.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(accepts(port), 10000);

        QProcess second;
        second.setProcessEnvironment(environment(dir.path(), true));
        second.start(m_binary, QStringList{});
        QVERIFY(second.waitForFinished(10000));
        QCOMPARE(second.exitCode(), 0);
        QVERIFY(second.readAllStandardError().contains("already running"));
        QVERIFY(accepts(port));
        QCOMPARE(first.state(), QProcess::Running);

        ::kill(pid_t(first.processId()), SIGTERM);
        QVERIFY(first.waitForFinished(10000));
        QCOMPARE(first.exitStatus(), QProcess::NormalExit);
        QCOMPARE(first.exitCode(), 0);
        QVERIFY(!accepts(port));
    }

    void withoutDisplayRunsHeadless()
    {
        QTemporaryDir dir;
        const quint16 port = freePort();
        QVERIFY(setListen(dir.path(), port));
        QProcess headless;
        headless.setProcessEnvironment(environment(dir.path(), false));
        headless.start(m_binary, QStringList{});
        QVERIFY(headless.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(accepts(port), 10000);
        QByteArray err;
        QTRY_VERIFY((err += headless.readAllStandardError()).contains("no display: starting headless"));
        ::kill(pid_t(headless.processId()), SIGTERM);
        QVERIFY(headless.waitForFinished(15000));
        QCOMPARE(headless.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_Launch)
#include "tst_launch.moc"
