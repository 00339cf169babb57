#!/usr/bin/env bash
# The money suites again with every test counter on a shared ledger (PostgreSQL): the same test
# bodies, `BOXOFFICE_TEST_ENGINE=postgres` (tests/common/mod.rs: `init` copies the counter into a
# new database on the binary's test server and every later command runs there). `.ci/run` runs
# this after the whole suite has run on SQLite. Extra arguments go to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
export BOXOFFICE_TEST_ENGINE=postgres
cargo test "$@" \
  --test refunds --test shifts --test receipts --test reports --test day_z --test seats \
  --test bank --test bank_flow --test card --test printing --test mail --test nets \
  --test permissions --test users
# From the command-line suite, what is not about the SQLite file itself: counters racing for
# the last seats, and the PIN lock.
cargo test "$@" --test cli -- two_processes_selling_the_last_seats wrong_pins_are_counted
