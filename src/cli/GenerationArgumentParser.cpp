#include "GenerationArgumentParser.h"

#include "cli/ProfileResolver.h"
#include "cli/RequestOptions.h"

#include <QCommandLineParser>

namespace parallax::cli {

namespace {

struct Options {
    RequestOptions common;
    QCommandLineOption synthesize{"synthesize", "compare: profile that combines the answers, citing them.",
                                  "SPEC"};
    QCommandLineOption json{"json", "Print the result as JSON once every answer is complete."};

    void addTo(QCommandLineParser& parser, bool compare) {
        common.addTo(parser);
        parser.addOption(json);
        if (compare)
            parser.addOption(synthesize);
        parser.addPositionalArgument("PROMPT",
                                     "The prompt, or - (or nothing) to read it from standard input.");
    }
};

CliError usage(const QString& message) {
    return CliError{message, ExitUsage};
}

} // namespace

QString GenerationArgumentParser::helpText(bool compare) {
    QCommandLineParser parser;
    Options options;
    options.addTo(parser, compare);
    const QString synopsis =
        compare ? QStringLiteral("Usage: parallax-cli compare [OPTIONS] -p SPEC -p SPEC ... "
                                 "[--synthesize SPEC] [PROMPT|-]\n\nSend one prompt to several "
                                 "profiles at once and show every answer.\n")
                : QStringLiteral("Usage: parallax-cli run [OPTIONS] -p SPEC [PROMPT|-]\n\n"
                                 "Send a prompt to one profile and stream the answer.\n");
    QString text = parser.helpText();
    text = text.mid(text.indexOf(QLatin1Char('\n')) + 1); // drop Qt's own usage line
    return synopsis + text +
           QStringLiteral(
               "\nKeys come from OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or PARALLAX_API_KEY "
               "(openai-compatible), never from the command line.\n");
}

std::variant<GenerationOptions, CliError>
GenerationArgumentParser::parse(const QStringList& arguments, bool compare, const StdinReader& readStdin) {
    QCommandLineParser parser;
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    Options options;
    options.addTo(parser, compare);
    const QString command = compare ? QStringLiteral("compare") : QStringLiteral("run");
    if (!parser.parse(arguments))
        return usage(QStringLiteral("%1: %2 (see parallax-cli %1 --help)").arg(command, parser.errorText()));
    if (parser.isSet(options.common.help))
        return CliError{helpText(compare), ExitSuccess};

    GenerationOptions result;
    result.compare = compare;
    result.json = parser.isSet(options.json);
    result.noCache = parser.isSet(options.common.noCache);
    result.noSanitize = parser.isSet(options.common.noSanitize);

    const QStringList specs = parser.values(options.common.profile);
    if (specs.isEmpty())
        return usage(QStringLiteral("%1: name a profile with -p KIND:MODEL[@BASE_URL]").arg(command));
    if (!compare && specs.size() > 1)
        return usage(QStringLiteral("run takes one -p; use compare for several profiles"));
    if (specs.size() > kMaxProfiles)
        return usage(
            QStringLiteral("compare takes at most %1 profiles, got %2").arg(kMaxProfiles).arg(specs.size()));
    ProfileResolver resolver;
    if (auto error = resolver.resolveAll(specs, parser.values(options.common.fallback), result.profiles,
                                         result.fallbacks))
        return *error;
    if (compare && parser.isSet(options.synthesize)) {
        auto profile = resolver.resolve(parser.value(options.synthesize));
        if (auto* error = std::get_if<CliError>(&profile))
            return *error;
        result.synthesizer = std::get<ProviderProfile>(profile);
    }

    if (auto error = options.common.apply(parser, result.request, result.call))
        return *error;

    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1)
        return usage(QStringLiteral("%1: give the prompt as one argument (quote it), or pipe it in with -")
                         .arg(command));
    QString prompt;
    if (positional.isEmpty() || positional.first() == QLatin1String("-")) {
        const std::optional<QByteArray> input = readStdin(!positional.isEmpty());
        if (!input)
            return usage(
                QStringLiteral("%1: no prompt given: pass it as an argument or pipe it in").arg(command));
        if (input->size() > kMaxPromptBytes)
            return usage(QStringLiteral("the prompt on standard input is %1 MiB; the limit is %2 MiB")
                             .arg(static_cast<double>(input->size()) / (1024 * 1024), 0, 'f', 1)
                             .arg(kMaxPromptBytes / (1024 * 1024)));
        prompt = QString::fromUtf8(*input);
    } else {
        prompt = positional.first();
        if (prompt.toUtf8().size() > kMaxPromptBytes)
            return usage(
                QStringLiteral("the prompt is larger than %1 MiB").arg(kMaxPromptBytes / (1024 * 1024)));
    }
    if (prompt.trimmed().isEmpty())
        return usage(QStringLiteral("%1: the prompt is empty").arg(command));
    result.request.messages.append(ChatMessage{ChatMessage::Role::User, prompt});
    return result;
}

} // namespace parallax::cli
