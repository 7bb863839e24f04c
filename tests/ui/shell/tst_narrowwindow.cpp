// SPDX-License-Identifier: MIT
// The console at 1,024 × 640: the window may be that small, and every control of every page is
// then still on screen (the toolbars wrap) — issue 13: the Accounts toolbar made 1,251 px the minimum.
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"

#include <QAbstractButton>
#include <QAbstractScrollArea>
#include <QComboBox>
#include <QLineEdit>
#include <QTest>

using namespace Console;

namespace {

const QSize SmallScreen(1024, 640);

/// Why @p control cannot be reached at the window's size (clipped by an ancestor or outside the
/// window), or an empty string. Controls inside a scroll area count as reachable: it scrolls.
QString unreachable(QWidget *control, QWidget *window)
{
    if (!control->isVisible())
        return QStringLiteral("hidden");
    for (QWidget *child = control, *parent = control->parentWidget(); child != window;
         child = parent, parent = parent->parentWidget()) {
        if (auto *area = qobject_cast<QAbstractScrollArea *>(parent->parentWidget());
            area && area->viewport() == parent)
            return {};
        const QRect inParent(control->mapTo(parent, QPoint(0, 0)), control->size());
        if (!parent->rect().contains(inParent))
            return QStringLiteral("clipped by %1 (%2 not in %3×%4)")
                .arg(QString::fromLatin1(parent->metaObject()->className()) + u' ' + parent->objectName())
                .arg(QStringLiteral("%1,%2 %3×%4")
                         .arg(inParent.x())
                         .arg(inParent.y())
                         .arg(inParent.width())
                         .arg(inParent.height()))
                .arg(parent->width())
                .arg(parent->height());
    }
    return {};
}

} // namespace

class tst_NarrowWindow final : public QObject
{
    Q_OBJECT

private slots:
    void minimumSizeHint_fitsA1024x640Screen()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        const QSize minimum = console.window().minimumSizeHint();
        QVERIFY2(minimum.width() <= SmallScreen.width() && minimum.height() <= SmallScreen.height(),
                 qPrintable(QStringLiteral("%1×%2").arg(minimum.width()).arg(minimum.height())));
    }

    void resizedTo1024x640_everyPageControlOnScreen_data()
    {
        QTest::addColumn<ConsoleHarness::DataDir>("dataDir");
        QTest::newRow("configured") << ConsoleHarness::DataDir::Configured;
        QTest::newRow("empty (Get started, empty tables)") << ConsoleHarness::DataDir::Empty;
    }

    void resizedTo1024x640_everyPageControlOnScreen()
    {
        QFETCH(ConsoleHarness::DataDir, dataDir);
        ConsoleHarness console(QStringLiteral("keychain"), dataDir);
        QVERIFY(console.start());
        MainWindow &window = console.window();
        window.resize(SmallScreen);
        QTRY_COMPARE(window.size(), SmallScreen);
        for (const QString &id : window.pageIds()) {
            QVERIFY2(UserInput::openPage(window, id), qPrintable(id));
            QWidget *page = window.page(id);
            QTRY_VERIFY(page->isVisible());
            int controls = 0;
            for (QWidget *control : page->findChildren<QWidget *>()) {
                const bool isControl = qobject_cast<QAbstractButton *>(control) ||
                                       qobject_cast<QComboBox *>(control) ||
                                       qobject_cast<QLineEdit *>(control);
                // Hidden by design (a banner's buttons, a combo box's line edit) is not this test's matter.
                if (!isControl || !control->isVisibleTo(page) ||
                    qobject_cast<QComboBox *>(control->parentWidget()))
                    continue;
                ++controls;
                const QString why = unreachable(control, &window);
                QVERIFY2(why.isEmpty(),
                         qPrintable(QStringLiteral("%1: %2 %3: %4")
                                        .arg(id, QString::fromLatin1(control->metaObject()->className()),
                                             control->objectName(), why)));
            }
            QVERIFY2(controls > 0, qPrintable(id));
        }
    }
};

QTEST_MAIN(tst_NarrowWindow)
#include "tst_narrowwindow.moc"
