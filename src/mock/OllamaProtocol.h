#pragma once

#include "ProviderProtocol.h"

namespace parallax::mock {

/// Ollama's native /api/chat and /api/generate: NDJSON, streaming unless "stream":false.
class OllamaProtocol : public ProviderProtocol {
public:
    QString name() const override { return QStringLiteral("ollama"); }
    QByteArray presentedKey(const HttpRequest& request) const override;
    /// Local Ollama has no auth, and clients send none.
    bool checksAuth() const override { return false; }
    std::optional<QString> parse(const QJsonObject& body, const HttpRequest& request,
                                 GenerationRequest& out) const override;
    ErrorResponse error(int status, const QString& message, int retryAfterSeconds) const override;
    QString newResponseId(quint64 random) const override;

    QByteArray streamContentType(const ResponseContext& context) const override;
    QByteArray streamStart(ResponseContext& context) const override;
    QByteArray streamToken(ResponseContext& context, int index, bool last) const override;
    QByteArray streamFinish(ResponseContext& context) const override;
    QByteArray streamError(ResponseContext& context) const override;
    QByteArray streamMalformed(ResponseContext& context) const override;
    QByteArray fullBody(ResponseContext& context) const override;
    QByteArray fullContentType() const override { return "application/json; charset=utf-8"; }

    /// GET /api/tags
    static QByteArray tagsBody();

private:
    QByteArray line(const ResponseContext& context, const QString& text, bool done) const;
};

} // namespace parallax::mock
