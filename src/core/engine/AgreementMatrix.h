#pragma once

#include <QJsonObject>
#include <QList>
#include <QStringList>

#include <optional>

namespace parallax {

/// How much the answers agree, computed locally and for free: the cosine similarity of each pair's
/// normalized word counts (lower-cased letters and digits, words of one character dropped). 1 means
/// the same words in the same proportions, 0 no word in common. Deterministic. A failed answer has no
/// row (null).
class AgreementMatrix {
public:
    /// `texts[i]` empty optional: answer i failed.
    static QList<QList<std::optional<double>>> compute(const QList<std::optional<QString>>& texts);

    /// {"profiles": [...], "matrix": [[1.0, 0.42], [0.42, 1.0]]}, values rounded to three decimals.
    static QJsonObject toJson(const QStringList& profiles, const QList<QList<std::optional<double>>>& matrix);
};

} // namespace parallax
