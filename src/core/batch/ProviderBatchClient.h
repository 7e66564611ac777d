#pragma once

#include "batch/RemoteBatchResult.h"
#include "batch/RemoteBatchStatus.h"
#include "engine/CompareTarget.h"
#include "net/CallOptions.h"
#include "providers/ChatRequest.h"
#include "providers/ProviderError.h"

#include <QJsonObject>
#include <QList>
#include <QNetworkRequest>
#include <QObject>
#include <QPair>
#include <QSet>

#include <functional>
#include <memory>

class QHttpMultiPart;
class QNetworkAccessManager;
class QNetworkReply;

namespace parallax {

/// A provider's Batch API, asynchronously over QNetworkAccessManager, with the provider's own key and
/// headers. One operation at a time; each ends with its signal or with failed(). Non-2xx answers become
/// typed errors through ErrorBodyParser.
class ProviderBatchClient : public QObject {
    Q_OBJECT
public:
    /// One request of a batch: its custom_id and its non-streaming body.
    using Request = QPair<QString, QJsonObject>;

    /// Whether `kind` has a Batch API this client speaks (OpenAI and Anthropic).
    static bool supports(ProviderKind kind);
    /// The client for the target's kind; null for kinds without a Batch API.
    static std::unique_ptr<ProviderBatchClient> create(QNetworkAccessManager* network,
                                                       const CompareTarget& target, CallOptions options,
                                                       QObject* parent = nullptr);

    ~ProviderBatchClient() override;

    /// The provider's own request body for one prompt, without streaming.
    virtual QJsonObject requestBody(const ChatRequest& request) const = 0;
    /// Uploads (OpenAI) and creates the batch; emits inputUploaded (OpenAI), then submitted.
    virtual void submit(const QList<Request>& requests) = 0;
    /// OpenAI: creates the batch from an input file already uploaded.
    virtual void submitUploaded(const QString& inputFileId);
    virtual void poll(const QString& remoteId) = 0;
    /// Downloads and parses the results of an ended batch; emits resultsDownloaded.
    virtual void downloadResults(const RemoteBatchStatus& status) = 0;
    virtual void cancelBatch(const QString& remoteId) = 0;
    /// Drops the operation in flight without a signal.
    void abort();

    const CompareTarget& target() const { return m_target; }

signals:
    void inputUploaded(const QString& fileId);
    void submitted(const parallax::RemoteBatchStatus& status);
    void polled(const parallax::RemoteBatchStatus& status);
    void resultsDownloaded(const QList<parallax::RemoteBatchResult>& results);
    void failed(const parallax::ProviderError& error);

protected:
    ProviderBatchClient(QNetworkAccessManager* network, CompareTarget target, CallOptions options,
                        QObject* parent);

    using Handler = std::function<void(const QByteArray& body)>;

    /// A request to `path` under the base URL, with the provider's key and headers.
    QNetworkRequest request(const QString& path) const;
    /// Sends and calls `onSuccess` with the body of a 2xx answer; anything else emits failed().
    void send(const QNetworkRequest& request, const QByteArray& verb, const QByteArray& body,
              Handler onSuccess);
    void sendMultipart(const QNetworkRequest& request, QHttpMultiPart* multipart, Handler onSuccess);
    /// A malformed answer from the provider.
    void failMalformed(const QString& what);
    /// Parses a JSONL results file line by line into `out`; a line that is not a JSON object fails the
    /// download (failMalformed) and returns false.
    bool parseResultLines(const QByteArray& jsonl,
                          const std::function<RemoteBatchResult(const QJsonObject&)>& parseLine,
                          QList<RemoteBatchResult>& out);

private:
    void watch(QNetworkReply* reply, Handler onSuccess);

    QNetworkAccessManager* m_network;
    CompareTarget m_target;
    CallOptions m_options;
    QSet<QNetworkReply*> m_replies;
};

} // namespace parallax
