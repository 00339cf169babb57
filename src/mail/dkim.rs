//! DKIM: a 2048-bit RSA key per sending domain, the DNS TXT record to publish, and the SPF and
//! DMARC records the organiser's DNS administrator should add (their work, shown by us).

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use lettre::message::dkim::{
    DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
    DkimSigningKey,
};
use lettre::message::header::HeaderName;
use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
use rsa::pkcs8::EncodePublicKey;
use rsa::{RsaPrivateKey, RsaPublicKey};

use super::secrets::Secret;

pub const KEY_BITS: usize = 2048;

/// A fresh key: the private half as PKCS#1 PEM (for the secret store), the public half as
/// base64 DER (the `p=` of the TXT record).
pub struct GeneratedKey {
    pub private_pem: Secret,
    pub public_key_base64: String,
}

#[derive(Debug, thiserror::Error)]
#[error("DKIM key: {0}")]
pub struct DkimError(String);

pub fn generate_key() -> Result<GeneratedKey, DkimError> {
    let mut rng = rand_core::OsRng;
    let private = RsaPrivateKey::new(&mut rng, KEY_BITS).map_err(|e| DkimError(e.to_string()))?;
    let private_pem = private
        .to_pkcs1_pem(LineEnding::LF)
        .map_err(|e| DkimError(e.to_string()))?;
    let public_der = RsaPublicKey::from(&private)
        .to_public_key_der()
        .map_err(|e| DkimError(e.to_string()))?;
    Ok(GeneratedKey {
        private_pem: Secret::new(private_pem.as_str()),
        public_key_base64: BASE64.encode(public_der.as_bytes()),
    })
}

/// The signed headers: who, to whom, what, when and which message.
/// (lettre keeps a multipart message's MIME-Version and Content-Type with the body, so signing
/// them would name headers it never hashed: verifiers then fail.)
const SIGNED_HEADERS: [&str; 5] = ["From", "To", "Subject", "Date", "Message-ID"];

/// The signing configuration of a domain from its stored private key: rsa-sha256,
/// relaxed/relaxed canonicalization (survives the header refolding relays do).
pub fn signing_config(
    domain: &str,
    selector: &str,
    private_pem: &Secret,
) -> Result<DkimConfig, DkimError> {
    let key = DkimSigningKey::new(private_pem.expose(), DkimSigningAlgorithm::Rsa)
        .map_err(|e| DkimError(e.to_string()))?;
    Ok(DkimConfig::new(
        selector.to_string(),
        domain.to_string(),
        key,
        SIGNED_HEADERS
            .iter()
            .map(|name| HeaderName::new_from_ascii_str(name))
            .collect(),
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    ))
}

/// One DNS record to publish.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DnsRecord {
    pub name: String,
    pub kind: &'static str,
    pub value: String,
}

pub fn dkim_record(domain: &str, selector: &str, public_key_base64: &str) -> DnsRecord {
    DnsRecord {
        name: format!("{selector}._domainkey.{domain}"),
        kind: "TXT",
        value: format!("v=DKIM1; k=rsa; p={public_key_base64}"),
    }
}

/// SPF: the domain's mail may come from the sending SMTP server (`smtp_host`).
pub fn spf_record(domain: &str, smtp_host: &str) -> DnsRecord {
    let mechanism = if smtp_host.parse::<std::net::Ipv4Addr>().is_ok() {
        format!("ip4:{smtp_host}")
    } else {
        format!("a:{smtp_host}")
    };
    DnsRecord {
        name: domain.to_string(),
        kind: "TXT",
        value: format!("v=spf1 mx {mechanism} ~all"),
    }
}

/// DMARC: start by monitoring (p=none) with aggregate reports; tighten once reports are clean.
pub fn dmarc_record(domain: &str) -> DnsRecord {
    DnsRecord {
        name: format!("_dmarc.{domain}"),
        kind: "TXT",
        value: format!("v=DMARC1; p=none; rua=mailto:dmarc-reports@{domain}; adkim=r; aspf=r"),
    }
}

/// A DNS name label: letters, digits and hyphens (for selectors and domains).
pub fn valid_dns_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_have_the_published_names() {
        let record = dkim_record("liput.example.fi", "bo2026", "MIIB");
        assert_eq!(record.name, "bo2026._domainkey.liput.example.fi");
        assert_eq!(record.value, "v=DKIM1; k=rsa; p=MIIB");
        assert_eq!(
            spf_record("example.fi", "62.183.231.125").value,
            "v=spf1 mx ip4:62.183.231.125 ~all"
        );
        assert_eq!(dmarc_record("example.fi").name, "_dmarc.example.fi");
        assert!(valid_dns_name("bo-2026"));
        assert!(!valid_dns_name("bad name"));
        assert!(!valid_dns_name("x..y"));
    }
}
