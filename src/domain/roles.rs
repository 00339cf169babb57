//! Roles and what they may do. Deny by default: a role may do only what its list names.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Cashier,
    Staff,
    Manager,
    Admin,
}

/// Written into JSON as its code (`cashier`, …), the text the ledger stores.
impl serde::Serialize for Role {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    Sell,
    RefundCash,
    RefundCard,
    RefundBank,
    Reprint,
    Remail,
    OpenDrawerWithoutSale,
    CashInOut,
    CloseShift,
    Settings,
    ManageUsers,
    /// Hold seats for press, artists or technical reasons, and release them.
    HoldSeats,
}

impl Permission {
    pub const ALL: [Permission; 12] = [
        Permission::Sell,
        Permission::RefundCash,
        Permission::RefundCard,
        Permission::RefundBank,
        Permission::Reprint,
        Permission::Remail,
        Permission::OpenDrawerWithoutSale,
        Permission::CashInOut,
        Permission::CloseShift,
        Permission::Settings,
        Permission::ManageUsers,
        Permission::HoldSeats,
    ];
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Cashier, Role::Staff, Role::Manager, Role::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::Staff => "staff",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    /// Everything this role may do; anything not listed is refused.
    pub fn permissions(self) -> &'static [Permission] {
        use Permission::*;
        match self {
            Role::Cashier => &[Sell],
            Role::Staff => &[Sell, Reprint, Remail],
            Role::Manager => &[
                Sell,
                RefundCash,
                RefundCard,
                RefundBank,
                Reprint,
                Remail,
                OpenDrawerWithoutSale,
                CashInOut,
                CloseShift,
                HoldSeats,
            ],
            Role::Admin => &Permission::ALL,
        }
    }

    pub fn may(self, permission: Permission) -> bool {
        self.permissions().contains(&permission)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A PIN is 4 to 8 digits.
pub fn valid_pin(pin: &str) -> bool {
    (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deny_by_default() {
        assert!(Role::Cashier.may(Permission::Sell));
        assert!(!Role::Cashier.may(Permission::RefundCash));
        assert!(!Role::Cashier.may(Permission::ManageUsers));
        assert!(!Role::Staff.may(Permission::CloseShift));
        assert!(Role::Staff.may(Permission::Reprint));
        assert!(!Role::Manager.may(Permission::ManageUsers));
        assert!(Role::Admin.may(Permission::ManageUsers));
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("root"), None);
    }

    #[test]
    fn pins_are_four_to_eight_digits() {
        assert!(valid_pin("1111") && valid_pin("12345678"));
        assert!(
            !valid_pin("111") && !valid_pin("123456789") && !valid_pin("12a4") && !valid_pin("")
        );
    }
}
