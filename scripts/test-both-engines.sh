#!/usr/bin/env bash
# The ledger, service and end-to-end suites again with every test counter on a shared ledger
# (PostgreSQL): the same test bodies, `BOXOFFICE_TEST_ENGINE=postgres` (tests/common/mod.rs: `init`
# copies the counter into a new database on the binary's test server, every later command runs
# there, `Counter::services()` opens the services on it, and `execute`/`tamper`/`count` write and
# read on the counter's engine). `.ci/run` runs this after the whole suite has run on SQLite.
# Extra arguments go to cargo test.
#
# What is about the SQLite file itself returns at once on PostgreSQL through the one documented
# check, `common::sqlite_only(why)`, which says why on standard error. In the suites below:
#   cli: unwritable_data_directory_is_a_clear_error (no ledger yet),
#        selling_before_init_says_how_to_set_up (no ledger at all),
#        corrupt_ledger_is_refused_and_left_alone (the file's bytes),
#        another_programs_database_without_an_application_id_is_refused_untouched (another
#          program's SQLite file; the server's own check: tests/pg_schema.rs),
#        newer_schema_is_refused_and_left_alone (user_version; on the server: tests/pg_cli.rs,
#          tests/pg_schema.rs), locked_ledger_is_a_clear_error_and_nothing_is_written (SQLite's
#          file lock; row locks: tests/pg_contention.rs),
#        the_data_directory_and_the_ledger_are_private_to_the_counters_account (mode bits).
set -euo pipefail
cd "$(dirname "$0")/.."
export BOXOFFICE_TEST_ENGINE=postgres
cargo test "$@" \
  --test refunds --test shifts --test receipts --test reports --test day_z --test seats \
  --test bank --test bank_flow --test card --test printing --test mail --test nets \
  --test permissions --test users --test cli --test lookup --test fiscal --test mail_in_sale \
  --test card_race
