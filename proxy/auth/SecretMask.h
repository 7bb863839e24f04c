// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QString>

namespace Proxy {

/// How a credential is shown in traces, logs and the UI: never more than its last 4 characters.
/// Keygate keys → "sk-kg-…Q3xf"; codex-lb keys → "sk-clb-AbCd…"; JWT-shaped tokens → "JWT-shaped …sig"; anything else → its kind
/// and length, plus the last 4 only when the value is long enough for that to reveal nothing useful.
QString maskSecret(QByteArrayView value);

/// "sk-kg-…" + the last 4 characters of a Keygate key.
QString maskKeygateKey(QByteArrayView key);

/// "sk-clb-" + the 4 characters after the prefix + "…", for a key imported from codex-lb (or the
/// 15-character prefix codex-lb keeps of it): codex-lb never stored the end of its keys, so the
/// start is all both sides know.
QString maskImportedKey(QByteArrayView keyOrPrefix);

} // namespace Proxy
