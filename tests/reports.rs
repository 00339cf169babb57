//! `boxoffice report sales|refunds|z` over dates, as CSV and JSON.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use common::{Counter, stderr, stdout};

fn report(counter: &Counter, args: &[&str]) -> std::process::Output {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend(["--user", "manager", "--pin", "9999"]);
    counter.run(&all)
}

#[test]
fn sales_refunds_and_z_reports_add_up() {
    let counter = Counter::demo();
    counter.sell_json(2, "adult=2,child=1", "50");
    counter.sell_json(1, "adult=1", "35");
    let out = counter.run(&[
        "refund",
        "--order",
        "1",
        "--amount",
        "5",
        "--reason",
        "wrong seat, moved",
        "--user",
        "manager",
        "--pin",
        "9999",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = counter.run(&[
        "shift",
        "close",
        "--count",
        "100=2,20=1,5=1,1=1",
        "--user",
        "manager",
        "--pin",
        "9999",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    let today = chrono::Local::now().date_naive().to_string();
    let out = report(
        &counter,
        &["sales", "--from", &today, "--to", &today, "--json"],
    );
    let tables: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let table = |name: &str| {
        tables
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name)
            .unwrap()
            .clone()
    };
    let per_performance = table("per_performance");
    let gross: i64 = per_performance["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[5].as_i64().unwrap())
        .sum();
    assert_eq!(gross, 8100);
    let refunded: i64 = per_performance["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[6].as_i64().unwrap())
        .sum();
    assert_eq!(refunded, 500);
    assert_eq!(
        table("per_tender")["rows"][0],
        serde_json::json!(["cash", 2, 8100])
    );
    let hours: i64 = table("per_hour")["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[3].as_i64().unwrap())
        .sum();
    assert_eq!(hours, 8100);

    let csv = stdout(&report(&counter, &["refunds", "--csv"]));
    assert!(csv.starts_with("report,created_at,order_number,receipt,amount_cents,tender,reason_code,reason_text,user,authorised_by\n"), "{csv}");
    assert!(
        csv.contains(",1,3,500,cash,other,\"wrong seat, moved\",manager,manager\n"),
        "{csv}"
    );

    let z = stdout(&report(&counter, &["z", "--csv"]));
    assert!(z.lines().nth(1).unwrap().starts_with("z_reports,1,"), "{z}");

    // Yesterday had nothing; a bad date and a cashier are refused.
    let yesterday = (chrono::Local::now().date_naive() - chrono::Days::new(1)).to_string();
    let out = report(
        &counter,
        &["sales", "--from", &yesterday, "--to", &yesterday, "--json"],
    );
    let tables: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        tables
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["rows"].as_array().unwrap().is_empty())
    );
    assert!(
        stderr(&report(&counter, &["sales", "--from", "25.11.2026"])).contains("is not a date")
    );
    let out = counter.run(&["report", "sales", "--user", "cashier", "--pin", "1111"]);
    assert!(stderr(&out).contains("not allowed"), "{}", stderr(&out));
}
