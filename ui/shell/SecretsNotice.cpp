// SPDX-License-Identifier: MIT
#include "ui/shell/SecretsNotice.h"

#include "app/core/secrets/SecretStoreStatus.h"

#include <utility>
#include "ui/common/MessageBanner.h"

namespace Console {

SecretsNotice::SecretsNotice(Core::SecretStoreStatus &status, MessageBanner &banner) : QObject(&banner)
{
    connect(&status, &Core::SecretStoreStatus::changed, this, [this, &status, &banner](Core::SecretStoreStatus::State state) {
        if (state != Core::SecretStoreStatus::State::Unavailable || std::exchange(m_told, true))
            return;
        banner.showMessage(MessageBanner::Kind::Warning, text(status.problem()));
    });
}

QString SecretsNotice::text(const QString &problem)
{
    return tr("%1\n\nStill working: the proxy, every existing key, usage and the auth trace. Not available until "
              "the keychain works: revealing or copying stored keys and storing an upstream token. New keys are "
              "shown once and cannot be shown again.")
        .arg(problem);
}

} // namespace Console
