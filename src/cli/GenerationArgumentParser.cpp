#include "GenerationArgumentParser.h"

#include "providers/ProfileSpec.h"
#include "store/DataDirectory.h"
#include "store/SavedProfiles.h"
#include "store/Settings.h"

#include <QJsonArray>

#include <QCommandLineParser>

#include <cmath>

namespace parallax::cli {

namespace {

struct Options {
    QCommandLineOption profile{
        {"p", "profile"}, "Profile: KIND:MODEL[@BASE_URL] or a saved profile's name.", "SPEC"};
    QCommandLineOption fallback{"fallback", "Profile tried, in order, when a profile fails (repeatable).",
                                "SPEC"};
    QCommandLineOption synthesize{"synthesize", "compare: profile that combines the answers, citing them.",
                                  "SPEC"};
    QCommandLineOption json{"json", "Print the result as JSON once every answer is complete."};
    QCommandLineOption maxTokens{"max-tokens", "Largest number of tokens to generate.", "N"};
    QCommandLineOption temperature{"temperature", "Sampling temperature, 0 to 2.", "T"};
    QCommandLineOption system{"system", "System prompt.", "TEXT"};
    QCommandLineOption noCache{"no-cache", "Neither read nor fill the response cache."};
    QCommandLineOption noSanitize{"no-sanitize",
                                  "Send personal data and secrets as typed instead of masking them."};
    QCommandLineOption timeout{"timeout", "Give up on an answer after this many seconds (default 600).",
                               "SECONDS"};
    QCommandLineOption help{{"h", "help"}, "Show this help."};

    void addTo(QCommandLineParser& parser, bool compare) {
        parser.addOptions(
            {profile, fallback, json, maxTokens, temperature, system, noCache, noSanitize, timeout, help});
        if (compare)
            parser.addOption(synthesize);
        parser.addPositionalArgument("PROMPT",
                                     "The prompt, or - (or nothing) to read it from standard input.");
    }
};

CliError usage(const QString& message) {
    return CliError{message, ExitUsage};
}

std::variant<ProviderProfile, CliError> resolveProfile(const QString& spec,
                                                       std::optional<QList<ProviderProfile>>& saved) {
    if (ProfileSpec::looksLikeSpec(spec)) {
        QString error;
        if (auto profile = ProfileSpec::parse(spec, &error))
            return *profile;
        return usage(error);
    }
    if (!saved) {
        QString error;
        saved = SavedProfiles::load(DataDirectory::filePath(QStringLiteral("profiles.json")), &error);
        if (!saved)
            return usage(error);
    }
    if (auto profile = SavedProfiles::find(*saved, spec))
        return *profile;
    return usage(QStringLiteral("'%1' is neither KIND:MODEL[@BASE_URL] (KIND one of %2) nor a saved profile")
                     .arg(spec, providerKindNames().join(QStringLiteral(", "))));
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
    if (parser.isSet(options.help))
        return CliError{helpText(compare), ExitSuccess};

    GenerationOptions result;
    result.compare = compare;
    result.json = parser.isSet(options.json);
    result.noCache = parser.isSet(options.noCache);
    result.noSanitize = parser.isSet(options.noSanitize);

    const QStringList specs = parser.values(options.profile);
    if (specs.isEmpty())
        return usage(QStringLiteral("%1: name a profile with -p KIND:MODEL[@BASE_URL]").arg(command));
    if (!compare && specs.size() > 1)
        return usage(QStringLiteral("run takes one -p; use compare for several profiles"));
    if (specs.size() > kMaxProfiles)
        return usage(
            QStringLiteral("compare takes at most %1 profiles, got %2").arg(kMaxProfiles).arg(specs.size()));
    std::optional<QList<ProviderProfile>> saved;
    for (const QString& spec : specs) {
        auto profile = resolveProfile(spec, saved);
        if (auto* error = std::get_if<CliError>(&profile))
            return *error;
        result.profiles.append(std::get<ProviderProfile>(profile));
    }
    // Each profile's fallback chain: --fallback given here, else the chain saved for it in settings.json.
    QList<ProviderProfile> commandLineFallbacks;
    for (const QString& spec : parser.values(options.fallback)) {
        auto profile = resolveProfile(spec, saved);
        if (auto* error = std::get_if<CliError>(&profile))
            return *error;
        commandLineFallbacks.append(std::get<ProviderProfile>(profile));
    }
    std::optional<Settings> settings;
    for (const ProviderProfile& profile : std::as_const(result.profiles)) {
        if (!commandLineFallbacks.isEmpty()) {
            result.fallbacks.insert(profile.name, commandLineFallbacks);
            continue;
        }
        if (!settings) {
            QString error;
            settings = Settings::load(DataDirectory::filePath(QStringLiteral("settings.json")), &error);
            if (!settings)
                return usage(error);
        }
        for (const QJsonValue& value :
             settings->section(QStringLiteral("fallback")).value(profile.name).toArray()) {
            auto fallback = resolveProfile(value.toString(), saved);
            if (auto* error = std::get_if<CliError>(&fallback))
                return usage(QStringLiteral("the fallback chain of '%1' in settings.json: %2")
                                 .arg(profile.name, error->message));
            result.fallbacks[profile.name].append(std::get<ProviderProfile>(fallback));
        }
    }
    if (compare && parser.isSet(options.synthesize)) {
        auto profile = resolveProfile(parser.value(options.synthesize), saved);
        if (auto* error = std::get_if<CliError>(&profile))
            return *error;
        result.synthesizer = std::get<ProviderProfile>(profile);
    }

    if (parser.isSet(options.maxTokens)) {
        bool ok = false;
        const int value = parser.value(options.maxTokens).toInt(&ok);
        if (!ok || value < 1)
            return usage(QStringLiteral("--max-tokens wants a positive whole number, got '%1'")
                             .arg(parser.value(options.maxTokens)));
        result.request.maxTokens = value;
    }
    if (parser.isSet(options.temperature)) {
        bool ok = false;
        const double value = parser.value(options.temperature).toDouble(&ok);
        if (!ok || !std::isfinite(value) || value < 0 || value > 2)
            return usage(QStringLiteral("--temperature wants a number from 0 to 2, got '%1'")
                             .arg(parser.value(options.temperature)));
        result.request.temperature = value;
    }
    if (parser.isSet(options.timeout)) {
        bool ok = false;
        const double seconds = parser.value(options.timeout).toDouble(&ok);
        if (!ok || !std::isfinite(seconds) || seconds <= 0 || seconds > 86400)
            return usage(QStringLiteral("--timeout wants a number of seconds above 0, got '%1'")
                             .arg(parser.value(options.timeout)));
        result.call.timeoutMs = static_cast<qint64>(seconds * 1000);
    }
    result.request.system = parser.value(options.system);

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
