#pragma once

#include "ProviderProtocol.h"

namespace parallax::mock {

/// Gemini Developer API generateContent / streamGenerateContent: with alt=sse, `data:` events
/// separated by CRLF CRLF and no end marker; without it, a JSON array streamed in pieces.
class GeminiProtocol : public ProviderProtocol {
public:
    enum class Method { Generate, StreamGenerate, Unknown };

    /// True for /v1beta/models/... and /v1/models/... paths (which belong to Gemini even when the
    /// model or method is wrong, so they get Gemini's 404).
    static bool ownsPath(const QByteArray& path);
    /// Splits /v1beta/models/{model}:{method}.
    static Method method(const QByteArray& path, QString* model = nullptr);

    QString name() const override { return QStringLiteral("gemini"); }
    QByteArray presentedKey(const HttpRequest& request) const override;
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

private:
    QByteArray response(const ResponseContext& context, const QString& text, bool withFinish) const;
    QByteArray frame(ResponseContext& context, const QByteArray& json) const;
};

} // namespace parallax::mock
