// SPDX-License-Identifier: MIT
#include "app/core/runtime/InstalledData.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace Core {

QString InstalledData::path(const QString &name)
{
    const QString binaryDir = QCoreApplication::applicationDirPath(); // empty before QCoreApplication exists
    const QString shipped = QDir::cleanPath(binaryDir + QStringLiteral("/../share/keygate/") + name);
    if (!binaryDir.isEmpty() && QFileInfo(shipped).isFile())
        return shipped;
    return QStringLiteral(":/keygate/") + name;
}

} // namespace Core
