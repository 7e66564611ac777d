#include "ProviderBatchClient.h"

#include "batch/AnthropicBatchClient.h"
#include "batch/OpenAiBatchClient.h"
#include "net/HttpHeaders.h"
#include "providers/ProviderRegistry.h"

#include <QHttpMultiPart>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

Q_DECLARE_LOGGING_CATEGORY(lcBatch)

namespace parallax {

bool ProviderBatchClient::supports(ProviderKind kind) {
    return kind == ProviderKind::OpenAi || kind == ProviderKind::Anthropic;
}

std::unique_ptr<ProviderBatchClient> ProviderBatchClient::create(QNetworkAccessManager* network,
                                                                 const CompareTarget& target,
                                                                 CallOptions options, QObject* parent) {
    switch (target.profile.kind) {
    case ProviderKind::OpenAi:
        return std::make_unique<OpenAiBatchClient>(network, target, options, parent);
    case ProviderKind::Anthropic:
        return std::make_unique<AnthropicBatchClient>(network, target, options, parent);
    default:
        return nullptr;
    }
}

ProviderBatchClient::ProviderBatchClient(QNetworkAccessManager* network, CompareTarget target,
                                         CallOptions options, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_target(std::move(target))
    , m_options(options) {}

ProviderBatchClient::~ProviderBatchClient() {
    abort();
}

void ProviderBatchClient::submitUploaded(const QString& /*inputFileId*/) {
    ProviderError error;
    error.type = ErrorType::InvalidRequest;
    error.message = QStringLiteral("this provider's batches have no separate input file");
    emit failed(error);
}

void ProviderBatchClient::abort() {
    const QSet<QNetworkReply*> replies = std::exchange(m_replies, {});
    for (QNetworkReply* reply : replies) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

QNetworkRequest ProviderBatchClient::request(const QString& path) const {
    // The provider's own request carries its auth and version headers; only the URL and Accept differ.
    QNetworkRequest request =
        ProviderRegistry::provider(m_target.profile.kind).buildRequest(m_target.profile, m_target.apiKey);
    QUrl url = m_target.profile.baseUrl;
    QString basePath = url.path();
    while (basePath.endsWith(QLatin1Char('/')))
        basePath.chop(1);
    url.setPath(basePath + path);
    request.setUrl(url);
    request.setRawHeader("Accept", "application/json");
    request.setTransferTimeout(static_cast<int>(m_options.idleTimeoutMs));
    return request;
}

void ProviderBatchClient::send(const QNetworkRequest& request, const QByteArray& verb, const QByteArray& body,
                               Handler onSuccess) {
    QNetworkReply* reply =
        verb == "GET" ? m_network->get(request) : m_network->sendCustomRequest(request, verb, body);
    watch(reply, std::move(onSuccess));
}

void ProviderBatchClient::sendMultipart(const QNetworkRequest& request, QHttpMultiPart* multipart,
                                        Handler onSuccess) {
    QNetworkRequest upload = request;
    // QNAM writes the multipart content type with its boundary only when none is set.
    upload.setHeader(QNetworkRequest::ContentTypeHeader, QVariant());
    QNetworkReply* reply = m_network->post(upload, multipart);
    multipart->setParent(reply);
    watch(reply, std::move(onSuccess));
}

void ProviderBatchClient::watch(QNetworkReply* reply, Handler onSuccess) {
    m_replies.insert(reply);
    // Batch downloads can be large but never stream: the overall deadline bounds a hung server.
    auto* deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, reply, [reply] { reply->abort(); });
    deadline->start(static_cast<int>(m_options.timeoutMs));
    connect(reply, &QNetworkReply::finished, this, [this, reply, onSuccess = std::move(onSuccess)] {
        m_replies.remove(reply);
        reply->deleteLater();
        const QVariant statusAttribute = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        const QByteArray body = reply->readAll();
        if (!statusAttribute.isValid()) {
            ProviderError error;
            const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError ||
                                  reply->error() == QNetworkReply::TimeoutError;
            error.type = timedOut ? ErrorType::Timeout : ErrorType::Network;
            error.retryable = true;
            error.message = QStringLiteral("%1 batch API: %2")
                                .arg(providerKindName(m_target.profile.kind), reply->errorString());
            emit failed(error);
            return;
        }
        const int status = statusAttribute.toInt();
        if (status < 200 || status >= 300) {
            const ProviderError error = ProviderRegistry::provider(m_target.profile.kind)
                                            .errorFromResponse(status, body, reply->rawHeaderPairs());
            emit failed(error);
            return;
        }
        onSuccess(body);
    });
}

void ProviderBatchClient::failMalformed(const QString& what) {
    ProviderError error;
    error.type = ErrorType::Server;
    error.retryable = true;
    error.message = QStringLiteral("%1 batch API: %2").arg(providerKindName(m_target.profile.kind), what);
    emit failed(error);
}

bool ProviderBatchClient::parseResultLines(
    const QByteArray& jsonl, const std::function<RemoteBatchResult(const QJsonObject&)>& parseLine,
    QList<RemoteBatchResult>& out) {
    for (const QByteArray& line : jsonl.split('\n')) {
        if (line.trimmed().isEmpty())
            continue;
        const QJsonDocument document = QJsonDocument::fromJson(line);
        if (!document.isObject()) {
            failMalformed(
                QStringLiteral("a result line is not JSON: %1").arg(QString::fromUtf8(line.left(80))));
            return false;
        }
        out.append(parseLine(document.object()));
    }
    return true;
}

} // namespace parallax
