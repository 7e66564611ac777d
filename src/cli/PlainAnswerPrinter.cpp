#include "PlainAnswerPrinter.h"

namespace parallax::cli {

namespace {
QString formatSeconds(qint64 ms) {
    return ms < 1000 ? QStringLiteral("%1 ms").arg(ms)
                     : QStringLiteral("%1 s").arg(static_cast<double>(ms) / 1000.0, 0, 'f', 2);
}
QString countOrUnknown(const std::optional<qint64>& value) {
    return value ? QString::number(*value) : QStringLiteral("?");
}
} // namespace

PlainAnswerPrinter::PlainAnswerPrinter(QStringList profileNames, bool prefixLines, FILE* out, FILE* err)
    : m_names(std::move(profileNames))
    , m_prefixLines(prefixLines)
    , m_out(out)
    , m_err(err)
    , m_pendingLines(m_names.size())
    , m_endsWithNewline(m_names.size(), true) {}

void PlainAnswerPrinter::write(FILE* stream, const QString& text) {
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}

void PlainAnswerPrinter::onRedactions(const QMap<QString, int>& counts) {
    QStringList parts;
    for (auto it = counts.begin(); it != counts.end(); ++it)
        parts.append(QStringLiteral("%1 %2").arg(it.value()).arg(it.key()));
    write(m_err, QStringLiteral("masked before sending: %1 (restored in the answers)\n")
                     .arg(parts.join(QStringLiteral(", "))));
}

void PlainAnswerPrinter::onDelta(int index, const StreamDelta& delta) {
    if (delta.channel != StreamDelta::Channel::Answer || delta.text.isEmpty())
        return; // thinking stays out of the answer; --json carries it
    if (!m_prefixLines) {
        write(m_out, delta.text);
        m_endsWithNewline[index] = delta.text.endsWith(QLatin1Char('\n'));
        return;
    }
    QString& pending = m_pendingLines[index];
    pending += delta.text;
    qsizetype newline;
    QString complete;
    while ((newline = pending.indexOf(QLatin1Char('\n'))) >= 0) {
        complete += QStringLiteral("[%1] %2\n").arg(m_names.at(index), pending.left(newline));
        pending.remove(0, newline + 1);
    }
    if (!complete.isEmpty())
        write(m_out, complete);
}

void PlainAnswerPrinter::onState(int index, RequestState state, const QString& detail) {
    // Only the states a waiting user wants explained; streaming shows itself.
    if (state == RequestState::Waiting || state == RequestState::Retrying)
        write(m_err, QStringLiteral("[%1] %2: %3\n").arg(m_names.at(index), requestStateName(state), detail));
}

void PlainAnswerPrinter::onSynthesisStarted() {
    write(m_out, QStringLiteral("\n=== synthesis ===\n"));
}

void PlainAnswerPrinter::onSynthesisDelta(const StreamDelta& delta) {
    if (delta.channel != StreamDelta::Channel::Answer || delta.text.isEmpty())
        return;
    write(m_out, delta.text);
    m_synthesisEndsWithNewline = delta.text.endsWith(QLatin1Char('\n'));
}

void PlainAnswerPrinter::onSynthesisFinished(const Answer& answer,
                                             const QList<QPair<QString, QString>>& labels) {
    if (!m_synthesisEndsWithNewline)
        write(m_out, QStringLiteral("\n"));
    QStringList legend;
    for (const auto& [label, profile] : labels)
        legend.append(QStringLiteral("[%1] %2").arg(label, profile));
    write(m_err, QStringLiteral("synthesis: %1\n").arg(legend.join(QStringLiteral(", "))));
    write(m_err, summary(answer) + QLatin1Char('\n'));
}

void PlainAnswerPrinter::onFinished(int index, const Answer& answer) {
    if (m_prefixLines) {
        if (!m_pendingLines[index].isEmpty())
            write(m_out, QStringLiteral("[%1] %2\n").arg(m_names.at(index), m_pendingLines[index]));
        m_pendingLines[index].clear();
    } else if (!m_endsWithNewline[index]) {
        write(m_out, QStringLiteral("\n"));
    }
    write(m_err, summary(answer) + QLatin1Char('\n'));
}

QString PlainAnswerPrinter::summary(const Answer& answer) {
    QStringList parts;
    if (answer.error) {
        QString status = answer.error->httpStatus
                             ? QStringLiteral(" (HTTP %1)").arg(*answer.error->httpStatus)
                             : QString();
        parts << QStringLiteral("failed: %1%2: %3")
                     .arg(errorTypeName(answer.error->type), status, answer.error->message);
    }
    if (answer.ttftMs)
        parts << QStringLiteral("first token %1").arg(formatSeconds(*answer.ttftMs));
    if (answer.latencyMs)
        parts << QStringLiteral("total %1").arg(formatSeconds(*answer.latencyMs));
    if (!answer.usage.isEmpty())
        parts << QStringLiteral("tokens %1 in / %2 out")
                     .arg(countOrUnknown(answer.usage.inputTokens),
                          countOrUnknown(answer.usage.outputTokens));
    if (answer.finishReason != FinishReason::Unknown && !answer.error)
        parts << finishReasonName(answer.finishReason);
    if (answer.cached)
        parts << QStringLiteral("from cache");
    else if (answer.costUsd)
        parts << QStringLiteral("$%1").arg(*answer.costUsd, 0, 'f', 6);
    else if (!answer.error)
        parts << QStringLiteral("cost unknown");
    if (answer.attempts > 1)
        parts << QStringLiteral("%1 attempts").arg(answer.attempts);
    if (answer.fallbackFrom)
        parts << QStringLiteral("fell back from %1").arg(*answer.fallbackFrom);
    if (!answer.toolCalls.isEmpty())
        parts << QStringLiteral("%1 tool call(s) (see --json)").arg(answer.toolCalls.size());
    return QStringLiteral("[%1] %2").arg(answer.profile, parts.join(QStringLiteral(" · ")));
}

} // namespace parallax::cli
