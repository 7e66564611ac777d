// Scores the detector on the labeled corpus (tests/fixtures/pii/cases.jsonl) and on our own held-out
// sentences, and runs the LLM Guard round-trip rows. Prints a per-type table (copied into
// bench/README.md) and asserts precision and recall >= 0.95 overall.
//
// How corpus categories map onto our types:
// - EMAIL_ADDRESS, PHONE_NUMBER, US_SSN, CREDIT_CARD, IBAN_CODE, IP_ADDRESS, MAC_ADDRESS, URL and
//   CRYPTO are our type names already (the corpus uses Presidio's names).
// - "SECRET:<gitleaks rule id>" maps to SECRET. Positives count only for the gitleaks rules we
//   implement (kSupportedSecretRules); every SECRET negative counts, whichever rule it was written
//   for: no secret rule of ours may fire on any of them.
// - Every other category (national IDs, DATE_TIME, TR_PHONE_NUMBER, ...) is out of scope and skipped.
// Row-level choices, none of them per row:
// - Presidio phone rows that state a libphonenumber leniency other than 1 (VALID, ours) are
//   skipped; python-phonenumbers matcher rows are positives when their expectation says the number
//   is found at VALID, negatives when "never_found", skipped when "found only at POSSIBLE". Each
//   phone row is scanned with its own region.
// - Rows labelled positive with an empty span list (three Presidio IPv6 rows whose test expects no
//   result) contradict themselves and are skipped.
// - Scoring is by overlap: a found span of the row's type that overlaps an expected span is a true
//   positive (each expected span is matched once); other found spans of that type are false
//   positives. Rows without offsets (gitleaks, phonenumbers) count one hit or miss per row.
// - Suggestions (weak patterns) are not redactions, so they count as "not found".
#include "sanitize/BuiltinRules.h"
#include "sanitize/CodePoints.h"
#include "sanitize/Detector.h"
#include "sanitize/EntityType.h"
#include "sanitize/Restorer.h"
#include "sanitize/Sanitizer.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QTest>

#include <map>
#include <memory>

using namespace parallax;

namespace {

const QSet<QString> kSupportedSecretRules = {
    QStringLiteral("openai-api-key"),
    QStringLiteral("anthropic-api-key"),
    QStringLiteral("anthropic-admin-api-key"),
    QStringLiteral("aws-access-token"),
    QStringLiteral("github-pat"),
    QStringLiteral("github-fine-grained-pat"),
    QStringLiteral("github-oauth"),
    QStringLiteral("github-app-token"),
    QStringLiteral("github-refresh-token"),
    QStringLiteral("gitlab-pat"),
    QStringLiteral("gitlab-pat-routable"),
    QStringLiteral("gitlab-ptt"),
    QStringLiteral("gitlab-rrt"),
    QStringLiteral("gitlab-runner-authentication-token-routable"),
    QStringLiteral("gcp-api-key"),
    QStringLiteral("slack-app-token"),
    QStringLiteral("slack-bot-token"),
    QStringLiteral("slack-config-access-token"),
    QStringLiteral("slack-config-refresh-token"),
    QStringLiteral("slack-legacy-bot-token"),
    QStringLiteral("slack-legacy-token"),
    QStringLiteral("slack-legacy-workspace-token"),
    QStringLiteral("slack-user-token"),
    QStringLiteral("slack-webhook-url"),
    QStringLiteral("stripe-access-token"),
    QStringLiteral("huggingface-access-token"),
    QStringLiteral("huggingface-organization-api-token"),
    QStringLiteral("npm-access-token"),
    QStringLiteral("sendgrid-api-token"),
    QStringLiteral("jwt"),
    QStringLiteral("private-key"),
    QStringLiteral("curl-auth-header"),
    QStringLiteral("perplexity-api-key"),
    QStringLiteral("databricks-api-token"),
    QStringLiteral("age-secret-key"),
    QStringLiteral("azure-ad-client-secret"),
    QStringLiteral("hashicorp-tf-api-token"),
    QStringLiteral("vault-service-token"),
    QStringLiteral("vault-batch-token"),
    QStringLiteral("openshift-user-token"),
    QStringLiteral("grafana-cloud-api-token"),
    QStringLiteral("grafana-service-account-token"),
    QStringLiteral("sidekiq-sensitive-url"),
};

const QString kPresidioRegions = QStringLiteral("US,GB,DE,FR,IL,IN,CA,BR");

struct Tally {
    int tp = 0;
    int fp = 0;
    int fn = 0;
    double precision() const { return tp + fp == 0 ? 1.0 : double(tp) / (tp + fp); }
    double recall() const { return tp + fn == 0 ? 1.0 : double(tp) / (tp + fn); }
};

struct Expected {
    qsizetype start;
    qsizetype end;
};

QList<QJsonObject> readJsonl(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot open %s", qPrintable(path));
    QList<QJsonObject> rows;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.isEmpty())
            rows.append(QJsonDocument::fromJson(line).object());
    }
    return rows;
}

// Found spans of `type` (redactions only) in code points.
QList<Expected> found(const Detector& detector, const QString& text, const QString& type) {
    const CodePoints cp(text);
    QList<Expected> list;
    for (const Span& span : detector.detect(text)) {
        if (span.type == type && !span.suggestion)
            list.append({cp.fromUtf16(span.start), cp.fromUtf16(span.end)});
    }
    return list;
}

void score(const QList<Expected>& expected, const QList<Expected>& predicted, Tally& tally) {
    QList<bool> used(predicted.size(), false);
    for (const Expected& e : expected) {
        bool hit = false;
        for (qsizetype i = 0; i < predicted.size(); ++i) {
            if (!used[i] && predicted[i].start < e.end && e.start < predicted[i].end) {
                used[i] = true;
                hit = true;
                break;
            }
        }
        hit ? ++tally.tp : ++tally.fn;
    }
    tally.fp += static_cast<int>(used.count(false));
}

QString table(const QMap<QString, Tally>& tallies, Tally& total) {
    QString out = QStringLiteral("| type | TP | FP | FN | precision | recall |\n|---|---|---|---|---|---|\n");
    for (auto it = tallies.begin(); it != tallies.end(); ++it) {
        total.tp += it->tp;
        total.fp += it->fp;
        total.fn += it->fn;
        out += QStringLiteral("| %1 | %2 | %3 | %4 | %5 | %6 |\n")
                   .arg(it.key())
                   .arg(it->tp)
                   .arg(it->fp)
                   .arg(it->fn)
                   .arg(it->precision(), 0, 'f', 3)
                   .arg(it->recall(), 0, 'f', 3);
    }
    out += QStringLiteral("| **all** | %1 | %2 | %3 | **%4** | **%5** |\n")
               .arg(total.tp)
               .arg(total.fp)
               .arg(total.fn)
               .arg(total.precision(), 0, 'f', 3)
               .arg(total.recall(), 0, 'f', 3);
    return out;
}

SanitizerSettings usSettings() {
    SanitizerSettings settings;
    settings.phoneRegions = {QStringLiteral("US")};
    return settings;
}

} // namespace

class TestCorpusScore : public QObject {
    Q_OBJECT

private slots:
    void corpusPrecisionAndRecall();
    void heldOutSentences();
    void llmGuardRoundTrip();
};

void TestCorpusScore::corpusPrecisionAndRecall() {
    const QList<QJsonObject> rows = readJsonl(QStringLiteral(PARALLAX_TEST_FIXTURES "/pii/cases.jsonl"));
    QVERIFY(rows.size() > 2000);
    const QStringList ours = EntityType::builtins();
    std::map<QString, std::unique_ptr<Detector>> detectors; // by phone region
    auto detectorFor = [&](const QString& region) -> const Detector& {
        auto& slot = detectors[region];
        if (!slot)
            slot = std::make_unique<Detector>(BuiltinRules::all(), region.split(QLatin1Char(',')));
        return *slot;
    };

    QMap<QString, Tally> tallies;
    QStringList misses;
    for (const QJsonObject& row : rows) {
        QString category = row.value(QStringLiteral("category")).toString();
        const bool positive = row.value(QStringLiteral("label")).toString() == QLatin1String("pos");
        const QJsonObject notes = row.value(QStringLiteral("notes")).toObject();
        QString type = category;
        if (category.startsWith(QLatin1String("SECRET:"))) {
            type = EntityType::Secret;
            if (positive && !kSupportedSecretRules.contains(category.mid(7)))
                continue;
        } else if (!ours.contains(category)) {
            continue;
        }
        if (notes.contains(QStringLiteral("leniency")) &&
            notes.value(QStringLiteral("leniency")).toInt() != 1)
            continue;
        if (notes.value(QStringLiteral("expectation")).toString() ==
            QLatin1String("found_only_at_leniency_POSSIBLE"))
            continue;
        const QJsonValue spansValue = row.value(QStringLiteral("spans"));
        if (positive && spansValue.isArray() && spansValue.toArray().isEmpty())
            continue;

        // Presidio's PhoneRecognizer scans its default regions; the matcher rows name their own.
        const QString region = notes.value(QStringLiteral("region")).toString(kPresidioRegions);
        const QString text = row.value(QStringLiteral("text")).toString();
        const QList<Expected> predicted = found(detectorFor(region), text, type);
        Tally& tally = tallies[type];
        const Tally before = tally;
        if (spansValue.isArray()) {
            QList<Expected> expected;
            for (const QJsonValue& s : spansValue.toArray())
                expected.append({s.toArray().at(0).toInteger(), s.toArray().at(1).toInteger()});
            score(expected, predicted, tally);
        } else if (positive) {
            predicted.isEmpty() ? ++tally.fn : ++tally.tp;
        } else {
            tally.fp += static_cast<int>(predicted.size());
        }
        if (tally.fp != before.fp || tally.fn != before.fn)
            misses << QStringLiteral("%1 %2 %3: %4")
                          .arg(row.value(QStringLiteral("id")).toString(), category,
                               tally.fp != before.fp ? QStringLiteral("FP") : QStringLiteral("FN"),
                               text.left(100).replace(QLatin1Char('\n'), QLatin1String("\\n")));
    }
    Tally total;
    const QString report = table(tallies, total);
    qInfo().noquote() << "\nCorpus (cases.jsonl):\n" << report;
    qInfo().noquote() << "Misses:\n" << misses.join(QLatin1Char('\n'));
    QVERIFY2(total.precision() >= 0.95, qPrintable(report));
    QVERIFY2(total.recall() >= 0.95, qPrintable(report));
}

void TestCorpusScore::heldOutSentences() {
    const QList<QJsonObject> rows =
        readJsonl(QStringLiteral(PARALLAX_TEST_FIXTURES "/pii/heldout_sentences.jsonl"));
    QVERIFY(rows.size() >= 40);
    const Sanitizer sanitizer(usSettings());
    QMap<QString, Tally> tallies;
    QStringList misses;
    int values = 0;
    int leaked = 0;
    qsizetype otherChars = 0;
    qsizetype otherChanged = 0;
    for (const QJsonObject& row : rows) {
        const QString text = row.value(QStringLiteral("text")).toString();
        const CodePoints cp(text);
        const SanitizedText result = sanitizer.sanitize(text);
        QMap<QString, QList<Expected>> expected;
        QList<Expected> allExpected;
        for (const QJsonValue& s : row.value(QStringLiteral("spans")).toArray()) {
            const QJsonArray a = s.toArray();
            expected[a.at(2).toString()].append({a.at(0).toInteger(), a.at(1).toInteger()});
            allExpected.append({a.at(0).toInteger(), a.at(1).toInteger()});
        }
        QMap<QString, QList<Expected>> predicted;
        QList<Expected> redacted;
        for (const Span& span : result.redactedSpans()) {
            predicted[span.type].append({cp.fromUtf16(span.start), cp.fromUtf16(span.end)});
            redacted.append({cp.fromUtf16(span.start), cp.fromUtf16(span.end)});
        }
        QSet<QString> types(expected.keyBegin(), expected.keyEnd());
        for (auto it = predicted.keyBegin(); it != predicted.keyEnd(); ++it)
            types.insert(*it);
        for (const QString& type : types) {
            Tally& tally = tallies[type];
            const Tally before = tally;
            score(expected.value(type), predicted.value(type), tally);
            if (tally.fp != before.fp || tally.fn != before.fn)
                misses << QStringLiteral("%1 %2 fp+%3 fn+%4")
                              .arg(row.value(QStringLiteral("id")).toString(), type)
                              .arg(tally.fp - before.fp)
                              .arg(tally.fn - before.fn);
        }
        // Leaks: an expected value that still appears verbatim in the outgoing text.
        const QList<uint> codePoints = text.toUcs4();
        for (const Expected& e : allExpected) {
            ++values;
            const QString value = QString::fromUcs4(
                reinterpret_cast<const char32_t*>(codePoints.constData()) + e.start, e.end - e.start);
            if (result.text.contains(value))
                ++leaked;
        }
        // Collateral: characters outside every expected span that were replaced.
        for (qsizetype i = 0; i < codePoints.size(); ++i) {
            auto inside = [i](const QList<Expected>& list) {
                return std::any_of(list.begin(), list.end(),
                                   [i](const Expected& e) { return i >= e.start && i < e.end; });
            };
            if (inside(allExpected))
                continue;
            ++otherChars;
            otherChanged += inside(redacted) ? 1 : 0;
        }
    }
    Tally total;
    const QString report = table(tallies, total);
    const double leakRate = values == 0 ? 0.0 : double(leaked) / values;
    const double changedRate = otherChars == 0 ? 0.0 : double(otherChanged) / otherChars;
    qInfo().noquote() << "\nHeld-out sentences:\n"
                      << report
                      << QStringLiteral("values leaked: %1/%2 (%3 %), other characters changed: %4/%5 (%6 %)")
                             .arg(leaked)
                             .arg(values)
                             .arg(100.0 * leakRate, 0, 'f', 2)
                             .arg(otherChanged)
                             .arg(otherChars)
                             .arg(100.0 * changedRate, 0, 'f', 2);
    qInfo().noquote() << "Misses:\n" << misses.join(QLatin1Char('\n'));
    QVERIFY2(total.precision() >= 0.95, qPrintable(report));
    QVERIFY2(total.recall() >= 0.95, qPrintable(report));
    QVERIFY(leakRate <= 0.02);
    QVERIFY(changedRate <= 0.005);
}

void TestCorpusScore::llmGuardRoundTrip() {
    QFile file(QStringLiteral(PARALLAX_TEST_FIXTURES "/pii/llm_guard_anonymize_secrets_cases.json"));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonArray rows = QJsonDocument::fromJson(file.readAll()).array();
    QVERIFY(rows.size() >= 20);
    const Sanitizer sanitizer(usSettings());
    // Values of our types that LLM Guard redacts in these prompts and that pass our validators.
    const QStringList mustHide = {QStringLiteral("test@test.com"),
                                  QStringLiteral("hello@test.com"),
                                  QStringLiteral("192.168.1.100"),
                                  QStringLiteral("4111111111111111"),
                                  QStringLiteral("john.doe@protectai[DOT]com"),
                                  QStringLiteral("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"),
                                  QStringLiteral("username:password@llm-guard.com")};
    int prompts = 0;
    for (const QJsonValue& value : rows) {
        const QJsonObject row = value.toObject();
        for (const QString& key : {QStringLiteral("prompt"), QStringLiteral("raw_prompt")}) {
            if (!row.contains(key))
                continue;
            ++prompts;
            const QString prompt = row.value(key).toString();
            const SanitizedText result = sanitizer.sanitize(prompt);
            QCOMPARE(Restorer::restore(result.text, result.vault), prompt);
            // Streamed in 3-character deltas, the restore is the same.
            Restorer restorer(result.vault);
            QString streamed;
            for (qsizetype i = 0; i < result.text.size(); i += 3)
                streamed += restorer.push(QStringView(result.text).mid(i, 3));
            streamed += restorer.finish();
            QCOMPARE(streamed, prompt);
            for (const QString& hidden : mustHide) {
                if (prompt.contains(hidden))
                    QVERIFY2(!result.text.contains(hidden), qPrintable(hidden));
            }
        }
    }
    QVERIFY(prompts >= 15);
}

QTEST_GUILESS_MAIN(TestCorpusScore)
#include "TestCorpusScore.moc"
