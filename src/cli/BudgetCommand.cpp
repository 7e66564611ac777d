#include "BudgetCommand.h"

#include "cli/CliError.h"
#include "engine/Engine.h"
#include "store/DataDirectory.h"

#include <QCommandLineParser>
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <cstdio>

namespace parallax::cli {

namespace {

void print(FILE* stream, const QString& text) {
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}

int fail(const QString& message) {
    print(stderr, QStringLiteral("parallax-cli: budget: %1\n").arg(message));
    return ExitUsage;
}

QString money(const std::optional<double>& value) {
    return value ? QStringLiteral("$%1").arg(*value, 0, 'f', 2) : QStringLiteral("no limit");
}

} // namespace

int BudgetCommand::run(const QStringList& arguments) {
    QCommandLineParser parser;
    const QCommandLineOption daily{"daily", "Daily limit in USD (0 removes it).", "USD"};
    const QCommandLineOption monthly{"monthly", "Monthly limit in USD (0 removes it).", "USD"};
    const QCommandLineOption json{"json", "Print the status as JSON."};
    parser.addOptions({daily, monthly, json});
    parser.addPositionalArgument("ACTION", "show or set");
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    if (positional.size() != 1 || (action != QLatin1String("show") && action != QLatin1String("set")))
        return fail(QStringLiteral("use 'budget show' or 'budget set [--daily USD] [--monthly USD]'"));

    QString error;
    const QString dataDirectory = DataDirectory::path();
    auto settings =
        Settings::load(QDir(dataDirectory).absoluteFilePath(QStringLiteral("settings.json")), &error);
    if (!settings)
        return fail(error);

    if (action == QLatin1String("set")) {
        if (!parser.isSet(daily) && !parser.isSet(monthly))
            return fail(QStringLiteral("set needs --daily USD and/or --monthly USD"));
        const auto parseAmount = [&parser](const QCommandLineOption& option, std::optional<double>& out) {
            bool ok = false;
            const double value = parser.value(option).toDouble(&ok);
            if (!ok || !std::isfinite(value) || value < 0)
                return false;
            out = value;
            return true;
        };
        if (parser.isSet(daily)) {
            std::optional<double> value;
            if (!parseAmount(daily, value))
                return fail(QStringLiteral("--daily wants an amount in USD of 0 or more, got '%1'")
                                .arg(parser.value(daily)));
            settings->setDailyBudgetUsd(value);
        }
        if (parser.isSet(monthly)) {
            std::optional<double> value;
            if (!parseAmount(monthly, value))
                return fail(QStringLiteral("--monthly wants an amount in USD of 0 or more, got '%1'")
                                .arg(parser.value(monthly)));
            settings->setMonthlyBudgetUsd(value);
        }
        if (!QDir().mkpath(dataDirectory) || !settings->save(&error))
            return fail(error.isEmpty() ? QStringLiteral("cannot create %1").arg(dataDirectory) : error);
    }

    auto engine = Engine::open(nullptr, dataDirectory, &error);
    if (!engine)
        return fail(error);
    const BudgetGuard::Status status = engine->budget().status(engine->now());
    if (parser.isSet(json)) {
        const auto optional = [](const std::optional<double>& value) {
            return value ? QJsonValue(*value) : QJsonValue();
        };
        const QJsonObject object{{"daily_limit_usd", optional(status.dailyLimitUsd)},
                                 {"monthly_limit_usd", optional(status.monthlyLimitUsd)},
                                 {"spent_today_usd", status.spentTodayUsd},
                                 {"spent_this_month_usd", status.spentThisMonthUsd}};
        print(stdout, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented)));
    } else {
        print(stdout, QStringLiteral("today:      $%1 spent of %2\nthis month: $%3 spent of %4\n")
                          .arg(status.spentTodayUsd, 0, 'f', 4)
                          .arg(money(status.dailyLimitUsd))
                          .arg(status.spentThisMonthUsd, 0, 'f', 4)
                          .arg(money(status.monthlyLimitUsd)));
    }
    return ExitSuccess;
}

} // namespace parallax::cli
