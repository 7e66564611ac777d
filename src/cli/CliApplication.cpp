#include "CliApplication.h"

#include "cli/AuditCommand.h"
#include "cli/BatchCommand.h"
#include "cli/BudgetCommand.h"
#include "cli/CliError.h"
#include "cli/GenerationArgumentParser.h"
#include "cli/GenerationCommand.h"
#include "cli/SanitizeCommand.h"
#include "platform/SignalWatcher.h"

#include <QCoreApplication>
#include <QFile>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

namespace parallax::cli {

namespace {

std::optional<QByteArray> readStandardInput(bool explicitlyRequested) {
    if (!explicitlyRequested && ::isatty(STDIN_FILENO))
        return std::nullopt;
    QFile input;
    if (!input.open(stdin, QIODevice::ReadOnly))
        return QByteArray();
    return input.read(GenerationArgumentParser::kMaxPromptBytes + 1);
}

void printLine(FILE* stream, const QString& text) {
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    if (!bytes.endsWith('\n'))
        std::fputc('\n', stream);
    std::fflush(stream);
}

} // namespace

CliApplication::CliApplication(QObject* parent)
    : QObject(parent) {}

QString CliApplication::usageText() {
    return QStringLiteral(
        "Usage: parallax-cli COMMAND [OPTIONS]\n\n"
        "Commands:\n"
        "  run      [OPTIONS] -p SPEC [PROMPT|-]                   ask one provider\n"
        "  compare  [OPTIONS] -p SPEC -p SPEC ... [PROMPT|-]       ask several at once\n"
        "  batch    -p SPEC ... --input FILE --output FILE.jsonl   many prompts, resumable\n"
        "  sanitize [--json | --jsonl] [FILE|-]                    (not available yet)\n"
        "  budget   show | set [--daily USD] [--monthly USD]       spending limits\n"
        "  audit    verify                                         check the audit log's hash chain\n\n"
        "SPEC is KIND:MODEL[@BASE_URL] (KIND: openai, anthropic, gemini, ollama, openai-compatible)\n"
        "or the name of a saved profile. `parallax-cli COMMAND --help` shows a command's options.\n");
}

void CliApplication::finishLater(int exitCode) {
    QTimer::singleShot(0, this, [this, exitCode] { emit finished(exitCode); });
}

void CliApplication::fail(const QString& message, int exitCode) {
    printLine(stderr, QStringLiteral("parallax-cli: ") + message);
    finishLater(exitCode);
}

void CliApplication::start(const QStringList& arguments) {
    const QString command = arguments.value(1);
    const QStringList rest =
        arguments.mid(1); // QCommandLineParser treats the first entry as the program name

    if (command.isEmpty() || command == QLatin1String("--help") || command == QLatin1String("-h") ||
        command == QLatin1String("help")) {
        printLine(command.isEmpty() ? stderr : stdout, usageText());
        return finishLater(command.isEmpty() ? ExitUsage : ExitSuccess);
    }
    if (command == QLatin1String("--version")) {
        printLine(stdout, QStringLiteral("parallax-cli %1").arg(QCoreApplication::applicationVersion()));
        return finishLater(ExitSuccess);
    }
    if (command == QLatin1String("run") || command == QLatin1String("compare")) {
        auto parsed =
            GenerationArgumentParser::parse(rest, command == QLatin1String("compare"), readStandardInput);
        if (auto* error = std::get_if<CliError>(&parsed)) {
            if (error->exitCode == ExitSuccess) { // --help
                printLine(stdout, error->message);
                return finishLater(ExitSuccess);
            }
            return fail(error->message, error->exitCode);
        }
        m_generation = new GenerationCommand(std::get<GenerationOptions>(std::move(parsed)), this);
        connect(m_generation, &GenerationCommand::done, this, &CliApplication::finished);
        auto* watcher = new SignalWatcher(this);
        connect(watcher, &SignalWatcher::interrupted, m_generation, &GenerationCommand::cancel);
        if (auto error = m_generation->start())
            return fail(error->message, error->exitCode);
        return;
    }
    if (command == QLatin1String("sanitize"))
        return finishLater(SanitizeCommand::run(rest));
    if (command == QLatin1String("budget"))
        return finishLater(BudgetCommand::run(rest));
    if (command == QLatin1String("audit"))
        return finishLater(AuditCommand::run(rest));
    if (command == QLatin1String("batch")) {
        auto* batch = new BatchCommand(this);
        connect(batch, &BatchCommand::done, this, &CliApplication::finished);
        auto* watcher = new SignalWatcher(this);
        connect(watcher, &SignalWatcher::interrupted, batch, &BatchCommand::cancel);
        if (auto error = batch->start(rest)) {
            if (error->exitCode == ExitSuccess)
                return finishLater(ExitSuccess);
            return fail(error->message, error->exitCode);
        }
        return;
    }
    fail(QStringLiteral("unknown command '%1'\n").arg(command) + usageText(), ExitUsage);
}

} // namespace parallax::cli
