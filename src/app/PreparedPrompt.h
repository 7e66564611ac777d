#pragma once

#include "sanitize/SanitizedText.h"
#include "sanitize/Sanitizer.h"
#include "sanitize/Span.h"
#include "sanitize/Vault.h"

#include <QList>
#include <QSet>
#include <QString>

#include <memory>
#include <optional>

namespace parallax {

/// A prompt as scanned before: lets the next scan re-detect only what an edit changed.
struct PromptScan {
    std::shared_ptr<const Sanitizer> sanitizer; ///< the spans hold only for this sanitizer
    QString text;
    QList<Span> spans; ///< sanitizer->detect(text)
};

/// What the editor typed, what the sanitizer found in it, and what will leave the machine. The very
/// same `system` and `user` texts are shown in the preview and put into the CompareRequest.
struct PreparedPrompt {
    quint64 revision = 0; ///< the editor revision this was computed for
    QString rawSystem;
    QString rawPrompt;
    QSet<QString> allowOnce; ///< values the user allowed for this request only
    QList<Span> promptSpans; ///< Sanitizer::detect on the prompt (user.spans adds their placeholders)
    SanitizedText system;
    SanitizedText user;
    Vault vault; ///< placeholders of both texts, in the order GenerationCommand creates them
    std::shared_ptr<const Sanitizer> sanitizer;
    std::optional<PromptScan> previous; ///< input only: the last scan, when it may be reused

    /// The scan of this prompt, for the next one.
    PromptScan scan() const { return {sanitizer, rawPrompt, promptSpans}; }

    int redactedCount() const { return int(system.redactedSpans().size() + user.redactedSpans().size()); }
};

} // namespace parallax
