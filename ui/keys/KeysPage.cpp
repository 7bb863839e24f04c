// SPDX-License-Identifier: MIT
#include "ui/keys/KeysPage.h"

namespace Console {

KeysPage::KeysPage(ConsoleContext &context, QWidget *parent) : QWidget(parent), m_context(context) {}

} // namespace Console
