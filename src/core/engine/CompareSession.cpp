#include "CompareSession.h"

#include "net/StreamingCall.h"

namespace parallax {

CompareSession::CompareSession(QNetworkAccessManager* network, QList<CompareTarget> targets,
                               ChatRequest request, CallOptions options, QObject* parent)
    : QObject(parent) {
    for (CompareTarget& target : targets) {
        const int index = static_cast<int>(m_calls.size());
        auto* call = new StreamingCall(network, std::move(target.profile), request, std::move(target.apiKey),
                                       options, this);
        connect(call, &StreamingCall::delta, this,
                [this, index](const StreamDelta& piece) { emit answerDelta(index, piece); });
        connect(call, &StreamingCall::finished, this, [this, index] {
            emit answerFinished(index);
            if (--m_remaining == 0)
                emit finished();
        });
        m_calls.append(call);
    }
}

void CompareSession::start() {
    m_remaining = m_calls.size();
    // All requests leave in the same event-loop turn; their answers interleave as the network delivers.
    for (StreamingCall* call : std::as_const(m_calls))
        call->start();
}

void CompareSession::cancel() {
    for (StreamingCall* call : std::as_const(m_calls))
        call->cancel();
}

const Answer& CompareSession::answer(qsizetype index) const {
    return m_calls.at(index)->answer();
}

QList<Answer> CompareSession::answers() const {
    QList<Answer> result;
    for (const StreamingCall* call : m_calls)
        result.append(call->answer());
    return result;
}

} // namespace parallax
