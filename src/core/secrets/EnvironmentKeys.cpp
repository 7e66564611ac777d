#include "EnvironmentKeys.h"

namespace parallax {

std::optional<QString> EnvironmentKeys::keyFor(ProviderKind kind) {
    const QString variable = apiKeyVariable(kind);
    if (variable.isEmpty())
        return std::nullopt;
    const QString value = qEnvironmentVariable(variable.toLatin1().constData()).trimmed();
    if (value.isEmpty())
        return std::nullopt;
    return value;
}

} // namespace parallax
