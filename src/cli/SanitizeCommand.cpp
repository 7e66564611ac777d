#include "SanitizeCommand.h"

#include "cli/CliError.h"
#include "engine/SanitizerConfig.h"
#include "sanitize/CodePoints.h"
#include "sanitize/Sanitizer.h"
#include "store/DataDirectory.h"
#include "store/Settings.h"

#include <QFile>
#include <QFuture>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <QtConcurrent/QtConcurrentRun>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <optional>

namespace parallax::cli {

namespace {

enum class OutputMode { Plain, Json, Jsonl };

struct SanitizeArguments {
    OutputMode mode = OutputMode::Plain;
    QString file; // empty or "-" = stdin
    QStringList regions;
    bool suggestions = false;
    bool help = false;
};

// Plain mode reads this much at a time and sanitizes up to the last complete line, so a 10 GB log
// needs a few megabytes of memory. Blocks are small enough that two cores share even a few
// megabytes evenly, and large enough that per-block work (thread hand-off, detector set-up) is
// negligible.
constexpr qint64 kBlockBytes = 256 << 10;
// Blocks decoded and scanned ahead of the one being written.
constexpr size_t kBlocksInFlight = 4;
// An unterminated "-----BEGIN ... PRIVATE KEY-----" may grow the block up to this size so that the
// key is seen whole.
constexpr qint64 kMaxBlockBytes = 16 << 20;

void printError(const QString& message) {
    const QByteArray bytes = (QStringLiteral("parallax-cli: ") + message + QLatin1Char('\n')).toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stderr);
    std::fflush(stderr);
}

void write(const QByteArray& bytes) {
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
}

QString usage() {
    return QStringLiteral(
        "Usage: parallax-cli sanitize [--json | --jsonl] [--region CC]... [--suggestions] [FILE|-]\n\n"
        "Replaces personal data and secrets with placeholders such as [EMAIL_ADDRESS_1].\n"
        "  (no flag)       write the sanitized text (large files are streamed)\n"
        "  --json          print {\"text\", \"spans\": [{\"start\", \"end\", \"type\", \"rule\", "
        "\"placeholder\"}]}\n"
        "  --jsonl         read lines {\"id\", \"text\"}, write one such object per line with its id;\n"
        "                  a bad line is reported on stderr with its number and skipped (exit 1)\n"
        "  --region CC     also read phone numbers of region CC without '+' (repeatable; default: the\n"
        "                  phone_regions of settings.json, else the locale)\n"
        "  --suggestions   also redact weak findings (bare 9-digit SSNs, generic key=value secrets)\n"
        "The rest of settings.json's \"sanitize\" section (modes, allowlist, user rules) applies, as it\n"
        "does to run, compare and batch.\n"
        "Offsets count Unicode code points of the input. Exit: 0 ok, 1 some JSONL lines skipped,\n"
        "2 usage error or unreadable input.\n");
}

std::optional<SanitizeArguments> parse(const QStringList& arguments, QString& error) {
    SanitizeArguments parsed;
    bool json = false;
    bool jsonl = false;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString& arg = arguments.at(i);
        if (arg == QLatin1String("--json")) {
            json = true;
        } else if (arg == QLatin1String("--jsonl")) {
            jsonl = true;
        } else if (arg == QLatin1String("--suggestions")) {
            parsed.suggestions = true;
        } else if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            parsed.help = true;
        } else if (arg == QLatin1String("--region") || arg.startsWith(QLatin1String("--region="))) {
            QString value = arg.mid(9);
            if (arg == QLatin1String("--region")) {
                if (++i >= arguments.size()) {
                    error = QStringLiteral("--region needs a region code such as DE");
                    return std::nullopt;
                }
                value = arguments.at(i);
            }
            if (value.size() != 2 || !value.at(0).isLetter() || !value.at(1).isLetter()) {
                error = QStringLiteral("--region '%1' is not a two-letter region code").arg(value);
                return std::nullopt;
            }
            parsed.regions << value.toUpper();
        } else if (arg.startsWith(QLatin1Char('-')) && arg != QLatin1String("-")) {
            error =
                QStringLiteral("sanitize: unknown option '%1' (see parallax-cli sanitize --help)").arg(arg);
            return std::nullopt;
        } else if (!parsed.file.isEmpty()) {
            error = QStringLiteral("sanitize takes one FILE, got '%1' and '%2'").arg(parsed.file, arg);
            return std::nullopt;
        } else {
            parsed.file = arg;
        }
    }
    if (json && jsonl) {
        error = QStringLiteral("--json and --jsonl exclude each other");
        return std::nullopt;
    }
    parsed.mode = json ? OutputMode::Json : jsonl ? OutputMode::Jsonl : OutputMode::Plain;
    return parsed;
}

QJsonObject toJson(const QString& input, const SanitizedText& result) {
    const CodePoints codePoints(input);
    QJsonArray spans;
    for (const Span& span : result.spans) {
        if (span.placeholder.isEmpty())
            continue;
        spans.append(QJsonObject{{QStringLiteral("start"), codePoints.fromUtf16(span.start)},
                                 {QStringLiteral("end"), codePoints.fromUtf16(span.end)},
                                 {QStringLiteral("type"), span.type},
                                 {QStringLiteral("rule"), span.rule},
                                 {QStringLiteral("placeholder"), span.placeholder}});
    }
    return {{QStringLiteral("text"), result.text}, {QStringLiteral("spans"), spans}};
}

// One block of plain-mode input after detection on a worker thread: its output as UTF-8 except
// for the placeholders, which only the writing thread may number.
struct DetectedBlock {
    QList<Span> spans;  ///< the spans to replace
    QStringList values; ///< their text
    QByteArray utf8;    ///< the output around them
    /// Per span, the bytes of `utf8` its placeholder replaces: the span's own bytes when `utf8` is
    /// the input as read (ASCII), else an empty range where its text was left out.
    std::vector<std::pair<qsizetype, qsizetype>> holes;
};

bool isAscii(const QByteArray& bytes) {
    const char* data = bytes.constData();
    const qsizetype size = bytes.size();
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) {
        uint64_t word;
        std::memcpy(&word, data + i, 8);
        if (word & 0x8080808080808080)
            return false;
    }
    for (; i < size; ++i) {
        if (static_cast<unsigned char>(data[i]) >= 0x80)
            return false;
    }
    return true;
}

// Decodes, detects and cuts out what will be replaced (any thread).
DetectedBlock detectBlock(const Sanitizer& sanitizer, const QByteArray& bytes) {
    DetectedBlock block;
    const QString text = QString::fromUtf8(bytes);
    const QList<Span> spans = sanitizer.detect(text);
    const QList<qsizetype> replaced = sanitizer.replaced(text, spans);
    block.spans.reserve(replaced.size());
    block.values.reserve(replaced.size());
    block.holes.reserve(static_cast<size_t>(replaced.size()));
    // One byte per UTF-16 unit in ASCII, and the input bytes are already the output's.
    const bool ascii = isAscii(bytes);
    if (ascii)
        block.utf8 = bytes;
    qsizetype copied = 0;
    for (qsizetype index : replaced) {
        const Span& span = spans.at(index);
        if (ascii) {
            block.holes.emplace_back(span.start, span.end);
        } else {
            block.utf8 += QStringView(text).mid(copied, span.start - copied).toUtf8();
            block.holes.emplace_back(block.utf8.size(), block.utf8.size());
            copied = span.end;
        }
        block.spans.append(span);
        block.values.append(text.mid(span.start, span.length()));
    }
    if (!ascii)
        block.utf8 += QStringView(text).mid(copied).toUtf8();
    return block;
}

int runPlain(QFile& input, const Sanitizer& sanitizer) {
#if defined(__GLIBC__)
    // Every block allocates buffers of a few hundred KiB (its bytes, its UTF-16 text, its output).
    // glibc serves those with fresh mmap()s, each page faulted in and zeroed again (a third of the
    // page faults of a 10 MB run, ~10 % of its CPU time); from the heap they are reused.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
    // Blocks are decoded and scanned on the thread pool, a few at a time, while this thread
    // replaces them in input order with one vault: a value keeps its placeholder across blocks and
    // placeholders are numbered exactly as a sequential run numbers them.
    QByteArray pending;
    bool atEnd = false;
    auto nextBlock = [&](QByteArray& block) {
        while (!atEnd || !pending.isEmpty()) {
            if (!atEnd) {
                // Read straight behind what is pending (no chunk to copy).
                const qsizetype had = pending.size();
                pending.resize(had + kBlockBytes);
                const qint64 got = input.read(pending.data() + had, kBlockBytes);
                pending.resize(had + std::max<qint64>(got, 0));
                if (got <= 0)
                    atEnd = true;
            }
            qsizetype cut = atEnd ? pending.size() : pending.lastIndexOf('\n') + 1;
            if (!atEnd) {
                if (cut == 0 && pending.size() < kMaxBlockBytes)
                    continue; // no complete line yet
                // (A forward search first: QByteArray's backward search is a slow byte loop.)
                const qsizetype begin =
                    pending.contains("-----BEGIN") ? pending.lastIndexOf("-----BEGIN") : -1;
                if (begin >= 0 && pending.indexOf("-----END", begin) < 0 && pending.size() < kMaxBlockBytes)
                    continue; // keep a private key block together
                if (cut == 0)
                    cut = pending.size();
            }
            // The block keeps the buffer; only the rest (part of a line, usually) is copied.
            block = std::move(pending);
            pending = block.mid(cut);
            block.truncate(cut);
            return true;
        }
        return false;
    };

    Vault vault; // one vault for the whole stream
    std::deque<QFuture<DetectedBlock>> inFlight;
    auto writeOldest = [&] {
        const DetectedBlock block = inFlight.front().result();
        inFlight.pop_front();
        // Only the placeholders are made here, in input order; one write per block (stdout is
        // fully buffered). The bytes are what redact(text, detect(text), vault).text.toUtf8() gives.
        QByteArray out;
        out.reserve(block.utf8.size() + 16 * block.spans.size());
        qsizetype written = 0;
        for (qsizetype k = 0; k < block.spans.size(); ++k) {
            const Span& span = block.spans.at(k);
            const auto [holeStart, holeEnd] = block.holes[static_cast<size_t>(k)];
            out.append(block.utf8.constData() + written, holeStart - written);
            out.append(sanitizer.placeholderFor(span, block.values.at(k), vault).toUtf8());
            written = holeEnd;
        }
        out.append(block.utf8.constData() + written, block.utf8.size() - written);
        write(out);
    };
    QByteArray bytes;
    while (nextBlock(bytes)) {
        inFlight.push_back(QtConcurrent::run([&sanitizer, bytes] { return detectBlock(sanitizer, bytes); }));
        if (inFlight.size() >= kBlocksInFlight)
            writeOldest();
    }
    while (!inFlight.empty())
        writeOldest();
    std::fflush(stdout);
    return ExitSuccess;
}

int runJsonl(QFile& input, const Sanitizer& sanitizer) {
    int lineNumber = 0;
    int bad = 0;
    while (!input.atEnd()) {
        QByteArray line = input.readLine();
        ++lineNumber;
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parseError);
        QString problem;
        if (parseError.error != QJsonParseError::NoError)
            problem = QStringLiteral("not valid JSON (%1 at byte %2)")
                          .arg(parseError.errorString())
                          .arg(parseError.offset + 1);
        else if (!doc.isObject())
            problem = QStringLiteral("not a JSON object");
        else if (!doc.object().value(QStringLiteral("text")).isString())
            problem = QStringLiteral("\"text\" is missing or not a string");
        if (!problem.isEmpty()) {
            printError(QStringLiteral("line %1: %2; skipped").arg(lineNumber).arg(problem));
            ++bad;
            continue;
        }
        const QJsonObject object = doc.object();
        const QString text = object.value(QStringLiteral("text")).toString();
        QJsonObject out = toJson(text, sanitizer.sanitize(text));
        out.insert(QStringLiteral("id"), object.value(QStringLiteral("id")));
        write(QJsonDocument(out).toJson(QJsonDocument::Compact) + '\n');
    }
    std::fflush(stdout);
    return bad > 0 ? ExitRequestFailed : ExitSuccess;
}

} // namespace

int SanitizeCommand::run(const QStringList& arguments) {
    QString error;
    const std::optional<SanitizeArguments> parsed = parse(arguments, error);
    if (!parsed) {
        printError(error);
        return ExitUsage;
    }
    if (parsed->help) {
        write(usage().toUtf8());
        std::fflush(stdout);
        return ExitSuccess;
    }

    QFile input;
    const bool fromStdin = parsed->file.isEmpty() || parsed->file == QLatin1String("-");
    const bool opened = fromStdin ? input.open(stdin, QIODevice::ReadOnly) : [&] {
        input.setFileName(parsed->file);
        return input.open(QIODevice::ReadOnly);
    }();
    if (!opened) {
        printError(
            QStringLiteral("cannot read %1: %2")
                .arg(fromStdin ? QStringLiteral("standard input") : parsed->file, input.errorString()));
        return ExitUsage;
    }

    // The sanitizer `run`, `compare`, `batch` and the window use (settings.json's "sanitize": modes,
    // allowlist, phone regions, user rules), so this shows what they would send; flags go on top.
    QString loadError;
    const std::optional<Settings> stored =
        Settings::load(DataDirectory::filePath(QStringLiteral("settings.json")), &loadError);
    if (!stored) {
        printError(loadError);
        return ExitUsage;
    }
    const QJsonObject section = stored->section(QStringLiteral("sanitize"));
    if (const QStringList problems = SanitizerConfig::problems(section); !problems.isEmpty()) {
        printError(problems.join(QStringLiteral("; ")));
        return ExitUsage;
    }
    SanitizerSettings settings = SanitizerConfig::fromJson(section);
    if (!parsed->regions.isEmpty())
        settings.phoneRegions = parsed->regions;
    if (parsed->suggestions)
        settings.redactSuggestions = true;
    const Sanitizer sanitizer(settings);

    switch (parsed->mode) {
    case OutputMode::Plain:
        return runPlain(input, sanitizer);
    case OutputMode::Jsonl:
        return runJsonl(input, sanitizer);
    case OutputMode::Json: {
        const QByteArray bytes = input.readAll();
        if (input.error() != QFileDevice::NoError) {
            printError(QStringLiteral("cannot read %1: %2").arg(parsed->file, input.errorString()));
            return ExitUsage;
        }
        const QString text = QString::fromUtf8(bytes);
        write(QJsonDocument(toJson(text, sanitizer.sanitize(text))).toJson(QJsonDocument::Compact) + '\n');
        std::fflush(stdout);
        return ExitSuccess;
    }
    }
    return ExitSuccess;
}

} // namespace parallax::cli
