#pragma once

#include "engine/CompareTarget.h"
#include "net/CallOptions.h"
#include "providers/ChatRequest.h"

#include <QList>
#include <QMap>
#include <QString>

namespace parallax {

/// One request as the engine runs it: the profile, its fallback chain, and what to send.
struct RequestPlan {
    QString requestId;
    QList<CompareTarget> chain; ///< the profile first, then its fallbacks in order
    ChatRequest request;        ///< already sanitized: exactly what leaves the machine
    CallOptions call;
    bool useCache = true;
    QMap<QString, int> redactions; ///< counts by type, for the audit log
};

} // namespace parallax
