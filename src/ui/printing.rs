//! Printing screens: the staff's reprint screen (find an order, copy or reissue a ticket),
//! the printer settings (admins) and the ticket pictures. Draw and send actions only.

use crate::domain::ids::OrderNumber;
use egui::RichText;

use crate::app::views::PrinterView;
use crate::app::{PrintMode, ReprintOrder, ReprintTicket};
use crate::i18n::{Lang, Text, tr};
use crate::printing::Raster;

pub enum PrintAction {
    /// Print the order's tickets that did not reach a printer.
    Retry(OrderNumber),
    Search(String),
    Ticket(String, PrintMode),
    LoadPrinters,
    SavePrinter {
        name: String,
        transport: String,
        language: String,
        make_default: bool,
    },
    PrintTest(String),
    Status(String),
}

/// The staff's reprint screen.
#[derive(Default)]
pub struct ReprintScreen {
    pub query: String,
    pub orders: Vec<ReprintOrder>,
    /// The search has had the keyboard once (a scan lands there as soon as the screen opens).
    focused: bool,
    /// Enter came with a scanned code: print a copy once the search has found it.
    copy_when_found: bool,
}

impl super::View for ReprintScreen {
    type Action = PrintAction;

    fn ui(&mut self, ui: &mut egui::Ui, cx: &super::ViewContext, actions: &mut Vec<PrintAction>) {
        let lang = cx.lang;
        ui.heading(tr(lang, Text::Reprint));
        self.search_ui(ui, lang, actions);
        self.copy_the_scanned(actions);
        egui::ScrollArea::vertical().show(ui, |ui| {
            for order in &self.orders {
                ui.separator();
                let mut title = format!(
                    "{} {} – {}",
                    tr(lang, Text::OrderNumber),
                    order.hit.order_number,
                    order.hit.event
                );
                if let Some(customer) = order.hit.customer_name.as_deref() {
                    title.push_str(&format!(" – {customer}"));
                }
                ui.label(RichText::new(title).strong());
                for ticket in &order.tickets {
                    ticket_row_ui(ui, lang, ticket, actions);
                }
            }
        });
    }
}

impl ReprintScreen {
    /// The search: it has the keyboard, results as you type, a scanner's Enter asks for a copy.
    fn search_ui(&mut self, ui: &mut egui::Ui, lang: Lang, actions: &mut Vec<PrintAction>) {
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, Text::FindOrder));
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.query).desired_width(320.0))
                .labelled_by(label.id);
            if !self.focused {
                field.request_focus();
                self.focused = true;
            }
            if field.changed() {
                actions.push(PrintAction::Search(self.query.clone()));
            }
            if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                self.copy_when_found = true;
                field.request_focus();
            }
        });
    }

    /// A scanned code and Enter: a copy of that ticket once it is found, no mouse needed.
    fn copy_the_scanned(&mut self, actions: &mut Vec<PrintAction>) {
        let Some(scanned) =
            crate::domain::TicketCode::parse(&self.query).filter(|_| self.copy_when_found)
        else {
            self.copy_when_found = false;
            return;
        };
        let found = self
            .orders
            .iter()
            .flat_map(|o| &o.tickets)
            .find(|t| crate::domain::TicketCode::parse(&t.code).as_ref() == Some(&scanned));
        if let Some(ticket) = found {
            self.copy_when_found = false;
            if ticket.state == crate::domain::TicketState::Valid {
                actions.push(PrintAction::Ticket(ticket.code.clone(), PrintMode::Copy));
            }
        }
    }
}

/// A ticket as printed: its code with the hyphens, category, seat, state in words, whether it
/// ever printed; a valid one can be copied or reissued (a reissue asks first).
fn ticket_row_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    ticket: &ReprintTicket,
    actions: &mut Vec<PrintAction>,
) {
    ui.horizontal(|ui| {
        ui.label(
            RichText::new(crate::i18n::code_text(&ticket.code))
                .monospace()
                .size(18.0),
        );
        ui.label(&ticket.category);
        if let Some(seat) = &ticket.seat {
            ui.label(seat);
        }
        ui.label(crate::i18n::ticket_state(lang, ticket.state.as_str()));
        if !ticket.printed {
            ui.colored_label(super::theme::BAD, tr(lang, Text::NotPrintedBanner));
        }
        if ticket.state == crate::domain::TicketState::Valid {
            if ui.button(tr(lang, Text::PrintCopy)).clicked() {
                actions.push(PrintAction::Ticket(ticket.code.clone(), PrintMode::Copy));
            }
            if ui.button(tr(lang, Text::PrintReissue)).clicked() {
                actions.push(PrintAction::Ticket(ticket.code.clone(), PrintMode::Reissue));
            }
        }
    });
}

/// The printer settings (admins): configured printers, the system's queues, a form.
pub struct PrintersScreen {
    pub printers: Option<Vec<PrinterView>>,
    pub system_queues: Vec<String>,
    pub name: String,
    pub transport: String,
    pub language: String,
    pub make_default: bool,
}

impl Default for PrintersScreen {
    fn default() -> Self {
        PrintersScreen {
            printers: None,
            system_queues: Vec::new(),
            name: String::new(),
            transport: String::new(),
            language: pc43d::Language::Fingerprint.code().into(),
            make_default: false,
        }
    }
}

impl super::View for PrintersScreen {
    type Action = PrintAction;

    fn ui(&mut self, ui: &mut egui::Ui, cx: &super::ViewContext, actions: &mut Vec<PrintAction>) {
        let lang = cx.lang;
        let Some(printers) = &self.printers else {
            actions.push(PrintAction::LoadPrinters);
            self.printers = Some(Vec::new());
            return;
        };
        ui.heading(tr(lang, Text::Printers));
        egui::Grid::new("printers")
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                for printer in printers {
                    ui.label(RichText::new(&printer.name).strong());
                    ui.monospace(&printer.transport);
                    ui.label(&printer.language);
                    ui.label(if printer.is_default {
                        tr(lang, Text::DefaultPrinter)
                    } else {
                        ""
                    });
                    if ui.button(tr(lang, Text::PrintTestTicket)).clicked() {
                        actions.push(PrintAction::PrintTest(printer.name.clone()));
                    }
                    if ui.button(tr(lang, Text::PrinterStatusButton)).clicked() {
                        actions.push(PrintAction::Status(printer.name.clone()));
                    }
                    ui.end_row();
                }
            });
        ui.separator();
        ui.label(tr(lang, Text::SystemQueues));
        ui.horizontal_wrapped(|ui| {
            for queue in &self.system_queues {
                if ui.button(queue).clicked() {
                    self.transport = format!("queue:{queue}");
                    if self.name.is_empty() {
                        self.name = queue.clone();
                    }
                }
            }
        });
        ui.separator();
        self.printer_form_ui(ui, lang, actions);
    }
}

impl PrintersScreen {
    /// The form that adds (or changes) a printer.
    fn printer_form_ui(&mut self, ui: &mut egui::Ui, lang: Lang, actions: &mut Vec<PrintAction>) {
        egui::Grid::new("printer form")
            .num_columns(2)
            .show(ui, |ui| {
                let label = ui.label(tr(lang, Text::PrinterName));
                ui.text_edit_singleline(&mut self.name)
                    .labelled_by(label.id);
                ui.end_row();
                let label = ui.label(tr(lang, Text::PrinterTransport));
                ui.add(
                    egui::TextEdit::singleline(&mut self.transport)
                        .hint_text("tcp:10.0.0.5:9100 | serial:COM3:9600 | queue:NAME | file:PATH")
                        .desired_width(360.0),
                )
                .labelled_by(label.id);
                ui.end_row();
                ui.label(tr(lang, Text::PrinterLanguage));
                ui.horizontal(|ui| {
                    for language in pc43d::Language::ALL {
                        ui.radio_value(
                            &mut self.language,
                            language.code().to_string(),
                            language.code(),
                        );
                    }
                });
                ui.end_row();
                ui.checkbox(&mut self.make_default, tr(lang, Text::DefaultPrinter));
                ui.end_row();
            });
        if ui.button(tr(lang, Text::SavePrinter)).clicked() {
            actions.push(PrintAction::SavePrinter {
                name: self.name.clone(),
                transport: self.transport.clone(),
                language: self.language.clone(),
                make_default: self.make_default,
            });
        }
    }
}

/// The texture of one ticket picture (upload only: the picture was drawn on the service thread).
pub fn preview_texture(ctx: &egui::Context, name: &str, raster: &Raster) -> egui::TextureHandle {
    let image = egui::ColorImage::from_gray(
        [raster.width as usize, raster.height as usize],
        &raster.pixels,
    );
    ctx.load_texture(name, image, egui::TextureOptions::LINEAR)
}

/// The ticket pictures side by side at `scale`.
pub fn previews_ui(ui: &mut egui::Ui, lang: Lang, textures: &[egui::TextureHandle], scale: f32) {
    ui.horizontal_wrapped(|ui| {
        for (index, texture) in textures.iter().enumerate() {
            let size = texture.size_vec2() * scale;
            // Named for screen readers (and tests): "Lippu 1", "Lippu 2", …
            let name = format!("{} {}", tr(lang, Text::Ticket), index + 1);
            ui.add(
                egui::Image::new((texture.id(), size))
                    .corner_radius(4.0)
                    .alt_text(name),
            );
        }
    });
}
