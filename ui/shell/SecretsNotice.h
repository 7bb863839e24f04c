// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

namespace Core {
class SecretStoreStatus;
}

namespace Console {

class MessageBanner;

/// Explains once per run, in the window banner, that the secret store is unusable and what still
/// works without it. GUI thread.
class SecretsNotice final : public QObject
{
    Q_OBJECT

public:
    SecretsNotice(Core::SecretStoreStatus &status, MessageBanner &banner);

    /// @p backendName: the store's backendName(), named in the text as secretBackendText() does.
    static QString text(const QString &problem, const QString &backendName);

private:
    bool m_told = false;
};

} // namespace Console
