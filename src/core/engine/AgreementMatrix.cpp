#include "AgreementMatrix.h"

#include <QHash>
#include <QJsonArray>

#include <cmath>

namespace parallax {

namespace {

QHash<QString, double> wordCounts(const QString& text) {
    QHash<QString, double> counts;
    QString word;
    const auto flush = [&] {
        if (word.size() > 1)
            counts[word] += 1.0;
        word.clear();
    };
    for (const QChar c : text) {
        if (c.isLetterOrNumber())
            word += c.toLower();
        else
            flush();
    }
    flush();
    return counts;
}

double cosine(const QHash<QString, double>& a, const QHash<QString, double>& b) {
    double dot = 0, normA = 0, normB = 0;
    for (auto it = a.begin(); it != a.end(); ++it) {
        normA += it.value() * it.value();
        if (auto other = b.constFind(it.key()); other != b.constEnd())
            dot += it.value() * other.value();
    }
    for (double value : b)
        normB += value * value;
    if (normA == 0 || normB == 0)
        return 0;
    return dot / (std::sqrt(normA) * std::sqrt(normB));
}

} // namespace

QList<QList<std::optional<double>>> AgreementMatrix::compute(const QList<std::optional<QString>>& texts) {
    QList<std::optional<QHash<QString, double>>> vectors;
    for (const auto& text : texts)
        vectors.append(text ? std::optional(wordCounts(*text)) : std::nullopt);
    QList<QList<std::optional<double>>> matrix(texts.size(), QList<std::optional<double>>(texts.size()));
    for (qsizetype i = 0; i < texts.size(); ++i) {
        for (qsizetype j = i; j < texts.size(); ++j) {
            if (!vectors[i] || !vectors[j])
                continue;
            const double similarity = i == j ? 1.0 : cosine(*vectors[i], *vectors[j]);
            matrix[i][j] = similarity;
            matrix[j][i] = similarity;
        }
    }
    return matrix;
}

QJsonObject AgreementMatrix::toJson(const QStringList& profiles,
                                    const QList<QList<std::optional<double>>>& matrix) {
    QJsonArray rows;
    for (const auto& row : matrix) {
        QJsonArray cells;
        for (const auto& cell : row)
            cells.append(cell ? QJsonValue(std::round(*cell * 1000.0) / 1000.0)
                              : QJsonValue(QJsonValue::Null));
        rows.append(cells);
    }
    return QJsonObject{{"profiles", QJsonArray::fromStringList(profiles)}, {"matrix", rows}};
}

} // namespace parallax
