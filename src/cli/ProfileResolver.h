#pragma once

#include "cli/CliError.h"
#include "engine/CompareTarget.h"
#include "providers/ProviderProfile.h"
#include "store/Settings.h"

#include <QHash>
#include <QList>
#include <QStringList>

#include <optional>
#include <variant>

namespace parallax::cli {

/// Turns what the user typed into profiles: a SPEC (`KIND:MODEL[@BASE_URL]`) or the name of a saved
/// profile (profiles.json), each with its fallback chain (--fallback, else the chain saved in
/// settings.json), and finally into targets with their keys: a saved profile's from the keychain (where
/// the window stores it), else the kind's environment variable.
class ProfileResolver {
public:
    std::variant<ProviderProfile, CliError> resolve(const QString& spec);

    /// Resolves every profile and its fallback chain; an error names the SPEC that is wrong.
    std::optional<CliError> resolveAll(const QStringList& specs, const QStringList& fallbackSpecs,
                                       QList<ProviderProfile>& profiles,
                                       QHash<QString, QList<ProviderProfile>>& fallbacks);

    /// The profile with its key; a missing required key is an error naming the variable.
    static std::variant<CompareTarget, CliError> target(const ProviderProfile& profile);

    /// The profile then its fallbacks, each with its key.
    static std::variant<QList<CompareTarget>, CliError> chain(const ProviderProfile& profile,
                                                              const QList<ProviderProfile>& fallbacks);

private:
    std::optional<QList<ProviderProfile>> m_saved;
    std::optional<Settings> m_settings;
};

} // namespace parallax::cli
