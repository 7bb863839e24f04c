// SPDX-License-Identifier: MIT
#include "ui/trace/AuthTraceDetail.h"

#include "app/core/services/AuthTraceExport.h"

#include "ui/trace/AuthTraceModel.h"

#include <QCoreApplication>

namespace Console {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Console::AuthTraceDetail", text);
}

QString escaped(const QString &text)
{
    return text.toHtmlEscaped();
}

QString cell(const QString &text, const char *tag = "td")
{
    const QString name = QString::fromLatin1(tag);
    return u'<' + name + QStringLiteral(" style=\"padding: 2px 8px\">") + text + QStringLiteral("</") + name +
           u'>';
}

QString field(const QString &label, const QString &value)
{
    return QStringLiteral("<tr>") + cell(QStringLiteral("<b>") + label + QStringLiteral("</b>")) +
           cell(value) + QStringLiteral("</tr>");
}

} // namespace

QString AuthTraceDetail::statusText(const Proxy::AuthTrace &trace)
{
    if (trace.status > 0)
        return QStringLiteral("%1 %2").arg(trace.status).arg(trace.reason).trimmed();
    return tr("passed (forwarded upstream)");
}

QString AuthTraceDetail::toHtml(const Proxy::AuthTrace &trace)
{
    QString html;
    const QString color = AuthTraceModel::verdictColor(trace.verdict).name();
    html += QStringLiteral("<p><span style=\"color:%1; font-weight:bold\">%2</span> &nbsp; %3</p>")
                .arg(color, escaped(Proxy::toString(trace.verdict)), escaped(trace.summary()));

    html += QStringLiteral("<table>");
    html += QStringLiteral("<tr>") + cell(tr("Header"), "th") + cell(tr("Value (masked)"), "th") +
            cell(tr("Outcome"), "th") + cell(tr("Key"), "th") + QStringLiteral("</tr>");
    for (const Proxy::AuthStep &step : trace.steps) {
        html += QStringLiteral("<tr>") + cell(escaped(step.header)) +
                cell(step.maskedValue.isEmpty() ? QStringLiteral("\u2014") : escaped(step.maskedValue)) +
                cell(escaped(step.rule.isEmpty() ? Proxy::toString(step.outcome)
                                                 : Proxy::toString(step.outcome) + QStringLiteral(" \u2014 ") + step.rule)) +
                cell(step.keyName.isEmpty() ? QStringLiteral("\u2014") : escaped(step.keyName)) +
                QStringLiteral("</tr>");
    }
    html += QStringLiteral("</table><p></p><table>");
    html += field(tr("Verdict"), escaped(Proxy::toString(trace.verdict)));
    html += field(tr("Status"), escaped(statusText(trace)));
    if (!trace.reason.isEmpty())
        html += field(tr("Reason"), escaped(trace.reason));
    if (!trace.policy.isEmpty())
        html += field(tr("Key policy"), escaped(trace.policy));
    html += field(tr("Source"), escaped(trace.source));
    if (!trace.keyName.isEmpty())
        html += field(tr("Key"), escaped(trace.keyName));
    html += field(
        tr("Time spent"),
        QStringLiteral("%1 \u00b5s").arg(Core::AuthTraceExport::durationUs(trace.durationNs), 0, 'f', 1));
    html += field(tr("Time"), escaped(AuthTraceModel::timeText(trace.time)) + QStringLiteral(" (") +
                                  escaped(Core::AuthTraceExport::isoTime(trace.time)) + u')');
    html += field(tr("Request"), escaped(trace.method + u' ' + trace.path));
    html += field(tr("Peer"), escaped(trace.peer));
    html += field(tr("Request id"), escaped(trace.requestId));
    html += QStringLiteral("</table>");
    return html;
}

} // namespace Console
