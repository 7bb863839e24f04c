// SPDX-License-Identifier: MIT
// The connect-client dialog's snippets as a user sees them (issue 13): the Codex snippet box shows
// every line, wire_api included, without scrolling; every box of up to 12 lines shows them all, a
// longer one shows its scroll bar; and the Codex snippet's key variable is the README's.
#include "tests/ui/keys/KeysPageDriver.h"

#include <QApplication>
#include <QDialog>
#include <QFile>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTest>
#include <QTextBlock>

using namespace Console;

namespace {

constexpr int FullyShownLines = 12; // longer snippets may scroll

/// What is wrong with how @p snippet shows its text: lines outside the viewport of a box that should
/// show them all, or a long snippet without its scroll bar.
QStringList problems(QPlainTextEdit &snippet)
{
    QStringList hidden;
    int lines = 0;
    const int viewport = snippet.viewport()->height();
    for (QTextBlock block = snippet.document()->begin(); block.isValid(); block = block.next()) {
        if (block.text().isEmpty() && !block.next().isValid())
            continue; // the empty block after the last newline
        ++lines;
        if (snippet.cursorRect(QTextCursor(block)).bottom() > viewport)
            hidden << snippet.objectName() + u": " + block.text();
    }
    if (lines > FullyShownLines)
        return snippet.verticalScrollBar()->isVisible()
                   ? QStringList()
                   : QStringList{snippet.objectName() + u": no scroll bar"};
    return hidden;
}

/// Opens the connect dialog for the selected key and runs @p inspect on it.
template <typename Inspect>
void withConnectDialog(ConsoleHarness &console, KeysPageDriver &keys, Inspect inspect)
{
    console.dialogs().onNextDialog([&](QDialog &dialog) {
        inspect(dialog);
        dialog.reject();
        return dialog.result();
    });
    keys.click(QStringLiteral("connectClientButton"));
}

void openTab(QTabWidget &tabs, const QString &objectName)
{
    for (int tab = 0; tab < tabs.count(); ++tab)
        if (tabs.widget(tab)->objectName() == objectName)
            QTest::mouseClick(tabs.tabBar(), Qt::LeftButton, {}, tabs.tabBar()->tabRect(tab).center());
}

} // namespace

class tst_ConnectSnippets final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // A desktop with a larger font (the offscreen default is small): the labels, tabs and
        // buttons around the boxes take more room, as on the desktop where wire_api was cut off.
        QFont font = QApplication::font();
        font.setPointSize(16);
        QApplication::setFont(font);
    }

    void codexTab_opened_everyLineVisibleWireApiIncluded()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        QVERIFY(!keys.createKey(QStringLiteral("codex")).plaintext.isEmpty());
        QVERIFY(keys.select(QStringLiteral("codex")));
        QStringList codexHidden;
        QStringList othersHidden;
        QString codexText;
        withConnectDialog(console, keys, [&](QDialog &dialog) {
            auto *tabs = dialog.findChild<QTabWidget *>(QStringLiteral("clientTabs"));
            for (int tab = 0; tab < tabs->count(); ++tab) {
                openTab(*tabs, tabs->widget(tab)->objectName());
                for (QPlainTextEdit *snippet : tabs->widget(tab)->findChildren<QPlainTextEdit *>()) {
                    const bool codex = snippet->objectName() == u"codexSnippet";
                    if (codex)
                        codexText = snippet->toPlainText();
                    (codex ? codexHidden : othersHidden) << problems(*snippet);
                }
            }
        });
        QVERIFY(console.dialogs().unexpected().isEmpty());
        QVERIFY(codexText.contains(u"wire_api = \"responses\""));
        QVERIFY2(codexHidden.isEmpty(), qPrintable(codexHidden.join(u'\n')));
        QVERIFY2(othersHidden.isEmpty(), qPrintable(othersHidden.join(u'\n')));
    }

    void codexSnippet_envVariable_matchesReadme()
    {
        QFile readme(QStringLiteral(KEYGATE_SOURCE_DIR "/README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(readme.readAll());
        const qsizetype codex = text.indexOf(QLatin1String("**Codex CLI**"));
        QVERIFY(codex >= 0);
        const QString section = text.mid(codex, text.indexOf(QLatin1String("**openai SDK**"), codex) - codex);
        const auto envKey = QRegularExpression(QStringLiteral("env_key = \"([A-Z_]+)\"")).match(section);
        const auto exported = QRegularExpression(QStringLiteral("export ([A-Z_]+)=")).match(section);
        QVERIFY(envKey.hasMatch() && exported.hasMatch());
        QCOMPARE(exported.captured(1), envKey.captured(1));

        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        QVERIFY(!keys.createKey(QStringLiteral("codex")).plaintext.isEmpty());
        QVERIFY(keys.select(QStringLiteral("codex")));
        QString toml;
        QString env;
        withConnectDialog(console, keys, [&](QDialog &dialog) {
            openTab(*dialog.findChild<QTabWidget *>(QStringLiteral("clientTabs")),
                    QStringLiteral("codexTab"));
            toml = dialog.findChild<QPlainTextEdit *>(QStringLiteral("codexSnippet"))->toPlainText();
            env = dialog.findChild<QPlainTextEdit *>(QStringLiteral("codexEnvSnippet"))->toPlainText();
        });
        QVERIFY2(toml.contains(QStringLiteral("env_key = \"%1\"").arg(envKey.captured(1))), qPrintable(toml));
        QVERIFY2(env.startsWith(QStringLiteral("export %1=").arg(exported.captured(1))), qPrintable(env));
    }
};

QTEST_MAIN(tst_ConnectSnippets)
#include "tst_connectsnippets.moc"
