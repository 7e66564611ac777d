#pragma once

#include <QDialog>

#include <memory>

namespace Ui {
class ProvidersDialog;
}

namespace parallax {

class KeyRing;
class ProfileLibrary;
class ProfileListModel;

/// Add and edit profiles (protocol, name, base URL, model, temperature, max tokens) and set their API
/// keys. A key goes to the KeyRing (the OS keychain) only — it is never part of a profile or of
/// profiles.json — and is never shown again: the field stays masked and empty.
class ProvidersDialog : public QDialog {
    Q_OBJECT
public:
    ProvidersDialog(ProfileLibrary* library, KeyRing* keys, QWidget* parent = nullptr);
    ~ProvidersDialog() override;

    /// Selects a profile by name (or starts a new one when empty).
    void selectProfile(const QString& name);
    QString statusText() const;

signals:
    /// A profile (and its key, when one was typed) was stored.
    void profileSaved(const QString& name);

private:
    void loadProfile(const QString& name);
    void startNewProfile();
    void save();
    void removeCurrent();
    void showKeyState(const QString& name);
    void setStatus(const QString& text, bool error = false);

    std::unique_ptr<Ui::ProvidersDialog> m_ui;
    ProfileLibrary* m_library;
    KeyRing* m_keys;
    ProfileListModel* m_model;
    QString m_editing; ///< name of the profile in the form; empty for a new one
};

} // namespace parallax
