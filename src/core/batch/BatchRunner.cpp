#include "BatchRunner.h"

#include "batch/BatchStore.h"
#include "engine/AnswerJson.h"
#include "engine/Engine.h"
#include "engine/RequestRunner.h"
#include "sanitize/Restorer.h"
#include "sanitize/Sanitizer.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcBatch, "parallax.batch", QtInfoMsg)

namespace parallax {

BatchRunner::BatchRunner(Engine& engine, BatchStore& store, qint64 jobId, QList<QList<CompareTarget>> chains,
                         Options options, QObject* parent)
    : QObject(parent)
    , m_engine(engine)
    , m_store(store)
    , m_jobId(jobId)
    , m_chains(std::move(chains))
    , m_options(std::move(options)) {
    m_options.concurrency = qMax(1, m_options.concurrency);
}

BatchRunner::~BatchRunner() {
    for (auto it = m_running.begin(); it != m_running.end(); ++it) {
        it.key()->disconnect(this);
        delete it.key();
    }
}

void BatchRunner::start() {
    // Whatever a killed process left running was never recorded as finished: it is sent again.
    if (const int requeued = m_store.requeueRunning(m_jobId); requeued > 0)
        qCInfo(lcBatch) << requeued << "items were in flight when the batch stopped; they are sent again";
    const QMap<BatchItem::State, int> counts = m_store.counts(m_jobId);
    for (int count : counts)
        m_total += count;
    m_finished = counts.value(BatchItem::State::Done) + counts.value(BatchItem::State::Failed);
    m_failed = counts.value(BatchItem::State::Failed);
    m_queue = m_store.items(m_jobId, BatchItem::State::Pending);
    if (!m_options.onlyProfiles.isEmpty()) {
        // The other profiles' items go through a provider's Batch API (ProviderBatchRunner).
        m_queue.removeIf(
            [this](const BatchItem& item) { return !m_options.onlyProfiles.contains(item.profileIndex); });
    }
    emit progress(m_finished, m_total, m_failed);
    fill();
}

void BatchRunner::cancel() {
    m_cancelled = true;
    const QList<RequestRunner*> running = m_running.keys();
    for (RequestRunner* runner : running)
        runner->cancel();
}

void BatchRunner::pause() {
    m_paused = true;
}

void BatchRunner::resume() {
    if (!m_paused)
        return;
    m_paused = false;
    fill();
}

void BatchRunner::fill() {
    while (!m_cancelled && !m_paused && m_running.size() < m_options.concurrency && m_next < m_queue.size())
        startItem(m_queue.at(m_next++));
    if (m_running.isEmpty() && !m_done && (m_cancelled || m_next >= m_queue.size())) {
        m_done = true;
        emit done();
    }
}

void BatchRunner::startItem(const BatchItem& item) {
    QString error;
    if (!m_store.markRunning(item.id, &error)) {
        qCWarning(lcBatch).noquote() << "cannot record that item" << item.itemId << "started:" << error;
        m_cancelled = true; // a batch that cannot record its progress must not spend more
        return;
    }
    RequestPlan plan;
    plan.requestId = QStringLiteral("batch-%1/%2").arg(m_jobId).arg(item.id);
    plan.chain = m_chains.value(item.profileIndex);
    plan.call = m_options.call;
    plan.useCache = m_options.useCache;
    plan.request = m_options.parameters;
    plan.request.system = item.systemPrompt.isEmpty() ? m_options.parameters.system : item.systemPrompt;
    plan.request.messages = {ChatMessage{ChatMessage::Role::User, item.prompt}};

    Vault vault;
    if (m_options.sanitizer && m_options.profileSanitized.value(item.profileIndex, true)) {
        plan.request.system = m_options.sanitizer->sanitize(plan.request.system, vault).text;
        const SanitizedText prompt = m_options.sanitizer->sanitize(item.prompt, vault);
        plan.request.messages.first().content = prompt.text;
        for (const Span& span : prompt.redactedSpans())
            ++plan.redactions[span.type];
    }
    auto* runner = new RequestRunner(m_engine, plan, this);
    m_running.insert(runner, item);
    BatchItem started = item;
    started.state = BatchItem::State::Running;
    ++started.attempts;
    emit itemStarted(started);
    connect(runner, &RequestRunner::finished, this, [this, runner, vault, item] {
        BatchItem finished = item;
        Answer answer = runner->answer();
        if (!vault.isEmpty()) {
            answer.text = Restorer::restore(answer.text, vault);
            answer.thinking = Restorer::restore(answer.thinking, vault);
        }
        finished.answerJson = AnswerJson::toCompactText(answer);
        const bool cancelled = answer.error && answer.error->type == ErrorType::Cancelled;
        finished.state = cancelled            ? BatchItem::State::Pending
                         : answer.succeeded() ? BatchItem::State::Done
                                              : BatchItem::State::Failed;
        if (answer.costUsd)
            m_spentUsd += *answer.costUsd;
        onItemFinished(runner, finished);
    });
    // Started from the event loop, so an item answered at once (from the cache) cannot recurse into
    // the next one: a batch of cached items would otherwise nest a call per item.
    QTimer::singleShot(0, runner, &RequestRunner::start);
}

void BatchRunner::onItemFinished(RequestRunner* runner, BatchItem item) {
    m_running.remove(runner);
    runner->deleteLater();
    QString error;
    const bool recorded =
        item.state == BatchItem::State::Pending
            ? m_store.markFinished(item.id, item.state, QString(), &error) // back in the queue
            : m_store.markFinished(item.id, item.state, item.answerJson, &error);
    if (!recorded) {
        qCWarning(lcBatch).noquote() << "cannot record the result of item" << item.itemId << ":" << error;
        m_cancelled = true;
    } else if (item.state != BatchItem::State::Pending) {
        ++m_finished;
        if (item.state == BatchItem::State::Failed)
            ++m_failed;
        if (m_options.budgetUsd && m_spentUsd >= *m_options.budgetUsd && !m_cancelled) {
            qCWarning(lcBatch).noquote()
                << QStringLiteral("the batch budget of $%1 is spent; stopping").arg(*m_options.budgetUsd);
            m_budgetExhausted = true;
            cancel();
        }
        emit itemFinished(item);
        emit progress(m_finished, m_total, m_failed);
    }
    fill();
}

} // namespace parallax
