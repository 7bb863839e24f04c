// SPDX-License-Identifier: MIT
#include "app/core/runtime/DataDirLock.h"

#include <QDir>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace Core {

DataDirLock::~DataDirLock()
{
    ::close(m_fd); // releases the flock
}

Result<std::unique_ptr<DataDirLock>> DataDirLock::acquire(const QString &dataDir, Mode mode)
{
    using R = Result<std::unique_ptr<DataDirLock>>;
    const QString path = QDir(dataDir).filePath(fileName());
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return R::failure(QStringLiteral("cannot open %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    if (::flock(fd, (mode == Mode::Shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd);
        if (error != EWOULDBLOCK)
            return R::failure(
                QStringLiteral("cannot lock %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(error))));
        if (mode == Mode::Shared)
            return R::failure(QStringLiteral("a restore into %1 is under way; start again when it has finished")
                                  .arg(QDir::toNativeSeparators(dataDir)));
        return R::failure(QStringLiteral("a keygate serve or console is using %1; stop it first (the console "
                                         "restores through File → Restore…)")
                              .arg(QDir::toNativeSeparators(dataDir)));
    }
    return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
}

} // namespace Core
