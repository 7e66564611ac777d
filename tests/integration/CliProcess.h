#pragma once

// Running the real parallax-cli from the batch tests and reading the JSONL it writes.

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>

namespace parallax::testing {

struct CliResult {
    int exitCode = -1; ///< -1 when the process did not finish in time (it is killed)
    QByteArray err;
};

inline CliResult runCli(const QProcessEnvironment& environment, const QStringList& arguments, int waitMs) {
    QProcess process;
    process.setProcessEnvironment(environment);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(PARALLAX_CLI_PATH), arguments);
    if (!finished.wait(waitMs)) {
        process.kill();
        return {};
    }
    return {process.exitCode(), process.readAllStandardError()};
}

/// One object per non-empty line; empty when the file cannot be read.
inline QList<QJsonObject> readJsonLines(const QString& path) {
    QList<QJsonObject> lines;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return lines;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (!line.trimmed().isEmpty())
            lines.append(QJsonDocument::fromJson(line).object());
    }
    return lines;
}

} // namespace parallax::testing
