// Typing in a large prompt, measured on the real MainWindow.
//   parallax-editor-bench FILE [KEYSTROKES] [INTERVAL_MS] [REPETITIONS]     prints a Markdown table
// Run it through bench/editor.sh (offscreen), which writes FILE (the sanitizer bench's 1 MB sample: prose,
// code, logs and personal data). Everything runs in a throwaway data and settings folder.
//
// Per repetition:
// - Load: the whole file is put into the prompt editor; how long that call blocks the GUI thread, and how
//   long until the first preview (highlights and the outgoing text) is shown.
// - Typing: KEYSTROKES key presses, one every INTERVAL_MS, into a paragraph in the middle of the prompt
//   (a sentence with an e-mail address and a phone number, a line break now and then). A 5 ms precise
//   timer on the GUI thread records how late each tick comes; its gaps are the stalls the typist feels.
//   Each key press is timed too (the editor's own work for one character).
// - Settle: from the last key press until the preview shows the final text; and whether the typed
//   e-mail address is then highlighted and masked.

#include "app/MainWindow.h"
#include "app/PromptEditor.h"
#include "secrets/SessionSecretStore.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QPlainTextEdit>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

using namespace parallax;

namespace {

constexpr int probeIntervalMs = 5;
const QString typedText = QStringLiteral(" Please forward the invoice to maria.kowalska@example.org and call "
                                         "+1 415-555-0132 before Friday.\nThanks, and regards.");

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

/// Runs the event loop until `done` holds (checked after every preview update) or `timeoutMs` passes.
bool waitForPreview(MainWindow& window, const std::function<bool()>& done, int timeoutMs) {
    if (done())
        return true;
    QEventLoop loop;
    QObject::connect(&window, &MainWindow::previewUpdated, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return done();
}

void writeProfile(const QString& dataDir) {
    const QJsonArray profiles{QJsonObject{{"name", "bench"},
                                          {"kind", "openai"},
                                          {"model", "bench-model"},
                                          {"base_url", "http://127.0.0.1:9/v1"}}};
    QFile file(dataDir + QStringLiteral("/profiles.json"));
    file.open(QIODevice::WriteOnly);
    file.write(QJsonDocument(QJsonObject{{"profiles", profiles}}).toJson());
}

void pressKey(QWidget* target, QChar c) {
    const int key = c == u'\n' ? int(Qt::Key_Return) : int(c.toUpper().unicode());
    const QString text = c == u'\n' ? QStringLiteral("\r") : QString(c);
    QKeyEvent press(QEvent::KeyPress, key, Qt::NoModifier, text);
    QKeyEvent release(QEvent::KeyRelease, key, Qt::NoModifier, text);
    QCoreApplication::sendEvent(target, &press);
    QCoreApplication::sendEvent(target, &release);
}

struct Run {
    double loadBlockMs = 0;
    double firstPreviewMs = 0;
    double maxStallMs = 0;
    double p95StallMs = 0;
    double maxKeyMs = 0;
    double medianKeyMs = 0;
    double settleMs = 0;
    int previews = 0;
    bool emailMasked = false;
};

Run runOnce(const QString& text, int keystrokes, int intervalMs) {
    Run run;
    auto window = std::make_unique<MainWindow>(std::make_unique<SessionSecretStore>());
    window->resize(1600, 1000);
    window->show();
    waitMs(500);
    PromptEditor* editor = window->editor();
    QPlainTextEdit* preview = window->previewText();

    QElapsedTimer clock;
    clock.start();
    editor->setPlainText(text);
    run.loadBlockMs = double(clock.nsecsElapsed()) / 1e6;
    if (!waitForPreview(
            *window, [&] { return preview->document()->characterCount() > text.size() / 2; }, 60'000))
        std::fprintf(stderr, "no preview of the loaded text within 60 s\n");
    run.firstPreviewMs = double(clock.nsecsElapsed()) / 1e6;
    waitMs(1000);

    // The cursor at the end of a line in the middle of the prompt.
    QTextCursor cursor(editor->document()->findBlock(int(text.size() / 2)));
    cursor.movePosition(QTextCursor::EndOfBlock);
    editor->setTextCursor(cursor);
    editor->setFocus();
    const int typedFrom = cursor.position();

    int previews = 0;
    QMetaObject::Connection counting =
        QObject::connect(window.get(), &MainWindow::previewUpdated, [&] { ++previews; });
    std::vector<double> gaps;
    std::vector<double> keys;
    QElapsedTimer sinceTick;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(probeIntervalMs);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        gaps.push_back(std::max(0.0, double(sinceTick.nsecsElapsed()) / 1e6 - probeIntervalMs));
        sinceTick.restart();
    });
    QString typed;
    for (int i = 0; i < keystrokes; ++i)
        typed.append(typedText.at(i % typedText.size()));
    QTimer typist;
    typist.setTimerType(Qt::PreciseTimer);
    typist.setInterval(intervalMs);
    QEventLoop loop;
    int next = 0;
    QElapsedTimer lastKey;
    QObject::connect(&typist, &QTimer::timeout, [&] {
        QElapsedTimer keyClock;
        keyClock.start();
        pressKey(editor, typed.at(next));
        keys.push_back(double(keyClock.nsecsElapsed()) / 1e6);
        lastKey.start();
        if (++next == typed.size()) {
            typist.stop();
            loop.quit();
        }
    });
    sinceTick.start();
    probe.start();
    typist.start();
    loop.exec();
    const int previewsWhileTyping = previews;
    QString expected = text;
    expected.insert(typedFrom, typed);
    const bool settled = waitForPreview(
        *window, [&] { return window->prepared() && window->prepared()->typedPrompt == expected; }, 60'000);
    run.settleMs = double(lastKey.nsecsElapsed()) / 1e6;
    probe.stop();
    QObject::disconnect(counting);
    if (!settled || editor->toPlainText() != expected)
        std::fprintf(stderr, "the editor does not hold the typed text, or its preview never settled\n");

    run.maxStallMs = gaps.empty() ? 0 : *std::max_element(gaps.begin(), gaps.end());
    run.p95StallMs = percentile(gaps, 95);
    run.maxKeyMs = keys.empty() ? 0 : *std::max_element(keys.begin(), keys.end());
    run.medianKeyMs = percentile(keys, 50);
    run.previews = previewsWhileTyping;
    const qsizetype email = expected.indexOf(QStringLiteral("maria.kowalska@example.org"), typedFrom);
    if (email >= 0) {
        const std::optional<Span> span = editor->spanAt(int(email) + 2);
        run.emailMasked = span && span->type == QLatin1String("EMAIL_ADDRESS") &&
                          !span->placeholder.isEmpty() && preview->toPlainText().contains(span->placeholder);
    }
    return run;
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
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: parallax-editor-bench FILE [KEYSTROKES] [INTERVAL_MS] [REPETITIONS]\n");
        return 2;
    }
    QFile file(args.at(1));
    if (!file.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s: %s\n", qPrintable(args.at(1)), qPrintable(file.errorString()));
        return 2;
    }
    const QString text = QString::fromUtf8(file.readAll());
    const int keystrokes = args.value(2, QStringLiteral("150")).toInt();
    const int intervalMs = args.value(3, QStringLiteral("40")).toInt();
    const int repetitions = args.value(4, QStringLiteral("3")).toInt();
    writeProfile(data.path());

    std::vector<Run> runs;
    for (int i = 0; i < repetitions; ++i)
        runs.push_back(runOnce(text, keystrokes, intervalMs));

    auto median = [&](double Run::*field) {
        std::vector<double> values;
        for (const Run& run : runs)
            values.push_back(run.*field);
        return percentile(values, 50);
    };
    auto range = [&](double Run::*field) {
        double low = 1e300;
        double high = 0;
        for (const Run& run : runs) {
            low = std::min(low, run.*field);
            high = std::max(high, run.*field);
        }
        return QStringLiteral("%1–%2").arg(low, 0, 'f', 1).arg(high, 0, 'f', 1);
    };
    std::printf("%lld characters (%lld bytes as UTF-8), %d key presses every %d ms, %d runs\n\n",
                static_cast<long long>(text.size()), static_cast<long long>(file.size()), keystrokes,
                intervalMs, repetitions);
    std::printf("| measure | goal | median | range |\n|---|---|---|---|\n");
    const struct {
        const char* name;
        const char* goal;
        double Run::*field;
    } rows[] = {
        {"setPlainText of the whole prompt (GUI thread blocked)", "—", &Run::loadBlockMs},
        {"load to first preview", "—", &Run::firstPreviewMs},
        {"longest stall while typing", "< 50 ms", &Run::maxStallMs},
        {"95th percentile of the 5 ms probe's lateness while typing", "< 16 ms", &Run::p95StallMs},
        {"longest key press (the editor's own work)", "< 16 ms", &Run::maxKeyMs},
        {"median key press", "—", &Run::medianKeyMs},
        {"last key press to the final preview", "< 500 ms", &Run::settleMs},
    };
    for (const auto& row : rows)
        std::printf("| %s | %s | %.1f ms | %s ms |\n", row.name, row.goal, median(row.field),
                    qPrintable(range(row.field)));
    int masked = 0;
    std::printf("\nPreviews shown while typing:");
    for (const Run& run : runs) {
        std::printf(" %d", run.previews);
        masked += run.emailMasked ? 1 : 0;
    }
    std::printf("\nTyped e-mail address highlighted and masked in the preview: %d of %zu runs\n", masked,
                runs.size());
    return masked == int(runs.size()) ? 0 : 1;
}
