#pragma once

#include <optional>

#include <QString>

#include "Fault.h"
#include "HttpRequest.h"

namespace parallax::mock {

/// Per-request settings from X-Mock-* headers or [[mock:key=value ...]] directives in the prompt.
/// Unset fields fall back to the next source: header > prompt directive > server config.
struct MockOverrides {
    std::optional<Fault> fault;
    std::optional<int> tokens;
    std::optional<int> ttftMs;
    std::optional<double> tokensPerSecond;
    std::optional<int> retryAfterSeconds;
    /// Answer with the last user message itself, word by word (to test what the client sent and restores).
    std::optional<bool> echo;

    /// Reads every [[mock:...]] directive in `text` and removes it, so it is never echoed or
    /// counted. Returns a message for a 400 when a directive is not understood.
    std::optional<QString> consumeDirectives(QString& text);
    /// Reads X-Mock-Fault, X-Mock-Tokens, X-Mock-Ttft-Ms, X-Mock-Tps and X-Mock-Retry-After.
    std::optional<QString> readHeaders(const HttpRequest& request);

private:
    std::optional<QString> set(const QString& key, const QString& value);
};

} // namespace parallax::mock
