#pragma once

#include "ProviderProtocol.h"

namespace parallax::mock {

/// Anthropic Messages: SSE with `event:` names, message_start ... message_stop.
class AnthropicProtocol : public ProviderProtocol {
public:
    QString name() const override { return QStringLiteral("anthropic"); }
    QByteArray presentedKey(const HttpRequest& request) const override;
    std::optional<QString> checkHeaders(const HttpRequest& request) const override;
    std::optional<QString> parse(const QJsonObject& body, const HttpRequest& request,
                                 GenerationRequest& out) const override;
    ErrorResponse error(int status, const QString& message, int retryAfterSeconds) const override;
    HeaderList identityHeaders(const ResponseContext& context) const override;
    HeaderList rateLimitHeaders(const RateLimitState& state) const override;
    QString newResponseId(quint64 random) const override;

    QByteArray streamStart(ResponseContext& context) const override;
    QByteArray streamToken(ResponseContext& context, int index, bool last) const override;
    QByteArray streamFinish(ResponseContext& context) const override;
    QByteArray streamError(ResponseContext& context) const override;
    QByteArray streamMalformed(ResponseContext& context) const override;
    QByteArray fullBody(ResponseContext& context) const override;
};

} // namespace parallax::mock
