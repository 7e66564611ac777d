#pragma once

#include <QList>
#include <QPair>
#include <QString>

namespace parallax {

/// The request that turns several answers into one: a template (editable: `synthesis_template.txt` in
/// the data folder, else the built-in one) with {{question}}, {{answers}} and {{labels}} filled in.
/// Answers are labelled [A], [B], … in column order; failed answers are left out.
class SynthesisPrompt {
public:
    static QString builtInTemplate();
    /// The user's template from the data folder if there is one, else the built-in template.
    static QString templateFor(const QString& dataDirectory);

    static QString label(int index); ///< 0 → "A", 25 → "Z", 26 → "AA"

    /// `answers`: (label, text) in order.
    static QString build(const QString& templateText, const QString& question,
                         const QList<QPair<QString, QString>>& answers);
};

} // namespace parallax
