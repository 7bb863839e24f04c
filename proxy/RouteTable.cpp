// SPDX-License-Identifier: MIT
#include "proxy/RouteTable.h"

namespace Proxy {

namespace {

constexpr QByteArrayView CodexPrefix = "/backend-api/codex/";
constexpr QByteArrayView CodexV1Prefix = "/backend-api/codex/v1/";

QByteArray canonicalPath(QByteArrayView path)
{
    if (path.size() > 1 && path.endsWith('/'))
        path.chop(1);
    if (path.startsWith(CodexV1Prefix))
        return CodexPrefix.toByteArray() + path.sliced(CodexV1Prefix.size()).toByteArray();
    return path.toByteArray();
}

bool isWebSocketUpgrade(const HttpHeaders &headers)
{
    return headers.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}

} // namespace

RouteMatch RouteMatch::of(const HttpRequest &request)
{
    RouteMatch match = ofPath(request.path);
    if (match.route == Route::Responses && request.method == "GET" && isWebSocketUpgrade(request.headers))
        match.method = "GET";
    return match;
}

RouteMatch RouteMatch::ofPath(QByteArrayView requestPath)
{
    RouteMatch match;
    match.path = canonicalPath(requestPath);
    const QByteArray &path = match.path;
    if (path == "/backend-api/codex/responses" || path == "/v1/responses") {
        match.route = Route::Responses;
    } else if (path == "/backend-api/codex/responses/compact" || path == "/v1/responses/compact") {
        match.route = Route::Compact;
    } else if (path == "/v1/chat/completions") {
        match.route = Route::ChatCompletions;
    } else if (path == "/v1/models") {
        match.route = Route::Models, match.method = "GET";
    } else if (path == "/backend-api/codex/models") {
        match.route = Route::CodexModels, match.method = "GET";
    } else if (path == "/v1/usage") {
        match.route = Route::Usage, match.method = "GET";
    } else if (path == "/health") {
        match.route = Route::Health, match.method = "GET";
    } else if (path == "/metrics") {
        match.route = Route::Metrics, match.method = "GET";
    }
    return match;
}

} // namespace Proxy
