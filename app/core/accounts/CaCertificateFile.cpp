// SPDX-License-Identifier: MIT
#include "app/core/accounts/CaCertificateFile.h"

#include "proxy/upstream/CaBundle.h"

#include <QFile>
#include <QFileInfo>

namespace Core {

Result<QByteArray> CaCertificateFile::read(const QString &path)
{
    const auto refused = [&path](const QString &why) {
        return Result<QByteArray>::failure(QStringLiteral("cannot use the CA file %1: %2").arg(path, why));
    };
    const QFileInfo info(path);
    if (!info.exists())
        return refused(QStringLiteral("no such file"));
    if (!info.isFile())
        return refused(QStringLiteral("not a regular file"));
    if (info.size() > MaxBytes)
        return refused(QStringLiteral("larger than %1 KiB, not a CA certificate").arg(MaxBytes / 1024));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return refused(file.errorString());
    QString error;
    const auto certificates = Proxy::CaBundle::parse(file.read(MaxBytes), &error);
    if (!certificates)
        return refused(error);
    return Proxy::CaBundle::toPem(*certificates);
}

} // namespace Core
