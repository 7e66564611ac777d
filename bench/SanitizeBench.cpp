// In-process sanitizer throughput: Sanitizer::sanitize() on 1 KB, 100 KB and 10 MB of the same
// deterministic mixed text (prose, code, logs, with PII) that bench/sanitize.sh feeds to the
// whole process. Prints a Markdown table of the median of N runs (QElapsedTimer, one thread).
//
// Usage:
//   parallax-sanitize-bench [--runs N] [--region CC]     print the table
//   parallax-sanitize-bench --bytes N [--runs N]         only an N-byte input (for profiling under
//                                                        valgrind: one warm-up call, then the runs)
//   parallax-sanitize-bench --write-sample FILE --bytes N write the N-byte sample text to FILE
#include "sanitize/Sanitizer.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QStringList>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>

using namespace parallax;

namespace {

// Kept identical to the pool bench/sanitize.sh used before it called --write-sample, so that the
// numbers of older runs stay comparable.
const char* const kPool[] = {
    "The quarterly report was reviewed by the committee and approved without changes.",
    "Please forward the invoice to marta.kowalski@fastmail.fm before Friday.",
    "2024-05-02T08:15:22Z INFO request_id=7f3a9c user_id=48213 latency_ms=182 status=200",
    "2024-05-02 08:15:23,417 WARN connection from 203.0.113.77 rejected: too many attempts",
    "for (int i = 0; i < count; ++i) { total += values[i] * weights[i]; }",
    "Call me tomorrow at (312) 555-0199 if the courier has not arrived.",
    "Build 20240318.4 passed on runner ci-07 in 412 seconds; upgrade 2.14.3 to 3.0.1.",
    "My SSN is 536-22-8147 and the card 5425 2334 3010 9903 was declined.",
    "Wire the deposit to GB33 BUKB 2020 1555 5555 55 (reference INV-2024-0031).",
    "export GITHUB_TOKEN=ghp_R8sK2mQ7xV4nL9pW3tZ6yB1cD5fG0hJ8kM2a",
    "    return std::make_unique<Widget>(parent, QStringLiteral(\"name\"), 42);",
    "Docs are at https://docs.parallax-example.org/guide/install and in CHANGES.md.",
    "Order #884213 shipped on 03/14/2024; the package weighs 2.5 kg.",
    "SELECT id, email FROM users WHERE created_at > '2023-11-30 00:00:00' LIMIT 500;",
    "It was a bright cold day in April, and the clocks were striking thirteen.",
    "AWS key AKIAZ7Q3RWXN5LKT2MHV was rotated; the printer MAC is 3c:22:fb:9a:10:4e.",
};

/// Whole lines drawn from kPool with a linear congruential index, at most `bytes` long.
QByteArray sample(qint64 bytes) {
    QByteArray out;
    out.reserve(bytes + 128);
    uint64_t x = 12345;
    constexpr uint64_t poolSize = sizeof(kPool) / sizeof(kPool[0]);
    while (out.size() < bytes) {
        x = (1103515245 * x + 12345) % (uint64_t(1) << 31);
        out.append(kPool[x % poolSize]);
        out.append('\n');
    }
    out.truncate(bytes);
    out.truncate(out.lastIndexOf('\n') + 1);
    return out;
}

void print(const QByteArray& bytes) {
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
    std::fflush(stdout);
}

QString duration(double ns) {
    if (ns < 1e4)
        return QStringLiteral("%1 µs").arg(ns / 1e3, 0, 'f', 1);
    if (ns < 1e7)
        return QStringLiteral("%1 µs").arg(ns / 1e3, 0, 'f', 0);
    return QStringLiteral("%1 ms").arg(ns / 1e6, 0, 'f', 1);
}

} // namespace

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    int runs = 0;
    QString writeTo;
    qint64 writeBytes = 1024;
    bool oneSize = false;
    SanitizerSettings settings;
    for (qsizetype i = 1; i < args.size(); ++i) {
        const QString& arg = args.at(i);
        const bool hasValue = i + 1 < args.size();
        if (arg == QLatin1String("--runs") && hasValue) {
            runs = args.at(++i).toInt();
        } else if (arg == QLatin1String("--write-sample") && hasValue) {
            writeTo = args.at(++i);
        } else if (arg == QLatin1String("--bytes") && hasValue) {
            writeBytes = args.at(++i).toLongLong();
            oneSize = true;
        } else if (arg == QLatin1String("--region") && hasValue) {
            settings.phoneRegions << args.at(++i);
        } else {
            print("usage: parallax-sanitize-bench [--runs N] [--region CC] [--bytes N]\n"
                  "       parallax-sanitize-bench --write-sample FILE --bytes N\n");
            return 2;
        }
    }
    if (!writeTo.isEmpty()) {
        QFile file(writeTo);
        if (!file.open(QIODevice::WriteOnly) || file.write(sample(writeBytes)) < 0) {
            print(QStringLiteral("cannot write %1: %2\n").arg(writeTo, file.errorString()).toUtf8());
            return 2;
        }
        return 0;
    }
    if (settings.phoneRegions.isEmpty())
        settings.phoneRegions << QStringLiteral("US"); // fixed, so the figures do not depend on the locale

    QElapsedTimer timer;
    timer.start();
    const Sanitizer sanitizer(settings);
    const qint64 constructionNs = timer.nsecsElapsed();
    // What a program that sanitizes one prompt right after start-up waits for.
    timer.restart();
    sanitizer.sanitize(QString::fromUtf8(sample(1024)));
    const qint64 firstNs = timer.nsecsElapsed();

    struct Size {
        const char* name;
        qint64 bytes;
        int runs;
    };
    const std::vector<Size> sizes =
        oneSize
            ? std::vector<Size>{{"n", writeBytes, 7}}
            : std::vector<Size>{{"1k", 1024, 2001}, {"100k", 100 * 1024, 101}, {"10m", 10 * 1024 * 1024, 7}};
    print("| input | sanitize (median) | min | MB/s (median) | spans |\n|---|---|---|---|---|\n");
    for (const Size& size : sizes) {
        const QString text = QString::fromUtf8(sample(size.bytes));
        const qint64 bytes = text.toUtf8().size();
        const int n = runs > 0 ? runs : size.runs;
        std::vector<qint64> times;
        times.reserve(static_cast<size_t>(n));
        qsizetype spans = 0;
        sanitizer.sanitize(text); // warm-up: caches, JIT stacks, first allocations
        for (int r = 0; r < n; ++r) {
            timer.restart();
            const SanitizedText result = sanitizer.sanitize(text);
            times.push_back(timer.nsecsElapsed());
            spans = result.spans.size();
        }
        std::sort(times.begin(), times.end());
        const double median = static_cast<double>(times[times.size() / 2]);
        const double rate = static_cast<double>(bytes) / 1e6 / (median / 1e9);
        print(QStringLiteral("| %1 (%2 B) | %3 | %4 | %5 | %6 |\n")
                  .arg(QLatin1String(size.name))
                  .arg(bytes)
                  .arg(duration(median), duration(static_cast<double>(times.front())))
                  .arg(rate, 0, 'f', 1)
                  .arg(spans)
                  .toUtf8());
    }
    print(QStringLiteral(
              "\nSanitizer construction: %1 (libphonenumber's set-up continues on the thread pool; "
              "the first phone lookup waits for it); first sanitize of 1k, cold: %3; median of %2 runs "
              "per size (1k: 2001, 100k: 101, 10m: 7 unless --runs).\n")
              .arg(duration(static_cast<double>(constructionNs)))
              .arg(runs > 0 ? QString::number(runs) : QStringLiteral("N"))
              .arg(duration(static_cast<double>(firstNs)))
              .toUtf8());
    return 0;
}
