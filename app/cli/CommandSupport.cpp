// SPDX-License-Identifier: MIT
#include "app/cli/CommandSupport.h"

#include "app/cli/CliOutput.h"

namespace Core::Cli {

CommandEnvironment::CommandEnvironment(CliContext context) : m_context(std::move(context)) {}

bool CommandEnvironment::openDatabase()
{
    const Status status = m_database.open(m_context.dataDir);
    if (!status)
        fail(status.error());
    return status.ok();
}

bool CommandEnvironment::openSecrets()
{
    auto store = createSecretStore(m_context);
    if (!store) {
        fail(store.error());
        return false;
    }
    m_secrets = store.value();
    return true;
}

QString displayTime(const QDateTime &time, const QString &fallback)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODate) : fallback;
}

} // namespace Core::Cli
