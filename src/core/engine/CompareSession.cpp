#include "CompareSession.h"

#include "engine/AgreementMatrix.h"
#include "engine/Engine.h"
#include "engine/RequestRunner.h"
#include "engine/SynthesisPrompt.h"

#include <QJsonArray>
#include <QLoggingCategory>
#include <QUuid>

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace parallax {

CompareSession::CompareSession(Engine& engine, CompareRequest request, QObject* parent)
    : QObject(parent)
    , m_engine(engine)
    , m_request(std::move(request))
    , m_requestId(QUuid::createUuid().toString(QUuid::WithoutBraces)) {
    for (qsizetype column = 0; column < m_request.columns.size(); ++column) {
        const int index = static_cast<int>(column);
        RequestPlan plan;
        plan.requestId = QStringLiteral("%1/%2").arg(m_requestId).arg(index);
        plan.chain = m_request.columns.at(column);
        plan.request = m_request.request;
        plan.call = m_request.call;
        plan.useCache = m_request.useCache;
        plan.redactions = m_request.redactions;
        auto* runner = new RequestRunner(m_engine, plan, this);
        connect(runner, &RequestRunner::delta, this,
                [this, index](const StreamDelta& piece) { emit answerDelta(index, piece); });
        connect(runner, &RequestRunner::stateChanged, this,
                [this, index](RequestState state, const QString& detail) {
                    emit answerStateChanged(index, state, detail);
                });
        connect(runner, &RequestRunner::finished, this, [this, index] {
            emit answerFinished(index);
            onColumnFinished();
        });
        m_runners.append(runner);
    }
}

CompareSession::~CompareSession() = default;

void CompareSession::start() {
    m_remaining = m_runners.size();
    // Every request leaves in the same event-loop turn; answers interleave as the network delivers them.
    for (RequestRunner* runner : std::as_const(m_runners))
        runner->start();
}

void CompareSession::cancel() {
    m_cancelled = true;
    for (RequestRunner* runner : std::as_const(m_runners))
        runner->cancel();
    if (m_synthesisRunner)
        m_synthesisRunner->cancel();
}

const Answer& CompareSession::answer(qsizetype index) const {
    return m_runners.at(index)->answer();
}

QList<Answer> CompareSession::answers() const {
    QList<Answer> result;
    for (const RequestRunner* runner : m_runners)
        result.append(runner->answer());
    return result;
}

RequestState CompareSession::state(qsizetype index) const {
    return m_runners.at(index)->state();
}

void CompareSession::onColumnFinished() {
    if (--m_remaining > 0)
        return;
    if (m_request.synthesizer && !m_cancelled)
        startSynthesis();
    else
        complete();
}

void CompareSession::startSynthesis() {
    QList<QPair<QString, QString>> labelled;
    for (const RequestRunner* runner : std::as_const(m_runners)) {
        const Answer& answer = runner->answer();
        if (!answer.succeeded() || answer.text.trimmed().isEmpty())
            continue;
        const QString label = SynthesisPrompt::label(static_cast<int>(labelled.size()));
        labelled.append({label, answer.text});
        m_synthesisLabels.append({label, answer.profile});
    }
    if (labelled.isEmpty()) {
        qCWarning(lcEngine) << "no answer succeeded, so there is nothing to synthesize";
        complete();
        return;
    }
    const QString question =
        m_request.request.messages.isEmpty() ? QString() : m_request.request.messages.last().content;
    const QString templateText = m_request.synthesisTemplate.isEmpty() ? SynthesisPrompt::builtInTemplate()
                                                                       : m_request.synthesisTemplate;
    RequestPlan plan;
    plan.requestId = QStringLiteral("%1/synthesis").arg(m_requestId);
    plan.chain = {*m_request.synthesizer};
    plan.request.system = m_request.request.system;
    plan.request.messages = {
        ChatMessage{ChatMessage::Role::User, SynthesisPrompt::build(templateText, question, labelled)}};
    plan.request.maxTokens = m_request.request.maxTokens;
    plan.request.temperature = m_request.request.temperature;
    plan.call = m_request.call;
    plan.useCache = m_request.useCache;
    plan.redactions = m_request.redactions;
    m_synthesisRunner = new RequestRunner(m_engine, plan, this);
    connect(m_synthesisRunner, &RequestRunner::delta, this, &CompareSession::synthesisDelta);
    connect(m_synthesisRunner, &RequestRunner::finished, this, [this] {
        m_synthesis = m_synthesisRunner->answer();
        complete();
    });
    emit synthesisStarted();
    m_synthesisRunner->start();
}

QJsonObject CompareSession::agreementJson() const {
    QList<std::optional<QString>> texts;
    QStringList profiles;
    for (const RequestRunner* runner : m_runners) {
        const Answer& answer = runner->answer();
        profiles.append(answer.profile);
        texts.append(answer.succeeded() ? std::optional<QString>(answer.text) : std::nullopt);
    }
    return AgreementMatrix::toJson(profiles, AgreementMatrix::compute(texts));
}

void CompareSession::complete() {
    if (m_finished)
        return;
    m_finished = true;
    RunRecord run;
    run.requestId = m_requestId;
    run.createdAt = m_engine.now();
    run.command = m_request.command;
    run.prompt = m_request.request.messages.isEmpty() ? QString() : m_request.request.messages.last().content;
    run.systemPrompt = m_request.request.system;
    QJsonArray profiles;
    for (const auto& column : std::as_const(m_request.columns))
        profiles.append(column.first().profile.name);
    run.parameters = QJsonObject{
        {"profiles", profiles},
        {"max_tokens", m_request.request.maxTokens ? QJsonValue(*m_request.request.maxTokens) : QJsonValue()},
        {"temperature",
         m_request.request.temperature ? QJsonValue(*m_request.request.temperature) : QJsonValue()}};
    run.answers = answers();
    run.synthesis = m_synthesis;
    QString error;
    if (!m_engine.history().save(run, &error))
        qCWarning(lcEngine).noquote() << "could not save this comparison to the history:" << error;
    emit finished();
}

} // namespace parallax
