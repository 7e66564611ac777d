#include "HttpConnection.h"

#include <QUrl>

#include "MockLogging.h"

namespace parallax::mock {

namespace {
// Generous limits: the mock serves tests and benchmarks, but a runaway client must not eat memory.
constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr qsizetype kMaxBodyBytes = 64 * 1024 * 1024;
} // namespace

HttpConnection::HttpConnection(QTcpSocket* socket, QObject* parent)
    : QObject(parent)
    , m_socket(socket) {
    socket->setParent(this);
    // Tokens are tiny writes; Nagle would batch them and blur the stream's timing.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    connect(socket, &QTcpSocket::readyRead, this, &HttpConnection::onReadyRead);
    connect(socket, &QTcpSocket::disconnected, this, [this] {
        if (m_busy && !m_broken)
            emit clientAborted();
        m_broken = true;
        emit closed();
    });
}

HttpConnection::~HttpConnection() {
    if (m_socket)
        m_socket->abort();
}

bool HttpConnection::isOpen() const {
    return m_socket && !m_broken && m_socket->state() == QAbstractSocket::ConnectedState;
}

QByteArray HttpConnection::reasonPhrase(int status) {
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    case 529:
        return "Site Overloaded";
    default:
        return "Unknown";
    }
}

void HttpConnection::onReadyRead() {
    if (!m_socket)
        return;
    m_buffer += m_socket->readAll();
    parse();
}

void HttpConnection::parse() {
    while (!m_broken) {
        if (m_state == ParseState::Head) {
            // RFC 9112 §2.2: ignore empty lines before a request line.
            while (m_buffer.startsWith("\r\n") || m_buffer.startsWith('\n'))
                m_buffer.remove(0, m_buffer.startsWith('\n') ? 1 : 2);
            qsizetype end = m_buffer.indexOf("\r\n\r\n");
            qsizetype separator = 4;
            const qsizetype bareEnd = m_buffer.indexOf("\n\n");
            if (bareEnd >= 0 && (end < 0 || bareEnd < end)) {
                end = bareEnd;
                separator = 2;
            }
            if (end < 0) {
                if (m_buffer.size() > kMaxHeadBytes)
                    rejectAndClose(431, "request head too large");
                return;
            }
            const QByteArray head = m_buffer.left(end);
            m_buffer.remove(0, end + separator);
            if (!parseHead(head))
                return;
            const bool chunked = m_current.header("transfer-encoding").toLower().contains("chunked");
            const QByteArray lengthText = m_current.header("content-length").trimmed();
            qsizetype length = 0;
            if (!chunked && !lengthText.isEmpty()) {
                bool ok = false;
                length = lengthText.toLongLong(&ok);
                if (!ok || length < 0) {
                    rejectAndClose(400, "invalid Content-Length");
                    return;
                }
                if (length > kMaxBodyBytes) {
                    rejectAndClose(413, "request body too large");
                    return;
                }
            }
            if (!chunked && length == 0) {
                finishRequest();
                continue;
            }
            const bool wantsContinue = m_current.header("expect").toLower() == "100-continue";
            if (wantsContinue && (chunked || m_buffer.size() < length) && m_socket) {
                m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
            }
            m_state = chunked ? ParseState::ChunkedBody : ParseState::Body;
            m_bodyRemaining = chunked ? -1 : length;
        } else if (m_state == ParseState::Body) {
            const qsizetype take = qMin(m_bodyRemaining, m_buffer.size());
            m_current.body += m_buffer.left(take);
            m_buffer.remove(0, take);
            m_bodyRemaining -= take;
            if (m_bodyRemaining > 0)
                return;
            finishRequest();
        } else {
            if (!parseChunkedBody())
                return;
        }
    }
}

bool HttpConnection::parseHead(const QByteArray& head) {
    const QList<QByteArray> lines = head.split('\n');
    QByteArray requestLine = lines.value(0);
    if (requestLine.endsWith('\r'))
        requestLine.chop(1);
    const QList<QByteArray> parts = requestLine.split(' ');
    if (parts.size() != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
        rejectAndClose(400, "malformed request line");
        return false;
    }
    const QByteArray version = parts[2];
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        rejectAndClose(505, "only HTTP/1.0 and HTTP/1.1 are spoken here");
        return false;
    }
    m_current = HttpRequest{};
    m_current.method = parts[0];
    QByteArray target = parts[1];
    if (target.startsWith("http://") || target.startsWith("https://")) {
        // Absolute form (proxies): keep only the path and query.
        const qsizetype slash = target.indexOf('/', target.indexOf("//") + 2);
        target = slash >= 0 ? target.mid(slash) : QByteArray("/");
    }
    m_current.target = target;
    const qsizetype question = target.indexOf('?');
    m_current.path = QByteArray::fromPercentEncoding(question >= 0 ? target.left(question) : target);
    if (question >= 0)
        m_current.query = QUrlQuery(QString::fromUtf8(target.mid(question + 1)));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        QByteArray line = lines[i];
        if (line.endsWith('\r'))
            line.chop(1);
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        m_current.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    const QByteArray connection = m_current.header("connection").toLower();
    m_current.keepAlive =
        version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive");
    return true;
}

bool HttpConnection::parseChunkedBody() {
    while (true) {
        if (m_bodyRemaining < 0) {
            const qsizetype lineEnd = m_buffer.indexOf("\r\n");
            if (lineEnd < 0)
                return false;
            QByteArray sizeText = m_buffer.left(lineEnd);
            const qsizetype semicolon = sizeText.indexOf(';');
            if (semicolon >= 0)
                sizeText.truncate(semicolon);
            bool ok = false;
            const qsizetype size = sizeText.trimmed().toLongLong(&ok, 16);
            if (!ok || size < 0 || m_current.body.size() + size > kMaxBodyBytes) {
                rejectAndClose(400, "invalid chunk size");
                return false;
            }
            if (size == 0) {
                // Last chunk: skip optional trailers up to the empty line.
                const qsizetype trailerEnd = m_buffer.indexOf("\r\n\r\n", lineEnd);
                if (trailerEnd < 0)
                    return false;
                m_buffer.remove(0, trailerEnd + 4);
                finishRequest();
                return true;
            }
            m_buffer.remove(0, lineEnd + 2);
            m_bodyRemaining = size;
        }
        if (m_buffer.size() < m_bodyRemaining + 2)
            return false;
        m_current.body += m_buffer.left(m_bodyRemaining);
        m_buffer.remove(0, m_bodyRemaining + 2);
        m_bodyRemaining = -1;
    }
}

void HttpConnection::finishRequest() {
    m_pending.enqueue(m_current);
    m_current = HttpRequest{};
    m_state = ParseState::Head;
    m_bodyRemaining = 0;
    dispatchNext();
}

void HttpConnection::dispatchNext() {
    if (m_busy || m_broken || m_pending.isEmpty())
        return;
    m_busy = true;
    const HttpRequest request = m_pending.dequeue();
    m_closeAfterResponse = !request.keepAlive;
    m_headOnly = request.method == "HEAD";
    m_currentPath = request.path;
    emit requestReady(request);
}

void HttpConnection::rejectAndClose(int status, const QByteArray& message) {
    qCInfo(lcMock) << "rejecting request:" << message;
    if (m_socket) {
        const QByteArray body =
            "{\"error\":{\"message\":\"" + message + "\",\"type\":\"invalid_request_error\"}}";
        m_socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) +
                        "\r\nContent-Type: application/json\r\nContent-Length: " +
                        QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        m_socket->disconnectFromHost();
    }
    m_broken = true;
}

void HttpConnection::writeHead(int status, const HeaderList& headers, const QByteArray& framingHeader) {
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    for (const auto& [name, value] : headers)
        head += name + ": " + value + "\r\n";
    head += framingHeader + "\r\n";
    if (m_closeAfterResponse)
        head += "Connection: close\r\n";
    head += "\r\n";
    m_socket->write(head);
    emit responseStarted(status, m_currentPath);
}

void HttpConnection::sendResponse(int status, const HeaderList& headers, const QByteArray& body) {
    if (!isOpen())
        return;
    writeHead(status, headers, "Content-Length: " + QByteArray::number(body.size()));
    if (!m_headOnly)
        m_socket->write(body);
    responseDone();
}

void HttpConnection::beginStream(int status, const HeaderList& headers) {
    if (!isOpen())
        return;
    m_streaming = true;
    writeHead(status, headers, "Transfer-Encoding: chunked");
}

void HttpConnection::writeChunk(const QByteArray& data) {
    // An empty chunk would end the body, so it is never written here.
    if (!isOpen() || !m_streaming || data.isEmpty())
        return;
    m_socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
}

void HttpConnection::flush() {
    if (isOpen())
        m_socket->flush();
}

void HttpConnection::endStream() {
    if (!isOpen() || !m_streaming)
        return;
    m_socket->write("0\r\n\r\n");
    responseDone();
}

void HttpConnection::drop() {
    if (!isOpen())
        return;
    m_broken = true;
    m_socket->flush();
    // Graceful FIN after the pending bytes: the client gets every token already written, then
    // an end of connection in the middle of a chunked body, which is what a dying proxy looks like.
    m_socket->disconnectFromHost();
}

void HttpConnection::responseDone() {
    m_busy = false;
    m_streaming = false;
    if (m_closeAfterResponse) {
        m_broken = true;
        m_socket->disconnectFromHost();
        return;
    }
    QMetaObject::invokeMethod(this, &HttpConnection::dispatchNext, Qt::QueuedConnection);
}

} // namespace parallax::mock
