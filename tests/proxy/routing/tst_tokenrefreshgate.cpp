// SPDX-License-Identifier: MIT
#include "proxy/routing/TokenRefreshGate.h"

#include <QSignalSpy>
#include <QTest>

using namespace Proxy;

class tst_TokenRefreshGate final : public QObject
{
    Q_OBJECT

private slots:
    void await_concurrentForOneAccount_oneRequestAllAnswered();
    void await_differentAccounts_oneRequestEach();
    void resolve_thenAwaitAgain_newRequest();
    void await_noAnswerWithinLimit_failsWaiters();
    void resolve_contextGone_skipsWaiter();
};

void tst_TokenRefreshGate::await_concurrentForOneAccount_oneRequestAllAnswered()
{
    TokenRefreshGate gate;
    QSignalSpy requested(&gate, &TokenRefreshGate::refreshRequested);
    QList<bool> answers;
    for (int i = 0; i < 3; ++i)
        gate.await(7, this, [&answers](bool refreshed) { answers.append(refreshed); });
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.first().first().toLongLong(), 7);
    QVERIFY(gate.isPending(7));
    gate.resolve(7, true);
    QCOMPARE(answers, QList<bool>({true, true, true}));
    QVERIFY(!gate.isPending(7));
    gate.resolve(7, false); // late duplicate answer: nobody waits any more
    QCOMPARE(answers.size(), 3);
}

void tst_TokenRefreshGate::await_differentAccounts_oneRequestEach()
{
    TokenRefreshGate gate;
    QSignalSpy requested(&gate, &TokenRefreshGate::refreshRequested);
    QList<int> failed;
    gate.await(1, this, [&failed](bool refreshed) { failed.append(refreshed ? 0 : 1); });
    gate.await(2, this, [&failed](bool refreshed) { failed.append(refreshed ? 0 : 2); });
    QCOMPARE(requested.size(), 2);
    gate.resolve(2, false);
    QCOMPARE(failed, QList<int>({2}));
    QVERIFY(gate.isPending(1));
}

void tst_TokenRefreshGate::resolve_thenAwaitAgain_newRequest()
{
    TokenRefreshGate gate;
    QSignalSpy requested(&gate, &TokenRefreshGate::refreshRequested);
    gate.await(1, this, [](bool) {});
    gate.resolve(1, true);
    gate.await(1, this, [](bool) {});
    QCOMPARE(requested.size(), 2);
}

void tst_TokenRefreshGate::await_noAnswerWithinLimit_failsWaiters()
{
    TokenRefreshGate gate(50);
    std::optional<bool> answer;
    gate.await(1, this, [&answer](bool refreshed) { answer = refreshed; });
    QTRY_VERIFY(answer.has_value());
    QCOMPARE(*answer, false);
    QVERIFY(!gate.isPending(1));
}

void tst_TokenRefreshGate::resolve_contextGone_skipsWaiter()
{
    TokenRefreshGate gate;
    int calls = 0;
    auto *context = new QObject;
    gate.await(1, context, [&calls](bool) { ++calls; });
    gate.await(1, this, [&calls](bool) { calls += 10; });
    delete context;
    gate.resolve(1, true);
    QCOMPARE(calls, 10);
}

QTEST_GUILESS_MAIN(tst_TokenRefreshGate)
#include "tst_tokenrefreshgate.moc"
