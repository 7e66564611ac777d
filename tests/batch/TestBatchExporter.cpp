// BatchExporter: the JSONL lines parallax-cli batch writes (plus the item's state) and the CSV for
// spreadsheets, exact to the byte, with RFC 4180 quoting, unknown values left empty and unfinished items
// counted but not written.

#include "batch/BatchExporter.h"
#include "engine/AnswerJson.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace parallax;

namespace {

BatchItem item(qint64 id, const QString& itemId, int profile, BatchItem::State state, const QString& answer) {
    BatchItem result;
    result.id = id;
    result.itemId = itemId;
    result.profileIndex = profile;
    result.state = state;
    result.answerJson = answer;
    return result;
}

QList<BatchItem> sampleItems() {
    return {
        item(1, QStringLiteral("a"), 0, BatchItem::State::Done,
             QStringLiteral(
                 "{\"profile\":\"fast\",\"model\":\"gpt-4o-mini\",\"text\":\"Hello, \\\"world\\\"\\nbye\","
                 "\"usage\":{\"input_tokens\":12,\"output_tokens\":5},\"cost_usd\":0.0000123,"
                 "\"ttft_ms\":140,\"latency_ms\":900,\"error\":null}")),
        item(2, QStringLiteral("a"), 1, BatchItem::State::Failed,
             QStringLiteral(
                 "{\"profile\":\"claude\",\"model\":\"claude-haiku-4-5\",\"text\":\"\","
                 "\"usage\":{\"input_tokens\":null,\"output_tokens\":null},\"cost_usd\":null,"
                 "\"ttft_ms\":null,\"latency_ms\":310,\"error\":{\"type\":\"server\",\"message\":\"HTTP 500, "
                 "try later\",\"http_status\":500}}")),
        item(3, QStringLiteral("b"), 0, BatchItem::State::Pending, QString()),
        item(4, QStringLiteral("b"), 1, BatchItem::State::Cancelled,
             QStringLiteral(
                 "{\"profile\":\"claude\",\"model\":\"claude-haiku-4-5\",\"text\":\"\",\"cost_usd\":null,"
                 "\"error\":{\"type\":\"cancelled\",\"message\":\"the batch was cancelled before this "
                 "item was sent\",\"http_status\":null}}")),
    };
}

QByteArray readAll(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class TestBatchExporter : public QObject {
    Q_OBJECT

private slots:
    void writesJsonlLinesWithIdAndState() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.jsonl"));
        QString error;
        const auto summary = BatchExporter::write(sampleItems(), {"fast", "claude"},
                                                  BatchExporter::formatFor(path), path, &error);
        QVERIFY2(summary, qPrintable(error));
        QCOMPARE(summary->written, 3);
        QCOMPARE(summary->failed, 1);
        QCOMPARE(summary->unfinished, 1);
        const QByteArray expected =
            "{\"cost_usd\":1.23e-05,\"error\":null,\"id\":\"a\",\"latency_ms\":900,\"model\":\"gpt-4o-mini\","
            "\"profile\":\"fast\",\"state\":\"done\",\"text\":\"Hello, \\\"world\\\"\\nbye\",\"ttft_ms\":140,"
            "\"usage\":{\"input_tokens\":12,\"output_tokens\":5}}"
            "\n"
            "{\"cost_usd\":null,\"error\":{\"http_status\":500,\"message\":\"HTTP 500, try "
            "later\",\"type\":\"server\"},"
            "\"id\":\"a\",\"latency_ms\":310,\"model\":\"claude-haiku-4-5\",\"profile\":\"claude\",\"state\":"
            "\"failed\","
            "\"text\":\"\",\"ttft_ms\":null,\"usage\":{\"input_tokens\":null,\"output_tokens\":null}}"
            "\n"
            "{\"cost_usd\":null,\"error\":{\"http_status\":null,\"message\":\"the batch was cancelled before "
            "this "
            "item was "
            "sent\",\"type\":\"cancelled\"},\"id\":\"b\",\"model\":\"claude-haiku-4-5\",\"profile\":"
            "\"claude\","
            "\"state\":\"cancelled\",\"text\":\"\"}"
            "\n";
        QCOMPARE(readAll(path), expected);
    }

    // Lines are spliced from the stored answer text; they must equal the answer re-written through a
    // QJsonObject with `id` and `state` added, whatever the answer holds.
    void jsonLineIsTheAnswerWithIdAndStateAdded() {
        const auto reference = [](const BatchItem& item) {
            QJsonObject line = QJsonDocument::fromJson(item.answerJson.toUtf8()).object();
            line.insert(QStringLiteral("id"), item.itemId);
            line.insert(QStringLiteral("state"), BatchItem::stateName(item.state));
            return QJsonDocument(line).toJson(QJsonDocument::Compact);
        };
        for (const BatchItem& sample : sampleItems()) {
            if (!sample.answerJson.isEmpty()) // hand-written, unsorted: the general path
                QCOMPARE(BatchExporter::jsonLine(sample), reference(sample));
        }
        QRandomGenerator random(99);
        const QString texts[] = {QString(), QStringLiteral("x"), QStringLiteral("quote \" and \\ and \n"),
                                 QStringLiteral("ünï 🎉"), QString(QChar(char16_t(0xDC00)))};
        const auto text = [&] { return texts[random.bounded(int(std::size(texts)))]; };
        const BatchItem::State states[] = {BatchItem::State::Done, BatchItem::State::Failed,
                                           BatchItem::State::Cancelled};
        for (int i = 0; i < 2000; ++i) {
            Answer answer;
            answer.profile = text();
            answer.model = text();
            answer.text = text();
            answer.thinking = random.bounded(2) ? text() : QString();
            if (random.bounded(2))
                answer.toolCalls.append(ToolCall{text(), text(), text()});
            if (random.bounded(2))
                answer.usage.inputTokens = qint64(random.bounded(100000));
            if (random.bounded(2))
                answer.costUsd = random.bounded(1000) / 7.0;
            if (random.bounded(2))
                answer.error = ProviderError{ErrorType::Server, text(), 500, true, std::nullopt, {}};
            const BatchItem line =
                item(i, text(), 0, states[random.bounded(3)], AnswerJson::toCompactText(answer));
            QCOMPARE(BatchExporter::jsonLine(line), reference(line));
        }
        // An answer that already names `id` keeps the general path (the item's id wins, as before).
        const BatchItem clash = item(1, QStringLiteral("x"), 0, BatchItem::State::Done,
                                     QStringLiteral("{\"a\":1,\"id\":\"other\",\"z\":2}"));
        QCOMPARE(BatchExporter::jsonLine(clash), reference(clash));
    }

    void writesCsvWithQuotingAndEmptyUnknowns() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.CSV"));
        QCOMPARE(BatchExporter::formatFor(path), BatchExporter::Format::Csv);
        QString error;
        const auto summary =
            BatchExporter::write(sampleItems(), {"fast", "claude"}, BatchExporter::Format::Csv, path, &error);
        QVERIFY2(summary, qPrintable(error));
        const QByteArray expected =
            "id,profile,model,state,input_tokens,output_tokens,cost_usd,ttft_ms,latency_ms,error_type,"
            "error_message,answer\r\n"
            "a,fast,gpt-4o-mini,done,12,5,1.23e-05,140,900,,,\"Hello, \"\"world\"\"\nbye\"\r\n"
            "a,claude,claude-haiku-4-5,failed,,,,,310,server,\"HTTP 500, try later\",\r\n"
            "b,claude,claude-haiku-4-5,cancelled,,,,,,cancelled,the batch was cancelled before this item was "
            "sent,\r\n";
        QCOMPARE(readAll(path), expected);
    }

    void anUnwritablePathIsAClearErrorAndLeavesNothing() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("missing/out.jsonl"));
        QString error;
        QVERIFY(!BatchExporter::write(sampleItems(), {}, BatchExporter::Format::Jsonl, path, &error));
        QVERIFY2(error.startsWith(QStringLiteral("cannot write ") + path), qPrintable(error));
        QVERIFY(!QFile::exists(path));
    }
};

QTEST_GUILESS_MAIN(TestBatchExporter)
#include "TestBatchExporter.moc"
