// SPDX-License-Identifier: MIT
#include "ui/keys/ConnectClientDialog.h"

#include "ui/common/CopyFeedback.h"
#include "ui/keys/ClipboardGuard.h"
#include "ui/keys/PiConfigFile.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStyle>
#include <QTabWidget>
#include <QTextDocument>
#include <QVBoxLayout>

namespace Console {

namespace {
constexpr int MaxSnippetLines = 12;

QWidget *newTab(QTabWidget *tabs, const QString &id, const QString &title)
{
    auto *tab = new QWidget(tabs);
    tab->setObjectName(id + QStringLiteral("Tab"));
    new QVBoxLayout(tab);
    tabs->addTab(tab, title);
    return tab;
}
} // namespace

ConnectClientDialog::ConnectClientDialog(const Core::ClientSnippets &snippets, const QString &keyName,
                                         bool keyAvailable, const QString &notice, ClipboardGuard &clipboard,
                                         QWidget *parent)
    : QDialog(parent), m_snippets(snippets), m_clipboard(clipboard), m_piPath(PiConfigFile::defaultPath())
{
    setObjectName(QStringLiteral("connectClientDialog"));
    setWindowTitle(tr("Connect a client with \"%1\"").arg(keyName));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Proxy address: <b>%1</b>. Paste one of these into your client.")
                                 .arg(m_snippets.origin().toHtmlEscaped()),
                             this);
    intro->setObjectName(QStringLiteral("connectAddress"));
    layout->addWidget(intro);
    if (!notice.isEmpty()) {
        auto *warning = new QLabel(notice, this);
        warning->setObjectName(QStringLiteral("connectNotice"));
        warning->setWordWrap(true);
        layout->addWidget(warning);
    }

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("clientTabs"));
    layout->addWidget(m_tabs, 1);

    QWidget *pi = newTab(m_tabs, QStringLiteral("pi"), tr("Pi"));
    addSnippet(pi, QStringLiteral("pi"), tr("Add this provider to ~/.pi/agent/models.json:"),
               m_snippets.piModelsJson(), true);
    auto *piRun = new QLabel(tr("Then run: <code>%1</code>").arg(m_snippets.piCommand().toHtmlEscaped()), pi);
    piRun->setTextInteractionFlags(Qt::TextSelectableByMouse);
    pi->layout()->addWidget(piRun);
    m_writePi = new QPushButton(tr("&Write to Pi config"), pi);
    m_writePi->setObjectName(QStringLiteral("writePiConfigButton"));
    m_writePi->setToolTip(tr("Add or replace the \"%1\" provider in Pi's models.json; the previous file is "
                             "backed up next to it")
                              .arg(QLatin1String(Core::ClientSnippets::ProviderName)));
    m_writePi->setEnabled(keyAvailable);
    connect(m_writePi, &QPushButton::clicked, this, &ConnectClientDialog::writePiConfig);
    m_piPathLabel = new QLabel(pi);
    m_piPathLabel->setObjectName(QStringLiteral("piConfigPath"));
    auto *writeRow = new QHBoxLayout;
    writeRow->addWidget(m_writePi);
    writeRow->addWidget(m_piPathLabel, 1);
    qobject_cast<QVBoxLayout *>(pi->layout())->addLayout(writeRow);
    m_piStatus = new QLabel(pi);
    m_piStatus->setObjectName(QStringLiteral("piWriteStatus"));
    m_piStatus->setWordWrap(true);
    pi->layout()->addWidget(m_piStatus);
    setPiConfigPath(m_piPath);

    QWidget *codex = newTab(m_tabs, QStringLiteral("codex"), tr("Codex CLI"));
    addSnippet(codex, QStringLiteral("codex"), tr("Add to ~/.codex/config.toml:"),
               m_snippets.codexConfigToml(), false);
    addSnippet(codex, QStringLiteral("codexEnv"), tr("Export the key in the shell that runs codex:"),
               m_snippets.codexEnvExport(), true);
    addSnippet(newTab(m_tabs, QStringLiteral("python"), tr("Python")), QStringLiteral("python"),
               tr("openai SDK for Python:"), m_snippets.pythonSdk(), true);
    addSnippet(newTab(m_tabs, QStringLiteral("node"), tr("Node")), QStringLiteral("node"),
               tr("openai SDK for Node:"), m_snippets.nodeSdk(), true);
    addSnippet(newTab(m_tabs, QStringLiteral("curl"), tr("curl")), QStringLiteral("curl"),
               tr("A test request:"), m_snippets.curl(), true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(720, 560);
}

QPlainTextEdit *ConnectClientDialog::addSnippet(QWidget *tab, const QString &id, const QString &label,
                                                const QString &text, bool holdsKey)
{
    auto *caption = new QLabel(label, tab);
    auto *edit = new QPlainTextEdit(text, tab);
    edit->setObjectName(id + QStringLiteral("Snippet"));
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // Tall enough for every line (a short box hid the Codex snippet's last line, wire_api), up to
    // MaxSnippetLines; a longer one scrolls. Room for a horizontal scroll bar is kept.
    const int lines = qMin(int(text.count(u'\n')) + (text.endsWith(u'\n') ? 0 : 1), MaxSnippetLines);
    edit->setMinimumHeight(edit->fontMetrics().lineSpacing() * lines + 2 * edit->frameWidth() +
                           2 * int(edit->document()->documentMargin()) +
                           edit->style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 4);
    caption->setBuddy(edit);
    auto *copy = new QPushButton(tr("Copy"), tab);
    copy->setObjectName(id + QStringLiteral("CopyButton"));
    copy->setToolTip(holdsKey ? tr("Copy; it holds the key, so the clipboard is cleared later") : tr("Copy"));
    auto *feedback = new CopyFeedback(*copy);
    connect(copy, &QPushButton::clicked, this, [this, edit, holdsKey, feedback] {
        if (holdsKey)
            m_clipboard.copy(edit->toPlainText());
        else
            ClipboardGuard::copyPlain(edit->toPlainText());
        feedback->show();
    });
    auto *header = new QHBoxLayout;
    header->addWidget(caption, 1);
    header->addWidget(copy);
    auto *layout = qobject_cast<QVBoxLayout *>(tab->layout());
    layout->addLayout(header);
    layout->addWidget(edit, 1);
    m_texts.append(edit);
    return edit;
}

void ConnectClientDialog::setPiConfigPath(const QString &path)
{
    m_piPath = path;
    m_piPathLabel->setText(path);
}

void ConnectClientDialog::writePiConfig()
{
    const Core::Result<QString> written = PiConfigFile(m_piPath).writeProvider(
        QLatin1String(Core::ClientSnippets::ProviderName), m_snippets.piProvider());
    if (!written) {
        m_piStatus->setText(tr("Not written: %1").arg(written.error()));
        return;
    }
    m_piStatus->setText(
        written.value().isEmpty()
            ? tr("Written to %1.").arg(m_piPath)
            : tr("Written to %1; the previous file is in %2.").arg(m_piPath, written.value()));
}

void ConnectClientDialog::done(int result)
{
    wipe();
    QDialog::done(result);
}

void ConnectClientDialog::hideEvent(QHideEvent *event)
{
    wipe();
    QDialog::hideEvent(event);
}

void ConnectClientDialog::wipe()
{
    for (QPlainTextEdit *edit : std::as_const(m_texts))
        edit->clear();
}

} // namespace Console
