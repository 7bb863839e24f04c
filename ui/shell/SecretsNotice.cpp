// SPDX-License-Identifier: MIT
#include "ui/shell/SecretsNotice.h"

#include "app/core/secrets/SecretStoreStatus.h"

#include "ui/common/MessageBanner.h"
#include "ui/common/SecretBackendText.h"

#include <utility>

namespace Console {

SecretsNotice::SecretsNotice(Core::SecretStoreStatus &status, MessageBanner &banner) : QObject(&banner)
{
    connect(&status, &Core::SecretStoreStatus::changed, this, [this, &status, &banner](Core::SecretStoreStatus::State state) {
        if (state != Core::SecretStoreStatus::State::Unavailable || std::exchange(m_told, true))
            return;
        banner.showMessage(MessageBanner::Kind::Warning, text(status.problem(), status.backendName()));
    });
}

QString SecretsNotice::text(const QString &problem, const QString &backendName)
{
    return tr("%1\n\nStill working: the proxy, every existing key, usage and the auth trace. Not available "
              "until "
              "%2 works: revealing or copying stored keys and storing an upstream token. New keys are "
              "shown once and cannot be shown again.")
        .arg(problem, secretBackendText(backendName));
}

} // namespace Console
