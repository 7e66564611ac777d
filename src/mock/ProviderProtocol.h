#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include "ErrorResponse.h"
#include "HttpRequest.h"
#include "RateLimitState.h"
#include "ResponseContext.h"

namespace parallax::mock {

/// The server side of one provider protocol. Each subclass writes its own bytes: the mock never
/// shares code with the client's parsers, so a misunderstanding cannot hide on both sides.
class ProviderProtocol {
public:
    virtual ~ProviderProtocol() = default;

    virtual QString name() const = 0;
    /// The key the client presented, or empty. Not asked when checksAuth() is false.
    virtual QByteArray presentedKey(const HttpRequest& request) const = 0;
    virtual bool checksAuth() const { return true; }
    /// A header-level problem that must be answered with 400 before the body is read.
    virtual std::optional<QString> checkHeaders(const HttpRequest& request) const;
    /// Reads the JSON body; returns a message for a 400 when it is not a valid request.
    virtual std::optional<QString> parse(const QJsonObject& body, const HttpRequest& request,
                                         GenerationRequest& out) const = 0;

    /// The protocol's error body for an HTTP status; 429s carry retry information.
    virtual ErrorResponse error(int status, const QString& message, int retryAfterSeconds) const = 0;
    virtual HeaderList identityHeaders(const ResponseContext& context) const;
    virtual HeaderList rateLimitHeaders(const RateLimitState& state) const;
    virtual QString newResponseId(quint64 random) const = 0;

    virtual QByteArray streamContentType(const ResponseContext& context) const;
    virtual QByteArray streamStart(ResponseContext& context) const = 0;
    /// One token; `last` is true for the answer's final token.
    virtual QByteArray streamToken(ResponseContext& context, int index, bool last) const = 0;
    virtual QByteArray streamFinish(ResponseContext& context) const = 0;
    virtual QByteArray streamError(ResponseContext& context) const = 0;
    virtual QByteArray streamMalformed(ResponseContext& context) const = 0;
    virtual QByteArray fullBody(ResponseContext& context) const = 0;
    virtual QByteArray fullContentType() const { return "application/json"; }

protected:
    /// Message texts from a string or an array of {type:"text",text} parts/blocks.
    static QString textOf(const QJsonValue& content);
};

} // namespace parallax::mock
