#include "ProvidersDialog.h"

#include "app/ErrorHint.h"
#include "app/FallbackChainModel.h"
#include "app/KeyRing.h"
#include "app/ProfileLibrary.h"
#include "app/ProfileListModel.h"
#include "engine/Engine.h"
#include "engine/SanitizerConfig.h"
#include "providers/ModelLister.h"
#include "ui_ProvidersDialog.h"

#include <cmath>

#include <QCompleter>
#include <QLocale>
#include <QPushButton>
#include <QUrl>

namespace parallax {

ProvidersDialog::ProvidersDialog(ProfileLibrary* library, KeyRing* keys, Engine* engine, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ProvidersDialog>())
    , m_library(library)
    , m_keys(keys)
    , m_engine(engine)
    , m_model(new ProfileListModel(library, this))
    , m_fallbackModel(new FallbackChainModel(this)) {
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("providersDialog"));
    m_ui->profileList->setModel(m_model);
    for (const QString& kind : providerKindNames())
        m_ui->kindCombo->addItem(kind, kind);
    m_ui->sanitizeCombo->addItem(tr("Automatic"), int(SanitizePolicy::Automatic));
    m_ui->sanitizeCombo->addItem(tr("Always sanitize"), int(SanitizePolicy::AlwaysSanitize));
    m_ui->sanitizeCombo->addItem(tr("Send raw (the text as typed)"), int(SanitizePolicy::SendRaw));
    m_ui->fallbackList->setModel(m_fallbackModel);
    // A provider lists dozens of models: typing any part of a name narrows the list.
    m_ui->modelCombo->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_ui->modelCombo->completer()->setFilterMode(Qt::MatchContains);
    m_ui->modelCombo->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    m_ui->modelCombo->lineEdit()->setPlaceholderText(tr("e.g. gpt-4o-mini"));

    connect(m_ui->kindCombo, &QComboBox::currentIndexChanged, this, [this] {
        const auto kind = formKind();
        if (!kind)
            return;
        m_ui->baseUrlEdit->setPlaceholderText(defaultBaseUrl(*kind).isEmpty() ? tr("required")
                                                                              : defaultBaseUrl(*kind));
        m_ui->keyEdit->setPlaceholderText(requiresApiKey(*kind) ? tr("paste the API key")
                                                                : tr("optional for this protocol"));
        refreshEndpoint(false);
        refreshAutomaticPolicy();
    });
    connect(m_ui->baseUrlEdit, &QLineEdit::editingFinished, this, [this] {
        refreshEndpoint(false);
        refreshAutomaticPolicy();
    });
    connect(m_ui->profileList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    loadProfile(current.data(ProfileListModel::NameRole).toString());
            });
    connect(m_ui->addButton, &QPushButton::clicked, this, &ProvidersDialog::startNewProfile);
    connect(m_ui->removeButton, &QPushButton::clicked, this, &ProvidersDialog::removeCurrent);
    connect(m_ui->saveButton, &QPushButton::clicked, this, &ProvidersDialog::save);
    connect(m_ui->testButton, &QPushButton::clicked, this, &ProvidersDialog::testConnection);
    connect(m_ui->fallbackUpButton, &QToolButton::clicked, this, [this] { moveFallback(-1); });
    connect(m_ui->fallbackDownButton, &QToolButton::clicked, this, [this] { moveFallback(+1); });
    connect(m_keys, &KeyRing::sessionOnlyChanged, this, [this] { showKeyState(m_editing); });

    if (m_engine) {
        m_lister = new ModelLister(m_engine->network(), this);
        connect(m_lister, &ModelLister::finished, this, &ProvidersDialog::onTestFinished);
    } else {
        const QString why = tr("The data folder could not be opened, so these settings cannot be saved.");
        for (QWidget* widget :
             {static_cast<QWidget*>(m_ui->testButton), static_cast<QWidget*>(m_ui->limitsGroup),
              static_cast<QWidget*>(m_ui->sanitizeCombo)}) {
            widget->setEnabled(false);
            widget->setToolTip(why);
        }
    }

    if (m_library->isEmpty())
        startNewProfile();
    else
        selectProfile(m_library->profiles().first().name());
}

ProvidersDialog::~ProvidersDialog() = default;

QString ProvidersDialog::statusText() const {
    return m_ui->statusLabel->text();
}

QString ProvidersDialog::connectionText() const {
    return m_ui->connectionStatus->text();
}

void ProvidersDialog::setStatus(const QString& text, bool error) {
    m_ui->statusLabel->setText(text);
    m_ui->statusLabel->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

void ProvidersDialog::setConnectionStatus(const QString& text, bool error) {
    m_ui->connectionStatus->setText(text);
    m_ui->connectionStatus->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
}

std::optional<ProviderKind> ProvidersDialog::formKind() const {
    return providerKindFromName(m_ui->kindCombo->currentData().toString());
}

std::optional<QUrl> ProvidersDialog::formBaseUrl(ProviderKind kind) const {
    const QString urlText = m_ui->baseUrlEdit->text().trimmed();
    const QUrl url(urlText.isEmpty() ? defaultBaseUrl(kind) : urlText, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty())
        return std::nullopt;
    return url;
}

void ProvidersDialog::selectProfile(const QString& name) {
    const qsizetype row = m_library->indexOf(name);
    if (row < 0) {
        startNewProfile();
        return;
    }
    m_ui->profileList->setCurrentIndex(m_model->index(int(row)));
    loadProfile(name);
}

void ProvidersDialog::startNewProfile() {
    abandonTest();
    m_editing.clear();
    m_ui->profileList->clearSelection();
    m_ui->kindCombo->setCurrentIndex(0);
    m_ui->nameEdit->clear();
    m_ui->baseUrlEdit->clear();
    m_ui->modelCombo->clear();
    m_ui->modelCombo->setEditText(QString());
    m_ui->temperatureSpin->setValue(m_ui->temperatureSpin->minimum());
    m_ui->maxTokensSpin->setValue(0);
    m_ui->keyEdit->clear();
    m_ui->keyStatus->clear();
    m_ui->removeButton->setEnabled(false);
    showSettingsOf(QString());
    m_ui->nameEdit->setFocus();
}

void ProvidersDialog::loadProfile(const QString& name) {
    const std::optional<AppProfile> profile = m_library->find(name);
    if (!profile)
        return;
    if (name != m_editing)
        abandonTest();
    m_editing = name;
    m_ui->kindCombo->setCurrentIndex(m_ui->kindCombo->findData(providerKindName(profile->profile.kind)));
    m_ui->nameEdit->setText(profile->name());
    const QString url = profile->profile.baseUrl.toString();
    m_ui->baseUrlEdit->setText(url == defaultBaseUrl(profile->profile.kind) ? QString() : url);
    m_ui->modelCombo->clear();
    m_ui->modelCombo->setEditText(profile->profile.model);
    m_ui->temperatureSpin->setValue(profile->temperature.value_or(m_ui->temperatureSpin->minimum()));
    m_ui->maxTokensSpin->setValue(profile->maxTokens.value_or(0));
    m_ui->keyEdit->clear();
    m_ui->removeButton->setEnabled(true);
    setStatus(profile->demo ? tr("A demo profile: kept for this session only.") : QString());
    showKeyState(name);
    showSettingsOf(name);
}

void ProvidersDialog::showSettingsOf(const QString& name) {
    // Demo profiles' ports change with every start: another profile cannot rely on one as its fallback.
    QStringList others;
    for (const AppProfile& profile : m_library->profiles()) {
        if (profile.name() != name && !profile.demo)
            others.append(profile.name());
    }
    if (!m_engine) {
        m_fallbackModel->setChoices(others, {});
        return;
    }
    const Settings& settings = m_engine->settings();
    m_fallbackModel->setChoices(
        others, name.isEmpty() ? QStringList() : ProfileSettings::fallbackChain(settings, name), name);
    const SanitizePolicy policy =
        name.isEmpty() ? SanitizePolicy::Automatic : ProfileSettings::sanitizePolicy(settings, name);
    m_ui->sanitizeCombo->setCurrentIndex(m_ui->sanitizeCombo->findData(int(policy)));
    refreshEndpoint(true);
    refreshAutomaticPolicy();
}

void ProvidersDialog::refreshEndpoint(bool force) {
    if (!m_engine)
        return;
    const auto kind = formKind();
    const std::optional<QUrl> url = kind ? formBaseUrl(*kind) : std::nullopt;
    if (!url) {
        m_ui->rateLimitNote->setText(tr("Enter a valid base URL to set the limits of its endpoint."));
        return;
    }
    const QString key = ProfileSettings::rateLimitKey(m_engine->settings(), *url);
    if (!force && key == m_limitsKey)
        return;
    m_limitsKey = key;
    // Limits belong to the endpoint, not the profile: another endpoint in the form shows its own.
    const ProfileSettings::RateLimits limits = ProfileSettings::rateLimits(m_engine->settings(), *url);
    const auto text = [](std::optional<double> value) {
        return value ? QString::number(*value, 'g', 12) : QString();
    };
    m_ui->requestsPerMinuteEdit->setText(text(limits.requestsPerMinute));
    m_ui->tokensPerMinuteEdit->setText(text(limits.tokensPerMinute));
    m_ui->rateLimitNote->setText(
        tr("Limits of %1, shared by every profile there. Empty: no limit of our own (the provider's "
           "still apply; a request waits instead of failing).")
            .arg(key));
}

void ProvidersDialog::refreshAutomaticPolicy() {
    const auto kind = formKind();
    const std::optional<QUrl> url = kind ? formBaseUrl(*kind) : std::nullopt;
    if (!kind || !url)
        return;
    const ProviderProfile probe{m_ui->nameEdit->text().trimmed(), *kind, QString(), *url};
    const bool sanitized = SanitizerConfig::sanitizes(probe, QJsonObject());
    m_ui->sanitizeCombo->setItemText(m_ui->sanitizeCombo->findData(int(SanitizePolicy::Automatic)),
                                     sanitized ? tr("Automatic (sanitized)")
                                               : tr("Automatic (sent as typed: a local Ollama)"));
}

void ProvidersDialog::moveFallback(int delta) {
    const int row = m_ui->fallbackList->currentIndex().row();
    const bool moved = delta < 0 ? m_fallbackModel->moveUp(row) : m_fallbackModel->moveDown(row);
    if (moved)
        m_ui->fallbackList->setCurrentIndex(m_fallbackModel->index(row + delta));
}

void ProvidersDialog::showKeyState(const QString& name) {
    if (name.isEmpty()) {
        m_ui->keyStatus->clear();
        return;
    }
    const std::optional<AppProfile> profile = m_library->find(name);
    if (!profile)
        return;
    const QString where = m_keys->isSessionOnly()
                              ? tr("⚠ No keychain answered: keys are kept for this session only.")
                              : tr("Keys are stored in your system keychain, never in a file.");
    m_keys->key(name, profile->profile.kind, this, [this, name, where](std::optional<QString> key) {
        if (name != m_editing)
            return;
        m_ui->keyStatus->setText(
            (key ? tr("A key is set (hidden); type a new one to replace it. ") : tr("No key set. ")) + where);
    });
}

bool ProvidersDialog::readLimit(const QString& text, const QString& what, std::optional<double>* value,
                                QString* error) const {
    value->reset();
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return true;
    bool ok = false;
    double number = QLocale().toDouble(trimmed, &ok);
    if (!ok)
        number = trimmed.toDouble(&ok); // "1.5" whatever the locale
    if (!ok || !std::isfinite(number) || number < 0) {
        *error =
            tr("%1 must be a number of 0 or more, or empty for no limit; “%2” is not.").arg(what, trimmed);
        return false;
    }
    if (number > 0)
        *value = number;
    return true;
}

void ProvidersDialog::save() {
    const auto kind = formKind();
    const QString name = m_ui->nameEdit->text().trimmed();
    const QString model = m_ui->modelCombo->currentText().trimmed();
    // Read before the list is refreshed: selecting the saved profile reloads (and empties) the form.
    const QString key = m_ui->keyEdit->text().trimmed();
    if (!kind || name.isEmpty()) {
        setStatus(tr("Give the profile a name."), true);
        return;
    }
    if (model.isEmpty()) {
        setStatus(tr("Name the model, e.g. gpt-4o-mini (Test connection lists those the provider offers)."),
                  true);
        return;
    }
    if (name != m_editing && m_library->indexOf(name) >= 0) {
        setStatus(tr("A profile named “%1” already exists.").arg(name), true);
        return;
    }
    const std::optional<QUrl> url = formBaseUrl(*kind);
    if (!url) {
        setStatus(tr("The base URL must be an http:// or https:// address."), true);
        return;
    }
    ProfileSettings::RateLimits limits;
    const QStringList chain = m_fallbackModel->chain();
    const auto policy = static_cast<SanitizePolicy>(m_ui->sanitizeCombo->currentData().toInt());
    if (m_engine) {
        QString error;
        if (!readLimit(m_ui->requestsPerMinuteEdit->text(), tr("Requests per minute"),
                       &limits.requestsPerMinute, &error) ||
            !readLimit(m_ui->tokensPerMinuteEdit->text(), tr("Tokens per minute"), &limits.tokensPerMinute,
                       &error)) {
            setStatus(error + QLatin1Char(' ') + tr("Nothing was saved."), true);
            return;
        }
        for (const QString& entry : chain) {
            if (entry == name || (!m_editing.isEmpty() && entry == m_editing)) {
                setStatus(tr("“%1” cannot fall back to itself: uncheck it under Fallback. Nothing was saved.")
                              .arg(entry),
                          true);
                return;
            }
        }
        // What was written to settings.json since it was read stays: changes go on top of the file.
        if (!m_engine->settings().reload(&error)) {
            setStatus(tr("%1 Nothing was saved.").arg(error), true);
            return;
        }
    }

    AppProfile profile = m_library->find(m_editing).value_or(AppProfile{});
    profile.profile = ProviderProfile{name, *kind, model, *url};
    profile.temperature.reset();
    if (m_ui->temperatureSpin->value() > m_ui->temperatureSpin->minimum())
        profile.temperature = m_ui->temperatureSpin->value();
    profile.maxTokens.reset();
    if (m_ui->maxTokensSpin->value() > 0)
        profile.maxTokens = m_ui->maxTokensSpin->value();
    const QString previous = m_editing;
    m_library->upsert(profile, previous);
    QString error;
    if (!m_library->save(&error)) {
        setStatus(error, true);
        return;
    }
    // Before the list selects the saved profile: selecting it shows its settings again.
    QString settingsError;
    const bool settingsWritten =
        !m_engine || writeSettings(previous, name, *url, limits, chain, policy, &settingsError);
    m_editing = name;
    m_ui->profileList->setCurrentIndex(m_model->index(int(m_library->indexOf(name))));
    if (!settingsWritten) {
        setStatus(tr("The profile was saved, but its limits, fallback and sanitizing were not: %1")
                      .arg(settingsError),
                  true);
        return;
    }

    m_ui->keyEdit->clear(); // never kept in the widget longer than needed
    if (key.isEmpty()) {
        setStatus(tr("Saved."));
        showKeyState(name);
        emit profileSaved(name);
        return;
    }
    setStatus(tr("Saved; storing the key…"));
    m_keys->setKey(name, key, this, [this, name](const SecretResult& result) {
        if (!result.ok())
            setStatus(tr("The profile was saved, but the key was not: %1").arg(result.message), true);
        else if (m_keys->isSessionOnly())
            setStatus(tr("Saved. The key is kept for this session only (no keychain answered)."));
        else
            setStatus(tr("Saved, with the key in your system keychain."));
        showKeyState(name);
        emit profileSaved(name);
    });
}

bool ProvidersDialog::writeSettings(const QString& previous, const QString& name, const QUrl& url,
                                    const ProfileSettings::RateLimits& limits, const QStringList& chain,
                                    SanitizePolicy policy, QString* error) {
    Settings& settings = m_engine->settings();
    if (!previous.isEmpty())
        ProfileSettings::renameProfile(settings, previous, name);
    ProfileSettings::setRateLimits(settings, url, limits);
    ProfileSettings::setFallbackChain(settings, name, chain);
    ProfileSettings::setSanitizePolicy(settings, name, policy);
    if (!settings.save(error))
        return false;
    m_engine->applyRateLimits();
    emit settingsSaved();
    return true;
}

void ProvidersDialog::removeCurrent() {
    if (m_editing.isEmpty())
        return;
    const QString name = m_editing;
    m_library->remove(name);
    m_keys->removeKey(name);
    QString error;
    if (!m_library->save(&error)) {
        setStatus(error, true);
        startNewProfile();
        return;
    }
    setStatus(tr("Removed “%1”.").arg(name));
    if (m_engine) {
        // Its chain and policy go with it, and chains that named it no longer do.
        Settings& settings = m_engine->settings();
        if (!settings.reload(&error)) {
            setStatus(tr("Removed “%1”; settings.json was left as it is: %2").arg(name, error), true);
        } else {
            ProfileSettings::removeProfile(settings, name);
            if (settings.save(&error))
                emit settingsSaved();
            else
                setStatus(tr("Removed “%1”; settings.json was left as it is: %2").arg(name, error), true);
        }
    }
    startNewProfile();
}

void ProvidersDialog::testConnection() {
    if (!m_lister)
        return;
    const auto kind = formKind();
    const std::optional<QUrl> url = kind ? formBaseUrl(*kind) : std::nullopt;
    if (!url) {
        setConnectionStatus(tr("The base URL must be an http:// or https:// address."), true);
        return;
    }
    abandonTest();
    const QString name = m_ui->nameEdit->text().trimmed();
    m_testName = name.isEmpty() ? tr("this profile") : name;
    const ProviderProfile profile{m_testName, *kind, m_ui->modelCombo->currentText().trimmed(), *url};
    m_ui->testButton->setEnabled(false);
    setConnectionStatus(tr("Connecting to %1…").arg(url->host()));
    const quint64 generation = m_testGeneration;
    const QString typed = m_ui->keyEdit->text().trimmed();
    if (!typed.isEmpty() || m_editing.isEmpty()) {
        m_listerGeneration = generation;
        m_lister->start(profile, typed);
        return;
    }
    // Nothing typed: the key a request would use (the saved one, else the environment's).
    m_keys->key(m_editing, *kind, this, [this, profile, generation](std::optional<QString> key) {
        if (generation != m_testGeneration)
            return; // the form moved on meanwhile
        m_listerGeneration = generation;
        m_lister->start(profile, key.value_or(QString()));
    });
}

void ProvidersDialog::abandonTest() {
    ++m_testGeneration;
    if (m_lister && m_lister->isRunning())
        m_lister->cancel(); // its finished() belongs to an older generation and is ignored
    m_ui->testButton->setEnabled(m_lister != nullptr);
    m_ui->connectionStatus->clear();
}

void ProvidersDialog::onTestFinished() {
    if (m_listerGeneration != m_testGeneration)
        return;
    m_ui->testButton->setEnabled(true);
    if (const std::optional<ProviderError>& error = m_lister->error()) {
        setConnectionStatus(ErrorHint::sentence(*error, m_testName), true);
        return;
    }
    const qsizetype count = m_lister->models().size();
    setConnectionStatus(count == 1 ? tr("Connected: 1 model") : tr("Connected: %1 models").arg(count));
    fillModels(m_lister->models());
}

void ProvidersDialog::fillModels(const QStringList& models) {
    // The model typed stays as it is; the list offers the others.
    const QString typed = m_ui->modelCombo->currentText();
    m_ui->modelCombo->clear();
    m_ui->modelCombo->addItems(models);
    m_ui->modelCombo->setCurrentIndex(int(models.indexOf(typed)));
    m_ui->modelCombo->setEditText(typed);
}

} // namespace parallax
