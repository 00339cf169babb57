//! Actions of the printing, mail and manager areas, sent to the service thread.

use super::*;

impl BoxOfficeApp {
    pub(super) fn apply_print(&mut self, action: PrintAction) {
        let lang = self.lang;
        if let PrintAction::Search(query) = action {
            self.worker
                .send(Command::Print(PrintCommand::ReprintSearch { query, lang }));
            return;
        }
        if let PrintAction::LoadPrinters = action {
            self.worker
                .send(Command::Print(PrintCommand::LoadPrinters { lang }));
            return;
        }
        if let PrintAction::Ticket(code, PrintMode::Reissue) = &action {
            self.confirm = Some(Confirm::Reissue(code.clone()));
            return;
        }
        let Some(session) = self.session.clone() else {
            return;
        };
        self.busy = true;
        self.message = None;
        self.notice = None;
        self.worker.send(match action {
            PrintAction::Retry(order_number) => Command::Print(PrintCommand::RetryPrint {
                session,
                order_number,
            }),
            PrintAction::Ticket(code, mode) => Command::Print(PrintCommand::PrintTicket {
                session,
                code,
                mode,
            }),
            PrintAction::SavePrinter {
                name,
                transport,
                language,
                make_default,
            } => Command::Print(PrintCommand::SavePrinter {
                session,
                name,
                transport,
                language,
                make_default,
            }),
            PrintAction::PrintTest(printer) => {
                Command::Print(PrintCommand::PrintTest { session, printer })
            }
            PrintAction::Status(printer) => {
                Command::Print(PrintCommand::PrinterStatus { printer, lang })
            }
            PrintAction::Search(_) | PrintAction::LoadPrinters => return,
        });
    }

    /// Asks for the red count (after login, after the sender wrote something, and now and then).
    pub(super) fn poll_mail_status(&mut self) {
        if let Some(session) = self.session.clone() {
            self.mail.last_poll = Some(std::time::Instant::now());
            self.worker
                .send(Command::Mail(MailCommand::MailStatus { session }));
        }
    }

    pub(super) fn apply_mail(&mut self, action: MailAction) {
        let Some(session) = self.session.clone() else {
            return;
        };
        match action {
            MailAction::OpenFailures => self
                .worker
                .send(Command::Mail(MailCommand::OpenMailFailures { session })),
            MailAction::CloseFailures => self.mail.open = false,
            MailAction::Readdress { mail_id, address } => {
                self.mail.corrections.remove(&mail_id);
                self.worker.send(Command::Mail(MailCommand::ReaddressMail {
                    session,
                    mail_id,
                    address,
                }));
            }
            MailAction::RemailPerformance(performance_id) => {
                if self.mail.remail.is_none() {
                    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
                    self.mail.remail = Some((0, 0, cancel.clone()));
                    self.worker
                        .send(Command::Mail(MailCommand::RemailPerformance {
                            session,
                            performance_id,
                            cancel,
                        }));
                }
            }
            MailAction::OpenSettings => {
                self.mail.settings.open = true;
                self.worker
                    .send(Command::Mail(MailCommand::LoadMailServers));
            }
            MailAction::CloseSettings => self.mail.settings.open = false,
            MailAction::CopyServer { from, name } => {
                self.worker.send(Command::Mail(MailCommand::CopyMailServer {
                    session,
                    from,
                    name,
                }))
            }
            MailAction::MakeDefault(name) => {
                self.worker
                    .send(Command::Mail(MailCommand::MakeMailServerDefault {
                        session,
                        name,
                    }))
            }
            MailAction::TestMail { server, to } => {
                self.worker.send(Command::Mail(MailCommand::TestMail {
                    session,
                    server,
                    to,
                }))
            }
            MailAction::AddServer(request) => {
                self.worker.send(Command::Mail(MailCommand::AddMailServer {
                    session,
                    request: *request,
                }))
            }
            MailAction::SendSms {
                order_number,
                phone,
            } => {
                self.mail.sms_result = None;
                self.worker.send(Command::Mail(MailCommand::SendSms {
                    session,
                    order_number,
                    phone,
                }));
            }
            MailAction::CancelRemail => {
                if let Some((_, _, cancel)) = &self.mail.remail {
                    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
        }
    }

    pub(super) fn apply_manager(&mut self, action: ManagerAction) {
        let Some(session) = self.session.clone() else {
            return;
        };
        let lang = self.lang;
        match action {
            ManagerAction::Search(query) => self
                .worker
                .send(Command::Refund(RefundCommand::SearchOrders { query, lang })),
            ManagerAction::LoadOrder(order_number) => {
                self.refund_panel.result = None;
                self.worker.send(Command::Refund(RefundCommand::LoadOrder {
                    order_number,
                    lang,
                }));
            }
            ManagerAction::MailReceipt { order_number, to } => {
                self.device_request(crate::app::devices::DeviceRequest::MailReceipt {
                    order_number,
                    to,
                })
            }
            ManagerAction::Remail(order_number) => {
                self.worker.send(Command::Mail(MailCommand::QueueMail {
                    session,
                    order_number,
                    to: None,
                    remail: true,
                }))
            }
            ManagerAction::Refund {
                order_number,
                request,
                reason,
                manager,
            } => {
                self.message = None;
                self.worker.send(Command::Refund(RefundCommand::Refund {
                    session,
                    manager,
                    order_number,
                    request,
                    reason,
                }));
            }
            ManagerAction::OpenShift(float) => {
                self.message = None;
                self.worker
                    .send(Command::Shift(ShiftCommand::OpenShift { session, float }))
            }
            ManagerAction::MoveCash(movement, amount, reason, manager) => {
                self.worker.send(Command::Shift(ShiftCommand::MoveCash {
                    session,
                    manager,
                    movement,
                    amount,
                    reason,
                }))
            }
            ManagerAction::PrintReport(report) => self
                .worker
                .send(Command::Shift(ShiftCommand::PrintReport { report, lang })),
            ManagerAction::CloseShift(close) => {
                self.confirm = Some(Confirm::CloseShift(close));
            }
        }
    }

    pub(super) fn apply_user(&mut self, action: UserAction) {
        let Some(session) = self.session.clone() else {
            return;
        };
        self.message = None;
        self.worker.send(match action {
            UserAction::Load => Command::Admin(AdminCommand::ListUsers { session }),
            UserAction::Add { name, role, pin } => Command::Admin(AdminCommand::AddUser {
                session,
                name,
                role,
                pin,
            }),
            UserAction::SetPin { name, pin } => {
                Command::Admin(AdminCommand::SetPin { session, name, pin })
            }
            UserAction::Disable(name) => {
                Command::Admin(AdminCommand::DisableUser { session, name })
            }
        });
    }

    pub(super) fn apply_reservation(&mut self, action: ReservationAction) {
        let Some(session) = self.session.clone() else {
            return;
        };
        self.message = None;
        self.worker.send(match action {
            ReservationAction::Load => Command::Bank(BankCommand::LoadReservations),
            ReservationAction::Check(reference) => {
                Command::Bank(BankCommand::CheckReservation { session, reference })
            }
            ReservationAction::CheckAll => {
                Command::Bank(BankCommand::CheckAllReservations { session })
            }
            ReservationAction::Release(reference) => {
                Command::Bank(BankCommand::ReleaseReservation { session, reference })
            }
        });
    }

    pub(super) fn apply_operations(&mut self, action: OperationsAction) {
        match action {
            OperationsAction::Refresh => self.worker.send(Command::Admin(AdminCommand::LoadStatus)),
            OperationsAction::CopyReport => self
                .worker
                .send(Command::Admin(AdminCommand::SupportReport)),
            OperationsAction::SaveSettings(settings) => {
                if let Some(session) = self.session.clone() {
                    self.worker
                        .send(Command::Bank(BankCommand::SaveBankSettings {
                            session,
                            settings,
                        }));
                }
            }
            OperationsAction::AddKey(valid_from, secret) => {
                if let Some(session) = self.session.clone() {
                    self.worker.send(Command::Bank(BankCommand::AddBankKey {
                        session,
                        valid_from,
                        secret,
                    }));
                }
            }
        }
    }

    pub(super) fn apply_back_office(&mut self, action: BackOfficeAction) {
        match action {
            BackOfficeAction::Request(request) => self.device_request(request),
            BackOfficeAction::OpenPrinters => self.apply(Action::Go(GoAction::TogglePrinters)),
            BackOfficeAction::OpenMailSettings => {
                self.apply(Action::Mail(MailAction::OpenSettings))
            }
            BackOfficeAction::OpenOperations => self.screen = Screen::Operations,
        }
    }
}
