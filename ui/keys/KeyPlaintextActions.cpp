// SPDX-License-Identifier: MIT
#include "ui/keys/KeyPlaintextActions.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/secrets/SecretStoreStatus.h"
#include "app/core/services/KeyService.h"

#include "ui/common/CopyFeedback.h"
#include "ui/common/DialogService.h"
#include "ui/common/MessageBanner.h"
#include "ui/common/SecretBackendText.h"
#include "ui/keys/ClipboardGuard.h"
#include "ui/keys/KeySecretDialog.h"

#include <QAction>

namespace Console {

KeyPlaintextActions::KeyPlaintextActions(ConsoleContext &context, ClipboardGuard &clipboard, MessageBanner &banner,
                                         QAction &reveal, QAction &copy, QWidget &dialogParent)
    : QObject(&dialogParent), m_context(context), m_clipboard(clipboard), m_banner(banner), m_reveal(reveal),
      m_copy(copy), m_dialogParent(dialogParent), m_copyFeedback(new CopyFeedback(copy)),
      m_revealToolTip(reveal.toolTip()), m_copyToolTip(copy.toolTip())
{}

KeyPlaintextActions::~KeyPlaintextActions() = default;

QString KeyPlaintextActions::importedToolTip()
{
    return tr("Imported from codex-lb, which kept only a hash of the key: Keygate never had its plaintext, so it "
              "cannot be shown or copied. The original sk-clb- key keeps working; regenerate it to get a key you "
              "can reveal.");
}

void KeyPlaintextActions::follow(const std::optional<Core::KeyRecord> &key)
{
    const bool imported = key && key->isImported();
    for (QAction *action : {&m_reveal, &m_copy})
        action->setEnabled(key && !imported);
    m_reveal.setToolTip(imported ? importedToolTip() : m_revealToolTip);
    m_copy.setToolTip(imported ? importedToolTip() : m_copyToolTip);
}

std::optional<QString> KeyPlaintextActions::plaintext(const Core::KeyRecord &key, const QString &failureText)
{
    Core::SecretResult outcome;
    Core::KeyService service(m_context.runtime.database(), m_context.runtime.secrets(), Core::UnstoredSecret::ShowOnce);
    Core::Result<QString> text = service.reveal(key.id, &outcome);
    if (!key.isImported()) // an imported key never reaches the secret store
        m_context.secretStatus.report(outcome);
    if (!text) {
        m_banner.showMessage(MessageBanner::Kind::Error, failureText.arg(key.name, text.error()));
        return std::nullopt;
    }
    return text.value();
}

void KeyPlaintextActions::reveal(const Core::KeyRecord &key)
{
    std::optional<QString> text = plaintext(key, tr("Cannot reveal \"%1\": %2"));
    if (!text)
        return;
    KeySecretDialog secret(KeySecretDialog::Purpose::Revealed, key.name, *text,
                           secretBackendText(m_context.runtime.secrets()), {}, m_clipboard, &m_dialogParent);
    text->clear();
    m_context.dialogs.exec(secret);
}

void KeyPlaintextActions::copy(const Core::KeyRecord &key)
{
    std::optional<QString> text = plaintext(key, tr("Cannot copy \"%1\": %2"));
    if (!text)
        return;
    m_clipboard.copy(*text);
    text->clear();
    m_copyFeedback->show();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(m_clipboard.clearInterval()).count();
    m_banner.showMessage(MessageBanner::Kind::Info,
                         tr("Copied \"%1\". The clipboard is cleared in %2 s unless you copy something else.")
                             .arg(key.name)
                             .arg(seconds));
}

} // namespace Console
