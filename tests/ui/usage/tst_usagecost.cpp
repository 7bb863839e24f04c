// SPDX-License-Identifier: MIT
// The Usage page's cost of a model without a price (issue 13): tokens were used, so the cost is
// "unknown", not $0.00 — live, and after a reload from SQL (the Refresh button).
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"

#include "app/core/services/KeyService.h"

#include "ui/usage/UsageTableModel.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTableView>
#include <QTest>
#include <QToolButton>

#include <memory>

using namespace Console;

namespace {

QString costOf(QTableView *table, qint64 keyId)
{
    for (int row = 0; row < table->model()->rowCount(); ++row)
        if (table->model()->index(row, 0).data(UsageTableModel::KeyIdRole).toLongLong() == keyId)
            return table->model()->index(row, UsageTableModel::Cost).data().toString();
    return {};
}

QString costTipOf(QTableView *table, qint64 keyId)
{
    for (int row = 0; row < table->model()->rowCount(); ++row)
        if (table->model()->index(row, 0).data(UsageTableModel::KeyIdRole).toLongLong() == keyId)
            return table->model()->index(row, UsageTableModel::Cost).data(Qt::ToolTipRole).toString();
    return {};
}

/// POSTs a streamed request for @p model with @p key; the HTTP status.
int postForModel(ConsoleHarness &console, const QByteArray &key, const QByteArray &model)
{
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(console.port())));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("x-api-key", key);
    std::unique_ptr<QNetworkReply> reply(
        network.post(request, "{\"model\":\"" + model + "\",\"stream\":true,\"input\":[]}"));
    if (!QTest::qWaitFor([&reply] { return reply->isFinished(); }, 10000))
        return 0;
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

} // namespace

class tst_UsageCost final : public QObject
{
    Q_OBJECT

private slots:
    void unpricedModel_tokensUsed_costUnknownLiveAndAfterReload()
    {
        ConsoleHarness console;
        QVERIFY(console.start());
        const auto created = Core::KeyService(console.runtime().database(), console.runtime().secrets())
                                 .create(QStringLiteral("laptop"));
        QVERIFY(created.ok());
        console.runtime().publishKeys();
        const qint64 keyId = created.value().record.id;
        const QByteArray key = created.value().plaintext.toUtf8();
        QVERIFY(UserInput::openPage(console.window(), QStringLiteral("usage")));
        auto *table = console.find<QTableView>(QStringLiteral("usageTable"));

        console.upstream().setReply(
            "/v1/responses",
            Proxy::FakeUpstream::Reply::sse(Proxy::FakeUpstream::responsesStream(
                QStringLiteral("mystery-model-1"), {QStringLiteral("hi")}, {11, 3, 7, 2, 18})));
        QCOMPARE(postForModel(console, key, "mystery-model-1"), 200);
        QTRY_COMPARE_WITH_TIMEOUT(costOf(table, keyId), QStringLiteral("unknown"), 1000);
        QVERIFY2(costTipOf(table, keyId).contains(u"without a price"), qPrintable(costTipOf(table, keyId)));

        QTest::mouseClick(console.find<QToolButton>(QStringLiteral("usageRefreshButton")), Qt::LeftButton);
        QTRY_COMPARE(costOf(table, keyId), QStringLiteral("unknown"));

        // A priced request adds a known part; the unpriced one still keeps the total from looking complete.
        console.upstream().setReply(
            "/v1/responses",
            Proxy::FakeUpstream::Reply::sse(Proxy::FakeUpstream::responsesStream(
                QStringLiteral("gpt-5.4"), {QStringLiteral("hi")}, {1000000, 0, 0, 0, 1000000})));
        QCOMPARE(console.postResponses({{"x-api-key", key}}).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(costOf(table, keyId).endsWith(u" + unknown"), 1000);
        QVERIFY2(costOf(table, keyId).startsWith(u'$') && !costOf(table, keyId).startsWith(u"$0.00"),
                 qPrintable(costOf(table, keyId)));
    }
};

QTEST_MAIN(tst_UsageCost)
#include "tst_usagecost.moc"
