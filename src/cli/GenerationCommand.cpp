#include "GenerationCommand.h"

#include "engine/AnswerJson.h"
#include "engine/CompareSession.h"
#include "secrets/EnvironmentKeys.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>

#include <cstdio>

namespace parallax::cli {

GenerationCommand::GenerationCommand(GenerationOptions options, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options)) {}

GenerationCommand::~GenerationCommand() = default;

std::optional<CliError> GenerationCommand::start() {
    QList<CompareTarget> targets;
    QStringList names;
    for (const ProviderProfile& profile : std::as_const(m_options.profiles)) {
        const std::optional<QString> key = EnvironmentKeys::keyFor(profile.kind);
        if (!key && requiresApiKey(profile.kind)) {
            return CliError{QStringLiteral("profile '%1' needs an API key: set %2 in the environment "
                                           "(keys are never taken on the command line)")
                                .arg(profile.name, apiKeyVariable(profile.kind)),
                            ExitUsage};
        }
        targets.append(CompareTarget{profile, key.value_or(QString())});
        names.append(profile.name);
    }
    if (!m_options.fallbackSpecs.isEmpty())
        std::fputs("parallax-cli: note: --fallback is accepted but fallback chains are not active yet\n",
                   stderr);
    if (m_options.synthesizeSpec)
        std::fputs("parallax-cli: note: --synthesize is accepted but synthesis is not active yet\n", stderr);

    m_network = new QNetworkAccessManager(this);
    m_session = new CompareSession(m_network, targets, m_options.request, m_options.call, this);
    if (!m_options.json) {
        m_printer = std::make_unique<PlainAnswerPrinter>(names, m_options.compare);
        connect(m_session, &CompareSession::answerDelta, this,
                [this](int index, const StreamDelta& delta) { m_printer->onDelta(index, delta); });
        connect(m_session, &CompareSession::answerFinished, this,
                [this](int index) { m_printer->onFinished(index, m_session->answer(index)); });
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
    const QList<Answer> answers = m_session->answers();
    bool anyFailed = false;
    for (const Answer& answer : answers)
        anyFailed = anyFailed || !answer.succeeded();

    if (m_options.json) {
        QJsonDocument document;
        if (m_options.compare) {
            QJsonArray array;
            for (const Answer& answer : answers)
                array.append(AnswerJson::toJson(answer));
            document.setObject(QJsonObject{{"answers", array}, {"synthesis", QJsonValue::Null}});
        } else {
            document.setObject(AnswerJson::toJson(answers.first()));
        }
        const QByteArray bytes = document.toJson(QJsonDocument::Indented);
        std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
        std::fflush(stdout);
    }
    emit done(anyFailed ? ExitRequestFailed : ExitSuccess);
}

} // namespace parallax::cli
