// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>

#include <chrono>
#include <functional>

class QAbstractButton;
class QAction;

namespace Console {

/// The one feedback every Copy button and action gives (issue 13): its text reads "Copied ✓" for
/// Duration, then its own text again. Construct one per button (it becomes the button's child) and
/// call show() after copying. GUI thread.
class CopyFeedback final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CopyFeedback)

public:
    static constexpr std::chrono::milliseconds Duration{2000};

    explicit CopyFeedback(QAbstractButton &button);
    explicit CopyFeedback(QAction &action);

    void show();
    /// "Copied ✓"
    static QString copiedText();

private:
    CopyFeedback(QObject &owner, QString text, std::function<void(const QString &)> setText);

    QString m_text; ///< the button's own text, restored after Duration
    std::function<void(const QString &)> m_setText;
    QTimer m_timer;
};

} // namespace Console
