#pragma once

#include "sanitize/SanitizedText.h"
#include "sanitize/Sanitizer.h"
#include "sanitize/Span.h"
#include "sanitize/Vault.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

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
///
/// The typed texts may use `{{variables}}`: what is sanitized and sent is the text with the values
/// filled in (rawSystem, rawPrompt), while the editor highlights what it holds (editorSpans).
struct PreparedPrompt {
    // Input.
    quint64 revision = 0; ///< the editor revision this was computed for
    QString typedSystem;
    QString typedPrompt;
    QHash<QString, QString> variables; ///< values of the `{{names}}` the texts use
    QSet<QString> allowOnce;           ///< values the user allowed for this request only
    std::shared_ptr<const Sanitizer> sanitizer;
    std::optional<PromptScan> previous; ///< the last scan of typedPrompt, when it may be reused

    // Result.
    QStringList variableNames;    ///< the names the texts use, in order of first use
    QStringList missingVariables; ///< names without a value: left as written, and Send refuses
    QString rawSystem;            ///< typedSystem with the variables filled in
    QString rawPrompt;            ///< typedPrompt with the variables filled in
    QList<Span> typedSpans;       ///< Sanitizer::detect(typedPrompt)
    QList<Span> editorSpans;      ///< typedSpans with the placeholders their values get in `user`
    SanitizedText system;
    SanitizedText user;
    Vault vault; ///< placeholders of both texts, in the order GenerationCommand creates them

    /// The scan of the typed prompt, for the next one.
    PromptScan scan() const { return {sanitizer, typedPrompt, typedSpans}; }

    int redactedCount() const { return int(system.redactedSpans().size() + user.redactedSpans().size()); }
};

} // namespace parallax
