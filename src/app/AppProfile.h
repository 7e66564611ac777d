#pragma once

#include "providers/ProviderProfile.h"

#include <QString>

#include <optional>

namespace parallax {

/// A profile as the window knows it: the core's ProviderProfile plus the parameters the user set for
/// it. Keys are never part of it; they live in the KeyRing.
struct AppProfile {
    ProviderProfile profile;
    std::optional<double> temperature;
    std::optional<int> maxTokens;
    /// A demo profile (local simulator or detected Ollama): kept in memory only, never written to
    /// profiles.json, because its port changes with every start.
    bool demo = false;
    QString description; ///< shown as the chip's tooltip, e.g. "local simulator on 127.0.0.1:40123"

    QString name() const { return profile.name; }
};

} // namespace parallax
