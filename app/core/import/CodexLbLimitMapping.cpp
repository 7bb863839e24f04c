// SPDX-License-Identifier: MIT
#include "app/core/import/CodexLbLimitMapping.h"

#include "app/core/import/CodexLbImportPlanner.h"

#include "proxy/policy/LimitSchedule.h"

namespace Core {

namespace {

std::optional<Proxy::LimitType> typeOf(const QString &text)
{
    const QString value = text.trimmed().toLower(); // TOTAL_TOKENS (an enum NAME) reads as total_tokens
    for (Proxy::LimitType type : {Proxy::LimitType::TotalTokens, Proxy::LimitType::InputTokens,
                                  Proxy::LimitType::OutputTokens, Proxy::LimitType::CostMicros})
        if (value == Proxy::wireName(type))
            return type;
    return std::nullopt;
}

std::optional<Proxy::LimitWindow> windowOf(const QString &text)
{
    const QString value = text.trimmed().toLower();
    if (value == u"daily")
        return Proxy::LimitWindow::Day;
    if (value == u"weekly" || value == u"7d" || value == u"seven_days")
        return Proxy::LimitWindow::Week;
    if (value == u"monthly")
        return Proxy::LimitWindow::Month;
    if (value == u"5h" || value == u"five_hours")
        return Proxy::LimitWindow::FiveHours;
    return std::nullopt;
}

QDateTime ceilToHour(const QDateTime &time)
{
    const qint64 seconds = time.toSecsSinceEpoch();
    const qint64 hour = Proxy::LimitSchedule::HourSeconds;
    return QDateTime::fromSecsSinceEpoch((seconds + hour - 1) / hour * hour, Qt::UTC);
}

/// Why @p row cannot become a Keygate limit, or empty; fills @p limit otherwise.
QString mapOne(const CodexLbLimitRow &row, const QDateTime &now, Proxy::KeyLimit &limit, QString &note)
{
    if (row.limitType.trimmed().toLower() == u"credits")
        return QStringLiteral("Keygate has no credits limits (codex-lb does not count them locally either)");
    const auto type = typeOf(row.limitType);
    if (!type)
        return QStringLiteral("limit type \"%1\" is not one Keygate counts").arg(row.limitType);
    const auto window = windowOf(row.limitWindow);
    if (!window)
        return QStringLiteral("Keygate has no \"%1\" window (it has 5h, daily, weekly/7d, monthly)").arg(row.limitWindow);
    if (row.maxValue <= 0)
        return QStringLiteral("max_value %1 is not greater than 0").arg(row.maxValue);
    QString filter;
    if (!row.modelFilter.isNull()) {
        filter = row.modelFilter.toString();
        if (filter.isEmpty() || filter != filter.trimmed())
            return QStringLiteral("model filter \"%1\" cannot be matched by Keygate, which compares a non-empty, "
                                  "trimmed model name")
                .arg(filter);
    }
    limit.type = *type;
    limit.window = *window;
    limit.maxValue = row.maxValue;
    limit.modelFilter = filter;
    const auto resetAt = CodexLbImportPlanner::parseTime(row.resetAt);
    if (!resetAt || !resetAt->isValid()) {
        note = QStringLiteral("reset_at \"%1\" is not a time: windows follow on from the import, count starts at 0")
                   .arg(row.resetAt);
        return {};
    }
    limit.windowAnchor = ceilToHour(*resetAt);
    const qint64 secondsLeft = now.secsTo(limit.windowAnchor);
    if (secondsLeft <= 0) {
        note = QStringLiteral("its window ended at %1: count starts at 0").arg(resetAt->toString(Qt::ISODate));
    } else if (secondsLeft > Proxy::windowSeconds(*window)) {
        limit.windowAnchor = QDateTime();
        note = QStringLiteral("reset_at %1 lies more than one window ahead: windows follow on from the import, "
                              "count starts at 0")
                   .arg(resetAt->toString(Qt::ISODate));
    } else {
        limit.carriedValue = std::max<qint64>(0, row.currentValue);
        note = QStringLiteral("%1 already used, counted until %2").arg(limit.carriedValue)
                   .arg(limit.windowAnchor.toString(Qt::ISODate));
    }
    return {};
}

bool sameRule(const Proxy::KeyLimit &a, const Proxy::KeyLimit &b)
{
    return a.type == b.type && a.window == b.window && a.modelFilter == b.modelFilter;
}

} // namespace

QList<LimitImport> CodexLbLimitMapping::map(const QList<CodexLbLimitRow> &rows, const QDateTime &now)
{
    QList<LimitImport> result;
    for (const CodexLbLimitRow &row : rows) {
        LimitImport item;
        item.codexLbId = row.id;
        item.type = row.limitType;
        item.window = row.limitWindow;
        item.modelFilter = row.modelFilter.toString();
        item.maxValue = row.maxValue;
        item.currentValue = row.currentValue;
        const QString skipped = mapOne(row, now, item.limit, item.note);
        const auto twin = std::find_if(result.cbegin(), result.cend(), [&](const LimitImport &other) {
            return other.imported && sameRule(other.limit, item.limit);
        });
        if (!skipped.isEmpty()) {
            item.note = skipped;
        } else if (twin != result.cend()) {
            item.note = QStringLiteral("Keygate counts it like limit %1 (one rule per type, window and model; "
                                       "weekly and 7d are both seven days)")
                            .arg(twin->codexLbId);
        } else {
            item.imported = true;
        }
        result.append(item);
    }
    return result;
}

} // namespace Core
