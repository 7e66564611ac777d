#include "RequestRunner.h"

#include "engine/Engine.h"
#include "net/StreamingCall.h"
#include "providers/AnthropicProvider.h"

#include <QCryptographicHash>
#include <QLoggingCategory>
#include <QUuid>

Q_LOGGING_CATEGORY(lcEngine, "parallax.engine", QtInfoMsg)

namespace parallax {

namespace {

// When the user set no limit, the budget check assumes an answer this long at most.
constexpr int kAssumedMaxOutputTokens = 4096;

QString endpointOf(const QUrl& baseUrl) {
    return baseUrl
        .adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::StripTrailingSlash)
        .toString();
}

QString hostOf(const QUrl& url) {
    return url.port() > 0 ? QStringLiteral("%1:%2").arg(url.host()).arg(url.port()) : url.host();
}

// Failures that say something about the endpoint's health, as opposed to this request's content.
bool countsAgainstEndpoint(ErrorType type) {
    switch (type) {
    case ErrorType::Server:
    case ErrorType::Overloaded:
    case ErrorType::Network:
    case ErrorType::Timeout:
    case ErrorType::RateLimited:
        return true;
    default:
        return false;
    }
}

} // namespace

RequestRunner::RequestRunner(Engine& engine, RequestPlan plan, QObject* parent)
    : QObject(parent)
    , m_engine(engine)
    , m_plan(std::move(plan)) {
    Q_ASSERT(!m_plan.chain.isEmpty());
    if (m_plan.requestId.isEmpty())
        m_plan.requestId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const ProviderProfile& first = m_plan.chain.first().profile;
    m_answer.profile = first.name;
    m_answer.kind = first.kind;
    m_answer.model = first.model;
    m_wait.setSingleShot(true);
    // A coarse timer may fire up to 5 % early, which would resend before the provider's Retry-After has
    // passed; a precise one never fires before its interval.
    m_wait.setTimerType(Qt::PreciseTimer);
}

RequestRunner::~RequestRunner() {
    if (m_reservation)
        m_engine.budget().release(*m_reservation);
}

qint64 RequestRunner::nowMs() const {
    return m_engine.now().toMSecsSinceEpoch();
}

qint64 RequestRunner::estimatedPromptTokens() const {
    // An upper bound, not a count: two UTF-8 bytes per token overestimates English (about four
    // characters per token) and still covers CJK text (about one token per three-byte character).
    qint64 bytes = m_plan.request.system.toUtf8().size();
    for (const ChatMessage& message : m_plan.request.messages)
        bytes += message.content.toUtf8().size();
    return bytes / 2 + 16;
}

void RequestRunner::setState(RequestState state, const QString& detail) {
    m_state = state;
    emit stateChanged(state, detail);
}

void RequestRunner::start() {
    beginHop();
}

void RequestRunner::cancel() {
    if (m_finished)
        return;
    m_cancelled = true;
    if (m_call) {
        m_call->cancel(); // ends in onAttemptFinished with a cancelled answer
        return;
    }
    m_wait.stop();
    Answer cancelled = m_lastFailure.value_or(m_answer);
    cancelled.error = ProviderError{
        ErrorType::Cancelled, QStringLiteral("cancelled by the user"), std::nullopt, false, std::nullopt, {}};
    finishWith(cancelled, RequestState::Failed);
}

void RequestRunner::beginHop() {
    if (m_cancelled || m_finished)
        return;
    if (m_hopIndex >= m_plan.chain.size()) {
        finishWith(*m_lastFailure, RequestState::Failed);
        return;
    }
    m_retriesThisHop = 0;
    const ProviderProfile& profile = hop().profile;
    if (m_plan.useCache) {
        // The key hashes the canonical request: only worth its cost when the cache is consulted.
        m_cacheKey = ResponseCache::key(profile, m_plan.request);
        if (std::optional<Answer> hit = m_engine.cache().lookup(m_cacheKey, nowMs())) {
            hit->profile = profile.name;
            hit->attempts = m_totalAttempts;
            if (m_hopIndex > 0)
                hit->fallbackFrom = m_plan.chain.first().profile.name;
            writeAudit(*hit, QStringLiteral("cached"));
            // Consumers that show text as it streams get the cached answer the same way, in one piece.
            if (!hit->thinking.isEmpty())
                emit delta(StreamDelta{StreamDelta::Channel::Thinking, hit->thinking});
            if (!hit->text.isEmpty())
                emit delta(StreamDelta{StreamDelta::Channel::Answer, hit->text});
            finishWith(*hit, RequestState::Cached);
            return;
        }
    }
    const QString endpoint = endpointOf(profile.baseUrl);
    if (!m_engine.circuitBreaker().allowRequest(endpoint, nowMs())) {
        Answer skipped;
        skipped.error = ProviderError{
            ErrorType::Overloaded,
            QStringLiteral("skipped: %1 failed repeatedly, so it rests until its cool-down ends")
                .arg(hostOf(profile.baseUrl)),
            std::nullopt,
            true,
            std::nullopt,
            QStringLiteral("circuit_open")};
        moveToNextHop(skipped);
        return;
    }
    attemptHop();
}

void RequestRunner::attemptHop() {
    if (m_cancelled || m_finished)
        return;
    const ProviderProfile& profile = hop().profile;
    if (const std::optional<ModelPrice> price = m_engine.prices().find(profile)) {
        const int maxOutput = m_plan.request.maxTokens.value_or(profile.kind == ProviderKind::Anthropic
                                                                    ? AnthropicProvider::kDefaultMaxTokens
                                                                    : kAssumedMaxOutputTokens);
        const double upperBound = PriceTable::upperBound(*price, estimatedPromptTokens(), maxOutput);
        QString refusal;
        m_reservation = m_engine.budget().reserve(upperBound, m_engine.now(), &refusal);
        if (!m_reservation) {
            m_engine.circuitBreaker().releaseProbe(endpointOf(profile.baseUrl)); // nothing was sent
            Answer refused;
            refused.error = ProviderError{ErrorType::Budget, refusal, std::nullopt, false, std::nullopt, {}};
            moveToNextHop(refused);
            return;
        }
    }
    acquireCapacity();
}

void RequestRunner::acquireCapacity() {
    if (m_cancelled || m_finished)
        return;
    const CompareTarget& target = hop();
    const QString bucket = RateLimiter::bucketFor(target.profile.baseUrl, target.apiKey);
    const qint64 tokens = estimatedPromptTokens() + m_plan.request.maxTokens.value_or(0);
    const qint64 wait = m_engine.rateLimiter().tryAcquire(bucket, target.profile.baseUrl, tokens, nowMs());
    if (wait > 0) {
        setState(RequestState::Waiting, QStringLiteral("waiting %1 s for rate-limit capacity")
                                            .arg(static_cast<double>(wait) / 1000.0, 0, 'f', 1));
        m_wait.disconnect();
        connect(&m_wait, &QTimer::timeout, this, &RequestRunner::acquireCapacity);
        m_wait.start(static_cast<int>(qMin<qint64>(wait, INT_MAX)));
        return;
    }
    send();
}

void RequestRunner::send() {
    ++m_totalAttempts;
    const CompareTarget& target = hop();
    setState(RequestState::Sending, target.profile.name);
    auto* call = new StreamingCall(m_engine.network(), target.profile, m_plan.request, target.apiKey,
                                   m_plan.call, this);
    m_call = call;
    connect(call, &StreamingCall::delta, this, [this](const StreamDelta& piece) {
        if (m_state == RequestState::Sending)
            setState(RequestState::Streaming, hop().profile.name);
        if (piece.channel == StreamDelta::Channel::Answer && !piece.text.isEmpty())
            m_textShown = true;
        emit delta(piece);
    });
    connect(call, &StreamingCall::finished, this, &RequestRunner::onAttemptFinished);
    call->start();
}

void RequestRunner::onAttemptFinished() {
    StreamingCall* call = m_call;
    m_call = nullptr;
    Answer result = call->answer();
    const HttpHeaders headers = call->responseHeaders();
    call->deleteLater();

    if (m_reservation) {
        m_engine.budget().release(*m_reservation);
        m_reservation.reset();
    }
    const CompareTarget& target = hop();
    const QString bucket = RateLimiter::bucketFor(target.profile.baseUrl, target.apiKey);
    m_engine.rateLimiter().observeHeaders(bucket, headers, nowMs());

    result.attempts = m_totalAttempts;
    if (m_hopIndex > 0)
        result.fallbackFrom = m_plan.chain.first().profile.name;
    if (const std::optional<ModelPrice> price = m_engine.prices().find(target.profile)) {
        result.costUsd = PriceTable::cost(*price, result.usage);
    } else if (result.succeeded()) {
        qCWarning(lcEngine).noquote()
            << "no price is known for" << target.profile.model
            << "- its cost is reported as unknown (add it under \"prices\" in settings.json)";
    }
    if (result.costUsd && *result.costUsd > 0) {
        QString error;
        if (!m_engine.spend().record(m_plan.requestId, target.profile.name, target.profile.model,
                                     *result.costUsd, m_engine.now(), &error))
            qCWarning(lcEngine).noquote() << "could not record spend:" << error;
    }

    const QString endpoint = endpointOf(target.profile.baseUrl);
    if (result.succeeded()) {
        m_engine.circuitBreaker().recordSuccess(endpoint);
        if (m_plan.useCache)
            m_engine.cache().store(m_cacheKey, result, nowMs());
        writeAudit(result, QStringLiteral("ok"));
        finishWith(result, m_hopIndex > 0 ? RequestState::FellBack : RequestState::Done);
        return;
    }

    const ProviderError& error = *result.error;
    if (m_cancelled || error.type == ErrorType::Cancelled) {
        m_engine.circuitBreaker().releaseProbe(endpoint);
        writeAudit(result, QStringLiteral("cancelled"));
        finishWith(result, RequestState::Failed);
        return;
    }
    // An endpoint that answered "bad key" or "bad request" is up: only its own failures count against it.
    if (countsAgainstEndpoint(error.type))
        m_engine.circuitBreaker().recordFailure(endpoint, nowMs());
    else
        m_engine.circuitBreaker().recordSuccess(endpoint);
    if (error.type == ErrorType::RateLimited && error.retryAfterMs)
        m_engine.rateLimiter().blockFor(bucket, *error.retryAfterMs, nowMs());
    writeAudit(result, QStringLiteral("failed"));

    // A failure that just opened the endpoint's circuit ends the retries here: the fallback goes on.
    const bool circuitOpen =
        m_engine.circuitBreaker().state(endpoint, nowMs()) == CircuitBreaker::State::Open;
    if (const std::optional<qint64> delay =
            circuitOpen ? std::nullopt
                        : m_engine.retryPolicy().delayBeforeRetry(error, m_retriesThisHop, m_textShown,
                                                                  m_engine.random)) {
        ++m_retriesThisHop;
        m_lastFailure = result;
        setState(RequestState::Retrying, QStringLiteral("%1 (%2); trying again in %3 s")
                                             .arg(errorTypeName(error.type), error.message)
                                             .arg(static_cast<double>(*delay) / 1000.0, 0, 'f', 1));
        m_wait.disconnect();
        connect(&m_wait, &QTimer::timeout, this, &RequestRunner::attemptHop);
        m_wait.start(static_cast<int>(*delay));
        return;
    }
    if (m_textShown) {
        // The user has read part of this answer: it stays, marked failed, and nothing replaces it silently.
        finishWith(result, RequestState::Failed);
        return;
    }
    moveToNextHop(result);
}

void RequestRunner::moveToNextHop(const Answer& failed) {
    const ProviderProfile& profile = hop().profile;
    Answer answer = failed;
    answer.profile = profile.name;
    answer.kind = profile.kind;
    answer.model = profile.model;
    answer.attempts = m_totalAttempts;
    answer.finishReason = FinishReason::Error;
    if (m_hopIndex > 0)
        answer.fallbackFrom = m_plan.chain.first().profile.name;
    if (answer.error && (answer.error->type == ErrorType::Budget ||
                         answer.error->providerCode == QLatin1String("circuit_open")))
        writeAudit(answer, answer.error->type == ErrorType::Budget ? QStringLiteral("refused")
                                                                   : QStringLiteral("skipped"));
    m_lastFailure = answer;
    ++m_hopIndex;
    if (m_hopIndex < m_plan.chain.size())
        qCInfo(lcEngine).noquote() << profile.name << "failed:" << answer.error->message << "- trying"
                                   << hop().profile.name;
    beginHop();
}

void RequestRunner::finishWith(Answer answer, RequestState state) {
    if (m_finished)
        return;
    m_finished = true;
    m_wait.stop();
    if (m_reservation) { // cancelled while waiting for capacity: nothing was spent
        m_engine.budget().release(*m_reservation);
        m_reservation.reset();
    }
    m_answer = std::move(answer);
    setState(state, m_answer.error ? m_answer.error->message : QString());
    emit finished();
}

void RequestRunner::writeAudit(const Answer& answer, const QString& status) {
    QCryptographicHash promptHash(QCryptographicHash::Sha256);
    qint64 promptLength = m_plan.request.system.size();
    promptHash.addData(m_plan.request.system.toUtf8());
    for (const ChatMessage& message : m_plan.request.messages) {
        promptHash.addData(QByteArrayView("\n"));
        promptHash.addData(message.content.toUtf8());
        promptLength += message.content.size();
    }
    const ProviderProfile& profile = hop().profile;
    AuditRecord record;
    record.time = m_engine.now();
    record.requestId = m_plan.requestId;
    record.profile = profile.name;
    record.kind = providerKindName(profile.kind);
    record.model = profile.model;
    record.endpointHost = hostOf(profile.baseUrl);
    record.promptSha256 = QString::fromLatin1(promptHash.result().toHex());
    record.promptLength = promptLength;
    record.redactions = m_plan.redactions;
    record.status = status;
    record.errorType = answer.error ? errorTypeName(answer.error->type) : QString();
    record.inputTokens = answer.usage.inputTokens;
    record.outputTokens = answer.usage.outputTokens;
    record.costUsd = answer.costUsd;
    record.cacheHit = status == QLatin1String("cached");
    record.fallbackFrom = m_hopIndex > 0 ? m_plan.chain.first().profile.name : QString();
    record.attempts = m_totalAttempts;
    QString error;
    if (!m_engine.audit().append(record, &error))
        qCWarning(lcEngine).noquote() << "could not write the audit log:" << error;
}

} // namespace parallax
