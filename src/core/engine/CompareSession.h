#pragma once

#include "engine/CompareRequest.h"
#include "engine/RequestState.h"
#include "providers/Answer.h"
#include "providers/StreamDelta.h"
#include "sanitize/Restorer.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>

#include <optional>

namespace parallax {

class Engine;
class RequestRunner;

/// Sends one request to several profiles at once through the engine (asynchronous, no thread per
/// request), reports each answer as it streams and when it ends, then — when asked — sends the
/// synthesis request, computes the agreement matrix, and saves the whole comparison to the history.
/// `finished()` comes once, after all of that.
class CompareSession : public QObject {
    Q_OBJECT
public:
    CompareSession(Engine& engine, CompareRequest request, QObject* parent = nullptr);
    ~CompareSession() override;

    void start();
    void cancel();

    qsizetype size() const { return m_runners.size(); }
    /// The answers as the user reads them: placeholders replaced by the real values.
    Answer answer(qsizetype index) const;
    QList<Answer> answers() const;
    RequestState state(qsizetype index) const;
    /// The synthesis as the user reads it (placeholders restored), once finished.
    std::optional<Answer> synthesis() const;
    /// Label → profile of the answers the synthesis saw, e.g. {"A": "openai:gpt-4o"}.
    const QList<QPair<QString, QString>>& synthesisLabels() const { return m_synthesisLabels; }
    QJsonObject agreementJson() const;
    QString requestId() const { return m_requestId; }
    bool isFinished() const { return m_finished; }

signals:
    void answerDelta(int index, const parallax::StreamDelta& delta);
    void answerStateChanged(int index, parallax::RequestState state, const QString& detail);
    void answerFinished(int index);
    void synthesisDelta(const parallax::StreamDelta& delta);
    void synthesisStarted();
    void finished();

private:
    Answer restored(Answer answer) const;
    void onColumnFinished();
    void startSynthesis();
    void complete();

    Engine& m_engine;
    CompareRequest m_request;
    QString m_requestId;
    QList<RequestRunner*> m_runners;
    QList<Restorer> m_restorers; // per column, for placeholders split across stream deltas
    std::optional<Restorer> m_synthesisRestorer;
    RequestRunner* m_synthesisRunner = nullptr;
    std::optional<Answer> m_synthesis;
    QList<QPair<QString, QString>> m_synthesisLabels;
    qsizetype m_remaining = 0;
    bool m_cancelled = false;
    bool m_finished = false;
};

} // namespace parallax
