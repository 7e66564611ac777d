#pragma once

#include "app/AppProfile.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;
class QProcess;

namespace parallax {

/// The offline demo: starts `parallax-mock --port 0` as a child process and turns it into three demo
/// profiles (OpenAI, Anthropic and Gemini protocol), and looks for a local Ollama to offer as well.
/// The child is killed when this object goes away, so quitting the window never leaves it behind.
class DemoProviders : public QObject {
    Q_OBJECT
public:
    DemoProviders(QNetworkAccessManager* network, QObject* parent = nullptr);
    ~DemoProviders() override;

    /// Next to the app's executable: "../mock/parallax-mock" in the build tree, or the same folder
    /// when installed. Empty when neither exists.
    static QString defaultMockProgram();
    void setMockProgram(const QString& program) { m_mockProgram = program; }
    QString mockProgram() const { return m_mockProgram; }
    void setOllamaUrl(const QUrl& url) { m_ollamaUrl = url; }
    QUrl ollamaUrl() const { return m_ollamaUrl; }

    /// Starts the mock; `started` or `failed` follows.
    void start();
    bool isRunning() const;
    QString baseUrl() const { return m_baseUrl; }
    qint64 processId() const;

    /// The three simulator profiles for a mock listening at `baseUrl` ("http://127.0.0.1:PORT").
    static QList<AppProfile> simulatorProfiles(const QString& baseUrl);
    /// A profile for a model of the local Ollama.
    AppProfile ollamaProfile(const QString& model) const;

    /// Asks the local Ollama for its models (GET /api/tags, short timeout); `ollamaDetected` follows
    /// only when it answers.
    void detectOllama();
    QStringList ollamaModels() const { return m_ollamaModels; }

    /// The placeholder key the simulators accept; it is not a secret and lives in memory only.
    static QString placeholderKey() { return QStringLiteral("demo-placeholder-key"); }

signals:
    void started(const QList<parallax::AppProfile>& profiles);
    void failed(const QString& message);
    void ollamaDetected(const QStringList& models);

private:
    void onOutput();

    QNetworkAccessManager* m_network;
    QProcess* m_process = nullptr;
    QString m_mockProgram;
    QUrl m_ollamaUrl{QStringLiteral("http://127.0.0.1:11434")};
    QString m_baseUrl;
    QByteArray m_output;
    QStringList m_ollamaModels;
};

} // namespace parallax
