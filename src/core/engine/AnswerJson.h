#pragma once

#include "providers/Answer.h"

#include <QJsonObject>

namespace parallax {

/// The answer object of the CLI's `--json` contract (PRODUCT.md); unknown values are null.
class AnswerJson {
public:
    static QJsonObject toJson(const Answer& answer);
};

} // namespace parallax
