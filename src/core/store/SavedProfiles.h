#pragma once

#include "providers/ProviderProfile.h"

#include <QList>
#include <QString>

#include <optional>

namespace parallax {

/// Profiles the user saved under a name, in `profiles.json` in the data folder:
/// `{"profiles": [{"name": "fast", "kind": "openai", "model": "gpt-4o-mini", "base_url": "…"}]}`.
/// Keys are never part of a profile; they live in the keychain or the environment.
class SavedProfiles {
public:
    /// Loads the file; a missing file is an empty list, a broken one an error sentence.
    static std::optional<QList<ProviderProfile>> load(const QString& filePath, QString* error);

    static std::optional<ProviderProfile> find(const QList<ProviderProfile>& profiles, const QString& name);
};

} // namespace parallax
