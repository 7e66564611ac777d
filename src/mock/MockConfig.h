#pragma once

#include <QString>
#include <QtGlobal>

namespace parallax::mock {

/// How a MockServer answers. Every value can be overridden per request (X-Mock-* headers or
/// [[mock:...]] directives in the prompt), so tests rarely need to restart a server.
struct MockConfig {
    int ttftMs = 20;              ///< delay before the first content token
    double tokensPerSecond = 500; ///< pacing of later tokens; <= 0 means as fast as possible
    int answerTokens = 24;        ///< answer length in tokens (words)
    /// Empty: any key (or none) is accepted. Otherwise a missing or wrong key gets a 401 with the
    /// protocol's error body (Ollama is never checked: it has no auth locally).
    QString requiredApiKey;
    /// Fault for requests that carry no per-request fault (names: see Fault.h), empty = none.
    /// With faultRate <= 0 or >= 1 every request gets it; in between, that share of requests.
    QString fault;
    double faultRate = 0.0; ///< probability (0..1) that a request gets `fault`; deterministic PRNG
    quint32 seed = 1;
    int retryAfterSeconds = 1; ///< value sent with injected 429s
    int requestsPerMinute = 0; ///< 0 = no limit; else a sliding 60 s window answering 429
    int tokensPerMinute = 0;   ///< 0 = no limit; counts prompt + answer tokens of admitted requests
    /// Non-empty: every generation request is answered with this file's exact bytes (status 200),
    /// written in small seeded pieces, content type by extension.
    QString replayFile;
    /// Batch APIs: 0 = a batch moves one step (validating, in_progress, finalizing, completed) each time
    /// it is polled; > 0 = one step per this many milliseconds since it was created.
    int batchStepMs = 0;
    /// While true, batches stay in progress however often they are polled, so a test can stop a
    /// client in the middle of polling.
    bool batchHold = false;
    /// >= 0: batches expire. Only the first N requests (input order) are answered; the rest expire.
    int batchExpireAfter = -1;
};

} // namespace parallax::mock
