// SPDX-License-Identifier: MIT
// ClipboardGuard: a copied secret is cleared after the interval unless the clipboard changed.
#include "ui/keys/ClipboardGuard.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QMimeData>
#include <QSignalSpy>
#include <QTest>

using namespace Console;

class tst_ClipboardGuard final : public QObject
{
    Q_OBJECT

private slots:
    void defaultInterval_isSixtySeconds()
    {
        ClipboardGuard guard;
        QCOMPARE(guard.clearInterval(), std::chrono::milliseconds(60000));
    }

    void copy_unchanged_clearedAfterInterval()
    {
        ClipboardGuard guard;
        guard.setClearInterval(std::chrono::milliseconds(100));
        QSignalSpy expired(&guard, &ClipboardGuard::expired);
        guard.copy(QStringLiteral("sk-kg-secret"));
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("sk-kg-secret"));
        QCOMPARE(QGuiApplication::clipboard()->mimeData()->data(QStringLiteral("x-kde-passwordManagerHint")),
                 QByteArrayLiteral("secret"));
        QVERIFY(guard.isPending());
        QVERIFY(expired.wait(2000));
        QCOMPARE(expired.first().first().toBool(), true);
        QVERIFY(QGuiApplication::clipboard()->text().isEmpty());
        QVERIFY(!guard.isPending());
    }

    void copy_clipboardChangedMeanwhile_leftAlone()
    {
        ClipboardGuard guard;
        guard.setClearInterval(std::chrono::milliseconds(100));
        QSignalSpy expired(&guard, &ClipboardGuard::expired);
        guard.copy(QStringLiteral("sk-kg-secret"));
        QGuiApplication::clipboard()->setText(QStringLiteral("something else"));
        QVERIFY(expired.wait(2000));
        QCOMPARE(expired.first().first().toBool(), false);
        QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("something else"));
    }

    void destroyed_whilePending_clearsOwnSecret()
    {
        {
            ClipboardGuard guard;
            guard.copy(QStringLiteral("sk-kg-short-lived"));
        }
        QVERIFY(QGuiApplication::clipboard()->text().isEmpty());
    }
};

QTEST_MAIN(tst_ClipboardGuard)
#include "tst_clipboardguard.moc"
