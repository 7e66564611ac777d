#pragma once

// Shared set-up of the window tests: a fresh data folder per test, settings in Qt's test folder, and
// profiles pointing at an in-process parallax-mock.

#include "app/MainWindow.h"
#include "secrets/SessionSecretStore.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <memory>

namespace parallax::test {

inline void setUpApplication(const char* name) {
    QStandardPaths::setTestModeEnabled(true); // settings go to a test folder, not the user's
    QCoreApplication::setOrganizationName(QStringLiteral("parallax-tests"));
    QCoreApplication::setApplicationName(QString::fromLatin1(name));
}

/// A fresh PARALLAX_DATA_DIR and empty QSettings for one test.
inline std::unique_ptr<QTemporaryDir> freshDataDir() {
    auto dir = std::make_unique<QTemporaryDir>();
    qputenv("PARALLAX_DATA_DIR", dir->path().toUtf8());
    QSettings().clear();
    return dir;
}

/// profiles.json with an OpenAI-, an Anthropic- and a Gemini-protocol profile at the mock.
inline void writeMockProfiles(const QString& dataDir, const QString& mockBaseUrl, int count = 3) {
    const QJsonArray all{
        QJsonObject{
            {"name", "gpt"}, {"kind", "openai"}, {"model", "gpt-mock"}, {"base_url", mockBaseUrl + "/v1"}},
        QJsonObject{
            {"name", "claude"}, {"kind", "anthropic"}, {"model", "claude-mock"}, {"base_url", mockBaseUrl}},
        QJsonObject{
            {"name", "gemini"}, {"kind", "gemini"}, {"model", "gemini-mock"}, {"base_url", mockBaseUrl}},
    };
    QJsonArray chosen;
    for (int i = 0; i < count; ++i)
        chosen.append(all.at(i));
    QFile file(dataDir + QStringLiteral("/profiles.json"));
    file.open(QIODevice::WriteOnly);
    file.write(QJsonDocument(QJsonObject{{"profiles", chosen}}).toJson());
}

/// A window whose "keychain" is a fake in memory.
inline std::unique_ptr<MainWindow> makeWindow() {
    return std::make_unique<MainWindow>(std::make_unique<SessionSecretStore>());
}

} // namespace parallax::test
