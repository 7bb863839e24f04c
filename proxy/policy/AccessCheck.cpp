// SPDX-License-Identifier: MIT
#include "proxy/policy/AccessCheck.h"

namespace Proxy {

PolicyDecision checkAccess(const KeyPolicy &policy, const QString &model, const QString &effort)
{
    PolicyDecision decision;
    QStringList steps;
    if (!policy.allowedModels.isEmpty()) {
        if (!policy.allowedModels.contains(model)) {
            decision.status = 403;
            decision.type = QStringLiteral("permission_error");
            decision.code = QStringLiteral("model_not_allowed");
            decision.message = QStringLiteral("This API key does not have access to model '%1'").arg(model);
            decision.trace = QStringLiteral("model %1 not allowed \u2192 403").arg(model.isEmpty() ? QStringLiteral("(none)") : model);
            return decision;
        }
        steps.append(QStringLiteral("model %1 allowed").arg(model));
    }
    if (!policy.allowedEfforts.isEmpty() && !effort.isEmpty()) {
        if (!policy.allowedEfforts.contains(effort)) {
            decision.status = 403;
            decision.type = QStringLiteral("permission_error");
            decision.code = QStringLiteral("reasoning_effort_not_allowed");
            decision.message =
                QStringLiteral("This API key does not have access to reasoning effort '%1'").arg(effort);
            decision.param = QStringLiteral("reasoning.effort");
            decision.trace = QStringLiteral("effort %1 not allowed \u2192 403").arg(effort);
            return decision;
        }
        steps.append(QStringLiteral("effort %1 allowed").arg(effort));
    }
    decision.trace = steps.join(QStringLiteral("; "));
    return decision;
}

} // namespace Proxy
