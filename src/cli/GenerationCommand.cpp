#include "GenerationCommand.h"

#include "cli/ProfileResolver.h"
#include "engine/AnswerJson.h"
#include "engine/CompareSession.h"
#include "engine/Engine.h"
#include "engine/SanitizerConfig.h"
#include "engine/SynthesisPrompt.h"
#include "sanitize/Sanitizer.h"
#include "store/DataDirectory.h"
#include "store/Settings.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>

#include <cstdio>

namespace parallax::cli {

namespace {
void writeOut(FILE* stream, const QByteArray& bytes) {
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}
} // namespace

GenerationCommand::GenerationCommand(GenerationOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options)) {}

GenerationCommand::~GenerationCommand() {
    delete m_session; // before the engine it uses
}

std::optional<CliError> GenerationCommand::start() {
    CompareRequest request;
    request.command = m_options.compare ? QStringLiteral("compare") : QStringLiteral("run");
    request.request = m_options.request;
    request.call = m_options.call;
    request.useCache = !m_options.noCache;

    QString loadError;
    auto settings = Settings::load(DataDirectory::filePath(QStringLiteral("settings.json")), &loadError);
    if (!settings)
        return CliError{loadError, ExitUsage};
    const QJsonObject sanitizeSection = settings->section(QStringLiteral("sanitize"));
    if (!m_options.noSanitize) {
        if (const QStringList problems = SanitizerConfig::problems(sanitizeSection); !problems.isEmpty())
            return CliError{problems.join(QStringLiteral("; ")) + QStringLiteral(" (nothing was sent)"),
                            ExitUsage};
        // What leaves the machine is decided here, before the request, the cache key, history and audit.
        auto sanitizer = std::make_shared<const Sanitizer>(SanitizerConfig::fromJson(sanitizeSection));
        request.rawRequest = m_options.request;
        const SanitizedText system = sanitizer->sanitize(m_options.request.system, request.vault);
        request.request.system = system.text;
        for (const Span& span : system.redactedSpans())
            ++request.redactions[span.type];
        for (ChatMessage& message : request.request.messages) {
            const SanitizedText text = sanitizer->sanitize(message.content, request.vault);
            message.content = text.text;
            for (const Span& span : text.redactedSpans())
                ++request.redactions[span.type];
        }
        // A column's fallbacks get the request its profile gets: raw only when all of them may.
        for (const ProviderProfile& profile : std::as_const(m_options.profiles))
            request.columnSanitized.append(SanitizerConfig::sanitizesChain(
                QList<ProviderProfile>{profile} + m_options.fallbacks.value(profile.name), sanitizeSection));
        if (m_options.synthesizer)
            request.synthesisSanitized = SanitizerConfig::sanitizes(*m_options.synthesizer, sanitizeSection);
        request.sanitizer = std::move(sanitizer);
        m_redactions = request.redactions;
    }

    QStringList names;
    for (const ProviderProfile& profile : std::as_const(m_options.profiles)) {
        auto chain = ProfileResolver::chain(profile, m_options.fallbacks.value(profile.name));
        if (auto* error = std::get_if<CliError>(&chain))
            return *error;
        request.columns.append(std::get<QList<CompareTarget>>(chain));
        names.append(profile.name);
    }
    if (m_options.synthesizer) {
        auto target = ProfileResolver::target(*m_options.synthesizer);
        if (auto* error = std::get_if<CliError>(&target))
            return *error;
        request.synthesizer = std::get<CompareTarget>(target);
        request.synthesisTemplate = SynthesisPrompt::templateFor(DataDirectory::path());
    }

    m_network = new QNetworkAccessManager(this);
    m_engine = Engine::open(m_network, DataDirectory::path(), &loadError);
    if (!m_engine)
        return CliError{loadError, ExitUsage};

    m_session = new CompareSession(*m_engine, request);
    if (!m_options.json) {
        m_printer = std::make_unique<PlainAnswerPrinter>(names, m_options.compare);
        if (!m_redactions.isEmpty())
            m_printer->onRedactions(m_redactions);
        connect(m_session, &CompareSession::answerDelta, this,
                [this](int index, const StreamDelta& delta) { m_printer->onDelta(index, delta); });
        connect(m_session, &CompareSession::answerStateChanged, this,
                [this](int index, RequestState state, const QString& detail) {
                    m_printer->onState(index, state, detail);
                });
        connect(m_session, &CompareSession::answerFinished, this,
                [this](int index) { m_printer->onFinished(index, m_session->answer(index)); });
        connect(m_session, &CompareSession::synthesisStarted, this,
                [this] { m_printer->onSynthesisStarted(); });
        connect(m_session, &CompareSession::synthesisDelta, this,
                [this](const StreamDelta& delta) { m_printer->onSynthesisDelta(delta); });
    }
    connect(m_session, &CompareSession::finished, this, &GenerationCommand::finish);
    m_session->start();
    return std::nullopt;
}

void GenerationCommand::cancel() {
    if (m_session)
        m_session->cancel();
}

void GenerationCommand::finish() {
    QList<Answer> answers = m_session->answers();
    const std::optional<Answer>& synthesis = m_session->synthesis();
    if (synthesis)
        answers.append(*synthesis);
    bool anyFailed = false;
    bool budgetRefused = false;
    for (const Answer& answer : std::as_const(answers)) {
        anyFailed = anyFailed || !answer.succeeded();
        budgetRefused = budgetRefused || (answer.error && answer.error->type == ErrorType::Budget);
    }

    if (m_options.json) {
        QJsonDocument document;
        if (m_options.compare) {
            QJsonArray array;
            for (const Answer& answer : m_session->answers())
                array.append(AnswerJson::toJson(answer));
            QJsonValue synthesisJson = QJsonValue::Null;
            if (synthesis) {
                QJsonObject object = AnswerJson::toJson(*synthesis);
                QJsonObject labels;
                for (const auto& [label, profile] : m_session->synthesisLabels())
                    labels.insert(label, profile);
                object.insert(QStringLiteral("labels"), labels);
                synthesisJson = object;
            }
            QJsonObject redactions;
            for (auto it = m_redactions.begin(); it != m_redactions.end(); ++it)
                redactions.insert(it.key(), it.value());
            document.setObject(QJsonObject{{"answers", array},
                                           {"synthesis", synthesisJson},
                                           {"agreement", m_session->agreementJson()},
                                           {"redactions", redactions},
                                           {"request_id", m_session->requestId()}});
        } else {
            document.setObject(AnswerJson::toJson(answers.first()));
        }
        writeOut(stdout, document.toJson(QJsonDocument::Indented));
    } else if (synthesis) {
        m_printer->onSynthesisFinished(*synthesis, m_session->synthesisLabels());
    }
    emit done(budgetRefused ? ExitBudget : anyFailed ? ExitRequestFailed : ExitSuccess);
}

} // namespace parallax::cli
