// The README's screenshots, from the real window: demo mode against parallax-mock in a throwaway data
// and settings folder, a three-column comparison, then the cost window.
//   parallax-screenshots MOCK OUTPUT_DIR     (scripts/screenshots.sh runs it offscreen)
// Writes OUTPUT_DIR/comparison.png and OUTPUT_DIR/cost.png. The demo models get prices in settings.json
// (the Gemini simulator deliberately none, so "cost unknown" shows); the 29 days before today are sample
// spend and history written into the ledger beforehand, so the cost chart has something to show.

#include "app/CostWindow.h"
#include "app/DemoProviders.h"
#include "app/MainWindow.h"
#include "secrets/SessionSecretStore.h"
#include "store/Database.h"
#include "store/HistoryStore.h"
#include "store/SpendLedger.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>

using namespace parallax;

namespace {

/// Runs the event loop until `signal` of `sender` fires or `timeoutMs` pass; false on timeout.
template <typename Sender, typename Signal>
bool waitFor(Sender* sender, Signal signal, int timeoutMs) {
    QEventLoop loop;
    bool fired = false;
    QObject::connect(sender, signal, &loop, [&] {
        fired = true;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return fired;
}

void settle(int ms) {
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

bool writeSettings(const QString& dataDir) {
    const QJsonObject settings{
        {"budget", QJsonObject{{"daily_usd", 5}}},
        {"prices", QJsonObject{{"gpt-mock", QJsonObject{{"input", 0.15}, {"output", 0.6}}},
                               {"claude-mock", QJsonObject{{"input", 3.0}, {"output", 15.0}}}}},
    };
    QFile file(dataDir + QStringLiteral("/settings.json"));
    return file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(settings).toJson()) > 0;
}

/// Sample spend and history for the 29 days before today: deterministic, a few comparisons a day.
bool writeSampleHistory(const QString& dataDir, QString* error) {
    std::unique_ptr<Database> database = Database::open(dataDir + QStringLiteral("/parallax.db"), error);
    if (!database)
        return false;
    SpendLedger ledger(*database);
    HistoryStore history(*database);
    const QStringList profiles{QStringLiteral("OpenAI simulator"), QStringLiteral("Anthropic simulator"),
                               QStringLiteral("Gemini simulator")};
    const double pricePerRun[] = {0.0009, 0.021, 0};
    const qint64 baseLatencyMs[] = {1400, 2300, 1800};
    quint32 state = 7;
    const auto next = [&state] { return (state = state * 1664525u + 1013904223u) >> 8; };
    for (int daysAgo = 29; daysAgo >= 1; --daysAgo) {
        const QDate day = QDate::currentDate().addDays(-daysAgo);
        const int runs = day.dayOfWeek() >= 6 ? int(next() % 2) : 2 + int(next() % 5);
        for (int run = 0; run < runs; ++run) {
            RunRecord record;
            record.requestId = QStringLiteral("sample-%1-%2").arg(daysAgo).arg(run);
            record.createdAt = QDateTime(day, QTime(9 + run, int(next() % 60))).toUTC();
            record.command = QStringLiteral("compare");
            record.prompt = QStringLiteral("Sample prompt %1").arg(run);
            for (int i = 0; i < profiles.size(); ++i) {
                Answer answer;
                answer.profile = profiles.at(i);
                answer.model = QStringLiteral("sample");
                answer.text = QStringLiteral("Sample answer.");
                answer.ttftMs = baseLatencyMs[i] / 5 + qint64(next() % 300);
                answer.latencyMs = baseLatencyMs[i] + qint64(next() % 1500);
                if (pricePerRun[i] > 0) {
                    answer.costUsd = pricePerRun[i] * (0.5 + double(next() % 100) / 100.0);
                    if (!ledger.record(record.requestId, answer.profile, answer.model, *answer.costUsd,
                                       record.createdAt, error))
                        return false;
                }
                record.answers.append(answer);
            }
            if (!history.save(record, error))
                return false;
        }
    }
    return true;
}

} // namespace

int main(int argc, char* argv[]) {
    static QTemporaryDir config;
    static QTemporaryDir data;
    qputenv("XDG_CONFIG_HOME", config.path().toUtf8());
    qputenv("PARALLAX_DATA_DIR", data.path().toUtf8());
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("parallax"));
    QApplication::setOrganizationName(QStringLiteral("parallax"));
    const QStringList args = QApplication::arguments();
    if (args.size() != 3) {
        std::fprintf(stderr, "usage: parallax-screenshots MOCK OUTPUT_DIR\n");
        return 2;
    }
    const QString outputDir = args.at(2);
    QString error;
    if (!writeSettings(data.path()) || !writeSampleHistory(data.path(), &error)) {
        std::fprintf(stderr, "cannot prepare the data folder: %s\n", qPrintable(error));
        return 1;
    }

    MainWindow window(std::make_unique<SessionSecretStore>());
    window.demoProviders()->setMockProgram(args.at(1));
    window.demoProviders()->setOllamaUrl(QUrl(QStringLiteral("http://127.0.0.1:9"))); // nobody there
    window.resize(1280, 800);
    window.show();
    window.startDemo();
    if (!waitFor(window.demoProviders(), &DemoProviders::started, 15'000)) {
        std::fprintf(stderr, "the demo providers did not start\n");
        return 1;
    }
    settle(300); // the preview of the demo prompt is computed off the GUI thread
    window.send();
    if (!waitFor(&window, &MainWindow::comparisonFinished, 60'000)) {
        std::fprintf(stderr, "the comparison did not finish\n");
        return 1;
    }
    window.findChild<QDockWidget*>(QStringLiteral("previewDock"))->show();
    settle(300); // let the layout settle after the dock appears
    const QString comparison = outputDir + QStringLiteral("/comparison.png");
    if (!window.grab().save(comparison)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(comparison));
        return 1;
    }

    window.findChild<QAction*>(QStringLiteral("costAction"))->trigger();
    auto* costWindow = window.findChild<CostWindow*>();
    if (!costWindow || (!waitFor(costWindow, &CostWindow::reportShown, 15'000))) {
        std::fprintf(stderr, "the cost window did not show its report\n");
        return 1;
    }
    costWindow->resize(1100, 760);
    settle(300);
    const QString cost = outputDir + QStringLiteral("/cost.png");
    if (!costWindow->grab().save(cost)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(cost));
        return 1;
    }
    std::printf("%s\n%s\n", qPrintable(comparison), qPrintable(cost));
    window.close();
    return 0;
}
