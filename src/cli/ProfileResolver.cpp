#include "ProfileResolver.h"

#include "cli/KeychainKeys.h"
#include "providers/ProfileSpec.h"
#include "secrets/EnvironmentKeys.h"
#include "store/DataDirectory.h"
#include "store/SavedProfiles.h"

#include <QJsonArray>

namespace parallax::cli {

namespace {
CliError usage(const QString& message) {
    return CliError{message, ExitUsage};
}
} // namespace

std::variant<ProviderProfile, CliError> ProfileResolver::resolve(const QString& spec) {
    if (ProfileSpec::looksLikeSpec(spec)) {
        QString error;
        if (auto profile = ProfileSpec::parse(spec, &error))
            return *profile;
        return usage(error);
    }
    if (!m_saved) {
        QString error;
        m_saved = SavedProfiles::load(DataDirectory::filePath(QStringLiteral("profiles.json")), &error);
        if (!m_saved)
            return usage(error);
    }
    if (auto profile = SavedProfiles::find(*m_saved, spec))
        return *profile;
    return usage(QStringLiteral("'%1' is neither KIND:MODEL[@BASE_URL] (KIND one of %2) nor a saved profile")
                     .arg(spec, providerKindNames().join(QStringLiteral(", "))));
}

std::optional<CliError> ProfileResolver::resolveAll(const QStringList& specs,
                                                    const QStringList& fallbackSpecs,
                                                    QList<ProviderProfile>& profiles,
                                                    QHash<QString, QList<ProviderProfile>>& fallbacks) {
    for (const QString& spec : specs) {
        auto profile = resolve(spec);
        if (auto* error = std::get_if<CliError>(&profile))
            return *error;
        profiles.append(std::get<ProviderProfile>(profile));
    }
    QList<ProviderProfile> commandLineFallbacks;
    for (const QString& spec : fallbackSpecs) {
        auto profile = resolve(spec);
        if (auto* error = std::get_if<CliError>(&profile))
            return *error;
        commandLineFallbacks.append(std::get<ProviderProfile>(profile));
    }
    // Each profile's fallback chain: --fallback given here, else the chain saved for it in settings.json.
    for (const ProviderProfile& profile : std::as_const(profiles)) {
        if (!commandLineFallbacks.isEmpty()) {
            fallbacks.insert(profile.name, commandLineFallbacks);
            continue;
        }
        if (!m_settings) {
            QString error;
            m_settings = Settings::load(DataDirectory::filePath(QStringLiteral("settings.json")), &error);
            if (!m_settings)
                return usage(error);
        }
        for (const QJsonValue& value :
             m_settings->section(QStringLiteral("fallback")).value(profile.name).toArray()) {
            auto fallback = resolve(value.toString());
            if (auto* error = std::get_if<CliError>(&fallback))
                return usage(QStringLiteral("the fallback chain of '%1' in settings.json: %2")
                                 .arg(profile.name, error->message));
            fallbacks[profile.name].append(std::get<ProviderProfile>(fallback));
        }
    }
    return std::nullopt;
}

std::variant<CompareTarget, CliError> ProfileResolver::target(const ProviderProfile& profile) {
    // A saved profile's own key (stored by the window in the keychain) before the kind's variable.
    const bool saved = !ProfileSpec::looksLikeSpec(profile.name);
    std::optional<QString> key;
    if (saved && requiresApiKey(profile.kind))
        key = KeychainKeys::keyFor(profile.name);
    if (!key)
        key = EnvironmentKeys::keyFor(profile.kind);
    if (!key && requiresApiKey(profile.kind)) {
        return usage(saved ? QStringLiteral("profile '%1' needs an API key: store it for this profile in the "
                                            "window (Providers, kept in the keychain) or set %2 in the "
                                            "environment (keys are never taken on the command line)")
                                 .arg(profile.name, apiKeyVariable(profile.kind))
                           : QStringLiteral("profile '%1' needs an API key: set %2 in the environment "
                                            "(keys are never taken on the command line)")
                                 .arg(profile.name, apiKeyVariable(profile.kind)));
    }
    return CompareTarget{profile, key.value_or(QString())};
}

std::variant<QList<CompareTarget>, CliError> ProfileResolver::chain(const ProviderProfile& profile,
                                                                    const QList<ProviderProfile>& fallbacks) {
    QList<CompareTarget> targets;
    for (const ProviderProfile& hop : QList<ProviderProfile>{profile} + fallbacks) {
        auto resolved = target(hop);
        if (auto* error = std::get_if<CliError>(&resolved))
            return *error;
        targets.append(std::get<CompareTarget>(resolved));
    }
    return targets;
}

} // namespace parallax::cli
