#include "SynthesisPrompt.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QRegularExpression>

namespace parallax {

QString SynthesisPrompt::builtInTemplate() {
    QFile file(QStringLiteral(":/parallax/synthesis_template.txt"));
    if (file.open(QIODevice::ReadOnly))
        return QString::fromUtf8(file.readAll());
    return QStringLiteral(
        "Combine these answers to the question, citing their labels.\n\nQuestion:\n{{question}}\n\n"
        "{{answers}}\n\nThen list the Disagreements.");
}

QString SynthesisPrompt::templateFor(const QString& dataDirectory) {
    QFile file(QDir(dataDirectory).absoluteFilePath(QStringLiteral("synthesis_template.txt")));
    if (file.open(QIODevice::ReadOnly)) {
        const QString text = QString::fromUtf8(file.readAll());
        if (text.contains(QLatin1String("{{answers}}")))
            return text;
    }
    return builtInTemplate();
}

QString SynthesisPrompt::label(int index) {
    QString result;
    int n = index;
    do {
        result.prepend(QChar(u'A' + n % 26));
        n = n / 26 - 1;
    } while (n >= 0);
    return result;
}

QString SynthesisPrompt::build(const QString& templateText, const QString& question,
                               const QList<QPair<QString, QString>>& answers) {
    QString block;
    QStringList labels;
    for (const auto& [answerLabel, text] : answers) {
        labels.append(QStringLiteral("[%1]").arg(answerLabel));
        block += QStringLiteral("[%1]\n%2\n\n").arg(answerLabel, text.trimmed());
    }
    // One pass over the template: text put in (a question that mentions "{{answers}}") is never
    // scanned again.
    const QHash<QString, QString> values{{QStringLiteral("labels"), labels.join(QStringLiteral(", "))},
                                         {QStringLiteral("question"), question.trimmed()},
                                         {QStringLiteral("answers"), block.trimmed()}};
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{(labels|question|answers)\\}\\}"));
    QString prompt;
    qsizetype last = 0;
    for (auto it = placeholder.globalMatch(templateText); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        prompt += QStringView(templateText).sliced(last, match.capturedStart() - last);
        prompt += values.value(match.captured(1));
        last = match.capturedEnd();
    }
    prompt += QStringView(templateText).sliced(last);
    return prompt;
}

} // namespace parallax
