//! The words of every account e-mail, in Arabic (the default) and English, from the
//! locale files.

use std::borrow::Cow;

use crate::locale::Tr;

pub use crate::locale::Locale;

/// What an account e-mail is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// Confirm the address of a new account.
    Verify,
    /// Someone tried to sign up with an address that already has an account.
    AlreadyRegistered,
    /// A sign-in link and a one-time code.
    SignIn,
    /// A password-reset link.
    Reset,
    /// Confirm a new address (sent to the new address).
    EmailChange,
    /// The address of the account is being changed (sent to the old address).
    EmailChangeNotice,
}

/// The texts of one message.
pub struct Texts {
    pub subject: Cow<'static, str>,
    pub heading: Cow<'static, str>,
    pub intro: Cow<'static, str>,
    pub action: Cow<'static, str>,
    pub outro: Cow<'static, str>,
}

impl MailKind {
    /// The middle part of this kind's locale keys (`mail-<kind>-subject`, …).
    fn key(self) -> &'static str {
        match self {
            MailKind::Verify => "verify",
            MailKind::AlreadyRegistered => "already",
            MailKind::SignIn => "signin",
            MailKind::Reset => "reset",
            MailKind::EmailChange => "change",
            MailKind::EmailChangeNotice => "change-notice",
        }
    }
}

/// The texts of `kind` in `locale` (from `locales/*/mail.ftl`).
pub fn text(kind: MailKind, locale: Locale) -> Texts {
    let t = Tr::new(locale);
    let get = |field: &str| t.get(&format!("mail-{}-{field}", kind.key()));
    Texts {
        subject: get("subject"),
        heading: get("heading"),
        intro: get("intro"),
        action: get("action"),
        outro: get("outro"),
    }
}

/// The label before a one-time code.
pub fn code_label(locale: Locale) -> Cow<'static, str> {
    Tr::new(locale).get("mail-code-label")
}

/// The closing line of every message.
pub fn footer(locale: Locale) -> Cow<'static, str> {
    Tr::new(locale).get("mail-footer")
}
