#pragma once

#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QTcpSocket>

#include "HttpRequest.h"

namespace parallax::mock {

/// One client connection: parses HTTP/1.1 requests (keep-alive, pipelining, Expect: 100-continue,
/// Content-Length and chunked bodies arriving in any pieces) and writes responses, with
/// Content-Length for whole bodies and chunked transfer encoding for streams.
/// Requests are handed out one at a time: the next one only after the current response ended.
class HttpConnection : public QObject {
    Q_OBJECT
public:
    explicit HttpConnection(QTcpSocket* socket, QObject* parent = nullptr);
    ~HttpConnection() override;

    void sendResponse(int status, const HeaderList& headers, const QByteArray& body);
    void beginStream(int status, const HeaderList& headers);
    void writeChunk(const QByteArray& data);
    /// Pushes buffered bytes to the kernel now, so small pieces leave as separate writes.
    void flush();
    void endStream();
    /// Closes the connection in the middle of a response: the client sees no terminating chunk.
    void drop();

    bool isOpen() const;
    bool responseInProgress() const { return m_busy; }

    static QByteArray reasonPhrase(int status);

signals:
    void requestReady(const parallax::mock::HttpRequest& request);
    /// Emitted when a response's status line is written (for statistics).
    void responseStarted(int status, const QByteArray& path);
    /// The client went away while a response was still being written.
    void clientAborted();
    void closed();

private:
    enum class ParseState { Head, Body, ChunkedBody };

    void onReadyRead();
    void parse();
    bool parseHead(const QByteArray& head);
    bool parseChunkedBody();
    void finishRequest();
    void rejectAndClose(int status, const QByteArray& message);
    void writeHead(int status, const HeaderList& headers, const QByteArray& framingHeader);
    void responseDone();
    void dispatchNext();

    QPointer<QTcpSocket> m_socket;
    QByteArray m_buffer;
    ParseState m_state = ParseState::Head;
    HttpRequest m_current;
    qsizetype m_bodyRemaining = 0;
    QQueue<HttpRequest> m_pending;
    bool m_busy = false;
    bool m_streaming = false;
    bool m_closeAfterResponse = false;
    bool m_headOnly = false; ///< answering HEAD: headers as for GET, no body
    bool m_broken = false;
    QByteArray m_currentPath;
};

} // namespace parallax::mock
