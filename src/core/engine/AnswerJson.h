#pragma once

#include "providers/Answer.h"

#include <QJsonObject>

namespace parallax {

/// The answer object of the CLI's `--json` contract (PRODUCT.md); unknown values are null.
class AnswerJson {
public:
    static QJsonObject toJson(const Answer& answer);
    /// The inverse of toJson, for answers read back from the cache and the history.
    static Answer fromJson(const QJsonObject& object);
};

} // namespace parallax
