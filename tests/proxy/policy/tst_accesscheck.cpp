// SPDX-License-Identifier: MIT
// Unit: a key's model and reasoning-effort allowlists.
#include "proxy/policy/AccessCheck.h"

#include <QTest>

using namespace Proxy;

class tst_AccessCheck final : public QObject
{
    Q_OBJECT

private slots:
    void openPolicy_allowsEverythingWithoutATraceStep();
    void modelAllowlist_refusesOthersWith403();
    void effortAllowlist_refusesOthers_butNotAnUnselectedEffort();
};

void tst_AccessCheck::openPolicy_allowsEverythingWithoutATraceStep()
{
    const PolicyDecision decision = checkAccess({}, QStringLiteral("gpt-5.5"), QStringLiteral("xhigh"));
    QVERIFY(decision.allowed());
    QVERIFY(decision.trace.isEmpty());
}

void tst_AccessCheck::modelAllowlist_refusesOthersWith403()
{
    KeyPolicy policy;
    policy.allowedModels = {QStringLiteral("gpt-5.4"), QStringLiteral("gpt-5.4-mini")};
    const PolicyDecision refused = checkAccess(policy, QStringLiteral("gpt-5.5"), {});
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.type, QStringLiteral("permission_error"));
    QCOMPARE(refused.code, QStringLiteral("model_not_allowed"));
    QCOMPARE(refused.message, QStringLiteral("This API key does not have access to model 'gpt-5.5'"));
    QCOMPARE(refused.trace, QStringLiteral("model gpt-5.5 not allowed \u2192 403"));
    const PolicyDecision allowed = checkAccess(policy, QStringLiteral("gpt-5.4-mini"), {});
    QVERIFY(allowed.allowed());
    QCOMPARE(allowed.trace, QStringLiteral("model gpt-5.4-mini allowed"));
    QCOMPARE(checkAccess(policy, QString(), {}).status, 403); // no model named: not one of the allowed
}

void tst_AccessCheck::effortAllowlist_refusesOthers_butNotAnUnselectedEffort()
{
    KeyPolicy policy;
    policy.allowedEfforts = {QStringLiteral("low"), QStringLiteral("medium")};
    const PolicyDecision refused = checkAccess(policy, QStringLiteral("gpt-5.4"), QStringLiteral("high"));
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.code, QStringLiteral("reasoning_effort_not_allowed"));
    QCOMPARE(refused.param, QStringLiteral("reasoning.effort"));
    QCOMPARE(refused.message, QStringLiteral("This API key does not have access to reasoning effort 'high'"));
    QVERIFY(checkAccess(policy, QStringLiteral("gpt-5.4"), QStringLiteral("low")).allowed());
    QVERIFY(checkAccess(policy, QStringLiteral("gpt-5.4"), QString()).allowed());
}

QTEST_GUILESS_MAIN(tst_AccessCheck)
#include "tst_accesscheck.moc"
