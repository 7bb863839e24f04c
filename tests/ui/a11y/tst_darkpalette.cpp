// SPDX-License-Identifier: MIT
// The console under a dark system palette (issue 13): status colours stay readable (WCAG AA text
// contrast ≥ 4.5 against the background they are drawn on), and no widget paints a light background
// of its own. The contrast is computed here, independently of ui/common/StatusColors.
#include "tests/ui/keys/KeysPageDriver.h"
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"

#include "ui/common/MessageBanner.h"
#include "ui/common/StatusColors.h"
#include "ui/trace/AuthTraceModel.h"

#include <QApplication>
#include <QImage>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTableView>
#include <QTest>

#include <cmath>

using namespace Console;
using Status = StatusColors::Status;

namespace {

double luminance(const QColor &color)
{
    const auto linear = [](double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * linear(color.redF()) + 0.7152 * linear(color.greenF()) + 0.0722 * linear(color.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

constexpr double MinContrast = 4.5;

/// What a desktop in dark mode hands Qt: dark Window and Base, light text.
QPalette systemDarkPalette()
{
    QPalette palette(QColor(0x35, 0x35, 0x35), QColor(0x2b, 0x2b, 0x2b));
    palette.setColor(QPalette::WindowText, QColor(0xee, 0xee, 0xee));
    palette.setColor(QPalette::Base, QColor(0x1f, 0x1f, 0x1f));
    palette.setColor(QPalette::AlternateBase, QColor(0x27, 0x27, 0x27));
    palette.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
    palette.setColor(QPalette::ButtonText, QColor(0xee, 0xee, 0xee));
    palette.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    palette.setColor(QPalette::Highlight, QColor(0x3d, 0x6f, 0xb4));
    palette.setColor(QPalette::HighlightedText, Qt::white);
    return palette;
}

/// A tinted dark theme (blue-grey), where the plain pale status hues fall short on Window.
QPalette blueGreyPalette()
{
    QPalette palette(QColor(0x45, 0x5a, 0x64), QColor(0x37, 0x47, 0x4f));
    palette.setColor(QPalette::WindowText, QColor(0xec, 0xef, 0xf1));
    palette.setColor(QPalette::Base, QColor(0x26, 0x32, 0x38));
    palette.setColor(QPalette::Text, QColor(0xec, 0xef, 0xf1));
    return palette;
}

const QList<Status> AllStatuses{Status::Ok, Status::Warning, Status::Error, Status::Refused, Status::Muted,
                                Status::Info};

QString nameOf(const QWidget *widget)
{
    return QString::fromLatin1(widget->metaObject()->className()) + u' ' + widget->objectName();
}

/// Mean luminance of what @p widget shows on screen.
double meanLuminance(QWidget &widget)
{
    const QImage image = widget.grab().toImage();
    double sum = 0;
    int samples = 0;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3, ++samples)
            sum += luminance(image.pixelColor(x, y));
    return samples ? sum / samples : 1;
}

} // namespace

class tst_DarkPalette final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QApplication::setPalette(systemDarkPalette()); }

    void statusColors_anyPalette_reachTextContrast_data()
    {
        QTest::addColumn<QPalette>("palette");
        QTest::newRow("light") << QApplication::style()->standardPalette();
        QTest::newRow("dark") << systemDarkPalette();
        QTest::newRow("blue-grey") << blueGreyPalette();
    }

    void statusColors_anyPalette_reachTextContrast()
    {
        QFETCH(QPalette, palette);
        for (const Status status : AllStatuses) {
            const QColor text = StatusColors::text(status, palette);
            const QString what = QStringLiteral("status %1: %2").arg(int(status)).arg(text.name());
            QVERIFY2(contrast(text, palette.color(QPalette::Base)) >= MinContrast, qPrintable(what + u" on Base"));
            QVERIFY2(contrast(text, palette.color(QPalette::Window)) >= MinContrast, qPrintable(what + u" on Window"));
            const QColor banner = StatusColors::background(status, palette);
            QVERIFY2(contrast(palette.color(QPalette::WindowText), banner) >= MinContrast,
                     qPrintable(what + u" banner " + banner.name()));
        }
        // Not one colour for all: an error still looks different from success.
        QVERIFY(StatusColors::text(Status::Ok, palette) != StatusColors::text(Status::Error, palette));
    }

    void pages_darkPalette_statusTextsReachContrast()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        const QString plaintext = keys.createKey(QStringLiteral("dark-ok")).plaintext;
        QVERIFY(!plaintext.isEmpty());
        QVERIFY(!keys.createKey(QStringLiteral("dark-off")).plaintext.isEmpty());
        QVERIFY(keys.select(QStringLiteral("dark-off")));
        keys.click(QStringLiteral("toggleKeyButton"));
        QTRY_VERIFY(!keys.model().keyAt(keys.rowOf(QStringLiteral("dark-off"))).enabled);

        // Keys: the disabled key's "Enabled" cell is drawn in the error colour on the table's Base.
        auto *keyTable = keys.page().findChild<QTableView *>(QStringLiteral("keyTable"));
        const QModelIndex off = keys.model().index(keys.rowOf(QStringLiteral("dark-off")), KeyTableModel::Enabled);
        const QColor offColor = off.data(Qt::ForegroundRole).value<QBrush>().color();
        QVERIFY(offColor.isValid());
        QVERIFY2(contrast(offColor, keyTable->palette().color(QPalette::Base)) >= MinContrast,
                 qPrintable(offColor.name()));

        // Trace: accepted, denied (unknown key) and refused (disabled key) outcomes.
        QCOMPARE(console.postResponses({{"Authorization", "Bearer " + plaintext.toUtf8()}}).status, 200);
        QCOMPARE(console.postResponses({{"Authorization", "Bearer sk-kg-not-a-real-key"}})
                     .status,
                 401);
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("trace")));
        auto *traceTable = console.find<QTableView>(QStringLiteral("traceTable"));
        QTRY_VERIFY(traceTable->model()->rowCount() >= 2);
        for (int row = 0; row < traceTable->model()->rowCount(); ++row) {
            const QModelIndex outcome = traceTable->model()->index(row, AuthTraceModel::OutcomeColumn);
            const QColor color = outcome.data(Qt::ForegroundRole).value<QColor>();
            QVERIFY2(contrast(color, traceTable->palette().color(QPalette::Base)) >= MinContrast,
                     qPrintable(outcome.data().toString() + u' ' + color.name()));
        }

        // Upstream: "Test connection" reports success in the ok colour on the page's Window.
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("upstream")));
        console.upstream().setReply(
            "/v1/models", Proxy::FakeUpstream::Reply::json(QJsonObject{
                              {QStringLiteral("object"), QStringLiteral("list")},
                              {QStringLiteral("data"), QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("m")}}}}}));
        QTest::mouseClick(console.find<QPushButton>(QStringLiteral("upstreamTest")), Qt::LeftButton);
        auto *result = console.find<QLabel>(QStringLiteral("upstreamTestResult"));
        QTRY_VERIFY2(result->text().startsWith(u"Connected"), qPrintable(result->text()));
        QVERIFY2(result->palette().color(QPalette::WindowText) == StatusColors::text(Status::Ok),
                 qPrintable(result->text()));
        QVERIFY(contrast(result->palette().color(QPalette::WindowText), result->palette().color(QPalette::Window)) >=
                MinContrast);

        // Banners: a dark tint, with the palette's light text on it.
        MessageBanner &banner = console.window().banner();
        for (const MessageBanner::Kind kind :
             {MessageBanner::Kind::Info, MessageBanner::Kind::Warning, MessageBanner::Kind::Error}) {
            banner.showMessage(kind, QStringLiteral("A message"));
            const QColor background = banner.palette().color(banner.backgroundRole());
            QVERIFY2(luminance(background) < 0.1, qPrintable(background.name()));
            const QColor text = banner.findChild<QLabel *>(QStringLiteral("bannerText"))->palette().color(QPalette::WindowText);
            QVERIFY2(contrast(text, background) >= MinContrast, qPrintable(text.name() + u" on " + background.name()));
        }
        banner.dismiss();
    }

    void everyPage_darkPalette_paintsNoLightBackground_data()
    {
        QTest::addColumn<QString>("page");
        for (const char *page : {"overview", "keys", "usage", "trace", "accounts", "upstream", "settings"})
            QTest::newRow(page) << QString::fromLatin1(page);
    }

    void everyPage_darkPalette_paintsNoLightBackground()
    {
        QFETCH(QString, page);
        ConsoleHarness console;
        QVERIFY(console.start());
        KeysPageDriver keys(console);
        QVERIFY(!keys.createKey(QStringLiteral("dark")).plaintext.isEmpty());
        QVERIFY(keys.select(QStringLiteral("dark"))); // the limits box appears
        QVERIFY(UserInput::openPage(console.window(), page));
        QWidget *shown = console.window().page(page);
        QStringList light;
        for (QWidget *widget : shown->findChildren<QWidget *>()) {
            if (!widget->isVisible())
                continue;
            if (!widget->styleSheet().isEmpty())
                light << nameOf(widget) + QStringLiteral(" has a style sheet: ") + widget->styleSheet();
            const QColor background = widget->palette().color(widget->backgroundRole());
            if (luminance(background) > 0.2)
                light << nameOf(widget) + QStringLiteral(" background ") + background.name();
            const auto *label = qobject_cast<QLabel *>(widget);
            if (label && label->isEnabled() && !label->text().isEmpty() &&
                contrast(label->palette().color(label->foregroundRole()), background) < MinContrast)
                light << nameOf(widget) + QStringLiteral(" text ") +
                             label->palette().color(label->foregroundRole()).name();
        }
        QVERIFY2(light.isEmpty(), qPrintable(light.join(u'\n')));
        // What is painted, charts included: mostly dark.
        const double painted = meanLuminance(*shown);
        QVERIFY2(painted < 0.15, qPrintable(QString::number(painted)));
    }
};

QTEST_MAIN(tst_DarkPalette)
#include "tst_darkpalette.moc"
