#include "ModelLister.h"

#include "net/NetworkFailure.h"
#include "providers/ModelListEndpoint.h"
#include "providers/ProviderRegistry.h"

#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>

Q_DECLARE_LOGGING_CATEGORY(lcNet)

namespace parallax {

namespace {
// A provider with thousands of models still fits in a few pages; a server that keeps handing out
// cursors is not followed forever.
constexpr int kMaxPages = 50;
// A model list is small; an endless body from a wrong URL must not eat memory.
constexpr qint64 kMaxBodyBytes = 16 << 20;
} // namespace

ModelLister::ModelLister(QNetworkAccessManager* network, QObject* parent)
    : QObject(parent)
    , m_network(network) {
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (!m_reply)
            return;
        m_timedOut = true;
        m_reply->abort(); // finishes the reply, which reports the timeout
    });
}

ModelLister::~ModelLister() {
    dropReply();
}

void ModelLister::dropReply() {
    if (!m_reply)
        return;
    m_reply->disconnect(this);
    m_reply->abort();
    m_reply->deleteLater();
    m_reply = nullptr;
}

void ModelLister::start(const ProviderProfile& profile, const QString& apiKey) {
    dropReply();
    m_profile = profile;
    m_apiKey = apiKey;
    m_models.clear();
    m_error.reset();
    m_pages = 0;
    m_cursor.clear();
    m_cancelled = false;
    m_timedOut = false;
    m_tooLarge = false;
    m_running = true;
    m_deadline.start(m_timeoutMs);
    requestPage(QString());
}

void ModelLister::cancel() {
    if (!m_running)
        return;
    m_cancelled = true;
    if (m_reply)
        m_reply->abort();
}

void ModelLister::requestPage(const QString& cursor) {
    QNetworkRequest request = ModelListEndpoint::request(m_profile, m_apiKey, cursor, m_pageSize);
    request.setTransferTimeout(m_timeoutMs);
    // The query holds only paging cursors, but a Gemini URL may carry ?key= elsewhere: log the path only.
    qCDebug(lcNet) << "listing the models of" << m_profile.name << "at"
                   << request.url().toString(QUrl::RemoveQuery);
    ++m_pages;
    m_cursor = cursor;
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::finished, this, &ModelLister::onPageFinished);
    connect(m_reply, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64) {
        if (received > kMaxBodyBytes && m_reply) {
            m_tooLarge = true;
            m_reply->abort();
        }
    });
}

void ModelLister::onPageFinished() {
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    if (!reply)
        return;
    reply->disconnect(this);
    reply->deleteLater();

    if (m_cancelled)
        return finish(ProviderError{ErrorType::Cancelled,
                                    QStringLiteral("cancelled by the user"),
                                    std::nullopt,
                                    false,
                                    std::nullopt,
                                    {}});
    if (m_tooLarge)
        return finish(
            ProviderError{ErrorType::NotFound,
                          QStringLiteral("%1 answered with more than %2 MB, which is no list of models")
                              .arg(reply->url().toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo))
                              .arg(kMaxBodyBytes >> 20),
                          std::nullopt,
                          false,
                          std::nullopt,
                          {}});
    // The transfer timeout aborts the reply as the deadline does; whichever came first, it is a timeout.
    if (m_timedOut || reply->error() == QNetworkReply::TimeoutError ||
        reply->error() == QNetworkReply::OperationCanceledError)
        return finish(ProviderError{ErrorType::Timeout,
                                    QStringLiteral("no list of models within %1 s").arg(m_timeoutMs / 1000.0),
                                    std::nullopt,
                                    true,
                                    std::nullopt,
                                    {}});
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid())
        return finish(NetworkFailure::fromReply(reply->error(), reply->errorString(), m_profile.baseUrl));
    const QByteArray body = reply->readAll();
    if (status.toInt() < 200 || status.toInt() >= 300)
        return finish(ProviderRegistry::provider(m_profile.kind)
                          .errorFromResponse(status.toInt(), body, reply->rawHeaderPairs()));
    if (reply->error() != QNetworkReply::NoError)
        return finish(NetworkFailure::fromReply(reply->error(), reply->errorString(), m_profile.baseUrl));

    const std::optional<ModelListEndpoint::Page> page = ModelListEndpoint::parse(m_profile.kind, body);
    if (!page) {
        return finish(ProviderError{ErrorType::NotFound,
                                    QStringLiteral("%1 answered, but not with a %2 list of models")
                                        .arg(reply->url().toString(QUrl::RemoveQuery | QUrl::RemoveUserInfo),
                                             providerKindName(m_profile.kind)),
                                    status.toInt(),
                                    false,
                                    std::nullopt,
                                    {}});
    }
    m_models += page->models;
    if (!page->next.isEmpty() && page->next != m_cursor && m_pages < kMaxPages)
        return requestPage(page->next);
    finish(std::nullopt);
}

void ModelLister::finish(std::optional<ProviderError> error) {
    m_deadline.stop();
    m_running = false;
    if (error) {
        // Some providers echo the key they rejected; it must reach no window and no log.
        if (m_apiKey.size() >= 4)
            error->message.replace(m_apiKey, QStringLiteral("[key removed]"));
        m_models.clear();
        m_error = std::move(error);
    } else {
        m_models.removeDuplicates();
        m_models.sort(Qt::CaseInsensitive);
    }
    emit finished();
}

} // namespace parallax
