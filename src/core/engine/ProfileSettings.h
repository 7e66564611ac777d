#pragma once

#include "engine/SanitizePolicy.h"
#include "store/Settings.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace parallax {

/// A profile's entries in settings.json, read and written where the engine and parallax-cli look for
/// them: its endpoint's "rate_limits" (the key RateLimiter applies), its "fallback" chain and its place
/// in the "sanitize" lists (see SanitizerConfig). Everything else in the file is left as it is.
class ProfileSettings {
public:
    struct RateLimits {
        std::optional<double> requestsPerMinute; ///< empty: no limit of our own
        std::optional<double> tokensPerMinute;

        bool operator==(const RateLimits&) const = default;
    };

    /// The "rate_limits" key for this endpoint: the entry the limiter applies now, else the one a new
    /// entry is written under. Every profile at the endpoint shares it.
    static QString rateLimitKey(const Settings& settings, const QUrl& baseUrl);
    static RateLimits rateLimits(const Settings& settings, const QUrl& baseUrl);
    /// Writes the limits under rateLimitKey(); with neither set, the endpoint's own fields are removed
    /// (and the entry with them when nothing else is in it).
    static void setRateLimits(Settings& settings, const QUrl& baseUrl, const RateLimits& limits);

    /// The chain saved for a profile: profile names and KIND:MODEL[@BASE_URL] entries, in order.
    static QStringList fallbackChain(const Settings& settings, const QString& profile);
    /// An empty chain removes the profile's entry.
    static void setFallbackChain(Settings& settings, const QString& profile, const QStringList& chain);

    static SanitizePolicy sanitizePolicy(const Settings& settings, const QString& profile);
    static void setSanitizePolicy(Settings& settings, const QString& profile, SanitizePolicy policy);

    /// A renamed profile keeps its chain, its place in other profiles' chains and its sanitize policy.
    static void renameProfile(Settings& settings, const QString& from, const QString& to);
    /// A removed profile's chain and policy go, and it leaves the chains it was in (parallax-cli would
    /// refuse a chain naming a profile that does not exist).
    static void removeProfile(Settings& settings, const QString& name);
};

} // namespace parallax
