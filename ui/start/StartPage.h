// SPDX-License-Identifier: MIT
#pragma once

#include "ui/start/GetStartedState.h"

#include <QWidget>

class QLabel;
class QPushButton;

namespace Core {
class ProxyRuntime;
}

namespace Console {

class StartActions;

/// The "Get started" page: four steps from an empty data directory to an answered request —
/// connect an upstream account, create a key, connect a client, send a first request — each with
/// the buttons that do it and a mark that follows GetStartedState live, and a button that hides
/// the checklist for good. GUI thread.
class StartPage final : public QWidget
{
    Q_OBJECT

public:
    StartPage(Core::ProxyRuntime &runtime, GetStartedState &state, StartActions &actions,
              QWidget *parent = nullptr);

private:
    struct StepRow final
    {
        GetStartedState::Step step;
        QLabel *mark = nullptr;
        QLabel *detail = nullptr;
    };
    /// Adds step @p number titled @p title with @p detail; returns where its buttons go.
    QLayout *addStep(QLayout &steps, GetStartedState::Step step, int number, const QString &title,
                     const QString &detail);
    QPushButton *addButton(QLayout &row, const QString &text, const QString &objectName,
                           const QString &toolTip);
    void refresh();
    QString requestDetail() const;

    Core::ProxyRuntime &m_runtime;
    GetStartedState &m_state;
    QList<StepRow> m_rows;
    QLabel *m_summary = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace Console
