#pragma once

#include "net/LineSplitter.h"

#include <QByteArray>
#include <QList>

namespace parallax {

/// Newline-delimited JSON (Ollama): one JSON value per line, blank lines skipped. The last line may
/// lack its newline, so finish() hands it out too.
class NdjsonParser {
public:
    void feed(QByteArrayView chunk, QList<QByteArray>& lines);
    void finish(QList<QByteArray>& lines);

private:
    LineSplitter m_lines;
};

} // namespace parallax
