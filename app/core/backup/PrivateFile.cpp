// SPDX-License-Identifier: MIT
#include "app/core/backup/PrivateFile.h"

#include <QFile>

#include <cstdio>
#include <unistd.h>

namespace Core::PrivateFile {

Status replace(const QString &path, const QByteArray &bytes)
{
    const QString partial = path + QStringLiteral(".partial");
    QFile::remove(partial);
    QFile out(partial);
    if (!out.open(QIODevice::WriteOnly | QIODevice::NewOnly, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return Status::failure(QStringLiteral("cannot create %1: %2").arg(partial, out.errorString()));
    const bool written = out.write(bytes) == bytes.size() && out.flush() && ::fsync(out.handle()) == 0;
    const QString error = out.errorString();
    out.close();
    if (!written || std::rename(QFile::encodeName(partial).constData(), QFile::encodeName(path).constData()) != 0) {
        QFile::remove(partial);
        return Status::failure(QStringLiteral("cannot write %1: %2").arg(path, written ? QStringLiteral("rename failed") : error));
    }
    return Status::success();
}

} // namespace Core::PrivateFile
