#pragma once

#include "engine/ProfileSettings.h"
#include "providers/ProviderKind.h"

#include <QDialog>
#include <QUrl>

#include <memory>
#include <optional>

namespace Ui {
class ProvidersDialog;
}

namespace parallax {

class Engine;
class FallbackChainModel;
class KeyRing;
class ModelLister;
class ProfileLibrary;
class ProfileListModel;

/// Add and edit profiles (protocol, name, base URL, model, temperature, max tokens) and set their API
/// keys. A key goes to the KeyRing (the OS keychain) only — it is never part of a profile or of
/// profiles.json — and is never shown again: the field stays masked and empty.
///
/// Test connection lists the provider's models with the key as typed (nothing is saved) and fills the
/// model list from it. What the engine reads from settings.json is edited here too, per profile: its
/// endpoint's rate limits, its fallback chain and its sanitize policy. They are written into the
/// engine's settings (re-read from the file first, so nothing written there meanwhile is lost) and apply
/// from the next request on.
class ProvidersDialog : public QDialog {
    Q_OBJECT
public:
    /// `engine`: whose settings and network are used; null when the data folder could not be opened
    /// (then only profiles and keys can be edited).
    ProvidersDialog(ProfileLibrary* library, KeyRing* keys, Engine* engine, QWidget* parent = nullptr);
    ~ProvidersDialog() override;

    /// Selects a profile by name (or starts a new one when empty).
    void selectProfile(const QString& name);
    QString statusText() const;
    /// What Test connection last said.
    QString connectionText() const;

signals:
    /// A profile (and its key, when one was typed) was stored.
    void profileSaved(const QString& name);
    /// settings.json changed (limits, fallback chains, sanitize policies).
    void settingsSaved();

private:
    void loadProfile(const QString& name);
    void startNewProfile();
    void save();
    void removeCurrent();
    void showKeyState(const QString& name);
    void setStatus(const QString& text, bool error = false);
    void setConnectionStatus(const QString& text, bool error = false);

    /// The base URL in the form (the protocol's default when empty), if it is a usable one.
    std::optional<QUrl> formBaseUrl(ProviderKind kind) const;
    std::optional<ProviderKind> formKind() const;
    /// Shows the limits of the endpoint in the form; `force` reloads them even if it did not change.
    void refreshEndpoint(bool force);
    /// Names what "Automatic" means for the profile in the form.
    void refreshAutomaticPolicy();
    void showSettingsOf(const QString& name);
    /// Reads a limit field: empty (or 0) is none; false with a sentence for anything else that is not
    /// a number of 0 or more.
    bool readLimit(const QString& text, const QString& what, std::optional<double>* value,
                   QString* error) const;
    /// Writes the profile's settings; false with a sentence when settings.json could not be written.
    bool writeSettings(const QString& previous, const QString& name, const QUrl& url,
                       const ProfileSettings::RateLimits& limits, const QStringList& chain,
                       SanitizePolicy policy, QString* error);

    void testConnection();
    void onTestFinished();
    /// Forgets a test still running (the form moved to another profile).
    void abandonTest();
    void fillModels(const QStringList& models);
    void moveFallback(int delta);

    std::unique_ptr<Ui::ProvidersDialog> m_ui;
    ProfileLibrary* m_library;
    KeyRing* m_keys;
    Engine* m_engine;
    ProfileListModel* m_model;
    FallbackChainModel* m_fallbackModel;
    ModelLister* m_lister = nullptr;
    QString m_editing;   ///< name of the profile in the form; empty for a new one
    QString m_limitsKey; ///< the rate_limits entry the limit fields show
    QString m_testName;  ///< the profile name the running test speaks of
    quint64 m_testGeneration = 0;
    quint64 m_listerGeneration = 0;
};

} // namespace parallax
