// SPDX-License-Identifier: MIT
// Benchmark: what holding a response's terminal bytes until its record is durable costs. Each record
// goes from this thread (standing in for the proxy thread) through StoreRecordJournal to the real
// store thread, is committed to SQLite (WAL) in a temporary data dir, and is acknowledged back: that
// round trip is the time added to the last chunk of a response. Measured one at a time, then with 64
// responses finishing at once (group commit), which also gives the records/s the store sustains.
#include "app/core/storage/Store.h"
#include "app/core/storage/StoreRecordJournal.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSemaphore>
#include <QTemporaryDir>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <vector>

namespace {

Proxy::RequestRecord sampleRecord(int i)
{
    Proxy::RequestRecord record;
    record.time = QDateTime::currentDateTimeUtc();
    record.requestId = QStringLiteral("req_%1").arg(i);
    record.authSource = QStringLiteral("x-api-key");
    record.route = QStringLiteral("/v1/responses");
    record.model = QStringLiteral("gpt-5.4");
    record.status = 200;
    record.outcome = QStringLiteral("ok");
    record.usage = Proxy::TokenUsage{1200, 1000, 80, 30, 1280};
    record.latencyMs = 120;
    record.bytesIn = 900;
    record.bytesOut = 4000;
    record.peer = QStringLiteral("127.0.0.1");
    record.userAgent = QStringLiteral("pi/0.73.1");
    return record;
}

double percentile(std::vector<qint64> values, double p)
{
    std::sort(values.begin(), values.end());
    return values.empty() ? 0.0 : double(values[size_t(p * double(values.size() - 1))]) / 1000.0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTemporaryDir dir;
    Core::Store store(dir.path());
    if (!store.start()) {
        std::fprintf(stderr, "bench_journal: the store did not open\n");
        return 1;
    }
    Core::StoreRecordJournal journal(store.worker());
    QElapsedTimer clock;
    clock.start();

    // One at a time: a response's last chunk waits for exactly this round trip.
    constexpr int Sequential = 2000;
    std::vector<qint64> sequential;
    QSemaphore acked;
    for (int i = 0; i < Sequential; ++i) {
        const qint64 start = clock.nsecsElapsed();
        journal.append({sampleRecord(i)}, [&acked] { acked.release(); });
        acked.acquire();
        sequential.push_back(clock.nsecsElapsed() - start);
    }

    // 64 responses finishing at once, kept so for 3 s.
    constexpr int InFlight = 64;
    std::vector<qint64> started(1 << 20), latencies;
    std::atomic<int> done{0};
    QSemaphore capacity(InFlight);
    const qint64 burstStart = clock.nsecsElapsed();
    int sent = 0;
    while (clock.nsecsElapsed() - burstStart < 3'000'000'000LL && sent < int(started.size())) {
        capacity.acquire();
        const int index = sent++;
        started[size_t(index)] = clock.nsecsElapsed();
        journal.append({sampleRecord(index)}, [&, index] {
            started[size_t(index)] = clock.nsecsElapsed() - started[size_t(index)];
            done.fetch_add(1);
            capacity.release();
        });
    }
    capacity.acquire(InFlight);
    const double seconds = double(clock.nsecsElapsed() - burstStart) / 1e9;
    latencies.assign(started.begin(), started.begin() + sent);
    std::printf("durable hold, one at a time: p50 %.0f µs, p99 %.0f µs (%d records)\n", percentile(sequential, 0.5),
                percentile(sequential, 0.99), Sequential);
    std::printf("durable hold, 64 finishing at once: p50 %.0f µs, p99 %.0f µs; %.0f records/s committed\n",
                percentile(latencies, 0.5), percentile(latencies, 0.99), double(done.load()) / seconds);
    return store.flushAndStop() ? 0 : 1;
}
