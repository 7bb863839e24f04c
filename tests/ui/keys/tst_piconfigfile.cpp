// SPDX-License-Identifier: MIT
// Pi's models.json holds a key: no moment of its writing is readable by anyone but the owner.
#include "ui/keys/PiConfigFile.h"

#include <QJsonObject>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Console;

namespace {

constexpr auto OwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr auto Others = QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup
                        | QFileDevice::WriteOther;

} // namespace

class tst_PiConfigFile final : public QObject
{
    Q_OBJECT

private slots:
    void saveFileTemporary_madePrivateBeforeWriting();
    void newFile_underPermissiveUmask_ownerOnly();
};

void tst_PiConfigFile::saveFileTemporary_madePrivateBeforeWriting()
{
    // What PiConfigFile relies on: QSaveFile::setPermissions() right after open() applies to the
    // temporary file the key is then written into (on Linux an unnamed O_TMPFILE, linked at commit).
    const mode_t old = ::umask(000);
    QTemporaryDir dir;
    QSaveFile file(dir.filePath(QStringLiteral("models.json")));
    const bool opened = file.open(QIODevice::WriteOnly);
    ::umask(old);
    QVERIFY(opened);
    struct stat before {};
    QCOMPARE(::fstat(file.handle(), &before), 0);
    QVERIFY2((before.st_mode & 077) != 0, "with umask 000 a new temporary file starts readable by others");
    QVERIFY(file.setPermissions(OwnerOnly));
    struct stat after {};
    QCOMPARE(::fstat(file.handle(), &after), 0);
    QCOMPARE(after.st_mode & 077, mode_t(0));
    file.cancelWriting();
}

void tst_PiConfigFile::newFile_underPermissiveUmask_ownerOnly()
{
    const mode_t old = ::umask(000);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("agent/models.json"));
    const auto written = PiConfigFile(path).writeProvider(QStringLiteral("keygate"),
                                                          QJsonObject{{QStringLiteral("apiKey"), QStringLiteral("x")}},
                                                          QDateTime::currentDateTime());
    ::umask(old);
    QVERIFY2(written.ok(), qPrintable(written.error()));
    QCOMPARE(QFile::permissions(path) & Others, QFileDevice::Permissions());
}

QTEST_MAIN(tst_PiConfigFile)
#include "tst_piconfigfile.moc"
