#pragma once

#include "ProviderProtocol.h"

namespace parallax::mock {

/// OpenAI Chat Completions (and every OpenAI-compatible server): SSE `data:` lines, `[DONE]`.
class OpenAiProtocol : public ProviderProtocol {
public:
    QString name() const override { return QStringLiteral("openai"); }
    QByteArray presentedKey(const HttpRequest& request) const override;
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

    /// Go duration as in OpenAI's x-ratelimit-reset-* headers: "20ms", "1s", "2m59.56s", "6m0s".
    static QByteArray goDuration(qint64 ms);

private:
    QByteArray chunk(const ResponseContext& context, const QByteArray& delta, const char* finishReason) const;
    QByteArray usage(const ResponseContext& context) const;
};

} // namespace parallax::mock
