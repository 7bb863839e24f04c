// SPDX-License-Identifier: MIT
// A key imported from codex-lb on the Keys page: its plaintext was never Keygate's, so Reveal and
// Copy are disabled and say why, while the key itself works through the console's proxy.
#include "tests/ui/keys/KeysPageDriver.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/services/KeyMaterial.h"
#include "app/core/storage/KeyRepository.h"

#include "ui/keys/KeyPlaintextActions.h"

#include <QAction>
#include <QTest>

using namespace Console;

class tst_KeysImported final : public QObject
{
    Q_OBJECT

private slots:
    void importedKey_revealAndCopyDisabled_withTooltip()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        keys.createKey(QStringLiteral("native"));
        const QString plaintext = QStringLiteral("sk-clb-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfG");
        Core::KeyRecord imported;
        imported.name = QStringLiteral("from-codex-lb");
        imported.prefix = plaintext.left(15);
        imported.last4 = QStringLiteral(""); // unknown
        imported.keyHash = Core::KeyMaterial::sha256Hex(plaintext);
        imported.createdAt = QDateTime::currentDateTimeUtc();
        imported.origin = Proxy::KeyOrigin::CodexLb;
        QVERIFY(Core::KeyRepository(console.runtime().database().connection()).insert(imported).ok());
        console.runtime().publishKeys();
        QTRY_VERIFY(keys.rowOf(QStringLiteral("from-codex-lb")) >= 0);

        auto *reveal = keys.page().findChild<QAction *>(QStringLiteral("revealKeyAction"));
        auto *copy = keys.page().findChild<QAction *>(QStringLiteral("copyKeyAction"));
        QVERIFY(keys.select(QStringLiteral("from-codex-lb")));
        QVERIFY(!reveal->isEnabled());
        QVERIFY(!copy->isEnabled());
        QCOMPARE(reveal->toolTip(), KeyPlaintextActions::importedToolTip());
        QVERIFY2(copy->toolTip().contains(u"kept only a hash"), qPrintable(copy->toolTip()));
        QVERIFY(keys.page().findChild<QAction *>(QStringLiteral("editKeyAction"))->isEnabled());
        const int row = keys.rowOf(QStringLiteral("from-codex-lb"));
        QCOMPARE(keys.model().index(row, KeyTableModel::Key).data().toString(), QStringLiteral("sk-clb-AbCd\u2026"));
        QVERIFY(keys.model().index(row, KeyTableModel::Key).data(Qt::ToolTipRole).toString().contains(u"last 4"));
        // Triggered anyway (a shortcut): no secret dialog opens.
        const qsizetype dialogs = console.dialogs().dialogTitles().size();
        reveal->trigger();
        copy->trigger();
        QCOMPARE(console.dialogs().dialogTitles().size(), dialogs);
        QVERIFY(console.dialogs().unexpected().isEmpty());

        // The key works with its sk-clb- plaintext; a Keygate key's actions are back.
        QCOMPARE(console.postResponses({{"x-api-key", plaintext.toUtf8()}}).status, 200);
        QVERIFY(keys.select(QStringLiteral("native")));
        QVERIFY(reveal->isEnabled());
        QVERIFY(copy->isEnabled());
        QVERIFY(reveal->toolTip().startsWith(u"Show the key"));
    }
};

QTEST_MAIN(tst_KeysImported)
#include "tst_keysimported.moc"
