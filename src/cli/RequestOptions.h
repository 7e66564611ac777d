#pragma once

#include "cli/CliError.h"
#include "net/CallOptions.h"
#include "providers/ChatRequest.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <optional>

namespace parallax::cli {

/// The options every sending command shares (run, compare, batch): profiles and fallbacks, request
/// parameters, timeout, cache and sanitizing switches — one definition, one validation.
struct RequestOptions {
    QCommandLineOption profile{
        {"p", "profile"}, "Profile: KIND:MODEL[@BASE_URL] or a saved profile's name.", "SPEC"};
    QCommandLineOption fallback{"fallback", "Profile tried, in order, when a profile fails (repeatable).",
                                "SPEC"};
    QCommandLineOption maxTokens{"max-tokens", "Largest number of tokens to generate.", "N"};
    QCommandLineOption temperature{"temperature", "Sampling temperature, 0 to 2.", "T"};
    QCommandLineOption system{"system", "System prompt.", "TEXT"};
    QCommandLineOption noCache{"no-cache", "Neither read nor fill the response cache."};
    QCommandLineOption noSanitize{"no-sanitize",
                                  "Send personal data and secrets as typed instead of masking them."};
    QCommandLineOption timeout{"timeout", "Give up on an answer after this many seconds (default 600).",
                               "SECONDS"};
    QCommandLineOption help{{"h", "help"}, "Show this help."};

    void addTo(QCommandLineParser& parser) const {
        parser.addOptions(
            {profile, fallback, maxTokens, temperature, system, noCache, noSanitize, timeout, help});
    }

    /// Reads max tokens, temperature, system prompt and timeout, or says which value is wrong.
    std::optional<CliError> apply(const QCommandLineParser& parser, ChatRequest& request,
                                  CallOptions& call) const;
};

} // namespace parallax::cli
