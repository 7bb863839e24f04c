// SPDX-License-Identifier: MIT
#include "app/core/runtime/UsageResetFeed.h"

#include "app/core/storage/AuthEventRepository.h"
#include "app/core/storage/Database.h"

namespace Core {

UsageResetFeed::UsageResetFeed(Database &database) : m_database(database) {}

void UsageResetFeed::skipExisting()
{
    takeNew();
}

QList<Proxy::AuthTrace> UsageResetFeed::takeNew()
{
    if (!m_database.isOpen())
        return {};
    const auto resets = AuthEventRepository(m_database.connection()).resetsAfter(m_lastId);
    if (!resets)
        return {}; // e.g. busy: the next key change looks again from the same row
    m_lastId = resets.value().lastId;
    return resets.value().traces;
}

} // namespace Core
