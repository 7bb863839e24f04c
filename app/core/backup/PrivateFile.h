// SPDX-License-Identifier: MIT
#pragma once

#include "app/core/Result.h"

#include <QByteArray>

namespace Core::PrivateFile {

/// Writes @p bytes to `<path>.partial` (created 0600, synced) and renames it over @p path, so
/// readers see the old file or the whole new one, and nobody else can read it in between.
Status replace(const QString &path, const QByteArray &bytes);

} // namespace Core::PrivateFile
