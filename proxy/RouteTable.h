// SPDX-License-Identifier: MIT
#pragma once

#include "proxy/http/HttpRequest.h"

#include <QByteArray>
#include <QByteArrayView>

namespace Proxy {

/// The routes Keygate serves.
enum class Route { Responses, Compact, ChatCompletions, Models, CodexModels, Usage, Health, Metrics, NotFound };

/// Which route a request asks for, on its canonical path (a trailing slash dropped,
/// `/backend-api/codex/v1/<rest>` read as `/backend-api/codex/<rest>` since clients append /v1), and the
/// method that route takes (GET for a WebSocket upgrade on a responses route).
struct RouteMatch final
{
    Route route = Route::NotFound;
    QByteArray path;
    QByteArrayView method = "POST";

    static RouteMatch of(const HttpRequest &request);
    /// The route of @p path alone (a GET on a responses route is not told from a POST here).
    static RouteMatch ofPath(QByteArrayView path);
};

} // namespace Proxy
