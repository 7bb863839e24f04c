// SPDX-License-Identifier: MIT
#include "app/core/accounts/oauth/BrowserLogin.h"

#include "app/core/accounts/oauth/CallbackUrl.h"
#include "app/core/accounts/oauth/OAuthLog.h"
#include "app/core/accounts/oauth/Pkce.h"
#include "app/core/accounts/oauth/TokenClient.h"

#include <QPointer>
#include <QUrlQuery>
#include <QTcpServer>
#include <QTcpSocket>

namespace Core {

namespace {

constexpr qsizetype MaxRequestHeadBytes = 16 * 1024;

QByteArray page(const QString &title, const QString &text)
{
    return QStringLiteral(
               "<!doctype html><html><head><meta charset=\"utf-8\"><title>Keygate - %1</title></head>"
               "<body style=\"font-family:sans-serif;margin:3em\"><h1>%1</h1><p>%2</p></body></html>")
        .arg(title.toHtmlEscaped(), text.toHtmlEscaped())
        .toUtf8();
}

/// Answers the browser and closes the connection once the answer is written.
void respond(QTcpSocket *socket, int status, const QByteArray &reason, const QByteArray &body)
{
    if (!socket || socket->state() != QAbstractSocket::ConnectedState)
        return;
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    head += "Content-Type: text/html; charset=utf-8\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    head += "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
    socket->write(head + body);
    socket->disconnectFromHost(); // waits for the written bytes, then closes
}

QByteArray failurePage(const QString &message)
{
    return page(QStringLiteral("Sign-in failed"), message + QStringLiteral(" You can close this tab."));
}

} // namespace

BrowserLogin::BrowserLogin(OAuthEndpoints endpoints, QObject *parent)
    : QObject(parent), m_endpoints(std::move(endpoints)), m_tokens(new TokenClient(m_endpoints, this))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this] {
        const QString limit = m_timeoutMs >= 60'000
                                  ? QStringLiteral("%1 min").arg(m_timeoutMs / 60'000)
                                  : QStringLiteral("%1 s").arg(double(m_timeoutMs) / 1000.0);
        fail(QStringLiteral("the browser login timed out: no sign-in arrived within %1; start it again")
                 .arg(limit));
    });
}

BrowserLogin::~BrowserLogin()
{
    cancel();
}

quint16 BrowserLogin::callbackPort() const
{
    return m_server && m_server->isListening() ? m_server->serverPort() : 0;
}

void BrowserLogin::cancel()
{
    ++m_generation;
    m_tokens->abortAll();
    m_timeout.stop();
    stopServer();
    m_phase = Phase::Idle;
    m_verifier.clear();
    m_state.clear();
}

void BrowserLogin::stopServer()
{
    if (m_server) {
        m_server->close();
        m_server->deleteLater();
        m_server = nullptr;
    }
}

void BrowserLogin::start(CallbackMode mode)
{
    cancel();
    const quint64 generation = m_generation;
    quint16 port = m_endpoints.callbackPort;
    if (mode == CallbackMode::LocalServer) {
        m_server = new QTcpServer(this);
        connect(m_server, &QTcpServer::newConnection, this, &BrowserLogin::onNewConnection);
        if (!m_server->listen(QHostAddress::LocalHost, m_endpoints.callbackPort)) {
            const QString message =
                QStringLiteral(
                    "cannot listen on 127.0.0.1:%1 for the login callback (%2); another program (a "
                    "Codex login?) may be using the port. Use the device-code login "
                    "(`keygate accounts login --device`) or paste the callback URL from the "
                    "browser's address bar instead")
                    .arg(m_endpoints.callbackPort)
                    .arg(m_server->errorString());
            stopServer();
            QMetaObject::invokeMethod(
                this,
                [this, generation, message] {
                    if (generation == m_generation)
                        emit failed(message);
                },
                Qt::QueuedConnection);
            return;
        }
        port = m_server->serverPort();
    }
    m_redirectUri = port != 0 ? m_endpoints.redirectUriForPort(port) : m_endpoints.redirectUri;
    m_verifier = Pkce::generateVerifier();
    m_state = Pkce::generateState();
    OAuthEndpoints endpoints = m_endpoints;
    endpoints.redirectUri = m_redirectUri;
    m_authorizeUrl = Pkce::authorizeUrl(endpoints, Pkce::challengeFor(m_verifier), m_state);
    m_phase = Phase::Waiting;
    m_timeout.start(m_timeoutMs);
    qCInfo(lcOAuth) << "browser login started; callback on port" << port;
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            if (generation == m_generation)
                emit authorizeUrlReady(m_authorizeUrl);
        },
        Qt::QueuedConnection);
}

Status BrowserLogin::completeWithCallbackUrl(const QString &callbackUrl)
{
    if (m_phase == Phase::Idle)
        return Status::failure(QStringLiteral("no browser login is waiting for a callback"));
    if (m_phase == Phase::Exchanging)
        return Status::failure(QStringLiteral("the login is already being completed"));
    const Result<CallbackParams> params = CallbackUrl::parse(callbackUrl);
    if (!params)
        return params.status();
    if (params.value().state != m_state)
        return Status::failure(
            QStringLiteral("this callback URL belongs to another login (state mismatch); paste "
                           "the address the browser showed after this sign-in"));
    exchange(params.value().code, nullptr);
    return Status::success();
}

void BrowserLogin::onNewConnection()
{
    while (QTcpSocket *socket = m_server ? m_server->nextPendingConnection() : nullptr) {
        socket->setParent(this); // outlives the server, which is closed when the login ends
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
    }
}

void BrowserLogin::onReadyRead(QTcpSocket *socket)
{
    if (socket->property("handled").toBool()) {
        socket->readAll();
        return;
    }
    QByteArray buffer = socket->property("head").toByteArray() + socket->readAll();
    const qsizetype end = buffer.indexOf("\r\n\r\n");
    if (end < 0) {
        if (buffer.size() > MaxRequestHeadBytes) {
            socket->setProperty("handled", true);
            respond(socket, 431, "Request Header Fields Too Large", {});
            return;
        }
        socket->setProperty("head", buffer);
        return;
    }
    socket->setProperty("handled", true);
    socket->setProperty("head", QVariant());
    const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
    if (requestLine.size() != 3) {
        respond(socket, 400, "Bad Request", {});
        return;
    }
    handleCallback(socket, requestLine.at(0), requestLine.at(1));
}

void BrowserLogin::handleCallback(QTcpSocket *socket, const QByteArray &method, const QByteArray &target)
{
    const QUrl url = QUrl::fromEncoded(target);
    if (url.path() != m_redirectUri.path()) {
        respond(socket, 404, "Not Found", page(QStringLiteral("Not found"), QStringLiteral("Nothing here.")));
        return;
    }
    if (method != "GET") {
        respond(socket, 405, "Method Not Allowed", {});
        return;
    }
    if (m_phase != Phase::Waiting) {
        respond(socket, 409, "Conflict",
                page(QStringLiteral("Already signing in"),
                     QStringLiteral("Keygate is already completing this login. You can close this tab.")));
        return;
    }
    // The state first: only the answer to the authorize URL we built may end this login. Anything else
    // (a stale tab, or any local page forging a callback or an error=) is refused and ignored, and the
    // login keeps waiting for the real answer.
    if (QUrlQuery(url).queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded) != m_state) {
        qCInfo(lcOAuth) << "ignored a callback whose state does not belong to this login";
        respond(socket, 400, "Bad Request",
                page(QStringLiteral("Not this sign-in"),
                     QStringLiteral("This answer does not belong to the sign-in Keygate is waiting for (state "
                                    "mismatch); it was ignored.")));
        return;
    }
    const Result<CallbackParams> params = CallbackUrl::parse(url);
    if (!params) {
        respond(socket, 400, "Bad Request", failurePage(params.error()));
        fail(params.error());
        return;
    }
    exchange(params.value().code, socket);
}

void BrowserLogin::exchange(const QString &code, QTcpSocket *browser)
{
    m_phase = Phase::Exchanging;
    stopServer(); // one answer per login; the browser's connection stays open until we reply
    const quint64 generation = m_generation;
    QPointer<QTcpSocket> socket(browser);
    m_tokens->exchangeCode(
        code, m_verifier, m_redirectUri, [this, generation, socket](const TokenResult &result) {
            if (generation != m_generation)
                return;
            if (!result.ok()) {
                const QString message = QStringLiteral("the login code could not be exchanged for tokens: %1")
                                            .arg(result.error->message);
                respond(socket, 502, "Bad Gateway", failurePage(message));
                fail(message);
                return;
            }
            respond(socket, 200, "OK",
                    page(QStringLiteral("Signed in"),
                         QStringLiteral("Keygate received your ChatGPT login. You can close this tab.")));
            cancel();
            qCInfo(lcOAuth) << "browser login succeeded";
            emit succeeded(result.tokens);
        });
}

void BrowserLogin::fail(const QString &message)
{
    cancel();
    qCInfo(lcOAuth) << "browser login failed:" << message;
    emit failed(message);
}

} // namespace Core
