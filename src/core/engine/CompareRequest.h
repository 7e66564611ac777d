#pragma once

#include "engine/CompareTarget.h"
#include "net/CallOptions.h"
#include "providers/ChatRequest.h"

#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace parallax {

/// A comparison: one prompt, several columns (each a profile with its fallback chain), an optional
/// synthesizer.
struct CompareRequest {
    QString command = QStringLiteral("compare"); ///< as the history records it: "run" or "compare"
    QList<QList<CompareTarget>> columns;         ///< per column: the profile, then its fallbacks
    ChatRequest request;                         ///< already sanitized
    CallOptions call;
    bool useCache = true;
    QMap<QString, int> redactions;
    std::optional<CompareTarget> synthesizer;
    QString synthesisTemplate; ///< empty: the built-in template
};

} // namespace parallax
