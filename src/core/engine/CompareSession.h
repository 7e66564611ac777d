#pragma once

#include "engine/CompareTarget.h"
#include "net/CallOptions.h"
#include "providers/Answer.h"
#include "providers/ChatRequest.h"
#include "providers/StreamDelta.h"

#include <QList>
#include <QObject>

class QNetworkAccessManager;

namespace parallax {

class StreamingCall;

/// Sends one request to several profiles at once on one network manager (asynchronous, no thread per
/// request) and reports each answer as it streams and when it ends; `finished()` once all have ended.
class CompareSession : public QObject {
    Q_OBJECT
public:
    CompareSession(QNetworkAccessManager* network, QList<CompareTarget> targets, ChatRequest request,
                   CallOptions options, QObject* parent = nullptr);

    void start();
    void cancel();

    qsizetype size() const { return m_calls.size(); }
    const Answer& answer(qsizetype index) const;
    QList<Answer> answers() const;
    bool isFinished() const { return m_remaining == 0; }

signals:
    void answerDelta(int index, const parallax::StreamDelta& delta);
    void answerFinished(int index);
    void finished();

private:
    QList<StreamingCall*> m_calls;
    qsizetype m_remaining = 0;
};

} // namespace parallax
