// SPDX-License-Identifier: MIT
// Banners after user actions (issue 13): a success or note dismisses itself after a few seconds; an
// error stays until the user closes it with its close button.
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"

#include "ui/common/MessageBanner.h"

#include <QPushButton>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Console;

namespace {
constexpr int GoneMs = int(MessageBanner::InfoTimeout.count()) + 3000;
}

class tst_BannerDismiss final : public QObject
{
    Q_OBJECT

private slots:
    void settingsSaved_infoBanner_dismissesItself()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("settings")));
        auto *retention = console.find<QSpinBox>(QStringLiteral("settingsRetention"));
        QTest::mouseClick(retention, Qt::LeftButton, {},
                          QPoint(retention->width() / 3, retention->height() / 2));
        QTest::keyClick(retention, Qt::Key_A, Qt::ControlModifier);
        QTest::keyClicks(retention, QString::number(retention->value() + 1));
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("settingsApply")), Qt::LeftButton);
        auto *banner = console.find<MessageBanner>(QStringLiteral("settingsBanner"));
        QTRY_VERIFY(banner->isVisible());
        QCOMPARE(banner->kind(), MessageBanner::Kind::Info);
        QVERIFY2(banner->text().startsWith(u"Settings saved"), qPrintable(banner->text()));
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), GoneMs);
    }

    void exportFails_errorBanner_staysUntilClosed()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("trace")));
        QTemporaryDir dir;
        console.dialogs().answerNextFile(dir.filePath(QStringLiteral("missing/dir/trace.json")));
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("traceExport")), Qt::LeftButton);
        auto *banner = console.find<MessageBanner>(QStringLiteral("traceBanner"));
        QTRY_VERIFY(banner->isVisible());
        QCOMPARE(banner->kind(), MessageBanner::Kind::Error);
        // Longer than a note stays: the error is still there (a wait, since nothing must happen).
        QTest::qWait(int(MessageBanner::InfoTimeout.count()) + 1000);
        QVERIFY(banner->isVisible());
        QTest::mouseClick(banner->findChild<QToolButton *>(QStringLiteral("bannerClose")), Qt::LeftButton);
        QVERIFY(!banner->isVisible());
    }
};

QTEST_MAIN(tst_BannerDismiss)
#include "tst_bannerdismiss.moc"
