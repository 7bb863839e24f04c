// SPDX-License-Identifier: MIT
#include "app/core/diagnostics/ListenCheck.h"

#include "app/core/runtime/ListenerRecord.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QTcpServer>

namespace Core {

namespace {

const QString Check = QStringLiteral("listen address");

QString hostPortOf(const QHostAddress &address, quint16 port)
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']'
                                                                              : address.toString();
    return host + u':' + QString::number(port);
}

/// Where to reach a listener on @p address: a wildcard address is reached on loopback.
QString reachableHost(const QHostAddress &address)
{
    if (address == QHostAddress::AnyIPv4 || address == QHostAddress::Any)
        return QStringLiteral("127.0.0.1");
    if (address == QHostAddress::AnyIPv6)
        return QStringLiteral("[::1]");
    return address.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + address.toString() + u']' : address.toString();
}

} // namespace

ListenCheck::ListenCheck(QObject *parent) : QObject(parent), m_network(new QNetworkAccessManager(this))
{
    m_network->setProxy(QNetworkProxy::NoProxy); // our own port, never through an HTTP proxy
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        if (m_reply)
            m_reply->abort(); // finished → onHealth(false)
    });
}

ListenCheck::~ListenCheck()
{
    if (QNetworkReply *reply = m_reply.data()) {
        reply->disconnect(this);
        reply->abort();
    }
}

void ListenCheck::start(const QString &dataDir, const QHostAddress &address, quint16 port, int timeoutMs)
{
    m_dataDir = dataDir;
    m_port = port;
    m_hostPort = hostPortOf(address, port);
    if (port == 0) {
        finish(DiagnosticLine::ok(Check, m_hostPort + QStringLiteral(": the system picks a free port at each start")));
        return;
    }
    {
        QTcpServer probe;
        if (probe.listen(address, port)) {
            probe.close();
            finish(DiagnosticLine::ok(Check, m_hostPort + QStringLiteral(" is free")));
            return;
        }
        if (probe.serverError() != QAbstractSocket::AddressInUseError) {
            finish(DiagnosticLine::fail(Check,
                                        QStringLiteral("cannot listen on %1: %2").arg(m_hostPort, probe.errorString()),
                                        QStringLiteral("keygate settings set listen 127.0.0.1:2455")));
            return;
        }
    }
    QNetworkRequest request(QUrl(QStringLiteral("http://%1:%2/health").arg(reachableHost(address)).arg(port)));
    request.setTransferTimeout(timeoutMs);
    m_reply = m_network->get(request);
    connect(m_reply.data(), &QNetworkReply::finished, this, [this] {
        QNetworkReply *reply = m_reply.data();
        m_timeout.stop();
        const bool keygate = reply->error() == QNetworkReply::NoError
                             && QJsonDocument::fromJson(reply->read(4096)).object().value(u"status").toString() == u"ok";
        m_reply.clear();
        reply->deleteLater();
        onHealth(keygate);
    });
    m_timeout.start(timeoutMs);
}

void ListenCheck::onHealth(bool answeredAsKeygate)
{
    const std::optional<ListenerRecord> record = ListenerRecord::read(m_dataDir);
    const bool ours = record && record->port == m_port && record->processAlive();
    if (ours && answeredAsKeygate) {
        finish(DiagnosticLine::ok(Check, QStringLiteral("%1 is held by this data dir's running Keygate (pid %2)")
                                             .arg(m_hostPort)
                                             .arg(record->pid)));
        return;
    }
    const QString fix = QStringLiteral("stop the program holding it (`ss -ltnp 'sport = :%1'` names it), or "
                                       "keygate settings set listen 127.0.0.1:OTHER_PORT")
                            .arg(m_port);
    if (ours) {
        finish(DiagnosticLine::fail(Check,
                                    QStringLiteral("%1 is held by Keygate pid %2, but it does not answer /health")
                                        .arg(m_hostPort)
                                        .arg(record->pid),
                                    QStringLiteral("restart it (kill %1)").arg(record->pid)));
        return;
    }
    finish(DiagnosticLine::fail(Check,
                                answeredAsKeygate
                                    ? QStringLiteral("%1 is in use by another Keygate (another data dir) or a "
                                                     "program answering like one")
                                          .arg(m_hostPort)
                                    : QStringLiteral("%1 is in use by another program").arg(m_hostPort),
                                fix));
}

void ListenCheck::finish(DiagnosticLine line)
{
    m_line = std::move(line);
    m_done = true;
    QMetaObject::invokeMethod(this, &ListenCheck::finished, Qt::QueuedConnection);
}

DiagnosticLine ListenCheck::line() const
{
    if (m_done)
        return m_line;
    return DiagnosticLine::fail(Check, m_hostPort + QStringLiteral(" is in use and did not answer in time"),
                                QStringLiteral("find the program holding it: ss -ltnp 'sport = :%1'").arg(m_port));
}

} // namespace Core
