// SPDX-License-Identifier: MIT
#include "app/core/backup/BackupReader.h"

#include "app/core/backup/SecretsSeal.h"

#include <QFile>

namespace Core::BackupReader {

Result<BackupFile> read(const QString &path)
{
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return Result<BackupFile>::failure(QStringLiteral("cannot read %1: %2").arg(path, in.errorString()));
    return BackupFile::decode(in.readAll());
}

Result<std::unique_ptr<VerifiedBackup>> verify(BackupFile file, const std::optional<QByteArray> &passphrase)
{
    using R = Result<std::unique_ptr<VerifiedBackup>>;
    auto image = DatabaseImage::load(file.databaseImage);
    if (!image)
        return R::failure(image.status());
    auto verified = std::make_unique<VerifiedBackup>();
    verified->database = image.value()->summary().value(); // load() has read it once already
    if (file.secrets && passphrase) {
        Result<SecretEntries> opened = SecretsSeal::open(file, *passphrase);
        if (!opened)
            return R::failure(opened.status());
        verified->secrets = std::move(opened).value();
    }
    verified->secretsSkipped = file.secrets && !passphrase;
    verified->file = std::move(file);
    return verified;
}

} // namespace Core::BackupReader
