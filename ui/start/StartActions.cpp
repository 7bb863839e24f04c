// SPDX-License-Identifier: MIT
#include "ui/start/StartActions.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/storage/KeyRepository.h"

#include "ui/accounts/AccountsPage.h"
#include "ui/common/MessageBanner.h"
#include "ui/keys/KeysPage.h"
#include "ui/shell/MainWindow.h"

namespace Console {

namespace {
/// The error a page's own banner shows, empty when none.
QString bannerError(QWidget &page)
{
    const auto banners = page.findChildren<MessageBanner *>(Qt::FindDirectChildrenOnly);
    for (const MessageBanner *banner : banners)
        if (banner->isVisibleTo(&page) && banner->kind() == MessageBanner::Kind::Error)
            return banner->text();
    return {};
}
} // namespace

StartActions::StartActions(ConsoleContext &context, MainWindow &window, AccountsPage &accounts,
                           KeysPage &keys, QObject *parent)
    : QObject(parent), m_context(context), m_window(window), m_accounts(accounts), m_keys(keys)
{}

template <typename Flow> void StartActions::runOn(const QString &id, QWidget &page, Flow flow)
{
    const QString before = bannerError(page);
    flow();
    if (const QString after = bannerError(page); !after.isEmpty() && after != before)
        m_window.showPage(id);
}

void StartActions::signInWithChatGpt()
{
    runOn(QStringLiteral("accounts"), m_accounts, [this] { m_accounts.signIn(false); });
}

void StartActions::importCodexAuth()
{
    runOn(QStringLiteral("accounts"), m_accounts, [this] { m_accounts.importAuthJson(); });
}

void StartActions::addOpenAICompatible()
{
    runOn(QStringLiteral("accounts"), m_accounts, [this] { m_accounts.addOpenAI(); });
}

void StartActions::createKey()
{
    runOn(QStringLiteral("keys"), m_keys, [this] { m_keys.newKey(); });
}

void StartActions::connectClient()
{
    if (newestEnabledKey() == 0)
        createKey();
    const qint64 key = newestEnabledKey();
    if (key == 0)
        return;
    if (!m_keys.selectKey(key)) { // hidden by the page's filter: let the user pick it there
        m_window.showPage(QStringLiteral("keys"));
        return;
    }
    runOn(QStringLiteral("keys"), m_keys, [this] { m_keys.connectClient(); });
}

qint64 StartActions::newestEnabledKey() const
{
    const auto keys = Core::KeyRepository(m_context.runtime.database().connection()).list();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    qint64 newest = 0;
    if (keys)
        for (const Core::KeyRecord &key : keys.value())
            if (key.enabled && !key.isExpired(now) && key.id > newest)
                newest = key.id;
    return newest;
}

} // namespace Console
