#include "RequestOptions.h"

#include <cmath>

namespace parallax::cli {

std::optional<CliError> RequestOptions::apply(const QCommandLineParser& parser, ChatRequest& request,
                                              CallOptions& call) const {
    const auto usage = [](const QString& message) { return CliError{message, ExitUsage}; };
    if (parser.isSet(maxTokens)) {
        bool ok = false;
        const int value = parser.value(maxTokens).toInt(&ok);
        if (!ok || value < 1)
            return usage(QStringLiteral("--max-tokens wants a positive whole number, got '%1'")
                             .arg(parser.value(maxTokens)));
        request.maxTokens = value;
    }
    if (parser.isSet(temperature)) {
        bool ok = false;
        const double value = parser.value(temperature).toDouble(&ok);
        if (!ok || !std::isfinite(value) || value < 0 || value > 2)
            return usage(QStringLiteral("--temperature wants a number from 0 to 2, got '%1'")
                             .arg(parser.value(temperature)));
        request.temperature = value;
    }
    if (parser.isSet(timeout)) {
        bool ok = false;
        const double seconds = parser.value(timeout).toDouble(&ok);
        if (!ok || !std::isfinite(seconds) || seconds <= 0 || seconds > 86400)
            return usage(QStringLiteral("--timeout wants a number of seconds above 0, got '%1'")
                             .arg(parser.value(timeout)));
        call.timeoutMs = static_cast<qint64>(seconds * 1000);
    }
    request.system = parser.value(system);
    return std::nullopt;
}

} // namespace parallax::cli
