#include "ComparisonExporter.h"

#include "app/ColumnPalette.h"
#include "engine/AnswerJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTextDocument>

namespace parallax {

namespace {
QString quoted(const QString& text) {
    QString out;
    for (const QString& line : text.split(QLatin1Char('\n')))
        out += QStringLiteral("> %1\n").arg(line);
    return out;
}

/// TTFT, total time, tokens, cost (or "cost unknown") and the error, as the column header shows them.
QStringList metricsOf(const Answer& answer) {
    QStringList metrics;
    if (answer.ttftMs)
        metrics << QStringLiteral("TTFT %1 ms").arg(*answer.ttftMs);
    if (answer.latencyMs)
        metrics << QStringLiteral("total %1 ms").arg(*answer.latencyMs);
    if (answer.usage.inputTokens || answer.usage.outputTokens)
        metrics << QStringLiteral("%1 in / %2 out tokens")
                       .arg(answer.usage.inputTokens ? QString::number(*answer.usage.inputTokens) : "?",
                            answer.usage.outputTokens ? QString::number(*answer.usage.outputTokens) : "?");
    metrics << (answer.costUsd ? QStringLiteral("$%1").arg(*answer.costUsd, 0, 'f', 6)
                               : QStringLiteral("cost unknown"));
    if (answer.error)
        metrics << QStringLiteral("failed: %1").arg(answer.error->message);
    return metrics;
}

/// Markdown rendered as an HTML fragment, with any HTML the text itself holds dropped.
QString markdownAsHtml(const QString& markdown) {
    QTextDocument document;
    document.setMarkdown(markdown, QTextDocument::MarkdownFeatures(QTextDocument::MarkdownDialectGitHub |
                                                                   QTextDocument::MarkdownNoHTML));
    const QString html = document.toHtml();
    const qsizetype body = html.indexOf(QLatin1String("<body"));
    const qsizetype start = body < 0 ? -1 : html.indexOf(QLatin1Char('>'), body);
    const qsizetype end = html.lastIndexOf(QLatin1String("</body>"));
    if (start < 0 || end < start)
        return QStringLiteral("<pre>%1</pre>").arg(markdown.toHtmlEscaped());
    // Links keep only web and mail targets: a `javascript:` or `file:` link in an answer goes nowhere.
    static const QRegularExpression unsafeLink(QStringLiteral(R"re(<a href="(?!https?:|mailto:)[^"]*">)re"),
                                               QRegularExpression::CaseInsensitiveOption);
    return html.mid(start + 1, end - start - 1).replace(unsafeLink, QStringLiteral("<a>"));
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
        const QStringList metrics = metricsOf(answer);
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

QString ComparisonExporter::toHtml(const QString& systemPrompt, const QString& prompt,
                                   const QList<Answer>& answers) {
    QString out = QStringLiteral(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
        "'unsafe-inline'\">\n"
        "<meta name=\"generator\" content=\"Parallax\">\n<title>Comparison</title>\n<style>\n"
        "body { font-family: system-ui, sans-serif; margin: 1.5em; line-height: 1.45; }\n"
        "pre.prompt { white-space: pre-wrap; background: #f4f4f4; padding: .8em; border-radius: 4px; }\n"
        ".answers { display: grid; grid-template-columns: repeat(auto-fit, minmax(22em, 1fr)); gap: 1em; }\n"
        ".answer { border: 1px solid #ccc; border-top-width: 4px; border-radius: 4px; padding: 0 1em 1em; "
        "overflow-wrap: anywhere; }\n"
        ".metrics { color: #555; font-size: .9em; }\n.failed { color: #b00020; }\n"
        "pre, code { font-family: ui-monospace, monospace; }\n"
        "</style>\n</head>\n<body>\n<h1>Comparison</h1>\n");
    if (!systemPrompt.isEmpty())
        out += QStringLiteral("<h2>System</h2>\n<pre class=\"prompt\">%1</pre>\n")
                   .arg(systemPrompt.toHtmlEscaped());
    out +=
        QStringLiteral("<h2>Prompt (as sent)</h2>\n<pre class=\"prompt\">%1</pre>\n<div class=\"answers\">\n")
            .arg(prompt.toHtmlEscaped());
    for (qsizetype index = 0; index < answers.size(); ++index) {
        const Answer& answer = answers.at(index);
        out += QStringLiteral("<section class=\"answer\" style=\"border-top-color: %1\">\n<h3>%2 — %3</h3>\n")
                   .arg(ColumnPalette::colour(int(index)).name(), answer.profile.toHtmlEscaped(),
                        answer.model.toHtmlEscaped());
        out += QStringLiteral("<p class=\"metrics%1\">%2</p>\n")
                   .arg(answer.error ? QStringLiteral(" failed") : QString(),
                        metricsOf(answer).join(QStringLiteral(" · ")).toHtmlEscaped());
        out += markdownAsHtml(answer.text) + QStringLiteral("\n</section>\n");
    }
    out += QStringLiteral("</div>\n</body>\n</html>\n");
    return out;
}

QByteArray ComparisonExporter::encode(Format format, const QString& systemPrompt, const QString& prompt,
                                      const QList<Answer>& answers) {
    switch (format) {
    case Format::Json:
        return toJson(systemPrompt, prompt, answers);
    case Format::Html:
        return toHtml(systemPrompt, prompt, answers).toUtf8();
    case Format::Markdown:
        break;
    }
    return toMarkdown(systemPrompt, prompt, answers).toUtf8();
}

QString ComparisonExporter::suffix(Format format) {
    switch (format) {
    case Format::Json:
        return QStringLiteral("json");
    case Format::Html:
        return QStringLiteral("html");
    case Format::Markdown:
        break;
    }
    return QStringLiteral("md");
}

} // namespace parallax
