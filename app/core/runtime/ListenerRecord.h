// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <optional>

namespace Core {

/// `<data dir>/listener.json`: which process of this data dir listens where ({"pid", "host", "port"}).
/// A running `serve` or console writes it when its proxy listens and removes it when the proxy stops,
/// so `doctor` can tell "the port is held by our own instance" from "held by a stranger" (together with
/// that instance answering /health). A record left by a killed process names a pid that is gone.
struct ListenerRecord final
{
    qint64 pid = 0;
    QString host;
    quint16 port = 0;

    static QString path(const QString &dataDir);
    /// Records this process listening on @p host:@p port (best effort: a failure only weakens doctor).
    static void write(const QString &dataDir, const QString &host, quint16 port);
    /// Removes the record if this process wrote it.
    static void clear(const QString &dataDir);
    static std::optional<ListenerRecord> read(const QString &dataDir);
    /// Whether the recorded process still exists.
    bool processAlive() const;
};

} // namespace Core
