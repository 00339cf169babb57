//! `mail server|dkim|test|send|outbox|flush|readdress` and `sms gateway|send`.

use boxoffice::app::Services;
use boxoffice::domain::ids::OrderNumber;
use clap::Subcommand;

use super::auth::{Auth, Login, password_from_stdin};
use super::error::CliResult;
use super::output::{json_line, say};
use super::parse_lang;

#[derive(Subcommand)]
pub enum MailCommand {
    /// SMTP servers: add, copy, list, default.
    Server {
        #[command(subcommand)]
        command: MailServerCommand,
    },
    /// DKIM keys per sending domain.
    Dkim {
        #[command(subcommand)]
        command: DkimCommand,
    },
    /// Send a test message through a server; on failure the server's reply and what it means.
    Test {
        #[arg(long)]
        server: String,
        #[arg(long)]
        to: String,
        /// Language of the message and the explanation: fi, sv or en.
        #[arg(long, default_value = "en")]
        lang: String,
        #[command(flatten)]
        auth: Auth,
    },
    /// Queue an order's tickets for mail (to its address or --to) and send now.
    Send {
        #[arg(long)]
        order: i64,
        #[arg(long)]
        to: Option<String>,
        #[command(flatten)]
        auth: Auth,
    },
    /// The outbox: every message with its state and the server's last reply.
    Outbox {
        /// Only messages that failed.
        #[arg(long)]
        failed: bool,
        #[arg(long)]
        json: bool,
    },
    /// Send what is queued (and every retry) now, then exit: 0 when nothing is left unsent.
    Flush {
        #[command(flatten)]
        auth: Auth,
    },
    /// Correct the address of a failed message and send it again (old and new are journaled).
    Readdress {
        /// The message's id in the outbox.
        mail: i64,
        #[arg(long)]
        to: String,
        #[command(flatten)]
        auth: Auth,
    },
}

#[derive(Subcommand)]
pub enum SmsCommand {
    /// Set up the HTTP SMS gateway ({to} and {text} are filled into the URL and the body).
    Gateway {
        /// e.g. https://sms.example.fi/send?to={to}&text={text}
        #[arg(long)]
        url: String,
        /// get or post
        #[arg(long, default_value = "post")]
        method: String,
        /// The POST body, e.g. {"to":"{to}","message":"{text}"}
        #[arg(long)]
        body: Option<String>,
        /// The gateway's user name (HTTP basic).
        #[arg(long)]
        user: Option<String>,
        /// Read the gateway's password from the first line of standard input.
        #[arg(long, requires = "user")]
        password_stdin: bool,
        /// The ticket's link; {code} is the ticket code, e.g. https://liput.example.fi/t/{code}
        #[arg(long)]
        link: String,
        #[command(flatten)]
        login: Login,
    },
    /// Send an order's tickets to a phone.
    Send {
        #[arg(long)]
        order: i64,
        #[arg(long)]
        to: String,
        #[command(flatten)]
        auth: Auth,
    },
}

#[derive(Subcommand)]
pub enum MailServerCommand {
    /// Add an SMTP server (the password is read from standard input, never from the command line).
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        host: String,
        #[arg(long)]
        port: u16,
        /// starttls, tls or none (none only for a local relay)
        #[arg(long)]
        security: String,
        /// The SMTP user name.
        #[arg(long)]
        user: Option<String>,
        /// Read the SMTP password from the first line of standard input.
        #[arg(long, requires = "user")]
        password_stdin: bool,
        /// The sender address.
        #[arg(long)]
        from: String,
        /// The sender's display name.
        #[arg(long, default_value = "Box office")]
        from_name: String,
        #[command(flatten)]
        login: Login,
    },
    /// Make a new server by copying one (settings, templates and password).
    Copy {
        from: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        auth: Auth,
    },
    /// List the servers; the default is marked.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Make NAME the server that sends by default (or, with --for-user, for the events that user created).
    Default {
        name: String,
        #[arg(long)]
        for_user: Option<String>,
        #[command(flatten)]
        auth: Auth,
    },
}

#[derive(Subcommand)]
pub enum DkimCommand {
    /// Generate a 2048-bit RSA key for a domain and print the records to publish.
    Generate {
        #[arg(long)]
        domain: String,
        #[arg(long)]
        selector: String,
        #[command(flatten)]
        auth: Auth,
    },
    /// Print the DKIM TXT record's name and value (and the SPF and DMARC suggestions).
    Show {
        #[arg(long)]
        domain: String,
    },
}

pub fn sms_command(services: &mut Services, command: SmsCommand) -> CliResult {
    use boxoffice::mail::sms::Method;
    match command {
        SmsCommand::Gateway {
            url,
            method,
            body,
            user,
            password_stdin,
            link,
            login,
        } => {
            let session = login.session(services)?;
            let method = Method::parse(&method)
                .ok_or_else(|| format!("--method must be get or post, not '{method}'"))?;
            let password = if password_stdin {
                Some(password_from_stdin()?)
            } else {
                None
            };
            services.set_sms_gateway(
                &session,
                &boxoffice::app::SmsGatewayRequest {
                    url_template: url,
                    method,
                    body_template: body,
                    username: user,
                    password,
                    link_template: link,
                },
            )?;
            say!("SMS gateway saved");
        }
        SmsCommand::Send { order, to, auth } => {
            let session = auth.session(services)?;
            let outcome = services.send_tickets_sms(&session, OrderNumber(order), &to)?;
            if outcome.sent {
                say!(
                    "order {order}: tickets sent by SMS (gateway: {})",
                    outcome.reply
                );
            } else {
                return Err(format!(
                    "order {order}: the SMS gateway refused the message: {}",
                    outcome.reply
                )
                .into());
            }
        }
    }
    Ok(())
}

pub fn mail_command(services: &mut Services, command: MailCommand) -> CliResult {
    match command {
        MailCommand::Server { command } => server_command(services, command),
        MailCommand::Dkim { command } => dkim_command(services, command),
        MailCommand::Test {
            server,
            to,
            lang,
            auth,
        } => test_mail(services, &server, &to, &lang, auth),
        MailCommand::Send { order, to, auth } => send(services, order, to, auth),
        MailCommand::Outbox { failed, json } => outbox(services, failed, json),
        MailCommand::Flush { auth } => flush(services, auth),
        MailCommand::Readdress { mail, to, auth } => readdress(services, mail, &to, auth),
    }
}

fn server_command(services: &mut Services, command: MailServerCommand) -> CliResult {
    match command {
        MailServerCommand::Add {
            name,
            host,
            port,
            security,
            user,
            password_stdin,
            from,
            from_name,
            login,
        } => {
            use boxoffice::mail::smtp::Security;
            let session = login.session(services)?;
            let security = Security::parse(&security).ok_or_else(|| {
                format!("--security must be starttls, tls or none, not '{security}'")
            })?;
            let password = if password_stdin {
                Some(password_from_stdin()?)
            } else {
                None
            };
            let id = services.add_mail_server(
                &session,
                &boxoffice::app::MailServerRequest {
                    name: name.clone(),
                    host,
                    port,
                    security,
                    username: user,
                    password,
                    from_name,
                    from_address: from,
                },
            )?;
            say!("mail server {name} added (id {id})");
        }
        MailServerCommand::Copy { from, name, auth } => {
            let session = auth.session(services)?;
            let id = services.copy_mail_server(&session, &from, &name)?;
            say!("mail server {name} copied from {from} (id {id})");
        }
        MailServerCommand::List { json } => return list_servers(services, json),
        MailServerCommand::Default {
            name,
            for_user,
            auth,
        } => {
            let session = auth.session(services)?;
            services.choose_mail_server(&session, &name, for_user.as_deref())?;
            match for_user {
                Some(user) => say!("mail server {name} now sends for the events of {user}"),
                None => say!("mail server {name} now sends by default"),
            }
        }
    }
    Ok(())
}

fn list_servers(services: &mut Services, json: bool) -> CliResult {
    let (servers, default) = services.mail_servers()?;
    let default_id = default.or_else(|| servers.iter().find(|s| s.builtin).map(|s| s.id));
    if json {
        let value: Vec<serde_json::Value> = servers
            .iter()
            .map(|server| {
                let mut value = serde_json::to_value(server).unwrap_or_default();
                value["default"] = serde_json::json!(Some(server.id) == default_id);
                value["password_stored"] = serde_json::json!(server.secret_name.is_some());
                value
            })
            .collect();
        say!("{}", serde_json::Value::Array(value));
    } else {
        for server in &servers {
            say!(
                "{} {:<16} {}:{} {:<8} {} <{}>{}{}",
                if Some(server.id) == default_id {
                    "*"
                } else {
                    " "
                },
                server.name,
                server.host,
                server.port,
                server.security,
                server.from_name,
                server.from_address,
                server
                    .username
                    .as_deref()
                    .map(|u| format!(" user {u}"))
                    .unwrap_or_default(),
                if server.builtin {
                    " (built-in, read-only)"
                } else {
                    ""
                },
            );
        }
    }
    Ok(())
}

fn dkim_command(services: &mut Services, command: DkimCommand) -> CliResult {
    let records = match command {
        DkimCommand::Generate {
            domain,
            selector,
            auth,
        } => {
            let session = auth.session(services)?;
            services.generate_dkim_key(&session, &domain, &selector)?
        }
        DkimCommand::Show { domain } => services.domain_records(&domain)?,
    };
    say!(
        "{} {} \"{}\"",
        records.dkim.name,
        records.dkim.kind,
        records.dkim.value
    );
    say!("# SPF (add the sending server to the domain's SPF record):");
    say!(
        "# {} {} \"{}\"",
        records.spf.name,
        records.spf.kind,
        records.spf.value
    );
    say!("# DMARC (start with p=none, tighten once the reports are clean):");
    say!(
        "# {} {} \"{}\"",
        records.dmarc.name,
        records.dmarc.kind,
        records.dmarc.value
    );
    Ok(())
}

fn test_mail(services: &mut Services, server: &str, to: &str, lang: &str, auth: Auth) -> CliResult {
    let session = auth.session(services)?;
    let lang = parse_lang(lang)?;
    let outcome = services.send_test_mail(&session, server, to, lang)?;
    if outcome.delivered {
        say!("test mail accepted by {server}: {}", outcome.reply);
    } else {
        return Err(format!(
            "test mail not sent. The server replied: {}\n{}",
            outcome.reply, outcome.meaning
        )
        .into());
    }
    Ok(())
}

fn send(services: &mut Services, order: i64, to: Option<String>, auth: Auth) -> CliResult {
    let session = auth.session(services)?;
    let mail_id = services.queue_ticket_mail(&session, OrderNumber(order), to.as_deref(), true)?;
    let report = services.send_due(false)?;
    let entry = services
        .mail_entry(mail_id)?
        .ok_or("the queued message is missing from the outbox")?;
    let reply = entry.last_reply.clone().unwrap_or_default();
    if report.sent.contains(&mail_id) {
        say!(
            "order {order}: tickets mailed to {} ({reply})",
            entry.to_address
        );
    } else if report.retrying.contains(&mail_id) {
        return Err(format!(
            "order {order}: not sent yet, will be retried ({reply}); message {mail_id} stays queued"
        )
        .into());
    } else {
        return Err(format!(
            "order {order}: mail to {} failed: {reply}",
            entry.to_address
        )
        .into());
    }
    Ok(())
}

fn outbox(services: &mut Services, failed: bool, json: bool) -> CliResult {
    let rows = services.outbox(failed)?;
    if json {
        json_line(&rows)?;
    } else {
        for row in &rows {
            say!(
                "{:>5}  order {:<6} {:<32} {:<9} attempts {}  {}",
                row.id,
                row.order_id,
                row.to_address,
                row.state,
                row.attempts,
                row.last_reply.as_deref().unwrap_or("")
            );
        }
    }
    Ok(())
}

fn flush(services: &mut Services, auth: Auth) -> CliResult {
    auth.session(services)?;
    let report = services.send_due(true)?;
    say!(
        "{} sent, {} to retry, {} failed",
        report.sent.len(),
        report.retrying.len(),
        report.failed.len()
    );
    if !report.retrying.is_empty() || !report.failed.is_empty() {
        return Err("not every message was sent: see `boxoffice mail outbox`".into());
    }
    Ok(())
}

fn readdress(services: &mut Services, mail: i64, to: &str, auth: Auth) -> CliResult {
    let session = auth.session(services)?;
    let new_id = services.readdress_mail(&session, mail, to)?;
    let report = services.send_due(false)?;
    if report.sent.contains(&new_id) {
        say!("message {mail} re-sent to {to} as message {new_id}");
    } else {
        return Err(format!(
            "message {mail} re-addressed to {to} as message {new_id}, but not sent yet: see `boxoffice mail outbox`"
        ).into());
    }
    Ok(())
}
