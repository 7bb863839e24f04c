// SPDX-License-Identifier: MIT
#pragma once

#include "FakeUpstream.h"

#include <optional>

namespace Proxy {

/// How the ChatGPT backend refuses a POST to `{base}/codex/responses` that breaks its rules, 400
/// `{"detail": …}`: `store` must be false, `stream` true, the plain-API fields (`max_output_tokens`,
/// `temperature`, `top_p`, `metadata`, `user`, `truncation`, `safety_identifier`,
/// `prompt_cache_retention`) are unsupported and an empty `tools` list is refused. nullopt for any
/// other request, and for a body that is not a JSON object. FakeUpstream's ChatGPT mode.
std::optional<FakeUpstream::Reply> chatGptBackendRefusal(const FakeUpstream::Request &request);

} // namespace Proxy
