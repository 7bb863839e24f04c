// SPDX-License-Identifier: MIT
// The overview page, live through the real proxy: today's numbers and the sparkline, the denied
// list and its click into the auth trace, keys near a limit, the pool, the copy button.
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"

#include "app/core/services/KeyPolicyService.h"
#include "app/core/services/KeyService.h"

#include "ui/overview/DeniedRequestsList.h"
#include "ui/overview/OverviewPage.h"
#include "ui/overview/Sparkline.h"
#include "ui/trace/AuthTraceFilter.h"
#include "ui/trace/TracePage.h"

#include <QApplication>
#include <QClipboard>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QTest>

using namespace Console;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

/// What the overview shows within a second of a change.
constexpr int LiveMs = 1000;

Headers bearer(const QString &key)
{
    return {{"Authorization", "Bearer " + key.toUtf8()}};
}

QString createKey(ConsoleHarness &console, const QString &name)
{
    const auto created =
        Core::KeyService(console.runtime().database(), console.runtime().secrets()).create(name);
    if (!created)
        return {};
    console.runtime().publishKeys();
    return created.value().plaintext;
}

QListWidgetItem *itemContaining(QListWidget *list, const QString &text)
{
    for (int row = 0; row < list->count(); ++row)
        if (list->item(row)->text().contains(text))
            return list->item(row);
    return nullptr;
}

} // namespace

class tst_OverviewPage final : public QObject
{
    Q_OBJECT

private slots:
    void overview_firstPage_shownOnStart()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        QCOMPARE(console.window().pageIds().constFirst(), QStringLiteral("overview"));
        QCOMPARE(console.window().currentPageId(), QStringLiteral("overview"));
        QCOMPARE(console.find<QLabel>(QStringLiteral("overviewProxyState"))->text(),
                 QStringLiteral("Listening on http://127.0.0.1:%1").arg(console.port()));
    }

    void todayAndSparkline_proxiedRequest_updateWithinOneSecond()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        const QString key = createKey(console, QStringLiteral("laptop"));
        QVERIFY(!key.isEmpty());
        auto *requests = console.find<QLabel>(QStringLiteral("overviewTodayRequests"));
        auto *tokens = console.find<QLabel>(QStringLiteral("overviewTodayTokens"));
        auto *cost = console.find<QLabel>(QStringLiteral("overviewTodayCost"));
        auto *sparkline = console.find<Sparkline>(QStringLiteral("overviewSparkline"));
        QCOMPARE(requests->text(), QStringLiteral("0"));
        QCOMPARE(tokens->text(), QStringLiteral("0"));
        QCOMPARE(sparkline->peak(), 0);

        QCOMPARE(console.postResponses(bearer(key)).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(requests->text(), QStringLiteral("1"), LiveMs);
        QTRY_COMPARE_WITH_TIMEOUT(tokens->text(), QStringLiteral("18"), LiveMs);
        QVERIFY(cost->text().startsWith(u'$')); // gpt-5.4 has a price
        QTRY_COMPARE_WITH_TIMEOUT(sparkline->peak(), 1, LiveMs);
        QCOMPARE(sparkline->values().size(), 600);

        QCOMPARE(console.postResponses(bearer(key)).status, 200);
        QTRY_COMPARE_WITH_TIMEOUT(requests->text(), QStringLiteral("2"), LiveMs);
        QTRY_COMPARE_WITH_TIMEOUT(tokens->text(), QStringLiteral("36"), LiveMs);
        QVERIFY(console.find<QLabel>(QStringLiteral("overviewRate"))
                    ->text()
                    .contains(QStringLiteral("in 10 min")));
    }

    void todayCost_unpricedModel_showsUnknownNotZero()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        const QString key = createKey(console, QStringLiteral("laptop"));
        console.upstream().setReply(
            "/v1/responses",
            Proxy::FakeUpstream::Reply::sse(Proxy::FakeUpstream::responsesStream(
                QStringLiteral("no-price-model"), {QStringLiteral("hi")}, {11, 3, 7, 2, 18})));
        QNetworkAccessManager network;
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(console.port())));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("Authorization", "Bearer " + key.toUtf8());
        QNetworkReply *reply = network.post(
            request, QByteArrayLiteral(R"({"model":"no-price-model","stream":true,"input":[]})"));
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        reply->deleteLater();

        auto *cost = console.find<QLabel>(QStringLiteral("overviewTodayCost"));
        QTRY_COMPARE_WITH_TIMEOUT(console.find<QLabel>(QStringLiteral("overviewTodayTokens"))->text(),
                                  QStringLiteral("18"), LiveMs);
        QCOMPARE(cost->text(), QStringLiteral("unknown"));
    }

    void deniedRequest_clicked_opensAuthTraceFilteredToIt()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        const QString key = createKey(console, QStringLiteral("laptop"));
        QCOMPARE(console.postResponses(bearer(key)).status, 200); // an accepted one the trace must hide
        QCOMPARE(console.postResponses(bearer(QStringLiteral("sk-kg-not-a-real-key"))).status, 401);

        auto *denied = console.find<DeniedRequestsList>(QStringLiteral("overviewDenied"));
        QTRY_VERIFY_WITH_TIMEOUT(itemContaining(denied, QStringLiteral("401")), LiveMs);
        QListWidgetItem *item = itemContaining(denied, QStringLiteral("401"));
        QCOMPARE(denied->count(), 1); // the accepted request is not listed, the placeholder is gone
        QVERIFY(item->text().contains(QStringLiteral("POST /v1/responses")));
        const QString requestId = item->data(DeniedRequestsList::RequestIdRole).toString();
        QVERIFY(!requestId.isEmpty());

        auto *trace = qobject_cast<TracePage *>(console.window().page(QStringLiteral("trace")));
        QTRY_COMPARE(trace->filter().rowCount(), 2); // both decisions reached the trace
        denied->scrollToItem(item);
        QTest::mouseClick(denied->viewport(), Qt::LeftButton, {}, denied->visualItemRect(item).center());
        QCOMPARE(console.window().currentPageId(), QStringLiteral("trace"));
        QCOMPARE(console.find<QLineEdit>(QStringLiteral("traceSearch"))->text(), requestId);
        QCOMPARE(trace->filter().rowCount(), 1);
        QCOMPARE(trace->filter().traceAt(0).requestId, requestId);
        QCOMPARE(trace->filter().traceAt(0).status, 401);

        console.find<QLineEdit>(QStringLiteral("traceSearch"))->clear(); // the user moves on: all rows again
        QCOMPARE(trace->filter().rowCount(), 2);
    }

    void deniedRequest_clientChosenRequestId_traceShowsOnlyThatDecision()
    {
        // A key holder picks x-request-id values: one that every route matches as text, reused.
        ConsoleHarness console;
        QVERIFY(console.start());
        const QString key = createKey(console, QStringLiteral("laptop"));
        QCOMPARE(
            console.postResponses({{"Authorization", "Bearer " + key.toUtf8()}, {"x-request-id", "POST"}})
                .status,
            200);
        QCOMPARE(
            console.postResponses({{"x-api-key", "sk-kg-not-a-real-key"}, {"x-request-id", "POST"}}).status,
            401);
        auto *trace = qobject_cast<TracePage *>(console.window().page(QStringLiteral("trace")));
        QTRY_COMPARE(trace->filter().rowCount(), 2);
        auto *denied = console.find<DeniedRequestsList>(QStringLiteral("overviewDenied"));
        QTRY_VERIFY_WITH_TIMEOUT(itemContaining(denied, QStringLiteral("401")), LiveMs);
        QListWidgetItem *item = itemContaining(denied, QStringLiteral("401"));
        QTest::mouseClick(denied->viewport(), Qt::LeftButton, {}, denied->visualItemRect(item).center());
        QCOMPARE(console.window().currentPageId(), QStringLiteral("trace"));
        QCOMPARE(trace->filter().rowCount(), 1);
        QCOMPARE(trace->filter().traceAt(0).status, 401);
    }

    void keyOverEightyPercent_listedNearLimit_othersNot()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        Core::KeyService keys(console.runtime().database(), console.runtime().secrets());
        const auto tight = keys.create(QStringLiteral("tight-key"));
        const auto roomy = keys.create(QStringLiteral("roomy-key"));
        QVERIFY(tight && roomy);
        Core::KeyPolicyService policy(console.runtime().database());
        QVERIFY(policy.addLimit(tight.value().record.id, Proxy::LimitType::TotalTokens,
                                Proxy::LimitWindow::Day, 20));
        QVERIFY(policy.addLimit(roomy.value().record.id, Proxy::LimitType::TotalTokens,
                                Proxy::LimitWindow::Day, 1000));
        console.runtime().publishKeys();
        auto *list = console.find<QListWidget>(QStringLiteral("overviewKeysNearLimit"));
        QVERIFY(itemContaining(list, QStringLiteral("No key is at 80 %")));

        QCOMPARE(console.postResponses(bearer(tight.value().plaintext)).status, 200); // 18 of 20: 90 %
        QCOMPARE(console.postResponses(bearer(roomy.value().plaintext)).status, 200); // 18 of 1,000
        QTRY_VERIFY_WITH_TIMEOUT(itemContaining(list, QStringLiteral("tight-key")), LiveMs);
        QVERIFY(
            itemContaining(list, QStringLiteral("tight-key"))->text().contains(QStringLiteral("18 of 20")));
        QVERIFY(!itemContaining(list, QStringLiteral("roomy-key")));
        QCOMPARE(list->count(), 1);
    }

    void pool_everyAccountRateLimited_showsSoonestReset()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        auto *pool = console.find<QLabel>(QStringLiteral("overviewPool"));
        QCOMPARE(pool->text(), QStringLiteral("1 of 1 accounts available"));
        Proxy::FakeUpstream::Reply limited = Proxy::FakeUpstream::Reply::json(
            QJsonObject{{QStringLiteral("error"),
                         QJsonObject{{QStringLiteral("message"), QStringLiteral("slow down")}}}},
            429);
        limited.headers.set("Retry-After", "120");
        console.upstream().setReply("/v1/responses", limited);
        const QString key = createKey(console, QStringLiteral("laptop"));
        QCOMPARE(console.postResponses(bearer(key)).status, 429);
        QTRY_VERIFY_WITH_TIMEOUT(
            pool->text().startsWith(QStringLiteral("0 of 1 accounts available · next back in 1m")) ||
                pool->text().startsWith(QStringLiteral("0 of 1 accounts available · next back in 2m")),
            LiveMs);
    }

    void copyButton_clicked_copiesBaseUrlAndSaysSo()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        auto *copy = console.find<QPushButton>(QStringLiteral("overviewCopyAddress"));
        QVERIFY(copy->isEnabled());
        QTest::mouseClick(copy, Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(),
                 QStringLiteral("http://127.0.0.1:%1/v1").arg(console.port()));
        QCOMPARE(copy->text(), QStringLiteral("Copied"));
        console.runtime().stopProxy(0);
        QTRY_VERIFY_WITH_TIMEOUT(!copy->isEnabled(), LiveMs);
        QTRY_COMPARE_WITH_TIMEOUT(console.find<QLabel>(QStringLiteral("overviewProxyState"))->text(),
                                  QStringLiteral("Proxy stopped"), LiveMs);
    }
};

QTEST_MAIN(tst_OverviewPage)
#include "tst_overviewpage.moc"
