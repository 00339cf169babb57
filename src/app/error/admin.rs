//! Users, logins, permissions, settings, reports and the secret store. Its sentences in Finnish,
//! Swedish and English are here, with the type.

use crate::i18n::*;

#[derive(Debug, thiserror::Error)]
#[error("{}", self.text(Lang::En))]
pub enum AdminError {
    UnknownUser,
    WrongPin {
        attempts_left: i64,
    },
    UserLocked {
        seconds: i64,
    },
    /// The user's role does not allow this (checked in the service, whatever the UI shows).
    Forbidden {
        action: &'static str,
    },
    UserExists(String),
    InvalidUserName(String),
    InvalidPin,
    UnknownRole(String),
    CannotDisableSelf,
    Internal(String),
    BadDate(String),
    UnknownReport(String),
    /// The encrypted secret store (bank keys, the Nets password) cannot be read or written.
    SecretStore(String),
    /// [`AdminError::SecretStore`] because the store itself failed: its error kept as the source.
    SecretStoreFailed(#[source] crate::mail::secrets::SecretError),
    /// `bench queries` on a ledger without tickets to look up.
    NothingToBenchmark,
}

impl AdminError {
    /// The sentence a cashier reads, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use AdminError::*;
        match (self, lang) {
            (UnknownUser, Lang::Fi) => "Tuntematon käyttäjä.".into(),
            (UnknownUser, Lang::Sv) => "Okänd användare.".into(),
            (UnknownUser, Lang::En) => "Unknown user.".into(),
            (WrongPin { attempts_left }, Lang::Fi) => {
                format!("Väärä PIN-koodi. Yrityksiä jäljellä ennen lukitusta: {attempts_left}.")
            }
            (WrongPin { attempts_left }, Lang::Sv) => {
                format!("Fel PIN-kod. Försök kvar innan spärr: {attempts_left}.")
            }
            (WrongPin { attempts_left }, Lang::En) => {
                format!("Wrong PIN. {attempts_left} attempts left before the user is locked.")
            }
            (UserLocked { seconds }, Lang::Fi) => {
                format!("Liian monta väärää PIN-koodia: käyttäjä on lukittu {seconds} s.")
            }
            (UserLocked { seconds }, Lang::Sv) => {
                format!("För många fel PIN-koder: användaren är spärrad i {seconds} s.")
            }
            (UserLocked { seconds }, Lang::En) => {
                format!("Too many wrong PINs: the user is locked for {seconds} s.")
            }
            (Forbidden { action }, Lang::Fi) => {
                format!("Käyttäjätunnuksellasi ei voi tehdä tätä ({action}).")
            }
            (Forbidden { action }, Lang::Sv) => format!("Din roll får inte göra detta ({action})."),
            (Forbidden { action }, Lang::En) => {
                format!("Your role is not allowed to do this ({action}).")
            }
            (UserExists(name), Lang::Fi) => format!("Käyttäjä {name} on jo olemassa."),
            (UserExists(name), Lang::Sv) => format!("Användaren {name} finns redan."),
            (UserExists(name), Lang::En) => format!("There is already a user {name}."),
            (InvalidUserName(name), Lang::Fi) => {
                format!("Käyttäjänimi '{name}' ei kelpaa: 1–32 merkkiä a–z, 0–9, piste, viiva.")
            }
            (InvalidUserName(name), Lang::Sv) => {
                format!("Användarnamnet '{name}' duger inte: 1–32 tecken a–z, 0–9, punkt, streck.")
            }
            (InvalidUserName(name), Lang::En) => {
                format!("The user name '{name}' is not valid: 1–32 characters a–z, 0–9, dot, dash.")
            }
            (InvalidPin, Lang::Fi) => "PIN-koodissa on oltava 4–8 numeroa.".into(),
            (InvalidPin, Lang::Sv) => "PIN-koden ska ha 4–8 siffror.".into(),
            (InvalidPin, Lang::En) => "A PIN has 4 to 8 digits.".into(),
            (UnknownRole(role), Lang::Fi) => {
                format!("Roolia '{role}' ei ole (cashier, staff, manager, admin).")
            }
            (UnknownRole(role), Lang::Sv) => {
                format!("Rollen '{role}' finns inte (cashier, staff, manager, admin).")
            }
            (UnknownRole(role), Lang::En) => {
                format!("There is no role '{role}' (cashier, staff, manager, admin).")
            }
            (CannotDisableSelf, Lang::Fi) => {
                "Omaa käyttäjätunnusta ei voi poistaa käytöstä.".into()
            }
            (CannotDisableSelf, Lang::Sv) => "Du kan inte stänga av din egen användare.".into(),
            (CannotDisableSelf, Lang::En) => "You cannot disable your own user.".into(),
            (Internal(reason), _) => format!("Internal error: {reason}"),
            (BadDate(date), Lang::Fi) => {
                format!("'{date}' ei ole päivämäärä: kirjoita esim. 5.12.2026.")
            }
            (BadDate(date), Lang::Sv) => {
                format!("'{date}' är inget datum: skriv t.ex. 5.12.2026.")
            }
            (BadDate(date), Lang::En) => {
                format!("'{date}' is not a date: write it as e.g. 5.12.2026 or 2026-12-05.")
            }
            (UnknownReport(kind), _) => {
                format!("There is no report '{kind}': use sales, refunds or z.")
            }
            (SecretStore(detail), Lang::Fi) => {
                format!("Salaisuuksien säilöä ei voi käyttää: {detail}")
            }
            (SecretStore(detail), Lang::Sv) => {
                format!("Det går inte att använda hemlighetsförrådet: {detail}")
            }
            (SecretStore(detail), Lang::En) => format!("The secret store cannot be used: {detail}"),
            (SecretStoreFailed(error), Lang::Fi) => {
                format!("Salaisuuksien säilöä ei voi käyttää: {error}")
            }
            (SecretStoreFailed(error), Lang::Sv) => {
                format!("Det går inte att använda hemlighetsförrådet: {error}")
            }
            (SecretStoreFailed(error), Lang::En) => {
                format!("The secret store cannot be used: {error}")
            }
            (NothingToBenchmark, Lang::Fi) => {
                "Kirjanpidossa ei ole lippuja: aja ensin `boxoffice bench seed --tickets N`.".into()
            }
            (NothingToBenchmark, Lang::Sv) => {
                "Huvudboken har inga biljetter: kör först `boxoffice bench seed --tickets N`.".into()
            }
            (NothingToBenchmark, Lang::En) => {
                "The ledger has no tickets to look up: run `boxoffice bench seed --tickets N` first."
                    .into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn a_failed_secret_store_keeps_its_error_as_the_source_and_the_sentence() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let error = AdminError::SecretStoreFailed(crate::mail::secrets::SecretError::Io {
            path: "/keys/store".into(),
            source: io,
        });
        assert_eq!(
            error.text(Lang::En),
            "The secret store cannot be used: the secret store /keys/store cannot be read or written (denied)"
        );
        let source = error.source().expect("the store's error is kept");
        assert!(source.source().is_some_and(|io| io.to_string() == "denied"));
    }
}
