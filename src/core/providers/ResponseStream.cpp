#include "ResponseStream.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace parallax {

void ResponseStream::finishInput() {
    flushAtEnd();
    // EOF right after the provider named its stop reason is a finished answer, even when the formal end
    // marker ([DONE], message_stop) is missing: several servers and the SDKs' own recordings omit it.
    if (!m_outcome.error && m_outcome.rawFinishReason)
        m_outcome.complete = true;
    if (m_outcome.error || m_outcome.complete)
        return;
    ProviderError error;
    error.type = ErrorType::Network;
    error.retryable = true;
    error.message = QStringLiteral("the stream ended before the provider finished the answer");
    m_outcome.error = error;
    m_outcome.finishReason = FinishReason::Error;
}

void ResponseStream::appendText(const QString& text) {
    if (text.isEmpty())
        return;
    m_outcome.text += text;
    if (m_onDelta)
        m_onDelta(StreamDelta{StreamDelta::Channel::Answer, text});
}

void ResponseStream::appendThinking(const QString& text) {
    if (text.isEmpty())
        return;
    m_outcome.thinking += text;
    if (m_onDelta)
        m_onDelta(StreamDelta{StreamDelta::Channel::Thinking, text});
}

void ResponseStream::failMidStream(ProviderError error) {
    if (m_outcome.error)
        return;
    m_outcome.error = std::move(error);
    m_outcome.finishReason = FinishReason::Error;
}

void ResponseStream::failMalformed(QByteArrayView payload) {
    ProviderError error;
    error.type = ErrorType::Server;
    error.retryable = true;
    QString excerpt = QString::fromUtf8(payload.first(qMin<qsizetype>(payload.size(), 80)));
    if (payload.size() > 80)
        excerpt += QStringLiteral("…");
    error.message = QStringLiteral("the provider sent malformed JSON in the stream: %1").arg(excerpt);
    failMidStream(error);
}

bool ResponseStream::parseObject(QByteArrayView payload, QJsonObject& object) {
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(payload.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        failMalformed(payload);
        return false;
    }
    object = document.object();
    return true;
}

} // namespace parallax
