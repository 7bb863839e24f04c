// SPDX-License-Identifier: MIT
#include "ui/start/StartPage.h"

#include "app/core/runtime/ProxyRuntime.h"

#include "ui/common/FlowLayout.h"
#include "ui/start/StartActions.h"

#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace Console {

namespace {
QString objectNameOf(GetStartedState::Step step)
{
    switch (step) {
    case GetStartedState::Step::Account:
        return QStringLiteral("startAccount");
    case GetStartedState::Step::Key:
        return QStringLiteral("startKey");
    case GetStartedState::Step::Client:
        return QStringLiteral("startClient");
    case GetStartedState::Step::Request:
        return QStringLiteral("startRequest");
    }
    return {};
}
} // namespace

StartPage::StartPage(Core::ProxyRuntime &runtime, GetStartedState &state, StartActions &actions,
                     QWidget *parent)
    : QWidget(parent), m_runtime(runtime), m_state(state)
{
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    auto *title = new QLabel(tr("<h2>Get started</h2>"), content);
    auto *intro =
        new QLabel(tr("Four steps from a fresh Keygate to a working request. Each step ticks itself "
                      "as soon as it is done."),
                   content);
    intro->setWordWrap(true);
    m_error = new QLabel(content);
    m_error->setObjectName(QStringLiteral("startError"));
    m_error->setWordWrap(true);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addWidget(m_error);

    using Step = GetStartedState::Step;
    QLayout *upstream =
        addStep(*layout, Step::Account, 1, tr("Connect an upstream account"),
                tr("Keygate forwards your clients' requests to an upstream: your ChatGPT "
                   "subscription or any OpenAI-compatible API. Its credential never leaves Keygate."));
    auto *signIn = addButton(*upstream, tr("Sign in with ChatGPT…"), QStringLiteral("startSignIn"),
                             tr("Log in to ChatGPT in the browser"));
    auto *import = addButton(*upstream, tr("Import ~/.codex/auth.json…"), QStringLiteral("startImport"),
                             tr("Use the ChatGPT account the Codex CLI is logged in with"));
    auto *openAI = addButton(*upstream, tr("Add OpenAI-compatible…"), QStringLiteral("startAddOpenAI"),
                             tr("A base URL and an API key, e.g. https://api.openai.com/v1"));
    QLayout *key = addStep(*layout, Step::Key, 2, tr("Create a key"),
                           tr("Clients authenticate to Keygate with a key of their own, which you can limit, "
                              "disable or delete without touching the upstream."));
    auto *create =
        addButton(*key, tr("Create key…"), QStringLiteral("startCreateKey"), tr("Create a Keygate key"));
    QLayout *client =
        addStep(*layout, Step::Client, 3, tr("Connect a client"),
                tr("Ready-made settings for Pi, the Codex CLI, the openai SDKs and curl, with your "
                   "key and the proxy's address filled in."));
    auto *connectClient = addButton(*client, tr("Connect a client…"), QStringLiteral("startConnectClient"),
                                    tr("Show the snippets for the newest key, Pi first"));
    addStep(*layout, Step::Request, 4, tr("Send a first request"), QString());

    m_summary = new QLabel(content);
    m_summary->setObjectName(QStringLiteral("startSummary"));
    m_summary->setWordWrap(true);
    auto *dismiss = new QPushButton(tr("&Hide this checklist"), content);
    dismiss->setObjectName(QStringLiteral("startDismiss"));
    dismiss->setToolTip(tr("Remove Get started from the sidebar; it does not come back"));
    auto *footer = new QHBoxLayout;
    footer->addWidget(m_summary, 1);
    footer->addWidget(dismiss);
    layout->addLayout(footer);
    layout->addStretch();

    auto *scroll = new QScrollArea(this); // the page fits a 640 px high window
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(signIn, &QPushButton::clicked, &actions, &StartActions::signInWithChatGpt);
    connect(import, &QPushButton::clicked, &actions, &StartActions::importCodexAuth);
    connect(openAI, &QPushButton::clicked, &actions, &StartActions::addOpenAICompatible);
    connect(create, &QPushButton::clicked, &actions, &StartActions::createKey);
    connect(connectClient, &QPushButton::clicked, &actions, &StartActions::connectClient);
    connect(dismiss, &QPushButton::clicked, &state, &GetStartedState::dismiss);
    connect(&state, &GetStartedState::changed, this, &StartPage::refresh);
    connect(&runtime, &Core::ProxyRuntime::stateChanged, this, &StartPage::refresh);
    refresh();
}

QLayout *StartPage::addStep(QLayout &steps, GetStartedState::Step step, int number, const QString &title,
                            const QString &detail)
{
    auto *frame = new QFrame;
    frame->setObjectName(objectNameOf(step) + QStringLiteral("Step"));
    frame->setFrameShape(QFrame::StyledPanel);
    auto *grid = new QGridLayout(frame);
    auto *mark = new QLabel(frame);
    mark->setObjectName(objectNameOf(step) + QStringLiteral("Mark"));
    mark->setMinimumWidth(fontMetrics().horizontalAdvance(QStringLiteral("M")) * 6);
    auto *heading = new QLabel(QStringLiteral("<b>%1. %2</b>").arg(number).arg(title.toHtmlEscaped()), frame);
    auto *text = new QLabel(detail, frame);
    text->setObjectName(objectNameOf(step) + QStringLiteral("Detail"));
    text->setWordWrap(true);
    auto *buttons = new FlowLayout;
    grid->addWidget(mark, 0, 0, 3, 1, Qt::AlignTop);
    grid->addWidget(heading, 0, 1);
    grid->addWidget(text, 1, 1);
    grid->addLayout(buttons, 2, 1);
    grid->setColumnStretch(1, 1);
    steps.addWidget(frame);
    m_rows.append({step, mark, text});
    return buttons;
}

QPushButton *StartPage::addButton(QLayout &row, const QString &text, const QString &objectName,
                                  const QString &toolTip)
{
    auto *button = new QPushButton(text);
    button->setObjectName(objectName);
    button->setToolTip(toolTip);
    row.addWidget(button);
    return button;
}

void StartPage::refresh()
{
    bool nextFound = false; // the first open step is marked as the one to do next
    for (const StepRow &row : std::as_const(m_rows)) {
        const bool done = m_state.isDone(row.step);
        const bool next = !done && !nextFound;
        nextFound = nextFound || next;
        row.mark->setText(done ? tr("✔ Done") : next ? tr("➜ Next") : tr("To do"));
        row.mark->setAccessibleName(done ? tr("Done") : tr("To do"));
        if (row.step == GetStartedState::Step::Request)
            row.detail->setText(requestDetail());
    }
    m_error->setText(m_state.error().isEmpty()
                         ? QString()
                         : tr("The checklist's state could not be read or saved: %1").arg(m_state.error()));
    m_error->setVisible(!m_state.error().isEmpty());
    m_summary->setText(m_state.isComplete() ? tr("All set: requests now show on Usage and Auth trace.")
                                            : QString());
}

QString StartPage::requestDetail() const
{
    if (m_state.isDone(GetStartedState::Step::Request))
        return tr("The proxy answered a request with one of your keys.");
    QString text =
        m_runtime.state() == Core::ProxyRuntime::State::Listening
            ? tr("Waiting for the first request at http://%1 (this ticks when the proxy answers one).")
                  .arg(m_runtime.stateDetail())
            : tr("The proxy is not running: start it from the status bar.");
    if (const QString failure = m_state.lastFailure(); !failure.isEmpty())
        text +=
            u' ' + tr("The last request got %1: check the key in the client and the account.").arg(failure);
    return text;
}

} // namespace Console
