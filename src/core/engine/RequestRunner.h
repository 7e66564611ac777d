#pragma once

#include "engine/RequestPlan.h"
#include "engine/RequestState.h"
#include "providers/Answer.h"
#include "providers/StreamDelta.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace parallax {

class Engine;
class StreamingCall;
struct ModelPrice;

/// Runs one request through the engine, asynchronously, to exactly one `finished()`:
/// for each profile of the chain in turn — cache lookup, circuit breaker, budget reservation, rate
/// limit (waiting, not failing), then the HTTP attempt, retried as RetryPolicy allows. A profile that
/// still fails hands the request to the next; once answer text has been shown nothing is retried or
/// replaced silently: the partial answer stays, marked failed. Every attempt is audited.
class RequestRunner : public QObject {
    Q_OBJECT
public:
    RequestRunner(Engine& engine, RequestPlan plan, QObject* parent = nullptr);
    ~RequestRunner() override;

    void start();
    void cancel();

    const Answer& answer() const { return m_answer; }
    RequestState state() const { return m_state; }
    bool isFinished() const { return m_finished; }
    const RequestPlan& plan() const { return m_plan; }

signals:
    void stateChanged(parallax::RequestState state, const QString& detail);
    void delta(const parallax::StreamDelta& delta);
    void finished();

private:
    void beginHop();
    void attemptHop();
    void acquireCapacity();
    void send();
    void onAttemptFinished();
    void moveToNextHop(const Answer& failed);
    void finishWith(Answer answer, RequestState state);
    void setState(RequestState state, const QString& detail = {});
    void writeAudit(const Answer& answer, const QString& status);
    qint64 nowMs() const;
    qint64 estimatedPromptTokens() const;
    const CompareTarget& hop() const { return m_plan.chain.at(m_hopIndex); }

    Engine& m_engine;
    RequestPlan m_plan;
    qsizetype m_hopIndex = 0;
    int m_retriesThisHop = 0;
    int m_totalAttempts = 0;
    bool m_textShown = false;
    bool m_cancelled = false;
    bool m_finished = false;
    std::optional<qint64> m_reservation;
    QString m_cacheKey;
    QPointer<StreamingCall> m_call;
    QTimer m_wait;
    RequestState m_state = RequestState::Queued;
    std::optional<Answer> m_lastFailure;
    Answer m_answer;
};

} // namespace parallax
