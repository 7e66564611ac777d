#pragma once

#include "providers/Answer.h"

#include <QString>

namespace parallax {

/// Turns a typed provider error into one clear sentence with what to do about it, e.g.
/// "401: check the API key of profile X".
class ErrorHint {
public:
    static QString sentence(const ProviderError& error, const QString& profileName);
};

} // namespace parallax
