// SPDX-License-Identifier: MIT
// Benchmark: does the console stay responsive under load? The whole console (every page live) runs
// with the embedded proxy while a client thread drives ~200 requests/s through it; the GUI thread's
// event loop is sampled with a 5 ms timer and every gap beyond the period counts as a stall.
// Usage: bench_console [SECONDS] [RATE]   (offscreen; secrets in a 0600 file)
#include "app/core/services/KeyService.h"
#include "tests/ui/support/ConsoleHarness.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QNetworkReply>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>

namespace {

/// Sends POST /v1/responses at a fixed rate from its own thread; counts answers.
class LoadClient final : public QObject
{
public:
    LoadClient(quint16 port, QByteArray key, int rate) : m_port(port), m_key(std::move(key)), m_rate(rate) {}

    void start()
    {
        m_network = new QNetworkAccessManager(this);
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::PreciseTimer);
        m_timer->setInterval(1000 / 50); // 50 ticks/s, rate/50 requests each
        QObject::connect(m_timer, &QTimer::timeout, this, [this] {
            for (int i = 0; i < m_rate / 50; ++i)
                send();
        });
        m_timer->start();
    }
    void stop() { m_timer->stop(); }

    std::atomic<int> ok{0};
    std::atomic<int> failed{0};

private:
    void send()
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1/v1/responses").arg(m_port)));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        request.setRawHeader("x-api-key", m_key);
        QNetworkReply *reply =
            m_network->post(request, QByteArrayLiteral("{\"model\":\"gpt-5.4\",\"stream\":true,\"input\":[]}"));
        QObject::connect(reply, &QNetworkReply::finished, this, [this, reply] {
            (reply->error() == QNetworkReply::NoError ? ok : failed)++;
            reply->deleteLater();
        });
    }

    quint16 m_port;
    QByteArray m_key;
    int m_rate;
    QNetworkAccessManager *m_network = nullptr;
    QTimer *m_timer = nullptr;
};

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int seconds = argc > 1 ? std::max(1, atoi(argv[1])) : 10;
    const int rate = argc > 2 ? std::max(50, atoi(argv[2])) : 200;

    Console::ConsoleHarness console(QStringLiteral("file"));
    if (!console.start())
        return 1;
    const auto key = Core::KeyService(console.runtime().database(), console.runtime().secrets())
                         .create(QStringLiteral("bench"));
    if (!key)
        return 1;
    console.runtime().publishKeys();

    QThread clientThread;
    LoadClient client(console.port(), key.value().plaintext.toLatin1(), rate);
    client.moveToThread(&clientThread);
    clientThread.start();
    QMetaObject::invokeMethod(&client, [&client] { client.start(); });

    // Sample the GUI event loop; switch pages once a second so the visible page repaints under load.
    QList<qint64> gaps;
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    QTimer sampler;
    sampler.setTimerType(Qt::PreciseTimer);
    sampler.setInterval(5);
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        if (last != 0)
            gaps.append(now - last);
        last = now;
    });
    const QStringList pages{QStringLiteral("keys"), QStringLiteral("usage"), QStringLiteral("trace")};
    QTimer pager;
    pager.setInterval(1000);
    int page = 0;
    QObject::connect(&pager, &QTimer::timeout, [&] { console.window().showPage(pages.at(++page % pages.size())); });
    sampler.start();
    pager.start();
    QTimer::singleShot(seconds * 1000, &app, &QApplication::quit);
    QApplication::exec();
    QMetaObject::invokeMethod(&client, [&client] { client.stop(); }, Qt::BlockingQueuedConnection);
    clientThread.quit();
    clientThread.wait();

    std::sort(gaps.begin(), gaps.end());
    const auto ms = [](qint64 ns) { return double(ns) / 1e6; };
    const qint64 stalls = std::count_if(gaps.begin(), gaps.end(), [](qint64 gap) { return gap > 55'000'000; });
    std::printf("console under load: %d s at %d req/s target: %d ok, %d failed (%.0f req/s)\n", seconds, rate,
                client.ok.load(), client.failed.load(), double(client.ok.load()) / seconds);
    std::printf("GUI event loop (5 ms timer): p50 %.1f ms, p99 %.1f ms, max %.1f ms; gaps > 50 ms: %lld\n",
                ms(gaps.at(gaps.size() / 2)), ms(gaps.at(gaps.size() * 99 / 100)), ms(gaps.constLast()),
                static_cast<long long>(stalls));
    return 0;
}
