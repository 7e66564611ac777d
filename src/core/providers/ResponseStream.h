#pragma once

#include "providers/StreamDelta.h"
#include "providers/StreamOutcome.h"

#include <QByteArrayView>
#include <QJsonObject>

#include <functional>

namespace parallax {

/// Turns one provider's streamed response body into normalized deltas and an outcome.
/// Fed with bytes exactly as they arrive from the network, in chunks of any size.
class ResponseStream {
public:
    using DeltaHandler = std::function<void(const StreamDelta&)>;

    virtual ~ResponseStream() = default;

    void setDeltaHandler(DeltaHandler handler) { m_onDelta = std::move(handler); }

    /// Parses the next piece of the body.
    virtual void feed(QByteArrayView bytes) = 0;

    /// The body ended. A stream that ended without the provider's end signal becomes a truncation error.
    void finishInput();

    const StreamOutcome& outcome() const { return m_outcome; }

protected:
    /// Called once at end of body, before the truncation check (e.g. to flush an unterminated event).
    virtual void flushAtEnd() {}

    void appendText(const QString& text);
    void appendThinking(const QString& text);
    /// Records a mid-stream error; events after it are ignored.
    void failMidStream(ProviderError error);
    /// A line that should hold JSON does not parse: the stream is corrupt, so it fails.
    void failMalformed(QByteArrayView payload);
    bool failed() const { return m_outcome.error.has_value(); }

    /// Parses a JSON object; on failure records the malformed-stream error and returns false.
    bool parseObject(QByteArrayView payload, QJsonObject& object);

    StreamOutcome m_outcome;

private:
    DeltaHandler m_onDelta;
};

} // namespace parallax
