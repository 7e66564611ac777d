#include "ComparisonExporter.h"

#include "engine/AnswerJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace parallax {

namespace {
QString quoted(const QString& text) {
    QString out;
    for (const QString& line : text.split(QLatin1Char('\n')))
        out += QStringLiteral("> %1\n").arg(line);
    return out;
}
} // namespace

QString ComparisonExporter::toMarkdown(const QString& systemPrompt, const QString& prompt,
                                       const QList<Answer>& answers) {
    QString out = QStringLiteral("# Comparison\n\n");
    if (!systemPrompt.isEmpty())
        out += QStringLiteral("**System**\n\n") + quoted(systemPrompt) + QLatin1Char('\n');
    out += QStringLiteral("**Prompt** (as sent)\n\n") + quoted(prompt) + QLatin1Char('\n');
    for (const Answer& answer : answers) {
        out += QStringLiteral("## %1 — %2\n\n").arg(answer.profile, answer.model);
        QStringList metrics;
        if (answer.ttftMs)
            metrics << QStringLiteral("TTFT %1 ms").arg(*answer.ttftMs);
        if (answer.latencyMs)
            metrics << QStringLiteral("total %1 ms").arg(*answer.latencyMs);
        if (answer.usage.inputTokens || answer.usage.outputTokens)
            metrics << QStringLiteral("%1 in / %2 out tokens")
                           .arg(answer.usage.inputTokens ? QString::number(*answer.usage.inputTokens) : "?",
                                answer.usage.outputTokens ? QString::number(*answer.usage.outputTokens)
                                                          : "?");
        metrics << (answer.costUsd ? QStringLiteral("$%1").arg(*answer.costUsd, 0, 'f', 6)
                                   : QStringLiteral("cost unknown"));
        if (answer.error)
            metrics << QStringLiteral("failed: %1").arg(answer.error->message);
        out += QStringLiteral("*%1*\n\n").arg(metrics.join(QStringLiteral(" · ")));
        out += answer.text + QStringLiteral("\n\n");
    }
    return out;
}

QByteArray ComparisonExporter::toJson(const QString& systemPrompt, const QString& prompt,
                                      const QList<Answer>& answers) {
    QJsonArray array;
    for (const Answer& answer : answers)
        array.append(AnswerJson::toJson(answer));
    const QJsonObject root{{"system", systemPrompt}, {"prompt", prompt}, {"answers", array}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace parallax
