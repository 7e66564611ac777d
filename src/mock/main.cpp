// parallax-mock: the local mock provider. Option parsing only; the server is MockServer.
#include <cstdio>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QHostAddress>
#include <QLoggingCategory>

#include "mock/Fault.h"
#include "mock/MockServer.h"
#include "mock/ShutdownSignals.h"

using namespace parallax::mock;

namespace {
[[noreturn]] void usageError(const QString& message) {
    std::fprintf(stderr, "parallax-mock: %s\n", qPrintable(message));
    std::exit(2);
}

int intOption(const QCommandLineParser& parser, const QString& name, int minimum, int maximum, int fallback) {
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < minimum || value > maximum)
        usageError(QStringLiteral("--%1 must be a whole number from %2 to %3, not '%4'")
                       .arg(name)
                       .arg(minimum)
                       .arg(maximum)
                       .arg(parser.value(name)));
    return value;
}

double doubleOption(const QCommandLineParser& parser, const QString& name, double minimum, double maximum,
                    double fallback) {
    if (!parser.isSet(name))
        return fallback;
    bool ok = false;
    const double value = parser.value(name).toDouble(&ok);
    if (!ok || value < minimum || value > maximum)
        usageError(QStringLiteral("--%1 must be a number from %2 to %3, not '%4'")
                       .arg(name)
                       .arg(minimum)
                       .arg(maximum)
                       .arg(parser.value(name)));
    return value;
}
} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("parallax-mock"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Local mock of the OpenAI, Anthropic, Gemini and Ollama streaming APIs, for tests, "
                       "benchmarks and demos.\n"
                       "Per request: headers X-Mock-Fault/-Tokens/-Ttft-Ms/-Tps/-Retry-After, or "
                       "[[mock:fault=429 tokens=10]] "
                       "in the prompt.\nFaults: 429 500 503 529 401 400 midstream drop stall malformed."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("port"), QStringLiteral("Port to listen on (0 = any free port)."),
         QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("host"), QStringLiteral("Loopback address to listen on."), QStringLiteral("ADDR"),
         QStringLiteral("127.0.0.1")},
        {QStringLiteral("ttft-ms"), QStringLiteral("Delay before the first token."), QStringLiteral("MS")},
        {QStringLiteral("tps"), QStringLiteral("Tokens per second (0 = as fast as possible)."),
         QStringLiteral("R")},
        {QStringLiteral("tokens"), QStringLiteral("Answer length in tokens."), QStringLiteral("N")},
        {QStringLiteral("api-key-env"),
         QStringLiteral("Require the API key held in this environment variable."), QStringLiteral("VAR")},
        {QStringLiteral("fault"), QStringLiteral("Fault to inject into requests."), QStringLiteral("NAME")},
        {QStringLiteral("fault-rate"), QStringLiteral("Share of requests that get --fault (0..1; 0 = all)."),
         QStringLiteral("R")},
        {QStringLiteral("seed"), QStringLiteral("Seed of the fault and replay randomness."),
         QStringLiteral("N")},
        {QStringLiteral("retry-after"), QStringLiteral("Seconds sent in retry-after with injected 429s."),
         QStringLiteral("S")},
        {QStringLiteral("rpm"), QStringLiteral("Requests per minute before answering 429 (0 = no limit)."),
         QStringLiteral("N")},
        {QStringLiteral("tpm"), QStringLiteral("Tokens per minute before answering 429 (0 = no limit)."),
         QStringLiteral("N")},
        {QStringLiteral("replay"), QStringLiteral("Answer every generation request with this file's bytes."),
         QStringLiteral("FILE")},
        {QStringLiteral("batch-step-ms"),
         QStringLiteral("Batch APIs: one status step per this many ms (0 = one step per poll)."),
         QStringLiteral("MS")},
        {QStringLiteral("batch-expire-after"),
         QStringLiteral("Batch APIs: batches expire after answering their first N requests."),
         QStringLiteral("N")},
        {QStringLiteral("quiet"), QStringLiteral("Log nothing but warnings.")},
    });
    if (!parser.parse(QCoreApplication::arguments()))
        usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty())
        usageError(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));

    MockConfig config;
    const int port = intOption(parser, QStringLiteral("port"), 0, 65535, 0);
    config.ttftMs = intOption(parser, QStringLiteral("ttft-ms"), 0, 3'600'000, config.ttftMs);
    config.tokensPerSecond = doubleOption(parser, QStringLiteral("tps"), 0, 1e9, config.tokensPerSecond);
    config.answerTokens = intOption(parser, QStringLiteral("tokens"), 0, 1'000'000, config.answerTokens);
    config.faultRate = doubleOption(parser, QStringLiteral("fault-rate"), 0, 1, config.faultRate);
    config.seed = static_cast<quint32>(intOption(parser, QStringLiteral("seed"), 0, 2'147'483'647, 1));
    config.retryAfterSeconds =
        intOption(parser, QStringLiteral("retry-after"), 0, 86'400, config.retryAfterSeconds);
    config.requestsPerMinute = intOption(parser, QStringLiteral("rpm"), 0, 100'000'000, 0);
    config.tokensPerMinute = intOption(parser, QStringLiteral("tpm"), 0, 2'000'000'000, 0);
    config.batchStepMs = intOption(parser, QStringLiteral("batch-step-ms"), 0, 86'400'000, 0);
    config.batchExpireAfter = intOption(parser, QStringLiteral("batch-expire-after"), 0, 100'000'000, -1);
    if (parser.isSet(QStringLiteral("fault"))) {
        config.fault = parser.value(QStringLiteral("fault"));
        if (!parseFault(config.fault))
            usageError(
                QStringLiteral("unknown fault '%1' (use 429, 500, 503, 529, 401, 400, midstream, drop, "
                               "stall or malformed)")
                    .arg(config.fault));
    }
    if (parser.isSet(QStringLiteral("api-key-env"))) {
        // Keys never travel on the command line, where every user can read them in ps.
        const QString variable = parser.value(QStringLiteral("api-key-env"));
        config.requiredApiKey = qEnvironmentVariable(qPrintable(variable));
        if (variable.isEmpty() || config.requiredApiKey.isEmpty())
            usageError(
                QStringLiteral("--api-key-env: environment variable '%1' is not set or empty").arg(variable));
    }
    if (parser.isSet(QStringLiteral("replay"))) {
        const QFileInfo replay(parser.value(QStringLiteral("replay")));
        if (!replay.isFile() || !replay.isReadable())
            usageError(QStringLiteral("--replay: cannot read '%1'").arg(replay.filePath()));
        config.replayFile = replay.absoluteFilePath();
    }
    const QString hostText = parser.value(QStringLiteral("host"));
    QHostAddress host;
    if (hostText == QLatin1String("localhost"))
        host = QHostAddress(QHostAddress::LocalHost);
    else if (!host.setAddress(hostText))
        usageError(QStringLiteral("--host: '%1' is not an IP address").arg(hostText));
    if (!host.isLoopback())
        usageError(
            QStringLiteral("--host: refusing to listen on '%1': the mock only serves loopback addresses "
                           "(127.0.0.1 or ::1)")
                .arg(hostText));
    if (parser.isSet(QStringLiteral("quiet")))
        QLoggingCategory::setFilterRules(
            QStringLiteral("parallax.mock.debug=false\nparallax.mock.info=false"));
    else
        QLoggingCategory::setFilterRules(QStringLiteral("parallax.mock.info=true"));

    ShutdownSignals signals_;
    QObject::connect(&signals_, &ShutdownSignals::shutdownRequested, &app, [] { QCoreApplication::exit(0); });

    MockServer server(config);
    if (!server.listen(host, static_cast<quint16>(port))) {
        std::fprintf(stderr, "parallax-mock: cannot listen on %s port %d: %s\n", qPrintable(hostText), port,
                     qPrintable(server.errorString()));
        return 1;
    }
    std::printf("parallax-mock listening on %s\n", qPrintable(server.baseUrl()));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
