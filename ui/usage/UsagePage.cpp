// SPDX-License-Identifier: MIT
#include "ui/usage/UsagePage.h"

namespace Console {

UsagePage::UsagePage(ConsoleContext &context, QWidget *parent) : QWidget(parent), m_context(context) {}

} // namespace Console
