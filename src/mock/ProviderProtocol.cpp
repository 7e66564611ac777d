#include "ProviderProtocol.h"

#include <QJsonArray>

namespace parallax::mock {

std::optional<QString> ProviderProtocol::checkHeaders(const HttpRequest& /*request*/) const {
    return std::nullopt;
}

HeaderList ProviderProtocol::identityHeaders(const ResponseContext& /*context*/) const {
    return {};
}

HeaderList ProviderProtocol::rateLimitHeaders(const RateLimitState& /*state*/) const {
    return {};
}

QByteArray ProviderProtocol::streamContentType(const ResponseContext& /*context*/) const {
    return "text/event-stream";
}

QString ProviderProtocol::textOf(const QJsonValue& content) {
    if (content.isString())
        return content.toString();
    QStringList parts;
    if (content.isArray()) {
        for (const QJsonValue& part : content.toArray()) {
            const QJsonObject object = part.toObject();
            if (object.value(QLatin1String("text")).isString())
                parts.append(object.value(QLatin1String("text")).toString());
            else if (object.value(QLatin1String("content")).isString()) // Anthropic tool_result
                parts.append(object.value(QLatin1String("content")).toString());
        }
    }
    return parts.join(QLatin1Char('\n'));
}

} // namespace parallax::mock
