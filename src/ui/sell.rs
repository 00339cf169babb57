//! The login and sell screens and their dialogs (cash, bank, confirmation).

use super::*;

impl BoxOfficeApp {
    pub(super) fn login_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        const FORM_WIDTH: f32 = 420.0;
        let lang = self.lang;
        let margin = ((ui.available_width() - FORM_WIDTH) / 2.0).max(0.0);
        ui.add_space(60.0);
        ui.horizontal(|ui| {
            ui.add_space(margin);
            ui.vertical(|ui| {
                ui.set_width(FORM_WIDTH);
                ui.heading(tr(lang, Text::AppTitle));
                ui.add_space(12.0);
                ui.horizontal(|ui| {
                    for choice in Lang::ALL {
                        if ui
                            .selectable_label(choice == lang, choice.native_name())
                            .clicked()
                        {
                            actions.push(Action::Session(SessionAction::SetLang(choice)));
                        }
                    }
                });
                ui.add_space(12.0);
                egui::Grid::new("login")
                    .num_columns(2)
                    .spacing([12.0, 10.0])
                    .show(ui, |ui| {
                        let label = ui.label(tr(lang, Text::User));
                        let name = ui
                            .add(
                                egui::TextEdit::singleline(&mut self.login_name)
                                    .desired_width(240.0),
                            )
                            .labelled_by(label.id);
                        if self.login_name.is_empty() && !name.has_focus() {
                            name.request_focus();
                        }
                        ui.end_row();
                        let label = ui.label(tr(lang, Text::Pin));
                        ui.add(
                            egui::TextEdit::singleline(&mut self.login_pin)
                                .password(true)
                                .desired_width(240.0),
                        )
                        .labelled_by(label.id);
                        ui.end_row();
                    });
                ui.add_space(8.0);
                let login =
                    egui::Button::new(tr(lang, Text::LogIn)).min_size(egui::vec2(120.0, 40.0));
                if ui.add_enabled(!self.busy, login).clicked() {
                    actions.push(Action::Session(SessionAction::Login));
                }
                if let Some(message) = &self.message {
                    let line = ui.colored_label(theme::BAD, message);
                    test_name(ui, &line, "message");
                }
                if !self.demo_logins.is_empty() {
                    ui.add_space(24.0);
                    ui.label(RichText::new(tr(lang, Text::DemoUsers)).weak());
                    ui.horizontal(|ui| {
                        for (name, pin) in &self.demo_logins {
                            if ui.button(format!("{name} / {pin}")).clicked() {
                                actions.push(Action::Session(SessionAction::FillLogin(
                                    name.clone(),
                                    pin.clone(),
                                )));
                            }
                        }
                    });
                }
            });
        });
    }

    pub(super) fn confirm_ui(&self, ctx: &egui::Context) -> Option<bool> {
        let question = self.confirm.as_ref()?;
        let lang = self.lang;
        let text = match question {
            Confirm::ClearCart => Text::ConfirmClearCart,
            Confirm::ChangePerformance(_) => Text::ConfirmChangePerformance,
            Confirm::CloseShift(close) if close.end_of_day => Text::ConfirmCloseDay,
            Confirm::CloseShift(_) => Text::ConfirmCloseShift,
            Confirm::Reissue(_) => Text::ConfirmReissue,
            Confirm::PrintReceipt(_) => Text::ConfirmPrintReceipt,
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
            ui.set_max_width(480.0);
            ui.add(egui::Label::new(RichText::new(tr(lang, text)).size(20.0)).wrap());
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button(tr(lang, Text::Yes)).clicked() {
                    answer = Some(true);
                }
                if ui.button(tr(lang, Text::No)).clicked() {
                    answer = Some(false);
                }
            });
        });
        answer
    }
}

/// What the sell screen reads of the rest of the app in a frame (its own state it owns).
pub(super) struct SellContext<'a> {
    pub(super) lang: Lang,
    pub(super) currency: crate::domain::Currency,
    pub(super) session: Option<&'a Session>,
    /// A request is with the service thread: the buttons that would send another wait.
    pub(super) busy: bool,
    /// A window or a question is over the screen and has the keyboard (no type-to-filter).
    pub(super) covered: bool,
    /// The refund panel holds the right side: the seat map gives way.
    pub(super) refund_panel_open: bool,
    /// Staff's "mail this performance's tickets again" (its progress is mail's).
    pub(super) mail: &'a MailPanel,
}

impl SellScreen {
    /// The screen: the performances left, the seat map right (seated performances, unless the
    /// refund panel is open), the sale in the middle and the payment dialogs over it.
    pub(super) fn ui(&mut self, ui: &mut egui::Ui, cx: &SellContext, actions: &mut Vec<Action>) {
        let ctx = ui.ctx().clone();
        egui::Panel::left("performances")
            .resizable(false)
            .exact_size(theme::PERFORMANCES_WIDTH)
            .show(ui, |ui| self.performances_ui(ui, cx, actions));
        // One right panel at a time: the refund panel takes the seat map's place.
        if self.seat_map.view.is_some() && !cx.refund_panel_open {
            let tickets = self.cart.totals().n_tickets as usize;
            let mut map_actions = Vec::new();
            egui::Panel::right("seatmap")
                .resizable(true)
                .default_size(theme::SEAT_MAP_WIDTH)
                .max_size(ui.available_width() * 0.5)
                .show(ui, |ui| {
                    self.seat_map
                        .ui(ui, cx.lang, &self.cart_token, tickets, &mut map_actions)
                });
            actions.extend(
                map_actions
                    .into_iter()
                    .map(|a| Action::Cart(CartAction::SeatMap(a))),
            );
        }
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("sell")
                .show(ui, |ui| self.sell_ui(ui, cx, actions))
        });
        self.cash_dialog_ui(&ctx, cx, actions);
        self.bank_dialog_ui(&ctx, cx, actions);
        if let Some(dialog) = &self.card_dialog
            && dialog.ui(&ctx, cx.lang, self.cart.totals().gross, cx.currency)
        {
            actions.push(Action::Pay(PayAction::CancelCard));
        }
    }

    fn performances_ui(&mut self, ui: &mut egui::Ui, cx: &SellContext, actions: &mut Vec<Action>) {
        let lang = cx.lang;
        ui.heading(tr(lang, Text::Performances));
        // Letters typed while no field has the keyboard filter the list (type-to-filter).
        let dialogs = self.paying() || cx.covered;
        if !dialogs && !ui.ctx().egui_wants_keyboard_input() {
            let typed: String = ui.input(|i| {
                i.events
                    .iter()
                    .filter_map(|e| match e {
                        egui::Event::Text(text) => Some(text.as_str()),
                        _ => None,
                    })
                    .collect()
            });
            // The field takes the keyboard now and the typed text with it.
            if !typed.is_empty() {
                ui.memory_mut(|m| m.request_focus(performance_filter_id()));
            }
        }
        let label = ui.label(RichText::new(tr(lang, Text::FindPerformance)).small());
        ui.add(
            egui::TextEdit::singleline(&mut self.performance_filter)
                .id(performance_filter_id())
                .hint_text("↑ ↓")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
        egui::ScrollArea::vertical().show(ui, |ui| {
            for performance in self.filtered_performances() {
                let left = if performance.remaining > 0 {
                    format!("{} {}", performance.remaining, tr(lang, Text::Remaining))
                } else {
                    tr(lang, Text::SoldOut).to_string()
                };
                let text = format!(
                    "{}\n{}\n{left}",
                    performance.event,
                    date_time_text(&performance.starts_at, lang)
                );
                let selected = Some(performance.id) == self.selected_performance;
                if ui.selectable_label(selected, text).clicked() {
                    actions.push(Action::Cart(CartAction::SelectPerformance(performance.id)));
                }
                ui.separator();
            }
        });
    }

    fn sell_ui(&mut self, ui: &mut egui::Ui, cx: &SellContext, actions: &mut Vec<Action>) {
        let lang = cx.lang;
        let Some(performance) = self.performance() else {
            ui.label(tr(lang, Text::ChoosePerformance));
            return;
        };
        let performance_id = performance.id;
        ui.heading(&performance.event);
        ui.label(format!(
            "{} – {}",
            performance.venue,
            date_time_text(&performance.starts_at, lang)
        ));
        ui.add_space(8.0);
        categories_ui(ui, lang, cx.currency, performance, actions);
        ui.add_space(12.0);
        self.cart_ui(ui, cx, performance, actions);
        ui.add_space(8.0);
        self.customer_ui(ui, cx, performance_id, actions);
        ui.add_space(8.0);
        self.pay_buttons_ui(ui, cx, actions);
    }

    /// The cart's lines with − and +, the VAT per rate and the total.
    fn cart_ui(
        &self,
        ui: &mut egui::Ui,
        cx: &SellContext,
        performance: &CatalogPerformance,
        actions: &mut Vec<Action>,
    ) {
        let lang = cx.lang;
        // Every amount in the register's currency (`18,50 kr` on a Swedish register).
        let currency = cx.currency;
        ui.heading(tr(lang, Text::Cart));
        if self.cart.is_empty() {
            ui.label(RichText::new(tr(lang, Text::EmptyCart)).weak());
        }
        let priced = self.priced_cart();
        let totals = priced.totals();
        egui::Grid::new("cart")
            .num_columns(5)
            .striped(true)
            .show(ui, |ui| {
                for line in priced.lines() {
                    let name = performance
                        .categories
                        .iter()
                        .find(|c| c.id == line.category.category_id)
                        .map_or(line.category.code.as_str(), |c| lang.pick(&c.names));
                    ui.label(name);
                    if ui.small_button("−").clicked() {
                        actions.push(Action::Cart(CartAction::RemoveTicket(
                            line.category.category_id,
                        )));
                    }
                    let quantity = ui.label(line.quantity.to_string());
                    test_name(
                        ui,
                        &quantity,
                        &format!("cart-quantity-{}", line.category.category_id),
                    );
                    if ui.small_button("+").clicked()
                        && let Some(index) = performance
                            .categories
                            .iter()
                            .position(|c| c.id == line.category.category_id)
                    {
                        actions.push(Action::Cart(CartAction::AddTicket(index)));
                    }
                    ui.label(currency.format(line.gross()));
                    ui.end_row();
                }
            });
        ui.add_space(8.0);
        for summary in &totals.per_rate {
            ui.label(format!(
                "{} {}: {} ({} {})",
                tr(lang, Text::Vat),
                summary.rate.percent_text(),
                currency.format(summary.vat),
                tr(lang, Text::Net),
                currency.format(summary.net)
            ));
        }
        ui.label(
            RichText::new(format!(
                "{}: {}",
                tr(lang, Text::Total),
                currency.format(totals.gross)
            ))
            .size(theme::TOTAL_SIZE)
            .strong(),
        );
    }

    /// Who the customer is (optional) and whether the tickets go by mail.
    fn customer_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &SellContext,
        performance_id: PerformanceId,
        actions: &mut Vec<Action>,
    ) {
        let lang = cx.lang;
        egui::Grid::new("customer").num_columns(2).show(ui, |ui| {
            let label = ui.label(tr(lang, Text::CustomerName));
            ui.add(egui::TextEdit::singleline(&mut self.customer_name).desired_width(260.0))
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label(tr(lang, Text::CustomerEmail));
            ui.add(egui::TextEdit::singleline(&mut self.customer_email).desired_width(260.0))
                .labelled_by(label.id);
            ui.end_row();
        });
        ui.checkbox(&mut self.mail_tickets, tr(lang, Text::MailTickets));
        if cx
            .session
            .is_some_and(|s| s.role.may(crate::domain::Permission::Remail))
        {
            let mut mail_actions = Vec::new();
            cx.mail
                .remail_ui(ui, lang, performance_id, &mut mail_actions);
            actions.extend(mail_actions.into_iter().map(Action::Mail));
        }
    }

    /// Cash, card, bank; and reserving the cart against a bank transfer.
    fn pay_buttons_ui(&mut self, ui: &mut egui::Ui, cx: &SellContext, actions: &mut Vec<Action>) {
        let lang = cx.lang;
        let pay = egui::Button::new(RichText::new(tr(lang, Text::PayCash)).size(20.0))
            .min_size(theme::PAY_BUTTON);
        let can_pay = !self.cart.is_empty() && !cx.busy && self.bank_payment.is_none();
        // The pay buttons wrap rather than run under a side panel.
        ui.horizontal_wrapped(|ui| {
            if ui.add_enabled(can_pay, pay).clicked() {
                actions.push(Action::Pay(PayAction::OpenCash));
            }
            let card = egui::Button::new(RichText::new(tr(lang, Text::PayByCard)).size(20.0))
                .min_size(theme::PAY_BUTTON);
            if ui
                .add_enabled(can_pay && self.card_dialog.is_none(), card)
                .clicked()
            {
                actions.push(Action::Pay(PayAction::PayCard));
            }
            let bank = egui::Button::new(RichText::new(tr(lang, Text::PayBank)).size(20.0))
                .min_size(theme::PAY_BUTTON);
            if ui.add_enabled(can_pay, bank).clicked() {
                actions.push(Action::Pay(PayAction::PayBank));
            }
        });
        ui.add_space(8.0);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(tr(lang, Text::Phone));
            ui.add(egui::TextEdit::singleline(&mut self.customer_phone).desired_width(160.0))
                .labelled_by(label.id);
            let label = ui.label(tr(lang, Text::DueDate));
            ui.add(
                egui::TextEdit::singleline(&mut self.reserve_due)
                    .hint_text(tr(lang, Text::DateHint))
                    .desired_width(120.0),
            )
            .labelled_by(label.id);
            if ui
                .add_enabled(can_pay, egui::Button::new(tr(lang, Text::Reserve)))
                .clicked()
            {
                actions.push(Action::Pay(PayAction::Reserve));
            }
        });
    }

    /// The question on screen (Enter = yes, Esc = no); the answer when a button was pressed.
    fn bank_dialog_ui(&self, ctx: &egui::Context, cx: &SellContext, actions: &mut Vec<Action>) {
        let lang = cx.lang;
        let Some(state) = &self.bank_payment else {
            return;
        };
        egui::Window::new(tr(lang, Text::PayBank))
            .collapsible(false)
            .resizable(false)
            .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label(
                    RichText::new(format!(
                        "{}: {}",
                        tr(lang, Text::Total),
                        cx.currency.format(self.priced_cart().totals().gross)
                    ))
                    .size(24.0),
                );
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(tr(lang, Text::WaitingForBank));
                });
                if let Some(reference) = &state.reference {
                    let grouped = crate::payments::reference::ReferenceNumber::parse(reference)
                        .map(|r| r.grouped())
                        .unwrap_or_else(|_| reference.clone());
                    ui.label(format!("{}: {grouped}", tr(lang, Text::Reference)));
                }
                if let Some(url) = &state.url {
                    ui.label(format!("{}:", tr(lang, Text::BankPageAt)));
                    ui.monospace(url);
                }
                if let Some(why) = &state.rejected {
                    ui.colored_label(
                        theme::BAD,
                        format!("{}: {why}", tr(lang, Text::ReplyRefused)),
                    );
                }
                if ui
                    .add_enabled(!state.cancelling, egui::Button::new(tr(lang, Text::Cancel)))
                    .clicked()
                {
                    actions.push(Action::Pay(PayAction::CancelBank));
                }
            });
    }

    fn cash_dialog_ui(&mut self, ctx: &egui::Context, cx: &SellContext, actions: &mut Vec<Action>) {
        let figures = CashFigures {
            lang: cx.lang,
            total: self.priced_cart().totals().gross,
            due: self.cash_due(cx.currency),
            currency: cx.currency,
            tendered: self.tendered(),
            busy: cx.busy,
        };
        let not_number = self.cash_not_number;
        let Some(tendered_text) = self.cash_tendered.as_mut() else {
            return;
        };
        let lang = figures.lang;
        egui::Window::new(tr(lang, Text::PayCash))
            .collapsible(false)
            .resizable(false)
            .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                figures.due_ui(ui);
                tendered_field_ui(ui, lang, tendered_text);
                if not_number && Money::parse(tendered_text).is_err() {
                    ui.colored_label(theme::BAD, tr(lang, Text::AmountNotNumber));
                }
                figures.quick_amounts_ui(ui, actions);
                figures.change_ui(ui);
                figures.buttons_ui(ui, actions);
            });
    }
}

/// What the cash dialog shows, worked out before it is drawn.
struct CashFigures {
    lang: Lang,
    total: Money,
    /// The total rounded as cash is (5 cents, whole kronor).
    due: Money,
    currency: crate::domain::Currency,
    tendered: Option<Money>,
    busy: bool,
}

impl CashFigures {
    /// The total and, when cash rounds it, what is paid in cash.
    fn due_ui(&self, ui: &mut egui::Ui) {
        let (lang, currency) = (self.lang, self.currency);
        ui.label(
            RichText::new(format!(
                "{}: {}",
                tr(lang, Text::Total),
                currency.format(self.total)
            ))
            .size(theme::DIALOG_FIGURE_SIZE),
        );
        if self.due != self.total {
            // The cash rounding is said before the money is counted.
            ui.label(
                RichText::new(format!(
                    "{}: {} ({} {})",
                    devices::t(lang, ["Käteisellä", "Kontant", "In cash"]),
                    currency.format(self.due),
                    devices::t(lang, ["pyöristys", "avrundning", "rounding"]),
                    currency.format(self.due - self.total)
                ))
                .size(theme::DIALOG_FIGURE_SIZE)
                .strong(),
            );
        }
    }

    /// Exact cash (F1) and the quick amounts (F2…F5).
    fn quick_amounts_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal_wrapped(|ui| {
            if ui.button(tr(self.lang, Text::ExactCash)).clicked() {
                actions.push(Action::Pay(PayAction::SetTendered(self.due)));
            }
            for (euros, key) in QUICK_TENDER_EUROS.into_iter().zip(2..) {
                let amount = match self.currency {
                    crate::domain::Currency::Eur => format!("{euros} €"),
                    crate::domain::Currency::Sek => format!("{euros} kr"),
                };
                if ui.button(format!("{amount} (F{key})")).clicked() {
                    actions.push(Action::Pay(PayAction::SetTendered(Money::from_euros(
                        euros,
                    ))));
                }
            }
        });
    }

    /// The change to give, or what is still missing.
    fn change_ui(&self, ui: &mut egui::Ui) {
        let (lang, currency) = (self.lang, self.currency);
        match self.tendered.map(|t| cash_change(self.due, t)) {
            Some(Ok(change)) => {
                ui.label(
                    RichText::new(format!(
                        "{}: {}",
                        tr(lang, Text::ChangeDue),
                        currency.format(change)
                    ))
                    .size(theme::DIALOG_FIGURE_SIZE)
                    .strong(),
                );
            }
            Some(Err(missing)) => {
                ui.colored_label(
                    theme::BAD,
                    format!("{}: {}", tr(lang, Text::Missing), currency.format(missing)),
                );
            }
            None => {}
        }
    }

    /// Complete, the rest by card (when part is given in cash), cancel.
    fn buttons_ui(&self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        let (lang, busy) = (self.lang, self.busy);
        ui.horizontal(|ui| {
            let can_complete =
                !busy && matches!(self.tendered.map(|t| cash_change(self.due, t)), Some(Ok(_)));
            let complete = egui::Button::new(tr(lang, Text::CompleteSale));
            if ui.add_enabled(can_complete, complete).clicked() {
                actions.push(Action::Pay(PayAction::CompleteCash));
            }
            if let Some(cash) = self
                .tendered
                .filter(|t| *t > Money::ZERO && *t < self.total)
                && ui
                    .add_enabled(!busy, egui::Button::new(tr(lang, Text::RestByCard)))
                    .clicked()
            {
                actions.push(Action::Pay(PayAction::PayCardRest(cash)));
            }
            if ui.button(tr(lang, Text::Cancel)).clicked() {
                actions.push(Action::Pay(PayAction::CloseCash));
            }
            if busy {
                ui.spinner();
                ui.label(tr(lang, Text::Working));
            }
        });
    }
}

/// The tendered amount; the field keeps the keyboard: after Enter on a short or wrong amount
/// the cashier types on, and Tab never lands behind the dialog.
fn tendered_field_ui(ui: &mut egui::Ui, lang: Lang, tendered_text: &mut String) {
    ui.horizontal(|ui| {
        let label = ui.label(tr(lang, Text::Tendered));
        let field = ui
            .add(egui::TextEdit::singleline(tendered_text).desired_width(120.0))
            .labelled_by(label.id);
        let layer = ui.layer_id();
        let elsewhere = ui.ctx().memory(|m| m.focused()).is_some_and(|id| {
            ui.ctx()
                .read_response(id)
                .is_some_and(|r| r.layer_id != layer)
        });
        if !field.has_focus() && (tendered_text.is_empty() || field.lost_focus() || elsewhere) {
            field.request_focus();
        }
    });
}

/// The category buttons (F1…F9) of the performance.
fn categories_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    currency: crate::domain::Currency,
    performance: &CatalogPerformance,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        for (index, category) in performance
            .categories
            .iter()
            .enumerate()
            .take(CATEGORY_KEYS.len())
        {
            let text = format!(
                "F{}  {}\n{}",
                index + 1,
                lang.pick(&category.names),
                currency.format(category.price_cents)
            );
            let button =
                egui::Button::new(RichText::new(text).size(18.0)).min_size(theme::CATEGORY_BUTTON);
            if ui.add_enabled(performance.remaining > 0, button).clicked() {
                actions.push(Action::Cart(CartAction::AddTicket(index)));
            }
        }
    });
}

/// The sell screen's own state: the performances on sale, the one chosen, the sale being put
/// together (cart, seats, customer, reservation fields) and its payment in progress (cash
/// dialog, card dialog, bank page). Everything here belongs to one sale, except the catalogue,
/// the performance chosen and the list's filter.
pub struct SellScreen {
    /// The performances on sale, with what is left.
    pub(super) catalog: Vec<CatalogPerformance>,
    pub(super) selected_performance: Option<PerformanceId>,
    pub(super) cart: Cart,
    /// Type-to-filter text of the performance list.
    pub(super) performance_filter: String,
    /// The cash dialog's tendered field, when the dialog is open.
    pub(super) cash_tendered: Option<String>,
    /// Enter was pressed on a tendered amount that is not a number.
    pub(super) cash_not_number: bool,
    /// The card payment in progress, with the terminal's texts.
    pub(super) card_dialog: Option<CardDialog>,
    /// The bank payment dialog, while a payment is in progress.
    pub(super) bank_payment: Option<BankPaymentState>,
    /// Optional customer details of the sale in progress.
    pub(super) customer_name: String,
    pub(super) customer_email: String,
    pub(super) customer_phone: String,
    /// Due date typed for a reservation (local date or ISO; empty = in three days).
    pub(super) reserve_due: String,
    /// Mail the tickets to the customer's address.
    pub(super) mail_tickets: bool,
    /// This counter's cart: its seats are held under this token.
    pub(super) cart_token: String,
    /// The seat map of the selected performance (seated performances only).
    pub(super) seat_map: SeatMapState,
}

impl SellScreen {
    pub(super) fn new() -> SellScreen {
        SellScreen {
            catalog: Vec::new(),
            selected_performance: None,
            cart: Cart::new(),
            performance_filter: String::new(),
            cash_tendered: None,
            cash_not_number: false,
            card_dialog: None,
            bank_payment: None,
            customer_name: String::new(),
            customer_email: String::new(),
            customer_phone: String::new(),
            reserve_due: String::new(),
            mail_tickets: false,
            cart_token: format!(
                "cart-{}",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos())
            ),
            seat_map: SeatMapState::default(),
        }
    }

    /// The performances the filter lets through, in list order.
    pub(super) fn filtered_performances(&self) -> Vec<&CatalogPerformance> {
        let filter = self.performance_filter.trim().to_lowercase();
        self.catalog
            .iter()
            .filter(|p| {
                filter.is_empty()
                    || p.event.to_lowercase().contains(&filter)
                    || p.venue.to_lowercase().contains(&filter)
            })
            .collect()
    }

    /// Empties everything that belongs to one sale (after a sale, at logout).
    pub(super) fn reset_sale(&mut self) {
        self.cart.clear();
        self.customer_name.clear();
        self.customer_email.clear();
        self.customer_phone.clear();
        self.reserve_due.clear();
        self.mail_tickets = false;
        self.cash_tendered = None;
        self.cash_not_number = false;
    }

    /// The cart as the sale will price it (seats in a cheaper zone cost less).
    pub(super) fn priced_cart(&self) -> Cart {
        self.seat_map.priced(&self.cart, &self.cart_token)
    }

    /// The seats of this sale: the ones picked on the map, else best available.
    pub(super) fn seat_choice(&self) -> crate::app::seats::SeatChoice {
        self.seat_map.choice(&self.cart_token)
    }

    /// The sale of the cart as the services take it (no session: the app adds it).
    pub(super) fn sale_request(&self, tendered: Money) -> Option<SaleRequest> {
        let performance_id = self.selected_performance?;
        if self.cart.is_empty() {
            return None;
        }
        let items = self
            .cart
            .lines()
            .iter()
            .map(|line| (line.category.code.clone(), line.quantity))
            .collect();
        Some(SaleRequest {
            performance_id,
            items,
            tendered,
            customer_name: Some(self.customer_name.clone()),
            customer_email: Some(self.customer_email.clone()),
            seats: self.seat_choice(),
            cart_token: Some(self.cart_token.clone()),
            mail_tickets: self.mail_tickets,
        })
    }

    /// The performances on sale: the selection stays when it is still there, else the first
    /// with tickets left (and the cart empties).
    pub(super) fn set_catalog(&mut self, catalog: Vec<CatalogPerformance>) {
        if self
            .selected_performance
            .is_none_or(|id| !catalog.iter().any(|p| p.id == id))
        {
            self.selected_performance = catalog.iter().find(|p| p.remaining > 0).map(|p| p.id);
            self.cart.clear();
        }
        self.catalog = catalog;
    }

    pub(super) fn performance(&self) -> Option<&CatalogPerformance> {
        self.catalog
            .iter()
            .find(|p| Some(p.id) == self.selected_performance)
    }

    /// What the cart costs in cash in `currency`: the total rounded as cash is.
    pub(super) fn cash_due(&self, currency: crate::domain::Currency) -> Money {
        let total = self.priced_cart().totals().gross;
        total + currency.cash_rounding(crate::domain::Tender::Cash, total)
    }

    pub(super) fn tendered(&self) -> Option<Money> {
        self.cash_tendered
            .as_deref()
            .and_then(|text| Money::parse(text).ok())
    }

    /// A dialog of the sale (cash, card) is open: it has the keyboard.
    pub(super) fn paying(&self) -> bool {
        self.cash_tendered.is_some() || self.card_dialog.is_some()
    }
}
