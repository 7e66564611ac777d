#include "engine/SynthesisPrompt.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace parallax;

using Answers = QList<QPair<QString, QString>>;

namespace {

bool writeFile(const QString& path, const QByteArray& content) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

} // namespace

class TestSynthesisPrompt : public QObject {
    Q_OBJECT

private slots:
    void labels_data();
    void labels();
    void labelsAreUnique();
    void builtInTemplate();
    void build();
    void buildWithTheBuiltInTemplate();
    void answersAreNotTemplates();
    void questionIsNotATemplate();
    void templateFor_data();
    void templateFor();
};

void TestSynthesisPrompt::labels_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("label");
    QTest::newRow("0") << 0 << "A";
    QTest::newRow("1") << 1 << "B";
    QTest::newRow("25") << 25 << "Z";
    QTest::newRow("26") << 26 << "AA";
    QTest::newRow("27") << 27 << "AB";
    QTest::newRow("51") << 51 << "AZ";
    QTest::newRow("52") << 52 << "BA";
    QTest::newRow("701") << 701 << "ZZ";
    QTest::newRow("702") << 702 << "AAA";
}

void TestSynthesisPrompt::labels() {
    QFETCH(int, index);
    QFETCH(QString, label);
    QCOMPARE(SynthesisPrompt::label(index), label);
}

void TestSynthesisPrompt::labelsAreUnique() {
    QSet<QString> seen;
    for (int i = 0; i < 1000; ++i) {
        const QString label = SynthesisPrompt::label(i);
        QVERIFY2(!seen.contains(label), qPrintable(label));
        seen.insert(label);
    }
}

void TestSynthesisPrompt::builtInTemplate() {
    const QString text = SynthesisPrompt::builtInTemplate();
    for (const char* placeholder : {"{{question}}", "{{answers}}", "{{labels}}"})
        QVERIFY2(text.contains(QLatin1String(placeholder)), placeholder);
    QVERIFY(text.contains(QStringLiteral("Disagreements")));
}

void TestSynthesisPrompt::build() {
    const QString prompt = SynthesisPrompt::build(
        QStringLiteral("Labels: {{labels}}\nQ: {{question}}\n---\n{{answers}}\n---\nAgain: {{labels}}"),
        QStringLiteral("  Why is the sky blue?\n"),
        {{QStringLiteral("A"), QStringLiteral("Rayleigh scattering.\n\n")},
         {QStringLiteral("B"), QStringLiteral("  Because of the sea.")},
         {QStringLiteral("C"), QStringLiteral("Shorter wavelengths scatter more.")}});
    QCOMPARE(prompt, QStringLiteral("Labels: [A], [B], [C]\n"
                                    "Q: Why is the sky blue?\n"
                                    "---\n"
                                    "[A]\nRayleigh scattering.\n\n"
                                    "[B]\nBecause of the sea.\n\n"
                                    "[C]\nShorter wavelengths scatter more.\n"
                                    "---\n"
                                    "Again: [A], [B], [C]"));
}

void TestSynthesisPrompt::buildWithTheBuiltInTemplate() {
    const QString prompt = SynthesisPrompt::build(
        SynthesisPrompt::builtInTemplate(), QStringLiteral("What is 2 + 2?"),
        {{QStringLiteral("A"), QStringLiteral("4")}, {QStringLiteral("B"), QStringLiteral("Four.")}});
    QVERIFY(!prompt.contains(QStringLiteral("{{")));
    QVERIFY(prompt.contains(QStringLiteral("What is 2 + 2?")));
    QVERIFY(prompt.contains(QStringLiteral("[A]\n4\n\n[B]\nFour.")));
    QVERIFY(prompt.contains(QStringLiteral("[A], [B]")));
    QVERIFY(prompt.indexOf(QStringLiteral("What is 2 + 2?")) < prompt.indexOf(QStringLiteral("[A]\n4")));
}

void TestSynthesisPrompt::answersAreNotTemplates() {
    // An answer that talks about placeholders is quoted as it is.
    const QString prompt = SynthesisPrompt::build(
        QStringLiteral("{{labels}}|{{question}}|{{answers}}"), QStringLiteral("Q"),
        {{QStringLiteral("A"), QStringLiteral("Use {{question}} and {{labels}} in the template.")}});
    QCOMPARE(prompt, QStringLiteral("[A]|Q|[A]\nUse {{question}} and {{labels}} in the template."));
}

void TestSynthesisPrompt::questionIsNotATemplate() {
    // The user's question is quoted as it is, even when it talks about placeholders.
    const QString question = QStringLiteral("What do {{answers}} and {{labels}} mean in a template?");
    const QString prompt =
        SynthesisPrompt::build(QStringLiteral("{{labels}}|{{question}}|{{answers}}"), question,
                               {{QStringLiteral("A"), QStringLiteral("Placeholders.")}});
    // The question is never scanned for placeholders after it is put in.
    QCOMPARE(prompt, QStringLiteral("[A]|") + question + QStringLiteral("|[A]\nPlaceholders."));
    QCOMPARE(prompt.count(QStringLiteral("Placeholders.")), 1);
}

void TestSynthesisPrompt::templateFor_data() {
    QTest::addColumn<QByteArray>("fileContent"); // null: no file
    QTest::addColumn<bool>("usesFile");

    QTest::newRow("no file") << QByteArray() << false;
    QTest::newRow("user template with {{answers}}")
        << QByteArray("Merge {{answers}} for {{question}}, cite {{labels}}.\n") << true;
    QTest::newRow("only {{answers}} is required") << QByteArray("Just {{answers}}") << true;
    QTest::newRow("UTF-8 template") << QByteArray("Fasse zusammen (Größe): {{answers}}") << true;
    QTest::newRow("without {{answers}}: built-in") << QByteArray("Merge {{question}} please") << false;
    QTest::newRow("misspelt placeholder: built-in") << QByteArray("Merge {{answer}} please") << false;
    QTest::newRow("empty file: built-in") << QByteArray("") << false;
}

void TestSynthesisPrompt::templateFor() {
    QFETCH(QByteArray, fileContent);
    QFETCH(bool, usesFile);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    if (!fileContent.isNull())
        QVERIFY(writeFile(dir.filePath(QStringLiteral("synthesis_template.txt")), fileContent));
    const QString result = SynthesisPrompt::templateFor(dir.path());
    QCOMPARE(result, usesFile ? QString::fromUtf8(fileContent) : SynthesisPrompt::builtInTemplate());
}

QTEST_GUILESS_MAIN(TestSynthesisPrompt)
#include "TestSynthesisPrompt.moc"
