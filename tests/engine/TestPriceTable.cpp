#include "engine/PriceTable.h"

#include <QJsonObject>
#include <QTest>

using namespace parallax;

namespace {

ProviderProfile profile(ProviderKind kind, const QString& model, const QString& baseUrl = QString()) {
    ProviderProfile result;
    result.name = model;
    result.kind = kind;
    result.model = model;
    result.baseUrl = QUrl(baseUrl.isEmpty() ? defaultBaseUrl(kind) : baseUrl);
    return result;
}

ProviderProfile openAi(const QString& model) {
    return profile(ProviderKind::OpenAi, model);
}

Usage usage(std::optional<qint64> input, std::optional<qint64> output, std::optional<qint64> cached = {},
            std::optional<qint64> reasoning = {}) {
    Usage result;
    result.inputTokens = input;
    result.outputTokens = output;
    result.cachedInputTokens = cached;
    result.reasoningTokens = reasoning;
    return result;
}

ModelPrice price(double input, double output, std::optional<double> cachedInput = {}) {
    ModelPrice result;
    result.model = QStringLiteral("test-model");
    result.inputPerMillion = input;
    result.outputPerMillion = output;
    result.cachedInputPerMillion = cachedInput;
    return result;
}

const QString kNoMatch = QStringLiteral("(none)");

} // namespace

class TestPriceTable : public QObject {
    Q_OBJECT

private slots:
    void builtInHasCommonModels_data();
    void builtInHasCommonModels();
    void builtInEntriesNameTheirSource();
    void match_data();
    void match();
    void localOllamaIsFree_data();
    void localOllamaIsFree();
    void overrides();
    void incompleteOverridesIgnored_data();
    void incompleteOverridesIgnored();
    void cost_data();
    void cost();
    void upperBound();
};

void TestPriceTable::builtInHasCommonModels_data() {
    QTest::addColumn<QString>("model");
    QTest::addColumn<double>("input");
    QTest::addColumn<double>("output");
    QTest::addColumn<double>("cachedInput");

    QTest::newRow("gpt-4o-mini") << "gpt-4o-mini" << 0.15 << 0.6 << 0.075;
    QTest::newRow("gpt-4o") << "gpt-4o" << 2.5 << 10.0 << 1.25;
    QTest::newRow("gpt-4.1") << "gpt-4.1" << 2.0 << 8.0 << 0.5;
    QTest::newRow("gpt-5") << "gpt-5" << 1.25 << 10.0 << 0.125;
    QTest::newRow("claude-sonnet-4-5") << "claude-sonnet-4-5" << 3.0 << 15.0 << 0.3;
    QTest::newRow("claude-haiku-4-5") << "claude-haiku-4-5" << 1.0 << 5.0 << 0.1;
}

void TestPriceTable::builtInHasCommonModels() {
    QFETCH(QString, model);
    QFETCH(double, input);
    QFETCH(double, output);
    QFETCH(double, cachedInput);

    const auto found = PriceTable::builtIn().find(openAi(model));
    QVERIFY(found);
    QCOMPARE(found->model, model);
    QCOMPARE(found->inputPerMillion, input);
    QCOMPARE(found->outputPerMillion, output);
    QVERIFY(found->cachedInputPerMillion);
    QCOMPARE(*found->cachedInputPerMillion, cachedInput);
}

void TestPriceTable::builtInEntriesNameTheirSource() {
    const PriceTable table = PriceTable::builtIn();
    for (const char* model : {"gpt-4o-mini", "gpt-4o", "claude-sonnet-4-5"}) {
        const auto found = table.find(openAi(QString::fromLatin1(model)));
        QVERIFY2(found, model);
        QVERIFY2(!found->source.isEmpty(), model);
        QVERIFY2(QDate::fromString(found->date, Qt::ISODate).isValid(), model);
    }
}

void TestPriceTable::match_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("expectedEntry");

    const int openai = static_cast<int>(ProviderKind::OpenAi);
    const int anthropic = static_cast<int>(ProviderKind::Anthropic);
    QTest::newRow("exact") << openai << "gpt-4o"
                           << "gpt-4o";
    QTest::newRow("exact mini") << openai << "gpt-4o-mini"
                                << "gpt-4o-mini";
    QTest::newRow("dated snapshot of gpt-4o") << openai << "gpt-4o-2024-08-06"
                                              << "gpt-4o";
    QTest::newRow("dated snapshot of mini: the longer entry, not gpt-4o")
        << openai << "gpt-4o-mini-2024-07-18"
        << "gpt-4o-mini";
    QTest::newRow("dated snapshot of gpt-4.1-mini") << openai << "gpt-4.1-mini-2025-04-14"
                                                    << "gpt-4.1-mini";
    QTest::newRow("Anthropic dated snapshot") << anthropic << "claude-sonnet-4-5-20250929"
                                              << "claude-sonnet-4-5";
    QTest::newRow("Anthropic dated snapshot of the shorter name") << anthropic << "claude-sonnet-4-20250514"
                                                                  << "claude-sonnet-4";
    QTest::newRow("unknown model") << openai << "gpt-3.5-turbo" << kNoMatch;
    QTest::newRow("unknown Anthropic model") << anthropic << "claude-2.1" << kNoMatch;
    QTest::newRow("a prefix without a dash is another model") << openai << "gpt-4omni" << kNoMatch;
    QTest::newRow("a shorter name is not a match") << openai << "gpt-4" << kNoMatch;
    QTest::newRow("case matters") << openai << "GPT-4O" << kNoMatch;
    QTest::newRow("empty model") << openai << "" << kNoMatch;
    // Another model of the family, not a snapshot: it has its own (much lower) price, so taking the base
    // model's price would be wrong. Unknown is the honest answer.
    QTest::newRow("gpt-5-nano is not gpt-5") << openai << "gpt-5-nano" << kNoMatch;
    QTest::newRow("gpt-4.1-nano is not gpt-4.1") << openai << "gpt-4.1-nano" << kNoMatch;
}

void TestPriceTable::match() {
    QFETCH(int, kind);
    QFETCH(QString, model);
    QFETCH(QString, expectedEntry);

    const auto found = PriceTable::builtIn().find(profile(static_cast<ProviderKind>(kind), model));
    QCOMPARE(found ? found->model : kNoMatch, expectedEntry);
}

void TestPriceTable::localOllamaIsFree_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("baseUrl");
    QTest::addColumn<bool>("free");

    const int ollama = static_cast<int>(ProviderKind::Ollama);
    QTest::newRow("127.0.0.1") << ollama << "http://127.0.0.1:11434" << true;
    QTest::newRow("localhost") << ollama << "http://localhost:11434" << true;
    QTest::newRow("IPv6 loopback") << ollama << "http://[::1]:11434" << true;
    QTest::newRow("remote by name") << ollama << "http://gpu-box.example.com:11434" << false;
    QTest::newRow("remote by address") << ollama << "http://192.168.1.20:11434" << false;
    QTest::newRow("a name that starts like localhost")
        << ollama << "http://localhost.example.com:11434" << false;
    QTest::newRow("not Ollama, on this machine")
        << static_cast<int>(ProviderKind::OpenAiCompatible) << "http://127.0.0.1:8080/v1" << false;
}

void TestPriceTable::localOllamaIsFree() {
    QFETCH(int, kind);
    QFETCH(QString, baseUrl);
    QFETCH(bool, free);

    const ProviderProfile local =
        profile(static_cast<ProviderKind>(kind), QStringLiteral("llama3.2:3b"), baseUrl);
    const auto found = PriceTable::builtIn().find(local);
    QCOMPARE(found.has_value(), free);
    if (free) {
        QCOMPARE(found->inputPerMillion, 0.0);
        QCOMPARE(found->outputPerMillion, 0.0);
        QVERIFY(!found->source.isEmpty());
        const auto cost = PriceTable::cost(*found, usage(1'000, 2'000, 100, 50));
        QVERIFY(cost);
        QCOMPARE(*cost, 0.0);
    }
}

void TestPriceTable::overrides() {
    PriceTable table = PriceTable::builtIn();
    table.applyOverrides(QJsonObject{
        {"my-finetune", QJsonObject{{"input", 1.0}, {"output", 2.0}, {"cached_input", 0.5}}},
        {"gpt-4o-mini", QJsonObject{{"input", 0.2}, {"output", 0.8}, {"source", "invoice"}}},
    });

    const auto custom = table.find(openAi(QStringLiteral("my-finetune")));
    QVERIFY(custom);
    QCOMPARE(custom->inputPerMillion, 1.0);
    QCOMPARE(custom->outputPerMillion, 2.0);
    QCOMPARE(custom->cachedInputPerMillion.value_or(-1), 0.5);
    QCOMPARE(custom->source, QStringLiteral("your settings"));

    const auto replaced = table.find(openAi(QStringLiteral("gpt-4o-mini")));
    QVERIFY(replaced);
    QCOMPARE(replaced->inputPerMillion, 0.2);
    QCOMPARE(replaced->outputPerMillion, 0.8);
    QVERIFY(!replaced->cachedInputPerMillion); // the override replaces the whole entry
    QCOMPARE(replaced->source, QStringLiteral("invoice"));

    // The override also prices the model's snapshots; other models keep the shipped price.
    QCOMPARE(table.find(openAi(QStringLiteral("gpt-4o-mini-2024-07-18")))->inputPerMillion, 0.2);
    QCOMPARE(table.find(openAi(QStringLiteral("gpt-4o")))->inputPerMillion, 2.5);
    // A remote server's unlisted model stays unknown.
    QVERIFY(!table.find(openAi(QStringLiteral("my-other-model"))));
}

void TestPriceTable::incompleteOverridesIgnored_data() {
    QTest::addColumn<QJsonValue>("entry");

    QTest::newRow("input only") << QJsonValue(QJsonObject{{"input", 9.0}});
    QTest::newRow("output only") << QJsonValue(QJsonObject{{"output", 9.0}});
    QTest::newRow("prices as strings") << QJsonValue(QJsonObject{{"input", "9"}, {"output", "9"}});
    QTest::newRow("null price") << QJsonValue(QJsonObject{{"input", 9.0}, {"output", QJsonValue::Null}});
    QTest::newRow("not an object") << QJsonValue(9.0);
    QTest::newRow("empty object") << QJsonValue(QJsonObject{});
}

void TestPriceTable::incompleteOverridesIgnored() {
    QFETCH(QJsonValue, entry);

    PriceTable table = PriceTable::builtIn();
    table.applyOverrides(QJsonObject{{"gpt-4o", entry}, {"brand-new-model", entry}});
    const auto kept = table.find(openAi(QStringLiteral("gpt-4o")));
    QVERIFY(kept);
    QCOMPARE(kept->inputPerMillion, 2.5);
    QCOMPARE(kept->outputPerMillion, 10.0);
    QVERIFY(!table.find(openAi(QStringLiteral("brand-new-model"))));
}

void TestPriceTable::cost_data() {
    QTest::addColumn<double>("inputPrice");
    QTest::addColumn<double>("outputPrice");
    QTest::addColumn<double>("cachedPrice"); // negative: no cached-input price
    QTest::addColumn<qint64>("input");       // negative: not reported
    QTest::addColumn<qint64>("output");
    QTest::addColumn<qint64>("cached");
    QTest::addColumn<qint64>("reasoning");
    QTest::addColumn<double>("expected"); // negative: unknown

    // (1000 × 2.5 + 500 × 10) / 1e6
    QTest::newRow("input and output")
        << 2.5 << 10.0 << 1.25 << qint64(1'000) << qint64(500) << qint64(-1) << qint64(-1) << 0.0075;
    // (600 × 2.5 + 400 × 1.25 + 500 × 10) / 1e6
    QTest::newRow("cached input at its own price")
        << 2.5 << 10.0 << 1.25 << qint64(1'000) << qint64(500) << qint64(400) << qint64(-1) << 0.007;
    QTest::newRow("cached input without a cached price is input")
        << 2.5 << 10.0 << -1.0 << qint64(1'000) << qint64(500) << qint64(400) << qint64(-1) << 0.0075;
    QTest::newRow("reasoning is part of output, not added again")
        << 2.5 << 10.0 << 1.25 << qint64(1'000) << qint64(500) << qint64(-1) << qint64(300) << 0.0075;
    QTest::newRow("cached above input is capped at input")
        << 2.0 << 8.0 << 0.5 << qint64(1'000) << qint64(0) << qint64(5'000) << qint64(-1) << 0.0005;
    QTest::newRow("zero usage costs zero")
        << 2.5 << 10.0 << 1.25 << qint64(0) << qint64(0) << qint64(-1) << qint64(-1) << 0.0;
    QTest::newRow("a million each") << 0.15 << 0.6 << 0.075 << qint64(1'000'000) << qint64(1'000'000)
                                    << qint64(0) << qint64(-1) << 0.75;
    QTest::newRow("unknown input") << 2.5 << 10.0 << 1.25 << qint64(-1) << qint64(500) << qint64(-1)
                                   << qint64(-1) << -1.0;
    QTest::newRow("unknown output") << 2.5 << 10.0 << 1.25 << qint64(1'000) << qint64(-1) << qint64(-1)
                                    << qint64(-1) << -1.0;
    QTest::newRow("nothing reported")
        << 2.5 << 10.0 << 1.25 << qint64(-1) << qint64(-1) << qint64(-1) << qint64(-1) << -1.0;
}

void TestPriceTable::cost() {
    QFETCH(double, inputPrice);
    QFETCH(double, outputPrice);
    QFETCH(double, cachedPrice);
    QFETCH(qint64, input);
    QFETCH(qint64, output);
    QFETCH(qint64, cached);
    QFETCH(qint64, reasoning);
    QFETCH(double, expected);

    const auto known = [](qint64 value) { return value < 0 ? std::nullopt : std::optional<qint64>(value); };
    const auto result = PriceTable::cost(
        price(inputPrice, outputPrice, cachedPrice < 0 ? std::nullopt : std::optional(cachedPrice)),
        usage(known(input), known(output), known(cached), known(reasoning)));
    if (expected < 0) {
        QVERIFY(!result);
        return;
    }
    QVERIFY(result);
    QVERIFY2(qAbs(*result - expected) < 1e-12, qPrintable(QString::number(*result, 'g', 17)));
}

void TestPriceTable::upperBound() {
    const ModelPrice gpt4o = price(2.5, 10.0, 1.25);
    QVERIFY(qAbs(PriceTable::upperBound(gpt4o, 1'000, 500) - 0.0075) < 1e-12);
    QCOMPARE(PriceTable::upperBound(gpt4o, 0, 0), 0.0);
    // Every allowed output token counts, even though few may be used.
    QVERIFY(qAbs(PriceTable::upperBound(gpt4o, 0, 100'000) - 1.0) < 1e-12);
    // The bound is never below the cost of any usage within it.
    const double bound = PriceTable::upperBound(gpt4o, 2'000, 800);
    QVERIFY(*PriceTable::cost(gpt4o, usage(2'000, 800, 1'500)) <= bound);
    QVERIFY(*PriceTable::cost(gpt4o, usage(2'000, 800)) <= bound);
}

QTEST_GUILESS_MAIN(TestPriceTable)
#include "TestPriceTable.moc"
