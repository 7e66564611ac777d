#pragma once

#include "providers/Answer.h"

#include <QJsonObject>

namespace parallax {

/// The answer object of the CLI's `--json` contract (PRODUCT.md); unknown values are null.
class AnswerJson {
public:
    static QJsonObject toJson(const Answer& answer);
    /// The same object as compact JSON text, byte for byte what QJsonDocument writes for toJson(), but
    /// written directly: batches, the cache and the history store one per request.
    static QByteArray toCompactJson(const Answer& answer);
    static QString toCompactText(const Answer& answer) { return QString::fromUtf8(toCompactJson(answer)); }
    /// The inverse of toJson, for answers read back from the cache and the history.
    static Answer fromJson(const QJsonObject& object);
};

} // namespace parallax
