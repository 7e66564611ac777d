#include "BatchCommand.h"

#include "batch/BatchCostEstimate.h"
#include "batch/BatchExporter.h"
#include "batch/BatchImporter.h"
#include "batch/BatchJobLock.h"
#include "batch/BatchRunner.h"
#include "batch/BatchSession.h"
#include "batch/BatchStore.h"
#include "cli/ProfileResolver.h"
#include "cli/RequestOptions.h"
#include "engine/Engine.h"
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

} // namespace

BatchCommand::BatchCommand(QObject* parent)
    : QObject(parent) {}

BatchCommand::~BatchCommand() {
    delete m_session; // before the engine and store it uses
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
    const QCommandLineOption maxBatchRequests{
        "batch-max-requests",
        "With --mode provider: at most N requests per provider batch (default: the provider's limit).", "N"};
    const QCommandLineOption maxBatchMegabytes{
        "batch-max-mb",
        "With --mode provider: at most this many megabytes of requests per provider batch (default: the "
        "provider's limit, 200 for OpenAI, 256 for Anthropic).",
        "MB"};
    const QCommandLineOption cancelOption{
        "cancel",
        "Cancel this batch (started with the same arguments): pending items end cancelled, provider "
        "batches are cancelled there, what they finished is collected and --output written."};
    parser.addOptions({input, output, concurrency, resume, retryFailed, budget, mode, pollSeconds,
                       maxBatchRequests, maxBatchMegabytes, cancelOption});
    if (!parser.parse(arguments))
        return usage(parser.errorText());
    if (parser.isSet(common.help)) {
        std::fputs("Usage: parallax-cli batch -p SPEC ... --input FILE.{jsonl,csv} --output FILE.jsonl "
                   "[--concurrency N] [--resume] [--retry-failed] [--budget USD] [--mode local|provider] "
                   "[--poll-seconds S] [--batch-max-requests N] [--batch-max-mb MB] [--cancel]\n",
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
    ProviderBatchLimits providerLimits;
    providerLimits.pollIntervalMs = pollIntervalMs;
    if (parser.isSet(maxBatchRequests)) {
        bool ok = false;
        providerLimits.maxRequestsPerBatch = parser.value(maxBatchRequests).toInt(&ok);
        if (!ok || providerLimits.maxRequestsPerBatch < 1)
            return usage(QStringLiteral("--batch-max-requests wants a whole number of at least 1, got '%1'")
                             .arg(parser.value(maxBatchRequests)));
    }
    if (parser.isSet(maxBatchMegabytes)) {
        bool ok = false;
        const double megabytes = parser.value(maxBatchMegabytes).toDouble(&ok);
        if (!ok || !std::isfinite(megabytes) || megabytes <= 0 || megabytes > 1'000'000)
            return usage(QStringLiteral("--batch-max-mb wants a number of megabytes above 0, got '%1'")
                             .arg(parser.value(maxBatchMegabytes)));
        providerLimits.maxBytesPerBatch = static_cast<qint64>(megabytes * 1000 * 1000);
    }
    if (!providerMode && (parser.isSet(maxBatchRequests) || parser.isSet(maxBatchMegabytes)))
        return usage(QStringLiteral("--batch-max-requests and --batch-max-mb apply to --mode provider only"));
    if (parser.isSet(cancelOption) && parser.isSet(retryFailed))
        return usage(QStringLiteral("--cancel and --retry-failed contradict each other; use one"));
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
    if (!parser.isSet(common.noSanitize)) {
        // Checked before the job exists: nothing is recorded or sent while a rule cannot be used.
        const QStringList problems =
            SanitizerConfig::problems(m_engine->settings().section(QStringLiteral("sanitize")));
        if (!problems.isEmpty())
            return usage(problems.join(QStringLiteral("; ")) + QStringLiteral(" (nothing was sent)"));
    }

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
    // Another process (a window, or this command run twice) working on the job would send its pending
    // items a second time: whoever holds the job's lock is the only one to touch it.
    const auto lock = [this](qint64 jobId) -> std::optional<CliError> {
        m_lock = std::make_unique<BatchJobLock>(m_engine->database().path(), jobId);
        if (m_lock->tryLock())
            return std::nullopt;
        return usage(QStringLiteral("this batch is being run by %1; let it end or stop it first")
                         .arg(m_lock->holder()));
    };
    if (existing && (parser.isSet(cancelOption) || parser.isSet(resume) ||
                     existing->state != QLatin1String("finished"))) {
        if (auto refusal = lock(existing->id))
            return refusal;
    }
    if (parser.isSet(cancelOption)) {
        if (!existing)
            return usage(QStringLiteral("nothing to cancel: no batch with this input, output, profiles, mode "
                                        "and parameters was started"));
        m_jobId = existing->id;
        // First, so nothing pending is sent or submitted by the session that collects the rest.
        if (!m_store->cancelPending(m_jobId, BatchSession::cancelledAnswers(chains), &error))
            return usage(error);
    } else if (parser.isSet(resume)) {
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
        const std::optional<qint64> created = m_store->createJob(
            jobKey, inputPath, m_outputPath, profileNames, imported->rows,
            BatchStore::RunSettings{providerMode, options.concurrency, options.budgetUsd}, &error);
        if (!created)
            return usage(error);
        m_jobId = *created;
        if (auto refusal = lock(m_jobId))
            return refusal;
    }

    // A batch budget refuses to start when the worst case of what is left could exceed it.
    if (options.budgetUsd) {
        const BatchCostEstimate estimate = BatchCostEstimate::of(
            m_store->items(m_jobId, BatchItem::State::Pending), profiles, m_engine->prices(), providerMode,
            options.parameters.maxTokens.value_or(4096));
        if (estimate.worstCaseUsd > *options.budgetUsd)
            return CliError{
                QStringLiteral("batch: refused: the batch could cost up to $%1, above its budget of $%2 "
                               "(lower --max-tokens, or raise --budget)")
                    .arg(estimate.worstCaseUsd, 0, 'f', 4)
                    .arg(*options.budgetUsd, 0, 'f', 2),
                ExitBudget};
        if (estimate.unknownPrice)
            printErr(QStringLiteral(
                "parallax-cli: batch: some models have no known price; the budget covers only the others\n"));
    }

    const QJsonObject sanitizeSection = m_engine->settings().section(QStringLiteral("sanitize"));
    if (!parser.isSet(common.noSanitize)) {
        options.sanitizer = std::make_shared<const Sanitizer>(SanitizerConfig::fromJson(sanitizeSection));
        // A profile's fallbacks get the request it gets: raw only when all of them may.
        for (const ProviderProfile& profile : std::as_const(profiles))
            options.profileSanitized.append(SanitizerConfig::sanitizesChain(
                QList<ProviderProfile>{profile} + fallbacks.value(profile.name), sanitizeSection));
    }

    m_interactive = ::isatty(STDERR_FILENO);
    m_session = new BatchSession(*m_engine, *m_store, m_jobId, chains, options,
                                 providerMode ? std::optional(providerLimits) : std::nullopt);
    connect(m_session, &BatchSession::statusReport, this,
            [](const QString& line) { printErr(QStringLiteral("batch: %1\n").arg(line)); });
    connect(m_session, &BatchSession::progress, this, [this] { reportProgress(false); });
    connect(m_session, &BatchSession::done, this, &BatchCommand::finish);
    m_session->start();
    m_progress.start(m_session->finished());
    if (parser.isSet(cancelOption))
        m_session->cancel(); // after start(): it resumes the remote batches it then cancels
    return std::nullopt;
}

void BatchCommand::cancel() {
    if (m_session)
        m_session->stop();
}

void BatchCommand::reportProgress(bool force) {
    const qint64 elapsed = m_progress.elapsedMs();
    if (!force && !m_interactive && m_lastReportMs >= 0 && elapsed - m_lastReportMs < 2000)
        return;
    m_lastReportMs = elapsed;
    const int finished = m_session->finished();
    const int total = m_session->total();
    m_progress.update(finished, total, m_session->failed(), m_session->spentUsd());
    const QString line = m_progress.summary();
    if (m_interactive) {
        const int width = 24;
        const int filled = width * finished / qMax(1, total);
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
    QString writeError;
    const std::optional<BatchExporter::Summary> written =
        BatchExporter::write(items, {}, BatchExporter::Format::Jsonl, m_outputPath, &writeError);
    if (!written) {
        printErr(QStringLiteral("parallax-cli: batch: %1 (the results stay in the database; run again with "
                                "--resume to write them)\n")
                     .arg(writeError));
        emit done(ExitUsage);
        return;
    }
    const int pending = written->unfinished;
    const int failed = written->failed;
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
    if (m_session->budgetExhausted())
        emit done(ExitBudget);
    else
        emit done(failed > 0 || pending > 0 ? ExitRequestFailed : ExitSuccess);
}

} // namespace parallax::cli
