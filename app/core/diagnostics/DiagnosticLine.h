// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace Core {

/// One result of `keygate doctor` (and the console's Help → Diagnostics): what was checked, how it
/// stands, why, and what to do about it. Pure value; any thread.
struct DiagnosticLine final
{
    enum class Status { Ok, Warn, Fail };

    Status status = Status::Ok;
    QString check;  ///< "database integrity", "account \"work\" reachable"
    QString detail; ///< why: what was found
    QString fix;    ///< how to fix it; empty for ok

    static DiagnosticLine ok(QString check, QString detail) { return {Status::Ok, std::move(check), std::move(detail), {}}; }
    static DiagnosticLine warn(QString check, QString detail, QString fix)
    {
        return {Status::Warn, std::move(check), std::move(detail), std::move(fix)};
    }
    static DiagnosticLine fail(QString check, QString detail, QString fix)
    {
        return {Status::Fail, std::move(check), std::move(detail), std::move(fix)};
    }

    /// "ok", "warn" or "fail".
    static QString statusName(Status status)
    {
        switch (status) {
        case Status::Warn:
            return QStringLiteral("warn");
        case Status::Fail:
            return QStringLiteral("fail");
        case Status::Ok:
            break;
        }
        return QStringLiteral("ok");
    }
};

using DiagnosticLines = QList<DiagnosticLine>;

} // namespace Core

Q_DECLARE_METATYPE(Core::DiagnosticLine)
