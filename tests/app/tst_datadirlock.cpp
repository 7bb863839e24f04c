// SPDX-License-Identifier: MIT
// The data dir lock: any number of running Keygates share it; a restore needs it alone.
#include "app/core/runtime/DataDirLock.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Core;

class tst_DataDirLock final : public QObject
{
    Q_OBJECT

private slots:
    void acquire_sharedHeld_exclusiveRefusedUntilReleased()
    {
        QTemporaryDir dir;
        auto serve = DataDirLock::acquire(dir.path(), DataDirLock::Mode::Shared);
        auto console = DataDirLock::acquire(dir.path(), DataDirLock::Mode::Shared);
        QVERIFY(serve && console);
        const auto restore = DataDirLock::acquire(dir.path(), DataDirLock::Mode::Exclusive);
        QVERIFY(!restore);
        QVERIFY(restore.error().contains(QStringLiteral("serve or console is using")));
        serve.value().reset();
        QVERIFY(!DataDirLock::acquire(dir.path(), DataDirLock::Mode::Exclusive));
        console.value().reset();
        QVERIFY(DataDirLock::acquire(dir.path(), DataDirLock::Mode::Exclusive));
    }

    void acquire_exclusiveHeld_sharedRefused()
    {
        QTemporaryDir dir;
        const auto restore = DataDirLock::acquire(dir.path(), DataDirLock::Mode::Exclusive);
        QVERIFY(restore);
        const auto serve = DataDirLock::acquire(dir.path(), DataDirLock::Mode::Shared);
        QVERIFY(!serve);
        QVERIFY(serve.error().contains(QStringLiteral("restore into")));
    }
};

QTEST_GUILESS_MAIN(tst_DataDirLock)
#include "tst_datadirlock.moc"
