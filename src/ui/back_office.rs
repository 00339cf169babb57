//! The back-office screens of devices and settings (devices, seat plans and holds, receipt
//! settings) behind one door: they share the `app::devices` request and answer, and the
//! register's currency they bring is what the cash dialog and the drawer count use.

use crate::app::devices::{DeviceEvent, DeviceRequest, Outcome};
use crate::domain::Currency;

use super::devices::{DevicesAction, DevicesScreen};
use super::receipt_settings::ReceiptSettingsScreen;
use super::seat_admin::SeatAdminScreen;

/// Which of the three is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BackOfficeScreen {
    #[default]
    Devices,
    SeatPlans,
    ReceiptSettings,
}

/// What the screens ask of the app.
pub enum BackOfficeAction {
    Request(DeviceRequest),
    OpenPrinters,
    OpenMailSettings,
    OpenOperations,
}

#[derive(Default)]
pub struct BackOffice {
    pub devices: DevicesScreen,
    pub seats: SeatAdminScreen,
    pub receipt: ReceiptSettingsScreen,
    /// The register's currency (from the settings loaded at login).
    pub currency: Currency,
    /// The newest receipt mailed from the order panel.
    pub receipt_mailed: Option<Outcome>,
    /// Which of the three is on screen.
    pub shown: BackOfficeScreen,
    /// Ask after each sale whether to print the customer's receipt (setting `ask` with a
    /// receipt printer).
    pub ask_receipt: bool,
}

impl BackOffice {
    /// Forgets what the screens showed (logout, another user).
    pub fn reset(&mut self) {
        let currency = self.currency;
        *self = BackOffice {
            currency,
            ..BackOffice::default()
        };
    }

    /// An answer from the service thread; the requests it calls for.
    pub fn handle(&mut self, event: DeviceEvent) -> Vec<DeviceRequest> {
        if let DeviceEvent::Loaded(view) = &event {
            self.currency = view.currency;
            self.ask_receipt =
                view.receipt.receipt_print == "ask" && !view.receipt.receipt_printer.is_empty();
        }
        if let DeviceEvent::ReceiptMailed(outcome) = &event {
            self.receipt_mailed = Some(outcome.clone());
        }
        let mut requests = self.seats.handle(&event);
        let reload = self.devices.handle(&event) | self.receipt.handle(&event);
        if reload && !requests.iter().any(|r| matches!(r, DeviceRequest::Load)) {
            requests.push(DeviceRequest::Load);
        }
        requests
    }
}

impl super::View for BackOffice {
    type Action = BackOfficeAction;

    fn ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &super::ViewContext,
        actions: &mut Vec<BackOfficeAction>,
    ) {
        let (lang, catalog, screen) = (cx.lang, cx.catalog, self.shown);
        let Some(session) = cx.session else {
            return;
        };
        let mut requests = Vec::new();
        match screen {
            BackOfficeScreen::Devices => {
                let mut device_actions = Vec::new();
                self.devices.ui(ui, lang, session, &mut device_actions);
                actions.extend(device_actions.into_iter().map(|a| match a {
                    DevicesAction::Request(r) => BackOfficeAction::Request(r),
                    DevicesAction::OpenPrinters => BackOfficeAction::OpenPrinters,
                    DevicesAction::OpenMailSettings => BackOfficeAction::OpenMailSettings,
                    DevicesAction::OpenOperations => BackOfficeAction::OpenOperations,
                }));
            }
            BackOfficeScreen::SeatPlans => {
                // Not in a scroll area: the map takes the height that is left.
                self.seats
                    .ui(ui, lang, session.role, catalog, &mut requests);
            }
            BackOfficeScreen::ReceiptSettings => self.receipt.ui(ui, lang, &mut requests),
        }
        actions.extend(requests.into_iter().map(BackOfficeAction::Request));
    }
}
