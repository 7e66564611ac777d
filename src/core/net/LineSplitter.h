#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace parallax {

/// Splits a byte stream into lines ended by CRLF, LF or a bare CR, as the WHATWG event-stream rules say,
/// however the stream is chunked. A CR at the end of a chunk is remembered so that a LF opening the next
/// chunk does not count as a second (empty) line. Only CR and LF end a line: U+2028 and friends do not.
/// Lines are handed out as bytes: they always hold whole UTF-8 sequences, because CR and LF never occur
/// inside a multi-byte sequence, so decoding a complete line is decoding statefully.
class LineSplitter {
public:
    /// Calls onLine(QByteArrayView) for every line completed by this chunk, without its terminator.
    template <typename OnLine>
    void feed(QByteArrayView chunk, OnLine&& onLine) {
        qsizetype start = 0;
        const qsizetype size = chunk.size();
        if (m_skipLeadingLf && size > 0) {
            m_skipLeadingLf = false;
            if (chunk[0] == '\n')
                start = 1;
        }
        for (qsizetype i = start; i < size; ++i) {
            const char c = chunk[i];
            if (c != '\n' && c != '\r')
                continue;
            const QByteArrayView piece = chunk.sliced(start, i - start);
            if (m_partial.isEmpty()) {
                onLine(piece); // the common case: no copy
            } else {
                m_partial.append(piece);
                onLine(QByteArrayView(m_partial));
                m_partial.clear();
            }
            if (c == '\r') {
                if (i + 1 < size) {
                    if (chunk[i + 1] == '\n')
                        ++i;
                } else {
                    m_skipLeadingLf = true;
                }
            }
            start = i + 1;
        }
        if (start < size)
            m_partial.append(chunk.sliced(start));
    }

    /// The bytes after the last line terminator, i.e. an unterminated last line (empty if none).
    QByteArray takeRemainder() {
        QByteArray rest;
        rest.swap(m_partial);
        m_skipLeadingLf = false;
        return rest;
    }

    bool hasRemainder() const { return !m_partial.isEmpty(); }

private:
    QByteArray m_partial;
    bool m_skipLeadingLf = false;
};

} // namespace parallax
