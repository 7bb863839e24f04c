// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class QLocalServer;

namespace Core {

/// One console per data directory and user: the first instance listens on a local socket; a later
/// launch asks it to show its window and then exits, starting no second proxy. Main thread.
class SingleInstance final : public QObject
{
    Q_OBJECT

public:
    explicit SingleInstance(const QString &dataDir, QObject *parent = nullptr);

    /// True when this process is the first instance (and now listens); false when another instance
    /// answered, in which case it has been asked to come to the front.
    bool claim();
    QString serverName() const { return m_name; }

signals:
    /// Another launch asked this instance to show itself.
    void activationRequested();

private:
    QString m_name;
    QLocalServer *m_server = nullptr;
};

} // namespace Core
