#pragma once

#include "net/CallOptions.h"
#include "net/HttpHeaders.h"
#include "providers/Answer.h"
#include "providers/ChatRequest.h"
#include "providers/ProviderProfile.h"
#include "providers/ResponseStream.h"
#include "providers/StreamDelta.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

class QNetworkAccessManager;
class QNetworkReply;

namespace parallax {

class Provider;

/// One streaming request to one provider, start to finish, fully asynchronous: sends the request, feeds
/// the body to the provider's parser as it arrives, enforces the deadline and the idle timeout, and ends
/// in exactly one `finished()` with a normalized Answer (partial text kept when it fails midway).
class StreamingCall : public QObject {
    Q_OBJECT
public:
    StreamingCall(QNetworkAccessManager* network, ProviderProfile profile, ChatRequest request,
                  QString apiKey, CallOptions options, QObject* parent = nullptr);
    ~StreamingCall() override;

    void start();
    /// Stops the request; the answer ends with a `cancelled` error and keeps what arrived.
    void cancel();

    bool isFinished() const { return m_finished; }
    const Answer& answer() const { return m_answer; }
    const ProviderProfile& profile() const { return m_profile; }
    /// The response's headers (rate-limit state), once finished; empty when no response came.
    const HttpHeaders& responseHeaders() const { return m_responseHeaders; }

signals:
    void delta(const parallax::StreamDelta& delta);
    void finished();

private:
    enum class AbortReason { None, Cancelled, Deadline, Idle, StreamFailed };

    void onReadyRead();
    void onReplyFinished();
    void abortWith(AbortReason reason);
    void complete(std::optional<ProviderError> error);
    ProviderError networkError() const;
    QString withoutKey(QString text) const;

    QNetworkAccessManager* m_network;
    const Provider& m_provider;
    ProviderProfile m_profile;
    ChatRequest m_request;
    QString m_apiKey;
    CallOptions m_options;

    QPointer<QNetworkReply> m_reply;
    std::unique_ptr<ResponseStream> m_stream;
    QElapsedTimer m_clock;
    QTimer m_deadline;
    QTimer m_idle;
    AbortReason m_abortReason = AbortReason::None;
    std::optional<int> m_httpStatus;
    QByteArray m_errorBody;
    bool m_finished = false;
    Answer m_answer;
    HttpHeaders m_responseHeaders;
};

} // namespace parallax
