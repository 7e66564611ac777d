#include "batch/BatchImporter.h"
#include "batch/CsvReader.h"
#include "text/TemplateRenderer.h"

#include <QTest>

using namespace parallax;

class TestBatchImporter : public QObject {
    Q_OBJECT

private slots:
    void csvFollowsRfc4180_data() {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<QList<QStringList>>("records");
        QTest::addColumn<QList<int>>("lines");
        QTest::newRow("plain") << QByteArray("a,b\n1,2\n") << QList<QStringList>{{"a", "b"}, {"1", "2"}}
                               << QList<int>{1, 2};
        QTest::newRow("crlf and bom") << QByteArray("\xEF\xBB\xBF"
                                                    "a,b\r\n1,2\r\n")
                                      << QList<QStringList>{{"a", "b"}, {"1", "2"}} << QList<int>{1, 2};
        QTest::newRow("quoted comma, quote and newline")
            << QByteArray("a,b\n\"x, y\",\"say \"\"hi\"\"\nnext line\"\n3,4")
            << QList<QStringList>{{"a", "b"}, {"x, y", "say \"hi\"\nnext line"}, {"3", "4"}}
            << QList<int>{1, 2, 4};
        QTest::newRow("empty fields")
            << QByteArray("a,b,c\n,,\n") << QList<QStringList>{{"a", "b", "c"}, {"", "", ""}}
            << QList<int>{1, 2};
        QTest::newRow("blank lines skipped")
            << QByteArray("a\n\n1\n") << QList<QStringList>{{"a"}, {"1"}} << QList<int>{1, 3};
    }
    void csvFollowsRfc4180() {
        QFETCH(QByteArray, csv);
        QFETCH(QList<QStringList>, records);
        QFETCH(QList<int>, lines);
        QList<QPair<int, QString>> problems;
        const QList<CsvReader::Record> parsed = CsvReader::parse(csv, &problems);
        QVERIFY(problems.isEmpty());
        QCOMPARE(parsed.size(), records.size());
        for (qsizetype i = 0; i < parsed.size(); ++i) {
            QCOMPARE(parsed.at(i).fields, records.at(i));
            QCOMPARE(parsed.at(i).line, lines.at(i));
        }
    }

    void badCsvRowsAreReportedAndTheRestImported() {
        QString error;
        const auto result = BatchImporter::importCsv("id,prompt,name\n"
                                                     "1,Hello {{name}},Ada\n"
                                                     "2,bro\"ken,x\n"
                                                     "3,Too,many,fields\n"
                                                     "4,Needs {{other}},x\n"
                                                     "5,,x\n"
                                                     "1,Duplicate id,x\n"
                                                     "6,Fine,x\n",
                                                     &error);
        QVERIFY(result);
        QCOMPARE(result->rows.size(), 2);
        QCOMPARE(result->rows.at(0).prompt, QStringLiteral("Hello Ada"));
        QCOMPARE(result->rows.at(1).id, QStringLiteral("6"));
        QCOMPARE(result->problems.size(), 5);
        QList<int> lines;
        for (const ImportProblem& problem : result->problems)
            lines.append(problem.line);
        std::sort(lines.begin(), lines.end());
        QCOMPARE(lines, QList<int>({3, 4, 5, 6, 7}));
    }

    void csvWithoutPromptColumnIsRefused() {
        QString error;
        QVERIFY(!BatchImporter::importCsv("id,question\n1,hi\n", &error));
        QVERIFY(error.contains(QStringLiteral("'prompt'")));
    }

    void jsonlAndOpenAiBatchInput() {
        const auto result =
            BatchImporter::importJsonl("{\"id\": \"a\", \"prompt\": \"Hi {{who}}\", \"vars\": {\"who\": "
                                       "\"Bo\"}, \"system\": \"Be brief\"}\n"
                                       "\n"
                                       "{\"id\": 7, \"prompt\": \"numeric id\"}\n"
                                       "not json\n"
                                       "{\"id\": \"b\"}\n"
                                       "{\"custom_id\": \"req-1\", \"method\": \"POST\", \"url\": "
                                       "\"/v1/chat/completions\", \"body\": {\"model\": "
                                       "\"gpt-4o-mini\", \"messages\": [{\"role\": \"system\", \"content\": "
                                       "\"Sys\"}, {\"role\": \"user\", "
                                       "\"content\": \"Keep {{braces}}\"}]}}\n");
        QCOMPARE(result.rows.size(), 3);
        QCOMPARE(result.rows.at(0).prompt, QStringLiteral("Hi Bo"));
        QCOMPARE(result.rows.at(0).system, QStringLiteral("Be brief"));
        QCOMPARE(result.rows.at(1).id, QStringLiteral("7"));
        QCOMPARE(result.rows.at(2).id, QStringLiteral("req-1"));
        QCOMPARE(result.rows.at(2).prompt, QStringLiteral("Keep {{braces}}")); // batch input is sent as it is
        QCOMPARE(result.rows.at(2).system, QStringLiteral("Sys"));
        QCOMPARE(result.problems.size(), 2);
        QCOMPARE(result.problems.at(0).line, 4);
        QCOMPARE(result.problems.at(1).line, 5);
    }

    void aPromptTemplateFillsEveryRowFromItsValues() {
        // CSV: a data table without a prompt column; a row missing a value is reported, not sent.
        QString error;
        const auto csv = BatchImporter::importCsv("id,city,days\nr1,Oslo,3\nr2,Lima,\"\"\n", &error,
                                                  QStringLiteral("Plan {{days}} days in {{city}} ({{id}})"));
        QVERIFY2(csv, qPrintable(error));
        QCOMPARE(csv->rows.size(), 2);
        QCOMPARE(csv->rows.at(0).prompt, QStringLiteral("Plan 3 days in Oslo (r1)"));
        QCOMPARE(csv->rows.at(1).prompt,
                 QStringLiteral("Plan  days in Lima (r2)")); // an empty value is a value
        // JSONL: vars, the line's prompt and id; the OpenAI format's user message as {{prompt}}.
        const auto jsonl = BatchImporter::importJsonl(
            "{\"id\": \"a\", \"prompt\": \"tides\", \"vars\": {\"tone\": \"dry\"}}\n"
            "{\"id\": \"b\", \"vars\": {\"tone\": \"warm\"}}\n"
            "{\"custom_id\": \"c\", \"method\": \"POST\", \"url\": \"/v1/chat/completions\", \"body\": "
            "{\"messages\": [{\"role\": \"user\", \"content\": \"orbits\"}]}}\n",
            QStringLiteral("In a {{tone}} tone: {{prompt}}"));
        QCOMPARE(jsonl.rows.size(), 1);
        QCOMPARE(jsonl.rows.at(0).prompt, QStringLiteral("In a dry tone: tides"));
        QCOMPARE(jsonl.problems.size(), 2);
        QCOMPARE(jsonl.problems.at(0).line, 2);
        QCOMPARE(jsonl.problems.at(0).reason,
                 QStringLiteral("the prompt uses {{prompt}}, which this row does not have"));
        QCOMPARE(jsonl.problems.at(1).line, 3);
        QCOMPARE(jsonl.problems.at(1).reason,
                 QStringLiteral("the prompt uses {{tone}}, which this row does not have"));
    }
};

QTEST_GUILESS_MAIN(TestBatchImporter)
#include "TestBatchImporter.moc"
