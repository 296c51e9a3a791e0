#pragma once
// "Add panel": the user types a title and a PromQL query; the query is checked by the
// PromQL parser as they type, and a parse error shows its position ("column 17: ...")
// with the cursor put there. OK stays disabled until the query parses.
#include "../models/panel_definition.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace opsdeck::widgets {

class AddPanelDialog : public QDialog {
    Q_OBJECT
public:
    explicit AddPanelDialog(QWidget *parent = nullptr);
    ~AddPanelDialog() override = default;

    models::PanelDefinition definition() const;

    QLineEdit *titleEdit() const { return m_title; }
    QLineEdit *queryEdit() const { return m_query; }
    QLineEdit *legendEdit() const { return m_legend; }
    QComboBox *unitCombo() const { return m_unit; }
    QPushButton *okButton() const;
    QString errorText() const; // "" while the query and title are valid

private:
    void validate();

    QLineEdit *m_title = nullptr;
    QLineEdit *m_query = nullptr;
    QLineEdit *m_legend = nullptr;
    QComboBox *m_unit = nullptr;
    QLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace opsdeck::widgets
