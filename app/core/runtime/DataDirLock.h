// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <memory>

namespace Core {

/// A reader-writer lock on a data dir (flock on `<dataDir>/keygate.lock`): every running proxy
/// (`serve`, the console) holds it shared, `restore` takes it exclusively, so neither can start
/// while the other runs. The lock dies with its process, so a crash leaves nothing stale.
class DataDirLock final
{
    Q_DISABLE_COPY_MOVE(DataDirLock)

public:
    enum class Mode { Shared, Exclusive };

    ~DataDirLock();

    /// Takes the lock without waiting; fails with a message that says who holds it and what to do.
    static Result<std::unique_ptr<DataDirLock>> acquire(const QString &dataDir, Mode mode);
    static QString fileName() { return QStringLiteral("keygate.lock"); }

private:
    explicit DataDirLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

} // namespace Core
