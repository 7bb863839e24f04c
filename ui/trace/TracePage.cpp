// SPDX-License-Identifier: MIT
#include "ui/trace/TracePage.h"

namespace Console {

TracePage::TracePage(ConsoleContext &context, QWidget *parent) : QWidget(parent), m_context(context) {}

} // namespace Console
