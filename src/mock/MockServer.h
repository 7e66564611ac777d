#pragma once

#include <memory>

#include <QHostAddress>
#include <QJsonObject>
#include <QObject>
#include <QTcpServer>

#include "DeterministicRandom.h"
#include "MockConfig.h"
#include "MockStats.h"
#include "RateLimiter.h"
#include "ReceivedRequest.h"
#include "StreamScheduler.h"

namespace parallax::mock {

class HttpConnection;
struct HttpRequest;
class ProviderProtocol;
class OpenAiProtocol;
class AnthropicProtocol;
class GeminiProtocol;
class OllamaProtocol;
class OpenAiBatchApi;
class AnthropicBatchApi;
class ModelListApi;

/// A loopback HTTP/1.1 server that answers like OpenAI, Anthropic, Gemini and Ollama (and every
/// OpenAI-compatible server), with deterministic answers, pacing and fault injection.
/// Everything runs on the thread's event loop; no threads, no blocking.
class MockServer : public QObject {
    Q_OBJECT
public:
    explicit MockServer(MockConfig config = {}, QObject* parent = nullptr);
    ~MockServer() override;

    /// Port 0 picks a free port; see port().
    bool listen(const QHostAddress& address = QHostAddress::LocalHost, quint16 port = 0);
    void close();
    quint16 port() const;
    /// "http://127.0.0.1:PORT" (the base URL without a path).
    QString baseUrl() const;
    QString errorString() const;

    void setConfig(const MockConfig& config);
    const MockConfig& config() const;

    /// Generation requests received (all protocols), whatever their outcome.
    int requestCount() const;
    /// The last 1000 requests (all paths except /mock/*), oldest first.
    QList<ReceivedRequest> receivedRequests() const;
    /// Counts: total, byProtocol, byPath, byStatus, byFault, tokensStreamed, connectionsDropped,
    /// clientAborts, connectionsAccepted, rateLimited.
    QJsonObject statsJson() const;
    void resetStats();

    /// Batches created through the OpenAI Batch API and Anthropic's Message Batches (for tests that
    /// check nothing is submitted twice). Batches live in memory for the server's lifetime.
    int openAiBatchesCreated() const;
    int anthropicBatchesCreated() const;

signals:
    void requestReceived(const parallax::mock::ReceivedRequest& request);

private:
    void onNewConnection();
    void handleRequest(HttpConnection* connection, const HttpRequest& request);
    void handleGeneration(HttpConnection* connection, const HttpRequest& request,
                          const ProviderProtocol& protocol);
    void handleBatch(HttpConnection* connection, const HttpRequest& request);
    void handleOther(HttpConnection* connection, const HttpRequest& request);
    void sendJson(HttpConnection* connection, int status, const QByteArray& body,
                  const QByteArray& contentType = "application/json");
    const ProviderProtocol* protocolFor(const HttpRequest& request) const;
    Fault configuredFault();

    MockConfig m_config;
    std::optional<Fault> m_configFault;
    QTcpServer m_server;
    StreamScheduler m_scheduler;
    RateLimiter m_limiter;
    MockStats m_stats;
    QList<ReceivedRequest> m_received;
    int m_requestCount = 0;
    quint64 m_sequence = 0;
    DeterministicRandom m_faultRandom;
    std::unique_ptr<OpenAiProtocol> m_openAi;
    std::unique_ptr<AnthropicProtocol> m_anthropic;
    std::unique_ptr<GeminiProtocol> m_gemini;
    std::unique_ptr<OllamaProtocol> m_ollama;
    std::unique_ptr<OpenAiBatchApi> m_openAiBatches;
    std::unique_ptr<AnthropicBatchApi> m_anthropicBatches;
    std::unique_ptr<ModelListApi> m_modelLists;
};

} // namespace parallax::mock
