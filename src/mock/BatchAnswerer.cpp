#include "BatchAnswerer.h"

#include <QDateTime>
#include <QRegularExpression>

#include "AnswerGenerator.h"
#include "DeterministicRandom.h"
#include "MockOverrides.h"
#include "ProviderProtocol.h"

namespace parallax::mock {

namespace {
BatchAnswerer::Result failure(const ProviderProtocol& protocol, int status, const QString& message,
                              const QString& requestId) {
    return {status, protocol.error(status, message, 0).body.trimmed(), requestId};
}
} // namespace

BatchAnswerer::Result BatchAnswerer::answer(const ProviderProtocol& protocol, const QJsonObject& params,
                                            const QString& customId, const MockConfig& config,
                                            quint64 random) {
    DeterministicRandom ids(random);
    const QString requestId =
        QStringLiteral("req_") + QString::number(ids.next(), 16).rightJustified(16, QLatin1Char('0'));
    GenerationRequest generation;
    if (const auto problem = protocol.parse(params, HttpRequest{}, generation))
        return failure(protocol, 400, *problem, requestId);

    MockOverrides overrides;
    std::optional<QString> problem = overrides.consumeDirectives(generation.system);
    for (QString& text : generation.messageTexts) {
        const auto textProblem = overrides.consumeDirectives(text);
        if (textProblem && !problem)
            problem = textProblem;
    }
    QString id = customId;
    if (const auto idProblem = overrides.consumeDirectives(id); idProblem && !problem)
        problem = idProblem;
    MockOverrides ignored; // lastUser repeats a message whose settings are already read
    ignored.consumeDirectives(generation.lastUser);
    if (problem)
        return failure(protocol, 400, *problem, requestId);

    if (overrides.fault && *overrides.fault != Fault::None) {
        // A stream fault has no stream to break here: the request simply failed on the server.
        const int status = faultStatus(*overrides.fault) ? faultStatus(*overrides.fault) : 500;
        return failure(
            protocol, status,
            QStringLiteral("parallax-mock batch fault %1 for this request").arg(faultName(*overrides.fault)),
            requestId);
    }

    ResponseContext context;
    if (overrides.echo.value_or(false)) {
        static const QRegularExpression whitespace(QStringLiteral("\\s+"));
        context.words = generation.lastUser.split(whitespace, Qt::SkipEmptyParts);
    } else {
        context.words =
            AnswerGenerator::words(generation, qMax(0, overrides.tokens.value_or(config.answerTokens)));
    }
    if (generation.maxTokens && *generation.maxTokens < context.words.size()) {
        context.words = context.words.mid(0, qMax(0, *generation.maxTokens));
        context.finish = FinishReason::Length;
    }
    context.promptTokens = AnswerGenerator::promptTokens(generation);
    context.sentTokens = static_cast<int>(context.words.size());
    context.requestId = requestId;
    context.responseId = protocol.newResponseId(ids.next());
    context.created = QDateTime::currentSecsSinceEpoch();
    context.request = std::move(generation);
    return {200, protocol.fullBody(context).trimmed(), requestId};
}

} // namespace parallax::mock
