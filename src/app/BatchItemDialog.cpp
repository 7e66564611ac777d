#include "BatchItemDialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QVBoxLayout>

namespace parallax {

namespace {

// "done · 412 ms · 10 in / 20 out tokens · $0.000120", unknown values left out rather than shown as 0.
QString metricsLine(const BatchItem& item, const QJsonObject& answer) {
    QStringList parts{BatchItem::stateName(item.state)};
    if (answer.value(QLatin1String("ttft_ms")).isDouble())
        parts << QObject::tr("first token %1 ms").arg(answer.value(QLatin1String("ttft_ms")).toInteger());
    if (answer.value(QLatin1String("latency_ms")).isDouble())
        parts << QObject::tr("total %1 ms").arg(answer.value(QLatin1String("latency_ms")).toInteger());
    const QJsonObject usage = answer.value(QLatin1String("usage")).toObject();
    const auto tokens = [&usage](const char* key) {
        const QJsonValue value = usage.value(QLatin1String(key));
        return value.isDouble() ? QString::number(value.toInteger()) : QStringLiteral("?");
    };
    if (!usage.isEmpty())
        parts << QObject::tr("%1 in / %2 out tokens").arg(tokens("input_tokens"), tokens("output_tokens"));
    if (answer.value(QLatin1String("cost_usd")).isDouble())
        parts << QStringLiteral("$%1").arg(answer.value(QLatin1String("cost_usd")).toDouble(), 0, 'f', 6);
    else if (!answer.isEmpty())
        parts << QObject::tr("cost unknown");
    return parts.join(QStringLiteral(" · "));
}

QPlainTextEdit* readOnlyText(const QString& text, QWidget* parent) {
    auto* edit = new QPlainTextEdit(text, parent);
    edit->setReadOnly(true);
    return edit;
}

} // namespace

BatchItemDialog::BatchItemDialog(const QList<BatchItem>& items, const QStringList& profileNames,
                                 QWidget* parent)
    : QDialog(parent) {
    setObjectName(QStringLiteral("batchItemDialog"));
    const BatchItem first = items.value(0);
    setWindowTitle(tr("Batch item %1").arg(first.itemId));
    resize(1000, 640);

    auto* layout = new QVBoxLayout(this);
    if (!first.systemPrompt.isEmpty()) {
        layout->addWidget(new QLabel(tr("System"), this));
        QPlainTextEdit* system = readOnlyText(first.systemPrompt, this);
        system->setObjectName(QStringLiteral("batchItemSystem"));
        system->setMaximumHeight(60);
        layout->addWidget(system);
    }
    layout->addWidget(new QLabel(tr("Prompt (as imported; placeholders were sent for masked values)"), this));
    QPlainTextEdit* prompt = readOnlyText(first.prompt, this);
    prompt->setObjectName(QStringLiteral("batchItemPrompt"));
    prompt->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    prompt->setMaximumHeight(140);
    layout->addWidget(prompt);

    auto* answers = new QSplitter(Qt::Horizontal, this);
    answers->setObjectName(QStringLiteral("batchItemAnswers"));
    answers->setChildrenCollapsible(false);
    for (const BatchItem& item : items) {
        const QJsonObject answer = QJsonDocument::fromJson(item.answerJson.toUtf8()).object();
        auto* pane = new QWidget(answers);
        auto* paneLayout = new QVBoxLayout(pane);
        paneLayout->setContentsMargins(4, 0, 4, 0);
        auto* title = new QLabel(
            QStringLiteral("<b>%1</b>").arg(profileNames.value(item.profileIndex).toHtmlEscaped()), pane);
        auto* metrics = new QLabel(metricsLine(item, answer), pane);
        metrics->setObjectName(QStringLiteral("batchItemMetrics"));
        metrics->setWordWrap(true);
        const QString error =
            answer.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
        QString text = answer.value(QLatin1String("text")).toString();
        if (!error.isEmpty())
            text = text.isEmpty() ? tr("Failed: %1").arg(error) : tr("%1\n\n(Failed: %2)").arg(text, error);
        else if (item.answerJson.isEmpty())
            text = tr("(no answer yet: %1)").arg(BatchItem::stateName(item.state));
        m_answerTexts.append(text);
        QPlainTextEdit* body = readOnlyText(text, pane);
        body->setObjectName(QStringLiteral("batchItemAnswer"));
        paneLayout->addWidget(title);
        paneLayout->addWidget(metrics);
        paneLayout->addWidget(body, 1);
        answers->addWidget(pane);
    }
    answers->setSizes(QList<int>(items.size(), 1000)); // equal widths
    layout->addWidget(answers, 1);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

} // namespace parallax
