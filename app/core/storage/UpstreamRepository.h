// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include "proxy/ProxyConfig.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QUrl>

#include <optional>

namespace Core {

/// The single `upstream` row (id = 1); the token is never here, it lives in the secret store.
struct UpstreamRow final
{
    Proxy::UpstreamConfig::Kind kind = Proxy::UpstreamConfig::Kind::None;
    QUrl baseUrl;
    QString accountId;
    QDateTime updatedAt;
};

class UpstreamRepository final
{
public:
    explicit UpstreamRepository(QSqlDatabase db);

    /// nullopt when no upstream was ever set.
    Result<std::optional<UpstreamRow>> load() const;
    Status save(const UpstreamRow &row);

private:
    QSqlDatabase m_db;
};

} // namespace Core
