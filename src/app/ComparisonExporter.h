#pragma once

#include "providers/Answer.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace parallax {

/// A finished comparison as Markdown (to paste or keep), JSON (the CLI's `compare --json` answer
/// objects) or HTML (a page to share: the answers side by side, rendered). Holds the prompt as it was
/// sent — placeholders, not the masked values — and never a key.
class ComparisonExporter {
public:
    enum class Format { Markdown, Json, Html };

    static QString toMarkdown(const QString& systemPrompt, const QString& prompt,
                              const QList<Answer>& answers);
    static QByteArray toJson(const QString& systemPrompt, const QString& prompt,
                             const QList<Answer>& answers);
    /// One self-contained page (inline styles, no scripts, nothing loaded from elsewhere). Answers are
    /// rendered from their Markdown with any HTML in them dropped, and the page's content security
    /// policy forbids scripts, so an answer cannot run code in the reader's browser.
    static QString toHtml(const QString& systemPrompt, const QString& prompt, const QList<Answer>& answers);
    static QByteArray encode(Format format, const QString& systemPrompt, const QString& prompt,
                             const QList<Answer>& answers);
    /// The file name suffix ("md", "json", "html").
    static QString suffix(Format format);
};

} // namespace parallax
