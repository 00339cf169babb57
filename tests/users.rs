//! Roles are enforced in the services: every forbidden user-management action is refused.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use boxoffice::app::AdminError;
use common::{Counter, stderr, stdout, with_user};

#[test]
fn demo_has_four_roles_and_only_admin_manages_users() {
    let counter = Counter::demo();
    let list = counter.run(&with_user(&["user", "list", "--json"], "admin", "0000"));
    assert!(list.status.success(), "{}", stderr(&list));
    let users: Vec<serde_json::Value> = serde_json::from_slice(&list.stdout).unwrap();
    let roles: Vec<(&str, &str)> = users
        .iter()
        .map(|u| (u["name"].as_str().unwrap(), u["role"].as_str().unwrap()))
        .collect();
    for expected in [
        ("admin", "admin"),
        ("cashier", "cashier"),
        ("manager", "manager"),
        ("staff", "staff"),
    ] {
        assert!(roles.contains(&expected), "{roles:?}");
    }

    let forbidden: [&[&str]; 4] = [
        &[
            "user",
            "add",
            "--name",
            "eve",
            "--role",
            "admin",
            "--new-pin",
            "4321",
        ],
        &["user", "list"],
        &["user", "set-pin", "--name", "admin", "--new-pin", "4321"],
        &["user", "disable", "--name", "admin"],
    ];
    for (user, pin) in [("cashier", "1111"), ("staff", "2222"), ("manager", "9999")] {
        for args in forbidden {
            let out = counter.run(&with_user(args, user, pin));
            assert!(!out.status.success(), "{user} may not {args:?}");
            assert!(
                stderr(&out).contains("not allowed"),
                "{user} {args:?}: {}",
                stderr(&out)
            );
        }
    }
    // Nothing was written by the refused attempts.
    let names: i64 = counter.count("users");
    assert_eq!(names, 4);
    assert_eq!(
        counter
            .sql()
            .query_row(
                "SELECT count(*) FROM journal WHERE kind LIKE 'user.%'",
                [],
                |r| r.get::<_, i64>(0)
            )
            .unwrap(),
        0
    );
}

#[test]
fn admin_adds_sets_pin_and_disables_users_journaled() {
    let counter = Counter::demo();
    let out = counter.run(&with_user(
        &[
            "user",
            "add",
            "--name",
            "anna",
            "--role",
            "cashier",
            "--new-pin",
            "5678",
        ],
        "admin",
        "0000",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let sell = |user: &str, pin: &str| counter.sell_as(user, pin, 2, "adult=1", "20");
    assert!(sell("anna", "5678").status.success());

    // A user changes their own PIN; an admin changes anyone's.
    let out = counter.run(&with_user(
        &["user", "set-pin", "--name", "anna", "--new-pin", "8765"],
        "anna",
        "5678",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!sell("anna", "5678").status.success());
    assert!(sell("anna", "8765").status.success());
    let out = counter.run(&with_user(
        &["user", "set-pin", "--name", "anna", "--new-pin", "1357"],
        "admin",
        "0000",
    ));
    assert!(out.status.success(), "{}", stderr(&out));

    let out = counter.run(&with_user(
        &["user", "disable", "--name", "anna"],
        "admin",
        "0000",
    ));
    assert!(out.status.success(), "{}", stderr(&out));
    let out = sell("anna", "1357");
    assert!(stderr(&out).contains("Unknown user"), "{}", stderr(&out));
    let listed = stdout(&counter.run(&with_user(&["user", "list"], "admin", "0000")));
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("anna") && l.ends_with("disabled")),
        "{listed}"
    );

    // Bad input: refused with a sentence, nothing written.
    for (args, expected) in [
        (
            vec![
                "user",
                "add",
                "--name",
                "anna",
                "--role",
                "staff",
                "--new-pin",
                "1234",
            ],
            "already a user anna",
        ),
        (
            vec![
                "user",
                "add",
                "--name",
                "Bob Smith",
                "--role",
                "staff",
                "--new-pin",
                "1234",
            ],
            "not valid",
        ),
        (
            vec![
                "user",
                "add",
                "--name",
                "bob",
                "--role",
                "boss",
                "--new-pin",
                "1234",
            ],
            "no role 'boss'",
        ),
        (
            vec![
                "user",
                "add",
                "--name",
                "bob",
                "--role",
                "staff",
                "--new-pin",
                "12",
            ],
            "4 to 8 digits",
        ),
        (vec!["user", "disable", "--name", "admin"], "your own user"),
    ] {
        let out = counter.run(&with_user(&args, "admin", "0000"));
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains(expected),
            "{args:?}: {}",
            stderr(&out)
        );
    }
    let kinds: Vec<String> = counter
        .sql()
        .prepare("SELECT kind FROM journal WHERE kind LIKE 'user.%' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        kinds,
        ["user.add", "user.set_pin", "user.set_pin", "user.disable"]
    );
    // No PIN and no hash in the journal.
    let journal: String = counter
        .sql()
        .query_row("SELECT group_concat(content) FROM journal", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(
        !journal.contains("5678") && !journal.contains("argon2"),
        "{journal}"
    );
    assert!(counter.run(&["verify"]).status.success());
}

#[test]
fn a_disabled_role_in_the_ledger_wins_over_the_session() {
    // The service re-reads the user: disabling a logged-in user takes effect on the next action.
    // (A role is fixed when the user is added: the ledger refuses to change it in place.)
    let counter = Counter::demo();
    let mut services = counter.services();
    let session = services.login("admin", "0000").unwrap();
    assert!(
        counter
            .try_execute(
                "UPDATE users SET role = 'cashier' WHERE name = 'admin'",
                &[]
            )
            .is_err()
    );
    counter.execute("UPDATE users SET active = 0 WHERE name = 'admin'", &[]);
    let error = services.list_users(&session).unwrap_err();
    assert!(
        matches!(
            error,
            boxoffice::app::AppError::Admin(AdminError::Forbidden { .. })
                | boxoffice::app::AppError::Admin(AdminError::UnknownUser)
        ),
        "{error:?}"
    );
}
