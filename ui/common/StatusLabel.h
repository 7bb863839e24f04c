// SPDX-License-Identifier: MIT
#pragma once

#include "ui/common/StatusColors.h"

#include <QLabel>

#include <optional>

namespace Console {

/// A label whose text takes a status colour (an inline error, a test result) from StatusColors and
/// picks it again when the palette changes (the desktop switched to or from dark mode). GUI thread.
class StatusLabel final : public QLabel
{
    Q_OBJECT

public:
    explicit StatusLabel(QWidget *parent = nullptr);

    /// The colour of the text from now on; std::nullopt: the palette's plain text colour.
    void setStatus(std::optional<StatusColors::Status> status);
    std::optional<StatusColors::Status> status() const { return m_status; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColor();

    std::optional<StatusColors::Status> m_status;
    bool m_applying = false;
};

} // namespace Console
