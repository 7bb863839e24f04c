// SPDX-License-Identifier: MIT
#include "proxy/policy/KeyPolicy.h"

namespace Proxy {

QString wireName(LimitType type)
{
    switch (type) {
    case LimitType::TotalTokens:
        return QStringLiteral("total_tokens");
    case LimitType::InputTokens:
        return QStringLiteral("input_tokens");
    case LimitType::OutputTokens:
        return QStringLiteral("output_tokens");
    case LimitType::CostMicros:
        return QStringLiteral("cost_usd");
    }
    return {};
}

QString wireName(LimitWindow window)
{
    switch (window) {
    case LimitWindow::FiveHours:
        return QStringLiteral("5h");
    case LimitWindow::Day:
        return QStringLiteral("daily");
    case LimitWindow::Week:
        return QStringLiteral("weekly");
    case LimitWindow::Month:
        return QStringLiteral("monthly");
    }
    return {};
}

QString shortName(LimitType type)
{
    switch (type) {
    case LimitType::TotalTokens:
        return QStringLiteral("tokens");
    case LimitType::InputTokens:
        return QStringLiteral("input");
    case LimitType::OutputTokens:
        return QStringLiteral("output");
    case LimitType::CostMicros:
        return QStringLiteral("cost");
    }
    return {};
}

QString shortName(LimitWindow window)
{
    switch (window) {
    case LimitWindow::FiveHours:
        return QStringLiteral("5h");
    case LimitWindow::Day:
        return QStringLiteral("day");
    case LimitWindow::Week:
        return QStringLiteral("week");
    case LimitWindow::Month:
        return QStringLiteral("month");
    }
    return {};
}

std::optional<LimitType> limitTypeFromString(const QString &text)
{
    for (LimitType type : {LimitType::TotalTokens, LimitType::InputTokens, LimitType::OutputTokens,
                           LimitType::CostMicros})
        if (text == wireName(type) || text == shortName(type))
            return type;
    return std::nullopt;
}

std::optional<LimitWindow> limitWindowFromString(const QString &text)
{
    if (text == u"7d")
        return LimitWindow::Week;
    for (LimitWindow window : {LimitWindow::FiveHours, LimitWindow::Day, LimitWindow::Week, LimitWindow::Month})
        if (text == wireName(window) || text == shortName(window))
            return window;
    return std::nullopt;
}

qint64 windowSeconds(LimitWindow window)
{
    switch (window) {
    case LimitWindow::FiveHours:
        return 5 * 3600;
    case LimitWindow::Day:
        return 24 * 3600;
    case LimitWindow::Week:
        return 7 * 24 * 3600;
    case LimitWindow::Month:
        return 30 * 24 * 3600;
    }
    return 24 * 3600;
}

const QStringList &knownReasoningEfforts()
{
    static const QStringList efforts{QStringLiteral("none"),   QStringLiteral("minimal"), QStringLiteral("low"),
                                     QStringLiteral("medium"), QStringLiteral("high"),    QStringLiteral("xhigh")};
    return efforts;
}

} // namespace Proxy
