// SPDX-License-Identifier: MIT
#include "ui/upstream/UpstreamPage.h"

namespace Console {

UpstreamPage::UpstreamPage(ConsoleContext &context, QWidget *parent) : QWidget(parent), m_context(context) {}

} // namespace Console
