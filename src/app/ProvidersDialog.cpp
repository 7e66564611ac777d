#include "ProvidersDialog.h"

#include "app/KeyRing.h"
#include "app/ProfileLibrary.h"
#include "app/ProfileListModel.h"
#include "ui_ProvidersDialog.h"

#include <QPushButton>
#include <QUrl>

namespace parallax {

ProvidersDialog::ProvidersDialog(ProfileLibrary* library, KeyRing* keys, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ProvidersDialog>())
    , m_library(library)
    , m_keys(keys)
    , m_model(new ProfileListModel(library, this)) {
    m_ui->setupUi(this);
    setObjectName(QStringLiteral("providersDialog"));
    m_ui->profileList->setModel(m_model);
    for (const QString& kind : providerKindNames())
        m_ui->kindCombo->addItem(kind, kind);

    connect(m_ui->kindCombo, &QComboBox::currentIndexChanged, this, [this] {
        const auto kind = providerKindFromName(m_ui->kindCombo->currentData().toString());
        if (!kind)
            return;
        m_ui->baseUrlEdit->setPlaceholderText(defaultBaseUrl(*kind).isEmpty() ? tr("required")
                                                                              : defaultBaseUrl(*kind));
        m_ui->keyEdit->setPlaceholderText(requiresApiKey(*kind) ? tr("paste the API key")
                                                                : tr("optional for this protocol"));
    });
    connect(m_ui->profileList->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid())
                    loadProfile(current.data(ProfileListModel::NameRole).toString());
            });
    connect(m_ui->addButton, &QPushButton::clicked, this, &ProvidersDialog::startNewProfile);
    connect(m_ui->removeButton, &QPushButton::clicked, this, &ProvidersDialog::removeCurrent);
    connect(m_ui->saveButton, &QPushButton::clicked, this, &ProvidersDialog::save);
    connect(m_keys, &KeyRing::sessionOnlyChanged, this, [this] { showKeyState(m_editing); });

    if (m_library->isEmpty())
        startNewProfile();
    else
        selectProfile(m_library->profiles().first().name());
}

ProvidersDialog::~ProvidersDialog() = default;

QString ProvidersDialog::statusText() const {
    return m_ui->statusLabel->text();
}

void ProvidersDialog::setStatus(const QString& text, bool error) {
    m_ui->statusLabel->setText(text);
    m_ui->statusLabel->setStyleSheet(error ? QStringLiteral("color: #c0392b;") : QString());
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
    m_editing.clear();
    m_ui->profileList->clearSelection();
    m_ui->kindCombo->setCurrentIndex(0);
    m_ui->nameEdit->clear();
    m_ui->baseUrlEdit->clear();
    m_ui->modelEdit->clear();
    m_ui->temperatureSpin->setValue(m_ui->temperatureSpin->minimum());
    m_ui->maxTokensSpin->setValue(0);
    m_ui->keyEdit->clear();
    m_ui->keyStatus->clear();
    m_ui->removeButton->setEnabled(false);
    m_ui->nameEdit->setFocus();
}

void ProvidersDialog::loadProfile(const QString& name) {
    const std::optional<AppProfile> profile = m_library->find(name);
    if (!profile)
        return;
    m_editing = name;
    m_ui->kindCombo->setCurrentIndex(m_ui->kindCombo->findData(providerKindName(profile->profile.kind)));
    m_ui->nameEdit->setText(profile->name());
    const QString url = profile->profile.baseUrl.toString();
    m_ui->baseUrlEdit->setText(url == defaultBaseUrl(profile->profile.kind) ? QString() : url);
    m_ui->modelEdit->setText(profile->profile.model);
    m_ui->temperatureSpin->setValue(profile->temperature.value_or(m_ui->temperatureSpin->minimum()));
    m_ui->maxTokensSpin->setValue(profile->maxTokens.value_or(0));
    m_ui->keyEdit->clear();
    m_ui->removeButton->setEnabled(true);
    setStatus(profile->demo ? tr("A demo profile: kept for this session only.") : QString());
    showKeyState(name);
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

void ProvidersDialog::save() {
    const auto kind = providerKindFromName(m_ui->kindCombo->currentData().toString());
    const QString name = m_ui->nameEdit->text().trimmed();
    const QString model = m_ui->modelEdit->text().trimmed();
    const QString urlText = m_ui->baseUrlEdit->text().trimmed();
    // Read before the list is refreshed: selecting the saved profile reloads (and empties) the form.
    const QString key = m_ui->keyEdit->text().trimmed();
    if (!kind || name.isEmpty()) {
        setStatus(tr("Give the profile a name."), true);
        return;
    }
    if (model.isEmpty()) {
        setStatus(tr("Name the model, e.g. gpt-4o-mini."), true);
        return;
    }
    if (name != m_editing && m_library->indexOf(name) >= 0) {
        setStatus(tr("A profile named “%1” already exists.").arg(name), true);
        return;
    }
    const QUrl url(urlText.isEmpty() ? defaultBaseUrl(*kind) : urlText, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
        url.host().isEmpty()) {
        setStatus(tr("The base URL must be an http:// or https:// address."), true);
        return;
    }

    AppProfile profile = m_library->find(m_editing).value_or(AppProfile{});
    profile.profile = ProviderProfile{name, *kind, model, url};
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
    m_editing = name;
    m_ui->profileList->setCurrentIndex(m_model->index(int(m_library->indexOf(name))));

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

void ProvidersDialog::removeCurrent() {
    if (m_editing.isEmpty())
        return;
    const QString name = m_editing;
    m_library->remove(name);
    m_keys->removeKey(name);
    QString error;
    if (!m_library->save(&error))
        setStatus(error, true);
    else
        setStatus(tr("Removed “%1”.").arg(name));
    startNewProfile();
}

} // namespace parallax
