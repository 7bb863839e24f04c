// SPDX-License-Identifier: MIT
// Unit: the Prometheus text format writer — label escaping, number formatting, histogram buckets.
#include "proxy/metrics/LatencyHistogram.h"
#include "proxy/metrics/MetricsAccess.h"
#include "proxy/metrics/PrometheusText.h"

#include <QTest>

using namespace Proxy;

class tst_PrometheusText final : public QObject
{
    Q_OBJECT

private slots:
    void escapeLabelValue_backslashQuoteNewline_escaped_data();
    void escapeLabelValue_backslashQuoteNewline_escaped();
    void sample_labelsAndNumbers_formatted();
    void histogram_observations_cumulativeBucketsSumCount();
    void metricsAccess_textRoundTrip_unknownRefused();
};

void tst_PrometheusText::escapeLabelValue_backslashQuoteNewline_escaped_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("escaped");
    QTest::newRow("plain") << QStringLiteral("pi-laptop") << QByteArray("pi-laptop");
    QTest::newRow("quote") << QStringLiteral("a\"b") << QByteArray(R"(a\"b)");
    QTest::newRow("backslash") << QStringLiteral("a\\b") << QByteArray(R"(a\\b)");
    QTest::newRow("newline") << QStringLiteral("a\nb") << QByteArray(R"(a\nb)");
    QTest::newRow("escape-looking text") << QStringLiteral("\\n\\\"") << QByteArray(R"(\\n\\\")");
    QTest::newRow("injection") << QStringLiteral("x\"} 1\nevil_total 9")
                               << QByteArray(R"(x\"} 1\nevil_total 9)");
    QTest::newRow("utf-8") << QStringLiteral("sk-kg-\u2026Q3xf") << QByteArray("sk-kg-\xE2\x80\xA6Q3xf");
}

void tst_PrometheusText::escapeLabelValue_backslashQuoteNewline_escaped()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, escaped);
    QCOMPARE(PrometheusText::escapeLabelValue(value), escaped);
}

void tst_PrometheusText::sample_labelsAndNumbers_formatted()
{
    PrometheusText text;
    text.family("keygate_x_total", "counter", "Some help.");
    text.sample("keygate_x_total", {{"a", QStringLiteral("1")}, {"b", QStringLiteral("q\"")}}, qint64(42));
    text.sample("keygate_y", {}, 0.25);
    text.sample("keygate_y", {}, 3.0);
    text.sample("keygate_y", {}, 0.0000004);
    QCOMPARE(text.take(), QByteArray("# HELP keygate_x_total Some help.\n"
                                     "# TYPE keygate_x_total counter\n"
                                     "keygate_x_total{a=\"1\",b=\"q\\\"\"} 42\n"
                                     "keygate_y 0.25\n"
                                     "keygate_y 3\n"
                                     "keygate_y 0\n"));
    QVERIFY(text.take().isEmpty());
}

void tst_PrometheusText::histogram_observations_cumulativeBucketsSumCount()
{
    LatencyHistogram histogram;
    histogram.observe(5);      // on the 5 ms bound: le="0.005"
    histogram.observe(6);      // le="0.01"
    histogram.observe(400000); // beyond the last bound: only +Inf
    histogram.observe(-3);     // a clock that went back counts as 0
    PrometheusText text;
    histogram.write(text, "h");
    const QList<QByteArray> lines = text.take().split('\n');
    QCOMPARE(lines.size(), int(LatencyHistogram::BoundsMs.size()) + 1 + 2 + 1); // buckets, +Inf, sum, count, ""
    QCOMPARE(lines.at(0), QByteArray(R"(h_bucket{le="0.005"} 2)"));
    QCOMPARE(lines.at(1), QByteArray(R"(h_bucket{le="0.01"} 3)"));
    QCOMPARE(lines.at(7), QByteArray(R"(h_bucket{le="1"} 3)"));
    QCOMPARE(lines.at(14), QByteArray(R"(h_bucket{le="300"} 3)"));
    QCOMPARE(lines.at(15), QByteArray(R"(h_bucket{le="+Inf"} 4)"));
    QCOMPARE(lines.at(16), QByteArray("h_sum 400.011"));
    QCOMPARE(lines.at(17), QByteArray("h_count 4"));
}

void tst_PrometheusText::metricsAccess_textRoundTrip_unknownRefused()
{
    for (const MetricsAccess access : {MetricsAccess::Loopback, MetricsAccess::Key, MetricsAccess::Off}) {
        bool ok = false;
        QVERIFY(metricsAccessFromString(toString(access), &ok) == access);
        QVERIFY(ok);
    }
    bool ok = true;
    QVERIFY(metricsAccessFromString(QStringLiteral("public"), &ok) == MetricsAccess::Loopback);
    QVERIFY(!ok);
    metricsAccessFromString(QStringLiteral("Key"), &ok); // exact spelling only
    QVERIFY(!ok);
}

QTEST_MAIN(tst_PrometheusText)
#include "tst_prometheustext.moc"
