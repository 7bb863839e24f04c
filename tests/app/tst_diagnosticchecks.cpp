// SPDX-License-Identifier: MIT
// The pure parts of the doctor's checks (issue 16 §6): token expiry from the stored time or the JWT's
// `exp`, the clock thresholds at their edges, and the report's text form.
#include "app/core/diagnostics/AccountTokenCheck.h"
#include "app/core/diagnostics/ClockCheck.h"
#include "app/core/diagnostics/DiagnosticReport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using Core::AccountInfo;
using Core::AccountTokenCheck;
using Core::ClockCheck;
using Core::DiagnosticLine;
using Status = Core::DiagnosticLine::Status;

namespace {

const QDateTime Now = QDateTime(QDate(2026, 12, 7), QTime(12, 0), Qt::UTC);

AccountInfo chatGptAccount(bool refreshToken)
{
    AccountInfo info;
    info.record.id = 7;
    info.record.name = QStringLiteral("me");
    info.record.kind = QString::fromLatin1(Core::AccountRecord::ChatGpt);
    info.record.secretPrefix = QStringLiteral("account/7");
    info.tokenStored = true;
    info.refreshTokenStored = refreshToken;
    return info;
}

QByteArray jwtExpiring(const QDateTime &exp)
{
    const QByteArray payload = QJsonDocument(QJsonObject{{QStringLiteral("exp"), exp.toSecsSinceEpoch()}}).toJson();
    return "eyJhbGciOiJub25lIn0." + payload.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
           + ".sig";
}

DiagnosticLine expiryLine(const AccountInfo &info, const QByteArray &token)
{
    const Core::DiagnosticLines lines = AccountTokenCheck::run(info, token, Now);
    return lines.size() == 2 ? lines.at(1) : DiagnosticLine{};
}

} // namespace

class tst_DiagnosticChecks final : public QObject
{
    Q_OBJECT

private slots:
    void tokenCheck_expiry_fromStoredTimeOrJwt_data()
    {
        QTest::addColumn<QDateTime>("stored");
        QTest::addColumn<QDateTime>("jwtExp");
        QTest::addColumn<bool>("refreshToken");
        QTest::addColumn<Status>("status");
        QTest::newRow("stored, valid a week") << Now.addDays(7) << QDateTime() << false << Status::Ok;
        QTest::newRow("stored, expired, refreshable") << Now.addSecs(-1) << QDateTime() << true << Status::Warn;
        QTest::newRow("stored, expired, no refresh") << Now.addSecs(-1) << QDateTime() << false << Status::Fail;
        QTest::newRow("stored, 1 h left, no refresh") << Now.addSecs(3600) << QDateTime() << false << Status::Warn;
        QTest::newRow("stored, 1 h left, refreshable") << Now.addSecs(3600) << QDateTime() << true << Status::Ok;
        QTest::newRow("jwt exp passed, no refresh") << QDateTime() << Now.addDays(-1) << false << Status::Fail;
        QTest::newRow("stored wins over jwt") << Now.addDays(3) << Now.addDays(-1) << false << Status::Ok;
        QTest::newRow("neither: unknown") << QDateTime() << QDateTime() << false << Status::Ok;
    }

    void tokenCheck_expiry_fromStoredTimeOrJwt()
    {
        QFETCH(QDateTime, stored);
        QFETCH(QDateTime, jwtExp);
        QFETCH(bool, refreshToken);
        QFETCH(Status, status);
        AccountInfo info = chatGptAccount(refreshToken);
        info.record.accessExpiresAt = stored;
        const DiagnosticLine line = expiryLine(info, jwtExp.isValid() ? jwtExpiring(jwtExp) : QByteArray("opaque"));
        QCOMPARE(line.check, QStringLiteral("account \"me\" expiry"));
        QCOMPARE(int(line.status), int(status));
        QCOMPARE(line.fix.isEmpty(), status == Status::Ok);
    }

    void tokenCheck_needsReauthOrMissing_failsWithLoginFix()
    {
        AccountInfo reauth = chatGptAccount(true);
        reauth.record.state = Proxy::AccountState::NeedsReauth;
        reauth.record.stateReason = QStringLiteral("refresh_token_reused");
        const DiagnosticLine line = AccountTokenCheck::run(reauth, {}, Now).at(0);
        QCOMPARE(int(line.status), int(Status::Fail));
        QVERIFY(line.detail.contains(QStringLiteral("refresh_token_reused")));
        QVERIFY(line.fix.contains(QStringLiteral("accounts login")));

        AccountInfo missing = chatGptAccount(false);
        missing.tokenStored = false;
        const Core::DiagnosticLines lines = AccountTokenCheck::run(missing, {}, Now);
        QCOMPARE(lines.size(), 1); // no expiry without a token
        QCOMPARE(int(lines.at(0).status), int(Status::Fail));
    }

    void clockCheck_thresholds_okWarnFail_data()
    {
        QTest::addColumn<int>("skewSeconds");
        QTest::addColumn<Status>("status");
        QTest::newRow("60 s ahead") << 60 << Status::Ok;
        QTest::newRow("61 s ahead") << 61 << Status::Warn;
        QTest::newRow("300 s behind") << -300 << Status::Warn;
        QTest::newRow("301 s behind") << -301 << Status::Fail;
    }

    void clockCheck_thresholds_okWarnFail()
    {
        QFETCH(int, skewSeconds);
        QFETCH(Status, status);
        const DiagnosticLine line = ClockCheck::run({{QStringLiteral("a"), Now.addSecs(-skewSeconds), Now}});
        QCOMPARE(int(line.status), int(status));
        QVERIFY2(line.detail.startsWith(QString::number(std::abs(skewSeconds))
                                        + (skewSeconds >= 0 ? QStringLiteral(" s ahead") : QStringLiteral(" s behind"))),
                 qPrintable(line.detail));
        QCOMPARE(int(ClockCheck::run({}).status), int(Status::Warn)); // nothing to compare with
    }

    void reportText_columnsAligned_noTrailingBlanks()
    {
        const QStringList text = Core::DiagnosticReport::text(
            {DiagnosticLine::ok(QStringLiteral("clock"), QStringLiteral("1 s ahead")),
             DiagnosticLine::fail(QStringLiteral("listen address"), QStringLiteral("taken"), QStringLiteral("move"))});
        QCOMPARE(text, (QStringList{QStringLiteral("ok    clock           1 s ahead"),
                                    QStringLiteral("fail  listen address  taken      move")}));
        QVERIFY(Core::DiagnosticReport::hasFailure({DiagnosticLine::fail({}, {}, {})}));
        QVERIFY(!Core::DiagnosticReport::hasFailure({DiagnosticLine::warn({}, {}, {})}));
    }
};

QTEST_GUILESS_MAIN(tst_DiagnosticChecks)
#include "tst_diagnosticchecks.moc"
