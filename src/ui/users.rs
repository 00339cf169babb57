//! User management (admins): add, set a PIN, disable.

use egui::RichText;

use crate::app::UserSummary;
use crate::domain::Role;
use crate::i18n::{Text, tr};

pub enum UserAction {
    Load,
    Add {
        name: String,
        role: String,
        pin: String,
    },
    SetPin {
        name: String,
        pin: String,
    },
    Disable(String),
}

#[derive(Default)]
pub struct UsersScreen {
    pub users: Option<Vec<UserSummary>>,
    pub new_name: String,
    pub new_role: usize,
    pub new_pin: String,
    /// PIN being typed per user row.
    pub pins: std::collections::BTreeMap<String, String>,
}

impl super::View for UsersScreen {
    type Action = UserAction;

    fn ui(&mut self, ui: &mut egui::Ui, cx: &super::ViewContext, actions: &mut Vec<UserAction>) {
        let lang = cx.lang;
        let Some(users) = &self.users else {
            actions.push(UserAction::Load);
            self.users = Some(Vec::new());
            return;
        };
        ui.heading(tr(lang, Text::Users));
        egui::Grid::new("users")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for user in users {
                    ui.label(RichText::new(&user.name).strong());
                    ui.label(crate::i18n::role_name(lang, user.role));
                    ui.label(if !user.active {
                        tr(lang, Text::Disabled)
                    } else if user.locked {
                        tr(lang, Text::UserLocked)
                    } else {
                        ""
                    });
                    let pin = self.pins.entry(user.name.clone()).or_default();
                    let label = ui.label(tr(lang, Text::Pin));
                    ui.add(
                        egui::TextEdit::singleline(pin)
                            .password(true)
                            .desired_width(80.0),
                    )
                    .labelled_by(label.id);
                    ui.horizontal(|ui| {
                        if ui.button(tr(lang, Text::SetPin)).clicked() {
                            actions.push(UserAction::SetPin {
                                name: user.name.clone(),
                                pin: std::mem::take(pin),
                            });
                        }
                        if user.active && ui.button(tr(lang, Text::Disable)).clicked() {
                            actions.push(UserAction::Disable(user.name.clone()));
                        }
                    });
                    ui.end_row();
                }
            });
        ui.separator();
        ui.label(RichText::new(tr(lang, Text::AddUser)).strong());
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, Text::User));
            ui.add(egui::TextEdit::singleline(&mut self.new_name).desired_width(140.0))
                .labelled_by(label.id);
            let label = ui.label(tr(lang, Text::UserRole));
            let role = egui::ComboBox::from_id_salt("role")
                .selected_text(crate::i18n::role_name(lang, Role::ALL[self.new_role]))
                .show_ui(ui, |ui| {
                    for (index, role) in Role::ALL.iter().enumerate() {
                        ui.selectable_value(
                            &mut self.new_role,
                            index,
                            crate::i18n::role_name(lang, *role),
                        );
                    }
                });
            role.response.labelled_by(label.id);
            let label = ui.label(tr(lang, Text::Pin));
            ui.add(
                egui::TextEdit::singleline(&mut self.new_pin)
                    .password(true)
                    .desired_width(80.0),
            )
            .labelled_by(label.id);
            if ui.button(tr(lang, Text::AddUser)).clicked() {
                actions.push(UserAction::Add {
                    name: self.new_name.trim().to_string(),
                    role: Role::ALL[self.new_role].code().to_string(),
                    pin: std::mem::take(&mut self.new_pin),
                });
            }
        });
    }
}
