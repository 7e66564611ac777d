#include "cli/CliApplication.h"

#include <QCoreApplication>

int main(int argc, char* argv[]) {
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("parallax"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PARALLAX_VERSION));
    parallax::cli::CliApplication cli;
    QObject::connect(&cli, &parallax::cli::CliApplication::finished, &app, &QCoreApplication::exit);
    cli.start(QCoreApplication::arguments());
    return QCoreApplication::exec();
}
