#pragma once

#include "providers/Answer.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace parallax {

/// A finished comparison as Markdown (to paste or keep) or JSON (the CLI's `compare --json` answer
/// objects). Holds the prompt as it was sent — placeholders, not the masked values — and never a key.
class ComparisonExporter {
public:
    static QString toMarkdown(const QString& systemPrompt, const QString& prompt,
                              const QList<Answer>& answers);
    static QByteArray toJson(const QString& systemPrompt, const QString& prompt,
                             const QList<Answer>& answers);
};

} // namespace parallax
