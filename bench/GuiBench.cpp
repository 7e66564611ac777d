// The window's responsiveness, start-up time and memory, measured on the real MainWindow.
//   parallax-gui-bench MOCK [COLUMNS] [TOKENS] [TPS] [REPETITIONS]     prints a Markdown table
// Run it through bench/gui.sh (offscreen). Everything runs in a throwaway data and settings folder.
//
// - Event-loop lag: COLUMNS answers of TOKENS tokens at TPS tokens/s each, every one from its own
//   parallax-mock process (Qt opens at most six connections per host:port). A 5 ms precise timer on the
//   GUI thread measures how late each tick fires while they stream; its gaps are the GUI's stalls.
// - Start-up: this program starts itself again (--startup-child) with the time of the fork in the
//   environment; the child builds the window as main.cpp does and reports when its first frame is done
//   (the first expose has been handled, which paints the window). CLOCK_MONOTONIC is system-wide.
// - Memory: the child's resident set size after the window has been shown and idle for 2 s; the parent's
//   after the streaming comparison has finished and the window idled for 2 s.

#include "app/AnswerColumn.h"
#include "app/KeyRing.h"
#include "app/MainWindow.h"
#include "app/ProfileChips.h"
#include "app/PromptEditor.h"
#include "secrets/SessionSecretStore.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>
#include <QWindow>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

using namespace parallax;

namespace {

constexpr int probeIntervalMs = 5;
const char* const startEnv = "PARALLAX_BENCH_START_NS";

qint64 monotonicNs() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

/// VmRSS of this process in KiB.
qint64 residentKiB() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    static const QRegularExpression rss(QStringLiteral("VmRSS:\\s+(\\d+) kB"));
    return rss.match(QString::fromLatin1(status.readAll())).captured(1).toLongLong();
}

double percentile(std::vector<double> values, double p) {
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = static_cast<size_t>(std::max(1.0, std::ceil(p / 100.0 * double(values.size()))));
    return values.at(std::min(rank, values.size()) - 1);
}

void waitMs(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

/// Calls `done` once the window's first expose event has been handled (and so its first frame painted).
class FirstFrameWatcher : public QObject {
public:
    FirstFrameWatcher(QWindow* window, std::function<void()> done)
        : m_done(std::move(done)) {
        window->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::Expose && static_cast<QWindow*>(watched)->isExposed() && m_done) {
            // Queued: runs after the expose handler has painted the frame.
            QMetaObject::invokeMethod(this, std::exchange(m_done, nullptr), Qt::QueuedConnection);
        }
        return false;
    }

private:
    std::function<void()> m_done;
};

/// Builds the window as main.cpp does, prints "<ms to first frame> <idle RSS KiB>" and exits.
int startupChild() {
    const qint64 start = qEnvironmentVariable(startEnv).toLongLong();
    MainWindow window;
    window.winId(); // creates the QWindow now, so its first expose can be watched
    FirstFrameWatcher watcher(window.windowHandle(), [&] {
        const double shownMs = double(monotonicNs() - start) / 1e6;
        QTimer::singleShot(2000, [shownMs] {
            std::printf("%.1f %lld\n", shownMs, static_cast<long long>(residentKiB()));
            std::fflush(stdout);
            QApplication::quit();
        });
    });
    window.show();
    return QApplication::exec();
}

struct MockProcess {
    std::unique_ptr<QProcess> process;
    QString baseUrl;
};

MockProcess startMock(const QString& program, int tokens, double tps) {
    MockProcess mock{std::make_unique<QProcess>(), {}};
    mock.process->setProgram(program);
    mock.process->setArguments({"--port", "0", "--quiet", "--ttft-ms", "100", "--tokens",
                                QString::number(tokens), "--tps", QString::number(tps)});
    mock.process->start();
    QByteArray output;
    static const QRegularExpression listening(QStringLiteral("listening on (http://127\\.0\\.0\\.1:\\d+)"));
    while (mock.baseUrl.isEmpty() && mock.process->waitForReadyRead(5000)) {
        output += mock.process->readAllStandardOutput();
        mock.baseUrl = listening.match(QString::fromUtf8(output)).captured(1);
    }
    return mock;
}

/// One profile per mock, cycling through the five protocols.
void writeProfiles(const QString& dataDir, const std::vector<MockProcess>& mocks) {
    QJsonArray profiles;
    for (size_t i = 0; i < mocks.size(); ++i) {
        const QString base = mocks[i].baseUrl;
        static const char* const kinds[] = {"openai", "anthropic", "gemini", "ollama", "openai-compatible"};
        const QString kind = QString::fromLatin1(kinds[i % 5]);
        const bool openAiPath = kind == QLatin1String("openai") || kind == QLatin1String("openai-compatible");
        profiles.append(QJsonObject{{"name", QStringLiteral("column %1 (%2)").arg(i + 1).arg(kind)},
                                    {"kind", kind},
                                    {"model", "bench-model"},
                                    {"base_url", openAiPath ? base + QStringLiteral("/v1") : base}});
    }
    QFile file(dataDir + QStringLiteral("/profiles.json"));
    file.open(QIODevice::WriteOnly);
    file.write(QJsonDocument(QJsonObject{{"profiles", profiles}}).toJson());
}

struct StartupResult {
    double shownMs = 0;
    double idleMiB = 0;
};

std::vector<StartupResult> measureStartup(int repetitions) {
    std::vector<StartupResult> results;
    for (int i = 0; i < repetitions; ++i) {
        QProcess child;
        child.setProgram(QCoreApplication::applicationFilePath());
        child.setArguments({QStringLiteral("--startup-child")});
        child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(startEnv), QString::number(monotonicNs()));
        child.setProcessEnvironment(env);
        child.start();
        if (!child.waitForFinished(60'000) || child.exitCode() != 0) {
            std::fprintf(stderr, "start-up child failed\n");
            continue;
        }
        const QStringList fields = QString::fromLatin1(child.readAllStandardOutput()).split(' ');
        results.push_back({fields.value(0).toDouble(), fields.value(1).toDouble() / 1024.0});
    }
    return results;
}

/// The longest event deliveries while a comparison streams: which object's which event held the GUI
/// thread, so a stall can be traced to its cause (a layout, a paint, a network read).
class TimedApplication : public QApplication {
public:
    using QApplication::QApplication;

    struct Delivery {
        double ms = 0;
        double atSeconds = 0;
        QString what;
    };
    bool recording = false;
    QElapsedTimer clock;
    std::vector<Delivery> longest; ///< deliveries of traceThresholdMs or more
    double traceThresholdMs = 15;

    bool notify(QObject* receiver, QEvent* event) override {
        if (!recording || m_depth > 0)
            return QApplication::notify(receiver, event);
        // Named before the delivery: a DeferredDelete event deletes its receiver.
        const char* className = receiver->metaObject()->className();
        QString name = receiver->objectName();
        if (name.isEmpty() && receiver->parent())
            name = QStringLiteral("child of ") + QLatin1String(receiver->parent()->metaObject()->className());
        const int type = int(event->type());
        ++m_depth;
        QElapsedTimer took;
        took.start();
        const bool result = QApplication::notify(receiver, event);
        --m_depth;
        const double ms = double(took.nsecsElapsed()) / 1e6;
        if (ms >= traceThresholdMs)
            longest.push_back(
                {ms, double(clock.elapsed()) / 1000.0,
                 QStringLiteral("%1 (%2) event %3").arg(QLatin1String(className), name).arg(type)});
        return result;
    }

private:
    int m_depth = 0;
};

TimedApplication* timedApp() {
    return static_cast<TimedApplication*>(QCoreApplication::instance());
}

struct LagResult {
    double maxMs = 0;
    double p95Ms = 0;
    double p99Ms = 0;
    double maxAtSeconds = 0; ///< when the longest stall ended, from the send
    int ticks = 0;
    double wallSeconds = 0;
    int doneColumns = 0;
    qsizetype shownChars = 0;
    double idleMiB = 0;
    std::vector<TimedApplication::Delivery> longestDeliveries;
};

LagResult measureLag(const QString& dataDir, int columns, int run) {
    auto window = std::make_unique<MainWindow>(std::make_unique<SessionSecretStore>());
    window->resize(1600, 1000);
    window->show();
    waitMs(500);
    for (const QString& name : window->chips()->checkedNames())
        window->chips()->setChecked(name, false);
    QJsonArray profiles = QJsonDocument::fromJson([&] {
                              QFile file(dataDir + QStringLiteral("/profiles.json"));
                              file.open(QIODevice::ReadOnly);
                              return file.readAll();
                          }())
                              .object()
                              .value(QLatin1String("profiles"))
                              .toArray();
    for (const QJsonValue& profile : profiles) {
        const QString name = profile.toObject().value(QLatin1String("name")).toString();
        window->keyRing()->setSessionKey(name, QStringLiteral("bench-key"));
        window->chips()->setChecked(name, true);
    }
    // A new prompt each run: the same one would be answered from the response cache.
    window->editor()->setPlainText(
        QStringLiteral("Write a long story about lighthouse keeper number %1.").arg(run));
    waitMs(500); // the preview of the prompt is computed off the GUI thread

    QElapsedTimer wall;
    wall.start();
    std::vector<double> gaps;
    std::vector<double> tickAtMs; // when each gap ended, from the send
    QElapsedTimer sinceTick;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(probeIntervalMs);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        gaps.push_back(double(sinceTick.nsecsElapsed()) / 1e6 - probeIntervalMs);
        tickAtMs.push_back(double(wall.nsecsElapsed()) / 1e6);
        sinceTick.restart();
    });
    QEventLoop loop;
    QObject::connect(window.get(), &MainWindow::comparisonFinished, &loop, &QEventLoop::quit);
    QTimer::singleShot(300'000, &loop, &QEventLoop::quit);
    sinceTick.start();
    probe.start();
    timedApp()->longest.clear();
    if (const int traceMs = qEnvironmentVariableIntValue("PARALLAX_BENCH_TRACE_MS"); traceMs > 0)
        timedApp()->traceThresholdMs = traceMs;
    timedApp()->clock.start();
    timedApp()->recording = true;
    window->send();
    loop.exec();
    timedApp()->recording = false;
    probe.stop();

    LagResult result;
    result.wallSeconds = double(wall.elapsed()) / 1000.0;
    result.ticks = int(gaps.size());
    for (double& gap : gaps)
        gap = std::max(gap, 0.0);
    const auto longest = std::max_element(gaps.begin(), gaps.end());
    result.maxMs = gaps.empty() ? 0 : *longest;
    result.maxAtSeconds = gaps.empty() ? 0 : tickAtMs.at(size_t(longest - gaps.begin())) / 1000.0;
    result.p95Ms = percentile(gaps, 95);
    result.p99Ms = percentile(gaps, 99);
    if (qEnvironmentVariableIntValue("PARALLAX_BENCH_TRACE_MS") > 0) {
        // Every traced delivery in the 250 ms before the longest stall ended, in order.
        for (const auto& delivery : timedApp()->longest) {
            if (delivery.atSeconds <= result.maxAtSeconds && delivery.atSeconds >= result.maxAtSeconds - 0.25)
                std::fprintf(stderr, "  %.3f s  %.1f ms  %s\n", delivery.atSeconds, delivery.ms,
                             qPrintable(delivery.what));
        }
    }
    result.longestDeliveries = timedApp()->longest;
    std::erase_if(result.longestDeliveries, [](const auto& delivery) { return delivery.ms < 15; });
    std::sort(result.longestDeliveries.begin(), result.longestDeliveries.end(),
              [](const auto& a, const auto& b) { return a.ms > b.ms; });
    if (result.longestDeliveries.size() > 5)
        result.longestDeliveries.resize(5);
    for (AnswerColumn* column : window->columns()) {
        if (column->answer() && column->answer()->succeeded())
            ++result.doneColumns;
        if (column->answer())
            result.shownChars += column->answer()->text.size();
    }
    if (result.doneColumns != columns)
        std::fprintf(stderr, "only %d of %d columns finished\n", result.doneColumns, columns);
    waitMs(2000);
    result.idleMiB = double(residentKiB()) / 1024.0;
    return result;
}

} // namespace

int main(int argc, char* argv[]) {
    const bool child = argc > 1 && qstrcmp(argv[1], "--startup-child") == 0;
    if (!child) {
        // Settings (window layout, checked profiles) and data go to throwaway folders, inherited by the
        // start-up children.
        static QTemporaryDir config;
        static QTemporaryDir data;
        qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
        qputenv("PARALLAX_DATA_DIR", data.path().toUtf8());
    }
    TimedApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("parallax"));
    QApplication::setOrganizationName(QStringLiteral("parallax"));
    if (child)
        return startupChild();

    const QStringList args = QApplication::arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: parallax-gui-bench MOCK [COLUMNS] [TOKENS] [TPS] [REPETITIONS]\n");
        return 2;
    }
    const QString mockProgram = args.at(1);
    const int columns = args.value(2, QStringLiteral("8")).toInt();
    const int tokens = args.value(3, QStringLiteral("2000")).toInt();
    const double tps = args.value(4, QStringLiteral("100")).toDouble();
    const int repetitions = args.value(5, QStringLiteral("5")).toInt();
    const QString dataDir = qEnvironmentVariable("PARALLAX_DATA_DIR");

    std::vector<MockProcess> mocks;
    for (int i = 0; i < columns; ++i) {
        mocks.push_back(startMock(mockProgram, tokens, tps));
        if (mocks.back().baseUrl.isEmpty()) {
            std::fprintf(stderr, "parallax-mock did not start: %s\n", qPrintable(mockProgram));
            return 1;
        }
    }
    writeProfiles(dataDir, mocks);

    const std::vector<StartupResult> startups = measureStartup(repetitions);
    std::vector<double> shown;
    std::vector<double> idle;
    for (const StartupResult& result : startups) {
        shown.push_back(result.shownMs);
        idle.push_back(result.idleMiB);
    }
    std::vector<LagResult> lags;
    const int lagRuns = qEnvironmentVariableIntValue("PARALLAX_BENCH_LAG_RUNS") > 0
                            ? qEnvironmentVariableIntValue("PARALLAX_BENCH_LAG_RUNS")
                            : std::max(1, std::min(repetitions, 3));
    for (int i = 0; i < lagRuns; ++i)
        lags.push_back(measureLag(dataDir, columns, i));
    for (MockProcess& mock : mocks) {
        mock.process->kill();
        mock.process->waitForFinished(2000);
    }

    std::printf("| measure | goal | result (median) | runs |\n|---|---|---|---|\n");
    std::printf("| start to first frame (window with %d profiles) | < 500 ms | %.0f ms (%.0f–%.0f) | %zu |\n",
                columns, percentile(shown, 50), percentile(shown, 0.1), percentile(shown, 100), shown.size());
    std::printf("| idle memory after start (RSS) | < 120 MB | %.1f MiB | %zu |\n", percentile(idle, 50),
                idle.size());
    std::vector<double> maxima;
    std::vector<double> p95s;
    std::vector<double> after;
    for (const LagResult& lag : lags) {
        maxima.push_back(lag.maxMs);
        p95s.push_back(lag.p95Ms);
        after.push_back(lag.idleMiB);
    }
    std::printf("| event-loop lag while %d × %d tokens stream at %.0f tok/s: longest stall | < 50 ms | "
                "%.1f ms | %zu |\n",
                columns, tokens, tps, percentile(maxima, 50), lags.size());
    std::printf("| … 95th percentile of the %d ms probe's lateness | < 16 ms | %.2f ms | %zu |\n",
                probeIntervalMs, percentile(p95s, 50), lags.size());
    std::printf("| idle memory after that comparison (RSS) | — | %.1f MiB | %zu |\n", percentile(after, 50),
                after.size());
    std::printf("\nPer lag run: ");
    for (const LagResult& lag : lags)
        std::printf("[max %.1f ms (at %.2f s), p95 %.2f ms, p99 %.2f ms, %d ticks, %.1f s, %d columns done, "
                    "%lld chars] ",
                    lag.maxMs, lag.maxAtSeconds, lag.p95Ms, lag.p99Ms, lag.ticks, lag.wallSeconds,
                    lag.doneColumns, static_cast<long long>(lag.shownChars));
    std::printf("\nLongest event deliveries per lag run (15 ms or more):");
    for (const LagResult& lag : lags) {
        std::printf("\n-");
        for (const auto& delivery : lag.longestDeliveries)
            std::printf(" [%.1f ms at %.2f s: %s]", delivery.ms, delivery.atSeconds,
                        qPrintable(delivery.what));
    }
    std::printf("\nStart-up runs (ms):");
    for (double value : shown)
        std::printf(" %.0f", value);
    std::printf("\n");
    return 0;
}
