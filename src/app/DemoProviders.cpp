#include "DemoProviders.h"

#include "app/UiLog.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>

namespace parallax {

DemoProviders::DemoProviders(QNetworkAccessManager* network, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_mockProgram(defaultMockProgram()) {}

DemoProviders::~DemoProviders() {
    if (m_process && m_process->state() != QProcess::NotRunning) {
        // The mock exits at once on SIGKILL; waiting here is bounded and happens only on quit.
        m_process->disconnect(this);
        m_process->kill();
        m_process->waitForFinished(2000);
    }
}

QString DemoProviders::defaultMockProgram() {
    const QString dir = QCoreApplication::applicationDirPath();
    for (const QString& candidate :
         {dir + QStringLiteral("/../mock/parallax-mock"), dir + QStringLiteral("/parallax-mock")}) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable())
            return info.canonicalFilePath();
    }
    return {};
}

bool DemoProviders::isRunning() const {
    return m_process && m_process->state() == QProcess::Running && !m_baseUrl.isEmpty();
}

qint64 DemoProviders::processId() const {
    return m_process ? m_process->processId() : 0;
}

void DemoProviders::start() {
    if (isRunning()) {
        emit started(simulatorProfiles(m_baseUrl));
        return;
    }
    if (m_process)
        return; // already starting
    if (m_mockProgram.isEmpty()) {
        emit failed(tr("The local simulator (parallax-mock) was not found next to the application."));
        return;
    }
    m_process = new QProcess(this);
    m_process->setProgram(m_mockProgram);
    m_process->setArguments({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--quiet")});
    m_process->setProcessChannelMode(QProcess::SeparateChannels);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &DemoProviders::onOutput);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        emit failed(tr("The local simulator could not start: %1").arg(m_process->errorString()));
        m_process->deleteLater();
        m_process = nullptr;
    });
    connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus) {
        const bool wasReady = !m_baseUrl.isEmpty();
        const QString errors = QString::fromLocal8Bit(m_process->readAllStandardError()).trimmed();
        m_baseUrl.clear();
        m_process->deleteLater();
        m_process = nullptr;
        emit failed(wasReady ? tr("The local simulator stopped (exit status %1).").arg(exitCode)
                             : tr("The local simulator exited before it was ready: %1").arg(errors));
    });
    qCInfo(lcUi) << "starting the local simulator" << m_mockProgram;
    m_process->start();
}

void DemoProviders::onOutput() {
    m_output += m_process->readAllStandardOutput();
    if (!m_baseUrl.isEmpty())
        return;
    static const QRegularExpression listening(QStringLiteral("listening on (http://127\\.0\\.0\\.1:\\d+)"));
    const QRegularExpressionMatch match = listening.match(QString::fromUtf8(m_output));
    if (!match.hasMatch())
        return;
    m_baseUrl = match.captured(1);
    m_output.clear();
    qCInfo(lcUi) << "local simulator listening on" << m_baseUrl;
    emit started(simulatorProfiles(m_baseUrl));
}

QList<AppProfile> DemoProviders::simulatorProfiles(const QString& baseUrl) {
    const QString where = tr("Local simulator (parallax-mock) at %1: answers are generated on this machine, "
                             "nothing is sent to a provider.")
                              .arg(baseUrl);
    auto make = [&](const QString& name, ProviderKind kind, const QString& model, const QString& url) {
        AppProfile profile;
        profile.profile = {name, kind, model, QUrl(url)};
        profile.demo = true;
        profile.description = where;
        return profile;
    };
    return {make(tr("OpenAI simulator"), ProviderKind::OpenAi, QStringLiteral("gpt-mock"), baseUrl + "/v1"),
            make(tr("Anthropic simulator"), ProviderKind::Anthropic, QStringLiteral("claude-mock"), baseUrl),
            make(tr("Gemini simulator"), ProviderKind::Gemini, QStringLiteral("gemini-mock"), baseUrl)};
}

AppProfile DemoProviders::ollamaProfile(const QString& model) const {
    AppProfile profile;
    profile.profile = {tr("Ollama %1").arg(model), ProviderKind::Ollama, model, m_ollamaUrl};
    profile.demo = true;
    profile.description =
        tr("Your local Ollama at %1: the prompt never leaves this machine.").arg(m_ollamaUrl.toString());
    return profile;
}

void DemoProviders::detectOllama() {
    QUrl url = m_ollamaUrl;
    url.setPath(QStringLiteral("/api/tags"));
    QNetworkRequest request(url);
    request.setTransferTimeout(1500); // a local server answers at once or not at all
    QNetworkReply* reply = m_network->get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError)
            return;
        QStringList models;
        const QJsonArray list =
            QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("models")).toArray();
        for (const QJsonValue& model : list)
            models.append(model.toObject().value(QLatin1String("name")).toString());
        models.removeAll(QString());
        if (models.isEmpty())
            return;
        m_ollamaModels = models;
        emit ollamaDetected(models);
    });
}

} // namespace parallax
