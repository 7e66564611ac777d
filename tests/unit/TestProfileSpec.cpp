#include "providers/ProfileSpec.h"

#include <QTest>

using namespace parallax;

class TestProfileSpec : public QObject {
    Q_OBJECT

private slots:
    void parses_data();
    void parses();
    void rejects_data();
    void rejects();
    void rejectsWithoutErrorPointer();
    void looksLikeSpec_data();
    void looksLikeSpec();
};

void TestProfileSpec::parses_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("baseUrl");

    QTest::newRow("anthropic default URL") << "anthropic:claude-sonnet-4-5"
                                           << "anthropic"
                                           << "claude-sonnet-4-5"
                                           << "https://api.anthropic.com";
    QTest::newRow("openai default URL") << "openai:gpt-4o-mini"
                                        << "openai"
                                        << "gpt-4o-mini"
                                        << "https://api.openai.com/v1";
    QTest::newRow("gemini default URL") << "gemini:gemini-2.0-flash"
                                        << "gemini"
                                        << "gemini-2.0-flash"
                                        << "https://generativelanguage.googleapis.com";
    QTest::newRow("openai-compatible with URL") << "openai-compatible:llama3@http://127.0.0.1:8080/v1"
                                                << "openai-compatible"
                                                << "llama3"
                                                << "http://127.0.0.1:8080/v1";
    QTest::newRow("ollama model with colon") << "ollama:llama3.2:1b"
                                             << "ollama"
                                             << "llama3.2:1b"
                                             << "http://localhost:11434";
    QTest::newRow("ollama model with colon and URL") << "ollama:llama3.2:1b@http://gpu-box:11434"
                                                     << "ollama"
                                                     << "llama3.2:1b"
                                                     << "http://gpu-box:11434";
    QTest::newRow("model with @ but no URL") << "openai:team@gpt-4o"
                                             << "openai"
                                             << "team@gpt-4o"
                                             << "https://api.openai.com/v1";
    QTest::newRow("model with @ and a URL") << "openai-compatible:org@model@https://llm.example.com/v1/"
                                            << "openai-compatible"
                                            << "org@model"
                                            << "https://llm.example.com/v1/";
    QTest::newRow("https URL with port and path")
        << "anthropic:claude-haiku-4-5@https://proxy.example.com:8443/anthropic"
        << "anthropic"
        << "claude-haiku-4-5"
        << "https://proxy.example.com:8443/anthropic";
    QTest::newRow("kind is case-insensitive") << "OpenAI:gpt-4o"
                                              << "openai"
                                              << "gpt-4o"
                                              << "https://api.openai.com/v1";
}

void TestProfileSpec::parses() {
    QFETCH(QString, spec);
    QFETCH(QString, kind);
    QFETCH(QString, model);
    QFETCH(QString, baseUrl);

    QString error;
    const auto profile = ProfileSpec::parse(spec, &error);
    QVERIFY2(profile.has_value(), qPrintable(error));
    QCOMPARE(providerKindName(profile->kind), kind);
    QCOMPARE(profile->model, model);
    QCOMPARE(profile->baseUrl.toString(), baseUrl);
    QCOMPARE(profile->name, spec);
}

void TestProfileSpec::rejects_data() {
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QStringList>("errorContains");
    QTest::addColumn<QString>("errorMustNotContain");

    QTest::newRow("unknown kind") << "mistral:mistral-large"
                                  << QStringList{"unknown provider kind", "'mistral'", "openai", "anthropic",
                                                 "openai-compatible"}
                                  << "";
    QTest::newRow("no colon") << "claude-sonnet-4-5" << QStringList{"not a SPEC", "KIND:MODEL"} << "";
    QTest::newRow("empty kind") << ":llama3" << QStringList{"not a SPEC"} << "";
    QTest::newRow("empty text") << "" << QStringList{"not a SPEC"} << "";
    QTest::newRow("empty model") << "anthropic:" << QStringList{"names no model"} << "";
    QTest::newRow("blank model") << "anthropic:   " << QStringList{"names no model"} << "";
    QTest::newRow("empty model before URL")
        << "openai-compatible:@http://127.0.0.1:8080/v1" << QStringList{"names no model"} << "";
    QTest::newRow("ftp URL") << "openai-compatible:llama3@ftp://files.example.com/v1"
                             << QStringList{"not a usable base URL", "ftp://files.example.com/v1", "http"}
                             << "";
    QTest::newRow("URL with credentials") << "openai-compatible:llama3@http://user:hunter2@127.0.0.1:8080/v1"
                                          << QStringList{"credentials"} << "hunter2";
    QTest::newRow("URL with user only") << "openai-compatible:llama3@https://alice@llm.example.com/v1"
                                        << QStringList{"credentials"} << "alice";
    QTest::newRow("URL without host")
        << "openai-compatible:llama3@http:///v1" << QStringList{"not a usable base URL", "host"} << "";
    QTest::newRow("URL with only a scheme")
        << "ollama:llama3@http://" << QStringList{"not a usable base URL"} << "";
}

void TestProfileSpec::rejects() {
    QFETCH(QString, spec);
    QFETCH(QStringList, errorContains);
    QFETCH(QString, errorMustNotContain);

    QString error;
    const auto profile = ProfileSpec::parse(spec, &error);
    QVERIFY(!profile.has_value());
    QVERIFY(!error.isEmpty());
    for (const QString& part : errorContains)
        QVERIFY2(error.contains(part), qPrintable(error));
    if (!errorMustNotContain.isEmpty())
        QVERIFY2(!error.contains(errorMustNotContain), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
}

void TestProfileSpec::rejectsWithoutErrorPointer() {
    QVERIFY(!ProfileSpec::parse(QStringLiteral("mistral:large"), nullptr).has_value());
    QVERIFY(ProfileSpec::parse(QStringLiteral("ollama:llama3"), nullptr).has_value());
}

void TestProfileSpec::looksLikeSpec_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("isSpec");

    QTest::newRow("anthropic") << "anthropic:claude-sonnet-4-5" << true;
    QTest::newRow("ollama with colon in model") << "ollama:llama3.2:1b" << true;
    QTest::newRow("openai-compatible with URL")
        << "openai-compatible:llama3@http://127.0.0.1:8080/v1" << true;
    QTest::newRow("upper-case kind") << "GEMINI:gemini-2.0-flash" << true;
    QTest::newRow("kind with empty model") << "openai:" << true;
    QTest::newRow("saved profile name") << "fast" << false;
    QTest::newRow("profile name with dash") << "my-profile" << false;
    QTest::newRow("unknown kind") << "mistral:large" << false;
    QTest::newRow("leading colon") << ":openai" << false;
    QTest::newRow("kind without colon") << "openai" << false;
    QTest::newRow("URL") << "http://127.0.0.1:8080/v1" << false;
    QTest::newRow("empty") << "" << false;
}

void TestProfileSpec::looksLikeSpec() {
    QFETCH(QString, text);
    QFETCH(bool, isSpec);
    QCOMPARE(ProfileSpec::looksLikeSpec(text), isSpec);
}

QTEST_GUILESS_MAIN(TestProfileSpec)
#include "TestProfileSpec.moc"
