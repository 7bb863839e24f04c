// SPDX-License-Identifier: MIT
#include "proxy/routing/StickinessTable.h"
#include "proxy/routing/StickyKey.h"

#include <QTest>

using namespace Proxy;

namespace {

constexpr qint64 Minute = 60 * 1000;
constexpr qint64 T0 = 1'800'000'000'000;

} // namespace

class tst_StickinessTable final : public QObject
{
    Q_OBJECT

private slots:
    void assign_thenLookup_returnsAccount();
    void lookup_afterTtlSinceLastUse_expires();
    void assign_refreshesTtl();
    void assign_beyondCapacity_evictsLeastRecentlyUsed();
    void forgetAccount_dropsItsMappings();
    void stickyKeyFor_promptCacheKeyThenSessionHeaders();
};

void tst_StickinessTable::assign_thenLookup_returnsAccount()
{
    StickinessTable table;
    QCOMPARE(table.lookup(QStringLiteral("k"), T0), 0);
    table.assign(QStringLiteral("k"), 7, T0);
    QCOMPARE(table.lookup(QStringLiteral("k"), T0 + Minute), 7);
    table.assign(QStringLiteral("k"), 8, T0 + Minute);
    QCOMPARE(table.lookup(QStringLiteral("k"), T0 + Minute), 8);
    QCOMPARE(table.size(), 1);
}

void tst_StickinessTable::lookup_afterTtlSinceLastUse_expires()
{
    StickinessTable table(30 * Minute);
    table.assign(QStringLiteral("k"), 7, T0);
    QCOMPARE(table.lookup(QStringLiteral("k"), T0 + 30 * Minute - 1), 7);
    QCOMPARE(table.lookup(QStringLiteral("k"), T0 + 30 * Minute), 0);
    QCOMPARE(table.size(), 0);
}

void tst_StickinessTable::assign_refreshesTtl()
{
    StickinessTable table(30 * Minute);
    table.assign(QStringLiteral("k"), 7, T0);
    table.assign(QStringLiteral("k"), 7, T0 + 20 * Minute);
    QCOMPARE(table.lookup(QStringLiteral("k"), T0 + 45 * Minute), 7);
    QCOMPARE(table.lookup(QStringLiteral("k"), T0 + 50 * Minute), 0);
}

void tst_StickinessTable::assign_beyondCapacity_evictsLeastRecentlyUsed()
{
    StickinessTable table(30 * Minute, 3);
    table.assign(QStringLiteral("a"), 1, T0);
    table.assign(QStringLiteral("b"), 2, T0 + 1);
    table.assign(QStringLiteral("c"), 3, T0 + 2);
    table.assign(QStringLiteral("a"), 1, T0 + 3); // "a" used again: "b" is now the oldest
    table.assign(QStringLiteral("d"), 4, T0 + 4);
    QCOMPARE(table.size(), 3);
    QCOMPARE(table.lookup(QStringLiteral("b"), T0 + 5), 0);
    QCOMPARE(table.lookup(QStringLiteral("a"), T0 + 5), 1);
    QCOMPARE(table.lookup(QStringLiteral("c"), T0 + 5), 3);
    QCOMPARE(table.lookup(QStringLiteral("d"), T0 + 5), 4);
}

void tst_StickinessTable::forgetAccount_dropsItsMappings()
{
    StickinessTable table;
    table.assign(QStringLiteral("a"), 1, T0);
    table.assign(QStringLiteral("b"), 2, T0);
    table.assign(QStringLiteral("c"), 1, T0);
    table.forgetAccount(1);
    QCOMPARE(table.size(), 1);
    QCOMPARE(table.lookup(QStringLiteral("a"), T0), 0);
    QCOMPARE(table.lookup(QStringLiteral("b"), T0), 2);
}

void tst_StickinessTable::stickyKeyFor_promptCacheKeyThenSessionHeaders()
{
    HttpHeaders headers;
    QCOMPARE(stickyKeyFor(headers, {}), QString());
    headers.append("X-Codex-Session-Id", "s3");
    QCOMPARE(stickyKeyFor(headers, {}), QStringLiteral("session:s3"));
    headers.append("session-id", "s2");
    QCOMPARE(stickyKeyFor(headers, {}), QStringLiteral("session:s2"));
    headers.append("session_id", "s1");
    QCOMPARE(stickyKeyFor(headers, {}), QStringLiteral("session:s1"));
    QCOMPARE(stickyKeyFor(headers, QStringLiteral("pck")), QStringLiteral("cache:pck"));
    QCOMPARE(stickyKeyFor({}, QString(600, u'x')), QString()); // not an id
}

QTEST_GUILESS_MAIN(tst_StickinessTable)
#include "tst_stickinesstable.moc"
