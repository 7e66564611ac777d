#include "BatchCommand.h"

#include "batch/BatchImporter.h"
#include "batch/BatchRunner.h"
#include "batch/BatchStore.h"
#include "cli/ProfileResolver.h"
#include "cli/ProviderBatchSession.h"
#include "cli/RequestOptions.h"
#include "engine/Engine.h"
#include "engine/PriceTable.h"
#include "engine/SanitizerConfig.h"
#include "sanitize/Sanitizer.h"
#include "store/DataDirectory.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSaveFile>

#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace parallax::cli {

namespace {

CliError usage(const QString& message) {
    return CliError{QStringLiteral("batch: ") + message, ExitUsage};
}

void printErr(const QString& text) {
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stderr);
    std::fflush(stderr);
}

QString duration(qint64 seconds) {
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

} // namespace

BatchCommand::BatchCommand(QObject* parent)
    : QObject(parent) {}

BatchCommand::~BatchCommand() {
    delete m_runner; // before the engine and store it uses
    delete findChild<ProviderBatchSession*>();
}

std::optional<CliError> BatchCommand::start(const QStringList& arguments) {
    QCommandLineParser parser;
    RequestOptions common;
    common.addTo(parser);
    const QCommandLineOption input{"input", "Prompts: a .jsonl or .csv file.", "FILE"};
    const QCommandLineOption output{"output", "Results, one JSON line per row and profile.", "FILE"};
    const QCommandLineOption concurrency{"concurrency", "Requests in flight at once (default 4).", "N"};
    const QCommandLineOption resume{"resume",
                                    "Continue this batch after a stop; finished items are not sent again."};
    const QCommandLineOption retryFailed{"retry-failed", "With --resume: send failed items again."};
    const QCommandLineOption budget{
        "budget", "Refuse to start above this estimated cost; stop once it is spent.", "USD"};
    const QCommandLineOption mode{"mode", "local (default) or provider (the providers' Batch APIs).", "MODE"};
    const QCommandLineOption pollSeconds{
        "poll-seconds", "With --mode provider: seconds between status checks (default 30).", "S"};
    parser.addOptions({input, output, concurrency, resume, retryFailed, budget, mode, pollSeconds});
    if (!parser.parse(arguments))
        return usage(parser.errorText());
    if (parser.isSet(common.help)) {
        std::fputs("Usage: parallax-cli batch -p SPEC ... --input FILE.{jsonl,csv} --output FILE.jsonl "
                   "[--concurrency N] [--resume] [--retry-failed] [--budget USD] [--mode local|provider] "
                   "[--poll-seconds S]\n",
                   stdout);
        std::fputs(qPrintable(parser.helpText().section(QLatin1Char('\n'), 1)), stdout);
        return CliError{QString(), ExitSuccess};
    }
    const bool providerMode = parser.value(mode) == QLatin1String("provider");
    if (parser.isSet(mode) && parser.value(mode) != QLatin1String("local") && !providerMode)
        return usage(QStringLiteral("--mode is local or provider, got '%1'").arg(parser.value(mode)));
    int pollIntervalMs = 30'000;
    if (parser.isSet(pollSeconds)) {
        bool ok = false;
        const double seconds = parser.value(pollSeconds).toDouble(&ok);
        if (!ok || !std::isfinite(seconds) || seconds < 0.01 || seconds > 86'400)
            return usage(
                QStringLiteral("--poll-seconds wants a number of seconds from 0.01 to 86400, got '%1'")
                    .arg(parser.value(pollSeconds)));
        pollIntervalMs = static_cast<int>(seconds * 1000);
    }
    if (!parser.isSet(input) || !parser.isSet(output))
        return usage(QStringLiteral("--input FILE and --output FILE are both needed"));
    const QStringList specs = parser.values(common.profile);
    if (specs.isEmpty())
        return usage(QStringLiteral("name at least one profile with -p KIND:MODEL[@BASE_URL]"));
    if (!parser.positionalArguments().isEmpty())
        return usage(QStringLiteral("prompts come from --input, not the command line"));

    BatchRunner::Options options;
    if (auto error = common.apply(parser, options.parameters, options.call))
        return *error;
    options.useCache = !parser.isSet(common.noCache);
    if (parser.isSet(concurrency)) {
        bool ok = false;
        options.concurrency = parser.value(concurrency).toInt(&ok);
        if (!ok || options.concurrency < 1 || options.concurrency > 256)
            return usage(QStringLiteral("--concurrency wants a whole number from 1 to 256, got '%1'")
                             .arg(parser.value(concurrency)));
    }
    if (parser.isSet(budget)) {
        bool ok = false;
        const double value = parser.value(budget).toDouble(&ok);
        if (!ok || !std::isfinite(value) || value <= 0)
            return usage(QStringLiteral("--budget wants an amount in USD above 0, got '%1'")
                             .arg(parser.value(budget)));
        options.budgetUsd = value;
    }

    ProfileResolver resolver;
    QList<ProviderProfile> profiles;
    QHash<QString, QList<ProviderProfile>> fallbacks;
    if (auto error = resolver.resolveAll(specs, parser.values(common.fallback), profiles, fallbacks))
        return CliError{QStringLiteral("batch: ") + error->message, error->exitCode};
    QList<QList<CompareTarget>> chains;
    QStringList profileNames;
    for (const ProviderProfile& profile : std::as_const(profiles)) {
        auto chain = ProfileResolver::chain(profile, fallbacks.value(profile.name));
        if (auto* error = std::get_if<CliError>(&chain))
            return CliError{QStringLiteral("batch: ") + error->message, error->exitCode};
        chains.append(std::get<QList<CompareTarget>>(chain));
        profileNames.append(profile.name);
    }

    const QString inputPath = QFileInfo(parser.value(input)).absoluteFilePath();
    m_outputPath = QFileInfo(parser.value(output)).absoluteFilePath();
    QString error;
    const std::optional<BatchImporter::Result> imported = BatchImporter::importFile(inputPath, &error);
    if (!imported)
        return usage(error);
    for (const ImportProblem& problem : imported->problems)
        printErr(QStringLiteral("parallax-cli: batch: %1:%2: %3; row skipped\n")
                     .arg(inputPath)
                     .arg(problem.line)
                     .arg(problem.reason));
    if (imported->rows.isEmpty())
        return usage(QStringLiteral("%1 has no usable rows").arg(inputPath));

    m_network = new QNetworkAccessManager(this);
    m_engine = Engine::open(m_network, DataDirectory::path(), &error);
    if (!m_engine)
        return usage(error);
    m_store = std::make_unique<BatchStore>(m_engine->database());

    // The same input, output, profiles and parameters make the same job; --resume finds it again.
    QCryptographicHash key(QCryptographicHash::Sha256);
    QFile inputFile(inputPath);
    if (inputFile.open(QIODevice::ReadOnly))
        key.addData(&inputFile);
    key.addData(inputPath.toUtf8());
    key.addData(m_outputPath.toUtf8());
    key.addData(profileNames.join(QLatin1Char('\n')).toUtf8());
    key.addData(QJsonDocument(QJsonObject{{"system", options.parameters.system},
                                          {"max_tokens", options.parameters.maxTokens.value_or(-1)},
                                          {"temperature", options.parameters.temperature.value_or(-1)}})
                    .toJson(QJsonDocument::Compact));
    // A provider batch is another job than the same rows run locally: its items live at the provider.
    if (providerMode)
        key.addData(QByteArrayView("\nmode=provider"));
    const QString jobKey = QString::fromLatin1(key.result().toHex());
    const std::optional<BatchStore::Job> existing = m_store->findJob(jobKey);
    if (parser.isSet(resume)) {
        if (!existing)
            return usage(
                QStringLiteral("nothing to resume: no batch with this input, output, profiles and parameters "
                               "was started (run it without --resume)"));
        m_jobId = existing->id;
        if (parser.isSet(retryFailed))
            m_store->requeueFailed(m_jobId);
    } else {
        if (existing && existing->state != QLatin1String("finished"))
            return usage(QStringLiteral(
                "this batch was started before and did not finish: add --resume to continue it "
                "without sending finished items again"));
        if (existing && !m_store->deleteJob(existing->id, &error))
            return usage(error);
        const std::optional<qint64> created =
            m_store->createJob(jobKey, inputPath, m_outputPath, profileNames, imported->rows, &error);
        if (!created)
            return usage(error);
        m_jobId = *created;
    }

    // A batch budget refuses to start when the worst case of what is left could exceed it.
    if (options.budgetUsd) {
        double worstCase = 0;
        bool unknownPrice = false;
        for (const BatchItem& item : m_store->items(m_jobId, BatchItem::State::Pending)) {
            std::optional<ModelPrice> price = m_engine->prices().find(profiles.at(item.profileIndex));
            if (!price) {
                unknownPrice = true;
                continue;
            }
            if (providerMode && ProviderBatchRunner::supports(profiles.at(item.profileIndex).kind) &&
                price->batchInputPerMillion && price->batchOutputPerMillion) {
                price->inputPerMillion = *price->batchInputPerMillion;
                price->outputPerMillion = *price->batchOutputPerMillion;
            }
            const qint64 promptTokens =
                (item.prompt.toUtf8().size() + item.systemPrompt.toUtf8().size()) / 2 + 16;
            worstCase +=
                PriceTable::upperBound(*price, promptTokens, options.parameters.maxTokens.value_or(4096));
        }
        if (worstCase > *options.budgetUsd)
            return CliError{
                QStringLiteral("batch: refused: the batch could cost up to $%1, above its budget of $%2 "
                               "(lower --max-tokens, or raise --budget)")
                    .arg(worstCase, 0, 'f', 4)
                    .arg(*options.budgetUsd, 0, 'f', 2),
                ExitBudget};
        if (unknownPrice)
            printErr(QStringLiteral(
                "parallax-cli: batch: some models have no known price; the budget covers only the others\n"));
    }

    const QJsonObject sanitizeSection = m_engine->settings().section(QStringLiteral("sanitize"));
    if (!parser.isSet(common.noSanitize)) {
        options.sanitizer = std::make_shared<const Sanitizer>(SanitizerConfig::fromJson(sanitizeSection));
        for (const ProviderProfile& profile : std::as_const(profiles))
            options.profileSanitized.append(SanitizerConfig::sanitizes(profile, sanitizeSection));
    }

    m_interactive = ::isatty(STDERR_FILENO);
    if (providerMode) {
        // A child, not a member: the session lives in its own files (ProviderBatchSession).
        auto* session =
            new ProviderBatchSession(*m_engine, *m_store, m_jobId, chains, options, pollIntervalMs, this);
        connect(session, &ProviderBatchSession::progress, this, [this] { reportProgress(false); });
        connect(session, &ProviderBatchSession::done, this, &BatchCommand::finish);
        m_clock.start();
        session->start();
        m_finishedAtStart = session->finished();
        return std::nullopt;
    }
    m_runner = new BatchRunner(*m_engine, *m_store, m_jobId, chains, options);
    connect(m_runner, &BatchRunner::progress, this, [this] { reportProgress(false); });
    connect(m_runner, &BatchRunner::done, this, &BatchCommand::finish);
    m_clock.start();
    m_runner->start();
    m_finishedAtStart = m_runner->finished();
    return std::nullopt;
}

void BatchCommand::cancel() {
    if (m_runner)
        m_runner->cancel();
    if (auto* session = findChild<ProviderBatchSession*>())
        session->stop();
}

void BatchCommand::reportProgress(bool force) {
    const qint64 elapsed = m_clock.elapsed();
    if (!force && !m_interactive && m_lastReportMs >= 0 && elapsed - m_lastReportMs < 2000)
        return;
    m_lastReportMs = elapsed;
    const ProviderBatchSession* session = findChild<ProviderBatchSession*>();
    const int finished = session ? session->finished() : m_runner->finished();
    const int total = qMax(1, session ? session->total() : m_runner->total());
    const int doneHere = finished - m_finishedAtStart;
    const double perMinute = elapsed > 0 ? doneHere * 60000.0 / static_cast<double>(elapsed) : 0;
    const QString eta = perMinute > 0 ? duration(static_cast<qint64>((total - finished) * 60.0 / perMinute))
                                      : QStringLiteral("?");
    QString line = QStringLiteral("%1/%2 items · %3 failed · %4 items/min · ETA %5 · $%6 spent")
                       .arg(finished)
                       .arg(total)
                       .arg(session ? session->failed() : m_runner->failed())
                       .arg(perMinute, 0, 'f', 1)
                       .arg(eta)
                       .arg(session ? session->spentUsd() : m_runner->spentUsd(), 0, 'f', 6);
    if (m_interactive) {
        const int width = 24;
        const int filled = width * finished / total;
        printErr(
            QStringLiteral("\r[%1%2] %3")
                .arg(QString(filled, QLatin1Char('#')), QString(width - filled, QLatin1Char('.')), line));
    } else {
        printErr(QStringLiteral("batch: %1\n").arg(line));
    }
}

void BatchCommand::finish() {
    reportProgress(true);
    if (m_interactive)
        printErr(QStringLiteral("\n"));
    const QList<BatchItem> items = m_store->items(m_jobId);
    int pending = 0;
    int failed = 0;
    QSaveFile file(m_outputPath);
    if (!file.open(QIODevice::WriteOnly)) {
        printErr(QStringLiteral(
                     "parallax-cli: batch: cannot write %1: %2 (the results stay in the database; run again "
                     "with --resume to write them)\n")
                     .arg(m_outputPath, file.errorString()));
        emit done(ExitUsage);
        return;
    }
    for (const BatchItem& item : items) {
        if (item.state == BatchItem::State::Pending || item.state == BatchItem::State::Running ||
            item.answerJson.isEmpty()) {
            ++pending;
            continue;
        }
        if (item.state == BatchItem::State::Failed)
            ++failed;
        QJsonObject line{{"id", item.itemId}};
        const QJsonObject answer = QJsonDocument::fromJson(item.answerJson.toUtf8()).object();
        for (auto it = answer.begin(); it != answer.end(); ++it)
            line.insert(it.key(), it.value());
        file.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    }
    if (!file.commit()) {
        printErr(QStringLiteral("parallax-cli: batch: cannot write %1: %2\n")
                     .arg(m_outputPath, file.errorString()));
        emit done(ExitUsage);
        return;
    }
    QString error;
    if (pending == 0)
        m_store->setJobState(m_jobId, QStringLiteral("finished"), &error);
    printErr(QStringLiteral("batch: wrote %1 results to %2 (%3 failed%4)\n")
                 .arg(items.size() - pending)
                 .arg(m_outputPath)
                 .arg(failed)
                 .arg(pending > 0
                          ? QStringLiteral(", %1 not finished yet: run again with --resume").arg(pending)
                          : QString()));
    const ProviderBatchSession* session = findChild<ProviderBatchSession*>();
    if (session ? session->budgetExhausted() : m_runner->budgetExhausted())
        emit done(ExitBudget);
    else
        emit done(failed > 0 || pending > 0 ? ExitRequestFailed : ExitSuccess);
}

} // namespace parallax::cli
