#pragma once

#include <QStringList>

#include "GenerationRequest.h"

namespace parallax::mock {

/// Deterministic answers: the same model, system prompt and last user message always give the
/// same words, so tests and benchmarks can compare bytes.
class AnswerGenerator {
public:
    static QStringList words(const GenerationRequest& request, int count);
    /// Whitespace-separated words of the system prompt and all messages, at least 1.
    static int promptTokens(const GenerationRequest& request);
    static quint64 fnv1a(const QByteArray& bytes);
};

} // namespace parallax::mock
