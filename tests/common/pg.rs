//! A real PostgreSQL server for the tests (issue 15): Debian's `postgresql` package, `initdb` and
//! `pg_ctl` into a temporary directory, listening on a free loopback port with SCRAM passwords.
//! One server per test binary (started on first use), a fresh database per test. Run as root, the
//! server runs as the unprivileged `postgres` system user (PostgreSQL refuses to run as root).
//! The server is stopped and its directory removed when the test binary ends: a small watcher
//! process waits for the test process to go (also after a panic or a SIGKILL).
#![allow(dead_code)]

use super::Bounded;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// The superuser made by `initdb`, and its password (tests only; never a real deployment's).
pub const ADMIN: &str = "boxoffice_test_admin";
pub const ADMIN_PASSWORD: &str = "test-only-admin-password";

pub struct PgServer {
    pub dir: PathBuf,
    pub port: u16,
    bin: PathBuf,
    run_as: Option<String>,
}

static SERVER: OnceLock<PgServer> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(1);

/// The binary's server, started on first use.
pub fn server() -> &'static PgServer {
    SERVER.get_or_init(PgServer::start)
}

/// A new, empty database on the binary's server, owned by the test superuser.
pub fn database() -> TestDb {
    let server = server();
    let name = format!(
        "t{}_{}",
        std::process::id(),
        NEXT_DB.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = server.connect("postgres");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create a test database");
    TestDb {
        name,
        port: server.port,
    }
}

pub struct TestDb {
    pub name: String,
    pub port: u16,
}

impl TestDb {
    /// The database's URL without a password (the password goes in an environment variable).
    pub fn url(&self) -> String {
        format!(
            "postgres://{ADMIN}@127.0.0.1:{}/{}?sslmode=disable",
            self.port, self.name
        )
    }

    /// The database's URL over the server's socket, where the test superuser needs no password
    /// (trust): for counters and services that run on it without one.
    pub fn socket_url(&self) -> String {
        format!(
            "postgres://{ADMIN}@localhost/{}?host={}&port={}&sslmode=disable",
            self.name,
            server().socket_dir().display(),
            self.port
        )
    }

    /// The same database as another role (made by the test with a password).
    pub fn url_as(&self, user: &str) -> String {
        format!(
            "postgres://{user}@127.0.0.1:{}/{}?sslmode=disable",
            self.port, self.name
        )
    }

    /// A superuser connection (SCRAM over TCP, like a counter on another machine).
    pub fn connect(&self) -> postgres::Client {
        server().connect(&self.name)
    }

    pub fn connect_as(&self, user: &str, password: &str) -> postgres::Client {
        connect(self.port, &self.name, user, password)
    }
}

pub fn connect(port: u16, db: &str, user: &str, password: &str) -> postgres::Client {
    postgres::Config::new()
        .host("127.0.0.1")
        .port(port)
        .user(user)
        .password(password)
        .dbname(db)
        .connect(postgres::NoTls)
        .unwrap_or_else(|e| panic!("connect to {db} as {user}: {e}"))
}

/// The newest PostgreSQL of Debian's layout (/usr/lib/postgresql/<major>/bin), or BOXOFFICE_PG_BIN.
pub fn bin_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("BOXOFFICE_PG_BIN") {
        return dir.into();
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect(
            "PostgreSQL is not installed: run scripts/setup-debian.sh (Debian's postgresql package)",
        )
        .flatten()
        .filter_map(|entry| {
            let major = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((major, bin))
        })
        .collect();
    found.sort();
    found
        .pop()
        .expect("no initdb under /usr/lib/postgresql/*/bin: run scripts/setup-debian.sh")
        .1
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output_bounded()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

impl PgServer {
    fn start() -> PgServer {
        let bin = bin_dir();
        let run_as = is_root().then(|| "postgres".to_string());
        let dir = tempfile::Builder::new()
            .prefix("boxoffice-pg-")
            .tempdir()
            .expect("temporary directory")
            .keep();
        let server = PgServer {
            dir,
            port: free_port(),
            bin,
            run_as,
        };
        server.watch_parent();
        if let Some(user) = &server.run_as {
            let status = Command::new("chown")
                .args([&format!("{user}:"), server.dir.to_str().unwrap()])
                .status()
                .expect("chown");
            assert!(status.success(), "chown of the server directory");
        }
        let pwfile = server.dir.join("pw");
        std::fs::write(&pwfile, ADMIN_PASSWORD).unwrap();
        if let Some(user) = &server.run_as {
            Command::new("chown")
                .args([&format!("{user}:"), pwfile.to_str().unwrap()])
                .status()
                .unwrap();
        }
        let data = server.data_dir();
        server.run_tool(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                ADMIN,
                "--pwfile",
                pwfile.to_str().unwrap(),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        std::fs::remove_file(&pwfile).unwrap();
        server.start_again();
        server
    }

    /// The server's options: its port and socket directory, loopback only, speed over durability.
    fn options(&self) -> String {
        // Tests need speed, not durability across a power cut.
        format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60",
            self.port,
            self.dir.display()
        )
    }

    /// Starts the server (again, after [`PgServer::stop`]); returns once it accepts connections.
    pub fn start_again(&self) {
        let data = self.data_dir();
        self.run_tool(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-l",
                self.dir.join("server.log").to_str().unwrap(),
                "-o",
                &self.options(),
                "-w",
                "start",
            ],
        );
    }

    /// Stops the server (`-m fast`: every connection ended, what was not committed rolled back).
    pub fn stop(&self) {
        let data = self.data_dir();
        self.run_tool(
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-m", "fast", "-w", "stop"],
        );
    }

    /// Restarts the server (`pg_ctl restart -m fast`: every connection is ended, what was not
    /// committed is rolled back), with its options as it was started; returns once it accepts
    /// connections again.
    pub fn restart(&self) {
        let data = self.data_dir();
        self.run_tool(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-l",
                self.dir.join("server.log").to_str().unwrap(),
                "-m",
                "fast",
                "-w",
                "restart",
            ],
        );
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// A PostgreSQL tool as the server's user.
    fn tool(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        match &self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(program);
                command
            }
            None => Command::new(program),
        }
    }

    fn run_tool(&self, name: &str, args: &[&str]) {
        let out = self
            .tool(name)
            .args(args)
            .current_dir(&self.dir)
            .output_bounded()
            .unwrap_or_else(|e| panic!("run {name}: {e}"));
        assert!(
            out.status.success(),
            "{name} failed: {}\n{}\nlog: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
        );
    }

    /// Stops the server and removes its directory once this test process is gone.
    fn watch_parent(&self) {
        let pg_ctl = self.bin.join("pg_ctl");
        let stop = match &self.run_as {
            Some(user) => format!("runuser -u {user} -- {}", pg_ctl.display()),
            None => pg_ctl.display().to_string(),
        };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; \
             {stop} -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{dir}'",
            pid = std::process::id(),
            data = self.data_dir().display(),
            dir = self.dir.display(),
        );
        // The watcher outlives this process on purpose: it is what cleans up after it.
        #[allow(clippy::zombie_processes)]
        Command::new("sh")
            .args(["-c", &script])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start the server's watcher");
    }

    pub fn connect(&self, db: &str) -> postgres::Client {
        connect(self.port, db, ADMIN, ADMIN_PASSWORD)
    }

    /// Hands a file to the server's account (when the tests run as root the server runs as
    /// `postgres`), private to it: e.g. its TLS key.
    pub fn give_to_server(&self, path: &Path) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
        if let Some(user) = &self.run_as {
            let status = Command::new("chown")
                .args([&format!("{user}:"), path.to_str().unwrap()])
                .status()
                .expect("chown");
            assert!(status.success(), "chown {}", path.display());
        }
    }

    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }
}
