// SPDX-License-Identifier: MIT
#pragma once

#include "tests/ui/support/ConsoleHarness.h"

#include "app/core/storage/SettingsRepository.h"

#include <QTcpServer>

/// What the Settings page tests share: a port nothing listens on, and the settings as stored.
namespace SettingsTestSupport {

inline quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort(); // closed again when probe goes out of scope
}

inline Core::StoredSettings stored(Console::ConsoleHarness &console)
{
    return Core::SettingsRepository(console.runtime().database().connection()).load().value();
}

} // namespace SettingsTestSupport
