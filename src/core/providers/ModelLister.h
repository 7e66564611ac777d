#pragma once

#include "providers/ProviderError.h"
#include "providers/ProviderProfile.h"

#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace parallax {

/// Lists the models a provider offers at a profile's endpoint (see ModelListEndpoint), asynchronously
/// on the shared network manager, every page within one deadline. It ends in one `finished()` with the
/// model names (sorted, without repeats) or a typed error as the chat requests have them — an HTTP
/// error read by the provider's ErrorBodyParser, a network failure, a timeout — whose message never
/// holds the key.
class ModelLister : public QObject {
    Q_OBJECT
public:
    explicit ModelLister(QNetworkAccessManager* network, QObject* parent = nullptr);
    ~ModelLister() override;

    /// The whole listing must end within this time (default 15 s).
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    /// Entries asked per page where the protocol pages its list (default 1000, the providers' maximum).
    void setPageSize(int size) { m_pageSize = size; }

    /// Lists `profile`'s models with `apiKey` (empty: none is sent). A listing still running is dropped
    /// without a `finished()`: its answer would belong to other settings.
    void start(const ProviderProfile& profile, const QString& apiKey);
    /// Stops the listing; it finishes with a `cancelled` error.
    void cancel();

    bool isRunning() const { return m_running; }
    const QStringList& models() const { return m_models; }
    const std::optional<ProviderError>& error() const { return m_error; }

signals:
    void finished();

private:
    void requestPage(const QString& cursor);
    void onPageFinished();
    void finish(std::optional<ProviderError> error);
    void dropReply();

    QNetworkAccessManager* m_network;
    QPointer<QNetworkReply> m_reply;
    QTimer m_deadline;
    ProviderProfile m_profile;
    QString m_apiKey;
    int m_timeoutMs = 15'000;
    int m_pageSize = 1000;
    int m_pages = 0;
    QString m_cursor;
    bool m_running = false;
    bool m_cancelled = false;
    bool m_timedOut = false;
    bool m_tooLarge = false;
    QStringList m_models;
    std::optional<ProviderError> m_error;
};

} // namespace parallax
