// SPDX-License-Identifier: MIT
#include "app/core/runtime/Autostart.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace Core;

class tst_Autostart final : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        QVERIFY(m_config.isValid());
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_config.path()));
    }

    void entryPath_followsXdgConfigHome()
    {
        QCOMPARE(Autostart::entryPath(), m_config.path() + QStringLiteral("/autostart/keygate.desktop"));
        qputenv("XDG_CONFIG_HOME", "relative/dir"); // ignored, as the base-directory spec says
        QCOMPARE(Autostart::entryPath(),
                 QDir::homePath() + QStringLiteral("/.config/autostart/keygate.desktop"));
        qunsetenv("XDG_CONFIG_HOME");
        QCOMPARE(Autostart::entryPath(),
                 QDir::homePath() + QStringLiteral("/.config/autostart/keygate.desktop"));
    }

    void setEnabled_writesAndRemovesTheEntry()
    {
        Autostart autostart(QStringLiteral("/opt/Key Gate/bin/keygate"));
        QVERIFY(!autostart.isEnabled());
        QVERIFY(autostart.setEnabled(true).ok()); // creates the autostart folder too
        QVERIFY(autostart.isEnabled());
        QFile entry(Autostart::entryPath());
        QVERIFY(entry.open(QIODevice::ReadOnly));
        const QByteArray text = entry.readAll();
        QVERIFY(text.startsWith("[Desktop Entry]\n"));
        QVERIFY(text.contains("\nType=Application\n"));
        QVERIFY(text.contains("\nName=Keygate\n"));
        QVERIFY(text.contains("\nExec=\"/opt/Key Gate/bin/keygate\"\n"));
        QVERIFY(text.contains("\nX-GNOME-Autostart-enabled=true\n"));
        QVERIFY(autostart.setEnabled(true).ok()); // idempotent
        QVERIFY(autostart.setEnabled(false).ok());
        QVERIFY(!autostart.isEnabled());
        QVERIFY(!QFile::exists(Autostart::entryPath()));
        QVERIFY(autostart.setEnabled(false).ok()); // nothing to remove is fine
    }

    void defaultExecutable_isTheRunningBinary()
    {
        QCOMPARE(Autostart().executable(), QCoreApplication::applicationFilePath());
    }

    void setEnabled_unwritableFolder_fails()
    {
        const QString configHome = m_config.path() + QStringLiteral("/blocked");
        QVERIFY(QDir().mkpath(configHome));
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(configHome));
        QFile blocker(configHome + QStringLiteral("/autostart"));
        QVERIFY(blocker.open(QIODevice::WriteOnly)); // a file where the folder should be
        blocker.close();
        const Status status = Autostart(QStringLiteral("/usr/bin/keygate")).setEnabled(true);
        QVERIFY(!status.ok());
        QVERIFY2(status.error().contains(u"autostart"), qPrintable(status.error()));
    }

    void execArgument_quotesAsTheSpecSays_data()
    {
        QTest::addColumn<QString>("argument");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain") << QStringLiteral("/usr/bin/keygate") << QStringLiteral("/usr/bin/keygate");
        QTest::newRow("space") << QStringLiteral("/a b/keygate") << QStringLiteral("\"/a b/keygate\"");
        QTest::newRow("dollar") << QStringLiteral("/a$b") << QStringLiteral("\"/a\\\\$b\"");
        QTest::newRow("quote") << QStringLiteral("/a\"b") << QStringLiteral("\"/a\\\\\"b\"");
        QTest::newRow("backslash") << QStringLiteral("/a\\b") << QStringLiteral("\"/a\\\\\\\\b\"");
        QTest::newRow("percent") << QStringLiteral("/100%/k") << QStringLiteral("/100%%/k");
    }
    void execArgument_quotesAsTheSpecSays()
    {
        QFETCH(QString, argument);
        QFETCH(QString, expected);
        QCOMPARE(Autostart::execArgument(argument), expected);
    }

private:
    QTemporaryDir m_config;
};

QTEST_GUILESS_MAIN(tst_Autostart)
#include "tst_autostart.moc"
