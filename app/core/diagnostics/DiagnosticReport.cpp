// SPDX-License-Identifier: MIT
#include "app/core/diagnostics/DiagnosticReport.h"

#include <QJsonObject>

#include <algorithm>

namespace Core {

QStringList DiagnosticReport::text(const DiagnosticLines &lines)
{
    qsizetype checkWidth = 0;
    qsizetype detailWidth = 0;
    for (const DiagnosticLine &line : lines) {
        checkWidth = std::max(checkWidth, line.check.size());
        detailWidth = std::max(detailWidth, line.detail.size());
    }
    QStringList out;
    for (const DiagnosticLine &line : lines) {
        QString row = DiagnosticLine::statusName(line.status).leftJustified(4) + QStringLiteral("  ")
                      + line.check.leftJustified(checkWidth) + QStringLiteral("  ")
                      + line.detail.leftJustified(detailWidth) + QStringLiteral("  ") + line.fix;
        while (row.endsWith(u' '))
            row.chop(1);
        out.append(row);
    }
    return out;
}

QJsonArray DiagnosticReport::json(const DiagnosticLines &lines)
{
    QJsonArray array;
    for (const DiagnosticLine &line : lines)
        array.append(QJsonObject{{QStringLiteral("status"), DiagnosticLine::statusName(line.status)},
                                 {QStringLiteral("check"), line.check},
                                 {QStringLiteral("detail"), line.detail},
                                 {QStringLiteral("fix"), line.fix}});
    return array;
}

bool DiagnosticReport::hasFailure(const DiagnosticLines &lines)
{
    return std::any_of(lines.cbegin(), lines.cend(),
                       [](const DiagnosticLine &line) { return line.status == DiagnosticLine::Status::Fail; });
}

} // namespace Core
