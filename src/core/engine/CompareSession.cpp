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
        plan.request =
            m_request.sanitizes(column) || !m_request.sanitizer ? m_request.request : m_request.rawRequest;
        if (column < m_request.columnParameters.size()) {
            plan.request.temperature = m_request.columnParameters.at(column).temperature;
            plan.request.maxTokens = m_request.columnParameters.at(column).maxTokens;
        }
        plan.call = m_request.call;
        plan.useCache = m_request.useCache;
        if (m_request.sanitizes(column))
            plan.redactions = m_request.redactions; // a raw column sends the values themselves
        auto* runner = new RequestRunner(m_engine, plan, this);
        m_restorers.append(Restorer(m_request.sanitizes(column) ? m_request.vault : Vault()));
        connect(runner, &RequestRunner::delta, this, [this, index](const StreamDelta& piece) {
            if (piece.channel == StreamDelta::Channel::Answer)
                emit answerDelta(index, StreamDelta{piece.channel, m_restorers[index].push(piece.text)});
            else
                emit answerDelta(index,
                                 StreamDelta{piece.channel, Restorer::restore(piece.text, m_request.vault)});
        });
        connect(runner, &RequestRunner::stateChanged, this,
                [this, index](RequestState state, const QString& detail) {
                    emit answerStateChanged(index, state, detail);
                });
        connect(runner, &RequestRunner::finished, this, [this, index] {
            if (const QString rest = m_restorers[index].finish(); !rest.isEmpty())
                emit answerDelta(index, StreamDelta{StreamDelta::Channel::Answer, rest});
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

Answer CompareSession::restored(Answer answer) const {
    if (m_request.vault.isEmpty())
        return answer;
    answer.text = Restorer::restore(answer.text, m_request.vault);
    answer.thinking = Restorer::restore(answer.thinking, m_request.vault);
    for (ToolCall& call : answer.toolCalls)
        call.arguments = Restorer::restore(call.arguments, m_request.vault);
    return answer;
}

Answer CompareSession::answer(qsizetype index) const {
    const Answer& answer = m_runners.at(index)->answer();
    return m_request.sanitizes(index) ? restored(answer) : answer;
}

QList<Answer> CompareSession::answers() const {
    QList<Answer> result;
    for (qsizetype index = 0; index < m_runners.size(); ++index)
        result.append(answer(index));
    return result;
}

std::optional<Answer> CompareSession::synthesis() const {
    if (!m_synthesis)
        return std::nullopt;
    return m_request.sanitizer && m_request.synthesisSanitized ? restored(*m_synthesis) : *m_synthesis;
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
    // The synthesizer sees what it is allowed to: placeholders when it is sanitized (a column that
    // went raw to a local model is sanitized now, with the same vault), real values otherwise.
    const bool sanitizedSynthesis = m_request.sanitizer && m_request.synthesisSanitized;
    Vault vault = m_request.vault;
    QList<QPair<QString, QString>> labelled;
    for (qsizetype column = 0; column < m_runners.size(); ++column) {
        const Answer& answer = m_runners.at(column)->answer();
        if (!answer.succeeded() || answer.text.trimmed().isEmpty())
            continue;
        QString text = answer.text;
        if (sanitizedSynthesis && !m_request.sanitizes(column))
            text = m_request.sanitizer->sanitize(text, vault).text;
        else if (!sanitizedSynthesis && m_request.sanitizes(column))
            text = Restorer::restore(text, m_request.vault);
        const QString label = SynthesisPrompt::label(static_cast<int>(labelled.size()));
        labelled.append({label, text});
        m_synthesisLabels.append({label, answer.profile});
    }
    m_request.vault = vault;
    if (labelled.isEmpty()) {
        qCWarning(lcEngine) << "no answer succeeded, so there is nothing to synthesize";
        complete();
        return;
    }
    // Without a sanitizer rawRequest is unused, and `request` is what was typed.
    const ChatRequest& asked =
        sanitizedSynthesis || !m_request.sanitizer ? m_request.request : m_request.rawRequest;
    const QString question = asked.messages.isEmpty() ? QString() : asked.messages.last().content;
    const QString templateText = m_request.synthesisTemplate.isEmpty() ? SynthesisPrompt::builtInTemplate()
                                                                       : m_request.synthesisTemplate;
    RequestPlan plan;
    plan.requestId = QStringLiteral("%1/synthesis").arg(m_requestId);
    plan.chain = {*m_request.synthesizer};
    plan.request.system = asked.system;
    plan.request.messages = {
        ChatMessage{ChatMessage::Role::User, SynthesisPrompt::build(templateText, question, labelled)}};
    plan.request.maxTokens = m_request.synthesisParameters ? m_request.synthesisParameters->maxTokens
                                                           : m_request.request.maxTokens;
    plan.request.temperature = m_request.synthesisParameters ? m_request.synthesisParameters->temperature
                                                             : m_request.request.temperature;
    plan.call = m_request.call;
    plan.useCache = m_request.useCache;
    plan.redactions = m_request.redactions;
    m_synthesisRunner = new RequestRunner(m_engine, plan, this);
    m_synthesisRestorer.emplace(sanitizedSynthesis ? m_request.vault : Vault());
    connect(m_synthesisRunner, &RequestRunner::delta, this, [this](const StreamDelta& piece) {
        if (piece.channel == StreamDelta::Channel::Answer)
            emit synthesisDelta(StreamDelta{piece.channel, m_synthesisRestorer->push(piece.text)});
    });
    connect(m_synthesisRunner, &RequestRunner::finished, this, [this] {
        m_synthesis = m_synthesisRunner->answer();
        if (const QString rest = m_synthesisRestorer->finish(); !rest.isEmpty())
            emit synthesisDelta(StreamDelta{StreamDelta::Channel::Answer, rest});
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
    run.parameters =
        CompareRequest::Parameters{m_request.request.temperature, m_request.request.maxTokens}.toJson();
    run.parameters.insert(QStringLiteral("profiles"), profiles);
    if (!m_request.columnParameters.isEmpty()) {
        // What each column really asked for.
        QJsonArray columns;
        for (qsizetype column = 0; column < m_runners.size(); ++column) {
            const CompareRequest::Parameters given = m_request.columnParameters.value(
                column, {m_request.request.temperature, m_request.request.maxTokens});
            columns.append(given.toJson());
        }
        run.parameters.insert(QStringLiteral("columns"), columns);
    }
    // The history keeps what was sent and received: placeholders, never the values they hide.
    for (const RequestRunner* runner : std::as_const(m_runners))
        run.answers.append(runner->answer());
    run.synthesis = m_synthesis;
    QString error;
    if (!m_engine.history().save(run, &error))
        qCWarning(lcEngine).noquote() << "could not save this comparison to the history:" << error;
    emit finished();
}

} // namespace parallax
