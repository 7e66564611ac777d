#include "cli/CliApplication.h"

#include <QCoreApplication>

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("parallax"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PARALLAX_VERSION));
    parallax::cli::CliApplication cli;
    // Queued: a command can finish before the event loop runs (a cache hit), and exit() before exec() is
    // lost.
    QObject::connect(&cli, &parallax::cli::CliApplication::finished, &app, &QCoreApplication::exit,
                     Qt::QueuedConnection);
    cli.start(QCoreApplication::arguments());
    return QCoreApplication::exec();
}
