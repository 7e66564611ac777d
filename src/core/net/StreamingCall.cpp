#include "StreamingCall.h"

#include "net/NetworkFailure.h"
#include "providers/ProviderRegistry.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>

Q_LOGGING_CATEGORY(lcNet, "parallax.net", QtInfoMsg)

namespace parallax {

namespace {
// An error page is read for its message only; a runaway body must not eat memory.
constexpr qsizetype kMaxErrorBodyBytes = 1 << 20;

bool isSuccess(std::optional<int> status) {
    return status && *status >= 200 && *status < 300;
}
} // namespace

StreamingCall::StreamingCall(QNetworkAccessManager* network, ProviderProfile profile, ChatRequest request,
                             QString apiKey, CallOptions options, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_provider(ProviderRegistry::provider(profile.kind))
    , m_profile(std::move(profile))
    , m_request(std::move(request))
    , m_apiKey(std::move(apiKey))
    , m_options(options) {
    m_answer.profile = m_profile.name;
    m_answer.kind = m_profile.kind;
    m_answer.model = m_profile.model;
    m_deadline.setSingleShot(true);
    m_idle.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] { abortWith(AbortReason::Deadline); });
    connect(&m_idle, &QTimer::timeout, this, [this] { abortWith(AbortReason::Idle); });
}

StreamingCall::~StreamingCall() {
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
}

void StreamingCall::start() {
    m_stream = m_provider.createStream();
    m_stream->setDeltaHandler([this](const StreamDelta& piece) {
        if (!m_answer.ttftMs)
            m_answer.ttftMs = m_clock.elapsed();
        emit delta(piece);
    });
    m_answer.attempts = 1;

    const QNetworkRequest request = m_provider.buildRequest(m_profile, m_apiKey);
    const QByteArray body = m_provider.buildBody(m_profile, m_request);
    qCDebug(lcNet) << "sending" << m_profile.name << "to" << request.url().toString(QUrl::RemoveQuery);

    m_clock.start();
    m_deadline.start(static_cast<int>(qMin<qint64>(m_options.timeoutMs, INT_MAX)));
    m_idle.start(static_cast<int>(qMin(m_options.idleTimeoutMs, m_options.timeoutMs)));
    m_reply = m_network->post(request, body);
    // finished is connected before readyRead so no ordering surprise can skip the end of a reply.
    connect(m_reply, &QNetworkReply::finished, this, &StreamingCall::onReplyFinished);
    connect(m_reply, &QNetworkReply::readyRead, this, &StreamingCall::onReadyRead);
}

void StreamingCall::cancel() {
    abortWith(AbortReason::Cancelled);
}

void StreamingCall::abortWith(AbortReason reason) {
    if (m_finished || !m_reply)
        return;
    m_abortReason = reason;
    m_reply->abort(); // emits finished synchronously
}

void StreamingCall::onReadyRead() {
    if (!m_reply)
        return;
    if (!m_httpStatus) {
        const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (status.isValid())
            m_httpStatus = status.toInt();
    }
    const QByteArray bytes = m_reply->readAll();
    m_idle.start();
    if (isSuccess(m_httpStatus)) {
        m_stream->feed(bytes);
        if (m_stream->outcome().error)
            abortWith(AbortReason::StreamFailed); // nothing after a mid-stream error can be used
    } else if (m_errorBody.size() < kMaxErrorBodyBytes) {
        m_errorBody += bytes.left(kMaxErrorBodyBytes - m_errorBody.size());
    }
}

void StreamingCall::onReplyFinished() {
    if (m_finished || !m_reply)
        return;
    if (m_abortReason == AbortReason::None && m_reply->bytesAvailable() > 0) {
        onReadyRead();
        if (m_finished)
            return;
    }
    if (!m_httpStatus) {
        const QVariant status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        if (status.isValid())
            m_httpStatus = status.toInt();
    }

    switch (m_abortReason) {
    case AbortReason::Cancelled:
        return complete(ProviderError{ErrorType::Cancelled,
                                      QStringLiteral("cancelled by the user"),
                                      m_httpStatus,
                                      false,
                                      std::nullopt,
                                      {}});
    case AbortReason::Deadline:
        return complete(ProviderError{ErrorType::Timeout,
                                      QStringLiteral("no complete answer within %1 s (the request's timeout)")
                                          .arg(m_options.timeoutMs / 1000.0),
                                      std::nullopt,
                                      true,
                                      std::nullopt,
                                      {}});
    case AbortReason::Idle:
        return complete(ProviderError{ErrorType::Timeout,
                                      QStringLiteral("the provider sent nothing for %1 s")
                                          .arg(qMin(m_options.idleTimeoutMs, m_options.timeoutMs) / 1000.0),
                                      std::nullopt,
                                      true,
                                      std::nullopt,
                                      {}});
    case AbortReason::StreamFailed:
        return complete(m_stream->outcome().error);
    case AbortReason::None:
        break;
    }

    if (m_httpStatus && !isSuccess(m_httpStatus)) {
        return complete(m_provider.errorFromResponse(*m_httpStatus, m_errorBody, m_reply->rawHeaderPairs()));
    }
    if (m_reply->error() != QNetworkReply::NoError) {
        // A server that closes the connection right after a complete answer has still answered.
        if (isSuccess(m_httpStatus)) {
            m_stream->finishInput();
            if (m_stream->outcome().complete && !m_stream->outcome().error)
                return complete(std::nullopt);
        }
        return complete(networkError());
    }
    m_stream->finishInput();
    complete(m_stream->outcome().error);
}

ProviderError StreamingCall::networkError() const {
    return NetworkFailure::fromReply(m_reply->error(), m_reply->errorString(), m_profile.baseUrl,
                                     m_stream && !m_stream->outcome().text.isEmpty());
}

QString StreamingCall::withoutKey(QString text) const {
    // Some providers echo the key they rejected; it must not reach any output.
    if (m_apiKey.size() >= 4)
        text.replace(m_apiKey, QStringLiteral("[key removed]"));
    return text;
}

void StreamingCall::complete(std::optional<ProviderError> error) {
    if (m_finished)
        return;
    m_finished = true;
    m_deadline.stop();
    m_idle.stop();
    m_answer.latencyMs = m_clock.isValid() ? std::optional<qint64>(m_clock.elapsed()) : std::nullopt;

    if (m_stream) {
        const StreamOutcome& outcome = m_stream->outcome();
        m_answer.text = outcome.text;
        m_answer.thinking = outcome.thinking;
        m_answer.toolCalls = outcome.toolCalls;
        m_answer.finishReason = outcome.finishReason;
        m_answer.rawFinishReason = outcome.rawFinishReason;
        m_answer.usage = outcome.usage;
    }
    if (error) {
        error->message = withoutKey(error->message);
        if (error->type != ErrorType::Cancelled && m_answer.finishReason == FinishReason::Unknown)
            m_answer.finishReason = FinishReason::Error;
        m_answer.error = std::move(error);
    }
    if (m_reply) {
        m_responseHeaders = m_reply->rawHeaderPairs();
        m_reply->disconnect(this);
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    emit finished();
}

} // namespace parallax
