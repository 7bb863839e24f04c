// SPDX-License-Identifier: MIT
#include "tests/ui/support/ConsoleHarness.h"

#include "app/core/services/UpstreamService.h"
#include "app/core/storage/GetStartedRepository.h"
#include "app/core/storage/SettingsRepository.h"

#include "ui/shell/ConsoleWindow.h"

#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

namespace Console {

ConsoleHarness::ConsoleHarness(const QString &secrets, DataDir dataDir)
    : m_secrets(secrets), m_dataDir(dataDir)
{}

ConsoleHarness::~ConsoleHarness()
{
    m_window.reset();
    if (m_runtime)
        m_runtime->shutdown();
}

bool ConsoleHarness::start()
{
    m_runtime = std::make_unique<Core::ProxyRuntime>(m_dir.path(), m_secrets);
    if (const Core::Status opened = m_runtime->open(); !opened) {
        qWarning("runtime: %s", qPrintable(opened.error()));
        return false;
    }
    if (const Core::Status listen =
            Core::SettingsRepository(m_runtime->database().connection()).setListen(QStringLiteral("127.0.0.1:0"));
        !listen)
        return false;
    if (m_dataDir == DataDir::Configured) {
        QUrl base = m_upstream.baseUrl();
        base.setPath(QStringLiteral("/v1"));
        const Core::Status upstream =
            Core::UpstreamService(m_runtime->database(), m_runtime->secrets())
                .set(Proxy::UpstreamConfig::Kind::OpenAI, base, {}, "upstream-token");
        const Core::Status dismissed =
            Core::GetStartedRepository(m_runtime->database().connection()).setDismissed(true);
        if (!upstream || !dismissed) {
            qWarning("setup: %s %s", qPrintable(upstream.error()), qPrintable(dismissed.error()));
            return false;
        }
    }
    m_upstream.setReply("/v1/responses",
                        Proxy::FakeUpstream::Reply::sse(Proxy::FakeUpstream::responsesStream(
                            QStringLiteral("gpt-5.4"), {QStringLiteral("hi")}, {11, 3, 7, 2, 18})));
    m_secretStatus = std::make_unique<Core::SecretStoreStatus>(m_runtime->secrets());
    QObject::connect(m_runtime.get(), &Core::ProxyRuntime::requestsRecorded, &m_rate, &RequestRateMeter::add);
    m_context = std::make_unique<ConsoleContext>(
        ConsoleContext{*m_runtime, *m_secretStatus, m_rate, m_dialogs,
                       [this](std::shared_ptr<const Core::VerifiedBackup> backup) {
                           m_restoreRequests.append(std::move(backup));
                       }});
    m_window = createConsoleWindow(*m_context);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get()))
        return false;
    QSignalSpy listening(m_runtime.get(), &Core::ProxyRuntime::listening);
    m_runtime->restartProxy(0);
    if (listening.isEmpty() && !listening.wait(5000)) {
        qWarning("proxy did not start: %s", qPrintable(m_runtime->stateDetail()));
        return false;
    }
    m_port = quint16(m_runtime->stateDetail().section(u':', -1).toUInt());
    return m_port != 0;
}

ConsoleHarness::Response ConsoleHarness::postResponses(const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(m_port)));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return finish(m_network.post(request, QByteArrayLiteral(R"({"model":"gpt-5.4","stream":true,"input":[]})")));
}

ConsoleHarness::Response ConsoleHarness::get(const QByteArray &path,
                                             const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_port) + QString::fromLatin1(path)));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return finish(m_network.get(request));
}

ConsoleHarness::Response ConsoleHarness::finish(QNetworkReply *reply)
{
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        reply->abort();
    Response response{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
    reply->deleteLater();
    return response;
}

} // namespace Console
