// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Core {

/// Read-only files Keygate ships in <prefix>/share/keygate (the pricing table). They are looked up at
/// `<binary's folder>/../share/keygate`: one rule for an installed binary (/usr/bin → /usr/share/keygate)
/// and the build tree (build/app → build/share/keygate, which the build fills), never the source tree.
/// A binary run without them (copied on its own, a test executable) uses the copy compiled in under
/// `:/keygate/`, so it still runs.
class InstalledData final
{
public:
    /// The path to read `name` from: the shipped file when it exists, else `:/keygate/<name>`.
    static QString path(const QString &name);
};

} // namespace Core
