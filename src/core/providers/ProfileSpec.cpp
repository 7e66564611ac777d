#include "ProfileSpec.h"

#include <QRegularExpression>

namespace parallax {

bool ProfileSpec::looksLikeSpec(const QString& text) {
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    return colon > 0 && providerKindFromName(QStringView(text).first(colon)).has_value();
}

std::optional<ProviderProfile> ProfileSpec::parse(const QString& spec, QString* error) {
    const auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const qsizetype colon = spec.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return fail(QStringLiteral("'%1' is not a SPEC: expected KIND:MODEL[@BASE_URL] with KIND one of %2")
                        .arg(spec, providerKindNames().join(QStringLiteral(", "))));
    const auto kind = providerKindFromName(QStringView(spec).first(colon));
    if (!kind)
        return fail(QStringLiteral("unknown provider kind '%1' in '%2': use one of %3")
                        .arg(spec.first(colon), spec, providerKindNames().join(QStringLiteral(", "))));

    QString rest = spec.mid(colon + 1);
    QString baseUrl = defaultBaseUrl(*kind);
    // The base URL starts at an '@' followed by a scheme, so models with '@' in their name still work.
    static const QRegularExpression urlStart(QStringLiteral("@(?=[A-Za-z][A-Za-z0-9+.-]*://)"));
    if (const auto match = urlStart.match(rest); match.hasMatch()) {
        baseUrl = rest.mid(match.capturedEnd());
        rest = rest.left(match.capturedStart());
    }
    if (rest.trimmed().isEmpty())
        return fail(QStringLiteral("'%1' names no model: expected KIND:MODEL[@BASE_URL]").arg(spec));

    const QUrl url(baseUrl, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty() ||
        (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")))
        return fail(QStringLiteral("'%1' is not a usable base URL: expected http:// or https:// and a host")
                        .arg(baseUrl));
    if (!url.userInfo().isEmpty())
        return fail(QStringLiteral(
                        "the base URL in '%1' holds credentials; supply keys through the environment or the "
                        "keychain instead")
                        .arg(spec.left(colon + 1) + rest));

    ProviderProfile profile;
    profile.name = spec;
    profile.kind = *kind;
    profile.model = rest.trimmed();
    profile.baseUrl = url;
    return profile;
}

} // namespace parallax
