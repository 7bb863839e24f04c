// SPDX-License-Identifier: MIT
#include "ui/overview/DeniedRequestsList.h"

#include "app/core/runtime/ProxyRuntime.h"
#include "app/core/storage/AuthEventRepository.h"

#include <QTextDocument>

#include <algorithm>

namespace Console {

namespace {

// How far back the history is searched for refused requests when the page opens.
constexpr int HistoryRows = 500;

} // namespace

DeniedRequestsList::DeniedRequestsList(Core::ProxyRuntime &runtime, QWidget *parent) : QListWidget(parent)
{
    setObjectName(QStringLiteral("overviewDenied"));
    setAccessibleName(tr("Last denied requests"));
    setAccessibleDescription(tr("Click a request to open it in the auth trace"));
    setToolTip(tr("Click a request to see every header the proxy looked at (Auth trace)"));
    setUniformItemSizes(true);
    setWordWrap(false);
    connect(&runtime, &Core::ProxyRuntime::authTraced, this, &DeniedRequestsList::prepend);
    connect(this, &QListWidget::itemClicked, this, &DeniedRequestsList::request);
    connect(this, &QListWidget::itemActivated, this, &DeniedRequestsList::request);

    if (runtime.database().isOpen())
        if (const auto history =
                Core::AuthEventRepository(runtime.database().connection()).recent(HistoryRows)) {
            QList<Proxy::AuthTrace> traces = history.value(); // newest first
            std::reverse(traces.begin(), traces.end());
            prepend(traces);
        }
    if (count() == 0)
        showPlaceholder();
}

bool DeniedRequestsList::isRefused(const Proxy::AuthTrace &trace)
{
    return trace.verdict == Proxy::AuthVerdict::Denied || trace.verdict == Proxy::AuthVerdict::Rejected ||
           trace.verdict == Proxy::AuthVerdict::Refused;
}

QString DeniedRequestsList::line(const Proxy::AuthTrace &trace)
{
    const QString reason = trace.reason.isEmpty() ? toString(trace.verdict) : trace.reason;
    return tr("%1  %2  %3 · %4 %5 from %6")
        .arg(trace.time.toLocalTime().toString(QStringLiteral("HH:mm:ss")))
        .arg(trace.status)
        .arg(reason.simplified(), trace.method, trace.path, trace.peer);
}

void DeniedRequestsList::prepend(const QList<Proxy::AuthTrace> &traces)
{
    bool added = false;
    for (const Proxy::AuthTrace &trace : traces) {
        if (!isRefused(trace))
            continue;
        if (!added && count() == 1 && item(0)->data(RequestIdRole).toString().isEmpty())
            delete takeItem(0); // the placeholder
        added = true;
        auto *item = new QListWidgetItem(line(trace));
        item->setData(RequestIdRole, trace.requestId);
        item->setData(TimeRole, trace.time);
        item->setToolTip(Qt::convertFromPlainText(trace.summary())); // a tooltip would render tags
        insertItem(0, item);
    }
    while (count() > Shown)
        delete takeItem(count() - 1);
}

void DeniedRequestsList::request(const QListWidgetItem *item)
{
    if (const QString id = item->data(RequestIdRole).toString(); !id.isEmpty())
        emit traceRequested(id, item->data(TimeRole).toDateTime());
}

void DeniedRequestsList::showPlaceholder()
{
    auto *item = new QListWidgetItem(tr("No request was denied."));
    item->setFlags(Qt::NoItemFlags);
    addItem(item);
}

} // namespace Console
