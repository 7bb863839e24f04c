// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QList>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

/// An invariant of the code under test. When it breaks, the target says which one and aborts, so libFuzzer
/// keeps the input as a crash (a plain `assert` would vanish in a release build).
#define FUZZ_CHECK(condition) \
    ((condition) ? void() : ::Fuzz::invariantBroken(#condition, __FILE__, __LINE__))

namespace Fuzz {

[[noreturn]] inline void invariantBroken(const char *what, const char *file, int line)
{
    std::fprintf(stderr, "fuzz invariant broken: %s (%s:%d)\n", what, file, line);
    std::fflush(stderr);
    std::abort();
}

/// The layout most targets share: one config byte, a split plan (a length byte, then that many piece
/// lengths, at most 32), then the payload. Short inputs leave the plan or the payload empty.
struct Input final
{
    std::uint8_t config = 0;
    QByteArrayView plan;
    QByteArrayView payload;

    static Input parse(const std::uint8_t *data, size_t size)
    {
        const QByteArrayView all(reinterpret_cast<const char *>(data), qsizetype(size));
        Input in;
        if (all.isEmpty())
            return in;
        in.config = std::uint8_t(all[0]);
        const qsizetype planSize = all.size() > 1 ? qMin<qsizetype>(std::uint8_t(all[1]) % 33, all.size() - 2) : 0;
        in.plan = all.size() > 2 ? all.sliced(2, planSize) : QByteArrayView();
        in.payload = all.size() > 2 ? all.sliced(2 + planSize) : QByteArrayView();
        return in;
    }
};

/// Cuts @p payload into pieces whose lengths are the bytes of @p plan, cycled (a 0 is an empty piece);
/// an empty plan cuts it into single bytes. A plan pass that consumes nothing ends it with the rest.
inline QList<QByteArrayView> split(QByteArrayView payload, QByteArrayView plan)
{
    QList<QByteArrayView> pieces;
    qsizetype pos = 0;
    if (plan.isEmpty()) {
        for (; pos < payload.size(); ++pos)
            pieces.append(payload.sliced(pos, 1));
        return pieces;
    }
    while (pos < payload.size()) {
        const qsizetype passStart = pos;
        for (const char c : plan) {
            const qsizetype n = qMin<qsizetype>(std::uint8_t(c), payload.size() - pos);
            pieces.append(payload.sliced(pos, n));
            pos += n;
        }
        if (pos == passStart)
            break;
    }
    if (pos < payload.size())
        pieces.append(payload.sliced(pos));
    return pieces;
}

} // namespace Fuzz
