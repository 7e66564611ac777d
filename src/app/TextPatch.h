#pragma once

#include <QString>

class QTextDocument;

namespace parallax {

/// Brings a plain-text document from one text to another by replacing only the stretch between their
/// common prefix and suffix. A preview that follows a megabyte of prompt then re-lays out the paragraph
/// being typed in, not the whole text (setPlainText would).
class TextPatch {
public:
    /// `document` holds `shown` (as QTextDocument::toPlainText() would give it); afterwards it holds
    /// `wanted`. Falls back to replacing everything when the document does not hold `shown`.
    static void apply(QTextDocument* document, const QString& shown, const QString& wanted);
};

} // namespace parallax
