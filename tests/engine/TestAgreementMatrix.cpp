#include "engine/AgreementMatrix.h"

#include <QJsonArray>
#include <QTest>

using namespace parallax;

using Texts = QList<std::optional<QString>>;

namespace {

std::optional<QString> text(const char* value) {
    return QString::fromUtf8(value);
}

double similarity(const char* a, const char* b) {
    const auto matrix = AgreementMatrix::compute({text(a), text(b)});
    return matrix[0][1].value_or(-1);
}

} // namespace

class TestAgreementMatrix : public QObject {
    Q_OBJECT

private slots:
    void pairs_data();
    void pairs();
    void diagonalAndSymmetry();
    void failedAnswersAreNull();
    void emptyInput();
    void toJson();
    void toJsonRounding_data();
    void toJsonRounding();
};

void TestAgreementMatrix::pairs_data() {
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::addColumn<double>("expected");

    QTest::newRow("identical") << "Paris is the capital of France."
                               << "Paris is the capital of France." << 1.0;
    QTest::newRow("case and punctuation do not matter") << "Paris is the capital of France."
                                                        << "PARIS, is the capital... of france!" << 1.0;
    QTest::newRow("word order does not matter") << "red green blue"
                                                << "blue red green" << 1.0;
    QTest::newRow("same proportions") << "cat dog"
                                      << "cat dog cat dog" << 1.0;
    QTest::newRow("disjoint") << "alpha beta gamma"
                              << "delta epsilon zeta" << 0.0;
    QTest::newRow("half shared") << "cat dog"
                                 << "cat fish" << 0.5; // 1 / (√2 √2)
    QTest::newRow("weighted by counts") << "cat cat dog"
                                        << "cat dog dog" << 0.8; // 4 / (√5 √5)
    QTest::newRow("one-letter words dropped") << "a cat"
                                              << "I cat" << 1.0;
    QTest::newRow("only one-letter words: nothing to compare") << "a b c"
                                                               << "a b c" << 0.0;
    QTest::newRow("digits are words") << "version 42"
                                      << "version 43" << 0.5;
    QTest::newRow("letters beyond ASCII") << "Ünïcode café"
                                          << "ÜNÏCODE CAFÉ" << 1.0;
    QTest::newRow("hyphen splits words") << "well-known"
                                         << "well known" << 1.0;
    QTest::newRow("empty against text") << ""
                                        << "some words" << 0.0;
}

void TestAgreementMatrix::pairs() {
    QFETCH(QString, a);
    QFETCH(QString, b);
    QFETCH(double, expected);

    const auto matrix = AgreementMatrix::compute({a, b});
    QCOMPARE(matrix.size(), 2);
    QVERIFY(matrix[0][1]);
    QVERIFY2(qAbs(*matrix[0][1] - expected) < 1e-9, qPrintable(QString::number(*matrix[0][1], 'g', 17)));
    QCOMPARE(matrix[1][0], matrix[0][1]);
}

void TestAgreementMatrix::diagonalAndSymmetry() {
    const Texts texts{text("The answer is 42 because of the question."), text("42, because of the question."),
                      text("Nobody knows the answer."), text("Completely different words here")};
    const auto matrix = AgreementMatrix::compute(texts);
    QCOMPARE(matrix.size(), 4);
    for (qsizetype i = 0; i < 4; ++i) {
        QCOMPARE(matrix[i].size(), 4);
        QCOMPARE(matrix[i][i], std::optional<double>(1.0));
        for (qsizetype j = 0; j < 4; ++j) {
            QVERIFY(matrix[i][j]);
            QCOMPARE(matrix[i][j], matrix[j][i]);
            QVERIFY(*matrix[i][j] >= 0.0 && *matrix[i][j] <= 1.0 + 1e-12);
        }
    }
    // More shared words, more agreement.
    QVERIFY(*matrix[0][1] > *matrix[0][2]);
    QVERIFY(*matrix[0][2] > *matrix[0][3]);
    // Deterministic.
    QCOMPARE(AgreementMatrix::compute(texts), matrix);
    QCOMPARE(similarity("x y zz", "zz"),
             AgreementMatrix::compute({text("zz"), text("x y zz")})[0][1].value());
}

void TestAgreementMatrix::failedAnswersAreNull() {
    const auto matrix = AgreementMatrix::compute({text("same words"), std::nullopt, text("same words")});
    QCOMPARE(matrix.size(), 3);
    for (qsizetype i = 0; i < 3; ++i) {
        QVERIFY2(!matrix[1][i], qPrintable(QString::number(i)));
        QVERIFY2(!matrix[i][1], qPrintable(QString::number(i)));
    }
    QVERIFY(matrix[0][2]);
    QVERIFY(qAbs(*matrix[0][2] - 1.0) < 1e-12);

    const auto allFailed = AgreementMatrix::compute({std::nullopt, std::nullopt});
    QVERIFY(!allFailed[0][0] && !allFailed[0][1] && !allFailed[1][0] && !allFailed[1][1]);
}

void TestAgreementMatrix::emptyInput() {
    QVERIFY(AgreementMatrix::compute({}).isEmpty());
    const auto single = AgreementMatrix::compute({text("alone")});
    QCOMPARE(single.size(), 1);
    QCOMPARE(single[0][0], std::optional<double>(1.0));
}

void TestAgreementMatrix::toJson() {
    const auto matrix = AgreementMatrix::compute({text("cat dog"), text("cat fish"), std::nullopt});
    const QJsonObject json = AgreementMatrix::toJson({"openai:a", "anthropic:b", "gemini:c"}, matrix);
    QCOMPARE(json.value("profiles").toArray(), QJsonArray({"openai:a", "anthropic:b", "gemini:c"}));
    const QJsonArray rows = json.value("matrix").toArray();
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0].toArray(), QJsonArray({1.0, 0.5, QJsonValue::Null}));
    QCOMPARE(rows[1].toArray(), QJsonArray({0.5, 1.0, QJsonValue::Null}));
    QCOMPARE(rows[2].toArray(), QJsonArray({QJsonValue::Null, QJsonValue::Null, QJsonValue::Null}));
}

void TestAgreementMatrix::toJsonRounding_data() {
    QTest::addColumn<double>("value");
    QTest::addColumn<double>("rounded");
    QTest::newRow("one third") << 1.0 / 3 << 0.333;
    QTest::newRow("two thirds") << 2.0 / 3 << 0.667;
    QTest::newRow("0.41666") << 0.41666 << 0.417;
    QTest::newRow("0.0004 to 0") << 0.0004 << 0.0;
    QTest::newRow("0.9996 to 1") << 0.9996 << 1.0;
    QTest::newRow("exact") << 0.25 << 0.25;
}

void TestAgreementMatrix::toJsonRounding() {
    QFETCH(double, value);
    QFETCH(double, rounded);
    const QJsonObject json = AgreementMatrix::toJson({"a"}, {{value}});
    QCOMPARE(json.value("matrix").toArray()[0].toArray()[0].toDouble(), rounded);
}

QTEST_GUILESS_MAIN(TestAgreementMatrix)
#include "TestAgreementMatrix.moc"
