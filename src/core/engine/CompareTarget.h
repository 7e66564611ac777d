#pragma once

#include "providers/ProviderProfile.h"

#include <QString>

namespace parallax {

/// One column of a comparison: a profile and the key to reach it (empty where none is needed).
struct CompareTarget {
    ProviderProfile profile;
    QString apiKey;
};

} // namespace parallax
