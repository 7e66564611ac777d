#pragma once

#include "sanitize/Span.h"
#include "sanitize/Vault.h"

#include <QList>
#include <QString>

namespace parallax {

/// The result of Sanitizer::sanitize(): exactly what leaves the machine, and how to undo it.
struct SanitizedText {
    /// The outgoing text. The preview shows this string; the request, cache key, history and
    /// audit use the very same string.
    QString text;
    /// Every span found, in input order, offsets into the *input* text (UTF-16). A span with an
    /// empty `placeholder` was left in place (mode Allow, allowlisted, allowed once, or a
    /// suggestion that is not enabled); the others carry the string that replaced them.
    QList<Span> spans;
    /// Where each replacement lies in `text`, in the order of redactedSpans(): what the preview marks.
    QList<TextRange> placeholderRanges;
    /// Placeholder -> value for restoring the answer (Restorer).
    Vault vault;

    /// The spans that were actually replaced.
    QList<Span> redactedSpans() const {
        QList<Span> list;
        for (const Span& span : spans) {
            if (!span.placeholder.isEmpty())
                list.append(span);
        }
        return list;
    }
};

} // namespace parallax
