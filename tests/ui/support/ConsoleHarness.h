// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/secrets/SecretStoreStatus.h"
#include "tests/support/FakeUpstream.h"
#include "tests/ui/support/ScriptedDialogService.h"
#include "ui/shell/ConsoleContext.h"
#include "ui/shell/MainWindow.h"
#include "ui/shell/RequestRateMeter.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>

#include <memory>

namespace Console {

/// The console as the application builds it, for GUI tests: a temporary data directory, the real
/// runtime (SQLite, store and proxy threads, the real secret store), a FakeUpstream configured as
/// the OpenAI-compatible upstream, the window with every page (shown), and the proxy listening on
/// an ephemeral port. Dialogs go through a ScriptedDialogService.
class ConsoleHarness final
{
public:
    /// How the data directory starts. Configured: the FakeUpstream is account "default" and the Get
    /// started checklist is dismissed, so the window opens on Keys. Empty: as a new user's, nothing set up.
    enum class DataDir
    {
        Configured,
        Empty
    };

    /// @p secrets "keychain" (needs the D-Bus session of .ci/with-keyring) or "file".
    explicit ConsoleHarness(const QString &secrets = QStringLiteral("keychain"),
                            DataDir dataDir = DataDir::Configured);
    ~ConsoleHarness();

    /// Opens everything and waits until the proxy listens. Failures are reported with QWARN and false.
    bool start();

    quint16 port() const { return m_port; }
    QString dataDir() const { return m_dir.path(); }
    Core::ProxyRuntime &runtime() { return *m_runtime; }
    Core::SecretStoreStatus &secretStatus() { return *m_secretStatus; }
    ScriptedDialogService &dialogs() { return m_dialogs; }
    Proxy::FakeUpstream &upstream() { return m_upstream; }
    MainWindow &window() { return *m_window; }
    ConsoleContext &context() { return *m_context; }
    /// The backups File → Restore… handed over (ConsoleContext::restoreRequested), in order.
    QList<std::shared_ptr<const Core::VerifiedBackup>> restoreRequests() const { return m_restoreRequests; }

    template<typename T>
    T *find(const QString &objectName) const
    {
        return m_window->findChild<T *>(objectName);
    }

    struct Response final
    {
        int status = 0;
        QByteArray body;
    };
    /// POSTs a streamed Responses request to /v1/responses with @p headers; the upstream answers with
    /// a short SSE stream (usage: 11 input, 3 cached, 7 output, 2 reasoning, 18 total) unless the test set another reply.
    Response postResponses(const QList<QPair<QByteArray, QByteArray>> &headers);
    Response get(const QByteArray &path, const QList<QPair<QByteArray, QByteArray>> &headers);

private:
    Response finish(class QNetworkReply *reply);

    QTemporaryDir m_dir;
    QString m_secrets;
    DataDir m_dataDir;
    Proxy::FakeUpstream m_upstream;
    std::unique_ptr<Core::ProxyRuntime> m_runtime;
    std::unique_ptr<Core::SecretStoreStatus> m_secretStatus;
    RequestRateMeter m_rate;
    ScriptedDialogService m_dialogs;
    std::unique_ptr<ConsoleContext> m_context;
    QList<std::shared_ptr<const Core::VerifiedBackup>> m_restoreRequests;
    std::unique_ptr<MainWindow> m_window;
    QNetworkAccessManager m_network;
    quint16 m_port = 0;
};

} // namespace Console
