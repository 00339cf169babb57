//! The seam for a control unit or a per-receipt signature (issue 13, "Not in this issue";
//! ARCHITECTURE.md): a `FiscalDevice` is called inside the sale's transaction with the receipt's
//! canonical content; its stamp is stored with the receipt and journaled there, and a device
//! that gives no stamp leaves nothing sold. The stand-in signer chains SHA-256 stamps; the test
//! recomputes them from the journal with the sha2 crate directly.
// Tests and benches: a failed unwrap is a failed run, and cleanup is best effort.
#![allow(clippy::unwrap_used, clippy::let_underscore_must_use)]

mod common;

use boxoffice::app::{AppError, JournalSha256Chain, SaleError, SaleRequest};
use boxoffice::domain::Money;
use common::{Counter, stderr};
use sha2::{Digest, Sha256};

fn request() -> SaleRequest {
    SaleRequest {
        performance_id: boxoffice::domain::ids::PerformanceId(2),
        items: vec![("adult".into(), 1)],
        tendered: Money::from_cents(5000),
        ..SaleRequest::default()
    }
}

#[test]
fn a_signing_step_stamps_every_sale_in_its_transaction_and_a_silent_one_sells_nothing() {
    let counter = Counter::demo();
    let mut services = counter.services();
    let session = services.login("cashier", "1111").unwrap();

    // No device (the default): nothing stamped.
    services.sell(&session, &request()).unwrap();
    assert_eq!(counter.count("fiscal_stamps"), 0);

    services.set_fiscal_device(Box::new(JournalSha256Chain::default()));
    services.sell(&session, &request()).unwrap();
    services.sell(&session, &request()).unwrap();
    let sql = counter.sql();
    let register: String = sql
        .query_row("SELECT id FROM register", [], |r| r.get(0))
        .unwrap();
    let mut previous = String::new();
    for order in [2_i64, 3] {
        let (number, device, key_version, stamp) = services
            .fiscal_stamp(boxoffice::domain::ids::OrderNumber(order))
            .unwrap()
            .unwrap();
        assert_eq!(
            (device.as_str(), key_version.as_str()),
            ("journal-sha256-chain", "journal-sha256")
        );
        // The sale's journal entry is the receipt's canonical content.
        let content: String = sql
            .query_row(
                "SELECT content FROM journal WHERE kind = 'sale' AND order_id = ?1",
                [order],
                |r| r.get(0),
            )
            .unwrap();
        let mut hasher = Sha256::new();
        hasher.update(format!("{previous}\n{register}\n{number}\n{content}"));
        let expected: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(stamp, expected, "order {order}");
        // Journaled in the same transaction, right after the sale's entry.
        let (kind_after, journaled): (String, String) = sql
            .query_row(
                "SELECT kind, content FROM journal WHERE seq = (SELECT seq FROM journal WHERE kind = 'sale' AND order_id = ?1) + 1",
                [order],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(kind_after, "fiscal.stamp");
        assert!(journaled.contains(&stamp), "{journaled}");
        previous = stamp;
    }

    // A control unit that does not answer: the sale rolls back whole.
    let orders = counter.count("orders");
    let journal = counter.count("journal");
    services.set_fiscal_device(Box::new(JournalSha256Chain {
        fail_with: Some("no answer from the control unit".into()),
    }));
    match services.sell(&session, &request()) {
        Err(AppError::Sale(SaleError::FiscalDevice(why))) => {
            assert!(why.contains("no answer"), "{why}")
        }
        other => panic!("expected the device's refusal, got {other:?}"),
    }
    assert_eq!(counter.count("orders"), orders);
    assert_eq!(counter.count("journal"), journal);
    assert_eq!(counter.count("fiscal_stamps"), 2);

    // The stamps are append-only, and the ledger still verifies.
    let error = counter
        .try_execute("UPDATE fiscal_stamps SET stamp = 'x'", &[])
        .unwrap_err();
    assert!(error.to_string().contains("append-only"), "{error}");
    drop(services);
    let out = counter.run(&["verify"]);
    assert!(out.status.success(), "{}", stderr(&out));
}
