#pragma once

#include "engine/RequestState.h"
#include "providers/Answer.h"
#include "providers/StreamDelta.h"

#include <QList>
#include <QMap>
#include <QString>

#include <cstdio>

namespace parallax::cli {

/// Human output: `run` streams the answer as it arrives; `compare` prints whole lines prefixed by their
/// profile so interleaved answers stay readable. A summary of each answer goes to stderr.
class PlainAnswerPrinter {
public:
    PlainAnswerPrinter(QStringList profileNames, bool prefixLines, FILE* out = stdout, FILE* err = stderr);

    void onRedactions(const QMap<QString, int>& counts);
    void onDelta(int index, const StreamDelta& delta);
    void onState(int index, RequestState state, const QString& detail);
    void onFinished(int index, const Answer& answer);
    void onSynthesisStarted();
    void onSynthesisDelta(const StreamDelta& delta);
    void onSynthesisFinished(const Answer& answer, const QList<QPair<QString, QString>>& labels);

    static QString summary(const Answer& answer);

private:
    void write(FILE* stream, const QString& text);

    QStringList m_names;
    bool m_prefixLines;
    FILE* m_out;
    FILE* m_err;
    QList<QString> m_pendingLines;
    QList<bool> m_endsWithNewline;
    bool m_synthesisEndsWithNewline = true;
};

} // namespace parallax::cli
