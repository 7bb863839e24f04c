// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

#include <functional>

class QFormLayout;
class QLineEdit;

namespace Console {

/// Asks for an OpenAI-compatible account (name, base URL, API key, an optional company CA file) or,
/// in token-only mode, for a new token of an existing account, or in CA-only mode for the CA file of
/// an existing account. The key field echoes as a password. GUI thread.
class OpenAIAccountDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Mode { AddAccount, TokenOnly, CaOnly };

    /// @p storedIn says where the token goes, for the sentence "stored in …" (secretBackendText());
    /// in CA-only mode it is the CA the account trusts now (empty: none).
    OpenAIAccountDialog(Mode mode, const QString &accountName, const QString &storedIn,
                        QWidget *parent = nullptr);

    /// What "Browse…" next to the CA field asks (a file dialog through DialogService); empty = cancelled.
    void setCaFileChooser(std::function<QString()> chooser) { m_chooseCaFile = std::move(chooser); }

    QString name() const;
    QString baseUrl() const;
    QByteArray token() const;
    QString caFile() const; ///< empty: system CAs only

private:
    void addCaRow(QFormLayout *form);

    QLineEdit *m_name = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLineEdit *m_token = nullptr;
    QLineEdit *m_caFile = nullptr;
    std::function<QString()> m_chooseCaFile;
};

} // namespace Console
