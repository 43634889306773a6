//! Configuration: defaults, then an optional TOML file, then `SAHIFA_*` environment variables.
//! Held in `AppState`; never a global.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// Every setting sahifa reads. Field names are the TOML keys; `SAHIFA_<UPPER_NAME>` overrides.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Folder for the SQLite file, the search index and local mail.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; empty means `sqlite://<data_dir>/sahifa.db`.
    pub database_url: String,
    /// Address `serve` listens on.
    pub addr: String,
    /// Public base URL used in e-mails and feeds.
    pub base_url: String,
    /// Mark session cookies `Secure` (turn off only for plain-HTTP local use).
    pub secure_cookies: bool,
    /// `smtp://user:pass@host:port` or `smtps://…`; empty means the file mail backend.
    pub smtp_url: String,
    /// Sender address of outgoing mail.
    pub mail_from: String,
    /// Require a verified e-mail before an account can act.
    pub require_verified_email: bool,
    /// Extra boilerplate phrase file, added to the built-in list.
    pub boilerplate_file: Option<PathBuf>,
    /// Allow the feed fetcher to reach private and loopback addresses.
    pub fetch_allow_private: bool,
    /// Hosts and networks (CIDRs) the feed fetcher may reach although they are private or
    /// loopback (env `SAHIFA_FETCH_ALLOW`, comma-separated).
    pub fetch_allow: Vec<String>,
    /// Log format: `pretty` or `json`.
    pub log_format: String,
    /// Answer `/metrics` to any client, not only loopback ones (set it when the metrics
    /// port is reachable only by your monitoring).
    pub metrics_public: bool,
    /// argon2id memory cost in KiB (default 19456 = 19 MiB; lower only in tests).
    pub password_memory_kib: u32,
    /// argon2id iterations (default 2).
    pub password_iterations: u32,
    /// DKIM private key for newsletter mail (RSA PKCS#1 PEM or Ed25519 base64).
    pub dkim_key_file: Option<PathBuf>,
    /// DKIM selector (the `s=` tag; the key is published at `<selector>._domainkey.<domain>`).
    pub dkim_selector: String,
    /// DKIM signing domain (the `d=` tag).
    pub dkim_domain: String,
    /// Time zone of newsletter recipients who set none (IANA name).
    pub default_time_zone: String,
    /// Newsletter mails per second per transport, shared by every worker (0: no limit).
    pub newsletter_rate: u32,
    /// Ledger rows a worker claims at a time.
    pub newsletter_batch: u32,
    /// Seconds a claimed batch and an SMTP transaction are leased for.
    pub newsletter_lease_secs: u32,
    /// Hard bounces after which an address gets no more newsletters.
    pub newsletter_bounce_limit: u32,
    /// Password hashes computed at once (each holds `password_memory_kib`); 0 sizes it from
    /// the cores and memory of the machine. More wait briefly, then get 503.
    pub password_hashes: usize,
    /// Reverse proxies (addresses or CIDRs, env `SAHIFA_TRUSTED_PROXIES` comma-separated)
    /// whose `X-Forwarded-For` is believed: from them, the right-most address of the
    /// header that is not itself a trusted proxy is the client, for rate limits and logs.
    pub trusted_proxies: Vec<String>,
    /// Run background jobs inside `serve` (`serve --no-jobs` or `SAHIFA_JOBS=false` leaves
    /// them to `sahifa worker`).
    pub jobs: bool,
    /// Jobs one process runs at once.
    pub jobs_concurrency: usize,
    /// How often an idle runner looks for due jobs, in milliseconds.
    pub jobs_poll_ms: u64,
    /// How long a job's claim lasts without a heartbeat, in milliseconds.
    pub jobs_lease_ms: u64,
    /// Delay before a failed job's first retry, in milliseconds (doubling, with jitter).
    pub jobs_retry_base_ms: u64,
    /// How long a stopping process lets running jobs finish before it releases them, in
    /// milliseconds.
    pub jobs_grace_ms: u64,
    /// How often the scheduler looks for feed sources due for a poll, in seconds (each due
    /// source becomes a `feed_poll` job); 0 leaves polling to `sahifa poll`.
    pub poll_every_secs: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("sahifa-data"),
            database_url: String::new(),
            addr: "127.0.0.1:8080".into(),
            base_url: "http://127.0.0.1:8080".into(),
            secure_cookies: true,
            smtp_url: String::new(),
            mail_from: "sahifa <no-reply@localhost>".into(),
            require_verified_email: false,
            boilerplate_file: None,
            fetch_allow_private: false,
            fetch_allow: Vec::new(),
            log_format: "pretty".into(),
            metrics_public: false,
            password_memory_kib: 19 * 1024,
            password_iterations: 2,
            dkim_key_file: None,
            dkim_selector: String::new(),
            dkim_domain: String::new(),
            default_time_zone: "UTC".into(),
            newsletter_rate: 0,
            newsletter_batch: 20,
            newsletter_lease_secs: 60,
            newsletter_bounce_limit: 3,
            password_hashes: 0,
            trusted_proxies: Vec::new(),
            jobs: true,
            jobs_concurrency: 4,
            jobs_poll_ms: 1000,
            jobs_lease_ms: 60_000,
            jobs_retry_base_ms: 5000,
            jobs_grace_ms: 20_000,
            poll_every_secs: 15,
        }
    }
}

impl Config {
    /// Loads defaults, then `file` (or `<data_dir>/sahifa.toml` when present), then the
    /// environment given by `env` (normally `std::env::vars()`).
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> anyhow::Result<Config> {
        let env: Vec<(String, String)> = env.into_iter().collect();
        let mut cfg = Config::default();
        if let Some((_, dir)) = env.iter().find(|(k, _)| k == "SAHIFA_DATA") {
            cfg.data_dir = PathBuf::from(dir);
        }
        let implicit = cfg.data_dir.join("sahifa.toml");
        let path = match file {
            Some(p) => Some(p.to_path_buf()),
            None if implicit.is_file() => Some(implicit),
            None => None,
        };
        if let Some(path) = path {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading config file {}", path.display()))?;
            cfg = toml::from_str(&text)
                .with_context(|| format!("parsing config file {}", path.display()))?;
        }
        for (key, value) in env {
            let Some(name) = key.strip_prefix("SAHIFA_") else {
                continue;
            };
            cfg.apply_env(name, &value)
                .with_context(|| format!("environment variable {key}"))?;
        }
        Ok(cfg)
    }

    fn apply_env(&mut self, name: &str, v: &str) -> anyhow::Result<()> {
        let flag = |v: &str| -> anyhow::Result<bool> {
            match v.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => anyhow::bail!("expected true or false, got {v:?}"),
            }
        };
        match name {
            "DATA" | "DATA_DIR" => self.data_dir = PathBuf::from(v),
            "DATABASE_URL" => self.database_url = v.into(),
            "ADDR" => self.addr = v.into(),
            "BASE_URL" => self.base_url = v.into(),
            "SECURE_COOKIES" => self.secure_cookies = flag(v)?,
            "SMTP_URL" => self.smtp_url = v.into(),
            "MAIL_FROM" => self.mail_from = v.into(),
            "REQUIRE_VERIFIED_EMAIL" => self.require_verified_email = flag(v)?,
            "BOILERPLATE_FILE" => self.boilerplate_file = Some(PathBuf::from(v)),
            "FETCH_ALLOW_PRIVATE" => self.fetch_allow_private = flag(v)?,
            "FETCH_ALLOW" => {
                self.fetch_allow = v
                    .split(',')
                    .map(str::trim)
                    .filter(|e| !e.is_empty())
                    .map(String::from)
                    .collect();
            }
            "LOG_FORMAT" | "LOG" => self.log_format = v.into(),
            "METRICS_PUBLIC" => self.metrics_public = flag(v)?,
            "PASSWORD_MEMORY_KIB" => self.password_memory_kib = v.parse()?,
            "PASSWORD_ITERATIONS" => self.password_iterations = v.parse()?,
            "DKIM_KEY_FILE" => self.dkim_key_file = Some(PathBuf::from(v)),
            "DKIM_SELECTOR" => self.dkim_selector = v.into(),
            "DKIM_DOMAIN" => self.dkim_domain = v.into(),
            "DEFAULT_TIME_ZONE" => self.default_time_zone = v.into(),
            "NEWSLETTER_RATE" => self.newsletter_rate = v.parse()?,
            "NEWSLETTER_BATCH" => self.newsletter_batch = v.parse()?,
            "NEWSLETTER_LEASE_SECS" => self.newsletter_lease_secs = v.parse()?,
            "NEWSLETTER_BOUNCE_LIMIT" => self.newsletter_bounce_limit = v.parse()?,
            "PASSWORD_HASHES" => self.password_hashes = v.parse()?,
            "TRUSTED_PROXIES" => {
                self.trusted_proxies = v
                    .split(',')
                    .map(str::trim)
                    .filter(|e| !e.is_empty())
                    .map(String::from)
                    .collect();
            }
            "JOBS" => self.jobs = flag(v)?,
            "JOBS_CONCURRENCY" => self.jobs_concurrency = v.parse()?,
            "JOBS_POLL_MS" => self.jobs_poll_ms = v.parse()?,
            "JOBS_LEASE_MS" => self.jobs_lease_ms = v.parse()?,
            "JOBS_RETRY_BASE_MS" => self.jobs_retry_base_ms = v.parse()?,
            "JOBS_GRACE_MS" => self.jobs_grace_ms = v.parse()?,
            "POLL_EVERY_SECS" => self.poll_every_secs = v.parse()?,
            // Variables for tests and other tools share the prefix; ignore what we do not own.
            _ => {}
        }
        Ok(())
    }

    /// The database URL in force: the configured one, or the SQLite file in the data folder.
    pub fn effective_database_url(&self) -> String {
        if self.database_url.is_empty() {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("sahifa.db").display()
            )
        } else {
            self.database_url.clone()
        }
    }

    /// The fetcher's allow list: `fetch_allow`, or every address with `fetch_allow_private`.
    pub fn fetch_allow_list(&self) -> anyhow::Result<crate::ingest::fetch::AllowList> {
        let mut entries: Vec<&str> = self.fetch_allow.iter().map(String::as_str).collect();
        if self.fetch_allow_private {
            entries.extend(["0.0.0.0/0", "::/0"]);
        }
        crate::ingest::fetch::AllowList::parse(entries).map_err(anyhow::Error::msg)
    }

    /// Folder of the search index.
    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn env_overrides_file_and_defaults() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "addr = \"0.0.0.0:9000\"\nsecure_cookies = false\n").expect("write");
        let cfg = Config::load(Some(&file), env(&[("SAHIFA_ADDR", "127.0.0.1:1")])).expect("load");
        assert_eq!(cfg.addr, "127.0.0.1:1");
        assert!(!cfg.secure_cookies);
        assert_eq!(cfg.base_url, Config::default().base_url);
    }

    #[test]
    fn bad_values_name_their_place() {
        let err = Config::load(None, env(&[("SAHIFA_SECURE_COOKIES", "maybe")])).unwrap_err();
        assert!(format!("{err:#}").contains("SAHIFA_SECURE_COOKIES"));
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("c.toml");
        std::fs::write(&file, "adr = 1\n").expect("write");
        let err = Config::load(Some(&file), env(&[])).unwrap_err();
        assert!(format!("{err:#}").contains("c.toml"));
    }

    #[test]
    fn fetch_allow_from_env() {
        let cfg = Config::load(
            None,
            env(&[("SAHIFA_FETCH_ALLOW", "127.0.0.1, feeds.intranet,10.0.0.0/8")]),
        )
        .expect("load");
        assert_eq!(
            cfg.fetch_allow,
            ["127.0.0.1", "feeds.intranet", "10.0.0.0/8"]
        );
        let list = cfg.fetch_allow_list().expect("valid");
        assert!(list.allows_ip("10.1.2.3".parse().expect("ip")));
        assert!(list.allows_host("feeds.intranet"));
        let bad = Config {
            fetch_allow: vec!["no such thing!".into()],
            ..Config::default()
        };
        assert!(bad.fetch_allow_list().is_err());
    }

    #[test]
    fn default_database_is_sqlite_in_data_dir() {
        let cfg = Config::load(None, env(&[("SAHIFA_DATA", "/tmp/x")])).expect("load");
        assert!(
            cfg.effective_database_url()
                .starts_with("sqlite:///tmp/x/sahifa.db")
        );
    }
}
