// SPDX-License-Identifier: MIT
#pragma once

#include "tests/ui/support/ConsoleHarness.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

class QWidget;

/// What a new user does in the Get started and empty-state tests: clicks, and the account and key
/// dialogs filled in as a user fills them.
namespace Console::FirstRun {

/// What the mark of checklist step @p step ("startAccount", …) says: "Done" or "To do".
QString mark(QWidget &window, const QString &step);
/// The text under checklist step @p step.
QString detail(QWidget &window, const QString &step);
/// Left-clicks the visible, enabled button @p objectName; false when there is none to click.
bool click(QWidget &window, const QString &objectName);
/// Queues the "Add an OpenAI-compatible account" dialog: account "fake" at the FakeUpstream, OK.
void expectAccountDialog(ConsoleHarness &console);
/// Queues the new-key dialog (name @p name, OK) and the one-time secret dialog, read into @p plaintext.
void expectKeyDialogs(ConsoleHarness &console, const QString &name, QString &plaintext);
QList<QPair<QByteArray, QByteArray>> bearer(const QString &key);

} // namespace Console::FirstRun
