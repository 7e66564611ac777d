#pragma once

#include "engine/CompareTarget.h"
#include "net/CallOptions.h"
#include "providers/ChatRequest.h"
#include "sanitize/Sanitizer.h"
#include "sanitize/Vault.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <memory>
#include <optional>

namespace parallax {

/// A comparison: one prompt, several columns (each a profile with its fallback chain), an optional
/// synthesizer.
struct CompareRequest {
    /// A column's own sampling parameters (unset: the provider's default).
    struct Parameters {
        std::optional<double> temperature;
        std::optional<int> maxTokens;

        /// As the history records them: {"max_tokens", "temperature"}, null where unset.
        QJsonObject toJson() const;
        static Parameters fromJson(const QJsonObject& json);
    };

    QString command = QStringLiteral("compare"); ///< as the history records it: "run" or "compare"
    QList<QList<CompareTarget>> columns;         ///< per column: the profile, then its fallbacks
    ChatRequest request; ///< sanitized: exactly what the preview showed and what leaves the machine
    CallOptions call;
    bool useCache = true;
    QMap<QString, int> redactions;
    std::optional<CompareTarget> synthesizer;
    QString synthesisTemplate; ///< empty: the built-in template

    /// Sanitization. Without a sanitizer, `request` is sent to every column as it is.
    std::shared_ptr<const Sanitizer> sanitizer;
    Vault vault;                    ///< the placeholders in `request`, to restore answers locally
    ChatRequest rawRequest;         ///< as typed, for columns that send raw (a local model)
    QList<bool> columnSanitized;    ///< per column; missing entries mean sanitized
    bool synthesisSanitized = true; ///< whether the synthesizer gets placeholders or real values

    /// Per column, when given: its profile's parameters, replacing those of `request` (the window's
    /// profiles each carry their own; parallax-cli sets one set for every column and gives none).
    QList<Parameters> columnParameters;
    /// The synthesizer's own parameters, when given; else those of `request`.
    std::optional<Parameters> synthesisParameters;

    bool sanitizes(qsizetype column) const { return sanitizer && columnSanitized.value(column, true); }
};

} // namespace parallax
