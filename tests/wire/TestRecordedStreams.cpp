// Replays every recorded provider stream under tests/fixtures/wire through the provider's own parser:
// whole, line by line and in seeded random 1–7 byte chunks, each also with its line endings rewritten
// (LF → CRLF, LF → CR, or CRLF → LF for the CRLF recordings). Every combination must give exactly the
// result SOURCES.md states.

#include "providers/ProviderRegistry.h"
#include "providers/ResponseStream.h"

#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace parallax;

namespace {

struct Expected {
    Expected() = default;
    Expected(QString text_, QString finish_, QString raw_, qint64 input_, qint64 output_, qint64 cached_,
             qint64 reasoning_)
        : text(std::move(text_))
        , finish(std::move(finish_))
        , raw(std::move(raw_))
        , input(input_)
        , output(output_)
        , cached(cached_)
        , reasoning(reasoning_) {}

    QString text;
    QString finish;                                              // normalized name, "" for unknown
    QString raw;                                                 // "<null>" for none
    qint64 input = -1, output = -1, cached = -1, reasoning = -1; // -1: not reported
    QString errorType;                                           // "" for success
    int toolCalls = 0;
    QString firstToolName;
    QString firstToolArguments;
    bool hasThinking = false;
};

QByteArray readFixture(const QString& relativePath) {
    QFile file(QStringLiteral(PARALLAX_TEST_FIXTURES "/wire/") + relativePath);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open fixture %s", qPrintable(file.fileName()));
    return file.readAll();
}

// Ollama's docs show single chunks pretty-printed; on the wire each is one line.
QByteArray compactJsonLine(const QByteArray& pretty) {
    return QJsonDocument::fromJson(pretty).toJson(QJsonDocument::Compact) + '\n';
}

enum class Feeding { Whole, LineByLine, RandomChunks };
enum class Endings { Original, Crlf, Cr, Lf };

QByteArray rewriteEndings(QByteArray body, Endings endings) {
    if (endings == Endings::Original)
        return body;
    body.replace("\r\n", "\n");
    if (endings == Endings::Crlf)
        body.replace("\n", "\r\n");
    else if (endings == Endings::Cr)
        body.replace('\n', '\r');
    return body;
}

StreamOutcome replay(ProviderKind kind, const QByteArray& body, Feeding feeding, quint32 seed,
                     QString* streamedText) {
    std::unique_ptr<ResponseStream> stream = ProviderRegistry::provider(kind).createStream();
    stream->setDeltaHandler([streamedText](const StreamDelta& delta) {
        if (delta.channel == StreamDelta::Channel::Answer)
            *streamedText += delta.text;
    });
    switch (feeding) {
    case Feeding::Whole:
        stream->feed(body);
        break;
    case Feeding::LineByLine: {
        qsizetype start = 0;
        for (qsizetype i = 0; i < body.size(); ++i) {
            if (body[i] == '\n' || (body[i] == '\r' && (i + 1 >= body.size() || body[i + 1] != '\n'))) {
                stream->feed(QByteArrayView(body).sliced(start, i + 1 - start));
                start = i + 1;
            }
        }
        if (start < body.size())
            stream->feed(QByteArrayView(body).sliced(start));
        break;
    }
    case Feeding::RandomChunks: {
        QRandomGenerator random(seed);
        qsizetype position = 0;
        while (position < body.size()) {
            const qsizetype size = qMin<qsizetype>(random.bounded(1, 8), body.size() - position);
            stream->feed(QByteArrayView(body).sliced(position, size));
            position += size;
        }
        break;
    }
    }
    stream->finishInput();
    return stream->outcome();
}

qint64 orMinusOne(const std::optional<qint64>& value) {
    return value.value_or(-1);
}

} // namespace

Q_DECLARE_METATYPE(Expected)
Q_DECLARE_METATYPE(ProviderKind)

class TestRecordedStreams : public QObject {
    Q_OBJECT

private slots:
    void replaysExactly_data();
    void replaysExactly();
    void understandsServersThatDoNotStream();
};

void TestRecordedStreams::replaysExactly_data() {
    QTest::addColumn<ProviderKind>("kind");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<Expected>("expected");

    const auto add = [](const char* name, ProviderKind kind, const QByteArray& body,
                        const Expected& expected) { QTest::newRow(name) << kind << body << expected; };

    // OpenAI: real gpt-4o recordings, usage chunk with choices: [] and [DONE].
    add("openai/text_with_usage", ProviderKind::OpenAi, readFixture("openai/chat_stream_text_with_usage.sse"),
        Expected{
            "I'm unable to provide real-time weather updates. To get the current weather in San Francisco, I "
            "recommend checking a reliable weather website or a weather app.",
            "stop", "stop", 14, 30, -1, 0});
    {
        Expected e{"", "tool_calls", "tool_calls", 44, 16, -1, 0};
        e.toolCalls = 1;
        e.firstToolName = "get_weather";
        e.firstToolArguments = R"({"city":"New York City"})";
        add("openai/tool_call", ProviderKind::OpenAi, readFixture("openai/chat_stream_tool_call.sse"), e);
    }
    {
        Expected e{"", "tool_calls", "tool_calls", 149, 60, -1, 0};
        e.toolCalls = 2;
        e.firstToolName = "GetWeatherArgs";
        e.firstToolArguments = R"({"city": "Edinburgh", "country": "GB", "units": "c"})";
        add("openai/parallel_tool_calls", ProviderKind::OpenAi,
            readFixture("openai/chat_stream_parallel_tool_calls.sse"), e);
    }
    add("openai/refusal", ProviderKind::OpenAi, readFixture("openai/chat_stream_refusal.sse"),
        Expected{"I'm sorry, I can't assist with that request.", "refusal", "stop", 79, 11, -1, 0});
    add("openai/finish_length", ProviderKind::OpenAi, readFixture("openai/chat_stream_finish_length.sse"),
        Expected{"{\"", "length", "length", 79, 1, -1, 0});
    {
        Expected e{"", "error", "<null>", -1, -1, -1, -1};
        e.errorType = "invalid_request"; // code bad_request
        add("openai/midstream_error", ProviderKind::OpenAi,
            readFixture("openai/error_midstream_data_error.sse"), e);
    }
    add("openai_compat/llamacpp_native", ProviderKind::OpenAiCompatible,
        readFixture("openai_compat/llamacpp_native_completion_comments.sse"),
        Expected{"Hello world", "stop", "eos", 5, 2, -1, -1});

    // Anthropic: the SDK's recordings end without a blank line after the last event.
    add("anthropic/basic_text", ProviderKind::Anthropic, readFixture("anthropic/basic_text.sse"),
        Expected{"Hello there!", "stop", "end_turn", 11, 6, -1, -1});
    {
        Expected e{
            "I'll check the current weather in Paris for you.", "tool_calls", "tool_use", 377, 65, 0, -1};
        e.toolCalls = 1;
        e.firstToolName = "get_weather";
        e.firstToolArguments = R"({"location": "Paris"})";
        add("anthropic/tool_use", ProviderKind::Anthropic, readFixture("anthropic/tool_use.sse"), e);
    }
    add("anthropic/refusal", ProviderKind::Anthropic, readFixture("anthropic/refusal_stop_details.sse"),
        Expected{"", "refusal", "refusal", 20, 0, -1, -1});
    add("anthropic/unknown_block", ProviderKind::Anthropic,
        readFixture("anthropic/unknown_block_type_compaction.sse"),
        Expected{"Hello there!", "stop", "end_turn", 30, 8, -1, -1});
    {
        Expected e{"", "error", "<null>", -1, -1, -1, -1};
        e.errorType = "overloaded";
        add("anthropic/overloaded_midstream", ProviderKind::Anthropic,
            readFixture("anthropic/error_overloaded_midstream.sse"), e);
    }

    // Gemini: CRLF CRLF separators, usage repeated on every chunk (the last one counts).
    add("gemini/basic_crlf", ProviderKind::Gemini, readFixture("gemini/basic_reply_short_crlf.sse"),
        Expected{"The capital of Wyoming is **Cheyenne**.\n", "stop", "STOP", 7, 10, -1, -1});
    {
        Expected e{"", "tool_calls", "STOP", 38, 6 + 168, -1, 168};
        e.toolCalls = 1;
        e.firstToolName = "now";
        e.firstToolArguments = "{}";
        e.hasThinking = true;
        add("gemini/thinking_function_call", ProviderKind::Gemini,
            readFixture("gemini/thinking_function_call_signature.sse"), e);
    }
    add("gemini/recitation", ProviderKind::Gemini, readFixture("gemini/recitation_no_content.sse"),
        Expected{"text1text2text3text4text5text6text7text8", "content_filter", "RECITATION", 9, 261, -1, -1});
    {
        Expected e{"", "content_filter", "SAFETY", -1, -1, -1, -1};
        e.errorType = "blocked";
        add("gemini/prompt_blocked", ProviderKind::Gemini, readFixture("gemini/prompt_blocked_safety.sse"),
            e);
    }

    // Ollama: NDJSON.
    add("ollama/generate_docs", ProviderKind::Ollama, readFixture("ollama/generate_stream_docs.ndjson"),
        Expected{"That's a fantastic question!", "stop", "stop", -1, -1, -1, -1});
    {
        Expected e{" Yes.Ican", "error", "<null>", -1, -1, -1, -1};
        e.errorType = "server";
        add("ollama/error_midstream", ProviderKind::Ollama,
            readFixture("ollama/generate_error_midstream.ndjson"), e);
    }
    add("ollama/chat_final_chunk", ProviderKind::Ollama,
        compactJsonLine(readFixture("ollama/chat_stream_final_chunk.json")),
        Expected{"", "stop", "<null>", 26, 282, -1, -1});
    {
        // The tool-call chunk from the docs, followed by the matching final chunk the docs show.
        const QByteArray body =
            compactJsonLine(readFixture("ollama/chat_stream_tools_tool_call_chunk.json")) +
            R"({"model":"llama3.2","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant",)"
            R"("content":""},"done":true,"done_reason":"stop","prompt_eval_count":169,"eval_count":15})"
            "\n";
        Expected e{"", "tool_calls", "stop", 169, 15, -1, -1};
        e.toolCalls = 1;
        e.firstToolName = "get_weather";
        e.firstToolArguments = R"({"city":"Tokyo"})";
        add("ollama/tool_call", ProviderKind::Ollama, body, e);
    }
}

void TestRecordedStreams::replaysExactly() {
    QFETCH(ProviderKind, kind);
    QFETCH(QByteArray, body);
    QFETCH(Expected, expected);

    const bool crlfRecording = body.contains("\r\n");
    const QList<Endings> endings = crlfRecording
                                       ? QList<Endings>{Endings::Original, Endings::Lf, Endings::Cr}
                                       : QList<Endings>{Endings::Original, Endings::Crlf, Endings::Cr};
    for (Endings ending : endings) {
        const QByteArray rewritten = rewriteEndings(body, ending);
        for (Feeding feeding : {Feeding::Whole, Feeding::LineByLine, Feeding::RandomChunks}) {
            for (quint32 seed : {1u, 7u, 42u}) {
                if (feeding != Feeding::RandomChunks && seed != 1u)
                    continue;
                const QString context = QStringLiteral("endings %1, feeding %2, seed %3")
                                            .arg(int(ending))
                                            .arg(int(feeding))
                                            .arg(seed);
                QString streamed;
                const StreamOutcome outcome = replay(kind, rewritten, feeding, seed, &streamed);
                QVERIFY2(outcome.text == expected.text,
                         qPrintable(context + QStringLiteral(": text was \"%1\"").arg(outcome.text)));
                QCOMPARE(streamed, outcome.text); // the deltas add up to the answer
                QVERIFY2(finishReasonName(outcome.finishReason) == expected.finish, qPrintable(context));
                QCOMPARE(outcome.rawFinishReason.value_or(QStringLiteral("<null>")), expected.raw);
                QCOMPARE(orMinusOne(outcome.usage.inputTokens), expected.input);
                QCOMPARE(orMinusOne(outcome.usage.outputTokens), expected.output);
                QCOMPARE(orMinusOne(outcome.usage.cachedInputTokens), expected.cached);
                QCOMPARE(orMinusOne(outcome.usage.reasoningTokens), expected.reasoning);
                QCOMPARE(outcome.error ? errorTypeName(outcome.error->type) : QString(), expected.errorType);
                QCOMPARE(outcome.toolCalls.size(), expected.toolCalls);
                if (expected.toolCalls > 0) {
                    QCOMPARE(outcome.toolCalls.first().name, expected.firstToolName);
                    QCOMPARE(outcome.toolCalls.first().arguments, expected.firstToolArguments);
                }
                QCOMPARE(!outcome.thinking.isEmpty(), expected.hasThinking);
                if (!outcome.error)
                    QVERIFY2(outcome.complete, qPrintable(context));
            }
        }
    }
}

// Some servers ignore "stream": true and answer with one JSON document; Gemini's stream endpoint without
// alt=sse answers with a JSON array. Examples from WIRE.md §1.2 and §2.2.
void TestRecordedStreams::understandsServersThatDoNotStream() {
    QString streamed;
    const StreamOutcome openAi = replay(
        ProviderKind::OpenAi,
        R"({"id":"chatcmpl-1","object":"chat.completion","created":1726012687,"model":"gpt-4-0613",)"
        R"("choices":[{"index":0,"message":{"role":"assistant","content":"This is a test!","refusal":null},)"
        R"("logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":13,"completion_tokens":5,"total_tokens":18}})",
        Feeding::RandomChunks, 3, &streamed);
    QVERIFY(!openAi.error);
    QCOMPARE(openAi.text, QStringLiteral("This is a test!"));
    QCOMPARE(openAi.finishReason, FinishReason::Stop);
    QCOMPARE(openAi.usage.outputTokens, std::optional<qint64>(5));

    const StreamOutcome anthropic = replay(
        ProviderKind::Anthropic,
        R"({"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",)"
        R"("content":[{"type":"text","text":"Let me look."},{"type":"tool_use","id":"toolu_1","name":"get_weather",)"
        R"("input":{"location":"Paris"}}],"stop_reason":"tool_use","stop_sequence":null,)"
        R"("usage":{"input_tokens":377,"output_tokens":65,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}})",
        Feeding::Whole, 1, &streamed);
    QVERIFY(!anthropic.error);
    QCOMPARE(anthropic.text, QStringLiteral("Let me look."));
    QCOMPARE(anthropic.finishReason, FinishReason::ToolCalls);
    QCOMPARE(anthropic.toolCalls.size(), 1);
    QCOMPARE(anthropic.toolCalls.first().arguments, QStringLiteral(R"({"location":"Paris"})"));
    QCOMPARE(anthropic.usage.inputTokens, std::optional<qint64>(377));

    QByteArray array = "[";
    const QByteArray sse = readFixture("gemini/basic_reply_short_crlf.sse");
    for (const QByteArray& line : sse.split('\n')) {
        if (line.startsWith("data: "))
            array += (array.size() > 1 ? ",\r\n" : "") + line.mid(6).trimmed();
    }
    array += "]";
    const StreamOutcome gemini = replay(ProviderKind::Gemini, array, Feeding::RandomChunks, 5, &streamed);
    QVERIFY(!gemini.error);
    QCOMPARE(gemini.text, QStringLiteral("The capital of Wyoming is **Cheyenne**.\n"));
    QCOMPARE(gemini.usage.inputTokens, std::optional<qint64>(7));

    const StreamOutcome geminiError = replay(
        ProviderKind::Gemini, R"({"error":{"code":500,"message":"Internal error","status":"INTERNAL"}})",
        Feeding::Whole, 1, &streamed);
    QVERIFY(geminiError.error.has_value());
    QCOMPARE(geminiError.error->type, ErrorType::Server);

    // Something that is neither a stream nor JSON is still a clear failure, not an empty success.
    const StreamOutcome html =
        replay(ProviderKind::OpenAi, "<html><body>Gateway</body></html>", Feeding::Whole, 1, &streamed);
    QVERIFY(html.error.has_value());
}

QTEST_GUILESS_MAIN(TestRecordedStreams)
#include "TestRecordedStreams.moc"
