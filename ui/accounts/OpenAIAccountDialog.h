// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QLineEdit;

namespace Console {

/// Asks for an OpenAI-compatible account (name, base URL, API key) or, in token-only mode, for a new
/// token of an existing account. The key field echoes as a password. GUI thread.
class OpenAIAccountDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Mode { AddAccount, TokenOnly };

    /// @p storedIn says where the token goes, for the sentence "stored in …" (secretBackendText()).
    OpenAIAccountDialog(Mode mode, const QString &accountName, const QString &storedIn,
                        QWidget *parent = nullptr);

    QString name() const;
    QString baseUrl() const;
    QByteArray token() const;

private:
    QLineEdit *m_name = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLineEdit *m_token = nullptr;
};

} // namespace Console
