// Cache lookups, in memory and from SQLite on disk, timed in-process.
//   parallax-engine-bench [ENTRIES]     prints a Markdown table

#include "engine/ResponseCache.h"
#include "store/Database.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>

using namespace parallax;

namespace {

Answer sampleAnswer(int i) {
    Answer answer;
    answer.profile = QStringLiteral("openai:gpt-4o-mini");
    answer.model = QStringLiteral("gpt-4o-mini");
    answer.text = QStringLiteral("A cached answer of moderate length, number %1. ").arg(i).repeated(20);
    answer.usage.inputTokens = 120;
    answer.usage.outputTokens = 300;
    answer.ttftMs = 210;
    answer.latencyMs = 1800;
    answer.attempts = 1;
    return answer;
}

double medianMicros(QList<double> samples) {
    std::sort(samples.begin(), samples.end());
    return samples.at(samples.size() / 2);
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    const int entries = argc > 1 ? QString::fromLatin1(argv[1]).toInt() : 2000;
    QTemporaryDir dir;
    QString error;
    auto database = Database::open(dir.filePath(QStringLiteral("bench.db")), &error);
    if (!database) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    ResponseCache::Limits limits;
    limits.maxEntries = entries * 2;
    limits.memoryEntries = entries * 2;
    QStringList keys;
    {
        ResponseCache cache(database.get(), limits);
        for (int i = 0; i < entries; ++i) {
            ProviderProfile profile{QStringLiteral("p"), ProviderKind::OpenAi, QStringLiteral("gpt-4o-mini"),
                                    QUrl(QStringLiteral("https://api.openai.com/v1"))};
            ChatRequest request;
            request.messages = {ChatMessage{ChatMessage::Role::User, QStringLiteral("Question %1").arg(i)}};
            keys.append(ResponseCache::key(profile, request));
            cache.store(keys.last(), sampleAnswer(i), 1'000'000);
        }
    }

    // Memory: a cache that has seen every key. SQLite: a fresh cache, so every lookup reads the disk.
    ResponseCache warm(database.get(), limits);
    for (const QString& key : std::as_const(keys))
        warm.lookup(key, 1'000'001);
    QList<double> memory;
    QList<double> sqlite;
    QElapsedTimer timer;
    for (const QString& key : std::as_const(keys)) {
        timer.start();
        const bool hit = warm.lookup(key, 1'000'002).has_value();
        memory.append(static_cast<double>(timer.nsecsElapsed()) / 1000.0);
        if (!hit)
            return 1;
    }
    ResponseCache cold(database.get(), limits);
    for (const QString& key : std::as_const(keys)) {
        timer.start();
        const bool hit = cold.lookup(key, 1'000'002).has_value();
        sqlite.append(static_cast<double>(timer.nsecsElapsed()) / 1000.0);
        if (!hit)
            return 1;
    }
    QList<double> keyTimes;
    ProviderProfile profile{QStringLiteral("p"), ProviderKind::OpenAi, QStringLiteral("gpt-4o-mini"),
                            QUrl(QStringLiteral("https://api.openai.com/v1"))};
    ChatRequest request;
    request.messages = {ChatMessage{ChatMessage::Role::User,
                                    QStringLiteral("A typical prompt of a few lines. ").repeated(30)}};
    for (int i = 0; i < 1000; ++i) {
        timer.start();
        const QString key = ResponseCache::key(profile, request);
        keyTimes.append(static_cast<double>(timer.nsecsElapsed()) / 1000.0);
        if (key.isEmpty())
            return 1;
    }
    std::printf("| operation (%d entries, ~1 KB answers) | median |\n|---|---|\n", entries);
    std::printf("| cache key (SHA-256 of canonical JSON, 1 KB prompt) | %.1f µs |\n", medianMicros(keyTimes));
    std::printf("| lookup, in-memory LRU hit | %.1f µs |\n", medianMicros(memory));
    std::printf("| lookup, SQLite hit (not in memory) | %.1f µs |\n", medianMicros(sqlite));
    return 0;
}
