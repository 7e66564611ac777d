#include "FallbackChains.h"

#include "app/ProfileLibrary.h"
#include "providers/ProfileSpec.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>

namespace parallax {

namespace {
QString tr(const char* text) {
    return QCoreApplication::translate("parallax::FallbackChains", text);
}
} // namespace

FallbackChains::FallbackChains(const QList<AppProfile>& profiles, const QJsonObject& fallbackSection,
                               const ProfileLibrary& library) {
    for (const AppProfile& profile : profiles) {
        QList<AppProfile> chain{profile};
        for (const QJsonValue& value : fallbackSection.value(profile.name()).toArray()) {
            const QString entry = value.toString();
            std::optional<AppProfile> hop;
            // As ProfileResolver decides: the SPEC form first, then a saved profile's name.
            if (ProfileSpec::looksLikeSpec(entry)) {
                QString error;
                if (const std::optional<ProviderProfile> parsed = ProfileSpec::parse(entry, &error)) {
                    hop = AppProfile{};
                    hop->profile = *parsed;
                } else {
                    m_problems.append(
                        tr("The fallback chain of %1 has an entry that cannot be used (%2); it is "
                           "skipped.")
                            .arg(profile.name(), error));
                    continue;
                }
            } else {
                hop = library.find(entry);
                if (!hop) {
                    m_problems.append(tr("The fallback chain of %1 names “%2”, which is no profile; it is "
                                         "skipped.")
                                          .arg(profile.name(), entry));
                    continue;
                }
            }
            const bool loops = std::any_of(chain.begin(), chain.end(), [&hop](const AppProfile& earlier) {
                return earlier.name() == hop->name();
            });
            if (loops) {
                m_problems.append(tr("The fallback chain of %1 names %2, which is already in it; it is not "
                                     "tried twice.")
                                      .arg(profile.name(), entry));
                continue;
            }
            chain.append(*hop);
        }
        m_chains.append(chain);
    }
}

QList<QPair<QString, ProviderKind>> FallbackChains::keyRequests() const {
    QList<QPair<QString, ProviderKind>> wanted;
    QStringList seen;
    for (const QList<AppProfile>& chain : m_chains) {
        for (const AppProfile& hop : chain) {
            if (seen.contains(hop.name()))
                continue;
            seen.append(hop.name());
            wanted.append({hop.name(), hop.profile.kind});
        }
    }
    return wanted;
}

QStringList FallbackChains::missingKeys(const QHash<QString, QString>& keys) const {
    QStringList missing;
    for (const QList<AppProfile>& chain : m_chains) {
        for (qsizetype i = 0; i < chain.size(); ++i) {
            const AppProfile& hop = chain.at(i);
            if (!requiresApiKey(hop.profile.kind) || !keys.value(hop.name()).isEmpty())
                continue;
            const QString name =
                i == 0 ? hop.name()
                       : tr("%1 (in the fallback chain of %2)").arg(hop.name(), chain.first().name());
            if (!missing.contains(name))
                missing.append(name);
        }
    }
    return missing;
}

QList<QList<CompareTarget>> FallbackChains::targets(const QHash<QString, QString>& keys) const {
    QList<QList<CompareTarget>> targets;
    for (const QList<AppProfile>& chain : m_chains) {
        QList<CompareTarget> hops;
        for (const AppProfile& hop : chain)
            hops.append(CompareTarget{hop.profile, keys.value(hop.name())});
        targets.append(hops);
    }
    return targets;
}

} // namespace parallax
