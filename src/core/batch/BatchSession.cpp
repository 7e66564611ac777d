#include "BatchSession.h"

#include "batch/BatchStore.h"
#include "batch/ProviderBatchRunner.h"
#include "engine/AnswerJson.h"

#include <QJsonDocument>

namespace parallax {

BatchSession::BatchSession(Engine& engine, BatchStore& store, qint64 jobId,
                           const QList<QList<CompareTarget>>& chains, BatchRunner::Options localOptions,
                           std::optional<ProviderBatchLimits> providerMode, QObject* parent)
    : QObject(parent)
    , m_providerMode(providerMode.has_value()) {
    QList<int> localProfiles;
    for (qsizetype index = 0; index < chains.size(); ++index) {
        const CompareTarget& target = chains.at(index).first();
        m_targets.append(target);
        if (!m_providerMode || !ProviderBatchRunner::supports(target.profile.kind)) {
            localProfiles.append(static_cast<int>(index));
            if (m_providerMode)
                m_notes.append(QStringLiteral("%1 has no provider Batch API here; its items run locally")
                                   .arg(target.profile.name));
        } else if (chains.at(index).size() > 1) {
            m_notes.append(
                QStringLiteral("%1: fallbacks do not apply to a provider batch").arg(target.profile.name));
        }
    }
    m_localOnly = localProfiles.size() == chains.size();
    if (!m_localOnly) {
        ProviderBatchRunner::Options options;
        options.parameters = localOptions.parameters;
        options.call = localOptions.call;
        options.sanitizer = localOptions.sanitizer;
        options.profileSanitized = localOptions.profileSanitized;
        options.limits = *providerMode;
        m_remote = new ProviderBatchRunner(engine, store, jobId, m_targets, options, this);
        connect(m_remote, &ProviderBatchRunner::progress, this, [this] {
            emit remoteResultsMerged();
            emit progress();
        });
        connect(m_remote, &ProviderBatchRunner::statusReport, this, &BatchSession::statusReport);
        connect(m_remote, &ProviderBatchRunner::done, this, &BatchSession::partDone);
    }
    if (!localProfiles.isEmpty()) {
        if (!m_localOnly) {
            // The runner counts every item of the job; the session counts only the local profiles' here.
            for (const BatchItem& item : store.items(jobId)) {
                if (!localProfiles.contains(item.profileIndex))
                    continue;
                ++m_localTotal;
                if (item.state == BatchItem::State::Done || item.state == BatchItem::State::Failed)
                    ++m_localFinishedAtStart;
                if (item.state == BatchItem::State::Failed)
                    ++m_localFailedAtStart;
            }
            localOptions.onlyProfiles = localProfiles;
        }
        m_local = new BatchRunner(engine, store, jobId, chains, localOptions, this);
        connect(m_local, &BatchRunner::itemStarted, this, &BatchSession::itemStarted);
        connect(m_local, &BatchRunner::itemFinished, this, [this](const BatchItem& item) {
            ++m_localFinished;
            if (item.state == BatchItem::State::Failed)
                ++m_localFailed;
            emit itemFinished(item);
        });
        connect(m_local, &BatchRunner::progress, this, &BatchSession::progress);
        connect(m_local, &BatchRunner::done, this, &BatchSession::partDone);
    }
}

BatchSession::~BatchSession() {
    // Before the engine and store they use, which the owner destroys after this.
    delete m_local;
    delete m_remote;
}

void BatchSession::start() {
    for (const QString& note : std::as_const(m_notes))
        emit statusReport(note);
    m_partsRunning = (m_remote ? 1 : 0) + (m_local ? 1 : 0);
    if (m_remote)
        m_remote->start();
    if (m_local)
        m_local->start();
}

void BatchSession::stop() {
    if (m_remote)
        m_remote->stop();
    if (m_local)
        m_local->cancel();
}

void BatchSession::pause() {
    if (m_local)
        m_local->pause();
}

void BatchSession::resume() {
    if (m_local)
        m_local->resume();
}

bool BatchSession::isPaused() const {
    return m_local && m_local->isPaused();
}

void BatchSession::cancel() {
    m_cancelled = true;
    if (m_remote)
        m_remote->cancelRemote();
    if (m_local)
        m_local->cancel();
}

int BatchSession::total() const {
    if (m_localOnly)
        return m_local->total();
    return (m_remote ? m_remote->total() : 0) + m_localTotal;
}

int BatchSession::finished() const {
    if (m_localOnly)
        return m_local->finished();
    return (m_remote ? m_remote->finished() : 0) + m_localFinishedAtStart + m_localFinished;
}

int BatchSession::failed() const {
    if (m_localOnly)
        return m_local->failed();
    return (m_remote ? m_remote->failed() : 0) + m_localFailedAtStart + m_localFailed;
}

double BatchSession::spentUsd() const {
    return (m_remote ? m_remote->spentUsd() : 0) + (m_local ? m_local->spentUsd() : 0);
}

QStringList BatchSession::cancelledAnswers(const QList<QList<CompareTarget>>& chains) {
    QStringList answers;
    for (const QList<CompareTarget>& chain : chains) {
        const CompareTarget& target = chain.first();
        Answer answer;
        answer.profile = target.profile.name;
        answer.kind = target.profile.kind;
        answer.model = target.profile.model;
        answer.attempts = 0;
        answer.finishReason = FinishReason::Error;
        ProviderError error;
        error.type = ErrorType::Cancelled;
        error.message = QStringLiteral("the batch was cancelled before this item was sent");
        answer.error = error;
        answers.append(AnswerJson::toCompactText(answer));
    }
    return answers;
}

void BatchSession::partDone() {
    if (--m_partsRunning == 0)
        emit done();
}

} // namespace parallax
