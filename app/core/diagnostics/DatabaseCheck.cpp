// SPDX-License-Identifier: MIT
#include "app/core/diagnostics/DatabaseCheck.h"

#include "app/core/storage/Database.h"
#include "app/core/storage/Migrations.h"

#include <QAtomicInteger>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

namespace Core {

namespace {

const QString IntegrityCheck = QStringLiteral("database integrity");
const QString SchemaCheck = QStringLiteral("database schema");
constexpr int MaxReportedProblems = 3;
QAtomicInteger<quint64> s_counter;

QString restoreFix(const QString &file)
{
    return QStringLiteral("stop Keygate, keep a copy of %1, then restore a backup (keygate restore FILE) "
                          "or recover it with `sqlite3 %1 .recover`")
        .arg(file);
}

DiagnosticLines check(QSqlDatabase &db, const QString &file)
{
    DiagnosticLines lines;
    QSqlQuery query(db);
    // At most a few problems: the first ones say enough, and a badly broken file has thousands.
    if (!query.exec(QStringLiteral("PRAGMA integrity_check(%1)").arg(MaxReportedProblems))) {
        lines.append(DiagnosticLine::fail(IntegrityCheck, QStringLiteral("%1 cannot be read: %2")
                                                              .arg(file, query.lastError().databaseText()),
                                          restoreFix(file)));
        return lines;
    }
    QStringList problems;
    while (query.next()) // one line each: a problem may span several ("*** in database main ***\nPage 2: …")
        problems.append(query.value(0).toString().simplified());
    if (problems == QStringList{QStringLiteral("ok")})
        lines.append(DiagnosticLine::ok(IntegrityCheck, QStringLiteral("%1: integrity_check ok").arg(file)));
    else
        lines.append(DiagnosticLine::fail(IntegrityCheck,
                                          QStringLiteral("%1 is damaged: %2").arg(file, problems.join(u"; ")),
                                          restoreFix(file)));

    const int current = Migrations::currentVersion(db);
    const int latest = Migrations::latestVersion();
    if (current > latest)
        lines.append(DiagnosticLine::fail(
            SchemaCheck,
            QStringLiteral("schema version %1 is newer than this Keygate understands (%2)").arg(current).arg(latest),
            QStringLiteral("run the newer Keygate that wrote it, or restore a backup made by this version")));
    else if (current < latest)
        lines.append(DiagnosticLine::ok(
            SchemaCheck,
            QStringLiteral("schema version %1; Keygate migrates it to %2 when it opens it").arg(current).arg(latest)));
    else
        lines.append(DiagnosticLine::ok(SchemaCheck, QStringLiteral("schema version %1 (current)").arg(current)));
    return lines;
}

} // namespace

DiagnosticLines DatabaseCheck::run(const QString &dataDir)
{
    const QString file = Database::fileName(dataDir);
    if (!QFileInfo::exists(file))
        return {DiagnosticLine::ok(IntegrityCheck, QStringLiteral("%1 does not exist yet; it is created on first use")
                                                       .arg(file)),
                DiagnosticLine::ok(SchemaCheck, QStringLiteral("no database yet"))};
    const QString name = QStringLiteral("keygate-doctor-%1").arg(s_counter.fetchAndAddRelaxed(1));
    DiagnosticLines lines;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(file);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open())
            lines = {DiagnosticLine::fail(IntegrityCheck,
                                          QStringLiteral("cannot open %1: %2").arg(file, db.lastError().text()),
                                          restoreFix(file))};
        else
            lines = check(db, file);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    if (lines.size() == 1) // the file could not be read at all: its version cannot be either
        lines.append(DiagnosticLine::fail(SchemaCheck, QStringLiteral("unknown: the database cannot be read"),
                                          QStringLiteral("see \"database integrity\"")));
    return lines;
}

} // namespace Core
