// SPDX-License-Identifier: MIT
#pragma once

#include "ui/shell/ConsoleContext.h"

#include <QWidget>

namespace Console {

/// Placeholder until this page is built. GUI thread.
class SettingsPage final : public QWidget
{
    Q_OBJECT

public:
    explicit SettingsPage(ConsoleContext &context, QWidget *parent = nullptr);

private:
    ConsoleContext &m_context;
};

} // namespace Console
