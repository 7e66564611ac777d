#include "BatchResultParser.h"

#include "providers/ProviderRegistry.h"

#include <QJsonDocument>

namespace parallax {

Answer BatchResultParser::parse(const ProviderProfile& profile, const QJsonObject& body) {
    Answer answer;
    answer.profile = profile.name;
    answer.kind = profile.kind;
    answer.model = profile.model;
    answer.attempts = 1;
    std::unique_ptr<ResponseStream> stream = ProviderRegistry::provider(profile.kind).createStream();
    stream->feed(QJsonDocument(body).toJson(QJsonDocument::Compact));
    stream->finishInput();
    const StreamOutcome& outcome = stream->outcome();
    answer.text = outcome.text;
    answer.thinking = outcome.thinking;
    answer.toolCalls = outcome.toolCalls;
    answer.finishReason = outcome.finishReason;
    answer.rawFinishReason = outcome.rawFinishReason;
    answer.usage = outcome.usage;
    if (outcome.error) {
        answer.error = outcome.error;
        answer.finishReason = FinishReason::Error;
    }
    return answer;
}

} // namespace parallax
