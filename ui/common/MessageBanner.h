// SPDX-License-Identifier: MIT
#pragma once

#include <QFrame>
#include <QTimer>

#include <chrono>

class QLabel;
class QHBoxLayout;
class QPushButton;
class QToolButton;

namespace Console {

/// A non-modal message strip shown at the top of a page (errors, warnings, notes), with optional
/// action buttons and a close button. Hidden until showMessage(). An Info message (a note or a
/// success) without actions dismisses itself after InfoTimeout; warnings and errors stay until
/// fixed (their owner dismisses them) or closed. GUI thread.
class MessageBanner final : public QFrame
{
    Q_OBJECT

public:
    enum class Kind { Info, Warning, Error };
    static constexpr std::chrono::milliseconds InfoTimeout{6000};

    explicit MessageBanner(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text);
    /// Adds a button to the current message; it is removed with the next message.
    QPushButton *addAction(const QString &text);
    /// Adds any widget (e.g. a spin box) next to the actions; removed with the next message.
    void addWidget(QWidget *widget);
    void dismiss();
    QString text() const;
    Kind kind() const { return m_kind; }

signals:
    void dismissed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void clearActions();
    void applyColors();

    Kind m_kind = Kind::Info;
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QHBoxLayout *m_actions = nullptr;
    QToolButton *m_close = nullptr;
    QTimer m_infoTimer; ///< dismisses an Info message without actions
    bool m_applyingColors = false;
};

} // namespace Console
