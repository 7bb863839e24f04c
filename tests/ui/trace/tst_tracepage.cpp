// SPDX-License-Identifier: MIT
// The auth trace page: live rows from the embedded proxy, summary, filters, detail pane,
// pause/resume, export, history from auth_events and the 10k/50k row load.
#include "tests/ui/support/ConsoleHarness.h"
#include "tests/ui/support/UserInput.h"

#include "app/core/services/KeyService.h"
#include "app/core/storage/AuthEventRepository.h"
#include "app/core/storage/RecordWriter.h"

#include "ui/trace/AuthTraceFilter.h"
#include "ui/trace/AuthTraceModel.h"
#include "ui/trace/TracePage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

#include <functional>

using namespace Console;

namespace {

const QByteArray JwtPlaceholder = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJwaSJ9.c2ln";

/// What AuthTrace::summary() says for "Bearer <JWT placeholder>" + a valid x-api-key: the JWT is
/// masked to its signature's last 4 characters, the key to sk-kg-… + its last 4, named in quotes.
QString expectedJwtPlusKeySummary(const QString &plaintext, const QString &name)
{
    const QByteArray signature = JwtPlaceholder.mid(JwtPlaceholder.lastIndexOf('.') + 1);
    return QStringLiteral("Bearer unknown (JWT-shaped \u2026") + QString::fromLatin1(signature.right(4)) +
           QStringLiteral(") \u2192 x-api-key accepted sk-kg-\u2026") + plaintext.right(4) +
           QStringLiteral(" \"") + name + u'"';
}

QString cellText(const QAbstractItemModel *model, int row, int column)
{
    return model->index(row, column).data().toString();
}

Proxy::AuthTrace syntheticTrace(int n)
{
    Proxy::AuthTrace trace;
    trace.time = QDateTime::currentDateTimeUtc().addMSecs(n);
    trace.requestId = QStringLiteral("bulk-%1").arg(n);
    trace.peer = QStringLiteral("127.0.0.1");
    trace.method = QStringLiteral("POST");
    trace.path = QStringLiteral("/v1/responses");
    trace.durationNs = 3000 + n % 1000;
    const QString name = QStringLiteral("key-%1").arg(n % 7);
    if (n % 10 == 0) {
        trace.verdict = Proxy::AuthVerdict::Denied;
        trace.status = 401;
        trace.reason = QStringLiteral("Invalid API key");
        trace.source = QStringLiteral("none");
        trace.steps = {{QStringLiteral("x-api-key"), QStringLiteral("sk-kg-\u2026dead"),
                        Proxy::HeaderOutcome::Unknown, QString()}};
    } else {
        trace.verdict = Proxy::AuthVerdict::Accepted;
        trace.keyId = 1 + n % 7;
        trace.keyName = name;
        trace.source = QStringLiteral("x-api-key");
        trace.steps = {{QStringLiteral("Authorization"), QStringLiteral("JWT-shaped \u2026c2ln"),
                        Proxy::HeaderOutcome::Unknown, QString()},
                       {QStringLiteral("x-api-key"), QStringLiteral("sk-kg-\u2026%1").arg(1000 + n % 7),
                        Proxy::HeaderOutcome::Accepted, name}};
    }
    return trace;
}

QList<Proxy::AuthTrace> syntheticTraces(int first, int count)
{
    QList<Proxy::AuthTrace> traces;
    traces.reserve(count);
    for (int i = 0; i < count; ++i)
        traces.append(syntheticTrace(first + i));
    return traces;
}

} // namespace

class tst_TracePage final : public QObject
{
    Q_OBJECT

private:
    struct Fixture final
    {
        ConsoleHarness console;
        TracePage *page = nullptr;
        QTableView *table = nullptr;

        bool start()
        {
            if (!console.start())
                return false;
            if (!UserInput::openPage(console.window(), QStringLiteral("trace")))
                return false;
            page = console.find<TracePage>(QStringLiteral("tracePage"));
            table = console.find<QTableView>(QStringLiteral("traceTable"));
            return page && table;
        }
        Core::CreatedKey createKey(const QString &name)
        {
            auto created =
                Core::KeyService(console.runtime().database(), console.runtime().secrets()).create(name);
            if (!created)
                qWarning("create key: %s", qPrintable(created.error()));
            console.runtime().publishKeys();
            return created.value();
        }
        int post(const QList<QPair<QByteArray, QByteArray>> &headers)
        {
            return console.postResponses(headers).status;
        }
        const QAbstractItemModel *view() const { return table->model(); }
    };

private slots:
    void liveTrace_bearerJwtAndValidApiKey_showsSummaryWithinOneSecond()
    {
        Fixture f;
        QVERIFY(f.start());
        const Core::CreatedKey key = f.createKey(QStringLiteral("pi-laptop"));
        QCOMPARE(
            f.post({{"Authorization", "Bearer " + JwtPlaceholder}, {"x-api-key", key.plaintext.toUtf8()}}),
            200);
        QElapsedTimer clock;
        clock.start();
        QTRY_COMPARE_WITH_TIMEOUT(f.view()->rowCount(), 1, 1000);
        qDebug("trace row visible %lld ms after the response", clock.elapsed());
        QCOMPARE(cellText(f.view(), 0, AuthTraceModel::SummaryColumn),
                 expectedJwtPlusKeySummary(key.plaintext, QStringLiteral("pi-laptop")));
        QCOMPARE(cellText(f.view(), 0, AuthTraceModel::RouteColumn), QStringLiteral("POST /v1/responses"));
        QCOMPARE(cellText(f.view(), 0, AuthTraceModel::PeerColumn), QStringLiteral("127.0.0.1"));
        QCOMPARE(cellText(f.view(), 0, AuthTraceModel::OutcomeColumn), QStringLiteral("accepted"));
        QCOMPARE(f.view()->index(0, AuthTraceModel::OutcomeColumn).data(Qt::ForegroundRole).value<QColor>(),
                 AuthTraceModel::verdictColor(Proxy::AuthVerdict::Accepted));
        QVERIFY(!f.view()
                     ->index(0, AuthTraceModel::OutcomeColumn)
                     .data(Qt::DecorationRole)
                     .value<QIcon>()
                     .isNull());
        QVERIFY(!cellText(f.view(), 0, AuthTraceModel::TimeColumn).isEmpty());
    }

    void deniedRequest_deniedOnlyFilter_showsOnlyIt()
    {
        Fixture f;
        QVERIFY(f.start());
        const Core::CreatedKey key = f.createKey(QStringLiteral("good"));
        QCOMPARE(f.post({{"x-api-key", key.plaintext.toUtf8()}}), 200);
        const QString wrong = QStringLiteral("sk-kg-thisKeyWasNeverIssuedByKeygateAtAllXYZ9");
        QCOMPARE(f.post({{"x-api-key", wrong.toUtf8()}}), 401);
        QTRY_COMPARE_WITH_TIMEOUT(f.view()->rowCount(), 2, 2000);
        QCOMPARE(cellText(f.view(), 0, AuthTraceModel::OutcomeColumn), QStringLiteral("denied"));
        QCOMPARE(f.view()->index(0, AuthTraceModel::OutcomeColumn).data(Qt::ForegroundRole).value<QColor>(),
                 AuthTraceModel::verdictColor(Proxy::AuthVerdict::Denied));
        QCOMPARE(cellText(f.view(), 0, AuthTraceModel::SummaryColumn),
                 QStringLiteral("x-api-key unknown (sk-kg-\u2026XYZ9) \u2192 401 Invalid API key"));
        QCOMPARE(cellText(f.view(), 1, AuthTraceModel::OutcomeColumn), QStringLiteral("accepted"));

        auto *deniedOnly = f.console.find<QCheckBox>(QStringLiteral("traceDeniedOnly"));
        QVERIFY(deniedOnly);
        QTest::mouseClick(deniedOnly, Qt::LeftButton);
        QVERIFY(deniedOnly->isChecked());
        QCOMPARE(f.view()->rowCount(), 1);
        QCOMPARE(cellText(f.view(), 0, AuthTraceModel::OutcomeColumn), QStringLiteral("denied"));
        QTest::mouseClick(deniedOnly, Qt::LeftButton);
        QCOMPARE(f.view()->rowCount(), 2);
    }

    void filters_keySourceAndText_narrowRows()
    {
        Fixture f;
        QVERIFY(f.start());
        const Core::CreatedKey alpha = f.createKey(QStringLiteral("alpha"));
        const Core::CreatedKey beta = f.createKey(QStringLiteral("beta"));
        QCOMPARE(f.post({{"Authorization", "Bearer " + alpha.plaintext.toUtf8()}}), 200);
        QCOMPARE(f.post({{"x-api-key", beta.plaintext.toUtf8()}}), 200);
        QCOMPARE(f.post({}), 401);
        QVERIFY(Core::KeyService(f.console.runtime().database(), f.console.runtime().secrets())
                    .setEnabled(beta.record.id, false));
        f.console.runtime().publishKeys();
        QCOMPARE(f.post({{"x-api-key", beta.plaintext.toUtf8()}}), 401); // a step names "beta", disabled
        QTRY_COMPARE_WITH_TIMEOUT(f.view()->rowCount(), 4, 2000);

        auto *keys = f.console.find<QComboBox>(QStringLiteral("traceKeyFilter"));
        QTRY_VERIFY(keys->findData(beta.record.id) > 0);
        QVERIFY(UserInput::chooseItem(*keys, keys->findData(beta.record.id)));
        QCOMPARE(f.view()->rowCount(), 2);
        QVERIFY(cellText(f.view(), 0, AuthTraceModel::SummaryColumn).contains(u"x-api-key disabled"));
        QVERIFY(cellText(f.view(), 1, AuthTraceModel::SummaryColumn).contains(u"x-api-key accepted"));
        QVERIFY(UserInput::chooseItem(*keys, keys->findData(alpha.record.id)));
        QCOMPARE(f.view()->rowCount(), 1);
        QVERIFY(cellText(f.view(), 0, AuthTraceModel::SummaryColumn).startsWith(u"Bearer accepted"));
        QVERIFY(UserInput::chooseItem(*keys, 0));
        QCOMPARE(f.view()->rowCount(), 4);

        auto *source = f.console.find<QComboBox>(QStringLiteral("traceSourceFilter"));
        QVERIFY(UserInput::chooseItem(*source, source->findData(QStringLiteral("authorization"))));
        QCOMPARE(f.view()->rowCount(), 1);
        QVERIFY(cellText(f.view(), 0, AuthTraceModel::SummaryColumn).contains(u"\"alpha\""));
        QVERIFY(UserInput::chooseItem(*source, source->findData(QStringLiteral("x-api-key"))));
        QCOMPARE(f.view()->rowCount(), 1);
        QVERIFY(cellText(f.view(), 0, AuthTraceModel::SummaryColumn).contains(u"\"beta\""));
        QVERIFY(UserInput::chooseItem(*source, source->findData(QStringLiteral("none"))));
        QCOMPARE(f.view()->rowCount(), 2);
        QVERIFY(UserInput::chooseItem(*source, 0));
        QCOMPARE(f.view()->rowCount(), 4);

        auto *search = f.console.find<QLineEdit>(QStringLiteral("traceSearch"));
        QTest::keyClicks(search, QStringLiteral("no KEY"));
        QCOMPARE(f.view()->rowCount(), 1);
        QCOMPARE(cellText(f.view(), 0, AuthTraceModel::SummaryColumn),
                 QStringLiteral(
                     "no key \u2192 401 Missing API key: send `Authorization: Bearer <key>` or `x-api-key: "
                     "<key>`"));
        search->clear();
        QTest::keyClicks(search, QStringLiteral("disabled"));
        QCOMPARE(f.view()->rowCount(), 1);
        search->clear();
        QCOMPARE(f.view()->rowCount(), 4);
    }

    void detailPane_selectedRow_showsStepsStatusAndTime()
    {
        Fixture f;
        QVERIFY(f.start());
        const Core::CreatedKey key = f.createKey(QStringLiteral("pi-laptop"));
        QCOMPARE(
            f.post({{"Authorization", "Bearer " + JwtPlaceholder}, {"x-api-key", key.plaintext.toUtf8()}}),
            200);
        QTRY_COMPARE_WITH_TIMEOUT(f.view()->rowCount(), 1, 2000);
        auto *detail = f.console.find<QTextBrowser>(QStringLiteral("traceDetail"));
        QVERIFY(detail->toPlainText().isEmpty());
        const QRect cell = f.table->visualRect(f.view()->index(0, AuthTraceModel::SummaryColumn));
        QTest::mouseClick(f.table->viewport(), Qt::LeftButton, {}, cell.center());
        const QString text = detail->toPlainText();
        for (const QString &part :
             {QStringLiteral("Authorization"), QStringLiteral("JWT-shaped \u2026c2ln"),
              QStringLiteral("unknown"), QStringLiteral("x-api-key"),
              QString(QStringLiteral("sk-kg-\u2026") + key.plaintext.right(4)), QStringLiteral("accepted"),
              QStringLiteral("pi-laptop"), QStringLiteral("passed (forwarded upstream)"),
              QStringLiteral("\u00b5s"), QStringLiteral("Verdict"), QStringLiteral("Status")})
            QVERIFY2(text.contains(part), qPrintable(part + QStringLiteral(" missing in: ") + text));
        QVERIFY(!text.contains(key.plaintext));

        QCOMPARE(f.post({}), 401);
        QTRY_COMPARE_WITH_TIMEOUT(f.view()->rowCount(), 2, 2000);
        // The selection follows its row (now row 1); select the new denied row.
        QCOMPARE(f.table->currentIndex().row(), 1);
        QVERIFY(UserInput::clickRow(*f.table, f.view()->index(0, AuthTraceModel::SummaryColumn)));
        QVERIFY(detail->toPlainText().contains(u"401 Missing API key"));
        QVERIFY(detail->toPlainText().contains(u"denied"));
    }

    void pause_buffersNewTraces_resumeShowsThem()
    {
        Fixture f;
        QVERIFY(f.start());
        const Core::CreatedKey key = f.createKey(QStringLiteral("k"));
        auto *pause = f.console.find<QPushButton>(QStringLiteral("tracePause"));
        QTest::mouseClick(pause, Qt::LeftButton);
        QVERIFY(pause->isChecked());
        QCOMPARE(f.post({{"x-api-key", key.plaintext.toUtf8()}}), 200);
        QCOMPARE(f.post({}), 401);
        QTRY_COMPARE_WITH_TIMEOUT(f.page->model().pendingCount(), 2, 2000);
        QCOMPARE(pause->text(), QStringLiteral("Resume (2 new)"));
        f.page->model().flushPending(); // what the insert timer does: nothing may appear while paused
        QCOMPARE(f.view()->rowCount(), 0);

        QTest::mouseClick(pause, Qt::LeftButton);
        QVERIFY(!pause->isChecked());
        QCOMPARE(f.view()->rowCount(), 2);
        QCOMPARE(pause->text(), QStringLiteral("Pause"));
        QCOMPARE(cellText(f.view(), 0, AuthTraceModel::OutcomeColumn), QStringLiteral("denied"));
        QCOMPARE(cellText(f.view(), 1, AuthTraceModel::OutcomeColumn), QStringLiteral("accepted"));
    }

    void pause_bufferIsBounded()
    {
        AuthTraceModel model;
        model.setMaxRows(100);
        model.setPaused(true);
        model.append(syntheticTraces(0, 150));
        QCOMPARE(model.pendingCount(), 100);
        QCOMPARE(model.droppedWhilePaused(), 50);
        model.setPaused(false);
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.rowAt(0).trace.requestId, QStringLiteral("bulk-149")); // newest first
        QCOMPARE(model.rowAt(99).trace.requestId, QStringLiteral("bulk-50"));
        model.append(syntheticTraces(150, 10));
        model.flushPending();
        QCOMPARE(model.rowCount(), 100);
        QCOMPARE(model.rowAt(0).trace.requestId, QStringLiteral("bulk-159"));
        QCOMPARE(model.rowAt(99).trace.requestId, QStringLiteral("bulk-60"));
    }

    void export_jsonAndCsv_containExactlyFilteredRowsWithoutPlaintext()
    {
        Fixture f;
        QVERIFY(f.start());
        const Core::CreatedKey key = f.createKey(QStringLiteral("exported"));
        const QString unknown = QStringLiteral("sk-kg-anotherPlaintextNobodyIssuedQQQQQQQQQQQQQ1");
        QCOMPARE(f.post({{"Authorization", "Bearer " + key.plaintext.toUtf8()}}), 200);
        QCOMPARE(
            f.post({{"Authorization", "Bearer " + JwtPlaceholder}, {"x-api-key", key.plaintext.toUtf8()}}),
            200);
        QCOMPARE(f.post({{"x-api-key", unknown.toUtf8()}}), 401);
        QTRY_COMPARE_WITH_TIMEOUT(f.view()->rowCount(), 3, 2000);

        QTemporaryDir out;
        auto *exportButton = f.console.find<QPushButton>(QStringLiteral("traceExport"));
        QTest::mouseClick(f.console.find<QCheckBox>(QStringLiteral("traceDeniedOnly")), Qt::LeftButton);
        QCOMPARE(f.view()->rowCount(), 1);
        const QString jsonPath = out.filePath(QStringLiteral("denied.json"));
        f.console.dialogs().answerNextFile(jsonPath);
        QTest::mouseClick(exportButton, Qt::LeftButton);
        QFile json(jsonPath);
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QByteArray jsonBytes = json.readAll();
        const QJsonArray array = QJsonDocument::fromJson(jsonBytes).array();
        QCOMPARE(array.size(), 1);
        QCOMPARE(array.at(0).toObject().value(u"verdict").toString(), QStringLiteral("denied"));
        QCOMPARE(array.at(0).toObject().value(u"request_id").toString(),
                 f.page->filter().traceAt(0).requestId);
        QCOMPARE(array.at(0).toObject().value(u"summary").toString(),
                 cellText(f.view(), 0, AuthTraceModel::SummaryColumn));

        QTest::mouseClick(f.console.find<QCheckBox>(QStringLiteral("traceDeniedOnly")), Qt::LeftButton);
        QCOMPARE(f.view()->rowCount(), 3);
        const QString csvPath = out.filePath(QStringLiteral("all.csv"));
        f.console.dialogs().answerNextFile(csvPath);
        QTest::mouseClick(exportButton, Qt::LeftButton);
        QFile csv(csvPath);
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QByteArray csvBytes = csv.readAll();
        const QList<QByteArray> lines = csvBytes.trimmed().split('\n');
        QCOMPARE(lines.size(), 4); // header + 3 rows (no field holds a line break here)
        QVERIFY(lines.at(0).startsWith("time,request_id,"));
        for (int row = 0; row < 3; ++row)
            QVERIFY(lines.at(row + 1).contains(f.page->filter().traceAt(row).requestId.toUtf8()));

        for (const QByteArray &bytes : {jsonBytes, csvBytes}) {
            QVERIFY(!bytes.contains(key.plaintext.toUtf8()));
            QVERIFY(!bytes.contains(unknown.toUtf8()));
            QVERIFY(!bytes.contains(key.plaintext.mid(10, 16).toUtf8()));
        }
        QVERIFY(csvBytes.contains(QString(QStringLiteral("sk-kg-\u2026") + key.plaintext.right(4)).toUtf8()));
        QVERIFY(f.console.dialogs().unexpected().isEmpty());
    }

    void history_authEventsTable_loadedIntoNewPage()
    {
        Fixture f;
        QVERIFY(f.start());
        const Core::CreatedKey key = f.createKey(QStringLiteral("pi-laptop"));
        QCOMPARE(
            f.post({{"Authorization", "Bearer " + JwtPlaceholder}, {"x-api-key", key.plaintext.toUtf8()}}),
            200);
        QCOMPARE(f.post({}), 401);
        QTRY_COMPARE_WITH_TIMEOUT(f.view()->rowCount(), 2, 2000);
        f.console.runtime().store().flush();
        Core::AuthEventRepository events(f.console.runtime().database().connection());
        QTRY_COMPARE_WITH_TIMEOUT(events.recent(10).value().size(), 2, 5000);

        TracePage restarted(f.console.context());
        QCOMPARE(restarted.model().rowCount(), 2);
        QCOMPARE(restarted.model().rowAt(0).summary, cellText(f.view(), 0, AuthTraceModel::SummaryColumn));
        QCOMPARE(restarted.model().rowAt(1).summary,
                 expectedJwtPlusKeySummary(key.plaintext, QStringLiteral("pi-laptop")));
        QCOMPARE(restarted.model().rowAt(1).trace.steps.size(), 2);
        QCOMPARE(restarted.model().rowAt(1).trace.requestId, f.page->filter().traceAt(1).requestId);
    }

    void history_tenThousandEvents_loadWithoutDelay()
    {
        Fixture f;
        QVERIFY(f.start());
        QVERIFY(Core::RecordWriter(f.console.runtime().database().connection())
                    .write({}, syntheticTraces(0, TracePage::HistoryRows + 500))
                    .ok());
        QElapsedTimer clock;
        clock.start();
        TracePage page(f.console.context());
        const qint64 loadMs = clock.elapsed();
        qDebug("history: %d auth events loaded into a new trace page in %lld ms", page.model().rowCount(),
               loadMs);
        QCOMPARE(page.model().rowCount(), TracePage::HistoryRows);
        QCOMPARE(page.model().rowAt(0).trace.requestId,
                 QStringLiteral("bulk-%1").arg(TracePage::HistoryRows + 499));
        QVERIFY2(loadMs < 15000, "sanity bound");
    }

    void liveFeed_tenAndFiftyThousandRows_boundedAndFilterable()
    {
        Fixture f;
        QVERIFY(f.start());
        AuthTraceModel &model = f.page->model();
        auto *deniedOnly = f.console.find<QCheckBox>(QStringLiteral("traceDeniedOnly"));
        auto *search = f.console.find<QLineEdit>(QStringLiteral("traceSearch"));
        QElapsedTimer clock;

        // As the runtime delivers them: one batched signal. The model coalesces, then inserts once.
        const QList<Proxy::AuthTrace> first = syntheticTraces(0, 10'000);
        clock.start();
        emit f.console.runtime().authTraced(first);
        QTRY_COMPARE_WITH_TIMEOUT(f.view()->rowCount(), 10'000, 10000);
        qDebug("10k traces: visible %lld ms after the signal (includes the %d ms coalescing interval)",
               clock.elapsed(), AuthTraceModel::DefaultInsertIntervalMs);

        // A filter change, until the view has its rows and has painted them.
        const auto timed = [&f](const std::function<void()> &change) {
            QElapsedTimer timer;
            timer.start();
            change();
            f.view()->rowCount();
            f.table->viewport()->repaint();
            return timer.elapsed();
        };
        const qint64 deniedMs = timed([deniedOnly] { deniedOnly->setChecked(true); });
        QCOMPARE(f.view()->rowCount(), 1'000);
        const qint64 searchMs = timed([search] { search->setText(QStringLiteral("key-3")); });
        QCOMPARE(f.view()->rowCount(), 0);
        deniedOnly->setChecked(false);
        int keyThree = 0; // accepted with key-3: n % 7 == 3 and not every tenth (denied)
        for (int n = 0; n < 10'000; ++n)
            keyThree += n % 7 == 3 && n % 10 != 0 ? 1 : 0;
        QCOMPARE(f.view()->rowCount(), keyThree);
        search->clear();
        qDebug("10k rows: 'denied only' filter %lld ms, text search %lld ms", deniedMs, searchMs);

        const QList<Proxy::AuthTrace> second = syntheticTraces(10'000, 25'000);
        const QList<Proxy::AuthTrace> third = syntheticTraces(35'000, 25'000);
        clock.restart();
        emit f.console.runtime().authTraced(second);
        emit f.console.runtime().authTraced(third);
        model.flushPending();
        f.view()->rowCount();
        f.table->viewport()->repaint();
        const qint64 insertMs = clock.elapsed();
        QCOMPARE(model.rowCount(), AuthTraceModel::DefaultMaxRows); // bounded: the oldest 10k were dropped
        QCOMPARE(model.rowAt(0).trace.requestId, QStringLiteral("bulk-59999"));
        QCOMPARE(model.rowAt(model.rowCount() - 1).trace.requestId, QStringLiteral("bulk-10000"));
        QCOMPARE(f.view()->rowCount(), AuthTraceModel::DefaultMaxRows);

        const qint64 denied50Ms = timed([deniedOnly] { deniedOnly->setChecked(true); });
        QCOMPARE(f.view()->rowCount(), 5'000);
        const qint64 search50Ms = timed([search] { search->setText(QStringLiteral("bulk-4")); });
        QCOMPARE(f.view()->rowCount(), 1'000); // bulk-40000 … bulk-49990, every tenth
        qDebug(
            "50k rows: insert of 50k live traces %lld ms; 'denied only' filter %lld ms, text search %lld ms",
            insertMs, denied50Ms, search50Ms);
        QVERIFY2(denied50Ms < 5000 && search50Ms < 5000, "sanity bound");
    }
};

QTEST_MAIN(tst_TracePage)
#include "tst_tracepage.moc"
