// SPDX-License-Identifier: MIT
#include "ui/settings/SettingsPage.h"

namespace Console {

SettingsPage::SettingsPage(ConsoleContext &context, QWidget *parent) : QWidget(parent), m_context(context) {}

} // namespace Console
