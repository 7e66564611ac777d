#pragma once

#include "app/AppProfile.h"
#include "engine/CompareTarget.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QStringList>

namespace parallax {

class ProfileLibrary;

/// The profiles a request goes to, each followed by the fallback chain saved for it in settings.json
/// ("fallback": {"name": ["ENTRY", ...]}), read the way parallax-cli reads it: an entry of the form
/// KIND:MODEL[@BASE_URL] is that model (its key from the environment, as on the command line), any
/// other entry the profile of that name. Entries that name no profile, the profile itself or one already
/// in the chain are left out, each with a sentence in problems().
class FallbackChains {
public:
    FallbackChains() = default;
    FallbackChains(const QList<AppProfile>& profiles, const QJsonObject& fallbackSection,
                   const ProfileLibrary& library);

    /// Per profile: the profile itself, then its fallbacks in order.
    const QList<QList<AppProfile>>& chains() const { return m_chains; }
    const QStringList& problems() const { return m_problems; }

    /// Every profile of every chain once, for KeyRing::keys().
    QList<QPair<QString, ProviderKind>> keyRequests() const;
    /// The profiles that need a key and have none in `keys`; a fallback is named with the profile whose
    /// chain it is in.
    QStringList missingKeys(const QHash<QString, QString>& keys) const;
    /// Per profile, the chain as the engine runs it, each hop with its key.
    QList<QList<CompareTarget>> targets(const QHash<QString, QString>& keys) const;

private:
    QList<QList<AppProfile>> m_chains;
    QStringList m_problems;
};

} // namespace parallax
