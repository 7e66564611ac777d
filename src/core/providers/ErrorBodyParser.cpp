#include "ErrorBodyParser.h"

#include "net/RetryAfterParser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <array>

namespace parallax {

namespace {

struct CodeMapping {
    const char* code;
    ErrorType type;
};

// Provider error codes/types, lower-cased: OpenAI `code`/`type`, Anthropic `error.type`, Gemini `status`.
constexpr std::array<CodeMapping, 26> kCodes{{
    {"authentication_error", ErrorType::Auth},
    {"invalid_api_key", ErrorType::Auth},
    {"unauthenticated", ErrorType::Auth},
    {"permission_error", ErrorType::Permission},
    {"permission_denied", ErrorType::Permission},
    {"billing_error", ErrorType::Permission},
    {"not_found_error", ErrorType::NotFound},
    {"not_found", ErrorType::NotFound},
    {"model_not_found", ErrorType::NotFound},
    {"invalid_request_error", ErrorType::InvalidRequest},
    {"invalid_argument", ErrorType::InvalidRequest},
    {"failed_precondition", ErrorType::InvalidRequest},
    {"bad_request", ErrorType::InvalidRequest},
    {"request_too_large", ErrorType::ContextLength},
    {"context_length_exceeded", ErrorType::ContextLength},
    {"rate_limit_error", ErrorType::RateLimited},
    {"rate_limit_exceeded", ErrorType::RateLimited},
    {"resource_exhausted", ErrorType::RateLimited},
    {"insufficient_quota", ErrorType::RateLimited},
    {"overloaded_error", ErrorType::Overloaded},
    {"server_is_overloaded", ErrorType::Overloaded},
    {"unavailable", ErrorType::Overloaded},
    {"api_error", ErrorType::Server},
    {"server_error", ErrorType::Server},
    {"internal", ErrorType::Server},
    {"timeout_error", ErrorType::Timeout},
}};

std::optional<ErrorType> typeForCode(const QString& code) {
    const QString lower = code.toLower();
    if (lower == QLatin1String("deadline_exceeded"))
        return ErrorType::Timeout;
    for (const auto& mapping : kCodes) {
        if (lower == QLatin1String(mapping.code))
            return mapping.type;
    }
    return std::nullopt;
}

bool looksLikeContextLength(const QString& code, const QString& message) {
    if (code.compare(QLatin1String("context_length_exceeded"), Qt::CaseInsensitive) == 0)
        return true;
    static const QRegularExpression pattern(
        QStringLiteral("context length|context window|prompt is too long|maximum context|too many tokens|"
                       "input token count.*exceeds"),
        QRegularExpression::CaseInsensitiveOption);
    return pattern.match(message).hasMatch();
}

bool isRetryableType(ErrorType type) {
    switch (type) {
    case ErrorType::RateLimited:
    case ErrorType::Overloaded:
    case ErrorType::Server:
    case ErrorType::Network:
    case ErrorType::Timeout:
        return true;
    default:
        return false;
    }
}

QString codeText(const QJsonValue& value) {
    if (value.isString())
        return value.toString();
    if (value.isDouble())
        return QString::number(value.toInteger());
    return {};
}

// Gemini puts the wait into details[].retryDelay ("30s") of a google.rpc.RetryInfo.
std::optional<qint64> geminiRetryDelay(const QJsonObject& error) {
    for (const QJsonValue& detail : error.value(QLatin1String("details")).toArray()) {
        const QString delay = detail.toObject().value(QLatin1String("retryDelay")).toString();
        if (!delay.isEmpty())
            return RetryAfterParser::parseDurationMs(delay.toLatin1());
    }
    return std::nullopt;
}

QString readableNonJsonBody(QByteArrayView body) {
    const QString text = QString::fromUtf8(body).trimmed();
    if (text.isEmpty())
        return {};
    if (text.startsWith(QLatin1Char('<'))) {
        static const QRegularExpression title(QStringLiteral("<title>(.*?)</title>"),
                                              QRegularExpression::CaseInsensitiveOption |
                                                  QRegularExpression::DotMatchesEverythingOption);
        const auto match = title.match(text);
        return match.hasMatch() ? QStringLiteral("the server answered with an HTML page: %1")
                                      .arg(match.captured(1).simplified())
                                : QStringLiteral("the server answered with an HTML page");
    }
    QString line = text.simplified();
    if (line.size() > 300)
        line = line.left(300) + QStringLiteral("…");
    return line;
}

} // namespace

bool ErrorBodyParser::isErrorObject(const QJsonObject& root) {
    const QJsonValue error = root.value(QLatin1String("error"));
    if (error.isObject() || (error.isString() && !error.toString().isEmpty()))
        return true;
    return root.value(QLatin1String("object")).toString() == QLatin1String("error") ||
           root.value(QLatin1String("type")).toString() == QLatin1String("error");
}

bool ErrorBodyParser::isErrorObject(const JsonTree::Value& root) {
    const JsonTree::Value error = root[QLatin1StringView("error")];
    if (error.isObject() || (error.isString() && !error.toString().isEmpty()))
        return true;
    return root[QLatin1StringView("object")].equals(QLatin1StringView("error")) ||
           root[QLatin1StringView("type")].equals(QLatin1StringView("error"));
}

ProviderError ErrorBodyParser::fromHttpResponse(int httpStatus, QByteArrayView body) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(body.toByteArray(), &parseError);
    if (parseError.error == QJsonParseError::NoError && document.isObject())
        return fromJson(httpStatus, document.object());

    ProviderError error;
    error.httpStatus = httpStatus;
    error.type = ProviderError::typeForHttpStatus(httpStatus);
    error.retryable = ProviderError::isRetryableHttpStatus(httpStatus);
    error.message = readableNonJsonBody(body);
    if (error.message.isEmpty())
        error.message = QStringLiteral("HTTP %1 with an empty body").arg(httpStatus);
    return error;
}

ProviderError ErrorBodyParser::fromStreamObject(const QJsonObject& root) {
    return fromJson(std::nullopt, root);
}

ProviderError ErrorBodyParser::fromJson(std::optional<int> httpStatus, const QJsonObject& root) {
    ProviderError error;
    error.httpStatus = httpStatus;

    QString message;
    QString code;
    std::optional<int> embeddedStatus;
    bool keyRejected = false;
    const QJsonValue errorValue = root.value(QLatin1String("error"));
    if (errorValue.isObject()) {
        const QJsonObject object = errorValue.toObject();
        message = object.value(QLatin1String("message")).toString();
        // Anthropic: type; OpenAI: code (more specific) then type; Gemini: status (code is the HTTP status).
        const QJsonValue codeValue = object.value(QLatin1String("code"));
        if (codeValue.isDouble())
            embeddedStatus = codeValue.toInt();
        for (const char* key : {"status", "code", "type"}) {
            const QString candidate = codeText(object.value(QLatin1String(key)));
            if (!candidate.isEmpty() &&
                (!codeValue.isDouble() || QLatin1String(key) != QLatin1String("code"))) {
                code = candidate;
                break;
            }
        }
        error.retryAfterMs = geminiRetryDelay(object);
        // Gemini answers a bad key with 400 INVALID_ARGUMENT; the ErrorInfo reason says what it really is.
        for (const QJsonValue& detail : object.value(QLatin1String("details")).toArray()) {
            if (detail.toObject().value(QLatin1String("reason")).toString() ==
                QLatin1String("API_KEY_INVALID"))
                keyRejected = true;
        }
        const QString detailCode =
            object.value(QLatin1String("details")).toObject().value(QLatin1String("error_code")).toString();
        if (!detailCode.isEmpty())
            code = detailCode; // e.g. Anthropic's enforced_spend_limit_reached
    } else if (errorValue.isString()) {
        message = errorValue.toString(); // Ollama
    } else if (root.value(QLatin1String("object")).toString() == QLatin1String("error")) {
        message = root.value(QLatin1String("message")).toString(); // vLLM, older shape
        code = codeText(root.value(QLatin1String("type")));
        if (root.value(QLatin1String("code")).isDouble())
            embeddedStatus = root.value(QLatin1String("code")).toInt();
    }

    // The HTTP status is the surest signal (OpenAI sends a 401 as type invalid_request_error, a 503 as
    // server_error); the body's code only sharpens the generic statuses, and decides mid-stream.
    const std::optional<int> status = httpStatus ? httpStatus : embeddedStatus;
    const std::optional<ErrorType> mapped = typeForCode(code);
    if (status) {
        error.type = ProviderError::typeForHttpStatus(*status);
        const bool genericStatus = *status == 400 || *status == 422 || *status == 500;
        if (genericStatus && mapped && *mapped != ErrorType::InvalidRequest && *mapped != ErrorType::Server)
            error.type = *mapped;
    } else {
        error.type = mapped.value_or(ErrorType::Server);
    }
    if (keyRejected)
        error.type = ErrorType::Auth;
    if ((error.type == ErrorType::InvalidRequest || error.type == ErrorType::ContextLength ||
         error.type == ErrorType::Server) &&
        looksLikeContextLength(code, message))
        error.type = ErrorType::ContextLength;

    error.providerCode = code;
    error.retryable =
        httpStatus ? ProviderError::isRetryableHttpStatus(*httpStatus) : isRetryableType(error.type);
    // Quota and spend-limit 429s do not clear by waiting.
    if (code == QLatin1String("insufficient_quota") || code == QLatin1String("enforced_spend_limit_reached"))
        error.retryable = false;

    error.message = message.simplified();
    if (error.message.isEmpty())
        error.message = status ? QStringLiteral("HTTP %1 without an error message").arg(*status)
                               : QStringLiteral("the provider reported an error without a message");
    return error;
}

} // namespace parallax
